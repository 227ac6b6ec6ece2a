#!/bin/sh
# The kernel's own driver core tests, run on our patched driver core: the
# KUnit suites of drivers/base/test (device model, property entries,
# software node fw_devlink links), loaded as modules, whose results KUnit
# prints at insmod, and the asynchronous probe test module, whose insmod
# fails if its checks fail.
. ../ktap.sh

# kunit_module MODULE: load MODULE and report each KUnit suite it ran,
# from the kernel log since the load.
kunit_module() {
	kmsg "kunit $1"
	if ! insmod_mod "$1"; then
		ktap_fail "$1: load"
		return
	fi
	log=$(dmesg_since "kunit $1")
	suites=$(echo "$log" | sed -n 's/.*# Subtest: \([A-Za-z0-9_-]*\)$/\1/p')
	if [ -z "$suites" ]; then
		ktap_fail "$1: ran a KUnit suite"
	fi
	for suite in $suites; do
		echo "$log" | sed -n "/# Subtest: $suite\$/,/ok [0-9]* $suite\$/p" |
			grep -E '(not ok|ok) [0-9]+ |EXPECTATION|ASSERTION|Expected' |
			sed 's/^\[[^]]*\] */# kunit: /'
		if echo "$log" | grep -qE "\] +ok [0-9]+ $suite\$"; then
			ktap_pass "$1: KUnit suite $suite"
		else
			ktap_fail "$1: KUnit suite $suite"
		fi
	done
	rmmod "$1"
}

ktap_header
ktap_plan 6
kunit_module root-device-test
kunit_module platform-device-test
kunit_module property-entry-test
kunit_module swnode-devlink-test
kmsg "async probe test"
if insmod_mod test_async_driver_probe; then
	ktap_pass "test_async_driver_probe: its checks passed at load"
	rmmod test_async_driver_probe
else
	dmesg_since "async probe test" | grep -i "async\|error\|fail" | tail -n 20 | sed 's/^/# /'
	ktap_fail "test_async_driver_probe: its checks passed at load"
fi
ktap_finish
