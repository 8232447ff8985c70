// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The user backend: core, strategies and workloads linked into this
 * process through userspace/compat, each batch a direct call. Torture runs
 * the engine's threads here, and fails a run on more than the engine's own
 * checks: any WARN_ON, allocations still live at the end (a leak), and a
 * crash or sanitizer report, whose handler prints the FAILURE line.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "backend/backend.h"
#include "lib/util.h"
#ifdef GVB_SANITIZER
#include <sanitizer/common_interface_defs.h>
#endif

struct user_inst {
	struct gvb_inst base;
	struct gvb_wl wl;
};

static int user_open(struct gvb_backend *b)
{
	snprintf(b->mode, sizeof(b->mode), "inline");
	return 0;
}

static int user_inst_create(struct gvb_backend *b, const struct gvb_workload *w,
			    const struct gvb_strategy_ops *ops, const char *engine,
			    const struct gvb_wl_params *p, struct gvb_inst **out)
{
	struct user_inst *u;
	int ret;

	/* The kernel's engines exist only in the kernel. */
	if (strcmp(engine, GVB_ENGINE_MODEL))
		return -ENODEV;
	u = calloc(1, sizeof(*u));
	if (!u)
		return -ENOMEM;
	ret = gvb_wl_init(&u->wl, w, ops, p);
	if (ret) {
		free(u);
		return ret;
	}
	u->base.p = u->wl.p;
	u->base.w = w;
	u->base.ops = ops;
	*out = &u->base;
	return 0;
}

static void user_inst_destroy(struct gvb_backend *b, struct gvb_inst *inst)
{
	struct user_inst *u = container_of(inst, struct user_inst, base);

	gvb_wl_fini(&u->wl);
	free(u);
}

static int user_run_batch(struct gvb_backend *b, struct gvb_inst *inst, unsigned int thread,
			  struct gvb_wl_batch *batch)
{
	struct user_inst *u = container_of(inst, struct user_inst, base);

	return gvb_wl_run_batch(&u->wl.threads[thread], batch);
}

static int user_count(struct gvb_backend *b, struct gvb_inst *inst, unsigned int thread, u64 n,
		      struct gvb_lock_counts *out)
{
	struct user_inst *u = container_of(inst, struct user_inst, base);

	return gvb_wl_count_pass(&u->wl, thread, n, out);
}

/* Deferred cleanup runs on the compat workqueue's threads, in this process. */
static u64 user_worker_cpu_ns(struct gvb_backend *b)
{
	return compat_wq_cpu_ns(system_unbound_wq);
}

struct user_torture {
	struct gvb_torture *t;
	atomic_int done;		/* threads returned */
	unsigned int started;
};

struct user_torture_thread {
	pthread_t tid;
	struct user_torture *ut;
	unsigned int idx;
};

/* Written before each run, printed from a crash handler: no formatting there. */
static char user_crash_line[GVB_TORTURE_LINE];

static void user_crash_print(void)
{
	ssize_t ignored = write(STDOUT_FILENO, user_crash_line, strlen(user_crash_line));

	(void)ignored;
}

static void user_crash_handler(int sig)
{
	user_crash_print();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void *user_torture_fn(void *arg)
{
	struct user_torture_thread *d = arg;

	gvb_torture_thread(d->ut->t, d->idx);
	atomic_fetch_add(&d->ut->done, 1);
	return NULL;
}

static bool user_torture_done(void *arg)
{
	struct user_torture *ut = arg;

	return (unsigned int)atomic_load(&ut->done) == ut->started;
}

static void user_torture_sum(void *arg, struct gvb_torture_stats *s)
{
	gvb_torture_sum(((struct user_torture *)arg)->t, s);
}

static int user_torture(struct gvb_backend *b, struct gvb_backend_torture *bt)
{
	struct user_torture_thread *d = calloc(bt->p.threads, sizeof(*d));
	unsigned long warns = compat_warn_count();
	long live = compat_alloc_live();
	u64 start = gvb_now_ns();
	struct user_torture ut = { 0 };
	char params[256];
	size_t n;
	int ret;

	gvb_torture_params_str(&bt->p, params, sizeof(params));
	if (!d) {
		fprintf(stderr, "%s: torture: out of memory\n", gvb_prog);
		return -ENOMEM;
	}
	ret = gvb_torture_create(&bt->p, &ut.t);
	if (ret) {
		fprintf(stderr, "%s: torture: cannot start %s: %s\n", gvb_prog, params,
			strerror(-ret));
		free(d);
		return ret;
	}
	snprintf(user_crash_line, sizeof(user_crash_line),
		 "\n%s torture: FAILURE backend=user %s (crashed or a sanitizer report: see above)\n",
		 gvb_prog, params);
	signal(SIGSEGV, user_crash_handler);
	signal(SIGBUS, user_crash_handler);
	signal(SIGABRT, user_crash_handler);
#ifdef GVB_SANITIZER
	__sanitizer_set_death_callback(user_crash_print);
#endif
	for (; ut.started < bt->p.threads; ut.started++) {
		d[ut.started] = (struct user_torture_thread){ .ut = &ut, .idx = ut.started };
		if (pthread_create(&d[ut.started].tid, NULL, user_torture_fn, &d[ut.started])) {
			fprintf(stderr, "%s: torture: cannot start thread %u\n", gvb_prog,
				ut.started);
			gvb_torture_stop(ut.t);
			break;
		}
	}
	/* The threads stop by themselves: op budget, deadline or failure. */
	gvb_backend_torture_wait(bt, start, user_torture_done, user_torture_sum, &ut);
	while (ut.started)
		pthread_join(d[--ut.started].tid, NULL);
	free(d);

	bt->failed = gvb_torture_finish(ut.t) != 0;
	/* Deferred cleanup may be on the worker: the leak count needs it idle. */
	compat_wq_shutdown();
	gvb_torture_sum(ut.t, &bt->s);
	gvb_torture_line(ut.t, bt->failed, bt->line, sizeof(bt->line));
	gvb_torture_free(ut.t);
	n = strlen(bt->line);
	if (compat_warn_count() != warns) {
		bt->failed = true;
		snprintf(bt->line + n, sizeof(bt->line) - n, " (%lu WARN_ON fired: see above)",
			 compat_warn_count() - warns);
	} else if (!bt->failed && compat_alloc_live() != live) {
		bt->failed = true;
		snprintf(bt->line + n, sizeof(bt->line) - n, " (%ld allocations leaked)",
			 compat_alloc_live() - live);
	}
	signal(SIGSEGV, SIG_DFL);
	signal(SIGBUS, SIG_DFL);
	signal(SIGABRT, SIG_DFL);
	user_crash_line[0] = '\0';
	return 0;
}

const struct gvb_backend_ops gvb_backend_user = {
	.name = "user",
	.desc = "core and strategies linked into gvbench (default)",
	.flags = GVB_BACKEND_LATENCY,
	.open = user_open,
	.inst_create = user_inst_create,
	.inst_destroy = user_inst_destroy,
	.run_batch = user_run_batch,
	.count = user_count,
	.worker_cpu_ns = user_worker_cpu_ns,
	.torture = user_torture,
};
