// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only, for the negative control of the stuck-probe test: a bus whose
 * match() takes the device lock, as driver_match_device() under the device
 * lock did before it was reverted (seed 001). It is C because 7.3's Rust
 * cannot define a bus type.
 *
 * Loading the module registers the bus "drvlife_lockbus", its one device
 * "drvlife-lockbus-stuck" (before any driver, so that no caller of match()
 * holds the device lock already: match() is then only called from
 * __driver_attach() without it, where the reverted core took it) and the
 * driver of that device, whose probe is stuck until "release" is written
 * in /sys/kernel/debug/drvlife_lockbus/ or max_block_ms passes (then it
 * fails with -ETIMEDOUT). The probe runs in insmod, as in the Rust test
 * module lifecycle_stuck_probe. lifecycle_lockmatch_other registers a
 * second driver on this bus: its registration waits in match() for the
 * stuck probe's device lock.
 *
 * Never loaded outside the controls.
 */
#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/string.h>

#include "lifecycle_lockmatch_bus.h"

#define STUCK_NAME "drvlife-lockbus-stuck"
#define POLL_MS 10

static unsigned int max_block_ms = 20000;
module_param(max_block_ms, uint, 0444);
MODULE_PARM_DESC(max_block_ms, "Longest the probe stays stuck before it fails with ETIMEDOUT");

static bool released;
static struct dentry *dir;
/* The device is static: exit waits for its release (a delayed kobject release included). */
static DECLARE_COMPLETION(device_gone);

/* Matches a driver to the device of the same name, under the device lock. */
static int lockbus_match(struct device *dev, const struct device_driver *drv)
{
	int ret;

	device_lock(dev);
	ret = !strcmp(dev_name(dev), drv->name);
	device_unlock(dev);
	return ret;
}

const struct bus_type drvlife_lockbus = {
	.name = "drvlife_lockbus",
	.match = lockbus_match,
};
EXPORT_SYMBOL_GPL(drvlife_lockbus);

static void lockbus_release(struct device *dev)
{
	complete(&device_gone);
}

static struct device stuck_device = {
	.bus = &drvlife_lockbus,
	.release = lockbus_release,
};

static int stuck_probe(struct device *dev)
{
	unsigned int waited = 0;

	dev_info(dev, "probe stuck until released\n");
	while (!READ_ONCE(released)) {
		if (waited >= max_block_ms) {
			dev_err(dev, "probe never released\n");
			return -ETIMEDOUT;
		}
		msleep(POLL_MS);
		waited += POLL_MS;
	}
	dev_info(dev, "probe released\n");
	return 0;
}

static struct device_driver stuck_driver = {
	.name = STUCK_NAME,
	.bus = &drvlife_lockbus,
	.probe = stuck_probe,
};

static ssize_t release_write(struct file *file, const char __user *buf,
			     size_t count, loff_t *ppos)
{
	WRITE_ONCE(released, true);
	return count;
}

static const struct file_operations release_fops = {
	.owner = THIS_MODULE,
	.write = release_write,
};

static int __init lockbus_init(void)
{
	int ret;

	dir = debugfs_create_dir("drvlife_lockbus", NULL);
	debugfs_create_file("release", 0200, dir, NULL, &release_fops);
	ret = bus_register(&drvlife_lockbus);
	if (ret)
		goto err_debugfs;
	dev_set_name(&stuck_device, STUCK_NAME);
	ret = device_register(&stuck_device);
	if (ret) {
		/* device_register() needs put_device() even when it failed. */
		put_device(&stuck_device);
		goto err_device;
	}
	ret = driver_register(&stuck_driver);
	if (ret) {
		device_unregister(&stuck_device);
		goto err_device;
	}
	return 0;

err_device:
	wait_for_completion(&device_gone);
	bus_unregister(&drvlife_lockbus);
err_debugfs:
	debugfs_remove_recursive(dir);
	return ret;
}

static void __exit lockbus_exit(void)
{
	driver_unregister(&stuck_driver);
	device_unregister(&stuck_device);
	wait_for_completion(&device_gone);
	bus_unregister(&drvlife_lockbus);
	debugfs_remove_recursive(dir);
}

module_init(lockbus_init);
module_exit(lockbus_exit);
MODULE_DESCRIPTION("Test-only: a bus whose match() takes the device lock (control)");
MODULE_LICENSE("GPL");
