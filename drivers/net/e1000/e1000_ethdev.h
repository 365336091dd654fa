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
#include "sl_nicq.h"

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

/* Largest frame: 16 KiB buffers chain; the 82574 is limited to 9018 bytes
 * jumbo ([DS] 1.0 features), the 82540 to 16128 ([SDM] 3.2.2). */
#define E1000_MAX_FRAME_82540 16128
#define E1000_MAX_FRAME_82574 9018

/* ---- queues ----------------------------------------------------------- */

/*
 * The queues are drivers/net/common's struct sl_nicq_rx / sl_nicq_tx (shared
 * with net_igb).  The TX ring holds any of the three descriptor formats.
 */
union e1000_tx_any {
	struct e1000_tx_desc legacy;
	struct e1000_tx_ctx_desc ctx;
	struct e1000_tx_data_desc data;
	uint64_t qw[2];  /* the fast path's two stores (little endian) */
};
static_assert(sizeof(union e1000_tx_any) == SL_NICQ_DESC_SIZE, "16-byte TX descriptors");
static_assert(sizeof(struct e1000_rx_desc) == SL_NICQ_DESC_SIZE, "16-byte RX descriptors");
static_assert(E1000_DESC_PER_ALIGN == SL_NICQ_DESC_ALIGN, "rings in 128-byte steps");
/* sl_nicq_tx_reclaim() reads DD, sl_nicq_tx_mark_rs() sets RS, at the
 * same bytes in every format ([SDM] 3.3.3, 3.3.4, 3.3.5). */
static_assert(offsetof(struct e1000_tx_desc, cmd) == SL_NICQ_TXD_RS_BYTE &&
	      E1000_TXD_CMD_RS == SL_NICQ_TXD_RS, "legacy CMD.RS where sl_nicq sets it");
static_assert(offsetof(struct e1000_tx_desc, status) == SL_NICQ_TXD_DD_BYTE &&
	      E1000_TXD_STAT_DD == SL_NICQ_TXD_DD, "legacy STA.DD where sl_nicq reads it");
static_assert(E1000_TXD_DCMD_RS == (uint32_t)E1000_TXD_CMD_RS << 24,
	      "DCMD.RS is legacy CMD.RS shifted into byte 11");
/* RX read format: buffer address, then zeros (sl_nicq_rx_fill). */
static_assert(offsetof(struct e1000_rx_desc, addr) == 0, "RX buffer address first");

static_assert(E1000_RAH_AV == SL_NICQ_RAH_AV, "RAH.AV where sl_nicq_mac_*_ra put it");

/* ---- adapter ---------------------------------------------------------- */

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

extern const struct sl_nicq_hw_stat e1000_hw_stat_table[E1000_NB_HW_STATS];

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
/* Give the rings to the hardware ([SDM] 14.4/14.5 ring part). */
int e1000_rx_init(struct e1000_adapter *ad, struct sl_nicq_rx *rxq);
void e1000_tx_init(struct e1000_adapter *ad, struct sl_nicq_tx *txq);

uint16_t e1000_recv_pkts(void *rxq, struct sl_mbuf **pkts, uint16_t nb_pkts);
uint16_t e1000_xmit_pkts(void *txq, struct sl_mbuf **pkts, uint16_t nb_pkts);

#endif /* E1000_ETHDEV_H */
