/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * e1000 / e1000e data path: legacy RX descriptors, legacy TX descriptors for
 * plain packets and context + extended data descriptors for checksum
 * offload.  Rings live in hugepage memzones that the NIC reads and writes
 * through the IOMMU at their IOVAs.
 *
 * References: [SDM] 3.2 (receive descriptors and ring), 3.3 (transmit
 * descriptors, context descriptors), 3.4 (transmit ring); [DS] 7.1 and 7.2.
 *
 * Ownership protocol (both directions): software owns the descriptors from
 * the tail register up to (not including) the head register; the hardware
 * owns the rest and reports each finished descriptor by setting DD in its
 * status byte.  One descriptor always stays unused so that head == tail
 * means "empty" and never "full".
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

#include "e1000_ethdev.h"

/* The RS bit sits at the same place in legacy and extended data
 * descriptors (byte 11, bit 3), so the burst sets it without knowing
 * which format the descriptor has. */
static_assert(offsetof(struct e1000_tx_desc, cmd) == 11, "legacy cmd byte at 11");
static_assert(E1000_TXD_DCMD_RS == (uint32_t)E1000_TXD_CMD_RS << 24,
	      "DCMD.RS is legacy CMD.RS shifted into byte 11");

/* The fast path writes a legacy TX descriptor as two little-endian
 * quadwords: the buffer address, then length (bytes 8-9), CSO 0, CMD
 * (byte 11), STA/CSS/special 0 ([SDM] 3.3.3, [DS] 7.2.10.1). */
static_assert(offsetof(struct e1000_tx_desc, length) == 8, "legacy length at byte 8");
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "descriptors are little endian");

static inline uint16_t
ring_next(uint16_t i, uint16_t n)
{
	return (uint16_t)(i + 1 == n ? 0 : i + 1);
}

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
 * Refill from the stash of spare mbufs, allocated E1000_RX_STASH at a time.
 * Returns NULL when the pool is empty.
 */
static __sl_always_inline struct sl_mbuf *
rx_spare(struct e1000_rx_queue *rxq, uint16_t *stash_n)
{
	if (sl_unlikely(*stash_n == 0)) {
		if (sl_mbuf_alloc_bulk(rxq->mp, rxq->stash, E1000_RX_STASH) < 0)
			return NULL;
		*stash_n = E1000_RX_STASH;
	}
	return rxq->stash[--*stash_n];
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
	struct e1000_rx_queue *rxq = queue;
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

		nmb = rx_spare(rxq, &stash_n);
		if (sl_unlikely(nmb == NULL)) {
			/* Leave the descriptor to the NIC's next look: when
			 * the ring runs dry it counts RNBC/MPC. */
			rxq->nombuf++;
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
		idx = ring_next(idx, nb_desc);
		nb_done++;

		if (!(status & E1000_RXD_STAT_EOP))
			continue;
		if (sl_unlikely(errors & E1000_RXD_ERR_FRAME)) {
			sl_mbuf_free(first);
			rxq->ierrors++;
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
	rxq->ipackets += nb_rx;
	rxq->ibytes += bytes;

	rxq->nb_hold = (uint16_t)(rxq->nb_hold + nb_done);
	if (rxq->nb_hold > rxq->free_thresh) {
		/* Every descriptor before idx has a fresh buffer.  RDT = idx-1
		 * hands them all back but keeps one slot between tail and
		 * head.  sl_write32() orders the descriptor stores above
		 * before the doorbell ([SDM] 3.2.6). */
		sl_write32(idx == 0 ? nb_desc - 1u : idx - 1u, rxq->rdt_reg);
		rxq->nb_hold = 0;
	}
	return nb_rx;
}

void
e1000_rx_queue_reset(struct e1000_rx_queue *rxq)
{
	for (uint16_t i = 0; i < rxq->nb_desc; i++) {
		if (rxq->sw_ring[i]) {
			sl_mbuf_free(rxq->sw_ring[i]);
			rxq->sw_ring[i] = NULL;
		}
	}
	if (rxq->seg_first) {
		/* The chain's segments are also gone from sw_ring only after
		 * being replaced, so it is not freed twice. */
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
e1000_rx_init(struct e1000_adapter *ad, struct e1000_rx_queue *rxq)
{
	uint64_t base = rxq->mz->iova;

	e1000_rx_queue_reset(rxq);
	if (sl_mbuf_alloc_bulk(rxq->mp, rxq->sw_ring, rxq->nb_desc) < 0) {
		SL_LOG(ERR, E1000, "port %u RX queue %u: pool has fewer than %u free mbufs to fill "
		       "the ring; create a bigger pool", rxq->port_id, rxq->queue_id, rxq->nb_desc);
		memset(rxq->sw_ring, 0, rxq->nb_desc * sizeof(*rxq->sw_ring));
		return -ENOMEM;
	}
	for (uint16_t i = 0; i < rxq->nb_desc; i++) {
		struct sl_mbuf *m = rxq->sw_ring[i];
		memset(&rxq->ring[i], 0, sizeof(rxq->ring[i]));
		rxq->ring[i].addr = m->buf_iova + m->data_off;
	}
	/* [SDM] 14.4 Receive Initialization / [DS] 4.6.5: ring base (16-byte
	 * aligned; ours is 128), length in bytes, head 0, tail at the last
	 * descriptor we own. */
	e1000_write(ad, E1000_RDBAL, (uint32_t)base);
	e1000_write(ad, E1000_RDBAH, (uint32_t)(base >> 32));
	e1000_write(ad, E1000_RDLEN, (uint32_t)rxq->nb_desc * sizeof(struct e1000_rx_desc));
	e1000_write(ad, E1000_RDH, 0);
	e1000_write(ad, E1000_RDT, rxq->nb_desc - 1u);
	rxq->rdt_reg = ad->regs + E1000_RDT;
	return 0;
}

int
e1000_rx_queue_setup(struct sl_eth_dev *dev, uint16_t qid, uint16_t nb_desc, int socket_id,
		     const struct sl_eth_rxconf *conf, struct sl_mempool *mp)
{
	uint64_t offloads = dev->data.dev_conf.rxmode.offloads | conf->offloads;
	struct e1000_rx_queue *rxq;
	char name[SL_MEMZONE_NAMESIZE];
	uint32_t room;

	if (nb_desc % E1000_DESC_PER_ALIGN) {
		SL_LOG(ERR, E1000, "port %u: RX ring size %u is not a multiple of %u",
		       dev->data.port_id, nb_desc, E1000_DESC_PER_ALIGN);
		return -EINVAL;
	}
	room = sl_mbuf_data_room_size(mp);
	if (room <= SL_PKTMBUF_HEADROOM + 256) {
		SL_LOG(ERR, E1000, "port %u: mbuf data room %u too small; need > %u", dev->data.port_id,
		       room, SL_PKTMBUF_HEADROOM + 256);
		return -EINVAL;
	}
	rxq = sl_zmalloc_socket("e1000_rxq", sizeof(*rxq), SL_CACHE_LINE_SIZE, socket_id);
	if (rxq == NULL)
		return -ENOMEM;
	rxq->sw_ring = sl_zmalloc_socket("e1000_rx_sw", nb_desc * sizeof(*rxq->sw_ring),
					 SL_CACHE_LINE_SIZE, socket_id);
	if (rxq->sw_ring == NULL)
		goto err_q;
	snprintf(name, sizeof(name), "e1000_rx_p%u_q%u", dev->data.port_id, qid);
	rxq->mz = sl_memzone_reserve_aligned(name, (size_t)nb_desc * sizeof(struct e1000_rx_desc),
					     socket_id, SL_MEMZONE_IOVA_CONTIG, 4096);
	if (rxq->mz == NULL) {
		SL_LOG(ERR, E1000, "port %u: cannot reserve RX ring memzone %s: %s",
		       dev->data.port_id, name, strerror(errno));
		goto err_sw;
	}
	rxq->ring = rxq->mz->addr;
	memset(rxq->ring, 0, rxq->mz->len);
	rxq->mp = mp;
	rxq->nb_desc = nb_desc;
	rxq->free_thresh = conf->rx_free_thresh && conf->rx_free_thresh < nb_desc ?
				   conf->rx_free_thresh : E1000_RX_FREE_THRESH;
	if (rxq->free_thresh >= nb_desc)
		rxq->free_thresh = nb_desc / 2;
	rxq->port_id = dev->data.port_id;
	rxq->queue_id = qid;
	rxq->csum = !!(offloads & (SL_ETH_RX_OFFLOAD_IPV4_CKSUM | SL_ETH_RX_OFFLOAD_UDP_CKSUM |
				   SL_ETH_RX_OFFLOAD_TCP_CKSUM));
	rxq->keep_crc = !!(offloads & SL_ETH_RX_OFFLOAD_KEEP_CRC);
	rxq->buf_len = (uint16_t)SL_MIN(room - SL_PKTMBUF_HEADROOM, 16384u);
	dev->data.rx_queues[qid] = rxq;
	return 0;
err_sw:
	sl_free(rxq->sw_ring);
err_q:
	sl_free(rxq);
	return -ENOMEM;
}

void
e1000_rx_queue_release(struct sl_eth_dev *dev, uint16_t qid)
{
	struct e1000_rx_queue *rxq = dev->data.rx_queues[qid];

	if (rxq == NULL)
		return;
	e1000_rx_queue_reset(rxq);
	sl_memzone_free(rxq->mz);
	sl_free(rxq->sw_ring);
	sl_free(rxq);
}

/* ======================================================================= */
/* TX                                                                       */
/* ======================================================================= */

#define TX_CSUM_FLAGS (SL_MBUF_F_TX_IP_CKSUM | SL_MBUF_F_TX_L4_MASK)

static void
tx_free_flush(struct sl_mbuf **batch, unsigned int *nb)
{
	if (*nb) {
		sl_mempool_put_bulk(batch[0]->pool, (void *const *)batch, *nb);
		*nb = 0;
	}
}

/*
 * Reclaim every descriptor up to the oldest RS descriptors that the NIC
 * has marked done.  RS is requested only on one descriptor in rs_thresh,
 * so the NIC writes back (and we read) a fraction of the ring.
 */
static void
tx_reclaim(struct e1000_tx_queue *txq)
{
	struct sl_mbuf *batch[E1000_TX_FREE_BATCH];
	unsigned int nb = 0;
	uint16_t clean = txq->clean;

	while (txq->rs_head != txq->rs_tail) {
		uint16_t rs = txq->rs_fifo[txq->rs_head];
		uint16_t freed = 0;

		if (!(sl_read8_relaxed(&txq->ring[rs].legacy.status) & E1000_TXD_STAT_DD))
			break;
		/* DD on the RS descriptor means the NIC has fetched every
		 * earlier descriptor and its data too ([SDM] 3.3.3.2). */
		for (;;) {
			struct sl_mbuf *m = txq->sw_ring[clean].mbuf;
			if (m != NULL) {
				txq->sw_ring[clean].mbuf = NULL;
				m = sl_mbuf_prefree_seg(m);
				if (m != NULL) {
					if (nb == E1000_TX_FREE_BATCH ||
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

/*
 * The general case of one packet: a chain, a checksum offload (context
 * descriptor when the context changes, extended data descriptors) or a
 * buffer split at txq->split_mask.  Fills the descriptors from *tail,
 * returns how many it used (its last one in *last), or 0 when the ring has
 * no room for the whole packet even after a reclaim.
 */
static uint16_t
tx_pkt_general(struct e1000_tx_queue *txq, struct sl_mbuf *m, uint16_t *tail, uint16_t *last)
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
		need = (uint16_t)(need + tx_crossings(m, txq->split_mask));
	if (need > txq->nb_free) {
		tx_reclaim(txq);
		if (need > txq->nb_free)
			return 0;
	}
	if (need_ctx) {
		tx_write_ctx(&ring[t].ctx, m);
		txq->sw_ring[t].mbuf = NULL;
		txq->ctx_key = key;
		t = ring_next(t, nb_desc);
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
			txq->sw_ring[t].mbuf = NULL;
			t = ring_next(t, nb_desc);
			addr += head;
			len -= head;
		}
		tx_write_data(&ring[t], addr, len, seg->next == NULL, ol, popts);
		txq->sw_ring[t].mbuf = seg;
		*last = t;
		t = ring_next(t, nb_desc);
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
	struct e1000_tx_queue *txq = queue;
	union e1000_tx_any *ring = txq->ring;
	struct e1000_tx_entry *sw = txq->sw_ring;
	const uint16_t nb_desc = txq->nb_desc;
	const uint16_t rs_thresh = txq->rs_thresh;
	const uint64_t split = txq->split_mask;
	uint16_t tail = txq->tail;
	uint16_t since_rs = txq->since_rs;
	uint16_t nb_free;
	uint64_t bytes = 0;
	uint16_t n;

	if (txq->nb_free < txq->free_thresh)
		tx_reclaim(txq);
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
			sw[tail].mbuf = m;
			last = tail;
			tail = ring_next(tail, nb_desc);
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
			ring[last].legacy.cmd |= E1000_TXD_CMD_RS;
			txq->rs_fifo[txq->rs_tail] = last;
			txq->rs_tail = ring_next(txq->rs_tail, nb_desc);
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
		txq->opackets += n;
		txq->obytes += bytes;
	}
	return n;
}

void
e1000_tx_queue_reset(struct e1000_tx_queue *txq)
{
	for (uint16_t i = 0; i < txq->nb_desc; i++) {
		if (txq->sw_ring[i].mbuf) {
			sl_mbuf_free_seg(txq->sw_ring[i].mbuf);
			txq->sw_ring[i].mbuf = NULL;
		}
	}
	memset(txq->ring, 0, (size_t)txq->nb_desc * sizeof(*txq->ring));
	txq->tail = txq->clean = 0;
	txq->nb_free = (uint16_t)(txq->nb_desc - 1);
	txq->since_rs = 0;
	txq->rs_head = txq->rs_tail = 0;
	txq->ctx_key = 0;
}

void
e1000_tx_init(struct e1000_adapter *ad, struct e1000_tx_queue *txq)
{
	uint64_t base = txq->mz->iova;

	e1000_tx_queue_reset(txq);
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
	struct e1000_tx_queue *txq;
	char name[SL_MEMZONE_NAMESIZE];

	if (nb_desc % E1000_DESC_PER_ALIGN) {
		SL_LOG(ERR, E1000, "port %u: TX ring size %u is not a multiple of %u",
		       dev->data.port_id, nb_desc, E1000_DESC_PER_ALIGN);
		return -EINVAL;
	}
	txq = sl_zmalloc_socket("e1000_txq", sizeof(*txq), SL_CACHE_LINE_SIZE, socket_id);
	if (txq == NULL)
		return -ENOMEM;
	txq->sw_ring = sl_zmalloc_socket("e1000_tx_sw", nb_desc * sizeof(*txq->sw_ring),
					 SL_CACHE_LINE_SIZE, socket_id);
	txq->rs_fifo = sl_zmalloc_socket("e1000_tx_rs", nb_desc * sizeof(*txq->rs_fifo),
					 SL_CACHE_LINE_SIZE, socket_id);
	if (txq->sw_ring == NULL || txq->rs_fifo == NULL)
		goto err;
	snprintf(name, sizeof(name), "e1000_tx_p%u_q%u", dev->data.port_id, qid);
	txq->mz = sl_memzone_reserve_aligned(name, (size_t)nb_desc * sizeof(struct e1000_tx_desc),
					     socket_id, SL_MEMZONE_IOVA_CONTIG, 4096);
	if (txq->mz == NULL) {
		SL_LOG(ERR, E1000, "port %u: cannot reserve TX ring memzone %s: %s",
		       dev->data.port_id, name, strerror(errno));
		goto err;
	}
	txq->ring = txq->mz->addr;
	txq->nb_desc = nb_desc;
	txq->rs_thresh = conf->tx_rs_thresh ? conf->tx_rs_thresh : E1000_TX_RS_THRESH;
	txq->free_thresh = conf->tx_free_thresh ? conf->tx_free_thresh : E1000_TX_FREE_THRESH;
	if (txq->rs_thresh >= nb_desc / 2)
		txq->rs_thresh = nb_desc / 4;
	if (txq->free_thresh >= nb_desc - 1)
		txq->free_thresh = nb_desc / 4;
	txq->port_id = dev->data.port_id;
	txq->queue_id = qid;
	txq->offloads = dev->data.dev_conf.txmode.offloads | conf->offloads;
	txq->split_mask = ((struct e1000_adapter *)dev->data.dev_private)->tx_split_mask;
	e1000_tx_queue_reset(txq);
	dev->data.tx_queues[qid] = txq;
	return 0;
err:
	sl_free(txq->rs_fifo);
	sl_free(txq->sw_ring);
	sl_free(txq);
	return -ENOMEM;
}

void
e1000_tx_queue_release(struct sl_eth_dev *dev, uint16_t qid)
{
	struct e1000_tx_queue *txq = dev->data.tx_queues[qid];

	if (txq == NULL)
		return;
	e1000_tx_queue_reset(txq);
	sl_memzone_free(txq->mz);
	sl_free(txq->rs_fifo);
	sl_free(txq->sw_ring);
	sl_free(txq);
}
