// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * libFuzzer target: the result-file reader, gvb_result_read_json() of the
 * public header result.h. Any input must be either accepted or refused
 * with an error message, never crash, leak or hang; an accepted one is
 * written back out and must read again (the writer and the reader agree).
 * The input reaches the reader as a file, which is its only interface,
 * through a memfd; the writer replaces files by renaming a temporary one
 * beside them, so its copy goes to a private directory in /dev/shm (or
 * /tmp), removed at exit.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "result/result.h"

static int memfd_with(const uint8_t *data, size_t size, char *path, size_t len)
{
	int fd = memfd_create("fuzz-result", 0);

	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, len, "/proc/self/fd/%d", fd);
	return fd;
}

static char dir[64], copy[96];

static void remove_dir(void)
{
	unlink(copy);
	rmdir(dir);
}

static const char *copy_path(void)
{
	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/dev/shm/fuzz_result.XXXXXX");
		if (!mkdtemp(dir)) {
			snprintf(dir, sizeof(dir), "/tmp/fuzz_result.XXXXXX");
			if (!mkdtemp(dir))
				abort();
		}
		snprintf(copy, sizeof(copy), "%s/copy.json", dir);
		atexit(remove_dir);
	}
	return copy;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], err[256];
	struct gvb_result r, again;
	const char *path2;
	int fd;

	fd = memfd_with(data, size, path, sizeof(path));
	gvb_result_init(&r);
	err[0] = '\0';
	if (gvb_result_read_json(&r, path, err, sizeof(err))) {
		/* Refused: it must say why. */
		if (!err[0])
			abort();
	} else {
		path2 = copy_path();
		if (gvb_result_write_json(&r, path2, err, sizeof(err))) {
			fprintf(stderr, "fuzz_result: cannot write what was read: %s\n", err);
			abort();
		}
		gvb_result_init(&again);
		if (gvb_result_read_json(&again, path2, err, sizeof(err))) {
			fprintf(stderr, "fuzz_result: the reader refuses what the writer wrote: %s\n",
				err);
			abort();
		}
		gvb_result_free(&again);
	}
	gvb_result_free(&r);
	close(fd);
	return 0;
}
