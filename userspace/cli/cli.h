/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Helpers shared by the gvbench commands: argument parsing with one-line
 * errors, and the formatting of numbers for people.
 */
#ifndef GVB_CLI_H
#define GVB_CLI_H

#include <stdarg.h>
#include <stdio.h>

#include "gvb_workload.h"
#include "lib/util.h"
#include "result/result.h"

/* For getopt's ':' (missing value) and '?' (unknown option): one line, exit 2. */
void __attribute__((noreturn)) gvb_die_option(int c, int argc, char **argv, const char *cmd);

/* "+3.90% (p=0.000 n=30)" or "~ (p=0.450 n=30)". */
void gvb_fmt_pvalue(char *buf, size_t len, const struct gvb_comparison *c);
/* The setup line that precedes any number. */
void gvb_print_setup(FILE *f, const struct gvb_meta *m);

#endif /* GVB_CLI_H */
