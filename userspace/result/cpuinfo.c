// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The CPU's name and the host kind from the kernel's text. On arm64 the
 * name comes from MIDR_EL1 as /proc/cpuinfo shows it ("CPU implementer:
 * 0x41", "CPU part: 0xd0b"): the part numbers are Arm's and the vendors'
 * own (their TRMs; Linux's arch/arm64/include/asm/cputype.h lists them).
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "result/cpuinfo.h"

struct gvb_midr_name {
	unsigned int impl, part;
	const char *name;
};

static const struct gvb_midr_name gvb_midr_names[] = {
	{ 0x41, 0xd03, "Cortex-A53" },
	{ 0x41, 0xd04, "Cortex-A35" },
	{ 0x41, 0xd05, "Cortex-A55" },
	{ 0x41, 0xd07, "Cortex-A57" },
	{ 0x41, 0xd08, "Cortex-A72" },
	{ 0x41, 0xd09, "Cortex-A73" },
	{ 0x41, 0xd0a, "Cortex-A75" },
	{ 0x41, 0xd0b, "Cortex-A76" },
	{ 0x41, 0xd0c, "Neoverse-N1" },
	{ 0x41, 0xd0d, "Cortex-A77" },
	{ 0x41, 0xd40, "Neoverse-V1" },
	{ 0x41, 0xd41, "Cortex-A78" },
	{ 0x41, 0xd44, "Cortex-X1" },
	{ 0x41, 0xd46, "Cortex-A510" },
	{ 0x41, 0xd47, "Cortex-A710" },
	{ 0x41, 0xd48, "Cortex-X2" },
	{ 0x41, 0xd49, "Neoverse-N2" },
	{ 0x41, 0xd4b, "Cortex-A78C" },
	{ 0x41, 0xd4e, "Cortex-X3" },
	{ 0x41, 0xd4f, "Neoverse-V2" },
	{ 0x41, 0xd80, "Cortex-A520" },
	{ 0x41, 0xd81, "Cortex-A720" },
	{ 0x41, 0xd82, "Cortex-X4" },
	{ 0x41, 0xd84, "Neoverse-V3" },
	{ 0x41, 0xd8e, "Neoverse-N3" },
	{ 0x46, 0x001, "Fujitsu A64FX" },
	{ 0x48, 0xd01, "HiSilicon TSV110" },
	{ 0x4e, 0x004, "NVIDIA Carmel" },
	{ 0x61, 0x022, "Apple M1 Icestorm" },
	{ 0x61, 0x023, "Apple M1 Firestorm" },
	{ 0x61, 0x024, "Apple M1 Pro Icestorm" },
	{ 0x61, 0x025, "Apple M1 Pro Firestorm" },
	{ 0x61, 0x028, "Apple M1 Max Icestorm" },
	{ 0x61, 0x029, "Apple M1 Max Firestorm" },
	{ 0x61, 0x032, "Apple M2 Blizzard" },
	{ 0x61, 0x033, "Apple M2 Avalanche" },
	{ 0xc0, 0xac3, "AmpereOne" },
	/* QEMU's "-cpu max" under TCG: implementer 0 (software), part 'Q'. */
	{ 0x00, 0x051, "QEMU max" },
};

/* The most kinds of core one name lists; big.LITTLE has two or three. */
#define GVB_CPU_KINDS	8

struct gvb_cpu_kind {
	unsigned int impl, part, count;
};

/* The value of a "key : value" line, trimmed, or NULL if @line is not @key. */
static const char *gvb_line_value(const char *line, size_t len, const char *key, char *buf,
				  size_t size)
{
	size_t klen = strlen(key), n;
	const char *v, *end = line + len;

	if (len < klen || strncmp(line, key, klen))
		return NULL;
	v = memchr(line, ':', len);
	/* Only blanks may sit between the key and its colon ("CPU part\t: 0xd0b"). */
	for (const char *p = line + klen; v && p < v; p++)
		if (*p != ' ' && *p != '\t')
			return NULL;
	if (!v)
		return NULL;
	for (v++; v < end && isspace((unsigned char)*v); v++)
		;
	while (end > v && isspace((unsigned char)end[-1]))
		end--;
	n = (size_t)(end - v) < size - 1 ? (size_t)(end - v) : size - 1;
	memcpy(buf, v, n);
	buf[n] = '\0';
	return buf;
}

static const char *gvb_midr_name(unsigned int impl, unsigned int part)
{
	size_t i;

	for (i = 0; i < sizeof(gvb_midr_names) / sizeof(gvb_midr_names[0]); i++)
		if (gvb_midr_names[i].impl == impl && gvb_midr_names[i].part == part)
			return gvb_midr_names[i].name;
	return NULL;
}

static void gvb_kind_add(struct gvb_cpu_kind *k, unsigned int *nk, unsigned int impl,
			 unsigned int part)
{
	unsigned int i;

	for (i = 0; i < *nk; i++) {
		if (k[i].impl == impl && k[i].part == part) {
			k[i].count++;
			return;
		}
	}
	if (*nk < GVB_CPU_KINDS)
		k[(*nk)++] = (struct gvb_cpu_kind){ impl, part, 1 };
}

void gvb_cpuinfo_model(char *dst, size_t size, const char *cpuinfo)
{
	struct gvb_cpu_kind kinds[GVB_CPU_KINDS];
	unsigned int nk = 0, i, impl = 0;
	bool have_impl = false;
	const char *line = cpuinfo;
	size_t pos = 0;
	char v[256];

	snprintf(dst, size, "unknown");
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		if (gvb_line_value(line, len, "model name", v, sizeof(v)) && *v) {
			snprintf(dst, size, "%s", v);
			return;
		}
		if (gvb_line_value(line, len, "CPU implementer", v, sizeof(v))) {
			impl = (unsigned int)strtoul(v, NULL, 0);
			have_impl = true;
		} else if (have_impl && gvb_line_value(line, len, "CPU part", v, sizeof(v))) {
			gvb_kind_add(kinds, &nk, impl, (unsigned int)strtoul(v, NULL, 0));
			have_impl = false;
		}
		line = nl ? nl + 1 : NULL;
	}
	for (i = 0; i < nk && pos < size; i++) {
		const char *name = gvb_midr_name(kinds[i].impl, kinds[i].part);
		char raw[48], count[16] = "";

		snprintf(raw, sizeof(raw), "implementer 0x%02x part 0x%03x", kinds[i].impl,
			 kinds[i].part);
		if (nk > 1)
			snprintf(count, sizeof(count), "%ux ", kinds[i].count);
		pos += snprintf(dst + pos, size - pos, "%s%s%s", i ? " + " : "", count,
				name ? name : raw);
	}
}

/* Firmware vendors that only hypervisors report (DMI sys_vendor, exactly). */
static const char *const gvb_vm_vendors[] = {
	"QEMU", "VMware, Inc.", "innotek GmbH", "Xen", "Parallels Software International Inc.",
	"Red Hat", "Bochs", NULL,
};

const char *gvb_host_kind_of(const char *cpuinfo, const char *sys_vendor, const char *dt,
			     size_t dt_len)
{
	const char *line = cpuinfo, *const *vv;
	const char *kind = "native";
	size_t off, n;
	char v[4096];

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		if (gvb_line_value(line, len, "vendor_id", v, sizeof(v)) &&
		    strstr(v, "User Mode Linux"))
			return "uml";
		if (gvb_line_value(line, len, "flags", v, sizeof(v)) &&
		    (!strncmp(v, "hypervisor", 10) || strstr(v, " hypervisor")))
			kind = "vm";
		line = nl ? nl + 1 : NULL;
	}
	if (sys_vendor) {
		n = strcspn(sys_vendor, "\n");
		for (vv = gvb_vm_vendors; *vv; vv++)
			if (strlen(*vv) == n && !strncmp(sys_vendor, *vv, n))
				kind = "vm";
	}
	/* The root compatible list: strings separated (and ended) by NULs. */
	for (off = 0; dt && off < dt_len; off += n + 1) {
		n = strnlen(dt + off, dt_len - off);
		if (n == strlen("linux,dummy-virt") && !memcmp(dt + off, "linux,dummy-virt", n))
			kind = "vm";
	}
	return kind;
}
