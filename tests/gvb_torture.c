// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * gvb-torture: the userspace driver of the torture engine (core/gvb_torture.h).
 *
 *   gvb-torture [-s STRATEGY[,..]] [--ops N | --duration S] [--threads N] [--seed N]
 *               [--vms N] [--bos N] [--check-every N] [--interval S]
 *
 * One strategy after the other: a progress line per interval on stderr,
 * then one line on stdout, "gvb-torture: SUCCESS ..." or "... FAILURE ...",
 * with every parameter and the seed. Besides the engine's own checks, a run
 * fails on any WARN_ON, on allocations still live at the end (a leak), and
 * on a crash or sanitizer report, which print the FAILURE line from their
 * handler. Exit status: 0 all SUCCESS, 1 any FAILURE, 2 bad usage.
 */
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "gvb_torture.h"
#ifdef GVB_SANITIZER
#include <sanitizer/common_interface_defs.h>
#endif

struct driver_thread {
	pthread_t tid;
	struct gvb_torture *t;
	unsigned int idx;
};

static atomic_int threads_done;

/* Written before each run, printed from a crash handler: no formatting there. */
static char crash_line[512];

static void crash_print(void)
{
	ssize_t ignored = write(STDOUT_FILENO, crash_line, strlen(crash_line));

	(void)ignored;
}

static void crash_handler(int sig)
{
	crash_print();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void *driver_thread_fn(void *arg)
{
	struct driver_thread *d = arg;

	gvb_torture_thread(d->t, d->idx);
	atomic_fetch_add(&threads_done, 1);
	return NULL;
}

static int parse_u64(const char *opt, const char *s, u64 *out)
{
	char *end;

	/* Decimal only: a leading 0 is not octal here. */
	if (!s || !*s || *s == '-' || *s == '+') {
		fprintf(stderr, "gvb-torture: %s needs a decimal number\n", opt);
		return -1;
	}
	errno = 0;
	*out = strtoull(s, &end, 10);
	if (errno || *end) {
		fprintf(stderr, "gvb-torture: %s: '%s' is not a decimal number\n", opt, s);
		return -1;
	}
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: gvb-torture [-s STRATEGY[,..]] [--ops N | --duration S] [--threads N]\n"
		   "                   [--seed N] [--vms N] [--bos N] [--check-every N] [--interval S]\n"
		   "defaults: every strategy but broken, --duration 5, --threads 4, --seed 1,\n"
		   "          --vms 4, --bos 8, --check-every 1000, --interval 1\n");
}

static void print_stats(const char *strategy, double secs, const struct gvb_torture_stats *s)
{
	fprintf(stderr, "gvb-torture: %s %.1fs: ops=%llu map=%llu unmap=%llu churn=%llu "
		"evict=%llu vm_cycle=%llu bo_cycle=%llu checks=%llu failures=%llu\n",
		strategy, secs, (unsigned long long)s->c[GVB_T_OPS],
		(unsigned long long)s->c[GVB_T_MAP], (unsigned long long)s->c[GVB_T_UNMAP],
		(unsigned long long)s->c[GVB_T_CHURN], (unsigned long long)s->c[GVB_T_EVICT],
		(unsigned long long)s->c[GVB_T_VM_CYCLE], (unsigned long long)s->c[GVB_T_BO_CYCLE],
		(unsigned long long)s->c[GVB_T_CHECK], (unsigned long long)s->failures);
}

/* One strategy; returns true on SUCCESS. */
static bool run_one(const struct gvb_torture_params *p, u64 interval_ns)
{
	struct driver_thread *d = calloc(p->threads, sizeof(*d));
	unsigned long warns = compat_warn_count();
	long live = compat_alloc_live();
	u64 start = ktime_get_ns(), next = start + interval_ns;
	struct gvb_torture_stats s;
	struct gvb_torture *t;
	char params[256], line[1024];
	bool failed;
	unsigned int i;

	gvb_torture_params_str(p, params, sizeof(params));
	snprintf(crash_line, sizeof(crash_line),
		 "\ngvb-torture: FAILURE %s (crashed or a sanitizer report: see above)\n", params);
	if (!d || gvb_torture_create(p, &t)) {
		free(d);
		printf("gvb-torture: FAILURE %s (could not start)\n", params);
		return false;
	}
	atomic_store(&threads_done, 0);
	for (i = 0; i < p->threads; i++) {
		d[i].t = t;
		d[i].idx = i;
		if (pthread_create(&d[i].tid, NULL, driver_thread_fn, &d[i])) {
			fprintf(stderr, "gvb-torture: cannot start thread %u\n", i);
			gvb_torture_stop(t);
			break;
		}
	}
	p = NULL;	/* the engine has its own copy */
	/* Progress: the threads stop by themselves (budget, deadline or failure). */
	for (;;) {
		struct timespec ts = { 0, 20 * 1000 * 1000 };

		nanosleep(&ts, NULL);
		if ((unsigned int)atomic_load(&threads_done) == i)
			break;
		if (ktime_get_ns() >= next) {
			gvb_torture_sum(t, &s);
			print_stats(params + strlen("strategy="), (ktime_get_ns() - start) / 1e9,
				    &s);
			next += interval_ns;
		}
	}
	for (; i > 0; i--)
		pthread_join(d[i - 1].tid, NULL);
	free(d);

	failed = gvb_torture_finish(t) != 0;
	/* Deferred cleanup may be on the worker: the leak count needs it idle. */
	compat_wq_shutdown();
	gvb_torture_sum(t, &s);
	print_stats(params + strlen("strategy="), (ktime_get_ns() - start) / 1e9, &s);
	gvb_torture_line(t, failed, line, sizeof(line));
	gvb_torture_free(t);
	if (compat_warn_count() != warns) {
		failed = true;
		snprintf(line, sizeof(line), "FAILURE %s (%lu WARN_ON fired: see above)", params,
			 compat_warn_count() - warns);
	} else if (!failed && compat_alloc_live() != live) {
		failed = true;
		snprintf(line, sizeof(line), "FAILURE %s (%ld allocations leaked)", params,
			 compat_alloc_live() - live);
	}
	printf("gvb-torture: %s\n", line);
	fflush(stdout);
	return !failed;
}

int main(int argc, char **argv)
{
	struct gvb_torture_params p = {
		.threads = 4, .vms = 4, .bos = 8, .seed = 1, .check_every = 1000,
	};
	const char *strategies = NULL;
	u64 duration = 5, interval = 1, v;
	bool have_ops = false, have_duration = false, ok = true;
	char names[256];
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(a, "-s") || !strcmp(a, "--strategy")) {
			if (!val) {
				fprintf(stderr, "gvb-torture: %s needs a strategy list\n", a);
				return 2;
			}
			strategies = val;
			i++;
			continue;
		}
		if (strcmp(a, "--ops") && strcmp(a, "--duration") && strcmp(a, "--threads") &&
		    strcmp(a, "--seed") && strcmp(a, "--vms") && strcmp(a, "--bos") &&
		    strcmp(a, "--check-every") && strcmp(a, "--interval")) {
			fprintf(stderr, "gvb-torture: unknown option '%s'\n", a);
			usage(stderr);
			return 2;
		}
		if (parse_u64(a, val, &v))
			return 2;
		i++;
		if (!strcmp(a, "--ops")) {
			p.n_ops = v;
			have_ops = true;
		} else if (!strcmp(a, "--duration")) {
			duration = v;
			have_duration = true;
		} else if (!strcmp(a, "--seed")) {
			p.seed = v;
		} else if (!strcmp(a, "--check-every")) {
			p.check_every = v;
		} else if (!strcmp(a, "--interval")) {
			interval = v;
		} else {
			unsigned int max = !strcmp(a, "--threads") ? GVB_TORTURE_MAX_THREADS :
					   !strcmp(a, "--vms") ? GVB_TORTURE_MAX_VMS :
					   GVB_TORTURE_MAX_BOS;

			if (!v || v > max) {
				fprintf(stderr, "gvb-torture: %s must be 1..%u\n", a, max);
				return 2;
			}
			*(!strcmp(a, "--threads") ? &p.threads :
			  !strcmp(a, "--vms") ? &p.vms : &p.bos) = v;
		}
	}
	if (have_ops && have_duration) {
		fprintf(stderr, "gvb-torture: give --ops or --duration, not both\n");
		return 2;
	}
	if (!have_ops && !duration) {
		fprintf(stderr, "gvb-torture: --duration must be at least 1 second\n");
		return 2;
	}
	if (have_ops && !p.n_ops) {
		fprintf(stderr, "gvb-torture: --ops must be at least 1\n");
		return 2;
	}
	if (!have_ops)
		p.duration_ns = duration * 1000000000ULL;
	if (!interval)
		interval = 1;

	signal(SIGSEGV, crash_handler);
	signal(SIGBUS, crash_handler);
	signal(SIGABRT, crash_handler);
#ifdef GVB_SANITIZER
	__sanitizer_set_death_callback(crash_print);
#endif
	if (gvb_core_init()) {
		fprintf(stderr, "gvb-torture: out of memory\n");
		return 1;
	}
	gvb_strategy_names(names, sizeof(names), true);
	if (!strategies) {
		const struct gvb_strategy_ops *const *s;

		for (s = gvb_strategies; *s; s++) {
			if ((*s)->flags & GVB_STRATEGY_BROKEN)
				continue;
			p.ops = *s;
			ok &= run_one(&p, interval * 1000000000ULL);
		}
	} else {
		char *list = strdup(strategies), *save = NULL, *name;
		const struct gvb_strategy_ops *run[16];
		unsigned int n = 0, j;

		for (name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
			run[n] = gvb_strategy_find(name);
			if (!run[n])
				fprintf(stderr, "gvb-torture: unknown strategy '%s' (one of: %s)\n",
					name, names);
			else if (n == ARRAY_SIZE(run) - 1)
				fprintf(stderr, "gvb-torture: at most %zu strategies\n",
					ARRAY_SIZE(run) - 1);
			if (!run[n] || n == ARRAY_SIZE(run) - 1) {
				free(list);
				return 2;
			}
			n++;
		}
		free(list);
		if (!n) {
			fprintf(stderr, "gvb-torture: -s needs a strategy (one of: %s)\n", names);
			return 2;
		}
		for (j = 0; j < n; j++) {
			p.ops = run[j];
			ok &= run_one(&p, interval * 1000000000ULL);
		}
	}
	gvb_core_exit();
	return ok ? 0 : 1;
}
