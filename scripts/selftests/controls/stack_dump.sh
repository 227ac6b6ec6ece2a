#!/bin/sh
# Control: says ok, but the module calls dump_stack() from Rust, with no
# WARN and no other report; the host must fail this test for the bare stack
# dump, named by the line printed before it.
. ../ktap.sh
. ../lib-module.sh
ktap_header
ktap_plan 1
insmod_mod lifecycle_faulty fault=7
rmmod lifecycle_faulty
ktap_pass "stack dumped (the host must fail this)"
ktap_finish
