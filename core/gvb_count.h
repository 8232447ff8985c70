/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Lock accounting: how many times one op takes each lock class, and how
 * many page-table pages it allocates and frees.
 *
 * Why a separate counting pass and not counters in the timed path: one
 * extra uncontended lock costs 2-6 ns here, the very effect the tool
 * measures, and a counter increment on a shared or even a per-thread line
 * is of the same order. So the increments sit behind gvb_count_enabled()
 * (a static branch in the kernel, a read-mostly flag in userspace) and are
 * switched on only by gvb_count_begin(), which the runner calls in an
 * untimed pass of N ops (gvb_wl_count_pass()). While it is off, the lock
 * wrappers below execute a NOP (kernel) or one load and a not-taken branch
 * (userspace) and never write to any counter: tests/test_count.c checks
 * that ops run with counting off leave the counters untouched.
 *
 * One pass at a time, system wide, and only the task that began it is
 * counted (gvb_count_task()): other tasks running timed batches meanwhile
 * neither pollute the counts nor write to them.
 */
#ifndef GVB_COUNT_H
#define GVB_COUNT_H

#include "gvb_seam.h"

enum gvb_lock_class {
	GVB_LOCK_VM_RESV,	/* the VM's dma_resv (and VM-private BOs') */
	GVB_LOCK_BO_RESV,	/* an external BO's own dma_resv */
	GVB_LOCK_GPUVA,		/* bo->gpuva.lock, the per-BO gpuva mutex */
	GVB_LOCK_OP_LOCK,	/* vm->op_lock, immediate-mode VM serialization */
	GVB_LOCK_VM_LISTS,	/* vm->lists_lock, extobj/evict list spinlock */
	GVB_LOCK_WW_ACQUIRE,	/* ww_acquire_init: one drm_exec transaction */
	GVB_LOCK_CLASSES,
};

/* Totals over one counting pass; divide by @ops for per-op values. */
struct gvb_lock_counts {
	u64 ops;
	u64 acquisitions[GVB_LOCK_CLASSES];
	u64 pt_pages_allocated;	/* table pages installed in a page table */
	u64 pt_pages_freed;	/* table pages taken out of one */
	u64 pt_pages_prealloc;	/* pages bought for the worst case before an op */
};

/* "vm_resv", "bo_resv", "gpuva", "op_lock", "vm_lists", "ww_acquire". */
extern const char *const gvb_lock_class_names[GVB_LOCK_CLASSES];

void gvb_count_slow(enum gvb_lock_class c);
void gvb_count_pt_slow(int allocated, int freed, int prealloc);

static inline void gvb_count(enum gvb_lock_class c)
{
	if (gvb_count_enabled())
		gvb_count_slow(c);
}

static inline void gvb_count_pt(int allocated, int freed, int prealloc)
{
	if (gvb_count_enabled())
		gvb_count_pt_slow(allocated, freed, prealloc);
}

/* Called by gvb_core_init(). */
void gvb_count_init(void);

/*
 * Starts counting the calling task's acquisitions into @out (zeroed here);
 * waits while another pass runs. gvb_count_end() stops. Sleeps.
 */
void gvb_count_begin(struct gvb_lock_counts *out);
void gvb_count_end(void);

#endif /* GVB_COUNT_H */
