/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Thin client of /dev/gvbench (kmod/, include/uapi/gvbench.h) for the
 * userspace runner and the guest test programs. Every function returns 0
 * (or a non-negative result where documented) or a negative errno, the
 * kernel's own for ioctl failures; none of them prints, except
 * gvb_kmod_open(). Names are the registry names ("resv", "map-unmap",
 * "arm-lpae-s1"); the library sets argsz and leaves pad fields zero.
 */
#ifndef GVB_KMOD_CLIENT_H
#define GVB_KMOD_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uapi/gvbench.h"

/*
 * Opens @path (NULL: /dev/gvbench) and checks the ABI major version.
 * Returns the fd, or -errno after one line on stderr saying what to do,
 * e.g. "gvbench: /dev/gvbench not found: load gvbench.ko (insmod
 * kmod/gvbench.ko) or use -b user".
 */
int gvb_kmod_open(const char *path);
void gvb_kmod_close(int fd);

int gvb_kmod_version(int fd, struct gvbench_version *v);
/* Entry @index of a registry; -ENOENT past the end. */
int gvb_kmod_list_strategies(int fd, uint32_t index, struct gvbench_list *out);
int gvb_kmod_list_workloads(int fd, uint32_t index, struct gvbench_list *out);
int gvb_kmod_list_formats(int fd, uint32_t index, struct gvbench_list *out);
/* Engine slot @index (minor 2): -ENODEV for a slot whose module is not loaded. */
int gvb_kmod_list_engines(int fd, uint32_t index, struct gvbench_list *out);
/*
 * Can engine @engine ("model" or "" for the model) run @workload under
 * @strategy? 0 with *@can set, @why (GVBENCH_DESC_LEN) filled when it
 * cannot; -ENODEV: engine not loaded; -ENOTTY: a module before minor 2.
 */
int gvb_kmod_engine_query(int fd, const char *engine, const char *workload,
			  const char *strategy, bool *can, char *why, size_t len);
/* The index of strategy @name (for gvb_kmod_bo_create()), or -ENOENT. */
int gvb_kmod_strategy_index(int fd, const char *name);
/* The index of page-table format @name, or -ENOENT. */
int gvb_kmod_format_index(int fd, const char *name);

/*
 * A VM over [va_start, va_start + va_range) with strategy @strategy and
 * page-table format @format (NULL: the default). @flags: GVBENCH_DEFER_ASYNC.
 */
int gvb_kmod_vm_create(int fd, const char *strategy, const char *format, uint64_t va_start,
		       uint64_t va_range, uint64_t flush_ns, uint32_t flags, uint32_t *handle);
int gvb_kmod_vm_destroy(int fd, uint32_t vm);
/* A BO of @size bytes; @private_vm nonzero makes it share that VM's resv. */
int gvb_kmod_bo_create(int fd, const char *strategy, uint64_t size, uint32_t private_vm,
		       uint32_t *handle);
int gvb_kmod_bo_destroy(int fd, uint32_t bo);
/* @prot: GVBENCH_PROT_* */
int gvb_kmod_map(int fd, uint32_t vm, uint32_t bo, uint64_t addr, uint64_t range,
		 uint64_t offset, uint32_t prot);
int gvb_kmod_unmap(int fd, uint32_t vm, uint64_t addr, uint64_t range);

/* Workload parameters; zero fields take the workload's defaults. */
struct gvb_kmod_wl_params {
	uint32_t threads;
	uint64_t size, count, flush_ns, seed;
	bool defer_async;
	bool bo_external, pt_reclaim, bind_sync;	/* GVBENCH_BO_EXTERNAL, _PT_RECLAIM, _BIND_SYNC */
	const char *format;	/* page-table format name; NULL or "": the default */
	const char *engine;	/* engine name; NULL, "" or "model": the model */
};

/* Creates an instance; @p is updated to the effective parameters. */
int gvb_kmod_wl_create(int fd, const char *workload, const char *strategy,
		       struct gvb_kmod_wl_params *p, uint32_t *handle);
int gvb_kmod_wl_destroy(int fd, uint32_t wl);

struct gvb_kmod_run {
	uint64_t elapsed_ns;	/* run_ns + drain_ns, measured in the kernel */
	uint64_t run_ns;
	uint64_t drain_ns;
};

/*
 * One timed batch in the kernel: thread @thread runs @n + @extra ops (and
 * drains what they deferred); @out gets the kernel's timings. Call it from
 * one user thread per workload thread to run them concurrently; the same
 * thread twice at once is -EBUSY.
 */
int gvb_kmod_wl_run(int fd, uint32_t wl, uint32_t thread, uint64_t n, uint64_t extra,
		    struct gvb_kmod_run *out);

/*
 * Lock accounting of thread @thread of workload @wl (GVBENCH_IOC_WL_COUNT):
 * @n uncounted then @n counted ops, totals in @out. -ENOTTY from a module
 * older than ABI 1.1, which has no such ioctl.
 */
int gvb_kmod_wl_count(int fd, uint32_t wl, uint32_t thread, uint64_t n,
		      struct gvbench_wl_count *out);

/* Counters of a VM, or of the VM of a workload's thread. */
int gvb_kmod_vm_stats(int fd, uint32_t vm, struct gvbench_stats *out);
int gvb_kmod_wl_stats(int fd, uint32_t wl, uint32_t thread, struct gvbench_stats *out);

/*
 * GVBENCH_IOC_TORTURE of strategy @strategy (ABI 1.1): the in fields of @a
 * (threads, vms, bos, ops, duration_ms, seed, check_every) as the caller
 * set them, every other field cleared here. Blocks until the verdict is in
 * @a (failed, counters, line). -EPERM: broken without the module's
 * allow_broken=1; -ENOTTY: a module older than ABI 1.1.
 */
int gvb_kmod_torture(int fd, const char *strategy, struct gvbench_torture *a);
/* The module's live allocations (GVBENCH_IOC_FAULT's @live, nothing armed). */
int gvb_kmod_live(int fd, int64_t *live);

/* Runs the module's KTAP self-test (output in the kernel log). */
int gvb_kmod_selftest(int fd, uint32_t *passed, uint32_t *failed);

/*
 * Per-op ioctl mode of map-unmap: what one VM_BIND ioctl per map and per
 * unmap costs, syscall included. init creates a VM of 1 GiB and a BO of
 * @size with strategy @strategy and page-table format @format (NULL: the
 * default), as the map-unmap workload does; run
 * issues @n MAP + UNMAP ioctl pairs of that BO at 2 MiB (the caller times
 * it) and stops at the first error; fini destroys both.
 */
struct gvb_kmod_perop {
	int fd;
	uint32_t vm, bo;
	struct gvbench_map map;
	struct gvbench_unmap unmap;
};

int gvb_kmod_perop_init(struct gvb_kmod_perop *p, int fd, const char *strategy,
			const char *format, uint64_t size, uint64_t flush_ns);
int gvb_kmod_perop_run(struct gvb_kmod_perop *p, uint64_t n);
void gvb_kmod_perop_fini(struct gvb_kmod_perop *p);

#endif /* GVB_KMOD_CLIENT_H */
