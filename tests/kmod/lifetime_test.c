// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * lifetime_test: object lifetimes of /dev/gvbench under teardown and
 * concurrency, in the vm-run guest as root.
 *
 * - files closed with live VMs, BOs, mappings and workloads of every
 *   strategy; objects destroyed in every order while still in use;
 * - multi-threaded WL_RUN of every workload with every strategy (one user
 *   thread per workload thread, as the runner's batch mode does);
 * - MAP/UNMAP racing with VM_DESTROY and BO_DESTROY, and close() racing
 *   with a running WL_RUN;
 * - with --ko PATH: rmmod refused while a file is open, accepted after,
 *   with no leak reported by the slab caches, then the module loaded again
 *   from PATH and used.
 *
 * Prints TAP-like lines and "lifetime_test: N passed, M failed".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "backend/kmod_client.h"
#include "tap.h"

#define M	(1ULL << 20)

static int open_dev(void)
{
	int fd = gvb_kmod_open(NULL);

	if (fd < 0) {
		printf("lifetime_test: 0 passed, 1 failed\n");
		exit(2);
	}
	return fd;
}

/* Names of the strategies usable without allow_broken, and of all workloads. */
static char strategies[16][GVBENCH_NAME_LEN], workloads[32][GVBENCH_NAME_LEN];
static unsigned int nstrategies, nworkloads;

static void load_names(int fd)
{
	struct gvbench_list l;
	uint32_t i;

	for (i = 0; nstrategies < 16 && !gvb_kmod_list_strategies(fd, i, &l); i++)
		if (!(l.obj_flags & GVBENCH_STRATEGY_BROKEN))
			strcpy(strategies[nstrategies++], l.name);
	for (i = 0; nworkloads < 32 && !gvb_kmod_list_workloads(fd, i, &l); i++)
		strcpy(workloads[nworkloads++], l.name);
}

/* ----------------------------------------------------- close with objects */

/* A bit of everything of @strategy in @fd, left alive. */
static int populate(int fd, const char *strategy)
{
	struct gvb_kmod_wl_params p = { .threads = 2, .size = 4096 };
	uint32_t vm, bo, pbo, wl;
	int ret;

	ret = gvb_kmod_vm_create(fd, strategy, NULL, 0, 1ULL << 30, 0, 0, &vm);
	ret = ret ?: gvb_kmod_bo_create(fd, strategy, 4 * M, 0, &bo);
	ret = ret ?: gvb_kmod_bo_create(fd, strategy, 4 * M, vm, &pbo);
	ret = ret ?: gvb_kmod_map(fd, vm, bo, 2 * M, 2 * M, 0, GVBENCH_PROT_READ);
	ret = ret ?: gvb_kmod_map(fd, vm, bo, 3 * M, 4096, 8192, GVBENCH_PROT_READ);
	ret = ret ?: gvb_kmod_map(fd, vm, pbo, 8 * M, 4 * M, 0, GVBENCH_PROT_WRITE);
	ret = ret ?: gvb_kmod_wl_create(fd, "map-unmap", strategy, &p, &wl);
	ret = ret ?: gvb_kmod_wl_run(fd, wl, 1, 10, 0, NULL);
	/* A second VM mapping the same BO: the BO has two vm_bos at close. */
	ret = ret ?: gvb_kmod_vm_create(fd, strategy, NULL, 0, 1ULL << 30, 0,
					GVBENCH_DEFER_ASYNC, &vm);
	ret = ret ?: gvb_kmod_map(fd, vm, bo, 0, 4 * M, 0, GVBENCH_PROT_READ);
	return ret;
}

static void test_close_with_objects(void)
{
	int fd1 = open_dev(), fd2 = open_dev();
	unsigned int s;
	char what[96];

	for (s = 0; s < nstrategies; s++) {
		snprintf(what, sizeof(what), "populate file 1 with %s", strategies[s]);
		check(what, populate(fd1, strategies[s]), 0);
		snprintf(what, sizeof(what), "populate file 2 with %s", strategies[s]);
		check(what, populate(fd2, strategies[s]), 0);
	}
	check("close file 1 with live objects", close(fd1), 0);
	check("file 2 still works", populate(fd2, strategies[0]), 0);
	check("close file 2 with live objects", close(fd2), 0);
}

/* Every order of destroying a VM, a BO it maps and a private BO. */
static void test_destroy_orders(void)
{
	int fd = open_dev();
	unsigned int s, order;
	char what[96];

	for (s = 0; s < nstrategies; s++) {
		for (order = 0; order < 6; order++) {
			static const char seq[6][3] = {
				"vbp", "vpb", "bvp", "bpv", "pvb", "pbv",
			};
			uint32_t vm, bo, pbo;
			int ret, i;

			ret = gvb_kmod_vm_create(fd, strategies[s], NULL, 0, 1ULL << 30, 0, 0, &vm);
			ret = ret ?: gvb_kmod_bo_create(fd, strategies[s], 2 * M, 0, &bo);
			ret = ret ?: gvb_kmod_bo_create(fd, strategies[s], 2 * M, vm, &pbo);
			ret = ret ?: gvb_kmod_map(fd, vm, bo, 0, 2 * M, 0, GVBENCH_PROT_READ);
			ret = ret ?: gvb_kmod_map(fd, vm, pbo, 4 * M, M, M, GVBENCH_PROT_READ);
			for (i = 0; i < 3 && !ret; i++) {
				if (seq[order][i] == 'v')
					ret = gvb_kmod_vm_destroy(fd, vm);
				else if (seq[order][i] == 'b')
					ret = gvb_kmod_bo_destroy(fd, bo);
				else
					ret = gvb_kmod_bo_destroy(fd, pbo);
			}
			snprintf(what, sizeof(what), "%s: destroy in order %.3s", strategies[s],
				 seq[order]);
			check(what, ret, 0);
		}
	}
	close(fd);
}

/* ------------------------------------------------- multi-threaded WL_RUN */

struct runner {
	pthread_t th;
	int fd;
	uint32_t wl, thread;
	unsigned int batches;
	uint64_t n;
	int ret;
	pthread_barrier_t *start;
};

static void *run_thread(void *p)
{
	struct runner *r = p;
	unsigned int b;

	pthread_barrier_wait(r->start);
	for (b = 0; b < r->batches && !r->ret; b++)
		r->ret = gvb_kmod_wl_run(r->fd, r->wl, r->thread, r->n, b & 1, NULL);
	return NULL;
}

static int run_threads(int fd, uint32_t wl, unsigned int threads, unsigned int batches,
		       uint64_t n)
{
	struct runner r[8];
	pthread_barrier_t start;
	unsigned int i;
	int ret = 0;

	pthread_barrier_init(&start, NULL, threads);
	for (i = 0; i < threads; i++) {
		r[i] = (struct runner) {
			.fd = fd, .wl = wl, .thread = i, .batches = batches, .n = n,
			.start = &start,
		};
		pthread_create(&r[i].th, NULL, run_thread, &r[i]);
	}
	for (i = 0; i < threads; i++) {
		pthread_join(r[i].th, NULL);
		if (r[i].ret && !ret)
			ret = r[i].ret;
	}
	pthread_barrier_destroy(&start);
	return ret;
}

static void test_threaded_runs(void)
{
	int fd = open_dev();
	unsigned int s, w;
	char what[128];

	for (s = 0; s < nstrategies; s++) {
		for (w = 0; w < nworkloads; w++) {
			struct gvb_kmod_wl_params p = { .threads = 2, .size = 4096, .count = 64 };
			uint32_t wl;
			int ret;

			p.defer_async = !strcmp(strategies[s], "gpuva+deferred");
			ret = gvb_kmod_wl_create(fd, workloads[w], strategies[s], &p, &wl);
			ret = ret ?: run_threads(fd, wl, p.threads, 3, 40);
			snprintf(what, sizeof(what), "%s/%s/t2: concurrent WL_RUN", workloads[w],
				 strategies[s]);
			check(what, ret, 0);
			gvb_kmod_wl_destroy(fd, wl);
		}
	}
	close(fd);
}

/* ----------------------------------------------------- racing destroys */

struct mapper {
	pthread_t th;
	int fd;
	uint32_t vm, bo;
	uint64_t base;
	int bad;	/* a return other than 0 or -ENOENT */
	volatile int *stop;
};

static void *map_thread(void *p)
{
	struct mapper *m = p;
	unsigned int i;

	for (i = 0; !*m->stop && i < 100000; i++) {
		int ret = gvb_kmod_map(m->fd, m->vm, m->bo, m->base + (i % 8) * 4096, 4096, 0,
				       GVBENCH_PROT_READ);

		if (ret == -ENOENT)
			break;	/* the VM or the BO handle is gone: expected */
		if (ret) {
			m->bad = ret;
			break;
		}
		ret = gvb_kmod_unmap(m->fd, m->vm, m->base + ((i + 3) % 8) * 4096, 8192);
		if (ret == -ENOENT)
			break;
		if (ret) {
			m->bad = ret;
			break;
		}
	}
	return NULL;
}

static void test_racing_destroys(void)
{
	int fd = open_dev();
	unsigned int s, round;
	char what[96];

	for (s = 0; s < nstrategies; s++) {
		for (round = 0; round < 2; round++) {
			struct mapper m[2];
			volatile int stop = 0;
			uint32_t vm, bo;
			int ret, i, bad = 0;

			ret = gvb_kmod_vm_create(fd, strategies[s], NULL, 0, 1ULL << 30, 0, 0, &vm);
			ret = ret ?: gvb_kmod_bo_create(fd, strategies[s], M, 0, &bo);
			if (ret) {
				check("racing destroys: setup", ret, 0);
				continue;
			}
			for (i = 0; i < 2; i++) {
				m[i] = (struct mapper) {
					.fd = fd, .vm = vm, .bo = bo, .base = i * M, .stop = &stop,
				};
				pthread_create(&m[i].th, NULL, map_thread, &m[i]);
			}
			usleep(20000);
			/* Round 0 pulls the BO first, round 1 the VM. */
			if (round) {
				ret = gvb_kmod_vm_destroy(fd, vm);
				usleep(5000);
				ret = ret ?: gvb_kmod_bo_destroy(fd, bo);
			} else {
				ret = gvb_kmod_bo_destroy(fd, bo);
				usleep(5000);
				ret = ret ?: gvb_kmod_vm_destroy(fd, vm);
			}
			stop = 1;
			for (i = 0; i < 2; i++) {
				pthread_join(m[i].th, NULL);
				if (m[i].bad)
					bad = m[i].bad;
			}
			snprintf(what, sizeof(what), "%s: %s destroyed under concurrent MAP/UNMAP",
				 strategies[s], round ? "VM then BO" : "BO then VM");
			check(what, ret ?: bad, 0);
		}
	}
	close(fd);
}

struct closer {
	int fd;
	uint32_t wl;
	int ret;
};

static void *long_run(void *p)
{
	struct closer *c = p;

	c->ret = gvb_kmod_wl_run(c->fd, c->wl, 0, 20000, 0, NULL);
	return NULL;
}

/* close() while WL_RUN runs: the ioctl holds the file; release comes after. */
static void test_close_during_run(void)
{
	struct gvb_kmod_wl_params p = { .threads = 1 };
	struct closer c = { .fd = open_dev() };
	pthread_t th;
	int ret;

	ret = gvb_kmod_wl_create(c.fd, "map-unmap", "gpuva+deferred", &p, &c.wl);
	check("close during WL_RUN: setup", ret, 0);
	if (ret)
		return;
	pthread_create(&th, NULL, long_run, &c);
	usleep(10000);
	check("close during WL_RUN", close(c.fd), 0);
	pthread_join(th, NULL);
	check("... and the running WL_RUN completes", c.ret, 0);
}

/* ----------------------------------------------------------------- rmmod */

static int delete_module(const char *name, unsigned int flags)
{
	return syscall(SYS_delete_module, name, flags) ? -errno : 0;
}

static int load_module(const char *path)
{
	int kfd = open(path, O_RDONLY | O_CLOEXEC), ret;

	if (kfd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, kfd, "", 0) ? -errno : 0;
	close(kfd);
	return ret;
}

/* Kernel log lines that mean a leak or a bug since the log was last cleared. */
static int scan_klog(void)
{
	static const char *const bad[] = {
		"still has objects", "Objects remaining", "BUG:", "WARNING:", "gvb check:",
		"general protection", "Oops",
	};
	int len = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *buf, *line;
	int n, found = 0;
	unsigned int i;

	if (len <= 0)
		return -errno;
	buf = calloc(1, len + 1);
	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, len);
	for (line = strtok(n > 0 ? buf : NULL, "\n"); line; line = strtok(NULL, "\n"))
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			if (strstr(line, bad[i])) {
				printf("# kernel log: %s\n", line);
				found = 1;
			}
	free(buf);
	return found ? -EIO : 0;
}

static void test_rmmod(const char *ko)
{
	int fd = open_dev(), ret;

	check("populate before rmmod", populate(fd, strategies[0]), 0);
	ret = delete_module("gvbench", O_NONBLOCK);
	check("rmmod with an open file is refused", ret == -EWOULDBLOCK ? -EBUSY : ret, -EBUSY);
	check("... and the file still works", populate(fd, strategies[nstrategies - 1]), 0);
	close(fd);
	check("rmmod after close", delete_module("gvbench", O_NONBLOCK), 0);
	check("/dev/gvbench is gone", open(GVBENCH_DEVICE, O_RDWR) < 0 ? -errno : 0, -ENOENT);
	check("no leak or warning in the kernel log", scan_klog(), 0);
	check("module loads again", load_module(ko), 0);
	fd = open_dev();
	check("... and works", populate(fd, strategies[0]), 0);
	close(fd);
}

int main(int argc, char **argv)
{
	const char *ko = NULL;
	int fd, i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--ko") && i + 1 < argc) {
			ko = argv[++i];
		} else {
			fprintf(stderr, "usage: lifetime_test [--ko PATH/gvbench.ko]\n");
			return 2;
		}
	}
	fd = open_dev();
	load_names(fd);
	close(fd);
	check("strategies and workloads listed", nstrategies >= 4 && nworkloads >= 1 ? 0 : -1, 0);

	test_close_with_objects();
	test_destroy_orders();
	test_threaded_runs();
	test_racing_destroys();
	test_close_during_run();
	if (ko)
		test_rmmod(ko);
	printf("lifetime_test: %u passed, %u failed\n", npass, nfail);
	return nfail ? 1 : 0;
}
