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
#include "result.h"

extern const char *gvb_prog;

/* Prints "gvbench: <message>" and exits 2. */
void __attribute__((noreturn, format(printf, 1, 2))) gvb_die_usage(const char *fmt, ...);
/* For getopt's ':' (missing value) and '?' (unknown option): one line, exit 2. */
void __attribute__((noreturn)) gvb_die_option(int c, int argc, char **argv, const char *cmd);
/* Strict: no sign, no garbage, no overflow; K/M/G suffixes if @suffixes. */
int gvb_parse_u64(const char *s, u64 *out, bool suffixes);

/* mkdir -p: 0 or a negative errno. */
int gvb_make_dirs(const char *dir);
/* "712ns", "1.25us", "3.1ms": three significant digits, unit scaled. */
void gvb_fmt_ns(char *buf, size_t len, double ns);
/* "+3.90% (p=0.000 n=30)" or "~ (p=0.450 n=30)". */
void gvb_fmt_pvalue(char *buf, size_t len, const struct gvb_comparison *c);
/* The setup line that precedes any number. */
void gvb_print_setup(FILE *f, const struct gvb_meta *m);

#endif /* GVB_CLI_H */
