/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Where the numbers were made, from the text the kernel shows: the CPU's
 * name and whether it runs under a hypervisor. Pure functions of the text,
 * so the tests feed them fixed /proc/cpuinfo of other machines.
 */
#ifndef GVB_CPUINFO_H
#define GVB_CPUINFO_H

#include <stddef.h>

/*
 * The CPU's name from the text of /proc/cpuinfo: its "model name" (x86),
 * else the cores that "CPU implementer" and "CPU part" name (arm64, whose
 * cpuinfo has no model name): "Neoverse-N1", "4x Cortex-A55 + 4x Cortex-A76"
 * for big.LITTLE (kinds in order of first appearance), "implementer 0x41
 * part 0xd99" for a part this table lacks; "unknown" when the text names
 * no CPU at all.
 */
void gvb_cpuinfo_model(char *dst, size_t size, const char *cpuinfo);

/*
 * "uml", "vm" or "native" from the text of /proc/cpuinfo, DMI's sys_vendor
 * and the device tree's root compatible (NUL-separated strings, @dt_len
 * bytes). Any may be NULL (absent). UML's cpuinfo names the vendor "User
 * Mode Linux"; an x86 guest has the "hypervisor" CPU flag; arm64 has no
 * such flag, so there a hypervisor's firmware vendor ("QEMU", "VMware,
 * Inc.", ...) or QEMU's virt board ("linux,dummy-virt") tells it.
 */
const char *gvb_host_kind_of(const char *cpuinfo, const char *sys_vendor, const char *dt,
			     size_t dt_len);

#endif /* GVB_CPUINFO_H */
