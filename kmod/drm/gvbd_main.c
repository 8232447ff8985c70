// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * gvbench_drm.ko: module init/exit. It creates the one fake drm_device
 * the engine's VMs and GEM objects belong to, registers the engine with
 * gvbench.ko, and offers debugfs gvbench_drm/selftest (KTAP) and
 * gvbench_drm/replay (vectors, see gvbd_replay.c).
 *
 * Lifetime: every engine instance holds a reference on this module
 * (gvb_engine_get()), so it cannot be unloaded while one lives; closing
 * /dev/gvbench frees them all. At exit the module checks that no vm_bo is
 * left (each holds a VM and a BO reference, so none of those either).
 */
#define pr_fmt(fmt) "gvbench_drm: " fmt

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/vmalloc.h>
#include <generated/utsrelease.h>

#include "gvbd.h"

struct drm_device *gvbd_drm;
static struct platform_device *gvbd_pdev;
static struct dentry *gvbd_debugfs;

static bool gvbd_selftest_at_load;
module_param_named(selftest, gvbd_selftest_at_load, bool, 0444);
MODULE_PARM_DESC(selftest, "run the engine's KTAP self-test at load");

static const struct drm_driver gvbd_driver = {
	.driver_features = GVBD_DRIVER_FEATURES,
	.name = "gvbench_drm",
	.desc = "gpuvm-bench drm_gpuvm engine",
	.major = 1,
};

static int gvbd_selftest_show(struct seq_file *m, void *unused)
{
	unsigned int passed;
	int failed = gvbd_selftest_run(&passed);

	/* The KTAP lines went to the kernel log; this is the summary. */
	seq_printf(m, "# gvbench_drm selftest: %u passed, %d failed\n", passed, failed);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(gvbd_selftest);

static int __init gvbd_init(void)
{
	int ret;

	gvbd_pdev = platform_device_register_simple("gvbench_drm", -1, NULL, 0);
	if (IS_ERR(gvbd_pdev))
		return PTR_ERR(gvbd_pdev);
	gvbd_drm = drm_dev_alloc(&gvbd_driver, &gvbd_pdev->dev);
	if (IS_ERR(gvbd_drm)) {
		ret = PTR_ERR(gvbd_drm);
		goto err_pdev;
	}
	if (gvbd_selftest_at_load) {
		unsigned int passed;

		gvbd_selftest_run(&passed);
	}
	ret = gvbd_engine_init();
	if (ret)
		goto err_drm;
	gvbd_debugfs = debugfs_create_dir("gvbench_drm", NULL);
	debugfs_create_file("selftest", 0400, gvbd_debugfs, NULL, &gvbd_selftest_fops);
	gvbd_replay_init(gvbd_debugfs);
	pr_info("drm_gpuvm engine on %s (immediate mode: %s)\n", UTS_RELEASE,
		GVBD_HAVE_IMMEDIATE ? "yes" : "no, needs 7.0");
	return 0;

err_drm:
	drm_dev_put(gvbd_drm);
err_pdev:
	platform_device_unregister(gvbd_pdev);
	return ret;
}

static void __exit gvbd_exit(void)
{
	debugfs_remove(gvbd_debugfs);
	gvbd_engine_exit();
	if (atomic64_read(&gvbd_live_vm_bos))
		pr_err("%lld vm_bos leaked\n", (long long)atomic64_read(&gvbd_live_vm_bos));
	drm_dev_put(gvbd_drm);
	platform_device_unregister(gvbd_pdev);
}

module_init(gvbd_init);
module_exit(gvbd_exit);

MODULE_DESCRIPTION("gpuvm-bench: the drm_gpuvm engine (the kernel's own GPUVM, benchmarked)");
MODULE_AUTHOR("gpuvm-bench authors");
MODULE_LICENSE("Dual MIT/GPL");
