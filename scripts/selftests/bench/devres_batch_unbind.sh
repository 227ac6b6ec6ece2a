#!/bin/sh
# Benchmark (make bench only): how long one unbind takes with K = 1, 10,
# 100, 1000 revocable objects held past it by an open file, for three
# designs of the objects (the batch fixture, samples/devres_batch/):
# pergp (one RCU grace period per object, Devres before patch 0020),
# devres (Devres with patch 0020: one grace period per unbind) and rwsem (a
# per-object rwsem, no grace period). Each unbind is timed between two
# marker lines written to the kernel log just before and after the sysfs
# write (microsecond timestamps), over drvlife.bench_unbinds=N unbinds;
# the fixture's drop_ns counter, read around it, says how much of that
# time went into freeing the payloads, which every design pays.
. ../ktap.sh
. ../lib-kmsg.sh
. ../lib-host.sh
. ../lib-module.sh
# shellcheck source=../devres/batch.inc
. ../devres/batch.inc

REPS=$(cmdline_value bench_unbinds 5)
seq=0
# mark: writes marker number seq+1 to the kernel log (a shell builtin, no
# fork, so that nothing but the unbind lies between two markers).
mark() {
	seq=$((seq + 1))
	echo "drvlife: bench-batch-mark $seq" >/dev/kmsg
}
# mark_us N: the timestamp of marker N in microseconds.
mark_us() {
	dmesg | sed -n "s/^\[ *\([0-9]*\)\.\([0-9]*\)\] drvlife: bench-batch-mark $1\$/\1\2/p" | tail -n1
}

ktap_header
ktap_plan 12
for BATCH_MOD in lifecycle_devres_batch_pergp lifecycle_devres_batch lifecycle_devres_batch_rwsem; do
	design=${BATCH_MOD#lifecycle_devres_batch}
	design=${design#_}
	design=${design:-devres}
	for k in 1 10 100 1000; do
		insmod_mod "$BATCH_MOD" objects="$k"
		# Resolved here: a command substitution would fork between the markers.
		unbind=$(batch_drv)/unbind
		total=0
		drops=0
		n=0
		while [ "$n" -lt "$REPS" ]; do
			exec 3<"$BATCH_NODE"
			before=$(batch_stat drop_ns)
			mark
			echo "$BATCH_MOD" >"$unbind"
			mark
			after=$(batch_stat drop_ns)
			start=$(mark_us $((seq - 1)))
			end=$(mark_us "$seq")
			total=$((total + end - start))
			drops=$((drops + (after - before) / 1000))
			exec 3<&-
			batch_bind
			n=$((n + 1))
		done
		dropped=$(batch_stat dropped)
		rmmod "$BATCH_MOD"
		echo "drvlife: bench-batch-unbind: design=$design k=$k unbinds=$REPS us=$total drop_us=$drops" >/dev/kmsg
		ktap_info "$design, K=$k: $REPS unbinds in $total us, $drops us of them freeing payloads"
		ktap_check "$REPS unbinds with $k $design objects held, every payload dropped" \
			[ "$dropped" -eq $((k * REPS)) ]
	done
done

ktap_finish
