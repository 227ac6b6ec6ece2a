#!/usr/bin/env bash
# The everyday tools, exercised as a user would (a step of make test):
#   - guest.sh exec: the command's output and exit status (also above 127,
#     which isa-debug-exit cannot carry), the QEMU command line saved;
#   - guest.sh exec on a kernel panic: exit status 255 (negative control);
#   - guest.sh shell, scripted through a pipe: commands run, exit status;
#   - guest.sh shell on a terminal (a pseudo terminal driven by
#     scripts/pty-session.py, which waits for the prompt and types): the
#     banner, a command's output, exit status; the driver itself must fail
#     when an awaited output never comes (negative control);
#   - EXTRA_MODULES / EXTRA_SELFTESTS with the example module and suite,
#     and their bad input (no directory, no Kbuild, a failing build, a suite
#     without settings), each refused with a clear error.
. "$(dirname "$0")/lib.sh"
set +e

prepared
out=$TOP/out/guest-tools
rm -rf "$out"
mkdir -p "$out"
pass=0
fail=0
n=0
# check DESCRIPTION COMMAND...: one KTAP-style result line.
check() {
	local desc=$1
	shift
	n=$((n + 1))
	if "$@"; then
		pass=$((pass + 1))
		echo "ok $n $desc"
	else
		fail=$((fail + 1))
		echo "not ok $n $desc"
	fi
}
# has FILE TEXT: FILE contains TEXT.
has() { grep -qF -- "$2" "$1"; }

log "exec: output and a status above 127"
# shellcheck disable=SC2016 # expanded by the guest's shell
OUT=$out/exec "$TOP/scripts/guest.sh" exec 'uname -r; echo "modules: $(ls /modules | wc -l)"; exit 200' \
	>"$out/exec.stdout" 2>"$out/exec.stderr"
status=$?
check "exec: exit status 200 (got $status)" [ "$status" -eq 200 ]
check "exec: the command's output on stdout" has "$out/exec.stdout" "modules: "
check "exec: the kernel release is ours" grep -q '^7\.3' "$out/exec.stdout"
check "exec: QEMU command line printed and saved" \
	has "$out/exec/qemu-cmdline.sh" "qemu-system-x86_64"

log "exec: a kernel panic"
OUT=$out/panic "$TOP/scripts/guest.sh" exec 'echo c >/proc/sysrq-trigger; exit 0' \
	>"$out/panic.stdout" 2>"$out/panic.stderr"
status=$?
check "exec: a kernel panic exits 255 (got $status)" [ "$status" -eq 255 ]
check "exec: the crash is named" has "$out/panic.stderr" "the guest crashed"

log "shell: scripted through a pipe"
{
	# shellcheck disable=SC2016 # expanded by the guest's shell
	echo 'echo "shell says $((6 * 7))"'
	echo 'exit 5'
} | OUT=$out/shell "$TOP/scripts/guest.sh" shell >"$out/shell.stdout" 2>"$out/shell.stderr"
status=${PIPESTATUS[1]}
check "shell: exit status 5 (got $status)" [ "$status" -eq 5 ]
check "shell: the command ran" has "$out/shell.stdout" "shell says 42"

log "shell: interactive, on a terminal"
# shellcheck disable=SC2016 # expanded by the guest's shell
"$TOP/scripts/pty-session.py" "$out/pty-shell.log" 300 \
	'expect:drvlife guest shell' 'expect:drvlife:/selftests# ' \
	'send:echo "terminal says $((6 * 7))"' 'expect:terminal says 42' 'send:exit 7' -- \
	env OUT="$out/pty-shell" "$TOP/scripts/guest.sh" shell 2>"$out/pty-shell.stderr"
status=$?
check "shell on a terminal: exit status 7 (got $status)" [ "$status" -eq 7 ]
check "shell on a terminal: banner, prompt and the command's output" \
	has "$out/pty-shell.log" "terminal says 42"
# The driver must notice an output that never comes (exit status 90).
"$TOP/scripts/pty-session.py" "$out/pty-control.log" 5 'expect:never printed' -- sh -c 'sleep 30' \
	2>"$out/pty-control.stderr"
status=$?
check "pty-session: an output that never comes fails the session (got $status)" [ "$status" -eq 90 ]

log "EXTRA_MODULES and EXTRA_SELFTESTS: the example"
EXTRA_MODULES=$TOP/examples/extra-module EXTRA_SELFTESTS=$TOP/examples/extra-selftests \
	OUT=$out/extra "$TOP/scripts/run.sh" example >"$out/extra.log" 2>&1
status=$?
check "example module and suite pass (status $status)" [ "$status" -eq 0 ]
check "example suite ran its 2 subtests" has "$out/extra.log" "PASS  example: load.sh (2/2 subtests)"
check "the torture engine ran on the example module" has "$out/extra.log" "PASS  example: torture.sh (1/1 subtests)"

log "EXTRA_MODULES and EXTRA_SELFTESTS: bad input"
# refused TEXT VAR=VALUE...: run.sh with these variables fails, saying TEXT.
refused() {
	local text=$1
	shift
	if env "$@" OUT="$out/bad" "$TOP/scripts/run.sh" example >"$out/bad.log" 2>&1; then
		return 1
	fi
	has "$out/bad.log" "$text"
}
scratch=$(mktemp -d)
mkdir -p "$scratch/empty" "$scratch/broken" "$scratch/tests/mine"
printf 'obj-m += broken.o\n' >"$scratch/broken/Kbuild"
printf 'this is not C;\n' >"$scratch/broken/broken.c"
printf '#!/bin/sh\nexit 0\n' >"$scratch/tests/mine/t.sh"
check "EXTRA_MODULES: no such directory, refused" \
	refused "no such directory" EXTRA_MODULES=/nonexistent
check "EXTRA_MODULES: no Kbuild, refused" \
	refused "no Kbuild or Makefile" EXTRA_MODULES="$scratch/empty"
check "EXTRA_MODULES: a failing build, refused" \
	refused "the build failed" EXTRA_MODULES="$scratch/broken"
refused_suite() {
	if EXTRA_SELFTESTS=$scratch/tests OUT=$out/bad "$TOP/scripts/run.sh" mine >"$out/bad.log" 2>&1; then
		return 1
	fi
	has "$out/bad.log" "needs a settings file"
}
check "EXTRA_SELFTESTS: a suite without settings, refused" refused_suite
rm -rf "$scratch"

report_counts guest-tools "$pass" "$fail"
[ "$fail" -eq 0 ]
