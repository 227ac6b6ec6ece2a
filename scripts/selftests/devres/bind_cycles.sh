#!/bin/sh
# Bind/unbind cycles of the edu device while readers hammer open files, then
# PCI remove + rescan (software hot-unplug) with a file open. Readers reopen
# the device after each failure. Pass: every cycle completes, counters add
# up (attempted = succeeded + refused, nothing failed), the file held across
# remove stays dead, the rescanned device works; the host adds: no splat and
# a clean kmemleak scan.
#
# Kernel command line: drvlife.devres_cycles=N (default 100).
. ./common.inc
devres_setup

CYCLES=100
read -r cmdline </proc/cmdline
for arg in $cmdline; do
	case "$arg" in
	drvlife.devres_cycles=*) CYCLES=${arg#*=} ;;
	esac
done

ktap_header
ktap_plan 6

dev=$(edu_dev) || { ktap_fail "edu device present"; ktap_finish; }
name=$(basename "$dev")
insmod_mod "$EDU_MOD" children=1

stop=/tmp/cycles-stop
rm -f "$stop" /tmp/cycles-reader.*
i=0
while [ "$i" -lt 2 ]; do
	(
		ok=0
		while [ ! -e "$stop" ]; do
			# A redirection on a group, not on exec: a failed open (device
			# unbound just now) must not end the reader.
			{ while [ ! -e "$stop" ] && read_fd 5 ".$i" >/dev/null; do ok=$((ok + 1)); done; } 5<"$EDU_NODE"
		done
		echo "$ok" >"/tmp/cycles-reader.$i"
	) 2>/dev/null &
	i=$((i + 1))
done

t0=$(uptime_ms)
n=0
failed_cycles=0
while [ "$n" -lt "$CYCLES" ]; do
	echo "$name" >"$EDU_DRV/unbind" || failed_cycles=$((failed_cycles + 1))
	echo "$name" >"$EDU_DRV/bind" || failed_cycles=$((failed_cycles + 1))
	n=$((n + 1))
done
t1=$(uptime_ms)
touch "$stop"
wait
reads=$(cat /tmp/cycles-reader.* | awk '{s += $1} END {print s + 0}')
ms=$((t1 - t0))
ktap_info "$CYCLES bind/unbind cycles in $ms ms ($((CYCLES * 1000 / (ms + 1))) cycles/s), $reads successful reads"
echo "drvlife-stat: devres cycles=$CYCLES ms=$ms reads=$reads" >/dev/kmsg
ktap_check "all $CYCLES cycles completed ($failed_cycles failed writes)" [ "$failed_cycles" -eq 0 ]
ktap_check "readers made progress between cycles" [ "$reads" -gt 0 ]
ktap_check "counters add up" counters_add_up

# Software hot-unplug with a file open: remove, then rescan.
exec 3<"$EDU_NODE"
read_fd 3 >/dev/null
echo 1 >"$dev/remove"
if ! read_fd 3 >/dev/null && [ ! -e "$dev" ]; then
	ktap_pass "after PCI remove the device is gone and the open file fails"
else
	ktap_fail "after PCI remove the device is gone and the open file fails"
fi
echo 1 >/sys/bus/pci/rescan
dev=$(edu_dev)
ktap_check "rescan brings the device back, bound" [ -e "$dev/driver" ]
exec 4<"$EDU_NODE"
out=$(read_fd 4)
ktap_check "a new file works after rescan while the old one stays dead: '$out'" \
	sh -c "[ '$out' = 'ok 1' ] && ! dd bs=64 count=1 <&3 >/dev/null 2>&1"
exec 3<&-
exec 4<&-
rmmod "$EDU_MOD"
ktap_finish
