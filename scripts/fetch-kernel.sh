#!/usr/bin/env bash
# Fetch Debian's linux-source-7.3 package into the cache and unpack it.
#
# The package is not in bookworm, so we use a private apt state and sources
# list (the machine's own apt configuration is never changed), pointed at the
# same mirror the machine already uses. Prints the path of the pristine tree.
#
# Set KDIR (or KERNEL_SRC) to skip this and use your own 7.3 tree.
. "$(dirname "$0")/lib.sh"

PKG=linux-source-$KERNEL_SERIES
SUITES=(trixie-backports forky-backports forky sid)
APTDIR=$CACHE/apt
SRCROOT=$CACHE/src

# Mirror of the Debian archive from the machine's apt configuration: the first
# URI serving the running release (not its security suite).
find_mirror() {
	local codename file
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	for file in /etc/apt/sources.list.d/*.sources; do
		[ -e "$file" ] || continue
		awk -v rel="$codename" '
			/^[[:space:]]*$/ { if (uri != "" && ok) { print uri; exit } uri = ""; ok = 0; next }
			/^URIs:/ { uri = $2 }
			/^Suites:/ { for (i = 2; i <= NF; i++) if ($i == rel) ok = 1 }
			END { if (uri != "" && ok) print uri }' "$file"
	done
	for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -e "$file" ] || continue
		awk -v rel="$codename" '$1 == "deb" {
			for (i = 2; i <= NF; i++) if ($i !~ /^\[/) { if ($(i + 1) == rel) print $i; break } }' "$file"
	done
}

# Reuse an unpacked tree whose version was recorded earlier, unless asked to
# look for a newer package.
if [ -z "${REFRESH_KERNEL:-}" ] && [ -f "$SRCROOT/current" ]; then
	tree=$(cat "$SRCROOT/current")
	if [ -f "$tree/Makefile" ]; then
		echo "$tree"
		exit 0
	fi
fi

mirror=$(find_mirror | head -n1)
[ -n "$mirror" ] || die "no Debian mirror found in the machine's apt sources"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

mkdir -p "$APTDIR/lists/partial" "$APTDIR/archives/partial" "$APTDIR/etc/preferences.d"
: >"$APTDIR/sources.list"
for suite in "${SUITES[@]}"; do
	echo "deb [signed-by=$keyring] $mirror $suite main" >>"$APTDIR/sources.list"
done
apt_opts=(
	-o "Dir::Etc::SourceList=$APTDIR/sources.list"
	-o "Dir::Etc::SourceParts=/dev/null"
	-o "Dir::Etc::Preferences=/dev/null"
	-o "Dir::Etc::PreferencesParts=$APTDIR/etc/preferences.d"
	-o "Dir::State::Lists=$APTDIR/lists"
	-o "Dir::Cache=$APTDIR"
	-o "Dir::Cache::Archives=$APTDIR/archives"
	-o "APT::Get::List-Cleanup=0"
	-o "Acquire::Languages=none"
	-o "APT::Sandbox::User=root"
)
log "looking for $PKG in: ${SUITES[*]}"
# A suite that does not exist (yet) on the mirror is not an error.
apt-get "${apt_opts[@]}" -qq update 2>&1 | grep -v -e '^W:' -e '^E: The repository' -e '^N:' >&2 || true

# Newest 7.3.x across all suites.
version=$(apt-cache "${apt_opts[@]}" madison "$PKG" 2>/dev/null |
	awk -F'|' '{gsub(/ /, "", $2); print $2}' |
	while read -r v; do echo "$v"; done | sort -V | tail -n1)
[ -n "$version" ] || die "$PKG not found in ${SUITES[*]} on the machine's mirror"
log "newest $PKG: $version"

deb=$(find "$APTDIR/archives" -maxdepth 1 -name "${PKG}_${version//:/%3a}_*.deb" | head -n1)
if [ -z "$deb" ]; then
	(cd "$APTDIR/archives" && apt-get "${apt_opts[@]}" -qq download "$PKG=$version") ||
		die "download of $PKG=$version failed"
	deb=$(find "$APTDIR/archives" -maxdepth 1 -name "${PKG}_*.deb" -newer "$APTDIR/sources.list" | head -n1)
fi
[ -n "$deb" ] || die "downloaded package not found in $APTDIR/archives"

tree=$SRCROOT/$PKG-$version
if [ ! -f "$tree/.unpacked" ]; then
	rm -rf "$tree" "$tree.tmp"
	mkdir -p "$tree.tmp"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tree.tmp" --wildcards './usr/src/*.tar.*'
	tarball=$(find "$tree.tmp/usr/src" -maxdepth 1 -name "$PKG.tar.*" | head -n1)
	[ -n "$tarball" ] || die "$deb holds no $PKG tarball"
	tar -xf "$tarball" -C "$tree.tmp"
	mv "$tree.tmp/$PKG" "$tree"
	rm -rf "$tree.tmp"
	echo "$version" >"$tree/.debian-version"
	touch "$tree/.unpacked"
fi

kver=$(make -s -C "$tree" kernelversion 2>/dev/null) || die "cannot read the kernel version of $tree"
case "$kver" in
"$KERNEL_SERIES" | "$KERNEL_SERIES".*) ;;
*) die "$tree is Linux $kver, not $KERNEL_SERIES.x" ;;
esac
log "kernel source: Linux $kver (Debian $version) in $tree"
echo "$tree" >"$SRCROOT/current"
echo "$tree"
