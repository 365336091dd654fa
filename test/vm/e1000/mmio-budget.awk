# SPDX-License-Identifier: BSD-3-Clause
#
# mmio-budget.awk BUDGET SUMMARY: fail when sluice's e1000 PMD makes more
# register accesses or DMA translations per packet than BUDGET allows.
#
# BUDGET lines: PHASE MIN_PKTS MAX_MMIO MAX_DMA [MAX_MISS] (per packet; '#'
# comments; MAX_MISS: IOTLB misses, i.e. IOMMU page walks).
# SUMMARY: the COUNT lines of mmio-count.awk.  Every budgeted phase must have
# been measured for who=sluice with at least MIN_PKTS packets, so that a run
# that moved too little cannot pass.  Prints one ok/not ok line per phase.
FNR == NR {
	if ($0 ~ /^[ \t]*(#|$)/)
		next
	phase[$1] = 1
	minp[$1] = $2; maxm[$1] = $3; maxd[$1] = $4; maxs[$1] = NF >= 5 ? $5 : ""
	order[++n] = $1
	next
}
/^COUNT / {
	w = ""; p = ""
	for (i = 2; i <= NF; i++) {
		split($i, kv, "=")
		v[kv[1]] = kv[2]
	}
	if (v["who"] != "sluice" || !(v["phase"] in phase))
		next
	p = v["phase"]
	seen[p] = 1
	pk[p] = v["pkts"]; mm[p] = v["mmio"]; dd[p] = v["dma"]; ms[p] = v["miss"]
}
END {
	bad = 0
	for (i = 1; i <= n; i++) {
		p = order[i]
		if (!(p in seen)) {
			printf "not ok - %s: not measured\n", p
			bad++
		} else if (pk[p] + 0 < minp[p] + 0) {
			printf "not ok - %s: %d packets, fewer than the %d needed to count\n", p, pk[p], minp[p]
			bad++
		} else if (maxs[p] != "" && ms[p] + 0 > maxs[p] + 0) {
			printf "not ok - %s: %s IOTLB misses (IOMMU page walks) per packet, budget %s\n",
				p, ms[p], maxs[p]
			bad++
		} else if (mm[p] + 0 > maxm[p] + 0 || dd[p] + 0 > maxd[p] + 0) {
			printf "not ok - %s: %s register accesses and %s DMA translations per packet, budget %s and %s\n",
				p, mm[p], dd[p], maxm[p], maxd[p]
			bad++
		} else {
			printf "ok - %s: %s register accesses, %s DMA translations, %s IOTLB misses per packet (budget %s, %s, %s; %d packets)\n",
				p, mm[p], dd[p], ms[p], maxm[p], maxd[p], maxs[p] == "" ? "-" : maxs[p], pk[p]
		}
	}
	if (bad)
		printf "FAIL: %d of %d e1000 per-packet budgets exceeded or unmeasured\n", bad, n
	else
		printf "PASS: %d e1000 per-packet budgets held\n", n
	exit bad != 0
}
