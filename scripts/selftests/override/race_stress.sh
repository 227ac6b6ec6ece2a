#!/bin/sh
# Race stress on a PCI and a platform device: writers of driver_override
# (with bad input), readers of it and a bind/unbind/drivers_probe cycler all
# at once, run by the torture engine (tools/drvtorture, targets
# override-pci and override-platform). Each bind runs the driver's probe,
# which reads the override through the Rust API.
# Pass: every value read is one that was written (or none), every errno is
# one the actor allows, the final binding follows the last write, steering
# by the override to each driver and clearing it still work, the module
# unloads, and (host side) no KASAN/lockdep/WARN splat.
#
# Kernel command line: drvlife.override_seconds=N (default 5, per bus),
# drvlife.override_writers=N (default 2), drvlife.override_readers=N
# (default 2).
. ./common.inc
# shellcheck source=../lib-host.sh
. ../lib-host.sh
# shellcheck source=../lib-torture.sh
. ../lib-torture.sh

ktap_header
ktap_plan 8

SECONDS_PER_BUS=$(cmdline_value override_seconds 5)
WRITERS=$(cmdline_value override_writers 2)
READERS=$(cmdline_value override_readers 2)
ktap_info "duration ${SECONDS_PER_BUS}s per bus, $WRITERS writers, $READERS readers, 1 binder"

# stress BUS ALPHA BETA: the engine on target override-BUS, then its results.
stress() {
	bus=$1 alpha=$2 beta=$3
	out=/tmp/override-$bus.ktap
	torture_run "$out" "override-$bus" --seconds "$SECONDS_PER_BUS" \
		--threads writer="$WRITERS" --threads reader="$READERS"
	writes=$(torture_stat "$out" writer ok)
	reads=$(torture_stat "$out" reader ok)
	binds=$(torture_stat "$out" binder ok)
	echo "drvlife-stat: override $bus writes=$writes reads=$reads binds=$binds seconds=$SECONDS_PER_BUS" >/dev/kmsg
	if torture_ok "$out" "writer: " && torture_ok "$out" "reader: " && torture_ok "$out" "binder: "; then
		ktap_pass "$bus: every value read was one written, every errno allowed ($reads reads, $writes writes, $binds binds)"
	else
		ktap_fail "$bus: every value read was one written, every errno allowed"
	fi
	ktap_check "$bus: after the stress, the binding follows the last override written" \
		torture_ok "$out" "invariant: [^ ]+: binding follows the last override written"
	ktap_check "$bus: steered to $alpha and $beta by the override, cleared: bound to $alpha again" \
		torture_ok "$out" "invariant: [^ ]+: steered by the override to each driver, then cleared"
	ktap_check "$bus: the module unloads after the stress" \
		torture_ok "$out" "invariant: module [^ ]+ unloads"
}

pci=$(pci_testdev) || { ktap_fail "pci-testdev present"; ktap_finish; }
plat=$(platform_dev) || { ktap_fail "LNUXD0D0 present"; ktap_finish; }
ktap_info "devices: $pci, $plat"
stress pci "$PCI_ALPHA" "$PCI_BETA"
stress platform "$PLAT_ALPHA" "$PLAT_BETA"
ktap_finish
