// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * TSC calibration and timer-overhead measurement for the latency mode.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/tsc.h"

bool gvb_tsc_enabled;

#define GVB_TSC_CALIB_NS	50000000ull	/* 50 ms: ~20 ppm with ~1 us pairing error */
#define GVB_TSC_OVERHEAD_PAIRS	20001

static void gvb_tsc_fallback(struct gvb_tsc *t, const char *why)
{
	gvb_tsc_enabled = false;
	t->use_tsc = false;
	t->ticks_per_ns = 1.0;
	snprintf(t->source, sizeof(t->source), "clock_gettime(CLOCK_MONOTONIC): %s", why);
}

#if defined(__x86_64__)
static uint64_t gvb_raw_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Whether the first "flags" line of /proc/cpuinfo has @flag as a whole word. */
static bool gvb_cpu_flag(const char *flag)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	bool found = false;
	char *line = NULL;
	size_t cap = 0;

	if (!f)
		return false;
	while (getline(&line, &cap, f) > 0) {
		char *tok, *save;

		if (strncmp(line, "flags", 5))
			continue;
		for (tok = strtok_r(line, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save))
			found |= !strcmp(tok, flag);
		break;
	}
	free(line);
	fclose(f);
	return found;
}

/*
 * One (tsc, ns) point: the TSC read on both sides of clock_gettime, best of
 * a few tries, so that an interrupt between the reads does not skew it.
 */
static void gvb_tsc_pair(uint64_t *tsc, uint64_t *ns)
{
	uint64_t best = UINT64_MAX;
	int i;

	for (i = 0; i < 16; i++) {
		uint64_t a = gvb_tsc_read_start();
		uint64_t n = gvb_raw_ns();
		uint64_t b = gvb_tsc_read_end();

		if (b - a < best) {
			best = b - a;
			*tsc = a + (b - a) / 2;
			*ns = n;
		}
	}
}

int gvb_tsc_calibrate(struct gvb_tsc *t)
{
	uint64_t tsc0, ns0, tsc1, ns1;
	struct timespec nap = { 0, (long)GVB_TSC_CALIB_NS };
	double rate;

	memset(t, 0, sizeof(*t));
	/*
	 * constant_tsc: the rate does not follow frequency scaling; nonstop_tsc:
	 * it keeps counting in deep C-states. Without both a tick is not a
	 * fixed amount of time.
	 */
	if (!gvb_cpu_flag("constant_tsc") || !gvb_cpu_flag("nonstop_tsc")) {
		gvb_tsc_fallback(t, "no invariant TSC (constant_tsc and nonstop_tsc)");
		return 0;
	}
	if (!gvb_cpu_flag("rdtscp")) {
		gvb_tsc_fallback(t, "no rdtscp");
		return 0;
	}
	gvb_tsc_enabled = true;
	gvb_tsc_pair(&tsc0, &ns0);
	/* Sleeping is fine: the TSC is invariant, and the pairs bracket the nap. */
	while (nanosleep(&nap, &nap))
		;
	gvb_tsc_pair(&tsc1, &ns1);
	rate = ns1 > ns0 ? (double)(tsc1 - tsc0) / (double)(ns1 - ns0) : 0;
	if (!(rate >= 0.1 && rate <= 10)) {
		char why[96];

		snprintf(why, sizeof(why), "implausible TSC rate %.4g ticks/ns", rate);
		gvb_tsc_fallback(t, why);
		return 0;
	}
	t->use_tsc = true;
	t->ticks_per_ns = rate;
	snprintf(t->source, sizeof(t->source),
		 "rdtsc (constant_tsc nonstop_tsc), %.4f ticks/ns against CLOCK_MONOTONIC_RAW",
		 rate);
	return 0;
}
#else
int gvb_tsc_calibrate(struct gvb_tsc *t)
{
	memset(t, 0, sizeof(*t));
	gvb_tsc_fallback(t, "no TSC support on this architecture");
	return 0;
}
#endif

double gvb_tsc_to_ns(const struct gvb_tsc *t, uint64_t ticks)
{
	return (double)ticks / t->ticks_per_ns;
}

static int gvb_u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The median, not the minimum: the subtraction should remove what a stamp
 * pair typically costs, and the minimum is a best case that ops rarely see.
 */
double gvb_tsc_overhead_ns(const struct gvb_tsc *t)
{
	uint64_t *d = malloc(GVB_TSC_OVERHEAD_PAIRS * sizeof(*d));
	double ns;
	int i;

	if (!d)
		return 0;
	for (i = 0; i < GVB_TSC_OVERHEAD_PAIRS; i++) {
		uint64_t a = gvb_tsc_read_start();
		uint64_t b = gvb_tsc_read_end();

		d[i] = b - a;
	}
	qsort(d, GVB_TSC_OVERHEAD_PAIRS, sizeof(*d), gvb_u64_cmp);
	ns = gvb_tsc_to_ns(t, d[GVB_TSC_OVERHEAD_PAIRS / 2]);
	free(d);
	return ns;
}
