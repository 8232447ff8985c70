// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The options of the benchmarking commands: defaults, parsing, help.
 */
#include <errno.h>
#include <math.h>

#include "cli/cli.h"
#include "result/resultset.h"

u64 gvb_arg_u64(const char *opt, const char *s, u64 min, u64 max, bool suffixes)
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

double gvb_arg_double(const char *opt, const char *s, double min, double max)
{
	char *end;
	double v;

	/* Decimal only: strtod() would also take hex floats, "nan" and "inf". */
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || strpbrk(s, "xX"))
		gvb_die_usage("%s: '%s' is not a number", opt, s);
	if (v < min || v > max)
		gvb_die_usage("%s: %s is out of range (%g..%g)", opt, s, min, max);
	return v;
}

/* --alpha of compare, report and plot: the check the result files' own alpha passes too. */
double gvb_arg_alpha(const char *cmd, const char *s)
{
	double alpha;

	if (gvb_parse_alpha(s, &alpha))
		gvb_die_usage("%s: --alpha: '%s' is not a number in (0, 0.5]", cmd, s);
	return alpha;
}

unsigned int gvb_split_list(const char *list, char *buf, size_t buflen, char **items,
			    unsigned int max, const char *opt)
{
	unsigned int n = 0, i;
	char *tok = buf, *comma;

	if (strlen(list) >= buflen)
		gvb_die_usage("%s: list too long", opt);
	snprintf(buf, buflen, "%s", list);
	if (!*buf)
		gvb_die_usage("%s: empty list", opt);
	/* Every item counts: "1,,2" and "resv," are typos, not shorter lists. */
	for (;;) {
		comma = strchr(tok, ',');
		if (comma)
			*comma = '\0';
		if (!*tok)
			gvb_die_usage("%s: empty item in '%s'", opt, list);
		if (n == max)
			gvb_die_usage("%s: at most %u items", opt, max);
		for (i = 0; i < n; i++)
			if (!strcmp(items[i], tok))
				gvb_die_usage("%s: '%s' is given twice (each case is run once)", opt,
					      tok);
		items[n++] = tok;
		if (!comma)
			return n;
		tok = comma + 1;
	}
}

const struct gvb_strategy_ops *gvb_arg_strategy(const char *name, bool allow_broken)
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

const struct gvb_workload *gvb_arg_workload(const char *name)
{
	const struct gvb_workload *w = gvb_workload_find(name);
	char names[512];

	if (w)
		return w;
	gvb_workload_names(names, sizeof(names), 0);
	gvb_die_usage("unknown workload '%s' (valid: %s)", name, names);
}

/* "resv,resv+gpuva,..": the strategies of the default sweep, in registry order. */
static void sweep_strategies(char *buf, size_t len)
{
	const struct gvb_strategy_ops *const *s;
	size_t used = 0;

	buf[0] = '\0';
	for (s = gvb_strategies; *s && used < len; s++)
		if ((*s)->flags & GVB_STRATEGY_SWEEP)
			used += snprintf(buf + used, len - used, "%s%s", used ? "," : "",
					 (*s)->name);
}

/* "a, b" of every page-table format. */
static void gvb_format_names(char *buf, size_t len)
{
	const struct gvb_pt_format *const *f;
	size_t used = 0;

	buf[0] = '\0';
	for (f = gvb_pt_formats; *f && used < len; f++)
		used += snprintf(buf + used, len - used, "%s%s", used ? ", " : "", (*f)->name);
}

const struct option gvb_bench_long_opts[] = {
	{ "strategy", required_argument, NULL, 's' },
	{ "backend", required_argument, NULL, 'b' },
	{ "engine", required_argument, NULL, 'e' },
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
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "bo", required_argument, NULL, OPT_BO },
	{ "pt-reclaim", no_argument, NULL, OPT_PT_RECLAIM },
	{ "bind-sync", no_argument, NULL, OPT_BIND_SYNC },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* -e LIST into bo->engines; unknown names and repeats exit 2. */
static void bench_parse_engines(struct bench_opts *bo, const char *list)
{
	char buf[sizeof(bo->engine_list)], *items[GVB_MAX_ENGINES], names[128];
	unsigned int i, n;

	n = gvb_split_list(list, buf, sizeof(buf), items, GVB_MAX_ENGINES, "-e");
	for (i = 0; i < n; i++) {
		bo->engines[i] = gvb_engine_find(items[i]);
		if (!bo->engines[i]) {
			gvb_engine_names(names, sizeof(names));
			gvb_die_usage("-e: unknown engine '%s' (valid: %s)", items[i], names);
		}
	}
	bo->nengines = n;
	snprintf(bo->engine_list, sizeof(bo->engine_list), "%s", list);
}

int bench_common_opt(int c, const char *arg, struct bench_opts *bo)
{
	char names[256];

	switch (c) {
	case 'b':
		bo->backend = gvb_backend_find(arg);
		if (!bo->backend) {
			gvb_backend_names(names, sizeof(names));
			gvb_die_usage("-b: unknown backend '%s' (valid: %s)", arg, names);
		}
		return 1;
	case 'e':
		bench_parse_engines(bo, arg);
		return 1;
	case OPT_FORMAT:
		bo->p.fmt = gvb_pt_format_find(arg);
		if (!bo->p.fmt) {
			gvb_format_names(names, sizeof(names));
			gvb_die_usage("--format: unknown page-table format '%s' (valid: %s)", arg,
				      names);
		}
		return 1;
	case OPT_BO:
		if (strcmp(arg, "private") && strcmp(arg, "external"))
			gvb_die_usage("--bo: unknown BO kind '%s' (valid: private, external)", arg);
		bo->p.bo_external = !strcmp(arg, "external");
		return 1;
	case OPT_PT_RECLAIM:
		bo->p.pt_reclaim = true;
		return 1;
	case OPT_BIND_SYNC:
		bo->p.bind_sync = true;
		return 1;
	case OPT_KMOD_MODE:
		if (strcmp(arg, "batch") && strcmp(arg, "ioctl"))
			gvb_die_usage("--kmod-mode: unknown mode '%s' (valid: batch, ioctl)", arg);
		bo->kmod_mode = arg;
		bo->kmod_mode_set = true;
		return 1;
	case OPT_SIZE:
		bo->p.size = gvb_arg_u64("--size", arg, GVB_PAGE, GVB_WL_MAX_SIZE, true);
		if (!IS_ALIGNED(bo->p.size, GVB_PAGE))
			gvb_die_usage("--size: %s is not a multiple of 4K", arg);
		return 1;
	case OPT_COUNT:
		bo->p.count = gvb_arg_u64("--count", arg, 1, GVB_WL_MAX_COUNT, false);
		return 1;
	case OPT_FLUSH:
		bo->p.flush_ns = gvb_arg_u64("--flush-ns", arg, 0, GVB_WL_MAX_FLUSH_NS, false);
		return 1;
	case OPT_SAMPLES:
		bo->run.samples = gvb_arg_u64("--samples", arg, 1, 100000, false);
		return 1;
	case OPT_BATCH:
		bo->run.batch_ms = gvb_arg_double("--batch-ms", arg, 0.05, 1000);
		return 1;
	case OPT_WARMUP:
		bo->run.warmup_ms = gvb_arg_double("--warmup-ms", arg, 0, 60000);
		return 1;
	case OPT_PIN:
		bo->run.pin = true;
		return 1;
	case OPT_DEFER_ASYNC:
		bo->p.defer_async = true;
		return 1;
	case OPT_SEED:
		bo->p.seed = gvb_arg_u64("--seed", arg, 1, UINT64_MAX, false);
		return 1;
	case OPT_ALPHA:
		bo->alpha = gvb_arg_double("--alpha", arg, 1e-6, 0.5);
		return 1;
	case OPT_INSTANCES:
		bo->run.instances = gvb_arg_u64("--instances", arg, 1, GVB_RUN_MAX_INSTANCES, false);
		return 1;
	case OPT_LATENCY_OPS:
		bo->run.latency_ops = gvb_arg_u64("--latency-ops", arg, 1, 100000000, false);
		bo->latency_ops_set = true;
		return 1;
	}
	return 0;
}

void bench_check_applies(const struct bench_opts *bo, const struct gvb_workload *w,
			 const struct gvb_strategy_ops *const *strats, unsigned int nstrats)
{
	unsigned int i;

	if (bo->latency_ops_set && !bo->run.latency)
		gvb_die_usage("--latency-ops applies only with --latency");
	if (bo->kmod_mode_set && strcmp(bo->backend->name, "kmod"))
		gvb_die_usage("--kmod-mode applies only to the kmod backend (-b kmod)");
	for (i = 0; i < bo->nengines; i++)
		if (bo->engines[i]->backend && strcmp(bo->engines[i]->backend, bo->backend->name))
			gvb_die_usage("-e %s: this engine runs only on the %s backend: add -b %s, with %s",
				      bo->engines[i]->name, bo->engines[i]->backend,
				      bo->engines[i]->backend, bo->engines[i]->how);
	for (i = 0; bo->p.defer_async && i < nstrats; i++)
		if (strats[i]->flags & GVB_STRATEGY_DEFERS)
			break;
	if (bo->p.defer_async && i == nstrats)
		gvb_die_usage("--defer-async applies only to a deferring strategy (gpuva+deferred), and none is in this run");
	if (!w)
		return;
	if (bo->p.count && !w->defaults.count)
		gvb_die_usage("--count: workload '%s' has no count (see '%s list')", w->name,
			      gvb_prog);
	if (bo->p.size && (w->flags & GVB_WL_FIXED_SIZE))
		gvb_die_usage("--size: workload '%s' binds single pages and takes no size", w->name);
	if (bo->p.seed && !(w->flags & GVB_WL_SEEDED))
		gvb_die_usage("--seed: workload '%s' draws no random numbers (its ops are fixed)",
			      w->name);
}

void bench_defaults(struct bench_opts *bo)
{
	memset(bo, 0, sizeof(*bo));
	gvb_runner_default_opts(&bo->run);
	bo->alpha = 0.05;
	bo->base = "resv";
	bo->backend = &gvb_backend_user;
	bo->kmod_mode = "batch";
	bo->workload = "map-unmap";
	bo->engines[0] = gvb_engine_find(GVB_ENGINE_MODEL);
	bo->nengines = 1;
	snprintf(bo->engine_list, sizeof(bo->engine_list), "%s", GVB_ENGINE_MODEL);
	sweep_strategies(bo->strategies, sizeof(bo->strategies));
}

void bench_common_help(FILE *f, const struct bench_opts *d)
{
	char backends[128], engines[128], perop[128];

	gvb_backend_names(backends, sizeof(backends));
	gvb_engine_names(engines, sizeof(engines));
	gvb_workload_names(perop, sizeof(perop), GVB_WL_PEROP);
	fprintf(f, "  --size N             bytes per mapping, 4K multiple (e.g. 4K, 64K, 2M)\n"
		"  --count N            mappings per op / resident mappings (workload-specific)\n"
		"  --flush-ns N         modelled TLB flush cost per page-table update\n"
		"  --format NAME        page-table format (default %s; see '%s list')\n"
		"  --bo KIND            private (shares the VM's resv) or external, for workloads\n"
		"                       with a BO per thread (default %s)\n"
		"  --pt-reclaim         free every page table an unmap empties (xe-style; default\n"
		"                       %s: io-pgtable-arm's policy)\n"
		"  --bind-sync          immediate strategies: panthor's synchronous VM_BIND path\n"
		"                       (default %s: the asynchronous one, drm_exec in prepare)\n"
		"  --samples N          timed batches per case (default %u)\n"
		"  --batch-ms X         target batch duration (default %g)\n"
		"  --warmup-ms X        untimed warmup per case (default %g)\n"
		"  --pin                pin worker threads to CPUs\n"
		"  --instances K        instances per case, rotated per round (default %u)\n"
		"  --defer-async        gpuva+deferred: clean up in a worker thread\n"
		"  --seed N             workload seed (default: the workload's)\n"
		"  --latency-ops N      single ops per thread and case with --latency (default %llu)\n"
		"  --alpha X            significance level (default %g)\n"
		"  -b, --backend NAME   %s (default %s; see '%s list')\n"
		"  -e, --engine LIST    %s, interleaved like strategies (default %s;\n"
		"                       engines but model need -b kmod; see '%s list')\n"
		"  --kmod-mode MODE     kmod: batch (timed in the kernel, default %s) or ioctl\n"
		"                       (one MAP + one UNMAP ioctl per op; %s only)\n",
		gvb_pt_formats[0]->name, gvb_prog, d->p.bo_external ? "external" : "private",
		d->p.pt_reclaim ? "on" : "off", d->p.bind_sync ? "on" : "off", d->run.samples, d->run.batch_ms,
		d->run.warmup_ms, d->run.instances, (unsigned long long)d->run.latency_ops, d->alpha,
		backends, d->backend->name, gvb_prog, engines, d->engine_list, gvb_prog, d->kmod_mode,
		perop);
}

/* run, sweep and calibrate parse with gvb_bench_long_opts. */
static bool bench_cmd(const char *cmd)
{
	return !strcmp(cmd, "run") || !strcmp(cmd, "sweep") || !strcmp(cmd, "calibrate");
}

/* How many of gvb_bench_long_opts the abbreviation @name (@len chars) fits. */
static unsigned int prefix_matches(const char *name, int len)
{
	const struct option *o;
	unsigned int n = 0;

	for (o = gvb_bench_long_opts; o->name; o++)
		n += !strncmp(o->name, name, len);
	return n;
}

/*
 * getopt's own messages are off (opterr = 0): one line of ours instead,
 * naming the option exactly as it was given. The argv element is not
 * enough: in a cluster such as "-Zs" getopt has not moved past it yet, and
 * after an option with a value it points at the value.
 */
void gvb_die_option(int c, int argc, char **argv, const char *cmd)
{
	const char *arg = argv[optind - 1 < argc ? optind - 1 : argc - 1];
	const struct option *o;
	int len = (int)strcspn(arg, "=");
	bool is_long = !strncmp(arg, "--", 2);

	if (c == ':') {
		if (optopt > 0 && optopt < 256 && !is_long)
			gvb_die_usage("%s: option '-%c' needs a value (see '%s %s --help')", cmd,
				      optopt, gvb_prog, cmd);
		gvb_die_usage("%s: option '%.*s' needs a value (see '%s %s --help')", cmd, len, arg,
			      gvb_prog, cmd);
	}
	if (c == '?' && optopt && is_long && arg[len] == '=')
		gvb_die_usage("%s: option '%.*s' takes no value (see '%s %s --help')", cmd, len,
			      arg, gvb_prog, cmd);
	if (c == '?' && optopt > 0 && optopt < 256)
		gvb_die_usage("%s: unknown option '-%c' (see '%s %s --help')", cmd, optopt,
			      gvb_prog, cmd);
	if (c == '?' && is_long && bench_cmd(cmd) && prefix_matches(arg + 2, len - 2) > 1)
		gvb_die_usage("%s: ambiguous option '%.*s' (see '%s %s --help')", cmd, len, arg,
			      gvb_prog, cmd);
	if (c == '?')
		gvb_die_usage("%s: unknown option '%.*s' (see '%s %s --help')", cmd, len, arg,
			      gvb_prog, cmd);
	/* An option of another benchmarking command: name it as its table does. */
	for (o = gvb_bench_long_opts; o->name; o++)
		if (o->val == c)
			gvb_die_usage("%s: option '--%s' is not an option of %s (see '%s %s --help')",
				      cmd, o->name, cmd, gvb_prog, cmd);
	gvb_die_usage("%s: unknown option '%s' (see '%s %s --help')", cmd, arg, gvb_prog, cmd);
}
