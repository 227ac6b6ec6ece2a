# SPDX-License-Identifier: GPL-2.0
#
# Rust driver lifecycle lab: out-of-tree Rust modules and the tooling that
# builds a kernel for them, boots it in QEMU and runs the selftests.
#
#   make                build the kernel (cached) and the modules in samples/
#   make run            set up, build, boot and run the whole selftest suite
#   make test           what CI runs: unit tests, lints, suite, negative controls
#   make shell          boot the test guest and get a shell (modules, tests there)
#   make exec CMD='...' boot it, run one command, exit with its status
#   make controls       only the harness's negative controls
#   make bench          benchmarks (Devres accessors), method in scripts/bench.sh
#   make soak           every torture target, faults, kmemleak scans, 1 h
#                       (SOAK_SECONDS=N), summary in out/soak/summary.txt
#   make bench-boot     boot time per kernel command line profile, module unload cost
#   make lint           shellcheck, rustfmt, clippy (CLIPPY=1), checkpatch
#   make series-check   build the kernel after each patch of rust/ in turn
#   make kernel         only the kernel (scripts/build-kernel.sh)
#   make setup          only the toolchain (scripts/setup-toolchain.sh)
#   make clean | modules_install | rust-analyzer
#
# KDIR=/built/tree uses your own built 7.3 kernel instead of the cached one.
# EXTRA_MODULES=DIR (a Kbuild directory) and EXTRA_SELFTESTS=DIR (suites, as
# scripts/selftests) bring your own modules and tests to run, shell and exec.
# The modules themselves are described in Kbuild.

.PHONY: all modules clean modules_install rust-analyzer kernel setup image \
	run test controls lint bench series-check shell exec bench-boot soak

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

shell:
	scripts/guest.sh shell

exec:
	@test -n "$$CMD" || { echo "usage: make exec CMD='command'" >&2; exit 2; }
	scripts/guest.sh exec "$$CMD"

test:
	scripts/test.sh

controls:
	scripts/controls.sh

lint:
	scripts/lint.sh

bench:
	scripts/bench.sh

bench-boot:
	scripts/bench-boot.sh

soak:
	scripts/soak.sh

series-check:
	scripts/check-series.sh
