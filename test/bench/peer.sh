# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash disable=SC2034  # the PEER_* variables are for the callers
#
# peer.sh: sourced by the comparison scripts of test/bench.  Picks the DPDK
# they compare against, and holds the statistics they all print.
#
# peer_select SPEC sets
#   PEER_NAME      a label for the output, e.g. "dpdk v26.07 (source, -O3 -march=native)"
#   PEER_TESTPMD   array: the command that runs dpdk-testpmd (prefix stdbuf -oL
#                  when its output goes to a file or pipe you read while it runs)
#   PEER_TEST      array: the command that runs dpdk-test
#   PEER_LOOPS     directory holding dpdk-ring-loop and dpdk-mempool-loop
#                  (our loops on DPDK's libraries), or "" when there are none
# SPEC is one of
#   src      (default) DPDK built from source by test/bench/build-dpdk with our
#            flags: $DPDK_BUILD, else /var/cache/sluice/dpdk-v26.07
#   DIR      a build directory made by test/bench/build-dpdk
#   22.11    Debian 12's packages dpdk and dpdk-dev (built for -march=corei7)
#   25.11    Debian forky's, in the chroot of test/debian-chroot forky dpdk dpdk-dev
# Exits 2 with the command that makes the missing peer.

peer_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
peer_top=$(cd "$peer_here/../.." 2>/dev/null && pwd)
PEER_DEFAULT_BUILD=/var/cache/sluice/dpdk-v26.07

peer_die() { echo "$(basename "$0"): $*" >&2; exit 2; }

peer_select() {
	local spec=${1:-src} build root src_top
	# the source tree, whether this file runs from it or from build/
	src_top=$peer_top
	[[ -x $src_top/test/debian-chroot ]] || src_top=$(cd "$peer_here/../../.." && pwd)
	case $spec in
	src | /* | ./* | ../*)
		if [[ $spec == src ]]; then build=${DPDK_BUILD:-$PEER_DEFAULT_BUILD}; else build=$spec; fi
		[[ -x $build/app/dpdk-testpmd && -x $build/app/dpdk-test ]] ||
			peer_die "no DPDK build in $build: make it with
  git clone --branch v26.07 --depth 1 https://github.com/DPDK/dpdk /var/tmp/dpdk-src
  test/bench/build-dpdk /var/tmp/dpdk-src${2:+ $build}
or choose another peer (-D 22.11, -D 25.11)"
		local ver
		ver=$(awk '{ print $2 }' "$build/.sluice-build-dpdk" 2>/dev/null || true)
		PEER_NAME="dpdk ${ver:-$(basename "$build")} (source, -O3 -march=native, $build)"
		PEER_TESTPMD=("$build/app/dpdk-testpmd")
		PEER_TEST=("$build/app/dpdk-test")
		PEER_LOOPS=$build/sluice-peer
		[[ -x $PEER_LOOPS/dpdk-ring-loop ]] || PEER_LOOPS=""
		;;
	22.11)
		command -v dpdk-testpmd >/dev/null && command -v dpdk-test >/dev/null ||
			peer_die "no dpdk-testpmd/dpdk-test in PATH: apt-get install dpdk dpdk-dev"
		PEER_NAME="dpdk $(dpkg-query -W -f='${Version}' dpdk 2>/dev/null) (Debian 12 package, -march=corei7)"
		PEER_TESTPMD=(dpdk-testpmd)
		PEER_TEST=(dpdk-test)
		# meson builds dpdk-ring-loop against this DPDK when libdpdk-dev is
		# there: $DPDK_LOOPS names that build's test/bench directory
		PEER_LOOPS=""
		for d in ${DPDK_LOOPS:+"$DPDK_LOOPS"} "$peer_here" "$src_top/build/test/bench"; do
			[[ -x $d/dpdk-ring-loop ]] && { PEER_LOOPS=$d; break; }
		done
		;;
	25.11)
		root=$("$src_top/test/debian-chroot" --root forky)
		[[ -x $root/usr/bin/dpdk-testpmd ]] ||
			peer_die "no dpdk-testpmd in $root: run 'test/debian-chroot forky dpdk dpdk-dev' first"
		PEER_NAME="dpdk $(chroot "$root" dpkg-query -W -f='${Version}' dpdk 2>/dev/null) (Debian forky package, chroot $root)"
		# stdbuf inside too: the LD_PRELOAD of one outside does not cross the chroot
		PEER_TESTPMD=("$src_top/test/debian-chroot" --run forky stdbuf -oL dpdk-testpmd)
		PEER_TEST=("$src_top/test/debian-chroot" --run forky dpdk-test)
		PEER_LOOPS=""
		;;
	*) peer_die "-D '$spec': want src, a build directory, 22.11 or 25.11" ;;
	esac
}

# Scripts comparing with several peers at once: peer_add SPEC (after
# peer_select's checks) appends a program name, "dpdk-SPEC", to PEER_PROGS,
# with its command line (words split on spaces) in PEER_CMDS[name] and its
# label in PEER_LABELS[name].
PEER_PROGS=()
declare -A PEER_CMDS PEER_LABELS
peer_add() {
	local n
	peer_select "$1"
	case $1 in /* | ./* | ../*) n=dpdk-$(basename "$1") ;; *) n=dpdk-$1 ;; esac
	PEER_PROGS+=("$n")
	PEER_CMDS[$n]="${PEER_TESTPMD[*]}"
	PEER_LABELS[$n]=$PEER_NAME
}

# The machine is shared: every script prints this when it starts.
peer_load() { echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs, $(date -u +%FT%TZ))"; }

# median / min / max of the numbers given
stat_median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
stat_min() { printf '%s\n' "$@" | sort -g | head -n 1; }
stat_max() { printf '%s\n' "$@" | sort -g | tail -n 1; }
# "min..max (±P% of the median)": how far apart the rounds were
stat_spread() {
	local md mn mx
	md=$(stat_median "$@"); mn=$(stat_min "$@"); mx=$(stat_max "$@")
	awk -v md="$md" -v mn="$mn" -v mx="$mx" 'BEGIN {
		p = (md != 0) ? 50 * (mx - mn) / md : 0
		printf "%s..%s (+-%.0f%%)", mn, mx, p }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.2f", a / b }'; }

# Hugepages for a comparison.  Both sides run on 2 MiB hugepages by default:
# with --no-huge, DPDK's mempool keeps every object inside one 4 KiB page, so
# each ~2.2 KiB mbuf starts a page at the same offset and a burst's mbufs
# share L1 sets; dpdk-testpmd then runs at about a third of its hugepage
# rate (doc/performance.md, "The testpmd anomaly").  Ours packs objects and
# barely changes, so a --no-huge comparison flatters us.
#
# peer_hugepages_reserve N: N more 2 MiB pages for the rest of the run, under
# /tmp/sluice-hugepages.lock (held until the script exits: other users of
# the pool wait).  Exits 2 when not root.  The caller's EXIT trap must call
# peer_hugepages_release, which gives them back.
peer_hugepages_reserve() {
	local n=$1 before
	PEER_HP=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
	[[ -w $PEER_HP ]] ||
		peer_die "hugepages need root: run as root, or pass -N (--no-huge on both: not a fair rate for DPDK, see -h)"
	exec 9>/tmp/sluice-hugepages.lock
	flock 9
	mountpoint -q /dev/hugepages || { mkdir -p /dev/hugepages; mount -t hugetlbfs nodev /dev/hugepages; }
	before=$(cat "$PEER_HP")
	echo $((before + n)) >"$PEER_HP"
	# What the kernel granted, which may be fewer than asked for: release
	# gives back exactly that, never pages someone else had reserved.
	PEER_HP_RESERVED=$(($(cat "$PEER_HP") - before))
	((PEER_HP_RESERVED >= 0)) || PEER_HP_RESERVED=0
	((PEER_HP_RESERVED >= n)) ||
		{ echo "$(basename "$0"): could not reserve $n hugepages of 2 MiB (have $(cat "$PEER_HP")): free some, or pass -N" >&2; exit 1; }
}
peer_hugepages_release() {
	((${PEER_HP_RESERVED:-0} > 0)) || return 0
	echo $(($(cat "$PEER_HP") - PEER_HP_RESERVED)) >"$PEER_HP"
	PEER_HP_RESERVED=0
}
