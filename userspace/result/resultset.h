/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * What compare, report and plot share: a set of result files read as one
 * (a file, or every *.json in a directory), the statistics of one case
 * against another recomputed from the raw samples, and the formatting of
 * numbers for 75-column, plain-ASCII mail.
 *
 * Everything here reads result files only. Nothing depends on the machine
 * it runs on, so the output of these commands on fixed files is fixed and
 * the tests can compare it byte for byte.
 */
#ifndef GVB_RESULTSET_H
#define GVB_RESULTSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "result/result.h"
#include "stats/estimate.h"

/* Mail-safe width of every line compare and report print. */
#define GVB_TEXT_WIDTH	75

/* Result files read as one: cases keep the order of the files, then of each file. */
struct gvb_rset {
	const char *path;		/* as given on the command line */
	bool is_dir;
	unsigned int nfiles;
	char **files;			/* path of each file read */
	struct gvb_result *results;	/* one per file */
	unsigned int ncases;
	struct gvb_case **cases;	/* into results[].cases */
	unsigned int *case_file;	/* index into files[] of each case */
};

/*
 * Reads @path: a result JSON, or a directory whose *.json files (sorted by
 * name, not recursing) are all result files. A case name may appear only
 * once in the whole set, because cases are matched by name. 0, or -1 with
 * one line in @err: the reader's message, "no result files", or the
 * duplicate.
 */
int gvb_rset_load(struct gvb_rset *s, const char *path, char *err, size_t errlen);
void gvb_rset_free(struct gvb_rset *s);
/*
 * For commands that compare throughput samples: -1 with one line in @err
 * if no case of @s has any (a `run --latency` result has histograms only).
 */
int gvb_rset_need_samples(const struct gvb_rset *s, char *err, size_t errlen);
/* The case named @name, or NULL. */
struct gvb_case *gvb_rset_find(const struct gvb_rset *s, const char *name);
/* The meta of the file @c came from. */
const struct gvb_meta *gvb_rset_meta(const struct gvb_rset *s, unsigned int case_idx);

/* What the setup lines of compare and report show about where a set ran. */
enum gvb_meta_field {
	GVB_MF_MACHINE,		/* "CPU model (arch), N cores"; without "(arch)" if unknown */
	GVB_MF_KERNEL,
	GVB_MF_BACKEND,		/* "user (inline), gvbench VERSION" */
	GVB_MF_COMMAND,
	GVB_MF_COMPILER,	/* "gcc 12.2.0" */
	GVB_MF_DATE,
	GVB_MF_MODE,
	GVB_MF_HARNESS,		/* "0.26 ns/op", or "not measured" */
	GVB_MF_PERF,		/* the perf note, "" if none */
};
/*
 * @field over every file of @s: the distinct values in file order, joined
 * by "; " (a valid shell separator, for commands). malloc()ed, NULL on
 * allocation failure.
 */
char *gvb_rset_field(const struct gvb_rset *s, enum gvb_meta_field field);

/* --alpha: 0 and *@alpha set, or -1 if @s is not a number in (0, 0.5]. */
int gvb_parse_alpha(const char *s, double *alpha);

/* Which of the three per-sample arrays of a case. */
enum gvb_metric {
	GVB_METRIC_NS,		/* ns_per_op: hot path */
	GVB_METRIC_CPU,		/* cpu_ns_per_op: all CPU, deferred work included */
	GVB_METRIC_OPS,		/* ops_per_sec */
};

/*
 * The finite samples of @metric of @c in a new array (*@x, free() it) and
 * their count (null samples are NaN in memory and are left out: they were
 * not measured). 0 or -ENOMEM.
 */
int gvb_case_values(const struct gvb_case *c, enum gvb_metric metric, double **x,
		    unsigned int *n);

/*
 * One case against another on one metric, from the raw samples, by the one
 * estimator (stats/estimate.h): paired when both ran in one interleaved
 * group, unpaired otherwise.
 */
struct gvb_delta {
	struct gvb_summary base, new;	/* of the finite samples */
	enum gvb_design design;		/* which estimator made the numbers below */
	double delta;			/* paired: HL of per-round differences; else HL shift */
	double pct;			/* delta / base.median * 100 */
	double ci_lo, ci_hi;		/* 95% CI of delta (NaN: too few samples) */
	double p;			/* Wilcoxon signed-rank (paired), Mann-Whitney U (unpaired) */
	bool significant;		/* p < alpha */
	unsigned int n;			/* pairs, or the smaller sample count */
};

/* 0, or -ENOMEM. @paired: gvb_case_pairs_with() of two cases of one file. */
int gvb_delta_compute(const struct gvb_case *base, const struct gvb_case *new,
		      enum gvb_metric metric, double alpha, bool paired, struct gvb_delta *d);

/*
 * Whether two cases of ONE result file ran interleaved in one group, so
 * that their samples pair by round: the same recorded group and sample
 * count. Files from before groups were recorded: the same sample count and
 * names that differ only in the strategy, which is how run and sweep
 * grouped cases then.
 */
bool gvb_case_pairs_with(const struct gvb_case *a, const struct gvb_case *b);
/* The same for two cases of a set: also requires that they come from one file. */
bool gvb_rset_paired(const struct gvb_rset *s, const struct gvb_case *a, const struct gvb_case *b);
/*
 * The significance level the files of @s were judged at (meta.alpha) when
 * they all agree, else 0.05: commands reading a file give the verdicts of
 * the command that wrote it unless --alpha says otherwise.
 */
double gvb_rset_alpha(const struct gvb_rset *s);

/* -1, 0 or +1: the direction of a significant difference, 0 if none. */
int gvb_delta_verdict(const struct gvb_delta *d);

/*
 * p to three decimals ("0.045"), with more digits only where three would
 * hide which side of @alpha it is on: p = 0.0499 at alpha 0.05 prints
 * "0.0499", not "0.050". NaN prints "?".
 */
void gvb_fmt_p(char *buf, size_t len, double p, double alpha);

/* A time unit for a column: ns, us, ms or s. */
struct gvb_unit {
	const char *name;
	double ns;		/* nanoseconds per unit */
};
/* The largest unit in which @ns is at least 1 (ns for anything smaller). */
const struct gvb_unit *gvb_unit_for(double ns);
/*
 * @ns in @u with four significant digits where they fit, as benchstat:
 * "883.0ns", "15.20ns", "2043ns", "47.20us". NaN prints "-". With @sign,
 * a leading + or -.
 */
void gvb_fmt_time(char *buf, size_t len, double ns, const struct gvb_unit *u, bool sign);
/* Three significant digits in the unit that suits @ns: "+55.8ns", "-1.23us". */
void gvb_fmt_time3(char *buf, size_t len, double ns, bool sign);
/* The CI of @s as a +- percentage of its median: "13%", "5.2%", or "?" (none). */
void gvb_fmt_ci_pct(char *buf, size_t len, const struct gvb_summary *s);

/*
 * Prints @text after @first (the first line's prefix), wrapping at spaces so
 * that no line exceeds GVB_TEXT_WIDTH; continuation lines start with @cont.
 * With @shell, each broken line ends in " \" so the result still pastes
 * into a shell as one command. A word longer than a line is broken hard.
 */
void gvb_print_wrapped(FILE *f, const char *first, const char *cont, const char *text,
		       bool shell);

/*
 * Case names are "workload[-size]/strategy/tN". The group (the first
 * component) heads a block of rows; the rest labels the row. The key with
 * the strategy left out pairs the cases of one group and thread count.
 */
void gvb_name_group(char *buf, size_t len, const char *name);
const char *gvb_name_rest(const char *name);
/*
 * The strategy component of @c's name, the label its row gets: the
 * strategy, except in calibrate's files, where "resv+2ns" and "resv#same"
 * are resv with an injected cost, or on instances of its own. Cases are
 * compared with a base by this label, so a calibrate file reads like a run.
 */
void gvb_case_label(char *buf, size_t len, const struct gvb_case *c);
/*
 * @name without its strategy, the component before the thread count
 * ("map-unmap/drm_gpuvm/resv/t1" -> "map-unmap/drm_gpuvm/t1",
 * "map-unmap/resv+1ns/t1/ab0" -> "map-unmap/t1/ab0"); 0, or -1 if @name has
 * no strategy component.
 */
int gvb_name_without_strategy(char *buf, size_t len, const char *name);
/*
 * The case of @s labelled @label (gvb_case_label()) in @c's group and thread
 * count, the case @c is compared with; @c itself if it carries @label; NULL
 * if there is none.
 */
const struct gvb_case *gvb_rset_base_of(const struct gvb_rset *s, const char *label,
					const struct gvb_case *c);

#endif /* GVB_RESULTSET_H */
