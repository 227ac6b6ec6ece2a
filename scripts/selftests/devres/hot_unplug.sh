#!/bin/sh
# Real hot-unplug: QEMU removes the edu device from its PCIe root port
# (QMP device_del, forwarded by the host harness) while the guest holds an
# fd open and the device has auxiliary children. Reads on the old fd then
# fail with ENODEV, close() is safe, the children are gone; QMP device_add
# brings a new device that binds, and a new fd works.
. ./common.inc
devres_setup

ktap_header
ktap_plan 5

# wait_for CONDITION...: poll up to 30 s (wall clock) for a command to succeed.
wait_for() {
	_deadline=$(($(uptime_ms) + 30000))
	while ! "$@"; do
		[ "$(uptime_ms)" -ge "$_deadline" ] && return 1
		usleep 100000
	done
}
# shellcheck disable=SC2317 # called through wait_for
edu_gone() { ! edu_dev >/dev/null; }
# shellcheck disable=SC2317 # called through wait_for
edu_bound() { _e=$(edu_dev) && [ -e "$_e/driver" ]; }
# The driver link appears before probe() runs, and devtmpfs creates the
# probe's device node asynchronously: wait for the node as well.
# shellcheck disable=SC2317 # called through wait_for
edu_ready() { edu_bound && [ -c "$EDU_NODE" ]; }

edu_dev >/dev/null || { ktap_fail "edu device present"; ktap_finish; }
kmsg "mark hotplug"
insmod_mod "$EDU_MOD" children=2
exec 3<"$EDU_NODE"
first=$(read_fd 3)
ktap_info "before unplug: $first"

start=$(uptime_ms)
qmp_request device_del id=edu0
if wait_for edu_gone; then
	ktap_pass "QMP device_del removed the edu device ($(($(uptime_ms) - start)) ms)"
else
	ktap_fail "QMP device_del removed the edu device (still present after 30 s; see out/*/qmp.log)"
fi

msg=$(read_fd 3)
children=$(find /sys/bus/auxiliary/devices -name "$EDU_MOD.child.*" | wc -l)
ktap_info "read on the old fd after unplug: $msg; children left: $children"
case "$msg" in
*"No such device"*) enodev=1 ;;
*) enodev=0 ;;
esac
if [ "$enodev" -eq 1 ] && [ "$children" -eq 0 ]; then
	ktap_pass "old fd reads fail with ENODEV, children removed"
else
	ktap_fail "old fd reads fail with ENODEV, children removed (got: $msg; $children children left)"
fi
exec 3<&-
ktap_pass "close() of the old fd after unplug"

qmp_request device_add driver=edu id=edu0 bus=drvlife_rp1
if wait_for edu_ready; then
	ktap_pass "QMP device_add: a new edu device appears and binds"
else
	ktap_fail "QMP device_add: a new edu device appears and binds"
fi
exec 4<"$EDU_NODE"
msg=$(read_fd 4 new)
exec 4<&-
ktap_info "new fd: $msg"
case "$msg" in
ok*) ktap_pass "a new fd on the re-plugged device works" ;;
*) ktap_fail "a new fd on the re-plugged device works" ;;
esac
rmmod "$EDU_MOD"
ktap_finish
