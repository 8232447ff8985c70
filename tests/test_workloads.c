// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Every workload under every strategy but the negative control, the way
 * the runner drives them: gvb_wl_init(), one pthread per workload thread
 * released together, a few batches of batch_prepare / run / drain /
 * batch_finish each, then gvb_wl_fini(). After the batches every VM must
 * pass the invariant and page-table checks and hold what the workload
 * says it holds; after fini nothing may be left allocated and no warning
 * may have fired.
 *
 * Also: fence-path allocates nothing in run(), parameters out of range are
 * rejected, and every allocation failure in init or run is either
 * reported as -ENOMEM with nothing leaked or absorbed.
 */
#include <pthread.h>
#include <time.h>

#include "gvb_workload.h"
#include "gvb_test.h"

#define BATCHES		3
#define BATCH_OPS	200

static bool is(const struct gvb_workload *w, const char *name)
{
	return !strcmp(w->name, name);
}

/* Small versions of each workload's parameters, so the whole matrix runs in seconds. */
static void small_params(const struct gvb_workload *w, struct gvb_wl_params *p,
			 unsigned int threads, bool defer_async)
{
	memset(p, 0, sizeof(*p));
	p->threads = threads;
	p->defer_async = defer_async;
	p->seed = 42;
	if (is(w, "sparse"))
		p->count = 2000;
	else if (is(w, "bind-many") || is(w, "remap-split"))
		p->count = 16;
	else if (is(w, "evict-walk"))
		p->count = 4;
	else if (is(w, "sparse-bind"))
		p->count = 7;	/* several unmaps of the whole range per batch */
}

/* What a thread's VM holds between batches, by the workload's own description. */
static unsigned long resident_vas(const struct gvb_wl *wl, const struct gvb_wl_thread *t)
{
	if (is(wl->w, "sparse-bind"))
		return t->iter % wl->p.count;	/* pages bound since the last unmap */
	if (is(wl->w, "remap-split"))
		return 1;
	if (is(wl->w, "sparse") || is(wl->w, "evict-walk"))
		return wl->p.count;
	return 0;
}

struct worker {
	pthread_t thread;
	struct gvb_wl_thread *t;
	pthread_barrier_t *start;
	int ret;
};

/* One runner thread: batches as the runner runs them, stopping at the first error. */
static int run_batches(struct gvb_wl_thread *t, unsigned int batches, u64 n)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < batches && !ret; i++) {
		struct gvb_wl_batch b = { .n = n };

		ret = gvb_wl_run_batch(t, &b);
	}
	return ret;
}

static void *worker_fn(void *arg)
{
	struct worker *wk = arg;

	pthread_barrier_wait(wk->start);
	wk->ret = run_batches(wk->t, BATCHES, BATCH_OPS);
	return NULL;
}

static void check_bo(struct gvb_bo *bo, const char *name, unsigned int want_vm_bos)
{
	struct gvb_vm_bo *vm_bo;
	unsigned int n = 0;

	CHECK(gvb_bo_check(bo) == 0, "%s: bo check", name);
	gvb_bo_lock_lists(bo);
	list_for_each_entry(vm_bo, &bo->gpuva.list, bo_link)
		n++;
	gvb_bo_unlock_lists(bo);
	CHECK(n == want_vm_bos, "%s: shared BO has %u vm_bos, want %u", name, n, want_vm_bos);
}

static void run_case(const struct gvb_workload *w, const struct gvb_strategy_ops *ops,
		     unsigned int threads, bool defer_async)
{
	long live = compat_alloc_live();
	unsigned long warns = compat_warn_count();
	struct gvb_wl_params p;
	struct worker *wk;
	pthread_barrier_t start;
	struct gvb_wl wl;
	char name[96];
	unsigned int i;
	int ret;

	small_params(w, &p, threads, defer_async);
	snprintf(name, sizeof(name), "%s/%s/t%u%s", w->name, ops->name, threads,
		 defer_async ? "/async" : "");
	ret = gvb_wl_init(&wl, w, ops, &p);
	CHECK_OR_RETURN(ret == 0, , "%s: init %d", name, ret);
	CHECK(wl.p.threads == threads, "%s: %u threads", name, wl.p.threads);

	wk = calloc(threads, sizeof(*wk));
	pthread_barrier_init(&start, NULL, threads);
	for (i = 0; i < threads; i++) {
		wk[i].t = &wl.threads[i];
		wk[i].start = &start;
		pthread_create(&wk[i].thread, NULL, worker_fn, &wk[i]);
	}
	for (i = 0; i < threads; i++) {
		pthread_join(wk[i].thread, NULL);
		CHECK(wk[i].ret == 0, "%s: thread %u returned %d", name, i, wk[i].ret);
	}
	pthread_barrier_destroy(&start);
	free(wk);

	for (i = 0; i < threads; i++) {
		struct gvb_wl_thread *t = &wl.threads[i];
		struct gvb_vm *vm = t->vm;

		if (!vm)
			continue;
		gvb_vm_serialize(vm);
		CHECK(gvb_vm_check(vm) == 0, "%s: thread %u vm check", name, i);
		CHECK(gvb_vm_check_pt(vm) == 0, "%s: thread %u page-table check", name, i);
		CHECK(vm->tree.count == resident_vas(&wl, t),
		      "%s: thread %u holds %lu VAs, want %lu", name, i, vm->tree.count,
		      resident_vas(&wl, t));
		/* Every op of every workload with a VM has at least one map step. */
		CHECK(vm->stats.map_steps >= BATCHES * BATCH_OPS, "%s: thread %u: %llu map steps",
		      name, i, (unsigned long long)vm->stats.map_steps);
		gvb_vm_unserialize(vm);
		CHECK(llist_empty(&vm->defer_list), "%s: thread %u: deferred work left after drain",
		      name, i);
	}
	if (wl.shared_bo)
		check_bo(wl.shared_bo, name, 0);
	if (is(w, "evict-walk")) {
		struct gvb_bo **bos = wl.priv;

		/* Each mapper keeps a resident mapping, so one vm_bo per mapper VM. */
		for (i = 0; i < wl.p.count; i++)
			check_bo(bos[i], name, threads - 1);
	}

	gvb_wl_fini(&wl);
	CHECK(wl.threads == NULL, "%s: fini", name);
	CHECK(compat_alloc_live() == live, "%s: %ld allocations leaked", name,
	      compat_alloc_live() - live);
	CHECK(compat_warn_count() == warns, "%s: %lu warnings", name,
	      compat_warn_count() - warns);
}

/* fence-path's promise: the timed run() allocates nothing, prepare does it all. */
static void test_fence_path_no_alloc(const struct gvb_strategy_ops *ops, u64 size,
				     bool defer_async)
{
	const struct gvb_workload *w = gvb_workload_find("fence-path");
	struct gvb_wl_params p = { .threads = 1, .size = size, .defer_async = defer_async };
	long live = compat_alloc_live();
	unsigned long warns = compat_warn_count();
	struct gvb_wl_thread *t;
	struct gvb_wl wl;
	unsigned int b;
	int ret;

	ret = gvb_wl_init(&wl, w, ops, &p);
	CHECK_OR_RETURN(ret == 0, , "fence-path/%s: init %d", ops->name, ret);
	t = &wl.threads[0];
	for (b = 0; b < 4; b++) {
		unsigned long allocs, fallbacks = t->vm->pt.stats.alloc_fallbacks;
		u64 n = b == 0 ? 1 : 200;

		CHECK(w->batch_prepare(t, n) == 0, "fence-path/%s: prepare", ops->name);
		allocs = compat_alloc_count();
		ret = gvb_wl_run(t, n);
		CHECK(ret == 0, "fence-path/%s: run %d", ops->name, ret);
		/* Staged commits run drm_exec, which allocates as upstream's does. */
		CHECK(!(ops->flags & GVB_STRATEGY_IMMEDIATE) || compat_alloc_count() == allocs,
		      "fence-path/%s size %llu: %lu allocations in run()", ops->name,
		      (unsigned long long)size, compat_alloc_count() - allocs);
		CHECK(t->vm->pt.stats.alloc_fallbacks == fallbacks,
		      "fence-path/%s: page-table allocation fallbacks", ops->name);
		gvb_wl_drain(t);
		/* A run longer than what was prepared is refused, not allocated for. */
		CHECK(gvb_wl_run(t, 1) == -EINVAL, "fence-path/%s: unprepared run", ops->name);
		w->batch_finish(t);
	}
	/* Prepared and never run: batch_finish (here: fini) frees it all. */
	CHECK(w->batch_prepare(t, 10) == 0, "fence-path/%s: prepare", ops->name);
	gvb_wl_fini(&wl);
	CHECK(compat_alloc_live() == live, "fence-path/%s: %ld allocations leaked", ops->name,
	      compat_alloc_live() - live);
	CHECK(compat_warn_count() == warns, "fence-path/%s: warnings", ops->name);
}

static void expect_rejected(const struct gvb_workload *w, const struct gvb_wl_params *p,
			    const char *what)
{
	long live = compat_alloc_live();
	struct gvb_wl wl;
	int ret = gvb_wl_init(&wl, w, &gvb_strategy_resv, p);

	CHECK(ret == -EINVAL, "%s: %s accepted (%d)", w->name, what, ret);
	if (!ret)
		gvb_wl_fini(&wl);
	CHECK(wl.threads == NULL, "%s: %s left threads", w->name, what);
	CHECK(compat_alloc_live() == live, "%s: %s leaked", w->name, what);
}

static void test_params(const struct gvb_workload *w)
{
	struct gvb_wl_params p;
	struct gvb_wl wl;
	int ret;

	small_params(w, &p, 65, false);
	expect_rejected(w, &p, "65 threads");
	small_params(w, &p, 1, false);
	p.size = SZ_4K + 1;
	expect_rejected(w, &p, "unaligned size");
	p.size = GVB_WL_MAX_SIZE + SZ_4K;
	expect_rejected(w, &p, "size over 1 GiB");
	small_params(w, &p, 1, false);
	p.count = GVB_WL_MAX_COUNT + 1;
	expect_rejected(w, &p, "count over the maximum");
	small_params(w, &p, 1, false);
	p.flush_ns = GVB_WL_MAX_FLUSH_NS + 1;
	expect_rejected(w, &p, "flush cost over the maximum");

	/* Limits of each workload's own. */
	small_params(w, &p, 1, false);
	if (is(w, "sparse")) {
		p.count = (1 << 20) + 1;
		expect_rejected(w, &p, "more than 1M mappings");
		p.count = 1 << 20;
		p.size = SZ_64K;
		expect_rejected(w, &p, "a BO over 4 GiB");
	} else if (is(w, "remap-split")) {
		p.count = 2;
		expect_rejected(w, &p, "no middle piece");
		p.count = 4096;
		p.size = SZ_2M;
		expect_rejected(w, &p, "a BO over 4 GiB");
	} else if (is(w, "bind-many")) {
		p.count = GVB_WL_MAX_COUNT;
		p.size = SZ_1G;
		expect_rejected(w, &p, "a range beyond 48 bits");
	} else if (is(w, "evict-walk")) {
		p.count = 4097;
		expect_rejected(w, &p, "more than 4096 BOs");
	}

	/* threads 0 means the workload's default (1 where it names none). */
	small_params(w, &p, 0, false);
	ret = gvb_wl_init(&wl, w, &gvb_strategy_gpuva, &p);
	CHECK(ret == 0, "%s: default threads: %d", w->name, ret);
	if (!ret) {
		unsigned int want = w->defaults.threads ? w->defaults.threads : 1;

		CHECK(wl.p.threads == want, "%s: %u threads, want %u", w->name, wl.p.threads,
		      want);
		gvb_wl_fini(&wl);
	}

	/* Every default as shipped (sparse: 100k mappings) sets up, runs and tears down. */
	ret = gvb_wl_init(&wl, w, &gvb_strategy_gpuva, NULL);
	CHECK(ret == 0, "%s: all defaults: %d", w->name, ret);
	if (!ret) {
		unsigned int i;

		for (i = 0; i < wl.p.threads; i++)
			CHECK(run_batches(&wl.threads[i], 1, 5) == 0, "%s: defaults, thread %u",
			      w->name, i);
		gvb_wl_fini(&wl);
	}
	CHECK(w->desc && w->op_desc && w->run, "%s: desc, op_desc and run are set", w->name);
	CHECK(!(w->flags & GVB_WL_MAIN) == (is(w, "sparse") || is(w, "fence-path") ||
					    is(w, "empty") || is(w, "lock-pair")),
	      "%s: in the default sweep or not as planned", w->name);
}

/*
 * Allocation failures: the kth allocation of init, or of a run, fails. Init
 * must return -ENOMEM and leave nothing; a run returns 0 or -ENOMEM and
 * leaves every VM consistent; fini then frees everything. Single-threaded,
 * so "the kth allocation" is well defined.
 */
static void test_faults(const struct gvb_workload *w, const struct gvb_strategy_ops *ops)
{
	unsigned long warns = compat_warn_count();
	struct gvb_wl_params p;
	unsigned long k, init_points = 0, run_points = 0;
	bool init_done = false, run_done = false;
	struct gvb_wl wl;
	unsigned int i;
	int ret;

	small_params(w, &p, 2, false);
	if (is(w, "sparse"))
		p.count = 40;
	for (k = 1; !init_done && k < 100000; k++) {
		unsigned long failed = compat_alloc_failed();
		long live = compat_alloc_live();

		compat_fail_nth(k);
		ret = gvb_wl_init(&wl, w, ops, &p);
		/* Done once init makes fewer than k allocations. */
		init_done = compat_alloc_failed() == failed;
		compat_fail_nth(0);
		if (ret) {
			CHECK(ret == -ENOMEM, "%s/%s: init fault %lu: %d", w->name, ops->name, k,
			      ret);
			CHECK(compat_alloc_live() == live, "%s/%s: init fault %lu leaked %ld",
			      w->name, ops->name, k, compat_alloc_live() - live);
			init_points++;
		} else {
			gvb_wl_fini(&wl);
		}
	}
	for (k = 1; !run_done && k < 100000; k++) {
		long live = compat_alloc_live();
		unsigned long failed;

		ret = gvb_wl_init(&wl, w, ops, &p);
		CHECK_OR_RETURN(ret == 0, , "%s/%s: init %d", w->name, ops->name, ret);
		failed = compat_alloc_failed();
		compat_fail_nth(k);
		for (i = 0; i < wl.p.threads; i++) {
			ret = run_batches(&wl.threads[i], 2, 3);
			CHECK(ret == 0 || ret == -ENOMEM, "%s/%s: run fault %lu: %d", w->name,
			      ops->name, k, ret);
		}
		run_done = compat_alloc_failed() == failed;
		compat_fail_nth(0);
		run_points += !run_done;
		for (i = 0; i < wl.p.threads; i++) {
			struct gvb_vm *vm = wl.threads[i].vm;

			if (!vm)
				continue;
			gvb_vm_serialize(vm);
			CHECK(gvb_vm_check(vm) == 0 && gvb_vm_check_pt(vm) == 0,
			      "%s/%s: run fault %lu: vm check", w->name, ops->name, k);
			gvb_vm_unserialize(vm);
		}
		gvb_wl_fini(&wl);
		CHECK(compat_alloc_live() == live, "%s/%s: run fault %lu leaked %ld", w->name,
		      ops->name, k, compat_alloc_live() - live);
	}
	CHECK(init_done && run_done, "%s/%s: fault sweep did not finish", w->name, ops->name);
	CHECK(compat_warn_count() == warns, "%s/%s: warnings under faults", w->name, ops->name);
	printf("  faults %-12s %-15s %5lu init points, %5lu run points\n", w->name, ops->name,
	       init_points, run_points);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void)
{
	static const unsigned int thread_counts[] = { 1, 2, 3, 4 };
	const struct gvb_workload *const *w;
	const struct gvb_strategy_ops *const *s;
	long live0 = compat_alloc_live();
	unsigned long warns0 = compat_warn_count(), cases = 0;
	double t0 = now_s();
	unsigned int i;

	if (gvb_core_init())
		return 2;

	for (w = gvb_workloads; *w; w++) {
		for (s = gvb_strategies; *s; s++) {
			if ((*s)->flags & GVB_STRATEGY_BROKEN)
				continue;
			for (i = 0; i < ARRAY_SIZE(thread_counts); i++) {
				run_case(*w, *s, thread_counts[i], false);
				cases++;
				if ((*s)->deferred_cleanup) {
					run_case(*w, *s, thread_counts[i], true);
					cases++;
				}
			}
		}
		test_params(*w);
	}
	printf("  %lu workload cases in %.2f s\n", cases, now_s() - t0);

	for (s = gvb_strategies; *s; s++) {
		if ((*s)->flags & GVB_STRATEGY_BROKEN)
			continue;
		test_fence_path_no_alloc(*s, SZ_4K, false);
		test_fence_path_no_alloc(*s, SZ_64K, false);
		test_fence_path_no_alloc(*s, SZ_2M, false);
		if ((*s)->deferred_cleanup)
			test_fence_path_no_alloc(*s, SZ_4K, true);
	}
	/* Beyond GVB_PT_CACHE_MAX pages per op: the op's own reserve must cover it. */
	test_fence_path_no_alloc(&gvb_strategy_gpuva, 128ULL << 20, false);

	for (w = gvb_workloads; *w; w++) {
		test_faults(*w, &gvb_strategy_resv);
		test_faults(*w, &gvb_strategy_gpuva_deferred);
	}

	gvb_core_exit();
	compat_wq_shutdown();
	CHECK(compat_alloc_live() == live0, "%ld allocations live at exit",
	      compat_alloc_live() - live0);
	CHECK(compat_warn_count() == warns0, "%lu warnings in all", compat_warn_count() - warns0);
	printf("  total %.2f s\n", now_s() - t0);
	return gvb_test_done("test_workloads");
}
