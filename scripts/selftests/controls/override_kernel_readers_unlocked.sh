#!/bin/sh
# Control for override/kernel_readers.sh: the same engine load with the
# test-only build lifecycle_override_readers_unlocked, whose accessor
# reads pci-testdev's driver_override with no lock (target
# override-kernel-readers-unlocked). The writers free the strings it
# reads: KASAN must report the use-after-free and the host must fail this
# test. Up to 5 runs of 3 s, until KASAN has spoken; the test says how
# long the first report took.
. ../ktap.sh
# shellcheck source=../lib-torture.sh
. ../lib-torture.sh
# shellcheck source=../lib-kmsg.sh
. ../lib-kmsg.sh
# shellcheck source=../lib-time.sh
. ../lib-time.sh
ktap_header
ktap_plan 1

kmsg "override_kernel_readers_unlocked runs"
start=$(uptime_ms)
tries=0
while [ "$tries" -lt 5 ]; do
	tries=$((tries + 1))
	torture_run /tmp/override-kernel-readers-unlocked.ktap override-kernel-readers-unlocked --seconds 3
	status=$?
	if log_has "override_kernel_readers_unlocked runs" "BUG: KASAN"; then break; fi
done
ktap_info "KASAN reported within run $tries, $(($(uptime_ms) - start)) ms after the first run began"
ktap_pass "engine ran the unlocked kernel readers under its writers ($tries runs, last status $status; the host must fail this)"
ktap_finish
