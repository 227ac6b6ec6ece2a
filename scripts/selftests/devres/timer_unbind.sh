#!/bin/sh
# A timer that outlives the binding: each open file runs a periodic timer
# (timer_period_us) that checks the device with try_access_with() in
# interrupt context and that unbind does not stop. While bound its ticks
# succeed; after unbind every tick is refused; bind/unbind cycles race the
# ticks; a file opened after rebind gets a working timer while the old one
# stays refused; closing the files stops the timers; counters add up. The
# cycles racing the ticks are the torture engine's (target
# devres-edu-timer).
#
# Kernel command line: drvlife.devres_timer_seconds=N (default 4).
. ./common.inc
# shellcheck source=../lib-host.sh
. ../lib-host.sh
# shellcheck source=../lib-torture.sh
. ../lib-torture.sh
devres_setup
SECONDS_RUN=$(cmdline_value devres_timer_seconds 4)
OUT=/tmp/devres-edu-timer.ktap

ktap_header
ktap_plan 6

dev=$(edu_dev) || { ktap_fail "edu device present"; ktap_finish; }
name=$(basename "$dev")
kmsg "mark timer"
insmod_mod "$EDU_MOD" children=0 timer_period_us=2000

exec 3<"$EDU_NODE"
sleep 1
ok_bound=$(timer_stat succeeded)
refused_bound=$(timer_stat refused)
ktap_info "bound, 1 s: $ok_bound ticks succeeded, $refused_bound refused"
if [ "$ok_bound" -gt 0 ] && [ "$refused_bound" -eq 0 ]; then
	ktap_pass "timer ticks succeed while bound ($ok_bound)"
else
	ktap_fail "timer ticks succeed while bound ($ok_bound succeeded, $refused_bound refused)"
fi

echo "$name" >"$EDU_DRV/unbind"
ok_at_unbind=$(timer_stat succeeded)
refused_at_unbind=$(timer_stat refused)
sleep 1
ok_later=$(timer_stat succeeded)
refused_later=$(timer_stat refused)
ktap_info "unbound, 1 s: succeeded $ok_at_unbind -> $ok_later, refused $refused_at_unbind -> $refused_later"
if [ "$ok_later" -eq "$ok_at_unbind" ] && [ "$refused_later" -gt "$refused_at_unbind" ]; then
	ktap_pass "after unbind the timer keeps running and every tick is refused"
else
	ktap_fail "after unbind the timer keeps running and every tick is refused"
fi

# Cycles racing the ticks of the timers of two files held across unbinds
# and reopened after a failure: the torture engine (target
# devres-edu-timer).
torture_run "$OUT" devres-edu-timer --seconds "$SECONDS_RUN"
status=$?
cycles=$(torture_stat "$OUT" cycler ok)
reads=$(torture_stat "$OUT" reader ok)
ktap_info "$cycles unbind/bind operations, $reads reads, timers ticking"
if [ "$status" -eq 0 ] && [ "$cycles" -gt 0 ] && [ "$reads" -gt 0 ]; then
	ktap_pass "bind/unbind cycles with timers ticking in files held across them: only allowed errnos"
else
	ktap_fail "bind/unbind cycles with timers ticking (engine status $status, $cycles cycler operations, $reads reads)"
fi

[ -e "$dev/driver" ] || echo "$name" >"$EDU_DRV/bind"
exec 5<"$EDU_NODE"
ok_before=$(timer_stat succeeded)
sleep 1
ok_after=$(timer_stat succeeded)
ktap_check "after rebind a new file's timer succeeds ($ok_before -> $ok_after)" [ "$ok_after" -gt "$ok_before" ]

exec 3<&- 5<&-
ticks_closed=$(timer_stat ticks)
sleep 1
ticks_later=$(timer_stat ticks)
ktap_check "closing the files stops their timers ($ticks_closed -> $ticks_later ticks)" \
	[ "$ticks_later" -eq "$ticks_closed" ]

ticks=$(timer_stat ticks)
succeeded=$(timer_stat succeeded)
refused=$(timer_stat refused)
failed=$(timer_stat failed)
ktap_info "timer ticks $ticks = $succeeded succeeded + $refused refused + $failed failed"
rmmod "$EDU_MOD"
if [ "$ticks" -eq $((succeeded + refused)) ] && [ "$failed" -eq 0 ] && ! module_loaded "$EDU_MOD"; then
	ktap_pass "timer counters add up, none failed; rmmod after the files closed"
else
	ktap_fail "timer counters add up, none failed; rmmod after the files closed"
fi
ktap_finish
