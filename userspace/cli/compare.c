// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * gvbench compare: benchstat for gvbench result files.
 *
 *   gvbench compare BASE NEW            (each a result JSON or a directory)
 *   gvbench compare RUN --base STRATEGY (every strategy against one)
 *
 * One row per case both sides have: the median ns/op of each side with
 * the 95% CI of the median as a +- percentage, the change by the one
 * estimator (stats/estimate.h) with its p-value, "+6.32% (p=0.007 n=8)",
 * or "~ (p=0.450 n=8)" when p >= alpha, and its 95% CI on the line below.
 * BASE NEW are two runs: unpaired (Hodges-Lehmann, U test). --base within
 * one run: cases of one interleaved group paired by round (Wilcoxon
 * signed-rank). A geomean row closes the table.
 *
 * The output goes into mail, so it is plain ASCII, at most 75 columns,
 * with a setup block first (where each side ran), and nothing is dropped
 * silently: cases without a partner are listed under their own heading.
 * Everything printed comes from the files, never from this machine.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/compare.h"
#include "result/resultset.h"
#include "stats/stats.h"

static int cmp_list_add(struct cmp_list *l, const struct gvb_case *c)
{
	const struct gvb_case **n = realloc(l->cases, (l->n + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	l->cases = n;
	l->cases[l->n++] = c;
	return 0;
}

static struct cmp_row *row_add(struct cmp_ctx *x, const struct gvb_case *base,
			       const struct gvb_case *new)
{
	struct cmp_row *rows = realloc(x->rows, (x->nrows + 1) * sizeof(*rows)), *r;

	if (!rows)
		return NULL;
	x->rows = rows;
	r = &rows[x->nrows++];
	memset(r, 0, sizeof(*r));
	r->base = base;
	r->new = new;
	/*
	 * "map-unmap-4K/t2" heads the rows of its strategies: the labels stay
	 * short enough for 75 columns, and in --base mode a block is exactly
	 * the base case and what is compared with it.
	 */
	if (gvb_name_without_strategy(r->group, sizeof(r->group), new->name)) {
		r->group[0] = '\0';
		snprintf(r->label, sizeof(r->label), "%s", new->name);
	} else {
		gvb_case_label(r->label, sizeof(r->label), new);
	}
	return r;
}

/* BASE NEW: rows in the order of BASE, then what only one side has. */
static int pair_files(struct cmp_ctx *x)
{
	unsigned int i;

	for (i = 0; i < x->sb.ncases; i++) {
		const struct gvb_case *b = x->sb.cases[i];
		const struct gvb_case *n = gvb_rset_find(&x->sn, b->name);

		if (n ? !row_add(x, b, n) : cmp_list_add(&x->only_base, b))
			return -ENOMEM;
	}
	for (i = 0; i < x->sn.ncases; i++)
		if (!gvb_rset_find(&x->sb, x->sn.cases[i]->name) &&
		    cmp_list_add(&x->only_new, x->sn.cases[i]))
			return -ENOMEM;
	return 0;
}

/*
 * --base: each case against the base strategy's case whose name differs
 * only in the strategy component. only_new collects cases with no such
 * base case, only_base base cases that nothing was compared with.
 */
static bool has_label(const struct gvb_case *c, const char *strategy)
{
	char label[64];

	gvb_case_label(label, sizeof(label), c);
	return !strcmp(label, strategy);
}

static int pair_strategies(struct cmp_ctx *x, char *err, size_t errlen)
{
	const struct gvb_rset *s = &x->sb;
	unsigned int i, j;
	bool found = false;

	for (i = 0; i < s->ncases && !found; i++)
		found = has_label(s->cases[i], x->base_strategy);
	if (!found) {
		size_t used = 0;
		char list[256] = "";

		for (i = 0; i < s->ncases; i++) {
			for (j = 0; j < i; j++)
				if (!strcmp(s->cases[i]->strategy, s->cases[j]->strategy))
					break;
			if (j == i && used < sizeof(list))
				used += snprintf(list + used, sizeof(list) - used, "%s%s",
						 used ? ", " : "", s->cases[i]->strategy);
		}
		snprintf(err, errlen, "--base %s: no case of that strategy in %s (it has: %s)",
			 x->base_strategy, s->path, used ? list : "no cases");
		return -EINVAL;
	}
	for (i = 0; i < s->ncases; i++) {
		const struct gvb_case *c = s->cases[i], *b;

		if (has_label(c, x->base_strategy))
			continue;
		b = gvb_rset_base_of(s, x->base_strategy, c);
		if (b ? !row_add(x, b, c) : cmp_list_add(&x->only_new, c))
			return -ENOMEM;
	}
	for (i = 0; i < s->ncases; i++) {
		const struct gvb_case *b = s->cases[i];

		if (!has_label(b, x->base_strategy))
			continue;
		for (j = 0; j < x->nrows; j++)
			if (x->rows[j].base == b)
				break;
		if (j == x->nrows && cmp_list_add(&x->only_base, b))
			return -ENOMEM;
	}
	return 0;
}

/* ------------------------------------------------------------- output */

/* One setup line, or two ("base ...", "new ...") when the sides differ. */
static void setup_field(const char *key, const char *b, const char *n, bool shell)
{
	/* Continuations of a command are indented once more, as a shell user would. */
	const char *cont = shell ? "               " : "              ";
	char first[32];

	if (!n || !strcmp(b, n)) {
		snprintf(first, sizeof(first), "%-9s", key);
		gvb_print_wrapped(stdout, first, shell ? "           " : "         ", b, shell);
		return;
	}
	snprintf(first, sizeof(first), "%-9sbase ", key);
	gvb_print_wrapped(stdout, first, cont, b, shell);
	snprintf(first, sizeof(first), "%-9snew  ", "");
	gvb_print_wrapped(stdout, first, cont, n, shell);
}

static void side_line(const char *key, const struct gvb_rset *s)
{
	char *text;

	if (!s->is_dir) {
		text = strdup(s->path);
	} else if (asprintf(&text, "%s (%u file%s)", s->path, s->nfiles,
			    s->nfiles == 1 ? "" : "s") < 0) {
		text = NULL;
	}
	if (text)
		gvb_print_wrapped(stdout, key, "         ", text, false);
	free(text);
}

static int print_setup(const struct cmp_ctx *x)
{
	static const struct {
		const char *key;
		enum gvb_meta_field field;
	} fields[] = {
		{ "machine:", GVB_MF_MACHINE },
		{ "kernel:", GVB_MF_KERNEL },
		{ "backend:", GVB_MF_BACKEND },
		{ "command:", GVB_MF_COMMAND },
	};
	bool two = !x->base_strategy;
	unsigned int i;

	if (two) {
		side_line("base:    ", &x->sb);
		side_line("new:     ", &x->sn);
	} else {
		side_line("file:    ", &x->sb);
	}
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		char *b = gvb_rset_field(&x->sb, fields[i].field);
		char *n = two ? gvb_rset_field(&x->sn, fields[i].field) : NULL;

		if (!b || (two && !n)) {
			free(b);
			free(n);
			return -ENOMEM;
		}
		setup_field(fields[i].key, b, n, fields[i].field == GVB_MF_COMMAND);
		free(b);
		free(n);
	}
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: %s compare [--alpha X] BASE NEW\n"
		"       %s compare [--alpha X] RUN --base STRATEGY\n"
		"  BASE, NEW, RUN  a result JSON, or a directory: all its *.json together\n"
		"  --base S        compare every strategy in RUN against S, per workload/threads\n"
		"  --alpha X       significance level (default: the files' own, else 0.05)\n"
		"Median ns/op (hot path) +- the 95%% CI of the median, the delta with its 95%%\n"
		"CI and p-value, or ~ when p >= alpha; a geomean row last. Within one run\n"
		"(--base) cases of one interleaved group are paired by round (Wilcoxon\n"
		"signed-rank); two runs are compared unpaired (Hodges-Lehmann, U test).\n",
		gvb_prog, gvb_prog);
}

int gvb_cmd_compare(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "base", required_argument, NULL, 'b' },
		{ "alpha", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cmp_ctx x = { .alpha = 0.05 };
	bool alpha_set = false;
	char err[1024];
	unsigned int i;
	int c, ret = 1;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			x.base_strategy = optarg;
			break;
		case 'a':
			x.alpha = gvb_arg_alpha("compare", optarg);
			alpha_set = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			gvb_die_option(c, argc, argv, "compare");
		}
	}
	argc -= optind;
	argv += optind;
	if (x.base_strategy && argc != 1)
		gvb_die_usage("compare: --base takes one result (RUN --base STRATEGY), got %d",
			      argc);
	if (!x.base_strategy && argc != 2)
		gvb_die_usage("compare: needs BASE and NEW, or RUN --base STRATEGY (see '%s compare --help')",
			      gvb_prog);

	if (gvb_rset_load(&x.sb, argv[0], err, sizeof(err)) ||
	    gvb_rset_need_samples(&x.sb, err, sizeof(err)))
		goto fail;
	if (!x.base_strategy && (gvb_rset_load(&x.sn, argv[1], err, sizeof(err)) ||
				 gvb_rset_need_samples(&x.sn, err, sizeof(err))))
		goto fail;
	ret = x.base_strategy ? pair_strategies(&x, err, sizeof(err)) : pair_files(&x);
	if (ret == -ENOMEM)
		snprintf(err, sizeof(err), "out of memory");
	if (ret)
		goto fail;
	if (!alpha_set)
		x.alpha = gvb_rset_alpha(&x.sb);
	for (i = 0; i < x.nrows; i++) {
		/* Two runs never pair; within one run, cases of one interleaved group do. */
		bool paired = x.base_strategy &&
			      gvb_rset_paired(&x.sb, x.rows[i].base, x.rows[i].new);

		if (gvb_delta_compute(x.rows[i].base, x.rows[i].new, GVB_METRIC_NS, x.alpha, paired,
				      &x.rows[i].d)) {
			snprintf(err, sizeof(err), "out of memory");
			goto fail;
		}
	}
	if (gvb_compare_group_rows(&x) || print_setup(&x)) {
		snprintf(err, sizeof(err), "out of memory");
		goto fail;
	}
	gvb_compare_choose_units(&x);
	for (i = 0; i < x.nrows; i++)
		gvb_compare_format_row(&x, &x.rows[i]);
	putchar('\n');
	if (x.nrows)
		gvb_compare_print_table(&x);
	else if (x.base_strategy)
		printf("no case to compare with %s\n", x.base_strategy);
	else
		printf("no case is in both base and new\n");
	if (x.base_strategy) {
		char h[128];

		snprintf(h, sizeof(h), "no %s case in the same group", x.base_strategy);
		gvb_compare_print_list(h, &x.only_new);
		snprintf(h, sizeof(h), "%s, nothing to compare with", x.base_strategy);
		gvb_compare_print_list(h, &x.only_base);
	} else {
		gvb_compare_print_list("only in base", &x.only_base);
		gvb_compare_print_list("only in new", &x.only_new);
	}
	if (x.nrows) {
		putchar('\n');
		if (x.ci_unknown)
			printf("+- ?: fewer than 6 samples, too few for a 95%% CI of the median\n");
		for (i = 0; i < 2; i++) {
			char line[256];

			if (!x.designs[i])
				continue;
			snprintf(line, sizeof(line), "%s; its 95%% CI on the line below; p from "
				 "the %s test", i == GVB_DESIGN_PAIRED ?
				 "the shift of the per-round differences (paired by round: "
				 "the median of their Walsh averages)" :
				 "the Hodges-Lehmann shift (unpaired)", gvb_design_test(i));
			gvb_print_wrapped(stdout, "delta: ", "  ", line, false);
		}
		printf("~: no significant difference at alpha %g\n", x.alpha);
	}
	/* Nothing compared is an answer, but not a success a script may take as one. */
	ret = !x.nrows;
	if (ret)
		fprintf(stderr, "%s: compare: no pair of cases to compare (see the lists above)\n",
			gvb_prog);
	goto out;
fail:
	fprintf(stderr, "%s: %s\n", gvb_prog, err);
	ret = 1;
out:
	free(x.rows);
	free(x.only_base.cases);
	free(x.only_new.cases);
	gvb_rset_free(&x.sb);
	gvb_rset_free(&x.sn);
	return ret;
}
