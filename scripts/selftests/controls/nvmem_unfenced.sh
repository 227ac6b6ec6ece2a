#!/bin/sh
# Control for seeds/nvmem_unbind.sh: the same load with the fence of patch
# 0024 turned off (nvmem_core.test_unfenced_unregister, patch 0025), which
# is what 7.3 does: unbind does not wait for the reads in flight, which wake
# up on the binding's freed memory, and later reads through the held device
# call the provider with it again. KASAN reports each; the checks on the
# waits and on ENODEV must be not ok.
cd ../seeds || exit 1
# shellcheck source=../seeds/common.inc
. ./common.inc
# shellcheck source=../seeds/nvmem.inc
. ./nvmem.inc
UNFENCED=/sys/module/nvmem_core/parameters/test_unfenced_unregister
ktap_header
ktap_plan 13
echo 1 >"$UNFENCED" || ktap_info "cannot turn the fence off: $UNFENCED"
nvmem_unbind_under_consumer
echo 0 >"$UNFENCED"
ktap_finish
