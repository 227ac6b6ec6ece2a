#!/bin/sh
# Load and unload the controller and the board in both orders, with fresh
# devices each round and consumers bound in a random order (seed printed;
# drvlife.seed= replays it): every round syncs fully, unloading works with
# consumers bound, and kmemleak finds nothing. Rounds: drvlife.pd_cycles=
# (default 6).
. ./common.inc
syncstate_setup

ROUNDS=$(cmdline_value pd_cycles 3)
ktap_header
ktap_plan 3

seed=$(seed)
ktap_info "seed $seed"
synced_rounds=0
clean_unloads=0
round=0
while [ "$round" -lt "$ROUNDS" ]; do
	if [ $((round % 2)) -eq 0 ]; then
		# Controller first: its device appears later, steered to it by
		# the board; probe it as userspace would.
		insmod_mod "$CTL_MOD" && insmod_mod "$BOARD_MOD" domains=4 consumers=2
		echo "$CTL_NAME" >"$PLAT/drivers_probe"
	else
		# Board first: the controller binds when its driver registers.
		insmod_mod "$BOARD_MOD" domains=4 consumers=2 && insmod_mod "$CTL_MOD"
	fi
	# shellcheck disable=SC2046 # one word per consumer id
	for id in $(shuffle $((seed + round)) $(all_consumers)); do
		bind_consumer "$id"
	done
	# Three domains by queue_sync_state(), the last to complete by sync_state().
	if [ "$(ctl_value synced)" = 1 ] &&
		[ "$(grep -c released-by-queue_sync_state "$DOMAINS")" -eq 3 ] &&
		[ "$(grep -c released-by-sync_state "$DOMAINS")" -eq 1 ]; then
		synced_rounds=$((synced_rounds + 1))
	else
		ktap_info "round $round: $(domains_summary) synced $(ctl_value synced)"
	fi
	if [ $((round % 2)) -eq 0 ]; then
		# Controller first: its consumers are unbound before it.
		rmmod "$CTL_MOD" && rmmod "$BOARD_MOD" && clean_unloads=$((clean_unloads + 1))
	else
		rmmod "$BOARD_MOD" && rmmod "$CTL_MOD" && clean_unloads=$((clean_unloads + 1))
	fi
	round=$((round + 1))
done
ktap_check "every round released 3 domains by queue_sync_state and the last by sync_state ($synced_rounds of $ROUNDS)" \
	[ "$synced_rounds" -eq "$ROUNDS" ]
ktap_check "unload in both orders with consumers bound ($clean_unloads of $ROUNDS)" \
	[ "$clean_unloads" -eq "$ROUNDS" ]
ktap_check "kmemleak finds no leak" kmemleak_report
ktap_finish
