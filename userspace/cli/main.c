// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * gvbench: the command-line front end. One table of commands gives both
 * the usage text and the dispatch, as perf bench does; each command lives
 * in its own file and parses its own options.
 *
 * Data goes to stdout or files; progress goes to stderr. Every bad
 * argument gets one line saying what was wrong and what to do, and a
 * nonzero exit before anything runs.
 */
#include <string.h>

#include "cli/cli.h"

static const struct gvb_cmd gvb_cmds[] = {
	{ "list", "strategies, workloads, backends, engines, page-table formats", gvb_cmd_list },
	{ "run", "measure strategies on one workload (interleaved)", gvb_cmd_run },
	{ "sweep", "the default matrix: strategies x main workloads x threads", gvb_cmd_sweep },
	{ "calibrate", "what this machine can resolve: A/A and injected A/B pairs",
	  gvb_cmd_calibrate },
	{ "compare", "benchstat-style table: BASE vs NEW, or RUN --base STRATEGY",
	  gvb_cmd_compare },
	{ "report", "the resv question answered, from one result or a fleet, as mail text",
	  gvb_cmd_report },
	{ "plot", "gnuplot: throughput, latency, delta plots; the fleet chart",
	  gvb_cmd_plot },
	{ "torture", "random VM_BIND traffic with invariant checks: SUCCESS or FAILURE",
	  gvb_cmd_torture },
	{ "lava", "a result as LAVA test-case lines: ns/op per case, delta vs resv", gvb_cmd_lava },
	{ NULL, NULL, NULL },
};

static void usage(FILE *f)
{
	const struct gvb_cmd *cmd;

	fprintf(f, "usage: %s COMMAND [options]\n", gvb_prog);
	for (cmd = gvb_cmds; cmd->name; cmd++)
		fprintf(f, "  %-20s %s\n", cmd->name, cmd->summary);
	fprintf(f, "'%s COMMAND --help' shows each command's options.\n", gvb_prog);
}

int main(int argc, char **argv)
{
	const struct gvb_cmd *cmd;
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
	for (cmd = gvb_cmds; cmd->name; cmd++)
		if (!strcmp(argv[1], cmd->name))
			break;
	if (!cmd->name && argv[1][0] == '-')
		gvb_die_usage("option '%s' before the command: options go after it ('%s COMMAND [options]', see '%s --help')",
			      argv[1], gvb_prog, gvb_prog);
	if (!cmd->name)
		gvb_die_usage("unknown command '%s' (try '%s --help')", argv[1], gvb_prog);
	ret = cmd->fn(argc - 1, argv + 1);
	gvb_core_exit();
	compat_wq_shutdown();
	return ret;
}
