/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The torture engine, after locktorture: threads run random mixed VM_BIND
 * traffic over a few VMs that share a few BOs (maps over existing mappings,
 * unmaps, vm_bo churn, evict and validate walks, BOs released while still
 * mapped, VMs destroyed with live mappings and deferred zombies), and check
 * the model's invariants at intervals and at the end. It uses only the seam
 * and the core API, so `gvbench torture` (userspace/backend/user.c) and the
 * kernel module (GVBENCH_IOC_TORTURE) run the same code; each driver owns
 * its threads, its clock display and its output.
 *
 * Use: gvb_torture_create(), then gvb_torture_thread(t, i) for i in
 * [0, threads) each on its own thread (gvb_torture_sum() may be called
 * meanwhile for interval lines), join them, gvb_torture_finish() (final
 * checks and teardown), gvb_torture_line() for the verdict line, and
 * gvb_torture_free().
 */
#ifndef GVB_TORTURE_H
#define GVB_TORTURE_H

#include "gvb_strategy.h"

#define GVB_TORTURE_MAX_THREADS	64
#define GVB_TORTURE_MAX_VMS	16
#define GVB_TORTURE_MAX_BOS	64

struct gvb_torture_params {
	const struct gvb_strategy_ops *ops;
	unsigned int threads;		/* 1 .. GVB_TORTURE_MAX_THREADS */
	unsigned int vms;		/* VM slots, 1 .. GVB_TORTURE_MAX_VMS */
	unsigned int bos;		/* BO slots, 1 .. GVB_TORTURE_MAX_BOS */
	u64 n_ops;			/* total ops over all threads; 0: no limit */
	u64 duration_ns;		/* 0: no limit; at least one of the two is set */
	u64 seed;
	u64 check_every;		/* ops of one thread between full checks; 0: 1000 */
};

/* What the threads did; every op is counted under exactly one of these. */
enum gvb_torture_counter {
	GVB_T_MAP,		/* VM_BIND map, often over existing mappings */
	GVB_T_UNMAP,		/* VM_BIND unmap of a random range, holes included */
	GVB_T_CHURN,		/* map one page and unmap it again (vm_bo create/destroy) */
	GVB_T_EVICT,		/* TTM-style evict walk of one BO's vm_bos */
	GVB_T_VALIDATE,		/* walk of one VM's evict list, clearing it */
	GVB_T_DRAIN,		/* deferred vm_bo cleanup run explicitly */
	GVB_T_BO_CYCLE,		/* a BO's creator reference dropped (mapped or not), or a new BO */
	GVB_T_VM_CYCLE,		/* a VM destroyed with whatever it maps, or a new VM */
	GVB_T_PROBE,		/* page-table translation of random addresses vs. the VA tree */
	GVB_T_CHECK,		/* full invariant check of one VM and one BO */
	GVB_T_OPS,		/* all of the above */
	GVB_T_ENOMEM,		/* ops that returned -ENOMEM (only with fault injection) */
	/* Core steps, summed from each VM's own counters when it dies. */
	GVB_T_MAP_STEPS,
	GVB_T_REMAP_STEPS,
	GVB_T_UNMAP_STEPS,
	GVB_T_VM_BO_CREATED,
	GVB_T_VM_BO_DEFERRED,
	GVB_T_NR
};

extern const char *const gvb_torture_counter_names[GVB_T_NR];

struct gvb_torture_stats {
	u64 c[GVB_T_NR];
	u64 failures;
};

struct gvb_torture;

/* 0 and *@out, -EINVAL for bad parameters (one pr_err() line says which), or -ENOMEM. */
int gvb_torture_create(const struct gvb_torture_params *p, struct gvb_torture **out);
/* Runs thread @idx until the op budget, the deadline or a failure; 0 or -EINVAL. */
int gvb_torture_thread(struct gvb_torture *t, unsigned int idx);
/* Makes every thread return soon (a driver's stop or signal). */
void gvb_torture_stop(struct gvb_torture *t);
/* A consistent-enough snapshot of the counters, safe while threads run. */
void gvb_torture_sum(struct gvb_torture *t, struct gvb_torture_stats *s);
/* After every thread returned: final checks and teardown. 0, or -EINVAL on any failure. */
int gvb_torture_finish(struct gvb_torture *t);
/*
 * The end line, locktorture's: "SUCCESS" or "FAILURE" (@failed), the full
 * parameter dump with the seed, the counters, and the first failure if any.
 */
void gvb_torture_line(struct gvb_torture *t, bool failed, char *buf, size_t len);
/* "strategy=... threads=... seed=...": every parameter, to reproduce the run. */
void gvb_torture_params_str(const struct gvb_torture_params *p, char *buf, size_t len);
/* The first failure's message, or NULL. */
const char *gvb_torture_failure(struct gvb_torture *t);
void gvb_torture_free(struct gvb_torture *t);

#endif /* GVB_TORTURE_H */
