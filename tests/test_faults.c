// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Allocation failure injected at each allocation site in turn: the Nth
 * allocation of an operation fails, for N = 1, 2, ... until the operation
 * needs fewer than N. Every failing attempt must return -ENOMEM, leave the
 * VAs, the vm_bos and the page tables exactly as they were, and leak
 * nothing. Then the operation must succeed.
 */
#include "gvb_strategy.h"
#include "gvb_test.h"

#define MAX_SNAP	64

struct snap {
	unsigned int nva, nleaf;
	struct { u64 addr, range, offset; const struct gvb_bo *bo; } va[MAX_SNAP];
	struct { u64 iova, pa, size; } leaf[MAX_SNAP];
	long live;		/* live allocations, not counting cached page-table pages */
	unsigned int vm_bos;	/* on the BOs' lists */
};

static int snap_leaf(void *priv, u64 iova, u64 pa, u64 size, u32 prot)
{
	struct snap *s = priv;

	if (s->nleaf == MAX_SNAP)
		return -ENOSPC;
	s->leaf[s->nleaf].iova = iova;
	s->leaf[s->nleaf].pa = pa;
	s->leaf[s->nleaf].size = size;
	s->nleaf++;
	return 0;
}

static void take_snap(struct gvb_vm *vm, struct gvb_bo **bos, unsigned int nbo, struct snap *s)
{
	struct gvb_va *va;
	unsigned int i;

	memset(s, 0, sizeof(*s));
	gvb_vm_serialize(vm);
	list_for_each_entry(va, &vm->va_list, vm_link) {
		if (s->nva == MAX_SNAP)
			break;
		s->va[s->nva].addr = va->addr;
		s->va[s->nva].range = va->range;
		s->va[s->nva].offset = va->offset;
		s->va[s->nva].bo = va->bo;
		s->nva++;
	}
	gvb_pt_for_each_leaf(&vm->pt, snap_leaf, s);
	/*
	 * A resv's fence-slot array stays once reserved, even when the op that
	 * reserved it fails later, as dma_resv_reserve_fences() keeps its list
	 * upstream: it belongs to the resv, not to the op, so it is not counted.
	 */
	s->live = compat_alloc_live() - vm->pt.cache_count - !!vm->fences.slots;
	gvb_vm_unserialize(vm);
	for (i = 0; i < nbo; i++)
		s->live -= !!bos[i]->fences.slots;
	for (i = 0; i < nbo; i++) {
		struct gvb_vm_bo *vm_bo;

		gvb_bo_lock_lists(bos[i]);
		list_for_each_entry(vm_bo, &bos[i]->gpuva.list, bo_link)
			s->vm_bos++;
		gvb_bo_unlock_lists(bos[i]);
	}
}

enum op_kind { MAP, UNMAP };

struct fault_op {
	const char *name;
	enum op_kind kind;
	unsigned int bo;
	u64 addr, range, offset;
};

/* Run in order; each starts from the state the previous ones left. */
static const struct fault_op fault_ops[] = {
	{ "map into an empty VM (tables, vm_bo)", MAP, 0, SZ_2M, 2 * SZ_2M, 0 },
	{ "map a second BO far away (new L1/L2/L3)", MAP, 1, 3 * SZ_1G + 5 * GVB_PAGE, 7 * GVB_PAGE, 0 },
	{ "map over the middle of a 2M block (remap, split)", MAP, 1, SZ_2M + 8 * GVB_PAGE,
	  4 * GVB_PAGE, 16 * GVB_PAGE },
	{ "unmap a hole in the other block (split)", UNMAP, 0, 3 * SZ_2M + 64 * GVB_PAGE,
	  3 * GVB_PAGE, 0 },
	{ "map spanning several VAs", MAP, 2, SZ_2M, 2 * SZ_2M, 0 },
	{ "unmap everything", UNMAP, 0, 0, 4ULL * SZ_1G, 0 },
};

static void run_strategy(const struct gvb_strategy_ops *ops)
{
	struct gvb_bo *bos[3];
	struct gvb_vm *vm;
	unsigned int i, j, n;
	long start_live = compat_alloc_live();

	vm = gvb_vm_create(ops, &gvb_pt_arm_lpae_s1, 0, 4ULL * SZ_1G, 0);
	CHECK_OR_RETURN(vm, , "vm create");
	for (i = 0; i < ARRAY_SIZE(bos); i++) {
		bos[i] = gvb_bo_create(ops, 8 * SZ_2M, NULL);
		CHECK_OR_RETURN(bos[i], , "bo create");
	}

	for (j = 0; j < ARRAY_SIZE(fault_ops); j++) {
		const struct fault_op *f = &fault_ops[j];
		unsigned int failures = 0;

		for (n = 1; n < 100; n++) {
			struct snap before, after;
			int ret;

			take_snap(vm, bos, ARRAY_SIZE(bos), &before);
			/* Start each attempt with an empty cache so tables must be allocated. */
			gvb_vm_serialize(vm);
			while (vm->pt.cache_count) {
				void *p = vm->pt.cache;

				vm->pt.cache = *(void **)p;
				vm->pt.cache_count--;
				gvb_pt_page_free(p);
			}
			gvb_vm_unserialize(vm);
			compat_fail_nth(n);
			if (f->kind == MAP)
				ret = gvb_vm_map(vm, bos[f->bo], f->addr, f->range, f->offset,
						 GVB_PROT_RW);
			else
				ret = gvb_vm_unmap(vm, f->addr, f->range);
			compat_fail_nth(0);
			if (!ret)
				break;
			failures++;
			CHECK(ret == -ENOMEM, "%s: %s: alloc %u: ret %d", ops->name, f->name, n, ret);
			gvb_vm_drain_deferred(vm);
			take_snap(vm, bos, ARRAY_SIZE(bos), &after);
			CHECK(!memcmp(&before, &after, sizeof(before)),
			      "%s: %s: failing alloc %u changed the state (vas %u->%u, leaves %u->%u, live %ld->%ld, vm_bos %u->%u)",
			      ops->name, f->name, n, before.nva, after.nva, before.nleaf, after.nleaf,
			      before.live, after.live, before.vm_bos, after.vm_bos);
		}
		CHECK(n < 100, "%s: %s never succeeded", ops->name, f->name);
		CHECK(failures > 0, "%s: %s: no allocation site was hit", ops->name, f->name);
		gvb_vm_drain_deferred(vm);
		gvb_vm_serialize(vm);
		CHECK(gvb_vm_check(vm) == 0 && gvb_vm_check_pt(vm) == 0, "%s: %s: invariants",
		      ops->name, f->name);
		gvb_vm_unserialize(vm);
		printf("%-15s %-50s %u allocation sites\n", ops->name, f->name, failures);
	}

	gvb_vm_destroy(vm);
	for (i = 0; i < ARRAY_SIZE(bos); i++)
		gvb_bo_put(bos[i]);
	CHECK(compat_alloc_live() == start_live, "%s: leaked %ld", ops->name,
	      compat_alloc_live() - start_live);
}

/* Object creation fails cleanly at each of its allocations too. */
static void run_create(void)
{
	long live = compat_alloc_live();
	unsigned int n;

	for (n = 1; n < 10; n++) {
		struct gvb_vm *vm;

		compat_fail_nth(n);
		vm = gvb_vm_create(&gvb_strategy_resv, &gvb_pt_arm_lpae_s1, 0, SZ_1G, 0);
		compat_fail_nth(0);
		if (vm) {
			gvb_vm_destroy(vm);
			break;
		}
		CHECK(compat_alloc_live() == live, "vm create: alloc %u failing leaked", n);
	}
	CHECK(n > 1 && n < 10, "vm create: %u", n);
	compat_fail_nth(1);
	CHECK(gvb_bo_create(&gvb_strategy_resv, SZ_2M, NULL) == NULL, "bo create must fail");
	compat_fail_nth(0);
	CHECK(compat_alloc_live() == live, "creation leaked");
}

int main(void)
{
	const struct gvb_strategy_ops *const *s;

	if (gvb_core_init())
		return 2;
	run_create();
	for (s = gvb_strategies; *s; s++)
		if (!((*s)->flags & GVB_STRATEGY_BROKEN))
			run_strategy(*s);
	gvb_core_exit();
	compat_wq_shutdown();
	CHECK(compat_alloc_live() == 0, "%ld allocations live at exit", compat_alloc_live());
	return gvb_test_done("test_faults");
}
