#!/bin/sh
# Control: a plain failing test.
. ../ktap.sh
ktap_header
ktap_plan 2
ktap_pass "a passing subtest"
ktap_fail "a failing subtest (the host must fail this)"
ktap_finish
