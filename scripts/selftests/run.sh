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
# Totals line. Marks each test's start and end in the kernel log so the host
# can tell which test was running when a splat appeared. After each test,
# a kmemleak scan under its own mark ("test N kmemleak scan: ..."), so that
# the host blames a leak on the test that made it.
# Exit status: 0 all passed (or skipped), 1 a failure.

SELFTESTS=$(cd "$(dirname "$0")" && pwd)
. "$SELFTESTS/lib-kmsg.sh"
. "$SELFTESTS/lib-kmemleak.sh"

# drvlife.timeout=N on the kernel command line overrides every suite's
# timeout (for long manual runs, e.g. 10000 bind cycles).
timeout_override=""
read -r cmdline </proc/cmdline
for arg in $cmdline; do
	case "$arg" in
	drvlife.timeout=*) timeout_override=${arg#*=} ;;
	esac
done

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
# What leaked during the boot is reported now, before any test's marker:
# the host fails the run for it (outside any test) instead of blaming the
# first test. (kmemleak's "clear" alone forgets only leaks already
# reported, so without this scan the first test got them.)
if ! kmemleak_report; then
	echo "# kmemleak: unreferenced objects from the boot (see the kernel log)"
fi
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
	kmsg "test $n start: $suite: $name"

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
	kmsg "test $n kmemleak scan: $suite: $name"
	if ! kmemleak_report_aged; then
		echo "# kmemleak: unreferenced objects after this test (see the kernel log)"
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
