#!/bin/sh
# Supplier unbind while consumers are probing, unbinding and coming and
# going, repeated with fresh devices: no splat (KASAN would see a callback
# on freed driver data), and the controller never saw a partial sync after
# its remove() or after its sync_state(). The load is the torture
# engine's (target syncstate-board: supplier cycler, consumers at random,
# consumers added and removed through the board's debugfs), which must see
# only the errnos the target allows. Duration: drvlife.pd_seconds=
# (default 15), rounds: drvlife.pd_rounds= (default 3).
. ./common.inc
syncstate_setup

SECONDS_TOTAL=$(cmdline_value pd_seconds 15)
ROUNDS=$(cmdline_value pd_rounds 3)
ktap_header
ktap_plan 4

kmsg "mark pd stress"
if ! pd_stress "$SECONDS_TOTAL" "$ROUNDS"; then
	ktap_fail "stress ran"
	ktap_finish
fi
calls=$(ctl_stat queue_sync_state_calls)
after_remove=$(ctl_stat calls_after_remove)
after_sync=$(ctl_stat calls_after_sync)
ktap_info "$ROUNDS rounds, ${SECONDS_TOTAL}s: $STRESS_UNBINDS supplier unbinds; $STRESS_PROBES consumer probe attempts; $STRESS_CHURN consumers added/removed; $calls queue_sync_state calls; probes $(ctl_stat probes), unbinds $(ctl_stat unbinds)"
ktap_check "engine: every operation failed only with an allowed errno (status $STRESS_STATUS)" \
	[ "$STRESS_STATUS" -eq 0 ]
if [ "$STRESS_UNBINDS" -gt 0 ] && [ "$calls" -gt 0 ]; then
	ktap_pass "supplier unbound under load ($STRESS_UNBINDS times, $calls partial syncs)"
else
	ktap_fail "supplier unbound under load ($STRESS_UNBINDS times, $calls partial syncs)"
fi
ktap_check "no partial sync after remove ($after_remove) or after sync ($after_sync)" \
	[ "$after_remove:$after_sync" = "0:0" ]
unload
ktap_check "modules unload after the stress" sh -c "! [ -d /sys/module/$CTL_MOD ] && ! [ -d /sys/module/$BOARD_MOD ]"
ktap_finish
