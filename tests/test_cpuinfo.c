// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The CPU name and the host kind from canned /proc/cpuinfo text of other
 * machines (tests/data/cpuinfo/, see tests/data/README.md): an x86 VM, an
 * RK3588 (big.LITTLE: four Cortex-A55 and four Cortex-A76), QEMU's
 * "-cpu max", a Neoverse N1 server, a part the table lacks and UML.
 *
 * Usage: test_cpuinfo DATADIR
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gvb_test.h"
#include "result/cpuinfo.h"
#include "result/file.h"

static const char *datadir;

static char *canned(const char *name)
{
	char path[512], err[256];
	size_t len;
	char *text;

	snprintf(path, sizeof(path), "%s/%s", datadir, name);
	text = gvb_slurp(path, &len, err, sizeof(err));
	CHECK(text, "%s", err);
	return text ? text : strdup("");
}

static void model_is(const char *file, const char *want)
{
	char *text = canned(file);
	char got[128];

	gvb_cpuinfo_model(got, sizeof(got), text);
	CHECK(!strcmp(got, want), "%s: got \"%s\", want \"%s\"", file, got, want);
	free(text);
}

static void kind_is(const char *file, const char *vendor, const char *dt, size_t dt_len,
		    const char *want)
{
	char *text = file ? canned(file) : NULL;
	const char *got = gvb_host_kind_of(text, vendor, dt, dt_len);

	CHECK(!strcmp(got, want), "%s/%s: got %s, want %s", file ? file : "-",
	      vendor ? vendor : "-", got, want);
	free(text);
}

int main(int argc, char **argv)
{
	static const char virt[] = "linux,dummy-virt";
	static const char rock[] = "radxa,rock-5b\0rockchip,rk3588";
	char small[24];

	if (argc != 2) {
		fprintf(stderr, "usage: test_cpuinfo DATADIR\n");
		return 2;
	}
	datadir = argv[1];

	model_is("x86-vm.txt", "Intel(R) Xeon(R) Processor");
	model_is("rk3588.txt", "4x Cortex-A55 + 4x Cortex-A76");
	model_is("qemu-max.txt", "QEMU max");
	model_is("neoverse-n1.txt", "Neoverse-N1");
	model_is("unknown-part.txt", "implementer 0x41 part 0xd99");
	model_is("uml.txt", "UML");

	/* Text that names no CPU; a name cut to the buffer, never overrun. */
	gvb_cpuinfo_model(small, sizeof(small), "");
	CHECK(!strcmp(small, "unknown"), "%s", small);
	gvb_cpuinfo_model(small, sizeof(small), "processor\t: 0\nBogoMIPS\t: 48.00\n");
	CHECK(!strcmp(small, "unknown"), "%s", small);
	gvb_cpuinfo_model(small, sizeof(small),
			  "CPU implementer\t: 0x41\nCPU part\t: 0xd05\n"
			  "CPU implementer\t: 0x41\nCPU part\t: 0xd0b\n");
	CHECK(!strcmp(small, "1x Cortex-A55 + 1x Cort"), "%s", small);
	/* "CPU part" without an implementer before it names nothing. */
	gvb_cpuinfo_model(small, sizeof(small), "CPU part\t: 0xd05\n");
	CHECK(!strcmp(small, "unknown"), "%s", small);

	kind_is("x86-vm.txt", NULL, NULL, 0, "vm");	/* the hypervisor flag */
	kind_is("uml.txt", NULL, NULL, 0, "uml");	/* before its hypervisor flag */
	kind_is("rk3588.txt", NULL, rock, sizeof(rock), "native");
	kind_is("rk3588.txt", "Radxa\n", rock, sizeof(rock), "native");
	/* arm64 has no hypervisor flag: QEMU's virt board, or its firmware vendor. */
	kind_is("qemu-max.txt", NULL, virt, sizeof(virt), "vm");
	kind_is("neoverse-n1.txt", "QEMU\n", NULL, 0, "vm");
	kind_is("neoverse-n1.txt", "Ampere(R)\n", NULL, 0, "native");
	/* A prefix of the name is not the name. */
	kind_is("neoverse-n1.txt", "QEMUX\n", "linux,dummy", 11, "native");
	kind_is(NULL, NULL, NULL, 0, "native");
	return gvb_test_done("test_cpuinfo");
}
