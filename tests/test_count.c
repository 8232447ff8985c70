// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Lock accounting (core/gvb_count.h): the counting pass reports what each
 * strategy acquires per op, the acquisitions match the upstream call
 * sequences the strategy files name, the io-pgtable policy allocates no
 * table page per steady-state 4K map+unmap, and ops run with counting off
 * (the timed path) never write a counter.
 *
 * It prints the per-op table for map-unmap 4K, shared-bo and sparse-bind
 * with every strategy, so `ctest -V -R test_count` shows the numbers.
 */
#include <stdio.h>

#include "gvb_workload.h"
#include "gvb_test.h"

#define PASS_OPS	1000

static double per_op(const struct gvb_lock_counts *c, u64 v)
{
	return (double)v / (double)c->ops;
}

static void print_counts(const char *name, const struct gvb_lock_counts *c)
{
	unsigned int i;

	printf("%-34s", name);
	for (i = 0; i < GVB_LOCK_CLASSES; i++)
		printf(" %s=%.3f", gvb_lock_class_names[i], per_op(c, c->acquisitions[i]));
	printf(" pt_alloc=%.3f pt_free=%.3f pt_prealloc=%.3f\n", per_op(c, c->pt_pages_allocated),
	       per_op(c, c->pt_pages_freed), per_op(c, c->pt_pages_prealloc));
}

static int count(const char *wl_name, const struct gvb_strategy_ops *ops,
		 const struct gvb_wl_params *p, struct gvb_lock_counts *c)
{
	const struct gvb_workload *w = gvb_workload_find(wl_name);
	struct gvb_wl wl;
	char name[96];
	int ret;

	if (!w)
		return -ENOENT;
	ret = gvb_wl_init(&wl, w, ops, p);
	if (ret)
		return ret;
	ret = gvb_wl_count_pass(&wl, 0, PASS_OPS, c);
	gvb_wl_fini(&wl);
	snprintf(name, sizeof(name), "%s/%s%s%s%s", wl_name, ops->name,
		 p->bo_external ? "/external" : "", p->pt_reclaim ? "/reclaim" : "",
		 p->bind_sync ? "/sync" : "");
	print_counts(name, c);
	return ret;
}

/* count() == 0, as a check; CHECK_OR_RETURN would run the pass twice. */
static bool counted(const char *wl_name, const struct gvb_strategy_ops *ops,
		    const struct gvb_wl_params *p, struct gvb_lock_counts *c)
{
	int ret = count(wl_name, ops, p, c);

	CHECK(ret == 0, "%s/%s: count pass %d", wl_name, ops->name, ret);
	return ret == 0;
}

static u64 acq(const struct gvb_lock_counts *c, enum gvb_lock_class k)
{
	return c->acquisitions[k];
}

/* Per op of map-unmap 4K, from the sequences in each strategy file's header. */
static void test_map_unmap(void)
{
	struct gvb_wl_params p = { .threads = 1, .size = SZ_4K };
	struct gvb_lock_counts resv, rg, g, gd, ext, sync, recl;

	if (!counted("map-unmap", &gvb_strategy_resv, &p, &resv))
		return;
	if (!counted("map-unmap", &gvb_strategy_resv_gpuva, &p, &rg))
		return;
	if (!counted("map-unmap", &gvb_strategy_gpuva, &p, &g))
		return;
	if (!counted("map-unmap", &gvb_strategy_gpuva_deferred, &p, &gd))
		return;

	/* The question in review: exactly 3 more gpuva acquisitions, nothing else. */
	CHECK(acq(&resv, GVB_LOCK_GPUVA) == 0, "resv takes no gpuva mutex");
	CHECK(acq(&rg, GVB_LOCK_GPUVA) == 3 * PASS_OPS, "resv+gpuva: %llu gpuva per %d ops",
	      (unsigned long long)acq(&rg, GVB_LOCK_GPUVA), PASS_OPS);
	for (unsigned int k = 0; k < GVB_LOCK_CLASSES; k++)
		CHECK(k == GVB_LOCK_GPUVA || acq(&rg, k) == acq(&resv, k),
		      "resv+gpuva differs from resv in %s", gvb_lock_class_names[k]);
	/* Two drm_exec transactions per op, VM resv only: the BO is VM-private. */
	CHECK(acq(&resv, GVB_LOCK_WW_ACQUIRE) == 2 * PASS_OPS);
	CHECK(acq(&resv, GVB_LOCK_VM_RESV) == 2 * PASS_OPS && acq(&resv, GVB_LOCK_BO_RESV) == 0);
	CHECK(acq(&resv, GVB_LOCK_OP_LOCK) == 0);

	/*
	 * Immediate mode (panthor 6.18): obtain_prealloc, link, unlink, and
	 * the unmap's cleanup put under the VM resv and gpuva mutex; op_lock
	 * per bind.
	 */
	CHECK(acq(&g, GVB_LOCK_GPUVA) == 4 * PASS_OPS, "gpuva: %llu gpuva",
	      (unsigned long long)acq(&g, GVB_LOCK_GPUVA));
	CHECK(acq(&g, GVB_LOCK_OP_LOCK) == 2 * PASS_OPS);
	/* panthor's job path: prepare's VM resv for the map, drm_exec for both binds, the put. */
	CHECK(acq(&g, GVB_LOCK_VM_RESV) == 4 * PASS_OPS, "gpuva: %llu VM resv",
	      (unsigned long long)acq(&g, GVB_LOCK_VM_RESV));
	CHECK(acq(&g, GVB_LOCK_WW_ACQUIRE) == 2 * PASS_OPS);
	/* Deferred: the last put under kref_put_mutex, the VM resv once for the zombie. */
	CHECK(acq(&gd, GVB_LOCK_GPUVA) == 3 * PASS_OPS, "gpuva+deferred: %llu gpuva",
	      (unsigned long long)acq(&gd, GVB_LOCK_GPUVA));
	CHECK(acq(&gd, GVB_LOCK_VM_RESV) == 4 * PASS_OPS, "gpuva+deferred: %llu VM resv",
	      (unsigned long long)acq(&gd, GVB_LOCK_VM_RESV));

	/* io-pgtable policy: no table page per steady-state op, 3 bought and returned. */
	CHECK(resv.pt_pages_allocated == 0 && resv.pt_pages_freed == 0,
	      "%llu table pages allocated", (unsigned long long)resv.pt_pages_allocated);
	CHECK(g.pt_pages_allocated == 0 && gd.pt_pages_allocated == 0);
	/*
	 * Bought per op: 3 for the map (an L1, L2 and L3 table), 2 for the
	 * unmap of a 4K page at a 2M boundary (an L3 for the 2M block its end
	 * may cut, an L2 for the one 1G block both ends may cut: this model
	 * maps 1G blocks, panthor does not and buys 1).
	 */
	CHECK(resv.pt_pages_prealloc == 5 * PASS_OPS, "%llu pages bought",
	      (unsigned long long)resv.pt_pages_prealloc);

	/* The reclaiming policy allocates and frees the 3 tables of every op. */
	p.pt_reclaim = true;
	if (!counted("map-unmap", &gvb_strategy_resv, &p, &recl))
		return;
	CHECK(recl.pt_pages_allocated == 3 * PASS_OPS && recl.pt_pages_freed == 3 * PASS_OPS);
	p.pt_reclaim = false;

	/* An external BO: its own resv in every drm_exec, a vm_lists for extobj. */
	p.bo_external = true;
	if (!counted("map-unmap", &gvb_strategy_resv, &p, &ext))
		return;
	CHECK(acq(&ext, GVB_LOCK_BO_RESV) == 2 * PASS_OPS);
	if (!counted("map-unmap", &gvb_strategy_resv_gpuva, &p, &ext))
		return;
	CHECK(acq(&ext, GVB_LOCK_GPUVA) == 3 * PASS_OPS);
	p.bo_external = false;

	/* panthor's synchronous path: no drm_exec, the VM resv around obtain and the put. */
	p.bind_sync = true;
	if (!counted("map-unmap", &gvb_strategy_gpuva, &p, &sync))
		return;
	CHECK(acq(&sync, GVB_LOCK_WW_ACQUIRE) == 0 && acq(&sync, GVB_LOCK_VM_RESV) == 2 * PASS_OPS);
	CHECK(acq(&sync, GVB_LOCK_GPUVA) == 4 * PASS_OPS);
}

/* A vm_bo that exists already: resv+gpuva's obtain finds it under the resv alone. */
static void test_existing_vm_bo(void)
{
	struct gvb_wl_params p = { .threads = 1, .size = SZ_4K, .count = 64 };
	struct gvb_lock_counts resv, rg, g;

	if (!counted("sparse", &gvb_strategy_resv, &p, &resv))
		return;
	if (!counted("sparse", &gvb_strategy_resv_gpuva, &p, &rg))
		return;
	if (!counted("sparse", &gvb_strategy_gpuva, &p, &g))
		return;
	/* gpuva's cleanup put takes the VM resv and the mutex even when it is not the last. */
	CHECK(acq(&g, GVB_LOCK_GPUVA) == 4 * PASS_OPS && acq(&g, GVB_LOCK_VM_RESV) == 4 * PASS_OPS,
	      "existing vm_bo, gpuva: %llu gpuva, %llu VM resv",
	      (unsigned long long)acq(&g, GVB_LOCK_GPUVA),
	      (unsigned long long)acq(&g, GVB_LOCK_VM_RESV));
	CHECK(acq(&rg, GVB_LOCK_GPUVA) - acq(&resv, GVB_LOCK_GPUVA) == 2 * PASS_OPS,
	      "existing vm_bo: %llu extra gpuva",
	      (unsigned long long)(acq(&rg, GVB_LOCK_GPUVA) - acq(&resv, GVB_LOCK_GPUVA)));
	CHECK(resv.pt_pages_allocated == 0, "sparse: %llu tables",
	      (unsigned long long)resv.pt_pages_allocated);
}

static void test_all(void)
{
	static const char *const names[] = { "shared-bo", "sparse-bind", "vm-bo-churn" };
	const struct gvb_strategy_ops *const *s;
	struct gvb_lock_counts c;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		for (s = gvb_strategies; *s; s++) {
			struct gvb_wl_params p = { .threads = 1, .count = 100 };

			if ((*s)->flags & GVB_STRATEGY_BROKEN)
				continue;
			CHECK(count(names[i], *s, &p, &c) == 0, "%s/%s", names[i], (*s)->name);
		}
	}
}

/* With counting off, ops never touch the counters: the timed path's guarantee. */
static void test_off_untouched(void)
{
	const struct gvb_workload *w = gvb_workload_find("map-unmap");
	struct gvb_wl_params p = { .threads = 1, .size = SZ_4K };
	struct gvb_lock_counts c, zero;
	struct gvb_wl wl;

	int ret = gvb_wl_init(&wl, w, &gvb_strategy_resv_gpuva, &p);

	CHECK_OR_RETURN(ret == 0, );
	/* A pass that ended leaves its output alone afterwards. */
	CHECK(gvb_wl_count_pass(&wl, 0, 10, &c) == 0);
	zero = c;
	CHECK(gvb_wl_run(&wl.threads[0], 1000) == 0);
	gvb_wl_drain(&wl.threads[0]);
	CHECK(!memcmp(&c, &zero, sizeof(c)), "counters written with counting off");
	CHECK(gvb_wl_count_pass(&wl, 1, 10, &c) == -EINVAL, "thread out of range");
	CHECK(gvb_wl_count_pass(&wl, 0, 0, &c) == -EINVAL, "no ops");
	gvb_wl_fini(&wl);
}

int main(void)
{
	long live0 = compat_alloc_live();
	unsigned long warns0 = compat_warn_count();

	int ret = gvb_core_init();

	CHECK_OR_RETURN(ret == 0, 1);
	printf("# acquisitions and page-table pages per op, %d counted ops\n", PASS_OPS);
	test_map_unmap();
	test_existing_vm_bo();
	test_all();
	test_off_untouched();
	gvb_core_exit();
	CHECK(compat_warn_count() == warns0, "%lu warnings", compat_warn_count() - warns0);
	CHECK(compat_alloc_live() == live0, "%ld allocations leaked", compat_alloc_live() - live0);
	return gvb_test_done("test_count");
}
