// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * ioctl_fuzz: random sequences of /dev/gvbench ioctls in the vm-run guest,
 * bounded by a count and reproducible from a seed.
 *
 *   ioctl_fuzz [--count N] [--seed S] [-v]
 *
 * Arguments are built field by field around handles that are live, stale
 * (destroyed, or of a closed file), foreign (another open file's) or
 * absurd, then often mutated (bit flips, random bytes), sent with odd
 * argsz values, through bad pointers, or as unknown ioctl numbers. Files
 * are closed with everything live in them, and allocation failures are
 * armed at random (GVBENCH_IOC_FAULT), so error paths run as often as the
 * good ones. Every answer must be 0 or one of the documented errors; at the
 * end the module's live allocations must be back where they started. The
 * kernel log (no WARN, BUG or leak) is kmod-ci's to check.
 *
 * Valid but slow requests are scaled down (workload sizes and counts,
 * torture durations, flush costs): the fuzzer looks for wrong answers and
 * crashes, not for patience. SELFTEST is left out for the same reason
 * (ioctl_test covers it).
 *
 * Prints a summary and "ioctl_fuzz: N passed, M failed".
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ioc.h"
#include "backend/kmod_client.h"
#include "tap.h"

#define POOL	16

static unsigned long long rng;

static unsigned long long rnd(void)
{
	unsigned long long z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned long long below(unsigned long long n)
{
	return n ? rnd() % n : 0;
}

enum htype { H_VM, H_BO, H_WL, H_NR };

struct file {
	int fd;
	__u32 live[H_NR][POOL], stale[H_NR][POOL];
	unsigned int nlive[H_NR], nstale[H_NR];
};

static struct file files[2];
static int fd0;		/* for FAULT and the leak count, never fuzzed */

static void pool_add(__u32 *pool, unsigned int *n, __u32 h)
{
	if (*n < POOL)
		pool[(*n)++] = h;
	else
		pool[below(POOL)] = h;
}

static void handle_created(struct file *f, enum htype t, __u32 h)
{
	pool_add(f->live[t], &f->nlive[t], h);
}

static void handle_destroyed(struct file *f, enum htype t, __u32 h)
{
	unsigned int i;

	for (i = 0; i < f->nlive[t]; i++) {
		if (f->live[t][i] == h) {
			f->live[t][i] = f->live[t][--f->nlive[t]];
			pool_add(f->stale[t], &f->nstale[t], h);
			return;
		}
	}
}

/* Closing a file makes every handle of it stale. */
static void reopen(struct file *f)
{
	unsigned int t, i;

	close(f->fd);
	/* An armed failure would fail the open itself: that path is tried by the FAULT ioctls. */
	fault_arm(fd0, 0, NULL);
	for (t = 0; t < H_NR; t++) {
		for (i = 0; i < f->nlive[t]; i++)
			pool_add(f->stale[t], &f->nstale[t], f->live[t][i]);
		f->nlive[t] = 0;
	}
	f->fd = gvb_kmod_open(NULL);
}

static __u32 pick(struct file *f, enum htype t)
{
	struct file *other = f == &files[0] ? &files[1] : &files[0];
	static const __u32 absurd[] = { 0, 1, 0x7fffffff, 0x80000000, 0xffffffff };

	switch (below(6)) {
	case 0: case 1: case 2:
		if (f->nlive[t])
			return f->live[t][below(f->nlive[t])];
		break;
	case 3:
		if (f->nstale[t])
			return f->stale[t][below(f->nstale[t])];
		break;
	case 4:
		if (other->nlive[t])
			return other->live[t][below(other->nlive[t])];
		break;
	}
	return below(2) ? absurd[below(5)] : (__u32)rnd();
}

static const char *const strategy_names[] = { "resv", "resv+gpuva", "gpuva", "gpuva+deferred",
					       "broken", "", "nope" };
static const char *const workload_names[] = { "map-unmap", "bind-many", "shared-bo",
					       "vm-bo-churn", "remap-split", "evict-walk", "sparse",
					       "fence-path", "", "nope" };

static __u64 some_size(void)
{
	static const __u64 sizes[] = { 4096, 65536, 2 << 20, 8 << 20, 0, 4095, 1ULL << 32,
				       (1ULL << 32) + 4096, ~0ULL, ~0ULL - 4095 };

	return below(3) ? sizes[below(4)] : below(2) ? sizes[below(10)] : rnd();
}

static __u64 some_addr(void)
{
	return below(4) ? below(1024) * 4096 : below(2) ? below(8) << 30 : rnd();
}

static void name(char *dst, const char *const *names, unsigned int n)
{
	snprintf(dst, GVBENCH_NAME_LEN, "%s", names[below(n)]);
}

struct cmd {
	const char *name;
	unsigned long nr;
	unsigned int weight;
};

static const struct cmd cmds[] = {
	{ "VERSION", GVBENCH_IOC_GET_VERSION, 2 },
	{ "LIST_STRATEGIES", GVBENCH_IOC_LIST_STRATEGIES, 2 },
	{ "LIST_WORKLOADS", GVBENCH_IOC_LIST_WORKLOADS, 2 },
	{ "LIST_FORMATS", GVBENCH_IOC_LIST_FORMATS, 1 },
	{ "VM_CREATE", GVBENCH_IOC_VM_CREATE, 8 },
	{ "VM_DESTROY", GVBENCH_IOC_VM_DESTROY, 4 },
	{ "BO_CREATE", GVBENCH_IOC_BO_CREATE, 8 },
	{ "BO_DESTROY", GVBENCH_IOC_BO_DESTROY, 4 },
	{ "MAP", GVBENCH_IOC_MAP, 20 },
	{ "UNMAP", GVBENCH_IOC_UNMAP, 12 },
	{ "WL_CREATE", GVBENCH_IOC_WL_CREATE, 3 },
	{ "WL_RUN", GVBENCH_IOC_WL_RUN, 4 },
	{ "WL_DESTROY", GVBENCH_IOC_WL_DESTROY, 2 },
	{ "STATS", GVBENCH_IOC_STATS, 3 },
	{ "TORTURE", GVBENCH_IOC_TORTURE, 1 },
	{ "FAULT", GVBENCH_IOC_FAULT, 3 },
	{ "LIST_ENGINES", GVBENCH_IOC_LIST_ENGINES, 1 },
	{ "ENGINE_QUERY", GVBENCH_IOC_ENGINE_QUERY, 2 },
	{ "other numbers", 0, 2 },	/* unknown, wrong type or direction, other sizes */
};
#define NCMDS	(sizeof(cmds) / sizeof(cmds[0]))

static unsigned long long sent[NCMDS], succeeded[NCMDS];

/* A plausible argument for @c, to be mutated or not. */
static void build(struct file *f, unsigned long nr, void *buf)
{
	switch (nr) {
	case GVBENCH_IOC_LIST_STRATEGIES:
	case GVBENCH_IOC_LIST_WORKLOADS:
	case GVBENCH_IOC_LIST_FORMATS:
	case GVBENCH_IOC_LIST_ENGINES: {
		struct gvbench_list *a = buf;

		a->index = below(4) ? below(12) : rnd();
		break;
	}
	case GVBENCH_IOC_VM_CREATE: {
		struct gvbench_vm_create *a = buf;

		if (below(2)) {
			a->flags = GVBENCH_BY_NAME;
			name(a->strategy_name, strategy_names, 7);
		} else {
			a->strategy = below(6);
		}
		a->flags |= below(3) ? 0 : GVBENCH_DEFER_ASYNC;
		a->va_start = below(3) ? 0 : some_addr();
		a->va_range = below(3) ? 4ULL << 30 : some_size();
		a->flush_ns = below(4) ? 0 : below(2000);
		break;
	}
	case GVBENCH_IOC_VM_DESTROY:
	case GVBENCH_IOC_BO_DESTROY:
	case GVBENCH_IOC_WL_DESTROY: {
		struct gvbench_destroy *a = buf;

		a->handle = pick(f, nr == GVBENCH_IOC_VM_DESTROY ? H_VM :
				 nr == GVBENCH_IOC_BO_DESTROY ? H_BO : H_WL);
		break;
	}
	case GVBENCH_IOC_BO_CREATE: {
		struct gvbench_bo_create *a = buf;

		a->strategy = below(6);
		a->bo_size = some_size();
		if (!below(4)) {
			a->flags = GVBENCH_BO_PRIVATE;
			a->vm = pick(f, H_VM);
		}
		break;
	}
	case GVBENCH_IOC_MAP: {
		struct gvbench_map *a = buf;

		a->vm = pick(f, H_VM);
		a->bo = pick(f, H_BO);
		a->addr = some_addr();
		a->range = below(4) ? (1 + below(64)) * 4096 : some_size();
		a->offset = below(2) ? 0 : some_addr() & ((8 << 20) - 1);
		a->prot = below(8);
		break;
	}
	case GVBENCH_IOC_UNMAP: {
		struct gvbench_unmap *a = buf;

		a->vm = pick(f, H_VM);
		a->addr = some_addr();
		a->range = below(4) ? (1 + below(1024)) * 4096 : some_size();
		break;
	}
	case GVBENCH_IOC_WL_CREATE: {
		struct gvbench_wl_create *a = buf;

		if (below(2)) {
			a->flags = GVBENCH_BY_NAME;
			name(a->workload_name, workload_names, 10);
			name(a->strategy_name, strategy_names, 7);
		} else {
			a->workload = below(12);
			a->strategy = below(6);
		}
		a->threads = below(4);
		a->size = below(2) ? 0 : some_size();
		a->count = below(64);
		a->seed = rnd();
		break;
	}
	case GVBENCH_IOC_WL_RUN: {
		struct gvbench_wl_run *a = buf;

		a->handle = pick(f, H_WL);
		a->thread = below(4) ? below(3) : (__u32)rnd();
		a->n = below(8) ? below(64) : rnd();
		a->extra = below(4) ? 0 : below(16);
		break;
	}
	case GVBENCH_IOC_STATS: {
		struct gvbench_stats *a = buf;

		a->flags = below(2) ? GVBENCH_STATS_WL : 0;
		a->handle = pick(f, a->flags ? H_WL : H_VM);
		a->thread = below(3) ? 0 : below(4);
		break;
	}
	case GVBENCH_IOC_TORTURE: {
		struct gvbench_torture *a = buf;

		a->flags = GVBENCH_BY_NAME;
		name(a->strategy_name, strategy_names, 7);
		a->threads = below(4);
		if (below(2))
			a->ops = below(300);
		else
			a->duration_ms = below(50);
		a->vms = below(5);
		a->bos = below(9);
		a->seed = rnd();
		break;
	}
	case GVBENCH_IOC_ENGINE_QUERY: {
		struct gvbench_engine_query *a = buf;
		static const char *const engine_names[] = { "model", "drm_gpuvm", "", "nope" };

		if (below(2)) {
			a->flags = GVBENCH_BY_NAME;
			name(a->engine_name, engine_names, 4);
			name(a->workload_name, workload_names, 10);
			name(a->strategy_name, strategy_names, 7);
		} else {
			a->engine = below(4) ? below(3) : rnd();
			a->workload = below(12);
			a->strategy = below(7);
		}
		break;
	}
	case GVBENCH_IOC_FAULT: {
		struct gvbench_fault *a = buf;

		if (below(2)) {
			a->flags = GVBENCH_FAULT_ARM;
			a->nth = below(4) ? 0 : 1 + below(40);
		}
		break;
	}
	}
}

/* Valid requests that would only be slow are made small. */
static void scale_down(unsigned long nr, void *buf)
{
	if (nr == GVBENCH_IOC_WL_CREATE) {
		struct gvbench_wl_create *a = buf;

		if (a->threads > 4 && a->threads <= 64)
			a->threads = 4;
		if (a->size > (16 << 20) && a->size <= (1 << 30))
			a->size = 16 << 20;
		if (a->count > 64 && a->count <= (1 << 21))
			a->count = 64;
		if (!a->count)
			a->count = 16;	/* the default of sparse is 100k mappings */
		if (a->flush_ns > 2000 && a->flush_ns <= 1000000)
			a->flush_ns = 2000;
	} else if (nr == GVBENCH_IOC_WL_RUN) {
		struct gvbench_wl_run *a = buf;

		if (a->n + a->extra > 256 && a->n + a->extra <= GVBENCH_RUN_MAX_OPS &&
		    a->n + a->extra >= a->n) {
			a->n &= 255;
			a->extra = 0;
		}
	} else if (nr == GVBENCH_IOC_TORTURE) {
		struct gvbench_torture *a = buf;

		if (a->threads > 4 && a->threads <= 64)
			a->threads = 4;
		if (a->duration_ms > 50 && a->duration_ms <= 600000)
			a->duration_ms = 50;
		if (a->ops > 300)
			a->ops = 300;
	} else if (nr == GVBENCH_IOC_VM_CREATE) {
		struct gvbench_vm_create *a = buf;

		if (a->flush_ns > 2000 && a->flush_ns <= 1000000)
			a->flush_ns = 2000;
	} else if (nr == GVBENCH_IOC_BO_CREATE) {
		struct gvbench_bo_create *a = buf;

		if (a->bo_size > (64 << 20) && a->bo_size <= (1ULL << 32))
			a->bo_size = 64 << 20;
	}
}

static int allowed(int err)
{
	switch (err) {
	case 0: case EINVAL: case ENOENT: case EPERM: case ENOMEM: case E2BIG: case EFAULT:
	case ENOTTY: case EBUSY: case ENOSPC:
	/* engines (ABI 1.2): not loaded, or cannot run that workload/strategy */
	case ENODEV: case EOPNOTSUPP:
		return 1;
	}
	return 0;
}

/* Remembers what a successful create or destroy did to the handle pools. */
static void track(struct file *f, unsigned long nr, const void *buf)
{
	switch (nr) {
	case GVBENCH_IOC_VM_CREATE:
		handle_created(f, H_VM, ((const struct gvbench_vm_create *)buf)->handle);
		break;
	case GVBENCH_IOC_BO_CREATE:
		handle_created(f, H_BO, ((const struct gvbench_bo_create *)buf)->handle);
		break;
	case GVBENCH_IOC_WL_CREATE:
		handle_created(f, H_WL, ((const struct gvbench_wl_create *)buf)->handle);
		break;
	case GVBENCH_IOC_VM_DESTROY:
		handle_destroyed(f, H_VM, ((const struct gvbench_destroy *)buf)->handle);
		break;
	case GVBENCH_IOC_BO_DESTROY:
		handle_destroyed(f, H_BO, ((const struct gvbench_destroy *)buf)->handle);
		break;
	case GVBENCH_IOC_WL_DESTROY:
		handle_destroyed(f, H_WL, ((const struct gvbench_destroy *)buf)->handle);
		break;
	}
}

int main(int argc, char **argv)
{
	unsigned long long count = 10000, seed = 1, i, bad = 0, total_w = 0;
	static unsigned char buf[GVBENCH_ARGSZ_MAX + 64] __attribute__((aligned(64)));
	unsigned char *edge;
	long long live;
	int verbose = 0, a;
	unsigned int c;
	long page = sysconf(_SC_PAGESIZE);

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--count") && a + 1 < argc)
			count = strtoull(argv[++a], NULL, 10);
		else if (!strcmp(argv[a], "--seed") && a + 1 < argc)
			seed = strtoull(argv[++a], NULL, 10);
		else if (!strcmp(argv[a], "-v"))
			verbose = 1;
		else {
			fprintf(stderr, "usage: ioctl_fuzz [--count N] [--seed S] [-v]\n");
			return 2;
		}
	}
	rng = seed;
	/* The last bytes before an inaccessible page: copies that cross it fault. */
	edge = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (edge == MAP_FAILED || mprotect(edge + page, page, PROT_NONE))
		return 2;
	fd0 = gvb_kmod_open(NULL);
	if (fd0 < 0) {
		printf("ioctl_fuzz: 0 passed, 1 failed\n");
		return 2;
	}
	live = fault_live(fd0);
	files[0].fd = gvb_kmod_open(NULL);
	files[1].fd = gvb_kmod_open(NULL);
	if (files[0].fd < 0 || files[1].fd < 0) {
		printf("ioctl_fuzz: 0 passed, 1 failed\n");
		return 2;
	}
	for (c = 0; c < NCMDS; c++)
		total_w += cmds[c].weight;

	for (i = 0; i < count; i++) {
		struct file *f = &files[below(2)];
		unsigned long long w = below(total_w);
		unsigned long nr;
		unsigned int size, argsz, mode = below(10);
		void *arg = buf;
		int ret;

		if (!below(300)) {
			reopen(f);
			if (f->fd < 0)
				break;
		}
		for (c = 0; w >= cmds[c].weight; c++)
			w -= cmds[c].weight;
		nr = cmds[c].nr;
		if (!nr)	/* an unknown number, a wrong direction or a wrong type */
			nr = below(2) ? _IOWR('G', 0x30 + below(0x40), struct gvbench_destroy) :
			     below(2) ? _IOR('G', 0x48, struct gvbench_map) :
					_IOWR('H', 0x48, struct gvbench_map);
		size = _IOC_SIZE(nr);
		memset(buf, 0, sizeof(buf));
		build(f, nr, buf);
		if (mode >= 5 && mode < 8) {		/* mutate a few bits or bytes */
			unsigned int k, flips = 1 + below(4);

			for (k = 0; k < flips; k++) {
				unsigned int at = 4 + below(size - 4);

				if (below(2))
					buf[at] ^= 1u << below(8);
				else
					buf[at] = rnd();
			}
		} else if (mode == 8) {			/* noise */
			for (size_t k = 4; k < size; k++)
				buf[k] = rnd();
		}
		scale_down(nr, buf);
		argsz = size;
		if (mode == 9) {			/* odd sizes and tails */
			static const int deltas[] = { -4, -1, 8, 64 };
			unsigned int which = below(6);

			if (which < 4)
				argsz = size + deltas[which];
			else if (which == 4)
				argsz = GVBENCH_ARGSZ_MAX + 1;
			else
				argsz = 0;
			if (argsz > size && argsz <= GVBENCH_ARGSZ_MAX && below(2))
				buf[argsz - 1] = 1;	/* a nonzero tail: -E2BIG */
		}
		memcpy(buf, &argsz, 4);
		switch (below(100)) {
		case 0:
			arg = NULL;
			break;
		case 1:
			arg = (void *)1;
			break;
		case 2:
			/* Ends in the inaccessible page unless the struct is tiny. */
			arg = edge + page - 16;
			memcpy(arg, buf, 16);
			break;
		}
		ret = ioctl(f->fd, nr, arg) ? errno : 0;
		sent[c]++;
		if (!ret) {
			succeeded[c]++;
			if (arg == buf)
				track(f, nr, buf);
		}
		if (!allowed(ret) || verbose) {
			if (!allowed(ret))
				bad++;
			printf("# %llu: %s nr %#lx argsz %u mode %u: %s\n", i, cmds[c].name, nr,
			       argsz, mode, ret ? strerror(ret) : "ok");
		}
	}
	fault_arm(fd0, 0, NULL);
	close(files[0].fd);
	close(files[1].fd);

	printf("# seed %llu, %llu ioctls:\n", seed, i);
	for (c = 0; c < NCMDS; c++)
		printf("#   %-16s %8llu sent %8llu succeeded\n", cmds[c].name, sent[c],
		       succeeded[c]);
	check_true("every answer 0 or a documented error", bad == 0);
	check_true("the whole count ran", i == count);
	{
		char what[96];

		snprintf(what, sizeof(what), "no module allocation left (%lld -> %lld)", live,
			 fault_live(fd0));
		check_true(what, fault_live(fd0) == live);
	}
	close(fd0);
	printf("ioctl_fuzz: %u passed, %u failed\n", npass, nfail);
	return nfail ? 1 : 0;
}
