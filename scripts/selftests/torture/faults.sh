#!/bin/sh
# The torture engine's fault injection: the target override-pci-faults
# (tools/drvtorture/targets/override-pci-faults.toml): binds, unbinds and
# drivers_probe of our override samples with the Nth slab allocation of
# each failing (N from 1 to 40), override writes with one of their first 3
# failing, readers checking every value read. Pass: the run passes (only
# ENOMEM besides the usual races, every value read was written, the
# invariants hold afterwards: binding follows the override, steering, the
# module unloads), faults were injected in both actors, and (host side) no
# splat: a leak or a use after free on an error path fails it. Skips
# without fault injection in the kernel.
#
# Kernel command line: drvlife.torture_seconds=N (default 4).
# shellcheck source=../ktap.sh
. ../ktap.sh
# shellcheck source=../lib-host.sh
. ../lib-host.sh
# shellcheck source=../lib-fault.sh
. ../lib-fault.sh
# shellcheck source=../lib-torture.sh
. ../lib-torture.sh

ktap_header
if ! fault_available; then
	ktap_plan 0
	ktap_info "SKIP: no per-task fault injection (CONFIG_FAILSLAB, CONFIG_FAULT_INJECTION_DEBUG_FS)"
	exit 4
fi
ktap_plan 2

SECONDS_TOTAL=$(cmdline_value torture_seconds 4)
out=/tmp/override-pci-faults.ktap
if torture_run "$out" override-pci-faults --seconds "$SECONDS_TOTAL"; then
	ktap_pass "${SECONDS_TOTAL}s with allocations failing: every actor and invariant passed"
else
	ktap_fail "${SECONDS_TOTAL}s with allocations failing: every actor and invariant passed"
fi
# faults_injected ACTOR: the count of the engine's "faults: injected N".
faults_injected() {
	awk -v a="$1" '
		$0 ~ "# actor " a " " { mine = 1; next }
		/# actor / { mine = 0 }
		mine && /faults: injected/ { sub(/.*faults: injected /, ""); sub(/,.*/, ""); print; exit }
	' "$out"
}
w=$(faults_injected writer)
b=$(faults_injected binder)
# shellcheck disable=SC2317 # called through ktap_check
both_faulted() { [ "${w:-0}" -gt 0 ] && [ "${b:-0}" -gt 0 ]; }
ktap_check "faults injected into override writes ($w) and binds ($b)" both_faulted
ktap_finish
