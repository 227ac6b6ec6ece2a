#!/usr/bin/env bash
# Check that every option of a config fragment survived into a .config:
# `CONFIG_X=v` lines must appear verbatim, `# CONFIG_X is not set` ones must
# not be set. Names each dropped option; exit status 1 if any.
#
# usage: check-config.sh FRAGMENT DOTCONFIG
set -euo pipefail
fragment=$1
config=$2

dropped=()
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*) grep -qxF "$line" "$config" || dropped+=("$line") ;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }
		opt=${opt%% *}
		! grep -q "^$opt=" "$config" || dropped+=("$line")
		;;
	esac
done <"$fragment"
if [ "${#dropped[@]}" -gt 0 ]; then
	printf '  dropped: %s\n' "${dropped[@]}" >&2
	echo "error: ${#dropped[@]} requested config option(s) did not survive olddefconfig (unmet dependencies?)" >&2
	exit 1
fi
