// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * resv+gpuva: the Rust v2 proposal (and panthor <= 6.17 around obtain).
 * Everything as in resv, plus the BO's dedicated gpuva mutex taken by every
 * writer of the gpuva list. The resv is already held, so that mutex is
 * always free: this strategy measures exactly the cost of the extra,
 * uncontended lock. Readers (the find in obtain) hold the resv, which every
 * writer holds too, so they need no mutex.
 *
 * Upstream mirrored: as resv (drm_exec, drm_gpuvm_bo_obtain_locked,
 * drm_gpuva_link, drm_gpuva_unlink, drm_gpuvm_bo_put), with
 * mutex_lock(&obj->gpuva.lock) around the insert of obtain, around link,
 * and around unlink with the vm_bo put inside the hold.
 *
 * Acquisitions per map+unmap, beyond resv's: 3 gpuva for a fresh vm_bo
 * (obtain's insert, link, unlink + last put), 2 when the vm_bo exists
 * already (link, unlink).
 */
#include "gvb_strategy.h"

static int resv_gpuva_op_lock(struct gvb_op *op)
{
	return gvb_staged_op_lock(op, GVB_EXEC_REF_BOS);
}

static void resv_gpuva_list_lock(struct gvb_bo *bo)
{
	dma_resv_assert_held(bo->resv);
	gvb_gpuva_lock(bo);
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

static void resv_gpuva_vm_bo_put_unlock(struct gvb_vm_bo *vm_bo)
{
	gvb_gpuva_put_unlock(vm_bo, gvb_vm_bo_release_unlock);
}

const struct gvb_strategy_ops gvb_strategy_resv_gpuva = {
	.name = "resv+gpuva",
	.desc = "BO resv held and an always-free gpuva mutex around each list write (Rust v2 proposal)",
	.flags = GVB_STRATEGY_SWEEP,
	.op_lock = resv_gpuva_op_lock,
	.op_unlock = gvb_staged_op_unlock,
	.assert_vm_serialized = gvb_staged_assert_vm,
	.vm_serialize = gvb_staged_vm_serialize,
	.vm_unserialize = gvb_staged_vm_unserialize,
	.list_lock = resv_gpuva_list_lock,
	.list_unlock = gvb_gpuva_unlock,
	.assert_list_held = resv_gpuva_assert_list_held,
	.vm_bo_put = resv_gpuva_vm_bo_put,
	.vm_bo_put_unlock = resv_gpuva_vm_bo_put_unlock,
};
