/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_tap private definitions, shared by the control path (tap_ethdev.c)
 * and the burst functions (tap_rxtx.c).
 *
 * Spec: Linux Documentation/networking/tuntap.rst ("Multiqueue tuntap
 * interface") and <linux/if_tun.h>.
 *
 * One file descriptor of /dev/net/tun per queue pair (IFF_MULTI_QUEUE): a
 * read() returns one frame the kernel sent out of the TAP interface, a
 * write() hands one frame to the kernel as if the interface had received it.
 * A TAP has no shared ring, so, unlike the ring PMDs, each packet costs one
 * system call: that is the documented exception to "no syscalls on the fast
 * path" for this driver, and why it is an exception path, not a data path.
 *
 * Counters follow net_null: written by the polling thread with relaxed
 * atomic stores, read with relaxed loads, reset by moving a baseline.
 */
#ifndef TAP_ETHDEV_H
#define TAP_ETHDEV_H

#include <stdint.h>

#include "sl_common.h"
#include "sl_ethdev_driver.h"

struct sl_mbuf;
struct sl_mempool;

/* Most segments one received frame may take (65535-byte frames in 8 KiB mbufs). */
#define TAP_MAX_RX_SEGS 8
/* Most segments of a transmitted packet (longer chains are dropped, oerrors). */
#define TAP_MAX_TX_SEGS 32

/* Queue counters (sl_eth_queue_stats): errors are, on RX, frames longer than
 * the buffers (dropped), on TX, refused writes. */
struct tap_rxq {
	int fd;
	uint16_t port_id;
	uint16_t queue_id;
	uint32_t max_frame;           /* longest frame the port accepts (MTU + headers) */
	struct sl_mempool *mp;
	struct sl_eth_queue_stats stats;
} __sl_cache_aligned;

struct tap_txq {
	int fd;
	uint16_t queue_id;
	struct sl_eth_queue_stats stats;
} __sl_cache_aligned;

static_assert(offsetof(struct tap_rxq, stats) % 8 == 0, "rxq counters alignment");
static_assert(offsetof(struct tap_txq, stats) % 8 == 0, "txq counters alignment");

uint16_t tap_rx(void *q, struct sl_mbuf **pkts, uint16_t n);
uint16_t tap_tx(void *q, struct sl_mbuf **pkts, uint16_t n);

#endif /* TAP_ETHDEV_H */
