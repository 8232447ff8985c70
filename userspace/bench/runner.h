/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The workload runner: owns threads, timing and sampling; workloads own
 * only their op loops. See docs/DESIGN.md section 6 for why it works this way:
 * - throughput samples are timed batches of ops (about 1-10 ms each), never
 *   per-op timestamps, because one timer read costs more than the effects
 *   in question;
 * - the cases of a group are interleaved in time, in a fresh random order
 *   each round, so machine drift hits them all alike;
 * - all threads of a case are released together by a barrier, counters are
 *   thread-local, and deferred work is drained inside the timed batch;
 * - the latency mode is separate: it times single ops with a calibrated
 *   TSC and subtracts the timer's own cost.
 */
#ifndef GVB_RUNNER_H
#define GVB_RUNNER_H

#include "backend/backend.h"
#include "gvb_workload.h"
#include "lib/util.h"
#include "result/result.h"

/* The most instances a case may rotate (--instances). */
#define GVB_RUN_MAX_INSTANCES	16

struct gvb_runner_opts {
	unsigned int samples;		/* timed batches per case */
	double batch_ms;		/* target duration of one batch */
	double warmup_ms;		/* untimed running per case before sampling */
	bool pin;			/* pin worker thread i to CPU i % ncpu */
	bool latency;			/* single-op latency mode instead of batches */
	u64 latency_ops;		/* timed single ops per thread in latency mode */
	/*
	 * Instances per case, used in turn round by round. Separate instances
	 * of identical code differ by their memory layout (cache sets, 4K
	 * aliasing), which biases one case against another by up to a few
	 * percent here; rotating several instances turns that bias into
	 * variance that the statistics see.
	 */
	unsigned int instances;
	/*
	 * If nonzero, fewer rounds than @samples are run when the group's
	 * estimated sampling time would exceed this many seconds.
	 */
	double time_budget_s;
	/* Where the instances run (gvb_backend_open()); never NULL. */
	struct gvb_backend *backend;
	u64 shuffle_seed;
	/* Progress on stderr: "prefix [i/N] ... ETA". NULL: silent. */
	const char *progress_prefix;
	unsigned int progress_done, progress_total;	/* across groups, for the ETA */
	double progress_start_s;
};

/* One configuration in a group. */
struct gvb_run_case {
	const struct gvb_workload *w;
	const struct gvb_strategy_ops *ops;
	const char *engine;		/* gvb_engines[] name; NULL: the model */
	struct gvb_wl_params p;
	/*
	 * Calibration: this case runs (1 + inject_ns / t) ops for every op it
	 * reports, t being the per-op time of case inject_ref measured in this
	 * run, so its true extra cost per reported op is inject_ns by
	 * construction (a busy-wait would overlap with the op and vanish).
	 */
	double inject_ns;
	double inject_pct;		/* or: (1 + pct/100) ops per op, i.e. pct% of t */
	int inject_ref;			/* index of the reference case in the group */
	/*
	 * Run on the reference case's instances instead of new ones: the two
	 * cases then differ only by what is injected (calibration, A/A).
	 */
	bool share_ref_instance;
	struct gvb_case *out;		/* filled by gvb_run_group() */
};

void gvb_runner_default_opts(struct gvb_runner_opts *o);

/*
 * Sets up every case, warms up, sizes batches, then runs opts->samples
 * rounds, each case once per round in shuffled order, and fills each
 * case's ->out (samples, summaries, counters). 0, or a negative errno with
 * a one-line reason in @err.
 */
int gvb_run_group(struct gvb_run_case *cases, unsigned int ncases,
		  const struct gvb_runner_opts *opts, char *err, size_t errlen);

/*
 * Case name as used everywhere: workload[-size]/[engine/]strategy/tN, with
 * "+Xns" (inject_ns > 0) or "+P%" (inject_ns = -P) after the strategy.
 * @engine (NULL: none) is named only where a run has several engines.
 */
void gvb_case_name(char *buf, size_t len, const struct gvb_workload *w,
		   const struct gvb_strategy_ops *ops, const struct gvb_wl_params *p,
		   double inject_ns, const char *engine);

/* "a, b, c": the workloads with any of @flags set (0: every workload). */
void gvb_workload_names(char *buf, size_t len, unsigned int flags);

/* Fills summaries of @c from its samples (the stats module does the math). */
void gvb_case_summarize(struct gvb_case *c);
/* Appends @base vs @new to @r with the U test and the delta CI. */
int gvb_compare_cases(struct gvb_result *r, const struct gvb_case *base,
		      const struct gvb_case *new, double alpha);

/*
 * One workload instance and its worker threads, for front ends that do
 * their own sampling (the Google Benchmark shim): each call runs one timed
 * batch of @n ops on every thread and returns the mean over threads of
 * batch time per op, the same quantity a runner sample records.
 */
struct gvb_batcher;
int gvb_batcher_create(struct gvb_batcher **b, const struct gvb_workload *w,
		       const struct gvb_strategy_ops *ops, const struct gvb_wl_params *p, bool pin);
int gvb_batcher_run(struct gvb_batcher *b, u64 n, double *ns_per_op);
void gvb_batcher_destroy(struct gvb_batcher *b);

#endif /* GVB_RUNNER_H */
