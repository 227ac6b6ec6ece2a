#!/bin/sh
# Guest library: fault injection (CONFIG_FAILSLAB,
# CONFIG_FAULT_INJECTION_DEBUG_FS), one allocation at a time, in this
# shell's own task (POSIX sh, busybox). Source it; sourcing only defines
# the functions and a constant. Helpers name their variables _k_* (sh has
# no locals).
#
#   fault_available               the kernel can do it
#   fault_setup / fault_teardown  GFP_KERNEL allocations may fail too, no
#                                 stack dump per fault / back to defaults
#   fault_write N FILE VALUE      write VALUE to FILE with the Nth slab
#                                 allocation of the task failing
#   errno_text MESSAGE            the errno part of FAULT_ERR
#
# fault_write sets FAULT_RC (0: the write succeeded), FAULT_REACHED (y: the
# Nth allocation happened, so a fault was injected) and FAULT_ERR (the
# shell's error message, if any). Between arming and reading back only
# builtins and redirections to files opened before run: a fork would spend
# the count.

# The failslab attributes in debugfs.
FAULT_SLAB=/sys/kernel/debug/failslab

# fault_available: per-task slab fault injection is there to use.
fault_available() { [ -w /proc/thread-self/fail-nth ] && [ -d "$FAULT_SLAB" ]; }

# fault_setup: let GFP_KERNEL allocations fail too, quietly; open fd 7 for
# fault_write's error messages (a redirection, not a fork, while armed).
fault_setup() {
	echo N >"$FAULT_SLAB/ignore-gfp-wait"
	echo 0 >"$FAULT_SLAB/verbose"
	exec 7>>/tmp/fault.err
}

# fault_teardown: close fd 7 and spare GFP_KERNEL allocations again.
fault_teardown() {
	exec 7>&-
	echo Y >"$FAULT_SLAB/ignore-gfp-wait"
}

# fault_write N FILE VALUE: write VALUE to FILE with the Nth slab allocation
# of this task failing; sets FAULT_RC, FAULT_REACHED and FAULT_ERR.
# shellcheck disable=SC2034 # FAULT_* are read by the callers
fault_write() {
	: >/tmp/fault.err
	echo "$1" >/proc/thread-self/fail-nth
	if echo "$3" 2>&7 >"$2"; then FAULT_RC=0; else FAULT_RC=1; fi
	# A count left means the fault was not reached; so does a read that
	# fails: its own open took the last count.
	read -r _k_left 2>&7 </proc/thread-self/fail-nth || _k_left=1
	echo 0 2>&7 >/proc/thread-self/fail-nth
	if [ "$_k_left" -gt 0 ]; then FAULT_REACHED=n; else FAULT_REACHED=y; fi
	FAULT_ERR=""
	[ "$FAULT_RC" -eq 0 ] || FAULT_ERR=$(head -n 1 /tmp/fault.err)
}

# errno_text MESSAGE: the part of a shell error message after the last ": "
# (the errno's text, e.g. of FAULT_ERR).
errno_text() { echo "${1##*: }"; }
