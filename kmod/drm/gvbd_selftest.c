// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The engine's KTAP self-test (kernel log; debugfs gvbench_drm/selftest
 * runs it again and prints the summary): for every strategy this kernel
 * runs, the VA tree, the steps drm_gpuvm emits, the page tables behind
 * every VA, vm_bo sharing and lifetime. Strategies the kernel lacks are
 * reported as skipped, with the reason.
 */
#define pr_fmt(fmt) "gvbench_drm: " fmt

#include <linux/module.h>

#include "gvbd.h"
#include "gvb_strategy.h"

struct gvbd_st {
	unsigned int n, passed, failed;
	const char *fail;		/* the first failed check of the current case */
};

#define ST_CHECK(st, cond)						\
	do {								\
		if (!(cond) && !(st)->fail)				\
			(st)->fail = #cond;				\
	} while (0)

static void gvbd_st_result(struct gvbd_st *st, const char *name, const char *skip)
{
	st->n++;
	if (skip) {
		pr_info("    ok %u %s # SKIP %s\n", st->n, name, skip);
		st->passed++;
	} else if (st->fail) {
		pr_info("    # %s: failed: %s\n", name, st->fail);
		pr_info("    not ok %u %s\n", st->n, name);
		st->failed++;
	} else {
		pr_info("    ok %u %s\n", st->n, name);
		st->passed++;
	}
	st->fail = NULL;
}

/*
 * Tree and steps: three maps side by side, one in the middle of the
 * second (a remap with prev and next), an unmap across all of them.
 */
static void gvbd_st_steps(struct gvbd_st *st, enum gvbd_mode mode)
{
	struct gvbd_vm *vm = gvbd_vm_create(mode, NULL, SZ_1G, 0, false);
	struct gvbd_bo *bo = gvbd_bo_create(SZ_16M);
	u64 vm_bos = atomic64_read(&gvbd_live_vm_bos);

	ST_CHECK(st, vm && bo);
	if (!vm || !bo)
		goto out;
	/* Empty tables are freed at unmap (xe's policy), so none outlive the mappings. */
	vm->pt.reclaim = true;
	ST_CHECK(st, !gvbd_map(vm, bo, SZ_1M, SZ_64K, 0));
	ST_CHECK(st, !gvbd_map(vm, bo, SZ_1M + SZ_64K, SZ_64K, SZ_64K));
	ST_CHECK(st, !gvbd_map(vm, bo, SZ_1M + 2 * SZ_64K, SZ_64K, 2 * SZ_64K));
	ST_CHECK(st, vm->stats.vm.map_steps == 3 && vm->stats.vas == 3);
	/* One vm_bo for the pair, whatever the number of VAs. */
	ST_CHECK(st, atomic64_read(&gvbd_live_vm_bos) == vm_bos + 1);
	ST_CHECK(st, !gvbd_map(vm, bo, SZ_1M + SZ_64K + SZ_16K, SZ_4K, SZ_8M));
	ST_CHECK(st, vm->stats.vm.remap_steps == 1 && vm->stats.vm.map_steps == 4);
	ST_CHECK(st, vm->stats.vas == 5);
	ST_CHECK(st, !gvbd_vm_check(vm));
	/* A 2M mapping takes a block; unmapping 4K of it splits the block. */
	ST_CHECK(st, !gvbd_map(vm, bo, SZ_2M * 4, SZ_2M, SZ_2M));
	ST_CHECK(st, vm->pt.stats.blocks >= 1);
	ST_CHECK(st, !gvbd_unmap(vm, SZ_2M * 4 + SZ_4K, SZ_4K));
	ST_CHECK(st, !gvbd_vm_check(vm));
	ST_CHECK(st, !gvbd_unmap(vm, 0, SZ_1G));
	gvbd_vm_drain(vm);
	ST_CHECK(st, vm->stats.vas == 0 && !gvbd_vm_check(vm));
	ST_CHECK(st, vm->pt.stats.tables_live <= 1);
	ST_CHECK(st, atomic64_read(&gvbd_live_vm_bos) == vm_bos);
	ST_CHECK(st, vm->stats.vm.vm_bo_created == vm->stats.vm.vm_bo_destroyed);
	/* Bad ranges are refused before drm_gpuvm sees them. */
	ST_CHECK(st, gvbd_map(vm, bo, SZ_4K + 1, SZ_4K, 0) == -EINVAL);
	ST_CHECK(st, gvbd_map(vm, bo, 0, SZ_32M, 0) == -EINVAL);
	ST_CHECK(st, gvbd_unmap(vm, SZ_1G, SZ_4K) == -EINVAL);
out:
	gvbd_vm_destroy(vm);
	gvbd_bo_put(bo);
}

/* One BO in two VMs: a vm_bo each; the BO outlives its creator's reference. */
static void gvbd_st_shared(struct gvbd_st *st, enum gvbd_mode mode)
{
	struct gvbd_vm *a = gvbd_vm_create(mode, NULL, SZ_1G, 0, false);
	struct gvbd_vm *b = gvbd_vm_create(mode, NULL, SZ_1G, 0, false);
	struct gvbd_bo *bo = gvbd_bo_create(SZ_64K);
	u64 vm_bos = atomic64_read(&gvbd_live_vm_bos);
	unsigned int refs;

	ST_CHECK(st, a && b && bo);
	if (!a || !b || !bo) {
		gvbd_bo_put(bo);
		goto out;
	}
	refs = kref_read(&bo->base.refcount);
	ST_CHECK(st, !gvbd_map(a, bo, 0, SZ_64K, 0));
	ST_CHECK(st, !gvbd_map(b, bo, SZ_64K, SZ_64K, 0));
	ST_CHECK(st, atomic64_read(&gvbd_live_vm_bos) == vm_bos + 2);
	ST_CHECK(st, kref_read(&bo->base.refcount) == refs + 2);
	/* Our reference goes: the two vm_bos keep the BO alive. */
	gvbd_bo_put(bo);
	ST_CHECK(st, !gvbd_vm_check(a) && !gvbd_vm_check(b));
	ST_CHECK(st, !gvbd_unmap(a, 0, SZ_1G));
	gvbd_vm_drain(a);
	ST_CHECK(st, atomic64_read(&gvbd_live_vm_bos) == vm_bos + 1);
	/* The last unmap frees the BO through its last vm_bo. */
	ST_CHECK(st, !gvbd_unmap(b, 0, SZ_1G));
	gvbd_vm_drain(b);
	ST_CHECK(st, atomic64_read(&gvbd_live_vm_bos) == vm_bos);
out:
	gvbd_vm_destroy(a);
	gvbd_vm_destroy(b);
}

/* Destroying a VM with live mappings frees its vm_bos (and their BO refs). */
static void gvbd_st_teardown(struct gvbd_st *st, enum gvbd_mode mode)
{
	struct gvbd_vm *vm = gvbd_vm_create(mode, NULL, SZ_1G, 0, false);
	struct gvbd_bo *bo = gvbd_bo_create(SZ_1M);
	u64 vm_bos = atomic64_read(&gvbd_live_vm_bos);
	unsigned int refs, i;

	ST_CHECK(st, vm && bo);
	if (!vm || !bo)
		goto out;
	refs = kref_read(&bo->base.refcount);
	for (i = 0; i < 16; i++)
		ST_CHECK(st, !gvbd_map(vm, bo, i * SZ_64K, SZ_64K, 0));
	gvbd_vm_destroy(vm);
	vm = NULL;
	ST_CHECK(st, atomic64_read(&gvbd_live_vm_bos) == vm_bos);
	ST_CHECK(st, kref_read(&bo->base.refcount) == refs);
out:
	gvbd_vm_destroy(vm);
	gvbd_bo_put(bo);
}

/* Eviction puts the vm_bo on its VM's evict list; validate takes it off. */
static void gvbd_st_evict(struct gvbd_st *st, enum gvbd_mode mode)
{
	struct gvbd_vm *vm = gvbd_vm_create(mode, NULL, SZ_1G, 0, false);
	struct gvbd_bo *bo = gvbd_bo_create(SZ_64K);

	ST_CHECK(st, vm && bo);
	if (!vm || !bo)
		goto out;
	ST_CHECK(st, !gvbd_map(vm, bo, 0, SZ_64K, 0));
	ST_CHECK(st, list_empty(&vm->base.evict.list));
	gvbd_bo_evict(mode, bo);
	ST_CHECK(st, !list_empty(&vm->base.evict.list));
	ST_CHECK(st, !gvbd_vm_revalidate(vm));
	ST_CHECK(st, list_empty(&vm->base.evict.list));
	ST_CHECK(st, !gvbd_unmap(vm, 0, SZ_64K));
out:
	gvbd_vm_destroy(vm);
	gvbd_bo_put(bo);
}

static const struct {
	const char *name;
	void (*fn)(struct gvbd_st *st, enum gvbd_mode mode);
} gvbd_st_cases[] = {
	{ "tree_steps_pagetables", gvbd_st_steps },
	{ "shared_bo_lifetime", gvbd_st_shared },
	{ "teardown_with_mappings", gvbd_st_teardown },
	{ "evict_revalidate", gvbd_st_evict },
};

int gvbd_selftest_run(unsigned int *passed)
{
	static const char *const names[] = { "resv", "resv+gpuva", "gpuva", "gpuva+deferred" };
	struct gvbd_st st = {};
	unsigned int s, c;
	char name[64];

	pr_info("KTAP version 1\n");
	pr_info("1..1\n");
	pr_info("    KTAP version 1\n");
	pr_info("    # Subtest: gvbench_drm\n");
	pr_info("    1..%zu\n", ARRAY_SIZE(names) * ARRAY_SIZE(gvbd_st_cases));
	for (s = 0; s < ARRAY_SIZE(names); s++) {
		const struct gvb_strategy_ops *ops = gvb_strategy_find(names[s]);
		enum gvbd_mode mode = GVBD_RESV;
		const char *why = "not registered in gvbench.ko";

		if (ops)
			gvbd_mode_of(ops, &mode, &why);
		for (c = 0; c < ARRAY_SIZE(gvbd_st_cases); c++) {
			snprintf(name, sizeof(name), "%s_%s", gvbd_st_cases[c].name, names[s]);
			if (!why)
				gvbd_st_cases[c].fn(&st, mode);
			gvbd_st_result(&st, name, why);
		}
	}
	pr_info("# gvbench_drm selftest: %u passed, %u failed\n", st.passed, st.failed);
	pr_info("%s 1 gvbench_drm\n", st.failed ? "not ok" : "ok");
	*passed = st.passed;
	return st.failed;
}
