#!/usr/bin/env bash
# Boot-time benchmark (make bench-boot; not a test): boots the test guest
# BENCH_BOOTS times (default 3) per profile with `drvlife exec true` and
# reports, per profile, the mean guest time from power-on to init (the
# kernel's timestamp of "drvlife: init: mode", i.e. boot done) and the mean
# host wall time of the whole boot + command + power-off. Profiles are
# variations of the kernel command line or of the machine; every detector
# stays on in all of them:
#   full    what the tests use (qemu/machine.args)
#   quiet   loglevel=1: boot messages stay in the ring buffer and init
#           copies them to the console afterwards (qemu/init), instead of
#           the kernel printing each on the 8250 serial console
#   notsc   tsc=reliable: no clocksource watchdog (its check on TCG is what
#           prints "Watchdog remote CPU 1 read timed out")
#   nonic   without q35's default NIC (and its iPXE option ROM, which the
#           firmware runs) and VGA card: -nic none -vga none
#   noacpihp  PCI hot-plug by the root port itself (pciehp) instead of
#           ACPI: without QEMU's hot-plug AML for every slot
# BENCH_PROFILES="full noacpihp" runs only those.
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

# The machine without the default NIC and VGA card (profile nonic), and
# without ACPI PCI hot-plug (profile noacpihp).
{
	cat "$TOP/qemu/machine.args"
	printf '%s\n' '-nic none' '-vga none'
} >"$out/machine-nonic.args"
{
	cat "$TOP/qemu/machine.args"
	printf '%s\n' '-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off'
} >"$out/machine-noacpihp.args"

# boot_once DIR APPEND COMMAND [MACHINE]: prints "GUEST_INIT_S WALL_S".
boot_once() {
	local dir=$1 append=$2 cmd=$3 machine=${4:-$TOP/qemu/machine.args} start end t
	local args=("${guest[@]}") i
	for i in "${!args[@]}"; do
		if [ "${args[$i]}" = --machine ]; then args[i + 1]=$machine; fi
	done
	start=$(date +%s.%N)
	"$drvlife" exec "${args[@]}" --out "$dir" --append "$append" -- "$cmd" \
		>"$dir.stdout" 2>"$dir.stderr" || die "boot in $dir failed (see $dir.stderr)"
	end=$(date +%s.%N)
	t=$(sed -n 's/^\[ *\([0-9.]*\)\] drvlife: init: mode.*/\1/p' "$dir/console.log" | head -n1)
	[ -n "$t" ] || t=$(sed -n 's/.*\[ *\([0-9.]*\)\] drvlife: init: mode.*/\1/p' "$dir/console.log" | head -n1)
	echo "${t:-nan} $(echo "$end - $start" | bc)"
}

{
	echo "Boot time of the test guest, $(date -u +%F), $(nproc) host CPUs, $boots boots per profile"
	for profile in ${BENCH_PROFILES:-full quiet notsc nonic noacpihp}; do
		append="" machine=$TOP/qemu/machine.args
		case "$profile" in
		full) ;;
		quiet) append="loglevel=1" ;;
		notsc) append="tsc=reliable" ;;
		nonic) machine=$out/machine-nonic.args ;;
		noacpihp) machine=$out/machine-noacpihp.args ;;
		*) die "unknown profile $profile" ;;
		esac
		for i in $(seq "$boots"); do
			boot_once "$out/$profile-$i" "$append" true "$machine"
		done | awk -v p="$profile" -v a="${append:-$(basename "$machine")}" \
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
