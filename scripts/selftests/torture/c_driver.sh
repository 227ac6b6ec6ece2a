#!/bin/sh
# The torture engine on a C driver stack of a real QEMU device: the target
# virtio-rng (tools/drvtorture/targets/virtio-rng.toml): virtio-pci on the
# machine's virtio-rng-pci, virtio_rng under it, /dev/hwrng readers from two
# threads while the PCI device is unbound and bound, removed and rescanned,
# its override rewritten and virtio_rng unloaded and reloaded. Pass: the
# engine's run passes (no errno outside each actor's allowed set, every
# override read was written, /dev/hwrng reads fail with ENODEV while the
# device is unbound, the binding follows the override, virtio_rng and
# rng-core unload; virtio_pci stays, see the target) and (host side) no
# splat. Skips when the
# machine has no such device or the kernel no such modules.
#
# Kernel command line: drvlife.torture_seconds=N (default 4).
# shellcheck source=../ktap.sh
. ../ktap.sh
# shellcheck source=../lib-host.sh
. ../lib-host.sh
# shellcheck source=../lib-torture.sh
. ../lib-torture.sh

ktap_header
if ! grep -qx 0x1044 /sys/bus/pci/devices/*/device 2>/dev/null ||
	[ ! -e /modules/virtio-rng.ko ]; then
	ktap_plan 0
	ktap_info "SKIP: no virtio-rng-pci in the machine or no virtio-rng.ko in the image"
	exit 4
fi
ktap_plan 1

SECONDS_TOTAL=$(cmdline_value torture_seconds 4)
if torture_run /tmp/virtio-rng.ktap virtio-rng --seconds "$SECONDS_TOTAL"; then
	ktap_pass "virtio-rng: ${SECONDS_TOTAL}s of torture, every actor and invariant passed"
else
	ktap_fail "virtio-rng: ${SECONDS_TOTAL}s of torture, every actor and invariant passed"
fi
ktap_finish
