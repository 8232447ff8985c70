/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The gvbench command line: the command table (main.c), and what the
 * commands share: option parsing with one-line errors, the options of the
 * benchmarking commands with their defaults, and printing.
 *
 * Every command takes main()'s argc/argv shifted by one (argv[0] is the
 * command name) and returns the process exit status: 0, 1 for a failed
 * run or bad input (a missing or invalid result file, a failed gnuplot),
 * 2 for bad usage.
 */
#ifndef GVB_CLI_H
#define GVB_CLI_H

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>

#include "backend/backend.h"
#include "bench/runner.h"
#include "gvb_workload.h"
#include "lib/util.h"
#include "result/result.h"

struct gvb_cmd {
	const char *name;
	const char *summary;		/* one line for `gvbench --help` */
	int (*fn)(int argc, char **argv);
};

int gvb_cmd_list(int argc, char **argv);
int gvb_cmd_run(int argc, char **argv);
int gvb_cmd_sweep(int argc, char **argv);
int gvb_cmd_calibrate(int argc, char **argv);
/* gvbench compare BASE NEW | gvbench compare RUN --base STRATEGY */
int gvb_cmd_compare(int argc, char **argv);
/* gvbench report DIR|FILE: the resv question, as text for a mail */
int gvb_cmd_report(int argc, char **argv);
/* gvbench plot DIR|FILE [-o OUTDIR] [--term png|svg|dumb] */
int gvb_cmd_plot(int argc, char **argv);
/* gvbench torture [-s STRATEGY[,..]] [-b BACKEND] [--duration S | --ops N] ... */
int gvb_cmd_torture(int argc, char **argv);
/* gvbench lava FILE|DIR: LAVA test-case signal lines (lava.c) */
int gvb_cmd_lava(int argc, char **argv);
/* report's section "model vs drm_gpuvm", where @s ran both engines (report_engines.c). */
struct gvb_rset;
void gvb_report_engines(FILE *f, const struct gvb_rset *s, double alpha);
/* `gvbench list`'s engines: the model, and the kmod backend's where it can be opened. */
void gvb_list_engines(FILE *f);

/* ------------------------------------------------------------- options */

/*
 * The options of run, sweep and calibrate. bench_defaults() holds every
 * default in one place; each command adjusts its own before parsing, and
 * its --help prints from that same struct, so the two cannot disagree.
 */
/* The most engines one run interleaves (-e). */
#define GVB_MAX_ENGINES		4

struct bench_opts {
	struct gvb_runner_opts run;
	struct gvb_wl_params p;
	double alpha;
	const char *base;
	bool allow_broken;
	double pair_seconds;	/* calibrate: sampling time per A/B pair */
	const struct gvb_backend_ops *backend;
	const char *kmod_mode;	/* "batch" or "ioctl" */
	const char *workload;	/* run, calibrate */
	char strategies[256];	/* run: the strategies flagged GVB_STRATEGY_SWEEP */
	/* -e: engines interleaved like strategies; engine_list is the text --help shows */
	const struct gvb_engine *engines[GVB_MAX_ENGINES];
	unsigned int nengines;
	char engine_list[64];
	bool latency_ops_set, kmod_mode_set;	/* given, not defaulted */
	struct gvb_backend be;	/* open while the command runs */
	bool counts_noted;	/* said once that lock counts are absent */
};

enum {
	OPT_SIZE = 256, OPT_COUNT, OPT_FLUSH, OPT_SAMPLES, OPT_BATCH, OPT_WARMUP, OPT_PIN,
	OPT_LATENCY, OPT_DEFER_ASYNC, OPT_SEED, OPT_BASE, OPT_ALPHA, OPT_ALLOW_BROKEN,
	OPT_QUICK, OPT_DELAY, OPT_DELAY_PCT, OPT_PAIRS, OPT_LAYOUT_PAIRS, OPT_LATENCY_OPS,
	OPT_INSTANCES, OPT_PAIR_SECONDS, OPT_KMOD_MODE, OPT_FORMAT, OPT_BO, OPT_PT_RECLAIM,
	OPT_BIND_SYNC, OPT_HELP,
};

extern const struct option gvb_bench_long_opts[];

void bench_defaults(struct bench_opts *bo);
/* Options every benchmarking command shares; 1 if @c was one of them. */
int bench_common_opt(int c, const char *arg, struct bench_opts *bo);
/*
 * Refuses (exit 2) an option that nothing in this run would use, rather
 * than record a parameter that had no effect: --count, --size or --seed
 * where @w (NULL: any of several) ignores it, --defer-async without a
 * deferring strategy among @strats, --latency-ops without --latency,
 * --kmod-mode off the kmod backend.
 */
void bench_check_applies(const struct bench_opts *bo, const struct gvb_workload *w,
			 const struct gvb_strategy_ops *const *strats, unsigned int nstrats);
/*
 * Before measuring: 0 if every engine of the run can run @w under every
 * one of @strats on the open backend, else 1 after one line with the
 * engine's reason (ENGINE_QUERY's why).
 */
int bench_check_engines(struct bench_opts *bo, const struct gvb_workload *w,
			const struct gvb_strategy_ops *const *strats, unsigned int nstrats);
/* --help lines of the options bench_common_opt() parses, defaults from @d. */
void bench_common_help(FILE *f, const struct bench_opts *d);

/* For getopt's ':' (missing value) and '?' (unknown option): one line, exit 2. */
void __attribute__((noreturn)) gvb_die_option(int c, int argc, char **argv, const char *cmd);
u64 gvb_arg_u64(const char *opt, const char *s, u64 min, u64 max, bool suffixes);
double gvb_arg_double(const char *opt, const char *s, double min, double max);
/* A significance level in (0, 0.5], or "CMD: --alpha: ..." and exit 2. */
double gvb_arg_alpha(const char *cmd, const char *s);
/*
 * Splits a comma list into at most @max items, in @buf (a copy: argv stays
 * intact for the command line the result records).
 */
unsigned int gvb_split_list(const char *list, char *buf, size_t buflen, char **items,
			    unsigned int max, const char *opt);
const struct gvb_strategy_ops *gvb_arg_strategy(const char *name, bool allow_broken);
const struct gvb_workload *gvb_arg_workload(const char *name);

/* ------------------------------------------------------------- session */

/*
 * The part every benchmarking command starts with: a result whose metadata
 * names this run, the backend opened, and the setup line printed before any
 * number. @harness also measures what the harness costs per op. Nonzero
 * (after a one-line reason) if the backend cannot be opened.
 */
int bench_start(struct gvb_result *res, struct bench_opts *bo, int argc, char **argv,
		const char *mode, bool harness);
/* Closes the backend and frees @res; returns 1 if @ret, else 0 (the exit status). */
int bench_finish(struct gvb_result *res, struct bench_opts *bo, int ret);
/*
 * One case: the runner's description (@rc, parameters resolved from the
 * workload's defaults) and the result's record of it (@c, named).
 * @name_inject is gvb_case_name()'s injection tag (0 for none); the name
 * carries @engine only if @name_engine (a run of several engines).
 */
void bench_case_setup(struct gvb_run_case *rc, struct gvb_case *c, const struct gvb_workload *w,
		      const struct gvb_strategy_ops *ops, const struct gvb_wl_params *p,
		      bool pinned, double name_inject, const struct gvb_engine *engine,
		      bool name_engine);
/*
 * Adds one group: one case per engine and strategy for @w with params @p,
 * runs it interleaved, and compares every case against the base strategy
 * on the same engine.
 */
int bench_run_group(struct gvb_result *res, const struct gvb_workload *w,
		    const struct gvb_strategy_ops **strats, unsigned int nstrats,
		    const struct gvb_wl_params *p, struct bench_opts *bo);

/* Says once, on stderr, why cases from @first on have no lock counts. */
void bench_note_counts(const struct gvb_result *res, unsigned int first, struct bench_opts *bo);

/* -------------------------------------------------------------- output */

/*
 * @new against @base of the same run by the one estimator (stats/estimate.h,
 * paired where they ran in one group): "+3.90% [+3.10%, +4.70%] p=0.000 n=30
 * paired", or "~ [...] p=0.450 n=30 paired" when p >= @alpha. 0 or -ENOMEM.
 */
int gvb_fmt_estimate(char *buf, size_t len, const struct gvb_case *base,
		     const struct gvb_case *new, double alpha);
/* The setup line that precedes any number. */
void gvb_print_setup(FILE *f, const struct gvb_meta *m);
/* The table of cases [from, to) of @r, with deltas against @base if set. */
void gvb_print_cases(FILE *f, const struct gvb_result *r, unsigned int from, unsigned int to,
		     const char *base);
void gvb_print_latency(FILE *f, const struct gvb_result *r, unsigned int from, unsigned int to);
/* Before measuring: exits 2 unless @json_path and its CSV may be written. */
void gvb_check_outputs(const char *json_path);
/* @json_path and the CSV beside it; 0, or -1 after a one-line reason. */
int gvb_write_outputs(const struct gvb_result *r, const char *json_path);

#endif /* GVB_CLI_H */
