#!/bin/sh
# An open file across unbind: reads after unbind fail with ENODEV (the BAR's
# Devres is revoked, try_access() says so), close() is safe, after rebind a
# new file works while the old one stays dead; rmmod is refused while a file
# is open. access() in probe and unbind is checked through their messages.
. ./common.inc
devres_setup

ktap_header
ktap_plan 10

dev=$(edu_dev) || { ktap_fail "edu device present"; ktap_finish; }
name=$(basename "$dev")
kmsg "mark devres fd"
insmod_mod "$EDU_MOD"
ktap_check "probe bound the edu device, access() read its ID" \
	log_has "mark devres fd" "probe: edu id 0x"

exec 3<"$EDU_NODE"
out=$(read_fd 3)
ktap_check "read on a bound device: '$out'" [ "$out" = "ok 1" ]

echo "$name" >"$EDU_DRV/unbind"
ktap_check "unbind used access(): device alive" log_has "mark devres fd" "unbind: access() ok, device alive: true"
refused_before=$(edu_stat refused)
out=$(read_fd 3)
rc=$?
ktap_info "read after unbind: rc=$rc: $out"
if [ "$rc" -ne 0 ] && echo "$out" | grep -q "No such device"; then
	ktap_pass "read after unbind fails with ENODEV"
else
	ktap_fail "read after unbind fails with ENODEV"
fi
ktap_check "the refused operation was counted" [ "$(edu_stat refused)" -eq $((refused_before + 1)) ]

msg=$(rmmod "$EDU_MOD" 2>&1)
rc=$?
ktap_info "rmmod with a file open: rc=$rc: $msg"
if [ "$rc" -ne 0 ] && module_loaded "$EDU_MOD"; then
	ktap_pass "rmmod refused while a file is open"
else
	ktap_fail "rmmod refused while a file is open"
fi

echo "$name" >"$EDU_DRV/bind"
exec 4<"$EDU_NODE"
out=$(read_fd 4)
ktap_check "after rebind a new file works: '$out'" [ "$out" = "ok 1" ]
ktap_check "the old file stays dead after rebind" sh -c "! dd bs=64 count=1 <&3 >/dev/null 2>&1"

exec 3<&-
exec 4<&-
ktap_check "close() after unbind and rebind is safe; counters add up" counters_add_up
ktap_check "rmmod after the files are closed" sh -c "rmmod $EDU_MOD && ! [ -d /sys/module/$EDU_MOD ]"
ktap_finish
