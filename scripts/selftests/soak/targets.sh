#!/bin/sh
# The soak: every shipped target of the torture engine, each with all of
# its actors, one slice after the other in a seeded random order, round
# after round until the soak's time is spent; every other round with fault
# injection on every actor (drvtorture --fail-nth), and a kmemleak scan
# every few minutes. A target passes if every slice of it passed (status 0)
# and at least one ran; the kernel's detectors judge the whole soak (host
# side), so a splat in any slice fails it. The targets of the negative
# controls, whose modules are broken on purpose, are left out.
#
# Kernel command line (scripts/soak.sh sets them): drvlife.soak_seconds
# (default 600), drvlife.soak_slice (seconds per slice, default 30),
# drvlife.soak_fail_nth (largest N of --fail-nth, default 20),
# drvlife.soak_scan_seconds (between kmemleak scans, default 300),
# drvlife.soak_targets (a comma-separated list: only these targets),
# drvlife.seed (replays the order and every slice's seed).
# shellcheck source=../ktap.sh
. ../ktap.sh
# shellcheck source=../lib-host.sh
. ../lib-host.sh
# shellcheck source=../lib-kmemleak.sh
. ../lib-kmemleak.sh
# shellcheck source=../lib-random.sh
. ../lib-random.sh
# shellcheck source=../lib-time.sh
. ../lib-time.sh
# shellcheck source=../lib-torture.sh
. ../lib-torture.sh
# shellcheck source=../syncstate/common.inc
. ../syncstate/common.inc

# Targets of the negative controls and of the detection benchmark: their
# modules are racy on purpose.
CONTROL_TARGETS="override-racy override-kernel-readers-unlocked bench-detect-probe-read"

SOAK_SECONDS=$(cmdline_value soak_seconds 600)
SLICE=$(cmdline_value soak_slice 30)
FAIL_NTH=$(cmdline_value soak_fail_nth 20)
SCAN_SECONDS=$(cmdline_value soak_scan_seconds 300)
ONLY=$(cmdline_value soak_targets "" | tr ',' ' ')
SEED=$(seed)
RESULTS=/tmp/soak-results
SLICE_OUT=/tmp/soak-slice.ktap

# soak_targets: the names of the shipped targets, controls' left out (or
# those of drvlife.soak_targets).
soak_targets() {
	for _s_file in "$TORTURE_TARGETS"/*.toml; do
		_s_name=$(basename "$_s_file" .toml)
		case " $CONTROL_TARGETS " in
		*" $_s_name "*) continue ;;
		esac
		if [ -n "$ONLY" ]; then
			case " $ONLY " in
			*" $_s_name "*) ;;
			*) continue ;;
			esac
		fi
		echo "$_s_name"
	done
}

# rescans TARGET: whether TARGET has a pci-rescan actor. Those targets run
# without --fail-nth: a slab allocation failing in the rescan's
# device_add() oopses 7.3 (pci_device_add() only warns when device_add()
# fails, leaves the device on its bus, and pci_bus_add_devices() then
# probes it: a NULL dereference in __device_attach(); found by this soak,
# see docs/RESULTS.md), which would end the soak there.
rescans() { grep -q '^kind = "pci-rescan"' "$TORTURE_TARGETS/$1.toml"; }

# target_setup TARGET: what a target needs beyond what its file loads, as
# its test sets it up (syncstate-board: the controller and a fresh board;
# link-churn: the churn module; their tests load them themselves, one build
# or another); target_teardown TARGET undoes it.
target_setup() {
	case "$1" in
	syncstate-board) fresh_board domains=3 consumers=3 probe_delay_ms=5 ;;
	link-churn) insmod_mod lifecycle_link_churn ;;
	esac
}
target_teardown() {
	case "$1" in
	syncstate-board) unload ;;
	link-churn) rmmod lifecycle_link_churn ;;
	esac
}

# slice_ops OUT: the operations of every actor of the run kept in OUT.
slice_ops() {
	sed -n 's/.*drvtorture-stat: .* ops=\([0-9]*\) .*/\1/p' "$1" | awk '{ n += $1 } END { print n + 0 }'
}

# progress TEXT: a line on the console now (the runner shows a test's own
# output only when it ends, an hour later).
progress() { echo "drvlife-soak: $*" >/dev/kmsg; }

# scan_leaks: one kmemleak scan; what it reports goes to the host's
# detectors (known failures are the host's to judge). Counts the scans.
scan_leaks() {
	SCANS=$((SCANS + 1))
	if kmemleak_scan_report; then
		progress "kmemleak scan $SCANS: nothing new"
	else
		LEAK_SCANS=$((LEAK_SCANS + 1))
		progress "kmemleak scan $SCANS: objects reported (the host judges them)"
	fi
}

TARGETS=$(soak_targets)
ktap_header
ktap_plan "$(echo "$TARGETS" | wc -l)"
ktap_info "soak: ${SOAK_SECONDS}s, slices of ${SLICE}s, --fail-nth $FAIL_NTH every other round, seed $SEED (replay: drvlife.seed=$SEED)"
ktap_info "left out (negative controls): $CONTROL_TARGETS"
: >"$RESULTS"
kmemleak_manual
SCANS=0
LEAK_SCANS=0
start=$(uptime_ms)
last_scan=$start
round=0
while [ $(($(uptime_ms) - start)) -lt $((SOAK_SECONDS * 1000)) ]; do
	round=$((round + 1))
	faults=""
	[ $((round % 2)) -eq 0 ] && faults="--fail-nth $FAIL_NTH"
	i=0
	for target in $(shuffle "$((SEED + round))" "$TARGETS"); do
		[ $(($(uptime_ms) - start)) -lt $((SOAK_SECONDS * 1000)) ] || break
		i=$((i + 1))
		slice_seed=$((SEED * 1000 + round * 100 + i))
		target_setup "$target"
		slice_faults=$faults
		if [ -n "$faults" ] && rescans "$target"; then slice_faults=""; fi
		# shellcheck disable=SC2086 # $slice_faults is two words or none
		drvtorture --target "$TORTURE_TARGETS/$target.toml" --seconds "$SLICE" \
			--seed "$slice_seed" $slice_faults >"$SLICE_OUT" 2>&1
		rc=$?
		target_teardown "$target"
		ops=$(slice_ops "$SLICE_OUT")
		echo "$target $rc $ops ${slice_faults:+faults} $slice_seed" >>"$RESULTS"
		progress "round $round, $target${slice_faults:+ with faults}: status $rc, $ops ops (seed $slice_seed)"
		if [ "$rc" -ne 0 ]; then
			ktap_info "$target, round $round${slice_faults:+ with faults}, seed $slice_seed: status $rc"
			sed -n 's/^/#   /p' "$SLICE_OUT" | grep -E 'not ok|failure at|refused|invariant' | head -n 20
		fi
		if [ $(($(uptime_ms) - last_scan)) -ge $((SCAN_SECONDS * 1000)) ]; then
			scan_leaks
			last_scan=$(uptime_ms)
		fi
	done
done
scan_leaks
elapsed=$((($(uptime_ms) - start) / 1000))

# The summary: per target its slices, those with faults, those that did not
# pass, and its operations.
ktap_info "soak-summary: ${elapsed}s, $round rounds, $(wc -l <"$RESULTS") slices, $SCANS kmemleak scans ($LEAK_SCANS reported objects), seed $SEED"
for target in $TARGETS; do
	line=$(awk -v t="$target" '$1 == t {
			n++; ops += $3; if ($4 == "faults") f++; if ($2 != 0) bad++
			if ($2 == 2) refused++
		} END { printf "%d %d %d %d %d\n", n, f, bad, ops, refused }' "$RESULTS")
	# shellcheck disable=SC2086 # five numbers
	set -- $line
	ktap_info "soak-summary: $target: $1 slices ($2 with faults), $3 not passed, $4 ops"
	if [ "$1" -eq 0 ]; then
		ktap_fail "$target: no slice ran (soak too short for every target)"
	elif [ "$5" -eq "$1" ]; then
		ktap_skip "$target: refused by the engine on this kernel"
	else
		ktap_check "$target: $1 slices, every one passed" [ "$3" -eq 0 ]
	fi
done
ktap_finish
