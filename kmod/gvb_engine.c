// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The engine registry (gvb_engine.h), and what gvbench.ko exports to
 * engine modules: the registry and the page-table layer, so that every
 * engine does the same page-table work as the model.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mutex.h>
#include <linux/string.h>

#include "gvb_engine.h"
#include "uapi/gvbench.h"

static DEFINE_MUTEX(gvb_engines_lock);
/* Slot 0 is the model, which is no struct gvb_engine. */
static const struct gvb_engine *gvb_engines[GVB_ENGINE_MAX];

int gvb_engine_register(const struct gvb_engine *e)
{
	unsigned int i, slot = 0;

	if (!e->name || !e->why_not || !e->wl_create || !e->wl_destroy || !e->run)
		return -EINVAL;
	mutex_lock(&gvb_engines_lock);
	for (i = 1; i < GVB_ENGINE_MAX; i++) {
		if (gvb_engines[i] && !strcmp(gvb_engines[i]->name, e->name)) {
			mutex_unlock(&gvb_engines_lock);
			return -EEXIST;
		}
		if (!gvb_engines[i] && !slot)
			slot = i;
	}
	if (slot)
		gvb_engines[slot] = e;
	mutex_unlock(&gvb_engines_lock);
	if (!slot)
		return -ENOSPC;
	pr_info("engine %s registered as %u\n", e->name, slot);
	return 0;
}
EXPORT_SYMBOL_GPL(gvb_engine_register);

void gvb_engine_unregister(const struct gvb_engine *e)
{
	unsigned int i;

	mutex_lock(&gvb_engines_lock);
	for (i = 1; i < GVB_ENGINE_MAX; i++)
		if (gvb_engines[i] == e)
			gvb_engines[i] = NULL;
	mutex_unlock(&gvb_engines_lock);
}
EXPORT_SYMBOL_GPL(gvb_engine_unregister);

int gvb_engine_get(u32 index, const char *name, const struct gvb_engine **out)
{
	const struct gvb_engine *e = NULL;
	unsigned int i;
	int ret = 0;

	*out = NULL;
	if (name && (!name[0] || !strcmp(name, "model")))
		return 0;
	if (!name && index == GVB_ENGINE_MODEL)
		return 0;
	mutex_lock(&gvb_engines_lock);
	if (name) {
		for (i = 1; i < GVB_ENGINE_MAX && !e; i++)
			if (gvb_engines[i] && !strcmp(gvb_engines[i]->name, name))
				e = gvb_engines[i];
	} else if (index < GVB_ENGINE_MAX) {
		e = gvb_engines[index];
	}
	/* A module on its way out has unregistered or will before its memory goes. */
	if (!e || !try_module_get(e->owner))
		ret = -ENODEV;
	else
		*out = e;
	mutex_unlock(&gvb_engines_lock);
	return ret;
}

void gvb_engine_put(const struct gvb_engine *e)
{
	if (e)
		module_put(e->owner);
}

int gvb_engine_describe(u32 index, char *name, size_t name_len, char *desc, size_t desc_len)
{
	int ret = 0;

	if (index >= GVB_ENGINE_MAX)
		return -ENOENT;
	if (index == GVB_ENGINE_MODEL) {
		strscpy(name, "model", name_len);
		strscpy(desc, "gpuvm-bench's own GPUVM model (core/, strategies/)", desc_len);
		return 0;
	}
	mutex_lock(&gvb_engines_lock);
	if (gvb_engines[index]) {
		strscpy(name, gvb_engines[index]->name, name_len);
		strscpy(desc, gvb_engines[index]->desc, desc_len);
	} else {
		ret = -ENODEV;
	}
	mutex_unlock(&gvb_engines_lock);
	return ret;
}

void gvb_stats_fill(struct gvbench_stats *a, const struct gvb_vm_stats *vm,
		    const struct gvb_pt_stats *pt)
{
	a->map_steps = vm->map_steps;
	a->remap_steps = vm->remap_steps;
	a->unmap_steps = vm->unmap_steps;
	a->vm_bo_created = vm->vm_bo_created;
	a->vm_bo_destroyed = vm->vm_bo_destroyed;
	a->vm_bo_deferred = vm->vm_bo_deferred;
	a->exec_backoffs = vm->exec_backoffs;
	a->pt_maps = pt->maps;
	a->pt_unmaps = pt->unmaps;
	a->pt_flushes = pt->flushes;
	a->pt_blocks = pt->blocks;
	a->pt_tables_allocated = pt->tables_allocated;
	a->pt_tables_freed = pt->tables_freed;
	a->pt_tables_live = pt->tables_live;
	a->pt_alloc_fallbacks = pt->alloc_fallbacks;
}
EXPORT_SYMBOL_GPL(gvb_stats_fill);

/* The page-table layer, for engines' sm_step callbacks. */
EXPORT_SYMBOL_GPL(gvb_pt_formats);
EXPORT_SYMBOL_GPL(gvb_pt_init);
EXPORT_SYMBOL_GPL(gvb_pt_fini);
EXPORT_SYMBOL_GPL(gvb_pt_map);
EXPORT_SYMBOL_GPL(gvb_pt_unmap);
EXPORT_SYMBOL_GPL(gvb_pt_translate);
EXPORT_SYMBOL_GPL(gvb_pt_prealloc);
EXPORT_SYMBOL_GPL(gvb_pt_pages_needed);
EXPORT_SYMBOL_GPL(gvb_pt_op_pages);
EXPORT_SYMBOL_GPL(gvb_pt_for_each_leaf);
EXPORT_SYMBOL_GPL(gvb_pt_page_list_fill);
EXPORT_SYMBOL_GPL(gvb_pt_page_list_free);
/* Names and defaults of the workloads and strategies engines run. */
EXPORT_SYMBOL_GPL(gvb_workloads);
EXPORT_SYMBOL_GPL(gvb_strategies);
EXPORT_SYMBOL_GPL(gvb_workload_find);
EXPORT_SYMBOL_GPL(gvb_strategy_find);
