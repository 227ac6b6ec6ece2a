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

# write_errno FILE VALUE: write VALUE (no newline) in one write(); print
# "ok" or the error message, which names the errno.
write_errno() {
	printf '%s' "$2" >/tmp/write_errno.in
	if dd if=/tmp/write_errno.in of="$1" bs=4096 count=1 2>/tmp/write_errno.err; then
		echo ok
	else
		sed -n 's/^dd: .*: //p' /tmp/write_errno.err
	fi
}
