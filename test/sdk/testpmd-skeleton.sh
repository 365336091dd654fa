#!/bin/sh
# testpmd-skeleton.sh TESTPMD: sluice-testpmd forwards on a net_skeleton
# port (the template PMD, which has no promiscuous op) with no ERR line:
# testpmd ignores -ENOTSUP from sl_eth_promiscuous_enable() and says so once
# at INFO, and ethdev logs the missing op at DEBUG only.
set -eu
testpmd=$1
out=$(mktemp /tmp/sl-tp-skel-XXXXXX)
trap 'rm -f "$out"' EXIT

status=0
"$testpmd" -l 0,1 --no-huge -m 128 --file-prefix tp_skel --vdev net_skeleton0 -- \
	--forward-mode=io --tx-first --duration=1 > "$out" 2>&1 || status=$?
fail=0
[ "$status" -eq 0 ] || { echo "FAIL: testpmd exit status $status"; fail=1; }
if grep -q ' ERR ' "$out"; then
	echo "FAIL: testpmd logged an error:"; grep ' ERR ' "$out"; fail=1
fi
grep -q 'the driver has no promiscuous mode' "$out" ||
	{ echo "FAIL: no INFO line about the missing promiscuous mode"; fail=1; }
rx=$(sed -n 's/.*RX-packets: *\([0-9]*\).*/\1/p' "$out" | head -n 1)
[ "${rx:-0}" -gt 1000 ] || { echo "FAIL: forwarded ${rx:-no} packets"; fail=1; }
grep -q 'mbufs returned to' "$out" || { echo "FAIL: mbufs not all returned"; fail=1; }
if [ "$fail" -ne 0 ]; then
	echo "--- testpmd output ---"; cat "$out"
	exit 1
fi
echo "ok: net_skeleton forwarded $rx packets through testpmd, no ERR"
