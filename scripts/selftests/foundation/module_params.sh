#!/bin/sh
# Our own minimal module: out-of-tree build, insmod with parameters, bad
# parameters rejected with EINVAL and nothing left loaded, rmmod.
. ../ktap.sh
. ../lib-kmsg.sh
. ../lib-module.sh

ktap_header
ktap_plan 7

mod=lifecycle_basic

kmsg "mark default"
if insmod_mod $mod && module_loaded $mod; then
	ktap_pass "load with default parameters"
else
	ktap_fail "load with default parameters"
fi
ktap_check "defaults reported (instances=1 verbose=false)" \
	log_has "mark default" "lifecycle_basic: loaded: instances=1 verbose=false"
rmmod $mod

kmsg "mark params"
insmod_mod $mod instances=5 verbose=1
ready=$(dmesg_since "mark params" | grep -c 'lifecycle_basic: instance [0-4] ready')
ktap_info "instances reported ready: $ready"
if log_has "mark params" "loaded: instances=5 verbose=true" && [ "$ready" -eq 5 ]; then
	ktap_pass "parameters reach the module (instances=5 verbose=true)"
else
	ktap_fail "parameters reach the module (instances=5 verbose=true)"
fi
rmmod $mod
if ! module_loaded $mod && log_has "mark params" "unloaded: instances=5"; then
	ktap_pass "rmmod runs the destructor (5 instances released)"
else
	ktap_fail "rmmod runs the destructor (5 instances released)"
fi

# expect_einval PARAM WHY: insmod with PARAM is refused with EINVAL and
# leaves nothing loaded.
expect_einval() {
	out=$(insmod_mod $mod "$1" 2>&1)
	rc=$?
	ktap_info "insmod $1: rc=$rc: $out"
	if [ "$rc" -ne 0 ] && echo "$out" | grep -q "Invalid argument" && ! module_loaded $mod; then
		ktap_pass "$1 refused with EINVAL ($2), module not loaded"
	else
		ktap_fail "$1 refused with EINVAL ($2), module not loaded"
		rmmod $mod 2>/dev/null
	fi
}
expect_einval instances=65 "the module's range check"
expect_einval instances=lots "the parameter parser"

# After the refusals the module still loads and unloads normally.
if insmod_mod $mod instances=2 && rmmod $mod && ! module_loaded $mod; then
	ktap_pass "load/unload works after refused loads"
else
	ktap_fail "load/unload works after refused loads"
fi

ktap_finish
