#!/bin/sh
# KTAP output of a guest-side test (POSIX sh, busybox), and nothing else:
# the other guest helpers are the lib-*.sh files beside it. Source it;
# sourcing only defines the functions and sets the counters to zero.
#
#   ktap_header; ktap_plan N
#   ktap_info "text"                 a "# text" diagnostic line
#   ktap_pass "desc" | ktap_fail "desc" | ktap_skip "desc"
#   ktap_check "desc" command...     pass when the command succeeds
#   ktap_finish                      prints totals, exits 0 / 1 / 4
#
# Exit codes follow kselftest: 0 pass, 1 fail, 4 skip.
# Helpers name their variables _k_*: sh has no locals, and a helper must not
# clobber its caller's variables.

# Results so far, and the plan, for ktap_finish's totals and exit code.
KTAP_PASS=0
KTAP_FAIL=0
KTAP_SKIP=0
KTAP_COUNT=0
KTAP_PLAN=0

# The version line every KTAP document starts with.
ktap_header() { echo "TAP version 13"; }

# ktap_plan N: N results to come; ktap_finish fails a test that ran another number.
ktap_plan() {
	KTAP_PLAN=$1
	echo "1..$1"
}

# ktap_info TEXT: a diagnostic line, which the parsers keep but do not count.
ktap_info() { echo "# $*"; }

# ktap_pass DESC: the next result, passed.
ktap_pass() {
	KTAP_COUNT=$((KTAP_COUNT + 1))
	KTAP_PASS=$((KTAP_PASS + 1))
	echo "ok $KTAP_COUNT $*"
}

# ktap_fail DESC: the next result, failed.
ktap_fail() {
	KTAP_COUNT=$((KTAP_COUNT + 1))
	KTAP_FAIL=$((KTAP_FAIL + 1))
	echo "not ok $KTAP_COUNT $*"
}

# ktap_skip DESC: the next result, skipped (counts as ok in KTAP).
ktap_skip() {
	KTAP_COUNT=$((KTAP_COUNT + 1))
	KTAP_SKIP=$((KTAP_SKIP + 1))
	echo "ok $KTAP_COUNT $* # SKIP"
}

# ktap_check DESC COMMAND...: the next result, passed if COMMAND succeeds.
ktap_check() {
	_k_desc=$1
	shift
	if "$@"; then ktap_pass "$_k_desc"; else ktap_fail "$_k_desc"; fi
}

# ktap_finish: the totals line, then exit with the kselftest code (1 on any
# failure or a plan not kept, 4 if all skipped, else 0).
ktap_finish() {
	if [ "$KTAP_COUNT" -ne "$KTAP_PLAN" ]; then
		echo "# planned $KTAP_PLAN tests but ran $KTAP_COUNT"
		KTAP_FAIL=$((KTAP_FAIL + 1))
	fi
	echo "# Totals: pass:$KTAP_PASS fail:$KTAP_FAIL xfail:0 xpass:0 skip:$KTAP_SKIP error:0"
	if [ "$KTAP_FAIL" -gt 0 ]; then exit 1; fi
	if [ "$KTAP_SKIP" -gt 0 ] && [ "$KTAP_PASS" -eq 0 ]; then exit 4; fi
	exit 0
}
