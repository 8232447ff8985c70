// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * gvbench plot DIR DIR... -o OUTDIR: the fleet chart. Each machine's
 * strategies against resv, at the workload and thread count of its answer,
 * as bars with 95% CI whiskers, machines side by side on one chart
 * (plot/fleet.gp). The numbers are the fleet report's (fleet.h): one
 * machine's samples each, never pooled. Written beside the chart:
 *
 *   fleet.csv  one row per machine and strategy: the change of ns/op in %
 *              of that machine's resv median and in ns, its CI, p, design,
 *              where it was measured and the machine's description
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/fleet.h"
#include "cli/gnuplot.h"

/* @s with every character gnuplot would split a word list at, or a CSV at, made '_'. */
static void plain(char *dst, size_t len, const char *s)
{
	size_t i;

	if (dst != s)
		snprintf(dst, len, "%s", s);
	for (i = 0; dst[i]; i++)
		if (dst[i] <= ' ' || strchr("'\",;", dst[i]) || (unsigned char)dst[i] > 0x7e)
			dst[i] = '_';
}

/*
 * A machine's word on the chart and in fleet.csv: id/arch/host/backend/engine
 * ("M2/x86_64/uml/kmod/model"); the host kind keeps UML and a VM apart.
 */
static void fleet_label(char *dst, size_t len, const struct fleet_machine *fm)
{
	snprintf(dst, len, "%s/%s/%s/%s/%s", fm->id, fm->m->arch, fm->m->host, fm->m->backend,
		 fm->engine);
	plain(dst, len, dst);
}

static int write_fleet_csv(const struct fleet *f, const char *outdir, unsigned int *rows,
			   char *err, size_t errlen)
{
	char path[PATH_MAX + 32], where[160], desc[512], w[160];
	unsigned int i, k;
	FILE *out = gvb_gp_open_csv(outdir, "fleet.csv", path, sizeof(path), err, errlen);

	*rows = 0;
	if (!out)
		return -EIO;
	fprintf(out, "machine,label,strategy,where,delta_pct,ci_lo_pct,ci_hi_pct,p_value,"
		"significant,delta_ns,ci_lo_ns,ci_hi_ns,design,description\n");
	for (i = 0; i < f->nmach; i++) {
		const struct fleet_machine *fm = &f->mach[i];
		char label[128];

		fleet_label(label, sizeof(label), fm);
		snprintf(desc, sizeof(desc), "%s %s %u cores kernel %s %s %s from %s", fm->m->arch,
			 fm->m->cpu_model, fm->m->cores, fm->m->kernel, fm->m->backend, fm->engine,
			 f->sets[fm->arg].path);
		/* The description is free text in one column: no separators inside it. */
		for (k = 0; desc[k]; k++)
			if (desc[k] == ',' || desc[k] == '"' || desc[k] == '\n')
				desc[k] = ';';
		for (k = 0; k < f->nlabels; k++) {
			const char *why;
			const struct gvb_delta *d = gvb_fleet_quantity(f, fm, GVB_FQ_STRATEGY + k,
								       &why);
			double m;

			if (!d)
				continue;
			m = d->base.median;
			/* "map-unmap-4K/t1": where this machine's answer was measured. */
			snprintf(where, sizeof(where), "%s/t%u",
				 fm->a.g->group[0] ? fm->a.g->group : fm->a.g->base->workload,
				 fm->a.g->base->threads);
			plain(w, sizeof(w), where);
			fprintf(out, "%s,%s,%s,%s,", fm->id, label, f->labels[k], w);
			gvb_gp_num(out, d->pct, false);
			gvb_gp_num(out, 100.0 * d->ci_lo / m, false);
			gvb_gp_num(out, 100.0 * d->ci_hi / m, false);
			gvb_gp_num(out, d->p, false);
			fprintf(out, "%d,", d->significant);
			gvb_gp_num(out, d->delta, false);
			gvb_gp_num(out, d->ci_lo, false);
			gvb_gp_num(out, d->ci_hi, false);
			fprintf(out, "%s,%s\n", gvb_design_name(d->design), desc);
			*rows += isfinite(d->pct);
		}
	}
	return gvb_gp_close_csv(out, path, err, errlen);
}

int gvb_plot_fleet(char **paths, unsigned int npaths, const char *outdir, const char *term,
		   double alpha, bool alpha_set)
{
	static const char *const terms_default[] = { "png", "svg" };
	const char *const *terms = term ? &term : terms_default;
	unsigned int nterms = term ? 1 : 2, i, rows = 0, nfiles = 0;
	struct gvb_words ids = { 0 }, labels = { 0 }, strategies = { 0 }, others = { 0 };
	char err[3 * PATH_MAX], plotdir[PATH_MAX], script[PATH_MAX + 32], out[PATH_MAX + 32];
	char word[160], where[200];
	char *settings = NULL;
	bool common = false;
	struct fleet f = { 0 };
	size_t slen = 0;
	struct stat st;
	int ret;

	if (!outdir)
		gvb_die_usage("plot: several result sets need -o OUTDIR for the fleet chart");
	if (!gvb_in_path("gnuplot")) {
		snprintf(err, sizeof(err), "gnuplot not found: apt-get install gnuplot-nox");
		goto fail;
	}
	if (gvb_find_plot_dir(plotdir, sizeof(plotdir), err, sizeof(err)) ||
	    gvb_fleet_load(&f, paths, npaths, alpha, alpha_set, err, sizeof(err)))
		goto fail;
	ret = gvb_make_dirs(outdir);
	if (ret) {
		snprintf(err, sizeof(err), "cannot create %s: %s", outdir, strerror(-ret));
		goto fail;
	}
	if (write_fleet_csv(&f, outdir, &rows, err, sizeof(err)))
		goto fail;
	if (!rows) {
		snprintf(err, sizeof(err), "no machine has a strategy beside resv at its answer's "
			 "workload: nothing to draw (fleet.csv written)");
		goto fail;
	}
	/* Colours as in delta.gp: resv first, then the strategies in report order. */
	if (gvb_words_add(&strategies, "resv"))
		goto oom;
	for (i = 0; i < f.nlabels; i++) {
		plain(word, sizeof(word), f.labels[i]);
		if (gvb_words_add(&strategies, word) || gvb_words_add(&others, word))
			goto oom;
	}
	for (i = 0; i < f.nmach; i++) {
		fleet_label(word, sizeof(word), &f.mach[i]);
		if (gvb_words_add(&ids, f.mach[i].id) || gvb_words_add(&labels, word))
			goto oom;
	}
	/* The second title line: where the bars were measured, if one place for all. */
	snprintf(where, sizeof(where), "at each machine's answer workload (fleet.csv: where)");
	for (i = 0; i < f.nmach; i++) {
		char w[160];

		if (!f.mach[i].a.g)
			continue;
		gvb_report_group_where(w, sizeof(w), f.mach[i].a.g);
		if (!common)
			snprintf(where, sizeof(where), "at %s", w);
		else if (strcmp(where + 3, w))
			snprintf(where, sizeof(where), "at each machine's answer workload (fleet.csv: where)");
		common = true;
	}
	snprintf(script, sizeof(script), "%s/fleet.gp", plotdir);
	for (i = 0; i < nterms; i++) {
		slen = 0;
		if (gvb_gp_str(&settings, &slen, "plotdir", plotdir) ||
		    gvb_gp_str(&settings, &slen, "datadir", outdir) ||
		    gvb_gp_str(&settings, &slen, "outdir", outdir) ||
		    gvb_gp_str(&settings, &slen, "term", terms[i]) ||
		    gvb_gp_str(&settings, &slen, "machines", ids.buf) ||
		    gvb_gp_str(&settings, &slen, "mlabels", labels.buf) ||
		    gvb_gp_str(&settings, &slen, "strategies", strategies.buf) ||
		    gvb_gp_str(&settings, &slen, "others", others.buf ? others.buf : "") ||
		    gvb_gp_str(&settings, &slen, "where", where) ||
		    gvb_gp_str(&settings, &slen, "base", "resv"))
			goto oom;
		if (gvb_run_gnuplot(settings, script, err, sizeof(err)))
			goto fail;
		if (!strcmp(terms[i], "dumb"))
			continue;
		snprintf(out, sizeof(out), "%s/fleet.%s", outdir, terms[i]);
		if (stat(out, &st) || !st.st_size) {
			snprintf(err, sizeof(err), "gnuplot exited 0 but %s is %s", out,
				 stat(out, &st) ? "missing" : "empty");
			goto fail;
		}
		nfiles++;
	}
	if (nfiles)
		fprintf(stderr, "%s: wrote the fleet chart of %u machines (%u image%s) and "
			"fleet.csv in %s\n", gvb_prog, f.nmach, nfiles, nfiles == 1 ? "" : "s",
			outdir);
	ret = 0;
	goto out;
oom:
	snprintf(err, sizeof(err), "out of memory");
fail:
	fprintf(stderr, "%s: %s\n", gvb_prog, err);
	ret = 1;
out:
	free(settings);
	free(ids.buf);
	free(labels.buf);
	free(strategies.buf);
	free(others.buf);
	gvb_fleet_free(&f);
	return ret;
}
