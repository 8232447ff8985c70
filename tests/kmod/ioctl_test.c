// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * ioctl_test: sends /dev/gvbench every class of bad input and checks the
 * errno of each (include/uapi/gvbench.h states the rules), plus the good
 * paths they border on. Runs in the vm-run guest as root, statically
 * linked. Prints one TAP-like line per check and, last,
 * "ioctl_test: N passed, M failed"; exits 1 if any failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "backend/kmod_client.h"
#include "tap.h"

static int fd;

/* The raw ioctl with argsz set to the struct's size, as userspace should. */
static int xioctl(unsigned long cmd, void *arg)
{
	*(uint32_t *)arg = _IOC_SIZE(cmd);
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

/* The raw ioctl with argsz left as the caller set it. */
static int rawioctl(unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

static struct gvbench_vm_create vm_args(const char *strategy, uint64_t start, uint64_t range)
{
	struct gvbench_vm_create a;

	memset(&a, 0, sizeof(a));
	a.flags = GVBENCH_BY_NAME;
	snprintf(a.strategy_name, sizeof(a.strategy_name), "%s", strategy);
	a.va_start = start;
	a.va_range = range;
	return a;
}

static int vm_create(const char *strategy, uint32_t *h)
{
	return gvb_kmod_vm_create(fd, strategy, NULL, 0, 1ULL << 30, 0, 0, h);
}

static struct gvbench_map map_args(uint32_t vm, uint32_t bo, uint64_t addr, uint64_t range,
				   uint64_t off)
{
	struct gvbench_map a;

	memset(&a, 0, sizeof(a));
	a.vm = vm;
	a.bo = bo;
	a.addr = addr;
	a.range = range;
	a.offset = off;
	a.prot = GVBENCH_PROT_READ | GVBENCH_PROT_WRITE;
	return a;
}

static struct gvbench_wl_create wl_args(const char *w, const char *s)
{
	struct gvbench_wl_create a;

	memset(&a, 0, sizeof(a));
	a.flags = GVBENCH_BY_NAME;
	snprintf(a.workload_name, sizeof(a.workload_name), "%s", w);
	snprintf(a.strategy_name, sizeof(a.strategy_name), "%s", s);
	a.threads = 2;
	a.size = 4096;
	return a;
}

static void test_envelope(void)
{
	struct gvbench_version v;
	unsigned char big[sizeof(v) + 64];
	void *page;

	memset(&v, 0, sizeof(v));
	check("GET_VERSION", xioctl(GVBENCH_IOC_GET_VERSION, &v), 0);
	check("GET_VERSION major", (int)v.major, GVBENCH_ABI_MAJOR);
	check_true("GET_VERSION lists strategies, workloads, formats",
		   v.n_strategies >= 4 && v.n_workloads >= 1 && v.n_formats >= 1);
	memset(&v, 0, sizeof(v));
	v.flags = 1;
	check("GET_VERSION unknown flag", xioctl(GVBENCH_IOC_GET_VERSION, &v), -EINVAL);
	memset(&v, 0, sizeof(v));
	v.pad = 1;
	check("GET_VERSION nonzero pad", xioctl(GVBENCH_IOC_GET_VERSION, &v), -EINVAL);

	/* argsz: too small, too large, a longer struct with a zero or nonzero tail */
	memset(&v, 0, sizeof(v));
	v.argsz = 8;
	check("argsz below the struct", rawioctl(GVBENCH_IOC_GET_VERSION, &v), -EINVAL);
	v.argsz = GVBENCH_ARGSZ_MAX + 8;
	check("argsz above 4096", rawioctl(GVBENCH_IOC_GET_VERSION, &v), -EINVAL);
	memset(big, 0, sizeof(big));
	*(uint32_t *)big = sizeof(big);
	check("longer struct, zero tail", rawioctl(GVBENCH_IOC_GET_VERSION, big), 0);
	big[sizeof(big) - 1] = 1;
	check("longer struct, nonzero tail", rawioctl(GVBENCH_IOC_GET_VERSION, big), -E2BIG);

	/* Pointers the kernel must not trust. */
	check("NULL argument", rawioctl(GVBENCH_IOC_GET_VERSION, NULL), -EFAULT);
	check("argument (void *)1", rawioctl(GVBENCH_IOC_GET_VERSION, (void *)1), -EFAULT);
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(page, 4096);
	check("unmapped argument", rawioctl(GVBENCH_IOC_GET_VERSION, page), -EFAULT);
	/* argsz readable, the rest of the struct beyond the end of the mapping */
	page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap((char *)page + 4096, 4096);
	*(uint32_t *)((char *)page + 4092) = sizeof(v);
	check("struct crossing into unmapped memory",
	      rawioctl(GVBENCH_IOC_GET_VERSION, (char *)page + 4092), -EFAULT);
	munmap(page, 4096);

	/* Numbers the module does not know. */
	check("unknown ioctl number",
	      rawioctl(_IOWR(GVBENCH_IOC_MAGIC, 0x7f, struct gvbench_version), &v), -ENOTTY);
	check("another driver's magic", rawioctl(_IOWR('x', 0x40, struct gvbench_version), &v),
	      -ENOTTY);
	check("wrong direction",
	      rawioctl(_IOW(GVBENCH_IOC_MAGIC, 0x40, struct gvbench_version), &v), -ENOTTY);
}

static void test_lists(void)
{
	struct gvbench_list l;
	struct gvbench_version v;
	unsigned int i, ok = 1;

	gvb_kmod_version(fd, &v);
	for (i = 0; i < v.n_strategies; i++)
		ok &= !gvb_kmod_list_strategies(fd, i, &l) && l.name[0] && l.desc[0];
	check_true("LIST_STRATEGIES: every index has a name and a description", ok);
	check("LIST_STRATEGIES past the end", gvb_kmod_list_strategies(fd, v.n_strategies, &l),
	      -ENOENT);
	check("LIST_STRATEGIES index ~0", gvb_kmod_list_strategies(fd, ~0u, &l), -ENOENT);
	for (i = 0, ok = 1; i < v.n_workloads; i++)
		ok &= !gvb_kmod_list_workloads(fd, i, &l) && l.name[0] && l.desc[0];
	check_true("LIST_WORKLOADS: every index has a name and a description", ok);
	check("LIST_WORKLOADS past the end", gvb_kmod_list_workloads(fd, v.n_workloads, &l),
	      -ENOENT);
	check("LIST_FORMATS 0", gvb_kmod_list_formats(fd, 0, &l), 0);
	check_true("LIST_FORMATS 0 is arm-lpae-s1, 48 bits",
		   !strcmp(l.name, "arm-lpae-s1") && l.va_bits == 48);
	check("LIST_FORMATS past the end", gvb_kmod_list_formats(fd, v.n_formats, &l), -ENOENT);
	memset(&l, 0, sizeof(l));
	l.flags = 2;
	check("LIST unknown flag", xioctl(GVBENCH_IOC_LIST_STRATEGIES, &l), -EINVAL);
	check("strategy_index(resv)", gvb_kmod_strategy_index(fd, "resv") >= 0 ? 0 : -1, 0);
}

static int broken_allowed(void)
{
	FILE *f = fopen("/sys/module/gvbench/parameters/allow_broken", "r");
	int c = f ? fgetc(f) : 'N';

	if (f)
		fclose(f);
	return c == 'Y';
}

static void test_vm_create(void)
{
	struct gvbench_vm_create a;
	uint32_t h;

	a = vm_args("resv", 0, 1ULL << 30);
	check("VM_CREATE by name", xioctl(GVBENCH_IOC_VM_CREATE, &a), 0);
	check_true("VM_CREATE returns a nonzero handle", a.handle != 0);
	check("VM_DESTROY", gvb_kmod_vm_destroy(fd, a.handle), 0);
	check("VM_DESTROY twice", gvb_kmod_vm_destroy(fd, a.handle), -ENOENT);

	memset(&a, 0, sizeof(a));
	a.strategy = gvb_kmod_strategy_index(fd, "gpuva");
	a.va_range = 1 << 20;
	check("VM_CREATE by index", xioctl(GVBENCH_IOC_VM_CREATE, &a), 0);
	gvb_kmod_vm_destroy(fd, a.handle);

	a = vm_args("resv", 0, 1 << 20);
	a.flags |= 1u << 7;
	check("VM_CREATE unknown flag", xioctl(GVBENCH_IOC_VM_CREATE, &a), -EINVAL);
	a = vm_args("resv", 0, 1 << 20);
	a.pad = 1;
	check("VM_CREATE nonzero pad", xioctl(GVBENCH_IOC_VM_CREATE, &a), -EINVAL);
	a = vm_args("no-such-strategy", 0, 1 << 20);
	check("VM_CREATE unknown strategy name", xioctl(GVBENCH_IOC_VM_CREATE, &a), -EINVAL);
	a = vm_args("", 0, 1 << 20);
	check("VM_CREATE empty strategy name", xioctl(GVBENCH_IOC_VM_CREATE, &a), -EINVAL);
	a = vm_args("resv", 0, 1 << 20);
	memset(a.strategy_name, 'r', sizeof(a.strategy_name));
	check("VM_CREATE unterminated name", xioctl(GVBENCH_IOC_VM_CREATE, &a), -EINVAL);
	a = vm_args("resv", 0, 1 << 20);
	a.strategy = 1;
	check("VM_CREATE by name with an index too", xioctl(GVBENCH_IOC_VM_CREATE, &a), -EINVAL);
	a = vm_args("resv", 0, 1 << 20);
	a.flags = 0;
	check("VM_CREATE by index with a name too", xioctl(GVBENCH_IOC_VM_CREATE, &a), -EINVAL);
	memset(&a, 0, sizeof(a));
	a.strategy = 1000;
	a.va_range = 1 << 20;
	check("VM_CREATE strategy index out of range", xioctl(GVBENCH_IOC_VM_CREATE, &a), -EINVAL);
	memset(&a, 0, sizeof(a));
	a.format = 1000;
	a.va_range = 1 << 20;
	check("VM_CREATE format index out of range", xioctl(GVBENCH_IOC_VM_CREATE, &a), -EINVAL);
	a = vm_args("resv", 0, 1 << 20);
	strcpy(a.format_name, "no-such-format");
	check("VM_CREATE unknown format name", xioctl(GVBENCH_IOC_VM_CREATE, &a), -EINVAL);
	a = vm_args("resv", 0, 1 << 20);
	strcpy(a.format_name, "arm-lpae-s1");
	check("VM_CREATE format by name", xioctl(GVBENCH_IOC_VM_CREATE, &a), 0);
	gvb_kmod_vm_destroy(fd, a.handle);

	a = vm_args("resv", 0x800, 1 << 20);
	check("VM_CREATE unaligned start", xioctl(GVBENCH_IOC_VM_CREATE, &a), -EINVAL);
	a = vm_args("resv", 0, (1 << 20) + 512);
	check("VM_CREATE unaligned range", xioctl(GVBENCH_IOC_VM_CREATE, &a), -EINVAL);
	a = vm_args("resv", 0, 0);
	check("VM_CREATE zero range", xioctl(GVBENCH_IOC_VM_CREATE, &a), -EINVAL);
	a = vm_args("resv", ~0ULL - 4095, 8192);
	check("VM_CREATE overflowing range", xioctl(GVBENCH_IOC_VM_CREATE, &a), -EINVAL);
	a = vm_args("resv", 1ULL << 47, (1ULL << 47) + 4096);
	check("VM_CREATE beyond 48 bits", xioctl(GVBENCH_IOC_VM_CREATE, &a), -EINVAL);
	a = vm_args("resv", 0, 1ULL << 48);
	check("VM_CREATE all 48 bits", xioctl(GVBENCH_IOC_VM_CREATE, &a), 0);
	gvb_kmod_vm_destroy(fd, a.handle);
	a = vm_args("resv", 0, 1 << 20);
	a.flush_ns = 1000001;
	check("VM_CREATE flush_ns too large", xioctl(GVBENCH_IOC_VM_CREATE, &a), -EINVAL);
	a = vm_args("broken", 0, 1 << 20);
	if (broken_allowed()) {
		check("VM_CREATE broken (allow_broken=1)", xioctl(GVBENCH_IOC_VM_CREATE, &a), 0);
		gvb_kmod_vm_destroy(fd, a.handle);
	} else {
		check("VM_CREATE broken without allow_broken", xioctl(GVBENCH_IOC_VM_CREATE, &a),
		      -EPERM);
	}

	/* A create whose result cannot be written back is undone. */
	{
		struct gvbench_vm_create *ro = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
						    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		struct gvbench_stats st;
		uint32_t before, after;

		vm_create("resv", &before);
		*ro = vm_args("resv", 0, 1 << 20);
		ro->argsz = sizeof(*ro);
		mprotect(ro, 4096, PROT_READ);
		check("VM_CREATE into read-only memory", rawioctl(GVBENCH_IOC_VM_CREATE, ro),
		      -EFAULT);
		vm_create("resv", &after);
		check("... and its VM was destroyed again",
		      after == before + 2 ? gvb_kmod_vm_stats(fd, before + 1, &st) : -1, -ENOENT);
		gvb_kmod_vm_destroy(fd, before);
		gvb_kmod_vm_destroy(fd, after);
		munmap(ro, 4096);
	}
	check("vm_create helper", vm_create("gpuva+deferred", &h), 0);
	gvb_kmod_vm_destroy(fd, h);
}

static void test_bo(void)
{
	struct gvbench_bo_create a;
	uint32_t vm, vm2, h;
	int resv = gvb_kmod_strategy_index(fd, "resv");

	vm_create("resv", &vm);
	vm_create("gpuva", &vm2);
	check("BO_CREATE", gvb_kmod_bo_create(fd, "resv", 1 << 20, 0, &h), 0);
	check("BO_DESTROY", gvb_kmod_bo_destroy(fd, h), 0);
	check("BO_DESTROY twice", gvb_kmod_bo_destroy(fd, h), -ENOENT);
	check("BO_DESTROY handle 0", gvb_kmod_bo_destroy(fd, 0), -ENOENT);
	check("BO_CREATE private", gvb_kmod_bo_create(fd, "resv", 1 << 20, vm, &h), 0);
	gvb_kmod_bo_destroy(fd, h);
	check("BO_CREATE zero size", gvb_kmod_bo_create(fd, "resv", 0, 0, &h), -EINVAL);
	check("BO_CREATE unaligned size", gvb_kmod_bo_create(fd, "resv", 5000, 0, &h), -EINVAL);
	check("BO_CREATE above 4 GiB", gvb_kmod_bo_create(fd, "resv", (1ULL << 32) + 4096, 0, &h),
	      -EINVAL);
	check("BO_CREATE private in a bad VM", gvb_kmod_bo_create(fd, "resv", 4096, 9999, &h),
	      -ENOENT);
	check("BO_CREATE private in a VM of another strategy",
	      gvb_kmod_bo_create(fd, "resv", 4096, vm2, &h), -EINVAL);
	memset(&a, 0, sizeof(a));
	a.strategy = resv;
	a.bo_size = 4096;
	a.vm = vm;
	check("BO_CREATE a VM without GVBENCH_BO_PRIVATE", xioctl(GVBENCH_IOC_BO_CREATE, &a),
	      -EINVAL);
	a.vm = 0;
	a.flags = 4;
	check("BO_CREATE unknown flag", xioctl(GVBENCH_IOC_BO_CREATE, &a), -EINVAL);
	a.flags = 0;
	a.pad = 1;
	check("BO_CREATE nonzero pad", xioctl(GVBENCH_IOC_BO_CREATE, &a), -EINVAL);
	a.pad = 0;
	a.strategy = 1000;
	check("BO_CREATE strategy index out of range", xioctl(GVBENCH_IOC_BO_CREATE, &a), -EINVAL);
	gvb_kmod_vm_destroy(fd, vm);
	gvb_kmod_vm_destroy(fd, vm2);
}

static void test_map(void)
{
	const uint64_t M = 1 << 20;
	struct gvbench_map a;
	struct gvbench_unmap u;
	struct gvbench_stats st;
	uint32_t vm, vm2, vmg, bo, bo2, pbo, bog;

	vm_create("resv", &vm);
	vm_create("resv", &vm2);
	vm_create("gpuva", &vmg);
	gvb_kmod_bo_create(fd, "resv", 4 * M, 0, &bo);
	gvb_kmod_bo_create(fd, "resv", 4 * M, 0, &bo2);
	gvb_kmod_bo_create(fd, "resv", 4 * M, vm, &pbo);
	gvb_kmod_bo_create(fd, "gpuva", 4 * M, 0, &bog);

	a = map_args(vm, bo, 2 * M, 2 * M, 0);
	check("MAP 2M", xioctl(GVBENCH_IOC_MAP, &a), 0);
	a = map_args(vm, bo2, 3 * M, 4096, 0);
	check("MAP over an existing mapping (splits it)", xioctl(GVBENCH_IOC_MAP, &a), 0);
	a = map_args(vm, bo, 2 * M, 2 * M, 0);
	check("MAP exactly over existing mappings", xioctl(GVBENCH_IOC_MAP, &a), 0);
	check("STATS", gvb_kmod_vm_stats(fd, vm, &st), 0);
	check_true("STATS counts 3 maps, 1 remap, 3 unmaps, 1 VA",
		   st.map_steps == 3 && st.remap_steps == 1 && st.unmap_steps == 3 &&
		   st.vas == 1);
	a = map_args(vm, pbo, 8 * M, M, 0);
	check("MAP private BO in its VM", xioctl(GVBENCH_IOC_MAP, &a), 0);

	a = map_args(9999, bo, 0, 4096, 0);
	check("MAP bad VM handle", xioctl(GVBENCH_IOC_MAP, &a), -ENOENT);
	a = map_args(0, bo, 0, 4096, 0);
	check("MAP VM handle 0", xioctl(GVBENCH_IOC_MAP, &a), -ENOENT);
	a = map_args(vm, 9999, 0, 4096, 0);
	check("MAP bad BO handle", xioctl(GVBENCH_IOC_MAP, &a), -ENOENT);
	a = map_args(vm, bo, 0x800, 4096, 0);
	check("MAP unaligned address", xioctl(GVBENCH_IOC_MAP, &a), -EINVAL);
	a = map_args(vm, bo, 0, 100, 0);
	check("MAP unaligned range", xioctl(GVBENCH_IOC_MAP, &a), -EINVAL);
	a = map_args(vm, bo, 0, 4096, 12);
	check("MAP unaligned offset", xioctl(GVBENCH_IOC_MAP, &a), -EINVAL);
	a = map_args(vm, bo, 0, 0, 0);
	check("MAP zero range", xioctl(GVBENCH_IOC_MAP, &a), -EINVAL);
	a = map_args(vm, bo, ~0ULL - 4095, 8192, 0);
	check("MAP overflowing range", xioctl(GVBENCH_IOC_MAP, &a), -EINVAL);
	a = map_args(vm, bo, (1ULL << 30) - 4096, 8192, 0);
	check("MAP beyond the VM", xioctl(GVBENCH_IOC_MAP, &a), -EINVAL);
	a = map_args(vm, bo, 0, 4096, 4 * M);
	check("MAP offset at the end of the BO", xioctl(GVBENCH_IOC_MAP, &a), -EINVAL);
	a = map_args(vm, bo, 0, 2 * M, 3 * M);
	check("MAP offset + range beyond the BO", xioctl(GVBENCH_IOC_MAP, &a), -EINVAL);
	a = map_args(vm, bo, 0, 4096, ~0ULL - 4095);
	check("MAP overflowing offset + range", xioctl(GVBENCH_IOC_MAP, &a), -EINVAL);
	a = map_args(vm, bo, 0, 4096, 0);
	a.prot = 1u << 5;
	check("MAP unknown prot bit", xioctl(GVBENCH_IOC_MAP, &a), -EINVAL);
	a = map_args(vm, bo, 0, 4096, 0);
	a.flags = 1;
	check("MAP unknown flag", xioctl(GVBENCH_IOC_MAP, &a), -EINVAL);
	a = map_args(vm, bo, 0, 4096, 0);
	a.pad = 1;
	check("MAP nonzero pad", xioctl(GVBENCH_IOC_MAP, &a), -EINVAL);
	a = map_args(vm, bog, 0, 4096, 0);
	check("MAP a BO of another strategy", xioctl(GVBENCH_IOC_MAP, &a), -EINVAL);
	a = map_args(vm2, pbo, 0, 4096, 0);
	check("MAP a private BO in another VM", xioctl(GVBENCH_IOC_MAP, &a), -EINVAL);
	a = map_args(vmg, bog, 0, 4096, 0);
	check("MAP gpuva", xioctl(GVBENCH_IOC_MAP, &a), 0);

	memset(&u, 0, sizeof(u));
	u.vm = vm;
	u.addr = 2 * M + 4096;
	u.range = 4096;
	check("UNMAP a hole into a mapping", xioctl(GVBENCH_IOC_UNMAP, &u), 0);
	u.addr = 100 * M;
	check("UNMAP where nothing is mapped", xioctl(GVBENCH_IOC_UNMAP, &u), 0);
	u.vm = 9999;
	check("UNMAP bad VM handle", xioctl(GVBENCH_IOC_UNMAP, &u), -ENOENT);
	u.vm = vm;
	u.addr = 12;
	check("UNMAP unaligned address", xioctl(GVBENCH_IOC_UNMAP, &u), -EINVAL);
	u.addr = 0;
	u.range = 4097;
	check("UNMAP unaligned range", xioctl(GVBENCH_IOC_UNMAP, &u), -EINVAL);
	u.range = 0;
	check("UNMAP zero range", xioctl(GVBENCH_IOC_UNMAP, &u), -EINVAL);
	u.addr = ~0ULL - 4095;
	u.range = 8192;
	check("UNMAP overflowing range", xioctl(GVBENCH_IOC_UNMAP, &u), -EINVAL);
	u.addr = 1ULL << 30;
	u.range = 4096;
	check("UNMAP outside the VM", xioctl(GVBENCH_IOC_UNMAP, &u), -EINVAL);
	u.addr = 0;
	u.flags = 1;
	check("UNMAP unknown flag", xioctl(GVBENCH_IOC_UNMAP, &u), -EINVAL);
	u.flags = 0;
	u.pad = 1;
	check("UNMAP nonzero pad", xioctl(GVBENCH_IOC_UNMAP, &u), -EINVAL);

	/* Destroying what is in use, and using what is destroyed. */
	check("BO_DESTROY of a mapped BO", gvb_kmod_bo_destroy(fd, bo), 0);
	a = map_args(vm, bo, 0, 4096, 0);
	check("MAP a destroyed BO", xioctl(GVBENCH_IOC_MAP, &a), -ENOENT);
	check("UNMAP the last mapping of a destroyed BO",
	      gvb_kmod_unmap(fd, vm, 0, 1ULL << 30), 0);
	check("VM_DESTROY with a private BO alive", gvb_kmod_vm_destroy(fd, vm), 0);
	a = map_args(vm, bo2, 0, 4096, 0);
	check("MAP a destroyed VM", xioctl(GVBENCH_IOC_MAP, &a), -ENOENT);
	check("UNMAP a destroyed VM", gvb_kmod_unmap(fd, vm, 0, 4096), -ENOENT);
	check("STATS a destroyed VM", gvb_kmod_vm_stats(fd, vm, &st), -ENOENT);
	check("BO_DESTROY a private BO of a destroyed VM", gvb_kmod_bo_destroy(fd, pbo), 0);
	check("VM_DESTROY with a mapping", gvb_kmod_vm_destroy(fd, vmg), 0);
	check("BO_DESTROY after its VM", gvb_kmod_bo_destroy(fd, bog), 0);
	{
		struct gvbench_destroy d;

		memset(&d, 0, sizeof(d));
		d.handle = vm2;
		d.flags = 1;
		check("VM_DESTROY unknown flag", xioctl(GVBENCH_IOC_VM_DESTROY, &d), -EINVAL);
		d.flags = 0;
		d.pad = 1;
		check("VM_DESTROY nonzero pad", xioctl(GVBENCH_IOC_VM_DESTROY, &d), -EINVAL);
	}
	gvb_kmod_vm_destroy(fd, vm2);
	gvb_kmod_bo_destroy(fd, bo2);
}

struct busy_arg {
	uint32_t wl;
	unsigned int n;
	volatile int running, done;
	int ret;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/*
 * Ops for a run of thread 0 of @wl that lasts ~50 ms: long enough for a
 * second task to meet it, short under KASAN and kmemleak, where an op
 * costs milliseconds instead of a microsecond.
 */
static unsigned int busy_ops(uint32_t wl)
{
	double t = now_s(), per_op;

	if (gvb_kmod_wl_run(fd, wl, 0, 100, 0, NULL))
		return 20000;
	per_op = (now_s() - t) / 100;
	if (per_op <= 0.05 / 20000)
		return 20000;
	return per_op >= 0.05 / 100 ? 100 : (unsigned int)(0.05 / per_op);
}

static void *busy_runner(void *p)
{
	struct busy_arg *b = p;

	b->running = 1;
	/* The prober's own short runs may hold the thread for a moment. */
	do
		b->ret = gvb_kmod_wl_run(fd, b->wl, 0, b->n, 0, NULL);
	while (b->ret == -EBUSY);
	b->done = 1;
	return NULL;
}

/* WL_COUNT (ABI 1.1): lock accounting of workload @wl (map-unmap/resv, 4K). */
static void test_wl_count(uint32_t wl)
{
	struct gvbench_wl_count c;
	struct gvbench_wl_create a;

	memset(&c, 0, sizeof(c));
	c.argsz = sizeof(c);
	c.handle = wl;
	c.n = 100;
	check("WL_COUNT", xioctl(GVBENCH_IOC_WL_COUNT, &c), 0);
	check_true("WL_COUNT map-unmap/resv: 2 drm_exec, 2 VM resv, 0 gpuva, 0 tables per op",
		   c.ops == 100 && c.acquisitions[GVBENCH_LOCK_WW_ACQUIRE] == 200 &&
		   c.acquisitions[GVBENCH_LOCK_VM_RESV] == 200 &&
		   c.acquisitions[GVBENCH_LOCK_GPUVA] == 0 && c.pt_pages_allocated == 0 &&
		   c.acquisitions[GVBENCH_LOCK_SLOTS - 1] == 0);
	c.n = 0;
	check("WL_COUNT of no ops", xioctl(GVBENCH_IOC_WL_COUNT, &c), -EINVAL);
	c.n = 1;
	c.flags = 1;
	check("WL_COUNT unknown flag", xioctl(GVBENCH_IOC_WL_COUNT, &c), -EINVAL);
	c.flags = 0;
	c.thread = 2;
	check("WL_COUNT thread == threads", xioctl(GVBENCH_IOC_WL_COUNT, &c), -EINVAL);

	/* resv+gpuva: exactly 3 gpuva acquisitions more per map+unmap. */
	a = wl_args("map-unmap", "resv+gpuva");
	a.flags |= GVBENCH_PT_RECLAIM;
	check("WL_CREATE with PT_RECLAIM", xioctl(GVBENCH_IOC_WL_CREATE, &a), 0);
	memset(&c, 0, sizeof(c));
	c.argsz = sizeof(c);
	c.handle = a.handle;
	c.n = 100;
	check("WL_COUNT resv+gpuva", xioctl(GVBENCH_IOC_WL_COUNT, &c), 0);
	check_true("WL_COUNT resv+gpuva: 3 gpuva per op; reclaim: 3 tables per op",
		   c.acquisitions[GVBENCH_LOCK_GPUVA] == 300 && c.pt_pages_allocated == 300 &&
		   c.pt_pages_freed == 300);
	gvb_kmod_wl_destroy(fd, a.handle);
	a = wl_args("map-unmap", "gpuva");
	a.flags |= GVBENCH_BO_EXTERNAL | GVBENCH_BIND_SYNC;
	check("WL_CREATE with BO_EXTERNAL and BIND_SYNC", xioctl(GVBENCH_IOC_WL_CREATE, &a), 0);
	gvb_kmod_wl_destroy(fd, a.handle);
}

static void test_wl(void)
{
	struct gvbench_wl_create a;
	struct gvbench_wl_run r;
	struct gvbench_stats st;
	struct gvb_kmod_run run;
	struct gvb_kmod_wl_params p = { .threads = 2 };
	uint32_t wl;

	a = wl_args("map-unmap", "resv");
	check("WL_CREATE", xioctl(GVBENCH_IOC_WL_CREATE, &a), 0);
	check_true("WL_CREATE returns the effective parameters",
		   a.threads == 2 && a.size == 4096 && a.seed != 0);
	wl = a.handle;
	check("WL_RUN", gvb_kmod_wl_run(fd, wl, 0, 100, 0, &run), 0);
	check_true("WL_RUN times it: elapsed = run + drain > 0",
		   run.elapsed_ns > 0 && run.elapsed_ns == run.run_ns + run.drain_ns);
	check("WL_RUN thread 1 with extra ops", gvb_kmod_wl_run(fd, wl, 1, 10, 5, &run), 0);
	check("WL_RUN thread == threads", gvb_kmod_wl_run(fd, wl, 2, 1, 0, &run), -EINVAL);
	check("WL_RUN thread ~0", gvb_kmod_wl_run(fd, wl, ~0u, 1, 0, &run), -EINVAL);
	check("WL_RUN bad handle", gvb_kmod_wl_run(fd, 9999, 0, 1, 0, &run), -ENOENT);
	check("WL_RUN n + extra overflows", gvb_kmod_wl_run(fd, wl, 0, ~0ULL, 2, &run), -EINVAL);
	check("WL_RUN n above the limit",
	      gvb_kmod_wl_run(fd, wl, 0, GVBENCH_RUN_MAX_OPS + 1, 0, &run), -EINVAL);
	memset(&r, 0, sizeof(r));
	r.handle = wl;
	r.flags = 1;
	check("WL_RUN unknown flag", xioctl(GVBENCH_IOC_WL_RUN, &r), -EINVAL);
	check("STATS of a workload thread", gvb_kmod_wl_stats(fd, wl, 0, &st), 0);
	check_true("STATS of a workload thread: 100 maps, 100 unmaps",
		   st.map_steps == 100 && st.unmap_steps == 100 && st.vas == 0);
	check("STATS of a workload thread out of range", gvb_kmod_wl_stats(fd, wl, 2, &st),
	      -EINVAL);
	memset(&st, 0, sizeof(st));
	st.handle = wl;
	st.flags = 4;
	check("STATS unknown flag", xioctl(GVBENCH_IOC_STATS, &st), -EINVAL);
	st.flags = 0;
	st.thread = 1;
	check("STATS of a VM with a thread", xioctl(GVBENCH_IOC_STATS, &st), -EINVAL);

	/* The same thread from two tasks at once. */
	{
		struct busy_arg b = { .wl = wl, .n = busy_ops(wl) };
		pthread_t th;
		int got = 0, ret;

		pthread_create(&th, NULL, busy_runner, &b);
		while (!b.running)
			;
		while (!b.done && got != -EBUSY) {
			ret = gvb_kmod_wl_run(fd, wl, 0, 1, 0, &run);
			if (ret)
				got = ret;
		}
		pthread_join(th, NULL);
		check("WL_RUN of a thread already running", got, -EBUSY);
		check("... while the first run succeeds", b.ret, 0);
	}

	test_wl_count(wl);

	check("WL_DESTROY", gvb_kmod_wl_destroy(fd, wl), 0);
	check("WL_DESTROY twice", gvb_kmod_wl_destroy(fd, wl), -ENOENT);
	check("WL_RUN after destroy", gvb_kmod_wl_run(fd, wl, 0, 1, 0, &run), -ENOENT);

	check("WL_CREATE helper", gvb_kmod_wl_create(fd, "map-unmap", "gpuva", &p, &wl), 0);
	gvb_kmod_wl_destroy(fd, wl);
	a = wl_args("no-such-workload", "resv");
	check("WL_CREATE unknown workload", xioctl(GVBENCH_IOC_WL_CREATE, &a), -EINVAL);
	a = wl_args("map-unmap", "no-such-strategy");
	check("WL_CREATE unknown strategy", xioctl(GVBENCH_IOC_WL_CREATE, &a), -EINVAL);
	if (!broken_allowed()) {
		a = wl_args("map-unmap", "broken");
		check("WL_CREATE broken without allow_broken", xioctl(GVBENCH_IOC_WL_CREATE, &a),
		      -EPERM);
	}
	memset(&a, 0, sizeof(a));
	a.workload = 1000;
	check("WL_CREATE workload index out of range", xioctl(GVBENCH_IOC_WL_CREATE, &a), -EINVAL);
	a = wl_args("map-unmap", "resv");
	a.threads = 65;
	check("WL_CREATE 65 threads", xioctl(GVBENCH_IOC_WL_CREATE, &a), -EINVAL);
	a = wl_args("map-unmap", "resv");
	a.size = 4095;
	check("WL_CREATE unaligned size", xioctl(GVBENCH_IOC_WL_CREATE, &a), -EINVAL);
	a = wl_args("map-unmap", "resv");
	a.size = (1ULL << 30) + 4096;
	check("WL_CREATE size above 1 GiB", xioctl(GVBENCH_IOC_WL_CREATE, &a), -EINVAL);
	a = wl_args("map-unmap", "resv");
	a.count = (1ULL << 21) + 1;
	check("WL_CREATE count above 2^21", xioctl(GVBENCH_IOC_WL_CREATE, &a), -EINVAL);
	a = wl_args("map-unmap", "resv");
	a.flush_ns = 1000001;
	check("WL_CREATE flush_ns too large", xioctl(GVBENCH_IOC_WL_CREATE, &a), -EINVAL);
	a = wl_args("map-unmap", "resv");
	a.flags |= 1u << 9;
	check("WL_CREATE unknown flag", xioctl(GVBENCH_IOC_WL_CREATE, &a), -EINVAL);
	a = wl_args("map-unmap", "resv");
	a.format = 1000;
	check("WL_CREATE format index out of range", xioctl(GVBENCH_IOC_WL_CREATE, &a), -EINVAL);
	/* minor 2: the old pad2 is the engine index (an absent engine is -ENODEV) */
	a = wl_args("map-unmap", "resv");
	a.engine = 1;
	check("WL_CREATE engine index with BY_NAME", xioctl(GVBENCH_IOC_WL_CREATE, &a), -EINVAL);
	a = wl_args("map-unmap", "resv");
	snprintf(a.engine_name, sizeof(a.engine_name), "no-such-engine");
	check("WL_CREATE unknown engine", xioctl(GVBENCH_IOC_WL_CREATE, &a), -ENODEV);
}

static void test_selftest(void)
{
	struct gvbench_selftest s;
	uint32_t passed = 0, failed = 0;

	memset(&s, 0, sizeof(s));
	s.flags = 1;
	check("SELFTEST unknown flag", xioctl(GVBENCH_IOC_SELFTEST, &s), -EINVAL);
	check("SELFTEST", gvb_kmod_selftest(fd, &passed, &failed), 0);
	check_true("SELFTEST: all passed", passed > 0 && failed == 0);
}

int main(int argc, char **argv)
{
	int with_selftest = argc > 1 && !strcmp(argv[1], "--selftest");

	fd = gvb_kmod_open(NULL);
	if (fd < 0)
		return 2;
	test_envelope();
	test_lists();
	test_vm_create();
	test_bo();
	test_map();
	test_wl();
	if (with_selftest)
		test_selftest();
	gvb_kmod_close(fd);
	printf("ioctl_test: %u passed, %u failed\n", npass, nfail);
	return nfail ? 1 : 0;
}
