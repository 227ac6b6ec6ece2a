#!/bin/sh
# edu's interrupt: the handler acknowledges it through access() (its
# registration lives in the driver data, so it is freed before the BAR is
# revoked); a file's write() raises it through try_access_with() and waits
# for the acknowledgement. While bound every interrupt raised is handled;
# unbind under a writer frees the vector and the writer gets ENODEV; no
# handler runs after unbind; a rebind gives a working file while the old
# one stays dead; bind/unbind cycles race writers that reopen the device;
# counters add up and the handler's access() never failed. The cycles
# racing the writers are the torture engine's (target devres-edu-irq).
#
# Kernel command line: drvlife.devres_irq_seconds=N (default 4).
. ./common.inc
# shellcheck source=../lib-host.sh
. ../lib-host.sh
# shellcheck source=../lib-torture.sh
. ../lib-torture.sh
devres_setup
SECONDS_RUN=$(cmdline_value devres_irq_seconds 4)
OUT=/tmp/devres-edu-irq.ktap

ktap_header
ktap_plan 8

dev=$(edu_dev) || { ktap_fail "edu device present"; ktap_finish; }
name=$(basename "$dev")
insmod_mod "$EDU_MOD" children=0
ktap_check "the MSI vector is registered (/proc/interrupts)" irq_registered

exec 3>"$EDU_WNODE"
ktap_check "100 interrupts raised through a file, each handled and acknowledged" irq_writes 3 100

# One writer raising interrupts back to back while the device is unbound.
rm -f /tmp/irq-writer.*
(
	n=0
	while err=$(irq_write 3 .w); do n=$((n + 1)); done
	echo "$n" >/tmp/irq-writer.count
	echo "$err" >/tmp/irq-writer.err
) &
writer=$!
sleep 1
t0=$(uptime_ms)
echo "$name" >"$EDU_DRV/unbind"
t1=$(uptime_ms)
wait "$writer"
ktap_info "writer: $(cat /tmp/irq-writer.count) interrupts before unbind, then '$(cat /tmp/irq-writer.err)'; unbind took $((t1 - t0)) ms"
if grep -q "No such device" /tmp/irq-writer.err && ! irq_registered; then
	ktap_pass "unbind under a writer: vector freed, the writer ends with ENODEV"
else
	ktap_fail "unbind under a writer: vector freed, the writer ends with ENODEV"
fi

calls=$(irq_stat handler_calls)
refused=$(irq_stat refused)
out=$(irq_write 3)
rc=$?
sleep 1
ktap_info "write after unbind: rc=$rc: $out; handler calls $calls -> $(irq_stat handler_calls)"
if [ "$rc" -ne 0 ] && [ "$out" = "No such device" ] &&
	[ "$(irq_stat refused)" -eq $((refused + 1)) ] && [ "$(irq_stat handler_calls)" -eq "$calls" ]; then
	ktap_pass "write after unbind fails with ENODEV, is counted, no handler runs"
else
	ktap_fail "write after unbind fails with ENODEV, is counted, no handler runs"
fi

echo "$name" >"$EDU_DRV/bind"
exec 4>"$EDU_WNODE"
ktap_check "after rebind a new file raises handled interrupts" irq_writes 4 10
ktap_check "the old file stays dead after rebind" sh -c "! echo 1 >&3 2>/dev/null"
exec 4>&-

# Bind/unbind cycles racing two writers that keep their files open and
# reopen after a failure: the torture engine (target devres-edu-irq).
torture_run "$OUT" devres-edu-irq --seconds "$SECONDS_RUN"
status=$?
cycles=$(torture_stat "$OUT" cycler ok)
handled=$(torture_stat "$OUT" writer ok)
ktap_info "$cycles unbind/bind operations, $handled interrupts raised and acknowledged by the writers, $(irq_stat revoked_waiting) revoked while waiting"
if [ "$status" -eq 0 ] && [ "$cycles" -gt 0 ] && [ "$handled" -gt 0 ]; then
	ktap_pass "bind/unbind cycles racing two writers: only allowed errnos, no node without a driver"
else
	ktap_fail "bind/unbind cycles racing two writers (engine status $status, $cycles cycler operations, $handled handled)"
fi
[ -e "$dev/driver" ] || echo "$name" >"$EDU_DRV/bind"

exec 3>&-
irq_counters_add_up
added_up=$?
rmmod "$EDU_MOD"
if [ "$added_up" -eq 0 ] && ! module_loaded "$EDU_MOD"; then
	ktap_pass "irq counters add up, no timeout, handler access() never failed; rmmod"
else
	ktap_fail "irq counters add up, no timeout, handler access() never failed; rmmod"
fi
ktap_finish
