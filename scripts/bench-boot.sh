#!/usr/bin/env bash
# Boot-time benchmark (make bench-boot; not a test): boots the test guest
# BENCH_BOOTS times (default 3) per profile with `drvlife exec true` and
# reports, per profile, the mean guest time from power-on to init (the
# kernel's timestamp of "drvlife: init: mode", i.e. boot done) and the mean
# host wall time of the whole boot + command + power-off. Profiles are
# extra kernel command lines; every detector stays on in all of them:
#   full    what the tests use
#   quiet   loglevel=1: boot messages stay in the ring buffer (the guest
#           saves them, /tmp/boot.log) instead of the 8250 serial console
#   notsc   tsc=reliable: no clocksource watchdog (its check on TCG is what
#           prints "Watchdog remote CPU 1 read timed out")
# Also: the cost of DEBUG_KOBJECT_RELEASE per module unload, as the mean
# time of 10 insmod+rmmod of lifecycle_basic with the delay and with
# kobject_release_delay=0 (our series' boot parameter).
# Results: out/bench-boot/results.txt.
. "$(dirname "$0")/lib.sh"

boots=${BENCH_BOOTS:-3}
prepared
mapfile -t guest < <(EXTRA_MODULES='' EXTRA_SELFTESTS='' guest_args)
out=$TOP/out/bench-boot
rm -rf "$out"
mkdir -p "$out"

# boot_once DIR APPEND COMMAND: prints "GUEST_INIT_S WALL_S".
boot_once() {
	local dir=$1 append=$2 cmd=$3 start end t
	start=$(date +%s.%N)
	"$drvlife" exec "${guest[@]}" --out "$dir" --append "$append" -- "$cmd" \
		>"$dir.stdout" 2>"$dir.stderr" || die "boot in $dir failed (see $dir.stderr)"
	end=$(date +%s.%N)
	t=$(sed -n 's/^\[ *\([0-9.]*\)\] drvlife: init: mode.*/\1/p' "$dir/console.log" | head -n1)
	[ -n "$t" ] || t=$(sed -n 's/.*\[ *\([0-9.]*\)\] drvlife: init: mode.*/\1/p' "$dir/console.log" | head -n1)
	echo "${t:-nan} $(echo "$end - $start" | bc)"
}

{
	echo "Boot time of the test guest, $(date -u +%F), $(nproc) host CPUs, $boots boots per profile"
	for profile in full quiet notsc; do
		case "$profile" in
		full) append="" ;;
		quiet) append="loglevel=1" ;;
		notsc) append="tsc=reliable" ;;
		esac
		for i in $(seq "$boots"); do
			boot_once "$out/$profile-$i" "$append" true
		done | awk -v p="$profile" -v a="${append:-(none)}" \
			'{ g += $1; w += $2; n++ } END { printf "  %-6s %-14s init at %5.1f s guest time, %5.1f s wall per boot (n=%d)\n", p, a, g / n, w / n, n }'
	done
	# shellcheck disable=SC2016 # expanded by the guest's shell
	unload='t0=$(cut -d" " -f1 /proc/uptime); i=0; while [ $i -lt 10 ]; do insmod /modules/lifecycle_basic.ko; rmmod lifecycle_basic; i=$((i + 1)); done; t1=$(cut -d" " -f1 /proc/uptime); awk -v a="$t0" -v b="$t1" "BEGIN { print \"unload-ms\", (b - a) * 100 }"'
	for delay in on off; do
		append=""
		[ "$delay" = off ] && append="kobject_release_delay=0"
		boot_once "$out/unload-$delay" "$append" "$unload" >/dev/null
		ms=$(sed -n 's/^unload-ms \([0-9.]*\).*/\1/p' "$out/unload-$delay.stdout")
		echo "  insmod+rmmod of lifecycle_basic, DEBUG_KOBJECT_RELEASE delay $delay: ${ms:-?} ms per cycle (mean of 10)"
	done
} | tee "$out/results.txt"
