#!/bin/sh
# shellcheck disable=SC2317 # the helpers are called through ktap_check
# Seed 001: (indirect) nesting of Devres. lifecycle_devres_nest binds two
# platform devices whose devres lists own a Devres that owns the last
# reference to another Devres of the same device, registered in the two
# orders (drvlife-nest-a: the inner one's release still pending when the
# outer one drops it; drvlife-nest-b: the inner one revoked first). Each
# device is unbound and bound again drvlife.nest_cycles times (default
# 100). Passes if every unbind returns, every binding's outer and inner
# data were dropped (the counters agree), and nothing splats (lockdep
# included); a hang would end as this test's timeout.
# Control: controls-deadlock/devres_nest_wait.sh (a devres release waiting
# for a later one on the same list: the hang before 7.3's fix).
. ./common.inc
ktap_header
ktap_plan 4

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
both_bound() { bound drvlife-nest-a && bound drvlife-nest-b; }
# all_dropped N: N bindings, each one's outer and inner data dropped.
all_dropped() {
	[ "$(stat_of probes)" -eq "$1" ] && [ "$(stat_of outer_dropped)" -eq "$1" ] &&
		[ "$(stat_of payload_dropped)" -eq "$1" ]
}

cycles=$(cmdline_value nest_cycles 100)
insmod_mod "$MOD"
ktap_check "both devices bound" both_bound
ktap_check "drvlife-nest-a (inner released after the outer drop): $cycles unbind/bind cycles" \
	cycle drvlife-nest-a "$cycles"
ktap_check "drvlife-nest-b (inner revoked before the outer drop): $cycles unbind/bind cycles" \
	cycle drvlife-nest-b "$cycles"
# Every binding gone: each one's outer and inner data dropped.
echo drvlife-nest-a >/sys/bus/platform/drivers/drvlife-nest-a/unbind
echo drvlife-nest-b >/sys/bus/platform/drivers/drvlife-nest-b/unbind
ktap_info "counters: $(tr '\n' ' ' <"$STATS")"
ktap_check "every binding's outer and inner data dropped ($((2 * cycles + 2)) bindings)" \
	all_dropped $((2 * cycles + 2))
rmmod "$MOD"
ktap_finish
