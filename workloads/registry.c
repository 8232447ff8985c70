// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The workload registry, generated from workloads/list.h.
 */
#include "gvb_workload.h"

#define GVB_WORKLOAD(x)	extern const struct gvb_workload gvb_wl_##x;
#include "list.h"

const struct gvb_workload *const gvb_workloads[] = {
#define GVB_WORKLOAD(x)	&gvb_wl_##x,
#include "list.h"
	NULL,
};
