#!/bin/sh
# Guest library: the clock tests measure and wait with (POSIX sh, busybox).
# Source it; sourcing only defines the functions.

# uptime_ms: milliseconds since boot (/proc/uptime, 10 ms resolution).
uptime_ms() { awk '{printf "%d\n", $1 * 1000}' /proc/uptime; }

# wait_until MS CMD [ARG...]: run CMD every 20 ms until it succeeds, for MS
# milliseconds at most; fails if it never did. For a condition the kernel
# reaches on its own time (a work item, a release), never a fixed sleep.
wait_until() {
	_w_end=$(($(uptime_ms) + $1))
	shift
	until "$@"; do
		[ "$(uptime_ms)" -lt "$_w_end" ] || return 1
		usleep 20000
	done
}
