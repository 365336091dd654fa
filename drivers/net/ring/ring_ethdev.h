/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_ring private definitions shared by ring_ethdev.c and ring_rxtx.c.
 * Counters follow the same single-writer scheme as net_null (see
 * drivers/net/null/null_ethdev.h): the polling thread stores with relaxed
 * atomic stores, the control thread loads relaxed and resets by rebasing.
 */
#ifndef RING_ETHDEV_H
#define RING_ETHDEV_H

#include <stdbool.h>
#include <stdint.h>

#include "sl_common.h"
#include "sl_eth_ring.h"
#include "sl_rss.h"
#include "sl_ethdev_driver.h"

struct sl_mbuf;

struct ring_counters {
	uint64_t pkts;
	uint64_t bytes;
	uint64_t errs; /* TX: packets refused because the ring was full */
	/*
	 * RX: packets an RSS sender dropped because this queue's ring was
	 * full (imissed).  Several TX queues may write it: atomic add.
	 */
	uint64_t missed;
};

/*
 * max_pps= (a test aid): a token bucket that lets at most pps packets a
 * second through a TX queue and drops the rest, like a device under test
 * that cannot forward more.  Credit is kept in TSC cycles * pps; a packet
 * costs hz of it.  Used only by ring_tx_policed(): ring_tx() never sees it.
 */
struct ring_police {
	uint64_t pps;
	uint64_t hz;
	uint64_t depth;   /* most credit: 'burst' packets' worth */
	uint64_t credit;
	uint64_t last;    /* TSC of the last refill */
};

/*
 * drop_every=, dup_every=, swap_every= (test aids): faults injected on TX,
 * counted on the packets offered to the queue (the n-th is packet n - 1):
 * every N-th is dropped; every N-th is sent twice; every N-th is held back
 * and sent after the next one.  Used only by ring_tx_aid().
 */
struct ring_faults {
	uint64_t drop_every, dup_every, swap_every;
	bool dup_next_queue;    /* copies to the peer's RX queue queue_id + 1 */
	uint16_t queue_id;      /* this TX queue's */
	uint64_t seen;          /* packets offered so far */
	struct sl_mbuf *held;   /* swap: waits for the next packet */
};
struct ring_private;

struct ring_queue {
	struct sl_ring *ring; /* RX: ring read; TX: ring written (own or peer's) */
	/* TX: the receiving port (self or peer), whose RSS state spreads
	 * packets over its RX rings; NULL for ports made from app rings. */
	struct ring_private *dst;
	uint16_t port_id;
	uint8_t stopped;      /* queue stopped (sl_eth_dev_*_queue_stop) */
	struct ring_counters cnt;
	struct ring_counters base;
	struct ring_police police;
	struct ring_faults faults;
} __sl_cache_aligned;

/* Redirection table entries (a power of two: the hash is masked). */
#define RING_RETA_SIZE 128
static_assert((RING_RETA_SIZE & (RING_RETA_SIZE - 1)) == 0, "RETA size must be a power of 2");

/*
 * Software RSS of a receiving port.  Written by its control thread
 * (configure, hash/RETA update), read by every sender's TX burst: each
 * field is stored whole with relaxed atomics, so a sender sees the old or
 * the new value of an entry, and a RETA entry always names an existing
 * ring (ring count >= configured queues).
 */
struct ring_rss {
	uint8_t on;                       /* mq_mode RSS configured */
	uint64_t hf;                      /* SL_ETH_RSS_* (0: everything to reta[0]) */
	uint8_t key[SL_RSS_KEY_LEN];
	uint16_t reta[RING_RETA_SIZE];
	struct sl_rss_table table;        /* key expanded: what the TX path hashes with */
} __sl_cache_aligned;

struct ring_private {
	struct ring_rss rss;
	unsigned int nb_rx;                  /* rings available for RX queues */
	unsigned int nb_tx;                  /* rings available for TX queues */
	bool owns_rings;                     /* vdev: we created rx_rings[] */
	struct sl_ring *rx_rings[SL_ETH_RING_MAX_QUEUES];
	struct sl_ring *tx_rings[SL_ETH_RING_MAX_QUEUES];
	uint16_t peer;                       /* paired port, or UINT16_MAX */
	char pending_peer[SL_ETH_NAME_MAX_LEN]; /* peer= not probed yet */
	struct ring_queue rxq[SL_ETH_RING_MAX_QUEUES];
	struct ring_queue txq[SL_ETH_RING_MAX_QUEUES];
	uint64_t max_pps;                    /* max_pps= test aid, 0 = off */
	uint64_t drop_every, dup_every, swap_every; /* fault test aids, 0 = off */
	bool dup_next_queue;                 /* dup_next_queue=1 */
};

static __sl_always_inline void
ring_cnt_add(uint64_t *c, uint64_t v)
{
	/* Single writer (the polling thread): no locked RMW needed. */
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + v, __ATOMIC_RELAXED);
}

uint16_t ring_rx(void *q, struct sl_mbuf **pkts, uint16_t n);
uint16_t ring_tx(void *q, struct sl_mbuf **pkts, uint16_t n);
uint16_t ring_tx_aid(void *q, struct sl_mbuf **pkts, uint16_t n);
uint16_t ring_tx_rss(struct ring_queue *txq, struct ring_private *dst, struct sl_mbuf **pkts,
		    uint16_t n);

#endif /* RING_ETHDEV_H */
