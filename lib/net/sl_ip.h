/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * IPv4 and IPv6 headers and the Internet checksum (RFC 791, RFC 8200,
 * RFC 1071, RFC 768/793 pseudo headers).
 *
 * Multi-byte header fields are kept in network byte order; convert them
 * with htons()/ntohs() (or htobe16()/be16toh()).
 *
 * The ones' complement sum is independent of byte order (RFC 1071, section
 * 2(B)): summing the packet's 16-bit words as the CPU reads them and storing
 * the folded, complemented result back the same way yields the correct bytes
 * on the wire.  So the helpers below return values that can be stored
 * directly into a header field with no byte swap.
 */
#ifndef SL_IP_H
#define SL_IP_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>

#include "sl_common.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sl_mbuf;

/** IP protocol numbers (IANA) used by Sluice. */
#define SL_IPPROTO_ICMP 1
#define SL_IPPROTO_TCP 6 /**< TCP */
#define SL_IPPROTO_UDP 17 /**< UDP */
#define SL_IPPROTO_IPV6 41 /**< IPv6 encapsulation */
#define SL_IPPROTO_ICMPV6 58 /**< ICMPv6 */

/** IPv4 header without options (RFC 791, section 3.1). */
struct sl_ipv4_hdr {
	uint8_t version_ihl;      /**< version (4 bits) | header length in 32-bit words */
	uint8_t type_of_service;  /**< DSCP | ECN */
	uint16_t total_length;    /**< header + payload length, network order */
	uint16_t packet_id;       /**< identification, network order */
	uint16_t fragment_offset; /**< flags (3 bits) | offset in 8-byte units */
	uint8_t time_to_live; /**< hops left */
	uint8_t next_proto_id;    /**< SL_IPPROTO_* */
	uint16_t hdr_checksum;    /**< header checksum */
	uint32_t src_addr;        /**< network order */
	uint32_t dst_addr;        /**< network order */
} __sl_packed;

static_assert(sizeof(struct sl_ipv4_hdr) == 20, "IPv4 header is 20 bytes");

#define SL_IPV4_VHL_DEF 0x45         /**< version 4, 5 words: no options */
#define SL_IPV4_IHL_MULTIPLIER 4     /**< IHL counts 32-bit words */
#define SL_IPV4_HDR_IHL_MASK 0x0f /**< IHL bits of version_ihl */
#define SL_IPV4_HDR_DF_FLAG (1 << 14) /**< don't fragment (host order) */
#define SL_IPV4_HDR_MF_FLAG (1 << 13) /**< more fragments (host order) */
#define SL_IPV4_HDR_OFFSET_MASK 0x1fff /**< fragment offset bits (host order) */
#define SL_IPV4_MIN_IHL 5 /**< smallest valid IHL (20 bytes) */

/** Build an IPv4 address in network byte order from its four octets. */
#define SL_IPV4(a, b, c, d) \
	htonl(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

/** @return the IPv4 header length in bytes (IHL * 4). */
static inline uint8_t
sl_ipv4_hdr_len(const struct sl_ipv4_hdr *ip)
{
	return (uint8_t)((ip->version_ihl & SL_IPV4_HDR_IHL_MASK) * SL_IPV4_IHL_MULTIPLIER);
}

/** @return non-zero if the header describes a fragment (MF set or offset != 0). */
static inline int
sl_ipv4_frag_pkt_is_fragmented(const struct sl_ipv4_hdr *ip)
{
	uint16_t f = ntohs(ip->fragment_offset);

	return (f & (SL_IPV4_HDR_MF_FLAG | SL_IPV4_HDR_OFFSET_MASK)) != 0;
}

/** IPv6 fixed header (RFC 8200, section 3). */
struct sl_ipv6_hdr {
	uint32_t vtc_flow;     /**< version (4) | traffic class (8) | flow label (20), network order */
	uint16_t payload_len;  /**< bytes after this header, network order */
	uint8_t proto;         /**< next header, SL_IPPROTO_* */
	uint8_t hop_limits; /**< hops left */
	uint8_t src_addr[16]; /**< source address */
	uint8_t dst_addr[16]; /**< destination address */
} __sl_packed;

static_assert(sizeof(struct sl_ipv6_hdr) == 40, "IPv6 header is 40 bytes");

/* ---- Raw ones' complement sums (RFC 1071) ---- */

/**
 * Add the 16-bit words of @p buf to @p sum without folding.
 *
 * The words are read in CPU order (see the file comment).  An odd trailing
 * byte is padded with a zero byte as RFC 1071 requires, which on a
 * little-endian CPU means it is the low byte of the last word.  Up to 2^16
 * bytes can be summed into a 32-bit accumulator without overflow; larger
 * buffers are folded as they go.
 */
static inline uint32_t
__sl_raw_cksum(const void *buf, size_t len, uint32_t sum)
{
	const uint8_t *p = (const uint8_t *)buf; /* cast: C++ includes this too */
	uint64_t s = sum;

	/* 64-bit accumulator: 2^32 words of 16 bits cannot overflow it. */
	for (; len >= 8; p += 8, len -= 8) {
		uint16_t w[4];

		memcpy(w, p, sizeof(w)); /* unaligned-safe, compiles to one load */
		s += (uint32_t)w[0] + w[1] + w[2] + w[3];
	}
	for (; len >= 2; p += 2, len -= 2) {
		uint16_t w;

		memcpy(&w, p, sizeof(w));
		s += w;
	}
	if (len) {
		uint16_t w = 0;

		memcpy(&w, p, 1);
		s += w;
	}
	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffffffffu) + (s >> 32);
	return (uint32_t)s;
}

/** Fold a 32-bit ones' complement accumulator to 16 bits (not complemented). */
static inline uint16_t
__sl_raw_cksum_reduce(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/**
 * Ones' complement sum of a buffer, folded to 16 bits, not complemented.
 * @return the folded sum (0 only for an all-zero buffer).
 */
static inline uint16_t
sl_raw_cksum(const void *buf, size_t len)
{
	return __sl_raw_cksum_reduce(__sl_raw_cksum(buf, len, 0));
}

/**
 * Ones' complement sum over @p len bytes of a (possibly multi-segment)
 * packet starting @p off bytes into the packet data.
 *
 * A segment boundary may fall at an odd offset; the helper keeps the
 * word alignment of the sum right across it.
 *
 * @param m      the packet's first segment
 * @param off    byte offset from the start of the packet data
 * @param len    number of bytes to sum
 * @param cksum  where to store the folded, uncomplemented sum
 * @return 0, or -EINVAL if [off, off + len) reaches beyond the packet.
 */
int sl_raw_cksum_mbuf(const struct sl_mbuf *m, uint32_t off, uint32_t len, uint16_t *cksum);

/* ---- IPv4 ---- */

/**
 * IPv4 header checksum (RFC 791), options included.
 *
 * The header's own hdr_checksum field is treated as zero, so the function
 * can compute a fresh checksum without clearing the field first.
 * @return the value to store in hdr_checksum.
 */
static inline uint16_t
sl_ipv4_cksum(const struct sl_ipv4_hdr *ip)
{
	uint32_t sum = __sl_raw_cksum(ip, sl_ipv4_hdr_len(ip), 0);

	/* Subtracting the stored field in ones' complement is adding its complement. */
	sum += (uint16_t)~ip->hdr_checksum;
	return (uint16_t)~__sl_raw_cksum_reduce(sum);
}

/**
 * Sum of the IPv4 pseudo header (RFC 768 / RFC 793) for the L4 checksum:
 * source, destination, protocol and L4 length.  The L4 length is taken from
 * the IPv4 total length minus the header length.
 *
 * This is also the seed a NIC expects in the L4 checksum field when the
 * checksum is offloaded (SL_MBUF_F_TX_UDP_CKSUM / _TCP_CKSUM).
 * @return the folded, uncomplemented pseudo header sum.
 */
static inline uint16_t
sl_ipv4_phdr_cksum(const struct sl_ipv4_hdr *ip)
{
	uint32_t l4_len = (uint32_t)ntohs(ip->total_length) - sl_ipv4_hdr_len(ip);
	uint32_t sum;

	sum = __sl_raw_cksum(&ip->src_addr, 8, 0);
	sum += htons(ip->next_proto_id);
	sum += htons((uint16_t)l4_len);
	return __sl_raw_cksum_reduce(sum);
}

/** @internal Complement a sum for UDP/TCP: UDP sends 0 as 0xffff (RFC 768). */
static inline uint16_t
__sl_l4_cksum_finish(uint32_t sum, uint8_t proto)
{
	uint16_t c = (uint16_t)~__sl_raw_cksum_reduce(sum);

	if (c == 0 && proto == SL_IPPROTO_UDP)
		c = 0xffff;
	return c;
}

/**
 * UDP or TCP checksum over an IPv4 packet held in one contiguous buffer.
 *
 * The L4 length comes from the IPv4 header; the L4 checksum field inside
 * @p l4_hdr is treated as zero, so there is no need to clear it first.
 * @param ip      the IPv4 header (next_proto_id must be UDP or TCP)
 * @param l4_hdr  the UDP or TCP header, followed by its payload
 * @return the value to store in the UDP/TCP checksum field.
 */
uint16_t sl_ipv4_udptcp_cksum(const struct sl_ipv4_hdr *ip, const void *l4_hdr);

/**
 * Verify the UDP or TCP checksum of an IPv4 packet held in one buffer.
 * A UDP checksum of 0 means "not computed" and is accepted (RFC 768).
 * @return 0 if the checksum is correct, -1 if not.
 */
int sl_ipv4_udptcp_cksum_verify(const struct sl_ipv4_hdr *ip, const void *l4_hdr);

/**
 * UDP or TCP checksum of an IPv4 packet that may span several segments.
 * @param m       the packet
 * @param ip      its IPv4 header (must be in the first segment)
 * @param l4_off  offset of the L4 header from the start of the packet data
 * @return the value to store in the checksum field, or 0 if the IPv4 length
 *         points beyond the packet (never a valid UDP/TCP checksum result).
 */
uint16_t sl_ipv4_udptcp_cksum_mbuf(const struct sl_mbuf *m, const struct sl_ipv4_hdr *ip,
				   uint16_t l4_off);

/* ---- IPv6 ---- */

/**
 * Sum of the IPv6 pseudo header (RFC 8200, section 8.1): addresses, upper
 * layer length (taken from payload_len, so no extension headers) and next
 * header.
 * @return the folded, uncomplemented sum.
 */
static inline uint16_t
sl_ipv6_phdr_cksum(const struct sl_ipv6_hdr *ip6)
{
	uint32_t sum;

	sum = __sl_raw_cksum(ip6->src_addr, 32, 0);
	/* The 32-bit length and the next header each sit in big-endian words. */
	sum += ip6->payload_len;
	sum += htons(ip6->proto);
	return __sl_raw_cksum_reduce(sum);
}

/**
 * UDP or TCP checksum over an IPv6 packet in one contiguous buffer (no
 * extension headers: the L4 header follows the fixed header).
 * @return the value to store in the checksum field (UDP: never 0).
 */
uint16_t sl_ipv6_udptcp_cksum(const struct sl_ipv6_hdr *ip6, const void *l4_hdr);

/**
 * Verify the UDP or TCP checksum of an IPv6 packet in one buffer.  Over
 * IPv6 a zero UDP checksum is invalid (RFC 8200, section 8.1).
 * @return 0 if the checksum is correct, -1 if not.
 */
int sl_ipv6_udptcp_cksum_verify(const struct sl_ipv6_hdr *ip6, const void *l4_hdr);

#ifdef __cplusplus
}
#endif

#endif /* SL_IP_H */
