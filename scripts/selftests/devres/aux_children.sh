#!/bin/sh
# Auxiliary children reach the parent's BAR through the registration data:
# access() with the child's own device is refused (EINVAL), access() with
# the parent (proven bound by the bound child) works. Unbinding the parent
# unbinds the children first, while the BAR is still mapped; rebind brings
# them back; rmmod with children bound is clean. Each child runs a timer on
# the parent's BAR (child_timer_period_us); under parent unbind/bind cycles
# and child unbinds through the auxiliary driver, no tick of a child ever
# finds the BAR revoked: a child is unbound (its timer stopped) before its
# parent's resources are released.
. ./common.inc
devres_setup

ktap_header
ktap_plan 9

dev=$(edu_dev) || { ktap_fail "edu device present"; ktap_finish; }
name=$(basename "$dev")
kmsg "mark aux"
insmod_mod "$EDU_MOD" children=3 child_timer_period_us=1000

children=$(find /sys/bus/auxiliary/devices -name "$EDU_MOD.child.*" | wc -l)
bound=0
for c in /sys/bus/auxiliary/devices/"$EDU_MOD".child.*; do
	[ -e "$c/driver" ] && bound=$((bound + 1))
done
if [ "$children" -eq 3 ] && [ "$bound" -eq 3 ]; then
	ktap_pass "3 children registered and bound"
else
	ktap_fail "3 children registered and bound ($children registered, $bound bound)"
fi
einval=$(dmesg_since "mark aux" | grep -c "access() with its own device: EINVAL")
ktap_check "access() with the child's own device refused with EINVAL ($einval of 3)" [ "$einval" -eq 3 ]
viaparent=$(dmesg_since "mark aux" | grep -c "access() via parent ok")
ktap_check "access() with the parent's device works ($viaparent of 3)" [ "$viaparent" -eq 3 ]

kmsg "mark aux unbind"
echo "$name" >"$EDU_DRV/unbind"
log=$(dmesg_since "mark aux unbind")
mapped=$(echo "$log" | grep -c "unbind, parent BAR still mapped: true")
parent_line=$(echo "$log" | grep -n "unbind: access() ok" | cut -d: -f1)
first_child=$(echo "$log" | grep -n "child [0-9]*: unbind" | head -n1 | cut -d: -f1)
ktap_info "parent unbind at line ${parent_line:-?}, first child unbind at line ${first_child:-?}"
left=$(find /sys/bus/auxiliary/devices -name "$EDU_MOD.child.*" | wc -l)
if [ "$mapped" -eq 3 ] && [ "$left" -eq 0 ]; then
	ktap_pass "parent unbind removed the 3 children, each while the BAR was still mapped"
else
	ktap_fail "parent unbind removed the children while the BAR was mapped ($mapped mapped, $left left)"
fi

echo "$name" >"$EDU_DRV/bind"
children=$(find /sys/bus/auxiliary/devices -name "$EDU_MOD.child.*" | wc -l)
ktap_check "rebind registers the children again ($children)" [ "$children" -eq 3 ]

# The auxiliary driver's own unbind and bind (what unloading a separate
# child driver module would do), with the parent bound and reading.
child=$(basename "$(find /sys/bus/auxiliary/devices -name "$EDU_MOD.child.*" | head -n1)")
exec 3<"$EDU_NODE"
echo "$child" >"$EDU_AUX_DRV/unbind"
unbound_ok=$([ ! -e "/sys/bus/auxiliary/devices/$child/driver" ] && echo y)
out=$(read_fd 3)
echo "$child" >"$EDU_AUX_DRV/bind"
if [ "$unbound_ok" = y ] && [ "$out" = "ok 1" ] && [ -e "/sys/bus/auxiliary/devices/$child/driver" ]; then
	ktap_pass "a child unbound and rebound through the auxiliary driver, the parent still works"
else
	ktap_fail "a child unbound and rebound through the auxiliary driver ($unbound_ok, '$out')"
fi
exec 3<&-

# Parent unbind/bind cycles while the children's timers tick.
ktap_check "20 parent unbind/bind cycles: children's timers ticked, none found the BAR revoked" \
	child_timers_cycle "$name" 20
echo "$name" >"$EDU_DRV/unbind"
ticks=$(child_timer_stat ticks)
sleep 1
ktap_check "the children's timers stop with the parent's unbind ($ticks -> $(child_timer_stat ticks))" \
	[ "$(child_timer_stat ticks)" -eq "$ticks" ]
echo "$name" >"$EDU_DRV/bind"
rmmod "$EDU_MOD"
left=$(find /sys/bus/auxiliary/devices -name "$EDU_MOD.child.*" | wc -l)
if [ "$left" -eq 0 ] && ! module_loaded "$EDU_MOD"; then
	ktap_pass "rmmod with children bound removes them"
else
	ktap_fail "rmmod with children bound removes them ($left left)"
fi
ktap_finish
