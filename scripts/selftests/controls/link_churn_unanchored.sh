#!/bin/sh
# Control for syncstate/link_churn.sh: the same test with the test-only
# build lifecycle_link_churn_unanchored, which links no anchor: once no
# unprobed consumer is left the supplier syncs, and its walks see no
# anchor. The test must report not ok.
cd ../syncstate || exit 1
LINK_CHURN_MOD=lifecycle_link_churn_unanchored exec ./link_churn.sh
