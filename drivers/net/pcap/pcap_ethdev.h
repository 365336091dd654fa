/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_pcap private definitions, shared by the control path (pcap_ethdev.c)
 * and the burst functions (pcap_rxtx.c).
 *
 * Specs: libpcap 1.10 man pages pcap_open_offline(3PCAP),
 * pcap_open_dead(3PCAP), pcap_next_ex(3PCAP), pcap_dispatch(3PCAP),
 * pcap_inject(3PCAP); file formats: IETF draft-ietf-opsawg-pcap (pcap, the
 * nanosecond magic 0xa1b23c4d) and draft-ietf-opsawg-pcapng.
 *
 * One queue pair per port; its packets come from and go to:
 *  - RX: a pcap/pcapng file read as the queue is polled (libpcap's stdio
 *    buffer: one read() per buffer, not per packet), or the same file loaded
 *    into memory at probe and replayed in a loop (infinite_rx=1: no system
 *    call at all on the fast path), or a live interface (libpcap's
 *    TPACKET_V3 ring, non-blocking), or nothing (a TX-only port).
 *  - TX: a pcap file (nanosecond timestamps) written through libpcap's
 *    buffered pcap_dump(), a live interface (pcap_inject(): one send() per
 *    packet, the documented exception to "no syscalls on the fast path":
 *    net_af_packet is the fast way to an interface), or nothing (an RX-only
 *    port counts what it is given as oerrors and frees it).
 *
 * Timestamps: a received packet carries its capture time in
 * sl_mbuf.timestamp as nanoseconds since the Unix epoch (UTC), with
 * SL_MBUF_F_RX_TIMESTAMP set in ol_flags.  TX writes that time to the file
 * when the flag is set (so file in -> forward -> file out keeps every
 * timestamp to the nanosecond) and the current CLOCK_REALTIME otherwise.
 *
 * Counters: each queue embeds the shared struct sl_eth_queue_stats
 * (sl_ethdev_driver.h: written by the polling thread with relaxed atomic
 * stores, read with relaxed loads, reset by moving a baseline).  errors is,
 * on RX, unreadable records and oversized packets and, on TX, refused
 * packets; missed stays 0 (the kernel's drops of a live RX handle are read
 * by the control thread with pcap_stats()).
 */
#ifndef PCAP_ETHDEV_H
#define PCAP_ETHDEV_H

#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdint.h>

#include "sl_common.h"
#include "sl_ethdev_driver.h"

struct sl_mbuf;
struct sl_mempool;

/* Longest packet read or written: libpcap's MAXIMUM_SNAPLEN (pcap-int.h),
 * the snaplen tcpdump and Wireshark write. */
#define PCAP_MAX_SNAPLEN 262144
/* Most mbufs one received packet may take (a 9 KiB jumbo in 2 KiB mbufs is 5). */
#define PCAP_MAX_RX_SEGS 32

enum pcap_rx_kind {
	PCAP_RX_NONE,   /* TX-only port */
	PCAP_RX_FILE,   /* streamed from a file with pcap_next_ex() */
	PCAP_RX_MEM,    /* infinite_rx: the file's packets in memory, looped */
	PCAP_RX_IFACE,  /* live capture with pcap_dispatch() */
};

enum pcap_tx_kind {
	PCAP_TX_NONE,   /* RX-only port: packets given to TX are dropped (oerrors) */
	PCAP_TX_FILE,   /* pcap_dump() to a file */
	PCAP_TX_IFACE,  /* pcap_inject() on an interface */
};

/** How far RX has read a file. */
struct pcap_file_pos {
	uint64_t off;      /* pcap: byte offset of the next record */
	uint64_t rec_no;   /* records read */
	bool stopped;      /* end of file or an error reached */
};

/** One packet of an infinite_rx file held in memory. */
struct pcap_mem_pkt {
	uint64_t ts_ns;    /* timestamp in the file, ns since the epoch */
	uint64_t off;      /* offset of the bytes in pcap_mem.data */
	uint32_t len;      /* captured length */
	uint32_t pad;
};

/** An infinite_rx file loaded at probe (read-only afterwards). */
struct pcap_mem {
	struct pcap_mem_pkt *pkts;
	uint8_t *data;
	uint32_t nb_pkts;
	uint64_t period_ns; /* added to the timestamps on every pass over the file */
};

struct pcap_rxq {
	enum pcap_rx_kind kind;
	uint16_t port_id;
	uint16_t queue_id;
	uint32_t seg_room;           /* data room of one mbuf after the headroom */
	pcap_t *pcap;                /* FILE, IFACE */
	const struct pcap_mem *mem;  /* MEM */
	uint32_t mem_next;           /* MEM: next packet */
	uint64_t mem_pass;           /* MEM: completed passes over the file */
	bool is_pcapng;              /* FILE: offsets are counted for pcap only */
	struct pcap_file_pos file_pos;
	struct pcap_pkthdr *pend_h;  /* FILE: a record the pool had no room for */
	const u_char *pend_data;
	const char *path;            /* FILE: for the one error message */
	const char *port_name;
	struct sl_mempool *mp;
	struct sl_eth_queue_stats stats; /* base: control thread only */
	/* IFACE: the burst being filled by the pcap_dispatch() callback. */
	struct sl_mbuf **cb_pkts;
	uint16_t cb_nb;
	uint64_t cb_bytes;
} __sl_cache_aligned;

struct pcap_txq {
	enum pcap_tx_kind kind;
	uint16_t queue_id;
	pcap_dumper_t *dumper;       /* FILE */
	pcap_t *pcap;                /* IFACE */
	uint8_t *bounce;             /* PCAP_MAX_SNAPLEN bytes to flatten chains */
	struct sl_eth_queue_stats stats; /* base: control thread only */
} __sl_cache_aligned;

static_assert(offsetof(struct pcap_rxq, stats) % 8 == 0, "rxq counters alignment");
static_assert(offsetof(struct pcap_txq, stats) % 8 == 0, "txq counters alignment");

uint16_t pcap_rx(void *q, struct sl_mbuf **pkts, uint16_t n);
uint16_t pcap_tx(void *q, struct sl_mbuf **pkts, uint16_t n);

/*
 * Explain a pcap_next_ex() failure on @p path after @p rec_no good records
 * (the next record starts at @p off; UINT64_MAX when unknown, pcapng).
 * Shared by the probe-time scan and the RX path (logged once per queue).
 */
void pcap_log_read_error(const char *port, const char *path, pcap_t *p, uint64_t rec_no,
			 uint64_t off);

#endif /* PCAP_ETHDEV_H */
