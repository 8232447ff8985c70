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
#include <linux/io.h>
#include <linux/jump_label.h>		/* virt_to_phys(), phys_to_virt() */
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
#include <linux/version.h>

/*
 * The unbound system workqueue, where deferred vm_bo puts and cleanups run.
 * 6.17 named it system_dfl_wq, and newer kernels warn once when work is
 * queued on the old name; older kernels have only the old one.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 17, 0)
#define gvb_unbound_wq		system_dfl_wq
#else
#define gvb_unbound_wq		system_unbound_wq
#endif
#include <linux/ww_mutex.h>
#include <asm/page.h>

/* Page-table pages: physical addresses go into descriptors. */
#define gvb_virt_to_phys(p)	virt_to_phys(p)
#define gvb_phys_to_virt(pa)	phys_to_virt(pa)

/*
 * Lock accounting (core/gvb_count.h) is off in every timed batch. In the
 * kernel the test is a static branch: a NOP in the instruction stream until
 * a counting pass patches it, so timed code reads no flag at all.
 */
DECLARE_STATIC_KEY_FALSE(gvb_count_key);
#define GVB_DEFINE_COUNT_KEY		DEFINE_STATIC_KEY_FALSE(gvb_count_key)
#define gvb_count_enabled()		static_branch_unlikely(&gvb_count_key)
#define gvb_count_enable()		static_branch_enable(&gvb_count_key)
#define gvb_count_disable()		static_branch_disable(&gvb_count_key)
#define gvb_count_task()		((const void *)current)

#ifdef GVB_FAULT_INJECT
#include <linux/percpu.h>
#include <linux/stringify.h>
/*
 * gvbench.ko's allocation-failure injection and leak count (kmod/gvb_fault.c),
 * the module's equivalent of the userspace allocator's compat_fail_nth():
 * every allocation and free of the shared code and of the module itself goes
 * through these wrappers. An allocation fails when it is the nth one made by
 * the task that armed the injection (GVBENCH_IOC_FAULT); live allocations are
 * counted per CPU. All of it sits behind a static key that only the module
 * parameter fault_inject=1 turns on, at load and for good: a module loaded
 * to measure runs a NOP there, not a compare and a per-CPU add (on UML each
 * this_cpu op toggles interrupts, two host syscalls: 10x a map+unmap). The
 * kernel's own fault injection (fail-nth) needs CONFIG_FAULT_INJECTION,
 * which the stock distribution kernels do not have.
 */
DECLARE_STATIC_KEY_FALSE(gvb_fault_key);
extern struct task_struct *gvb_fault_task;
DECLARE_PER_CPU(long, gvb_fault_live);
bool gvb_fault_fail_slow(const char *site);

#define GVB_FAULT_SITE		(__FILE__ ":" __stringify(__LINE__))

static __always_inline bool gvb_fault_fail(const char *site)
{
	return static_branch_unlikely(&gvb_fault_key) &&
	       unlikely(READ_ONCE(gvb_fault_task) == current) && gvb_fault_fail_slow(site);
}

static __always_inline void *gvb_fault_track(void *p)
{
	if (static_branch_unlikely(&gvb_fault_key) && p)
		this_cpu_inc(gvb_fault_live);
	return p;
}

static __always_inline void gvb_fault_untrack(const void *p)
{
	if (static_branch_unlikely(&gvb_fault_key) && p)
		this_cpu_dec(gvb_fault_live);
}

/* The real calls, taken before the names are redefined below. */
static inline void *gvb_real_kmalloc(size_t n, gfp_t gfp) { return kmalloc(n, gfp); }
static inline void *gvb_real_kzalloc(size_t n, gfp_t gfp) { return kzalloc(n, gfp); }
static inline void *gvb_real_kcalloc(size_t n, size_t size, gfp_t gfp)
{
	return kcalloc(n, size, gfp);
}
static inline void *gvb_real_kvmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	return kvmalloc_array(n, size, gfp);
}
static inline void *gvb_real_kvzalloc(size_t n, gfp_t gfp) { return kvzalloc(n, gfp); }
static inline void *gvb_real_kmem_cache_zalloc(struct kmem_cache *c, gfp_t gfp)
{
	return kmem_cache_zalloc(c, gfp);
}
static inline void *gvb_real_kmem_cache_alloc(struct kmem_cache *c, gfp_t gfp)
{
	return kmem_cache_alloc(c, gfp);
}
static inline unsigned long gvb_real_get_zeroed_page(gfp_t gfp) { return get_zeroed_page(gfp); }
static inline void gvb_real_kfree(const void *p) { kfree(p); }
static inline void gvb_real_kvfree(const void *p) { kvfree(p); }
static inline void gvb_real_kmem_cache_free(struct kmem_cache *c, void *p)
{
	kmem_cache_free(c, p);
}
static inline void gvb_real_free_page(unsigned long addr) { free_page(addr); }

static __always_inline unsigned long gvb_fault_page(const char *site, gfp_t gfp)
{
	return (unsigned long)gvb_fault_track(gvb_fault_fail(site) ? NULL :
					      (void *)gvb_real_get_zeroed_page(gfp));
}

#undef kmalloc
#undef kzalloc
#undef kcalloc
#undef kvmalloc_array
#undef kvzalloc
#undef kmem_cache_zalloc
#undef kmem_cache_alloc
#undef get_zeroed_page
#undef kfree
#undef kvfree
#undef kmem_cache_free
#undef free_page
#define gvb_fault_alloc(call)	gvb_fault_track(gvb_fault_fail(GVB_FAULT_SITE) ? NULL : (call))
#define kmalloc(n, gfp)		gvb_fault_alloc(gvb_real_kmalloc(n, gfp))
#define kzalloc(n, gfp)		gvb_fault_alloc(gvb_real_kzalloc(n, gfp))
#define kcalloc(n, size, gfp)	gvb_fault_alloc(gvb_real_kcalloc(n, size, gfp))
#define kvmalloc_array(n, size, gfp) gvb_fault_alloc(gvb_real_kvmalloc_array(n, size, gfp))
#define kvzalloc(n, gfp)	gvb_fault_alloc(gvb_real_kvzalloc(n, gfp))
#define kmem_cache_zalloc(c, gfp) gvb_fault_alloc(gvb_real_kmem_cache_zalloc(c, gfp))
#define kmem_cache_alloc(c, gfp) gvb_fault_alloc(gvb_real_kmem_cache_alloc(c, gfp))
#define get_zeroed_page(gfp)	gvb_fault_page(GVB_FAULT_SITE, gfp)
#define kfree(p)		({ const void *_p = (p); gvb_fault_untrack(_p); gvb_real_kfree(_p); })
#define kvfree(p)		({ const void *_p = (p); gvb_fault_untrack(_p); gvb_real_kvfree(_p); })
#define kmem_cache_free(c, p)	({ void *_p = (p); gvb_fault_untrack(_p); \
				   gvb_real_kmem_cache_free(c, _p); })
#define free_page(a)		({ unsigned long _a = (a); gvb_fault_untrack((void *)_a); \
				   gvb_real_free_page(_a); })
#endif /* GVB_FAULT_INJECT */
#else
#include "compat.h"

#define gvb_unbound_wq		system_unbound_wq

/*
 * Userspace has no code patching: the test is one load of a read-mostly
 * flag and a not-taken branch; the counters themselves are not touched.
 */
extern bool gvb_count_flag;
#define GVB_DEFINE_COUNT_KEY		bool gvb_count_flag
#define gvb_count_enabled()		unlikely(READ_ONCE(gvb_count_flag))
#define gvb_count_enable()		WRITE_ONCE(gvb_count_flag, true)
#define gvb_count_disable()		WRITE_ONCE(gvb_count_flag, false)
#define gvb_count_task()		compat_current()
#endif

#include "gvb_rand.h"

#endif /* GVB_SEAM_H */
