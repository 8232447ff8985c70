// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * kmalloc(), slab caches and whole pages on top of the C allocator, with
 * the accounting and fault injection that the tests use. Every allocation
 * goes through alloc_begin()/alloc_end(), which is what makes "the nth
 * allocation" mean the same thing whichever function makes it.
 */
#include "compat.h"

struct kmem_cache {
	const char *name;
	size_t size;
	size_t align;
	void (*ctor)(void *);
	atomic_long live;	/* objects not yet freed, checked at destroy */
};

static atomic_ulong fail_countdown;	/* 0: disarmed */
static atomic_ulong alloc_count;
static atomic_long alloc_live;
static atomic_ulong alloc_failed;

void compat_fail_nth(unsigned long nth)
{
	atomic_store(&fail_countdown, nth);
}

unsigned long compat_alloc_count(void)
{
	return atomic_load_explicit(&alloc_count, memory_order_relaxed);
}

long compat_alloc_live(void)
{
	return atomic_load_explicit(&alloc_live, memory_order_relaxed);
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
		atomic_fetch_add_explicit(&alloc_count, 1, memory_order_relaxed);
		atomic_fetch_add_explicit(&alloc_live, 1, memory_order_relaxed);
	}
	return p;
}

static void alloc_freed(void)
{
	atomic_fetch_sub_explicit(&alloc_live, 1, memory_order_relaxed);
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
	atomic_init(&c->live, 0);
	return c;
}

void kmem_cache_destroy(struct kmem_cache *c)
{
	if (!c)
		return;
	/* The kernel complains the same way about a cache that still has objects. */
	if (WARN_ON(atomic_load(&c->live) != 0))
		pr_err("kmem_cache_destroy %s: Slab cache still has objects\n", c->name);
	free(c);
}

static void *cache_alloc(struct kmem_cache *c, gfp_t gfp)
{
	void *p;

	if (!alloc_begin(gfp))
		return NULL;
	if (posix_memalign(&p, c->align, c->size))
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
	atomic_fetch_add_explicit(&c->live, 1, memory_order_relaxed);
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
	if (!p)
		return;
	atomic_fetch_sub_explicit(&c->live, 1, memory_order_relaxed);
	alloc_freed();
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
