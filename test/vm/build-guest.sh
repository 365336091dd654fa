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
#   --suite SUITE       the kernel comes from Debian suite SUITE (e.g.
#                       trixie-backports: 7.3, forky: 7.2), not from this
#                       Debian 12 system: its ABI is looked up, its packages
#                       fetched and sluice.ko built inside test/debian-chroot's
#                       chroot of SUITE, whose compiler built those headers
#                       (gcc 14 for trixie, gcc 16 for forky); also
#                       $SLUICE_VM_SUITE.  With it --kernel defaults to
#                       linux-image-amd64 of that suite.
#   --werror            build sluice.ko with W=1 and -Werror (CI's builds)
#   --kernel-only       fetch the kernel and build the module, nothing else
#
# Prints KERNEL=<path> and INITRD=<path> on its last two lines.
# Exit status: 0 built, 77 the kernel packages cannot be had (skip), 1 error.
#
# Needs: apt-get (Debian 12 archive), dpkg, kmod (depmod, modprobe), cpio,
# gzip, busybox-static, make and gcc for the module, and the package
# linux-headers-<abi>-amd64 of the current Debian 12 kernel ABI (installed
# here with apt-get when missing and we are root).  With --suite: root and
# debootstrap instead of the host's headers (the chroot gets them).
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
suite=${SLUICE_VM_SUITE:-}
werror=0

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
	--suite) suite=$2; shift 2 ;;
	--werror) werror=1; shift ;;
	-h|--help) sed -n '3,47p' "$0"; exit 0 ;;
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

# Scratch directories (the chroot's downloads and module build under
# /var/tmp, the initramfs tree) go on every exit, an interrupted one too.
scratch=()
trap 'rm -rf ${scratch[@]+"${scratch[@]}"}' EXIT

# Serialise concurrent builds in one work directory (meson may run two).
exec 9>"$work/.lock"
flock 9

# ---- kernel -------------------------------------------------------------------
# A kernel of another suite is looked up, fetched and built for in that
# suite's chroot; in_suite runs a command there or, without --suite, here.
chroot_tool=$src/test/debian-chroot
in_suite() { # command args...: in the chroot of --suite, else here
	if [ -n "$suite" ]; then
		"$chroot_tool" --run "$suite" "$@"
	else
		"$@"
	fi
}
if [ -n "$suite" ]; then
	# test/run-all.sh's switch for "no chroots on this machine".
	[ "${SL_NO_CHROOT:-0}" = 1 ] && skip "--suite $suite needs a chroot and SL_NO_CHROOT=1"
	[ "$(id -u)" -eq 0 ] ||
		skip "--suite $suite needs root (the chroot is made with debootstrap)"
	# Made once and cached (about 40 s, then nothing); make and binutils
	# because the headers package pulls in only the compiler; perl for W=1's
	# kernel-doc before 6.16 (it needs Pod::Usage, not in perl-base).
	"$chroot_tool" "$suite" make binutils kmod perl >/dev/null ||
		skip "no $suite chroot (test/debian-chroot $suite failed; see above)"
	croot=$("$chroot_tool" --root "$suite")
fi
# The ABI of the kernel Debian 12 currently ships, e.g. 6.1.0-56 (or that of
# another meta-package, e.g. linux-image-6.12-amd64 -> 6.12.117+deb12, or of
# another suite's, e.g. 7.3.4+deb13 in trixie-backports).  -t: a backports
# suite's packages are candidates only when asked for.
current_abi() {
	in_suite apt-cache ${suite:+-t "$suite"} depends "$kmeta" 2>/dev/null |
		sed -n 's/^ *Depends: linux-image-\([0-9][^ ]*\)-amd64$/\1/p' | head -1
}
# Package lists missing or stale (the archive moved to a new ABI and the old
# package is gone): refresh them once, as root.
refresh_lists() {
	[ "$(id -u)" -eq 0 ] || return 1
	log "apt-get update${suite:+ ($suite chroot)}"
	if [ -n "$suite" ]; then
		"$chroot_tool" --update "$suite" >&2
	else
		apt-get -o Acquire::Retries=5 update -q >&2
	fi
}
# From 7.x Debian splits the kernel: linux-image-<abi> is empty and depends
# on linux-binary-<abi> (vmlinuz), linux-modules-<abi> and linux-base-<abi>
# (modules.builtin and modules.order, which modprobe reads).  Fetch them all.
kernel_debs() { # kver
	echo "linux-image-$1"
	in_suite apt-cache ${suite:+-t "$suite"} depends "linux-image-$1" 2>/dev/null |
		sed -n "s/^ *Depends: \(linux-\(binary\|modules\|base\)-$1\)\$/\1/p"
}
# apt-get download into the current directory (in the chroot: a directory
# under /var/tmp, which the chroot shares).  The sandbox user _apt cannot
# write there; root downloads, as it would anyway after a warning.
download_kernel() { # kver
	local debs
	debs=$(kernel_debs "$1")
	# shellcheck disable=SC2086 # one package name per word
	in_suite apt-get download -q -o Acquire::Retries=5 -o APT::Sandbox::User=root ${suite:+-t "$suite"} $debs >&2
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
	log "fetching linux-image-$kver${suite:+ from $suite}"
	rm -rf "$kroot" "$work/deb"
	if [ -n "$suite" ]; then
		debdir=$(mktemp -d /var/tmp/sluice-kernel-deb.XXXXXX)
		scratch+=("$debdir")
	else
		debdir=$work/deb
		mkdir -p "$debdir"
	fi
	if ! (cd "$debdir" && download_kernel "$kver"); then
		refresh_lists || skip "apt-get download linux-image-$kver failed (stale package lists? run apt-get update)"
		abi=$(current_abi)
		kver=$abi-amd64
		kroot=$work/kernel-$kver
		vmlinuz=$kroot/boot/vmlinuz-$kver
		(cd "$debdir" && download_kernel "$kver") ||
			skip "apt-get download linux-image-$kver failed (no network to the Debian archive?)"
	fi
	for d in "$debdir"/linux-*"$kver"_*.deb; do
		dpkg -x "$d" "$kroot"
	done
	# From 7.x the packages are merged-/usr: modules and vmlinuz live in
	# /usr/lib/modules/<kver>.  /lib is a link to usr/lib, as on the system
	# they are made for, so that one path serves every kernel.
	if [ ! -e "$kroot/lib" ] && [ -d "$kroot/usr/lib/modules/$kver" ]; then
		ln -s usr/lib "$kroot/lib"
	fi
	# The package ships no modules.dep; busybox modprobe needs one.
	depmod -b "$kroot" "$kver"
	touch "$kroot/.done"
	rm -rf "$debdir"
fi
[ -f "$vmlinuz" ] || vmlinuz=$kroot/lib/modules/$kver/vmlinuz
[ -f "$vmlinuz" ] || die "no vmlinuz-$kver in $kroot after unpacking"

if [ -n "$suite" ]; then
	# The chroot's headers, built with the chroot's compiler.
	hdr=/usr/src/linux-headers-$kver
	"$chroot_tool" "$suite" "linux-headers-$kver" >/dev/null ||
		skip "apt-get install linux-headers-$kver failed in the $suite chroot"
	[ -f "$croot$hdr/Makefile" ] || die "no $croot$hdr/Makefile after installing it"
fi
hdr=/usr/src/linux-headers-$kver
if [ -z "$suite" ] && [ ! -f "$hdr/Makefile" ]; then
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
sum=$( (echo "$ksrc $werror"; cd "$ksrc" && cat Kbuild ./*.c ./*.h uapi/sluice.h) | sha256sum | cut -d' ' -f1)
# --werror: the kernel's extra warnings, each one fatal, as meson's module
# build under -Dwerror=true does for the host's headers.
kmake=(make -s -C "$hdr" -j2)
[ "$werror" = 1 ] && kmake+=(W=1 KCFLAGS=-Werror)
if [ ! -f "$mod/sluice.ko" ] || [ "$(cat "$mod/.sum" 2>/dev/null)" != "$sum" ]; then
	log "building sluice.ko against $hdr${suite:+ in the $suite chroot}"
	rm -rf "$mod"
	if [ -n "$suite" ]; then
		# Kbuild runs in the chroot, which sees /var/tmp but perhaps not WORK.
		kb=$(mktemp -d /var/tmp/sluice-kmod.XXXXXX)
		scratch+=("$kb")
	else
		kb=$mod
	fi
	mkdir -p "$kb/uapi"
	cp "$ksrc/Kbuild" "$ksrc"/*.c "$ksrc"/*.h "$kb/"
	cp "$ksrc/uapi/sluice.h" "$kb/uapi/"
	if ! in_suite "${kmake[@]}" M="$kb" modules >&2; then
		[ "$kb" = "$mod" ] || rm -rf "$kb"
		die "sluice.ko does not build against $hdr${suite:+ (in the $suite chroot)}"
	fi
	if [ "$kb" != "$mod" ]; then
		mkdir -p "$mod"
		cp "$kb/sluice.ko" "$mod/"
		rm -rf "$kb"
	fi
	echo "$sum" > "$mod/.sum"
fi

if [ "$kernel_only" = 1 ]; then
	echo "KERNEL=$vmlinuz"
	echo "MODULE=$mod/sluice.ko"
	exit 0
fi

# ---- initramfs ----------------------------------------------------------------
rd=$work/rootfs.$$
scratch+=("$rd")
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
	# grep reads all of ldd's output: grep -q would exit at the first match
	# and, under pipefail, a SIGPIPE to ldd (a long list: dpdk-testpmd's 66
	# libraries) would skip copy_libs and leave the program without them
	if head -c4 "$1" | grep -q 'ELF' && LC_ALL=C ldd "$1" 2>&1 | grep '=>' >/dev/null; then
		copy_libs "$1"
		# pthread_cancel() dlopens libgcc_s; ldd does not list it.
		# (an if, not an && list: a list ending false, the library
		# already there from an earlier --add, would make add_file
		# return 1 and set -e end the build without a word)
		for g in /lib/x86_64-linux-gnu/libgcc_s.so.1; do
			if [ -f "$g" ] && [ ! -e "$rd$g" ]; then
				mkdir -p "$rd$(dirname "$g")"
				cp -L "$g" "$rd$g"
			fi
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
