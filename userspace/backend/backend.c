// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The backend registry and the calls every backend shares.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "backend/backend.h"
#include "lib/util.h"

const struct gvb_backend_ops *const gvb_backends[] = {
	&gvb_backend_user,
	&gvb_backend_kmod,
	NULL,
};

const struct gvb_engine gvb_engines[] = {
	{ GVB_ENGINE_MODEL, "gpuvm-bench's own model of drm_gpuvm (core/, strategies/)", NULL, NULL },
	{ "drm_gpuvm", "the kernel's drm_gpuvm, driven by gvbench_drm.ko", "kmod",
	  "gvbench.ko and gvbench_drm.ko loaded (scripts/vm-run --drm)" },
	{ NULL, NULL, NULL, NULL },
};

const struct gvb_engine *gvb_engine_find(const char *name)
{
	const struct gvb_engine *e;

	for (e = gvb_engines; e->name; e++)
		if (!strcmp(e->name, name))
			return e;
	return NULL;
}

void gvb_engine_names(char *buf, size_t len)
{
	const struct gvb_engine *e;
	size_t used = 0;

	buf[0] = '\0';
	for (e = gvb_engines; e->name && used < len; e++)
		used += snprintf(buf + used, len - used, "%s%s", used ? ", " : "", e->name);
}

const struct gvb_backend_ops *gvb_backend_find(const char *name)
{
	const struct gvb_backend_ops *const *b;

	for (b = gvb_backends; *b; b++)
		if (!strcmp((*b)->name, name))
			return *b;
	return NULL;
}

void gvb_backend_names(char *buf, size_t len)
{
	const struct gvb_backend_ops *const *b;
	size_t used = 0;

	buf[0] = '\0';
	for (b = gvb_backends; *b && used < len; b++)
		used += snprintf(buf + used, len - used, "%s%s", used ? ", " : "", (*b)->name);
}

int gvb_backend_open(struct gvb_backend *b, const struct gvb_backend_ops *ops,
		     const struct gvb_backend_cfg *cfg)
{
	memset(b, 0, sizeof(*b));
	b->ops = ops;
	if (cfg)
		b->cfg = *cfg;
	return ops->open ? ops->open(b) : 0;
}

void gvb_backend_close(struct gvb_backend *b)
{
	if (b->ops && b->ops->close)
		b->ops->close(b);
	b->ops = NULL;
}

u64 gvb_backend_worker_cpu_ns(struct gvb_backend *b)
{
	return b->ops->worker_cpu_ns ? b->ops->worker_cpu_ns(b) : 0;
}

int gvb_backend_count(struct gvb_backend *b, struct gvb_inst *inst, unsigned int thread, u64 n,
		      struct gvb_lock_counts *out)
{
	if (!b->ops->count) {
		snprintf(b->count_note, sizeof(b->count_note), "the %s backend cannot count",
			 b->ops->name);
		return -EOPNOTSUPP;
	}
	return b->ops->count(b, inst, thread, n, out);
}

int gvb_backend_engine_query(struct gvb_backend *b, const char *engine,
			     const struct gvb_workload *w, const struct gvb_strategy_ops *ops,
			     char *why, size_t len)
{
	why[0] = '\0';
	if (b->ops->engine_query)
		return b->ops->engine_query(b, engine, w, ops, why, len);
	if (!strcmp(engine, GVB_ENGINE_MODEL))
		return 0;
	snprintf(why, len, "engine '%s' does not run on the %s backend", engine, b->ops->name);
	return -ENODEV;
}

void gvb_backend_torture_wait(struct gvb_backend_torture *bt, u64 start_ns,
			      bool (*done)(void *arg),
			      void (*sum)(void *arg, struct gvb_torture_stats *s), void *arg)
{
	u64 next = start_ns + bt->interval_ns;
	struct gvb_torture_stats s;

	while (!done(arg)) {
		struct timespec ts = { 0, 20 * 1000 * 1000 };

		nanosleep(&ts, NULL);
		if (gvb_now_ns() < next || !bt->progress)
			continue;
		if (sum)
			sum(arg, &s);
		bt->progress(bt, gvb_now_ns() - start_ns, sum ? &s : NULL);
		next += bt->interval_ns;
	}
}
