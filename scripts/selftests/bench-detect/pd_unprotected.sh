#!/bin/sh
# shellcheck disable=SC2317 # the loads are called through detect_rounds
# Detection benchmark (make bench only): the race of the negative control
# pd_unprotected.sh, the test-only controller
# lifecycle_pd_controller_unprotected, which also runs its partial sync
# from a platform bus notifier, without the driver core's "supplier bound,
# device lock held" guarantees. The load is the queue_sync_state stress:
# supplier unbind and bind every 10 ms while consumers probe, unbind and
# come and go. Shell: the loops that stress had before the engine (a
# supplier loop, a consumer loop, a churn loop adding a consumer and
# removing the newest past 8). Engine: target syncstate-board
# (--stop-on-splat). The modules are loaded and the board set up before
# the clock starts; each load runs until KASAN reports or
# drvlife.detect_seconds pass.
cd ../syncstate || exit 1
# shellcheck source=../syncstate/common.inc
. ./common.inc
# shellcheck source=common.inc
. ../bench-detect/common.inc
CTL_MOD=lifecycle_pd_controller_unprotected
syncstate_setup
ktap_header
ktap_plan 1

# A fresh board, the controller bound, consumer 0 parked on the failing
# driver, the others steered to the good one.
shell_setup() {
	module_loaded "$CTL_MOD" || insmod_mod "$CTL_MOD" || return 1
	insmod_mod "$BOARD_MOD" domains=3 consumers=3 probe_delay_ms=5 || return 1
	echo "$CTL_NAME" >"$PLAT/drivers_probe"
	bind_consumer 0 "$FAIL_DRV"
	for _id in $(all_consumers); do
		[ "$_id" = 0 ] || echo "$GOOD_DRV" >"$PLAT/devices/$CONSUMER.$_id/driver_override"
	done
}
engine_setup() { shell_setup; }

shell_run() {
	rm -f "$STOP"
	(
		while [ ! -e "$STOP" ]; do
			echo "$CTL_NAME" >"$CTL_DRV/unbind" 2>/dev/null
			usleep 3000
			echo "$CTL_NAME" >"$CTL_DRV/bind" 2>/dev/null
			usleep 7000
		done
	) &
	(
		while [ ! -e "$STOP" ]; do
			for c in 1 2 3 4 5 6 7 8; do
				[ -e "$PLAT/devices/$CONSUMER.$c" ] || continue
				if [ -e "$PLAT/devices/$CONSUMER.$c/driver" ]; then
					echo "$CONSUMER.$c" >"$PLAT/drivers/$GOOD_DRV/unbind" 2>/dev/null
				else
					echo "$CONSUMER.$c" >"$PLAT/drivers_probe" 2>/dev/null
				fi
			done
		done
	) &
	(
		n=0
		while [ ! -e "$STOP" ]; do
			echo $((n % 3)) >"$BOARD/add" 2>/dev/null
			late=$(all_consumers | tail -n1)
			[ "$late" -gt 8 ] && echo "$late" >"$BOARD/remove" 2>/dev/null
			n=$((n + 1))
			usleep 2000
		done
	) &
	stop_when_detected "$1"
}

engine_run() { engine_until_detected syncstate-board; }

shell_teardown() { rmmod "$BOARD_MOD"; }
engine_teardown() { rmmod "$BOARD_MOD"; }

detect_rounds pd-unprotected
unload
ktap_finish
