// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The torture engine (see gvb_torture.h). Objects live in slots that any
 * thread may empty or refill at any time, so every use goes through a
 * reference taken under the slot lock: a VM through its struct gvb_tvm,
 * whose last put tears the VM down (as the module's handles do), a BO
 * through gvb_bo_get(). A slot's BO reference is the creator's: dropping it
 * while the BO is still mapped is the "BO released while mapped" case, and
 * the last unmap then frees the BO inside the op that holds its lock.
 */
#include "gvb_torture.h"
#include "gvb_workload.h"	/* gvb_wl_rand() */

/* Each VM manages 64 MiB and each BO is 8 MiB: small enough that maps overlap often. */
#define GVB_T_WINDOW		(64ULL << 20)
#define GVB_T_BO_SIZE		(8ULL << 20)
#define GVB_T_PROBES		8

const char *const gvb_torture_counter_names[GVB_T_NR] = {
	[GVB_T_MAP] = "map",
	[GVB_T_UNMAP] = "unmap",
	[GVB_T_CHURN] = "churn",
	[GVB_T_EVICT] = "evict",
	[GVB_T_VALIDATE] = "validate",
	[GVB_T_DRAIN] = "drain",
	[GVB_T_BO_CYCLE] = "bo_cycle",
	[GVB_T_VM_CYCLE] = "vm_cycle",
	[GVB_T_PROBE] = "probe",
	[GVB_T_CHECK] = "check",
	[GVB_T_OPS] = "ops",
	[GVB_T_ENOMEM] = "enomem",
	[GVB_T_MAP_STEPS] = "map_steps",
	[GVB_T_REMAP_STEPS] = "remap_steps",
	[GVB_T_UNMAP_STEPS] = "unmap_steps",
	[GVB_T_VM_BO_CREATED] = "vm_bo_created",
	[GVB_T_VM_BO_DEFERRED] = "vm_bo_deferred",
};

struct gvb_tvm {
	struct kref ref;
	struct gvb_torture *t;
	struct gvb_vm *vm;
};

struct gvb_tthread {
	struct gvb_torture *t;
	struct gvb_wl_thread rng;	/* only its PRNG state is used */
	atomic64_t c[GVB_T_NR];
};

struct gvb_torture {
	struct gvb_torture_params p;
	u64 deadline;			/* ktime_get_ns(), 0: none */
	spinlock_t lock;		/* the slots */
	struct gvb_tvm *vm[GVB_TORTURE_MAX_VMS];
	struct gvb_bo *bo[GVB_TORTURE_MAX_BOS];
	atomic64_t claimed;		/* ops handed out, against p.ops */
	atomic_t stop;
	atomic_t failures;
	atomic64_t core[GVB_T_NR];	/* steps of dead VMs */
	spinlock_t fail_lock;
	char failure[192];		/* the first one */
	struct gvb_tthread *th;
};

static u64 gvb_t_rand(struct gvb_tthread *th, u64 n)
{
	return gvb_wl_rand(&th->rng) % n;
}

static void gvb_t_count(struct gvb_tthread *th, enum gvb_torture_counter c)
{
	atomic64_add(1, &th->c[c]);
}

/* Records a failure (the first one's text is kept) and stops every thread. */
static void gvb_t_fail(struct gvb_torture *t, const char *what, u32 vm_id, long long val)
{
	pr_err("gvb torture: FAILED: %s (vm %u, value %lld)\n", what, vm_id, val);
	spin_lock(&t->fail_lock);
	if (!t->failure[0])
		snprintf(t->failure, sizeof(t->failure), "%s (vm %u, value %lld)", what, vm_id,
			 val);
	spin_unlock(&t->fail_lock);
	atomic_inc(&t->failures);
	atomic_set(&t->stop, 1);
}

/* ------------------------------------------------------------ the slots */

/*
 * A VM's last reference: unmap everything through the strategy's own path,
 * drain its zombies, check that nothing is left and nobody else holds it,
 * then destroy it.
 */
static void gvb_t_vm_teardown(struct gvb_torture *t, struct gvb_vm *vm)
{
	const char *bad = NULL;
	long long val = 0;
	int ret;

	ret = gvb_vm_unmap(vm, vm->va_start, vm->va_end - vm->va_start);
	if (ret) {
		/* The VM cannot be freed in that state; gvb_vm_destroy() would leak it too. */
		gvb_t_fail(t, "unmapping a dying VM failed", vm->id, ret);
		return;
	}
	gvb_vm_drain_deferred(vm);
	gvb_vm_serialize(vm);
	if (gvb_vm_check(vm) || gvb_vm_check_pt(vm))
		bad = "dying VM: invariants";
	else if (vm->tree.count)
		bad = "dying VM: VAs left after unmapping everything", val = vm->tree.count;
	else if (!llist_empty(&vm->defer_list))
		bad = "dying VM: zombie vm_bo left after the drain";
	else if (kref_read(&vm->ref) != 1)
		bad = "dying VM: references left besides the creator's", val = kref_read(&vm->ref);
	spin_lock(&vm->lists_lock);
	if (!bad && (!list_empty(&vm->extobj_list) || !list_empty(&vm->evict_list)))
		bad = "dying VM: vm_bo left on its extobj or evict list";
	atomic64_add(vm->stats.vm_bo_created, &t->core[GVB_T_VM_BO_CREATED]);
	atomic64_add(vm->stats.vm_bo_deferred, &t->core[GVB_T_VM_BO_DEFERRED]);
	spin_unlock(&vm->lists_lock);
	atomic64_add(vm->stats.map_steps, &t->core[GVB_T_MAP_STEPS]);
	atomic64_add(vm->stats.remap_steps, &t->core[GVB_T_REMAP_STEPS]);
	atomic64_add(vm->stats.unmap_steps, &t->core[GVB_T_UNMAP_STEPS]);
	gvb_vm_unserialize(vm);
	if (bad) {
		gvb_t_fail(t, bad, vm->id, val);
		return;		/* leaked rather than freed in a state we do not understand */
	}
	gvb_vm_destroy(vm);
}

static void gvb_tvm_release(struct kref *kref)
{
	struct gvb_tvm *tvm = container_of(kref, struct gvb_tvm, ref);

	gvb_t_vm_teardown(tvm->t, tvm->vm);
	kfree(tvm);
}

static void gvb_tvm_put(struct gvb_tvm *tvm)
{
	kref_put(&tvm->ref, gvb_tvm_release);
}

static struct gvb_tvm *gvb_t_vm_get(struct gvb_torture *t, unsigned int i)
{
	struct gvb_tvm *tvm;

	spin_lock(&t->lock);
	tvm = t->vm[i];
	if (tvm)
		kref_get(&tvm->ref);
	spin_unlock(&t->lock);
	return tvm;
}

static struct gvb_bo *gvb_t_bo_get(struct gvb_torture *t, unsigned int i)
{
	struct gvb_bo *bo;

	spin_lock(&t->lock);
	bo = t->bo[i];
	if (bo)
		gvb_bo_get(bo);
	spin_unlock(&t->lock);
	return bo;
}

/* Fills empty VM slot @i; 0, or -ENOMEM. A slot refilled meanwhile keeps its VM. */
static int gvb_t_vm_create(struct gvb_tthread *th, unsigned int i)
{
	struct gvb_torture *t = th->t;
	struct gvb_tvm *tvm = kzalloc(sizeof(*tvm), GFP_KERNEL);

	if (!tvm)
		return -ENOMEM;
	tvm->vm = gvb_vm_create(t->p.ops, &gvb_pt_arm_lpae_s1, 0, GVB_T_WINDOW, 0);
	if (!tvm->vm) {
		kfree(tvm);
		return -ENOMEM;
	}
	/* Half the deferred VMs leave their zombies to the worker. */
	if (t->p.ops->deferred_cleanup)
		tvm->vm->defer_async = gvb_t_rand(th, 2);
	kref_init(&tvm->ref);
	tvm->t = t;
	spin_lock(&t->lock);
	if (!t->vm[i]) {
		t->vm[i] = tvm;
		tvm = NULL;
	}
	spin_unlock(&t->lock);
	if (tvm)
		gvb_tvm_put(tvm);
	return 0;
}

static int gvb_t_bo_create(struct gvb_torture *t, unsigned int i)
{
	struct gvb_bo *bo = gvb_bo_create(t->p.ops, GVB_T_BO_SIZE, NULL);

	if (!bo)
		return -ENOMEM;
	spin_lock(&t->lock);
	if (!t->bo[i]) {
		t->bo[i] = bo;
		bo = NULL;
	}
	spin_unlock(&t->lock);
	if (bo)
		gvb_bo_put(bo);
	return 0;
}

/* ----------------------------------------------------------------- ops */

static int gvb_t_vm_cycle(struct gvb_tthread *th, unsigned int i)
{
	struct gvb_torture *t = th->t;
	struct gvb_tvm *tvm;

	gvb_t_count(th, GVB_T_VM_CYCLE);
	spin_lock(&t->lock);
	tvm = t->vm[i];
	t->vm[i] = NULL;
	spin_unlock(&t->lock);
	if (!tvm)
		return gvb_t_vm_create(th, i);
	/* Teardown happens here, or in whichever op still uses it, at its last put. */
	gvb_tvm_put(tvm);
	return 0;
}

static int gvb_t_bo_cycle(struct gvb_tthread *th, unsigned int i)
{
	struct gvb_torture *t = th->t;
	struct gvb_bo *bo;

	gvb_t_count(th, GVB_T_BO_CYCLE);
	spin_lock(&t->lock);
	bo = t->bo[i];
	t->bo[i] = NULL;
	spin_unlock(&t->lock);
	if (!bo)
		return gvb_t_bo_create(t, i);
	/* Mapped BOs live on through their vm_bos; the last unmap frees them. */
	gvb_bo_put(bo);
	return 0;
}

/* A random page-aligned range in the window, mostly small, sometimes a 2 MiB block. */
static void gvb_t_range(struct gvb_tthread *th, u64 *addr, u64 *range, u64 *offset)
{
	u64 pages;

	if (!gvb_t_rand(th, 8)) {
		*range = SZ_2M;
		*addr = gvb_t_rand(th, GVB_T_WINDOW / SZ_2M) * SZ_2M;
		*offset = gvb_t_rand(th, GVB_T_BO_SIZE / SZ_2M) * SZ_2M;
		return;
	}
	pages = 1 + gvb_t_rand(th, gvb_t_rand(th, 8) ? 32 : 1024);
	*range = pages * GVB_PAGE;
	*addr = gvb_t_rand(th, GVB_T_WINDOW / GVB_PAGE - pages + 1) * GVB_PAGE;
	*offset = gvb_t_rand(th, GVB_T_BO_SIZE / GVB_PAGE - pages + 1) * GVB_PAGE;
}

/* 0 and -ENOMEM are the only answers a valid request may get. */
static int gvb_t_ret(struct gvb_tthread *th, struct gvb_vm *vm, const char *what, int ret)
{
	if (ret == -ENOMEM) {
		gvb_t_count(th, GVB_T_ENOMEM);
		return 0;
	}
	if (ret)
		gvb_t_fail(th->t, what, vm->id, ret);
	return ret;
}

static int gvb_t_map(struct gvb_tthread *th, struct gvb_vm *vm, struct gvb_bo *bo)
{
	static const u32 prots[] = { GVB_PROT_READ, GVB_PROT_RW, GVB_PROT_READ | GVB_PROT_EXEC };
	u64 addr, range, offset;

	gvb_t_count(th, GVB_T_MAP);
	gvb_t_range(th, &addr, &range, &offset);
	return gvb_t_ret(th, vm, "map of a valid range failed",
			 gvb_vm_map(vm, bo, addr, range, offset,
				    prots[gvb_t_rand(th, ARRAY_SIZE(prots))]));
}

static int gvb_t_unmap(struct gvb_tthread *th, struct gvb_vm *vm)
{
	u64 addr, range, offset;

	gvb_t_count(th, GVB_T_UNMAP);
	gvb_t_range(th, &addr, &range, &offset);
	if (!gvb_t_rand(th, 16)) {
		addr = 0;
		range = GVB_T_WINDOW;	/* everything, zombies for the deferred strategy */
	}
	return gvb_t_ret(th, vm, "unmap of a valid range failed", gvb_vm_unmap(vm, addr, range));
}

/* One page mapped and unmapped again: a vm_bo born and dying when the BO was not mapped. */
static int gvb_t_churn(struct gvb_tthread *th, struct gvb_vm *vm, struct gvb_bo *bo)
{
	u64 addr = gvb_t_rand(th, GVB_T_WINDOW / GVB_PAGE) * GVB_PAGE;
	u64 offset = gvb_t_rand(th, GVB_T_BO_SIZE / GVB_PAGE) * GVB_PAGE;
	int ret;

	gvb_t_count(th, GVB_T_CHURN);
	ret = gvb_vm_map(vm, bo, addr, GVB_PAGE, offset, GVB_PROT_RW);
	if (ret)
		return gvb_t_ret(th, vm, "churn: map failed", ret);
	return gvb_t_ret(th, vm, "churn: unmap failed", gvb_vm_unmap(vm, addr, GVB_PAGE));
}

static void gvb_t_evict(struct gvb_tthread *th, struct gvb_bo *bo)
{
	gvb_t_count(th, GVB_T_EVICT);
	gvb_bo_evict(bo);
}

static void gvb_t_drain(struct gvb_tthread *th, struct gvb_vm *vm)
{
	gvb_t_count(th, GVB_T_DRAIN);
	gvb_vm_drain_deferred(vm);
}

/* drm_gpuvm_validate()'s walk: every live evicted vm_bo is made valid again. */
static void gvb_t_validate(struct gvb_tthread *th, struct gvb_vm *vm)
{
	struct gvb_vm_bo *vm_bo, *next;

	gvb_t_count(th, GVB_T_VALIDATE);
	spin_lock(&vm->lists_lock);
	list_for_each_entry_safe(vm_bo, next, &vm->evict_list, evict_link) {
		if (!kref_read(&vm_bo->ref))
			continue;	/* a zombie: its cleanup unlinks it */
		vm_bo->evicted = false;
		list_del_init(&vm_bo->evict_link);
	}
	spin_unlock(&vm->lists_lock);
}

/* Random addresses: mapped ones translate to their BO page, the others fault. */
static int gvb_t_probe(struct gvb_tthread *th, struct gvb_vm *vm)
{
	unsigned int i;
	int bad = 0;

	gvb_t_count(th, GVB_T_PROBE);
	gvb_vm_serialize(vm);
	for (i = 0; i < GVB_T_PROBES && !bad; i++) {
		u64 iova = gvb_t_rand(th, GVB_T_WINDOW / GVB_PAGE) * GVB_PAGE, pa = 0;
		struct gvb_itree_node *n = gvb_itree_first(&vm->tree, iova, iova);
		u32 prot = 0;
		int ret = gvb_pt_translate(&vm->pt, iova, &pa, &prot);

		if (n) {
			struct gvb_va *va = container_of(n, struct gvb_va, node);

			bad = ret || pa != va->bo->pa + va->offset + (iova - va->addr) ||
			      prot != va->prot;
		} else {
			bad = !ret;
		}
		if (bad)
			gvb_t_fail(th->t, n ? "probe: a mapped page translates wrongly" :
				   "probe: an unmapped page translates", vm->id, (long long)iova);
	}
	gvb_vm_unserialize(vm);
	return bad ? -EINVAL : 0;
}

/*
 * Every vm_bo of @vm's VAs is on its BO's list exactly once. Needs the VM's
 * serialization and every mapped BO's resv, as an op holds them.
 */
static int gvb_t_check_vm_bos(struct gvb_torture *t, struct gvb_vm *vm)
{
	struct gvb_va *va;

	list_for_each_entry(va, &vm->va_list, vm_link) {
		struct gvb_vm_bo *vm_bo = va->vm_bo, *other;
		struct gvb_bo *bo = va->bo;
		unsigned int n = 0;

		if (vm_bo->va_list.next != &va->vm_bo_link)
			continue;	/* seen from its first VA */
		bo->ops->list_lock(bo);
		list_for_each_entry(other, &bo->gpuva.list, bo_link)
			n += other == vm_bo;
		bo->ops->list_unlock(bo);
		if (n != 1) {
			gvb_t_fail(t, "vm_bo not on its BO's list exactly once", vm->id, n);
			return -EINVAL;
		}
	}
	return 0;
}

/* A full check of one VM, under the locks a whole-VM unmap takes, and of one BO. */
static int gvb_t_check(struct gvb_tthread *th, struct gvb_vm *vm, struct gvb_bo *bo)
{
	const struct gvb_strategy_ops *ops = vm->ops;
	struct gvb_op op;
	int ret;

	gvb_t_count(th, GVB_T_CHECK);
	memset(&op, 0, sizeof(op));
	op.vm = vm;
	op.addr = vm->va_start;
	op.range = vm->va_end - vm->va_start;
	ret = ops->op_lock(&op);
	if (ret)
		return gvb_t_ret(th, vm, "check: locking failed", ret);
	ret = gvb_vm_check(vm);
	if (!ret)
		ret = gvb_vm_check_pt(vm);
	if (ret)
		gvb_t_fail(th->t, "check: VM invariants (the line above says which)", vm->id, ret);
	else
		ret = gvb_t_check_vm_bos(th->t, vm);
	ops->op_unlock(&op);
	if (!ret && bo && gvb_bo_check(bo)) {
		gvb_t_fail(th->t, "check: BO invariants (the line above says which)", 0, bo->id);
		ret = -EINVAL;
	}
	return ret;
}

/* One random op; empty slots are refilled by the op that finds them empty. */
static int gvb_t_op(struct gvb_tthread *th, bool full_check)
{
	struct gvb_torture *t = th->t;
	unsigned int vi = gvb_t_rand(th, t->p.vms), bi = gvb_t_rand(th, t->p.bos);
	unsigned int roll = gvb_t_rand(th, 100);
	struct gvb_tvm *tvm;
	struct gvb_bo *bo;
	int ret = 0;

	gvb_t_count(th, GVB_T_OPS);
	if (full_check)
		roll = 100;
	if (roll < 2)
		return gvb_t_vm_cycle(th, vi);
	if (roll < 6)
		return gvb_t_bo_cycle(th, bi);
	tvm = gvb_t_vm_get(t, vi);
	if (!tvm)
		return gvb_t_vm_cycle(th, vi);
	bo = gvb_t_bo_get(t, bi);
	if (roll < 36)
		ret = bo ? gvb_t_map(th, tvm->vm, bo) : gvb_t_bo_cycle(th, bi);
	else if (roll < 56)
		ret = gvb_t_unmap(th, tvm->vm);
	else if (roll < 68)
		ret = bo ? gvb_t_churn(th, tvm->vm, bo) : gvb_t_bo_cycle(th, bi);
	else if (roll < 76 && !bo)
		ret = gvb_t_bo_cycle(th, bi);
	else if (roll < 76)
		gvb_t_evict(th, bo);
	else if (roll < 82)
		gvb_t_validate(th, tvm->vm);
	else if (roll < 86)
		gvb_t_drain(th, tvm->vm);
	else if (roll < 99)
		ret = gvb_t_probe(th, tvm->vm);
	else
		ret = gvb_t_check(th, tvm->vm, bo);
	if (bo)
		gvb_bo_put(bo);
	gvb_tvm_put(tvm);
	return ret;
}

/* ----------------------------------------------------------------- API */

void gvb_torture_params_str(const struct gvb_torture_params *p, char *buf, size_t len)
{
	snprintf(buf, len,
		 "strategy=%s threads=%u vms=%u bos=%u ops=%llu duration_ms=%llu seed=%llu check_every=%llu",
		 p->ops ? p->ops->name : "?", p->threads, p->vms, p->bos,
		 (unsigned long long)p->n_ops, (unsigned long long)(p->duration_ns / 1000000),
		 (unsigned long long)p->seed, (unsigned long long)p->check_every);
}

int gvb_torture_create(const struct gvb_torture_params *p, struct gvb_torture **out)
{
	struct gvb_torture *t;
	unsigned int i;

	if (!p->ops || !p->threads || p->threads > GVB_TORTURE_MAX_THREADS || !p->vms ||
	    p->vms > GVB_TORTURE_MAX_VMS || !p->bos || p->bos > GVB_TORTURE_MAX_BOS ||
	    (!p->n_ops && !p->duration_ns)) {
		pr_err("gvb torture: threads 1..%u, vms 1..%u, bos 1..%u, and an op count or a duration\n",
		       GVB_TORTURE_MAX_THREADS, GVB_TORTURE_MAX_VMS, GVB_TORTURE_MAX_BOS);
		return -EINVAL;
	}
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->p = *p;
	if (!t->p.check_every)
		t->p.check_every = 1000;
	spin_lock_init(&t->lock);
	spin_lock_init(&t->fail_lock);
	t->th = kcalloc(p->threads, sizeof(*t->th), GFP_KERNEL);
	if (!t->th) {
		kfree(t);
		return -ENOMEM;
	}
	for (i = 0; i < p->threads; i++) {
		t->th[i].t = t;
		/* Thread i's op sequence depends on the seed alone (and, with 2+ threads, timing). */
		t->th[i].rng.rng = p->seed * 0x9e3779b97f4a7c15ULL + i;
	}
	if (p->duration_ns)
		t->deadline = ktime_get_ns() + p->duration_ns;
	*out = t;
	return 0;
}

void gvb_torture_stop(struct gvb_torture *t)
{
	atomic_set(&t->stop, 1);
}

int gvb_torture_thread(struct gvb_torture *t, unsigned int idx)
{
	struct gvb_tthread *th = &t->th[idx];
	u64 n = 0;

	while (!atomic_read(&t->stop)) {
		if (t->p.n_ops && (u64)atomic64_inc_return(&t->claimed) > t->p.n_ops)
			break;
		if (t->deadline && !(n & 15) && ktime_get_ns() > t->deadline)
			break;
		n++;
		gvb_t_op(th, !(n % t->p.check_every));
	}
	return atomic_read(&t->failures) ? -EINVAL : 0;
}

void gvb_torture_sum(struct gvb_torture *t, struct gvb_torture_stats *s)
{
	unsigned int i, c;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < t->p.threads; i++)
		for (c = 0; c < GVB_T_NR; c++)
			s->c[c] += atomic64_read(&t->th[i].c[c]);
	for (c = 0; c < GVB_T_NR; c++)
		s->c[c] += atomic64_read(&t->core[c]);
	s->failures = atomic_read(&t->failures);
}

int gvb_torture_finish(struct gvb_torture *t)
{
	struct gvb_tthread *th = &t->th[0];
	unsigned int i;

	/* A last full check of every VM, then every VM dies with its checks. */
	for (i = 0; i < t->p.vms; i++) {
		struct gvb_tvm *tvm = t->vm[i];

		if (!tvm)
			continue;
		if (!atomic_read(&t->failures))
			gvb_t_check(th, tvm->vm, NULL);
		t->vm[i] = NULL;
		gvb_tvm_put(tvm);
	}
	/* Nothing maps the BOs any more: each holds its creator's reference only. */
	for (i = 0; i < t->p.bos; i++) {
		struct gvb_bo *bo = t->bo[i];

		if (!bo)
			continue;
		t->bo[i] = NULL;
		if (gvb_bo_check(bo))
			gvb_t_fail(t, "final BO invariants", 0, bo->id);
		else if (!list_empty(&bo->gpuva.list))
			gvb_t_fail(t, "BO still has vm_bos after every VM died", 0, bo->id);
		else if (kref_read(&bo->ref) != 1)
			gvb_t_fail(t, "BO references left besides the creator's", 0,
				   kref_read(&bo->ref));
		gvb_bo_put(bo);
	}
	return atomic_read(&t->failures) ? -EINVAL : 0;
}

void gvb_torture_line(struct gvb_torture *t, bool failed, char *buf, size_t len)
{
	struct gvb_torture_stats s;
	size_t n;
	unsigned int c;

	gvb_torture_sum(t, &s);
	n = snprintf(buf, len, "%s ", failed ? "FAILURE" : "SUCCESS");
	if (n < len)
		gvb_torture_params_str(&t->p, buf + n, len - n);
	for (c = 0; c < GVB_T_NR; c++) {
		n = strlen(buf);
		if (n < len)
			snprintf(buf + n, len - n, " %s=%llu", gvb_torture_counter_names[c],
				 (unsigned long long)s.c[c]);
	}
	n = strlen(buf);
	if (n < len)
		snprintf(buf + n, len - n, " failures=%llu%s%s", (unsigned long long)s.failures,
			 t->failure[0] ? " first: " : "", t->failure);
}

const char *gvb_torture_failure(struct gvb_torture *t)
{
	return t->failure[0] ? t->failure : NULL;
}

void gvb_torture_free(struct gvb_torture *t)
{
	if (!t)
		return;
	kfree(t->th);
	kfree(t);
}
