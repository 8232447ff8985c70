/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The C side of gvbench-gbench: a table of cases built from the strategy
 * and workload registries, and thin wrappers over gvb_batcher, so that the
 * C++ front end never includes the core's headers. Plain C types only.
 */
#ifndef GVB_GBENCH_CASES_H
#define GVB_GBENCH_CASES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct gvb_batcher;

/* gvb_core_init() and the case table. 0, or a negative errno. */
int gvb_gb_init(void);
void gvb_gb_exit(void);

/* Valid after gvb_gb_init(): every non-broken strategy x visible workload x t1/t2/t4. */
unsigned int gvb_gb_ncases(void);
/* "workload/strategy/tN" */
const char *gvb_gb_case_name(unsigned int i);
unsigned int gvb_gb_case_threads(unsigned int i);

/*
 * One workload instance of case @i with its worker threads. 0, or a
 * negative errno with a one-line reason in @err.
 */
int gvb_gb_create(unsigned int i, struct gvb_batcher **b, char *err, size_t errlen);
/* One timed batch of @n ops on every thread: mean over threads of ns/op. */
int gvb_gb_run(struct gvb_batcher *b, uint64_t n, double *ns_per_op);
void gvb_gb_destroy(struct gvb_batcher *b);

#ifdef __cplusplus
}
#endif

#endif /* GVB_GBENCH_CASES_H */
