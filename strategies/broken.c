// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * broken: a negative control, like locktorture's lock_busted. It is resv,
 * except that the ioctl locks each BO's resv WITHOUT holding a reference
 * on the BO. When an unmap drops the last VA of the last vm_bo of a BO
 * whose creator already dropped its reference, the vm_bo release frees the
 * BO, and its resv, while that resv is held; the unlock then writes to
 * freed memory. This is the hazard from the review thread. The tests
 * expect it to be caught (ASan/KASAN report a use-after-free); it is never
 * part of a default sweep.
 */
#include "gvb_strategy.h"

static int broken_op_lock(struct gvb_op *op)
{
	return gvb_staged_op_lock(op, 0);	/* the missing GVB_EXEC_REF_BOS */
}

static void broken_list_lock(struct gvb_bo *bo)
{
	dma_resv_assert_held(bo->resv);
}

static void broken_list_unlock(struct gvb_bo *bo)
{
}

static void broken_vm_bo_put_unlock(struct gvb_vm_bo *vm_bo)
{
	kref_put(&vm_bo->ref, gvb_vm_bo_release_held);
}

static void broken_vm_bo_put(struct gvb_vm_bo *vm_bo)
{
	dma_resv_assert_held(vm_bo->bo->resv);
	kref_put(&vm_bo->ref, gvb_vm_bo_release_locked);
}

const struct gvb_strategy_ops gvb_strategy_broken = {
	.name = "broken",
	.desc = "NEGATIVE CONTROL: resv minus the BO ref; the tests catch it, a run only under ASan/KASAN",
	.flags = GVB_STRATEGY_BROKEN,
	.op_lock = broken_op_lock,
	.op_unlock = gvb_staged_op_unlock,
	.assert_vm_serialized = gvb_staged_assert_vm,
	.vm_serialize = gvb_staged_vm_serialize,
	.vm_unserialize = gvb_staged_vm_unserialize,
	.list_lock = broken_list_lock,
	.list_unlock = broken_list_unlock,
	.assert_list_held = broken_list_lock,
	.vm_bo_put = broken_vm_bo_put,
	.vm_bo_put_unlock = broken_vm_bo_put_unlock,
};
