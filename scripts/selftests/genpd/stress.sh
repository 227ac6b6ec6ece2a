#!/bin/sh
# shellcheck disable=SC2317 # the helpers are called through ktap_check
# Stress with the torture engine (target genpd-board): the mixed card's
# overlay removed and applied again, the controller unbound and bound, the
# six consumers bound, unbound and probed, and their module unloaded and
# loaded, all at once, for drvlife.genpd_stress_seconds (default 8). The
# kernel's detectors (KASAN, lockdep, kmemleak ...) must stay quiet and
# every operation fail only with an errno the target allows. Then the card,
# loaded again, must still do its job: every consumer bound, the
# controller synced, every domain released.
cd "$(dirname "$0")" || exit 1
# shellcheck source=common.inc
. ./common.inc
# shellcheck source=../lib-torture.sh
. ../lib-torture.sh
genpd_setup
STRESS_SECONDS=$(cmdline_value genpd_stress_seconds 8)
STRESS_OUT=/tmp/genpd-stress.ktap

# all_bound_synced_off: the card's devices all bound, the controller's
# sync_state() called and every domain off (its consumers are in two
# domains each, which genpd does not attach).
all_bound_synced_off() {
	CTL_DEV=$(platform_dev power-controller) || return 1
	bound "$CTL_DEV" || return 1
	for _c in $(consumers); do bound "$_c" || return 1; done
	[ "$(consumers | wc -l)" -eq 6 ] && synced "$CTL_DEV" &&
		wait_domains off off off off off off
}
none_listed() { ! grep -q drvlife-genpd "$SUMMARY"; }
every_actor_ran() {
	for _a in card controller consumers consumers-module; do
		[ "$(torture_stat "$STRESS_OUT" "$_a" ops)" -gt 0 ] || return 1
	done
}

ktap_header
ktap_plan 4

unload
torture_run "$STRESS_OUT" genpd-board --seconds "$STRESS_SECONDS"
status=$?
ktap_check "engine: every operation failed only with an allowed errno, modules unloaded (status $status)" \
	[ "$status" -eq 0 ]
ktap_check "engine: each actor ran" every_actor_ran

insmod_mod "$CTL_MOD"
insmod_mod "$CONSUMER_MOD"
insmod_mod "$MIXED_BOARD_MOD"
ktap_check "after the stress: card loaded again, every consumer bound, controller synced, every domain off" \
	all_bound_synced_off
show_domains
unload
ktap_check "modules unloaded: genpd lists no domain of the controller" none_listed
ktap_finish
