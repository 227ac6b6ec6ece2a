#!/bin/sh
# Example suite of a user's own module (examples/extra-module): load it with
# a parameter, see the parameter in its load message, unload it. The lab's
# KTAP helpers and guest library are available one directory up, as for
# our own suites.
# shellcheck source=scripts/selftests/ktap.sh
. ../ktap.sh
# shellcheck source=scripts/selftests/lib-kmsg.sh
. ../lib-kmsg.sh
# shellcheck source=scripts/selftests/lib-module.sh
. ../lib-module.sh
ktap_header
ktap_plan 2
kmsg "mark example"
insmod_mod drvlife_example greeting=7
ktap_check "loads, and the parameter reaches it (greeting=7)" \
	log_has "mark example" "drvlife_example: loaded, greeting 7"
rmmod drvlife_example
ktap_check "unloads" [ ! -d /sys/module/drvlife_example ]
ktap_finish
