/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * What the files of gvbench report share, internal to it: the compared
 * rows, grouped by workload and thread count, and the formatting that the
 * answer, the tables and the lock lines have in common.
 */
#ifndef GVB_CLI_REPORT_H
#define GVB_CLI_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/cli.h"
#include "result/resultset.h"

#define REPORT_BASE	"resv"

struct rep_row {
	const struct gvb_case *c;
	const char *label;		/* its strategy as the name says: x->strategies[] */
	struct gvb_delta hot, cpu;
};

struct rep_group {
	const struct gvb_case *base;
	char group[128];
	unsigned int cores;
	struct rep_row *rows;
	unsigned int nrows;
};

struct rep_ctx {
	struct gvb_rset s;
	double alpha;
	/*
	 * Non-base row labels, in report order: the strategy component of the
	 * case names, which is the strategy except in calibrate's files
	 * ("resv+2.3ns" is resv with an injected cost).
	 */
	char **strategies;
	unsigned int nstrategies;
	struct rep_group *groups;
	unsigned int ngroups;
	const struct gvb_case **unpaired;
	unsigned int nunpaired;
	bool designs[2];		/* which estimators the rows used */
};

/* Counts differ by less than this: the same (they are means over N ops). */
#define LOCK_EPS	1e-9

/* "p=0.012", or "p<0.001" where alpha allows. */
void gvb_report_fmt_p(char *buf, size_t len, double p, double alpha);
/* The delta and its CI in one unit with one precision: "+55.8ns", "[+12.1, +81.7]". */
void gvb_report_fmt_delta(char *dbuf, size_t dlen, char *cbuf, size_t clen,
			  const struct gvb_delta *d);

/* report_locks.c */
void gvb_report_fmt_locks(char *buf, size_t len, const struct gvb_case *c,
			  const struct gvb_case *base);
double gvb_report_only_gpuva(const struct gvb_case *c, const struct gvb_case *base);
struct gvb_delta gvb_report_per_acquisition(const struct gvb_delta *d, double n);
void gvb_report_print_locks(const struct rep_row *row, const struct gvb_case *base);

/* report_answer.c */
void gvb_report_print_answer(const struct rep_ctx *x);

/* report_setup.c */
void gvb_report_print_setup(const struct rep_ctx *x);

#endif /* GVB_CLI_REPORT_H */
