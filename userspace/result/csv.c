// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The flat per-sample CSV beside each result file, for gnuplot and
 * spreadsheets: one row per sample of every case.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "result/file.h"

/* RFC 4180 quoting; names are dash-case today, but a comma must not shift columns. */
static void gvb_csv_str(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* gnuplot reads "NaN" as a missing point; the raw sample stays exact. */
static void gvb_csv_double(FILE *f, double d)
{
	char buf[40];

	if (!isfinite(d)) {
		fputs(",NaN", f);
		return;
	}
	gvb_fmt_double(buf, sizeof(buf), d);
	fprintf(f, ",%s", buf);
}

int gvb_result_write_csv(const struct gvb_result *r, const char *path, char *err, size_t errlen)
{
	struct gvb_atomic a;
	unsigned int i, s, k;

	if (gvb_atomic_open(&a, path, err, errlen))
		return -1;
	fputs("case,workload,strategy,threads,size,sample,ns_per_op,cpu_ns_per_op,ops_per_sec", a.f);
	for (i = 0; i < GVB_RESULT_LOCK_CLASSES; i++)
		fprintf(a.f, ",%s_per_op", gvb_result_lock_keys[i]);
	fputs(",pt_pages_allocated_per_op,pt_pages_freed_per_op,engine\n", a.f);
	for (i = 0; i < r->ncases; i++) {
		const struct gvb_case *c = &r->cases[i];

		for (s = 0; s < c->nsamples; s++) {
			gvb_csv_str(a.f, c->name);
			fputc(',', a.f);
			gvb_csv_str(a.f, c->workload);
			fputc(',', a.f);
			gvb_csv_str(a.f, c->strategy);
			fprintf(a.f, ",%u,%" PRIu64 ",%u", c->threads, c->size, s);
			gvb_csv_double(a.f, c->ns_per_op[s]);
			gvb_csv_double(a.f, c->cpu_ns_per_op[s]);
			gvb_csv_double(a.f, c->ops_per_sec[s]);
			/* Per case, repeated on each of its rows; NaN where not counted. */
			for (k = 0; k < GVB_RESULT_LOCK_CLASSES; k++)
				gvb_csv_double(a.f, c->has_locks ? c->locks_per_op[k] : NAN);
			gvb_csv_double(a.f, c->has_locks ? c->pt_alloc_per_op : NAN);
			gvb_csv_double(a.f, c->has_locks ? c->pt_freed_per_op : NAN);
			fputc(',', a.f);
			gvb_csv_str(a.f, c->engine[0] ? c->engine : "model");
			fputc('\n', a.f);
		}
	}
	/* Any stdio error above sticks in ferror(), which the commit checks. */
	return gvb_atomic_commit(&a, path, err, errlen);
}
