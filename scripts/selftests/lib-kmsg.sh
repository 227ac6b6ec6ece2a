#!/bin/sh
# Guest library: marks in the kernel log and reading the log back from them
# (POSIX sh, busybox). Source it; sourcing only defines the functions.

# kmsg TEXT: the line "drvlife: TEXT" in the kernel log, a mark that the
# host (which blames splats on tests by such marks) and dmesg_since find.
kmsg() { echo "drvlife: $*" >/dev/kmsg; }

# dmesg_since NAME: the kernel log from the mark "drvlife: NAME" on.
dmesg_since() { dmesg | sed -n "/drvlife: $1\$/,\$p"; }

# log_has MARK TEXT: TEXT appears in the kernel log after the mark.
log_has() { dmesg_since "$1" | grep -qF "$2"; }
