/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_af_xdp private definitions, shared by the control path
 * (af_xdp_ethdev.c) and the burst functions (af_xdp_rxtx.c).
 *
 * Spec: Linux Documentation/networking/af_xdp.rst (kernel 6.x), the
 * <linux/if_xdp.h> UAPI, and libxdp's <xdp/xsk.h> (libxdp 1.3) for the ring
 * accessors.
 *
 * The UMEM is the RX mempool's own memory ("unaligned chunk" mode,
 * af_xdp.rst "XDP_UMEM_UNALIGNED_CHUNK_FLAG"), so neither RX nor TX copies
 * a packet between UMEM and mbuf:
 *  - a chunk starts at a struct sl_mbuf; the UMEM's frame headroom is the
 *    mbuf header, its private area and SL_PKTMBUF_HEADROOM, so the kernel
 *    writes a packet at buf_addr + SL_PKTMBUF_HEADROOM + XDP_PACKET_HEADROOM;
 *  - RX hands mbufs (chunk addresses) to the fill ring and takes them back
 *    from the RX ring: desc.addr carries the chunk address in its low 48
 *    bits and the offset of the data from it in the high 16;
 *  - TX puts an mbuf of the same pool on the TX ring as it is (address of
 *    the mbuf | offset of its data) and frees it when the completion ring
 *    returns that address.  An mbuf of another pool, a chain or a clone is
 *    first copied into a new mbuf of the UMEM pool.
 * All queues of a port that use the same mempool share one UMEM
 * (XDP_SHARED_UMEM); each queue has its own fill and completion rings.
 *
 * Counters follow net_af_packet: written by the polling thread with relaxed
 * atomic stores, read with relaxed loads, reset by moving a baseline.
 */
#ifndef AF_XDP_ETHDEV_H
#define AF_XDP_ETHDEV_H

#include <linux/if_xdp.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include <xdp/xsk.h>

#include "sl_common.h"
#include "sl_ethdev_driver.h"

struct sl_mbuf;
struct sl_mempool;

/* Largest queue count of one port (one XSK per queue). */
#define AFX_MAX_QUEUES 16

/** A UMEM: the memory of one mempool, registered once per port. */
struct afx_umem {
	struct xsk_umem *umem;
	struct sl_mempool *mp;
	uint8_t *base;              /* page-aligned start of the registered area */
	size_t len;
	/* Fill and completion rings libxdp created with the UMEM; the first
	 * socket on it uses them, later ones bring their own. */
	struct xsk_ring_prod fq0;
	struct xsk_ring_cons cq0;
	bool rings0_taken;
	unsigned int users;         /* sockets on it */
};

/*
 * Queue counters (sl_eth_queue_stats): nombuf is, on RX, a fill-ring refill
 * the pool could not supply and, on TX, a packet left to the caller for want
 * of a UMEM mbuf to copy it into; TX errors are packets too long for a UMEM
 * frame (taken and freed).  The kernel's drops (XDP_STATISTICS) are read by
 * the control thread.
 */

struct afx_rxq {
	/* Hot: read on every burst. */
	struct xsk_ring_cons rx;
	struct xsk_ring_prod *fq;
	uint8_t *base;                 /* umem->base */
	struct sl_mempool *mp;
	uint16_t port_id;
	uint16_t hdr_len;              /* sizeof(sl_mbuf) + priv_size */
	bool kick;                     /* busy polling: recvfrom() on every burst */
	bool fill_short;               /* the last refill found the pool empty */
	int fd;
	struct sl_eth_queue_stats stats; /* base: control thread only */
	/* Cold: control thread only. */
	struct xsk_ring_prod fq_own;   /* when not the UMEM's first socket */
	struct xsk_ring_cons cq_own;
	struct xsk_socket *xsk;
	struct afx_umem *umem;
	struct xdp_statistics kstats_base;
	uint16_t queue_id;             /* port queue; the interface's is start_queue + this */
} __sl_cache_aligned;

struct afx_txq {
	/* Hot. */
	struct xsk_ring_prod tx;
	struct xsk_ring_cons *cq;
	uint8_t *base;
	struct sl_mempool *mp;         /* the UMEM's pool */
	uint32_t max_len;              /* longest packet a UMEM mbuf holds */
	int fd;
	uint64_t completed;            /* descriptors the completion ring returned */
	struct sl_eth_queue_stats stats; /* base: control thread only */
	/* Cold. */
	struct afx_rxq *rxq;           /* the socket is the RX queue's */
	uint16_t queue_id;
} __sl_cache_aligned;

static_assert(offsetof(struct afx_rxq, stats) % 8 == 0, "rxq counters alignment");
static_assert(offsetof(struct afx_txq, stats) % 8 == 0, "txq counters alignment");
/* desc.addr = chunk address | data offset << 48 (if_xdp.h). */
static_assert(XSK_UNALIGNED_BUF_OFFSET_SHIFT == 48, "unaligned UMEM address layout");

uint16_t afx_rx(void *q, struct sl_mbuf **pkts, uint16_t n);
uint16_t afx_tx(void *q, struct sl_mbuf **pkts, uint16_t n);

/** Top the fill ring up (whole batches), as far as the pool allows. */
void afx_fill(struct afx_rxq *rxq);
/** Take every mbuf back from the kernel's rings and free it (socket closed). */
void afx_rxq_drain(struct afx_rxq *rxq);
/** Free the mbufs still on the TX ring, never sent (socket being closed). */
void afx_txq_drain(struct afx_txq *txq);
/** Free the mbufs the completion ring returned. @return how many. */
uint32_t afx_tx_reclaim(struct afx_txq *txq);

#endif /* AF_XDP_ETHDEV_H */
