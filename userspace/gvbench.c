// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * gvbench: the command-line front end.
 *
 *   gvbench list
 *   gvbench run -s STRATEGY[,..] -w WORKLOAD [-t THREADS[,..]] [--size N] ... [-o FILE]
 *   gvbench sweep [--quick] [-o DIR]
 *   gvbench calibrate [--delay-ns X[,..]] [--pairs N]
 *
 * Data goes to stdout or files; progress goes to stderr. Every bad
 * argument gets one line saying what was wrong and what to do, and a
 * nonzero exit before anything runs.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "kmod_client.h"
#include "commands.h"
#include "meta.h"
#include "perf.h"
#include "runner.h"
#include "stats.h"

#define DEFAULT_STRATEGIES	"resv,resv+gpuva,gpuva,gpuva+deferred"

const char *gvb_prog = "gvbench";

void __attribute__((format(printf, 1, 2))) gvb_die_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", gvb_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* ------------------------------------------------------------- parsing */

int gvb_parse_u64(const char *s, u64 *out, bool suffixes)
{
	unsigned long long v;
	char *end;
	u64 mul = 1;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -EINVAL;
	if (suffixes && *end) {
		switch (*end) {
		case 'k': case 'K': mul = 1ULL << 10; break;
		case 'm': case 'M': mul = 1ULL << 20; break;
		case 'g': case 'G': mul = 1ULL << 30; break;
		default: return -EINVAL;
		}
		end++;
		if (*end == 'i' && end[1] == 'B')
			end += 2;
		else if (*end == 'B')
			end++;
	}
	if (*end)
		return -EINVAL;
	if (v && mul > UINT64_MAX / v)
		return -ERANGE;
	*out = v * mul;
	return 0;
}

static u64 arg_u64(const char *opt, const char *s, u64 min, u64 max, bool suffixes)
{
	u64 v;

	if (gvb_parse_u64(s, &v, suffixes))
		gvb_die_usage("%s: '%s' is not a %s", opt, s,
			      suffixes ? "size (e.g. 4096, 64K, 2M)" : "non-negative integer");
	if (v < min || v > max)
		gvb_die_usage("%s: %s is out of range (%llu..%llu)", opt, s,
			      (unsigned long long)min, (unsigned long long)max);
	return v;
}

static double arg_double(const char *opt, const char *s, double min, double max)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v))
		gvb_die_usage("%s: '%s' is not a number", opt, s);
	if (v < min || v > max)
		gvb_die_usage("%s: %s is out of range (%g..%g)", opt, s, min, max);
	return v;
}

/*
 * Splits a comma list into at most @max items, in @buf (a copy: argv stays
 * intact for the command line the result records).
 */
static unsigned int split_list(const char *list, char *buf, size_t buflen, char **items,
			       unsigned int max, const char *opt)
{
	unsigned int n = 0;
	char *tok, *save = NULL, *s = buf;

	if (strlen(list) >= buflen)
		gvb_die_usage("%s: list too long", opt);
	snprintf(buf, buflen, "%s", list);

	for (tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (n == max)
			gvb_die_usage("%s: at most %u items", opt, max);
		items[n++] = tok;
	}
	if (!n)
		gvb_die_usage("%s: empty list", opt);
	return n;
}

static const struct gvb_strategy_ops *arg_strategy(const char *name, bool allow_broken)
{
	const struct gvb_strategy_ops *ops = gvb_strategy_find(name);
	char names[256];

	if (!ops) {
		gvb_strategy_names(names, sizeof(names), true);
		gvb_die_usage("unknown strategy '%s' (valid: %s)", name, names);
	}
	if ((ops->flags & GVB_STRATEGY_BROKEN) && !allow_broken)
		gvb_die_usage("strategy '%s' is a negative control that frees a held lock; pass --allow-broken to run it anyway",
			      name);
	return ops;
}

static const struct gvb_workload *arg_workload(const char *name)
{
	const struct gvb_workload *w = gvb_workload_find(name);
	const struct gvb_workload *const *it;
	char names[512];
	size_t used = 0;

	if (w)
		return w;
	names[0] = '\0';
	for (it = gvb_workloads; *it; it++)
		used += snprintf(names + used, sizeof(names) - used, "%s%s", used ? ", " : "",
				 (*it)->name);
	gvb_die_usage("unknown workload '%s' (valid: %s)", name, names);
	return NULL;
}

/* -------------------------------------------------------------- output */

void gvb_fmt_ns(char *buf, size_t len, double ns)
{
	if (isnan(ns))
		snprintf(buf, len, "-");
	else if (fabs(ns) >= 1e6)
		snprintf(buf, len, "%.3gms", ns / 1e6);
	else if (fabs(ns) >= 1e4)
		snprintf(buf, len, "%.3gus", ns / 1e3);
	else if (fabs(ns) >= 100)
		snprintf(buf, len, "%.0fns", ns);
	else
		snprintf(buf, len, "%.3gns", ns);
}

static void ci_pct(char *buf, size_t len, const struct gvb_summary *s)
{
	if (isnan(s->ci_lo) || s->median == 0)
		snprintf(buf, len, " +-?  ");
	else
		snprintf(buf, len, "+-%4.1f%%",
			 100.0 * max(s->median - s->ci_lo, s->ci_hi - s->median) / s->median);
}

void gvb_fmt_pvalue(char *buf, size_t len, const struct gvb_comparison *c)
{
	if (c->significant)
		snprintf(buf, len, "%+.2f%% (p=%.3f n=%u)", c->delta_pct, c->p_value,
			 min(c->n_base, c->n_new));
	else
		snprintf(buf, len, "~ (p=%.3f n=%u)", c->p_value, min(c->n_base, c->n_new));
}

static const struct gvb_comparison *find_cmp(const struct gvb_result *r, const char *new)
{
	unsigned int i;

	for (i = 0; i < r->ncmp; i++)
		if (!strcmp(r->cmps[i].new, new))
			return &r->cmps[i];
	return NULL;
}

void gvb_print_setup(FILE *f, const struct gvb_meta *m)
{
	fprintf(f, "gvbench %s: %s backend, kernel %s, %s, %u cores, host %s\n", m->tool_version,
		m->backend, m->kernel, m->cpu_model, m->cores, m->host);
	fprintf(f, "command: %s\n", m->command);
	gvb_meta_print_caveats(f, m);
}

static void print_cases(FILE *f, const struct gvb_result *r, unsigned int from, unsigned int to,
			const char *base)
{
	unsigned int i;

	fprintf(f, "%-34s %9s %7s %10s %9s  %s\n", "case", "ns/op", "CI", "cpu/op", "Mops/s",
		base ? "vs base" : "");
	for (i = from; i < to; i++) {
		const struct gvb_case *c = &r->cases[i];
		const struct gvb_comparison *cmp = find_cmp(r, c->name);
		char ns[16], cpu[16], ci[16], delta[64] = "";

		gvb_fmt_ns(ns, sizeof(ns), c->ns_per_op_sum.median);
		gvb_fmt_ns(cpu, sizeof(cpu), c->cpu_ns_per_op_sum.median);
		ci_pct(ci, sizeof(ci), &c->ns_per_op_sum);
		if (cmp)
			gvb_fmt_pvalue(delta, sizeof(delta), cmp);
		else if (base && strstr(c->name, base))
			snprintf(delta, sizeof(delta), "(base)");
		fprintf(f, "%-34s %9s %7s %10s %9.3f  %s\n", c->name, ns, ci, cpu,
			c->ops_per_sec_sum.median / 1e6, delta);
	}
}

static void print_latency(FILE *f, const struct gvb_result *r, unsigned int from,
			  unsigned int to)
{
	unsigned int i;

	fprintf(f, "%-34s %8s %8s %8s %8s %8s %9s\n", "case", "ops", "p50", "p90", "p99",
		"p99.9", "max");
	for (i = from; i < to; i++) {
		const struct gvb_latency *l = &r->cases[i].latency;
		char v[5][16];

		gvb_fmt_ns(v[0], sizeof(v[0]), l->p50);
		gvb_fmt_ns(v[1], sizeof(v[1]), l->p90);
		gvb_fmt_ns(v[2], sizeof(v[2]), l->p99);
		gvb_fmt_ns(v[3], sizeof(v[3]), l->p999);
		gvb_fmt_ns(v[4], sizeof(v[4]), l->max);
		fprintf(f, "%-34s %8llu %8s %8s %8s %8s %9s\n", r->cases[i].name,
			(unsigned long long)l->count, v[0], v[1], v[2], v[3], v[4]);
	}
	if (to > from)
		fprintf(f, "(timer overhead %.1f ns subtracted from each op)\n",
			r->cases[from].latency.timer_overhead_ns);
}

static int write_outputs(const struct gvb_result *r, const char *json_path)
{
	char err[256], csv[4096];
	size_t n = strlen(json_path);

	if (gvb_result_write_json(r, json_path, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", gvb_prog, err);
		return -1;
	}
	if (n > 5 && !strcmp(json_path + n - 5, ".json"))
		snprintf(csv, sizeof(csv), "%.*s.csv", (int)(n - 5), json_path);
	else
		snprintf(csv, sizeof(csv), "%s.csv", json_path);
	if (gvb_result_write_csv(r, csv, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", gvb_prog, err);
		return -1;
	}
	fprintf(stderr, "%s: wrote %s and %s\n", gvb_prog, json_path, csv);
	return 0;
}

/* ------------------------------------------------------ shared plumbing */

struct bench_opts {
	struct gvb_runner_opts run;
	struct gvb_wl_params p;
	double alpha;
	const char *base;
	bool allow_broken;
	double pair_seconds;	/* calibrate: sampling time per A/B pair */
	const char *backend;	/* "user" or "kmod" */
	const char *kmod_mode;	/* "batch" or "ioctl" */
};

/*
 * One case: the runner's description (@rc, parameters completed from the
 * workload's defaults) and the result's record of it (@c, named).
 * @name_inject is gvb_case_name()'s injection tag (0 for none).
 */
static void case_setup(struct gvb_run_case *rc, struct gvb_case *c, const struct gvb_workload *w,
		       const struct gvb_strategy_ops *ops, const struct gvb_wl_params *p,
		       bool pinned, double name_inject)
{
	memset(rc, 0, sizeof(*rc));
	rc->w = w;
	rc->ops = ops;
	rc->p = *p;
	if (!rc->p.threads)
		rc->p.threads = w->defaults.threads ? w->defaults.threads : 1;
	if (!rc->p.size)
		rc->p.size = w->defaults.size;
	if (!rc->p.count)
		rc->p.count = w->defaults.count;
	gvb_case_name(c->name, sizeof(c->name), w, ops, &rc->p, name_inject);
	snprintf(c->workload, sizeof(c->workload), "%s", w->name);
	snprintf(c->strategy, sizeof(c->strategy), "%s", ops->name);
	c->threads = rc->p.threads;
	c->size = rc->p.size;
	c->count = rc->p.count;
	c->flush_ns = rc->p.flush_ns;
	c->seed = rc->p.seed;
	c->defer_async = rc->p.defer_async;
	c->pinned = pinned;
}

/*
 * Adds one group: one case per strategy for @w with params @p, runs it
 * interleaved, and compares every case against the base strategy.
 */
static int run_group(struct gvb_result *res, const struct gvb_workload *w,
		     const struct gvb_strategy_ops **strats, unsigned int nstrats,
		     const struct gvb_wl_params *p, struct bench_opts *bo)
{
	struct gvb_run_case rc[16];
	unsigned int i, first = res->ncases;
	int base = -1, ret;
	char err[256];

	for (i = 0; i < nstrats; i++) {
		struct gvb_case *c = gvb_result_add_case(res);

		if (!c)
			return -ENOMEM;
		case_setup(&rc[i], c, w, strats[i], p, bo->run.pin, 0);
		if (bo->base && !strcmp(strats[i]->name, bo->base))
			base = i;
	}
	/* add_case may move the array: fill ->out only now. */
	for (i = 0; i < nstrats; i++)
		rc[i].out = &res->cases[first + i];
	ret = gvb_run_group(rc, nstrats, &bo->run, err, sizeof(err));
	if (ret) {
		if (bo->run.progress_prefix)
			fputc('\n', stderr);
		fprintf(stderr, "%s: %s\n", gvb_prog, err);
		return ret;
	}
	bo->run.progress_done += nstrats;
	for (i = 0; base >= 0 && !bo->run.latency && i < nstrats; i++)
		if ((int)i != base &&
		    gvb_compare_cases(res, &res->cases[first + base], &res->cases[first + i],
				      bo->alpha))
			return -ENOMEM;
	return 0;
}

/*
 * Opens the module for -b kmod and records the backend in @m. Nonzero
 * (after gvb_kmod_open()'s one-line reason) if it cannot.
 */
static int backend_open(struct bench_opts *bo, struct gvb_meta *m)
{
	snprintf(m->backend, sizeof(m->backend), "%s", bo->backend);
	if (strcmp(bo->backend, "kmod")) {
		snprintf(m->backend_mode, sizeof(m->backend_mode), "inline");
		return 0;
	}
	if (bo->run.latency)
		gvb_die_usage("--latency runs only on the user backend (-b user)");
	bo->run.kmod_fd = gvb_kmod_open(NULL);
	if (bo->run.kmod_fd < 0)
		return -1;
	bo->run.kmod_perop = !strcmp(bo->kmod_mode, "ioctl");
	snprintf(m->backend_mode, sizeof(m->backend_mode), "%s", bo->kmod_mode);
	return 0;
}

static void backend_close(struct bench_opts *bo)
{
	if (bo->run.kmod_fd >= 0)
		gvb_kmod_close(bo->run.kmod_fd);
	bo->run.kmod_fd = -1;
}

/* The empty workload: what the harness costs per reported op. */
static double measure_harness(struct bench_opts *bo)
{
	struct gvb_result r;
	const struct gvb_strategy_ops *s = &gvb_strategy_resv;
	struct bench_opts e = *bo;
	double ns = NAN;

	gvb_result_init(&r);
	e.run.progress_prefix = NULL;
	e.base = NULL;
	e.run.kmod_perop = false;
	memset(&e.p, 0, sizeof(e.p));
	e.p.threads = 1;
	if (!run_group(&r, gvb_workload_find("empty"), &s, 1, &e.p, &e))
		ns = r.cases[0].ns_per_op_sum.median;
	gvb_result_free(&r);
	return ns;
}

/*
 * The part every benchmarking command starts with: a result whose metadata
 * names this run, the backend opened, and the setup line printed before any
 * number. @harness also measures what the harness costs per op. Nonzero
 * (after a one-line reason) if the backend cannot be opened.
 */
static int result_start(struct gvb_result *res, struct bench_opts *bo, int argc, char **argv,
			const char *mode, bool harness)
{
	gvb_result_init(res);
	gvb_meta_fill(&res->meta, argc + 1, argv - 1);
	if (backend_open(bo, &res->meta)) {
		gvb_result_free(res);
		return -1;
	}
	snprintf(res->meta.mode, sizeof(res->meta.mode), "%s", mode);
	res->meta.alpha = bo->alpha;
	gvb_perf_note(res->meta.perf_note, sizeof(res->meta.perf_note));
	if (harness)
		res->meta.harness_ns_per_op = measure_harness(bo);
	gvb_print_setup(stdout, &res->meta);
	return 0;
}

enum {
	OPT_SIZE = 256, OPT_COUNT, OPT_FLUSH, OPT_SAMPLES, OPT_BATCH, OPT_WARMUP, OPT_PIN,
	OPT_LATENCY, OPT_DEFER_ASYNC, OPT_SEED, OPT_BASE, OPT_ALPHA, OPT_ALLOW_BROKEN,
	OPT_QUICK, OPT_DELAY, OPT_DELAY_PCT, OPT_PAIRS, OPT_LAYOUT_PAIRS, OPT_LATENCY_OPS,
	OPT_INSTANCES, OPT_PAIR_SECONDS, OPT_KMOD_MODE, OPT_HELP,
};

static const struct option bench_long_opts[] = {
	{ "strategy", required_argument, NULL, 's' },
	{ "backend", required_argument, NULL, 'b' },
	{ "kmod-mode", required_argument, NULL, OPT_KMOD_MODE },
	{ "workload", required_argument, NULL, 'w' },
	{ "threads", required_argument, NULL, 't' },
	{ "output", required_argument, NULL, 'o' },
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "flush-ns", required_argument, NULL, OPT_FLUSH },
	{ "samples", required_argument, NULL, OPT_SAMPLES },
	{ "batch-ms", required_argument, NULL, OPT_BATCH },
	{ "warmup-ms", required_argument, NULL, OPT_WARMUP },
	{ "pin", no_argument, NULL, OPT_PIN },
	{ "latency", no_argument, NULL, OPT_LATENCY },
	{ "defer-async", no_argument, NULL, OPT_DEFER_ASYNC },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "base", required_argument, NULL, OPT_BASE },
	{ "alpha", required_argument, NULL, OPT_ALPHA },
	{ "allow-broken", no_argument, NULL, OPT_ALLOW_BROKEN },
	{ "quick", no_argument, NULL, OPT_QUICK },
	{ "delay-ns", required_argument, NULL, OPT_DELAY },
	{ "delay-pct", required_argument, NULL, OPT_DELAY_PCT },
	{ "pairs", required_argument, NULL, OPT_PAIRS },
	{ "layout-pairs", required_argument, NULL, OPT_LAYOUT_PAIRS },
	{ "instances", required_argument, NULL, OPT_INSTANCES },
	{ "pair-seconds", required_argument, NULL, OPT_PAIR_SECONDS },
	{ "latency-ops", required_argument, NULL, OPT_LATENCY_OPS },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* Options every benchmarking command shares; 1 if @c was one of them. */
static int common_opt(int c, const char *arg, struct bench_opts *bo)
{
	switch (c) {
	case 'b':
		if (strcmp(arg, "user") && strcmp(arg, "kmod"))
			gvb_die_usage("-b: unknown backend '%s' (valid: user, kmod)", arg);
		bo->backend = arg;
		return 1;
	case OPT_KMOD_MODE:
		if (strcmp(arg, "batch") && strcmp(arg, "ioctl"))
			gvb_die_usage("--kmod-mode: unknown mode '%s' (valid: batch, ioctl)", arg);
		bo->kmod_mode = arg;
		return 1;
	case OPT_SIZE:
		bo->p.size = arg_u64("--size", arg, GVB_PAGE, GVB_WL_MAX_SIZE, true);
		if (!IS_ALIGNED(bo->p.size, GVB_PAGE))
			gvb_die_usage("--size: %s is not a multiple of 4K", arg);
		return 1;
	case OPT_COUNT:
		bo->p.count = arg_u64("--count", arg, 1, GVB_WL_MAX_COUNT, false);
		return 1;
	case OPT_FLUSH:
		bo->p.flush_ns = arg_u64("--flush-ns", arg, 0, GVB_WL_MAX_FLUSH_NS, false);
		return 1;
	case OPT_SAMPLES:
		bo->run.samples = arg_u64("--samples", arg, 1, 100000, false);
		return 1;
	case OPT_BATCH:
		bo->run.batch_ms = arg_double("--batch-ms", arg, 0.05, 1000);
		return 1;
	case OPT_WARMUP:
		bo->run.warmup_ms = arg_double("--warmup-ms", arg, 0, 60000);
		return 1;
	case OPT_PIN:
		bo->run.pin = true;
		return 1;
	case OPT_DEFER_ASYNC:
		bo->p.defer_async = true;
		return 1;
	case OPT_SEED:
		bo->p.seed = arg_u64("--seed", arg, 1, UINT64_MAX, false);
		return 1;
	case OPT_ALPHA:
		bo->alpha = arg_double("--alpha", arg, 1e-6, 0.5);
		return 1;
	case OPT_INSTANCES:
		bo->run.instances = arg_u64("--instances", arg, 1, GVB_RUN_MAX_INSTANCES, false);
		return 1;
	case OPT_LATENCY_OPS:
		bo->run.latency_ops = arg_u64("--latency-ops", arg, 1, 100000000, false);
		return 1;
	}
	return 0;
}

static void bench_defaults(struct bench_opts *bo)
{
	memset(bo, 0, sizeof(*bo));
	gvb_runner_default_opts(&bo->run);
	bo->alpha = 0.05;
	bo->base = "resv";
	bo->run.instances = 4;
	bo->backend = "user";
	bo->kmod_mode = "batch";
}

/* getopt's own messages are off (opterr = 0): one line of ours instead. */
void gvb_die_option(int c, int argc, char **argv, const char *cmd)
{
	const char *arg = argv[optind - 1 < argc ? optind - 1 : argc - 1];

	if (c == ':')
		gvb_die_usage("%s: option '%s' needs a value (see '%s %s --help')", cmd, arg,
			      gvb_prog, cmd);
	gvb_die_usage("%s: unknown option '%s' (see '%s %s --help')", cmd, arg, gvb_prog, cmd);
}

/* ----------------------------------------------------------------- list */

static int cmd_list(int argc, char **argv)
{
	const struct gvb_strategy_ops *const *s;
	const struct gvb_workload *const *w;
	const struct gvb_pt_format *const *f;

	if (argc > 1)
		gvb_die_usage("list: takes no arguments");
	printf("strategies:\n");
	for (s = gvb_strategies; *s; s++)
		printf("  %-16s %s\n", (*s)->name, (*s)->desc);
	printf("workloads:\n");
	for (w = gvb_workloads; *w; w++)
		if (!((*w)->flags & GVB_WL_HIDDEN))
			printf("  %-16s %s\n", (*w)->name, (*w)->desc);
	printf("backends:\n");
	printf("  %-16s %s\n", "user", "core and strategies linked into gvbench (default)");
	printf("  %-16s %s\n", "kmod", "the same code in gvbench.ko via /dev/gvbench (-b kmod)");
	printf("page-table formats:\n");
	for (f = gvb_pt_formats; *f; f++)
		printf("  %-16s %s\n", (*f)->name, (*f)->desc);
	return 0;
}

/* ------------------------------------------------------------------ run */

static void run_usage(void)
{
	printf("usage: %s run [-s STRATEGY[,..]] [-w WORKLOAD] [-t THREADS[,..]] [options]\n"
	       "  -s, --strategy LIST  strategies to interleave (default %s)\n"
	       "  -w, --workload NAME  workload (default map-unmap; see '%s list')\n"
	       "  -t, --threads LIST   thread counts, e.g. 1,2,4 (default: the workload's)\n"
	       "  --size N             bytes per mapping, 4K multiple (e.g. 4K, 64K, 2M)\n"
	       "  --count N            mappings per op / resident mappings (workload-specific)\n"
	       "  --flush-ns N         modelled TLB flush cost per page-table update\n"
	       "  --samples N          timed batches per case (default 30)\n"
	       "  --batch-ms X         target batch duration (default 2)\n"
	       "  --warmup-ms X        untimed warmup per case (default 50)\n"
	       "  --pin                pin worker threads to CPUs\n"
	       "  --instances K        instances per case, rotated per round (default 4)\n"
	       "  --defer-async        gpuva+deferred: clean up in a worker thread\n"
	       "  --latency            time single ops (TSC) into histograms: p50..p99.9, max\n"
	       "  --latency-ops N      single ops per thread and case (default 20000)\n"
	       "  --base NAME          strategy the others are compared with (default resv)\n"
	       "  --alpha X            significance level (default 0.05)\n"
	       "  -b, --backend NAME   user (default) or kmod (gvbench.ko via /dev/gvbench)\n"
	       "  --kmod-mode MODE     kmod: batch (timed in the kernel, default) or ioctl\n"
	       "                       (one MAP + one UNMAP ioctl per op; map-unmap only)\n"
	       "  -o, --output FILE    write FILE (JSON) and the CSV beside it\n",
	       gvb_prog, DEFAULT_STRATEGIES, gvb_prog);
}

static int cmd_run(int argc, char **argv)
{
	char strat_buf[256], *items[16];
	const char *strat_arg = DEFAULT_STRATEGIES, *threads_arg = NULL;
	const struct gvb_strategy_ops *strats[16];
	const struct gvb_workload *w = NULL;
	unsigned int nstrats, nthreads = 0, threads[8], i;
	const char *out = NULL;
	struct bench_opts bo;
	struct gvb_result res;
	int c, ret = 0;

	bench_defaults(&bo);
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:s:w:t:o:b:", bench_long_opts, NULL)) != -1) {
		if (common_opt(c, optarg, &bo))
			continue;
		switch (c) {
		case 's': strat_arg = optarg; break;
		case 'w': w = arg_workload(optarg); break;
		case 't': threads_arg = optarg; break;
		case 'o': out = optarg; break;
		case OPT_BASE: bo.base = optarg; break;
		case OPT_ALLOW_BROKEN: bo.allow_broken = true; break;
		case OPT_LATENCY: bo.run.latency = true; break;
		case OPT_HELP: run_usage(); return 0;
		default: gvb_die_option(c, argc, argv, "run");
		}
	}
	if (optind < argc)
		gvb_die_usage("run: unexpected argument '%s'", argv[optind]);
	if (!w)
		w = gvb_workload_find("map-unmap");
	nstrats = split_list(strat_arg, strat_buf, sizeof(strat_buf), items, ARRAY_SIZE(items), "-s");
	for (i = 0; i < nstrats; i++)
		strats[i] = arg_strategy(items[i], bo.allow_broken);
	if (threads_arg) {
		char *titems[8], tbuf[256];

		nthreads = split_list(threads_arg, tbuf, sizeof(tbuf), titems, ARRAY_SIZE(titems),
				      "-t");
		for (i = 0; i < nthreads; i++)
			threads[i] = arg_u64("-t", titems[i], 1, GVB_WL_MAX_THREADS, false);
	}
	if (bo.base && !gvb_strategy_find(bo.base))
		arg_strategy(bo.base, true);
	for (i = 0; bo.base && i < nstrats; i++)
		if (!strcmp(strats[i]->name, bo.base))
			break;
	if (i == nstrats)
		bo.base = NULL;	/* the base is not in the run: no comparisons */

	if (result_start(&res, &bo, argc, argv, bo.run.latency ? "latency" : "throughput", false))
		return 1;
	if (bo.run.latency)
		printf("%s (%s per op), latency: %llu single ops per thread and case, TSC-timed, in %u interleaved rounds\n",
		       w->name, w->op_desc, (unsigned long long)bo.run.latency_ops, bo.run.samples);
	else
		printf("%s (%s per op), %u samples of ~%.1f ms batches per case, interleaved\n",
		       w->name, w->op_desc, bo.run.samples, bo.run.batch_ms);
	if (res.meta.perf_note[0])
		printf("perf: %s\n", res.meta.perf_note);
	fflush(stdout);
	bo.run.progress_prefix = isatty(2) ? "run" : NULL;
	bo.run.progress_start_s = gvb_now_s();
	bo.run.progress_total = nstrats * (nthreads ? nthreads : 1);
	for (i = 0; i < (nthreads ? nthreads : 1) && !ret; i++) {
		unsigned int first = res.ncases;

		bo.p.threads = nthreads ? threads[i] : 0;
		ret = run_group(&res, w, strats, nstrats, &bo.p, &bo);
		if (!ret) {
			if (bo.run.progress_prefix)
				fprintf(stderr, "\r%-100s\r", "");
			if (bo.run.latency)
				print_latency(stdout, &res, first, res.ncases);
			else
				print_cases(stdout, &res, first, res.ncases, bo.base);
		}
	}
	if (!ret && out)
		ret = write_outputs(&res, out);
	backend_close(&bo);
	gvb_result_free(&res);
	return ret ? 1 : 0;
}

/* ---------------------------------------------------------------- sweep */

/*
 * One line per (workload, threads) group: the base strategy's ns/op and
 * every other strategy's delta against it, "~" where not significant.
 * Cases of a group are adjacent, base first among them or not.
 */
static void print_sweep_summary(FILE *f, const struct gvb_result *r, unsigned int nstrats,
				const struct gvb_strategy_ops **strats, const char *base)
{
	unsigned int g, k;

	fprintf(f, "\nsummary: %s ns/op, and each strategy's change against it (~: not significant,\n"
		"alpha %.2g; full table: %s compare FILE --base %s)\n", base, r->meta.alpha, gvb_prog,
		base);
	fprintf(f, "%-18s %8s", "group", base);
	for (k = 0; k < nstrats; k++)
		if (strcmp(strats[k]->name, base))
			fprintf(f, " %15s", strats[k]->name);
	fputc('\n', f);
	for (g = 0; g + nstrats <= r->ncases; g += nstrats) {
		const struct gvb_case *b = NULL;
		char name[128], ns[16], *slash;

		for (k = 0; k < nstrats; k++)
			if (!strcmp(r->cases[g + k].strategy, base))
				b = &r->cases[g + k];
		if (!b)
			continue;
		/* "workload/strategy/tN" -> "workload/tN" */
		snprintf(name, sizeof(name), "%s", b->name);
		slash = strchr(name, '/');
		if (slash && strrchr(name, '/') != slash)
			memmove(slash, strrchr(name, '/'), strlen(strrchr(name, '/')) + 1);
		gvb_fmt_ns(ns, sizeof(ns), b->ns_per_op_sum.median);
		fprintf(f, "%-18s %8s", name, ns);
		for (k = 0; k < nstrats; k++) {
			const struct gvb_case *c = &r->cases[g + k];
			const struct gvb_comparison *cmp;
			char d[16];

			if (c == b)
				continue;
			cmp = find_cmp(r, c->name);
			if (!cmp)
				snprintf(d, sizeof(d), "?");
			else if (!cmp->significant)
				snprintf(d, sizeof(d), "~");
			else
				snprintf(d, sizeof(d), "%+.1f%%", cmp->delta_pct);
			fprintf(f, " %15s", d);
		}
		fputc('\n', f);
	}
}

/* mkdir -p: 0 or a negative errno. */
int gvb_make_dirs(const char *dir)
{
	char tmp[PATH_MAX], *p;

	if (snprintf(tmp, sizeof(tmp), "%s", dir) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

static int cmd_sweep(int argc, char **argv)
{
	static const unsigned int sweep_threads[] = { 1, 2, 4 };
	const struct gvb_strategy_ops *strats[16];
	const struct gvb_strategy_ops *const *s;
	const struct gvb_workload *const *w;
	unsigned int nstrats = 0, ngroups = 0, i;
	char dir[3072] = "", path[4096];
	bool quick = false;
	struct bench_opts bo;
	struct gvb_result res;
	int c, ret = 0;

	bench_defaults(&bo);
	bo.run.samples = 100;
	bo.run.warmup_ms = 100;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:o:b:", bench_long_opts, NULL)) != -1) {
		if (common_opt(c, optarg, &bo))
			continue;
		switch (c) {
		case 'o': snprintf(dir, sizeof(dir), "%s", optarg); break;
		case OPT_QUICK: quick = true; break;
		case OPT_HELP:
			printf("usage: %s sweep [--quick] [-o DIR] [-b user|kmod] [--kmod-mode batch|ioctl]\n"
			       "       [--samples N] [--batch-ms X] [--instances K] [--pin]\n"
			       "  every non-broken strategy x the main workloads x threads 1,2,4,\n"
			       "  interleaved per (workload, threads) group; writes DIR/sweep.json and .csv\n",
			       gvb_prog);
			return 0;
		default: gvb_die_option(c, argc, argv, "sweep");
		}
	}
	if (optind < argc)
		gvb_die_usage("sweep: unexpected argument '%s'", argv[optind]);
	if (quick) {
		bo.run.samples = min(bo.run.samples, 8u);
		bo.run.batch_ms = min(bo.run.batch_ms, 1.0);
		bo.run.warmup_ms = min(bo.run.warmup_ms, 10.0);
	}
	if (!dir[0]) {
		time_t now = time(NULL);
		struct tm tm;

		gmtime_r(&now, &tm);
		strftime(dir, sizeof(dir), "results/sweep-%Y%m%d-%H%M%S", &tm);
	}
	ret = gvb_make_dirs(dir);
	if (ret) {
		fprintf(stderr, "%s: cannot create %s: %s\n", gvb_prog, dir, strerror(-ret));
		return 1;
	}
	for (s = gvb_strategies; *s; s++)
		if (!((*s)->flags & GVB_STRATEGY_BROKEN))
			strats[nstrats++] = *s;
	for (w = gvb_workloads; *w; w++)
		if ((*w)->flags & GVB_WL_MAIN)
			ngroups += ARRAY_SIZE(sweep_threads);

	if (result_start(&res, &bo, argc, argv, "throughput", true))
		return 1;
	printf("sweep: %u strategies x %u groups, %u samples of ~%.1f ms per case; harness %.2f ns/op\n",
	       nstrats, ngroups, bo.run.samples, bo.run.batch_ms, res.meta.harness_ns_per_op);
	fflush(stdout);

	bo.run.progress_prefix = "sweep";
	bo.run.progress_start_s = gvb_now_s();
	bo.run.progress_total = nstrats * ngroups;
	for (w = gvb_workloads; *w && !ret; w++) {
		if (!((*w)->flags & GVB_WL_MAIN))
			continue;
		for (i = 0; i < ARRAY_SIZE(sweep_threads) && !ret; i++) {
			bo.p.threads = sweep_threads[i];
			ret = run_group(&res, *w, strats, nstrats, &bo.p, &bo);
		}
	}
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\n");
	if (!ret) {
		print_sweep_summary(stdout, &res, nstrats, strats, bo.base);
		snprintf(path, sizeof(path), "%s/sweep.json", dir);
		ret = write_outputs(&res, path);
	}
	if (!ret)
		printf("results: %s/sweep.json, %s/sweep.csv (%u cases, %.0f s)\n", dir, dir,
		       res.ncases, gvb_now_s() - bo.run.progress_start_s);
	backend_close(&bo);
	gvb_result_free(&res);
	return ret ? 1 : 0;
}

/* ------------------------------------------------------------ calibrate */

/*
 * One calibration pair: A, and B = A plus an injected effect (none for an
 * A/A pair). @share puts both on the same instances, so only the injection
 * differs; without it B gets instances of its own, as different strategies
 * do, and the pair also measures what memory layout alone does.
 */
static int calib_pair(struct gvb_result *res, const struct gvb_workload *w,
		      const struct gvb_strategy_ops *ops, struct bench_opts *bo, double inject_ns,
		      double inject_pct, bool share, unsigned int samples, u64 seed)
{
	struct gvb_runner_opts ro = bo->run;
	unsigned int first = res->ncases, k;
	struct gvb_run_case rc[2];
	char err[256];
	int ret;

	for (k = 0; k < 2; k++)
		if (!gvb_result_add_case(res))
			return -ENOMEM;
	/* add_case may move the array: take the case pointers only now. */
	for (k = 0; k < 2; k++) {
		struct gvb_case *cc = &res->cases[first + k];

		case_setup(&rc[k], cc, w, ops, &bo->p, ro.pin,
			   inject_pct > 0 ? -inject_pct * k : inject_ns * k);
		rc[k].out = cc;
		rc[k].inject_ns = k ? inject_ns : 0;
		rc[k].inject_pct = k ? inject_pct : 0;
		rc[k].share_ref_instance = k && share;
		if (k && inject_ns <= 0 && inject_pct <= 0)
			strncat(cc->name, share ? "#same" : "#other",
				sizeof(cc->name) - strlen(cc->name) - 1);
	}
	ro.samples = samples;
	ro.shuffle_seed = seed;
	ro.progress_prefix = NULL;
	ro.time_budget_s = inject_ns > 0 || inject_pct > 0 ? bo->pair_seconds : 0;
	ret = gvb_run_group(rc, 2, &ro, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "%s: %s\n", gvb_prog, err);
		return ret;
	}
	return gvb_compare_cases(res, &res->cases[first], &res->cases[first + 1], bo->alpha);
}

static int cmd_calibrate(int argc, char **argv)
{
	double delays[8] = { 0.25, 0.5, 1, 2 }, pcts[8] = { 0.5 }, layout_abs[64];
	unsigned int ndelays = 4, npcts = 1, pairs = 40, layout_pairs = 6, i, aa_sig = 0;
	unsigned int layout_sig = 0, aa_paired_sig = 0;
	const struct gvb_strategy_ops *ops = &gvb_strategy_resv;
	const struct gvb_workload *w = gvb_workload_find("map-unmap");
	unsigned int ab_samples = 0;
	const char *out = NULL;
	struct bench_opts bo;
	struct gvb_result res;
	double resolved = NAN, t0;
	int c, ret = 0;

	bench_defaults(&bo);
	bo.alpha = 0.01;
	bo.run.samples = 60;
	bo.pair_seconds = 7;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:s:w:o:b:", bench_long_opts, NULL)) != -1) {
		if (common_opt(c, optarg, &bo))
			continue;
		switch (c) {
		case 's': ops = arg_strategy(optarg, false); break;
		case 'w': w = arg_workload(optarg); break;
		case 'o': out = optarg; break;
		case OPT_DELAY: {
			char *items[8], lbuf[256];

			ndelays = split_list(optarg, lbuf, sizeof(lbuf), items, ARRAY_SIZE(items),
					     "--delay-ns");
			for (i = 0; i < ndelays; i++)
				delays[i] = arg_double("--delay-ns", items[i], 0.001, 1e6);
			break;
		}
		case OPT_DELAY_PCT: {
			char *items[8], lbuf[256];

			npcts = split_list(optarg, lbuf, sizeof(lbuf), items, ARRAY_SIZE(items),
					   "--delay-pct");
			for (i = 0; i < npcts; i++)
				pcts[i] = arg_double("--delay-pct", items[i], 0.001, 100);
			break;
		}
		case OPT_PAIRS: pairs = arg_u64("--pairs", optarg, 0, 1000, false); break;
		case OPT_PAIR_SECONDS:
			bo.pair_seconds = arg_double("--pair-seconds", optarg, 0.1, 600);
			break;
		case OPT_LAYOUT_PAIRS:
			layout_pairs = arg_u64("--layout-pairs", optarg, 0, ARRAY_SIZE(layout_abs),
					       false);
			break;
		case OPT_HELP:
			printf("usage: %s calibrate [--delay-ns X[,..]] [--delay-pct P[,..]] [--pairs N]\n"
			       "       [-s STRATEGY] [-w WORKLOAD] [--samples N] [--alpha X] [-o FILE]\n"
			       "  N A/A pairs (a strategy against itself, default 40) and one A/B pair\n"
			       "  per injected effect: B executes (1 + X/t) ops per reported op (t: A's\n"
			       "  ns/op in this run), so B is slower by X ns by construction; with P,\n"
			       "  by P%% of the op. Defaults: X = 0.25,0.5,1,2 ns and P = 0.5. A/B pairs\n"
			       "  sample for --pair-seconds (default 7). Reports the smallest effect\n"
			       "  resolved (paired p < alpha, default 0.01, and within 20%% of the truth).\n",
			       gvb_prog);
			return 0;
		default: gvb_die_option(c, argc, argv, "calibrate");
		}
	}
	if (optind < argc)
		gvb_die_usage("calibrate: unexpected argument '%s'", argv[optind]);
	ab_samples = 100000;	/* bounded by --pair-seconds */

	if (result_start(&res, &bo, argc, argv, "calibrate", true))
		return 1;
	printf("calibrate: %s on %s, alpha %.3g; A/A %u samples, A/B ~%.0f s per pair, ~%.1f ms batches\n",
	       w->name, ops->name, bo.alpha, bo.run.samples, bo.pair_seconds, bo.run.batch_ms);
	printf("harness overhead (empty op): %.2f ns/op\n\n", res.meta.harness_ns_per_op);
	fflush(stdout);
	t0 = gvb_now_s();

	for (i = 0; i < pairs && !ret; i++) {
		if (isatty(STDERR_FILENO))
			fprintf(stderr, "\rcalibrate: A/A pair %u/%u", i + 1, pairs);
		ret = calib_pair(&res, w, ops, &bo, 0, 0, true, bo.run.samples, 0x5eed + i);
		if (!ret) {
			aa_sig += res.cmps[res.ncmp - 1].significant;
			aa_paired_sig += res.cmps[res.ncmp - 1].paired_p < bo.alpha;
		}
	}
	for (i = 0; i < layout_pairs && !ret; i++) {
		const struct gvb_comparison *cmp;

		if (isatty(STDERR_FILENO))
			fprintf(stderr, "\rcalibrate: layout pair %u/%u", i + 1, layout_pairs);
		ret = calib_pair(&res, w, ops, &bo, 0, 0, false, bo.run.samples, 0x1a7 + i);
		if (ret)
			break;
		cmp = &res.cmps[res.ncmp - 1];
		layout_sig += cmp->significant;
		layout_abs[i] = fabs(cmp->delta_pct);
	}
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\r%-60s\r", "");
	if (!ret && pairs)
		printf("A/A, same instance: U test %u of %u significant at alpha %.3g (%.1f%% not);"
		       " paired %u of %u (%.1f%% not)\n", aa_sig, pairs, bo.alpha,
		       100.0 * (pairs - aa_sig) / pairs, aa_paired_sig, pairs,
		       100.0 * (pairs - aa_paired_sig) / pairs);
	if (!ret && layout_pairs)
		printf("A/A, separate instances (memory layout): %u of %u significant, median |delta| %.2f%%\n"
		       "  (--instances %u rotates that many instances per case to average this out)\n",
		       layout_sig, layout_pairs, gvb_median(layout_abs, layout_pairs),
		       bo.run.instances);

	printf("\nA/B pairs, verdict on the paired test (rounds interleave A and B):\n");
	printf("%-13s %8s %8s %21s %8s %8s %7s %5s %s\n", "injected", "truth", "paired",
	       "95% CI", "p", "U-test p", "error", "time", "verdict");
	for (i = 0; i < ndelays + npcts && !ret; i++) {
		bool pct = i >= ndelays;
		double x = pct ? pcts[i - ndelays] : delays[i];
		const struct gvb_comparison *cmp;
		double truth, pair_t0 = gvb_now_s();
		char label[32];
		bool ok;

		ret = calib_pair(&res, w, ops, &bo, pct ? 0 : x, pct ? x : 0, true, ab_samples,
				 0xab + i);
		if (ret)
			break;
		cmp = &res.cmps[res.ncmp - 1];
		truth = res.cases[res.ncases - 1].injected_ns;
		ok = cmp->paired_p < bo.alpha && fabs(cmp->paired_delta_ns - truth) <= 0.2 * truth;
		if (pct)
			snprintf(label, sizeof(label), "%g%% of op", x);
		else
			snprintf(label, sizeof(label), "%g ns", x);
		if (ok && (isnan(resolved) || truth < resolved))
			resolved = truth;
		printf("%-13s %6.3fns %6.3fns [%7.3f, %7.3f] ns %8.2g %8.2g %+6.1f%% %4.1fs %s\n",
		       label, truth, cmp->paired_delta_ns, cmp->paired_ci_lo, cmp->paired_ci_hi,
		       cmp->paired_p, cmp->p_value,
		       100.0 * (cmp->paired_delta_ns - truth) / truth, gvb_now_s() - pair_t0,
		       ok ? "resolved" : cmp->paired_p < bo.alpha ? "significant, off by >20%" :
		       "not resolved");
		fflush(stdout);
	}
	if (!ret) {
		double op = res.cases[0].ns_per_op_sum.median;

		if (isnan(resolved))
			printf("\nsmallest difference resolved: none of the injected effects (p < %.3g, within 20%%)\n",
			       bo.alpha);
		else
			printf("\nsmallest difference resolved: %.3g ns = %.2f%% of a %.0f ns op (p < %.3g, within 20%%)\n",
			       resolved, 100.0 * resolved / op, op, bo.alpha);
		printf("calibration took %.0f s\n", gvb_now_s() - t0);
	}
	if (!ret && out)
		ret = write_outputs(&res, out);
	backend_close(&bo);
	gvb_result_free(&res);
	return ret ? 1 : 0;
}

/* ----------------------------------------------------------------- main */

static void usage(FILE *f)
{
	fprintf(f, "usage: %s COMMAND [options]\n"
		"  list                 strategies, workloads, backends, page-table formats\n"
		"  run                  measure strategies on one workload (interleaved)\n"
		"  sweep                the default matrix: strategies x main workloads x threads\n"
		"  calibrate            what this machine can resolve: A/A and injected A/B pairs\n"
		"  compare              benchstat-style table: BASE vs NEW, or RUN --base STRATEGY\n"
		"  report               the resv question answered from a result, as mail text\n"
		"  plot                 gnuplot: throughput, latency and delta plots of a result\n"
		"'%s COMMAND --help' shows each command's options.\n", gvb_prog, gvb_prog);
}

int main(int argc, char **argv)
{
	int ret;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	opterr = 0;
	if (gvb_core_init()) {
		fprintf(stderr, "%s: out of memory\n", gvb_prog);
		return 1;
	}
	if (!strcmp(argv[1], "list"))
		ret = cmd_list(argc - 1, argv + 1);
	else if (!strcmp(argv[1], "run"))
		ret = cmd_run(argc - 1, argv + 1);
	else if (!strcmp(argv[1], "sweep"))
		ret = cmd_sweep(argc - 1, argv + 1);
	else if (!strcmp(argv[1], "calibrate"))
		ret = cmd_calibrate(argc - 1, argv + 1);
	else if (!strcmp(argv[1], "compare"))
		ret = gvb_cmd_compare(argc - 1, argv + 1);
	else if (!strcmp(argv[1], "report"))
		ret = gvb_cmd_report(argc - 1, argv + 1);
	else if (!strcmp(argv[1], "plot"))
		ret = gvb_cmd_plot(argc - 1, argv + 1);
	else
		gvb_die_usage("unknown command '%s' (try '%s --help')", argv[1], gvb_prog);
	gvb_core_exit();
	compat_wq_shutdown();
	return ret;
}
