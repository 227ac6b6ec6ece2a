#!/bin/sh
# shellcheck disable=SC2317 # the helpers are called through ktap_check
# Bind/unbind cycles of the edu device while readers hammer open files, run
# by the torture engine (target devres-edu-cycles: a cycler unbinding and
# binding in strict alternation, two readers keeping their files open
# across unbinds and reopening after each failure), then PCI remove +
# rescan (software hot-unplug) with a file open. Pass: the engine saw only
# allowed errnos (a read of an unbound device's file fails with ENODEV,
# an open of the gone node with ENOENT) and its invariants held (no device
# node without a bound driver), the counters add up (attempted =
# succeeded + refused, nothing failed), the file held across remove stays
# dead, the rescanned device works; the host adds: no splat and a clean
# kmemleak scan.
#
# Kernel command line: drvlife.devres_seconds=N (default 5).
. ./common.inc
# shellcheck source=../lib-host.sh
. ../lib-host.sh
# shellcheck source=../lib-torture.sh
. ../lib-torture.sh
devres_setup

SECONDS_RUN=$(cmdline_value devres_seconds 5)
both_ran() { [ "$cycles" -gt 0 ] && [ "$reads" -gt 0 ]; }
OUT=/tmp/devres-edu-cycles.ktap

ktap_header
ktap_plan 6

dev=$(edu_dev) || { ktap_fail "edu device present"; ktap_finish; }
torture_run "$OUT" devres-edu-cycles --seconds "$SECONDS_RUN"
status=$?
cycles=$(torture_stat "$OUT" cycler ok)
reads=$(torture_stat "$OUT" reader ok)
ms=$(torture_stat "$OUT" cycler ms)
ktap_info "$cycles unbind/bind operations in $ms ms, $reads reader operations"
echo "drvlife-stat: devres cycles=$cycles ms=$ms reads=$reads" >/dev/kmsg
ktap_check "engine: every errno allowed, no node without a driver (status $status)" \
	[ "$status" -eq 0 ]
ktap_check "the cycler ran ($cycles operations) and readers made progress ($reads)" \
	both_ran
# The engine leaves the device bound or not; the rest needs it bound.
[ -e "$dev/driver" ] || basename "$dev" >"$EDU_DRV/bind"
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
