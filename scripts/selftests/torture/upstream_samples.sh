#!/bin/sh
# The torture engine on the kernel's own Rust driver samples, one target
# each (tools/drvtorture/targets/upstream-*.toml): rust_driver_pci under
# bind/unbind, override writers and readers and PCI remove + rescan;
# rust_driver_platform under bind/unbind and the override; and
# rust_driver_auxiliary's parent bind/unbind racing its module's unload and
# reload. Pass: the engine's run passes (no errno outside each actor's
# allowed set, every value read was written, the invariants hold) and
# (host side) no splat.
#
# Kernel command line: drvlife.torture_seconds=N (default 4, per target).
# shellcheck source=../ktap.sh
. ../ktap.sh
# shellcheck source=../lib-host.sh
. ../lib-host.sh
# shellcheck source=../lib-torture.sh
. ../lib-torture.sh

ktap_header
ktap_plan 3

SECONDS_PER_TARGET=$(cmdline_value torture_seconds 4)
for target in upstream-pci upstream-platform upstream-auxiliary; do
	if torture_run "/tmp/$target.ktap" "$target" --seconds "$SECONDS_PER_TARGET"; then
		ktap_pass "$target: ${SECONDS_PER_TARGET}s of torture, every actor and invariant passed"
	else
		ktap_fail "$target: ${SECONDS_PER_TARGET}s of torture, every actor and invariant passed"
	fi
done
ktap_finish
