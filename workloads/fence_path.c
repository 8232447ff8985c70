// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * fence-path: binds as panthor runs them from run_job, inside the fence
 * signalling path, where nothing may be allocated. batch_prepare (untimed)
 * builds, for each op, a prepared map and a prepared unmap of the same VA
 * with gvb_op_prepare_map()/gvb_op_prepare_unmap(); run() only commits
 * them, map i then unmap i. What it stresses: the commit path alone, with
 * its locks, tree, list and page-table work and no allocator in the
 * timed region. It is meant for the immediate strategies, but it runs the
 * staged ones too (their commit takes the resvs through drm_exec).
 *
 * Why preparing the unmap before its map is committed is enough: every
 * prepared op carries its own VAs (3 for a map, 2 for an unmap), its own
 * vm_bo (a map) and its own page-table pages, bought by prepare up to the
 * op's upper bound (gvb_pt_op_pages(), panthor's count, or with pt_reclaim
 * gvb_pt_pages_needed(); neither depends on what is mapped). Commit lends those pages to the table, which draws from
 * them before its cache, and takes back what was not used; batch_finish
 * frees the leftovers, untimed. So no commit allocates, whatever ran
 * before it.
 *
 * Memory and caches: the bound is generous (6 pages for a 4K map+unmap
 * pair, 21 with pt_reclaim, against 0 used in steady state), so a 2 ms
 * batch prepares MiBs, and
 * commits touch memory that prepare wrote long before: cold. That is part
 * of what a real fence-path bind pays (its structures were allocated at
 * ioctl time), exaggerated here by the batch; compare strategies on this
 * workload with each other, not with map-unmap.
 *
 * One op: commit of a prepared map + commit of a prepared unmap.
 */
#include "gvb_workload.h"

struct fence_path {
	struct gvb_op **ops;	/* map 0, unmap 0, map 1, unmap 1, ... */
	u64 nr_ops;		/* prepared */
	u64 next;		/* the next one to commit */
};

static int fence_path_thread_setup(struct gvb_wl_thread *t)
{
	int ret = gvb_wl_own_vm_and_bo(t, t->wl->p.size, t->wl->p.size);

	if (ret)
		return ret;
	t->priv = kzalloc(sizeof(struct fence_path), GFP_KERNEL);
	if (!t->priv) {
		gvb_wl_put_vm_and_bo(t);
		return -ENOMEM;
	}
	return 0;
}

/* Frees every prepared op, committed or not: the unused preallocations go with them. */
static void fence_path_batch_finish(struct gvb_wl_thread *t)
{
	struct fence_path *fp = t->priv;
	u64 i;

	for (i = 0; i < fp->nr_ops; i++)
		gvb_op_free(fp->ops[i]);
	kvfree(fp->ops);
	fp->ops = NULL;
	fp->nr_ops = 0;
	fp->next = 0;
}

static int fence_path_batch_prepare(struct gvb_wl_thread *t, u64 n)
{
	struct fence_path *fp = t->priv;
	u64 size = t->wl->p.size;

	fence_path_batch_finish(t);	/* leftovers of a batch that was not finished */
	if (n > UINT_MAX)	/* keeps 2 * n from overflowing */
		return -EINVAL;
	fp->ops = kvmalloc_array(2 * n, sizeof(*fp->ops), GFP_KERNEL);
	if (!fp->ops)
		return -ENOMEM;
	while (fp->nr_ops < 2 * n) {
		/* VA 0 is aligned for every block size. */
		struct gvb_op *op = fp->nr_ops & 1 ? gvb_op_prepare_unmap(t->vm, 0, size) :
				    gvb_op_prepare_map(t->vm, t->bo, 0, size, 0, GVB_PROT_RW);

		if (!op) {
			fence_path_batch_finish(t);
			return -ENOMEM;
		}
		fp->ops[fp->nr_ops++] = op;
	}
	return 0;
}

static int fence_path_run(struct gvb_wl_thread *t, u64 n)
{
	struct fence_path *fp = t->priv;
	int ret = 0;

	/* Only what batch_prepare built can run: no allocation here, ever. */
	if (n > (fp->nr_ops - fp->next) / 2)
		return -EINVAL;
	while (n-- && !ret) {
		ret = gvb_op_commit(fp->ops[fp->next++]);
		if (!ret)
			ret = gvb_op_commit(fp->ops[fp->next++]);
	}
	return ret;
}

static void fence_path_thread_teardown(struct gvb_wl_thread *t)
{
	if (t->priv)
		fence_path_batch_finish(t);
	kfree(t->priv);
	t->priv = NULL;
	gvb_wl_put_vm_and_bo(t);
}

const struct gvb_workload gvb_wl_fence_path = {
	.name = "fence-path",
	.desc = "commit preallocated map/unmap ops, no allocation in the timed region (run_job)",
	.op_desc = "commit map + commit unmap",
	.defaults = { .threads = 1, .size = SZ_4K },
	.thread_setup = fence_path_thread_setup,
	.batch_prepare = fence_path_batch_prepare,
	.run = fence_path_run,
	.batch_finish = fence_path_batch_finish,
	.thread_teardown = fence_path_thread_teardown,
};
