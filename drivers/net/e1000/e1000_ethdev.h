/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private state of the e1000 PMD, shared by e1000_ethdev.c (control path)
 * and e1000_rxtx.c (data path).  Not installed.
 */
#ifndef E1000_ETHDEV_H
#define E1000_ETHDEV_H

#include <stdint.h>

#include "sl_common.h"
#include "sl_ethdev_driver.h"
#include "sl_memzone.h"
#include "sl_mmio.h"

#include "e1000_regs.h"

struct sl_mbuf;
struct sl_mempool;
struct sl_pci_device;

enum e1000_mac_type {
	E1000_MAC_82540, /* 8254x SDM */
	E1000_MAC_82574, /* 82574 datasheet */
};

/* Ring sizes: the ring length register counts bytes in units of 128, so
 * the descriptor count is a multiple of 8 ([SDM] 13.4.27 RDLEN). */
#define E1000_MIN_RING_DESC 32
#define E1000_MAX_RING_DESC 4096
#define E1000_DEFAULT_RING_DESC 512
#define E1000_RX_FREE_THRESH 32 /* return descriptors to HW in batches */
#define E1000_TX_RS_THRESH 32   /* RS on one descriptor in this many */
#define E1000_TX_FREE_THRESH 32 /* reclaim when fewer are free */
#define E1000_RX_STASH 64       /* spare mbufs allocated in bulk */
#define E1000_TX_FREE_BATCH 64  /* mbufs returned to a pool at once */

/* Largest frame: 16 KiB buffers chain; the 82574 is limited to 9018 bytes
 * jumbo ([DS] 1.0 features), the 82540 to 16128 ([SDM] 3.2.2). */
#define E1000_MAX_FRAME_82540 16128
#define E1000_MAX_FRAME_82574 9018

/* ---- queues ----------------------------------------------------------- */

struct e1000_rx_queue {
	/* Consumer state, touched on every burst. */
	struct e1000_rx_desc *ring;
	struct sl_mbuf **sw_ring;
	volatile void *rdt_reg;
	struct sl_mempool *mp;
	uint16_t nb_desc;
	uint16_t next;          /* next descriptor to check for DD */
	uint16_t nb_hold;       /* refilled but not yet given back via RDT */
	uint16_t free_thresh;
	uint16_t port_id;
	uint16_t stash_n;
	uint8_t csum;           /* report checksum flags */
	uint8_t keep_crc;
	struct sl_mbuf *seg_first; /* packet being assembled across bursts */
	struct sl_mbuf *seg_last;
	struct sl_mbuf *stash[E1000_RX_STASH];

	/* Counters, written only by the polling thread. */
	uint64_t ipackets;
	uint64_t ibytes;
	uint64_t ierrors;
	uint64_t nombuf;

	/* Cold. */
	const struct sl_memzone *mz;
	uint16_t queue_id;
	uint16_t buf_len;       /* bytes the NIC may write per descriptor */
} __sl_cache_aligned;

struct e1000_tx_entry {
	struct sl_mbuf *mbuf;   /* segment sent by this descriptor, or NULL */
};

struct e1000_tx_queue {
	union e1000_tx_any {
		struct e1000_tx_desc legacy;
		struct e1000_tx_ctx_desc ctx;
		struct e1000_tx_data_desc data;
		uint64_t qw[2];  /* the fast path's two stores (little endian) */
	} *ring;
	struct e1000_tx_entry *sw_ring;
	uint16_t *rs_fifo;       /* descriptors carrying RS, oldest first */
	volatile void *tdt_reg;
	uint16_t nb_desc;
	uint16_t tail;           /* next descriptor to fill */
	uint16_t clean;          /* oldest descriptor not yet reclaimed */
	uint16_t nb_free;
	uint16_t since_rs;       /* descriptors filled since the last RS */
	uint16_t rs_thresh;
	uint16_t free_thresh;
	uint16_t rs_head, rs_tail;
	uint16_t port_id;
	uint64_t ctx_key;        /* offload flags + lengths of the live context */
	uint64_t split_mask;     /* split buffers crossing this boundary; 0 = off */

	uint64_t opackets;
	uint64_t obytes;

	const struct sl_memzone *mz;
	uint16_t queue_id;
	uint64_t offloads;
} __sl_cache_aligned;

/* ---- adapter ---------------------------------------------------------- */

/* One counter read from the statistics block. */
struct e1000_hw_stat {
	const char *name;
	uint32_t reg;      /* low register; 64-bit pairs read low then high */
	uint8_t is64;
};

#define E1000_NB_HW_STATS 54

struct e1000_adapter {
	uint8_t *regs;                 /* BAR0 */
	struct sl_pci_device *pci;
	struct sl_eth_dev *eth;
	enum e1000_mac_type mac_type;
	uint32_t max_frame;            /* hardware limit */
	/*
	 * QEMU's models do not clear some statistics registers on read (the
	 * real parts do: [SDM] 13.7, [DS] 10.2.8).  When set, a counter is
	 * accumulated as the difference from the previous reading.
	 */
	uint8_t stats_sticky;
	uint8_t started;
	uint64_t tx_split_mask;        /* QEMU e1000e quirk, see probe; 0 = off */
	uint64_t hw_stats[E1000_NB_HW_STATS];   /* accumulated since reset */
	uint32_t hw_last[E1000_NB_HW_STATS];    /* last raw reading (sticky) */
};

extern const struct e1000_hw_stat e1000_hw_stat_table[E1000_NB_HW_STATS];

static inline uint32_t
e1000_read(const struct e1000_adapter *ad, uint32_t reg)
{
	return sl_read32(ad->regs + reg);
}

static inline void
e1000_write(const struct e1000_adapter *ad, uint32_t reg, uint32_t val)
{
	sl_write32(val, ad->regs + reg);
}

/* Read a register only to flush posted writes before a delay. */
static inline void
e1000_flush(const struct e1000_adapter *ad)
{
	(void)e1000_read(ad, E1000_STATUS);
}

/* ---- e1000_rxtx.c ------------------------------------------------------ */

int e1000_rx_queue_setup(struct sl_eth_dev *dev, uint16_t qid, uint16_t nb_desc, int socket_id,
			 const struct sl_eth_rxconf *conf, struct sl_mempool *mp);
int e1000_tx_queue_setup(struct sl_eth_dev *dev, uint16_t qid, uint16_t nb_desc, int socket_id,
			 const struct sl_eth_txconf *conf);
void e1000_rx_queue_release(struct sl_eth_dev *dev, uint16_t qid);
void e1000_tx_queue_release(struct sl_eth_dev *dev, uint16_t qid);
/* Give the rings to the hardware ([SDM] 14.4/14.5 ring part). */
int e1000_rx_init(struct e1000_adapter *ad, struct e1000_rx_queue *rxq);
void e1000_tx_init(struct e1000_adapter *ad, struct e1000_tx_queue *txq);
/* Drop everything in flight after the units are disabled. */
void e1000_rx_queue_reset(struct e1000_rx_queue *rxq);
void e1000_tx_queue_reset(struct e1000_tx_queue *txq);

uint16_t e1000_recv_pkts(void *rxq, struct sl_mbuf **pkts, uint16_t nb_pkts);
uint16_t e1000_xmit_pkts(void *txq, struct sl_mbuf **pkts, uint16_t nb_pkts);

#endif /* E1000_ETHDEV_H */
