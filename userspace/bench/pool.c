// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The run engine's worker pool (pool.h): threads that wait for a job, run
 * their part of one timed batch through the backend, and report.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include "bench/pool.h"
#include "lib/util.h"

static struct pool_thread *batch_thread(struct gvb_wl_batch *b)
{
	return b->priv;
}

/* Right around the clock, so the counters see the batch and nothing else. */
static void batch_begin(struct gvb_wl_batch *b)
{
	struct pool_thread *pt = batch_thread(b);

	gvb_perf_read(&pt->perf, pt->ctr_before);
	pt->cpu_before = gvb_thread_cpu_ns();
	pthread_barrier_wait(&pt->pool->start);
}

static void batch_end(struct gvb_wl_batch *b)
{
	struct pool_thread *pt = batch_thread(b);
	uint64_t after[GVB_NR_COUNTERS];
	unsigned int i;

	pt->cpu_ns = gvb_thread_cpu_ns() - pt->cpu_before;
	gvb_perf_read(&pt->perf, after);
	for (i = 0; i < GVB_NR_COUNTERS; i++)
		pt->ctr[i] = after[i] - pt->ctr_before[i];
}

/* Latency mode: every op timed alone with the TSC, the timer's cost subtracted. */
static int batch_run_single_ops(struct gvb_wl_thread *t, struct gvb_wl_batch *b)
{
	struct pool_thread *pt = batch_thread(b);
	const struct pool_job *job = pt->job;
	struct gvb_hist *h = &job->hist[pt->idx];
	int ret = 0;
	u64 i;

	for (i = 0; i < b->n && !ret; i++) {
		uint64_t a = gvb_tsc_read_start();

		ret = gvb_wl_run(t, 1);
		gvb_hist_record_ns(h, gvb_tsc_to_ns(job->tsc, gvb_tsc_read_end() - a) -
				   job->overhead_ns);
	}
	return ret;
}

static void pool_run_job(struct pool_thread *pt, const struct pool_job *job)
{
	struct gvb_wl_batch b = {
		.n = job->n,
		.begin = batch_begin,
		.end = batch_end,
		.run = job->hist ? batch_run_single_ops : NULL,
		.priv = pt,
	};
	struct gvb_backend *be = pt->pool->be;

	pt->job = job;
	pt->ret = be->ops->run_batch(be, job->inst, pt->idx, &b);
	pt->start_ns = b.start_ns;
	pt->end_ns = b.start_ns + b.run_ns + b.drain_ns;
	pt->elapsed_ns = pt->end_ns - pt->start_ns;
}

static void *pool_main(void *arg)
{
	struct pool_thread *pt = arg;
	struct pool *pool = pt->pool;
	u64 seen = 0;

	if (pool->pin) {
		cpu_set_t set;
		long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

		CPU_ZERO(&set);
		CPU_SET(pt->idx % (ncpu > 0 ? ncpu : 1), &set);
		pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	}
	gvb_perf_open(&pt->perf);
	for (;;) {
		struct pool_job job;

		pthread_mutex_lock(&pool->lock);
		while (pool->gen == seen && !pool->quit)
			pthread_cond_wait(&pool->job_cv, &pool->lock);
		if (pool->quit) {
			pthread_mutex_unlock(&pool->lock);
			break;
		}
		seen = pool->gen;
		job = pool->job;
		pthread_mutex_unlock(&pool->lock);

		if (pt->idx < job.nthreads)
			pool_run_job(pt, &job);

		pthread_mutex_lock(&pool->lock);
		if (++pool->done == pool->nthreads)
			pthread_cond_signal(&pool->done_cv);
		pthread_mutex_unlock(&pool->lock);
	}
	gvb_perf_close(&pt->perf);
	return NULL;
}

int pool_start(struct pool *pool, struct gvb_backend *be, unsigned int nthreads, bool pin)
{
	unsigned int i;

	memset(pool, 0, sizeof(*pool));
	pool->nthreads = nthreads;
	pool->pin = pin;
	pool->be = be;
	pool->threads = calloc(nthreads, sizeof(*pool->threads));
	if (!pool->threads)
		return -ENOMEM;
	pthread_mutex_init(&pool->lock, NULL);
	pthread_cond_init(&pool->job_cv, NULL);
	pthread_cond_init(&pool->done_cv, NULL);
	for (i = 0; i < nthreads; i++) {
		pool->threads[i].idx = i;
		pool->threads[i].pool = pool;
		if (pthread_create(&pool->threads[i].thread, NULL, pool_main, &pool->threads[i])) {
			pool->nthreads = i;
			return -EAGAIN;
		}
	}
	return 0;
}

void pool_stop(struct pool *pool)
{
	unsigned int i;

	pthread_mutex_lock(&pool->lock);
	pool->quit = true;
	pthread_cond_broadcast(&pool->job_cv);
	pthread_mutex_unlock(&pool->lock);
	for (i = 0; i < pool->nthreads; i++)
		pthread_join(pool->threads[i].thread, NULL);
	pthread_cond_destroy(&pool->job_cv);
	pthread_cond_destroy(&pool->done_cv);
	pthread_mutex_destroy(&pool->lock);
	free(pool->threads);
}

int pool_dispatch_job(struct pool *pool, struct gvb_inst *inst, u64 n, struct gvb_hist *hist,
		      const struct gvb_tsc *tsc, double overhead_ns)
{
	unsigned int i;

	pthread_barrier_init(&pool->start, NULL, inst->p.threads);
	pthread_mutex_lock(&pool->lock);
	pool->job.inst = inst;
	pool->job.n = n;
	pool->job.nthreads = inst->p.threads;
	pool->job.hist = hist;
	pool->job.tsc = tsc;
	pool->job.overhead_ns = overhead_ns;
	pool->done = 0;
	pool->gen++;
	pthread_cond_broadcast(&pool->job_cv);
	while (pool->done < pool->nthreads)
		pthread_cond_wait(&pool->done_cv, &pool->lock);
	pthread_mutex_unlock(&pool->lock);
	pthread_barrier_destroy(&pool->start);
	for (i = 0; i < inst->p.threads; i++)
		if (pool->threads[i].ret)
			return pool->threads[i].ret;
	/*
	 * Every thread's time runs from the common release, the earliest
	 * start: a thread that had to wait for a CPU (more threads than CPUs)
	 * would otherwise start its clock late and hide the wait, and the
	 * threads of a short batch could run one after another, each looking
	 * uncontended.
	 */
	{
		u64 start = pool->threads[0].start_ns;

		for (i = 1; i < inst->p.threads; i++)
			start = min(start, pool->threads[i].start_ns);
		for (i = 0; i < inst->p.threads; i++)
			pool->threads[i].elapsed_ns = pool->threads[i].end_ns - start;
	}
	return 0;
}

double pool_ns_per_op(const struct pool *pool, unsigned int nthreads, u64 ops)
{
	double sum = 0;
	unsigned int i;

	for (i = 0; i < nthreads; i++)
		sum += (double)pool->threads[i].elapsed_ns / ops;
	return sum / nthreads;
}

double pool_max_elapsed_ns(const struct pool *pool, unsigned int nthreads)
{
	u64 m = 0;
	unsigned int i;

	for (i = 0; i < nthreads; i++)
		m = max(m, pool->threads[i].elapsed_ns);
	return m;
}

