#!/bin/sh
# Control: insmod sleeps in the module's init until a signal arrives. The
# runner must kill it at the suite timeout, write the stacks of the test's
# tasks to the kernel log first, and the host must show them (decoded) as
# the timeout's excerpt.
. ../ktap.sh
. ../lib-module.sh
ktap_header
ktap_plan 1
insmod_mod lifecycle_faulty fault=6
ktap_pass "unreachable: only the runner's kill ends the insmod"
ktap_finish
