#!/bin/sh
# Guest-side selftest runner in the kselftest style (POSIX sh, busybox).
#
# usage: run.sh SUITE|SUITE/TEST.sh...
#
# Runs every *.sh test of each suite directory in name order, each in its own
# session with the suite's timeout (its `settings` file, timeout=N, default
# 45 s; the whole process group is killed on expiry). Prints KTAP: the test's
# own output indented as "# " lines, then "ok N" / "not ok N" per test, and a
# Totals line. Marks each test's start and end in the kernel log so the host
# can tell which test was running when a splat appeared.
# Exit status: 0 all passed (or skipped), 1 a failure.

SELFTESTS=$(cd "$(dirname "$0")" && pwd)
. "$SELFTESTS/ktap.sh"

# Arguments: a suite (directory) runs all its tests; suite/test.sh just one.
tests=""
for arg in "$@"; do
	if [ -d "$SELFTESTS/$arg" ]; then
		for t in "$SELFTESTS/$arg"/*.sh; do
			[ -e "$t" ] && tests="$tests $arg/${t##*/}"
		done
	elif [ -f "$SELFTESTS/$arg" ] && [ "${arg%/*}" != "$arg" ]; then
		tests="$tests $arg"
	else
		echo "TAP version 13"
		echo "Bail out! unknown suite or test: $arg"
		exit 1
	fi
done
# shellcheck disable=SC2086 # test names hold no spaces or globs
set -- $tests

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
	echo "${timeout_override:-$t}"
}

# Everything that leaked before the first test is not ours to report.
[ -w /sys/kernel/debug/kmemleak ] && echo clear >/sys/kernel/debug/kmemleak

echo "TAP version 13"
echo "1..$#"
n=0 pass=0 fail=0 skip=0
for t in "$@"; do
	n=$((n + 1))
	suite=${t%%/*}
	name=${t#*/}
	timeout=$(suite_timeout "$suite")
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

kmsg "final kmemleak scan"
if ! kmemleak_report; then
	echo "# kmemleak reported unreferenced objects (see the kernel log)"
fi
kmsg "all tests done"
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skip error:0"
[ "$fail" -eq 0 ]
