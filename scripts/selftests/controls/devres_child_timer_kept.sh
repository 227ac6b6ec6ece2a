#!/bin/sh
# Control for devres/aux_children.sh: the same check of the children's
# timers under parent unbind/bind cycles, but each child's timer survives
# the child's unbind (test_keep_child_timer=1, stopped only at rmmod): its
# ticks find the parent's BAR revoked and the check must come out "not ok".
cd ../devres || exit 1
# shellcheck source=../devres/common.inc
. ./common.inc
ktap_header
ktap_plan 1
dev=$(edu_dev)
insmod_mod "$EDU_MOD" children=2 child_timer_period_us=1000 test_keep_child_timer=1
ktap_check "parent unbind/bind cycles: children's timers ticked, none found the BAR revoked" \
	child_timers_cycle "$(basename "$dev")" 5
rmmod "$EDU_MOD"
ktap_finish
