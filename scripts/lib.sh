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
