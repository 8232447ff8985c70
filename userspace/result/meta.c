// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The provenance block of a result. The build passes GVB_GIT_DESCRIBE and
 * GVB_CFLAGS as string literals (-DGVB_GIT_DESCRIBE="\"v0.1-3-gabcdef\"");
 * a standalone compile without them records "unknown" rather than guessing.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "result/cpuinfo.h"
#include "result/file.h"
#include "result/meta.h"

#ifdef GVB_HAVE_VERSION_H
#include "gvb_version.h"	/* written at build time by cmake/version.cmake */
#endif
#ifndef GVB_GIT_DESCRIBE
#define GVB_GIT_DESCRIBE	"unknown"
#endif
#ifndef GVB_CFLAGS
#define GVB_CFLAGS		"unknown"
#endif

/* clang defines __GNUC__ too, so it is asked first. */
#if defined(__clang__)
#define GVB_COMPILER		"clang " __VERSION__
#elif defined(__GNUC__)
#define GVB_COMPILER		"gcc " __VERSION__
#else
#define GVB_COMPILER		"unknown"
#endif

static void gvb_copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src);
}

/* A small sysfs or procfs file, whole; NULL (absent) if it cannot be read. */
static char *gvb_read_small(const char *path, size_t *len)
{
	char err[256];

	return gvb_slurp(path, len, err, sizeof(err));
}

static void gvb_where(struct gvb_meta *m)
{
	size_t clen = 0, vlen = 0, dlen = 0;
	char *cpuinfo = gvb_read_small("/proc/cpuinfo", &clen);
	char *vendor = gvb_read_small("/sys/class/dmi/id/sys_vendor", &vlen);
	char *dt = gvb_read_small("/proc/device-tree/compatible", &dlen);

	gvb_cpuinfo_model(m->cpu_model, sizeof(m->cpu_model), cpuinfo ? cpuinfo : "");
	gvb_copy(m->host, sizeof(m->host), gvb_host_kind_of(cpuinfo, vendor, dt, dt ? dlen : 0));
	free(cpuinfo);
	free(vendor);
	free(dt);
}

void gvb_meta_print_caveats(FILE *f, const struct gvb_meta *m)
{
	if (strcmp(m->host, "uml"))
		return;
	fprintf(f, "note: made in User-Mode Linux: trust single-thread batch-mode ratios between "
		"strategies; absolute ns and cases with more than one thread (tick-based "
		"scheduling) are not kernel numbers\n");
	if (!strcmp(m->backend_mode, "ioctl"))
		fprintf(f, "warning: per-op ioctl mode in UML is not a kernel number: each guest "
			"syscall costs ~20 us\n");
	if (!strcmp(m->mode, "latency"))
		fprintf(f, "warning: latency mode in UML is not a kernel number: its clock steps by "
			"256 ns and costs 50-130 ns\n");
}

/* Characters a POSIX shell never treats specially in a word. */
static bool gvb_shell_safe(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		if (!isalnum((unsigned char)*s) && !strchr("@%+=:,./_-", *s))
			return false;
	}
	return true;
}

/*
 * Writes @arg as one shell word into @buf at @pos; false (and nothing
 * written) if it does not fit, so that a truncated command line never ends
 * inside a quote and can still be pasted.
 */
static bool gvb_put_word(char *buf, size_t size, size_t *pos, const char *arg)
{
	char word[1024];
	size_t n = 0;
	const char *s;

	if (gvb_shell_safe(arg)) {
		n = snprintf(word, sizeof(word), "%s", arg);
	} else {
		/* 'it'\''s' : close the quote, an escaped quote, reopen. */
		word[n++] = '\'';
		for (s = arg; *s && n + 6 < sizeof(word); s++) {
			if (*s == '\'') {
				memcpy(word + n, "'\\''", 4);
				n += 4;
			} else {
				word[n++] = *s;
			}
		}
		if (*s)
			return false;
		word[n++] = '\'';
		word[n] = '\0';
	}
	if (n >= sizeof(word) || *pos + (*pos ? 1 : 0) + n >= size)
		return false;
	if (*pos)
		buf[(*pos)++] = ' ';
	memcpy(buf + *pos, word, n + 1);
	*pos += n;
	return true;
}

static void gvb_command(char *buf, size_t size, int argc, char **argv)
{
	static const char more[] = " ...";
	size_t pos = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < argc && argv[i]; i++) {
		/* Always keep room for the marker, so that it fits when needed. */
		if (!gvb_put_word(buf, size - (sizeof(more) - 1), &pos, argv[i])) {
			snprintf(buf + pos, size - pos, "%s", pos ? more : more + 1);
			return;
		}
	}
}

void gvb_meta_fill(struct gvb_meta *m, int argc, char **argv)
{
	struct utsname u;
	struct tm tm;
	time_t now;
	long cores;

	memset(m, 0, sizeof(*m));
	gvb_copy(m->tool_version, sizeof(m->tool_version), GVB_GIT_DESCRIBE);
	gvb_copy(m->backend, sizeof(m->backend), "user");
	gvb_copy(m->backend_mode, sizeof(m->backend_mode), "inline");
	if (uname(&u)) {
		gvb_copy(m->kernel, sizeof(m->kernel), "unknown");
		gvb_copy(m->arch, sizeof(m->arch), "unknown");
	} else {
		gvb_copy(m->kernel, sizeof(m->kernel), u.release);
		gvb_copy(m->arch, sizeof(m->arch), u.machine);
	}
	gvb_where(m);
	cores = sysconf(_SC_NPROCESSORS_ONLN);
	m->cores = cores > 0 ? (unsigned int)cores : 0;
	gvb_copy(m->compiler, sizeof(m->compiler), GVB_COMPILER);
	gvb_copy(m->cflags, sizeof(m->cflags), GVB_CFLAGS);
	now = time(NULL);
	if (gmtime_r(&now, &tm))
		strftime(m->date, sizeof(m->date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	gvb_command(m->command, sizeof(m->command), argc, argv);
	m->alpha = 0.05;
	m->harness_ns_per_op = NAN;
}
