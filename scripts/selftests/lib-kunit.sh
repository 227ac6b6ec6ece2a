#!/bin/sh
# Guest library: KUnit suites run by loading a module, reported as KTAP
# results of the calling test (POSIX sh, busybox). Source it; sourcing only
# defines the functions. Needs ktap.sh, lib-kmsg.sh and lib-module.sh.
# Helpers name their variables _k_* (sh has no locals).

# kunit_expect_failure SUITE: declare, before loading its module, that
# KUnit suite SUITE is expected to fail in this test: the host then does not
# fail the test for that suite's `not ok` cases on the console (it does for
# every other suite's, and for this one's in any other test).
kunit_expect_failure() { kmsg "expect kunit failure: $1"; }

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

# boot_kunit_suite SUITE: the result of the built-in KUnit suite SUITE,
# which ran at boot, from the boot log the guest's init saved (the ring
# buffer may have wrapped since): one KTAP result, passed when the suite's
# own line says ok and no case failed. The failed cases and their
# expectations are printed as diagnostics; the number of cases that passed
# is left in BOOT_KUNIT_CASES.
boot_kunit_suite() {
	_k_log=$(sed -n "/# Subtest: $1\$/,/ok [0-9]* $1\$/p" /tmp/boot.log)
	echo "$_k_log" | grep -E 'not ok [0-9]+ |EXPECTATION|ASSERTION|Expected' |
		sed 's/^\[[^]]*\] */# kunit: /'
	BOOT_KUNIT_CASES=$(echo "$_k_log" | grep -cE '\] +ok [0-9]+ ')
	# The suite's own line is counted as a case above.
	BOOT_KUNIT_CASES=$((BOOT_KUNIT_CASES > 0 ? BOOT_KUNIT_CASES - 1 : 0))
	if echo "$_k_log" | grep -qE "\] +ok [0-9]+ $1\$" &&
		! echo "$_k_log" | grep -q 'not ok'; then
		ktap_pass "KUnit suite $1 passed at boot"
	else
		ktap_fail "KUnit suite $1 passed at boot"
	fi
}
