/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_null burst functions.  This is the benchmark hot path (testpmd io
 * forwarding over two null ports), so each burst does exactly the work a
 * real PMD cannot avoid: take mbufs from the pool and fill their lengths
 * on RX, return them to the pool on TX.  No locked instructions, no
 * per-packet branches beyond the loop, counters updated once per burst.
 */
#include <string.h>

#include "null_ethdev.h"
#include "sl_mbuf.h"

/* Fill the per-packet fields an RX PMD owns; the rest was reset by the alloc. */
static __sl_always_inline void
null_rx_fill(struct sl_mbuf **pkts, uint16_t n, uint32_t size, uint16_t port)
{
	for (uint16_t i = 0; i < n; i++) {
		struct sl_mbuf *m = pkts[i];

		m->data_len = (uint16_t)size;
		m->pkt_len = size;
		m->port = port;
	}
}

static __sl_always_inline uint16_t
null_rx_common(struct null_rxq *rxq, struct sl_mbuf **pkts, uint16_t n, bool copy)
{
	const uint32_t size = rxq->pkt_size;

	/* All or nothing: an empty pool costs one failed get, counted once per mbuf. */
	if (sl_unlikely(sl_mbuf_alloc_bulk(rxq->mp, pkts, n) != 0)) {
		null_cnt_add(&rxq->cnt.nombuf, n);
		return 0;
	}
	null_rx_fill(pkts, n, size, rxq->port_id);
	if (copy) {
		for (uint16_t i = 0; i < n; i++)
			memcpy(sl_mbuf_mtod(pkts[i], void *), rxq->pattern, size);
		null_cnt_add(&rxq->cnt.copied, (uint64_t)n * size);
	}
	null_cnt_add(&rxq->cnt.pkts, n);
	null_cnt_add(&rxq->cnt.bytes, (uint64_t)n * size);
	return n;
}

uint16_t
null_rx(void *q, struct sl_mbuf **pkts, uint16_t n)
{
	return null_rx_common(q, pkts, n, false);
}

uint16_t
null_rx_copy(void *q, struct sl_mbuf **pkts, uint16_t n)
{
	return null_rx_common(q, pkts, n, true);
}

/* no_rx=1: a port that only sinks packets (e.g. the far end of txonly). */
uint16_t
null_rx_none(void *q __sl_unused, struct sl_mbuf **pkts __sl_unused, uint16_t n __sl_unused)
{
	return 0;
}

static __sl_always_inline uint16_t
null_tx_common(struct null_txq *txq, struct sl_mbuf **pkts, uint16_t n, bool copy)
{
	uint64_t bytes = 0, copied = 0;

	for (uint16_t i = 0; i < n; i++)
		bytes += pkts[i]->pkt_len;
	if (copy) {
		/* Read the first segment as a NIC's DMA would, into one scratch buffer. */
		for (uint16_t i = 0; i < n; i++) {
			uint32_t len = SL_MIN((uint32_t)pkts[i]->data_len, txq->scratch_len);

			memcpy(txq->scratch, sl_mbuf_mtod(pkts[i], const void *), len);
			copied += len;
		}
		null_cnt_add(&txq->cnt.copied, copied);
	}
	sl_mbuf_free_bulk(pkts, n);
	null_cnt_add(&txq->cnt.pkts, n);
	null_cnt_add(&txq->cnt.bytes, bytes);
	return n;
}

uint16_t
null_tx(void *q, struct sl_mbuf **pkts, uint16_t n)
{
	return null_tx_common(q, pkts, n, false);
}

uint16_t
null_tx_copy(void *q, struct sl_mbuf **pkts, uint16_t n)
{
	return null_tx_common(q, pkts, n, true);
}
