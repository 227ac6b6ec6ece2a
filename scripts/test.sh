#!/usr/bin/env bash
# Everything CI checks, from a fresh machine: set-up (installs what is
# missing), host unit tests, lints, the whole guest selftest suite and the
# harness's negative controls. Every step runs even if an earlier one failed;
# exit status 0 only if all passed.
. "$(dirname "$0")/lib.sh"

mkdir -p "$TOP/out"
steps_failed=()
passed=0
failed=0

# step NAME PREFIX COMMAND...: run, keep the output, add up its counts: the
# lines "PREFIX: N passed, M failed" (for cargo: "test result: ... N passed;
# M failed"). Only the PREFIX lines count: a control run's own "drvlife: ...
# failed" line is an expected failure, summed up by its "controls:" line.
step() {
	local name=$1 prefix=$2 out rc
	shift 2
	out=$TOP/out/step-$name.log
	log "== $name"
	set +e
	"$@" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	set -e
	local p f
	p=$(sed -n -e 's/^test result: .*\. \([0-9]*\) passed; \([0-9]*\) failed.*/\1/p' \
		-e "s/^$prefix: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p" "$out" |
		awk '{s += $1} END {print s + 0}')
	f=$(sed -n -e 's/^test result: .*\. \([0-9]*\) passed; \([0-9]*\) failed.*/\2/p' \
		-e "s/^$prefix: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p" "$out" |
		awk '{s += $1} END {print s + 0}')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$rc" -ne 0 ]; then steps_failed+=("$name"); fi
}

# Set-up and build first: nothing else can run without them.
"$TOP/scripts/prepare.sh" >/dev/null || die "set-up or build failed"

step unit cargo cargo test --manifest-path "$TOP/Cargo.toml" --release
step host-scripts host-tests "$TOP/scripts/host-tests.sh"
step build-checks build-checks "$TOP/scripts/build-checks.sh"
step lint lint "$TOP/scripts/lint.sh"
step suite drvlife "$TOP/scripts/run.sh"
# The kernel's own tests that assume releases happen at once: a boot where
# CONFIG_DEBUG_KOBJECT_RELEASE's delay is off (foundation/kunit_release_at_once.sh).
step upstream-kunit drvlife env OUT="$TOP/out/upstream-kunit" \
	DRVLIFE_APPEND="kobject_release_delay=0 ${DRVLIFE_APPEND:-}" \
	"$TOP/scripts/run.sh" foundation/kunit_release_at_once.sh
step controls controls "$TOP/scripts/controls.sh"

echo
if [ "${#steps_failed[@]}" -gt 0 ]; then
	echo "FAILED steps: ${steps_failed[*]} (logs: $TOP/out/step-*.log)"
fi
echo "total: $passed passed, $failed failed"
[ "${#steps_failed[@]}" -eq 0 ]
