#!/bin/sh
# Guest library: the clock tests measure and wait with (POSIX sh, busybox).
# Source it; sourcing only defines the function.

# uptime_ms: milliseconds since boot (/proc/uptime, 10 ms resolution).
uptime_ms() { awk '{printf "%d\n", $1 * 1000}' /proc/uptime; }
