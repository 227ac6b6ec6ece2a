# SPDX-License-Identifier: GPL-2.0
#
# Rust driver lifecycle lab: out-of-tree Rust modules and the tooling that
# builds a kernel for them, boots it in QEMU and runs the selftests.
#
#   make                build the kernel (cached) and the modules in samples/
#   make run            set up, build, boot and run the whole selftest suite
#   make test           what CI runs: unit tests, lints, suite, negative controls
#   make controls       only the harness's negative controls
#   make bench          benchmarks (Devres accessors), method in scripts/bench.sh
#   make lint           shellcheck, rustfmt, clippy (CLIPPY=1), checkpatch
#   make series-check   build the kernel after each patch of rust/ in turn
#   make kernel         only the kernel (scripts/build-kernel.sh)
#   make setup          only the toolchain (scripts/setup-toolchain.sh)
#   make clean | modules_install | rust-analyzer
#
# KDIR=/built/tree uses your own built 7.3 kernel instead of the cached one.
# The modules themselves are described in Kbuild.

.PHONY: all modules clean modules_install rust-analyzer kernel setup image \
	run test controls lint bench series-check

all: modules

modules clean modules_install rust-analyzer:
	scripts/modules.sh $@

kernel:
	scripts/setup-toolchain.sh
	scripts/build-kernel.sh

setup:
	scripts/setup-toolchain.sh

image: modules
	scripts/build-image.sh

run:
	scripts/run.sh

test:
	scripts/test.sh

controls:
	scripts/controls.sh

lint:
	scripts/lint.sh

bench:
	scripts/bench.sh

series-check:
	scripts/check-series.sh
