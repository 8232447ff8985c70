// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * empty: no GPUVM work at all, only the loop. It measures what the
 * harness itself costs per reported op (timers, batch bookkeeping, the
 * call into run()), which every other result then carries.
 */
#include "gvb_workload.h"

static int empty_run(struct gvb_wl_thread *t, u64 n)
{
	while (n--)
		barrier();	/* keeps the loop, and only the loop */
	return 0;
}

const struct gvb_workload gvb_wl_empty = {
	.name = "empty",
	.desc = "harness overhead: an op that does nothing",
	.op_desc = "nothing",
	.flags = GVB_WL_HIDDEN,
	.defaults = { .threads = 1, .size = SZ_4K },
	.run = empty_run,
};
