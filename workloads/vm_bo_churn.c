// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * vm-bo-churn: the destroy path and the lifetime hazard. Each op creates a
 * fresh BO, maps it, and drops the creator's reference, so the mapping's
 * vm_bo holds the last one. The unmap then drops the last VA, which drops
 * the last vm_bo reference, which frees the BO, all inside the unmap and,
 * for the staged strategies, while the BO's own resv is held. The safe
 * strategies keep the BO alive across that unlock with a reference of
 * their own (drm_exec's, or kref_put_mutex's unlock-before-free, or the
 * deferred put's worker); `broken` does not, and this workload is its
 * use-after-free.
 *
 * One op: BO create + map + creator's put + unmap (which frees the BO).
 */
#include "gvb_workload.h"

static int vm_bo_churn_thread_setup(struct gvb_wl_thread *t)
{
	return gvb_wl_own_vm_and_bo(t, t->wl->p.size, 0);
}

static int vm_bo_churn_run(struct gvb_wl_thread *t, u64 n)
{
	u64 size = t->wl->p.size;
	int ret = 0;

	while (n-- && !ret) {
		struct gvb_bo *bo = gvb_bo_create(t->wl->ops, size, NULL);

		if (!bo)
			return -ENOMEM;
		ret = gvb_vm_map(t->vm, bo, 0, size, 0, GVB_PROT_RW);
		/* From here the mapping's vm_bo owns the BO (or, on failure, nobody). */
		gvb_bo_put(bo);
		if (!ret)
			ret = gvb_vm_unmap(t->vm, 0, size);
	}
	return ret;
}

const struct gvb_workload gvb_wl_vm_bo_churn = {
	.name = "vm-bo-churn",
	.desc = "map a fresh BO, drop its creator's ref, unmap: the last vm_bo put frees the BO",
	.op_desc = "create+map+put+unmap",
	.flags = GVB_WL_MAIN,
	.defaults = { .threads = 1, .size = SZ_4K },
	.thread_setup = vm_bo_churn_thread_setup,
	.run = vm_bo_churn_run,
	.thread_teardown = gvb_wl_put_vm_and_bo,
};
