#!/usr/bin/env bash
# Benchmarks (not tests): boots the guest with the bench suite and reports
# the figures with the method. Results: out/bench/results.txt.
#
# Devres accessors: the edu driver's probe times N calls (default 10^7,
# BENCH_ITERS=N) of a plain reference read (the floor), access(),
# try_access() and try_access_with(), with the monotonic clock around each
# loop, and reports picoseconds per call. Only the accessor is timed, no
# MMIO. Under TCG (no KVM) absolute figures are those of an emulated CPU;
# compare the ratios. The kernel has lockdep and KASAN on, which make
# try_access()'s RCU read section far costlier than on a production kernel.
#
# Bind/unbind rate: BENCH_CYCLES (default 200) unbind+bind cycles of the edu
# device through sysfs from the guest shell, with 0 and with 4 auxiliary
# children, timed with /proc/uptime; cycles per second reported.
#
# Unbind latency with K Devres alive: the edu driver creates K extra Devres
# objects per binding (extra_devres=K, K = 1, 10, 100); each unbind write is
# timed from the guest shell (/proc/uptime, 10 ms resolution, averaged over
# BENCH_UNBINDS unbinds, default 5) with the objects dropped with the driver
# data (no file open) and outliving it (a file open: devres_release_all()
# revokes each one with its own synchronize_rcu()).
#
# Devres designs, unbind latency (the batch fixture, samples/devres_batch/):
# K = 1, 10, 100, 1000 objects held past the unbind by an open file, in
# three designs: pergp (one grace period per object: Devres before patch
# 0020), devres (patch 0020: one grace period per unbind), rwsem (a
# per-object rwsem). Each unbind is timed between two kernel log markers
# written just before and after the sysfs write (microsecond timestamps),
# averaged over BENCH_UNBINDS unbinds.
#
# Devres designs, accessor cost: BENCH_BATCH_ITERS (default 10^6) calls on
# one object, monotonic clock around each loop: access() and
# try_access_with() in the probe (one reader), then try_access_with() in
# the read() of one file and of two files read at once (2 vCPUs), for
# devres (RCU) and rwsem.
#
# queue_sync_state release latency: with K = 3, 8, 32 power domains of one
# consumer each, the time from the request to bind a domain's last consumer
# (a marker line written to the kernel log just before the drivers_probe
# write) to the controller's "domain released" line, from the kernel log's
# microsecond timestamps; it includes the consumer's probe. Mean and max over
# the K - 1 domains released by queue_sync_state().
#
# genpd per-domain release (bench/genpd_release_latency.sh): the bench
# cards (samples/pd_genpd/board_k*.dtso, K = 3, 8, 32 domains, consumer i in
# domains i and i + 1, not attached by genpd, so a released domain powers
# off at once). Latency: from a marker written just before the bind of a
# domain's second consumer to the controller's "domain i off" line (kernel
# log timestamps, microseconds); includes the probe and genpd's walk over
# its domains and unprobed consumers; mean and max over domains 1..K-2
# (the last bind goes with sync_state()). Apply to all synced: from a
# marker before binding the card (drivers loaded) to the last "domain off"
# line: overlay applied, K + 1 devices populated and probed, all released.
# Compare with the bookkeeping sample's queue_sync_state release latency
# above (same K, same marker method, one consumer per domain).
#
# queue_sync_state supplier cycles: supplier unbind/bind cycles per second
# under syncstate/unbind_stress.sh's load (the engine's target
# syncstate-board) for BENCH_PD_SECONDS (default 30; the supplier pauses
# 5 ms after each unbind and bind, so 100/s is the ceiling).
#
# Torture engine against the shell loops (bench/torture_rate.sh), each case
# for BENCH_TORTURE_SECONDS (default 10), one after the other in the same
# guest: driver_override write+read operations per second of one writer and
# one reader on pci-testdev, the shell loops race_stress.sh had (echo and
# read builtins) against the engine (target bench-override); unbind+bind
# cycles per second of pci-testdev: the shell's tight loop (two echo
# builtins a cycle, no fork, nothing else running: the kernel's
# single-thread ceiling) against the engine in strict alternation (target
# bench-bind) with one thread and with two; BENCH_TORTURE_ROUNDS (default
# 3) rounds of the three, alternating, each case's median reported. Rates
# are operations (cycles) over the case's wall time (/proc/uptime for the
# shell, the engine's clock).
#
# driver_override read cost (bench/override_read_cost.sh): one read() of
# lifecycle_override_readers runs BENCH_OVERRIDE_ROUNDS (default 100000) rounds of driver_override() (a
# copy), has_driver_override() and driver_override_matches() on
# pci-testdev, in the kernel; timed from the guest shell (/proc/uptime)
# around the read, three reads with no override set and three with a
# 17-byte one, the median of each; their difference is the copy's cost.
#
# Race detection (suite bench-detect, a boot of its own, every case
# failing on purpose): for each race of the negative controls, the same
# racy module with the same parameters under the shell loops the control
# used and under the engine (--stop-on-splat), timed from a kernel log
# marker just before the load starts (modules loaded before) to its first
# KASAN report, in the log's timestamps; BENCH_DETECT_SECONDS (default 60)
# is the limit of a load, BENCH_DETECT_ROUNDS (default 5) the rounds of
# each (shell and engine alternating), each case's median reported.
. "$(dirname "$0")/lib.sh"

iters=${BENCH_ITERS:-10000000}
cycles=${BENCH_CYCLES:-200}
unbinds=${BENCH_UNBINDS:-5}
pd_seconds=${BENCH_PD_SECONDS:-30}
torture_seconds=${BENCH_TORTURE_SECONDS:-10}
torture_rounds=${BENCH_TORTURE_ROUNDS:-3}
detect_seconds=${BENCH_DETECT_SECONDS:-60}
detect_rounds=${BENCH_DETECT_ROUNDS:-5}
batch_iters=${BENCH_BATCH_ITERS:-1000000}
override_rounds=${BENCH_OVERRIDE_ROUNDS:-100000}
prepared
mapfile -t guest < <(EXTRA_MODULES='' EXTRA_SELFTESTS='' guest_args)
out=$TOP/out/bench
"$drvlife" run "${guest[@]}" --out "$out" \
	--suite bench --append "drvlife.bench_iters=$iters drvlife.bench_cycles=$cycles drvlife.bench_unbinds=$unbinds drvlife.pd_bench_seconds=$pd_seconds drvlife.torture_bench_seconds=$torture_seconds drvlife.torture_bench_rounds=$torture_rounds drvlife.bench_batch_iters=$batch_iters drvlife.bench_override_rounds=$override_rounds" \
	--quiet
# The detection cases, in a boot of their own: each fails on purpose (KASAN),
# and the host must reach the verdicts of bench-detect/expected.
"$drvlife" run "${guest[@]}" --out "$out/detect" --suite bench-detect \
	--expect "$TOP/scripts/selftests/bench-detect/expected" \
	--append "drvlife.detect_seconds=$detect_seconds drvlife.detect_rounds=$detect_rounds" --quiet ||
	log "bench-detect: the host's verdicts are not those of bench-detect/expected ($out/detect)"
# torture_table CONSOLE: the engine against the shell, from the
# bench-torture lines of CONSOLE: each case's median rate over its rounds.
torture_table() {
	echo "torture engine against the shell loops (${torture_seconds}s per case, same guest, median of the rounds):"
	grep -o 'bench-torture: .*' "$1" | awk '
		{
			split($2, c, "="); split($3, o, "="); split($4, m, "=")
			k = c[2]; n[k]++
			r[k, n[k]] = (m[2] > 0 ? o[2] * 1000 / m[2] : 0)
			if (!(k in seen)) { seen[k] = 1; order[++cases] = k }
		}
		function median(k,   i, j, t, a) {
			for (i = 1; i <= n[k]; i++) a[i] = r[k, i]
			for (i = 1; i <= n[k]; i++) for (j = i + 1; j <= n[k]; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
			return n[k] % 2 ? a[(n[k] + 1) / 2] : (a[n[k] / 2] + a[n[k] / 2 + 1]) / 2
		}
		END {
			for (i = 1; i <= cases; i++) {
				k = order[i]; rate[k] = median(k); line = ""
				for (j = 1; j <= n[k]; j++) line = line sprintf("%s%.1f", j > 1 ? " " : "", r[k, j])
				printf "  %-16s %10.1f /s  (rounds: %s)\n", k, rate[k], line
			}
			if (rate["override-shell"] > 0)
				printf "  override write+read: engine %.1fx the shell (goal 20x)\n", rate["override-engine"] / rate["override-shell"]
			if (rate["bind-shell"] > 0)
				printf "  bind/unbind against the ceiling (the shell tight loop): engine 1 thread %.0f%%, 2 threads %.0f%% (goal 80%%)\n", \
					100 * rate["bind-engine-1"] / rate["bind-shell"], 100 * rate["bind-engine-2"] / rate["bind-shell"]
		}'
}
# detect_table CONSOLE: time to the first KASAN report per race, shell
# against engine, from the bench-detect lines of CONSOLE: the median of
# the rounds (a load not detected counts as the limit, a lower bound).
detect_table() {
	echo "race detection: start of the load to its first KASAN report (limit ${detect_seconds}s a load, median of the rounds):"
	grep -o 'bench-detect: case=.*' "$1" | awk -v limit="$detect_seconds" '
		{
			split($2, c, "="); split($3, l, "="); split($4, m, "=")
			k = c[2] SUBSEP l[2]; n[k]++
			v[k, n[k]] = (m[2] == "none" ? limit * 1000 : m[2])
			miss[k] += (m[2] == "none")
			if (!(c[2] in seen)) { seen[c[2]] = 1; order[++cases] = c[2] }
		}
		function median(k,   i, j, t, a) {
			for (i = 1; i <= n[k]; i++) a[i] = v[k, i]
			for (i = 1; i <= n[k]; i++) for (j = i + 1; j <= n[k]; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
			return n[k] % 2 ? a[(n[k] + 1) / 2] : (a[n[k] / 2] + a[n[k] / 2 + 1]) / 2
		}
		function all(k,   i, s) { for (i = 1; i <= n[k]; i++) s = s (i > 1 ? " " : "") v[k, i]; return s }
		END {
			for (i = 1; i <= cases; i++) {
				k = order[i]; s = k SUBSEP "shell"; e = k SUBSEP "engine"
				ms = median(s); me = median(e)
				printf "  %-16s shell %d ms (%s%s), engine %d ms (%s%s)", k, ms, all(s), miss[s] ? "; " miss[s] " not detected" : "", me, all(e), miss[e] ? "; " miss[e] " not detected" : ""
				if (me > 0) printf ": engine %.1fx sooner (goal 5x)", ms / me
				printf "\n"
			}
		}'
}
# insns FILE SYMBOL: instructions in SYMBOL's disassembly (static count).
insns() {
	"llvm-objdump$LLVM" -d --no-show-raw-insn --disassemble-symbols="$2" "$1" 2>/dev/null |
		grep -cE '^[[:space:]]*[0-9a-f]+:'
}
# callees FILE SYMBOL: the functions SYMBOL calls (relocations of a module).
callees() {
	"llvm-objdump$LLVM" -d -r --no-show-raw-insn --disassemble-symbols="$2" "$1" 2>/dev/null |
		sed -n 's/.*R_X86_64_PLT32[[:space:]]*\([^ +-]*\).*/\1/p' | grep -v '^__asan' | sort -u | tr '\n' ' '
}
accel=$(sed -n 's/.*"accel":"\([^"]*\)".*/\1/p' "$out/results.json")
line=$(grep -o 'bench: iters=.*' "$out/console.log" | tail -n1)
[ -n "$line" ] || die "no benchmark output in $out/console.log"
{
	echo "Devres accessor cost, $(date -u +%F), accelerator: $accel"
	echo "method: $iters calls per accessor in the edu driver's probe, monotonic clock around each loop"
	for key in plain access try_access try_access_with; do
		ps=$(echo "$line" | sed -n "s/.* ${key}_ps=\([0-9]*\).*/\1/p")
		floor=$(echo "$line" | sed -n 's/.* plain_ps=\([0-9]*\).*/\1/p')
		awk -v k="$key" -v ps="$ps" -v f="$floor" \
			'BEGIN { printf "  %-16s %10.2f ns/call  %6.2fx the plain read\n", k, ps / 1000, (f > 0 ? ps / f : 0) }'
	done
	echo "bind/unbind rate of the edu device ($cycles cycles, sysfs from the guest shell):"
	grep -o 'bench-rate: .*' "$out/console.log" | while read -r _ children c ms; do
		c=${c#cycles=}
		ms=${ms#ms=}
		awk -v ch="${children#children=}" -v c="$c" -v ms="$ms" \
			'BEGIN { printf "  %d children: %6.1f cycles/s (%d cycles in %d ms)\n", ch, c * 1000 / ms, c, ms }'
	done
	echo "unbind latency with K extra Devres alive ($unbinds unbinds each, sysfs from the guest shell):"
	grep -o 'bench-unbind: .*' "$out/console.log" | while read -r _ case k n ms; do
		awk -v c="${case#case=}" -v k="${k#k=}" -v n="${n#unbinds=}" -v ms="${ms#ms=}" \
			'BEGIN { printf "  K=%-3d %-9s %8.1f ms per unbind\n", k, c, ms / n }'
	done
	echo "unbind latency with K objects held past it, per design (ms per unbind; ratio to K=1):"
	grep -o 'bench-batch-unbind: .*' "$out/console.log" | awk '
		{ split($2, d, "="); split($3, k, "="); split($4, n, "="); split($5, us, "=")
		  ms = us[2] / n[2] / 1000; v[d[2], k[2]] = ms; if (!(d[2] in seen)) { seen[d[2]] = 1; order[++nd] = d[2] } }
		END { printf "  %-7s %10s %10s %10s %10s %12s\n", "design", "K=1", "K=10", "K=100", "K=1000", "K=1000/K=1"
		      for (i = 1; i <= nd; i++) { x = order[i]
		        printf "  %-7s %10.1f %10.1f %10.1f %10.1f %11.2fx\n", x, v[x, 1], v[x, 10], v[x, 100], v[x, 1000], (v[x, 1] > 0 ? v[x, 1000] / v[x, 1] : 0) } }'
	echo "the same less the time spent freeing the payloads (timed in their drop, every design pays it):"
	grep -o 'bench-batch-unbind: .*' "$out/console.log" | awk '
		{ split($2, d, "="); split($3, k, "="); split($4, n, "="); split($5, us, "="); split($6, dr, "=")
		  ms = (us[2] - dr[2]) / n[2] / 1000; v[d[2], k[2]] = ms; if (!(d[2] in seen)) { seen[d[2]] = 1; order[++nd] = d[2] } }
		END { printf "  %-7s %10s %10s %10s %10s %12s\n", "design", "K=1", "K=10", "K=100", "K=1000", "K=1000/K=1"
		      for (i = 1; i <= nd; i++) { x = order[i]
		        printf "  %-7s %10.1f %10.1f %10.1f %10.1f %11.2fx\n", x, v[x, 1], v[x, 10], v[x, 100], v[x, 1000], (v[x, 1] > 0 ? v[x, 1000] / v[x, 1] : 0) } }'
	echo "accessor cost per design ($batch_iters calls; ns per call):"
	grep -o 'bench-batch-access: .*' "$out/console.log" | while read -r _ design _ access twith; do
		awk -v d="${design#design=}" -v a="${access#access_ps=}" -v t="${twith#try_access_with_ps=}" \
			'BEGIN { printf "  %-6s probe, one reader: access() %8.2f  try_access_with() %8.2f\n", d, a / 1000, t / 1000 }'
	done
	grep -o 'bench-batch-readers: .*' "$out/console.log" | while read -r _ design _ one two; do
		two=${two#two_ps=}
		awk -v d="${design#design=}" -v o="${one#one_ps=}" -v a="${two%,*}" -v b="${two#*,}" \
			'BEGIN { printf "  %-6s read(), try_access_with(): one reader %8.2f  two readers %8.2f and %8.2f\n", d, o / 1000, a / 1000, b / 1000 }'
	done
	echo "accessor hot path, static instruction counts from the disassembly (KASAN and lockdep builds; callees counted apart):"
	for mod in lifecycle_devres_batch lifecycle_devres_batch_rwsem; do
		ko=$TOP/samples/devres_batch/$mod.ko
		for fn in try_index access_index; do
			sym=$("llvm-nm$LLVM" "$ko" | awk -v f="$fn" '$3 ~ f { print $3; exit }')
			[ -n "$sym" ] || continue
			echo "  $mod $fn: $(insns "$ko" "$sym") instructions, calls: $(callees "$ko" "$sym")"
		done
	done
	for sym in rust_helper_rcu_read_lock rust_helper_rcu_read_unlock rust_helper_atomic_i8_read down_read up_read; do
		echo "  vmlinux $sym: $(insns "$kdir/vmlinux" "$sym") instructions"
	done
	echo "queue_sync_state: from the last consumer's bind request to its domain's release:"
	grep -o 'bench-pd-latency: .*' "$out/console.log" | while read -r _ k n mean max; do
		echo "  K=${k#k=} domains: mean ${mean#mean_us=} us, max ${max#max_us=} us over ${n#n=} releases"
	done
	echo "genpd (real genpd, DT overlay, fw_devlink): from the bind of a domain's second consumer to its power-off:"
	grep -o 'bench-genpd-latency: .*' "$out/console.log" | while read -r _ k n mean max; do
		echo "  K=${k#k=} domains: mean ${mean#mean_us=} us, max ${max#max_us=} us over ${n#n=} releases"
	done
	echo "genpd: card bound (overlay applied, devices populated and probed) to all domains released:"
	grep -o 'bench-genpd-apply: .*' "$out/console.log" | while read -r _ k us offs; do
		awk -v k="${k#k=}" -v us="${us#us=}" -v o="${offs#offs=}" \
			'BEGIN { printf "  K=%d domains: %.1f ms (%d domains off)\n", k, us / 1000, o }'
	done
	echo "queue_sync_state: supplier unbind/bind cycles under the stress:"
	grep -o 'bench-pd-rate: .*' "$out/console.log" | while read -r _ secs u p _; do
		awk -v s="${secs#secs=}" -v u="${u#unbinds=}" -v p="${p#probes=}" \
			'BEGIN { printf "  %.1f cycles/s (%d in %d s, %d consumer probes)\n", u / s, u, s, p }'
	done
	echo "driver_override read through the Rust API (rounds of the three accessors in the kernel, median of 3 reads):"
	grep -o 'bench-override-read: .*' "$out/console.log" | awk '
		{ split($2, c, "="); split($4, ms, "="); split($3, r, "="); rounds = r[2]; n[c[2]]++; v[c[2], n[c[2]]] = ms[2]
		  if (!(c[2] in seen)) { seen[c[2]] = 1; order[++nc] = c[2] } }
		END { for (i = 1; i <= nc; i++) { x = order[i]; m = n[x]
		        for (a = 1; a <= m; a++) for (b = a + 1; b <= m; b++) if (v[x, b] < v[x, a]) { t = v[x, a]; v[x, a] = v[x, b]; v[x, b] = t }
		        med[x] = v[x, int((m + 1) / 2)]
		        printf "  %-6s %8d ms for %d rounds: %8.0f ns per round\n", x, med[x], rounds, med[x] * 1e6 / rounds }
		      if (("unset" in med) && ("set17" in med))
		        printf "  the copy of a 17-byte value: %.0f ns per call\n", (med["set17"] - med["unset"]) * 1e6 / rounds }'
	torture_table "$out/console.log"
	detect_table "$out/detect/console.log"
} | tee "$out/results.txt"
