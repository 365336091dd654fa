/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_af_packet burst functions.
 *
 * Spec: Documentation/networking/packet_mmap.rst (Linux 6.x), sections
 * "TPACKET_V3" (RX block ring) and "Transmission process" (TX frame ring).
 *
 * Ownership of ring memory is handed over through status words: the kernel
 * publishes an RX block by setting TP_STATUS_USER in its block_status, and
 * takes it back when we store TP_STATUS_KERNEL (after the last mbuf attached
 * to one of its frames is freed, see af_packet_ethdev.h); a TX frame is ours while its
 * tp_status is TP_STATUS_AVAILABLE (or WRONG_FORMAT) and the kernel's once we
 * store TP_STATUS_SEND_REQUEST.  Each hand-over is an acquire load or a
 * release store on that word (the kernel pairs them with smp_wmb/smp_rmb and
 * flush_dcache_page), so the data itself needs no further fence.
 *
 * No logging here; the only syscall is the TX kick, one sendto() per burst.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "af_packet_ethdev.h"
#include "sl_ether.h"
#include "sl_mbuf.h"

/* ---- RX (TPACKET_V3) ---- */

static __sl_always_inline struct tpacket_block_desc *
afp_block(const struct afp_rxq *rxq, uint32_t b)
{
	return (struct tpacket_block_desc *)(rxq->ring + (size_t)b * rxq->block_size);
}

void
afp_rxq_put(struct afp_rxq *rxq)
{
	/* Acq_rel: every use of the ring by the other holders is done before
	 * the last one unmaps it. */
	if (__atomic_sub_fetch(&rxq->refs, 1, __ATOMIC_ACQ_REL) == 0)
		afp_rxq_destroy(rxq);
}

/* The last reference to a block is gone: give it back to the kernel.  Runs
 * on the reader's thread or in sl_mbuf_free() on any thread. */
static void
afp_block_put(struct afp_rx_block *blk)
{
	struct afp_rxq *rxq = blk->rxq;
	struct tpacket_block_desc *bd = afp_block(rxq, (uint32_t)(blk - rxq->blocks));

	/* Release: every read of (and write into) the block's frames is done
	 * before the kernel may overwrite them. */
	__atomic_store_n(&bd->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
	/* Release, after the status: a reader that sees held == 0 sees the
	 * block's status as KERNEL or newer, never the stale USER of this lap. */
	__atomic_store_n(&blk->held, 0, __ATOMIC_RELEASE);
	afp_rxq_put(rxq);
}

/* sl_mbuf_ext_shared_info.free_cb of every block. */
static void
afp_extbuf_free(void *addr __sl_unused, void *opaque)
{
	afp_block_put(opaque);
}

/*
 * Start reading block @p blk: the reader's reference plus one for each of
 * its frames, taken up front (nothing else refers to the block yet, so a
 * plain store does); afp_block_leave() returns those of frames that got no
 * mbuf.
 */
static __sl_always_inline void
afp_block_enter(struct afp_rxq *rxq, struct afp_rx_block *blk, struct tpacket_block_desc *bd)
{
	rxq->left = bd->hdr.bh1.num_pkts;
	rxq->unattached = 0;
	rxq->next = (struct tpacket3_hdr *)((uint8_t *)bd + bd->hdr.bh1.offset_to_first_pkt);
	blk->held = 1;
	sl_mbuf_ext_refcnt_set(&blk->shinfo, rxq->left + 1);
	/* Relaxed: the block's mbufs reach other threads (and their frees)
	 * through whatever hands them over. */
	__atomic_add_fetch(&rxq->refs, 1, __ATOMIC_RELAXED);
}

/* Done with the current block: drop the reader's reference and those of the
 * frames that got no mbuf, and move to the next block. */
static __sl_always_inline void
afp_block_leave(struct afp_rxq *rxq, struct afp_rx_block *blk)
{
	if (sl_mbuf_ext_refcnt_update(&blk->shinfo, -(int32_t)(rxq->unattached + 1)) == 0)
		afp_block_put(blk);
	rxq->block = rxq->block + 1 == rxq->block_nr ? 0 : rxq->block + 1;
	rxq->left = 0;
}

/*
 * Append @p len bytes to the packet whose last segment is *@p tail, taking
 * more segments from the pool when the last one is full.
 * @return 0, or -ENOENT if the pool ran out (the packet is incomplete).
 */
static __sl_always_inline int
afp_append(struct sl_mbuf *head, struct sl_mbuf **tail, struct sl_mempool *mp,
	   const uint8_t *src, uint32_t len)
{
	while (len != 0) {
		struct sl_mbuf *t = *tail;
		uint32_t room = (uint32_t)t->buf_len - t->data_off - t->data_len;
		uint32_t c;

		if (sl_unlikely(room == 0)) {
			struct sl_mbuf *s = sl_mbuf_alloc(mp);

			if (s == NULL)
				return -ENOENT;
			t->next = s;
			head->nb_segs++;
			*tail = t = s;
			room = (uint32_t)t->buf_len - t->data_off;
		}
		c = SL_MIN(room, len);
		memcpy(sl_mbuf_mtod_offset(t, uint8_t *, t->data_len), src, c);
		t->data_len = (uint16_t)(t->data_len + c);
		head->pkt_len += c;
		src += c;
		len -= c;
	}
	return 0;
}

/*
 * Copy one frame out of the ring into a new packet.  The kernel strips an
 * 802.1Q/802.1ad tag into tp_vlan_tci before packet sockets see the frame
 * (packet(7)); we put it back so the packet is the frame that was on the
 * wire.
 * @return the packet, or NULL if the pool ran out (nothing is kept).
 */
static __sl_noinline struct sl_mbuf *
afp_rx_copy(struct afp_rxq *rxq, const struct tpacket3_hdr *h)
{
	const uint8_t *data = (const uint8_t *)h + h->tp_mac;
	uint32_t len = h->tp_snaplen;
	struct sl_mbuf *m = sl_mbuf_alloc(rxq->mp), *tail = m;
	int ret;

	if (sl_unlikely(m == NULL))
		return NULL;
	m->port = rxq->port_id;
	if (sl_unlikely((h->tp_status & TP_STATUS_VLAN_VALID) != 0 && len >= 12)) {
		uint16_t tpid = (h->tp_status & TP_STATUS_VLAN_TPID_VALID) != 0 ?
				h->hv1.tp_vlan_tpid : 0x8100;
		uint8_t tag[4] = { (uint8_t)(tpid >> 8), (uint8_t)tpid,
				   (uint8_t)(h->hv1.tp_vlan_tci >> 8), (uint8_t)h->hv1.tp_vlan_tci };

		ret = afp_append(m, &tail, rxq->mp, data, 12);
		ret |= afp_append(m, &tail, rxq->mp, tag, sizeof(tag));
		ret |= afp_append(m, &tail, rxq->mp, data + 12, len - 12);
	} else {
		ret = afp_append(m, &tail, rxq->mp, data, len);
	}
	if (sl_unlikely(ret != 0)) {
		sl_mbuf_free(m);
		return NULL;
	}
	return m;
}

/*
 * Put a stripped VLAN tag back in front of the frame's EtherType in the
 * ring: the 12 address bytes move 4 bytes down, into the unused end of the
 * frame's struct sockaddr_ll (the frame header itself stays intact).
 * @return the new offset of the frame from @p h.
 */
static __sl_noinline uint16_t
afp_rx_vlan_insert(struct tpacket3_hdr *h)
{
	uint8_t *data = (uint8_t *)h + h->tp_mac;
	uint16_t tpid = (h->tp_status & TP_STATUS_VLAN_TPID_VALID) != 0 ? h->hv1.tp_vlan_tpid :
									  0x8100;

	memmove(data - 4, data, 12);
	data[8] = (uint8_t)(tpid >> 8);
	data[9] = (uint8_t)tpid;
	data[10] = (uint8_t)(h->hv1.tp_vlan_tci >> 8);
	data[11] = (uint8_t)h->hv1.tp_vlan_tci;
	return (uint16_t)(h->tp_mac - 4);
}

/*
 * One frame of block @p blk into a new packet: attached in place when it is
 * longer than rxcopy= and fits one mbuf (buf_len is 16-bit), else copied.
 * @p room is the frame's slot in the ring, from @p h: the mbuf's buffer, so
 * the frame header and its struct sockaddr_ll are headroom.
 * @return the packet, or NULL if the pool ran out (the frame stays unread).
 */
static __sl_always_inline struct sl_mbuf *
afp_rx_frame(struct afp_rxq *rxq, struct afp_rx_block *blk, struct tpacket3_hdr *h,
	     uint32_t room)
{
	uint32_t len = h->tp_snaplen;
	uint16_t off = h->tp_mac;
	struct sl_mbuf *m;

	room = SL_MIN(room, (uint32_t)UINT16_MAX);
	if (len <= rxq->copy_max || sl_unlikely(off + len > room) ||
	    sl_unlikely((h->tp_status & TP_STATUS_VLAN_VALID) != 0 &&
			(off < sizeof(*h) + 4 || len < 12))) {
		m = afp_rx_copy(rxq, h);
		rxq->unattached += m != NULL;
		return m;
	}
	m = sl_mbuf_alloc(rxq->mp);
	if (sl_unlikely(m == NULL))
		return NULL;
	if (sl_unlikely((h->tp_status & TP_STATUS_VLAN_VALID) != 0)) {
		off = afp_rx_vlan_insert(h);
		len += 4;
	}
	/* The frame's reference was taken by afp_block_enter(). */
	sl_mbuf_attach_extbuf(m, h, SL_BAD_IOVA, (uint16_t)room, &blk->shinfo);
	m->data_off = off;
	m->data_len = (uint16_t)len;
	m->pkt_len = len;
	m->port = rxq->port_id;
	return m;
}

uint16_t
afp_rx(void *q, struct sl_mbuf **pkts, uint16_t n)
{
	struct afp_rxq *rxq = q;
	uint64_t bytes = 0, errors = 0;
	uint16_t nb = 0;

	while (nb < n) {
		struct afp_rx_block *blk = &rxq->blocks[rxq->block];
		struct tpacket_block_desc *bd = afp_block(rxq, rxq->block);
		struct tpacket3_hdr *h;
		uint32_t room;

		if (rxq->left == 0) {
			/* Acquire: the block's status is the kernel's again (or
			 * newer) once held is 0; see afp_block_put(). */
			if (__atomic_load_n(&blk->held, __ATOMIC_ACQUIRE) != 0)
				break; /* mbufs of the last lap still hold it */
			/* Acquire: the frames in the block are complete once we
			 * see TP_STATUS_USER. */
			if ((__atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) &
			     TP_STATUS_USER) == 0)
				break;
			afp_block_enter(rxq, blk, bd);
			if (sl_unlikely(rxq->left == 0)) {
				afp_block_leave(rxq, blk);
				continue;
			}
		}
		h = rxq->next;
		room = h->tp_next_offset != 0 ? h->tp_next_offset :
		       rxq->block_size - (uint32_t)((uint8_t *)h - (uint8_t *)bd);
		if (sl_likely(h->tp_snaplen == h->tp_len)) {
			struct sl_mbuf *m = afp_rx_frame(rxq, blk, h, room);

			if (sl_unlikely(m == NULL)) {
				/* Keep the frame: the next burst retries it.  If the
				 * pool stays empty the ring fills and the kernel counts
				 * the drops (imissed). */
				sl_eth_queue_count(&rxq->stats.cnt.nombuf, 1);
				break;
			}
			bytes += m->pkt_len;
			pkts[nb++] = m;
		} else {
			errors++; /* cut short by the kernel: bigger than a block */
			rxq->unattached++;
		}
		/* The next frame's offset is read before the caller may write
		 * into this frame's headroom (the frame header). */
		if (--rxq->left == 0)
			afp_block_leave(rxq, blk);
		else
			rxq->next = (struct tpacket3_hdr *)((uint8_t *)h + h->tp_next_offset);
	}
	if (nb != 0) {
		sl_eth_queue_count(&rxq->stats.cnt.pkts, nb);
		sl_eth_queue_count(&rxq->stats.cnt.bytes, bytes);
	}
	if (sl_unlikely(errors != 0))
		sl_eth_queue_count(&rxq->stats.cnt.errors, errors);
	return nb;
}

void
afp_rxq_blocks_init(struct afp_rxq *rxq)
{
	for (uint32_t i = 0; i < rxq->block_nr; i++) {
		rxq->blocks[i].shinfo.free_cb = afp_extbuf_free;
		rxq->blocks[i].shinfo.fcb_opaque = &rxq->blocks[i];
		rxq->blocks[i].rxq = rxq;
	}
	rxq->refs = 1;
}

bool
afp_rxq_flush(struct afp_rxq *rxq)
{
	struct afp_rx_block *blk;
	struct tpacket_block_desc *bd;

	if (rxq->left != 0) {
		/* The rest of the current block is dropped: no mbuf on it. */
		rxq->unattached += rxq->left;
		afp_block_leave(rxq, &rxq->blocks[rxq->block]);
	}
	/* The blocks the kernel handed over and nobody read follow the reader,
	 * in ring order; the first one that is not the user's is where the
	 * kernel writes next. */
	for (uint32_t i = 0; i < rxq->block_nr; i++) {
		blk = &rxq->blocks[rxq->block];
		bd = afp_block(rxq, rxq->block);
		/* Acquire, paired as in afp_rx(). */
		if (__atomic_load_n(&blk->held, __ATOMIC_ACQUIRE) != 0 ||
		    (__atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) &
		     TP_STATUS_USER) == 0)
			break;
		/* Release: paired with the kernel's acquire of the block. */
		__atomic_store_n(&bd->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
		rxq->block = rxq->block + 1 == rxq->block_nr ? 0 : rxq->block + 1;
	}
	rxq->next = NULL;
	/*
	 * The block where the kernel writes next may already hold frames: it
	 * hands it over only when it is full or its timer retires it.  The
	 * kernel zeroes num_pkts when it opens a block, so a count left from
	 * the last lap can only make the caller wait for nothing.
	 */
	blk = &rxq->blocks[rxq->block];
	bd = afp_block(rxq, rxq->block);
	return __atomic_load_n(&blk->held, __ATOMIC_ACQUIRE) == 0 &&
	       (__atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) &
		TP_STATUS_USER) == 0 &&
	       __atomic_load_n(&bd->hdr.bh1.num_pkts, __ATOMIC_RELAXED) != 0;
}

/* ---- TX (TPACKET_V2) ---- */

void
afp_txq_mtu_set(struct afp_txq *txq, uint32_t mtu)
{
	uint32_t room = txq->frame_size - (uint32_t)AFP_TX_PKT_OFF;

	/* The kernel's own rule without the header: MTU plus the link header,
	 * plus 4 for a VLAN-tagged frame (af_packet.c,
	 * packet_extra_vlan_len_allowed()).  Written while the port is
	 * stopped, or racing one burst that then uses the old bound. */
	txq->max_len = SL_MIN(room, mtu + (uint32_t)SL_ETHER_HDR_LEN);
	txq->max_len_vlan = SL_MIN(room, mtu + (uint32_t)SL_ETHER_HDR_LEN + SL_VLAN_HLEN);
}

/* A frame longer than max_len may still go if it carries a VLAN tag. */
static __sl_noinline bool
afp_tx_len_ok(const struct afp_txq *txq, const struct sl_mbuf *m)
{
	const struct sl_ether_hdr *eh = sl_mbuf_mtod(m, const struct sl_ether_hdr *);

	return m->pkt_len <= txq->max_len_vlan && m->data_len >= SL_ETHER_HDR_LEN &&
	       (eh->ether_type == sl_cpu_to_be16(SL_ETHER_TYPE_VLAN) ||
		eh->ether_type == sl_cpu_to_be16(SL_ETHER_TYPE_QINQ));
}

/* Packets a TX burst frees in one sl_mbuf_free_bulk(). */
#define AFP_TX_FREE_BATCH 64

uint16_t
afp_tx(void *q, struct sl_mbuf **pkts, uint16_t n)
{
	struct afp_txq *txq = q;
	uint32_t frame = txq->frame;
	uint64_t bytes = 0, errors = 0;
	uint16_t queued = 0, i;
	/*
	 * Sent (or dropped) packets are freed together, after the kick, not
	 * one by one after their copy: freeing an mbuf attached to an RX ring
	 * (rxcopy=) is a locked decrement, which would wait for the copy's
	 * stores to drain every time.
	 */
	struct sl_mbuf *done[AFP_TX_FREE_BATCH];
	unsigned int nd = 0;

	for (i = 0; i < n; i++) {
		struct tpacket2_hdr *h = (struct tpacket2_hdr *)(txq->ring +
								 (size_t)frame * txq->frame_size);
		/* Acquire: the kernel is done reading the frame once it is
		 * AVAILABLE (or WRONG_FORMAT) again. */
		uint32_t st = __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
		struct sl_mbuf *m = pkts[i];
		struct virtio_net_hdr *vh = (struct virtio_net_hdr *)((uint8_t *)h + AFP_TX_DATA_OFF);
		uint8_t *dst = (uint8_t *)h + AFP_TX_PKT_OFF;

		if (st & (TP_STATUS_SEND_REQUEST | TP_STATUS_SENDING))
			break; /* ring full: the rest stays the caller's */
		if (sl_unlikely(nd == AFP_TX_FREE_BATCH)) {
			sl_mbuf_free_bulk(done, nd);
			nd = 0;
		}
		if (sl_unlikely(m->pkt_len > txq->max_len) && !afp_tx_len_ok(txq, m)) {
			errors++; /* taken and dropped: above the MTU or the frame */
			done[nd++] = m;
			continue;
		}
		if (sl_unlikely(st & TP_STATUS_WRONG_FORMAT))
			errors++; /* the kernel refused what this frame held last time */
		for (const struct sl_mbuf *s = m; s != NULL; s = s->next) {
			memcpy(dst, sl_mbuf_mtod(s, const void *), s->data_len);
			dst += s->data_len;
		}
		/* No offload, no GSO: only hdr_len means something (see the
		 * header file); 0 leaves the kernel's minimum, the link header. */
		*vh = (struct virtio_net_hdr){
			.hdr_len = (uint16_t)(m->pkt_len <= txq->copy_max ? m->pkt_len : 0),
		};
		h->tp_len = m->pkt_len + (uint32_t)sizeof(*vh);
		bytes += m->pkt_len;
		/* Release: the frame's bytes and tp_len are visible before the
		 * kernel can see SEND_REQUEST. */
		__atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
		frame = frame + 1 == txq->frame_nr ? 0 : frame + 1;
		queued++;
		done[nd++] = m;
	}
	txq->frame = frame;
	/* The kick: one non-blocking sendto() sends every SEND_REQUEST frame.
	 * Also kick when the ring was full so the kernel drains it.  A failure
	 * (ENOBUFS, ENETDOWN) leaves the frames queued for the next kick. */
	if (queued != 0 || i < n)
		(void)sendto(txq->fd, NULL, 0, MSG_DONTWAIT, NULL, 0);
	if (nd != 0)
		sl_mbuf_free_bulk(done, nd);
	if (queued != 0) {
		sl_eth_queue_count(&txq->stats.cnt.pkts, queued);
		sl_eth_queue_count(&txq->stats.cnt.bytes, bytes);
	}
	if (sl_unlikely(errors != 0))
		sl_eth_queue_count(&txq->stats.cnt.errors, errors);
	return i;
}
