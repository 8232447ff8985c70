// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * sparse: a VM with very many small mappings, as sparse resources and
 * huge client address spaces produce. Setup fills each thread's VM with
 * `count` mappings of `size` (100k x 4K by default, up to 1M), in every
 * other slot so that they never touch. The interval tree is then deep (an
 * AVL tree: 17 to 24 levels at 100k, 20 to 29 at 1M) and, with 4K
 * mappings, the page table has count / 256 leaf tables, each half full.
 * One op maps and unmaps one random hole between two mappings: a search
 * from the root of the deep tree, an insert and a remove with their
 * rebalancing, and a real page-table walk into an existing leaf table (the
 * neighbours keep it alive, so no table is allocated or freed).
 *
 * Mapping i sits at VA slot 2i with BO offset i, so every page translates
 * somewhere different and the page-table check can tell them apart; the
 * hole at slot 2i + 1 reuses offset i.
 *
 * Setup runs one gvb_vm_map() per mapping, the only way the API offers,
 * in ascending order; at 1M mappings that takes on the order of a second
 * per thread. Teardown is one unmap of the whole VM.
 *
 * One op: map + unmap of one hole.
 */
#include "gvb_workload.h"

#define SPARSE_MAX_COUNT	(1ULL << 20)

static int sparse_setup(struct gvb_wl *wl)
{
	u64 bo_size;

	/* count * size is the BO, 2 * count * size the VM (inside 48 bits then). */
	if (!wl->p.count || wl->p.count > SPARSE_MAX_COUNT ||
	    check_mul_overflow(wl->p.count, wl->p.size, &bo_size) || bo_size > GVB_BO_MAX_SIZE)
		return -EINVAL;
	return 0;
}

static int sparse_thread_setup(struct gvb_wl_thread *t)
{
	u64 size = t->wl->p.size, count = t->wl->p.count, i;
	int ret;

	ret = gvb_wl_own_vm_and_bo(t, 2 * count * size, count * size);
	for (i = 0; i < count && !ret; i++)
		ret = gvb_vm_map(t->vm, t->bo, 2 * i * size, size, i * size, GVB_PROT_RW);
	if (ret)
		gvb_wl_put_vm_and_bo(t);
	return ret;
}

static int sparse_run(struct gvb_wl_thread *t, u64 n)
{
	u64 size = t->wl->p.size;
	u32 count = t->wl->p.count;
	int ret = 0;

	while (n-- && !ret) {
		/* A 32-bit modulo: cheap, and needs no 64-bit division helper in the kernel. */
		u64 hole = (u32)(gvb_wl_rand(t) >> 32) % count;
		u64 va = (2 * hole + 1) * size;

		ret = gvb_vm_map(t->vm, t->bo, va, size, hole * size, GVB_PROT_RW);
		if (!ret)
			ret = gvb_vm_unmap(t->vm, va, size);
	}
	return ret;
}

const struct gvb_workload gvb_wl_sparse = {
	.name = "sparse",
	.desc = "map+unmap in random holes of a VM holding 100k-1M small mappings (deep tree)",
	.op_desc = "map+unmap",
	.flags = GVB_WL_SETUP_SCALES | GVB_WL_SEEDED,
	.defaults = { .threads = 1, .size = SZ_4K, .count = 100000 },
	.setup = sparse_setup,
	.thread_setup = sparse_thread_setup,
	.run = sparse_run,
	.thread_teardown = gvb_wl_put_vm_and_bo,
};
