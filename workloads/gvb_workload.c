// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Workload lifecycle and the helpers workload files share.
 */
#include "gvb_workload.h"

const struct gvb_workload *gvb_workload_find(const char *name)
{
	const struct gvb_workload *const *w;

	for (w = gvb_workloads; *w; w++)
		if (!strcmp((*w)->name, name))
			return *w;
	return NULL;
}

int gvb_wl_check_params(const struct gvb_wl_params *p, const char **why)
{
	if (!p->threads || p->threads > GVB_WL_MAX_THREADS)
		*why = "threads must be 1..64";
	else if (!p->size || !IS_ALIGNED(p->size, GVB_PAGE) || p->size > GVB_WL_MAX_SIZE)
		*why = "size must be a multiple of 4 KiB, at most 1 GiB";
	else if (p->count > GVB_WL_MAX_COUNT)
		*why = "count must be at most 2097152";
	else if (p->flush_ns > GVB_WL_MAX_FLUSH_NS)
		*why = "flush cost must be at most 1000000 ns";
	else
		return 0;
	return -EINVAL;
}

void gvb_wl_params_resolve(struct gvb_wl_params *out, const struct gvb_workload *w,
			   const struct gvb_wl_params *p)
{
	*out = w->defaults;
	if (p) {
		if (p->threads)
			out->threads = p->threads;
		if (p->size)
			out->size = p->size;
		if (p->count)
			out->count = p->count;
		if (p->flush_ns)
			out->flush_ns = p->flush_ns;
		if (p->seed)
			out->seed = p->seed;
		if (p->fmt)
			out->fmt = p->fmt;
		out->defer_async = p->defer_async;
		out->bo_external = p->bo_external;
		out->pt_reclaim = p->pt_reclaim;
		out->bind_sync = p->bind_sync;
	}
	if (!out->threads)
		out->threads = 1;
	if (!out->seed)
		out->seed = 1;
	if (!out->fmt)
		out->fmt = gvb_pt_formats[0];
}

int gvb_wl_init(struct gvb_wl *wl, const struct gvb_workload *w,
		const struct gvb_strategy_ops *ops, const struct gvb_wl_params *p)
{
	const char *why;
	unsigned int i;
	int ret;

	memset(wl, 0, sizeof(*wl));
	wl->w = w;
	wl->ops = ops;
	gvb_wl_params_resolve(&wl->p, w, p);
	wl->fmt = wl->p.fmt;
	ret = gvb_wl_check_params(&wl->p, &why);
	if (ret)
		return ret;

	wl->threads = kcalloc(wl->p.threads, sizeof(*wl->threads), GFP_KERNEL);
	if (!wl->threads)
		return -ENOMEM;
	for (i = 0; i < wl->p.threads; i++) {
		wl->threads[i].wl = wl;
		wl->threads[i].idx = i;
		wl->threads[i].rng = wl->p.seed * 0x100000001b3ULL + i;
	}
	ret = w->setup ? w->setup(wl) : 0;
	if (ret)
		goto free;
	for (i = 0; i < wl->p.threads; i++) {
		ret = w->thread_setup ? w->thread_setup(&wl->threads[i]) : 0;
		if (ret)
			goto undo;
	}
	return 0;

undo:
	while (i--)
		if (w->thread_teardown)
			w->thread_teardown(&wl->threads[i]);
	if (w->teardown)
		w->teardown(wl);
free:
	kfree(wl->threads);
	wl->threads = NULL;
	return ret;
}

void gvb_wl_fini(struct gvb_wl *wl)
{
	unsigned int i;

	if (!wl->threads)
		return;
	for (i = 0; i < wl->p.threads; i++)
		if (wl->w->thread_teardown)
			wl->w->thread_teardown(&wl->threads[i]);
	if (wl->w->teardown)
		wl->w->teardown(wl);
	kfree(wl->threads);
	wl->threads = NULL;
}

void gvb_wl_drain(struct gvb_wl_thread *t)
{
	if (t->vm)
		gvb_vm_drain_deferred(t->vm);
}

int gvb_wl_run_batch(struct gvb_wl_thread *t, struct gvb_wl_batch *b)
{
	const struct gvb_workload *w = t->wl->w;
	int prep, ret;
	u64 t1, t2;

	prep = w->batch_prepare ? w->batch_prepare(t, b->n) : 0;
	if (b->begin)
		b->begin(b);
	b->start_ns = ktime_get_ns();
	ret = prep ? prep : b->run ? b->run(t, b) : gvb_wl_run(t, b->n);
	t1 = ktime_get_ns();
	/* One clock span over ops and drain: deferring work cannot hide its cost. */
	gvb_wl_drain(t);
	t2 = ktime_get_ns();
	if (b->end)
		b->end(b);
	b->run_ns = t1 - b->start_ns;
	b->drain_ns = t2 - t1;
	if (!prep && w->batch_finish)
		w->batch_finish(t);
	return ret;
}

struct gvb_vm *gvb_wl_vm_create(struct gvb_wl *wl, u64 va_range)
{
	struct gvb_vm *vm = gvb_vm_create(wl->ops, wl->fmt, 0, va_range, wl->p.flush_ns);

	if (vm) {
		vm->defer_async = wl->p.defer_async;
		vm->bind_sync = wl->p.bind_sync;
		vm->pt.reclaim = wl->p.pt_reclaim;
	}
	return vm;
}

int gvb_wl_own_vm_and_bo(struct gvb_wl_thread *t, u64 va_range, u64 bo_size)
{
	t->vm = gvb_wl_vm_create(t->wl, va_range);
	if (!t->vm)
		return -ENOMEM;
	if (!bo_size)
		return 0;
	t->bo = gvb_bo_create(t->wl->ops, bo_size, t->wl->p.bo_external ? NULL : t->vm);
	if (!t->bo) {
		gvb_vm_destroy(t->vm);
		t->vm = NULL;
		return -ENOMEM;
	}
	return 0;
}

void gvb_wl_put_vm_and_bo(struct gvb_wl_thread *t)
{
	if (t->vm)
		gvb_vm_destroy(t->vm);
	if (t->bo)
		gvb_bo_put(t->bo);
	t->vm = NULL;
	t->bo = NULL;
}

/* The batch protocol of a timed sample; its clock readings are simply not used. */
static int gvb_wl_count_batch(struct gvb_wl_thread *t, u64 n)
{
	struct gvb_wl_batch b = { .n = n };

	return gvb_wl_run_batch(t, &b);
}

int gvb_wl_count_pass(struct gvb_wl *wl, unsigned int thread, u64 n, struct gvb_lock_counts *out)
{
	struct gvb_wl_thread *t;
	int ret;

	memset(out, 0, sizeof(*out));
	if (!wl->threads || thread >= wl->p.threads || !n)
		return -EINVAL;
	t = &wl->threads[thread];
	ret = gvb_wl_count_batch(t, n);
	if (ret)
		return ret;
	gvb_count_begin(out);
	ret = gvb_wl_count_batch(t, n);
	gvb_count_end();
	out->ops = n;
	return ret;
}
