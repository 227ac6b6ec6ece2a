#!/bin/sh
# Control: says ok, but the module it loads runs a KUnit suite with a
# failing case at insmod; the host must fail this test for KUnit, naming the
# suite and the case.
. ../ktap.sh
. ../lib-module.sh
ktap_header
ktap_plan 1
insmod_mod lifecycle_kunit_failing
rmmod lifecycle_kunit_failing
ktap_pass "KUnit case failed at insmod (the host must fail this)"
ktap_finish
