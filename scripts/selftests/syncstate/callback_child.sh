#!/bin/sh
# A queue_sync_state() callback may register and drop a device: it runs
# under the supplier's device lock, not the device links lock that device
# registration and removal take. lifecycle_qss_child's callback registers
# and drops a child of the supplier at each of the supplier's binds; every
# call must have done so, with no lockdep report and no hung task (the
# host fails the test on either). Its control, controls-deadlock, makes the
# same call under the links lock.
. ../ktap.sh
. ../lib-module.sh

MOD=lifecycle_qss_child
STATS=/sys/kernel/debug/drvlife_qss_child/stats
SUP=drvlife-qss-supplier
DRV=/sys/bus/platform/drivers/$SUP
ROUNDS=5

qss_stat() { sed -n "s/^$1=//p" "$STATS"; }

ktap_header
ktap_plan 4

if ! insmod_mod "$MOD"; then
	ktap_fail "insmod $MOD"
	ktap_finish
fi
ktap_check "the supplier bound at load and its callback ran ($(qss_stat queue_sync_state_calls) calls)" \
	[ "$(qss_stat queue_sync_state_calls)" -ge 1 ]

rebound=0
i=0
while [ "$i" -lt "$ROUNDS" ]; do
	echo "$SUP" >"$DRV/unbind" && echo "$SUP" >"$DRV/bind" && rebound=$((rebound + 1))
	i=$((i + 1))
done
ktap_check "the supplier was unbound and bound $ROUNDS times ($rebound)" [ "$rebound" -eq "$ROUNDS" ]

calls=$(qss_stat queue_sync_state_calls)
children=$(qss_stat children)
errors=$(qss_stat child_errors)
ktap_info "calls $calls, children registered and dropped $children, errors $errors"
ktap_check "one call per bind ($calls for $((ROUNDS + 1)) binds)" [ "$calls" -eq $((ROUNDS + 1)) ]
all_children=no
[ "$children" -eq "$calls" ] && [ "$errors" -eq 0 ] && all_children=yes
ktap_check "every call registered and dropped its child" [ "$all_children" = yes ]
rmmod "$MOD"
ktap_finish
