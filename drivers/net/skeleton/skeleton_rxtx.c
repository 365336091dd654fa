/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_skeleton fast path: the burst functions.
 *
 * The rules every PMD's burst functions follow (doc/writing-a-pmd.md,
 * "Fast-path rules"): no logging, no system calls, no locks, no per-packet
 * NULL or argument checks (ethdev and the application guarantee them);
 * touch each mbuf in as few passes as possible; count in the queue's own
 * counters once per burst.  A NIC driver would also write the tail
 * register once per burst, after a write barrier that says why.
 */
#include <string.h>

#include "skeleton_ethdev.h"
#include "sl_mbuf.h"
#include "sl_ring.h"

/*
 * RX: take up to @p n frames from the loop and "DMA" each into a fresh mbuf
 * of the queue's pool, as a NIC writes into the buffers posted to its ring.
 *
 * Returns how many mbufs it stored in @p pkts; the application owns them.
 * A frame is never lost silently: when the pool cannot supply a buffer for
 * every frame of the burst (sl_mbuf_alloc_bulk() is all or nothing), the
 * frames stay on the loop for a later call and nombuf counts the buffers
 * asked for, as a NIC counts rx_nombuf; a frame too long for the pool's
 * mbufs is dropped and counted as an error.
 */
uint16_t
skel_rx(void *q, struct sl_mbuf **pkts, uint16_t n)
{
	struct skel_rxq *rxq = q;
	struct sl_mbuf *frames[SKEL_MAX_BURST];
	unsigned int avail, got;
	uint16_t nb = 0, errors = 0;
	uint64_t bytes = 0;

	if (n > SKEL_MAX_BURST)
		n = SKEL_MAX_BURST;
	/* Allocate first, so that only frames with a buffer leave the loop. */
	avail = sl_ring_count(rxq->ring);
	if (avail > n)
		avail = n;
	if (avail == 0)
		return 0;
	if (sl_mbuf_alloc_bulk(rxq->mp, pkts, avail) != 0) {
		sl_eth_queue_count(&rxq->stats.cnt.nombuf, avail);
		return 0;
	}
	got = sl_ring_dequeue_burst_sc(rxq->ring, (void **)frames, avail, NULL);
	for (unsigned int i = 0; i < got; i++) {
		struct sl_mbuf *f = frames[i], *m = pkts[nb];
		uint16_t len = f->data_len;

		if (len > rxq->room) {
			errors++;
		} else {
			memcpy(sl_mbuf_mtod(m, void *), sl_mbuf_mtod(f, const void *), len);
			m->data_len = len;
			m->pkt_len = len;
			m->port = rxq->port_id;
			bytes += len;
			nb++;
		}
		sl_mbuf_free(f); /* the sender's mbuf: TX handed it to the "wire" */
	}
	/* Buffers allocated for frames that were not delivered go back. */
	if (nb < avail)
		sl_mbuf_free_bulk(pkts + nb, avail - nb);
	sl_eth_queue_count(&rxq->stats.cnt.pkts, nb);
	sl_eth_queue_count(&rxq->stats.cnt.bytes, bytes);
	if (errors)
		sl_eth_queue_count(&rxq->stats.cnt.errors, errors);
	return nb;
}

/*
 * TX: put packets on the loop.  Returns how many it took from the front
 * of @p pkts; it owns those now (skel_rx or a drain frees them).  The
 * application keeps the rest (loop full) and frees or retries them: never
 * free a packet you did not accept.
 */
uint16_t
skel_tx(void *q, struct sl_mbuf **pkts, uint16_t n)
{
	struct skel_txq *txq = q;
	unsigned int sent;
	uint64_t bytes = 0;

	sent = sl_ring_enqueue_burst_sp(txq->ring, (void *const *)pkts, n, NULL);
	for (unsigned int i = 0; i < sent; i++)
		bytes += pkts[i]->pkt_len;
	sl_eth_queue_count(&txq->stats.cnt.pkts, sent);
	sl_eth_queue_count(&txq->stats.cnt.bytes, bytes);
	return (uint16_t)sent;
}

void
skel_ring_drain(struct sl_ring *r)
{
	struct sl_mbuf *m[32];
	unsigned int n;

	while ((n = sl_ring_dequeue_burst_sc(r, (void **)m, SL_DIM(m), NULL)) > 0)
		sl_mbuf_free_bulk(m, n);
}
