#!/bin/sh
# shellcheck disable=SC2317 # the helpers are called through ktap_check
# Seed 002: work items torn down at unbind may be given a &Device<Bound>
# and so use Devres::access(). The sample lifecycle_bound_work keeps a
# workqueue::BoundWork (patch 0022) in its driver data; the work reads a
# device resource (a Devres of a heap value) with access() and queues
# itself again every 0.5 ms. drvlife.bound_work_cycles unbind/bind cycles
# (default 20): passes if the work runs in every binding, no run comes
# after an unbind (the runs counted when the work item was dropped are
# all there are, then and 0.2 s later), access() never failed and never
# read a wrong value, every rebind works, and nothing splats (a read of
# the freed resource would be a KASAN report).
# Control: controls/devres_bound_work_leaked.sh (the work item leaked).
. ./common.inc

WORK_MOD=${WORK_MOD:-lifecycle_bound_work}
CYCLES=${BOUND_WORK_CYCLES:-$(cmdline_value bound_work_cycles 20)}
STATS=/sys/kernel/debug/drvlife_bound_work/stats
DRV_DIR=/sys/bus/platform/drivers/$WORK_MOD

stat_of() { sed -n "s/^$1=//p" "$STATS"; }

# reads_good: no access() failed, none read a wrong value.
reads_good() { [ "$(stat_of access_failed)" -eq 0 ] && [ "$(stat_of bad)" -eq 0 ]; }

# runs_grow: the work runs (its run counter grows within 5 s).
runs_grow() {
	_w_from=$(stat_of runs)
	_w_i=0
	while [ "$(stat_of runs)" -le "$_w_from" ]; do
		[ "$_w_i" -ge 50 ] && return 1
		usleep 100000
		_w_i=$((_w_i + 1))
	done
}

ktap_header
ktap_plan 6
insmod_mod "$WORK_MOD"
ktap_check "the work runs in the first binding" runs_grow

late=0
silent=0
n=0
while [ "$n" -lt "$CYCLES" ]; do
	echo "$WORK_MOD" >"$DRV_DIR/unbind"
	at_stop=$(stat_of runs_at_stop)
	now=$(stat_of runs)
	usleep 200000
	later=$(stat_of runs)
	if [ "$now" -ne "$at_stop" ] || [ "$later" -ne "$at_stop" ]; then
		late=$((late + 1))
		ktap_info "cycle $n: $at_stop runs when the work item was dropped, $now after the unbind, $later 0.2 s later"
	fi
	echo "$WORK_MOD" >"$DRV_DIR/bind"
	runs_grow || silent=$((silent + 1))
	n=$((n + 1))
done
ktap_info "$(stat_of runs) runs in $(stat_of bindings) bindings"
ktap_check "$CYCLES unbinds: no run of the work after any of them ($late cycles had some)" [ "$late" -eq 0 ]
ktap_check "the work runs again after every rebind ($silent bindings without a run)" [ "$silent" -eq 0 ]
ktap_check "every bind after an unbind created a binding" [ "$(stat_of bindings)" -eq $((CYCLES + 1)) ]
ktap_check "access() never failed nor read a wrong value" reads_good
rmmod "$WORK_MOD"
ktap_check "the module unloads" [ ! -d "/sys/module/$WORK_MOD" ]
ktap_finish
