#!/bin/sh
# The KUnit suite of the controller's per-domain bookkeeping runs when its
# module loads; every case must pass.
. ./common.inc
syncstate_setup

ktap_header
ktap_plan 2

kmsg "mark pd kunit"
insmod_mod "$CTL_MOD"
rmmod "$CTL_MOD"
log=$(dmesg_since "mark pd kunit")
echo "$log" | grep -E '(ok|not ok) [0-9]+ ' | sed 's/^\[[^]]*\] */# kunit: /'
cases=$(echo "$log" | grep -cE '^\[[^]]*\] +ok [0-9]+ [a-z_]+$')
if echo "$log" | grep -qE '\] +ok [0-9]+ drvlife_pd_bookkeeping$' &&
	! echo "$log" | grep -q 'not ok'; then
	ktap_pass "KUnit suite drvlife_pd_bookkeeping passed"
else
	ktap_fail "KUnit suite drvlife_pd_bookkeeping passed"
fi
ktap_check "all 9 KUnit cases ran (saw $cases ok lines incl. the suite)" [ "$cases" -ge 10 ]
ktap_finish
