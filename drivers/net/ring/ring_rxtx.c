/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_ring burst functions: a dequeue or an enqueue of mbuf pointers.  The
 * ring's release/acquire ordering publishes the packet contents written by
 * the sender before the receiver can see the pointers (see sl_ring.h).
 *
 * Software RSS happens on the sending side, where the "wire" is: when the
 * receiving port is configured for RSS, each packet is hashed (lib/net's
 * Toeplitz) and enqueued on the receiver's RX ring its RETA names, the way
 * a NIC's RSS engine picks a queue.  Several TX queues can then feed one
 * RX ring, so such rings are multi-producer (see ring_probe).  As on a
 * NIC, a full RX queue drops the packet at the receiver (imissed) rather
 * than making the sender retry: the TX burst takes every packet.
 */
#include <string.h>

#include "ring_ethdev.h"
#include "sl_cycles.h"
#include "sl_mbuf.h"
#include "sl_ring.h"

/* Packets hashed and sorted per pass; bounds the per-queue arrays on the stack. */
#define RSS_CHUNK 32

/*
 * Sum of the lengths of @p n packets, for obytes: the only per-packet work
 * of the TX path (DPDK's net_ring counts no bytes at all).  Four packets a
 * pass with two accumulators: as a plain loop, gcc -O3 -march=native
 * vectorized it with AVX-512 gathers, which perf showed as most of
 * ring_tx's time on AMD Zen (a gather of eight 32-bit loads is many
 * micro-ops); the empty asms keep both loops scalar.
 */
static __sl_always_inline uint64_t
ring_bytes(struct sl_mbuf *const *pkts, uint16_t n)
{
	uint64_t b0 = 0, b1 = 0;
	unsigned int i = 0;

	for (; i + 4 <= n; i += 4) {
		b0 += pkts[i]->pkt_len;
		b1 += pkts[i + 1]->pkt_len;
		b0 += pkts[i + 2]->pkt_len;
		b1 += pkts[i + 3]->pkt_len;
		__asm__("" : "+r"(b0), "+r"(b1)); /* no vectorization, see above */
	}
	for (; i < n; i++) {
		b0 += pkts[i]->pkt_len;
		__asm__("" : "+r"(b0));
	}
	return b0 + b1;
}

uint16_t
ring_rx(void *q, struct sl_mbuf **pkts, uint16_t n)
{
	struct ring_queue *rxq = q;
	uint64_t bytes = 0;
	uint16_t nb, port;

	if (sl_unlikely(__atomic_load_n(&rxq->stopped, __ATOMIC_RELAXED)))
		return 0;
	nb = (uint16_t)sl_ring_dequeue_burst(rxq->ring, (void **)pkts, n, NULL);
	/*
	 * The only per-packet work of the RX path, so it is kept to a load of
	 * the pointer, a store and a load per packet: we build with
	 * -fno-strict-aliasing, so the compiler must assume that the store to
	 * m->port may change pkts[] and rxq->port_id, and would reload both
	 * on every packet if they were written as pkts[i]->... and
	 * rxq->port_id in the loop.
	 */
	port = rxq->port_id;
	for (uint16_t i = 0; i < nb; i++) {
		struct sl_mbuf *m = pkts[i];

		m->port = port;
		bytes += m->pkt_len;
	}
	ring_cnt_add(&rxq->cnt.pkts, nb);
	ring_cnt_add(&rxq->cnt.bytes, bytes);
	return nb;
}

uint16_t
ring_tx_rss(struct ring_queue *txq, struct ring_private *dst, struct sl_mbuf **pkts, uint16_t n)
{
	const struct ring_rss *rss = &dst->rss;
	uint64_t hf = __atomic_load_n(&rss->hf, __ATOMIC_RELAXED);
	struct sl_mbuf *bucket[SL_ETH_RING_MAX_QUEUES][RSS_CHUNK];
	uint16_t cnt[SL_ETH_RING_MAX_QUEUES];
	uint64_t bytes = 0;

	for (uint16_t done = 0; done < n;) {
		uint16_t chunk = (uint16_t)SL_MIN(n - done, RSS_CHUNK);
		uint32_t used = 0; /* bit q: bucket q has packets */

		for (uint16_t i = 0; i < chunk; i++) {
			struct sl_mbuf *m = pkts[done + i];
			uint8_t tuple[SL_RSS_TUPLE_MAX];
			unsigned int tlen;
			uint32_t hash = 0;
			uint16_t q;

			tlen = sl_rss_frame_tuple(sl_mbuf_mtod(m, const void *), m->data_len, hf, tuple);
			if (tlen != 0) {
				hash = sl_rss_toeplitz_table(&rss->table, tuple, tlen);
				m->hash.rss = hash;
				m->ol_flags |= SL_MBUF_F_RX_RSS_HASH;
			} else {
				/* A forwarded mbuf may carry the flag from its last hop. */
				m->ol_flags &= ~SL_MBUF_F_RX_RSS_HASH;
			}
			q = __atomic_load_n(&rss->reta[hash & (RING_RETA_SIZE - 1)], __ATOMIC_RELAXED);
			if (!(used & (1u << q))) {
				used |= 1u << q;
				cnt[q] = 0;
			}
			bucket[q][cnt[q]++] = m;
			bytes += m->pkt_len;
		}
		while (used != 0) {
			unsigned int q = (unsigned int)__builtin_ctz(used);
			unsigned int nb;

			used &= used - 1;
			nb = sl_ring_enqueue_burst(dst->rx_rings[q], (void *const *)bucket[q], cnt[q],
						   NULL);
			if (sl_unlikely(nb < cnt[q])) {
				/* The receiver's queue is full: it drops, as a NIC would. */
				__atomic_fetch_add(&dst->rxq[q].cnt.missed, cnt[q] - nb,
						   __ATOMIC_RELAXED);
				sl_mbuf_free_bulk(&bucket[q][nb], cnt[q] - nb);
			}
		}
		done = (uint16_t)(done + chunk);
	}
	ring_cnt_add(&txq->cnt.pkts, n);
	ring_cnt_add(&txq->cnt.bytes, bytes);
	return n;
}

uint16_t
ring_tx(void *q, struct sl_mbuf **pkts, uint16_t n)
{
	struct ring_queue *txq = q;
	uint64_t bytes = 0;
	uint16_t nb;

	if (sl_unlikely(__atomic_load_n(&txq->stopped, __ATOMIC_RELAXED)))
		return 0;
	/* Acquire pairs with ring_configure()'s release of `on`: the key and
	 * RETA written before it are visible here (a plain load on x86). */
	if (txq->dst != NULL && __atomic_load_n(&txq->dst->rss.on, __ATOMIC_ACQUIRE))
		return ring_tx_rss(txq, txq->dst, pkts, n);
	/*
	 * Sum the lengths before the enqueue: once a packet is in the ring the
	 * receiver may free it.  Refused packets are still ours, so their
	 * lengths can be taken back afterwards.
	 */
	bytes = ring_bytes(pkts, n);
	nb = (uint16_t)sl_ring_enqueue_burst(txq->ring, (void *const *)pkts, n, NULL);
	if (sl_unlikely(nb < n)) {
		bytes -= ring_bytes(pkts + nb, (uint16_t)(n - nb));
		ring_cnt_add(&txq->cnt.errs, (uint64_t)(n - nb));
	}
	ring_cnt_add(&txq->cnt.pkts, nb);
	ring_cnt_add(&txq->cnt.bytes, bytes);
	return nb;
}

/* A copy of single-segment @p m from its own pool, or NULL. */
static struct sl_mbuf *
ring_copy(const struct sl_mbuf *m)
{
	struct sl_mbuf *c = sl_mbuf_alloc(m->pool);

	if (c == NULL || m->nb_segs != 1 || m->data_len > c->buf_len - c->data_off) {
		if (c)
			sl_mbuf_free(c);
		return NULL;
	}
	memcpy(sl_mbuf_mtod(c, void *), sl_mbuf_mtod(m, const void *), m->data_len);
	c->data_len = m->data_len;
	c->pkt_len = m->pkt_len;
	return c;
}

/*
 * Apply the fault aids to @p n packets; returns how many are in @p out.
 * With dup_next_queue the copies go to @p dups instead (*nb_dups of them).
 */
static unsigned int
ring_faults_apply(struct ring_queue *txq, struct sl_mbuf **pkts, unsigned int n,
		  struct sl_mbuf **out, struct sl_mbuf **dups, unsigned int *nb_dups)
{
	struct ring_faults *f = &txq->faults;
	unsigned int m = 0;

	for (unsigned int i = 0; i < n; i++) {
		uint64_t k = ++f->seen;

		if (f->drop_every && k % f->drop_every == 0) {
			sl_mbuf_free(pkts[i]);
			ring_cnt_add(&txq->cnt.errs, 1);
			continue;
		}
		if (f->swap_every && k % f->swap_every == 0 && f->held == NULL) {
			f->held = pkts[i];
			continue;
		}
		out[m++] = pkts[i];
		if (f->dup_every && k % f->dup_every == 0) {
			struct sl_mbuf *c = ring_copy(pkts[i]);

			if (c && f->dup_next_queue)
				dups[(*nb_dups)++] = c;
			else if (c)
				out[m++] = c;
			else
				ring_cnt_add(&txq->cnt.errs, 1);
		}
		if (f->held) {
			out[m++] = f->held;
			f->held = NULL;
		}
	}
	return m;
}

/*
 * ring_tx behind the test aids (max_pps=, drop_every=, dup_every=,
 * swap_every=), like a device under test that drops, copies, reorders or
 * cannot forward faster.  Faults first, then the policer: the packets the
 * bucket has credit for go to the ring, the rest are dropped.  Every packet
 * offered is taken (the call returns n); drops, including those a full
 * ring refuses, are counted in errs.
 */
uint16_t
ring_tx_aid(void *q, struct sl_mbuf **pkts, uint16_t n)
{
	struct ring_queue *txq = q;
	struct ring_police *p = &txq->police;
	struct sl_mbuf *out[2 * 32], *dups[32];

	if (sl_unlikely(__atomic_load_n(&txq->stopped, __ATOMIC_RELAXED)))
		return 0; /* a stopped queue refuses, as ring_tx does */

	for (unsigned int done = 0; done < n;) {
		unsigned int chunk = SL_MIN(32u, (unsigned int)n - done), nb_dups = 0;
		unsigned int m = ring_faults_apply(txq, pkts + done, chunk, out, dups, &nb_dups);
		unsigned int pass = m, sent;

		done += chunk;
		if (p->pps) {
			uint64_t now = sl_rdtsc();

			if (now > p->last) {
				unsigned __int128 c = (unsigned __int128)(now - p->last) * p->pps + p->credit;

				p->credit = c > p->depth ? p->depth : (uint64_t)c;
				p->last = now;
			}
			pass = (unsigned int)SL_MIN((uint64_t)m, p->credit / p->hz);
		}
		sent = ring_tx(q, out, (uint16_t)pass);
		if (p->pps)
			p->credit -= sent * p->hz;
		if (sent < m) {
			/* Refused by a full ring (ring_tx counted those) or over the rate. */
			sl_mbuf_free_bulk(&out[sent], m - sent);
			ring_cnt_add(&txq->cnt.errs, m - pass);
		}
		if (nb_dups) {
			/* dup_next_queue: after the originals, on the next RX ring
			 * (multi-producer: the peer has several queues). */
			struct ring_private *dst = txq->dst;
			uint64_t bytes = 0;
			unsigned int k = 0;

			for (unsigned int i = 0; i < nb_dups; i++)
				bytes += dups[i]->pkt_len; /* before the receiver may free them */
			if (dst != NULL)
				k = sl_ring_enqueue_burst(dst->rx_rings[(txq->faults.queue_id + 1u) %
									dst->nb_rx],
							  (void *const *)dups, nb_dups, NULL);
			for (unsigned int i = k; i < nb_dups; i++)
				bytes -= dups[i]->pkt_len;
			ring_cnt_add(&txq->cnt.pkts, k);
			ring_cnt_add(&txq->cnt.bytes, bytes);
			if (k < nb_dups) {
				sl_mbuf_free_bulk(&dups[k], nb_dups - k);
				ring_cnt_add(&txq->cnt.errs, nb_dups - k);
			}
		}
	}
	return n;
}
