#!/usr/bin/env bash
# Everything before the first boot: toolchain, host harness, kernel, modules,
# guest image. Prints "KERNEL INITRD DRVLIFE" (paths) on its last line.
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/setup-toolchain.sh"
drvlife=$(drvlife_bin)
kdir=$("$TOP/scripts/build-kernel.sh")
"$TOP/scripts/modules.sh" modules >"$CACHE/modules.log" 2>&1 || {
	cat "$CACHE/modules.log" >&2
	die "building the modules failed"
}
image=$("$TOP/scripts/build-image.sh")
echo "$kdir/arch/x86/boot/bzImage $image $drvlife"
