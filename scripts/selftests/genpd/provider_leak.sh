#!/bin/sh
# shellcheck disable=SC2317 # the helpers are called through ktap_check
# A domain genpd keeps after its provider's driver unbound, and the power
# operations it then calls (kernel::pmdomain, patch 0016). Needs a boot
# with fw_devlink=off or permissive (make test runs it in both): without a
# managed link the driver core does not unbind the consumer A first, so
# genpd cannot remove A's domain 0 (EBUSY): the domain stays registered
# with the driver's operations, and the driver's module stays pinned. When
# A then unbinds, genpd powers domain 0 off from a work item: it calls the
# operations after the binding is gone. They may only reach what outlives
# the binding: the test-only controller lifecycle_genpd_misuse (case=3)
# uses a Devres resource of its binding in its operations, which must
# find it revoked ("resource gone"), never read it (KASAN watches).
# LEAK_CASE=4 is the control (controls-leak/genpd_ops_raw_pointer.sh):
# operations that read the resource through a raw pointer.
cd "$(dirname "$0")" || exit 1
# shellcheck source=common.inc
. ./common.inc
genpd_setup
MODE=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^fw_devlink=//p' | tail -n1)
case ${MODE:-on} in off | permissive) ;; *)
	ktap_header
	ktap_plan 0
	ktap_info "SKIP: needs fw_devlink=off or permissive, not ${MODE:-on}"
	exit 4
	;;
esac

MISUSE_MOD=lifecycle_genpd_misuse
MISUSE_DRV=$PLAT/drivers/drvlife_genpd_misuse

a_bound() { bound "$DEV_A" && grep -q "drvlife-genpd.0" "$SUMMARY"; }
kept_and_pinned() {
	bound "$DEV_A" && grep -q "drvlife-genpd.0" "$SUMMARY" &&
		log_has "provider_leak: unbind" "cannot remove drvlife-genpd.0" &&
		! rmmod "$MISUSE_MOD" 2>/dev/null && module_loaded "$MISUSE_MOD"
}
# called_after_unbind: within 3 s of A's unbind, genpd called the
# operations of domain 0, which found the resource revoked.
called_after_unbind() {
	_t_end=$(($(uptime_ms) + 3000))
	until log_has "provider_leak: A unbound" "domain 0 off: resource gone"; do
		[ "$(uptime_ms)" -lt "$_t_end" ] || return 1
		sleep 0.1
	done
}

ktap_header
ktap_plan 3
ktap_info "fw_devlink=$MODE"

unload
if module_loaded "$MISUSE_MOD"; then rmmod "$MISUSE_MOD"; fi
if ! load_board; then
	ktap_fail "board overlay applied and devices populated"
	ktap_finish
fi
echo none >"$DEV_B/driver_override"
insmod_mod "$MISUSE_MOD" case="${LEAK_CASE:-3}"
insmod_mod "$CONSUMER_MOD"
bound "$DEV_A" || basename "$DEV_A" >"$PLAT/drivers_probe"
ktap_check "A bound, attached to domain 0" a_bound

kmsg "provider_leak: unbind"
basename "$CTL_DEV" >"$MISUSE_DRV/unbind"
ktap_check "controller unbound under A: genpd keeps domain 0 (EBUSY), the module stays pinned" \
	kept_and_pinned

kmsg "provider_leak: A unbound"
basename "$DEV_A" >"$CONSUMER_DRV/unbind"
ktap_check "A unbound: genpd called domain 0's power_off() after the controller's unbind, which found its resource revoked" \
	called_after_unbind
ktap_info "the rest of this boot keeps $MISUSE_MOD loaded"
rmmod "$CONSUMER_MOD" 2>/dev/null
ktap_finish
