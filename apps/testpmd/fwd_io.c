/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * io: forward packets unchanged.  The reference engine for throughput: one
 * RX burst, one TX burst, free what TX refused.
 */
#include "testpmd.h"

static void
io_fwd(struct fwd_stream *fs)
{
	struct sl_mbuf *pkts[TP_MAX_BURST];
	uint16_t nb_rx, nb_tx;

	nb_rx = tp_rx_burst(fs, pkts);
	if (nb_rx == 0)
		return;
	fs->rx_packets += nb_rx;
	nb_tx = tp_tx_burst(fs, pkts, nb_rx);
	fs->tx_packets += nb_tx;
	tp_tx_drop(fs, pkts, nb_rx, nb_tx);
}

const struct fwd_engine io_engine = {
	.name = "io",
	.help = "forward packets unchanged",
	.packet_fwd = io_fwd,
};
