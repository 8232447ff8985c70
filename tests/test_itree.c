// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The interval tree against a brute-force oracle.
 *
 * The oracle is an array of the live intervals kept sorted by (start,
 * insertion number). Because the tree puts equal starts after existing ones
 * and rotations and removals keep tree order, that is exactly the tree's
 * in-order sequence, so every traversal and every query is compared node
 * for node, ties included. Nodes are compared by identity, and each node's
 * interval against a copy kept outside the tree, which catches a removal
 * that copies keys between nodes instead of relinking them.
 *
 * Random sequences mix tiny and full 64-bit key spaces, tiny and huge
 * lengths, and sizes from a handful to a few thousand nodes, so overlaps,
 * equal starts and the edge values 0 and U64_MAX are all common.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gvb_itree.h"
#include "gvb_test.h"

#define U64_MAX_T	(~0ULL)
/* %llx wants unsigned long long, which u64 need not be. */
#define ULL(x)		((unsigned long long)(x))

struct item {
	struct gvb_itree_node node;
	u64 start, last;	/* the interval as inserted, outside the tree */
	u64 seq;		/* insertion number: the tie order */
	bool live;
};

struct ctx {
	struct gvb_itree tree;
	struct item *pool;
	unsigned int pool_size;
	unsigned int *free;	/* free pool slots, a stack */
	unsigned int nfree;
	struct item **sorted;	/* the oracle: live items by (start, seq) */
	unsigned int nlive;
	u64 next_seq;
	struct gvb_itree_node **got;	/* scratch for query results */
	unsigned long mutations;
	unsigned long queries;
	unsigned long traversals;
};

static unsigned long total_sequences, total_ops, total_queries, total_checks, largest_tree;

/* ---------------------------------------------------------------- prng */
static u64 rng_state;

static u64 rnd(void)
{
	return gvb_rand64(&rng_state);
}

/* Uniform enough in [0, n) for test purposes; n == 0 means the full range. */
static u64 rnd_below(u64 n)
{
	return n ? rnd() % n : rnd();
}

/* ------------------------------------------------------------- oracle */
static void ctx_init(struct ctx *c, unsigned int pool_size)
{
	memset(c, 0, sizeof(*c));
	gvb_itree_init(&c->tree);
	c->pool_size = pool_size;
	c->pool = calloc(pool_size, sizeof(*c->pool));
	c->free = calloc(pool_size, sizeof(*c->free));
	c->sorted = calloc(pool_size, sizeof(*c->sorted));
	c->got = calloc(pool_size + 1, sizeof(*c->got));
	if (!c->pool || !c->free || !c->sorted || !c->got) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	for (unsigned int i = 0; i < pool_size; i++)
		c->free[c->nfree++] = pool_size - 1 - i;
}

static void ctx_fini(struct ctx *c)
{
	free(c->pool);
	free(c->free);
	free(c->sorted);
	free(c->got);
}

static bool item_before(const struct item *a, const struct item *b)
{
	return a->start < b->start || (a->start == b->start && a->seq < b->seq);
}

/* Index of the first oracle entry not before @it. */
static unsigned int oracle_lower_bound(const struct ctx *c, const struct item *it)
{
	unsigned int lo = 0, hi = c->nlive;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (item_before(c->sorted[mid], it))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct item *do_insert(struct ctx *c, u64 start, u64 last)
{
	struct item *it;
	unsigned int pos;

	if (!c->nfree)
		return NULL;
	it = &c->pool[c->free[--c->nfree]];
	/* Garbage in the links must not matter to insert. */
	memset(&it->node, 0xa5, sizeof(it->node));
	it->node.start = it->start = start;
	it->node.last = it->last = last;
	it->seq = c->next_seq++;
	it->live = true;
	gvb_itree_insert(&c->tree, &it->node);

	pos = oracle_lower_bound(c, it);
	memmove(&c->sorted[pos + 1], &c->sorted[pos], (c->nlive - pos) * sizeof(*c->sorted));
	c->sorted[pos] = it;
	c->nlive++;
	c->mutations++;
	return it;
}

static void do_remove_at(struct ctx *c, unsigned int pos)
{
	struct item *it = c->sorted[pos];

	gvb_itree_remove(&c->tree, &it->node);
	memmove(&c->sorted[pos], &c->sorted[pos + 1], (c->nlive - pos - 1) * sizeof(*c->sorted));
	c->nlive--;
	it->live = false;
	c->free[c->nfree++] = (unsigned int)(it - c->pool);
	c->mutations++;
}

static struct item *node_item(const struct gvb_itree_node *n)
{
	return container_of(n, struct item, node);
}

static bool overlaps(const struct item *it, u64 s, u64 l)
{
	return it->start <= l && s <= it->last;
}

/* -------------------------------------------------------------- checks */
static int check_tree(struct ctx *c, const char *where)
{
	int ret = gvb_itree_check(&c->tree);

	total_checks++;
	CHECK(ret == 0, "%s: gvb_itree_check() = %d", where, ret);
	CHECK(c->tree.count == c->nlive, "%s: count %lu, oracle %u", where, c->tree.count,
	      c->nlive);
	return ret == 0 && c->tree.count == c->nlive ? 0 : -1;
}

/* AVL's bound: a tree of height h holds at least F(h+2) - 1 nodes. */
static int check_height_bound(struct ctx *c, const char *where)
{
	unsigned long need_prev = 0, need = 1;	/* minimum sizes at heights 0 and 1 */
	int h = c->tree.root ? c->tree.root->height : 0;

	if (h == 0)
		return 0;
	for (int i = 1; i < h; i++) {
		unsigned long next = need + need_prev + 1;

		need_prev = need;
		need = next;
	}
	CHECK(c->tree.count >= need, "%s: height %d with only %lu nodes", where, h, c->tree.count);
	return c->tree.count >= need ? 0 : -1;
}

/* min/succ forward and pred backward must both give the oracle, exactly. */
static int check_traversal(struct ctx *c, const char *where)
{
	struct gvb_itree_node *n = gvb_itree_min(&c->tree), *last = NULL;
	unsigned int i;

	c->traversals++;
	for (i = 0; n && i < c->nlive; i++, n = gvb_itree_succ(n)) {
		struct item *it = node_item(n);

		const struct item *want = c->sorted[i];

		CHECK_OR_RETURN(it == want, -1,
				"%s: #%u in order is [%#llx,%#llx] seq %llu, want [%#llx,%#llx] seq %llu",
				where, i, ULL(it->start), ULL(it->last), ULL(it->seq),
				ULL(want->start), ULL(want->last), ULL(want->seq));
		CHECK_OR_RETURN(n->start == it->start && n->last == it->last, -1,
				"%s: node's key changed: [%#llx,%#llx], inserted as [%#llx,%#llx]",
				where, ULL(n->start), ULL(n->last), ULL(it->start), ULL(it->last));
		last = n;
	}
	CHECK_OR_RETURN(i == c->nlive && !n, -1, "%s: forward traversal gave %u%s, oracle %u",
			where, i, n ? "+" : "", c->nlive);

	for (n = last; n && i > 0; n = gvb_itree_pred(n)) {
		i--;
		CHECK_OR_RETURN(node_item(n) == c->sorted[i], -1, "%s: backward #%u differs", where,
				i);
	}
	CHECK_OR_RETURN(i == 0 && !n, -1, "%s: backward traversal stopped at %u", where, i);
	return 0;
}

static void report_query(struct ctx *c, const char *where, u64 s, u64 l, unsigned int ngot)
{
	fprintf(stderr, "  %s: query [%#llx, %#llx] on %u live, tree gave %u:\n", where, ULL(s),
		ULL(l), c->nlive, ngot);
	for (unsigned int i = 0; i < ngot && i < 8; i++)
		fprintf(stderr, "    [%#llx, %#llx] seq %llu\n", ULL(c->got[i]->start),
			ULL(c->got[i]->last), ULL(node_item(c->got[i])->seq));
}

/*
 * first/next over [s, l] must give exactly the overlapping oracle entries,
 * in ascending start order, equal starts in insertion order.
 */
static int check_query(struct ctx *c, const char *where, u64 s, u64 l)
{
	struct gvb_itree_node *n;
	unsigned int ngot = 0, j = 0;

	c->queries++;
	for (n = gvb_itree_first(&c->tree, s, l); n; n = gvb_itree_next(n, s, l)) {
		if (ngot > c->nlive) {
			CHECK(0, "%s: query [%#llx, %#llx] returned more than %u nodes", where,
			      ULL(s), ULL(l), c->nlive);
			return -1;
		}
		c->got[ngot++] = n;
	}

	for (unsigned int i = 0; i < c->nlive; i++) {
		struct item *it = c->sorted[i];

		if (!overlaps(it, s, l))
			continue;
		if (j >= ngot || c->got[j] != &it->node) {
			CHECK(0, "%s: query result #%u should be [%#llx, %#llx] seq %llu", where, j,
			      ULL(it->start), ULL(it->last), ULL(it->seq));
			report_query(c, where, s, l, ngot);
			return -1;
		}
		j++;
	}
	if (j != ngot) {
		CHECK(0, "%s: query gave %u nodes, oracle %u", where, ngot, j);
		report_query(c, where, s, l, ngot);
		return -1;
	}
	CHECK(true, "query");
	return 0;
}

/* gvb_itree_next() from any node, overlapping it or not. */
static int check_next_from(struct ctx *c, const char *where, unsigned int pos, u64 s, u64 l)
{
	struct gvb_itree_node *got = gvb_itree_next(&c->sorted[pos]->node, s, l);
	struct gvb_itree_node *want = NULL;

	for (unsigned int i = pos + 1; i < c->nlive; i++) {
		if (overlaps(c->sorted[i], s, l)) {
			want = &c->sorted[i]->node;
			break;
		}
	}
	CHECK_OR_RETURN(got == want, -1,
			"%s: next after #%u over [%#llx, %#llx]: got %p, want %p", where, pos,
			ULL(s), ULL(l), (void *)got, (void *)want);
	return 0;
}

/* ---------------------------------------------------- random sequences */
struct profile {
	u64 space;		/* starts in [0, space), 0 = full 64 bits */
	u64 len_small;		/* tiny lengths in [0, len_small) */
	u64 len_mid;		/* medium lengths in [0, len_mid) */
	unsigned int max_live;
	unsigned int ops;
};

static u64 gen_start(const struct profile *p)
{
	switch (rnd_below(32)) {
	case 0:
		return 0;
	case 1:
		return p->space ? p->space - 1 : U64_MAX_T;
	case 2:
		return U64_MAX_T - rnd_below(4);
	case 3:
	case 4:
		/* A crowded corner in every key space: equal starts, overlaps. */
		return rnd_below(16);
	default:
		return rnd_below(p->space);
	}
}

static u64 gen_last(const struct profile *p, u64 start)
{
	u64 room = U64_MAX_T - start, len;
	unsigned int kind = (unsigned int)rnd_below(16);

	if (kind < 8)
		len = rnd_below(p->len_small);
	else if (kind < 13)
		len = rnd_below(p->len_mid);
	else if (kind < 15)
		len = room == U64_MAX_T ? rnd() : rnd_below(room + 1);	/* huge */
	else
		len = room;					/* to U64_MAX */
	return len > room ? U64_MAX_T : start + len;
}

static void gen_query(const struct profile *p, u64 *s, u64 *l)
{
	switch (rnd_below(16)) {
	case 0:
		*s = 0;
		*l = U64_MAX_T;
		return;
	case 1:
	case 2:
		*s = *l = gen_start(p);	/* a point */
		return;
	default:
		*s = gen_start(p);
		*l = gen_last(p, *s);
	}
}

static int run_sequence(unsigned int id)
{
	static const struct profile profiles[] = {
		/* Tiny space: many equal starts and overlaps. */
		{ .space = 16, .len_small = 2, .len_mid = 8, .max_live = 48, .ops = 3000 },
		{ .space = 64, .len_small = 4, .len_mid = 32, .max_live = 200, .ops = 3000 },
		{ .space = 1024, .len_small = 4, .len_mid = 256, .max_live = 600, .ops = 3000 },
		/* GPU-VA-like: 48 bits, page-ish lengths. */
		{ .space = 1ULL << 48, .len_small = 1 << 16, .len_mid = 1ULL << 36,
		  .max_live = 1000, .ops = 4000 },
		/* Full 64 bits, some huge lengths. */
		{ .space = 0, .len_small = 16, .len_mid = 1ULL << 60, .max_live = 300,
		  .ops = 3000 },
		/* Big tree: deep rebalancing, checked every 16 mutations. */
		{ .space = 1 << 20, .len_small = 8, .len_mid = 1 << 12, .max_live = 3000,
		  .ops = 6000 },
	};
	const struct profile *p = &profiles[id % ARRAY_SIZE(profiles)];
	unsigned int max_live = p->max_live / (1 + (unsigned int)(id / ARRAY_SIZE(profiles)) % 3);
	unsigned int ops = p->ops, insert_pct;
	char where[64];
	struct ctx c;
	int ret = 0;

	rng_state = 0x1234567887654321ULL ^ ((u64)id * 0x9e3779b97f4a7c15ULL);
	snprintf(where, sizeof(where), "sequence %u", id);
	ctx_init(&c, max_live);
	/* Some sequences grow, some hover, some shrink. */
	insert_pct = 40 + (unsigned int)rnd_below(30);

	for (unsigned int op = 0; op < ops && !ret; op++) {
		unsigned int r = (unsigned int)rnd_below(100);
		bool mutated = false;
		u64 s, l;

		/* Fill fast at first so big trees actually get big. */
		bool filling = op < max_live && c.nlive < max_live / 2 && r < 70;

		if (filling || r < 60) {
			bool ins = c.nlive == 0 || filling ||
				   (c.nlive < max_live && rnd_below(100) < insert_pct);

			if (ins) {
				s = gen_start(p);
				/* Reuse a live start now and then: equal starts. */
				if (c.nlive && rnd_below(4) == 0)
					s = c.sorted[rnd_below(c.nlive)]->start;
				do_insert(&c, s, gen_last(p, s));
			} else {
				do_remove_at(&c, (unsigned int)rnd_below(c.nlive));
			}
			mutated = true;
		} else if (r < 92) {
			gen_query(p, &s, &l);
			/* Queries on a live node's edges. */
			if (c.nlive && rnd_below(4) == 0) {
				struct item *it = c.sorted[rnd_below(c.nlive)];

				switch (rnd_below(4)) {
				case 0: s = l = it->start; break;
				case 1: s = l = it->last; break;
				case 2: s = it->last; l = s == U64_MAX_T ? s : s + 1; break;
				default: l = it->start; s = l ? l - 1 : 0; break;
				}
			}
			ret = check_query(&c, where, s, l);
		} else if (r < 98) {
			if (c.nlive) {
				unsigned int from = (unsigned int)rnd_below(c.nlive);

				gen_query(p, &s, &l);
				ret = check_next_from(&c, where, from, s, l);
			}
		} else {
			ret = check_traversal(&c, where);
		}

		if (c.nlive > largest_tree)
			largest_tree = c.nlive;
		if (mutated && (c.tree.count <= 128 || c.mutations % 16 == 0))
			ret = check_tree(&c, where) ?: check_height_bound(&c, where);
	}

	/* Drain in random order, checking as we go. */
	while (!ret && c.nlive) {
		do_remove_at(&c, (unsigned int)rnd_below(c.nlive));
		if (c.tree.count <= 128 || c.mutations % 16 == 0)
			ret = check_tree(&c, where);
	}
	if (!ret) {
		ret = check_tree(&c, where);
		CHECK(c.tree.root == NULL, "%s: root not NULL after draining", where);
		CHECK(gvb_itree_min(&c.tree) == NULL, "%s: min of an empty tree", where);
		CHECK(gvb_itree_first(&c.tree, 0, U64_MAX_T) == NULL, "%s: first in an empty tree",
		      where);
	}

	total_sequences++;
	total_ops += c.mutations + c.queries + c.traversals;
	total_queries += c.queries;
	ctx_fini(&c);
	return ret;
}

/* ------------------------------------------------- GPUVM's disjoint case */
static void test_disjoint(void)
{
	const unsigned int n = 2000;
	const u64 base = 0x100000000ULL, page = 0x1000;
	unsigned int *order = calloc(n, sizeof(*order));
	struct item **by_idx = calloc(n, sizeof(*by_idx));
	u64 *starts = calloc(n, sizeof(*starts)), *lasts = calloc(n, sizeof(*lasts));
	struct ctx c;
	u64 addr = base;

	rng_state = 0xd15701ed;
	ctx_init(&c, n);
	/* Adjacent runs with occasional holes, sizes from a page to 2 MiB. */
	for (unsigned int i = 0; i < n; i++) {
		u64 size = page << rnd_below(10);

		if (rnd_below(4) == 0)
			addr += page << rnd_below(6);
		starts[i] = addr;
		lasts[i] = addr + size - 1;
		addr += size;
		order[i] = i;
	}
	/* Insert in a shuffled order, then check each interval's edges. */
	for (unsigned int i = n - 1; i > 0; i--) {
		unsigned int j = (unsigned int)rnd_below(i + 1), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	for (unsigned int i = 0; i < n; i++) {
		by_idx[order[i]] = do_insert(&c, starts[order[i]], lasts[order[i]]);
		if (check_tree(&c, "disjoint insert"))
			goto out;
	}
	check_traversal(&c, "disjoint");
	check_height_bound(&c, "disjoint");

	for (unsigned int i = 0; i < n; i++) {
		u64 a = starts[i], b = lasts[i];
		struct gvb_itree_node *f;

		/* A point query on either edge finds exactly this interval. */
		f = gvb_itree_first(&c.tree, a, a);
		CHECK(f == &by_idx[i]->node && !gvb_itree_next(f, a, a), "[a, a] for #%u", i);
		f = gvb_itree_first(&c.tree, b, b);
		CHECK(f == &by_idx[i]->node && !gvb_itree_next(f, b, b), "[b, b] for #%u", i);
		/* Just outside: the neighbour if adjacent, else nothing. */
		f = gvb_itree_first(&c.tree, a - 1, a - 1);
		CHECK(f == (i && lasts[i - 1] == a - 1 ? &by_idx[i - 1]->node : NULL),
		      "[a-1, a-1] for #%u", i);
		f = gvb_itree_first(&c.tree, b + 1, b + 1);
		CHECK(f == (i + 1 < n && starts[i + 1] == b + 1 ? &by_idx[i + 1]->node : NULL),
		      "[b+1, b+1] for #%u", i);
		/* Spanning an edge: the same through the generic comparator. */
		check_query(&c, "disjoint", a - 1, a);
		check_query(&c, "disjoint", b, b + 1);
		check_query(&c, "disjoint", a, b);
		check_query(&c, "disjoint", a + 1, b - 1);
	}
	check_query(&c, "disjoint", 0, base - 1);
	check_query(&c, "disjoint", addr, U64_MAX_T);
	check_query(&c, "disjoint", 0, U64_MAX_T);

	/* Remove every other one (GPUVM's unmap of a range), then the rest. */
	for (unsigned int i = 0; i < c.nlive; i++) {
		do_remove_at(&c, i);
		if (check_tree(&c, "disjoint remove"))
			goto out;
	}
	check_traversal(&c, "disjoint, half removed");
	for (unsigned int i = 0; i < 500; i++) {
		u64 s = base + rnd_below(addr - base);

		check_query(&c, "disjoint, half removed", s, s + rnd_below(1 << 22));
	}
	while (c.nlive) {
		do_remove_at(&c, c.nlive - 1);
		if (check_tree(&c, "disjoint drain"))
			goto out;
	}
out:
	total_ops += c.mutations + c.queries + c.traversals;
	total_queries += c.queries;
	ctx_fini(&c);
	free(order);
	free(by_idx);
	free(starts);
	free(lasts);
}

/* Sorted input, the usual GPUVM pattern: must stay balanced. */
static void test_monotonic(void)
{
	const unsigned int n = 20000;
	struct ctx c;

	ctx_init(&c, n);
	for (unsigned int i = 0; i < n; i++)
		do_insert(&c, (u64)i << 12, ((u64)i << 12) + 0xfff);
	check_tree(&c, "ascending");
	check_height_bound(&c, "ascending");
	check_traversal(&c, "ascending");
	while (c.nlive)
		do_remove_at(&c, 0);
	check_tree(&c, "ascending, drained");

	for (unsigned int i = n; i > 0; i--)
		do_insert(&c, (u64)i << 12, ((u64)i << 12) + 0xfff);
	check_tree(&c, "descending");
	check_height_bound(&c, "descending");
	check_traversal(&c, "descending");
	while (c.nlive)
		do_remove_at(&c, c.nlive - 1);
	check_tree(&c, "descending, drained");

	/* All starts equal: the tree degenerates to pure insertion order. */
	for (unsigned int i = 0; i < 3000; i++)
		do_insert(&c, 42, 42 + (i * 7919u) % 1000);
	check_tree(&c, "equal starts");
	check_height_bound(&c, "equal starts");
	check_traversal(&c, "equal starts");
	check_query(&c, "equal starts", 500, 500);
	check_query(&c, "equal starts", 1041, 2000);
	check_query(&c, "equal starts", 0, 41);
	rng_state = 0xe9a1;
	while (c.nlive) {
		do_remove_at(&c, (unsigned int)rnd_below(c.nlive));
		if (check_tree(&c, "equal starts, removing"))
			break;
	}
	total_ops += c.mutations + c.queries + c.traversals;
	total_queries += c.queries;
	ctx_fini(&c);
}

/* 0 and U64_MAX as starts, lasts and query bounds. */
static void test_edges(void)
{
	static const u64 iv[][2] = {
		{ 0, 0 }, { 0, U64_MAX_T }, { U64_MAX_T, U64_MAX_T }, { U64_MAX_T - 1, U64_MAX_T },
		{ 1, U64_MAX_T - 1 }, { 0, 1 }, { 0, 0 }, { U64_MAX_T, U64_MAX_T }, { 2, 2 },
		{ U64_MAX_T - 2, U64_MAX_T - 2 },
	};
	static const u64 q[] = { 0, 1, 2, 3, U64_MAX_T - 3, U64_MAX_T - 2, U64_MAX_T - 1,
				 U64_MAX_T };
	struct ctx c;

	ctx_init(&c, ARRAY_SIZE(iv));
	CHECK(gvb_itree_check(&c.tree) == 0, "empty tree");
	CHECK(gvb_itree_first(&c.tree, 0, U64_MAX_T) == NULL, "first in an empty tree");
	for (unsigned int k = 0; k < ARRAY_SIZE(iv); k++) {
		do_insert(&c, iv[k][0], iv[k][1]);
		check_tree(&c, "edges");
		check_traversal(&c, "edges");
		for (unsigned int i = 0; i < ARRAY_SIZE(q); i++)
			for (unsigned int j = i; j < ARRAY_SIZE(q); j++)
				check_query(&c, "edges", q[i], q[j]);
	}
	/* Remove from the middle of the order each time: two-child removals. */
	while (c.nlive) {
		do_remove_at(&c, c.nlive / 2);
		check_tree(&c, "edges, removing");
		check_traversal(&c, "edges, removing");
		for (unsigned int i = 0; i < ARRAY_SIZE(q); i++)
			for (unsigned int j = i; j < ARRAY_SIZE(q); j++)
				check_query(&c, "edges, removing", q[i], q[j]);
	}
	total_ops += c.mutations + c.queries + c.traversals;
	total_queries += c.queries;
	ctx_fini(&c);
}

/* --------------------------------------------- gvb_itree_check() itself */
static void expect_corrupt(struct gvb_itree *t, const char *what)
{
	CHECK(gvb_itree_check(t) == -EINVAL, "gvb_itree_check() missed a corrupt %s", what);
}

static void expect_sound(struct gvb_itree *t, const char *what)
{
	CHECK(gvb_itree_check(t) == 0, "tree not sound after restoring %s", what);
}

static void test_check_catches(void)
{
	struct gvb_itree_node *inner, *leaf, *saved;
	struct ctx c;
	u64 saved_u64;
	int saved_int;

	rng_state = 0xbadc0de;
	ctx_init(&c, 64);
	for (unsigned int i = 0; i < 64; i++) {
		u64 s = rnd_below(1000);

		do_insert(&c, s, s + rnd_below(100));
	}
	if (check_tree(&c, "corruption base"))
		goto out;
	inner = c.tree.root->left;
	leaf = gvb_itree_min(&c.tree);
	fprintf(stderr, "test_itree: the gvb_itree errors below are expected\n");

	saved_u64 = inner->subtree_last;
	inner->subtree_last = saved_u64 + 1;
	expect_corrupt(&c.tree, "subtree_last (raised)");
	inner->subtree_last = inner->last - 1;
	expect_corrupt(&c.tree, "subtree_last (below own last)");
	inner->subtree_last = saved_u64;
	expect_sound(&c.tree, "subtree_last");

	saved_u64 = leaf->subtree_last;
	leaf->subtree_last = saved_u64 + 1;
	expect_corrupt(&c.tree, "leaf subtree_last");
	leaf->subtree_last = saved_u64;
	expect_sound(&c.tree, "leaf subtree_last");

	saved_int = inner->height;
	inner->height = saved_int + 1;
	expect_corrupt(&c.tree, "height (raised)");
	inner->height = saved_int - 1;
	expect_corrupt(&c.tree, "height (lowered)");
	inner->height = saved_int;
	expect_sound(&c.tree, "height");

	saved = inner->parent;
	inner->parent = c.tree.root->right;
	expect_corrupt(&c.tree, "parent link");
	inner->parent = saved;
	expect_sound(&c.tree, "parent link");

	/* Out of order: the root's start moved past its successor's. */
	saved_u64 = c.tree.root->start;
	c.tree.root->start = gvb_itree_succ(c.tree.root)->start + 1;
	c.tree.root->last = max(c.tree.root->last, c.tree.root->start);
	expect_corrupt(&c.tree, "start order");
	c.tree.root->start = saved_u64;
	c.tree.root->last = node_item(c.tree.root)->last;
	expect_sound(&c.tree, "start order");

	c.tree.count++;
	expect_corrupt(&c.tree, "count (high)");
	c.tree.count -= 2;
	expect_corrupt(&c.tree, "count (low)");
	c.tree.count++;
	expect_sound(&c.tree, "count");

	/* A cycle: a leaf's child pointing back at the root must not hang. */
	leaf->left = c.tree.root;
	expect_corrupt(&c.tree, "cycle");
	leaf->left = NULL;
	expect_sound(&c.tree, "cycle");

	/*
	 * Balance: a hand-built chain 1 -> 2 -> 3 with correct heights and
	 * subtree_last is wrong only in its balance factor.
	 */
	{
		struct gvb_itree_node a = { .start = 1, .last = 1, .subtree_last = 3, .height = 3 };
		struct gvb_itree_node b = { .start = 2, .last = 2, .subtree_last = 3, .height = 2 };
		struct gvb_itree_node d = { .start = 3, .last = 3, .subtree_last = 3, .height = 1 };
		struct gvb_itree chain = { .root = &a, .count = 3 };

		a.right = &b;
		b.parent = &a;
		b.right = &d;
		d.parent = &b;
		expect_corrupt(&chain, "balance");
		/* Rebalanced by hand it passes, so the failure above was balance. */
		chain.root = &b;
		b.parent = NULL;
		b.left = &a;
		a.parent = &b;
		a.right = NULL;
		a.height = 1;
		a.subtree_last = 1;
		expect_sound(&chain, "balance");
	}
	fprintf(stderr, "test_itree: end of expected errors\n");
out:
	ctx_fini(&c);
}

int main(int argc, char **argv)
{
	unsigned int nseq = 240;
	struct timespec t0, t1;
	int failed_seq = 0;

	if (argc > 1)
		nseq = (unsigned int)strtoul(argv[1], NULL, 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);

	test_edges();
	test_check_catches();
	test_disjoint();
	test_monotonic();
	for (unsigned int id = 0; id < nseq; id++) {
		if (run_sequence(id)) {
			fprintf(stderr, "sequence %u failed\n", id);
			if (++failed_seq >= 3)
				break;
		}
	}

	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("test_itree: %lu sequences, %lu operations, %lu queries, %lu full checks, "
	       "largest random tree %lu, %.2f s\n",
	       total_sequences, total_ops, total_queries, total_checks, largest_tree,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return gvb_test_done("test_itree");
}
