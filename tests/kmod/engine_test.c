// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * engine_test: the engines of /dev/gvbench from a guest (scripts/vm-run),
 * until gvbench itself takes -e/--engine.
 *
 *   engine_test check      TAP: the engine ABI (LIST_ENGINES, ENGINE_QUERY,
 *                          WL_CREATE.engine and engine_name, the 128-byte
 *                          WL_CREATE of minor 0, refusals), then WL_RUN of
 *                          every workload x strategy an engine accepts
 *   engine_test list       engines, and per workload and strategy whether
 *                          each can run it (and why not)
 *   engine_test lifetime   live instances on the drm_gpuvm engine: rmmod
 *                          refused, close, rmmod accepted (TAP)
 *   engine_test bench [-w W,..] [-s S,..] [-e E,..] [-r ROUNDS] [-n OPS] [-z SIZE]
 *                          one thread per case; each round runs every case
 *                          once (one WL_RUN of OPS ops), in a fresh random
 *                          order; prints the median ns/op per case, each
 *                          strategy's delta against resv per engine, and
 *                          the model/drm_gpuvm ratio (medians; q1/q3 show
 *                          the spread between rounds)
 *
 * Needs gvbench.ko, and gvbench_drm.ko for the drm_gpuvm engine.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "backend/kmod_client.h"
#include "tap.h"
#include "uapi/gvbench.h"

static int fd = -1;

static int xioctl(unsigned long cmd, void *arg)
{
	*(uint32_t *)arg = _IOC_SIZE(cmd);
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

/* argsz as the caller set it (minor-0 callers). */
static int rawioctl(unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

static void name_cpy(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src);
}

static int engine_index(const char *name)
{
	struct gvbench_list l;
	uint32_t i;
	int ret;

	for (i = 0;; i++) {
		memset(&l, 0, sizeof(l));
		l.index = i;
		ret = xioctl(GVBENCH_IOC_LIST_ENGINES, &l);
		if (ret == -ENOENT)
			return -ENODEV;
		if (!ret && !strcmp(l.name, name))
			return i;
	}
}

/* 0: can run; 1: cannot (why filled); <0: errno. */
static int query(const char *engine, const char *w, const char *s, char *why, size_t len)
{
	struct gvbench_engine_query q;
	int ret;

	memset(&q, 0, sizeof(q));
	q.flags = GVBENCH_BY_NAME;
	name_cpy(q.engine_name, sizeof(q.engine_name), engine);
	name_cpy(q.workload_name, sizeof(q.workload_name), w);
	name_cpy(q.strategy_name, sizeof(q.strategy_name), s);
	ret = xioctl(GVBENCH_IOC_ENGINE_QUERY, &q);
	if (ret)
		return ret;
	if (why)
		name_cpy(why, len, q.why);
	return q.result == GVBENCH_ENGINE_CANNOT_RUN;
}

static int wl_create_t(const char *engine, const char *w, const char *s, uint64_t size,
		       uint32_t threads, uint32_t *handle)
{
	struct gvbench_wl_create a;
	int ret;

	memset(&a, 0, sizeof(a));
	a.flags = GVBENCH_BY_NAME;
	name_cpy(a.engine_name, sizeof(a.engine_name), engine);
	name_cpy(a.workload_name, sizeof(a.workload_name), w);
	name_cpy(a.strategy_name, sizeof(a.strategy_name), s);
	a.threads = threads;
	a.size = size;
	/* Small enough for TCG: the model's defaults are for hardware. */
	if (!strcmp(w, "sparse"))
		a.count = 1000;
	ret = xioctl(GVBENCH_IOC_WL_CREATE, &a);
	if (!ret)
		*handle = a.handle;
	return ret;
}

static int wl_create(const char *engine, const char *w, const char *s, uint64_t size,
		     uint32_t *handle)
{
	return wl_create_t(engine, w, s, size, 1, handle);
}

static int wl_run_thread(uint32_t wl, uint32_t thread, uint64_t n, uint64_t *ns)
{
	struct gvbench_wl_run r;
	int ret;

	memset(&r, 0, sizeof(r));
	r.handle = wl;
	r.thread = thread;
	r.n = n;
	ret = xioctl(GVBENCH_IOC_WL_RUN, &r);
	if (!ret && ns)
		*ns = r.elapsed_ns;
	return ret;
}

static int wl_run(uint32_t wl, uint64_t n, uint64_t *ns)
{
	return wl_run_thread(wl, 0, n, ns);
}

struct conc {
	uint32_t wl, thread;
	int ret;
};

static void *conc_thread(void *arg)
{
	struct conc *c = arg;
	int i;

	for (i = 0; i < 20 && !c->ret; i++)
		c->ret = wl_run_thread(c->wl, c->thread, 25, NULL);
	return NULL;
}

/* All @threads threads of one instance in WL_RUN at once, from as many tasks. */
static int run_concurrently(uint32_t wl, uint32_t threads)
{
	struct conc c[8];
	pthread_t t[8];
	uint32_t i;
	int ret = 0;

	for (i = 0; i < threads; i++) {
		c[i] = (struct conc){ .wl = wl, .thread = i };
		pthread_create(&t[i], NULL, conc_thread, &c[i]);
	}
	for (i = 0; i < threads; i++) {
		pthread_join(t[i], NULL);
		if (c[i].ret && !ret)
			ret = c[i].ret;
	}
	return ret;
}

static int wl_destroy(uint32_t wl)
{
	struct gvbench_destroy d;

	memset(&d, 0, sizeof(d));
	d.handle = wl;
	return xioctl(GVBENCH_IOC_WL_DESTROY, &d);
}

#define MAX_NAMES 16

static int list_names(unsigned long cmd, char names[][GVBENCH_NAME_LEN], int hidden_flag)
{
	struct gvbench_list l;
	int n = 0;
	uint32_t i;

	for (i = 0; n < MAX_NAMES; i++) {
		memset(&l, 0, sizeof(l));
		l.index = i;
		if (xioctl(cmd, &l))
			break;
		if (l.obj_flags & hidden_flag)
			continue;
		name_cpy(names[n++], GVBENCH_NAME_LEN, l.name);
	}
	return n;
}

static char wls[MAX_NAMES][GVBENCH_NAME_LEN], sts[MAX_NAMES][GVBENCH_NAME_LEN];
static int nwl, nst;

static int cmd_list(void)
{
	struct gvbench_list l;
	char why[GVBENCH_DESC_LEN];
	uint32_t e;
	int w, s, ret;

	for (e = 0;; e++) {
		memset(&l, 0, sizeof(l));
		l.index = e;
		ret = xioctl(GVBENCH_IOC_LIST_ENGINES, &l);
		if (ret == -ENOENT)
			break;
		if (ret)
			continue;
		printf("engine %u %s: %s\n", e, l.name, l.desc);
		for (w = 0; w < nwl; w++)
			for (s = 0; s < nst; s++) {
				ret = query(l.name, wls[w], sts[s], why, sizeof(why));
				if (ret)
					printf("  %-12s %-15s %s\n", wls[w], sts[s],
					       ret < 0 ? strerror(-ret) : why);
			}
	}
	return 0;
}

static int cmd_check(void)
{
	struct gvbench_wl_create a;
	struct gvbench_engine_query q;
	struct gvbench_list l;
	char why[GVBENCH_DESC_LEN];
	int drm = engine_index("drm_gpuvm"), w, s, ret;
	uint32_t h;

	check("drm_gpuvm engine listed", drm > 0 ? 0 : drm, 0);
	memset(&l, 0, sizeof(l));
	check("LIST_ENGINES 0", xioctl(GVBENCH_IOC_LIST_ENGINES, &l), 0);
	check_true("engine 0 is the model", !strcmp(l.name, "model"));
	memset(&l, 0, sizeof(l));
	l.index = 1000;
	check("LIST_ENGINES past the end", xioctl(GVBENCH_IOC_LIST_ENGINES, &l), -ENOENT);
	l.index = 0;
	l.flags = 1;
	check("LIST_ENGINES unknown flag", xioctl(GVBENCH_IOC_LIST_ENGINES, &l), -EINVAL);

	check("QUERY model map-unmap resv", query("", "map-unmap", "resv", NULL, 0), 0);
	check("QUERY unknown engine", query("nope", "map-unmap", "resv", NULL, 0), -ENODEV);
	check("QUERY unknown workload", query("model", "nope", "resv", NULL, 0), -EINVAL);
	check("QUERY drm_gpuvm broken", query("drm_gpuvm", "map-unmap", "broken", why,
					      sizeof(why)), 1);
	check_true("QUERY says why", why[0] != 0);
	memset(&q, 0, sizeof(q));
	q.engine = drm > 0 ? drm : 1;
	check("QUERY by index", xioctl(GVBENCH_IOC_ENGINE_QUERY, &q), 0);
	q.why[0] = 'x';
	check("QUERY nonzero why in", xioctl(GVBENCH_IOC_ENGINE_QUERY, &q), -EINVAL);

	/* A minor-0 caller: 128 bytes, pad (now engine) 0, gets the model. */
	memset(&a, 0, sizeof(a));
	a.argsz = 128;
	a.flags = GVBENCH_BY_NAME;
	name_cpy(a.workload_name, sizeof(a.workload_name), "map-unmap");
	name_cpy(a.strategy_name, sizeof(a.strategy_name), "resv");
	check("WL_CREATE argsz 128 (minor 0)", rawioctl(GVBENCH_IOC_WL_CREATE, &a), 0);
	if (a.handle)
		wl_destroy(a.handle);
	memset(&a, 0, sizeof(a));
	a.engine = 7;
	a.workload = 0;
	check("WL_CREATE free engine slot", xioctl(GVBENCH_IOC_WL_CREATE, &a), -ENODEV);
	check("WL_CREATE unknown engine name", wl_create("nope", "map-unmap", "resv", 0, &h),
	      -ENODEV);
	check("WL_CREATE drm_gpuvm broken", wl_create("drm_gpuvm", "map-unmap", "broken", 0, &h),
	      -EPERM);

	/* Every pair the engine accepts runs; every pair it refuses, WL_CREATE refuses. */
	for (w = 0; w < nwl; w++)
		for (s = 0; s < nst; s++) {
			char what[160];
			uint64_t ns;

			if (!strcmp(sts[s], "broken"))
				continue;
			ret = query("drm_gpuvm", wls[w], sts[s], NULL, 0);
			snprintf(what, sizeof(what), "drm_gpuvm %.31s %.31s %s", wls[w], sts[s],
				 ret ? "refused" : "runs");
			if (ret) {
				check(what, wl_create("drm_gpuvm", wls[w], sts[s], 0, &h),
				      -EOPNOTSUPP);
				continue;
			}
			ret = wl_create("drm_gpuvm", wls[w], sts[s], 0, &h);
			if (!ret) {
				ret = wl_run(h, 20, &ns);
				wl_destroy(h);
			}
			check(what, ret, 0);
		}
	/* STATS of an engine instance: drm_gpuvm's steps, counted in the callbacks. */
	ret = wl_create("drm_gpuvm", "map-unmap", "resv", 0, &h);
	if (!ret) {
		struct gvbench_stats st;

		ret = wl_run(h, 20, NULL);
		ret = ret ?: gvb_kmod_wl_stats(fd, h, 0, &st);
		check("STATS of a drm_gpuvm instance", ret, 0);
		check_true("STATS: 20 map and 20 unmap steps, no VA left",
			   !ret && st.map_steps >= 20 && st.unmap_steps >= 20 && st.vas == 0);
		check_true("STATS: every vm_bo created was destroyed",
			   !ret && st.vm_bo_created && st.vm_bo_created == st.vm_bo_destroyed);
		check_true("STATS: page tables mapped and unmapped", !ret && st.pt_maps >= 20 &&
			   st.pt_unmaps >= 20);
		wl_destroy(h);
	}

	/* Two threads: the second one of evict-walk is a mapper (map, unmap, validate). */
	for (s = 0; s < nst; s++) {
		const char *two[] = { "evict-walk", "shared-bo" };
		char what[160];
		unsigned int i;

		for (i = 0; i < 2; i++) {
			if (query("drm_gpuvm", two[i], sts[s], NULL, 0))
				continue;
			snprintf(what, sizeof(what), "drm_gpuvm %s %.31s, threads 0 and 1", two[i],
				 sts[s]);
			ret = wl_create_t("drm_gpuvm", two[i], sts[s], 0, 2, &h);
			if (!ret) {
				ret = wl_run_thread(h, 1, 20, NULL);
				ret = ret ?: wl_run_thread(h, 0, 20, NULL);
				ret = ret ?: wl_run_thread(h, 1, 20, NULL);
				wl_destroy(h);
			}
			check(what, ret, 0);
			/* Four tasks on one shared BO (or evicting under three mappers). */
			snprintf(what, sizeof(what), "drm_gpuvm %s %.31s, 4 threads concurrently",
				 two[i], sts[s]);
			ret = wl_create_t("drm_gpuvm", two[i], sts[s], 0, 4, &h);
			if (!ret) {
				ret = run_concurrently(h, 4);
				wl_destroy(h);
			}
			check(what, ret, 0);
		}
	}
	printf("engine_test: %u passed, %u failed\n", npass, nfail);
	return nfail ? 1 : 0;
}

/*
 * Live instances with mappings on the drm_gpuvm engine, every workload and
 * strategy it runs: gvbench_drm.ko cannot unload under them; closing the
 * file frees them all, after which it unloads (and checks for leaks in
 * its exit: the caller greps the log).
 */
static int cmd_lifetime(void)
{
	uint32_t h;
	int w, s, n = 0;

	for (w = 0; w < nwl; w++)
		for (s = 0; s < nst; s++)
			if (!query("drm_gpuvm", wls[w], sts[s], NULL, 0) &&
			    !wl_create("drm_gpuvm", wls[w], sts[s], 0, &h) && !wl_run(h, 3, NULL))
				n++;
	check_true("live drm_gpuvm instances", n > 0);
	check_true("rmmod gvbench_drm refused while they live",
		   system("rmmod gvbench_drm 2>/dev/null") != 0);
	gvb_kmod_close(fd);
	fd = -1;
	check("rmmod gvbench_drm after close", system("rmmod gvbench_drm") ? -EBUSY : 0, 0);
	printf("engine_test: %u passed, %u failed\n", npass, nfail);
	return nfail ? 1 : 0;
}

struct bcase {
	const char *w, *s, *e;
	uint32_t h;
	uint64_t *ns;	/* per round, ns/op x 1000 */
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The @q quantile (0..1, nearest rank) of a case's per-round ns/op. */
static double quantile(struct bcase *c, int rounds, double q)
{
	uint64_t *v = malloc(rounds * sizeof(*v));
	double m;

	memcpy(v, c->ns, rounds * sizeof(*v));
	qsort(v, rounds, sizeof(*v), cmp_u64);
	m = v[(int)(q * (rounds - 1) + 0.5)];
	free(v);
	return m / 1000.0;
}

static double median(struct bcase *c, int rounds)
{
	return quantile(c, rounds, 0.5);
}

static int split(char *list, const char **out, int max)
{
	int n = 0;
	char *tok;

	for (tok = strtok(list, ","); tok && n < max; tok = strtok(NULL, ","))
		out[n++] = tok;
	return n;
}

static struct bcase *find(struct bcase *c, int n, const char *w, const char *s, const char *e)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(c[i].w, w) && !strcmp(c[i].s, s) && !strcmp(c[i].e, e))
			return &c[i];
	return NULL;
}

static int cmd_bench(int argc, char **argv)
{
	char wl_arg[256] = "map-unmap,shared-bo", st_arg[256] = "resv,resv+gpuva,gpuva,gpuva+deferred";
	char en_arg[256] = "model,drm_gpuvm";
	const char *W[MAX_NAMES], *S[MAX_NAMES], *E[4];
	int nw, ns, ne, rounds = 11, opt, i, j, k, r, n = 0;
	uint64_t ops = 200, size = 4096;
	struct bcase *c;
	unsigned int seed = 1;

	while ((opt = getopt(argc, argv, "w:s:e:r:n:z:")) != -1) {
		switch (opt) {
		case 'w': name_cpy(wl_arg, sizeof(wl_arg), optarg); break;
		case 's': name_cpy(st_arg, sizeof(st_arg), optarg); break;
		case 'e': name_cpy(en_arg, sizeof(en_arg), optarg); break;
		case 'r': rounds = atoi(optarg); break;
		case 'n': ops = strtoull(optarg, NULL, 0); break;
		case 'z': size = strtoull(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "engine_test bench: unknown option\n");
			return 2;
		}
	}
	if (rounds < 1 || !ops) {
		fprintf(stderr, "engine_test bench: -r and -n must be positive\n");
		return 2;
	}
	nw = split(wl_arg, W, MAX_NAMES);
	ns = split(st_arg, S, MAX_NAMES);
	ne = split(en_arg, E, 4);
	c = calloc(nw * ns * ne, sizeof(*c));
	for (i = 0; i < nw; i++)
		for (j = 0; j < ns; j++)
			for (k = 0; k < ne; k++) {
				char why[GVBENCH_DESC_LEN] = "";
				int ret = query(E[k], W[i], S[j], why, sizeof(why));

				if (ret) {
					printf("skip %s/%s/%s: %s\n", W[i], E[k], S[j],
					       ret < 0 ? strerror(-ret) : why);
					continue;
				}
				c[n] = (struct bcase){ .w = W[i], .s = S[j], .e = E[k] };
				ret = wl_create(E[k], W[i], S[j], size, &c[n].h);
				if (ret) {
					fprintf(stderr, "engine_test: WL_CREATE %s/%s/%s: %s\n",
						W[i], E[k], S[j], strerror(-ret));
					return 1;
				}
				c[n].ns = calloc(rounds, sizeof(uint64_t));
				/* Warm-up: page-table caches, slabs. */
				wl_run(c[n].h, ops, NULL);
				n++;
			}
	for (r = 0; r < rounds; r++) {
		int order[256];

		for (i = 0; i < n; i++)
			order[i] = i;
		for (i = n - 1; i > 0; i--) {
			int t;

			j = rand_r(&seed) % (i + 1);
			t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
		for (i = 0; i < n; i++) {
			struct bcase *b = &c[order[i]];
			uint64_t el;
			int ret = wl_run(b->h, ops, &el);

			if (ret) {
				fprintf(stderr, "engine_test: WL_RUN %s/%s/%s: %s\n", b->w, b->e,
					b->s, strerror(-ret));
				return 1;
			}
			b->ns[r] = el * 1000 / ops;
		}
	}
	printf("# %d rounds x %llu ops, size %llu, 1 thread, median ns/op\n", rounds,
	       (unsigned long long)ops, (unsigned long long)size);
	printf("%-12s %-10s %-15s %10s %10s %10s %10s\n", "workload", "engine", "strategy",
	       "ns/op", "q1", "q3", "vs resv");
	for (i = 0; i < n; i++) {
		struct bcase *base = find(c, n, c[i].w, "resv", c[i].e);
		double m = median(&c[i], rounds);

		printf("%-12s %-10s %-15s %10.1f %10.1f %10.1f", c[i].w, c[i].e, c[i].s, m,
		       quantile(&c[i], rounds, 0.25), quantile(&c[i], rounds, 0.75));
		if (base)
			printf(" %+9.1f%%", 100.0 * (m / median(base, rounds) - 1));
		printf("\n");
	}
	printf("# model / drm_gpuvm\n");
	for (i = 0; i < n; i++) {
		struct bcase *d;

		if (strcmp(c[i].e, "model"))
			continue;
		d = find(c, n, c[i].w, c[i].s, "drm_gpuvm");
		if (d)
			printf("%-12s %-15s %6.2f\n", c[i].w, c[i].s,
			       median(&c[i], rounds) / median(d, rounds));
	}
	for (i = 0; i < n; i++)
		wl_destroy(c[i].h);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	fd = gvb_kmod_open(GVBENCH_DEVICE);
	if (fd < 0) {
		fprintf(stderr, "engine_test: cannot open %s: %s (load gvbench.ko)\n",
			GVBENCH_DEVICE, strerror(-fd));
		return 1;
	}
	nwl = list_names(GVBENCH_IOC_LIST_WORKLOADS, wls, GVBENCH_WL_HIDDEN);
	nst = list_names(GVBENCH_IOC_LIST_STRATEGIES, sts, 0);
	if (!strcmp(cmd, "check"))
		return cmd_check();
	if (!strcmp(cmd, "list"))
		return cmd_list();
	if (!strcmp(cmd, "lifetime"))
		return cmd_lifetime();
	if (!strcmp(cmd, "bench"))
		return cmd_bench(argc - 1, argv + 1);
	fprintf(stderr, "usage: engine_test check|list|lifetime|bench [-w W,..] [-s S,..] "
		"[-e E,..] [-r ROUNDS] [-n OPS] [-z SIZE]\n");
	return 2;
}
