// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * gvbench report DIR DIR...: the fleet report. The answer of the one-machine
 * report (report_answer.c) for every machine, one row per machine under each
 * quantity, then where the machines agree and where they do not.
 *
 * A machine is what its numbers were made on and with: (architecture, CPU,
 * kernel, backend, engine), from the files' meta and each case's engine.
 * Each machine's cases form a result set of their own, built and answered
 * exactly as the one-machine report does, so every delta, CI and p is one
 * machine's samples through the one estimator (stats/estimate.h). Samples
 * are never pooled across machines: "agree" is a count of verdicts, not a
 * test on merged data. Two arguments from the same machine stay two rows,
 * told apart by where they came from.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/fleet.h"
#include "cli/report.h"
#include "result/resultset.h"

static bool same_key(const struct gvb_meta *a, const char *ea, const struct gvb_meta *b,
		     const char *eb)
{
	return !strcmp(a->arch, b->arch) && !strcmp(a->cpu_model, b->cpu_model) &&
	       !strcmp(a->kernel, b->kernel) && !strcmp(a->backend, b->backend) &&
	       !strcmp(ea, eb);
}

/* Splits set @arg into machines, each a view of its cases (the set owns the cases). */
static int split_set(struct fleet *f, unsigned int arg)
{
	const struct gvb_rset *s = &f->sets[arg];
	unsigned int first = f->nmach, i, k;

	for (i = 0; i < s->ncases; i++) {
		const struct gvb_meta *m = gvb_rset_meta(s, i);
		struct fleet_machine *fm = NULL;
		struct gvb_rset *v;

		for (k = first; k < f->nmach && !fm; k++)
			if (same_key(f->mach[k].m, f->mach[k].engine, m, s->cases[i]->engine))
				fm = &f->mach[k];
		if (!fm) {
			fm = realloc(f->mach, (f->nmach + 1) * sizeof(*fm));
			if (!fm)
				return -ENOMEM;
			f->mach = fm;
			fm = &f->mach[f->nmach++];
			memset(fm, 0, sizeof(*fm));
			fm->arg = arg;
			fm->m = m;
			fm->engine = s->cases[i]->engine;
			fm->same_as = -1;
			fm->x.s = *s;
			fm->x.s.ncases = 0;
			/* Sized for the whole set: a view never outgrows it. */
			fm->x.s.cases = calloc(s->ncases, sizeof(*fm->x.s.cases));
			fm->x.s.case_file = calloc(s->ncases, sizeof(*fm->x.s.case_file));
			if (!fm->x.s.cases || !fm->x.s.case_file)
				return -ENOMEM;
		}
		v = &fm->x.s;
		v->cases[v->ncases] = s->cases[i];
		v->case_file[v->ncases++] = s->case_file[i];
	}
	return 0;
}

static int answer_all(struct fleet *f, double alpha, bool alpha_set)
{
	unsigned int i, j, r;

	for (i = 0; i < f->nmach; i++) {
		struct fleet_machine *fm = &f->mach[i];

		snprintf(fm->id, sizeof(fm->id), "M%u", i + 1);
		for (j = 0; j < i && fm->same_as < 0; j++)
			if (same_key(f->mach[j].m, f->mach[j].engine, fm->m, fm->engine))
				fm->same_as = (int)j;
		fm->x.alpha = alpha_set ? alpha : gvb_rset_alpha(&f->sets[fm->arg]);
		for (j = 0; j < fm->x.s.ncases && !fm->answered; j++)
			fm->answered = gvb_report_is_base(fm->x.s.cases[j]);
		if (!fm->answered)
			continue;
		if (gvb_report_build(&fm->x) || gvb_report_answer(&fm->x, &fm->a))
			return -ENOMEM;
		for (r = 0; fm->a.g && r < fm->a.g->nrows; r++)
			if (gvb_report_add_name(&f->labels, &f->nlabels, fm->a.g->rows[r].label))
				return -ENOMEM;
	}
	return 0;
}

/* ------------------------------------------------------------- output */

/* Continuation lines of a machine's entry in the legend. */
#define IND	"      "

static void print_machines(const struct fleet *f)
{
	unsigned int i, j;

	printf("Machines (architecture; CPU; kernel; backend; engine):\n");
	for (i = 0; i < f->nmach; i++) {
		const struct fleet_machine *fm = &f->mach[i];
		const struct rep_group *g = fm->a.g;
		char line[1024], first[16], where[160], base[24], ci[16];
		unsigned int nfiles = 0, lo = ~0u, hi = 0;

		for (j = 0; j < fm->x.s.ncases; j++) {
			unsigned int n = fm->x.s.cases[j]->nsamples;

			lo = n < lo ? n : lo;
			hi = n > hi ? n : hi;
			nfiles += !j || fm->x.s.case_file[j] != fm->x.s.case_file[j - 1];
		}
		snprintf(line, sizeof(line), "%s; %s, %u core%s; kernel %s; %s (%s), host %s; "
			 "engine %s", fm->m->arch, fm->m->cpu_model, fm->m->cores,
			 fm->m->cores == 1 ? "" : "s", fm->m->kernel,
			 fm->m->backend, fm->m->backend_mode, fm->m->host[0] ? fm->m->host : "unknown",
			 fm->engine);
		/* "  M1  ", "  M10 ", "  M100 ": the id never runs into the text. */
		snprintf(first, sizeof(first), "  %-3s ", fm->id);
		gvb_print_wrapped(stdout, first, IND, line, false);
		if (lo == hi)
			snprintf(base, sizeof(base), "%u", lo);
		else
			snprintf(base, sizeof(base), "%u-%u", lo, hi);
		snprintf(line, sizeof(line), "from %s (%u file%s, %u cases, n=%s)",
			 f->sets[fm->arg].path, nfiles, nfiles == 1 ? "" : "s", fm->x.s.ncases, base);
		gvb_print_wrapped(stdout, IND, IND "  ", line, false);
		if (fm->same_as >= 0) {
			snprintf(line, sizeof(line), "the same machine as %s, another run: its own row, "
				 "never merged", f->mach[fm->same_as].id);
			gvb_print_wrapped(stdout, IND, IND "  ", line, false);
		}
		if (!strcmp(fm->m->host, "uml"))
			gvb_print_wrapped(stdout, IND, IND "  ", "made in User-Mode Linux: only its "
					  "single-thread batch-mode ratios are kernel numbers", false);
		if (!fm->answered) {
			gvb_print_wrapped(stdout, IND, IND "  ",
					  "no resv case: nothing to compare against", false);
		} else if (!g) {
			gvb_print_wrapped(stdout, IND, IND "  ",
					  "no resv+gpuva beside a resv case: no answer", false);
		} else {
			const struct gvb_summary *bs = g->nrows ? &g->rows[0].hot.base :
						       &g->base->ns_per_op_sum;

			gvb_report_group_where(where, sizeof(where), g);
			gvb_fmt_time(base, sizeof(base), bs->median, gvb_unit_for(bs->median), false);
			gvb_fmt_ci_pct(ci, sizeof(ci), bs);
			snprintf(line, sizeof(line), "at %s: resv %s/op +-%s, n=%u%s%s", where, base,
				 ci, bs->n, g->nrows ? ", " : "",
				 g->nrows ? gvb_design_name(g->rows[0].hot.design) : "");
			gvb_print_wrapped(stdout, IND, IND "  ", line, false);
		}
	}
}

const struct gvb_delta *gvb_fleet_quantity(const struct fleet *f, const struct fleet_machine *fm,
					unsigned int q, const char **why)
{
	const struct rep_row *row;

	*why = NULL;
	if (!fm->answered || !fm->a.g) {
		*why = !fm->answered ? "no resv case" : "no resv+gpuva beside resv";
		return NULL;
	}
	if (q == GVB_FQ_PER_ACQ) {
		if (fm->a.n > LOCK_EPS)
			return &fm->a.per_acq;
		*why = !fm->a.rg->c->has_locks || !fm->a.g->base->has_locks ?
		       "no lock counts in its files" :
		       "resv+gpuva differs from resv in more than gpuva locks";
		return NULL;
	}
	if (q == GVB_FQ_DF_IM) {
		if (fm->a.have_df_im)
			return &fm->a.df_im;
		*why = "needs gpuva and gpuva+deferred";
		return NULL;
	}
	row = gvb_report_find_row(fm->a.g, f->labels[q - GVB_FQ_STRATEGY]);
	if (!row)
		*why = "not measured there";
	return row ? &row->hot : NULL;
}

static void quantity_title(char *buf, size_t len, const struct fleet *f, unsigned int q)
{
	if (q == GVB_FQ_PER_ACQ)
		snprintf(buf, len, "One extra always-free gpuva-mutex acquisition under a held resv "
			 "(resv+gpuva - resv over the counted extra gpuva acquisitions per op):");
	else if (q == GVB_FQ_DF_IM)
		snprintf(buf, len, "Deferred put against immediate mode (gpuva+deferred - gpuva):");
	else
		snprintf(buf, len, "%s against resv:", f->labels[q - GVB_FQ_STRATEGY]);
}

static const char *quantity_short(const struct fleet *f, unsigned int q)
{
	if (q == GVB_FQ_PER_ACQ)
		return "1 extra gpuva";
	if (q == GVB_FQ_DF_IM)
		return "deferred-imm.";
	return f->labels[q - GVB_FQ_STRATEGY];
}

static void print_blocks(const struct fleet *f, unsigned int nq)
{
	unsigned int q, i;
	char title[256], line[160];

	for (q = 0; q < nq; q++) {
		printf("\n");
		quantity_title(title, sizeof(title), f, q);
		gvb_print_wrapped(stdout, "", "  ", title, false);
		for (i = 0; i < f->nmach; i++) {
			const struct fleet_machine *fm = &f->mach[i];
			const char *why;
			const struct gvb_delta *d = gvb_fleet_quantity(f, fm, q, &why);

			if (d) {
				gvb_report_print_row(fm->id, d, fm->x.alpha);
			} else {
				snprintf(line, sizeof(line), "  %-14s %s", fm->id, why);
				puts(line);
			}
		}
	}
}

/* "M1 (+6.1%, p<0.001)" */
static void fmt_member(char *buf, size_t len, const struct fleet_machine *fm,
			 const struct gvb_delta *d)
{
	char p[24];

	gvb_report_fmt_p(p, sizeof(p), d->p, fm->x.alpha);
	if (isfinite(d->pct))
		snprintf(buf, len, "%s (%+.1f%%, %s)", fm->id, d->pct, p);
	else
		snprintf(buf, len, "%s (%s)", fm->id, p);
}

/* Appends to @buf at *@used, never past @len. */
static void append(char *buf, size_t len, size_t *used, const char *fmt, const char *a,
		   const char *b)
{
	if (*used < len)
		*used += snprintf(buf + *used, len - *used, fmt, a, b);
}

static void print_agreement(const struct fleet *f, unsigned int nq)
{
	static const char *const verdict_name[3] = { "faster", "not significant", "slower" };
	/* Significant verdicts first: slower, faster, then not significant. */
	static const unsigned int order[3] = { 2, 0, 1 };
	unsigned int q, i, v, o;

	printf("\nWhere the machines agree (each machine's own verdict at its alpha):\n"
	       "agree: significant with the same sign on every machine that has it;\n"
	       "inconclusive: significant on none of them (no machine resolves it);\n"
	       "DIFFER: significant on some only; OPPOSITE: significant both ways.\n");
	for (q = 0; q < nq; q++) {
		unsigned int count[3] = { 0, 0, 0 }, have = 0, nseg = 0;
		char line[2048], head[32], member[64], n[16];
		const struct gvb_delta *d;
		const char *why;
		size_t used = 0;
		int only = -1;

		for (i = 0; i < f->nmach; i++) {
			d = gvb_fleet_quantity(f, &f->mach[i], q, &why);
			if (!d)
				continue;
			count[gvb_delta_verdict(d) + 1]++;
			have++;
			only = (int)i;
		}
		snprintf(head, sizeof(head), "  %-15s ", quantity_short(f, q));
		line[0] = '\0';
		if (have < 2) {
			append(line, sizeof(line), &used, "%s%s", have ? "only on " : "on no machine",
			       have ? f->mach[only].id : "");
			if (have)
				append(line, sizeof(line), &used, "%s%s", ": nothing to compare", "");
		}
		for (o = 0; o < 3 && have >= 2; o++) {
			bool first = true;

			v = order[o];
			if (!count[v])
				continue;
			if (count[v] == have) {
				snprintf(n, sizeof(n), "all %u:", have);
				append(line, sizeof(line), &used, v == 1 ? "inconclusive: %s on %s" :
				       "agree: %s on %s", verdict_name[v], have == 2 ? "both:" : n);
			} else {
				append(line, sizeof(line), &used, "%s%s on", nseg++ ? "; " :
				       count[0] && count[2] ? "OPPOSITE: " : "DIFFER: ",
				       verdict_name[v]);
			}
			for (i = 0; i < f->nmach; i++) {
				d = gvb_fleet_quantity(f, &f->mach[i], q, &why);
				if (!d || (unsigned int)(gvb_delta_verdict(d) + 1) != v)
					continue;
				fmt_member(member, sizeof(member), &f->mach[i], d);
				append(line, sizeof(line), &used, "%s %s", first ? "" : ",", member);
				first = false;
			}
		}
		if (have >= 2 && have < f->nmach) {
			bool first = true;

			append(line, sizeof(line), &used, "%s%s", "; no data on", "");
			for (i = 0; i < f->nmach; i++) {
				if (gvb_fleet_quantity(f, &f->mach[i], q, &why))
					continue;
				append(line, sizeof(line), &used, "%s %s", first ? "" : ",",
				       f->mach[i].id);
				first = false;
			}
		}
		gvb_print_wrapped(stdout, head, "                  ", line, false);
	}
}

static void print_fleet(const struct fleet *f)
{
	unsigned int nq = GVB_FQ_STRATEGY + f->nlabels;
	char line[512];

	snprintf(line, sizeof(line), "gpuvm-bench fleet report: the answer on %u machine%s, "
		 "from %u result set%s", f->nmach, f->nmach == 1 ? "" : "s", f->nsets,
		 f->nsets == 1 ? "" : "s");
	gvb_print_wrapped(stdout, "", "  ", line, false);
	gvb_print_wrapped(stdout, "", "",
			  "Statistics stay within each machine: every delta, CI and p below "
			  "comes from one machine's own samples, by the estimator of its "
			  "one-machine report ('gvbench report DIR'). Samples are never pooled "
			  "across machines.", false);
	puts("");
	print_machines(f);
	puts("");
	gvb_print_wrapped(stdout, "", "",
			  "Each row: one machine, at the workload and thread count of its "
			  "entry above (map-unmap-4K at 1 thread wherever it ran, as in its "
			  "one-machine answer): the change of hot-path ns/op, in ns with its 95% "
			  "CI in the same unit, then in % of that machine's resv median (+ is "
			  "more time per op), and p; p >= alpha is called not significant.", false);
	print_blocks(f, nq);
	print_agreement(f, nq);
}

/*
 * Whether two files hold one run: the same file given twice, or a copy of
 * it. Counting it twice would be a second machine that agrees for free.
 */
static bool same_run(const struct gvb_result *a, const struct gvb_result *b)
{
	unsigned int i;

	if (a->ncases != b->ncases || strcmp(a->meta.date, b->meta.date))
		return false;
	for (i = 0; i < a->ncases; i++) {
		const struct gvb_case *x = &a->cases[i], *y = &b->cases[i];

		if (strcmp(x->name, y->name) || x->nsamples != y->nsamples ||
		    (x->nsamples && memcmp(x->ns_per_op, y->ns_per_op,
					   x->nsamples * sizeof(*x->ns_per_op))))
			return false;
	}
	return true;
}

/* 0, or -1 with one line in @err if a run is in two of the sets. */
static int check_runs_once(const struct fleet *f, char *err, size_t errlen)
{
	unsigned int i, j, a, b;

	for (i = 0; i < f->nsets; i++)
		for (j = i + 1; j < f->nsets; j++)
			for (a = 0; a < f->sets[i].nfiles; a++)
				for (b = 0; b < f->sets[j].nfiles; b++) {
					if (!same_run(&f->sets[i].results[a], &f->sets[j].results[b]))
						continue;
					snprintf(err, errlen, "%s and %s hold the same run (one file "
						 "twice, or a copy): give each run once",
						 f->sets[i].files[a], f->sets[j].files[b]);
					return -1;
				}
	return 0;
}

int gvb_fleet_load(struct fleet *f, char **paths, unsigned int npaths, double alpha,
		   bool alpha_set, char *err, size_t errlen)
{
	unsigned int i;

	memset(f, 0, sizeof(*f));
	f->sets = calloc(npaths, sizeof(*f->sets));
	if (!f->sets)
		goto oom;
	f->nsets = npaths;
	for (i = 0; i < npaths; i++) {
		if (gvb_rset_load(&f->sets[i], paths[i], err, errlen) ||
		    gvb_rset_need_samples(&f->sets[i], err, errlen))
			goto fail;
		if (split_set(f, i))
			goto oom;
	}
	if (check_runs_once(f, err, errlen))
		goto fail;
	if (answer_all(f, alpha, alpha_set))
		goto oom;
	return 0;
oom:
	snprintf(err, errlen, "out of memory");
fail:
	gvb_fleet_free(f);
	return -1;
}

void gvb_fleet_free(struct fleet *f)
{
	unsigned int i;

	for (i = 0; i < f->nmach; i++) {
		gvb_report_ctx_free(&f->mach[i].x);
		free(f->mach[i].x.s.cases);
		free(f->mach[i].x.s.case_file);
	}
	free(f->mach);
	for (i = 0; i < f->nlabels; i++)
		free(f->labels[i]);
	free(f->labels);
	for (i = 0; f->sets && i < f->nsets; i++)
		gvb_rset_free(&f->sets[i]);
	free(f->sets);
	memset(f, 0, sizeof(*f));
}

int gvb_report_fleet(char **paths, unsigned int npaths, double alpha, bool alpha_set)
{
	struct fleet f;
	char err[1024];

	if (gvb_fleet_load(&f, paths, npaths, alpha, alpha_set, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", gvb_prog, err);
		return 1;
	}
	print_fleet(&f);
	gvb_fleet_free(&f);
	return 0;
}
