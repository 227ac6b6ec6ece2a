#!/bin/sh
# Control for devres/aux_children.sh: the same check of the children's
# timers under parent unbind/bind cycles, but each child's timer survives
# the child's unbind (the test-only build lifecycle_edu_timer_kept, stopped
# only at rmmod): its ticks find the parent's BAR revoked and the check must
# come out "not ok".
cd ../devres || exit 1
EDU_MOD=lifecycle_edu_timer_kept
# shellcheck source=../devres/common.inc
. ./common.inc
devres_setup
ktap_header
ktap_plan 1
dev=$(edu_dev)
insmod_mod "$EDU_MOD" children=2 child_timer_period_us=1000
ktap_check "parent unbind/bind cycles: children's timers ticked, none found the BAR revoked" \
	child_timers_cycle "$(basename "$dev")" 5
rmmod "$EDU_MOD"
ktap_finish
