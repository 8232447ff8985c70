// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * gvbench list: what can be chosen. gvbench run: strategies interleaved on
 * one workload, per thread count.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

/*
 * What loaded engine @engine refuses, with the engine's reason: one line
 * for a strategy refused alike on every workload, else one per workload.
 */
static void list_cannot_run(FILE *f, struct gvb_backend *be, const char *engine)
{
	const struct gvb_strategy_ops *const *s;
	const struct gvb_workload *const *w;
	char why[256], first[256];
	unsigned int n, refused;

	for (s = gvb_strategies; *s; s++) {
		n = refused = 0;
		first[0] = '\0';
		for (w = gvb_workloads; *w; w++) {
			if ((*w)->flags & GVB_WL_HIDDEN)
				continue;
			n++;
			if (!gvb_backend_engine_query(be, engine, *w, *s, why, sizeof(why)) ||
			    (refused++ && !strcmp(why, first)))
				continue;
			if (refused == 1)
				snprintf(first, sizeof(first), "%s", why);
			else
				first[0] = '\0';	/* reasons differ: per workload below */
		}
		if (refused == n && first[0]) {
			fprintf(f, "    cannot run %s: %s\n", (*s)->name, first);
			continue;
		}
		for (w = gvb_workloads; refused && *w; w++)
			if (!((*w)->flags & GVB_WL_HIDDEN) &&
			    gvb_backend_engine_query(be, engine, *w, *s, why, sizeof(why)))
				fprintf(f, "    cannot run %s/%s: %s\n", (*w)->name, (*s)->name, why);
	}
}

/* Where /dev/gvbench exists and opens, its engines; else how to get each. */
void gvb_list_engines(FILE *f)
{
	const struct gvb_engine *e;
	struct gvb_backend be;
	char name[64], desc[160];
	bool kmod = false;
	unsigned int i;
	int ret;

	fprintf(f, "engines (-e):\n");
	for (e = gvb_engines; e->name; e++)
		if (!e->backend)
			fprintf(f, "  %-16s %s (every backend)\n", e->name, e->desc);
	if (!access("/dev/gvbench", R_OK | W_OK))
		kmod = !gvb_backend_open(&be, &gvb_backend_kmod, NULL);
	for (i = 0; kmod; i++) {
		ret = be.ops->engine_list(&be, i, name, sizeof(name), desc, sizeof(desc));
		if (ret == -ENODEV)
			continue;
		if (ret)
			break;
		if (!strcmp(name, GVB_ENGINE_MODEL))
			continue;
		fprintf(f, "  %-16s %s (-b kmod: loaded)\n", name, desc);
		list_cannot_run(f, &be, name);
	}
	for (e = gvb_engines; e->name; e++)
		if (e->backend && (!kmod || gvb_backend_engine_query(&be, e->name,
					gvb_workload_find("map-unmap"), &gvb_strategy_resv, desc,
					sizeof(desc)) == -ENODEV))
			fprintf(f, "  %-16s %s: not here; needs -b %s with %s\n", e->name, e->desc,
				e->backend, e->how);
	if (kmod)
		gvb_backend_close(&be);
}

int gvb_cmd_list(int argc, char **argv)
{
	const struct gvb_strategy_ops *const *s;
	const struct gvb_workload *const *w;
	const struct gvb_pt_format *const *f;
	const struct gvb_backend_ops *const *b;

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
	for (b = gvb_backends; *b; b++)
		printf("  %-16s %s\n", (*b)->name, (*b)->desc);
	gvb_list_engines(stdout);
	printf("page-table formats:\n");
	for (f = gvb_pt_formats; *f; f++)
		printf("  %-16s %s\n", (*f)->name, (*f)->desc);
	return 0;
}

static void run_usage(const struct bench_opts *d)
{
	printf("usage: %s run [-s STRATEGY[,..]] [-e ENGINE[,..]] [-w WORKLOAD] [-t THREADS[,..]] [options]\n"
	       "  -s, --strategy LIST  strategies to interleave (default %s)\n"
	       "  -w, --workload NAME  workload (default %s; see '%s list')\n"
	       "  -t, --threads LIST   thread counts, e.g. 1,2,4 (default: the workload's)\n"
	       "  --latency            time single ops (TSC) into histograms: p50..p99.9, max\n"
	       "  --base NAME          strategy the others are compared with (default %s)\n"
	       "  --allow-broken       allow the negative-control strategy\n"
	       "  -o, --output FILE    write FILE (JSON) and the CSV beside it\n",
	       gvb_prog, d->strategies, d->workload, gvb_prog, d->base);
	bench_common_help(stdout, d);
}

int gvb_cmd_run(int argc, char **argv)
{
	const char *strat_arg = NULL, *threads_arg = NULL;
	const struct gvb_strategy_ops **strats;
	const struct gvb_workload *w = NULL;
	unsigned int nstrats, nthreads = 0, threads[8], i;
	char *strat_buf, **items;
	size_t len;
	const char *out = NULL;
	struct bench_opts bo;
	struct gvb_result res;
	bool base_set = false;
	int c, ret = 0;

	bench_defaults(&bo);
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:s:w:t:o:b:e:", gvb_bench_long_opts, NULL)) != -1) {
		if (bench_common_opt(c, optarg, &bo))
			continue;
		switch (c) {
		case 's': strat_arg = optarg; break;
		case 'w': w = gvb_arg_workload(optarg); break;
		case 't': threads_arg = optarg; break;
		case 'o': out = optarg; break;
		case OPT_BASE: bo.base = optarg; base_set = true; break;
		case OPT_ALLOW_BROKEN: bo.allow_broken = true; break;
		case OPT_LATENCY: bo.run.latency = true; break;
		case OPT_HELP: run_usage(&bo); return 0;
		default: gvb_die_option(c, argc, argv, "run");
		}
	}
	if (optind < argc)
		gvb_die_usage("run: unexpected argument '%s'", argv[optind]);
	if (!w)
		w = gvb_arg_workload(bo.workload);
	if (!strat_arg)
		strat_arg = bo.strategies;
	/* A comma list of length len has at most len / 2 + 1 items. */
	len = strlen(strat_arg) + 1;
	strat_buf = malloc(len);
	items = calloc(len / 2 + 1, sizeof(*items));
	strats = calloc(len / 2 + 1, sizeof(*strats));
	if (!strat_buf || !items || !strats)
		gvb_die_usage("out of memory");
	nstrats = gvb_split_list(strat_arg, strat_buf, len, items, len / 2 + 1, "-s");
	for (i = 0; i < nstrats; i++)
		strats[i] = gvb_arg_strategy(items[i], bo.allow_broken);
	if (threads_arg) {
		char *titems[8], tbuf[256];

		nthreads = gvb_split_list(threads_arg, tbuf, sizeof(tbuf), titems, ARRAY_SIZE(titems),
				      "-t");
		for (i = 0; i < nthreads; i++) {
			unsigned int k;

			threads[i] = gvb_arg_u64("-t", titems[i], 1, GVB_WL_MAX_THREADS, false);
			for (k = 0; k < i; k++)
				if (threads[k] == threads[i])
					gvb_die_usage("-t: %u is given twice (each case is run once)",
						      threads[i]);
		}
	}
	if (bo.base && !gvb_strategy_find(bo.base))
		gvb_arg_strategy(bo.base, true);
	for (i = 0; bo.base && i < nstrats; i++)
		if (!strcmp(strats[i]->name, bo.base))
			break;
	if (i == nstrats && base_set)
		gvb_die_usage("--base: '%s' is not one of the strategies run (-s)", bo.base);
	if (i == nstrats)
		bo.base = NULL;	/* the default base is not in the run: no comparisons */
	bench_check_applies(&bo, w, strats, nstrats);
	if (out)
		gvb_check_outputs(out);

	if (bench_start(&res, &bo, argc, argv, bo.run.latency ? "latency" : "throughput", false)) {
		ret = 1;
		goto free;
	}
	if (bo.run.latency)
		printf("%s (%s per op), latency: %llu single ops per thread and case, TSC-timed, in %u interleaved rounds\n",
		       w->name, w->op_desc, (unsigned long long)bo.run.latency_ops, bo.run.samples);
	else
		printf("%s (%s per op), %u samples of ~%.1f ms batches per case, interleaved\n",
		       w->name, w->op_desc, bo.run.samples, bo.run.batch_ms);
	if (res.meta.perf_note[0])
		printf("perf: %s\n", res.meta.perf_note);
	if (bo.nengines > 1 || bo.engines[0] != &gvb_engines[0])
		printf("engines: %s, interleaved with the strategies\n", bo.engine_list);
	fflush(stdout);
	if (bench_check_engines(&bo, w, strats, nstrats)) {
		ret = 1;
		goto finish;
	}
	bo.run.progress_prefix = isatty(2) ? "run" : NULL;
	bo.run.progress_start_s = gvb_now_s();
	bo.run.progress_total = nstrats * bo.nengines * (nthreads ? nthreads : 1);
	for (i = 0; i < (nthreads ? nthreads : 1) && !ret; i++) {
		unsigned int first = res.ncases;

		bo.p.threads = nthreads ? threads[i] : 0;
		ret = bench_run_group(&res, w, strats, nstrats, &bo.p, &bo);
		if (!ret) {
			if (bo.run.progress_prefix)
				fprintf(stderr, "\r%-100s\r", "");
			if (bo.run.latency)
				gvb_print_latency(stdout, &res, first, res.ncases);
			else
				gvb_print_cases(stdout, &res, first, res.ncases, bo.base);
		}
	}
	if (!ret && out)
		ret = gvb_write_outputs(&res, out);
finish:
	ret = bench_finish(&res, &bo, ret);
free:
	free(strats);
	free(items);
	free(strat_buf);
	return ret;
}

