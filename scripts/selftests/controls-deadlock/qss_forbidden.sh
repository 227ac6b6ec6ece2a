#!/bin/sh
# shellcheck disable=SC2317 # the helpers are called through ktap_check
# Proof of the rules of syncstate's README ("What a callback must not do"):
# under the second design a queue_sync_state() callback still must not
#   - remove one of its own consumers that never probed (the removal
#     flushes the supplier's sync list on the same thread, which waits for
#     the supplier's device lock that the callback holds), nor
#   - take a driver lock that another thread holds around such a removal
#     (each thread waits for the lock the other holds).
# The test-only module lifecycle_qss_forbidden does both for real. The
# device mutex has no lockdep class, so only the hung-task detector can
# see these deadlocks: it must report each blocked writer, and the host
# must fail this test with hung-task. The writers stay blocked for good,
# so this control runs in a boot that ends with the controls-deadlock suite.
. ../ktap.sh
. ../lib-kmsg.sh
. ../lib-module.sh

MOD=lifecycle_qss_forbidden
DIR=/sys/kernel/debug/drvlife_qss_forbidden
HUNG=/proc/sys/kernel

ktap_header
ktap_plan 6

# stat_of KEY: a counter of the module.
stat_of() { sed -n "s/^$1=//p" "$DIR/stats"; }

# blocked_pid PID...: every task PID sleeps uninterruptibly (D).
blocked_pid() {
	for _b_pid in "$@"; do
		[ "$(cut -d' ' -f3 "/proc/$_b_pid/stat" 2>/dev/null)" = D ] || return 1
	done
}

# blocked_writer FILE: write to FILE from a background subshell that holds
# none of the test's descriptors (the runner waits for the test's output to
# close); its PID is in $!.
blocked_writer() { (exec </dev/null >/dev/null 2>&1 && echo 1 >"$1") & }

# hung_report PID: the hung-task report of "sh:PID" since the mark, up to
# the next report.
hung_report() {
	dmesg_since "qss_forbidden: start" |
		awk -v task="task sh:$1 " '
			index($0, "INFO: task ") { on = index($0, task) > 0 }
			on'
}

# violations: both armed callbacks reached their forbidden action.
violations() { [ "$(stat_of self_violations)" = 1 ] && [ "$(stat_of abba_violations)" = 1 ]; }
# report_shows PID FUNCTION: PID's hung-task stack has FUNCTION in it.
report_shows() { hung_report "$1" | grep -q "$2"; }

if ! insmod_mod "$MOD"; then
	ktap_fail "insmod $MOD"
	ktap_finish
fi

echo 2 >"$HUNG/hung_task_timeout_secs"
echo 10 >"$HUNG/hung_task_warnings"
kmsg "qss_forbidden: start"

# Rule 1: the callback removes its own consumer.
blocked_writer "$DIR/self"
self_pid=$!
# Rule 2: the remover holds the driver lock until the callback runs, then
# removes a consumer; the callback takes the driver lock.
blocked_writer "$DIR/abba_remover"
remover_pid=$!
sleep 1
blocked_writer "$DIR/abba_callback"
callback_pid=$!

i=0
while [ "$i" -lt 30 ]; do
	if [ -n "$(hung_report "$self_pid")" ] &&
		[ -n "$(hung_report "$remover_pid")" ] &&
		[ -n "$(hung_report "$callback_pid")" ]; then
		break
	fi
	sleep 1
	i=$((i + 1))
done
# Later reports of the same tasks would be blamed on the next control.
echo 0 >"$HUNG/hung_task_warnings"
ktap_info "hung-task reports after ${i} s (30 s at most)"

ktap_check "both armed callbacks reached the forbidden action" violations
ktap_check "rule 1: the writer is blocked for good (D)" blocked_pid "$self_pid"
ktap_check "rule 1: hung-task report, blocked in the sync list's flush" \
	report_shows "$self_pid" device_links_flush_sync_list
ktap_check "rule 2: both threads are blocked for good (D)" \
	blocked_pid "$remover_pid" "$callback_pid"
ktap_check "rule 2: the remover waits in the flush for the device lock" \
	report_shows "$remover_pid" device_links_flush_sync_list
ktap_check "rule 2: the callback waits for the driver lock" \
	report_shows "$callback_pid" queue_sync_state
ktap_finish
