// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The statistics (userspace/stats/stats.c) and the latency histogram
 * (userspace/stats/histogram.c) against known values.
 *
 * The known values are in tests/data/stats_vectors.txt, computed once with
 * scipy by tests/data/gen_stats_vectors.py (its docstring describes the
 * line formats). This test only reads the file: argv[1], or by default
 * data/stats_vectors.txt next to this source file.
 *
 * The histogram is also checked against distributions generated here with a
 * fixed seed, whose exact percentiles come from sorting the same values.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gvb_seam.h"	/* gvb_rand64() */
#include "gvb_test.h"
#include "stats/histogram.h"
#include "stats/stats.h"

#define REL_EXACT	1e-9	/* exact Mann-Whitney p-values */
#define REL_ASYMPTOTIC	1e-6	/* normal approximation: erfc against scipy's ndtr */
#define REL_TIGHT	1e-12	/* means, geomeans, coverages: a few ulps of summation */

/* |got - want| within @rel of |want|; NaN matches only NaN. */
static int close_rel(double got, double want, double rel)
{
	if (isnan(want) || isnan(got))
		return isnan(want) && isnan(got);
	if (got == want)
		return 1;
	return fabs(got - want) <= rel * fabs(want);
}

static int same(double got, double want)
{
	return (isnan(got) && isnan(want)) || got == want;
}

/* ---- reading the vectors ---- */

struct line {
	char *save;
	unsigned int lineno;
	int bad;
};

static char *next_tok(struct line *l)
{
	char *t = strtok_r(NULL, " \t\n", &l->save);

	if (!t)
		l->bad = 1;
	return t;
}

static double next_double(struct line *l)
{
	char *t = next_tok(l), *end;
	double v;

	if (!t)
		return NAN;
	v = strtod(t, &end);
	if (*end)
		l->bad = 1;
	return v;
}

static unsigned long next_ulong(struct line *l)
{
	char *t = next_tok(l), *end;
	unsigned long v;

	if (!t)
		return 0;
	v = strtoul(t, &end, 10);
	if (*end)
		l->bad = 1;
	return v;
}

/* A count followed by that many values; NULL (and l->bad) on error. */
static double *next_array(struct line *l, unsigned int *n)
{
	unsigned int i;
	double *x;

	*n = next_ulong(l);
	if (l->bad)
		return NULL;
	x = malloc((*n ? *n : 1) * sizeof(*x));
	if (!x) {
		l->bad = 1;
		return NULL;
	}
	for (i = 0; i < *n; i++)
		x[i] = next_double(l);
	return x;
}

static double *dup_array(const double *x, unsigned int n)
{
	double *c = malloc((n ? n : 1) * sizeof(*c));

	if (c)
		memcpy(c, x, n * sizeof(*c));
	return c;
}

/* ---- the line kinds ---- */

static unsigned int nr_ostat, nr_summary, nr_mwu_exact, nr_mwu_asym, nr_geomean, nr_moses,
		    nr_hist;

/* A fixed permutation of 1..n: the CI indices must come out as the values. */
static void permutation(double *x, unsigned int n, uint64_t seed)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		x[i] = i + 1;
	for (i = n; i > 1; i--) {
		unsigned int j;
		double t;

		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		j = (unsigned int)((seed >> 33) % i);
		t = x[i - 1];
		x[i - 1] = x[j];
		x[j] = t;
	}
}

static void check_ostat(struct line *l)
{
	unsigned int n = next_ulong(l), k = next_ulong(l);
	double level = next_double(l), *x;
	struct gvb_summary s;

	if (l->bad)
		return;
	nr_ostat++;
	CHECK(gvb_median_ci_rank(n) == k, "line %u: n %u: rank %u, want %u", l->lineno, n,
	      gvb_median_ci_rank(n), k);
	CHECK(fabs(gvb_median_ci_coverage(n, k ? k : 1) - level) < 1e-12,
	      "line %u: n %u: coverage %.17g, want %.17g", l->lineno, n,
	      gvb_median_ci_coverage(n, k ? k : 1), level);

	x = malloc(n * sizeof(*x));
	if (!x)
		return;
	permutation(x, n, n);
	CHECK(gvb_stats_summary(x, n, &s) == 0, "line %u", l->lineno);
	if (k) {
		CHECK(s.ci_lo == k && s.ci_hi == n - k + 1,
		      "line %u: n %u: CI [%g, %g], want [%u, %u]", l->lineno, n, s.ci_lo,
		      s.ci_hi, k, n - k + 1);
	} else {
		CHECK(isnan(s.ci_lo) && isnan(s.ci_hi), "line %u: n %u: CI [%g, %g] from too few",
		      l->lineno, n, s.ci_lo, s.ci_hi);
	}
	CHECK(fabs(s.ci_level - level) < 1e-12, "line %u: n %u: level %.17g, want %.17g",
	      l->lineno, n, s.ci_level, level);
	CHECK(s.median == (n + 1) / 2.0, "line %u: n %u: median %g", l->lineno, n, s.median);
	free(x);
}

static void check_summary(struct line *l)
{
	unsigned int n;
	double *x = next_array(l, &n), *copy;
	double median = next_double(l), mean = next_double(l), min = next_double(l);
	double max = next_double(l), lo = next_double(l), hi = next_double(l);
	double level = next_double(l);
	struct gvb_summary s;

	if (l->bad || !(copy = dup_array(x, n))) {
		free(x);
		return;
	}
	nr_summary++;
	CHECK(gvb_stats_summary(x, n, &s) == 0, "line %u", l->lineno);
	CHECK(!memcmp(x, copy, n * sizeof(*x)), "line %u: the input was modified", l->lineno);
	CHECK(s.n == n, "line %u: n %u", l->lineno, s.n);
	CHECK(same(gvb_median(x, n), s.median), "line %u", l->lineno);
	CHECK(close_rel(s.median, median, 1e-15), "line %u: median %.17g, want %.17g",
	      l->lineno, s.median, median);
	CHECK(close_rel(s.mean, mean, REL_TIGHT), "line %u: mean %.17g, want %.17g", l->lineno,
	      s.mean, mean);
	CHECK(s.min == min && s.max == max, "line %u: min/max %g %g", l->lineno, s.min, s.max);
	CHECK(same(s.ci_lo, lo) && same(s.ci_hi, hi), "line %u: n %u: CI [%.17g, %.17g], want "
	      "[%.17g, %.17g]", l->lineno, n, s.ci_lo, s.ci_hi, lo, hi);
	CHECK(fabs(s.ci_level - level) < 1e-12, "line %u: level %.17g, want %.17g", l->lineno,
	      s.ci_level, level);
	if (!isnan(lo))
		CHECK(s.ci_lo <= s.median && s.median <= s.ci_hi, "line %u", l->lineno);
	free(copy);
	free(x);
}

static void check_mwu(struct line *l)
{
	char *method = next_tok(l);
	unsigned int na, nb;
	double *a = next_array(l, &na), *b = next_array(l, &nb);
	double u_want = next_double(l), p_want = next_double(l);
	double u, u2, p, p2, *ca = NULL, *cb = NULL;
	enum gvb_mwu_method used;
	int exact;

	if (l->bad || !(ca = dup_array(a, na)) || !(cb = dup_array(b, nb)))
		goto out;
	exact = !strcmp(method, "exact");
	if (exact)
		nr_mwu_exact++;
	else
		nr_mwu_asym++;

	p = gvb_mann_whitney_u_method(a, na, b, nb, GVB_MWU_AUTO, &u, &used);
	CHECK(used == (exact ? GVB_MWU_EXACT : GVB_MWU_ASYMPTOTIC),
	      "line %u: %u vs %u: used method %d, scipy's vector is %s", l->lineno, na, nb, used,
	      method);
	CHECK(u == u_want, "line %u: U %.17g, want %.17g", l->lineno, u, u_want);
	CHECK(close_rel(p, p_want, exact ? REL_EXACT : REL_ASYMPTOTIC),
	      "line %u: %s %u vs %u: p %.17g, want %.17g (rel %.3g)", l->lineno, method, na, nb, p,
	      p_want, fabs(p - p_want) / p_want);
	CHECK(gvb_mann_whitney_u(a, na, b, nb, NULL) == p, "line %u", l->lineno);
	CHECK(!memcmp(a, ca, na * sizeof(*a)) && !memcmp(b, cb, nb * sizeof(*b)),
	      "line %u: the input was modified", l->lineno);

	/* Two-sided: swapping the samples keeps p and mirrors U. */
	p2 = gvb_mann_whitney_u(b, nb, a, na, &u2);
	CHECK(p2 == p, "line %u: swapped p %.17g vs %.17g", l->lineno, p2, p);
	CHECK(u2 == (double)na * nb - u, "line %u: swapped U %g", l->lineno, u2);

	/* Forcing the approximation on an exact case: same U, a p in the same ballpark. */
	if (exact && na >= 10 && nb >= 10) {
		p2 = gvb_mann_whitney_u_method(a, na, b, nb, GVB_MWU_ASYMPTOTIC, &u2, &used);
		CHECK(used == GVB_MWU_ASYMPTOTIC && u2 == u, "line %u", l->lineno);
		CHECK(fabs(p2 - p) < 0.02 || close_rel(p2, p, 0.3),
		      "line %u: asymptotic %g vs exact %g", l->lineno, p2, p);
	}
out:
	free(ca);
	free(cb);
	free(a);
	free(b);
}

static void check_geomean(struct line *l)
{
	unsigned int n;
	double *x = next_array(l, &n), want = next_double(l), got;

	if (!l->bad) {
		nr_geomean++;
		got = gvb_geomean(x, n);
		CHECK(close_rel(got, want, REL_TIGHT), "line %u: geomean %.17g, want %.17g",
		      l->lineno, got, want);
	}
	free(x);
}

static void check_moses(struct line *l)
{
	unsigned int na, nb, k;
	double *a = next_array(l, &na), *b = next_array(l, &nb);
	double delta_want, hl_want, lo_want, hi_want, delta, lo, hi, hl, lo2, hi2, scale, p;
	struct gvb_summary sa, sb;
	int ret;

	k = next_ulong(l);
	delta_want = next_double(l);
	hl_want = next_double(l);
	lo_want = next_double(l);
	hi_want = next_double(l);
	if (l->bad)
		goto out;
	nr_moses++;
	ret = gvb_shift_ci(a, na, b, nb, &lo, &hi, &hl);
	CHECK(ret == (k ? 0 : -EDOM), "line %u: returned %d with k %u", l->lineno, ret, k);
	CHECK(gvb_median_delta_ci(a, na, b, nb, &lo2, &hi2) == ret && same(lo2, lo) &&
	      same(hi2, hi), "line %u", l->lineno);
	/* The delta printed beside the interval is the one of the summaries' medians. */
	gvb_stats_summary(a, na, &sa);
	gvb_stats_summary(b, nb, &sb);
	delta = sb.median - sa.median;
	/* Differences of values near 44 carry absolute, not relative, rounding. */
	scale = 1e-12 * (1 + fabs(a[0]) + fabs(b[0]));
	CHECK(fabs(delta - delta_want) <= scale, "line %u: delta %.17g, want %.17g", l->lineno,
	      delta, delta_want);
	CHECK(fabs(hl - hl_want) <= scale, "line %u: HL %.17g, want %.17g", l->lineno, hl,
	      hl_want);
	/* The ends are single differences b[j] - a[i], computed the same way. */
	CHECK(same(lo, lo_want) && same(hi, hi_want), "line %u: [%.17g, %.17g], want "
	      "[%.17g, %.17g]", l->lineno, lo, hi, lo_want, hi_want);
	if (!ret) {
		CHECK(lo <= hl && hl <= hi, "line %u", l->lineno);
		/* An interval excluding 0 is a significant U test, and back. */
		p = gvb_mann_whitney_u_method(a, na, b, nb, GVB_MWU_ASYMPTOTIC, NULL, NULL);
		if (lo > 0 || hi < 0)
			CHECK(p < 0.06, "line %u: CI excludes 0 but p = %g", l->lineno, p);
		else
			CHECK(p > 0.04, "line %u: CI holds 0 but p = %g", l->lineno, p);
	}
out:
	free(a);
	free(b);
}

static void check_hist_line(struct line *l)
{
	static const double ps[] = { 50, 90, 99, 99.9 };
	double *v, want[4], max_want, got;
	struct gvb_hist h;
	unsigned int n, i;

	v = next_array(l, &n);
	for (i = 0; i < 4; i++)
		want[i] = next_double(l);
	max_want = next_double(l);
	if (l->bad || gvb_hist_init(&h))
		goto out;
	nr_hist++;
	for (i = 0; i < n; i++)
		gvb_hist_record(&h, (uint64_t)v[i]);
	CHECK(gvb_hist_count(&h) == n, "line %u", l->lineno);
	for (i = 0; i < 4; i++) {
		got = gvb_hist_percentile(&h, ps[i]);
		CHECK(fabs(got - want[i]) <= want[i] * GVB_HIST_REL_PRECISION,
		      "line %u: p%g %.17g, want %.17g", l->lineno, ps[i], got, want[i]);
		if (want[i] < GVB_HIST_SUB_COUNT)
			CHECK(got == want[i], "line %u: p%g %g, want exactly %g", l->lineno, ps[i],
			      got, want[i]);
	}
	CHECK(gvb_hist_max(&h) == max_want, "line %u: max %.17g", l->lineno, gvb_hist_max(&h));
	CHECK(gvb_hist_percentile(&h, 100) == max_want, "line %u", l->lineno);
	gvb_hist_destroy(&h);
out:
	free(v);
}

static int run_vectors(const char *path)
{
	unsigned int lineno = 0;
	size_t cap = 0;
	char *buf = NULL;
	FILE *f;

	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "test_stats: cannot open the known values %s: %s\n"
			"  (pass the path of tests/data/stats_vectors.txt as the first argument)\n",
			path, strerror(errno));
		return -1;
	}
	while (getline(&buf, &cap, f) > 0) {
		struct line l = { .lineno = ++lineno };
		char *kind = strtok_r(buf, " \t\n", &l.save);

		if (!kind || kind[0] == '#')
			continue;
		if (!strcmp(kind, "ostat"))
			check_ostat(&l);
		else if (!strcmp(kind, "summary"))
			check_summary(&l);
		else if (!strcmp(kind, "mwu"))
			check_mwu(&l);
		else if (!strcmp(kind, "geomean"))
			check_geomean(&l);
		else if (!strcmp(kind, "moses"))
			check_moses(&l);
		else if (!strcmp(kind, "hist"))
			check_hist_line(&l);
		else
			l.bad = 1;
		/* A line with tokens left over is as malformed as one cut short. */
		if (!l.bad && strtok_r(NULL, " \t\n", &l.save))
			l.bad = 1;
		CHECK(!l.bad, "%s:%u: malformed line", path, lineno);
	}
	free(buf);
	fclose(f);
	printf("test_stats: %s: %u ostat, %u summary, %u+%u mwu (exact+asymptotic), %u geomean, "
	       "%u moses, %u hist\n", path, nr_ostat, nr_summary, nr_mwu_exact, nr_mwu_asym,
	       nr_geomean, nr_moses, nr_hist);
	CHECK(nr_ostat >= 200 && nr_summary >= 10 && nr_mwu_exact >= 10 && nr_mwu_asym >= 5 &&
	      nr_geomean >= 3 && nr_moses >= 5 && nr_hist >= 5, "too few vectors read from %s",
	      path);
	return 0;
}

/* ---- edge cases with values known by hand ---- */

static void test_edges(void)
{
	static const double five[] = { 5, 5, 5, 5, 5 }, one_to_three[] = { 1, 2, 3 };
	static const double four_to_six[] = { 4, 5, 6 };
	double x[3] = { 1, NAN, 3 }, u, lo, hi, hl;
	struct gvb_summary s;

	CHECK(gvb_stats_summary(one_to_three, 0, &s) == -EINVAL && isnan(s.median) && s.n == 0);
	CHECK(isnan(gvb_median(one_to_three, 0)));
	CHECK(gvb_stats_summary(x, 3, &s) == -EINVAL && isnan(s.mean));
	CHECK(gvb_median_ci_rank(0) == 0 && gvb_median_ci_rank(5) == 0 &&
	      gvb_median_ci_rank(6) == 1);
	CHECK(gvb_median_ci_coverage(7, 4) == 0, "the median alone covers nothing");
	CHECK(gvb_median_ci_coverage(7, 5) == 0, "an empty interval");

	/* Identical constant samples: no evidence at all. */
	CHECK(gvb_mann_whitney_u(five, 5, five, 3, &u) == 1.0 && u == 7.5, "U %g", u);
	CHECK(gvb_mann_whitney_u(five, 0, five, 3, NULL) == 1.0);
	CHECK(isnan(gvb_mann_whitney_u(x, 3, five, 3, &u)) && isnan(u));
	/* Fully separated, 3 vs 3: exact p = 2 / C(6, 3). */
	CHECK(close_rel(gvb_mann_whitney_u(one_to_three, 3, four_to_six, 3, &u), 0.1, 1e-15) &&
	      u == 0);
	/* 51 > GVB_MWU_EXACT_MAX: forcing exact still gives the approximation. */
	{
		double big[51];
		enum gvb_mwu_method used;
		unsigned int i;

		for (i = 0; i < 51; i++)
			big[i] = 100 + i;
		gvb_mann_whitney_u_method(big, 51, one_to_three, 3, GVB_MWU_EXACT, NULL, &used);
		CHECK(used == GVB_MWU_ASYMPTOTIC);
		gvb_mann_whitney_u_method(big, 50, one_to_three, 3, GVB_MWU_EXACT, NULL, &used);
		CHECK(used == GVB_MWU_EXACT);
		gvb_mann_whitney_u_method(five, 5, one_to_three, 3, GVB_MWU_EXACT, NULL, &used);
		CHECK(used == GVB_MWU_ASYMPTOTIC, "ties rule out the exact distribution");
	}

	CHECK(isnan(gvb_geomean(one_to_three, 0)));
	x[1] = 0;
	CHECK(isnan(gvb_geomean(x, 3)), "zero");
	x[1] = -2;
	CHECK(isnan(gvb_geomean(x, 3)), "negative");
	CHECK(close_rel(gvb_geomean(five, 5), 5, 1e-15));

	CHECK(gvb_shift_ci(five, 0, five, 5, &lo, &hi, &hl) == -EINVAL && isnan(lo) &&
	      isnan(hi) && isnan(hl));
	CHECK(gvb_median_delta_ci(five, 5, five, 5, &lo, &hi) == 0 && lo == 0 && hi == 0);
	CHECK(gvb_median_delta_ci(one_to_three, 3, four_to_six, 3, &lo, &hi) == -EDOM &&
	      isnan(lo) && isnan(hi));
	x[1] = NAN;
	CHECK(gvb_median_delta_ci(one_to_three, 3, x, 3, &lo, &hi) == -EINVAL);

	CHECK(gvb_significant(0.049, 0.05) && !gvb_significant(0.05, 0.05) &&
	      !gvb_significant(NAN, 0.05));
}

/* ---- the histogram ---- */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	return gvb_rand64(&rng_state);
}

/* Uniform in (0, 1]. */
static double rng_unit(void)
{
	return ((rng_next() >> 11) + 1) * 0x1p-53;
}

static int cmp_u64(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return (a > b) - (a < b);
}

static void test_hist_layout(void)
{
	uint64_t lo, hi, prev_hi = 0, v;
	unsigned int idx, bad = 0, i;

	for (idx = 0; idx < GVB_HIST_NR_BUCKETS; idx++) {
		gvb_hist_bucket_range(idx, &lo, &hi);
		if (lo > hi || (idx && lo != prev_hi + 1) || gvb_hist_index(lo) != idx ||
		    gvb_hist_index(hi) != idx ||
		    (double)(hi - lo + 1) > fmax(1, (double)lo / GVB_HIST_SUB_HALF))
			bad++;
		prev_hi = hi;
	}
	CHECK(!bad, "%u buckets are not contiguous, or too wide", bad);
	CHECK(prev_hi == GVB_HIST_HIGHEST, "the top bucket ends at %llu",
	      (unsigned long long)prev_hi);
	CHECK(GVB_HIST_HIGHEST > 100000000000ULL, "100 s must fit");
	for (i = 0, bad = 0; i < 100000; i++) {
		v = rng_next() >> (64 - GVB_HIST_MAX_BITS + (i % 37));
		gvb_hist_bucket_range(gvb_hist_index(v), &lo, &hi);
		bad += v < lo || v > hi;
	}
	CHECK(!bad, "%u values outside their bucket", bad);
	CHECK(gvb_hist_index(UINT64_MAX) == GVB_HIST_NR_BUCKETS - 1);
}

/* Percentiles of @v (n values) against the sorted values, by nearest rank. */
static void check_percentiles(const char *what, const struct gvb_hist *h, uint64_t *v,
			      unsigned int n)
{
	/* In units of 0.01%, so that the rank is computed in integers. */
	static const unsigned int pm[] = { 1, 100, 1000, 2500, 5000, 7500, 9000, 9900, 9990, 9999 };
	unsigned int i;

	qsort(v, n, sizeof(*v), cmp_u64);
	for (i = 0; i < sizeof(pm) / sizeof(pm[0]); i++) {
		uint64_t rank = ((uint64_t)pm[i] * n + 9999) / 10000;
		double want = (double)v[(rank ? rank : 1) - 1];
		double got = gvb_hist_percentile(h, pm[i] / 100.0);

		CHECK(fabs(got - want) <= want * GVB_HIST_REL_PRECISION,
		      "%s: p%g: %.17g, want %.17g (rel %.3g)", what, pm[i] / 100.0, got, want,
		      fabs(got - want) / want);
	}
	CHECK(gvb_hist_percentile(h, 0) == (double)v[0], "%s: min", what);
	CHECK(gvb_hist_percentile(h, 100) == (double)v[n - 1], "%s: max", what);
	CHECK(gvb_hist_max(h) == (double)v[n - 1], "%s: max %.17g, want %llu", what,
	      gvb_hist_max(h), (unsigned long long)v[n - 1]);
}

enum dist { UNIFORM, EXPONENTIAL, LOG_UNIFORM };

static uint64_t draw(enum dist d)
{
	switch (d) {
	case UNIFORM:		/* 0 .. 1 ms */
		return rng_next() % 1000000;
	case EXPONENTIAL:	/* mean 1 us */
		return (uint64_t)llround(-1000 * log(rng_unit()));
	case LOG_UNIFORM:	/* 1 ns .. 100 s: every power of two */
		return (uint64_t)llround(exp(log(1e11) * rng_unit()));
	}
	return 0;
}

static void test_hist_distribution(const char *what, enum dist d, unsigned int n)
{
	struct gvb_hist h, part[4], merged;
	unsigned int i, ok = 1;
	uint64_t *v;
	double sum = 0;

	/* CHECK_OR_RETURN evaluates its condition twice: allocate first. */
	v = malloc(n * sizeof(*v));
	ok = v && !gvb_hist_init(&h) && !gvb_hist_init(&merged);
	for (i = 0; i < 4; i++)
		ok = ok && !gvb_hist_init(&part[i]);
	CHECK_OR_RETURN(ok, , "%s: allocation", what);

	rng_state = 0x5eed0000 + d;
	for (i = 0; i < n; i++) {
		v[i] = draw(d);
		sum += (double)v[i];
		gvb_hist_record(&h, v[i]);
		gvb_hist_record(&part[i % 4], v[i]);	/* as four threads would */
	}
	CHECK(gvb_hist_count(&h) == n && close_rel(gvb_hist_mean(&h), sum / n, 1e-12), "%s", what);

	/* Merging the per-thread parts gives exactly the one histogram. */
	for (i = 0; i < 4; i++)
		gvb_hist_merge(&merged, &part[i]);
	CHECK(!memcmp(merged.counts, h.counts, GVB_HIST_NR_BUCKETS * sizeof(*h.counts)) &&
	      merged.total == h.total && merged.min == h.min && merged.max == h.max,
	      "%s: merged differs", what);
	CHECK(gvb_hist_percentile(&merged, 99.9) == gvb_hist_percentile(&h, 99.9), "%s", what);

	check_percentiles(what, &merged, v, n);

	gvb_hist_reset(&merged);
	CHECK(gvb_hist_count(&merged) == 0 && isnan(gvb_hist_percentile(&merged, 50)) &&
	      isnan(gvb_hist_max(&merged)), "%s: reset", what);
	gvb_hist_record(&merged, 7);
	CHECK(gvb_hist_percentile(&merged, 50) == 7 && gvb_hist_max(&merged) == 7, "%s", what);

	for (i = 0; i < 4; i++)
		gvb_hist_destroy(&part[i]);
	gvb_hist_destroy(&merged);
	gvb_hist_destroy(&h);
	free(v);
}

static void test_hist_edges(void)
{
	struct gvb_latency lat;
	struct gvb_hist h;
	int ret = gvb_hist_init(&h);

	CHECK_OR_RETURN(!ret, , "allocation");
	CHECK(isnan(gvb_hist_percentile(&h, 50)) && isnan(gvb_hist_mean(&h)));
	gvb_hist_to_latency(&h, 9.5, &lat);
	CHECK(!lat.present && lat.count == 0);

	gvb_hist_record_ns(&h, -5.0);	/* shorter than the timer overhead */
	gvb_hist_record_ns(&h, NAN);
	gvb_hist_record_ns(&h, 1.4);
	gvb_hist_record_ns(&h, 1.6);
	CHECK(h.min == 0 && h.max == 2 && h.counts[0] == 2 && h.counts[1] == 1 && h.counts[2] == 1);

	/* Past the range: counted in the top bucket, the max stays exact. */
	gvb_hist_record(&h, UINT64_C(1) << 40);
	CHECK(h.clamped == 1 && gvb_hist_max(&h) == 0x1p40 &&
	      h.counts[GVB_HIST_NR_BUCKETS - 1] == 1);
	CHECK(gvb_hist_percentile(&h, 100) == 0x1p40);
	CHECK(gvb_hist_percentile(&h, 99) >=
	      (double)GVB_HIST_HIGHEST * (1 - GVB_HIST_REL_PRECISION));

	gvb_hist_reset(&h);
	for (uint64_t v = 1; v <= 1000; v++)
		gvb_hist_record(&h, v);
	gvb_hist_to_latency(&h, 9.5, &lat);
	CHECK(lat.present && lat.count == 1000 && lat.timer_overhead_ns == 9.5 && lat.p50 == 500 &&
	      lat.p90 == 900 && lat.p99 == 990 && lat.p999 == 999 && lat.max == 1000,
	      "p50 %g p90 %g p99 %g p99.9 %g max %g", lat.p50, lat.p90, lat.p99, lat.p999, lat.max);
	gvb_hist_destroy(&h);
}

/* Expected p-values from scipy 1.10.1: wilcoxon(d, zero_method='wilcox', correction=True). */
static void test_wilcoxon(void)
{
	static const double d1[] = { 1.5, -0.5, 2.0, 3.1, -1.2, 0.7, 2.2, 1.1, -0.3, 0.9, 1.8, 2.5 };
	static const double d2[] = { 1, 2, 2, -1, 3, 3, 3, -2, 0, 1, 4, -4, 5 };
	static const double d3[] = {
		0.301, 0.599, 0.026, -0.591, -0.155, -0.692, 0.36, 1.64, -0.192, -0.32, 0.79,
		0.657, 0.405, -0.63, 0.271, 0.995, -1.044, -0.158, -1.601, -0.99, -1.542, 0.065,
		-0.967, 0.571, 0.457, 0.113, -2.217, -0.239, 0.251, 0.413, -1.23, -0.178, -0.679,
		-0.509, 1.361, -0.508, 0.267, 1.184, -0.284, 0.188, 0.41, 0.364, -0.925, 0.376,
		1.659, -1.247, 1.159, 0.419, -0.341, 2.3, 1.062, -0.899, 0.375, 0.877, 0.111,
		0.983, 0.233, 0.967, 1.739, -0.376,
	};
	static const double zeros[] = { 0, 0, 0 };
	double p;

	p = gvb_wilcoxon_signed_rank(d1, (sizeof(d1) / sizeof(d1[0])));
	CHECK(fabs(p - 0.020658377241239013) < 1e-9 * 0.0207, "wilcoxon d1: %.17g", p);
	p = gvb_wilcoxon_signed_rank(d2, (sizeof(d2) / sizeof(d2[0])));
	CHECK(fabs(p - 0.09778771173180648) < 1e-9 * 0.0978, "wilcoxon d2 (ties, zero): %.17g", p);
	p = gvb_wilcoxon_signed_rank(d3, (sizeof(d3) / sizeof(d3[0])));
	CHECK(fabs(p - 0.3790123569375128) < 1e-9 * 0.379, "wilcoxon d3: %.17g", p);
	CHECK(gvb_wilcoxon_signed_rank(zeros, 3) == 1.0, "all-zero differences");
}

int main(int argc, char **argv)
{
	char def[4096];
	const char *path = argv[1];

	if (argc < 2) {
		/* data/ beside this source file, wherever the build runs from */
		const char *slash = strrchr(__FILE__, '/');
		int dirlen = slash ? (int)(slash - __FILE__) : 1;

		snprintf(def, sizeof(def), "%.*s/data/stats_vectors.txt", dirlen,
			 slash ? __FILE__ : ".");
		path = def;
	}
	if (run_vectors(path))
		return 2;
	test_edges();
	test_wilcoxon();
	test_hist_layout();
	test_hist_edges();
	test_hist_distribution("uniform", UNIFORM, 200000);
	test_hist_distribution("exponential", EXPONENTIAL, 200000);
	test_hist_distribution("log-uniform", LOG_UNIFORM, 200000);
	return gvb_test_done("test_stats");
}
