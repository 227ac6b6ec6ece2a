#!/bin/sh
# Control: insmod sleeps in the module's init in D state, forever. The
# runner's kill cannot end it and the runner itself stays stuck (the insmod
# keeps the test's output open): the host must see the test outlive its
# timeout plus the grace, dump the kernel's tasks with SysRq, stop the guest
# and blame this test, without waiting for the whole run's limit.
. ../ktap.sh
. ../lib-module.sh
ktap_header
ktap_plan 1
insmod_mod lifecycle_faulty fault=5
ktap_pass "unreachable: the insmod never returns"
ktap_finish
