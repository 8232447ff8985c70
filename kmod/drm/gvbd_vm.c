// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The drm_gpuvm engine's objects and its map/unmap paths, one per strategy:
 *
 * - resv (staged mode, as xe/nouveau/msm): drm_exec locks the VM resv and
 *   every touched BO resv (drm_gpuvm_sm_map_exec_lock() where the kernel
 *   has it), then obtain(_locked) + extobj_add, then drm_gpuvm_sm_map()
 *   whose steps map/remap/unmap the VA, update the page tables and
 *   link/unlink under the held resvs; drm_gpuvm_bo_put() of obtain's ref.
 * - resv+gpuva: the same, plus an always-free mutex around obtain and each
 *   link and unlink (gem->gpuva.lock where the kernel has one).
 * - gpuva (IMMEDIATE_MODE, as panthor 6.18): VM_BIND prepares outside the
 *   VA tree lock (drm_gpuvm_bo_create(), drm_exec of the VM and BO resvs
 *   for the job fence, obtain_prealloc, extobj_add under the VM resv), then
 *   the job applies the ops under the VM's op_lock with link/unlink under
 *   gpuva.lock: the map's link drops the op's vm_bo reference in its hold
 *   (never the last), each unlink keeps one and parks the VA; after the op
 *   lock those are put as panthor_vm_bo_put() did, under the VM resv and
 *   gpuva.lock with GEM and VM references held.
 * - gpuva+deferred: immediate mode with drm_gpuva_unlink_defer(),
 *   drm_gpuvm_bo_put_deferred(), and drm_gpuvm_bo_deferred_cleanup() once
 *   the op lock is dropped (or in a worker with defer_async).
 *
 * No job fence is ever added: there is no GPU. The page tables are those
 * of the model (gvb_pt), so both engines do the same page-table work, and
 * every bind buys its table pages as the model's does (gvbd_pt_buy()).
 */
#define pr_fmt(fmt) "gvbench_drm: " fmt

#include <linux/slab.h>

#include "gvbd.h"
#include "gvb_strategy.h"

int gvbd_mode_of(const struct gvb_strategy_ops *s, enum gvbd_mode *mode, const char **why)
{
	*why = NULL;
	if (!strcmp(s->name, "resv")) {
		*mode = GVBD_RESV;
	} else if (!strcmp(s->name, "resv+gpuva")) {
		*mode = GVBD_RESV_GPUVA;
	} else if (!strcmp(s->name, "gpuva")) {
		*mode = GVBD_GPUVA;
		if (!GVBD_HAVE_IMMEDIATE)
			*why = "gpuva needs Linux 7.0 or later (DRM_GPUVM_IMMEDIATE_MODE, gem->gpuva.lock)";
	} else if (!strcmp(s->name, "gpuva+deferred")) {
		*mode = GVBD_GPUVA_DEFERRED;
		if (!GVBD_HAVE_IMMEDIATE)
			*why = "gpuva+deferred needs Linux 7.0 or later (immediate mode, deferred vm_bo put)";
	} else {
		*why = "the drm_gpuvm engine runs only resv, resv+gpuva, gpuva and gpuva+deferred";
	}
	return *why ? -EOPNOTSUPP : 0;
}

/* ------------------------------------------------------------------ BOs */

static void gvbd_bo_free(struct drm_gem_object *obj)
{
	struct gvbd_bo *bo = container_of(obj, struct gvbd_bo, base);

	drm_gem_object_release(obj);
	mutex_destroy(&bo->list_lock);
	if (bo->vm_root)
		drm_gem_object_put(bo->vm_root);
	kfree(bo);
}

static const struct drm_gem_object_funcs gvbd_bo_funcs = {
	.free = gvbd_bo_free,
};

struct gvbd_bo *gvbd_bo_create(u64 size)
{
	static atomic64_t next_pa = ATOMIC64_INIT(0);
	struct gvbd_bo *bo = kzalloc(sizeof(*bo), GFP_KERNEL);

	if (!bo)
		return NULL;
	bo->base.funcs = &gvbd_bo_funcs;
	mutex_init(&bo->list_lock);
	drm_gem_private_object_init(gvbd_drm, &bo->base, size);
	/* Distinct 4 GiB windows (BOs are at most 4 GiB), inside 48 output bits. */
	bo->pa = ((u64)(atomic64_inc_return(&next_pa) & 0xfff) + 1) << 32;
	return bo;
}

struct gvbd_bo *gvbd_bo_create_private(struct gvbd_vm *vm, u64 size)
{
	struct gvbd_bo *bo = gvbd_bo_create(size);

	if (!bo)
		return NULL;
	/* As panthor's VM-private BOs: the VM's resv, and a reference on its object. */
	bo->vm_root = drm_gpuvm_resv_obj(&vm->base);
	drm_gem_object_get(bo->vm_root);
	bo->base.resv = drm_gpuvm_resv(&vm->base);
	return bo;
}

void gvbd_bo_put(struct gvbd_bo *bo)
{
	if (bo)
		drm_gem_object_put(&bo->base);
}

static struct gvbd_bo *to_gvbd_bo(struct drm_gem_object *obj)
{
	return container_of(obj, struct gvbd_bo, base);
}

/*
 * The extra lock of resv+gpuva, and the list lock of the immediate modes;
 * NULL for resv, whose list lock is the BO resv the caller holds already.
 * The caller holds a reference on @obj: the last vm_bo put inside may drop
 * the vm_bo's, and the lock must outlive the unlock.
 */
static struct mutex *gvbd_list_mutex(enum gvbd_mode mode, struct drm_gem_object *obj)
{
	if (mode == GVBD_RESV)
		return NULL;
#if GVBD_HAVE_IMMEDIATE
	return &obj->gpuva.lock;
#else
	/* Only resv+gpuva gets here: the immediate modes need 7.0. */
	return &to_gvbd_bo(obj)->list_lock;
#endif
}

static void gvbd_list_lock(enum gvbd_mode mode, struct drm_gem_object *obj)
{
	struct mutex *m = gvbd_list_mutex(mode, obj);

	if (m)
		mutex_lock(m);
}

static void gvbd_list_unlock(enum gvbd_mode mode, struct drm_gem_object *obj)
{
	struct mutex *m = gvbd_list_mutex(mode, obj);

	if (m)
		mutex_unlock(m);
}

/* ----------------------------------------------------------- vm_bo puts */

static void gvbd_cleanup_work(struct work_struct *work)
{
#if GVBD_HAVE_IMMEDIATE
	struct gvbd_vm *vm = container_of(work, struct gvbd_vm, cleanup_work);

	drm_gpuvm_bo_deferred_cleanup(&vm->base);
#endif
}

void gvbd_vm_drain(struct gvbd_vm *vm)
{
#if GVBD_HAVE_IMMEDIATE
	if (vm->mode != GVBD_GPUVA_DEFERRED)
		return;
	flush_work(&vm->cleanup_work);
	drm_gpuvm_bo_deferred_cleanup(&vm->base);
#endif
}

/* -------------------------------------------------------------- steps */

static void gvbd_link(struct gvbd_vm *vm, struct drm_gpuva *va, struct drm_gpuvm_bo *vm_bo)
{
	struct drm_gem_object *obj = vm_bo->obj;

	gvbd_list_lock(vm->mode, obj);
	drm_gpuva_link(va, vm_bo);
	/* gpuva: panthor_vma_link() drops the op's reference here; the VA holds one. */
	if (vm->mode == GVBD_GPUVA && vm_bo == vm->map_vm_bo && !vm->map_ref_put) {
		WARN_ON(drm_gpuvm_bo_put(vm_bo));
		vm->map_ref_put = true;
	}
	gvbd_list_unlock(vm->mode, obj);
}

/* Unlinks @va; its vm_bo may go with it (and, with that, a BO ref). */
static void gvbd_unlink(struct gvbd_vm *vm, struct drm_gpuva *va)
{
	struct drm_gem_object *obj = va->gem.obj;

	switch (vm->mode) {
	case GVBD_RESV:
		drm_gpuva_unlink(va);
		break;
	case GVBD_RESV_GPUVA:
	case GVBD_GPUVA:
		/* drm_exec holds a BO ref in staged mode; immediate mode has none. */
		drm_gem_object_get(obj);
		gvbd_list_lock(vm->mode, obj);
		drm_gpuva_unlink(va);
		gvbd_list_unlock(vm->mode, obj);
		drm_gem_object_put(obj);
		break;
	case GVBD_GPUVA_DEFERRED:
#if GVBD_HAVE_IMMEDIATE
		drm_gpuva_unlink_defer(va);
#endif
		break;
	}
	vm->stats.vas--;
}

/*
 * A step's unlink. gpuva: as panthor_vma_unlink(), a vm_bo reference taken
 * first keeps the put out of run_job; the VA waits on vm->returned for
 * gvbd_after_unlock(). Otherwise the VA goes at once.
 */
static void gvbd_unlink_free(struct gvbd_vm *vm, struct drm_gpuva *va)
{
	struct drm_gem_object *obj = va->gem.obj;
	struct drm_gpuvm_bo *vm_bo;

	if (vm->mode != GVBD_GPUVA) {
		gvbd_unlink(vm, va);
		kfree(va);
		return;
	}
	vm_bo = drm_gpuvm_bo_get(va->vm_bo);
	gvbd_list_lock(vm->mode, obj);
	drm_gpuva_unlink(va);
	gvbd_list_unlock(vm->mode, obj);
	va->vm_bo = vm_bo;
	list_add_tail(&va->gem.entry, &vm->returned);
	vm->stats.vas--;
}

static int gvbd_step_map(struct drm_gpuva_op *op, void *priv)
{
	struct gvbd_vm *vm = priv;
	struct drm_gpuva_op_map *m = &op->map;
	struct gvbd_bo *bo = to_gvbd_bo(m->gem.obj);
	struct drm_gpuva *va;
	int ret;

	if (vm->trace)
		gvbd_trace_step(vm, op);
	if (WARN_ON(!vm->map_vm_bo))
		return -EINVAL;
	va = kzalloc(sizeof(*va), GFP_KERNEL);
	if (!va)
		return -ENOMEM;
	ret = gvb_pt_map(&vm->pt, m->va.addr, bo->pa + m->gem.offset, m->va.range, GVB_PROT_RW);
	if (ret) {
		kfree(va);
		return ret;
	}
	drm_gpuva_map(&vm->base, va, m);
	gvbd_link(vm, va, vm->map_vm_bo);
	vm->stats.vm.map_steps++;
	vm->stats.vas++;
	return 0;
}

static int gvbd_step_remap(struct drm_gpuva_op *op, void *priv)
{
	struct gvbd_vm *vm = priv;
	struct drm_gpuva_op_remap *r = &op->remap;
	struct drm_gpuva *orig = r->unmap->va;
	struct drm_gpuvm_bo *vm_bo = orig->vm_bo;
	struct drm_gpuva *prev = NULL, *next = NULL;
	u64 start, range;

	if (vm->trace)
		gvbd_trace_step(vm, op);
	if (r->prev && !(prev = kzalloc(sizeof(*prev), GFP_KERNEL)))
		return -ENOMEM;
	if (r->next && !(next = kzalloc(sizeof(*next), GFP_KERNEL))) {
		kfree(prev);
		return -ENOMEM;
	}
	/* Only the hole: the pieces that stay keep their entries. */
	drm_gpuva_op_remap_to_unmap_range(r, &start, &range);
	if (range)
		gvb_pt_unmap(&vm->pt, start, range);
	drm_gpuva_remap(prev, next, r);
	/* The new pieces take their vm_bo refs before the old VA drops its own. */
	if (prev) {
		gvbd_link(vm, prev, vm_bo);
		vm->stats.vas++;
	}
	if (next) {
		gvbd_link(vm, next, vm_bo);
		vm->stats.vas++;
	}
	gvbd_unlink_free(vm, orig);
	vm->stats.vm.remap_steps++;
	return 0;
}

static int gvbd_step_unmap(struct drm_gpuva_op *op, void *priv)
{
	struct gvbd_vm *vm = priv;
	struct drm_gpuva *va = op->unmap.va;

	if (vm->trace)
		gvbd_trace_step(vm, op);
	gvb_pt_unmap(&vm->pt, va->va.addr, va->va.range);
	drm_gpuva_unmap(&op->unmap);
	gvbd_unlink_free(vm, va);
	vm->stats.vm.unmap_steps++;
	return 0;
}

/* ---------------------------------------------------------------- VMs */

static void gvbd_vm_free(struct drm_gpuvm *gpuvm)
{
	struct gvbd_vm *vm = container_of(gpuvm, struct gvbd_vm, base);

	gvb_pt_fini(&vm->pt);
	mutex_destroy(&vm->op_lock);
	kfree(vm);
}

/* Live vm_bos of the whole module: the lifetime checks want 0 at the end. */
atomic64_t gvbd_live_vm_bos = ATOMIC64_INIT(0);

static struct drm_gpuvm_bo *gvbd_vm_bo_alloc(void)
{
	struct drm_gpuvm_bo *vm_bo = kzalloc(sizeof(*vm_bo), GFP_KERNEL);

	if (vm_bo)
		atomic64_inc(&gvbd_live_vm_bos);
	return vm_bo;
}

static void gvbd_vm_bo_free(struct drm_gpuvm_bo *vm_bo)
{
	struct gvbd_vm *vm = container_of(vm_bo->vm, struct gvbd_vm, base);

	/*
	 * Under a list lock of one of the VM's BOs, or in the cleanup: not one
	 * lock, but never concurrent within one workload thread's VM.
	 */
	WRITE_ONCE(vm->stats.vm.vm_bo_destroyed, vm->stats.vm.vm_bo_destroyed + 1);
	atomic64_dec(&gvbd_live_vm_bos);
	kfree(vm_bo);
}

/*
 * Nothing to move back (there is no memory behind a BO); what TTM's move
 * notification would do then: the vm_bo leaves the evict list. drm_exec
 * holds the BO's resv.
 */
static int gvbd_vm_bo_validate(struct drm_gpuvm_bo *vm_bo, struct drm_exec *exec)
{
	drm_gpuvm_bo_evict(vm_bo, false);
	return 0;
}

static const struct drm_gpuvm_ops gvbd_vm_ops = {
	.vm_free = gvbd_vm_free,
	.vm_bo_alloc = gvbd_vm_bo_alloc,
	.vm_bo_free = gvbd_vm_bo_free,
	.vm_bo_validate = gvbd_vm_bo_validate,
	.sm_step_map = gvbd_step_map,
	.sm_step_remap = gvbd_step_remap,
	.sm_step_unmap = gvbd_step_unmap,
};

struct gvbd_vm *gvbd_vm_create(enum gvbd_mode mode, const struct gvb_pt_format *fmt, u64 va_range,
			       u64 flush_ns, bool defer_async)
{
	struct drm_gem_object *r_obj;
	enum drm_gpuvm_flags flags = 0;
	struct gvbd_vm *vm;

	if (mode == GVBD_GPUVA || mode == GVBD_GPUVA_DEFERRED) {
#if GVBD_HAVE_IMMEDIATE
		flags |= DRM_GPUVM_IMMEDIATE_MODE;
#else
		return NULL;
#endif
	}
	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return NULL;
	if (gvb_pt_init(&vm->pt, fmt ?: gvb_pt_formats[0], flush_ns)) {
		kfree(vm);
		return NULL;
	}
	r_obj = drm_gpuvm_resv_object_alloc(gvbd_drm);
	if (!r_obj) {
		gvb_pt_fini(&vm->pt);
		kfree(vm);
		return NULL;
	}
	vm->mode = mode;
	vm->defer_async = defer_async;
	mutex_init(&vm->op_lock);
	INIT_LIST_HEAD(&vm->returned);
	INIT_WORK(&vm->cleanup_work, gvbd_cleanup_work);
	drm_gpuvm_init(&vm->base, "gvbench", flags, gvbd_drm, r_obj, 0, va_range, 0, 0,
		       &gvbd_vm_ops);
	drm_gem_object_put(r_obj);	/* the VM holds its own */
	return vm;
}

void gvbd_vm_destroy(struct gvbd_vm *vm)
{
	if (!vm)
		return;
	/* Unmapping everything unlinks every VA, and so drops every vm_bo. */
	WARN_ON(gvbd_unmap(vm, vm->base.mm_start, vm->base.mm_range));
	gvbd_vm_drain(vm);
	drm_gpuvm_put(&vm->base);
}

/* -------------------------------------------------------------- binds */

/*
 * A bind's page-table pages, bought as the model's op buys them
 * (core/gvb_op.c, panthor's prealloc_pts): the format's count before any
 * lock, handed to the page tables for the walk, the unused ones freed after
 * the unlock. Without this the engine skipped the slab allocations, frees
 * and (init_on_alloc) page clearing that the model pays per bind, and the
 * two engines differed by that rather than by drm_gpuvm. With pt->reclaim
 * both take their tables from the VM's cache instead.
 */
struct gvbd_pt_buy {
	void *pages;
	unsigned int count;
};

static int gvbd_pt_buy(struct gvbd_vm *vm, struct gvbd_pt_buy *b, u64 addr, u64 range, bool map)
{
	*b = (struct gvbd_pt_buy){};
	if (vm->pt.reclaim)
		return 0;
	return gvb_pt_page_list_fill(&b->pages, &b->count,
				     gvb_pt_op_pages(&vm->pt, addr, range, map));
}

/* Under the bind's locks: the walk's tables come from @b first. */
static void gvbd_pt_lend(struct gvbd_vm *vm, struct gvbd_pt_buy *b)
{
	vm->pt.reserve = b->pages;
	vm->pt.reserve_count = b->count;
}

static void gvbd_pt_take_back(struct gvbd_vm *vm, struct gvbd_pt_buy *b)
{
	b->pages = vm->pt.reserve;
	b->count = vm->pt.reserve_count;
	vm->pt.reserve = NULL;
	vm->pt.reserve_count = 0;
}

/* After the unlock. */
static void gvbd_pt_return(struct gvbd_pt_buy *b)
{
	gvb_pt_page_list_free(&b->pages, &b->count);
}

/* drm_exec_retry_on_contention(), counting the backoffs as the model does. */
#define gvbd_retry_on_contention(vm, exec)				\
	do {								\
		if (drm_exec_is_contended(exec))			\
			(vm)->stats.vm.exec_backoffs++;			\
		drm_exec_retry_on_contention(exec);			\
	} while (0)

/*
 * The staged map's prologue: @exec holds every resv of the bind, the
 * vm_bo is obtained and on the extobj list. The caller finishes @exec.
 */
static struct drm_gpuvm_bo *gvbd_staged_obtain(struct gvbd_vm *vm, struct drm_exec *exec,
					       struct drm_gem_object *obj, u64 addr, u64 range,
					       u64 offset)
{
	struct drm_gpuvm_bo *vm_bo;
	int ret;

	drm_exec_init(exec, DRM_EXEC_IGNORE_DUPLICATES, 0);
	drm_exec_until_all_locked(exec) {
		ret = gvbd_map_exec_lock(&vm->base, exec, addr, range, obj, offset);
		gvbd_retry_on_contention(vm, exec);
		if (ret)
			return ERR_PTR(ret);
	}
	gvbd_list_lock(vm->mode, obj);
	vm_bo = gvbd_obtain_locked(&vm->base, obj);
	gvbd_list_unlock(vm->mode, obj);
	if (IS_ERR(vm_bo))
		return vm_bo;
	/* A new vm_bo holds only obtain's reference (counted for the tests). */
	if (kref_read(&vm_bo->kref) == 1)
		vm->stats.vm.vm_bo_created++;
	drm_gpuvm_bo_extobj_add(vm_bo);
	return vm_bo;
}

static int gvbd_map_staged(struct gvbd_vm *vm, struct drm_gem_object *obj, u64 addr, u64 range,
			   u64 offset)
{
	struct drm_gpuvm_bo *vm_bo;
	struct gvbd_pt_buy pt;
	struct drm_exec exec;
	int ret;

	ret = gvbd_pt_buy(vm, &pt, addr, range, true);
	if (ret)
		goto free;
	vm_bo = gvbd_staged_obtain(vm, &exec, obj, addr, range, offset);
	if (IS_ERR(vm_bo)) {
		ret = PTR_ERR(vm_bo);
		goto out;
	}
	vm->map_vm_bo = vm_bo;
	gvbd_pt_lend(vm, &pt);
	ret = gvbd_sm_map(&vm->base, vm, addr, range, obj, offset);
	gvbd_pt_take_back(vm, &pt);
	vm->map_vm_bo = NULL;
	/* obtain's ref: the last one only if nothing got linked. */
	drm_gpuvm_bo_put(vm_bo);
out:
	drm_exec_fini(&exec);
free:
	gvbd_pt_return(&pt);
	return ret;
}

static int gvbd_unmap_staged(struct gvbd_vm *vm, u64 addr, u64 range)
{
	struct gvbd_pt_buy pt;
	struct drm_exec exec;
	int ret;

	ret = gvbd_pt_buy(vm, &pt, addr, range, false);
	if (ret)
		goto free;
	drm_exec_init(&exec, DRM_EXEC_IGNORE_DUPLICATES, 0);
	drm_exec_until_all_locked(&exec) {
		ret = gvbd_unmap_exec_lock(&vm->base, &exec, addr, range);
		gvbd_retry_on_contention(vm, &exec);
		if (ret)
			goto out;
	}
	gvbd_pt_lend(vm, &pt);
	ret = drm_gpuvm_sm_unmap(&vm->base, vm, addr, range);
	gvbd_pt_take_back(vm, &pt);
out:
	drm_exec_fini(&exec);
free:
	gvbd_pt_return(&pt);
	return ret;
}

#if GVBD_HAVE_IMMEDIATE
static bool gvbd_immediate(const struct gvbd_vm *vm)
{
	return vm->mode == GVBD_GPUVA || vm->mode == GVBD_GPUVA_DEFERRED;
}

static void gvbd_vm_bo_put(struct gvbd_vm *vm, struct drm_gpuvm_bo *vm_bo);

/*
 * After the op lock is dropped: gpuva puts the references its unlinks kept
 * (panthor's op-context cleanup); gpuva+deferred frees the zombies.
 */
static void gvbd_after_unlock(struct gvbd_vm *vm)
{
	struct drm_gpuva *va, *tmp;

	list_for_each_entry_safe(va, tmp, &vm->returned, gem.entry) {
		list_del(&va->gem.entry);
		gvbd_vm_bo_put(vm, va->vm_bo);
		kfree(va);
	}
	if (vm->mode != GVBD_GPUVA_DEFERRED)
		return;
	if (vm->defer_async)
		queue_work(gvb_unbound_wq, &vm->cleanup_work);
	else
		drm_gpuvm_bo_deferred_cleanup(&vm->base);
}

/*
 * Drops a vm_bo reference outside the steps. Staged: the caller holds the
 * resv (drm_exec). gpuva: panthor_vm_bo_put() of 6.18, every put under the
 * VM resv (drm_gpuvm_bo_destroy() edits the VM's lists) and gpuva.lock, the
 * GEM and the VM held across it. gpuva+deferred: bo_put_deferred takes
 * gpuva.lock itself, only for the last put.
 */
static void gvbd_vm_bo_put(struct gvbd_vm *vm, struct drm_gpuvm_bo *vm_bo)
{
	struct drm_gem_object *obj = vm_bo->obj;

	switch (vm->mode) {
	case GVBD_RESV:
	case GVBD_RESV_GPUVA:
		drm_gpuvm_bo_put(vm_bo);
		break;
	case GVBD_GPUVA:
		drm_gem_object_get(obj);
		drm_gpuvm_get(&vm->base);
		dma_resv_lock(drm_gpuvm_resv(&vm->base), NULL);
		gvbd_list_lock(vm->mode, obj);
		drm_gpuvm_bo_put(vm_bo);
		gvbd_list_unlock(vm->mode, obj);
		dma_resv_unlock(drm_gpuvm_resv(&vm->base));
		drm_gpuvm_put(&vm->base);
		drm_gem_object_put(obj);
		break;
	case GVBD_GPUVA_DEFERRED:
		if (drm_gpuvm_bo_put_deferred(vm_bo))
			vm->stats.vm.vm_bo_deferred++;
		break;
	}
}

/*
 * Panthor's VM_BIND prepare: the VM resv and, for a map, the BO resv, one
 * fence slot each (the job's fence would go there), held only while the
 * job is set up; extobj_add under the VM resv.
 */
static int gvbd_bind_prepare(struct gvbd_vm *vm, struct drm_gem_object *obj,
			     struct drm_gpuvm_bo *vm_bo)
{
	struct drm_exec exec;
	int ret;

	if (vm->bind_sync) {
		/* The VM's lists have their own spinlock: no resv needed for the extobj. */
		if (vm_bo)
			drm_gpuvm_bo_extobj_add(vm_bo);
		return 0;
	}
	drm_exec_init(&exec, DRM_EXEC_IGNORE_DUPLICATES, 0);
	drm_exec_until_all_locked(&exec) {
		ret = drm_gpuvm_prepare_vm(&vm->base, &exec, 1);
		gvbd_retry_on_contention(vm, &exec);
		if (ret)
			break;
		if (obj) {
			ret = drm_exec_prepare_obj(&exec, obj, 1);
			gvbd_retry_on_contention(vm, &exec);
			if (ret)
				break;
		}
	}
	if (!ret && vm_bo)
		drm_gpuvm_bo_extobj_add(vm_bo);
	drm_exec_fini(&exec);
	return ret;
}

/* The immediate map's prologue (panthor's VM_BIND prepare), with the vm_bo to map. */
static struct drm_gpuvm_bo *gvbd_immediate_obtain(struct gvbd_vm *vm, struct drm_gem_object *obj)
{
	struct drm_gpuvm_bo *pre, *vm_bo;
	int ret;

	/* Allocated up front, as run_job may not allocate. */
	pre = drm_gpuvm_bo_create(&vm->base, obj);
	if (!pre)
		return ERR_PTR(-ENOMEM);
	vm->stats.vm.vm_bo_created++;	/* @pre: destroyed at once if unused */
	/* Takes gpuva.lock itself; frees @pre if the pair has a vm_bo already. */
	vm_bo = drm_gpuvm_bo_obtain_prealloc(pre);
	ret = gvbd_bind_prepare(vm, obj, vm_bo);
	if (ret) {
		gvbd_vm_bo_put(vm, vm_bo);
		gvbd_after_unlock(vm);
		return ERR_PTR(ret);
	}
	return vm_bo;
}

static int gvbd_map_immediate(struct gvbd_vm *vm, struct drm_gem_object *obj, u64 addr,
			      u64 range, u64 offset)
{
	struct drm_gpuvm_bo *vm_bo;
	struct gvbd_pt_buy pt;
	int ret;

	ret = gvbd_pt_buy(vm, &pt, addr, range, true);
	if (ret)
		goto free;
	vm_bo = gvbd_immediate_obtain(vm, obj);
	if (IS_ERR(vm_bo)) {
		ret = PTR_ERR(vm_bo);
		goto free;
	}
	mutex_lock(&vm->op_lock);
	vm->map_vm_bo = vm_bo;
	gvbd_pt_lend(vm, &pt);
	ret = gvbd_sm_map(&vm->base, vm, addr, range, obj, offset);
	gvbd_pt_take_back(vm, &pt);
	vm->map_vm_bo = NULL;
	mutex_unlock(&vm->op_lock);
	/* panthor's cleanup: the op's reference, unless its link dropped it. */
	if (!vm->map_ref_put)
		gvbd_vm_bo_put(vm, vm_bo);
	vm->map_ref_put = false;
	gvbd_after_unlock(vm);
free:
	gvbd_pt_return(&pt);
	return ret;
}

static int gvbd_unmap_immediate(struct gvbd_vm *vm, u64 addr, u64 range)
{
	struct gvbd_pt_buy pt;
	int ret;

	ret = gvbd_pt_buy(vm, &pt, addr, range, false);
	if (!ret)
		ret = gvbd_bind_prepare(vm, NULL, NULL);
	if (ret)
		goto free;
	mutex_lock(&vm->op_lock);
	gvbd_pt_lend(vm, &pt);
	ret = drm_gpuvm_sm_unmap(&vm->base, vm, addr, range);
	gvbd_pt_take_back(vm, &pt);
	mutex_unlock(&vm->op_lock);
	gvbd_after_unlock(vm);
free:
	gvbd_pt_return(&pt);
	return ret;
}
#endif

int gvbd_map(struct gvbd_vm *vm, struct gvbd_bo *bo, u64 addr, u64 range, u64 offset)
{
	if (!range || !IS_ALIGNED(addr | range | offset, SZ_4K) || offset + range < offset ||
	    offset + range > bo->base.size || !drm_gpuvm_range_valid(&vm->base, addr, range))
		return -EINVAL;
#if GVBD_HAVE_IMMEDIATE
	if (gvbd_immediate(vm))
		return gvbd_map_immediate(vm, &bo->base, addr, range, offset);
#endif
	return gvbd_map_staged(vm, &bo->base, addr, range, offset);
}

int gvbd_unmap(struct gvbd_vm *vm, u64 addr, u64 range)
{
	if (!range || !IS_ALIGNED(addr | range, SZ_4K) ||
	    !drm_gpuvm_range_valid(&vm->base, addr, range))
		return -EINVAL;
#if GVBD_HAVE_IMMEDIATE
	if (gvbd_immediate(vm))
		return gvbd_unmap_immediate(vm, addr, range);
#endif
	return gvbd_unmap_staged(vm, addr, range);
}

/* ------------------------------------------------- ops-list prepare/commit */

/* The op list of @p applied to the tree and the gpuva lists (the prepare pass). */
static int gvbd_prep_apply(struct gvbd_vm *vm, struct gvbd_prep *p, struct drm_gpuvm_bo *vm_bo)
{
	enum drm_gpuva_op_type want = p->map ? DRM_GPUVA_OP_MAP : DRM_GPUVA_OP_UNMAP;
	struct drm_gpuva_op *op;
	struct drm_gpuva *va;
	unsigned int n = 0;

	/* One map onto a free range, or one unmap of a whole VA: checked before any change. */
	drm_gpuva_for_each_op(op, p->ops)
		if (op->op != want || n++)
			return -EOPNOTSUPP;
	drm_gpuva_for_each_op(op, p->ops) {
		if (p->map) {
			va = kzalloc(sizeof(*va), GFP_KERNEL);
			if (!va)
				return -ENOMEM;
			drm_gpuva_map(&vm->base, va, &op->map);
			gvbd_link(vm, va, vm_bo);
			vm->stats.vm.map_steps++;
			vm->stats.vas++;
		} else {
			va = op->unmap.va;
			drm_gpuva_unmap(&op->unmap);
			gvbd_unlink(vm, va);
			p->unmapped = va;	/* freed in the cleanup */
			vm->stats.vm.unmap_steps++;
		}
	}
	/* Page tables for the commit, which may not allocate. */
	return gvb_pt_page_list_fill(&p->pages, &p->npages,
				     gvb_pt_pages_needed(&vm->pt, p->addr, p->range));
}

int gvbd_prep_map(struct gvbd_vm *vm, struct gvbd_bo *bo, u64 addr, u64 range, u64 offset,
		  struct gvbd_prep *p)
{
	struct drm_gem_object *obj = &bo->base;
	struct drm_gpuvm_bo *vm_bo;
	struct drm_exec exec;
	int ret;

	if (!range || !IS_ALIGNED(addr | range | offset, SZ_4K) || offset + range < offset ||
	    offset + range > obj->size || !drm_gpuvm_range_valid(&vm->base, addr, range))
		return -EINVAL;
	*p = (struct gvbd_prep){ .map = true, .addr = addr, .range = range,
				 .pa = bo->pa + offset };
#if GVBD_HAVE_IMMEDIATE
	if (gvbd_immediate(vm)) {
		vm_bo = gvbd_immediate_obtain(vm, obj);
		if (IS_ERR(vm_bo))
			return PTR_ERR(vm_bo);
		mutex_lock(&vm->op_lock);
		p->ops = gvbd_sm_map_ops_create(&vm->base, addr, range, obj, offset);
		ret = IS_ERR(p->ops) ? PTR_ERR(p->ops) : gvbd_prep_apply(vm, p, vm_bo);
		mutex_unlock(&vm->op_lock);
		gvbd_vm_bo_put(vm, vm_bo);
		gvbd_after_unlock(vm);
		goto out;
	}
#endif
	vm_bo = gvbd_staged_obtain(vm, &exec, obj, addr, range, offset);
	if (IS_ERR(vm_bo)) {
		ret = PTR_ERR(vm_bo);
		goto fini;
	}
	p->ops = gvbd_sm_map_ops_create(&vm->base, addr, range, obj, offset);
	ret = IS_ERR(p->ops) ? PTR_ERR(p->ops) : gvbd_prep_apply(vm, p, vm_bo);
	drm_gpuvm_bo_put(vm_bo);
fini:
	drm_exec_fini(&exec);
#if GVBD_HAVE_IMMEDIATE
out:
#endif
	if (IS_ERR(p->ops))
		p->ops = NULL;
	return ret;
}

int gvbd_prep_unmap(struct gvbd_vm *vm, u64 addr, u64 range, struct gvbd_prep *p)
{
	struct drm_exec exec;
	int ret;

	if (!range || !IS_ALIGNED(addr | range, SZ_4K) ||
	    !drm_gpuvm_range_valid(&vm->base, addr, range))
		return -EINVAL;
	*p = (struct gvbd_prep){ .addr = addr, .range = range };
#if GVBD_HAVE_IMMEDIATE
	if (gvbd_immediate(vm)) {
		ret = gvbd_bind_prepare(vm, NULL, NULL);
		if (!ret) {
			mutex_lock(&vm->op_lock);
			p->ops = drm_gpuvm_sm_unmap_ops_create(&vm->base, addr, range);
			ret = IS_ERR(p->ops) ? PTR_ERR(p->ops) : gvbd_prep_apply(vm, p, NULL);
			mutex_unlock(&vm->op_lock);
		}
		gvbd_after_unlock(vm);
		goto out;
	}
#endif
	drm_exec_init(&exec, DRM_EXEC_IGNORE_DUPLICATES, 0);
	drm_exec_until_all_locked(&exec) {
		ret = gvbd_unmap_exec_lock(&vm->base, &exec, addr, range);
		gvbd_retry_on_contention(vm, &exec);
		if (ret)
			goto fini;
	}
	p->ops = drm_gpuvm_sm_unmap_ops_create(&vm->base, addr, range);
	ret = IS_ERR(p->ops) ? PTR_ERR(p->ops) : gvbd_prep_apply(vm, p, NULL);
fini:
	drm_exec_fini(&exec);
#if GVBD_HAVE_IMMEDIATE
out:
#endif
	if (IS_ERR(p->ops))
		p->ops = NULL;
	return ret;
}

/* run_job: the page-table writes of a prepared op, from its reserve only. */
int gvbd_prep_commit(struct gvbd_vm *vm, struct gvbd_prep *p)
{
	struct gvb_pt *pt = &vm->pt;
	int ret;

	mutex_lock(&vm->op_lock);
	pt->no_alloc = true;
	pt->reserve = p->pages;
	pt->reserve_count = p->npages;
	if (p->map)
		ret = gvb_pt_map(pt, p->addr, p->pa, p->range, GVB_PROT_RW);
	else
		ret = gvb_pt_unmap(pt, p->addr, p->range);
	p->pages = pt->reserve;
	p->npages = pt->reserve_count;
	pt->reserve = NULL;
	pt->reserve_count = 0;
	pt->no_alloc = false;
	mutex_unlock(&vm->op_lock);
	return ret;
}

void gvbd_prep_cleanup(struct gvbd_vm *vm, struct gvbd_prep *p)
{
	if (p->ops)
		drm_gpuva_ops_free(&vm->base, p->ops);
	kfree(p->unmapped);
	gvb_pt_page_list_free(&p->pages, &p->npages);
	p->ops = NULL;
	p->unmapped = NULL;
}

/* ----------------------------------------------------------- eviction */

void gvbd_bo_evict(enum gvbd_mode mode, struct gvbd_bo *bo)
{
	struct drm_gem_object *obj = &bo->base;

	/*
	 * TTM evicts under the BO resv; drm_gpuvm_bo_evict() puts each vm_bo
	 * on its VM's evict list. The walk of the gem's vm_bo list also takes
	 * the strategy's list lock, as in the model.
	 */
	dma_resv_lock(obj->resv, NULL);
	gvbd_list_lock(mode, obj);
	drm_gpuvm_bo_gem_evict(obj, true);
	gvbd_list_unlock(mode, obj);
	dma_resv_unlock(obj->resv);
}

int gvbd_vm_revalidate(struct gvbd_vm *vm)
{
	struct drm_gpuvm_exec vm_exec = {
		.vm = &vm->base,
		.flags = DRM_EXEC_IGNORE_DUPLICATES,
		.num_fences = 1,
	};
	int ret;

	/* The VM resv and every extobj resv, then validate (drops the evict list). */
	ret = drm_gpuvm_exec_lock(&vm_exec);
	if (ret)
		return ret;
	ret = drm_gpuvm_validate(&vm->base, &vm_exec.exec);
	drm_gpuvm_exec_unlock(&vm_exec);
	return ret;
}

/* ------------------------------------------------------------- checks */

/* Every VA translates to its BO's pa + offset at both ends; vm_bos belong to this VM. */
int gvbd_vm_check(struct gvbd_vm *vm)
{
	struct drm_gpuva *va;
	u64 n = 0, pa, last;
	u32 prot;
	int ret = 0;

	/* The caller keeps every other bind of this VM out; op_lock is for lockdep. */
	mutex_lock(&vm->op_lock);
	drm_gpuvm_for_each_va(va, &vm->base) {
		struct gvbd_bo *bo;

		if (va == &vm->base.kernel_alloc_node)
			continue;
		n++;
		bo = to_gvbd_bo(va->gem.obj);
		last = va->va.addr + va->va.range - SZ_4K;
		if (!va->vm_bo || va->vm_bo->vm != &vm->base || va->vm_bo->obj != va->gem.obj ||
		    gvb_pt_translate(&vm->pt, va->va.addr, &pa, &prot) ||
		    pa != bo->pa + va->gem.offset ||
		    gvb_pt_translate(&vm->pt, last, &pa, &prot) ||
		    pa != bo->pa + va->gem.offset + va->va.range - SZ_4K) {
			pr_err("check: VA [%#llx, +%#llx) does not match its page tables or vm_bo\n",
			       va->va.addr, va->va.range);
			ret = -EFAULT;
			break;
		}
	}
	if (!ret && n != vm->stats.vas) {
		pr_err("check: %llu VAs in the tree, %llu counted\n", n, vm->stats.vas);
		ret = -EFAULT;
	}
	mutex_unlock(&vm->op_lock);
	return ret;
}
