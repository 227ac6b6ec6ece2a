#!/bin/sh
# Control: says ok, but the module leaks, and the test does not scan for it:
# the runner's kmemleak scan after this test must find the leak and the host
# must blame it on this test (not on the next one, nor on no test).
. ../ktap.sh
. ../lib-module.sh
ktap_header
ktap_plan 1
insmod_mod lifecycle_faulty fault=4
rmmod lifecycle_faulty
ktap_pass "objects leaked (the host must fail this)"
ktap_finish
