// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * lock-pair: one uncontended mutex_lock()/mutex_unlock() pair per op, on a
 * mutex private to the thread. It prices the primitive that resv+gpuva adds
 * to every gpuva list operation, in the same harness as everything else, so
 * a resv vs resv+gpuva delta can be read as "N extra pairs" against it.
 */
#include "gvb_workload.h"

static int lock_pair_thread_setup(struct gvb_wl_thread *t)
{
	struct mutex *m = kmalloc(sizeof(*m), GFP_KERNEL);

	if (!m)
		return -ENOMEM;
	mutex_init(m);
	t->priv = m;
	return 0;
}

static int lock_pair_run(struct gvb_wl_thread *t, u64 n)
{
	struct mutex *m = t->priv;

	while (n--) {
		mutex_lock(m);
		mutex_unlock(m);
	}
	return 0;
}

static void lock_pair_thread_teardown(struct gvb_wl_thread *t)
{
	mutex_destroy(t->priv);
	kfree(t->priv);
}

const struct gvb_workload gvb_wl_lock_pair = {
	.name = "lock-pair",
	.desc = "one uncontended mutex lock/unlock pair: the unit resv+gpuva adds per list op",
	.op_desc = "mutex_lock+mutex_unlock",
	.flags = GVB_WL_HIDDEN,
	.defaults = { .threads = 1, .size = SZ_4K },
	.thread_setup = lock_pair_thread_setup,
	.run = lock_pair_run,
	.thread_teardown = lock_pair_thread_teardown,
};
