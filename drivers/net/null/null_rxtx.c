/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_null burst functions.  This is the benchmark hot path (testpmd io
 * forwarding over two null ports), so each burst does exactly the work a
 * real PMD cannot avoid: take mbufs from the pool and fill their lengths
 * on RX, return them to the pool on TX.  No locked instructions, no
 * per-packet branches beyond the loop, counters updated once per burst.
 */
#include <errno.h>
#include <string.h>

#include "null_ethdev.h"
#include "sl_mbuf.h"

/*
 * Take @p n mbufs and make them received packets of @p size bytes: the
 * state sl_mbuf_alloc() gives with the RX fields already in it, written
 * as whole words with nothing read from the mbuf (sl_mbuf_reset_fresh_len_()).
 * Through sl_mbuf_reset() and three field stores this took 17 instructions
 * per packet, a read-modify-write of ol_flags among them
 * (doc/performance.md, "Night of 2026-12-03").  @p size fits the pool's
 * data room (null_rx_queue_setup()), so a uint16_t.
 */
static __sl_always_inline int
null_rx_alloc(struct sl_mempool *mp, struct sl_mbuf **pkts, uint16_t n, uint32_t size,
	      uint16_t port)
{
	uint64_t rearm;

	if (sl_unlikely(sl_mempool_get_bulk(mp, (void **)pkts, n) != 0))
		return -ENOENT;
	if (sl_unlikely(n == 0))
		return 0;
	/* Every mbuf of a pool has the same buffer length. */
	rearm = sl_mbuf_rearm_word_port_(pkts[0]->buf_len, port);
	for (uint16_t i = 0; i < n; i++)
		sl_mbuf_reset_fresh_len_(pkts[i], rearm, (uint16_t)size);
	return 0;
}

static __sl_always_inline uint16_t
null_rx_common(struct null_rxq *rxq, struct sl_mbuf **pkts, uint16_t n, bool copy)
{
	const uint32_t size = rxq->pkt_size;

	/* All or nothing: an empty pool costs one failed get, counted once per mbuf. */
	if (sl_unlikely(null_rx_alloc(rxq->mp, pkts, n, size, rxq->port_id) != 0)) {
		sl_eth_queue_count(&rxq->stats.cnt.nombuf, n);
		return 0;
	}
	if (copy) {
		for (uint16_t i = 0; i < n; i++)
			memcpy(sl_mbuf_mtod(pkts[i], void *), rxq->pattern, size);
		sl_eth_queue_count(&rxq->copied, (uint64_t)n * size);
	}
	sl_eth_queue_count(&rxq->stats.cnt.pkts, n);
	sl_eth_queue_count(&rxq->stats.cnt.bytes, (uint64_t)n * size);
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

/*
 * Free the packets a NIC would have sent, counting their bytes in the same
 * pass.  Single-segment packets go back to their pool in batches; chains
 * take sl_mbuf_free().  Testing the common case first, each field read
 * once, took io over 2 x net_null on one core from 300 to 336 Mpps
 * (doc/performance.md, "Night of 2026-12-03").
 */
static __sl_always_inline uint64_t
null_tx_free(struct sl_mbuf **pkts, uint16_t n)
{
	struct sl_mempool *pool = NULL;
	void *batch[64];
	unsigned int nb = 0;
	uint64_t bytes = 0;

	for (uint16_t i = 0; i < n; i++) {
		struct sl_mbuf *m = pkts[i];

		bytes += m->pkt_len;
		/*
		 * The common case in one test, each field read once: a direct
		 * single-segment mbuf nobody else holds, from the pool of the
		 * batch, which has room.  It is already in the state its pool
		 * keeps (sl_mbuf_prefree_seg() would change nothing).
		 */
		if (sl_likely(sl_mbuf_refcnt_read(m) == 1 && m->nb_segs == 1 &&
			      m->next == NULL &&
			      !(m->ol_flags & (SL_MBUF_F_INDIRECT | SL_MBUF_F_EXTERNAL)) &&
			      m->pool == pool && nb < SL_DIM(batch))) {
			batch[nb++] = m;
			continue;
		}
		if (m->next != NULL) {
			sl_mbuf_free(m);
			continue;
		}
		m = sl_mbuf_prefree_seg(m);
		if (m == NULL) /* still referenced by a clone */
			continue;
		if (m->pool != pool || nb == SL_DIM(batch)) {
			if (nb != 0)
				sl_mempool_put_bulk(pool, batch, nb);
			pool = m->pool;
			nb = 0;
		}
		batch[nb++] = m;
	}
	if (nb != 0)
		sl_mempool_put_bulk(pool, batch, nb);
	return bytes;
}

static __sl_always_inline uint16_t
null_tx_common(struct null_txq *txq, struct sl_mbuf **pkts, uint16_t n, bool copy)
{
	uint64_t copied = 0;

	if (copy) {
		/* Read the first segment as a NIC's DMA would, into one scratch buffer. */
		for (uint16_t i = 0; i < n; i++) {
			uint32_t len = SL_MIN((uint32_t)pkts[i]->data_len, txq->scratch_len);

			memcpy(txq->scratch, sl_mbuf_mtod(pkts[i], const void *), len);
			copied += len;
		}
		sl_eth_queue_count(&txq->copied, copied);
	}
	sl_eth_queue_count(&txq->stats.cnt.bytes, null_tx_free(pkts, n));
	sl_eth_queue_count(&txq->stats.cnt.pkts, n);
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
