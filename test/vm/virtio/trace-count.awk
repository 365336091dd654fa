# SPDX-License-Identifier: BSD-3-Clause
#
# trace-count.awk: what QEMU's virtio-net model did per packet for each side
# of the virtio benchmark (run-virtio-vm.sh bench with VIRTIO_BENCH_TRACE=1
# or 2), from the guest's console and QEMU's trace log:
#   awk -f trace-count.awk console.log qemu-trace.log
#
# A side's run is a window of the trace: from the first DRIVER_OK
# (virtio_set_status val 15) while no device is live to the reset
# (val 0) of the last live one.  The guest binds every device away from
# the kernel first, so only the case's devices go live, once per side;
# windows that moved no traffic (a driver's probe before its reconfigure,
# say) are dropped.  The k-th window left is the k-th run on the console
# ("round R RING KIND size S: SIDE PPS"), whose packet count is the total
# its testpmd printed just before (TX-packets for txonly, RX-packets of
# both ports for io).
#
# Per packet, for each run:
#   txn  doorbells on TX queues (odd vq index), rxn on RX queues (even)
#   dma  IOMMU translations (vtd_iotlb_page_hit + _update; trace level 2):
#        one per guest page each DMA or ring access touches
#   miss translations that walked the guest's VT-d page table (IOTLB miss)
# Output, one line per run, then the medians per case and side:
#   TRACE-COUNT ring kind size side round: pkts=N txn=.. rxn=.. dma=.. miss=..

function field(name,    i) {
	for (i = 1; i < NF; i++)
		if ($i == name)
			return $(i + 1)
	return ""
}

# ---- the console: the runs in order, with their packet counts -------------
FNR == NR {
	sub(/\r$/, "")
	if ($0 ~ / totals: (RX|TX)-packets:/) {
		# "  SIDE KIND SIZE totals: TX-packets: N TX-dropped: ..."
		for (i = 1; i < NF; i++) {
			if ($i == "TX-packets:") {
				tx_tot += $(i + 1)
				tx_last = $(i + 1)
			}
			if ($i == "RX-packets:") {
				rx_tot += $(i + 1)
				rx_last = $(i + 1)
			}
		}
		next
	}
	if ($1 == "round" && $5 == "size" && $7 != "") {
		# "round R RING KIND size S: SIDE PPS"
		nrun++
		run_desc[nrun] = $3 " " $4 " " substr($6, 1, length($6) - 1) " " $7 " " $2
		# the runner shows the last two lines per port: sluice-testpmd's
		# are the ports' own, dpdk-testpmd's end with its accumulated
		# totals (the last port's lines before them)
		if ($7 == "dpdk")
			run_pkts[nrun] = $4 == "txonly" ? tx_last : rx_last
		else
			run_pkts[nrun] = $4 == "txonly" ? tx_tot : rx_tot
		tx_tot = rx_tot = 0
	}
	next
}

# ---- the trace: windows of device activity --------------------------------
/virtio_set_status/ {
	v = field("vdev")
	s = field("val") + 0
	if (s == 15 && !(v in live)) {
		live[v] = 1
		nlive++
		if (nlive == 1)
			txn = rxn = dma = miss = 0
	} else if (s == 0 && (v in live)) {
		delete live[v]
		if (--nlive == 0)
			close_window()
	}
	next
}
/virtio_queue_notify/ {
	if (nlive > 0) {
		if (field("n") % 2)
			txn++
		else
			rxn++
	}
	next
}
/vtd_iotlb_page_hit/ {
	if (nlive > 0)
		dma++
	next
}
/vtd_iotlb_page_update/ {
	if (nlive > 0) {
		dma++
		miss++
	}
	next
}

function close_window() {
	# a window that moved nothing is a probe or a reconfigure, not a run
	if (txn + dma < 100)
		return
	nwin++
	win_txn[nwin] = txn; win_rxn[nwin] = rxn
	win_dma[nwin] = dma; win_miss[nwin] = miss
}

function median(list,    n, a, i, j, t) {
	n = split(list, a, " ")
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	return n ? a[int((n + 1) / 2)] : 0
}

END {
	if (nwin != nrun)
		printf "TRACE-COUNT: %d traced windows against %d runs on the console: not paired\n", nwin, nrun
	for (k = 1; k <= nrun && k <= nwin; k++) {
		p = run_pkts[k]
		if (p <= 0)
			continue
		split(run_desc[k], d, " ")
		key = d[1] " " d[2] " " d[3] " " d[4]
		f_txn = win_txn[k] / p; f_rxn = win_rxn[k] / p
		f_dma = win_dma[k] / p; f_miss = win_miss[k] / p
		printf "TRACE-COUNT %s round %s: pkts=%d txn=%.5f rxn=%.5f dma=%.3f miss=%.5f\n",
			key, d[5], p, f_txn, f_rxn, f_dma, f_miss
		if (!(key in seen)) {
			seen[key] = 1
			order[++nkeys] = key
		}
		m_txn[key] = m_txn[key] " " f_txn; m_rxn[key] = m_rxn[key] " " f_rxn
		m_dma[key] = m_dma[key] " " f_dma; m_miss[key] = m_miss[key] " " f_miss
	}
	for (i = 1; i <= nkeys; i++) {
		key = order[i]
		printf "TRACE-COUNT %s median: txn=%.5f rxn=%.5f dma=%.3f miss=%.5f\n", key,
			median(m_txn[key]), median(m_rxn[key]), median(m_dma[key]),
			median(m_miss[key])
	}
}
