#!/usr/bin/env bash
# Build-time checks against the kernel build: what the Rust abstractions of
# queue_sync_state, and 7.3's device contexts and binding lifetimes (seed
# 002's "fails to compile"), must refuse to build, each with the compiler
# error code or message that names the rule, and each source's driver
# without a violation, which must build (the control showing that each
# failure is its rule and nothing else). Sources:
# scripts/build-checks/queue_sync_state_rules.rs, bound_rules.rs and
# pmdomain_rules.rs.
. "$(dirname "$0")/lib.sh"

kdir=$("$TOP/scripts/build-kernel.sh")
mapfile -t kmake < <(kmake_vars)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0
n=0
echo "TAP version 13"
echo "1..14"

# The check source build_check builds, and the --cfg names it knows.
src=queue_sync_state_rules.rs
cfgs=with_sync_state,send_consumers,share_consumers,combined_link_flags

# build_check NAME CFG...: build the check module $src with these --cfg
# names; output in $work/NAME.log.
build_check() {
	local name=$1 cfg flags=""
	shift
	for cfg in "$@"; do flags="$flags --cfg $cfg"; done
	mkdir -p "$work/$name"
	cp "$TOP/scripts/build-checks/$src" "$work/$name/check.rs"
	printf "obj-m += check.o\nrustflags-y += '--check-cfg=cfg(%s)' %s\n" \
		"$cfgs" "$flags" >"$work/$name/Kbuild"
	make -C "$kdir" M="$work/$name" ARCH=x86_64 "${kmake[@]}" modules >"$work/$name.log" 2>&1
}
# builds DESCRIPTION NAME CFG...: the build must succeed.
builds() {
	local desc=$1 name=$2
	shift 2
	if build_check "$name" "$@" && [ -f "$work/$name/check.ko" ]; then
		result ok "$desc" "$work/$name.log"
	else
		result fail "$desc" "$work/$name.log"
	fi
}
result() {
	n=$((n + 1))
	if [ "$1" = ok ]; then
		pass=$((pass + 1))
		echo "ok $n $2"
	else
		fail=$((fail + 1))
		echo "not ok $n $2"
		tail -n 30 "$3" | sed 's/^/# /'
	fi
}
# refused DESCRIPTION PATTERNS NAME CFG...: the build must fail, and its log
# match every line of PATTERNS (extended regexps, one per line).
refused() {
	local desc=$1 patterns=$2 name=$3 pattern verdict=ok
	shift 3
	if build_check "$name" "$@"; then
		verdict=fail
	else
		while IFS= read -r pattern; do
			grep -qE "$pattern" "$work/$name.log" || verdict=fail
		done <<<"$patterns"
	fi
	result "$verdict" "$desc" "$work/$name.log"
}

# shellcheck disable=SC2016 # literal backquotes of the Rust messages
refused "queue_sync_state without sync_state does not build" \
	'a platform driver with `queue_sync_state` must also implement `sync_state`' alone
refused "the consumers' view cannot be sent to another thread" \
	'cannot be sent between threads safely' send with_sync_state send_consumers
refused "the consumers' view cannot be shared between threads" \
	'cannot be shared between threads safely' share with_sync_state share_consumers
# shellcheck disable=SC2016
refused "device link flags the driver core refuses together cannot be combined" \
	'cannot be applied to type `(kernel::device::link::)?Flags`|no implementation for `.*Flags \| .*Flags`' \
	flags with_sync_state combined_link_flags
builds "the same driver without a violation builds" both with_sync_state

# Seed 002: misuse of the binding that "fails to compile" (each pattern is
# the compiler's error code and the type or lifetime it names).
src=bound_rules.rs
cfgs=access_plain_device,devres_unbound,bound_ref_static,bound_ref_arc_static,irq_static,qss_bound_context
# shellcheck disable=SC2016 # literal backquotes of the Rust messages
escapes='error\[E0521\]: borrowed data escapes outside of associated function
`pdev` is a reference that is only valid in the associated function body'
# shellcheck disable=SC2016
refused "Devres::access() with a plain &Device does not build" \
	'error\[E0308\]: mismatched types
counter\.access\(plain\)
expected `&Device<Bound>`, found `&Device`' \
	access_plain access_plain_device
# shellcheck disable=SC2016
refused "Devres::new() on a plain &Device does not build" \
	'error\[E0308\]: mismatched types
Devres::new\(plain,
expected `&Device<Bound>`, found `&Device`' \
	devres_unbound devres_unbound
refused "a &'bound Device<Bound> kept in a static does not build" \
	"$escapes" bound_static bound_ref_static
refused "a &'bound Device<Bound> in an Arc kept in a static does not build" \
	"$escapes" bound_arc bound_ref_arc_static
refused "an IRQ registration kept in a static does not build" \
	"$escapes" irq_static irq_static
# shellcheck disable=SC2016
refused "queue_sync_state() with a Device<Bound> instead of Device<Core> does not build" \
	'error\[E0053\]: method `queue_sync_state` has an incompatible type for trait
expected `Core<.*>`, found `kernel::device::Bound`' \
	qss_bound qss_bound_context
builds "the same driver keeping them in its driver data builds" bound_none

# Patch 0016: a PM domain's operations may be called after the provider's
# driver unbound (genpd keeps a domain a consumer is still attached to), so
# they must not borrow the binding.
src=pmdomain_rules.rs
cfgs=ops_bound_device
# shellcheck disable=SC2016 # literal backquotes of the Rust messages
refused "PM domain operations borrowing the binding do not build" \
	'error\[E0478\]: lifetime bound not satisfied
impl<.bound> pmdomain::Operations for CheckOps<.bound>
lifetime parameter must outlive the static lifetime' \
	ops_bound ops_bound_device
builds "the same provider with operations that own what they use builds" pmdomain_none
report_counts build-checks "$pass" "$fail"
[ "$fail" -eq 0 ]
