/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Userspace implementation of the kernel API subset that core/, strategies/
 * and workloads/ use (see core/gvb_seam.h). Names and semantics follow the
 * kernel; the differences that matter for measurements are listed here.
 *
 * Differences from the kernel:
 * - struct mutex: the fast path is one compare-and-swap on a state word, as
 *   in the kernel. The slow path spins a bounded number of times and then
 *   sleeps on a futex. The kernel instead spins optimistically only while
 *   the owner is running (MCS/OSQ), and hands the lock off to a starving
 *   waiter; we do neither, so contended numbers are not kernel numbers.
 * - ww_mutex uses the wait-die algorithm (like reservation_ww_class):
 *   a younger context that meets a lock held by an older one gets -EDEADLK
 *   if it already holds locks. Waiters sleep on a futex and re-check on each
 *   unlock. There is no wound-wait and no lock stealing. Only the holder is
 *   compared, not other waiters (the kernel also kills a younger context
 *   queued behind an older waiter), so a younger context may wait where the
 *   kernel would back off; it is still deadlock-free. A contender that
 *   could die and finds the lock taken but its holder's stamp not yet
 *   stored spins, then yields, until it is.
 * - The unlock of a mutex or ww_mutex may touch the lock after releasing it
 *   (waking waiters), as the kernel's does: do not free a lock that another
 *   thread may still be unlocking.
 * - spinlock_t is a test-and-test-and-set spinlock; preemption is not
 *   disabled (userspace can be preempted while holding it).
 * - dma_resv is just its ww_mutex; there are no fences.
 * - lockdep is not a dependency checker. Each lock records its owner thread
 *   in every build (lockdep_is_held() needs it). With GVB_LOCKDEP,
 *   lockdep_assert_held() aborts unless the calling thread holds the lock;
 *   might_sleep() (mutex_lock, ww_mutex_lock, sleeping allocations) aborts
 *   inside a spinlock; so do unlocking a lock the caller does not hold and
 *   blocking on a lock the caller already holds. Destroying a locked mutex
 *   or ww_mutex warns (WARN_ON), as DEBUG_MUTEXES does: what usually
 *   follows is a use after free, which ASan must get to see. ww_acquire_ctx misuse (lock after done, fini with locks held)
 *   is a WARN, as with DEBUG_WW_MUTEXES. Without GVB_LOCKDEP (Release
 *   benchmark builds) all of that compiles to nothing, like a kernel
 *   without CONFIG_LOCKDEP.
 * - kmalloc() and friends are malloc()-backed, count live allocations, and
 *   can be told to fail the Nth allocation (compat_fail_nth()). kmalloc(0)
 *   returns a real pointer, not ZERO_SIZE_PTR. A kmem_cache ctor runs on
 *   every allocation (the kernel runs it once per slab object, so a freed
 *   object comes back constructed); kmem_cache_create() itself is neither
 *   counted nor failed. Accounting is per thread (no shared counter line
 *   to bounce between CPUs), and slab objects go through a small per-thread
 *   magazine per cache, like SLUB's per-CPU freelist, except in sanitizer
 *   builds. Whole pages come from posix_memalign(), slower than the page
 *   allocator's per-CPU lists.
 * - system_unbound_wq is one worker thread, started on first use, running
 *   works in FIFO order; it is the only workqueue, so flush_work() and
 *   cancel_work_sync() look for the work there.
 */
#ifndef GVB_COMPAT_H
#define GVB_COMPAT_H

#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- types */
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef unsigned int gfp_t;
typedef u64 phys_addr_t;

/* ------------------------------------------------------------- compiler */
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
/* glibc's <sys/cdefs.h> defines it too, differently spelled: ours wins. */
#undef __always_inline
#define __always_inline		inline __attribute__((always_inline))
#define noinline		__attribute__((noinline))
#define __must_check		__attribute__((warn_unused_result))
#define __maybe_unused		__attribute__((unused))
#define __aligned(x)		__attribute__((aligned(x)))
#define __cacheline_aligned	__aligned(64)
#define fallthrough		__attribute__((fallthrough))
#define barrier()		__asm__ __volatile__("" ::: "memory")
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val)	do { *(volatile __typeof__(x) *)&(x) = (val); } while (0)
#define smp_mb()		atomic_thread_fence(memory_order_seq_cst)
#define smp_rmb()		atomic_thread_fence(memory_order_acquire)
#define smp_wmb()		atomic_thread_fence(memory_order_release)
#define smp_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#if defined(__x86_64__) || defined(__i386__)
#define cpu_relax()		__builtin_ia32_pause()
#elif defined(__aarch64__)
#define cpu_relax()		__asm__ __volatile__("yield" ::: "memory")
#else
#define cpu_relax()		barrier()
#endif

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define BIT(n)			(1UL << (n))
#define BIT_ULL(n)		(1ULL << (n))
#define GENMASK_ULL(h, l)	(((~0ULL) << (l)) & (~0ULL >> (63 - (h))))
#define ALIGN(x, a)		(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define min(a, b)		({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a < _b ? _a : _b; })
#define max(a, b)		({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a > _b ? _a : _b; })
#define min_t(t, a, b)		min((t)(a), (t)(b))
#define max_t(t, a, b)		max((t)(a), (t)(b))
#define check_add_overflow(a, b, d)	__builtin_add_overflow(a, b, d)
#define check_mul_overflow(a, b, d)	__builtin_mul_overflow(a, b, d)

#define SZ_4K			0x00001000UL
#define SZ_64K			0x00010000UL
#define SZ_2M			0x00200000UL
#define SZ_1G			0x40000000UL
#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)

/* ---------------------------------------------------------------- print */
#define pr_err(fmt, ...)	fprintf(stderr, fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...)	fprintf(stderr, fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)	fprintf(stderr, fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	do { if (0) fprintf(stderr, fmt, ##__VA_ARGS__); } while (0)

void compat_warn(const char *file, int line, const char *cond);
void __attribute__((noreturn)) compat_bug(const char *file, int line, const char *cond);
#define WARN_ON(c)		({ bool _c = !!(c); if (unlikely(_c)) compat_warn(__FILE__, __LINE__, #c); _c; })
#define WARN_ON_ONCE(c)		WARN_ON(c)
#define BUG_ON(c)		do { if (unlikely(c)) compat_bug(__FILE__, __LINE__, #c); } while (0)
#define BUG()			compat_bug(__FILE__, __LINE__, "BUG()")
/* Number of WARN_ON()s that fired in this process (tests assert it stays 0). */
unsigned long compat_warn_count(void);

/* --------------------------------------------------------------- atomic */
typedef struct { _Atomic int counter; } atomic_t;
typedef struct { _Atomic long long counter; } atomic64_t;
#define ATOMIC_INIT(i)		{ (i) }
static inline int atomic_read(const atomic_t *v) { return atomic_load_explicit((_Atomic int *)&v->counter, memory_order_relaxed); }
static inline void atomic_set(atomic_t *v, int i) { atomic_store_explicit(&v->counter, i, memory_order_relaxed); }
static inline void atomic_inc(atomic_t *v) { atomic_fetch_add(&v->counter, 1); }
static inline void atomic_dec(atomic_t *v) { atomic_fetch_sub(&v->counter, 1); }
static inline int atomic_inc_return(atomic_t *v) { return atomic_fetch_add(&v->counter, 1) + 1; }
static inline int atomic_dec_return(atomic_t *v) { return atomic_fetch_sub(&v->counter, 1) - 1; }
static inline bool atomic_dec_and_test(atomic_t *v) { return atomic_fetch_sub(&v->counter, 1) == 1; }
static inline bool atomic_add_unless(atomic_t *v, int a, int u)
{
	int c = atomic_load(&v->counter);

	do {
		if (c == u)
			return false;
	} while (!atomic_compare_exchange_weak(&v->counter, &c, c + a));
	return true;
}
static inline long long atomic64_read(const atomic64_t *v) { return atomic_load_explicit((_Atomic long long *)&v->counter, memory_order_relaxed); }
static inline void atomic64_set(atomic64_t *v, long long i) { atomic_store_explicit(&v->counter, i, memory_order_relaxed); }
static inline void atomic64_add(long long i, atomic64_t *v) { atomic_fetch_add(&v->counter, i); }
static inline long long atomic64_inc_return(atomic64_t *v) { return atomic_fetch_add(&v->counter, 1) + 1; }

/* ---------------------------------------------------------------- lists */
struct list_head {
	struct list_head *next, *prev;
};
#define LIST_HEAD_INIT(name)	{ &(name), &(name) }
#define LIST_HEAD(name)		struct list_head name = LIST_HEAD_INIT(name)
static inline void INIT_LIST_HEAD(struct list_head *l) { l->next = l; l->prev = l; }
static inline void __list_add(struct list_head *n, struct list_head *prev, struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	WRITE_ONCE(prev->next, n);
}
static inline void list_add(struct list_head *n, struct list_head *head) { __list_add(n, head, head->next); }
static inline void list_add_tail(struct list_head *n, struct list_head *head) { __list_add(n, head->prev, head); }
static inline void __list_del(struct list_head *prev, struct list_head *next)
{
	next->prev = prev;
	WRITE_ONCE(prev->next, next);
}
/* Poisoned like the kernel's, so a use after list_del() faults. */
#define LIST_POISON1		((struct list_head *)0x100)
#define LIST_POISON2		((struct list_head *)0x122)
static inline void list_del(struct list_head *e)
{
	__list_del(e->prev, e->next);
	e->next = LIST_POISON1;
	e->prev = LIST_POISON2;
}
static inline void list_del_init(struct list_head *e) { __list_del(e->prev, e->next); INIT_LIST_HEAD(e); }
static inline bool list_empty(const struct list_head *h) { return READ_ONCE(h->next) == h; }
static inline bool list_is_head(const struct list_head *l, const struct list_head *h) { return l == h; }
#define list_entry(ptr, type, member)		container_of(ptr, type, member)
#define list_first_entry(ptr, type, member)	list_entry((ptr)->next, type, member)
#define list_last_entry(ptr, type, member)	list_entry((ptr)->prev, type, member)
#define list_first_entry_or_null(ptr, type, member) \
	(list_empty(ptr) ? NULL : list_first_entry(ptr, type, member))
#define list_next_entry(pos, member)	list_entry((pos)->member.next, __typeof__(*(pos)), member)
#define list_prev_entry(pos, member)	list_entry((pos)->member.prev, __typeof__(*(pos)), member)
#define list_entry_is_head(pos, head, member)	(&(pos)->member == (head))
#define list_for_each(pos, head) \
	for (pos = (head)->next; pos != (head); pos = pos->next)
#define list_for_each_entry(pos, head, member) \
	for (pos = list_first_entry(head, __typeof__(*pos), member); \
	     !list_entry_is_head(pos, head, member); pos = list_next_entry(pos, member))
#define list_for_each_entry_safe(pos, n, head, member) \
	for (pos = list_first_entry(head, __typeof__(*pos), member), n = list_next_entry(pos, member); \
	     !list_entry_is_head(pos, head, member); pos = n, n = list_next_entry(n, member))

/* --------------------------------------------------------------- llists */
struct llist_node {
	struct llist_node *next;
};
struct llist_head {
	struct llist_node *_Atomic first;
};
static inline void init_llist_head(struct llist_head *l) { atomic_store(&l->first, NULL); }
static inline bool llist_empty(const struct llist_head *l) { return atomic_load((struct llist_node *_Atomic *)&l->first) == NULL; }
/* Returns true if the list was empty before the add, as in the kernel. */
static inline bool llist_add(struct llist_node *n, struct llist_head *h)
{
	struct llist_node *first = atomic_load(&h->first);

	do {
		n->next = first;
	} while (!atomic_compare_exchange_weak(&h->first, &first, n));
	return first == NULL;
}
static inline struct llist_node *llist_del_all(struct llist_head *h) { return atomic_exchange(&h->first, NULL); }
#define llist_entry(ptr, type, member)	container_of(ptr, type, member)
#define llist_for_each_entry_safe(pos, n, node, member) \
	for (pos = (node) ? llist_entry((node), __typeof__(*pos), member) : NULL; \
	     pos && (n = pos->member.next ? llist_entry(pos->member.next, __typeof__(*pos), member) : NULL, 1); \
	     pos = n)

/* ---------------------------------------------------------- allocation */
#define GFP_KERNEL		0x01u
#define GFP_NOWAIT		0x02u
#define GFP_ATOMIC		0x04u
#define __GFP_ZERO		0x100u
#define __GFP_NOWARN		0x200u

void *kmalloc(size_t size, gfp_t gfp);
void *kzalloc(size_t size, gfp_t gfp);
void *kcalloc(size_t n, size_t size, gfp_t gfp);
void *kvmalloc_array(size_t n, size_t size, gfp_t gfp);
void kfree(const void *p);
void kvfree(const void *p);

struct kmem_cache;
#define SLAB_HWCACHE_ALIGN	0x1u
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     unsigned int flags, void (*ctor)(void *));
void kmem_cache_destroy(struct kmem_cache *c);
void *kmem_cache_alloc(struct kmem_cache *c, gfp_t gfp);
void *kmem_cache_zalloc(struct kmem_cache *c, gfp_t gfp);
void kmem_cache_free(struct kmem_cache *c, void *p);

/* Whole 4 KiB pages, PAGE_SIZE aligned (page-table memory). */
unsigned long __get_free_page(gfp_t gfp);
unsigned long get_zeroed_page(gfp_t gfp);
void free_page(unsigned long addr);
#define gvb_virt_to_phys(p)	((phys_addr_t)(uintptr_t)(p))
#define gvb_phys_to_virt(pa)	((void *)(uintptr_t)(pa))

/*
 * Fault injection: the nth allocation from now (1 = the next one) fails,
 * whichever of the functions above makes it. 0 disables. Counts are per
 * process.
 */
void compat_fail_nth(unsigned long nth);
/* Successful allocations since the process started. */
unsigned long compat_alloc_count(void);
/* Live allocations (allocated and not yet freed), for leak checks. */
long compat_alloc_live(void);
/* Failures injected so far. */
unsigned long compat_alloc_failed(void);

/* ------------------------------------------------------------- lockdep */
/*
 * The per-lock record that lockdep-style checks use. owner is the thread
 * that holds the lock (compat_current()), or NULL.
 */
struct lockdep_map {
	const void *_Atomic owner;
};
/* An opaque non-NULL identity for the calling thread (its `current`). */
const void *compat_current(void);
void __attribute__((noreturn)) compat_lockdep_fail(const char *file, int line, const char *what);
/* Locks of any kind (mutex, spinlock, ww_mutex) the calling thread holds now. */
int compat_held_locks(void);
/* Spinlocks the calling thread holds now (might_sleep() checks this). */
int compat_atomic_depth(void);
/* compat-private: the counters behind the two functions above; the lock functions keep them. */
extern __thread int compat_tls_held_locks;
extern __thread int compat_tls_atomic_depth;

#ifdef GVB_LOCKDEP
#define lockdep_assert_held(l) \
	do { if (atomic_load(&(l)->dep_map.owner) != compat_current()) \
		compat_lockdep_fail(__FILE__, __LINE__, "lockdep_assert_held(" #l ")"); } while (0)
#define lockdep_assert_not_held(l) \
	do { if (atomic_load(&(l)->dep_map.owner) == compat_current()) \
		compat_lockdep_fail(__FILE__, __LINE__, "lockdep_assert_not_held(" #l ")"); } while (0)
#define might_sleep() \
	do { if (compat_atomic_depth() > 0) \
		compat_lockdep_fail(__FILE__, __LINE__, "might_sleep() inside a spinlock"); } while (0)
#else
#define lockdep_assert_held(l)		do { (void)(l); } while (0)
#define lockdep_assert_not_held(l)	do { (void)(l); } while (0)
#define might_sleep()			do { } while (0)
#endif
#define lockdep_is_held(l)		(atomic_load(&(l)->dep_map.owner) == compat_current())

/* -------------------------------------------------------------- spinlock */
typedef struct {
	_Atomic int locked;
	struct lockdep_map dep_map;
} spinlock_t;
void spin_lock_init(spinlock_t *l);
void spin_lock(spinlock_t *l);
void spin_unlock(spinlock_t *l);
bool spin_trylock(spinlock_t *l);

/* ---------------------------------------------------------------- mutex */
struct mutex {
	_Atomic u32 state;	/* 0 unlocked, 1 locked, 2 locked with waiters */
	struct lockdep_map dep_map;
};
void mutex_init(struct mutex *m);
void mutex_destroy(struct mutex *m);
void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);
int mutex_trylock(struct mutex *m);	/* 1 on success, like the kernel */
bool mutex_is_locked(struct mutex *m);

/* ------------------------------------------------------------- ww_mutex */
struct ww_class {
	atomic64_t stamp;
	const char *name;
};
#define DEFINE_WW_CLASS(classname) \
	struct ww_class classname = { .stamp = ATOMIC_INIT(0), .name = #classname }
struct ww_acquire_ctx {
	u64 stamp;
	unsigned int acquired;
	struct ww_class *ww_class;
	const void *task;
	bool done;
};
struct ww_mutex {
	_Atomic u32 state;		/* 0 unlocked, 1 locked */
	_Atomic u32 waiters;		/* threads sleeping in the slow path */
	_Atomic u32 seq;		/* futex word, bumped on every contended unlock */
	struct ww_acquire_ctx *_Atomic ctx;	/* the holder's context, NULL if none */
	/*
	 * compat-private: the holder's ctx stamp, 0 while none is published
	 * yet, UINT64_MAX for a holder without a ctx. Contenders decide wait or
	 * die from this word and never dereference ctx, which the holder may
	 * release and free under them.
	 */
	_Atomic u64 holder;
	struct ww_class *ww_class;
	struct lockdep_map dep_map;
};
void ww_mutex_init(struct ww_mutex *lock, struct ww_class *ww_class);
void ww_mutex_destroy(struct ww_mutex *lock);
/*
 * 0 on success; -EALREADY if ctx already holds it; -EDEADLK if ctx must back
 * off (drop all its locks, then ww_mutex_lock_slow() this one). ctx may be
 * NULL: then it simply sleeps until the lock is free.
 */
int __must_check ww_mutex_lock(struct ww_mutex *lock, struct ww_acquire_ctx *ctx);
void ww_mutex_lock_slow(struct ww_mutex *lock, struct ww_acquire_ctx *ctx);
bool ww_mutex_trylock(struct ww_mutex *lock, struct ww_acquire_ctx *ctx);
void ww_mutex_unlock(struct ww_mutex *lock);
bool ww_mutex_is_locked(struct ww_mutex *lock);
void ww_acquire_init(struct ww_acquire_ctx *ctx, struct ww_class *ww_class);
void ww_acquire_done(struct ww_acquire_ctx *ctx);
void ww_acquire_fini(struct ww_acquire_ctx *ctx);

/* ------------------------------------------------------------- dma_resv */
extern struct ww_class reservation_ww_class;
struct dma_resv {
	struct ww_mutex lock;
};
void dma_resv_init(struct dma_resv *obj);
void dma_resv_fini(struct dma_resv *obj);
static inline int dma_resv_lock(struct dma_resv *obj, struct ww_acquire_ctx *ctx)
{
	return ww_mutex_lock(&obj->lock, ctx);
}
static inline void dma_resv_lock_slow(struct dma_resv *obj, struct ww_acquire_ctx *ctx)
{
	ww_mutex_lock_slow(&obj->lock, ctx);
}
static inline bool dma_resv_trylock(struct dma_resv *obj) { return ww_mutex_trylock(&obj->lock, NULL); }
static inline void dma_resv_unlock(struct dma_resv *obj) { ww_mutex_unlock(&obj->lock); }
static inline bool dma_resv_is_locked(struct dma_resv *obj) { return ww_mutex_is_locked(&obj->lock); }
#define dma_resv_held(obj)		lockdep_is_held(&(obj)->lock)
#define dma_resv_assert_held(obj)	lockdep_assert_held(&(obj)->lock)

/* ----------------------------------------------------------------- kref */
struct kref {
	atomic_t refcount;
};
static inline void kref_init(struct kref *k) { atomic_set(&k->refcount, 1); }
static inline unsigned int kref_read(const struct kref *k) { return atomic_read(&k->refcount); }
static inline void kref_get(struct kref *k) { WARN_ON(atomic_inc_return(&k->refcount) < 2); }
static inline bool kref_get_unless_zero(struct kref *k) { return atomic_add_unless(&k->refcount, 1, 0); }
static inline int kref_put(struct kref *k, void (*release)(struct kref *k))
{
	if (atomic_dec_and_test(&k->refcount)) {
		release(k);
		return 1;
	}
	return 0;
}
/*
 * Drops a reference; if it was the last, takes @m first and calls @release
 * with @m held. @release must unlock @m. As in the kernel, the lock is taken
 * only when the count would reach zero.
 */
static inline int kref_put_mutex(struct kref *k, void (*release)(struct kref *k), struct mutex *m)
{
	if (atomic_add_unless(&k->refcount, -1, 1))
		return 0;
	mutex_lock(m);
	if (!atomic_dec_and_test(&k->refcount)) {
		mutex_unlock(m);
		return 0;
	}
	release(k);
	return 1;
}

/* ------------------------------------------------------------ workqueue */
struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);
struct work_struct {
	work_func_t func;
	/*
	 * compat-private: 0 idle, 1 pending. Whether it is running is kept by
	 * the worker, not here: the function may free the work it was given.
	 */
	_Atomic int state;
	struct work_struct *next;	/* compat-private queue link */
};
struct workqueue_struct;
extern struct workqueue_struct *system_unbound_wq;
#define INIT_WORK(w, f)	do { (w)->func = (f); atomic_store(&(w)->state, 0); (w)->next = NULL; } while (0)
/* false if the work was already pending, as in the kernel */
bool queue_work(struct workqueue_struct *wq, struct work_struct *work);
/* Waits until @work is neither pending nor running; true if it waited. */
bool flush_work(struct work_struct *work);
bool cancel_work_sync(struct work_struct *work);
/* CPU time consumed by the workqueue's worker thread(s) so far, in ns. */
u64 compat_wq_cpu_ns(struct workqueue_struct *wq);
/* Stops system_unbound_wq's worker (tests call it before leak checks). */
void compat_wq_shutdown(void);

/* ----------------------------------------------------------------- time */
u64 ktime_get_ns(void);
void ndelay(unsigned long ns);

#endif /* GVB_COMPAT_H */
