#!/bin/sh
# Seeds 002/004: sysfs draining ongoing operations on removal. The
# test-only C driver lifecycle_sysfs_drain has a device attribute (in its
# dev_groups) whose show() sleeps 3 s. A read sleeps in it while the
# device is unbound, and another file descriptor on the attribute is held
# open. Passes if unbind waits for the show() in flight (1 s or more), that
# read returns its own binding's data, the attribute is gone after unbind,
# a read on the held descriptor fails with ENODEV (never stale data), and
# a rebind brings the attribute back with the new binding.
# Control: controls/sysfs_drain_kept.sh (an attribute left behind at
# unbind).
. ./common.inc
# shellcheck source=./sysfs.inc
. ./sysfs.inc
ktap_header
ktap_plan 6
drain_unbind lifecycle_sysfs_drain
ktap_finish
