// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The case table of gvbench-gbench, built from the registries when the
 * program starts: every non-broken strategy x every non-hidden workload x
 * threads 1, 2 and 4, named workload/strategy/tN. Each case runs its
 * workload's defaults, except where noted in gvb_gb_params().
 */
#include "bench/runner.h"
#include "cases.h"

#define GVB_GB_MAX_CASES	256

struct gvb_gb_case {
	char name[96];
	const struct gvb_workload *w;
	const struct gvb_strategy_ops *ops;
	struct gvb_wl_params p;
};

static const unsigned int gvb_gb_threads[] = { 1, 2, 4 };
static struct gvb_gb_case gvb_gb_cases[GVB_GB_MAX_CASES];
static unsigned int gvb_gb_count;

/*
 * Parameters of one case, or false to leave the combination out. A
 * workload whose setup builds p.count mappings per thread (sparse) gets at
 * most 20000 of them: Google Benchmark sets a case up several times while
 * it picks an iteration count.
 */
static bool gvb_gb_params(const struct gvb_workload *w, unsigned int threads,
			  struct gvb_wl_params *p)
{
	struct gvb_wl_params want = { .threads = threads };
	const char *why;

	gvb_wl_params_resolve(p, w, &want);
	if (w->flags & GVB_WL_SETUP_SCALES)
		p->count = min_t(u64, p->count, 20000);
	return !gvb_wl_check_params(p, &why);
}

int gvb_gb_init(void)
{
	const struct gvb_strategy_ops *const *s;
	const struct gvb_workload *const *w;
	unsigned int i;
	int ret;

	ret = gvb_core_init();
	if (ret)
		return ret;
	gvb_gb_count = 0;
	for (w = gvb_workloads; *w; w++) {
		if ((*w)->flags & GVB_WL_HIDDEN)
			continue;
		for (s = gvb_strategies; *s; s++) {
			if ((*s)->flags & GVB_STRATEGY_BROKEN)
				continue;
			for (i = 0; i < ARRAY_SIZE(gvb_gb_threads); i++) {
				struct gvb_gb_case *c = &gvb_gb_cases[gvb_gb_count];

				if (gvb_gb_count == GVB_GB_MAX_CASES) {
					gvb_core_exit();
					return -E2BIG;
				}
				if (!gvb_gb_params(*w, gvb_gb_threads[i], &c->p))
					continue;
				c->w = *w;
				c->ops = *s;
				snprintf(c->name, sizeof(c->name), "%s/%s/t%u", (*w)->name,
					 (*s)->name, gvb_gb_threads[i]);
				gvb_gb_count++;
			}
		}
	}
	return 0;
}

void gvb_gb_exit(void)
{
	gvb_gb_count = 0;
	gvb_core_exit();
}

unsigned int gvb_gb_ncases(void)
{
	return gvb_gb_count;
}

const char *gvb_gb_case_name(unsigned int i)
{
	return i < gvb_gb_count ? gvb_gb_cases[i].name : NULL;
}

unsigned int gvb_gb_case_threads(unsigned int i)
{
	return i < gvb_gb_count ? gvb_gb_cases[i].p.threads : 0;
}

int gvb_gb_create(unsigned int i, struct gvb_batcher **b, char *err, size_t errlen)
{
	const struct gvb_gb_case *c;
	int ret;

	if (i >= gvb_gb_count) {
		snprintf(err, errlen, "no case %u", i);
		return -EINVAL;
	}
	c = &gvb_gb_cases[i];
	ret = gvb_batcher_create(b, c->w, c->ops, &c->p, false);
	if (ret)
		snprintf(err, errlen, "%s: setup failed: %s", c->name, strerror(-ret));
	return ret;
}

int gvb_gb_run(struct gvb_batcher *b, uint64_t n, double *ns_per_op)
{
	return gvb_batcher_run(b, n, ns_per_op);
}

void gvb_gb_destroy(struct gvb_batcher *b)
{
	gvb_batcher_destroy(b);
}
