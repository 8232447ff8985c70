/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * A tiny test harness: CHECK() counts and reports, the suite ends with one
 * "N passed, N failed" line and a nonzero exit status on any failure.
 */
#ifndef GVB_TEST_H
#define GVB_TEST_H

#include <stdio.h>
#include <stdlib.h>

static unsigned long gvb_test_passed, gvb_test_failed;

#define CHECK(cond, ...)							\
	do {									\
		if (cond) {							\
			gvb_test_passed++;					\
		} else {							\
			gvb_test_failed++;					\
			fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, " " __VA_ARGS__);			\
			fputc('\n', stderr);					\
		}								\
	} while (0)

/* For loops that would otherwise print a million failures. */
#define CHECK_OR_RETURN(cond, ret, ...)						\
	do {									\
		CHECK(cond, __VA_ARGS__);					\
		if (!(cond))							\
			return ret;						\
	} while (0)

static inline int gvb_test_done(const char *suite)
{
	printf("%s: %lu passed, %lu failed\n", suite, gvb_test_passed, gvb_test_failed);
	return gvb_test_failed ? 1 : 0;
}

#endif /* GVB_TEST_H */
