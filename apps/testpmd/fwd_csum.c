/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * csum: check and recompute the IPv4 header checksum and the UDP/TCP
 * checksum (over IPv4 or IPv6) of every packet, counting the bad ones it
 * received, then forward it with the MAC addresses set as in "mac" mode.
 *
 * A checksum the port's TX path can compute (dev_info.tx_offload_capa,
 * enabled at configure time) is left to the port: the packet carries the
 * SL_MBUF_F_TX_* flags, l2_len/l3_len and, for L4, the pseudo-header sum the
 * hardware expects as seed.  Otherwise the checksum is computed here.
 * RX checksum flags set by the port (SL_MBUF_F_RX_*_CKSUM_GOOD/BAD) are
 * trusted; without them the checksum is verified in software.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "sl_ip.h"
#include "sl_tcp.h"
#include "sl_udp.h"
#include "testpmd.h"

/* A received checksum equals the recomputed one, allowing 0 == 0xffff
 * (both are "zero" in ones' complement) and UDP's "no checksum" 0. */
static inline int
l4_cksum_ok(uint16_t stored, uint16_t computed, uint8_t proto, int v4)
{
	if (stored == computed)
		return 1;
	if (proto == SL_IPPROTO_UDP && v4 && stored == 0)
		return 1;
	return proto == SL_IPPROTO_TCP && (uint16_t)(stored ^ computed) == 0xffff &&
	       (stored == 0 || computed == 0);
}

/* The L4 checksum field: headers are packed (no alignment guarantee inside
 * a frame), so it is read and written through memcpy. */
static inline void *
l4_cksum_field(void *l4, uint8_t proto)
{
	return (uint8_t *)l4 + (proto == SL_IPPROTO_UDP ? offsetof(struct sl_udp_hdr, dgram_cksum)
							: offsetof(struct sl_tcp_hdr, cksum));
}

static inline uint16_t
get16(const void *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline void
put16(void *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void
csum_pkt(struct fwd_stream *fs, struct sl_mbuf *m, uint64_t tx_offloads)
{
	struct sl_ether_hdr *eth = sl_mbuf_mtod(m, struct sl_ether_hdr *);
	uint16_t etype = eth->ether_type;
	uint16_t l2_len = sizeof(*eth);
	uint64_t rx_flags = m->ol_flags;
	void *field;
	uint16_t c;
	uint8_t proto;
	void *l3, *l4;

	sl_ether_addr_copy(&cfg.peer[fs->tx_port], &eth->dst_addr);
	sl_ether_addr_copy(&ports[fs->tx_port].mac, &eth->src_addr);
	if (etype == htons(SL_ETHER_TYPE_VLAN)) {
		etype = ((struct sl_vlan_hdr *)(eth + 1))->eth_proto;
		l2_len += sizeof(struct sl_vlan_hdr);
	}
	l3 = (uint8_t *)eth + l2_len;
	/* The RX flags go; the buffer's kind (indirect, external) stays. */
	m->ol_flags &= SL_MBUF_F_INDIRECT | SL_MBUF_F_EXTERNAL;
	if (etype == htons(SL_ETHER_TYPE_IPV4)) {
		struct sl_ipv4_hdr *ip = l3;
		uint16_t l3_len;
		bool ip_ok;

		if (sl_unlikely(m->data_len < l2_len + sizeof(*ip)))
			return;
		l3_len = sl_ipv4_hdr_len(ip);
		if (sl_unlikely(l3_len < sizeof(*ip) || m->data_len < l2_len + l3_len))
			return;
		if (rx_flags & SL_MBUF_F_RX_IP_CKSUM_BAD)
			ip_ok = false;
		else if (rx_flags & SL_MBUF_F_RX_IP_CKSUM_GOOD)
			ip_ok = true;
		else
			ip_ok = sl_raw_cksum(ip, l3_len) == 0xffff;
		fs->rx_bad_ip_csum += !ip_ok;
		m->l2_len = l2_len;
		m->l3_len = l3_len;
		if (tx_offloads & SL_ETH_TX_OFFLOAD_IPV4_CKSUM) {
			ip->hdr_checksum = 0;
			m->ol_flags |= SL_MBUF_F_TX_IPV4 | SL_MBUF_F_TX_IP_CKSUM;
		} else if (!ip_ok) {
			ip->hdr_checksum = sl_ipv4_cksum(ip);
		}
		/*
		 * else: a header that checks out keeps its checksum, which is
		 * what recomputing it would give (this engine changes no IPv4
		 * field), without a second pass over the header.  The one
		 * exception is harmless: a header whose other words sum to
		 * 0xffff checks out with 0xffff stored, where a fresh sum gives
		 * 0x0000; both are valid (RFC 1624 §3).
		 */
		proto = ip->next_proto_id;
		if ((proto != SL_IPPROTO_UDP && proto != SL_IPPROTO_TCP) ||
		    sl_ipv4_frag_pkt_is_fragmented(ip))
			return;
		if (sl_unlikely((uint32_t)l2_len + ntohs(ip->total_length) > m->pkt_len ||
				ntohs(ip->total_length) < l3_len + (proto == SL_IPPROTO_UDP ? 8 : 20)))
			return;
		l4 = (uint8_t *)ip + l3_len;
		if (sl_unlikely(m->data_len < l2_len + l3_len + (proto == SL_IPPROTO_UDP ? 8 : 20)))
			return;
		field = l4_cksum_field(l4, proto);
		if (sl_likely(m->nb_segs == 1))
			c = sl_ipv4_udptcp_cksum(ip, l4);
		else
			c = sl_ipv4_udptcp_cksum_mbuf(m, ip, (uint16_t)(l2_len + l3_len));
		if (rx_flags & SL_MBUF_F_RX_L4_CKSUM_BAD)
			fs->rx_bad_l4_csum++;
		else if (!(rx_flags & SL_MBUF_F_RX_L4_CKSUM_GOOD) &&
			 !l4_cksum_ok(get16(field), c, proto, 1))
			fs->rx_bad_l4_csum++;
		if (tx_offloads & (proto == SL_IPPROTO_UDP ? SL_ETH_TX_OFFLOAD_UDP_CKSUM
							   : SL_ETH_TX_OFFLOAD_TCP_CKSUM)) {
			put16(field, sl_ipv4_phdr_cksum(ip));
			m->ol_flags |= SL_MBUF_F_TX_IPV4 | (proto == SL_IPPROTO_UDP ?
				SL_MBUF_F_TX_UDP_CKSUM : SL_MBUF_F_TX_TCP_CKSUM);
		} else {
			put16(field, c);
		}
	} else if (etype == htons(SL_ETHER_TYPE_IPV6)) {
		struct sl_ipv6_hdr *ip6 = l3;
		uint32_t l4_len;

		if (sl_unlikely(m->data_len < l2_len + sizeof(*ip6)))
			return;
		proto = ip6->proto;
		l4_len = ntohs(ip6->payload_len);
		if (proto != SL_IPPROTO_UDP && proto != SL_IPPROTO_TCP)
			return;
		/* Software only, and only for packets in one segment. */
		if (m->nb_segs != 1 || l2_len + sizeof(*ip6) + l4_len > m->data_len ||
		    l4_len < (proto == SL_IPPROTO_UDP ? 8u : 20u))
			return;
		l4 = ip6 + 1;
		field = l4_cksum_field(l4, proto);
		c = sl_ipv6_udptcp_cksum(ip6, l4);
		if (rx_flags & SL_MBUF_F_RX_L4_CKSUM_BAD)
			fs->rx_bad_l4_csum++;
		else if (!(rx_flags & SL_MBUF_F_RX_L4_CKSUM_GOOD) &&
			 !l4_cksum_ok(get16(field), c, proto, 0))
			fs->rx_bad_l4_csum++;
		put16(field, c);
	}
}

static void
csum_fwd(struct fwd_stream *fs)
{
	struct sl_mbuf *pkts[TP_MAX_BURST];
	uint64_t tx_offloads = ports[fs->tx_port].tx_offloads;
	uint16_t nb_rx, nb_tx, i;

	nb_rx = tp_rx_burst(fs, pkts);
	if (nb_rx == 0)
		return;
	fs->rx_packets += nb_rx;
	for (i = 0; i < nb_rx; i++)
		csum_pkt(fs, pkts[i], tx_offloads);
	nb_tx = tp_tx_burst(fs, pkts, nb_rx);
	fs->tx_packets += nb_tx;
	tp_tx_drop(fs, pkts, nb_rx, nb_tx);
}

const struct fwd_engine csum_engine = {
	.name = "csum",
	.help = "verify and recompute IPv4/UDP/TCP checksums (offloaded where the port can)",
	.packet_fwd = csum_fwd,
};
