// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * gvbench.ko: module init/exit, the /dev/gvbench misc device and the
 * debugfs self-test file.
 *
 * Lifetime: every object userspace creates belongs to an open file and dies
 * with it. The misc core takes a module reference for each open file (fops
 * .owner), so the module cannot be unloaded while one is open; nothing else
 * the module creates outlives gvbench_exit().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/vmalloc.h>

#include "gvb_kmod.h"

bool gvb_allow_broken;
module_param_named(allow_broken, gvb_allow_broken, bool, 0644);
MODULE_PARM_DESC(allow_broken,
		 "allow the 'broken' negative control (it frees a held lock: use-after-free)");

static bool gvb_fault_inject;
module_param_named(fault_inject, gvb_fault_inject, bool, 0444);
MODULE_PARM_DESC(fault_inject,
		 "count live allocations and allow GVBENCH_IOC_FAULT (tests; costs time per allocation)");

static bool gvb_selftest_at_load;
module_param_named(selftest, gvb_selftest_at_load, bool, 0444);
MODULE_PARM_DESC(selftest, "run the KTAP self-test at load");

static int gvb_dev_open(struct inode *inode, struct file *file)
{
	struct gvb_file *f = kzalloc(sizeof(*f), GFP_KERNEL);
	int ret;

	if (!f)
		return -ENOMEM;
	ret = gvb_file_open(f);
	if (ret) {
		kfree(f);
		return ret;
	}
	file->private_data = f;
	return 0;
}

static int gvb_dev_release(struct inode *inode, struct file *file)
{
	struct gvb_file *f = file->private_data;

	gvb_file_close(f);
	kfree(f);
	return 0;
}

static long gvb_dev_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return gvb_file_ioctl(file->private_data, cmd, arg);
}

static const struct file_operations gvb_dev_fops = {
	.owner = THIS_MODULE,
	.open = gvb_dev_open,
	.release = gvb_dev_release,
	.unlocked_ioctl = gvb_dev_ioctl,
	/* Every struct is laid out the same for 32-bit callers. */
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice gvb_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "gvbench",
	.fops = &gvb_dev_fops,
	.mode = 0600,
};

/*
 * debugfs gvbench/selftest: opening it runs the self-test and reading
 * returns its KTAP output, so `cat` works and the output cannot change
 * between two read() calls of one open.
 */
#define GVB_SELFTEST_BUF	(64 * 1024)

struct gvb_selftest_out {
	size_t len;
	char buf[];
};

static int gvb_selftest_open(struct inode *inode, struct file *file)
{
	struct gvb_selftest_out *out = kvzalloc(sizeof(*out) + GVB_SELFTEST_BUF, GFP_KERNEL);
	unsigned int passed;

	if (!out)
		return -ENOMEM;
	gvb_selftest_run(out->buf, GVB_SELFTEST_BUF, &passed);
	out->len = strnlen(out->buf, GVB_SELFTEST_BUF);
	file->private_data = out;
	return 0;
}

static ssize_t gvb_selftest_read(struct file *file, char __user *ubuf, size_t count,
				 loff_t *ppos)
{
	struct gvb_selftest_out *out = file->private_data;

	return simple_read_from_buffer(ubuf, count, ppos, out->buf, out->len);
}

static int gvb_selftest_release(struct inode *inode, struct file *file)
{
	kvfree(file->private_data);
	return 0;
}

static const struct file_operations gvb_selftest_fops = {
	.owner = THIS_MODULE,
	.open = gvb_selftest_open,
	.read = gvb_selftest_read,
	.release = gvb_selftest_release,
	.llseek = default_llseek,
};

static struct dentry *gvb_debugfs;

static int __init gvbench_init(void)
{
	int ret;

	/* Before the first allocation, and never off again: the count stays whole. */
	if (gvb_fault_inject)
		static_branch_enable(&gvb_fault_key);
	ret = gvb_core_init();
	if (ret)
		return ret;
	if (gvb_selftest_at_load) {
		unsigned int passed;

		/* The result is in the log; a failing self-test still loads the module. */
		gvb_selftest_run(NULL, 0, &passed);
	}
	ret = misc_register(&gvb_miscdev);
	if (ret) {
		gvb_core_exit();
		return ret;
	}
	/* debugfs is optional: errors are ignored, as its API asks. */
	gvb_debugfs = debugfs_create_dir("gvbench", NULL);
	debugfs_create_file("selftest", 0400, gvb_debugfs, NULL, &gvb_selftest_fops);
	return 0;
}

static void __exit gvbench_exit(void)
{
	/* Removed first: an open selftest file holds a module reference anyway. */
	debugfs_remove(gvb_debugfs);
	misc_deregister(&gvb_miscdev);
	gvb_fault_disarm();
	gvb_core_exit();
}

module_init(gvbench_init);
module_exit(gvbench_exit);

MODULE_DESCRIPTION("gpuvm-bench: DRM GPUVM locking strategies, benchmarked in the kernel");
MODULE_AUTHOR("gpuvm-bench authors");
MODULE_LICENSE("Dual MIT/GPL");
