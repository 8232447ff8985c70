/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Raw ioctls for the guest programs that need what kmod_client.c does not
 * wrap: GVBENCH_IOC_TORTURE and GVBENCH_IOC_FAULT (ABI 1.1), and arguments
 * as the caller builds them.
 */
#ifndef GVB_KMOD_IOC_H
#define GVB_KMOD_IOC_H

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "uapi/gvbench.h"

/* Sets argsz to the struct size the command states; 0 or -errno. */
static inline int ioc(int fd, unsigned long cmd, void *arg)
{
	*(__u32 *)arg = _IOC_SIZE(cmd);
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

/* Arms the nth-allocation failure for this task (0 disarms); @prev gets the last arming's result. */
static inline int fault_arm(int fd, unsigned int nth, struct gvbench_fault *prev)
{
	struct gvbench_fault a;
	int ret;

	memset(&a, 0, sizeof(a));
	a.flags = GVBENCH_FAULT_ARM;
	a.nth = nth;
	ret = ioc(fd, GVBENCH_IOC_FAULT, &a);
	if (prev)
		*prev = a;
	return ret;
}

/* The module's live allocations, or LLONG_MIN if FAULT is missing. */
static inline long long fault_live(int fd)
{
	struct gvbench_fault a;

	memset(&a, 0, sizeof(a));
	return ioc(fd, GVBENCH_IOC_FAULT, &a) ? (-0x7fffffffffffffffLL - 1) : a.live;
}

#endif /* GVB_KMOD_IOC_H */
