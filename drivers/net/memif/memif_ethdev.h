/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_memif private definitions, shared by the control path
 * (memif_ethdev.c) and the burst functions (memif_rxtx.c).
 *
 * Spec: see memif_proto.h.
 *
 * Connection and the data path.  The control thread maps a peer's rings
 * and unmaps them when the peer goes away, while the polling thread may be
 * inside a burst.  Each queue has two flags: `ready` (written by the
 * control thread) and `busy` (written by the polling thread around each
 * burst).  A burst sets busy, makes a full fence, then reads ready; the
 * control thread clears ready, makes a full fence, then waits until busy
 * is clear before it touches the mapping.  Either the burst sees ready
 * clear and leaves, or the control thread sees busy set and waits: the
 * mapping is never freed under a burst (Dekker's pattern; one fence per
 * burst, not per packet).
 *
 * Counters follow net_null: written by the polling thread with relaxed
 * atomic stores, read with relaxed loads, reset by moving a baseline.
 */
#ifndef MEMIF_ETHDEV_H
#define MEMIF_ETHDEV_H

#include <stdint.h>

#include "memif_proto.h"
#include "sl_common.h"
#include "sl_ethdev_driver.h"

struct sl_mbuf;
struct sl_mempool;

#define MEMIF_MAX_QUEUES 16
#define MEMIF_MAX_REGIONS 16

/** A mapped region (ours as client, the peer's as server). */
struct memif_region {
	uint8_t *addr;
	uint64_t size;
	int fd;
};

/**
 * One direction of one queue pair.  The fields from ring to nregions are
 * set by the control thread while ready is clear (see top).
 */
struct memif_queue {
	uint32_t busy;                 /* polling thread: inside a burst */
	uint32_t ready;                /* control thread: ring mapped, connected */
	struct memif_ring *ring;
	const struct memif_region *regions;
	uint16_t nregions;
	uint16_t mask;                 /* ring size - 1 */
	uint16_t last;                 /* RX: next descriptor to read (our copy) */
	uint8_t client;                /* we own the buffers (client role) */
	uint8_t log2;
	uint32_t bsize;                /* our buffers' size (client) */
	uint64_t buf_base;             /* offset of this ring's first buffer (client) */
	int kick_fd;                   /* eventfd of the ring (-1: none) */
	uint16_t port_id;
	uint16_t queue_id;
	struct sl_mempool *mp;         /* RX only */
	/* errors: descriptors pointing outside the regions; TX: too long */
	struct sl_eth_queue_stats stats;
} __sl_cache_aligned;

static_assert(offsetof(struct memif_queue, stats) % 8 == 0, "counters alignment");

uint16_t memif_rx(void *q, struct sl_mbuf **pkts, uint16_t n);
uint16_t memif_tx(void *q, struct sl_mbuf **pkts, uint16_t n);

/** Client: give every descriptor of an M2S ring back to the server (at connect). */
void memif_rx_ring_fill(struct memif_queue *q);

#endif /* MEMIF_ETHDEV_H */
