/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * TAP lines for the guest test programs: "ok N - what" or "not ok N -
 * what: got E, want E", counted for the closing "N passed, M failed".
 */
#ifndef GVB_KMOD_TAP_H
#define GVB_KMOD_TAP_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

static unsigned int npass, nfail;

static void check(const char *what, int got, int want)
{
	if (got == want) {
		npass++;
		printf("ok %u - %s\n", npass + nfail, what);
	} else {
		nfail++;
		printf("not ok %u - %s: got %d (%s), want %d (%s)\n", npass + nfail, what, got,
		       got ? strerror(-got) : "success", want, want ? strerror(-want) : "success");
	}
	fflush(stdout);
}

static inline void check_true(const char *what, int cond)
{
	check(what, cond ? 0 : -EINVAL, 0);
}

#endif /* GVB_KMOD_TAP_H */
