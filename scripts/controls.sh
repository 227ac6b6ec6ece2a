#!/usr/bin/env bash
# Negative controls of the harness: each must make a run fail, for the right
# reason. Exit status 0 only if every control failed as it must.
#   1. the controls suite: UAF (KASAN), WARN, kmemleak, a not-ok test and a
#      per-test timeout, each blamed on its own test, while a clean control
#      passes (scripts/selftests/controls/expected);
#   2. a Rust panic in a module, with oops=panic: the Oops is blamed on its
#      test and the run fails as a crash (a separate boot: an Oops leaves
#      the module half-loaded, which would break later controls);
#   3. a guest that never finishes: the host kills it and fails the run;
#   4. a queue_sync_state() callback that registers and drops a device,
#      called under the device links lock as the callback's first design
#      did: lockdep reports the recursive locking (a separate boot: the
#      worker that made the call keeps the links lock for good).
. "$(dirname "$0")/lib.sh"

read -r kernel initrd drvlife < <("$TOP/scripts/prepare.sh" | tail -n1)
[ -n "${drvlife:-}" ] || die "preparation failed"

common=(--kernel "$kernel" --initrd "$initrd" --selftests "$TOP/scripts/selftests"
	--machine "$TOP/qemu/machine.args" --probe-cache "$CACHE/kvm-probe" --quiet)
failed=0

log "control 1/4: broken tests, each caught for its own reason"
"$drvlife" run "${common[@]}" --out "$TOP/out/controls" --suite controls \
	--expect "$TOP/scripts/selftests/controls/expected" || failed=$((failed + 1))

log "control 2/4: kernel panic in the guest"
"$drvlife" run "${common[@]}" --out "$TOP/out/control-panic" \
	--suite controls-panic --append "oops=panic" \
	--expect "$TOP/scripts/selftests/controls-panic/expected" \
	--expect-problem guest-crash || failed=$((failed + 1))

log "control 3/4: a guest that never finishes"
"$drvlife" run "${common[@]}" --out "$TOP/out/control-hang" \
	--suite controls/good.sh --append "drvlife.hang=1" --timeout 60 \
	--expect-problem guest-timeout || failed=$((failed + 1))

log "control 4/4: queue_sync_state() under the device links lock"
"$drvlife" run "${common[@]}" --out "$TOP/out/control-deadlock" \
	--suite controls-deadlock \
	--expect "$TOP/scripts/selftests/controls-deadlock/expected" || failed=$((failed + 1))

echo "negative controls: $((4 - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
