/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_echo: an out-of-tree PMD plugin (doc/writing-a-pmd.md builds it step
 * by step).  What TX queue q sends comes back on RX queue q, through one
 * ring per queue.  Built only from the installed headers and libsluice:
 *   cc -shared -fPIC $(pkg-config --cflags --libs libsluice) ...
 * and loaded with `-d libsluice_net_echo.so`.  Valid C and C++.
 */
#ifndef ECHO_H
#define ECHO_H

#include <stdint.h>

#include <sl_common.h>
#include <sl_ethdev_driver.h>

#define ECHO_MAX_QUEUES 16

struct sl_mbuf;
struct sl_ring;

/* Queue structs: whatever the burst functions need; ethdev keeps a void *. */
struct echo_rxq {
	struct sl_ring *ring;   /* the TX queue of the same id writes here */
	uint16_t port_id;
	struct sl_eth_queue_stats stats;
} __sl_cache_aligned;

struct echo_txq {
	struct sl_ring *ring;
	struct sl_eth_queue_stats stats;
} __sl_cache_aligned;

/* Port state, in dev->data.dev_private. */
struct echo_private {
	unsigned int nb_rings;
	struct sl_ring *rings[ECHO_MAX_QUEUES];
};

#ifdef __cplusplus
extern "C" {
#endif
uint16_t echo_rx(void *q, struct sl_mbuf **pkts, uint16_t n);
uint16_t echo_tx(void *q, struct sl_mbuf **pkts, uint16_t n);
#ifdef __cplusplus
}
#endif

#endif /* ECHO_H */
