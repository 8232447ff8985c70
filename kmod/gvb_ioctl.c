// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The ioctls of /dev/gvbench (include/uapi/gvbench.h) and the per-file
 * objects behind their handles.
 *
 * Lifetimes. A handle owns one reference on its object, and every ioctl
 * that looks a handle up takes a reference of its own for its duration,
 * under the xarray lock, so that a concurrent destroy (which erases the
 * handle first and drops the handle's reference second) can never free
 * the object under it:
 * - a VM is wrapped in struct gvb_kvm, whose last reference tears the VM
 *   down (gvb_vm_destroy()); destroying a VM in the middle of a MAP thus
 *   waits for that MAP to finish instead of racing with it. The core's own
 *   VM refcount, held by vm_bos and private BOs, keeps the memory alive
 *   after that;
 * - a BO is refcounted by the core already: the handle holds the creator's
 *   reference, and each vm_bo mapping it holds another;
 * - a workload instance is wrapped in struct gvb_kwl, whose last reference
 *   runs gvb_wl_fini() (or, on another engine, the engine's wl_destroy and
 *   drops the engine module reference the instance holds); each of its
 *   threads can be in one WL_RUN at a time.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/uaccess.h>

#include "gvb_engine.h"
#include "gvb_kmod.h"
#include "gvb_torture.h"

struct gvb_kvm {
	struct kref ref;
	struct gvb_vm *vm;
};

struct gvb_kwl {
	struct kref ref;
	unsigned long *busy;	/* one bit per thread inside WL_RUN or STATS */
	/* NULL: the model, in @wl; else the engine and its instance @ewl. */
	const struct gvb_engine *engine;
	void *ewl;
	struct gvb_wl wl;	/* the model's, or only wl.w and wl.p on another engine */
};

/* Handles fit in a u32 and 0 is never one. */
#define GVB_HANDLE_LIMIT	XA_LIMIT(1, INT_MAX)

/* ------------------------------------------------------------ registries */

static unsigned int gvb_table_len(const void *const *table)
{
	unsigned int n = 0;

	while (table[n])
		n++;
	return n;
}

#define gvb_n_strategies()	gvb_table_len((const void *const *)gvb_strategies)
#define gvb_n_workloads()	gvb_table_len((const void *const *)gvb_workloads)
#define gvb_n_formats()		gvb_table_len((const void *const *)gvb_pt_formats)

/* 0 if @name is NUL-terminated inside its array of @len bytes. */
static int gvb_check_name(const char *name, size_t len)
{
	return strnlen(name, len) < len ? 0 : -EINVAL;
}

/* 0 if the @len bytes at @p are all zero. */
static int gvb_check_zero(const void *p, size_t len)
{
	return memchr_inv(p, 0, len) ? -EINVAL : 0;
}

static int gvb_pick_strategy(u32 index, const char *name, bool by_name,
			     const struct gvb_strategy_ops **out)
{
	const struct gvb_strategy_ops *ops;

	if (by_name) {
		ops = gvb_strategy_find(name);
	} else {
		if (index >= gvb_n_strategies())
			return -EINVAL;
		ops = gvb_strategies[index];
	}
	if (!ops)
		return -EINVAL;
	/* It frees a BO while its lock is held: only for a kernel that may crash. */
	if ((ops->flags & GVB_STRATEGY_BROKEN) && !READ_ONCE(gvb_allow_broken))
		return -EPERM;
	*out = ops;
	return 0;
}

/* -------------------------------------------------------------- objects */

/*
 * A new handle for @obj in @xa. The xarray allocates inside, past the
 * seam's wrappers, so this is an injection site of its own.
 */
static int gvb_handle_alloc(struct xarray *xa, u32 *handle, void *obj, u32 *next)
{
	int ret;

	if (gvb_fault_fail(GVB_FAULT_SITE))
		return -ENOMEM;
	ret = xa_alloc_cyclic(xa, handle, obj, GVB_HANDLE_LIMIT, next, GFP_KERNEL);
	if (ret < 0)
		return ret == -EBUSY ? -ENOSPC : ret;
	return 0;
}

static void gvb_kvm_release(struct kref *ref)
{
	struct gvb_kvm *kvm = container_of(ref, struct gvb_kvm, ref);
	struct task_struct *held = gvb_fault_hold();

	gvb_vm_destroy(kvm->vm);
	kfree(kvm);
	gvb_fault_unhold(held);
}

static void gvb_kwl_release(struct kref *ref)
{
	struct gvb_kwl *kwl = container_of(ref, struct gvb_kwl, ref);
	struct task_struct *held = gvb_fault_hold();

	if (kwl->engine) {
		if (kwl->ewl)
			kwl->engine->wl_destroy(kwl->ewl);
		gvb_engine_put(kwl->engine);
	} else {
		gvb_wl_fini(&kwl->wl);
	}
	bitmap_free(kwl->busy);
	kfree(kwl);
	gvb_fault_unhold(held);
}

static struct gvb_kvm *gvb_kvm_lookup(struct gvb_file *f, u32 handle)
{
	struct gvb_kvm *kvm;

	xa_lock(&f->vms);
	kvm = xa_load(&f->vms, handle);
	if (kvm)
		kref_get(&kvm->ref);
	xa_unlock(&f->vms);
	return kvm;
}

static void gvb_kvm_put(struct gvb_kvm *kvm)
{
	kref_put(&kvm->ref, gvb_kvm_release);
}

static struct gvb_bo *gvb_kbo_lookup(struct gvb_file *f, u32 handle)
{
	struct gvb_bo *bo;

	xa_lock(&f->bos);
	bo = xa_load(&f->bos, handle);
	if (bo)
		gvb_bo_get(bo);
	xa_unlock(&f->bos);
	return bo;
}

static struct gvb_kwl *gvb_kwl_lookup(struct gvb_file *f, u32 handle)
{
	struct gvb_kwl *kwl;

	xa_lock(&f->wls);
	kwl = xa_load(&f->wls, handle);
	if (kwl)
		kref_get(&kwl->ref);
	xa_unlock(&f->wls);
	return kwl;
}

static void gvb_kwl_put(struct gvb_kwl *kwl)
{
	kref_put(&kwl->ref, gvb_kwl_release);
}

int gvb_file_open(struct gvb_file *f)
{
	xa_init_flags(&f->vms, XA_FLAGS_ALLOC1);
	xa_init_flags(&f->bos, XA_FLAGS_ALLOC1);
	xa_init_flags(&f->wls, XA_FLAGS_ALLOC1);
	return 0;
}

void gvb_file_close(struct gvb_file *f)
{
	struct gvb_kwl *kwl;
	struct gvb_kvm *kvm;
	struct gvb_bo *bo;
	unsigned long i;

	/*
	 * No ioctl can be running: the file is gone. Workloads own their VMs
	 * and BOs; user VMs are torn down before the BO handles are dropped
	 * only so that most BOs die at their last put here, not in between.
	 */
	xa_for_each(&f->wls, i, kwl)
		gvb_kwl_put(kwl);
	xa_destroy(&f->wls);
	xa_for_each(&f->vms, i, kvm)
		gvb_kvm_put(kvm);
	xa_destroy(&f->vms);
	xa_for_each(&f->bos, i, bo)
		gvb_bo_put(bo);
	xa_destroy(&f->bos);
}

/* --------------------------------------------------------------- ioctls */

static int gvb_ioc_version(struct gvb_file *f, void *data)
{
	struct gvbench_version *a = data;

	if (a->flags || a->pad)
		return -EINVAL;
	a->major = GVBENCH_ABI_MAJOR;
	a->minor = GVBENCH_ABI_MINOR;
	a->n_strategies = gvb_n_strategies();
	a->n_workloads = gvb_n_workloads();
	a->n_formats = gvb_n_formats();
	a->max_run_ops = GVBENCH_RUN_MAX_OPS;
	return 0;
}

static void gvb_list_clear(struct gvbench_list *a)
{
	u32 argsz = a->argsz, index = a->index;

	memset(a, 0, sizeof(*a));
	a->argsz = argsz;
	a->index = index;
}

static int gvb_ioc_list_strategies(struct gvb_file *f, void *data)
{
	struct gvbench_list *a = data;
	const struct gvb_strategy_ops *s;

	if (a->flags)
		return -EINVAL;
	if (a->index >= gvb_n_strategies())
		return -ENOENT;
	s = gvb_strategies[a->index];
	gvb_list_clear(a);
	a->obj_flags = s->flags;
	strscpy(a->name, s->name, sizeof(a->name));
	strscpy(a->desc, s->desc, sizeof(a->desc));
	return 0;
}

static int gvb_ioc_list_workloads(struct gvb_file *f, void *data)
{
	struct gvbench_list *a = data;
	const struct gvb_workload *w;

	if (a->flags)
		return -EINVAL;
	if (a->index >= gvb_n_workloads())
		return -ENOENT;
	w = gvb_workloads[a->index];
	gvb_list_clear(a);
	a->obj_flags = w->flags;
	strscpy(a->name, w->name, sizeof(a->name));
	strscpy(a->desc, w->desc, sizeof(a->desc));
	strscpy(a->op_desc, w->op_desc ? w->op_desc : "", sizeof(a->op_desc));
	a->def_size = w->defaults.size;
	a->def_count = w->defaults.count;
	a->def_flush_ns = w->defaults.flush_ns;
	a->def_threads = w->defaults.threads;
	return 0;
}

static int gvb_ioc_list_formats(struct gvb_file *f, void *data)
{
	struct gvbench_list *a = data;
	const struct gvb_pt_format *fmt;

	if (a->flags)
		return -EINVAL;
	if (a->index >= gvb_n_formats())
		return -ENOENT;
	fmt = gvb_pt_formats[a->index];
	gvb_list_clear(a);
	strscpy(a->name, fmt->name, sizeof(a->name));
	strscpy(a->desc, fmt->desc, sizeof(a->desc));
	a->va_bits = fmt->va_bits;
	return 0;
}

static int gvb_ioc_vm_create(struct gvb_file *f, void *data)
{
	struct gvbench_vm_create *a = data;
	bool by_name = a->flags & GVBENCH_BY_NAME;
	const struct gvb_strategy_ops *ops;
	const struct gvb_pt_format *fmt;
	struct gvb_kvm *kvm;
	u64 va_end;
	u32 handle;
	int ret;

	if ((a->flags & ~(GVBENCH_BY_NAME | GVBENCH_DEFER_ASYNC | GVBENCH_PT_RECLAIM |
			  GVBENCH_BIND_SYNC)) || a->pad)
		return -EINVAL;
	if (by_name) {
		if (a->strategy || a->format ||
		    gvb_check_name(a->strategy_name, sizeof(a->strategy_name)) ||
		    gvb_check_name(a->format_name, sizeof(a->format_name)))
			return -EINVAL;
		fmt = a->format_name[0] ? gvb_pt_format_find(a->format_name) : gvb_pt_formats[0];
	} else {
		if (gvb_check_zero(a->strategy_name, sizeof(a->strategy_name)) ||
		    gvb_check_zero(a->format_name, sizeof(a->format_name)))
			return -EINVAL;
		fmt = a->format < gvb_n_formats() ? gvb_pt_formats[a->format] : NULL;
	}
	if (!fmt)
		return -EINVAL;
	ret = gvb_pick_strategy(a->strategy, a->strategy_name, by_name, &ops);
	if (ret)
		return ret;
	/* gvb_vm_create() checks the same, but cannot say -EINVAL from -ENOMEM. */
	if (!a->va_range || !IS_ALIGNED(a->va_start | a->va_range, GVB_PAGE) ||
	    check_add_overflow(a->va_start, a->va_range, &va_end) ||
	    (fmt->va_bits < 64 && va_end > BIT_ULL(fmt->va_bits)) ||
	    a->flush_ns > GVB_WL_MAX_FLUSH_NS)
		return -EINVAL;

	kvm = kzalloc(sizeof(*kvm), GFP_KERNEL);
	if (!kvm)
		return -ENOMEM;
	kref_init(&kvm->ref);
	kvm->vm = gvb_vm_create(ops, fmt, a->va_start, a->va_range, a->flush_ns);
	if (!kvm->vm) {
		kfree(kvm);
		return -ENOMEM;
	}
	kvm->vm->defer_async = a->flags & GVBENCH_DEFER_ASYNC;
	kvm->vm->bind_sync = a->flags & GVBENCH_BIND_SYNC;
	kvm->vm->pt.reclaim = a->flags & GVBENCH_PT_RECLAIM;
	ret = gvb_handle_alloc(&f->vms, &handle, kvm, &f->next_vm);
	if (ret) {
		gvb_kvm_put(kvm);
		return ret;
	}
	a->handle = handle;
	return 0;
}

static int gvb_ioc_vm_destroy(struct gvb_file *f, void *data)
{
	struct gvbench_destroy *a = data;
	struct gvb_kvm *kvm;

	if (a->flags || a->pad)
		return -EINVAL;
	kvm = xa_erase(&f->vms, a->handle);
	if (!kvm)
		return -ENOENT;
	gvb_kvm_put(kvm);
	return 0;
}

static void gvb_undo_vm_create(struct gvb_file *f, void *data)
{
	struct gvbench_vm_create *a = data;
	struct gvbench_destroy d = { .handle = a->handle };

	gvb_ioc_vm_destroy(f, &d);
}

static int gvb_ioc_bo_create(struct gvb_file *f, void *data)
{
	struct gvbench_bo_create *a = data;
	const struct gvb_strategy_ops *ops;
	struct gvb_kvm *kvm = NULL;
	struct gvb_bo *bo;
	u32 handle;
	int ret;

	if ((a->flags & ~GVBENCH_BO_PRIVATE) || a->pad)
		return -EINVAL;
	if (!(a->flags & GVBENCH_BO_PRIVATE) && a->vm)
		return -EINVAL;
	if (!a->bo_size || !IS_ALIGNED(a->bo_size, GVB_PAGE) || a->bo_size > GVB_BO_MAX_SIZE)
		return -EINVAL;
	ret = gvb_pick_strategy(a->strategy, NULL, false, &ops);
	if (ret)
		return ret;
	if (a->flags & GVBENCH_BO_PRIVATE) {
		kvm = gvb_kvm_lookup(f, a->vm);
		if (!kvm)
			return -ENOENT;
		if (kvm->vm->ops != ops) {
			gvb_kvm_put(kvm);
			return -EINVAL;
		}
	}
	bo = gvb_bo_create(ops, a->bo_size, kvm ? kvm->vm : NULL);
	if (kvm)
		gvb_kvm_put(kvm);
	if (!bo)
		return -ENOMEM;
	ret = gvb_handle_alloc(&f->bos, &handle, bo, &f->next_bo);
	if (ret) {
		gvb_bo_put(bo);
		return ret;
	}
	a->handle = handle;
	return 0;
}

static int gvb_ioc_bo_destroy(struct gvb_file *f, void *data)
{
	struct gvbench_destroy *a = data;
	struct gvb_bo *bo;

	if (a->flags || a->pad)
		return -EINVAL;
	bo = xa_erase(&f->bos, a->handle);
	if (!bo)
		return -ENOENT;
	gvb_bo_put(bo);
	return 0;
}

static void gvb_undo_bo_create(struct gvb_file *f, void *data)
{
	struct gvbench_bo_create *a = data;
	struct gvbench_destroy d = { .handle = a->handle };

	gvb_ioc_bo_destroy(f, &d);
}

static int gvb_ioc_map(struct gvb_file *f, void *data)
{
	struct gvbench_map *a = data;
	struct gvb_kvm *kvm;
	struct gvb_bo *bo;
	int ret;

	if (a->flags || a->pad ||
	    (a->prot & ~(GVBENCH_PROT_READ | GVBENCH_PROT_WRITE | GVBENCH_PROT_EXEC)))
		return -EINVAL;
	kvm = gvb_kvm_lookup(f, a->vm);
	if (!kvm)
		return -ENOENT;
	bo = gvb_kbo_lookup(f, a->bo);
	if (!bo) {
		gvb_kvm_put(kvm);
		return -ENOENT;
	}
	/* Ranges, offsets and strategy agreement are checked by the core (-EINVAL). */
	ret = gvb_vm_map(kvm->vm, bo, a->addr, a->range, a->offset, a->prot);
	/* Our reference last: the map may have been the only other one. */
	gvb_bo_put(bo);
	gvb_kvm_put(kvm);
	return ret;
}

static int gvb_ioc_unmap(struct gvb_file *f, void *data)
{
	struct gvbench_unmap *a = data;
	struct gvb_kvm *kvm;
	int ret;

	if (a->flags || a->pad)
		return -EINVAL;
	kvm = gvb_kvm_lookup(f, a->vm);
	if (!kvm)
		return -ENOENT;
	ret = gvb_vm_unmap(kvm->vm, a->addr, a->range);
	gvb_kvm_put(kvm);
	return ret;
}

/* The instance on another engine: the same parameters as the model's, resolved here. */
static int gvb_kwl_engine_init(struct gvb_kwl *kwl, const struct gvb_workload *w,
			       const struct gvb_strategy_ops *ops, const struct gvb_wl_params *p)
{
	const char *why;
	int ret;

	if (kwl->engine->why_not(w, ops))
		return -EOPNOTSUPP;
	gvb_wl_params_resolve(&kwl->wl.p, w, p);
	ret = gvb_wl_check_params(&kwl->wl.p, &why);
	if (ret)
		return ret;
	kwl->wl.w = w;
	kwl->wl.ops = ops;
	return kwl->engine->wl_create(w, ops, &kwl->wl.p, &kwl->ewl);
}

static int gvb_ioc_wl_create(struct gvb_file *f, void *data)
{
	struct gvbench_wl_create *a = data;
	bool by_name = a->flags & GVBENCH_BY_NAME;
	const struct gvb_strategy_ops *ops;
	const struct gvb_workload *w;
	struct gvb_wl_params p;
	struct gvb_kwl *kwl;
	u32 handle;
	int ret;

	if ((a->flags & ~(GVBENCH_BY_NAME | GVBENCH_DEFER_ASYNC | GVBENCH_BO_EXTERNAL |
			  GVBENCH_PT_RECLAIM | GVBENCH_BIND_SYNC)) ||
	    a->format >= gvb_n_formats())
		return -EINVAL;
	if (by_name) {
		if (a->workload || a->strategy || a->engine ||
		    gvb_check_name(a->workload_name, sizeof(a->workload_name)) ||
		    gvb_check_name(a->strategy_name, sizeof(a->strategy_name)) ||
		    gvb_check_name(a->engine_name, sizeof(a->engine_name)))
			return -EINVAL;
		w = gvb_workload_find(a->workload_name);
	} else {
		if (gvb_check_zero(a->workload_name, sizeof(a->workload_name)) ||
		    gvb_check_zero(a->strategy_name, sizeof(a->strategy_name)) ||
		    gvb_check_zero(a->engine_name, sizeof(a->engine_name)))
			return -EINVAL;
		w = a->workload < gvb_n_workloads() ? gvb_workloads[a->workload] : NULL;
	}
	if (!w)
		return -EINVAL;
	ret = gvb_pick_strategy(a->strategy, a->strategy_name, by_name, &ops);
	if (ret)
		return ret;

	p = (struct gvb_wl_params) {
		.threads = a->threads,
		.size = a->size,
		.count = a->count,
		.flush_ns = a->flush_ns,
		.seed = a->seed,
		.defer_async = a->flags & GVBENCH_DEFER_ASYNC,
		.bo_external = a->flags & GVBENCH_BO_EXTERNAL,
		.pt_reclaim = a->flags & GVBENCH_PT_RECLAIM,
		.bind_sync = a->flags & GVBENCH_BIND_SYNC,
		.fmt = gvb_pt_formats[a->format],
	};
	kwl = kzalloc(sizeof(*kwl), GFP_KERNEL);
	if (!kwl)
		return -ENOMEM;
	kref_init(&kwl->ref);
	ret = gvb_engine_get(a->engine, by_name ? a->engine_name : NULL, &kwl->engine);
	if (ret) {
		kfree(kwl);
		return ret;
	}
	if (kwl->engine)
		ret = gvb_kwl_engine_init(kwl, w, ops, &p);
	else	/* Fills in the defaults, runs gvb_wl_check_params(), then the setups. */
		ret = gvb_wl_init(&kwl->wl, w, ops, &p);
	if (ret) {
		gvb_engine_put(kwl->engine);
		kfree(kwl);
		return ret;
	}
	kwl->busy = gvb_fault_fail(GVB_FAULT_SITE) ? NULL :
		    bitmap_zalloc(kwl->wl.p.threads, GFP_KERNEL);
	if (!kwl->busy) {
		gvb_kwl_put(kwl);
		return -ENOMEM;
	}
	ret = gvb_handle_alloc(&f->wls, &handle, kwl, &f->next_wl);
	if (ret) {
		gvb_kwl_put(kwl);
		return ret;
	}
	a->threads = kwl->wl.p.threads;
	a->size = kwl->wl.p.size;
	a->count = kwl->wl.p.count;
	a->flush_ns = kwl->wl.p.flush_ns;
	a->seed = kwl->wl.p.seed;
	a->handle = handle;
	return 0;
}

static int gvb_ioc_wl_destroy(struct gvb_file *f, void *data)
{
	struct gvbench_destroy *a = data;
	struct gvb_kwl *kwl;

	if (a->flags || a->pad)
		return -EINVAL;
	kwl = xa_erase(&f->wls, a->handle);
	if (!kwl)
		return -ENOENT;
	gvb_kwl_put(kwl);
	return 0;
}

static void gvb_undo_wl_create(struct gvb_file *f, void *data)
{
	struct gvbench_wl_create *a = data;
	struct gvbench_destroy d = { .handle = a->handle };

	gvb_ioc_wl_destroy(f, &d);
}

/*
 * Claims thread @idx of @kwl for the caller: a workload thread's state
 * (its PRNG, its iteration count, its VM) is not meant for two tasks at once.
 */
static int gvb_kwl_claim(struct gvb_kwl *kwl, u32 idx)
{
	if (idx >= kwl->wl.p.threads)
		return -EINVAL;
	if (test_and_set_bit_lock(idx, kwl->busy))
		return -EBUSY;
	return 0;
}

static void gvb_kwl_release_thread(struct gvb_kwl *kwl, u32 idx)
{
	clear_bit_unlock(idx, kwl->busy);
}

/* Workload @handle, referenced, with its thread @idx claimed: 0 or an error. */
static int gvb_kwl_lookup_claim(struct gvb_file *f, u32 handle, u32 idx, struct gvb_kwl **kwlp)
{
	struct gvb_kwl *kwl = gvb_kwl_lookup(f, handle);
	int ret;

	if (!kwl)
		return -ENOENT;
	ret = gvb_kwl_claim(kwl, idx);
	if (ret) {
		gvb_kwl_put(kwl);
		return ret;
	}
	*kwlp = kwl;
	return 0;
}

/* WL_RUN on another engine: the same hooks, timed as gvb_wl_run_batch() does. */
static int gvb_kwl_engine_run(struct gvb_kwl *kwl, u32 thread, struct gvb_wl_batch *b)
{
	const struct gvb_engine *e = kwl->engine;
	u64 t0, t1, t2;
	int ret;

	ret = e->batch_prepare ? e->batch_prepare(kwl->ewl, thread, b->n) : 0;
	if (ret)
		return ret;
	t0 = ktime_get_ns();
	ret = e->run(kwl->ewl, thread, b->n);
	t1 = ktime_get_ns();
	if (e->drain)
		e->drain(kwl->ewl, thread);
	t2 = ktime_get_ns();
	if (e->batch_finish)
		e->batch_finish(kwl->ewl, thread);
	b->start_ns = t0;
	b->run_ns = t1 - t0;
	b->drain_ns = t2 - t1;
	return ret;
}

static int gvb_ioc_wl_run(struct gvb_file *f, void *data)
{
	struct gvbench_wl_run *a = data;
	struct gvb_wl_batch b = { 0 };
	struct gvb_kwl *kwl;
	u64 total;
	int ret;

	if (a->flags)
		return -EINVAL;
	if (check_add_overflow(a->n, a->extra, &total) || total > GVBENCH_RUN_MAX_OPS)
		return -EINVAL;
	ret = gvb_kwl_lookup_claim(f, a->handle, a->thread, &kwl);
	if (ret)
		return ret;
	b.n = total;
	if (kwl->engine)
		ret = gvb_kwl_engine_run(kwl, a->thread, &b);
	else
		ret = gvb_wl_run_batch(&kwl->wl.threads[a->thread], &b);
	if (!ret) {
		a->ops = a->n;
		a->run_ns = b.run_ns;
		a->drain_ns = b.drain_ns;
		a->elapsed_ns = b.run_ns + b.drain_ns;
	}
	gvb_kwl_release_thread(kwl, a->thread);
	gvb_kwl_put(kwl);
	return ret;
}

static int gvb_ioc_wl_count(struct gvb_file *f, void *data)
{
	struct gvbench_wl_count *a = data;
	struct gvb_lock_counts c;
	struct gvb_kwl *kwl;
	unsigned int i;
	int ret;

	if (a->flags || !a->n || a->n > GVBENCH_RUN_MAX_OPS / 2)
		return -EINVAL;
	ret = gvb_kwl_lookup_claim(f, a->handle, a->thread, &kwl);
	if (ret)
		return ret;
	/* Locks are counted in the model's seam: other engines have no counters. */
	ret = kwl->engine ? -EOPNOTSUPP : gvb_wl_count_pass(&kwl->wl, a->thread, a->n, &c);
	gvb_kwl_release_thread(kwl, a->thread);
	if (ret)
		goto put;
	a->ops = c.ops;
	memset(a->acquisitions, 0, sizeof(a->acquisitions));
	for (i = 0; i < GVB_LOCK_CLASSES; i++)
		a->acquisitions[i] = c.acquisitions[i];
	a->pt_pages_allocated = c.pt_pages_allocated;
	a->pt_pages_freed = c.pt_pages_freed;
	a->pt_pages_prealloc = c.pt_pages_prealloc;
put:
	gvb_kwl_put(kwl);
	return ret;
}

static void gvb_stats_fill_vm(struct gvbench_stats *a, struct gvb_vm *vm)
{
	struct gvb_vm_stats stats;

	gvb_vm_serialize(vm);
	gvb_vm_lists_lock(vm);
	stats = vm->stats;
	gvb_vm_lists_unlock(vm);
	gvb_stats_fill(a, &stats, &vm->pt.stats);
	a->vas = vm->tree.count;
	gvb_vm_unserialize(vm);
}

static int gvb_ioc_stats(struct gvb_file *f, void *data)
{
	struct gvbench_stats *a = data;
	struct gvb_kwl *kwl;
	struct gvb_kvm *kvm;
	int ret;

	if (a->flags & ~GVBENCH_STATS_WL)
		return -EINVAL;
	if (!(a->flags & GVBENCH_STATS_WL)) {
		if (a->thread)
			return -EINVAL;
		kvm = gvb_kvm_lookup(f, a->handle);
		if (!kvm)
			return -ENOENT;
		gvb_stats_fill_vm(a, kvm->vm);
		gvb_kvm_put(kvm);
		return 0;
	}

	kwl = gvb_kwl_lookup(f, a->handle);
	if (!kwl)
		return -ENOENT;
	/* A workload may replace a thread's VM while it runs: not while we look. */
	ret = gvb_kwl_claim(kwl, a->thread);
	if (!ret && kwl->engine) {
		ret = kwl->engine->stats ? kwl->engine->stats(kwl->ewl, a->thread, a) : -EOPNOTSUPP;
		gvb_kwl_release_thread(kwl, a->thread);
	} else if (!ret) {
		struct gvb_vm *vm = kwl->wl.threads[a->thread].vm;

		if (vm)
			gvb_stats_fill_vm(a, vm);
		else
			ret = -ENOENT;
		gvb_kwl_release_thread(kwl, a->thread);
	}
	gvb_kwl_put(kwl);
	return ret;
}

static int gvb_ioc_selftest(struct gvb_file *f, void *data)
{
	struct gvbench_selftest *a = data;

	if (a->flags)
		return -EINVAL;
	a->failed = gvb_selftest_run(NULL, 0, &a->passed);
	return 0;
}

static int gvb_ioc_list_engines(struct gvb_file *f, void *data)
{
	struct gvbench_list *a = data;

	if (a->flags)
		return -EINVAL;
	gvb_list_clear(a);
	return gvb_engine_describe(a->index, a->name, sizeof(a->name), a->desc, sizeof(a->desc));
}

static int gvb_ioc_engine_query(struct gvb_file *f, void *data)
{
	struct gvbench_engine_query *a = data;
	bool by_name = a->flags & GVBENCH_BY_NAME;
	const struct gvb_strategy_ops *ops;
	const struct gvb_workload *w;
	const struct gvb_engine *e;
	const char *why;
	int ret;

	if ((a->flags & ~GVBENCH_BY_NAME) || gvb_check_zero(a->why, sizeof(a->why)))
		return -EINVAL;
	if (by_name) {
		if (a->engine || a->workload || a->strategy ||
		    gvb_check_name(a->engine_name, sizeof(a->engine_name)) ||
		    gvb_check_name(a->workload_name, sizeof(a->workload_name)) ||
		    gvb_check_name(a->strategy_name, sizeof(a->strategy_name)))
			return -EINVAL;
		w = gvb_workload_find(a->workload_name);
		ops = gvb_strategy_find(a->strategy_name);
	} else {
		if (gvb_check_zero(a->engine_name, sizeof(a->engine_name)) ||
		    gvb_check_zero(a->workload_name, sizeof(a->workload_name)) ||
		    gvb_check_zero(a->strategy_name, sizeof(a->strategy_name)))
			return -EINVAL;
		w = a->workload < gvb_n_workloads() ? gvb_workloads[a->workload] : NULL;
		ops = a->strategy < gvb_n_strategies() ? gvb_strategies[a->strategy] : NULL;
	}
	if (!w || !ops)
		return -EINVAL;
	ret = gvb_engine_get(a->engine, by_name ? a->engine_name : NULL, &e);
	if (ret)
		return ret;
	why = e ? e->why_not(w, ops) : NULL;
	a->result = why ? GVBENCH_ENGINE_CANNOT_RUN : GVBENCH_ENGINE_CAN_RUN;
	if (why)
		strscpy(a->why, why, sizeof(a->why));
	gvb_engine_put(e);
	return 0;
}

#define GVB_TORTURE_MAX_MS	600000ULL

static int gvb_ioc_torture(struct gvb_file *f, void *data)
{
	struct gvbench_torture *a = data;
	bool by_name = a->flags & GVBENCH_BY_NAME;
	const struct gvb_strategy_ops *ops;
	int ret;

	if (a->flags & ~GVBENCH_BY_NAME)
		return -EINVAL;
	if (by_name ? a->strategy || gvb_check_name(a->strategy_name, sizeof(a->strategy_name)) :
		      gvb_check_zero(a->strategy_name, sizeof(a->strategy_name)))
		return -EINVAL;
	/* The out fields are outputs only: nonzero there is a caller's mistake. */
	if (a->failed || a->n_counters || a->failures ||
	    gvb_check_zero(a->counters, sizeof(a->counters)) ||
	    gvb_check_zero(a->line, sizeof(a->line)))
		return -EINVAL;
	if (!a->threads || a->threads > GVB_TORTURE_MAX_THREADS || a->vms > GVB_TORTURE_MAX_VMS ||
	    a->bos > GVB_TORTURE_MAX_BOS || !a->ops == !a->duration_ms ||
	    a->duration_ms > GVB_TORTURE_MAX_MS)
		return -EINVAL;
	ret = gvb_pick_strategy(a->strategy, a->strategy_name, by_name, &ops);
	if (ret)
		return ret;
	return gvb_ktorture_run(ops, a);
}

static int gvb_ioc_fault(struct gvb_file *f, void *data)
{
	struct gvbench_fault *a = data;

	if ((a->flags & ~GVBENCH_FAULT_ARM) || (!(a->flags & GVBENCH_FAULT_ARM) && a->nth))
		return -EINVAL;
	/* Reading works either way (live is then 0); arming needs fault_inject=1. */
	if ((a->flags & GVBENCH_FAULT_ARM) && a->nth && !static_key_enabled(&gvb_fault_key))
		return -EOPNOTSUPP;
	gvb_fault_query(a);
	return 0;
}

/* ------------------------------------------------------------- dispatch */

struct gvb_ioctl_desc {
	int (*fn)(struct gvb_file *f, void *data);
	/* Undoes a successful create whose result could not be copied out. */
	void (*undo)(struct gvb_file *f, void *data);
	unsigned int size;
	/* The first version's size, if the struct grew since: shorter argsz reads as zeros. */
	unsigned int min_size;
};

#define GVB_IOCTL(cmd, _fn, _undo) \
	[_IOC_NR(cmd) - GVBENCH_IOC_BASE] = { .fn = _fn, .undo = _undo, .size = _IOC_SIZE(cmd), \
					      .min_size = _IOC_SIZE(cmd) }
#define GVB_IOCTL_GREW(cmd, _fn, _undo, _min) \
	[_IOC_NR(cmd) - GVBENCH_IOC_BASE] = { .fn = _fn, .undo = _undo, .size = _IOC_SIZE(cmd), \
					      .min_size = _min }

static const struct gvb_ioctl_desc gvb_ioctls[] = {
	GVB_IOCTL(GVBENCH_IOC_GET_VERSION, gvb_ioc_version, NULL),
	GVB_IOCTL(GVBENCH_IOC_LIST_STRATEGIES, gvb_ioc_list_strategies, NULL),
	GVB_IOCTL(GVBENCH_IOC_LIST_WORKLOADS, gvb_ioc_list_workloads, NULL),
	GVB_IOCTL(GVBENCH_IOC_LIST_FORMATS, gvb_ioc_list_formats, NULL),
	GVB_IOCTL(GVBENCH_IOC_VM_CREATE, gvb_ioc_vm_create, gvb_undo_vm_create),
	GVB_IOCTL(GVBENCH_IOC_VM_DESTROY, gvb_ioc_vm_destroy, NULL),
	GVB_IOCTL(GVBENCH_IOC_BO_CREATE, gvb_ioc_bo_create, gvb_undo_bo_create),
	GVB_IOCTL(GVBENCH_IOC_BO_DESTROY, gvb_ioc_bo_destroy, NULL),
	GVB_IOCTL(GVBENCH_IOC_MAP, gvb_ioc_map, NULL),
	GVB_IOCTL(GVBENCH_IOC_UNMAP, gvb_ioc_unmap, NULL),
	/* minor 1 appended engine_name */
	GVB_IOCTL_GREW(GVBENCH_IOC_WL_CREATE, gvb_ioc_wl_create, gvb_undo_wl_create, 128),
	GVB_IOCTL(GVBENCH_IOC_WL_RUN, gvb_ioc_wl_run, NULL),
	GVB_IOCTL(GVBENCH_IOC_WL_DESTROY, gvb_ioc_wl_destroy, NULL),
	GVB_IOCTL(GVBENCH_IOC_STATS, gvb_ioc_stats, NULL),
	GVB_IOCTL(GVBENCH_IOC_SELFTEST, gvb_ioc_selftest, NULL),
	GVB_IOCTL(GVBENCH_IOC_WL_COUNT, gvb_ioc_wl_count, NULL),
	GVB_IOCTL(GVBENCH_IOC_TORTURE, gvb_ioc_torture, NULL),
	GVB_IOCTL(GVBENCH_IOC_FAULT, gvb_ioc_fault, NULL),
	GVB_IOCTL(GVBENCH_IOC_LIST_ENGINES, gvb_ioc_list_engines, NULL),
	GVB_IOCTL(GVBENCH_IOC_ENGINE_QUERY, gvb_ioc_engine_query, NULL),
};

/* Large enough for any argument struct: they live on the stack. */
union gvb_ioctl_arg {
	struct gvbench_version version;
	struct gvbench_list list;
	struct gvbench_vm_create vm_create;
	struct gvbench_destroy destroy;
	struct gvbench_bo_create bo_create;
	struct gvbench_map map;
	struct gvbench_unmap unmap;
	struct gvbench_wl_create wl_create;
	struct gvbench_wl_run wl_run;
	struct gvbench_stats stats;
	struct gvbench_selftest selftest;
	struct gvbench_wl_count wl_count;
	struct gvbench_torture torture;
	struct gvbench_fault fault;
	struct gvbench_engine_query engine_query;
};

static void gvb_ioctl_abi_checks(void)
{
	/* uapi flag values are the core's, passed through unchanged. */
	BUILD_BUG_ON(GVBENCH_STRATEGY_IMMEDIATE != GVB_STRATEGY_IMMEDIATE);
	BUILD_BUG_ON(GVBENCH_STRATEGY_BROKEN != GVB_STRATEGY_BROKEN);
	BUILD_BUG_ON(GVBENCH_STRATEGY_SWEEP != GVB_STRATEGY_SWEEP);
	BUILD_BUG_ON(GVBENCH_WL_MAIN != GVB_WL_MAIN);
	BUILD_BUG_ON(GVBENCH_WL_HIDDEN != GVB_WL_HIDDEN);
	BUILD_BUG_ON(GVBENCH_PROT_READ != GVB_PROT_READ);
	BUILD_BUG_ON(GVBENCH_PROT_WRITE != GVB_PROT_WRITE);
	BUILD_BUG_ON(GVBENCH_PROT_EXEC != GVB_PROT_EXEC);
	BUILD_BUG_ON(GVBENCH_LOCK_VM_RESV != GVB_LOCK_VM_RESV);
	BUILD_BUG_ON(GVBENCH_LOCK_BO_RESV != GVB_LOCK_BO_RESV);
	BUILD_BUG_ON(GVBENCH_LOCK_GPUVA != GVB_LOCK_GPUVA);
	BUILD_BUG_ON(GVBENCH_LOCK_OP_LOCK != GVB_LOCK_OP_LOCK);
	BUILD_BUG_ON(GVBENCH_LOCK_VM_LISTS != GVB_LOCK_VM_LISTS);
	BUILD_BUG_ON(GVBENCH_LOCK_WW_ACQUIRE != GVB_LOCK_WW_ACQUIRE);
	BUILD_BUG_ON(GVBENCH_LOCK_CLASSES != GVB_LOCK_CLASSES);
	/* No implicit padding anywhere: the same layout for every ABI. */
	BUILD_BUG_ON(sizeof(struct gvbench_version) != 40);
	BUILD_BUG_ON(sizeof(struct gvbench_list) != 240);
	BUILD_BUG_ON(sizeof(struct gvbench_vm_create) != 112);
	BUILD_BUG_ON(sizeof(struct gvbench_destroy) != 16);
	BUILD_BUG_ON(sizeof(struct gvbench_bo_create) != 32);
	BUILD_BUG_ON(sizeof(struct gvbench_map) != 48);
	BUILD_BUG_ON(sizeof(struct gvbench_unmap) != 32);
	BUILD_BUG_ON(sizeof(struct gvbench_wl_create) != 160);
	BUILD_BUG_ON(sizeof(struct gvbench_wl_run) != 64);
	BUILD_BUG_ON(sizeof(struct gvbench_stats) != 144);
	BUILD_BUG_ON(sizeof(struct gvbench_selftest) != 16);
	BUILD_BUG_ON(sizeof(struct gvbench_wl_count) != 120);
	BUILD_BUG_ON(sizeof(struct gvbench_torture) != 1320);
	BUILD_BUG_ON(sizeof(struct gvbench_fault) != 88);
	BUILD_BUG_ON(sizeof(struct gvbench_engine_query) != 248);
	BUILD_BUG_ON(sizeof(union gvb_ioctl_arg) > GVBENCH_ARGSZ_MAX);
}

long gvb_file_ioctl(struct gvb_file *f, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	const struct gvb_ioctl_desc *desc;
	union gvb_ioctl_arg kbuf;
	unsigned int nr = _IOC_NR(cmd);
	u32 argsz;
	int ret;

	gvb_ioctl_abi_checks();
	/*
	 * Dispatch on the number only: the size encoded in @cmd is that of the
	 * caller's struct, which argsz states again, so a newer userspace with
	 * longer structs still reaches the right handler.
	 */
	if (_IOC_TYPE(cmd) != GVBENCH_IOC_MAGIC || _IOC_DIR(cmd) != (_IOC_READ | _IOC_WRITE) ||
	    nr < GVBENCH_IOC_BASE || nr - GVBENCH_IOC_BASE >= ARRAY_SIZE(gvb_ioctls))
		return -ENOTTY;
	desc = &gvb_ioctls[nr - GVBENCH_IOC_BASE];
	if (!desc->fn)
		return -ENOTTY;

	if (get_user(argsz, (u32 __user *)uarg))
		return -EFAULT;
	if (argsz < desc->min_size || argsz > GVBENCH_ARGSZ_MAX)
		return -EINVAL;
	/* Zero-fills what an older, shorter struct lacks; -E2BIG for a nonzero tail. */
	ret = copy_struct_from_user(&kbuf, desc->size, uarg, argsz);
	if (ret)
		return ret;
	ret = desc->fn(f, &kbuf);
	if (ret)
		return ret;
	if (copy_to_user(uarg, &kbuf, min_t(u32, argsz, desc->size))) {
		if (desc->undo)
			desc->undo(f, &kbuf);
		return -EFAULT;
	}
	return 0;
}
