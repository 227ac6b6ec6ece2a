#!/bin/sh
# Control: the same failing KUnit suite, declared in advance: the host must
# not fail this test for it, and the test itself checks that KUnit did
# report the failing case.
. ../ktap.sh
. ../lib-kmsg.sh
. ../lib-module.sh
. ../lib-kunit.sh
ktap_header
ktap_plan 1
kunit_expect_failure drvlife_kunit_control
kmsg "mark declared kunit"
insmod_mod lifecycle_kunit_failing
rmmod lifecycle_kunit_failing
if dmesg_since "mark declared kunit" | grep -qE '\] +not ok [0-9]+ deliberately_fails$'; then
	ktap_pass "the declared KUnit failure was reported on the console"
else
	ktap_fail "the declared KUnit failure was reported on the console"
fi
ktap_finish
