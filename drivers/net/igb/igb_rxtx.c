/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * igb data path (82576 PF and VF): advanced receive descriptors in the
 * one-buffer layout, advanced transmit data descriptors with a context
 * descriptor when a packet needs checksum insertion or a VLAN tag.  Every
 * queue has its own ring in a hugepage memzone that the NIC reaches through
 * the IOMMU at its IOVA.
 *
 * References: [DS] 82576EB datasheet rev. 2.63: 7.1.5 (advanced receive
 * descriptors), 7.2.2 (advanced transmit descriptors), 7.2.3 (transmit
 * context), 4.5.9/4.5.10 (queue initialization and enable).
 *
 * Ownership: software owns the descriptors from the tail register up to
 * (not including) the head register; the NIC reports each finished one by
 * setting DD.  One descriptor stays unused so that head == tail is "empty".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sl_log.h"
#include "sl_malloc.h"
#include "sl_mbuf.h"
#include "sl_mempool.h"
#include "sl_memzone.h"
#include "sl_mmio.h"

#include "igb_ethdev.h"

#define IGB_QUEUE_ENABLE_TIMEOUT_US 10000 /* RXDCTL/TXDCTL.ENABLE settles in us */

static inline uint16_t
ring_next(uint16_t i, uint16_t n)
{
	return (uint16_t)(i + 1 == n ? 0 : i + 1);
}

/* ======================================================================= */
/* RX                                                                       */
/* ======================================================================= */

static inline uint64_t
rx_csum_flags(uint32_t staterr)
{
	uint64_t f = 0;

	if (staterr & IGB_RXD_STAT_IPCS)
		f |= (staterr & IGB_RXD_ERR_IPE) ? SL_MBUF_F_RX_IP_CKSUM_BAD :
						   SL_MBUF_F_RX_IP_CKSUM_GOOD;
	if (staterr & IGB_RXD_STAT_L4CS)
		f |= (staterr & IGB_RXD_ERR_L4E) ? SL_MBUF_F_RX_L4_CKSUM_BAD :
						   SL_MBUF_F_RX_L4_CKSUM_GOOD;
	return f;
}

uint16_t
igb_recv_pkts(void *queue, struct sl_mbuf **pkts, uint16_t nb_pkts)
{
	struct igb_rx_queue *rxq = queue;
	union igb_rx_desc *ring = rxq->ring;
	struct sl_mbuf **sw = rxq->sw_ring;
	struct sl_mbuf *first = rxq->seg_first;
	struct sl_mbuf *last = rxq->seg_last;
	const uint16_t nb_desc = rxq->nb_desc;
	uint16_t idx = rxq->next;
	uint16_t nb_rx = 0, nb_done = 0;
	uint64_t bytes = 0;

	if (sl_unlikely(rxq->stopped))
		return 0;
	while (nb_rx < nb_pkts) {
		union igb_rx_desc *rxd = &ring[idx];
		struct sl_mbuf *m, *nmb;
		uint32_t staterr, hash = 0;
		uint16_t len, vtag = 0;
		uint64_t ol = 0;

		staterr = sl_read32_relaxed(&rxd->wb.status_error);
		if (!(staterr & IGB_RXD_STAT_DD))
			break;
		/* The NIC writes the rest of the descriptor before DD
		 * ([DS] 7.1.5.2): read it only after DD was seen. */
		sl_io_rmb();
		len = rxd->wb.length;

		if (sl_unlikely(rxq->stash_n == 0)) {
			if (sl_mbuf_alloc_bulk(rxq->mp, rxq->stash, IGB_RX_STASH) < 0) {
				rxq->nombuf++;
				break;
			}
			rxq->stash_n = IGB_RX_STASH;
		}
		nmb = rxq->stash[--rxq->stash_n];

		m = sw[idx];
		if (staterr & IGB_RXD_STAT_EOP) {
			/* Metadata is in the EOP descriptor only; read it
			 * before the slot goes back to the read format. */
			if (rxq->rss && (rxd->wb.pkt_info & IGB_RXD_RSS_TYPE_MASK)) {
				hash = rxd->wb.rss;
				ol |= SL_MBUF_F_RX_RSS_HASH;
			}
			if (rxq->vlan_strip && (staterr & IGB_RXD_STAT_VP)) {
				vtag = rxd->wb.vlan;
				ol |= SL_MBUF_F_RX_VLAN | SL_MBUF_F_RX_VLAN_STRIPPED;
			}
			if (rxq->csum)
				ol |= rx_csum_flags(staterr);
		}
		sw[idx] = nmb;
		/* Back to the read format: hdr_addr = 0 also clears the
		 * write-back status word (same bytes), so DD reads 0 until
		 * the NIC fills this slot again. */
		rxd->read.pkt_addr = nmb->buf_iova + nmb->data_off;
		rxd->read.hdr_addr = 0;

		m->data_len = len;
		if (first == NULL) {
			first = m;
			m->pkt_len = len;
		} else {
			last->next = m;
			first->nb_segs++;
			first->pkt_len += len;
		}
		last = m;
		idx = ring_next(idx, nb_desc);
		nb_done++;

		if (!(staterr & IGB_RXD_STAT_EOP))
			continue;
		if (sl_unlikely(staterr & IGB_RXD_ERR_RXE)) {
			sl_mbuf_free(first);
			rxq->ierrors++;
			first = NULL;
			continue;
		}
		first->port = rxq->port_id;
		first->ol_flags = ol;
		first->hash.rss = hash;
		first->vlan_tci = vtag;
		bytes += first->pkt_len;
		pkts[nb_rx++] = first;
		first = NULL;
	}

	rxq->next = idx;
	rxq->seg_first = first;
	rxq->seg_last = last;
	rxq->ipackets += nb_rx;
	rxq->ibytes += bytes;

	rxq->nb_hold = (uint16_t)(rxq->nb_hold + nb_done);
	if (rxq->nb_hold > rxq->free_thresh) {
		/* One tail write per batch; sl_write32() orders the
		 * descriptor stores above before it ([DS] 7.1.4). */
		sl_write32(idx == 0 ? nb_desc - 1u : idx - 1u, rxq->rdt_reg);
		rxq->nb_hold = 0;
	}
	return nb_rx;
}

void
igb_rx_queue_reset(struct igb_rx_queue *rxq)
{
	for (uint16_t i = 0; i < rxq->nb_desc; i++) {
		if (rxq->sw_ring[i]) {
			sl_mbuf_free(rxq->sw_ring[i]);
			rxq->sw_ring[i] = NULL;
		}
	}
	if (rxq->seg_first) {
		sl_mbuf_free(rxq->seg_first);
		rxq->seg_first = rxq->seg_last = NULL;
	}
	if (rxq->stash_n) {
		sl_mbuf_free_bulk(rxq->stash, rxq->stash_n);
		rxq->stash_n = 0;
	}
	rxq->next = 0;
	rxq->nb_hold = 0;
}

int
igb_rx_queue_disable(struct igb_adapter *ad, uint16_t qid)
{
	igb_write(ad, IGB_RXDCTL(qid), igb_read(ad, IGB_RXDCTL(qid)) & ~IGB_XDCTL_ENABLE);
	/* [DS] 4.5.9: the queue is off once ENABLE reads back 0. */
	return sl_poll32(ad->regs + IGB_RXDCTL(qid), IGB_XDCTL_ENABLE, 0,
			 IGB_QUEUE_ENABLE_TIMEOUT_US);
}

int
igb_rx_queue_init(struct igb_adapter *ad, struct igb_rx_queue *rxq)
{
	uint16_t q = rxq->queue_id;
	uint64_t base = rxq->mz->iova;
	uint32_t srrctl;

	igb_rx_queue_reset(rxq);
	if (sl_mbuf_alloc_bulk(rxq->mp, rxq->sw_ring, rxq->nb_desc) < 0) {
		SL_LOG(ERR, IGB, "port %u RX queue %u: pool has fewer than %u free mbufs to fill "
		       "the ring; create a bigger pool", rxq->port_id, q, rxq->nb_desc);
		memset(rxq->sw_ring, 0, rxq->nb_desc * sizeof(*rxq->sw_ring));
		return -ENOMEM;
	}
	for (uint16_t i = 0; i < rxq->nb_desc; i++) {
		struct sl_mbuf *m = rxq->sw_ring[i];
		rxq->ring[i].read.pkt_addr = m->buf_iova + m->data_off;
		rxq->ring[i].read.hdr_addr = 0;
	}
	/* [DS] 4.5.9 Receive Initialization, per queue: base, length,
	 * SRRCTL (advanced one-buffer descriptors, buffer size in KiB),
	 * then RXDCTL.ENABLE and, once it reads back, the tail. */
	igb_write(ad, IGB_RDBAL(q), (uint32_t)base);
	igb_write(ad, IGB_RDBAH(q), (uint32_t)(base >> 32));
	igb_write(ad, IGB_RDLEN(q), (uint32_t)rxq->nb_desc * sizeof(union igb_rx_desc));
	srrctl = IGB_SRRCTL_DESCTYPE_ADV_ONE | ((uint32_t)rxq->buf_len >> IGB_SRRCTL_BSIZEPKT_SHIFT);
	/* DROP_EN: a full ring drops its own packets instead of stalling
	 * every queue behind it (one slow core must not stop the others). */
	srrctl |= IGB_SRRCTL_DROP_EN;
	igb_write(ad, IGB_SRRCTL(q), srrctl);
	igb_write(ad, IGB_RDH(q), 0);
	igb_write(ad, IGB_RDT(q), 0);
	igb_write(ad, IGB_RXDCTL(q), IGB_XDCTL_ENABLE);
	if (sl_poll32(ad->regs + IGB_RXDCTL(q), IGB_XDCTL_ENABLE, IGB_XDCTL_ENABLE,
		      IGB_QUEUE_ENABLE_TIMEOUT_US) < 0) {
		SL_LOG(ERR, IGB, "port %u RX queue %u: RXDCTL.ENABLE did not read back within %u us",
		       rxq->port_id, q, IGB_QUEUE_ENABLE_TIMEOUT_US);
		igb_rx_queue_reset(rxq);
		return -ETIMEDOUT;
	}
	rxq->rdt_reg = ad->regs + IGB_RDT(q);
	sl_write32(rxq->nb_desc - 1u, rxq->rdt_reg);
	rxq->stopped = 0;
	return 0;
}

int
igb_rx_queue_setup(struct sl_eth_dev *dev, uint16_t qid, uint16_t nb_desc, int socket_id,
		   const struct sl_eth_rxconf *conf, struct sl_mempool *mp)
{
	uint64_t offloads = dev->data.dev_conf.rxmode.offloads | conf->offloads;
	struct igb_rx_queue *rxq;
	char name[SL_MEMZONE_NAMESIZE];
	uint32_t room;

	if (nb_desc % IGB_DESC_PER_ALIGN) {
		SL_LOG(ERR, IGB, "port %u: RX ring size %u is not a multiple of %u",
		       dev->data.port_id, nb_desc, IGB_DESC_PER_ALIGN);
		return -EINVAL;
	}
	room = sl_mbuf_data_room_size(mp);
	/* SRRCTL.BSIZEPACKET counts whole KiB ([DS] 8.10 SRRCTL). */
	if (room < SL_PKTMBUF_HEADROOM + 1024) {
		SL_LOG(ERR, IGB, "port %u: mbuf data room %u too small; need at least %u",
		       dev->data.port_id, room, SL_PKTMBUF_HEADROOM + 1024);
		return -EINVAL;
	}
	rxq = sl_zmalloc_socket("igb_rxq", sizeof(*rxq), SL_CACHE_LINE_SIZE, socket_id);
	if (rxq == NULL)
		return -ENOMEM;
	rxq->sw_ring = sl_zmalloc_socket("igb_rx_sw", nb_desc * sizeof(*rxq->sw_ring),
					 SL_CACHE_LINE_SIZE, socket_id);
	if (rxq->sw_ring == NULL)
		goto err_q;
	snprintf(name, sizeof(name), "igb_rx_p%u_q%u", dev->data.port_id, qid);
	rxq->mz = sl_memzone_reserve_aligned(name, (size_t)nb_desc * sizeof(union igb_rx_desc),
					     socket_id, SL_MEMZONE_IOVA_CONTIG, 4096);
	if (rxq->mz == NULL) {
		SL_LOG(ERR, IGB, "port %u: cannot reserve RX ring memzone %s: %s",
		       dev->data.port_id, name, strerror(errno));
		goto err_sw;
	}
	rxq->ring = rxq->mz->addr;
	memset(rxq->ring, 0, rxq->mz->len);
	rxq->mp = mp;
	rxq->nb_desc = nb_desc;
	rxq->free_thresh = conf->rx_free_thresh && conf->rx_free_thresh < nb_desc ?
				   conf->rx_free_thresh : IGB_RX_FREE_THRESH;
	if (rxq->free_thresh >= nb_desc)
		rxq->free_thresh = nb_desc / 2;
	rxq->port_id = dev->data.port_id;
	rxq->queue_id = qid;
	rxq->csum = !!(offloads & (SL_ETH_RX_OFFLOAD_IPV4_CKSUM | SL_ETH_RX_OFFLOAD_UDP_CKSUM |
				   SL_ETH_RX_OFFLOAD_TCP_CKSUM));
	rxq->rss = dev->data.dev_conf.rxmode.mq_mode == SL_ETH_MQ_RX_RSS;
	rxq->vlan_strip = !!(offloads & SL_ETH_RX_OFFLOAD_VLAN_STRIP);
	/* Whole KiB, at most 16 KiB - 1 KiB of SRRCTL's 7-bit field. */
	rxq->buf_len = (uint16_t)(SL_MIN(room - SL_PKTMBUF_HEADROOM, 15360u) & ~1023u);
	rxq->stopped = 1;
	dev->data.rx_queues[qid] = rxq;
	return 0;
err_sw:
	sl_free(rxq->sw_ring);
err_q:
	sl_free(rxq);
	return -ENOMEM;
}

void
igb_rx_queue_release(struct sl_eth_dev *dev, uint16_t qid)
{
	struct igb_rx_queue *rxq = dev->data.rx_queues[qid];

	if (rxq == NULL)
		return;
	igb_rx_queue_reset(rxq);
	sl_memzone_free(rxq->mz);
	sl_free(rxq->sw_ring);
	sl_free(rxq);
}

/* ======================================================================= */
/* TX                                                                       */
/* ======================================================================= */

#define TX_CTX_FLAGS (SL_MBUF_F_TX_IP_CKSUM | SL_MBUF_F_TX_L4_MASK | SL_MBUF_F_TX_VLAN)

static void
tx_free_flush(struct sl_mbuf **batch, unsigned int *nb)
{
	if (*nb) {
		sl_mempool_put_bulk(batch[0]->pool, (void *const *)batch, *nb);
		*nb = 0;
	}
}

/* Reclaim every descriptor up to the oldest RS descriptor marked done. */
static void
tx_reclaim(struct igb_tx_queue *txq)
{
	struct sl_mbuf *batch[IGB_TX_FREE_BATCH];
	unsigned int nb = 0;
	uint16_t clean = txq->clean;

	while (txq->rs_head != txq->rs_tail) {
		uint16_t rs = txq->rs_fifo[txq->rs_head];
		uint16_t freed = 0;

		if (!(sl_read32_relaxed(&txq->ring[rs].data.olinfo_status) & IGB_TXD_STAT_DD))
			break;
		/* DD on the RS descriptor: the NIC has read every earlier
		 * descriptor and its buffer ([DS] 7.2.2.3 write-back). */
		for (;;) {
			struct sl_mbuf *m = txq->sw_ring[clean];
			if (m != NULL) {
				txq->sw_ring[clean] = NULL;
				m = sl_mbuf_prefree_seg(m);
				if (m != NULL) {
					if (nb == IGB_TX_FREE_BATCH ||
					    (nb && batch[0]->pool != m->pool))
						tx_free_flush(batch, &nb);
					batch[nb++] = m;
				}
			}
			freed++;
			if (clean == rs) {
				clean = ring_next(clean, txq->nb_desc);
				break;
			}
			clean = ring_next(clean, txq->nb_desc);
		}
		txq->nb_free = (uint16_t)(txq->nb_free + freed);
		txq->rs_head = ring_next(txq->rs_head, txq->nb_desc);
	}
	tx_free_flush(batch, &nb);
	txq->clean = clean;
}

static inline uint64_t
tx_ctx_key(const struct sl_mbuf *m)
{
	return (m->ol_flags & TX_CTX_FLAGS) | ((uint64_t)m->l2_len << 8) |
	       ((uint64_t)m->l3_len << 16) | ((uint64_t)m->vlan_tci << 32) | 1;
}

/* [DS] 7.2.2.2: header lengths, L4 type and the VLAN tag for the packets
 * that follow (context slot 0). */
static inline void
tx_write_ctx(struct igb_tx_ctx_desc *ctx, const struct sl_mbuf *m)
{
	uint32_t tucmd = IGB_TXD_DTYP_CTXT | IGB_TXD_CMD_DEXT;
	struct igb_tx_ctx_desc c = { 0 };

	if (m->ol_flags & SL_MBUF_F_TX_IPV4)
		tucmd |= IGB_TXD_TUCMD_IPV4;
	if ((m->ol_flags & SL_MBUF_F_TX_L4_MASK) == SL_MBUF_F_TX_TCP_CKSUM)
		tucmd |= IGB_TXD_TUCMD_L4T_TCP;
	c.vlan_macip_lens = (uint32_t)m->l3_len | ((uint32_t)m->l2_len << IGB_TXD_MACLEN_SHIFT);
	if (m->ol_flags & SL_MBUF_F_TX_VLAN)
		c.vlan_macip_lens |= (uint32_t)m->vlan_tci << IGB_TXD_VLAN_SHIFT;
	c.type_tucmd_mlhl = tucmd;
	*ctx = c;
}

/* Extra descriptors needed because segments cross a split boundary. */
static uint16_t
tx_crossings(const struct sl_mbuf *m, uint64_t mask)
{
	uint16_t n = 0;

	for (; m != NULL; m = m->next) {
		uint64_t off = (m->buf_iova + m->data_off) & mask;
		if (m->data_len)
			n = (uint16_t)(n + (off + m->data_len - 1) / (mask + 1));
	}
	return n;
}

uint16_t
igb_xmit_pkts(void *queue, struct sl_mbuf **pkts, uint16_t nb_pkts)
{
	struct igb_tx_queue *txq = queue;
	union igb_tx_any *ring = txq->ring;
	const uint16_t nb_desc = txq->nb_desc;
	uint16_t tail = txq->tail;
	uint64_t bytes = 0;
	uint16_t n;

	if (sl_unlikely(txq->stopped))
		return 0;
	if (txq->nb_free < txq->free_thresh)
		tx_reclaim(txq);

	for (n = 0; n < nb_pkts; n++) {
		struct sl_mbuf *m = pkts[n];
		uint64_t ol = m->ol_flags & TX_CTX_FLAGS;
		uint64_t key = ol ? tx_ctx_key(m) : 0;
		int need_ctx = ol && key != txq->ctx_key;
		uint16_t need = (uint16_t)(m->nb_segs + need_ctx);

		if (txq->split_mask != 0)
			need = (uint16_t)(need + tx_crossings(m, txq->split_mask));
		uint32_t cmd = IGB_TXD_DTYP_DATA | IGB_TXD_CMD_DEXT | IGB_TXD_CMD_IFCS;
		uint32_t olinfo = m->pkt_len << IGB_TXD_PAYLEN_SHIFT;
		uint16_t last = tail;

		if (need > txq->nb_free) {
			tx_reclaim(txq);
			if (need > txq->nb_free)
				break;
		}
		if (need_ctx) {
			tx_write_ctx(&ring[tail].ctx, m);
			txq->sw_ring[tail] = NULL;
			txq->ctx_key = key;
			tail = ring_next(tail, nb_desc);
		}
		if (ol & SL_MBUF_F_TX_VLAN)
			cmd |= IGB_TXD_CMD_VLE;
		if (ol & SL_MBUF_F_TX_IP_CKSUM)
			olinfo |= IGB_TXD_POPTS_IXSM;
		if (ol & SL_MBUF_F_TX_L4_MASK)
			olinfo |= IGB_TXD_POPTS_TXSM;
		for (struct sl_mbuf *seg = m; seg != NULL; seg = seg->next) {
			uint64_t addr = seg->buf_iova + seg->data_off;
			uint32_t len = seg->data_len;

			while (txq->split_mask != 0) {
				uint32_t head = (uint32_t)(txq->split_mask + 1 - (addr & txq->split_mask));
				if (head >= len)
					break;
				ring[tail].data = (struct igb_tx_desc){ .addr = addr,
									.cmd_type_len = cmd | head,
									.olinfo_status = olinfo };
				txq->sw_ring[tail] = NULL;
				tail = ring_next(tail, nb_desc);
				addr += head;
				len -= head;
			}
			ring[tail].data = (struct igb_tx_desc){
				.addr = addr,
				.cmd_type_len = cmd | len | (seg->next == NULL ? IGB_TXD_CMD_EOP : 0),
				.olinfo_status = olinfo,
			};
			txq->sw_ring[tail] = seg;
			last = tail;
			tail = ring_next(tail, nb_desc);
		}
		txq->nb_free = (uint16_t)(txq->nb_free - need);
		txq->since_rs = (uint16_t)(txq->since_rs + need);
		if (txq->since_rs >= txq->rs_thresh) {
			/* Write-back on this packet's last descriptor only. */
			ring[last].data.cmd_type_len |= IGB_TXD_CMD_RS;
			txq->rs_fifo[txq->rs_tail] = last;
			txq->rs_tail = ring_next(txq->rs_tail, nb_desc);
			txq->since_rs = 0;
		}
		bytes += m->pkt_len;
	}

	if (n) {
		txq->tail = tail;
		/* One doorbell per burst; sl_write32() orders the descriptor
		 * stores before it. */
		sl_write32(tail, txq->tdt_reg);
		txq->opackets += n;
		txq->obytes += bytes;
	}
	return n;
}

void
igb_tx_queue_reset(struct igb_tx_queue *txq)
{
	for (uint16_t i = 0; i < txq->nb_desc; i++) {
		if (txq->sw_ring[i]) {
			sl_mbuf_free_seg(txq->sw_ring[i]);
			txq->sw_ring[i] = NULL;
		}
	}
	memset(txq->ring, 0, (size_t)txq->nb_desc * sizeof(*txq->ring));
	txq->tail = txq->clean = 0;
	txq->nb_free = (uint16_t)(txq->nb_desc - 1);
	txq->since_rs = 0;
	txq->rs_head = txq->rs_tail = 0;
	txq->ctx_key = 0;
}

int
igb_tx_queue_disable(struct igb_adapter *ad, uint16_t qid)
{
	igb_write(ad, IGB_TXDCTL(qid), igb_read(ad, IGB_TXDCTL(qid)) & ~IGB_XDCTL_ENABLE);
	return sl_poll32(ad->regs + IGB_TXDCTL(qid), IGB_XDCTL_ENABLE, 0,
			 IGB_QUEUE_ENABLE_TIMEOUT_US);
}

int
igb_tx_queue_init(struct igb_adapter *ad, struct igb_tx_queue *txq)
{
	uint16_t q = txq->queue_id;
	uint64_t base = txq->mz->iova;

	igb_tx_queue_reset(txq);
	/* [DS] 4.5.10 Transmit Initialization, per queue. */
	igb_write(ad, IGB_TDBAL(q), (uint32_t)base);
	igb_write(ad, IGB_TDBAH(q), (uint32_t)(base >> 32));
	igb_write(ad, IGB_TDLEN(q), (uint32_t)txq->nb_desc * sizeof(struct igb_tx_desc));
	igb_write(ad, IGB_TDH(q), 0);
	igb_write(ad, IGB_TDT(q), 0);
	/* WTHRESH 1: an RS descriptor is written back at once. */
	igb_write(ad, IGB_TXDCTL(q), IGB_XDCTL_ENABLE | (1u << 16));
	if (sl_poll32(ad->regs + IGB_TXDCTL(q), IGB_XDCTL_ENABLE, IGB_XDCTL_ENABLE,
		      IGB_QUEUE_ENABLE_TIMEOUT_US) < 0) {
		SL_LOG(ERR, IGB, "port %u TX queue %u: TXDCTL.ENABLE did not read back within %u us",
		       txq->port_id, q, IGB_QUEUE_ENABLE_TIMEOUT_US);
		return -ETIMEDOUT;
	}
	txq->tdt_reg = ad->regs + IGB_TDT(q);
	txq->stopped = 0;
	return 0;
}

int
igb_tx_queue_setup(struct sl_eth_dev *dev, uint16_t qid, uint16_t nb_desc, int socket_id,
		   const struct sl_eth_txconf *conf)
{
	struct igb_tx_queue *txq;
	char name[SL_MEMZONE_NAMESIZE];

	if (nb_desc % IGB_DESC_PER_ALIGN) {
		SL_LOG(ERR, IGB, "port %u: TX ring size %u is not a multiple of %u",
		       dev->data.port_id, nb_desc, IGB_DESC_PER_ALIGN);
		return -EINVAL;
	}
	txq = sl_zmalloc_socket("igb_txq", sizeof(*txq), SL_CACHE_LINE_SIZE, socket_id);
	if (txq == NULL)
		return -ENOMEM;
	txq->sw_ring = sl_zmalloc_socket("igb_tx_sw", nb_desc * sizeof(*txq->sw_ring),
					 SL_CACHE_LINE_SIZE, socket_id);
	txq->rs_fifo = sl_zmalloc_socket("igb_tx_rs", nb_desc * sizeof(*txq->rs_fifo),
					 SL_CACHE_LINE_SIZE, socket_id);
	if (txq->sw_ring == NULL || txq->rs_fifo == NULL)
		goto err;
	snprintf(name, sizeof(name), "igb_tx_p%u_q%u", dev->data.port_id, qid);
	txq->mz = sl_memzone_reserve_aligned(name, (size_t)nb_desc * sizeof(struct igb_tx_desc),
					     socket_id, SL_MEMZONE_IOVA_CONTIG, 4096);
	if (txq->mz == NULL) {
		SL_LOG(ERR, IGB, "port %u: cannot reserve TX ring memzone %s: %s",
		       dev->data.port_id, name, strerror(errno));
		goto err;
	}
	txq->ring = txq->mz->addr;
	txq->nb_desc = nb_desc;
	txq->rs_thresh = conf->tx_rs_thresh ? conf->tx_rs_thresh : IGB_TX_RS_THRESH;
	txq->free_thresh = conf->tx_free_thresh ? conf->tx_free_thresh : IGB_TX_FREE_THRESH;
	if (txq->rs_thresh >= nb_desc / 2)
		txq->rs_thresh = nb_desc / 4;
	if (txq->free_thresh >= nb_desc - 1)
		txq->free_thresh = nb_desc / 4;
	txq->port_id = dev->data.port_id;
	txq->queue_id = qid;
	txq->stopped = 1;
	txq->split_mask = ((struct igb_adapter *)dev->data.dev_private)->tx_split_mask;
	igb_tx_queue_reset(txq);
	dev->data.tx_queues[qid] = txq;
	return 0;
err:
	sl_free(txq->rs_fifo);
	sl_free(txq->sw_ring);
	sl_free(txq);
	return -ENOMEM;
}

void
igb_tx_queue_release(struct sl_eth_dev *dev, uint16_t qid)
{
	struct igb_tx_queue *txq = dev->data.tx_queues[qid];

	if (txq == NULL)
		return;
	igb_tx_queue_reset(txq);
	sl_memzone_free(txq->mz);
	sl_free(txq->rs_fifo);
	sl_free(txq->sw_ring);
	sl_free(txq);
}
