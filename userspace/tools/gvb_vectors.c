// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * gvb-vectors FILE: replays split/merge vectors recorded from the kernel's
 * own drm_gpuvm (format: shared/vectors/README.md) through our real map and
 * unmap paths, and compares every emitted step and the tree after each op.
 *
 * Prints "N ops, M mismatches", plus the first mismatch in full, and exits
 * 1 on any mismatch, 2 on a usage or input error.
 */
#include <stdarg.h>

#include "gvb_strategy.h"

#define NBO		3
#define LINE_MAX_LEN	8192
#define MAX_STEPS	64

struct replay {
	struct gvb_vm *vm;
	struct gvb_bo *bo[NBO + 1];
	char steps[MAX_STEPS][256];
	unsigned int nsteps;
	bool overflow;
};

static int bo_id(struct replay *r, const struct gvb_bo *bo)
{
	int i;

	for (i = 1; i <= NBO; i++)
		if (r->bo[i] == bo)
			return i;
	return 0;
}

static void __attribute__((format(printf, 2, 3))) add_step(struct replay *r, const char *fmt, ...)
{
	va_list ap;

	if (r->nsteps == MAX_STEPS) {
		r->overflow = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(r->steps[r->nsteps++], sizeof(r->steps[0]), fmt, ap);
	va_end(ap);
}

/* Pages, as the recordings count them. */
#define P(x)	((unsigned long long)((x) / GVB_PAGE))

static void piece(struct replay *r, char *buf, size_t len, const struct gvb_op_map *m)
{
	if (!m)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%llu,%llu,%d,%llu", P(m->addr), P(m->range), bo_id(r, m->bo),
			 P(m->offset));
}

static int rec_map(void *priv, const struct gvb_op_map *m)
{
	struct replay *r = priv;

	add_step(r, "step map va=%llu range=%llu bo=%d off=%llu", P(m->addr), P(m->range),
		 bo_id(r, m->bo), P(m->offset));
	return 0;
}

static int rec_unmap(void *priv, const struct gvb_op_unmap *u)
{
	struct replay *r = priv;
	const struct gvb_va *va = u->va;

	add_step(r, "step unmap va=%llu range=%llu bo=%d off=%llu keep=%d", P(va->addr),
		 P(va->range), bo_id(r, va->bo), P(va->offset), u->keep);
	return 0;
}

static int rec_remap(void *priv, const struct gvb_op_remap *m)
{
	struct replay *r = priv;
	const struct gvb_va *va = m->unmap->va;
	char prev[96], next[96];

	piece(r, prev, sizeof(prev), m->prev);
	piece(r, next, sizeof(next), m->next);
	add_step(r, "step remap va=%llu range=%llu bo=%d off=%llu keep=%d prev=%s next=%s",
		 P(va->addr), P(va->range), bo_id(r, va->bo), P(va->offset), m->unmap->keep, prev,
		 next);
	return 0;
}

static const struct gvb_sm_ops rec_ops = {
	.step_map = rec_map,
	.step_remap = rec_remap,
	.step_unmap = rec_unmap,
};

static void tree_line(struct replay *r, char *buf, size_t len)
{
	struct gvb_va *va;
	size_t used;

	used = snprintf(buf, len, "tree %lu", r->vm->tree.count);
	list_for_each_entry(va, &r->vm->va_list, vm_link) {
		if (used >= len)
			break;
		used += snprintf(buf + used, len - used, " %llu:%llu:%d:%llu", P(va->addr),
				 P(va->range), bo_id(r, va->bo), P(va->offset));
	}
}

static void release(struct replay *r)
{
	int i;

	if (r->vm)
		gvb_vm_destroy(r->vm);
	for (i = 1; i <= NBO; i++)
		if (r->bo[i])
			gvb_bo_put(r->bo[i]);
	memset(r, 0, sizeof(*r));
}

static int reset(struct replay *r)
{
	int i;

	release(r);
	r->vm = gvb_vm_create(&gvb_strategy_resv, &gvb_pt_arm_lpae_s1, 0, 1ULL << 32, 0);
	if (!r->vm)
		return -ENOMEM;
	r->vm->trace = &rec_ops;
	r->vm->trace_priv = r;
	for (i = 1; i <= NBO; i++) {
		r->bo[i] = gvb_bo_create(&gvb_strategy_resv, 1024 * GVB_PAGE, NULL);
		if (!r->bo[i])
			return -ENOMEM;
	}
	return 0;
}

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

int main(int argc, char **argv)
{
	static char line[LINE_MAX_LEN], got_tree[LINE_MAX_LEN], op_line[LINE_MAX_LEN];
	unsigned long ops = 0, mismatches = 0, seqs = 0, lineno = 0;
	struct replay r = { 0 };
	unsigned int expect_step = 0;
	bool in_op = false, op_bad = false;
	long seq = -1;
	int rc = 2;
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: gvb-vectors FILE (e.g. ../shared/vectors/drm_gpuvm_sm_7.3.4.txt)\n");
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

	while (fgets(line, sizeof(line), f)) {
		unsigned long long va, range, off;
		int bo;
		char *reason = NULL;

		lineno++;
		chomp(line);
		if (line[0] == '#' || !line[0])
			continue;

		if (sscanf(line, "seq %ld", &seq) == 1) {
			if (reset(&r)) {
				fprintf(stderr, "gvb-vectors: out of memory\n");
				goto fail;
			}
			seqs++;
			in_op = false;
			continue;
		}
		if (!strncmp(line, "end ", 4)) {
			in_op = false;
			continue;
		}
		if (!strncmp(line, "op ", 3)) {
			int ret;

			if (!r.vm) {
				fprintf(stderr, "gvb-vectors: %s:%lu: op before any seq line\n",
					argv[1], lineno);
				goto fail;
			}
			r.nsteps = 0;
			r.overflow = false;
			expect_step = 0;
			in_op = true;
			op_bad = false;
			ops++;
			snprintf(op_line, sizeof(op_line), "%s", line);
			if (sscanf(line, "op map va=%llu range=%llu bo=%d off=%llu", &va, &range, &bo,
				   &off) == 4 && bo >= 1 && bo <= NBO) {
				ret = gvb_vm_map(r.vm, r.bo[bo], va * GVB_PAGE, range * GVB_PAGE,
						 off * GVB_PAGE, GVB_PROT_RW);
			} else if (sscanf(line, "op unmap va=%llu range=%llu", &va, &range) == 2) {
				ret = gvb_vm_unmap(r.vm, va * GVB_PAGE, range * GVB_PAGE);
			} else {
				fprintf(stderr, "gvb-vectors: %s:%lu: cannot parse: %s\n", argv[1],
					lineno, line);
				goto fail;
			}
			if (ret)
				reason = "the operation failed";
			else if (r.overflow)
				reason = "too many steps";
			if (reason) {
				op_bad = true;
				goto mismatch;
			}
			continue;
		}
		if (!in_op) {
			fprintf(stderr, "gvb-vectors: %s:%lu: record outside an op: %s\n", argv[1],
				lineno, line);
			goto fail;
		}
		if (!strncmp(line, "step ", 5)) {
			if (op_bad)
				continue;
			if (expect_step >= r.nsteps)
				reason = "the kernel emitted a step we did not";
			else if (strcmp(line, r.steps[expect_step]))
				reason = "step differs";
			expect_step++;
			if (reason) {
				op_bad = true;
				goto mismatch;
			}
			continue;
		}
		if (!strncmp(line, "tree ", 5)) {
			in_op = false;
			if (op_bad)
				continue;
			if (expect_step != r.nsteps) {
				reason = "we emitted a step the kernel did not";
			} else {
				gvb_vm_serialize(r.vm);
				tree_line(&r, got_tree, sizeof(got_tree));
				if (gvb_vm_check(r.vm) || gvb_vm_check_pt(r.vm))
					reason = "an invariant check failed after the op";
				gvb_vm_unserialize(r.vm);
				if (!reason && strcmp(line, got_tree))
					reason = "tree after the op differs";
			}
			if (!reason)
				continue;
			op_bad = true;
			goto mismatch;
		}
		fprintf(stderr, "gvb-vectors: %s:%lu: unknown record: %s\n", argv[1], lineno, line);
		goto fail;

mismatch:
		if (!mismatches++) {
			unsigned int i;

			printf("first mismatch: %s:%lu (seq %ld): %s\n", argv[1], lineno, seq, reason);
			printf("  %s\n", op_line);
			printf("  expected: %s\n", line);
			for (i = 0; i < r.nsteps; i++)
				printf("  we emitted: %s\n", r.steps[i]);
			if (!strncmp(line, "tree ", 5))
				printf("  our tree: %s\n", got_tree);
		}
	}
	printf("%lu ops, %lu mismatches (%lu sequences)\n", ops, mismatches, seqs);
	if (!ops)
		fprintf(stderr, "gvb-vectors: no ops in %s\n", argv[1]);
	rc = !ops ? 2 : mismatches ? 1 : 0;
fail:
	fclose(f);
	release(&r);
	gvb_core_exit();
	compat_wq_shutdown();
	return rc;
}
