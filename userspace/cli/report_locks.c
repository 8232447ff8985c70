// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * gvbench report: the lock traffic of a case against resv, per op, and the
 * cost of one extra gpuva-mutex acquisition where that is the only
 * difference.
 */
#define _GNU_SOURCE
#include <math.h>
#include <string.h>

#include "cli/report.h"

/* Short names of the lock classes for 75 columns, in gvb_result_lock_keys[] order. */
static const char *const lock_short[GVB_RESULT_LOCK_CLASSES] = {
	"vm_resv", "bo_resv", "gpuva", "op_lock", "vm_lists", "ww",
};

/*
 * @c's acquisitions per op: against @base (NULL: absolute), only the
 * classes that differ, "gpuva +3, op_lock +2"; "the same" when none do.
 */
void gvb_report_fmt_locks(char *buf, size_t len, const struct gvb_case *c,
			  const struct gvb_case *base)
{
	size_t used = 0;
	unsigned int k;

	buf[0] = '\0';
	for (k = 0; k < GVB_RESULT_LOCK_CLASSES && used < len; k++) {
		double v = c->locks_per_op[k] - (base ? base->locks_per_op[k] : 0);

		if (fabs(v) < LOCK_EPS)
			continue;
		used += snprintf(buf + used, len - used, base ? "%s%s %+.3g" : "%s%s %.3g",
				 used ? ", " : "", lock_short[k], v);
	}
	if (used < len) {
		double a = c->pt_alloc_per_op - (base ? base->pt_alloc_per_op : 0);
		double f = c->pt_freed_per_op - (base ? base->pt_freed_per_op : 0);

		if (!base)
			snprintf(buf + used, len - used, "%stable pages %.3g allocated, %.3g freed",
				 used ? "; " : "", a, f);
		else if (fabs(a) >= LOCK_EPS || fabs(f) >= LOCK_EPS)
			snprintf(buf + used, len - used, "%stable pages %+.3g allocated, %+.3g freed",
				 used ? "; " : "", a, f);
		else if (!used)
			snprintf(buf, len, "the same");
	}
}

/*
 * The extra gpuva-mutex acquisitions per op of @c over @base when they are
 * the only difference in lock traffic (page tables included), else 0.
 */
double gvb_report_only_gpuva(const struct gvb_case *c, const struct gvb_case *base)
{
	unsigned int k;

	if (!c->has_locks || !base->has_locks ||
	    fabs(c->pt_alloc_per_op - base->pt_alloc_per_op) >= LOCK_EPS ||
	    fabs(c->pt_freed_per_op - base->pt_freed_per_op) >= LOCK_EPS)
		return 0;
	for (k = 0; k < GVB_RESULT_LOCK_CLASSES; k++)
		if (k != GVB_RLOCK_GPUVA && fabs(c->locks_per_op[k] - base->locks_per_op[k]) >= LOCK_EPS)
			return 0;
	return c->locks_per_op[GVB_RLOCK_GPUVA] - base->locks_per_op[GVB_RLOCK_GPUVA];
}

/* @d divided by @n extra acquisitions: the cost of one, with its CI. */
struct gvb_delta gvb_report_per_acquisition(const struct gvb_delta *d, double n)
{
	struct gvb_delta e = *d;

	e.delta /= n;
	e.pct /= n;
	e.ci_lo /= n;
	e.ci_hi /= n;
	return e;
}

void gvb_report_print_locks(const struct rep_row *row, const struct gvb_case *base)
{
	char text[256], cost[64], ci[64];
	double n;

	if (!row->c->has_locks || !base->has_locks)
		return;
	gvb_report_fmt_locks(text, sizeof(text), row->c, base);
	n = gvb_report_only_gpuva(row->c, base);
	if (n > LOCK_EPS) {
		struct gvb_delta e = gvb_report_per_acquisition(&row->hot, n);
		size_t used = strlen(text);

		gvb_report_fmt_delta(cost, sizeof(cost), ci, sizeof(ci), &e);
		snprintf(text + used, sizeof(text) - used, "; only gpuva: %s %s per extra one",
			 cost, ci);
	}
	gvb_print_wrapped(stdout, "      locks ", "        ", text, false);
}
