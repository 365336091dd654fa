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
 * context), 4.5.9/4.5.10 (queue initialization and enable).  Queue setup,
 * reset, release and the TX reclaim are drivers/net/common's sl_nicq
 * (shared with net_e1000).
 *
 * Ownership: software owns the descriptors from the tail register up to
 * (not including) the head register; the NIC reports each finished one by
 * setting DD.  One descriptor stays unused so that head == tail is "empty".
 */
#include <errno.h>

#include "sl_log.h"
#include "sl_mbuf.h"
#include "sl_mmio.h"

#include "igb_ethdev.h"

#define IGB_QUEUE_ENABLE_TIMEOUT_US 10000 /* RXDCTL/TXDCTL.ENABLE settles in us */

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
	struct sl_nicq_rx *rxq = queue;
	union igb_rx_desc *ring = rxq->ring;
	struct sl_mbuf **sw = rxq->sw_ring;
	struct sl_mbuf *first = rxq->seg_first;
	struct sl_mbuf *last = rxq->seg_last;
	const uint16_t nb_desc = rxq->nb_desc;
	uint16_t stash_n = rxq->stash_n;
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

		nmb = sl_nicq_rx_spare(rxq, &stash_n);
		if (sl_unlikely(nmb == NULL)) {
			sl_eth_queue_count(&rxq->stats.cnt.nombuf, 1);
			break;
		}

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
		idx = sl_nicq_next(idx, nb_desc);
		nb_done++;

		if (!(staterr & IGB_RXD_STAT_EOP))
			continue;
		if (sl_unlikely(staterr & IGB_RXD_ERR_RXE)) {
			sl_mbuf_free(first);
			sl_eth_queue_count(&rxq->stats.cnt.errors, 1);
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

	rxq->stash_n = stash_n;
	rxq->next = idx;
	rxq->seg_first = first;
	rxq->seg_last = last;
	sl_eth_queue_count(&rxq->stats.cnt.pkts, nb_rx);
	sl_eth_queue_count(&rxq->stats.cnt.bytes, bytes);
	/* One tail write per free_thresh descriptors ([DS] 7.1.4). */
	sl_nicq_rx_give_back(rxq, idx, nb_done);
	return nb_rx;
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
igb_rx_queue_init(struct igb_adapter *ad, struct sl_nicq_rx *rxq)
{
	uint16_t q = rxq->queue_id;
	uint64_t base = rxq->mz->iova;
	uint32_t srrctl;
	int ret;

	ret = sl_nicq_rx_fill(rxq, "IGB");
	if (ret < 0)
		return ret;
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
		sl_nicq_rx_reset(rxq);
		return -ETIMEDOUT;
	}
	rxq->rdt_reg = ad->regs + IGB_RDT(q);
	sl_write32(rxq->nb_desc - 1u, rxq->rdt_reg);
	rxq->stopped = 0;
	return 0;
}

static const struct sl_nicq_conf igb_nicq_conf = {
	.log = "IGB",
	.prefix = "igb",
	.rx_free_thresh = IGB_RX_FREE_THRESH,
	.tx_rs_thresh = IGB_TX_RS_THRESH,
	.tx_free_thresh = IGB_TX_FREE_THRESH,
};

int
igb_rx_queue_setup(struct sl_eth_dev *dev, uint16_t qid, uint16_t nb_desc, int socket_id,
		   const struct sl_eth_rxconf *conf, struct sl_mempool *mp)
{
	struct sl_nicq_rx *rxq;

	/* SRRCTL.BSIZEPACKET counts whole KiB, at most 15 of its 7-bit
	 * field that the rest of the family takes ([DS] 8.10 SRRCTL). */
	rxq = sl_nicq_rx_setup(dev, &igb_nicq_conf, qid, nb_desc, socket_id, conf, mp, 1024,
			       15360, 1024);
	if (rxq == NULL)
		return -errno;
	rxq->rss = dev->data.dev_conf.rxmode.mq_mode == SL_ETH_MQ_RX_RSS;
	rxq->stopped = 1;
	return 0;
}

/* ======================================================================= */
/* TX                                                                       */
/* ======================================================================= */

#define TX_CTX_FLAGS (SL_MBUF_F_TX_IP_CKSUM | SL_MBUF_F_TX_L4_MASK | SL_MBUF_F_TX_VLAN)

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

uint16_t
igb_xmit_pkts(void *queue, struct sl_mbuf **pkts, uint16_t nb_pkts)
{
	struct sl_nicq_tx *txq = queue;
	union igb_tx_any *ring = txq->ring;
	const uint16_t nb_desc = txq->nb_desc;
	uint16_t tail = txq->tail;
	uint64_t bytes = 0;
	uint16_t n;

	if (sl_unlikely(txq->stopped))
		return 0;
	if (txq->nb_free < txq->free_thresh)
		sl_nicq_tx_reclaim(txq);

	for (n = 0; n < nb_pkts; n++) {
		struct sl_mbuf *m = pkts[n];
		uint64_t ol = m->ol_flags & TX_CTX_FLAGS;
		uint64_t key = ol ? tx_ctx_key(m) : 0;
		int need_ctx = ol && key != txq->ctx_key;
		uint16_t need = (uint16_t)(m->nb_segs + need_ctx);

		if (txq->split_mask != 0)
			need = (uint16_t)(need + sl_nicq_tx_crossings(m, txq->split_mask));
		uint32_t cmd = IGB_TXD_DTYP_DATA | IGB_TXD_CMD_DEXT | IGB_TXD_CMD_IFCS;
		uint32_t olinfo = m->pkt_len << IGB_TXD_PAYLEN_SHIFT;
		uint16_t last = tail;

		if (need > txq->nb_free) {
			sl_nicq_tx_reclaim(txq);
			if (need > txq->nb_free)
				break;
		}
		if (need_ctx) {
			tx_write_ctx(&ring[tail].ctx, m);
			txq->sw_ring[tail] = NULL;
			txq->ctx_key = key;
			tail = sl_nicq_next(tail, nb_desc);
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
				tail = sl_nicq_next(tail, nb_desc);
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
			tail = sl_nicq_next(tail, nb_desc);
		}
		txq->nb_free = (uint16_t)(txq->nb_free - need);
		txq->since_rs = (uint16_t)(txq->since_rs + need);
		if (txq->since_rs >= txq->rs_thresh) {
			/* Write-back on this packet's last descriptor only. */
			sl_nicq_tx_mark_rs(txq, last);
			txq->since_rs = 0;
		}
		bytes += m->pkt_len;
	}

	if (n) {
		txq->tail = tail;
		/* One doorbell per burst; sl_write32() orders the descriptor
		 * stores before it. */
		sl_write32(tail, txq->tdt_reg);
		sl_eth_queue_count(&txq->stats.cnt.pkts, n);
		sl_eth_queue_count(&txq->stats.cnt.bytes, bytes);
	}
	return n;
}

int
igb_tx_queue_disable(struct igb_adapter *ad, uint16_t qid)
{
	igb_write(ad, IGB_TXDCTL(qid), igb_read(ad, IGB_TXDCTL(qid)) & ~IGB_XDCTL_ENABLE);
	return sl_poll32(ad->regs + IGB_TXDCTL(qid), IGB_XDCTL_ENABLE, 0,
			 IGB_QUEUE_ENABLE_TIMEOUT_US);
}

int
igb_tx_queue_init(struct igb_adapter *ad, struct sl_nicq_tx *txq)
{
	uint16_t q = txq->queue_id;
	uint64_t base = txq->mz->iova;

	sl_nicq_tx_reset(txq);
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
	struct sl_nicq_conf c = igb_nicq_conf;
	struct sl_nicq_tx *txq;

	c.tx_split_mask = ((struct igb_adapter *)dev->data.dev_private)->tx_split_mask;
	txq = sl_nicq_tx_setup(dev, &c, qid, nb_desc, socket_id, conf);
	if (txq == NULL)
		return -errno;
	txq->stopped = 1;
	return 0;
}
