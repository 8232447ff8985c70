// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * gvbench plot DIR|FILE [-o OUTDIR] [--term png|svg|dumb] [--base STRATEGY]
 *
 * Plotting is gnuplot's job, in scripts under plot/ that a user can edit
 * and rerun by hand. gnuplot is poor at aggregation, so this command does
 * the statistics once and writes them beside the plots:
 *
 *   summary.csv  one row per case: medians and 95% CIs of ns/op and ops/s,
 *                median CPU/op, latency percentiles (latency mode only)
 *   delta.csv    one row per case against the base strategy of its group:
 *                the estimator's change of ns/op (stats/estimate.h) in % and
 *                ns, its 95% CI, p-value and design (paired or unpaired)
 *
 * then runs gnuplot once per script and terminal, passing what a script
 * cannot know by itself (which workloads, strategies and thread counts
 * exist, the machine for the titles) as -e variable settings. Each script
 * names the variables it reads in its header.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/fleet.h"
#include "cli/gnuplot.h"
#include "result/resultset.h"
#include "stats/stats.h"


struct plot_ctx {
	struct gvb_rset s;
	const char *outdir;
	const char *term;		/* NULL: png and svg */
	const char *base;
	double alpha;
	struct gvb_words workloads, strategies, others, threads, lat_workloads;
	struct gvb_words delta_workloads;	/* those with a base case to compare with */
	struct gvb_words lat_strategies, lat_threads;	/* of the latency-mode cases */
	unsigned int *order;		/* cases sorted for the CSV */
};

/* Space-separated words go to gnuplot: a case name part with a space or quote would split. */
static bool plain_word(const char *s)
{
	for (; *s; s++)
		if (*s <= ' ' || *s == '\'' || *s == '"' || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

/* Thread counts ascending (of latency-mode cases only if @lat): the x axes. */
static int collect_threads(struct plot_ctx *x, struct gvb_words *w, bool lat)
{
	unsigned int i, t, maxt = 0;
	char num[16];

	for (i = 0; i < x->s.ncases; i++)
		maxt = x->s.cases[i]->threads > maxt ? x->s.cases[i]->threads : maxt;
	for (t = 1; t <= maxt; t++) {
		for (i = 0; i < x->s.ncases; i++)
			if (x->s.cases[i]->threads == t &&
			    (lat ? x->s.cases[i]->latency.present : x->s.cases[i]->nsamples > 0))
				break;
		if (i == x->s.ncases)
			continue;
		snprintf(num, sizeof(num), "%u", t);
		if (gvb_words_add(w, num))
			return -ENOMEM;
	}
	return 0;
}

static int collect(struct plot_ctx *x, char *err, size_t errlen)
{
	/*
	 * The default sweep's strategies first, in registry order, so each
	 * keeps its colour from one result to the next.
	 */
	const struct gvb_strategy_ops *const *st;
	char group[128], *copy, *tok, *save = NULL;
	unsigned int i;

	for (st = gvb_strategies; *st; st++)
		for (i = 0; ((*st)->flags & GVB_STRATEGY_SWEEP) && i < x->s.ncases; i++)
			if (!strcmp(x->s.cases[i]->strategy, (*st)->name)) {
				if (gvb_words_add(&x->strategies, (*st)->name))
					return -ENOMEM;
				break;
			}
	for (i = 0; i < x->s.ncases; i++) {
		const struct gvb_case *c = x->s.cases[i];

		gvb_name_group(group, sizeof(group), c->name);
		if (!group[0])
			snprintf(group, sizeof(group), "%s", c->workload);
		if (!plain_word(group) || !plain_word(c->strategy)) {
			snprintf(err, errlen, "%s: case '%s' has characters gnuplot cannot take in a word list",
				 x->s.files[x->s.case_file[i]], c->name);
			return -EINVAL;
		}
		if (gvb_words_add(&x->strategies, c->strategy))
			return -ENOMEM;
		/* A latency-mode case of `run --latency` has histograms, no throughput samples. */
		if (c->nsamples && gvb_words_add(&x->workloads, group))
			return -ENOMEM;
		if (c->latency.present && (gvb_words_add(&x->lat_workloads, group) ||
					   gvb_words_add(&x->lat_strategies, c->strategy)))
			return -ENOMEM;
	}
	if (collect_threads(x, &x->threads, false) || collect_threads(x, &x->lat_threads, true))
		return -ENOMEM;
	/* The bars of delta.gp: every strategy but the base, in the same order. */
	copy = strdup(x->strategies.buf ? x->strategies.buf : "");
	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (strcmp(tok, x->base) && gvb_words_add(&x->others, tok)) {
			free(copy);
			return -ENOMEM;
		}
	}
	free(copy);
	return 0;
}

/* Word index of @s in @w, for a stable sort by first appearance. */
static unsigned int word_index(const struct gvb_words *w, const char *s)
{
	size_t n = strlen(s);
	const char *p = w->buf;
	unsigned int k = 0;

	while (p && *p) {
		const char *e = strchr(p, ' ');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == n && !strncmp(p, s, n))
			return k;
		k++;
		p = e ? e + 1 : NULL;
	}
	return k;
}

static const struct plot_ctx *sort_ctx;

static void sort_key(const struct gvb_case *c, unsigned int key[3])
{
	char group[128];

	gvb_name_group(group, sizeof(group), c->name);
	key[0] = word_index(&sort_ctx->workloads, group[0] ? group : c->workload);
	key[1] = word_index(&sort_ctx->strategies, c->strategy);
	key[2] = c->threads;
}

/* Rows of one (workload, strategy) line together and by threads, so gnuplot draws them in order. */
static int cmp_cases(const void *a, const void *b)
{
	unsigned int ia = *(const unsigned int *)a, ib = *(const unsigned int *)b, ka[3], kb[3], k;

	sort_key(sort_ctx->s.cases[ia], ka);
	sort_key(sort_ctx->s.cases[ib], kb);
	for (k = 0; k < 3; k++)
		if (ka[k] != kb[k])
			return ka[k] < kb[k] ? -1 : 1;
	return ia < ib ? -1 : ia > ib;
}

static int write_summary(struct plot_ctx *x, char *err, size_t errlen)
{
	char path[PATH_MAX + 32], group[128];
	unsigned int i;
	FILE *f = gvb_gp_open_csv(x->outdir, "summary.csv", path, sizeof(path), err, errlen);

	if (!f)
		return -EIO;
	fprintf(f, "case,workload,strategy,threads,median,ci_lo,ci_hi,ops_median,ops_ci_lo,"
		"ops_ci_hi,cpu_median,lat_p50,lat_p90,lat_p99,lat_p999\n");
	for (i = 0; i < x->s.ncases; i++) {
		const struct gvb_case *c = x->s.cases[x->order[i]];
		const struct gvb_latency *l = &c->latency;

		gvb_name_group(group, sizeof(group), c->name);
		fprintf(f, "%s,%s,%s,%u,", c->name, group[0] ? group : c->workload, c->strategy,
			c->threads);
		gvb_gp_num(f, c->ns_per_op_sum.median, false);
		gvb_gp_num(f, c->ns_per_op_sum.ci_lo, false);
		gvb_gp_num(f, c->ns_per_op_sum.ci_hi, false);
		gvb_gp_num(f, c->ops_per_sec_sum.median, false);
		gvb_gp_num(f, c->ops_per_sec_sum.ci_lo, false);
		gvb_gp_num(f, c->ops_per_sec_sum.ci_hi, false);
		gvb_gp_num(f, c->cpu_ns_per_op_sum.median, false);
		gvb_gp_num(f, l->present ? l->p50 : NAN, false);
		gvb_gp_num(f, l->present ? l->p90 : NAN, false);
		gvb_gp_num(f, l->present ? l->p99 : NAN, false);
		gvb_gp_num(f, l->present ? l->p999 : NAN, true);
	}
	return gvb_gp_close_csv(f, path, err, errlen);
}

static const struct gvb_case *base_of(const struct gvb_rset *s, const char *base,
				      const struct gvb_case *c)
{
	char key[160], k2[160];
	unsigned int i;

	if (gvb_name_without_strategy(key, sizeof(key), c->name))
		return NULL;
	for (i = 0; i < s->ncases; i++)
		if (!strcmp(s->cases[i]->strategy, base) &&
		    !gvb_name_without_strategy(k2, sizeof(k2), s->cases[i]->name) &&
		    !strcmp(key, k2))
			return s->cases[i];
	return NULL;
}

static int write_delta(struct plot_ctx *x, unsigned int *rows, char *err, size_t errlen)
{
	char path[PATH_MAX + 32], group[128];
	unsigned int i;
	FILE *f = gvb_gp_open_csv(x->outdir, "delta.csv", path, sizeof(path), err, errlen);

	*rows = 0;
	if (!f)
		return -EIO;
	fprintf(f, "case,workload,strategy,threads,base,delta_pct,ci_lo_pct,ci_hi_pct,p_value,"
		"significant,delta_ns,ci_lo_ns,ci_hi_ns,design\n");
	for (i = 0; i < x->s.ncases; i++) {
		const struct gvb_case *c = x->s.cases[x->order[i]], *b;
		struct gvb_delta d;
		double m;

		/* Latency-mode cases have histograms, not the samples a delta needs. */
		if (!c->nsamples || !strcmp(c->strategy, x->base) ||
		    !(b = base_of(&x->s, x->base, c)) || !b->nsamples)
			continue;
		if (gvb_delta_compute(b, c, GVB_METRIC_NS, x->alpha, gvb_rset_paired(&x->s, b, c),
				      &d)) {
			fclose(f);
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
		m = d.base.median;
		gvb_name_group(group, sizeof(group), c->name);
		/* A base median of 0 has no percentage: the row, but no bar to draw. */
		if (isfinite(d.pct) &&
		    gvb_words_add(&x->delta_workloads, group[0] ? group : c->workload)) {
			fclose(f);
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
		fprintf(f, "%s,%s,%s,%u,%s,", c->name, group[0] ? group : c->workload, c->strategy,
			c->threads, b->name);
		gvb_gp_num(f, d.pct, false);
		gvb_gp_num(f, 100.0 * d.ci_lo / m, false);
		gvb_gp_num(f, 100.0 * d.ci_hi / m, false);
		gvb_gp_num(f, d.p, false);
		fprintf(f, "%d,", d.significant);
		gvb_gp_num(f, d.delta, false);
		gvb_gp_num(f, d.ci_lo, false);
		gvb_gp_num(f, d.ci_hi, false);
		fprintf(f, "%s\n", gvb_design_name(d.design));
		*rows += isfinite(d.pct);
	}
	return gvb_gp_close_csv(f, path, err, errlen);
}

/* Every file a script should have written for @kind is there and not empty. */
static int check_outputs(const struct plot_ctx *x, const char *kind, const struct gvb_words *w,
			 const char *ext, unsigned int *count, char *err, size_t errlen)
{
	char *copy = strdup(w->buf ? w->buf : ""), *tok, *save = NULL;
	char path[PATH_MAX + 256];
	struct stat st;
	int ret = 0;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		snprintf(path, sizeof(path), "%s/%s-%s.%s", x->outdir, kind, tok, ext);
		if (stat(path, &st) || !st.st_size) {
			snprintf(err, errlen, "gnuplot exited 0 but %s is %s", path,
				 stat(path, &st) ? "missing" : "empty");
			ret = -EIO;
			break;
		}
		(*count)++;
	}
	free(copy);
	return ret;
}


static void usage(FILE *f)
{
	fprintf(f, "usage: %s plot DIR|FILE [-o OUTDIR] [--term png|svg|dumb] [--base STRATEGY]\n"
		"       %s plot DIR|FILE DIR|FILE... -o OUTDIR [--term png|svg|dumb]\n"
		"  Writes OUTDIR/summary.csv and delta.csv (statistics per case), then runs the\n"
		"  gnuplot scripts in plot/ on them: throughput-W, delta-W and, for latency-mode\n"
		"  cases, latency-W, per workload W, as PNG and SVG (default) or a text preview\n"
		"  on stdout (--term dumb). OUTDIR defaults to DIR (or FILE's directory).\n"
		"  --base S     strategy the delta plots compare against (default resv)\n"
		"  --alpha X    significance level written to delta.csv (default: the files'\n"
		"               own, else 0.05)\n"
		"  With several: the fleet chart, OUTDIR/fleet.png and .svg, each machine's\n"
		"  strategies against resv (as 'gvbench report DIR...'), and fleet.csv.\n"
		"  Scripts: $GVB_PLOT_DIR, else the source tree's plot/.\n", gvb_prog, gvb_prog);
}

int gvb_cmd_plot(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "term", required_argument, NULL, 't' },
		{ "base", required_argument, NULL, 'b' },
		{ "alpha", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const terms_default[] = { "png", "svg" };
	struct plot_ctx x = { .base = "resv", .alpha = 0.05 };
	bool alpha_set = false;
	char err[3 * PATH_MAX], plotdir[PATH_MAX], script[PATH_MAX + 32], outbuf[PATH_MAX];
	char *settings = NULL, *machine = NULL, *kernel = NULL, *title = NULL;
	const char *const *terms = terms_default;
	unsigned int nterms = 2, i, k, ndelta = 0, nfiles = 0;
	bool base_given = false;
	size_t slen = 0;
	int c, ret = 1;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			x.outdir = optarg;
			break;
		case 't':
			if (strcmp(optarg, "png") && strcmp(optarg, "svg") &&
			    strcmp(optarg, "dumb"))
				gvb_die_usage("plot: --term: '%s' is not png, svg or dumb", optarg);
			x.term = optarg;
			break;
		case 'b':
			x.base = optarg;
			base_given = true;
			break;
		case 'a':
			x.alpha = gvb_arg_alpha("plot", optarg);
			alpha_set = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			gvb_die_option(c, argc, argv, "plot");
		}
	}
	if (argc - optind < 1)
		gvb_die_usage("plot: needs one result directory or file, or several for the fleet chart (see '%s plot --help')",
			      gvb_prog);
	if (argc - optind > 1) {
		if (base_given && strcmp(x.base, "resv"))
			gvb_die_usage("plot: --base is for one result; the fleet chart compares with resv, as the fleet report");
		return gvb_plot_fleet(argv + optind, argc - optind, x.outdir, x.term, x.alpha,
				      alpha_set);
	}
	if (x.term) {
		terms = (const char *const *)&x.term;
		nterms = 1;
	}

	if (gvb_rset_load(&x.s, argv[optind], err, sizeof(err)))
		goto fail;
	if (!x.s.ncases) {
		snprintf(err, sizeof(err), "%s: no cases to plot", argv[optind]);
		goto fail;
	}
	if (!alpha_set)
		x.alpha = gvb_rset_alpha(&x.s);
	for (i = 0; base_given && i < x.s.ncases; i++)
		if (!strcmp(x.s.cases[i]->strategy, x.base))
			break;
	if (base_given && i == x.s.ncases) {
		snprintf(err, sizeof(err), "--base %s: no case of that strategy in %s", x.base,
			 argv[optind]);
		goto fail;
	}
	/* Fail before writing anything if gnuplot cannot run at all. */
	if (!gvb_in_path("gnuplot")) {
		snprintf(err, sizeof(err), "gnuplot not found: apt-get install gnuplot-nox");
		goto fail;
	}
	if (gvb_find_plot_dir(plotdir, sizeof(plotdir), err, sizeof(err)))
		goto fail;
	if (!x.outdir) {
		snprintf(outbuf, sizeof(outbuf), "%s", argv[optind]);
		x.outdir = x.s.is_dir ? argv[optind] : dirname(outbuf);
	} else if ((ret = gvb_make_dirs(x.outdir))) {
		snprintf(err, sizeof(err), "cannot create %s: %s", x.outdir, strerror(-ret));
		goto fail;
	}
	ret = collect(&x, err, sizeof(err));
	if (ret == -ENOMEM)
		snprintf(err, sizeof(err), "out of memory");
	if (ret)
		goto fail;
	x.order = malloc(x.s.ncases * sizeof(*x.order));
	if (!x.order) {
		snprintf(err, sizeof(err), "out of memory");
		goto fail;
	}
	for (i = 0; i < x.s.ncases; i++)
		x.order[i] = i;
	sort_ctx = &x;
	qsort(x.order, x.s.ncases, sizeof(*x.order), cmp_cases);
	if (write_summary(&x, err, sizeof(err)) || write_delta(&x, &ndelta, err, sizeof(err)))
		goto fail;

	machine = gvb_rset_field(&x.s, GVB_MF_MACHINE);
	kernel = gvb_rset_field(&x.s, GVB_MF_KERNEL);
	if (!machine || !kernel || asprintf(&title, "%s, kernel %s", machine, kernel) < 0) {
		title = NULL;
		snprintf(err, sizeof(err), "out of memory");
		goto fail;
	}
	for (k = 0; k < nterms; k++) {
		static const char *const scripts[] = { "throughput", "delta", "latency" };
		unsigned int sc;

		for (sc = 0; sc < 3; sc++) {
			const struct gvb_words *w = sc == 0 ? &x.workloads :
						sc == 1 ? &x.delta_workloads : &x.lat_workloads;

			/* Nothing to draw: no latency-mode cases, or no base to compare with. */
			if (!w->n || (sc == 1 && !ndelta))
				continue;
			slen = 0;
			if (gvb_gp_str(&settings, &slen, "plotdir", plotdir) ||
			    gvb_gp_str(&settings, &slen, "datadir", x.outdir) ||
			    gvb_gp_str(&settings, &slen, "outdir", x.outdir) ||
			    gvb_gp_str(&settings, &slen, "term", terms[k]) ||
			    gvb_gp_str(&settings, &slen, "machine", title) ||
			    gvb_gp_str(&settings, &slen, "workloads", w->buf) ||
			    gvb_gp_str(&settings, &slen, "strategies",
				   sc == 2 ? x.lat_strategies.buf : x.strategies.buf) ||
			    gvb_gp_str(&settings, &slen, "others", x.others.buf ? x.others.buf : "") ||
			    gvb_gp_str(&settings, &slen, "threads",
				   (sc == 2 ? x.lat_threads.buf : x.threads.buf) ?: "") ||
			    gvb_gp_str(&settings, &slen, "base", x.base)) {
				snprintf(err, sizeof(err), "out of memory");
				goto fail;
			}
			snprintf(script, sizeof(script), "%s/%s.gp", plotdir, scripts[sc]);
			if (gvb_run_gnuplot(settings, script, err, sizeof(err)))
				goto fail;
			if (strcmp(terms[k], "dumb") &&
			    check_outputs(&x, scripts[sc], w, terms[k], &nfiles, err, sizeof(err)))
				goto fail;
		}
	}
	if (!x.lat_workloads.n)
		fprintf(stderr, "%s: no latency-mode cases: latency plots skipped\n", gvb_prog);
	if (!ndelta)
		fprintf(stderr, "%s: no delta to draw (it needs throughput samples of a %s case and of the others, with a nonzero median): delta plots skipped\n", gvb_prog,
			x.base);
	if (nfiles)
		fprintf(stderr, "%s: wrote %u plots, summary.csv and delta.csv in %s\n", gvb_prog,
			nfiles, x.outdir);
	ret = 0;
	goto out;
fail:
	fprintf(stderr, "%s: %s\n", gvb_prog, err);
	ret = 1;
out:
	free(settings);
	free(machine);
	free(kernel);
	free(title);
	free(x.order);
	free(x.workloads.buf);
	free(x.strategies.buf);
	free(x.others.buf);
	free(x.threads.buf);
	free(x.lat_workloads.buf);
	free(x.delta_workloads.buf);
	free(x.lat_strategies.buf);
	free(x.lat_threads.buf);
	gvb_rset_free(&x.s);
	return ret;
}
