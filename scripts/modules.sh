#!/usr/bin/env bash
# Build (or clean, install, index) the out-of-tree modules under samples/
# against the kernel build the Kbuild way: make -C KDIR M=<this tree> TARGET.
#
# usage: modules.sh [modules|clean|modules_install|rust-analyzer]
. "$(dirname "$0")/lib.sh"

target=${1:-modules}
if [ "$target" = clean ]; then
	# Cleaning must not build a kernel: use one only if it is there.
	kdir=${KDIR:-$(find "$CACHE/kernel" -maxdepth 2 -name out -type d 2>/dev/null | sort -V | tail -n1)}
	if [ -z "$kdir" ] || [ ! -f "$kdir/Makefile" ]; then
		log "no kernel build found; nothing to clean with Kbuild"
		exit 0
	fi
else
	kdir=$("$TOP/scripts/build-kernel.sh")
fi

mapfile -t kmake < <(kmake_vars)
make -C "$kdir" M="$TOP" ARCH=x86_64 "${kmake[@]}" -j"$JOBS" "$target"
