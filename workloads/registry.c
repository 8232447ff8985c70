// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The workload registry. Adding a workload is one file and one line here.
 */
#include "gvb_workload.h"

extern const struct gvb_workload gvb_wl_map_unmap, gvb_wl_bind_many, gvb_wl_shared_bo,
	gvb_wl_vm_bo_churn, gvb_wl_remap_split, gvb_wl_evict_walk, gvb_wl_sparse,
	gvb_wl_fence_path, gvb_wl_sparse_bind, gvb_wl_lock_pair, gvb_wl_empty;

const struct gvb_workload *const gvb_workloads[] = {
	&gvb_wl_map_unmap,
	&gvb_wl_bind_many,
	&gvb_wl_shared_bo,
	&gvb_wl_vm_bo_churn,
	&gvb_wl_remap_split,
	&gvb_wl_evict_walk,
	&gvb_wl_sparse,
	&gvb_wl_fence_path,
	&gvb_wl_sparse_bind,
	&gvb_wl_lock_pair,
	&gvb_wl_empty,
	NULL,
};
