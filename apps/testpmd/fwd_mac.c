/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mac:     source MAC := TX port's address, destination := --eth-peer of
 *          the TX port (default 02:00:00:00:00:<port>).
 * macswap: exchange source and destination MAC addresses.
 */
#include <string.h>

#include "testpmd.h"

static void
mac_fwd(struct fwd_stream *fs)
{
	struct sl_mbuf *pkts[TP_MAX_BURST];
	struct sl_ether_hdr addrs;
	uint16_t nb_rx, nb_tx, i;

	nb_rx = tp_rx_burst(fs, pkts);
	if (nb_rx == 0)
		return;
	fs->rx_packets += nb_rx;
	/* Both addresses are the same for every packet of the stream: build
	 * the 12 bytes once and store them with one copy per packet. */
	sl_ether_addr_copy(&cfg.peer[fs->tx_port], &addrs.dst_addr);
	sl_ether_addr_copy(&ports[fs->tx_port].mac, &addrs.src_addr);
	for (i = 0; i < nb_rx; i++) {
		struct sl_ether_hdr *eth = sl_mbuf_mtod(pkts[i], struct sl_ether_hdr *);

		memcpy(eth, &addrs, 2 * SL_ETHER_ADDR_LEN);
	}
	nb_tx = tp_tx_burst(fs, pkts, nb_rx);
	fs->tx_packets += nb_tx;
	tp_tx_drop(fs, pkts, nb_rx, nb_tx);
}

static void
macswap_fwd(struct fwd_stream *fs)
{
	struct sl_mbuf *pkts[TP_MAX_BURST];
	uint16_t nb_rx, nb_tx, i;

	nb_rx = tp_rx_burst(fs, pkts);
	if (nb_rx == 0)
		return;
	fs->rx_packets += nb_rx;
	for (i = 0; i < nb_rx; i++) {
		struct sl_ether_hdr *eth = sl_mbuf_mtod(pkts[i], struct sl_ether_hdr *);
		struct sl_ether_addr tmp;

		if (i + 1 < nb_rx)
			sl_prefetch_w(sl_mbuf_mtod(pkts[i + 1], void *));
		sl_ether_addr_copy(&eth->dst_addr, &tmp);
		sl_ether_addr_copy(&eth->src_addr, &eth->dst_addr);
		sl_ether_addr_copy(&tmp, &eth->src_addr);
	}
	nb_tx = tp_tx_burst(fs, pkts, nb_rx);
	fs->tx_packets += nb_tx;
	tp_tx_drop(fs, pkts, nb_rx, nb_tx);
}

const struct fwd_engine mac_engine = {
	.name = "mac",
	.help = "set source MAC to the TX port's, destination MAC to its peer",
	.packet_fwd = mac_fwd,
};

const struct fwd_engine macswap_engine = {
	.name = "macswap",
	.help = "swap source and destination MAC addresses",
	.packet_fwd = macswap_fwd,
};
