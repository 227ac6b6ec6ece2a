// SPDX-License-Identifier: GPL-2.0
/*
 * Deliberately broken, for the harness's negative controls only:
 * lifecycle_sysfs_drain whose driver creates its attribute at probe and
 * forgets to remove it at unbind (see lifecycle_sysfs_drain.c). After an
 * unbind the attribute is still there and a read of it runs with no
 * binding: the check "the attribute is gone after unbind" of
 * seeds/sysfs_drain.sh must come out not ok (controls/sysfs_drain_kept.sh).
 *
 * Never loaded outside the controls.
 */
#define SYSFS_DRAIN_KEEP_ATTR
#include "lifecycle_sysfs_drain.c"
