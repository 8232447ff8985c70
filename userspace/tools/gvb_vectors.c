// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * gvb-vectors FILE: replays split/merge vectors recorded from the kernel's
 * own drm_gpuvm (format: tests/data/README.md) through our real map and
 * unmap paths, and compares every emitted step and the tree after each op.
 * The checking is core/gvb_vectors.c, which the module's self-test shares.
 *
 * Prints "N ops, M mismatches", plus the first mismatch in full, and exits
 * 1 on any mismatch, 2 on a usage error or a malformed file (a record that
 * does not parse, an op without its steps or tree, a truncated sequence,
 * a record past one of the checker's limits), whether or not mismatches
 * came before it. Lines may be of any length.
 */
#include <stdio.h>
#include <stdlib.h>

#include "gvb_vectors.h"

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

int main(int argc, char **argv)
{
	static struct gvb_vec v;
	char *line = NULL;
	size_t cap = 0;
	unsigned long mismatches = 0, lineno = 0;
	int rc = 2;
	FILE *f;

	/* Static for its size; zeroed because the fuzz target calls main() again. */
	memset(&v, 0, sizeof(v));
	if (argc != 2) {
		fprintf(stderr, "usage: gvb-vectors FILE (e.g. tests/data/drm_gpuvm_sm_7.3.4.txt)\n");
		return 2;
	}
	f = fopen(argv[1], "r");
	if (!f) {
		fprintf(stderr, "gvb-vectors: cannot open %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	if (gvb_core_init()) {
		fprintf(stderr, "gvb-vectors: out of memory\n");
		fclose(f);
		return 2;
	}

	while (getline(&line, &cap, f) >= 0) {
		unsigned int i;
		int ret;

		lineno++;
		chomp(line);
		ret = gvb_vec_feed(&v, line);
		if (ret == -ENOMEM) {
			fprintf(stderr, "gvb-vectors: out of memory\n");
			goto fail;
		}
		if (ret < 0) {
			fprintf(stderr, "gvb-vectors: %s:%lu: %s: %.200s\n", argv[1], lineno,
				v.reason, line);
			goto fail;
		}
		if (!ret || mismatches++)
			continue;
		printf("first mismatch: %s:%lu (seq %ld): %s\n", argv[1], lineno, v.seq, v.reason);
		printf("  %s\n", v.op);
		printf("  expected: %s\n", line);
		for (i = 0; i < v.nsteps; i++)
			printf("  we emitted: %s\n", v.steps[i]);
		if (!strncmp(line, "tree ", 5))
			printf("  our tree: %s\n", v.tree);
	}
	if (ferror(f)) {
		fprintf(stderr, "gvb-vectors: %s: read error: %s\n", argv[1], strerror(errno));
		goto fail;
	}
	if (gvb_vec_finish(&v)) {
		fprintf(stderr, "gvb-vectors: %s:%lu: %s\n", argv[1], lineno, v.reason);
		goto fail;
	}
	printf("%lu ops, %lu mismatches (%lu sequences)\n", v.ops, mismatches, v.seqs);
	if (!v.ops)
		fprintf(stderr, "gvb-vectors: no ops in %s\n", argv[1]);
	rc = !v.ops ? 2 : mismatches ? 1 : 0;
fail:
	free(line);
	fclose(f);
	gvb_vec_fini(&v);
	gvb_core_exit();
	compat_wq_shutdown();
	return rc;
}
