/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Checksums that are too large to inline: L4 checksums over whole packets
 * and sums across mbuf segment chains.  RFC 1071 for the arithmetic,
 * RFC 768 / RFC 9293 / RFC 8200 section 8.1 for the pseudo headers.
 */
#include <errno.h>
#include <stdint.h>

#include "sl_ip.h"
#include "sl_mbuf.h"

/* Swap the bytes of a 16-bit partial sum: a chunk that starts at an odd
 * offset within the summed range has its words shifted by one byte
 * (RFC 1071, section 2(B), byte order independence). */
static inline uint16_t
swap16(uint16_t v)
{
	return (uint16_t)((v << 8) | (v >> 8));
}

int
sl_raw_cksum_mbuf(const struct sl_mbuf *m, uint32_t off, uint32_t len, uint16_t *cksum)
{
	uint32_t sum = 0, done = 0;

	if ((uint64_t)off + len > m->pkt_len)
		return -EINVAL;
	/* Skip whole segments before off. */
	while (m != NULL && off >= m->data_len) {
		off -= m->data_len;
		m = m->next;
	}
	while (done < len && m != NULL) {
		uint32_t n = SL_MIN((uint32_t)m->data_len - off, len - done);
		uint16_t part = sl_raw_cksum(sl_mbuf_mtod_offset(m, const uint8_t *, off), n);

		sum += (done & 1) ? swap16(part) : part;
		done += n;
		off = 0;
		m = m->next;
	}
	if (done != len)
		return -EINVAL; /* chain shorter than pkt_len claims */
	*cksum = __sl_raw_cksum_reduce(sum);
	return 0;
}

/* Sum of an L4 header + payload, with its checksum field taken as zero. */
static uint32_t
l4_sum(const void *l4_hdr, uint32_t l4_len, uint8_t proto)
{
	const uint8_t *p = l4_hdr;
	uint16_t field;
	uint32_t sum = __sl_raw_cksum(l4_hdr, l4_len, 0);
	size_t foff = proto == SL_IPPROTO_UDP ? 6 : 16; /* checksum field offset */

	if (l4_len >= foff + 2) {
		memcpy(&field, p + foff, 2);
		sum += (uint16_t)~field;
	}
	return sum;
}

uint16_t
sl_ipv4_udptcp_cksum(const struct sl_ipv4_hdr *ip, const void *l4_hdr)
{
	uint32_t l4_len = (uint32_t)ntohs(ip->total_length) - sl_ipv4_hdr_len(ip);
	uint32_t sum = l4_sum(l4_hdr, l4_len, ip->next_proto_id);

	sum += sl_ipv4_phdr_cksum(ip);
	return __sl_l4_cksum_finish(sum, ip->next_proto_id);
}

int
sl_ipv4_udptcp_cksum_verify(const struct sl_ipv4_hdr *ip, const void *l4_hdr)
{
	uint32_t l4_len = (uint32_t)ntohs(ip->total_length) - sl_ipv4_hdr_len(ip);
	uint32_t sum;
	uint16_t field;

	if (ip->next_proto_id == SL_IPPROTO_UDP) {
		memcpy(&field, (const uint8_t *)l4_hdr + 6, 2);
		if (field == 0)
			return 0; /* sender did not compute one */
	}
	/* A correct packet sums to 0xffff including its checksum field. */
	sum = __sl_raw_cksum(l4_hdr, l4_len, sl_ipv4_phdr_cksum(ip));
	return __sl_raw_cksum_reduce(sum) == 0xffff ? 0 : -1;
}

uint16_t
sl_ipv4_udptcp_cksum_mbuf(const struct sl_mbuf *m, const struct sl_ipv4_hdr *ip, uint16_t l4_off)
{
	uint32_t l4_len = (uint32_t)ntohs(ip->total_length) - sl_ipv4_hdr_len(ip);
	uint8_t proto = ip->next_proto_id;
	uint32_t foff = l4_off + (proto == SL_IPPROTO_UDP ? 6u : 16u);
	uint16_t part, field, copy;
	const void *fp;
	uint32_t sum;

	if (sl_raw_cksum_mbuf(m, l4_off, l4_len, &part) < 0)
		return 0;
	sum = part;
	/* sl_mbuf_read returns a pointer into the segment or into copy. */
	fp = sl_mbuf_read(m, foff, 2, &copy);
	if (fp == NULL)
		return 0;
	memcpy(&field, fp, 2);
	sum += (uint16_t)~field;
	sum += sl_ipv4_phdr_cksum(ip);
	return __sl_l4_cksum_finish(sum, proto);
}

uint16_t
sl_ipv6_udptcp_cksum(const struct sl_ipv6_hdr *ip6, const void *l4_hdr)
{
	uint32_t l4_len = ntohs(ip6->payload_len);
	uint32_t sum = l4_sum(l4_hdr, l4_len, ip6->proto);

	sum += sl_ipv6_phdr_cksum(ip6);
	return __sl_l4_cksum_finish(sum, ip6->proto);
}

int
sl_ipv6_udptcp_cksum_verify(const struct sl_ipv6_hdr *ip6, const void *l4_hdr)
{
	uint32_t l4_len = ntohs(ip6->payload_len);
	uint32_t sum;
	uint16_t field;

	if (ip6->proto == SL_IPPROTO_UDP) {
		memcpy(&field, (const uint8_t *)l4_hdr + 6, 2);
		if (field == 0)
			return -1; /* mandatory over IPv6 */
	}
	sum = __sl_raw_cksum(l4_hdr, l4_len, sl_ipv6_phdr_cksum(ip6));
	return __sl_raw_cksum_reduce(sum) == 0xffff ? 0 : -1;
}
