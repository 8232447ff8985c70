// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The workload runner. See runner.h for the method; this file is the
 * mechanics of a group: instances on the backend, batch sizing, warmup,
 * shuffled interleaved rounds and the per-case totals. The worker threads
 * are pool.c's.
 */
#include <math.h>
#include <unistd.h>

#include "bench/pool.h"
#include "bench/runner.h"
#include "stats/stats.h"

void gvb_runner_default_opts(struct gvb_runner_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->samples = 30;
	o->batch_ms = 2.0;
	o->warmup_ms = 50.0;
	o->latency_ops = 20000;
	o->instances = 4;
	o->shuffle_seed = 0x5eed;
}

struct case_state {
	struct gvb_inst **inst;	/* rotated round by round */
	unsigned int ninst;
	bool own;		/* the instances are this case's, not its reference's */
	struct gvb_inst *cur;	/* the instance in use this round */
	u64 batch_ops;		/* reported ops per thread per batch */
	double est_ns_per_op;	/* from batch sizing, for time budgets */
	u64 extra_ops;		/* calibration: executed on top, not reported */
	uint64_t ctr[GVB_NR_COUNTERS];
	double worker_cpu_ns;
};

static void progress(const struct gvb_runner_opts *o, const char *what, unsigned int round,
		     unsigned int ncases)
{
	double elapsed, frac;
	char eta[32] = "?";
	const char *tty_name = ttyname(STDERR_FILENO);
	/* The console of a QEMU or UML guest is a terminal, but ends up in a log file. */
	bool tty = tty_name && strcmp(tty_name, "/dev/console");

	if (!o->progress_prefix)
		return;
	/* A log gets one line per finished group of cases, never a redraw. */
	if (!tty && round != o->samples)
		return;
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
		ret = pool_dispatch(pool, cs->cur, n);
		if (ret)
			return ret;
		el = pool_max_elapsed_ns(pool, cs->cur->p.threads);
		if (el >= target_ns / 8 || n >= (1ULL << 40))
			break;
		n *= 2;
	}
	cs->batch_ops = max_t(u64, 1, (u64)(n * target_ns / max(el, 1.0)));
	cs->est_ns_per_op = el / n;
	return 0;
}

/* An injected case runs its reference's batch plus the ops that make its effect. */
static void set_extra_ops(struct case_state *cs, const struct gvb_run_case *cases,
			  unsigned int ncases)
{
	unsigned int i;

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
		struct gvb_inst *inst = cs->inst[k % cs->ninst];

		ret = pool_dispatch(pool, inst, cs->batch_ops);
		if (ret)
			return ret;
		last[k++ % ARRAY_SIZE(last)] = pool_max_elapsed_ns(pool, inst->p.threads) /
					       cs->batch_ops;
	} while (gvb_now_s() < end || k < max_t(unsigned int, ARRAY_SIZE(last), cs->ninst));
	cs->est_ns_per_op = gvb_median(last, ARRAY_SIZE(last));
	cs->batch_ops = max_t(u64, 1, (u64)(o->batch_ms * 1e6 / max(cs->est_ns_per_op, 1e-3)));
	return 0;
}

/* ------------------------------------------------------------ instances */

static int case_instances_create(struct case_state *cs, const struct gvb_run_case *rc,
				 const struct gvb_runner_opts *o, char *err, size_t errlen)
{
	struct gvb_backend *be = o->backend;
	unsigned int k, ninst = max(o->instances, 1u);
	char why[256];
	int ret;

	cs->own = true;
	cs->inst = calloc(ninst, sizeof(*cs->inst));
	if (!cs->inst) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (k = 0; k < ninst; k++) {
		ret = be->ops->inst_create(be, rc->w, rc->ops,
					   rc->engine ? rc->engine : GVB_ENGINE_MODEL, &rc->p,
					   &cs->inst[k]);
		if (!ret) {
			cs->ninst++;
			continue;
		}
		if ((ret == -EOPNOTSUPP || ret == -ENODEV) && rc->engine &&
		    gvb_backend_engine_query(be, rc->engine, rc->w, rc->ops, why, sizeof(why))) {
			/* the engine's own reason is in @why */
		} else if (ret == -EOPNOTSUPP && be->cfg.perop) {
			char names[96];

			gvb_workload_names(names, sizeof(names), GVB_WL_PEROP);
			snprintf(why, sizeof(why), "per-op %s mode exists for %s only", be->mode,
				 names);
		} else {
			snprintf(why, sizeof(why), "%s",
				 ret == -ENOMEM ? "out of memory" : strerror(-ret));
		}
		snprintf(err, errlen, "%s: setup failed: %s", rc->out->name, why);
		return ret;
	}
	return 0;
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

/*
 * Lock accounting, after the timed rounds so it cannot disturb them: each
 * thread of the case's first instance in turn counts one batch's worth of
 * ops (at most GVB_COUNT_MAX_OPS, rounded up to whole periods for
 * GVB_WL_PERIOD_COUNT workloads); per-op values are the totals over all
 * threads divided by all their ops. A backend that cannot count leaves the
 * case without counts (b->count_note says why); 0 then.
 */
#define GVB_COUNT_MAX_OPS	(1ULL << 16)

_Static_assert(GVB_LOCK_CLASSES == GVB_RESULT_LOCK_CLASSES, "one lock class list");

static int count_case(struct gvb_backend *be, struct case_state *cs, struct gvb_case *out)
{
	struct gvb_inst *inst = cs->inst[0];
	u64 n = max_t(u64, 1, min_t(u64, cs->batch_ops, GVB_COUNT_MAX_OPS)), ops = 0;
	u64 acq[GVB_LOCK_CLASSES] = { 0 }, alloc = 0, freed = 0;
	unsigned int t, k;
	int ret;

	/* Any window of whole periods holds the same work, whatever its phase. */
	if ((inst->w->flags & GVB_WL_PERIOD_COUNT) && inst->p.count)
		n = DIV_ROUND_UP(n, inst->p.count) * inst->p.count;
	for (t = 0; t < inst->p.threads; t++) {
		struct gvb_lock_counts lc;

		ret = gvb_backend_count(be, inst, t, n, &lc);
		if (ret == -EOPNOTSUPP)
			return 0;
		if (ret)
			return ret;
		ops += lc.ops;
		for (k = 0; k < GVB_LOCK_CLASSES; k++)
			acq[k] += lc.acquisitions[k];
		alloc += lc.pt_pages_allocated;
		freed += lc.pt_pages_freed;
	}
	if (!ops)
		return 0;
	for (k = 0; k < GVB_LOCK_CLASSES; k++)
		out->locks_per_op[k] = (double)acq[k] / ops;
	out->pt_alloc_per_op = (double)alloc / ops;
	out->pt_freed_per_op = (double)freed / ops;
	out->has_locks = true;
	return 0;
}

int gvb_run_group(struct gvb_run_case *cases, unsigned int ncases,
		  const struct gvb_runner_opts *opts, char *err, size_t errlen)
{
	struct case_state *cs = calloc(ncases, sizeof(*cs));
	unsigned int i, r, maxthreads = 1, *order = calloc(ncases, sizeof(*order));
	u64 seed = opts->shuffle_seed;
	unsigned int rounds = opts->samples;
	struct gvb_backend *be = opts->backend;
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
		if (cases[i].share_ref_instance) {
			struct case_state *ref = &cs[cases[i].inject_ref];

			if (cases[i].inject_ref < 0 || cases[i].inject_ref >= (int)i || !ref->own) {
				ret = -EINVAL;
				snprintf(err, errlen, "%s: bad reference case", cases[i].out->name);
				goto out;
			}
			cs[i].inst = ref->inst;
			cs[i].ninst = ref->ninst;
		} else {
			ret = case_instances_create(&cs[i], &cases[i], opts, err, errlen);
			if (ret)
				goto out;
		}
		cs[i].cur = cs[i].inst[0];
		maxthreads = max(maxthreads, cs[i].cur->p.threads);
		if (gvb_case_alloc_samples(cases[i].out, opts->samples)) {
			ret = -ENOMEM;
			snprintf(err, errlen, "out of memory");
			goto out;
		}
	}
	ret = pool_start(&pool, opts->backend, maxthreads, opts->pin);
	pool_up = !ret || pool.nthreads;
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
			ret = pool_dispatch(&pool, ref->cur, ref->batch_ops);
			if (ret)
				goto op_failed;
			t[k] = pool_ns_per_op(&pool, ref->cur->p.threads, ref->batch_ops);
		}
		cs[i].est_ns_per_op = gvb_median(t, ARRAY_SIZE(t));	/* t of the reference */
		if (ref->batch_ops * cases[i].inject_ns / cs[i].est_ns_per_op < 4)
			ref->batch_ops = (u64)ceil(4 * cs[i].est_ns_per_op / cases[i].inject_ns);
	}
	set_extra_ops(cs, cases, ncases);
	if (opts->time_budget_s > 0) {
		double round_ns = 0, fit;

		for (i = 0; i < ncases; i++)
			round_ns += (cs[i].batch_ops + cs[i].extra_ops) * cs[i].est_ns_per_op;
		/*
		 * At least 3 rounds, and within the budget whatever effect is
		 * injected: a round that would not fit three times shrinks the
		 * batches (never below one op), not the round count.
		 */
		fit = opts->time_budget_s * 1e9 / (3 * round_ns);
		if (fit < 1) {
			for (i = 0; i < ncases; i++)
				cs[i].batch_ops = max_t(u64, 1, (u64)(cs[i].batch_ops * fit));
			set_extra_ops(cs, cases, ncases);
		}
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
			unsigned int j = gvb_rand64(&seed) % i, tmp = order[i - 1];

			order[i - 1] = order[j];
			order[j] = tmp;
		}
		for (i = 0; i < ncases; i++) {
			unsigned int c = order[i], k, nt;
			struct gvb_case *out = cases[c].out;
			u64 w0 = gvb_backend_worker_cpu_ns(be), w1;
			double cpu = 0, ops_s = 0;

			cs[c].cur = cs[c].inst[r % cs[c].ninst];
			nt = cs[c].cur->p.threads;
			if (opts->latency)
				ret = pool_dispatch_job(&pool, cs[c].cur, lat.chunk,
							&lat.hist[c * maxthreads], &lat.tsc,
							lat.overhead_ns);
			else
				ret = pool_dispatch(&pool, cs[c].cur,
						    cs[c].batch_ops + cs[c].extra_ops);
			if (ret)
				goto op_failed;
			w1 = gvb_backend_worker_cpu_ns(be);
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
		ret = count_case(be, &cs[i], cases[i].out);
		if (ret) {
			snprintf(err, errlen, "%s: the lock-counting pass failed: %s",
				 cases[i].out->name, strerror(-ret));
			goto out;
		}
	}
	for (i = 0; i < ncases; i++) {
		struct gvb_case *out = cases[i].out;

		out->batch_ops = cs[i].batch_ops;
		out->worker_cpu_ns = cs[i].worker_cpu_ns;
		gvb_perf_fill_counters(out->counters, &pool.threads[0].perf, cs[i].ctr);
		if (opts->latency) {
			latency_finish(&lat, i, maxthreads, cs[i].cur->p.threads, out);
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

		for (k = 0; cs[i].own && k < cs[i].ninst; k++)
			be->ops->inst_destroy(be, cs[i].inst[k]);
		if (cs[i].own)
			free(cs[i].inst);
	}
	free(order);
	free(cs);
	return ret;
}

