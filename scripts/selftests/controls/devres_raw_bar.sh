#!/bin/sh
# Control for the Devres tests: the edu driver keeps a raw pointer to its BAR
# past unbind (test_keep_raw_bar=1) and uses it afterwards. KASAN must report
# the use-after-free and the host must fail this test.
. ../ktap.sh
ktap_header
ktap_plan 1
dev=$(pci_dev 0x1234 0x11e8)
insmod_mod lifecycle_devres_edu children=0 test_keep_raw_bar=1
basename "$dev" >/sys/bus/pci/drivers/lifecycle_devres_edu/unbind
cat /dev/drvlife-edu-stats
rmmod lifecycle_devres_edu
ktap_pass "raw BAR pointer used after unbind (the host must fail this)"
ktap_finish
