#!/bin/sh
# Seed 004: a device unplugged halfway through a long read. QMP device_del
# of the edu device while a read of many seconds is in flight on
# /dev/drvlife-edu (lifecycle_devres_edu, 400 operations 50 ms apart: 20 s
# or more), then device_add, drvlife.unplug_cycles times (default 2).
# Passes if each read ends with ENODEV within drvlife.unplug_bound_s
# seconds (default 15; pciehp waits 5 s after the attention button before
# it removes the device) of the request, each new device binds, the
# counters add up, and nothing splats.
# Control: controls/unplug_read_on.sh (reads that go on after the device
# is gone).
cd ../devres || exit 1
# shellcheck source=../devres/common.inc
. ./common.inc
# shellcheck source=./unplug.inc
. ../seeds/unplug.inc
devres_setup
ktap_header
cycles=$(cmdline_value unplug_cycles 2)
ktap_plan $((cycles * 2 + 1))
edu_dev >/dev/null || { ktap_fail "edu device present"; ktap_finish; }
insmod_mod "$EDU_MOD" ops_per_read=400 read_delay_us=50000 children=0
unplug_long_reads "$cycles" "$(cmdline_value unplug_bound_s 15)"
rmmod "$EDU_MOD"
ktap_finish
