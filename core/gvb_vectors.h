/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Replays split/merge vectors recorded from the kernel's own drm_gpuvm
 * through our real map and unmap paths, one record at a time, and compares
 * every step the walk emits and the tree after each op. The format (one
 * record a line, values in 4 KiB pages; tests/data/README.md):
 *
 *   seq N                                  a fresh VM over [0, 4 GiB), 3 BOs
 *   op map va=V range=R bo=B off=O         or: op unmap va=V range=R
 *   step map|remap|unmap ...               what drm_gpuvm emitted, in order
 *   tree N V:R:B:O ...                     the VM's VAs after the op
 *   end N
 *
 * gvb-vectors feeds it a file, the module's self-test a built-in excerpt.
 */
#ifndef GVB_VECTORS_H
#define GVB_VECTORS_H

#include "gvb_core.h"

#define GVB_VEC_NBO	3
#define GVB_VEC_STEPS	64
#define GVB_VEC_LINE	256
#define GVB_VEC_TREE	4096

/* gvb_vec_feed()'s result for a record that disagrees with our model. */
#define GVB_VEC_MISMATCH	1

struct gvb_vec {
	struct gvb_vm *vm;
	struct gvb_bo *bo[GVB_VEC_NBO];		/* bo=1..3 */
	long seq;				/* of the last "seq" record */
	unsigned long seqs, ops;
	/* The op being checked, and the steps our walk emitted for it. */
	char op[GVB_VEC_LINE];
	char steps[GVB_VEC_STEPS][GVB_VEC_LINE];
	unsigned int nsteps, checked;
	unsigned int file_steps;		/* step records of this op in the file */
	bool overflow, in_seq, in_op, op_map, op_bad;
	char tree[GVB_VEC_TREE];		/* ours, after a "tree" record */
	const char *reason;			/* why the last record failed */
};

/*
 * Checks one record (no newline; '#' lines and empty ones are skipped).
 * Returns 0, GVB_VEC_MISMATCH (the rest of that op's records are then
 * skipped), -EPROTO for a record that breaks the format or the structure
 * (an op without its tree, a map op without its steps, a sequence without
 * its end), -E2BIG past one of the checker's limits (GVB_VEC_STEPS steps
 * per op, GVB_VEC_TREE characters of tree), or -ENOMEM; v->reason says
 * which. @v starts zeroed and is released with gvb_vec_fini().
 */
int gvb_vec_feed(struct gvb_vec *v, const char *line);
/* After the last record: -EPROTO if the input stopped inside an op or a sequence. */
int gvb_vec_finish(struct gvb_vec *v);
void gvb_vec_fini(struct gvb_vec *v);

#endif /* GVB_VECTORS_H */
