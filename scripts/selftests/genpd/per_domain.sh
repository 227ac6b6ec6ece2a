#!/bin/sh
# shellcheck disable=SC2317 # the helpers are called through ktap_check
# Per-domain release with the real genpd: the controller's three domains
# start on; each is released (genpd's stay_on cleared, powered off when
# unused) once no consumer still waiting to probe uses it, not when all
# consumers of all domains have probed. Consumer A uses domain 0, B domain
# 1, domain 2 has none. The devices come from the board's device tree
# overlay and fw_devlink links them. CTL_MOD may name another controller
# build (the control, controls/genpd_no_per_domain.sh).
cd "$(dirname "$0")" || exit 1
# shellcheck source=common.inc
. ./common.inc
genpd_setup
consumers_linked() { linked "$CTL_DEV" "$DEV_A" && linked "$CTL_DEV" "$DEV_B"; }
only_a_bound() { bound "$DEV_A" && ! bound "$DEV_B" && wait_domains on on off; }
both_bound() { bound "$DEV_A" && bound "$DEV_B" && wait_domains on on off; }
none_listed() { ! grep -q drvlife-genpd "$SUMMARY"; }

ktap_header
ktap_plan 7

unload
if ! load_board; then
	ktap_fail "board overlay applied and devices populated"
	ktap_finish
fi
ktap_check "fw_devlink linked both consumers to the controller" \
	consumers_linked

# B stays unbound until it is told otherwise.
echo none >"$DEV_B/driver_override"
insmod_mod "$CTL_MOD"
show_domains
ktap_check "controller bound: domain 2 (no consumer) released at once, 0 and 1 kept on" \
	wait_domains on on off

insmod_mod "$CONSUMER_MOD"
ktap_check "consumer A bound (B held back), domains 0 and 1 still on" \
	only_a_bound

basename "$DEV_A" >"$CONSUMER_DRV/unbind"
show_domains
ktap_check "A unbound: domain 0 off (released when A probed), domain 1 still kept on for B" \
	wait_domains off on off

echo >"$DEV_B/driver_override"
basename "$DEV_B" >"$PLAT/drivers_probe"
basename "$DEV_A" >"$CONSUMER_DRV/bind"
ktap_check "A and B bound: domains 0 and 1 on for them" \
	both_bound

basename "$DEV_B" >"$CONSUMER_DRV/unbind"
ktap_check "B unbound: domain 1 off" wait_domains on off off

show_domains
unload
ktap_check "modules unloaded: genpd lists no domain of the controller" \
	none_listed
ktap_finish
