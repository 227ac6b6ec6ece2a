#!/bin/sh
# A late consumer added under fault injection: the board's `add` (a
# platform device with a software node, registered from Rust, and a
# managed device link to the controller) runs with the Nth allocation of
# the writing task failing, for N = 1, 2, ... until an add goes through
# without reaching the fault. A failed add unregisters what it registered,
# which takes the driver core through the "consumer that never probed went
# away" path of our queue_sync_state patch. After every attempt the board's
# list, the platform devices and the device links must agree; the domains
# must not change (domain 0 waits for its consumers, domain 1 is released);
# in the end every consumer binds and the controller syncs.
#
# Kernel command line: drvlife.fault_max=N (default 400 attempts).
. ./common.inc
syncstate_setup

ktap_header
ktap_plan 4

if ! fault_available; then
	for t in "faults injected" "state consistent" "domains unchanged" "all consumers bind"; do
		ktap_skip "$t: no fault injection (CONFIG_FAILSLAB, CONFIG_FAULT_INJECTION_DEBUG_FS)"
	done
	ktap_finish
fi

# consistent: as many consumers in the board's list as consumer devices
# and as device links to the controller.
consistent() {
	_list=$(wc -l <"$BOARD/consumers")
	_devs=$(find "$PLAT/devices/" -name "$CONSUMER.*" | wc -l)
	_links=$(find /sys/class/devlink/ -name "platform:$CTL_NAME--*" | wc -l)
	[ "$_list" -eq "$_devs" ] && [ "$_devs" -eq "$_links" ]
}

fresh_board domains=2 consumers=1
bind_consumer "$(consumers_of 1)"
Q=released-by-queue_sync_state

fault_setup
max=$(cmdline_value fault_max 400)
n=1
failures=0
added=0
broken=0
errnos=""
clean=n
while [ "$n" -le "$max" ]; do
	fault_write "$n" "$BOARD/add" 0
	if [ "$FAULT_RC" -eq 0 ]; then
		added=$((added + 1))
		if [ "$FAULT_REACHED" = n ]; then
			clean=y
			break
		fi
	else
		failures=$((failures + 1))
		e=$(errno_text "$FAULT_ERR")
		case "$errnos" in *"[$e]"*) ;; *) errnos="${errnos}[$e]" ;; esac
	fi
	if ! consistent; then
		broken=$((broken + 1))
		ktap_info "fault $n (${FAULT_ERR:-add succeeded}): list $_list, devices $_devs, links $_links"
	fi
	n=$((n + 1))
done
fault_teardown
ktap_info "$((n - 1)) faults injected: $failures failed adds (errors: $errnos), $added consumers added; add without a fault at attempt $n: $clean"
if [ "$clean" = y ] && [ "$failures" -gt 0 ]; then
	ktap_pass "add failed at $failures injected faults, then went through"
else
	ktap_fail "add failed at injected faults, then went through (clean add within $max: $clean)"
fi
ktap_check "board list, devices and device links agreed after every attempt ($broken did not)" \
	[ "$broken" -eq 0 ]

summary=$(domains_summary)
if [ "$(domain_field 0 state)" = on ] && [ "$(domain_field 1 state)" = "$Q" ] &&
	[ "$(ctl_value synced)" = 0 ] && [ "$(ctl_stat calls_after_remove)" = 0 ]; then
	ktap_pass "domains unchanged by the failed adds: $summary"
else
	ktap_fail "domains unchanged by the failed adds: $summary synced $(ctl_value synced)"
fi

ok=1
for id in $(consumers_of 0); do
	bind_consumer "$id" || ok=0
done
summary=$(domains_summary)
# The last domain to complete is released by sync_state() itself.
if [ "$ok" -eq 1 ] && [ "$(domain_field 0 state)" = released-by-sync_state ] &&
	[ "$(ctl_value synced)" = 1 ]; then
	ktap_pass "all $(consumers_of 0 | wc -l) consumers of domain 0 bind; domain released, controller synced: $summary"
else
	ktap_fail "all consumers of domain 0 bind; domain released, controller synced: $summary synced $(ctl_value synced)"
fi
unload
ktap_finish
