// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * gpuva: DRM_GPUVM_IMMEDIATE_MODE without deferred put, as panthor ran it
 * up to 6.18 (6.19's deferral is gpuva+deferred). The VA tree is
 * serialized by the VM's op_lock and each BO's gpuva list by its dedicated
 * mutex; page tables and the gpuva list change in run_job. The VM_BIND
 * ioctl still takes resvs before that (vm->bind_sync picks the path):
 *
 * - prepare (panthor_vm_prepare_map_op_ctx): drm_gpuvm_bo_create outside
 *   any lock, then under the VM resv drm_gpuvm_bo_obtain_prealloc (gpuva
 *   mutex once: find, or insert the preallocated vm_bo) and
 *   drm_gpuvm_bo_extobj_add;
 * - the job path (default; panthor_vm_bind_job_prepare_resvs and
 *   _update_resvs): drm_exec locks the VM resv and the mapped BO's, one
 *   fence slot each, and adds the job fence; the synchronous path
 *   (panthor_vm_bind_exec_sync_op) skips this;
 * - run_job (panthor_vm_exec_op): op_lock, drm_gpuvm_sm_map / sm_unmap;
 *   panthor_vma_link: drm_gpuva_link and drm_gpuvm_bo_put of the reference
 *   it was handed (the op's, or one got for a remap piece) in one hold of
 *   the gpuva mutex, never the last; panthor_vma_unlink: drm_gpuvm_bo_get,
 *   then drm_gpuva_unlink under the gpuva mutex, so its put is not the
 *   last either, and the VA goes on the op's returned list;
 * - the op-context cleanup after the job (panthor_vm_cleanup_op_ctx): each
 *   returned VA's vm_bo, and the op's own if no map step took it, through
 *   panthor_vm_bo_put: BO and VM references, VM resv, gpuva mutex, plain
 *   drm_gpuvm_bo_put (whose destroy needs both), unlock, drop references.
 *   drm_gpuvm_bo_put takes no lock itself: no put before 6.19 could run in
 *   run_job, where the resv may not be taken.
 *
 * Acquisitions per map+unmap of a fresh vm_bo (job path, VM-private BO;
 * counted by tests/test_count.c): 4 gpuva (obtain_prealloc, link, unlink,
 * the cleanup's last put), 2 op_lock, 4 VM resv (the map's prepare,
 * drm_exec of both binds, the unmap's cleanup put), 2 ww_acquire,
 * 2 vm_lists. The sync path: 2 VM resv, 0 ww_acquire. Every unmapped VA
 * costs a VM resv and a gpuva mutex in the cleanup, last put or not.
 */
#include "gvb_strategy.h"

static void gpuva_list_lock(struct gvb_bo *bo)
{
	gvb_gpuva_lock(bo);
}

static void gpuva_assert_list_held(struct gvb_bo *bo)
{
	lockdep_assert_held(&bo->gpuva.lock);
}

/* panthor_vm_bo_put(): only from the op's cleanup, never under op_lock. */
static void gpuva_vm_bo_put(struct gvb_vm_bo *vm_bo)
{
	struct gvb_vm *vm = vm_bo->vm;
	struct gvb_bo *bo = vm_bo->bo;

	/* A last put drops the vm_bo's BO and VM references: ours keep the locks alive. */
	gvb_bo_get(bo);
	gvb_vm_get(vm);
	gvb_vm_resv_lock(vm);
	gvb_gpuva_lock(bo);
	kref_put(&vm_bo->ref, gvb_vm_bo_release_held);
	gvb_gpuva_unlock(bo);
	gvb_vm_resv_unlock(vm);
	gvb_vm_put(vm);
	gvb_bo_put(bo);
}

static void gpuva_vm_bo_put_unlock(struct gvb_vm_bo *vm_bo)
{
	gvb_gpuva_put_unlock(vm_bo, gvb_vm_bo_release_unlock);
}

const struct gvb_strategy_ops gvb_strategy_gpuva = {
	.name = "gpuva",
	.desc = "gpuva list under a per-BO mutex, VA tree under a per-VM op lock (IMMEDIATE_MODE, panthor)",
	.flags = GVB_STRATEGY_IMMEDIATE | GVB_STRATEGY_SWEEP | GVB_STRATEGY_PUT_AFTER_JOB,
	.op_lock = gvb_immediate_op_lock,
	.op_unlock = gvb_immediate_op_unlock,
	.assert_vm_serialized = gvb_immediate_assert_vm,
	.vm_serialize = gvb_immediate_vm_serialize,
	.vm_unserialize = gvb_immediate_vm_unserialize,
	.list_lock = gpuva_list_lock,
	.list_unlock = gvb_gpuva_unlock,
	.assert_list_held = gpuva_assert_list_held,
	.vm_bo_put = gpuva_vm_bo_put,
	.vm_bo_put_unlock = gpuva_vm_bo_put_unlock,
};
