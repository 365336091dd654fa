/* SPDX-License-Identifier: BSD-3-Clause */
/* rxonly: receive and free; measures the RX side alone. */
#include "testpmd.h"

static void
rxonly_fwd(struct fwd_stream *fs)
{
	struct sl_mbuf *pkts[TP_MAX_BURST];
	uint16_t nb_rx;

	nb_rx = tp_rx_burst(fs, pkts);
	if (nb_rx == 0)
		return;
	fs->rx_packets += nb_rx;
	fs->fwd_discarded += nb_rx;
	sl_mbuf_free_bulk(pkts, nb_rx);
}

const struct fwd_engine rxonly_engine = {
	.name = "rxonly",
	.help = "receive packets and free them",
	.packet_fwd = rxonly_fwd,
};
