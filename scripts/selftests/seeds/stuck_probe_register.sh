#!/bin/sh
# Seed 001: match() under the device lock was reverted because a stuck
# probe then stalls driver registration on the whole bus. With 7.3 (match()
# without the lock), a platform driver's probe stuck in insmod
# (lifecycle_stuck_probe, released from debugfs) must not keep another
# platform driver's module (lifecycle_override_platform) from loading:
# passes if it loads within drvlife.stuck_bound_s seconds (default 10), the
# stuck insmod returns once released, and both unload.
# Control: controls/stuck_probe_lockmatch.sh (a bus whose match() takes the
# device lock).
. ./common.inc
ktap_header
ktap_plan 4
stuck_vs_register lifecycle_stuck_probe /sys/kernel/debug/drvlife_stuck_probe/release \
	lifecycle_override_platform "$(cmdline_value stuck_bound_s 10)"
ktap_finish
