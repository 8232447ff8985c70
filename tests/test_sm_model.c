// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The split/merge walk against a page-granular reference model.
 *
 * Random operation sequences go through the real gvb_vm_map()/gvb_vm_unmap()
 * path (and, for a share of them, the two-pass prepare/commit path), with
 * vm->trace recording every applied step. A model that knows nothing of
 * trees predicts the steps by the upstream rules (docs/DESIGN.md section 1.2,
 * tests/data/README.md):
 *
 *   visit the VAs overlapping the request in ascending address order;
 *   fully covered -> unmap; partly covered -> remap with the piece below
 *   (prev) and/or above (next) the request; keep = same BO and same
 *   offset - address as the request, always 0 for an unmap request; then,
 *   for a map request, exactly one map step carrying the request.
 *
 * The model keeps its own VA list, because VAs are never merged and so VA
 * identity matters, not just what each page maps to; and, separately, a
 * page array updated by the plain meaning of map (overwrite) and unmap
 * (clear), which the VA list must agree with. After every operation the
 * emitted steps, our VA list, the invariant checkers, the vm_bo reference
 * counts and the page-table translation of the window are compared with it.
 *
 * Most sequences are short on a small window; some build trees of hundreds
 * of VAs; some use 2 MiB-aligned maps so that the page table uses blocks,
 * which later page-granular operations split. Most run under the resv
 * strategy; a share runs under every non-broken strategy, whose results
 * must be identical. Invalid requests must fail with -EINVAL and change
 * nothing.
 *
 * Usage: test_sm_model [seed [percent]]
 *   percent scales the number of sequences (default 100, which is what
 *   ctest runs); a sanitizer build that is too slow can pass less.
 */
#include <stdarg.h>

#include "gvb_strategy.h"
#include "gvb_test.h"

#define PG		GVB_PAGE
#define NBO		4	/* BO 0 is private to the VM, the others are external */
#define BLOCK_PAGES	512	/* 2 MiB in 4 KiB pages */
#define MAX_REPORTS	10	/* detailed mismatch reports before going quiet */
#define DEFAULT_SEQS	10400

static const u32 prots[] = {
	GVB_PROT_READ, GVB_PROT_RW, GVB_PROT_READ | GVB_PROT_EXEC, GVB_PROT_RW | GVB_PROT_EXEC,
};

/* ------------------------------------------------------------------ rng */

static u64 rnd_below(u64 *s, u64 n)
{
	return n ? gvb_rand64(s) % n : 0;
}

static u64 min_u64(u64 a, u64 b)
{
	return a < b ? a : b;
}

static u64 max_u64(u64 a, u64 b)
{
	return a > b ? a : b;
}

/* 1..max, biased towards short lengths so that small windows get crowded. */
static u64 rnd_len(u64 *s, u64 max)
{
	if (max <= 1)
		return 1;
	switch (rnd_below(s, 4)) {
	case 0:
	case 1:
		return 1 + rnd_below(s, min_u64(max, 4));
	case 2:
		return 1 + rnd_below(s, min_u64(max, 16));
	default:
		return 1 + rnd_below(s, max);
	}
}

/* ------------------------------------------------------------- the model */

/* Pages throughout; addr is relative to the window's first page. */
struct mva {
	u64 addr, range, off;
	int bo;
	u32 prot;
};

struct mpage {
	int bo;		/* -1: nothing mapped */
	u32 prot;
	u64 off;
};

struct model {
	u64 npages;
	struct mpage *pages;
	struct mva *va, *tmp;	/* ascending address; tmp is scratch for apply */
	unsigned int n;
};

struct req {
	bool map;
	u64 addr, range, off;	/* pages */
	int bo;
	u32 prot;
};

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		abort();
	return p;
}

static void model_init(struct model *m, u64 npages)
{
	u64 i;

	m->npages = npages;
	m->pages = xcalloc(npages, sizeof(*m->pages));
	for (i = 0; i < npages; i++)
		m->pages[i].bo = -1;
	/* Disjoint VAs of at least one page: never more than npages of them, plus two pieces. */
	m->va = xcalloc(npages + 2, sizeof(*m->va));
	m->tmp = xcalloc(npages + 2, sizeof(*m->tmp));
	m->n = 0;
}

static void model_fini(struct model *m)
{
	free(m->pages);
	free(m->va);
	free(m->tmp);
}

/* Index of the first VA that ends after page @a. */
static unsigned int model_first(const struct model *m, u64 a)
{
	unsigned int lo = 0, hi = m->n;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (m->va[mid].addr + m->va[mid].range > a)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* The part [from, to) of @v: same BO and prot, same offset - address. */
static struct mva mva_cut(const struct mva *v, u64 from, u64 to)
{
	return (struct mva){ from, to - from, v->off + (from - v->addr), v->bo, v->prot };
}

/*
 * Applies @rq by rebuilding the VA list: the VAs below the request, the
 * surviving piece below it, the new VA, the surviving piece above it, the
 * VAs above. Only the first and the last overlapped VA can leave a piece.
 */
static void model_apply(struct model *m, const struct req *rq)
{
	u64 end = rq->addr + rq->range, p;
	unsigned int first = model_first(m, rq->addr), last = first, i, k = 0;
	struct mva *tmp = m->tmp;

	while (last < m->n && m->va[last].addr < end)
		last++;
	for (i = 0; i < first; i++)
		tmp[k++] = m->va[i];
	if (first < last && m->va[first].addr < rq->addr)
		tmp[k++] = mva_cut(&m->va[first], m->va[first].addr, rq->addr);
	if (rq->map)
		tmp[k++] = (struct mva){ rq->addr, rq->range, rq->off, rq->bo, rq->prot };
	if (first < last && m->va[last - 1].addr + m->va[last - 1].range > end)
		tmp[k++] = mva_cut(&m->va[last - 1], end,
				   m->va[last - 1].addr + m->va[last - 1].range);
	for (i = last; i < m->n; i++)
		tmp[k++] = m->va[i];
	m->tmp = m->va;
	m->va = tmp;
	m->n = k;

	/* The page array knows only what a map or an unmap means for each page. */
	for (p = rq->addr; p < end; p++) {
		if (rq->map)
			m->pages[p] = (struct mpage){ rq->bo, rq->prot, rq->off + (p - rq->addr) };
		else
			m->pages[p] = (struct mpage){ -1, 0, 0 };
	}
}

/* The model's own consistency: its VA list and its page array say the same about [lo, hi). */
static bool model_consistent(const struct model *m, u64 lo, u64 hi)
{
	unsigned int i = model_first(m, lo);
	u64 p;

	for (p = lo; p < hi; p++) {
		const struct mpage *mp = &m->pages[p];

		while (i < m->n && m->va[i].addr + m->va[i].range <= p)
			i++;
		if (i < m->n && m->va[i].addr <= p) {
			const struct mva *v = &m->va[i];

			if (mp->bo != v->bo || mp->off != v->off + (p - v->addr) ||
			    mp->prot != v->prot)
				return false;
		} else if (mp->bo >= 0) {
			return false;
		}
	}
	for (i = 0; i < m->n; i++)
		if (!m->va[i].range || m->va[i].addr + m->va[i].range > m->npages ||
		    (i && m->va[i - 1].addr + m->va[i - 1].range > m->va[i].addr))
			return false;
	return true;
}

/* -------------------------------------------------------------- steps */

enum { ST_MAP, ST_REMAP, ST_UNMAP };
static const char *const st_name[] = { "map", "remap", "unmap" };

/* A VA or piece as a step reports it: bytes, the BO as an index (-1: unknown). */
struct sva {
	u64 addr, range, off;
	int bo;
};

struct step {
	int type;
	bool keep;
	u32 prot;		/* the affected VA's, for unmap and remap */
	struct sva va;		/* map: the request; otherwise the whole affected VA */
	bool has_prev, has_next;
	struct sva prev, next;
};

struct steps {
	struct step *v;
	unsigned int n, cap;
};

static struct step *steps_push(struct steps *s)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (!s->v)
			abort();
	}
	memset(&s->v[s->n], 0, sizeof(s->v[0]));
	return &s->v[s->n++];
}

static struct sva page_sva(u64 base, u64 addr, u64 range, u64 off, int bo)
{
	return (struct sva){ base + addr * PG, range * PG, off * PG, bo };
}

/* The steps the upstream rules produce for @rq on the model's current VAs. */
static void model_expect(const struct model *m, const struct req *rq, u64 base,
			 struct steps *exp)
{
	u64 end = rq->addr + rq->range;
	unsigned int i;

	exp->n = 0;
	for (i = model_first(m, rq->addr); i < m->n && m->va[i].addr < end; i++) {
		const struct mva *v = &m->va[i];
		u64 v_end = v->addr + v->range;
		struct step *st = steps_push(exp);

		st->keep = rq->map && v->bo == rq->bo && v->off + rq->addr == rq->off + v->addr;
		st->prot = v->prot;
		st->va = page_sva(base, v->addr, v->range, v->off, v->bo);
		if (v->addr < rq->addr) {
			st->has_prev = true;
			st->prev = page_sva(base, v->addr, rq->addr - v->addr, v->off, v->bo);
		}
		if (v_end > end) {
			st->has_next = true;
			st->next = page_sva(base, end, v_end - end, v->off + (end - v->addr),
					    v->bo);
		}
		st->type = st->has_prev || st->has_next ? ST_REMAP : ST_UNMAP;
	}
	if (rq->map) {
		struct step *st = steps_push(exp);

		st->type = ST_MAP;
		st->va = page_sva(base, rq->addr, rq->range, rq->off, rq->bo);
	}
}

static bool sva_eq(const struct sva *a, const struct sva *b)
{
	return a->addr == b->addr && a->range == b->range && a->off == b->off && a->bo == b->bo;
}

static bool step_eq(const struct step *a, const struct step *b)
{
	return a->type == b->type && a->keep == b->keep && a->prot == b->prot &&
	       sva_eq(&a->va, &b->va) && a->has_prev == b->has_prev &&
	       a->has_next == b->has_next && (!a->has_prev || sva_eq(&a->prev, &b->prev)) &&
	       (!a->has_next || sva_eq(&a->next, &b->next));
}

/* ---------------------------------------------------------------- runs */

struct profile {
	const char *name;
	u64 base;		/* VM start, bytes */
	u64 npages;		/* the window, which is also the whole VM */
	u64 bo_pages;
	u64 maxlen;		/* bound on random lengths */
	u64 gran;		/* 1, or BLOCK_PAGES for runs that also map in 2 MiB units */
	unsigned int prefill;	/* short scattered maps first, to grow a big tree */
	unsigned int nops;
	unsigned int full_every;	/* whole-window checks every this many ops */
	unsigned int sample;	/* random extra pages translated on other ops */
	bool pt_check_sparse;	/* gvb_vm_check_pt() only with the whole-window checks */
};

struct run {
	const struct profile *pf;
	const struct gvb_strategy_ops *strat;
	u64 seq_seed;
	struct gvb_vm *vm;
	struct gvb_bo *bo[NBO];
	struct model m;
	struct steps got, exp;
	u64 chk_rng;		/* which pages get sampled */
	u64 digest;		/* what we emitted and kept, for comparing strategies */
	unsigned int op_index;
	bool failed;
};

static struct {
	unsigned long seqs, runs, ops, steps, two_pass, invalid;
	unsigned long max_tree, max_steps;
	unsigned long split_inside, remap_keep, unmap_keep, exact_remap, full_cover_multi;
	unsigned long unmap_empty, touch_same_bo, span_many, block_runs_with_blocks;
	unsigned long block_splits, pages_translated;
	unsigned long failed_runs;
	unsigned int reports;
} tot;

/*
 * CHECK() for once-per-run verdicts: a core bug would fail most of ten
 * thousand runs, and the first few reports say all there is to say.
 */
#define CHECK_RUN(cond, ...)							\
	do {									\
		if (cond)							\
			gvb_test_passed++;					\
		else if (tot.failed_runs++ < MAX_REPORTS)			\
			CHECK(cond, __VA_ARGS__);				\
		else								\
			gvb_test_failed++;					\
	} while (0)

static void __attribute__((format(printf, 2, 3))) run_fail(struct run *r, const char *fmt, ...)
{
	va_list ap;

	if (!r->failed && tot.reports++ < MAX_REPORTS) {
		fprintf(stderr, "MISMATCH seq seed %#llx profile %s strategy %s "
			"window %#llx+%llu pages, op %u: ",
			(unsigned long long)r->seq_seed, r->pf->name, r->strat->name,
			(unsigned long long)r->pf->base, (unsigned long long)r->pf->npages,
			r->op_index);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	r->failed = true;
}

static void digest_u64(struct run *r, u64 v)
{
	/* FNV-1a over the 8 bytes. */
	for (int i = 0; i < 8; i++) {
		r->digest ^= (v >> (8 * i)) & 0xff;
		r->digest *= 0x100000001b3ULL;
	}
}

static int bo_index(const struct run *r, const struct gvb_bo *bo)
{
	for (int i = 0; i < NBO; i++)
		if (r->bo[i] == bo)
			return i;
	return -1;
}

static struct sva op_sva(const struct run *r, const struct gvb_op_map *m)
{
	return (struct sva){ m->addr, m->range, m->offset, bo_index(r, m->bo) };
}

static struct sva va_sva(const struct run *r, const struct gvb_va *va)
{
	return (struct sva){ va->addr, va->range, va->offset, bo_index(r, va->bo) };
}

/* The trace sees each step before it is applied: copy, never keep pointers. */
static int trace_map(void *priv, const struct gvb_op_map *m)
{
	struct run *r = priv;
	struct step *st = steps_push(&r->got);

	st->type = ST_MAP;
	st->va = op_sva(r, m);
	return 0;
}

static int trace_unmap(void *priv, const struct gvb_op_unmap *u)
{
	struct run *r = priv;
	struct step *st = steps_push(&r->got);

	st->type = ST_UNMAP;
	st->keep = u->keep;
	st->prot = u->va->prot;
	st->va = va_sva(r, u->va);
	return 0;
}

static int trace_remap(void *priv, const struct gvb_op_remap *o)
{
	struct run *r = priv;
	struct step *st = steps_push(&r->got);

	st->type = ST_REMAP;
	st->keep = o->unmap->keep;
	st->prot = o->unmap->va->prot;
	st->va = va_sva(r, o->unmap->va);
	if (o->prev) {
		st->has_prev = true;
		st->prev = op_sva(r, o->prev);
	}
	if (o->next) {
		st->has_next = true;
		st->next = op_sva(r, o->next);
	}
	return 0;
}

static const struct gvb_sm_ops trace_ops = {
	.step_map = trace_map,
	.step_remap = trace_remap,
	.step_unmap = trace_unmap,
};

/* Window-relative pages, for reports. */
static void fmt_sva(const struct run *r, char *buf, size_t len, const struct sva *s)
{
	long long page = (long long)(s->addr - r->pf->base) / (long long)PG;

	snprintf(buf, len, "%lld+%llu bo%d@%llu", page, (unsigned long long)(s->range / PG), s->bo,
		 (unsigned long long)(s->off / PG));
}

static void fmt_step(const struct run *r, char *buf, size_t len, const struct step *st)
{
	char va[64], prev[64] = "-", next[64] = "-";

	fmt_sva(r, va, sizeof(va), &st->va);
	if (st->has_prev)
		fmt_sva(r, prev, sizeof(prev), &st->prev);
	if (st->has_next)
		fmt_sva(r, next, sizeof(next), &st->next);
	if (st->type == ST_MAP)
		snprintf(buf, len, "map %s", va);
	else
		snprintf(buf, len, "%s %s prot=%u keep=%d prev=%s next=%s", st_name[st->type], va,
			 st->prot, st->keep, prev, next);
}

static void fmt_req(char *buf, size_t len, const struct req *rq)
{
	if (rq->map)
		snprintf(buf, len, "map %llu+%llu bo%d@%llu prot=%u",
			 (unsigned long long)rq->addr, (unsigned long long)rq->range, rq->bo,
			 (unsigned long long)rq->off, rq->prot);
	else
		snprintf(buf, len, "unmap %llu+%llu", (unsigned long long)rq->addr,
			 (unsigned long long)rq->range);
}

static int run_start(struct run *r, const struct profile *pf, const struct gvb_strategy_ops *strat,
		     u64 seq_seed)
{
	memset(r, 0, sizeof(*r));
	r->pf = pf;
	r->strat = strat;
	r->seq_seed = seq_seed;
	r->chk_rng = seq_seed ^ 0x5eed5eed5eedULL;
	r->digest = 0xcbf29ce484222325ULL;
	r->vm = gvb_vm_create(strat, &gvb_pt_arm_lpae_s1, pf->base, pf->npages * PG, 0);
	if (!r->vm)
		return -ENOMEM;
	r->vm->trace = &trace_ops;
	r->vm->trace_priv = r;
	for (int i = 0; i < NBO; i++) {
		r->bo[i] = gvb_bo_create(strat, pf->bo_pages * PG, i == 0 ? r->vm : NULL);
		if (!r->bo[i])
			return -ENOMEM;
	}
	model_init(&r->m, pf->npages);
	return 0;
}

static void run_end(struct run *r)
{
	if (r->vm)
		gvb_vm_destroy(r->vm);
	for (int i = 0; i < NBO; i++)
		if (r->bo[i])
			gvb_bo_put(r->bo[i]);
	model_fini(&r->m);
	free(r->got.v);
	free(r->exp.v);
}

/* Translation of [lo, hi) against the model's pages. Caller holds the VM's serialization. */
static void check_pages(struct run *r, u64 lo, u64 hi)
{
	u64 p;

	for (p = lo; p < hi && !r->failed; p++) {
		const struct mpage *mp = &r->m.pages[p];
		u64 iova = r->pf->base + p * PG, pa = 0;
		u32 prot = 0;
		int ret = gvb_pt_translate(&r->vm->pt, iova, &pa, &prot);

		if (mp->bo < 0) {
			if (ret != -EFAULT)
				run_fail(r, "page %llu should fault, translate gave %d pa %#llx",
					 (unsigned long long)p, ret, (unsigned long long)pa);
		} else if (ret || pa != r->bo[mp->bo]->pa + mp->off * PG || prot != mp->prot) {
			run_fail(r, "page %llu should be bo%d@%llu prot %u, "
				 "translate gave %d pa %#llx prot %u",
				 (unsigned long long)p, mp->bo, (unsigned long long)mp->off,
				 mp->prot, ret, (unsigned long long)pa, prot);
		}
	}
	tot.pages_translated += hi - lo;
}

/* Our VA list against the model's, entry by entry; also counts VAs per BO. */
static void check_tree(struct run *r, unsigned int *per_bo)
{
	const struct model *m = &r->m;
	struct gvb_va *va;
	unsigned int i = 0;

	memset(per_bo, 0, NBO * sizeof(*per_bo));
	list_for_each_entry(va, &r->vm->va_list, vm_link) {
		struct sva got = va_sva(r, va), want;

		if (i >= m->n) {
			run_fail(r, "we have more than the model's %u VAs", m->n);
			return;
		}
		want = page_sva(r->pf->base, m->va[i].addr, m->va[i].range, m->va[i].off,
				m->va[i].bo);
		if (!sva_eq(&got, &want) || va->prot != m->va[i].prot) {
			char g[64], w[64];

			fmt_sva(r, g, sizeof(g), &got);
			fmt_sva(r, w, sizeof(w), &want);
			run_fail(r, "VA %u is %s prot %u, the model has %s prot %u", i, g,
				 va->prot, w, m->va[i].prot);
			return;
		}
		if (got.bo >= 0)
			per_bo[got.bo]++;
		digest_u64(r, va->addr ^ (va->range << 1) ^ (va->offset << 2) ^ got.bo);
		i++;
	}
	if (i != m->n)
		run_fail(r, "we have %u VAs, the model %u", i, m->n);
	else if (r->vm->tree.count != m->n)
		run_fail(r, "tree counts %lu VAs, the model %u", (unsigned long)r->vm->tree.count,
			 m->n);
}

/*
 * Exactly one vm_bo per (VM, BO) while the BO has VAs here, none otherwise,
 * holding one reference per VA: the operation's own reference is gone.
 */
static void check_vm_bos(struct run *r, const unsigned int *per_bo, bool full)
{
	for (int b = 0; b < NBO && !r->failed; b++) {
		struct gvb_bo *bo = r->bo[b];
		struct gvb_vm_bo *vm_bo, *found = NULL;
		unsigned int n = 0;

		gvb_bo_lock_lists(bo);
		list_for_each_entry(vm_bo, &bo->gpuva.list, bo_link) {
			if (vm_bo->vm == r->vm) {
				found = vm_bo;
				n++;
			}
		}
		if (n > 1)
			run_fail(r, "bo%d has %u vm_bos for the VM", b, n);
		else if (!per_bo[b] && found)
			run_fail(r, "bo%d keeps a vm_bo (%u refs) without VAs", b,
				 kref_read(&found->ref));
		else if (per_bo[b] && !found)
			run_fail(r, "bo%d has %u VAs but no vm_bo", b, per_bo[b]);
		else if (found && kref_read(&found->ref) != per_bo[b])
			run_fail(r, "bo%d vm_bo has %u refs for %u VAs", b, kref_read(&found->ref),
				 per_bo[b]);
		gvb_bo_unlock_lists(bo);
		if (full && !r->failed && gvb_bo_check(bo))
			run_fail(r, "gvb_bo_check(bo%d) failed", b);
	}
}

/*
 * Everything after one operation. @lo, @hi: the pages the operation could
 * have touched (the request and the VAs it overlapped), checked always;
 * the whole window only every full_every ops, as big windows are slow.
 */
static void check_state(struct run *r, u64 lo, u64 hi, bool full)
{
	unsigned int per_bo[NBO];
	unsigned int i;

	gvb_vm_serialize(r->vm);
	check_tree(r, per_bo);
	if (!r->failed && gvb_vm_check(r->vm))
		run_fail(r, "gvb_vm_check failed");
	if (!r->failed && (full || !r->pf->pt_check_sparse) && gvb_vm_check_pt(r->vm))
		run_fail(r, "gvb_vm_check_pt failed");
	if (full) {
		check_pages(r, 0, r->pf->npages);
	} else {
		/* One page either side: touching neighbours must be left alone. */
		check_pages(r, lo ? lo - 1 : 0, min_u64(hi + 1, r->pf->npages));
		for (i = 0; i < r->pf->sample && !r->failed; i++) {
			u64 p = rnd_below(&r->chk_rng, r->pf->npages);

			check_pages(r, p, p + 1);
		}
	}
	gvb_vm_unserialize(r->vm);
	if (!r->failed)
		check_vm_bos(r, per_bo, full);
	if (!r->failed && !model_consistent(&r->m, full ? 0 : lo, full ? r->m.npages : hi))
		run_fail(r, "the reference model is inconsistent (a bug in this test)");
	if (r->m.n > tot.max_tree)
		tot.max_tree = r->m.n;
}

/* Coverage of the interesting cases, from the model's own prediction. */
static void count_cases(const struct run *r, const struct req *rq)
{
	const struct steps *e = &r->exp;
	unsigned int i, unmaps = 0, overlaps = rq->map ? e->n - 1 : e->n;

	for (i = 0; i < e->n; i++) {
		const struct step *st = &e->v[i];

		if (st->type == ST_REMAP && st->has_prev && st->has_next)
			tot.split_inside++;
		if (st->type == ST_REMAP && st->keep)
			tot.remap_keep++;
		if (st->type == ST_UNMAP) {
			unmaps++;
			tot.unmap_keep += st->keep;
		}
		if (st->type == ST_REMAP && r->pf->gran > 1 &&
		    ((st->has_prev && (st->prev.range / PG) % BLOCK_PAGES) ||
		     (st->has_next && (st->next.addr - r->pf->base) / PG % BLOCK_PAGES)))
			tot.block_splits++;
	}
	if (rq->map && e->n == 2 && e->v[0].type == ST_UNMAP && e->v[0].keep &&
	    e->v[0].va.addr == e->v[1].va.addr && e->v[0].va.range == e->v[1].va.range)
		tot.exact_remap++;
	if (rq->map && unmaps >= 2)
		tot.full_cover_multi++;
	if (!rq->map && !e->n)
		tot.unmap_empty++;
	if (overlaps >= 16)
		tot.span_many++;
	if (rq->map && !overlaps) {
		unsigned int k = model_first(&r->m, rq->addr);
		const struct mva *below = k ? &r->m.va[k - 1] : NULL;
		const struct mva *above = k < r->m.n ? &r->m.va[k] : NULL;

		if ((below && below->addr + below->range == rq->addr && below->bo == rq->bo &&
		     below->off + below->range == rq->off) ||
		    (above && above->addr == rq->addr + rq->range && above->bo == rq->bo &&
		     above->off == rq->off + rq->range))
			tot.touch_same_bo++;
	}
	if (e->n > tot.max_steps)
		tot.max_steps = e->n;
}

static int issue(struct run *r, const struct req *rq, bool two_pass)
{
	u64 addr = r->pf->base + rq->addr * PG, range = rq->range * PG;
	u64 off = rq->off * PG;
	struct gvb_op *op;
	int ret;

	if (!two_pass)
		return rq->map ? gvb_vm_map(r->vm, r->bo[rq->bo], addr, range, off, rq->prot)
			       : gvb_vm_unmap(r->vm, addr, range);
	tot.two_pass++;
	op = rq->map ? gvb_op_prepare_map(r->vm, r->bo[rq->bo], addr, range, off, rq->prot)
		     : gvb_op_prepare_unmap(r->vm, addr, range);
	if (!op)
		return -ENOMEM;
	ret = gvb_op_commit(op);
	gvb_op_free(op);
	return ret;
}

/* One valid operation: predict, run, compare the steps, apply to the model, check. */
static void run_op(struct run *r, const struct req *rq, bool two_pass, bool full)
{
	struct gvb_vm_stats before = r->vm->stats;
	unsigned int i, first, nmap = 0, nremap = 0, nunmap = 0;
	u64 lo = rq->addr, hi = rq->addr + rq->range;
	char buf[256];
	int ret;

	model_expect(&r->m, rq, r->pf->base, &r->exp);
	count_cases(r, rq);
	/* The extent of the VAs the request overlaps, which remaps must leave mapped outside it. */
	first = model_first(&r->m, rq->addr);
	if (first < r->m.n && r->m.va[first].addr < lo)
		lo = r->m.va[first].addr;
	for (i = 0; i < r->exp.n; i++)
		if (r->exp.v[i].type == ST_REMAP && r->exp.v[i].has_next)
			hi = max_u64(hi, (r->exp.v[i].next.addr - r->pf->base) / PG +
					 r->exp.v[i].next.range / PG);

	r->got.n = 0;
	ret = issue(r, rq, two_pass);
	tot.ops++;
	if (ret) {
		fmt_req(buf, sizeof(buf), rq);
		run_fail(r, "%s returned %d", buf, ret);
		return;
	}

	for (i = 0; i < r->exp.n || i < r->got.n; i++) {
		char want[256] = "(none)", got[256] = "(none)";

		if (i < r->exp.n && i < r->got.n && step_eq(&r->exp.v[i], &r->got.v[i])) {
			const struct step *st = &r->got.v[i];

			digest_u64(r, st->type | (u64)st->keep << 4 | (u64)st->has_prev << 5 |
				      (u64)st->has_next << 6);
			digest_u64(r, st->va.addr ^ st->va.range << 1 ^ st->va.off << 2 ^
				      st->va.bo);
			digest_u64(r, st->prev.addr ^ st->prev.range << 1 ^ st->next.addr << 2 ^
				      st->next.range << 3);
			nmap += st->type == ST_MAP;
			nremap += st->type == ST_REMAP;
			nunmap += st->type == ST_UNMAP;
			continue;
		}
		if (i < r->exp.n)
			fmt_step(r, want, sizeof(want), &r->exp.v[i]);
		if (i < r->got.n)
			fmt_step(r, got, sizeof(got), &r->got.v[i]);
		fmt_req(buf, sizeof(buf), rq);
		run_fail(r, "%s: step %u: expected %s, got %s (%u steps expected, %u emitted)", buf,
			 i, want, got, r->exp.n, r->got.n);
		return;
	}
	tot.steps += r->exp.n;

	/* The statistics the benchmark reports must count exactly the steps applied. */
	if (r->vm->stats.map_steps - before.map_steps != nmap ||
	    r->vm->stats.remap_steps - before.remap_steps != nremap ||
	    r->vm->stats.unmap_steps - before.unmap_steps != nunmap)
		run_fail(r, "step statistics moved by %llu/%llu/%llu, steps were %u/%u/%u",
			 (unsigned long long)(r->vm->stats.map_steps - before.map_steps),
			 (unsigned long long)(r->vm->stats.remap_steps - before.remap_steps),
			 (unsigned long long)(r->vm->stats.unmap_steps - before.unmap_steps), nmap,
			 nremap, nunmap);

	model_apply(&r->m, rq);
	check_state(r, lo, hi, full);
}

/* --------------------------------------------------- invalid requests */

struct bad_req {
	const char *what;
	bool map;
	u64 addr, range, off;
	struct gvb_bo *bo;
};

/*
 * A request that validation must refuse: -EINVAL (or no op from prepare),
 * no step, no allocation, no statistic moved, no page changed.
 */
static void run_bad(struct run *r, const struct bad_req *b)
{
	struct gvb_vm_stats before;
	struct gvb_pt_stats pt_before;
	struct gvb_op *op;
	long live;
	int ret;

	/* Deferred cleanup frees on a worker; settle it so the allocation count holds still. */
	gvb_vm_drain_deferred(r->vm);
	gvb_vm_serialize(r->vm);
	before = r->vm->stats;
	pt_before = r->vm->pt.stats;
	gvb_vm_unserialize(r->vm);
	live = compat_alloc_live();
	r->got.n = 0;
	tot.invalid++;

	if (b->map)
		ret = gvb_vm_map(r->vm, b->bo, b->addr, b->range, b->off, GVB_PROT_RW);
	else
		ret = gvb_vm_unmap(r->vm, b->addr, b->range);
	if (ret != -EINVAL)
		run_fail(r, "%s (%#llx+%#llx off %#llx): returned %d, not -EINVAL", b->what,
			 (unsigned long long)b->addr, (unsigned long long)b->range,
			 (unsigned long long)b->off, ret);
	op = b->map ? gvb_op_prepare_map(r->vm, b->bo, b->addr, b->range, b->off, GVB_PROT_RW)
		    : gvb_op_prepare_unmap(r->vm, b->addr, b->range);
	if (op) {
		run_fail(r, "%s: prepare accepted it", b->what);
		gvb_op_free(op);
	}
	if (r->got.n)
		run_fail(r, "%s: %u steps were applied", b->what, r->got.n);
	if (compat_alloc_live() != live)
		run_fail(r, "%s: live allocations went from %ld to %ld", b->what, live,
			 compat_alloc_live());
	gvb_vm_serialize(r->vm);
	if (memcmp(&before, &r->vm->stats, sizeof(before)) ||
	    memcmp(&pt_before, &r->vm->pt.stats, sizeof(pt_before)))
		run_fail(r, "%s: statistics changed", b->what);
	gvb_vm_unserialize(r->vm);
	check_state(r, 0, r->pf->npages, true);
}

/* A random malformed request for the current window (range and alignment errors only). */
static void random_bad(struct run *r, u64 *g, struct bad_req *b)
{
	u64 base = r->pf->base, end = base + r->pf->npages * PG;
	u64 a = base + rnd_below(g, r->pf->npages) * PG;
	u64 bo_size = r->pf->bo_pages * PG;

	*b = (struct bad_req){ .map = rnd_below(g, 2), .addr = a, .range = PG,
			       .bo = r->bo[rnd_below(g, NBO)] };
	switch (rnd_below(g, 9)) {
	case 0:
		b->what = "zero range";
		b->range = 0;
		break;
	case 1:
		b->what = "unaligned address";
		b->addr += 1 + rnd_below(g, PG - 1);
		break;
	case 2:
		b->what = "unaligned range";
		b->range = PG * (1 + rnd_below(g, 4)) + 1 + rnd_below(g, PG - 1);
		break;
	case 3:
		b->what = "unaligned offset";
		b->map = true;
		b->off = 1 + rnd_below(g, PG - 1);
		break;
	case 4:
		b->what = "starts below the VM";
		b->addr = base - PG * (1 + rnd_below(g, 8));
		b->range = base - b->addr + PG * rnd_below(g, 4);
		if (!base) {
			b->what = "zero range at the VM start";
			b->addr = 0;
			b->range = 0;
		}
		break;
	case 5:
		b->what = "ends above the VM";
		b->range = end - a + PG * (1 + rnd_below(g, 8));
		break;
	case 6:
		b->what = "offset + range beyond the BO";
		b->map = true;
		b->range = PG * (1 + rnd_below(g, min_u64(8, end / PG - a / PG)));
		b->off = bo_size - b->range + PG * (1 + rnd_below(g, 4));
		break;
	case 7:
		b->what = "offset + range overflows";
		b->map = true;
		b->off = -PG * (1 + rnd_below(g, 2));
		b->range = PG * (1 + rnd_below(g, 2)) + (b->off == -PG ? 0 : PG);
		break;
	default:
		/* a + range wraps to just below a, which would be inside the window. */
		b->what = "addr + range overflows";
		if (a < base + 4 * PG)
			b->addr = a += 4 * PG;
		b->range = -PG * (1 + rnd_below(g, 4));
		break;
	}
}

/* ------------------------------------------------------ op generation */

static struct mva *pick_va(u64 *g, struct model *m)
{
	return m->n ? &m->va[rnd_below(g, m->n)] : NULL;
}

static struct mva *pick_va_min(u64 *g, struct model *m, u64 min_range)
{
	for (int tries = 0; tries < 8; tries++) {
		struct mva *v = pick_va(g, m);

		if (v && v->range >= min_range)
			return v;
	}
	return NULL;
}

/* A maximal run of unmapped pages around a random one, or false if there is none. */
static bool pick_gap(u64 *g, const struct model *m, u64 *g0, u64 *g1)
{
	u64 n = m->npages, start = rnd_below(g, n), i, p;

	for (i = 0; i < n; i++) {
		p = (start + i) % n;
		if (m->pages[p].bo < 0)
			break;
	}
	if (i == n)
		return false;
	*g0 = *g1 = p;
	while (*g0 && m->pages[*g0 - 1].bo < 0)
		(*g0)--;
	while (*g1 < n && m->pages[*g1].bo < 0)
		(*g1)++;
	return true;
}

/* Clamps a map to its BO, replacing an offset that does not fit. */
static void fit_map(u64 *g, const struct profile *pf, struct req *rq)
{
	rq->range = min_u64(rq->range, pf->bo_pages);
	if (rq->off + rq->range > pf->bo_pages)
		rq->off = rnd_below(g, pf->bo_pages - rq->range + 1);
}

/* Offset that continues @v's mapping at page @a, if it exists and fits. */
static bool contiguous_off(const struct profile *pf, const struct mva *v, u64 a, u64 range,
			   u64 *off)
{
	if (v->off + a < v->addr)
		return false;
	*off = v->off + a - v->addr;
	return *off + range <= pf->bo_pages;
}

static void random_map(u64 *g, struct model *m, const struct profile *pf, struct req *rq)
{
	u64 n = m->npages;
	struct mva *v;

	rq->map = true;
	rq->addr = rnd_below(g, n);
	rq->range = rnd_len(g, min_u64(pf->maxlen, n - rq->addr));
	rq->bo = rnd_below(g, NBO);
	rq->off = rnd_below(g, pf->bo_pages);
	/* Sometimes continue an existing VA's mapping, so overlaps come out keep=1. */
	v = rnd_below(g, 4) ? NULL : pick_va(g, m);
	if (v && contiguous_off(pf, v, rq->addr, rq->range, &rq->off))
		rq->bo = v->bo;
	fit_map(g, pf, rq);
}

static void random_unmap(u64 *g, struct model *m, const struct profile *pf, struct req *rq)
{
	rq->map = false;
	rq->addr = rnd_below(g, m->npages);
	rq->range = rnd_len(g, min_u64(pf->maxlen, m->npages - rq->addr));
}

/* 2 MiB-aligned address, size and offset, so the page table can use blocks. */
static void aligned_op(u64 *g, struct model *m, const struct profile *pf, struct req *rq)
{
	u64 nblk = m->npages / BLOCK_PAGES, k = rnd_below(g, nblk);
	u64 blocks = 1 + rnd_below(g, min_u64(4, nblk - k));
	struct mva *v;

	rq->addr = k * BLOCK_PAGES;
	rq->range = blocks * BLOCK_PAGES;
	if (rnd_below(g, 5) == 0) {
		rq->map = false;
		return;
	}
	rq->map = true;
	rq->bo = rnd_below(g, NBO);
	rq->off = BLOCK_PAGES * rnd_below(g, pf->bo_pages / BLOCK_PAGES - blocks + 1);
	v = rnd_below(g, 3) ? NULL : pick_va(g, m);
	if (v && contiguous_off(pf, v, rq->addr, rq->range, &rq->off) &&
	    rq->off % BLOCK_PAGES == 0)
		rq->bo = v->bo;
	else
		rq->off = BLOCK_PAGES * rnd_below(g, pf->bo_pages / BLOCK_PAGES - blocks + 1);
}

static void gen_op(u64 *g, struct model *m, const struct profile *pf, struct req *rq)
{
	u64 n = m->npages, g0, g1, end;
	struct mva *v, *w;
	unsigned int i, j, c;

	memset(rq, 0, sizeof(*rq));
	rq->prot = prots[rnd_below(g, ARRAY_SIZE(prots))];
	if (pf->gran > 1 && rnd_below(g, 10) < 5) {
		aligned_op(g, m, pf, rq);
		return;
	}

	c = rnd_below(g, 17);
	switch (c) {
	case 0:
	case 1:
	case 2:
		random_map(g, m, pf, rq);
		return;
	case 3:
	case 4:
		/* Overlap a VA with the same BO at a contiguous offset: keep=1. */
		v = pick_va(g, m);
		if (!v)
			break;
		end = v->addr + v->range;
		rq->map = true;
		rq->addr = rnd_below(g, 2) ? v->addr - min_u64(v->addr, rnd_below(g, 5))
					   : v->addr + rnd_below(g, v->range);
		g0 = max_u64(rq->addr, v->addr) + 1;
		g1 = min_u64(n, end + 4);
		end = g0 + rnd_below(g, g1 - g0 + 1);
		if (v->off + rq->addr < v->addr)
			rq->addr = v->addr - v->off;
		rq->range = end - rq->addr;
		rq->bo = v->bo;
		rq->off = v->off + rq->addr - v->addr;
		rq->range = min_u64(rq->range, pf->bo_pages - rq->off);
		return;
	case 5:
		/* Touch a VA from outside with the same BO at a contiguous offset: no merge. */
		v = pick_va(g, m);
		if (!v)
			break;
		rq->map = true;
		rq->bo = v->bo;
		if (rnd_below(g, 2)) {
			rq->addr = v->addr + v->range;
			rq->off = v->off + v->range;
			if (rq->addr >= n || rq->off >= pf->bo_pages)
				break;
			rq->range = rnd_len(g, min_u64(pf->maxlen, n - rq->addr));
			rq->range = min_u64(rq->range, pf->bo_pages - rq->off);
		} else {
			if (!v->addr || !v->off)
				break;
			rq->range = rnd_len(g, min_u64(min_u64(pf->maxlen, v->addr), v->off));
			rq->addr = v->addr - rq->range;
			rq->off = v->off - rq->range;
		}
		return;
	case 6:
		/* Fill a gap exactly or partly. */
		if (!pick_gap(g, m, &g0, &g1))
			break;
		rq->map = true;
		if (rnd_below(g, 2)) {
			rq->addr = g0;
			rq->range = g1 - g0;
		} else {
			rq->addr = g0 + rnd_below(g, g1 - g0);
			rq->range = 1 + rnd_below(g, g1 - rq->addr);
		}
		rq->bo = rnd_below(g, NBO);
		rq->off = rnd_below(g, pf->bo_pages);
		fit_map(g, pf, rq);
		return;
	case 7:
		/* Strictly inside one VA: a remap with both pieces. */
		v = pick_va_min(g, m, 3);
		if (!v)
			break;
		rq->map = true;
		rq->addr = v->addr + 1 + rnd_below(g, v->range - 2);
		rq->range = 1 + rnd_below(g, v->addr + v->range - 1 - rq->addr);
		rq->bo = v->bo;
		if (rnd_below(g, 2) || !contiguous_off(pf, v, rq->addr, rq->range, &rq->off)) {
			rq->bo = rnd_below(g, NBO);
			rq->off = rnd_below(g, pf->bo_pages);
			fit_map(g, pf, rq);
		}
		return;
	case 8:
	case 9:
		/* Across several VAs, maybe many; map (case 8) or unmap (case 9). */
		if (m->n < 2)
			break;
		i = rnd_below(g, m->n - 1);
		j = i + 1 + rnd_below(g, min_u64(m->n - i - 1, rnd_below(g, 2) ? 4 : m->n));
		v = &m->va[i];
		w = &m->va[j];
		rq->addr = v->addr + (rnd_below(g, 2) ? 0 : rnd_below(g, v->range));
		end = w->addr + w->range - (rnd_below(g, 2) ? 0 : rnd_below(g, w->range));
		rq->range = end - rq->addr;
		if (c == 9)
			return;
		rq->map = true;
		rq->bo = rnd_below(g, NBO);
		rq->off = rnd_below(g, pf->bo_pages);
		if (!rnd_below(g, 3) && contiguous_off(pf, v, rq->addr, rq->range, &rq->off))
			rq->bo = v->bo;
		fit_map(g, pf, rq);
		return;
	case 10:
		/* Exact re-map: keep=1 unmap then map, or a different BO or offset. */
		v = pick_va(g, m);
		if (!v)
			break;
		*rq = (struct req){ true, v->addr, v->range, v->off, v->bo, rq->prot };
		if (!rnd_below(g, 3)) {
			rq->bo = rnd_below(g, NBO);
			rq->off = rnd_below(g, pf->bo_pages);
			fit_map(g, pf, rq);
		}
		return;
	case 11:
		random_unmap(g, m, pf, rq);
		return;
	case 12:
		/* An unmap of (part of) an empty range. */
		if (!pick_gap(g, m, &g0, &g1))
			break;
		rq->addr = g0 + rnd_below(g, g1 - g0);
		rq->range = 1 + rnd_below(g, g1 - rq->addr);
		return;
	case 13:
		/* Unmap exactly one VA. */
		v = pick_va(g, m);
		if (!v)
			break;
		rq->addr = v->addr;
		rq->range = v->range;
		return;
	case 14:
		/* Cut a hole out of one VA. */
		v = pick_va_min(g, m, 3);
		if (!v)
			break;
		rq->addr = v->addr + 1 + rnd_below(g, v->range - 2);
		rq->range = 1 + rnd_below(g, v->addr + v->range - 1 - rq->addr);
		return;
	case 15:
		/* A wide request: unmap the whole window, or map over a large part of it. */
		if (!rnd_below(g, 4)) {
			rq->addr = 0;
			rq->range = n;
			return;
		}
		rq->map = true;
		rq->addr = rnd_below(g, n / 2 + 1);
		rq->range = 1 + n / 4 + rnd_below(g, n / 2);
		rq->range = min_u64(rq->range, n - rq->addr);
		rq->bo = rnd_below(g, NBO);
		rq->off = rnd_below(g, pf->bo_pages);
		fit_map(g, pf, rq);
		return;
	default:
		/* Cut an existing VA at an exact end, leaving one piece. */
		v = pick_va_min(g, m, 2);
		if (!v)
			break;
		if (rnd_below(g, 2)) {
			rq->addr = v->addr;
			rq->range = 1 + rnd_below(g, v->range - 1);
		} else {
			rq->addr = v->addr + 1 + rnd_below(g, v->range - 1);
			rq->range = v->addr + v->range - rq->addr;
		}
		if (rnd_below(g, 2)) {
			rq->map = true;
			rq->bo = rnd_below(g, NBO);
			rq->off = rnd_below(g, pf->bo_pages);
			fit_map(g, pf, rq);
		}
		return;
	}
	/* The case needed VAs or a gap that are not there. */
	memset(rq, 0, sizeof(*rq));
	rq->prot = prots[0];
	if (rnd_below(g, 4))
		random_map(g, m, pf, rq);
	else
		random_unmap(g, m, pf, rq);
}

/* --------------------------------------------------------- sequences */

enum { P_SMALL, P_LARGE, P_BLOCKS };

static void make_profile(u64 *g, int kind, struct profile *pf)
{
	memset(pf, 0, sizeof(*pf));
	pf->gran = 1;
	switch (kind) {
	case P_SMALL:
		pf->name = "small";
		pf->npages = 8 + rnd_below(g, 249);
		pf->bo_pages = pf->npages + rnd_below(g, 2 * pf->npages);
		pf->maxlen = rnd_below(g, 2) ? pf->npages : max_u64(4, pf->npages / 4);
		pf->nops = 12 + rnd_below(g, 40);
		pf->full_every = 1;
		/* Windows that cross table boundaries, start at 0, or end at the top of 48 bits. */
		switch (rnd_below(g, 16)) {
		case 0:
			pf->base = 0;
			break;
		case 1:
			pf->base = (1ULL << 48) - (pf->npages + rnd_below(g, 600)) * PG;
			break;
		default:
			pf->base = ((1 + rnd_below(g, 3)) << 30) + rnd_below(g, 2048) * PG;
			break;
		}
		break;
	case P_LARGE:
		pf->name = "large";
		pf->npages = 1024 + rnd_below(g, 3073);
		pf->bo_pages = 2 * pf->npages;
		pf->maxlen = pf->npages / 8;
		pf->prefill = pf->npages / 5 + rnd_below(g, pf->npages / 5);
		pf->nops = 60 + rnd_below(g, 60);
		pf->full_every = 32;
		pf->sample = 32;
		/* Walking thousands of 4 KiB leaves after each of ~700 ops would dominate. */
		pf->pt_check_sparse = true;
		pf->base = ((1 + rnd_below(g, 3)) << 30) + rnd_below(g, 4096) * PG;
		break;
	default:
		pf->name = "2M-blocks";
		pf->npages = BLOCK_PAGES * (4 + rnd_below(g, 9));
		pf->bo_pages = 32 * BLOCK_PAGES;	/* 64 MiB */
		pf->maxlen = 2 * BLOCK_PAGES;
		pf->gran = BLOCK_PAGES;
		pf->nops = 16 + rnd_below(g, 32);
		pf->full_every = 8;
		pf->sample = 64;
		pf->base = ((1 + rnd_below(g, 3)) << 30) + (rnd_below(g, 256) << 21);
		break;
	}
}

/* One sequence under one strategy; returns what it emitted and kept, digested. */
static u64 run_sequence(const struct profile *pf, const struct gvb_strategy_ops *strat,
			u64 seq_seed)
{
	long live = compat_alloc_live();
	u64 g = seq_seed, bad_rng = seq_seed ^ 0xbadbadULL;
	struct run r;
	struct req rq;
	unsigned int i;
	u64 blocks;

	tot.runs++;
	if (run_start(&r, pf, strat, seq_seed)) {
		CHECK(0, "cannot set up a %s run", pf->name);
		run_end(&r);
		return 0;
	}

	/* Scattered short maps: hundreds of small VAs for the later ops to cut through. */
	for (i = 0; i < pf->prefill && !r.failed; i++, r.op_index++) {
		rq = (struct req){ .map = true, .addr = rnd_below(&g, pf->npages),
				   .bo = rnd_below(&g, NBO),
				   .prot = prots[rnd_below(&g, ARRAY_SIZE(prots))] };
		rq.range = 1 + rnd_below(&g, min_u64(6, pf->npages - rq.addr));
		rq.off = rnd_below(&g, pf->bo_pages - rq.range + 1);
		run_op(&r, &rq, false, (i + 1) % pf->full_every == 0);
	}
	for (i = 0; i < pf->nops && !r.failed; i++, r.op_index++) {
		gen_op(&g, &r.m, pf, &rq);
		run_op(&r, &rq, rnd_below(&g, 8) == 0,
		       (i + 1) % pf->full_every == 0 || i + 1 == pf->nops);
		/* Now and then a malformed request in whatever state the VM is in. */
		if (!r.failed && !rnd_below(&g, 24)) {
			struct bad_req b;

			random_bad(&r, &bad_rng, &b);
			run_bad(&r, &b);
		}
	}

	blocks = r.vm->pt.stats.blocks;
	if (pf->gran > 1 && blocks)
		tot.block_runs_with_blocks++;
	CHECK_RUN(!r.failed, "sequence %#llx (%s, %s) failed; see the report above",
		  (unsigned long long)seq_seed, pf->name, strat->name);
	digest_u64(&r, blocks);
	run_end(&r);
	/* Tearing the VM down must give back every VA, vm_bo, BO and table page. */
	CHECK_RUN(compat_alloc_live() == live, "sequence %#llx (%s, %s): %ld allocations leaked",
		  (unsigned long long)seq_seed, pf->name, strat->name, compat_alloc_live() - live);
	return r.digest;
}

/* Fixed malformed requests, each against a populated VM, with every non-broken strategy. */
static void test_invalid(const struct gvb_strategy_ops *strat, const struct gvb_strategy_ops *other)
{
	struct profile pf = {
		.name = "invalid", .base = (3ULL << 30) + 40 * PG, .npages = 1024,
		.bo_pages = 256, .maxlen = 64, .gran = 1, .full_every = 1,
	};
	u64 g = 0x1234567, base = pf.base, end = base + pf.npages * PG, s = pf.bo_pages * PG;
	struct gvb_vm *vm2 = NULL;
	struct gvb_bo *foreign = NULL, *priv2 = NULL;
	long live = compat_alloc_live();
	struct run r;
	struct req rq;
	unsigned int i;

	if (run_start(&r, &pf, strat, g)) {
		CHECK(0, "cannot set up the invalid-request run");
		run_end(&r);
		return;
	}
	for (i = 0; i < 40 && !r.failed; i++, r.op_index++) {
		gen_op(&g, &r.m, &pf, &rq);
		run_op(&r, &rq, false, true);
	}

	{
		struct gvb_bo *b0 = r.bo[1];
		const struct bad_req bad[] = {
			{ "map, zero range", true, base, 0, 0, b0 },
			{ "unmap, zero range", false, base, 0, 0, NULL },
			{ "map, unaligned address", true, base + 0x800, PG, 0, b0 },
			{ "map, unaligned range", true, base, PG + 1, 0, b0 },
			{ "map, unaligned offset", true, base, PG, 0x10, b0 },
			{ "unmap, unaligned address", false, base + 1, PG, 0, NULL },
			{ "unmap, unaligned range", false, base, 0x1800, 0, NULL },
			{ "map, starts one page below the VM", true, base - PG, 2 * PG, 0, b0 },
			{ "map, wholly below the VM", true, base - 4 * PG, PG, 0, b0 },
			{ "map at address 0", true, 0, PG, 0, b0 },
			{ "map, ends one page above the VM", true, end - PG, 2 * PG, 0, b0 },
			{ "map, starts at the VM end", true, end, PG, 0, b0 },
			{ "unmap, starts below the VM", false, base - PG, 2 * PG, 0, NULL },
			{ "unmap, ends above the VM", false, end - PG, 2 * PG, 0, NULL },
			{ "unmap, the VM plus one page", false, base, end - base + PG, 0, NULL },
			{ "map, offset + range one page past the BO", true, base, 2 * PG, s - PG,
			  b0 },
			{ "map, offset at the BO end", true, base, PG, s, b0 },
			{ "map, range larger than the BO", true, base, s + PG, 0, b0 },
			{ "map, offset + range overflows", true, base, 2 * PG, -PG, b0 },
			{ "map, huge offset", true, base, PG, -2 * PG, b0 },
			{ "map, addr + range overflows", true, -PG, 2 * PG, 0, b0 },
			{ "unmap, addr + range overflows", false, -PG, 2 * PG, 0, NULL },
			{ "map, range wraps back into the VM", true, base, -base + PG, 0, b0 },
			{ "unmap, range wraps back into the VM", false, base, -base + PG, 0, NULL },
			{ "unmap, maximal range", false, base, -PG, 0, NULL },
		};

		for (i = 0; i < ARRAY_SIZE(bad) && !r.failed; i++)
			run_bad(&r, &bad[i]);
	}

	/* A BO of another mode, and another VM's private BO, must not map here. */
	if (other)
		foreign = gvb_bo_create(other, s, NULL);
	vm2 = gvb_vm_create(strat, &gvb_pt_arm_lpae_s1, base, pf.npages * PG, 0);
	if (vm2)
		priv2 = gvb_bo_create(strat, s, vm2);
	CHECK((!other || foreign) && vm2 && priv2, "cannot set up the foreign BOs");
	if (foreign && !r.failed)
		run_bad(&r, &(struct bad_req){ "map, BO of another strategy", true, base, PG, 0,
					       foreign });
	if (priv2 && !r.failed)
		run_bad(&r, &(struct bad_req){ "map, another VM's private BO", true, base, PG, 0,
					       priv2 });

	/* Still fully working afterwards. */
	for (i = 0; i < 20 && !r.failed; i++, r.op_index++) {
		gen_op(&g, &r.m, &pf, &rq);
		run_op(&r, &rq, false, true);
	}
	CHECK(!r.failed, "invalid requests under %s: see the report above", strat->name);
	run_end(&r);
	if (foreign)
		gvb_bo_put(foreign);
	if (vm2)
		gvb_vm_destroy(vm2);
	if (priv2)
		gvb_bo_put(priv2);
	CHECK(compat_alloc_live() == live, "invalid requests under %s: %ld allocations leaked",
	      strat->name, compat_alloc_live() - live);
}

int main(int argc, char **argv)
{
	const struct gvb_strategy_ops *strats[16];
	unsigned int nstrat = 0, nseq, i, percent = 100;
	u64 seed = 0x5eedULL, seq_seeds = 0;
	const struct gvb_strategy_ops *const *s;

	if (argc > 1)
		seed = strtoull(argv[1], NULL, 0);
	if (argc > 2)
		percent = strtoul(argv[2], NULL, 0);
	nseq = (unsigned int)((u64)DEFAULT_SEQS * percent / 100);

	CHECK(gvb_core_init() == 0);
	for (s = gvb_strategies; *s && nstrat < ARRAY_SIZE(strats); s++)
		if (!((*s)->flags & GVB_STRATEGY_BROKEN))
			strats[nstrat++] = *s;
	CHECK(nstrat >= 1 && strats[0] == &gvb_strategy_resv, "resv must come first");

	for (i = 0; i < nstrat; i++)
		test_invalid(strats[i], strats[(i + 1) % nstrat] != strats[i] ?
					strats[(i + 1) % nstrat] : NULL);

	seq_seeds = seed;
	for (i = 0; i < nseq; i++) {
		u64 seq_seed = gvb_rand64(&seq_seeds), g = seq_seed ^ 0x9f0f1ULL;
		unsigned int pick = rnd_below(&g, 100), k;
		struct profile pf;

		make_profile(&g, pick < 3 ? P_LARGE : pick < 8 ? P_BLOCKS : P_SMALL, &pf);
		tot.seqs++;
		if (i % 32 == 0) {
			/* Every non-broken strategy must do exactly what resv does. */
			u64 want = run_sequence(&pf, strats[0], seq_seed);

			for (k = 1; k < nstrat; k++) {
				u64 got = run_sequence(&pf, strats[k], seq_seed);

				CHECK_RUN(got == want, "sequence %#llx (%s): %s differs from %s",
					  (unsigned long long)seq_seed, pf.name, strats[k]->name,
					  strats[0]->name);
			}
		} else if (i % 32 == 16) {
			run_sequence(&pf, strats[rnd_below(&g, nstrat)], seq_seed);
		} else {
			run_sequence(&pf, strats[0], seq_seed);
		}
	}

	printf("test_sm_model: %lu sequences (%lu runs over %u strategies), %lu ops (%lu two-pass, "
	       "%lu invalid), %lu steps compared, max tree %lu VAs, max %lu steps in one op\n",
	       tot.seqs, tot.runs, nstrat, tot.ops, tot.two_pass, tot.invalid, tot.steps,
	       tot.max_tree, tot.max_steps);
	if (tot.failed_runs)
		printf("test_sm_model: %lu failed verdicts, the first %u reported\n",
		       tot.failed_runs, MAX_REPORTS);
	printf("test_sm_model: cases: split inside one VA %lu, remap keep=1 %lu, unmap keep=1 %lu, "
	       "exact re-map %lu, map covering 2+ VAs %lu, empty unmap %lu, touching same-BO "
	       "neighbour %lu, 16+ VAs in one op %lu, block runs using blocks %lu, unaligned cuts "
	       "in block runs %lu, pages translated %lu\n",
	       tot.split_inside, tot.remap_keep, tot.unmap_keep, tot.exact_remap,
	       tot.full_cover_multi, tot.unmap_empty, tot.touch_same_bo, tot.span_many,
	       tot.block_runs_with_blocks, tot.block_splits, tot.pages_translated);

	/* Each interesting case must actually have been exercised, or the run proves little. */
	if (nseq >= DEFAULT_SEQS / 10) {
		CHECK(tot.split_inside && tot.remap_keep && tot.unmap_keep && tot.exact_remap &&
		      tot.full_cover_multi && tot.unmap_empty && tot.touch_same_bo &&
		      tot.span_many && tot.block_runs_with_blocks && tot.block_splits,
		      "a case was never exercised");
		CHECK(tot.max_tree >= 200, "the largest tree had only %lu VAs", tot.max_tree);
	}
	CHECK(compat_warn_count() == 0, "%lu WARN_ON()s fired", compat_warn_count());

	gvb_core_exit();
	compat_wq_shutdown();
	CHECK(compat_alloc_live() == 0, "%ld allocations still live", compat_alloc_live());
	return gvb_test_done("test_sm_model");
}
