#!/bin/sh
# The driver core's KUnit suite of our series (patch 0003,
# driver_queue_sync_state) is built in and runs at boot: every case must
# have passed. It covers what a module cannot: the calls held back while
# sync_state() calls are paused, and no call when the driver changed
# between queueing and the flush of the sync list.
. ./common.inc
# shellcheck source=../lib-kunit.sh
. ../lib-kunit.sh
syncstate_setup

ktap_header
ktap_plan 2

boot_kunit_suite driver_queue_sync_state
ktap_check "all 4 cases ran and passed (saw $BOOT_KUNIT_CASES)" [ "$BOOT_KUNIT_CASES" -eq 4 ]
ktap_finish
