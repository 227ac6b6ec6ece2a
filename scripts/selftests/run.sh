#!/bin/sh
# Guest-side selftest runner in the kselftest style (POSIX sh, busybox).
#
# usage: run.sh -l LIST        the host's selection: lines "SUITE/TEST.sh SECONDS"
#        run.sh SUITE/TEST.sh... by hand (e.g. in `make shell`), each with its
#                                suite's timeout (`settings`, timeout=N)
#
# The host (drvlife) decides which tests run and in what order and writes
# LIST into the boot's overlay; this runner only runs them. Each test runs in
# its own session; at its timeout the kernel stacks of its processes are
# written to the kernel log ("drvlife: stack: ...", the host's excerpt for
# the timeout) and its process group is killed. Prints KTAP: the test's own
# output indented as "# " lines, then "ok N" / "not ok N" per test, and a
# Totals line. Marks each test's start (with the kernel's jiffies) and end
# in the kernel log so the host can tell which test was running when a
# splat appeared, and which one allocated an object kmemleak reports: its
# report carries the allocation's jiffies. kmemleak scans run between tests,
# under their own mark ("test N kmemleak scan: ..."), once
# drvlife.kmemleak_interval seconds (default 120; 0: after every test) have
# passed since the last one, and twice after the last test, once what it
# allocated at its very end is old enough to be reported. A scan costs about
# 6 s under TCG with every detector on: one after every test was a third of
# the suite's time.
# Exit status: 0 all passed (or skipped), 1 a failure.

SELFTESTS=$(cd "$(dirname "$0")" && pwd)
. "$SELFTESTS/lib-kmsg.sh"
. "$SELFTESTS/lib-kmemleak.sh"

# drvlife.timeout=N on the kernel command line overrides every suite's
# timeout (for long manual runs, e.g. 10000 bind cycles).
timeout_override=""
kmemleak_interval=120
read -r cmdline </proc/cmdline
for arg in $cmdline; do
	case "$arg" in
	drvlife.timeout=*) timeout_override=${arg#*=} ;;
	drvlife.kmemleak_interval=*) kmemleak_interval=${arg#*=} ;;
	esac
done

# Seconds since boot, whole.
uptime_s() {
	read -r _up _ </proc/uptime
	echo "${_up%%.*}"
}

suite_timeout() {
	t=45
	if [ -f "$SELFTESTS/$1/settings" ]; then
		v=$(sed -n 's/^timeout=\([0-9][0-9]*\)$/\1/p' "$SELFTESTS/$1/settings")
		[ -n "$v" ] && t=$v
	fi
	echo "$t"
}

# The kernel stacks of every process in process group $pgroup, to the kernel log.
dump_stacks() {
	for dir in /proc/[0-9]*; do
		stat=$(cat "$dir/stat" 2>/dev/null) || continue
		# "pid (comm) state ppid pgrp ...": the fields after the comm.
		rest=${stat##*) }
		# shellcheck disable=SC2086 # split the fields
		set -- $rest
		[ "${3:-}" = "$pgroup" ] || continue
		comm=${stat#*(}
		kmsg "stack: pid ${dir#/proc/} (${comm%%)*}) state $1"
		while read -r frame; do
			kmsg "stack: $frame"
		done <"$dir/stack"
	done
}

# The tests, as "SUITE/TEST.sh SECONDS" pairs.
if [ "${1:-}" = "-l" ]; then
	list=$(cat "$2") || exit 1
else
	list=""
	for arg in "$@"; do
		if [ ! -f "$SELFTESTS/$arg" ] || [ "${arg%/*}" = "$arg" ]; then
			echo "TAP version 13"
			echo "Bail out! unknown test: $arg (want SUITE/TEST.sh)"
			exit 1
		fi
		list="$list $arg $(suite_timeout "${arg%%/*}")"
	done
fi
# shellcheck disable=SC2086 # test names hold no spaces or globs
set -- $list

echo "TAP version 13"
echo "1..$(($# / 2))"
# What leaked during the boot is blamed on the boot by its allocation time,
# whichever scan finds it: the first one comes after the first test.
kmemleak_manual
last_scan=$(uptime_s)
n=0 pass=0 fail=0 skip=0
while [ "$#" -ge 2 ]; do
	t=$1
	timeout=${timeout_override:-$2}
	shift 2
	n=$((n + 1))
	suite=${t%%/*}
	name=${t#*/}
	echo "# timeout set to $timeout"
	echo "# selftests: $suite: $name"
	jiffies=$(kmemleak_jiffies)
	kmsg "test $n start: $suite: $name"
	kmsg "test $n jiffies: $jiffies"

	fifo=/tmp/ktap-out.$n
	flag=/tmp/ktap-timeout.$n
	rm -f "$fifo" "$flag"
	mkfifo "$fifo"
	sed 's/^/# /' <"$fifo" &
	printer=$!
	(cd "$SELFTESTS/$suite" && exec setsid sh "./$name") >"$fifo" 2>&1 &
	pid=$!
	(
		sleep "$timeout"
		touch "$flag"
		pgroup=$pid
		dump_stacks
		kill -KILL -- "-$pid" 2>/dev/null
	) &
	watchdog=$!
	wait "$pid"
	rc=$?
	kill "$watchdog" 2>/dev/null
	# Leftover background processes of the test die with it.
	kill -KILL -- "-$pid" 2>/dev/null
	wait "$printer"
	rm -f "$fifo"

	kmsg "test $n end: $suite: $name: rc=$rc"
	if [ "$#" -eq 0 ]; then
		kmsg "test $n kmemleak scan: $suite: $name"
		if ! kmemleak_report_aged; then
			echo "# kmemleak: unreferenced objects, the host blames each on the test that allocated it"
		fi
	elif [ $(($(uptime_s) - last_scan)) -ge "$kmemleak_interval" ]; then
		kmsg "test $n kmemleak scan: $suite: $name"
		if ! kmemleak_scan_report; then
			echo "# kmemleak: unreferenced objects, the host blames each on the test that allocated it"
		fi
		last_scan=$(uptime_s)
	fi
	desc="selftests: $suite: $name"
	if [ -e "$flag" ]; then
		fail=$((fail + 1))
		echo "not ok $n $desc # TIMEOUT $timeout seconds"
	elif [ "$rc" -eq 0 ]; then
		pass=$((pass + 1))
		echo "ok $n $desc"
	elif [ "$rc" -eq 4 ]; then
		skip=$((skip + 1))
		echo "ok $n $desc # SKIP"
	else
		fail=$((fail + 1))
		echo "not ok $n $desc # exit=$rc"
	fi
done

kmsg "all tests done"
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skip error:0"
[ "$fail" -eq 0 ]
