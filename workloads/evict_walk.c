// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * evict-walk: TTM eviction against binds. There are `count` shared BOs.
 * Thread 0 is the evictor: each of its ops evicts one of them, round
 * robin, with gvb_bo_evict(), which takes the BO's resv and the strategy's
 * list lock and walks the BO's gpuva list marking every vm_bo evicted, as
 * TTM does before it moves a BO. Every other thread is a mapper with its
 * own VM: each of its ops maps and unmaps one of the shared BOs, round
 * robin, so it needs the same two locks the evictor holds (the resv in
 * its drm_exec for the staged strategies, the list lock in obtain and
 * unlink for all of them).
 *
 * A mapper keeps one resident mapping of every shared BO. Without it a
 * vm_bo would exist only between a map and its unmap, so the evictor would
 * walk near-empty lists; with it the walk visits one vm_bo per mapper VM,
 * as evicting a BO bound in several VMs does, and the mapper's map finds
 * that vm_bo under the list lock instead of creating one.
 *
 * Evicted vm_bos go on their VM's evict list. A real driver empties it in
 * drm_gpuvm_validate() at its next exec; each mapper op here does that
 * function's bookkeeping (gvb_vm_validate()), so the list stays as short
 * as it would in a driver and that cost is counted too.
 *
 * With threads=1 only the evictor runs (walks of lists with no vm_bos),
 * which measures nothing the question is about: the default sweep runs it
 * from two threads on (GVB_WL_MIN_2_THREADS).
 *
 * One op: evictor, one BO eviction (lock, walk, unlock); mapper, map +
 * unmap of one shared BO + revalidation of its VM.
 */
#include "gvb_workload.h"

/* More BOs than this only dilutes the contention, and each costs a mapping per mapper. */
#define EVICT_WALK_MAX_BOS	4096

/* Resident mapping of BO j at slot j, scratch mapping of BO j at slot count + j. */
static u64 evict_walk_va(struct gvb_wl *wl, u64 slot)
{
	return slot * wl->p.size;
}

static void evict_walk_teardown(struct gvb_wl *wl)
{
	struct gvb_bo **bos = wl->priv;
	u64 i;

	/* The mappers' VMs, and with them every vm_bo, are gone by now. */
	for (i = 0; i < wl->p.count; i++)
		if (bos[i])
			gvb_bo_put(bos[i]);
	kfree(bos);
	wl->priv = NULL;
}

static int evict_walk_setup(struct gvb_wl *wl)
{
	struct gvb_bo **bos;
	u64 i;

	/* count <= 4096 and size <= 1 GiB keep the 2 * count slots inside 48 bits. */
	if (!wl->p.count || wl->p.count > EVICT_WALK_MAX_BOS)
		return -EINVAL;
	bos = kcalloc(wl->p.count, sizeof(*bos), GFP_KERNEL);
	if (!bos)
		return -ENOMEM;
	wl->priv = bos;
	for (i = 0; i < wl->p.count; i++) {
		bos[i] = gvb_bo_create(wl->ops, wl->p.size, NULL);
		if (!bos[i]) {
			evict_walk_teardown(wl);
			return -ENOMEM;
		}
	}
	return 0;
}

static int evict_walk_thread_setup(struct gvb_wl_thread *t)
{
	struct gvb_wl *wl = t->wl;
	struct gvb_bo **bos = wl->priv;
	u64 size = wl->p.size, i;
	int ret;

	/* Start the round robins apart, so threads do not move in lock step. */
	t->iter = t->idx % (u32)wl->p.count;	/* count <= 4096: no 64-bit division */
	if (t->idx == 0)
		return 0;	/* the evictor needs no VM */
	ret = gvb_wl_own_vm_and_bo(t, evict_walk_va(wl, 2 * wl->p.count), 0);
	for (i = 0; i < wl->p.count && !ret; i++)
		ret = gvb_vm_map(t->vm, bos[i], evict_walk_va(wl, i), size, 0, GVB_PROT_RW);
	if (ret)
		gvb_wl_put_vm_and_bo(t);
	return ret;
}

/* The BO for this op, advancing this thread's round robin. */
static u64 evict_walk_next(struct gvb_wl_thread *t)
{
	u64 j = t->iter;

	if (++t->iter == t->wl->p.count)
		t->iter = 0;
	return j;
}

static int evict_walk_run(struct gvb_wl_thread *t, u64 n)
{
	struct gvb_wl *wl = t->wl;
	struct gvb_bo **bos = wl->priv;
	u64 size = wl->p.size;
	int ret = 0;

	if (t->idx == 0) {
		while (n--)
			gvb_bo_evict(bos[evict_walk_next(t)]);
		return 0;
	}
	while (n-- && !ret) {
		u64 j = evict_walk_next(t);
		u64 va = evict_walk_va(wl, wl->p.count + j);

		ret = gvb_vm_map(t->vm, bos[j], va, size, 0, GVB_PROT_RW);
		if (!ret)
			ret = gvb_vm_unmap(t->vm, va, size);
		gvb_vm_validate(t->vm);
	}
	return ret;
}

const struct gvb_workload gvb_wl_evict_walk = {
	.name = "evict-walk",
	.desc = "thread 0 evicts shared BOs (resv + list walk, as TTM) while the others bind them",
	.op_desc = "evictor: 1 BO eviction; mappers: map+unmap",
	.flags = GVB_WL_MAIN | GVB_WL_MIN_2_THREADS,
	.defaults = { .threads = 2, .size = SZ_4K, .count = 8 },
	.setup = evict_walk_setup,
	.thread_setup = evict_walk_thread_setup,
	.run = evict_walk_run,
	.thread_teardown = gvb_wl_put_vm_and_bo,
	.teardown = evict_walk_teardown,
};
