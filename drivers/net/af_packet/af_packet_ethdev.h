/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_af_packet private definitions, shared by the control path
 * (af_packet_ethdev.c) and the burst functions (af_packet_rxtx.c).
 *
 * Spec: Linux Documentation/networking/packet_mmap.rst (kernel 6.x) and
 * packet(7); the ring layouts are those of <linux/if_packet.h>.
 *
 * Each queue pair owns two AF_PACKET sockets:
 *  - RX: TPACKET_V3, a block-based mmap ring.  The kernel packs frames into a
 *    block and hands the whole block to user space (block_status USER) when
 *    it is full or its retire timer fires; we copy the frames into mbufs and
 *    give the block back (TP_STATUS_KERNEL).  With several queue pairs the RX
 *    sockets form one PACKET_FANOUT_HASH group, so a flow stays on one queue.
 *  - TX: TPACKET_V2, a frame-based mmap ring (TPACKET_V3 TX rings exist but
 *    are frame-based too and gain nothing), PACKET_QDISC_BYPASS, bound with
 *    protocol 0 so it never receives.  A burst fills frames and marks them
 *    TP_STATUS_SEND_REQUEST; one sendto() per burst is the documented kick.
 *
 * Counters follow net_null: written by the polling thread with relaxed
 * atomic stores, read with relaxed loads, reset by moving a baseline.
 */
#ifndef AF_PACKET_ETHDEV_H
#define AF_PACKET_ETHDEV_H

#include <linux/if_packet.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "sl_common.h"
#include "sl_ethdev_driver.h"

struct sl_mbuf;
struct sl_mempool;

/* Where packet data starts in a TPACKET_V2 TX frame (packet_mmap.rst, "TX"). */
#define AFP_TX_DATA_OFF (TPACKET_ALIGN(sizeof(struct tpacket2_hdr)))

/*
 * Queue counters (sl_eth_queue_stats): errors are, on RX, frames the kernel
 * truncated and, on TX, frames too long or rejected by the kernel
 * (TP_STATUS_WRONG_FORMAT); nombuf drops the packet.  RX missed is the
 * kernel's PACKET_STATISTICS tp_drops, summed by the control thread (the
 * only writer of that field; reading the statistic resets it).
 */

struct afp_rxq {
	/* Hot: read on every burst. */
	uint8_t *ring;               /* mmap of block_nr * block_size bytes */
	uint32_t block_size;
	uint32_t block_nr;
	uint32_t block;              /* block being read */
	uint32_t left;               /* frames still unread in that block */
	struct tpacket3_hdr *next;   /* next unread frame in that block */
	struct sl_mempool *mp;
	uint16_t port_id;
	struct sl_eth_queue_stats stats; /* base: control thread only */
	/* Cold: control thread only. */
	int fd;
	bool in_fanout;              /* member of the port's PACKET_FANOUT group */
	uint16_t queue_id;
} __sl_cache_aligned;

struct afp_txq {
	uint8_t *ring;               /* mmap of frame_nr * frame_size bytes */
	uint32_t frame_size;
	uint32_t frame_nr;
	uint32_t frame;              /* next frame to fill */
	uint32_t max_len;            /* frame_size - AFP_TX_DATA_OFF */
	int fd;
	struct sl_eth_queue_stats stats;
	uint16_t queue_id;
} __sl_cache_aligned;

/* Counters must stay 8-byte aligned for untorn loads and stores. */
static_assert(offsetof(struct afp_rxq, stats) % 8 == 0, "rxq counters alignment");
static_assert(offsetof(struct afp_txq, stats) % 8 == 0, "txq counters alignment");
/* The TX data offset the kernel uses is TPACKET2_HDRLEN - sizeof(sockaddr_ll). */
static_assert(AFP_TX_DATA_OFF == TPACKET2_HDRLEN - sizeof(struct sockaddr_ll),
	      "TPACKET_V2 TX data offset");

uint16_t afp_rx(void *q, struct sl_mbuf **pkts, uint16_t n);
uint16_t afp_tx(void *q, struct sl_mbuf **pkts, uint16_t n);

/** Give every block the kernel has handed over back to it (control thread, stopped). */
void afp_rxq_flush(struct afp_rxq *rxq);

#endif /* AF_PACKET_ETHDEV_H */
