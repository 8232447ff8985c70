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
/*
 * The numbers the opening answer quotes, as the report computes them: where
 * (the headline group: map-unmap-4K at one thread where it exists), the
 * rows of resv+gpuva, gpuva and gpuva+deferred there (NULL: absent), and
 * the cost of one extra gpuva-mutex acquisition where the lock counts
 * allow dividing by them.
 */
struct rep_answer {
	const struct rep_group *g;	/* NULL: no resv+gpuva beside a resv case */
	const struct rep_row *rg, *im, *df;
	double n;			/* extra gpuva acquisitions per op; 0: cannot divide */
	struct gvb_delta per_acq;	/* rg->hot over n; valid where n > LOCK_EPS */
	bool have_df_im;
	struct gvb_delta df_im;		/* gpuva+deferred against gpuva, where both ran */
};
/* 0, or -ENOMEM. */
int gvb_report_answer(const struct rep_ctx *x, struct rep_answer *a);
const struct rep_row *gvb_report_find_row(const struct rep_group *g, const char *label);
/* "map-unmap-4K, 1 thread" */
void gvb_report_group_where(char *buf, size_t len, const struct rep_group *g);
void gvb_report_print_answer(const struct rep_ctx *x);

/* report.c */
/* Builds @x's groups and rows from @x->s: 0, or -ENOMEM. */
int gvb_report_build(struct rep_ctx *x);
void gvb_report_ctx_free(struct rep_ctx *x);
bool gvb_report_is_base(const struct gvb_case *c);
/* Appends a copy of @name to the list unless it is there; 0 or -ENOMEM. */
int gvb_report_add_name(char ***names, unsigned int *n, const char *name);
/* One row: label, delta, % of resv, CI, p (and "not significant"), in 75 columns. */
void gvb_report_print_row(const char *label, const struct gvb_delta *d, double alpha);

/* report_fleet.c: report over several directories or files, one machine per row. */
int gvb_report_fleet(char **paths, unsigned int npaths, double alpha, bool alpha_set);

/* report_setup.c */
void gvb_report_print_setup(const struct rep_ctx *x);

#endif /* GVB_CLI_REPORT_H */
