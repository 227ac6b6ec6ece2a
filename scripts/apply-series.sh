#!/usr/bin/env bash
# Apply a patch series (every *.patch of SERIES_DIR, in name order) to the
# kernel tree SRC. Stops at the first patch that does not apply and names
# it; prints the files the series touches on success.
#
# usage: apply-series.sh SRC SERIES_DIR
set -euo pipefail
src=$1
series=$2
[ -d "$src" ] || { echo "error: no tree at $src" >&2; exit 1; }

mapfile -t patches < <(find "$series" -maxdepth 1 -name '*.patch' | sort)
for p in "${patches[@]}"; do
	if ! out=$(patch -p1 -d "$src" --batch --forward --quiet <"$p" 2>&1); then
		printf '%s\n' "$out" >&2
		echo "error: patch $(basename "$p") does not apply to $src" >&2
		exit 1
	fi
done
# "+++ b/path" (a diff -u header may add a tab and a timestamp).
cat "${patches[@]}" /dev/null | sed -n 's|^+++ b/||p' | cut -f1 | sort -u
