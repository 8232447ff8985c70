/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The gvbench commands that read result files instead of running
 * anything. Each takes main()'s argc/argv shifted by one (argv[0] is the
 * command name) and returns the process exit status: 0, 1 for bad input
 * (a missing or invalid result file, a failed gnuplot), 2 for bad usage.
 */
#ifndef GVB_COMMANDS_H
#define GVB_COMMANDS_H

/* gvbench compare BASE NEW | gvbench compare RUN --base STRATEGY */
int gvb_cmd_compare(int argc, char **argv);
/* gvbench report DIR|FILE: the resv question, as text for a mail */
int gvb_cmd_report(int argc, char **argv);
/* gvbench plot DIR|FILE [-o OUTDIR] [--term png|svg|dumb] */
int gvb_cmd_plot(int argc, char **argv);

#endif /* GVB_COMMANDS_H */
