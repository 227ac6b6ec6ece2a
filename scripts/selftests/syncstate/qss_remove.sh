#!/bin/sh
# shellcheck disable=SC2317 # the helpers are called through ktap_check
# A consumer that never probed may be removed with its supplier's locks
# held: the driver core re-evaluates the supplier afterwards, from a work
# item (patch 0008), not in device_del(). The test-only module
# lifecycle_qss_remove does it twice, from background writers:
#   - self: the supplier's queue_sync_state(), which holds the supplier's
#     device lock, removes one of the supplier's unprobed consumers;
#   - abba: a thread holds a driver lock until the supplier's callback
#     runs, then removes one of its unprobed consumers, while the callback,
#     holding the device lock, waits for the driver lock.
# Each writer must return, each armed callback must finish its action, and
# each supplier must still be re-evaluated for every removal: 3 calls each
# (the bind, the trigger's removal, the victim's). Then the module unloads.
# Before issue 24's fix the re-evaluation ran synchronously at the end of
# device_del() and both deadlocked (the device mutex has no lockdep class:
# only the hung-task detector sees it, so the test sets its timeout to 2 s
# while it runs).
. ./common.inc

MOD=lifecycle_qss_remove
DIR=/sys/kernel/debug/drvlife_qss_remove
HUNG=/proc/sys/kernel
CONSUMERS=/sys/bus/platform/devices/drvlife-qss-fb-consumer

ktap_header
ktap_plan 7

# stat_of KEY: a counter of the module.
stat_of() { sed -n "s/^$1=//p" "$DIR/stats"; }

# writer NAME: write to the module's file NAME from a background subshell
# that holds none of the test's descriptors (the runner waits for the
# test's output to close); its errors go to /tmp/qss-remove.NAME.err, its
# PID is in $!.
writer() { (exec </dev/null >/dev/null 2>"/tmp/qss-remove.$1.err" && echo 1 >"$DIR/$1") & }

# state_of PID: the task's state (R, S, D, Z...), empty once reaped.
state_of() { cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null; }

# exited PID...: every task PID has exited (a zombie, or reaped).
exited() {
	for _e_pid in "$@"; do
		case "$(state_of "$_e_pid")" in
		"" | Z) ;;
		*) return 1 ;;
		esac
	done
}

# stats_are NAME CALLS STARTED RETURNED: supplier NAME's counters.
stats_are() {
	[ "$(stat_of "$1_calls")" = "$2" ] && [ "$(stat_of "$1_started")" = "$3" ] &&
		[ "$(stat_of "$1_returned")" = "$4" ]
}

# gone ID...: no consumer device drvlife-qss-fb-consumer.ID left.
gone() {
	for _g_id in "$@"; do
		[ ! -e "$CONSUMERS.$_g_id" ] || return 1
	done
}

module_gone() { ! module_loaded "$MOD"; }

# remover_holds_lock: the abba_remover writer holds the driver lock.
remover_holds_lock() { [ "$(stat_of abba_remover_holds_lock)" = 1 ]; }

if ! insmod_mod "$MOD"; then
	ktap_fail "insmod $MOD"
	ktap_finish
fi

old_timeout=$(cat "$HUNG/hung_task_timeout_secs")
old_warnings=$(cat "$HUNG/hung_task_warnings")
echo 2 >"$HUNG/hung_task_timeout_secs"
echo 10 >"$HUNG/hung_task_warnings"
kmsg "qss_remove: start"

writer self
self_pid=$!
# The remover holds the driver lock until the armed callback runs.
writer abba_remover
remover_pid=$!
wait_until 10000 remover_holds_lock
writer abba_callback
callback_pid=$!

start=$(uptime_ms)
wait_until 20000 exited "$self_pid" "$remover_pid" "$callback_pid"
waited=$(($(uptime_ms) - start))
if exited "$self_pid" "$remover_pid" "$callback_pid"; then
	ktap_info "the writers returned within ${waited} ms"
	# Each re-evaluation runs later, from the work item.
	wait_until 10000 stats_are self 3 1 1
	wait_until 10000 stats_are abba 3 1 1
	echo "$old_timeout" >"$HUNG/hung_task_timeout_secs"
	echo "$old_warnings" >"$HUNG/hung_task_warnings"
	wait "$self_pid"
	self_rc=$?
	wait "$remover_pid"
	remover_rc=$?
	wait "$callback_pid"
	callback_rc=$?
	ktap_check "self: the writer returned (status $self_rc)" [ "$self_rc" = 0 ]
	ktap_check "abba: the remover returned (status $remover_rc)" [ "$remover_rc" = 0 ]
	ktap_check "abba: the callback's writer returned (status $callback_rc)" [ "$callback_rc" = 0 ]
else
	ktap_info "writers still running after ${waited} ms, states: self $(state_of "$self_pid")," \
		"remover $(state_of "$remover_pid"), callback $(state_of "$callback_pid")"
	dmesg_since "qss_remove: start" | grep -A3 "INFO: task " | sed 's/^/# /'
	# Blocked for good: later reports of these tasks would be blamed on
	# the next test.
	echo 0 >"$HUNG/hung_task_warnings"
	ktap_fail "self: the writer returned"
	ktap_fail "abba: the remover returned"
	ktap_fail "abba: the callback's writer returned"
fi
for f in self abba_remover abba_callback; do
	if [ -s "/tmp/qss-remove.$f.err" ]; then ktap_info "$f: $(cat "/tmp/qss-remove.$f.err")"; fi
done
ktap_info "self: calls $(stat_of self_calls), started $(stat_of self_started), returned $(stat_of self_returned);" \
	"abba: calls $(stat_of abba_calls), started $(stat_of abba_started), returned $(stat_of abba_returned)"
ktap_check "self: the callback removed its consumer and returned; 3 calls (bind, trigger, victim)" \
	stats_are self 3 1 1
ktap_check "abba: the callback got the driver lock and returned; 3 calls (bind, trigger, victim)" \
	stats_are abba 3 1 1
# Consumers 1, 2 (self's trigger, victim) and 11, 12 (abba's).
ktap_check "the four removed consumers are gone" gone 1 2 11 12
if exited "$self_pid" "$remover_pid" "$callback_pid"; then
	rmmod "$MOD"
	ktap_check "rmmod $MOD" module_gone
else
	ktap_fail "rmmod $MOD # not tried: its writers are blocked"
fi
ktap_finish
