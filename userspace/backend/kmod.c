// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The kmod backend: the same workloads in gvbench.ko, through /dev/gvbench.
 * Batch mode runs each batch inside the module (WL_RUN) and takes the
 * kernel's clock, so syscall entry and exit stay out of the numbers.
 * Per-op mode (cfg.perop) issues one MAP and one UNMAP ioctl per op, as a
 * VM_BIND user would, and times the loop here, syscalls included.
 * Torture runs the engine in the module's kernel threads (TORTURE), while
 * this process waits on a thread of its own and prints progress; a run
 * also fails if the module holds more allocations after it than before.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

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

static int kmod_wl_create(struct gvb_backend *b, struct kmod_inst *k, const char *engine)
{
	struct gvb_wl_params *p = &k->base.p;
	struct gvb_kmod_wl_params kp = {
		.threads = p->threads, .size = p->size, .count = p->count,
		.flush_ns = p->flush_ns, .seed = p->seed, .defer_async = p->defer_async,
		.bo_external = p->bo_external, .pt_reclaim = p->pt_reclaim,
		.bind_sync = p->bind_sync,
		.format = p->fmt->name, .engine = engine,
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
			    const struct gvb_strategy_ops *ops, const char *engine,
			    const struct gvb_wl_params *p, struct gvb_inst **out)
{
	struct kmod_inst *k;
	int ret;

	/* Per-op mode drives the module's VM ioctls, which only the model serves. */
	if (b->cfg.perop && strcmp(engine, GVB_ENGINE_MODEL))
		return -EOPNOTSUPP;
	k = calloc(1, sizeof(*k));
	if (!k)
		return -ENOMEM;
	k->base.w = w;
	k->base.ops = ops;
	gvb_wl_params_resolve(&k->base.p, w, p);
	ret = b->cfg.perop ? kmod_perop_create(b, k) : kmod_wl_create(b, k, engine);
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
	if (ret == -EOPNOTSUPP) {
		snprintf(b->count_note, sizeof(b->count_note),
			 "instances of an engine other than the model have no lock counters");
		return ret;
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

static int kmod_engine_list(struct gvb_backend *b, unsigned int index, char *name, size_t nlen,
			    char *desc, size_t dlen)
{
	struct gvbench_list l;
	int ret = gvb_kmod_list_engines(kmod_fd(b), index, &l);

	/* A module before engines (minor 2) has the model alone. */
	if (ret == -ENOTTY && !index) {
		snprintf(name, nlen, "%s", GVB_ENGINE_MODEL);
		snprintf(desc, dlen, "gvbench.ko without engines (ABI minor < 2)");
		return 0;
	}
	if (ret)
		return ret == -ENOTTY ? -ENOENT : ret;
	snprintf(name, nlen, "%s", l.name);
	snprintf(desc, dlen, "%s", l.desc);
	return 0;
}

static int kmod_engine_query(struct gvb_backend *b, const char *engine,
			     const struct gvb_workload *w, const struct gvb_strategy_ops *ops,
			     char *why, size_t len)
{
	bool can = false;
	int ret;

	if (b->cfg.perop && strcmp(engine, GVB_ENGINE_MODEL)) {
		snprintf(why, len, "engine %s runs only in batch mode (drop --kmod-mode ioctl)",
			 engine);
		return -EOPNOTSUPP;
	}
	ret = gvb_kmod_engine_query(kmod_fd(b), engine, w->name, ops->name, &can, why, len);
	if (ret == -ENOTTY && !strcmp(engine, GVB_ENGINE_MODEL))
		return 0;
	if (ret == -ENOTTY) {
		snprintf(why, len, "this gvbench.ko has no engines (ABI minor < 2): rebuild and "
			 "reload kmod/gvbench.ko and gvbench_drm.ko");
		return -ENODEV;
	}
	if (ret == -ENODEV) {
		snprintf(why, len, "engine %s is not loaded: insmod kmod/gvbench_drm.ko "
			 "(scripts/vm-run --drm)", engine);
		return ret;
	}
	if (ret) {
		snprintf(why, len, "ENGINE_QUERY failed: %s", strerror(-ret));
		return ret;
	}
	if (!can) {
		if (!why[0])
			snprintf(why, len, "the engine gives no reason");
		return -EOPNOTSUPP;
	}
	return 0;
}

_Static_assert(GVB_TORTURE_LINE == GVBENCH_TORTURE_LINE, "the module's verdict line fits");

/* The module's limit on GVBENCH_IOC_TORTURE's duration_ms. */
#define KMOD_TORTURE_MAX_MS	600000ULL

struct kmod_torture {
	int fd;
	const char *strategy;
	struct gvbench_torture a;
	int ret;
	atomic_int done;
};

static void *kmod_torture_fn(void *arg)
{
	struct kmod_torture *kt = arg;

	kt->ret = gvb_kmod_torture(kt->fd, kt->strategy, &kt->a);
	atomic_store(&kt->done, 1);
	return NULL;
}

static bool kmod_torture_done(void *arg)
{
	return atomic_load(&((struct kmod_torture *)arg)->done);
}

static int kmod_torture(struct gvb_backend *b, struct gvb_backend_torture *bt)
{
	const struct gvb_torture_params *p = &bt->p;
	struct kmod_torture *kt;
	int64_t live_before = 0, live_after = 0;
	bool have_live;
	pthread_t tid;
	unsigned int i;
	size_t n;
	int ret;

	if (p->duration_ns > KMOD_TORTURE_MAX_MS * 1000000) {
		fprintf(stderr, "%s: torture: -b kmod runs at most %llu s (--duration)\n", gvb_prog,
			KMOD_TORTURE_MAX_MS / 1000);
		return -EINVAL;
	}
	kt = calloc(1, sizeof(*kt));
	if (!kt) {
		fprintf(stderr, "%s: torture: out of memory\n", gvb_prog);
		return -ENOMEM;
	}
	kt->fd = kmod_fd(b);
	kt->strategy = p->ops->name;
	kt->a.threads = p->threads;
	kt->a.vms = p->vms;
	kt->a.bos = p->bos;
	kt->a.ops = p->n_ops;
	kt->a.duration_ms = p->duration_ns / 1000000;
	kt->a.seed = p->seed;
	kt->a.check_every = p->check_every;
	have_live = !gvb_kmod_live(kt->fd, &live_before);
	if (pthread_create(&tid, NULL, kmod_torture_fn, kt)) {
		fprintf(stderr, "%s: torture: cannot start a thread\n", gvb_prog);
		free(kt);
		return -EAGAIN;
	}
	gvb_backend_torture_wait(bt, gvb_now_ns(), kmod_torture_done, NULL, kt);
	pthread_join(tid, NULL);
	ret = kt->ret;
	if (ret == -EPERM)
		fprintf(stderr, "%s: torture: gvbench.ko refuses '%s': load it with allow_broken=1 "
			"(insmod kmod/gvbench.ko allow_broken=1)\n", gvb_prog, p->ops->name);
	else if (ret == -ENOTTY)
		fprintf(stderr, "%s: torture: this gvbench.ko has no TORTURE ioctl (ABI 1.0): "
			"rebuild and reload kmod/gvbench.ko\n", gvb_prog);
	else if (ret)
		fprintf(stderr, "%s: torture: TORTURE ioctl failed: %s\n", gvb_prog,
			strerror(-ret));
	if (ret) {
		free(kt);
		return ret;
	}
	bt->failed = kt->a.failed;
	memset(&bt->s, 0, sizeof(bt->s));
	for (i = 0; i < kt->a.n_counters && i < GVB_T_NR; i++)
		bt->s.c[i] = kt->a.counters[i];
	bt->s.failures = kt->a.failures;
	snprintf(bt->line, sizeof(bt->line), "%s", kt->a.line);
	n = strlen(bt->line);
	/* Other users of the module at the same time would show here too. */
	if (!bt->failed && have_live && !gvb_kmod_live(kt->fd, &live_after) &&
	    live_after != live_before) {
		bt->failed = true;
		snprintf(bt->line + n, sizeof(bt->line) - n,
			 " (module allocations %lld before, %lld after: a leak)",
			 (long long)live_before, (long long)live_after);
	}
	free(kt);
	return 0;
}

const struct gvb_backend_ops gvb_backend_kmod = {
	.name = "kmod",
	.desc = "the same code in gvbench.ko via /dev/gvbench (-b kmod)",
	.open = kmod_open,
	.close = kmod_close,
	.inst_create = kmod_inst_create,
	.inst_destroy = kmod_inst_destroy,
	.engine_list = kmod_engine_list,
	.engine_query = kmod_engine_query,
	.run_batch = kmod_run_batch,
	.count = kmod_count,
	.torture = kmod_torture,
};
