/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Descriptor-ring queues of the Intel gigabit NICs (net_e1000: 82540EM and
 * 82574L; net_igb: 82576 PF and VF): the queue state, its setup, reset and
 * release, the TX reclaim and the refill stash that both PMDs use.  The
 * descriptor formats and the bursts stay in the drivers; what is shared
 * rests on what the families have in common ([SDM] 8254x SDM rev 4.0 3.2-3.4,
 * 82574 datasheet rev 3.4 7.1-7.2, 82576 datasheet rev 2.63 7.1-7.2):
 *
 *  - 16-byte descriptors, 128-byte aligned rings, head/tail registers;
 *  - an RX descriptor in the "read" format is the buffer address followed
 *    by a zero quadword (legacy: status cleared; advanced: hdr_addr 0);
 *  - every TX descriptor has its RS command bit at byte 11, bit 3, and the
 *    device writes DD back at byte 12, bit 0 (legacy status byte, advanced
 *    olinfo_status, extended data and context descriptors alike).
 *
 * Driver-private (under drivers/, never installed, hidden from libsluice's
 * symbol table).
 */
#ifndef SL_NICQ_H
#define SL_NICQ_H

#include <assert.h>
#include <stdint.h>

#include "sl_common.h"
#include "sl_ethdev_driver.h"
#include "sl_mbuf.h"
#include "sl_mempool.h"
#include "sl_memzone.h"
#include "sl_mmio.h"

#pragma GCC visibility push(hidden)

#define SL_NICQ_DESC_SIZE 16    /* every descriptor of both families */
#define SL_NICQ_DESC_ALIGN 8    /* ring lengths: multiples of 128 bytes */
#define SL_NICQ_RX_STASH 64     /* spare mbufs allocated in bulk */
#define SL_NICQ_TX_FREE_BATCH 64 /* mbufs returned to a pool at once */
#define SL_NICQ_TXD_RS_BYTE 11   /* TX descriptor byte holding CMD.RS */
#define SL_NICQ_TXD_RS 0x08
#define SL_NICQ_TXD_DD_BYTE 12   /* TX descriptor byte holding STA.DD */
#define SL_NICQ_TXD_DD 0x01

/* One RX queue.  The fields up to stats are the consumer state that every
 * burst touches; a driver that has no use for a flag leaves it 0. */
struct sl_nicq_rx {
	void *ring;                 /* nb_desc 16-byte descriptors */
	struct sl_mbuf **sw_ring;   /* mbuf behind each descriptor */
	volatile void *rdt_reg;     /* RX descriptor tail register */
	struct sl_mempool *mp;
	uint16_t nb_desc;
	uint16_t next;              /* next descriptor to check for DD */
	uint16_t nb_hold;           /* refilled but not yet given back via RDT */
	uint16_t free_thresh;
	uint16_t port_id;
	uint16_t stash_n;
	uint8_t csum;               /* report checksum flags */
	uint8_t keep_crc;
	uint8_t rss;                /* report the RSS hash (igb) */
	uint8_t vlan_strip;         /* report stripped tags (igb) */
	uint8_t stopped;            /* queue stopped: bursts return 0 (igb) */
	struct sl_mbuf *seg_first;  /* packet being assembled across bursts */
	struct sl_mbuf *seg_last;
	struct sl_mbuf *stash[SL_NICQ_RX_STASH];
	struct sl_eth_queue_stats stats;

	/* Cold. */
	const struct sl_memzone *mz;
	uint16_t queue_id;
	uint16_t buf_len;           /* bytes the NIC may write per descriptor */
} __sl_cache_aligned;

/* One TX queue.  RS is asked for on one descriptor in rs_thresh; rs_fifo
 * lists those descriptors, oldest first, for the reclaim. */
struct sl_nicq_tx {
	void *ring;                 /* nb_desc 16-byte descriptors */
	struct sl_mbuf **sw_ring;   /* segment sent by each descriptor, or NULL */
	uint16_t *rs_fifo;
	volatile void *tdt_reg;     /* TX descriptor tail register */
	uint16_t nb_desc;
	uint16_t tail;              /* next descriptor to fill */
	uint16_t clean;             /* oldest descriptor not yet reclaimed */
	uint16_t nb_free;
	uint16_t since_rs;          /* descriptors filled since the last RS */
	uint16_t rs_thresh;
	uint16_t free_thresh;
	uint16_t rs_head, rs_tail;
	uint16_t port_id;
	uint8_t stopped;            /* queue stopped: bursts return 0 (igb) */
	uint64_t ctx_key;           /* offload context the device holds */
	uint64_t split_mask;        /* split buffers crossing this boundary; 0 = off */
	struct sl_eth_queue_stats stats;

	/* Cold. */
	const struct sl_memzone *mz;
	uint16_t queue_id;
	uint64_t offloads;
} __sl_cache_aligned;

/* What differs between the PMDs in queue setup. */
struct sl_nicq_conf {
	const char *log;            /* log component, e.g. "E1000" */
	const char *prefix;         /* memzone / allocation names, e.g. "e1000" */
	uint16_t rx_free_thresh;    /* defaults when the application gives 0 */
	uint16_t tx_rs_thresh;
	uint16_t tx_free_thresh;
	uint64_t tx_split_mask;
};

static inline uint16_t
sl_nicq_next(uint16_t i, uint16_t n)
{
	return (uint16_t)(i + 1 == n ? 0 : i + 1);
}

/*
 * A spare mbuf for a refill, from a stash allocated SL_NICQ_RX_STASH at a
 * time (one pool access per 64 packets).  *stash_n is the burst's copy of
 * rxq->stash_n.  Returns NULL when the pool is empty.
 */
static __sl_always_inline struct sl_mbuf *
sl_nicq_rx_spare(struct sl_nicq_rx *rxq, uint16_t *stash_n)
{
	if (sl_unlikely(*stash_n == 0)) {
		if (sl_mbuf_alloc_bulk(rxq->mp, rxq->stash, SL_NICQ_RX_STASH) < 0)
			return NULL;
		*stash_n = SL_NICQ_RX_STASH;
	}
	return rxq->stash[--*stash_n];
}

/*
 * End of an RX burst that handed @p nb_done descriptors back to software:
 * every descriptor before @p idx has a fresh buffer.  RDT is written once
 * per free_thresh descriptors, to idx - 1, which hands them all back but
 * keeps one slot between tail and head.  sl_write32() orders the descriptor
 * stores before the doorbell.
 */
static __sl_always_inline void
sl_nicq_rx_give_back(struct sl_nicq_rx *rxq, uint16_t idx, uint16_t nb_done)
{
	rxq->nb_hold = (uint16_t)(rxq->nb_hold + nb_done);
	if (rxq->nb_hold > rxq->free_thresh) {
		sl_write32(idx == 0 ? rxq->nb_desc - 1u : idx - 1u, rxq->rdt_reg);
		rxq->nb_hold = 0;
	}
}

/* Ask for a write-back of descriptor @p last and queue it for the reclaim. */
static __sl_always_inline void
sl_nicq_tx_mark_rs(struct sl_nicq_tx *txq, uint16_t last)
{
	((uint8_t *)txq->ring)[(size_t)last * SL_NICQ_DESC_SIZE + SL_NICQ_TXD_RS_BYTE] |=
		SL_NICQ_TXD_RS;
	txq->rs_fifo[txq->rs_tail] = last;
	txq->rs_tail = sl_nicq_next(txq->rs_tail, txq->nb_desc);
}

/* Extra descriptors a chain needs because its segments cross
 * txq->split_mask boundaries. */
static inline uint16_t
sl_nicq_tx_crossings(const struct sl_mbuf *m, uint64_t mask)
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
 * rx_queue_setup: checks the ring size and the pool's data room (more than
 * @p min_room bytes after the headroom), allocates the queue, its mbuf ring
 * and its descriptor ring (a 4 KiB-aligned IOVA-contiguous memzone) and
 * fills in the common fields; the buffer length is the data room, capped
 * at @p max_buf and rounded down to a multiple of @p buf_align.  Stores
 * the queue in dev->data.rx_queues[qid].
 * @return the queue, or NULL with errno EINVAL (bad size or pool, logged)
 *         or ENOMEM.
 */
struct sl_nicq_rx *sl_nicq_rx_setup(struct sl_eth_dev *dev, const struct sl_nicq_conf *c,
				    uint16_t qid, uint16_t nb_desc, int socket_id,
				    const struct sl_eth_rxconf *conf, struct sl_mempool *mp,
				    uint32_t min_room, uint32_t max_buf, uint32_t buf_align);

/* Put one mbuf of the pool behind every descriptor, in the read format.
 * @return 0, or -ENOMEM (logged) when the pool is short. */
int sl_nicq_rx_fill(struct sl_nicq_rx *rxq, const char *log);

/* Free every mbuf the queue holds (ring, partial chain, stash). */
void sl_nicq_rx_reset(struct sl_nicq_rx *rxq);

/* rx_queue_release: reset, then free the queue and its rings. */
void sl_nicq_rx_release(struct sl_eth_dev *dev, uint16_t qid);

/* tx_queue_setup: as sl_nicq_rx_setup() for TX.  @return the queue, or
 * NULL with errno EINVAL (logged) or ENOMEM. */
struct sl_nicq_tx *sl_nicq_tx_setup(struct sl_eth_dev *dev, const struct sl_nicq_conf *c,
				    uint16_t qid, uint16_t nb_desc, int socket_id,
				    const struct sl_eth_txconf *conf);

/* Reclaim every descriptor up to the oldest RS descriptor marked done. */
void sl_nicq_tx_reclaim(struct sl_nicq_tx *txq);

/* Drop everything in flight (after the TX unit is off) and empty the ring. */
void sl_nicq_tx_reset(struct sl_nicq_tx *txq);

/* tx_queue_release: reset, then free the queue and its rings. */
void sl_nicq_tx_release(struct sl_eth_dev *dev, uint16_t qid);

/* stats_get / stats_reset of the queues' software counters. */
static inline int
sl_nicq_stats_sum(const struct sl_eth_dev *dev, struct sl_eth_stats *st)
{
	return sl_eth_queue_stats_sum(dev, st, offsetof(struct sl_nicq_rx, stats),
				      offsetof(struct sl_nicq_tx, stats));
}

static inline int
sl_nicq_stats_reset(struct sl_eth_dev *dev)
{
	return sl_eth_queue_stats_reset(dev, offsetof(struct sl_nicq_rx, stats),
					offsetof(struct sl_nicq_tx, stats));
}

/* ---- control path: MAC address registers and statistics ---------------- */

/* Both families keep receive address 0 in RAL0/RAH0 with the valid bit
 * at RAH bit 31 ([SDM] 13.5.2-3, [DS] 82576 8.10.x). */
#define SL_NICQ_RAH_AV (1u << 31)

/* A unicast, non-zero address. */
int sl_nicq_mac_is_valid(const uint8_t mac[6]);

/* Decode RAL0/RAH0 into @p mac.  @return 1 when RAH.AV is set and the
 * address is valid, 0 otherwise. */
int sl_nicq_mac_from_ra(uint32_t ral, uint32_t rah, uint8_t mac[6]);

/* Encode @p mac as RAL0/RAH0 with RAH.AV set. */
void sl_nicq_mac_to_ra(const uint8_t mac[6], uint32_t *ral, uint32_t *rah);

/* ---- control path: receive filters ------------------------------------ */

/* Both families have RCTL at 0x00100 with the same three filter bits, of
 * the same meaning: UPE passes every unicast frame, MPE every multicast
 * frame, BAM broadcast frames ([SDM] 13.4.22, 82574 [DS] 10.2.5.1, 82576
 * [DS] 8.10.1).  Each driver's register header names them too and
 * static_asserts that they agree. */
#define SL_NICQ_RCTL 0x00100        /* Receive Control - RW */
#define SL_NICQ_RCTL_UPE (1u << 3)  /* unicast promiscuous */
#define SL_NICQ_RCTL_MPE (1u << 4)  /* multicast promiscuous */
#define SL_NICQ_RCTL_BAM (1u << 15) /* accept broadcast */

/* The RCTL filter bits of a port: broadcast always, every multicast frame
 * when @p allmulti, every frame when @p promisc. */
static inline uint32_t
sl_nicq_rctl_filters(int promisc, int allmulti)
{
	uint32_t r = SL_NICQ_RCTL_BAM;

	if (promisc)
		r |= SL_NICQ_RCTL_UPE | SL_NICQ_RCTL_MPE;
	else if (allmulti)
		r |= SL_NICQ_RCTL_MPE;
	return r;
}

/* Rewrite the filter bits of RCTL in the BAR0 mapped at @p regs for the
 * state the port is moving to (ethdev records data.promiscuous and
 * data.all_multicast only after the op returns), keeping the other bits. */
void sl_nicq_rctl_filters_set(uint8_t *regs, int promisc, int allmulti);

/* One counter of a statistics block. */
struct sl_nicq_hw_stat {
	const char *name;
	uint32_t reg;      /* low register; 64-bit pairs read low then high */
	uint8_t is64;
};

/* Read one counter (a 64-bit pair low half first: reading the high half
 * is what clears both on the parts that clear on read). */
static inline uint64_t
sl_nicq_hw_stat_read(const uint8_t *regs, const struct sl_nicq_hw_stat *s)
{
	uint64_t v = sl_read32(regs + s->reg);

	if (s->is64)
		v |= (uint64_t)sl_read32(regs + s->reg + 4) << 32;
	return v;
}

/* xstats_get from @p nb accumulated counters.  @return @p nb. */
int sl_nicq_xstats_fill(const uint64_t *vals, unsigned int nb, struct sl_eth_xstat *xs,
			unsigned int n);

/* xstats_get_names from a table of @p nb counters.  @return @p nb. */
int sl_nicq_xstats_names(const struct sl_nicq_hw_stat *t, unsigned int nb,
			 struct sl_eth_xstat_name *names, unsigned int size);

#pragma GCC visibility pop

#endif /* SL_NICQ_H */
