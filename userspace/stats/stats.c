// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Statistics for comparing benchmark samples; see stats.h for the methods.
 * The formulas follow scipy.stats where scipy has the same test, operation
 * for operation where that matters for the last bits (the tie-corrected
 * sigma), so that the vectors in tests/data/stats_vectors.txt can be met to
 * 1e-9 and better.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stats/stats.h"

static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return (a > b) - (a < b);
}

static bool any_nan(const double *x, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (isnan(x[i]))
			return true;
	return false;
}

/* NULL on allocation failure; the caller frees. */
static double *sorted_copy(const double *x, unsigned int n)
{
	double *s = malloc((n ? n : 1) * sizeof(*s));

	if (!s)
		return NULL;
	memcpy(s, x, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	return s;
}

/* Of a sorted array, n >= 1: the mean of the two middle values for even n. */
static double median_sorted(const double *s, size_t n)
{
	if (n & 1)
		return s[n / 2];
	return (s[n / 2 - 1] + s[n / 2]) / 2;
}

/*
 * P(Binomial(n, 1/2) = i) walked from i = 0 in log space: 2^-n underflows
 * even a long double past n ~ 16000, and the recurrence costs one log per
 * step instead of three lgamma calls.
 */
struct binom_half {
	unsigned int n, i;
	long double log_pmf;
};

static void binom_half_start(struct binom_half *b, unsigned int n)
{
	b->n = n;
	b->i = 0;
	b->log_pmf = -(long double)n * logl(2.0L);
}

/* Returns P(B = i) and moves on to i + 1. */
static long double binom_half_next(struct binom_half *b)
{
	long double pmf = expl(b->log_pmf);

	if (b->i < b->n)
		b->log_pmf += logl((long double)(b->n - b->i) / (b->i + 1));
	b->i++;
	return pmf;
}

double gvb_median_ci_coverage(unsigned int n, unsigned int k)
{
	struct binom_half b;
	long double cdf = 0;
	unsigned int i;

	if (k == 0 || n == 0)
		return NAN;
	if (2 * (unsigned long)k > (unsigned long)n + 1)	/* x(k) above x(n-k+1): empty */
		return 0;
	binom_half_start(&b, n);
	for (i = 0; i < k; i++)
		cdf += binom_half_next(&b);
	/* For odd n and k = (n + 1) / 2 this is 1 - 2 * 0.5: the median alone covers nothing. */
	return (double)fmaxl(0, 1 - 2 * cdf);
}

unsigned int gvb_median_ci_rank(unsigned int n)
{
	long double alpha2 = (1 - (long double)GVB_STATS_CONFIDENCE) / 2, cdf = 0;
	struct binom_half b;
	unsigned int i, k = 0;

	/*
	 * [x(k), x(n-k+1)] misses the median when k - 1 or fewer samples lie
	 * below it, or as many above: coverage 1 - 2 * P(B <= k - 1). Widen
	 * from k = 1 while the coverage stays >= 95%; it never reaches a tie
	 * with 0.025 since that is not a multiple of 2^-n.
	 */
	binom_half_start(&b, n);
	for (i = 0; 2 * i < n; i++) {
		cdf += binom_half_next(&b);	/* P(B <= i) */
		if (cdf > alpha2)
			break;
		k = i + 1;
	}
	return k;
}

double gvb_median(const double *x, unsigned int n)
{
	double *s, m;

	if (!n)
		return NAN;
	s = sorted_copy(x, n);
	if (!s)
		return NAN;
	m = median_sorted(s, n);
	free(s);
	return m;
}

int gvb_stats_summary(const double *x, unsigned int n, struct gvb_summary *out)
{
	long double sum = 0;
	unsigned int i, k;
	double *s;

	out->median = out->ci_lo = out->ci_hi = out->ci_level = NAN;
	out->mean = out->min = out->max = NAN;
	out->n = n;
	if (!n || any_nan(x, n))
		return -EINVAL;
	s = sorted_copy(x, n);
	if (!s)
		return -ENOMEM;

	for (i = 0; i < n; i++)
		sum += s[i];
	out->mean = (double)(sum / n);
	out->min = s[0];
	out->max = s[n - 1];
	out->median = median_sorted(s, n);

	k = gvb_median_ci_rank(n);
	if (k) {
		out->ci_lo = s[k - 1];
		out->ci_hi = s[n - k];
		out->ci_level = gvb_median_ci_coverage(n, k);
	} else {
		/* Too few samples for 95%: say how much [min, max] would cover. */
		out->ci_level = gvb_median_ci_coverage(n, 1);
	}
	free(s);
	return 0;
}

struct pooled {
	double v;
	bool in_a;
};

static int cmp_pooled(const void *pa, const void *pb)
{
	const struct pooled *a = pa, *b = pb;

	return (a->v > b->v) - (a->v < b->v);
}

/*
 * Ranks of the pooled sample, ties getting the mean of their ranks. Gives
 * U1 = R1 - na (na + 1) / 2 (R1 the rank sum of @a), the tie term
 * sum(t^3 - t) over groups of t tied values, and the number of groups.
 * Every rank is a half-integer and the sums stay far below 2^53, so all
 * three are exact.
 */
static int pooled_ranks(const double *a, unsigned int na, const double *b, unsigned int nb,
			double *u1, double *tie_term, size_t *groups)
{
	size_t n = (size_t)na + nb, i, j;
	double r1 = 0, ties = 0;
	struct pooled *p;

	p = malloc(n * sizeof(*p));
	if (!p)
		return -ENOMEM;
	for (i = 0; i < na; i++)
		p[i] = (struct pooled){ a[i], true };
	for (i = 0; i < nb; i++)
		p[na + i] = (struct pooled){ b[i], false };
	qsort(p, n, sizeof(*p), cmp_pooled);

	*groups = 0;
	for (i = 0; i < n; i = j) {
		double t, rank;
		size_t in_a = 0;

		for (j = i; j < n && p[j].v == p[i].v; j++)
			in_a += p[j].in_a;
		t = (double)(j - i);
		rank = ((double)(i + 1) + (double)j) / 2;	/* mean of ranks i+1 .. j */
		r1 += rank * (double)in_a;
		ties += t * t * t - t;
		(*groups)++;
	}
	free(p);
	*u1 = r1 - (double)na * (na + 1) / 2;
	*tie_term = ties;
	return 0;
}

/* The standard deviation of U under H0, tie-corrected, in scipy's operation order. */
static double mwu_sigma(unsigned int na, unsigned int nb, double tie_term)
{
	double n1 = na, n2 = nb, n = n1 + n2;

	return sqrt(n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1))));
}

/*
 * P(U <= u) for sample sizes m and n, no ties, counted exactly. With c(i,
 * j, u) the number of orderings of i a's and j b's with U = u: the largest
 * of the i + j values is either an a, which beats all j b's, or a b, which
 * beats nothing, so c(i, j, u) = c(i - 1, j, u - j) + c(i, j - 1, u). One
 * row per i is kept and updated in place as j grows. Only additions of
 * positive numbers: the counts (up to C(100, 50) ~ 1e29) carry a relative
 * error of about (m + n) ulps, far below what the tests ask.
 */
static double mwu_exact_cdf(unsigned int m, unsigned int n, unsigned int u)
{
	size_t width, i, j, v;
	long double below = 0, total = 0;
	double *c;

	if (m > n) {	/* the distribution is symmetric in (m, n): keep fewer rows */
		unsigned int t = m;

		m = n;
		n = t;
	}
	width = (size_t)m * n + 1;
	c = calloc((m + 1) * width, sizeof(*c));
	if (!c)
		return NAN;
	for (i = 0; i <= m; i++)
		c[i * width] = 1;	/* c(i, 0, 0) = 1 */
	for (j = 1; j <= n; j++)
		for (i = 1; i <= m; i++) {
			double *row = c + i * width;
			const double *prev = c + (i - 1) * width;

			/* c(i - 1, j, .) reaches (i - 1) j; shifted by j it ends at i j. */
			for (v = 0; v <= (i - 1) * j; v++)
				row[v + j] += prev[v];
		}
	for (v = 0; v < width; v++) {
		total += c[m * width + v];
		if (v <= u)
			below += c[m * width + v];
	}
	free(c);
	return (double)(below / total);
}

double gvb_mann_whitney_u_method(const double *a, unsigned int na, const double *b,
				 unsigned int nb, enum gvb_mwu_method method, double *u_out,
				 enum gvb_mwu_method *used)
{
	double u1, u, tie_term, p, mu, sigma, z;
	size_t groups;

	if (u_out)
		*u_out = NAN;
	if (used)
		*used = GVB_MWU_ASYMPTOTIC;
	if (any_nan(a, na) || any_nan(b, nb))
		return NAN;
	if (!na || !nb)
		return 1.0;
	if (pooled_ranks(a, na, b, nb, &u1, &tie_term, &groups))
		return NAN;
	if (u_out)
		*u_out = u1;
	if (groups == 1)	/* every value equal: no evidence either way */
		return 1.0;

	/* Two-sided: the tail beyond the larger of U1 and U2 = na nb - U1, doubled. */
	u = fmax(u1, (double)na * nb - u1);
	if (method != GVB_MWU_ASYMPTOTIC && tie_term == 0 &&
	    na <= GVB_MWU_EXACT_MAX && nb <= GVB_MWU_EXACT_MAX) {
		/* P(U >= u) = P(U <= na nb - u) by symmetry; the short tail sums best. */
		p = 2 * mwu_exact_cdf(na, nb, (unsigned int)((double)na * nb - u));
		if (used)
			*used = GVB_MWU_EXACT;
	} else {
		mu = (double)na * nb / 2;
		sigma = mwu_sigma(na, nb, tie_term);
		/*
		 * Continuity correction: U is discrete, and the tail must keep
		 * the mass at u itself, so the distance shrinks by 0.5.
		 */
		z = (u - mu - 0.5) / sigma;
		p = erfc(z / M_SQRT2);	/* 2 * (1 - Phi(z)) */
	}
	if (isnan(p))
		return NAN;
	/* u = na nb / 2 counts the middle mass twice: p can exceed 1. */
	return fmin(fmax(p, 0), 1);
}

double gvb_mann_whitney_u(const double *a, unsigned int na, const double *b, unsigned int nb,
			  double *u_out)
{
	return gvb_mann_whitney_u_method(a, na, b, nb, GVB_MWU_AUTO, u_out, NULL);
}

static int cmp_abs(const void *a, const void *b)
{
	double x = fabs(*(const double *)a), y = fabs(*(const double *)b);

	return x < y ? -1 : x > y;
}

double gvb_wilcoxon_signed_rank(const double *d, unsigned int n)
{
	double *v = malloc(sizeof(*v) * (n ? n : 1));
	double r_plus = 0, tie_term = 0, mean, var, z;
	unsigned int i, j, m = 0;

	if (!v)
		return NAN;
	for (i = 0; i < n; i++)
		if (d[i] != 0)
			v[m++] = d[i];
	if (!m) {
		free(v);
		return 1.0;
	}
	qsort(v, m, sizeof(*v), cmp_abs);
	for (i = 0; i < m; i = j) {
		double rank;

		for (j = i + 1; j < m && fabs(v[j]) == fabs(v[i]); j++)
			;
		rank = (i + 1 + j) / 2.0;	/* average of ranks i+1 .. j */
		tie_term += (double)(j - i) * (j - i) * (j - i) - (j - i);
		for (unsigned int k = i; k < j; k++)
			if (v[k] > 0)
				r_plus += rank;
	}
	free(v);
	mean = m * (m + 1.0) / 4.0;
	var = m * (m + 1.0) * (2.0 * m + 1.0) / 24.0 - tie_term / 48.0;
	if (var <= 0)
		return 1.0;
	z = r_plus - mean;
	z -= z > 0 ? 0.5 : z < 0 ? -0.5 : 0;	/* continuity correction */
	return fmin(1.0, erfc(fabs(z) / sqrt(var) / M_SQRT2));
}

int gvb_signed_rank_shift(const double *d, unsigned int n, double *hl, double *lo, double *hi)
{
	double *v, *w, tie_term = 0, sigma, cut;
	size_t m = 0, nw, i, j, k;

	*hl = *lo = *hi = NAN;
	if (any_nan(d, n))
		return -EINVAL;
	v = malloc(sizeof(*v) * (n ? n : 1));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (d[i] != 0)
			v[m++] = d[i];
	if (!m) {		/* no difference at all: the shift is exactly 0 */
		free(v);
		*hl = *lo = *hi = 0;
		return 0;
	}
	if (m > GVB_WALSH_MAX) {
		free(v);
		return -E2BIG;
	}
	/* The tie term of the test's variance, over |d| as the test ranks them. */
	qsort(v, m, sizeof(*v), cmp_abs);
	for (i = 0; i < m; i = j) {
		for (j = i + 1; j < m && fabs(v[j]) == fabs(v[i]); j++)
			;
		tie_term += (double)(j - i) * (j - i) * (j - i) - (j - i);
	}
	nw = m * (m + 1) / 2;
	w = malloc(sizeof(*w) * nw);
	if (!w) {
		free(v);
		return -ENOMEM;
	}
	for (i = 0, k = 0; i < m; i++)
		for (j = i; j < m; j++)
			w[k++] = (v[i] + v[j]) / 2;
	free(v);
	qsort(w, nw, sizeof(*w), cmp_double);
	*hl = median_sorted(w, nw);
	sigma = sqrt(m * (m + 1.0) * (2.0 * m + 1.0) / 24.0 - tie_term / 48.0);
	cut = floor(m * (m + 1.0) / 4.0 + 0.5 - GVB_STATS_Z975 * sigma);
	if (cut < 1) {
		free(w);
		return -EDOM;
	}
	*lo = w[(size_t)cut - 1];
	*hi = w[nw - (size_t)cut];
	free(w);
	return 0;
}

double gvb_geomean(const double *x, unsigned int n)
{
	long double sum = 0;
	unsigned int i;

	if (!n)
		return NAN;
	for (i = 0; i < n; i++) {
		if (!(x[i] > 0))	/* also catches NaN */
			return NAN;
		sum += logl(x[i]);
	}
	return (double)expl(sum / n);
}

/* Doubles in the order of their values as unsigned integers, and back. */
static uint64_t dbl_key(double x)
{
	uint64_t b;

	memcpy(&b, &x, sizeof(b));
	return b >> 63 ? ~b : b | 1ULL << 63;
}

static double key_dbl(uint64_t k)
{
	uint64_t b = k >> 63 ? k & ~(1ULL << 63) : ~k;
	double x;

	memcpy(&x, &b, sizeof(x));
	return x;
}

/*
 * The k-th smallest (1-based) of the nb nn differences new[j] - base[i],
 * both arrays sorted, without forming them: the smallest double t that at
 * least k differences do not exceed, found by bisecting over the doubles
 * (64 steps of one O(nb + nn) count each). The differences are computed
 * exactly as a sort of all of them would, so the result is that sort's.
 */
static double shift_kth(const double *base, size_t nb, const double *new, size_t nn, size_t k)
{
	uint64_t lo = dbl_key(new[0] - base[nb - 1]), hi = dbl_key(new[nn - 1] - base[0]);

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		double t = key_dbl(mid);
		size_t i, j = 0, count = 0;

		/* new[j] - base[i] falls as i grows: the boundary j only moves up. */
		for (i = 0; i < nb; i++) {
			while (j < nn && new[j] - base[i] <= t)
				j++;
			count += j;
		}
		if (count >= k)
			hi = mid;
		else
			lo = mid + 1;
	}
	return key_dbl(lo) + 0.0;	/* -0.0 and 0.0 count alike: print 0 */
}

int gvb_shift_ci(const double *base, unsigned int nbase, const double *new, unsigned int nnew,
		 double *lo, double *hi, double *hl)
{
	double *b = NULL, *n = NULL, u1, tie_term, sigma, cut;
	size_t groups, nd = (size_t)nbase * nnew, k, i;
	int ret = -ENOMEM;

	*lo = *hi = NAN;
	if (hl)
		*hl = NAN;
	if (!nbase || !nnew || any_nan(base, nbase) || any_nan(new, nnew))
		return -EINVAL;
	/* Infinite samples would make differences NaN; no measurement is infinite. */
	for (i = 0; i < nbase + nnew; i++)
		if (isinf(i < nbase ? base[i] : new[i - nbase]))
			return -EINVAL;
	b = sorted_copy(base, nbase);
	n = sorted_copy(new, nnew);
	if (!b || !n)
		goto out;
	if (pooled_ranks(base, nbase, new, nnew, &u1, &tie_term, &groups))
		goto out;

	/*
	 * The nbase nnew pairwise differences are never formed: their order
	 * statistics come from shift_kth(), so many samples cost linear
	 * memory (the differences of 10^5 samples a side would take 80 GB).
	 */
	if (hl)
		*hl = nd & 1 ? shift_kth(b, nbase, n, nnew, nd / 2 + 1) :
		      (shift_kth(b, nbase, n, nnew, nd / 2) +
		       shift_kth(b, nbase, n, nnew, nd / 2 + 1)) / 2;

	/*
	 * The rank cut, as stats.h derives it. Evaluated exactly so in the
	 * generator of the test vectors, so the two agree even on a boundary.
	 */
	sigma = mwu_sigma(nbase, nnew, tie_term);
	cut = floor((double)nbase * nnew / 2 + 0.5 - GVB_STATS_Z975 * sigma);
	if (cut < 1) {
		ret = -EDOM;
		goto out;
	}
	k = (size_t)cut;
	*lo = shift_kth(b, nbase, n, nnew, k);
	*hi = shift_kth(b, nbase, n, nnew, nd - k + 1);
	ret = 0;
out:
	free(b);
	free(n);
	return ret;
}

int gvb_median_delta_ci(const double *base, unsigned int nbase, const double *new,
			unsigned int nnew, double *lo, double *hi)
{
	return gvb_shift_ci(base, nbase, new, nnew, lo, hi, NULL);
}

bool gvb_significant(double p, double alpha)
{
	return p < alpha;	/* false for NaN */
}
