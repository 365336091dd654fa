/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Queue setup, reset, release and TX reclaim shared by net_e1000 and
 * net_igb (sl_nicq.h says what the two families have in common).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sl_log.h"
#include "sl_malloc.h"
#include "sl_mmio.h"

#include "sl_nicq.h"

/* The RX ring is filled as 16-byte descriptors: buffer address, then a
 * zero quadword. */
struct nicq_rx_read_desc {
	uint64_t addr;
	uint64_t zero;
};
static_assert(sizeof(struct nicq_rx_read_desc) == SL_NICQ_DESC_SIZE, "16-byte descriptors");

static int
check_ring_size(const struct sl_eth_dev *dev, const struct sl_nicq_conf *c, const char *dir,
		uint16_t nb_desc)
{
	if (nb_desc == 0 || nb_desc % SL_NICQ_DESC_ALIGN) {
		sl_log(SL_LOG_ERR, c->log, "port %u: %s ring size %u is not a multiple of %u",
		       dev->data.port_id, dir, nb_desc, SL_NICQ_DESC_ALIGN);
		return -EINVAL;
	}
	return 0;
}

/* A 4 KiB-aligned, IOVA-contiguous ring of nb_desc descriptors (the NICs
 * want 128-byte alignment; a page keeps the ring in one IOMMU page). */
static const struct sl_memzone *
ring_reserve(const struct sl_eth_dev *dev, const struct sl_nicq_conf *c, const char *dir,
	     uint16_t qid, uint16_t nb_desc, int socket_id)
{
	char name[SL_MEMZONE_NAMESIZE];
	const struct sl_memzone *mz;

	snprintf(name, sizeof(name), "%s_%s_p%u_q%u", c->prefix, dir, dev->data.port_id, qid);
	mz = sl_memzone_reserve_aligned(name, (size_t)nb_desc * SL_NICQ_DESC_SIZE, socket_id,
					SL_MEMZONE_IOVA_CONTIG, 4096);
	if (mz == NULL) {
		int err = errno;

		sl_log(SL_LOG_ERR, c->log, "port %u: cannot reserve %s ring memzone %s: %s",
		       dev->data.port_id, dir, name, strerror(err));
		errno = err;
		return NULL;
	}
	memset(mz->addr, 0, mz->len);
	return mz;
}

/* ======================================================================= */
/* RX                                                                       */
/* ======================================================================= */

struct sl_nicq_rx *
sl_nicq_rx_setup(struct sl_eth_dev *dev, const struct sl_nicq_conf *c, uint16_t qid,
		 uint16_t nb_desc, int socket_id, const struct sl_eth_rxconf *conf,
		 struct sl_mempool *mp, uint32_t min_room, uint32_t max_buf, uint32_t buf_align)
{
	uint64_t offloads = dev->data.dev_conf.rxmode.offloads | conf->offloads;
	struct sl_nicq_rx *rxq;
	uint32_t room;

	if (check_ring_size(dev, c, "RX", nb_desc) < 0) {
		errno = EINVAL;
		return NULL;
	}
	room = sl_mbuf_data_room_size(mp);
	if (room < SL_PKTMBUF_HEADROOM + min_room) {
		sl_log(SL_LOG_ERR, c->log, "port %u: mbuf data room %u too small; need at least %u",
		       dev->data.port_id, room, SL_PKTMBUF_HEADROOM + min_room);
		errno = EINVAL;
		return NULL;
	}
	rxq = sl_zmalloc_socket("nicq_rxq", sizeof(*rxq), SL_CACHE_LINE_SIZE, socket_id);
	if (rxq == NULL)
		goto err_nomem;
	rxq->sw_ring = sl_zmalloc_socket("nicq_rx_sw", nb_desc * sizeof(*rxq->sw_ring),
					 SL_CACHE_LINE_SIZE, socket_id);
	if (rxq->sw_ring == NULL)
		goto err_q;
	rxq->mz = ring_reserve(dev, c, "rx", qid, nb_desc, socket_id);
	if (rxq->mz == NULL)
		goto err_sw;
	rxq->ring = rxq->mz->addr;
	rxq->mp = mp;
	rxq->nb_desc = nb_desc;
	rxq->free_thresh = conf->rx_free_thresh && conf->rx_free_thresh < nb_desc ?
				   conf->rx_free_thresh : c->rx_free_thresh;
	if (rxq->free_thresh >= nb_desc)
		rxq->free_thresh = nb_desc / 2;
	rxq->port_id = dev->data.port_id;
	rxq->queue_id = qid;
	rxq->csum = !!(offloads & (SL_ETH_RX_OFFLOAD_IPV4_CKSUM | SL_ETH_RX_OFFLOAD_UDP_CKSUM |
				   SL_ETH_RX_OFFLOAD_TCP_CKSUM));
	rxq->keep_crc = !!(offloads & SL_ETH_RX_OFFLOAD_KEEP_CRC);
	rxq->vlan_strip = !!(offloads & SL_ETH_RX_OFFLOAD_VLAN_STRIP);
	rxq->buf_len = (uint16_t)(SL_MIN(room - SL_PKTMBUF_HEADROOM, max_buf) & ~(buf_align - 1));
	dev->data.rx_queues[qid] = rxq;
	return rxq;
err_sw:
	sl_free(rxq->sw_ring);
err_q:
	sl_free(rxq);
err_nomem:
	errno = ENOMEM;
	return NULL;
}

void
sl_nicq_rx_reset(struct sl_nicq_rx *rxq)
{
	for (uint16_t i = 0; i < rxq->nb_desc; i++) {
		if (rxq->sw_ring[i]) {
			sl_mbuf_free(rxq->sw_ring[i]);
			rxq->sw_ring[i] = NULL;
		}
	}
	if (rxq->seg_first) {
		/* The chain's segments left sw_ring when they were replaced,
		 * so nothing is freed twice. */
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
sl_nicq_rx_fill(struct sl_nicq_rx *rxq, const char *log)
{
	struct nicq_rx_read_desc *ring = rxq->ring;

	sl_nicq_rx_reset(rxq);
	if (sl_mbuf_alloc_bulk(rxq->mp, rxq->sw_ring, rxq->nb_desc) < 0) {
		sl_log(SL_LOG_ERR, log, "port %u RX queue %u: pool has fewer than %u free mbufs to "
		       "fill the ring; create a bigger pool", rxq->port_id, rxq->queue_id,
		       rxq->nb_desc);
		memset(rxq->sw_ring, 0, rxq->nb_desc * sizeof(*rxq->sw_ring));
		return -ENOMEM;
	}
	for (uint16_t i = 0; i < rxq->nb_desc; i++) {
		const struct sl_mbuf *m = rxq->sw_ring[i];

		ring[i].addr = m->buf_iova + m->data_off;
		ring[i].zero = 0;
	}
	return 0;
}

void
sl_nicq_rx_release(struct sl_eth_dev *dev, uint16_t qid)
{
	struct sl_nicq_rx *rxq = dev->data.rx_queues[qid];

	if (rxq == NULL)
		return;
	sl_nicq_rx_reset(rxq);
	sl_memzone_free(rxq->mz);
	sl_free(rxq->sw_ring);
	sl_free(rxq);
}

/* ======================================================================= */
/* TX                                                                       */
/* ======================================================================= */

struct sl_nicq_tx *
sl_nicq_tx_setup(struct sl_eth_dev *dev, const struct sl_nicq_conf *c, uint16_t qid,
		 uint16_t nb_desc, int socket_id, const struct sl_eth_txconf *conf)
{
	struct sl_nicq_tx *txq;

	if (check_ring_size(dev, c, "TX", nb_desc) < 0) {
		errno = EINVAL;
		return NULL;
	}
	txq = sl_zmalloc_socket("nicq_txq", sizeof(*txq), SL_CACHE_LINE_SIZE, socket_id);
	if (txq == NULL)
		goto err_nomem;
	txq->sw_ring = sl_zmalloc_socket("nicq_tx_sw", nb_desc * sizeof(*txq->sw_ring),
					 SL_CACHE_LINE_SIZE, socket_id);
	txq->rs_fifo = sl_zmalloc_socket("nicq_tx_rs", nb_desc * sizeof(*txq->rs_fifo),
					 SL_CACHE_LINE_SIZE, socket_id);
	if (txq->sw_ring == NULL || txq->rs_fifo == NULL)
		goto err;
	txq->mz = ring_reserve(dev, c, "tx", qid, nb_desc, socket_id);
	if (txq->mz == NULL)
		goto err;
	txq->ring = txq->mz->addr;
	txq->nb_desc = nb_desc;
	txq->rs_thresh = conf->tx_rs_thresh ? conf->tx_rs_thresh : c->tx_rs_thresh;
	txq->free_thresh = conf->tx_free_thresh ? conf->tx_free_thresh : c->tx_free_thresh;
	if (txq->rs_thresh >= nb_desc / 2)
		txq->rs_thresh = nb_desc / 4;
	if (txq->free_thresh >= nb_desc - 1)
		txq->free_thresh = nb_desc / 4;
	txq->port_id = dev->data.port_id;
	txq->queue_id = qid;
	txq->offloads = dev->data.dev_conf.txmode.offloads | conf->offloads;
	txq->split_mask = c->tx_split_mask;
	sl_nicq_tx_reset(txq);
	dev->data.tx_queues[qid] = txq;
	return txq;
err:
	sl_free(txq->rs_fifo);
	sl_free(txq->sw_ring);
	sl_free(txq);
err_nomem:
	errno = ENOMEM;
	return NULL;
}

static void
tx_free_flush(struct sl_mbuf **batch, unsigned int *nb)
{
	if (*nb) {
		sl_mempool_put_bulk(batch[0]->pool, (void *const *)batch, *nb);
		*nb = 0;
	}
}

/*
 * RS is requested on one descriptor in rs_thresh, so the NIC writes back
 * (and this reads) a fraction of the ring.  DD on an RS descriptor means
 * the NIC has fetched every earlier descriptor and its buffer ([SDM]
 * 3.3.3.2, 82576 [DS] 7.2.2.3).
 */
void
sl_nicq_tx_reclaim(struct sl_nicq_tx *txq)
{
	const uint8_t *ring = txq->ring;
	struct sl_mbuf *batch[SL_NICQ_TX_FREE_BATCH];
	unsigned int nb = 0;
	uint16_t clean = txq->clean;

	while (txq->rs_head != txq->rs_tail) {
		uint16_t rs = txq->rs_fifo[txq->rs_head];
		uint16_t freed = 0;

		if (!(sl_read8_relaxed(&ring[(size_t)rs * SL_NICQ_DESC_SIZE + SL_NICQ_TXD_DD_BYTE]) &
		      SL_NICQ_TXD_DD))
			break;
		for (;;) {
			struct sl_mbuf *m = txq->sw_ring[clean];

			if (m != NULL) {
				txq->sw_ring[clean] = NULL;
				m = sl_mbuf_prefree_seg(m);
				if (m != NULL) {
					if (nb == SL_NICQ_TX_FREE_BATCH ||
					    (nb && batch[0]->pool != m->pool))
						tx_free_flush(batch, &nb);
					batch[nb++] = m;
				}
			}
			freed++;
			if (clean == rs) {
				clean = sl_nicq_next(clean, txq->nb_desc);
				break;
			}
			clean = sl_nicq_next(clean, txq->nb_desc);
		}
		txq->nb_free = (uint16_t)(txq->nb_free + freed);
		txq->rs_head = sl_nicq_next(txq->rs_head, txq->nb_desc);
	}
	tx_free_flush(batch, &nb);
	txq->clean = clean;
}

void
sl_nicq_tx_reset(struct sl_nicq_tx *txq)
{
	for (uint16_t i = 0; i < txq->nb_desc; i++) {
		if (txq->sw_ring[i]) {
			sl_mbuf_free_seg(txq->sw_ring[i]);
			txq->sw_ring[i] = NULL;
		}
	}
	memset(txq->ring, 0, (size_t)txq->nb_desc * SL_NICQ_DESC_SIZE);
	txq->tail = txq->clean = 0;
	txq->nb_free = (uint16_t)(txq->nb_desc - 1);
	txq->since_rs = 0;
	txq->rs_head = txq->rs_tail = 0;
	txq->ctx_key = 0;
}

void
sl_nicq_tx_release(struct sl_eth_dev *dev, uint16_t qid)
{
	struct sl_nicq_tx *txq = dev->data.tx_queues[qid];

	if (txq == NULL)
		return;
	sl_nicq_tx_reset(txq);
	sl_memzone_free(txq->mz);
	sl_free(txq->rs_fifo);
	sl_free(txq->sw_ring);
	sl_free(txq);
}

/* ======================================================================= */
/* Control path                                                             */
/* ======================================================================= */

int
sl_nicq_mac_is_valid(const uint8_t mac[6])
{
	static const uint8_t zero[6];

	return !(mac[0] & 1) && memcmp(mac, zero, 6) != 0;
}

int
sl_nicq_mac_from_ra(uint32_t ral, uint32_t rah, uint8_t mac[6])
{
	for (unsigned int i = 0; i < 4; i++)
		mac[i] = (uint8_t)(ral >> (8 * i));
	mac[4] = (uint8_t)rah;
	mac[5] = (uint8_t)(rah >> 8);
	return (rah & SL_NICQ_RAH_AV) && sl_nicq_mac_is_valid(mac);
}

void
sl_nicq_mac_to_ra(const uint8_t mac[6], uint32_t *ral, uint32_t *rah)
{
	*ral = mac[0] | (uint32_t)mac[1] << 8 | (uint32_t)mac[2] << 16 | (uint32_t)mac[3] << 24;
	*rah = mac[4] | (uint32_t)mac[5] << 8 | SL_NICQ_RAH_AV;
}

void
sl_nicq_rctl_filters_set(uint8_t *regs, int promisc, int allmulti)
{
	uint32_t rctl = sl_read32(regs + SL_NICQ_RCTL);

	rctl &= ~(SL_NICQ_RCTL_UPE | SL_NICQ_RCTL_MPE | SL_NICQ_RCTL_BAM);
	sl_write32(rctl | sl_nicq_rctl_filters(promisc, allmulti), regs + SL_NICQ_RCTL);
}

int
sl_nicq_xstats_fill(const uint64_t *vals, unsigned int nb, struct sl_eth_xstat *xs,
		    unsigned int n)
{
	if (xs == NULL || n < nb)
		return (int)nb;
	for (unsigned int i = 0; i < nb; i++) {
		xs[i].id = i;
		xs[i].value = vals[i];
	}
	return (int)nb;
}

int
sl_nicq_xstats_names(const struct sl_nicq_hw_stat *t, unsigned int nb,
		     struct sl_eth_xstat_name *names, unsigned int size)
{
	if (names == NULL || size < nb)
		return (int)nb;
	for (unsigned int i = 0; i < nb; i++)
		snprintf(names[i].name, sizeof(names[i].name), "%s", t[i].name);
	return (int)nb;
}
