#!/bin/sh
# Probe error paths under fault injection: the edu probe (Devres BAR,
# auxiliary children, misc device) is run with the Nth
# fault-injectable allocation of the binding task failing, for N = 1, 2, ...
# until a bind goes through without reaching the injected fault. Every
# failed bind must leave the device unbound with no child and no device
# node; the next clean bind works. KASAN, lockdep and kmemleak (the host's
# scan) judge the unwinding.
#
# The interrupt is left out (irq=0): Linux 7.3's register_irq_proc()
# ignores a failed proc_create() under /proc/irq/N and unregister_irq_proc()
# then WARNs when the vector is freed (kernel/irq/proc.c). The harness
# rightly fails on that WARNING, but it is not a lifecycle bug of a driver.
#
# Kernel command line: drvlife.fault_max=N (default 400 attempts).
. ./common.inc

ktap_header
ktap_plan 4

dev=$(edu_dev) || { ktap_fail "edu device present"; ktap_finish; }
name=$(basename "$dev")
fs=/sys/kernel/debug/failslab
if [ ! -w "/proc/$$/fail-nth" ] || [ ! -d "$fs" ]; then
	ktap_skip "no fault injection (CONFIG_FAULT_INJECTION_DEBUG_FS, CONFIG_FAILSLAB)"
	ktap_skip "failed binds leave no trace"
	ktap_skip "a clean bind after the faults"
	ktap_skip "rmmod"
	ktap_finish
fi
# Fail GFP_KERNEL allocations too, and do not dump a stack for each fault.
echo N >"$fs/ignore-gfp-wait"
echo 0 >"$fs/verbose"

insmod_mod "$EDU_MOD" children=2 irq=0
echo "$name" >"$EDU_DRV/unbind"

# Between setting fail-nth and reading it back the shell runs only builtins
# and redirections to files opened before: a fork would spend the count.
exec 7>/tmp/fault.err
max=$(cmdline_value fault_max 400)
n=1
failures=0
traces=0
errnos=""
done_clean=n
while [ "$n" -le "$max" ]; do
	echo "$n" >"/proc/$$/fail-nth"
	if echo "$name" 2>&7 >"$EDU_DRV/bind"; then rc=0; else rc=1; fi
	# A count left means the fault was not reached; so does a read that
	# fails: its own open hit the last count.
	read -r left 2>/dev/null <"/proc/$$/fail-nth" || left=1
	echo 0 2>/dev/null >"/proc/$$/fail-nth"
	err=$(tail -n 1 /tmp/fault.err)
	if [ "$rc" -eq 0 ] && [ -e "$dev/driver" ]; then
		if [ "$left" -gt 0 ]; then
			done_clean=y
			break
		fi
		# The fault hit something the probe survives (e.g. a child's
		# probe); unbind and go on.
		echo "$name" >"$EDU_DRV/unbind"
	else
		failures=$((failures + 1))
		e=${err##*: }
		case "$errnos" in *"[$e]"*) ;; *) errnos="${errnos}[$e]" ;; esac
		[ "$e" = "Cannot allocate memory" ] || ktap_info "fault $n: bind failed: $err"
		kids=$(find /sys/bus/auxiliary/devices -name "$EDU_MOD.child.*" | wc -l)
		if [ -e "$dev/driver" ] || [ "$kids" -ne 0 ] || [ -e "$EDU_NODE" ]; then
			traces=$((traces + 1))
			ktap_info "fault $n: bind failed ($err) but left: driver $([ -e "$dev/driver" ] && echo y), $kids children, node $([ -e "$EDU_NODE" ] && echo y)"
		fi
	fi
	n=$((n + 1))
done
exec 7>&-
echo Y >"$fs/ignore-gfp-wait"
ktap_info "$((n - 1)) faults injected: $failures failed binds ($errnos); bind without a fault at attempt $n: $done_clean"
if [ "$done_clean" = y ] && [ "$failures" -gt 0 ]; then
	ktap_pass "probe failed at $failures injected faults, then bound cleanly"
else
	ktap_fail "probe failed at injected faults, then bound cleanly (reached after $max: $done_clean)"
fi
ktap_check "failed binds left no driver, child or device node ($traces did)" [ "$traces" -eq 0 ]

exec 3<"$EDU_NODE"
out=$(read_fd 3)
kids=$(find /sys/bus/auxiliary/devices -name "$EDU_MOD.child.*" | wc -l)
if [ "$out" = "ok 1" ] && [ "$kids" -eq 2 ]; then
	ktap_pass "the clean bind works: a read, 2 children"
else
	ktap_fail "the clean bind works: read '$out', $kids children"
fi
exec 3<&-
ktap_check "rmmod" sh -c "rmmod $EDU_MOD && ! [ -d /sys/module/$EDU_MOD ]"
ktap_finish
