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

/*
 * How many packets ahead macswap prefetches the frame it will write: far
 * enough for a line coming from memory (a NIC's DMA) to arrive, a few
 * stores later.  Over net_ring or net_null the frames are already in L1
 * and the prefetch costs a few instructions.
 */
#define MACSWAP_PREFETCH 4

/*
 * Exchange the destination (bytes 0-5) and source (6-11) addresses with one
 * 8-byte and one 4-byte load and store: bytes 0-7 are d0..d5 s0 s1, bytes
 * 8-11 s2..s5.  The shifts give the same result on either byte order (the
 * two 16-bit ends of the first word trade places, the middle comes from
 * the second word).  Written as three 6-byte copies through a temporary,
 * it was three loads and six stores a packet, two of them to the dead
 * temporary (-fno-strict-aliasing keeps it).
 */
static __sl_always_inline void
macswap_one(struct sl_mbuf *m)
{
	uint8_t *eth = sl_mbuf_mtod(m, uint8_t *);
	uint64_t lo; /* bytes 0-7: d0..d5 s0 s1 */
	uint32_t hi; /* bytes 8-11: s2..s5 */
	uint32_t d;

	memcpy(&lo, eth, sizeof(lo));
	memcpy(&hi, eth + sizeof(lo), sizeof(hi));
	d = (uint32_t)(lo >> 16);                     /* d2..d5 */
	lo = lo >> 48 | lo << 48 | (uint64_t)hi << 16; /* s0..s5 d0 d1 */
	memcpy(eth, &lo, sizeof(lo));
	memcpy(eth + sizeof(lo), &d, sizeof(d));
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
	for (i = 0; i < nb_rx && i < MACSWAP_PREFETCH; i++)
		sl_prefetch_w(sl_mbuf_mtod(pkts[i], void *));
	for (i = 0; i + MACSWAP_PREFETCH < nb_rx; i++) {
		sl_prefetch_w(sl_mbuf_mtod(pkts[i + MACSWAP_PREFETCH], void *));
		macswap_one(pkts[i]);
	}
	for (; i < nb_rx; i++)
		macswap_one(pkts[i]);
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
