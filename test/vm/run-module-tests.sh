#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# run-module-tests.sh - boot one guest and run the in-guest tests of the
# sluice kernel module (test/vm/guest) in it.
#
# Usage: run-module-tests.sh [--vmtest PATH] [--work DIR] [--timeout SEC]
#                            [--kernel META] [--suite SUITE] [--werror]
#                            [--name NAME] [TEST...]
#   --vmtest PATH   the sluice-vmtest binary (meson builds it statically);
#                   default: compiled here with gcc into the work directory
#   --kernel META   kernel meta-package to boot (default linux-image-amd64,
#                   Debian 12's 6.1; linux-image-6.12-amd64 for 6.12)
#   --suite SUITE   META is a package of Debian suite SUITE: the kernel is
#                   fetched and sluice.ko built in that suite's chroot
#                   (test/debian-chroot), e.g. --suite trixie-backports
#                   boots 7.3, --suite forky 7.2 (META: linux-image-amd64)
#   --werror        build sluice.ko with W=1 -Werror (CI)
#   --name NAME     log directory name under WORK/logs (default module)
#   --append ARGS   more guest kernel command line (e.g. intremap=off)
#   TEST            conformance noaccess mapping lifetime isolation death
#                   group perms cfgpolicy release resetmap width msiiso
#                   fmode memchain pinlock faultsweep aer hostile (default:
#                   all, in one boot)
# Exit status: 0 all passed, 1 a failure, 77 skipped (no QEMU or kernel).
#
# Guest topology (the tests depend on these addresses):
#   00:01.0 e1000, 00:02.0 e1000e, 00:03.0 virtio-net-pci (iommu_platform)
#   00:04.0 edu, 00:05.0 edu: each in its own IOMMU group
#   00:06.0 nvme (no drive): its own group; the one device whose function
#   reset (FLR) QEMU implements, so a reset is visible in its registers
#   00:08.0 pcie-pci-bridge with 01:01.0 edu and 01:02.0 e1000 behind it:
#   the three share one IOMMU group
#   00:09.0 pcie-root-port with 02:00.0 e1000e behind it: a root port with
#   AER above a device with AER, for aer_inject (test aer)
# The edu devices get a 48-bit DMA mask, so that any guest-physical address
# can serve as an IOVA the domain does not map.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../.." && pwd)
work=${SLUICE_VM_WORK:-$here/work}
vmtest=
timeout_s=1500
kernel=${SLUICE_VM_KERNEL:-linux-image-amd64}
name=module
append=
suite=
werror=

while [ $# -gt 0 ]; do
	case $1 in
	--vmtest) vmtest=$2; shift 2 ;;
	--work) work=$2; shift 2 ;;
	--timeout) timeout_s=$2; shift 2 ;;
	--kernel) kernel=$2; shift 2 ;;
	--name) name=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--suite) suite=$2; shift 2 ;;
	--werror) werror=--werror; shift ;;
	-h|--help) sed -n '3,33p' "$0"; exit 0 ;;
	--) shift; break ;;
	-*) echo "run-module-tests: unknown option '$1'" >&2; exit 2 ;;
	*) break ;;
	esac
done
mkdir -p "$work"

if [ -z "$vmtest" ]; then
	vmtest=$work/sluice-vmtest
	# Static and baseline x86-64: the guest has no libc of its own and the
	# TCG CPU lacks the host's newest instructions.
	gcc -O2 -g -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -march=x86-64-v2 \
		-I"$src/kernel/uapi" -I"$here/guest" -static -pthread \
		-o "$vmtest" "$here"/guest/*.c
fi

mask=dma_mask=0xffffffffffff
exec "$here/run-vm.sh" --name "$name" --work "$work" --timeout "$timeout_s" \
	--kernel "$kernel" ${append:+--append "$append"} \
	${suite:+--suite "$suite"} $werror \
	--script "$here/guest/module-tests.sh" --args "$*" \
	--add "$vmtest:/opt/sluice-vmtest" \
	--nics "e1000@01.0,e1000e@02.0,virtio@03.0" --edu 0 -- \
	-device "edu,addr=04.0,$mask" -device "edu,addr=05.0,$mask" \
	-device nvme,serial=sluice-nvme,addr=06.0 \
	-device pcie-pci-bridge,id=br0,addr=08.0 \
	-device "edu,bus=br0,addr=01.0,$mask" \
	-netdev hubport,id=brnic,hubid=1 \
	-device e1000,bus=br0,addr=02.0,netdev=brnic,mac=52:54:00:5c:01:02 \
	-device pcie-root-port,id=rp1,bus=pcie.0,addr=09.0,chassis=9 \
	-netdev hubport,id=aernic,hubid=2 \
	-device e1000e,bus=rp1,addr=00.0,netdev=aernic,mac=52:54:00:5c:02:00
