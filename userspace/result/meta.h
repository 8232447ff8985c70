/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The provenance block of a result: what ran, where, built how, when.
 */
#ifndef GVB_META_H
#define GVB_META_H

#include <stddef.h>
#include <stdio.h>

#include "result/result.h"

/*
 * Clears @m and fills everything this process can know by itself:
 * tool_version, backend "user", backend_mode "inline", kernel, cpu_model,
 * cores, compiler, cflags, date, command, alpha 0.05 and
 * harness_ns_per_op NaN. mode and perf_note are left empty for the runner.
 */
void gvb_meta_fill(struct gvb_meta *m, int argc, char **argv);

/*
 * UML runs the module's instructions natively, but its scheduler is
 * tick-based, each guest syscall costs ~20 us and its clock steps by
 * 256 ns: only single-thread batch-mode ratios are kernel numbers there.
 * For a result made in UML, prints which numbers to trust and a warning
 * for this result's mode when it is one of the others; nothing elsewhere.
 */
void gvb_meta_print_caveats(FILE *f, const struct gvb_meta *m);

#endif /* GVB_META_H */
