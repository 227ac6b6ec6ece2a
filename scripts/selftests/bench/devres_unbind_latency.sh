#!/bin/sh
# Benchmark (make bench only): how long unbinding the edu device takes with
# K extra Devres objects alive (extra_devres=K), K = 1, 10, 100, in two
# cases: dropped with the driver data (no file open: each Devres is revoked
# by its own drop, without a grace period), and outliving the binding (a
# file holds the shared state: devres_release_all() revokes each with its
# own synchronize_rcu()). Each unbind write is timed from the guest shell
# with /proc/uptime, over drvlife.bench_unbinds=N unbinds (default 5).
. ../ktap.sh
. ../lib-kmsg.sh
. ../lib-host.sh
. ../lib-module.sh
. ../lib-sysfs.sh
# shellcheck source=../lib-time.sh
. ../lib-time.sh

REPS=$(cmdline_value bench_unbinds 5)
ktap_header
ktap_plan 6
dev=$(pci_dev 0x1234 0x11e8) || { ktap_fail "edu device present"; ktap_finish; }
name=$(basename "$dev")
drv=/sys/bus/pci/drivers/lifecycle_devres_edu
for case in dropped outliving; do
	for k in 1 10 100; do
		insmod_mod lifecycle_devres_edu children=0 extra_devres="$k"
		total=0
		n=0
		while [ "$n" -lt "$REPS" ]; do
			[ "$case" = outliving ] && exec 3</dev/drvlife-edu
			start=$(uptime_ms)
			echo "$name" >"$drv/unbind"
			total=$((total + $(uptime_ms) - start))
			[ "$case" = outliving ] && exec 3<&-
			echo "$name" >"$drv/bind"
			n=$((n + 1))
		done
		rmmod lifecycle_devres_edu
		echo "drvlife: bench-unbind: case=$case k=$k unbinds=$REPS ms=$total" >/dev/kmsg
		ktap_info "$case, K=$k: $REPS unbinds in $total ms"
		ktap_check "$REPS unbinds with $k extra Devres ($case)" [ "$n" -eq "$REPS" ]
	done
done
ktap_finish
