// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only, for the negative control of the stuck-probe test: a second
 * driver for the bus of lifecycle_lockmatch_bus, matching no device. Its
 * registration at insmod calls the bus's match() for the device whose
 * probe is stuck, and waits there for that device's lock (the reverted
 * behaviour of seed 001). C because the bus is C.
 *
 * Never loaded outside the controls.
 */
#include <linux/device.h>
#include <linux/module.h>

#include "lifecycle_lockmatch_bus.h"

static int other_probe(struct device *dev)
{
	return 0;
}

static struct device_driver other_driver = {
	.name = "drvlife-lockbus-other",
	.bus = &drvlife_lockbus,
	.probe = other_probe,
};

static int __init other_init(void)
{
	return driver_register(&other_driver);
}

static void __exit other_exit(void)
{
	driver_unregister(&other_driver);
}

module_init(other_init);
module_exit(other_exit);
MODULE_DESCRIPTION("Test-only: a second driver on the lock-taking match() bus (control)");
MODULE_LICENSE("GPL");
