#!/bin/sh
# The kernel's own driver core tests, run on our patched driver core: the
# KUnit suites of drivers/base/test (root devices, property entries),
# loaded as modules, whose results KUnit prints at insmod, and the
# asynchronous probe test module, whose insmod fails if its checks fail.
# The platform device and software node suites need a boot of their own:
# kunit_release_at_once.sh.
. ../ktap.sh
. ../lib-kmsg.sh
. ../lib-module.sh
. ../lib-kunit.sh

ktap_header
ktap_plan 3
kunit_module root-device-test 1
kunit_module property-entry-test 1
kmsg "async probe test"
if insmod_mod test_async_driver_probe; then
	ktap_pass "test_async_driver_probe: its checks passed at load"
	rmmod test_async_driver_probe
else
	dmesg_since "async probe test" | grep -i "async\|error\|fail" | tail -n 20 | sed 's/^/# /'
	ktap_fail "test_async_driver_probe: its checks passed at load"
fi
ktap_finish
