#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Forwarding demo that needs no NIC, no hugepages and no root: two net_ring
# ports cross-connected inside one process (what port 0 sends, port 1
# receives, and back), primed with one burst per stream (--tx-first) and
# forwarded in io mode by one forwarding lcore.  Live throughput is printed
# every second; the run stops after SECONDS (or on Ctrl-C) with the final
# statistics.
#
# Usage: apps/testpmd/demo.sh [BUILD_DIR] [SECONDS] [MODE]
#   BUILD_DIR  where sluice was built (default: build); sluice-testpmd in
#              PATH is used if BUILD_DIR has none
#   SECONDS    run time (default 10)
#   MODE       forwarding mode (default io; try macswap, csum, flowgen)
set -eu

build=${1:-build}
secs=${2:-10}
mode=${3:-io}

app=$build/apps/testpmd/sluice-testpmd
if [ ! -x "$app" ]; then
	app=$(command -v sluice-testpmd || true)
fi
if [ -z "$app" ] || [ ! -x "$app" ]; then
	echo "sluice-testpmd not found: build first (meson setup $build && ninja -C $build)" >&2
	exit 2
fi

set -x
exec "$app" -l 0-1 --no-huge -m 256 --file-prefix "sluice-demo-$$" \
	--vdev net_ring0 --vdev net_ring1,peer=net_ring0 -- \
	--forward-mode="$mode" --tx-first --stats-period=1 --duration="$secs"
