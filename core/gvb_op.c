// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The VM_BIND paths: what a driver's ioctl (staged) or run_job (immediate)
 * does around the split/merge walk. Everything that can fail happens before
 * the first step: VAs are preallocated (three for a map, as panthor does:
 * the new VA plus a prev and a next piece), the vm_bo is obtained, and the
 * page-table pages are bought. The steps themselves then cannot fail, which
 * is what lets a map or unmap either complete or change nothing.
 *
 * Page-table pages: with the format's own policy (the default) an op buys
 * its worst case in bulk before taking any lock and frees what it did not
 * use after dropping them, as panthor does (panthor_vm_op_ctx_prealloc_pts
 * and panthor_vm_cleanup_op_ctx). With pt->reclaim (xe-style) it tops up
 * the VM's page cache under the locks, as before.
 *
 * Upstream calls mirrored per step: a map step is drm_gpuva_map +
 * drm_gpuva_link (list lock once), an unmap step drm_gpuva_unmap +
 * drm_gpuva_unlink (list lock once, the vm_bo put inside that hold).
 * GVB_STRATEGY_PUT_AFTER_JOB mirrors panthor 6.18's panthor_vma_link (the
 * reference handed to the link put inside its hold, never the last) and
 * panthor_vma_unlink (a reference kept across the unlink, put by the op's
 * cleanup after the job, panthor_vm_cleanup_op_ctx).
 */
#include "gvb_strategy.h"

static int gvb_op_validate(struct gvb_vm *vm, struct gvb_bo *bo, u64 addr, u64 range,
			   u64 offset)
{
	u64 end, bo_end;

	if (!range || !IS_ALIGNED(addr | range, GVB_PAGE) ||
	    check_add_overflow(addr, range, &end) || addr < vm->va_start || end > vm->va_end)
		return -EINVAL;
	if (!bo)
		return 0;
	if (!IS_ALIGNED(offset, GVB_PAGE) || check_add_overflow(offset, range, &bo_end) ||
	    bo_end > bo->size)
		return -EINVAL;
	/* A BO's mode is fixed, and a VM-private BO maps only in its own VM. */
	if (bo->ops != vm->ops || (bo->private_vm && bo->private_vm != vm))
		return -EINVAL;
	return 0;
}

static void gvb_op_init(struct gvb_op *op, struct gvb_vm *vm, struct gvb_bo *bo, u64 addr,
			u64 range, u64 offset, u32 prot)
{
	memset(op, 0, sizeof(*op));
	op->vm = vm;
	op->bo = bo;
	op->addr = addr;
	op->range = range;
	op->offset = offset;
	op->prot = prot;
	INIT_LIST_HEAD(&op->returned_vas);
}

static bool gvb_op_put_after_job(const struct gvb_op *op)
{
	return op->vm->ops->flags & GVB_STRATEGY_PUT_AFTER_JOB;
}

/* The VAs the op unlinked drop their vm_bo references now, outside run_job. */
static void gvb_op_put_returned_vas(struct gvb_op *op)
{
	struct gvb_va *va, *next;

	list_for_each_entry_safe(va, next, &op->returned_vas, vm_link) {
		list_del(&va->vm_link);
		gvb_vm_bo_put(va->vm_bo);
		gvb_va_free(va);
	}
}

static int gvb_op_prealloc_vas(struct gvb_op *op)
{
	unsigned int i, n = op->bo ? 3 : 2;

	for (i = 0; i < n; i++) {
		op->prealloc_va[i] = gvb_va_alloc();
		if (!op->prealloc_va[i])
			return -ENOMEM;
	}
	return 0;
}

static void gvb_op_fini(struct gvb_op *op)
{
	unsigned int i;

	/*
	 * An immediate op obtained in prepare and never committed (or, with
	 * GVB_STRATEGY_PUT_AFTER_JOB, whose map step never ran). Its put may
	 * make a zombie; the failed bind cleans it up as its job cleanup would
	 * (panthor's op-context cleanup), so a failed op leaves nothing behind.
	 */
	if (op->vm_bo) {
		gvb_vm_bo_put(op->vm_bo);
		op->vm_bo = NULL;
		if (op->vm->ops->deferred_cleanup && !op->vm->defer_async)
			op->vm->ops->deferred_cleanup(op->vm);
	}
	gvb_op_put_returned_vas(op);
	for (i = 0; i < ARRAY_SIZE(op->prealloc_va); i++)
		gvb_va_free(op->prealloc_va[i]);
	if (op->prealloc_vm_bo)
		gvb_vm_bo_free_unused(op->prealloc_vm_bo);
	gvb_pt_page_list_free(&op->pt_reserved, &op->pt_reserved_count);
}

static struct gvb_va *gvb_op_take_va(struct gvb_op *op)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(op->prealloc_va); i++) {
		struct gvb_va *va = op->prealloc_va[i];

		if (va) {
			op->prealloc_va[i] = NULL;
			return va;
		}
	}
	/* The walk emits at most one map, one prev and one next piece. */
	BUG();
}

/*
 * Upper bound of page-table pages the steps can allocate. The format's
 * driver count (gvb_pt_op_pages()) by default; with reclaim the generous
 * bound of before: a map needs new levels over its whole range; unmapping
 * only splits blocks, at the two ends of the range, where a split never
 * needs more tables than mapping one page there.
 */
static unsigned int gvb_op_pt_pages(struct gvb_op *op)
{
	struct gvb_pt *pt = &op->vm->pt;
	u64 last = op->addr + op->range - GVB_PAGE;
	unsigned int n;

	if (!pt->reclaim)
		return gvb_pt_op_pages(pt, op->addr, op->range, op->bo);
	n = gvb_pt_pages_needed(pt, op->addr, GVB_PAGE) + gvb_pt_pages_needed(pt, last, GVB_PAGE);
	if (op->bo)
		n += gvb_pt_pages_needed(pt, op->addr, op->range);
	return n;
}

/* ---------------------------------------------------------------- steps */

/*
 * With GVB_STRATEGY_PUT_AFTER_JOB the link consumes a reference the caller
 * hands over, put inside the same hold: the VA holds one now, so that put
 * is never the last and never needs the VM resv.
 */
static void gvb_op_link_va(struct gvb_op *op, struct gvb_va *va, struct gvb_vm_bo *vm_bo)
{
	struct gvb_bo *bo = vm_bo->bo;

	gvb_va_insert(op->vm, va);
	bo->ops->list_lock(bo);
	gvb_va_link(va, vm_bo);
	if (gvb_op_put_after_job(op))
		WARN_ON(kref_put(&vm_bo->ref, gvb_vm_bo_release_held));
	bo->ops->list_unlock(bo);
}

/*
 * Unlinks @va, dropping its vm_bo reference inside the list lock's hold,
 * and frees it; with GVB_STRATEGY_PUT_AFTER_JOB a reference taken first
 * keeps that put from being the last, and @va waits for the op's cleanup.
 */
static void gvb_op_drop_va(struct gvb_op *op, struct gvb_va *va)
{
	struct gvb_bo *bo = va->bo;
	bool keep = gvb_op_put_after_job(op);
	struct gvb_vm_bo *vm_bo;

	gvb_va_remove(op->vm, va);
	if (keep)
		kref_get(&va->vm_bo->ref);
	bo->ops->list_lock(bo);
	vm_bo = gvb_va_unlink(va);
	bo->ops->vm_bo_put_unlock(vm_bo);
	if (keep) {
		va->vm_bo = vm_bo;
		list_add_tail(&va->vm_link, &op->returned_vas);
	} else {
		gvb_va_free(va);
	}
}

static int gvb_op_step_map(void *priv, const struct gvb_op_map *m)
{
	struct gvb_op *op = priv;
	struct gvb_va *va = gvb_op_take_va(op);

	if (unlikely(op->vm->trace))
		op->vm->trace->step_map(op->vm->trace_priv, m);
	va->addr = m->addr;
	va->range = m->range;
	va->offset = m->offset;
	va->bo = m->bo;
	va->prot = op->prot;
	gvb_op_link_va(op, va, op->vm_bo);
	if (gvb_op_put_after_job(op))
		op->vm_bo = NULL;	/* the link consumed the op's reference */
	op->vm->stats.map_steps++;
	return gvb_pt_map(&op->vm->pt, m->addr, m->bo->pa + m->offset, m->range, op->prot);
}

static int gvb_op_step_unmap(void *priv, const struct gvb_op_unmap *u)
{
	struct gvb_op *op = priv;
	struct gvb_va *va = u->va;
	int ret;

	if (unlikely(op->vm->trace))
		op->vm->trace->step_unmap(op->vm->trace_priv, u);
	ret = gvb_pt_unmap(&op->vm->pt, va->addr, va->range);
	gvb_op_drop_va(op, va);
	op->vm->stats.unmap_steps++;
	return ret;
}

static struct gvb_va *gvb_op_piece(struct gvb_op *op, const struct gvb_op_map *m, u32 prot)
{
	struct gvb_va *va = gvb_op_take_va(op);

	va->addr = m->addr;
	va->range = m->range;
	va->offset = m->offset;
	va->bo = m->bo;
	va->prot = prot;
	return va;
}

/* The reference a piece's link consumes with GVB_STRATEGY_PUT_AFTER_JOB. */
static struct gvb_vm_bo *gvb_op_piece_ref(struct gvb_op *op, struct gvb_vm_bo *vm_bo)
{
	if (gvb_op_put_after_job(op))
		kref_get(&vm_bo->ref);
	return vm_bo;
}

static int gvb_op_step_remap(void *priv, const struct gvb_op_remap *r)
{
	struct gvb_op *op = priv;
	struct gvb_va *old = r->unmap->va;
	struct gvb_vm_bo *vm_bo = old->vm_bo;
	u64 cut_start = r->prev ? r->prev->addr + r->prev->range : old->addr;
	u64 cut_end = r->next ? r->next->addr : old->addr + old->range;
	int ret;

	if (unlikely(op->vm->trace))
		op->vm->trace->step_remap(op->vm->trace_priv, r);
	/* Only the covered middle leaves the page table; the pieces stay mapped. */
	ret = gvb_pt_unmap(&op->vm->pt, cut_start, cut_end - cut_start);
	/*
	 * Link the pieces before unlinking the old VA, so the vm_bo never
	 * passes through a zero count in between.
	 */
	if (r->prev)
		gvb_op_link_va(op, gvb_op_piece(op, r->prev, old->prot),
			       gvb_op_piece_ref(op, vm_bo));
	if (r->next)
		gvb_op_link_va(op, gvb_op_piece(op, r->next, old->prot),
			       gvb_op_piece_ref(op, vm_bo));
	gvb_op_drop_va(op, old);
	op->vm->stats.remap_steps++;
	return ret;
}

static const struct gvb_sm_ops gvb_op_sm_ops = {
	.step_map = gvb_op_step_map,
	.step_remap = gvb_op_step_remap,
	.step_unmap = gvb_op_step_unmap,
};

/* --------------------------------------------------------------- commit */

static int gvb_op_run(struct gvb_op *op)
{
	const struct gvb_strategy_ops *ops = op->vm->ops;
	struct gvb_pt *pt = &op->vm->pt;
	int ret;

	ret = ops->op_lock(op);
	if (ret)
		return ret;

	/*
	 * A prepared op brought everything with it: from here on, anything
	 * that still wants memory is a bug and says so (WARN, -ENOMEM).
	 */
	if (op->prepared)
		pt->no_alloc = true;
	if (op->pt_reserved) {
		pt->reserve = op->pt_reserved;
		pt->reserve_count = op->pt_reserved_count;
	}
	/* Immediate mode obtained it in prepare, under the VM resv. */
	if (op->bo && !op->vm_bo) {
		if (op->prealloc_vm_bo) {
			op->vm_bo = gvb_vm_bo_obtain_prealloc(op->prealloc_vm_bo);
			op->prealloc_vm_bo = NULL;
		} else {
			op->vm_bo = gvb_vm_bo_obtain(op->vm, op->bo);
		}
		if (!op->vm_bo) {
			ret = -ENOMEM;
			goto unlock;
		}
	}
	if (!op->prepared && pt->reclaim) {
		ret = gvb_pt_prealloc(pt, op->pt_pages);
		if (ret)
			goto put;
	}

	/* Past this point nothing may allocate: it could not be undone. */
	pt->no_alloc = true;
	if (op->bo) {
		struct gvb_op_map req = {
			.addr = op->addr, .range = op->range, .offset = op->offset, .bo = op->bo,
		};

		ret = gvb_sm_map(op->vm, &req, &gvb_op_sm_ops, op);
	} else {
		ret = gvb_sm_unmap(op->vm, op->addr, op->range, &gvb_op_sm_ops, op);
	}
	WARN_ON(ret);

put:
	/* The VA holds its own reference; a put that may take the resv waits for cleanup. */
	if (op->vm_bo && !gvb_op_put_after_job(op)) {
		gvb_vm_bo_put(op->vm_bo);
		op->vm_bo = NULL;
	}
unlock:
	if (pt->reserve || op->pt_reserved) {
		/* What the op did not use goes back with it, freed after the unlock. */
		op->pt_reserved = pt->reserve;
		op->pt_reserved_count = pt->reserve_count;
		pt->reserve = NULL;
		pt->reserve_count = 0;
	}
	pt->no_alloc = false;
	ops->op_unlock(op);
	return ret;
}

/*
 * Everything an op buys before any lock: VAs, for immediate mode (and
 * two-pass ops) the vm_bo, page-table pages unless reclaiming, and for
 * immediate mode panthor's prepare (gvb_immediate_prepare()).
 */
static int gvb_op_prealloc(struct gvb_op *op)
{
	const struct gvb_strategy_ops *ops = op->vm->ops;
	bool immediate = ops->flags & GVB_STRATEGY_IMMEDIATE;
	int ret;

	ret = gvb_op_prealloc_vas(op);
	if (!ret && op->bo && (immediate || op->two_pass)) {
		op->prealloc_vm_bo = gvb_vm_bo_alloc(op->vm, op->bo);
		if (!op->prealloc_vm_bo)
			ret = -ENOMEM;
	}
	op->pt_pages = gvb_op_pt_pages(op);
	/* Reserved for this op alone, so other ops cannot eat into them. */
	if (!ret && (op->two_pass || !op->vm->pt.reclaim))
		ret = gvb_pt_page_list_fill(&op->pt_reserved, &op->pt_reserved_count,
					    op->pt_pages);
	if (!ret && immediate)
		ret = gvb_immediate_prepare(op);
	return ret;
}

/* One map (@bo set) or unmap (@bo NULL), start to finish. */
static int gvb_vm_bind(struct gvb_vm *vm, struct gvb_bo *bo, u64 addr, u64 range, u64 offset,
		       u32 prot)
{
	struct gvb_op op;
	int ret;

	ret = gvb_op_validate(vm, bo, addr, range, offset);
	if (ret)
		return ret;
	gvb_op_init(&op, vm, bo, addr, range, offset, prot);
	ret = gvb_op_prealloc(&op);
	if (!ret)
		ret = gvb_op_run(&op);
	gvb_op_fini(&op);
	return ret;
}

int gvb_vm_map(struct gvb_vm *vm, struct gvb_bo *bo, u64 addr, u64 range, u64 offset, u32 prot)
{
	return gvb_vm_bind(vm, bo, addr, range, offset, prot);
}

int gvb_vm_unmap(struct gvb_vm *vm, u64 addr, u64 range)
{
	return gvb_vm_bind(vm, NULL, addr, range, 0, 0);
}

/* ------------------------------------------------------------- two-pass */

static struct gvb_op *gvb_op_prepare(struct gvb_vm *vm, struct gvb_bo *bo, u64 addr, u64 range,
				     u64 offset, u32 prot)
{
	struct gvb_op *op;
	int ret;

	if (gvb_op_validate(vm, bo, addr, range, offset))
		return NULL;
	op = kmalloc(sizeof(*op), GFP_KERNEL);
	if (!op)
		return NULL;
	gvb_op_init(op, vm, bo, addr, range, offset, prot);
	op->two_pass = true;
	ret = gvb_op_prealloc(op);
	if (ret) {
		gvb_op_free(op);
		return NULL;
	}
	return op;
}

struct gvb_op *gvb_op_prepare_map(struct gvb_vm *vm, struct gvb_bo *bo, u64 addr, u64 range,
				  u64 offset, u32 prot)
{
	if (!bo)
		return NULL;
	return gvb_op_prepare(vm, bo, addr, range, offset, prot);
}

struct gvb_op *gvb_op_prepare_unmap(struct gvb_vm *vm, u64 addr, u64 range)
{
	return gvb_op_prepare(vm, NULL, addr, range, 0, 0);
}

int gvb_op_commit(struct gvb_op *op)
{
	if (WARN_ON(op->prepared))
		return -EINVAL;	/* an op commits once */
	op->prepared = true;
	return gvb_op_run(op);
}

void gvb_op_free(struct gvb_op *op)
{
	if (!op)
		return;
	gvb_op_fini(op);
	kfree(op);
}
