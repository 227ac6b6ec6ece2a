#!/usr/bin/env bash
# Build-time checks against the kernel build: what the Rust abstractions of
# queue_sync_state must refuse to build, each with the compiler message that
# names the rule, and the same driver without the violation, which must
# build (the control showing that each failure is its rule and nothing
# else). Sources: scripts/build-checks/queue_sync_state_rules.rs.
. "$(dirname "$0")/lib.sh"

kdir=$("$TOP/scripts/build-kernel.sh")
mapfile -t kmake < <(kmake_vars)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0
n=0
echo "TAP version 13"
echo "1..5"

# build_check NAME CFG...: build the check module with these --cfg names;
# output in $work/NAME.log.
build_check() {
	local name=$1 cfg flags=""
	shift
	for cfg in "$@"; do flags="$flags --cfg $cfg"; done
	mkdir -p "$work/$name"
	cp "$TOP/scripts/build-checks/queue_sync_state_rules.rs" "$work/$name/check.rs"
	printf "obj-m += check.o\nrustflags-y += '--check-cfg=cfg(with_sync_state,send_consumers,share_consumers,combined_link_flags)' %s\n" \
		"$flags" >"$work/$name/Kbuild"
	make -C "$kdir" M="$work/$name" ARCH=x86_64 "${kmake[@]}" modules >"$work/$name.log" 2>&1
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
# refused DESCRIPTION PATTERN NAME CFG...: the build must fail with PATTERN.
refused() {
	local desc=$1 pattern=$2 name=$3
	shift 3
	if ! build_check "$name" "$@" && grep -qE "$pattern" "$work/$name.log"; then
		result ok "$desc" "$work/$name.log"
	else
		result fail "$desc" "$work/$name.log"
	fi
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
if build_check both with_sync_state && [ -f "$work/both/check.ko" ]; then
	result ok "the same driver without a violation builds" "$work/both.log"
else
	result fail "the same driver without a violation builds" "$work/both.log"
fi
report_counts build-checks "$pass" "$fail"
[ "$fail" -eq 0 ]
