/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_null private definitions, shared by the control path
 * (null_ethdev.c) and the burst functions (null_rxtx.c).
 *
 * Statistics: each queue keeps its own counters, written only by the one
 * thread that polls the queue (the ethdev threading contract), so the fast
 * path needs no locked instruction.  The writer stores with relaxed atomic
 * stores (plain MOVs on x86-64) and the control thread loads them the same
 * way, so a reader never sees a torn 64-bit value.  Reset does not write the
 * counters (that would race with the poller and could be lost): it records
 * a baseline that stats_get subtracts.
 */
#ifndef NULL_ETHDEV_H
#define NULL_ETHDEV_H

#include <stdbool.h>
#include <stdint.h>

#include "sl_common.h"
#include "sl_ethdev_driver.h"

struct sl_mbuf;
struct sl_mempool;

/** Counters of one queue direction; written by the polling thread only. */
struct null_counters {
	uint64_t pkts;
	uint64_t bytes;
	uint64_t nombuf;      /* RX: mbufs the pool could not supply */
	uint64_t copied;      /* bytes copied (copy=1) */
};

struct null_rxq {
	/* Hot: read on every burst. */
	struct sl_mempool *mp;
	const uint8_t *pattern;  /* copy=1: frame template, pkt_size bytes */
	uint32_t pkt_size;
	uint16_t port_id;
	uint16_t queue_id;
	struct null_counters cnt;
	/* Cold: control thread only. */
	struct null_counters base;
} __sl_cache_aligned;

struct null_txq {
	uint8_t *scratch;        /* copy=1: where TX copies packet data */
	uint32_t scratch_len;
	uint16_t queue_id;
	struct null_counters cnt;
	struct null_counters base;
} __sl_cache_aligned;

/* Counters must stay 8-byte aligned for untorn loads and stores. */
static_assert(offsetof(struct null_rxq, cnt) % 8 == 0, "rxq counters alignment");
static_assert(offsetof(struct null_txq, cnt) % 8 == 0, "txq counters alignment");

/** Add @p v to a counter owned by the calling (polling) thread. */
static __sl_always_inline void
null_cnt_add(uint64_t *c, uint64_t v)
{
	/* Single writer: a relaxed load + store, no locked RMW (see top). */
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + v, __ATOMIC_RELAXED);
}

uint16_t null_rx(void *q, struct sl_mbuf **pkts, uint16_t n);
uint16_t null_rx_copy(void *q, struct sl_mbuf **pkts, uint16_t n);
uint16_t null_rx_none(void *q, struct sl_mbuf **pkts, uint16_t n);
uint16_t null_tx(void *q, struct sl_mbuf **pkts, uint16_t n);
uint16_t null_tx_copy(void *q, struct sl_mbuf **pkts, uint16_t n);

#endif /* NULL_ETHDEV_H */
