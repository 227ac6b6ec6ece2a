#!/bin/sh
# shellcheck disable=SC2317 # reported is called through ktap_check
# Control for seeds/srcu_shared_file.sh: the same load on the test-only
# module lifecycle_srcu_shared_idx, which keeps the SRCU index in the
# file's shared state, as the reverted revocable did (seed 002). Readers
# sharing the file unlock with each other's index across a grace period's
# flip, one index's readers never drain, and a revocation waits in
# synchronize_srcu() for good: the hung-task detector must report the
# revoking task and the host must fail this test with hung-task. The task
# stays blocked, so this control runs in the controls-deadlock boot.
cd ../seeds || exit 1
# shellcheck source=../seeds/common.inc
. ./common.inc
# shellcheck source=../seeds/srcu.inc
. ./srcu.inc
HUNG=/proc/sys/kernel
# reported: the hung-task detector reported the revoking task.
reported() { dmesg_since "srcu_shared_idx: start" | grep -q "INFO: task sh:$_s_revoker "; }
ktap_header
ktap_plan 2

insmod_mod lifecycle_srcu_shared_idx read_delay_us=20000
echo 2 >"$HUNG/hung_task_timeout_secs"
echo 10 >"$HUNG/hung_task_warnings"
kmsg "srcu_shared_idx: start"
srcu_start_readers
sleep 1
srcu_revoke 1000
# Until the revoking task is reported, or has done all its revocations.
i=0
while [ "$i" -lt 40 ] && kill -0 "$_s_revoker" 2>/dev/null &&
	! reported; do
	sleep 1
	i=$((i + 1))
done
ktap_info "$(srcu_revoked) revocations done"
# Later reports of the same task would be blamed on the next control.
echo 0 >"$HUNG/hung_task_warnings"
srcu_stop_readers
ktap_info "hung-task report after ${i} s (40 s at most); $(tr '\n' ' ' <"$SRCU_DIR/stats")"
ktap_check "a revocation is blocked for good (D)" \
	[ "$(cut -d' ' -f3 "/proc/$_s_revoker/stat" 2>/dev/null)" = D ]
ktap_check "hung-task report of the revoking task" reported
ktap_finish
