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

#include "cli/report.h"
#include "result/resultset.h"
#include "result/meta.h"

bool gvb_report_is_base(const struct gvb_case *c)
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

int gvb_report_add_name(char ***names, unsigned int *n, const char *name)
{
	char **v;
	unsigned int i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*names)[i], name))
			return 0;
	v = realloc(*names, (*n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	*names = v;
	v[*n] = strdup(name);
	if (!v[*n])
		return -ENOMEM;
	(*n)++;
	return 0;
}

static int add_strategy(struct rep_ctx *x, const char *name)
{
	if (!strcmp(name, REPORT_BASE))
		return 0;
	return gvb_report_add_name(&x->strategies, &x->nstrategies, name);
}

int gvb_report_build(struct rep_ctx *x)
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

		if (!gvb_report_is_base(s->cases[i]))
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
		bool paired = gvb_report_is_base(c);

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

void gvb_report_fmt_p(char *buf, size_t len, double p, double alpha)
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
void gvb_report_fmt_delta(char *dbuf, size_t dlen, char *cbuf, size_t clen,
			  const struct gvb_delta *d)
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

void gvb_report_print_row(const char *label, const struct gvb_delta *d, double alpha)
{
	char delta[32], ci[64], pct[16], p[24], line[256];
	size_t n;

	gvb_report_fmt_delta(delta, sizeof(delta), ci, sizeof(ci), d);
	fmt_pct(pct, sizeof(pct), d->pct);
	gvb_report_fmt_p(p, sizeof(p), d->p, alpha);
	n = snprintf(line, sizeof(line), "  %-14s %8s %-14s %7s %s%s", label, delta, ci, pct, p,
		     d->significant ? "" : " not significant");
	/* Keep the promise of 75 columns even for an odd label or a huge CI. */
	if (n > GVB_TEXT_WIDTH) {
		snprintf(line, sizeof(line), "%s %s %s %s %s%s", label, delta, ci, pct, p,
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
		 "ns with its 95%% confidence interval in the same unit, then in %% of "
		 "resv's median (+ is more time per op than resv), and the two-sided "
		 "p-value; p >= %g is called not "
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

				gvb_report_fmt_locks(text, sizeof(text), g->base, NULL);
				gvb_print_wrapped(stdout, "  resv locks ", "    ", text, false);
			}
			if (!g->nrows)
				puts("  (no other strategy at this workload and thread count)");
			for (r = 0; r < g->nrows; r++) {
				const struct rep_row *row = &g->rows[r];

				gvb_report_print_row(row->label, &row->hot, x->alpha);
				/* Verdicts are -1, 0, +1: another sign or another significance. */
				if (gvb_delta_verdict(&row->hot) != gvb_delta_verdict(&row->cpu))
					gvb_report_print_row("  total CPU", &row->cpu, x->alpha);
				gvb_report_print_locks(row, g->base);
			}
		}
	}
	free(done);
}

/* Everything gvb_report_build() made; the result set is the caller's. */
void gvb_report_ctx_free(struct rep_ctx *x)
{
	unsigned int i;

	for (i = 0; i < x->ngroups; i++)
		free(x->groups[i].rows);
	free(x->groups);
	for (i = 0; i < x->nstrategies; i++)
		free(x->strategies[i]);
	free(x->strategies);
	free(x->unpaired);
	x->groups = NULL;
	x->strategies = NULL;
	x->unpaired = NULL;
	x->ngroups = x->nstrategies = x->nunpaired = 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: %s report [--alpha X] DIR|FILE [DIR|FILE...]\n"
		"  What the extra gpuva lock (resv+gpuva), immediate mode (gpuva) and the\n"
		"  deferred put (gpuva+deferred) cost or save against resv, per workload and\n"
		"  thread count, with 95%% CIs and p-values; plain text for a mail.\n"
		"  With several: the fleet report, one row per machine (architecture, CPU,\n"
		"  kernel, backend, engine), each from its own samples, and where they agree.\n"
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
			x.alpha = gvb_arg_alpha("report", optarg);
			alpha_set = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			gvb_die_option(c, argc, argv, "report");
		}
	}
	if (argc - optind < 1)
		gvb_die_usage("report: needs one result directory or file, or several for the fleet report (see '%s report --help')",
			      gvb_prog);
	if (argc - optind > 1)
		return gvb_report_fleet(argv + optind, argc - optind, x.alpha, alpha_set);
	if (gvb_rset_load(&x.s, argv[optind], err, sizeof(err)) ||
	    gvb_rset_need_samples(&x.s, err, sizeof(err)))
		goto fail;
	if (!alpha_set)
		x.alpha = gvb_rset_alpha(&x.s);
	for (i = 0; i < x.s.ncases; i++)
		if (gvb_report_is_base(x.s.cases[i]))
			break;
	if (i == x.s.ncases) {
		snprintf(err, sizeof(err), "%s: no %s case; the report compares every strategy against %s",
			 argv[optind], REPORT_BASE, REPORT_BASE);
		goto fail;
	}
	if (gvb_report_build(&x)) {
		snprintf(err, sizeof(err), "out of memory");
		goto fail;
	}
	gvb_report_print_answer(&x);
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
	gvb_report_print_setup(&x);
	ret = 0;
	goto out;
fail:
	fprintf(stderr, "%s: %s\n", gvb_prog, err);
	ret = 1;
out:
	gvb_report_ctx_free(&x);
	gvb_rset_free(&x.s);
	return ret;
}
