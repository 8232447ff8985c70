// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * map-unmap: the VM_BIND hot path. Each thread maps one VA of its own BO
 * and unmaps it again: a new vm_bo is obtained by every map and destroyed
 * by every unmap, with nothing shared between threads. Sizes 4K, 64K and
 * 2M (2M-aligned, so the page table uses a block).
 */
#include "gvb_workload.h"

#define MAP_UNMAP_VA	SZ_2M	/* 2M-aligned so a 2M mapping is one block */

static int map_unmap_thread_setup(struct gvb_wl_thread *t)
{
	/* Room for one mapping of any allowed size above the 2M-aligned base. */
	return gvb_wl_own_vm_and_bo(t, MAP_UNMAP_VA + t->wl->p.size, t->wl->p.size);
}

static int map_unmap_run(struct gvb_wl_thread *t, u64 n)
{
	u64 size = t->wl->p.size;
	int ret = 0;

	while (n-- && !ret) {
		ret = gvb_vm_map(t->vm, t->bo, MAP_UNMAP_VA, size, 0, GVB_PROT_RW);
		if (!ret)
			ret = gvb_vm_unmap(t->vm, MAP_UNMAP_VA, size);
	}
	return ret;
}

const struct gvb_workload gvb_wl_map_unmap = {
	.name = "map-unmap",
	.desc = "map then unmap one VA of a private BO per thread (VM_BIND hot path)",
	.op_desc = "map+unmap",
	.flags = GVB_WL_MAIN | GVB_WL_SIZE_IN_NAME | GVB_WL_PEROP,
	.defaults = { .threads = 1, .size = SZ_4K },
	.thread_setup = map_unmap_thread_setup,
	.run = map_unmap_run,
	.thread_teardown = gvb_wl_put_vm_and_bo,
};
