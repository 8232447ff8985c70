// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The user backend: core, strategies and workloads linked into this
 * process through userspace/compat, each batch a direct call.
 */
#include <stdio.h>

#include "backend/backend.h"

struct user_inst {
	struct gvb_inst base;
	struct gvb_wl wl;
};

static int user_open(struct gvb_backend *b)
{
	snprintf(b->mode, sizeof(b->mode), "inline");
	return 0;
}

static int user_inst_create(struct gvb_backend *b, const struct gvb_workload *w,
			    const struct gvb_strategy_ops *ops, const struct gvb_wl_params *p,
			    struct gvb_inst **out)
{
	struct user_inst *u = calloc(1, sizeof(*u));
	int ret;

	if (!u)
		return -ENOMEM;
	ret = gvb_wl_init(&u->wl, w, ops, p);
	if (ret) {
		free(u);
		return ret;
	}
	u->base.p = u->wl.p;
	u->base.w = w;
	u->base.ops = ops;
	*out = &u->base;
	return 0;
}

static void user_inst_destroy(struct gvb_backend *b, struct gvb_inst *inst)
{
	struct user_inst *u = container_of(inst, struct user_inst, base);

	gvb_wl_fini(&u->wl);
	free(u);
}

static int user_run_batch(struct gvb_backend *b, struct gvb_inst *inst, unsigned int thread,
			  struct gvb_wl_batch *batch)
{
	struct user_inst *u = container_of(inst, struct user_inst, base);

	return gvb_wl_run_batch(&u->wl.threads[thread], batch);
}

static int user_count(struct gvb_backend *b, struct gvb_inst *inst, unsigned int thread, u64 n,
		      struct gvb_lock_counts *out)
{
	struct user_inst *u = container_of(inst, struct user_inst, base);

	return gvb_wl_count_pass(&u->wl, thread, n, out);
}

/* Deferred cleanup runs on the compat workqueue's threads, in this process. */
static u64 user_worker_cpu_ns(struct gvb_backend *b)
{
	return compat_wq_cpu_ns(system_unbound_wq);
}

const struct gvb_backend_ops gvb_backend_user = {
	.name = "user",
	.desc = "core and strategies linked into gvbench (default)",
	.flags = GVB_BACKEND_LATENCY,
	.open = user_open,
	.inst_create = user_inst_create,
	.inst_destroy = user_inst_destroy,
	.run_batch = user_run_batch,
	.count = user_count,
	.worker_cpu_ns = user_worker_cpu_ns,
};
