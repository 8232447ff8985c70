/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Internal interfaces of gvbench.ko: the ioctl glue (gvb_ioctl.c), the
 * self-test (gvb_selftest.c) and the module/misc-device setup (gvb_main.c).
 */
#ifndef GVB_KMOD_H
#define GVB_KMOD_H

#include <linux/fs.h>
#include <linux/xarray.h>

#include "gvb_workload.h"
#include "uapi/gvbench.h"

/* Module parameter: lets VM_CREATE/BO_CREATE/WL_CREATE pick the broken strategy. */
extern bool gvb_allow_broken;

/*
 * Per open file of /dev/gvbench. Each object type has its own handle space,
 * so a handle of the wrong type is simply not found.
 */
struct gvb_file {
	struct xarray vms;	/* struct gvb_kvm */
	struct xarray bos;	/* struct gvb_bo, holding the handle's reference */
	struct xarray wls;	/* struct gvb_kwl */
	/* Cyclic allocation: a destroyed handle is not handed out again soon. */
	u32 next_vm, next_bo, next_wl;
};

int gvb_file_open(struct gvb_file *f);
void gvb_file_close(struct gvb_file *f);
long gvb_file_ioctl(struct gvb_file *f, unsigned int cmd, unsigned long arg);

/*
 * Runs every self-test, printing KTAP to the kernel log and, if @buf is not
 * NULL, into @buf too (truncated at @len). Returns the number of failed
 * tests; *@passed gets the passed ones.
 */
int gvb_selftest_run(char *buf, size_t len, unsigned int *passed);

/* GVBENCH_IOC_TORTURE after argument checks (gvb_ktorture.c). */
int gvb_ktorture_run(const struct gvb_strategy_ops *ops, struct gvbench_torture *a);

/* Allocation-failure injection (gvb_fault.c; the wrappers are in core/gvb_seam.h). */
void gvb_fault_query(struct gvbench_fault *a);
long gvb_fault_live_count(void);
void gvb_fault_disarm(void);
/*
 * Teardown (a VM unmapping everything, a workload's fini) has no way to
 * report -ENOMEM, and the small GFP_KERNEL allocations it makes do not fail
 * in the kernel; an injected failure there would only leak. The calling
 * task's injection is held across it.
 */
struct task_struct *gvb_fault_hold(void);
void gvb_fault_unhold(struct task_struct *held);

#endif /* GVB_KMOD_H */
