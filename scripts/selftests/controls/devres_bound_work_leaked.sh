#!/bin/sh
# Control for seeds/bound_work.sh: the same test, one cycle, on the
# test-only build lifecycle_bound_work_leaked, whose probe leaks the work
# item: the unbind does not stop the work, which reads the freed resource
# through access() (KASAN) and runs after the unbind (not ok 2). The
# leaked work stops queueing itself 20 runs (0.4 s) after the unbind.
cd ../seeds || exit 1
WORK_MOD=lifecycle_bound_work_leaked BOUND_WORK_CYCLES=1 exec ./bound_work.sh
