#!/usr/bin/env bash
# Build the user's own out-of-tree modules (EXTRA_MODULES=DIR, a Kbuild
# directory) against the lab's kernel, the same way as ours. Their .ko files
# stay in DIR; drvlife adds them to each boot (/modules) and decodes their
# stack frames.
#
# usage: extra-modules.sh DIR
. "$(dirname "$0")/lib.sh"

dir=${1:?usage: extra-modules.sh DIR}
[ -d "$dir" ] || die "EXTRA_MODULES=$dir: no such directory"
dir=$(cd "$dir" && pwd)
[ -f "$dir/Kbuild" ] || [ -f "$dir/Makefile" ] ||
	die "EXTRA_MODULES=$dir: no Kbuild or Makefile (want a Kbuild module directory)"
kdir=${KDIR:-$("$TOP/scripts/build-kernel.sh")}
mapfile -t kmake < <(kmake_vars)
build_log="$CACHE/extra-modules.log"
if ! make -C "$kdir" M="$dir" ARCH=x86_64 "${kmake[@]}" -j"$JOBS" modules >"$build_log" 2>&1; then
	tail -n 30 "$build_log" >&2
	die "EXTRA_MODULES=$dir: the build failed (full log: $build_log)"
fi
n=$(find "$dir" -maxdepth 1 -name '*.ko' | wc -l)
[ "$n" -gt 0 ] || die "EXTRA_MODULES=$dir: the build made no .ko (is obj-m set in its Kbuild?)"
log "EXTRA_MODULES: $n module(s) from $dir"
