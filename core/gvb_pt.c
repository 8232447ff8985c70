// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Page-table layer, see gvb_pt.h: the format registry, the wrappers that
 * count and flush around a format's map/unmap, the modelled TLB flush and
 * the per-table cache of table pages.
 */
#include "gvb_pt.h"
#include "gvb_count.h"

const struct gvb_pt_format *const gvb_pt_formats[] = {
	&gvb_pt_arm_lpae_s1,
	NULL,
};

const struct gvb_pt_format *gvb_pt_format_find(const char *name)
{
	const struct gvb_pt_format *const *f;

	for (f = gvb_pt_formats; *f; f++)
		if (!strcmp((*f)->name, name))
			return *f;
	return NULL;
}

/*
 * Table pages come from a slab cache of 4 KiB, 4 KiB-aligned objects, as
 * panthor's do (its pt_cache): buying an op's worst case and returning the
 * unused pages then costs what it costs there, per-CPU freelist operations
 * (per-thread magazines in userspace), not page-allocator calls.
 */
static struct kmem_cache *gvb_pt_slab;

int gvb_pt_pages_init(void)
{
	gvb_pt_slab = kmem_cache_create("gvb_pt", GVB_PT_PAGE_SIZE, GVB_PT_PAGE_SIZE, 0, NULL);
	return gvb_pt_slab ? 0 : -ENOMEM;
}

void gvb_pt_pages_exit(void)
{
	kmem_cache_destroy(gvb_pt_slab);
	gvb_pt_slab = NULL;
}

void *gvb_pt_page_alloc(bool zero)
{
	void *page = kmem_cache_alloc(gvb_pt_slab, GFP_KERNEL);

	if (page && zero)
		memset(page, 0, GVB_PT_PAGE_SIZE);
	return page;
}

void gvb_pt_page_free(void *page)
{
	if (page)
		kmem_cache_free(gvb_pt_slab, page);
}

int gvb_pt_init(struct gvb_pt *pt, const struct gvb_pt_format *fmt, u64 flush_ns)
{
	int ret;

	memset(pt, 0, sizeof(*pt));
	pt->fmt = fmt;
	pt->flush_ns = flush_ns;
	ret = fmt->init(pt);
	if (ret)
		gvb_pt_fini(pt);
	return ret;
}

void gvb_pt_fini(struct gvb_pt *pt)
{
	/* The format hands its tables to gvb_pt_free_table(), so drain the cache last. */
	if (pt->root)
		pt->fmt->fini(pt);
	pt->root = NULL;
	while (pt->cache) {
		void *page = pt->cache;

		pt->cache = *(void **)page;
		gvb_pt_page_free(page);
	}
	pt->cache_count = 0;
}

/*
 * Rejects what no format can handle before it reaches one. Callers are
 * supposed to pass page-aligned, nonempty ranges inside the VA space, so
 * anything else is their bug.
 */
static bool gvb_pt_range_bad(struct gvb_pt *pt, u64 iova, u64 size)
{
	u64 end;

	return WARN_ON(!size || !IS_ALIGNED(iova | size, GVB_PT_PAGE_SIZE) ||
		       check_add_overflow(iova, size, &end) || end > BIT_ULL(pt->fmt->va_bits));
}

int gvb_pt_map(struct gvb_pt *pt, u64 iova, u64 pa, u64 size, u32 prot)
{
	int ret;

	if (gvb_pt_range_bad(pt, iova, size) || WARN_ON(!IS_ALIGNED(pa, GVB_PT_PAGE_SIZE)))
		return -EINVAL;
	ret = pt->fmt->map(pt, iova, pa, size, prot);
	if (!ret)
		pt->stats.maps++;
	/*
	 * Flush even on failure: a failed map rolled back entries it had made
	 * valid, and a real GPU may have cached them meanwhile.
	 */
	gvb_pt_flush(pt, iova, size);
	return ret;
}

int gvb_pt_unmap(struct gvb_pt *pt, u64 iova, u64 size)
{
	int ret;

	if (gvb_pt_range_bad(pt, iova, size))
		return -EINVAL;
	ret = pt->fmt->unmap(pt, iova, size);
	if (!ret)
		pt->stats.unmaps++;
	gvb_pt_flush(pt, iova, size);
	return ret;
}

int gvb_pt_translate(struct gvb_pt *pt, u64 iova, u64 *pa, u32 *prot)
{
	if (iova >= BIT_ULL(pt->fmt->va_bits))
		return -EFAULT;
	return pt->fmt->translate(pt, iova, pa, prot);
}

void gvb_pt_flush(struct gvb_pt *pt, u64 iova, u64 size)
{
	pt->stats.flushes++;
	/*
	 * A busy-wait rather than a sleep: drivers wait for the MMU's
	 * invalidation to complete by polling a status register, with the VM's
	 * locks held, and that hold time is what the benchmark is about.
	 */
	if (pt->flush_ns) {
		u64 start = ktime_get_ns();

		while (ktime_get_ns() - start < pt->flush_ns)
			cpu_relax();
	}
}

/*
 * Cached pages are kept zeroed except for the link in their first word, so
 * handing one out costs one store and a page returned to the cache pays for
 * its clearing on the free path instead.
 */
static void gvb_pt_cache_push(struct gvb_pt *pt, void *page)
{
	*(void **)page = pt->cache;
	pt->cache = page;
	pt->cache_count++;
}

int gvb_pt_prealloc(struct gvb_pt *pt, unsigned int npages)
{
	while (pt->cache_count < npages) {
		void *page = gvb_pt_page_alloc(true);

		if (!page)
			return -ENOMEM;
		gvb_pt_cache_push(pt, page);
	}
	return 0;
}

int gvb_pt_page_list_fill(void **list, unsigned int *count, unsigned int npages)
{
	while (*count < npages) {
		void *page = gvb_pt_page_alloc(false);

		if (!page)
			return -ENOMEM;
		*(void **)page = *list;
		*list = page;
		(*count)++;
		gvb_count_pt(0, 0, 1);
	}
	return 0;
}

void gvb_pt_page_list_free(void **list, unsigned int *count)
{
	while (*list) {
		void *page = *list;

		*list = *(void **)page;
		gvb_pt_page_free(page);
	}
	*count = 0;
}

unsigned int gvb_pt_pages_needed(struct gvb_pt *pt, u64 iova, u64 size)
{
	return pt->fmt->pages_needed(pt, iova, size);
}

unsigned int gvb_pt_op_pages(struct gvb_pt *pt, u64 iova, u64 size, bool map)
{
	return pt->fmt->op_pages(pt, iova, size, map);
}

void *gvb_pt_alloc_table(struct gvb_pt *pt)
{
	void *page;

	if (pt->reserve) {
		page = pt->reserve;
		pt->reserve = *(void **)page;
		pt->reserve_count--;
		memset(page, 0, GVB_PT_PAGE_SIZE);
	} else if (pt->cache) {
		page = pt->cache;
		pt->cache = *(void **)page;
		pt->cache_count--;
		*(void **)page = NULL;
	} else {
		/* On the fence-signalling path a missed preallocation is a driver bug. */
		if (WARN_ON(pt->no_alloc))
			return NULL;
		page = gvb_pt_page_alloc(true);
		if (!page)
			return NULL;
		pt->stats.alloc_fallbacks++;
	}
	pt->stats.tables_allocated++;
	pt->stats.tables_live++;
	gvb_count_pt(1, 0, 0);
	return page;
}

void gvb_pt_free_table(struct gvb_pt *pt, void *table)
{
	pt->stats.tables_freed++;
	pt->stats.tables_live--;
	gvb_count_pt(0, 1, 0);
	if (pt->cache_count < GVB_PT_CACHE_MAX) {
		memset(table, 0, GVB_PT_PAGE_SIZE);
		gvb_pt_cache_push(pt, table);
	} else {
		gvb_pt_page_free(table);
	}
}

int gvb_pt_for_each_leaf(struct gvb_pt *pt,
			 int (*fn)(void *priv, u64 iova, u64 pa, u64 size, u32 prot), void *priv)
{
	return pt->fmt->walk(pt, fn, priv);
}
