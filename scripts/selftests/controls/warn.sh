#!/bin/sh
# Control: says ok, but the module hits WARN_ON; the host must fail it.
. ../ktap.sh
. ../lib-module.sh
ktap_header
ktap_plan 1
insmod_mod lifecycle_faulty fault=2
rmmod lifecycle_faulty
ktap_pass "WARN_ON hit (the host must fail this)"
ktap_finish
