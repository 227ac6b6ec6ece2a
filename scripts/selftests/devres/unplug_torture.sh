#!/bin/sh
# The torture engine on the Devres sample under real hot-unplug: the
# target devres-hotplug (tools/drvtorture/targets/devres-hotplug.toml):
# readers of /dev/drvlife-edu from two threads (each read goes through the
# BAR's Devres, try_access_with()) while a binder unbinds and binds the
# edu device and QEMU unplugs and re-plugs it (QMP device_del and
# device_add, asked of the host harness). Pass: every errno allowed
# (ENODEV for a read of a file whose device went away, ENOENT for a node
# or device gone, EBUSY for a bind that lost the race), the device
# re-plugged each time within 30 s, no node without a bound driver, the
# module unloads; host side no splat (KASAN, lockdep, kmemleak).
#
# Kernel command line: drvlife.torture_seconds=N (default 4; a replug
# takes 6-8 s under TCG, the actor's last one finishes after it).
. ./common.inc
# shellcheck source=../lib-torture.sh
. ../lib-torture.sh
devres_setup

ktap_header
ktap_plan 2
edu_dev >/dev/null || { ktap_fail "edu device present"; ktap_finish; }

SECONDS_TOTAL=$(cmdline_value torture_seconds 4)
out=/tmp/devres-hotplug.ktap
if torture_run "$out" devres-hotplug --seconds "$SECONDS_TOTAL"; then
	ktap_pass "${SECONDS_TOTAL}s of readers, binds and QMP replugs: every actor and invariant passed"
else
	ktap_fail "${SECONDS_TOTAL}s of readers, binds and QMP replugs: every actor and invariant passed"
fi
plugs=$(torture_stat "$out" hotplug ok)
# Each replug operation counts an unplug and a plug.
ktap_check "the device was unplugged and re-plugged at least once ($plugs operations ok)" \
	[ "$plugs" -ge 2 ]
ktap_finish
