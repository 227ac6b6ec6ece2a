#!/bin/sh
# shellcheck disable=SC2317 # the loads are called through detect_rounds
# Detection benchmark (make bench only): the kernel-side readers of the
# negative control override_kernel_readers_unlocked.sh (the accessor that
# reads pci-testdev's driver_override with no lock, module
# lifecycle_override_readers_unlocked, parameters as in target
# override-kernel-readers-unlocked). Shell: one writer loop of echo
# builtins (the four values of the target), one reader loop (head on the
# readers' device node: a fork per read) and one binder loop, a bind
# every 10 ms. Engine: the target (two writer threads, two reader
# threads, a binder), stopped at the first report (--stop-on-splat).
# The modules are loaded before the clock starts; each load runs until
# KASAN reports or drvlife.detect_seconds pass.
cd "$(dirname "$0")" || exit 1
# shellcheck source=common.inc
. ./common.inc
TARGET=override-kernel-readers-unlocked
MODULE=lifecycle_override_readers_unlocked
NODE=/dev/drvlife-override-readers
ktap_header
ktap_plan 1

dev=$(pci_dev 0x1b36 0x0005) || { ktap_fail "pci-testdev present"; ktap_finish; }
name=$(basename "$dev")
params=$(target_params "$TARGET" "$MODULE")
ktap_info "module parameters: $params"

shell_setup() {
	insmod_mod lifecycle_override_pci
	# shellcheck disable=SC2086 # the parameters are words
	insmod_mod "$MODULE" $params
}
engine_setup() { shell_setup; }

shell_run() {
	rm -f "$STOP"
	(
		while [ ! -e "$STOP" ]; do
			for v in drvlife_ovr_alpha drvlife_ovr_beta "" drvlife_no_such_driver; do
				echo "$v" >"$dev/driver_override"
			done
		done
	) &
	(
		while [ ! -e "$STOP" ]; do
			head -n 1 "$NODE" >/dev/null 2>&1
		done
	) &
	(
		while [ ! -e "$STOP" ]; do
			if [ -L "$dev/driver" ]; then
				drv=$(basename "$(readlink "$dev/driver")")
				echo "$name" >"/sys/bus/pci/drivers/$drv/unbind" 2>/dev/null
			else
				echo "$name" >/sys/bus/pci/drivers_probe 2>/dev/null
			fi
			usleep 10000
		done
	) &
	stop_when_detected "$1"
}

engine_run() { engine_until_detected "$TARGET"; }

shell_teardown() {
	echo >"$dev/driver_override"
	rmmod "$MODULE"
	rmmod lifecycle_override_pci
}

# The engine unloads the modules itself (unload = true).
engine_teardown() { echo >"$dev/driver_override"; }

detect_rounds kernel-readers
ktap_finish
