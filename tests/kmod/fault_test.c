// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * fault_test: allocation failure at every allocation site of gvbench.ko,
 * in the vm-run guest (GVBENCH_IOC_FAULT). For every strategy, each step
 * below is tried with its 1st, 2nd, ... allocation failing until it needs
 * fewer: every failing attempt must return -ENOMEM and change nothing that
 * STATS shows (VAs, vm_bos), the step must then succeed, and once the
 * file is closed the module's live allocations must be back where they
 * were (nothing leaked on any error path). The kernel log is checked by
 * kmod-ci (no WARN, no slab leak at unload).
 *
 * Prints TAP lines, the distinct sites failed, and
 * "fault_test: N passed, M failed".
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ioc.h"
#include "backend/kmod_client.h"
#include "tap.h"

#define M		(1ULL << 20)
#define G		(1ULL << 30)
#define MAX_N		400
#define MAX_SITES	128

static char sites[MAX_SITES][64];
static unsigned int nsites, injected;

static void note_site(const char *site)
{
	unsigned int i;

	for (i = 0; i < nsites; i++)
		if (!strcmp(sites[i], site))
			return;
	if (nsites < MAX_SITES)
		strcpy(sites[nsites++], site);
}

#define NBO	11

struct ctx {
	int fd;
	const char *strategy;
	__u32 vm, vm2, bo[NBO], wl;
};

enum step_kind {
	VM_CREATE, VM_CREATE_ASYNC, BO_CREATE, MAP, UNMAP, WL_CREATE, WL_RUN, TORTURE, OPEN,
	MANY_BOS,
};

struct step {
	const char *name;
	enum step_kind kind;
	bool staged_only;	/* immediate strategies allocate nothing there */
	unsigned int bo;
	__u64 addr, range, offset;
	const char *workload;
};

static const struct step steps[] = {
	{ "VM_CREATE", VM_CREATE },
	{ "VM_CREATE (deferred cleanup in a worker)", VM_CREATE_ASYNC },
	{ "BO_CREATE", BO_CREATE, .bo = 0 },
	{ "BO_CREATE", BO_CREATE, .bo = 1 },
	{ "BO_CREATE", BO_CREATE, .bo = 2 },
	{ "MAP into an empty VM (tables, vm_bo)", MAP, .bo = 0, .addr = 2 * M, .range = 4 * M },
	{ "MAP a second BO far away (new tables)", MAP, .bo = 1, .addr = 3 * G + 5 * 4096,
	  .range = 7 * 4096 },
	{ "MAP over the middle of a 2M block (remap, split)", MAP, .bo = 1,
	  .addr = 2 * M + 8 * 4096, .range = 4 * 4096, .offset = 16 * 4096 },
	{ "UNMAP a hole in the other block (split)", UNMAP, .addr = 6 * M + 64 * 4096,
	  .range = 3 * 4096 },
	{ "MAP spanning several VAs", MAP, .bo = 2, .addr = 2 * M, .range = 4 * M },
	{ "UNMAP everything", UNMAP, .addr = 0, .range = 4 * G },
	/* Eight more BOs mapped side by side (unarmed), then one op locking all of them. */
	{ "MAP over 11 BOs (drm_exec grows its array)", MANY_BOS, true },
	{ "WL_CREATE map-unmap, 2 threads", WL_CREATE, .workload = "map-unmap" },
	{ "WL_CREATE shared-bo, 2 threads", WL_CREATE, .workload = "shared-bo" },
	{ "WL_CREATE evict-walk, 2 threads", WL_CREATE, .workload = "evict-walk" },
	{ "WL_CREATE fence-path, 2 threads", WL_CREATE, .workload = "fence-path" },
	{ "WL_CREATE bind-many, 2 threads", WL_CREATE, .workload = "bind-many" },
	{ "WL_CREATE lock-pair, 2 threads", WL_CREATE, .workload = "lock-pair" },
	{ "WL_RUN fence-path (two-pass prepare)", WL_RUN, .workload = "fence-path" },
	{ "TORTURE, 20 ops", TORTURE },
	{ "open /dev/gvbench", OPEN },
};

/* VAs and live vm_bos of the VM, from STATS. */
static void vm_state(struct ctx *c, __u64 *vas, __u64 *vm_bos)
{
	struct gvbench_stats s;

	*vas = *vm_bos = 0;
	if (c->vm && !gvb_kmod_vm_stats(c->fd, c->vm, &s)) {
		*vas = s.vas;
		*vm_bos = s.vm_bo_created - s.vm_bo_destroyed;
	}
}

static int run_step(struct ctx *c, const struct step *s)
{
	struct gvb_kmod_wl_params p = { .threads = 2, .size = 64 * 1024, .count = 16 };
	struct gvb_kmod_run r;
	__u32 h = 0;
	int ret;

	switch (s->kind) {
	case VM_CREATE:
	case VM_CREATE_ASYNC:
		ret = gvb_kmod_vm_create(c->fd, c->strategy, NULL, 0, 4 * G, 0,
					 s->kind == VM_CREATE_ASYNC ? GVBENCH_DEFER_ASYNC : 0, &h);
		if (!ret)
			*(s->kind == VM_CREATE ? &c->vm : &c->vm2) = h;
		return ret;
	case BO_CREATE:
		ret = gvb_kmod_bo_create(c->fd, c->strategy, 8 * M, 0, &h);
		if (!ret)
			c->bo[s->bo] = h;
		return ret;
	case MAP:
		ret = gvb_kmod_map(c->fd, c->vm, c->bo[s->bo], s->addr, s->range, s->offset,
				   GVBENCH_PROT_READ | GVBENCH_PROT_WRITE);
		return ret;
	case UNMAP:
		return gvb_kmod_unmap(c->fd, c->vm, s->addr, s->range);
	case WL_CREATE:
		ret = gvb_kmod_wl_create(c->fd, s->workload, c->strategy, &p, &h);
		if (!ret)
			gvb_kmod_wl_destroy(c->fd, h);
		return ret;
	case WL_RUN:
		return gvb_kmod_wl_run(c->fd, c->wl, 0, 2, 0, &r);
	case TORTURE: {
		static struct gvbench_torture a;

		memset(&a, 0, sizeof(a));
		a.flags = GVBENCH_BY_NAME;
		snprintf(a.strategy_name, sizeof(a.strategy_name), "%s", c->strategy);
		a.threads = 1;
		a.ops = 20;
		ret = ioc(c->fd, GVBENCH_IOC_TORTURE, &a);
		return ret ? ret : a.failed ? -EIO : 0;
	}
	case OPEN:
		ret = open(GVBENCH_DEVICE, O_RDWR);
		if (ret < 0)
			return -errno;
		close(ret);
		return 0;
	case MANY_BOS:
		return gvb_kmod_map(c->fd, c->vm, c->bo[0], 0, NBO * 4096, 0,
				    GVBENCH_PROT_READ);
	default:
		return -EINVAL;
	}
}

/* What a step needs that is not itself under test, made unarmed. */
static void setup(struct ctx *c, const struct step *s)
{
	struct gvb_kmod_wl_params p = { .threads = 2, .size = 64 * 1024, .count = 16 };
	unsigned int i;

	if (s->kind == MANY_BOS) {
		for (i = 3; i < NBO; i++)
			gvb_kmod_bo_create(c->fd, c->strategy, 8 * M, 0, &c->bo[i]);
		for (i = 0; i < NBO; i++)
			gvb_kmod_map(c->fd, c->vm, c->bo[i], i * 4096, 4096, 0, GVBENCH_PROT_READ);
	}
	if (s->kind == WL_RUN)
		gvb_kmod_wl_create(c->fd, s->workload, c->strategy, &p, &c->wl);
}

static void run_strategy(int fd0, const char *strategy, bool immediate)
{
	long long live = fault_live(fd0);
	struct ctx c = { .strategy = strategy };
	unsigned int i, n;
	char what[192];

	c.fd = gvb_kmod_open(NULL);
	if (c.fd < 0) {
		check("open", c.fd, 0);
		return;
	}
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		const struct step *s = &steps[i];
		unsigned int failures = 0, bad = 0;
		struct gvbench_fault f;
		int ret = -ENOMEM;

		setup(&c, s);

		for (n = 1; n <= MAX_N; n++) {
			__u64 vas0, vm_bos0, vas1, vm_bos1;

			vm_state(&c, &vas0, &vm_bos0);
			fault_arm(c.fd, n, NULL);
			ret = run_step(&c, s);
			fault_arm(c.fd, 0, &f);
			if (!f.fired) {
				if (ret)
					bad++;	/* failed with nothing injected */
				break;
			}
			failures++;
			injected++;
			note_site(f.site);
			vm_state(&c, &vas1, &vm_bos1);
			if (ret != -ENOMEM || vas0 != vas1 || vm_bos0 != vm_bos1) {
				bad++;
				printf("# %s: %s: allocation %u (%s): ret %d, VAs %llu -> %llu, vm_bos %llu -> %llu\n",
				       strategy, s->name, n, f.site, ret, (unsigned long long)vas0,
				       (unsigned long long)vas1, (unsigned long long)vm_bos0,
				       (unsigned long long)vm_bos1);
				/* One bad answer says enough; the next ones would repeat it. */
				if (ret == 0)
					break;
			}
		}
		/* The same in the worker-cleanup VM, unarmed: its zombies die at close. */
		if (s->kind == MAP && !ret)
			gvb_kmod_map(c.fd, c.vm2, c.bo[s->bo], s->addr, s->range, s->offset,
				     GVBENCH_PROT_READ);
		snprintf(what, sizeof(what), "%s: %s: %u allocation sites, each -ENOMEM and unchanged, then success",
			 strategy, s->name, failures);
		check_true(what, !bad && n <= MAX_N && !ret &&
				 (failures > 0 || (s->staged_only && immediate)));
	}
	gvb_kmod_close(c.fd);
	snprintf(what, sizeof(what), "%s: no module allocation left after close (%lld -> %lld)",
		 strategy, live, fault_live(fd0));
	check_true(what, fault_live(fd0) == live);
}

int main(void)
{
	struct gvbench_list l;
	unsigned int i;
	char what[128];
	int fd0;

	fd0 = gvb_kmod_open(NULL);
	if (fd0 < 0) {
		printf("fault_test: 0 passed, 1 failed\n");
		return 2;
	}
	check("FAULT ioctl present", fault_live(fd0) == (-0x7fffffffffffffffLL - 1) ? -ENOTTY : 0,
	      0);
	for (i = 0; !gvb_kmod_list_strategies(fd0, i, &l); i++)
		if (!(l.obj_flags & GVBENCH_STRATEGY_BROKEN))
			run_strategy(fd0, l.name, l.obj_flags & GVBENCH_STRATEGY_IMMEDIATE);
	/*
	 * The debugfs self-test file allocates its output buffer first: only
	 * that one is failed (the self-test's own allocations are test code).
	 */
	{
		struct gvbench_fault f;
		int dfd;

		fault_arm(fd0, 1, NULL);
		dfd = open("/sys/kernel/debug/gvbench/selftest", O_RDONLY);
		fault_arm(fd0, 0, &f);
		if (f.fired) {
			injected++;
			note_site(f.site);
		}
		check("debugfs selftest open with its buffer allocation failing",
		      dfd < 0 ? -errno : 0, -ENOMEM);
		if (dfd >= 0)
			close(dfd);
	}
	printf("# %u failures injected at %u distinct allocation sites:\n", injected, nsites);
	for (i = 0; i < nsites; i++)
		printf("#   %s\n", sites[i]);
	/*
	 * Whether these are all of them is decided by scripts/kmod-ci, which
	 * lists every allocation call in the sources and compares.
	 */
	snprintf(what, sizeof(what), "%u distinct allocation sites failed", nsites);
	check_true(what, nsites > 0);
	gvb_kmod_close(fd0);
	printf("fault_test: %u passed, %u failed\n", npass, nfail);
	return nfail ? 1 : 0;
}
