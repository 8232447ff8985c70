// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * gpuva: DRM_GPUVM_IMMEDIATE_MODE as panthor runs it. The VA tree is
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
 * - run_job (panthor_vm_exec_op): op_lock, drm_gpuvm_sm_map / sm_unmap,
 *   drm_gpuva_link and drm_gpuva_unlink under the gpuva mutex, the vm_bo
 *   put inside the unlink's hold; drm_gpuvm_bo_put of the op's reference
 *   (kref_put_mutex: the mutex only for the last one).
 *
 * Acquisitions per map+unmap of a fresh vm_bo (job path, VM-private BO;
 * counted by tests/test_count.c): 3 gpuva (obtain_prealloc, link, unlink +
 * last put), 2 op_lock, 3 VM resv (the map's prepare, drm_exec of both
 * binds), 2 ww_acquire, 2 vm_lists. The sync path: 1 VM resv, 0 ww_acquire.
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

static void gpuva_vm_bo_put(struct gvb_vm_bo *vm_bo)
{
	gvb_gpuva_put_mutex(vm_bo, gvb_vm_bo_release_unlock);
}

static void gpuva_vm_bo_put_unlock(struct gvb_vm_bo *vm_bo)
{
	gvb_gpuva_put_unlock(vm_bo, gvb_vm_bo_release_unlock);
}

const struct gvb_strategy_ops gvb_strategy_gpuva = {
	.name = "gpuva",
	.desc = "gpuva list under a per-BO mutex, VA tree under a per-VM op lock (IMMEDIATE_MODE, panthor)",
	.flags = GVB_STRATEGY_IMMEDIATE | GVB_STRATEGY_SWEEP,
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
