// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only: a platform driver with a device attribute whose show() sleeps,
 * for the test that unbind drains it (seeds 002 and 004: sysfs draining
 * ongoing operations on removal). C because 7.3's Rust drivers cannot
 * declare device attributes (no dev_groups, no device_attribute binding).
 *
 * Loading the module registers the device "drvlife-sysfs-drain" and its
 * driver. While bound the device has the attribute "slow": its show()
 * sleeps show_delay_ms, then prints the binding's generation (1 for the
 * first binding, counted up at each probe). The attribute is in the
 * driver's dev_groups, so the driver core removes it at unbind, before
 * remove(), and kernfs waits for a show() in flight.
 *
 * Built with SYSFS_DRAIN_KEEP_ATTR (lifecycle_sysfs_drain_kept.c, the
 * negative control), the driver creates the attribute itself at probe and
 * forgets to remove it at unbind: it stays until the device goes.
 */
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/sysfs.h>

#define DRAIN_NAME "drvlife-sysfs-drain"

static unsigned int show_delay_ms = 3000;
module_param(show_delay_ms, uint, 0444);
MODULE_PARM_DESC(show_delay_ms, "How long a read of the attribute sleeps in show()");

static atomic_t generation = ATOMIC_INIT(0);
static struct platform_device *drain_pdev;

/* The binding's state, freed at unbind. */
struct drain_data {
	int generation;
};

static ssize_t slow_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct drain_data *data;

	msleep(show_delay_ms);
	/* Read after the sleep: a show() that outlived its binding would see no driver data. */
	data = dev_get_drvdata(dev);
	return sysfs_emit(buf, "generation=%d\n", data ? data->generation : -1);
}
static DEVICE_ATTR_RO(slow);

static struct attribute *drain_attrs[] = {
	&dev_attr_slow.attr,
	NULL,
};
ATTRIBUTE_GROUPS(drain);

static int drain_probe(struct platform_device *pdev)
{
	struct drain_data *data;

	data = devm_kzalloc(&pdev->dev, sizeof(*data), GFP_KERNEL);
	if (!data)
		return -ENOMEM;
	data->generation = atomic_inc_return(&generation);
	platform_set_drvdata(pdev, data);
#ifdef SYSFS_DRAIN_KEEP_ATTR
	/* The bug: created here, never removed at unbind. */
	if (data->generation == 1)
		return device_create_file(&pdev->dev, &dev_attr_slow);
#endif
	return 0;
}

static struct platform_driver drain_driver = {
	.probe = drain_probe,
	.driver = {
		.name = DRAIN_NAME,
#ifndef SYSFS_DRAIN_KEEP_ATTR
		.dev_groups = drain_groups,
#endif
	},
};

static int __init drain_init(void)
{
	int ret;

	drain_pdev = platform_device_register_simple(DRAIN_NAME, PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(drain_pdev))
		return PTR_ERR(drain_pdev);
	ret = platform_driver_register(&drain_driver);
	if (ret)
		platform_device_unregister(drain_pdev);
	return ret;
}

static void __exit drain_exit(void)
{
	platform_driver_unregister(&drain_driver);
	platform_device_unregister(drain_pdev);
}

module_init(drain_init);
module_exit(drain_exit);
MODULE_DESCRIPTION("Test-only: a device attribute whose show() sleeps, drained at unbind");
MODULE_LICENSE("GPL");
