// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * gvbench calibrate: what this machine can resolve. A/A pairs (a case
 * against itself) show the false-positive rate, A/B pairs with a known
 * injected cost show the smallest effect the statistics find.
 */
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "result/resultset.h"
#include "stats/stats.h"

/*
 * One calibration pair: A, and B = A plus an injected effect (none for an
 * A/A pair). @share puts both on the same instances, so only the injection
 * differs; without it B gets instances of its own, as different strategies
 * do, and the pair also measures what memory layout alone does.
 */
static int calib_pair(struct gvb_result *res, const struct gvb_workload *w,
		      const struct gvb_strategy_ops *ops, struct bench_opts *bo, double inject_ns,
		      double inject_pct, bool share, unsigned int samples, u64 seed,
		      const char *tag, struct gvb_delta *d)
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

		bench_case_setup(&rc[k], cc, w, ops, &bo->p, ro.pin,
				 inject_pct > 0 ? -inject_pct * k : inject_ns * k, bo->engines[0],
				 false);
		rc[k].out = cc;
		rc[k].inject_ns = k ? inject_ns : 0;
		rc[k].inject_pct = k ? inject_pct : 0;
		rc[k].share_ref_instance = k && share;
		if (k && inject_ns <= 0 && inject_pct <= 0) {
			/* "w/resv/t1" -> "w/resv#same/t1": the tag labels B's strategy. */
			char *t = strrchr(cc->name, '/'), tail[32];

			snprintf(tail, sizeof(tail), "%s", t);
			snprintf(t, sizeof(cc->name) - (t - cc->name), "%s%s",
				 share ? "#same" : "#other", tail);
		}
		/* "/aa3": names unique in the file, so compare and report can read it. */
		strncat(cc->name, tag, sizeof(cc->name) - strlen(cc->name) - 1);
		cc->group = first;
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
	ret = gvb_compare_cases(res, &res->cases[first], &res->cases[first + 1], bo->alpha);
	/* The verdict every command gives this pair: the one estimator, paired. */
	if (!ret)
		ret = gvb_delta_compute(&res->cases[first], &res->cases[first + 1], GVB_METRIC_NS,
					bo->alpha, gvb_case_pairs_with(&res->cases[first],
								       &res->cases[first + 1]), d);
	return ret;
}

struct gvb_g { char s[32]; };

static struct gvb_g gvb_fmt_g(double x)
{
	struct gvb_g g;

	snprintf(g.s, sizeof(g.s), "%g", x);
	return g;
}

/* A comma list of at most @n numbers in [0.001, @max] into @out; how many. */
static unsigned int arg_doubles(const char *opt, const char *list, double *out, unsigned int n,
				double max)
{
	char *items[8], buf[256];
	unsigned int i, k;

	k = gvb_split_list(list, buf, sizeof(buf), items, min_t(unsigned int, n, ARRAY_SIZE(items)),
			   opt);
	for (i = 0; i < k; i++) {
		unsigned int j;

		out[i] = gvb_arg_double(opt, items[i], 0.001, max);
		/* Case names carry the effect as %g: equal there is the same case. */
		for (j = 0; j < i; j++)
			if (!strcmp(gvb_fmt_g(out[j]).s, gvb_fmt_g(out[i]).s))
				gvb_die_usage("%s: %s is given twice (each pair is run once)", opt,
					      items[i]);
	}
	return k;
}

int gvb_cmd_calibrate(int argc, char **argv)
{
	double delays[8] = { 0.25, 0.5, 1, 2 }, pcts[8] = { 0.5 }, layout_abs[64];
	unsigned int ndelays = 4, npcts = 1, pairs = 40, layout_pairs = 6, i, aa_sig = 0;
	unsigned int layout_sig = 0, aa_paired_sig = 0;
	const struct gvb_strategy_ops *ops = &gvb_strategy_resv;
	const struct gvb_workload *w = NULL;
	unsigned int ab_samples = 0;
	const char *out = NULL;
	struct bench_opts bo;
	struct gvb_result res;
	double resolved = NAN, t0;
	struct gvb_delta d;
	char tag[32];
	int c, ret = 0;

	bench_defaults(&bo);
	bo.alpha = 0.01;
	bo.run.samples = 60;
	bo.pair_seconds = 7;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:s:w:o:b:e:", gvb_bench_long_opts, NULL)) != -1) {
		if (bench_common_opt(c, optarg, &bo))
			continue;
		switch (c) {
		case 's': ops = gvb_arg_strategy(optarg, false); break;
		case 'w': w = gvb_arg_workload(optarg); break;
		case 'o': out = optarg; break;
		case OPT_DELAY:
			ndelays = arg_doubles("--delay-ns", optarg, delays, ARRAY_SIZE(delays), 1e6);
			break;
		case OPT_DELAY_PCT:
			npcts = arg_doubles("--delay-pct", optarg, pcts, ARRAY_SIZE(pcts), 100);
			break;
		case OPT_PAIRS: pairs = gvb_arg_u64("--pairs", optarg, 0, 1000, false); break;
		case OPT_PAIR_SECONDS:
			bo.pair_seconds = gvb_arg_double("--pair-seconds", optarg, 0.1, 600);
			break;
		case OPT_LAYOUT_PAIRS:
			layout_pairs = gvb_arg_u64("--layout-pairs", optarg, 0, ARRAY_SIZE(layout_abs),
					       false);
			break;
		case OPT_HELP:
			printf("usage: %s calibrate [--delay-ns X[,..]] [--delay-pct P[,..]] [--pairs N]\n"
			       "       [-s STRATEGY] [-w WORKLOAD] [--samples N] [--alpha X] [-o FILE]\n"
			       "  N A/A pairs (a strategy against itself, default %u) and one A/B pair\n"
			       "  per injected effect: B executes (1 + X/t) ops per reported op (t: A's\n"
			       "  ns/op in this run), so B is slower by X ns by construction; with P,\n"
			       "  by P%% of the op. Defaults: X = 0.25,0.5,1,2 ns and P = 0.5. A/B pairs\n"
			       "  sample for --pair-seconds (default %g). Reports the smallest effect\n"
			       "  resolved (paired p < alpha, default %g, and within 20%% of the truth).\n"
			       "  Strategy and workload default to %s and %s; --layout-pairs N\n"
			       "  A/A pairs on separate instances (default %u).\n",
			       gvb_prog, pairs, bo.pair_seconds, bo.alpha, ops->name, bo.workload,
			       layout_pairs);
			bench_common_help(stdout, &bo);
			return 0;
		default: gvb_die_option(c, argc, argv, "calibrate");
		}
	}
	if (optind < argc)
		gvb_die_usage("calibrate: unexpected argument '%s'", argv[optind]);
	ab_samples = 100000;	/* bounded by --pair-seconds */
	if (!w)
		w = gvb_arg_workload(bo.workload);
	if (bo.nengines > 1)
		gvb_die_usage("calibrate: -e takes one engine (a calibration pairs a case with itself; run it once per engine)");
	bench_check_applies(&bo, w, &ops, 1);
	if (out)
		gvb_check_outputs(out);

	if (bench_start(&res, &bo, argc, argv, "calibrate", true))
		return 1;
	if (bench_check_engines(&bo, w, &ops, 1))
		return bench_finish(&res, &bo, 1);
	if (bo.engines[0] != &gvb_engines[0])
		printf("engine: %s\n", bo.engines[0]->name);
	printf("calibrate: %s on %s, alpha %.3g; A/A %u samples, A/B ~%.0f s per pair, ~%.1f ms batches\n",
	       w->name, ops->name, bo.alpha, bo.run.samples, bo.pair_seconds, bo.run.batch_ms);
	printf("harness overhead (empty op): %.2f ns/op\n\n", res.meta.harness_ns_per_op);
	fflush(stdout);
	t0 = gvb_now_s();

	for (i = 0; i < pairs && !ret; i++) {
		if (isatty(STDERR_FILENO))
			fprintf(stderr, "\rcalibrate: A/A pair %u/%u", i + 1, pairs);
		snprintf(tag, sizeof(tag), "/aa%u", i);
		ret = calib_pair(&res, w, ops, &bo, 0, 0, true, bo.run.samples, 0x5eed + i, tag, &d);
		if (!ret) {
			aa_sig += res.cmps[res.ncmp - 1].significant;
			aa_paired_sig += d.significant;
		}
	}
	for (i = 0; i < layout_pairs && !ret; i++) {
		if (isatty(STDERR_FILENO))
			fprintf(stderr, "\rcalibrate: layout pair %u/%u", i + 1, layout_pairs);
		snprintf(tag, sizeof(tag), "/layout%u", i);
		ret = calib_pair(&res, w, ops, &bo, 0, 0, false, bo.run.samples, 0x1a7 + i, tag, &d);
		if (ret)
			break;
		layout_sig += d.significant;
		layout_abs[i] = fabs(d.pct);
	}
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\r%-60s\r", "");
	if (!ret && pairs)
		printf("A/A, same instance: paired (the verdict) %u of %u significant at alpha %.3g"
		       " (%.1f%% not); unpaired U test %u of %u (%.1f%% not)\n", aa_paired_sig, pairs,
		       bo.alpha, 100.0 * (pairs - aa_paired_sig) / pairs, aa_sig, pairs,
		       100.0 * (pairs - aa_sig) / pairs);
	if (!ret && layout_pairs)
		printf("A/A, separate instances (memory layout): %u of %u significant (paired), median |delta| %.2f%%\n"
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

		snprintf(tag, sizeof(tag), "/ab%u", i);
		ret = calib_pair(&res, w, ops, &bo, pct ? 0 : x, pct ? x : 0, true, ab_samples,
				 0xab + i, tag, &d);
		if (ret)
			break;
		cmp = &res.cmps[res.ncmp - 1];
		truth = res.cases[res.ncases - 1].injected_ns;
		ok = d.significant && fabs(d.delta - truth) <= 0.2 * truth;
		if (pct)
			snprintf(label, sizeof(label), "%g%% of op", x);
		else
			snprintf(label, sizeof(label), "%g ns", x);
		if (ok && (isnan(resolved) || truth < resolved))
			resolved = truth;
		printf("%-13s %6.3fns %6.3fns [%7.3f, %7.3f] ns %8.2g %8.2g %+6.1f%% %4.1fs %s\n",
		       label, truth, d.delta, d.ci_lo, d.ci_hi, d.p, cmp->p_value,
		       100.0 * (d.delta - truth) / truth, gvb_now_s() - pair_t0,
		       ok ? "resolved" : d.significant ? "significant, off by >20%" :
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
		ret = gvb_write_outputs(&res, out);
	return bench_finish(&res, &bo, ret);
}

