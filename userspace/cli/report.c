// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * gvbench report: the review-thread question answered from a result, as
 * plain text to paste into a mail (ASCII, at most 75 columns).
 *
 * The question: what does the extra, always-free gpuva lock cost in a path
 * that already holds the resv (resv+gpuva vs resv), and what do immediate
 * mode (gpuva) and deferred put (gpuva+deferred) cost or save relative to
 * resv? It opens with the answer in a few lines (the cost of one extra
 * gpuva-mutex acquisition from the lock counts, and so on; a line the data
 * cannot support says so). For every workload and thread count it gives
 * each strategy's change of hot-path ns/op against resv by the one
 * estimator (stats/estimate.h: paired within a run), its 95% CI and
 * p-value, calls p >= alpha not significant, and states the lock traffic
 * against resv under the row. Where total CPU per op (deferred workers included) tells a
 * different story than the hot path, it says so on an extra line: moving
 * work to a worker can make the hot path faster and the machine busier.
 *
 * It states only what the files hold: no verdict beyond the numbers, and
 * the setup and the commands that reproduce them at the end.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "result/resultset.h"
#include "result/meta.h"

#define REPORT_BASE	"resv"

struct rep_row {
	const struct gvb_case *c;
	const char *label;		/* its strategy as the name says: x->strategies[] */
	struct gvb_delta hot, cpu;
};

struct rep_group {
	const struct gvb_case *base;
	char group[128];
	unsigned int cores;
	struct rep_row *rows;
	unsigned int nrows;
};

struct rep_ctx {
	struct gvb_rset s;
	double alpha;
	/*
	 * Non-base row labels, in report order: the strategy component of the
	 * case names, which is the strategy except in calibrate's files
	 * ("resv+2.3ns" is resv with an injected cost).
	 */
	char **strategies;
	unsigned int nstrategies;
	struct rep_group *groups;
	unsigned int ngroups;
	const struct gvb_case **unpaired;
	unsigned int nunpaired;
	bool designs[2];		/* which estimators the rows used */
};

static bool is_base(const struct gvb_case *c)
{
	char l[64];

	gvb_case_label(l, sizeof(l), c);
	return !strcmp(l, REPORT_BASE);
}

static bool same_key(const struct gvb_case *a, const struct gvb_case *b)
{
	char ka[160], kb[160];

	return !gvb_name_without_strategy(ka, sizeof(ka), a->name) &&
	       !gvb_name_without_strategy(kb, sizeof(kb), b->name) && !strcmp(ka, kb);
}

static int add_strategy(struct rep_ctx *x, const char *name)
{
	char **n;
	unsigned int i;

	if (!strcmp(name, REPORT_BASE))
		return 0;
	for (i = 0; i < x->nstrategies; i++)
		if (!strcmp(x->strategies[i], name))
			return 0;
	n = realloc(x->strategies, (x->nstrategies + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	x->strategies = n;
	x->strategies[x->nstrategies] = strdup(name);
	if (!x->strategies[x->nstrategies])
		return -ENOMEM;
	x->nstrategies++;
	return 0;
}

static int build(struct rep_ctx *x)
{
	const struct gvb_strategy_ops *const *st;
	const struct gvb_rset *s = &x->s;
	unsigned int i, j, k;
	char label[64];

	/* The default sweep's strategies first, in registry order: the order of the question. */
	for (st = gvb_strategies; *st; st++)
		for (i = 0; ((*st)->flags & GVB_STRATEGY_SWEEP) && i < s->ncases; i++) {
			gvb_case_label(label, sizeof(label), s->cases[i]);
			if (!strcmp(label, (*st)->name)) {
				if (add_strategy(x, (*st)->name))
					return -ENOMEM;
				break;
			}
		}
	for (i = 0; i < s->ncases; i++) {
		gvb_case_label(label, sizeof(label), s->cases[i]);
		if (add_strategy(x, label))
			return -ENOMEM;
	}

	/* One group per base case: its workload, size and thread count. */
	for (i = 0; i < s->ncases; i++) {
		struct rep_group *g;

		if (!is_base(s->cases[i]))
			continue;
		g = realloc(x->groups, (x->ngroups + 1) * sizeof(*g));
		if (!g)
			return -ENOMEM;
		x->groups = g;
		g = &x->groups[x->ngroups++];
		memset(g, 0, sizeof(*g));
		g->base = s->cases[i];
		g->cores = gvb_rset_meta(s, i)->cores;
		gvb_name_group(g->group, sizeof(g->group), g->base->name);
		g->rows = calloc(x->nstrategies ? x->nstrategies : 1, sizeof(*g->rows));
		if (!g->rows)
			return -ENOMEM;
		for (k = 0; k < x->nstrategies; k++) {
			for (j = 0; j < s->ncases; j++) {
				const struct gvb_case *c = s->cases[j];
				bool paired;

				gvb_case_label(label, sizeof(label), c);
				if (strcmp(label, x->strategies[k]) || !same_key(c, g->base))
					continue;
				paired = gvb_rset_paired(s, g->base, c);
				g->rows[g->nrows].c = c;
				g->rows[g->nrows].label = x->strategies[k];
				if (gvb_delta_compute(g->base, c, GVB_METRIC_NS, x->alpha, paired,
						      &g->rows[g->nrows].hot) ||
				    gvb_delta_compute(g->base, c, GVB_METRIC_CPU, x->alpha, paired,
						      &g->rows[g->nrows].cpu))
					return -ENOMEM;
				x->designs[g->rows[g->nrows].hot.design] = true;
				g->nrows++;
				break;
			}
		}
	}
	/* Never dropped silently: what has no resv case beside it. */
	for (i = 0; i < s->ncases; i++) {
		const struct gvb_case *c = s->cases[i];
		bool paired = is_base(c);

		for (j = 0; j < x->ngroups && !paired; j++)
			paired = same_key(c, x->groups[j].base);
		if (!paired) {
			const struct gvb_case **n = realloc(x->unpaired,
							    (x->nunpaired + 1) * sizeof(*n));

			if (!n)
				return -ENOMEM;
			x->unpaired = n;
			x->unpaired[x->nunpaired++] = c;
		}
	}
	return 0;
}

/* ------------------------------------------------------------- output */

static void fmt_p(char *buf, size_t len, double p, double alpha)
{
	char v[20];

	if (p < 0.001 && alpha > 0.001) {
		snprintf(buf, len, "p<0.001");
		return;
	}
	gvb_fmt_p(v, sizeof(v), p, alpha);
	snprintf(buf, len, "p=%s", v);
}

static void fmt_pct(char *buf, size_t len, double pct)
{
	if (!isfinite(pct))
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, fabs(pct) >= 99.95 ? "%+.0f%%" : "%+.1f%%", pct);
}

/*
 * The delta and its CI in one unit with one precision, three significant
 * digits of the largest of them: "+55.8ns" and "[+12.1, +81.7]".
 */
static void fmt_delta(char *dbuf, size_t dlen, char *cbuf, size_t clen, const struct gvb_delta *d)
{
	double m = fabs(d->delta);
	const struct gvb_unit *u;
	int prec;

	if (isfinite(d->ci_lo))
		m = fmax(m, fmax(fabs(d->ci_lo), fabs(d->ci_hi)));
	u = gvb_unit_for(m);
	m /= u->ns;
	prec = m >= 99.95 ? 0 : m >= 9.995 ? 1 : 2;
	if (isfinite(d->delta))
		snprintf(dbuf, dlen, "%+.*f%s", prec, d->delta / u->ns, u->name);
	else
		snprintf(dbuf, dlen, "-");
	if (isfinite(d->ci_lo) && isfinite(d->ci_hi))
		snprintf(cbuf, clen, "[%+.*f, %+.*f]", prec, d->ci_lo / u->ns, prec,
			 d->ci_hi / u->ns);
	else
		snprintf(cbuf, clen, "[no CI, n<6]");
}

/* ------------------------------------------------------- lock traffic */

/* Short names of the lock classes for 75 columns, in gvb_result_lock_keys[] order. */
static const char *const lock_short[GVB_RESULT_LOCK_CLASSES] = {
	"vm_resv", "bo_resv", "gpuva", "op_lock", "vm_lists", "ww",
};

/* Counts differ by less than this: the same (they are means over N ops). */
#define LOCK_EPS	1e-9

/*
 * @c's acquisitions per op: against @base (NULL: absolute), only the
 * classes that differ, "gpuva +3, op_lock +2"; "the same" when none do.
 */
static void fmt_locks(char *buf, size_t len, const struct gvb_case *c,
		      const struct gvb_case *base)
{
	size_t used = 0;
	unsigned int k;

	buf[0] = '\0';
	for (k = 0; k < GVB_RESULT_LOCK_CLASSES && used < len; k++) {
		double v = c->locks_per_op[k] - (base ? base->locks_per_op[k] : 0);

		if (fabs(v) < LOCK_EPS)
			continue;
		used += snprintf(buf + used, len - used, base ? "%s%s %+.3g" : "%s%s %.3g",
				 used ? ", " : "", lock_short[k], v);
	}
	if (used < len) {
		double a = c->pt_alloc_per_op - (base ? base->pt_alloc_per_op : 0);
		double f = c->pt_freed_per_op - (base ? base->pt_freed_per_op : 0);

		if (!base)
			snprintf(buf + used, len - used, "%stable pages %.3g allocated, %.3g freed",
				 used ? "; " : "", a, f);
		else if (fabs(a) >= LOCK_EPS || fabs(f) >= LOCK_EPS)
			snprintf(buf + used, len - used, "%stable pages %+.3g allocated, %+.3g freed",
				 used ? "; " : "", a, f);
		else if (!used)
			snprintf(buf, len, "the same");
	}
}

/*
 * The extra gpuva-mutex acquisitions per op of @c over @base when they are
 * the only difference in lock traffic (page tables included), else 0.
 */
static double only_gpuva(const struct gvb_case *c, const struct gvb_case *base)
{
	unsigned int k;

	if (!c->has_locks || !base->has_locks ||
	    fabs(c->pt_alloc_per_op - base->pt_alloc_per_op) >= LOCK_EPS ||
	    fabs(c->pt_freed_per_op - base->pt_freed_per_op) >= LOCK_EPS)
		return 0;
	for (k = 0; k < GVB_RESULT_LOCK_CLASSES; k++)
		if (k != GVB_RLOCK_GPUVA && fabs(c->locks_per_op[k] - base->locks_per_op[k]) >= LOCK_EPS)
			return 0;
	return c->locks_per_op[GVB_RLOCK_GPUVA] - base->locks_per_op[GVB_RLOCK_GPUVA];
}

/* @d divided by @n extra acquisitions: the cost of one, with its CI. */
static struct gvb_delta per_acquisition(const struct gvb_delta *d, double n)
{
	struct gvb_delta e = *d;

	e.delta /= n;
	e.ci_lo /= n;
	e.ci_hi /= n;
	return e;
}

static void print_locks(const struct rep_row *row, const struct gvb_case *base)
{
	char text[256], cost[64], ci[64];
	double n;

	if (!row->c->has_locks || !base->has_locks)
		return;
	fmt_locks(text, sizeof(text), row->c, base);
	n = only_gpuva(row->c, base);
	if (n > LOCK_EPS) {
		struct gvb_delta e = per_acquisition(&row->hot, n);
		size_t used = strlen(text);

		fmt_delta(cost, sizeof(cost), ci, sizeof(ci), &e);
		snprintf(text + used, sizeof(text) - used, "; only gpuva: %s %s per extra one",
			 cost, ci);
	}
	gvb_print_wrapped(stdout, "      locks ", "        ", text, false);
}

static void print_row(const char *label, const struct gvb_delta *d, double alpha)
{
	char delta[32], ci[64], pct[16], p[24], line[256];
	size_t n;

	fmt_delta(delta, sizeof(delta), ci, sizeof(ci), d);
	fmt_pct(pct, sizeof(pct), d->pct);
	fmt_p(p, sizeof(p), d->p, alpha);
	n = snprintf(line, sizeof(line), "  %-14s %8s %7s %-14s %s%s", label, delta, pct, ci, p,
		     d->significant ? "" : " not significant");
	/* Keep the promise of 75 columns even for an odd label or a huge CI. */
	if (n > GVB_TEXT_WIDTH) {
		snprintf(line, sizeof(line), "%s %s %s %s %s%s", label, delta, pct, ci, p,
			 d->significant ? "" : " not significant");
		gvb_print_wrapped(stdout, "  ", "      ", line, false);
		return;
	}
	puts(line);
}

/* A strategy's line of the legend: its description from the registry. */
static void print_strategy(const char *name)
{
	const struct gvb_strategy_ops *ops = gvb_strategy_find(name);
	char line[64];

	const char *desc = ops ? ops->desc : "(see 'gvbench list')";

	/* calibrate's labels: resv+2ns, resv+1%, resv#same, resv#other */
	if (!ops && strpbrk(name, "+#"))
		desc = strchr(name, '#') ? "calibrate's A/A pair: the same strategy again" :
		       "calibrate's A/B pair: a known cost injected";
	snprintf(line, sizeof(line), "  %-14s  ", name);
	gvb_print_wrapped(stdout, line, "                  ", desc, false);
}

/* ------------------------------------------------------------- answer */

static const struct rep_row *find_row(const struct rep_group *g, const char *label)
{
	unsigned int r;

	for (r = 0; g && r < g->nrows; r++)
		if (!strcmp(g->rows[r].label, label))
			return &g->rows[r];
	return NULL;
}

/*
 * Where the question is asked: map+unmap of 4 KiB at one thread (the lock
 * is uncontended, "always free"), else the first one-thread group with
 * resv+gpuva, else the first group with it.
 */
static const struct rep_group *headline_group(const struct rep_ctx *x)
{
	unsigned int i, pass;

	for (pass = 0; pass < 3; pass++) {
		for (i = 0; i < x->ngroups; i++) {
			const struct rep_group *g = &x->groups[i];

			if (!find_row(g, "resv+gpuva"))
				continue;
			if (pass == 0 && (strcmp(g->base->workload, "map-unmap") ||
					  g->base->size != 4096 || g->base->threads != 1))
				continue;
			if (pass == 1 && g->base->threads != 1)
				continue;
			return g;
		}
	}
	return NULL;
}

/* "map-unmap-4K, 1 thread" */
static void group_where(char *buf, size_t len, const struct rep_group *g)
{
	snprintf(buf, len, "%s, %u thread%s", g->group[0] ? g->group : g->base->workload,
		 g->base->threads, g->base->threads == 1 ? "" : "s");
}

/* "+4.56ns [+4.10, +5.10] paired p<0.001": a delta as the answer quotes it. */
static void fmt_quote(char *buf, size_t len, const struct gvb_delta *d, double alpha)
{
	char delta[32], ci[64], p[24];

	fmt_delta(delta, sizeof(delta), ci, sizeof(ci), d);
	fmt_p(p, sizeof(p), d->p, alpha);
	snprintf(buf, len, "%s %s (%s %s%s)", delta, ci, gvb_design_name(d->design), p,
		 d->significant ? "" : ", not significant");
}

static void answer_line(const char *text)
{
	gvb_print_wrapped(stdout, "- ", "  ", text, false);
}

static void print_answer(const struct rep_ctx *x)
{
	const struct rep_group *g = headline_group(x);
	const struct rep_row *rg = find_row(g, "resv+gpuva");
	const struct rep_row *im = find_row(g, "gpuva"), *df = find_row(g, "gpuva+deferred");
	const struct gvb_workload *w = g ? gvb_workload_find(g->base->workload) : NULL;
	const char *op = w ? w->op_desc : "op";
	char *machine = gvb_rset_field(&x->s, GVB_MF_MACHINE);
	char *backend = gvb_rset_field(&x->s, GVB_MF_BACKEND);
	char line[1024], where[160], q[160], q2[160], bt[32];
	double n = 0, base_ns = NAN;

	snprintf(line, sizeof(line), "gpuvm-bench report, the answer (%s; backend %s; engine model):",
		 machine ? machine : "?", backend ? backend : "?");
	gvb_print_wrapped(stdout, "", "  ", line, false);
	free(machine);
	free(backend);
	if (!rg) {
		answer_line("One extra always-free gpuva-mutex acquisition under a held resv: "
			    "this data cannot say (no resv+gpuva case beside a resv case).");
	} else {
		group_where(where, sizeof(where), g);
		base_ns = rg->hot.base.median;
		fmt_quote(q, sizeof(q), &rg->hot, x->alpha);
		n = only_gpuva(rg->c, g->base);
		if (n > LOCK_EPS) {
			struct gvb_delta e = per_acquisition(&rg->hot, n);

			fmt_quote(q2, sizeof(q2), &e, x->alpha);
			snprintf(line, sizeof(line), "One extra always-free gpuva-mutex acquisition "
				 "under a held resv costs %s: resv+gpuva - resv at %s is %s over "
				 "%.3g counted extra gpuva acquisitions per %s.", q2, where, q, n, op);
			answer_line(line);
			gvb_fmt_time3(bt, sizeof(bt), base_ns, false);
			if (isfinite(e.ci_lo))
				snprintf(line, sizeof(line), "That is %.2f%% [%.2f, %.2f] of a %s "
					 "(resv: %s/op).", 100.0 * e.delta / base_ns,
					 100.0 * e.ci_lo / base_ns, 100.0 * e.ci_hi / base_ns, op, bt);
			else
				snprintf(line, sizeof(line), "That is %.2f%% of a %s (resv: %s/op; "
					 "too few samples for a CI).", 100.0 * e.delta / base_ns, op, bt);
			answer_line(line);
		} else {
			snprintf(line, sizeof(line), "One extra always-free gpuva-mutex acquisition "
				 "under a held resv: resv+gpuva - resv at %s is %s, but this data "
				 "cannot divide it by a count of extra acquisitions: %s.", where, q,
				 !rg->c->has_locks || !g->base->has_locks ?
				 "the file has no lock counts (made before lock accounting, or by a "
				 "module without WL_COUNT)" :
				 "the two differ in more than gpuva-mutex acquisitions");
			answer_line(line);
			answer_line("As a % of the op: cannot say without the per-acquisition cost.");
		}
	}
	if (im && df) {
		struct gvb_delta d;

		fmt_quote(q, sizeof(q), &im->hot, x->alpha);
		/* Deferred against immediate directly: both ran in the group. */
		if (gvb_delta_compute(im->c, df->c, GVB_METRIC_NS, x->alpha,
				      gvb_rset_paired(&x->s, im->c, df->c), &d))
			return;
		fmt_quote(q2, sizeof(q2), &d, x->alpha);
		snprintf(line, sizeof(line), "Immediate mode (gpuva) against resv: %s; deferred put "
			 "(gpuva+deferred) against immediate mode: %s; at %s.", q, q2, where);
	} else {
		snprintf(line, sizeof(line), "Immediate mode against deferred put: this data cannot "
			 "say (it needs gpuva and gpuva+deferred beside resv%s).",
			 rg ? " in that group" : "");
	}
	answer_line(line);
	if (rg && isfinite(rg->hot.ci_lo)) {
		char hw[32];

		gvb_fmt_time3(hw, sizeof(hw), (rg->hot.ci_hi - rg->hot.ci_lo) / 2, false);
		snprintf(line, sizeof(line), "Smallest effect this run could resolve at %s: about "
			 "%s (%.2f%% of resv), the half-width of the 95%% CI of the %s "
			 "resv+gpuva delta; 'gvbench calibrate' measures it directly.", where, hw,
			 50.0 * (rg->hot.ci_hi - rg->hot.ci_lo) / base_ns,
			 gvb_design_name(rg->hot.design));
	} else {
		snprintf(line, sizeof(line), "Smallest effect this run could resolve: this data "
			 "cannot say (%s).", rg ? "too few samples for a CI" : "no resv+gpuva case");
	}
	answer_line(line);
	answer_line("Full tables below: every workload and thread count, with each strategy's "
		    "lock traffic against resv under its row.");
	puts("");
}

static void print_intro(const struct rep_ctx *x)
{
	char line[1024];
	unsigned int k;

	snprintf(line, sizeof(line), "%s (%u file%s, %u cases)", x->s.path, x->s.nfiles,
		 x->s.nfiles == 1 ? "" : "s", x->s.ncases);
	puts("Each locking strategy against resv");
	gvb_print_wrapped(stdout, "from ", "  ", line, false);
	puts("");
	print_strategy(REPORT_BASE);
	for (k = 0; k < x->nstrategies; k++)
		print_strategy(x->strategies[k]);
	puts("");
	snprintf(line, sizeof(line),
		 "Each row: the change of hot-path ns/op (the time an op takes in the "
		 "calling thread) against resv at the same workload and thread count, in "
		 "ns and %% of resv's median (+ is more time per op than resv), its 95%% "
		 "confidence interval and the two-sided p-value; p >= %g is called not "
		 "significant.%s%s", x->alpha,
		 x->designs[GVB_DESIGN_PAIRED] ?
		 " Cases of one interleaved run are paired by round: the change is the "
		 "shift of the per-round differences (the median of their Walsh averages), "
		 "with the CI and p of the "
		 "Wilcoxon signed-rank test." : "",
		 x->designs[GVB_DESIGN_UNPAIRED] ?
		 " Cases of separate runs are unpaired: the change is the Hodges-Lehmann "
		 "shift, with its Moses CI and the Mann-Whitney U test." : "");
	gvb_print_wrapped(stdout, "", "", line, false);
	gvb_print_wrapped(stdout, "", "",
			  "A \"total CPU\" line follows where all CPU time per op (deferred "
			  "cleanup workers included, cpu_ns_per_op) tells a different story "
			  "than the hot path: another verdict, or another sign. \"on N cores\": "
			  "more threads than CPUs, so hot-path times include time spent waiting "
			  "for a CPU.", false);
}

static void print_summary(const struct rep_ctx *x)
{
	unsigned int k, g, r;

	printf("\nSummary, hot path (%u workload/thread group%s):\n", x->ngroups,
	       x->ngroups == 1 ? "" : "s");
	for (k = 0; k < x->nstrategies; k++) {
		unsigned int slower = 0, faster = 0, ns = 0, n = 0;
		double lo = INFINITY, hi = -INFINITY;
		char line[160], pl[16], ph[16];

		for (g = 0; g < x->ngroups; g++) {
			for (r = 0; r < x->groups[g].nrows; r++) {
				const struct gvb_delta *d = &x->groups[g].rows[r].hot;

				if (strcmp(x->groups[g].rows[r].label, x->strategies[k]))
					continue;
				n++;
				switch (gvb_delta_verdict(d)) {
				case 1: slower++; break;
				case -1: faster++; break;
				default: ns++; continue;
				}
				lo = fmin(lo, d->pct);
				hi = fmax(hi, d->pct);
			}
		}
		if (!n)
			continue;
		snprintf(line, sizeof(line), "  %-14s  ", x->strategies[k]);
		printf("%sslower in %u, faster in %u, not significant in %u\n", line, slower,
		       faster, ns);
		if (slower + faster) {
			fmt_pct(pl, sizeof(pl), lo);
			fmt_pct(ph, sizeof(ph), hi);
			if (slower + faster == 1)
				printf("  %-14s  (the significant one: %s)\n", "", pl);
			else
				printf("  %-14s  (significant ones: %s to %s)\n", "", pl, ph);
		}
	}
}

static void print_groups(const struct rep_ctx *x)
{
	bool *done = calloc(x->ngroups ? x->ngroups : 1, sizeof(*done));
	unsigned int i, j, r;

	if (!done)
		return;
	printf("\nPer workload (delta vs resv, 95%% CI, p):\n");
	for (i = 0; i < x->ngroups; i++) {
		if (done[i])
			continue;
		/* Groups of one workload together, thread counts in file order. */
		for (j = i; j < x->ngroups; j++) {
			const struct rep_group *g = &x->groups[j];
			/* The base as the comparisons saw it: finite samples only. */
			const struct gvb_summary *bs = g->nrows ? &g->rows[0].hot.base :
						       &g->base->ns_per_op_sum;
			char head[256], base[24], ci[16], cores[48] = "";

			/* A 4th name component ("aa3": calibrate's pair) tells groups apart. */
			const char *r2 = gvb_name_rest(gvb_name_rest(g->base->name));
			const char *tag = gvb_name_rest(r2) != r2 ? gvb_name_rest(r2) : NULL;

			if (done[j] || strcmp(g->group, x->groups[i].group))
				continue;
			done[j] = true;
			gvb_fmt_time(base, sizeof(base), bs->median, gvb_unit_for(bs->median),
				     false);
			gvb_fmt_ci_pct(ci, sizeof(ci), bs);
			if (g->cores && g->base->threads > g->cores)
				snprintf(cores, sizeof(cores), " on %u cores", g->cores);
			snprintf(head, sizeof(head), "%s, %u thread%s%s%s%s%s: resv %s/op +-%s, n=%u",
				 g->group[0] ? g->group : g->base->workload, g->base->threads,
				 g->base->threads == 1 ? "" : "s", cores, tag ? " (" : "",
				 tag ? tag : "", tag ? ")" : "", base, ci, bs->n);
			printf("\n");
			gvb_print_wrapped(stdout, "", "  ", head, false);
			if (g->base->has_locks) {
				char text[256];

				fmt_locks(text, sizeof(text), g->base, NULL);
				gvb_print_wrapped(stdout, "  resv locks ", "    ", text, false);
			}
			if (!g->nrows)
				puts("  (no other strategy at this workload and thread count)");
			for (r = 0; r < g->nrows; r++) {
				const struct rep_row *row = &g->rows[r];

				print_row(row->label, &row->hot, x->alpha);
				/* Verdicts are -1, 0, +1: another sign or another significance. */
				if (gvb_delta_verdict(&row->hot) != gvb_delta_verdict(&row->cpu))
					print_row("  total CPU", &row->cpu, x->alpha);
				print_locks(row, g->base);
			}
		}
	}
	free(done);
}

/* "-o X", "--output X" or "--output=X" in a recorded command, or NULL. */
static char *command_output(const char *cmd)
{
	char *copy = strdup(cmd), *tok, *save = NULL, *out = NULL;
	bool next = false;

	if (!copy)
		return NULL;
	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (next) {
			out = strdup(tok);
			break;
		}
		if (!strcmp(tok, "-o") || !strcmp(tok, "--output"))
			next = true;
		else if (!strncmp(tok, "--output=", 9))
			out = strdup(tok + 9);
		else if (!strncmp(tok, "-o", 2) && tok[2])
			out = strdup(tok + 2);
		if (out)
			break;
	}
	free(copy);
	return out;
}

/* The gvbench the recorded command ran, so the reproducer uses the same path. */
static char *command_tool(const char *cmd)
{
	size_t n = strcspn(cmd, " ");

	if (n >= 7 && !strncmp(cmd + n - 7, "gvbench", 7))
		return strndup(cmd, n);
	return strdup("gvbench");
}

static void print_setup(const struct rep_ctx *x)
{
	static const struct {
		const char *key;
		enum gvb_meta_field field;
	} fields[] = {
		{ "  machine:  ", GVB_MF_MACHINE },
		{ "  kernel:   ", GVB_MF_KERNEL },
		{ "  backend:  ", GVB_MF_BACKEND },
		{ "  compiler: ", GVB_MF_COMPILER },
		{ "  date:     ", GVB_MF_DATE },
		{ "  mode:     ", GVB_MF_MODE },
		{ "  harness:  ", GVB_MF_HARNESS },
		{ "  perf:     ", GVB_MF_PERF },
	};
	unsigned int i, lo = ~0u, hi = 0;
	char *v, *out = NULL, *tool, line[256];

	printf("\nSetup\n");
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		v = gvb_rset_field(&x->s, fields[i].field);
		if (!v)
			return;
		if (fields[i].field == GVB_MF_HARNESS) {
			char *w;

			/* What the empty op costs is inside every ns/op above. */
			if (asprintf(&w, "%s (the empty workload; part of every ns/op above)",
				     v) >= 0) {
				free(v);
				v = w;
			}
		}
		if (*v)
			gvb_print_wrapped(stdout, fields[i].key, "            ", v, false);
		free(v);
	}
	for (i = 0; i < x->s.ncases; i++) {
		lo = x->s.cases[i]->nsamples < lo ? x->s.cases[i]->nsamples : lo;
		hi = x->s.cases[i]->nsamples > hi ? x->s.cases[i]->nsamples : hi;
	}
	if (x->s.ncases && lo == hi)
		snprintf(line, sizeof(line), "%u per case, cases interleaved in time", lo);
	else if (x->s.ncases)
		snprintf(line, sizeof(line), "%u to %u per case, cases interleaved in time", lo,
			 hi);
	if (x->s.ncases)
		gvb_print_wrapped(stdout, "  samples:  ", "            ", line, false);

	printf("\nReproduce\n");
	/* Each distinct command once, in file order: one per result file at most. */
	for (i = 0; i < x->s.nfiles; i++) {
		const char *cmd = x->s.results[i].meta.command;
		unsigned int j;

		for (j = 0; j < i; j++)
			if (!strcmp(cmd, x->s.results[j].meta.command))
				break;
		if (j == i && *cmd)
			gvb_print_wrapped(stdout, "  ", "      ", cmd, true);
	}
	if (x->s.nfiles == 1)
		out = command_output(x->s.results[0].meta.command);
	tool = command_tool(x->s.results[0].meta.command);
	if (tool) {
		snprintf(line, sizeof(line), "%s report %s", tool, out ? out : x->s.path);
		gvb_print_wrapped(stdout, "  ", "      ", line, true);
		snprintf(line, sizeof(line), "%s plot %s", tool, out ? out : x->s.path);
		gvb_print_wrapped(stdout, "  ", "      ", line, true);
	}
	free(tool);
	free(out);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: %s report [--alpha X] DIR|FILE\n"
		"  What the extra gpuva lock (resv+gpuva), immediate mode (gpuva) and the\n"
		"  deferred put (gpuva+deferred) cost or save against resv, per workload and\n"
		"  thread count, with 95%% CIs and p-values; plain text for a mail.\n"
		"  --alpha X   significance level (default: the files' own, else 0.05)\n",
		gvb_prog);
}

int gvb_cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "alpha", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct rep_ctx x = { .alpha = 0.05 };
	bool alpha_set = false;
	char err[1024];
	unsigned int i;
	int c, ret = 1;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if (gvb_parse_alpha(optarg, &x.alpha))
				gvb_die_usage("report: --alpha: '%s' is not a number in (0, 0.5]",
					      optarg);
			alpha_set = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			gvb_die_option(c, argc, argv, "report");
		}
	}
	if (argc - optind != 1)
		gvb_die_usage("report: needs one result directory or file (see '%s report --help')",
			      gvb_prog);
	if (gvb_rset_load(&x.s, argv[optind], err, sizeof(err)) ||
	    gvb_rset_need_samples(&x.s, err, sizeof(err)))
		goto fail;
	if (!alpha_set)
		x.alpha = gvb_rset_alpha(&x.s);
	for (i = 0; i < x.s.ncases; i++)
		if (is_base(x.s.cases[i]))
			break;
	if (i == x.s.ncases) {
		snprintf(err, sizeof(err), "%s: no %s case; the report compares every strategy against %s",
			 argv[optind], REPORT_BASE, REPORT_BASE);
		goto fail;
	}
	if (build(&x)) {
		snprintf(err, sizeof(err), "out of memory");
		goto fail;
	}
	print_answer(&x);
	print_intro(&x);
	for (i = 0; i < x.s.nfiles; i++) {
		if (!strcmp(x.s.results[i].meta.host, "uml")) {
			gvb_meta_print_caveats(stdout, &x.s.results[i].meta);
			break;
		}
	}
	print_summary(&x);
	print_groups(&x);
	gvb_report_engines(stdout, &x.s, x.alpha);
	if (x.nunpaired) {
		printf("\nNot compared (no resv case at the same workload and thread count):\n");
		for (i = 0; i < x.nunpaired; i++)
			gvb_print_wrapped(stdout, "  ", "  ", x.unpaired[i]->name, false);
	}
	print_setup(&x);
	ret = 0;
	goto out;
fail:
	fprintf(stderr, "%s: %s\n", gvb_prog, err);
	ret = 1;
out:
	for (i = 0; i < x.ngroups; i++)
		free(x.groups[i].rows);
	free(x.groups);
	for (i = 0; i < x.nstrategies; i++)
		free(x.strategies[i]);
	free(x.strategies);
	free(x.unpaired);
	gvb_rset_free(&x.s);
	return ret;
}
