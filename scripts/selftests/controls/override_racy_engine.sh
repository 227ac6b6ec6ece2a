#!/bin/sh
# Control for the engine-driven override race stress: the torture engine
# on the target override-racy (tools/drvtorture/targets), writers of
# driver_override racing binds of a test-only driver whose probe reads the
# override without its lock, 1 ms between loading the pointer and reading
# through it. KASAN must report the use-after-free and the host must fail
# this test (the real drivers pass the same load in override/race_stress.sh).
. ../ktap.sh
# shellcheck source=../lib-torture.sh
. ../lib-torture.sh
# shellcheck source=../lib-kmsg.sh
. ../lib-kmsg.sh
ktap_header
ktap_plan 1

# Up to 10 runs of 3 s, until KASAN has spoken (a run hits the window tens
# of times or not at all: in one boot, runs 1 and 2 missed, run 3 hit 55).
kmsg "override_racy_engine runs"
tries=0
while [ "$tries" -lt 10 ]; do
	tries=$((tries + 1))
	torture_run /tmp/override-racy.ktap override-racy --seconds 3
	status=$?
	if log_has "override_racy_engine runs" "BUG: KASAN"; then break; fi
done
ktap_pass "engine ran the unlocked reader under its writers ($tries runs, last status $status; the host must fail this)"
ktap_finish
