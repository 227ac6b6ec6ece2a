#!/bin/sh
# Smoke test: the 7.3 Rust driver samples load, bind where their device
# exists in the guest, and unload.
. ../ktap.sh
. ../lib-kmsg.sh
. ../lib-module.sh

ktap_header
ktap_plan 4

# check_sample MODULE CHECK: load MODULE, run the shell command CHECK while
# it is loaded, unload it.
check_sample() {
	mod=$1
	check=$2
	kmsg "mark $mod"
	if ! insmod_mod "$mod"; then
		ktap_fail "$mod: load"
		return
	fi
	ok=1
	if ! eval "$check"; then
		ktap_info "$mod: check failed: $check"
		ok=0
	fi
	rmmod "$mod" || ok=0
	module_loaded "$mod" && ok=0
	if [ "$ok" = 1 ]; then
		ktap_pass "$mod: load, bind, unload"
	else
		ktap_fail "$mod: load, bind, unload"
	fi
}

# pci-testdev (1b36:0005) is on the QEMU command line; both the PCI sample
# and the auxiliary sample's parent driver bind to it.
check_sample rust_driver_pci \
	"dmesg_since 'mark rust_driver_pci' | grep -q 'pci-testdev data-match count'"
check_sample rust_driver_faux \
	"dmesg_since 'mark rust_driver_faux' | grep -q 'Hello from faux device'"
check_sample rust_driver_auxiliary \
	"dmesg_since 'mark rust_driver_auxiliary' | grep -q 'Connected to auxiliary device with index'"
# The platform sample binds the ACPI device LNUXBEEF from qemu/ssdt.asl.
check_sample rust_driver_platform \
	"dmesg_since 'mark rust_driver_platform' | grep -q \"Probed with info: '0'\""

ktap_finish
