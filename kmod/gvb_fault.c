// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Allocation-failure injection and the live-allocation count of gvbench.ko
 * (the wrappers are in core/gvb_seam.h; userspace gets the same from
 * compat_fail_nth()). GVBENCH_IOC_FAULT arms it for the calling task: the
 * nth allocation that task makes in the module from then on fails, once.
 * Only the armed task ever counts down, so the countdown needs no lock; two
 * tasks arming at once simply take turns (the last one wins), which is
 * fine for a test facility behind a root-only device.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "gvb_kmod.h"

DEFINE_STATIC_KEY_FALSE(gvb_fault_key);
struct task_struct *gvb_fault_task;
DEFINE_PER_CPU(long, gvb_fault_live);

static unsigned long gvb_fault_nth;
static const char *gvb_fault_site;	/* where the armed failure hit, or NULL */
static DEFINE_MUTEX(gvb_fault_lock);	/* arming and reading, not the countdown */

bool gvb_fault_fail_slow(const char *site)
{
	if (--gvb_fault_nth)
		return false;
	WRITE_ONCE(gvb_fault_site, site);
	WRITE_ONCE(gvb_fault_task, NULL);
	return true;
}

long gvb_fault_live_count(void)
{
	long n = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		n += per_cpu(gvb_fault_live, cpu);
	return n;
}

void gvb_fault_query(struct gvbench_fault *a)
{
	const char *site;
	size_t len;

	mutex_lock(&gvb_fault_lock);
	site = READ_ONCE(gvb_fault_site);
	a->fired = site != NULL;
	memset(a->site, 0, sizeof(a->site));
	if (site) {
		/* "dir/file.c:line", whatever the build's path prefix was. */
		const char *p = site + strlen(site), *start = site;
		int slashes = 0;

		while (p > site && slashes < 2)
			if (*--p == '/' && ++slashes == 2)
				start = p + 1;
		len = strlen(start);
		strscpy(a->site, start + (len >= sizeof(a->site) ? len - sizeof(a->site) + 1 : 0),
			sizeof(a->site));
	}
	if (a->flags & GVBENCH_FAULT_ARM) {
		WRITE_ONCE(gvb_fault_task, NULL);
		gvb_fault_nth = a->nth;
		WRITE_ONCE(gvb_fault_site, NULL);
		if (a->nth)
			WRITE_ONCE(gvb_fault_task, current);
	}
	mutex_unlock(&gvb_fault_lock);
	a->live = gvb_fault_live_count();
}

struct task_struct *gvb_fault_hold(void)
{
	if (READ_ONCE(gvb_fault_task) != current)
		return NULL;
	WRITE_ONCE(gvb_fault_task, NULL);
	return current;
}

void gvb_fault_unhold(struct task_struct *held)
{
	/* Unless someone armed anew meanwhile. */
	if (held)
		cmpxchg(&gvb_fault_task, NULL, held);
}

void gvb_fault_disarm(void)
{
	WRITE_ONCE(gvb_fault_task, NULL);
}
