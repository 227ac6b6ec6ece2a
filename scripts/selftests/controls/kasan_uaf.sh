#!/bin/sh
# Control: says ok, but the module reads freed memory; KASAN must report it
# and the host must fail this test.
. ../ktap.sh
. ../lib-module.sh
ktap_header
ktap_plan 1
insmod_mod lifecycle_faulty fault=1
rmmod lifecycle_faulty
ktap_pass "use-after-free committed (the host must fail this)"
ktap_finish
