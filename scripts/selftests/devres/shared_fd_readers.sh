#!/bin/sh
# Several processes share one open file (one struct file) and read in loops
# while the device is unbound: every reader ends with ENODEV, unbind
# completes within a bound (no hang, as the shared-handle SRCU bug in the
# reverted C "revocable" API had), counters add up.
. ./common.inc
devres_setup

READERS=4
ktap_header
ktap_plan 4
rm -f /tmp/shared.*

dev=$(edu_dev) || { ktap_fail "edu device present"; ktap_finish; }
name=$(basename "$dev")
insmod_mod "$EDU_MOD" ops_per_read=20 read_delay_us=1000

exec 3<"$EDU_NODE"
i=0
while [ "$i" -lt "$READERS" ]; do
	(
		n=0
		while out=$(read_fd 3 ".$i"); do n=$((n + 1)); done
		echo "$n $out" >"/tmp/shared.$i"
	) &
	i=$((i + 1))
done
sleep 3
t0=$(uptime_ms)
echo "$name" >"$EDU_DRV/unbind"
t1=$(uptime_ms)
ktap_info "unbind with $READERS readers on one file took $((t1 - t0)) ms"
ktap_check "unbind completed within 5000 ms" [ $((t1 - t0)) -lt 5000 ]
wait
reads=$(cat /tmp/shared.* | awk '{s += $1} END {print s + 0}')
ended=$(find /tmp -maxdepth 1 -name "shared.*" | wc -l)
ktap_info "$reads successful reads before the unbind"
enodev=$(grep -l "No such device" /tmp/shared.* | wc -l)
if [ "$ended" -eq "$READERS" ] && [ "$enodev" -eq "$READERS" ]; then
	ktap_pass "all $READERS readers ended, each with ENODEV"
else
	ktap_fail "all $READERS readers ended, each with ENODEV ($ended ended, $enodev with ENODEV)"
fi
ktap_check "readers read before the unbind" [ "$reads" -gt 0 ]
exec 3<&-
ktap_check "counters add up" counters_add_up
echo "$name" >"$EDU_DRV/bind"
rmmod "$EDU_MOD"
ktap_finish
