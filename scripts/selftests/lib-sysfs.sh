#!/bin/sh
# Guest library: finding devices in sysfs (POSIX sh, busybox). Source it;
# sourcing only defines the functions. Helpers name their variables _k_*
# (sh has no locals).

# pci_dev VENDOR DEVICE: sysfs directory of the first PCI device with these
# IDs (e.g. pci_dev 0x1b36 0x0005); fails if there is none.
pci_dev() {
	for _k_d in /sys/bus/pci/devices/*; do
		if [ "$(cat "$_k_d/vendor")" = "$1" ] && [ "$(cat "$_k_d/device")" = "$2" ]; then
			echo "$_k_d"
			return 0
		fi
	done
	return 1
}
