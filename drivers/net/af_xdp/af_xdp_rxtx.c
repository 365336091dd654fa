/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_af_xdp burst functions.
 *
 * Spec: Documentation/networking/af_xdp.rst (Linux 6.x), sections "Rings",
 * "XDP_USE_NEED_WAKEUP" and "XDP_UMEM_UNALIGNED_CHUNK_FLAG"; the ring
 * accessors are libxdp's (<xdp/xsk.h>), whose producer/consumer updates are
 * release stores and whose reads of the other side's index are acquire
 * loads, pairing with the kernel's (net/xdp/xsk_queue.h).  So a descriptor
 * is complete once peeked, and a filled descriptor is visible to the kernel
 * once submitted: no further fence is needed here.
 *
 * The memory layout (UMEM = mempool) is described in af_xdp_ethdev.h.
 * No logging here; the only syscalls are the kicks the kernel asks for
 * (need_wakeup) and, with busy polling, one recvfrom() per RX burst.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "af_xdp_ethdev.h"
#include "sl_mbuf.h"
#include "sl_mempool.h"

/* Fill-ring refills are done in batches of at least this many mbufs. */
#define AFX_FILL_BATCH 32
/* Largest burst one call moves through a ring. */
#define AFX_BURST_MAX 64

static __sl_always_inline struct sl_mbuf *
afx_addr_mbuf(uint8_t *base, uint64_t addr)
{
	return (struct sl_mbuf *)(base + xsk_umem__extract_addr(addr));
}

/* ---- RX ---- */

void
afx_fill(struct afx_rxq *rxq)
{
	struct xsk_ring_prod *fq = rxq->fq;
	/* Free room on the fill ring = mbufs the kernel does not hold.  Asking
	 * for one batch reads the kernel's consumer index only when the cached
	 * one shows less than a batch free. */
	uint32_t room = xsk_prod_nb_free(fq, AFX_FILL_BATCH);
	struct sl_mbuf *mbufs[AFX_BURST_MAX];
	uint32_t idx = 0;

	while (room >= AFX_FILL_BATCH) {
		uint32_t n = SL_MIN(room, (uint32_t)AFX_BURST_MAX);

		if (sl_unlikely(sl_mbuf_alloc_bulk(rxq->mp, mbufs, n) != 0)) {
			sl_eth_queue_count(&rxq->stats.cnt.nombuf, 1);
			rxq->fill_short = true; /* retry on every burst until it works */
			return;
		}
		(void)xsk_ring_prod__reserve(fq, n, &idx); /* room >= n: cannot fail */
		for (uint32_t i = 0; i < n; i++)
			*xsk_ring_prod__fill_addr(fq, idx + i) =
				(uint64_t)((uint8_t *)mbufs[i] - rxq->base);
		xsk_ring_prod__submit(fq, n);
		room -= n;
	}
	rxq->fill_short = false;
}

uint16_t
afx_rx(void *q, struct sl_mbuf **pkts, uint16_t n)
{
	struct afx_rxq *rxq = q;
	uint64_t bytes = 0;
	uint32_t idx, nb;

	nb = xsk_ring_cons__peek(&rxq->rx, n, &idx);
	for (uint32_t i = 0; i < nb; i++) {
		const struct xdp_desc *d = xsk_ring_cons__rx_desc(&rxq->rx, idx + i);
		struct sl_mbuf *m = afx_addr_mbuf(rxq->base, d->addr);

		/* The offset counts from the chunk (the mbuf) to the data. */
		m->data_off = (uint16_t)(xsk_umem__extract_offset(d->addr) - rxq->hdr_len);
		m->data_len = (uint16_t)d->len;
		m->pkt_len = d->len;
		m->port = rxq->port_id;
		bytes += d->len;
		pkts[i] = m;
	}
	if (nb != 0) {
		xsk_ring_cons__release(&rxq->rx, nb);
		sl_eth_queue_count(&rxq->stats.cnt.pkts, nb);
		sl_eth_queue_count(&rxq->stats.cnt.bytes, bytes);
	}
	/* The kernel takes fill buffers only for packets it puts on the RX
	 * ring, so there is room to refill only after packets came (or after
	 * the pool ran dry): an empty poll does not touch the kernel's fill
	 * index, whose cache line the kernel writes on another CPU. */
	if (nb != 0 || sl_unlikely(rxq->fill_short))
		afx_fill(rxq);
	/* The kernel asks for a kick when it found the fill ring empty
	 * (af_xdp.rst, XDP_USE_NEED_WAKEUP); with preferred busy polling the
	 * recvfrom() is what runs the driver's NAPI loop. */
	if (rxq->kick || xsk_ring_prod__needs_wakeup(rxq->fq))
		(void)recvfrom(rxq->fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
	return (uint16_t)nb;
}

/* Free every mbuf still on a producer ring we fill (between the kernel's
 * consumer index and ours): the kernel will never read them now. */
static void
afx_prod_ring_free(struct xsk_ring_prod *r, uint8_t *base, bool is_tx)
{
	uint32_t cons = __atomic_load_n(r->consumer, __ATOMIC_ACQUIRE);
	uint32_t prod = *r->producer;

	for (uint32_t i = cons; i != prod; i++) {
		uint64_t addr = is_tx ? xsk_ring_prod__tx_desc(r, i)->addr :
					*xsk_ring_prod__fill_addr(r, i);

		sl_mbuf_free(afx_addr_mbuf(base, addr));
	}
	__atomic_store_n(r->consumer, prod, __ATOMIC_RELEASE);
}

void
afx_txq_drain(struct afx_txq *txq)
{
	afx_prod_ring_free(&txq->tx, txq->base, true);
}

void
afx_rxq_drain(struct afx_rxq *rxq)
{
	uint32_t idx, nb;

	/* No refill: what the kernel filled goes back to the pool. */
	while ((nb = xsk_ring_cons__peek(&rxq->rx, AFX_BURST_MAX, &idx)) != 0) {
		for (uint32_t i = 0; i < nb; i++)
			sl_mbuf_free(afx_addr_mbuf(rxq->base,
						   xsk_ring_cons__rx_desc(&rxq->rx, idx + i)->addr));
		xsk_ring_cons__release(&rxq->rx, nb);
	}
	afx_prod_ring_free(rxq->fq, rxq->base, false);
}

/* ---- TX ---- */

uint32_t
afx_tx_reclaim(struct afx_txq *txq)
{
	uint32_t idx, nb, total = 0;

	while ((nb = xsk_ring_cons__peek(txq->cq, AFX_BURST_MAX, &idx)) != 0) {
		for (uint32_t i = 0; i < nb; i++)
			sl_mbuf_free(afx_addr_mbuf(txq->base,
						   *xsk_ring_cons__comp_addr(txq->cq, idx + i)));
		xsk_ring_cons__release(txq->cq, nb);
		total += nb;
	}
	if (total != 0)
		txq->completed += total;
	return total;
}

/* Copy a packet the UMEM does not hold into one mbuf of the UMEM's pool. */
static __sl_always_inline struct sl_mbuf *
afx_tx_copy(struct afx_txq *txq, struct sl_mbuf *m)
{
	struct sl_mbuf *c = sl_mbuf_alloc(txq->mp);
	uint8_t *dst;

	if (sl_unlikely(c == NULL))
		return NULL;
	dst = sl_mbuf_mtod(c, uint8_t *);
	for (const struct sl_mbuf *s = m; s != NULL; s = s->next) {
		memcpy(dst, sl_mbuf_mtod(s, const void *), s->data_len);
		dst += s->data_len;
	}
	c->data_len = (uint16_t)m->pkt_len;
	c->pkt_len = m->pkt_len;
	return c;
}

uint16_t
afx_tx(void *q, struct sl_mbuf **pkts, uint16_t n)
{
	struct afx_txq *txq = q;
	uint64_t bytes = 0, errors = 0, nombuf = 0;
	uint32_t idx = 0, room, queued = 0;
	uint16_t i;

	afx_tx_reclaim(txq);
	n = (uint16_t)SL_MIN((uint32_t)n, (uint32_t)AFX_BURST_MAX);
	/* Take what fits; the caller keeps the rest. */
	room = SL_MIN(xsk_prod_nb_free(&txq->tx, n), (uint32_t)n);
	(void)xsk_ring_prod__reserve(&txq->tx, room, &idx);
	for (i = 0; i < n && queued < room; i++) {
		struct sl_mbuf *m = pkts[i];
		struct xdp_desc *d;

		/* Sent in place only from its own buffer in the UMEM: not a
		 * clone's, not an external one (net_af_packet's RX ring). */
		if (sl_unlikely(m->pool != txq->mp || m->next != NULL ||
				(m->ol_flags & (SL_MBUF_F_INDIRECT | SL_MBUF_F_EXTERNAL)) != 0)) {
			struct sl_mbuf *c;

			if (sl_unlikely(m->pkt_len > txq->max_len)) {
				errors++; /* taken and dropped: no UMEM frame holds it */
				sl_mbuf_free(m);
				continue;
			}
			c = afx_tx_copy(txq, m);
			if (sl_unlikely(c == NULL)) {
				nombuf++;
				break; /* the caller keeps this one and the rest */
			}
			sl_mbuf_free(m);
			m = c;
		}
		d = xsk_ring_prod__tx_desc(&txq->tx, idx + queued);
		d->addr = (uint64_t)((uint8_t *)m - txq->base) |
			  (uint64_t)(m->data_off + ((uint8_t *)m->buf_addr - (uint8_t *)m))
				  << XSK_UNALIGNED_BUF_OFFSET_SHIFT;
		d->len = m->data_len;
		d->options = 0;
		bytes += m->data_len;
		queued++;
	}
	if (queued < room)
		/* Give back what was reserved and not filled: the producer
		 * index the kernel sees moves by queued only. */
		txq->tx.cached_prod -= room - queued;
	if (queued != 0)
		xsk_ring_prod__submit(&txq->tx, queued);
	/* In copy mode the kernel always wants the kick; in zero-copy mode
	 * only when its driver has gone idle (af_xdp.rst, XDP_USE_NEED_WAKEUP). */
	if (xsk_ring_prod__needs_wakeup(&txq->tx))
		(void)sendto(txq->fd, NULL, 0, MSG_DONTWAIT, NULL, 0);
	if (queued != 0) {
		sl_eth_queue_count(&txq->stats.cnt.pkts, queued);
		sl_eth_queue_count(&txq->stats.cnt.bytes, bytes);
	}
	if (sl_unlikely(errors != 0))
		sl_eth_queue_count(&txq->stats.cnt.errors, errors);
	if (sl_unlikely(nombuf != 0))
		sl_eth_queue_count(&txq->stats.cnt.nombuf, nombuf);
	return i;
}
