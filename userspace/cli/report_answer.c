// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * gvbench report: the opening answer, a few lines that quote the deltas
 * the question asks about (or say that the data cannot).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/report.h"
#include "result/resultset.h"

const struct rep_row *gvb_report_find_row(const struct rep_group *g, const char *label)
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

			if (!gvb_report_find_row(g, "resv+gpuva"))
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

void gvb_report_group_where(char *buf, size_t len, const struct rep_group *g)
{
	snprintf(buf, len, "%s, %u thread%s", g->group[0] ? g->group : g->base->workload,
		 g->base->threads, g->base->threads == 1 ? "" : "s");
}

/* "+4.56ns [+4.10, +5.10] paired p<0.001": a delta as the answer quotes it. */
static void fmt_quote(char *buf, size_t len, const struct gvb_delta *d, double alpha)
{
	char delta[32], ci[64], p[24];

	gvb_report_fmt_delta(delta, sizeof(delta), ci, sizeof(ci), d);
	gvb_report_fmt_p(p, sizeof(p), d->p, alpha);
	snprintf(buf, len, "%s %s (%s %s%s)", delta, ci, gvb_design_name(d->design), p,
		 d->significant ? "" : ", not significant");
}

static void answer_line(const char *text)
{
	gvb_print_wrapped(stdout, "- ", "  ", text, false);
}

int gvb_report_answer(const struct rep_ctx *x, struct rep_answer *a)
{
	memset(a, 0, sizeof(*a));
	a->g = headline_group(x);
	a->rg = gvb_report_find_row(a->g, "resv+gpuva");
	a->im = gvb_report_find_row(a->g, "gpuva");
	a->df = gvb_report_find_row(a->g, "gpuva+deferred");
	if (a->rg) {
		a->n = gvb_report_only_gpuva(a->rg->c, a->g->base);
		if (a->n > LOCK_EPS)
			a->per_acq = gvb_report_per_acquisition(&a->rg->hot, a->n);
		else
			a->n = 0;
	}
	if (a->im && a->df) {
		/* Deferred against immediate directly: both ran in the group. */
		if (gvb_delta_compute(a->im->c, a->df->c, GVB_METRIC_NS, x->alpha,
				      gvb_rset_paired(&x->s, a->im->c, a->df->c), &a->df_im))
			return -ENOMEM;
		a->have_df_im = true;
	}
	return 0;
}

void gvb_report_print_answer(const struct rep_ctx *x)
{
	struct rep_answer a;
	int oom = gvb_report_answer(x, &a);
	const struct rep_group *g = a.g;
	const struct rep_row *rg = a.rg, *im = a.im, *df = a.df;
	const struct gvb_workload *w = g ? gvb_workload_find(g->base->workload) : NULL;
	const char *op = w ? w->op_desc : "op";
	char *machine = gvb_rset_field(&x->s, GVB_MF_MACHINE);
	char *backend = gvb_rset_field(&x->s, GVB_MF_BACKEND);
	char line[1024], where[160], q[160], q2[160], bt[32];
	double n = a.n, base_ns = NAN;

	snprintf(line, sizeof(line), "gpuvm-bench report, the answer (%s; backend %s; engine model):",
		 machine ? machine : "?", backend ? backend : "?");
	gvb_print_wrapped(stdout, "", "  ", line, false);
	free(machine);
	free(backend);
	if (!rg) {
		answer_line("One extra always-free gpuva-mutex acquisition under a held resv: "
			    "this data cannot say (no resv+gpuva case beside a resv case).");
	} else {
		gvb_report_group_where(where, sizeof(where), g);
		base_ns = rg->hot.base.median;
		fmt_quote(q, sizeof(q), &rg->hot, x->alpha);
		if (n > LOCK_EPS) {
			fmt_quote(q2, sizeof(q2), &a.per_acq, x->alpha);
			snprintf(line, sizeof(line), "One extra always-free gpuva-mutex acquisition "
				 "under a held resv costs %s: resv+gpuva - resv at %s is %s over "
				 "%.3g counted extra gpuva acquisitions per %s.", q2, where, q, n, op);
			answer_line(line);
			gvb_fmt_time3(bt, sizeof(bt), base_ns, false);
			if (isfinite(a.per_acq.ci_lo))
				snprintf(line, sizeof(line), "That is %.2f%% [%.2f, %.2f] of a %s "
					 "(resv: %s/op).", 100.0 * a.per_acq.delta / base_ns,
					 100.0 * a.per_acq.ci_lo / base_ns,
					 100.0 * a.per_acq.ci_hi / base_ns, op, bt);
			else
				snprintf(line, sizeof(line), "That is %.2f%% of a %s (resv: %s/op; "
					 "too few samples for a CI).", 100.0 * a.per_acq.delta / base_ns,
					 op, bt);
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
		if (oom)
			return;
		fmt_quote(q, sizeof(q), &im->hot, x->alpha);
		fmt_quote(q2, sizeof(q2), &a.df_im, x->alpha);
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
