// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Lock accounting, see gvb_count.h. Everything here runs only while a
 * counting pass is active; the timed path never calls into this file.
 */
#include "gvb_count.h"

GVB_DEFINE_COUNT_KEY;

const char *const gvb_lock_class_names[GVB_LOCK_CLASSES] = {
	[GVB_LOCK_VM_RESV] = "vm_resv",
	[GVB_LOCK_BO_RESV] = "bo_resv",
	[GVB_LOCK_GPUVA] = "gpuva",
	[GVB_LOCK_OP_LOCK] = "op_lock",
	[GVB_LOCK_VM_LISTS] = "vm_lists",
	[GVB_LOCK_WW_ACQUIRE] = "ww_acquire",
};

static struct mutex gvb_count_mutex;	/* one pass at a time */
static struct gvb_lock_counts *gvb_count_out;
static const void *gvb_count_owner;

/*
 * Deferred cleanup may run in a worker (defer_async), which is not the
 * counting task; its locks are then not counted, which is why the count
 * pass drains in its own context.
 */
static struct gvb_lock_counts *gvb_count_mine(void)
{
	if (READ_ONCE(gvb_count_owner) != gvb_count_task())
		return NULL;
	return gvb_count_out;
}

void gvb_count_slow(enum gvb_lock_class c)
{
	struct gvb_lock_counts *out = gvb_count_mine();

	if (out)
		out->acquisitions[c]++;
}

void gvb_count_pt_slow(int allocated, int freed, int prealloc)
{
	struct gvb_lock_counts *out = gvb_count_mine();

	if (out) {
		out->pt_pages_allocated += allocated;
		out->pt_pages_freed += freed;
		out->pt_pages_prealloc += prealloc;
	}
}

void gvb_count_init(void)
{
	mutex_init(&gvb_count_mutex);
}

void gvb_count_begin(struct gvb_lock_counts *out)
{
	mutex_lock(&gvb_count_mutex);
	memset(out, 0, sizeof(*out));
	gvb_count_out = out;
	WRITE_ONCE(gvb_count_owner, gvb_count_task());
	gvb_count_enable();
}

void gvb_count_end(void)
{
	gvb_count_disable();
	WRITE_ONCE(gvb_count_owner, NULL);
	gvb_count_out = NULL;
	mutex_unlock(&gvb_count_mutex);
}
