#!/bin/sh
# Benchmark (make bench only): supplier unbind/bind cycles per second under
# the queue_sync_state stress of syncstate/unbind_stress.sh (pd_stress:
# the torture engine's target syncstate-board: consumers probing slowly,
# unbinding and coming and going while the controller is unbound and
# bound; the supplier pauses 5 ms after each unbind and bind, so 100
# cycles/s is the ceiling). Kernel command line: drvlife.pd_bench_seconds=N
# (default 30), in 3 rounds of fresh devices.
cd ../syncstate || exit 1
# shellcheck source=../syncstate/common.inc
. ./common.inc
syncstate_setup

SECS=$(cmdline_value pd_bench_seconds 30)

ktap_header
ktap_plan 2
pd_stress "$SECS" 3
echo "drvlife: bench-pd-rate: secs=$SECS unbinds=$STRESS_UNBINDS probes=$STRESS_PROBES calls_after_remove=$(ctl_stat calls_after_remove)" >/dev/kmsg
ktap_info "$STRESS_UNBINDS supplier unbinds in $SECS s, $STRESS_PROBES consumer probes"
ktap_check "the supplier was unbound and bound" [ "$STRESS_UNBINDS" -gt 0 ]
ktap_check "no partial sync after remove" [ "$(ctl_stat calls_after_remove)" -eq 0 ]
unload
ktap_finish
