// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Object semantics, one strategy at a time: vm_bo uniqueness and lifetime,
 * the BO's gpuva list, extobj and evict lists, deferred put, the BO freed
 * by the unmap of its last mapping, two-pass ops that allocate nothing in
 * their commit, and the strategy registry.
 */
#include "gvb_strategy.h"
#include "gvb_test.h"

static unsigned int bo_list_len(struct gvb_bo *bo)
{
	struct gvb_vm_bo *vm_bo;
	unsigned int n = 0;

	gvb_bo_lock_lists(bo);
	list_for_each_entry(vm_bo, &bo->gpuva.list, bo_link)
		n++;
	gvb_bo_unlock_lists(bo);
	return n;
}

static unsigned int list_len(struct list_head *head)
{
	struct list_head *p;
	unsigned int n = 0;

	list_for_each(p, head)
		n++;
	return n;
}

static void test_lifetime(const struct gvb_strategy_ops *ops)
{
	bool deferred = ops->deferred_cleanup != NULL;
	long live = compat_alloc_live();
	struct gvb_vm *a = gvb_vm_create(ops, &gvb_pt_arm_lpae_s1, 0, SZ_1G, 0);
	struct gvb_vm *b = gvb_vm_create(ops, &gvb_pt_arm_lpae_s1, 0, SZ_1G, 0);
	struct gvb_bo *shared = gvb_bo_create(ops, SZ_2M, NULL);
	struct gvb_bo *priv = gvb_bo_create(ops, SZ_2M, a);
	struct gvb_vm_bo *vm_bo;
	unsigned long warns = compat_warn_count();

	CHECK_OR_RETURN(a && b && shared && priv, , "%s: create", ops->name);
	CHECK(gvb_bo_is_extobj(shared, a) && !gvb_bo_is_extobj(priv, a), "%s: extobj", ops->name);

	/* One vm_bo per (VM, BO), however many mappings. */
	CHECK(gvb_vm_map(a, shared, 0, GVB_PAGE, 0, GVB_PROT_RW) == 0, "%s", ops->name);
	CHECK(gvb_vm_map(a, shared, SZ_2M, 4 * GVB_PAGE, 0, GVB_PROT_RW) == 0, "%s", ops->name);
	CHECK(gvb_vm_map(b, shared, 0, GVB_PAGE, GVB_PAGE, GVB_PROT_RW) == 0, "%s", ops->name);
	CHECK(gvb_vm_map(a, priv, 8 * SZ_2M, SZ_2M, 0, GVB_PROT_RW) == 0, "%s", ops->name);
	CHECK(bo_list_len(shared) == 2, "%s: shared BO has %u vm_bos", ops->name,
	      bo_list_len(shared));
	vm_bo = list_first_entry(&shared->gpuva.list, struct gvb_vm_bo, bo_link);
	if (vm_bo->vm != a)
		vm_bo = list_next_entry(vm_bo, bo_link);
	CHECK(kref_read(&vm_bo->ref) == 2, "%s: vm_bo refs %u, want 2 (one per VA)", ops->name,
	      kref_read(&vm_bo->ref));
	CHECK(list_len(&a->extobj_list) == 1, "%s: VM a has %u extobjs, want 1 (private BO not)",
	      ops->name, list_len(&a->extobj_list));
	CHECK(a->stats.vm_bo_created == 2, "%s: created %llu", ops->name,
	      (unsigned long long)a->stats.vm_bo_created);

	/* Eviction puts every vm_bo of the BO on its VM's evict list. */
	CHECK(gvb_bo_evict(shared) == 2, "%s: evict", ops->name);
	CHECK(list_len(&a->evict_list) == 1 && list_len(&b->evict_list) == 1, "%s: evict lists",
	      ops->name);
	CHECK(vm_bo->evicted, "%s: vm_bo not marked evicted", ops->name);
	/* Validation takes them off again, one VM at a time. */
	CHECK(gvb_vm_validate(a) == 1, "%s: validate", ops->name);
	CHECK(list_empty(&a->evict_list) && !vm_bo->evicted && list_len(&b->evict_list) == 1,
	      "%s: evict lists after validate", ops->name);
	CHECK(gvb_vm_validate(a) == 0, "%s: validate of a validated VM", ops->name);

	/* Unmapping one of two VAs keeps the vm_bo. */
	CHECK(gvb_vm_unmap(a, 0, GVB_PAGE) == 0, "%s", ops->name);
	CHECK(kref_read(&vm_bo->ref) == 1, "%s: vm_bo refs %u, want 1", ops->name,
	      kref_read(&vm_bo->ref));

	/* The creator lets go; the mappings keep the BO alive. */
	gvb_bo_put(shared);
	CHECK(kref_read(&shared->ref) == 2, "%s: BO refs %u, want 2 (one per vm_bo)", ops->name,
	      kref_read(&shared->ref));
	CHECK(gvb_vm_unmap(b, 0, SZ_1G) == 0, "%s", ops->name);
	if (deferred) {
		gvb_vm_drain_deferred(b);
		CHECK(b->stats.vm_bo_deferred == 1, "%s: deferred %llu", ops->name,
		      (unsigned long long)b->stats.vm_bo_deferred);
	}
	CHECK(b->stats.vm_bo_destroyed == 1, "%s: b destroyed %llu", ops->name,
	      (unsigned long long)b->stats.vm_bo_destroyed);
	CHECK(list_empty(&b->evict_list) && list_empty(&b->extobj_list), "%s: b lists",
	      ops->name);
	CHECK(kref_read(&shared->ref) == 1, "%s: BO refs %u, want 1", ops->name,
	      kref_read(&shared->ref));

	/* The last unmap frees the BO itself, inside the op, safely. */
	CHECK(gvb_vm_unmap(a, SZ_2M, 4 * GVB_PAGE) == 0, "%s", ops->name);
	gvb_vm_drain_deferred(a);
	CHECK(list_empty(&a->extobj_list), "%s: a extobj list", ops->name);

	gvb_vm_serialize(a);
	CHECK(gvb_vm_check(a) == 0 && gvb_vm_check_pt(a) == 0, "%s: checks", ops->name);
	gvb_vm_unserialize(a);
	gvb_bo_put(priv);	/* its mapping and the BO's VM reference keep a alive */
	gvb_vm_destroy(b);
	gvb_vm_destroy(a);
	CHECK(compat_alloc_live() == live, "%s: leaked %ld", ops->name, compat_alloc_live() - live);
	CHECK(compat_warn_count() == warns, "%s: warnings", ops->name);
}

static void test_two_pass(const struct gvb_strategy_ops *ops)
{
	long live = compat_alloc_live();
	struct gvb_vm *vm = gvb_vm_create(ops, &gvb_pt_arm_lpae_s1, 0, SZ_1G, 0);
	struct gvb_bo *bo = gvb_bo_create(ops, SZ_2M, NULL);
	struct gvb_op *op;
	unsigned long allocs;

	CHECK_OR_RETURN(vm && bo, , "create");
	op = gvb_op_prepare_map(vm, bo, 5 * SZ_2M, 16 * GVB_PAGE, 0, GVB_PROT_RW);
	CHECK_OR_RETURN(op, , "%s: prepare map", ops->name);
	allocs = compat_alloc_count();
	CHECK(gvb_op_commit(op) == 0, "%s: commit map", ops->name);
	CHECK(compat_alloc_count() == allocs, "%s: commit allocated %lu times", ops->name,
	      compat_alloc_count() - allocs);
	gvb_op_free(op);

	op = gvb_op_prepare_unmap(vm, 5 * SZ_2M + 4 * GVB_PAGE, 2 * GVB_PAGE);
	CHECK_OR_RETURN(op, , "%s: prepare unmap", ops->name);
	allocs = compat_alloc_count();
	CHECK(gvb_op_commit(op) == 0, "%s: commit unmap", ops->name);
	CHECK(compat_alloc_count() == allocs, "%s: unmap commit allocated", ops->name);
	gvb_op_free(op);

	gvb_vm_serialize(vm);
	CHECK(vm->tree.count == 2, "%s: remap left %lu VAs", ops->name, vm->tree.count);
	CHECK(gvb_vm_check(vm) == 0 && gvb_vm_check_pt(vm) == 0, "%s: checks", ops->name);
	gvb_vm_unserialize(vm);

	CHECK(gvb_op_prepare_map(vm, bo, 1, GVB_PAGE, 0, 0) == NULL, "unaligned prepare");
	gvb_vm_destroy(vm);
	gvb_bo_put(bo);
	CHECK(compat_alloc_live() == live, "%s: leaked %ld", ops->name, compat_alloc_live() - live);
}

static void test_mode_mismatch(void)
{
	struct gvb_vm *vm = gvb_vm_create(&gvb_strategy_resv, &gvb_pt_arm_lpae_s1, 0, SZ_1G, 0);
	struct gvb_vm *other = gvb_vm_create(&gvb_strategy_gpuva, &gvb_pt_arm_lpae_s1, 0, SZ_1G, 0);
	struct gvb_bo *bo = gvb_bo_create(&gvb_strategy_gpuva, SZ_2M, NULL);
	struct gvb_bo *priv = gvb_bo_create(&gvb_strategy_gpuva, SZ_2M, other);

	/* All VMs sharing a BO must agree on the mode; private BOs stay home. */
	CHECK(gvb_vm_map(vm, bo, 0, GVB_PAGE, 0, GVB_PROT_RW) == -EINVAL, "mode mismatch");
	CHECK(gvb_bo_create(&gvb_strategy_resv, SZ_2M, other) == NULL, "private mode mismatch");
	CHECK(gvb_vm_map(vm, priv, 0, GVB_PAGE, 0, GVB_PROT_RW) == -EINVAL, "foreign private");
	CHECK(gvb_vm_create(&gvb_strategy_resv, &gvb_pt_arm_lpae_s1, 0, 1ULL << 49, 0) == NULL,
	      "VM beyond 48 bits");
	CHECK(gvb_vm_create(&gvb_strategy_resv, &gvb_pt_arm_lpae_s1, 1, SZ_1G, 0) == NULL,
	      "unaligned VM");
	CHECK(gvb_bo_create(&gvb_strategy_resv, GVB_BO_MAX_SIZE + GVB_PAGE, NULL) == NULL,
	      "BO too large");
	gvb_bo_put(priv);
	gvb_bo_put(bo);
	gvb_vm_destroy(other);
	gvb_vm_destroy(vm);
}

static void test_registry(void)
{
	char names[256];

	CHECK(gvb_strategy_find("resv") == &gvb_strategy_resv, "find resv");
	CHECK(gvb_strategy_find("gpuva+deferred") == &gvb_strategy_gpuva_deferred, "find deferred");
	CHECK(gvb_strategy_find("nope") == NULL, "unknown");
	gvb_strategy_names(names, sizeof(names), false);
	CHECK(!strcmp(names, "resv, resv+gpuva, gpuva, gpuva+deferred"), "names: %s", names);
	gvb_strategy_names(names, sizeof(names), true);
	CHECK(strstr(names, "broken") != NULL, "names with broken: %s", names);
	CHECK(gvb_pt_format_find("arm-lpae-s1") == &gvb_pt_arm_lpae_s1, "format lookup");
	CHECK(gvb_pt_format_find("nope") == NULL, "unknown format");
}

int main(void)
{
	const struct gvb_strategy_ops *const *s;

	if (gvb_core_init())
		return 2;
	test_registry();
	test_mode_mismatch();
	for (s = gvb_strategies; *s; s++) {
		if ((*s)->flags & GVB_STRATEGY_BROKEN)
			continue;
		test_lifetime(*s);
		test_two_pass(*s);
	}
	gvb_core_exit();
	compat_wq_shutdown();
	CHECK(compat_alloc_live() == 0, "%ld allocations live at exit", compat_alloc_live());
	return gvb_test_done("test_core");
}
