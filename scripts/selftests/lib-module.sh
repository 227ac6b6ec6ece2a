#!/bin/sh
# Guest library: loading the image's modules and asking whether one is
# loaded (POSIX sh, busybox). Source it; sourcing only defines the functions
# and a constant. Helpers name their variables _k_* (sh has no locals).

# Where the image keeps the modules (scripts/build-image.sh).
MODULES=/modules

# insmod_mod NAME [PARAM=VALUE...]: load module NAME from the image.
insmod_mod() {
	_k_mod=$1
	shift
	insmod "$MODULES/$_k_mod.ko" "$@"
}

# module_loaded NAME: module NAME is loaded (its /sys/module directory exists).
module_loaded() { [ -d "/sys/module/$1" ]; }
