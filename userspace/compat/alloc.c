// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * kmalloc(), slab caches and whole pages on top of the C allocator, with
 * the accounting and fault injection that the tests use. Every allocation
 * goes through alloc_begin()/alloc_end(), which is what makes "the nth
 * allocation" mean the same thing whichever function makes it.
 */
#include "compat.h"

#include <pthread.h>

/*
 * Accounting is per thread: one shared counter bumped by every allocation
 * would bounce its cache line between CPUs and make two threads that share
 * nothing look contended. Each thread owns a block, written only by that
 * thread (plain stores through relaxed atomics), and readers sum all blocks.
 * Blocks are never freed: the counts of exited threads still matter.
 *
 * Slab objects also go through a small per-thread magazine per cache, like
 * SLUB's per-CPU freelist, so a kmem_cache_alloc() after a free costs what
 * it costs in the kernel rather than a posix_memalign(). Sanitizer builds
 * skip the magazines: ASan must see every free to catch a use after it.
 */
#define COMPAT_MAX_CACHES	16
#ifdef GVB_SANITIZER
#define COMPAT_MAG_SIZE		0
#else
#define COMPAT_MAG_SIZE		32
#endif

struct thread_block {
	_Atomic long live;
	_Atomic unsigned long count;
	_Atomic long cache_live[COMPAT_MAX_CACHES];
	void *mag[COMPAT_MAX_CACHES][COMPAT_MAG_SIZE ? COMPAT_MAG_SIZE : 1];
	unsigned int nmag[COMPAT_MAX_CACHES];
	struct thread_block *next;
};

struct kmem_cache {
	const char *name;
	size_t size;
	size_t align;
	void (*ctor)(void *);
	int idx;		/* slot in the per-thread blocks, -1 if none left */
};

static atomic_ulong fail_countdown;	/* 0: disarmed */
static atomic_ulong alloc_failed;
static atomic_int next_cache_idx;
static pthread_mutex_t blocks_lock = PTHREAD_MUTEX_INITIALIZER;
static struct thread_block *blocks;
static pthread_key_t block_key;
static pthread_once_t block_once = PTHREAD_ONCE_INIT;
static __thread struct thread_block *my_block;

static void mag_flush(struct thread_block *b, int idx)
{
	while (b->nmag[idx])
		free(b->mag[idx][--b->nmag[idx]]);
}

/* Thread exit: the magazines go back to the C allocator, the counts stay. */
static void block_exit(void *arg)
{
	struct thread_block *b = arg;
	int i;

	/* Under the lock: kmem_cache_destroy() may be emptying it too. */
	pthread_mutex_lock(&blocks_lock);
	for (i = 0; i < COMPAT_MAX_CACHES; i++)
		mag_flush(b, i);
	pthread_mutex_unlock(&blocks_lock);
}

static void block_key_init(void)
{
	pthread_key_create(&block_key, block_exit);
}

static struct thread_block *block_self(void)
{
	struct thread_block *b = my_block;

	if (likely(b))
		return b;
	b = calloc(1, sizeof(*b));
	if (!b)
		abort();	/* accounting cannot be allowed to fail silently */
	pthread_once(&block_once, block_key_init);
	pthread_setspecific(block_key, b);
	pthread_mutex_lock(&blocks_lock);
	b->next = blocks;
	blocks = b;
	pthread_mutex_unlock(&blocks_lock);
	my_block = b;
	return b;
}

/* Owner-only updates: a load and a store, no locked instruction. */
static inline void bump(_Atomic long *v, long d)
{
	atomic_store_explicit(v, atomic_load_explicit(v, memory_order_relaxed) + d,
			      memory_order_relaxed);
}

static long sum_blocks(size_t offset)
{
	struct thread_block *b;
	long sum = 0;

	pthread_mutex_lock(&blocks_lock);
	for (b = blocks; b; b = b->next)
		sum += atomic_load_explicit((_Atomic long *)((char *)b + offset),
					    memory_order_relaxed);
	pthread_mutex_unlock(&blocks_lock);
	return sum;
}

void compat_fail_nth(unsigned long nth)
{
	atomic_store(&fail_countdown, nth);
}

unsigned long compat_alloc_count(void)
{
	return sum_blocks(offsetof(struct thread_block, count));
}

long compat_alloc_live(void)
{
	return sum_blocks(offsetof(struct thread_block, live));
}

unsigned long compat_alloc_failed(void)
{
	return atomic_load_explicit(&alloc_failed, memory_order_relaxed);
}

/*
 * Every allocation attempt starts here: it may sleep unless the caller said
 * it cannot, and it may be the one that fault injection fails. The
 * countdown is a CAS loop so that, with several threads allocating, exactly
 * one attempt sees it reach zero.
 */
static bool alloc_begin(gfp_t gfp)
{
	unsigned long n;

	if (!(gfp & (GFP_NOWAIT | GFP_ATOMIC)))
		might_sleep();
	n = atomic_load_explicit(&fail_countdown, memory_order_relaxed);
	while (n) {
		if (atomic_compare_exchange_weak_explicit(&fail_countdown, &n, n - 1,
							  memory_order_relaxed,
							  memory_order_relaxed)) {
			if (n == 1) {
				atomic_fetch_add_explicit(&alloc_failed, 1, memory_order_relaxed);
				return false;
			}
			break;
		}
	}
	return true;
}

static void *alloc_end(void *p)
{
	if (p) {
		struct thread_block *b = block_self();

		bump((_Atomic long *)&b->count, 1);
		bump(&b->live, 1);
	}
	return p;
}

static void alloc_freed(void)
{
	bump(&block_self()->live, -1);
}

void *kmalloc(size_t size, gfp_t gfp)
{
	if (!alloc_begin(gfp))
		return NULL;
	/* kmalloc(0) is a valid, freeable pointer here (the kernel's is ZERO_SIZE_PTR). */
	if (gfp & __GFP_ZERO)
		return alloc_end(calloc(1, size ? size : 1));
	return alloc_end(malloc(size ? size : 1));
}

void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}

/* Like the kernel, an overflowing n * size fails before any allocation is tried. */
void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (check_mul_overflow(n, size, &bytes))
		return NULL;
	return kmalloc(bytes, gfp | __GFP_ZERO);
}

void *kvmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (check_mul_overflow(n, size, &bytes))
		return NULL;
	return kmalloc(bytes, gfp);
}

void kfree(const void *p)
{
	if (!p)
		return;
	alloc_freed();
	free((void *)p);
}

void kvfree(const void *p)
{
	kfree(p);
}

/* ---------------------------------------------------------------- slab */
/*
 * The cache itself is neither counted nor subject to fault injection: only
 * its objects are, so that a leak check sees what the code under test
 * allocated.
 */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     unsigned int flags, void (*ctor)(void *))
{
	struct kmem_cache *c = calloc(1, sizeof(*c));
	size_t a = align ? align : sizeof(void *);

	if (!c)
		return NULL;
	if (flags & SLAB_HWCACHE_ALIGN)
		a = max_t(size_t, a, 64);
	/* posix_memalign() wants a power of two that is a multiple of sizeof(void *). */
	a = max_t(size_t, a, sizeof(void *));
	if (WARN_ON(a & (a - 1)))
		a = (size_t)1 << (64 - __builtin_clzll(a));
	c->name = name;
	c->size = size ? size : 1;
	c->align = a;
	c->ctor = ctor;
	c->idx = atomic_fetch_add(&next_cache_idx, 1);
	if (c->idx >= COMPAT_MAX_CACHES)
		c->idx = -1;
	return c;
}

void kmem_cache_destroy(struct kmem_cache *c)
{
	if (!c)
		return;
	/*
	 * Objects parked in magazines are free: empty every thread's. Caches
	 * are destroyed at teardown, once the threads using them are done.
	 */
	if (c->idx >= 0) {
		struct thread_block *b;

		pthread_mutex_lock(&blocks_lock);
		for (b = blocks; b; b = b->next)
			mag_flush(b, c->idx);
		pthread_mutex_unlock(&blocks_lock);
		/* The kernel complains the same way about a cache that still has objects. */
		if (WARN_ON(sum_blocks(offsetof(struct thread_block, cache_live) +
				       c->idx * sizeof(_Atomic long)) != 0))
			pr_err("kmem_cache_destroy %s: Slab cache still has objects\n", c->name);
	}
	free(c);
}

static void *cache_alloc(struct kmem_cache *c, gfp_t gfp)
{
	void *p;

	struct thread_block *b;

	if (!alloc_begin(gfp))
		return NULL;
	b = block_self();
	if (COMPAT_MAG_SIZE && c->idx >= 0 && b->nmag[c->idx])
		p = b->mag[c->idx][--b->nmag[c->idx]];
	else if (posix_memalign(&p, c->align, c->size))
		return NULL;
	/*
	 * The kernel runs ctor once, when the slab page is populated, and a
	 * freed object keeps its constructed state; here every object is
	 * fresh, so ctor runs on every allocation.
	 */
	if (c->ctor)
		c->ctor(p);
	if (gfp & __GFP_ZERO)
		memset(p, 0, c->size);
	if (c->idx >= 0)
		bump(&b->cache_live[c->idx], 1);
	return alloc_end(p);
}

void *kmem_cache_alloc(struct kmem_cache *c, gfp_t gfp)
{
	return cache_alloc(c, gfp);
}

void *kmem_cache_zalloc(struct kmem_cache *c, gfp_t gfp)
{
	return cache_alloc(c, gfp | __GFP_ZERO);
}

void kmem_cache_free(struct kmem_cache *c, void *p)
{
	struct thread_block *b;

	if (!p)
		return;
	b = block_self();
	alloc_freed();
	if (c->idx < 0) {
		free(p);
		return;
	}
	bump(&b->cache_live[c->idx], -1);
#if COMPAT_MAG_SIZE
	if (b->nmag[c->idx] < COMPAT_MAG_SIZE) {
		b->mag[c->idx][b->nmag[c->idx]++] = p;
		return;
	}
#endif
	free(p);
}

/* --------------------------------------------------------------- pages */
unsigned long __get_free_page(gfp_t gfp)
{
	void *p;

	if (!alloc_begin(gfp))
		return 0;
	if (posix_memalign(&p, PAGE_SIZE, PAGE_SIZE))
		return 0;
	if (gfp & __GFP_ZERO)
		memset(p, 0, PAGE_SIZE);
	return (unsigned long)(uintptr_t)alloc_end(p);
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	return __get_free_page(gfp | __GFP_ZERO);
}

void free_page(unsigned long addr)
{
	if (!addr)
		return;
	alloc_freed();
	free((void *)(uintptr_t)addr);
}
