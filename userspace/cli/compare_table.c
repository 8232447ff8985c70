// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * gvbench compare: the table. The compared rows grouped, one unit per
 * group, each row's cells formatted, then printed in columns sized to
 * their widest cell with a geomean row at the end, and the cases left
 * out listed under their own heading.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/compare.h"
#include "stats/stats.h"

/* Lines are built in a buffer so that none ends in spaces. */
static void emit(char *line)
{
	size_t n = strlen(line);

	while (n && line[n - 1] == ' ')
		line[--n] = '\0';
	puts(line);
}

/*
 * One unit down both columns of a group where its values allow (the
 * smallest median decides, so no value reads 0.0xxus); a group spanning
 * more than 10^5 of that unit falls back to a unit per row.
 */
void gvb_compare_choose_units(struct cmp_ctx *x)
{
	unsigned int i, j;

	for (i = 0; i < x->nrows; i = j) {
		double lo = INFINITY, hi = 0;
		const struct gvb_unit *u;

		for (j = i; j < x->nrows && !strcmp(x->rows[j].group, x->rows[i].group); j++) {
			double v[2] = { x->rows[j].d.base.median, x->rows[j].d.new.median };
			unsigned int k;

			for (k = 0; k < 2; k++) {
				if (!isfinite(v[k]))
					continue;
				lo = fmin(lo, fabs(v[k]));
				hi = fmax(hi, fabs(v[k]));
			}
		}
		u = gvb_unit_for(isfinite(lo) ? lo : 1);
		for (j = i; j < x->nrows && !strcmp(x->rows[j].group, x->rows[i].group); j++) {
			struct cmp_row *r = &x->rows[j];

			r->unit = u;
			if (hi / u->ns >= 1e5)
				r->unit = gvb_unit_for(fmin(fabs(r->d.base.median),
							    fabs(r->d.new.median)));
		}
	}
}

void gvb_compare_format_row(struct cmp_ctx *x, struct cmp_row *r)
{
	char p[24];

	gvb_fmt_time(r->bval, sizeof(r->bval), r->d.base.median, r->unit, false);
	gvb_fmt_time(r->nval, sizeof(r->nval), r->d.new.median, r->unit, false);
	gvb_fmt_ci_pct(r->bci, sizeof(r->bci), &r->d.base);
	gvb_fmt_ci_pct(r->nci, sizeof(r->nci), &r->d.new);
	if (!strcmp(r->bci, "?") || !strcmp(r->nci, "?"))
		x->ci_unknown = true;
	gvb_fmt_p(p, sizeof(p), r->d.p, x->alpha);
	if (!r->d.significant)
		snprintf(r->pct, sizeof(r->pct), "~");
	else if (isfinite(r->d.pct))
		snprintf(r->pct, sizeof(r->pct), "%+.2f%%", r->d.pct);
	else
		snprintf(r->pct, sizeof(r->pct), "?");
	snprintf(r->ptext, sizeof(r->ptext), "(p=%s n=%u)", p, r->d.n);
	/* The CI of the delta, in % of the base median as the delta is. */
	if (isfinite(r->d.ci_lo) && isfinite(r->d.ci_hi) && r->d.base.median)
		snprintf(r->dci, sizeof(r->dci), "[%+.2f%%, %+.2f%%]",
			 100.0 * r->d.ci_lo / r->d.base.median, 100.0 * r->d.ci_hi / r->d.base.median);
	else
		snprintf(r->dci, sizeof(r->dci), "[no CI]");
	x->designs[r->d.design] = true;
}

/* Stable: rows of one group together, groups in order of first appearance. */
int gvb_compare_group_rows(struct cmp_ctx *x)
{
	struct cmp_row *sorted = malloc((x->nrows ? x->nrows : 1) * sizeof(*sorted));
	bool *taken = calloc(x->nrows ? x->nrows : 1, sizeof(*taken));
	unsigned int i, j, k = 0;

	if (!sorted || !taken) {
		free(sorted);
		free(taken);
		return -ENOMEM;
	}
	for (i = 0; i < x->nrows; i++) {
		if (taken[i])
			continue;
		for (j = i; j < x->nrows; j++) {
			if (!taken[j] && !strcmp(x->rows[j].group, x->rows[i].group)) {
				sorted[k++] = x->rows[j];
				taken[j] = true;
			}
		}
	}
	if (x->nrows)	/* rows is NULL when nothing pairs up */
		memcpy(x->rows, sorted, x->nrows * sizeof(*sorted));
	free(sorted);
	free(taken);
	return 0;
}

static size_t maxlen(size_t a, const char *s)
{
	size_t n = strlen(s);

	return n > a ? n : a;
}

struct geo_row {
	const char *label;
	char bval[24], nval[24], pct[32];
};

/*
 * The geomean of the medians of each side over the rows with @label (all
 * rows if NULL), and the change between the two. 0 if there is no row
 * with two positive medians.
 */
static int geomean_row(const struct cmp_ctx *x, const char *label, struct geo_row *g)
{
	double *gb = malloc((x->nrows + 1) * sizeof(double));
	double *gn = malloc((x->nrows + 1) * sizeof(double));
	unsigned int i, n = 0;

	if (!gb || !gn) {
		free(gb);
		free(gn);
		return 0;
	}
	for (i = 0; i < x->nrows; i++) {
		const struct cmp_row *r = &x->rows[i];

		if (label && strcmp(r->label, label))
			continue;
		if (r->d.base.median > 0 && r->d.new.median > 0) {
			gb[n] = r->d.base.median;
			gn[n++] = r->d.new.median;
		}
	}
	if (n) {
		double b = gvb_geomean(gb, n), nn = gvb_geomean(gn, n);
		const struct gvb_unit *u = gvb_unit_for(fmin(b, nn));

		g->label = label ? label : "geomean";
		gvb_fmt_time(g->bval, sizeof(g->bval), b, u, false);
		gvb_fmt_time(g->nval, sizeof(g->nval), nn, u, false);
		snprintf(g->pct, sizeof(g->pct), "%+.2f%%", 100.0 * (nn / b - 1));
	}
	free(gb);
	free(gn);
	return n ? 1 : 0;
}

/*
 * The geomean closes the table: one row for BASE NEW; in --base mode one
 * per strategy, because a geomean over different strategies would mix the
 * answers to different questions.
 */
static unsigned int geomean_rows(const struct cmp_ctx *x, struct geo_row *g)
{
	unsigned int i, j, n = 0;

	if (x->nrows < 2)
		return 0;
	if (!x->base_strategy)
		return geomean_row(x, NULL, g);
	for (i = 0; i < x->nrows; i++) {
		for (j = 0; j < i; j++)
			if (!strcmp(x->rows[j].label, x->rows[i].label))
				break;
		if (j == i)
			n += geomean_row(x, x->rows[i].label, &g[n]);
	}
	return n;
}

void gvb_compare_print_table(struct cmp_ctx *x)
{
	size_t lw = 0, vw = 0, cw = 0, dw = 1, pw = 0, cell, rest;
	struct geo_row *geo = calloc(x->nrows + 1, sizeof(*geo));
	const char *prev_group = NULL, *indent;
	unsigned int i, ngeo = geo ? geomean_rows(x, geo) : 0;
	char line[512], delta_head[64];

	for (i = 0; i < x->nrows; i++) {
		struct cmp_row *r = &x->rows[i];

		lw = strlen(r->label) + 2 > lw ? strlen(r->label) + 2 : lw;
		vw = maxlen(maxlen(vw, r->bval), r->nval);
		cw = maxlen(maxlen(cw, r->bci), r->nci);
		dw = maxlen(dw, r->pct);
		pw = maxlen(pw, r->ptext);
	}
	for (i = 0; i < ngeo; i++) {
		lw = strlen(geo[i].label) + 2 > lw ? strlen(geo[i].label) + 2 : lw;
		vw = maxlen(maxlen(vw, geo[i].bval), geo[i].nval);
		dw = maxlen(dw, geo[i].pct);
	}
	/* "883.0ns +-13%": the value, then the CI right-aligned after "+-". */
	cell = vw + 3 + cw;
	cell = cell > strlen("ns/op") ? cell : strlen("ns/op");
	rest = 2 + cell + 2 + cell + 2 + dw + 1 + pw;
	/* Too wide: long labels go on a line of their own. */
	if (lw + rest > GVB_TEXT_WIDTH)
		lw = GVB_TEXT_WIDTH > rest + 8 ? GVB_TEXT_WIDTH - rest : 8;

	snprintf(delta_head, sizeof(delta_head), "vs %s",
		 x->base_strategy ? x->base_strategy : "base");
	snprintf(line, sizeof(line), "%*s  %-*s  %s", (int)lw, "", (int)cell,
		 x->base_strategy ? x->base_strategy : "base",
		 x->base_strategy ? "strategy" : "new");
	emit(line);
	snprintf(line, sizeof(line), "%*s  %-*s  %-*s  %s", (int)lw, "", (int)cell, "ns/op",
		 (int)cell, "ns/op", delta_head);
	emit(line);
	for (i = 0; i < x->nrows; i++) {
		struct cmp_row *r = &x->rows[i];
		char label[160];

		if (!prev_group || strcmp(prev_group, r->group)) {
			if (r->group[0])
				gvb_print_wrapped(stdout, "", "", r->group, false);
			prev_group = r->group;
		}
		indent = r->group[0] ? "  " : "";
		snprintf(label, sizeof(label), "%s%s", indent, r->label);
		if (strlen(label) > lw) {
			gvb_print_wrapped(stdout, indent, indent, r->label, false);
			label[0] = '\0';
		}
		snprintf(line, sizeof(line), "%-*s  %*s +-%*s  %*s +-%*s  %*s %s", (int)lw, label,
			 (int)vw, r->bval, (int)cw, r->bci, (int)vw, r->nval, (int)cw, r->nci,
			 (int)dw, r->pct, r->ptext);
		emit(line);
		/* The delta's CI on a line of its own, under the delta: 75 columns. */
		snprintf(line, sizeof(line), "%*s%s", (int)(lw + 2 + cell + 2 + cell + 2), "",
			 r->dci);
		emit(line);
	}
	if (x->base_strategy && ngeo)
		puts("geomean");
	for (i = 0; i < ngeo; i++) {
		char label[160];

		snprintf(label, sizeof(label), "%s%s", x->base_strategy ? "  " : "", geo[i].label);
		snprintf(line, sizeof(line), "%-*s  %*s%*s  %*s%*s  %*s", (int)lw, label, (int)vw,
			 geo[i].bval, (int)cw + 3, "", (int)vw, geo[i].nval, (int)cw + 3, "",
			 (int)dw, geo[i].pct);
		emit(line);
	}
	free(geo);
}

void gvb_compare_print_list(const char *heading, const struct cmp_list *l)
{
	unsigned int i;

	if (!l->n)
		return;
	printf("\n%s (%u case%s, not compared):\n", heading, l->n, l->n == 1 ? "" : "s");
	for (i = 0; i < l->n; i++)
		gvb_print_wrapped(stdout, "  ", "  ", l->cases[i]->name, false);
}
