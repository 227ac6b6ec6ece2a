#!/bin/sh
# shellcheck disable=SC2317 # the helpers are called through ktap_check
# The Rust driver_override accessors of patch 0001 under the race, in the
# kernel: the torture engine's target override-kernel-readers, whose
# devnode actor reads /dev/drvlife-override-readers (test-only module
# lifecycle_override_readers: each read runs 1000 rounds of
# driver_override(), has_driver_override() and driver_override_matches()
# on pci-testdev), while two writers replace the override and a binder
# binds and unbinds the device. A value read that no writer wrote fails
# the read (EBADMSG, which the engine does not allow); a locking mistake
# in the accessors is KASAN's to report (controls/
# override_kernel_readers_unlocked.sh: the same load with an unlocked
# accessor). drvlife.override_seconds=N sets the time (default 5).
. ./common.inc
# shellcheck source=../lib-host.sh
. ../lib-host.sh
# shellcheck source=../lib-torture.sh
. ../lib-torture.sh

OUT=/tmp/override-kernel-readers.ktap
SECONDS_RUN=$(cmdline_value override_seconds 5)

ktap_header
ktap_plan 3

torture_run "$OUT" override-kernel-readers --seconds "$SECONDS_RUN"
status=$?
ktap_check "engine: every read checked, every errno allowed, modules unloaded (status $status)" \
	[ "$status" -eq 0 ]
reads=$(torture_stat "$OUT" kernel-readers ok)
writes=$(torture_stat "$OUT" writer ok)
ktap_info "$reads kernel-side reads ($((reads * 1000)) rounds of the accessors) under $writes override writes"
ktap_check "the kernel readers ran ($reads reads)" [ "$reads" -gt 0 ]
ktap_check "the writers ran ($writes writes)" [ "$writes" -gt 0 ]
ktap_finish
