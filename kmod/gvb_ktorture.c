// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * GVBENCH_IOC_TORTURE: the torture engine (core/gvb_torture.c) driven by
 * kernel threads, the way locktorture drives its writers. The calling task
 * waits for them, logging one progress line a second, and a fatal signal
 * stops the run early. Each thread exits through
 * kthread_complete_and_exit(), so none is still running module code once
 * its completion is seen and the module may be unloaded after the ioctl.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/sched/signal.h>

#include "gvb_kmod.h"
#include "gvb_torture.h"

struct gvb_kt_thread {
	struct gvb_torture *t;
	unsigned int idx;
	struct completion done;
};

static int gvb_kt_fn(void *arg)
{
	struct gvb_kt_thread *kt = arg;

	gvb_torture_thread(kt->t, kt->idx);
	kthread_complete_and_exit(&kt->done, 0);
}

static void gvb_kt_progress(struct gvb_torture *t, const char *name, u64 start)
{
	struct gvb_torture_stats s;

	gvb_torture_sum(t, &s);
	pr_info("torture: %s %llus: ops=%llu map=%llu unmap=%llu churn=%llu evict=%llu vm_cycle=%llu bo_cycle=%llu checks=%llu failures=%llu\n",
		name, (ktime_get_ns() - start) / NSEC_PER_SEC, s.c[GVB_T_OPS], s.c[GVB_T_MAP],
		s.c[GVB_T_UNMAP], s.c[GVB_T_CHURN], s.c[GVB_T_EVICT], s.c[GVB_T_VM_CYCLE],
		s.c[GVB_T_BO_CYCLE], s.c[GVB_T_CHECK], s.failures);
}

int gvb_ktorture_run(const struct gvb_strategy_ops *ops, struct gvbench_torture *a)
{
	struct gvb_torture_params p = {
		.ops = ops,
		.threads = a->threads,
		.vms = a->vms ? a->vms : 4,
		.bos = a->bos ? a->bos : 8,
		.n_ops = a->ops,
		.duration_ns = a->duration_ms * NSEC_PER_MSEC,
		.seed = a->seed,
		.check_every = a->check_every,
	};
	struct gvb_torture_stats s;
	struct gvb_kt_thread *kts;
	struct task_struct *held;
	struct gvb_torture *t;
	unsigned int i, started;
	u64 start = ktime_get_ns();
	bool failed;
	int ret;

	ret = gvb_torture_create(&p, &t);
	if (ret)
		return ret;
	kts = kcalloc(p.threads, sizeof(*kts), GFP_KERNEL);
	if (!kts) {
		gvb_torture_free(t);
		return -ENOMEM;
	}
	/*
	 * Past setup, injected failures would only hit the final checks and
	 * the teardown in this task, which cannot report them: see gvb_fault_hold().
	 */
	held = gvb_fault_hold();
	for (started = 0; started < p.threads; started++) {
		struct task_struct *task;

		kts[started].t = t;
		kts[started].idx = started;
		init_completion(&kts[started].done);
		task = kthread_run(gvb_kt_fn, &kts[started], "gvb_torture/%u", started);
		if (IS_ERR(task)) {
			pr_err("torture: cannot start thread %u: %ld\n", started, PTR_ERR(task));
			gvb_torture_stop(t);
			break;
		}
	}
	for (i = 0; i < started; i++) {
		while (!wait_for_completion_timeout(&kts[i].done, HZ)) {
			if (fatal_signal_pending(current))
				gvb_torture_stop(t);
			gvb_kt_progress(t, ops->name, start);
		}
	}
	kfree(kts);

	failed = gvb_torture_finish(t) || started < p.threads;
	gvb_kt_progress(t, ops->name, start);
	gvb_torture_line(t, failed, a->line, sizeof(a->line));
	pr_info("torture: %s\n", a->line);
	gvb_torture_sum(t, &s);
	BUILD_BUG_ON(GVB_T_NR > GVBENCH_TORTURE_COUNTERS);
	for (i = 0; i < GVB_T_NR; i++)
		a->counters[i] = s.c[i];
	a->n_counters = GVB_T_NR;
	a->failures = s.failures;
	a->failed = failed;
	gvb_torture_free(t);
	gvb_fault_unhold(held);
	return 0;
}
