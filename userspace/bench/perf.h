/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Per-thread perf counters through perf_event_open(2).
 *
 * Each thread that runs timed batches opens its own set (pid 0, cpu -1,
 * no inherit), reads it before and after each batch, and adds the deltas
 * to the case. The seven counters are opened independently, not as a
 * group, so that a missing PMU (the usual state of a VM) costs only the
 * hardware counters; each absent counter keeps the reason, which goes into
 * the result so that a missing number is never mistaken for a zero.
 */
#ifndef GVB_PERF_H
#define GVB_PERF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "result/result.h"

struct gvb_perf {
	int fd[GVB_NR_COUNTERS];		/* -1: absent */
	int err[GVB_NR_COUNTERS];		/* errno of the failed open, 0 if present */
	/*
	 * perf_event_paranoid >= 2 without CAP_PERFMON refuses to count kernel
	 * mode; the counter is then reopened for user mode only, which misses
	 * the futex and page-fault work inside the kernel. The note says so.
	 */
	bool user_only[GVB_NR_COUNTERS];
	char reason[GVB_NR_COUNTERS][96];	/* why absent: strerror and a hint */
	int paranoid;				/* /proc/sys/kernel/perf_event_paranoid, or -99 */
};

/*
 * Opens the counters for the calling thread. 0 if at least one counter is
 * present, -1 if none is (perf_event_open refused entirely); in both cases
 * @p is valid, absent counters carry their reason, and gvb_perf_close()
 * must be called.
 */
int gvb_perf_open(struct gvb_perf *p);
/* Running totals since open, scaled if the counter was multiplexed; 0 when absent. */
void gvb_perf_read(struct gvb_perf *p, uint64_t out[GVB_NR_COUNTERS]);
void gvb_perf_close(struct gvb_perf *p);
/* Sets present/value from @delta, or absent with the reason recorded at open. */
void gvb_perf_fill_counters(struct gvb_counter c[GVB_NR_COUNTERS], const struct gvb_perf *p,
			    const uint64_t delta[GVB_NR_COUNTERS]);
const char *gvb_counter_name(enum gvb_counter_id id);
/*
 * One line for gvb_meta.perf_note, e.g. "hardware counters absent: cycles,
 * instructions, cache-misses: no PMU (e.g. a VM without PMU passthrough)",
 * or "all counters present"; adds "kernel mode not counted" where so.
 * gvb_perf_note() opens a set on the calling thread to find out (and
 * closes it); gvb_perf_note_from() describes a set already open.
 */
void gvb_perf_note(char *buf, size_t len);
void gvb_perf_note_from(char *buf, size_t len, const struct gvb_perf *p);

#endif /* GVB_PERF_H */
