#!/bin/sh
# Control for genpd/probe_orders.sh: one seeded round with the test-only
# controller lifecycle_genpd_controller_nosync (its own sync_state(), no
# queue_sync_state()): no domain is released before the last consumer
# binds, so the round's step-by-step check must report not ok.
cd ../genpd || exit 1
CTL_MOD=lifecycle_genpd_controller_nosync GENPD_ORDERS=1 exec ./probe_orders.sh
