#!/bin/sh
# Control: the module panics in Rust (an Oops that kills insmod); the host
# must fail this test even though the script goes on to say ok.
. ../ktap.sh
. ../lib-module.sh
ktap_header
ktap_plan 1
insmod_mod lifecycle_faulty fault=3
ktap_pass "Rust panic committed (the host must fail this)"
ktap_finish
