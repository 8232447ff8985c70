// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Augmented AVL interval tree, see gvb_itree.h.
 *
 * Every operation that walks the tree is iterative: insert and remove fix
 * heights and subtree_last bottom-up through parent pointers, and stop as
 * soon as a node's height and subtree_last come out unchanged, because
 * nothing above it can change then either. Only gvb_itree_check() recurses,
 * and AVL bounds its depth to about 1.44 * log2(n).
 *
 * Nodes are embedded in their owners (a GPUVM VA), so removal relinks the
 * nodes around the victim and never copies a key from one node to another:
 * a pointer to any other node stays valid and keeps its interval.
 */
#include "gvb_itree.h"

static inline int gvb_itree_h(const struct gvb_itree_node *n)
{
	return n ? n->height : 0;
}

static inline u64 gvb_itree_sl(const struct gvb_itree_node *n, u64 acc)
{
	return n ? max(n->subtree_last, acc) : acc;
}

/* Recomputes @n's cached values from its children, which must be right. */
static inline void gvb_itree_update(struct gvb_itree_node *n)
{
	n->height = 1 + max(gvb_itree_h(n->left), gvb_itree_h(n->right));
	n->subtree_last = gvb_itree_sl(n->right, gvb_itree_sl(n->left, n->last));
}

/* Points whatever pointed at @old (its parent's slot, or the root) at @new. */
static inline void gvb_itree_replace(struct gvb_itree *t, struct gvb_itree_node *parent,
				     struct gvb_itree_node *old, struct gvb_itree_node *new)
{
	if (!parent)
		t->root = new;
	else if (parent->left == old)
		parent->left = new;
	else
		parent->right = new;
}

/*
 * Rotations recompute both moved nodes from their children instead of
 * copying the old top's subtree_last to the new top: during removal the old
 * top's cached value is stale (it still counts the removed node), so
 * copying would be wrong there, and recomputing costs two max() per node.
 */
static struct gvb_itree_node *gvb_itree_rotate_left(struct gvb_itree *t,
						    struct gvb_itree_node *x)
{
	struct gvb_itree_node *y = x->right;
	struct gvb_itree_node *b = y->left;

	x->right = b;
	if (b)
		b->parent = x;
	y->parent = x->parent;
	gvb_itree_replace(t, x->parent, x, y);
	y->left = x;
	x->parent = y;
	gvb_itree_update(x);
	gvb_itree_update(y);
	return y;
}

static struct gvb_itree_node *gvb_itree_rotate_right(struct gvb_itree *t,
						     struct gvb_itree_node *x)
{
	struct gvb_itree_node *y = x->left;
	struct gvb_itree_node *b = y->right;

	x->left = b;
	if (b)
		b->parent = x;
	y->parent = x->parent;
	gvb_itree_replace(t, x->parent, x, y);
	y->right = x;
	x->parent = y;
	gvb_itree_update(x);
	gvb_itree_update(y);
	return y;
}

/*
 * Restores balance at @p, whose children are sound and differ in height by
 * at most 2, and recomputes its cached values. Returns the node now at @p's
 * position.
 */
static struct gvb_itree_node *gvb_itree_rebalance(struct gvb_itree *t, struct gvb_itree_node *p)
{
	int hl = gvb_itree_h(p->left), hr = gvb_itree_h(p->right);

	if (hl > hr + 1) {
		struct gvb_itree_node *l = p->left;

		if (gvb_itree_h(l->left) < gvb_itree_h(l->right))
			gvb_itree_rotate_left(t, l);
		return gvb_itree_rotate_right(t, p);
	}
	if (hr > hl + 1) {
		struct gvb_itree_node *r = p->right;

		if (gvb_itree_h(r->right) < gvb_itree_h(r->left))
			gvb_itree_rotate_right(t, r);
		return gvb_itree_rotate_left(t, p);
	}
	gvb_itree_update(p);
	return p;
}

void gvb_itree_init(struct gvb_itree *t)
{
	t->root = NULL;
	t->count = 0;
}

void gvb_itree_insert(struct gvb_itree *t, struct gvb_itree_node *n)
{
	struct gvb_itree_node *parent = NULL, **link = &t->root;
	const u64 start = n->start, last = n->last;

	/*
	 * Every node on the way down gains @n in its subtree, so raise its
	 * subtree_last now; the climb below then only has to fix heights.
	 */
	while (*link) {
		parent = *link;
		if (parent->subtree_last < last)
			parent->subtree_last = last;
		/* Equal starts go right: after the existing ones, in tree order. */
		link = start < parent->start ? &parent->left : &parent->right;
	}
	n->left = NULL;
	n->right = NULL;
	n->parent = parent;
	n->height = 1;
	n->subtree_last = last;
	*link = n;
	t->count++;

	/*
	 * Climb while heights grow. One (single or double) rotation brings the
	 * subtree back to its height before the insert, so after it nothing
	 * above changes; and subtree_last is already right everywhere.
	 */
	for (struct gvb_itree_node *p = parent; p; p = p->parent) {
		int hl = gvb_itree_h(p->left), hr = gvb_itree_h(p->right);
		int h;

		if (hl > hr + 1 || hr > hl + 1) {
			gvb_itree_rebalance(t, p);
			break;
		}
		h = 1 + max(hl, hr);
		if (h == p->height)
			break;
		p->height = h;
	}
}

void gvb_itree_remove(struct gvb_itree *t, struct gvb_itree_node *n)
{
	struct gvb_itree_node *parent = n->parent;
	struct gvb_itree_node *fix, *must_visit = NULL;

	if (!n->left || !n->right) {
		struct gvb_itree_node *child = n->left ? n->left : n->right;

		if (child)
			child->parent = parent;
		gvb_itree_replace(t, parent, n, child);
		fix = parent;
	} else {
		/*
		 * Two children: the in-order successor s (leftmost of the right
		 * subtree, so it has no left child) takes n's place. s starts
		 * with n's cached values, so the climb can tell whether the
		 * subtree at n's old position changed.
		 */
		struct gvb_itree_node *s = n->right;

		while (s->left)
			s = s->left;
		if (s == n->right) {
			fix = s;
		} else {
			struct gvb_itree_node *sp = s->parent;

			sp->left = s->right;
			if (s->right)
				s->right->parent = sp;
			s->right = n->right;
			n->right->parent = s;
			fix = sp;
		}
		s->left = n->left;
		n->left->parent = s;
		s->parent = parent;
		s->height = n->height;
		s->subtree_last = n->subtree_last;
		gvb_itree_replace(t, parent, n, s);
		/*
		 * Below s the path lost s; s itself lost n. An unchanged node
		 * below s says nothing about s, so the climb must reach it.
		 */
		must_visit = s;
	}
	t->count--;

	/*
	 * Climb, rebalancing. Unlike insert, a rotation here can shrink the
	 * subtree, so keep going until a node's height and subtree_last both
	 * come out unchanged.
	 */
	while (fix) {
		const int old_h = fix->height;
		const u64 old_sl = fix->subtree_last;
		struct gvb_itree_node *top = gvb_itree_rebalance(t, fix);

		if (fix == must_visit)
			must_visit = NULL;
		if (!must_visit && top->height == old_h && top->subtree_last == old_sl)
			break;
		fix = top->parent;
	}
}

/*
 * The first node in tree order under @n that overlaps [start, last], or
 * NULL. The caller has checked @n->subtree_last >= start.
 */
static struct gvb_itree_node *gvb_itree_subtree_first(struct gvb_itree_node *n, u64 start,
						       u64 last)
{
	for (;;) {
		/*
		 * If some node on the left ends at or after start, the answer
		 * can only be on the left: either that node (or one before it)
		 * overlaps, or it starts after last and so does everything
		 * after it in tree order, this node and its right included.
		 */
		if (n->left && n->left->subtree_last >= start) {
			n = n->left;
			continue;
		}
		if (n->start > last)
			return NULL;
		if (n->last >= start)
			return n;
		n = n->right;
		if (!n || n->subtree_last < start)
			return NULL;
	}
}

struct gvb_itree_node *gvb_itree_first(const struct gvb_itree *t, u64 start, u64 last)
{
	struct gvb_itree_node *root = t->root;

	if (!root || root->subtree_last < start)
		return NULL;
	return gvb_itree_subtree_first(root, start, last);
}

/*
 * Like the kernel's interval_tree_iter_next(): search the right subtree if
 * anything there ends at or after start, otherwise climb to the first
 * ancestor we reach from its left, which is the next node in tree order.
 * Any subtree or ancestor that starts after last ends the walk, since all
 * later nodes start later still.
 */
struct gvb_itree_node *gvb_itree_next(const struct gvb_itree_node *n, u64 start, u64 last)
{
	struct gvb_itree_node *node = (struct gvb_itree_node *)n;
	struct gvb_itree_node *right = node->right;

	for (;;) {
		struct gvb_itree_node *prev;

		if (right && right->subtree_last >= start)
			return gvb_itree_subtree_first(right, start, last);

		do {
			prev = node;
			node = node->parent;
			if (!node)
				return NULL;
		} while (node->right == prev);
		right = node->right;

		if (node->start > last)
			return NULL;
		if (node->last >= start)
			return node;
	}
}

static struct gvb_itree_node *gvb_itree_leftmost(struct gvb_itree_node *n)
{
	while (n->left)
		n = n->left;
	return n;
}

struct gvb_itree_node *gvb_itree_min(const struct gvb_itree *t)
{
	return t->root ? gvb_itree_leftmost(t->root) : NULL;
}

struct gvb_itree_node *gvb_itree_succ(const struct gvb_itree_node *n)
{
	struct gvb_itree_node *p;

	if (n->right)
		return gvb_itree_leftmost(n->right);
	for (p = n->parent; p && p->right == n; p = p->parent)
		n = p;
	return p;
}

struct gvb_itree_node *gvb_itree_pred(const struct gvb_itree_node *n)
{
	struct gvb_itree_node *p;

	if (n->left) {
		p = n->left;
		while (p->right)
			p = p->right;
		return p;
	}
	for (p = n->parent; p && p->left == n; p = p->parent)
		n = p;
	return p;
}

/* An AVL tree of height 96 would hold more nodes than fit in memory. */
#define GVB_ITREE_MAX_DEPTH	96

struct gvb_itree_check_state {
	const struct gvb_itree_node *prev;	/* last node visited in order */
	unsigned long seen;
	unsigned long limit;			/* t->count: more means a cycle */
};

/* Returns the subtree's height, or -EINVAL after reporting a violation. */
static int gvb_itree_check_node(struct gvb_itree_check_state *st, const struct gvb_itree_node *n,
				const struct gvb_itree_node *parent, int depth)
{
	int hl, hr;
	u64 sl;

	if (!n)
		return 0;
	if (depth > GVB_ITREE_MAX_DEPTH) {
		pr_err("gvb_itree: deeper than %d, not an AVL tree (cycle?)\n",
		       GVB_ITREE_MAX_DEPTH);
		return -EINVAL;
	}
	if (n->parent != parent) {
		pr_err("gvb_itree: node [%#llx, %#llx] has a wrong parent link\n",
		       (unsigned long long)n->start, (unsigned long long)n->last);
		return -EINVAL;
	}
	hl = gvb_itree_check_node(st, n->left, n, depth + 1);
	if (hl < 0)
		return hl;

	/* In order: this node comes after everything on its left. */
	if (++st->seen > st->limit) {
		pr_err("gvb_itree: more nodes than count %lu\n", st->limit);
		return -EINVAL;
	}
	if (n->start > n->last) {
		pr_err("gvb_itree: node [%#llx, %#llx] has start > last\n",
		       (unsigned long long)n->start, (unsigned long long)n->last);
		return -EINVAL;
	}
	if (st->prev && st->prev->start > n->start) {
		pr_err("gvb_itree: start %#llx follows %#llx in tree order\n",
		       (unsigned long long)n->start, (unsigned long long)st->prev->start);
		return -EINVAL;
	}
	st->prev = n;

	hr = gvb_itree_check_node(st, n->right, n, depth + 1);
	if (hr < 0)
		return hr;

	if (n->height != 1 + max(hl, hr)) {
		pr_err("gvb_itree: node [%#llx, %#llx] height %d, expected %d\n",
		       (unsigned long long)n->start, (unsigned long long)n->last, n->height,
		       1 + max(hl, hr));
		return -EINVAL;
	}
	if (hl > hr + 1 || hr > hl + 1) {
		pr_err("gvb_itree: node [%#llx, %#llx] unbalanced, heights %d/%d\n",
		       (unsigned long long)n->start, (unsigned long long)n->last, hl, hr);
		return -EINVAL;
	}
	sl = gvb_itree_sl(n->right, gvb_itree_sl(n->left, n->last));
	if (n->subtree_last != sl) {
		pr_err("gvb_itree: node [%#llx, %#llx] subtree_last %#llx, expected %#llx\n",
		       (unsigned long long)n->start, (unsigned long long)n->last,
		       (unsigned long long)n->subtree_last, (unsigned long long)sl);
		return -EINVAL;
	}
	return n->height;
}

int gvb_itree_check(const struct gvb_itree *t)
{
	struct gvb_itree_check_state st = { .prev = NULL, .seen = 0, .limit = t->count };
	int ret;

	ret = gvb_itree_check_node(&st, t->root, NULL, 1);
	if (ret < 0)
		return ret;
	if (st.seen != t->count) {
		pr_err("gvb_itree: count %lu, but %lu nodes in the tree\n", t->count, st.seen);
		return -EINVAL;
	}
	return 0;
}
