#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Runs inside the guest of run-e1000-vm.sh (busybox sh).  Wiring:
#   hub 0: e1000 00:02.0 <-> e1000e 00:04.0
#   hub 1: e1000 00:03.0 <-> e1000e 00:05.0
#   (and two more e1000 behind the PCIe-to-PCI bridge 00:06.0, on hub 2)
# Usage: guest-e1000.sh [all|quick|bench|vsdpdk|count|launch|kill]   (launch: only section
# 7, in its own boot: meson test e1000-launch; kill: only section 4, to repeat
# the kill -9 test by hand)
set -u
MODE=${1:-all}
E1A=0000:00:02.0 E1B=0000:00:03.0 EEA=0000:00:04.0 EEB=0000:00:05.0
N=${E1000_COUNT:-20000}
PASS=0 FAIL=0
EAL="-m 96 --iova-mode va"

ok() { PASS=$((PASS + 1)); echo "PASS: $*"; }
ko() { FAIL=$((FAIL + 1)); echo "FAIL: $*"; }
run() { # name, command...
	name=$1; shift
	echo "--- $name: $*"
	if "$@"; then ok "$name"; else ko "$name"; fi
}
gen() { # prefix lcore allow... -- args
	p=$1 l=$2; shift 2
	sluice-e1000-e2e --file-prefix "$p" -l "$l" $EAL "$@"
}
kiface() { ls "/sys/bus/pci/devices/$1/net" 2>/dev/null | head -1; }
dmar_faults() { dmesg | grep -c "DMAR: \[DMA" ; }

bind_all() {
	for d in $E1A $E1B $EEA $EEB; do
		sluice-devbind --bind="$1" $d || return 1
	done
}

testpmd_start() { # prefix, allow list args...
	p=$1; shift
	sluice-testpmd --file-prefix "$p" -l 0,1 $EAL "$@" -- --forward-mode=io \
		--duration=600 > /tmp/testpmd-$p.log 2>&1 &
	TP=$!
	# wait until it forwards (ports started) or dies
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
	cat /tmp/testpmd-*.log | tail -30
	rm -f /tmp/testpmd-*.log
}

forward_test() { # label
	lbl=$1
	if ! testpmd_start tp -a $E1A -a $E1B; then
		ko "$lbl: sluice-testpmd did not start"; cat /tmp/testpmd-tp.log; return
	fi
	run "$lbl: e1000e-a -> testpmd(e1000 a->b) -> e1000e-b" \
		gen gen 1 -a $EEA -a $EEB -- gen $EEA $EEB $N
	run "$lbl: e1000e-b -> testpmd(e1000 b->a) -> e1000e-a" \
		gen gen 1 -a $EEA -a $EEB -- gen $EEB $EEA $N
	testpmd_stop
}

echo "=== sluice e1000 end-to-end tests ($MODE)"
insmod /opt/sluice.ko || { echo "FAIL: insmod sluice.ko"; exit 1; }
sluice-hugepages --show
bind_all sluice-pci || { echo "FAIL: binding to sluice-pci"; exit 1; }
sluice-devbind --status
faults0=$(dmar_faults)

# ---- benchmark: our PMD vs the kernel driver + AF_PACKET, same guest -------
bench_linux() { # tx_pci rx_pci kmod secs size
	modprobe "$3" 2>/dev/null
	sluice-devbind --bind=kernel "$1" "$2" >/dev/null
	sleep 1
	ti=$(kiface "$1") ri=$(kiface "$2")
	[ -n "$ti" ] || { echo "no kernel interface for $1"; return 1; }
	ip link set "$ti" up; [ -n "$ri" ] && ip link set "$ri" up
	# wait for the link
	i=0; while [ $i -lt 50 ] && [ "$(cat /sys/class/net/$ti/carrier 2>/dev/null)" != 1 ]; do sleep 0.2; i=$((i+1)); done
	t0=$(cat /sys/class/net/$ti/statistics/tx_packets)
	sluice-e1000-e2e afpacket "$ti" "$4" "$5" >/dev/null
	t1=$(cat /sys/class/net/$ti/statistics/tx_packets)
	ip link set "$ti" down; [ -n "$ri" ] && ip link set "$ri" down
	sluice-devbind --bind=sluice-pci "$1" "$2" >/dev/null
	echo $(( (t1 - t0) / $4 ))
}
bench_ours() { # tx_pci rx_pci secs size -> "tx rx"
	gen b 1 -a "$1" -a "$2" -- blast "$1" "$2" "$3" "$4" > /tmp/blast.log 2>&1
	r=$(sed -n 's/^pps tx=\([0-9]*\) rx=\([0-9]*\)/\1 \2/p' /tmp/blast.log)
	[ -n "$r" ] || { tail -5 /tmp/blast.log >&2; r="0 0"; }
	echo "$r"
}
bench_dpdk() { # tx_pci secs size: DPDK 22.11 testpmd txonly on vfio-pci
	command -v dpdk-testpmd >/dev/null || { echo "dpdk-testpmd not in the guest" >&2; echo 0; return; }
	# tp_start/tp_stop/tp_pps: see "ours against DPDK's em PMD" below
	if ! tp_start dpdk txonly "$3" "$1"; then
		head -12 /tmp/tp.log >&2; tp_stop "$1"; echo 0; return
	fi
	sleep "$2"
	tp_stop "$1"
	tp_pps
}
max() { [ "${1:-0}" -ge "${2:-0}" ] && echo "${1:-0}" || echo "${2:-0}"; }
# median of the integer arguments (0 when there are none)
median() {
	[ $# -gt 0 ] || { echo 0; return; }
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
		if (NR % 2) print v[(NR + 1) / 2]; else printf "%d\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() {
	case "$1:$2" in *[!0-9:]*|*:|:*) echo n/a; return ;; esac
	awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "n/a" }'
}
if [ "$MODE" = bench ]; then
	# The host is shared and noisy: alternate the contenders, three rounds,
	# and keep each one's best reading.
	SECS=${E1000_BENCH_SECS:-5}
	for size in 60 1514; do
		for pair in "e1000e $EEA $E1A" "e1000 $E1B $EEB"; do
			set -- $pair
			otx=0 orx=0 l=0 ttx=0 d=0
			for round in 1 2 3; do
				o=$(bench_ours "$2" "$3" "$SECS" "$size")
				otx=$(max "$otx" "${o%% *}"); orx=$(max "$orx" "${o##* }")
				l=$(max "$l" "$(bench_linux "$2" "$3" "$1" "$SECS" "$size")")
				o=$(bench_ours "$2" "$2" "$SECS" "$size")
				ttx=$(max "$ttx" "${o%% *}")
				d=$(max "$d" "$(bench_dpdk "$2" "$SECS" "$size")")
			done
			echo "BENCH model=$1 size=$size fwd_path: sluice_tx_pps=$otx sluice_rx_pps=$orx linux_afpacket_tx_pps=$l ratio_vs_linux=$(ratio "$otx" "$l")"
			echo "BENCH model=$1 size=$size txonly: sluice_tx_pps=$ttx dpdk_vfio_tx_pps=$d ratio_vs_dpdk=$(ratio "$ttx" "$d")"
		done
	done
	exit 0
fi

# ---- ours against DPDK's em PMD: sluice-testpmd and dpdk-testpmd ----------
# The same application design on both sides (testpmd, one forwarding lcore,
# bursts of 32, 512-descriptor rings, 8192 mbufs: dpdk-testpmd's default pool
# takes nearly all of the guest's hugepages and starves the generator), the
# same NIC, the same guest:
# - txonly: the DUT port sends; the rate is the mean of testpmd's own
#   per-second Tx-pps readings (the first left out);
# - io: the DUT pair forwards what sluice-e1000-e2e blasts at it from the
#   other model's pair; the rate is what the generator gets back.
# Under "count" (run-e1000-vm.sh count, QEMU tracing MMIO and IOMMU
# translations) each run is framed by SLUICE-COUNT-BEGIN/END console lines
# that the host matches against the trace (test/vm/e1000/mmio-count.awk).
tp_start() { # who(sluice|dpdk) fwd(txonly|io) size pci...
	tw=$1 tf=$2 ts=$3; shift 3
	allow=; for d in "$@"; do allow="$allow -a $d"; done
	rm -f /tmp/tp.in /tmp/tp.log; mkfifo /tmp/tp.in
	if [ "$tw" = dpdk ]; then
		modprobe vfio-pci 2>/dev/null; modprobe vfio_iommu_type1 2>/dev/null
		sluice-devbind --bind=vfio-pci "$@" >/dev/null || return 1
		# shellcheck disable=SC2086
		dpdk-testpmd -l 0,1 -n 1 --file-prefix dp $allow --iova-mode va -m 128 -- \
			--forward-mode="$tf" --txpkts="$ts" --rxd=512 --txd=512 --burst=32 \
			--total-num-mbufs=8192 --stats-period 1 < /tmp/tp.in > /tmp/tp.log 2>&1 &
	else
		# shellcheck disable=SC2086
		sluice-testpmd --file-prefix sp -l 0,1 $EAL $allow -- \
			--forward-mode="$tf" --txpkts="$ts" --rxd=512 --txd=512 --burst=32 \
			--total-num-mbufs=8192 --stats-period 1 < /tmp/tp.in > /tmp/tp.log 2>&1 &
	fi
	TPP=$!
	# stdin is a FIFO held open: dpdk-testpmd runs until the signal
	exec 7> /tmp/tp.in
	i=0
	while [ $i -lt 240 ] && ! grep -q "Tx-pps" /tmp/tp.log; do
		kill -0 $TPP 2>/dev/null || break
		sleep 0.5; i=$((i + 1))
	done
	grep -q "Tx-pps" /tmp/tp.log
}
tp_stop() { # pci...: stop the testpmd of tp_start, give the ports back to sluice-pci
	kill -INT $TPP 2>/dev/null
	i=0; while [ $i -lt 40 ] && kill -0 $TPP 2>/dev/null; do sleep 0.5; i=$((i + 1)); done
	kill -KILL $TPP 2>/dev/null
	wait $TPP 2>/dev/null
	exec 7>&-
	hp_clean
	sluice-devbind --bind=sluice-pci "$@" >/dev/null
}
# packets sent by testpmd over the run: its final per-port forward statistics
tp_sent() {
	awk '/Forward statistics for port/ { on = 1 } /Accumulated/ { on = 0 }
		on && /TX-packets:/ { s += $2; on = 0 } END { printf "%d", s }' /tmp/tp.log
}
# mean of the per-second Tx-pps readings of the sending port, first left
# out (ramp-up); dpdk-testpmd prints a count, sluice-testpmd 1.02M / 193.22K
tp_pps() {
	grep -o 'Tx-pps: *[0-9.]*[KMG]*' /tmp/tp.log | awk '{
		v = $2 + 0
		if ($2 ~ /K$/) v *= 1e3; else if ($2 ~ /M$/) v *= 1e6; else if ($2 ~ /G$/) v *= 1e9
		print v }' |
		awk '$1 > 0 { n++; if (n > 1) { s += $1; k++ } } END { if (k) printf "%d", s / k; else print 0 }'
}
# hugepage files left by a killed run (sluice-testpmd sp, dpdk-testpmd dp,
# the generator gb) would starve the next one
hp_clean() { rm -f /dev/hugepages/sp* /dev/hugepages/dp* /dev/hugepages/gb* /var/run/dpdk/dp/* 2>/dev/null; }
# a console line for mmio-count.awk, three times (a byte lost by the UART
# under QEMU's tracing load must not lose a marker)
count_mark() { for i in 1 2 3; do echo "$1" >&2; done; }
# one measurement: prints "PPS PKTS" (PKTS: frames sent (txonly) or forwarded (io))
vs_one() { # who fwd model size secs
	vw=$1 vf=$2 vm=$3 vz=$4 vs=$5
	if [ "$vm" = e1000e ]; then dut="$EEA $EEB" gtx=$E1A grx=$E1B txp=$EEA
	else dut="$E1A $E1B" gtx=$EEA grx=$EEB txp=$E1B; fi
	[ "$vf" = txonly ] && dut=$txp
	hp_clean
	# shellcheck disable=SC2086
	if ! tp_start "$vw" "$vf" "$vz" $dut; then
		echo "$vw testpmd did not start:" >&2; tail -15 /tmp/tp.log >&2
		tp_stop $dut; echo "0 0"; return
	fi
	[ "$MODE" = count ] && { sleep 0.5; count_mark "SLUICE-COUNT-BEGIN $vf-$vm-$vz $vw"; sleep 0.5; }
	# the host reads QEMU's vCPU CPU time at these two lines (vcpu-share.py)
	[ "$MODE" = count ] || echo "SLUICE-CPU-BEGIN $VS_ROUND-$vw-$vf-$vm-$vz" >&2
	if [ "$vf" = txonly ]; then
		sleep "$vs"
		[ "$MODE" = count ] || echo "SLUICE-CPU-END $VS_ROUND-$vw-$vf-$vm-$vz" >&2
		[ "$MODE" = count ] && { count_mark SLUICE-COUNT-STOP; sleep 0.5; }
		# shellcheck disable=SC2086
		tp_stop $dut
		r="$(tp_pps) $(tp_sent)"
	elif [ "$MODE" = count ]; then
		# Per-packet counts need enough packets (mmio-budget.awk), and
		# the forwarding rate under tracing depends on the host's load:
		# blast again until enough came back, up to ten times.
		cn=0 ct=0 k=0
		while [ "$k" -lt 10 ] && [ "$cn" -lt "$COUNT_MIN" ]; do
			gen gb 0 -a $gtx -a $grx -- blast $gtx $grx "$vs" "$vz" > /tmp/blast.log 2>&1
			c=$(sed -n 's/^total tx=[0-9]* rx=\([0-9]*\)/\1/p' /tmp/blast.log)
			[ -n "$c" ] || { tail -5 /tmp/blast.log >&2; break; }
			cn=$((cn + c)) ct=$((ct + vs)) k=$((k + 1))
		done
		count_mark SLUICE-COUNT-STOP; sleep 0.5
		# shellcheck disable=SC2086
		tp_stop $dut
		[ "$ct" -gt 0 ] || ct=1
		r="$((cn / ct)) $cn"
	else
		gen gb 0 -a $gtx -a $grx -- blast $gtx $grx "$vs" "$vz" > /tmp/blast.log 2>&1
		[ "$MODE" = count ] || echo "SLUICE-CPU-END $VS_ROUND-$vw-$vf-$vm-$vz" >&2
		[ "$MODE" = count ] && { count_mark SLUICE-COUNT-STOP; sleep 0.5; }
		# shellcheck disable=SC2086
		tp_stop $dut
		r="$(sed -n 's/^pps tx=[0-9]* rx=\([0-9]*\)/\1/p' /tmp/blast.log) $(sed -n 's/^total tx=[0-9]* rx=\([0-9]*\)/\1/p' /tmp/blast.log)"
		[ "$r" != " " ] || { tail -5 /tmp/blast.log >&2; r="0 0"; }
	fi
	[ "$MODE" = count ] && echo "SLUICE-COUNT-END $vf-$vm-$vz $vw pkts=${r##* }" >&2
	grep -iE "error|fail|cannot" /tmp/tp.log | head -3 >&2
	echo "$r"
}
vs_bench() {
	SECS=${E1000_BENCH_SECS:-5}
	ROUNDS=${E1000_BENCH_ROUNDS:-3}
	SIZES=${E1000_BENCH_SIZES:-60 1514}
	WHO=sluice
	command -v dpdk-testpmd >/dev/null && WHO="sluice dpdk"
	# E1000_VS_WHO=sluice: ours only (the budget check of meson test e1000-count)
	WHO=${E1000_VS_WHO:-$WHO}
	[ "$MODE" = count ] && ROUNDS=1 SECS=${E1000_COUNT_SECS:-3}
	# the fewest packets mmio-budget.awk counts with (its budget file's minimum)
	COUNT_MIN=${E1000_COUNT_MIN:-25000}
	for size in $SIZES; do
		for fwd in ${E1000_BENCH_FWDS:-txonly io}; do
			for model in ${E1000_BENCH_MODELS:-e1000e e1000}; do
				pps_s= pps_d= pk_s= pk_d=
				for round in $(seq "$ROUNDS"); do
					VS_ROUND=$round
					# Odd rounds sluice first, even rounds DPDK first.
					order=$WHO
					[ $((round % 2)) = 0 ] && order=$(echo "$WHO" | awk '{ for (i = NF; i > 0; i--) printf "%s%s", $i, (i > 1 ? " " : "") }')
					for who in $order; do
						o=$(vs_one "$who" "$fwd" "$model" "$size" "$SECS")
						echo "VS round=$round who=$who fwd=$fwd model=$model size=$size pps=${o%% *} pkts=${o##* }"
						# A run without a reading (pps 0: no per-second
						# line parsed) is left out of the median.
						if [ "$who" = sluice ]; then
							[ "${o%% *}" -gt 0 ] 2>/dev/null && pps_s="$pps_s ${o%% *}"
							pk_s="$pk_s ${o##* }"
						else
							[ "${o%% *}" -gt 0 ] 2>/dev/null && pps_d="$pps_d ${o%% *}"
							pk_d="$pk_d ${o##* }"
						fi
					done
				done
				m_s=$(median $pps_s) m_d=$(median $pps_d) k_s=$(median $pk_s) k_d=$(median $pk_d)
				echo "BENCH model=$model size=$size $fwd: sluice_pps=$m_s dpdk_pps=$m_d ratio=$(ratio "$m_s" "$m_d") frames_ratio=$(ratio "$k_s" "$k_d") (medians of $ROUNDS rounds, sides alternating; readings sluice:$pps_s dpdk:$pps_d; frames sluice:$pk_s dpdk:$pk_d; load $(cut -d' ' -f1-3 /proc/loadavg))"
			done
		done
	done
}
if [ "$MODE" = vsdpdk ] || [ "$MODE" = count ]; then
	vs_bench
	echo "=== e1000 e2e: 0 passed, 0 failed"
	exit 0
fi


# ---- 7. sluice-launch: an unprivileged user drives the e1000e pair --------
LU=sluiceuser LUID=1000
status_of() { # pid field
	sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status" | tr -s ' \t' ' '
}
as_user() { # command line, run by $LU without the launcher
	su -s /bin/sh "$LU" -c "PATH=$PATH LD_LIBRARY_PATH=$LD_LIBRARY_PATH $*"
}
launch_tests() {
	# the hugepage mount must be writable by the user; the nodes stay 0600 root
	chmod 1777 /dev/hugepages
	ls -l /dev/sluice/

	# a. the same user without the launcher: a clear permission error
	if as_user "sluice-testpmd --file-prefix lnp -l 0,1 $EAL -a $EEA -a $EEB -- \
		--forward-mode=io --duration=3" > /tmp/noperm.log 2>&1; then
		ko "launch: uid $LUID opened the nodes without the launcher"; cat /tmp/noperm.log
	elif grep -q "no permission to open /dev/sluice/$EEA: .*sluice-launch --user" /tmp/noperm.log; then
		ok "launch: without the launcher uid $LUID gets: $(grep 'no permission' /tmp/noperm.log | head -1)"
	else
		ko "launch: without the launcher, no clear permission error"; cat /tmp/noperm.log
	fi

	# b. through the launcher: forwards e1000-a -> e1000e-a -> testpmd -> e1000e-b -> e1000-b
	sluice-launch --verbose --user $LU --device $EEA --device $EEB -- \
		sluice-testpmd --file-prefix ln -l 0,1 $EAL -a $EEA -a $EEB -- \
		--forward-mode=io --duration=600 > /tmp/testpmd-ln.log 2>&1 &
	TP=$!
	i=0
	while [ $i -lt 100 ]; do
		grep -qi "forwarding\|start" /tmp/testpmd-ln.log 2>/dev/null && break
		kill -0 $TP 2>/dev/null || break
		sleep 0.2; i=$((i + 1))
	done
	sleep 2
	if kill -0 $TP 2>/dev/null; then
		uid=$(status_of $TP Uid) gid=$(status_of $TP Gid) grps=$(echo $(status_of $TP Groups))
		echo "testpmd pid $TP: $(tr '\0' ' ' < /proc/$TP/cmdline)"
		echo "  Uid $uid Gid $gid Groups '$grps' VmLck $(status_of $TP VmLck)"
		ls -l /proc/$TP/fd | grep sluice
		if [ "$uid" = "$LUID $LUID $LUID $LUID" ] && [ "$gid" = "$LUID $LUID $LUID $LUID" ] &&
		   [ "$grps" = "$LUID" ]; then
			ok "launch: testpmd runs as uid/gid $LUID (real, effective, saved, fs)"
		else
			ko "launch: testpmd ids: Uid '$uid' Gid '$gid' Groups '$grps'"
		fi
		bad=
		for c in CapInh CapPrm CapEff CapBnd CapAmb; do
			v=$(status_of $TP $c)
			echo "  $c $v"
			[ "$v" = 0000000000000000 ] || bad="$bad $c=$v"
		done
		[ "$(status_of $TP NoNewPrivs)" = 1 ] || bad="$bad NoNewPrivs=$(status_of $TP NoNewPrivs)"
		if [ -z "$bad" ]; then ok "launch: no capability left (bounding and ambient too), no_new_privs"
		else ko "launch: privilege left:$bad"; fi
		n=$(ls -l /proc/$TP/fd | grep -c "/dev/sluice/")
		if [ "$n" = 3 ]; then ok "launch: testpmd holds the domain and both device fds"
		else ko "launch: testpmd holds $n sluice fds, expected 3"; fi
		run "launch: e1000-a -> e1000e-a -> testpmd(uid $LUID) -> e1000e-b -> e1000-b" \
			gen gen 1 -a $E1A -a $E1B -- gen $E1A $E1B $N
		run "launch: e1000-b -> e1000e-b -> testpmd(uid $LUID) -> e1000e-a -> e1000-a" \
			gen gen 1 -a $E1A -a $E1B -- gen $E1B $E1A $N
		kill -TERM "$TP"; wait "$TP"
		# testpmd's own counters: every frame of both runs forwarded, none dropped
		if grep -q "Accumulated: rx $((2 * N)) gen 0 tx $((2 * N)) tx_dropped 0 discarded 0" \
			/tmp/testpmd-ln.log; then
			ok "launch: testpmd forwarded $((2 * N)) frames, none dropped"
		else
			ko "launch: testpmd counters"
		fi
		tail -15 /tmp/testpmd-ln.log; rm -f /tmp/testpmd-ln.log
	else
		ko "launch: sluice-testpmd through sluice-launch did not start"
		cat /tmp/testpmd-ln.log; rm -f /tmp/testpmd-ln.log
	fi

	# c. a memory-lock limit too small for -m 96: the error names the limit and the fix
	sluice-launch --user $LU --memlock 8M --device $EEA -- \
		sluice-testpmd --file-prefix lnm -l 0,1 $EAL -a $EEA -- --forward-mode=io \
		--duration=3 > /tmp/memlock.log 2>&1
	if grep -q "RLIMIT_MEMLOCK is 8192 KiB.*sluice-launch --memlock" /tmp/memlock.log; then
		ok "launch: --memlock 8M: $(grep -o 'cannot map.*' /tmp/memlock.log | head -1)"
	else
		ko "launch: --memlock 8M gave no clear memory-lock error"; cat /tmp/memlock.log
	fi

	# d. the EAL options instead of the variable, with the real fds
	if sluice-launch --user $LU --device $EEA --device $EEB -- /bin/sh -c \
		"unset SLUICE_LAUNCH_FDS; exec sluice-testpmd --file-prefix lno -l 0,1 $EAL \
		--domain-fd 3 --device-fd $EEA=4 --device-fd $EEB=5 -a $EEA -a $EEB -- \
		--forward-mode=io --duration=2" > /tmp/launch-opt.log 2>&1 &&
	   grep -q "taking over --device-fd fds: domain fd 3, 2 device fd(s)" /tmp/launch-opt.log; then
		ok "launch: --domain-fd/--device-fd take over the launcher's fds"
	else
		ko "launch: --domain-fd/--device-fd"; cat /tmp/launch-opt.log
	fi
	eal_refuses() { # label, expected message (grep -E), testpmd EAL args (fds 3, 4, 5)
		lbl=$1 msg=$2; shift 2
		if sluice-launch --user $LU --device $EEA --device $EEB -- /bin/sh -c \
			"unset SLUICE_LAUNCH_FDS; exec sluice-testpmd --file-prefix lnr -l 0,1 $EAL \
			$* -- --forward-mode=io --duration=2" > /tmp/launch-eal.log 2>&1; then
			ko "EAL refuses $lbl: it ran"; cat /tmp/launch-eal.log
		elif grep -Eq -e "$msg" /tmp/launch-eal.log; then
			ok "EAL refuses $lbl: $(grep -E -e "$msg" /tmp/launch-eal.log | head -1)"
		else
			ko "EAL refuses $lbl: unclear error"; cat /tmp/launch-eal.log
		fi
	}
	eal_refuses "the fd of another device's node" \
		"--device-fd: fd 5 is /dev/sluice/$EEB, not the sluice node of $EEA" \
		--domain-fd 3 --device-fd $EEA=5 -a $EEA
	eal_refuses "a device node as the domain" \
		"--domain-fd: fd 4 is /dev/sluice/$EEA, a device node, not the domain device" \
		--domain-fd 4 -a $EEA
	eal_refuses "a closed fd" "--domain-fd: fd 9 is not open in this process" \
		--domain-fd 9 -a $EEA
	eal_refuses "a device that was not handed over" \
		"$EEB was not handed over by sluice-launch.*add --device $EEB" \
		--domain-fd 3 --device-fd $EEA=4 -a $EEA -a $EEB

	# e. refusals of the launcher: a BDF that does not exist, a group not handed over whole,
	#    a device not bound to sluice-pci, root as the user
	launch_refuses() { # label, expected message (grep -E), launcher args...
		lbl=$1 msg=$2; shift 2
		if sluice-launch "$@" -- /bin/true 2>/tmp/launch.err; then
			ko "launch refuses $lbl: it ran"
		elif grep -Eq -e "$msg" /tmp/launch.err; then
			ok "launch refuses $lbl: $(cat /tmp/launch.err)"
		else
			ko "launch refuses $lbl: unclear error: $(cat /tmp/launch.err)"
		fi
	}
	launch_refuses "a BDF that does not exist" "0000:00:09.0: no such PCI device" \
		--user $LU --device 0000:00:09.0
	launch_refuses "root as the user" "is root" --user root --device $EEA
	br=$(ls -d /sys/bus/pci/devices/0000:00:06.0/0000:* 2>/dev/null | sed 's|.*/||' | sort)
	G1=$(echo "$br" | sed -n 1p) G2=$(echo "$br" | sed -n 2p)
	if [ -n "$G1" ] && [ -n "$G2" ]; then
		grp=$(basename "$(readlink /sys/bus/pci/devices/$G1/iommu_group)")
		echo "behind the bridge: $G1 $G2, IOMMU group $grp: $(ls /sys/kernel/iommu_groups/$grp/devices | tr '\n' ' ')"
		launch_refuses "a device not bound to sluice-pci" "$G1 is not bound to any driver, not sluice-pci" \
			--user $LU --device $G1
		sluice-devbind --bind=sluice-pci $G1 $G2 || ko "binding $G1 $G2 to sluice-pci"
		launch_refuses "half of IOMMU group $grp" \
			"--device $G1: IOMMU group $grp also holds $G2 \(bound to sluice-pci\), which is not handed over" \
			--user $LU --device $G1
		# the whole group is accepted, attached, and the program runs with nothing left
		if sluice-launch --user $LU --device $G1 --device $G2 -- /bin/sh -c \
			'grep -E "^(Uid|Cap...|NoNewPrivs):" /proc/self/status; echo "SLUICE_LAUNCH_FDS=$SLUICE_LAUNCH_FDS"; ls -l /proc/self/fd' \
			> /tmp/launch-grp.log 2>&1 &&
		   grep -q "^SLUICE_LAUNCH_FDS=domain=[0-9]*,$G1=[0-9]*,$G2=[0-9]*$" /tmp/launch-grp.log &&
		   grep -q "^CapBnd:[[:space:]]*0000000000000000" /tmp/launch-grp.log &&
		   grep -q "^NoNewPrivs:[[:space:]]*1" /tmp/launch-grp.log; then
			ok "launch takes the whole group $grp ($G1 $G2)"
		else
			ko "launch of the whole group $grp"
		fi
		cat /tmp/launch-grp.log
	else
		ko "no devices behind the PCIe-to-PCI bridge 00:06.0"
	fi
	chmod 755 /dev/hugepages
}

# ---- 4. kill -9 in the middle of traffic, then restart ---------------------
# The e1000 (82540EM) has no function reset the module can use: the killed
# owner's rings survive in the device while frames keep arriving from the hub.
# The next owner's SET_DOMAIN must not let it DMA to them (bus mastering stays
# off until the PMD has reset the device): the DMAR fault count at the end
# checks it.
kill_test() {
	if testpmd_start tp -a $E1A -a $E1B; then
		# Not through gen(): a backgrounded function is a subshell, and
		# killing it would leave the generator running, holding its
		# file prefix into the next test.
		sluice-e1000-e2e --file-prefix gen -l 1 $EAL -a $EEA -a $EEB -- \
			gen $EEA $EEB 2000000 --timeout-ms 2000 > /tmp/gen-kill.log 2>&1 &
		G=$!
		sleep 5
		kill -9 $TP; wait $TP 2>/dev/null
		echo "killed sluice-testpmd (SIGKILL) mid-traffic"
		kill -9 $G; wait $G 2>/dev/null
		echo "killed generator (SIGKILL) mid-traffic"
		tail -3 /tmp/gen-kill.log
		echo "DMAR faults so far: $(( $(dmar_faults) - faults0 ))"
		forward_test "after kill -9"
	else
		ko "kill -9: testpmd did not start"
	fi
}

# ---- 4b. the dead owner's rings, deterministically -------------------------
# testpmd posts its RX buffers and is killed with no traffic, so 00:02.0 keeps
# RCTL.EN, its ring base and free descriptors (an 82540EM: no function reset).
# Then frames arrive while the next owner has attached the device but not yet
# reset it (sluice-launch: attached as root, the program not started yet, or
# any uAPI user between SET_DOMAIN and its driver's reset).  With bus
# mastering on at SET_DOMAIN, the device DMAs to the dead owner's IOVAs; the
# module leaves it off until the PMD turns it on after its reset: no faults.
stale_ring_test() {
	f0=$(dmar_faults)
	if ! testpmd_start st -a $E1A -a $E1B; then
		ko "stale rings: testpmd did not start"; cat /tmp/testpmd-st.log; return
	fi
	kill -9 $TP; wait $TP 2>/dev/null
	rm -f /tmp/testpmd-st.log
	gen gb 1 -a $EEA -a $EEB -- blast $EEA $EEB 5 64 > /tmp/blast-st.log 2>&1 &
	B=$!
	sleep 1
	sluice-launch --user $LU --device $E1A --device $E1B -- /bin/sh -c "sleep 3" ||
		ko "stale rings: sluice-launch failed"
	wait $B 2>/dev/null
	tail -1 /tmp/blast-st.log
	f=$(( $(dmar_faults) - f0 ))
	if [ "$f" -eq 0 ]; then
		ok "stale rings: no DMA before the next owner's reset (0 DMAR faults)"
	else
		ko "stale rings: $f DMAR faults while the next owner held 00:02.0 unreset"
		dmesg | grep DMAR | tail -4
	fi
	forward_test "after the stale-ring test"
}

if [ "$MODE" = launch ]; then
	launch_tests
elif [ "$MODE" = kill ]; then
	kill_test
	stale_ring_test
else
# 1. direct, both models both ways, through the hubs only
run "direct e1000e-a -> e1000-a" gen g1 1 -a $EEA -a $E1A -- gen $EEA $E1A $N
run "direct e1000-b -> e1000e-b" gen g1 1 -a $E1B -a $EEB -- gen $E1B $EEB $N
run "csum offload e1000e-a -> e1000-a (TX context descriptors)" \
	gen g1 1 -a $EEA -a $E1A -- gen $EEA $E1A 5000 --csum
run "csum offload e1000-b -> e1000e-b (RX csum flags)" \
	gen g1 1 -a $E1B -a $EEB -- gen $E1B $EEB 5000 --csum
run "jumbo 9000 e1000e-a -> e1000-a (multi-seg TX and RX)" \
	gen g1 1 -a $EEA -a $E1A -- gen $EEA $E1A 3000 --jumbo
run "jumbo 9000 e1000-b -> e1000e-b" gen g1 1 -a $E1B -a $EEB -- gen $E1B $EEB 3000 --jumbo
run "heap growth after probe is mapped (mem event callback) e1000e-a -> e1000-a" \
	gen g1 1 -a $EEA -a $E1A -- gen $EEA $E1A $N --grow

# 2. through sluice-testpmd in another process
forward_test "sluice backend"
[ "$MODE" = quick ] || {
# 3. stop/start/close/re-probe cycles
run "cycles e1000e-a/e1000-a" gen g2 1 -a $EEA -a $E1A -- cycles $EEA $E1A 3 3000
run "cycles e1000-b/e1000e-b" gen g2 1 -a $E1B -a $EEB -- cycles $E1B $EEB 3 3000

# 4. kill -9 in the middle of traffic, then restart
kill_test
stale_ring_test

# 5. the vfio-pci backend
if bind_all vfio-pci; then
	sluice-devbind --status
	run "vfio direct e1000e-a -> e1000-a" gen v1 1 -a $EEA -a $E1A -- gen $EEA $E1A $N
	run "vfio heap growth mapped e1000-b -> e1000e-b" \
		gen v1 1 -a $E1B -a $EEB -- gen $E1B $EEB $N --grow
	forward_test "vfio-pci backend"
	bind_all sluice-pci || ko "rebinding to sluice-pci"
else
	ko "binding to vfio-pci"
fi
}

# 6. sluice-devbind refuses an interface that is up unless --force
if [ "$MODE" = all ]; then
	modprobe e1000e 2>/dev/null
	sluice-devbind --bind=kernel $EEA >/dev/null
	sleep 1
	ifc=$(kiface $EEA)
	if [ -n "$ifc" ] && ip link set "$ifc" up; then
		if sluice-devbind --bind=sluice-pci $EEA 2>/tmp/devbind.err; then
			ko "devbind took interface $ifc while it was up"
		elif grep -q "is up or has routes" /tmp/devbind.err; then
			ok "devbind refuses $ifc while up: $(cat /tmp/devbind.err)"
		else
			ko "devbind failed for another reason: $(cat /tmp/devbind.err)"
		fi
		run "devbind --force takes it" sluice-devbind --force --bind=sluice-pci $EEA
	else
		ko "no kernel interface for $EEA under e1000e"
	fi
	sluice-devbind --bind=sluice-pci $EEA >/dev/null
fi
fi # MODE != launch

# E1000_ALSO_VSDPDK=1: the comparison with DPDK after the tests, in the same boot
[ "${E1000_ALSO_VSDPDK:-0}" = 1 ] && [ "$MODE" = all ] && vs_bench

faults=$(( $(dmar_faults) - faults0 ))
if [ "$faults" -eq 0 ]; then ok "no DMAR faults"; else ko "$faults DMAR faults in dmesg"; dmesg | grep DMAR | tail; fi
if dmesg | grep -q "WARNING:\|BUG:\|Oops"; then ko "kernel WARN/BUG/Oops"; dmesg | tail -40; else ok "clean dmesg"; fi

echo "=== e1000 e2e: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
