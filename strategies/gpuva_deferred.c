// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * gpuva+deferred: IMMEDIATE_MODE plus deferred vm_bo put (6.19, upstream's
 * choice, and what the Rust GPUVM abstraction uses). As gpuva, except that
 * no last put frees anything where it happens:
 *
 * - drm_gpuva_unlink_defer: the gpuva mutex once, the VA off the list and
 *   the vm_bo put inside; a last put turns the vm_bo into a zombie
 *   (refcount 0, off the BO's list, still on the VM's lists), and after the
 *   unlock it goes on the VM's defer llist;
 * - drm_gpuvm_bo_put_deferred (the op's own reference): kref_put_mutex, so
 *   the mutex only for the final put;
 * - drm_gpuvm_bo_deferred_cleanup: the VM resv once for the whole batch of
 *   zombies, to take them off the VM's lists, then their VM and BO
 *   references dropped. It runs right after the bind drops its locks, as
 *   panthor's job cleanup does, or with vm->defer_async in a worker (see
 *   gvb_vm_bo_defer()).
 *
 * Acquisitions per map+unmap of a fresh vm_bo: those of gpuva, plus one VM
 * resv for the cleanup of the zombie (and one vm_lists for its statistics).
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
	gvb_gpuva_lock(bo);
}

static void gpuva_deferred_assert_list_held(struct gvb_bo *bo)
{
	lockdep_assert_held(&bo->gpuva.lock);
}

static void gpuva_deferred_vm_bo_put(struct gvb_vm_bo *vm_bo)
{
	gvb_gpuva_put_mutex(vm_bo, gvb_vm_bo_release_defer);
}

static void gpuva_deferred_vm_bo_put_unlock(struct gvb_vm_bo *vm_bo)
{
	gvb_gpuva_put_unlock(vm_bo, gvb_vm_bo_release_defer);
}

const struct gvb_strategy_ops gvb_strategy_gpuva_deferred = {
	.name = "gpuva+deferred",
	.desc = "gpuva mutex, last vm_bo put deferred to a cleanup under the VM resv (6.19 defer)",
	.flags = GVB_STRATEGY_IMMEDIATE | GVB_STRATEGY_SWEEP | GVB_STRATEGY_DEFERS,
	.op_lock = gvb_immediate_op_lock,
	.op_unlock = gpuva_deferred_op_unlock,
	.assert_vm_serialized = gvb_immediate_assert_vm,
	.vm_serialize = gvb_immediate_vm_serialize,
	.vm_unserialize = gvb_immediate_vm_unserialize,
	.list_lock = gpuva_deferred_list_lock,
	.list_unlock = gvb_gpuva_unlock,
	.assert_list_held = gpuva_deferred_assert_list_held,
	.vm_bo_put = gpuva_deferred_vm_bo_put,
	.vm_bo_put_unlock = gpuva_deferred_vm_bo_put_unlock,
	.deferred_cleanup = gvb_vm_deferred_cleanup,
};
