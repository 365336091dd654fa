/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * e1000 / e1000e data path: legacy RX descriptors, legacy TX descriptors for
 * plain packets and context + extended data descriptors for checksum
 * offload.  Rings live in hugepage memzones that the NIC reads and writes
 * through the IOMMU at their IOVAs.
 *
 * References: [SDM] 3.2 (receive descriptors and ring), 3.3 (transmit
 * descriptors, context descriptors), 3.4 (transmit ring); [DS] 7.1 and 7.2.
 * Queue setup, reset, release and the TX reclaim are drivers/net/common's
 * sl_nicq (shared with net_igb); the bursts and ring init stay here.
 *
 * Ownership protocol (both directions): software owns the descriptors from
 * the tail register up to (not including) the head register; the hardware
 * owns the rest and reports each finished descriptor by setting DD in its
 * status byte.  One descriptor always stays unused so that head == tail
 * means "empty" and never "full".
 */
#include <errno.h>

#include "sl_mbuf.h"
#include "sl_mmio.h"

#include "e1000_ethdev.h"

/* The fast path writes a legacy TX descriptor as two little-endian
 * quadwords: the buffer address, then length (bytes 8-9), CSO 0, CMD
 * (byte 11), STA/CSS/special 0 ([SDM] 3.3.3, [DS] 7.2.10.1). */
static_assert(offsetof(struct e1000_tx_desc, length) == 8, "legacy length at byte 8");
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "descriptors are little endian");

/* ======================================================================= */
/* RX                                                                       */
/* ======================================================================= */

static inline uint64_t
rx_csum_flags(uint8_t status, uint8_t errors)
{
	uint64_t f = 0;

	/* IXSM: the MAC did not look at checksums (QEMU's 82540 model always
	 * says so); report nothing rather than "good". */
	if (status & E1000_RXD_STAT_IXSM)
		return 0;
	if (status & E1000_RXD_STAT_IPCS)
		f |= (errors & E1000_RXD_ERR_IPE) ? SL_MBUF_F_RX_IP_CKSUM_BAD :
						    SL_MBUF_F_RX_IP_CKSUM_GOOD;
	if (status & (E1000_RXD_STAT_TCPCS | E1000_RXD_STAT_UDPCS))
		f |= (errors & E1000_RXD_ERR_TCPE) ? SL_MBUF_F_RX_L4_CKSUM_BAD :
						     SL_MBUF_F_RX_L4_CKSUM_GOOD;
	return f;
}

/*
 * No register is read: DD in each descriptor says what the device wrote
 * ([SDM] 3.2.3.1, [DS] 7.1.4.1), and RDT is written once per
 * free_thresh descriptors, not once per burst.  The queue state stays in
 * locals (under TCG every load and store through rxq costs a software TLB
 * lookup).
 */
uint16_t
e1000_recv_pkts(void *queue, struct sl_mbuf **pkts, uint16_t nb_pkts)
{
	struct sl_nicq_rx *rxq = queue;
	struct e1000_rx_desc *ring = rxq->ring;
	struct sl_mbuf **sw = rxq->sw_ring;
	struct sl_mbuf *first = rxq->seg_first;
	struct sl_mbuf *last = rxq->seg_last;
	const uint16_t nb_desc = rxq->nb_desc;
	const uint16_t port = rxq->port_id;
	const uint8_t csum = rxq->csum;
	uint16_t stash_n = rxq->stash_n;
	uint16_t idx = rxq->next;
	uint16_t nb_rx = 0, nb_done = 0;
	uint64_t bytes = 0;

	while (nb_rx < nb_pkts) {
		struct e1000_rx_desc *rxd = &ring[idx];
		struct sl_mbuf *m, *nmb;
		uint8_t status, errors;
		uint16_t len;

		status = sl_read8_relaxed(&rxd->status);
		if (!(status & E1000_RXD_STAT_DD))
			break;
		/* The device writes the descriptor before it sets DD: read
		 * length and errors only after DD was seen. */
		sl_io_rmb();
		len = rxd->length;
		errors = rxd->errors;

		nmb = sl_nicq_rx_spare(rxq, &stash_n);
		if (sl_unlikely(nmb == NULL)) {
			/* Leave the descriptor to the NIC's next look: when
			 * the ring runs dry it counts RNBC/MPC. */
			sl_eth_queue_count(&rxq->stats.cnt.nombuf, 1);
			break;
		}

		m = sw[idx];
		sw[idx] = nmb;
		rxd->addr = nmb->buf_iova + nmb->data_off;
		/* Clear DD so this slot reads as "not done" once the NIC owns
		 * it again; the RDT write below orders it before the NIC. */
		rxd->status = 0;

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

		if (!(status & E1000_RXD_STAT_EOP))
			continue;
		if (sl_unlikely(errors & E1000_RXD_ERR_FRAME)) {
			sl_mbuf_free(first);
			sl_eth_queue_count(&rxq->stats.cnt.errors, 1);
			first = NULL;
			continue;
		}
		first->port = port;
		first->ol_flags = csum ? rx_csum_flags(status, errors) : 0;
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
	/* [SDM] 3.2.6: RDT once per free_thresh descriptors. */
	sl_nicq_rx_give_back(rxq, idx, nb_done);
	return nb_rx;
}

int
e1000_rx_init(struct e1000_adapter *ad, struct sl_nicq_rx *rxq)
{
	uint64_t base = rxq->mz->iova;
	int ret;

	ret = sl_nicq_rx_fill(rxq, "E1000");
	if (ret < 0)
		return ret;
	/* [SDM] 14.4 Receive Initialization / [DS] 4.6.5: ring base (16-byte
	 * aligned; ours is 4096), length in bytes, head 0, tail at the last
	 * descriptor we own. */
	e1000_write(ad, E1000_RDBAL, (uint32_t)base);
	e1000_write(ad, E1000_RDBAH, (uint32_t)(base >> 32));
	e1000_write(ad, E1000_RDLEN, (uint32_t)rxq->nb_desc * sizeof(struct e1000_rx_desc));
	e1000_write(ad, E1000_RDH, 0);
	e1000_write(ad, E1000_RDT, rxq->nb_desc - 1u);
	rxq->rdt_reg = ad->regs + E1000_RDT;
	return 0;
}

static const struct sl_nicq_conf e1000_nicq_conf = {
	.log = "E1000",
	.prefix = "e1000",
	.rx_free_thresh = E1000_RX_FREE_THRESH,
	.tx_rs_thresh = E1000_TX_RS_THRESH,
	.tx_free_thresh = E1000_TX_FREE_THRESH,
};

int
e1000_rx_queue_setup(struct sl_eth_dev *dev, uint16_t qid, uint16_t nb_desc, int socket_id,
		     const struct sl_eth_rxconf *conf, struct sl_mempool *mp)
{
	/* Buffers of 257 bytes and more: RCTL.BSIZE's smallest is 256
	 * ([SDM] 13.4.22); at most 16 KiB, the largest BSIZE/BSEX gives. */
	if (sl_nicq_rx_setup(dev, &e1000_nicq_conf, qid, nb_desc, socket_id, conf, mp, 257,
			     16384, 1) == NULL)
		return -errno;
	return 0;
}

/* ======================================================================= */
/* TX                                                                       */
/* ======================================================================= */

#define TX_CSUM_FLAGS (SL_MBUF_F_TX_IP_CKSUM | SL_MBUF_F_TX_L4_MASK)

/* Key of the checksum context a packet needs: flags + header lengths. */
static inline uint64_t
tx_ctx_key(const struct sl_mbuf *m)
{
	return (m->ol_flags & TX_CSUM_FLAGS) | ((uint64_t)m->l2_len << 8) |
	       ((uint64_t)m->l3_len << 16);
}

/* [SDM] 3.3.6 / [DS] 7.2.10.2: where the IP and L4 checksums start, go and
 * end.  The L4 checksum field must hold the pseudo-header sum. */
static inline void
tx_write_ctx(struct e1000_tx_ctx_desc *ctx, const struct sl_mbuf *m)
{
	uint32_t l2 = m->l2_len, l3 = m->l3_len;
	uint32_t cmd = E1000_TXD_DTYP_CTX | E1000_TXD_TUCMD_DEXT;
	struct e1000_tx_ctx_desc c = { 0 };

	if (m->ol_flags & SL_MBUF_F_TX_IPV4)
		cmd |= E1000_TXD_TUCMD_IP;
	if (m->ol_flags & SL_MBUF_F_TX_IP_CKSUM) {
		c.ipcss = (uint8_t)l2;
		c.ipcso = (uint8_t)(l2 + 10);   /* IPv4 header checksum offset */
		c.ipcse = (uint16_t)(l2 + l3 - 1);
	}
	if ((m->ol_flags & SL_MBUF_F_TX_L4_MASK) == SL_MBUF_F_TX_TCP_CKSUM) {
		cmd |= E1000_TXD_TUCMD_TCP;
		c.tucso = (uint8_t)(l2 + l3 + 16); /* TCP checksum offset */
	} else {
		c.tucso = (uint8_t)(l2 + l3 + 6);  /* UDP checksum offset */
	}
	c.tucss = (uint8_t)(l2 + l3);
	c.cmd_len = cmd;
	*ctx = c;
}

/* One descriptor for a buffer: legacy for plain frames, extended data
 * descriptor when a checksum context applies. */
static __sl_always_inline void
tx_write_data(union e1000_tx_any *txd, uint64_t addr, uint32_t len, int eop, uint64_t ol,
	      uint8_t popts)
{
	if (ol) {
		struct e1000_tx_data_desc d = {
			.addr = addr,
			.cmd_type_len = len | E1000_TXD_DTYP_DATA | E1000_TXD_DCMD_DEXT |
					E1000_TXD_DCMD_IFCS | (eop ? E1000_TXD_DCMD_EOP : 0),
			.popts = popts,
		};
		txd->data = d;
	} else {
		struct e1000_tx_desc d = {
			.addr = addr,
			.length = (uint16_t)len,
			.cmd = (uint8_t)(E1000_TXD_CMD_IFCS | (eop ? E1000_TXD_CMD_EOP : 0)),
		};
		txd->legacy = d;
	}
}

/*
 * The general case of one packet: a chain, a checksum offload (context
 * descriptor when the context changes, extended data descriptors) or a
 * buffer split at txq->split_mask.  Fills the descriptors from *tail,
 * returns how many it used (its last one in *last), or 0 when the ring has
 * no room for the whole packet even after a reclaim.
 */
static uint16_t
tx_pkt_general(struct sl_nicq_tx *txq, struct sl_mbuf *m, uint16_t *tail, uint16_t *last)
{
	union e1000_tx_any *ring = txq->ring;
	const uint16_t nb_desc = txq->nb_desc;
	uint64_t ol = m->ol_flags & TX_CSUM_FLAGS;
	uint64_t key = ol ? tx_ctx_key(m) : 0;
	int need_ctx = ol && key != txq->ctx_key;
	uint16_t need = (uint16_t)(m->nb_segs + need_ctx);
	uint16_t t = *tail;
	uint8_t popts = 0;

	if (txq->split_mask != 0)
		need = (uint16_t)(need + sl_nicq_tx_crossings(m, txq->split_mask));
	if (need > txq->nb_free) {
		sl_nicq_tx_reclaim(txq);
		if (need > txq->nb_free)
			return 0;
	}
	if (need_ctx) {
		tx_write_ctx(&ring[t].ctx, m);
		txq->sw_ring[t] = NULL;
		txq->ctx_key = key;
		t = sl_nicq_next(t, nb_desc);
	}
	if (ol) {
		popts = (m->ol_flags & SL_MBUF_F_TX_IP_CKSUM ? E1000_TXD_POPTS_IXSM : 0) |
			(m->ol_flags & SL_MBUF_F_TX_L4_MASK ? E1000_TXD_POPTS_TXSM : 0);
	}
	for (struct sl_mbuf *seg = m; seg != NULL; seg = seg->next) {
		uint64_t addr = seg->buf_iova + seg->data_off;
		uint32_t len = seg->data_len;

		while (txq->split_mask != 0) {
			uint32_t head = (uint32_t)(txq->split_mask + 1 - (addr & txq->split_mask));
			if (head >= len)
				break;
			tx_write_data(&ring[t], addr, head, 0, ol, popts);
			txq->sw_ring[t] = NULL;
			t = sl_nicq_next(t, nb_desc);
			addr += head;
			len -= head;
		}
		tx_write_data(&ring[t], addr, len, seg->next == NULL, ol, popts);
		txq->sw_ring[t] = seg;
		*last = t;
		t = sl_nicq_next(t, nb_desc);
	}
	txq->nb_free = (uint16_t)(txq->nb_free - need);
	*tail = t;
	return need;
}

/*
 * Under emulation (QEMU's models, TCG) every guest load and store is a
 * software TLB lookup, so the common packet (one buffer, no offload, no
 * split) takes a path that keeps the queue state in registers and writes
 * one legacy descriptor ([SDM] 3.3.3, [DS] 7.2.10.1) as two quadwords.
 * The device is told once per burst (TDT); no register is read.
 */
uint16_t
e1000_xmit_pkts(void *queue, struct sl_mbuf **pkts, uint16_t nb_pkts)
{
	struct sl_nicq_tx *txq = queue;
	union e1000_tx_any *ring = txq->ring;
	struct sl_mbuf **sw = txq->sw_ring;
	const uint16_t nb_desc = txq->nb_desc;
	const uint16_t rs_thresh = txq->rs_thresh;
	const uint64_t split = txq->split_mask;
	uint16_t tail = txq->tail;
	uint16_t since_rs = txq->since_rs;
	uint16_t nb_free;
	uint64_t bytes = 0;
	uint16_t n;

	if (txq->nb_free < txq->free_thresh)
		sl_nicq_tx_reclaim(txq);
	nb_free = txq->nb_free;

	for (n = 0; n < nb_pkts; n++) {
		struct sl_mbuf *m = pkts[n];
		uint64_t addr = m->buf_iova + m->data_off;
		uint16_t len = m->data_len;
		uint16_t last, used;

		if (sl_likely(m->nb_segs == 1 && !(m->ol_flags & TX_CSUM_FLAGS) &&
			      (split == 0 || (addr & split) + len <= split + 1) && nb_free != 0)) {
			ring[tail].qw[0] = addr;
			ring[tail].qw[1] = len | (uint64_t)(E1000_TXD_CMD_IFCS |
							    E1000_TXD_CMD_EOP) << 24;
			sw[tail] = m;
			last = tail;
			tail = sl_nicq_next(tail, nb_desc);
			used = 1;
			nb_free--;
		} else {
			txq->nb_free = nb_free;
			used = tx_pkt_general(txq, m, &tail, &last);
			nb_free = txq->nb_free;
			if (used == 0)
				break;
		}
		since_rs = (uint16_t)(since_rs + used);
		if (since_rs >= rs_thresh) {
			/* Ask for a write-back on this packet's last
			 * descriptor only: reclaim reads one status per
			 * rs_thresh descriptors, and the device writes one
			 * ([SDM] 3.3.3.2 RS, [DS] 7.2.10.1.2). */
			sl_nicq_tx_mark_rs(txq, last);
			since_rs = 0;
		}
		bytes += m->pkt_len;
	}
	txq->nb_free = nb_free;
	txq->since_rs = since_rs;

	if (n) {
		txq->tail = tail;
		/* One doorbell per burst; sl_write32() orders the descriptor
		 * stores before it ([SDM] 3.4). */
		sl_write32(tail, txq->tdt_reg);
		sl_eth_queue_count(&txq->stats.cnt.pkts, n);
		sl_eth_queue_count(&txq->stats.cnt.bytes, bytes);
	}
	return n;
}

void
e1000_tx_init(struct e1000_adapter *ad, struct sl_nicq_tx *txq)
{
	uint64_t base = txq->mz->iova;

	sl_nicq_tx_reset(txq);
	/* [SDM] 14.5 Transmit Initialization / [DS] 4.6.6 */
	e1000_write(ad, E1000_TDBAL, (uint32_t)base);
	e1000_write(ad, E1000_TDBAH, (uint32_t)(base >> 32));
	e1000_write(ad, E1000_TDLEN, (uint32_t)txq->nb_desc * sizeof(struct e1000_tx_desc));
	e1000_write(ad, E1000_TDH, 0);
	e1000_write(ad, E1000_TDT, 0);
	txq->tdt_reg = ad->regs + E1000_TDT;
}

int
e1000_tx_queue_setup(struct sl_eth_dev *dev, uint16_t qid, uint16_t nb_desc, int socket_id,
		     const struct sl_eth_txconf *conf)
{
	struct sl_nicq_conf c = e1000_nicq_conf;

	c.tx_split_mask = ((struct e1000_adapter *)dev->data.dev_private)->tx_split_mask;
	if (sl_nicq_tx_setup(dev, &c, qid, nb_desc, socket_id, conf) == NULL)
		return -errno;
	return 0;
}
