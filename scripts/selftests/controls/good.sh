#!/bin/sh
# Control: a clean test that must pass, so the controls show the harness
# blames only the tests that misbehaved.
. ../ktap.sh
. ../lib-module.sh
ktap_header
ktap_plan 1
if insmod_mod lifecycle_faulty fault=0 && rmmod lifecycle_faulty; then
	ktap_pass "faulty module loads and unloads cleanly with fault=0"
else
	ktap_fail "faulty module loads and unloads cleanly with fault=0"
fi
ktap_finish
