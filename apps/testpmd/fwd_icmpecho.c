/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * icmpecho: answer ARP requests and ICMP echo requests, as DPDK testpmd's
 * icmpecho engine does; everything else is dropped.
 *
 * - ARP request (RFC 826): turned into a reply from the receiving port's
 *   MAC for the asked-for address (any address: the engine acts as a proxy
 *   for every IP, so that a peer can ping whatever address it likes).
 * - ICMP echo request (RFC 792): addresses swapped at L2 and L3, type set
 *   to echo reply, checksum updated incrementally (RFC 1624); sent back.
 *   The IPv4 header checksum is unchanged by swapping the two addresses.
 * One 802.1Q tag is allowed and kept.  Replies leave through the stream's
 * TX port, like every other engine (with --port-topology=loop that is the
 * port the request came in on).
 */
#include <string.h>

#include "sl_arp.h"
#include "sl_icmp.h"
#include "sl_ip.h"
#include "testpmd.h"

/* Returns 1 if @p m was turned into a reply. */
static inline int
echo_pkt(struct sl_mbuf *m, const struct sl_ether_addr *port_mac)
{
	struct sl_ether_hdr *eth = sl_mbuf_mtod(m, struct sl_ether_hdr *);
	uint16_t etype = eth->ether_type;
	uint32_t l2_len = sizeof(*eth);

	if (etype == htons(SL_ETHER_TYPE_VLAN)) {
		etype = ((struct sl_vlan_hdr *)(eth + 1))->eth_proto;
		l2_len += sizeof(struct sl_vlan_hdr);
	}
	if (etype == htons(SL_ETHER_TYPE_ARP)) {
		struct sl_arp_hdr *arp = (struct sl_arp_hdr *)((uint8_t *)eth + l2_len);
		uint32_t ip;

		if (m->data_len < l2_len + sizeof(*arp) ||
		    arp->arp_hardware != htons(SL_ARP_HRD_ETHER) ||
		    arp->arp_protocol != htons(SL_ETHER_TYPE_IPV4) ||
		    arp->arp_hlen != SL_ETHER_ADDR_LEN || arp->arp_plen != 4 ||
		    arp->arp_opcode != htons(SL_ARP_OP_REQUEST))
			return 0;
		sl_ether_addr_copy(&eth->src_addr, &eth->dst_addr);
		sl_ether_addr_copy(port_mac, &eth->src_addr);
		arp->arp_opcode = htons(SL_ARP_OP_REPLY);
		memcpy(arp->arp_tha, arp->arp_sha, SL_ETHER_ADDR_LEN);
		memcpy(arp->arp_sha, port_mac, SL_ETHER_ADDR_LEN);
		ip = arp->arp_sip;
		arp->arp_sip = arp->arp_tip;
		arp->arp_tip = ip;
		return 1;
	}
	if (etype == htons(SL_ETHER_TYPE_IPV4)) {
		struct sl_ipv4_hdr *ip = (struct sl_ipv4_hdr *)((uint8_t *)eth + l2_len);
		struct sl_icmp_hdr *icmp;
		struct sl_ether_addr tmp;
		uint32_t addr, sum;
		uint8_t l3_len;

		if (m->data_len < l2_len + sizeof(*ip) || ip->next_proto_id != SL_IPPROTO_ICMP ||
		    sl_ipv4_frag_pkt_is_fragmented(ip))
			return 0;
		l3_len = sl_ipv4_hdr_len(ip);
		if (l3_len < sizeof(*ip) || m->data_len < l2_len + l3_len + sizeof(*icmp))
			return 0;
		icmp = (struct sl_icmp_hdr *)((uint8_t *)ip + l3_len);
		if (icmp->icmp_type != SL_ICMP_TYPE_ECHO_REQUEST || icmp->icmp_code != 0)
			return 0;
		sl_ether_addr_copy(&eth->src_addr, &tmp);
		sl_ether_addr_copy(&eth->dst_addr, &eth->src_addr);
		sl_ether_addr_copy(&tmp, &eth->dst_addr);
		addr = ip->src_addr;
		ip->src_addr = ip->dst_addr;
		ip->dst_addr = addr;
		/* A request to a group address is answered from the port's own
		 * MAC, never from a multicast source (RFC 1122, 3.2.2.6). */
		if (sl_ether_addr_is_multicast(&eth->src_addr))
			sl_ether_addr_copy(port_mac, &eth->src_addr);
		icmp->icmp_type = SL_ICMP_TYPE_ECHO_REPLY;
		/* RFC 1624: the first word went from 0x0800 to 0x0000, so the
		 * checksum (a complemented sum) grows by 0x0800. */
		sum = (uint32_t)ntohs(icmp->icmp_cksum) + 0x0800;
		sum = (sum & 0xffff) + (sum >> 16);
		icmp->icmp_cksum = htons((uint16_t)sum);
		return 1;
	}
	return 0;
}

static void
icmpecho_fwd(struct fwd_stream *fs)
{
	struct sl_mbuf *pkts[TP_MAX_BURST];
	struct sl_mbuf *reply[TP_MAX_BURST];
	const struct sl_ether_addr *mac = &ports[fs->rx_port].mac;
	uint16_t nb_rx, nb_reply = 0, nb_tx, i;

	nb_rx = tp_rx_burst(fs, pkts);
	if (nb_rx == 0)
		return;
	fs->rx_packets += nb_rx;
	for (i = 0; i < nb_rx; i++) {
		if (echo_pkt(pkts[i], mac)) {
			reply[nb_reply++] = pkts[i];
		} else {
			fs->fwd_discarded++;
			sl_mbuf_free(pkts[i]);
		}
	}
	if (nb_reply == 0)
		return;
	nb_tx = tp_tx_burst(fs, reply, nb_reply);
	fs->tx_packets += nb_tx;
	tp_tx_drop(fs, reply, nb_reply, nb_tx);
}

const struct fwd_engine icmpecho_engine = {
	.name = "icmpecho",
	.help = "answer ARP requests and ICMP echo requests, drop the rest",
	.packet_fwd = icmpecho_fwd,
};
