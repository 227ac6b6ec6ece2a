#!/bin/sh
# shellcheck disable=SC2317 # the helpers are called through ktap_check
# What fw_devlink's mode (fw_devlink= on the kernel command line: on, the
# default, permissive or off) does to the controller's domains, on the
# pair card (domain 0 for A, 1 for B, 2 for nobody). The default boot runs
# the "on" row; make test runs it again in a boot each with
# fw_devlink=permissive and fw_devlink=off. Consumers are loaded before the
# controller, so the order of probes is fw_devlink's to decide.
#
#                     on                permissive         off
# links               managed           sync-state only    none
# consumer before     waits (deferred)  deferred by genpd, or once the
#   its controller    and binds after   deferred-probe timeout is over (10 s
#                                       after boot), fails with ETIMEDOUT
# domain of unbound B kept on           kept on            off at once
# controller unbind   consumers first,  under A: genpd keeps A's domain,
#   with A bound      domains removed   its module pinned (EBUSY)
cd "$(dirname "$0")" || exit 1
# shellcheck source=common.inc
. ./common.inc
genpd_setup
MODE=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^fw_devlink=//p' | tail -n1)
MODE=${MODE:-on}
case $MODE in on | permissive | off) ;; *)
	ktap_header
	ktap_plan 0
	ktap_info "SKIP: fw_devlink=$MODE is not one of on, permissive, off"
	exit 4
	;;
esac

# link_flags DEV: "sync-state-only" or "managed" for the link from the
# controller to DEV, or "none".
link_flags() {
	_l="/sys/class/devlink/platform:$(basename "$CTL_DEV")--platform:$(basename "$1")"
	if [ ! -e "$_l" ]; then
		echo none
	elif [ "$(cat "$_l/sync_state_only")" = 1 ]; then
		echo sync-state-only
	else
		echo managed
	fi
}
links_are() { [ "$(link_flags "$DEV_A")" = "$1" ] && [ "$(link_flags "$DEV_B")" = "$1" ]; }

# probe_failed DEV ERRNO: DEV's driver reported a failed probe with -ERRNO
# since the board was loaded.
probe_failed() {
	dmesg_since "fw_devlink_modes: board" |
		grep -q "$(basename "$1"): probe with driver $CONSUMER_MOD failed with error -$2"
}
deferred() { grep -q "$(basename "$1")" /sys/kernel/debug/devices_deferred; }
waiting() { ! bound "$DEV_A" && ! bound "$DEV_B" && deferred "$DEV_A" && deferred "$DEV_B"; }
# deferred_or_failed DEV: DEV waits in the deferred list, or its probe
# failed with ETIMEDOUT (the deferred-probe timeout is over); says which.
deferred_or_failed() {
	if deferred "$1"; then
		ktap_info "$(basename "$1"): deferred (genpd found no provider)"
	elif probe_failed "$1" 110; then
		ktap_info "$(basename "$1"): probe failed, ETIMEDOUT (deferred-probe timeout over)"
	else
		return 1
	fi
}
not_bound_before() {
	! bound "$DEV_A" && ! bound "$DEV_B" && deferred_or_failed "$DEV_A" && deferred_or_failed "$DEV_B"
}
a_bound_with() { bound "$DEV_A" && wait_domains "$@"; }
synced_with() { synced "$CTL_DEV" && wait_domains "$@"; }
not_synced_with() { ! synced "$CTL_DEV" && wait_domains "$@"; }
attached_listed() { grep -q "drvlife-genpd.0" "$SUMMARY" && grep -q "$(basename "$DEV_A")" "$SUMMARY"; }
consumers_unbound_domains_gone() { ! bound "$DEV_A" && ! grep -q drvlife-genpd "$SUMMARY"; }
kept_and_pinned() {
	bound "$DEV_A" && attached_listed &&
		! rmmod "$CTL_MOD" 2>/dev/null && module_loaded "$CTL_MOD"
}

ktap_header
ktap_plan 5
ktap_info "fw_devlink=$MODE"

unload
insmod_mod "$CONSUMER_MOD"
kmsg "fw_devlink_modes: board"
if ! load_board; then
	ktap_fail "board overlay applied and devices populated"
	ktap_finish
fi
echo none >"$DEV_B/driver_override"

case $MODE in
on) want_links=managed ;;
permissive) want_links=sync-state-only ;;
off) want_links=none ;;
esac
ktap_check "$MODE: links from the controller to A and B: $want_links" links_are "$want_links"

if [ "$MODE" = on ]; then
	ktap_check "$MODE: consumers loaded before the controller wait for it (deferred)" waiting
else
	ktap_check "$MODE: consumers loaded before the controller do not bind (deferred by genpd, or ETIMEDOUT)" \
		not_bound_before
fi

insmod_mod "$CTL_MOD"
if [ "$MODE" = on ]; then
	ktap_check "$MODE: controller bound: A bound after it; 0 on for A, 1 kept on for B, 2 off; not synced" \
		a_bound_with on on off
	! synced "$CTL_DEV" || ktap_info "synced too early"
elif [ "$MODE" = permissive ]; then
	ktap_check "$MODE: controller bound: 0 and 1 kept on for A and B, 2 off; not synced" \
		not_synced_with on on off
else
	# A may have bound already (its probe was deferred, not failed).
	ktap_check "$MODE: controller bound: synced at once; B's domain 1 off although B has not probed" \
		synced_with any off off
fi
bound "$DEV_A" || basename "$DEV_A" >"$PLAT/drivers_probe"
show_domains

echo >"$DEV_B/driver_override"
basename "$DEV_B" >"$PLAT/drivers_probe"
basename "$DEV_B" >"$CONSUMER_DRV/unbind"
ktap_check "$MODE: B bound and unbound, A bound: synced; 0 on for A, 1 and 2 off" \
	synced_with on off off

basename "$CTL_DEV" >"$CTL_DRV/unbind"
if [ "$MODE" = on ]; then
	ktap_check "$MODE: controller unbound under A: A unbound first, every domain removed" \
		consumers_unbound_domains_gone
else
	ktap_check "$MODE: controller unbound under A: A stays bound, genpd keeps its domain (EBUSY) and the module stays pinned" \
		kept_and_pinned
fi
show_domains
ktap_info "the rest of this boot keeps $CTL_MOD loaded if it was pinned"
unload 2>/dev/null
ktap_finish
