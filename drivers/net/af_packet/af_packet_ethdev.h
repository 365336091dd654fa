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
 *    it is full or its retire timer fires.  A frame longer than rxcopy=
 *    bytes is not copied: its mbuf is attached to it in the ring as an
 *    external buffer (sl_mbuf_attach_extbuf()), and the block goes back to
 *    the kernel (TP_STATUS_KERNEL) when the reader has left it and the last
 *    of its mbufs is freed, wherever that happens (struct afp_rx_block).
 *    Shorter frames are copied into mbufs.  With several queue pairs the RX
 *    sockets form one PACKET_FANOUT_HASH group, so a flow stays on one queue.
 *  - TX: TPACKET_V2, a frame-based mmap ring (TPACKET_V3 TX rings exist but
 *    are frame-based too and gain nothing), PACKET_QDISC_BYPASS, bound with
 *    protocol 0 so it never receives.  A burst fills frames and marks them
 *    TP_STATUS_SEND_REQUEST; one sendto() per burst is the documented kick.
 *    The socket has PACKET_VNET_HDR: each frame starts with a struct
 *    virtio_net_hdr (no offload, no GSO) whose hdr_len tells the kernel how
 *    many bytes to copy into the skb's linear buffer (tpacket_snd()).  The
 *    rest of a frame is attached as pages of the ring, which any path that
 *    delivers the skb locally (veth, bridge, loopback, tap) must copy into
 *    new pages (skb_orphan_frags()): for frames up to txcopy= bytes one
 *    linear copy is cheaper.  With the header the kernel no longer checks
 *    a frame against the MTU, so we do (afp_tx).
 *
 * Counters follow net_null: written by the polling thread with relaxed
 * atomic stores, read with relaxed loads, reset by moving a baseline.
 */
#ifndef AF_PACKET_ETHDEV_H
#define AF_PACKET_ETHDEV_H

#include <linux/if_packet.h>
#include <linux/virtio_net.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "sl_common.h"
#include "sl_ethdev_driver.h"
#include "sl_mbuf.h"

/* Where packet data starts in a TPACKET_V2 TX frame (packet_mmap.rst, "TX"). */
#define AFP_TX_DATA_OFF (TPACKET_ALIGN(sizeof(struct tpacket2_hdr)))
/* The packet itself follows the virtio-net header (see top). */
#define AFP_TX_PKT_OFF (AFP_TX_DATA_OFF + sizeof(struct virtio_net_hdr))

/*
 * Queue counters (sl_eth_queue_stats): errors are, on RX, frames the kernel
 * truncated and, on TX, frames too long or rejected by the kernel
 * (TP_STATUS_WRONG_FORMAT); nombuf drops the packet.  RX missed is the
 * kernel's PACKET_STATISTICS tp_drops, summed by the control thread (the
 * only writer of that field; reading the statistic resets it).
 */

struct afp_rxq;

/*
 * Zero-copy state of one RX block.  A block is "held" from when the reader
 * enters it (it is the kernel's again only once the reader has left it and
 * every mbuf attached to one of its frames is freed): shinfo.refcnt counts
 * the reader's reference plus one per attached mbuf.  Whoever drops the last
 * one (the reader, or sl_mbuf_free() on any thread) gives the block back:
 * TP_STATUS_KERNEL, then held = 0.  Until held is 0 the reader must not
 * trust the block's status: it is still USER from the last lap.
 */
struct afp_rx_block {
	struct sl_mbuf_ext_shared_info shinfo;
	struct afp_rxq *rxq;
	uint32_t held;
};

struct afp_rxq {
	/* Hot: read on every burst. */
	uint8_t *ring;               /* mmap of block_nr * block_size bytes */
	uint32_t block_size;
	uint32_t block_nr;
	uint32_t block;              /* block being read */
	uint32_t left;               /* frames still unread in that block */
	uint32_t unattached;         /* frames of that block with no mbuf on them */
	uint32_t copy_max;           /* frames up to this long are copied (rxcopy=) */
	struct tpacket3_hdr *next;   /* next unread frame in that block */
	struct afp_rx_block *blocks; /* block_nr entries */
	struct sl_mempool *mp;
	uint16_t port_id;
	struct sl_eth_queue_stats stats; /* base: control thread only */
	/* Shared: 1 while the queue is set up, plus one per held block; the
	 * last to drop it unmaps the ring and frees the queue, so mbufs may
	 * outlive the queue's release (afp_rxq_put()). */
	uint32_t refs __sl_cache_aligned;
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
	uint32_t max_len;            /* longest untagged frame: room and MTU */
	uint32_t max_len_vlan;       /* longest 802.1Q/802.1ad-tagged frame */
	uint32_t copy_max;           /* frames up to this long go linear (txcopy=) */
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

/**
 * Set the longest frame a TX queue sends, from the interface's MTU (the
 * kernel does not check it, see top) and the frame room.
 */
void afp_txq_mtu_set(struct afp_txq *txq, uint32_t mtu);

uint16_t afp_rx(void *q, struct sl_mbuf **pkts, uint16_t n);
uint16_t afp_tx(void *q, struct sl_mbuf **pkts, uint16_t n);

/**
 * Drop what the RX queue has not read yet: the rest of the block being
 * read and every block the kernel has handed over since (control thread,
 * port stopped).  Blocks that mbufs still hold stay held.
 *
 * @return true if the block the kernel fills next already has frames in
 *   it: they will be handed over within the block's retire timeout.
 */
bool afp_rxq_flush(struct afp_rxq *rxq);

/** Set up the zero-copy state of every block of a new RX queue (refs = 1). */
void afp_rxq_blocks_init(struct afp_rxq *rxq);

/**
 * Drop one reference of @p rxq (see afp_rxq.refs); the last one unmaps its
 * ring, closes its socket and frees it.
 */
void afp_rxq_put(struct afp_rxq *rxq);

/** Unmap, close and free an RX queue no mbuf holds (afp_rxq_put()). */
void afp_rxq_destroy(struct afp_rxq *rxq);

#endif /* AF_PACKET_ETHDEV_H */
