#!/bin/sh
# Control for the queue_sync_state stress: the same load, but the
# controller (the test-only build lifecycle_pd_controller_unprotected) also
# runs its partial sync from a platform bus notifier, as a callback invoked
# on device events without the driver core's "supplier bound, device lock
# held" checks would. KASAN must report the use of the freed driver data
# and the host must fail this test (the real controller passes the same
# stress).
cd ../syncstate || exit 1
# shellcheck source=../syncstate/common.inc
. ./common.inc
CTL_MOD=lifecycle_pd_controller_unprotected
syncstate_setup
ktap_header
ktap_plan 1

# The race is hit a few times in a stress of 12 s; on a machine where it
# is not, the stress runs again, up to 4 times, until KASAN has spoken.
kmsg "pd_unprotected stress"
tries=0
while [ "$tries" -lt 4 ]; do
	tries=$((tries + 1))
	pd_stress 12 2
	ktap_info "stress $tries: $STRESS_UNBINDS supplier unbinds, $STRESS_CHURN consumers added/removed; calls after remove: $(ctl_stat calls_after_remove)"
	if log_has "pd_unprotected stress" "BUG: KASAN"; then break; fi
done
unload
ktap_pass "stress with the unprotected partial sync finished"
ktap_finish
