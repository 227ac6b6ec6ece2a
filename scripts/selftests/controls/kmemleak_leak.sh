#!/bin/sh
# Control: says ok, but the module leaks; kmemleak must report it once the
# objects are old enough (5 s) and the host must fail this test.
. ../ktap.sh
. ../lib-module.sh
. ../lib-kmemleak.sh
ktap_header
ktap_plan 1
insmod_mod lifecycle_faulty fault=4
rmmod lifecycle_faulty
sleep 6
kmemleak_report
ktap_pass "objects leaked (the host must fail this)"
ktap_finish
