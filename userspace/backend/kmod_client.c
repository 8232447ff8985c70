// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Client of /dev/gvbench: one function per ioctl, see kmod_client.h.
 */
#include "backend/kmod_client.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define GVB_KMOD_DEFAULT_PATH	GVBENCH_DEVICE
#define GVB_KMOD_PEROP_ADDR	(2ULL << 20)	/* 2M-aligned, as map-unmap uses */
#define GVB_KMOD_PEROP_VA	(1ULL << 30)

static int gvb_kmod_ioctl(int fd, unsigned long cmd, void *arg)
{
	/* Every argument struct starts with argsz, which _IOC_SIZE(cmd) states. */
	*(uint32_t *)arg = _IOC_SIZE(cmd);
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

/* Copies @name into a fixed array; -EINVAL if it does not fit with its NUL. */
static int gvb_kmod_name(char *dst, size_t len, const char *name)
{
	size_t n = strlen(name);

	if (n >= len)
		return -EINVAL;
	memcpy(dst, name, n + 1);
	return 0;
}

int gvb_kmod_open(const char *path)
{
	struct gvbench_version v;
	int fd, ret;

	if (!path)
		path = GVB_KMOD_DEFAULT_PATH;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		if (ret == -ENOENT || ret == -ENXIO || ret == -ENODEV)
			fprintf(stderr, "gvbench: %s not found: load gvbench.ko "
				"(insmod kmod/gvbench.ko) or use -b user\n", path);
		else if (ret == -EACCES || ret == -EPERM)
			fprintf(stderr, "gvbench: %s: %s (it is root-only: run as root, "
				"or use -b user)\n", path, strerror(-ret));
		else
			fprintf(stderr, "gvbench: %s: %s\n", path, strerror(-ret));
		return ret;
	}
	memset(&v, 0, sizeof(v));
	ret = gvb_kmod_ioctl(fd, GVBENCH_IOC_GET_VERSION, &v);
	if (ret || v.major != GVBENCH_ABI_MAJOR) {
		if (ret)
			fprintf(stderr, "gvbench: %s: GET_VERSION failed: %s (not gvbench.ko?)\n",
				path, strerror(-ret));
		else
			fprintf(stderr, "gvbench: %s speaks ABI %u.%u, this gvbench needs %u.x: "
				"rebuild and reload kmod/gvbench.ko\n", path, v.major, v.minor,
				GVBENCH_ABI_MAJOR);
		close(fd);
		return ret ? ret : -EPROTO;
	}
	return fd;
}

void gvb_kmod_close(int fd)
{
	if (fd >= 0)
		close(fd);
}

int gvb_kmod_version(int fd, struct gvbench_version *v)
{
	memset(v, 0, sizeof(*v));
	return gvb_kmod_ioctl(fd, GVBENCH_IOC_GET_VERSION, v);
}

static int gvb_kmod_list(int fd, unsigned long cmd, uint32_t index, struct gvbench_list *out)
{
	memset(out, 0, sizeof(*out));
	out->index = index;
	return gvb_kmod_ioctl(fd, cmd, out);
}

int gvb_kmod_list_strategies(int fd, uint32_t index, struct gvbench_list *out)
{
	return gvb_kmod_list(fd, GVBENCH_IOC_LIST_STRATEGIES, index, out);
}

int gvb_kmod_list_workloads(int fd, uint32_t index, struct gvbench_list *out)
{
	return gvb_kmod_list(fd, GVBENCH_IOC_LIST_WORKLOADS, index, out);
}

int gvb_kmod_list_formats(int fd, uint32_t index, struct gvbench_list *out)
{
	return gvb_kmod_list(fd, GVBENCH_IOC_LIST_FORMATS, index, out);
}

int gvb_kmod_list_engines(int fd, uint32_t index, struct gvbench_list *out)
{
	return gvb_kmod_list(fd, GVBENCH_IOC_LIST_ENGINES, index, out);
}

/* The module's name of engine @engine: "" is the model, for modules before minor 2. */
static const char *gvb_kmod_engine_name(const char *engine)
{
	return !engine || !strcmp(engine, "model") ? "" : engine;
}

int gvb_kmod_engine_query(int fd, const char *engine, const char *workload,
			  const char *strategy, bool *can, char *why, size_t len)
{
	struct gvbench_engine_query a;
	int ret;

	memset(&a, 0, sizeof(a));
	a.flags = GVBENCH_BY_NAME;
	if (gvb_kmod_name(a.engine_name, sizeof(a.engine_name), gvb_kmod_engine_name(engine)) ||
	    gvb_kmod_name(a.workload_name, sizeof(a.workload_name), workload) ||
	    gvb_kmod_name(a.strategy_name, sizeof(a.strategy_name), strategy))
		return -EINVAL;
	ret = gvb_kmod_ioctl(fd, GVBENCH_IOC_ENGINE_QUERY, &a);
	if (ret)
		return ret;
	*can = a.result == GVBENCH_ENGINE_CAN_RUN;
	a.why[sizeof(a.why) - 1] = '\0';
	snprintf(why, len, "%s", a.why);
	return 0;
}

/* The index of entry @name of the registry that @list walks, or -ENOENT. */
static int gvb_kmod_index(int fd, const char *name,
			  int (*list)(int fd, uint32_t index, struct gvbench_list *out))
{
	struct gvbench_list l;
	uint32_t i;
	int ret;

	for (i = 0; !(ret = list(fd, i, &l)); i++)
		if (!strcmp(l.name, name))
			return (int)i;
	return ret;
}

int gvb_kmod_strategy_index(int fd, const char *name)
{
	return gvb_kmod_index(fd, name, gvb_kmod_list_strategies);
}

int gvb_kmod_format_index(int fd, const char *name)
{
	return gvb_kmod_index(fd, name, gvb_kmod_list_formats);
}

int gvb_kmod_vm_create(int fd, const char *strategy, const char *format, uint64_t va_start,
		       uint64_t va_range, uint64_t flush_ns, uint32_t flags, uint32_t *handle)
{
	struct gvbench_vm_create a;
	int ret;

	memset(&a, 0, sizeof(a));
	a.flags = flags | GVBENCH_BY_NAME;
	if (gvb_kmod_name(a.strategy_name, sizeof(a.strategy_name), strategy) ||
	    gvb_kmod_name(a.format_name, sizeof(a.format_name), format ? format : ""))
		return -EINVAL;
	a.va_start = va_start;
	a.va_range = va_range;
	a.flush_ns = flush_ns;
	ret = gvb_kmod_ioctl(fd, GVBENCH_IOC_VM_CREATE, &a);
	if (!ret)
		*handle = a.handle;
	return ret;
}

static int gvb_kmod_destroy(int fd, unsigned long cmd, uint32_t handle)
{
	struct gvbench_destroy a;

	memset(&a, 0, sizeof(a));
	a.handle = handle;
	return gvb_kmod_ioctl(fd, cmd, &a);
}

int gvb_kmod_vm_destroy(int fd, uint32_t vm)
{
	return gvb_kmod_destroy(fd, GVBENCH_IOC_VM_DESTROY, vm);
}

int gvb_kmod_bo_create(int fd, const char *strategy, uint64_t size, uint32_t private_vm,
		       uint32_t *handle)
{
	struct gvbench_bo_create a;
	int idx, ret;

	idx = gvb_kmod_strategy_index(fd, strategy);
	if (idx < 0)
		return idx == -ENOENT ? -EINVAL : idx;
	memset(&a, 0, sizeof(a));
	a.flags = private_vm ? GVBENCH_BO_PRIVATE : 0;
	a.strategy = idx;
	a.vm = private_vm;
	a.bo_size = size;
	ret = gvb_kmod_ioctl(fd, GVBENCH_IOC_BO_CREATE, &a);
	if (!ret)
		*handle = a.handle;
	return ret;
}

int gvb_kmod_bo_destroy(int fd, uint32_t bo)
{
	return gvb_kmod_destroy(fd, GVBENCH_IOC_BO_DESTROY, bo);
}

int gvb_kmod_map(int fd, uint32_t vm, uint32_t bo, uint64_t addr, uint64_t range,
		 uint64_t offset, uint32_t prot)
{
	struct gvbench_map a;

	memset(&a, 0, sizeof(a));
	a.vm = vm;
	a.bo = bo;
	a.addr = addr;
	a.range = range;
	a.offset = offset;
	a.prot = prot;
	return gvb_kmod_ioctl(fd, GVBENCH_IOC_MAP, &a);
}

int gvb_kmod_unmap(int fd, uint32_t vm, uint64_t addr, uint64_t range)
{
	struct gvbench_unmap a;

	memset(&a, 0, sizeof(a));
	a.vm = vm;
	a.addr = addr;
	a.range = range;
	return gvb_kmod_ioctl(fd, GVBENCH_IOC_UNMAP, &a);
}

int gvb_kmod_wl_create(int fd, const char *workload, const char *strategy,
		       struct gvb_kmod_wl_params *p, uint32_t *handle)
{
	struct gvbench_wl_create a;
	int ret;

	memset(&a, 0, sizeof(a));
	a.flags = GVBENCH_BY_NAME | (p->defer_async ? GVBENCH_DEFER_ASYNC : 0) |
		  (p->bo_external ? GVBENCH_BO_EXTERNAL : 0) |
		  (p->pt_reclaim ? GVBENCH_PT_RECLAIM : 0) | (p->bind_sync ? GVBENCH_BIND_SYNC : 0);
	if (gvb_kmod_name(a.workload_name, sizeof(a.workload_name), workload) ||
	    gvb_kmod_name(a.strategy_name, sizeof(a.strategy_name), strategy))
		return -EINVAL;
	if (p->format && p->format[0]) {
		ret = gvb_kmod_format_index(fd, p->format);
		if (ret < 0)
			return ret == -ENOENT ? -EINVAL : ret;
		a.format = ret;
	}
	if (gvb_kmod_name(a.engine_name, sizeof(a.engine_name), gvb_kmod_engine_name(p->engine)))
		return -EINVAL;
	a.threads = p->threads;
	a.size = p->size;
	a.count = p->count;
	a.flush_ns = p->flush_ns;
	a.seed = p->seed;
	ret = gvb_kmod_ioctl(fd, GVBENCH_IOC_WL_CREATE, &a);
	if (ret)
		return ret;
	p->threads = a.threads;
	p->size = a.size;
	p->count = a.count;
	p->flush_ns = a.flush_ns;
	p->seed = a.seed;
	*handle = a.handle;
	return 0;
}

int gvb_kmod_wl_destroy(int fd, uint32_t wl)
{
	return gvb_kmod_destroy(fd, GVBENCH_IOC_WL_DESTROY, wl);
}

int gvb_kmod_wl_count(int fd, uint32_t wl, uint32_t thread, uint64_t n,
		      struct gvbench_wl_count *out)
{
	memset(out, 0, sizeof(*out));
	out->handle = wl;
	out->thread = thread;
	out->n = n;
	return gvb_kmod_ioctl(fd, GVBENCH_IOC_WL_COUNT, out);
}

int gvb_kmod_wl_run(int fd, uint32_t wl, uint32_t thread, uint64_t n, uint64_t extra,
		    struct gvb_kmod_run *out)
{
	struct gvbench_wl_run a;
	int ret;

	memset(&a, 0, sizeof(a));
	a.handle = wl;
	a.thread = thread;
	a.n = n;
	a.extra = extra;
	ret = gvb_kmod_ioctl(fd, GVBENCH_IOC_WL_RUN, &a);
	if (!ret && out) {
		out->elapsed_ns = a.elapsed_ns;
		out->run_ns = a.run_ns;
		out->drain_ns = a.drain_ns;
	}
	return ret;
}

static int gvb_kmod_stats(int fd, uint32_t flags, uint32_t handle, uint32_t thread,
			  struct gvbench_stats *out)
{
	memset(out, 0, sizeof(*out));
	out->flags = flags;
	out->handle = handle;
	out->thread = thread;
	return gvb_kmod_ioctl(fd, GVBENCH_IOC_STATS, out);
}

int gvb_kmod_vm_stats(int fd, uint32_t vm, struct gvbench_stats *out)
{
	return gvb_kmod_stats(fd, 0, vm, 0, out);
}

int gvb_kmod_wl_stats(int fd, uint32_t wl, uint32_t thread, struct gvbench_stats *out)
{
	return gvb_kmod_stats(fd, GVBENCH_STATS_WL, wl, thread, out);
}

int gvb_kmod_torture(int fd, const char *strategy, struct gvbench_torture *a)
{
	struct gvbench_torture in = *a;
	int ret;

	memset(a, 0, sizeof(*a));
	ret = gvb_kmod_name(a->strategy_name, sizeof(a->strategy_name), strategy);
	if (ret)
		return ret;
	a->flags = GVBENCH_BY_NAME;
	a->threads = in.threads;
	a->vms = in.vms;
	a->bos = in.bos;
	a->ops = in.ops;
	a->duration_ms = in.duration_ms;
	a->seed = in.seed;
	a->check_every = in.check_every;
	return gvb_kmod_ioctl(fd, GVBENCH_IOC_TORTURE, a);
}

int gvb_kmod_live(int fd, int64_t *live)
{
	struct gvbench_fault a;
	int ret;

	memset(&a, 0, sizeof(a));
	ret = gvb_kmod_ioctl(fd, GVBENCH_IOC_FAULT, &a);
	if (!ret)
		*live = a.live;
	return ret;
}

int gvb_kmod_selftest(int fd, uint32_t *passed, uint32_t *failed)
{
	struct gvbench_selftest a;
	int ret;

	memset(&a, 0, sizeof(a));
	ret = gvb_kmod_ioctl(fd, GVBENCH_IOC_SELFTEST, &a);
	if (!ret) {
		*passed = a.passed;
		*failed = a.failed;
	}
	return ret;
}

int gvb_kmod_perop_init(struct gvb_kmod_perop *p, int fd, const char *strategy,
			const char *format, uint64_t size, uint64_t flush_ns)
{
	int ret;

	memset(p, 0, sizeof(*p));
	p->fd = fd;
	ret = gvb_kmod_vm_create(fd, strategy, format, 0, GVB_KMOD_PEROP_VA, flush_ns, 0, &p->vm);
	if (ret)
		return ret;
	ret = gvb_kmod_bo_create(fd, strategy, size, 0, &p->bo);
	if (ret) {
		gvb_kmod_vm_destroy(fd, p->vm);
		p->vm = 0;
		return ret;
	}
	/* Built once: the loop then costs what the two syscalls cost. */
	p->map.argsz = sizeof(p->map);
	p->map.vm = p->vm;
	p->map.bo = p->bo;
	p->map.addr = GVB_KMOD_PEROP_ADDR;
	p->map.range = size;
	p->map.prot = GVBENCH_PROT_READ | GVBENCH_PROT_WRITE;
	p->unmap.argsz = sizeof(p->unmap);
	p->unmap.vm = p->vm;
	p->unmap.addr = GVB_KMOD_PEROP_ADDR;
	p->unmap.range = size;
	return 0;
}

int gvb_kmod_perop_run(struct gvb_kmod_perop *p, uint64_t n)
{
	while (n--) {
		if (ioctl(p->fd, GVBENCH_IOC_MAP, &p->map))
			return -errno;
		if (ioctl(p->fd, GVBENCH_IOC_UNMAP, &p->unmap))
			return -errno;
	}
	return 0;
}

void gvb_kmod_perop_fini(struct gvb_kmod_perop *p)
{
	if (p->vm)
		gvb_kmod_vm_destroy(p->fd, p->vm);
	if (p->bo)
		gvb_kmod_bo_destroy(p->fd, p->bo);
	p->vm = 0;
	p->bo = 0;
}
