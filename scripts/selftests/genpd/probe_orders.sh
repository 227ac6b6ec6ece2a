#!/bin/sh
# shellcheck disable=SC2317 # the helpers are called through ktap_check
# Per-domain release in seeded probe orders, on the mixed card
# (board_mixed.dtso: six domains, six consumers in two domains each, which
# genpd does not attach, so a released domain powers off at once). After
# every consumer bind, each domain is off exactly when all of its
# consumers are bound, never earlier; a consumer whose probe fails holds
# its own domains and no other; the controller's sync_state() comes with
# the last bind (state_synced). Each round then removes the overlay with
# every consumer bound and applies it again: the next round gets new
# devices (a device's state_synced is never cleared). The seed is
# printed; drvlife.seed=N replays it, drvlife.genpd_orders=N sets the
# rounds (default 2; GENPD_ORDERS=N in the environment wins). CTL_MOD may
# name another controller build (controls/genpd_orders_no_per_domain.sh).
cd "$(dirname "$0")" || exit 1
# shellcheck source=common.inc
. ./common.inc
genpd_setup
ROUNDS=${GENPD_ORDERS:-$(cmdline_value genpd_orders 2)}
BOARD_DRV=/sys/bus/pci/drivers/$MIXED_BOARD_MOD

# populated: the card's devices are there, none bound, each consumer
# linked to the controller by fw_devlink; sets CTL_DEV and CONSUMERS.
populated() {
	CTL_DEV=$(platform_dev power-controller) || return 1
	CONSUMERS=$(consumers)
	[ "$(echo "$CONSUMERS" | wc -l)" -eq 6 ] || return 1
	! bound "$CTL_DEV" || return 1
	for _c in $CONSUMERS; do
		! bound "$_c" && linked "$CTL_DEV" "$_c" || return 1
	done
}

# consumer_map: a line per consumer, its path then its domains (read from
# the device tree once a round: each read is three processes).
consumer_map() {
	for _c in $CONSUMERS; do
		echo "$_c" "$(domains_of "$_c" | tr '\n' ' ')"
	done
}

# expected_states: for each domain, off if all of its consumers are
# bound, else on (a domain without consumers is off).
expected_states() {
	_held=" "
	while read -r _c _ds; do
		[ -e "$_c/driver" ] || _held="$_held$_ds "
	done <<EOT
$MAP
EOT
	_d=0
	while [ "$_d" -lt "$K" ]; do
		case $_held in *" $_d "*) printf 'on ' ;; *) printf 'off ' ;; esac
		_d=$((_d + 1))
	done
}

# domains_as_expected: driver and genpd agree with expected_states.
domains_as_expected() {
	# shellcheck disable=SC2046 # one word per domain
	wait_domains $(expected_states)
}

# bind_failing DEV: a probe that fails: DEV steered to the controller's
# driver, whose probe needs a property a consumer's node lacks (EINVAL).
bind_failing() {
	echo drvlife_genpd_controller >"$1/driver_override"
	_err=$(write_errno "$CTL_DRV/bind" "$(basename "$1")")
	echo >"$1/driver_override"
	case $_err in *"Invalid argument"*) ! bound "$1" ;; *) return 1 ;; esac
}

# run_round SEED: one probe order, then the overlay removed and applied.
run_round() {
	_r=$1
	K=$(domain_count)
	MAP=$(consumer_map)
	basename "$CTL_DEV" >"$CTL_DRV/bind"
	ktap_check "round $_r: controller bound, domains without consumers off, the others on, not synced" \
		controller_bound_unsynced
	show_domains

	# Names, not paths: shorter in the diagnostics.
	_names=""
	for _c in $CONSUMERS; do _names="$_names ${_c##*:}"; done
	# shellcheck disable=SC2086 # one word per consumer
	_order=$(shuffle "$_r" $_names)
	# shellcheck disable=SC2086
	_failing=$(pick "$_r" $_names)
	ktap_info "round $_r: probe order ${_order% }; $_failing fails its first probe"
	_problems=""
	bind_failing "$(platform_dev "$_failing")" || _problems="$_problems $_failing-probe-did-not-fail"
	domains_as_expected || _problems="$_problems after-failed-probe:$(domains_line)"
	_left=6
	for _n in $_order; do
		_c=$(platform_dev "$_n")
		basename "$_c" >"$CONSUMER_DRV/bind" 2>/dev/null
		bound "$_c" || _problems="$_problems $_n-not-bound"
		_left=$((_left - 1))
		domains_as_expected || _problems="$_problems after-$_n:$(domains_line)"
		if [ "$_left" -gt 0 ] && synced "$CTL_DEV"; then
			_problems="$_problems synced-after-$_n-with-$_left-unbound"
		fi
	done
	synced "$CTL_DEV" || _problems="$_problems not-synced-after-last"
	if [ -z "$_problems" ]; then
		ktap_pass "round $_r: each domain off exactly when its consumers were all bound, sync_state with the last"
	else
		ktap_info "round $_r problems:$_problems"
		ktap_fail "round $_r: each domain off exactly when its consumers were all bound, sync_state with the last"
	fi

	basename "$BOARD_PCI" >"$BOARD_DRV/unbind"
	ktap_check "round $_r: overlay removed under bound consumers: its devices and genpd's domains gone" \
		card_gone
	basename "$BOARD_PCI" >"$BOARD_DRV/bind"
}

controller_bound_unsynced() { bound "$CTL_DEV" && domains_as_expected && ! synced "$CTL_DEV"; }
card_gone() { ! platform_dev power-controller >/dev/null && [ -z "$(consumers)" ] && none_listed; }

# domains_line: the driver's view, for a diagnostic.
domains_line() { sed 's/ power_on.*//; s/domain//g; s/ /,/g' "$DOMAINS" 2>/dev/null; }

none_listed() { ! grep -q drvlife-genpd "$SUMMARY"; }

ktap_header
ktap_plan $((1 + 3 * ROUNDS + 1))

unload
# New platform devices wait to be bound by the test, in its order.
echo 0 >"$PLAT/drivers_autoprobe"
trap 'echo 1 >"$PLAT/drivers_autoprobe"' EXIT
insmod_mod "$CTL_MOD"
insmod_mod "$CONSUMER_MOD"
insmod_mod "$MIXED_BOARD_MOD"
BOARD_PCI=$(board_pci_dev "$MIXED_BOARD_MOD")
ktap_check "overlay applied: controller and six consumers, none bound, all linked by fw_devlink" \
	populated

seed=$(seed)
ktap_info "seed $seed (replay with drvlife.seed=$seed)"
round=0
while [ "$round" -lt "$ROUNDS" ]; do
	if [ "$round" -gt 0 ] && ! populated; then
		ktap_info "round $((seed + round)): the overlay applied again did not give six unbound, linked consumers"
	fi
	run_round $((seed + round))
	round=$((round + 1))
done

unload
ktap_check "modules unloaded: genpd lists no domain of the controller" none_listed
ktap_finish
