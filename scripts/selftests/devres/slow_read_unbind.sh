#!/bin/sh
# Unbind in the middle of a long read: the read sleeps between operations
# outside any RCU section, so unbind does not wait for it; the read's next
# operation finds the BAR revoked and fails with ENODEV.
. ./common.inc
devres_setup

ktap_header
ktap_plan 4

dev=$(edu_dev) || { ktap_fail "edu device present"; ktap_finish; }
name=$(basename "$dev")
# 100 operations, 50 ms apart: a read of 5 s or more.
insmod_mod "$EDU_MOD" ops_per_read=100 read_delay_us=50000

exec 3<"$EDU_NODE"
(read_fd 3 >/tmp/slow.out 2>&1; echo $? >/tmp/slow.rc) &
reader=$!
sleep 1
t0=$(uptime_ms)
echo "$name" >"$EDU_DRV/unbind"
t1=$(uptime_ms)
ktap_info "unbind took $((t1 - t0)) ms with a read in flight"
ktap_check "unbind finished while the read was still sleeping (< 4000 ms)" [ $((t1 - t0)) -lt 4000 ]
wait "$reader"
ktap_info "read: rc=$(cat /tmp/slow.rc): $(cat /tmp/slow.out)"
ktap_check "the interrupted read failed with ENODEV" grep -q "No such device" /tmp/slow.out
succeeded=$(edu_stat succeeded)
if [ "$succeeded" -gt 0 ] && [ "$succeeded" -lt 100 ]; then
	ktap_pass "it did some operations before the unbind ($succeeded), not all 100"
else
	ktap_fail "it did some operations before the unbind ($succeeded), not all 100"
fi
exec 3<&-
ktap_check "counters add up" counters_add_up
echo "$name" >"$EDU_DRV/bind"
rmmod "$EDU_MOD"
ktap_finish
