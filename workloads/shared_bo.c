// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * shared-bo: the case from the review thread. Every thread has its own VM,
 * so the VMs' serialization never contends, but all of them map the SAME
 * BO. Each map obtains a vm_bo and each unmap destroys it, and both edit
 * that one BO's gpuva list under its list lock: the BO resv for the staged
 * strategies (taken by every thread's drm_exec), the gpuva mutex for the
 * immediate ones. That lock is the only shared thing, so the numbers
 * against `threads` are the cost of the list lock under contention.
 *
 * One op: map + unmap of the shared BO in the thread's own VM.
 */
#include "gvb_workload.h"

static int shared_bo_setup(struct gvb_wl *wl)
{
	wl->shared_bo = gvb_bo_create(wl->ops, wl->p.size, NULL);
	return wl->shared_bo ? 0 : -ENOMEM;
}

static void shared_bo_teardown(struct gvb_wl *wl)
{
	/* The VMs are gone by now, and with them every vm_bo of this BO. */
	gvb_bo_put(wl->shared_bo);
	wl->shared_bo = NULL;
}

static int shared_bo_thread_setup(struct gvb_wl_thread *t)
{
	return gvb_wl_own_vm_and_bo(t, t->wl->p.size, 0);
}

static int shared_bo_run(struct gvb_wl_thread *t, u64 n)
{
	struct gvb_bo *bo = t->wl->shared_bo;
	u64 size = t->wl->p.size;
	int ret = 0;

	while (n-- && !ret) {
		/* VA 0 is aligned for every block size. */
		ret = gvb_vm_map(t->vm, bo, 0, size, 0, GVB_PROT_RW);
		if (!ret)
			ret = gvb_vm_unmap(t->vm, 0, size);
	}
	return ret;
}

const struct gvb_workload gvb_wl_shared_bo = {
	.name = "shared-bo",
	.desc = "threads with their own VMs map and unmap one shared BO (its list lock contends)",
	.op_desc = "map+unmap",
	.flags = GVB_WL_MAIN,
	.defaults = { .threads = 4, .size = SZ_4K },
	.setup = shared_bo_setup,
	.thread_setup = shared_bo_thread_setup,
	.run = shared_bo_run,
	.thread_teardown = gvb_wl_put_vm_and_bo,
	.teardown = shared_bo_teardown,
};
