#!/bin/sh
# Guest library: what the host harness (drvlife) passes to the guest and
# asks of it (POSIX sh, busybox). Source it; sourcing only defines the
# functions. Helpers name their variables _k_* (sh has no locals).

# cmdline_value NAME DEFAULT: drvlife.NAME=VALUE from the kernel command line
# (the last one wins), else DEFAULT: how a run sets a test's sizes.
cmdline_value() {
	_k_v=$(tr ' ' '\n' </proc/cmdline | sed -n "s/^drvlife\.$1=//p" | tail -n1)
	echo "${_k_v:-$2}"
}

# qmp_request COMMAND key=value...: ask the host harness to send a QMP
# command (device_add or device_del only) to QEMU. Written straight to the
# KTAP port, as a diagnostic line: the runner's own output is buffered until
# the test ends. The guest sees the effect in sysfs, not an answer.
qmp_request() { echo "# drvlife-qmp: $*" >/dev/ttyS1; }
