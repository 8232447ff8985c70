/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Timestamps for the latency mode, which times single ops (the throughput
 * mode times whole batches with clock_gettime and needs none of this).
 *
 * On x86_64 with an invariant TSC (constant_tsc and nonstop_tsc) and
 * rdtscp, an op is bracketed by lfence;rdtsc before and rdtscp;lfence
 * after: the first lfence keeps the op's loads from starting before the
 * start stamp, rdtscp waits for the op to finish, and the last lfence keeps
 * later work from starting before the end stamp is taken. The pair costs
 * some tens of ns, which gvb_tsc_overhead_ns() measures so that the caller
 * subtracts it from every op.
 *
 * Elsewhere (no invariant TSC, other architectures) the "ticks" are
 * CLOCK_MONOTONIC nanoseconds: coarser and costlier, but not wrong. The
 * choice is process-wide, made by gvb_tsc_calibrate(), and recorded in
 * gvb_tsc.source for the result.
 */
#ifndef GVB_TSC_H
#define GVB_TSC_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct gvb_tsc {
	bool use_tsc;		/* false: ticks are CLOCK_MONOTONIC ns */
	double ticks_per_ns;	/* 1.0 when !use_tsc */
	char source[128];	/* e.g. "rdtsc (constant_tsc nonstop_tsc), 2.995 ticks/ns" */
};

/* Set by gvb_tsc_calibrate(); read on every stamp, a branch that always goes one way. */
extern bool gvb_tsc_enabled;

/*
 * Chooses the clock and measures the TSC rate against CLOCK_MONOTONIC_RAW
 * over about 50 ms. Returns 0; a fallback to clock_gettime is not an error
 * and is explained in t->source.
 */
int gvb_tsc_calibrate(struct gvb_tsc *t);
/* Median cost of an empty start/end pair, in ns; subtract from each op. */
double gvb_tsc_overhead_ns(const struct gvb_tsc *t);
double gvb_tsc_to_ns(const struct gvb_tsc *t, uint64_t ticks);

static inline uint64_t gvb_tsc_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#if defined(__x86_64__)
static inline uint64_t gvb_tsc_read_start(void)
{
	uint32_t lo, hi;

	if (__builtin_expect(!gvb_tsc_enabled, 0))
		return gvb_tsc_clock_ns();
	__asm__ __volatile__("lfence\n\trdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t gvb_tsc_read_end(void)
{
	uint32_t lo, hi, aux;

	if (__builtin_expect(!gvb_tsc_enabled, 0))
		return gvb_tsc_clock_ns();
	__asm__ __volatile__("rdtscp\n\tlfence" : "=a"(lo), "=d"(hi), "=c"(aux) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}
#else
static inline uint64_t gvb_tsc_read_start(void)
{
	return gvb_tsc_clock_ns();
}

static inline uint64_t gvb_tsc_read_end(void)
{
	return gvb_tsc_clock_ns();
}
#endif

#endif /* GVB_TSC_H */
