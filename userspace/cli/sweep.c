// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * gvbench sweep: the default matrix, every strategy flagged
 * GVB_STRATEGY_SWEEP x every workload flagged GVB_WL_MAIN x 1, 2, 4
 * threads, one interleaved group per (workload, threads).
 */
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "result/resultset.h"

/*
 * One line per (workload, threads) group: the base strategy's ns/op and
 * every other strategy's delta against it, "~" where not significant.
 * Cases of a group are adjacent, base first among them or not.
 */
static void print_sweep_summary(FILE *f, const struct gvb_result *r, unsigned int nstrats,
				const struct gvb_strategy_ops **strats, const char *base)
{
	unsigned int g, k;

	fprintf(f, "\nsummary: %s ns/op, and each strategy's change against it: the shift of\n"
		"the per-round differences (paired, Wilcoxon signed-rank; ~: not significant at\n"
		"alpha %.2g; CIs: %s compare FILE --base %s)\n", base, r->meta.alpha, gvb_prog,
		base);
	fprintf(f, "%-18s %8s", "group", base);
	for (k = 0; k < nstrats; k++)
		if (strcmp(strats[k]->name, base))
			fprintf(f, " %15s", strats[k]->name);
	fputc('\n', f);
	for (g = 0; g + nstrats <= r->ncases; g += nstrats) {
		const struct gvb_case *b = NULL;
		char name[128], ns[16];

		for (k = 0; k < nstrats; k++)
			if (!strcmp(r->cases[g + k].strategy, base))
				b = &r->cases[g + k];
		if (!b)
			continue;
		/* "workload/[engine/]strategy/tN" -> "workload/[engine/]tN" */
		if (gvb_name_without_strategy(name, sizeof(name), b->name))
			snprintf(name, sizeof(name), "%s", b->name);
		gvb_fmt_ns(ns, sizeof(ns), b->ns_per_op_sum.median);
		fprintf(f, "%-18s %8s", name, ns);
		for (k = 0; k < nstrats; k++) {
			const struct gvb_case *c = &r->cases[g + k];
			struct gvb_delta d1;
			char d[16];

			if (c == b)
				continue;
			if (gvb_delta_compute(b, c, GVB_METRIC_NS, r->meta.alpha,
					      gvb_case_pairs_with(b, c), &d1))
				snprintf(d, sizeof(d), "?");
			else if (!d1.significant)
				snprintf(d, sizeof(d), "~");
			else
				snprintf(d, sizeof(d), "%+.2f%%", d1.pct);
			fprintf(f, " %15s", d);
		}
		fputc('\n', f);
	}
}

/* One thread of a workload that needs two measures nothing: left out. */
static bool sweep_group_wanted(const struct gvb_workload *w, unsigned int threads)
{
	return !(w->flags & GVB_WL_MIN_2_THREADS) || threads >= 2;
}

/* "map-unmap, ..., evict-walk (from 2 threads)": what --help says the sweep runs. */
static void sweep_workloads(char *buf, size_t len)
{
	const struct gvb_workload *const *w;
	size_t used = 0;

	buf[0] = '\0';
	for (w = gvb_workloads; *w && used < len; w++)
		if ((*w)->flags & GVB_WL_MAIN)
			used += snprintf(buf + used, len - used, "%s%s%s", used ? ", " : "",
					 (*w)->name,
					 (*w)->flags & GVB_WL_MIN_2_THREADS ? " (from 2 threads)" : "");
}

int gvb_cmd_sweep(int argc, char **argv)
{
	static const unsigned int sweep_threads[] = { 1, 2, 4 };
	const struct gvb_strategy_ops **strats;
	const struct gvb_strategy_ops *const *s;
	const struct gvb_workload *const *w;
	unsigned int nstrats = 0, ngroups = 0, i;
	char dir[3072] = "", path[4096], wl_names[512];
	struct gvb_wl_params p;
	bool quick = false;
	struct bench_opts bo;
	struct gvb_result res;
	int c, ret = 0;

	bench_defaults(&bo);
	bo.run.samples = 100;
	bo.run.warmup_ms = 100;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:o:b:e:", gvb_bench_long_opts, NULL)) != -1) {
		if (bench_common_opt(c, optarg, &bo))
			continue;
		switch (c) {
		case 'o': snprintf(dir, sizeof(dir), "%s", optarg); break;
		case OPT_QUICK: quick = true; break;
		case OPT_HELP:
			sweep_workloads(wl_names, sizeof(wl_names));
			printf("usage: %s sweep [--quick] [-o DIR] [options]\n"
			       "  the default strategies (%s)\n"
			       "  x the main workloads x threads 1,2,4, interleaved per (workload, threads)\n"
			       "  group; writes DIR/sweep.json and .csv\n", gvb_prog, bo.strategies);
			gvb_print_wrapped(stdout, "  main workloads: ", "    ", wl_names, false);
			printf("  --quick              a few seconds: at most 8 samples of 1 ms batches\n");
			bench_common_help(stdout, &bo);
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
	for (s = gvb_strategies; *s; s++)
		nstrats++;
	strats = calloc(nstrats, sizeof(*strats));
	if (!strats) {
		fprintf(stderr, "%s: out of memory\n", gvb_prog);
		return 1;
	}
	nstrats = 0;
	for (s = gvb_strategies; *s; s++)
		if ((*s)->flags & GVB_STRATEGY_SWEEP)
			strats[nstrats++] = *s;
	bench_check_applies(&bo, NULL, strats, nstrats);
	ret = gvb_make_dirs(dir);
	if (ret) {
		fprintf(stderr, "%s: cannot create %s: %s\n", gvb_prog, dir, strerror(-ret));
		free(strats);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/sweep.json", dir);
	gvb_check_outputs(path);
	for (w = gvb_workloads; *w; w++)
		for (i = 0; ((*w)->flags & GVB_WL_MAIN) && i < ARRAY_SIZE(sweep_threads); i++)
			ngroups += sweep_group_wanted(*w, sweep_threads[i]);

	if (bench_start(&res, &bo, argc, argv, "throughput", true)) {
		free(strats);
		return 1;
	}
	/* Every refusal before the first sample: a sweep runs for long. */
	for (w = gvb_workloads; *w && !ret; w++)
		if ((*w)->flags & GVB_WL_MAIN)
			ret = bench_check_engines(&bo, *w, strats, nstrats);
	if (ret) {
		free(strats);
		return bench_finish(&res, &bo, ret);
	}
	printf("sweep: %u strategies x %u groups, %u samples of ~%.1f ms per case; harness %.2f ns/op\n",
	       nstrats, ngroups, bo.run.samples, bo.run.batch_ms, res.meta.harness_ns_per_op);
	fflush(stdout);

	bo.run.progress_prefix = "sweep";
	bo.run.progress_start_s = gvb_now_s();
	bo.run.progress_total = nstrats * bo.nengines * ngroups;
	for (w = gvb_workloads; *w && !ret; w++) {
		if (!((*w)->flags & GVB_WL_MAIN))
			continue;
		/*
		 * --size, --count and --seed reach only the workloads that use
		 * them; the others run (and record) their own defaults.
		 */
		p = bo.p;
		if ((*w)->flags & GVB_WL_FIXED_SIZE)
			p.size = 0;
		if (!(*w)->defaults.count)
			p.count = 0;
		if (!((*w)->flags & GVB_WL_SEEDED))
			p.seed = 0;
		for (i = 0; i < ARRAY_SIZE(sweep_threads) && !ret; i++) {
			if (!sweep_group_wanted(*w, sweep_threads[i]))
				continue;
			p.threads = sweep_threads[i];
			ret = bench_run_group(&res, *w, strats, nstrats, &p, &bo);
		}
	}
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\n");
	if (!ret) {
		print_sweep_summary(stdout, &res, nstrats, strats, bo.base);
		ret = gvb_write_outputs(&res, path);
	}
	if (!ret)
		printf("results: %s/sweep.json, %s/sweep.csv (%u cases, %.0f s)\n", dir, dir,
		       res.ncases, gvb_now_s() - bo.run.progress_start_s);
	free(strats);
	return bench_finish(&res, &bo, ret);
}

