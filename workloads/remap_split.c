// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * remap-split: maps over existing mappings. Each thread's VM holds one
 * large mapping, `count` pieces of `size` (64 x 4K by default) of its BO
 * at offset 0. One op is two binds:
 * 1. map one piece in the middle to a different BO offset: the walk emits
 *    a remap that splits the large VA into prev + next and then a map;
 * 2. map the original range back over it: unmap keep=1 of prev, unmap of
 *    the middle (other offset, so keep=0), unmap keep=1 of next, then the
 *    map. Touching neighbours are never merged, so only this re-map
 *    restores the single VA.
 * The middle piece moves with gvb_wl_rand() so that the splits do not
 * always hit the same page-table entry; it is never the first or the last
 * piece, so both prev and next exist.
 *
 * One op: the split map plus the restoring map (2 binds: 1 remap, 3 unmap and
 * 2 map steps).
 */
#include "gvb_workload.h"

static int remap_split_setup(struct gvb_wl *wl)
{
	u64 bo_size;

	/* Pieces 1 .. count-2 are the middles; the BO has one spare piece after them. */
	if (wl->p.count < 3 || check_mul_overflow(wl->p.count + 1, wl->p.size, &bo_size) ||
	    bo_size > GVB_BO_MAX_SIZE)
		return -EINVAL;
	return 0;
}

static int remap_split_thread_setup(struct gvb_wl_thread *t)
{
	u64 span = t->wl->p.count * t->wl->p.size;
	int ret;

	ret = gvb_wl_own_vm_and_bo(t, span, span + t->wl->p.size);
	if (ret)
		return ret;
	/* VA 0 and BO offset 0 are aligned alike, so large sizes get blocks. */
	ret = gvb_vm_map(t->vm, t->bo, 0, span, 0, GVB_PROT_RW);
	if (ret)
		gvb_wl_put_vm_and_bo(t);
	return ret;
}

static int remap_split_run(struct gvb_wl_thread *t, u64 n)
{
	u64 size = t->wl->p.size, count = t->wl->p.count;
	u64 span = count * size, spare = span;	/* the spare piece's BO offset */
	int ret = 0;

	while (n-- && !ret) {
		/* A 32-bit modulo: cheap, and needs no 64-bit division helper in the kernel. */
		u64 mid = (1 + (u32)(gvb_wl_rand(t) >> 32) % (u32)(count - 2)) * size;

		ret = gvb_vm_map(t->vm, t->bo, mid, size, spare, GVB_PROT_RW);
		if (!ret)
			ret = gvb_vm_map(t->vm, t->bo, 0, span, 0, GVB_PROT_RW);
	}
	return ret;
}

const struct gvb_workload gvb_wl_remap_split = {
	.name = "remap-split",
	.desc = "split a large VA with a map in its middle (remap), then map the whole back",
	.op_desc = "split map + restoring map",
	.flags = GVB_WL_MAIN | GVB_WL_SEEDED,
	.defaults = { .threads = 1, .size = SZ_4K, .count = 64 },
	.setup = remap_split_setup,
	.thread_setup = remap_split_thread_setup,
	.run = remap_split_run,
	.thread_teardown = gvb_wl_put_vm_and_bo,
};
