#!/bin/sh
# Control for genpd/per_domain.sh: the same test with the test-only
# controller lifecycle_genpd_controller_nosync, which has a sync_state() of
# its own and no queue_sync_state(), as genpd providers had before our
# series: domain 2 stays on although no consumer uses it, and domain 0 stays
# on after its only consumer went away. The test must report not ok.
cd ../genpd || exit 1
CTL_MOD=lifecycle_genpd_controller_nosync exec ./per_domain.sh
