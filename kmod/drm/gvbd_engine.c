// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The "drm_gpuvm" engine as gvbench.ko sees it (struct gvb_engine): the
 * workloads of workloads/ that go through map and unmap, run on the
 * kernel's drm_gpuvm with the same VAs, sizes, offsets, random sequences
 * and per-thread objects as the model's files (read those for the why of
 * each pattern). Each one here states only its op loop and its objects.
 */
#define pr_fmt(fmt) "gvbench_drm: " fmt

#include <linux/mm.h>
#include <linux/slab.h>

#include "gvbd.h"
#include "gvb_engine.h"
#include "uapi/gvbench.h"

struct gvbd_wl;

struct gvbd_thread {
	struct gvb_wl_thread base;	/* idx, rng, iter: gvb_wl_rand() works on it */
	struct gvbd_vm *vm;
	struct gvbd_bo *bo;
	/* fence-path: the prepared binds of the current batch */
	struct gvbd_prep *preps;
	u64 nr_preps, next_prep;
};

struct gvbd_workload {
	const char *name;
	/* Parameter checks and shared objects; the thread's VM and BO sizes. */
	int (*setup)(struct gvbd_wl *wl);
	u64 (*vm_range)(const struct gvb_wl_params *p);
	/* 0: no BO of its own; VM-private unless bo_external, as the model's */
	u64 (*bo_size)(const struct gvb_wl_params *p);
	int (*thread_setup)(struct gvbd_wl *wl, struct gvbd_thread *t);	/* optional */
	void (*teardown)(struct gvbd_wl *wl);				/* optional */
	bool no_vm_thread0;		/* thread 0 works without a VM (evict-walk's evictor) */
	int (*run)(struct gvbd_wl *wl, struct gvbd_thread *t, u64 n);
	/* Optional, untimed, around each batch (fence-path). */
	int (*batch_prepare)(struct gvbd_wl *wl, struct gvbd_thread *t, u64 n);
	void (*batch_finish)(struct gvbd_wl *wl, struct gvbd_thread *t);
};

struct gvbd_wl {
	const struct gvbd_workload *w;
	enum gvbd_mode mode;
	struct gvb_wl_params p;
	struct gvbd_bo *shared_bo;
	struct gvbd_bo **bos;		/* evict-walk's shared BOs */
	struct gvbd_thread *threads;
};

/* ------------------------------------------------------------ workloads */

#define MAP_UNMAP_VA	SZ_2M

static u64 gvbd_p_size(const struct gvb_wl_params *p)
{
	return p->size;
}

static u64 gvbd_span(const struct gvb_wl_params *p)
{
	return p->count * p->size;
}

static u64 map_unmap_vm(const struct gvb_wl_params *p)
{
	return MAP_UNMAP_VA + p->size;
}

static int map_unmap_run(struct gvbd_wl *wl, struct gvbd_thread *t, u64 n)
{
	u64 size = wl->p.size;
	int ret = 0;

	while (n-- && !ret) {
		ret = gvbd_map(t->vm, t->bo, MAP_UNMAP_VA, size, 0);
		if (!ret)
			ret = gvbd_unmap(t->vm, MAP_UNMAP_VA, size);
	}
	return ret;
}

static int bind_many_setup(struct gvbd_wl *wl)
{
	u64 span;

	if (!wl->p.count || check_mul_overflow(wl->p.count, wl->p.size, &span) ||
	    span > BIT_ULL((wl->p.fmt ?: gvb_pt_formats[0])->va_bits))
		return -EINVAL;
	return 0;
}

static int bind_many_run(struct gvbd_wl *wl, struct gvbd_thread *t, u64 n)
{
	u64 size = wl->p.size, count = wl->p.count, i;
	int ret = 0;

	while (n-- && !ret) {
		for (i = 0; i < count && !ret; i++)
			ret = gvbd_map(t->vm, t->bo, i * size, size, 0);
		if (!ret)
			ret = gvbd_unmap(t->vm, 0, count * size);
	}
	return ret;
}

static int shared_bo_setup(struct gvbd_wl *wl)
{
	wl->shared_bo = gvbd_bo_create(wl->p.size);
	return wl->shared_bo ? 0 : -ENOMEM;
}

static int shared_bo_run(struct gvbd_wl *wl, struct gvbd_thread *t, u64 n)
{
	u64 size = wl->p.size;
	int ret = 0;

	while (n-- && !ret) {
		ret = gvbd_map(t->vm, wl->shared_bo, 0, size, 0);
		if (!ret)
			ret = gvbd_unmap(t->vm, 0, size);
	}
	return ret;
}

static int vm_bo_churn_run(struct gvbd_wl *wl, struct gvbd_thread *t, u64 n)
{
	u64 size = wl->p.size;
	int ret = 0;

	while (n-- && !ret) {
		struct gvbd_bo *bo = gvbd_bo_create(size);

		if (!bo)
			return -ENOMEM;
		ret = gvbd_map(t->vm, bo, 0, size, 0);
		/* From here the mapping's vm_bo owns the BO. */
		gvbd_bo_put(bo);
		if (!ret)
			ret = gvbd_unmap(t->vm, 0, size);
	}
	return ret;
}

static int remap_split_setup(struct gvbd_wl *wl)
{
	u64 bo_size;

	if (wl->p.count < 3 || check_mul_overflow(wl->p.count + 1, wl->p.size, &bo_size) ||
	    bo_size > GVB_BO_MAX_SIZE)
		return -EINVAL;
	return 0;
}

static u64 remap_split_bo(const struct gvb_wl_params *p)
{
	return (p->count + 1) * p->size;
}

static int remap_split_thread_setup(struct gvbd_wl *wl, struct gvbd_thread *t)
{
	return gvbd_map(t->vm, t->bo, 0, gvbd_span(&wl->p), 0);
}

static int remap_split_run(struct gvbd_wl *wl, struct gvbd_thread *t, u64 n)
{
	u64 size = wl->p.size, count = wl->p.count;
	u64 span = count * size, spare = span;
	int ret = 0;

	while (n-- && !ret) {
		u64 mid = (1 + (u32)(gvb_wl_rand(&t->base) >> 32) % (u32)(count - 2)) * size;

		ret = gvbd_map(t->vm, t->bo, mid, size, spare);
		if (!ret)
			ret = gvbd_map(t->vm, t->bo, 0, span, 0);
	}
	return ret;
}

#define SPARSE_MAX_COUNT	(1ULL << 20)

static int sparse_setup(struct gvbd_wl *wl)
{
	u64 bo_size;

	if (!wl->p.count || wl->p.count > SPARSE_MAX_COUNT ||
	    check_mul_overflow(wl->p.count, wl->p.size, &bo_size) || bo_size > GVB_BO_MAX_SIZE)
		return -EINVAL;
	return 0;
}

static u64 sparse_vm(const struct gvb_wl_params *p)
{
	return 2 * p->count * p->size;
}

static int sparse_thread_setup(struct gvbd_wl *wl, struct gvbd_thread *t)
{
	u64 size = wl->p.size, i;
	int ret = 0;

	for (i = 0; i < wl->p.count && !ret; i++)
		ret = gvbd_map(t->vm, t->bo, 2 * i * size, size, i * size);
	return ret;
}

static int sparse_run(struct gvbd_wl *wl, struct gvbd_thread *t, u64 n)
{
	u64 size = wl->p.size;
	u32 count = wl->p.count;
	int ret = 0;

	while (n-- && !ret) {
		u64 hole = (u32)(gvb_wl_rand(&t->base) >> 32) % count;
		u64 va = (2 * hole + 1) * size;

		ret = gvbd_map(t->vm, t->bo, va, size, hole * size);
		if (!ret)
			ret = gvbd_unmap(t->vm, va, size);
	}
	return ret;
}

#define EVICT_WALK_MAX_BOS	4096

static void evict_walk_teardown(struct gvbd_wl *wl)
{
	u64 i;

	for (i = 0; wl->bos && i < wl->p.count; i++)
		gvbd_bo_put(wl->bos[i]);
	kfree(wl->bos);
	wl->bos = NULL;
}

static int evict_walk_setup(struct gvbd_wl *wl)
{
	u64 i;

	if (!wl->p.count || wl->p.count > EVICT_WALK_MAX_BOS)
		return -EINVAL;
	wl->bos = kcalloc(wl->p.count, sizeof(*wl->bos), GFP_KERNEL);
	if (!wl->bos)
		return -ENOMEM;
	for (i = 0; i < wl->p.count; i++) {
		wl->bos[i] = gvbd_bo_create(wl->p.size);
		if (!wl->bos[i])
			return -ENOMEM;
	}
	return 0;
}

static u64 evict_walk_vm(const struct gvb_wl_params *p)
{
	return 2 * p->count * p->size;
}

/* A resident mapping of every shared BO (slot j); scratch maps go to slot count + j. */
static int evict_walk_thread_setup(struct gvbd_wl *wl, struct gvbd_thread *t)
{
	u64 i;
	int ret = 0;

	t->base.iter = t->base.idx % (u32)wl->p.count;
	for (i = 0; t->vm && i < wl->p.count && !ret; i++)
		ret = gvbd_map(t->vm, wl->bos[i], i * wl->p.size, wl->p.size, 0);
	return ret;
}

static u64 evict_walk_next(struct gvbd_wl *wl, struct gvbd_thread *t)
{
	u64 j = t->base.iter;

	if (++t->base.iter == wl->p.count)
		t->base.iter = 0;
	return j;
}

/*
 * Evictor: drm_gpuvm_bo_gem_evict() under the BO resv and the strategy's
 * list lock. Mappers: map + unmap, then what the driver's next exec does
 * with the evict list: drm_gpuvm_exec_lock() (the VM resv and every
 * extobj's) and drm_gpuvm_validate(). The model only does validate's list
 * bookkeeping there: this engine locks count + 1 resvs more per op.
 */
static int evict_walk_run(struct gvbd_wl *wl, struct gvbd_thread *t, u64 n)
{
	u64 size = wl->p.size;
	int ret = 0;

	if (t->base.idx == 0) {
		while (n--)
			gvbd_bo_evict(wl->mode, wl->bos[evict_walk_next(wl, t)]);
		return 0;
	}
	while (n-- && !ret) {
		u64 j = evict_walk_next(wl, t);
		u64 va = (wl->p.count + j) * size;

		ret = gvbd_map(t->vm, wl->bos[j], va, size, 0);
		if (!ret)
			ret = gvbd_unmap(t->vm, va, size);
		if (!ret)
			ret = gvbd_vm_revalidate(t->vm);
	}
	return ret;
}

/*
 * fence-path through drm_gpuvm's op lists: the untimed prepare pass builds
 * and applies (tree, gpuva lists, vm_bo) n map + unmap pairs at VA 0 and
 * reserves their page-table pages; the timed run is the job: page-table
 * writes from the reserve, under the op lock, nothing allocated (see
 * struct gvbd_prep). Unlike the model's fence-path, whose commit runs the
 * walk and the list updates too, this times only what a job of an
 * ops-list driver (nouveau) does.
 */
static void fence_path_batch_finish(struct gvbd_wl *wl, struct gvbd_thread *t)
{
	u64 i;

	for (i = 0; i < t->nr_preps; i++)
		gvbd_prep_cleanup(t->vm, &t->preps[i]);
	kvfree(t->preps);
	t->preps = NULL;
	t->nr_preps = t->next_prep = 0;
}

static int fence_path_batch_prepare(struct gvbd_wl *wl, struct gvbd_thread *t, u64 n)
{
	u64 size = wl->p.size;
	int ret = 0;

	fence_path_batch_finish(wl, t);
	if (n > UINT_MAX)
		return -EINVAL;
	t->preps = kvcalloc(2 * n, sizeof(*t->preps), GFP_KERNEL);
	if (!t->preps)
		return -ENOMEM;
	while (t->nr_preps < 2 * n && !ret) {
		struct gvbd_prep *p = &t->preps[t->nr_preps];

		ret = t->nr_preps & 1 ? gvbd_prep_unmap(t->vm, 0, size, p) :
		      gvbd_prep_map(t->vm, t->bo, 0, size, 0, p);
		/* A failed prep may hold part of its work: cleanup frees what it has. */
		t->nr_preps++;
	}
	if (ret) {
		/* A map prepared (in part or whole) without its unmap left a VA in the tree. */
		gvbd_unmap(t->vm, 0, size);
		fence_path_batch_finish(wl, t);
	}
	return ret;
}

static int fence_path_run(struct gvbd_wl *wl, struct gvbd_thread *t, u64 n)
{
	int ret = 0;

	if (n > (t->nr_preps - t->next_prep) / 2)
		return -EINVAL;
	while (n-- && !ret) {
		ret = gvbd_prep_commit(t->vm, &t->preps[t->next_prep++]);
		if (!ret)
			ret = gvbd_prep_commit(t->vm, &t->preps[t->next_prep++]);
	}
	return ret;
}

static const struct gvbd_workload gvbd_workloads[] = {
	{ .name = "map-unmap", .vm_range = map_unmap_vm, .bo_size = gvbd_p_size,
	  .run = map_unmap_run },
	{ .name = "bind-many", .setup = bind_many_setup, .vm_range = gvbd_span,
	  .bo_size = gvbd_p_size, .run = bind_many_run },
	{ .name = "shared-bo", .setup = shared_bo_setup, .vm_range = gvbd_p_size,
	  .run = shared_bo_run },
	{ .name = "vm-bo-churn", .vm_range = gvbd_p_size, .run = vm_bo_churn_run },
	{ .name = "remap-split", .setup = remap_split_setup, .vm_range = gvbd_span,
	  .bo_size = remap_split_bo, .thread_setup = remap_split_thread_setup,
	  .run = remap_split_run },
	{ .name = "sparse", .setup = sparse_setup, .vm_range = sparse_vm, .bo_size = gvbd_span,
	  .thread_setup = sparse_thread_setup, .run = sparse_run },
	{ .name = "evict-walk", .setup = evict_walk_setup, .vm_range = evict_walk_vm,
	  .thread_setup = evict_walk_thread_setup, .run = evict_walk_run,
	  .teardown = evict_walk_teardown, .no_vm_thread0 = true },
	{ .name = "fence-path", .vm_range = gvbd_p_size, .bo_size = gvbd_p_size,
	  .batch_prepare = fence_path_batch_prepare, .run = fence_path_run,
	  .batch_finish = fence_path_batch_finish },
};

static const struct gvbd_workload *gvbd_workload_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(gvbd_workloads); i++)
		if (!strcmp(gvbd_workloads[i].name, name))
			return &gvbd_workloads[i];
	return NULL;
}

/* ------------------------------------------------------------ the engine */

static const char *gvbd_why_not(const struct gvb_workload *w, const struct gvb_strategy_ops *s)
{
	enum gvbd_mode mode;
	const char *why;

	if (gvbd_mode_of(s, &mode, &why))
		return why;
	if (!gvbd_workload_find(w->name))
		return "not ported to the drm_gpuvm engine (kmod/drm/gvbd_engine.c): model only";
	return NULL;
}

static void gvbd_thread_fini(struct gvbd_wl *wl, struct gvbd_thread *t)
{
	if (wl->w->batch_finish && t->vm)
		wl->w->batch_finish(wl, t);
	gvbd_vm_destroy(t->vm);
	gvbd_bo_put(t->bo);
	t->vm = NULL;
	t->bo = NULL;
}

static void gvbd_wl_destroy(void *priv)
{
	struct gvbd_wl *wl = priv;
	unsigned int i;

	for (i = 0; i < wl->p.threads; i++)
		gvbd_thread_fini(wl, &wl->threads[i]);
	if (wl->w->teardown)
		wl->w->teardown(wl);
	gvbd_bo_put(wl->shared_bo);
	kfree(wl->threads);
	kfree(wl);
}

static int gvbd_thread_init(struct gvbd_wl *wl, struct gvbd_thread *t)
{
	const struct gvbd_workload *w = wl->w;
	u64 bo_size = w->bo_size ? w->bo_size(&wl->p) : 0;
	int ret;

	if (w->no_vm_thread0 && t->base.idx == 0)
		return w->thread_setup ? w->thread_setup(wl, t) : 0;
	t->vm = gvbd_vm_create(wl->mode, wl->p.fmt, w->vm_range(&wl->p), wl->p.flush_ns,
			       wl->p.defer_async);
	if (!t->vm)
		return -ENOMEM;
	t->vm->bind_sync = wl->p.bind_sync;
	t->vm->pt.reclaim = wl->p.pt_reclaim;
	if (bo_size) {
		t->bo = wl->p.bo_external ? gvbd_bo_create(bo_size) :
			gvbd_bo_create_private(t->vm, bo_size);
		if (!t->bo)
			return -ENOMEM;
	}
	ret = w->thread_setup ? w->thread_setup(wl, t) : 0;
	/* The setup's own binds leave no deferred work behind for the first sample. */
	gvbd_vm_drain(t->vm);
	return ret;
}

static int gvbd_wl_create(const struct gvb_workload *gw, const struct gvb_strategy_ops *s,
			  const struct gvb_wl_params *p, void **out)
{
	struct gvbd_wl *wl;
	const char *why;
	unsigned int i;
	int ret;

	wl = kzalloc(sizeof(*wl), GFP_KERNEL);
	if (!wl)
		return -ENOMEM;
	wl->w = gvbd_workload_find(gw->name);
	wl->p = *p;
	if (!wl->w || gvbd_mode_of(s, &wl->mode, &why)) {
		kfree(wl);
		return -EOPNOTSUPP;
	}
	wl->threads = kcalloc(p->threads, sizeof(*wl->threads), GFP_KERNEL);
	if (!wl->threads) {
		kfree(wl);
		return -ENOMEM;
	}
	for (i = 0; i < p->threads; i++) {
		wl->threads[i].base.idx = i;
		/* The model's seeding, so both engines draw the same sequences. */
		wl->threads[i].base.rng = p->seed * 0x100000001b3ULL + i;
	}
	ret = wl->w->setup ? wl->w->setup(wl) : 0;
	for (i = 0; i < p->threads && !ret; i++)
		ret = gvbd_thread_init(wl, &wl->threads[i]);
	if (ret) {
		gvbd_wl_destroy(wl);
		return ret;
	}
	*out = wl;
	return 0;
}

static int gvbd_wl_batch_prepare(void *priv, unsigned int thread, u64 n)
{
	struct gvbd_wl *wl = priv;

	return wl->w->batch_prepare ? wl->w->batch_prepare(wl, &wl->threads[thread], n) : 0;
}

static void gvbd_wl_batch_finish(void *priv, unsigned int thread)
{
	struct gvbd_wl *wl = priv;

	if (wl->w->batch_finish)
		wl->w->batch_finish(wl, &wl->threads[thread]);
}

static int gvbd_wl_run(void *priv, unsigned int thread, u64 n)
{
	struct gvbd_wl *wl = priv;

	return wl->w->run(wl, &wl->threads[thread], n);
}

static void gvbd_wl_drain(void *priv, unsigned int thread)
{
	struct gvbd_wl *wl = priv;

	if (wl->threads[thread].vm)
		gvbd_vm_drain(wl->threads[thread].vm);
}

static int gvbd_wl_stats(void *priv, unsigned int thread, struct gvbench_stats *a)
{
	struct gvbd_wl *wl = priv;
	struct gvbd_vm *vm = wl->threads[thread].vm;

	if (!vm)
		return -ENOENT;
	gvb_stats_fill(a, &vm->stats.vm, &vm->pt.stats);
	a->vas = vm->stats.vas;
	return 0;
}

static const struct gvb_engine gvbd_engine = {
	.name = "drm_gpuvm",
	.desc = "the kernel's drm_gpuvm.ko (gvbench_drm.ko), strategies as upstream calls",
	.owner = THIS_MODULE,
	.why_not = gvbd_why_not,
	.wl_create = gvbd_wl_create,
	.wl_destroy = gvbd_wl_destroy,
	.batch_prepare = gvbd_wl_batch_prepare,
	.run = gvbd_wl_run,
	.batch_finish = gvbd_wl_batch_finish,
	.drain = gvbd_wl_drain,
	.stats = gvbd_wl_stats,
};

int gvbd_engine_init(void)
{
	return gvb_engine_register(&gvbd_engine);
}

void gvbd_engine_exit(void)
{
	gvb_engine_unregister(&gvbd_engine);
}
