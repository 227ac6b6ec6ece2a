#!/bin/sh
# shellcheck disable=SC2317 # the helpers are called through ktap_check
# The device-link, platform-registration and sync-state APIs of the
# series in a tight kernel loop under the race: the torture engine's
# target link-churn reads /dev/drvlife-link-churn (test-only module
# lifecycle_link_churn: each read registers consumer platform devices,
# links them to the supplier with managed device links and removes them)
# from two threads while it unbinds and binds the supplier and asks
# drivers_probe for the consumers. The supplier's binds, and the removals
# of consumers while it is bound, call its queue_sync_state(), which
# walks its consumers: each walk
# must see the anchor (a consumer linked for the module's lifetime that
# never binds), no consumer that is not ours and none bound (no driver
# matches them), and sync_state() must never run while the anchor is
# linked. After rmmod no device link of ours is left.
# drvlife.link_churn_seconds=N sets the time (default 5); LINK_CHURN_MOD
# names the module (controls/link_churn_unanchored.sh: the build without
# the anchor).
. ./common.inc

MOD=${LINK_CHURN_MOD:-lifecycle_link_churn}
CHURN_STATS=/sys/kernel/debug/drvlife_link_churn/stats
OUT=/tmp/link-churn.ktap
SECONDS_RUN=$(cmdline_value link_churn_seconds 5)

churn_stat() { sed -n "s/^$1=//p" "$CHURN_STATS"; }

# our_links: the device links of the module's devices still in sysfs.
our_links() { find /sys/class/devlink/ -name '*drvlife-churn*' | wc -l; }

# all_zero N...: every N is 0.
all_zero() {
	for _n in "$@"; do [ "$_n" -eq 0 ] || return 1; done
}

# all_positive N...: every N is above 0.
all_positive() {
	for _n in "$@"; do [ "$_n" -gt 0 ] || return 1; done
}

# all_equal N M...: every M is N.
all_equal() {
	_first=$1
	shift
	for _n in "$@"; do [ "$_n" -eq "$_first" ] || return 1; done
}

# at_least N M...: N is at least every M.
at_least() {
	_n=$1
	shift
	for _m in "$@"; do [ "$_n" -ge "$_m" ] || return 1; done
}

module_gone() { ! module_loaded "$1"; }

ktap_header
ktap_plan 8

if ! insmod_mod "$MOD"; then
	ktap_fail "insmod $MOD"
	ktap_finish
fi
torture_run "$OUT" link-churn --seconds "$SECONDS_RUN"
status=$?
ktap_check "engine: every errno allowed (status $status)" [ "$status" -eq 0 ]

reads=$(torture_stat "$OUT" churn ok)
registered=$(churn_stat registered)
linked=$(churn_stat linked)
removed=$(churn_stat removed)
calls=$(churn_stat queue_sync_state_calls)
visited=$(churn_stat visited)
supplier_ops=$(torture_stat "$OUT" supplier ok)
ktap_info "$reads reads: $registered consumers registered, $linked linked, $removed removed;" \
	"$supplier_ops supplier unbinds and binds; $calls queue_sync_state() calls visited $visited consumers"
ktap_check "the churn ran ($registered consumers) and the supplier was cycled ($supplier_ops)" \
	all_positive "$registered" "$supplier_ops"
ktap_check "every consumer registered was linked and removed" \
	all_equal "$registered" "$linked" "$removed"
ktap_check "queue_sync_state() ran ($calls calls) and each walk visited a consumer at least" \
	at_least "$visited" "$calls" 1
missed=$(churn_stat missed_anchor)
foreign=$(churn_stat foreign)
bound=$(churn_stat bound)
ktap_check "every walk saw the anchor, only our consumers, none bound (missed $missed, foreign $foreign, bound $bound)" \
	all_zero "$missed" "$foreign" "$bound"
syncs=$(churn_stat sync_state_calls)
ktap_check "sync_state() did not run while the anchor was linked ($syncs calls)" [ "$syncs" -eq 0 ]

rmmod "$MOD"
ktap_check "rmmod $MOD" module_gone "$MOD"
ktap_check "no device link of ours left ($(our_links))" [ "$(our_links)" -eq 0 ]
ktap_finish
