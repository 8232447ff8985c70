// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Per-thread perf counters through the raw perf_event_open(2) syscall (no
 * libpfm: the seven generic events need no event tables).
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench/perf.h"

static const struct {
	const char *name;
	uint32_t type;
	uint64_t config;
} gvb_counters[GVB_NR_COUNTERS] = {
	[GVB_CTR_TASK_CLOCK] = { "task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK },
	[GVB_CTR_CONTEXT_SWITCHES] = { "context-switches", PERF_TYPE_SOFTWARE,
				       PERF_COUNT_SW_CONTEXT_SWITCHES },
	[GVB_CTR_CPU_MIGRATIONS] = { "cpu-migrations", PERF_TYPE_SOFTWARE,
				     PERF_COUNT_SW_CPU_MIGRATIONS },
	[GVB_CTR_PAGE_FAULTS] = { "page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS },
	[GVB_CTR_CYCLES] = { "cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
	[GVB_CTR_INSTRUCTIONS] = { "instructions", PERF_TYPE_HARDWARE,
				   PERF_COUNT_HW_INSTRUCTIONS },
	[GVB_CTR_CACHE_MISSES] = { "cache-misses", PERF_TYPE_HARDWARE,
				   PERF_COUNT_HW_CACHE_MISSES },
};

const char *gvb_counter_name(enum gvb_counter_id id)
{
	if ((unsigned int)id >= GVB_NR_COUNTERS)
		return "?";
	return gvb_counters[id].name;
}

static int gvb_read_paranoid(void)
{
	FILE *f = fopen("/proc/sys/kernel/perf_event_paranoid", "r");
	int v = -99;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -99;
		fclose(f);
	}
	return v;
}

static int gvb_perf_event_open(struct perf_event_attr *attr)
{
	return (int)syscall(SYS_perf_event_open, attr, 0 /* this thread */, -1 /* any cpu */,
			    -1 /* no group */, PERF_FLAG_FD_CLOEXEC);
}

/*
 * What a failed open means, for people. @full is the form for the note,
 * which has room for the path; the per-counter reason must fit in 96
 * bytes together with strerror().
 */
static void gvb_perf_hint(char *buf, size_t len, int err, int paranoid, bool full)
{
	switch (err) {
	case ENOENT:
	case ENODEV:
	case EOPNOTSUPP:
		snprintf(buf, len, "no PMU (e.g. a VM without PMU passthrough)");
		break;
	case EACCES:
	case EPERM:
		/* root is never refused by perf_event_paranoid: it is a sandbox. */
		if (geteuid() == 0)
			snprintf(buf, len, "refused to root: a seccomp filter or container policy?");
		else if (full)
			snprintf(buf, len, "perf_event_paranoid=%d forbids it; run as root or lower "
				 "/proc/sys/kernel/perf_event_paranoid", paranoid);
		else
			snprintf(buf, len, "perf_event_paranoid=%d forbids it; run as root or "
				 "lower it", paranoid);
		break;
	case ENOSYS:
		snprintf(buf, len, "no perf events in this kernel, or a seccomp filter");
		break;
	case EMFILE:
	case ENFILE:
		snprintf(buf, len, "out of file descriptors");
		break;
	default:
		buf[0] = '\0';
	}
}

/* Appends with snprintf semantics: a full buffer stays NUL-terminated. */
static __attribute__((format(printf, 4, 5)))
void gvb_append(char *buf, size_t len, size_t *pos, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*pos >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *pos, len - *pos, fmt, ap);
	va_end(ap);
	if (n > 0)
		*pos = *pos + (size_t)n < len ? *pos + (size_t)n : len;
}

int gvb_perf_open(struct gvb_perf *p)
{
	int i, present = 0;

	memset(p, 0, sizeof(*p));
	p->paranoid = gvb_read_paranoid();
	/*
	 * GVB_NO_PERF=1 opens nothing. scripts/kmod-ci sets it: creating and
	 * closing perf events flips the scheduler's perf static keys, and the
	 * kernel text patching behind that races with multi-threaded QEMU TCG
	 * (an int3 Oops in __schedule was seen in the guest).
	 */
	if (getenv("GVB_NO_PERF")) {
		for (i = 0; i < GVB_NR_COUNTERS; i++) {
			p->fd[i] = -1;
			p->err[i] = ECANCELED;
			snprintf(p->reason[i], sizeof(p->reason[i]),
				 "not opened: GVB_NO_PERF is set");
		}
		return -1;
	}
	for (i = 0; i < GVB_NR_COUNTERS; i++) {
		struct perf_event_attr attr;
		size_t pos = 0;
		char hint[96];

		memset(&attr, 0, sizeof(attr));
		attr.size = sizeof(attr);
		attr.type = gvb_counters[i].type;
		attr.config = gvb_counters[i].config;
		attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
		attr.exclude_hv = 1;
		/*
		 * Count kernel mode too where allowed: lock contention ends in
		 * futex syscalls and the deferred paths in page faults, and a
		 * user-only count would hide exactly the costs compared here.
		 */
		attr.exclude_kernel = 0;
		p->fd[i] = gvb_perf_event_open(&attr);
		if (p->fd[i] < 0 && (errno == EACCES || errno == EPERM)) {
			attr.exclude_kernel = 1;
			p->fd[i] = gvb_perf_event_open(&attr);
			p->user_only[i] = p->fd[i] >= 0;
		}
		if (p->fd[i] >= 0) {
			present++;
			continue;
		}
		p->err[i] = errno;
		gvb_perf_hint(hint, sizeof(hint), p->err[i], p->paranoid, false);
		gvb_append(p->reason[i], sizeof(p->reason[i]), &pos, "%s%s%s", strerror(p->err[i]),
			   hint[0] ? ": " : "", hint);
	}
	return present ? 0 : -1;
}

void gvb_perf_read(struct gvb_perf *p, uint64_t out[GVB_NR_COUNTERS])
{
	int i;

	for (i = 0; i < GVB_NR_COUNTERS; i++) {
		/* PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING */
		struct { uint64_t value, enabled, running; } v;

		out[i] = 0;
		if (p->fd[i] < 0 || read(p->fd[i], &v, sizeof(v)) != (ssize_t)sizeof(v))
			continue;
		/*
		 * Not a group and not pinned: with more events than PMU slots the
		 * kernel time-shares them, and the count covers only the running
		 * part. Software counters always run, so this only scales
		 * hardware ones; running == 0 means it never ran and 0 is all we
		 * know.
		 */
		if (v.running && v.running < v.enabled)
			out[i] = (uint64_t)((double)v.value * ((double)v.enabled / v.running));
		else if (v.running)
			out[i] = v.value;
	}
}

void gvb_perf_close(struct gvb_perf *p)
{
	int i;

	for (i = 0; i < GVB_NR_COUNTERS; i++) {
		if (p->fd[i] >= 0)
			close(p->fd[i]);
		p->fd[i] = -1;
	}
}

void gvb_perf_fill_counters(struct gvb_counter c[GVB_NR_COUNTERS], const struct gvb_perf *p,
			    const uint64_t delta[GVB_NR_COUNTERS])
{
	int i;

	for (i = 0; i < GVB_NR_COUNTERS; i++) {
		memset(&c[i], 0, sizeof(c[i]));
		c[i].present = p->fd[i] >= 0;
		if (c[i].present)
			c[i].value = delta[i];
		else
			snprintf(c[i].absent_reason, sizeof(c[i].absent_reason), "%s",
				 p->reason[i][0] ? p->reason[i] : "not opened");
	}
}

void gvb_perf_note_from(char *buf, size_t len, const struct gvb_perf *p)
{
	bool done[GVB_NR_COUNTERS] = { false };
	int i, j, nabsent = 0, nhw_absent = 0, user_only = 0, ngroups = 0;
	size_t pos = 0;

	if (!len)
		return;
	buf[0] = '\0';
	for (i = 0; i < GVB_NR_COUNTERS; i++) {
		if (p->fd[i] < 0) {
			nabsent++;
			nhw_absent += i >= GVB_CTR_CYCLES;
		} else {
			user_only += p->user_only[i];
		}
	}
	if (!nabsent)
		gvb_append(buf, len, &pos, "all counters present");
	else if (nabsent == GVB_NR_COUNTERS)
		gvb_append(buf, len, &pos, "all counters absent");
	else if (nabsent == nhw_absent && nhw_absent == GVB_NR_COUNTERS - GVB_CTR_CYCLES)
		gvb_append(buf, len, &pos, "hardware counters absent");
	else
		gvb_append(buf, len, &pos, "counters absent");

	/* Group the absent counters by errno, so that one cause is said once. */
	for (i = 0; i < GVB_NR_COUNTERS; i++) {
		bool listed = nabsent != GVB_NR_COUNTERS;
		char hint[128];

		if (p->fd[i] >= 0 || done[i])
			continue;
		gvb_append(buf, len, &pos, "%s", ngroups++ ? "; " : ": ");
		for (j = i; j < GVB_NR_COUNTERS; j++) {
			if (p->fd[j] >= 0 || done[j] || p->err[j] != p->err[i])
				continue;
			done[j] = true;
			/* "all counters absent" needs no list of the seven. */
			if (listed)
				gvb_append(buf, len, &pos, "%s%s", j == i ? "" : ", ",
					   gvb_counters[j].name);
		}
		gvb_perf_hint(hint, sizeof(hint), p->err[i], p->paranoid, true);
		gvb_append(buf, len, &pos, "%s%s", listed ? ": " : "",
			   hint[0] ? hint : strerror(p->err[i]));
	}
	if (user_only)
		gvb_append(buf, len, &pos, "; kernel mode not counted (perf_event_paranoid=%d)",
			   p->paranoid);
}

/* Every thread of a process gets the same answer, so one probe speaks for all. */
void gvb_perf_note(char *buf, size_t len)
{
	struct gvb_perf p;

	if (getenv("GVB_NO_PERF")) {
		snprintf(buf, len, "perf counters not opened: GVB_NO_PERF is set");
		return;
	}
	gvb_perf_open(&p);
	gvb_perf_note_from(buf, len, &p);
	gvb_perf_close(&p);
}
