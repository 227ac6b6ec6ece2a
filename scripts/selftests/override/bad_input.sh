#!/bin/sh
# driver_override input rules through sysfs, on a PCI and a platform device:
# clearing with "" (a lone NUL) and "\n", trailing newline, the PAGE_SIZE length boundary
# (a write of PAGE_SIZE - 1 bytes or more is EINVAL and changes nothing), an
# embedded NUL, and an override naming no driver (the device stays unbound,
# binding another driver is ENODEV, binding a bound device EBUSY).
. ./common.inc

ktap_header
ktap_plan 20

PAGE_SIZE=4096

# xs N: N times 'x'
xs() { head -c "$1" /dev/zero | tr '\0' x; }

check_rules() {
	bus=$1 dev=$2 alpha=$3 beta=$4
	ovr=$dev/driver_override

	printf 'beta\n' | write_bytes "$ovr"
	ktap_check "$bus: trailing newline stripped" [ "$(override_of "$dev")" = beta ]
	printf 'be\nta' | write_bytes "$ovr"
	ktap_check "$bus: name ends at the first newline" [ "$(override_of "$dev")" = be ]

	# An empty string as a C caller would pass it (write(2) cannot send
	# zero bytes to a sysfs store): a lone NUL.
	printf '\000' | write_bytes "$ovr"
	ktap_check "$bus: empty string clears" [ "$(override_of "$dev")" = "(null)" ]
	printf 'alpha' | write_bytes "$ovr"
	printf '\n' | write_bytes "$ovr"
	ktap_check "$bus: a lone newline clears" [ "$(override_of "$dev")" = "(null)" ]

	printf 'beta\000junk' | write_bytes "$ovr"
	ktap_check "$bus: embedded NUL ends the name" [ "$(override_of "$dev")" = beta ]

	xs $((PAGE_SIZE - 2)) | write_bytes "$ovr"
	ktap_check "$bus: PAGE_SIZE - 2 bytes accepted and read back whole" \
		[ "$(override_of "$dev" | wc -c)" -eq $((PAGE_SIZE - 1)) ]

	printf 'kept' | write_bytes "$ovr"
	ok=1
	for len in $((PAGE_SIZE - 1)) "$PAGE_SIZE" $((2 * PAGE_SIZE)); do
		msg=$(xs "$len" | write_bytes "$ovr") && ok=0
		ktap_info "$bus: write of $len bytes: ${msg:-accepted}"
		case "$msg" in *"Invalid argument"*) ;; *) ok=0 ;; esac
		[ "$(override_of "$dev")" = kept ] || ok=0
	done
	if [ "$ok" = 1 ]; then
		ktap_pass "$bus: writes of PAGE_SIZE - 1 bytes and more are EINVAL, override kept"
	else
		ktap_fail "$bus: writes of PAGE_SIZE - 1 bytes and more are EINVAL, override kept"
	fi

	# An override naming no driver: the device stays unbound.
	echo drvlife_no_such_driver >"$ovr"
	unbind "$dev"
	reprobe "$dev"
	ktap_check "$bus: override naming no driver leaves the device unbound" \
		[ "$(bound_driver "$dev")" = none ]
	name=$(basename "$dev")
	msg=$(sysfs_write "/sys/bus/$bus/drivers/$alpha/bind" "$name") && msg=accepted
	ktap_info "$bus: bind to $alpha against the override: $msg"
	case "$msg" in
	*"No such device"*) ktap_pass "$bus: binding a driver the override does not name is ENODEV" ;;
	*) ktap_fail "$bus: binding a driver the override does not name is ENODEV" ;;
	esac

	echo "$beta" >"$ovr"
	reprobe "$dev"
	msg=$(sysfs_write "/sys/bus/$bus/drivers/$beta/bind" "$name") && msg=accepted
	ktap_info "$bus: bind while bound: $msg"
	case "$msg" in
	*"busy"*) ktap_pass "$bus: binding a bound device is EBUSY" ;;
	*) ktap_fail "$bus: binding a bound device is EBUSY" ;;
	esac

	# Leave the device as we found it.
	echo >"$ovr"
	unbind "$dev"
	reprobe "$dev"
}

pci=$(pci_testdev) || { ktap_fail "pci-testdev present"; ktap_finish; }
plat=$(platform_dev) || { ktap_fail "LNUXD0D0 present"; ktap_finish; }
insmod_mod "$PCI_MOD"
insmod_mod "$PLAT_MOD"
check_rules pci "$pci" "$PCI_ALPHA" "$PCI_BETA"
check_rules platform "$plat" "$PLAT_ALPHA" "$PLAT_BETA"
rmmod "$PCI_MOD"
rmmod "$PLAT_MOD"
ktap_finish
