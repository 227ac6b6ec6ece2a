#!/usr/bin/env bash
# Negative controls of the harness: each must make a run fail, for the right
# reason. Exit status 0 only if every control failed as it must.
#   1. the controls suite: UAF (KASAN), WARN, a leak (kmemleak, blamed by
#      its allocation time whichever scan finds it), a failed KUnit case, a
#      bare stack dump and a duplicate sysfs name (stack-dump) and a not-ok
#      test, each blamed on its own test, while a clean control and a
#      declared KUnit failure pass (scripts/selftests/controls/expected);
#   2. a Rust panic in a module, with oops=panic: the Oops is blamed on its
#      test and the run fails as a crash (a separate boot: an Oops leaves
#      the module half-loaded, which would break later controls);
#   3. a guest that never finishes: the host kills it and fails the run;
#   4. deadlocks: a queue_sync_state() callback that registers and drops
#      a device, called under the device links lock as the first design
#      did, which lockdep must report, and two hazards of the seeds
#      committed by hand (a devres release waiting for a later one on the
#      same list; SRCU readers sharing one index), which the hung-task
#      detector must report (a separate boot: the threads stay blocked for
#      good);
#   5. tests blocked: one in user space, which the runner kills at its
#      timeout; in the kernel, one the runner can kill (timeout, with
#      its tasks' stacks decoded to file:line as the excerpt) and one it
#      cannot (D state: the host sees the stall, dumps the kernel's tasks
#      with SysRq, stops the guest within the test's timeout plus the grace
#      and blames that test);
#   6. a work item a module left queued when it was unloaded (seed 003's
#      control), with oops=panic: it runs from freed module memory, the
#      Oops is blamed on its test and the run fails as a crash (a separate
#      boot: the Oops takes a kworker with it);
#   7. PM domain operations that read their binding's resource through a
#      raw pointer, called by genpd after the unbind for a domain it could
#      not remove: KASAN (a boot with fw_devlink=off: no managed link
#      unbinds the consumer first).
# Decoding: the use-after-free of control 1 must show file:line for the
# module's frames (llvm-symbolizer on the unstripped .ko).
. "$(dirname "$0")/lib.sh"

prepared
mapfile -t common < <(EXTRA_MODULES='' EXTRA_SELFTESTS='' guest_args)
common+=(--quiet)
if [ -n "${DRVLIFE_COUNTS:-}" ]; then common+=(--counts "$DRVLIFE_COUNTS"); fi
failed=0

log "control 1/7: broken tests, each caught for its own reason"
"$drvlife" run "${common[@]}" --out "$TOP/out/controls" --suite controls \
	--expect "$TOP/scripts/selftests/controls/expected" || failed=$((failed + 1))

log "control 2/7: kernel panic in the guest"
"$drvlife" run "${common[@]}" --out "$TOP/out/control-panic" \
	--suite controls-panic --append "oops=panic" \
	--expect "$TOP/scripts/selftests/controls-panic/expected" \
	--expect-problem guest-crash || failed=$((failed + 1))

log "control 3/7: a guest that never finishes"
"$drvlife" run "${common[@]}" --out "$TOP/out/control-hang" \
	--suite controls/good.sh --append "drvlife.hang=1" --timeout 45 \
	--expect-problem guest-timeout || failed=$((failed + 1))

log "control 4/7: deadlocks: queue_sync_state() (first design), Devres nesting, shared SRCU index"
"$drvlife" run "${common[@]}" --out "$TOP/out/control-deadlock" \
	--suite controls-deadlock \
	--expect "$TOP/scripts/selftests/controls-deadlock/expected" || failed=$((failed + 1))

log "control 5/7: tests blocked: in user space, in the kernel (killable and not)"
"$drvlife" run "${common[@]}" --out "$TOP/out/control-stall" \
	--suite controls-stall --stall-grace 20 \
	--expect "$TOP/scripts/selftests/controls-stall/expected" \
	--expect-problem guest-stall || failed=$((failed + 1))

log "control 6/7: a work item left queued by an unloaded module"
"$drvlife" run "${common[@]}" --out "$TOP/out/control-oops" \
	--suite controls-oops --append "oops=panic" \
	--expect "$TOP/scripts/selftests/controls-oops/expected" \
	--expect-problem guest-crash || failed=$((failed + 1))

log "control 7/7: PM domain operations called after their driver unbound (fw_devlink=off)"
"$drvlife" run "${common[@]}" --out "$TOP/out/control-leak" \
	--suite controls-leak --append "fw_devlink=off kobject_release_delay=0" \
	--expect "$TOP/scripts/selftests/controls-leak/expected" || failed=$((failed + 1))

# results_have FILE TEST PATTERN WHAT: the excerpt of TEST in results.json
# FILE matches PATTERN (an extended regexp).
results_have() {
	if python3 - "$@" <<'PY'
import json, re, sys
path, test, pattern, what = sys.argv[1:5]
tests = {t["id"]: t for t in json.load(open(path))["tests"]}
excerpt = "\n".join(tests.get(test, {}).get("excerpt", []))
sys.exit(0 if re.search(pattern, excerpt) else 1)
PY
	then
		echo "ok    $4"
	else
		echo "WRONG $4 (no match for '$3' in the excerpt of $2 in $1)"
		return 1
	fi
}
checks=0
results_have "$TOP/out/controls/results.json" "controls: kasan_uaf.sh" \
	'\[lifecycle_faulty\] \((samples|rust)/[^)]*\.rs:[0-9]+' \
	"KASAN excerpt decoded to file:line" || checks=$((checks + 1))
results_have "$TOP/out/control-stall/results.json" "controls-stall: blocked_interruptible.sh" \
	'\[lifecycle_faulty\] \((samples|rust)/[^)]*\.rs:[0-9]+' \
	"killed test: its task's stack, decoded, in the excerpt" || checks=$((checks + 1))
results_have "$TOP/out/control-stall/results.json" "controls-stall: blocked_uninterruptible.sh" \
	'task:insmod +state:D' \
	"stalled test: SysRq dump of the blocked insmod in the excerpt" || checks=$((checks + 1))
results_have "$TOP/out/control-stall/results.json" "controls-stall: blocked_uninterruptible.sh" \
	'block_uninterruptible' \
	"stalled test: the module's frame in the blocked task's stack" || checks=$((checks + 1))
if [ -n "${DRVLIFE_COUNTS:-}" ]; then
	echo "controls passed=$((4 - checks)) failed=$checks" >>"$DRVLIFE_COUNTS"
fi
failed=$((failed + checks))

echo "negative controls: $((7 - failed + checks)) passed, $((failed - checks)) failed; excerpt checks: $((4 - checks)) passed, $checks failed"
[ "$failed" -eq 0 ]
