// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The small pieces of the shim: WARN/BUG, the thread identity and lock
 * counters that the lockdep-style checks use, and time.
 */
#include <time.h>

#include "compat.h"

static atomic_ulong warn_count;

/*
 * The address of a thread-local object is a cheap identity that is unique
 * among live threads, which is all `current` is used for here.
 */
static __thread char current_tag;
__thread int compat_tls_held_locks;
__thread int compat_tls_atomic_depth;

void compat_warn(const char *file, int line, const char *cond)
{
	atomic_fetch_add_explicit(&warn_count, 1, memory_order_relaxed);
	fprintf(stderr, "WARNING: %s:%d: %s\n", file, line, cond);
}

unsigned long compat_warn_count(void)
{
	return atomic_load_explicit(&warn_count, memory_order_relaxed);
}

void compat_bug(const char *file, int line, const char *cond)
{
	fprintf(stderr, "BUG: %s:%d: %s\n", file, line, cond);
	abort();
}

const void *compat_current(void)
{
	return &current_tag;
}

void compat_lockdep_fail(const char *file, int line, const char *what)
{
	/* One fprintf: stderr is unbuffered, glibc still writes the line at once. */
	fprintf(stderr, "lockdep: %s:%d: %s\n", file, line, what);
	abort();
}

int compat_held_locks(void)
{
	return compat_tls_held_locks;
}

int compat_atomic_depth(void)
{
	return compat_tls_atomic_depth;
}

u64 ktime_get_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

/* Busy-waits, like the kernel's ndelay(): it models time spent on a CPU. */
void ndelay(unsigned long ns)
{
	u64 start = ktime_get_ns();

	while (ktime_get_ns() - start < ns)
		cpu_relax();
}
