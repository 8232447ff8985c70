// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * spinlock_t, struct mutex, ww_mutex and dma_resv for userspace.
 *
 * Every field that another thread may touch is a C11 atomic, so that
 * ThreadSanitizer sees all the synchronization: it does not understand
 * futexes, only the atomics around them. The lock word is taken with
 * acquire and given back with release (ww_mutex: seq_cst, see its unlock).
 *
 * dep_map.owner is kept up to date in every build, not only under
 * GVB_LOCKDEP, because lockdep_is_held() is used unconditionally; it is one
 * relaxed store on each side.
 */
#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "compat.h"

/* Spins before a mutex or ww_mutex waiter goes to sleep on its futex. */
#define LOCK_SPINS		100

/* ww_mutex.holder values that are not stamps (stamps start at 1). */
#define WW_HOLDER_UNPUBLISHED	0ull
#define WW_HOLDER_NO_CTX	UINT64_MAX

DEFINE_WW_CLASS(reservation_ww_class);

/* EAGAIN (the word changed) and EINTR both mean: look again, so ignore errors. */
static void futex_wait(_Atomic u32 *word, u32 val)
{
	syscall(SYS_futex, (u32 *)word, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_wake(_Atomic u32 *word, int nr)
{
	syscall(SYS_futex, (u32 *)word, FUTEX_WAKE_PRIVATE, nr, NULL, NULL, 0);
}

static __always_inline void dep_acquired(struct lockdep_map *map, bool atomic)
{
	atomic_store_explicit(&map->owner, compat_current(), memory_order_relaxed);
	compat_tls_held_locks++;
	if (atomic)
		compat_tls_atomic_depth++;
}

/* Called before the lock word is released, so @map is still ours to clear. */
static __always_inline void dep_releasing(struct lockdep_map *map, bool atomic, const char *what)
{
#ifdef GVB_LOCKDEP
	if (atomic_load_explicit(&map->owner, memory_order_relaxed) != compat_current())
		compat_lockdep_fail(__FILE__, __LINE__, what);
#endif
	atomic_store_explicit(&map->owner, NULL, memory_order_relaxed);
	compat_tls_held_locks--;
	if (atomic)
		compat_tls_atomic_depth--;
}

/*
 * A thread that blocks on a lock it holds itself never wakes up. Checked
 * only once the fast path has failed, so it costs nothing uncontended.
 */
static __always_inline void dep_check_recursion(struct lockdep_map *map, const char *what)
{
#ifdef GVB_LOCKDEP
	if (atomic_load_explicit(&map->owner, memory_order_relaxed) == compat_current())
		compat_lockdep_fail(__FILE__, __LINE__, what);
#endif
}

/* ------------------------------------------------------------ spinlock */
void spin_lock_init(spinlock_t *l)
{
	atomic_store_explicit(&l->locked, 0, memory_order_relaxed);
	atomic_store_explicit(&l->dep_map.owner, NULL, memory_order_relaxed);
}

void spin_lock(spinlock_t *l)
{
	while (atomic_exchange_explicit(&l->locked, 1, memory_order_acquire)) {
		dep_check_recursion(&l->dep_map, "spin_lock() of a spinlock this thread holds");
		/* Wait with plain loads so the cache line stays shared until it is free. */
		while (atomic_load_explicit(&l->locked, memory_order_relaxed))
			cpu_relax();
	}
	dep_acquired(&l->dep_map, true);
}

bool spin_trylock(spinlock_t *l)
{
	if (atomic_load_explicit(&l->locked, memory_order_relaxed) ||
	    atomic_exchange_explicit(&l->locked, 1, memory_order_acquire))
		return false;
	dep_acquired(&l->dep_map, true);
	return true;
}

void spin_unlock(spinlock_t *l)
{
	dep_releasing(&l->dep_map, true, "spin_unlock() of a spinlock this thread does not hold");
	atomic_store_explicit(&l->locked, 0, memory_order_release);
}

/* --------------------------------------------------------------- mutex */
/*
 * Drepper, "Futexes Are Tricky", mutex #3: state 0 unlocked, 1 locked,
 * 2 locked and maybe waiters. Only an unlock that finds 2 makes a syscall.
 */
void mutex_init(struct mutex *m)
{
	atomic_store_explicit(&m->state, 0, memory_order_relaxed);
	atomic_store_explicit(&m->dep_map.owner, NULL, memory_order_relaxed);
}

void mutex_destroy(struct mutex *m)
{
	/* A warning, as DEBUG_MUTEXES gives: what follows is usually a use after free. */
	WARN_ON(atomic_load_explicit(&m->state, memory_order_relaxed));
}

static noinline void mutex_lock_slowpath(struct mutex *m)
{
	u32 c;
	int i;

	dep_check_recursion(&m->dep_map, "mutex_lock() of a mutex this thread holds");
	for (i = 0; i < LOCK_SPINS; i++) {
		cpu_relax();
		c = 0;
		if (atomic_load_explicit(&m->state, memory_order_relaxed) == 0 &&
		    atomic_compare_exchange_strong_explicit(&m->state, &c, 1, memory_order_acquire,
							    memory_order_relaxed))
			return;
	}
	/*
	 * Take it as 2 even if nobody else waits: we cannot tell, and a
	 * missing wake-up is a hang while a spurious one is only a syscall.
	 */
	while (atomic_exchange_explicit(&m->state, 2, memory_order_acquire) != 0)
		futex_wait(&m->state, 2);
}

void mutex_lock(struct mutex *m)
{
	u32 c = 0;

	might_sleep();
	if (unlikely(!atomic_compare_exchange_strong_explicit(&m->state, &c, 1,
							      memory_order_acquire,
							      memory_order_relaxed)))
		mutex_lock_slowpath(m);
	dep_acquired(&m->dep_map, false);
}

int mutex_trylock(struct mutex *m)
{
	u32 c = 0;

	if (!atomic_compare_exchange_strong_explicit(&m->state, &c, 1, memory_order_acquire,
						     memory_order_relaxed))
		return 0;
	dep_acquired(&m->dep_map, false);
	return 1;
}

void mutex_unlock(struct mutex *m)
{
	dep_releasing(&m->dep_map, false, "mutex_unlock() of a mutex this thread does not hold");
	if (atomic_exchange_explicit(&m->state, 0, memory_order_release) == 2)
		futex_wake(&m->state, 1);
}

bool mutex_is_locked(struct mutex *m)
{
	return atomic_load_explicit(&m->state, memory_order_relaxed) != 0;
}

/* ------------------------------------------------------------ ww_mutex */
void ww_mutex_init(struct ww_mutex *lock, struct ww_class *ww_class)
{
	atomic_store_explicit(&lock->state, 0, memory_order_relaxed);
	atomic_store_explicit(&lock->waiters, 0, memory_order_relaxed);
	atomic_store_explicit(&lock->seq, 0, memory_order_relaxed);
	atomic_store_explicit(&lock->ctx, NULL, memory_order_relaxed);
	atomic_store_explicit(&lock->holder, WW_HOLDER_UNPUBLISHED, memory_order_relaxed);
	lock->ww_class = ww_class;
	atomic_store_explicit(&lock->dep_map.owner, NULL, memory_order_relaxed);
}

void ww_mutex_destroy(struct ww_mutex *lock)
{
	WARN_ON(atomic_load_explicit(&lock->state, memory_order_relaxed));
}

static __always_inline bool ww_trylock_word(struct ww_mutex *lock)
{
	u32 c = 0;

	return atomic_compare_exchange_strong_explicit(&lock->state, &c, 1, memory_order_acquire,
						       memory_order_relaxed);
}

/* The lock word is ours: say who holds it, the stamp last (contenders wait for it). */
static __always_inline void ww_set_holder(struct ww_mutex *lock, struct ww_acquire_ctx *ctx)
{
	if (ctx) {
		ctx->acquired++;
		atomic_store_explicit(&lock->ctx, ctx, memory_order_relaxed);
		atomic_store_explicit(&lock->holder, ctx->stamp, memory_order_relaxed);
	} else {
		atomic_store_explicit(&lock->holder, WW_HOLDER_NO_CTX, memory_order_relaxed);
	}
	dep_acquired(&lock->dep_map, false);
}

/*
 * Wait-die. Returns 0 with the lock word taken, or -EDEADLK if @may_die and
 * the lock is held by an older context. The holder's stamp is read from
 * lock->holder, never through lock->ctx: the holder may unlock and free its
 * ctx at any time.
 *
 * Lost wake-ups: a waiter counts itself in `waiters`, then reads `seq`, then
 * looks at the lock; an unlock releases the lock word, then reads `waiters`
 * and, if nonzero, bumps `seq` and wakes everybody. All of that is seq_cst,
 * so either the unlock sees the waiter or the waiter sees the unlock, and a
 * bump after the waiter read `seq` makes its FUTEX_WAIT return at once.
 */
static noinline int ww_lock_slowpath(struct ww_mutex *lock, struct ww_acquire_ctx *ctx,
				     bool may_die)
{
	unsigned int spins = 0, unpublished = 0;
	bool counted = false;
	int ret = 0;

	for (;;) {
		u32 seq = atomic_load(&lock->seq);
		u64 holder;

		if (atomic_load(&lock->state) == 0 && ww_trylock_word(lock))
			break;
		holder = atomic_load(&lock->holder);
		if (may_die) {
			if (holder == WW_HOLDER_UNPUBLISHED) {
				/*
				 * Taken, but the holder has not stored its stamp yet
				 * (or it is unlocking). It is a couple of stores away
				 * unless it was preempted, so spin, then yield. Sleeping
				 * here could wait for an older holder that will itself
				 * wait for us: a deadlock.
				 */
				if (++unpublished < LOCK_SPINS)
					cpu_relax();
				else
					sched_yield();
				continue;
			}
			if (holder != WW_HOLDER_NO_CTX && holder < ctx->stamp) {
				ret = -EDEADLK;
				break;
			}
		}
		if (spins < LOCK_SPINS) {
			spins++;
			cpu_relax();
			continue;
		}
		if (!counted) {
			atomic_fetch_add(&lock->waiters, 1);
			counted = true;
			continue;	/* look again now that an unlock will see us */
		}
		futex_wait(&lock->seq, seq);
	}
	if (counted)
		atomic_fetch_sub(&lock->waiters, 1);
	return ret;
}

int ww_mutex_lock(struct ww_mutex *lock, struct ww_acquire_ctx *ctx)
{
	int ret;

	might_sleep();
#ifdef GVB_LOCKDEP
	if (ctx)
		WARN_ON(ctx->done);	/* kernel: DEBUG_WW_MUTEXES */
#endif
	if (likely(ww_trylock_word(lock)))
		goto locked;
	/* Only this thread ever stores its own ctx there, so this is exact. */
	if (ctx && atomic_load_explicit(&lock->ctx, memory_order_relaxed) == ctx)
		return -EALREADY;
	dep_check_recursion(&lock->dep_map, "ww_mutex_lock() of a ww_mutex this thread holds");
	ret = ww_lock_slowpath(lock, ctx, ctx && ctx->acquired > 0);
	if (ret)
		return ret;
locked:
	ww_set_holder(lock, ctx);
	return 0;
}

void ww_mutex_lock_slow(struct ww_mutex *lock, struct ww_acquire_ctx *ctx)
{
	might_sleep();
#ifdef GVB_LOCKDEP
	/* Called after backing off, with nothing held: else it could deadlock. */
	if (ctx)
		WARN_ON(ctx->acquired > 0);
#endif
	if (unlikely(!ww_trylock_word(lock))) {
		dep_check_recursion(&lock->dep_map,
				    "ww_mutex_lock_slow() of a ww_mutex this thread holds");
		ww_lock_slowpath(lock, ctx, false);
	}
	ww_set_holder(lock, ctx);
}

bool ww_mutex_trylock(struct ww_mutex *lock, struct ww_acquire_ctx *ctx)
{
	if (!ww_trylock_word(lock))
		return false;
	ww_set_holder(lock, ctx);
	return true;
}

/*
 * As with the kernel's mutex_unlock(), the lock may be touched (waiters,
 * seq) after the lock word is released: do not free a ww_mutex that
 * another thread may still be unlocking.
 */
void ww_mutex_unlock(struct ww_mutex *lock)
{
	struct ww_acquire_ctx *ctx = atomic_load_explicit(&lock->ctx, memory_order_relaxed);

	dep_releasing(&lock->dep_map, false,
		      "ww_mutex_unlock() of a ww_mutex this thread does not hold");
	if (ctx) {
		if (ctx->acquired > 0)
			ctx->acquired--;
		atomic_store_explicit(&lock->ctx, NULL, memory_order_relaxed);
	}
	atomic_store_explicit(&lock->holder, WW_HOLDER_UNPUBLISHED, memory_order_relaxed);
	/* seq_cst, not just release: it must be ordered before the load of waiters. */
	atomic_store(&lock->state, 0);
	if (atomic_load(&lock->waiters)) {
		atomic_fetch_add(&lock->seq, 1);
		futex_wake(&lock->seq, INT_MAX);
	}
}

bool ww_mutex_is_locked(struct ww_mutex *lock)
{
	return atomic_load_explicit(&lock->state, memory_order_relaxed) != 0;
}

void ww_acquire_init(struct ww_acquire_ctx *ctx, struct ww_class *ww_class)
{
	ctx->stamp = atomic64_inc_return(&ww_class->stamp);
	ctx->acquired = 0;
	ctx->ww_class = ww_class;
	ctx->task = compat_current();
	ctx->done = false;
}

void ww_acquire_done(struct ww_acquire_ctx *ctx)
{
#ifdef GVB_LOCKDEP
	WARN_ON(ctx->done);
#endif
	ctx->done = true;
}

void ww_acquire_fini(struct ww_acquire_ctx *ctx)
{
#ifdef GVB_LOCKDEP
	WARN_ON(ctx->acquired);	/* every lock must be unlocked first */
#endif
}

/* ------------------------------------------------------------ dma_resv */
void dma_resv_init(struct dma_resv *obj)
{
	ww_mutex_init(&obj->lock, &reservation_ww_class);
}

void dma_resv_fini(struct dma_resv *obj)
{
	ww_mutex_destroy(&obj->lock);
}
