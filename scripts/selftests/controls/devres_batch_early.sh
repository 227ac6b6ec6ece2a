#!/bin/sh
# Control for devres/batch_unbind.sh: the batch fixture built with each
# payload dropped right after its revocation, before any RCU grace period
# (the test-only build lifecycle_devres_batch_early), unbound while two
# readers loop in try_access_with(). A reader still in its RCU section reads
# the freed payload: KASAN must report the use-after-free and the host must
# fail this test.
. ../ktap.sh
. ../lib-module.sh
BATCH_MOD=lifecycle_devres_batch_early
# shellcheck source=../devres/batch.inc
. ../devres/batch.inc
ktap_header
ktap_plan 1
# Long read sections (10^4 reads of the payload each, no sleeping): a
# reader is almost always inside one when the unbind frees the payloads.
insmod_mod "$BATCH_MOD" objects=200 spin_reads=10000
batch_readers 2
batch_unbind
batch_readers_end 20
ktap_info "readers: $(tr '\n' ' ' <"$BATCH_STATS")"
rmmod "$BATCH_MOD"
ktap_pass "payloads dropped before the grace period under readers (the host must fail this)"
ktap_finish
