// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * gvb-demo: a short run of every strategy on the map-unmap path, as a smoke
 * check of the core until the real runner (gvbench) exists. It prints
 * ns/op from one timed batch per strategy; these are not benchmark
 * results: no interleaving, no repetitions, no statistics.
 */
#include "gvb_strategy.h"

#define OPS	200000

int main(void)
{
	const struct gvb_strategy_ops *const *s;

	if (gvb_core_init())
		return 1;
	printf("gvb-demo: map+unmap of one 4 KiB page, one thread, %d ops per strategy\n", OPS);
	printf("(a smoke run, not a measurement: use the benchmark for numbers)\n");
	for (s = gvb_strategies; *s; s++) {
		const struct gvb_strategy_ops *ops = *s;
		struct gvb_vm *vm;
		struct gvb_bo *bo;
		u64 t0, t1;
		int i, ret = 0;

		if (ops->flags & GVB_STRATEGY_BROKEN)
			continue;
		vm = gvb_vm_create(ops, &gvb_pt_arm_lpae_s1, 0, SZ_1G, 0);
		bo = gvb_bo_create(ops, SZ_2M, NULL);
		if (!vm || !bo)
			return 1;
		t0 = ktime_get_ns();
		for (i = 0; i < OPS && !ret; i++) {
			ret = gvb_vm_map(vm, bo, SZ_2M, GVB_PAGE, 0, GVB_PROT_RW);
			if (!ret)
				ret = gvb_vm_unmap(vm, SZ_2M, GVB_PAGE);
			if ((i & 1023) == 0)
				gvb_vm_drain_deferred(vm);
		}
		gvb_vm_drain_deferred(vm);
		t1 = ktime_get_ns();
		if (ret) {
			fprintf(stderr, "gvb-demo: %s: map/unmap failed: %d\n", ops->name, ret);
			return 1;
		}
		printf("  %-15s %7.1f ns per map+unmap   %s\n", ops->name,
		       (double)(t1 - t0) / OPS, ops->desc);
		gvb_vm_destroy(vm);
		gvb_bo_put(bo);
	}
	gvb_core_exit();
	compat_wq_shutdown();
	return 0;
}
