#!/bin/sh
# Benchmark (make bench only): what try_access_with() costs per call with
# RCU (Devres) and with a per-object rwsem (the batch fixture's test-only
# rwsem design), with one reader and with two concurrent readers, and what
# access() costs. Each module times drvlife.bench_batch_iters=N calls on
# one object: access() and try_access_with() in its probe (one reader), then
# try_access_with() in the read() of one file, then of two files read at
# the same time (each reports its own figure). Monotonic clock around each
# loop, picoseconds per call.
. ../ktap.sh
. ../lib-kmsg.sh
. ../lib-host.sh
. ../lib-module.sh
# shellcheck source=../devres/batch.inc
. ../devres/batch.inc

ITERS=$(cmdline_value bench_batch_iters 1000000)
ktap_header
ktap_plan 2
for BATCH_MOD in lifecycle_devres_batch lifecycle_devres_batch_rwsem; do
	design=${BATCH_MOD#lifecycle_devres_batch}
	design=${design#_}
	design=${design:-devres}
	insmod_mod "$BATCH_MOD" objects=1 bench_iters="$ITERS"
	one=$(dd bs=64 count=1 <"$BATCH_NODE" 2>/dev/null | sed -n 's/^try_access_with_ps=//p')
	dd bs=64 count=1 <"$BATCH_NODE" 2>/dev/null >/tmp/batch-bench.a &
	a=$!
	dd bs=64 count=1 <"$BATCH_NODE" 2>/dev/null >/tmp/batch-bench.b &
	wait "$a" $!
	two_a=$(sed -n 's/^try_access_with_ps=//p' /tmp/batch-bench.a)
	two_b=$(sed -n 's/^try_access_with_ps=//p' /tmp/batch-bench.b)
	rmmod "$BATCH_MOD"
	echo "drvlife: bench-batch-readers: design=$design iters=$ITERS one_ps=$one two_ps=$two_a,$two_b" >/dev/kmsg
	ktap_info "$design: try_access_with() one reader $one ps, two readers $two_a and $two_b ps"
	ktap_check "$design: every reader reported its cost" test -n "$one" -a -n "$two_a" -a -n "$two_b"
done
ktap_finish
