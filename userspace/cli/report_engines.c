// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * gvbench report's section "model vs drm_gpuvm", for results that ran
 * both engines: does our model tell the same story as the kernel's own
 * drm_gpuvm?
 *
 * Per workload, thread count and strategy: the ratio of ns/op,
 * model/drm_gpuvm, as the median of the per-round ratios with its
 * order-statistic 95% CI where the two cases were interleaved with equal
 * sample counts (round r of both ran moments apart, so machine drift
 * cancels in each ratio), else the ratio of medians without a CI. Then
 * whether the two engines rank the strategies alike (by median ns/op),
 * and, for each strategy, whether its change against resv has the same
 * sign (significant direction, or none, at alpha) and the same size (the
 * 95% CIs of the relative change overlap) on both engines. Signs are
 * the significant direction: +, - or ~ (within noise).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "result/resultset.h"

#define ENG_A		"model"
#define ENG_B		"drm_gpuvm"
#define ENG_BASE	"resv"

/* The case's workload and thread components: "map-unmap-4K/t1". */
static void eng_key(char *buf, size_t len, const char *name)
{
	const char *first = strchr(name, '/'), *last = strrchr(name, '/');

	if (!first || !last)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "%.*s%s", (int)(first - name), name, last);
}

static const struct gvb_case *eng_find(const struct gvb_rset *s, const char *key,
				       const char *engine, const char *strategy)
{
	char k[160];
	unsigned int i;

	for (i = 0; i < s->ncases; i++) {
		const struct gvb_case *c = s->cases[i];

		if (strcmp(c->engine, engine) || strcmp(c->strategy, strategy) || c->injected_ns)
			continue;
		eng_key(k, sizeof(k), c->name);
		if (!strcmp(k, key))
			return c;
	}
	return NULL;
}

/* model/drm_gpuvm per round where the rounds pair up; @ci false: ratio of medians. */
static double eng_ratio(const struct gvb_case *a, const struct gvb_case *b, double *lo,
			double *hi)
{
	struct gvb_summary sum;
	double *r;
	unsigned int i;

	*lo = *hi = NAN;
	if (a->nsamples != b->nsamples || !a->nsamples)
		return a->ns_per_op_sum.median / b->ns_per_op_sum.median;
	r = malloc(sizeof(*r) * a->nsamples);
	if (!r)
		return NAN;
	for (i = 0; i < a->nsamples; i++)
		r[i] = a->ns_per_op[i] / b->ns_per_op[i];
	if (gvb_stats_summary(r, a->nsamples, &sum)) {
		free(r);
		return a->ns_per_op_sum.median / b->ns_per_op_sum.median;
	}
	free(r);
	*lo = sum.ci_lo;
	*hi = sum.ci_hi;
	return sum.median;
}

/* "1.23 [1.20, 1.26]" or "1.23 (no CI)" */
static void eng_fmt_ratio(char *buf, size_t len, double r, double lo, double hi)
{
	if (isnan(lo))
		snprintf(buf, len, "%.3f (no CI)", r);
	else
		snprintf(buf, len, "%.3f [%.3f, %.3f]", r, lo, hi);
}

/* The relative change of @d and its CI in percent of the base median. */
static void eng_fmt_delta(char *buf, size_t len, const struct gvb_delta *d, double alpha)
{
	double b = d->base.median;

	if (isnan(d->ci_lo))
		snprintf(buf, len, "%+.1f%% (no CI)%s", d->pct, d->p < alpha ? "" : " ~");
	else
		snprintf(buf, len, "%+.1f%% [%+.1f, %+.1f]%s", d->pct, 100 * d->ci_lo / b,
			 100 * d->ci_hi / b, d->p < alpha ? "" : " ~");
}

static bool eng_sizes_agree(const struct gvb_delta *a, const struct gvb_delta *b)
{
	double alo = a->ci_lo / a->base.median, ahi = a->ci_hi / a->base.median;
	double blo = b->ci_lo / b->base.median, bhi = b->ci_hi / b->base.median;

	if (isnan(alo) || isnan(blo))
		return false;
	return alo <= bhi && blo <= ahi;
}

/* Strategies of @key present on both engines, in registry order; how many. */
static unsigned int eng_strategies(const struct gvb_rset *s, const char *key,
				   const struct gvb_case **a, const struct gvb_case **b)
{
	const struct gvb_strategy_ops *const *st;
	unsigned int n = 0;

	for (st = gvb_strategies; *st; st++) {
		a[n] = eng_find(s, key, ENG_A, (*st)->name);
		b[n] = eng_find(s, key, ENG_B, (*st)->name);
		if (a[n] && b[n])
			n++;
	}
	return n;
}

/* "resv < gpuva < resv+gpuva" into @buf: the cases by median ns/op. */
static void eng_ranking(char *buf, size_t len, const struct gvb_case **c, unsigned int n)
{
	unsigned int order[16], i, j, used = 0;

	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && c[order[j]]->ns_per_op_sum.median <
				     c[order[j - 1]]->ns_per_op_sum.median; j--) {
			unsigned int t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	buf[0] = '\0';
	for (i = 0; i < n && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%s", i ? " < " : "",
				 c[order[i]]->strategy);
}

/*
 * Whether the engines order every pair of strategies alike, judged on the
 * significant differences only (medians within noise have no order):
 * "agrees" if each pair gets the same verdict on both, "DIFFERS" if some
 * pair is significantly faster on one engine and slower on the other,
 * else "agrees where both resolve it" (some pair is within noise on one).
 */
static const char *eng_rank_verdict(const struct gvb_case **a, const struct gvb_case **b,
				    unsigned int n, double alpha)
{
	bool same = true;
	unsigned int i, j;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			struct gvb_delta da, db;
			int va, vb;

			if (gvb_delta_compute(a[i], a[j], GVB_METRIC_NS, alpha, false, &da) ||
			    gvb_delta_compute(b[i], b[j], GVB_METRIC_NS, alpha, false, &db))
				return "unknown (out of memory)";
			va = gvb_delta_verdict(&da);
			vb = gvb_delta_verdict(&db);
			if (va * vb < 0)
				return "DIFFERS";
			same &= va == vb;
		}
	return same ? "agrees" : "agrees where both resolve it";
}

static char eng_sign(int v)
{
	return v > 0 ? '+' : v < 0 ? '-' : '~';
}

static void eng_group(FILE *f, const struct gvb_rset *s, const char *key, double alpha)
{
	const struct gvb_case *a[16], *b[16];
	char ra[256], rb[256], x[64], y[64], na[16], nb[16];
	unsigned int n, i, base;

	n = eng_strategies(s, key, a, b);
	if (!n)
		return;
	fprintf(f, "\n%s\n  %-15s %9s %9s  %s\n", key, "strategy", ENG_A, ENG_B,
		"ratio model/drm_gpuvm [95% CI]");
	for (i = 0; i < n; i++) {
		double lo, hi, r = eng_ratio(a[i], b[i], &lo, &hi);

		gvb_fmt_ns(na, sizeof(na), a[i]->ns_per_op_sum.median);
		gvb_fmt_ns(nb, sizeof(nb), b[i]->ns_per_op_sum.median);
		eng_fmt_ratio(x, sizeof(x), r, lo, hi);
		fprintf(f, "  %-15s %9s %9s  %s\n", a[i]->strategy, na, nb, x);
	}
	if (n > 1) {
		eng_ranking(ra, sizeof(ra), a, n);
		eng_ranking(rb, sizeof(rb), b, n);
		fprintf(f, "  ranking %s (significant differences):\n    %-9s %s\n"
			"    %-9s %s\n", eng_rank_verdict(a, b, n, alpha), ENG_A, ra, ENG_B, rb);
	}
	for (base = 0; base < n && strcmp(a[base]->strategy, ENG_BASE); base++)
		;
	if (base == n || n < 2)
		return;
	fprintf(f, "  change vs %s (~: not significant):\n", ENG_BASE);
	for (i = 0; i < n; i++) {
		struct gvb_delta da, db;

		if (i == base)
			continue;
		if (gvb_delta_compute(a[base], a[i], GVB_METRIC_NS, alpha, true, &da) ||
		    gvb_delta_compute(b[base], b[i], GVB_METRIC_NS, alpha, true, &db))
			continue;
		eng_fmt_delta(x, sizeof(x), &da, alpha);
		eng_fmt_delta(y, sizeof(y), &db, alpha);
		fprintf(f, "    %-15s %-9s %s\n    %-15s %-9s %s\n"
			"    %-15s sign %s (%c, %c), size %s\n",
			a[i]->strategy, ENG_A, x, "", ENG_B, y, "",
			gvb_delta_verdict(&da) == gvb_delta_verdict(&db) ? "agrees" : "DIFFERS",
			eng_sign(gvb_delta_verdict(&da)), eng_sign(gvb_delta_verdict(&db)),
			eng_sizes_agree(&da, &db) ? "agrees (CIs overlap)" :
			"DIFFERS (CIs apart)");
	}
}

void gvb_report_engines(FILE *f, const struct gvb_rset *s, double alpha)
{
	char key[160], prev[160];
	unsigned int i, j;
	bool has_a = false, has_b = false;

	for (i = 0; i < s->ncases; i++) {
		has_a |= !strcmp(s->cases[i]->engine, ENG_A);
		has_b |= !strcmp(s->cases[i]->engine, ENG_B);
	}
	if (!has_a || !has_b)
		return;
	fprintf(f, "\n%s vs %s\n", ENG_A, ENG_B);
	fprintf(f, "Same workloads and strategies on our model and on the kernel's own\n"
		"drm_gpuvm, interleaved. Ratio: median of per-round ns/op ratios.\n");
	/* Each (workload, threads) key once, in file order. */
	for (i = 0; i < s->ncases; i++) {
		eng_key(key, sizeof(key), s->cases[i]->name);
		for (j = 0; j < i; j++) {
			eng_key(prev, sizeof(prev), s->cases[j]->name);
			if (!strcmp(prev, key))
				break;
		}
		if (j == i)
			eng_group(f, s, key, alpha);
	}
}
