/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test-only: the bus of lifecycle_lockmatch_bus.c, for the second driver
 * of lifecycle_lockmatch_other.c.
 */
#ifndef LIFECYCLE_LOCKMATCH_BUS_H
#define LIFECYCLE_LOCKMATCH_BUS_H

#include <linux/device/bus.h>

extern const struct bus_type drvlife_lockbus;

#endif
