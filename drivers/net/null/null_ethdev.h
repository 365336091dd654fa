/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_null private definitions, shared by the control path
 * (null_ethdev.c) and the burst functions (null_rxtx.c).
 *
 * Statistics: each queue embeds the shared struct sl_eth_queue_stats
 * (sl_ethdev_driver.h: one writer, relaxed stores, reset by baseline), plus
 * one counter of its own, the bytes copy=1 moved, kept the same way.
 */
#ifndef NULL_ETHDEV_H
#define NULL_ETHDEV_H

#include <stdbool.h>
#include <stdint.h>

#include "sl_common.h"
#include "sl_ethdev_driver.h"

struct sl_mbuf;
struct sl_mempool;

struct null_rxq {
	/* Hot: read on every burst. */
	struct sl_mempool *mp;
	const uint8_t *pattern;  /* copy=1: frame template, pkt_size bytes */
	uint32_t pkt_size;
	uint16_t port_id;
	uint16_t queue_id;
	uint64_t copied;         /* copy=1: bytes written; polling thread only */
	struct sl_eth_queue_stats stats; /* base: control thread only */
	/* Cold: control thread only. */
	uint64_t copied_base;
} __sl_cache_aligned;

struct null_txq {
	uint8_t *scratch;        /* copy=1: where TX copies packet data */
	uint32_t scratch_len;
	uint16_t queue_id;
	uint64_t copied;         /* copy=1: bytes read; polling thread only */
	struct sl_eth_queue_stats stats; /* base: control thread only */
	uint64_t copied_base;    /* control thread only */
} __sl_cache_aligned;

/* Counters must stay 8-byte aligned for untorn loads and stores. */
static_assert(offsetof(struct null_rxq, stats) % 8 == 0, "rxq counters alignment");
static_assert(offsetof(struct null_txq, stats) % 8 == 0, "txq counters alignment");
/* Every burst writes these: they share the first cache line with the fields
 * the burst reads (nombuf, written only when the pool is empty, may not). */
static_assert(offsetof(struct null_rxq, stats.cnt.bytes) + 8 <= SL_CACHE_LINE_SIZE,
	      "rxq hot counters in the first cache line");
static_assert(offsetof(struct null_txq, stats.cnt.bytes) + 8 <= SL_CACHE_LINE_SIZE,
	      "txq hot counters in the first cache line");

uint16_t null_rx(void *q, struct sl_mbuf **pkts, uint16_t n);
uint16_t null_rx_copy(void *q, struct sl_mbuf **pkts, uint16_t n);
uint16_t null_rx_none(void *q, struct sl_mbuf **pkts, uint16_t n);
uint16_t null_tx(void *q, struct sl_mbuf **pkts, uint16_t n);
uint16_t null_tx_copy(void *q, struct sl_mbuf **pkts, uint16_t n);

#endif /* NULL_ETHDEV_H */
