#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# build-guest.sh - build the guest of the VM test bed: a Debian 12 kernel, the
# sluice module built against its headers, and a busybox-static initramfs that
# runs one test script and powers the machine off.
#
# Usage: build-guest.sh [options]
#   --work DIR          cache directory (default $SLUICE_VM_WORK, else
#                       test/vm/work of the source tree).  The kernel package,
#                       the unpacked kernel and the module build are reused
#                       from there; the module is rebuilt when kernel/ changes.
#   --out FILE          initramfs to write (default WORK/initrd.gz)
#   --script FILE       shell script /init runs (copied to /opt/run-test.sh)
#   --args "A B"        arguments passed to the script
#   --add FILE[:DEST]   copy FILE into the guest, at DEST (default
#                       /opt/<name>).  For a dynamically linked ELF file the
#                       libraries ldd lists come along.  Repeatable.
#   --module NAME       a kernel module to ship, with its dependencies
#                       (default: vfio-pci vfio_iommu_type1 e1000 e1000e
#                       virtio_net; none is loaded unless the script does).
#   --no-insmod         /init does not load sluice.ko (the script does)
#   --kernel-src DIR    module sources to build (default: kernel/ of this
#                       tree; also $SLUICE_VM_KERNEL_SRC), e.g. a patched copy
#   --kernel META       kernel meta-package naming the ABI to boot (default
#                       linux-image-amd64: Debian 12's 6.1; linux-image-6.12-amd64
#                       boots bookworm's 6.12; also $SLUICE_VM_KERNEL)
#   --kernel-only       fetch the kernel and build the module, nothing else
#
# Prints KERNEL=<path> and INITRD=<path> on its last two lines.
# Exit status: 0 built, 77 the kernel packages cannot be had (skip), 1 error.
#
# Needs: apt-get (Debian 12 archive), dpkg, kmod (depmod, modprobe), cpio,
# gzip, busybox-static, make and gcc for the module, and the package
# linux-headers-<abi>-amd64 of the current Debian 12 kernel ABI (installed
# here with apt-get when missing and we are root).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../.." && pwd)

work=${SLUICE_VM_WORK:-$here/work}
ksrc=${SLUICE_VM_KERNEL_SRC:-$src/kernel}
kmeta=${SLUICE_VM_KERNEL:-linux-image-amd64}
out=
script=
script_args=
adds=()
modules=()
insmod=1
kernel_only=0

log() { echo "build-guest: $*" >&2; }
die() { log "$*"; exit 1; }
skip() { log "SKIP: $*"; exit 77; }

while [ $# -gt 0 ]; do
	case $1 in
	--work) work=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--script) script=$2; shift 2 ;;
	--args) script_args=$2; shift 2 ;;
	--add) adds+=("$2"); shift 2 ;;
	--module) modules+=("$2"); shift 2 ;;
	--no-insmod) insmod=0; shift ;;
	--kernel-src) ksrc=$2; shift 2 ;;
	--kernel) kmeta=$2; shift 2 ;;
	--kernel-only) kernel_only=1; shift ;;
	-h|--help) sed -n '3,35p' "$0"; exit 0 ;;
	*) die "unknown option '$1' (see --help)" ;;
	esac
done
# NAME? is optional: shipped when the kernel has it (aer_inject, for the
# module test aer, is a debugging option a kernel may leave out).
[ ${#modules[@]} -gt 0 ] || modules=(vfio-pci vfio_iommu_type1 e1000 e1000e virtio_net 'aer_inject?')

for t in apt-cache apt-get dpkg depmod modprobe cpio gzip make; do
	command -v "$t" >/dev/null || skip "'$t' not found (apt-get install kmod cpio make dpkg)"
done
[ -x /bin/busybox ] || skip "/bin/busybox missing (apt-get install busybox-static)"
/bin/busybox --list >/dev/null 2>&1 || die "/bin/busybox does not run"
# busybox must be static: the initramfs carries no libc for it.
if LC_ALL=C ldd /bin/busybox 2>&1 | grep -q '=>'; then
	die "/bin/busybox is dynamically linked; install busybox-static"
fi

mkdir -p "$work"
work=$(cd "$work" && pwd)
[ -n "$out" ] || out=$work/initrd.gz

# Serialise concurrent builds in one work directory (meson may run two).
exec 9>"$work/.lock"
flock 9

# ---- kernel -------------------------------------------------------------------
# The ABI of the kernel Debian 12 currently ships, e.g. 6.1.0-56 (or that of
# another meta-package, e.g. linux-image-6.12-amd64 -> 6.12.117+deb12).
current_abi() {
	apt-cache depends "$kmeta" 2>/dev/null |
		sed -n 's/^ *Depends: linux-image-\([0-9][^ ]*\)-amd64$/\1/p' | head -1
}
# Package lists missing or stale (the archive moved to a new ABI and the old
# package is gone): refresh them once, as root.
refresh_lists() {
	[ "$(id -u)" -eq 0 ] || return 1
	log "apt-get update"
	apt-get update -q >&2
}
abi=$(current_abi)
if [ -z "$abi" ] && refresh_lists; then
	abi=$(current_abi)
fi
[ -n "$abi" ] || skip "apt-cache does not know $kmeta (run apt-get update)"
kver=$abi-amd64
kroot=$work/kernel-$kver
vmlinuz=$kroot/boot/vmlinuz-$kver

if [ ! -f "$kroot/.done" ]; then
	log "fetching linux-image-$kver"
	rm -rf "$kroot" "$work/deb"
	mkdir -p "$work/deb"
	if ! (cd "$work/deb" && apt-get download -q "linux-image-$kver" >&2); then
		refresh_lists || skip "apt-get download linux-image-$kver failed (stale package lists? run apt-get update)"
		abi=$(current_abi)
		kver=$abi-amd64
		kroot=$work/kernel-$kver
		vmlinuz=$kroot/boot/vmlinuz-$kver
		(cd "$work/deb" && apt-get download -q "linux-image-$kver" >&2) ||
			skip "apt-get download linux-image-$kver failed (no network to the Debian archive?)"
	fi
	dpkg -x "$work"/deb/linux-image-"$kver"_*.deb "$kroot"
	# The package ships no modules.dep; busybox modprobe needs one.
	depmod -b "$kroot" "$kver"
	touch "$kroot/.done"
	rm -rf "$work/deb"
fi
[ -f "$vmlinuz" ] || die "no $vmlinuz after unpacking"

hdr=/usr/src/linux-headers-$kver
if [ ! -f "$hdr/Makefile" ]; then
	if [ "$(id -u)" -eq 0 ]; then
		log "installing linux-headers-$kver"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "linux-headers-$kver" >&2 ||
			skip "apt-get install linux-headers-$kver failed"
	fi
	[ -f "$hdr/Makefile" ] || skip "$hdr missing (apt-get install linux-headers-$kver)"
fi

# ---- sluice.ko ------------------------------------------------------------------
# Rebuilt when any source file of kernel/ changed (content hash, not mtime,
# so a fresh checkout reuses nothing stale and an unchanged tree rebuilds
# nothing).
[ -f "$ksrc/Kbuild" ] || die "no module sources in $ksrc"
mod=$work/module-$kver
sum=$( (echo "$ksrc"; cd "$ksrc" && cat Kbuild ./*.c ./*.h uapi/sluice.h) | sha256sum | cut -d' ' -f1)
if [ ! -f "$mod/sluice.ko" ] || [ "$(cat "$mod/.sum" 2>/dev/null)" != "$sum" ]; then
	log "building sluice.ko against $hdr"
	rm -rf "$mod"
	mkdir -p "$mod/uapi"
	cp "$ksrc/Kbuild" "$ksrc"/*.c "$ksrc"/*.h "$mod/"
	cp "$ksrc/uapi/sluice.h" "$mod/uapi/"
	make -s -C "$hdr" M="$mod" -j2 modules >&2 || die "sluice.ko does not build against $hdr"
	echo "$sum" > "$mod/.sum"
fi

if [ "$kernel_only" = 1 ]; then
	echo "KERNEL=$vmlinuz"
	echo "MODULE=$mod/sluice.ko"
	exit 0
fi

# ---- initramfs ----------------------------------------------------------------
rd=$work/rootfs.$$
trap 'rm -rf "$rd"' EXIT
rm -rf "$rd"
mkdir -p "$rd"/{bin,sbin,etc,proc,sys,dev,tmp,root,opt,var/run,lib/modules/"$kver"}
cp /bin/busybox "$rd/bin/busybox"
# One symlink per applet.  Never "busybox" itself: a link to itself is a loop
# and the kernel fails to run /init with -ELOOP (-40).
for a in $("$rd/bin/busybox" --list-full); do
	[ "${a##*/}" = busybox ] && continue
	[ -d "$rd/${a%/*}" ] || mkdir -p "$rd/${a%/*}"
	[ -e "$rd/$a" ] || ln -s /bin/busybox "$rd/$a"
done
echo "root:x:0:0:root:/root:/bin/sh" > "$rd/etc/passwd"
echo "nobody:x:65534:65534:nobody:/nonexistent:/bin/false" >> "$rd/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$rd/etc/group"

# Copies a host file into the guest with the shared libraries it needs.
copy_libs() { # elf
	local l
	LC_ALL=C ldd "$1" 2>/dev/null | awk '/=> \// {print $3} /^\t\// {print $1}' |
	while read -r l; do
		[ -f "$l" ] || continue
		[ -e "$rd$l" ] && continue
		mkdir -p "$rd$(dirname "$l")"
		cp -L "$l" "$rd$l"
	done
}
add_file() { # host-path guest-path
	mkdir -p "$rd$(dirname "$2")"
	cp -L "$1" "$rd$2"
	if head -c4 "$1" | grep -q 'ELF' && LC_ALL=C ldd "$1" 2>&1 | grep -q '=>'; then
		copy_libs "$1"
		# pthread_cancel() dlopens libgcc_s; ldd does not list it.
		for g in /lib/x86_64-linux-gnu/libgcc_s.so.1; do
			[ -f "$g" ] && [ ! -e "$rd$g" ] && mkdir -p "$rd$(dirname "$g")" && cp -L "$g" "$rd$g"
		done
	fi
}

for a in ${adds[@]+"${adds[@]}"}; do
	f=${a%%:*}
	if [ "$f" = "$a" ]; then d=/opt/$(basename "$f"); else d=${a#*:}; fi
	[ -e "$f" ] || die "--add $f: no such file"
	add_file "$f" "$d"
done

# Kernel modules and their dependencies (nothing is loaded automatically:
# there is no udev or mdev in the guest).
mdir=/lib/modules/$kver
for m in "${modules[@]}"; do
	optional=
	case $m in *\?) m=${m%\?}; optional=1 ;; esac
	if ! deps=$(modprobe -d "$kroot" -S "$kver" --show-depends "$m" 2>/dev/null); then
		[ -n "$optional" ] || die "module $m not in linux-image-$kver"
		log "optional module $m not in linux-image-$kver: not shipped"
		continue
	fi
	echo "$deps" | awk '$1 == "insmod" {print $2}' | while read -r p; do
		rel=${p#"$kroot"}
		mkdir -p "$rd$(dirname "$rel")"
		cp "$p" "$rd$rel"
	done
done
cp "$kroot$mdir"/modules.{order,builtin} "$rd$mdir/" 2>/dev/null || true
[ -f "$kroot$mdir/modules.builtin.modinfo" ] && cp "$kroot$mdir/modules.builtin.modinfo" "$rd$mdir/"
depmod -b "$rd" "$kver"
cp "$mod/sluice.ko" "$rd/opt/sluice.ko"

if [ -n "$script" ]; then
	[ -f "$script" ] || die "--script $script: no such file"
	cp "$script" "$rd/opt/run-test.sh"
fi
printf '%s\n' "$script_args" > "$rd/opt/run-test.args"

# /init: mount the pseudo file systems, load sluice.ko, run the script, print
# the result marker the runner parses, power off.  QEMU runs with -no-reboot,
# so poweroff -f (and a panic, with panic=-1) ends it.
cat > "$rd/init" <<EOF
#!/bin/sh
export PATH=/opt:/bin:/sbin:/usr/bin:/usr/sbin
export LD_LIBRARY_PATH=/opt
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm /dev/hugepages /var/run /tmp
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t hugetlbfs nodev /dev/hugepages
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
hostname sluice-guest
echo "SLUICE-VM-UPTIME: boot \$(cut -d' ' -f1 /proc/uptime)"
echo "SLUICE-VM: guest up, kernel \$(uname -r), \$(nproc) cpus, \$(cat /proc/sys/vm/nr_hugepages) hugepages"
rc=0
if [ $insmod = 1 ]; then
	insmod /opt/sluice.ko || { echo "SLUICE-VM: insmod sluice.ko failed"; rc=1; }
fi
if [ \$rc = 0 ]; then
	if [ -f /opt/run-test.sh ]; then
		sh /opt/run-test.sh \$(cat /opt/run-test.args)
		rc=\$?
	else
		echo "SLUICE-VM: no test script; shell (exit ends the VM)"
		setsid cttyhack sh
	fi
fi
echo "SLUICE-VM-RESULT: rc=\$rc"
sync
poweroff -f
EOF
chmod 755 "$rd/init"

mkdir -p "$(dirname "$out")"
(cd "$rd" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) > "$out.tmp"
mv "$out.tmp" "$out"
log "initramfs $out ($(du -h "$out" | cut -f1))"
echo "KERNEL=$vmlinuz"
echo "INITRD=$out"
