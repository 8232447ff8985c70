/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Every difference between the drm_gpuvm APIs of the kernels the engine
 * builds against, and nothing else: the rest of kmod/drm/ is written
 * against the newest API through these.
 *
 * - 6.17: struct drm_gpuvm_map_req for sm_map; drm_gpuvm_sm_map_exec_lock()
 *   and _sm_unmap_exec_lock(); DRIVER_GEM_GPUVA gone (every GEM driver
 *   has the gpuva list).
 * - 7.0 (the API this engine drives for the immediate strategies; the
 *   mode itself appeared in 6.18, deferred put in 6.19):
 *   DRM_GPUVM_IMMEDIATE_MODE, gem->gpuva.lock, drm_gpuvm_bo_obtain_prealloc()
 *   taking that lock itself, drm_gpuvm_bo_put_deferred(),
 *   drm_gpuvm_bo_deferred_cleanup(), drm_gpuva_unlink_defer();
 *   drm_gpuvm_bo_obtain() renamed drm_gpuvm_bo_obtain_locked().
 */
#ifndef GVBD_COMPAT_H
#define GVBD_COMPAT_H

#include <linux/version.h>
#include <drm/drm_drv.h>
#include <drm/drm_exec.h>
#include <drm/drm_gpuvm.h>

#define GVBD_HAVE_MAP_REQ	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 17, 0))
#define GVBD_HAVE_IMMEDIATE	(LINUX_VERSION_CODE >= KERNEL_VERSION(7, 0, 0))

#if GVBD_HAVE_MAP_REQ
#define GVBD_DRIVER_FEATURES	DRIVER_GEM
#else
#define GVBD_DRIVER_FEATURES	(DRIVER_GEM | DRIVER_GEM_GPUVA)
#endif

static inline int gvbd_sm_map(struct drm_gpuvm *vm, void *priv, u64 addr, u64 range,
			      struct drm_gem_object *obj, u64 offset)
{
#if GVBD_HAVE_MAP_REQ
	struct drm_gpuvm_map_req req = {
		.map.va.addr = addr, .map.va.range = range,
		.map.gem.obj = obj, .map.gem.offset = offset,
	};

	return drm_gpuvm_sm_map(vm, priv, &req);
#else
	return drm_gpuvm_sm_map(vm, priv, addr, range, obj, offset);
#endif
}

/* The op list of a map against the tree as it is now (drivers' prepare pass). */
static inline struct drm_gpuva_ops *gvbd_sm_map_ops_create(struct drm_gpuvm *vm, u64 addr,
							   u64 range, struct drm_gem_object *obj,
							   u64 offset)
{
#if GVBD_HAVE_MAP_REQ
	struct drm_gpuvm_map_req req = {
		.map.va.addr = addr, .map.va.range = range,
		.map.gem.obj = obj, .map.gem.offset = offset,
	};

	return drm_gpuvm_sm_map_ops_create(vm, &req);
#else
	return drm_gpuvm_sm_map_ops_create(vm, addr, range, obj, offset);
#endif
}

/*
 * Inside drm_exec_until_all_locked(): the VM resv, @obj's resv and those of
 * the BOs mapped in [addr, addr + range), one fence slot each.
 */
static inline int gvbd_map_exec_lock(struct drm_gpuvm *vm, struct drm_exec *exec, u64 addr,
				     u64 range, struct drm_gem_object *obj, u64 offset)
{
#if GVBD_HAVE_MAP_REQ
	struct drm_gpuvm_map_req req = {
		.map.va.addr = addr, .map.va.range = range,
		.map.gem.obj = obj, .map.gem.offset = offset,
	};

	return drm_gpuvm_sm_map_exec_lock(vm, exec, 1, &req);
#else
	int ret = drm_gpuvm_prepare_vm(vm, exec, 1);

	ret = ret ?: drm_exec_prepare_obj(exec, obj, 1);
	return ret ?: drm_gpuvm_prepare_range(vm, exec, addr, range, 1);
#endif
}

/* The same for an unmap: the VM resv and the BOs mapped in the range. */
static inline int gvbd_unmap_exec_lock(struct drm_gpuvm *vm, struct drm_exec *exec, u64 addr,
				       u64 range)
{
#if GVBD_HAVE_MAP_REQ
	return drm_gpuvm_sm_unmap_exec_lock(vm, exec, addr, range);
#else
	int ret = drm_gpuvm_prepare_vm(vm, exec, 1);

	return ret ?: drm_gpuvm_prepare_range(vm, exec, addr, range, 1);
#endif
}

/* Staged mode: find or create the vm_bo, under @obj's resv. */
static inline struct drm_gpuvm_bo *gvbd_obtain_locked(struct drm_gpuvm *vm,
						      struct drm_gem_object *obj)
{
#if GVBD_HAVE_IMMEDIATE
	return drm_gpuvm_bo_obtain_locked(vm, obj);
#else
	return drm_gpuvm_bo_obtain(vm, obj);
#endif
}

#endif /* GVBD_COMPAT_H */
