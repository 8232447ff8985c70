// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * torture_test: GVBENCH_IOC_TORTURE in the vm-run guest. Every strategy
 * but broken must end in SUCCESS, with ops done, checks run and no module
 * allocation left behind; bad arguments are refused.
 *
 *   torture_test [--duration-ms N] [--threads N] [--seed N]
 *
 * Prints each verdict line, TAP lines and "torture_test: N passed, M failed".
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ioc.h"
#include "backend/kmod_client.h"
#include "tap.h"

/* Index of "ops" and "check" in the counters (core/gvb_torture.h's enum order). */
#define T_CHECK	9
#define T_OPS	10

static int torture(int fd, const char *strategy, unsigned int threads, unsigned long long ms,
		   unsigned long long seed, struct gvbench_torture *a)
{
	memset(a, 0, sizeof(*a));
	a->flags = GVBENCH_BY_NAME;
	snprintf(a->strategy_name, sizeof(a->strategy_name), "%s", strategy);
	a->threads = threads;
	a->duration_ms = ms;
	a->seed = seed;
	return ioc(fd, GVBENCH_IOC_TORTURE, a);
}

int main(int argc, char **argv)
{
	unsigned long long ms = 3000, seed = 1;
	unsigned int threads = 2, i;
	static struct gvbench_torture a;
	struct gvbench_list l;
	char what[128];
	int fd, ret;

	for (i = 1; i + 1 < (unsigned int)argc; i += 2) {
		if (!strcmp(argv[i], "--duration-ms"))
			ms = strtoull(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--threads"))
			threads = strtoul(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--seed"))
			seed = strtoull(argv[i + 1], NULL, 10);
	}
	fd = gvb_kmod_open(NULL);
	if (fd < 0) {
		printf("torture_test: 0 passed, 1 failed\n");
		return 2;
	}
	for (i = 0; !gvb_kmod_list_strategies(fd, i, &l); i++) {
		long long live = fault_live(fd);

		if (l.obj_flags & GVBENCH_STRATEGY_BROKEN) {
			ret = torture(fd, l.name, 1, 100, seed, &a);
			snprintf(what, sizeof(what), "%s refused without allow_broken", l.name);
			check(what, ret, -EPERM);
			continue;
		}
		ret = torture(fd, l.name, threads, ms, seed, &a);
		printf("# %s\n", ret ? "(no line)" : a.line);
		snprintf(what, sizeof(what), "%s: TORTURE ioctl", l.name);
		check(what, ret, 0);
		snprintf(what, sizeof(what), "%s: SUCCESS", l.name);
		check_true(what, !ret && !a.failed && !strncmp(a.line, "SUCCESS strategy=", 17));
		snprintf(what, sizeof(what), "%s: %llu ops, %llu checks", l.name,
			 (unsigned long long)a.counters[T_OPS], (unsigned long long)a.counters[T_CHECK]);
		check_true(what, a.n_counters > T_OPS && a.counters[T_OPS] >= 1000 &&
				 a.counters[T_CHECK] > 0);
		snprintf(what, sizeof(what), "%s: no module allocation left (%lld -> %lld)", l.name,
			 live, fault_live(fd));
		check_true(what, fault_live(fd) == live);
	}

	/* Bad arguments: both or neither of ops and duration, limits, out fields set. */
	ret = torture(fd, "resv", 1, 0, 1, &a);
	check("neither ops nor duration", ret, -EINVAL);
	memset(&a, 0, sizeof(a));
	a.flags = GVBENCH_BY_NAME;
	strcpy(a.strategy_name, "resv");
	a.threads = 1;
	a.ops = 10;
	a.duration_ms = 10;
	check("both ops and duration", ioc(fd, GVBENCH_IOC_TORTURE, &a), -EINVAL);
	a.duration_ms = 0;
	a.threads = 65;
	check("65 threads", ioc(fd, GVBENCH_IOC_TORTURE, &a), -EINVAL);
	a.threads = 1;
	a.line[5] = 'x';
	check("an out field set", ioc(fd, GVBENCH_IOC_TORTURE, &a), -EINVAL);
	a.line[5] = 0;
	strcpy(a.strategy_name, "nope");
	check("unknown strategy", ioc(fd, GVBENCH_IOC_TORTURE, &a), -EINVAL);
	strcpy(a.strategy_name, "resv");
	check("10 ops by op count", ioc(fd, GVBENCH_IOC_TORTURE, &a), 0);
	check_true("10 ops done", a.counters[T_OPS] == 10 && !a.failed);

	close(fd);
	printf("torture_test: %u passed, %u failed\n", npass, nfail);
	return nfail ? 1 : 0;
}
