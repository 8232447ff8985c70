/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Every workload, one line each, in the order `gvbench list` shows them.
 * GVB_WORKLOAD(x) names the const struct gvb_workload gvb_wl_x that
 * workloads/x.c defines. Includers define GVB_WORKLOAD() first; this file
 * expands it once per line and undefines it. The build picks up every
 * .c file of workloads/ by itself, so a new workload is its file plus its line here.
 */
GVB_WORKLOAD(map_unmap)
GVB_WORKLOAD(bind_many)
GVB_WORKLOAD(shared_bo)
GVB_WORKLOAD(vm_bo_churn)
GVB_WORKLOAD(remap_split)
GVB_WORKLOAD(evict_walk)
GVB_WORKLOAD(sparse)
GVB_WORKLOAD(fence_path)
GVB_WORKLOAD(lock_pair)
GVB_WORKLOAD(empty)

#undef GVB_WORKLOAD
