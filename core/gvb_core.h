/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The GPUVM model: VMs, BOs, vm_bos and VAs, the split/merge walk, and the
 * map/unmap paths a VM_BIND ioctl runs. It mirrors drivers/gpu/drm/drm_gpuvm.c
 * closely enough that the locking strategies cost what they cost upstream,
 * and it is our own code. See docs/DESIGN.md section 1.
 *
 * Who protects what:
 * - vm->tree and vm->va_list: the VM's serialization, which the strategy
 *   defines (the VM resv for the staged strategies, vm->op_lock for the
 *   immediate ones). gvb_vm_assert_serialized() checks it.
 * - bo->gpuva.list and every vm_bo->va_list of that BO: the BO's "list lock",
 *   also defined by the strategy (the BO resv, bo->gpuva.lock, or both).
 * - vm->extobj_list and vm->evict_list: vm->lists_lock, a spinlock, as
 *   upstream does for VMs that are not DRM_GPUVM_RESV_PROTECTED.
 * - Page tables: the VM's serialization.
 *
 * References: a BO holds one for its creator. A vm_bo holds one on its VM and
 * one on its BO. Each linked VA holds one on its vm_bo. The BO's gpuva list
 * holds none: destroying the last vm_bo reference unlinks it from that list
 * and drops a BO reference, which may free the BO together with the lock
 * being held. Callers that hold a BO's lock across a put must own a BO
 * reference of their own; the `broken` strategy is the one that does not.
 */
#ifndef GVB_CORE_H
#define GVB_CORE_H

#include "gvb_seam.h"
#include "gvb_itree.h"
#include "gvb_pt.h"
#include "gvb_count.h"

struct gvb_strategy_ops;
struct gvb_sm_ops;
struct gvb_vm;

/* Largest BO: each BO gets a 4 GiB window of fake physical address space. */
#define GVB_BO_MAX_SIZE		(1ULL << 32)
#define GVB_PAGE		4096ULL

/*
 * The fences of one resv, as (context, seqno) pairs: what dma_resv keeps,
 * without fence objects. Protected by that resv. A new fence replaces the
 * one of its own context, as dma_resv_add_fence() does.
 */
struct gvb_fences {
	struct gvb_fence_slot {
		u64 context, seqno;
	} *slots;
	unsigned int count, max;
};

struct gvb_bo {
	struct kref ref;
	const struct gvb_strategy_ops *ops;	/* every VM that maps this BO must use it */
	struct dma_resv *resv;		/* &_resv, or the VM's for a VM-private BO */
	struct dma_resv _resv;
	struct gvb_fences fences;	/* of _resv; unused by a VM-private BO */
	struct gvb_vm *private_vm;	/* referenced; NULL for an external BO */
	struct {
		struct list_head list;	/* vm_bos, no references held */
		struct mutex lock;	/* gem->gpuva.lock of immediate mode */
	} gpuva;
	u64 size;
	u64 pa;				/* base of the BO's fake physical window */
	u32 id;
};

struct gvb_vm_bo {
	struct gvb_vm *vm;
	struct gvb_bo *bo;
	struct kref ref;
	struct list_head va_list;	/* gvb_va.vm_bo_link; the BO's list lock */
	struct list_head bo_link;	/* on bo->gpuva.list; the BO's list lock */
	struct list_head extobj_link;	/* on vm->extobj_list; vm->lists_lock */
	struct list_head evict_link;	/* on vm->evict_list; vm->lists_lock */
	struct llist_node defer_link;	/* on vm->defer_list once a zombie */
	bool evicted;
};

struct gvb_va {
	struct gvb_itree_node node;	/* [addr, addr + range - 1] */
	struct list_head vm_link;	/* vm->va_list, ascending address */
	struct list_head vm_bo_link;	/* vm_bo->va_list */
	struct gvb_vm_bo *vm_bo;	/* holds a reference while linked */
	struct gvb_bo *bo;
	u64 addr, range, offset;
	u32 prot;
};

/* Counted under the VM's serialization (or vm->lists_lock where noted). */
struct gvb_vm_stats {
	u64 map_steps, remap_steps, unmap_steps;
	u64 vm_bo_created;
	u64 vm_bo_destroyed;		/* vm->lists_lock */
	u64 vm_bo_deferred;		/* vm->lists_lock */
	u64 exec_backoffs;		/* ww -EDEADLK retries */
};

struct gvb_vm {
	const struct gvb_strategy_ops *ops;
	struct kref ref;
	u32 id;
	u64 va_start, va_end;		/* managed window, end exclusive */
	struct gvb_itree tree;
	struct list_head va_list;
	struct dma_resv resv;		/* staged serialization; shared by private BOs */
	struct gvb_fences fences;	/* of resv */
	u64 fence_seqno;		/* the VM's bind queue timeline, under resv */
	struct mutex op_lock;		/* immediate serialization (panthor's op_lock) */
	spinlock_t lists_lock;
	struct list_head extobj_list;
	struct list_head evict_list;
	struct llist_head defer_list;	/* zombie vm_bos awaiting deferred cleanup */
	struct work_struct defer_work;
	/*
	 * Where deferred cleanup runs: false (default) in the bind's own
	 * context right after it drops its locks, as panthor does at job
	 * cleanup; true in a worker queued when the defer list becomes
	 * non-empty, whose CPU time is then spent off the binding thread.
	 */
	bool defer_async;
	/*
	 * How an immediate-mode VM_BIND locks before run_job (panthor): false
	 * (default), the asynchronous job path of panthor_ioctl_vm_bind(), whose
	 * prepare locks the VM resv and the mapped BO's through drm_exec and
	 * adds the job fence; true, panthor_vm_bind_exec_sync_op(), which takes
	 * only the VM resv around obtain_prealloc + extobj_add.
	 */
	bool bind_sync;
	struct gvb_pt pt;
	struct gvb_vm_stats stats;
	/* Optional observer of every applied step (gvb-vectors records with it). */
	const struct gvb_sm_ops *trace;
	void *trace_priv;
};

/* vm->lists_lock, counted (gvb_count.h). */
static inline void gvb_vm_lists_lock(struct gvb_vm *vm)
{
	gvb_count(GVB_LOCK_VM_LISTS);
	spin_lock(&vm->lists_lock);
}

static inline void gvb_vm_lists_unlock(struct gvb_vm *vm)
{
	spin_unlock(&vm->lists_lock);
}

/*
 * vm->resv on its own, outside any drm_exec, counted: with no ww context
 * it cannot fail with -EDEADLK.
 */
static inline void gvb_vm_resv_lock(struct gvb_vm *vm)
{
	gvb_count(GVB_LOCK_VM_RESV);
	WARN_ON(dma_resv_lock(&vm->resv, NULL));
}

static inline void gvb_vm_resv_unlock(struct gvb_vm *vm)
{
	dma_resv_unlock(&vm->resv);
}

/* ------------------------------------------------------------------ setup */
int gvb_core_init(void);
void gvb_core_exit(void);

struct gvb_vm *gvb_vm_create(const struct gvb_strategy_ops *ops, const struct gvb_pt_format *fmt,
			     u64 va_start, u64 va_range, u64 flush_ns);
/* Unmaps everything, drains deferred cleanup, drops the creator's reference. */
void gvb_vm_destroy(struct gvb_vm *vm);
void gvb_vm_get(struct gvb_vm *vm);
void gvb_vm_put(struct gvb_vm *vm);

/* @private_vm: share that VM's resv (a VM-private BO), or NULL for an external one. */
struct gvb_bo *gvb_bo_create(const struct gvb_strategy_ops *ops, u64 size,
			     struct gvb_vm *private_vm);
void gvb_bo_get(struct gvb_bo *bo);
void gvb_bo_put(struct gvb_bo *bo);
static inline bool gvb_bo_is_extobj(const struct gvb_bo *bo, const struct gvb_vm *vm)
{
	return bo->resv != &vm->resv;
}

/* ------------------------------------------------------- VM_BIND paths */
/*
 * The ioctl-level operations: validate, preallocate, lock as the strategy
 * says, run the split/merge walk applying each step (tree, lists, page
 * tables), unlock. They either succeed or change nothing (-EINVAL for bad
 * ranges, -ENOMEM when an allocation fails).
 */
int gvb_vm_map(struct gvb_vm *vm, struct gvb_bo *bo, u64 addr, u64 range, u64 offset, u32 prot);
int gvb_vm_unmap(struct gvb_vm *vm, u64 addr, u64 range);

/*
 * The same map in two passes, as the fence-signalling path needs: prepare
 * allocates everything (VAs, a vm_bo, page-table pages) without any
 * strategy lock held; commit then allocates nothing. The caller serializes
 * prepare and commit against other binds on the same VM (panthor runs both
 * from one queue).
 */
struct gvb_op;
struct gvb_op *gvb_op_prepare_map(struct gvb_vm *vm, struct gvb_bo *bo, u64 addr, u64 range,
				  u64 offset, u32 prot);
struct gvb_op *gvb_op_prepare_unmap(struct gvb_vm *vm, u64 addr, u64 range);
int gvb_op_commit(struct gvb_op *op);
void gvb_op_free(struct gvb_op *op);

/* Runs the deferred vm_bo cleanup now (waits for a queued worker first). */
void gvb_vm_drain_deferred(struct gvb_vm *vm);

/*
 * TTM-style eviction of @bo: takes its resv and list lock, marks every
 * vm_bo evicted and moves it to its VM's evict list. Returns how many.
 */
int gvb_bo_evict(struct gvb_bo *bo);
/*
 * drm_gpuvm_bo_evict(): marks @vm_bo evicted and puts it on its VM's evict
 * list, or the reverse. The BO's resv must be held, as upstream asserts;
 * the list is under vm->lists_lock, taken here.
 */
void gvb_vm_bo_evict(struct gvb_vm_bo *vm_bo, bool evict);
/*
 * drm_gpuvm_validate()'s bookkeeping: takes every vm_bo off @vm's evict
 * list, as a driver's vm_bo_validate() does once it has moved the BO back.
 * Nothing is moved here, so no BO resv is taken. Returns how many.
 */
int gvb_vm_validate(struct gvb_vm *vm);
/* Takes the locks eviction takes, for walkers and checkers. */
void gvb_bo_lock_lists(struct gvb_bo *bo);
void gvb_bo_unlock_lists(struct gvb_bo *bo);

/* ------------------------------------------------------ split/merge walk */
struct gvb_op_map {
	u64 addr, range, offset;
	struct gvb_bo *bo;
};

struct gvb_op_unmap {
	struct gvb_va *va;	/* the whole existing VA */
	bool keep;		/* same BO, same offset - address as the request */
};

struct gvb_op_remap {
	const struct gvb_op_map *prev;	/* surviving piece below, or NULL */
	const struct gvb_op_map *next;	/* surviving piece above, or NULL */
	const struct gvb_op_unmap *unmap;
};

struct gvb_sm_ops {
	int (*step_map)(void *priv, const struct gvb_op_map *op);
	int (*step_remap)(void *priv, const struct gvb_op_remap *op);
	int (*step_unmap)(void *priv, const struct gvb_op_unmap *op);
};

/*
 * Walks the VAs overlapping the request in ascending address order and
 * calls one step for each: unmap for a fully covered VA, remap for a
 * partly covered one. gvb_sm_map() then calls step_map once. The steps
 * change the tree, the walk does not. A nonzero step return stops the walk
 * and is returned. Touching neighbours are never merged.
 */
int gvb_sm_map(struct gvb_vm *vm, const struct gvb_op_map *req, const struct gvb_sm_ops *ops,
	       void *priv);
int gvb_sm_unmap(struct gvb_vm *vm, u64 addr, u64 range, const struct gvb_sm_ops *ops,
		 void *priv);

/* ------------------------------------------------ tree and list primitives */
struct gvb_va *gvb_va_alloc(void);
void gvb_va_free(struct gvb_va *va);
/* Each asserts the serialization or list lock it needs, like upstream. */
void gvb_va_insert(struct gvb_vm *vm, struct gvb_va *va);
void gvb_va_remove(struct gvb_vm *vm, struct gvb_va *va);
struct gvb_va *gvb_va_first(struct gvb_vm *vm, u64 addr, u64 range);
struct gvb_va *gvb_va_next(struct gvb_vm *vm, struct gvb_va *va, u64 addr, u64 range);
/* Needs the BO's list lock: links @va to @vm_bo and takes a vm_bo reference. */
void gvb_va_link(struct gvb_va *va, struct gvb_vm_bo *vm_bo);
/* Needs the BO's list lock; returns the vm_bo whose reference the caller must put. */
struct gvb_vm_bo *gvb_va_unlink(struct gvb_va *va);

/*
 * Staged mode (drm_gpuvm_bo_obtain_locked(), the BO resv held): finds or
 * creates the vm_bo of (vm, bo), with a reference. The find needs only the
 * resv; the list lock is taken once, to insert a new vm_bo. NULL on -ENOMEM.
 */
struct gvb_vm_bo *gvb_vm_bo_obtain(struct gvb_vm *vm, struct gvb_bo *bo);
/* Allocation only; link it with gvb_vm_bo_obtain_prealloc(). */
struct gvb_vm_bo *gvb_vm_bo_alloc(struct gvb_vm *vm, struct gvb_bo *bo);
/* Frees a gvb_vm_bo_alloc()'d vm_bo that was never obtained. */
void gvb_vm_bo_free_unused(struct gvb_vm_bo *vm_bo);
/*
 * drm_gpuvm_bo_obtain_prealloc(): uses @prealloc unless a vm_bo exists
 * already, in which case it frees @prealloc. Immediate mode takes the list
 * lock once around find and insert; staged mode finds under the resv and
 * locks only to insert.
 */
struct gvb_vm_bo *gvb_vm_bo_obtain_prealloc(struct gvb_vm_bo *prealloc);
/* Drops a reference the way the VM's strategy does. */
void gvb_vm_bo_put(struct gvb_vm_bo *vm_bo);

/* For strategies: the parts of vm_bo destruction that are the same for all. */
void gvb_vm_bo_unlink_vm_lists(struct gvb_vm_bo *vm_bo);	/* extobj/evict, stats */
void gvb_vm_bo_free(struct gvb_vm_bo *vm_bo);	/* drops the BO and VM refs, frees */
void gvb_vm_bo_defer(struct gvb_vm_bo *vm_bo);	/* queues a zombie for cleanup */
void gvb_vm_deferred_cleanup(struct gvb_vm *vm);	/* frees every queued zombie */

/* ----------------------------------------------------------- ww locking */
#define GVB_EXEC_REF_BOS	BIT(0)	/* hold a BO reference while its resv is locked */

/*
 * drm_exec with what makes it cost something: drm_exec_init() allocates its
 * object array (a page, kvmalloc), every locked object gets a fence slot
 * reserved (dma_resv_reserve_fences()), the transaction ends with
 * ww_acquire_done(), and the job's fence is added to every object before
 * the unlock (drm_gpuvm_resv_add_fence()).
 */
struct gvb_exec {
	struct ww_acquire_ctx ctx;
	unsigned int flags;
	unsigned int count, max;
	struct gvb_exec_obj {
		struct dma_resv *resv;
		struct gvb_bo *bo;	/* NULL for the VM's own resv */
		struct gvb_fences *fences;
	} *objs;
	struct dma_resv *contended;
	struct gvb_bo *contended_bo;
	struct gvb_fences *contended_fences;
	unsigned int backoffs;
};

void gvb_exec_init(struct gvb_exec *exec, unsigned int flags);
/*
 * Locks @resv and reserves one fence slot in @fences, which the resv
 * protects: 0, or -EDEADLK (call gvb_exec_backoff() and start over), or
 * -ENOMEM.
 */
int gvb_exec_lock(struct gvb_exec *exec, struct dma_resv *resv, struct gvb_bo *bo,
		  struct gvb_fences *fences);
/*
 * Drops every lock, then sleeps on the contended one so that it is held
 * first: 0 (start over), or -ENOMEM when its record or fence slot could not
 * be had (the contended lock is dropped again).
 */
int gvb_exec_backoff(struct gvb_exec *exec);
/* Adds fence (@context, @seqno) to every locked object. */
void gvb_exec_add_fence(struct gvb_exec *exec, u64 context, u64 seqno);
void gvb_exec_fini(struct gvb_exec *exec);
/*
 * Locks the VM resv, the resv of every BO mapped in [addr, addr + range)
 * (none when @range is 0) and @bo's (if any), with backoff, then ends the
 * acquire phase. 0 or -ENOMEM (nothing held then).
 */
int gvb_exec_lock_range(struct gvb_exec *exec, struct gvb_vm *vm, u64 addr, u64 range,
			struct gvb_bo *bo);

/* ------------------------------------------------------------ checking */
/*
 * Invariants, for tests and the module self-test; each returns 0 or -EINVAL
 * after a pr_err() naming the first violation. The caller holds the VM's
 * serialization (gvb_vm_check) or nothing that gvb_bo_check takes.
 */
int gvb_vm_check(struct gvb_vm *vm);
/* Page tables translate exactly the VAs: every VA page to its BO page, nothing else. */
int gvb_vm_check_pt(struct gvb_vm *vm);
int gvb_bo_check(struct gvb_bo *bo);
void gvb_vm_assert_serialized(struct gvb_vm *vm);
/* Takes the VM's serialization the way its strategy does, for checkers. */
void gvb_vm_serialize(struct gvb_vm *vm);
void gvb_vm_unserialize(struct gvb_vm *vm);

#endif /* GVB_CORE_H */
