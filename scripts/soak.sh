#!/usr/bin/env bash
# The soak (make soak): boots the guest with the soak suite, which runs the
# torture engine on every shipped target (the negative controls' left out)
# slice after slice for SOAK_SECONDS (default 3600), with fault injection on
# every actor every other round (drvtorture --fail-nth SOAK_FAIL_NTH,
# default 20) and a kmemleak scan every SOAK_SCAN_SECONDS (default 300).
# SOAK_SLICE (default 30) is the seconds per slice, SOAK_SEED replays a
# soak's order and seeds, SOAK_TARGETS="a b" soaks only those targets. The kernel's detectors judge the whole run, as in
# any test. Results: out/soak/summary.txt (per target: slices, with faults,
# not passed, operations), the console and KTAP logs beside it.
. "$(dirname "$0")/lib.sh"

seconds=${SOAK_SECONDS:-3600}
slice=${SOAK_SLICE:-30}
fail_nth=${SOAK_FAIL_NTH:-20}
scan=${SOAK_SCAN_SECONDS:-300}
# bad_input TEXT: refuse the soak before anything is built or booted.
bad_input() {
	echo "soak: $*" >&2
	exit 2
}
for v in "$seconds" "$slice" "$fail_nth" "$scan" ${SOAK_SEED:+"$SOAK_SEED"}; do
	[[ $v =~ ^[0-9]+$ ]] || bad_input "'$v' is not a whole number (SOAK_* variables)"
done
if [ "$slice" -lt 1 ] || [ "$fail_nth" -lt 1 ]; then
	bad_input "SOAK_SLICE and SOAK_FAIL_NTH must be at least 1"
fi
append="drvlife.soak_seconds=$seconds drvlife.soak_slice=$slice drvlife.soak_fail_nth=$fail_nth"
append+=" drvlife.soak_scan_seconds=$scan"
# The test's timeout: the soak, its last slice, the invariants and module
# unloads after it, and the last scan.
append+=" drvlife.timeout=$((seconds + 4 * slice + 600))"
if [ -n "${SOAK_SEED:-}" ]; then append+=" drvlife.seed=$SOAK_SEED"; fi
if [ -n "${SOAK_TARGETS:-}" ]; then
	[[ $SOAK_TARGETS =~ ^[a-z0-9\ -]+$ ]] || bad_input "SOAK_TARGETS: target names are [a-z0-9-], space-separated"
	append+=" drvlife.soak_targets=${SOAK_TARGETS// /,}"
fi
prepared
mapfile -t guest < <(EXTRA_MODULES='' EXTRA_SELFTESTS='' guest_args)
out=${OUT:-$TOP/out/soak}
status=0
"$drvlife" run "${guest[@]}" --out "$out" --suite soak --append "$append" || status=$?
{
	echo "soak: ${seconds}s asked, slices of ${slice}s, --fail-nth $fail_nth every other round"
	grep -o 'soak-summary: .*' "$out/ktap.log" | sed 's/^soak-summary: /  /'
	grep -Eo '(not )?ok [0-9]+ .*' "$out/ktap.log" | sed 's/^/  /'
	# What the host's detectors saw: reports that failed the soak, and
	# those matched by qemu/known-failures (counted, never a pass).
	python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
print("  detector reports: %d failing, %d known failures" % (len(r["splats"]), len(r["known_failures"])))' \
		"$out/results.json" 2>/dev/null || true
	echo "run status $status (0: the soak passed, detectors included; details in $out/results.json)"
} | tee "$out/summary.txt"
exit "$status"
