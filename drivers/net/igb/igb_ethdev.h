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
#define IGB_RX_STASH 64
#define IGB_TX_FREE_BATCH 64
/* The 82576 takes frames up to 9.5 KiB ([DS] 8.10 RLPML); MTU 9000 plus
 * header, one VLAN tag and FCS is as far as the rest of the family goes. */
#define IGB_MAX_FRAME 9022
#define IGB_ETH_OVERHEAD (14 + 4 + 4) /* header, one VLAN tag, FCS */

/* ---- queues ------------------------------------------------------------ */

struct igb_rx_queue {
	/* Consumer state, touched on every burst. */
	union igb_rx_desc *ring;
	struct sl_mbuf **sw_ring;
	volatile void *rdt_reg;
	struct sl_mempool *mp;
	uint16_t nb_desc;
	uint16_t next;
	uint16_t nb_hold;
	uint16_t free_thresh;
	uint16_t port_id;
	uint16_t stash_n;
	uint8_t csum;      /* report checksum flags */
	uint8_t rss;       /* report the RSS hash */
	uint8_t vlan_strip;
	uint8_t stopped;   /* queue stopped: burst returns 0 */
	struct sl_mbuf *seg_first;
	struct sl_mbuf *seg_last;
	struct sl_mbuf *stash[IGB_RX_STASH];

	/* Counters, written only by the polling thread. */
	uint64_t ipackets;
	uint64_t ibytes;
	uint64_t ierrors;
	uint64_t nombuf;

	/* Cold. */
	const struct sl_memzone *mz;
	uint16_t queue_id;
	uint16_t buf_len;
} __sl_cache_aligned;

struct igb_tx_queue {
	union igb_tx_any {
		struct igb_tx_desc data;
		struct igb_tx_ctx_desc ctx;
	} *ring;
	struct sl_mbuf **sw_ring;
	uint16_t *rs_fifo;
	volatile void *tdt_reg;
	uint16_t nb_desc;
	uint16_t tail;
	uint16_t clean;
	uint16_t nb_free;
	uint16_t since_rs;
	uint16_t rs_thresh;
	uint16_t free_thresh;
	uint16_t rs_head, rs_tail;
	uint16_t port_id;
	uint8_t stopped;
	uint64_t ctx_key;  /* offloads, lengths and VLAN of the live context */
	uint64_t split_mask; /* split buffers crossing this boundary (QEMU), see probe */

	uint64_t opackets;
	uint64_t obytes;

	const struct sl_memzone *mz;
	uint16_t queue_id;
} __sl_cache_aligned;

/* ---- adapter ------------------------------------------------------------ */

struct igb_hw_stat {
	const char *name;
	uint32_t reg;
	uint8_t is64;
};

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

extern const struct igb_hw_stat igb_hw_stat_table[IGB_NB_HW_STATS];
extern const struct igb_hw_stat igbvf_hw_stat_table[IGBVF_NB_HW_STATS];

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
void igb_rx_queue_release(struct sl_eth_dev *dev, uint16_t qid);
void igb_tx_queue_release(struct sl_eth_dev *dev, uint16_t qid);
/* Give one ring to the hardware and enable the queue ([DS] 4.5.9, 4.5.10). */
int igb_rx_queue_init(struct igb_adapter *ad, struct igb_rx_queue *rxq);
int igb_tx_queue_init(struct igb_adapter *ad, struct igb_tx_queue *txq);
/* Disable one queue and wait until the hardware says so. */
int igb_rx_queue_disable(struct igb_adapter *ad, uint16_t qid);
int igb_tx_queue_disable(struct igb_adapter *ad, uint16_t qid);
/* Drop everything in flight once the queue is disabled. */
void igb_rx_queue_reset(struct igb_rx_queue *rxq);
void igb_tx_queue_reset(struct igb_tx_queue *txq);

uint16_t igb_recv_pkts(void *rxq, struct sl_mbuf **pkts, uint16_t nb_pkts);
uint16_t igb_xmit_pkts(void *txq, struct sl_mbuf **pkts, uint16_t nb_pkts);

#endif /* IGB_ETHDEV_H */
