#!/bin/sh
# One unbind revokes 1000 Devres objects held past it (patch 0020: one RCU
# grace period for all of them) while two readers loop over them in
# try_access_with(): no reader sees a dropped payload (KASAN; the payload's
# poison counted as bad), every payload is dropped before the unbind
# returns and exactly once (counters), and rebinding right after works.
# Control: controls/devres_batch_early.sh.
. ./common.inc
# shellcheck source=batch.inc
. ./batch.inc
devres_setup

K=1000
ktap_header
ktap_plan 11

if [ -d "/sys/module/$BATCH_MOD" ]; then rmmod "$BATCH_MOD"; fi
# Long read sections (10^4 reads of the payload each, no sleeping), as in
# the control: a reader is almost always inside one during the unbind.
insmod_mod "$BATCH_MOD" objects=$K spin_reads=10000
ktap_check "the fixture bound with $K Devres objects" \
	sh -c "[ -e $(batch_drv)/$BATCH_MOD ] && [ \"\$(sed -n 's/^created=//p' $BATCH_STATS)\" -eq $K ]"

exec 3<"$BATCH_NODE"
out=$(read_fd 3)
ktap_check "a read while bound sees every object: '$out'" [ "$out" = "ok=$K refused=0 bad=0" ]

batch_readers 2
ktap_check "two readers loop in try_access_with()" [ $? -eq 0 ]

batch_unbind
dropped=$(batch_stat dropped)
ktap_check "every payload dropped when unbind returned: $dropped of $K" [ "$dropped" -eq $K ]
ktap_check "the device is unbound" sh -c "! [ -e $(batch_drv)/$BATCH_MOD ]"

batch_readers_end 30
ktap_check "the readers ended (ENODEV) after the unbind" [ $? -eq 0 ]
ktap_info "readers: $(tr '\n' ' ' <"$BATCH_STATS")"
ktap_check "no reader saw a dropped payload" [ "$(batch_stat read_bad)" -eq 0 ]

out=$(read_fd 3)
rc=$?
ktap_info "read on the held file after unbind: rc=$rc: $out"
ktap_check "a read after unbind fails with ENODEV" sh -c "[ $rc -ne 0 ] && echo '$out' | grep -q 'No such device'"

batch_bind
exec 4<"$BATCH_NODE"
out=$(read_fd 4)
ktap_check "rebinding right after the unbind works: '$out'" [ "$out" = "ok=$K refused=0 bad=0" ]

exec 3<&-
batch_unbind
exec 4<&-
ktap_check "each payload dropped exactly once, files closed: $(batch_stat dropped) of $((2 * K))" \
	sh -c "[ $(batch_stat dropped) -eq $((2 * K)) ] && [ $(batch_stat created) -eq $((2 * K)) ]"
ktap_check "rmmod after the files are closed" sh -c "rmmod $BATCH_MOD && ! [ -d /sys/module/$BATCH_MOD ]"
ktap_finish
