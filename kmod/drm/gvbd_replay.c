// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * debugfs gvbench_drm/replay: replays a vectors file (the format of
 * gpuvm-bench's recordings, e.g. shared/vectors/drm_gpuvm_sm_7.3.4.txt:
 * "seq", "op map|unmap", "step ...", "tree ...", "end") through the
 * engine's VMs on the kernel's drm_gpuvm, and compares every step the
 * kernel emits and every tree after an op with the recorded lines.
 *
 *   cat FILE > /sys/kernel/debug/gvbench_drm/replay     # replay, any chunking
 *   cat /sys/kernel/debug/gvbench_drm/replay            # the last result
 *
 * A first line "strategy NAME" (not part of the recordings) picks the
 * strategy whose paths run the ops (default resv). Every "seq" starts from
 * an empty VM of [0, 4 GiB); BOs are created on first use, by id. Units
 * are 4 KiB pages. The result (also in the kernel log) is one line
 * "replay: seqs=.. ops=.. steps=.. trees=.. mismatches=N" plus the first
 * mismatches.
 */
#define pr_fmt(fmt) "gvbench_drm: " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "gvbd.h"
#include "gvb_strategy.h"

#define GVBD_LINE_MAX		16384
#define GVBD_STEPS_MAX		64
#define GVBD_STEP_LEN		160
#define GVBD_BOS_MAX		16
#define GVBD_REPORT_MAX		5
#define GVBD_RESULT_LEN		4096

struct gvbd_trace {
	struct gvbd_vm *vm;
	enum gvbd_mode mode;
	struct gvbd_bo *bos[GVBD_BOS_MAX + 1];	/* by id, 1..GVBD_BOS_MAX */
	/* The steps of the current op, in the order the kernel emitted them. */
	char steps[GVBD_STEPS_MAX][GVBD_STEP_LEN];
	unsigned int nr_steps, next_step;
	bool overflow;
	u64 seqs, ops, step_lines, trees, mismatches;
	unsigned int reported;
	size_t len;			/* of line */
	bool too_long;
	u64 lineno;
	char line[GVBD_LINE_MAX];
	char tree[GVBD_LINE_MAX];
	char report[GVBD_RESULT_LEN];
	size_t report_len;
};

static DEFINE_MUTEX(gvbd_replay_lock);
static char gvbd_replay_result[GVBD_RESULT_LEN] = "replay: nothing replayed yet\n";

static int gvbd_bo_id(struct gvbd_trace *tr, struct drm_gem_object *obj)
{
	int i;

	for (i = 1; i <= GVBD_BOS_MAX; i++)
		if (tr->bos[i] && &tr->bos[i]->base == obj)
			return i;
	return 0;
}

static void gvbd_mismatch(struct gvbd_trace *tr, const char *what, const char *want,
			  const char *got)
{
	tr->mismatches++;
	if (tr->reported++ >= GVBD_REPORT_MAX)
		return;
	tr->report_len += scnprintf(tr->report + tr->report_len,
				    sizeof(tr->report) - tr->report_len,
				    "line %llu: %s\n  recorded: %.200s\n  drm_gpuvm: %.200s\n",
				    tr->lineno, what, want, got);
}

static int gvbd_fmt_piece(char *buf, size_t len, struct gvbd_trace *tr,
			  const struct drm_gpuva_op_map *m)
{
	if (!m)
		return scnprintf(buf, len, "-");
	return scnprintf(buf, len, "%llu,%llu,%d,%llu", m->va.addr >> 12, m->va.range >> 12,
			 gvbd_bo_id(tr, m->gem.obj), m->gem.offset >> 12);
}

void gvbd_trace_step(struct gvbd_vm *vm, const struct drm_gpuva_op *op)
{
	struct gvbd_trace *tr = vm->trace;
	const struct drm_gpuva *va;
	char *s;
	size_t n, len = GVBD_STEP_LEN;

	if (tr->nr_steps == GVBD_STEPS_MAX) {
		tr->overflow = true;
		return;
	}
	s = tr->steps[tr->nr_steps++];
	switch (op->op) {
	case DRM_GPUVA_OP_MAP:
		scnprintf(s, len, "step map va=%llu range=%llu bo=%d off=%llu",
			  op->map.va.addr >> 12, op->map.va.range >> 12,
			  gvbd_bo_id(tr, op->map.gem.obj), op->map.gem.offset >> 12);
		break;
	case DRM_GPUVA_OP_UNMAP:
		va = op->unmap.va;
		scnprintf(s, len, "step unmap va=%llu range=%llu bo=%d off=%llu keep=%d",
			  va->va.addr >> 12, va->va.range >> 12, gvbd_bo_id(tr, va->gem.obj),
			  va->gem.offset >> 12, op->unmap.keep);
		break;
	case DRM_GPUVA_OP_REMAP:
		va = op->remap.unmap->va;
		n = scnprintf(s, len, "step remap va=%llu range=%llu bo=%d off=%llu keep=%d prev=",
			      va->va.addr >> 12, va->va.range >> 12, gvbd_bo_id(tr, va->gem.obj),
			      va->gem.offset >> 12, op->remap.unmap->keep);
		n += gvbd_fmt_piece(s + n, len - n, tr, op->remap.prev);
		n += scnprintf(s + n, len - n, " next=");
		gvbd_fmt_piece(s + n, len - n, tr, op->remap.next);
		break;
	default:
		scnprintf(s, len, "step ? op=%d", op->op);
		break;
	}
}

/* "tree k va:range:bo:off ..." of the VM now. */
static void gvbd_fmt_tree(struct gvbd_trace *tr)
{
	struct drm_gpuva *va;
	size_t n = 0, len = sizeof(tr->tree);
	unsigned int k = 0;
	char *p;

	drm_gpuvm_for_each_va(va, &tr->vm->base)
		k++;
	n = scnprintf(tr->tree, len, "tree %u", k);
	drm_gpuvm_for_each_va(va, &tr->vm->base)
		n += scnprintf(tr->tree + n, len - n, " %llu:%llu:%d:%llu", va->va.addr >> 12,
			       va->va.range >> 12, gvbd_bo_id(tr, va->gem.obj),
			       va->gem.offset >> 12);
	/* Trailing blanks of the recording are not part of the tree. */
	p = tr->tree + n;
	while (p > tr->tree && p[-1] == ' ')
		*--p = 0;
}

/* Steps the recording did not have (or had fewer of). */
static void gvbd_flush_steps(struct gvbd_trace *tr)
{
	while (tr->next_step < tr->nr_steps)
		gvbd_mismatch(tr, "extra step", "(none)", tr->steps[tr->next_step++]);
	if (tr->overflow)
		gvbd_mismatch(tr, "more than 64 steps in one op", "", "");
	tr->nr_steps = tr->next_step = 0;
	tr->overflow = false;
}

static struct gvbd_bo *gvbd_replay_bo(struct gvbd_trace *tr, int id)
{
	if (id < 1 || id > GVBD_BOS_MAX)
		return NULL;
	if (!tr->bos[id])
		tr->bos[id] = gvbd_bo_create(GVB_BO_MAX_SIZE);
	return tr->bos[id];
}

/* The teardown's unmaps are not part of the recording. */
static void gvbd_replay_vm_destroy(struct gvbd_trace *tr)
{
	if (!tr->vm)
		return;
	tr->vm->trace = NULL;
	gvbd_vm_destroy(tr->vm);
	tr->vm = NULL;
}

static int gvbd_replay_line(struct gvbd_trace *tr, char *line)
{
	unsigned long long va, range, off;
	char name[32];
	int bo, ret;
	u64 seq;

	if (!line[0] || line[0] == '#')
		return 0;
	if (sscanf(line, "strategy %31s", name) == 1) {
		const struct gvb_strategy_ops *s = gvb_strategy_find(name);
		const char *why;

		if (tr->seqs || !s || gvbd_mode_of(s, &tr->mode, &why)) {
			pr_err("replay: line %llu: cannot use strategy '%s' here\n", tr->lineno, name);
			return -EINVAL;
		}
		return 0;
	}
	if (sscanf(line, "seq %llu", &seq) == 1) {
		gvbd_flush_steps(tr);
		gvbd_replay_vm_destroy(tr);
		tr->vm = gvbd_vm_create(tr->mode, NULL, SZ_4G, 0, false);
		if (!tr->vm)
			return -ENOMEM;
		tr->vm->trace = tr;
		tr->seqs++;
		return 0;
	}
	if (!strncmp(line, "end ", 4)) {
		gvbd_flush_steps(tr);
		return 0;
	}
	if (!tr->vm) {
		pr_err("replay: line %llu: '%.40s' before the first seq\n", tr->lineno, line);
		return -EINVAL;
	}
	if (!strncmp(line, "op ", 3)) {
		gvbd_flush_steps(tr);
		tr->ops++;
		if (sscanf(line, "op map va=%llu range=%llu bo=%d off=%llu", &va, &range, &bo,
			   &off) == 4) {
			struct gvbd_bo *b = gvbd_replay_bo(tr, bo);

			if (!b)
				return -EINVAL;
			ret = gvbd_map(tr->vm, b, va << 12, range << 12, off << 12);
		} else if (sscanf(line, "op unmap va=%llu range=%llu", &va, &range) == 2) {
			ret = gvbd_unmap(tr->vm, va << 12, range << 12);
		} else {
			pr_err("replay: line %llu: cannot parse '%.60s'\n", tr->lineno, line);
			return -EINVAL;
		}
		if (ret)
			gvbd_mismatch(tr, "the op failed (the recording says all returned 0)", line,
				      "error");
		gvbd_vm_drain(tr->vm);
		if (gvbd_vm_check(tr->vm))
			gvbd_mismatch(tr, "page tables or vm_bos disagree with the tree", "", "");
		return 0;
	}
	if (!strncmp(line, "step ", 5)) {
		tr->step_lines++;
		if (tr->next_step >= tr->nr_steps)
			gvbd_mismatch(tr, "missing step", line, "(none)");
		else if (strcmp(line, tr->steps[tr->next_step++]))
			gvbd_mismatch(tr, "different step", line, tr->steps[tr->next_step - 1]);
		return 0;
	}
	if (!strncmp(line, "tree ", 5)) {
		tr->trees++;
		gvbd_fmt_tree(tr);
		if (strcmp(line, tr->tree))
			gvbd_mismatch(tr, "different tree", line, tr->tree);
		return 0;
	}
	pr_err("replay: line %llu: unknown record '%.40s'\n", tr->lineno, line);
	return -EINVAL;
}

static int gvbd_replay_open(struct inode *inode, struct file *file)
{
	struct gvbd_trace *tr;

	if (!(file->f_mode & FMODE_WRITE))
		return 0;
	tr = kvzalloc(sizeof(*tr), GFP_KERNEL);
	if (!tr)
		return -ENOMEM;
	file->private_data = tr;
	return 0;
}

static ssize_t gvbd_replay_write(struct file *file, const char __user *ubuf, size_t count,
				 loff_t *ppos)
{
	struct gvbd_trace *tr = file->private_data;
	char chunk[256];
	size_t done = 0;
	int ret;

	if (!tr)
		return -EBADF;
	while (done < count) {
		size_t n = min(count - done, sizeof(chunk)), i;

		if (copy_from_user(chunk, ubuf + done, n))
			return -EFAULT;
		for (i = 0; i < n; i++) {
			char c = chunk[i];

			if (c != '\n') {
				if (tr->len < GVBD_LINE_MAX - 1)
					tr->line[tr->len++] = c;
				else
					tr->too_long = true;
				continue;
			}
			tr->lineno++;
			tr->line[tr->len] = 0;
			tr->len = 0;
			if (tr->too_long) {
				pr_err("replay: line %llu longer than %d bytes\n", tr->lineno,
				       GVBD_LINE_MAX);
				return -E2BIG;
			}
			ret = gvbd_replay_line(tr, tr->line);
			if (ret)
				return ret;
		}
		done += n;
		cond_resched();
	}
	return count;
}

static ssize_t gvbd_replay_read(struct file *file, char __user *ubuf, size_t count,
				loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&gvbd_replay_lock);
	ret = simple_read_from_buffer(ubuf, count, ppos, gvbd_replay_result,
				      strlen(gvbd_replay_result));
	mutex_unlock(&gvbd_replay_lock);
	return ret;
}

static int gvbd_replay_release(struct inode *inode, struct file *file)
{
	struct gvbd_trace *tr = file->private_data;
	int i;

	if (!tr)
		return 0;
	gvbd_flush_steps(tr);
	gvbd_replay_vm_destroy(tr);
	for (i = 1; i <= GVBD_BOS_MAX; i++)
		gvbd_bo_put(tr->bos[i]);
	mutex_lock(&gvbd_replay_lock);
	scnprintf(gvbd_replay_result, sizeof(gvbd_replay_result),
		  "replay: seqs=%llu ops=%llu steps=%llu trees=%llu mismatches=%llu%s\n%s",
		  tr->seqs, tr->ops, tr->step_lines, tr->trees, tr->mismatches,
		  tr->len ? " (last line without newline ignored)" : "", tr->report);
	pr_info("%s", gvbd_replay_result);
	mutex_unlock(&gvbd_replay_lock);
	kvfree(tr);
	return 0;
}

static const struct file_operations gvbd_replay_fops = {
	.owner = THIS_MODULE,
	.open = gvbd_replay_open,
	.write = gvbd_replay_write,
	.read = gvbd_replay_read,
	.release = gvbd_replay_release,
	.llseek = default_llseek,
};

void gvbd_replay_init(struct dentry *dir)
{
	debugfs_create_file("replay", 0600, dir, NULL, &gvbd_replay_fops);
}
