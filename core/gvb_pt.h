/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * GPU page tables behind format ops.
 *
 * Real descriptor formats in real page-table memory: 4 KiB table pages,
 * 64-bit entries written with WRITE_ONCE(). Mapping allocates missing
 * levels; unmapping clears entries and splits a block that is only partly
 * unmapped. Which tables an unmap frees is the format's policy, copied from
 * the driver it models, unless pt->reclaim asks for every table an unmap
 * empties to be freed (xe-style drivers count live entries and do that).
 *
 * Allocation: a driver that updates page tables in its run_job path
 * (panthor) may not allocate there. So table pages come from a per-table
 * cache that gvb_pt_prealloc() fills beforehand; only when the cache is
 * empty does the format fall back to the page allocator, and with
 * pt->no_alloc set that fallback is a bug (WARN, -ENOMEM). Freed tables go
 * back to the cache up to GVB_PT_CACHE_MAX pages.
 *
 * A second format is one more gvb_pt_<name>.c with its own
 * struct gvb_pt_format, plus a line in gvb_pt_formats[].
 */
#ifndef GVB_PT_H
#define GVB_PT_H

#include "gvb_seam.h"

#define GVB_PT_PAGE_SIZE	4096UL
#define GVB_PT_CACHE_MAX	64

/* Access rights of a mapping, translated into each format's bits. */
#define GVB_PROT_READ		BIT(0)
#define GVB_PROT_WRITE		BIT(1)
#define GVB_PROT_EXEC		BIT(2)
#define GVB_PROT_RW		(GVB_PROT_READ | GVB_PROT_WRITE)

struct gvb_pt;

struct gvb_pt_format {
	const char *name;
	const char *desc;
	unsigned int va_bits;		/* input address bits, e.g. 48 */
	/*
	 * All of these run with the caller's serialization held. iova, pa and
	 * size are 4 KiB aligned; callers never pass a zero size.
	 */
	int (*init)(struct gvb_pt *pt);
	void (*fini)(struct gvb_pt *pt);	/* frees every table */
	/* Maps [iova, iova+size) to [pa, pa+size). Existing entries there must be invalid. */
	int (*map)(struct gvb_pt *pt, u64 iova, u64 pa, u64 size, u32 prot);
	/* Invalidates [iova, iova+size); parts already unmapped are fine. */
	int (*unmap)(struct gvb_pt *pt, u64 iova, u64 size);
	/* 0 and the output address (and prot) of iova, or -EFAULT if it would fault. */
	int (*translate)(struct gvb_pt *pt, u64 iova, u64 *pa, u32 *prot);
	/*
	 * Upper bound on table pages that map() or unmap() of this range can
	 * need (new levels, block splits), for preallocation.
	 */
	unsigned int (*pages_needed)(struct gvb_pt *pt, u64 iova, u64 size);
	/*
	 * The driver's own worst case for one map (@map) or unmap of the range,
	 * bought in bulk before the op as panthor does: tighter than
	 * pages_needed, because a map's end splits fall in tables the map
	 * counts anyway.
	 */
	unsigned int (*op_pages)(struct gvb_pt *pt, u64 iova, u64 size, bool map);
	/* Calls fn for every valid leaf in ascending iova order; see gvb_pt_for_each_leaf(). */
	int (*walk)(struct gvb_pt *pt, int (*fn)(void *priv, u64 iova, u64 pa, u64 size, u32 prot),
		    void *priv);
};

struct gvb_pt_stats {
	u64 maps, unmaps, flushes;
	u64 blocks;			/* block (huge) descriptors written */
	u64 tables_allocated, tables_freed;
	u64 tables_live;
	u64 alloc_fallbacks;		/* table pages that did not come from the cache */
};

struct gvb_pt {
	const struct gvb_pt_format *fmt;
	void *root;			/* top-level table */
	u64 flush_ns;			/* modelled TLB invalidation cost per flush */
	bool no_alloc;			/* the fence-signalling path: only the cache may be used */
	/*
	 * false (default): the format's driver policy (io-pgtable-arm for
	 * arm-lpae-s1: an unmap frees a table only when it covers the table's
	 * whole range; tables emptied by smaller unmaps stay until teardown).
	 * true: free every table an unmap leaves empty.
	 */
	bool reclaim;
	void *cache;			/* free table pages, linked through their first word */
	unsigned int cache_count;
	/*
	 * A committing two-pass op's own reserve, drawn from before the cache
	 * and handed back (untouched pages and all) when the op is done.
	 */
	void *reserve;
	unsigned int reserve_count;
	struct gvb_pt_stats stats;
};

extern const struct gvb_pt_format gvb_pt_arm_lpae_s1;
extern const struct gvb_pt_format *const gvb_pt_formats[];	/* NULL-terminated */
const struct gvb_pt_format *gvb_pt_format_find(const char *name);

/* The slab of table pages: gvb_core_init() and _exit() call these. */
int gvb_pt_pages_init(void);
void gvb_pt_pages_exit(void);
/* One table page (zeroed if asked), and its release. */
void *gvb_pt_page_alloc(bool zero);
void gvb_pt_page_free(void *page);

int gvb_pt_init(struct gvb_pt *pt, const struct gvb_pt_format *fmt, u64 flush_ns);
void gvb_pt_fini(struct gvb_pt *pt);

/* These call the format and then gvb_pt_flush() once for the range. */
int gvb_pt_map(struct gvb_pt *pt, u64 iova, u64 pa, u64 size, u32 prot);
int gvb_pt_unmap(struct gvb_pt *pt, u64 iova, u64 size);
int gvb_pt_translate(struct gvb_pt *pt, u64 iova, u64 *pa, u32 *prot);
/* The modelled TLB invalidation: busy-waits flush_ns (the lock stays held meanwhile). */
void gvb_pt_flush(struct gvb_pt *pt, u64 iova, u64 size);

/* Makes sure the cache holds at least @npages; -ENOMEM leaves it as it was or fuller. */
int gvb_pt_prealloc(struct gvb_pt *pt, unsigned int npages);
unsigned int gvb_pt_pages_needed(struct gvb_pt *pt, u64 iova, u64 size);
unsigned int gvb_pt_op_pages(struct gvb_pt *pt, u64 iova, u64 size, bool map);
/*
 * Reserving pages outside the table's serialization: gvb_pt_page_list_fill()
 * allocates pages onto a caller-owned list, linked through their first
 * word and not zeroed: a table clears a page when it takes one, as
 * panthor's alloc_pt() does, so unused worst-case pages cost no clearing.
 * gvb_pt_page_list_free() releases what is left of a list.
 * While pt->reserve holds such a list, gvb_pt_alloc_table() takes from it
 * first: an op's upper bound is generous, and lending the list costs two
 * stores where splicing it into the cache would touch every page.
 */
int gvb_pt_page_list_fill(void **list, unsigned int *count, unsigned int npages);
void gvb_pt_page_list_free(void **list, unsigned int *count);

/* For format implementations: a zeroed table page, and its release. */
void *gvb_pt_alloc_table(struct gvb_pt *pt);
void gvb_pt_free_table(struct gvb_pt *pt, void *table);

/*
 * Calls @fn for every valid leaf (page or block) in ascending iova order,
 * for dumps and tests. Stops and returns @fn's value if it is nonzero.
 */
int gvb_pt_for_each_leaf(struct gvb_pt *pt,
			 int (*fn)(void *priv, u64 iova, u64 pa, u64 size, u32 prot), void *priv);

#endif /* GVB_PT_H */
