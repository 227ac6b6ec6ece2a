#!/bin/sh
# Benchmark (make bench only): the torture engine against the shell loops
# it replaces, same workload, same guest, one after the other:
#   override: one driver_override writer (alpha, beta, cleared) and one
#     reader of it on pci-testdev, for S seconds: shell (the loops
#     override/race_stress.sh had: echo and read builtins) and engine
#     (target bench-override); write+read operations per second;
#   bind: unbind + bind cycles of pci-testdev to drvlife_ovr_alpha for S
#     seconds: the shell's tight loop (two echo builtins a cycle, no fork,
#     nothing else running: the kernel's single-thread ceiling), the
#     engine with one thread (target bench-bind) and with two, R rounds.
# Each case logs "drvlife: bench-torture: case=C ops=N ms=T" to the kernel
# log (scripts/bench.sh makes the table). Kernel command line:
# drvlife.torture_bench_seconds=S (default 10),
# drvlife.torture_bench_rounds=R (default 3).
. ../ktap.sh
. ../lib-host.sh
. ../lib-module.sh
. ../lib-sysfs.sh
# shellcheck source=../lib-time.sh
. ../lib-time.sh
. ../lib-torture.sh

S=$(cmdline_value torture_bench_seconds 10)
ROUNDS=$(cmdline_value torture_bench_rounds 3)
STOP=/tmp/bench-stop
ktap_header
ktap_plan $((2 + 3 * ROUNDS))


# report CASE OPS MS: the kernel log line and a result.
report() {
	echo "drvlife: bench-torture: case=$1 ops=$2 ms=$3" >/dev/kmsg
	ktap_info "$1: $2 operations in $3 ms"
	ktap_check "$1: measured" [ "$2" -gt 0 ]
}

dev=$(pci_dev 0x1b36 0x0005) || { ktap_fail "pci-testdev present"; ktap_finish; }
name=$(basename "$dev")
drv=/sys/bus/pci/drivers/drvlife_ovr_alpha

# Shell: a writer and a reader, as race_stress.sh's loops were.
insmod_mod lifecycle_override_pci
rm -f "$STOP" /tmp/bench-w /tmp/bench-r
start=$(uptime_ms)
(
	n=0
	while [ ! -e "$STOP" ]; do
		for v in drvlife_ovr_alpha drvlife_ovr_beta ""; do
			echo "$v" >"$dev/driver_override" && n=$((n + 1))
		done
	done
	echo "$n" >/tmp/bench-w
) &
(
	n=0
	while [ ! -e "$STOP" ]; do
		read -r v <"$dev/driver_override" && n=$((n + 1))
	done
	: "$v"
	echo "$n" >/tmp/bench-r
) &
sleep "$S"
touch "$STOP"
wait
end=$(uptime_ms)
echo >"$dev/driver_override"
rmmod lifecycle_override_pci
report override-shell "$(($(cat /tmp/bench-w) + $(cat /tmp/bench-r)))" "$((end - start))"

torture_run /tmp/bench-override.ktap bench-override --seconds "$S" >/dev/null
w=$(torture_stat /tmp/bench-override.ktap writer ops)
r=$(torture_stat /tmp/bench-override.ktap reader ops)
report override-engine "$((w + r))" "$(torture_stat /tmp/bench-override.ktap writer ms)"

# bind_shell: unbind + bind cycles, one echo builtin each, nothing else
# running: the kernel's own ceiling for one thread in a tight loop.
bind_shell() {
	insmod_mod lifecycle_override_pci
	rm -f "$STOP" /tmp/bench-b
	start=$(uptime_ms)
	(
		n=0
		while [ ! -e "$STOP" ]; do
			echo "$name" >"$drv/unbind"
			echo "$name" >"$drv/bind"
			n=$((n + 1))
		done
		echo "$n" >/tmp/bench-b
	) &
	sleep "$S"
	touch "$STOP"
	wait
	end=$(uptime_ms)
	rmmod lifecycle_override_pci
	report bind-shell "$(cat /tmp/bench-b)" "$((end - start))"
}

# bind_engine THREADS: the engine's strict cycler (target bench-bind).
bind_engine() {
	torture_run /tmp/bench-bind.ktap bench-bind --seconds "$S" --threads cycler="$1" >/dev/null
	# A cycle is one unbind and one bind: the successful binds. Not the
	# unbinds: a second thread's unbind that found the driver bound and
	# then waited for the first's also returns success (unbind_store()
	# checks before the device lock), so it is no cycle.
	cycles=$(torture_count /tmp/bench-bind.ktap cycler bind ok)
	report "bind-engine-$1" "$cycles" "$(torture_stat /tmp/bench-bind.ktap cycler ms)"
}

# The bind cases alternate, ROUNDS times, so that a slow spell of the
# host weighs on each of them alike; bench.sh takes each case's median.
round=0
while [ "$round" -lt "$ROUNDS" ]; do
	round=$((round + 1))
	bind_shell
	bind_engine 1
	bind_engine 2
done
ktap_finish
