// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The workload runner. See runner.h for the method; this file is the
 * mechanics: a pool of worker threads that run one timed batch of one case
 * at a time, batch sizing, warmup, shuffled interleaved rounds, per-thread
 * counters, and the summaries.
 */
#define _GNU_SOURCE
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

#include "bench/runner.h"
#include "stats/histogram.h"
#include "backend/kmod_client.h"
#include "bench/perf.h"
#include "stats/stats.h"
#include "lib/tsc.h"




void gvb_runner_default_opts(struct gvb_runner_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->samples = 30;
	o->batch_ms = 2.0;
	o->warmup_ms = 50.0;
	o->latency_ops = 20000;
	o->instances = 1;
	o->kmod_fd = -1;
	o->shuffle_seed = 0x5eed;
}

void gvb_case_name(char *buf, size_t len, const struct gvb_workload *w,
		   const struct gvb_strategy_ops *ops, const struct gvb_wl_params *p,
		   double inject_ns)
{
	/* inject_ns < 0 names a relative injection of -inject_ns percent. */
	char size[32] = "";
	char inject[32] = "";

	/* Size is part of the name only where it is a headline parameter. */
	if (!strcmp(w->name, "map-unmap") || p->size != w->defaults.size) {
		if (p->size % SZ_1G == 0)
			snprintf(size, sizeof(size), "-%lluG", (unsigned long long)(p->size / SZ_1G));
		else if (p->size % SZ_2M == 0 || p->size % (1 << 20) == 0)
			snprintf(size, sizeof(size), "-%lluM", (unsigned long long)(p->size >> 20));
		else
			snprintf(size, sizeof(size), "-%lluK", (unsigned long long)(p->size >> 10));
	}
	if (inject_ns > 0)
		snprintf(inject, sizeof(inject), "+%gns", inject_ns);
	else if (inject_ns < 0)
		snprintf(inject, sizeof(inject), "+%g%%", -inject_ns);
	snprintf(buf, len, "%s%s/%s%s/t%u", w->name, size, ops->name, inject, p->threads);
}

/* ------------------------------------------------------------ the pool */

struct pool;

struct pool_thread {
	pthread_t thread;
	unsigned int idx;
	struct pool *pool;
	struct gvb_perf perf;
	/* Results of the last job, written by this thread only. */
	int ret;
	u64 start_ns, end_ns;	/* CLOCK_MONOTONIC around its part of the batch */
	u64 elapsed_ns, cpu_ns;
	uint64_t ctr[GVB_NR_COUNTERS];
} __attribute__((aligned(64)));

struct pool_job {
	struct gvb_wl *wl;
	u64 n;			/* ops per thread to execute */
	unsigned int nthreads;
	/* Latency mode: time each op alone into hist[thread]. */
	struct gvb_hist *hist;
	const struct gvb_tsc *tsc;
	double overhead_ns;
};

struct pool {
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
	int kmod_fd;		/* -1: the user backend */
	bool kmod_perop;	/* kmod: one MAP + one UNMAP ioctl per op */
};

/*
 * A kmod instance: the workload lives in gvbench.ko (WL_CREATE), or, in
 * per-op mode, each thread has a VM and a BO there that it maps with one
 * ioctl per op. It hangs off the gvb_wl's priv, whose p holds the
 * effective parameters the module reported.
 */
struct kmod_inst {
	uint32_t handle;
	struct gvb_kmod_perop *perop;	/* [threads], per-op mode */
};

/* The kmod backend's side of pool_run_job(): ioctls instead of calls. */
static int pool_run_kmod(struct pool_thread *pt, const struct pool_job *job, u64 *t0, u64 *t1)
{
	struct kmod_inst *k = job->wl->priv;
	struct gvb_kmod_run run;
	int ret;

	pthread_barrier_wait(&pt->pool->start);
	*t0 = gvb_now_ns();
	if (pt->pool->kmod_perop) {
		ret = gvb_kmod_perop_run(&k->perop[pt->idx], job->n);
		*t1 = gvb_now_ns();
		return ret;
	}
	ret = gvb_kmod_wl_run(pt->pool->kmod_fd, k->handle, pt->idx, job->n, 0, &run);
	/* The kernel's own clock: syscall entry and exit stay out of the batch. */
	*t1 = *t0 + run.elapsed_ns;
	return ret;
}

static void pool_run_job(struct pool_thread *pt, const struct pool_job *job)
{
	struct gvb_wl_thread *t = job->wl->threads ? &job->wl->threads[pt->idx] : NULL;
	const struct gvb_workload *w = job->wl->w;
	uint64_t before[GVB_NR_COUNTERS], after[GVB_NR_COUNTERS];
	u64 t0, t1, c0, c1;
	int ret = 0;
	unsigned int i;

	if (pt->pool->kmod_fd >= 0) {
		gvb_perf_read(&pt->perf, before);
		c0 = gvb_thread_cpu_ns();
		ret = pool_run_kmod(pt, job, &t0, &t1);
		c1 = gvb_thread_cpu_ns();
		gvb_perf_read(&pt->perf, after);
		goto record;
	}
	if (w->batch_prepare)
		ret = w->batch_prepare(t, job->n);
	gvb_perf_read(&pt->perf, before);
	c0 = gvb_thread_cpu_ns();
	pthread_barrier_wait(&pt->pool->start);
	t0 = gvb_now_ns();
	if (!ret && job->hist) {
		struct gvb_hist *h = &job->hist[pt->idx];
		u64 i;

		for (i = 0; i < job->n && !ret; i++) {
			uint64_t a = gvb_tsc_read_start();

			ret = gvb_wl_run(t, 1);
			gvb_hist_record_ns(h, gvb_tsc_to_ns(job->tsc, gvb_tsc_read_end() - a) -
					   job->overhead_ns);
		}
	} else if (!ret) {
		ret = gvb_wl_run(t, job->n);
	}
	/* Deferred work belongs to the batch that caused it. */
	gvb_wl_drain(t);
	t1 = gvb_now_ns();
	c1 = gvb_thread_cpu_ns();
	gvb_perf_read(&pt->perf, after);
	if (w->batch_finish)
		w->batch_finish(t);
record:
	pt->ret = ret;
	pt->start_ns = t0;
	pt->end_ns = t1;
	pt->elapsed_ns = t1 - t0;
	pt->cpu_ns = c1 - c0;
	for (i = 0; i < GVB_NR_COUNTERS; i++)
		pt->ctr[i] = after[i] - before[i];
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

static int pool_start(struct pool *pool, unsigned int nthreads, bool pin)
{
	unsigned int i;

	memset(pool, 0, sizeof(*pool));
	pool->nthreads = nthreads;
	pool->pin = pin;
	pool->kmod_fd = -1;
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

static void pool_stop(struct pool *pool)
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

/*
 * Runs one batch of @n ops on every thread of @wl, timing each op alone
 * into @hist[thread] if @hist is set; 0 or the first error.
 */
static int pool_dispatch_job(struct pool *pool, struct gvb_wl *wl, u64 n, struct gvb_hist *hist,
			     const struct gvb_tsc *tsc, double overhead_ns)
{
	unsigned int i;

	pthread_barrier_init(&pool->start, NULL, wl->p.threads);
	pthread_mutex_lock(&pool->lock);
	pool->job.wl = wl;
	pool->job.n = n;
	pool->job.nthreads = wl->p.threads;
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
	for (i = 0; i < wl->p.threads; i++)
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

		for (i = 1; i < wl->p.threads; i++)
			start = min(start, pool->threads[i].start_ns);
		for (i = 0; i < wl->p.threads; i++)
			pool->threads[i].elapsed_ns = pool->threads[i].end_ns - start;
	}
	return 0;
}

static int pool_dispatch(struct pool *pool, struct gvb_wl *wl, u64 n)
{
	return pool_dispatch_job(pool, wl, n, NULL, NULL, 0);
}

/* Mean over the case's threads of batch time per op, in ns. */
static double pool_ns_per_op(const struct pool *pool, unsigned int nthreads, u64 ops)
{
	double sum = 0;
	unsigned int i;

	for (i = 0; i < nthreads; i++)
		sum += (double)pool->threads[i].elapsed_ns / ops;
	return sum / nthreads;
}

static double pool_max_elapsed_ns(const struct pool *pool, unsigned int nthreads)
{
	u64 m = 0;
	unsigned int i;

	for (i = 0; i < nthreads; i++)
		m = max(m, pool->threads[i].elapsed_ns);
	return m;
}

/* ---------------------------------------------------------------- group */

struct case_state {
	struct gvb_wl *inst[GVB_RUN_MAX_INSTANCES];
	unsigned int ninst;
	bool own;		/* the instances are this case's, not its reference's */
	struct gvb_wl *wl;	/* the instance in use this round */
	u64 batch_ops;		/* reported ops per thread per batch */
	double est_ns_per_op;	/* from batch sizing, for time budgets */
	u64 extra_ops;		/* calibration: executed on top, not reported */
	uint64_t ctr[GVB_NR_COUNTERS];
	double worker_cpu_ns;
};

static u64 rnd_next(u64 *s)
{
	u64 z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void progress(const struct gvb_runner_opts *o, const char *what, unsigned int round,
		     unsigned int ncases)
{
	double elapsed, frac;
	char eta[32] = "?";

	static double last_line;
	bool tty = isatty(STDERR_FILENO);

	if (!o->progress_prefix)
		return;
	/* A log file gets a line every few seconds instead of a redrawn one. */
	if (!tty && gvb_now_s() - last_line < 5)
		return;
	last_line = gvb_now_s();
	elapsed = gvb_now_s() - o->progress_start_s;
	frac = o->progress_total ?
	       (o->progress_done + (double)ncases * round / o->samples) / o->progress_total : 0;
	if (frac > 0.01)
		snprintf(eta, sizeof(eta), "%.0fs", elapsed / frac - elapsed);
	fprintf(stderr, "%s%s [%u/%u cases] %-30s round %3u/%-3u %5.0fs elapsed  ETA %-8s%s",
		tty ? "\r" : "", o->progress_prefix, o->progress_done + ncases, o->progress_total,
		what, round, o->samples, elapsed, eta, tty ? "" : "\n");
	fflush(stderr);
}

static int size_batch(struct pool *pool, struct case_state *cs, const struct gvb_runner_opts *o)
{
	double target_ns = o->batch_ms * 1e6;
	u64 n = 1;
	double el;
	int ret;

	/* Double until a batch takes an eighth of the target, then scale. */
	for (;;) {
		ret = pool_dispatch(pool, cs->wl, n);
		if (ret)
			return ret;
		el = pool_max_elapsed_ns(pool, cs->wl->p.threads);
		if (el >= target_ns / 8 || n >= (1ULL << 40))
			break;
		n *= 2;
	}
	cs->batch_ops = max_t(u64, 1, (u64)(n * target_ns / max(el, 1.0)));
	cs->est_ns_per_op = el / n;
	return 0;
}

/*
 * Runs batches for warmup_ms (at least 5, and every instance at least
 * once), then sizes the batch again from the median of the last five: the
 * first sizing saw cold caches, page faults and, under QEMU TCG, code
 * translation, and could settle on a batch of one op.
 */
static int warm_up(struct pool *pool, struct case_state *cs, const struct gvb_runner_opts *o)
{
	double end = gvb_now_s() + o->warmup_ms / 1000, last[5];
	unsigned int k = 0;
	int ret;

	do {
		struct gvb_wl *wl = cs->inst[k % cs->ninst];

		ret = pool_dispatch(pool, wl, cs->batch_ops);
		if (ret)
			return ret;
		last[k++ % ARRAY_SIZE(last)] = pool_max_elapsed_ns(pool, wl->p.threads) /
					       cs->batch_ops;
	} while (gvb_now_s() < end || k < max_t(unsigned int, ARRAY_SIZE(last), cs->ninst));
	cs->est_ns_per_op = gvb_median(last, ARRAY_SIZE(last));
	cs->batch_ops = max_t(u64, 1, (u64)(o->batch_ms * 1e6 / max(cs->est_ns_per_op, 1e-3)));
	return 0;
}

/* ------------------------------------------------------------ instances */

static int kmod_inst_init(struct gvb_wl *wl, const struct gvb_run_case *rc,
			  const struct gvb_runner_opts *o)
{
	struct gvb_kmod_wl_params kp = {
		.threads = rc->p.threads, .size = rc->p.size, .count = rc->p.count,
		.flush_ns = rc->p.flush_ns, .seed = rc->p.seed, .defer_async = rc->p.defer_async,
	};
	struct kmod_inst *k = calloc(1, sizeof(*k));
	unsigned int i;
	int ret;

	if (!k)
		return -ENOMEM;
	memset(wl, 0, sizeof(*wl));
	wl->w = rc->w;
	wl->ops = rc->ops;
	wl->priv = k;
	if (o->kmod_perop) {
		if (strcmp(rc->w->name, "map-unmap")) {
			free(k);
			wl->priv = NULL;
			return -EOPNOTSUPP;
		}
		wl->p = rc->p;
		wl->p.threads = max(wl->p.threads, 1u);
		wl->p.size = wl->p.size ? wl->p.size : rc->w->defaults.size;
		k->perop = calloc(wl->p.threads, sizeof(*k->perop));
		if (!k->perop)
			return -ENOMEM;
		for (i = 0; i < wl->p.threads; i++) {
			ret = gvb_kmod_perop_init(&k->perop[i], o->kmod_fd, rc->ops->name,
						  wl->p.size, wl->p.flush_ns);
			if (ret) {
				while (i--)
					gvb_kmod_perop_fini(&k->perop[i]);
				free(k->perop);
				k->perop = NULL;
				return ret;
			}
		}
		return 0;
	}
	ret = gvb_kmod_wl_create(o->kmod_fd, rc->w->name, rc->ops->name, &kp, &k->handle);
	if (ret)
		return ret;
	wl->p.threads = kp.threads;
	wl->p.size = kp.size;
	wl->p.count = kp.count;
	wl->p.flush_ns = kp.flush_ns;
	wl->p.seed = kp.seed;
	wl->p.defer_async = kp.defer_async;
	return 0;
}

static void kmod_inst_fini(struct gvb_wl *wl, const struct gvb_runner_opts *o)
{
	struct kmod_inst *k = wl->priv;
	unsigned int i;

	if (!k)
		return;
	if (k->perop) {
		for (i = 0; i < wl->p.threads; i++)
			gvb_kmod_perop_fini(&k->perop[i]);
		free(k->perop);
	} else if (k->handle) {
		gvb_kmod_wl_destroy(o->kmod_fd, k->handle);
	}
	free(k);
	wl->priv = NULL;
}

static int inst_init(struct gvb_wl *wl, const struct gvb_run_case *rc,
		     const struct gvb_runner_opts *o)
{
	if (o->kmod_fd >= 0)
		return kmod_inst_init(wl, rc, o);
	return gvb_wl_init(wl, rc->w, rc->ops, &rc->p);
}

static void inst_fini(struct gvb_wl *wl, const struct gvb_runner_opts *o)
{
	if (o->kmod_fd >= 0)
		kmod_inst_fini(wl, o);
	else
		gvb_wl_fini(wl);
}

/* ------------------------------------------------------------- latency */

struct latency {
	struct gvb_tsc tsc;
	double overhead_ns;
	u64 chunk;		/* single ops per thread per round */
	struct gvb_hist *hist;	/* [case][thread] */
	unsigned int nhist;
};

static int latency_setup(struct latency *l, unsigned int ncases, unsigned int maxthreads,
			 const struct gvb_runner_opts *o)
{
	unsigned int i;

	gvb_tsc_calibrate(&l->tsc);
	l->overhead_ns = gvb_tsc_overhead_ns(&l->tsc);
	l->chunk = max_t(u64, 1, o->latency_ops / max(o->samples, 1u));
	l->hist = calloc((size_t)ncases * maxthreads, sizeof(*l->hist));
	if (!l->hist)
		return -ENOMEM;
	for (i = 0; i < ncases * maxthreads; i++) {
		if (gvb_hist_init(&l->hist[i]))
			return -ENOMEM;
		l->nhist++;
	}
	return 0;
}

static void latency_finish(struct latency *l, unsigned int c, unsigned int maxthreads,
			   unsigned int nthreads, struct gvb_case *out)
{
	struct gvb_hist *all = &l->hist[c * maxthreads];
	unsigned int k;

	for (k = 1; k < nthreads; k++)
		gvb_hist_merge(all, &all[k]);
	gvb_hist_to_latency(all, l->overhead_ns, &out->latency);
	out->nsamples = 0;	/* no throughput samples in this mode */
	gvb_case_summarize(out);
}

static void latency_free(struct latency *l)
{
	unsigned int i;

	for (i = 0; i < l->nhist && l->hist; i++)
		gvb_hist_destroy(&l->hist[i]);
	free(l->hist);
}

int gvb_run_group(struct gvb_run_case *cases, unsigned int ncases,
		  const struct gvb_runner_opts *opts, char *err, size_t errlen)
{
	struct case_state *cs = calloc(ncases, sizeof(*cs));
	unsigned int i, r, maxthreads = 1, *order = calloc(ncases, sizeof(*order));
	u64 seed = opts->shuffle_seed;
	unsigned int rounds = opts->samples;
	struct latency lat = { 0 };
	struct pool pool;
	bool pool_up = false;
	int ret = 0;

	if (!cs || !order) {
		ret = -ENOMEM;
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	for (i = 0; i < ncases; i++) {
		unsigned int k, ninst = min(max(opts->instances, 1u),
					    (unsigned int)GVB_RUN_MAX_INSTANCES);

		if (cases[i].share_ref_instance) {
			struct case_state *ref = &cs[cases[i].inject_ref];

			if (cases[i].inject_ref < 0 || cases[i].inject_ref >= (int)i || !ref->own) {
				ret = -EINVAL;
				snprintf(err, errlen, "%s: bad reference case", cases[i].out->name);
				goto out;
			}
			memcpy(cs[i].inst, ref->inst, sizeof(cs[i].inst));
			cs[i].ninst = ref->ninst;
		} else {
			cs[i].own = true;
			for (k = 0; k < ninst; k++) {
				cs[i].inst[k] = calloc(1, sizeof(struct gvb_wl));
				ret = cs[i].inst[k] ? inst_init(cs[i].inst[k], &cases[i], opts) :
				      -ENOMEM;
				if (ret) {
					if (cs[i].inst[k])
						inst_fini(cs[i].inst[k], opts);
					free(cs[i].inst[k]);
					cs[i].inst[k] = NULL;
					snprintf(err, errlen, "%s: setup failed: %s",
						 cases[i].out->name,
						 ret == -ENOMEM ? "out of memory" :
						 ret == -EOPNOTSUPP ?
						 "per-op ioctl mode exists for map-unmap only" :
						 strerror(-ret));
					goto out;
				}
				cs[i].ninst++;
			}
		}
		cs[i].wl = cs[i].inst[0];
		maxthreads = max(maxthreads, cs[i].wl->p.threads);
		if (gvb_case_alloc_samples(cases[i].out, opts->samples)) {
			ret = -ENOMEM;
			snprintf(err, errlen, "out of memory");
			goto out;
		}
	}
	ret = pool_start(&pool, maxthreads, opts->pin);
	pool_up = !ret || pool.nthreads;
	pool.kmod_fd = opts->kmod_fd;
	pool.kmod_perop = opts->kmod_perop;
	if (ret) {
		snprintf(err, errlen, "cannot start %u threads", maxthreads);
		goto out;
	}

	for (i = 0; i < ncases; i++) {
		progress(opts, "warming up", 0, 0);
		ret = size_batch(&pool, &cs[i], opts);
		if (!ret)
			ret = warm_up(&pool, &cs[i], opts);
		if (ret) {
			snprintf(err, errlen, "%s: an op failed: %s", cases[i].out->name,
				 strerror(-ret));
			goto out;
		}
	}
	/*
	 * Calibration cases run their reference's batch size plus injected
	 * ops. First pass: measure each reference and lengthen its batch until
	 * every effect injected against it is at least 4 ops (a smaller one
	 * cannot be represented). Second pass: every injected case takes its
	 * reference's final batch, so A and B always run batches of one size.
	 */
	for (i = 0; i < ncases; i++) {
		struct case_state *ref;
		double t[5];
		unsigned int k;

		if (cases[i].inject_ns <= 0)
			continue;
		ref = &cs[cases[i].inject_ref];
		for (k = 0; k < ARRAY_SIZE(t); k++) {
			ret = pool_dispatch(&pool, ref->wl, ref->batch_ops);
			if (ret)
				goto op_failed;
			t[k] = pool_ns_per_op(&pool, ref->wl->p.threads, ref->batch_ops);
		}
		cs[i].est_ns_per_op = gvb_median(t, ARRAY_SIZE(t));	/* t of the reference */
		if (ref->batch_ops * cases[i].inject_ns / cs[i].est_ns_per_op < 4)
			ref->batch_ops = (u64)ceil(4 * cs[i].est_ns_per_op / cases[i].inject_ns);
	}
	for (i = 0; i < ncases; i++) {
		if (cases[i].inject_ns <= 0 && cases[i].inject_pct <= 0)
			continue;
		cs[i].batch_ops = cs[cases[i].inject_ref].batch_ops;
		if (cases[i].inject_pct > 0)
			cs[i].extra_ops = llround(cs[i].batch_ops * cases[i].inject_pct / 100);
		else
			cs[i].extra_ops = llround(cs[i].batch_ops * cases[i].inject_ns /
						  cs[i].est_ns_per_op);
	}
	if (opts->time_budget_s > 0) {
		double round_ns = 0;

		for (i = 0; i < ncases; i++)
			round_ns += (cs[i].batch_ops + cs[i].extra_ops) * cs[i].est_ns_per_op;
		rounds = min_t(u64, rounds, max(3.0, opts->time_budget_s * 1e9 / round_ns));
	}

	if (opts->latency) {
		ret = latency_setup(&lat, ncases, maxthreads, opts);
		if (ret) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
	}
	for (i = 0; i < ncases; i++)
		order[i] = i;
	for (r = 0; r < rounds; r++) {
		/* A fresh order each round (Fisher-Yates), so no case always goes first. */
		for (i = ncases; i > 1; i--) {
			unsigned int j = rnd_next(&seed) % i, tmp = order[i - 1];

			order[i - 1] = order[j];
			order[j] = tmp;
		}
		for (i = 0; i < ncases; i++) {
			unsigned int c = order[i], k, nt;
			struct gvb_case *out = cases[c].out;
			u64 w0 = compat_wq_cpu_ns(system_unbound_wq), w1;
			double cpu = 0, ops_s = 0;

			cs[c].wl = cs[c].inst[r % cs[c].ninst];
			nt = cs[c].wl->p.threads;
			if (opts->latency)
				ret = pool_dispatch_job(&pool, cs[c].wl, lat.chunk,
							&lat.hist[c * maxthreads], &lat.tsc,
							lat.overhead_ns);
			else
				ret = pool_dispatch(&pool, cs[c].wl,
						    cs[c].batch_ops + cs[c].extra_ops);
			if (ret)
				goto op_failed;
			w1 = compat_wq_cpu_ns(system_unbound_wq);
			for (k = 0; k < nt; k++) {
				struct pool_thread *pt = &pool.threads[k];
				unsigned int m;

				cpu += pt->cpu_ns;
				for (m = 0; m < GVB_NR_COUNTERS; m++)
					cs[c].ctr[m] += pt->ctr[m];
			}
			cs[c].worker_cpu_ns += w1 - w0;
			if (opts->latency)
				continue;	/* timer reads inflate these batches */
			/* All threads' ops over the batch's wall time, release to last end. */
			ops_s = nt * cs[c].batch_ops * 1e9 /
				max(pool_max_elapsed_ns(&pool, nt), 1.0);
			out->ns_per_op[r] = pool_ns_per_op(&pool, nt, cs[c].batch_ops);
			out->cpu_ns_per_op[r] = (cpu + (w1 - w0)) / ((double)nt * cs[c].batch_ops);
			out->ops_per_sec[r] = ops_s;
		}
		progress(opts, cases[0].out->name, r + 1, ncases);
	}

	for (i = 0; i < ncases; i++) {
		struct gvb_case *out = cases[i].out;

		out->batch_ops = cs[i].batch_ops;
		out->worker_cpu_ns = cs[i].worker_cpu_ns;
		gvb_perf_fill_counters(out->counters, &pool.threads[0].perf, cs[i].ctr);
		if (opts->latency) {
			latency_finish(&lat, i, maxthreads, cs[i].wl->p.threads, out);
			continue;
		}
		out->nsamples = rounds;
		gvb_case_summarize(out);
	}
	/* The truth of an injected effect, from this run's own reference median. */
	for (i = 0; i < ncases; i++)
		if (cs[i].extra_ops)
			cases[i].out->injected_ns = (double)cs[i].extra_ops / cs[i].batch_ops *
				cases[cases[i].inject_ref].out->ns_per_op_sum.median;
	goto out;

op_failed:
	snprintf(err, errlen, "an op failed: %s", strerror(-ret));
out:
	latency_free(&lat);
	if (pool_up)
		pool_stop(&pool);
	for (i = 0; cs && i < ncases; i++) {
		unsigned int k;

		for (k = 0; cs[i].own && k < cs[i].ninst; k++) {
			inst_fini(cs[i].inst[k], opts);
			free(cs[i].inst[k]);
		}
	}
	free(order);
	free(cs);
	return ret;
}

/* -------------------------------------------------------------- batcher */

struct gvb_batcher {
	struct gvb_wl wl;
	struct pool pool;
};

int gvb_batcher_create(struct gvb_batcher **out, const struct gvb_workload *w,
		       const struct gvb_strategy_ops *ops, const struct gvb_wl_params *p, bool pin)
{
	struct gvb_batcher *b = calloc(1, sizeof(*b));
	int ret;

	if (!b)
		return -ENOMEM;
	ret = gvb_wl_init(&b->wl, w, ops, p);
	if (ret) {
		free(b);
		return ret;
	}
	ret = pool_start(&b->pool, b->wl.p.threads, pin);
	if (ret) {
		if (b->pool.nthreads)
			pool_stop(&b->pool);
		gvb_wl_fini(&b->wl);
		free(b);
		return ret;
	}
	*out = b;
	return 0;
}

int gvb_batcher_run(struct gvb_batcher *b, u64 n, double *ns_per_op)
{
	int ret = pool_dispatch(&b->pool, &b->wl, n);

	if (!ret)
		*ns_per_op = pool_ns_per_op(&b->pool, b->wl.p.threads, n);
	return ret;
}

void gvb_batcher_destroy(struct gvb_batcher *b)
{
	if (!b)
		return;
	pool_stop(&b->pool);
	gvb_wl_fini(&b->wl);
	free(b);
}

/* ----------------------------------------------------------- summaries */

void gvb_case_summarize(struct gvb_case *c)
{
	if (!c->nsamples) {
		static const struct gvb_summary none = {
			.median = NAN, .ci_lo = NAN, .ci_hi = NAN, .ci_level = NAN,
			.mean = NAN, .min = NAN, .max = NAN,
		};

		c->ns_per_op_sum = none;
		c->cpu_ns_per_op_sum = none;
		c->ops_per_sec_sum = none;
		return;
	}
	gvb_stats_summary(c->ns_per_op, c->nsamples, &c->ns_per_op_sum);
	gvb_stats_summary(c->cpu_ns_per_op, c->nsamples, &c->cpu_ns_per_op_sum);
	gvb_stats_summary(c->ops_per_sec, c->nsamples, &c->ops_per_sec_sum);
}

int gvb_compare_cases(struct gvb_result *r, const struct gvb_case *base,
		      const struct gvb_case *new, double alpha)
{
	struct gvb_comparison *cmp = gvb_result_add_cmp(r);
	double u;

	if (!cmp)
		return -ENOMEM;
	snprintf(cmp->base, sizeof(cmp->base), "%s", base->name);
	snprintf(cmp->new, sizeof(cmp->new), "%s", new->name);
	cmp->base_median = base->ns_per_op_sum.median;
	cmp->new_median = new->ns_per_op_sum.median;
	cmp->delta_ns = cmp->new_median - cmp->base_median;
	cmp->delta_pct = 100.0 * cmp->delta_ns / cmp->base_median;
	cmp->p_value = gvb_mann_whitney_u(base->ns_per_op, base->nsamples, new->ns_per_op,
					  new->nsamples, &u);
	if (gvb_median_delta_ci(base->ns_per_op, base->nsamples, new->ns_per_op, new->nsamples,
				&cmp->delta_ci_lo, &cmp->delta_ci_hi))
		cmp->delta_ci_lo = cmp->delta_ci_hi = NAN;
	cmp->significant = gvb_significant(cmp->p_value, alpha);
	cmp->n_base = base->nsamples;
	cmp->n_new = new->nsamples;
	cmp->paired_delta_ns = cmp->paired_ci_lo = cmp->paired_ci_hi = cmp->paired_p = NAN;
	if (base->nsamples == new->nsamples && base->nsamples) {
		double *d = malloc(sizeof(*d) * base->nsamples);
		struct gvb_summary s;
		unsigned int i;

		if (!d)
			return -ENOMEM;
		for (i = 0; i < base->nsamples; i++)
			d[i] = new->ns_per_op[i] - base->ns_per_op[i];
		if (!gvb_stats_summary(d, base->nsamples, &s)) {
			cmp->paired_delta_ns = s.median;
			cmp->paired_ci_lo = s.ci_lo;
			cmp->paired_ci_hi = s.ci_hi;
		}
		cmp->paired_p = gvb_wilcoxon_signed_rank(d, base->nsamples);
		free(d);
	}
	return 0;
}
