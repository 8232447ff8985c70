// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Invariant checkers for tests and the module self-test. They read, never
 * fix, and report the first violation with pr_err().
 */
#include "gvb_strategy.h"

#define gvb_check_fail(fmt, ...) ({ pr_err("gvb check: " fmt "\n", ##__VA_ARGS__); -EINVAL; })

int gvb_vm_check(struct gvb_vm *vm)
{
	struct gvb_va *va, *prev = NULL;
	unsigned long n = 0, on_vm_bos = 0;

	gvb_vm_assert_serialized(vm);
	if (gvb_itree_check(&vm->tree))
		return gvb_check_fail("vm %u: interval tree broken", vm->id);

	list_for_each_entry(va, &vm->va_list, vm_link) {
		struct gvb_vm_bo *vm_bo = va->vm_bo;

		n++;
		if (!va->range || va->addr < vm->va_start || va->addr + va->range > vm->va_end)
			return gvb_check_fail("vm %u: va %llx+%llx outside the VM", vm->id,
					      (unsigned long long)va->addr,
					      (unsigned long long)va->range);
		if (prev && prev->addr + prev->range > va->addr)
			return gvb_check_fail("vm %u: va %llx overlaps or precedes its predecessor",
					      vm->id, (unsigned long long)va->addr);
		if (va->node.start != va->addr || va->node.last != va->addr + va->range - 1 ||
		    gvb_itree_first(&vm->tree, va->addr, va->addr) != &va->node)
			return gvb_check_fail("vm %u: va %llx not in the tree as itself", vm->id,
					      (unsigned long long)va->addr);
		if (!vm_bo || vm_bo->vm != vm || vm_bo->bo != va->bo)
			return gvb_check_fail("vm %u: va %llx has a wrong vm_bo", vm->id,
					      (unsigned long long)va->addr);
		if (va->offset + va->range > va->bo->size)
			return gvb_check_fail("vm %u: va %llx beyond its BO", vm->id,
					      (unsigned long long)va->addr);
		/*
		 * Count each vm_bo's VAs once, from its first VA. The total must
		 * come out as the number of VAs, so every VA is on its vm_bo's
		 * list, and each vm_bo needs at least one reference per VA.
		 */
		if (vm_bo->va_list.next == &va->vm_bo_link) {
			struct gvb_va *v;
			unsigned long k = 0;

			list_for_each_entry(v, &vm_bo->va_list, vm_bo_link) {
				if (v->vm_bo != vm_bo)
					return gvb_check_fail("vm %u: foreign va on a vm_bo", vm->id);
				k++;
			}
			if (kref_read(&vm_bo->ref) < k)
				return gvb_check_fail("vm %u: vm_bo has %u refs for %lu VAs", vm->id,
						      kref_read(&vm_bo->ref), k);
			on_vm_bos += k;
		}
		prev = va;
	}
	if (n != vm->tree.count)
		return gvb_check_fail("vm %u: %lu VAs listed, %lu in the tree", vm->id, n,
				      vm->tree.count);
	if (on_vm_bos != n)
		return gvb_check_fail("vm %u: %lu VAs on vm_bo lists, %lu in the VM", vm->id,
				      on_vm_bos, n);
	return 0;
}

struct gvb_pt_check {
	struct gvb_vm *vm;
	u64 mapped;
	int ret;
};

static int gvb_check_leaf(void *priv, u64 iova, u64 pa, u64 size, u32 prot)
{
	struct gvb_pt_check *c = priv;
	struct gvb_itree_node *n = gvb_itree_first(&c->vm->tree, iova, iova);
	struct gvb_va *va = n ? container_of(n, struct gvb_va, node) : NULL;

	if (!va || iova + size > va->addr + va->range) {
		c->ret = gvb_check_fail("vm %u: page table maps %llx+%llx outside any VA",
					c->vm->id, (unsigned long long)iova,
					(unsigned long long)size);
		return c->ret;
	}
	if (pa != va->bo->pa + va->offset + (iova - va->addr) || prot != va->prot) {
		c->ret = gvb_check_fail("vm %u: %llx translates to %llx, VA says %llx", c->vm->id,
					(unsigned long long)iova, (unsigned long long)pa,
					(unsigned long long)(va->bo->pa + va->offset +
							     (iova - va->addr)));
		return c->ret;
	}
	c->mapped += size;
	return 0;
}

int gvb_vm_check_pt(struct gvb_vm *vm)
{
	struct gvb_pt_check c = { .vm = vm };
	struct gvb_va *va;
	u64 expect = 0;

	gvb_vm_assert_serialized(vm);
	list_for_each_entry(va, &vm->va_list, vm_link)
		expect += va->range;
	/* Leaves never overlap, so inside-a-VA plus equal totals means exact cover. */
	if (gvb_pt_for_each_leaf(&vm->pt, gvb_check_leaf, &c))
		return c.ret ? c.ret : -EINVAL;
	if (c.mapped != expect)
		return gvb_check_fail("vm %u: page table maps %llu bytes, VAs cover %llu", vm->id,
				      (unsigned long long)c.mapped, (unsigned long long)expect);
	return 0;
}

int gvb_bo_check(struct gvb_bo *bo)
{
	struct gvb_vm_bo *vm_bo, *other;
	int ret = 0;

	gvb_bo_lock_lists(bo);
	list_for_each_entry(vm_bo, &bo->gpuva.list, bo_link) {
		struct gvb_va *va;

		if (vm_bo->bo != bo) {
			ret = gvb_check_fail("bo %u: foreign vm_bo on its list", bo->id);
			break;
		}
		if (!kref_read(&vm_bo->ref)) {
			ret = gvb_check_fail("bo %u: dead vm_bo on its list", bo->id);
			break;
		}
		list_for_each_entry(other, &bo->gpuva.list, bo_link)
			if (other != vm_bo && other->vm == vm_bo->vm)
				ret = gvb_check_fail("bo %u: two vm_bos for vm %u", bo->id,
						     vm_bo->vm->id);
		list_for_each_entry(va, &vm_bo->va_list, vm_bo_link)
			if (va->bo != bo)
				ret = gvb_check_fail("bo %u: vm_bo holds a va of bo %u", bo->id,
						     va->bo->id);
		if (ret)
			break;
	}
	if (!ret && kref_read(&bo->ref) < 1)
		ret = gvb_check_fail("bo %u: no references", bo->id);
	gvb_bo_unlock_lists(bo);
	return ret;
}
