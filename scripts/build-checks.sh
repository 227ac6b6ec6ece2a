#!/usr/bin/env bash
# Build-time checks against the kernel build: the Rust platform abstraction
# must refuse a driver with queue_sync_state but no sync_state (a build
# error naming the rule), and build the same driver once it has sync_state
# (the control showing the failure is that rule and nothing else).
. "$(dirname "$0")/lib.sh"

kdir=$("$TOP/scripts/build-kernel.sh")
mapfile -t kmake < <(kmake_vars)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0
n=0
echo "TAP version 13"
echo "1..2"

# build_check NAME [RUSTFLAGS]: build the check module; output in $work/NAME.log.
build_check() {
	mkdir -p "$work/$1"
	cp "$TOP/scripts/build-checks/queue_sync_state_alone.rs" "$work/$1/check.rs"
	printf "obj-m += check.o\nrustflags-y += '--check-cfg=cfg(with_sync_state)' %s\n" "$2" \
		>"$work/$1/Kbuild"
	make -C "$kdir" M="$work/$1" ARCH=x86_64 "${kmake[@]}" modules >"$work/$1.log" 2>&1
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

# shellcheck disable=SC2016 # literal backquotes of the Rust message
msg='a platform driver with `queue_sync_state` must also implement `sync_state`'
if ! build_check alone "" && grep -qF "$msg" "$work/alone.log"; then
	result ok "queue_sync_state without sync_state does not build" "$work/alone.log"
else
	result fail "queue_sync_state without sync_state does not build" "$work/alone.log"
fi
if build_check both "--cfg with_sync_state" && [ -f "$work/both/check.ko" ]; then
	result ok "the same driver with sync_state builds" "$work/both.log"
else
	result fail "the same driver with sync_state builds" "$work/both.log"
fi
echo "build-checks: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
