/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Plain helpers every layer may use: one-line usage errors, strict number
 * parsing, mkdir -p, clocks, and numbers formatted for people. Nothing here
 * knows about workloads, backends or results.
 */
#ifndef GVB_UTIL_H
#define GVB_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The program name in messages ("gvbench"). */
extern const char *gvb_prog;

/* Prints "gvbench: <message>" and exits 2. */
void __attribute__((noreturn, format(printf, 1, 2))) gvb_die_usage(const char *fmt, ...);
/* Strict: no sign, no garbage, no overflow; K/M/G suffixes if @suffixes. */
int gvb_parse_u64(const char *s, uint64_t *out, bool suffixes);
/* mkdir -p: 0 or a negative errno. */
int gvb_make_dirs(const char *dir);
/* "712ns", "1.25us", "3.1ms": three significant digits, unit scaled. */
void gvb_fmt_ns(char *buf, size_t len, double ns);
/* CLOCK_MONOTONIC in seconds and in nanoseconds. */
double gvb_now_s(void);
uint64_t gvb_now_ns(void);
/* CPU time of the calling thread, ns. */
uint64_t gvb_thread_cpu_ns(void);

#endif /* GVB_UTIL_H */
