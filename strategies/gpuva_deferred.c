// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * gpuva+deferred: IMMEDIATE_MODE plus deferred vm_bo put (6.19, upstream's
 * choice). The final put still goes through kref_put_mutex(), but the
 * release only unlinks the vm_bo from the BO's list, turning it into a
 * zombie, drops the mutex, and pushes it on the VM's defer llist. Cleanup
 * later removes it from the VM's lists and drops its VM and BO references
 * in a context where sleeping is fine: by default right after the bind
 * drops its locks, as panthor does when it cleans up a bind job; with
 * vm->defer_async in a worker (see gvb_vm_bo_defer()).
 */
#include "gvb_strategy.h"

static void gpuva_deferred_op_unlock(struct gvb_op *op)
{
	gvb_immediate_op_unlock(op);
	if (!op->vm->defer_async)
		gvb_vm_deferred_cleanup(op->vm);
}

static void gpuva_deferred_list_lock(struct gvb_bo *bo)
{
	mutex_lock(&bo->gpuva.lock);
}

static void gpuva_deferred_list_unlock(struct gvb_bo *bo)
{
	mutex_unlock(&bo->gpuva.lock);
}

static void gpuva_deferred_assert_list_held(struct gvb_bo *bo)
{
	lockdep_assert_held(&bo->gpuva.lock);
}

static void gpuva_deferred_vm_bo_put(struct gvb_vm_bo *vm_bo)
{
	kref_put_mutex(&vm_bo->ref, gvb_vm_bo_release_defer, &vm_bo->bo->gpuva.lock);
}

const struct gvb_strategy_ops gvb_strategy_gpuva_deferred = {
	.name = "gpuva+deferred",
	.desc = "gpuva mutex, last vm_bo put deferred to a cleanup worker (IMMEDIATE_MODE + 6.19 defer)",
	.flags = GVB_STRATEGY_IMMEDIATE | GVB_STRATEGY_SWEEP,
	.op_lock = gvb_immediate_op_lock,
	.op_unlock = gpuva_deferred_op_unlock,
	.assert_vm_serialized = gvb_immediate_assert_vm,
	.vm_serialize = gvb_immediate_vm_serialize,
	.vm_unserialize = gvb_immediate_vm_unserialize,
	.list_lock = gpuva_deferred_list_lock,
	.list_unlock = gpuva_deferred_list_unlock,
	.assert_list_held = gpuva_deferred_assert_list_held,
	.vm_bo_put = gpuva_deferred_vm_bo_put,
	.deferred_cleanup = gvb_vm_deferred_cleanup,
};
