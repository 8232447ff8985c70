// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Shared by the result writers and the reader (file.h).
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

const char *const gvb_counter_keys[GVB_NR_COUNTERS] = {
	[GVB_CTR_TASK_CLOCK]		= "task-clock",
	[GVB_CTR_CONTEXT_SWITCHES]	= "context-switches",
	[GVB_CTR_CPU_MIGRATIONS]	= "cpu-migrations",
	[GVB_CTR_PAGE_FAULTS]		= "page-faults",
	[GVB_CTR_CYCLES]		= "cycles",
	[GVB_CTR_INSTRUCTIONS]		= "instructions",
	[GVB_CTR_CACHE_MISSES]		= "cache-misses",
};

void gvb_seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int gvb_output_ok(const char *path, char *err, size_t errlen)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	struct stat st;

	if (!*path) {
		gvb_seterr(err, errlen, "output path is empty");
		return -1;
	}
	if (!lstat(path, &st) && !S_ISREG(st.st_mode)) {
		gvb_seterr(err, errlen, "%s: exists and is not a regular file (%s); choose another output path",
			   path, S_ISLNK(st.st_mode) ? "a symlink" : S_ISDIR(st.st_mode) ?
			   "a directory" : "a device, pipe or socket");
		return -1;
	}
	if (snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) + 1 : 1,
		     slash ? path : ".") >= (int)sizeof(dir)) {
		gvb_seterr(err, errlen, "%s: path too long", path);
		return -1;
	}
	if (stat(dir, &st) || (S_ISDIR(st.st_mode) && access(dir, W_OK | X_OK))) {
		gvb_seterr(err, errlen, "%s: cannot write in directory %s: %s", path, dir,
			   strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		gvb_seterr(err, errlen, "%s: %s is not a directory", path, dir);
		return -1;
	}
	return 0;
}

int gvb_atomic_open(struct gvb_atomic *a, const char *path, char *err, size_t errlen)
{
	int fd;

	if (gvb_output_ok(path, err, errlen))
		return -1;

	if (snprintf(a->tmp, sizeof(a->tmp), "%s.tmp.XXXXXX", path) >= (int)sizeof(a->tmp)) {
		gvb_seterr(err, errlen, "%s: path too long", path);
		return -1;
	}
	fd = mkstemp(a->tmp);
	if (fd < 0) {
		gvb_seterr(err, errlen, "%s: cannot create a temporary file: %s", path,
			   strerror(errno));
		return -1;
	}
	/* mkstemp() makes it 0600; a result is meant to be read by others. */
	fchmod(fd, 0644);
	a->f = fdopen(fd, "w");
	if (!a->f) {
		gvb_seterr(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		unlink(a->tmp);
		return -1;
	}
	return 0;
}

void gvb_atomic_abort(struct gvb_atomic *a)
{
	fclose(a->f);
	unlink(a->tmp);
}

int gvb_atomic_commit(struct gvb_atomic *a, const char *path, char *err, size_t errlen)
{
	int ret = 0;

	if (fflush(a->f) || ferror(a->f) || fsync(fileno(a->f)))
		ret = -1;
	if (fclose(a->f) && !ret)
		ret = -1;
	if (ret) {
		gvb_seterr(err, errlen, "%s: write failed: %s", path, strerror(errno));
		unlink(a->tmp);
		return -1;
	}
	/* Checked again: the run may have been long, and rename() replaces anything. */
	if (gvb_output_ok(path, err, errlen)) {
		unlink(a->tmp);
		return -1;
	}
	if (rename(a->tmp, path)) {
		gvb_seterr(err, errlen, "%s: %s", path, strerror(errno));
		unlink(a->tmp);
		return -1;
	}
	return 0;
}

void gvb_fmt_double(char *buf, size_t size, double d)
{
	int prec;

	for (prec = 15; prec < 17; prec++) {
		snprintf(buf, size, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return;
	}
	snprintf(buf, size, "%.17g", d);
}
