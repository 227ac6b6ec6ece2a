#!/bin/sh
# Benchmark (make bench only): bind/unbind cycles per second of the edu
# device with 0 and with 4 auxiliary children (each cycle then also creates,
# binds, unbinds and deletes the children). Kernel command line:
# drvlife.bench_cycles=N (default 200).
. ../ktap.sh
. ../lib-kmsg.sh
. ../lib-module.sh
. ../lib-sysfs.sh

CYCLES=200
read -r cmdline </proc/cmdline
for arg in $cmdline; do
	case "$arg" in
	drvlife.bench_cycles=*) CYCLES=${arg#*=} ;;
	esac
done

ktap_header
ktap_plan 2
dev=$(pci_dev 0x1234 0x11e8) || { ktap_fail "edu device present"; ktap_finish; }
name=$(basename "$dev")
drv=/sys/bus/pci/drivers/lifecycle_devres_edu
for children in 0 4; do
	insmod_mod lifecycle_devres_edu children="$children"
	start=$(awk '{printf "%d\n", $1 * 1000}' /proc/uptime)
	n=0
	while [ "$n" -lt "$CYCLES" ]; do
		echo "$name" >"$drv/unbind"
		echo "$name" >"$drv/bind"
		n=$((n + 1))
	done
	end=$(awk '{printf "%d\n", $1 * 1000}' /proc/uptime)
	rmmod lifecycle_devres_edu
	ms=$((end - start))
	echo "drvlife: bench-rate: children=$children cycles=$CYCLES ms=$ms" >/dev/kmsg
	ktap_info "children=$children: $CYCLES cycles in $ms ms"
	ktap_check "$CYCLES bind/unbind cycles with $children children" [ "$ms" -gt 0 ]
done
ktap_finish
