// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The in-memory result: cases and comparisons that grow as a run adds
 * them. Files are json_write.c, json_read.c and csv.c.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "result/result.h"

const char *const gvb_result_lock_keys[GVB_RESULT_LOCK_CLASSES] = {
	"vm_resv", "bo_resv", "gpuva", "op_lock", "vm_lists", "ww_acquire",
};

void gvb_result_init(struct gvb_result *r)
{
	memset(r, 0, sizeof(*r));
	r->meta.alpha = 0.05;
	r->meta.harness_ns_per_op = NAN;
}

static void gvb_case_free_samples(struct gvb_case *c)
{
	free(c->ns_per_op);
	free(c->cpu_ns_per_op);
	free(c->ops_per_sec);
	c->ns_per_op = c->cpu_ns_per_op = c->ops_per_sec = NULL;
	c->nsamples = 0;
}

void gvb_result_free(struct gvb_result *r)
{
	unsigned int i;

	for (i = 0; i < r->ncases; i++)
		gvb_case_free_samples(&r->cases[i]);
	free(r->cases);
	free(r->cmps);
	gvb_result_init(r);
}

/*
 * Grows by one element: results hold tens to hundreds of cases, so the
 * quadratic copying does not matter, and struct gvb_result has no capacity
 * field. The returned pointer is invalidated by the next add.
 */
struct gvb_case *gvb_result_add_case(struct gvb_result *r)
{
	struct gvb_case *cases;

	if (r->ncases >= UINT_MAX - 1)
		return NULL;
	cases = realloc(r->cases, (r->ncases + 1) * sizeof(*cases));
	if (!cases)
		return NULL;
	r->cases = cases;
	memset(&cases[r->ncases], 0, sizeof(*cases));
	cases[r->ncases].group = -1;
	return &cases[r->ncases++];
}

struct gvb_comparison *gvb_result_add_cmp(struct gvb_result *r)
{
	struct gvb_comparison *cmps;

	if (r->ncmp >= UINT_MAX - 1)
		return NULL;
	cmps = realloc(r->cmps, (r->ncmp + 1) * sizeof(*cmps));
	if (!cmps)
		return NULL;
	r->cmps = cmps;
	memset(&cmps[r->ncmp], 0, sizeof(*cmps));
	return &cmps[r->ncmp++];
}

/* Replaces any earlier arrays; the samples start as 0. */
int gvb_case_alloc_samples(struct gvb_case *c, unsigned int n)
{
	gvb_case_free_samples(c);
	if (!n)
		return 0;
	c->ns_per_op = calloc(n, sizeof(double));
	c->cpu_ns_per_op = calloc(n, sizeof(double));
	c->ops_per_sec = calloc(n, sizeof(double));
	if (!c->ns_per_op || !c->cpu_ns_per_op || !c->ops_per_sec) {
		gvb_case_free_samples(c);
		return -ENOMEM;
	}
	c->nsamples = n;
	return 0;
}
