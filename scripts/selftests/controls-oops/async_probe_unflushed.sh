#!/bin/sh
# Control for seeds/async_probe.sh: the test-only module
# lifecycle_async_probe_unflushed defers its probing to a delayed work
# item of its own (a rescan of the platform bus after rescan_delay_ms) and
# does not cancel or flush it at exit. Unloaded right after loading, it
# leaves the work item queued; the work runs from freed module memory and
# oopses. The script goes on to say ok; the host must fail the test.
. ../ktap.sh
. ../lib-module.sh
. ../lib-time.sh
DELAY_MS=20000
ktap_header
ktap_plan 2
insmod_mod lifecycle_async_devices devices=2
loaded=$(uptime_ms)
insmod_mod lifecycle_async_probe_unflushed rescan_delay_ms=$DELAY_MS
rmmod lifecycle_async_probe_unflushed
# rmmod returns once the module's memory is freed (it waits for the
# delayed release of the module's kobject): the work item must still be
# pending then, or it runs from live memory and the control proves nothing.
unloaded=$(uptime_ms)
ktap_info "module gone $((unloaded - loaded)) ms after loading, work item due at $DELAY_MS ms"
ktap_check "the module is gone before its work item is due" [ $((unloaded - loaded)) -lt $DELAY_MS ]
while [ $(($(uptime_ms) - loaded)) -lt $((DELAY_MS + 5000)) ]; do
	sleep 1
done
ktap_pass "work item left queued by an unloaded module (the host must fail this)"
rmmod lifecycle_async_devices
ktap_finish
