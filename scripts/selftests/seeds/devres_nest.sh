#!/bin/sh
# shellcheck disable=SC2317 # the helpers are called through ktap_check
# Seed 001: (indirect) nesting of Devres. lifecycle_devres_nest binds
# platform devices whose devres lists own a Devres that owns the last
# reference to another Devres of the same device, registered in three
# orders (drvlife-nest-a: the inner one's release still pending when the
# outer one drops it; drvlife-nest-b: the inner one revoked first;
# drvlife-nest-c: the two Devres adjacent on the list, the inner one
# registered first, as patch 0020's batching groups them), and a fourth
# device (drvlife-nest-d, as c) whose outer release calls try_access() on
# the inner Devres, registered before it: devres releases last-first, so
# that must still succeed. drvlife-nest-e and -f are c and d with both
# objects made by Devres::new_batched() (patch 0020): the driver core
# revokes them together and the outer release's drop of the inner Devres
# must claim the pending drop instead of waiting for a release that comes
# later on the same thread (the self-deadlock of 0020's first version);
# for f the inner data is revoked by then, as new_batched() documents.
# Each device is unbound and bound again
# drvlife.nest_cycles times (default 30; 20 for c to f). Passes if every
# unbind returns, every binding's outer and inner data were dropped (the
# counters agree), every d release reached its inner data, and nothing
# splats (lockdep included); a hang ends with the hung-task report.
# Control: controls-deadlock/devres_nest_wait.sh (a devres release waiting
# for a later one on the same list: the hang before 7.3's fix).
. ./common.inc
ktap_header
ktap_plan 10

MOD=lifecycle_devres_nest
STATS=/sys/kernel/debug/drvlife_devres_nest/stats
stat_of() { sed -n "s/^$1=//p" "$STATS"; }
# cycle NAME N: N unbind/bind cycles of the platform device NAME.
cycle() {
	_c_i=0
	while [ "$_c_i" -lt "$2" ]; do
		echo "$1" >"/sys/bus/platform/drivers/$1/unbind" || return 1
		echo "$1" >"/sys/bus/platform/drivers/$1/bind" || return 1
		_c_i=$((_c_i + 1))
	done
}
bound() { [ -e "/sys/bus/platform/devices/$1/driver" ]; }
all_bound() {
	for _ab_n in a b c d e f; do bound "drvlife-nest-$_ab_n" || return 1; done
}
# all_dropped N: N bindings, each one's outer and inner data dropped.
all_dropped() {
	[ "$(stat_of probes)" -eq "$1" ] && [ "$(stat_of outer_dropped)" -eq "$1" ] &&
		[ "$(stat_of payload_dropped)" -eq "$1" ]
}

cycles=$(cmdline_value nest_cycles 30)
adjacent_cycles=$((cycles < 20 ? cycles : 20))
insmod_mod "$MOD"
ktap_check "the six devices bound" all_bound
ktap_check "drvlife-nest-a (inner released after the outer drop): $cycles unbind/bind cycles" \
	cycle drvlife-nest-a "$cycles"
ktap_check "drvlife-nest-b (inner revoked before the outer drop): $cycles unbind/bind cycles" \
	cycle drvlife-nest-b "$cycles"
ktap_check "drvlife-nest-c (adjacent, outer data owns the inner Devres): $adjacent_cycles unbind/bind cycles" \
	cycle drvlife-nest-c "$adjacent_cycles"
ktap_check "drvlife-nest-d (adjacent, outer release looks at the inner): $adjacent_cycles unbind/bind cycles" \
	cycle drvlife-nest-d "$adjacent_cycles"
ktap_check "drvlife-nest-e (c, batched): $adjacent_cycles unbind/bind cycles" \
	cycle drvlife-nest-e "$adjacent_cycles"
ktap_check "drvlife-nest-f (d, batched): $adjacent_cycles unbind/bind cycles" \
	cycle drvlife-nest-f "$adjacent_cycles"
# Every binding gone: each one's outer and inner data dropped.
for n in a b c d e f; do
	echo "drvlife-nest-$n" >"/sys/bus/platform/drivers/drvlife-nest-$n/unbind"
done
ktap_info "counters: $(tr '\n' ' ' <"$STATS")"
bindings=$((2 * cycles + 4 * adjacent_cycles + 6))
ktap_check "every binding's outer and inner data dropped ($bindings bindings)" \
	all_dropped "$bindings"
# inner_reached N: N outer releases (d's) reached the inner data.
inner_reached() { [ "$(stat_of inner_seen)" -eq "$1" ]; }
ktap_check "every drvlife-nest-d outer release reached the inner data ($((adjacent_cycles + 1)) releases)" \
	inner_reached $((adjacent_cycles + 1))
# batched_gone N: N outer releases (f's) found the inner data revoked.
batched_gone() { [ "$(stat_of inner_gone)" -eq "$1" ]; }
ktap_check "every drvlife-nest-f outer release found the inner data revoked, as batching documents ($((adjacent_cycles + 1)) releases)" \
	batched_gone $((adjacent_cycles + 1))
rmmod "$MOD"
ktap_finish
