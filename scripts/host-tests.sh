#!/usr/bin/env bash
# Host-side tests of the build scripts' checks (no kernel needed): the patch
# series application names the patch that fails, the config check names
# every dropped option, and make soak refuses bad sizes before it builds or
# boots anything. Each check is shown to pass and to fail.
. "$(dirname "$0")/lib.sh"
# Every check runs even when one fails.
set +e
top=$TOP
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
n=0
t() {
	local desc=$1
	shift
	n=$((n + 1))
	if "$@" >"$tmp/out" 2>&1; then
		pass=$((pass + 1))
		echo "ok $n $desc"
	else
		fail=$((fail + 1))
		echo "not ok $n $desc"
		sed 's/^/# /' "$tmp/out"
	fi
}

# A tiny tree and a series against it.
mkdir -p "$tmp/tree/drivers" "$tmp/series" "$tmp/broken"
printf 'one\ntwo\nthree\n' >"$tmp/tree/drivers/a.c"
cp -r "$tmp/tree" "$tmp/orig"
sed -i 's/two/TWO/' "$tmp/tree/drivers/a.c"
(cd "$tmp" && diff -u orig/drivers/a.c tree/drivers/a.c |
	sed -e 's|^--- orig/|--- a/|' -e 's|^+++ tree/|+++ b/|' >series/0001-change-a.patch)
cp "$tmp/orig/drivers/a.c" "$tmp/tree/drivers/a.c"
cp "$tmp/series/0001-change-a.patch" "$tmp/broken/"
sed -e 's/two/zwei/g' -e 's/TWO/ZWEI/g' "$tmp/series/0001-change-a.patch" >"$tmp/broken/0002-stale.patch"

echo "TAP version 13"
echo "1..9"
apply_ok() {
	cp -r "$tmp/orig" "$tmp/t1" &&
		[ "$("$top/scripts/apply-series.sh" "$tmp/t1" "$tmp/series")" = drivers/a.c ] &&
		grep -qx TWO "$tmp/t1/drivers/a.c"
}
t "a series that applies: applied, touched files listed" apply_ok
apply_names_failure() {
	cp -r "$tmp/orig" "$tmp/t2"
	! "$top/scripts/apply-series.sh" "$tmp/t2" "$tmp/broken" 2>"$tmp/err" &&
		grep -q "0002-stale.patch does not apply" "$tmp/err" &&
		! grep -q "0001-change-a.patch does not apply" "$tmp/err"
}
t "a stale patch stops the series and is named" apply_names_failure

printf '# comment\nCONFIG_A=y\nCONFIG_B=m\n# CONFIG_C is not set\n' >"$tmp/frag"
printf 'CONFIG_A=y\nCONFIG_B=m\n# CONFIG_C is not set\nCONFIG_D=y\n' >"$tmp/good.config"
printf 'CONFIG_A=y\n# CONFIG_B is not set\n' >"$tmp/dropped.config"
printf 'CONFIG_A=y\nCONFIG_B=m\nCONFIG_C=y\n' >"$tmp/forced.config"
t "config with every option: accepted" "$top/scripts/check-config.sh" "$tmp/frag" "$tmp/good.config"
dropped_named() {
	! "$top/scripts/check-config.sh" "$tmp/frag" "$tmp/dropped.config" 2>"$tmp/err" &&
		grep -q "dropped: CONFIG_B=m" "$tmp/err"
}
t "config with a dropped option: refused, option named" dropped_named
forced_named() {
	! "$top/scripts/check-config.sh" "$tmp/frag" "$tmp/forced.config" 2>"$tmp/err" &&
		grep -q "dropped: # CONFIG_C is not set" "$tmp/err"
}
t "config with an option that must be unset but is set: refused" forced_named
real_fragment_parses() {
	grep -c '^CONFIG_' "$top/qemu/kernel.config" | awk '{exit !($1 > 40)}'
}
t "the real fragment has its options" real_fragment_parses

# soak_refuses VAR=VALUE TEXT: scripts/soak.sh exits 2 at once, naming TEXT.
soak_refuses() {
	local rc=0
	env "$1" timeout 20 "$top/scripts/soak.sh" >"$tmp/soak.out" 2>&1 || rc=$?
	[ "$rc" -eq 2 ] && grep -q "$2" "$tmp/soak.out"
}
t "soak: SOAK_SLICE=x refused (exit 2)" soak_refuses SOAK_SLICE=x "not a whole number"
t "soak: SOAK_FAIL_NTH=0 refused (exit 2)" soak_refuses SOAK_FAIL_NTH=0 "at least 1"
t "soak: a bad SOAK_TARGETS name refused (exit 2)" soak_refuses "SOAK_TARGETS=../x" "target names"

echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:0 error:0"
report_counts host-tests "$pass" "$fail"
[ "$fail" -eq 0 ]
