// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The decisions under compare, report and plot, one by one: significance
 * at the alpha boundary (p < alpha, from the exact U test), how a p-value
 * near alpha is printed, unit scaling, the 75-column wrapping, and the case
 * name helpers. The golden files of compare_report.sh show the same things
 * in context; this says which function is wrong when one of them changes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gvb_test.h"
#include "result/resultset.h"
#include "stats/stats.h"

static void make_case(struct gvb_case *c, const double *x, unsigned int n)
{
	unsigned int i;

	memset(c, 0, sizeof(*c));
	c->nsamples = n;
	c->ns_per_op = calloc(n, sizeof(double));
	c->cpu_ns_per_op = calloc(n, sizeof(double));
	c->ops_per_sec = calloc(n, sizeof(double));
	for (i = 0; i < n; i++) {
		c->ns_per_op[i] = x[i];
		c->cpu_ns_per_op[i] = x[i];
		c->ops_per_sec[i] = 1e9 / x[i];
	}
}

static void free_case(struct gvb_case *c)
{
	free(c->ns_per_op);
	free(c->cpu_ns_per_op);
	free(c->ops_per_sec);
}

/* 10 vs 10 with U = 23 (p = 0.04326) and U = 24 (p = 0.05243), exact. */
static void test_alpha_boundary(void)
{
	static const double base[10] = { 900, 910, 920, 930, 940, 950, 960, 970, 980, 990 };
	static const double u23[10] = { 945, 955, 963, 967, 973, 977, 982, 984, 986, 988 };
	static const double u24[10] = { 945, 955, 963, 967, 973, 977, 979, 982, 986, 988 };
	struct gvb_case b, n1, n2;
	struct gvb_delta d;

	make_case(&b, base, 10);
	make_case(&n1, u23, 10);
	make_case(&n2, u24, 10);

	/* Unpaired (two runs): Mann-Whitney U and the Hodges-Lehmann shift. */
	CHECK(!gvb_delta_compute(&b, &n1, GVB_METRIC_NS, 0.05, false, &d));
	CHECK(d.design == GVB_DESIGN_UNPAIRED);
	CHECK(fabs(d.p - 0.04325705254497824) < 1e-12, "p %.17g", d.p);
	CHECK(d.significant && gvb_delta_verdict(&d) == 1);
	CHECK(d.n == 10 && d.base.median == 945 && d.new.median == 975);
	CHECK(fabs(d.delta - 26.5) < 1e-12, "delta %.17g", d.delta);
	CHECK(fabs(d.pct - 100.0 * 26.5 / 945) < 1e-12);
	CHECK(d.ci_lo <= d.delta && d.delta <= d.ci_hi && isfinite(d.ci_lo));
	/* The same p at a lower alpha: not significant any more, the same estimate. */
	CHECK(!gvb_delta_compute(&b, &n1, GVB_METRIC_NS, 0.04, false, &d));
	CHECK(!d.significant && gvb_delta_verdict(&d) == 0 && fabs(d.delta - 26.5) < 1e-12);
	/* p == alpha is not significant: the test is p < alpha. */
	CHECK(!gvb_delta_compute(&b, &n1, GVB_METRIC_NS, 0.04325705254497824, false, &d));
	CHECK(!d.significant);

	/*
	 * Paired by round (one interleaved run): the differences are
	 * 45 45 43 37 33 27 22 14 6 -2; the median of their 55 Walsh averages
	 * is 27.5, the interval [A(k), A(56 - k)] = [14, 41] with k = 8 (sigma =
	 * sqrt(10 * 11 * 21 / 24 - 6 / 48): the pair 45, 45 is a tie), computed
	 * apart with numpy; scipy.stats.wilcoxon(d,
	 * correction=True, method='approx') p = 0.00800430976224057.
	 */
	CHECK(!gvb_delta_compute(&b, &n1, GVB_METRIC_NS, 0.05, true, &d));
	CHECK(d.design == GVB_DESIGN_PAIRED && d.n == 10);
	CHECK(d.delta == 27.5 && d.ci_lo == 14 && d.ci_hi == 41,
	      "%g [%g, %g]", d.delta, d.ci_lo, d.ci_hi);
	CHECK(fabs(d.p - 0.00800430976224057) < 1e-12, "p %.17g", d.p);
	CHECK(d.significant);

	CHECK(!gvb_delta_compute(&b, &n2, GVB_METRIC_NS, 0.05, false, &d));
	CHECK(fabs(d.p - 0.05242590227110351) < 1e-12, "p %.17g", d.p);
	CHECK(!d.significant && gvb_delta_verdict(&d) == 0);

	/* A null sample is left out, not read as 0. */
	n2.ns_per_op[3] = NAN;
	CHECK(!gvb_delta_compute(&b, &n2, GVB_METRIC_NS, 0.05, false, &d));
	CHECK(d.n == 9 && d.new.n == 9 && d.base.n == 10);
	/* Paired, the round with the null sample goes as a whole. */
	CHECK(!gvb_delta_compute(&b, &n2, GVB_METRIC_NS, 0.05, true, &d));
	CHECK(d.design == GVB_DESIGN_PAIRED && d.n == 9);
	/* Unequal sample counts cannot pair: the unpaired design, and it says so. */
	n2.nsamples = 9;
	CHECK(!gvb_delta_compute(&b, &n2, GVB_METRIC_NS, 0.05, true, &d));
	CHECK(d.design == GVB_DESIGN_UNPAIRED);
	n2.nsamples = 10;
	free_case(&b);
	free_case(&n1);
	free_case(&n2);
}

/*
 * The paired shift's edges: no difference; too few pairs for a CI (the
 * Walsh averages of 1 2 4 are 1 1.5 2 2.5 3 4); too many to hold them.
 */
static void test_signed_rank_shift(void)
{
	static const double zeros[4] = { 0, 0, 0, 0 }, three[3] = { 1, 2, 4 };
	double hl, lo, hi, *many = malloc((GVB_WALSH_MAX + 1) * sizeof(*many));
	unsigned int i;

	CHECK(!gvb_signed_rank_shift(zeros, 4, &hl, &lo, &hi) && hl == 0 && lo == 0 && hi == 0);
	CHECK(gvb_signed_rank_shift(three, 3, &hl, &lo, &hi) == -EDOM && hl == 2.25 && isnan(lo),
	      "hl %g", hl);
	CHECK_OR_RETURN(many != NULL, , "out of memory");
	for (i = 0; i <= GVB_WALSH_MAX; i++)
		many[i] = i + 1;
	CHECK(gvb_signed_rank_shift(many, GVB_WALSH_MAX + 1, &hl, &lo, &hi) == -E2BIG);
	free(many);
}

/* Which cases of one file pair by round. */
static void test_pairs_with(void)
{
	static const double x[6] = { 1, 2, 3, 4, 5, 6 };
	struct gvb_case a, b;

	make_case(&a, x, 6);
	make_case(&b, x, 6);
	snprintf(a.name, sizeof(a.name), "map-unmap-4K/resv/t1");
	snprintf(b.name, sizeof(b.name), "map-unmap-4K/gpuva/t1");
	/* Files without groups: the same key and sample count, as run and sweep grouped. */
	a.group = b.group = -1;
	CHECK(gvb_case_pairs_with(&a, &b));
	snprintf(b.name, sizeof(b.name), "map-unmap-4K/gpuva/t2");
	CHECK(!gvb_case_pairs_with(&a, &b));
	/* Recorded groups decide, whatever the names. */
	a.group = b.group = 4;
	CHECK(gvb_case_pairs_with(&a, &b));
	b.group = 8;
	CHECK(!gvb_case_pairs_with(&a, &b));
	b.group = 4;
	b.nsamples = 5;
	CHECK(!gvb_case_pairs_with(&a, &b));
	b.nsamples = 6;
	free_case(&a);
	free_case(&b);
}

static void check_p(double p, double alpha, const char *want)
{
	char buf[32];

	gvb_fmt_p(buf, sizeof(buf), p, alpha);
	CHECK(!strcmp(buf, want), "p %g alpha %g: \"%s\", expected \"%s\"", p, alpha, buf, want);
}

static void test_fmt_p(void)
{
	check_p(0.002, 0.05, "0.002");
	check_p(0.45, 0.05, "0.450");
	check_p(0.0001, 0.05, "0.000");
	check_p(0.049883449883449886, 0.05, "0.0499");	/* "0.050" would read as >= alpha */
	check_p(0.0501, 0.05, "0.0501");		/* "0.050" would read as == alpha */
	check_p(0.05, 0.05, "0.050");			/* exactly alpha: as it is */
	check_p(0.0524, 0.05, "0.052");
	check_p(0.0104, 0.01, "0.0104");
	check_p(0.00005, 0.0001, "0.000");
	check_p(0.00015, 0.0001, "0.00015");		/* "0.0001" would equal alpha */
	check_p(NAN, 0.05, "?");
}

static void check_time(double ns, const char *want)
{
	char buf[32];

	gvb_fmt_time(buf, sizeof(buf), ns, gvb_unit_for(ns), false);
	CHECK(!strcmp(buf, want), "%g ns: \"%s\", expected \"%s\"", ns, buf, want);
}

static void test_units(void)
{
	char buf[32];
	struct gvb_summary s = { .median = 100, .ci_lo = 95, .ci_hi = 113 };

	check_time(882.97, "883.0ns");
	check_time(15.2, "15.20ns");
	check_time(0.2646, "0.265ns");
	check_time(2043, "2.043us");
	check_time(47200, "47.20us");
	check_time(1234567, "1.235ms");
	check_time(2.5e9, "2.500s");
	check_time(NAN, "-");
	/* One unit for a column: ns even where us would fit. */
	gvb_fmt_time(buf, sizeof(buf), 2592.4, gvb_unit_for(883), false);
	CHECK(!strcmp(buf, "2592ns"), "%s", buf);
	gvb_fmt_time(buf, sizeof(buf), -55.84, gvb_unit_for(55.84), true);
	CHECK(!strcmp(buf, "-55.84ns"), "%s", buf);
	gvb_fmt_time3(buf, sizeof(buf), 55.84, true);
	CHECK(!strcmp(buf, "+55.8ns"), "%s", buf);
	gvb_fmt_time3(buf, sizeof(buf), -1234, true);
	CHECK(!strcmp(buf, "-1.23us"), "%s", buf);

	gvb_fmt_ci_pct(buf, sizeof(buf), &s);
	CHECK(!strcmp(buf, "13%"), "%s", buf);	/* the larger half-width */
	s.ci_hi = 104;
	gvb_fmt_ci_pct(buf, sizeof(buf), &s);
	CHECK(!strcmp(buf, "5.0%"), "%s", buf);
	s.ci_lo = NAN;
	gvb_fmt_ci_pct(buf, sizeof(buf), &s);
	CHECK(!strcmp(buf, "?"), "%s", buf);
}

static void test_wrap(void)
{
	static const char cmd[] = "build/release/bin/gvbench run -w map-unmap -t 1,2,4 "
		"--samples 30 --batch-ms 2 -o results/some/long/path/to/a/result.json "
		"--seed 12345";
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0;
	unsigned int lines = 0;
	FILE *f = open_memstream(&buf, &len);

	CHECK_OR_RETURN(f, );
	gvb_print_wrapped(f, "  ", "      ", cmd, true);
	fclose(f);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t n = strlen(line);

		lines++;
		CHECK(n <= GVB_TEXT_WIDTH, "line %u: %zu columns", lines, n);
		/* Every line but the last continues the command for a shell. */
		CHECK((n >= 2 && !strcmp(line + n - 2, " \\")) == (save && *save), "line %u: %s",
		      lines, line);
	}
	CHECK(lines == 2, "%u lines", lines);
	free(buf);
}

static void test_names(void)
{
	char buf[160];

	gvb_name_group(buf, sizeof(buf), "map-unmap-4K/gpuva+deferred/t4");
	CHECK(!strcmp(buf, "map-unmap-4K"), "%s", buf);
	CHECK(!strcmp(gvb_name_rest("map-unmap-4K/gpuva/t4"), "gpuva/t4"));
	CHECK(!gvb_name_without_strategy(buf, sizeof(buf), "shared-bo/resv+gpuva/t2"));
	CHECK(!strcmp(buf, "shared-bo/t2"), "%s", buf);
	CHECK(gvb_name_without_strategy(buf, sizeof(buf), "no-strategy") == -1);
	gvb_name_group(buf, sizeof(buf), "plain");
	CHECK(!strcmp(buf, ""), "%s", buf);
}

int main(void)
{
	test_alpha_boundary();
	test_pairs_with();
	test_signed_rank_shift();
	test_fmt_p();
	test_units();
	test_wrap();
	test_names();
	return gvb_test_done("test_resultset");
}
