// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * gvbench torture: the torture engine (core/gvb_torture.h), after
 * locktorture. One strategy after the other on one backend: a progress
 * line per interval on stderr, then one line on stdout,
 * "gvbench torture: SUCCESS backend=... strategy=... seed=..." or
 * "... FAILURE ...", with every parameter needed to reproduce the run.
 * Exit status: 0 all SUCCESS, 1 any FAILURE (or a run that could not
 * start), 2 bad usage.
 */
#include <string.h>

#include "cli/cli.h"

#define TORTURE_MAX_STRATEGIES	16
#define TORTURE_MAX_SECONDS	86400

enum {
	T_OPT_DURATION = 256, T_OPT_OPS, T_OPT_SEED, T_OPT_VMS, T_OPT_BOS, T_OPT_CHECK_EVERY,
	T_OPT_INTERVAL, T_OPT_ALLOW_BROKEN, T_OPT_HELP,
};

static const struct option torture_long_opts[] = {
	{ "strategy", required_argument, NULL, 's' },
	{ "backend", required_argument, NULL, 'b' },
	{ "threads", required_argument, NULL, 't' },
	{ "duration", required_argument, NULL, T_OPT_DURATION },
	{ "ops", required_argument, NULL, T_OPT_OPS },
	{ "seed", required_argument, NULL, T_OPT_SEED },
	{ "vms", required_argument, NULL, T_OPT_VMS },
	{ "bos", required_argument, NULL, T_OPT_BOS },
	{ "check-every", required_argument, NULL, T_OPT_CHECK_EVERY },
	{ "interval", required_argument, NULL, T_OPT_INTERVAL },
	{ "allow-broken", no_argument, NULL, T_OPT_ALLOW_BROKEN },
	{ "help", no_argument, NULL, T_OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static void torture_usage(void)
{
	char backends[128];

	gvb_backend_names(backends, sizeof(backends));
	printf("usage: %s torture [-s STRATEGY[,..]] [-b BACKEND] [--duration S | --ops N]\n"
	       "                       [--threads N] [--seed N] [options]\n"
	       "Random mixed VM_BIND traffic over VMs sharing BOs, with the model's invariants\n"
	       "checked at intervals and at the end; one SUCCESS or FAILURE line per strategy.\n"
	       "  -s, --strategy LIST  strategies, one after the other (default: all but broken)\n"
	       "  -b, --backend NAME   %s (default user)\n"
	       "  --duration S         seconds per strategy (default 5; kmod: at most 600)\n"
	       "  --ops N              total ops over all threads instead of a duration\n"
	       "  -t, --threads N      torture threads, 1..%u (default 4)\n"
	       "  --seed N             seed of every thread's op sequence (default 1)\n"
	       "  --vms N              VM slots, 1..%u (default 4)\n"
	       "  --bos N              BO slots, 1..%u (default 8)\n"
	       "  --check-every N      ops of one thread between full checks (default 1000)\n"
	       "  --interval S         seconds between progress lines (default 1)\n"
	       "  --allow-broken       allow the negative-control strategy (kmod: the module\n"
	       "                       needs allow_broken=1 too)\n"
	       "Numbers are decimal. Exit: 0 all SUCCESS, 1 any FAILURE, 2 bad usage.\n",
	       gvb_prog, backends, GVB_TORTURE_MAX_THREADS, GVB_TORTURE_MAX_VMS,
	       GVB_TORTURE_MAX_BOS);
}

/* Decimal only: "010" is ten, "0x10" is refused, whatever the shared parser allows. */
static u64 torture_arg(const char *opt, const char *s, u64 min, u64 max)
{
	if (!*s || strspn(s, "0123456789") != strlen(s))
		gvb_die_usage("torture: %s: '%s' is not a decimal number", opt, s);
	while (s[0] == '0' && s[1])
		s++;
	return gvb_arg_u64(opt, s, min, max, false);
}

static void torture_progress(const struct gvb_backend_torture *bt, u64 elapsed_ns,
			     const struct gvb_torture_stats *s)
{
	const char *name = bt->p.ops->name;
	double secs = elapsed_ns / 1e9;

	if (!s) {
		fprintf(stderr, "%s torture: %s %.1fs: running in the module (counters: kernel log)\n",
			gvb_prog, name, secs);
		return;
	}
	fprintf(stderr, "%s torture: %s %.1fs: ops=%llu map=%llu unmap=%llu churn=%llu evict=%llu "
		"vm_cycle=%llu bo_cycle=%llu checks=%llu failures=%llu\n", gvb_prog, name, secs,
		(unsigned long long)s->c[GVB_T_OPS], (unsigned long long)s->c[GVB_T_MAP],
		(unsigned long long)s->c[GVB_T_UNMAP], (unsigned long long)s->c[GVB_T_CHURN],
		(unsigned long long)s->c[GVB_T_EVICT], (unsigned long long)s->c[GVB_T_VM_CYCLE],
		(unsigned long long)s->c[GVB_T_BO_CYCLE], (unsigned long long)s->c[GVB_T_CHECK],
		(unsigned long long)s->failures);
}

/* One strategy: its verdict line on stdout. 0 SUCCESS, 1 FAILURE, 2 refused parameters. */
static int torture_one(struct gvb_backend *be, struct gvb_backend_torture *bt)
{
	u64 start = gvb_now_ns();
	const char *rest;
	char params[256];
	int ret;

	ret = be->ops->torture(be, bt);
	if (ret == -EINVAL)
		return 2;
	if (ret) {
		gvb_torture_params_str(&bt->p, params, sizeof(params));
		printf("%s torture: FAILURE backend=%s %s (could not run: %s)\n", gvb_prog,
		       be->ops->name, params, strerror(-ret));
		return 1;
	}
	torture_progress(bt, gvb_now_ns() - start, &bt->s);
	/* The engine's line starts with its own verdict; the backend's may differ. */
	rest = strchr(bt->line, ' ');
	printf("%s torture: %s backend=%s %s\n", gvb_prog, bt->failed ? "FAILURE" : "SUCCESS",
	       be->ops->name, rest ? rest + 1 : bt->line);
	fflush(stdout);
	return bt->failed;
}

int gvb_cmd_torture(int argc, char **argv)
{
	const struct gvb_strategy_ops *run[TORTURE_MAX_STRATEGIES];
	const struct gvb_backend_ops *backend = &gvb_backend_user;
	struct gvb_backend_torture bt = {
		.p = { .threads = 4, .vms = 4, .bos = 8, .seed = 1, .check_every = 1000 },
		.interval_ns = 1000000000ULL,
		.progress = torture_progress,
	};
	const char *strat_arg = NULL, *ops_arg = NULL, *duration_arg = NULL;
	const struct gvb_strategy_ops *const *s;
	char buf[256], *items[TORTURE_MAX_STRATEGIES], names[256];
	unsigned int n = 0, i;
	bool allow_broken = false;
	struct gvb_backend be;
	u64 duration = 5;
	int c, ret = 0, r;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+:s:b:t:", torture_long_opts, NULL)) != -1) {
		switch (c) {
		case 's': strat_arg = optarg; break;
		case 'b':
			backend = gvb_backend_find(optarg);
			if (!backend) {
				gvb_backend_names(names, sizeof(names));
				gvb_die_usage("torture: -b: unknown backend '%s' (valid: %s)", optarg,
					      names);
			}
			break;
		case 't':
			bt.p.threads = torture_arg("--threads", optarg, 1, GVB_TORTURE_MAX_THREADS);
			break;
		case T_OPT_DURATION:
			duration_arg = optarg;
			duration = torture_arg("--duration", optarg, 1, TORTURE_MAX_SECONDS);
			break;
		case T_OPT_OPS:
			ops_arg = optarg;
			bt.p.n_ops = torture_arg("--ops", optarg, 1, UINT64_MAX);
			break;
		case T_OPT_SEED: bt.p.seed = torture_arg("--seed", optarg, 0, UINT64_MAX); break;
		case T_OPT_VMS:
			bt.p.vms = torture_arg("--vms", optarg, 1, GVB_TORTURE_MAX_VMS);
			break;
		case T_OPT_BOS:
			bt.p.bos = torture_arg("--bos", optarg, 1, GVB_TORTURE_MAX_BOS);
			break;
		case T_OPT_CHECK_EVERY:
			bt.p.check_every = torture_arg("--check-every", optarg, 1, UINT64_MAX);
			break;
		case T_OPT_INTERVAL:
			bt.interval_ns = torture_arg("--interval", optarg, 1, 3600) * 1000000000ULL;
			break;
		case T_OPT_ALLOW_BROKEN: allow_broken = true; break;
		case T_OPT_HELP: torture_usage(); return 0;
		default: gvb_die_option(c, argc, argv, "torture");
		}
	}
	if (optind < argc)
		gvb_die_usage("torture: unexpected argument '%s' (see '%s torture --help')",
			      argv[optind], gvb_prog);
	if (ops_arg && duration_arg)
		gvb_die_usage("torture: give --ops %s or --duration %s, not both", ops_arg,
			      duration_arg);
	if (!ops_arg)
		bt.p.duration_ns = duration * 1000000000ULL;
	if (!backend->torture)
		gvb_die_usage("torture: backend '%s' has no torture mode (use -b user)",
			      backend->name);
	if (strat_arg) {
		n = gvb_split_list(strat_arg, buf, sizeof(buf), items, ARRAY_SIZE(items), "-s");
		for (i = 0; i < n; i++)
			run[i] = gvb_arg_strategy(items[i], allow_broken);
	} else {
		for (s = gvb_strategies; *s && n < ARRAY_SIZE(run); s++)
			if (!((*s)->flags & GVB_STRATEGY_BROKEN))
				run[n++] = *s;
	}

	if (gvb_backend_open(&be, backend, NULL))
		return 1;
	for (i = 0; i < n; i++) {
		bt.p.ops = run[i];
		r = torture_one(&be, &bt);
		if (r == 2) {
			ret = 2;
			break;
		}
		ret |= r;
	}
	gvb_backend_close(&be);
	return ret;
}
