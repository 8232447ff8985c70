// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * ARM LPAE stage-1 translation tables, 4 KiB granule, 48-bit input
 * addresses: the format Mali GPUs walk, which panthor builds through
 * io-pgtable-arm (ARM_64_LPAE_S1). Four levels, L0 to L3, of 512 64-bit
 * descriptors each; L1 and L2 may hold 1 GiB and 2 MiB blocks.
 *
 * Which tables an unmap frees: io-pgtable-arm's policy by default. An
 * unmap that covers a table's whole range (2 MiB for an L3 table, 1 GiB
 * for an L2) frees it; a smaller unmap that leaves a table empty frees
 * nothing, so the table stays for the next map there (a steady-state 4 KiB
 * map+unmap allocates no table at all); a block mapped over an empty table
 * frees that table first (arm_lpae_init_pte()); fini frees the rest. With
 * pt->reclaim every table an unmap leaves empty is freed instead.
 *
 * Valid-entry counts. Knowing whether a table became empty must not cost
 * 512 reads on every 4 KiB unmap. So each table's number of valid entries
 * is kept in its parent's table descriptor, in bits [11:2], which the
 * architecture ignores in table descriptors (they carry attributes only in
 * block and page descriptors), so a hardware walker never sees the
 * difference. The root has no parent and no count; it is freed only by
 * fini. A table descriptor to an empty table counts as a valid entry.
 *
 * Atomicity. map and unmap either complete or leave the tables as they
 * were: a map that meets a valid entry or runs out of table pages unmaps
 * what it had mapped, and an unmap first splits the (at most two) blocks
 * it cuts through, undoing the splits if one cannot get a page, and only
 * then clears anything.
 */
#include "gvb_pt.h"

#define LPAE_LEVELS		4
#define LPAE_ENTRIES		512
#define LPAE_VA_BITS		48
#define LPAE_LVL_SHIFT(lvl)	(39 - 9 * (lvl))
#define LPAE_LVL_SIZE(lvl)	BIT_ULL(LPAE_LVL_SHIFT(lvl))
#define LPAE_IDX(iova, lvl)	(((iova) >> LPAE_LVL_SHIFT(lvl)) & (LPAE_ENTRIES - 1))

/* Descriptor type, bits [1:0]. An L3 page uses the table encoding. */
#define LPAE_TYPE_MASK		GENMASK_ULL(1, 0)
#define LPAE_TYPE_BLOCK		0x1ULL
#define LPAE_TYPE_TABLE		0x3ULL
#define LPAE_TYPE_PAGE		0x3ULL
#define LPAE_VALID		BIT_ULL(0)

/*
 * Lower attributes of block and page descriptors. AttrIndx selects a MAIR
 * slot; this model's MAIR has normal write-back cacheable memory in slot 0.
 * (io-pgtable-arm's own MAIR puts it in slot 1, ARM_LPAE_MAIR_ATTR_IDX_CACHE.)
 */
#define LPAE_ATTRINDX_SHIFT	2
#define LPAE_ATTRINDX_CACHED	1ULL	/* MAIR slot 1, as io-pgtable-arm programs it */
#define LPAE_AP_UNPRIV		BIT_ULL(6)	/* AP[1]: GPU accesses are unprivileged */
#define LPAE_AP_RDONLY		BIT_ULL(7)	/* AP[2] */
#define LPAE_SH_IS		(3ULL << 8)	/* inner shareable */
#define LPAE_AF			BIT_ULL(10)	/* access flag, set: no access faults */
#define LPAE_NG			BIT_ULL(11)	/* not global: a GPU VM is one address space */
/* Upper attributes. */
#define LPAE_PXN		BIT_ULL(53)
#define LPAE_UXN		BIT_ULL(54)
#define LPAE_XN			(LPAE_PXN | LPAE_UXN)

#define LPAE_ADDR_MASK		GENMASK_ULL(47, 12)

/* Software: the child table's valid-entry count, in a table descriptor's ignored bits. */
#define LPAE_CNT_SHIFT		2
#define LPAE_CNT_MASK		GENMASK_ULL(11, 2)

/* At most two levels of block can be split at each end of an unmapped range. */
#define LPAE_MAX_SPLITS		4

typedef u64 lpae_pte;

static inline bool lpae_valid(lpae_pte pte)
{
	return pte & LPAE_VALID;
}

/* A valid descriptor that maps memory rather than pointing to a table. */
static inline bool lpae_is_leaf(lpae_pte pte, unsigned int lvl)
{
	return lvl == LPAE_LEVELS - 1 || (pte & LPAE_TYPE_MASK) == LPAE_TYPE_BLOCK;
}

static inline lpae_pte *lpae_child(lpae_pte pte)
{
	return gvb_phys_to_virt(pte & LPAE_ADDR_MASK);
}

static inline unsigned int lpae_cnt(lpae_pte pte)
{
	return (pte & LPAE_CNT_MASK) >> LPAE_CNT_SHIFT;
}

static inline lpae_pte lpae_set_cnt(lpae_pte pte, unsigned int cnt)
{
	return (pte & ~LPAE_CNT_MASK) | ((u64)cnt << LPAE_CNT_SHIFT);
}

static inline lpae_pte lpae_table_pte(lpae_pte *child, unsigned int cnt)
{
	return gvb_virt_to_phys(child) | LPAE_TYPE_TABLE | ((u64)cnt << LPAE_CNT_SHIFT);
}

/* The attribute bits of a leaf, without its type and output address. */
static lpae_pte lpae_prot_to_attr(u32 prot)
{
	lpae_pte attr = (LPAE_ATTRINDX_CACHED << LPAE_ATTRINDX_SHIFT) | LPAE_AP_UNPRIV |
			LPAE_SH_IS | LPAE_AF | LPAE_NG;

	if (!(prot & GVB_PROT_WRITE))
		attr |= LPAE_AP_RDONLY;
	if (!(prot & GVB_PROT_EXEC))
		attr |= LPAE_XN;
	return attr;
}

static u32 lpae_pte_to_prot(lpae_pte pte)
{
	u32 prot = GVB_PROT_READ;

	if (!(pte & LPAE_AP_RDONLY))
		prot |= GVB_PROT_WRITE;
	if (!(pte & LPAE_XN))
		prot |= GVB_PROT_EXEC;
	return prot;
}

static int lpae_init(struct gvb_pt *pt)
{
	pt->root = gvb_pt_alloc_table(pt);
	return pt->root ? 0 : -ENOMEM;
}

static void lpae_free_tables(struct gvb_pt *pt, lpae_pte *table, unsigned int lvl)
{
	unsigned int i;

	if (lvl < LPAE_LEVELS - 1) {
		for (i = 0; i < LPAE_ENTRIES; i++) {
			lpae_pte pte = READ_ONCE(table[i]);

			if (lpae_valid(pte) && !lpae_is_leaf(pte, lvl))
				lpae_free_tables(pt, lpae_child(pte), lvl + 1);
		}
	}
	gvb_pt_free_table(pt, table);
}

static void lpae_fini(struct gvb_pt *pt)
{
	lpae_free_tables(pt, pt->root, 0);
	pt->root = NULL;
}

/* No leaf below @table (at @lvl): it holds nothing but tables left empty. */
static bool lpae_tree_empty(lpae_pte *table, unsigned int lvl)
{
	unsigned int i;

	for (i = 0; i < LPAE_ENTRIES; i++) {
		lpae_pte pte = READ_ONCE(table[i]);

		if (!lpae_valid(pte))
			continue;
		if (lpae_is_leaf(pte, lvl) || !lpae_tree_empty(lpae_child(pte), lvl + 1))
			return false;
	}
	return true;
}

/*
 * Clears every valid entry of @table (at @lvl) within [iova, end), which
 * lies inside the table's span, and frees each child table whose whole
 * range is covered, or with @reclaim each one that becomes empty.
 * Every leaf met must lie wholly inside the range: callers split first.
 * *nvalid is the table's valid-entry count, kept up to date.
 */
static void lpae_unmap_table(struct gvb_pt *pt, lpae_pte *table, unsigned int lvl, u64 iova,
			     u64 end, unsigned int *nvalid, bool reclaim)
{
	u64 size = LPAE_LVL_SIZE(lvl);
	unsigned int idx = LPAE_IDX(iova, lvl);

	while (iova < end) {
		u64 next = min_t(u64, ALIGN_DOWN(iova, size) + size, end);
		lpae_pte pte = READ_ONCE(table[idx]);

		if (!lpae_valid(pte)) {
			/* nothing to clear */
		} else if (lpae_is_leaf(pte, lvl)) {
			WARN_ON(next - iova != size);
			WRITE_ONCE(table[idx], 0);
			(*nvalid)--;
		} else {
			lpae_pte *child = lpae_child(pte);
			unsigned int cnt = lpae_cnt(pte);

			lpae_unmap_table(pt, child, lvl + 1, iova, next, &cnt, reclaim);
			if (!cnt && (reclaim || next - iova == size)) {
				/*
				 * Unhooked before it is freed. The page may be reused only
				 * after this call's flush: it goes to the cache, and nothing
				 * allocates between here and the end of the unmap.
				 */
				WRITE_ONCE(table[idx], 0);
				gvb_pt_free_table(pt, child);
				(*nvalid)--;
			} else if (cnt != lpae_cnt(pte)) {
				WRITE_ONCE(table[idx], lpae_set_cnt(pte, cnt));
			}
		}
		iova = next;
		idx++;
	}
}

/*
 * Maps [*iova, end), which lies inside @table's span, to *pa onwards,
 * advancing *iova and *pa past what it mapped. On error *iova is where it
 * stopped, everything before it is mapped and counted, and no empty table
 * was left behind, so unmapping [start, *iova) restores the tables.
 */
static int lpae_map_table(struct gvb_pt *pt, lpae_pte *table, unsigned int lvl, u64 *iova,
			  u64 end, u64 *pa, lpae_pte attr, unsigned int *nvalid)
{
	u64 size = LPAE_LVL_SIZE(lvl);
	unsigned int idx = LPAE_IDX(*iova, lvl);
	int ret;

	while (*iova < end) {
		lpae_pte *ptep = &table[idx];
		lpae_pte pte = READ_ONCE(*ptep);

		if (lvl == LPAE_LEVELS - 1 ||
		    (lvl > 0 && IS_ALIGNED(*iova | *pa, size) && end - *iova >= size)) {
			if (lpae_valid(pte)) {
				if (WARN_ON(lpae_is_leaf(pte, lvl) ||
					    !lpae_tree_empty(lpae_child(pte), lvl + 1)))
					return -EEXIST;
				/* A table left empty by unmaps: freed before the block goes in. */
				WRITE_ONCE(*ptep, 0);
				lpae_free_tables(pt, lpae_child(pte), lvl + 1);
				(*nvalid)--;
			}
			if (lvl == LPAE_LEVELS - 1) {
				WRITE_ONCE(*ptep, *pa | attr | LPAE_TYPE_PAGE);
			} else {
				WRITE_ONCE(*ptep, *pa | attr | LPAE_TYPE_BLOCK);
				pt->stats.blocks++;
			}
			(*nvalid)++;
			*iova += size;
			*pa += size;
		} else {
			u64 next = min_t(u64, ALIGN_DOWN(*iova, size) + size, end);
			bool created = !lpae_valid(pte);
			lpae_pte *child;
			unsigned int cnt;

			if (created) {
				child = gvb_pt_alloc_table(pt);
				if (!child)
					return -ENOMEM;
				cnt = 0;
				pte = lpae_table_pte(child, 0);
				WRITE_ONCE(*ptep, pte);
			} else if (WARN_ON(lpae_is_leaf(pte, lvl))) {
				return -EEXIST;
			} else {
				child = lpae_child(pte);
				cnt = lpae_cnt(pte);
			}

			ret = lpae_map_table(pt, child, lvl + 1, iova, next, pa, attr, &cnt);
			if (created && !cnt) {
				/* Created above and failed at once: leave nothing behind. */
				WRITE_ONCE(*ptep, 0);
				gvb_pt_free_table(pt, child);
			} else {
				if (created)
					(*nvalid)++;
				WRITE_ONCE(*ptep, lpae_set_cnt(pte, cnt));
			}
			if (ret)
				return ret;
		}
		idx++;
	}
	return 0;
}

static int lpae_map(struct gvb_pt *pt, u64 iova, u64 pa, u64 size, u32 prot)
{
	u64 cur = iova, cur_pa = pa, end = iova + size;
	unsigned int root_cnt = 0;	/* the root's count is not kept */
	int ret;

	if (WARN_ON(pa + size < pa || pa + size > BIT_ULL(LPAE_VA_BITS)))
		return -EINVAL;
	ret = lpae_map_table(pt, pt->root, 0, &cur, end, &cur_pa, lpae_prot_to_attr(prot),
			     &root_cnt);
	/*
	 * Everything in [iova, cur) is this call's own leaves: no splits needed.
	 * Reclaiming, because the tables emptied here are the ones it created.
	 */
	if (ret && cur > iova)
		lpae_unmap_table(pt, pt->root, 0, iova, cur, &root_cnt, true);
	return ret;
}

struct lpae_split {
	lpae_pte *ptep;
	lpae_pte old;
	lpae_pte *table;
};

/*
 * Makes @addr the start of a leaf (or of an unmapped hole) by splitting the
 * blocks that straddle it into next-level tables mapping the same
 * addresses with the same attributes, recording each split in @s.
 */
static int lpae_split_at(struct gvb_pt *pt, u64 addr, struct lpae_split *s, unsigned int *ns)
{
	lpae_pte *table = pt->root;
	unsigned int lvl;

	for (lvl = 0; lvl < LPAE_LEVELS - 1; lvl++) {
		lpae_pte *ptep = &table[LPAE_IDX(addr, lvl)];
		lpae_pte pte = READ_ONCE(*ptep);

		if (!lpae_valid(pte))
			return 0;
		if (lpae_is_leaf(pte, lvl)) {
			u64 csize = LPAE_LVL_SIZE(lvl + 1);
			bool to_pages = lvl + 1 == LPAE_LEVELS - 1;
			lpae_pte cpte = (pte & ~LPAE_TYPE_MASK) |
					(to_pages ? LPAE_TYPE_PAGE : LPAE_TYPE_BLOCK);
			lpae_pte *child;
			unsigned int i;

			if (IS_ALIGNED(addr, LPAE_LVL_SIZE(lvl)))
				return 0;
			if (WARN_ON(*ns >= LPAE_MAX_SPLITS))
				return -EINVAL;
			child = gvb_pt_alloc_table(pt);
			if (!child)
				return -ENOMEM;
			for (i = 0; i < LPAE_ENTRIES; i++)
				WRITE_ONCE(child[i], cpte + i * csize);
			s[*ns] = (struct lpae_split){ .ptep = ptep, .old = pte, .table = child };
			(*ns)++;
			/*
			 * Replaced in place, as io-pgtable-arm's split does: both
			 * translate every address the same, and the flush that ends the
			 * unmap drops the block from the TLB.
			 */
			WRITE_ONCE(*ptep, lpae_table_pte(child, LPAE_ENTRIES));
			table = child;
		} else {
			table = lpae_child(pte);
		}
	}
	return 0;
}

static int lpae_unmap(struct gvb_pt *pt, u64 iova, u64 size)
{
	struct lpae_split s[LPAE_MAX_SPLITS];
	unsigned int ns = 0, root_cnt = 0;
	u64 end = iova + size;
	int ret;

	ret = lpae_split_at(pt, iova, s, &ns);
	if (!ret && end < BIT_ULL(LPAE_VA_BITS))
		ret = lpae_split_at(pt, end, s, &ns);
	if (ret) {
		/* Later splits sit inside earlier ones' tables: undo newest first. */
		while (ns--) {
			WRITE_ONCE(*s[ns].ptep, s[ns].old);
			gvb_pt_free_table(pt, s[ns].table);
		}
		return ret;
	}
	lpae_unmap_table(pt, pt->root, 0, iova, end, &root_cnt, pt->reclaim);
	return 0;
}

static int lpae_translate(struct gvb_pt *pt, u64 iova, u64 *pa, u32 *prot)
{
	lpae_pte *table = pt->root;
	unsigned int lvl;

	for (lvl = 0; lvl < LPAE_LEVELS; lvl++) {
		lpae_pte pte = READ_ONCE(table[LPAE_IDX(iova, lvl)]);

		if (!lpae_valid(pte))
			return -EFAULT;
		/* There are no L0 blocks with a 4 KiB granule, and 0b01 at L3 is reserved. */
		if ((lvl == 0 || lvl == LPAE_LEVELS - 1) &&
		    (pte & LPAE_TYPE_MASK) == LPAE_TYPE_BLOCK)
			return -EFAULT;
		if (lpae_is_leaf(pte, lvl)) {
			*pa = (pte & LPAE_ADDR_MASK) + (iova & (LPAE_LVL_SIZE(lvl) - 1));
			if (prot)
				*prot = lpae_pte_to_prot(pte);
			return 0;
		}
		table = lpae_child(pte);
	}
	return -EFAULT;
}

/*
 * Bound on table pages for one map() or one unmap() of the range, and in
 * fact for an unmap followed by a map of it: a map may need an L1, L2 and
 * L3 table for every 512 GiB, 1 GiB and 2 MiB region it touches (it cannot
 * know whether blocks fit before it sees pa), an unmap at most two splits
 * at each end.
 */
static unsigned int lpae_pages_needed(struct gvb_pt *pt, u64 iova, u64 size)
{
	u64 last = iova + size - 1, n = LPAE_MAX_SPLITS;
	unsigned int lvl;

	for (lvl = 0; lvl < LPAE_LEVELS - 1; lvl++)
		n += (last >> LPAE_LVL_SHIFT(lvl)) - (iova >> LPAE_LVL_SHIFT(lvl)) + 1;
	return min_t(u64, n, UINT_MAX);
}

/*
 * Blocks of @block bytes that an unmap of [iova, end) cuts: one per
 * unaligned end, but one in all when both ends fall in the same block,
 * whose first split makes the table the second reuses.
 */
static unsigned int lpae_blocks_cut(u64 iova, u64 end, u64 block)
{
	unsigned int n = !IS_ALIGNED(iova, block);

	if (end < BIT_ULL(LPAE_VA_BITS) && !IS_ALIGNED(end, block) &&
	    ALIGN(end, block) != ALIGN(iova, block))
		n++;
	return n;
}

/*
 * panthor's count (panthor_vm_prepare_map_op_ctx() and _unmap_op_ctx()):
 * a map needs at most one L1, L2 and L3 table per 512 GiB, 1 GiB and 2 MiB
 * region it touches; the blocks it splits at its ends sit in regions it
 * touches, so they need no more. An unmap needs a table per block it cuts:
 * an L3 for a 2 MiB block, and an L2 first where a 1 GiB block may sit
 * (this model maps 1 GiB blocks; panthor maps 2 MiB ones only, so it counts
 * the L3s alone).
 */
static unsigned int lpae_op_pages(struct gvb_pt *pt, u64 iova, u64 size, bool map)
{
	u64 last = iova + size - 1, end = iova + size, n = 0;
	unsigned int lvl;

	if (map) {
		for (lvl = 0; lvl < LPAE_LEVELS - 1; lvl++)
			n += (last >> LPAE_LVL_SHIFT(lvl)) - (iova >> LPAE_LVL_SHIFT(lvl)) + 1;
		return min_t(u64, n, UINT_MAX);
	}
	return lpae_blocks_cut(iova, end, SZ_2M) + lpae_blocks_cut(iova, end, SZ_1G);
}

static int lpae_walk_table(lpae_pte *table, unsigned int lvl, u64 base,
			   int (*fn)(void *priv, u64 iova, u64 pa, u64 size, u32 prot), void *priv)
{
	u64 size = LPAE_LVL_SIZE(lvl);
	unsigned int i;
	int ret;

	for (i = 0; i < LPAE_ENTRIES; i++) {
		lpae_pte pte = READ_ONCE(table[i]);
		u64 iova = base + i * size;

		if (!lpae_valid(pte))
			continue;
		if (lpae_is_leaf(pte, lvl))
			ret = fn(priv, iova, pte & LPAE_ADDR_MASK, size, lpae_pte_to_prot(pte));
		else
			ret = lpae_walk_table(lpae_child(pte), lvl + 1, iova, fn, priv);
		if (ret)
			return ret;
	}
	return 0;
}

static int lpae_walk(struct gvb_pt *pt, int (*fn)(void *priv, u64 iova, u64 pa, u64 size, u32 prot),
		     void *priv)
{
	return lpae_walk_table(pt->root, 0, 0, fn, priv);
}

const struct gvb_pt_format gvb_pt_arm_lpae_s1 = {
	.name		= "arm-lpae-s1",
	.desc		= "ARM LPAE stage 1, 4K granule, 48-bit VA (Mali, panthor)",
	.va_bits	= LPAE_VA_BITS,
	.init		= lpae_init,
	.fini		= lpae_fini,
	.map		= lpae_map,
	.unmap		= lpae_unmap,
	.translate	= lpae_translate,
	.pages_needed	= lpae_pages_needed,
	.op_pages	= lpae_op_pages,
	.walk		= lpae_walk,
};
