#!/bin/sh
# Domains are released in the order their consumer sets complete, each by
# queue_sync_state() while the other domains stay on, for fixed and random
# probe orders (the seed is printed; drvlife.seed=N replays it). The last
# consumer's bind makes sync_state() due instead: it releases the last
# domain, runs once, and after the last partial release.
. ./common.inc
syncstate_setup

ROUNDS_RANDOM=$(cmdline_value pd_random_orders 2)
ktap_header
ktap_plan $((4 + ROUNDS_RANDOM))

# run_order LABEL ID...: bind the consumers of a fresh 3x2 board in this
# order, checking every domain after every bind.
run_order() {
	label=$1
	shift
	kmsg "mark order $label"
	if ! fresh_board domains=3 consumers=2 || ! [ -e "$CTL_DEV/driver" ]; then
		ktap_fail "$label: board loaded and controller bound"
		return
	fi
	syncs_before=$(ctl_stat sync_state_calls)
	problems=""
	for d in 0 1 2; do
		eval "left_$d=$(consumers_of "$d" | wc -l)"
		[ "$(domain_field "$d" state)" = on ] || problems="$problems d$d-not-on-at-start"
	done
	completed=""
	for id in "$@"; do
		d=$(domain_of "$id")
		bind_consumer "$id" || problems="$problems consumer$id-not-bound"
		eval "left_$d=\$((left_$d - 1))"
		eval "[ \$left_$d -eq 0 ]" && completed="$completed $d"
		position=0
		for done_d in $completed; do
			position=$((position + 1))
			want=released-by-queue_sync_state
			[ "$position" -eq 3 ] && want=released-by-sync_state
			[ "$(domain_field "$done_d" state)" = "$want" ] ||
				problems="$problems after-$id:d$done_d-not-$want"
			[ "$(domain_field "$done_d" order)" = "$position" ] ||
				problems="$problems after-$id:d$done_d-order-$(domain_field "$done_d" order)-not-$position"
		done
		for d in 0 1 2; do
			case " $completed " in *" $d "*) continue ;; esac
			[ "$(domain_field "$d" state)" = on ] || problems="$problems after-$id:d$d-released-early"
		done
	done
	ktap_info "$label: probe order $*; domains completed in order$completed; $(domains_summary)"
	[ "$(ctl_value synced)" = 1 ] || problems="$problems not-synced"
	syncs=$(($(ctl_stat sync_state_calls) - syncs_before))
	[ "$syncs" -eq 1 ] || problems="$problems sync_state-ran-$syncs-times"
	log=$(dmesg_since "mark order $label")
	last_partial=$(echo "$log" | grep -n "released by queue_sync_state" | tail -n1 | cut -d: -f1)
	full=$(echo "$log" | grep -n "sync_state: synced" | head -n1 | cut -d: -f1)
	if [ -z "$last_partial" ] || [ -z "$full" ] || [ "$last_partial" -gt "$full" ]; then
		problems="$problems sync_state-not-after-last-partial($last_partial,$full)"
	fi
	if [ -z "$problems" ]; then
		ktap_pass "$label: domains released in completion order, sync_state last"
	else
		ktap_info "$label problems:$problems"
		ktap_fail "$label: domains released in completion order, sync_state last"
	fi
}

# Consumers 0,1 are in domain 0, 2,3 in domain 1, 4,5 in domain 2.
run_order "domain by domain" 0 1 2 3 4 5
run_order "reverse" 5 4 3 2 1 0
run_order "interleaved" 0 2 4 1 3 5
run_order "interleaved, completing backwards" 0 2 4 5 3 1
seed=$(seed)
ktap_info "random orders: seed $seed (replay with drvlife.seed=$seed)"
round=0
while [ "$round" -lt "$ROUNDS_RANDOM" ]; do
	# shellcheck disable=SC2046 # one word per consumer id
	run_order "random $((seed + round))" $(shuffle $((seed + round)) 0 1 2 3 4 5)
	round=$((round + 1))
done
unload
ktap_finish
