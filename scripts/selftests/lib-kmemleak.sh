#!/bin/sh
# Guest library: kmemleak reports made visible to the host (POSIX sh,
# busybox). Source it; sourcing only defines the functions. Helpers name
# their variables _k_* (sh has no locals).

# kmemleak_report: ask kmemleak for a scan and copy any report into the
# kernel log, where the host's splat scanner sees it; fails if there was
# one. Objects must be unreferenced for two scans, hence two.
kmemleak_report() {
	_k_ctl=/sys/kernel/debug/kmemleak
	[ -w "$_k_ctl" ] || return 0
	echo scan >"$_k_ctl"
	sleep 1
	echo scan >"$_k_ctl"
	_k_report=$(cat "$_k_ctl")
	[ -n "$_k_report" ] || return 0
	echo "$_k_report" | while IFS= read -r _k_line; do
		echo "kmemleak-report: $_k_line" >/dev/kmsg
	done
	echo clear >"$_k_ctl"
	return 1
}

# kmemleak_report_aged: kmemleak_report once objects allocated just now are
# old enough to be reported (kmemleak skips objects younger than 5 s,
# MSECS_MIN_AGE in mm/kmemleak.c, which no knob changes): after a test, a
# leak it made at its very end is then found in its own scan.
kmemleak_report_aged() {
	[ -w /sys/kernel/debug/kmemleak ] || return 0
	sleep 5
	kmemleak_report
}
