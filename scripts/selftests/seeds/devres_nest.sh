#!/bin/sh
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

cycles=$(cmdline_value nest_cycles 100)
insmod_mod "$MOD"
ktap_check "both devices bound" eval 'bound drvlife-nest-a && bound drvlife-nest-b'
ktap_check "drvlife-nest-a (inner released after the outer drop): $cycles unbind/bind cycles" \
	cycle drvlife-nest-a "$cycles"
ktap_check "drvlife-nest-b (inner revoked before the outer drop): $cycles unbind/bind cycles" \
	cycle drvlife-nest-b "$cycles"
# Every binding gone: each one's outer and inner data dropped.
echo drvlife-nest-a >/sys/bus/platform/drivers/drvlife-nest-a/unbind
echo drvlife-nest-b >/sys/bus/platform/drivers/drvlife-nest-b/unbind
ktap_info "counters: $(tr '\n' ' ' <"$STATS")"
ktap_check "every binding's outer and inner data dropped ($((2 * cycles + 2)) bindings)" \
	eval '[ "$(stat_of probes)" -eq $((2 * cycles + 2)) ] &&
		[ "$(stat_of outer_dropped)" -eq "$(stat_of probes)" ] &&
		[ "$(stat_of payload_dropped)" -eq "$(stat_of probes)" ]'
rmmod "$MOD"
ktap_finish
