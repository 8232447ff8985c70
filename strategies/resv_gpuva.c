// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * resv+gpuva: the Rust v2 proposal. Everything as in resv, plus the BO's
 * dedicated gpuva mutex around every gpuva list operation. The resv is
 * already held, so that mutex is always free: this strategy measures
 * exactly the cost of one extra uncontended lock per list operation.
 */
#include "gvb_strategy.h"

static int resv_gpuva_op_lock(struct gvb_op *op)
{
	return gvb_staged_op_lock(op, GVB_EXEC_REF_BOS);
}

static void resv_gpuva_list_lock(struct gvb_bo *bo)
{
	dma_resv_assert_held(bo->resv);
	mutex_lock(&bo->gpuva.lock);
}

static void resv_gpuva_list_unlock(struct gvb_bo *bo)
{
	mutex_unlock(&bo->gpuva.lock);
}

static void resv_gpuva_assert_list_held(struct gvb_bo *bo)
{
	dma_resv_assert_held(bo->resv);
	lockdep_assert_held(&bo->gpuva.lock);
}

static void resv_gpuva_vm_bo_put(struct gvb_vm_bo *vm_bo)
{
	dma_resv_assert_held(vm_bo->bo->resv);
	kref_put(&vm_bo->ref, gvb_vm_bo_release_locked);
}

const struct gvb_strategy_ops gvb_strategy_resv_gpuva = {
	.name = "resv+gpuva",
	.desc = "BO resv held and an always-free gpuva mutex around each list op (Rust v2 proposal)",
	.flags = GVB_STRATEGY_SWEEP,
	.op_lock = resv_gpuva_op_lock,
	.op_unlock = gvb_staged_op_unlock,
	.assert_vm_serialized = gvb_staged_assert_vm,
	.vm_serialize = gvb_staged_vm_serialize,
	.vm_unserialize = gvb_staged_vm_unserialize,
	.list_lock = resv_gpuva_list_lock,
	.list_unlock = resv_gpuva_list_unlock,
	.assert_list_held = resv_gpuva_assert_list_held,
	.vm_bo_put = resv_gpuva_vm_bo_put,
};
