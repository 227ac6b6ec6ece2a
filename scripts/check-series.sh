#!/usr/bin/env bash
# Build the kernel after each patch of the series in turn, as a reviewer
# bisecting the series would: patch K must build with patches 1..K alone.
# Same configuration as the guest kernel (allnoconfig + qemu/kernel.config),
# in a source and build directory of its own in the cache, so the guest
# kernel's build is not touched. Each step builds incrementally on the last.
#
# Not part of `make test`: the driver core patch changes include/linux/device.h,
# after which most of the kernel rebuilds (about 15 minutes in all on 2 cores).
# Run it with `make series-check` when the series changes.
#
# Prints one KTAP line per patch and exits non-zero if any step failed.
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/setup-toolchain.sh" >/dev/null
pristine=${KERNEL_SRC:-$("$TOP/scripts/fetch-kernel.sh")}
fragment=$TOP/qemu/kernel.config
work=$CACHE/series-check
src=$work/src
out=$work/out
mkdir -p "$work"
exec 9>"$work/.lock"
flock 9

mapfile -t patches < <(find "$TOP/rust" -maxdepth 1 -name '*.patch' | sort)
[ "${#patches[@]}" -gt 0 ] || die "no patches in $TOP/rust"

log "series check: fresh copy of $pristine"
rm -rf "$src" "$out"
cp -a --reflink=auto "$pristine" "$src"
mkdir -p "$out"
mapfile -t kvars < <(kmake_vars)
kmake=(make -C "$src" O="$out" ARCH=x86_64 "${kvars[@]}")

echo "TAP version 13"
echo "1..${#patches[@]}"
passed=0
failed=0
k=0
for p in "${patches[@]}"; do
	k=$((k + 1))
	name=$(basename "$p" .patch)
	start=$(date +%s)
	if ! patch -p1 -d "$src" --batch --forward --quiet <"$p" >"$work/step-$k.log" 2>&1; then
		echo "not ok $k $name # does not apply on top of the ones before"
		failed=$((failed + 1))
		break
	fi
	# Configured like the guest kernel; again after each patch in case it
	# changes a Kconfig file.
	"${kmake[@]}" -s KCONFIG_ALLCONFIG="$fragment" allnoconfig >>"$work/step-$k.log" 2>&1
	"${kmake[@]}" -s olddefconfig >>"$work/step-$k.log" 2>&1
	log "series check: building with patches 1..$k ($name)"
	if "${kmake[@]}" -j"$JOBS" bzImage modules >>"$work/step-$k.log" 2>&1; then
		echo "ok $k $name # built in $(($(date +%s) - start)) s"
		passed=$((passed + 1))
	else
		grep -E -B3 -A3 'error' "$work/step-$k.log" | tail -n 30 | sed 's/^/# /'
		echo "not ok $k $name # build failed, log: $work/step-$k.log"
		failed=$((failed + 1))
	fi
done
while [ "$k" -lt "${#patches[@]}" ]; do
	k=$((k + 1))
	echo "ok $k $(basename "${patches[$((k - 1))]}" .patch) # SKIP an earlier patch does not apply"
done
report_counts series-check "$passed" "$failed"
[ "$failed" -eq 0 ]
