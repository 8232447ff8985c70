/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * A log-linear latency histogram, HdrHistogram's layout (Debian packages no
 * HdrHistogram C library). Values are nanoseconds. Below 2048 ns every
 * nanosecond has its own bucket; above, each power of two [2^e, 2^(e+1)) is
 * split into 1024 equal buckets, so a bucket is at most 1/1024 of its lower
 * bound wide: three significant digits everywhere, from 1 ns to 2^37 ns
 * (~137 s), in 28672 buckets (224 KiB).
 *
 * record() is O(1) and never allocates: the counts are allocated once in
 * gvb_hist_init(). A histogram is not thread-safe: give each thread its own
 * and gvb_hist_merge() them at the end.
 */
#ifndef GVB_HISTOGRAM_H
#define GVB_HISTOGRAM_H

#include <stdbool.h>
#include <stdint.h>

/* Percentiles of single-op latencies, as a result records them. */
struct gvb_latency {
	bool present;
	uint64_t count;		/* timed single ops */
	double timer_overhead_ns;	/* subtracted from every op */
	double p50, p90, p99, p999, max;	/* ns */
};

#define GVB_HIST_SUB_BITS	11	/* 2048 buckets per power of two, half of them new */
#define GVB_HIST_SUB_COUNT	(1u << GVB_HIST_SUB_BITS)
#define GVB_HIST_SUB_HALF	(GVB_HIST_SUB_COUNT / 2)
#define GVB_HIST_MAX_BITS	37	/* values below 2^37 ns keep full precision */
#define GVB_HIST_HIGHEST	((UINT64_C(1) << GVB_HIST_MAX_BITS) - 1)
#define GVB_HIST_NR_BUCKETS	((GVB_HIST_MAX_BITS - GVB_HIST_SUB_BITS + 2) * GVB_HIST_SUB_HALF)
/*
 * A percentile is within this fraction of the exact one: the answer is the
 * middle of the bucket holding it, and half a bucket is at most 1/2048 of
 * the bucket's lower bound.
 */
#define GVB_HIST_REL_PRECISION	(1.0 / GVB_HIST_SUB_COUNT)

struct gvb_hist {
	uint64_t *counts;	/* GVB_HIST_NR_BUCKETS */
	uint64_t total;
	uint64_t min, max;	/* exact; min is UINT64_MAX while empty */
	uint64_t clamped;	/* values above GVB_HIST_HIGHEST, counted in the top bucket */
	double sum;		/* for the mean */
};

/* 0 or -ENOMEM. The histogram starts empty. */
int gvb_hist_init(struct gvb_hist *h);
void gvb_hist_destroy(struct gvb_hist *h);
void gvb_hist_reset(struct gvb_hist *h);

/*
 * The bucket of @v: its own below 2048; above, b = msb(v) - 10 halvings
 * leave v >> b in [1024, 2048), and power of two b starts at b * 1024.
 */
static inline unsigned int gvb_hist_index(uint64_t v)
{
	unsigned int b = 0;

	if (v > GVB_HIST_HIGHEST)
		v = GVB_HIST_HIGHEST;
	if (v >= GVB_HIST_SUB_COUNT)
		b = 63 - __builtin_clzll(v) - (GVB_HIST_SUB_BITS - 1);
	return b * GVB_HIST_SUB_HALF + (unsigned int)(v >> b);
}

/* The smallest and largest value that land in bucket @idx. */
void gvb_hist_bucket_range(unsigned int idx, uint64_t *lo, uint64_t *hi);

static inline void gvb_hist_record(struct gvb_hist *h, uint64_t ns)
{
	h->counts[gvb_hist_index(ns)]++;
	h->total++;
	h->sum += (double)ns;
	if (ns < h->min)
		h->min = ns;
	if (ns > h->max)
		h->max = ns;
	if (ns > GVB_HIST_HIGHEST)
		h->clamped++;
}

/*
 * Rounded to the nearest ns. Negative values (a timed op shorter than the
 * timer overhead subtracted from it) and NaN count as 0 ns.
 */
void gvb_hist_record_ns(struct gvb_hist *h, double ns);

/* @dst += @src; both initialised. */
void gvb_hist_merge(struct gvb_hist *dst, const struct gvb_hist *src);

static inline uint64_t gvb_hist_count(const struct gvb_hist *h)
{
	return h->total;
}

/*
 * The @p-th percentile (0 <= p <= 100) by nearest rank: the recorded value
 * of rank ceil(p / 100 * count) (at least 1) in sorted order, to within
 * GVB_HIST_REL_PRECISION (exact below 2048 ns). p = 0 gives the exact min
 * and p = 100 the exact max. NaN when empty. Values above GVB_HIST_HIGHEST
 * are counted in the top bucket, so a percentile that lands on them reads
 * about 137 s, a lower bound; the max stays exact.
 */
double gvb_hist_percentile(const struct gvb_hist *h, double p);
double gvb_hist_mean(const struct gvb_hist *h);	/* NaN when empty */
double gvb_hist_max(const struct gvb_hist *h);	/* exact; NaN when empty */

/* Fills @out (p50/p90/p99/p99.9/max, count); present is false when empty. */
void gvb_hist_to_latency(const struct gvb_hist *h, double timer_overhead_ns,
			 struct gvb_latency *out);

#endif /* GVB_HISTOGRAM_H */
