#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# run-vm.sh - boot a q35 guest with a VT-d IOMMU under QEMU (TCG), run one test
# script in it and return the script's verdict as the exit status.
#
# Usage: run-vm.sh [options] [-- extra QEMU arguments]
#  Guest contents (passed to build-guest.sh):
#   --script FILE       shell script the guest runs (required)
#   --args "A B"        its arguments
#   --add FILE[:DEST]   extra file for the guest (default DEST /opt/<name>);
#                       ELF files bring their shared libraries.  Repeatable.
#   --module NAME       kernel module to ship (repeatable; see build-guest.sh)
#   --no-insmod         /init leaves loading sluice.ko to the script
#   --kernel-src DIR    build sluice.ko from DIR instead of kernel/
#   --kernel META       boot the ABI of kernel meta-package META (default
#                       linux-image-amd64; e.g. linux-image-6.12-amd64)
#   --suite SUITE       META comes from Debian suite SUITE (trixie-backports,
#                       forky): fetched and built for in that suite's chroot
#   --werror            build sluice.ko with W=1 -Werror
#  Machine:
#   --nics LIST         comma-separated NICs, each MODEL[@SLOT][#HUB]; MODEL is
#                       e1000, e1000e or virtio (virtio-net-pci with
#                       iommu_platform=on,disable-legacy=on).  NICs on one hub
#                       see each other's frames; default hub of the i-th NIC
#                       is i/2, so NICs are wired back to back in pairs.
#                       Default: "e1000,e1000e,virtio".  "none" for no NIC.
#   --edu N             number of QEMU edu devices (default 1)
#   --mem MB            guest memory (default 2048)
#   --smp N             guest CPUs (default 2)
#   --hugepages N       2 MiB hugepages reserved on the kernel command line
#                       (default 64)
#   --append "..."      more kernel command line
#   --timeout SEC       QEMU is killed after this long (default 900)
#  Bookkeeping:
#   --name NAME         run name: logs go to WORK/logs/NAME (default "vm")
#   --work DIR          cache directory (default $SLUICE_VM_WORK or test/vm/work)
#
# The guest prints TAP-like lines ("ok N - ...", "not ok N - ..."), which are
# counted here, and /init ends with "SLUICE-VM-RESULT: rc=N".  A guest line
#   SLUICE-EXPECT-DMAR-FAULT: addr=0x<iova> len=0x<bytes>
# asks this script to check that QEMU traced a vtd_dmar_fault in that range
# (the guest cannot see QEMU's trace); any traced fault that no guest line
# announced fails the run as well.
#
# Exit status: the guest's rc when every check passed, 1 on a failure or a
# timeout, 77 when the guest cannot be built here (no QEMU, no kernel packages).
# Logs: console.log (serial console), qemu-trace.log (QEMU trace and guest
# errors), qemu.cmd, summary.txt.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=${SLUICE_VM_WORK:-$here/work}
name=vm
nics="e1000,e1000e,virtio"
edu=1
mem=2048
smp=2
hugepages=64
append=
timeout_s=900
build_args=()
script=
qemu_extra=()

log() { echo "run-vm: $*" >&2; }
die() { log "$*"; exit 1; }

while [ $# -gt 0 ]; do
	case $1 in
	--script) script=$2; build_args+=(--script "$2"); shift 2 ;;
	--args|--add|--module|--kernel-src|--kernel|--suite) build_args+=("$1" "$2"); shift 2 ;;
	--no-insmod|--werror) build_args+=("$1"); shift ;;
	--nics) nics=$2; shift 2 ;;
	--edu) edu=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--hugepages) hugepages=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--timeout) timeout_s=$2; shift 2 ;;
	--name) name=$2; shift 2 ;;
	--work) work=$2; shift 2 ;;
	--) shift; qemu_extra=("$@"); break ;;
	-h|--help) sed -n '3,52p' "$0"; exit 0 ;;
	*) die "unknown option '$1' (see --help)" ;;
	esac
done
[ -n "$script" ] || die "--script is required"

# SLUICE_VM_QEMU: another QEMU binary (e.g. QEMU 10 for a device option
# 7.2 lacks); the caller adds its -L and QEMU_MODULE_DIR.
qemu=${SLUICE_VM_QEMU:-$(command -v qemu-system-x86_64 || true)}
if [ -z "$qemu" ] || [ ! -x "$qemu" ]; then
	log "SKIP: qemu-system-x86_64 not found (apt-get install qemu-system-x86)"
	exit 77
fi

mkdir -p "$work"
work=$(cd "$work" && pwd)
logdir=$work/logs/$name
rm -rf "$logdir"
mkdir -p "$logdir"

# ---- guest ----------------------------------------------------------------------
t0=$(date +%s.%N)
set +e
"$here/build-guest.sh" --work "$work" --out "$work/initrd-$name.gz" "${build_args[@]}" \
	> "$logdir/build.out" 2> "$logdir/build.log"
rc=$?
set -e
if [ $rc -ne 0 ]; then
	cat "$logdir/build.log" >&2
	[ $rc -eq 77 ] && exit 77
	die "building the guest failed (see $logdir/build.log)"
fi
kernel=$(sed -n 's/^KERNEL=//p' "$logdir/build.out")
initrd=$(sed -n 's/^INITRD=//p' "$logdir/build.out")
t1=$(date +%s.%N)

# ---- machine ----------------------------------------------------------------------
# q35 with an interrupt-remapping VT-d: kernel-irqchip=split is what intremap
# needs; caching-mode=on makes the guest IOMMU driver flush on every map, so
# QEMU sees each change.  aw-bits=48: the default 39 bits cannot translate
# user-space virtual addresses, which Sluice uses as IOVAs.  TCG because the
# host's KVM cannot run a stock guest (shared/notes/machine-facts.md).
args=(-M q35,kernel-irqchip=split -accel tcg -cpu max -m "$mem" -smp "$smp"
	-display none -monitor none -serial stdio -no-reboot -nodefaults
	-device intel-iommu,intremap=on,caching-mode=on,aw-bits=48
	-kernel "$kernel" -initrd "$initrd"
	-append "console=ttyS0 intel_iommu=on iommu=strict panic=-1 oops=panic hugepagesz=2M hugepages=$hugepages loglevel=6 $append"
	-trace vtd_dmar_fault -d guest_errors -D "$logdir/qemu-trace.log")

i=0
if [ "$nics" != none ]; then
	IFS=, read -r -a niclist <<< "$nics"
	for n in "${niclist[@]}"; do
		model=${n%%[@#]*}
		slot= hub=$((i / 2))
		case $n in *@*) slot=${n#*@}; slot=${slot%%#*} ;; esac
		case $n in *#*) hub=${n#*#} ;; esac
		case $model in
		e1000|e1000e) dev=$model ;;
		virtio) dev=virtio-net-pci,iommu_platform=on,disable-legacy=on ;;
		*) die "--nics: unknown model '$model' (e1000, e1000e, virtio)" ;;
		esac
		mac=$(printf '52:54:00:5c:00:%02x' "$i")
		args+=(-netdev "hubport,id=nic$i,hubid=$hub"
			-device "$dev,netdev=nic$i,mac=$mac${slot:+,addr=$slot}")
		i=$((i + 1))
	done
fi
for ((e = 0; e < edu; e++)); do
	args+=(-device edu)
done
args+=(${qemu_extra[@]+"${qemu_extra[@]}"})

printf '%q ' "$qemu" "${args[@]}" > "$logdir/qemu.cmd"
echo >> "$logdir/qemu.cmd"
log "$name: booting (log $logdir/console.log, timeout ${timeout_s}s)"

# The console is streamed (meson shows it on failure) and kept.  timeout -k:
# a QEMU stuck in TCG may ignore SIGTERM.
#
# A guest kernel that oopses or panics while it boots, before /init prints
# "guest up" (and so before sluice.ko or any test is loaded), is booted once
# more: under multi-threaded TCG a 7.x kernel has died in its own code
# patching (an int3 left in sched_clock_cpu, KNOWN-ISSUES.md), a fault of
# the emulator, not a verdict on anything we test.  Any crash after "guest
# up" fails the run as before.
console=$logdir/console.log
notes=()
for boot in 1 2; do
	set +e
	timeout -k 10 "$timeout_s" "$qemu" "${args[@]}" < /dev/null 2>&1 | tee "$console" |
		sed -u 's/\r$//'
	qrc=${PIPESTATUS[0]}
	set -e
	tr -d '\r' < "$console" > "$console.tmp" && mv "$console.tmp" "$console"
	[ "$boot" = 1 ] || break
	grep -q '^SLUICE-VM: guest up' "$console" && break
	grep -qE 'Oops:|Kernel panic|BUG:' "$console" || break
	mv "$console" "$logdir/console-boot1.log"
	mv "$logdir/qemu-trace.log" "$logdir/qemu-trace-boot1.log" 2>/dev/null || true
	log "$name: the guest kernel crashed while booting, before /init ran" \
		"($(grep -m1 -oE '(Oops|Kernel panic|BUG):.*' "$logdir/console-boot1.log"));" \
		"booting once more (first console: $logdir/console-boot1.log)"
	notes+=("booted twice: the first boot's kernel crashed before /init")
done
t2=$(date +%s.%N)

# ---- verdict -------------------------------------------------------------------------
fail=0

guest_rc=$(sed -n 's/^SLUICE-VM-RESULT: rc=\([0-9]*\).*/\1/p' "$console" | tail -1)
if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
	notes+=("QEMU killed after ${timeout_s}s (guest hung?)")
	fail=1
elif [ -z "$guest_rc" ]; then
	notes+=("no SLUICE-VM-RESULT line: the guest crashed or never ran the script (QEMU exit $qrc)")
	fail=1
fi
if grep -q '^qemu: hardware error' "$console"; then
	notes+=("QEMU aborted: $(grep -m1 '^qemu: hardware error' "$console")")
	fail=1
fi
if grep -q 'Kernel panic' "$console"; then
	notes+=("guest kernel panic")
	fail=1
fi

# TAP lines, and the PASS:/FAIL: lines of older guest scripts.
passed=$(grep -cE '^(ok |PASS: )' "$console" || true)
failed=$(grep -cE '^(not ok |FAIL: )' "$console" || true)
# A "# SKIP" line is a skip, not a pass (TAP writes it as "ok").
skipped=$(grep -c '^ok .*# SKIP' "$console" || true)
passed=$((passed - skipped))

# DMA faults: every range the guest provoked faults in on purpose must show
# at least one in QEMU's trace, and no fault may lie outside those ranges.
trace=$logdir/qemu-trace.log
touch "$trace"
faultcheck=$(python3 - "$console" "$trace" <<'PY'
import re, sys
ranges = []
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"SLUICE-EXPECT-DMAR-FAULT: addr=(0x[0-9a-fA-F]+)(?: len=(0x[0-9a-fA-F]+))?", line)
    if m:
        ranges.append((int(m.group(1), 16), int(m.group(2) or "0x1000", 16)))
faults = [int(m.group(1), 16) for m in
          (re.search(r"vtd_dmar_fault .*addr (0x[0-9a-f]+)", l)
           for l in open(sys.argv[2], errors="replace")) if m]
for start, length in sorted(set(ranges)):
    hits = sum(1 for a in faults if start <= a < start + length)
    print("%s - host: QEMU traced %d vtd_dmar_fault in [0x%x, 0x%x)" %
          ("ok" if hits else "not ok", hits, start, start + length))
stray = [a for a in faults if not any(s <= a < s + n for s, n in ranges)]
if stray:
    print("not ok - host: %d DMA fault(s) outside the ranges tests provoked, first at %s" %
          (len(stray), ", ".join(hex(a) for a in stray[:8])))
print("# host: %d vtd_dmar_fault traced, %d expected ranges" % (len(faults), len(set(ranges))))
PY
)
echo "$faultcheck"
passed=$((passed + $(echo "$faultcheck" | grep -c '^ok ' || true)))
failed=$((failed + $(echo "$faultcheck" | grep -c '^not ok ' || true)))
nfaults=$(grep -c 'vtd_dmar_fault' "$trace" || true)
expected=$(grep -c '^SLUICE-EXPECT-DMAR-FAULT' "$console" || true)

secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", b - a}'; }
boot_s=$(awk '/^SLUICE-VM: guest up/ {print "seen"; exit}' "$console")
up=$(sed -n 's/^SLUICE-VM-UPTIME: boot \([0-9.]*\).*/\1/p' "$console" | head -1)
{
	echo "name=$name"
	echo "build_s=$(secs "$t0" "$t1")"
	echo "qemu_s=$(secs "$t1" "$t2")"
	echo "boots=$boot"
	echo "guest_boot_s=${up:-?}"
	echo "guest_rc=${guest_rc:-none}"
	echo "passed=$passed failed=$failed skipped=$skipped"
	echo "dmar_faults_traced=$nfaults expected_ranges=$expected"
} > "$logdir/summary.txt"
[ -n "$boot_s" ] || notes+=("the guest never printed its 'guest up' line")

for n in ${notes[@]+"${notes[@]}"}; do
	log "$name: $n"
done
log "$name: $passed passed, $failed failed ($skipped skipped); guest rc ${guest_rc:-none};" \
	"build $(secs "$t0" "$t1")s, QEMU $(secs "$t1" "$t2")s, guest boot ${up:-?}s; logs in $logdir"

[ $fail = 0 ] || exit 1
[ "$failed" -eq 0 ] || exit 1
[ "$passed" -gt 0 ] || { log "$name: no test result at all"; exit 1; }
[ "$guest_rc" = 0 ] || exit "$guest_rc"
# Anything skipped makes the whole run a skip (77), listed here, so that CI
# sees it: test/run-all.sh fails an unexpected skip under CI=true.
if [ "$skipped" -gt 0 ]; then
	grep '^ok .*# SKIP' "$console" | sed "s/^/$name: skipped: /"
	exit 77
fi
exit 0
