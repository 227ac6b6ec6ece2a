#!/bin/sh
# Benchmark (run by `make bench`, never by the test suites): the cost of
# reading pci-testdev's driver_override through the Rust API (patch 0001),
# timed in the kernel-side readers of lifecycle_override_readers: one
# read() of /dev/drvlife-override-readers runs ROUNDS rounds of
# driver_override() (a copy, then the readers' own copy of its bytes),
# has_driver_override() and driver_override_matches(). Twice: with no
# override set (driver_override() allocates nothing) and with the
# 17-byte "drvlife_ovr_alpha"; the difference is the cost of the copy.
# Three reads each; one line per read. Kernel command line:
# drvlife.bench_override_rounds=N (default 100000).
. ../ktap.sh
. ../lib-host.sh
. ../lib-module.sh
. ../lib-sysfs.sh
. ../lib-time.sh

ROUNDS=$(cmdline_value bench_override_rounds 100000)

# time_reads CASE: three timed reads, one bench-override-read line each.
time_reads() {
	for _ in 1 2 3; do
		t0=$(uptime_ms)
		line=$(head -n 1 /dev/drvlife-override-readers)
		t1=$(uptime_ms)
		ms=$((t1 - t0))
		echo "# bench-override-read: case=$1 rounds=$ROUNDS ms=$ms ns_per_round=$((ms * 1000000 / ROUNDS)) ($line)"
	done
}

ktap_header
ktap_plan 2
dev=$(pci_dev 0x1b36 0x0005)
insmod_mod lifecycle_override_readers rounds="$ROUNDS"
echo >"$dev/driver_override"
time_reads unset
ktap_check "rounds ran with no override set" test -n "$line"
echo drvlife_ovr_alpha >"$dev/driver_override"
time_reads set17
ktap_check "rounds ran with a 17-byte override, every read saw it" \
	sh -c "echo '$line' | grep -q 'set=$ROUNDS '"
echo >"$dev/driver_override"
rmmod lifecycle_override_readers
ktap_finish
