#!/bin/sh
# Benchmark (make bench only): latency from the request to bind the last
# consumer of a power domain to that domain's release by queue_sync_state(),
# with K = 3, 8 and 32 domains of one consumer each. Each consumer's bind is
# requested through drivers_probe right after a marker line in the kernel
# log; the latency is the kernel log timestamp (microseconds) of the
# controller's "domain D released" line minus the marker's. It includes the
# consumer's probe and the partial sync. The last domain is released by
# sync_state() and not counted.
cd ../syncstate || exit 1
# shellcheck source=../syncstate/common.inc
. ./common.inc
syncstate_setup

# log_us PATTERN: timestamp in microseconds of the first kernel log line
# containing PATTERN, from the input.
log_us() {
	awk -v p="$1" 'index($0, p) {
		sub(/^\[ */, ""); split($0, t, "]"); split(t[1], s, ".")
		print s[1] * 1000000 + s[2]; exit
	}'
}

ktap_header
ktap_plan 3
for k in 3 8 32; do
	if ! fresh_board domains="$k" consumers=1; then
		ktap_fail "K=$k: board and controller loaded"
		continue
	fi
	n=0 total=0 max=0
	d=0
	while [ "$d" -lt $((k - 1)) ]; do
		id=$(consumers_of "$d")
		kmsg "pd-bench: bind $id"
		bind_consumer "$id"
		log=$(dmesg_since "pd-bench: bind $id")
		t0=$(echo "$log" | log_us "drvlife: pd-bench: bind $id")
		t1=$(echo "$log" | log_us "domain $d released by queue_sync_state")
		if [ -n "$t0" ] && [ -n "$t1" ]; then
			us=$((t1 - t0))
			n=$((n + 1))
			total=$((total + us))
			[ "$us" -gt "$max" ] && max=$us
		fi
		d=$((d + 1))
	done
	mean=0
	[ "$n" -gt 0 ] && mean=$((total / n))
	echo "drvlife: bench-pd-latency: k=$k n=$n mean_us=$mean max_us=$max" >/dev/kmsg
	ktap_info "K=$k: $n releases, mean $mean us, max $max us"
	ktap_check "K=$k: every domain but the last released by queue_sync_state ($n of $((k - 1)))" \
		[ "$n" -eq $((k - 1)) ]
done
unload
ktap_finish
