// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * One instance on the user backend and its worker threads, for front ends
 * that do their own sampling (runner.h).
 */
#include "bench/pool.h"
#include "bench/runner.h"

struct gvb_batcher {
	struct gvb_backend be;
	struct gvb_inst *inst;
	struct pool pool;
};

int gvb_batcher_create(struct gvb_batcher **out, const struct gvb_workload *w,
		       const struct gvb_strategy_ops *ops, const struct gvb_wl_params *p, bool pin)
{
	struct gvb_batcher *b = calloc(1, sizeof(*b));
	int ret;

	if (!b)
		return -ENOMEM;
	ret = gvb_backend_open(&b->be, &gvb_backend_user, NULL);
	if (!ret)
		ret = b->be.ops->inst_create(&b->be, w, ops, GVB_ENGINE_MODEL, p, &b->inst);
	if (ret)
		goto close;
	ret = pool_start(&b->pool, &b->be, b->inst->p.threads, pin);
	if (!ret) {
		*out = b;
		return 0;
	}
	if (b->pool.nthreads)
		pool_stop(&b->pool);
	b->be.ops->inst_destroy(&b->be, b->inst);
close:
	gvb_backend_close(&b->be);
	free(b);
	return ret;
}

int gvb_batcher_run(struct gvb_batcher *b, u64 n, double *ns_per_op)
{
	int ret = pool_dispatch(&b->pool, b->inst, n);

	if (!ret)
		*ns_per_op = pool_ns_per_op(&b->pool, b->inst->p.threads, n);
	return ret;
}

void gvb_batcher_destroy(struct gvb_batcher *b)
{
	if (!b)
		return;
	pool_stop(&b->pool);
	b->be.ops->inst_destroy(&b->be, b->inst);
	gvb_backend_close(&b->be);
	free(b);
}
