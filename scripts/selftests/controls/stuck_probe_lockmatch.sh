#!/bin/sh
# Control for seeds/stuck_probe_register.sh: the same load on a test bus
# whose match() takes the device lock, the behaviour reverted upstream
# (lifecycle_lockmatch_bus, C). The second driver's registration
# (lifecycle_lockmatch_other) waits in match() for the stuck probe's device
# lock, so the bound check must fail (not ok). The probe is then released
# and both modules unload.
cd ../seeds || exit 1
# shellcheck source=../seeds/common.inc
. ./common.inc
ktap_header
ktap_plan 4
stuck_vs_register lifecycle_lockmatch_bus /sys/kernel/debug/drvlife_lockbus/release \
	lifecycle_lockmatch_other "$(cmdline_value stuck_bound_s 10)"
ktap_finish
