#!/usr/bin/env bash
# Everything before the first boot, once: toolchain, host harness, kernel,
# our modules, guest image (EXTRA_MODULES are built by `prepared`, lib.sh). Prints
# "KERNEL INITRD DRVLIFE KDIR" (paths) on its last line; scripts/lib.sh's
# `prepared` reads it, and `make test` hands it to every step.
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/setup-toolchain.sh"
drvlife=$(drvlife_bin)
# The kernel is checked once; the later scripts take it from KDIR.
KDIR=$("$TOP/scripts/build-kernel.sh")
export KDIR
"$TOP/scripts/modules.sh" modules >"$CACHE/modules.log" 2>&1 || {
	cat "$CACHE/modules.log" >&2
	die "building the modules failed"
}
image=$("$TOP/scripts/build-image.sh")
echo "$KDIR/arch/x86/boot/bzImage $image $drvlife $KDIR"
