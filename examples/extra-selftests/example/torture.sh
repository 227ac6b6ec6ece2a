#!/bin/sh
# Example: the torture engine on a user's own module, with the target file
# torture.toml beside this test. Pass: the engine's run passes (only the
# errnos the module actor allows, the module unloads at the end).
# shellcheck source=scripts/selftests/ktap.sh
. ../ktap.sh
# shellcheck source=scripts/selftests/lib-torture.sh
. ../lib-torture.sh
ktap_header
ktap_plan 1
ktap_check "two threads loading and unloading drvlife_example for 3 s" \
	torture_run /tmp/example.ktap ./torture.toml --seconds 3
ktap_finish
