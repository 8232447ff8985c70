// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * VMs, BOs, vm_bos and VAs: object lifetime, the tree and list primitives,
 * and the parts of each strategy's hooks that several strategies share.
 */
#include "gvb_strategy.h"

static struct kmem_cache *gvb_va_cache;
static struct kmem_cache *gvb_vm_bo_cache;
static atomic_t gvb_next_id = ATOMIC_INIT(0);

int gvb_core_init(void)
{
	gvb_va_cache = kmem_cache_create("gvb_va", sizeof(struct gvb_va), 0, SLAB_HWCACHE_ALIGN,
					 NULL);
	gvb_vm_bo_cache = kmem_cache_create("gvb_vm_bo", sizeof(struct gvb_vm_bo), 0,
					    SLAB_HWCACHE_ALIGN, NULL);
	gvb_count_init();
	if (!gvb_va_cache || !gvb_vm_bo_cache || gvb_pt_pages_init()) {
		gvb_core_exit();
		return -ENOMEM;
	}
	return 0;
}

void gvb_core_exit(void)
{
	gvb_pt_pages_exit();
	kmem_cache_destroy(gvb_vm_bo_cache);
	kmem_cache_destroy(gvb_va_cache);
	gvb_vm_bo_cache = NULL;
	gvb_va_cache = NULL;
}

struct gvb_va *gvb_va_alloc(void)
{
	return kmem_cache_zalloc(gvb_va_cache, GFP_KERNEL);
}

void gvb_va_free(struct gvb_va *va)
{
	if (va)
		kmem_cache_free(gvb_va_cache, va);
}

/* ------------------------------------------------------------------ VMs */

static void gvb_vm_defer_work(struct work_struct *work)
{
	struct gvb_vm *vm = container_of(work, struct gvb_vm, defer_work);

	gvb_vm_deferred_cleanup(vm);
}

struct gvb_vm *gvb_vm_create(const struct gvb_strategy_ops *ops, const struct gvb_pt_format *fmt,
			     u64 va_start, u64 va_range, u64 flush_ns)
{
	struct gvb_vm *vm;
	u64 va_end;

	if (!ops || !fmt || !va_range || !IS_ALIGNED(va_start, GVB_PAGE) ||
	    !IS_ALIGNED(va_range, GVB_PAGE) || check_add_overflow(va_start, va_range, &va_end) ||
	    (fmt->va_bits < 64 && va_end > (1ULL << fmt->va_bits)))
		return NULL;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return NULL;
	if (gvb_pt_init(&vm->pt, fmt, flush_ns)) {
		kfree(vm);
		return NULL;
	}
	vm->ops = ops;
	kref_init(&vm->ref);
	vm->id = atomic_inc_return(&gvb_next_id);
	vm->va_start = va_start;
	vm->va_end = va_end;
	gvb_itree_init(&vm->tree);
	INIT_LIST_HEAD(&vm->va_list);
	dma_resv_init(&vm->resv);
	mutex_init(&vm->op_lock);
	spin_lock_init(&vm->lists_lock);
	INIT_LIST_HEAD(&vm->extobj_list);
	INIT_LIST_HEAD(&vm->evict_list);
	init_llist_head(&vm->defer_list);
	INIT_WORK(&vm->defer_work, gvb_vm_defer_work);
	return vm;
}

static void gvb_vm_release(struct kref *kref)
{
	struct gvb_vm *vm = container_of(kref, struct gvb_vm, ref);

	WARN_ON(vm->tree.root);
	WARN_ON(!list_empty(&vm->va_list));
	WARN_ON(!list_empty(&vm->extobj_list));
	WARN_ON(!list_empty(&vm->evict_list));
	WARN_ON(!llist_empty(&vm->defer_list));
	gvb_pt_fini(&vm->pt);
	kfree(vm->fences.slots);
	mutex_destroy(&vm->op_lock);
	dma_resv_fini(&vm->resv);
	kfree(vm);
}

void gvb_vm_get(struct gvb_vm *vm)
{
	kref_get(&vm->ref);
}

void gvb_vm_put(struct gvb_vm *vm)
{
	kref_put(&vm->ref, gvb_vm_release);
}

void gvb_vm_drain_deferred(struct gvb_vm *vm)
{
	if (!vm->ops->deferred_cleanup)
		return;
	flush_work(&vm->defer_work);
	vm->ops->deferred_cleanup(vm);
}

void gvb_vm_destroy(struct gvb_vm *vm)
{
	int ret;

	/*
	 * Tearing down goes through the strategy's own unmap path, so every
	 * vm_bo dies the way it would in a real driver. Only -ENOMEM can stop
	 * it (a split of a partly unmapped block); the VM is then leaked with a
	 * warning rather than freed in an inconsistent state.
	 */
	ret = gvb_vm_unmap(vm, vm->va_start, vm->va_end - vm->va_start);
	if (WARN_ON(ret))
		return;
	cancel_work_sync(&vm->defer_work);
	if (vm->ops->deferred_cleanup)
		vm->ops->deferred_cleanup(vm);
	gvb_vm_put(vm);
}

void gvb_vm_assert_serialized(struct gvb_vm *vm)
{
	vm->ops->assert_vm_serialized(vm);
}

void gvb_vm_serialize(struct gvb_vm *vm)
{
	vm->ops->vm_serialize(vm);
}

void gvb_vm_unserialize(struct gvb_vm *vm)
{
	vm->ops->vm_unserialize(vm);
}

/* ------------------------------------------------------------------ BOs */

struct gvb_bo *gvb_bo_create(const struct gvb_strategy_ops *ops, u64 size,
			     struct gvb_vm *private_vm)
{
	struct gvb_bo *bo;
	u32 id;

	if (!ops || !size || !IS_ALIGNED(size, GVB_PAGE) || size > GVB_BO_MAX_SIZE)
		return NULL;
	if (private_vm && private_vm->ops != ops)
		return NULL;
	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return NULL;
	kref_init(&bo->ref);
	bo->ops = ops;
	bo->size = size;
	id = atomic_inc_return(&gvb_next_id);
	bo->id = id;
	/*
	 * A 4 GiB window of fake physical space per BO keeps 2 MiB and 1 GiB
	 * alignment of offsets intact, so the page tables can use blocks; 15
	 * bits of id keep it inside a 48-bit output address.
	 */
	bo->pa = (u64)((id & 0x7fff) + 1) << 32;
	INIT_LIST_HEAD(&bo->gpuva.list);
	mutex_init(&bo->gpuva.lock);
	if (private_vm) {
		gvb_vm_get(private_vm);
		bo->private_vm = private_vm;
		bo->resv = &private_vm->resv;
	} else {
		dma_resv_init(&bo->_resv);
		bo->resv = &bo->_resv;
	}
	return bo;
}

static void gvb_bo_release(struct kref *kref)
{
	struct gvb_bo *bo = container_of(kref, struct gvb_bo, ref);

	WARN_ON(!list_empty(&bo->gpuva.list));
	mutex_destroy(&bo->gpuva.lock);
	if (bo->private_vm)
		gvb_vm_put(bo->private_vm);
	else
		dma_resv_fini(&bo->_resv);
	kfree(bo->fences.slots);
	kfree(bo);
}

void gvb_bo_get(struct gvb_bo *bo)
{
	kref_get(&bo->ref);
}

void gvb_bo_put(struct gvb_bo *bo)
{
	kref_put(&bo->ref, gvb_bo_release);
}

void gvb_bo_lock_lists(struct gvb_bo *bo)
{
	/*
	 * TTM holds the BO's resv when it evicts, whatever the strategy; the
	 * strategy's list lock then makes the walk safe against map/unmap.
	 */
	gvb_count(bo->private_vm ? GVB_LOCK_VM_RESV : GVB_LOCK_BO_RESV);
	if (dma_resv_lock(bo->resv, NULL))
		WARN_ON(1);	/* no context: only -EDEADLK-free results are possible */
	bo->ops->list_lock(bo);
}

void gvb_bo_unlock_lists(struct gvb_bo *bo)
{
	bo->ops->list_unlock(bo);
	dma_resv_unlock(bo->resv);
}

/* The evicted flag and the evict list change together, under vm->lists_lock. */
static void gvb_vm_bo_set_evicted(struct gvb_vm_bo *vm_bo, bool evict)
{
	lockdep_assert_held(&vm_bo->vm->lists_lock);
	if (vm_bo->evicted == evict)
		return;
	vm_bo->evicted = evict;
	if (evict)
		list_add_tail(&vm_bo->evict_link, &vm_bo->vm->evict_list);
	else
		list_del_init(&vm_bo->evict_link);
}

void gvb_vm_bo_evict(struct gvb_vm_bo *vm_bo, bool evict)
{
	struct gvb_vm *vm = vm_bo->vm;

	dma_resv_assert_held(vm_bo->bo->resv);
	gvb_vm_lists_lock(vm);
	gvb_vm_bo_set_evicted(vm_bo, evict);
	gvb_vm_lists_unlock(vm);
}

int gvb_bo_evict(struct gvb_bo *bo)
{
	struct gvb_vm_bo *vm_bo;
	int n = 0;

	gvb_bo_lock_lists(bo);
	list_for_each_entry(vm_bo, &bo->gpuva.list, bo_link) {
		gvb_vm_bo_evict(vm_bo, true);
		n++;
	}
	gvb_bo_unlock_lists(bo);
	return n;
}

int gvb_vm_validate(struct gvb_vm *vm)
{
	struct gvb_vm_bo *vm_bo, *next;
	int n = 0;

	/*
	 * A zombie vm_bo of the deferred strategy may be on the list too; the
	 * lock keeps it from being freed while we unlink it, and its cleanup's
	 * list_del() copes with that.
	 */
	gvb_vm_lists_lock(vm);
	list_for_each_entry_safe(vm_bo, next, &vm->evict_list, evict_link) {
		gvb_vm_bo_set_evicted(vm_bo, false);
		n++;
	}
	gvb_vm_lists_unlock(vm);
	return n;
}

/* ------------------------------------------------------ tree and lists */

void gvb_va_insert(struct gvb_vm *vm, struct gvb_va *va)
{
	struct gvb_itree_node *prev;

	gvb_vm_assert_serialized(vm);
	va->node.start = va->addr;
	va->node.last = va->addr + va->range - 1;
	gvb_itree_insert(&vm->tree, &va->node);
	/* The address-ordered list lets the walk step to the next VA in O(1). */
	prev = gvb_itree_pred(&va->node);
	if (prev)
		list_add(&va->vm_link, &container_of(prev, struct gvb_va, node)->vm_link);
	else
		list_add(&va->vm_link, &vm->va_list);
}

void gvb_va_remove(struct gvb_vm *vm, struct gvb_va *va)
{
	gvb_vm_assert_serialized(vm);
	gvb_itree_remove(&vm->tree, &va->node);
	list_del(&va->vm_link);
}

struct gvb_va *gvb_va_first(struct gvb_vm *vm, u64 addr, u64 range)
{
	struct gvb_itree_node *n;

	gvb_vm_assert_serialized(vm);
	n = gvb_itree_first(&vm->tree, addr, addr + range - 1);
	return n ? container_of(n, struct gvb_va, node) : NULL;
}

struct gvb_va *gvb_va_next(struct gvb_vm *vm, struct gvb_va *va, u64 addr, u64 range)
{
	struct gvb_va *next;

	/* VAs of one VM never overlap: the list successor is the next candidate. */
	if (list_is_head(va->vm_link.next, &vm->va_list))
		return NULL;
	next = list_next_entry(va, vm_link);
	return next->addr < addr + range ? next : NULL;
}

void gvb_va_link(struct gvb_va *va, struct gvb_vm_bo *vm_bo)
{
	vm_bo->bo->ops->assert_list_held(vm_bo->bo);
	kref_get(&vm_bo->ref);
	va->vm_bo = vm_bo;
	list_add_tail(&va->vm_bo_link, &vm_bo->va_list);
}

struct gvb_vm_bo *gvb_va_unlink(struct gvb_va *va)
{
	struct gvb_vm_bo *vm_bo = va->vm_bo;

	vm_bo->bo->ops->assert_list_held(vm_bo->bo);
	list_del(&va->vm_bo_link);
	va->vm_bo = NULL;
	return vm_bo;
}

/* --------------------------------------------------------------- vm_bos */

struct gvb_vm_bo *gvb_vm_bo_alloc(struct gvb_vm *vm, struct gvb_bo *bo)
{
	struct gvb_vm_bo *vm_bo = kmem_cache_zalloc(gvb_vm_bo_cache, GFP_KERNEL);

	if (!vm_bo)
		return NULL;
	vm_bo->vm = vm;
	vm_bo->bo = bo;
	kref_init(&vm_bo->ref);
	INIT_LIST_HEAD(&vm_bo->va_list);
	INIT_LIST_HEAD(&vm_bo->bo_link);
	INIT_LIST_HEAD(&vm_bo->extobj_link);
	INIT_LIST_HEAD(&vm_bo->evict_link);
	return vm_bo;
}

void gvb_vm_bo_free_unused(struct gvb_vm_bo *vm_bo)
{
	kmem_cache_free(gvb_vm_bo_cache, vm_bo);
}

/*
 * Readers of the gpuva list need the lock every writer takes: the resv in
 * staged mode (resv+gpuva's extra mutex is taken by writers only, with the
 * resv held), the gpuva mutex in immediate mode.
 */
static struct gvb_vm_bo *gvb_vm_bo_find(struct gvb_vm *vm, struct gvb_bo *bo)
{
	struct gvb_vm_bo *vm_bo;

	if (bo->ops->flags & GVB_STRATEGY_IMMEDIATE)
		bo->ops->assert_list_held(bo);
	else
		dma_resv_assert_held(bo->resv);
	list_for_each_entry(vm_bo, &bo->gpuva.list, bo_link)
		if (vm_bo->vm == vm)
			return vm_bo;
	return NULL;
}

/* Under the BO's list lock: make @vm_bo the (vm, bo) pair's vm_bo. */
static void gvb_vm_bo_link(struct gvb_vm_bo *vm_bo)
{
	struct gvb_vm *vm = vm_bo->vm;
	struct gvb_bo *bo = vm_bo->bo;

	gvb_vm_get(vm);
	gvb_bo_get(bo);
	list_add_tail(&vm_bo->bo_link, &bo->gpuva.list);
	gvb_vm_lists_lock(vm);
	if (gvb_bo_is_extobj(bo, vm))
		list_add_tail(&vm_bo->extobj_link, &vm->extobj_list);
	vm->stats.vm_bo_created++;
	gvb_vm_lists_unlock(vm);
}

struct gvb_vm_bo *gvb_vm_bo_obtain_prealloc(struct gvb_vm_bo *prealloc)
{
	struct gvb_bo *bo = prealloc->bo;
	const struct gvb_strategy_ops *ops = bo->ops;
	bool immediate = ops->flags & GVB_STRATEGY_IMMEDIATE;
	struct gvb_vm_bo *vm_bo;

	if (immediate)
		ops->list_lock(bo);
	vm_bo = gvb_vm_bo_find(prealloc->vm, bo);
	if (vm_bo) {
		kref_get(&vm_bo->ref);
	} else {
		vm_bo = prealloc;
		if (!immediate)
			ops->list_lock(bo);
		gvb_vm_bo_link(vm_bo);
		if (!immediate)
			ops->list_unlock(bo);
	}
	if (immediate)
		ops->list_unlock(bo);
	if (vm_bo != prealloc)
		gvb_vm_bo_free_unused(prealloc);
	return vm_bo;
}

struct gvb_vm_bo *gvb_vm_bo_obtain(struct gvb_vm *vm, struct gvb_bo *bo)
{
	const struct gvb_strategy_ops *ops = bo->ops;
	struct gvb_vm_bo *vm_bo;

	/* All VMs sharing a BO agree on the mode; immediate mode never allocates here. */
	if (WARN_ON(vm->ops != ops || (ops->flags & GVB_STRATEGY_IMMEDIATE)))
		return NULL;
	vm_bo = gvb_vm_bo_find(vm, bo);
	if (vm_bo) {
		kref_get(&vm_bo->ref);
		return vm_bo;
	}
	vm_bo = gvb_vm_bo_alloc(vm, bo);
	if (!vm_bo)
		return NULL;
	ops->list_lock(bo);
	gvb_vm_bo_link(vm_bo);
	ops->list_unlock(bo);
	return vm_bo;
}

void gvb_vm_bo_put(struct gvb_vm_bo *vm_bo)
{
	vm_bo->bo->ops->vm_bo_put(vm_bo);
}

void gvb_vm_bo_unlink_vm_lists(struct gvb_vm_bo *vm_bo)
{
	struct gvb_vm *vm = vm_bo->vm;

	gvb_vm_lists_lock(vm);
	list_del(&vm_bo->extobj_link);
	list_del(&vm_bo->evict_link);
	vm->stats.vm_bo_destroyed++;
	gvb_vm_lists_unlock(vm);
}

void gvb_vm_bo_free(struct gvb_vm_bo *vm_bo)
{
	struct gvb_vm *vm = vm_bo->vm;
	struct gvb_bo *bo = vm_bo->bo;

	WARN_ON(!list_empty(&vm_bo->va_list));
	gvb_vm_bo_free_unused(vm_bo);
	/*
	 * This can drop the last BO reference. With a staged strategy the
	 * caller holds that BO's resv: it is safe only because the ioctl took
	 * its own BO reference first (see strategies/broken.c for what happens
	 * when it does not).
	 */
	gvb_bo_put(bo);
	gvb_vm_put(vm);
}

void gvb_vm_bo_release_locked(struct kref *kref)
{
	struct gvb_vm_bo *vm_bo = container_of(kref, struct gvb_vm_bo, ref);
	struct gvb_bo *bo = vm_bo->bo;

	bo->ops->list_lock(bo);
	list_del(&vm_bo->bo_link);
	bo->ops->list_unlock(bo);
	gvb_vm_bo_unlink_vm_lists(vm_bo);
	gvb_vm_bo_free(vm_bo);
}

void gvb_vm_bo_release_held(struct kref *kref)
{
	struct gvb_vm_bo *vm_bo = container_of(kref, struct gvb_vm_bo, ref);

	vm_bo->bo->ops->assert_list_held(vm_bo->bo);
	list_del(&vm_bo->bo_link);
	gvb_vm_bo_unlink_vm_lists(vm_bo);
	gvb_vm_bo_free(vm_bo);
}

void gvb_vm_bo_release_unlock(struct kref *kref)
{
	struct gvb_vm_bo *vm_bo = container_of(kref, struct gvb_vm_bo, ref);
	struct gvb_bo *bo = vm_bo->bo;

	list_del(&vm_bo->bo_link);
	/* Unlock before the BO put below can free the mutex. */
	mutex_unlock(&bo->gpuva.lock);
	gvb_vm_bo_unlink_vm_lists(vm_bo);
	gvb_vm_bo_free(vm_bo);
}

void gvb_vm_bo_release_defer(struct kref *kref)
{
	struct gvb_vm_bo *vm_bo = container_of(kref, struct gvb_vm_bo, ref);
	struct gvb_bo *bo = vm_bo->bo;

	/*
	 * A zombie: refcount zero, off the BO's list so obtain cannot find
	 * it, still on the VM's extobj/evict lists (whose walkers skip it).
	 * Unlock first, then publish it: after llist_add() the cleanup may
	 * free it at any moment.
	 */
	list_del_init(&vm_bo->bo_link);
	mutex_unlock(&bo->gpuva.lock);
	gvb_vm_bo_defer(vm_bo);
}

void gvb_vm_bo_defer(struct gvb_vm_bo *vm_bo)
{
	struct gvb_vm *vm = vm_bo->vm;

	if (llist_add(&vm_bo->defer_link, &vm->defer_list) && READ_ONCE(vm->defer_async))
		queue_work(gvb_unbound_wq, &vm->defer_work);
}

/*
 * drm_gpuvm_bo_deferred_cleanup(): the VM resv once for the whole batch of
 * zombies, to take them off the VM's lists, then their references dropped
 * without it.
 */
void gvb_vm_deferred_cleanup(struct gvb_vm *vm)
{
	struct gvb_vm_bo *vm_bo, *next;
	struct llist_node *list;
	unsigned long n = 0;

	might_sleep();
	list = llist_del_all(&vm->defer_list);
	if (!list)
		return;
	gvb_vm_resv_lock(vm);
	llist_for_each_entry_safe(vm_bo, next, list, defer_link) {
		gvb_vm_bo_unlink_vm_lists(vm_bo);
		n++;
	}
	gvb_vm_resv_unlock(vm);
	llist_for_each_entry_safe(vm_bo, next, list, defer_link)
		gvb_vm_bo_free(vm_bo);
	gvb_vm_lists_lock(vm);
	vm->stats.vm_bo_deferred += n;
	gvb_vm_lists_unlock(vm);
}

/* -------------------------------------------- shared strategy hook bodies */

int gvb_staged_op_lock(struct gvb_op *op, unsigned int exec_flags)
{
	int ret;

	gvb_exec_init(&op->exec, exec_flags);
	ret = gvb_exec_lock_range(&op->exec, op->vm, op->addr, op->range, op->bo);
	if (ret) {
		gvb_exec_fini(&op->exec);
		return ret;
	}
	/* Counted only now: the VM resv protects the stats. */
	op->vm->stats.exec_backoffs += op->exec.backoffs;
	return 0;
}

/* The bind's fence goes on every locked resv, then drm_exec_fini(). */
static void gvb_exec_fence_fini(struct gvb_exec *exec, struct gvb_vm *vm)
{
	gvb_exec_add_fence(exec, vm->id, ++vm->fence_seqno);
	gvb_exec_fini(exec);
}

void gvb_staged_op_unlock(struct gvb_op *op)
{
	gvb_exec_fence_fini(&op->exec, op->vm);
}

void gvb_staged_assert_vm(struct gvb_vm *vm)
{
	dma_resv_assert_held(&vm->resv);
}

void gvb_staged_vm_serialize(struct gvb_vm *vm)
{
	gvb_vm_resv_lock(vm);
}

void gvb_staged_vm_unserialize(struct gvb_vm *vm)
{
	gvb_vm_resv_unlock(vm);
}

/*
 * What panthor's VM_BIND does before run_job (panthor_vm_bind_prepare_op_ctx
 * and, for the job path, panthor_vm_bind_job_prepare_resvs/_update_resvs):
 * a map obtains its preallocated vm_bo and adds it to the extobj list under
 * the VM resv; the job path then locks the VM resv and the mapped BO's with
 * drm_exec, reserves and adds the job fence. 0 or -ENOMEM (nothing held).
 */
int gvb_immediate_prepare(struct gvb_op *op)
{
	struct gvb_vm *vm = op->vm;
	int ret;

	if (op->prealloc_vm_bo) {
		gvb_vm_resv_lock(vm);
		op->vm_bo = gvb_vm_bo_obtain_prealloc(op->prealloc_vm_bo);
		op->prealloc_vm_bo = NULL;
		gvb_vm_resv_unlock(vm);
	}
	if (vm->bind_sync)
		return 0;
	gvb_exec_init(&op->exec, GVB_EXEC_REF_BOS);
	ret = gvb_exec_lock_range(&op->exec, vm, op->addr, 0, op->bo);
	if (ret) {
		gvb_exec_fini(&op->exec);
		return ret;
	}
	vm->stats.exec_backoffs += op->exec.backoffs;
	gvb_exec_fence_fini(&op->exec, vm);
	return 0;
}

int gvb_immediate_op_lock(struct gvb_op *op)
{
	gvb_count(GVB_LOCK_OP_LOCK);
	mutex_lock(&op->vm->op_lock);
	return 0;
}

void gvb_immediate_op_unlock(struct gvb_op *op)
{
	mutex_unlock(&op->vm->op_lock);
}

void gvb_immediate_assert_vm(struct gvb_vm *vm)
{
	lockdep_assert_held(&vm->op_lock);
}

void gvb_immediate_vm_serialize(struct gvb_vm *vm)
{
	gvb_count(GVB_LOCK_OP_LOCK);
	mutex_lock(&vm->op_lock);
}

void gvb_immediate_vm_unserialize(struct gvb_vm *vm)
{
	mutex_unlock(&vm->op_lock);
}
