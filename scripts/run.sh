#!/usr/bin/env bash
# The main job: set up, build, boot the guest and run the selftest suites,
# printing the per-test summary. Exit status 0 only if all passed.
#
# usage: run.sh [SUITE|SUITE/TEST.sh ...]    (default: every product suite,
#        chosen by drvlife: not controls*, not bench)
# Results: out/suite/results.json, out/suite/junit.xml, console and KTAP logs,
# qemu-cmdline.sh (the exact QEMU command, to rerun a boot by hand).
# EXTRA_MODULES=DIR / EXTRA_SELFTESTS=DIR add your own modules and suites.
. "$(dirname "$0")/lib.sh"

prepared
mapfile -t guest < <(guest_args)
suite_args=()
for s in "$@"; do suite_args+=(--suite "$s"); done
# Extra harness options, e.g. DRVLIFE_ARGS="--accel tcg", and extra guest
# kernel command line, e.g. DRVLIFE_APPEND="drvlife.override_seconds=60".
read -r -a extra <<<"${DRVLIFE_ARGS:-}"
if [ -n "${DRVLIFE_APPEND:-}" ]; then extra+=(--append "$DRVLIFE_APPEND"); fi
if [ -n "${DRVLIFE_COUNTS:-}" ]; then extra+=(--counts "$DRVLIFE_COUNTS"); fi

exec "$drvlife" run "${guest[@]}" --out "${OUT:-$TOP/out/suite}" \
	"${suite_args[@]}" "${extra[@]}"
