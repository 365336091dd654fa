#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# run-virtio-vm.sh WORK_DIR [all|quick|rss|bench|inorder]  (rss: the RSS tests and refusals only)
#
# inorder: QEMU 10 ($SLUICE_QEMU10, default /opt/sluice/qemu-10, as for the
# igb suite; Debian 12's QEMU 7.2 does not offer VIRTIO_F_IN_ORDER) with
# in_order=on on every modern virtio device; the guest runs the byte-for-byte
# transfers on split and packed rings and checks that each port negotiated
# IN_ORDER.  Skipped (77) without QEMU 10.
#
# Boot one q35 guest with a vIOMMU and the virtio-net devices of the virtio
# PMD tests, run guest-virtio.sh in it, return its verdict (77 = skipped).
# Wiring (QEMU hubs; two Linux bridges in a network namespace this script
# creates and removes, reached through multi-queue tap devices):
#   hub 0:  00:02.0 VA <-> 00:03.0 VB   virtio, split rings, mq=on
#   hub 1:  00:04.0 PA <-> 00:05.0 PB   virtio, packed=on, mq=on
#   hub 2:  00:06.0 EA <-> 00:07.0 EB   e1000e (forwarding through testpmd)
#   br 0:   00:08.0 TA <-> 00:09.0 TB   virtio split, tap queues=4 (MQ, offloads, RSS)
#   br 1:   00:0a.0 QA <-> 00:0b.0 QB   virtio packed, tap queues=4, RSS
#   hub 3:  00:0c.0 legacy-only virtio (disable-modern=on)
#           00:0d.0 virtio without iommu_platform (no ACCESS_PLATFORM)
# A hub port carries no virtio-net header, so QEMU offers no checksum or TSO
# offload and one queue pair there; a tap with vnet_hdr offers both, hence
# the bridged taps.  The tap devices have rss=on (VIRTIO_NET_F_RSS; QEMU
# steers in software, or with eBPF on the tap, as vhost is off); the hub
# devices have no RSS, for the refusal.  Every device has disable-legacy=on and
# iommu_platform=on except the two refusal cases.
#
# Guest programs are built from this tree with -march=x86-64-v2 into
# VIRTIO_GUEST_BUILD (default: the e1000 suite's guest build next to WORK_DIR
# when it exists, so that CI compiles the guest once).  Wrap calls in
# flock /tmp/sluice-guest.lock (the meson test does not take it).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../../.." && pwd)
work=$1
mode=${2:-all}
mkdir -p "$work"
work=$(cd "$work" && pwd)
log() { echo "run-virtio-vm: $*" >&2; }

command -v qemu-system-x86_64 >/dev/null || { log "SKIP: no qemu-system-x86_64"; exit 77; }
qemu_opts='' io=''
if [ "$mode" = inorder ]; then
	q10=${SLUICE_QEMU10:-/opt/sluice/qemu-10}
	export SLUICE_VM_QEMU="$q10/usr/bin/qemu-system-x86_64"
	[ -x "$SLUICE_VM_QEMU" ] || { log "SKIP: $SLUICE_VM_QEMU missing (.ci/install-deps unpacks QEMU 10 there)"; exit 77; }
	export QEMU_MODULE_DIR="$q10/usr/lib/x86_64-linux-gnu/qemu"
	# QEMU 10's own firmware first (seabios from the system's path, as for igb)
	qemu_opts="-L $q10/usr/share/qemu"
	io=,in_order=on
fi
[ "$(id -u)" = 0 ] || { log "SKIP: needs root (network namespace, tap devices)"; exit 77; }

# ---- guest programs ------------------------------------------------------
build=${VIRTIO_GUEST_BUILD:-}
if [ -z "$build" ]; then
	if [ -f "$work/../../e1000/work/build-guest/build.ninja" ]; then
		build=$(cd "$work/../../e1000/work/build-guest" && pwd)
	else
		build=$work/build-guest
	fi
fi
if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" "$src" -Dcpu_instruction_set=x86-64-v2 -Dtests=false \
		-Dkernel_dir=none >/dev/null || { log "meson setup of the guest build failed"; exit 1; }
fi
# shellcheck source=../sluice-lib.sh
. "$here/../sluice-lib.sh"
lib=$(sluice_lib "$build") || { log "cannot find the libsluice target in $build"; exit 1; }
targets="$lib apps/testpmd/sluice-testpmd"
# shellcheck disable=SC2086
ninja -C "$build" $targets >/dev/null || { ninja -C "$build" $targets; log "guest build failed"; exit 1; }
incs=
for d in config lib/eal lib/ring lib/mempool lib/mbuf lib/net lib/ethdev drivers/bus/pci; do
	incs="$incs -I$src/$d -I$build/$d"
done
mkdir -p "$work/bin"
# shellcheck disable=SC2086
cc -O2 -Wall -Wextra -Werror -std=gnu11 -D_GNU_SOURCE -march=x86-64-v2 $incs \
	"$here/virtio_e2e.c" -o "$work/bin/sluice-virtio-e2e" -L"$build" -lsluice -lpthread ||
	{ log "building sluice-virtio-e2e failed"; exit 1; }

# The kernel and sluice.ko first, outside the namespace (which has no route
# to the Debian archive).
# The module tests' cache (<builddir>/test/vm/work) when it is there: the
# same kernel and sluice.ko, fetched and built once per CI run.
if [ -d "$work/../../work" ]; then
	vmwork=$(cd "$work/../../work" && pwd)
else
	vmwork=$work/vm
fi
"$src/test/vm/build-guest.sh" --work "$vmwork" --kernel-only > "$work/kernel.out" 2> "$work/kernel.log" ||
	{ rc=$?; cat "$work/kernel.log" >&2; exit $rc; }

# ---- network namespace with two bridges of two taps each ---------------------
ns=slvirtio$$
cleanup() { ip netns del "$ns" 2>/dev/null || true; }
trap cleanup EXIT INT TERM
ip netns add "$ns"
nsx() { ip netns exec "$ns" "$@"; }
# No IPv6 in the namespace: a bridge or tap with a link-local address would
# send its own frames (DAD, router solicitations) to the guests.
nsx sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
for b in 0 1; do
	nsx ip link add "slbr$b" type bridge
	for t in $((2 * b)) $((2 * b + 1)); do
		nsx ip tuntap add mode tap multi_queue vnet_hdr name "slvt$t"
		nsx ip link set "slvt$t" master "slbr$b" up
	done
	nsx ip link set "slbr$b" up
done

# bench: DPDK's testpmd and the plugins it needs for a virtio port (the
# EAL loads *.so and *.so.23.0 from the plugin directory; bus_pci comes
# with testpmd itself, which links it)
extra='' qtrace=''
# VIRTIO_BENCH=1: the benchmark also runs after the tests of the same boot
bench=
[ "${VIRTIO_BENCH:-0}" = 1 ] && bench=bench
if { [ "$mode" = bench ] || [ -n "$bench" ]; } && [ -x /usr/bin/dpdk-testpmd ]; then
	pmd=$(ls -d /usr/lib/x86_64-linux-gnu/dpdk/pmds-* | head -1)
	for p in librte_net_virtio librte_mempool_ring; do
		f=$(ls "$pmd/$p".so.*.* | head -1)
		extra="$extra --add $f:$f"
	done
	extra="$extra --add /usr/bin/dpdk-testpmd:/opt/dpdk-testpmd"
	# the kernel side of the benchmark: virtio_net on virtio_pci (both
	# modules in Debian's kernel); naming a module replaces the default list
	for m in vfio-pci vfio_iommu_type1 e1000e virtio_net virtio_pci; do
		extra="$extra --module $m"
	done
	# VIRTIO_BENCH_ALT=LIB[:LABEL]: a variant of libsluice measured as a
	# fourth side (an A/B of a driver change in the same boot)
	if [ -n "${VIRTIO_BENCH_ALT:-}" ]; then
		echo "${VIRTIO_BENCH_ALT#*:}" > "$work/alt-label"
		extra="$extra --add ${VIRTIO_BENCH_ALT%%:*}:/opt/alt/libsluice.so.0"
		extra="$extra --add $work/alt-label:/opt/alt/label"
	fi
	# doorbells and device resets, to count notifications per side
	# (VIRTIO_BENCH_TRACE=0: none; the trace costs QEMU time too); 2: also
	# every IOMMU translation of a DMA and every IOTLB miss (a page-table
	# walk), which slows QEMU down several times: for the counts only.
	# trace-count.awk turns the trace into per-packet figures per side.
	case "${VIRTIO_BENCH_TRACE:-1}" in
	1) qtrace="-trace virtio_queue_notify -trace virtio_set_status" ;;
	2) qtrace="-trace virtio_queue_notify -trace virtio_set_status
		-trace vtd_iotlb_page_hit -trace vtd_iotlb_page_update" ;;
	esac
fi

v=disable-legacy=on,iommu_platform=on,mq=on$io
vr=$v,rss=on
tap() { echo "-netdev tap,id=t$1,ifname=slvt$1,script=no,downscript=no,vhost=off,queues=4"; }
# shellcheck disable=SC2046,SC2086
nsx "$src/test/vm/run-vm.sh" --work "$vmwork" --name "virtio-$mode" \
	--script "$here/guest-virtio.sh" \
	--args "$mode ${bench:--} ${VIRTIO_BENCH_SECS:-5} ${VIRTIO_BENCH_ROUNDS:-3} ${VIRTIO_BENCH_RINGS:-split,packed} ${VIRTIO_BENCH_KINDS:-txonly,io} ${VIRTIO_BENCH_SIZES:-64,1500}" \
	--add "$work/bin/sluice-virtio-e2e" --add "$build/apps/testpmd/sluice-testpmd" \
	--add "$build/$lib:/opt/libsluice.so.0" \
	--add "$src/apps/devbind/sluice-devbind:/bin/sluice-devbind" \
	--add "$src/apps/devbind/sluice-hugepages:/bin/sluice-hugepages" \
	$extra --nics none --edu 0 --hugepages 384 --timeout "${VIRTIO_VM_TIMEOUT:-1500}" -- $qemu_opts $qtrace \
	-netdev hubport,id=h0a,hubid=0 -device virtio-net-pci,netdev=h0a,addr=02.0,$v,mac=52:54:00:00:01:0a \
	-netdev hubport,id=h0b,hubid=0 -device virtio-net-pci,netdev=h0b,addr=03.0,$v,mac=52:54:00:00:01:0b \
	-netdev hubport,id=h1a,hubid=1 -device virtio-net-pci,netdev=h1a,addr=04.0,$v,packed=on,mac=52:54:00:00:01:0c \
	-netdev hubport,id=h1b,hubid=1 -device virtio-net-pci,netdev=h1b,addr=05.0,$v,packed=on,mac=52:54:00:00:01:0d \
	-netdev hubport,id=h2a,hubid=2 -device e1000e,netdev=h2a,addr=06.0,mac=52:54:00:00:01:0e \
	-netdev hubport,id=h2b,hubid=2 -device e1000e,netdev=h2b,addr=07.0,mac=52:54:00:00:01:0f \
	$(tap 0) -device virtio-net-pci,netdev=t0,addr=08.0,$vr,mac=52:54:00:00:01:10 \
	$(tap 1) -device virtio-net-pci,netdev=t1,addr=09.0,$vr,mac=52:54:00:00:01:11 \
	$(tap 2) -device virtio-net-pci,netdev=t2,addr=0a.0,$vr,packed=on,mac=52:54:00:00:01:12 \
	$(tap 3) -device virtio-net-pci,netdev=t3,addr=0b.0,$vr,packed=on,mac=52:54:00:00:01:13 \
	-netdev hubport,id=h3a,hubid=3 -device virtio-net-pci,netdev=h3a,addr=0c.0,disable-modern=on,mac=52:54:00:00:01:14 \
	-netdev hubport,id=h3b,hubid=3 -device virtio-net-pci,netdev=h3b,addr=0d.0,disable-legacy=on,iommu_platform=off,mac=52:54:00:00:01:15 || rc=$?

# The trace, as figures per packet and side (VIRTIO_BENCH_TRACE=1 or 2)
logs=$vmwork/logs/virtio-$mode
if [ -n "$qtrace" ] && [ -f "$logs/qemu-trace.log" ]; then
	awk -f "$here/trace-count.awk" "$logs/console.log" "$logs/qemu-trace.log" || true
fi
exit "${rc:-0}"
