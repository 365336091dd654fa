/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private state of the igb PMD (82576 PF and VF), shared by igb_ethdev.c
 * (control path) and igb_rxtx.c (data path).  Not installed.
 */
#ifndef IGB_ETHDEV_H
#define IGB_ETHDEV_H

#include <stdint.h>

#include "sl_common.h"
#include "sl_ethdev_driver.h"
#include "sl_memzone.h"
#include "sl_mmio.h"
#include "sl_nicq.h"

#include "igb_regs.h"

struct sl_mbuf;
struct sl_mempool;
struct sl_pci_device;

/* The 82576 has 16 queues each way; RSS spreads over up to 8 of them in
 * the non-virtualized mode ([DS] 7.1.1, RETA entries are queue indexes). */
#define IGB_MAX_QUEUES 8
#define IGB_MIN_RING_DESC 32
#define IGB_MAX_RING_DESC 4096
#define IGB_DEFAULT_RING_DESC 512
#define IGB_RX_FREE_THRESH 32
#define IGB_TX_RS_THRESH 32
#define IGB_TX_FREE_THRESH 32
/* The 82576 takes frames up to 9.5 KiB ([DS] 8.10 RLPML); MTU 9000 plus
 * header, one VLAN tag and FCS is as far as the rest of the family goes. */
#define IGB_MAX_FRAME 9022
#define IGB_ETH_OVERHEAD (14 + 4 + 4) /* header, one VLAN tag, FCS */

/* ---- queues ------------------------------------------------------------ */

/*
 * The queues are drivers/net/common's struct sl_nicq_rx / sl_nicq_tx
 * (shared with net_e1000); the TX ring holds data and context descriptors.
 */
union igb_tx_any {
	struct igb_tx_desc data;
	struct igb_tx_ctx_desc ctx;
};
static_assert(sizeof(union igb_tx_any) == SL_NICQ_DESC_SIZE, "16-byte TX descriptors");
static_assert(sizeof(union igb_rx_desc) == SL_NICQ_DESC_SIZE, "16-byte RX descriptors");
static_assert(IGB_DESC_PER_ALIGN == SL_NICQ_DESC_ALIGN, "rings in 128-byte steps");
/* sl_nicq_tx_mark_rs() sets DCMD.RS at byte 11 bit 3 and
 * sl_nicq_tx_reclaim() reads STA.DD at byte 12 bit 0 ([DS] 7.2.2.3). */
static_assert(offsetof(struct igb_tx_desc, cmd_type_len) + 3 == SL_NICQ_TXD_RS_BYTE &&
	      IGB_TXD_CMD_RS == (uint32_t)SL_NICQ_TXD_RS << 24, "DCMD.RS where sl_nicq sets it");
static_assert(offsetof(struct igb_tx_desc, olinfo_status) == SL_NICQ_TXD_DD_BYTE &&
	      IGB_TXD_STAT_DD == SL_NICQ_TXD_DD, "STA.DD where sl_nicq reads it");
/* RX read format: packet buffer address, then hdr_addr 0 (sl_nicq_rx_fill). */
static_assert(offsetof(struct igb_rx_desc_read, pkt_addr) == 0 &&
	      offsetof(struct igb_rx_desc_read, hdr_addr) == 8, "RX read format");

static_assert(IGB_RAH_AV == SL_NICQ_RAH_AV, "RAH.AV where sl_nicq_mac_*_ra put it");

/* ---- adapter ------------------------------------------------------------ */

#define IGB_NB_HW_STATS 34
#define IGBVF_NB_HW_STATS 5

struct igb_adapter {
	uint8_t *regs;               /* BAR0 */
	struct sl_pci_device *pci;
	struct sl_eth_dev *eth;
	uint8_t is_vf;
	uint8_t started;
	uint8_t rss_key[IGB_RSS_KEY_SIZE];
	uint64_t rss_hf;
	uint8_t reta[IGB_RETA_SIZE];
	/* Multicast list: MTA hash values (12 bits each). */
	uint16_t mc_hash[IGB_MTA_SIZE];
	uint16_t nb_mc;
	/* VF: read-to-clear bits of V2PMAILBOX seen but not yet consumed. */
	uint32_t v2p_seen;
	uint64_t hw_stats[IGB_NB_HW_STATS];
	uint32_t vf_last[IGBVF_NB_HW_STATS]; /* VF counters do not clear on read */
	uint64_t tx_split_mask;
};

extern const struct sl_nicq_hw_stat igb_hw_stat_table[IGB_NB_HW_STATS];
extern const struct sl_nicq_hw_stat igbvf_hw_stat_table[IGBVF_NB_HW_STATS];

static inline uint32_t
igb_read(const struct igb_adapter *ad, uint32_t reg)
{
	return sl_read32(ad->regs + reg);
}

static inline void
igb_write(const struct igb_adapter *ad, uint32_t reg, uint32_t val)
{
	sl_write32(val, ad->regs + reg);
}

static inline void
igb_flush(const struct igb_adapter *ad)
{
	(void)igb_read(ad, ad->is_vf ? IGBVF_STATUS : IGB_STATUS);
}

/* ---- igb_rxtx.c ---------------------------------------------------------- */

int igb_rx_queue_setup(struct sl_eth_dev *dev, uint16_t qid, uint16_t nb_desc, int socket_id,
		       const struct sl_eth_rxconf *conf, struct sl_mempool *mp);
int igb_tx_queue_setup(struct sl_eth_dev *dev, uint16_t qid, uint16_t nb_desc, int socket_id,
		       const struct sl_eth_txconf *conf);
/* Give one ring to the hardware and enable the queue ([DS] 4.5.9, 4.5.10). */
int igb_rx_queue_init(struct igb_adapter *ad, struct sl_nicq_rx *rxq);
int igb_tx_queue_init(struct igb_adapter *ad, struct sl_nicq_tx *txq);
/* Disable one queue and wait until the hardware says so. */
int igb_rx_queue_disable(struct igb_adapter *ad, uint16_t qid);
int igb_tx_queue_disable(struct igb_adapter *ad, uint16_t qid);

uint16_t igb_recv_pkts(void *rxq, struct sl_mbuf **pkts, uint16_t nb_pkts);
uint16_t igb_xmit_pkts(void *txq, struct sl_mbuf **pkts, uint16_t nb_pkts);

#endif /* IGB_ETHDEV_H */
