#!/bin/sh
# Control: says ok, but the module registers a second device under a name
# that is taken; the driver core refuses it after sysfs's "cannot create
# duplicate filename" stack dump, which the host must fail this test for.
. ../ktap.sh
. ../lib-module.sh
ktap_header
ktap_plan 1
insmod_mod lifecycle_faulty fault=8
rmmod lifecycle_faulty
ktap_pass "duplicate sysfs name refused (the host must fail this)"
ktap_finish
