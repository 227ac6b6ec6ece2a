#!/bin/sh
# shellcheck disable=SC2317 # the helpers are called through ktap_check
# Benchmark (make bench only): genpd's per-domain release on the bench
# cards (samples/pd_genpd/board_k*.dtso: K = 3, 8, 32 domains, consumer i
# in domains i and i + 1, which genpd does not attach, so a released
# domain powers off at once).
#
# Release latency: the consumers are bound one by one, 0 to K - 1, each
# right after a marker line in the kernel log; binding consumer i
# completes domain i (consumers i - 1 and i), which
# of_genpd_queue_sync_state() releases. Latency: the kernel log timestamp
# (microseconds) of the controller's "domain i off" minus the marker's; it
# includes the consumer's probe and the walk over all domains and
# unprobed consumers. Domains 1 to K - 2 count; the last bind completes
# domains 0 and K - 1 together with sync_state().
#
# Apply to all synced: the controller's and consumers' drivers loaded, the
# card bound after a marker: from the marker to the last "domain N off",
# when sync_state() has run (the overlay applied, K + 1 devices populated
# and probed, every domain released).
cd ../genpd || exit 1
# shellcheck source=../genpd/common.inc
. ./common.inc
genpd_setup

# log_us PATTERN: timestamp in microseconds of the first kernel log line
# containing PATTERN, from the input.
log_us() {
	awk -v p="$1" 'index($0, p) {
		sub(/^\[ */, ""); split($0, t, "]"); split(t[1], s, ".")
		print s[1] * 1000000 + s[2]; exit
	}'
}
# last_us PATTERN: the same for the last such line.
last_us() {
	awk -v p="$1" 'index($0, p) {
		l = $0; sub(/^\[ */, "", l); split(l, t, "]"); split(t[1], s, ".")
		v = s[1] * 1000000 + s[2]
	} END { if (v != "") print v }'
}

# synced_with_offs OFFS K: the controller synced, OFFS domains of K off.
synced_with_offs() { synced "$CTL_DEV" && [ "$1" -eq "$2" ]; }

ktap_header
ktap_plan 6
for k in 3 8 32; do
	unload
	board=lifecycle_genpd_board_k$k
	echo 0 >"$PLAT/drivers_autoprobe"
	insmod_mod "$CTL_MOD"
	insmod_mod "$CONSUMER_MOD"
	insmod_mod "$board"
	CTL_DEV=$(platform_dev power-controller) && basename "$CTL_DEV" >"$CTL_DRV/bind"
	n=0 total=0 max=0
	i=0
	while [ "$i" -lt "$k" ]; do
		dev=$(platform_dev "consumer-$i")
		kmsg "genpd-bench: bind consumer-$i"
		basename "$dev" >"$CONSUMER_DRV/bind"
		if [ "$i" -ge 1 ] && [ "$i" -le $((k - 2)) ]; then
			log=$(dmesg_since "genpd-bench: bind consumer-$i")
			t0=$(echo "$log" | log_us "drvlife: genpd-bench: bind consumer-$i")
			t1=$(echo "$log" | log_us "lifecycle_genpd_controller: domain $i off")
			if [ -n "$t0" ] && [ -n "$t1" ]; then
				us=$((t1 - t0))
				n=$((n + 1))
				total=$((total + us))
				[ "$us" -gt "$max" ] && max=$us
			fi
		fi
		i=$((i + 1))
	done
	echo 1 >"$PLAT/drivers_autoprobe"
	mean=0
	[ "$n" -gt 0 ] && mean=$((total / n))
	echo "drvlife: bench-genpd-latency: k=$k n=$n mean_us=$mean max_us=$max" >/dev/kmsg
	ktap_info "K=$k: $n releases, mean $mean us, max $max us"
	ktap_check "K=$k: domains 1 to K-2 released as their second consumer bound ($n of $((k - 2)))" \
		[ "$n" -eq $((k - 2)) ]

	# Apply to all synced: the card unbound (overlay removed), then bound.
	pci=$(board_pci_dev "$board")
	basename "$pci" >"/sys/bus/pci/drivers/$board/unbind"
	kmsg "genpd-bench: apply K=$k"
	basename "$pci" >"/sys/bus/pci/drivers/$board/bind"
	CTL_DEV=$(platform_dev power-controller)
	log=$(dmesg_since "genpd-bench: apply K=$k")
	t0=$(echo "$log" | log_us "drvlife: genpd-bench: apply K=$k")
	t1=$(echo "$log" | last_us "lifecycle_genpd_controller: domain ")
	offs=$(echo "$log" | grep -c "lifecycle_genpd_controller: domain [0-9]* off")
	us=0
	[ -n "$t0" ] && [ -n "$t1" ] && us=$((t1 - t0))
	echo "drvlife: bench-genpd-apply: k=$k us=$us offs=$offs" >/dev/kmsg
	ktap_info "K=$k: overlay applied to all synced in $us us ($offs domains off)"
	ktap_check "K=$k: card bound again: synced, all $k domains off" \
		synced_with_offs "$offs" "$k"
done
unload
ktap_finish
