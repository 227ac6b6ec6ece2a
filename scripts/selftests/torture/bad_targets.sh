#!/bin/sh
# Bad input to the torture engine is refused with a clear message before
# anything runs (exit status 2), on the guest's real sysfs: a malformed
# file, an unknown device (PCI id, sysfs path), a path outside sysfs, a
# sysfs directory that is no device, an unknown driver (the module loaded
# to register it is unloaded again), an unknown module, an unknown actor
# named on the command line, and a missing file.
# shellcheck source=../ktap.sh
. ../ktap.sh
# shellcheck source=../lib-module.sh
. ../lib-module.sh

ktap_header
ktap_plan 11

T=/tmp/bad-target.toml
PCI_ACTORS='[[actor]]
kind = "bind"
device = "d"'

# refused DESC PATTERN [ARG...]: the engine, on $T (or ARGs), exits 2
# before running anything and names PATTERN (an extended regexp).
refused() {
	_desc=$1
	_pattern=$2
	shift 2
	if [ $# -eq 0 ]; then set -- --target "$T"; fi
	drvtorture "$@" >/tmp/bad-target.out 2>&1
	_rc=$?
	sed 's/^/# /' /tmp/bad-target.out
	if [ "$_rc" -eq 2 ] && grep -Eq "refused: .*$_pattern" /tmp/bad-target.out &&
		! grep -q '^TAP version' /tmp/bad-target.out; then
		ktap_pass "$_desc: refused ($_pattern)"
	else
		ktap_fail "$_desc: refused ($_pattern), got status $_rc"
	fi
}

printf '[[device]\nid = \n' >"$T"
refused "malformed TOML" "malformed"

printf 'colour = "red"\n%s\n' "$PCI_ACTORS" >"$T"
refused "unknown key" "unknown field .colour."

printf '[[device]]\nid = "d"\npci = "ffff:fffe"\ndrivers = ["x"]\n%s\n' "$PCI_ACTORS" >"$T"
refused "unknown PCI device" "unknown device d: no PCI device ffff:fffe"

printf '[[device]]\nid = "d"\npath = "/sys/bus/pci/devices/0000:ff:1f.7"\ndrivers = ["x"]\n%s\n' "$PCI_ACTORS" >"$T"
refused "unknown device path" "unknown device d: .*No such file"

printf '[[device]]\nid = "d"\npath = "/etc/passwd"\ndrivers = ["x"]\n%s\n' "$PCI_ACTORS" >"$T"
refused "path outside sysfs" "outside sysfs"

printf '[[device]]\nid = "d"\npath = "/sys/kernel"\ndrivers = ["x"]\n%s\n' "$PCI_ACTORS" >"$T"
refused "sysfs directory that is no device" "outside sysfs's devices"

printf '[[device]]\nid = "d"\npci = "1b36:0005"\ndrivers = ["drvlife_no_such_driver"]\n[[module]]\nname = "lifecycle_override_pci"\npath = "/modules/lifecycle_override_pci.ko"\nload = true\n%s\n' "$PCI_ACTORS" >"$T"
refused "unknown driver" "unknown driver 'drvlife_no_such_driver'"
ktap_check "unknown driver: the module loaded for the check is unloaded again" \
	sh -c '! [ -d /sys/module/lifecycle_override_pci ]'

printf '[[module]]\nname = "drvlife_none"\npath = "/modules/drvlife_none.ko"\nload = true\n[[actor]]\nkind = "module"\nmodule = "drvlife_none"\n' >"$T"
refused "unknown module" "unknown module drvlife_none: no file"

printf '[[device]]\nid = "d"\npci = "1b36:0005"\ndrivers = ["x"]\n%s\n' "$PCI_ACTORS" >"$T"
refused "unknown actor in --threads" "no actor 'nobody'" --target "$T" --threads nobody=2
refused "missing target file" "No such file" --target /tmp/drvtorture-none.toml
ktap_finish
