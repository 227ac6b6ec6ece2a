#!/bin/sh
# Seed 002: threads sharing one revocable overwrote the SRCU index, so
# revocation never completed. Here $SRCU_READERS processes share one open
# file of lifecycle_srcu_file, whose reads sit 20 ms in an SRCU read-side
# section with the index in 7.3's Srcu guard (per reader), while the
# resource is revoked (synchronize_srcu()) drvlife.srcu_revocations times
# (default 100). Passes if all revocations complete within
# drvlife.srcu_bound_s seconds (default 60), the readers read meanwhile,
# and the module unloads.
# Control: controls-deadlock/cross_thread_srcu_idx.sh (the index in the file's
# shared state: a revocation never completes).
. ./common.inc
# shellcheck source=./srcu.inc
. ./srcu.inc
ktap_header
ktap_plan 4

revocations=$(cmdline_value srcu_revocations 100)
bound=$(cmdline_value srcu_bound_s 60)
insmod_mod lifecycle_srcu_file read_delay_us=20000
srcu_start_readers
sleep 1
srcu_revoke "$revocations"
if srcu_revoker_done $((bound * 10)); then
	ktap_info "$(srcu_revoked) revocations in $((_e_waited / 10)) s"
	wait "$_s_revoker"
	ktap_check "$revocations revocations completed within $bound s" \
		[ "$(srcu_stat revocations)" -eq "$revocations" ]
else
	ktap_fail "$revocations revocations completed within $bound s (stuck after $(srcu_revoked))"
fi
srcu_stop_readers
ktap_info "counters: $(tr '\n' ' ' <"$SRCU_DIR/stats")"
ktap_check "the readers read meanwhile" [ "$(srcu_stat reads)" -gt 0 ]
ktap_check "no revocation left waiting" [ "$(srcu_revoked)" -eq "$revocations" ]
rmmod lifecycle_srcu_file
ktap_check "the module unloads" test $? -eq 0
ktap_finish
