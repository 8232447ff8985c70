/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * What the files of gvbench compare share, internal to it: the pairs of
 * cases compared, and the table that prints them (compare_table.c).
 */
#ifndef GVB_CLI_COMPARE_H
#define GVB_CLI_COMPARE_H

#include <stdbool.h>

#include "cli/cli.h"
#include "result/resultset.h"

struct cmp_row {
	const struct gvb_case *base, *new;
	char group[128];
	char label[128];	/* the strategy as the name says (gvb_case_label()) */
	struct gvb_delta d;
	const struct gvb_unit *unit;
	char bval[24], bci[16], nval[24], nci[16], pct[32], ptext[48], dci[48];
};

struct cmp_list {
	const struct gvb_case **cases;
	unsigned int n;
};

struct cmp_ctx {
	struct gvb_rset sb, sn;
	const char *base_strategy;	/* --base mode */
	double alpha;
	struct cmp_row *rows;
	unsigned int nrows;
	struct cmp_list only_base, only_new;
	bool ci_unknown;
	bool designs[2];	/* which estimators the rows used (enum gvb_design) */
};

/* Stable: rows of one group together, groups in order of first appearance. */
int gvb_compare_group_rows(struct cmp_ctx *x);
/* One unit down both columns of a group where its values allow. */
void gvb_compare_choose_units(struct cmp_ctx *x);
void gvb_compare_format_row(struct cmp_ctx *x, struct cmp_row *r);
void gvb_compare_print_table(struct cmp_ctx *x);
/* Cases without a partner, under @heading; nothing when there are none. */
void gvb_compare_print_list(const char *heading, const struct cmp_list *l);

#endif /* GVB_CLI_COMPARE_H */
