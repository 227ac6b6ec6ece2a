#!/bin/sh
# Benchmark (run by `make bench`, never by the test suites): the cost per
# call of Devres access(), try_access() and try_access_with() against a
# plain reference read, timed in the edu driver's probe. Kernel command
# line: drvlife.bench_iters=N (default 10000000).
. ../ktap.sh
. ../lib-kmsg.sh
. ../lib-module.sh

ITERS=10000000
read -r cmdline </proc/cmdline
for arg in $cmdline; do
	case "$arg" in
	drvlife.bench_iters=*) ITERS=${arg#*=} ;;
	esac
done

ktap_header
ktap_plan 1
kmsg "mark bench"
insmod_mod lifecycle_devres_edu children=0 bench_iters="$ITERS"
line=$(dmesg_since "mark bench" | grep -o 'bench: .*')
rmmod lifecycle_devres_edu
ktap_info "$line"
ktap_check "benchmark ran ($ITERS calls per accessor)" [ -n "$line" ]
ktap_finish
