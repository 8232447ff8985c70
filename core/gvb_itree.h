/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * An augmented interval tree: an AVL tree ordered by interval start, where
 * each node also caches the largest interval end in its subtree. This is
 * the structure drm_gpuvm keeps its VAs in (upstream uses an augmented
 * rbtree from interval_tree_generic.h); ours is self-contained so both
 * worlds run exactly the same code.
 *
 * Intervals are closed: [start, last]. Overlapping intervals and equal
 * starts are allowed (GPUVM never inserts them, the tests do). Nodes are
 * embedded in their owner; the tree never allocates.
 */
#ifndef GVB_ITREE_H
#define GVB_ITREE_H

#include "gvb_seam.h"

struct gvb_itree_node {
	struct gvb_itree_node *left, *right, *parent;
	u64 start, last;	/* the interval, inclusive */
	u64 subtree_last;	/* max(last) over this subtree */
	int height;		/* AVL height, leaf = 1 */
};

struct gvb_itree {
	struct gvb_itree_node *root;
	unsigned long count;
};

void gvb_itree_init(struct gvb_itree *t);
/* @n->start and @n->last must be set; equal starts go after existing ones. */
void gvb_itree_insert(struct gvb_itree *t, struct gvb_itree_node *n);
void gvb_itree_remove(struct gvb_itree *t, struct gvb_itree_node *n);

/* The overlapping node with the lowest start (ties: tree order), or NULL. */
struct gvb_itree_node *gvb_itree_first(const struct gvb_itree *t, u64 start, u64 last);
/*
 * The next node after @n, in tree order, that overlaps [start, last], or NULL.
 * @n need not overlap itself. Walking all k overlaps with first/next costs
 * O((k + 1) log n): subtrees whose subtree_last < start are skipped, and the
 * walk ends at the first node that starts after @last.
 */
struct gvb_itree_node *gvb_itree_next(const struct gvb_itree_node *n, u64 start, u64 last);

/* In-order neighbours and extremes, NULL at the ends. */
struct gvb_itree_node *gvb_itree_min(const struct gvb_itree *t);
struct gvb_itree_node *gvb_itree_succ(const struct gvb_itree_node *n);
struct gvb_itree_node *gvb_itree_pred(const struct gvb_itree_node *n);

/*
 * Checks every structural invariant: in-order start ordering, parent links,
 * AVL heights and balance, subtree_last, and count. 0 if sound, else
 * -EINVAL (and a pr_err() saying which invariant broke).
 */
int gvb_itree_check(const struct gvb_itree *t);

#endif /* GVB_ITREE_H */
