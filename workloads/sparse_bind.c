// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * sparse-bind: the Vulkan sparse-residency pattern drivers complain about.
 * A sparse resource's unbound pages all point at one dummy page, so making
 * a 100e6-byte resource "resident" is 24,415 binds of 4 KiB each onto the
 * same page of one dummy BO (what Collabora's DRM_GPUVA_REPEAT series
 * wants to turn into one op). Each thread binds `count` pages of its dummy
 * BO side by side, page by page as separate binds, then unmaps the whole
 * range with one bind. Neighbours are never merged, so the VM ends up with
 * `count` VAs on one vm_bo before the unmap walks them all.
 *
 * One op: one bind of one page; every `count`-th op also carries the unmap
 * of the range, so its cost is spread over the binds that built it.
 */
#include "gvb_workload.h"

static int sparse_bind_thread_setup(struct gvb_wl_thread *t)
{
	u64 span;

	if (!t->wl->p.count || check_mul_overflow(t->wl->p.count, GVB_PAGE, &span))
		return -EINVAL;
	return gvb_wl_own_vm_and_bo(t, span, GVB_PAGE);
}

static int sparse_bind_run(struct gvb_wl_thread *t, u64 n)
{
	u64 count = t->wl->p.count;
	int ret = 0;

	while (n-- && !ret) {
		u64 page = t->iter++;

		/* Restarting at 0 after `count` binds; u64 ops never wrap in practice. */
		if (page >= count) {
			page = 0;
			t->iter = 1;
		}
		ret = gvb_vm_map(t->vm, t->bo, page * GVB_PAGE, GVB_PAGE, 0, GVB_PROT_RW);
		if (!ret && page == count - 1)
			ret = gvb_vm_unmap(t->vm, 0, count * GVB_PAGE);
	}
	return ret;
}

const struct gvb_workload gvb_wl_sparse_bind = {
	.name = "sparse-bind",
	.desc = "bind `count` pages of one dummy BO page by page, then unmap them (Vulkan sparse)",
	.op_desc = "bind of one page",
	.flags = GVB_WL_MAIN | GVB_WL_FIXED_SIZE | GVB_WL_PERIOD_COUNT,
	.defaults = { .threads = 1, .size = SZ_4K, .count = 24415 },
	.thread_setup = sparse_bind_thread_setup,
	.run = sparse_bind_run,
	.thread_teardown = gvb_wl_put_vm_and_bo,
};
