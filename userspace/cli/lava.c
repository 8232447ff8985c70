// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * gvbench lava FILE|DIR: a result as LAVA test cases, one signal line each,
 * the line lava-test-case itself prints:
 *
 *   <LAVA_SIGNAL_TESTCASE TEST_CASE_ID=ID RESULT=pass UNITS=U MEASUREMENT=X>
 *
 * One case per measured case (its median hot-path ns/op), then one per
 * comparison with the resv case of its group (the delta in % of resv's
 * median, by the one estimator: paired by round within an interleaved
 * group, as compare --base and report). A lava-test-shell on a board turns
 * these lines into results as they are; the initramfs-only QEMU job of
 * scripts/lava-job matches them with a `test: monitors:` regex.
 *
 * IDs are the case names with '/' as '.' and anything outside [A-Za-z0-9._-]
 * as '_' (LAVA folds IDs to that alphabet anyway), and ".vs-resv" for a
 * comparison: "map-unmap.resv_gpuva.t1.vs-resv". A case without a finite
 * sample is RESULT=fail with no measurement. A significance verdict is no
 * LAVA result: the p-value and CI stay in the result files the job keeps.
 */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "result/resultset.h"

#define LAVA_BASE	"resv"

static void lava_id(char *buf, size_t len, const char *name, const char *suffix)
{
	size_t i;

	snprintf(buf, len, "%s%s", name, suffix);
	for (i = 0; buf[i]; i++) {
		char ch = buf[i];

		if (ch == '/')
			buf[i] = '.';
		else if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			   (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-'))
			buf[i] = '_';
	}
}

static void signal_line(const char *id, double value, const char *units)
{
	if (isfinite(value))
		printf("<LAVA_SIGNAL_TESTCASE TEST_CASE_ID=%s RESULT=pass UNITS=%s MEASUREMENT=%.3f>\n",
		       id, units, value);
	else
		printf("<LAVA_SIGNAL_TESTCASE TEST_CASE_ID=%s RESULT=fail>\n", id);
}

static int lava_comparisons(const struct gvb_rset *s, double alpha)
{
	unsigned int i;

	for (i = 0; i < s->ncases; i++) {
		const struct gvb_case *c = s->cases[i], *b = gvb_rset_base_of(s, LAVA_BASE, c);
		struct gvb_delta d;
		char id[192];

		if (!b || b == c)
			continue;
		if (gvb_delta_compute(b, c, GVB_METRIC_NS, alpha, gvb_rset_paired(s, b, c), &d))
			return -ENOMEM;
		lava_id(id, sizeof(id), c->name, ".vs-" LAVA_BASE);
		signal_line(id, d.pct, "%");
	}
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: %s lava FILE|DIR\n"
		"  FILE, DIR  a result JSON, or a directory: all its *.json together\n"
		"One LAVA test-case signal line per case (median ns/op) and per comparison\n"
		"with the resv case of its group (delta in %%, paired within a group), as\n"
		"lava-test-case prints them; see scripts/lava-job.\n", gvb_prog);
}

int gvb_cmd_lava(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct gvb_rset s = { 0 };
	char err[1024], id[192];
	unsigned int i;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (c != 'h')
			gvb_die_option(c, argc, argv, "lava");
		usage(stdout);
		return 0;
	}
	if (argc - optind != 1)
		gvb_die_usage("lava: needs one result file or directory (see '%s lava --help')",
			      gvb_prog);
	if (gvb_rset_load(&s, argv[optind], err, sizeof(err)) ||
	    gvb_rset_need_samples(&s, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", gvb_prog, err);
		gvb_rset_free(&s);
		return 1;
	}
	for (i = 0; i < s.ncases; i++) {
		lava_id(id, sizeof(id), s.cases[i]->name, "");
		signal_line(id, s.cases[i]->nsamples ? s.cases[i]->ns_per_op_sum.median : NAN,
			    "ns/op");
	}
	if (lava_comparisons(&s, gvb_rset_alpha(&s))) {
		fprintf(stderr, "%s: out of memory\n", gvb_prog);
		gvb_rset_free(&s);
		return 1;
	}
	gvb_rset_free(&s);
	return 0;
}
