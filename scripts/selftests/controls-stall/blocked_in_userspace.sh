#!/bin/sh
# Control: never finishes, in user space; the runner must kill it at the
# suite timeout (settings) and report it as failed.
. ../ktap.sh
ktap_header
ktap_plan 1
sleep 1000 &
wait
ktap_pass "unreachable"
ktap_finish
