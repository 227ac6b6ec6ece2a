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
known=0

# step NAME COMMAND...: run, keep the output, add up its counts. Each step
# writes "NAME passed=N failed=M [known=K]" lines to $DRVLIFE_COUNTS (report_counts in
# lib.sh, drvlife --counts); cargo's are taken from its "test result" lines.
# A step that fails without counting a failure counts as one failure.
step() {
	local name=$1 out counts rc p f k
	shift
	out=$TOP/out/step-$name.log
	counts=$TOP/out/step-$name.counts
	rm -f "$counts"
	log "== $name"
	set +e
	DRVLIFE_COUNTS=$counts "$@" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	set -e
	sed -n 's/^test result: .*\. \([0-9]*\) passed; \([0-9]*\) failed.*/cargo passed=\1 failed=\2/p' \
		"$out" >>"$counts"
	read -r p f k < <(awk '{
		for (i = 2; i <= NF; i++) {
			split($i, kv, "=")
			if (kv[1] == "passed") p += kv[2]
			if (kv[1] == "failed") f += kv[2]
			if (kv[1] == "known") k += kv[2]
		}
	} END { print p + 0, f + 0, k + 0 }' "$counts")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	passed=$((passed + p))
	failed=$((failed + f))
	known=$((known + k))
	if [ "$rc" -ne 0 ]; then steps_failed+=("$name"); fi
}

# Set-up and build first, once: nothing else can run without them, and every
# step reuses them (DRVLIFE_PREPARED, see `prepared` in lib.sh).
DRVLIFE_PREPARED=$("$TOP/scripts/prepare.sh" | tail -n1) || die "set-up or build failed"
export DRVLIFE_PREPARED
# The kernel was checked once: later scripts take it as it is (build-kernel.sh
# returns KDIR at once).
read -r _ _ _ KDIR <<<"$DRVLIFE_PREPARED"
export KDIR

step unit cargo test --manifest-path "$TOP/Cargo.toml" --release
step host-scripts "$TOP/scripts/host-tests.sh"
step build-checks "$TOP/scripts/build-checks.sh"
step lint "$TOP/scripts/lint.sh"
step suite "$TOP/scripts/run.sh"
# The kernel's own tests that assume releases happen at once: a boot where
# CONFIG_DEBUG_KOBJECT_RELEASE's delay is off (foundation/kunit_release_at_once.sh).
step upstream-kunit env OUT="$TOP/out/upstream-kunit" \
	DRVLIFE_APPEND="kobject_release_delay=0 ${DRVLIFE_APPEND:-}" \
	"$TOP/scripts/run.sh" foundation/kunit_release_at_once.sh
# genpd under fw_devlink's two other modes, a boot each (the suite's boot
# runs genpd/fw_devlink_modes.sh with the default, fw_devlink=on). Releases
# at once (kobject_release_delay=0): these boots are about fw_devlink, and
# the delayed releases only slow their unloads (the suite's boot has them).
for mode in permissive off; do
	step "fw_devlink-$mode" env OUT="$TOP/out/fw_devlink-$mode" \
		DRVLIFE_APPEND="fw_devlink=$mode kobject_release_delay=0 ${DRVLIFE_APPEND:-}" \
		"$TOP/scripts/run.sh" genpd/fw_devlink_modes.sh
done
# A domain genpd keeps after its provider unbound (a consumer without a
# managed link is still attached), whose operations it calls later: a boot
# of its own, as fw_devlink_modes.sh leaves the controller's module pinned.
step genpd-leak env OUT="$TOP/out/genpd-leak" \
	DRVLIFE_APPEND="fw_devlink=off kobject_release_delay=0 ${DRVLIFE_APPEND:-}" \
	"$TOP/scripts/run.sh" genpd/provider_leak.sh
# The kernel crate's doctests, in a boot of their own: their known upstream
# failures taint the kernel, which turns lockdep off for the rest of a boot.
step doctests env OUT="$TOP/out/doctests" DRVLIFE_BOOT_KUNIT='*' \
	"$TOP/scripts/run.sh" foundation/kernel_doctests.sh
step guest-tools "$TOP/scripts/guest-tools-test.sh"
step controls "$TOP/scripts/controls.sh"

echo
if [ "${#steps_failed[@]}" -gt 0 ]; then
	echo "FAILED steps: ${steps_failed[*]} (logs: $TOP/out/step-*.log)"
fi
echo "total: $passed passed, $failed failed"
if [ "$known" -gt 0 ]; then
	echo "known failures (upstream bugs, qemu/known-failures; neither passed nor failed): $known"
fi
[ "${#steps_failed[@]}" -eq 0 ]
