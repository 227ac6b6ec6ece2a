#!/bin/sh
# KTAP helpers for the guest-side tests (POSIX sh, busybox). Source it.
#
#   ktap_header; ktap_plan N
#   ktap_pass "desc" | ktap_fail "desc" | ktap_skip "desc"
#   ktap_check "desc" command...     pass when the command succeeds
#   ktap_finish                      prints totals, exits 0 / 1 / 4
#
# Exit codes follow kselftest: 0 pass, 1 fail, 4 skip.

KTAP_PASS=0
KTAP_FAIL=0
KTAP_SKIP=0
KTAP_COUNT=0
KTAP_PLAN=0

ktap_header() { echo "TAP version 13"; }
ktap_plan() {
	KTAP_PLAN=$1
	echo "1..$1"
}
ktap_info() { echo "# $*"; }

ktap_pass() {
	KTAP_COUNT=$((KTAP_COUNT + 1))
	KTAP_PASS=$((KTAP_PASS + 1))
	echo "ok $KTAP_COUNT $*"
}
ktap_fail() {
	KTAP_COUNT=$((KTAP_COUNT + 1))
	KTAP_FAIL=$((KTAP_FAIL + 1))
	echo "not ok $KTAP_COUNT $*"
}
ktap_skip() {
	KTAP_COUNT=$((KTAP_COUNT + 1))
	KTAP_SKIP=$((KTAP_SKIP + 1))
	echo "ok $KTAP_COUNT $* # SKIP"
}
# Helpers name their variables _k_*: sh has no locals, and a helper must not
# clobber its caller's variables.
ktap_check() {
	_k_desc=$1
	shift
	if "$@"; then ktap_pass "$_k_desc"; else ktap_fail "$_k_desc"; fi
}

ktap_finish() {
	if [ "$KTAP_COUNT" -ne "$KTAP_PLAN" ]; then
		echo "# planned $KTAP_PLAN tests but ran $KTAP_COUNT"
		KTAP_FAIL=$((KTAP_FAIL + 1))
	fi
	echo "# Totals: pass:$KTAP_PASS fail:$KTAP_FAIL xfail:0 xpass:0 skip:$KTAP_SKIP error:0"
	if [ "$KTAP_FAIL" -gt 0 ]; then exit 1; fi
	if [ "$KTAP_SKIP" -gt 0 ] && [ "$KTAP_PASS" -eq 0 ]; then exit 4; fi
	exit 0
}

# Mark a point in the kernel log (the host attributes splats by these).
kmsg() { echo "drvlife: $*" >/dev/kmsg; }

# The kernel log since the mark "drvlife: NAME".
dmesg_since() { dmesg | sed -n "/drvlife: $1\$/,\$p"; }

# log_has MARK TEXT: TEXT appears in the kernel log after the mark.
log_has() { dmesg_since "$1" | grep -qF "$2"; }

# cmdline_value NAME DEFAULT: drvlife.NAME=VALUE from the kernel command line.
cmdline_value() {
	_k_v=$(tr ' ' '\n' </proc/cmdline | sed -n "s/^drvlife\.$1=//p" | tail -n1)
	echo "${_k_v:-$2}"
}

# qmp_request COMMAND key=value...: ask the host harness to send a QMP
# command (device_add or device_del only) to QEMU. Written straight to the
# KTAP port, as a diagnostic line: the runner's own output is buffered until
# the test ends. The guest sees the effect in sysfs, not an answer.
qmp_request() { echo "# drvlife-qmp: $*" >/dev/ttyS1; }

# Modules shipped in the image.
MODULES=/modules

# Load a module from the image: insmod_mod NAME [PARAM=VALUE...]
insmod_mod() {
	_k_mod=$1
	shift
	insmod "$MODULES/$_k_mod.ko" "$@"
}

module_loaded() { [ -d "/sys/module/$1" ]; }

# pci_dev VENDOR DEVICE: sysfs directory of the first PCI device with these
# IDs (e.g. pci_dev 0x1b36 0x0005); fails if there is none.
pci_dev() {
	for _k_d in /sys/bus/pci/devices/*; do
		if [ "$(cat "$_k_d/vendor")" = "$1" ] && [ "$(cat "$_k_d/device")" = "$2" ]; then
			echo "$_k_d"
			return 0
		fi
	done
	return 1
}

# kunit_module MODULE SUITES: load MODULE, which runs SUITES KUnit suites
# at insmod, and report each one (SUITES KTAP results) from the kernel log
# since the load; unload it.
kunit_module() {
	kmsg "kunit $1"
	if ! insmod_mod "$1"; then
		_k_n=0
		while [ "$_k_n" -lt "$2" ]; do
			ktap_fail "$1: load"
			_k_n=$((_k_n + 1))
		done
		return
	fi
	_k_log=$(dmesg_since "kunit $1")
	_k_suites=$(echo "$_k_log" | sed -n 's/.*# Subtest: \([A-Za-z0-9_-]*\)$/\1/p')
	_k_n=0
	for _k_suite in $_k_suites; do
		echo "$_k_log" | sed -n "/# Subtest: $_k_suite\$/,/ok [0-9]* $_k_suite\$/p" |
			grep -E '(not ok|ok) [0-9]+ |EXPECTATION|ASSERTION|Expected' |
			sed 's/^\[[^]]*\] */# kunit: /'
		if echo "$_k_log" | grep -qE "\] +ok [0-9]+ $_k_suite\$"; then
			ktap_pass "$1: KUnit suite $_k_suite"
		else
			ktap_fail "$1: KUnit suite $_k_suite"
		fi
		_k_n=$((_k_n + 1))
	done
	while [ "$_k_n" -lt "$2" ]; do
		ktap_fail "$1: KUnit suite $((_k_n + 1)) of $2 reported"
		_k_n=$((_k_n + 1))
	done
	rmmod "$1"
}

# Ask kmemleak for a scan and copy any report into the kernel log, where the
# host's splat scanner sees it. Objects must be unreferenced for two scans.
kmemleak_report() {
	_k_ctl=/sys/kernel/debug/kmemleak
	[ -w "$_k_ctl" ] || return 0
	echo scan >"$_k_ctl"
	sleep 1
	echo scan >"$_k_ctl"
	_k_report=$(cat "$_k_ctl")
	[ -n "$_k_report" ] || return 0
	echo "$_k_report" | while IFS= read -r _k_line; do
		echo "kmemleak-report: $_k_line" >/dev/kmsg
	done
	echo clear >"$_k_ctl"
	return 1
}

# Fault injection (CONFIG_FAILSLAB, CONFIG_FAULT_INJECTION_DEBUG_FS), one
# allocation at a time, in this shell's own task:
#
#   fault_available               the kernel can do it
#   fault_setup / fault_teardown  GFP_KERNEL allocations may fail too, no
#                                 stack dump per fault / back to defaults
#   fault_write N FILE VALUE      write VALUE to FILE with the Nth slab
#                                 allocation of the task failing
#
# fault_write sets FAULT_RC (0: the write succeeded), FAULT_REACHED (y: the
# Nth allocation happened, so a fault was injected) and FAULT_ERR (the
# shell's error message, if any). Between arming and reading back only
# builtins and redirections to files opened before run: a fork would spend
# the count.
FAULT_SLAB=/sys/kernel/debug/failslab
fault_available() { [ -w /proc/thread-self/fail-nth ] && [ -d "$FAULT_SLAB" ]; }
fault_setup() {
	echo N >"$FAULT_SLAB/ignore-gfp-wait"
	echo 0 >"$FAULT_SLAB/verbose"
	exec 7>>/tmp/fault.err
}
fault_teardown() {
	exec 7>&-
	echo Y >"$FAULT_SLAB/ignore-gfp-wait"
}
# shellcheck disable=SC2034 # FAULT_* are read by the callers
fault_write() {
	: >/tmp/fault.err
	echo "$1" >/proc/thread-self/fail-nth
	if echo "$3" 2>&7 >"$2"; then FAULT_RC=0; else FAULT_RC=1; fi
	# A count left means the fault was not reached; so does a read that
	# fails: its own open took the last count.
	read -r _k_left 2>&7 </proc/thread-self/fail-nth || _k_left=1
	echo 0 2>&7 >/proc/thread-self/fail-nth
	if [ "$_k_left" -gt 0 ]; then FAULT_REACHED=n; else FAULT_REACHED=y; fi
	FAULT_ERR=""
	[ "$FAULT_RC" -eq 0 ] || FAULT_ERR=$(head -n 1 /tmp/fault.err)
}

# errno_text MESSAGE: the part of a shell error message after the last ": ".
errno_text() { echo "${1##*: }"; }
