/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-pktgen's packet work, apart from main() so that tests can drive it
 * with faults injected between sender and receiver: stream templates, the
 * per-packet builder and the receive accounting.
 *
 * Every generated frame ends with a 16-byte trailer: a magic number that
 * also names the stream (4 bytes), the low 48 bits of the sequence number
 * and the low 48 bits of the TSC at which the packet was finished (paced
 * streams: read per packet) or its burst built (--rate=max), little endian.
 * At the end of the frame, not after the headers, it is found without
 * parsing whatever headers the frame (or a device under test that tags or
 * untags it) carries.  16 bytes let a UDP/IPv4 frame be as short as
 * Ethernet allows, 60 bytes without FCS (RFC 2544's 64 with it).  48 bits
 * last: 2^48 packets are 32 days at 100 Mpps (the receiver extends the
 * number to 64 bits from the highest it saw), 2^48 TSC cycles over a day
 * at 3 GHz (latencies are differences modulo 2^48).
 */
#ifndef PG_CORE_H
#define PG_CORE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "pg_hist.h"
#include "pg_sched.h"
#include "pg_seq.h"
#include "pg_spec.h"
#include "sl_common.h"
#include "sl_mbuf.h"

struct sl_ring;

#define PG_MAGIC_BASE 0x534c5000u /* "SLP" then the stream number */
#define PG_MAX_STREAMS 32
#define PG_TPL_MAX 128            /* bytes of headers (then pattern) a template holds */
#define PG_TPL_SHORT 64           /* copied when the headers fit in it */
#define PG_UDP4_HDR_LEN (14 + 20 + 8)
#define PG_MAX_FRAME 9000
#define PG_ETH_MIN_FRAME 60       /* Ethernet's minimum without FCS */
#define PG_MAX_CORES 16           /* receivers (--cores), one RX queue each */
#define PG_MAX_SUBS 64            /* streams x cores: sub-stream ids, one byte of the magic */
#define PG_FWD_BUDGET (1u << 20)  /* hand-off ring slots (8 bytes each) over all pairs */
#define PG_FWD_MIN 4096           /* slots of one hand-off ring at the least */
#define PG_FWD_STAGE 64           /* hand-offs gathered per owner before a ring write */

/* What a stream's frames carry below the trailer. */
struct pg_tpl_spec {
	uint8_t nb_vlans;         /* 0; 1: 802.1Q; 2: 802.1ad outer + 802.1Q inner */
	uint16_t vlan_tci[2];     /* outer first */
	bool ipv6;
	uint8_t ip6_src[16], ip6_dst[16];
	uint8_t proto;            /* SL_IPPROTO_UDP or SL_IPPROTO_TCP */
};

/** Header bytes of a template: Ethernet, tags, IP, UDP/TCP. */
static inline unsigned int
pg_tpl_hdr_len(const struct pg_tpl_spec *t)
{
	return 14u + 4u * t->nb_vlans + (t->ipv6 ? 40u : 20u) + (t->proto == 6 ? 20u : 8u);
}

/* The trailer's fields; on the wire 4 + 6 + 6 bytes (pg_trailer_put). */
struct pg_trailer {
	uint32_t magic;
	uint64_t seq;             /* low 48 bits on the wire */
	uint64_t tsc;             /* low 48 bits on the wire */
};

#define PG_TRAILER_LEN 16u
#define PG_48_MASK ((UINT64_C(1) << 48) - 1)
static_assert(PG_UDP4_HDR_LEN + PG_TRAILER_LEN <= PG_ETH_MIN_FRAME,
	      "a 60-byte frame must hold UDP/IPv4 headers and the trailer");
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	      "the trailer's 48-bit fields are the first 6 bytes of little-endian words");

/** Write trailer @p t at @p d (PG_TRAILER_LEN bytes). */
static inline void
pg_trailer_put(uint8_t *d, const struct pg_trailer *t)
{
	memcpy(d, &t->magic, 4);
	memcpy(d + 4, &t->seq, 6);
	memcpy(d + 10, &t->tsc, 6);
}

/** Read the trailer at @p d; seq and tsc hold their low 48 bits. */
static inline void
pg_trailer_get(const uint8_t *d, struct pg_trailer *t)
{
	t->seq = t->tsc = 0;
	memcpy(&t->magic, d, 4);
	memcpy(&t->seq, d + 4, 6);
	memcpy(&t->tsc, d + 10, 6);
}

/** The smallest frame of template @p t: headers and trailer, at least 60 bytes. */
static inline unsigned int
pg_min_frame(const struct pg_tpl_spec *t)
{
	unsigned int n = pg_tpl_hdr_len(t) + PG_TRAILER_LEN;

	return n < PG_ETH_MIN_FRAME ? PG_ETH_MIN_FRAME : n;
}
/* The template copy may write up to PG_TPL_MAX bytes into any mbuf: the
 * pool's data room (at least the default) must hold them. */
static_assert(PG_TPL_MAX <= 2048, "the template copy fits the default data room");

/* Counters written by the one lcore that sends or receives the stream and
 * read by main with relaxed loads (single writer each). */
struct pg_tx_counters {
	uint64_t tx;          /* sequence numbers used: accepted + refused (not held) */
	uint64_t tx_bytes;    /* accepted */
	uint64_t tx_dropped;  /* refused by tx_burst, freed */
	uint64_t tx_nombuf;   /* bursts not built: pool empty */
	uint64_t tx_retried;  /* refused by tx_burst, held and offered again (--rate=max) */
};

struct pg_stream {
	/* configuration, fixed before the lcore starts */
	uint16_t id;
	uint16_t tx_port, rx_port;
	uint16_t queue;           /* TX queue (--cores: one per worker lcore) */
	uint16_t hdr_len, l3_off, l4_off;
	struct pg_tpl_spec spec;
	bool l4_cksum;            /* TCP, and UDP over IPv6: computed per packet */
	uint32_t ip4_sum;         /* IPv4: sum of the header words no packet changes */
	uint8_t tpl[PG_TPL_MAX] __sl_aligned(8); /* headers are read as structs */
	struct pg_size size;
	struct pg_flows flows;
	bool vary_ip, vary_len;   /* rewrite IP addresses / lengths per packet */
	bool lean;                /* fixed size, no field but the trailer varies */
	bool paced;
	double pps;               /* paced: asked rate */
	uint64_t count;           /* 0 = unlimited */

	/* sender state (TX lcore) */
	uint32_t size_idx;
	uint64_t rnd;
	struct pg_sched sched;
	uint64_t *flow_tx_bytes;  /* per flow: bytes built (send_stream takes back refused ones) */
	uint32_t flow_tx_idx;     /* flow of the next packet built (its sequence number mod flows) */
	uint64_t done_tsc;        /* when --count was reached (0: not yet) */
	uint64_t owed;            /* paced: packets due and unsent when sending stopped */
	struct pg_tx_counters c __sl_cache_aligned;

	/* receiver state (RX lcore) */
	uint64_t rx_bytes __sl_cache_aligned;
	uint64_t jit_sum, jit_n, last_lat; /* IPDV: |latency - previous latency| */
	uint64_t *flow_rx;        /* per flow (seq mod nb_flow_rx), duplicates included, */
	uint64_t *flow_rx_bytes;  /* and their bytes (in flow_rx's allocation) */
	uint32_t nb_flow_rx;      /* 0: no per-flow counts */
	struct pg_seq seq;
	struct pg_hist hist;
};

/*
 * Receive-side context shared by all streams of a receiver.
 *
 * Several receivers (--cores, one RX queue each): stream id's window
 * (duplicates, pg_seq.h) belongs to receiver id / per_core, the one that
 * sends it.  Another receiver counts the packet's bytes, latency and flow
 * itself, and hands its sequence number (with whether it was late on its
 * queue) to the owner through a single-producer single-consumer ring:
 * gathered per burst, one ring write per owner, no lock or atomic
 * read-modify-write per packet.  The owner merges what it is handed at
 * every pg_rx_drain().  A receiver whose ring to an owner is full drains
 * its own rings while it waits, so two receivers waiting on each other
 * both progress; but it waits (and does not send) while the owner is
 * descheduled with a full ring, so the rings are large (PG_FWD_BUDGET
 * over all pairs: with two receivers 2^19 slots each way, 100 ms of a
 * 10 Mpps stream half of which crosses).
 */
struct pg_rx_ctx {
	struct pg_stream **streams;
	unsigned int nb_streams;
	uint64_t ns_mult;         /* ns per TSC cycle, 32.32 fixed point */
	bool latency;             /* record latencies */
	uint64_t foreign;         /* frames without our trailer or of no stream */
	uint64_t foreign_bytes;
	/* hand-off between receivers; per_core 0: one receiver owns all */
	unsigned int self;        /* this receiver's number */
	unsigned int per_core;    /* streams per receiver: owner = id / per_core */
	struct sl_ring *fwd_out[PG_MAX_CORES]; /* to receiver k (NULL: self) */
	struct sl_ring *fwd_in[PG_MAX_CORES];  /* from receiver k (NULL: self) */
	uint32_t nb_stage[PG_MAX_CORES];
	uint64_t stage[PG_MAX_CORES][PG_FWD_STAGE];
};

/**
 * Build @p s's header template from s->spec, the MACs and the flow fields'
 * first values (IPv4 addresses and ports; IPv6 addresses from the spec).
 * Sets hdr_len, l3_off, l4_off.
 */
void pg_stream_template(struct pg_stream *s, const uint8_t dst[6], const uint8_t src[6]);

/** Write length fields (and the IPv4 checksum) for a @p len-byte frame at @p d. */
void pg_stream_set_len(const struct pg_stream *s, uint8_t *d, uint16_t len);

/**
 * Make pool object @p m a fresh single-segment @p len-byte frame: every
 * field sl_mbuf_reset() sets, to the same values, and the lengths, in one
 * pass of stores in address order (the compiler merges neighbours) where
 * sl_mbuf_alloc_bulk() and a builder would take two.  @p m must come from a
 * pool of pktgen's (buffers of at least the default headroom) and be in
 * the free state (refcnt 1, one segment, direct: sl_mbuf_prefree_seg()).
 */
static __sl_always_inline void
pg_mbuf_tx_init(struct sl_mbuf *m, uint16_t len)
{
	m->data_off = SL_PKTMBUF_HEADROOM;
	m->nb_segs = 1;
	m->port = SL_MBUF_PORT_INVALID;
	m->ol_flags = 0;          /* a direct mbuf: no SL_MBUF_F_INDIRECT to keep */
	m->packet_type = 0;
	m->pkt_len = len;
	m->data_len = len;
	m->vlan_tci = 0;
	m->hash.rss = 0;
	m->hash.user = 0;
	m->vlan_tci_outer = 0;
	m->next = NULL;
	m->tx_offload = 0;
	m->timestamp = 0;
	m->dynfield[0] = 0;
	m->dynfield[1] = 0;
}

/**
 * Fill @p n mbufs with @p s's next packets, numbered from s->c.tx.  The
 * mbufs may come straight from the pool (sl_mempool_get_bulk(): the builder
 * initialises them, pg_mbuf_tx_init()).  A lean stream (fixed size, no
 * flows, no L4 checksum) stamped with @p now takes a loop that copies the
 * template and writes the trailer as two words.  Each is stamped with @p stamps[i] when @p stamps is given (for
 * tests), else with the TSC read as that packet is finished when
 * @p per_packet, else with @p now.  Does not count them, except into the
 * per-flow bytes (s->flow_tx_bytes, when set: the caller takes back what
 * the port refuses).  Returns the bytes built.
 */
uint64_t pg_stream_build(struct pg_stream *s, struct sl_mbuf **pkts, uint16_t n,
			 const uint64_t *stamps, bool per_packet, uint64_t now);

/**
 * Account @p n received packets at TSC @p now.  Does not free them.  With
 * several receivers, hands other receivers' sequence numbers to them before
 * it returns (waiting, and draining its own, while a ring is full).
 */
void pg_rx_account(struct pg_rx_ctx *ctx, struct sl_mbuf *const *pkts, uint16_t n, uint64_t now);

/**
 * Merge the sequence numbers other receivers handed to @p ctx's receiver
 * (its owned windows); single consumer: that receiver, or anyone once the
 * receivers have stopped.  Returns how many.
 */
unsigned int pg_rx_drain(struct pg_rx_ctx *ctx);

/** Store @p v to counter @p c (single writer, relaxed readers). */
static __sl_always_inline void
pg_cnt_set(uint64_t *c, uint64_t v)
{
	__atomic_store_n(c, v, __ATOMIC_RELAXED);
}

static __sl_always_inline uint64_t
pg_cnt(const uint64_t *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

#endif /* PG_CORE_H */
