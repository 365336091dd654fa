/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Software RSS: the Toeplitz hash as Microsoft's RSS specification defines
 * it ("Verifying the RSS Hash Calculation"), and the choice of input fields
 * from a frame's headers (RFC 791 for the IPv4 fragment fields, RFC 8200
 * for the IPv6 header layout).  Headers are read byte by byte, so frames
 * need no alignment.
 */
#include <stddef.h>
#include <string.h>

#include "sl_ether.h"
#include "sl_ip.h"
#include "sl_rss.h"

#define ETH_HLEN 14
#define VLAN_HLEN 4
#define IPV6_HLEN 40
#define L4_PORTS_LEN 4

const uint8_t sl_rss_default_key[SL_RSS_KEY_LEN] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67,
	0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb,
	0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30,
	0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

uint32_t
sl_rss_toeplitz(const uint8_t *input, unsigned int len, const uint8_t *key, unsigned int key_len)
{
	uint32_t hash = 0, window;

	if (key_len < len + 4)
		return 0;
	/* window = key bits [i, i + 32) for input bit i; refilled one bit at a time. */
	window = (uint32_t)key[0] << 24 | (uint32_t)key[1] << 16 | (uint32_t)key[2] << 8 | key[3];
	for (unsigned int i = 0; i < len; i++) {
		uint8_t next = key[i + 4];

		for (int b = 7; b >= 0; b--) {
			/* Branch-free: all ones when the input bit is set. */
			hash ^= window & (0u - ((uint32_t)(input[i] >> b) & 1u));
			window = (window << 1) | ((uint32_t)(next >> b) & 1u);
		}
	}
	return hash;
}

static inline uint16_t
be16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

void
sl_rss_table_init(struct sl_rss_table *t, const uint8_t *key)
{
	/* Contribution of input bit k is the key window starting at bit k;
	 * a nibble's entry XORs those of its set bits. */
	for (unsigned int n = 0; n < SL_RSS_TUPLE_MAX * 2; n++) {
		for (unsigned int v = 0; v < 16; v++) {
			uint32_t h = 0;

			for (unsigned int b = 0; b < 4; b++) {
				unsigned int k = n * 4 + b; /* input bit, MSB first */
				uint32_t w = 0;

				if (!(v & (8u >> b)))
					continue;
				for (unsigned int j = 0; j < 32; j++)
					w = (w << 1) | ((key[(k + j) / 8] >> (7 - (k + j) % 8)) & 1u);
				h ^= w;
			}
			t->nib[n][v] = h;
		}
	}
}

unsigned int
sl_rss_frame_tuple(const void *frame, uint32_t len, uint64_t hf, uint8_t tuple[SL_RSS_TUPLE_MAX])
{
	const uint8_t *p = frame;
	uint32_t off = ETH_HLEN, l4 = 0, alen;
	uint16_t type;
	uint8_t proto;
	bool frag = false;
	uint64_t want_ip, want_tcp, want_udp;

	if (len < ETH_HLEN)
		return 0;
	type = be16_at(p + 12);
	if (type == SL_ETHER_TYPE_VLAN || type == SL_ETHER_TYPE_QINQ) {
		if (len < ETH_HLEN + VLAN_HLEN)
			return 0;
		type = be16_at(p + 16);
		off += VLAN_HLEN;
	}
	if (type == SL_ETHER_TYPE_IPV4) {
		uint32_t ihl;

		want_ip = SL_RSS_HF_IPV4;
		want_tcp = SL_RSS_HF_IPV4_TCP;
		want_udp = SL_RSS_HF_IPV4_UDP;
		if (len < off + 20 || (p[off] >> 4) != 4)
			return 0;
		ihl = (uint32_t)(p[off] & 0x0f) * 4;
		if (ihl < 20 || len < off + ihl)
			return 0;
		/* RFC 791: a fragment has MF set or a non-zero offset. */
		frag = (be16_at(p + off + 6) & (SL_IPV4_HDR_MF_FLAG | SL_IPV4_HDR_OFFSET_MASK)) != 0;
		proto = p[off + 9];
		alen = 4;
		memcpy(tuple, p + off + 12, 2 * alen); /* source, destination */
		l4 = off + ihl;
	} else if (type == SL_ETHER_TYPE_IPV6) {
		want_ip = SL_RSS_HF_IPV6;
		want_tcp = SL_RSS_HF_IPV6_TCP;
		want_udp = SL_RSS_HF_IPV6_UDP;
		if (len < off + IPV6_HLEN || (p[off] >> 4) != 6)
			return 0;
		/* RFC 8200: next header right after the fixed header; an
		 * extension header hides the ports, so hash addresses only. */
		proto = p[off + 6];
		alen = 16;
		memcpy(tuple, p + off + 8, 2 * alen);
		l4 = off + IPV6_HLEN;
	} else {
		return 0;
	}

	if (!frag && len >= l4 + L4_PORTS_LEN &&
	    ((proto == SL_IPPROTO_TCP && (hf & want_tcp)) ||
	     (proto == SL_IPPROTO_UDP && (hf & want_udp)))) {
		memcpy(tuple + 2 * alen, p + l4, L4_PORTS_LEN); /* source, destination port */
		return 2 * alen + L4_PORTS_LEN;
	}
	return (hf & want_ip) ? 2 * alen : 0;
}

bool
sl_rss_hash_frame(const void *frame, uint32_t len, uint64_t hf, const uint8_t *key,
		  uint32_t *hash)
{
	uint8_t tuple[SL_RSS_TUPLE_MAX];
	unsigned int n = sl_rss_frame_tuple(frame, len, hf, tuple);

	*hash = n ? sl_rss_toeplitz(tuple, n, key, SL_RSS_KEY_LEN) : 0;
	return n != 0;
}
