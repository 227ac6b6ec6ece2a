#!/bin/sh
# Control for devres/irq_unbind.sh: the same check of the interrupt path
# (every write's interrupt handled and acknowledged), but the handler does
# not acknowledge (the test-only build lifecycle_edu_irq_no_ack): the writes
# time out with ETIMEDOUT and the check must come out "not ok".
cd ../devres || exit 1
EDU_MOD=lifecycle_edu_irq_no_ack
# shellcheck source=../devres/common.inc
. ./common.inc
devres_setup
ktap_header
ktap_plan 1
insmod_mod "$EDU_MOD" children=0
exec 3>"$EDU_WNODE"
ktap_check "interrupts raised through a file, each handled and acknowledged" irq_writes 3 3
exec 3>&-
rmmod "$EDU_MOD"
ktap_finish
