/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * A locking strategy is one const struct gvb_strategy_ops, in one file under
 * strategies/, listed once in strategies/list.h. The core calls these
 * hooks at the points where strategies differ and owns everything else.
 * See docs/DESIGN.md section 2 for the table of strategies.
 */
#ifndef GVB_STRATEGY_H
#define GVB_STRATEGY_H

#include "gvb_core.h"
#include "gvb_count.h"

/* The gpuva list is under bo->gpuva.lock and the VA tree under vm->op_lock. */
#define GVB_STRATEGY_IMMEDIATE	BIT(0)
/* A negative control: never part of default sweeps, expected to be caught. */
#define GVB_STRATEGY_BROKEN	BIT(1)
/* Part of `gvbench sweep` and of `gvbench run`'s default strategies. */
#define GVB_STRATEGY_SWEEP	BIT(2)
/* The last vm_bo put may be deferred: --defer-async (vm->defer_async) applies. */
#define GVB_STRATEGY_DEFERS	BIT(3)
/*
 * Immediate mode without deferral (panthor 6.18): vm_bo_put takes the VM
 * resv, which run_job may not, so run_job only drops references that cannot
 * be the last. The map step's link consumes the reference it is given, and
 * each unlinked VA keeps one until the op's cleanup puts it after the job.
 */
#define GVB_STRATEGY_PUT_AFTER_JOB	BIT(4)

/* Everything an ioctl-level map or unmap carries between its hooks. */
struct gvb_op {
	struct gvb_vm *vm;
	struct gvb_bo *bo;		/* NULL for unmap */
	u64 addr, range, offset;
	u32 prot;
	struct gvb_va *prealloc_va[3];	/* map + prev + next pieces at most */
	struct gvb_vm_bo *vm_bo;	/* map: obtained, with a reference */
	struct gvb_vm_bo *prealloc_vm_bo;	/* immediate or two-pass map */
	unsigned int pt_pages;		/* page-table pages to have cached */
	/* Two-pass ops: pages bought by prepare, given to the table by commit. */
	void *pt_reserved;
	unsigned int pt_reserved_count;
	bool two_pass;			/* gvb_op_prepare_*(): commit may not allocate */
	bool prepared;			/* commit: allocating anything is a bug */
	struct gvb_exec exec;		/* staged strategies */
	/* GVB_STRATEGY_PUT_AFTER_JOB: unlinked VAs (vm_link), vm_bo still referenced. */
	struct list_head returned_vas;
};

struct gvb_strategy_ops {
	const char *name;
	const char *desc;		/* one line, shown by `gvbench list` */
	unsigned int flags;

	/* Ioctl-level locking around one map/unmap: 0 or -ENOMEM. */
	int (*op_lock)(struct gvb_op *op);
	void (*op_unlock)(struct gvb_op *op);
	/* What gvb_vm_assert_serialized() checks. */
	void (*assert_vm_serialized)(struct gvb_vm *vm);
	/* Plain lock/unlock of the VM serialization, for checkers and teardown. */
	void (*vm_serialize)(struct gvb_vm *vm);
	void (*vm_unserialize)(struct gvb_vm *vm);

	/* The BO's gpuva list lock, around each list operation. */
	void (*list_lock)(struct gvb_bo *bo);
	void (*list_unlock)(struct gvb_bo *bo);
	void (*assert_list_held)(struct gvb_bo *bo);

	/* Dropping a vm_bo reference; the last one destroys or defers it. */
	void (*vm_bo_put)(struct gvb_vm_bo *vm_bo);
	/*
	 * The same with the BO's list lock held, which it releases: the put
	 * inside drm_gpuva_unlink() (or _unlink_defer()), so an unlink that
	 * drops the last reference takes the list lock once, not twice.
	 */
	void (*vm_bo_put_unlock)(struct gvb_vm_bo *vm_bo);
	/* Frees deferred zombies; NULL when puts are immediate. */
	void (*deferred_cleanup)(struct gvb_vm *vm);
};

#define GVB_STRATEGY(x)	extern const struct gvb_strategy_ops gvb_strategy_##x;
#include "../strategies/list.h"

/* NULL-terminated, in the order `gvbench list` shows them. */
extern const struct gvb_strategy_ops *const gvb_strategies[];
const struct gvb_strategy_ops *gvb_strategy_find(const char *name);
/* "resv, resv+gpuva, ..." into @buf, for "unknown strategy" messages. */
void gvb_strategy_names(char *buf, size_t len, bool include_broken);

/* The per-BO gpuva mutex, counted (gvb_count.h). */
static inline void gvb_gpuva_lock(struct gvb_bo *bo)
{
	gvb_count(GVB_LOCK_GPUVA);
	mutex_lock(&bo->gpuva.lock);
}

static inline void gvb_gpuva_unlock(struct gvb_bo *bo)
{
	mutex_unlock(&bo->gpuva.lock);
}

/* kref_put_mutex() on the gpuva mutex: taken, and counted, only for the last put. */
static inline void gvb_gpuva_put_mutex(struct gvb_vm_bo *vm_bo, void (*release)(struct kref *))
{
	if (kref_put_mutex(&vm_bo->ref, release, &vm_bo->bo->gpuva.lock))
		gvb_count(GVB_LOCK_GPUVA);
}

/* Put with the gpuva mutex held, then release it (drm_gpuva_unlink()'s put). */
static inline void gvb_gpuva_put_unlock(struct gvb_vm_bo *vm_bo, void (*release)(struct kref *))
{
	struct gvb_bo *bo = vm_bo->bo;

	/* The release unlocks the mutex itself, before it can drop the BO. */
	if (!kref_put(&vm_bo->ref, release))
		gvb_gpuva_unlock(bo);
}

/* Shared hook bodies, so each strategy file only states what differs. */
int gvb_staged_op_lock(struct gvb_op *op, unsigned int exec_flags);
void gvb_staged_op_unlock(struct gvb_op *op);
void gvb_staged_assert_vm(struct gvb_vm *vm);
void gvb_staged_vm_serialize(struct gvb_vm *vm);
void gvb_staged_vm_unserialize(struct gvb_vm *vm);
/* Immediate mode's VM_BIND prepare, before op_lock (see vm->bind_sync). */
int gvb_immediate_prepare(struct gvb_op *op);
int gvb_immediate_op_lock(struct gvb_op *op);
void gvb_immediate_op_unlock(struct gvb_op *op);
void gvb_immediate_assert_vm(struct gvb_vm *vm);
void gvb_immediate_vm_serialize(struct gvb_vm *vm);
void gvb_immediate_vm_unserialize(struct gvb_vm *vm);
/* Last put outside the list lock: takes it to unlink, then frees. */
void gvb_vm_bo_release_locked(struct kref *kref);
/* Last put with the list lock held (a no-op lock: the resv): unlink, free. */
void gvb_vm_bo_release_held(struct kref *kref);
/* Last put through kref_put_mutex(&bo->gpuva.lock): unlink, unlock, free. */
void gvb_vm_bo_release_unlock(struct kref *kref);
/* Same, but queue the zombie for gvb_vm_deferred_cleanup(). */
void gvb_vm_bo_release_defer(struct kref *kref);

#endif /* GVB_STRATEGY_H */
