/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice-pktgen's packet builder and receive accounting: see pg_core.h. */
#include <stddef.h>
#include <string.h>
#include <arpa/inet.h>

#include "pg_core.h"
#include "sl_cycles.h"
#include "sl_ether.h"
#include "sl_ip.h"
#include "sl_mbuf.h"
#include "sl_ring.h"
#include "sl_tcp.h"
#include "sl_udp.h"

/* The payload pattern: byte i of every frame below the trailer is i. */
static uint8_t pattern[PG_MAX_FRAME];

static void
pattern_init(void)
{
	for (unsigned int i = 0; i < sizeof(pattern); i++)
		pattern[i] = (uint8_t)i;
}

/*
 * The ones'-complement sum (RFC 1071) of the IPv4 header words that no
 * packet of a stream changes: all but the length, the checksum and the
 * addresses.  A packet's checksum adds those to it (pg_stream_set_len):
 * five additions, not a pass over the header.
 */
static uint32_t
ip4_fixed_sum(const struct sl_ipv4_hdr *ip)
{
	struct sl_ipv4_hdr h = *ip;

	h.total_length = 0;
	h.hdr_checksum = 0;
	h.src_addr = 0;
	h.dst_addr = 0;
	return __sl_raw_cksum(&h, sizeof(h), 0);
}

void
pg_stream_template(struct pg_stream *s, const uint8_t dst[6], const uint8_t src[6])
{
	const struct pg_tpl_spec *t = &s->spec;
	struct sl_ether_hdr *eth = (struct sl_ether_hdr *)s->tpl;
	uint8_t *p = s->tpl + sizeof(*eth);
	uint8_t *type = (uint8_t *)&eth->ether_type; /* where the next EtherType goes */
	uint16_t len = s->size.lo, et;

	if (pattern[1] == 0)
		pattern_init();
	memset(s->tpl, 0, sizeof(s->tpl));
	memcpy(&eth->dst_addr, dst, 6);
	memcpy(&eth->src_addr, src, 6);
	for (unsigned int i = 0; i < t->nb_vlans; i++) {
		struct sl_vlan_hdr *v = (struct sl_vlan_hdr *)p;

		/* IEEE 802.1ad: the outer (service) tag of a pair is 0x88A8. */
		et = htons(t->nb_vlans == 2 && i == 0 ? SL_ETHER_TYPE_QINQ : SL_ETHER_TYPE_VLAN);
		memcpy(type, &et, 2);
		v->vlan_tci = htons(t->vlan_tci[i]);
		type = p + offsetof(struct sl_vlan_hdr, eth_proto);
		p += sizeof(*v);
	}
	s->l3_off = (uint16_t)(p - s->tpl);
	if (t->ipv6) {
		struct sl_ipv6_hdr *ip6 = (struct sl_ipv6_hdr *)p;

		et = htons(SL_ETHER_TYPE_IPV6);
		memcpy(type, &et, 2);
		ip6->vtc_flow = htonl(6u << 28);
		ip6->proto = t->proto;
		ip6->hop_limits = 64;
		memcpy(ip6->src_addr, t->ip6_src, 16);
		memcpy(ip6->dst_addr, t->ip6_dst, 16);
		p += sizeof(*ip6);
	} else {
		struct sl_ipv4_hdr *ip = (struct sl_ipv4_hdr *)p;

		et = htons(SL_ETHER_TYPE_IPV4);
		memcpy(type, &et, 2);
		ip->version_ihl = SL_IPV4_VHL_DEF;
		ip->time_to_live = 64;
		ip->next_proto_id = t->proto;
		ip->src_addr = htonl(s->flows.f[PG_F_SRC_IP].lo);
		ip->dst_addr = htonl(s->flows.f[PG_F_DST_IP].lo);
		s->ip4_sum = ip4_fixed_sum(ip);
		p += sizeof(*ip);
	}
	s->l4_off = (uint16_t)(p - s->tpl);
	if (t->proto == SL_IPPROTO_TCP) {
		struct sl_tcp_hdr *tcp = (struct sl_tcp_hdr *)p;

		tcp->data_off = 5 << 4;
		tcp->tcp_flags = SL_TCP_ACK_FLAG | SL_TCP_PSH_FLAG;
		tcp->rx_win = htons(65535);
		p += sizeof(*tcp);
	} else {
		p += sizeof(struct sl_udp_hdr);
	}
	((struct sl_udp_hdr *)(s->tpl + s->l4_off))->src_port =
		htons((uint16_t)s->flows.f[PG_F_SRC_PORT].lo);
	((struct sl_udp_hdr *)(s->tpl + s->l4_off))->dst_port =
		htons((uint16_t)s->flows.f[PG_F_DST_PORT].lo);
	s->hdr_len = (uint16_t)(p - s->tpl);
	/* The pattern after the headers, so that one fixed-size copy of the
	 * template writes both (see pg_stream_build). */
	memcpy(p, pattern + s->hdr_len, sizeof(s->tpl) - s->hdr_len);
	pg_stream_set_len(s, s->tpl, len);
	s->vary_ip = s->flows.f[PG_F_SRC_IP].lo != s->flows.f[PG_F_SRC_IP].hi ||
		     s->flows.f[PG_F_DST_IP].lo != s->flows.f[PG_F_DST_IP].hi;
	s->vary_len = s->size.mode != PG_SIZE_FIXED;
	/* UDP over IPv4 may carry no checksum (RFC 768); TCP and UDP over
	 * IPv6 (RFC 8200 §8.1) must. */
	s->l4_cksum = t->ipv6 || t->proto == SL_IPPROTO_TCP;
	/* Lean: UDP/IPv4, fixed size, no flows (build_lean). */
	s->lean = !s->vary_ip && !s->vary_len && s->flows.count <= 1 && !s->l4_cksum &&
		  s->hdr_len <= PG_TPL_SHORT;
	for (int i = 0; i < PG_F_NUM; i++)
		s->flows.f[i].cur = s->flows.f[i].lo;
	if (s->rnd == 0)
		s->rnd = 0x9E3779B97F4A7C15ull ^ ((uint64_t)s->id << 32);
}

/* pg_stream_set_len(), inlined into the builder's loop. */
static __sl_always_inline void
set_len(const struct pg_stream *s, uint8_t *d, uint16_t len)
{
	if (s->spec.ipv6) {
		struct sl_ipv6_hdr *ip6 = (struct sl_ipv6_hdr *)(d + s->l3_off);

		ip6->payload_len = htons((uint16_t)(len - s->l4_off));
	} else {
		struct sl_ipv4_hdr *ip = (struct sl_ipv4_hdr *)(d + s->l3_off);

		/* Sums of words as they lie in memory: no byte swap needed. */
		uint32_t sum = s->ip4_sum;

		ip->total_length = htons((uint16_t)(len - s->l3_off));
		sum += ip->total_length;
		sum += (ip->src_addr & 0xffff) + (ip->src_addr >> 16);
		sum += (ip->dst_addr & 0xffff) + (ip->dst_addr >> 16);
		ip->hdr_checksum = (uint16_t)~__sl_raw_cksum_reduce(sum);
	}
	if (s->spec.proto == SL_IPPROTO_UDP)
		((struct sl_udp_hdr *)(d + s->l4_off))->dgram_len = htons((uint16_t)(len - s->l4_off));
}

void
pg_stream_set_len(const struct pg_stream *s, uint8_t *d, uint16_t len)
{
	set_len(s, d, len);
}

/*
 * The per-packet fields of an mbuf, copied from template mbuf @p t (made
 * by pg_mbuf_tx_init()): three ranges of struct sl_mbuf, data_off up to
 * buf_len, next up to direct, the dynamic fields; a few wide stores where
 * field-by-field initialisation takes ten.  What lies between (the buffer,
 * its pool, the indirect link) belongs to the buffer and is kept.
 */
static __sl_always_inline void
mbuf_copy_tx(struct sl_mbuf *m, const struct sl_mbuf *t)
{
	memcpy(&m->data_off, &t->data_off,
	       offsetof(struct sl_mbuf, buf_len) - offsetof(struct sl_mbuf, data_off));
	memcpy(&m->next, &t->next, offsetof(struct sl_mbuf, direct) - offsetof(struct sl_mbuf, next));
	memcpy(m->dynfield, t->dynfield, sizeof(m->dynfield));
}
static_assert(offsetof(struct sl_mbuf, vlan_tci_outer) + 2 == offsetof(struct sl_mbuf, buf_len) &&
	      offsetof(struct sl_mbuf, timestamp) + 8 == offsetof(struct sl_mbuf, direct) &&
	      offsetof(struct sl_mbuf, dynfield) + 16 == sizeof(struct sl_mbuf),
	      "mbuf_copy_tx's ranges end where pg_mbuf_tx_init's fields do");

/*
 * Trailer @p magic, @p seq, @p tsc at @p at, as two little-endian words,
 * magic | seq << 32 and seq >> 32 (16 bits) | tsc << 16: the bytes
 * pg_trailer_put() writes, in two stores.
 */
static __sl_always_inline void
trailer_put_words(uint8_t *at, uint64_t magic, uint64_t seq, uint64_t tsc)
{
	const uint64_t w0 = magic | seq << 32, w1 = (seq >> 32 & 0xffff) | tsc << 16;

	memcpy(at, &w0, 8);
	memcpy(at + 8, &w1, 8);
}

/* A template mbuf for mbuf_copy_tx(): pg_mbuf_tx_init()'s fields, refcnt 1. */
static __sl_always_inline void
mbuf_template(struct sl_mbuf *t, uint16_t len)
{
	memset(t, 0, sizeof(*t));
	t->refcnt = 1;
	pg_mbuf_tx_init(t, len);
}

/*
 * A lean stream's burst (pg_stream_build): every frame is the template and
 * a trailer that differs only in its sequence number, every mbuf the same
 * template mbuf.  A lean stream is UDP over IPv4 (no L4 checksum), so its
 * headers (at most 50 bytes with two tags) fit the short copy.
 */
static uint64_t
build_lean(const struct pg_stream *s, struct sl_mbuf **pkts, uint16_t n, uint64_t now)
{
	const uint16_t len = s->size.lo;
	const uint64_t magic = PG_MAGIC_BASE | s->id;
	const uint64_t seq = s->c.tx;
	struct sl_mbuf t;
	/* Locals: the compiler may hold them in registers across the stores
	 * to the packets (which cannot alias them). */
	uint8_t tpl[PG_TPL_SHORT];

	memcpy(tpl, s->tpl, sizeof(tpl));
	mbuf_template(&t, len);
	for (uint16_t i = 0; i < n; i++) {
		struct sl_mbuf *m = pkts[i];
		uint8_t *d = (uint8_t *)m->buf_addr + SL_PKTMBUF_HEADROOM;

		mbuf_copy_tx(m, &t);
		memcpy(d, tpl, PG_TPL_SHORT);
		if (sl_unlikely(len - PG_TRAILER_LEN > PG_TPL_SHORT))
			memcpy(d + PG_TPL_SHORT, pattern + PG_TPL_SHORT,
			       (size_t)(len - PG_TRAILER_LEN - PG_TPL_SHORT));
		trailer_put_words(d + len - PG_TRAILER_LEN, magic, seq + i, now);
	}
	return (uint64_t)n * len;
}

uint64_t
pg_stream_build(struct pg_stream *s, struct sl_mbuf **pkts, uint16_t n,
		const uint64_t *stamps, bool per_packet, uint64_t now)
{
	const bool ports = s->flows.count > 1;
	const uint64_t magic = PG_MAGIC_BASE | s->id;
	uint64_t seq = s->c.tx, bytes = 0;
	struct sl_mbuf t;

	if (s->lean && stamps == NULL && !per_packet && s->flow_tx_bytes == NULL)
		return build_lean(s, pkts, n, now);
	mbuf_template(&t, 0);
	for (uint16_t i = 0; i < n; i++) {
		struct sl_mbuf *m = pkts[i];
		uint16_t len = pg_size_next(&s->size, &s->size_idx, &s->rnd);
		/* Where pg_mbuf_tx_init() puts the data. */
		uint8_t *d = (uint8_t *)m->buf_addr + SL_PKTMBUF_HEADROOM;
		struct sl_udp_hdr *l4 = (struct sl_udp_hdr *)(d + s->l4_off);
		unsigned int copied;

		mbuf_copy_tx(m, &t);
		m->pkt_len = len;
		m->data_len = len;
		/* Headers and the start of the pattern, in a copy of constant size
		 * (the compiler inlines it); bytes past the frame's end are junk
		 * in the buffer's tailroom.  Then the rest of the pattern, so that
		 * no byte of an earlier packet shows through. */
		if (s->hdr_len <= PG_TPL_SHORT) {
			memcpy(d, s->tpl, PG_TPL_SHORT);
			copied = PG_TPL_SHORT;
		} else {
			memcpy(d, s->tpl, PG_TPL_MAX);
			copied = PG_TPL_MAX;
		}
		if (sl_unlikely(len - PG_TRAILER_LEN > copied))
			memcpy(d + copied, pattern + copied, (size_t)(len - PG_TRAILER_LEN - copied));
		if (ports) {
			l4->src_port = htons((uint16_t)s->flows.f[PG_F_SRC_PORT].cur);
			l4->dst_port = htons((uint16_t)s->flows.f[PG_F_DST_PORT].cur);
		}
		if (s->vary_ip) {
			struct sl_ipv4_hdr *ip = (struct sl_ipv4_hdr *)(d + s->l3_off);

			ip->src_addr = htonl(s->flows.f[PG_F_SRC_IP].cur);
			ip->dst_addr = htonl(s->flows.f[PG_F_DST_IP].cur);
		}
		if (s->vary_ip || s->vary_len)
			set_len(s, d, len);
		if (ports)
			pg_flows_next(&s->flows, &s->rnd);
		trailer_put_words(d + len - PG_TRAILER_LEN, magic, seq + i,
				  stamps ? stamps[i] : per_packet ? sl_rdtsc() : now);
		if (s->l4_cksum) {
			uint16_t ck;

			if (s->spec.proto == SL_IPPROTO_TCP)
				((struct sl_tcp_hdr *)l4)->sent_seq = htonl((uint32_t)(seq + i));
			ck = s->spec.ipv6 ?
			     sl_ipv6_udptcp_cksum((const struct sl_ipv6_hdr *)(d + s->l3_off), l4) :
			     sl_ipv4_udptcp_cksum((const struct sl_ipv4_hdr *)(d + s->l3_off), l4);
			if (s->spec.proto == SL_IPPROTO_TCP)
				((struct sl_tcp_hdr *)l4)->cksum = ck;
			else
				l4->dgram_cksum = ck;
		}
		bytes += len;
		/* Per-flow bytes: packet k is flow k mod flows; a counter, not
		 * a division per packet. */
		if (s->flow_tx_bytes) {
			s->flow_tx_bytes[s->flow_tx_idx] += len;
			s->flow_tx_idx = s->flow_tx_idx + 1 == s->nb_flow_rx ? 0 : s->flow_tx_idx + 1;
		}
	}
	return bytes;
}

/* A hand-off: sequence number, late flag, stream id in one word. */
#define FWD_ID_BITS 7
#define FWD_LATE (UINT64_C(1) << FWD_ID_BITS)
#define FWD_SEQ_SHIFT (FWD_ID_BITS + 1)
static_assert(PG_MAX_SUBS <= 1u << FWD_ID_BITS, "a sub-stream id fits a hand-off");

unsigned int
pg_rx_drain(struct pg_rx_ctx *ctx)
{
	uint64_t e[PG_FWD_STAGE];
	unsigned int total = 0;

	for (unsigned int k = 0; k < PG_MAX_CORES; k++) {
		unsigned int n;

		if (ctx->fwd_in[k] == NULL)
			continue;
		do {
			n = sl_ring_elem_dequeue_burst_sc(ctx->fwd_in[k], e, sizeof(e[0]),
							  PG_FWD_STAGE, NULL);
			for (unsigned int i = 0; i < n; i++)
				pg_seq_merge(&ctx->streams[e[i] & (FWD_LATE - 1)]->seq,
					     e[i] >> FWD_SEQ_SHIFT, e[i] & FWD_LATE);
			total += n;
		} while (n == PG_FWD_STAGE);
	}
	return total;
}

/* Write receiver @p k's gathered hand-offs to its ring. */
static void
fwd_flush(struct pg_rx_ctx *ctx, unsigned int k)
{
	const uint32_t n = ctx->nb_stage[k];
	uint32_t done = 0;

	while (done < n) {
		done += sl_ring_elem_enqueue_burst_sp(ctx->fwd_out[k], &ctx->stage[k][done],
						      sizeof(uint64_t), n - done, NULL);
		/* Full: the owner may be waiting on our ring meanwhile. */
		if (done < n)
			pg_rx_drain(ctx);
	}
	ctx->nb_stage[k] = 0;
}

void
pg_rx_account(struct pg_rx_ctx *ctx, struct sl_mbuf *const *pkts, uint16_t n, uint64_t now)
{
	for (uint16_t i = 0; i < n; i++) {
		const struct sl_mbuf *m = pkts[i];
		struct pg_trailer tr;
		struct pg_stream *s;
		uint32_t id;

		if (sl_unlikely(m->data_len < PG_TRAILER_LEN || m->data_len != m->pkt_len)) {
			pg_cnt_set(&ctx->foreign, ctx->foreign + 1);
			pg_cnt_set(&ctx->foreign_bytes, ctx->foreign_bytes + m->pkt_len);
			continue;
		}
		pg_trailer_get(sl_mbuf_mtod_offset(m, const uint8_t *, m->data_len - PG_TRAILER_LEN),
			       &tr);
		id = tr.magic - PG_MAGIC_BASE;
		if (sl_unlikely(id >= ctx->nb_streams)) {
			pg_cnt_set(&ctx->foreign, ctx->foreign + 1);
			pg_cnt_set(&ctx->foreign_bytes, ctx->foreign_bytes + m->pkt_len);
			continue;
		}
		s = ctx->streams[id];
		/* The 48 bits on the wire, made the 64-bit number nearest to the
		 * highest seen on this queue (a stream never gets 2^47 packets
		 * out of order). */
		{
			uint64_t top = s->seq.qtop, v = (top & ~PG_48_MASK) | tr.seq;

			if (v > top + (PG_48_MASK >> 1) && v > PG_48_MASK)
				v -= PG_48_MASK + 1;
			else if (v + (PG_48_MASK >> 1) < top)
				v += PG_48_MASK + 1;
			tr.seq = v;
		}
		pg_cnt_set(&s->rx_bytes, s->rx_bytes + m->pkt_len);
		if (sl_likely(ctx->per_core == 0 || id / ctx->per_core == ctx->self)) {
			pg_seq_account(&s->seq, tr.seq);
		} else {
			unsigned int k = id / ctx->per_core;

			ctx->stage[k][ctx->nb_stage[k]++] = tr.seq << FWD_SEQ_SHIFT |
				(pg_seq_note(&s->seq, tr.seq) ? FWD_LATE : 0) | id;
			if (ctx->nb_stage[k] == PG_FWD_STAGE)
				fwd_flush(ctx, k);
		}
		/* Incrementing flows: packet k of a stream is flow k mod flows. */
		if (s->nb_flow_rx) {
			uint32_t f = (uint32_t)(tr.seq % s->nb_flow_rx);

			s->flow_rx[f]++;
			s->flow_rx_bytes[f] += m->pkt_len;
		}
		/* Modulo 2^48; a stamp "from the future" (the top half) is not
		 * a latency. */
		if (ctx->latency && sl_likely(((now - tr.tsc) & PG_48_MASK) <= (PG_48_MASK >> 1))) {
			uint64_t lat = (uint64_t)(((unsigned __int128)((now - tr.tsc) & PG_48_MASK) *
						  ctx->ns_mult) >> 32);

			pg_hist_record(&s->hist, lat);
			if (s->jit_n || s->hist.total > 1) {
				pg_cnt_set(&s->jit_sum, s->jit_sum +
					   (lat > s->last_lat ? lat - s->last_lat : s->last_lat - lat));
				pg_cnt_set(&s->jit_n, s->jit_n + 1);
			}
			s->last_lat = lat;
		}
	}
	for (unsigned int k = 0; ctx->per_core && k < PG_MAX_CORES; k++)
		if (ctx->nb_stage[k])
			fwd_flush(ctx, k);
}
