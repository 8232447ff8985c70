/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Statistics for comparing benchmark samples, after benchstat: the median of
 * each configuration with a distribution-free 95% confidence interval, and
 * between two configurations the Mann-Whitney U test and a confidence
 * interval for the shift. Nothing here assumes the samples are normal:
 * benchmark timings are skewed (a floor plus a tail of interrupts and
 * migrations), so only ranks and order statistics are used.
 *
 * Inputs are arrays of finite doubles; no function modifies its input.
 * Tested against values computed with scipy (tests/data/stats_vectors.txt).
 */
#ifndef GVB_STATS_H
#define GVB_STATS_H

#include <stdbool.h>

/* One configuration's samples, summarized. */
struct gvb_summary {
	double median;
	double ci_lo, ci_hi;	/* 95% CI of the median from order statistics; NaN if n too small */
	double ci_level;	/* achieved confidence of [ci_lo, ci_hi], e.g. 0.961 */
	double mean, min, max;
	unsigned int n;
};

/* The confidence level of every interval here. */
#define GVB_STATS_CONFIDENCE	0.95
/* Phi^-1(0.975), for the normal approximations of a two-sided 95% interval. */
#define GVB_STATS_Z975		1.959963984540054
/*
 * The Mann-Whitney U test uses the exact null distribution when there are
 * no ties and neither sample is larger than this; the table it builds is
 * (min(na, nb) + 1) * (na * nb + 1) doubles, 1 MiB at 50 x 50.
 */
#define GVB_MWU_EXACT_MAX	50

/*
 * Median, mean, min, max and n of @x[0..n), and the 95% confidence interval
 * of the median from order statistics: [x(k), x(n-k+1)] (1-based, sorted)
 * for the largest k whose coverage 1 - 2 * P(Binomial(n, 1/2) <= k - 1) is
 * at least 0.95. This needs no assumption about the distribution; ci_level
 * is the coverage actually achieved (0.961 for n = 10, not exactly 0.95).
 * For n < 6 even [min, max] covers less than 95%: ci_lo and ci_hi are then
 * NaN and ci_level is the coverage of [min, max], 1 - 2^(1-n).
 *
 * Returns 0, -EINVAL when n == 0 or a value is NaN (@out is then all NaN
 * with n set), or -ENOMEM (it sorts a copy).
 */
int gvb_stats_summary(const double *x, unsigned int n, struct gvb_summary *out);

/* The median alone (mean of the two middle values for even n); NaN if n == 0. */
double gvb_median(const double *x, unsigned int n);

/*
 * The coverage of [x(k), x(n-k+1)] as an interval for the median, and the
 * k that gvb_stats_summary() picks (0 when n < 6). Exposed for the tests.
 */
double gvb_median_ci_coverage(unsigned int n, unsigned int k);
unsigned int gvb_median_ci_rank(unsigned int n);

enum gvb_mwu_method {
	GVB_MWU_AUTO,		/* exact if no ties and na, nb <= GVB_MWU_EXACT_MAX */
	GVB_MWU_EXACT,		/* forced, still only without ties and within the limit */
	GVB_MWU_ASYMPTOTIC,
};

/*
 * Two-sided p-value of the Mann-Whitney U test (Wilcoxon rank-sum) of @a
 * against @b, the probability under "both samples come from the same
 * distribution" of a U at least as far from na * nb / 2 as the observed one.
 *
 * Exact: with no ties in the pooled sample and na, nb <= GVB_MWU_EXACT_MAX,
 * the null distribution of U is counted exactly (every assignment of ranks
 * to the two samples is equally likely) and p = 2 * P(U >= max(U1, U2)),
 * capped at 1, as scipy.stats.mannwhitneyu(method='exact').
 *
 * Asymptotic otherwise: U is taken as normal with mean na * nb / 2 and the
 * tie-corrected variance na * nb / 12 * ((N + 1) - sum(t^3 - t) / (N (N - 1))),
 * N = na + nb, t the size of each group of tied values, with a continuity
 * correction of 0.5, as scipy.stats.mannwhitneyu(method='asymptotic',
 * use_continuity=True).
 *
 * *@u_out (may be NULL) is U1 = #{(i, j): a[i] > b[j]} + #{a[i] == b[j]} / 2,
 * scipy's statistic for its first argument. Degenerate inputs (an empty
 * sample, or every value of both samples equal) give p = 1.0. Returns NaN
 * (and U NaN) if a value is NaN or the table cannot be allocated.
 */
double gvb_mann_whitney_u(const double *a, unsigned int na, const double *b, unsigned int nb,
			  double *u_out);
/* The same with the method chosen; *@used (may be NULL) says which one ran. */
double gvb_mann_whitney_u_method(const double *a, unsigned int na, const double *b,
				 unsigned int nb, enum gvb_mwu_method method, double *u_out,
				 enum gvb_mwu_method *used);

/* exp(mean(log x)); NaN if n == 0 or any x <= 0 (or NaN). */
double gvb_geomean(const double *x, unsigned int n);

/*
 * Two-sided Wilcoxon signed-rank test of paired differences @d against 0:
 * zeros dropped, average ranks for ties, normal approximation with tie and
 * continuity correction (scipy.stats.wilcoxon with zero_method='wilcox',
 * correction=True, method='approx'). 1.0 when no difference is nonzero.
 * The runner interleaves cases round by round, so sample r of two cases
 * were taken moments apart: pairing them cancels drift that both share.
 */
double gvb_wilcoxon_signed_rank(const double *d, unsigned int n);

/*
 * The shift of paired differences @d that the signed-rank test tests, and
 * its 95% interval (Tukey; Hollander & Wolfe, section 3.2), so that the
 * estimate, its CI and gvb_wilcoxon_signed_rank() agree: zeros dropped as
 * the test drops them, the m(m+1)/2 Walsh averages (d[i] + d[j]) / 2,
 * i <= j, of the m nonzero differences sorted; *@hl their median (the
 * one-sample Hodges-Lehmann estimate), the interval [A(k), A(N + 1 - k)]
 * with k = floor(m(m+1)/4 + 0.5 - 1.959963984540054 * sigma), sigma the
 * test's tie-corrected standard deviation. All differences zero: 0, [0, 0].
 *
 * Returns 0; -EDOM when k < 1 (too few pairs: *@hl set, the CI NaN);
 * -E2BIG past GVB_WALSH_MAX nonzero differences (the averages would not
 * fit: nothing set); -EINVAL for a NaN; -ENOMEM.
 */
#define GVB_WALSH_MAX	4096
int gvb_signed_rank_shift(const double *d, unsigned int n, double *hl, double *lo, double *hi);

/*
 * A 95% confidence interval for the shift between @base and @new, new - base,
 * so that a comparison can print "delta +2.1 ns [1.4, 2.9]".
 *
 * Method (Moses 1965; Hollander & Wolfe, Nonparametric Statistical Methods,
 * section 4.3): sort the nb * nn pairwise differences D = new[j] - base[i].
 * Their median is the Hodges-Lehmann estimate of the shift. The interval is
 * [D(k), D(nb*nn + 1 - k)] (1-based), where k is the rank cut of the U test:
 * the number of differences below the true shift is distributed as U, so
 * the interval covers it with probability 1 - 2 * P(U <= k - 1). k comes
 * from the same normal approximation as gvb_mann_whitney_u() (tie-corrected
 * variance sigma^2, continuity correction), taking the largest k with
 * Phi((k - 1 + 0.5 - nb*nn/2) / sigma) <= 0.025:
 *	k = floor(nb * nn / 2 + 0.5 - 1.959963984540054 * sigma)
 * It is distribution-free (only a shift between the two distributions is
 * assumed), and agrees with the sign of a significant U test.
 *
 * *@lo and *@hi get the interval; gvb_shift_ci() also gives the
 * Hodges-Lehmann estimate in *@hl (may be NULL). The delta printed beside
 * the interval is median(new) - median(base), from gvb_stats_summary().
 *
 * Returns 0; -EDOM when k < 1 (too few samples, e.g. 3 vs 3: *@lo and *@hi
 * are NaN, *@hl is still set); -EINVAL for an empty sample or a NaN (all
 * outputs NaN); -ENOMEM (it allocates nbase * nnew doubles).
 */
int gvb_median_delta_ci(const double *base, unsigned int nbase, const double *new,
			unsigned int nnew, double *lo, double *hi);
int gvb_shift_ci(const double *base, unsigned int nbase, const double *new, unsigned int nnew,
		 double *lo, double *hi, double *hl);

/* p < alpha: the difference is significant at level alpha (NaN never is). */
bool gvb_significant(double p, double alpha);

#endif /* GVB_STATS_H */
