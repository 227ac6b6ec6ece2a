#!/bin/sh
# Control for seeds/unplug_long_read.sh: the same load, one cycle, on the
# test-only build lifecycle_edu_read_on, whose reads go on after the BAR
# is revoked. The read in flight sleeps through its 20 s instead of ending
# with ENODEV after the unplug: the check must be not ok.
cd ../devres || exit 1
EDU_MOD=lifecycle_edu_read_on
# shellcheck source=../devres/common.inc
. ./common.inc
# shellcheck source=../seeds/unplug.inc
. ../seeds/unplug.inc
devres_setup
ktap_header
ktap_plan 3
edu_dev >/dev/null || { ktap_fail "edu device present"; ktap_finish; }
insmod_mod "$EDU_MOD" ops_per_read=400 read_delay_us=50000 children=0
unplug_long_reads 1 "$(cmdline_value unplug_bound_s 15)"
rmmod "$EDU_MOD"
ktap_finish
