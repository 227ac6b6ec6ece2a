#!/bin/sh
# Control for the driver_override race stress: the same writer load, but
# the device is bound to a test-only driver whose probe reads the override
# without its lock. KASAN must report the use-after-free and the host must
# fail this test (the real drivers pass the same stress).
. ../ktap.sh
. ../lib-module.sh
. ../lib-sysfs.sh
ktap_header
ktap_plan 1

dev=$(pci_dev 0x1b36 0x0005)
name=$(basename "$dev")
drv=/sys/bus/pci/drivers/drvlife_ovr_racy
# Keep the racy driver from binding at load time: it must bind under load.
echo drvlife_ovr_racy_other >"$dev/driver_override"
insmod_mod lifecycle_override_racy iterations=100 window_us=50000

stop=/tmp/racy-stop
rm -f "$stop"
(
	while [ ! -e "$stop" ]; do
		echo drvlife_ovr_racy >"$dev/driver_override"
		echo drvlife_ovr_racy_other >"$dev/driver_override"
	done
) &
writer=$!
# The bind succeeds only when the override names the racy driver at match
# time; retry until it does. Its probe then reads unlocked while the writer
# keeps freeing the strings it reads.
tries=0
while [ ! -e "$dev/driver" ] && [ "$tries" -lt 300 ]; do
	echo "$name" >"$drv/bind" 2>/dev/null
	tries=$((tries + 1))
	usleep 20000 # the writer needs the CPU too
done
touch "$stop"
wait "$writer"
ktap_info "bound after $tries tries: $([ -e "$dev/driver" ] && echo yes || echo no)"
[ -e "$dev/driver" ] && echo "$name" >"$drv/unbind"
echo >"$dev/driver_override"
rmmod lifecycle_override_racy
ktap_pass "unlocked reader ran under the writer load (the host must fail this)"
ktap_finish
