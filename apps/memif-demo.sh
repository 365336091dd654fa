#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Traffic demo that needs no NIC, no hugepages and no root: a generator and
# a forwarder in two processes, joined by shared-memory ports (net_memif).
#
#        sluice-pktgen                      sluice-testpmd (io)
#   port 0  net_memif0 server  --A-->  port 0  net_memif0 client
#   port 1  net_memif1 server  <--B--  port 1  net_memif1 client
#
# pktgen sends on its port 0; testpmd receives on its port 0 and sends on
# its port 1; pktgen receives on its port 1 and counts loss, reordering and
# latency (the timestamp travels in the payload).  pktgen prints live
# throughput (Mpps and Mbit/s) and latency every second, then its final
# report; testpmd's final per-port accounting follows.  Each process has its own
# --file-prefix and its own memory; the sockets live in a temporary
# directory removed at exit.
#
# Usage: apps/memif-demo.sh [BUILD_DIR] [SECONDS] [RATE]
#   BUILD_DIR  where sluice was built (default: build); programs in PATH are
#              used if BUILD_DIR has none
#   SECONDS    how long pktgen sends (default 10)
#   RATE       packets per second, 0 = as fast as the chain goes (default
#              1000000)
# Environment: DEMO_SIZE frame length (default 64); PKTGEN_OPTS extra
# sluice-pktgen options (e.g. --json; its stdout is this script's stdout);
# DEMO_MEMIF_ARGS appended to testpmd's memif client arguments (e.g.
# ",rsize=12": bigger rings ride out CPU contention better, see
# doc/performance.md);
# DEMO_LCORES_PKTGEN / DEMO_LCORES_TESTPMD EAL lcore lists (default: pktgen
# polls on CPU 1, testpmd on CPU 0).
set -eu

build=${1:-build}
secs=${2:-10}
rate=${3:-1000000}
size=${DEMO_SIZE:-64}
for v in "SECONDS=$secs" "RATE=$rate" "DEMO_SIZE=$size"; do
	case "${v#*=}" in
	''|*[!0-9]*) echo "memif-demo: ${v%%=*} '${v#*=}' is not a whole number (e.g. 10)" >&2
		exit 2;;
	esac
done

find_app() { # NAME SUBDIR
	if [ -x "$build/apps/$2/$1" ]; then
		echo "$build/apps/$2/$1"
	else
		command -v "$1" || true
	fi
}
pktgen=$(find_app sluice-pktgen pktgen)
testpmd=$(find_app sluice-testpmd testpmd)
if [ -z "$pktgen" ] || [ -z "$testpmd" ]; then
	echo "memif-demo: sluice-pktgen and sluice-testpmd not found: build first" \
		"(meson setup $build && ninja -C $build)" >&2
	exit 2
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/sluice-demo.XXXXXX")
tp_pid=
cleanup() {
	if [ -n "$tp_pid" ] && kill -0 "$tp_pid" 2>/dev/null; then
		kill -TERM "$tp_pid" 2>/dev/null || true
		wait "$tp_pid" 2>/dev/null || true
	fi
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# testpmd first: its memif clients retry until pktgen's servers listen, so
# the links come up as soon as pktgen starts its ports.  --duration only
# bounds it (and keeps it from waiting for Enter): it is stopped below.
echo "memif-demo: sluice-testpmd (io forwarding, memif clients), log in the final report" >&2
# shellcheck disable=SC2086
"$testpmd" -l "${DEMO_LCORES_TESTPMD:-0-1}" --main-lcore 1 --no-huge -m 256 \
	--file-prefix "sluice-demo-tp-$$" \
	--vdev "net_memif0,role=client,socket=$dir/a.sock${DEMO_MEMIF_ARGS:-}" \
	--vdev "net_memif1,role=client,socket=$dir/b.sock${DEMO_MEMIF_ARGS:-}" -- \
	--forward-mode=io --duration=$((secs + 60)) >"$dir/testpmd.log" 2>&1 </dev/null &
tp_pid=$!

echo "memif-demo: sluice-pktgen, ${secs} s at ${rate} pps (0 = as fast as possible)," \
	"${size}-byte frames: port 0 -> testpmd -> port 1" >&2
# pktgen's stdout is a pipe (to add_mbits), where it would keep its live
# view quiet: --live shows it anyway (PKTGEN_OPTS=--no-live turns it off).
# A pktgen whose live line gives only packet rates gets the bit rates added
# (frame bytes without FCS x 8 x pps); lines that have them pass unchanged.
add_mbits() {
	awk -v size="$size" '
	/Mpps\)/ && !/Mbit/ {
		out = ""; s = $0
		while (match(s, /[0-9.]+ Mpps\)/)) {
			split(substr(s, RSTART, RLENGTH), a, " ")
			out = out substr(s, 1, RSTART - 1) \
				sprintf("%s Mpps, %8.1f Mbit/s)", a[1], a[1] * size * 8)
			s = substr(s, RSTART + RLENGTH)
		}
		print out s; fflush(); next
	}
	{ print; fflush() }'
}
# shellcheck disable=SC2086
{
	rc=0
	"$pktgen" -l "${DEMO_LCORES_PKTGEN:-0-1}" --no-huge -m 256 \
		--file-prefix "sluice-demo-pg-$$" \
		--vdev "net_memif0,role=server,socket=$dir/a.sock" \
		--vdev "net_memif1,role=server,socket=$dir/b.sock" -- \
		--tx-port=0 --rx-port=1 --rate="$rate" --size="$size" --duration="$secs" \
		--live ${PKTGEN_OPTS:-} || rc=$?
	echo "$rc" >"$dir/pktgen.rc"
} | add_mbits
rc=$(cat "$dir/pktgen.rc")

# pktgen closed its ports: testpmd's links are down; stop it for its report.
kill -TERM "$tp_pid" 2>/dev/null || true
tp_rc=0
wait "$tp_pid" || tp_rc=$?
tp_pid=
echo "---------------- sluice-testpmd (forwarder) ----------------" >&2
cat "$dir/testpmd.log" >&2
if [ "$tp_rc" -ne 0 ]; then
	echo "memif-demo: sluice-testpmd exited with status $tp_rc" >&2
	[ "$rc" -ne 0 ] || rc=$tp_rc
fi
exit "$rc"
