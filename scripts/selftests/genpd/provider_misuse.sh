#!/bin/sh
# shellcheck disable=SC2317 # the helpers are called through ktap_check
# What the Rust genpd provider API (kernel::pmdomain, patch 0016) must
# keep sound when a driver uses it wrongly, with the test-only controller
# driver lifecycle_genpd_misuse on the pair card (domain 0 for A, 1 for B):
# - case=1: the controller registers a second onecell provider for its
#   node. genpd must refuse it (EEXIST): of_genpd_del_provider(node)
#   deletes every domain of the node, so two providers end in a second
#   device_del() of the same domains at unbind. The refusal must leave the
#   first provider registered (the failed new() must not delete the node's
#   provider): A binds, attached to the first provider's domain 0, and the
#   unbind removes every domain once.
# - case=2: B, steered to the same driver, calls the controller's
#   release_unused() with its own device: refused (EINVAL), only the
#   provider's device may.
cd "$(dirname "$0")" || exit 1
# shellcheck source=common.inc
. ./common.inc
genpd_setup

MISUSE_MOD=lifecycle_genpd_misuse
MISUSE_DRV=$PLAT/drivers/drvlife_genpd_misuse

# attached DEV N: genpd's summary lists DEV under domain drvlife-genpd.N.
attached() {
	awk -v d="drvlife-genpd.$2" -v dev="$(basename "$1")" '
		$1 == d { in_domain = 1; next }
		/^[^ \t\/]/ { in_domain = 0 }
		in_domain && index($0, dev) { found = 1 }
		END { exit !found }' "$SUMMARY"
}
second_refused() { log_has "provider_misuse: case 1" "second provider of the node: refused (-17)"; }
a_attached_to_first() { bound "$DEV_A" && attached "$DEV_A" 0; }
none_listed() { ! grep -Eq 'drvlife-(genpd|misuse)' "$SUMMARY"; }
unbound_and_removed() { ! bound "$DEV_A" && ! bound "$CTL_DEV" && none_listed; }
foreign_refused() {
	log_has "provider_misuse: case 2" \
		"$(basename "$DEV_B"): release_unused() with this device: refused (-22)"
}
unload_all() {
	if module_loaded "$MISUSE_MOD"; then rmmod "$MISUSE_MOD"; fi
	unload
}

ktap_header
ktap_plan 4

unload_all
if ! load_board; then
	ktap_fail "board overlay applied and devices populated"
	ktap_finish
fi
echo none >"$DEV_B/driver_override"
insmod_mod "$CONSUMER_MOD"

kmsg "provider_misuse: case 1"
insmod_mod "$MISUSE_MOD" case=1
ktap_check "case 1: a second provider for the controller's node is refused (EEXIST)" \
	second_refused
bound "$DEV_A" || basename "$DEV_A" >"$PLAT/drivers_probe"
ktap_check "case 1: the first provider stays registered: A bound, attached to its domain 0" \
	a_attached_to_first
basename "$CTL_DEV" >"$MISUSE_DRV/unbind"
ktap_check "case 1: controller unbound: A unbound first, every domain removed" \
	unbound_and_removed
rmmod "$MISUSE_MOD"

kmsg "provider_misuse: case 2"
insmod_mod "$MISUSE_MOD" case=2
bound "$DEV_A" || basename "$DEV_A" >"$PLAT/drivers_probe"
echo drvlife_genpd_misuse >"$DEV_B/driver_override"
basename "$DEV_B" >"$PLAT/drivers_probe"
ktap_check "case 2: release_unused() with another device than the provider's is refused (EINVAL)" \
	foreign_refused
if bound "$DEV_B"; then basename "$DEV_B" >"$MISUSE_DRV/unbind"; fi
echo >"$DEV_B/driver_override"

unload_all
ktap_finish
