/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * net_ring: ethdev ports backed by sl_ring rings, for moving packets
 * between threads or looping them inside one process without a NIC.
 *
 * @verbatim
   --vdev net_ring0[,queues=<1..16>][,size=<ring slots>][,peer=<name>]
                   [,max_pps=<N>][,drop_every=<N>][,dup_every=<N>][,swap_every=<N>]
                   [,dup_next_queue=1]
   @endverbatim
 *
 * Each net_ring vdev owns one ring per queue (single consumer: its RX
 * queue; single producer with one queue, multi-producer with several) that
 * its RX queue reads.  On its own the port is a loopback: TX queue q writes
 * its own RX ring q.  Paired with another net_ring port (peer=, or
 * sl_eth_ring_pair()), TX queue q of each port writes the other's RX ring
 * q, so packets sent on A arrive on B and the other way round.  A full ring
 * makes tx_burst accept fewer packets (the caller frees or retries the
 * rest); those are counted in oerrors.
 *
 * Software RSS: when the receiving vdev port is configured with
 * rxmode.mq_mode = SL_ETH_MQ_RX_RSS, the sender hashes each packet
 * (Toeplitz, sl_rss.h) and puts it on the receiver's RX ring its RETA
 * names, whichever TX queue sent it; a full RX ring then drops the packet,
 * counted in the receiver's imissed.  Queues can be stopped and started
 * one by one (sl_eth_dev_rx_queue_stop() ...).
 *
 * Test aids, for testing traffic generators against a known misbehaving
 * "device": each TX queue counts the packets offered to it (1, 2, ...)
 *   drop_every=N   drops every N-th (counted in oerrors);
 *   dup_every=N    sends every N-th twice (the copy from the packet's pool);
 *   dup_next_queue=1  with dup_every= and queues >= 2: each copy goes to the
 *                  peer's RX queue after this TX queue's number (TX queue q:
 *                  RX queue q + 1 mod queues), wherever the original goes,
 *                  like a device whose copy takes another path; a copy the
 *                  ring refuses is dropped (oerrors), copies skip max_pps=;
 *   swap_every=N   holds every N-th back and sends it after the next one;
 *   max_pps=N      then lets at most N packets a second through (a token
 *                  bucket holding 64 packets or 20 ms of them, the larger)
 *                  and drops the rest, like a device that cannot forward
 *                  faster.
 * With any of them, tx_burst takes every packet offered (returns n): what
 * a full ring refuses is dropped and counted in oerrors too.  Without them
 * the TX path is the plain one, with none of this code.  sluice-pktgen's
 * tests use them (loss, reordering, duplicates, RFC 2544).
 */
#ifndef SL_ETH_RING_H
#define SL_ETH_RING_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct sl_ring;

/** Most queues of a net_ring port. */
#define SL_ETH_RING_MAX_QUEUES 16

/**
 * Create a port from rings the application made (it keeps owning them and
 * frees them after closing the port).  RX queue q dequeues from
 * @p rx_queues[q], TX queue q enqueues into @p tx_queues[q], each in the
 * ring's own producer/consumer mode.  The same ring may appear on both
 * sides (loopback).  Packets left in the rings at close stay there.
 *
 * @param rx_queues the ring of each RX queue
 * @param nb_rx_queues number of RX queues (1..SL_ETH_RING_MAX_QUEUES)
 * @param tx_queues the ring of each TX queue
 * @param nb_tx_queues number of TX queues (1..SL_ETH_RING_MAX_QUEUES)
 * @param socket_id NUMA socket of the port's memory, or SL_SOCKET_ID_ANY
 * @param name        port name (unique).
 * @return the new port id (>= 0), or -EINVAL (NULL/empty name, NULL ring,
 *         counts 0 or above SL_ETH_RING_MAX_QUEUES), -EEXIST (name in
 *         use), -ENOSPC (no free port), -ENOMEM.
 */
int sl_eth_from_rings(const char *name, struct sl_ring *const rx_queues[],
		      unsigned int nb_rx_queues, struct sl_ring *const tx_queues[],
		      unsigned int nb_tx_queues, int socket_id);

/**
 * Cross-connect two net_ring vdev ports: TX queue q of each writes the
 * other's RX ring q.  Both must be stopped and have the same number of
 * queues.  Pairing a port with itself restores its loopback.  Closing one
 * side returns the other to loopback.
 *
 * @return 0; -ENODEV bad port; -EINVAL not net_ring vdev ports, queue
 *         counts differ, or a port is paired with a third one already;
 *         -EBUSY a port is started.
 */
int sl_eth_ring_pair(uint16_t port_a, uint16_t port_b);

#ifdef __cplusplus
}
#endif

#endif /* SL_ETH_RING_H */
