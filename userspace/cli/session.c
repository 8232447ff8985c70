// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * A benchmarking command's session: the backend opened, the result and its
 * metadata started, cases set up from the options, groups run.
 */
#include <math.h>
#include <string.h>

#include "bench/perf.h"
#include "cli/cli.h"
#include "result/meta.h"

void bench_case_setup(struct gvb_run_case *rc, struct gvb_case *c, const struct gvb_workload *w,
		      const struct gvb_strategy_ops *ops, const struct gvb_wl_params *p,
		      bool pinned, double name_inject, const struct gvb_engine *engine,
		      bool name_engine)
{
	memset(rc, 0, sizeof(*rc));
	rc->w = w;
	rc->ops = ops;
	rc->engine = engine->name;
	gvb_wl_params_resolve(&rc->p, w, p);
	gvb_case_name(c->name, sizeof(c->name), w, ops, &rc->p, name_inject,
		      name_engine ? engine->name : NULL);
	snprintf(c->workload, sizeof(c->workload), "%s", w->name);
	snprintf(c->strategy, sizeof(c->strategy), "%s", ops->name);
	snprintf(c->engine, sizeof(c->engine), "%s", engine->name);
	c->threads = rc->p.threads;
	c->size = rc->p.size;
	c->count = rc->p.count;
	c->flush_ns = rc->p.flush_ns;
	c->seed = rc->p.seed;
	c->defer_async = rc->p.defer_async;
	snprintf(c->format, sizeof(c->format), "%s", rc->p.fmt->name);
	snprintf(c->bo, sizeof(c->bo), "%s", rc->p.bo_external ? "external" : "private");
	c->pt_reclaim = rc->p.pt_reclaim;
	c->bind_sync = rc->p.bind_sync;
	c->pinned = pinned;
}

void bench_note_counts(const struct gvb_result *res, unsigned int first, struct bench_opts *bo)
{
	unsigned int i;

	for (i = first; i < res->ncases && !bo->counts_noted; i++) {
		if (res->cases[i].has_locks)
			continue;
		fprintf(stderr, "%s: lock counts absent from the result: %s\n", gvb_prog,
			bo->be.count_note[0] ? bo->be.count_note : "not counted");
		bo->counts_noted = true;
	}
}

int bench_check_engines(struct bench_opts *bo, const struct gvb_workload *w,
			const struct gvb_strategy_ops *const *strats, unsigned int nstrats)
{
	unsigned int e, i;
	char why[256];

	for (e = 0; e < bo->nengines; e++) {
		if (!strcmp(bo->engines[e]->name, GVB_ENGINE_MODEL))
			continue;
		for (i = 0; i < nstrats; i++) {
			if (!gvb_backend_engine_query(&bo->be, bo->engines[e]->name, w, strats[i],
						      why, sizeof(why)))
				continue;
			fprintf(stderr, "%s: engine %s cannot run %s/%s: %s\n", gvb_prog,
				bo->engines[e]->name, w->name, strats[i]->name, why);
			return 1;
		}
	}
	return 0;
}

int bench_run_group(struct gvb_result *res, const struct gvb_workload *w,
		    const struct gvb_strategy_ops **strats, unsigned int nstrats,
		    const struct gvb_wl_params *p, struct bench_opts *bo)
{
	unsigned int i, n = nstrats * bo->nengines, first = res->ncases;
	struct gvb_run_case *rc;
	int ret;
	char err[256];

	if (bench_check_engines(bo, w, strats, nstrats))
		return -EOPNOTSUPP;
	rc = calloc(n, sizeof(*rc));
	if (!rc)
		return -ENOMEM;
	/* Engine-major: case i is strategy i % nstrats on engine i / nstrats. */
	for (i = 0; i < n; i++) {
		struct gvb_case *c = gvb_result_add_case(res);

		if (!c) {
			free(rc);
			return -ENOMEM;
		}
		bench_case_setup(&rc[i], c, w, strats[i % nstrats], p, bo->run.pin, 0,
				 bo->engines[i / nstrats], bo->nengines > 1);
	}
	/* add_case may move the array: fill ->out only now. */
	for (i = 0; i < n; i++) {
		rc[i].out = &res->cases[first + i];
		rc[i].out->group = first;
	}
	ret = gvb_run_group(rc, n, &bo->run, err, sizeof(err));
	free(rc);
	if (ret) {
		if (bo->run.progress_prefix)
			fputc('\n', stderr);
		fprintf(stderr, "%s: %s\n", gvb_prog, err);
		return ret;
	}
	bo->run.progress_done += n;
	bench_note_counts(res, first, bo);
	for (i = 0; bo->base && !bo->run.latency && i < n; i++) {
		unsigned int e0 = i - i % nstrats, b;

		for (b = e0; b < e0 + nstrats; b++)
			if (!strcmp(strats[b - e0]->name, bo->base))
				break;
		if (b == e0 + nstrats || b == i)
			continue;
		if (gvb_compare_cases(res, &res->cases[first + b], &res->cases[first + i],
				      bo->alpha))
			return -ENOMEM;
	}
	return 0;
}

/* The empty workload: what the harness costs per reported op. */
static double measure_harness(struct bench_opts *bo)
{
	struct gvb_result r;
	const struct gvb_strategy_ops *s = &gvb_strategy_resv;
	struct bench_opts e = *bo;
	double ns = NAN;

	gvb_result_init(&r);
	e.run.progress_prefix = NULL;
	e.base = NULL;
	/* The harness's cost is the model's: the empty workload has no other engine. */
	e.engines[0] = gvb_engine_find(GVB_ENGINE_MODEL);
	e.nengines = 1;
	/* Whole batches even where the run issues single requests: the empty op has no such form. */
	e.be.cfg.perop = false;
	e.run.backend = &e.be;
	memset(&e.p, 0, sizeof(e.p));
	e.p.threads = 1;
	if (!bench_run_group(&r, gvb_workload_find("empty"), &s, 1, &e.p, &e))
		ns = r.cases[0].ns_per_op_sum.median;
	gvb_result_free(&r);
	return ns;
}

int bench_start(struct gvb_result *res, struct bench_opts *bo, int argc, char **argv,
		const char *mode, bool harness)
{
	struct gvb_backend_cfg cfg = { .perop = !strcmp(bo->kmod_mode, "ioctl") };

	if (bo->run.latency && !(bo->backend->flags & GVB_BACKEND_LATENCY))
		gvb_die_usage("--latency runs only on the user backend (-b user)");
	gvb_result_init(res);
	gvb_meta_fill(&res->meta, argc + 1, argv - 1);
	if (gvb_backend_open(&bo->be, bo->backend, &cfg)) {
		gvb_result_free(res);
		return -1;
	}
	bo->run.backend = &bo->be;
	snprintf(res->meta.backend, sizeof(res->meta.backend), "%s", bo->backend->name);
	snprintf(res->meta.backend_mode, sizeof(res->meta.backend_mode), "%s", bo->be.mode);
	snprintf(res->meta.mode, sizeof(res->meta.mode), "%s", mode);
	res->meta.alpha = bo->alpha;
	gvb_perf_note(res->meta.perf_note, sizeof(res->meta.perf_note));
	if (harness)
		res->meta.harness_ns_per_op = measure_harness(bo);
	gvb_print_setup(stdout, &res->meta);
	return 0;
}

int bench_finish(struct gvb_result *res, struct bench_opts *bo, int ret)
{
	gvb_backend_close(&bo->be);
	gvb_result_free(res);
	return ret ? 1 : 0;
}
