/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * gvbench ioctl ABI: /dev/gvbench, the kernel-module backend of gpuvm-bench.
 * Shared by kmod/ and userspace/; it uses only <linux/types.h> and
 * <linux/ioctl.h> so that both sides can include it as is.
 *
 * Conventions (those of DRM and VFIO):
 * - Every argument struct starts with `argsz`, the size of the struct as the
 *   caller knows it, and `flags`. The kernel copies min(argsz, its own size)
 *   in both directions: an older, shorter struct reads as zeros in the new
 *   fields, and a newer, longer one is accepted when everything past the
 *   kernel's struct is zero (-E2BIG otherwise). argsz below the first
 *   version's size, or above 4096, is -EINVAL.
 * - Structs have fixed sizes with explicit padding. Unknown flags and
 *   nonzero pad fields are -EINVAL.
 * - Handles are per open file and per object type (VM, BO, workload),
 *   nonzero, and allocated cyclically: a destroyed handle comes back only
 *   after 2^31 more objects of its type. A handle that names nothing (never
 *   created, or destroyed) is -ENOENT. Closing the file destroys everything
 *   it created.
 * - Ranges are in bytes and must be 4 KiB aligned, nonzero, free of u64
 *   overflow and inside their VM or BO: -EINVAL otherwise.
 * - A bad argument pointer is -EFAULT; an ioctl number this module does not
 *   know is -ENOTTY.
 * - Names (strategies, workloads, page-table formats) are NUL-terminated
 *   within their array; an unknown name or index is -EINVAL.
 * - Engines (minor 2): which GPUVM implementation runs a workload. Index 0,
 *   "model", is gpuvm-bench's own and always present; other engines are
 *   modules that plug into gvbench.ko (gvbench_drm.ko: "drm_gpuvm", the
 *   kernel's own drm_gpuvm.ko) and keep their index while loaded. An
 *   engine index or name that is not loaded is -ENODEV; a workload or
 *   strategy the engine cannot run is -EOPNOTSUPP, and ENGINE_QUERY says why.
 */
#ifndef _UAPI_GVBENCH_H
#define _UAPI_GVBENCH_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define GVBENCH_DEVICE		"/dev/gvbench"
#define GVBENCH_ABI_MAJOR	1
/*
 * 1: WL_COUNT, TORTURE, FAULT, BO_EXTERNAL, PT_RECLAIM, BIND_SYNC, WL_CREATE.format;
 * 2: engines (LIST_ENGINES, ENGINE_QUERY, WL_CREATE.engine and engine_name)
 */
#define GVBENCH_ABI_MINOR	2

#define GVBENCH_NAME_LEN	32
#define GVBENCH_DESC_LEN	128
#define GVBENCH_ARGSZ_MAX	4096

/* Upper bound of n + extra in one GVBENCH_IOC_WL_RUN. */
#define GVBENCH_RUN_MAX_OPS	(1ULL << 32)

/* GVBENCH_IOC_GET_VERSION */
struct gvbench_version {
	__u32 argsz;
	__u32 flags;		/* in: 0 */
	__u32 major;		/* out: GVBENCH_ABI_MAJOR */
	__u32 minor;		/* out: GVBENCH_ABI_MINOR */
	__u32 n_strategies;	/* out: valid indexes of GVBENCH_IOC_LIST_STRATEGIES */
	__u32 n_workloads;	/* out: same for workloads */
	__u32 n_formats;	/* out: same for page-table formats */
	__u32 pad;
	__u64 max_run_ops;	/* out: GVBENCH_RUN_MAX_OPS */
};

/* struct gvbench_list.obj_flags of a strategy (the core's GVB_STRATEGY_*) */
#define GVBENCH_STRATEGY_IMMEDIATE	(1u << 0)	/* gpuva list under its own mutex */
#define GVBENCH_STRATEGY_BROKEN		(1u << 1)	/* negative control: allow_broken */
#define GVBENCH_STRATEGY_SWEEP		(1u << 2)	/* in the default sweep */
/* struct gvbench_list.obj_flags of a workload (the core's GVB_WL_*) */
#define GVBENCH_WL_MAIN			(1u << 0)	/* part of the default sweep */
#define GVBENCH_WL_HIDDEN		(1u << 1)	/* harness self-test, not listed */

/*
 * GVBENCH_IOC_LIST_STRATEGIES, _LIST_WORKLOADS, _LIST_FORMATS: the entry at
 * @index, or -ENOENT past the last one.
 */
struct gvbench_list {
	__u32 argsz;
	__u32 flags;		/* in: 0 */
	__u32 index;		/* in */
	__u32 obj_flags;	/* out: GVBENCH_STRATEGY_* or GVBENCH_WL_*; 0 for formats */
	char name[GVBENCH_NAME_LEN];	/* out */
	char desc[GVBENCH_DESC_LEN];	/* out: one line */
	char op_desc[GVBENCH_NAME_LEN];	/* out, workloads: what one counted op is */
	/* out, workloads: default parameters (0: set by the runner) */
	__u64 def_size;
	__u64 def_count;
	__u64 def_flush_ns;
	__u32 def_threads;
	__u32 va_bits;		/* out, formats: input address bits */
};

/* Flags of VM_CREATE and WL_CREATE */
#define GVBENCH_BY_NAME		(1u << 0)	/* use the *_name fields, not the indexes */
#define GVBENCH_DEFER_ASYNC	(1u << 1)	/* deferred vm_bo cleanup in a worker */
/* Since minor 1: */
#define GVBENCH_PT_RECLAIM	(1u << 3)	/* free every page table an unmap empties */
#define GVBENCH_BIND_SYNC	(1u << 4)	/* immediate mode: panthor's sync VM_BIND path */
/* Flag of WL_CREATE only, since minor 1 */
#define GVBENCH_BO_EXTERNAL	(1u << 2)	/* single-VM workloads: an external BO */

/*
 * GVBENCH_IOC_VM_CREATE: a VM managing [va_start, va_start + va_range).
 * Without GVBENCH_BY_NAME the names must be all zero; with it the indexes
 * must be 0, and an empty format_name means the first (default) format.
 * The strategy flagged GVBENCH_STRATEGY_BROKEN is -EPERM unless the module
 * was loaded with allow_broken=1. flush_ns is at most 1000000.
 */
struct gvbench_vm_create {
	__u32 argsz;
	__u32 flags;		/* in: GVBENCH_BY_NAME, _DEFER_ASYNC, _PT_RECLAIM, _BIND_SYNC */
	__u32 strategy;		/* in: index */
	__u32 format;		/* in: page-table format index */
	char strategy_name[GVBENCH_NAME_LEN];	/* in, GVBENCH_BY_NAME */
	char format_name[GVBENCH_NAME_LEN];	/* in, GVBENCH_BY_NAME */
	__u64 va_start;		/* in */
	__u64 va_range;		/* in */
	__u64 flush_ns;		/* in: modelled TLB flush per page-table update */
	__u32 handle;		/* out */
	__u32 pad;
};

/*
 * GVBENCH_IOC_VM_DESTROY, _BO_DESTROY, _WL_DESTROY: drop the handle. The
 * object goes away once nothing else uses it: a VM is torn down (all its
 * mappings unmapped) when no ioctl is running on it any more; a BO lives
 * on while a VM maps it; a workload when no WL_RUN is running on it.
 */
struct gvbench_destroy {
	__u32 argsz;
	__u32 flags;		/* in: 0 */
	__u32 handle;		/* in */
	__u32 pad;
};

#define GVBENCH_BO_PRIVATE	(1u << 0)	/* share the resv of the VM @vm */

/*
 * GVBENCH_IOC_BO_CREATE: a BO of @bo_size bytes (4 KiB aligned, at most
 * 4 GiB), locked the way strategy @strategy says; every VM that maps it must
 * use that strategy. With GVBENCH_BO_PRIVATE it shares the resv of VM @vm,
 * whose strategy it must have, and can only be mapped there; without it
 * @vm must be 0.
 */
struct gvbench_bo_create {
	__u32 argsz;
	__u32 flags;		/* in: GVBENCH_BO_PRIVATE */
	__u32 strategy;		/* in: index */
	__u32 vm;		/* in: VM handle, GVBENCH_BO_PRIVATE only */
	__u64 bo_size;		/* in */
	__u32 handle;		/* out */
	__u32 pad;
};

/* struct gvbench_map.prot */
#define GVBENCH_PROT_READ	(1u << 0)
#define GVBENCH_PROT_WRITE	(1u << 1)
#define GVBENCH_PROT_EXEC	(1u << 2)

/*
 * GVBENCH_IOC_MAP: one VM_BIND map of [offset, offset + range) of @bo at
 * @addr. Overlapping existing mappings is legal: they are split or
 * replaced, as drm_gpuvm_sm_map() does. -EINVAL also when the BO's strategy
 * is not the VM's, or when a private BO is mapped in another VM.
 */
struct gvbench_map {
	__u32 argsz;
	__u32 flags;		/* in: 0 */
	__u32 vm;		/* in: handle */
	__u32 bo;		/* in: handle */
	__u64 addr;		/* in */
	__u64 range;		/* in */
	__u64 offset;		/* in: into the BO */
	__u32 prot;		/* in: GVBENCH_PROT_* */
	__u32 pad;
};

/* GVBENCH_IOC_UNMAP: unmap [addr, addr + range); holes in it are fine. */
struct gvbench_unmap {
	__u32 argsz;
	__u32 flags;		/* in: 0 */
	__u32 vm;		/* in: handle */
	__u32 pad;
	__u64 addr;		/* in */
	__u64 range;		/* in */
};

/*
 * GVBENCH_IOC_WL_CREATE: an instance of a workload (workloads/) on engine
 * @engine (minor 2; 0, the model, for older callers), set up
 * with every per-thread object it needs. A zero parameter takes the
 * workload's default; the effective values are written back. Limits:
 * threads 1..64, size 4 KiB aligned up to 1 GiB, count up to 2^21,
 * flush_ns up to 1000000 (-EINVAL beyond). Naming rules as in VM_CREATE.
 * @format (ABI 1.1, a pad field before) picks the page-table format of the
 * workload's VMs by index (LIST_FORMATS); 0 is the default format, so an
 * older caller's zero pad keeps its meaning; an index past the last
 * format is -EINVAL.
 */
struct gvbench_wl_create {
	__u32 argsz;
	/* in: GVBENCH_BY_NAME, _DEFER_ASYNC, _BO_EXTERNAL, _PT_RECLAIM, _BIND_SYNC */
	__u32 flags;
	__u32 workload;		/* in: index */
	__u32 strategy;		/* in: index */
	char workload_name[GVBENCH_NAME_LEN];	/* in, GVBENCH_BY_NAME */
	char strategy_name[GVBENCH_NAME_LEN];	/* in, GVBENCH_BY_NAME */
	__u32 threads;		/* in/out */
	__u32 format;		/* in: page-table format index */
	__u64 size;		/* in/out: bytes per mapping */
	__u64 count;		/* in/out */
	__u64 flush_ns;		/* in/out */
	__u64 seed;		/* in/out */
	__u32 handle;		/* out */
	__u32 engine;		/* in: engine index (minor 2; was pad2); 0 with GVBENCH_BY_NAME */
	/* minor 2, GVBENCH_BY_NAME: the engine's name; "" (or a 128-byte struct) is the model */
	char engine_name[GVBENCH_NAME_LEN];
};

/*
 * GVBENCH_IOC_WL_RUN: one timed batch of thread @thread of workload @handle,
 * run in the calling task. Untimed batch_prepare, then, timed with
 * ktime_get_ns(), n + extra ops and the drain of the deferred work they
 * caused, then untimed batch_finish. @extra ops are executed but not
 * reported: calibration injects a known per-op effect that way. Different
 * threads of one workload may run concurrently from different tasks; the
 * same thread twice at once is -EBUSY. @thread beyond the workload's
 * threads is -EINVAL, n + extra beyond GVBENCH_RUN_MAX_OPS too. A workload
 * error is returned as is (the out fields are then not written).
 */
struct gvbench_wl_run {
	__u32 argsz;
	__u32 flags;		/* in: 0 */
	__u32 handle;		/* in */
	__u32 thread;		/* in: 0 .. threads - 1 */
	__u64 n;		/* in: ops to run and report */
	__u64 extra;		/* in: ops to run on top, unreported */
	__u64 ops;		/* out: n */
	__u64 elapsed_ns;	/* out: run_ns + drain_ns, one clock span */
	__u64 run_ns;		/* out: the ops themselves */
	__u64 drain_ns;		/* out: the deferred cleanup they left */
};

#define GVBENCH_STATS_WL	(1u << 0)	/* @handle is a workload, @thread picks the VM */

/*
 * GVBENCH_IOC_STATS: the counters of a VM (struct gvb_vm_stats and its page
 * table's), read under the VM's serialization. With GVBENCH_STATS_WL they
 * are those of the VM of workload @handle's thread @thread (-ENOENT if that
 * thread has none, -EBUSY while it is in WL_RUN); otherwise @thread must
 * be 0.
 */
struct gvbench_stats {
	__u32 argsz;
	__u32 flags;		/* in: GVBENCH_STATS_WL */
	__u32 handle;		/* in */
	__u32 thread;		/* in */
	__u64 map_steps;	/* out, all below */
	__u64 remap_steps;
	__u64 unmap_steps;
	__u64 vm_bo_created;
	__u64 vm_bo_destroyed;
	__u64 vm_bo_deferred;
	__u64 exec_backoffs;
	__u64 vas;		/* VAs in the VM now */
	__u64 pt_maps;
	__u64 pt_unmaps;
	__u64 pt_flushes;
	__u64 pt_blocks;
	__u64 pt_tables_allocated;
	__u64 pt_tables_freed;
	__u64 pt_tables_live;
	__u64 pt_alloc_fallbacks;
};

/*
 * GVBENCH_IOC_SELFTEST: runs the module's KTAP self-test (printed to the
 * kernel log, as at load with selftest=1) and returns its counts. 0 even
 * when subtests fail: check @failed.
 */
struct gvbench_selftest {
	__u32 argsz;
	__u32 flags;		/* in: 0 */
	__u32 passed;		/* out */
	__u32 failed;		/* out */
};

/* Lock classes of struct gvbench_wl_count.acquisitions (the core's enum gvb_lock_class). */
#define GVBENCH_LOCK_VM_RESV	0	/* a VM's dma_resv, shared by its private BOs */
#define GVBENCH_LOCK_BO_RESV	1	/* an external BO's own dma_resv */
#define GVBENCH_LOCK_GPUVA	2	/* a BO's gpuva mutex */
#define GVBENCH_LOCK_OP_LOCK	3	/* a VM's op_lock (immediate mode) */
#define GVBENCH_LOCK_VM_LISTS	4	/* a VM's extobj/evict list spinlock */
#define GVBENCH_LOCK_WW_ACQUIRE	5	/* ww_acquire contexts (drm_exec transactions) */
#define GVBENCH_LOCK_CLASSES	6
#define GVBENCH_LOCK_SLOTS	8	/* room in the struct; slots past the classes are 0 */

/*
 * GVBENCH_IOC_WL_COUNT (since minor 1): lock accounting of thread @thread
 * of workload @handle, untimed, in the calling task: @n uncounted warm-up
 * ops, then @n counted ones (batch_prepare, run, drain of deferred work and
 * batch_finish all counted). Outputs are totals over the @n counted ops;
 * divide by @ops for per-op values. Only one count runs at a time system
 * wide (others wait); other tasks' binds are neither counted nor slowed.
 * @n is 1 .. GVBENCH_RUN_MAX_OPS / 2; thread rules as in WL_RUN.
 */
struct gvbench_wl_count {
	__u32 argsz;
	__u32 flags;		/* in: 0 */
	__u32 handle;		/* in */
	__u32 thread;		/* in */
	__u64 n;		/* in */
	__u64 ops;		/* out: n */
	__u64 acquisitions[GVBENCH_LOCK_SLOTS];	/* out: by GVBENCH_LOCK_* */
	__u64 pt_pages_allocated;	/* out: table pages put into a page table */
	__u64 pt_pages_freed;		/* out: table pages taken out of one */
	__u64 pt_pages_prealloc;	/* out: pages bought for the worst case before ops */
};

/*
 * GVBENCH_IOC_TORTURE (ABI 1.1): the torture engine of core/gvb_torture.h,
 * run by @threads kernel threads while the caller waits (a fatal signal
 * stops it early). Progress goes to the kernel log once a second, and the
 * verdict line ("SUCCESS ..." or "FAILURE ...", with every parameter and
 * the seed) both to the log and to @line. Exactly one of @ops and
 * @duration_ms is nonzero. Limits: threads 1..64, vms 1..16 (0: 4), bos
 * 1..64 (0: 8), duration_ms up to 600000; the broken strategy needs
 * allow_broken=1 (-EPERM). Returns 0 whatever the verdict: check @failed.
 * A run whose engine cannot start returns -ENOMEM; a run that fails its
 * checks may leak what it could not tear down safely (it says so).
 */
#define GVBENCH_TORTURE_COUNTERS	24
#define GVBENCH_TORTURE_LINE		1024

struct gvbench_torture {
	__u32 argsz;
	__u32 flags;		/* in: GVBENCH_BY_NAME */
	__u32 strategy;		/* in: index */
	__u32 threads;		/* in */
	char strategy_name[GVBENCH_NAME_LEN];	/* in, GVBENCH_BY_NAME */
	__u32 vms;		/* in */
	__u32 bos;		/* in */
	__u64 ops;		/* in: total over all threads */
	__u64 duration_ms;	/* in */
	__u64 seed;		/* in */
	__u64 check_every;	/* in: ops of one thread between full checks; 0: 1000 */
	__u32 failed;		/* out: 0 SUCCESS, 1 FAILURE */
	__u32 n_counters;	/* out: valid entries of @counters */
	/* out: in the order of gvb_torture_counter_names[] (core/gvb_torture.c), as named in @line */
	__u64 counters[GVBENCH_TORTURE_COUNTERS];
	__u64 failures;		/* out */
	char line[GVBENCH_TORTURE_LINE];	/* out: the verdict line, NUL-terminated */
};

#define GVBENCH_FAULT_ARM	(1u << 0)

/*
 * GVBENCH_IOC_FAULT (ABI 1.1): allocation-failure injection, for tests.
 * Reports on the previous arming (@fired, @site) and the module's live
 * allocations (@live: every kmalloc, slab object and page-table page of the
 * module not yet freed, all files together), then, with
 * GVBENCH_FAULT_ARM, arms anew: the @nth allocation (1 = the next) that
 * the calling task makes in the module fails, once; @nth 0 disarms. One
 * arming at a time for the whole module: the last caller wins. This ioctl
 * itself allocates nothing. Arming (and counting @live) needs the module
 * loaded with fault_inject=1; without it arming is -EOPNOTSUPP and @live 0.
 */
struct gvbench_fault {
	__u32 argsz;
	__u32 flags;		/* in: GVBENCH_FAULT_ARM */
	__u32 nth;		/* in, with GVBENCH_FAULT_ARM */
	__u32 fired;		/* out: the previous arming made an allocation fail */
	__s64 live;		/* out */
	char site[64];		/* out: "file.c:line" of that allocation (its tail), or "" */
};

/*
 * GVBENCH_IOC_LIST_ENGINES (minor 2) takes struct gvbench_list: name and
 * desc of engine @index; -ENODEV for a free slot (an engine module not
 * loaded), -ENOENT past the last slot.
 */

/* struct gvbench_engine_query.result */
#define GVBENCH_ENGINE_CAN_RUN		0
#define GVBENCH_ENGINE_CANNOT_RUN	1	/* @why says why, in one line */

/*
 * GVBENCH_IOC_ENGINE_QUERY (minor 2): can engine @engine run workload
 * @workload with strategy @strategy? Indexes, or names with GVBENCH_BY_NAME
 * (then the indexes must be 0; an empty engine_name is the model). Unknown
 * workload or strategy: -EINVAL; engine not loaded: -ENODEV.
 */
struct gvbench_engine_query {
	__u32 argsz;
	__u32 flags;		/* in: GVBENCH_BY_NAME */
	__u32 engine;		/* in */
	__u32 workload;		/* in */
	__u32 strategy;		/* in */
	__u32 result;		/* out: GVBENCH_ENGINE_CAN_RUN or _CANNOT_RUN */
	char engine_name[GVBENCH_NAME_LEN];	/* in, GVBENCH_BY_NAME */
	char workload_name[GVBENCH_NAME_LEN];	/* in, GVBENCH_BY_NAME */
	char strategy_name[GVBENCH_NAME_LEN];	/* in, GVBENCH_BY_NAME */
	char why[GVBENCH_DESC_LEN];		/* out: empty when it can run */
};

#define GVBENCH_IOC_MAGIC	'G'
#define GVBENCH_IOC_BASE	0x40	/* 'G' 0x00-0x3f is taken by other drivers */

#define GVBENCH_IOC_GET_VERSION	    _IOWR(GVBENCH_IOC_MAGIC, 0x40, struct gvbench_version)
#define GVBENCH_IOC_LIST_STRATEGIES _IOWR(GVBENCH_IOC_MAGIC, 0x41, struct gvbench_list)
#define GVBENCH_IOC_LIST_WORKLOADS  _IOWR(GVBENCH_IOC_MAGIC, 0x42, struct gvbench_list)
#define GVBENCH_IOC_LIST_FORMATS    _IOWR(GVBENCH_IOC_MAGIC, 0x43, struct gvbench_list)
#define GVBENCH_IOC_VM_CREATE	    _IOWR(GVBENCH_IOC_MAGIC, 0x44, struct gvbench_vm_create)
#define GVBENCH_IOC_VM_DESTROY	    _IOWR(GVBENCH_IOC_MAGIC, 0x45, struct gvbench_destroy)
#define GVBENCH_IOC_BO_CREATE	    _IOWR(GVBENCH_IOC_MAGIC, 0x46, struct gvbench_bo_create)
#define GVBENCH_IOC_BO_DESTROY	    _IOWR(GVBENCH_IOC_MAGIC, 0x47, struct gvbench_destroy)
#define GVBENCH_IOC_MAP		    _IOWR(GVBENCH_IOC_MAGIC, 0x48, struct gvbench_map)
#define GVBENCH_IOC_UNMAP	    _IOWR(GVBENCH_IOC_MAGIC, 0x49, struct gvbench_unmap)
#define GVBENCH_IOC_WL_CREATE	    _IOWR(GVBENCH_IOC_MAGIC, 0x4a, struct gvbench_wl_create)
#define GVBENCH_IOC_WL_RUN	    _IOWR(GVBENCH_IOC_MAGIC, 0x4b, struct gvbench_wl_run)
#define GVBENCH_IOC_WL_DESTROY	    _IOWR(GVBENCH_IOC_MAGIC, 0x4c, struct gvbench_destroy)
#define GVBENCH_IOC_STATS	    _IOWR(GVBENCH_IOC_MAGIC, 0x4d, struct gvbench_stats)
#define GVBENCH_IOC_SELFTEST	    _IOWR(GVBENCH_IOC_MAGIC, 0x4e, struct gvbench_selftest)
#define GVBENCH_IOC_WL_COUNT	    _IOWR(GVBENCH_IOC_MAGIC, 0x4f, struct gvbench_wl_count)
#define GVBENCH_IOC_TORTURE	    _IOWR(GVBENCH_IOC_MAGIC, 0x50, struct gvbench_torture)
#define GVBENCH_IOC_FAULT	    _IOWR(GVBENCH_IOC_MAGIC, 0x51, struct gvbench_fault)
#define GVBENCH_IOC_LIST_ENGINES    _IOWR(GVBENCH_IOC_MAGIC, 0x52, struct gvbench_list)
#define GVBENCH_IOC_ENGINE_QUERY    _IOWR(GVBENCH_IOC_MAGIC, 0x53, struct gvbench_engine_query)

#endif /* _UAPI_GVBENCH_H */
