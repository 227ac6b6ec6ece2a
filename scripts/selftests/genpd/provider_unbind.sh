#!/bin/sh
# shellcheck disable=SC2317 # the helpers are called through ktap_check
# The power controller unbound under bound consumers, and bound again:
# fw_devlink's links make the driver core unbind the consumers first, so
# genpd can remove every domain (a domain with an attached device cannot
# be removed); each removed domain is freed only when genpd's device in it
# is released, which DEBUG_KOBJECT_RELEASE delays (KASAN watches that).
# Then the controller registers new domains and the consumers attach to
# them; the same once more with the controller's module removed and
# loaded again. Lockdep watches genpd's locks and the device links' lock
# and SRCU all along (the device lock itself is not validated by lockdep:
# the driver core marks it novalidate): it must still be on at the end,
# and must have seen genpd walk the device links under its list lock.
# Unloading the card last must not remove its overlay while the devices
# populated from it still hold its nodes (the overlay core's "memory
# leak" error, the nodes never freed).
cd "$(dirname "$0")" || exit 1
# shellcheck source=common.inc
. ./common.inc
genpd_setup

consumers_bound() { bound "$DEV_A" && bound "$DEV_B"; }
consumers_unbound() { ! bound "$DEV_A" && ! bound "$DEV_B"; }
none_listed() { ! grep -q drvlife-genpd "$SUMMARY"; }
# attached DEV N: genpd's summary lists DEV under domain N.
attached() {
	awk -v d="drvlife-genpd.$2" -v dev="$(basename "$1")" '
		$1 == d { in_domain = 1; next }
		/^[^ \t\/]/ { in_domain = 0 }
		in_domain && index($0, dev) { found = 1 }
		END { exit !found }' "$SUMMARY"
}
both_attached() { attached "$DEV_A" 0 && attached "$DEV_B" 1; }
bound_and_attached() { consumers_bound && both_attached; }
module_removed_cleanly() { consumers_unbound && none_listed && ! module_loaded "$CTL_MOD"; }
lockdep_order_seen() { lockdep_validating && lockdep_recorded gpd_list_lock device_links_srcu; }
nodes_gone() { ! ls /proc/device-tree/*/*/power-controller >/dev/null 2>&1; }
# The overlay core's complaint when it frees an overlay whose nodes a
# device still holds (of_overlay_remove(): "OF: ERROR: memory leak,
# expected refcount 1 ..."); the nodes are then never freed. Printed at
# the removal itself, so before rmmod returns.
no_overlay_leak() { ! log_has "genpd: unload the card" "OF: ERROR: memory leak"; }

ktap_header
ktap_plan 9

unload
if ! load_board; then
	ktap_fail "board overlay applied and devices populated"
	ktap_finish
fi
insmod_mod "$CTL_MOD"
insmod_mod "$CONSUMER_MOD"
ktap_check "consumers bound and attached to their domains" \
	bound_and_attached

basename "$CTL_DEV" >"$CTL_DRV/unbind"
ktap_check "controller unbound: the consumers were unbound first" consumers_unbound
ktap_check "controller unbound: genpd removed all its domains" none_listed

basename "$CTL_DEV" >"$CTL_DRV/bind"
basename "$DEV_A" >"$PLAT/drivers_probe"
basename "$DEV_B" >"$PLAT/drivers_probe"
show_domains
ktap_check "controller bound again: consumers bound to the new domains" \
	bound_and_attached

rmmod "$CTL_MOD"
ktap_check "controller's module removed under bound consumers: consumers unbound first, domains removed, module gone" \
	module_removed_cleanly
insmod_mod "$CTL_MOD"
basename "$DEV_A" >"$PLAT/drivers_probe"
basename "$DEV_B" >"$PLAT/drivers_probe"
ktap_check "controller's module loaded again: consumers bound to the new domains" \
	bound_and_attached

kmsg "genpd: unload the card"
unload
ktap_check "modules unloaded: the overlay's nodes are gone" \
	nodes_gone
ktap_check "overlay removed once its devices were released: no node leaked" \
	no_overlay_leak
ktap_check "lockdep still validating, and it saw gpd_list_lock held over the device links' SRCU" \
	lockdep_order_seen
ktap_finish
