/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_memif burst functions: copy mode.  Packets are copied out of mbufs
 * into the shared buffers on TX and out of the shared buffers into fresh
 * mbufs on RX, so no mbuf ever belongs to the peer and a peer that dies
 * takes nothing of ours with it.
 *
 * Spec: memif_proto.h (DPDK doc/guides/nics/memif.rst, "Shared memory").
 * Index ownership, with the client owning every buffer:
 *
 *   S2M ring (client TX -> server RX): the client fills descriptors from
 *   head and advances head; the server reads up to head and advances tail,
 *   which frees the buffers for the client.
 *
 *   M2S ring (server TX -> client RX): the client hands empty buffers to
 *   the server by advancing head (length = capacity); the server fills them
 *   from tail, writes each length and advances tail; the client reads up to
 *   tail and gives the buffers back by moving head on.
 *
 * The peer is another process: every descriptor is copied to the stack once
 * and checked against the mapped regions before its buffer is touched, so
 * a wrong or hostile peer can make us drop packets (counted as errors) but
 * never read or write outside the shared memory.
 */
#include <string.h>
#include <unistd.h>

#include "memif_ethdev.h"
#include "sl_mbuf.h"

/* Longest packet accepted on RX: a peer's chain beyond it is dropped as bad
 * rather than allowed to drain the pool. */
#define MEMIF_RX_MAX_PKT 65535u

/* Burst entry: see memif_ethdev.h for the ready/busy protocol. */
static __sl_always_inline bool
memif_enter(struct memif_queue *q)
{
	__atomic_store_n(&q->busy, 1, __ATOMIC_RELAXED);
	/* Full fence: the busy store must be visible before ready is read, or
	 * the control thread could unmap the ring while we use it. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (sl_likely(__atomic_load_n(&q->ready, __ATOMIC_ACQUIRE)))
		return true;
	__atomic_store_n(&q->busy, 0, __ATOMIC_RELEASE);
	return false;
}

static __sl_always_inline void
memif_leave(struct memif_queue *q)
{
	/* Release: every access to the mapping happens before busy reads 0. */
	__atomic_store_n(&q->busy, 0, __ATOMIC_RELEASE);
}

/* The buffer of @p d if it lies inside a mapped region, else NULL. */
static __sl_always_inline uint8_t *
memif_buf(const struct memif_queue *q, const struct memif_desc *d)
{
	const struct memif_region *r;

	if (sl_unlikely(d->region >= q->nregions))
		return NULL;
	r = &q->regions[d->region];
	if (sl_unlikely((uint64_t)d->offset + d->length > r->size))
		return NULL;
	return r->addr + d->offset;
}

/* Tell a peer that sleeps on the ring's eventfd that there is work. */
static __sl_always_inline void
memif_kick(const struct memif_queue *q)
{
	uint64_t one = 1;

	/* The consumer sets MASK_INT when it polls (both our roles do): then
	 * no system call.  A peer in interrupt mode needs this kick. */
	if (!(__atomic_load_n(&q->ring->flags, __ATOMIC_RELAXED) & MEMIF_RING_FLAG_MASK_INT) &&
	    q->kick_fd >= 0)
		(void)!write(q->kick_fd, &one, sizeof(one));
}

void
memif_rx_ring_fill(struct memif_queue *q)
{
	struct memif_ring *ring = q->ring;
	uint16_t head = ring->head;
	uint16_t stop = (uint16_t)(q->last + q->mask + 1);

	for (; head != stop; head++) {
		struct memif_desc *d = &ring->desc[head & q->mask];

		d->flags = 0;
		d->region = 0;
		d->length = q->bsize;
		d->offset = (uint32_t)(q->buf_base + (uint64_t)(head & q->mask) * q->bsize);
	}
	/* Release: the descriptors are written before the server sees head. */
	__atomic_store_n(&ring->head, head, __ATOMIC_RELEASE);
}

/*
 * Copy the packet starting at descriptor @p *cur (up to @p end) into a new
 * mbuf chain whose first segment is @p first (NULL: allocate it); @p first
 * is consumed whatever happens.  @return the chain; NULL with *cur
 * unchanged when the packet is not complete yet or the pool is empty
 * (*nombuf set), or NULL with *cur past the packet when a descriptor is bad
 * or the packet empty (*bad set).
 */
static __sl_always_inline struct sl_mbuf *
memif_rx_one(struct memif_queue *q, struct sl_mbuf *first, uint16_t *cur, uint16_t end,
	     bool *nombuf, bool *bad)
{
	struct sl_mbuf *head = first, *seg = first;
	uint32_t total = 0;
	uint16_t c = *cur;
	struct memif_desc d;

	do {
		const uint8_t *src;
		uint32_t off = 0;

		if (sl_unlikely(c == end))
			goto incomplete; /* the rest of the chain is not published yet */
		d = q->ring->desc[c & q->mask]; /* one read: the peer may rewrite it */
		c++;
		src = memif_buf(q, &d);
		total += d.length;
		if (sl_unlikely(src == NULL || d.length > MEMIF_RX_MAX_PKT ||
				total > MEMIF_RX_MAX_PKT)) {
			*bad = true;
			/* Skip the rest of the chain so the next packet starts cleanly. */
			while ((d.flags & MEMIF_DESC_FLAG_NEXT) && c != end)
				d = q->ring->desc[c++ & q->mask];
			goto drop;
		}
		while (off < d.length) {
			uint32_t room, take;

			if (seg == NULL || seg->data_off + seg->data_len == seg->buf_len) {
				struct sl_mbuf *m = sl_mbuf_alloc(q->mp);

				if (sl_unlikely(m == NULL)) {
					*nombuf = true;
					goto incomplete;
				}
				if (head == NULL) {
					head = m;
				} else {
					seg->next = m;
					head->nb_segs++;
				}
				seg = m;
			}
			room = (uint32_t)(seg->buf_len - seg->data_off - seg->data_len);
			take = SL_MIN(room, d.length - off);
			memcpy(sl_mbuf_mtod_offset(seg, uint8_t *, seg->data_len), src + off, take);
			seg->data_len = (uint16_t)(seg->data_len + take);
			head->pkt_len += take;
			off += take;
		}
	} while (d.flags & MEMIF_DESC_FLAG_NEXT);
	if (sl_unlikely(head == NULL || head->pkt_len == 0)) { /* nothing to hand up */
		*bad = true;
		goto drop;
	}
	*cur = c;
	head->port = q->port_id;
	return head;

incomplete:
	if (head != NULL)
		sl_mbuf_free(head);
	return NULL;
drop:
	if (head != NULL)
		sl_mbuf_free(head);
	*cur = c;
	return NULL;
}

uint16_t
memif_rx(void *qp, struct sl_mbuf **pkts, uint16_t n)
{
	struct memif_queue *q = qp;
	struct memif_ring *ring;
	uint64_t bytes = 0, errors = 0;
	uint16_t cur, end, nb = 0, pre = 0, used = 0;
	bool nombuf = false;

	if (!memif_enter(q))
		return 0;
	ring = q->ring;
	cur = q->last;
	/* Acquire: the producer wrote descriptors and buffers before it
	 * published its index (release), so they are visible now. */
	end = q->client ? __atomic_load_n(&ring->tail, __ATOMIC_ACQUIRE) :
			  __atomic_load_n(&ring->head, __ATOMIC_ACQUIRE);
	/* One bulk allocation for the first segments, kept in pkts[]: packet
	 * k is stored at pkts[nb] with nb <= k, so no slot is overwritten
	 * before it is used.  If the pool cannot give them all, one by one. */
	pre = (uint16_t)SL_MIN((uint16_t)(end - cur), n);
	if (pre != 0 && sl_mbuf_alloc_bulk(q->mp, pkts, pre) < 0)
		pre = 0;
	while (cur != end && nb < n) {
		bool bad = false;
		struct sl_mbuf *m = memif_rx_one(q, used < pre ? pkts[used] : NULL, &cur, end,
						 &nombuf, &bad);

		used++;

		if (sl_unlikely(m == NULL)) {
			if (bad) {
				errors++;
				continue;
			}
			break;
		}
		bytes += m->pkt_len;
		pkts[nb++] = m;
	}
	if (used < pre)
		sl_mbuf_free_bulk(&pkts[used], (unsigned int)(pre - used));
	if (q->client) {
		q->last = cur;
		/* Give back what we read.  Also when we read nothing: a server
		 * may reset head to 0 when it connects (DPDK's does), and then
		 * waits for this refill. */
		if (ring->head != (uint16_t)(cur + q->mask + 1))
			memif_rx_ring_fill(q);
	} else if (cur != q->last) {
		q->last = cur;
		/* Release: our reads of the buffers are done before the client
		 * may reuse them. */
		__atomic_store_n(&ring->tail, cur, __ATOMIC_RELEASE);
	}
	memif_leave(q);
	if (nb != 0) {
		sl_eth_queue_count(&q->stats.cnt.pkts, nb);
		sl_eth_queue_count(&q->stats.cnt.bytes, bytes);
	}
	if (sl_unlikely(errors != 0))
		sl_eth_queue_count(&q->stats.cnt.errors, errors);
	if (sl_unlikely(nombuf))
		sl_eth_queue_count(&q->stats.cnt.nombuf, 1);
	return nb;
}

/*
 * Copy @p m into the descriptors from @p slot on; @p avail of them are free.
 * The client writes its own buffers (offset from the slot, capacity bsize);
 * the server writes the buffers the client handed over (capacity in
 * length).  @return descriptors used; 0 when @p m does not fit in @p avail
 * (nothing written that the peer can see).  With *bad set @p m is dropped:
 * (client) it is longer than the whole ring holds, nothing used; or
 * (server) a descriptor the client gave points outside the regions: the
 * descriptors up to it are used as empty packets, so the ring moves on and
 * the client drops them (a zero-length packet is an error there).
 */
static __sl_always_inline uint16_t
memif_tx_one(struct memif_queue *q, const struct sl_mbuf *m, uint16_t slot, uint16_t avail,
	     bool *bad)
{
	struct memif_ring *ring = q->ring;
	const struct sl_mbuf *s = m;
	uint32_t soff = 0;
	uint16_t used = 0;

	if (q->client && sl_unlikely(m->pkt_len > (uint64_t)(q->mask + 1) * q->bsize)) {
		*bad = true;
		return 0;
	}
	while (s != NULL) {
		struct memif_desc *dp;
		struct memif_desc d;
		uint8_t *dst;
		uint32_t cap, len = 0;

		if (used == avail)
			return 0; /* does not fit: try again when the peer frees slots */
		dp = &ring->desc[(uint16_t)(slot + used) & q->mask];
		if (q->client) {
			d.region = 0;
			d.offset = (uint32_t)(q->buf_base +
					      (uint64_t)((uint16_t)(slot + used) & q->mask) * q->bsize);
			d.length = q->bsize;
		} else {
			d = *dp; /* one read: the peer may rewrite it */
		}
		dst = memif_buf(q, &d);
		if (sl_unlikely(dst == NULL || d.length == 0)) {
			*bad = true;
			for (uint16_t k = 0; k <= used; k++) {
				struct memif_desc *e = &ring->desc[(uint16_t)(slot + k) & q->mask];

				e->length = 0;
				e->flags = 0;
			}
			return (uint16_t)(used + 1);
		}
		cap = d.length;
		while (s != NULL && len < cap) {
			uint32_t take = SL_MIN((uint32_t)s->data_len - soff, cap - len);

			memcpy(dst + len, sl_mbuf_mtod_offset(s, const uint8_t *, soff), take);
			len += take;
			soff += take;
			if (soff == s->data_len) {
				s = s->next;
				soff = 0;
			}
		}
		used++;
		if (q->client) {
			dp->region = d.region;
			dp->offset = d.offset;
		}
		dp->length = len;
		dp->flags = s != NULL ? MEMIF_DESC_FLAG_NEXT : 0;
	}
	return used;
}

uint16_t
memif_tx(void *qp, struct sl_mbuf **pkts, uint16_t n)
{
	struct memif_queue *q = qp;
	struct memif_ring *ring;
	uint64_t bytes = 0, errors = 0;
	uint16_t i, slot, start, avail, sent = 0;

	if (!memif_enter(q))
		return 0;
	ring = q->ring;
	if (q->client) {
		/* Acquire on tail: the server is done with the buffers it freed. */
		slot = ring->head;
		avail = (uint16_t)(q->mask + 1 -
				   (uint16_t)(slot - __atomic_load_n(&ring->tail, __ATOMIC_ACQUIRE)));
	} else {
		/* Acquire on head: the descriptors the client handed over are
		 * written (offset, capacity) before we read them. */
		slot = ring->tail;
		avail = (uint16_t)(__atomic_load_n(&ring->head, __ATOMIC_ACQUIRE) - slot);
	}
	start = slot;
	for (i = 0; i < n; i++) {
		bool bad = false;
		uint16_t used = memif_tx_one(q, pkts[i], slot, avail, &bad);

		if (sl_unlikely(used == 0 && !bad))
			break; /* ring full: the rest stays the caller's */
		slot = (uint16_t)(slot + used);
		avail = (uint16_t)(avail - used);
		if (sl_unlikely(bad)) {
			errors++; /* dropped, see memif_tx_one() */
			continue;
		}
		bytes += pkts[i]->pkt_len;
		sent++;
	}
	if (slot != start) {
		/* Release: descriptors and buffers are written before the peer
		 * sees the new index. */
		if (q->client)
			__atomic_store_n(&ring->head, slot, __ATOMIC_RELEASE);
		else
			__atomic_store_n(&ring->tail, slot, __ATOMIC_RELEASE);
		memif_kick(q);
	}
	memif_leave(q);
	/* Copied or dropped, the first i are ours to free, in one batch. */
	if (i != 0)
		sl_mbuf_free_bulk(pkts, i);
	if (sent != 0) {
		sl_eth_queue_count(&q->stats.cnt.pkts, sent);
		sl_eth_queue_count(&q->stats.cnt.bytes, bytes);
	}
	if (sl_unlikely(errors != 0))
		sl_eth_queue_count(&q->stats.cnt.errors, errors);
	return i;
}
