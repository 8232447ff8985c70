/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * What the result file writers and the reader share, internal to result/:
 * error strings, atomic replacement of a file, exact doubles, counter keys.
 */
#ifndef GVB_RESULT_FILE_H
#define GVB_RESULT_FILE_H

#include <limits.h>
#include <stddef.h>
#include <stdio.h>

#include "result/result.h"

/* The JSON keys of the perf counters, by enum gvb_counter_id. */
extern const char *const gvb_counter_keys[GVB_NR_COUNTERS];

void __attribute__((format(printf, 3, 4))) gvb_seterr(char *err, size_t errlen,
						       const char *fmt, ...);

/*
 * Writes go to a temporary file beside @path, renamed over it once
 * complete, so that an interrupted run or a full disk never leaves a
 * truncated result that a later compare would read as a shorter run.
 */
struct gvb_atomic {
	FILE *f;
	char tmp[PATH_MAX];
};

int gvb_atomic_open(struct gvb_atomic *a, const char *path, char *err, size_t errlen);
/*
 * Whether @path may receive a result: absent, or a regular file (never a
 * symlink, device or directory, which the rename would replace), in a
 * directory we can write. 0, or -1 with @err set. The writers check it
 * again; commands check it before measuring, so a bad -o loses no run.
 */
int gvb_output_ok(const char *path, char *err, size_t errlen);
void gvb_atomic_abort(struct gvb_atomic *a);
/* Flushes, syncs and renames into place; -1 with @err set on any failure. */
int gvb_atomic_commit(struct gvb_atomic *a, const char *path, char *err, size_t errlen);

/*
 * The shortest of %.15g/%.16g/%.17g that reads back to the same double
 * (%.17g always does), for JSON and CSV alike. @d must be finite.
 */
void gvb_fmt_double(char *buf, size_t size, double d);

/* json_strict.c: the whole of @path, NUL-terminated; NULL with @err set on failure. */
char *gvb_slurp(const char *path, size_t *lenp, char *err, size_t errlen);
/* @text as strict JSON (no NaN, bare words or trailing data); NULL with @err set. */
struct json_object;
struct json_object *gvb_json_parse(const char *path, const char *text, size_t len, char *err,
				   size_t errlen);

#endif /* GVB_RESULT_FILE_H */
