// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * resv: upstream's default (xe, nouveau, msm). The BO's dma_resv protects
 * its gpuva list, and the ioctl holds every touched BO's resv through
 * drm_exec, which also holds a reference on each locked BO. So the last
 * vm_bo put, done right there under the resv, may drop a BO reference but
 * never the last one: the BO and its lock outlive the unlock.
 *
 * Upstream mirrored: drm_exec_init / drm_exec_until_all_locked with
 * drm_exec_prepare_obj (one fence slot each) / ww_acquire_done, then
 * drm_gpuvm_bo_obtain_locked, drm_gpuvm_sm_map / sm_unmap with
 * drm_gpuva_link / drm_gpuva_unlink (the put inside), drm_gpuvm_bo_put,
 * drm_gpuvm_resv_add_fence and drm_exec_fini.
 *
 * Acquisitions per map+unmap of a fresh vm_bo (two ioctls; counted by
 * tests/test_count.c): 2 ww_acquire, 2 VM resv (a VM-private BO shares it)
 * or 2 VM + 2 BO resv (an external BO), 0 gpuva, 2 vm_lists (the vm_bo's
 * creation and destruction).
 */
#include "gvb_strategy.h"

static int resv_op_lock(struct gvb_op *op)
{
	return gvb_staged_op_lock(op, GVB_EXEC_REF_BOS);
}

static void resv_list_lock(struct gvb_bo *bo)
{
	/* Nothing to take: the caller already holds the resv. */
	dma_resv_assert_held(bo->resv);
}

static void resv_list_unlock(struct gvb_bo *bo)
{
}

static void resv_vm_bo_put(struct gvb_vm_bo *vm_bo)
{
	dma_resv_assert_held(vm_bo->bo->resv);
	kref_put(&vm_bo->ref, gvb_vm_bo_release_locked);
}

static void resv_vm_bo_put_unlock(struct gvb_vm_bo *vm_bo)
{
	kref_put(&vm_bo->ref, gvb_vm_bo_release_held);
}

const struct gvb_strategy_ops gvb_strategy_resv = {
	.name = "resv",
	.desc = "gpuva list under the BO resv held by the ioctl; last vm_bo put immediate (upstream default)",
	.flags = GVB_STRATEGY_SWEEP,
	.op_lock = resv_op_lock,
	.op_unlock = gvb_staged_op_unlock,
	.assert_vm_serialized = gvb_staged_assert_vm,
	.vm_serialize = gvb_staged_vm_serialize,
	.vm_unserialize = gvb_staged_vm_unserialize,
	.list_lock = resv_list_lock,
	.list_unlock = resv_list_unlock,
	.assert_list_held = resv_list_lock,
	.vm_bo_put = resv_vm_bo_put,
	.vm_bo_put_unlock = resv_vm_bo_put_unlock,
};
