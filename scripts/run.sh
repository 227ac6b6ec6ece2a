#!/usr/bin/env bash
# The main job: set up, build, boot the guest and run the whole selftest
# suite, printing the per-test summary. Exit status 0 only if all passed.
#
# usage: run.sh [SUITE|SUITE/TEST.sh ...]    (default: every product suite)
# Results: out/suite/results.json, out/suite/junit.xml, console and KTAP logs.
. "$(dirname "$0")/lib.sh"

read -r kernel initrd drvlife < <("$TOP/scripts/prepare.sh" | tail -n1)
[ -n "${drvlife:-}" ] || die "preparation failed"

if [ "$#" -eq 0 ]; then
	# Every suite directory except the harness's negative controls and the
	# benchmarks (make bench).
	for dir in "$TOP"/scripts/selftests/*/; do
		suite=$(basename "$dir")
		case "$suite" in
		controls* | bench) ;;
		*) set -- "$@" "$suite" ;;
		esac
	done
fi
suite_args=()
for s in "$@"; do suite_args+=(--suite "$s"); done
# Extra harness options, e.g. DRVLIFE_ARGS="--accel tcg", and extra guest
# kernel command line, e.g. DRVLIFE_APPEND="drvlife.override_seconds=60".
read -r -a extra <<<"${DRVLIFE_ARGS:-}"
if [ -n "${DRVLIFE_APPEND:-}" ]; then extra+=(--append "$DRVLIFE_APPEND"); fi

exec "$drvlife" run --kernel "$kernel" --initrd "$initrd" \
	--selftests "$TOP/scripts/selftests" --machine "$TOP/qemu/machine.args" \
	--probe-cache "$CACHE/kvm-probe" --out "${OUT:-$TOP/out/suite}" \
	"${suite_args[@]}" "${extra[@]}"
