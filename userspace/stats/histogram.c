// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The log-linear latency histogram; the layout is described in histogram.h.
 */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats/histogram.h"

int gvb_hist_init(struct gvb_hist *h)
{
	h->counts = calloc(GVB_HIST_NR_BUCKETS, sizeof(*h->counts));
	if (!h->counts)
		return -ENOMEM;
	gvb_hist_reset(h);
	return 0;
}

void gvb_hist_destroy(struct gvb_hist *h)
{
	free(h->counts);
	h->counts = NULL;
}

void gvb_hist_reset(struct gvb_hist *h)
{
	memset(h->counts, 0, GVB_HIST_NR_BUCKETS * sizeof(*h->counts));
	h->total = 0;
	h->min = UINT64_MAX;
	h->max = 0;
	h->clamped = 0;
	h->sum = 0;
}

void gvb_hist_bucket_range(unsigned int idx, uint64_t *lo, uint64_t *hi)
{
	unsigned int b, sub;

	if (idx < GVB_HIST_SUB_COUNT) {
		*lo = *hi = idx;
		return;
	}
	/* Inverse of gvb_hist_index(): power of two b holds indices [(b+1) 1024, (b+2) 1024). */
	b = idx / GVB_HIST_SUB_HALF - 1;
	sub = idx - b * GVB_HIST_SUB_HALF;
	*lo = (uint64_t)sub << b;
	*hi = *lo + (UINT64_C(1) << b) - 1;
}

void gvb_hist_record_ns(struct gvb_hist *h, double ns)
{
	uint64_t v;

	if (!(ns > 0))
		v = 0;
	else if (ns >= 0x1p64)
		v = UINT64_MAX;
	else
		v = (uint64_t)(ns + 0.5);
	gvb_hist_record(h, v);
}

void gvb_hist_merge(struct gvb_hist *dst, const struct gvb_hist *src)
{
	unsigned int i;

	for (i = 0; i < GVB_HIST_NR_BUCKETS; i++)
		dst->counts[i] += src->counts[i];
	dst->total += src->total;
	dst->sum += src->sum;
	dst->clamped += src->clamped;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
}

double gvb_hist_percentile(const struct gvb_hist *h, double p)
{
	uint64_t rank, cum = 0, lo, hi;
	unsigned int i;
	double x, v;

	if (!h->total || isnan(p))
		return NAN;
	if (p <= 0)
		return (double)h->min;
	if (p >= 100)
		return (double)h->max;
	/*
	 * p is rarely exact in binary (99.9 is not): take off a few ulps so
	 * that 99.9% of 1000 values is rank 999 and not 1000.
	 */
	x = p / 100 * (double)h->total;
	x -= x * 4 * DBL_EPSILON;
	rank = (uint64_t)ceil(x);
	if (rank < 1)
		rank = 1;
	if (rank > h->total)
		rank = h->total;

	for (i = 0; i < GVB_HIST_NR_BUCKETS; i++) {
		cum += h->counts[i];
		if (cum >= rank)
			break;
	}
	gvb_hist_bucket_range(i, &lo, &hi);
	/*
	 * The middle of the bucket is within half its width of any value in
	 * it. The exact min and max bound it too, which makes a percentile in
	 * the first or last occupied bucket tighter.
	 */
	v = (double)lo + (double)(hi - lo) / 2;
	if (v < (double)h->min)
		v = (double)h->min;
	if (v > (double)h->max)
		v = (double)h->max;
	return v;
}

double gvb_hist_mean(const struct gvb_hist *h)
{
	return h->total ? h->sum / (double)h->total : NAN;
}

double gvb_hist_max(const struct gvb_hist *h)
{
	return h->total ? (double)h->max : NAN;
}

void gvb_hist_to_latency(const struct gvb_hist *h, double timer_overhead_ns,
			 struct gvb_latency *out)
{
	out->present = h->total > 0;
	out->count = h->total;
	out->timer_overhead_ns = timer_overhead_ns;
	out->p50 = gvb_hist_percentile(h, 50);
	out->p90 = gvb_hist_percentile(h, 90);
	out->p99 = gvb_hist_percentile(h, 99);
	out->p999 = gvb_hist_percentile(h, 99.9);
	out->max = gvb_hist_max(h);
}
