// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * bind-many: a VM_BIND that populates a range piece by piece and tears it
 * down in one go. Each thread maps `count` mappings of `size` side by side
 * into its own VM, all of its own BO, then removes them with ONE unmap over
 * the whole range. What it stresses: a vm_bo with a long VA list (every map
 * after the first finds the vm_bo and links to it), tree inserts into a
 * growing tree, and one unmap walk that visits `count` VAs and drops the
 * last vm_bo reference at its end.
 *
 * Every mapping uses BO offset 0, so the BO is only `size` bytes whatever
 * `count` is (count x size may well exceed the largest BO), and the page
 * table still gets `count` distinct leaves: aliasing one BO range many
 * times is legal and costs the VM exactly what distinct offsets would.
 *
 * One op: `count` maps plus the one unmap.
 */
#include "gvb_workload.h"

static int bind_many_setup(struct gvb_wl *wl)
{
	u64 span;

	/* The whole range must fit the VM's address space (48 bits for LPAE). */
	if (!wl->p.count || check_mul_overflow(wl->p.count, wl->p.size, &span) ||
	    span > BIT_ULL(wl->fmt->va_bits))
		return -EINVAL;
	return 0;
}

static int bind_many_thread_setup(struct gvb_wl_thread *t)
{
	return gvb_wl_own_vm_and_bo(t, t->wl->p.count * t->wl->p.size, t->wl->p.size);
}

static int bind_many_run(struct gvb_wl_thread *t, u64 n)
{
	u64 size = t->wl->p.size, count = t->wl->p.count, i;
	int ret = 0;

	while (n-- && !ret) {
		/* VA 0 is aligned for every block size, so large sizes get blocks. */
		for (i = 0; i < count && !ret; i++)
			ret = gvb_vm_map(t->vm, t->bo, i * size, size, 0, GVB_PROT_RW);
		if (!ret)
			ret = gvb_vm_unmap(t->vm, 0, count * size);
	}
	return ret;
}

const struct gvb_workload gvb_wl_bind_many = {
	.name = "bind-many",
	.desc = "map `count` VAs of one BO side by side, then one unmap over them all",
	.op_desc = "count maps + 1 unmap",
	.flags = GVB_WL_MAIN,
	.defaults = { .threads = 1, .size = SZ_4K, .count = 64 },
	.setup = bind_many_setup,
	.thread_setup = bind_many_thread_setup,
	.run = bind_many_run,
	.thread_teardown = gvb_wl_put_vm_and_bo,
};
