#!/bin/sh
# Race stress on a PCI and a platform device: writers of driver_override,
# readers of it and bind/unbind/drivers_probe cyclers all at once. Each bind
# runs the driver's probe, which reads the override through the Rust API.
# Pass: every value read is one that was written (or none), the final state
# follows the last write, and (host side) no KASAN/lockdep/WARN splat.
#
# Kernel command line: drvlife.override_seconds=N (default 15, per bus),
# drvlife.override_writers=N (default 2), drvlife.override_readers=N
# (default 2).
. ./common.inc

ktap_header
ktap_plan 6

SECONDS_PER_BUS=15
WRITERS=2
READERS=2
read -r cmdline </proc/cmdline
for arg in $cmdline; do
	case "$arg" in
	drvlife.override_seconds=*) SECONDS_PER_BUS=${arg#*=} ;;
	drvlife.override_writers=*) WRITERS=${arg#*=} ;;
	drvlife.override_readers=*) READERS=${arg#*=} ;;
	esac
done
ktap_info "duration ${SECONDS_PER_BUS}s per bus, $WRITERS writers, $READERS readers, 1 binder"

STOP=/tmp/override-stop

writer() {
	n=0
	while [ ! -e "$STOP" ]; do
		for v in "$2" "$3" ""; do
			echo "$v" >"$1/driver_override" 2>/dev/null && n=$((n + 1))
		done
	done
	echo "$n" >"/tmp/override-writes.$4"
}

reader() {
	n=0 bad=0
	while [ ! -e "$STOP" ]; do
		read -r v <"$1/driver_override"
		case "$v" in
		"$2" | "$3" | "(null)") ;;
		*)
			bad=$((bad + 1))
			echo "# unexpected value read: '$v'"
			;;
		esac
		n=$((n + 1))
	done
	echo "$n $bad" >"/tmp/override-reads.$4"
}

binder() {
	n=0
	name=$(basename "$1")
	while [ ! -e "$STOP" ]; do
		if [ -e "$1/driver" ]; then
			echo "$name" >"$1/driver/unbind" 2>/dev/null
		fi
		echo "$name" >"$(bus_dir "$1")/drivers_probe" 2>/dev/null
		n=$((n + 1))
	done
	echo "$n" >/tmp/override-binds
}

stress() {
	bus=$1 dev=$2 alpha=$3 beta=$4
	rm -f "$STOP" /tmp/override-writes.* /tmp/override-reads.* /tmp/override-binds
	i=0
	while [ "$i" -lt "$WRITERS" ]; do
		writer "$dev" "$alpha" "$beta" "$i" &
		i=$((i + 1))
	done
	i=0
	while [ "$i" -lt "$READERS" ]; do
		reader "$dev" "$alpha" "$beta" "$i" &
		i=$((i + 1))
	done
	binder "$dev" &
	sleep "$SECONDS_PER_BUS"
	touch "$STOP"
	wait

	writes=$(cat /tmp/override-writes.* | awk '{s += $1} END {print s + 0}')
	reads=$(cat /tmp/override-reads.* | awk '{s += $1} END {print s + 0}')
	bad=$(cat /tmp/override-reads.* | awk '{s += $2} END {print s + 0}')
	binds=$(cat /tmp/override-binds)
	ktap_info "$bus: $writes override writes ($((writes / SECONDS_PER_BUS))/s)," \
		"$reads reads, $binds bind cycles ($((binds / SECONDS_PER_BUS))/s) in ${SECONDS_PER_BUS}s"
	echo "drvlife-stat: override $bus writes=$writes reads=$reads binds=$binds seconds=$SECONDS_PER_BUS" >/dev/kmsg
	if [ "$bad" -eq 0 ] && [ "$reads" -gt 0 ] && [ "$writes" -gt 0 ] && [ "$binds" -gt 0 ]; then
		ktap_pass "$bus: every value read was one written ($reads reads)"
	else
		ktap_fail "$bus: every value read was one written ($bad of $reads bad)"
	fi

	# Final state follows the last write.
	echo "$beta" >"$dev/driver_override"
	unbind "$dev"
	reprobe "$dev"
	if [ "$(override_of "$dev")" = "$beta" ] && [ "$(bound_driver "$dev")" = "$beta" ]; then
		ktap_pass "$bus: after the stress, bound to $beta as the last override says"
	else
		ktap_fail "$bus: after the stress, bound to $beta (bound: $(bound_driver "$dev"), override: $(override_of "$dev"))"
	fi
	echo >"$dev/driver_override"
	unbind "$dev"
	reprobe "$dev"
	ktap_check "$bus: cleared, bound to $alpha again" [ "$(bound_driver "$dev")" = "$alpha" ]
}

pci=$(pci_testdev) || { ktap_fail "pci-testdev present"; ktap_finish; }
plat=$(platform_dev) || { ktap_fail "LNUXD0D0 present"; ktap_finish; }
insmod_mod "$PCI_MOD"
insmod_mod "$PLAT_MOD"
stress pci "$pci" "$PCI_ALPHA" "$PCI_BETA"
stress platform "$plat" "$PLAT_ALPHA" "$PLAT_BETA"
rmmod "$PCI_MOD"
rmmod "$PLAT_MOD"
ktap_finish
