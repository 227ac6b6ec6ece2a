#!/bin/sh
# Control for the Devres tests: the edu driver keeps a raw pointer to its BAR
# past unbind (the test-only build lifecycle_edu_raw_bar) and uses it
# afterwards. KASAN must report the use-after-free and the host must fail
# this test.
. ../ktap.sh
. ../lib-module.sh
. ../lib-sysfs.sh
ktap_header
ktap_plan 1
dev=$(pci_dev 0x1234 0x11e8)
insmod_mod lifecycle_edu_raw_bar children=0
basename "$dev" >/sys/bus/pci/drivers/lifecycle_edu_raw_bar/unbind
cat /sys/kernel/debug/lifecycle_edu_raw_bar/bar
rmmod lifecycle_edu_raw_bar
ktap_pass "raw BAR pointer used after unbind (the host must fail this)"
ktap_finish
