#!/bin/sh
# Edge cases of the per-domain sync: a domain without consumers, a consumer
# whose probe fails, a sync forced through state_synced (and its bad
# input), late consumers, a consumer that goes away, supplier rebind, the
# board's bad input, and the driver_register() warning for a driver with
# queue_sync_state() but no sync_state().
. ./common.inc
syncstate_setup

ktap_header
ktap_plan 11

# domains_are STATE0 STATE1 ...: each domain is in its state.
# shellcheck disable=SC2317 # called through wait_until
domains_are() {
	_d=0
	for _want in "$@"; do
		[ "$(domain_field "$_d" state)" = "$_want" ] || return 1
		_d=$((_d + 1))
	done
}

# expect_domains WHAT STATE0 STATE1 ...: each domain's state, or fail.
expect_domains() {
	_what=$1
	shift
	_d=0
	_bad=""
	for _want in "$@"; do
		_got=$(domain_field "$_d" state)
		[ "$_got" = "$_want" ] || _bad="$_bad d$_d=$_got(want $_want)"
		_d=$((_d + 1))
	done
	if [ -z "$_bad" ]; then return 0; fi
	ktap_info "$_what:$_bad"
	return 1
}
Q=released-by-queue_sync_state
S=released-by-sync_state

# 1. A domain without consumers is released as soon as the controller binds.
fresh_board domains=3 consumers=1 empty_domain=1
if expect_domains "empty domain" on $Q on && [ "$(domain_field 1 order)" = 1 ]; then
	ktap_pass "domain without consumers released at controller bind, others on"
else
	ktap_fail "domain without consumers released at controller bind, others on"
fi

# 2. A consumer whose probe fails holds its domain until it binds.
fresh_board domains=2 consumers=2
ok=1
bind_consumer 0 || ok=0
bind_consumer 1 "$FAIL_DRV" && ok=0
bind_consumer 2 || ok=0
bind_consumer 3 || ok=0
expect_domains "after failed probe" on $Q || ok=0
[ "$(ctl_value synced)" = 0 ] || ok=0
bind_consumer 1 || ok=0
expect_domains "after the consumer binds" $S $Q || ok=0
[ "$(ctl_value synced)" = 1 ] || ok=0
ktap_check "failed consumer probe keeps its domain on until the consumer binds" [ "$ok" -eq 1 ]

# 3. Forcing the sync through state_synced; bad input is refused.
fresh_board domains=2 consumers=1
ok=1
bind_consumer 0 || ok=0
syncs=$(ctl_stat sync_state_calls)
e0=$(write_errno "$CTL_DEV/state_synced" 0)
expect_domains "after writing 0" $Q on || ok=0
e1=$(write_errno "$CTL_DEV/state_synced" 1)
expect_domains "after forcing" $Q $S || ok=0
e2=$(write_errno "$CTL_DEV/state_synced" 1)
ktap_info "state_synced: write 0: $e0; write 1: $e1; write 1 again: $e2"
[ "$e0" = "Invalid argument" ] && [ "$e1" = ok ] && [ "$e2" = "Invalid argument" ] || ok=0
[ "$(($(ctl_stat sync_state_calls) - syncs))" -eq 1 ] || ok=0
queue_calls=$(ctl_stat queue_sync_state_calls)
bind_consumer 1 || ok=0
[ "$(ctl_stat queue_sync_state_calls)" = "$queue_calls" ] || ok=0
[ "$(ctl_stat calls_after_sync)" = 0 ] || ok=0
ktap_check "state_synced forces sync_state once (EINVAL for 0 and again), no partial call after it" [ "$ok" -eq 1 ]

# 4. A late consumer of a domain still on holds that domain.
fresh_board domains=2 consumers=1
ok=1
bind_consumer 0 || ok=0
echo 1 >"$BOARD/add" || ok=0
late=$(consumers_of 1 | tail -n1)
bind_consumer 1 || ok=0
expect_domains "late consumer unbound" $Q on || ok=0
[ "$(domain_field 1 pending)" = 1 ] || ok=0
bind_consumer "$late" || ok=0
expect_domains "late consumer bound" $Q $S || ok=0
[ "$(ctl_value synced)" = 1 ] || ok=0
ktap_check "late consumer ($CONSUMER.$late) holds its domain until it binds" [ "$ok" -eq 1 ]

# 5. A late consumer of a released domain: the domain stays released, and
#    the controller's sync_state() waits for it like for any consumer.
fresh_board domains=2 consumers=1
ok=1
bind_consumer 0 || ok=0
echo 0 >"$BOARD/add" || ok=0
late=$(consumers_of 0 | tail -n1)
bind_consumer 1 || ok=0
expect_domains "late consumer of released domain" $Q $Q || ok=0
[ "$(ctl_value synced)" = 0 ] || ok=0
bind_consumer "$late" || ok=0
[ "$(ctl_value synced)" = 1 ] || ok=0
ktap_check "late consumer of a released domain: stays released, sync_state waits for it" [ "$ok" -eq 1 ]

# 6. A consumer that goes away before probing no longer holds its domain.
#    The controller is re-evaluated from a work item, after the write
#    returned: wait for the release (5 s at most).
fresh_board domains=2 consumers=1
ok=1
gone=$(consumers_of 1)
echo "$gone" >"$BOARD/remove" || ok=0
[ -e "$PLAT/devices/$CONSUMER.$gone" ] && ok=0
wait_until 5000 domains_are on $Q
expect_domains "consumer removed" on $Q || ok=0
bind_consumer 0 || ok=0
expect_domains "last consumer bound" $S $Q || ok=0
[ "$(ctl_value synced)" = 1 ] || ok=0
ktap_check "removing an unprobed consumer releases its domain" [ "$ok" -eq 1 ]

# 7. Supplier unbind and rebind: new driver data, every domain on again
#    until its consumers bind again; no callback reached the old data.
fresh_board domains=3 consumers=1
ok=1
bind_consumer 0 || ok=0
expect_domains "before unbind" $Q on on || ok=0
echo "$CTL_NAME" >"$CTL_DRV/unbind" || ok=0
consumer_bound 0 && ok=0
[ -e "$DOMAINS" ] && ok=0
echo "$CTL_NAME" >"$CTL_DRV/bind" || ok=0
expect_domains "after rebind" on on on || ok=0
bind_consumer 0 || ok=0
expect_domains "consumer bound again" $Q on on || ok=0
[ "$(ctl_stat calls_after_remove)" = 0 ] || ok=0
ktap_check "supplier unbind unbinds consumers; rebind starts with every domain on" [ "$ok" -eq 1 ]

# 8. Bad input to the board's control files leaves the board unchanged.
fresh_board domains=2 consumers=1
before=$(all_consumers | wc -l)
e_range=$(write_errno "$BOARD/add" 2)
e_text=$(write_errno "$BOARD/add" abc)
e_empty=$(write_errno "$BOARD/add" "")
e_gone=$(write_errno "$BOARD/remove" 99)
after=$(all_consumers | wc -l)
ktap_info "add 2: $e_range; add abc: $e_text; add '': $e_empty; remove 99: $e_gone; consumers $before -> $after"
if [ "$e_range" = "Invalid argument" ] && [ "$e_text" = "Invalid argument" ] &&
	[ "$e_gone" = "No such file or directory" ] && [ "$before" -eq "$after" ]; then
	ktap_pass "board refuses bad domains (EINVAL) and unknown consumers (ENOENT)"
else
	ktap_fail "board refuses bad domains (EINVAL) and unknown consumers (ENOENT)"
fi

# 9. No callback reached a removed controller in this whole test.
after_remove=$(ctl_stat calls_after_remove)
after_sync=$(ctl_stat calls_after_sync)
ktap_check "no partial sync after remove ($after_remove) or after sync ($after_sync)" \
	[ "$after_remove:$after_sync" = "0:0" ]
unload

# 10. Bad module parameters: the board refuses to load (EINVAL).
ok=1
for params in domains=0 domains=33 consumers=17; do
	insmod_mod "$BOARD_MOD" "$params" 2>/tmp/syncstate.err && { ok=0; rmmod "$BOARD_MOD"; }
	grep -q "Invalid argument\|Invalid parameters" /tmp/syncstate.err || ok=0
	ktap_info "board $params: $(cat /tmp/syncstate.err)"
done
module_loaded "$BOARD_MOD" && ok=0
ktap_check "board refuses domains=0, domains=33, consumers=17" [ "$ok" -eq 1 ]

# 11. driver_register() warns about queue_sync_state() without sync_state().
kmsg "mark nosync"
insmod_mod lifecycle_pd_nosync
rmmod lifecycle_pd_nosync
if log_has "mark nosync" "Driver 'drvlife_pd_nosync' has queue_sync_state() but no sync_state()"; then
	ktap_pass "driver_register() warns about queue_sync_state() without sync_state()"
else
	ktap_fail "driver_register() warns about queue_sync_state() without sync_state()"
fi
ktap_finish
