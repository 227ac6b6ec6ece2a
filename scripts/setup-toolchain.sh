#!/usr/bin/env bash
# Install what the kernel build, the guest image and the host tools need.
# Idempotent: installs only what is missing. Needs root for apt.
#
# Kernel toolchain: Debian bookworm's rustc-web/rust-web-src (rustc with its
# library source, sysroot /usr), LLVM 19, and bindgen-cli from the crate
# registry installed into the cache.
. "$(dirname "$0")/lib.sh"

PACKAGES=(
	rustc-web rust-web-src rust-web-clippy rustfmt-web
	clang-19 lld-19 llvm-19 libclang-19-dev
	make flex bison bc libelf-dev libssl-dev cpio xz-utils zstd
	qemu-system-x86 busybox-static
	python3 shellcheck acpica-tools
)

missing=()
for pkg in "${PACKAGES[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing+=("$pkg")
done

if [ "${#missing[@]}" -gt 0 ]; then
	[ "$(id -u)" -eq 0 ] || die "missing packages (${missing[*]}); run as root or install them"
	log "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq || die "apt-get update failed"
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
		die "apt-get install failed for: ${missing[*]}"
fi

# bindgen-cli: kernel minimum is $BINDGEN_MIN.
have=""
if [ -x "$BINDGEN" ]; then
	have=$("$BINDGEN" --version 2>/dev/null | awk '{print $2}')
fi
if [ -z "$have" ] || ! version_ge "$have" "$BINDGEN_MIN"; then
	command -v cargo >/dev/null || die "cargo not found: needed to install bindgen-cli"
	log "installing bindgen-cli $BINDGEN_VERSION into $CACHE/tools"
	cargo install --quiet --locked --root "$CACHE/tools" \
		--version "$BINDGEN_VERSION" bindgen-cli ||
		die "cargo install bindgen-cli failed"
fi

# Check the result; name whatever is still missing.
problems=()
for tool in "$RUSTC" "$RUSTDOC" "clang$LLVM" "ld.lld$LLVM" "llvm-ar$LLVM" \
	"$BINDGEN" qemu-system-x86_64 iasl flex bison bc cpio; do
	command -v "$tool" >/dev/null 2>&1 || problems+=("$tool")
done
[ -d /usr/lib/rustlib/src/rust/library/core ] || problems+=("rust-src (/usr/lib/rustlib/src/rust)")
[ -e "$LIBCLANG_PATH/libclang.so" ] || problems+=("libclang ($LIBCLANG_PATH/libclang.so)")
[ -x /bin/busybox ] || problems+=("/bin/busybox (busybox-static)")
[ "${#problems[@]}" -eq 0 ] || die "toolchain incomplete, missing: ${problems[*]}"

log "toolchain ready: $("$RUSTC" --version), $("$BINDGEN" --version), clang$LLVM"
