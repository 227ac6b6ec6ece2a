#!/bin/sh
# The kernel crate's doctests (CONFIG_RUST_KERNEL_DOCTESTS), which also
# compile and run the examples of our series' Rust patches: a built-in
# KUnit suite, rust_doctests_kernel, that runs at every boot. Every case
# must have passed. Two examples of kernel::time::hrtimer put a timer on
# the stack that debugobjects does not know is on the stack: the warnings
# they print at boot are a known upstream failure (qemu/known-failures),
# reported as such by the host, never as a pass.
. ../ktap.sh
. ../lib-kunit.sh

ktap_header
ktap_plan 2
boot_kunit_suite rust_doctests_kernel
# A floor, not a count: upstream adds and drops examples.
ktap_check "the suite ran its examples ($BOOT_KUNIT_CASES passed, at least 100)" \
	[ "$BOOT_KUNIT_CASES" -ge 100 ]
ktap_finish
