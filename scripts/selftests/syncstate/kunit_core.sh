#!/bin/sh
# The driver core's KUnit suite of our series (patch 0003,
# driver_queue_sync_state) is built in and runs at boot: every case must
# have passed. It covers what a module cannot: the calls held back while
# sync_state() calls are paused, and no call when the driver changed
# between queueing and the flush of the sync list.
. ./common.inc
syncstate_setup

ktap_header
ktap_plan 2

# The boot log saved by the guest's init: by the time this test runs the
# kernel's ring buffer may have wrapped.
log=$(sed -n '/Subtest: driver_queue_sync_state/,/ok [0-9]* driver_queue_sync_state$/p' /tmp/boot.log)
echo "$log" | grep -E '(ok|not ok) [0-9]+ |EXPECTATION|ASSERTION' | sed 's/^\[[^]]*\] */# kunit: /'
if echo "$log" | grep -qE '\] +ok [0-9]+ driver_queue_sync_state$' &&
	! echo "$log" | grep -q 'not ok'; then
	ktap_pass "KUnit suite driver_queue_sync_state passed at boot"
else
	ktap_fail "KUnit suite driver_queue_sync_state passed at boot"
fi
cases=$(echo "$log" | grep -cE '\] +ok [0-9]+ qss_test_[a-z_]+$')
ktap_check "all 4 cases ran and passed (saw $cases)" [ "$cases" -eq 4 ]
ktap_finish
