// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Every non-broken strategy under multi-threaded mixed map/unmap over BOs
 * shared between VMs, with evictions, BO churn (the creator drops its
 * reference while mappings remain, so an unmap destroys the BO) and
 * invariant checks along the way. At the end everything must be freed.
 *
 * test_strategies --broken runs the negative control instead: it must be
 * caught (ASan reports the use-after-free; other builds see the warning for
 * a lock freed while held). It exits 0 only if nothing caught it.
 */
#include <pthread.h>
#include <time.h>

#include "gvb_strategy.h"
#include "gvb_test.h"

#define NTHREADS	4
#define NSHARED		6
#define WINDOW_PAGES	256
#define BO_PAGES	64

struct shared {
	const struct gvb_strategy_ops *ops;
	pthread_mutex_t pool_lock;
	struct gvb_bo *pool[NSHARED];	/* each slot holds the creator's reference */
	u64 deadline_ns;
	pthread_barrier_t start;
};

struct worker {
	pthread_t thread;
	struct shared *sh;
	struct gvb_vm *vm;
	struct gvb_bo *private_bo;
	u64 seed;
	unsigned long ops, checks, evictions, churned, failures;
	char error[160];
};

static struct gvb_bo *pool_get(struct shared *sh, unsigned int i)
{
	struct gvb_bo *bo;

	pthread_mutex_lock(&sh->pool_lock);
	bo = sh->pool[i];
	gvb_bo_get(bo);
	pthread_mutex_unlock(&sh->pool_lock);
	return bo;
}

/* Replaces a pool BO; the old one lives on only through its mappings. */
static int pool_churn(struct shared *sh, unsigned int i)
{
	struct gvb_bo *bo = gvb_bo_create(sh->ops, BO_PAGES * GVB_PAGE, NULL), *old;

	if (!bo)
		return -ENOMEM;
	pthread_mutex_lock(&sh->pool_lock);
	old = sh->pool[i];
	sh->pool[i] = bo;
	pthread_mutex_unlock(&sh->pool_lock);
	gvb_bo_put(old);
	return 0;
}

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	struct shared *sh = w->sh;

	pthread_barrier_wait(&sh->start);
	while (ktime_get_ns() < sh->deadline_ns && !w->error[0]) {
		u64 r = gvb_rand64(&w->seed);
		u64 addr = (r % WINDOW_PAGES) * GVB_PAGE;
		u64 range = (1 + (r >> 8) % 16) * GVB_PAGE;
		u64 offset = ((r >> 16) % (BO_PAGES - 16)) * GVB_PAGE;
		unsigned int kind = (r >> 24) % 100, slot = (r >> 32) % NSHARED;
		int ret = 0;

		if (addr + range > WINDOW_PAGES * GVB_PAGE)
			range = WINDOW_PAGES * GVB_PAGE - addr;
		if (kind < 45) {
			struct gvb_bo *bo = pool_get(sh, slot);

			ret = gvb_vm_map(w->vm, bo, addr, range, offset, GVB_PROT_RW);
			gvb_bo_put(bo);
		} else if (kind < 55) {
			ret = gvb_vm_map(w->vm, w->private_bo, addr, range, offset, GVB_PROT_READ);
		} else if (kind < 90) {
			ret = gvb_vm_unmap(w->vm, addr, range);
		} else if (kind < 94) {
			struct gvb_bo *bo = pool_get(sh, slot);

			gvb_bo_evict(bo);
			w->evictions++;
			if (gvb_bo_check(bo))
				snprintf(w->error, sizeof(w->error), "bo check failed");
			gvb_bo_put(bo);
		} else if (kind < 96) {
			ret = pool_churn(sh, slot);
			w->churned++;
		} else if (kind < 98) {
			gvb_vm_drain_deferred(w->vm);
		} else {
			gvb_vm_serialize(w->vm);
			if (gvb_vm_check(w->vm) || gvb_vm_check_pt(w->vm))
				snprintf(w->error, sizeof(w->error), "vm check failed after %lu ops",
					 w->ops);
			gvb_vm_unserialize(w->vm);
			w->checks++;
		}
		if (ret) {
			w->failures++;
			snprintf(w->error, sizeof(w->error), "op kind %u failed: %d", kind, ret);
		}
		w->ops++;
	}
	return NULL;
}

static void run_strategy(const struct gvb_strategy_ops *ops, u64 duration_ns)
{
	struct shared sh = { .ops = ops };
	struct worker w[NTHREADS] = { 0 };
	unsigned long total = 0, checks = 0, evictions = 0, churned = 0;
	long live = compat_alloc_live();
	unsigned long warns = compat_warn_count();
	unsigned int i;

	pthread_mutex_init(&sh.pool_lock, NULL);
	pthread_barrier_init(&sh.start, NULL, NTHREADS);
	for (i = 0; i < NSHARED; i++) {
		sh.pool[i] = gvb_bo_create(ops, BO_PAGES * GVB_PAGE, NULL);
		CHECK_OR_RETURN(sh.pool[i] != NULL, , "bo create");
	}
	for (i = 0; i < NTHREADS; i++) {
		w[i].sh = &sh;
		w[i].seed = 0x1234 + i * 7919;
		w[i].vm = gvb_vm_create(ops, &gvb_pt_arm_lpae_s1, 0, WINDOW_PAGES * GVB_PAGE, 0);
		CHECK_OR_RETURN(w[i].vm != NULL, , "vm create");
		w[i].private_bo = gvb_bo_create(ops, BO_PAGES * GVB_PAGE, w[i].vm);
		CHECK_OR_RETURN(w[i].private_bo != NULL, , "private bo create");
	}
	sh.deadline_ns = ktime_get_ns() + duration_ns;
	for (i = 0; i < NTHREADS; i++)
		pthread_create(&w[i].thread, NULL, worker_fn, &w[i]);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(w[i].thread, NULL);

	for (i = 0; i < NTHREADS; i++) {
		CHECK(!w[i].error[0], "%s thread %u: %s", ops->name, i, w[i].error);
		gvb_vm_drain_deferred(w[i].vm);
		gvb_vm_serialize(w[i].vm);
		CHECK(gvb_vm_check(w[i].vm) == 0, "%s: final vm check", ops->name);
		CHECK(gvb_vm_check_pt(w[i].vm) == 0, "%s: final page-table check", ops->name);
		gvb_vm_unserialize(w[i].vm);
		total += w[i].ops;
		checks += w[i].checks;
		evictions += w[i].evictions;
		churned += w[i].churned;
	}
	for (i = 0; i < NSHARED; i++)
		CHECK(gvb_bo_check(sh.pool[i]) == 0, "%s: bo check", ops->name);
	/* Every vm_bo must have gone with the VMs: the pool's references are the last. */
	for (i = 0; i < NTHREADS; i++) {
		gvb_bo_put(w[i].private_bo);
		gvb_vm_destroy(w[i].vm);
	}
	for (i = 0; i < NSHARED; i++) {
		CHECK(list_empty(&sh.pool[i]->gpuva.list), "%s: bo %u still has vm_bos", ops->name,
		      i);
		CHECK(kref_read(&sh.pool[i]->ref) == 1, "%s: bo %u has %u refs at the end", ops->name,
		      i, kref_read(&sh.pool[i]->ref));
		gvb_bo_put(sh.pool[i]);
	}
	CHECK(compat_alloc_live() == live, "%s: %ld allocations leaked", ops->name,
	      compat_alloc_live() - live);
	CHECK(compat_warn_count() == warns, "%s: warnings fired", ops->name);
	CHECK(total > 1000, "%s: only %lu ops ran", ops->name, total);
	printf("%-15s %8lu ops, %5lu checks, %5lu evictions, %4lu BOs churned, %d threads\n",
	       ops->name, total, checks, evictions, churned, NTHREADS);
	pthread_barrier_destroy(&sh.start);
	pthread_mutex_destroy(&sh.pool_lock);
}

/*
 * vm-bo-churn with the negative control: map a fresh BO, drop the creator's
 * reference, unmap. The unmap frees the BO under its own held resv.
 */
static int run_broken(void)
{
	struct gvb_vm *vm = gvb_vm_create(&gvb_strategy_broken, &gvb_pt_arm_lpae_s1, 0, SZ_2M, 0);
	int i;

	if (!vm)
		return 2;
	for (i = 0; i < 16; i++) {
		struct gvb_bo *bo = gvb_bo_create(&gvb_strategy_broken, 16 * GVB_PAGE, NULL);

		if (!bo || gvb_vm_map(vm, bo, 0, 16 * GVB_PAGE, 0, GVB_PROT_RW))
			return 2;
		gvb_bo_put(bo);
		gvb_vm_unmap(vm, 0, 16 * GVB_PAGE);
	}
	gvb_vm_destroy(vm);
	if (compat_warn_count()) {
		printf("broken: caught (%lu warnings)\n", compat_warn_count());
		return 1;
	}
	printf("broken: NOT caught\n");
	return 0;
}

int main(int argc, char **argv)
{
	const struct gvb_strategy_ops *const *s;
	u64 ms = 600;

	if (gvb_core_init())
		return 2;
	if (argc > 1 && !strcmp(argv[1], "--broken"))
		return run_broken();
	if (argc > 1)
		ms = strtoull(argv[1], NULL, 0);

	for (s = gvb_strategies; *s; s++)
		if (!((*s)->flags & GVB_STRATEGY_BROKEN))
			run_strategy(*s, ms * 1000000ULL);
	gvb_core_exit();
	compat_wq_shutdown();
	CHECK(compat_alloc_live() == 0, "%ld allocations live at exit", compat_alloc_live());
	return gvb_test_done("test_strategies");
}
