#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# module-tests.sh - runs inside the guest (busybox sh) booted by
# test/vm/run-vm.sh with the topology of test/vm/meson.build:
#   00:01.0 e1000     00:02.0 e1000e     00:03.0 virtio-net (modern)
#   00:04.0 edu       00:05.0 edu        (each in its own IOMMU group)
#   00:08.0 pcie-pci-bridge -> 01:01.0 edu, 01:02.0 e1000 (one IOMMU group)
#   00:09.0 pcie-root-port (AER) -> 02:00.0 e1000e (test aer)
# /init has loaded sluice.ko.  Usage: module-tests.sh [TEST...] (default all)
#
# Prints TAP-like lines; the host runner counts them.  Exit 0 when every
# test passed.
set -u
TESTS=${*:-conformance noaccess mapping lifetime isolation death group perms cfgpolicy release resetmap width msiiso fmode busmaster memchain pinlock faultsweep aer hostile}
rc=0
n=0

ok() { n=$((n + 1)); echo "ok $n - guest: $*"; }
notok() { n=$((n + 1)); echo "not ok $n - guest: $*"; rc=1; }

echo "# IOMMU groups:"
for g in /sys/kernel/iommu_groups/*; do
	echo "#   $(basename "$g"): $(ls "$g/devices" | tr '\n' ' ')"
done
[ -c /dev/sluice/iommu ] && ok "/dev/sluice/iommu exists" || notok "/dev/sluice/iommu missing"

# From 6.11 on, a domain is allocated for the IOMMU of a bound device:
# /dev/sluice/iommu needs one bound first (the tests bind the rest).  Before
# any is bound, the open fails with ENODEV and the kernel log says what to do;
# before 6.11 it succeeds.
kmaj=$(uname -r | cut -d. -f1) kmin=$(uname -r | cut -d. -f2)
if (exec 3<> /dev/sluice/iommu) 2> /tmp/open.err; then
	if [ "$kmaj" -lt 6 ] || { [ "$kmaj" -eq 6 ] && [ "$kmin" -lt 11 ]; }; then
		ok "$(uname -r): /dev/sluice/iommu opens with no device bound (before 6.11)"
	else
		notok "$(uname -r): /dev/sluice/iommu opened with no device bound"
	fi
elif [ "$kmaj" -lt 6 ] || { [ "$kmaj" -eq 6 ] && [ "$kmin" -lt 11 ]; }; then
	notok "$(uname -r): /dev/sluice/iommu does not open with no device bound: $(cat /tmp/open.err)"
else
	grep -q 'No such device' /tmp/open.err &&
		ok "$(uname -r): open /dev/sluice/iommu with no device bound: ENODEV" ||
		notok "$(uname -r): open /dev/sluice/iommu with no device bound: $(cat /tmp/open.err), not ENODEV"
	msg=$(dmesg | grep 'cannot allocate an IOMMU domain' | tail -1)
	echo "# kernel log: $msg"
	case $msg in
	*"no device is bound to sluice-pci"*"6.11"*"bind one first"*)
		ok "the kernel log says a device must be bound first" ;;
	*) notok "the kernel log does not say a device must be bound first" ;;
	esac
fi

for a in 0000:00:04.0 0000:00:05.0; do
	echo sluice-pci > /sys/bus/pci/devices/$a/driver_override
	echo $a > /sys/bus/pci/drivers_probe
done

# The group test needs a kernel driver on the e1000 behind the bridge.
modprobe e1000 && ok "modprobe e1000" || notok "modprobe e1000"

for t in $TESTS; do
	start=$(cut -d' ' -f1 /proc/uptime)
	sluice-vmtest "$t" || rc=1
	end=$(cut -d' ' -f1 /proc/uptime)
	echo "# $t took $(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.1f", b - a}') s"
done

# The whole run, not only the hostile test: no kernel complaint at all.
if dmesg | grep -E 'WARNING:|BUG:|kernel BUG|Oops|Call Trace|general protection|refcount_t' \
	> /tmp/complaints; then
	notok "kernel log has WARN/BUG/oops lines:"
	sed 's/^/#   /' /tmp/complaints | head -40
else
	ok "kernel log has no WARN, BUG, oops or Call Trace"
fi

# Every reference was dropped: the module unloads, and loads again.
for d in /sys/bus/pci/drivers/sluice-pci/0000:*; do
	[ -e "$d" ] || continue
	a=$(basename "$d")
	echo "$a" > /sys/bus/pci/drivers/sluice-pci/unbind
done
if rmmod sluice; then
	ok "rmmod sluice after the tests (no leaked reference)"
	[ ! -e /dev/sluice/iommu ] && ok "/dev/sluice/iommu gone after rmmod" ||
		notok "/dev/sluice/iommu still there after rmmod"
	insmod /opt/sluice.ko && ok "insmod sluice.ko again" || notok "insmod sluice.ko again"
	echo 0000:00:04.0 > /sys/bus/pci/drivers_probe
	[ -c /dev/sluice/0000:00:04.0 ] && ok "the reloaded module binds a device again" ||
		notok "the reloaded module does not bind 0000:00:04.0"
else
	notok "rmmod sluice after the tests"
fi
echo "# DMAR faults logged by the guest kernel: $(dmesg | grep -c 'DMAR: \[DMA')"
exit $rc
