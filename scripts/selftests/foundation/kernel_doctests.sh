#!/bin/sh
# The kernel crate's doctests (CONFIG_RUST_KERNEL_DOCTESTS), which also
# compile and run the examples of our series' Rust patches: a built-in
# KUnit suite, rust_doctests_kernel. Every case must have passed. Two of
# the examples warn or trip KASAN at boot, known upstream failures
# (qemu/known-failures) that the host reports as such, never as a pass;
# their taint turns lockdep off for the rest of the boot, so the suite runs
# only in a boot of its own (make test's doctests step, drvlife
# --boot-kunit '*'), and this test skips in any other boot.
. ../ktap.sh
. ../lib-kunit.sh

ktap_header
if ! grep -q '# Subtest: rust_doctests_kernel$' /tmp/boot.log; then
	ktap_plan 1
	ktap_skip "the doctests run in a boot of their own (DRVLIFE_BOOT_KUNIT='*')"
	ktap_finish
fi
ktap_plan 2
boot_kunit_suite rust_doctests_kernel
# A floor, not a count: upstream adds and drops examples.
ktap_check "the suite ran its examples ($BOOT_KUNIT_CASES passed, at least 100)" \
	[ "$BOOT_KUNIT_CASES" -ge 100 ]
ktap_finish
