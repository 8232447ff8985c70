// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The kmod backend: the same workloads in gvbench.ko, through /dev/gvbench.
 * Batch mode runs each batch inside the module (WL_RUN) and takes the
 * kernel's clock, so syscall entry and exit stay out of the numbers.
 * Per-op mode (cfg.perop) issues one MAP and one UNMAP ioctl per op, as a
 * VM_BIND user would, and times the loop here, syscalls included.
 */
#include <stdio.h>

#include "backend/backend.h"
#include "backend/kmod_client.h"
#include "lib/util.h"

struct kmod_backend {
	int fd;
};

struct kmod_inst {
	struct gvb_inst base;
	uint32_t handle;		/* batch mode: the module's workload */
	struct gvb_kmod_perop *perop;	/* per-op mode: [threads] */
};

static int kmod_fd(struct gvb_backend *b)
{
	return ((struct kmod_backend *)b->priv)->fd;
}

static int kmod_open(struct gvb_backend *b)
{
	struct kmod_backend *k = calloc(1, sizeof(*k));

	if (!k) {
		fprintf(stderr, "%s: out of memory\n", gvb_prog);
		return -ENOMEM;
	}
	k->fd = gvb_kmod_open(NULL);
	if (k->fd < 0) {
		int ret = k->fd;

		free(k);
		return ret;
	}
	b->priv = k;
	snprintf(b->mode, sizeof(b->mode), "%s", b->cfg.perop ? "ioctl" : "batch");
	return 0;
}

static void kmod_close(struct gvb_backend *b)
{
	struct kmod_backend *k = b->priv;

	if (!k)
		return;
	gvb_kmod_close(k->fd);
	free(k);
	b->priv = NULL;
}

static void kmod_inst_free(struct kmod_inst *k, int fd)
{
	unsigned int i;

	if (k->perop) {
		for (i = 0; i < k->base.p.threads; i++)
			if (k->perop[i].vm)
				gvb_kmod_perop_fini(&k->perop[i]);
		free(k->perop);
	} else if (k->handle) {
		gvb_kmod_wl_destroy(fd, k->handle);
	}
	free(k);
}

static int kmod_perop_create(struct gvb_backend *b, struct kmod_inst *k)
{
	const struct gvb_wl_params *p = &k->base.p;
	unsigned int i;
	int ret;

	if (!(k->base.w->flags & GVB_WL_PEROP))
		return -EOPNOTSUPP;
	k->perop = calloc(p->threads, sizeof(*k->perop));
	if (!k->perop)
		return -ENOMEM;
	for (i = 0; i < p->threads; i++) {
		ret = gvb_kmod_perop_init(&k->perop[i], kmod_fd(b), k->base.ops->name,
					  p->fmt->name, p->size, p->flush_ns);
		if (ret)
			return ret;
	}
	return 0;
}

static int kmod_wl_create(struct gvb_backend *b, struct kmod_inst *k)
{
	struct gvb_wl_params *p = &k->base.p;
	struct gvb_kmod_wl_params kp = {
		.threads = p->threads, .size = p->size, .count = p->count,
		.flush_ns = p->flush_ns, .seed = p->seed, .defer_async = p->defer_async,
		.bo_external = p->bo_external, .pt_reclaim = p->pt_reclaim,
		.bind_sync = p->bind_sync,
		.format = p->fmt->name,
	};
	int ret;

	ret = gvb_kmod_wl_create(kmod_fd(b), k->base.w->name, k->base.ops->name, &kp, &k->handle);
	if (ret)
		return ret;
	/* The module's word on the effective parameters. */
	p->threads = kp.threads;
	p->size = kp.size;
	p->count = kp.count;
	p->flush_ns = kp.flush_ns;
	p->seed = kp.seed;
	return 0;
}

static int kmod_inst_create(struct gvb_backend *b, const struct gvb_workload *w,
			    const struct gvb_strategy_ops *ops, const struct gvb_wl_params *p,
			    struct gvb_inst **out)
{
	struct kmod_inst *k = calloc(1, sizeof(*k));
	int ret;

	if (!k)
		return -ENOMEM;
	k->base.w = w;
	k->base.ops = ops;
	gvb_wl_params_resolve(&k->base.p, w, p);
	ret = b->cfg.perop ? kmod_perop_create(b, k) : kmod_wl_create(b, k);
	if (ret) {
		kmod_inst_free(k, kmod_fd(b));
		return ret;
	}
	*out = &k->base;
	return 0;
}

static void kmod_inst_destroy(struct gvb_backend *b, struct gvb_inst *inst)
{
	kmod_inst_free(container_of(inst, struct kmod_inst, base), kmod_fd(b));
}

static int kmod_run_batch(struct gvb_backend *b, struct gvb_inst *inst, unsigned int thread,
			  struct gvb_wl_batch *batch)
{
	struct kmod_inst *k = container_of(inst, struct kmod_inst, base);
	struct gvb_kmod_run run = { 0 };
	int ret;

	if (batch->begin)
		batch->begin(batch);
	batch->start_ns = gvb_now_ns();
	if (k->perop) {
		ret = gvb_kmod_perop_run(&k->perop[thread], batch->n);
		run.run_ns = gvb_now_ns() - batch->start_ns;
	} else {
		ret = gvb_kmod_wl_run(kmod_fd(b), k->handle, thread, batch->n, 0, &run);
	}
	if (batch->end)
		batch->end(batch);
	batch->run_ns = run.run_ns;
	batch->drain_ns = run.drain_ns;
	return ret;
}

_Static_assert(GVBENCH_LOCK_CLASSES == GVB_LOCK_CLASSES, "the ABI's lock classes are the core's");

static int kmod_count(struct gvb_backend *b, struct gvb_inst *inst, unsigned int thread, u64 n,
		      struct gvb_lock_counts *out)
{
	struct kmod_inst *k = container_of(inst, struct kmod_inst, base);
	struct gvbench_wl_count a;
	unsigned int i;
	int ret;

	memset(out, 0, sizeof(*out));
	if (k->perop) {
		snprintf(b->count_note, sizeof(b->count_note),
			 "per-op ioctl mode has no workload in the module to count");
		return -EOPNOTSUPP;
	}
	ret = gvb_kmod_wl_count(kmod_fd(b), k->handle, thread, n, &a);
	if (ret == -ENOTTY) {
		snprintf(b->count_note, sizeof(b->count_note),
			 "the loaded gvbench.ko has no WL_COUNT (ABI < 1.1): rebuild and reload it");
		return -EOPNOTSUPP;
	}
	if (ret)
		return ret;
	out->ops = a.ops;
	for (i = 0; i < GVB_LOCK_CLASSES; i++)
		out->acquisitions[i] = a.acquisitions[i];
	out->pt_pages_allocated = a.pt_pages_allocated;
	out->pt_pages_freed = a.pt_pages_freed;
	out->pt_pages_prealloc = a.pt_pages_prealloc;
	return 0;
}

const struct gvb_backend_ops gvb_backend_kmod = {
	.name = "kmod",
	.desc = "the same code in gvbench.ko via /dev/gvbench (-b kmod)",
	.open = kmod_open,
	.close = kmod_close,
	.inst_create = kmod_inst_create,
	.inst_destroy = kmod_inst_destroy,
	.run_batch = kmod_run_batch,
	.count = kmod_count,
};
