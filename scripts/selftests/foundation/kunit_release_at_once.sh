#!/bin/sh
# The kernel's own driver core KUnit suites (drivers/base/test) that assume
# a device or software node is released as soon as its last reference is
# dropped: platform-device-test (its swnode cases free the node's memory at
# the end of each case, while the device's release still uses it) and
# swnode-devlink-test (it registers the same software nodes again in the
# next case: -EEXIST while the old ones wait). CONFIG_DEBUG_KOBJECT_RELEASE
# delays every release by 1-4 s, so both fail with it: a config interaction,
# not a bug in the code under test. They run in a boot with
# kobject_release_delay=0 (make test's upstream-kunit step) and skip
# elsewhere.
. ../ktap.sh
. ../lib-kmsg.sh
. ../lib-module.sh
. ../lib-kunit.sh

ktap_header
ktap_plan 4
if ! tr " " "\n" </proc/cmdline | grep -qx "kobject_release_delay=0"; then
	for suite in platform-device-devm platform-device-match platform-device-swnode software-node-links; do
		ktap_skip "$suite: needs the boot parameter kobject_release_delay=0"
	done
	ktap_finish
fi
kunit_module platform-device-test 3
kunit_module swnode-devlink-test 1
ktap_finish
