#!/bin/sh
# shellcheck disable=SC2317 # reported is called through ktap_check
# Control for seeds/devres_nest.sh: the deadlock of Devres nesting before
# 7.3's fix (seed 001), committed by the test-only module
# lifecycle_devres_nest_wait: at unbind, a devres release waits for a
# release later on the same list, on the same thread. The unbinding task
# blocks for good: the hung-task detector must report it and the host
# must fail this test with hung-task. The task stays blocked, so this
# control runs in the controls-deadlock boot.
. ../ktap.sh
. ../lib-kmsg.sh
. ../lib-module.sh

HUNG=/proc/sys/kernel
# reported: the hung-task detector reported the unbinding task.
reported() { dmesg_since "devres_nest_wait: start" | grep -q "INFO: task sh:$pid "; }
ktap_header
ktap_plan 2

insmod_mod lifecycle_devres_nest_wait
echo 2 >"$HUNG/hung_task_timeout_secs"
echo 10 >"$HUNG/hung_task_warnings"
kmsg "devres_nest_wait: start"
(exec </dev/null >/dev/null 2>&1 &&
	echo drvlife-nest-wait >/sys/bus/platform/drivers/drvlife-nest-wait/unbind) &
pid=$!
i=0
while [ "$i" -lt 30 ] &&
	! reported; do
	sleep 1
	i=$((i + 1))
done
# Later reports of the same task would be blamed on the next control.
echo 0 >"$HUNG/hung_task_warnings"
ktap_info "hung-task report after ${i} s (30 s at most)"
ktap_check "the unbind is blocked for good (D)" \
	[ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" = D ]
ktap_check "hung-task report of the unbinding task" reported
ktap_finish
