// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * gpuva: DRM_GPUVM_IMMEDIATE_MODE (panthor). No resv on the map/unmap path:
 * the VA tree is serialized by the VM's op_lock and each BO's gpuva list by
 * its dedicated mutex. The last vm_bo put goes through kref_put_mutex(), so
 * the mutex is taken only when the count reaches zero, and the release drops
 * it before putting the BO: the lock is never freed while held.
 */
#include "gvb_strategy.h"

static void gpuva_list_lock(struct gvb_bo *bo)
{
	mutex_lock(&bo->gpuva.lock);
}

static void gpuva_list_unlock(struct gvb_bo *bo)
{
	mutex_unlock(&bo->gpuva.lock);
}

static void gpuva_assert_list_held(struct gvb_bo *bo)
{
	lockdep_assert_held(&bo->gpuva.lock);
}

static void gpuva_vm_bo_put(struct gvb_vm_bo *vm_bo)
{
	kref_put_mutex(&vm_bo->ref, gvb_vm_bo_release_unlock, &vm_bo->bo->gpuva.lock);
}

const struct gvb_strategy_ops gvb_strategy_gpuva = {
	.name = "gpuva",
	.desc = "gpuva list under a per-BO mutex only, VA tree under a per-VM op lock (IMMEDIATE_MODE)",
	.flags = GVB_STRATEGY_IMMEDIATE | GVB_STRATEGY_SWEEP,
	.op_lock = gvb_immediate_op_lock,
	.op_unlock = gvb_immediate_op_unlock,
	.assert_vm_serialized = gvb_immediate_assert_vm,
	.vm_serialize = gvb_immediate_vm_serialize,
	.vm_unserialize = gvb_immediate_vm_unserialize,
	.list_lock = gpuva_list_lock,
	.list_unlock = gpuva_list_unlock,
	.assert_list_held = gpuva_assert_list_held,
	.vm_bo_put = gpuva_vm_bo_put,
};
