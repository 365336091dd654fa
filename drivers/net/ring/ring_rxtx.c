/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_ring burst functions: a dequeue or an enqueue of mbuf pointers.  The
 * ring's release/acquire ordering publishes the packet contents written by
 * the sender before the receiver can see the pointers (see sl_ring.h).
 */
#include "ring_ethdev.h"
#include "sl_cycles.h"
#include "sl_mbuf.h"
#include "sl_ring.h"

uint16_t
ring_rx(void *q, struct sl_mbuf **pkts, uint16_t n)
{
	struct ring_queue *rxq = q;
	uint64_t bytes = 0;
	uint16_t nb;

	nb = (uint16_t)sl_ring_dequeue_burst(rxq->ring, (void **)pkts, n, NULL);
	for (uint16_t i = 0; i < nb; i++) {
		pkts[i]->port = rxq->port_id;
		bytes += pkts[i]->pkt_len;
	}
	ring_cnt_add(&rxq->cnt.pkts, nb);
	ring_cnt_add(&rxq->cnt.bytes, bytes);
	return nb;
}

uint16_t
ring_tx(void *q, struct sl_mbuf **pkts, uint16_t n)
{
	struct ring_queue *txq = q;
	uint64_t bytes = 0;
	uint16_t nb;

	/*
	 * Sum the lengths before the enqueue: once a packet is in the ring the
	 * receiver may free it.  Refused packets are still ours, so their
	 * lengths can be taken back afterwards.
	 */
	for (uint16_t i = 0; i < n; i++)
		bytes += pkts[i]->pkt_len;
	nb = (uint16_t)sl_ring_enqueue_burst(txq->ring, (void *const *)pkts, n, NULL);
	if (sl_unlikely(nb < n)) {
		for (uint16_t i = nb; i < n; i++)
			bytes -= pkts[i]->pkt_len;
		ring_cnt_add(&txq->cnt.errs, (uint64_t)(n - nb));
	}
	ring_cnt_add(&txq->cnt.pkts, nb);
	ring_cnt_add(&txq->cnt.bytes, bytes);
	return nb;
}

/*
 * ring_tx behind a policer (max_pps=, a test aid): the packets the bucket
 * has credit for go to the ring; the rest are accepted and dropped, like a
 * device under test that cannot keep up, and counted in errs.  A full ring
 * still refuses packets (returned to the caller) and then nothing is dropped.
 */
uint16_t
ring_tx_policed(void *q, struct sl_mbuf **pkts, uint16_t n)
{
	struct ring_queue *txq = q;
	struct ring_police *p = &txq->police;
	uint64_t now = sl_rdtsc(), pass, sent;

	if (now > p->last) {
		unsigned __int128 c = (unsigned __int128)(now - p->last) * p->pps + p->credit;

		p->credit = c > p->depth ? p->depth : (uint64_t)c;
		p->last = now;
	}
	pass = p->credit / p->hz;
	if (pass > n)
		pass = n;
	sent = ring_tx(q, pkts, (uint16_t)pass);
	p->credit -= sent * p->hz;
	if (sent < pass)
		return (uint16_t)sent;
	if (pass < n) {
		sl_mbuf_free_bulk(&pkts[pass], (unsigned int)(n - pass));
		ring_cnt_add(&txq->cnt.errs, n - pass);
	}
	return n;
}
