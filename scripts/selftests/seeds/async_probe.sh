#!/bin/sh
# shellcheck disable=SC2317 # the helpers are called through ktap_check
# Seed 003: an asynchronous probe scheduled before an unbind, a device's
# removal or the driver's unloading must not bind the device afterwards.
# The sample lifecycle_async_probe asks for asynchronous probing (patch
# 0021) and sleeps in its probe; lifecycle_async_devices adds and removes
# its platform devices from debugfs. First, what insmod waits for: the
# probes its module's init scheduled, unless loaded with async_probe=1.
# Then three races, each right after the probes were scheduled: rmmod
# right after insmod async_probe=1
# (drvlife.async_rmmod_rounds, default 5: each unload waits for the
# delayed kobject release), device removal right after addition and
# unbind right after addition (drvlife.async_rounds each, default 50).
# Passes if every probe that started ended bound and was unbound, none
# started or stayed bound after the unbind, removal or unload returned, no
# driver directory or link is left, and nothing splats.
# Control: controls/async_probe_unflushed.sh (a probe deferred to a work
# item of the module's own, not flushed at exit).
. ./common.inc

DRV_MOD=lifecycle_async_probe
DEV_MOD=lifecycle_async_devices
DEVICES=4
DRV_DIR=/sys/bus/platform/drivers/$DRV_MOD
CONTROL=/sys/kernel/debug/drvlife_async_devices/control
RMMOD_ROUNDS=$(cmdline_value async_rmmod_rounds 5)
ROUNDS=$(cmdline_value async_rounds 50)

# bound_count: how many of the sample's devices have a driver (bound, or
# probing: really_probe() links the driver before it calls probe()).
bound_count() {
	_a_n=0
	for _a_d in /sys/bus/platform/devices/"$DRV_MOD".*; do
		[ -e "$_a_d/driver" ] && _a_n=$((_a_n + 1))
	done
	echo "$_a_n"
}

# device_count: how many of the sample's devices exist.
device_count() {
	_a_n=0
	for _a_d in /sys/bus/platform/devices/"$DRV_MOD".*; do
		[ -e "$_a_d" ] && _a_n=$((_a_n + 1))
	done
	echo "$_a_n"
}

# probe_lines MARK WHAT: the sample's "async: WHAT" lines since MARK.
probe_lines() { dmesg_since "$1" | grep -c "$DRV_MOD\.[0-9]*: async: $2"; }

# balanced MARK: every probe since MARK that started ended bound and was
# unbound; says the counts.
balanced() {
	_a_p=$(probe_lines "$1" probing)
	_a_b=$(probe_lines "$1" bound)
	_a_u=$(probe_lines "$1" unbound)
	ktap_info "since '$1': $_a_p probes started, $_a_b bound, $_a_u unbound"
	[ "$_a_p" -eq "$_a_b" ] && [ "$_a_b" -eq "$_a_u" ]
}

# none_left LEFT: no round left a device bound (LEFT is 0), and none is now.
none_left() { [ "$1" -eq 0 ] && [ "$(bound_count)" -eq 0 ]; }

# both_unloaded: neither module is loaded.
both_unloaded() { ! module_loaded "$DRV_MOD" && ! module_loaded "$DEV_MOD"; }

# wait_bound N TENTHS: until N devices are bound, at most TENTHS tenths.
wait_bound() {
	_a_i=0
	while [ "$(bound_count)" -ne "$1" ]; do
		[ "$_a_i" -ge "$2" ] && return 1
		usleep 100000
		_a_i=$((_a_i + 1))
	done
}

ktap_header
ktap_plan 12

insmod_mod "$DEV_MOD" devices=$DEVICES
ktap_check "$DEVICES devices registered" [ "$(device_count)" -eq "$DEVICES" ]

# The module loader waits for the asynchronous work a module's init
# scheduled before insmod returns (do_init_module()), unless the module is
# loaded with async_probe: only then does insmod return while the probes
# sleep.
mark="async insmod"
kmsg "$mark"
insmod_mod "$DRV_MOD" probe_ms=1000
waited=$(probe_lines "$mark" bound)
ktap_info "$waited of $DEVICES probes done when insmod returned"
ktap_check "insmod waits for the asynchronous probes its init scheduled" [ "$waited" -eq "$DEVICES" ]
rmmod "$DRV_MOD"
mark="async insmod async_probe=1"
kmsg "$mark"
insmod_mod "$DRV_MOD" probe_ms=2000 async_probe=1
early=$(probe_lines "$mark" bound)
ktap_info "$early of $DEVICES probes done when insmod async_probe=1 returned"
ktap_check "insmod async_probe=1 returns before the 2 s probes end" [ "$early" -eq 0 ]
ktap_check "every device bound by its asynchronous probe" wait_bound "$DEVICES" 150
rmmod "$DRV_MOD"

# rmmod right after insmod, the probes in flight: driver_unregister()
# waits for every asynchronous probe scheduled, then unbinds.
mark="async rmmod rounds"
kmsg "$mark"
left=0
n=0
while [ "$n" -lt "$RMMOD_ROUNDS" ]; do
	insmod_mod "$DRV_MOD" probe_ms=100 async_probe=1
	rmmod "$DRV_MOD"
	if [ "$(bound_count)" -ne 0 ] || [ -e "$DRV_DIR" ]; then
		left=$((left + 1))
	fi
	n=$((n + 1))
done
usleep 500000
ktap_check "$RMMOD_ROUNDS rmmods right after insmod: no device bound, no driver directory after rmmod ($left rounds left some)" \
	none_left "$left"
ktap_check "rmmod rounds: every probe that started was bound and then unbound" balanced "$mark"

# Device removal right after addition, the driver loaded.
echo remove >"$CONTROL"
insmod_mod "$DRV_MOD" probe_ms=50
mark="async removal rounds"
kmsg "$mark"
left=0
n=0
while [ "$n" -lt "$ROUNDS" ]; do
	echo add >"$CONTROL"
	echo remove >"$CONTROL"
	[ "$(device_count)" -eq 0 ] || left=$((left + 1))
	n=$((n + 1))
done
echo settle >"$CONTROL"
ktap_info "$(probe_lines "$mark" probing) probes started for $((ROUNDS * DEVICES)) devices added (the others removed before their probe)"
ktap_check "$ROUNDS removals right after addition: every device gone when remove returned ($left rounds not)" \
	[ "$left" -eq 0 ]
ktap_check "removal rounds: every probe that started was bound and then unbound" balanced "$mark"

# Unbind right after addition: a device whose unbind succeeded must stay
# unbound once every scheduled probe has run (settle).
mark="async unbind rounds"
kmsg "$mark"
rebound=0
unbound=0
n=0
while [ "$n" -lt "$ROUNDS" ]; do
	echo add >"$CONTROL"
	# The last added first: its probe is the likeliest not to have started.
	done_unbinds=""
	i=$DEVICES
	while [ "$i" -gt 0 ]; do
		i=$((i - 1))
		if echo "$DRV_MOD.$i" >"$DRV_DIR/unbind" 2>/dev/null; then
			done_unbinds="$done_unbinds $i"
			unbound=$((unbound + 1))
		fi
	done
	echo settle >"$CONTROL"
	for i in $done_unbinds; do
		[ -e "/sys/bus/platform/devices/$DRV_MOD.$i/driver" ] && rebound=$((rebound + 1))
	done
	echo remove >"$CONTROL"
	n=$((n + 1))
done
ktap_info "$unbound of $((ROUNDS * DEVICES)) unbinds found the device bound or probing, the others before its probe"
ktap_info "$(probe_lines "$mark" probing) probes started for $((ROUNDS * DEVICES)) devices added"
ktap_check "$ROUNDS unbinds right after addition: no unbound device bound again ($rebound were)" \
	[ "$rebound" -eq 0 ]
ktap_check "unbind rounds: every probe that started was bound and then unbound" balanced "$mark"

echo add >"$CONTROL"
rmmod "$DRV_MOD"
ktap_check "no driver link left after the last rmmod" [ "$(bound_count)" -eq 0 ]
rmmod "$DEV_MOD"
ktap_check "both modules unload" both_unloaded
ktap_finish
