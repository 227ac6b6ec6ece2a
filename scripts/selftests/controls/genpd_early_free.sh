#!/bin/sh
# Control for genpd/provider_unbind.sh: the test-only module
# lifecycle_genpd_early_free frees a PM domain right after
# pm_genpd_remove(), before genpd's device in it is released (delayed by
# DEBUG_KOBJECT_RELEASE by up to 4 s). The delayed release then runs on
# freed memory: the detectors must report it and the host fail this test.
cd ../genpd || exit 1
# shellcheck source=../genpd/common.inc
. ./common.inc
ktap_header
ktap_plan 1
insmod_mod lifecycle_genpd_early_free
sleep 6
rmmod lifecycle_genpd_early_free
ktap_pass "domain freed before its device was released"
ktap_finish
