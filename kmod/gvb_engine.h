/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Engines: which GPUVM implementation runs a workload's hot path.
 *
 * Engine 0, "model", is the project's own (core/, strategies/, workloads/)
 * and lives in gvbench.ko itself. Other engines live in their own modules
 * (kmod/drm/: gvbench_drm.ko drives the kernel's drm_gpuvm.ko) and plug in
 * here with gvb_engine_register(), so gvbench.ko depends on none of them.
 * An engine names workloads and strategies by the model's names, and gets
 * the parameters already merged with the workload's defaults and checked.
 *
 * Lifetime: a registered engine gets a slot (its uapi index) until it
 * unregisters. Every instance pins the engine's module, so an engine
 * cannot unregister (its module cannot unload) while an instance lives.
 */
#ifndef GVB_ENGINE_H
#define GVB_ENGINE_H

#include <linux/module.h>

#include "gvb_workload.h"

struct gvbench_stats;

#define GVB_ENGINE_MAX		8	/* slots, model included */
#define GVB_ENGINE_MODEL	0

struct gvb_engine {
	const char *name;
	const char *desc;		/* one line */
	struct module *owner;

	/*
	 * NULL if the engine can run workload @w with strategy @s, else one
	 * static line saying why not (shown by `gvbench list` and refused by
	 * WL_CREATE with -EOPNOTSUPP).
	 */
	const char *(*why_not)(const struct gvb_workload *w, const struct gvb_strategy_ops *s);
	/* An instance with every per-thread object set up; *@out its handle. */
	int (*wl_create)(const struct gvb_workload *w, const struct gvb_strategy_ops *s,
			 const struct gvb_wl_params *p, void **out);
	void (*wl_destroy)(void *wl);
	/* As the workload hooks of the same names; @thread is checked already. */
	int (*batch_prepare)(void *wl, unsigned int thread, u64 n);
	int (*run)(void *wl, unsigned int thread, u64 n);
	void (*drain)(void *wl, unsigned int thread);
	void (*batch_finish)(void *wl, unsigned int thread);
	/* Fills the counters of thread @thread's VM: 0, or -ENOENT if it has none. */
	int (*stats)(void *wl, unsigned int thread, struct gvbench_stats *out);
};

int gvb_engine_register(const struct gvb_engine *e);
/* The counters of STATS but @vas, for gvbench.ko and engines alike. */
void gvb_stats_fill(struct gvbench_stats *a, const struct gvb_vm_stats *vm,
		    const struct gvb_pt_stats *pt);
void gvb_engine_unregister(const struct gvb_engine *e);

/*
 * For gvbench.ko: the engine in slot @index or called @name, with a
 * reference on its module (gvb_engine_put() drops it). NULL for "model",
 * for a free slot and for an unknown name: check gvb_engine_valid() first.
 */
int gvb_engine_get(u32 index, const char *name, const struct gvb_engine **out);
void gvb_engine_put(const struct gvb_engine *e);
/* Name, description and index of slot @index for LIST_ENGINES; -ENOENT past the last. */
int gvb_engine_describe(u32 index, char *name, size_t name_len, char *desc, size_t desc_len);

#endif /* GVB_ENGINE_H */
