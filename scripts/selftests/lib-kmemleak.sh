#!/bin/sh
# Guest library: kmemleak reports made visible to the host (POSIX sh,
# busybox). Source it; sourcing only defines the functions and constants.
# Helpers name their variables _k_* (sh has no locals).
#
# Why two scans: a scan that first meets an object only takes its checksum
# (a changed checksum counts as a reference), so a new leak is reported by
# the second scan that finds it unreferenced. And kmemleak reports no object
# younger than 5 s (MSECS_MIN_AGE in mm/kmemleak.c, no knob changes it).

KMEMLEAK=/sys/kernel/debug/kmemleak
KMEMLEAK_MIN_AGE=5

# kmemleak_jiffies: the kernel's jiffies now, the clock of the allocation
# time kmemleak prints for each object ("jiffies N").
kmemleak_jiffies() {
	sed -n '/^jiffies: /{s///p;q;}' /proc/timer_list
}

# kmemleak_manual: stop kmemleak's own scan thread (a scan every 10 min):
# the runner scans between tests, and a scan in the middle of a test takes
# the CPU for seconds under TCG.
kmemleak_manual() {
	[ -w "$KMEMLEAK" ] || return 0
	echo scan=off >"$KMEMLEAK"
}

# kmemleak_scan_report: one scan, then kmemleak_log_report. What is new
# since the last scan is reported by the next one.
kmemleak_scan_report() {
	[ -w "$KMEMLEAK" ] || return 0
	echo scan >"$KMEMLEAK"
	kmemleak_log_report
}

# kmemleak_log_report: copy kmemleak's report, if any, into the kernel log,
# where the host's splat scanner sees it, and clear it; fails if there was
# one.
kmemleak_log_report() {
	_k_report=$(cat "$KMEMLEAK")
	[ -n "$_k_report" ] || return 0
	echo "$_k_report" | while IFS= read -r _k_line; do
		echo "kmemleak-report: $_k_line" >/dev/kmsg
	done
	echo clear >"$KMEMLEAK"
	return 1
}

# kmemleak_report: two scans a second apart, then kmemleak_log_report.
kmemleak_report() {
	[ -w "$KMEMLEAK" ] || return 0
	echo scan >"$KMEMLEAK"
	sleep 1
	echo scan >"$KMEMLEAK"
	kmemleak_log_report
}

# kmemleak_report_aged: as kmemleak_report, with the second scan once what
# was allocated just now is old enough to be reported: after a test, a leak
# it made at its very end is found in its own scan. The first scan (the
# checksums) runs while the objects age, so the wait costs no extra scan.
kmemleak_report_aged() {
	[ -w "$KMEMLEAK" ] || return 0
	sleep "$KMEMLEAK_MIN_AGE" &
	_k_aged=$!
	echo scan >"$KMEMLEAK"
	wait "$_k_aged"
	echo scan >"$KMEMLEAK"
	kmemleak_log_report
}
