/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice-pktgen's packet builder and receive accounting: see pg_core.h. */
#include <string.h>
#include <arpa/inet.h>

#include "pg_core.h"
#include "sl_cycles.h"
#include "sl_ether.h"
#include "sl_ip.h"
#include "sl_mbuf.h"
#include "sl_udp.h"

void
pg_stream_template(struct pg_stream *s, const uint8_t dst[6], const uint8_t src[6])
{
	struct sl_ether_hdr *eth = (struct sl_ether_hdr *)s->tpl;
	struct sl_ipv4_hdr *ip = (struct sl_ipv4_hdr *)(eth + 1);
	struct sl_udp_hdr *udp = (struct sl_udp_hdr *)(ip + 1);
	uint16_t len = s->size.lo;

	memset(s->tpl, 0, sizeof(s->tpl));
	memcpy(&eth->dst_addr, dst, 6);
	memcpy(&eth->src_addr, src, 6);
	eth->ether_type = htons(SL_ETHER_TYPE_IPV4);
	ip->version_ihl = SL_IPV4_VHL_DEF;
	ip->total_length = htons((uint16_t)(len - sizeof(*eth)));
	ip->time_to_live = 64;
	ip->next_proto_id = SL_IPPROTO_UDP;
	ip->src_addr = htonl(s->flows.f[PG_F_SRC_IP].lo);
	ip->dst_addr = htonl(s->flows.f[PG_F_DST_IP].lo);
	ip->hdr_checksum = sl_ipv4_cksum(ip);
	udp->src_port = htons((uint16_t)s->flows.f[PG_F_SRC_PORT].lo);
	udp->dst_port = htons((uint16_t)s->flows.f[PG_F_DST_PORT].lo);
	udp->dgram_len = htons((uint16_t)(len - sizeof(*eth) - sizeof(*ip)));
	s->l3_off = sizeof(*eth);
	s->l4_off = sizeof(*eth) + sizeof(*ip);
	s->hdr_len = PG_UDP4_HDR_LEN;
	s->vary_ip = s->flows.f[PG_F_SRC_IP].lo != s->flows.f[PG_F_SRC_IP].hi ||
		     s->flows.f[PG_F_DST_IP].lo != s->flows.f[PG_F_DST_IP].hi;
	s->vary_len = s->size.mode != PG_SIZE_FIXED;
	for (int i = 0; i < PG_F_NUM; i++)
		s->flows.f[i].cur = s->flows.f[i].lo;
	if (s->rnd == 0)
		s->rnd = 0x9E3779B97F4A7C15ull ^ ((uint64_t)s->id << 32);
}

uint64_t
pg_stream_build(struct pg_stream *s, struct sl_mbuf **pkts, uint16_t n,
		const uint64_t *stamps, bool per_packet, uint64_t now)
{
	const bool ports = s->flows.count > 1;
	uint64_t seq = s->c.tx, bytes = 0;

	for (uint16_t i = 0; i < n; i++) {
		struct sl_mbuf *m = pkts[i];
		uint8_t *d = sl_mbuf_mtod(m, uint8_t *);
		uint16_t len = pg_size_next(&s->size, &s->size_idx, &s->rnd);
		struct pg_trailer tr;

		memcpy(d, s->tpl, s->hdr_len);
		if (ports) {
			struct sl_udp_hdr *udp = (struct sl_udp_hdr *)(d + s->l4_off);

			udp->src_port = htons((uint16_t)s->flows.f[PG_F_SRC_PORT].cur);
			udp->dst_port = htons((uint16_t)s->flows.f[PG_F_DST_PORT].cur);
		}
		if (s->vary_ip || s->vary_len) {
			struct sl_ipv4_hdr *ip = (struct sl_ipv4_hdr *)(d + s->l3_off);
			struct sl_udp_hdr *udp = (struct sl_udp_hdr *)(d + s->l4_off);

			ip->src_addr = htonl(s->flows.f[PG_F_SRC_IP].cur);
			ip->dst_addr = htonl(s->flows.f[PG_F_DST_IP].cur);
			ip->total_length = htons((uint16_t)(len - s->l3_off));
			udp->dgram_len = htons((uint16_t)(len - s->l4_off));
			ip->hdr_checksum = sl_ipv4_cksum(ip); /* ignores the stale field */
		}
		if (ports)
			pg_flows_next(&s->flows, &s->rnd);
		tr.magic = PG_MAGIC_BASE | s->id;
		tr.seq = seq + i;
		tr.tsc = stamps ? stamps[i] : per_packet ? sl_rdtsc() : now;
		memcpy(d + len - PG_TRAILER_LEN, &tr, sizeof(tr));
		m->data_len = len;
		m->pkt_len = len;
		bytes += len;
	}
	return bytes;
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
		memcpy(&tr, sl_mbuf_mtod_offset(m, const uint8_t *, m->data_len - PG_TRAILER_LEN),
		       sizeof(tr));
		id = tr.magic - PG_MAGIC_BASE;
		if (sl_unlikely(id >= ctx->nb_streams)) {
			pg_cnt_set(&ctx->foreign, ctx->foreign + 1);
			pg_cnt_set(&ctx->foreign_bytes, ctx->foreign_bytes + m->pkt_len);
			continue;
		}
		s = ctx->streams[id];
		pg_cnt_set(&s->rx_bytes, s->rx_bytes + m->pkt_len);
		pg_seq_account(&s->seq, tr.seq);
		if (ctx->latency && sl_likely(now >= tr.tsc)) {
			uint64_t lat = (uint64_t)(((unsigned __int128)(now - tr.tsc) * ctx->ns_mult) >> 32);

			pg_hist_record(&s->hist, lat);
			if (s->jit_n || s->hist.total > 1) {
				pg_cnt_set(&s->jit_sum, s->jit_sum +
					   (lat > s->last_lat ? lat - s->last_lat : s->last_lat - lat));
				pg_cnt_set(&s->jit_n, s->jit_n + 1);
			}
			s->last_lat = lat;
		}
	}
}
