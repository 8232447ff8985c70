// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * libFuzzer target: the vectors-file reader of gvb-vectors
 * (userspace/tools/gvb_vectors.c, whose main() is compiled here as
 * gvb_vectors_main()). Any input must end in exit status 0, 1 (a
 * mismatch) or 2 (a malformed file), never a crash, a leak, a hang or a
 * WARN. The input reaches it as a file through a memfd.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "compat.h"

int gvb_vectors_main(int argc, char **argv);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int quiet;
	char path[64], name[] = "gvb-vectors";
	char *argv[] = { name, path, NULL };
	unsigned long warns = compat_warn_count();
	int fd, rc;

	if (!quiet) {
		/* Its per-file summary on stdout would drown libFuzzer's own output. */
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0)
			dup2(null, STDOUT_FILENO);
		quiet = 1;
	}
	fd = memfd_create("fuzz-vectors", 0);
	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size))
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	rc = gvb_vectors_main(2, argv);
	close(fd);
	if (rc < 0 || rc > 2 || compat_warn_count() != warns)
		abort();
	return 0;
}
