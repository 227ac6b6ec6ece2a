#!/bin/sh
# Control for the genpd suite's device-lock design: genpd's per-domain
# release (of_genpd_queue_sync_state()) called as the abandoned design
# called the callback, under the device links lock (test-only module
# lifecycle_genpd_links_lock, which calls it from every new device link).
# Populating the card makes links, so genpd's gpd_list_lock is taken under
# the links lock; unbinding the controller then removes its provider,
# which takes the links lock under gpd_list_lock. Lockdep must report the
# circular dependency and the host must fail this test. Its name sorts it
# first in the controls boot: lockdep must still be on (any KASAN report,
# as the other controls make, turns it off), and it turns lockdep off for
# the rest of the boot, where no control depends on it.
cd ../genpd || exit 1
# shellcheck source=../genpd/common.inc
. ./common.inc
genpd_setup

ktap_header
ktap_plan 2

unload
if ! insmod_mod lifecycle_genpd_links_lock; then
	ktap_fail "insmod lifecycle_genpd_links_lock"
	ktap_finish
fi
insmod_mod "$CTL_MOD"
insmod_mod "$CONSUMER_MOD"
kmsg "device_links_lock_genpd: board"
load_board
ktap_check "the card's links were made, each calling genpd under the links lock" \
	log_has "device_links_lock_genpd: board" "calling of_genpd_queue_sync_state() under the device links lock"

basename "$CTL_DEV" >"$CTL_DRV/unbind"
i=0
while [ "$i" -lt 10 ] && ! log_has "device_links_lock_genpd: board" "possible circular locking dependency"; do
	sleep 1
	i=$((i + 1))
done
ktap_info "lockdep reported after ${i} s (10 s at most)"
unload
rmmod lifecycle_genpd_links_lock
ktap_pass "controller unbound after genpd ran under the links lock (the host must fail this)"
ktap_finish
