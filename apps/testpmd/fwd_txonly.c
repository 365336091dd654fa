/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * txonly:  send UDP/IPv4 packets of the --txpkts segment lengths, from
 *          --tx-ip SRC to DST, --tx-udp ports, to the TX port's peer MAC.
 * flowgen: the same packets spread over TP_FLOWGEN_FLOWS flows (destination
 *          address DST, DST+1, ...); received packets are freed.
 *
 * The 42 header bytes are the same for every packet of a port (txonly) or
 * differ in two fields (flowgen), so they are built once per port at start
 * and copied.  The payload is left as the pool hands it out, as DPDK does.
 */
#include <string.h>

#include "sl_ip.h"
#include "sl_udp.h"
#include "testpmd.h"

#define TP_HDR_LEN (sizeof(struct sl_ether_hdr) + sizeof(struct sl_ipv4_hdr) + \
		    sizeof(struct sl_udp_hdr))

struct pkt_tpl {
	uint8_t hdr[TP_HDR_LEN];
	uint32_t pkt_len;
} __sl_cache_aligned;

static struct pkt_tpl tpl[SL_MAX_ETHPORTS];

static int
tx_fwd_begin(uint16_t port)
{
	struct pkt_tpl *t = &tpl[port];
	struct sl_ether_hdr *eth = (struct sl_ether_hdr *)t->hdr;
	struct sl_ipv4_hdr *ip = (struct sl_ipv4_hdr *)(eth + 1);
	struct sl_udp_hdr *udp = (struct sl_udp_hdr *)(ip + 1);
	uint32_t len = 0;
	unsigned int i;

	for (i = 0; i < cfg.txpkts_nb; i++)
		len += cfg.txpkts[i];
	if (cfg.txpkts[0] < TP_HDR_LEN) {
		fprintf(stderr, "txpkts: first segment is %u bytes, the Ethernet/IPv4/UDP headers need %zu; "
			"use e.g. 'set txpkts 64'\n", cfg.txpkts[0], TP_HDR_LEN);
		return -EINVAL;
	}
	memset(t, 0, sizeof(*t));
	t->pkt_len = len;
	sl_ether_addr_copy(&cfg.peer[port], &eth->dst_addr);
	sl_ether_addr_copy(&ports[port].mac, &eth->src_addr);
	eth->ether_type = htons(SL_ETHER_TYPE_IPV4);
	ip->version_ihl = SL_IPV4_VHL_DEF;
	ip->total_length = htons((uint16_t)(len - sizeof(*eth)));
	ip->time_to_live = 64;
	ip->next_proto_id = SL_IPPROTO_UDP;
	ip->src_addr = cfg.tx_ip_src;
	ip->dst_addr = cfg.tx_ip_dst;
	ip->hdr_checksum = sl_ipv4_cksum(ip);
	udp->src_port = htons(cfg.tx_udp_src);
	udp->dst_port = htons(cfg.tx_udp_dst);
	udp->dgram_len = htons((uint16_t)(len - sizeof(*eth) - sizeof(*ip)));
	udp->dgram_cksum = 0; /* optional over IPv4 (RFC 768) */
	return 0;
}

/* Fill one packet (possibly a chain) from the template.  segs[0..nb_segs)
 * are freshly allocated mbufs. */
static inline void
fill_pkt(struct sl_mbuf **segs, const struct pkt_tpl *t)
{
	struct sl_mbuf *m = segs[0];
	unsigned int i;

	memcpy(sl_mbuf_mtod(m, void *), t->hdr, TP_HDR_LEN);
	m->data_len = cfg.txpkts[0];
	m->pkt_len = t->pkt_len;
	m->nb_segs = (uint16_t)cfg.txpkts_nb;
	for (i = 1; i < cfg.txpkts_nb; i++) {
		segs[i - 1]->next = segs[i];
		segs[i]->data_len = cfg.txpkts[i];
	}
}

static inline uint16_t
alloc_pkts(struct fwd_stream *fs, struct sl_mbuf **pkts, const struct pkt_tpl *t)
{
	uint16_t n = fs->burst, i;
	struct sl_mbuf *segs[TP_MAX_SEGS];

	if (sl_likely(cfg.txpkts_nb == 1)) {
		if (sl_unlikely(sl_mbuf_alloc_bulk(fs->pool, pkts, n) != 0)) {
			fs->tx_nombuf++;
			return 0;
		}
		for (i = 0; i < n; i++)
			fill_pkt(&pkts[i], t);
		return n;
	}
	for (i = 0; i < n; i++) {
		if (sl_unlikely(sl_mbuf_alloc_bulk(fs->pool, segs, cfg.txpkts_nb) != 0)) {
			fs->tx_nombuf++;
			break;
		}
		fill_pkt(segs, t);
		pkts[i] = segs[0];
	}
	return i;
}

static void
txonly_fwd(struct fwd_stream *fs)
{
	struct sl_mbuf *pkts[TP_MAX_BURST];
	uint16_t nb, nb_tx;

	nb = alloc_pkts(fs, pkts, &tpl[fs->tx_port]);
	if (nb == 0)
		return;
	nb_tx = tp_tx_burst(fs, pkts, nb);
	fs->tx_packets += nb_tx;
	fs->gen_packets += nb;
	tp_tx_drop(fs, pkts, nb, nb_tx);
}

static void
flowgen_fwd(struct fwd_stream *fs)
{
	struct sl_mbuf *pkts[TP_MAX_BURST];
	uint16_t nb, nb_rx, nb_tx, i;
	uint32_t base = ntohl(cfg.tx_ip_dst);

	/* Terminate what comes back. */
	nb_rx = tp_rx_burst(fs, pkts);
	if (nb_rx) {
		fs->rx_packets += nb_rx;
		fs->fwd_discarded += nb_rx;
		sl_mbuf_free_bulk(pkts, nb_rx);
	}
	nb = alloc_pkts(fs, pkts, &tpl[fs->tx_port]);
	if (nb == 0)
		return;
	for (i = 0; i < nb; i++) {
		struct sl_ipv4_hdr *ip = sl_mbuf_mtod_offset(pkts[i], struct sl_ipv4_hdr *,
							     sizeof(struct sl_ether_hdr));

		ip->dst_addr = htonl(base + fs->flow_idx);
		ip->packet_id = htons(fs->ip_id++);
		ip->hdr_checksum = sl_ipv4_cksum(ip);
		if (++fs->flow_idx == TP_FLOWGEN_FLOWS)
			fs->flow_idx = 0;
	}
	nb_tx = tp_tx_burst(fs, pkts, nb);
	fs->tx_packets += nb_tx;
	fs->gen_packets += nb;
	tp_tx_drop(fs, pkts, nb, nb_tx);
}

const struct fwd_engine txonly_engine = {
	.name = "txonly",
	.help = "send UDP/IPv4 packets of --txpkts lengths",
	.port_fwd_begin = tx_fwd_begin,
	.packet_fwd = txonly_fwd,
};

const struct fwd_engine flowgen_engine = {
	.name = "flowgen",
	.help = "send UDP/IPv4 packets over 1024 flows, free received packets",
	.port_fwd_begin = tx_fwd_begin,
	.packet_fwd = flowgen_fwd,
};
