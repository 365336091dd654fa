/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private state of the virtio-net PMD, shared by virtio_ethdev.c (control
 * path) and virtio_rxtx.c (data path).  Not installed.
 */
#ifndef VIRTIO_ETHDEV_H
#define VIRTIO_ETHDEV_H

#include <stdint.h>

#include "sl_common.h"
#include "sl_ethdev_driver.h"
#include "sl_memzone.h"
#include "sl_mmio.h"

#include "virtio_pci.h"

struct sl_mbuf;
struct sl_mempool;
struct sl_pci_device;

#define VIRTIO_HDR_SIZE ((uint16_t)sizeof(struct virtio_net_hdr))
#define VIRTIO_MIN_RING_DESC 64
#define VIRTIO_RX_STASH 64         /* spare mbufs allocated in bulk */
#define VIRTIO_TX_FREE_THRESH 32   /* reclaim when fewer descriptors are free */
#define VIRTIO_TX_FREE_BATCH 64    /* mbufs returned to a pool at once */
#define VIRTIO_MAX_FRAME 9018      /* without VIRTIO_NET_F_MTU: 9000 + header + VLAN */
#define VIRTIO_ETH_OVERHEAD 18     /* header + one VLAN tag */
/* Control queue buffer: class and command, data, then the device's ack.
 * The data room holds the longest command, an RSS configuration with a
 * table of VIRTIO_RSS_RETA_MAX entries and a 40-byte key (1075 bytes). */
#define VIRTIO_CVQ_DATA_OFF 2
#define VIRTIO_CVQ_ACK_OFF 1152
#define VIRTIO_CVQ_BUF_LEN 1216
#define VIRTIO_RSS_RETA_MAX SL_ETH_RSS_RETA_SIZE_MAX
#define VIRTIO_RSS_KEY_LEN 40      /* what ethdev reports; §5.1.4.2: every device takes 40 */

/* Features this driver can use; the device's offer is masked with them. */
#define VIRTIO_DRIVER_FEATURES                                                       \
	(VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM) |     \
	 VIRTIO_BIT(VIRTIO_F_RING_PACKED) | VIRTIO_BIT(VIRTIO_F_IN_ORDER) |          \
	 VIRTIO_BIT(VIRTIO_F_RING_EVENT_IDX) | VIRTIO_BIT(VIRTIO_NET_F_MAC) |        \
	 VIRTIO_BIT(VIRTIO_NET_F_MTU) | VIRTIO_BIT(VIRTIO_NET_F_STATUS) |            \
	 VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF) | VIRTIO_BIT(VIRTIO_NET_F_CTRL_VQ) |     \
	 VIRTIO_BIT(VIRTIO_NET_F_CTRL_RX) | VIRTIO_BIT(VIRTIO_NET_F_MQ) |            \
	 VIRTIO_BIT(VIRTIO_NET_F_CTRL_MAC_ADDR) | VIRTIO_BIT(VIRTIO_NET_F_CSUM) |    \
	 VIRTIO_BIT(VIRTIO_NET_F_GUEST_CSUM) | VIRTIO_BIT(VIRTIO_NET_F_HOST_TSO4) |  \
	 VIRTIO_BIT(VIRTIO_NET_F_HOST_TSO6) | VIRTIO_BIT(VIRTIO_NET_F_SPEED_DUPLEX) |  \
	 VIRTIO_BIT(VIRTIO_NET_F_RSS))

/*
 * One virtqueue, either layout.  The ring memory is one IOVA-contiguous
 * memzone the device reads and writes through the IOMMU.
 */
struct virtio_vq {
	/* split layout ([VIRTIO] §2.7) */
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	/* packed layout ([VIRTIO] §2.8) */
	struct vring_packed_desc *pdesc;
	struct vring_packed_event *drv_event; /* written by us */
	struct vring_packed_event *dev_event; /* written by the device */

	void *notify;          /* doorbell register in the notify BAR */
	uint16_t size;         /* descriptors */
	uint16_t mask;         /* size - 1 (split: size is a power of two) */
	uint16_t index;        /* queue index on the device */
	uint16_t nb_free;      /* descriptors the driver may fill */
	uint16_t avail_idx;    /* split: next avail->idx; packed: next slot */
	uint16_t used_idx;     /* split: last used->idx seen; packed: next slot */
	uint16_t free_head;    /* split: first free descriptor (chained by next) */
	uint16_t avail_flags;  /* packed: AVAIL/USED bits for the driver's wrap */
	uint8_t used_wrap;     /* packed: wrap counter expected in used slots */
	uint8_t packed;
	uint8_t event_idx;
	uint8_t in_order;

	const struct sl_memzone *mz;
	uint64_t desc_iova, driver_iova, device_iova;
};

/* Per-queue counters: written only by the polling thread. */
struct virtio_rxq_stats {
	uint64_t packets, bytes, errors, nombuf, mrg_bufs, csum_fixed, notifies;
};
#define VIRTIO_RXQ_NB_XSTATS 7

struct virtio_txq_stats {
	uint64_t packets, bytes, notifies, tso, full, hdr_desc, bad_offload;
};
#define VIRTIO_TXQ_NB_XSTATS 7

struct virtio_rx_queue {
	struct virtio_vq vq;
	struct sl_mbuf **sw_ring;    /* mbuf of each buffer id */
	struct sl_mempool *mp;
	struct sl_mbuf *seg_first;   /* mergeable frame being assembled */
	struct sl_mbuf *seg_last;
	uint16_t seg_left;           /* buffers still to come for seg_first */
	struct virtio_net_hdr seg_hdr; /* its header */
	uint16_t port_id;
	uint16_t stash_n;
	uint16_t buf_len;            /* bytes the device may write per buffer */
	uint8_t mrg;                 /* VIRTIO_NET_F_MRG_RXBUF */
	uint8_t csum;                /* report / complete checksums */
	struct sl_mbuf *stash[VIRTIO_RX_STASH];
	struct virtio_rxq_stats st;
	uint16_t queue_id;
} __sl_cache_aligned;

struct virtio_tx_entry {
	struct sl_mbuf *m;   /* packet of this buffer id, NULL if none */
	uint16_t ndescs;     /* descriptors it took */
	uint16_t next;       /* next buffer id in submission order (in-order) */
};

struct virtio_tx_queue {
	struct virtio_vq vq;
	struct virtio_tx_entry *ent;   /* by buffer id */
	uint16_t *id_free;             /* packed: stack of free buffer ids */
	uint16_t id_top;
	uint16_t fifo_head, fifo_tail; /* in-order: oldest and newest id in flight */
	uint16_t inflight;
	uint16_t nb_chained;           /* packed: buffers in flight on more than one descriptor */
	uint16_t free_thresh;
	uint16_t port_id;
	uint8_t tso4, tso6;            /* negotiated GSO types */
	struct virtio_net_hdr *hdrs;   /* a header per buffer id when it cannot be pushed */
	uint64_t hdrs_iova;
	const struct sl_memzone *hdr_mz;
	struct virtio_txq_stats st;
	uint16_t queue_id;
} __sl_cache_aligned;

/* ---- adapter ------------------------------------------------------------ */

struct virtio_hw {
	struct sl_pci_device *pci;
	struct sl_eth_dev *eth;
	uint8_t *common;         /* [VIRTIO] §4.1.4.3 common configuration */
	uint8_t *notify_base;    /* §4.1.4.4 notification area */
	uint32_t notify_mult;    /* notify_off_multiplier */
	uint64_t notify_len;
	uint8_t *devcfg;         /* §4.1.4.6 device-specific configuration */
	uint32_t devcfg_len;
	uint64_t dev_features;   /* what the device offers */
	uint64_t features;       /* what was negotiated at the last start */
	uint64_t test_features_xor; /* test aid (devarg): bits flipped in what is acknowledged */
	uint16_t max_pairs;      /* max_virtqueue_pairs, 1 without MQ */
	uint16_t nb_pairs;       /* pairs in use */
	uint16_t rx_qsize, tx_qsize, cvq_qsize; /* device maxima */
	uint16_t max_mtu;
	uint8_t started;
	/* RSS ([VIRTIO] §5.1.6.5.7): the device's limits from its configuration
	 * (rss_reta_size 0: no RSS), and what the driver last configured. */
	uint16_t rss_reta_size;  /* entries the driver uses, a power of two */
	uint32_t rss_dev_types;  /* supported_hash_types */
	uint64_t rss_hf;         /* SL_ETH_RSS_* in use */
	uint8_t rss_key[VIRTIO_RSS_KEY_LEN];
	uint16_t rss_reta[VIRTIO_RSS_RETA_MAX];
	struct virtio_vq cvq;    /* control virtqueue, if any */
	uint8_t *cvq_buf;        /* command + data + ack, in DMA memory */
	uint64_t cvq_buf_iova;
	const struct sl_memzone *cvq_buf_mz;
};

static inline uint8_t
vcfg_read8(const struct virtio_hw *hw, uint32_t off)
{
	return sl_read8(hw->common + off);
}

static inline uint16_t
vcfg_read16(const struct virtio_hw *hw, uint32_t off)
{
	return sl_read16(hw->common + off);
}

static inline uint32_t
vcfg_read32(const struct virtio_hw *hw, uint32_t off)
{
	return sl_read32(hw->common + off);
}

static inline void
vcfg_write8(const struct virtio_hw *hw, uint32_t off, uint8_t v)
{
	sl_write8(v, hw->common + off);
}

static inline void
vcfg_write16(const struct virtio_hw *hw, uint32_t off, uint16_t v)
{
	sl_write16(v, hw->common + off);
}

static inline void
vcfg_write32(const struct virtio_hw *hw, uint32_t off, uint32_t v)
{
	sl_write32(v, hw->common + off);
}

/* [VIRTIO] §4.1.3.1: 64-bit fields as two 32-bit writes, low half first
 * (QEMU's common configuration takes at most 4 bytes per access). */
static inline void
vcfg_write64(const struct virtio_hw *hw, uint32_t lo, uint64_t v)
{
	vcfg_write32(hw, lo, (uint32_t)v);
	vcfg_write32(hw, lo + 4, (uint32_t)(v >> 32));
}

static inline int
virtio_has(const struct virtio_hw *hw, unsigned int bit)
{
	return !!(hw->features & VIRTIO_BIT(bit));
}

/* ---- virtio_rxtx.c -------------------------------------------------------- */

/* Ring memory and software state of a virtqueue of @p size descriptors. */
int virtio_vq_alloc(struct virtio_vq *vq, const char *name, uint16_t size, int packed,
		    int socket_id);
void virtio_vq_free(struct virtio_vq *vq);
/* Empty rings, counters at their initial values ([VIRTIO] §2.7/§2.8 init). */
void virtio_vq_reset(struct virtio_vq *vq, int event_idx, int in_order);
/* Notify the device that queue @p vq has new buffers ([VIRTIO] §4.1.5.2). */
static inline void
virtio_vq_notify(struct virtio_vq *vq)
{
	/* sl_write16 orders every ring store before the doorbell. */
	sl_write16(vq->index, vq->notify);
}

/* Control virtqueue: send one command, wait for the device's answer.
 * @return 0, -EIO (the device said VIRTIO_NET_ERR), -ETIMEDOUT. */
int virtio_cvq_command(struct virtio_hw *hw, uint8_t cls, uint8_t cmd, const void *data,
		       uint16_t len);

int virtio_rx_queue_setup(struct sl_eth_dev *dev, uint16_t qid, uint16_t nb_desc, int socket_id,
			  const struct sl_eth_rxconf *conf, struct sl_mempool *mp);
int virtio_tx_queue_setup(struct sl_eth_dev *dev, uint16_t qid, uint16_t nb_desc, int socket_id,
			  const struct sl_eth_txconf *conf);
void virtio_rx_queue_release(struct sl_eth_dev *dev, uint16_t qid);
void virtio_tx_queue_release(struct sl_eth_dev *dev, uint16_t qid);
/* Fill the RX ring with fresh buffers (before DRIVER_OK). */
int virtio_rx_queue_fill(struct virtio_hw *hw, struct virtio_rx_queue *rxq);
/* Drop every buffer after the device was reset. */
void virtio_rx_queue_flush(struct virtio_rx_queue *rxq);
void virtio_tx_queue_flush(struct virtio_tx_queue *txq);
/* Layout and features from the last negotiation. */
void virtio_rx_queue_prepare(struct virtio_hw *hw, struct virtio_rx_queue *rxq);
void virtio_tx_queue_prepare(struct virtio_hw *hw, struct virtio_tx_queue *txq);

uint16_t virtio_recv_pkts_split(void *rxq, struct sl_mbuf **pkts, uint16_t nb_pkts);
uint16_t virtio_recv_pkts_packed(void *rxq, struct sl_mbuf **pkts, uint16_t nb_pkts);
uint16_t virtio_xmit_pkts_split(void *txq, struct sl_mbuf **pkts, uint16_t nb_pkts);
uint16_t virtio_xmit_pkts_packed(void *txq, struct sl_mbuf **pkts, uint16_t nb_pkts);

#endif /* VIRTIO_ETHDEV_H */
