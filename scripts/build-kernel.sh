#!/usr/bin/env bash
# Build the guest kernel: pristine 7.3 source + our patch series (rust/*.patch)
# + qemu/kernel.config on an allnoconfig base. Prints the build directory
# (usable as KDIR for the out-of-tree modules).
#
# The build lives in the cache, one tree per kernel version, and is keyed by
# kernel version, config fragment, patch series and toolchain versions: when
# none of these changed, nothing is run; when one did, the same build
# directory is reused so make rebuilds only what changed.
#
# KDIR=/built/tree skips all of this (your tree, configured and built by you).
# KERNEL_SRC=/src/tree builds your 7.3 source instead of Debian's package.
. "$(dirname "$0")/lib.sh"

if [ -n "${KDIR:-}" ]; then
	[ -f "$KDIR/Module.symvers" ] || die "KDIR=$KDIR is not a built kernel tree (no Module.symvers)"
	grep -q '^CONFIG_RUST=y' "$KDIR/.config" || die "KDIR=$KDIR was built without CONFIG_RUST"
	echo "$KDIR"
	exit 0
fi

pristine=${KERNEL_SRC:-$("$TOP/scripts/fetch-kernel.sh")}
[ -f "$pristine/Makefile" ] || die "no kernel source at $pristine"
kver=$(make -s -C "$pristine" kernelversion)
case "$kver" in
"$KERNEL_SERIES" | "$KERNEL_SERIES".*) ;;
*) die "kernel source $pristine is $kver, not $KERNEL_SERIES.x" ;;
esac

fragment=$TOP/qemu/kernel.config

# Keys: patched source (kernel + series), and whole build (+ config options
# + toolchain versions). Computed by the harness, which has unit tests for them.
drvlife=$(drvlife_bin)
read -r patch_key build_key < <("$drvlife" cache-key \
	--kernel "$kver $pristine" --fragment "$fragment" --series "$TOP/rust" \
	--tool "$("$RUSTC" --version)" \
	--tool "$("clang$LLVM" --version | head -n1)" \
	--tool "$("$BINDGEN" --version)")
[ -n "$build_key" ] || die "could not compute the build cache key"

work=$CACHE/kernel/$kver
src=$work/src
out=$work/out
mkdir -p "$work"
exec 9>"$work/.lock"
flock 9

if [ "$(cat "$out/.build-key" 2>/dev/null)" = "$build_key" ] &&
	[ -f "$out/arch/x86/boot/bzImage" ]; then
	log "kernel $kver up to date ($build_key)"
	echo "$out"
	exit 0
fi

start=$(date +%s)

# Source tree = pristine + series. Regenerate it when the series changed.
# A file the old or the new series modifies gets a new timestamp only if its
# content changed (make must see it even when it goes back to its pristine,
# older, timestamp); one whose content is what the last build compiled gets
# that build's timestamp back, so that a change to one patch rebuilds what
# that patch touches and not what every patch touches (include/linux/device.h
# and most of the kernel with it).
if [ "$(cat "$src/.patch-key" 2>/dev/null)" != "$patch_key" ]; then
	old_touched=$(cat "$src/.patched-files" 2>/dev/null || true)
	stamps=$work/.patched-stamps
	: >"$stamps"
	printf '%s\n' "$old_touched" | while read -r f; do
		if [ -n "$f" ] && [ -f "$src/$f" ]; then
			printf '%s %s %s\n' "$(sha256sum <"$src/$f" | cut -d' ' -f1)" \
				"$(stat -c %Y "$src/$f")" "$f" >>"$stamps"
		fi
	done
	log "preparing source tree ($(find "$TOP/rust" -maxdepth 1 -name '*.patch' | wc -l) patches)"
	rm -rf "$src"
	cp -a --reflink=auto "$pristine" "$src"
	new_touched=$("$TOP/scripts/apply-series.sh" "$src" "$TOP/rust") || {
		rm -rf "$src"
		die "the patch series does not apply to Linux $kver (see above)"
	}
	printf '%s\n%s\n' "$old_touched" "$new_touched" | sort -u | while read -r f; do
		if [ -z "$f" ] || [ ! -e "$src/$f" ]; then continue; fi
		old=$(awk -v f="$f" '$3 == f { print $1, $2; exit }' "$stamps")
		if [ -n "$old" ] && [ "${old% *}" = "$(sha256sum <"$src/$f" | cut -d' ' -f1)" ]; then
			touch -d "@${old#* }" "$src/$f"
		else
			touch "$src/$f"
		fi
	done
	rm -f "$stamps"
	printf '%s\n' "$new_touched" >"$src/.patched-files"
	echo "$patch_key" >"$src/.patch-key"
fi

mapfile -t kmake < <(kmake_vars)
kmake=(make -C "$src" O="$out" ARCH=x86_64 "${kmake[@]}")

"${kmake[@]}" -s rustavailable >/dev/null ||
	die "make rustavailable failed: the Rust toolchain cannot build Linux $kver (run scripts/setup-toolchain.sh)"

log "configuring (allnoconfig + $(basename "$fragment"))"
"${kmake[@]}" -s KCONFIG_ALLCONFIG="$fragment" allnoconfig >/dev/null
"${kmake[@]}" -s olddefconfig >/dev/null

# Every option we asked for must have survived: a silently dropped detector
# would make the whole test suite meaningless.
"$TOP/scripts/check-config.sh" "$fragment" "$out/.config" || die "kernel config incomplete"

log "building Linux $kver ($JOBS jobs; log: $work/build.log)"
if ! "${kmake[@]}" -j"$JOBS" bzImage modules >"$work/build.log" 2>&1; then
	grep -E -B5 -A5 'error|Error' "$work/build.log" | tail -n 60 >&2
	die "kernel build failed; full log: $work/build.log"
fi
echo "$build_key" >"$out/.build-key"
log "kernel $kver built in $(($(date +%s) - start)) s"
echo "$out"
