#!/usr/bin/env bash
# Build the guest initramfs: static busybox, qemu/init, the guest selftests,
# the torture engine (/bin/drvtorture, its targets in /torture/targets) and
# every module (ours and the upstream Rust samples), and compile the guest's
# extra ACPI table (qemu/ssdt.asl) next to it. Prints its path.
. "$(dirname "$0")/lib.sh"

kdir=$("$TOP/scripts/build-kernel.sh")
# DRVLIFE_IMAGE_DIR keeps a second image apart (e.g. a run beside make test).
image_dir=${DRVLIFE_IMAGE_DIR:-$CACHE/image}
stage=$image_dir/root
image=$image_dir/initramfs.cpio.gz

rm -rf "$stage"
mkdir -p "$stage"/{bin,sbin,proc,sys,dev,tmp,modules,selftests}

cp /bin/busybox "$stage/bin/busybox"
for applet in $(/bin/busybox --list); do
	[ "$applet" = busybox ] || ln -s busybox "$stage/bin/$applet"
done

install -m 0755 "$TOP/qemu/init" "$stage/init"
# The torture engine and its targets (tools/drvtorture).
install -m 0755 "$(drvtorture_bin)" "$stage/bin/drvtorture"
mkdir -p "$stage/torture/targets"
cp "$TOP"/tools/drvtorture/targets/*.toml "$stage/torture/targets/"
cp -r "$TOP/scripts/selftests/." "$stage/selftests/"

mods=0
for ko in $(find "$TOP/samples" -name '*.ko' | sort) "$kdir"/samples/rust/*.ko "$kdir"/drivers/base/test/*.ko \
	"${C_DRIVER_MODULES[@]/#/$kdir/}"; do
	[ -e "$ko" ] || continue
	# The image needs no debug info: the host decodes stack frames with
	# the unstripped .ko files.
	"llvm-strip$LLVM" --strip-debug -o "$stage/modules/${ko##*/}" "$ko"
	mods=$((mods + 1))
done
[ -e "$stage/modules/lifecycle_basic.ko" ] || die "our modules are not built (run make)"

# Extra ACPI devices; qemu/machine.args loads the table from @IMAGE_DIR@.
iasl -p "$image_dir/ssdt" "$TOP/qemu/ssdt.asl" >"$image_dir/iasl.log" 2>&1 || {
	cat "$image_dir/iasl.log" >&2
	die "iasl could not compile qemu/ssdt.asl"
}

(cd "$stage" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --quiet --owner=0:0) | gzip -1 >"$image.tmp"
mv "$image.tmp" "$image"
log "initramfs: $mods modules, $(du -k "$image" | cut -f1) KiB"
echo "$image"
