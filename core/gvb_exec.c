// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * drm_exec, reduced: lock a set of resvs with ww_mutex backoff. On
 * -EDEADLK everything is dropped and the contended lock is taken first,
 * sleeping, before the caller starts over; -EALREADY (a BO seen twice, or
 * a VM-private BO sharing the VM's resv) is not an error.
 */
#include "gvb_core.h"

void gvb_exec_init(struct gvb_exec *exec, unsigned int flags)
{
	ww_acquire_init(&exec->ctx, &reservation_ww_class);
	exec->flags = flags;
	exec->count = 0;
	exec->max = GVB_EXEC_INLINE;
	exec->objs = exec->inline_objs;
	exec->contended = NULL;
	exec->contended_bo = NULL;
	exec->backoffs = 0;
}

static int gvb_exec_record(struct gvb_exec *exec, struct dma_resv *resv, struct gvb_bo *bo)
{
	if (exec->count == exec->max) {
		unsigned int max = exec->max * 2;
		struct gvb_exec_obj *objs = kcalloc(max, sizeof(*objs), GFP_KERNEL);

		if (!objs)
			return -ENOMEM;
		memcpy(objs, exec->objs, exec->count * sizeof(*objs));
		if (exec->objs != exec->inline_objs)
			kfree(exec->objs);
		exec->objs = objs;
		exec->max = max;
	}
	exec->objs[exec->count].resv = resv;
	exec->objs[exec->count].bo = bo;
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

int gvb_exec_lock(struct gvb_exec *exec, struct dma_resv *resv, struct gvb_bo *bo)
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
		return ret;
	}
	if (ret)
		return ret;
	ret = gvb_exec_record(exec, resv, bo);
	if (ret) {
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

	gvb_exec_unlock_all(exec);
	exec->backoffs++;
	if (!resv)
		return;
	dma_resv_lock_slow(resv, &exec->ctx);
	exec->contended = NULL;
	exec->contended_bo = NULL;
	/* count is 0 here, so recording cannot need memory. */
	gvb_exec_record(exec, resv, bo);
}

void gvb_exec_fini(struct gvb_exec *exec)
{
	gvb_exec_unlock_all(exec);
	if (exec->contended_bo && (exec->flags & GVB_EXEC_REF_BOS))
		gvb_bo_put(exec->contended_bo);
	exec->contended = NULL;
	exec->contended_bo = NULL;
	if (exec->objs != exec->inline_objs)
		kfree(exec->objs);
	exec->objs = exec->inline_objs;
	ww_acquire_fini(&exec->ctx);
}

int gvb_exec_lock_range(struct gvb_exec *exec, struct gvb_vm *vm, u64 addr, u64 range,
			struct gvb_bo *bo)
{
	struct gvb_va *va;
	int ret;

retry:
	ret = gvb_exec_lock(exec, &vm->resv, NULL);
	if (ret)
		goto error;
	/* The VM resv now keeps every VA, and so every mapped BO, alive. */
	for (va = gvb_va_first(vm, addr, range); va; va = gvb_va_next(vm, va, addr, range)) {
		ret = gvb_exec_lock(exec, va->bo->resv, va->bo);
		if (ret)
			goto error;
	}
	if (bo) {
		ret = gvb_exec_lock(exec, bo->resv, bo);
		if (ret)
			goto error;
	}
	return 0;

error:
	if (ret == -EDEADLK) {
		gvb_exec_backoff(exec);
		goto retry;
	}
	return ret;
}
