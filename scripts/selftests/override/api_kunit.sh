#!/bin/sh
# The KUnit suite of the Rust driver_override API runs when its module loads;
# every case must pass.
. ./common.inc

ktap_header
ktap_plan 2

kmsg "mark kunit"
insmod_mod lifecycle_override_api
rmmod lifecycle_override_api
log=$(dmesg_since "mark kunit")
echo "$log" | grep -E '(ok|not ok) [0-9]+ ' | sed 's/^\[[^]]*\] */# kunit: /'
cases=$(echo "$log" | grep -cE '^\[[^]]*\] +ok [0-9]+ [a-z_]+$')
ktap_info "KUnit cases passed: $cases"
if echo "$log" | grep -qE '\] +ok [0-9]+ drvlife_driver_override$' &&
	! echo "$log" | grep -q 'not ok'; then
	ktap_pass "KUnit suite drvlife_driver_override passed"
else
	ktap_fail "KUnit suite drvlife_driver_override passed"
fi
ktap_check "all 6 KUnit cases ran (saw $cases ok lines incl. the suite)" [ "$cases" -ge 7 ]
ktap_finish
