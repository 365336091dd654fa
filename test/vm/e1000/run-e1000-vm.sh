#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# run-e1000-vm.sh WORK_DIR [all|quick|bench|vsdpdk|count|launch|kill]
#
# Boot a q35 guest with a vIOMMU and four NICs, run guest-e1000.sh in it and
# return its verdict (exit 77 = skipped: no kernel headers / image).
# NIC wiring (QEMU hubs: a frame goes to every other port of its hub):
#     hub 0: e1000  00:02.0 ("e1000-a")   <->  e1000e 00:04.0 ("e1000e-a")
#     hub 1: e1000  00:03.0 ("e1000-b")   <->  e1000e 00:05.0 ("e1000e-b")
#     hub 2: two e1000 behind the PCIe-to-PCI bridge
#            00:06.0: they share one IOMMU group (the sluice-launch group tests)
# so a frame sent on e1000e-a arrives at e1000-a, one sent on e1000-b
# arrives at e1000e-b, and a forwarder between e1000-a and e1000-b closes
# the loop.
#
# The guest programs are built from this source tree into WORK_DIR with
# -march=x86-64-v2: the TCG guest CPU lacks the host's newest instructions.
# Set E1000_GUEST_BUILD to reuse a build directory configured that way.
# The vIOMMU gets aw-bits=48: QEMU's default 39-bit width cannot translate
# user-space addresses, and Sluice maps memory at IOVA = VA.
#
# Needs: qemu-system-x86_64, busybox-static, kmod (depmod), cpio, meson,
# apt-get download access to the Debian archive (kernel image) and the
# kernel headers of the same ABI for the sluice module.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../../.." && pwd)
work=$1
shift
mkdir -p "$work"
work=$(cd "$work" && pwd)

log() { echo "run-e1000-vm: $*" >&2; }

# ---- guest kernel ---------------------------------------------------------
abi=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/.*Depends: linux-image-\(.*\)-amd64$/\1/p' | head -1)
[ -n "$abi" ] || { log "cannot find the linux-image-amd64 ABI (apt-cache)"; exit 77; }
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
build=${E1000_GUEST_BUILD:-$work/build-guest}
if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" "$src" -Dcpu_instruction_set=x86-64-v2 -Dtests=false \
		-Dkernel_dir=none >/dev/null || { log "meson setup of the guest build failed"; exit 1; }
fi
# shellcheck source=../sluice-lib.sh
. "$here/../sluice-lib.sh"
lib=$(sluice_lib "$build") || { log "cannot find the libsluice target in $build"; exit 1; }
targets="$lib apps/testpmd/sluice-testpmd apps/launch/sluice-launch"
# shellcheck disable=SC2086
ninja -C "$build" $targets >/dev/null ||
	{ log "guest build failed"; ninja -C "$build" $targets; exit 1; }
mkdir -p "$build/test/vm/e1000"
incs=
for d in config lib/eal lib/ring lib/mempool lib/mbuf lib/net lib/ethdev drivers/bus/pci \
	drivers/net/e1000; do
	incs="$incs -I$src/$d -I$build/$d"
done
# shellcheck disable=SC2086
cc -O2 -Wall -Wextra -Werror -std=gnu11 -D_GNU_SOURCE -march=x86-64-v2 $incs \
	"$here/e1000_e2e.c" -o "$build/test/vm/e1000/sluice-e1000-e2e" "$build/$lib" -lpthread ||
	{ log "building sluice-e1000-e2e failed"; exit 1; }

# ---- sluice module ------------------------------------------------------------
sh "$src/kernel/build-module.sh" "$kdir" "$src/kernel" "$work/mod" >/dev/null 2>&1 ||
	{ log "building sluice.ko failed"; sh "$src/kernel/build-module.sh" "$kdir" "$src/kernel" "$work/mod"; exit 1; }

# ---- initramfs -------------------------------------------------------------------
rd=$work/initrd
rm -rf "$rd"
mkdir -p "$rd/bin" "$rd/sbin" "$rd/proc" "$rd/sys" "$rd/dev" "$rd/tmp" "$rd/var/run" \
	"$rd/dev/hugepages" "$rd/lib/modules" "$rd/opt"
cp /bin/busybox "$rd/bin/busybox"
for a in $("$rd/bin/busybox" --list); do
	[ "$a" = busybox ] || ln -sf busybox "$rd/bin/$a"
done
# kernel modules we may load: vfio stack, the kernel NIC drivers (AF_PACKET
# benchmark), sluice
mdir=$work/kroot/lib/modules/$kver
mkdir -p "$rd/lib/modules/$kver"
( cd "$mdir" && find kernel/drivers/vfio kernel/virt/lib kernel/drivers/net/ethernet/intel/e1000 \
	kernel/drivers/net/ethernet/intel/e1000e -name '*.ko*' ) | while read -r m; do
	mkdir -p "$rd/lib/modules/$kver/$(dirname "$m")"
	cp "$mdir/$m" "$rd/lib/modules/$kver/$m"
done
cp "$mdir/modules.order" "$mdir/modules.builtin" "$rd/lib/modules/$kver/" 2>/dev/null || true
depmod -b "$rd" "$kver"
cp "$work/mod/sluice.ko" "$rd/opt/"

# programs and their libraries
progs="$build/test/vm/e1000/sluice-e1000-e2e $build/apps/testpmd/sluice-testpmd
	$build/apps/launch/sluice-launch"
cp -L "$build/$lib" "$rd/opt/libsluice.so.0"
for p in $progs "$build/$lib"; do
	[ -x "$p" ] || { log "missing $p (build it first)"; exit 1; }
	cp -L "$p" "$rd/opt/"
	LD_LIBRARY_PATH=$build ldd "$p" | awk '/=>/ {print $3} /^\t\/lib/ {print $1}' | while read -r l; do
		[ -f "$l" ] || continue
		mkdir -p "$rd$(dirname "$l")"
		cp -L "$l" "$rd$l"
	done
done
for l in /lib/x86_64-linux-gnu/libgcc_s.so.1; do
	[ -f "$l" ] && mkdir -p "$rd$(dirname "$l")" && cp -L "$l" "$rd$l"
done
# DPDK's testpmd and the three plugins it needs, for the benchmark peer
if [ -x /usr/bin/dpdk-testpmd ]; then
	pmd=$(ls -d /usr/lib/x86_64-linux-gnu/dpdk/pmds-* 2>/dev/null | head -1)
	if [ -n "$pmd" ]; then
		mkdir -p "$rd$pmd"
		cp -L /usr/bin/dpdk-testpmd "$rd/opt/"
		for p in /usr/bin/dpdk-testpmd "$pmd"/librte_bus_pci.so "$pmd"/librte_net_e1000.so \
			"$pmd"/librte_mempool_ring.so; do
			if [ "${p#"$pmd"/}" != "$p" ]; then
				# e.g. librte_bus_pci.so -> librte_bus_pci.so.23, which
				# testpmd also links (RUNPATH): same file, or its
				# constructors run twice.
				t=$(readlink "$p")
				[ -f "$rd$pmd/$t" ] || cp -L "$pmd/$t" "$rd$pmd/$t"
				ln -sf "$t" "$rd$p"
			fi
			ldd "$p" | awk '/=>/ {print $3}' | while read -r l; do
				[ -f "$l" ] || continue
				mkdir -p "$rd$(dirname "$l")"
				[ -f "$rd$l" ] || cp -L "$l" "$rd$l"
			done
		done
	fi
fi
mkdir -p "$rd/lib64"
cp -L /lib64/ld-linux-x86-64.so.2 "$rd/lib64/"
cp "$src/apps/devbind/sluice-devbind" "$src/apps/devbind/sluice-hugepages" "$rd/bin/"
cp "$here/guest-e1000.sh" "$rd/opt/"
# an unprivileged user for the sluice-launch tests
mkdir -p "$rd/etc"
printf 'root:x:0:0:root:/root:/bin/sh\nsluiceuser:x:1000:1000::/tmp:/bin/sh\n' > "$rd/etc/passwd"
printf 'root:x:0:\nsluiceuser:x:1000:\n' > "$rd/etc/group"

# the benchmark knobs of guest-e1000.sh, handed into the guest
knobs=
for v in E1000_COUNT E1000_BENCH_SECS E1000_BENCH_ROUNDS E1000_BENCH_SIZES E1000_COUNT_SECS \
	E1000_VS_WHO E1000_ALSO_VSDPDK E1000_BENCH_FWDS E1000_BENCH_MODELS \
	E1000_COUNT_MIN; do
	eval "val=\${$v:-}"
	# shellcheck disable=SC2154
	[ -n "$val" ] && knobs="$knobs export $v='$val';"
done
cat > "$rd/init" <<EOF
#!/bin/sh
$knobs
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /dev/hugepages
mount -t hugetlbfs nodev /dev/hugepages
export PATH=/bin:/sbin:/opt
export LD_LIBRARY_PATH=/opt
echo "=== guest up: \$(uname -r)"
sh /opt/guest-e1000.sh $* ; rc=\$?
echo "=== guest-e1000 exit \$rc"
poweroff -f
EOF
chmod +x "$rd/init"
( cd "$rd" && find . | cpio -o -H newc 2>/dev/null | gzip -1 ) > "$work/initrd.gz"

# ---- boot ---------------------------------------------------------------------
# Every mode gets the bridge.  Its two extra devices change the timing enough
# that the kill -9 test of guest-e1000.sh section 4 caught 00:02.0 (an
# 82540EM, no function reset) resuming DMA to the killed owner's rings as
# soon as the next owner's SET_DOMAIN turned bus mastering on: DMAR faults in
# 2 of 2 runs (0 of 2 without the bridge).  Bus mastering is now the PMD's to
# turn on after its reset (doc/kernel-module.md), and the test stays here to
# keep it so.
bridge="-device pcie-pci-bridge,id=pbr,addr=06.0
	-netdev hubport,id=h2a,hubid=2 -device e1000,netdev=h2a,bus=pbr,addr=01.0,mac=52:54:00:00:00:0e
	-netdev hubport,id=h2b,hubid=2 -device e1000,netdev=h2b,bus=pbr,addr=02.0,mac=52:54:00:00:00:0f"
out=$work/console.log
# count: QEMU traces every register access of the NICs and every IOMMU
# translation (one per page a DMA touches), plus the UART writes from which
# mmio-count.awk rebuilds the console; see that file.
trace="-trace vtd_dmar_fault"
# vsdpdk: named threads ("CPU 1/TCG"), whose CPU time vcpu-share.py reads
[ "${1:-}" = vsdpdk ] && trace="$trace -name e1000-vm,debug-threads=on"
# E1000_QEMU_ARGS: more QEMU options for experiments (e.g. "-icount shift=0":
# guest time then counts guest instructions only, so a rate compares the
# drivers' guest-side cost with the device model taken out)
trace="$trace ${E1000_QEMU_ARGS:-}"
if [ "${1:-}" = count ]; then
	trace="$trace -trace memory_region_ops_read -trace memory_region_ops_write
		-trace vtd_iotlb_page_hit -trace vtd_iotlb_page_update"
fi
boot() {
	timeout "${E1000_VM_TIMEOUT:-900}" qemu-system-x86_64 -M q35,kernel-irqchip=split -accel tcg -cpu max \
	-m 2048 -smp 2 -nographic -no-reboot \
	-device intel-iommu,intremap=on,caching-mode=on,aw-bits=48 \
	-kernel "$work/kroot/boot/vmlinuz-$kver" -initrd "$work/initrd.gz" \
	-append "console=ttyS0 intel_iommu=on panic=-1 hugepages=256 quiet" \
	-netdev hubport,id=h0a,hubid=0 -device e1000,netdev=h0a,addr=02.0,mac=52:54:00:00:00:0a \
	-netdev hubport,id=h1a,hubid=1 -device e1000,netdev=h1a,addr=03.0,mac=52:54:00:00:00:0b \
	-netdev hubport,id=h0b,hubid=0 -device e1000e,netdev=h0b,addr=04.0,mac=52:54:00:00:00:0c \
	-netdev hubport,id=h1b,hubid=1 -device e1000e,netdev=h1b,addr=05.0,mac=52:54:00:00:00:0d \
	$bridge \
		$trace
}
if [ "${1:-}" = count ]; then
	# The trace runs to gigabytes: summarised as it comes (mmio-count.awk),
	# the console kept as rebuilt from it.
	boot 2>&1 | awk -v RAW="$work/count-raw.txt" -f "$here/mmio-count.awk" > "$work/count.txt" || true
	sed -n 's/^console: //p' "$work/count.txt" > "$out"
	grep -v "^console: " "$work/count.txt" > "$work/count-summary.txt"
else
	boot > "$out" 2>&1 &
	bpid=$!
	# vsdpdk: the vCPU threads' CPU time over each run (vcpu-share.py),
	# since the host is shared and a rate alone measures the CPU share too
	rm -f "$work/cpu.txt"
	if [ "${1:-}" = vsdpdk ] && command -v python3 > /dev/null; then
		qpid=
		i=0
		while [ -z "$qpid" ] && [ $i -lt 100 ] && kill -0 "$bpid" 2> /dev/null; do
			# QEMU is a descendant of the boot subshell (through timeout)
			for c in $(pgrep -P "$bpid") $(for t in $(pgrep -P "$bpid"); do pgrep -P "$t"; done); do
				[ "$(cat "/proc/$c/comm" 2> /dev/null)" = qemu-system-x86 ] && qpid=$c
			done
			sleep 0.1
			i=$((i + 1))
		done
		[ -n "$qpid" ] && python3 "$here/vcpu-share.py" "$out" "$qpid" "$work/cpu.txt" &
	fi
	wait "$bpid" || true
	wait
fi
cat "$out"
if [ -s "$work/cpu.txt" ]; then
	# VS lines joined with the CPU the forwarding vCPU (1) got: pps_per_cpu
	# is the rate per second of vCPU time, the figure a loaded host moves least
	awk 'FNR == NR { cpu[$2] = $0; next }
	/^VS round=/ {
		tag = ""; for (i = 2; i <= 6; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		tag = v["round"] "-" v["who"] "-" v["fwd"] "-" v["model"] "-" v["size"]
		if (!(tag in cpu)) next
		n = split(cpu[tag], f, " "); for (i = 3; i <= n; i++) { split(f[i], kv, "="); c[kv[1]] = kv[2] }
		# without thread names (older QEMU): the whole process, whose
		# other threads are nearly idle (vCPU 0 runs testpmd'"'"'s main lcore)
		used = ("vcpu1" in c) ? c["vcpu1"] : c["proc"]
		share = c["wall"] > 0 ? used / c["wall"] : 0
		split($7, p, "=")
		printf "VSCPU %s wall=%s cpu=%s share=%.2f pps=%s pps_per_cpu=%d\n", tag, c["wall"], used,
			share, p[2], (share > 0 ? p[2] / share : 0)
		delete c
	}' "$work/cpu.txt" "$out"
fi
if [ "${1:-}" = count ]; then
	cat "$work/count-summary.txt"
fi
grep -q "^=== guest-e1000 exit 0" "$out" || exit 1
if [ "${1:-}" = count ]; then
	if [ -n "${E1000_COUNT_BUDGET:-}" ]; then
		awk -f "$here/mmio-budget.awk" "$E1000_COUNT_BUDGET" "$work/count-summary.txt" || exit 1
	fi
fi
exit 0
