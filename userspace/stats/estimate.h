/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The one estimator of a difference between two cases, used by every
 * command that prints or plots one (run, sweep, calibrate, compare,
 * report, plot), so that one file gives the same numbers whichever
 * command reads it (docs/DESIGN.md section 6.5).
 *
 * Two designs, chosen by the caller from how the samples were taken:
 *
 * - paired: sample i of both cases ran in the same interleaved round,
 *   moments apart and on the same instance index (the runner rotates
 *   instances by round), so the per-round differences new[i] - base[i]
 *   cancel the drift both shared. Test: the Wilcoxon signed-rank test;
 *   estimate: the shift that test tests, the median of the Walsh averages
 *   of the differences (one-sample Hodges-Lehmann), with the 95% CI that
 *   inverts the same test (gvb_signed_rank_shift()), so that a CI
 *   excluding 0 and p < 0.05 go together. Past GVB_WALSH_MAX pairs, the
 *   median of the differences with its order-statistic CI.
 * - unpaired: nothing links sample i of one side to sample i of the other
 *   (two separate runs). Estimate: the Hodges-Lehmann shift with its Moses
 *   95% CI; test: the Mann-Whitney U test, as benchstat.
 *
 * Non-finite samples are left out (a pair with one on either side, in the
 * paired design).
 */
#ifndef GVB_ESTIMATE_H
#define GVB_ESTIMATE_H

#include <stdbool.h>

enum gvb_design {
	GVB_DESIGN_PAIRED,
	GVB_DESIGN_UNPAIRED,
};

struct gvb_estimate {
	enum gvb_design design;
	double delta;		/* new - base, in the samples' unit; NaN: no data */
	double ci_lo, ci_hi;	/* 95% CI of delta; NaN when too few samples */
	double p;		/* two-sided p-value of the design's test; NaN: none */
	unsigned int n;		/* pairs used, or the smaller sample count */
};

/*
 * @paired requires nbase == nnew (else the unpaired design is used, and
 * e->design says so). 0, or -ENOMEM.
 */
int gvb_estimate(const double *base, unsigned int nbase, const double *new, unsigned int nnew,
		 bool paired, struct gvb_estimate *e);

/* "paired" or "unpaired": what the output says was used. */
const char *gvb_design_name(enum gvb_design d);
/* The test's name for a legend: "Wilcoxon signed-rank" or "Mann-Whitney U". */
const char *gvb_design_test(enum gvb_design d);

#endif /* GVB_ESTIMATE_H */
