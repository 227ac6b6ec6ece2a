#!/bin/sh
# shellcheck disable=SC2317 # the helpers are called through ktap_check
# Issue 24, finding 2, genpd's instance: a provider whose domain has its
# parent domain on another provider. lifecycle_genpd_nested registers the
# domain node below its own node (board_nested.dtso) with
# of_genpd_add_provider_simple(); that node has no device, so genpd gives
# the domain's device (genpd->dev, "drvlife-nested") the node's fwnode and
# fw_devlink links it to the controller, the provider of the node's
# power-domains. A consumer no driver matches keeps the controller from
# syncing. Unbinding lifecycle_genpd_nested makes of_genpd_del_provider()
# delete genpd->dev with gpd_list_lock held. When the driver core
# re-evaluated the controller synchronously in device_del(), the
# controller's queue_sync_state() (genpd's) took gpd_list_lock again on
# the same thread: lockdep reported the recursion and the unbind never
# returned. Now the re-evaluation runs from a work item: the unbind must
# return, lockdep must still be validating, and the domain's device must be
# released (its release frees the domain) before the module goes.
cd "$(dirname "$0")" || exit 1
# shellcheck source=common.inc
. ./common.inc
genpd_setup

NESTED_DRV=$PLAT/drivers/lifecycle_genpd_nested
RELEASES=/sys/module/$NESTED_MOD/parameters/releases

# nested_linked: fw_devlink linked the domain's device to the controller.
nested_linked() {
	[ -e "/sys/class/devlink/platform:$(basename "$CTL_DEV")--genpd_provider:drvlife-nested" ]
}
# nested_listed: genpd lists the nested domain.
nested_listed() { grep -q '^drvlife-nested ' "$SUMMARY"; }
not_listed() { ! nested_listed; }
linked_not_synced() { nested_linked && ! synced "$CTL_DEV"; }
# state_of PID: the task's state (R, S, D, Z...), empty once reaped.
state_of() { cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null; }
# exited PID: the task has exited (a zombie, or reaped).
exited() { case "$(state_of "$1")" in "" | Z) return 0 ;; *) return 1 ;; esac; }
released() { [ "$(cat "$RELEASES" 2>/dev/null)" = 1 ]; }

ktap_header
ktap_plan 6

unload
insmod_mod "$CTL_MOD"
insmod_mod "$NESTED_MOD"
if ! insmod_mod "$NESTED_BOARD_MOD" ||
	! CTL_DEV=$(platform_dev power-controller) ||
	! NESTED_DEV=$(platform_dev nested-controller); then
	ktap_fail "board overlay applied and devices populated"
	ktap_finish
fi
show_domains
ktap_check "the nested provider bound and genpd lists its domain" nested_listed
ktap_check "fw_devlink linked the domain's device to the controller, which is not synced" \
	linked_not_synced

old_timeout=$(cat /proc/sys/kernel/hung_task_timeout_secs)
echo 2 >/proc/sys/kernel/hung_task_timeout_secs
kmsg "nested_provider: unbind"
# In the background, from a subshell that holds none of the test's
# descriptors: before the fix it never returned.
(exec </dev/null >/dev/null 2>&1 && basename "$NESTED_DEV" >"$NESTED_DRV/unbind") &
pid=$!
wait_until 20000 exited "$pid"
if exited "$pid"; then
	wait "$pid"
	rc=$?
	echo "$old_timeout" >/proc/sys/kernel/hung_task_timeout_secs
else
	rc="still running (state $(state_of "$pid"))"
	dmesg_since "nested_provider: unbind" | grep -A12 "INFO: task \|recursive locking" | sed 's/^/# /'
	echo 0 >/proc/sys/kernel/hung_task_warnings
fi
ktap_check "the provider's unbind returned ($rc)" [ "$rc" = 0 ]
ktap_check "lockdep is still validating (no report of gpd_list_lock or any other)" \
	lockdep_validating
if [ "$rc" != 0 ]; then
	# gpd_list_lock is held for good: genpd's debugfs would block too.
	ktap_fail "genpd no longer lists the nested domain # not tried: the unbind is blocked"
	ktap_fail "the domain's device was released # not tried: the unbind is blocked"
	ktap_finish
fi
ktap_check "genpd no longer lists the nested domain" not_listed
# The device link's release holds the domain's device for a while.
wait_until 30000 released
ktap_check "the domain's device was released and freed the domain ($(cat "$RELEASES") releases)" released
# genpd's release() is module code: unload only once it ran.
if released; then unload; fi
ktap_finish
