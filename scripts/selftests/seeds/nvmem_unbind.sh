#!/bin/sh
# Seed 004: an nvmem provider unbound while an in-kernel consumer holds
# its device with no device link (found by name, as with fw_devlink=off),
# during a long consumer read and during a long read of the sysfs nvmem
# file. Passes if each unbind waits for the read in flight, which returns
# its own binding's bytes, and later reads through the held device (the
# consumer's and the sysfs file's) fail with ENODEV: patch 0024. In 7.3
# they run the provider's reg_read() on the binding's freed memory; the
# control shows it. Then a provider whose keepout table is devres memory:
# a consumer read after unbind must fail with ENODEV without walking the
# freed table (KASAN in nvmem_access_with_keepouts() before 0024 copied
# it).
# Control: controls/nvmem_unfenced.sh (the same with the fence turned off,
# 7.3's behaviour).
. ./common.inc
# shellcheck source=./nvmem.inc
. ./nvmem.inc
ktap_header
ktap_plan 16
nvmem_unbind_under_consumer
nvmem_keepout_after_unbind
ktap_finish
