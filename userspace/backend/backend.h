/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * A backend runs workload instances somewhere: `user` links the core into
 * this process, `kmod` drives the same code in gvbench.ko. Like a strategy,
 * a backend is one file with one const ops table, listed in
 * gvb_backends[] (backend.c); the run engine (bench/) only calls the
 * table, so a new host (UML) or engine (the kernel's drm_gpuvm) is one
 * more file and one more line there.
 */
#ifndef GVB_BACKEND_H
#define GVB_BACKEND_H

#include "gvb_torture.h"
#include "gvb_workload.h"

struct gvb_backend;

/* The verdict line's length, the module's too (GVBENCH_TORTURE_LINE). */
#define GVB_TORTURE_LINE	1024

/* One torture run (core/gvb_torture.h) on a backend: gvbench torture. */
struct gvb_backend_torture {
	struct gvb_torture_params p;	/* in */
	u64 interval_ns;		/* in: between progress calls */
	/*
	 * in: called every interval while it runs; @s is NULL where the
	 * counters cannot be seen before the end (kmod: the kernel log has them).
	 */
	void (*progress)(const struct gvb_backend_torture *bt, u64 elapsed_ns,
			 const struct gvb_torture_stats *s);
	bool failed;			/* out */
	struct gvb_torture_stats s;	/* out: the final counters */
	/* out: the engine's verdict line, and why a clean engine run still failed */
	char line[GVB_TORTURE_LINE];
};

/* What a run asks of its backend. */
struct gvb_backend_cfg {
	/*
	 * One request per op from the caller instead of whole batches
	 * (kmod: one MAP and one UNMAP ioctl per op, as a VM_BIND user does);
	 * only for workloads flagged GVB_WL_PEROP.
	 */
	bool perop;
};

/*
 * An engine: which GPUVM implementation runs a workload. "model" is
 * gpuvm-bench's own (core/, strategies/) and runs on every backend; the
 * others live in kernel modules beside gvbench.ko and run only on the
 * backend named by @backend.
 */
struct gvb_engine {
	const char *name;
	const char *desc;	/* one line, shown by `gvbench list` */
	const char *backend;	/* the only backend it runs on; NULL: every backend */
	const char *how;	/* what it needs beside @backend, e.g. "gvbench_drm.ko loaded" */
};

#define GVB_ENGINE_MODEL	"model"

extern const struct gvb_engine gvb_engines[];	/* ends with a NULL name */

const struct gvb_engine *gvb_engine_find(const char *name);
/* "model, drm_gpuvm" into @buf. */
void gvb_engine_names(char *buf, size_t len);

/* One workload instance, as the run engine sees it. */
struct gvb_inst {
	struct gvb_wl_params p;		/* the effective parameters */
	const struct gvb_workload *w;
	const struct gvb_strategy_ops *ops;
};

/* struct gvb_backend_ops.flags */
#define GVB_BACKEND_LATENCY	BIT(0)	/* run_batch honours gvb_wl_batch.run (single ops) */

struct gvb_backend_ops {
	const char *name;
	const char *desc;		/* one line, shown by `gvbench list` */
	unsigned int flags;
	/* 0, or a negative errno after one line on stderr saying what to do. */
	int (*open)(struct gvb_backend *b);
	void (*close)(struct gvb_backend *b);
	/*
	 * An instance of @w under @ops on engine @engine (a gvb_engines[]
	 * name) with @p (zero fields: the workload's defaults); -EOPNOTSUPP
	 * for a combination the backend or engine cannot run, -ENODEV for an
	 * engine that is not there.
	 */
	int (*inst_create)(struct gvb_backend *b, const struct gvb_workload *w,
			   const struct gvb_strategy_ops *ops, const char *engine,
			   const struct gvb_wl_params *p, struct gvb_inst **out);
	/*
	 * Engine @index of this backend into @name and @desc (0; -ENODEV for
	 * a slot whose module is not loaded; -ENOENT past the last). NULL:
	 * the model only.
	 */
	int (*engine_list)(struct gvb_backend *b, unsigned int index, char *name, size_t nlen,
			   char *desc, size_t dlen);
	/*
	 * Can @engine run @w under @ops? 0, or -EOPNOTSUPP / -ENODEV with one
	 * line in @why saying why. NULL: the model only.
	 */
	int (*engine_query)(struct gvb_backend *b, const char *engine,
			    const struct gvb_workload *w, const struct gvb_strategy_ops *ops,
			    char *why, size_t len);
	void (*inst_destroy)(struct gvb_backend *b, struct gvb_inst *inst);
	/*
	 * One timed batch of thread @thread (gvb_wl_run_batch()'s protocol):
	 * calls @batch->begin and ->end around its clock and fills start_ns,
	 * run_ns and drain_ns. Called from one engine thread per workload
	 * thread, concurrently.
	 */
	int (*run_batch)(struct gvb_backend *b, struct gvb_inst *inst, unsigned int thread,
			 struct gvb_wl_batch *batch);
	/*
	 * Lock accounting of thread @thread of @inst, as gvb_wl_count_pass():
	 * @n uncounted, then @n counted ops, untimed, while no other thread of
	 * @inst runs; totals in @out. -EOPNOTSUPP where the backend cannot
	 * count (NULL hook, per-op mode, a module without WL_COUNT).
	 */
	int (*count)(struct gvb_backend *b, struct gvb_inst *inst, unsigned int thread, u64 n,
		     struct gvb_lock_counts *out);
	/*
	 * CPU time so far of the workers that run deferred cleanup, where
	 * this process can see it; NULL where it cannot (it is then recorded
	 * as 0).
	 */
	u64 (*worker_cpu_ns)(struct gvb_backend *b);
	/*
	 * Runs @bt to its verdict: 0 with @bt's out fields set, SUCCESS or
	 * FAILURE, or a negative errno when it could not run (after one line
	 * on stderr saying why; -EINVAL: parameters this backend refuses).
	 * NULL where the backend has no torture mode.
	 */
	int (*torture)(struct gvb_backend *b, struct gvb_backend_torture *bt);
};

struct gvb_backend {
	const struct gvb_backend_ops *ops;
	struct gvb_backend_cfg cfg;
	char mode[16];			/* recorded as meta.backend_mode */
	/* Why lock counts are absent, set by a count hook that cannot count. */
	char count_note[128];
	void *priv;
};

extern const struct gvb_backend_ops gvb_backend_user;
extern const struct gvb_backend_ops gvb_backend_kmod;
extern const struct gvb_backend_ops *const gvb_backends[];	/* NULL-terminated */

const struct gvb_backend_ops *gvb_backend_find(const char *name);
/* "user, kmod" into @buf. */
void gvb_backend_names(char *buf, size_t len);

/* Opens @ops into @b with @cfg; 0 or a negative errno (reason already printed). */
int gvb_backend_open(struct gvb_backend *b, const struct gvb_backend_ops *ops,
		     const struct gvb_backend_cfg *cfg);
void gvb_backend_close(struct gvb_backend *b);
u64 gvb_backend_worker_cpu_ns(struct gvb_backend *b);
/* The count hook, or -EOPNOTSUPP where there is none. */
int gvb_backend_count(struct gvb_backend *b, struct gvb_inst *inst, unsigned int thread, u64 n,
		      struct gvb_lock_counts *out);
/*
 * Whether @b can run @w under @ops on @engine: 0, or a negative errno with
 * one line in @why (the engine's own reason where it gives one).
 */
int gvb_backend_engine_query(struct gvb_backend *b, const char *engine,
			     const struct gvb_workload *w, const struct gvb_strategy_ops *ops,
			     char *why, size_t len);
/*
 * For a backend's torture op: calls @bt->progress every interval, from
 * @start_ns on, until @done(@arg) turns true; @sum (NULL: no counters
 * while it runs) snapshots the counters for each call.
 */
void gvb_backend_torture_wait(struct gvb_backend_torture *bt, u64 start_ns,
			      bool (*done)(void *arg),
			      void (*sum)(void *arg, struct gvb_torture_stats *s), void *arg);

#endif /* GVB_BACKEND_H */
