// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * What the run engine says about a case: its name, its summaries, and its
 * comparison with another case of the same group.
 */
#include <math.h>

#include "bench/runner.h"
#include "stats/estimate.h"
#include "stats/stats.h"

void gvb_case_name(char *buf, size_t len, const struct gvb_workload *w,
		   const struct gvb_strategy_ops *ops, const struct gvb_wl_params *p,
		   double inject_ns, const char *engine)
{
	/* inject_ns < 0 names a relative injection of -inject_ns percent. */
	char size[32] = "";
	char inject[32] = "";

	/* Size is part of the name only where it is a headline parameter. */
	if ((w->flags & GVB_WL_SIZE_IN_NAME) || p->size != w->defaults.size) {
		if (p->size % SZ_1G == 0)
			snprintf(size, sizeof(size), "-%lluG", (unsigned long long)(p->size / SZ_1G));
		else if (p->size % SZ_2M == 0 || p->size % (1 << 20) == 0)
			snprintf(size, sizeof(size), "-%lluM", (unsigned long long)(p->size >> 20));
		else
			snprintf(size, sizeof(size), "-%lluK", (unsigned long long)(p->size >> 10));
	}
	if (inject_ns > 0)
		snprintf(inject, sizeof(inject), "+%gns", inject_ns);
	else if (inject_ns < 0)
		snprintf(inject, sizeof(inject), "+%g%%", -inject_ns);
	snprintf(buf, len, "%s%s/%s%s%s%s/t%u", w->name, size, engine ? engine : "",
		 engine ? "/" : "", ops->name, inject, p->threads);
}

void gvb_case_summarize(struct gvb_case *c)
{
	if (!c->nsamples) {
		static const struct gvb_summary none = {
			.median = NAN, .ci_lo = NAN, .ci_hi = NAN, .ci_level = NAN,
			.mean = NAN, .min = NAN, .max = NAN,
		};

		c->ns_per_op_sum = none;
		c->cpu_ns_per_op_sum = none;
		c->ops_per_sec_sum = none;
		return;
	}
	gvb_stats_summary(c->ns_per_op, c->nsamples, &c->ns_per_op_sum);
	gvb_stats_summary(c->cpu_ns_per_op, c->nsamples, &c->cpu_ns_per_op_sum);
	gvb_stats_summary(c->ops_per_sec, c->nsamples, &c->ops_per_sec_sum);
}

int gvb_compare_cases(struct gvb_result *r, const struct gvb_case *base,
		      const struct gvb_case *new, double alpha)
{
	struct gvb_comparison *cmp = gvb_result_add_cmp(r);
	struct gvb_estimate e;
	double u;

	if (!cmp)
		return -ENOMEM;
	snprintf(cmp->base, sizeof(cmp->base), "%s", base->name);
	snprintf(cmp->new, sizeof(cmp->new), "%s", new->name);
	cmp->base_median = base->ns_per_op_sum.median;
	cmp->new_median = new->ns_per_op_sum.median;
	cmp->delta_ns = cmp->new_median - cmp->base_median;
	cmp->delta_pct = 100.0 * cmp->delta_ns / cmp->base_median;
	cmp->p_value = gvb_mann_whitney_u(base->ns_per_op, base->nsamples, new->ns_per_op,
					  new->nsamples, &u);
	if (gvb_median_delta_ci(base->ns_per_op, base->nsamples, new->ns_per_op, new->nsamples,
				&cmp->delta_ci_lo, &cmp->delta_ci_hi))
		cmp->delta_ci_lo = cmp->delta_ci_hi = NAN;
	cmp->significant = gvb_significant(cmp->p_value, alpha);
	cmp->n_base = base->nsamples;
	cmp->n_new = new->nsamples;
	/* What every command judges a comparison within one run by (stats/estimate.h). */
	cmp->paired_delta_ns = cmp->paired_ci_lo = cmp->paired_ci_hi = cmp->paired_p = NAN;
	if (base->nsamples == new->nsamples && base->nsamples) {
		if (gvb_estimate(base->ns_per_op, base->nsamples, new->ns_per_op, new->nsamples,
				 true, &e))
			return -ENOMEM;
		cmp->paired_delta_ns = e.delta;
		cmp->paired_ci_lo = e.ci_lo;
		cmp->paired_ci_hi = e.ci_hi;
		cmp->paired_p = e.p;
	}
	return 0;
}

void gvb_workload_names(char *buf, size_t len, unsigned int flags)
{
	const struct gvb_workload *const *w;
	size_t used = 0;

	buf[0] = '\0';
	for (w = gvb_workloads; *w && used < len; w++)
		if (!flags || ((*w)->flags & flags))
			used += snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
					 (*w)->name);
}
