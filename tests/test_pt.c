// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Page-table layer and the ARM LPAE stage-1 format: descriptor bits against
 * the architecture's values, map/unmap/translate, block splits, freeing of
 * empty tables, a randomized run against a page-granular oracle, allocation
 * failure, the no-allocation path, the table cache and the flush model.
 *
 * Usage: test_pt [seed]
 */
#include "gvb_pt.h"
#include "gvb_test.h"

/* Architecture values (Arm ARM, VMSAv8-64), written out independently of the format's macros. */
#define A_TYPE_MASK	0x3ULL
#define A_TABLE		0x3ULL
#define A_PAGE		0x3ULL
#define A_BLOCK		0x1ULL
#define A_ATTRIDX(n)	((u64)(n) << 2)
#define A_AP1_UNPRIV	(1ULL << 6)
#define A_AP2_RDONLY	(1ULL << 7)
#define A_SH_INNER	(3ULL << 8)
#define A_AF		(1ULL << 10)
#define A_NG		(1ULL << 11)
#define A_PXN		(1ULL << 53)
#define A_UXN		(1ULL << 54)
#define A_OA_MASK	0x0000fffffffff000ULL
#define A_MAIR_CACHED	1	/* io-pgtable-arm's ARM_LPAE_MAIR_ATTR_IDX_CACHE */

#define SZ_512G		(512ULL << 30)

static u64 rng_state = 0x9e3779b97f4a7c15ULL;

static u64 rnd_below(u64 n)
{
	return gvb_rand64(&rng_state) % n;
}

/* ------------------------------------------------------------- helpers */

struct leaf {
	u64 iova, pa, size;
	u32 prot;
};

struct leaves {
	unsigned int n, cap;
	struct leaf *v;
};

static int collect_leaf(void *priv, u64 iova, u64 pa, u64 size, u32 prot)
{
	struct leaves *l = priv;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v)
			abort();
	}
	l->v[l->n++] = (struct leaf){ iova, pa, size, prot };
	return 0;
}

/* The walk as a list; also checks that it comes in ascending, disjoint order. */
static void snapshot(struct gvb_pt *pt, struct leaves *l)
{
	unsigned int i;
	bool sorted = true;

	l->n = 0;
	CHECK(gvb_pt_for_each_leaf(pt, collect_leaf, l) == 0);
	for (i = 1; i < l->n; i++)
		if (l->v[i].iova < l->v[i - 1].iova + l->v[i - 1].size)
			sorted = false;
	CHECK(sorted, "walk not ascending");
}

static bool same_leaves(const struct leaves *a, const struct leaves *b)
{
	unsigned int i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (a->v[i].iova != b->v[i].iova || a->v[i].pa != b->v[i].pa ||
		    a->v[i].size != b->v[i].size || a->v[i].prot != b->v[i].prot)
			return false;
	return true;
}

static void leaves_free(struct leaves *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* The raw leaf descriptor for iova by walking pt->root, and its level; 0 if none. */
static u64 raw_leaf(struct gvb_pt *pt, u64 iova, int *level)
{
	u64 *table = pt->root;
	int lvl;

	for (lvl = 0; lvl < 4; lvl++) {
		u64 pte = table[(iova >> (39 - 9 * lvl)) & 511];

		*level = lvl;
		if (!(pte & 1))
			return 0;
		if (lvl == 3 || (pte & A_TYPE_MASK) == A_BLOCK)
			return pte;
		table = gvb_phys_to_virt(pte & A_OA_MASK);
	}
	return 0;
}

/*
 * Counts the tables reachable from the root and checks that none but the
 * root is empty and that every table descriptor is well formed.
 */
static unsigned long count_tables(u64 *table, int lvl, bool *ok)
{
	unsigned long n = 1, valid = 0;
	int i;

	for (i = 0; i < 512; i++) {
		u64 pte = table[i];

		if (!(pte & 1))
			continue;
		valid++;
		if (lvl < 3 && (pte & A_TYPE_MASK) == A_TABLE) {
			/* no upper attributes (APTable, XNTable...) on our tables */
			if (pte & ~(A_OA_MASK | 0xfffULL))
				*ok = false;
			n += count_tables(gvb_phys_to_virt(pte & A_OA_MASK), lvl + 1, ok);
		} else if ((lvl == 0 || lvl == 3) && (pte & A_TYPE_MASK) == A_BLOCK) {
			*ok = false;				/* reserved encodings */
		}
	}
	if (lvl > 0 && !valid)
		*ok = false;
	return n;
}

static void check_structure(struct gvb_pt *pt, const char *when)
{
	bool ok = true;
	unsigned long n = count_tables(pt->root, 0, &ok);

	CHECK(ok, "%s: empty or malformed table", when);
	CHECK(n == pt->stats.tables_live, "%s: %lu tables reachable, tables_live %llu", when, n,
	      (unsigned long long)pt->stats.tables_live);
}

static void drain_cache(struct gvb_pt *pt)
{
	while (pt->cache) {
		void *p = pt->cache;

		pt->cache = *(void **)p;
		pt->cache_count--;
		gvb_pt_page_free(p);
	}
}

static void expect_translate(struct gvb_pt *pt, u64 iova, u64 pa, u32 prot)
{
	u64 got = 0;
	u32 gprot = 0;
	int ret = gvb_pt_translate(pt, iova, &got, &gprot);

	CHECK(ret == 0 && got == pa && gprot == prot,
	      "iova %#llx: ret %d pa %#llx prot %#x, want %#llx %#x", (unsigned long long)iova,
	      ret, (unsigned long long)got, gprot, (unsigned long long)pa, prot);
}

static void expect_fault(struct gvb_pt *pt, u64 iova)
{
	u64 got;

	CHECK(gvb_pt_translate(pt, iova, &got, NULL) == -EFAULT, "iova %#llx should fault",
	      (unsigned long long)iova);
}

/* --------------------------------------------------------------- tests */

static void test_registry(void)
{
	unsigned int n = 0;

	while (gvb_pt_formats[n])
		n++;
	CHECK(n >= 1);
	CHECK(gvb_pt_format_find("arm-lpae-s1") == &gvb_pt_arm_lpae_s1);
	CHECK(gvb_pt_format_find("no-such-format") == NULL);
	CHECK(gvb_pt_arm_lpae_s1.va_bits == 48);
}

static void test_descriptors(void)
{
	const u64 attr = A_ATTRIDX(A_MAIR_CACHED) | A_AP1_UNPRIV | A_SH_INNER | A_AF | A_NG;
	const u64 xn = A_PXN | A_UXN;
	struct gvb_pt pt;
	struct leaves l = {};
	u64 iova, pa, pte;
	int lvl;

	CHECK(gvb_pt_init(&pt, &gvb_pt_arm_lpae_s1, 0) == 0);
	pt.reclaim = true;	/* the reclaiming policy; io-pgtable's: test_io_pgtable() */
	CHECK(pt.stats.tables_live == 1);

	/* 4 KiB page, read/write, no exec */
	iova = 0x0000123456789000ULL;
	pa = 0x0000abcdef012000ULL;
	CHECK(gvb_pt_map(&pt, iova, pa, SZ_4K, GVB_PROT_RW) == 0);
	pte = raw_leaf(&pt, iova, &lvl);
	CHECK(lvl == 3 && pte == (pa | A_PAGE | attr | xn), "page pte %#llx lvl %d",
	      (unsigned long long)pte, lvl);
	expect_translate(&pt, iova + 0x123, pa + 0x123, GVB_PROT_RW);

	/* read-only sets AP[2]; exec clears PXN and UXN */
	CHECK(gvb_pt_map(&pt, iova + SZ_4K, pa + 0x10000, SZ_4K, GVB_PROT_READ) == 0);
	pte = raw_leaf(&pt, iova + SZ_4K, &lvl);
	CHECK(lvl == 3 && pte == ((pa + 0x10000) | A_PAGE | attr | A_AP2_RDONLY | xn));
	expect_translate(&pt, iova + SZ_4K, pa + 0x10000, GVB_PROT_READ);
	CHECK(gvb_pt_map(&pt, iova + 2 * SZ_4K, pa, SZ_4K, GVB_PROT_RW | GVB_PROT_EXEC) == 0);
	pte = raw_leaf(&pt, iova + 2 * SZ_4K, &lvl);
	CHECK(lvl == 3 && pte == (pa | A_PAGE | attr));
	expect_translate(&pt, iova + 2 * SZ_4K + 7, pa + 7, GVB_PROT_RW | GVB_PROT_EXEC);

	/* 2 MiB block at L2 */
	iova = 0x0000004000200000ULL;
	pa = 0x0000008000400000ULL;
	CHECK(gvb_pt_map(&pt, iova, pa, SZ_2M, GVB_PROT_RW) == 0);
	pte = raw_leaf(&pt, iova + 0x1234, &lvl);
	CHECK(lvl == 2 && pte == (pa | A_BLOCK | attr | xn), "2M pte %#llx lvl %d",
	      (unsigned long long)pte, lvl);
	expect_translate(&pt, iova + 0x1ff123, pa + 0x1ff123, GVB_PROT_RW);
	expect_fault(&pt, iova + SZ_2M);
	expect_fault(&pt, iova - SZ_4K);

	/* 1 GiB block at L1 */
	iova = 0x0000008040000000ULL;
	pa = 0x0000004000000000ULL;
	CHECK(gvb_pt_map(&pt, iova, pa, SZ_1G, GVB_PROT_READ | GVB_PROT_EXEC) == 0);
	pte = raw_leaf(&pt, iova + 0x3456789, &lvl);
	CHECK(lvl == 1 && pte == (pa | A_BLOCK | attr | A_AP2_RDONLY), "1G pte %#llx lvl %d",
	      (unsigned long long)pte, lvl);
	expect_translate(&pt, iova + 0x3456789, pa + 0x3456789, GVB_PROT_READ | GVB_PROT_EXEC);

	/* iova 2M-aligned but pa not: no block, 512 pages */
	iova = 0x0000000000600000ULL;
	pa = 0x0000000100001000ULL;
	CHECK(gvb_pt_map(&pt, iova, pa, SZ_2M, GVB_PROT_RW) == 0);
	pte = raw_leaf(&pt, iova, &lvl);
	CHECK(lvl == 3 && pte == (pa | A_PAGE | attr | xn));

	/* 1 GiB-aligned, but only 2 MiB of it: a 2M block, not a 1G one */
	iova = 0x0000010000000000ULL;
	pa = 0x0000000040000000ULL;
	CHECK(gvb_pt_map(&pt, iova, pa, SZ_2M, GVB_PROT_RW) == 0);
	raw_leaf(&pt, iova, &lvl);
	CHECK(lvl == 2);

	snapshot(&pt, &l);
	CHECK(l.n == 3 + 1 + 1 + 512 + 1, "%u leaves", l.n);
	CHECK(pt.stats.blocks == 3, "%llu blocks", (unsigned long long)pt.stats.blocks);
	check_structure(&pt, "descriptors");
	/* no address beyond the 48-bit input range */
	expect_fault(&pt, 1ULL << 48);
	leaves_free(&l);
	gvb_pt_fini(&pt);
}

static void test_roundtrip(void)
{
	struct gvb_pt pt;
	struct leaves before = {}, after = {};
	const u64 base = 0x0000007ff0000000ULL, pa = 0x0000000200000000ULL;
	unsigned long warns;
	u64 i;

	CHECK(gvb_pt_init(&pt, &gvb_pt_arm_lpae_s1, 0) == 0);
	pt.reclaim = true;	/* the reclaiming policy; io-pgtable's: test_io_pgtable() */
	CHECK(gvb_pt_map(&pt, base, pa, 64 * SZ_4K, GVB_PROT_RW) == 0);
	for (i = 0; i < 64; i++)
		expect_translate(&pt, base + i * SZ_4K, pa + i * SZ_4K, GVB_PROT_RW);
	expect_fault(&pt, base + 64 * SZ_4K);
	CHECK(pt.stats.maps == 1 && pt.stats.flushes == 1);

	/* unmap a hole, then a range that is only partly mapped, then nothing at all */
	CHECK(gvb_pt_unmap(&pt, base + 8 * SZ_4K, 8 * SZ_4K) == 0);
	CHECK(gvb_pt_unmap(&pt, base + 60 * SZ_4K, 100 * SZ_4K) == 0);
	CHECK(gvb_pt_unmap(&pt, base + 1000 * SZ_4K, SZ_4K) == 0);
	for (i = 0; i < 64; i++) {
		if ((i >= 8 && i < 16) || i >= 60)
			expect_fault(&pt, base + i * SZ_4K);
		else
			expect_translate(&pt, base + i * SZ_4K, pa + i * SZ_4K, GVB_PROT_RW);
	}
	CHECK(pt.stats.unmaps == 3 && pt.stats.flushes == 4);
	check_structure(&pt, "roundtrip");

	/* remap the hole elsewhere */
	CHECK(gvb_pt_map(&pt, base + 8 * SZ_4K, 0x1000000, 8 * SZ_4K, GVB_PROT_READ) == 0);
	expect_translate(&pt, base + 9 * SZ_4K + 1, 0x1001001, GVB_PROT_READ);

	/*
	 * Overlaps are caller bugs: WARN and -EEXIST, and what was mapped
	 * before the conflict was found is taken back.
	 */
	snapshot(&pt, &before);
	warns = compat_warn_count();
	CHECK(gvb_pt_map(&pt, base - 4 * SZ_4K, pa, 5 * SZ_4K, GVB_PROT_RW) == -EEXIST);
	/* conflict found after new tables were made for the first part */
	CHECK(gvb_pt_map(&pt, base - SZ_1G, pa, SZ_1G + SZ_4K, GVB_PROT_RW) == -EEXIST);
	/* a 2M block over an L3 table */
	CHECK(gvb_pt_map(&pt, ALIGN_DOWN(base, SZ_2M), 0, SZ_2M, GVB_PROT_RW) == -EEXIST);
	/* a page inside an existing 2M block */
	CHECK(gvb_pt_map(&pt, base + SZ_2M, 0x40000000, SZ_2M, GVB_PROT_RW) == 0);
	CHECK(gvb_pt_map(&pt, base + SZ_2M + SZ_4K, pa, SZ_4K, GVB_PROT_RW) == -EEXIST);
	CHECK(gvb_pt_unmap(&pt, base + SZ_2M, SZ_2M) == 0);
	CHECK(compat_warn_count() == warns + 4, "%lu warnings", compat_warn_count() - warns);
	snapshot(&pt, &after);
	CHECK(same_leaves(&before, &after));
	check_structure(&pt, "after -EEXIST");

	/* bad arguments */
	CHECK(gvb_pt_map(&pt, base + 1, pa, SZ_4K, GVB_PROT_RW) == -EINVAL);
	CHECK(gvb_pt_map(&pt, (1ULL << 48) - SZ_4K, pa, 2 * SZ_4K, GVB_PROT_RW) == -EINVAL);
	CHECK(gvb_pt_unmap(&pt, base, 0) == -EINVAL);
	CHECK(compat_warn_count() == warns + 7);

	/* the very top of the VA space */
	CHECK(gvb_pt_map(&pt, (1ULL << 48) - SZ_2M, SZ_2M, SZ_2M, GVB_PROT_RW) == 0);
	expect_translate(&pt, (1ULL << 48) - 1, 2 * SZ_2M - 1, GVB_PROT_RW);
	CHECK(gvb_pt_unmap(&pt, (1ULL << 48) - SZ_4K, SZ_4K) == 0);
	expect_fault(&pt, (1ULL << 48) - 1);
	expect_translate(&pt, (1ULL << 48) - 2 * SZ_4K, 2 * SZ_2M - 2 * SZ_4K, GVB_PROT_RW);

	CHECK(gvb_pt_unmap(&pt, 0, 1ULL << 48) == 0);
	CHECK(pt.stats.tables_live == 1);
	snapshot(&pt, &after);
	CHECK(after.n == 0);
	leaves_free(&before);
	leaves_free(&after);
	gvb_pt_fini(&pt);
}

static void test_split(void)
{
	struct gvb_pt pt;
	struct leaves l = {};
	const u64 b2 = 0x0000001234400000ULL, p2 = 0x0000000076600000ULL;
	const u64 b1 = 0x0000020000000000ULL + 3 * SZ_1G, p1 = 0x0000000c0000000ULL;
	unsigned int i, pages = 0, blocks2m = 0;
	int lvl;
	u64 pte;

	CHECK(gvb_pt_init(&pt, &gvb_pt_arm_lpae_s1, 0) == 0);
	pt.reclaim = true;	/* the reclaiming policy; io-pgtable's: test_io_pgtable() */

	/* a 4K hole in the middle of a 2 MiB block */
	CHECK(gvb_pt_map(&pt, b2, p2, SZ_2M, GVB_PROT_READ) == 0);
	CHECK(pt.stats.tables_live == 3);	/* root, L1, L2 holding the block */
	CHECK(gvb_pt_unmap(&pt, b2 + 100 * SZ_4K, SZ_4K) == 0);
	CHECK(pt.stats.tables_live == 4);
	for (i = 0; i < 512; i++) {
		if (i == 100)
			expect_fault(&pt, b2 + i * SZ_4K);
		else
			expect_translate(&pt, b2 + i * SZ_4K + 5, p2 + i * SZ_4K + 5,
					 GVB_PROT_READ);
	}
	/* the pages carry the block's attributes */
	pte = raw_leaf(&pt, b2, &lvl);
	CHECK(lvl == 3 && pte == (p2 | A_PAGE | A_ATTRIDX(A_MAIR_CACHED) | A_AP1_UNPRIV |
				  A_AP2_RDONLY | A_SH_INNER | A_AF | A_NG | A_PXN | A_UXN));
	snapshot(&pt, &l);
	CHECK(l.n == 511);
	check_structure(&pt, "2M split");

	/* two cuts across 2M boundaries inside a 1 GiB block: 1G and both 2M blocks split */
	CHECK(gvb_pt_map(&pt, b1, p1, SZ_1G, GVB_PROT_RW) == 0);
	raw_leaf(&pt, b1, &lvl);
	CHECK(lvl == 1);
	CHECK(gvb_pt_unmap(&pt, b1 + 5 * SZ_2M - SZ_4K, SZ_2M + 2 * SZ_4K) == 0);
	for (i = 0; i < 512; i++) {
		u64 off = (u64)i * SZ_2M;

		/* sample start, middle and end of each 2M; 4 lost its last page, 6 its first */
		if (i == 4) {
			CHECK(raw_leaf(&pt, b1 + off, &lvl) && lvl == 3);
			expect_translate(&pt, b1 + off, p1 + off, GVB_PROT_RW);
			expect_translate(&pt, b1 + off + SZ_2M - SZ_4K - 1,
					 p1 + off + SZ_2M - SZ_4K - 1, GVB_PROT_RW);
			expect_fault(&pt, b1 + off + SZ_2M - SZ_4K);
		} else if (i == 5) {
			expect_fault(&pt, b1 + off);
			expect_fault(&pt, b1 + off + 0x100000);
			expect_fault(&pt, b1 + off + SZ_2M - 1);
		} else if (i == 6) {
			expect_fault(&pt, b1 + off);
			expect_fault(&pt, b1 + off + SZ_4K - 1);
			CHECK(raw_leaf(&pt, b1 + off + SZ_4K, &lvl) && lvl == 3);
			expect_translate(&pt, b1 + off + SZ_4K, p1 + off + SZ_4K, GVB_PROT_RW);
			expect_translate(&pt, b1 + off + SZ_2M - 1, p1 + off + SZ_2M - 1,
					 GVB_PROT_RW);
		} else {
			CHECK(raw_leaf(&pt, b1 + off, &lvl) && lvl == 2);
			expect_translate(&pt, b1 + off, p1 + off, GVB_PROT_RW);
			expect_translate(&pt, b1 + off + 0x1234, p1 + off + 0x1234, GVB_PROT_RW);
			expect_translate(&pt, b1 + off + SZ_2M - 1, p1 + off + SZ_2M - 1,
					 GVB_PROT_RW);
		}
	}
	expect_fault(&pt, b1 + 4 * SZ_2M + SZ_2M - SZ_4K);
	expect_fault(&pt, b1 + 6 * SZ_2M);
	snapshot(&pt, &l);
	for (i = 0; i < l.n; i++) {
		pages += l.v[i].size == SZ_4K;
		blocks2m += l.v[i].size == SZ_2M;
	}
	CHECK(pages == 511 + 511 + 511 && blocks2m == 509, "%u pages %u blocks", pages, blocks2m);
	check_structure(&pt, "1G split");

	/* unmapping the rest piece by piece frees every table again */
	CHECK(gvb_pt_unmap(&pt, b1, 5 * SZ_2M - SZ_4K) == 0);
	CHECK(gvb_pt_unmap(&pt, b1 + 6 * SZ_2M + SZ_4K, SZ_1G - 6 * SZ_2M - SZ_4K) == 0);
	CHECK(gvb_pt_unmap(&pt, b2, 100 * SZ_4K) == 0);
	check_structure(&pt, "partly unmapped");
	CHECK(gvb_pt_unmap(&pt, b2 + 101 * SZ_4K, SZ_2M - 101 * SZ_4K) == 0);
	CHECK(pt.stats.tables_live == 1, "%llu live", (unsigned long long)pt.stats.tables_live);
	snapshot(&pt, &l);
	CHECK(l.n == 0);
	leaves_free(&l);
	gvb_pt_fini(&pt);
}

static void test_free_empty(void)
{
	struct gvb_pt pt;
	long live0 = compat_alloc_live();
	u64 i, iova;

	CHECK(gvb_pt_init(&pt, &gvb_pt_arm_lpae_s1, 0) == 0);
	pt.reclaim = true;	/* the reclaiming policy; io-pgtable's: test_io_pgtable() */
	/* scattered pages, each in its own L1, L2 and L3 table */
	for (i = 0; i < 200; i++) {
		iova = (i % 40) * SZ_512G + (i / 40) * (SZ_1G + SZ_2M) + SZ_4K * i;
		CHECK(gvb_pt_map(&pt, iova, SZ_4K * (i + 1), SZ_4K, GVB_PROT_RW) == 0);
	}
	CHECK(pt.stats.tables_live > 200);
	check_structure(&pt, "scattered");
	for (i = 0; i < 200; i++) {
		iova = (i % 40) * SZ_512G + (i / 40) * (SZ_1G + SZ_2M) + SZ_4K * i;
		CHECK(gvb_pt_unmap(&pt, iova, SZ_4K) == 0);
	}
	CHECK(pt.stats.tables_live == 1, "%llu live", (unsigned long long)pt.stats.tables_live);
	CHECK(pt.stats.tables_allocated - pt.stats.tables_freed == 1);
	/* freed tables went to the cache, up to its limit */
	CHECK(pt.cache_count == GVB_PT_CACHE_MAX, "cache %u", pt.cache_count);
	/* fini with tables still mapped frees them too */
	CHECK(gvb_pt_map(&pt, 5 * SZ_512G, 0, 3 * SZ_1G + 5 * SZ_4K, GVB_PROT_RW) == 0);
	gvb_pt_fini(&pt);
	CHECK(pt.stats.tables_live == 0);
	CHECK(compat_alloc_live() == live0, "%ld live allocations, want %ld", compat_alloc_live(),
	      live0);
}

/* Randomized operations over a window, checked page by page against an oracle. */
#define WIN_PAGES	4096
#define WIN_BASE	(SZ_512G - 8 * SZ_2M)	/* straddles an L0 (and so an L1) boundary */

static u64 oracle_pa[WIN_PAGES];		/* 0: unmapped */
static u32 oracle_prot[WIN_PAGES];

static bool oracle_any_mapped(u64 first, u64 n)
{
	u64 i;

	for (i = first; i < first + n; i++)
		if (oracle_pa[i])
			return true;
	return false;
}

static u32 random_prot(void)
{
	static const u32 prots[] = {
		GVB_PROT_RW, GVB_PROT_READ,
		GVB_PROT_RW | GVB_PROT_EXEC, GVB_PROT_READ | GVB_PROT_EXEC,
	};

	return prots[rnd_below(ARRAY_SIZE(prots))];
}

/* Checks every page of the window (and one on each side); returns false on a mismatch. */
static bool check_window(struct gvb_pt *pt, unsigned int op)
{
	u64 i, dummy;

	for (i = 0; i < WIN_PAGES; i++) {
		u64 off = (i * 0x5a8) & (SZ_4K - 1), iova = WIN_BASE + i * SZ_4K + off, pa = 0;
		u32 prot = 0;
		int ret = gvb_pt_translate(pt, iova, &pa, &prot);

		if (oracle_pa[i] ? (ret || pa != oracle_pa[i] + off || prot != oracle_prot[i])
				 : ret != -EFAULT) {
			CHECK(0, "op %u: page %llu: ret %d pa %#llx prot %#x, oracle %#llx %#x", op,
			      (unsigned long long)i, ret, (unsigned long long)pa, prot,
			      (unsigned long long)oracle_pa[i], oracle_prot[i]);
			return false;
		}
	}
	CHECK(gvb_pt_translate(pt, WIN_BASE - SZ_4K, &dummy, NULL) == -EFAULT);
	CHECK(gvb_pt_translate(pt, WIN_BASE + WIN_PAGES * SZ_4K, &dummy, NULL) == -EFAULT);
	return true;
}

/* The walk, page by page, must be exactly the oracle. */
static bool check_walk(struct gvb_pt *pt, struct leaves *l, unsigned int op, unsigned int *nblocks)
{
	u64 mapped = 0, pages = 0, i, j;

	snapshot(pt, l);
	for (i = 0; i < l->n; i++) {
		struct leaf *f = &l->v[i];
		u64 first = (f->iova - WIN_BASE) / SZ_4K;

		if (f->iova < WIN_BASE || f->iova + f->size > WIN_BASE + WIN_PAGES * SZ_4K) {
			CHECK(0, "op %u: leaf at %#llx outside the window", op,
			      (unsigned long long)f->iova);
			return false;
		}
		if (f->size == SZ_2M)
			(*nblocks)++;
		for (j = 0; j < f->size / SZ_4K; j++) {
			if (oracle_pa[first + j] != f->pa + j * SZ_4K ||
			    oracle_prot[first + j] != f->prot) {
				CHECK(0, "op %u: leaf %#llx+%#llx disagrees at page %llu", op,
				      (unsigned long long)f->iova, (unsigned long long)f->size,
				      (unsigned long long)(first + j));
				return false;
			}
		}
		pages += f->size / SZ_4K;
	}
	for (i = 0; i < WIN_PAGES; i++)
		mapped += !!oracle_pa[i];
	CHECK(pages == mapped, "op %u: walk has %llu pages, oracle %llu", op,
	      (unsigned long long)pages, (unsigned long long)mapped);
	return pages == mapped;
}

static void test_random(unsigned int nops)
{
	struct gvb_pt pt;
	struct leaves l = {};
	unsigned long warns = compat_warn_count(), expected_warns = 0;
	unsigned int op, nblocks = 0, nmaps = 0, nunmaps = 0, neexist = 0, bound_ok = 0;
	bool ok = true;

	memset(oracle_pa, 0, sizeof(oracle_pa));
	CHECK(gvb_pt_init(&pt, &gvb_pt_arm_lpae_s1, 0) == 0);
	pt.reclaim = true;	/* the reclaiming policy; io-pgtable's: test_io_pgtable() */

	for (op = 0; op < nops && ok; op++) {
		unsigned int kind = rnd_below(10);
		u64 first, n, pa, i, alloc0 = pt.stats.tables_allocated;
		u32 prot = random_prot();
		unsigned int bound;
		int ret;

		/* sizes: single pages, short runs, long runs, and 2M-aligned runs of 2M */
		if (kind < 3) {
			n = 1;
		} else if (kind < 6) {
			n = 1 + rnd_below(16);
		} else if (kind < 8) {
			n = 1 + rnd_below(1100);
		} else {
			n = 512 * (1 + rnd_below(3));
		}
		if (kind >= 8 && rnd_below(4))
			first = 512 * rnd_below((WIN_PAGES - n) / 512 + 1);
		else
			first = rnd_below(WIN_PAGES - n + 1);

		bound = gvb_pt_pages_needed(&pt, WIN_BASE + first * SZ_4K, n * SZ_4K);
		if (rnd_below(5) < 3) {
			/* map; pa keeps iova's 2M offset often enough for blocks to form */
			pa = (1ULL << 32) + rnd_below(1ULL << 20) * SZ_2M;
			if (rnd_below(4))
				pa += (WIN_BASE + first * SZ_4K) & (SZ_2M - 1);
			else
				pa += rnd_below(512) * SZ_4K;
			if (oracle_any_mapped(first, n)) {
				if (neexist < 20 && !rnd_below(8)) {
					struct leaves before = {};

					snapshot(&pt, &before);
					ret = gvb_pt_map(&pt, WIN_BASE + first * SZ_4K, pa,
							 n * SZ_4K, prot);
					CHECK(ret == -EEXIST, "op %u: ret %d", op, ret);
					expected_warns++;
					neexist++;
					snapshot(&pt, &l);
					ok = same_leaves(&before, &l);
					CHECK(ok, "op %u: -EEXIST changed the table", op);
					leaves_free(&before);
					continue;
				}
				/* unmap, then map: pages_needed() covers both */
				CHECK(gvb_pt_unmap(&pt, WIN_BASE + first * SZ_4K, n * SZ_4K) == 0);
				memset(&oracle_pa[first], 0, n * sizeof(oracle_pa[0]));
			}
			ret = gvb_pt_map(&pt, WIN_BASE + first * SZ_4K, pa, n * SZ_4K, prot);
			CHECK(ret == 0, "op %u: map ret %d", op, ret);
			for (i = 0; i < n; i++) {
				oracle_pa[first + i] = pa + i * SZ_4K;
				oracle_prot[first + i] = prot;
			}
			nmaps++;
		} else {
			ret = gvb_pt_unmap(&pt, WIN_BASE + first * SZ_4K, n * SZ_4K);
			CHECK(ret == 0, "op %u: unmap ret %d", op, ret);
			memset(&oracle_pa[first], 0, n * sizeof(oracle_pa[0]));
			nunmaps++;
		}
		/* pages_needed() bounds what the operation allocated */
		if (pt.stats.tables_allocated - alloc0 <= bound)
			bound_ok++;
		else
			CHECK(0, "op %u: allocated %llu tables, pages_needed %u", op,
			      (unsigned long long)(pt.stats.tables_allocated - alloc0), bound);

		ok = check_window(&pt, op);
		if (ok && (op % 16 == 0 || op == nops - 1)) {
			ok = check_walk(&pt, &l, op, &nblocks);
			if (ok) {
				bool sok = true;

				ok = count_tables(pt.root, 0, &sok) == pt.stats.tables_live && sok;
				CHECK(ok, "op %u: empty, malformed or uncounted tables", op);
			}
		}
	}
	CHECK(ok, "random run stopped at op %u", op);
	CHECK(bound_ok == op - neexist, "pages_needed held for %u of %u", bound_ok, op - neexist);
	CHECK(compat_warn_count() - warns == expected_warns);
	/* the run must actually have exercised blocks and both directions */
	CHECK(nblocks > 0 && pt.stats.blocks > 0, "no 2M blocks seen");
	CHECK(nmaps > nops / 3 && nunmaps > nops / 5);
	printf("random: %u ops (%u maps, %u unmaps, %u -EEXIST), %llu blocks written, "
	       "%u 2M leaves seen, %llu tables allocated\n", op, nmaps, nunmaps, neexist,
	       (unsigned long long)pt.stats.blocks, nblocks,
	       (unsigned long long)pt.stats.tables_allocated);

	CHECK(gvb_pt_unmap(&pt, WIN_BASE, WIN_PAGES * SZ_4K) == 0);
	CHECK(pt.stats.tables_live == 1, "%llu live", (unsigned long long)pt.stats.tables_live);
	leaves_free(&l);
	gvb_pt_fini(&pt);
}

/*
 * Map failing for want of a table page: with the kth allocation failing,
 * map returns -ENOMEM and the tables are as before, until k exceeds the
 * allocations the map needs. The cache is drained before each try so that
 * every table comes from the allocator.
 */
static void test_fault_injection(void)
{
	struct gvb_pt pt;
	struct leaves before = {}, after = {};
	/* 2 pages on each side of the 3 * 512 GiB boundary: L1, L2 and L3 tables on both sides */
	const u64 iova = 3 * SZ_512G - 2 * SZ_4K, size = 4 * SZ_4K;
	const u64 b1 = 7 * SZ_1G;
	long live;
	u64 tables0, allocated0;
	unsigned int k;
	int ret;

	CHECK(gvb_pt_init(&pt, &gvb_pt_arm_lpae_s1, 0) == 0);
	pt.reclaim = true;	/* the reclaiming policy; io-pgtable's: test_io_pgtable() */
	CHECK(gvb_pt_map(&pt, SZ_4K, 0x5000, SZ_4K, GVB_PROT_RW) == 0);
	CHECK(gvb_pt_map(&pt, b1, 0, SZ_1G, GVB_PROT_RW) == 0);
	snapshot(&pt, &before);

	for (k = 1; ; k++) {
		drain_cache(&pt);
		live = compat_alloc_live();
		tables0 = pt.stats.tables_live;
		allocated0 = pt.stats.tables_allocated;
		compat_fail_nth(k);
		ret = gvb_pt_map(&pt, iova, 0x10000000, size, GVB_PROT_RW);
		compat_fail_nth(0);
		if (ret != -ENOMEM)
			break;
		snapshot(&pt, &after);
		CHECK(same_leaves(&before, &after), "k=%u: the map left entries behind", k);
		CHECK(pt.stats.tables_live == tables0, "k=%u", k);
		drain_cache(&pt);
		CHECK(compat_alloc_live() == live, "k=%u: %ld pages leaked", k,
		      compat_alloc_live() - live);
		check_structure(&pt, "map -ENOMEM");
		if (k > 64)
			break;
	}
	CHECK(ret == 0 && k == 7, "map: ret %d at k=%u, want success at 7", ret, k);
	CHECK(pt.stats.tables_allocated - allocated0 == 6);
	expect_translate(&pt, iova, 0x10000000, GVB_PROT_RW);
	expect_translate(&pt, iova + 3 * SZ_4K, 0x10003000, GVB_PROT_RW);

	/* unmap cutting 2M and 1G blocks: three splits, undone on failure */
	snapshot(&pt, &before);
	for (k = 1; ; k++) {
		drain_cache(&pt);
		live = compat_alloc_live();
		tables0 = pt.stats.tables_live;
		compat_fail_nth(k);
		ret = gvb_pt_unmap(&pt, b1 + SZ_2M - SZ_4K, SZ_2M + 2 * SZ_4K);
		compat_fail_nth(0);
		if (ret != -ENOMEM)
			break;
		snapshot(&pt, &after);
		CHECK(same_leaves(&before, &after), "k=%u: the unmap changed the table", k);
		CHECK(pt.stats.tables_live == tables0, "k=%u", k);
		drain_cache(&pt);
		CHECK(compat_alloc_live() == live, "k=%u: %ld pages leaked", k,
		      compat_alloc_live() - live);
		if (k > 64)
			break;
	}
	CHECK(ret == 0 && k == 4, "unmap: ret %d at k=%u, want success at 4", ret, k);
	expect_translate(&pt, b1 + SZ_2M - 2 * SZ_4K, SZ_2M - 2 * SZ_4K, GVB_PROT_RW);
	expect_fault(&pt, b1 + SZ_2M - SZ_4K);
	expect_fault(&pt, b1 + 2 * SZ_2M);
	expect_translate(&pt, b1 + 2 * SZ_2M + SZ_4K, 2 * SZ_2M + SZ_4K, GVB_PROT_RW);
	check_structure(&pt, "after splits");

	/* the pa + size overflow and the 48-bit output limit */
	CHECK(gvb_pt_map(&pt, SZ_1G, (1ULL << 48) - SZ_4K, 2 * SZ_4K, GVB_PROT_RW) == -EINVAL);

	leaves_free(&before);
	leaves_free(&after);
	gvb_pt_fini(&pt);
}

/* The fence-signalling path: no allocation at all, only the cache. */
static void test_no_alloc(void)
{
	struct gvb_pt pt;
	struct leaves before = {}, after = {};
	const u64 iova = 0x0000300000000000ULL - SZ_2M, size = 2 * SZ_2M + 3 * SZ_4K;
	const u64 pa = 0x0000000400000000ULL;
	unsigned long warns;
	unsigned int need;
	u64 fallbacks;

	CHECK(gvb_pt_init(&pt, &gvb_pt_arm_lpae_s1, 0) == 0);
	pt.reclaim = true;	/* the reclaiming policy; io-pgtable's: test_io_pgtable() */
	CHECK(pt.cache_count == 0);
	snapshot(&pt, &before);

	pt.no_alloc = true;
	warns = compat_warn_count();
	CHECK(gvb_pt_map(&pt, iova, pa, size, GVB_PROT_RW) == -ENOMEM);
	CHECK(compat_warn_count() == warns + 1, "%lu warnings", compat_warn_count() - warns);
	snapshot(&pt, &after);
	CHECK(same_leaves(&before, &after));
	CHECK(pt.stats.tables_live == 1);

	/* the same map with a preallocated cache */
	pt.no_alloc = false;
	need = gvb_pt_pages_needed(&pt, iova, size);
	CHECK(need >= 7 && need < 64, "pages_needed %u", need);
	CHECK(gvb_pt_prealloc(&pt, need) == 0);
	CHECK(pt.cache_count >= need);
	CHECK(gvb_pt_prealloc(&pt, 2) == 0 && pt.cache_count >= need);	/* never shrinks */
	pt.no_alloc = true;
	warns = compat_warn_count();
	fallbacks = pt.stats.alloc_fallbacks;
	CHECK(gvb_pt_map(&pt, iova, pa, size, GVB_PROT_RW) == 0);
	CHECK(compat_warn_count() == warns);
	CHECK(pt.stats.alloc_fallbacks == fallbacks);
	expect_translate(&pt, iova, pa, GVB_PROT_RW);
	expect_translate(&pt, iova + size - 1, pa + size - 1, GVB_PROT_RW);

	/* unmap that splits a block: -ENOMEM without pages, fine with them */
	CHECK(gvb_pt_map(&pt, 0x0000300000000000ULL + SZ_1G, 0, SZ_1G, GVB_PROT_RW) == 0);
	drain_cache(&pt);
	snapshot(&pt, &before);
	CHECK(gvb_pt_unmap(&pt, 0x0000300000000000ULL + SZ_1G + SZ_4K, SZ_4K) == -ENOMEM);
	CHECK(compat_warn_count() == warns + 1);
	snapshot(&pt, &after);
	CHECK(same_leaves(&before, &after));
	pt.no_alloc = false;
	CHECK(gvb_pt_prealloc(&pt, gvb_pt_pages_needed(&pt, 0x0000300000000000ULL + SZ_1G + SZ_4K,
						       SZ_4K)) == 0);
	pt.no_alloc = true;
	CHECK(gvb_pt_unmap(&pt, 0x0000300000000000ULL + SZ_1G + SZ_4K, SZ_4K) == 0);
	CHECK(compat_warn_count() == warns + 1);
	expect_fault(&pt, 0x0000300000000000ULL + SZ_1G + SZ_4K);
	expect_translate(&pt, 0x0000300000000000ULL + SZ_1G, 0, GVB_PROT_RW);
	expect_translate(&pt, 0x0000300000000000ULL + SZ_1G + 2 * SZ_4K, 2 * SZ_4K, GVB_PROT_RW);

	/* freeing needs no allocation */
	CHECK(gvb_pt_unmap(&pt, 0, 1ULL << 48) == 0);
	CHECK(pt.stats.tables_live == 1);
	pt.no_alloc = false;
	leaves_free(&before);
	leaves_free(&after);
	gvb_pt_fini(&pt);
}

static void test_cache(void)
{
	struct gvb_pt pt;
	static void *tables[100];
	u64 fallbacks, live;
	unsigned int i, j;
	bool zero = true;

	CHECK(gvb_pt_init(&pt, &gvb_pt_arm_lpae_s1, 0) == 0);
	pt.reclaim = true;	/* the reclaiming policy; io-pgtable's: test_io_pgtable() */
	CHECK(gvb_pt_prealloc(&pt, 100) == 0);
	CHECK(pt.cache_count == 100, "prealloc may exceed the free-path limit");
	fallbacks = pt.stats.alloc_fallbacks;
	live = pt.stats.tables_live;
	for (i = 0; i < 100; i++) {
		tables[i] = gvb_pt_alloc_table(&pt);
		CHECK_OR_RETURN(tables[i], );
		for (j = 0; j < 512; j++)
			zero &= ((u64 *)tables[i])[j] == 0;
		/* dirty, as a used table would be */
		memset(tables[i], 0xa5, GVB_PT_PAGE_SIZE);
	}
	CHECK(zero, "prealloc'd pages not zeroed");
	CHECK(pt.stats.alloc_fallbacks == fallbacks && pt.cache_count == 0);
	CHECK(pt.stats.tables_live == live + 100);
	for (i = 0; i < 100; i++)
		gvb_pt_free_table(&pt, tables[i]);
	CHECK(pt.cache_count == GVB_PT_CACHE_MAX);
	CHECK(pt.stats.tables_live == live);
	zero = true;
	for (i = 0; i < GVB_PT_CACHE_MAX; i++) {
		tables[i] = gvb_pt_alloc_table(&pt);
		for (j = 0; j < 512; j++)
			zero &= ((u64 *)tables[i])[j] == 0;
	}
	CHECK(zero, "recycled pages not zeroed");
	CHECK(pt.stats.alloc_fallbacks == fallbacks);
	/* empty cache: the allocator */
	tables[GVB_PT_CACHE_MAX] = gvb_pt_alloc_table(&pt);
	CHECK(tables[GVB_PT_CACHE_MAX] && pt.stats.alloc_fallbacks == fallbacks + 1);
	for (i = 0; i <= GVB_PT_CACHE_MAX; i++)
		gvb_pt_free_table(&pt, tables[i]);
	gvb_pt_fini(&pt);
	CHECK(pt.cache_count == 0 && !pt.cache);
}

static void test_flush(void)
{
	const u64 flush_ns = 3000000;
	struct gvb_pt pt;
	u64 t0, t1, t2, t3;

	CHECK(gvb_pt_init(&pt, &gvb_pt_arm_lpae_s1, flush_ns) == 0);
	pt.reclaim = true;	/* the reclaiming policy; io-pgtable's: test_io_pgtable() */
	t0 = ktime_get_ns();
	CHECK(gvb_pt_map(&pt, SZ_2M, SZ_2M, SZ_4K, GVB_PROT_RW) == 0);
	t1 = ktime_get_ns();
	CHECK(gvb_pt_unmap(&pt, SZ_2M, SZ_4K) == 0);
	t2 = ktime_get_ns();
	gvb_pt_flush(&pt, 0, SZ_4K);
	t3 = ktime_get_ns();
	CHECK(t1 - t0 >= flush_ns, "map took %llu ns", (unsigned long long)(t1 - t0));
	CHECK(t2 - t1 >= flush_ns, "unmap took %llu ns", (unsigned long long)(t2 - t1));
	CHECK(t3 - t2 >= flush_ns, "flush took %llu ns", (unsigned long long)(t3 - t2));
	CHECK(pt.stats.flushes == 3);
	pt.flush_ns = 0;
	gvb_pt_flush(&pt, 0, SZ_4K);
	CHECK(pt.stats.flushes == 4);
	gvb_pt_fini(&pt);
}

/* Translates @iova to @pa, or faults when @pa is 0. */
static bool xlate_is(struct gvb_pt *pt, u64 iova, u64 pa)
{
	u64 got;
	int ret = gvb_pt_translate(pt, iova, &got, NULL);

	return pa ? ret == 0 && got == pa : ret == -EFAULT;
}

/*
 * io-pgtable-arm's policy (pt->reclaim false, the default): partial
 * unmaps free nothing, an unmap covering a table's range frees it, a block
 * over an empty table frees the table, fini frees the rest.
 */
static void test_io_pgtable(void)
{
	const u64 base = 0x0000200000000000ULL, pa = 0x0000100000000000ULL;
	long live0 = compat_alloc_live();
	struct gvb_pt pt;
	unsigned long n;
	u64 allocated;
	unsigned int i;
	bool ok = true;
	int ret = gvb_pt_init(&pt, &gvb_pt_arm_lpae_s1, 0);

	CHECK_OR_RETURN(ret == 0, );
	CHECK(!pt.reclaim, "io-pgtable's policy is the default");
	CHECK(gvb_pt_map(&pt, base, pa, SZ_4K, GVB_PROT_RW) == 0);
	CHECK(pt.stats.tables_live == 4, "root, L1, L2, L3: %llu",
	      (unsigned long long)pt.stats.tables_live);
	CHECK(gvb_pt_unmap(&pt, base, SZ_4K) == 0);
	CHECK(pt.stats.tables_live == 4, "a 4K unmap frees nothing: %llu live",
	      (unsigned long long)pt.stats.tables_live);
	CHECK(xlate_is(&pt, base, 0), "unmapped page faults");

	/* Steady state: 4K map+unmap allocates and frees no table. */
	allocated = pt.stats.tables_allocated;
	for (i = 0; i < 100; i++) {
		ok &= gvb_pt_map(&pt, base + (i % 8) * SZ_4K, pa, SZ_4K, GVB_PROT_RW) == 0;
		ok &= xlate_is(&pt, base + (i % 8) * SZ_4K, pa);
		ok &= gvb_pt_unmap(&pt, base + (i % 8) * SZ_4K, SZ_4K) == 0;
		ok &= xlate_is(&pt, base + (i % 8) * SZ_4K, 0);
	}
	CHECK(ok, "map translates, unmap faults");
	CHECK(pt.stats.tables_allocated == allocated && pt.stats.tables_live == 4,
	      "%llu tables allocated by 100 map+unmap",
	      (unsigned long long)(pt.stats.tables_allocated - allocated));

	/* A partial unmap keeps the neighbour and the table. */
	CHECK(gvb_pt_map(&pt, base, pa, 2 * SZ_4K, GVB_PROT_RW) == 0);
	CHECK(gvb_pt_unmap(&pt, base, SZ_4K) == 0);
	CHECK(xlate_is(&pt, base, 0) && xlate_is(&pt, base + SZ_4K, pa + SZ_4K));
	CHECK(gvb_pt_unmap(&pt, base + SZ_4K, SZ_4K) == 0 && pt.stats.tables_live == 4);

	/* An unmap covering the L3 table's 2M frees it; one covering 1G frees the L2. */
	CHECK(gvb_pt_unmap(&pt, base, SZ_2M) == 0);
	CHECK(pt.stats.tables_live == 3, "2M unmap: %llu live",
	      (unsigned long long)pt.stats.tables_live);
	CHECK(gvb_pt_map(&pt, base, pa, SZ_4K, GVB_PROT_RW) == 0 && pt.stats.tables_live == 4);
	CHECK(gvb_pt_unmap(&pt, base, SZ_1G) == 0);
	CHECK(pt.stats.tables_live == 2, "1G unmap: %llu live",
	      (unsigned long long)pt.stats.tables_live);

	/* A 2M block over an L3 table left empty replaces (frees) the table. */
	CHECK(gvb_pt_map(&pt, base + SZ_4K, pa, SZ_4K, GVB_PROT_RW) == 0);
	CHECK(gvb_pt_unmap(&pt, base + SZ_4K, SZ_4K) == 0 && pt.stats.tables_live == 4);
	CHECK(gvb_pt_map(&pt, base, pa, SZ_2M, GVB_PROT_RW) == 0, "block over an empty table");
	CHECK(pt.stats.tables_live == 3 && xlate_is(&pt, base + 5 * SZ_4K, pa + 5 * SZ_4K));
	/* ... but never over a table that still maps something. */
	CHECK(gvb_pt_map(&pt, base + SZ_2M + SZ_4K, pa, SZ_4K, GVB_PROT_RW) == 0);
	CHECK(gvb_pt_map(&pt, base + SZ_2M, pa, SZ_2M, GVB_PROT_RW) == -EEXIST);
	CHECK(xlate_is(&pt, base + SZ_2M + SZ_4K, pa), "the refused map changed nothing");

	n = count_tables(pt.root, 0, &ok);
	CHECK(n == pt.stats.tables_live, "%lu tables reachable, tables_live %llu", n,
	      (unsigned long long)pt.stats.tables_live);
	/* The driver's worst case: 3 tables for a 4K map, 0 for an aligned unmap. */
	CHECK(gvb_pt_op_pages(&pt, base, SZ_4K, true) == 3);
	CHECK(gvb_pt_op_pages(&pt, base, SZ_1G, false) == 0);
	/* One table per block cut: both ends in one 2M block (and one 1G) cut it once. */
	CHECK(gvb_pt_op_pages(&pt, base + SZ_4K, SZ_4K, false) == 2);
	CHECK(gvb_pt_op_pages(&pt, base + SZ_4K, SZ_2M, false) == 3);
	CHECK(gvb_pt_op_pages(&pt, base + SZ_4K, SZ_1G, false) == 4);
	CHECK(gvb_pt_op_pages(&pt, base, SZ_4K, false) == 2);
	gvb_pt_fini(&pt);
	CHECK(compat_alloc_live() == live0, "teardown leaked %ld allocations",
	      compat_alloc_live() - live0);
}

int main(int argc, char **argv)
{
	long live0 = compat_alloc_live();
	unsigned long warns0 = compat_warn_count();
	int slab;

	if (argc > 1)
		rng_state = strtoull(argv[1], NULL, 0) | 1;
	printf("test_pt: seed %#llx\n", (unsigned long long)rng_state);

	slab = gvb_pt_pages_init();
	CHECK_OR_RETURN(slab == 0, 1, "page-table slab");
	test_registry();
	test_descriptors();
	test_roundtrip();
	test_split();
	test_free_empty();
	test_io_pgtable();
	test_random(20000);
	test_fault_injection();
	test_no_alloc();
	test_cache();
	test_flush();

	/* every WARN above was provoked on purpose and counted where it was */
	printf("test_pt: %lu intended warnings\n", compat_warn_count() - warns0);
	CHECK(compat_alloc_live() == live0, "%ld pages leaked", compat_alloc_live() - live0);
	gvb_pt_pages_exit();
	return gvb_test_done("test_pt");
}
