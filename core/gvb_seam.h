/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The one seam between the two worlds.
 *
 * Everything under core/, strategies/ and workloads/ is written against a
 * small subset of the kernel API and includes only this header for it. In
 * the kernel module that subset is the real kernel API; in userspace it is
 * userspace/compat/compat.h, which implements the same names with the same
 * semantics (and documents where they differ). This is the only place in
 * the tree that tests __KERNEL__.
 */
#ifndef GVB_SEAM_H
#define GVB_SEAM_H

#ifdef __KERNEL__
#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/delay.h>
#include <linux/dma-resv.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/io.h>		/* virt_to_phys(), phys_to_virt() */
#include <linux/kernel.h>
#include <linux/kref.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/ww_mutex.h>
#include <asm/page.h>

/* Page-table pages: physical addresses go into descriptors. */
#define gvb_virt_to_phys(p)	virt_to_phys(p)
#define gvb_phys_to_virt(pa)	phys_to_virt(pa)
#else
#include "compat.h"
#endif

#include "gvb_rand.h"

#endif /* GVB_SEAM_H */
