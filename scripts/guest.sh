#!/usr/bin/env bash
# The test guest to work in, as with virtme-ng: same kernel, image, modules
# and machine as the tests (and EXTRA_MODULES / EXTRA_SELFTESTS).
#
# usage: guest.sh shell             interactive shell on this terminal
#        guest.sh exec COMMAND...   run one command, exit with its status
#                                   (255: the guest crashed, 124: timeout)
# Logs and the QEMU command line: out/shell or out/exec (OUT=DIR to change).
. "$(dirname "$0")/lib.sh"

mode=${1:-}
case "$mode" in
shell | exec) shift ;;
*) die "usage: guest.sh shell | guest.sh exec COMMAND..." ;;
esac
[ "$mode" = shell ] || [ "$#" -gt 0 ] || die "guest.sh exec: no command given"
prepared
mapfile -t guest < <(guest_args)
read -r -a extra <<<"${DRVLIFE_ARGS:-}"
if [ -n "${DRVLIFE_APPEND:-}" ]; then extra+=(--append "$DRVLIFE_APPEND"); fi
if [ "$mode" = shell ]; then
	exec "$drvlife" shell "${guest[@]}" --out "${OUT:-$TOP/out/shell}" "${extra[@]}"
fi
exec "$drvlife" exec "${guest[@]}" --out "${OUT:-$TOP/out/exec}" "${extra[@]}" -- "$@"
