/* SPDX-License-Identifier: BSD-3-Clause */
/* net_echo fast path: no logging, no syscalls, no per-packet checks. */
#include <sl_mbuf.h>
#include <sl_ring.h>

#include "echo.h"

uint16_t
echo_rx(void *q, struct sl_mbuf **pkts, uint16_t n)
{
	struct echo_rxq *rxq = (struct echo_rxq *)q;
	uint16_t nb = (uint16_t)sl_ring_dequeue_burst(rxq->ring, (void **)pkts, n, NULL);
	uint64_t bytes = 0;

	for (uint16_t i = 0; i < nb; i++) {
		pkts[i]->port = rxq->port_id;
		bytes += pkts[i]->pkt_len;
	}
	sl_eth_queue_count(&rxq->stats.cnt.pkts, nb);
	sl_eth_queue_count(&rxq->stats.cnt.bytes, bytes);
	return nb;
}

/* Takes packets from the front of pkts; the caller keeps the rest. */
uint16_t
echo_tx(void *q, struct sl_mbuf **pkts, uint16_t n)
{
	struct echo_txq *txq = (struct echo_txq *)q;
	uint16_t nb = (uint16_t)sl_ring_enqueue_burst(txq->ring, (void *const *)pkts, n, NULL);
	uint64_t bytes = 0;

	for (uint16_t i = 0; i < nb; i++)
		bytes += pkts[i]->pkt_len;
	sl_eth_queue_count(&txq->stats.cnt.pkts, nb);
	sl_eth_queue_count(&txq->stats.cnt.bytes, bytes);
	return nb;
}
