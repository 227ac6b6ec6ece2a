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
ktap_header
ktap_plan 1

torture_run /tmp/override-racy.ktap override-racy --seconds 3
ktap_pass "engine ran the unlocked reader under its writers (status $?; the host must fail this)"
ktap_finish
