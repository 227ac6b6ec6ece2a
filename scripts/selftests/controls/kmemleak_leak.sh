#!/bin/sh
# Control: says ok, but the module leaks, and the test does not scan for it:
# a later kmemleak scan of the runner must find the leak and the host must
# blame it on this test by its allocation time (not on the test during or
# after which it was found, nor on no test).
. ../ktap.sh
. ../lib-module.sh
ktap_header
ktap_plan 1
insmod_mod lifecycle_faulty fault=4
rmmod lifecycle_faulty
ktap_pass "objects leaked (the host must fail this)"
ktap_finish
