#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Runs inside the guest of run-virtio-vm.sh (busybox sh); see the wiring
# there.  Usage: guest-virtio.sh [all|quick|rss|bench|inorder] [bench]
set -u
MODE=${1:-all}
BENCH=${2:-}   # "bench": the benchmark after the tests, same boot
BENCH_SECS=${3:-5}    # seconds measured per side (VIRTIO_BENCH_SECS)
BENCH_ROUNDS=${4:-3}  # rounds (VIRTIO_BENCH_ROUNDS)
BENCH_RINGS=${5:-split,packed} # ring layouts benchmarked (VIRTIO_BENCH_RINGS)
BENCH_KINDS=${6:-txonly,io}    # cases benchmarked (VIRTIO_BENCH_KINDS)
BENCH_SIZES=${7:-64,1500}      # frame sizes benchmarked (VIRTIO_BENCH_SIZES)
VA=0000:00:02.0 VB=0000:00:03.0 PA=0000:00:04.0 PB=0000:00:05.0
EA=0000:00:06.0 EB=0000:00:07.0 TA=0000:00:08.0 TB=0000:00:09.0
QA=0000:00:0a.0 QB=0000:00:0b.0 LEGACY=0000:00:0c.0 NOPLAT=0000:00:0d.0
N=${VIRTIO_COUNT:-20000}
PASS=0 FAIL=0
EAL="-m 128 --iova-mode va"

ok() { PASS=$((PASS + 1)); echo "PASS: $*"; }
ko() { FAIL=$((FAIL + 1)); echo "FAIL: $*"; }
run() { # name, command...
	name=$1; shift
	echo "--- $name: $*"
	if "$@"; then ok "$name"; else ko "$name"; fi
}
e2e() { # prefix allow... -- args
	p=$1; shift
	sluice-virtio-e2e --file-prefix "$p" -l 1 $EAL "$@"
}
dmar_faults() { dmesg | grep -c "DMAR: \[DMA" ; }

echo "=== sluice virtio end-to-end tests ($MODE)"
lspci 2>/dev/null | head -20
for d in $VA $VB $PA $PB $EA $EB $TA $TB $QA $QB $LEGACY $NOPLAT; do
	sluice-devbind --bind=sluice-pci $d >/dev/null 2>&1 || ko "binding $d to sluice-pci"
done
sluice-devbind --status
faults0=$(dmar_faults)

# ---- benchmark: our PMD against DPDK's virtio PMD and the kernel, same guest ----
# Three sides on the same virtio devices, one after another, the order
# alternated from round to round (ABC CBA ABC ...), medians kept:
#   sluice  sluice-testpmd on our PMD (sluice-pci)
#   dpdk    DPDK 22.11's dpdk-testpmd on its net_virtio (vfio-pci)
#   kernel  sluice-testpmd on net_af_packet over the guest kernel's
#           virtio_net (AF_PACKET on the kernel's virtio driver)
# Two cases, 64 and 1500 bytes each, on split rings and again on packed
# rings (VIRTIO_BENCH_RINGS, default "split,packed"):
#   txonly  on TA (split ring, tap) or QA (packed ring, tap): a hub would
#           hold the sender back until an idle peer takes each frame; the
#           tap drops what nobody reads
#   io      forwarding between VA and VB (split rings, one hub) or PA and
#           PB (packed rings, another hub): the two ports are wired to each
#           other, so one burst per port sent first (--tx-first) circulates
#           for good; forwarded pps = RX of both
# A reading is the mean over the testpmd statistics periods (1 s) after
# the first one, summed over the ports (TX pps for txonly, RX for io).
# mean per period of KEY (Rx-pps/Tx-pps) summed over NPORTS ports, the
# first period dropped; both testpmds print "  Rx-pps: N" (ours with K/M)
pps_of() { # log key nports
	awk -v k="$2:" -v np="$3" '
		$1 == k { v = $2; m = 1
			if (v ~ /K$/) m = 1e3; else if (v ~ /M$/) m = 1e6; else if (v ~ /G$/) m = 1e9
			sub(/[KMG]$/, "", v); n++; if (n > np) s += v * m }
		END { p = int((n - np) / np); printf "%d", (p > 0 ? s / p : 0) }' "$1"
}
tp_run() { # log cmd... : start a testpmd, SECS after its first statistics, SIGINT
	log=$1; shift
	rm -f /tmp/tp.in; mkfifo /tmp/tp.in
	"$@" < /tmp/tp.in > "$log" 2>&1 &
	TPB=$!
	exec 7> /tmp/tp.in
	i=0
	while [ $i -lt 240 ] && ! grep -q "Rx-pps" "$log" && kill -0 $TPB 2>/dev/null; do
		sleep 0.5; i=$((i + 1))
	done
	sleep "$BENCH_SECS"
	kill -INT $TPB 2>/dev/null
	i=0; while [ $i -lt 20 ] && kill -0 $TPB 2>/dev/null; do sleep 0.5; i=$((i + 1)); done
	kill -KILL $TPB 2>/dev/null; wait $TPB 2>/dev/null
	exec 7>&-
	rm -f /dev/hugepages/bs* /dev/hugepages/bd* /dev/hugepages/bk* 2>/dev/null
}
bind_all() { # driver pci...
	drv=$1; shift
	for d in "$@"; do
		# an interface of the kernel side must be down before it is taken
		for n in /sys/bus/pci/devices/$d/virtio*/net/*; do
			[ -e "$n" ] && ip link set "${n##*/}" down 2>/dev/null
		done
		sluice-devbind --bind="$drv" "$d" >/dev/null || return 1
	done
}
kif_of() { # pci -> the kernel's interface on it
	for n in /sys/bus/pci/devices/$1/virtio*/net/*; do
		[ -e "$n" ] && { echo "${n##*/}"; return 0; }
	done
	return 1
}
TPARGS="--rxd=256 --txd=256 --stats-period=1"
bench_side() { # side kind size pci... -> pps
	side=$1 kind=$2 size=$3; shift 3
	np=$#
	key=Rx-pps; fwd="--forward-mode=io --tx-first"
	[ "$kind" = txonly ] && { key=Tx-pps; fwd=--forward-mode=txonly; }
	allow=
	for d in "$@"; do allow="$allow -a $d"; done
	case $side in
	sluice)
		bind_all sluice-pci "$@" || { echo 0; return; }
		# shellcheck disable=SC2086
		tp_run /tmp/bench.log sluice-testpmd --file-prefix bs -l 0,1 $EAL $allow -- \
			$fwd --txpkts="$size" $TPARGS ;;
	alt)
		bind_all sluice-pci "$@" || { echo 0; return; }
		# shellcheck disable=SC2086
		tp_run /tmp/bench.log env LD_LIBRARY_PATH=/opt/alt sluice-testpmd --file-prefix bs \
			-l 0,1 $EAL $allow -- $fwd --txpkts="$size" $TPARGS ;;
	dpdk)
		bind_all vfio-pci "$@" || { echo 0; return; }
		# shellcheck disable=SC2086
		tp_run /tmp/bench.log dpdk-testpmd -l 0,1 -n 1 --file-prefix bd $allow $EAL -- \
			$fwd --txpkts="$size" $TPARGS ;;
	kernel)
		bind_all virtio-pci "$@" || { echo 0; return; }
		vdevs='' j=0
		for d in "$@"; do
			k=$(kif_of "$d") || { echo 0; return; }
			ip link set "$k" up
			vdevs="$vdevs --vdev net_af_packet$j,iface=$k"; j=$((j + 1))
		done
		sleep 1
		# shellcheck disable=SC2086
		tp_run /tmp/bench.log sluice-testpmd --file-prefix bk -l 0,1 $EAL --no-pci $vdevs -- \
			$fwd --txpkts="$size" $TPARGS ;;
	esac
	cp /tmp/bench.log "/tmp/bench-$side-$kind-$size.log"
	# the totals at stop (to the console: stdout is the reading)
	grep -E "^ *(RX|TX)-packets" /tmp/bench.log | tail -"$((2 * np))" | tr -s ' ' |
		sed "s/^/  $side $kind $size totals:/" >&2
	pps_of /tmp/bench.log "$key" "$np"
}
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : 0 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
# An A/B of a variant of our library in the same rounds (side "alt"): the
# runner ships it as /opt/alt/libsluice.so.0 with VIRTIO_BENCH_ALT=LIB.
ALT=
[ -f /opt/alt/libsluice.so.0 ] && ALT=alt
run_bench() {
	modprobe vfio_iommu_type1 2>/dev/null; modprobe vfio-pci 2>/dev/null
	modprobe virtio_pci 2>/dev/null; modprobe virtio_net 2>/dev/null
	echo "benchmark: $BENCH_ROUNDS rounds of ${BENCH_SECS} s per side; guest load: $(cat /proc/loadavg)"
	for c in "split txonly 64" "split txonly 1500" "split io 64" "split io 1500" \
		 "packed txonly 64" "packed txonly 1500" "packed io 64" "packed io 1500"; do
		set -- $c
		ring=$1 kind=$2 size=$3
		case ",$BENCH_RINGS," in *",$ring,"*) ;; *) continue ;; esac
		case ",$BENCH_KINDS," in *",$kind,"*) ;; *) continue ;; esac
		case ",$BENCH_SIZES," in *",$size,"*) ;; *) continue ;; esac
		if [ "$ring" = split ]; then
			ports=$TA; [ "$kind" = io ] && ports="$VA $VB"
		else
			ports=$QA; [ "$kind" = io ] && ports="$PA $PB"
		fi
		S='' D='' K='' A='' r=1
		while [ $r -le "$BENCH_ROUNDS" ]; do
			order="sluice dpdk kernel $ALT"
			[ $((r % 2)) = 0 ] && order="$ALT kernel dpdk sluice"
			for side in $order; do
				# shellcheck disable=SC2086
				v=$(bench_side $side $kind $size $ports)
				echo "round $r $ring $kind size $size: $side ${v:-0}"
				case $side in
				sluice) S="$S ${v:-0}" ;; dpdk) D="$D ${v:-0}" ;; kernel) K="$K ${v:-0}" ;;
				alt) A="$A ${v:-0}" ;;
				esac
			done
			r=$((r + 1))
		done
		# shellcheck disable=SC2086
		bind_all sluice-pci $ports >/dev/null
		s=$(echo "$S" | median) d=$(echo "$D" | median) k=$(echo "$K" | median)
		echo "BENCH virtio $ring $kind size=$size: sluice_pps=$s dpdk_vfio_pps=$d" \
			"kernel_af_packet_pps=$k ratio_vs_dpdk=$(ratio "$s" "$d")" \
			"ratio_vs_kernel=$(ratio "$s" "$k") (medians of $BENCH_ROUNDS;" \
			"rounds sluice:$S dpdk:$D kernel:$K)"
		# a reading from every side is what the run is for
		if [ "$s" -gt 0 ] && [ "$d" -gt 0 ] && [ "$k" -gt 0 ]; then
			ok "bench $ring $kind size $size: every side measured"
		else
			ko "bench $ring $kind size $size: a side has no reading"
			for f in /tmp/bench-*-$kind-$size.log; do echo "== $f"; tail -15 "$f"; done
		fi
		if [ -n "$ALT" ]; then
			a=$(echo "$A" | median)
			echo "BENCH-ALT virtio $ring $kind size=$size: $(cat /opt/alt/label) alt_pps=$a" \
				"sluice_pps=$s ratio_alt_vs_sluice=$(ratio "$a" "$s")" \
				"ratio_alt_vs_dpdk=$(ratio "$a" "$d") (rounds alt:$A)"
		fi
	done
	echo "guest load after the benchmark: $(cat /proc/loadavg)"
}
if [ "$MODE" = bench ]; then
	run_bench
	echo "=== virtio bench: $PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
	exit
fi

# rss: only the RSS tests and their refusals (a short boot while working on RSS)
if [ "$MODE" = rss ]; then
	for pair in "split $TA $TB" "packed $QA $QB"; do
		set -- $pair
		run "$1 RSS 4 queues $2 -> $3" e2e m1 -a $2 -a $3 -- gen $2 $3 $N --queues 4 --rss
	done
fi

# inorder: QEMU 10 with in_order=on (run-virtio-vm.sh inorder).  The
# transfers of sections 1-3, each checked byte for byte as there.  The
# driver never negotiates VIRTIO_F_IN_ORDER together with mergeable RX
# buffers (QEMU 9.1-10.0's in-order bug, doc/drivers/virtio.md): every port
# started must have negotiated IN_ORDER without MRG_RXBUF (WANT in-order:
# frames fit one RX buffer), or, for jumbo frames, MRG_RXBUF without
# IN_ORDER (WANT mergeable); the driver logs its choice at each start.
inorder() { # label nports want e2e-args...
	lbl=$1 np=$2 want=$3; shift 3
	echo "--- $lbl"
	e2e "$@" > /tmp/inorder.log 2>&1
	rc=$?
	if [ "$want" = in-order ]; then
		good="IN_ORDER on, mergeable RX buffers off (never both: frames fit one RX buffer)"
		bad="IN_ORDER off"
	else
		good="IN_ORDER off, mergeable RX buffers on (never both: frames need several RX buffers)"
		bad="IN_ORDER on"
	fi
	n=$(grep -c "started: features negotiated.*$good" /tmp/inorder.log)
	grep "started: features negotiated" /tmp/inorder.log | sort -u
	if [ $rc -eq 0 ] && [ "$n" -ge "$np" ] && ! grep -q "$bad" /tmp/inorder.log; then
		ok "$lbl ($want: $n port start(s) with $good)"
	else
		ko "$lbl (rc $rc, $n port start(s) with $good)"; tail -30 /tmp/inorder.log
	fi
}
if [ "$MODE" = inorder ]; then
	inorder "in-order split VA -> VB" 2 in-order s1 -a $VA -a $VB -- gen $VA $VB $N --restart
	inorder "in-order split VB -> VA" 2 in-order s1 -a $VA -a $VB -- gen $VB $VA $N
	# the FEATURES_OK refusal and a start after it
	e2e b1 -a $VA,test_features_xor=0x200000000 -- ports > /tmp/refuse.log 2>&1
	grep "refused FEATURES_OK" /tmp/refuse.log || ko "in-order: no FEATURES_OK refusal"
	inorder "in-order split VA -> VB after a FEATURES_OK refusal" 2 in-order s1 -a $VA -a $VB -- gen $VA $VB 2000
	inorder "in-order split jumbo VA -> VB" 2 mergeable s1 -a $VA -a $VB -- gen $VA $VB 3000 --jumbo
	inorder "in-order split VA -> VB after the jumbo run" 2 in-order s1 -a $VA -a $VB -- gen $VA $VB 2000
	# frames longer than one RX buffer to a port at the default MTU: the
	# device drops them (no mergeable buffers); none may stall the queue
	inorder "in-order split VA -> VB oversized frames dropped" 2 in-order s1 -a $VA -a $VB -- gen $VA $VB 3000 --oversize
	inorder "in-order packed PA -> PB" 2 in-order p1 -a $PA -a $PB -- gen $PA $PB $N --restart
	inorder "in-order packed PB -> PA" 2 in-order p1 -a $PA -a $PB -- gen $PB $PA $N
	inorder "in-order packed jumbo PB -> PA" 2 mergeable p1 -a $PA -a $PB -- gen $PB $PA 3000 --jumbo
	inorder "in-order packed PA -> PB after the jumbo run" 2 in-order p1 -a $PA -a $PB -- gen $PA $PB 2000
	inorder "in-order packed PA -> PB oversized frames dropped" 2 in-order p1 -a $PA -a $PB -- gen $PA $PB 3000 --oversize
	for pair in "split $TA $TB" "packed $QA $QB"; do
		set -- $pair
		inorder "in-order $1 4 queues $2 -> $3" 2 in-order m1 -a $2 -a $3 -- gen $2 $3 $N --queues 4 --spread
		inorder "in-order $1 UDP checksum offload $2 -> $3" 2 in-order m1 -a $2 -a $3 -- gen $2 $3 5000 --csum --queues 2
		inorder "in-order $1 TSO4 $2 -> $3" 2 in-order m1 -a $2 -a $3 -- tso $2 $3 300
	done
fi

# ---- 1. split rings on a hub: random lengths both ways, mergeable RX --------
[ "$MODE" = rss ] || [ "$MODE" = inorder ] || {
run "split VA -> VB" e2e s1 -a $VA -a $VB -- gen $VA $VB $N --restart
run "split VB -> VA" e2e s1 -a $VA -a $VB -- gen $VB $VA $N
run "split jumbo VA -> VB (TX chains, mergeable RX buffers)" \
	e2e s1 -a $VA -a $VB -- gen $VA $VB 3000 --jumbo

# ---- 2. packed rings on a hub -------------------------------------------------
run "packed PA -> PB" e2e p1 -a $PA -a $PB -- gen $PA $PB $N --restart
run "packed PB -> PA" e2e p1 -a $PA -a $PB -- gen $PB $PA $N
run "packed jumbo PB -> PA" e2e p1 -a $PA -a $PB -- gen $PB $PA 3000 --jumbo

# ---- 3. several queues, checksum and TSO offload over bridged taps ------------
for pair in "split $TA $TB" "packed $QA $QB"; do
	set -- $pair
	run "$1 4 queues $2 -> $3 (frames spread over RX queues)" \
		e2e m1 -a $2 -a $3 -- gen $2 $3 $N --queues 4 --spread
	run "$1 4 queues $3 -> $2" e2e m1 -a $2 -a $3 -- gen $3 $2 $N --queues 4 --spread
	run "$1 1 queue $2 -> $3" e2e m1 -a $2 -a $3 -- gen $2 $3 5000
	run "$1 UDP checksum offload $2 -> $3 (TX offload, RX offload, checked on the bytes)" \
		e2e m1 -a $2 -a $3 -- gen $2 $3 5000 --csum --queues 2
	run "$1 TSO4 $2 -> $3 (segments checked at the peer)" e2e m1 -a $2 -a $3 -- tso $2 $3 300
	run "$1 RSS 4 queues $2 -> $3 (our key and RETA: every frame on its Toeplitz-predicted queue, all queues used; RETA update moves every flow; rss_hf IPv4 only)" \
		e2e m1 -a $2 -a $3 -- gen $2 $3 $N --queues 4 --rss
done

}

# ---- 4. bad input ------------------------------------------------------------------
refused() { # label, expected message (grep -E), command...
	lbl=$1 msg=$2; shift 2
	"$@" > /tmp/refuse.log 2>&1
	rc=$?
	echo "(exit $rc)" >> /tmp/refuse.log
	# refused: the message, and neither a port for the device nor an
	# accepted configuration
	if grep -Eq -e "$msg" /tmp/refuse.log && ! grep -q "accepted\|^port [0-9]*: " /tmp/refuse.log; then
		ok "refuses $lbl: $(grep -E -e "$msg" /tmp/refuse.log | head -1)"
	else
		ko "refuses $lbl (rc $rc)"; cat /tmp/refuse.log
	fi
}
refused "a legacy-only device" "legacy-only virtio device.*disable-legacy=on" \
	e2e b1 -a $LEGACY -- ports
refused "a device without VIRTIO_F_ACCESS_PLATFORM" "does not offer VIRTIO_F_ACCESS_PLATFORM.*iommu_platform=on" \
	e2e b1 -a $NOPLAT -- ports
refused "more queues than the device has (5 > 4)" "5 RX queues requested but the driver supports at most 4" \
	e2e b1 -a $TA -- refuse $TA queues 5
refused "2 queues on a hub device (1 pair)" "2 RX queues requested but the driver supports at most 1" \
	e2e b1 -a $VA -- refuse $VA queues 2
refused "TSO where the device offers none (hub)" "TX offloads not supported: tcp_tso" \
	e2e b1 -a $VA -- refuse $VA tso
refused "checksum offload where the device offers none (hub)" "TX offloads not supported: udp_cksum" \
	e2e b1 -a $PA -- refuse $PA csum
refused "RSS on a device without VIRTIO_NET_F_RSS (hub)" "RSS requested but this port has no RSS" \
	e2e b1 -a $VA -- refuse $VA rss
refused "an RSS hash type the device does not offer" "RSS hash types 0x40 not supported" \
	e2e b1 -a $TA -- refuse $TA rsstype
refused "a RETA entry beyond the configured queues" "RETA entry 5 names RX queue 2" \
	e2e b1 -a $TA -- refuse $TA reta
# The device refusing FEATURES_OK ([VIRTIO] §3.1.1 step 6), provoked on the
# real device: the test aid test_features_xor= makes the driver leave out
# VIRTIO_F_ACCESS_PLATFORM (bit 33), which QEMU's virtio_validate_features()
# refuses on a device that offers it.  (QEMU masks bits it did not offer
# instead of refusing them, so acknowledging an unoffered bit is no test.)
# The driver must fail the probe naming the bit and reset the device: a
# normal start on it right after moves frames again.
refused "the device refusing FEATURES_OK (test aid: ACCESS_PLATFORM left out)" \
	"refused FEATURES_OK.*acknowledged but not offered 0, wanted and offered but left out 0x200000000\).*the device is reset" \
	e2e b1 -a $VA,test_features_xor=0x200000000 -- ports
run "VA after the FEATURES_OK refusal: a normal start moves frames" \
	e2e s1 -a $VA -a $VB -- gen $VA $VB 2000

[ "$MODE" = rss ] || [ "$MODE" = inorder ] || {
# ---- 5. forwarding through sluice-testpmd: virtio VB <-> e1000e EB ------------------
testpmd_start() { # prefix allow...
	p=$1; shift
	# QEMU gives virtio-net 256 descriptors per queue (testpmd asks 1024)
	sluice-testpmd --file-prefix "$p" -l 0,1 $EAL "$@" -- --forward-mode=io --rxd=256 --txd=256 \
		--duration=600 > /tmp/testpmd-$p.log 2>&1 &
	TP=$!
	i=0
	while [ $i -lt 100 ]; do
		grep -qi "forwarding\|start" /tmp/testpmd-$p.log 2>/dev/null && break
		kill -0 $TP 2>/dev/null || break
		sleep 0.2; i=$((i + 1))
	done
	sleep 2
	kill -0 $TP 2>/dev/null
}
testpmd_stop() {
	kill -TERM "$TP" 2>/dev/null
	wait "$TP" 2>/dev/null
	tail -20 /tmp/testpmd-*.log
	rm -f /tmp/testpmd-*.log
}
forward_test() { # label
	if ! testpmd_start tp -a $VB -a $EB; then
		ko "$1: sluice-testpmd did not start"; cat /tmp/testpmd-tp.log; return
	fi
	run "$1: VA -> VB (virtio) -> testpmd -> EB (e1000e) -> EA" \
		e2e g -a $VA -a $EA -- gen $VA $EA $N
	run "$1: EA -> EB (e1000e) -> testpmd -> VB (virtio) -> VA" \
		e2e g -a $VA -a $EA -- gen $EA $VA $N
	testpmd_stop
}
forward_test "testpmd"
}

# ---- 6. kill -9 mid-traffic, then restart --------------------------------------------
kill_test() { # label pci-a pci-b backend
	f0=$(dmar_faults)
	# the program itself in the background (not the e2e function, whose
	# subshell is what $! would name and kill -9 would kill)
	sluice-virtio-e2e --file-prefix k -l 1 $EAL -a $2 -a $3 -- gen $2 $3 5000000 \
		--timeout-ms 3000 > /tmp/kill.log 2>&1 &
	G=$!
	sleep 6
	if kill -0 $G 2>/dev/null; then
		kill -9 $G; wait $G 2>/dev/null
		echo "killed the generator (SIGKILL) mid-traffic on $2 -> $3 ($4)"
	else
		ko "$1: the generator ended before the kill"; cat /tmp/kill.log
	fi
	rm -f /dev/hugepages/k* 2>/dev/null
	run "$1: traffic after the kill ($4)" e2e k2 -a $2 -a $3 -- gen $2 $3 5000
	f=$(( $(dmar_faults) - f0 ))
	if [ "$f" -eq 0 ]; then ok "$1: no DMAR faults ($4)"; else ko "$1: $f DMAR faults ($4)"; dmesg | grep DMAR | tail -4; fi
}
if [ "$MODE" = all ]; then
	kill_test "kill -9 split" $VA $VB sluice-pci
	kill_test "kill -9 packed MQ" $QA $QB sluice-pci
	if testpmd_start tk -a $VB -a $EB; then
		sluice-virtio-e2e --file-prefix g -l 1 $EAL -a $VA -a $EA -- gen $VA $EA 5000000 \
			--timeout-ms 3000 > /tmp/gen-kill.log 2>&1 &
		G=$!
		sleep 5
		kill -9 $TP; wait $TP 2>/dev/null
		kill -9 $G; wait $G 2>/dev/null
		echo "killed sluice-testpmd and the generator (SIGKILL) mid-traffic"
		rm -f /dev/hugepages/tk* /dev/hugepages/g* /tmp/testpmd-*.log 2>/dev/null
		forward_test "after kill -9 of testpmd"
	else
		ko "kill -9: testpmd did not start"
	fi

	# ---- 7. the vfio-pci backend ------------------------------------------------
	modprobe vfio_iommu_type1 2>/dev/null; modprobe vfio-pci 2>/dev/null
	if sluice-devbind --bind=vfio-pci $VA $VB $QA $QB; then
		run "vfio split VA -> VB" e2e v -a $VA -a $VB -- gen $VA $VB $N
		run "vfio packed 4 queues QA -> QB" e2e v -a $QA -a $QB -- gen $QA $QB $N --queues 4
		kill_test "kill -9 vfio split" $VA $VB vfio-pci
		sluice-devbind --bind=sluice-pci $VA $VB $QA $QB >/dev/null
	else
		ko "binding to vfio-pci"
	fi
fi

[ "$BENCH" = bench ] && command -v dpdk-testpmd >/dev/null && run_bench

faults=$(( $(dmar_faults) - faults0 ))
if [ "$faults" -eq 0 ]; then ok "no DMAR faults"; else ko "$faults DMAR faults in dmesg"; dmesg | grep DMAR | tail; fi
if dmesg | grep -q "WARNING:\|BUG:\|Oops"; then ko "kernel WARN/BUG/Oops"; dmesg | tail -40; else ok "clean dmesg"; fi
echo "=== virtio e2e: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
