#!/usr/bin/env bash
# Print the path of the guest kernel image (building it if needed).
. "$(dirname "$0")/lib.sh"
kdir=$("$TOP/scripts/build-kernel.sh")
echo "$kdir/arch/x86/boot/bzImage"
