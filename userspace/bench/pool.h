/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The worker pool of the run engine: one thread per workload thread, each
 * running its part of one timed batch at a time through the backend, with
 * its perf counters and CPU clock read right around the batch's clock.
 * Internal to bench/.
 */
#ifndef GVB_POOL_H
#define GVB_POOL_H

#include <pthread.h>

#include "backend/backend.h"
#include "bench/perf.h"
#include "lib/tsc.h"
#include "stats/histogram.h"

struct pool;
struct pool_job;

struct pool_thread {
	pthread_t thread;
	unsigned int idx;
	struct pool *pool;
	struct gvb_perf perf;
	const struct pool_job *job;	/* the job running now */
	/* Results of the last job, written by this thread only. */
	int ret;
	u64 start_ns, end_ns;	/* CLOCK_MONOTONIC around its part of the batch */
	u64 elapsed_ns, cpu_ns;
	uint64_t ctr[GVB_NR_COUNTERS];
	uint64_t ctr_before[GVB_NR_COUNTERS];
	u64 cpu_before;
} __attribute__((aligned(64)));

struct pool_job {
	struct gvb_inst *inst;
	u64 n;			/* ops per thread to execute */
	unsigned int nthreads;
	/* Latency mode: time each op alone into hist[thread]. */
	struct gvb_hist *hist;
	const struct gvb_tsc *tsc;
	double overhead_ns;
};

struct pool {
	struct gvb_backend *be;
	unsigned int nthreads;
	bool pin;
	pthread_mutex_t lock;
	pthread_cond_t job_cv, done_cv;
	u64 gen;
	unsigned int done;
	bool quit;
	struct pool_job job;
	pthread_barrier_t start;
	struct pool_thread *threads;
};

int pool_start(struct pool *pool, struct gvb_backend *be, unsigned int nthreads, bool pin);
void pool_stop(struct pool *pool);
/*
 * Runs one batch of @n ops on every thread of @inst, timing each op alone
 * into @hist[thread] if @hist is set; 0 or the first error.
 */
int pool_dispatch_job(struct pool *pool, struct gvb_inst *inst, u64 n, struct gvb_hist *hist,
		      const struct gvb_tsc *tsc, double overhead_ns);
static inline int pool_dispatch(struct pool *pool, struct gvb_inst *inst, u64 n)
{
	return pool_dispatch_job(pool, inst, n, NULL, NULL, 0);
}
/* Mean over the case's threads of batch time per op, in ns. */
double pool_ns_per_op(const struct pool *pool, unsigned int nthreads, u64 ops);
double pool_max_elapsed_ns(const struct pool *pool, unsigned int nthreads);

#endif /* GVB_POOL_H */
