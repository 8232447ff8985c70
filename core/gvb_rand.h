/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The one pseudo-random generator of the tree: splitmix64 (Steele, Lea and
 * Flood, 2014). One u64 of state, seeded by the caller, so every run of a
 * test or workload sees the same numbers in the kernel and in userspace.
 * Not for anything that must be unpredictable.
 */
#ifndef GVB_RAND_H
#define GVB_RAND_H

static inline u64 gvb_rand64(u64 *state)
{
	u64 z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

#endif /* GVB_RAND_H */
