#!/bin/sh
# Control for syncstate/callback_child.sh: the same queue_sync_state(),
# which registers and drops a child device, called as the first design of
# the callback did, with the device links lock held. Dropping the child
# takes that lock again: lockdep must report the recursive locking and the
# host must fail this test. The worker that made the call hangs for good,
# holding the links lock, so this control runs in a boot of its own.
. ../ktap.sh
. ../lib-kmsg.sh
. ../lib-module.sh

MOD=lifecycle_qss_inline
DIR=/sys/kernel/debug/drvlife_qss_inline

ktap_header
ktap_plan 2

if ! insmod_mod "$MOD"; then
	ktap_fail "insmod $MOD"
	ktap_finish
fi
calls=$(sed -n 's/^children=//p' "$DIR/stats")
ktap_check "under the device lock, at the supplier's bind, the callback worked ($calls children)" \
	[ "$calls" -ge 1 ]

kmsg "qss_inline: trigger"
echo 1 >"$DIR/trigger"
i=0
while [ "$i" -lt 20 ] && ! log_has "qss_inline: trigger" "possible recursive locking detected"; do
	sleep 1
	i=$((i + 1))
done
ktap_info "lockdep reported after ${i} s (20 s at most)"
ktap_pass "the callback was called under the device links lock (the host must fail this)"
ktap_finish
