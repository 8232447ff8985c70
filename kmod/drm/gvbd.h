/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * gvbench_drm.ko: the "drm_gpuvm" engine. It runs gpuvm-bench's workloads
 * on the kernel's own drm_gpuvm.ko, with each strategy mapped onto the
 * upstream calls a driver would make, and the sm_step callbacks driving
 * gpuvm-bench's ARM LPAE page tables (core/gvb_pt*, exported by
 * gvbench.ko), so that both engines do the same page-table work.
 *
 * It fakes only what drm_gpuvm needs: one drm_device (on a platform
 * device), GEM objects with their own resv (no backing pages: a BO's
 * "physical" address is made up), and each VM's resv object.
 */
#ifndef GVBD_H
#define GVBD_H

#include <linux/mutex.h>
#include <linux/workqueue.h>
#include <drm/drm_gem.h>

#include "gvbd_compat.h"
#include "gvb_core.h"
#include "gvb_pt.h"

struct gvb_strategy_ops;

/* The strategies, as upstream calls (see gvbd_vm.c). */
enum gvbd_mode {
	GVBD_RESV,		/* staged: drm_exec of every resv, obtain_locked, bo_put */
	GVBD_RESV_GPUVA,	/* the same plus an always-free mutex per list op */
	GVBD_GPUVA,		/* IMMEDIATE_MODE: obtain_prealloc, op lock, gpuva.lock */
	GVBD_GPUVA_DEFERRED,	/* IMMEDIATE_MODE with unlink_defer + bo_put_deferred */
};

struct gvbd_bo {
	struct drm_gem_object base;
	/*
	 * resv+gpuva's extra lock on kernels whose GEM has no gpuva.lock:
	 * always free (every list op also holds the resv), as in the model.
	 */
	struct mutex list_lock;
	u64 pa;				/* made-up output address of offset 0 */
	/* A VM-private BO: the VM's resv object, whose resv this BO uses. */
	struct drm_gem_object *vm_root;
};

/* The model's counters (STATS reports both engines alike), and the VA count. */
struct gvbd_stats {
	struct gvb_vm_stats vm;
	u64 vas;			/* VAs in the VM now */
};

/* Records the steps of a replay (gvbd_replay.c); NULL when not replaying. */
struct gvbd_trace;

struct gvbd_vm {
	struct drm_gpuvm base;
	enum gvbd_mode mode;
	/* Immediate modes: the VA tree lock of run_job (panthor's op_lock). */
	struct mutex op_lock;
	struct gvb_pt pt;
	/* The vm_bo of the map in progress: its map step links to it. */
	struct drm_gpuvm_bo *map_vm_bo;
	/* gpuva: the map step dropped map_vm_bo's op reference in its link hold. */
	bool map_ref_put;
	/*
	 * gpuva: VAs unlinked by this op's steps, each holding a vm_bo reference
	 * (on va->gem.entry, free once unlinked), put after the op lock is
	 * dropped as panthor 6.18's op-context cleanup did.
	 */
	struct list_head returned;
	bool defer_async;		/* deferred cleanup in a worker */
	bool bind_sync;			/* immediate modes: no drm_exec on VM_BIND (panthor's sync path) */
	struct work_struct cleanup_work;
	struct gvbd_stats stats;
	struct gvbd_trace *trace;
};

/* gvbd_main.c: the fake device everything hangs off. */
extern struct drm_device *gvbd_drm;
/* gvbd_vm.c: vm_bos alive in the whole module. */
extern atomic64_t gvbd_live_vm_bos;

/* gvbd_vm.c */
int gvbd_mode_of(const struct gvb_strategy_ops *s, enum gvbd_mode *mode, const char **why);
struct gvbd_bo *gvbd_bo_create(u64 size);
/* A BO private to @vm: it shares the VM's resv and never goes on the extobj list. */
struct gvbd_bo *gvbd_bo_create_private(struct gvbd_vm *vm, u64 size);
void gvbd_bo_put(struct gvbd_bo *bo);
/* @fmt NULL: the default page-table format. */
struct gvbd_vm *gvbd_vm_create(enum gvbd_mode mode, const struct gvb_pt_format *fmt, u64 va_range,
			       u64 flush_ns, bool defer_async);
/* Unmaps everything, cleans up, drops the VM. */
void gvbd_vm_destroy(struct gvbd_vm *vm);
int gvbd_map(struct gvbd_vm *vm, struct gvbd_bo *bo, u64 addr, u64 range, u64 offset);
int gvbd_unmap(struct gvbd_vm *vm, u64 addr, u64 range);
/*
 * The ops-list split of drivers that bind from a job (nouveau): the
 * prepare pass (ioctl: may lock resvs and allocate) builds the op list
 * with drm_gpuvm_sm_{map,unmap}_ops_create(), applies it to the VA tree
 * and the gpuva lists right away and reserves page-table pages; the commit
 * pass (run_job, inside fence signalling) only writes the page tables,
 * from the reserve, under the VM's op lock; the cleanup frees the op list
 * and unmapped VAs. Supports ops whose list is one map or unmaps only.
 */
struct gvbd_prep {
	struct drm_gpuva_ops *ops;
	struct drm_gpuva *unmapped;	/* unmap: the VA taken out of the tree */
	void *pages;			/* page-table reserve */
	unsigned int npages;
	bool map;
	u64 addr, range, pa;
};

int gvbd_prep_map(struct gvbd_vm *vm, struct gvbd_bo *bo, u64 addr, u64 range, u64 offset,
		  struct gvbd_prep *p);
int gvbd_prep_unmap(struct gvbd_vm *vm, u64 addr, u64 range, struct gvbd_prep *p);
int gvbd_prep_commit(struct gvbd_vm *vm, struct gvbd_prep *p);
void gvbd_prep_cleanup(struct gvbd_vm *vm, struct gvbd_prep *p);

/* Finishes deferred vm_bo cleanup (a queued worker included). */
void gvbd_vm_drain(struct gvbd_vm *vm);
/* Evicts @bo in every VM that maps it, under its resv (TTM's eviction walk). */
void gvbd_bo_evict(enum gvbd_mode mode, struct gvbd_bo *bo);
/* Marks every evicted vm_bo of @vm valid again (drm_gpuvm_validate). */
int gvbd_vm_revalidate(struct gvbd_vm *vm);
/* Checks the tree against the page tables and the vm_bo lists: 0 or -EFAULT, with a log line. */
int gvbd_vm_check(struct gvbd_vm *vm);

/* gvbd_engine.c */
int gvbd_engine_init(void);
void gvbd_engine_exit(void);

/* gvbd_replay.c: the debugfs vectors file. */
void gvbd_replay_init(struct dentry *dir);

/* gvbd_selftest.c */
int gvbd_selftest_run(unsigned int *passed);

/* gvbd_trace: called by the step callbacks when vm->trace is set. */
void gvbd_trace_step(struct gvbd_vm *vm, const struct drm_gpuva_op *op);

#endif /* GVBD_H */
