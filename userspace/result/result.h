/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The in-memory form of one result file (one gvbench run). The JSON schema
 * in results/README.md mirrors it field by field; result_json.c reads and
 * writes it with json-c, and writes the flat CSV beside it.
 */
#ifndef GVB_RESULT_H
#define GVB_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stats/histogram.h"
#include "stats/stats.h"

#define GVB_RESULT_SCHEMA	"gpuvm-bench/result/v1"
/* What a reader accepts as a case's thread count: far above any run, far below a loop that hangs. */
#define GVB_RESULT_MAX_THREADS	4096

/* perf counters recorded per case; "absent" carries the reason. */
enum gvb_counter_id {
	GVB_CTR_TASK_CLOCK,	/* software: ns */
	GVB_CTR_CONTEXT_SWITCHES,
	GVB_CTR_CPU_MIGRATIONS,
	GVB_CTR_PAGE_FAULTS,
	GVB_CTR_CYCLES,		/* hardware from here on */
	GVB_CTR_INSTRUCTIONS,
	GVB_CTR_CACHE_MISSES,
	GVB_NR_COUNTERS,
};

struct gvb_counter {
	bool present;
	uint64_t value;		/* summed over every timed batch of the case, all threads */
	char absent_reason[96];	/* e.g. "perf_event_open: No such file or directory (no PMU)" */
};

/*
 * Lock classes of lock_acquisitions_per_op, in the order of the core's enum
 * gvb_lock_class and the ABI's GVBENCH_LOCK_* (tests/test_count.c checks).
 */
enum {
	GVB_RLOCK_VM_RESV, GVB_RLOCK_BO_RESV, GVB_RLOCK_GPUVA, GVB_RLOCK_OP_LOCK,
	GVB_RLOCK_VM_LISTS, GVB_RLOCK_WW_ACQUIRE,
};
#define GVB_RESULT_LOCK_CLASSES	6
/* "vm_resv", "bo_resv", "gpuva", "op_lock", "vm_lists", "ww_acquire": the JSON keys. */
extern const char *const gvb_result_lock_keys[GVB_RESULT_LOCK_CLASSES];

struct gvb_case {
	char name[128];		/* "workload/strategy/tN", dash-case, unique in a result */
	char workload[32];
	char strategy[32];
	char engine[32];	/* "model" or "drm_gpuvm"; "model" for files from before engines */
	unsigned int threads;
	uint64_t size, count, flush_ns, seed;
	bool defer_async;
	char format[32];	/* page-table format; "" in files from before it was recorded */
	bool pinned;
	/* "private" or "external"; "" in files from before it was a parameter */
	char bo[16];
	bool pt_reclaim, bind_sync;
	/*
	 * The interleaved group the case ran in (cases of one group shared
	 * every round, so their samples pair by round); -1 where unknown
	 * (files from before it was recorded).
	 */
	int group;
	uint64_t batch_ops;	/* ops per thread per batch (reported ops) */
	double injected_ns;	/* calibrate: the known extra cost per op, else 0 */

	unsigned int nsamples;
	/* Per sample (one interleaved batch): */
	double *ns_per_op;	/* hot path: mean over threads of batch time / ops */
	double *cpu_ns_per_op;	/* all CPU time spent (threads + deferred workers) / ops */
	double *ops_per_sec;	/* sum over threads of ops / batch time */
	struct gvb_summary ns_per_op_sum, cpu_ns_per_op_sum, ops_per_sec_sum;

	double worker_cpu_ns;	/* CPU time of deferred-cleanup workers during timed batches */
	/*
	 * From an untimed counting pass (gvb_wl_count_pass()): acquisitions
	 * per op by lock class, page-table pages allocated and freed per op.
	 * has_locks false: not counted (a module without WL_COUNT, per-op
	 * mode, an older file); the fields are then absent from the JSON.
	 */
	bool has_locks;
	double locks_per_op[GVB_RESULT_LOCK_CLASSES];
	double pt_alloc_per_op, pt_freed_per_op;
	struct gvb_counter counters[GVB_NR_COUNTERS];
	struct gvb_latency latency;
};

/* A pairwise comparison inside one result (e.g. every strategy vs resv). */
struct gvb_comparison {
	char base[128], new[128];	/* case names */
	double base_median, new_median;	/* ns/op */
	double delta_ns, delta_pct;	/* new - base */
	double delta_ci_lo, delta_ci_hi;	/* 95% CI of the delta of medians, ns (NaN if unknown) */
	double p_value;			/* two-sided Mann-Whitney U */
	bool significant;		/* p < alpha */
	unsigned int n_base, n_new;
	/*
	 * Paired by round (sample r of both cases ran moments apart), when the
	 * two cases were interleaved in one group; NaN otherwise: the shift of
	 * the per-round differences (stats/estimate.h) with its CI, and the
	 * Wilcoxon signed-rank p-value. Optional in files (older files lack it).
	 */
	double paired_delta_ns, paired_ci_lo, paired_ci_hi, paired_p;
};

struct gvb_meta {
	char tool_version[64];	/* git describe */
	char backend[16];	/* "user" or "kmod" */
	char backend_mode[16];	/* kmod: "ioctl" or "batch"; user: "inline" */
	char kernel[128];	/* uname -r (of the guest for kmod) */
	char arch[65];		/* uname -m, as kernel; "unknown" in files from before it */
	char host[16];		/* "native", "vm" (a hypervisor) or "uml" (User-Mode Linux) */
	char cpu_model[128];
	unsigned int cores;
	char compiler[128];
	char cflags[256];
	char date[32];		/* ISO 8601 UTC */
	char command[512];	/* the command line that produced it */
	char mode[16];		/* "throughput", "latency" or "calibrate" */
	double alpha;		/* significance level of the comparisons */
	double harness_ns_per_op;	/* measured on the empty workload, NaN if not run */
	char perf_note[160];	/* e.g. "hardware counters absent: no PMU in this VM" */
};

struct gvb_result {
	struct gvb_meta meta;
	unsigned int ncases;
	struct gvb_case *cases;
	unsigned int ncmp;
	struct gvb_comparison *cmps;
};

void gvb_result_init(struct gvb_result *r);
void gvb_result_free(struct gvb_result *r);
/* Appends a zeroed case; NULL on allocation failure. */
struct gvb_case *gvb_result_add_case(struct gvb_result *r);
struct gvb_comparison *gvb_result_add_cmp(struct gvb_result *r);
/* Allocates the three per-sample arrays of @c for @n samples. */
int gvb_case_alloc_samples(struct gvb_case *c, unsigned int n);

/* 0, or -1 with a one-line reason in @err (no trailing newline). */
int gvb_result_write_json(const struct gvb_result *r, const char *path, char *err, size_t errlen);
int gvb_result_read_json(struct gvb_result *r, const char *path, char *err, size_t errlen);
/*
 * One row per sample:
 * case,workload,strategy,threads,size,sample,ns_per_op,cpu_ns_per_op,ops_per_sec,engine
 */
int gvb_result_write_csv(const struct gvb_result *r, const char *path, char *err, size_t errlen);

#endif /* GVB_RESULT_H */
