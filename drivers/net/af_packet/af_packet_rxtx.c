/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_af_packet burst functions.
 *
 * Spec: Documentation/networking/packet_mmap.rst (Linux 6.x), sections
 * "TPACKET_V3" (RX block ring) and "Transmission process" (TX frame ring).
 *
 * Ownership of ring memory is handed over through status words: the kernel
 * publishes an RX block by setting TP_STATUS_USER in its block_status, and
 * takes it back when we store TP_STATUS_KERNEL; a TX frame is ours while its
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
#include "sl_mbuf.h"

/* ---- RX (TPACKET_V3) ---- */

static __sl_always_inline struct tpacket_block_desc *
afp_block(const struct afp_rxq *rxq, uint32_t b)
{
	return (struct tpacket_block_desc *)(rxq->ring + (size_t)b * rxq->block_size);
}

/* Hand block @p b back to the kernel and move to the next one. */
static __sl_always_inline void
afp_block_release(struct afp_rxq *rxq, struct tpacket_block_desc *bd)
{
	/* Release: our copies out of the block are done before the kernel may
	 * overwrite it. */
	__atomic_store_n(&bd->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
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
static __sl_always_inline struct sl_mbuf *
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

uint16_t
afp_rx(void *q, struct sl_mbuf **pkts, uint16_t n)
{
	struct afp_rxq *rxq = q;
	uint64_t bytes = 0, errors = 0;
	uint16_t nb = 0;

	while (nb < n) {
		struct tpacket_block_desc *bd = afp_block(rxq, rxq->block);
		struct tpacket3_hdr *h;

		if (rxq->left == 0) {
			/* Acquire: the frames in the block are complete once we
			 * see TP_STATUS_USER. */
			if ((__atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) &
			     TP_STATUS_USER) == 0)
				break;
			rxq->left = bd->hdr.bh1.num_pkts;
			rxq->next = (struct tpacket3_hdr *)((uint8_t *)bd +
							    bd->hdr.bh1.offset_to_first_pkt);
			if (sl_unlikely(rxq->left == 0)) {
				afp_block_release(rxq, bd);
				continue;
			}
		}
		h = rxq->next;
		if (sl_likely(h->tp_snaplen == h->tp_len)) {
			struct sl_mbuf *m = afp_rx_copy(rxq, h);

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
		}
		if (--rxq->left == 0)
			afp_block_release(rxq, bd);
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
afp_rxq_flush(struct afp_rxq *rxq)
{
	for (uint32_t i = 0; i < rxq->block_nr; i++) {
		struct tpacket_block_desc *bd = afp_block(rxq, i);

		/* Paired with the kernel's publication of the block (see top). */
		if (__atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER)
			__atomic_store_n(&bd->hdr.bh1.block_status, TP_STATUS_KERNEL,
					 __ATOMIC_RELEASE);
	}
	rxq->block = 0;
	rxq->left = 0;
	rxq->next = NULL;
}

/* ---- TX (TPACKET_V2) ---- */

uint16_t
afp_tx(void *q, struct sl_mbuf **pkts, uint16_t n)
{
	struct afp_txq *txq = q;
	uint32_t frame = txq->frame;
	uint64_t bytes = 0, errors = 0;
	uint16_t queued = 0, i;

	for (i = 0; i < n; i++) {
		struct tpacket2_hdr *h = (struct tpacket2_hdr *)(txq->ring +
								 (size_t)frame * txq->frame_size);
		/* Acquire: the kernel is done reading the frame once it is
		 * AVAILABLE (or WRONG_FORMAT) again. */
		uint32_t st = __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
		struct sl_mbuf *m = pkts[i];
		uint8_t *dst = (uint8_t *)h + AFP_TX_DATA_OFF;

		if (st & (TP_STATUS_SEND_REQUEST | TP_STATUS_SENDING))
			break; /* ring full: the rest stays the caller's */
		if (sl_unlikely(m->pkt_len > txq->max_len)) {
			errors++; /* taken and dropped: no frame can hold it */
			sl_mbuf_free(m);
			continue;
		}
		if (sl_unlikely(st & TP_STATUS_WRONG_FORMAT))
			errors++; /* the kernel refused what this frame held last time */
		for (const struct sl_mbuf *s = m; s != NULL; s = s->next) {
			memcpy(dst, sl_mbuf_mtod(s, const void *), s->data_len);
			dst += s->data_len;
		}
		h->tp_len = m->pkt_len;
		bytes += m->pkt_len;
		/* Release: the frame's bytes and tp_len are visible before the
		 * kernel can see SEND_REQUEST. */
		__atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
		frame = frame + 1 == txq->frame_nr ? 0 : frame + 1;
		queued++;
		sl_mbuf_free(m);
	}
	txq->frame = frame;
	/* The kick: one non-blocking sendto() sends every SEND_REQUEST frame.
	 * Also kick when the ring was full so the kernel drains it.  A failure
	 * (ENOBUFS, ENETDOWN) leaves the frames queued for the next kick. */
	if (queued != 0 || i < n)
		(void)sendto(txq->fd, NULL, 0, MSG_DONTWAIT, NULL, 0);
	if (queued != 0) {
		sl_eth_queue_count(&txq->stats.cnt.pkts, queued);
		sl_eth_queue_count(&txq->stats.cnt.bytes, bytes);
	}
	if (sl_unlikely(errors != 0))
		sl_eth_queue_count(&txq->stats.cnt.errors, errors);
	return i;
}
