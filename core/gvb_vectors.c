// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The split/merge vectors recorder and checker (gvb_vectors.h). Our walk's
 * steps are printed in the recordings' own words, so a comparison is a
 * string compare and a mismatch reads like the recording.
 */
#include "gvb_strategy.h"
#include "gvb_vectors.h"

/* Bytes to the recordings' unit, 4 KiB pages. */
static unsigned long long gvb_vec_pg(u64 bytes)
{
	return bytes / GVB_PAGE;
}

static int gvb_vec_bo_id(struct gvb_vec *v, const struct gvb_bo *bo)
{
	int i;

	for (i = 0; i < GVB_VEC_NBO; i++)
		if (v->bo[i] == bo)
			return i + 1;
	return 0;
}

/* The next step slot, or NULL (and overflow noted) when the op made too many. */
static char *gvb_vec_next_step(struct gvb_vec *v)
{
	if (v->nsteps == GVB_VEC_STEPS) {
		v->overflow = true;
		return NULL;
	}
	return v->steps[v->nsteps++];
}

/* "V,R,B,O" of a remap piece, or "-". */
static void gvb_vec_piece(struct gvb_vec *v, char *buf, size_t len, const struct gvb_op_map *m)
{
	if (!m)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%llu,%llu,%d,%llu", gvb_vec_pg(m->addr), gvb_vec_pg(m->range),
			 gvb_vec_bo_id(v, m->bo), gvb_vec_pg(m->offset));
}

static int gvb_vec_step_map(void *priv, const struct gvb_op_map *m)
{
	struct gvb_vec *v = priv;
	char *line = gvb_vec_next_step(v);

	if (line)
		snprintf(line, GVB_VEC_LINE, "step map va=%llu range=%llu bo=%d off=%llu",
			 gvb_vec_pg(m->addr), gvb_vec_pg(m->range), gvb_vec_bo_id(v, m->bo),
			 gvb_vec_pg(m->offset));
	return 0;
}

static int gvb_vec_step_unmap(void *priv, const struct gvb_op_unmap *u)
{
	struct gvb_vec *v = priv;
	char *line = gvb_vec_next_step(v);
	const struct gvb_va *va = u->va;

	if (line)
		snprintf(line, GVB_VEC_LINE, "step unmap va=%llu range=%llu bo=%d off=%llu keep=%d",
			 gvb_vec_pg(va->addr), gvb_vec_pg(va->range), gvb_vec_bo_id(v, va->bo),
			 gvb_vec_pg(va->offset), u->keep);
	return 0;
}

static int gvb_vec_step_remap(void *priv, const struct gvb_op_remap *r)
{
	struct gvb_vec *v = priv;
	char *line = gvb_vec_next_step(v);
	const struct gvb_va *va = r->unmap->va;
	char prev[64], next[64];

	if (!line)
		return 0;
	gvb_vec_piece(v, prev, sizeof(prev), r->prev);
	gvb_vec_piece(v, next, sizeof(next), r->next);
	snprintf(line, GVB_VEC_LINE,
		 "step remap va=%llu range=%llu bo=%d off=%llu keep=%d prev=%s next=%s",
		 gvb_vec_pg(va->addr), gvb_vec_pg(va->range), gvb_vec_bo_id(v, va->bo),
		 gvb_vec_pg(va->offset), r->unmap->keep, prev, next);
	return 0;
}

static const struct gvb_sm_ops gvb_vec_trace_ops = {
	.step_map = gvb_vec_step_map,
	.step_remap = gvb_vec_step_remap,
	.step_unmap = gvb_vec_step_unmap,
};

/*
 * Our VAs as a "tree" record, into v->tree; the VM's serialization is held.
 * False if it does not fit: a cut tree must not read as a differing one.
 */
static bool gvb_vec_tree_line(struct gvb_vec *v)
{
	size_t len = sizeof(v->tree), used;
	struct gvb_va *va;

	used = snprintf(v->tree, len, "tree %lu", v->vm->tree.count);
	list_for_each_entry(va, &v->vm->va_list, vm_link) {
		if (used >= len)
			break;
		used += snprintf(v->tree + used, len - used, " %llu:%llu:%d:%llu",
				 gvb_vec_pg(va->addr), gvb_vec_pg(va->range),
				 gvb_vec_bo_id(v, va->bo), gvb_vec_pg(va->offset));
	}
	return used < len;
}

static int gvb_vec_bad(struct gvb_vec *v, int err, const char *reason)
{
	v->reason = reason;
	return err;
}

void gvb_vec_fini(struct gvb_vec *v)
{
	int i;

	if (v->vm) {
		v->vm->trace = NULL;
		gvb_vm_destroy(v->vm);
		v->vm = NULL;
	}
	for (i = 0; i < GVB_VEC_NBO; i++) {
		if (v->bo[i])
			gvb_bo_put(v->bo[i]);
		v->bo[i] = NULL;
	}
}

/* Every sequence starts from an empty VM over [0, 4 GiB) and three fresh BOs. */
static int gvb_vec_seq(struct gvb_vec *v)
{
	const struct gvb_strategy_ops *ops = &gvb_strategy_resv;
	int i;

	if (v->in_op)
		return gvb_vec_bad(v, -EPROTO, "seq record inside an op (the op has no tree record)");
	if (v->in_seq)
		return gvb_vec_bad(v, -EPROTO, "seq record before the end record of the previous sequence");
	gvb_vec_fini(v);
	v->in_seq = true;
	v->seqs++;
	v->vm = gvb_vm_create(ops, &gvb_pt_arm_lpae_s1, 0, 1ULL << 32, 0);
	if (!v->vm)
		return -ENOMEM;
	v->vm->trace = &gvb_vec_trace_ops;
	v->vm->trace_priv = v;
	for (i = 0; i < GVB_VEC_NBO; i++) {
		v->bo[i] = gvb_bo_create(ops, 1024 * GVB_PAGE, NULL);
		if (!v->bo[i])
			return -ENOMEM;
	}
	return 0;
}

static int gvb_vec_mismatch(struct gvb_vec *v, const char *reason)
{
	v->op_bad = true;
	v->reason = reason;
	return GVB_VEC_MISMATCH;
}

static int gvb_vec_op(struct gvb_vec *v, const char *line)
{
	unsigned long long va, range, off;
	int bo, ret, end = -1;
	size_t len = strlen(line);

	if (!v->in_seq)
		return gvb_vec_bad(v, -EPROTO, "op outside a sequence (no seq record before it)");
	if (v->in_op)
		return gvb_vec_bad(v, -EPROTO, "op record before the previous op's tree record");
	snprintf(v->op, sizeof(v->op), "%s", line);
	v->nsteps = 0;
	v->checked = 0;
	v->file_steps = 0;
	v->overflow = false;
	v->in_op = true;
	v->op_bad = false;
	v->ops++;
	/* %n: the whole record parsed, no trailing text taken for a match. */
	if (sscanf(line, "op map va=%llu range=%llu bo=%d off=%llu%n", &va, &range, &bo, &off,
		   &end) == 4 && end == (int)len && bo >= 1 && bo <= GVB_VEC_NBO) {
		v->op_map = true;
		ret = gvb_vm_map(v->vm, v->bo[bo - 1], va * GVB_PAGE, range * GVB_PAGE,
				 off * GVB_PAGE, GVB_PROT_RW);
	} else if (sscanf(line, "op unmap va=%llu range=%llu%n", &va, &range, &end) == 2 &&
		   end == (int)len) {
		v->op_map = false;
		ret = gvb_vm_unmap(v->vm, va * GVB_PAGE, range * GVB_PAGE);
	} else {
		return gvb_vec_bad(v, -EPROTO, "cannot parse");
	}
	if (v->overflow)
		return gvb_vec_bad(v, -E2BIG, "more steps in one op than the checker holds (GVB_VEC_STEPS)");
	if (ret)
		return gvb_vec_mismatch(v, "the operation failed");
	return 0;
}

static int gvb_vec_tree(struct gvb_vec *v, const char *line)
{
	const char *reason = NULL;
	bool fits;

	v->in_op = false;
	/* drm_gpuvm emits at least one step for every map: none means records are missing. */
	if (v->op_map && !v->file_steps)
		return gvb_vec_bad(v, -EPROTO, "map op without its step records");
	if (strlen(line) >= sizeof(v->tree))
		return gvb_vec_bad(v, -E2BIG, "tree record longer than the checker holds (GVB_VEC_TREE)");
	if (v->op_bad)
		return 0;
	gvb_vm_serialize(v->vm);
	fits = gvb_vec_tree_line(v);
	if (!fits)
		reason = "";
	else if (v->checked != v->nsteps)
		reason = "we emitted a step the kernel did not";
	else if (gvb_vm_check(v->vm) || gvb_vm_check_pt(v->vm))
		reason = "an invariant check failed after the op";
	else if (strcmp(line, v->tree))
		reason = "tree after the op differs";
	gvb_vm_unserialize(v->vm);
	if (!fits)
		return gvb_vec_bad(v, -E2BIG, "our tree is longer than the checker holds (GVB_VEC_TREE)");
	return reason ? gvb_vec_mismatch(v, reason) : 0;
}

int gvb_vec_feed(struct gvb_vec *v, const char *line)
{
	if (line[0] == '#' || !line[0])
		return 0;
	if (!strncmp(line, "seq ", 4)) {
		int end = -1;

		if (sscanf(line, "seq %ld%n", &v->seq, &end) != 1 || end != (int)strlen(line))
			return gvb_vec_bad(v, -EPROTO, "cannot parse");
		return gvb_vec_seq(v);
	}
	if (!strncmp(line, "end ", 4)) {
		long n;
		int end = -1;

		if (sscanf(line, "end %ld%n", &n, &end) != 1 || end != (int)strlen(line))
			return gvb_vec_bad(v, -EPROTO, "cannot parse");
		if (v->in_op)
			return gvb_vec_bad(v, -EPROTO, "end record inside an op (the op has no tree record)");
		if (!v->in_seq || n != v->seq)
			return gvb_vec_bad(v, -EPROTO, "end record of a sequence that is not open");
		v->in_seq = false;
		return 0;
	}
	if (!strncmp(line, "op ", 3))
		return gvb_vec_op(v, line);
	if (!v->in_op) {
		v->reason = strncmp(line, "step ", 5) && strncmp(line, "tree ", 5) ?
			    "unknown record" : "record outside an op";
		return -EPROTO;
	}
	if (!strncmp(line, "step ", 5)) {
		const char *ours = v->checked < v->nsteps ? v->steps[v->checked] : NULL;

		v->file_steps++;
		if (v->op_bad)
			return 0;
		v->checked++;
		if (!ours)
			return gvb_vec_mismatch(v, "the kernel emitted a step we did not");
		if (strcmp(line, ours))
			return gvb_vec_mismatch(v, "step differs");
		return 0;
	}
	if (!strncmp(line, "tree ", 5))
		return gvb_vec_tree(v, line);
	v->reason = "unknown record";
	return -EPROTO;
}

int gvb_vec_finish(struct gvb_vec *v)
{
	if (v->in_op)
		return gvb_vec_bad(v, -EPROTO, "the input ends inside an op (no tree record): truncated?");
	if (v->in_seq)
		return gvb_vec_bad(v, -EPROTO, "the input ends before the last sequence's end record: truncated?");
	return 0;
}
