#!/usr/bin/env bash
# Style checks: shellcheck, rustfmt and clippy for the host tools and for the
# kernel modules (with the kernel's rustfmt config and CLIPPY=1, warnings are
# errors), checkpatch for the patch series. Exit status 0 only if all clean.
. "$(dirname "$0")/lib.sh"

failed=0
check() {
	local name=$1
	shift
	if "$@" >"$CACHE/lint.log" 2>&1; then
		log "lint: $name: clean"
	else
		cat "$CACHE/lint.log" >&2
		log "lint: $name: FAILED"
		failed=$((failed + 1))
	fi
}

kdir=$("$TOP/scripts/build-kernel.sh")
ksrc=$kdir/source
[ -d "$ksrc" ] || ksrc=$(dirname "$kdir")/src

mapfile -t shell_files < <(cd "$TOP" && { ls scripts/*.sh scripts/selftests/*.sh scripts/selftests/*/*.sh scripts/selftests/*/*.inc examples/*/*/*.sh; echo qemu/init; echo .ci/run; })
run_shellcheck() { (cd "$TOP" && shellcheck -x "${shell_files[@]}"); }
check shellcheck run_shellcheck
# --all: with --manifest-path on a workspace of more than one member, cargo
# fmt finds no targets without it.
check "rustfmt (tools)" cargo fmt --manifest-path "$TOP/Cargo.toml" --all --check
check "clippy (tools)" cargo clippy --manifest-path "$TOP/Cargo.toml" --release --all-targets --quiet -- -D warnings
mapfile -t kernel_rust < <(cd "$TOP" && find samples examples scripts/build-checks -name '*.rs' | sort)
check "rustfmt (samples)" /usr/bin/rustfmt --check --edition 2021 \
	--config-path "$ksrc/.rustfmt.toml" "${kernel_rust[@]/#/$TOP/}"

# Clippy on the modules: rebuild them through clippy-driver; any warning fails.
clippy_modules() {
	mapfile -t kmake < <(kmake_vars)
	make -C "$kdir" M="$TOP" ARCH=x86_64 "${kmake[@]}" CLIPPY=1 \
		CLIPPY_DRIVER=/usr/bin/clippy-driver -B -j"$JOBS" modules 2>&1 | tee "$CACHE/clippy.log"
	! grep -E '^(warning|error)' "$CACHE/clippy.log"
}
check "clippy (samples, CLIPPY=1)" clippy_modules

shopt -s nullglob
patches=("$TOP"/rust/*.patch)
if [ "${#patches[@]}" -gt 0 ]; then
	# FILE_PATH_CHANGES: "does MAINTAINERS need updating?" for every new file;
	# ours (rust/kernel/device/link.rs) is under an F: entry of DRIVER CORE.
	check "checkpatch (rust/*.patch)" "$ksrc/scripts/checkpatch.pl" --strict --no-tree \
		--ignore FILE_PATH_CHANGES "${patches[@]}"
fi

report_counts lint "$((failed == 0 ? 1 : 0))" "$((failed > 0 ? 1 : 0))"
[ "$failed" -eq 0 ]
