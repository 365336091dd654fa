#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# run-igb-vm.sh WORK_DIR [all|pf|vf|probe]
#
# Boot a q35 guest with a vIOMMU and three emulated 82576 (QEMU's "igb"),
# run guest-igb.sh in it and return its verdict (77 = skipped).
#
# QEMU: this boot needs QEMU >= 8.0 (igb came in 8.0); Debian 12's 7.2 has
# none.  It uses $SLUICE_QEMU10, default /opt/sluice/qemu-10 (QEMU 10.0 of
# bookworm-backports, unpacked there by .ci/install-deps so that the
# system's 7.2, which every other VM test uses, stays in place).
#
# Wiring (QEMU hubs: a frame goes to every other port of its hub):
#   hub 0: igb 00:02.0 ("A")  <->  igb 00:06.0 ("B")      sluice PF tests
#          (slots 18-19 and 22-23 hold their VFs' functions, even when
#          disabled, so the PFs sit 4 slots apart)
#   hub 1: igb 01:00.0 ("C") behind pcie-root-port 00:04.0: the guest
#          kernel's igb driver keeps it and creates VFs (01:10.0, 01:10.2 ...)
#          that sluice-pci takes (VF tests)
#
# The guest programs are built from this source tree into WORK_DIR with
# -march=x86-64-v2 (the TCG CPU lacks the host's newest instructions).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../../.." && pwd)
work=$1
mode=${2:-all}
mkdir -p "$work"
work=$(cd "$work" && pwd)

log() { echo "run-igb-vm: $*" >&2; }

q10=${SLUICE_QEMU10:-/opt/sluice/qemu-10}
qemu=$q10/usr/bin/qemu-system-x86_64
if [ ! -x "$qemu" ]; then
	log "SKIP: $qemu missing (.ci/install-deps unpacks QEMU 10 from bookworm-backports there)"
	exit 77
fi

# ---- guest kernel ---------------------------------------------------------
abi=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/.*Depends: linux-image-\(.*\)-amd64$/\1/p' | head -1)
[ -n "$abi" ] || { log "SKIP: cannot find the linux-image-amd64 ABI (apt-cache)"; exit 77; }
kver=$abi-amd64
kdir=/usr/src/linux-headers-$kver
if [ ! -d "$kdir" ]; then
	log "SKIP: kernel headers $kdir missing (apt-get install linux-headers-$kver)"
	exit 77
fi
if [ ! -f "$work/kroot/boot/vmlinuz-$kver" ]; then
	( cd "$work" && rm -f linux-image-*.deb && apt-get download -o Acquire::Retries=5 "linux-image-$kver" >/dev/null 2>&1 ) ||
		{ log "SKIP: apt-get download linux-image-$kver failed"; exit 77; }
	rm -rf "$work/kroot"
	dpkg -x "$work"/linux-image-*.deb "$work/kroot"
fi

# ---- guest programs ----------------------------------------------------------
build=${IGB_GUEST_BUILD:-$work/build-guest}
if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" "$src" -Dcpu_instruction_set=x86-64-v2 -Dtests=false \
		-Dkernel_dir=none >/dev/null || { log "meson setup of the guest build failed"; exit 1; }
fi
# shellcheck source=../sluice-lib.sh
. "$here/../sluice-lib.sh"
lib=$(sluice_lib "$build") || { log "cannot find the libsluice target in $build"; exit 1; }
ninja -C "$build" "$lib" >/dev/null || { log "guest build failed"; ninja -C "$build" "$lib"; exit 1; }
incs=
for d in config lib/eal lib/ring lib/mempool lib/mbuf lib/net lib/ethdev drivers/bus/pci; do
	incs="$incs -I$src/$d -I$build/$d"
done
mkdir -p "$build/test/vm/igb"
# shellcheck disable=SC2086
cc -O2 -Wall -Wextra -Werror -std=gnu11 -D_GNU_SOURCE -march=x86-64-v2 $incs \
	"$here/igb_e2e.c" -o "$build/test/vm/igb/sluice-igb-e2e" -L"$build" -lsluice -lpthread ||
	{ log "building sluice-igb-e2e failed"; exit 1; }

# ---- sluice module ------------------------------------------------------------
sh "$src/kernel/build-module.sh" "$kdir" "$src/kernel" "$work/mod" >/dev/null 2>&1 ||
	{ log "building sluice.ko failed"; sh "$src/kernel/build-module.sh" "$kdir" "$src/kernel" "$work/mod"; exit 1; }

# ---- initramfs -------------------------------------------------------------------
rd=$work/initrd
rm -rf "$rd"
mkdir -p "$rd/bin" "$rd/sbin" "$rd/proc" "$rd/sys" "$rd/dev" "$rd/tmp" "$rd/var/run" \
	"$rd/dev/hugepages" "$rd/lib/modules" "$rd/opt" "$rd/lib64"
cp /bin/busybox "$rd/bin/busybox"
for a in $("$rd/bin/busybox" --list); do
	[ "$a" = busybox ] || ln -sf busybox "$rd/bin/$a"
done
# The kernel's igb (the PF driver of the VF tests) and what it needs.
mdir=$work/kroot/lib/modules/$kver
mkdir -p "$rd/lib/modules/$kver"
( cd "$mdir" && find kernel/drivers/net/ethernet/intel/igb kernel/drivers/dca \
	kernel/drivers/i2c/algos kernel/drivers/ptp kernel/drivers/pps -name '*.ko*' ) | while read -r m; do
	mkdir -p "$rd/lib/modules/$kver/$(dirname "$m")"
	cp "$mdir/$m" "$rd/lib/modules/$kver/$m"
done
cp "$mdir/modules.order" "$mdir/modules.builtin" "$rd/lib/modules/$kver/" 2>/dev/null || true
depmod -b "$rd" "$kver"
cp "$work/mod/sluice.ko" "$rd/opt/"
cp -L "$build/$lib" "$rd/opt/libsluice.so.0"
for p in "$build/test/vm/igb/sluice-igb-e2e"; do
	cp -L "$p" "$rd/opt/"
	LD_LIBRARY_PATH=$build ldd "$p" | awk '/=>/ {print $3} /^\t\/lib/ {print $1}' | while read -r l; do
		[ -f "$l" ] || continue
		mkdir -p "$rd$(dirname "$l")"
		cp -L "$l" "$rd$l"
	done
done
cp -L /lib/x86_64-linux-gnu/libgcc_s.so.1 "$rd/lib/x86_64-linux-gnu/" 2>/dev/null || true
cp -L /lib64/ld-linux-x86-64.so.2 "$rd/lib64/"
cp "$src/apps/devbind/sluice-devbind" "$src/apps/devbind/sluice-hugepages" "$rd/bin/"
cp "$here/guest-igb.sh" "$rd/opt/"
cat > "$rd/init" <<EOI
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /dev/hugepages
mount -t hugetlbfs nodev /dev/hugepages
export PATH=/bin:/sbin:/opt
export LD_LIBRARY_PATH=/opt
echo "=== guest up: \$(uname -r)"
sh /opt/guest-igb.sh $mode ; rc=\$?
echo "=== guest-igb exit \$rc"
poweroff -f
EOI
chmod +x "$rd/init"
( cd "$rd" && find . | cpio -o -H newc 2>/dev/null | gzip -1 ) > "$work/initrd.gz"

# ---- boot ---------------------------------------------------------------------
# -L: QEMU 10's own firmware blobs first; seabios comes from the system's
# /usr/share/seabios (QEMU's built-in firmware path), as for 7.2.
out=$work/console.log
boot() {
	log "booting $($qemu --version | head -1) (console $out)"
	QEMU_MODULE_DIR=$q10/usr/lib/x86_64-linux-gnu/qemu \
	timeout "${IGB_VM_TIMEOUT:-900}" "$qemu" -L "$q10/usr/share/qemu" \
		-M q35,kernel-irqchip=split -accel tcg -cpu max \
		-m 2048 -smp 2 -nographic -no-reboot \
		-device intel-iommu,intremap=on,caching-mode=on,aw-bits=48 \
		-kernel "$work/kroot/boot/vmlinuz-$kver" -initrd "$work/initrd.gz" \
		-append "console=ttyS0 intel_iommu=on panic=-1 hugepages=256 quiet" \
		-netdev hubport,id=h0a,hubid=0 -device igb,netdev=h0a,addr=02.0,mac=52:54:00:00:01:0a \
		-netdev hubport,id=h0b,hubid=0 -device igb,netdev=h0b,addr=06.0,mac=52:54:00:00:01:0b \
		-device pcie-root-port,id=rp1,chassis=1,addr=04.0 \
		-netdev hubport,id=h1c,hubid=1 -device igb,netdev=h1c,bus=rp1,mac=52:54:00:00:01:0c \
		-trace vtd_dmar_fault \
		> "$out" 2>&1 || true
	cat "$out"
}
boot
# QEMU 10.0 itself can abort in the kill -9 step (an assertion in its
# TCG/vIOMMU translation code, test/vm/KNOWN-ISSUES.md): that is the
# emulator's crash, not a test result, so boot once more.  Any other
# failure, or the same crash twice, fails the test.
if ! grep -q "^=== guest-igb exit 0" "$out" &&
   grep -q "iotlb_to_section: Assertion" "$out"; then
	log "QEMU aborted in iotlb_to_section (known QEMU 10 bug, KNOWN-ISSUES.md): booting again once"
	boot
fi
if grep -q "^=== guest-igb exit 0" "$out"; then
	exit 0
fi
exit 1
