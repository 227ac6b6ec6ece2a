# shellcheck shell=bash disable=SC2034 # settings used by the sourcing scripts
# Common settings for the host-side scripts. Source it; do not execute it.
#
# Everything expensive (toolchain helpers, kernel source, kernel build, guest
# images) lives in a cache outside the clone so that later runs and CI on the
# same machine reuse it.

set -euo pipefail

PROJECT=rust-driver-lifecycle
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${DRVLIFE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/$PROJECT}
export TOP CACHE PROJECT

# The kernel series we build against; the newest 7.3.x found is used.
KERNEL_SERIES=7.3

# Kernel toolchain: Debian's rustc-web (it ships rust-src, the rustup toolchain
# first on PATH does not) and LLVM 19. BINDGEN is installed into the cache.
# These go to the kernel's make as variables (not to the environment, so the
# host tools keep building with the rustup toolchain).
LLVM=-19
RUSTC=/usr/bin/rustc
RUSTDOC=/usr/bin/rustdoc
BINDGEN=$CACHE/tools/bin/bindgen
export LIBCLANG_PATH=/usr/lib/llvm-19/lib
BINDGEN_MIN=0.71.1
# The bindgen-cli release we install when none usable is present.
BINDGEN_VERSION=0.73.2

JOBS=${JOBS:-$(nproc)}

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# version_ge A B: true when version A >= version B.
version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

# Make variables for every kernel make invocation.
kmake_vars() {
	printf '%s\n' "LLVM=$LLVM" "RUSTC=$RUSTC" "RUSTDOC=$RUSTDOC" "BINDGEN=$BINDGEN"
}

# The host harness, built on demand (target dir in the cache, shared by clones).
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$CACHE/cargo-target}
drvlife_bin() {
	cargo build --release --quiet --manifest-path "$TOP/Cargo.toml" -p drvlife >&2 ||
		die "building the host harness (tools/drvlife) failed"
	echo "$CARGO_TARGET_DIR/release/drvlife"
}

# The guest's torture engine (tools/drvtorture), built static (glibc's
# libc.a, crt-static) so that the busybox image runs it; the target dir is
# the host harness's, under the target triple.
DRVTORTURE_TARGET=x86_64-unknown-linux-gnu
drvtorture_bin() {
	CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS="-C target-feature=+crt-static" \
		cargo build --release --quiet --manifest-path "$TOP/Cargo.toml" -p drvtorture \
		--target "$DRVTORTURE_TARGET" >&2 ||
		die "building the torture engine (tools/drvtorture) failed"
	echo "$CARGO_TARGET_DIR/$DRVTORTURE_TARGET/release/drvtorture"
}

# Everything the guest steps need, prepared once (scripts/prepare.sh): `make
# test` exports DRVLIFE_PREPARED to its steps; a step run alone prepares for
# itself. Sets kernel, initrd, drvlife and kdir.
prepared() {
	if [ -z "${DRVLIFE_PREPARED:-}" ]; then
		DRVLIFE_PREPARED=$("$TOP/scripts/prepare.sh" | tail -n1)
		export DRVLIFE_PREPARED
	fi
	read -r kernel initrd drvlife kdir <<<"$DRVLIFE_PREPARED"
	[ -n "${kdir:-}" ] || die "preparation failed"
	if [ -n "${EXTRA_MODULES:-}" ]; then
		KDIR=$kdir "$TOP/scripts/extra-modules.sh" "$EXTRA_MODULES" >&2 ||
			die "EXTRA_MODULES: see above"
	fi
}

# The built-in KUnit suites a boot runs: our series' driver core suite, not
# the kernel crate's doctests. Two of those warn or trip KASAN at boot (known
# upstream failures), and any such taint turns lockdep off for the rest of
# the boot ("Disabling lock debugging due to kernel taint"): they run in a
# boot of their own (make test's doctests step, DRVLIFE_BOOT_KUNIT='*').
BOOT_KUNIT_DEFAULT=driver_queue_sync_state

# The kernel's own C drivers of a QEMU device in the image (relative to the
# kernel build), in load order: virtio-pci and virtio_rng under the
# machine's virtio-rng-pci, for the torture target
# tools/drvtorture/targets/virtio-rng.toml.
C_DRIVER_MODULES=(
	drivers/virtio/virtio_ring.ko
	drivers/virtio/virtio.ko
	drivers/virtio/virtio_pci_modern_dev.ko
	drivers/virtio/virtio_pci.ko
	drivers/char/hw_random/rng-core.ko
	drivers/char/hw_random/virtio-rng.ko
)

# The drvlife options every boot shares (after `prepared`): kernel, image,
# machine, selftests, symbols for decoding stack frames, the built-in KUnit
# suites to run at boot, and the user's own modules and suites
# (EXTRA_MODULES=DIR, EXTRA_SELFTESTS=DIR).
guest_args() {
	local ko
	printf '%s\n' --kernel "$kernel" --initrd "$initrd" \
		--selftests "$TOP/scripts/selftests" --machine "$TOP/qemu/machine.args" \
		--probe-cache "$CACHE/kvm-probe" --vmlinux "$kdir/vmlinux" \
		--module-dir "$TOP/samples" --module-dir "$kdir/samples/rust" \
		--module-dir "$kdir/drivers/base/test" \
		--module-dir "$kdir/drivers/virtio" \
		--module-dir "$kdir/drivers/char/hw_random" \
		--known-failures "$TOP/qemu/known-failures" \
		--boot-kunit "${DRVLIFE_BOOT_KUNIT:-$BOOT_KUNIT_DEFAULT}"
	if [ -n "${EXTRA_SELFTESTS:-}" ]; then
		printf '%s\n' --selftests "$(cd "$EXTRA_SELFTESTS" && pwd)"
	fi
	if [ -n "${EXTRA_MODULES:-}" ]; then
		printf '%s\n' --module-dir "$EXTRA_MODULES"
		for ko in "$EXTRA_MODULES"/*.ko; do
			[ -e "$ko" ] && printf '%s\n' --module "$ko"
		done
	fi
	return 0
}

# report_counts NAME PASSED FAILED: the human line "NAME: P passed, F failed"
# and, when $DRVLIFE_COUNTS names a file, the key=value line `make test`
# adds up (scripts/test.sh).
report_counts() {
	echo "$1: $2 passed, $3 failed"
	if [ -n "${DRVLIFE_COUNTS:-}" ]; then
		echo "$1 passed=$2 failed=$3" >>"$DRVLIFE_COUNTS"
	fi
}
