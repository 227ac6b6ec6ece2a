#!/bin/sh
# Steer a PCI and a platform device between two drivers that both match it,
# with driver_override, and back; each probe logs the override it saw (read
# through the Rust API).
. ./common.inc

ktap_header
ktap_plan 10

# steer BUS DEV MODULE ALPHA BETA
steer() {
	bus=$1 dev=$2 mod=$3 alpha=$4 beta=$5
	insmod_mod "$mod" || { ktap_fail "$bus: load $mod"; return; }
	kmsg "mark steer $bus"

	# Without an override the first registered driver wins.
	ktap_check "$bus: no override, bound to $alpha" [ "$(bound_driver "$dev")" = "$alpha" ]

	# To beta: override, unbind, let the bus probe again.
	echo "$beta" >"$dev/driver_override"
	ktap_check "$bus: still bound to $alpha after the override write" \
		[ "$(bound_driver "$dev")" = "$alpha" ]
	unbind "$dev"
	reprobe "$dev"
	if [ "$(bound_driver "$dev")" = "$beta" ] &&
		log_has "mark steer $bus" "$beta: probe (driver_override: $beta)"; then
		ktap_pass "$bus: steered to $beta; its probe read the override through the API"
	else
		ktap_fail "$bus: steered to $beta (bound: $(bound_driver "$dev"))"
	fi

	# Back to alpha through the driver's bind file.
	unbind "$dev"
	echo "$alpha" >"$dev/driver_override"
	basename "$dev" >"/sys/bus/$bus/drivers/$alpha/bind"
	ktap_check "$bus: steered back to $alpha via bind" [ "$(bound_driver "$dev")" = "$alpha" ]

	# Clear: both match again; unbind + probe picks the first driver.
	echo >"$dev/driver_override"
	unbind "$dev"
	reprobe "$dev"
	if [ "$(override_of "$dev")" = "(null)" ] && [ "$(bound_driver "$dev")" = "$alpha" ]; then
		ktap_pass "$bus: cleared; bound by ID match again"
	else
		ktap_fail "$bus: cleared; bound by ID match again"
	fi
	rmmod "$mod"
}

pci=$(pci_testdev) || { ktap_fail "pci-testdev present"; ktap_finish; }
plat=$(platform_dev) || { ktap_fail "LNUXD0D0 present"; ktap_finish; }
steer pci "$pci" "$PCI_MOD" "$PCI_ALPHA" "$PCI_BETA"
steer platform "$plat" "$PLAT_MOD" "$PLAT_ALPHA" "$PLAT_BETA"
ktap_finish
