/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * A workload is one file under workloads/ with one const struct
 * gvb_workload, listed once in workloads/list.h. It owns setup, the op
 * loop and teardown; the runner (userspace, or the kernel module's batch
 * mode) owns threads, timing and statistics. Like will-it-scale's
 * testcase(): run() executes @n ops back to back and the caller times the
 * whole call, so no per-op timer or indirect call lands in the numbers.
 *
 * The same files compile into the kernel module, so they use only the seam
 * (core/gvb_seam.h) and the core API.
 */
#ifndef GVB_WORKLOAD_H
#define GVB_WORKLOAD_H

#include "gvb_strategy.h"

struct gvb_wl;
struct gvb_wl_thread;

struct gvb_wl_params {
	unsigned int threads;	/* worker threads, each with its own gvb_wl_thread */
	u64 size;		/* bytes per mapping */
	u64 count;		/* mappings per op (bind-many) or resident mappings (sparse) */
	u64 flush_ns;		/* modelled TLB flush per page-table update */
	u64 seed;
	bool defer_async;	/* gpuva+deferred: clean up in a worker, not after unlock */
	/*
	 * Single-VM workloads map a VM-private BO (it shares the VM's resv and
	 * is not on the extobj list) unless this asks for an external one.
	 * shared-bo, evict-walk and vm-bo-churn always use external BOs.
	 */
	bool bo_external;
	/* Free every page table an unmap empties (xe-style), not io-pgtable's policy. */
	bool pt_reclaim;
	/* Immediate strategies: panthor's synchronous VM_BIND path (no drm_exec). */
	bool bind_sync;
	const struct gvb_pt_format *fmt;	/* page-table format; NULL: gvb_pt_formats[0] */
};

/* Valid ranges, checked by gvb_wl_check_params() for the CLI and the ioctl. */
#define GVB_WL_MAX_THREADS	64
#define GVB_WL_MAX_SIZE		(1ULL << 30)
#define GVB_WL_MAX_COUNT	(1ULL << 21)
#define GVB_WL_MAX_FLUSH_NS	1000000ULL

struct gvb_wl_thread {
	struct gvb_wl *wl;
	unsigned int idx;
	struct gvb_vm *vm;		/* this thread's VM, if the workload gives it one */
	struct gvb_bo *bo;		/* this thread's BO, if any */
	u64 rng;			/* per-thread PRNG state (gvb_wl_rand()) */
	u64 iter;			/* ops run so far, for workloads that cycle */
	void *priv;
};

struct gvb_wl {
	const struct gvb_workload *w;
	const struct gvb_strategy_ops *ops;
	const struct gvb_pt_format *fmt;
	struct gvb_wl_params p;
	struct gvb_wl_thread *threads;	/* p.threads of them */
	struct gvb_bo *shared_bo;	/* for workloads that share one BO */
	void *priv;
};

/* struct gvb_workload.flags */
#define GVB_WL_MAIN		BIT(0)	/* part of the default sweep */
#define GVB_WL_HIDDEN		BIT(1)	/* not listed by default (harness self-tests) */
/* The case name carries the size even at its default: size is the headline. */
#define GVB_WL_SIZE_IN_NAME	BIT(2)
/*
 * One op is one map and one unmap of the thread's BO of p.size in a VM of
 * its own, so a backend can also issue it as one MAP and one UNMAP ioctl
 * (the kmod backend's per-op mode).
 */
#define GVB_WL_PEROP		BIT(3)
/*
 * Setup builds p.count mappings per thread: front ends that set instances
 * up many times (Google Benchmark) keep count small.
 */
#define GVB_WL_SETUP_SCALES	BIT(4)
/* Every op binds single pages: p.size is not used (front ends refuse --size). */
#define GVB_WL_FIXED_SIZE	BIT(5)
/* Ops draw from the thread's rng, seeded from p.seed (front ends refuse --seed elsewhere). */
#define GVB_WL_SEEDED		BIT(6)
/*
 * Means something only from two threads on (one thread is a role that
 * needs the others, as evict-walk's evictor needs binders): the default
 * sweep leaves out its one-thread group.
 */
#define GVB_WL_MIN_2_THREADS	BIT(7)
/*
 * The op loop repeats with a period of p.count ops, one of which carries
 * extra work (sparse-bind's unmap of the range): lock accounting counts
 * whole periods, so every case's per-op counts cover the same work.
 */
#define GVB_WL_PERIOD_COUNT	BIT(8)

struct gvb_workload {
	const char *name;
	const char *desc;		/* one line, shown by `gvbench list` */
	const char *op_desc;		/* what one counted op is, e.g. "map+unmap" */
	unsigned int flags;
	struct gvb_wl_params defaults;	/* threads == 0 means "set by the runner" */

	/* Once per instance, before any thread_setup (wl->p is final). */
	int (*setup)(struct gvb_wl *wl);
	int (*thread_setup)(struct gvb_wl_thread *t);
	/*
	 * Untimed, before each timed batch of @n ops: preallocation for
	 * workloads whose timed region must not allocate (fence-path).
	 */
	int (*batch_prepare)(struct gvb_wl_thread *t, u64 n);
	/* Runs @n ops. 0, or a negative errno that aborts the run. */
	int (*run)(struct gvb_wl_thread *t, u64 n);
	/* Untimed, after each batch: releases what batch_prepare left over. */
	void (*batch_finish)(struct gvb_wl_thread *t);
	void (*thread_teardown)(struct gvb_wl_thread *t);
	void (*teardown)(struct gvb_wl *wl);
};

extern const struct gvb_workload *const gvb_workloads[];	/* NULL-terminated */
const struct gvb_workload *gvb_workload_find(const char *name);

/*
 * Lifecycle: fills @wl from @w's defaults overridden by the nonzero fields
 * of @p, validates, then runs setup and every thread_setup. On failure
 * everything done so far is undone. gvb_wl_fini() tears it all down.
 */
int gvb_wl_init(struct gvb_wl *wl, const struct gvb_workload *w,
		const struct gvb_strategy_ops *ops, const struct gvb_wl_params *p);
void gvb_wl_fini(struct gvb_wl *wl);
/*
 * The effective parameters of a run of @w: its defaults overridden by the
 * nonzero fields of @p (NULL: none), with threads, seed and format filled
 * in where still unset. gvb_wl_init() and every front end resolve with it.
 */
void gvb_wl_params_resolve(struct gvb_wl_params *out, const struct gvb_workload *w,
			   const struct gvb_wl_params *p);
/* -EINVAL and a static reason for out-of-range parameters. */
int gvb_wl_check_params(const struct gvb_wl_params *p, const char **why);

/* @n ops of the thread's op loop, untimed and unprepared. */
static inline int gvb_wl_run(struct gvb_wl_thread *t, u64 n)
{
	return t->wl->w->run(t, n);
}

/*
 * One timed batch, the unit every sample is made of, written once for the
 * userspace runner and the module's WL_RUN: batch_prepare (untimed), the
 * clock started, @n ops, the drain of the work they deferred, the clock
 * stopped, batch_finish (untimed). The hooks let a caller line threads up
 * (a barrier in @begin) and read its own counters right inside the clock.
 */
struct gvb_wl_batch {
	u64 n;					/* in: ops to run */
	/* in, optional: untimed, just before the clock starts, even if prepare failed */
	void (*begin)(struct gvb_wl_batch *b);
	/* in, optional: untimed, just after the clock stops, before batch_finish */
	void (*end)(struct gvb_wl_batch *b);
	/* in, optional: runs the ops instead of gvb_wl_run() (single-op timing) */
	int (*run)(struct gvb_wl_thread *t, struct gvb_wl_batch *b);
	void *priv;				/* for the hooks */
	u64 start_ns;				/* out: ktime_get_ns() at the start */
	u64 run_ns, drain_ns;			/* out: the ops, then their deferred work */
};

/*
 * 0, or the first error; a failing batch_prepare undoes its own work, so
 * batch_finish is then not called (and no op runs).
 */
int gvb_wl_run_batch(struct gvb_wl_thread *t, struct gvb_wl_batch *b);

/*
 * Brings deferred work of this thread's VM to completion. The runner calls
 * it inside each timed batch, so work a strategy defers is paid for in
 * the sample that caused it.
 */
void gvb_wl_drain(struct gvb_wl_thread *t);

/*
 * Lock accounting (core/gvb_count.h) for thread @thread of @wl: one
 * uncounted warm-up of @n ops, so that the counted ones see the steady
 * state, then @n counted ops, each batch run as the runner runs a timed
 * one (batch_prepare, run, drain, batch_finish; all of it counted, since
 * all of it is the ops' work). Untimed; no other thread of @wl may run
 * meanwhile. @out gets the totals, out->ops = @n. 0 or the workload's
 * error. Sleeps.
 */
int gvb_wl_count_pass(struct gvb_wl *wl, unsigned int thread, u64 n, struct gvb_lock_counts *out);

/* Helpers for workload files. */
static inline u64 gvb_wl_rand(struct gvb_wl_thread *t)
{
	return gvb_rand64(&t->rng);
}
/* A VM covering [0, va_range) with the instance's strategy, format and flush cost. */
struct gvb_vm *gvb_wl_vm_create(struct gvb_wl *wl, u64 va_range);
/*
 * Gives the thread its own VM of @va_range and, if @bo_size, its own BO:
 * VM-private unless p.bo_external.
 */
int gvb_wl_own_vm_and_bo(struct gvb_wl_thread *t, u64 va_range, u64 bo_size);
void gvb_wl_put_vm_and_bo(struct gvb_wl_thread *t);

#endif /* GVB_WORKLOAD_H */
