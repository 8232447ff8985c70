// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * drm_exec (drivers/gpu/drm/drm_exec.c): lock a set of resvs with ww_mutex
 * backoff. On -EDEADLK everything is dropped and the contended lock is
 * taken first, sleeping, before the caller starts over; -EALREADY (a BO
 * seen twice, or a VM-private BO sharing the VM's resv) is not an error.
 * Its costs are modelled as upstream pays them: drm_exec_init()'s
 * kvmalloc'd page of object pointers, drm_exec_prepare_obj()'s
 * dma_resv_reserve_fences() per object, ww_acquire_done() once all is
 * locked, and the fence the driver adds to every object before
 * drm_exec_fini().
 */
#include "gvb_core.h"
#include "gvb_count.h"

#define GVB_EXEC_PAGE_OBJS	(PAGE_SIZE / sizeof(struct gvb_exec_obj))

void gvb_exec_init(struct gvb_exec *exec, unsigned int flags)
{
	gvb_count(GVB_LOCK_WW_ACQUIRE);
	ww_acquire_init(&exec->ctx, &reservation_ww_class);
	exec->flags = flags;
	exec->count = 0;
	/*
	 * drm_exec_init() allocates its page of object pointers here and, when
	 * that fails, retries at the first lock. The model makes that first
	 * lock the only place: the same one page per transaction, but one
	 * allocation site whose failure always reaches the caller as -ENOMEM
	 * (so the fault-injection walk can fail it).
	 */
	exec->objs = NULL;
	exec->max = 0;
	exec->contended = NULL;
	exec->contended_bo = NULL;
	exec->contended_fences = NULL;
	exec->backoffs = 0;
}

/* dma_resv_reserve_fences(obj, 1): room for one more fence. */
static int gvb_fences_reserve(struct gvb_fences *f)
{
	struct gvb_fence_slot *slots;
	unsigned int max;

	if (f->count < f->max)
		return 0;
	max = max(4u, f->max * 2);
	slots = kcalloc(max, sizeof(*slots), GFP_KERNEL);
	if (!slots)
		return -ENOMEM;
	if (f->count)
		memcpy(slots, f->slots, f->count * sizeof(*slots));
	kfree(f->slots);
	f->slots = slots;
	f->max = max;
	return 0;
}

static void gvb_fences_add(struct gvb_fences *f, u64 context, u64 seqno)
{
	unsigned int i;

	for (i = 0; i < f->count; i++) {
		if (f->slots[i].context == context) {
			f->slots[i].seqno = seqno;
			return;
		}
	}
	/* The slot reserved at lock time. */
	if (WARN_ON(f->count >= f->max))
		return;
	f->slots[f->count].context = context;
	f->slots[f->count].seqno = seqno;
	f->count++;
}

static void gvb_exec_count_resv(struct gvb_bo *bo)
{
	gvb_count(!bo || bo->private_vm ? GVB_LOCK_VM_RESV : GVB_LOCK_BO_RESV);
}

static int gvb_exec_record(struct gvb_exec *exec, struct dma_resv *resv, struct gvb_bo *bo,
			   struct gvb_fences *fences)
{
	if (exec->count == exec->max) {
		unsigned int max = max(exec->max * 2, (unsigned int)GVB_EXEC_PAGE_OBJS);
		struct gvb_exec_obj *objs = kvmalloc_array(max, sizeof(*objs), GFP_KERNEL);

		if (!objs)
			return -ENOMEM;
		if (exec->count)
			memcpy(objs, exec->objs, exec->count * sizeof(*objs));
		kvfree(exec->objs);
		exec->objs = objs;
		exec->max = max;
	}
	exec->objs[exec->count].resv = resv;
	exec->objs[exec->count].bo = bo;
	exec->objs[exec->count].fences = fences;
	exec->count++;
	return 0;
}

static void gvb_exec_unlock_all(struct gvb_exec *exec)
{
	while (exec->count) {
		struct gvb_exec_obj *obj = &exec->objs[--exec->count];

		dma_resv_unlock(obj->resv);
		/* After the unlock: this may be the last reference. */
		if (obj->bo && (exec->flags & GVB_EXEC_REF_BOS))
			gvb_bo_put(obj->bo);
	}
}

int gvb_exec_lock(struct gvb_exec *exec, struct dma_resv *resv, struct gvb_bo *bo,
		  struct gvb_fences *fences)
{
	int ret;

	ret = dma_resv_lock(resv, &exec->ctx);
	if (ret == -EALREADY)
		return 0;
	if (ret == -EDEADLK) {
		/* Keep the BO alive while we sleep on it without the VM resv. */
		if (bo && (exec->flags & GVB_EXEC_REF_BOS))
			gvb_bo_get(bo);
		exec->contended = resv;
		exec->contended_bo = bo;
		exec->contended_fences = fences;
		return ret;
	}
	if (ret)
		return ret;
	gvb_exec_count_resv(bo);
	ret = gvb_exec_record(exec, resv, bo, fences);
	if (!ret)
		ret = gvb_fences_reserve(fences);
	if (ret) {
		if (exec->count && exec->objs[exec->count - 1].resv == resv)
			exec->count--;
		dma_resv_unlock(resv);
		return ret;
	}
	if (bo && (exec->flags & GVB_EXEC_REF_BOS))
		gvb_bo_get(bo);
	return 0;
}

void gvb_exec_backoff(struct gvb_exec *exec)
{
	struct dma_resv *resv = exec->contended;
	struct gvb_bo *bo = exec->contended_bo;
	struct gvb_fences *fences = exec->contended_fences;

	gvb_exec_unlock_all(exec);
	exec->backoffs++;
	if (!resv)
		return;
	dma_resv_lock_slow(resv, &exec->ctx);
	gvb_exec_count_resv(bo);
	exec->contended = NULL;
	exec->contended_bo = NULL;
	exec->contended_fences = NULL;
	/*
	 * With count 0 the record needs memory only if the first array could
	 * not be had; the fence slot is reserved again when the caller's retry
	 * meets this resv (-EALREADY then), so reserve it here.
	 */
	if (gvb_exec_record(exec, resv, bo, fences) || gvb_fences_reserve(fences)) {
		exec->count = 0;
		dma_resv_unlock(resv);
		if (bo && (exec->flags & GVB_EXEC_REF_BOS))
			gvb_bo_put(bo);
	}
}

void gvb_exec_add_fence(struct gvb_exec *exec, u64 context, u64 seqno)
{
	unsigned int i;

	for (i = 0; i < exec->count; i++)
		gvb_fences_add(exec->objs[i].fences, context, seqno);
}

void gvb_exec_fini(struct gvb_exec *exec)
{
	gvb_exec_unlock_all(exec);
	if (exec->contended_bo && (exec->flags & GVB_EXEC_REF_BOS))
		gvb_bo_put(exec->contended_bo);
	exec->contended = NULL;
	exec->contended_bo = NULL;
	exec->contended_fences = NULL;
	kvfree(exec->objs);
	exec->objs = NULL;
	exec->max = 0;
	ww_acquire_fini(&exec->ctx);
}

static struct gvb_fences *gvb_bo_fences(struct gvb_bo *bo)
{
	return bo->private_vm ? &bo->private_vm->fences : &bo->fences;
}

int gvb_exec_lock_range(struct gvb_exec *exec, struct gvb_vm *vm, u64 addr, u64 range,
			struct gvb_bo *bo)
{
	struct gvb_va *va;
	int ret;

retry:
	ret = gvb_exec_lock(exec, &vm->resv, NULL, &vm->fences);
	if (ret)
		goto error;
	/* The VM resv now keeps every VA, and so every mapped BO, alive. */
	for (va = range ? gvb_va_first(vm, addr, range) : NULL; va;
	     va = gvb_va_next(vm, va, addr, range)) {
		ret = gvb_exec_lock(exec, va->bo->resv, va->bo, gvb_bo_fences(va->bo));
		if (ret)
			goto error;
	}
	if (bo) {
		ret = gvb_exec_lock(exec, bo->resv, bo, gvb_bo_fences(bo));
		if (ret)
			goto error;
	}
	ww_acquire_done(&exec->ctx);
	return 0;

error:
	if (ret == -EDEADLK) {
		gvb_exec_backoff(exec);
		goto retry;
	}
	return ret;
}
