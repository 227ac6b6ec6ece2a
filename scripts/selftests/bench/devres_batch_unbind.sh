#!/bin/sh
# Benchmark (make bench only): how long one unbind takes with K = 1, 10,
# 100, 1000 revocable objects held past it by an open file, for three
# designs of the objects (the batch fixture, samples/devres_batch/):
# pergp (one RCU grace period per object, Devres before patch 0020),
# devres (Devres with patch 0020: one grace period per unbind) and rwsem (a
# per-object rwsem, no grace period). Each unbind is timed between two
# marker lines written to the kernel log just before and after the sysfs
# write (microsecond timestamps), over drvlife.bench_unbinds=N unbinds.
. ../ktap.sh
. ../lib-kmsg.sh
. ../lib-host.sh
. ../lib-module.sh
# shellcheck source=../devres/batch.inc
. ../devres/batch.inc

REPS=$(cmdline_value bench_unbinds 5)
seq=0
# mark_us: writes a unique marker to the kernel log and prints its
# timestamp in microseconds.
mark_us() {
	seq=$((seq + 1))
	echo "drvlife: bench-batch-mark $seq" >/dev/kmsg
	dmesg | sed -n "s/^\[ *\([0-9]*\)\.\([0-9]*\)\] drvlife: bench-batch-mark $seq\$/\1\2/p" | tail -n1
}

ktap_header
ktap_plan 12
for BATCH_MOD in lifecycle_devres_batch_pergp lifecycle_devres_batch lifecycle_devres_batch_rwsem; do
	design=${BATCH_MOD#lifecycle_devres_batch}
	design=${design#_}
	design=${design:-devres}
	for k in 1 10 100 1000; do
		insmod_mod "$BATCH_MOD" objects="$k"
		total=0
		n=0
		while [ "$n" -lt "$REPS" ]; do
			exec 3<"$BATCH_NODE"
			start=$(mark_us)
			batch_unbind
			end=$(mark_us)
			total=$((total + end - start))
			exec 3<&-
			batch_bind
			n=$((n + 1))
		done
		dropped=$(batch_stat dropped)
		rmmod "$BATCH_MOD"
		echo "drvlife: bench-batch-unbind: design=$design k=$k unbinds=$REPS us=$total" >/dev/kmsg
		ktap_info "$design, K=$k: $REPS unbinds in $total us"
		ktap_check "$REPS unbinds with $k $design objects held, every payload dropped" \
			[ "$dropped" -eq $((k * REPS)) ]
	done
done
ktap_finish
