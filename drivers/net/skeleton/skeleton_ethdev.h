/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_skeleton: the template PMD.  Copy drivers/net/skeleton to
 * drivers/net/<yours>, rename skel_/SKEL_/net_skeleton, and replace the
 * internal loop with your device.  doc/writing-a-pmd.md explains each part.
 *
 * This header holds what the control path (skeleton_ethdev.c) and the fast
 * path (skeleton_rxtx.c) share: the queue structures and the burst
 * functions.  It is private to the driver: nothing here is installed.
 *
 * The "device" is an internal loop: TX queue q puts packets on ring q and
 * RX queue q receives them from it, copied into mbufs of its own pool as a
 * NIC's DMA would write them.  So a port sends to itself, queue by queue.
 */
#ifndef SKELETON_ETHDEV_H
#define SKELETON_ETHDEV_H

#include <stdint.h>

#include "sl_common.h"
#include "sl_ethdev_driver.h"

struct sl_mbuf;
struct sl_mempool;
struct sl_ring;

/* Limits the driver reports in dev_infos_get; ethdev enforces them. */
#define SKEL_MAX_QUEUES 8
#define SKEL_MAX_MTU 9000
#define SKEL_MAX_FRAME (SKEL_MAX_MTU + SL_ETHER_HDR_LEN + SL_ETHER_CRC_LEN)
/* Most packets one RX burst returns (its buffers are on the stack). */
#define SKEL_MAX_BURST 64

/*
 * One RX queue.  Everything the burst function reads sits first; the
 * counters follow (written by the polling thread only, see
 * struct sl_eth_queue_stats).  Cache-line aligned so that two queues polled
 * by two threads never share a line.
 */
struct skel_rxq {
	struct sl_ring *ring;         /* the loop's ring for this queue pair */
	struct sl_mempool *mp;        /* RX buffers come from here */
	uint16_t port_id;             /* stored in every received mbuf */
	uint16_t queue_id;
	uint16_t room;                /* data room of mp's mbufs after headroom */
	struct sl_eth_queue_stats stats;
} __sl_cache_aligned;

struct skel_txq {
	struct sl_ring *ring;
	uint16_t queue_id;
	struct sl_eth_queue_stats stats;
} __sl_cache_aligned;

/* Counters are 8-byte aligned, so relaxed loads and stores are never torn. */
static_assert(offsetof(struct skel_rxq, stats) % 8 == 0, "rxq counters alignment");
static_assert(offsetof(struct skel_txq, stats) % 8 == 0, "txq counters alignment");

/* The burst functions (sl_eth_rx_burst_t / sl_eth_tx_burst_t). */
uint16_t skel_rx(void *q, struct sl_mbuf **pkts, uint16_t n);
uint16_t skel_tx(void *q, struct sl_mbuf **pkts, uint16_t n);

/* Free every packet still in @p r (stop, close, reconfigure). */
void skel_ring_drain(struct sl_ring *r);

#endif /* SKELETON_ETHDEV_H */
