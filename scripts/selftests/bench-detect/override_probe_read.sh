#!/bin/sh
# shellcheck disable=SC2317 # the loads are called through detect_rounds
# Detection benchmark (make bench only): the racy probe of the negative
# controls override_unlocked_read.sh (shell) and override_racy_engine.sh
# (engine), with the same module parameters for both (those of target
# bench-detect-probe-read: a 50 us window between loading the override
# and reading through it): driver_override writers race binds of
# pci-testdev to lifecycle_override_racy, back to back. Shell: one writer
# loop of echo builtins and one binder loop. Engine: the target, two
# writer threads and a binder, stopped at the first report
# (--stop-on-splat). The module is loaded before the clock starts; each
# load runs until KASAN reports the use-after-free or
# drvlife.detect_seconds pass.
cd "$(dirname "$0")" || exit 1
# shellcheck source=common.inc
. ./common.inc
TARGET=bench-detect-probe-read
MODULE=lifecycle_override_racy
DRIVER=drvlife_ovr_racy
ktap_header
ktap_plan 1

dev=$(pci_dev 0x1b36 0x0005) || { ktap_fail "pci-testdev present"; ktap_finish; }
name=$(basename "$dev")
params=$(target_params "$TARGET" "$MODULE")
ktap_info "module parameters: $params"

# shellcheck disable=SC2086 # the parameters are words
shell_setup() { insmod_mod "$MODULE" $params; }
engine_setup() { shell_setup; }

shell_run() {
	rm -f "$STOP"
	(
		while [ ! -e "$STOP" ]; do
			echo "$DRIVER" >"$dev/driver_override"
			echo "${DRIVER}_other" >"$dev/driver_override"
		done
	) &
	(
		while [ ! -e "$STOP" ]; do
			if [ -e "$dev/driver" ]; then
				echo "$name" >"/sys/bus/pci/drivers/$DRIVER/unbind" 2>/dev/null
			else
				echo "$name" >"/sys/bus/pci/drivers/$DRIVER/bind" 2>/dev/null
			fi
		done
	) &
	stop_when_detected "$1"
}

engine_run() { engine_until_detected "$TARGET"; }

shell_teardown() {
	[ -e "$dev/driver" ] && echo "$name" >"/sys/bus/pci/drivers/$DRIVER/unbind"
	echo >"$dev/driver_override"
	rmmod "$MODULE"
}

# The engine unloads the module itself (unload = true).
engine_teardown() { echo >"$dev/driver_override"; }

detect_rounds probe-read
ktap_finish
