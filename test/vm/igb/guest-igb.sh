#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Runs inside the guest of run-igb-vm.sh (busybox sh).  Wiring:
#   hub 0: igb 00:02.0 (A) <-> igb 00:06.0 (B): both on sluice-pci (PF PMD)
#   hub 1: igb 01:00.0 (C) behind a PCIe root port: the kernel's igb keeps
#          it and makes 3 VFs, 01:10.0 01:10.2 01:10.4, on sluice-pci (VF PMD)
# Usage: guest-igb.sh [all|pf|vf]
set -u
MODE=${1:-all}
A=0000:00:02.0 B=0000:00:06.0 C=0000:01:00.0
V0=0000:01:10.0 V1=0000:01:10.2 V2=0000:01:10.4
N=${IGB_COUNT:-20000}
PASS=0 FAIL=0
EAL="-m 200 --iova-mode va"

ok() { PASS=$((PASS + 1)); echo "PASS: $*"; }
ko() { FAIL=$((FAIL + 1)); echo "FAIL: $*"; }
run() { # name, command...
	name=$1; shift
	echo "--- $name: $*"
	if "$@"; then ok "$name"; else ko "$name"; fi
}
e2e() { # prefix, args...
	p=$1; shift
	sluice-igb-e2e --file-prefix "$p" -l 0 $EAL "$@"
}
dmar_faults() { dmesg | grep -c "DMAR: \[DMA" ; }
group() { basename "$(readlink "/sys/bus/pci/devices/$1/iommu_group")"; }

echo "=== sluice igb end-to-end tests ($MODE)"
insmod /opt/sluice.ko || { echo "FAIL: insmod sluice.ko"; exit 1; }
faults0=$(dmar_faults)

if [ "$MODE" = all ] || [ "$MODE" = pf ]; then
	sluice-devbind --bind=sluice-pci $A $B || ko "binding $A $B to sluice-pci"
	run "PF RSS over 4 queues, offloads, counters, RETA, queue stop/start, multicast" \
		e2e pf -a $A -a $B -- rss $A $B 4 "$N" 256
	run "PF RSS over 8 queues" e2e pf8 -a $A -a $B -- rss $B $A 8 4000 1024
	run "PF jumbo frames (MTU 9000)" e2e pfj -a $A -a $B -- jumbo $A $B 2000
fi

if [ "$MODE" = all ] || [ "$MODE" = vf ]; then
	modprobe igb || ko "modprobe igb"
	sleep 1
	IF=$(ls /sys/bus/pci/devices/$C/net 2>/dev/null | head -1)
	[ -n "$IF" ] || ko "no kernel interface for the PF $C"
	ip link set "$IF" up
	i=0; while [ $i -lt 50 ] && [ "$(cat /sys/class/net/$IF/carrier 2>/dev/null)" != 1 ]; do
		sleep 0.2; i=$((i + 1)); done
	echo 0 > /sys/bus/pci/devices/$C/sriov_drivers_autoprobe
	echo 3 > /sys/bus/pci/devices/$C/sriov_numvfs || ko "sriov_numvfs"
	sleep 1
	gp=$(group $C)
	for v in $V0 $V1 $V2; do
		gv=$(group $v)
		echo "IOMMU group: PF $C $gp, VF $v $gv"
		[ "$gv" != "$gp" ] && ok "VF $v has its own IOMMU group ($gv, PF $gp)" ||
			ko "VF $v shares the PF's IOMMU group $gp"
	done
	sluice-devbind --bind=sluice-pci $V0 $V1 $V2 || ko "binding the VFs to sluice-pci"
	run "VF-to-VF both ways, multicast through the PF mailbox" \
		e2e vf -a $V0 -a $V1 -- vfpair $V0 $V1 2000
	run "VF-to-PF" e2e vp -a $V0 -- vf2pf $V0 "$IF" 2000
	run "VF 2 queue pairs both ways (both TX queues, RX queue 1 empty: no RSS from the PF)" \
		e2e vq -a $V0 -a $V1 -- vfmq $V0 $V1 2000
	e2e vr -a $V0 -- vfrss $V0 > /tmp/vfrss.log 2>&1
	cat /tmp/vfrss.log
	grep -q "RSS requested but this port has no RSS" /tmp/vfrss.log &&
		grep -q "^PASS" /tmp/vfrss.log && ok "VF refuses RSS (ethdev: the VF reports no RSS types)" ||
		ko "VF RSS refusal"

	# kill -9 of a VF's owner while it sends and receives
	# the program itself in the background (not a function: $! must be its pid)
	sluice-igb-e2e --file-prefix hold -l 0 $EAL -a $V2 -- hold $V2 > /tmp/hold.log 2>&1 &
	H=$!
	i=0; while [ $i -lt 100 ] && ! grep -q "hold: .* running" /tmp/hold.log; do
		sleep 0.2; i=$((i + 1)); done
	grep -q "running" /tmp/hold.log && ok "VF $V2 owner running" || { ko "hold did not start"; cat /tmp/hold.log; }
	sleep 2
	kill -9 $H; wait $H 2>/dev/null
	sleep 1
	[ "$(cat /sys/class/net/$IF/carrier 2>/dev/null)" = 1 ] &&
		ok "PF $IF still has its link after kill -9 of the VF owner" ||
		ko "PF $IF lost its link"
	run "after kill -9: other VFs, VF-to-VF" e2e vf2 -a $V0 -a $V1 -- vfpair $V0 $V1 1000
	run "after kill -9: VF-to-PF" e2e vp2 -a $V1 -- vf2pf $V1 "$IF" 1000
	run "after kill -9: the killed owner's VF works for the next owner" \
		e2e vp3 -a $V2 -- vf2pf $V2 "$IF" 500
fi

faults=$(( $(dmar_faults) - faults0 ))
[ "$faults" -eq 0 ] && ok "no DMAR faults" || { ko "$faults DMAR faults"; dmesg | grep "DMAR" | tail -5; }
dmesg | grep -E "WARNING|BUG|Oops" && ko "kernel warnings" || ok "no kernel warnings"
echo "=== $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
