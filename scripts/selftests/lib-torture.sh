#!/bin/sh
# Guest library: running the torture engine (/bin/drvtorture, built from
# tools/drvtorture) on a target of the image (POSIX sh, busybox). Source it;
# sourcing only defines the functions and a constant. Helpers name their
# variables _k_* (sh has no locals).

# Where the image keeps the engine's target files (scripts/build-image.sh).
TORTURE_TARGETS=/torture/targets

# torture_run OUT TARGET [ARG...]: run the engine on target file TARGET
# (a name in $TORTURE_TARGETS or a path) with ARGs, keep its KTAP in OUT,
# and show it as this test's diagnostics. Returns the engine's status
# (0 passed, 1 a failure, 2 the target was refused).
torture_run() {
	_k_out=$1
	_k_target=$2
	shift 2
	case "$_k_target" in
	*/*) ;;
	*) _k_target=$TORTURE_TARGETS/$_k_target.toml ;;
	esac
	drvtorture --target "$_k_target" "$@" >"$_k_out" 2>&1
	_k_rc=$?
	sed 's/^/# /' "$_k_out"
	return "$_k_rc"
}

# torture_ok OUT DESC: the engine's run kept in OUT passed its result DESC
# (the text after "ok N ", an extended regexp anchored at its start).
torture_ok() { grep -Eq "^ok [0-9]+ $2" "$1"; }

# torture_stat OUT ACTOR KEY: the value of KEY in ACTOR's drvtorture-stat
# line of OUT (0 when absent).
torture_stat() {
	_k_v=$(sed -n "s/.*drvtorture-stat: actor=$2 .* $3=\([0-9.]*\).*/\1/p" "$1" | tail -n1)
	echo "${_k_v:-0}"
}

# torture_count OUT ACTOR OP RESULT: how many of ACTOR's OP operations in
# the run kept in OUT ended with RESULT (ok, an errno name, or all), from
# the actor's histogram (0 when absent).
torture_count() {
	awk -v a="# actor $2 (" -v op="#   $3: " -v r="$4" '
		index($0, "# actor ") == 1 { mine = index($0, a) == 1; next }
		mine && index($0, op) == 1 {
			n = split(substr($0, length(op) + 1), parts, ", ")
			for (i = 1; i <= n; i++) {
				split(parts[i], kv, " ")
				if (r == "all" || kv[1] == r) total += kv[2]
			}
		}
		END { print total + 0 }' "$1"
}
