#!/bin/sh
# The KUnit suite of platform::DeviceInfo's ids (patch 0012: none, one
# chosen, one the bus chooses with auto_id()) runs when its module loads;
# every case must pass.
. ./common.inc
# shellcheck source=../lib-kunit.sh
. ../lib-kunit.sh

ktap_header
ktap_plan 2
kunit_module lifecycle_platform_api 1
cases=$(dmesg_since "kunit lifecycle_platform_api" | grep -cE '^\[[^]]*\] +ok [0-9]+ [a-z_]+$')
ktap_check "all 3 KUnit cases ran (saw $cases ok lines incl. the suite)" [ "$cases" -ge 4 ]
ktap_finish
