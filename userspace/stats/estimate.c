// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The estimator of a difference between two cases; estimate.h says which
 * design does what and why. The arithmetic is stats.c's.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "stats/estimate.h"
#include "stats/stats.h"

const char *gvb_design_name(enum gvb_design d)
{
	return d == GVB_DESIGN_PAIRED ? "paired" : "unpaired";
}

const char *gvb_design_test(enum gvb_design d)
{
	return d == GVB_DESIGN_PAIRED ? "Wilcoxon signed-rank" : "Mann-Whitney U";
}

static int estimate_paired(const double *base, const double *new, unsigned int n,
			   struct gvb_estimate *e)
{
	double *d = malloc((n ? n : 1) * sizeof(*d));
	struct gvb_summary s;
	unsigned int i, k = 0;
	int ret = 0;

	if (!d)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (isfinite(base[i]) && isfinite(new[i]))
			d[k++] = new[i] - base[i];
	e->n = k;
	if (!k)
		goto out;
	e->p = gvb_wilcoxon_signed_rank(d, k);
	ret = gvb_signed_rank_shift(d, k, &e->delta, &e->ci_lo, &e->ci_hi);
	if (ret == -E2BIG) {
		/* Too many pairs for the Walsh averages: the median and its own CI. */
		ret = gvb_stats_summary(d, k, &s);
		e->delta = s.median;
		e->ci_lo = s.ci_lo;
		e->ci_hi = s.ci_hi;
	}
	if (ret != -ENOMEM)
		ret = 0;	/* -EDOM: too few pairs for an interval; the estimate stands */
out:
	free(d);
	return ret;
}

/* The finite values of @x in a new array; NULL on allocation failure. */
static double *finite_copy(const double *x, unsigned int n, unsigned int *k)
{
	double *c = malloc((n ? n : 1) * sizeof(*c));
	unsigned int i;

	*k = 0;
	for (i = 0; c && i < n; i++)
		if (isfinite(x[i]))
			c[(*k)++] = x[i];
	return c;
}

static int estimate_unpaired(const double *base, unsigned int nbase, const double *new,
			     unsigned int nnew, struct gvb_estimate *e)
{
	unsigned int na, nb;
	double *a = finite_copy(base, nbase, &na), *b = finite_copy(new, nnew, &nb);
	int ret = 0;

	if (!a || !b) {
		ret = -ENOMEM;
		goto out;
	}
	e->n = na < nb ? na : nb;
	if (!na || !nb)
		goto out;
	/* NaN if the exact table cannot be allocated: shown as "p=?". */
	e->p = gvb_mann_whitney_u(a, na, b, nb, NULL);
	ret = gvb_shift_ci(a, na, b, nb, &e->ci_lo, &e->ci_hi, &e->delta);
	if (ret == -ENOMEM)
		goto out;
	if (ret)	/* -EDOM: too few samples for an interval; the shift stands */
		e->ci_lo = e->ci_hi = NAN;
	ret = 0;
out:
	free(a);
	free(b);
	return ret;
}

int gvb_estimate(const double *base, unsigned int nbase, const double *new, unsigned int nnew,
		 bool paired, struct gvb_estimate *e)
{
	e->delta = e->ci_lo = e->ci_hi = e->p = NAN;
	e->n = 0;
	e->design = paired && nbase == nnew ? GVB_DESIGN_PAIRED : GVB_DESIGN_UNPAIRED;
	if (e->design == GVB_DESIGN_PAIRED)
		return estimate_paired(base, new, nbase, e);
	return estimate_unpaired(base, nbase, new, nnew, e);
}
