#!/bin/sh
# Control for seeds/sysfs_drain.sh: the same load on the test-only build
# lifecycle_sysfs_drain_kept, whose driver creates its attribute at probe
# and forgets to remove it at unbind. Unbind does not wait for the show()
# in flight and the attribute stays: the checks must be not ok.
cd ../seeds || exit 1
# shellcheck source=../seeds/common.inc
. ./common.inc
# shellcheck source=../seeds/sysfs.inc
. ./sysfs.inc
ktap_header
ktap_plan 6
drain_unbind lifecycle_sysfs_drain_kept
ktap_finish
