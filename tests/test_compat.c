// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_compat: the userspace kernel-primitive shim (userspace/compat/).
 *
 * CHECK() is not thread-safe, so worker threads only count what went wrong
 * in atomics and the main thread checks the counts.
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compat.h"
#include "gvb_test.h"

#define NR_THREADS		4
#define MUTEX_ITERS		100000
#define WW_LOCKS		8
#define WW_PER_ITER		3
#define WW_ITERS		20000

/* WARN_ON()s this suite fires on purpose; any other one is a failure. */
static unsigned long expected_warns;

static void run_threads(void *(*fn)(void *), void *arg)
{
	pthread_t t[NR_THREADS];
	long i;

	for (i = 0; i < NR_THREADS; i++)
		pthread_create(&t[i], NULL, fn, arg ? arg : (void *)i);
	for (i = 0; i < NR_THREADS; i++)
		pthread_join(t[i], NULL);
}

/* Waits for another thread to set @flag (the threads here never block long). */
static void wait_flag(atomic_int *flag)
{
	while (!atomic_load(flag))
		sched_yield();
}

static u32 xorshift32(u32 *state)
{
	u32 x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *state = x;
}

/* ---------------------------------------------------------------- lists */
struct item {
	int v;
	struct list_head link;
	struct llist_node lnode;
};

static void test_list(void)
{
	LIST_HEAD(head);
	struct item it[4], *pos, *n;
	int order[4], k = 0, i;

	CHECK(list_empty(&head), "list");
	CHECK(list_first_entry_or_null(&head, struct item, link) == NULL, "list");
	for (i = 0; i < 4; i++)
		it[i].v = i;
	list_add_tail(&it[2].link, &head);
	list_add_tail(&it[3].link, &head);
	list_add(&it[1].link, &head);
	list_add(&it[0].link, &head);
	list_for_each_entry(pos, &head, link)
		order[k++] = pos->v;
	CHECK(k == 4 && order[0] == 0 && order[1] == 1 && order[2] == 2 && order[3] == 3,
	      "k %d order %d %d %d %d", k, order[0], order[1], order[2], order[3]);
	CHECK(list_first_entry(&head, struct item, link) == &it[0], "list");
	CHECK(list_last_entry(&head, struct item, link) == &it[3], "list");
	CHECK(list_next_entry(&it[1], link) == &it[2], "list");
	CHECK(list_prev_entry(&it[1], link) == &it[0], "list");

	list_del(&it[1].link);
	CHECK(it[1].link.next == LIST_POISON1 && it[1].link.prev == LIST_POISON2, "list");
	list_del_init(&it[2].link);
	CHECK(list_empty(&it[2].link), "list");
	k = 0;
	list_for_each_entry(pos, &head, link)
		order[k++] = pos->v;
	CHECK(k == 2 && order[0] == 0 && order[1] == 3, "list");

	/* The _safe walk survives deleting the entry it stands on. */
	k = 0;
	list_for_each_entry_safe(pos, n, &head, link) {
		list_del(&pos->link);
		k++;
	}
	CHECK(k == 2 && list_empty(&head), "list");
}

struct llist_stress {
	struct llist_head head;
	struct item items[NR_THREADS][1000];
	atomic_int next_thread;
};

static void *llist_adder(void *arg)
{
	struct llist_stress *s = arg;
	int t = atomic_fetch_add(&s->next_thread, 1), i;

	for (i = 0; i < 1000; i++) {
		s->items[t][i].v = t * 1000 + i;
		llist_add(&s->items[t][i].lnode, &s->head);
	}
	return NULL;
}

static void test_llist(void)
{
	struct llist_head head;
	struct item it[3], *pos, *n;
	struct llist_node *first;
	struct llist_stress *s;
	int order[3], k = 0, i;
	long sum = 0;

	init_llist_head(&head);
	CHECK(llist_empty(&head), "llist");
	for (i = 0; i < 3; i++)
		it[i].v = i;
	CHECK(llist_add(&it[0].lnode, &head), "first add reports an empty list");
	CHECK(!llist_add(&it[1].lnode, &head), "llist");
	CHECK(!llist_add(&it[2].lnode, &head), "llist");
	first = llist_del_all(&head);
	CHECK(llist_empty(&head), "llist");
	llist_for_each_entry_safe(pos, n, first, lnode)
		order[k++] = pos->v;
	CHECK(k == 3 && order[0] == 2 && order[1] == 1 && order[2] == 0, "LIFO order");
	CHECK(llist_del_all(&head) == NULL, "llist");

	s = calloc(1, sizeof(*s));
	init_llist_head(&s->head);
	run_threads(llist_adder, s);
	k = 0;
	first = llist_del_all(&s->head);
	llist_for_each_entry_safe(pos, n, first, lnode) {
		sum += pos->v;
		k++;
	}
	CHECK(k == NR_THREADS * 1000, "%d nodes", k);
	CHECK(sum == (long)NR_THREADS * 1000 * (NR_THREADS * 1000 - 1) / 2, "llist");
	free(s);
}

/* ----------------------------------------------------------------- kref */
static int kref_released;
static DEFINE_WW_CLASS(test_ww_class);
static struct mutex kref_lock;
static bool kref_lock_was_held;

static void kref_release(struct kref *k)
{
	kref_released++;
}

static void kref_release_locked(struct kref *k)
{
	kref_lock_was_held = lockdep_is_held(&kref_lock) && mutex_is_locked(&kref_lock);
	kref_released++;
	mutex_unlock(&kref_lock);
}

static void test_kref(void)
{
	struct kref k;

	kref_init(&k);
	CHECK(kref_read(&k) == 1, "kref");
	kref_get(&k);
	CHECK(kref_read(&k) == 2, "kref");
	CHECK(kref_put(&k, kref_release) == 0 && kref_released == 0, "kref");
	CHECK(kref_put(&k, kref_release) == 1 && kref_released == 1, "kref");
	CHECK(!kref_get_unless_zero(&k), "no resurrection from zero");
	CHECK(kref_read(&k) == 0, "kref");

	mutex_init(&kref_lock);
	kref_released = 0;
	kref_init(&k);
	kref_get(&k);
	CHECK(kref_put_mutex(&k, kref_release_locked, &kref_lock) == 0, "kref");
	CHECK(kref_released == 0 && !mutex_is_locked(&kref_lock), "kref");
	CHECK(kref_put_mutex(&k, kref_release_locked, &kref_lock) == 1, "kref");
	CHECK(kref_released == 1 && kref_lock_was_held, "release runs with the mutex held");
	CHECK(!mutex_is_locked(&kref_lock) && compat_held_locks() == 0, "kref");
	mutex_destroy(&kref_lock);
}

/* ---------------------------------------------------------------- locks */
struct counter_stress {
	struct mutex mutex;
	spinlock_t spin;
	long counter;			/* plain on purpose: the lock protects it */
	atomic_int bad;
};

static void *mutex_incrementer(void *arg)
{
	struct counter_stress *s = arg;
	int i;

	for (i = 0; i < MUTEX_ITERS; i++) {
		mutex_lock(&s->mutex);
		if (!lockdep_is_held(&s->mutex) || compat_held_locks() != 1)
			atomic_fetch_add(&s->bad, 1);
		s->counter++;
		mutex_unlock(&s->mutex);
	}
	return NULL;
}

static void *spin_incrementer(void *arg)
{
	struct counter_stress *s = arg;
	int i;

	for (i = 0; i < MUTEX_ITERS; i++) {
		spin_lock(&s->spin);
		if (!lockdep_is_held(&s->spin) || compat_atomic_depth() != 1)
			atomic_fetch_add(&s->bad, 1);
		s->counter++;
		spin_unlock(&s->spin);
	}
	return NULL;
}

static void test_mutex_spinlock(void)
{
	struct counter_stress s;
	void *p;

	mutex_init(&s.mutex);
	spin_lock_init(&s.spin);

	mutex_lock(&s.mutex);
	CHECK(mutex_is_locked(&s.mutex) && lockdep_is_held(&s.mutex), "mutex spinlock");
	CHECK(compat_held_locks() == 1 && compat_atomic_depth() == 0, "mutex spinlock");
	CHECK(mutex_trylock(&s.mutex) == 0, "mutex spinlock");
	mutex_unlock(&s.mutex);
	CHECK(!mutex_is_locked(&s.mutex) && !lockdep_is_held(&s.mutex), "mutex spinlock");
	CHECK(mutex_trylock(&s.mutex) == 1, "mutex spinlock");
	mutex_unlock(&s.mutex);
	CHECK(compat_held_locks() == 0, "mutex spinlock");

	spin_lock(&s.spin);
	CHECK(compat_held_locks() == 1 && compat_atomic_depth() == 1, "mutex spinlock");
	CHECK(!spin_trylock(&s.spin), "mutex spinlock");
	/* Atomic allocations are allowed under a spinlock. */
	p = kmalloc(8, GFP_ATOMIC);
	CHECK(p != NULL, "mutex spinlock");
	spin_unlock(&s.spin);
	kfree(p);
	CHECK(spin_trylock(&s.spin), "mutex spinlock");
	spin_unlock(&s.spin);
	CHECK(compat_held_locks() == 0 && compat_atomic_depth() == 0, "mutex spinlock");

	s.counter = 0;
	atomic_init(&s.bad, 0);
	run_threads(mutex_incrementer, &s);
	CHECK(s.counter == (long)NR_THREADS * MUTEX_ITERS, "mutex: %ld", s.counter);
	CHECK(atomic_load(&s.bad) == 0, "mutex: %d bad holds", atomic_load(&s.bad));
	CHECK(atomic_load(&s.mutex.state) == 0, "mutex spinlock");

	s.counter = 0;
	run_threads(spin_incrementer, &s);
	CHECK(s.counter == (long)NR_THREADS * MUTEX_ITERS, "spinlock: %ld", s.counter);
	CHECK(atomic_load(&s.bad) == 0, "spinlock: %d bad holds", atomic_load(&s.bad));
	mutex_destroy(&s.mutex);
}

/* ------------------------------------------------------------- ww_mutex */
struct ww_pair {
	struct ww_mutex l1, l2;
	atomic_int ready, go, released;
	bool holder_uses_ctx;
};

static void test_ww_basics(void)
{
	struct ww_acquire_ctx ctx;
	struct ww_mutex l;
	struct dma_resv resv;

	ww_mutex_init(&l, &test_ww_class);
	ww_acquire_init(&ctx, &test_ww_class);
	CHECK(ww_mutex_lock(&l, &ctx) == 0, "ww basics");
	CHECK(ctx.acquired == 1 && atomic_load(&l.ctx) == &ctx && ww_mutex_is_locked(&l),
	      "locked under ctx");
	CHECK(lockdep_is_held(&l) && compat_held_locks() == 1, "ww basics");
	CHECK(ww_mutex_lock(&l, &ctx) == -EALREADY, "ww basics");
	CHECK(ctx.acquired == 1, "ww basics");
	CHECK(!ww_mutex_trylock(&l, NULL), "ww basics");
	ww_mutex_unlock(&l);
	CHECK(ctx.acquired == 0 && atomic_load(&l.ctx) == NULL && !ww_mutex_is_locked(&l),
	      "unlock clears ctx");
	CHECK(ww_mutex_trylock(&l, &ctx) && ctx.acquired == 1, "ww basics");
	ww_mutex_unlock(&l);
	ww_acquire_done(&ctx);
	ww_acquire_fini(&ctx);

	/* Without a ctx it is a plain sleeping lock. */
	CHECK(ww_mutex_lock(&l, NULL) == 0, "ww basics");
	CHECK(atomic_load(&l.ctx) == NULL && lockdep_is_held(&l), "ww basics");
	ww_mutex_unlock(&l);
	ww_mutex_destroy(&l);

	dma_resv_init(&resv);
	CHECK(resv.lock.ww_class == &reservation_ww_class, "ww basics");
	CHECK(dma_resv_trylock(&resv) && dma_resv_is_locked(&resv) && dma_resv_held(&resv),
	      "dma_resv trylock");
	dma_resv_assert_held(&resv);
	dma_resv_unlock(&resv);
	CHECK(dma_resv_lock(&resv, NULL) == 0, "ww basics");
	dma_resv_unlock(&resv);
	CHECK(!dma_resv_is_locked(&resv) && compat_held_locks() == 0, "ww basics");
	dma_resv_fini(&resv);
}

/* The older context: it holds l2 until told to let go. */
static void *ww_old_holder(void *arg)
{
	struct ww_pair *p = arg;
	struct ww_acquire_ctx ctx;

	ww_acquire_init(&ctx, &test_ww_class);
	if (ww_mutex_lock(&p->l2, &ctx))
		abort();
	atomic_store(&p->ready, 1);
	wait_flag(&p->go);
	ww_mutex_unlock(&p->l2);
	ww_acquire_fini(&ctx);
	return NULL;
}

static void test_ww_die(void)
{
	struct ww_acquire_ctx young;
	struct ww_pair p = { 0 };
	pthread_t t;

	ww_mutex_init(&p.l1, &test_ww_class);
	ww_mutex_init(&p.l2, &test_ww_class);
	pthread_create(&t, NULL, ww_old_holder, &p);
	wait_flag(&p.ready);

	ww_acquire_init(&young, &test_ww_class);
	CHECK(ww_mutex_lock(&p.l1, &young) == 0, "ww die");
	/* Younger, holding a lock, meets an older holder: it must die, not wait. */
	CHECK(ww_mutex_lock(&p.l2, &young) == -EDEADLK, "ww die");
	CHECK(young.acquired == 1 && !lockdep_is_held(&p.l2), "ww die");
	/* Back off, then sleep on the contended lock: that cannot fail. */
	ww_mutex_unlock(&p.l1);
	atomic_store(&p.go, 1);
	ww_mutex_lock_slow(&p.l2, &young);
	CHECK(young.acquired == 1 && lockdep_is_held(&p.l2), "ww die");
	CHECK(ww_mutex_lock(&p.l1, &young) == 0, "ww die");
	ww_mutex_unlock(&p.l1);
	ww_mutex_unlock(&p.l2);
	ww_acquire_fini(&young);
	pthread_join(t, NULL);
	CHECK(compat_held_locks() == 0, "ww die");
	ww_mutex_destroy(&p.l1);
	ww_mutex_destroy(&p.l2);
}

/* A younger context (or none) holds l1 for a while, then lets go. */
static void *ww_young_holder(void *arg)
{
	struct ww_pair *p = arg;
	struct ww_acquire_ctx ctx;

	ww_acquire_init(&ctx, &test_ww_class);
	if (ww_mutex_lock(&p->l1, p->holder_uses_ctx ? &ctx : NULL))
		abort();
	atomic_store(&p->ready, 1);
	ndelay(20 * 1000 * 1000);
	atomic_store(&p->released, 1);
	ww_mutex_unlock(&p->l1);
	ww_acquire_fini(&ctx);
	return NULL;
}

static void test_ww_wait(bool holder_uses_ctx)
{
	struct ww_acquire_ctx old;
	struct ww_pair p = { .holder_uses_ctx = holder_uses_ctx };
	pthread_t t;
	int ret;

	ww_mutex_init(&p.l1, &test_ww_class);
	ww_mutex_init(&p.l2, &test_ww_class);
	ww_acquire_init(&old, &test_ww_class);	/* before the thread's: older */
	pthread_create(&t, NULL, ww_young_holder, &p);
	CHECK(ww_mutex_lock(&p.l2, &old) == 0, "ww wait");
	wait_flag(&p.ready);
	/* Older meets younger (or ctx-less): it waits, however long. */
	ret = ww_mutex_lock(&p.l1, &old);
	CHECK(ret == 0 && atomic_load(&p.released), "ctx %d: ret %d", holder_uses_ctx, ret);
	CHECK(old.acquired == 2, "ww wait");
	ww_mutex_unlock(&p.l1);
	ww_mutex_unlock(&p.l2);
	ww_acquire_fini(&old);
	pthread_join(t, NULL);
	ww_mutex_destroy(&p.l1);
	ww_mutex_destroy(&p.l2);
}

struct ww_stress {
	struct ww_mutex locks[WW_LOCKS];
	int inside[WW_LOCKS];		/* plain: only the holder touches it */
	long count[WW_LOCKS];
	atomic_int next_thread;
	atomic_int bad;
	atomic_long backoffs;
};

static void ww_unlock_all(struct ww_stress *s, bool *held)
{
	int i;

	for (i = 0; i < WW_LOCKS; i++) {
		if (held[i]) {
			ww_mutex_unlock(&s->locks[i]);
			held[i] = false;
		}
	}
}

static void *ww_stress_thread(void *arg)
{
	struct ww_stress *s = arg;
	u32 rnd = 0x9e3779b9u * (u32)(atomic_fetch_add(&s->next_thread, 1) + 1);
	long backoffs = 0;
	int iter, i, j;

	for (iter = 0; iter < WW_ITERS; iter++) {
		bool held[WW_LOCKS] = { false };
		struct ww_acquire_ctx ctx;
		int pick[WW_PER_ITER], contended = -1;

		/* Three distinct locks in random order, so that orders conflict. */
		for (i = 0; i < WW_PER_ITER; i++) {
again:
			pick[i] = xorshift32(&rnd) % WW_LOCKS;
			for (j = 0; j < i; j++)
				if (pick[j] == pick[i])
					goto again;
		}

		ww_acquire_init(&ctx, &test_ww_class);
retry:
		if (contended >= 0) {
			ww_mutex_lock_slow(&s->locks[contended], &ctx);
			held[contended] = true;
		}
		for (i = 0; i < WW_PER_ITER; i++) {
			int ret;

			if (pick[i] == contended)
				continue;
			ret = ww_mutex_lock(&s->locks[pick[i]], &ctx);
			if (ret == -EDEADLK) {
				ww_unlock_all(s, held);
				contended = pick[i];
				backoffs++;
				goto retry;
			}
			if (ret)
				atomic_fetch_add(&s->bad, 1);
			held[pick[i]] = true;
		}
		ww_acquire_done(&ctx);
		if (ctx.acquired != WW_PER_ITER)
			atomic_fetch_add(&s->bad, 1);
		for (i = 0; i < WW_PER_ITER; i++) {
			if (s->inside[pick[i]]++ != 0)
				atomic_fetch_add(&s->bad, 1);
			s->count[pick[i]]++;
		}
		/* Hold them a little, so that waiters get to sleep and wake. */
		for (i = 0; i < 64; i++)
			cpu_relax();
		for (i = 0; i < WW_PER_ITER; i++)
			s->inside[pick[i]]--;
		ww_unlock_all(s, held);
		ww_acquire_fini(&ctx);
	}
	atomic_fetch_add(&s->backoffs, backoffs);
	return NULL;
}

static void test_ww_stress(void)
{
	struct ww_stress *s = calloc(1, sizeof(*s));
	long total = 0;
	int i;

	for (i = 0; i < WW_LOCKS; i++)
		ww_mutex_init(&s->locks[i], &test_ww_class);
	run_threads(ww_stress_thread, s);
	for (i = 0; i < WW_LOCKS; i++) {
		total += s->count[i];
		CHECK(!ww_mutex_is_locked(&s->locks[i]) && atomic_load(&s->locks[i].waiters) == 0,
		      "lock %d left locked or with waiters", i);
		ww_mutex_destroy(&s->locks[i]);
	}
	CHECK(total == (long)NR_THREADS * WW_ITERS * WW_PER_ITER, "total %ld", total);
	CHECK(atomic_load(&s->bad) == 0, "%d violations", atomic_load(&s->bad));
	printf("ww stress: %d threads x %d iterations, %ld backoffs\n", NR_THREADS, WW_ITERS,
	       atomic_load(&s->backoffs));
	free(s);
}

/* ----------------------------------------------------------- allocation */
static void test_ctor(void *p)
{
	memset(p, 0xab, 40);
}

static struct kmem_cache *test_cache;

static void *alloc_one(int which)
{
	switch (which) {
	case 0: return kmalloc(16, GFP_KERNEL);
	case 1: return kzalloc(16, GFP_KERNEL);
	case 2: return kcalloc(4, 4, GFP_KERNEL);
	case 3: return kvmalloc_array(4, 4, GFP_KERNEL);
	case 4: return kmem_cache_alloc(test_cache, GFP_KERNEL);
	case 5: return kmem_cache_zalloc(test_cache, GFP_KERNEL);
	case 6: return (void *)__get_free_page(GFP_KERNEL);
	default: return (void *)get_zeroed_page(GFP_KERNEL);
	}
}

static void free_one(int which, void *p)
{
	if (which == 4 || which == 5)
		kmem_cache_free(test_cache, p);
	else if (which >= 6)
		free_page((unsigned long)p);
	else if (which == 3)
		kvfree(p);
	else
		kfree(p);
}

static void *fail_nth_thread(void *arg)
{
	atomic_int *nulls = arg;
	int i;

	for (i = 0; i < 1000; i++) {
		void *p = kmalloc(8, GFP_KERNEL);

		if (!p)
			atomic_fetch_add(nulls, 1);
		kfree(p);
	}
	return NULL;
}

static void test_fault_injection(void)
{
	unsigned long failed0 = compat_alloc_failed(), count0 = compat_alloc_count();
	long live0 = compat_alloc_live();
	void *a, *b, *c, *d;
	atomic_int nulls;
	int which;

	compat_fail_nth(3);
	a = kmalloc(16, GFP_KERNEL);
	b = kzalloc(16, GFP_KERNEL);
	c = kcalloc(2, 8, GFP_KERNEL);
	d = kmalloc(16, GFP_KERNEL);
	CHECK(a && b && !c && d, "exactly the third fails: %p %p %p %p", a, b, c, d);
	CHECK(compat_alloc_failed() == failed0 + 1, "fault injection");
	CHECK(compat_alloc_count() == count0 + 3, "fault injection");
	CHECK(compat_alloc_live() == live0 + 3, "fault injection");
	kfree(a);
	kfree(b);
	kfree(c);
	kfree(d);
	CHECK(compat_alloc_live() == live0, "fault injection");

	/* Every allocation function counts and can be failed. */
	for (which = 0; which < 8; which++) {
		compat_fail_nth(1);
		CHECK(alloc_one(which) == NULL, "alloc %d not failed", which);
		a = alloc_one(which);
		CHECK(a != NULL, "alloc %d failed twice", which);
		free_one(which, a);
	}
	CHECK(compat_alloc_failed() == failed0 + 9, "fault injection");
	CHECK(compat_alloc_live() == live0, "fault injection");

	/* An overflowing size fails before it is an attempt. */
	compat_fail_nth(2);
	CHECK(kcalloc(SIZE_MAX / 2, 4, GFP_KERNEL) == NULL, "fault injection");
	CHECK(kvmalloc_array(SIZE_MAX / 2, 4, GFP_KERNEL) == NULL, "fault injection");
	a = kmalloc(1, GFP_KERNEL);
	b = kmalloc(1, GFP_KERNEL);
	CHECK(a && !b, "fault injection");
	kfree(a);

	compat_fail_nth(1);
	compat_fail_nth(0);
	a = kmalloc(1, GFP_KERNEL);
	CHECK(a != NULL, "0 disarms");
	kfree(a);

	/* Concurrent allocators: still exactly one failure. */
	atomic_init(&nulls, 0);
	compat_fail_nth(NR_THREADS * 1000 / 2);
	run_threads(fail_nth_thread, &nulls);
	CHECK(atomic_load(&nulls) == 1, "%d failures", atomic_load(&nulls));
	CHECK(compat_alloc_failed() == failed0 + 11, "fault injection");
	CHECK(compat_alloc_live() == live0, "fault injection");
}

static void test_alloc(void)
{
	long live0 = compat_alloc_live();
	unsigned char *objs[10], *z, *pg, *zpg;
	unsigned long count0 = compat_alloc_count();
	bool ok = true;
	size_t i;

	kfree(NULL);
	kvfree(NULL);
	free_page(0);
	kmem_cache_free(test_cache, NULL);
	CHECK(compat_alloc_live() == live0 && compat_alloc_count() == count0, "alloc");

	for (i = 0; i < ARRAY_SIZE(objs); i++) {
		objs[i] = kmem_cache_alloc(test_cache, GFP_KERNEL);
		ok &= objs[i] && IS_ALIGNED((uintptr_t)objs[i], 64) && objs[i][0] == 0xab &&
		      objs[i][39] == 0xab;
	}
	CHECK(ok, "HWCACHE_ALIGN objects are 64-aligned and constructed");
	z = kmem_cache_zalloc(test_cache, GFP_NOWAIT);
	CHECK(z && z[0] == 0 && z[39] == 0, "alloc");
	CHECK(compat_alloc_live() == live0 + 11, "alloc");

	pg = (unsigned char *)__get_free_page(GFP_KERNEL | __GFP_ZERO);
	zpg = (unsigned char *)get_zeroed_page(GFP_KERNEL);
	CHECK(pg && IS_ALIGNED((uintptr_t)pg, PAGE_SIZE) && pg[0] == 0 && pg[PAGE_SIZE - 1] == 0,
	      "__GFP_ZERO page");
	CHECK(zpg && IS_ALIGNED((uintptr_t)zpg, PAGE_SIZE) && zpg[123] == 0, "alloc");
	CHECK(gvb_phys_to_virt(gvb_virt_to_phys(pg)) == pg, "alloc");
	CHECK(compat_alloc_live() == live0 + 13, "alloc");
	CHECK(compat_alloc_count() == count0 + 13, "alloc");

	for (i = 0; i < ARRAY_SIZE(objs); i++)
		kmem_cache_free(test_cache, objs[i]);
	kmem_cache_free(test_cache, z);
	free_page((unsigned long)pg);
	free_page((unsigned long)zpg);
	CHECK(compat_alloc_live() == live0, "alloc");
}

/* ------------------------------------------------------------ workqueue */
struct twork {
	struct work_struct work;
	atomic_int started;
	atomic_int gate;		/* the function waits for it, if set up so */
	atomic_int runs;
	bool gated;
	unsigned long busy_ns;
};

static void twork_fn(struct work_struct *w)
{
	struct twork *t = container_of(w, struct twork, work);

	atomic_fetch_add(&t->started, 1);
	if (t->gated)
		wait_flag(&t->gate);
	if (t->busy_ns)
		ndelay(t->busy_ns);
	atomic_fetch_add(&t->runs, 1);
}

static void twork_init(struct twork *t, bool gated, unsigned long busy_ns)
{
	memset(t, 0, sizeof(*t));
	INIT_WORK(&t->work, twork_fn);
	t->gated = gated;
	t->busy_ns = busy_ns;
}

static atomic_int self_freed;

static void self_freeing_fn(struct work_struct *w)
{
	kfree(w);	/* allowed: the worker must not touch it afterwards */
	atomic_fetch_add(&self_freed, 1);
}

static void test_workqueue(void)
{
	long live0 = compat_alloc_live();
	struct twork a, gate, v;
	u64 cpu0, cpu1;
	int i;

	twork_init(&a, false, 0);
	CHECK(queue_work(system_unbound_wq, &a.work), "workqueue");
	flush_work(&a.work);
	CHECK(atomic_load(&a.runs) == 1, "workqueue");
	CHECK(!flush_work(&a.work), "nothing to wait for");

	/* Pending twice is queued once. */
	twork_init(&gate, true, 0);
	twork_init(&v, false, 0);
	CHECK(queue_work(system_unbound_wq, &gate.work), "workqueue");
	wait_flag(&gate.started);
	CHECK(queue_work(system_unbound_wq, &v.work), "workqueue");
	CHECK(!queue_work(system_unbound_wq, &v.work), "already pending");
	atomic_store(&gate.gate, 1);
	CHECK(flush_work(&v.work), "workqueue");
	CHECK(atomic_load(&v.runs) == 1 && atomic_load(&gate.runs) == 1, "workqueue");

	/* A running work can be queued again; flush waits for both runs. */
	twork_init(&a, true, 0);
	CHECK(queue_work(system_unbound_wq, &a.work), "workqueue");
	wait_flag(&a.started);
	CHECK(queue_work(system_unbound_wq, &a.work), "re-queue while running");
	CHECK(!queue_work(system_unbound_wq, &a.work), "workqueue");
	atomic_store(&a.gate, 1);
	CHECK(flush_work(&a.work), "workqueue");
	CHECK(atomic_load(&a.runs) == 2, "runs %d", atomic_load(&a.runs));

	/* Cancel a pending work: it never runs. */
	twork_init(&gate, true, 0);
	twork_init(&v, false, 0);
	queue_work(system_unbound_wq, &gate.work);
	wait_flag(&gate.started);
	queue_work(system_unbound_wq, &v.work);
	CHECK(cancel_work_sync(&v.work), "was pending");
	CHECK(!cancel_work_sync(&v.work), "idle");
	CHECK(queue_work(system_unbound_wq, &v.work), "cancelled work can be queued again");
	CHECK(cancel_work_sync(&v.work), "workqueue");
	atomic_store(&gate.gate, 1);
	flush_work(&gate.work);
	CHECK(atomic_load(&v.runs) == 0 && atomic_load(&v.started) == 0, "workqueue");

	/* Cancel a running work: it waits for the end, and it burnt CPU. */
	cpu0 = compat_wq_cpu_ns(system_unbound_wq);
	twork_init(&a, false, 20 * 1000 * 1000);
	queue_work(system_unbound_wq, &a.work);
	wait_flag(&a.started);
	CHECK(!cancel_work_sync(&a.work), "running, not pending");
	CHECK(atomic_load(&a.runs) == 1, "cancel waited for the running work");
	cpu1 = compat_wq_cpu_ns(system_unbound_wq);
	CHECK(cpu1 > cpu0, "worker CPU time %llu -> %llu", (unsigned long long)cpu0,
	      (unsigned long long)cpu1);

	/* Works that free themselves, then a shutdown that drains them. */
	atomic_store(&self_freed, 0);
	for (i = 0; i < 10; i++) {
		struct work_struct *w = kmalloc(sizeof(*w), GFP_KERNEL);

		INIT_WORK(w, self_freeing_fn);
		queue_work(system_unbound_wq, w);
	}
	compat_wq_shutdown();
	CHECK(atomic_load(&self_freed) == 10, "workqueue");
	CHECK(compat_alloc_live() == live0, "workqueue");
	CHECK(compat_wq_cpu_ns(system_unbound_wq) >= cpu1, "CPU time survives the worker");
	compat_wq_shutdown();

	/* Queueing after a shutdown starts a new worker. */
	twork_init(&a, false, 0);
	CHECK(queue_work(system_unbound_wq, &a.work), "workqueue");
	flush_work(&a.work);
	CHECK(atomic_load(&a.runs) == 1, "workqueue");
	compat_wq_shutdown();
}

/* ------------------------------------------------------------ misc */
static void test_misc(void)
{
	u64 t0, t1;
	unsigned long w0 = compat_warn_count();

	t0 = ktime_get_ns();
	ndelay(2 * 1000 * 1000);
	t1 = ktime_get_ns();
	CHECK(t1 - t0 >= 2 * 1000 * 1000, "ndelay(2ms) took %llu ns",
	      (unsigned long long)(t1 - t0));

	CHECK(compat_current() != NULL, "misc");
	fprintf(stderr, "(one WARNING on purpose follows)\n");
	CHECK(WARN_ON(1 + 1 == 2), "misc");
	expected_warns++;
	CHECK(!WARN_ON(0), "misc");
	CHECK(compat_warn_count() == w0 + 1, "misc");
	CHECK(min(3, 5) == 3 && max_t(u64, 3, 5) == 5, "misc");
	CHECK(ALIGN(5u, 4u) == 8 && ALIGN_DOWN(5u, 4u) == 4 && DIV_ROUND_UP(5, 4) == 2, "misc");
	CHECK(GENMASK_ULL(47, 12) == 0x0000fffffffff000ull, "misc");
}

static void *current_of_thread(void *arg)
{
	return (void *)compat_current();
}

static void test_current(void)
{
	pthread_t t;
	void *other;

	pthread_create(&t, NULL, current_of_thread, NULL);
	pthread_join(t, &other);
	CHECK(other != compat_current(), "threads have distinct identities");
	CHECK(compat_current() == compat_current(), "current");
}

/* ------------------------------------------------------------- lockdep */
#ifdef GVB_LOCKDEP
/*
 * Runs @fn in a child and expects it to die by SIGABRT after one
 * "lockdep: " line. Fork only while this process has one thread.
 */
static void expect_lockdep_abort(const char *name, void (*fn)(void))
{
	char buf[1024];
	size_t len = 0;
	int fds[2], status = 0;
	ssize_t n;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	if (pipe(fds)) {
		CHECK(0, "pipe");
		return;
	}
	pid = fork();
	if (pid == 0) {
		struct rlimit no_core = { 0, 0 };

		setrlimit(RLIMIT_CORE, &no_core);
		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		close(fds[1]);
		fn();
		_exit(0);
	}
	close(fds[1]);
	while (len < sizeof(buf) - 1 && (n = read(fds[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT, "%s: status %#x", name, status);
	CHECK(strncmp(buf, "lockdep: ", 9) == 0 && strchr(buf, '\n') == buf + len - 1,
	      "%s: stderr was \"%s\"", name, buf);
}

static struct mutex ld_mutex;
static spinlock_t ld_spin;
static struct ww_mutex ld_ww;
static struct dma_resv ld_resv;

static void ld_assert_held_unheld(void)
{
	lockdep_assert_held(&ld_mutex);
}

static void ld_assert_not_held_held(void)
{
	mutex_lock(&ld_mutex);
	lockdep_assert_not_held(&ld_mutex);
}

static void ld_unlock_unheld(void)
{
	mutex_unlock(&ld_mutex);
}

static void ld_spin_unlock_unheld(void)
{
	spin_unlock(&ld_spin);
}

static void ld_ww_unlock_unheld(void)
{
	ww_mutex_unlock(&ld_ww);
}

static void ld_sleep_in_spinlock(void)
{
	spin_lock(&ld_spin);
	mutex_lock(&ld_mutex);
}

static void ld_alloc_in_spinlock(void)
{
	spin_lock(&ld_spin);
	kfree(kmalloc(8, GFP_KERNEL));
}

/* Destroying a held lock warns (as DEBUG_MUTEXES does) rather than aborts. */
static void test_destroy_held_warns(void)
{
	unsigned long warns = compat_warn_count();

	mutex_lock(&ld_mutex);
	mutex_destroy(&ld_mutex);
	CHECK(compat_warn_count() == warns + 1, "mutex_destroy of a held mutex must warn");
	mutex_unlock(&ld_mutex);
	if (ww_mutex_lock(&ld_ww, NULL) == 0) {
		ww_mutex_destroy(&ld_ww);
		CHECK(compat_warn_count() == warns + 2, "ww_mutex_destroy of a held lock must warn");
		ww_mutex_unlock(&ld_ww);
	}
	expected_warns += compat_warn_count() - warns;
}

static void ld_recursive(void)
{
	mutex_lock(&ld_mutex);
	mutex_lock(&ld_mutex);
}

static void ld_resv_assert_unheld(void)
{
	dma_resv_assert_held(&ld_resv);
}

static void test_lockdep(void)
{
	mutex_init(&ld_mutex);
	spin_lock_init(&ld_spin);
	ww_mutex_init(&ld_ww, &test_ww_class);
	dma_resv_init(&ld_resv);

	/* The positive side: asserts on held locks pass. */
	mutex_lock(&ld_mutex);
	lockdep_assert_held(&ld_mutex);
	mutex_unlock(&ld_mutex);
	lockdep_assert_not_held(&ld_mutex);
	might_sleep();

	expect_lockdep_abort("assert_held of an unheld mutex", ld_assert_held_unheld);
	expect_lockdep_abort("assert_not_held of a held mutex", ld_assert_not_held_held);
	expect_lockdep_abort("mutex_unlock of an unheld mutex", ld_unlock_unheld);
	expect_lockdep_abort("spin_unlock of an unheld spinlock", ld_spin_unlock_unheld);
	expect_lockdep_abort("ww_mutex_unlock of an unheld ww_mutex", ld_ww_unlock_unheld);
	expect_lockdep_abort("mutex_lock inside a spinlock", ld_sleep_in_spinlock);
	expect_lockdep_abort("GFP_KERNEL inside a spinlock", ld_alloc_in_spinlock);
	test_destroy_held_warns();
	expect_lockdep_abort("recursive mutex_lock", ld_recursive);
	expect_lockdep_abort("dma_resv_assert_held of an unheld resv", ld_resv_assert_unheld);

	dma_resv_fini(&ld_resv);
	ww_mutex_destroy(&ld_ww);
	mutex_destroy(&ld_mutex);
}
#endif

int main(void)
{
	long live0 = compat_alloc_live();

	/* A deadlock is a failure, not a hang. */
	alarm(300);
	setvbuf(stdout, NULL, _IOLBF, 0);

	test_cache = kmem_cache_create("test_compat", 40, 0, SLAB_HWCACHE_ALIGN, test_ctor);
	CHECK(test_cache != NULL, "main");

#ifdef GVB_LOCKDEP
	test_lockdep();	/* first, while there is one thread to fork */
#endif
	test_misc();
	test_current();
	test_list();
	test_llist();
	test_kref();
	test_mutex_spinlock();
	test_ww_basics();
	test_ww_die();
	test_ww_wait(true);
	test_ww_wait(false);
	test_ww_stress();
	test_fault_injection();
	test_alloc();
	test_workqueue();

	kmem_cache_destroy(test_cache);
	CHECK(compat_alloc_live() == live0, "leaked %ld allocations", compat_alloc_live() - live0);
	CHECK(compat_held_locks() == 0 && compat_atomic_depth() == 0, "main");
	CHECK(compat_warn_count() == expected_warns, "%lu WARN_ON()s, expected %lu",
	      compat_warn_count(), expected_warns);
	return gvb_test_done("test_compat");
}
