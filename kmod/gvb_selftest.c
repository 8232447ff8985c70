// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The module's self-test, in KTAP: the interval tree against a brute-force
 * model, the split/merge walk against recordings of the real drm_gpuvm,
 * the page tables, every usable strategy's invariants after a mixed
 * map/unmap loop, and every workload's setup/run/teardown. It exercises the
 * very objects that userspace benchmarks, compiled by this kernel's
 * compiler with this kernel's locks, where the userspace tests cannot look.
 *
 * Run at load with selftest=1, by GVBENCH_IOC_SELFTEST, or by reading
 * debugfs gvbench/selftest. Runs are serialized so that their KTAP lines do
 * not interleave.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/utsname.h>

#include "gvb_kmod.h"
#include "gvb_selftest_vectors.h"
#include "gvb_vectors.h"

struct gvb_ktap {
	char *buf;
	size_t len, pos;
	unsigned int n, passed, failed;
};

static __printf(2, 3) void gvb_ktap_print(struct gvb_ktap *k, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	/* No module prefix: KTAP parsers want the lines as they are. */
	printk(KERN_INFO "%pV\n", &vaf);
	va_end(args);

	if (!k->buf || k->pos + 1 >= k->len)
		return;
	va_start(args, fmt);
	k->pos += vscnprintf(k->buf + k->pos, k->len - k->pos, fmt, args);
	va_end(args);
	k->pos += scnprintf(k->buf + k->pos, k->len - k->pos, "\n");
}

/* A diagnostic line ("# ...") of the test being run. */
#define gvb_diag(k, fmt, ...)	gvb_ktap_print(k, "# " fmt, ##__VA_ARGS__)

static void gvb_ktap_result(struct gvb_ktap *k, const char *name, int ret)
{
	k->n++;
	if (ret) {
		k->failed++;
		gvb_ktap_print(k, "not ok %u %s", k->n, name);
	} else {
		k->passed++;
		gvb_ktap_print(k, "ok %u %s", k->n, name);
	}
}

/* Seeded per test, so that every run checks the same cases. */
static u64 gvb_st_below(u64 *state, u64 n)
{
	return gvb_rand64(state) % n;
}

/* ------------------------------------------------------ interval tree */

#define GVB_ST_NODES	160
#define GVB_ST_SPAN	1000

/* Every overlap of [start, last] by walking the tree, against a full scan. */
static int gvb_st_itree_query(struct gvb_ktap *k, struct gvb_itree *t,
			      struct gvb_itree_node *nodes, const bool *in, u64 start, u64 last)
{
	struct gvb_itree_node *n;
	unsigned int i, want = 0, got = 0;
	u64 prev_start = 0;

	for (i = 0; i < GVB_ST_NODES; i++)
		if (in[i] && nodes[i].start <= last && nodes[i].last >= start)
			want++;
	for (n = gvb_itree_first(t, start, last); n; n = gvb_itree_next(n, start, last)) {
		if (n->start > last || n->last < start || n->start < prev_start) {
			gvb_diag(k, "itree: [%llu, %llu] returned for [%llu, %llu]: order or range",
				 n->start, n->last, start, last);
			return -EINVAL;
		}
		prev_start = n->start;
		if (++got > GVB_ST_NODES)
			break;
	}
	if (got != want) {
		gvb_diag(k, "itree: [%llu, %llu] overlaps %u nodes, the tree found %u",
			 start, last, want, got);
		return -EINVAL;
	}
	return 0;
}

static int gvb_st_itree(struct gvb_ktap *k)
{
	struct gvb_itree_node *nodes;
	struct gvb_itree t;
	bool in[GVB_ST_NODES] = { };
	u64 rng = 1;
	unsigned int i, round;
	int ret = 0;

	nodes = kcalloc(GVB_ST_NODES, sizeof(*nodes), GFP_KERNEL);
	if (!nodes)
		return -ENOMEM;
	gvb_itree_init(&t);
	/* Mixed inserts and removes, so rotations happen on both paths. */
	for (round = 0; round < 4 * GVB_ST_NODES && !ret; round++) {
		i = gvb_st_below(&rng, GVB_ST_NODES);
		if (in[i]) {
			gvb_itree_remove(&t, &nodes[i]);
			in[i] = false;
		} else {
			nodes[i].start = gvb_st_below(&rng, GVB_ST_SPAN);
			nodes[i].last = nodes[i].start + gvb_st_below(&rng, 40);
			gvb_itree_insert(&t, &nodes[i]);
			in[i] = true;
		}
		if (gvb_itree_check(&t)) {
			gvb_diag(k, "itree: invariants broken after step %u", round);
			ret = -EINVAL;
			break;
		}
		if (round % 8 == 0) {
			u64 start = gvb_st_below(&rng, GVB_ST_SPAN + 50);

			ret = gvb_st_itree_query(k, &t, nodes, in, start,
						 start + gvb_st_below(&rng, 100));
		}
	}
	for (i = 0; i < GVB_ST_NODES; i++)
		if (in[i])
			gvb_itree_remove(&t, &nodes[i]);
	if (!ret && (t.root || t.count)) {
		gvb_diag(k, "itree: not empty after removing everything");
		ret = -EINVAL;
	}
	kfree(nodes);
	return ret;
}

static int gvb_st_vm_checks(struct gvb_ktap *k, const char *what, struct gvb_vm *vm)
{
	int ret;

	gvb_vm_serialize(vm);
	ret = gvb_vm_check(vm);
	if (!ret)
		ret = gvb_vm_check_pt(vm);
	gvb_vm_unserialize(vm);
	if (ret)
		gvb_diag(k, "%s: gvb_vm_check/gvb_vm_check_pt failed (see above)", what);
	return ret;
}

/* ---------------------------------------------------- split/merge walk */

/* The recording's excerpt through the checker gvb-vectors uses (core/gvb_vectors.c). */
static int gvb_st_sm(struct gvb_ktap *k)
{
	struct gvb_vec *v;
	unsigned int i, s;
	int ret = 0;

	v = kzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(gvb_sm_vectors) && !ret; i++)
		ret = gvb_vec_feed(v, gvb_sm_vectors[i]);
	if (ret) {
		gvb_diag(k, "sm: \"%s\": %s (%d)", gvb_sm_vectors[i - 1], v->reason, ret);
		if (ret == GVB_VEC_MISMATCH) {
			gvb_diag(k, "sm: in \"%s\" of seq %ld", v->op, v->seq);
			for (s = 0; s < v->nsteps; s++)
				gvb_diag(k, "sm: we emitted \"%s\"", v->steps[s]);
			if (!strncmp(gvb_sm_vectors[i - 1], "tree ", 5))
				gvb_diag(k, "sm: our tree \"%s\"", v->tree);
			ret = -EINVAL;
		}
	} else if (!v->ops) {
		ret = -EPROTO;
	} else {
		gvb_diag(k, "sm: %lu sequences, %lu ops match drm_gpuvm 7.3.4", v->seqs, v->ops);
	}
	gvb_vec_fini(v);
	kfree(v);
	return ret;
}

/* ---------------------------------------------------------- page tables */

/* @iova must translate to @pa (or fault, for pa == ~0). */
static int gvb_st_xlate(struct gvb_ktap *k, struct gvb_pt *pt, u64 iova, u64 pa)
{
	u64 got = 0;
	u32 prot = 0;
	int ret = gvb_pt_translate(pt, iova, &got, &prot);

	if (pa == ~0ULL) {
		if (ret != -EFAULT) {
			gvb_diag(k, "pt: %#llx should fault, translates to %#llx", iova, got);
			return -EINVAL;
		}
		return 0;
	}
	if (ret || got != pa) {
		gvb_diag(k, "pt: %#llx translates to %#llx (%d), expected %#llx", iova, got, ret,
			 pa);
		return -EINVAL;
	}
	return 0;
}

static int gvb_st_pt(struct gvb_ktap *k)
{
	const u64 pa = 1ULL << 32, blk = 4 * SZ_2M;
	struct gvb_pt pt;
	u64 blocks, live;
	int ret;

	ret = gvb_pt_init(&pt, &gvb_pt_arm_lpae_s1, 0);
	if (ret)
		return ret;
	/* Checked against the reclaiming policy; io-pgtable's is tests/test_pt.c's. */
	pt.reclaim = true;
	live = pt.stats.tables_live;

	/* 4 KiB pages, a 64 KiB run, and the holes around them. */
	ret = gvb_pt_map(&pt, SZ_4K, pa, SZ_4K, GVB_PROT_RW);
	ret = ret ?: gvb_pt_map(&pt, SZ_1G, pa + SZ_64K, SZ_64K, GVB_PROT_READ);
	ret = ret ?: gvb_st_xlate(k, &pt, SZ_4K, pa);
	ret = ret ?: gvb_st_xlate(k, &pt, SZ_4K + 0x123, pa + 0x123);
	ret = ret ?: gvb_st_xlate(k, &pt, 0, ~0ULL);
	ret = ret ?: gvb_st_xlate(k, &pt, 2 * SZ_4K, ~0ULL);
	ret = ret ?: gvb_st_xlate(k, &pt, SZ_1G + SZ_64K - SZ_4K, pa + 2 * SZ_64K - SZ_4K);
	ret = ret ?: gvb_st_xlate(k, &pt, SZ_1G + SZ_64K, ~0ULL);

	/* A 2 MiB-aligned range with an aligned address maps as blocks... */
	blocks = pt.stats.blocks;
	ret = ret ?: gvb_pt_map(&pt, blk, pa + SZ_2M, SZ_2M, GVB_PROT_RW);
	if (!ret && pt.stats.blocks != blocks + 1) {
		gvb_diag(k, "pt: a 2M-aligned 2M map wrote %llu blocks, expected 1",
			 pt.stats.blocks - blocks);
		ret = -EINVAL;
	}
	ret = ret ?: gvb_st_xlate(k, &pt, blk + SZ_1M + 0x40, pa + SZ_2M + SZ_1M + 0x40);
	/* ...and unmapping one page out of the middle splits the block. */
	ret = ret ?: gvb_pt_unmap(&pt, blk + SZ_1M, SZ_4K);
	ret = ret ?: gvb_st_xlate(k, &pt, blk + SZ_1M, ~0ULL);
	ret = ret ?: gvb_st_xlate(k, &pt, blk + SZ_1M - SZ_4K, pa + SZ_2M + SZ_1M - SZ_4K);
	ret = ret ?: gvb_st_xlate(k, &pt, blk + SZ_1M + SZ_4K, pa + SZ_2M + SZ_1M + SZ_4K);
	ret = ret ?: gvb_st_xlate(k, &pt, blk, pa + SZ_2M);
	ret = ret ?: gvb_st_xlate(k, &pt, blk + SZ_2M - SZ_4K, pa + 2 * SZ_2M - SZ_4K);

	/* Unmapping everything, holes included, frees every table but the root. */
	ret = ret ?: gvb_pt_unmap(&pt, 0, 2ULL * SZ_1G);
	ret = ret ?: gvb_st_xlate(k, &pt, blk, ~0ULL);
	ret = ret ?: gvb_st_xlate(k, &pt, SZ_4K, ~0ULL);
	if (!ret && pt.stats.tables_live != live) {
		gvb_diag(k, "pt: %llu tables live after unmapping everything, expected %llu",
			 pt.stats.tables_live, live);
		ret = -EINVAL;
	}
	gvb_pt_fini(&pt);
	return ret;
}

/* ----------------------------------------------------------- strategies */

#define GVB_ST_WINDOW	(64 * GVB_PAGE)
#define GVB_ST_BASE	SZ_2M
#define GVB_ST_BO_SIZE	SZ_2M	/* room for the 2 MiB block below */

/*
 * A VM with two external BOs and one private BO, a few hundred random maps
 * and unmaps over a small window (so they overlap, split and replace each
 * other), then every invariant the core can check.
 */
static int gvb_st_strategy(struct gvb_ktap *k, const struct gvb_strategy_ops *ops)
{
	struct gvb_bo *bos[3] = { };
	struct gvb_vm *vm;
	u64 rng = 7;
	unsigned int i;
	int ret = 0;

	vm = gvb_vm_create(ops, &gvb_pt_arm_lpae_s1, 0, SZ_1G, 0);
	if (!vm)
		return -ENOMEM;
	bos[0] = gvb_bo_create(ops, GVB_ST_BO_SIZE, NULL);
	bos[1] = gvb_bo_create(ops, GVB_ST_BO_SIZE, NULL);
	bos[2] = gvb_bo_create(ops, GVB_ST_BO_SIZE, vm);
	if (!bos[0] || !bos[1] || !bos[2]) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < 400 && !ret; i++) {
		u64 pages = 1 + gvb_st_below(&rng, 16);
		u64 addr = GVB_ST_BASE + gvb_st_below(&rng, GVB_ST_WINDOW / GVB_PAGE - pages) *
			   GVB_PAGE;
		u64 range = pages * GVB_PAGE;

		if (gvb_st_below(&rng, 3)) {
			struct gvb_bo *bo = bos[gvb_st_below(&rng, 3)];
			u64 off = gvb_st_below(&rng, GVB_ST_BO_SIZE / GVB_PAGE - pages) * GVB_PAGE;

			ret = gvb_vm_map(vm, bo, addr, range, off, GVB_PROT_RW);
		} else {
			ret = gvb_vm_unmap(vm, addr, range);
		}
		if (ret)
			gvb_diag(k, "%s: op %u returned %d", ops->name, i, ret);
		if (!ret && i % 50 == 49)
			ret = gvb_st_vm_checks(k, ops->name, vm);
	}
	/* A block, then a hole punched into it through the strategy's own path. */
	ret = ret ?: gvb_vm_map(vm, bos[0], 64 * SZ_2M, SZ_2M, 0, GVB_PROT_RW);
	ret = ret ?: gvb_vm_map(vm, bos[1], 64 * SZ_2M + SZ_64K, SZ_4K, 0, GVB_PROT_READ);
	ret = ret ?: gvb_st_vm_checks(k, ops->name, vm);
	gvb_vm_drain_deferred(vm);
	for (i = 0; i < ARRAY_SIZE(bos) && !ret; i++) {
		ret = gvb_bo_check(bos[i]);
		if (ret)
			gvb_diag(k, "%s: gvb_bo_check of bo %u failed", ops->name, i);
	}
out:
	/* Drop the BO handles first, so that unmapping at destroy frees them. */
	for (i = 0; i < ARRAY_SIZE(bos); i++)
		if (bos[i])
			gvb_bo_put(bos[i]);
	gvb_vm_destroy(vm);
	return ret;
}

/* ------------------------------------------------------------ workloads */

/*
 * Each workload with each usable strategy: init with two threads and
 * small parameters, a few ops per thread (one task runs them in turn),
 * teardown. It catches anything a workload file does that the kernel API
 * does not allow.
 */
static int gvb_st_workload(struct gvb_ktap *k, const struct gvb_workload *w)
{
	const struct gvb_strategy_ops *const *s;
	struct gvb_wl *wl;
	int ret = 0;

	wl = kzalloc(sizeof(*wl), GFP_KERNEL);
	if (!wl)
		return -ENOMEM;
	for (s = gvb_strategies; *s && !ret; s++) {
		struct gvb_wl_params p = {
			.threads = 2, .size = SZ_4K, .count = 16, .seed = 1,
		};
		unsigned int i;

		if ((*s)->flags & GVB_STRATEGY_BROKEN)
			continue;
		p.defer_async = !!((*s)->deferred_cleanup);
		ret = gvb_wl_init(wl, w, *s, &p);
		if (ret) {
			gvb_diag(k, "%s/%s: init returned %d", w->name, (*s)->name, ret);
			break;
		}
		for (i = 0; i < wl->p.threads && !ret; i++) {
			struct gvb_wl_batch b = { .n = 4 };

			ret = gvb_wl_run_batch(&wl->threads[i], &b);
		}
		if (ret)
			gvb_diag(k, "%s/%s: thread %u returned %d", w->name, (*s)->name, i, ret);
		gvb_wl_fini(wl);
	}
	kfree(wl);
	return ret;
}

/* -------------------------------------------------------------- driver */

static DEFINE_MUTEX(gvb_selftest_lock);

int gvb_selftest_run(char *buf, size_t len, unsigned int *passed)
{
	const struct gvb_strategy_ops *const *s;
	const struct gvb_workload *const *w;
	struct gvb_ktap k = { .buf = buf, .len = len };
	unsigned int planned = 3;
	char name[64];

	for (s = gvb_strategies; *s; s++)
		planned += !((*s)->flags & GVB_STRATEGY_BROKEN);
	for (w = gvb_workloads; *w; w++)
		planned++;

	mutex_lock(&gvb_selftest_lock);
	if (buf && len)
		buf[0] = '\0';
	gvb_ktap_print(&k, "KTAP version 1");
	gvb_ktap_print(&k, "1..%u", planned);
	gvb_diag(&k, "gvbench selftest on %s", init_utsname()->release);

	gvb_ktap_result(&k, "itree", gvb_st_itree(&k));
	gvb_ktap_result(&k, "sm-vectors-7.3.4", gvb_st_sm(&k));
	gvb_ktap_result(&k, "pt-arm-lpae-s1", gvb_st_pt(&k));
	for (s = gvb_strategies; *s; s++) {
		if ((*s)->flags & GVB_STRATEGY_BROKEN)
			continue;
		snprintf(name, sizeof(name), "strategy-%s", (*s)->name);
		gvb_ktap_result(&k, name, gvb_st_strategy(&k, *s));
	}
	for (w = gvb_workloads; *w; w++) {
		snprintf(name, sizeof(name), "workload-%s", (*w)->name);
		gvb_ktap_result(&k, name, gvb_st_workload(&k, *w));
	}

	gvb_ktap_print(&k, "# gvbench selftest: %u passed, %u failed", k.passed, k.failed);
	mutex_unlock(&gvb_selftest_lock);
	*passed = k.passed;
	return k.failed;
}
