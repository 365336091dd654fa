#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Runs inside the guest of run-e1000-vm.sh (busybox sh).  Wiring:
#   hub 0: e1000 00:02.0 <-> e1000e 00:04.0
#   hub 1: e1000 00:03.0 <-> e1000e 00:05.0
# Usage: guest-e1000.sh [all|quick|bench]
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

if [ "$MODE" = bench ]; then
	sh /opt/guest-e1000.sh bench-only
	exit $?
fi

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

# 2. through sluice-testpmd in another process
forward_test "sluice backend"
[ "$MODE" = quick ] || {
# 3. stop/start/close/re-probe cycles
run "cycles e1000e-a/e1000-a" gen g2 1 -a $EEA -a $E1A -- cycles $EEA $E1A 3 3000
run "cycles e1000-b/e1000e-b" gen g2 1 -a $E1B -a $EEB -- cycles $E1B $EEB 3 3000

# 4. kill -9 in the middle of traffic, then restart
if testpmd_start tp -a $E1A -a $E1B; then
	gen gen 1 -a $EEA -a $EEB -- gen $EEA $EEB 2000000 --timeout-ms 2000 > /tmp/gen-kill.log 2>&1 &
	G=$!
	sleep 5
	kill -9 $TP; wait $TP 2>/dev/null
	echo "killed sluice-testpmd (SIGKILL) mid-traffic"
	kill -9 $G; wait $G 2>/dev/null
	echo "killed generator (SIGKILL) mid-traffic"
	tail -3 /tmp/gen-kill.log
	forward_test "after kill -9"
else
	ko "kill -9: testpmd did not start"
fi

# 5. the vfio-pci backend
if bind_all vfio-pci; then
	sluice-devbind --status
	run "vfio direct e1000e-a -> e1000-a" gen v1 1 -a $EEA -a $E1A -- gen $EEA $E1A $N
	forward_test "vfio-pci backend"
	bind_all sluice-pci || ko "rebinding to sluice-pci"
else
	ko "binding to vfio-pci"
fi
}

faults=$(( $(dmar_faults) - faults0 ))
if [ "$faults" -eq 0 ]; then ok "no DMAR faults"; else ko "$faults DMAR faults in dmesg"; dmesg | grep DMAR | tail; fi
if dmesg | grep -q "WARNING:\|BUG:\|Oops"; then ko "kernel WARN/BUG/Oops"; dmesg | tail -40; else ok "clean dmesg"; fi

echo "=== e1000 e2e: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
