/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/net checksums, checked two ways: against packets whose correct
 * checksum is known from outside this code (a textbook IPv4 header, and
 * packets whose checksum a verifier must accept), and against a
 * deliberately naive reference that sums big-endian words byte by byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sl_test.h"

#include "sl_arp.h"
#include "sl_icmp.h"
#include "sl_ip.h"
#include "sl_mbuf.h"
#include "sl_tcp.h"
#include "sl_udp.h"

/* RFC 1071 by the book: big-endian 16-bit words, pad odd byte, fold, invert.
 * Returns the checksum in host order. */
static uint16_t
ref_cksum_be(const uint8_t *const *bufs, const size_t *lens, int n)
{
	uint64_t sum = 0;
	uint8_t pend = 0;
	int have_pend = 0;

	for (int b = 0; b < n; b++) {
		for (size_t i = 0; i < lens[b]; i++) {
			if (have_pend) {
				sum += ((uint32_t)pend << 8) | bufs[b][i];
				have_pend = 0;
			} else {
				pend = bufs[b][i];
				have_pend = 1;
			}
		}
	}
	if (have_pend)
		sum += (uint32_t)pend << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint16_t
ref1(const void *p, size_t len)
{
	const uint8_t *b = p;

	return ref_cksum_be(&b, &len, 1);
}

/* L4 checksum by the book: pseudo header bytes, then the L4 bytes with the
 * checksum field zeroed; UDP turns 0 into 0xffff. */
static uint16_t
ref_l4(const uint8_t *ph, size_t ph_len, const uint8_t *l4, size_t l4_len, size_t cks_off,
       uint8_t proto)
{
	uint8_t *copy = malloc(l4_len);
	const uint8_t *bufs[2] = { ph, copy };
	size_t lens[2] = { ph_len, l4_len };
	uint16_t r;

	memcpy(copy, l4, l4_len);
	copy[cks_off] = copy[cks_off + 1] = 0;
	r = ref_cksum_be(bufs, lens, 2);
	free(copy);
	if (r == 0 && proto == SL_IPPROTO_UDP)
		r = 0xffff;
	return r;
}

static uint16_t
ref_l4_v4(const struct sl_ipv4_hdr *ip, const uint8_t *l4, size_t l4_len, size_t cks_off)
{
	uint8_t ph[12] = { 0 };

	memcpy(ph, &ip->src_addr, 4);
	memcpy(ph + 4, &ip->dst_addr, 4);
	ph[9] = ip->next_proto_id;
	ph[10] = (uint8_t)(l4_len >> 8);
	ph[11] = (uint8_t)l4_len;
	return ref_l4(ph, sizeof(ph), l4, l4_len, cks_off, ip->next_proto_id);
}

static uint16_t
ref_l4_v6(const struct sl_ipv6_hdr *ip6, const uint8_t *l4, size_t l4_len, size_t cks_off)
{
	uint8_t ph[40] = { 0 };

	memcpy(ph, ip6->src_addr, 16);
	memcpy(ph + 16, ip6->dst_addr, 16);
	ph[34] = (uint8_t)(l4_len >> 8);
	ph[35] = (uint8_t)l4_len;
	ph[39] = ip6->proto;
	return ref_l4(ph, sizeof(ph), l4, l4_len, cks_off, ip6->proto);
}

/* Deterministic pseudo-random bytes (xorshift), so failures reproduce. */
static void
fill(uint8_t *p, size_t n, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 1;

	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (uint8_t)x;
	}
}

static void
test_layouts(void **state)
{
	(void)state;
	assert_int_equal(offsetof(struct sl_ipv4_hdr, hdr_checksum), 10);
	assert_int_equal(offsetof(struct sl_ipv4_hdr, dst_addr), 16);
	assert_int_equal(offsetof(struct sl_ipv6_hdr, dst_addr), 24);
	assert_int_equal(offsetof(struct sl_udp_hdr, dgram_cksum), 6);
	assert_int_equal(offsetof(struct sl_tcp_hdr, cksum), 16);
	assert_int_equal(offsetof(struct sl_icmp_hdr, icmp_cksum), 2);
	assert_int_equal(offsetof(struct sl_arp_hdr, arp_tip), 24);
}

/* The textbook header (192.168.0.1 -> 192.168.0.199, UDP, 115 bytes) whose
 * checksum is 0xb861 in every description of RFC 791's algorithm. */
static const uint8_t known_ipv4[20] = {
	0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
	0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
};

static void
test_ipv4_known(void **state)
{
	struct sl_ipv4_hdr ip;

	(void)state;
	memcpy(&ip, known_ipv4, sizeof(ip));
	/* The stored checksum is ignored, whatever it holds. */
	assert_int_equal(ntohs(sl_ipv4_cksum(&ip)), 0xb861);
	ip.hdr_checksum = 0;
	assert_int_equal(ntohs(sl_ipv4_cksum(&ip)), 0xb861);
	ip.hdr_checksum = 0x1234;
	assert_int_equal(ntohs(sl_ipv4_cksum(&ip)), 0xb861);
	/* A correct header sums to 0xffff (i.e. raw cksum of it is all ones). */
	assert_int_equal(sl_raw_cksum(known_ipv4, sizeof(known_ipv4)), 0xffff);
	assert_int_equal(sl_ipv4_hdr_len(&ip), 20);
	assert_int_equal(ntohl(ip.src_addr), 0xc0a80001);
	assert_int_equal(ip.dst_addr, SL_IPV4(192, 168, 0, 199));
	assert_false(sl_ipv4_frag_pkt_is_fragmented(&ip)); /* DF only */
}

static void
test_ipv4_vs_reference(void **state)
{
	uint8_t buf[60];

	(void)state;
	for (uint32_t seed = 1; seed < 500; seed++) {
		struct sl_ipv4_hdr *ip = (struct sl_ipv4_hdr *)buf;
		unsigned ihl = 5 + seed % 11; /* with and without options */
		uint16_t c;

		fill(buf, sizeof(buf), seed);
		ip->version_ihl = (uint8_t)(0x40 | ihl);
		c = sl_ipv4_cksum(ip);
		ip->hdr_checksum = 0;
		assert_int_equal(ntohs(c), ref1(buf, ihl * 4));
		ip->hdr_checksum = c;
		assert_int_equal(sl_raw_cksum(buf, ihl * 4), 0xffff);
	}
}

static void
test_raw_odd_lengths(void **state)
{
	uint8_t buf[301];

	(void)state;
	fill(buf, sizeof(buf), 7);
	for (size_t len = 0; len <= sizeof(buf); len++) {
		/* ref gives ~sum, raw gives the folded sum itself. */
		uint16_t raw = ntohs(sl_raw_cksum(buf, len));
		uint16_t ref = (uint16_t)~ref1(buf, len);

		if (len == 0)
			assert_int_equal(raw, 0);
		else
			assert_int_equal(raw, ref);
		/* Unaligned start must not change anything. */
		if (len > 1)
			assert_int_equal(ntohs(sl_raw_cksum(buf + 1, len - 1)),
					 (uint16_t)~ref1(buf + 1, len - 1));
	}
}

/* Builds Ether-less IPv4 + L4 in buf; returns the L4 pointer. */
static uint8_t *
build_v4(uint8_t *buf, uint8_t proto, size_t l4_len, uint32_t seed)
{
	struct sl_ipv4_hdr *ip = (struct sl_ipv4_hdr *)buf;

	fill(buf, 20 + l4_len, seed);
	ip->version_ihl = SL_IPV4_VHL_DEF;
	ip->total_length = htons((uint16_t)(20 + l4_len));
	ip->next_proto_id = proto;
	ip->hdr_checksum = sl_ipv4_cksum(ip);
	return buf + 20;
}

static void
test_udptcp_v4_vs_reference(void **state)
{
	uint8_t buf[20 + 1500];

	(void)state;
	for (size_t l4_len = 20; l4_len <= 1480; l4_len += 37) {
		for (int t = 0; t < 2; t++) {
			uint8_t proto = t ? SL_IPPROTO_TCP : SL_IPPROTO_UDP;
			size_t off = t ? offsetof(struct sl_tcp_hdr, cksum)
				       : offsetof(struct sl_udp_hdr, dgram_cksum);
			uint8_t *l4 = build_v4(buf, proto, l4_len, (uint32_t)l4_len);
			const struct sl_ipv4_hdr *ip = (const void *)buf;
			uint16_t c = sl_ipv4_udptcp_cksum(ip, l4);

			assert_int_equal(ntohs(c), ref_l4_v4(ip, l4, l4_len, off));
			memcpy(l4 + off, &c, 2);
			assert_int_equal(sl_ipv4_udptcp_cksum_verify(ip, l4), 0);
			l4[l4_len - 1] ^= 0x40; /* one flipped bit anywhere is caught */
			assert_int_equal(sl_ipv4_udptcp_cksum_verify(ip, l4), -1);
			l4[l4_len - 1] ^= 0x40;
			/* The function ignores the current field value. */
			assert_int_equal(sl_ipv4_udptcp_cksum(ip, l4), c);
		}
	}
}

/* A complete UDP/IPv4 datagram built by hand: 10.0.0.1:1024 -> 10.0.0.2:53,
 * payload "abc".  Its checksums were worked out independently of this code
 * (by summing the words listed below in a Python shell). */
static void
test_udp_known(void **state)
{
	uint8_t pkt[31] = {
		0x45, 0x00, 0x00, 0x1f, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00,
		0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
		0x04, 0x00, 0x00, 0x35, 0x00, 0x0b, 0x00, 0x00, 'a', 'b', 'c',
	};
	const struct sl_ipv4_hdr *ip = (const void *)pkt;

	(void)state;
	/*
	 * words: 0a00 0001 0a00 0002 0011 000b | 0400 0035 000b 0000 6162 6300
	 * sum = 0x0a00+0x0001+0x0a00+0x0002+0x0011+0x000b+0x0400+0x0035+0x000b
	 *       +0x6162+0x6300 = 0xdcc1, complement = 0x233e.
	 */
	assert_int_equal(ntohs(sl_ipv4_udptcp_cksum(ip, pkt + 20)), 0x233e);
	pkt[26] = 0x23;
	pkt[27] = 0x3e;
	assert_int_equal(sl_ipv4_udptcp_cksum_verify(ip, pkt + 20), 0);
	pkt[27] = 0x3f;
	assert_int_equal(sl_ipv4_udptcp_cksum_verify(ip, pkt + 20), -1);
	/* Zero means "no checksum" for UDP over IPv4 and is accepted. */
	pkt[26] = pkt[27] = 0;
	assert_int_equal(sl_ipv4_udptcp_cksum_verify(ip, pkt + 20), 0);
	/* IPv4 header checksum worked out the same way: 0x66cb. */
	assert_int_equal(ntohs(sl_ipv4_cksum(ip)), 0x66cb);
}

static void
test_udp_zero_becomes_ffff(void **state)
{
	uint8_t buf[20 + 10];
	struct sl_ipv4_hdr *ip = (struct sl_ipv4_hdr *)buf;
	uint8_t *l4 = build_v4(buf, SL_IPPROTO_UDP, 10, 3);
	uint16_t c = sl_ipv4_udptcp_cksum(ip, l4);
	uint32_t s, w;

	(void)state;
	/* The folded sum is ~c.  Adding (0xffff - sum) to a payload word, in
	 * ones' complement, makes the sum exactly 0xffff: the complemented
	 * checksum is then 0, which UDP must send as 0xffff. */
	s = (uint16_t)~ntohs(c);
	w = ((uint32_t)l4[8] << 8) | l4[9];
	w += 0xffffu - s;
	w = (w & 0xffff) + (w >> 16);
	l4[8] = (uint8_t)(w >> 8);
	l4[9] = (uint8_t)w;
	assert_int_equal(ref_l4_v4(ip, l4, 10, 6), 0xffff);
	assert_int_equal(ntohs(sl_ipv4_udptcp_cksum(ip, l4)), 0xffff);
}

static void
test_udptcp_v6_vs_reference(void **state)
{
	uint8_t buf[40 + 1400];

	(void)state;
	for (size_t l4_len = 8; l4_len <= 1400; l4_len += 53) {
		for (int t = 0; t < 2; t++) {
			struct sl_ipv6_hdr *ip6 = (struct sl_ipv6_hdr *)buf;
			uint8_t *l4 = buf + 40;
			size_t off = t ? 16 : 6;
			uint16_t c;

			if (t && l4_len < 20)
				continue;
			fill(buf, sizeof(buf), (uint32_t)(l4_len * 3 + (size_t)t));
			ip6->vtc_flow = htonl(6u << 28);
			ip6->payload_len = htons((uint16_t)l4_len);
			ip6->proto = t ? SL_IPPROTO_TCP : SL_IPPROTO_UDP;
			c = sl_ipv6_udptcp_cksum(ip6, l4);
			assert_int_equal(ntohs(c), ref_l4_v6(ip6, l4, l4_len, off));
			memcpy(l4 + off, &c, 2);
			assert_int_equal(sl_ipv6_udptcp_cksum_verify(ip6, l4), 0);
			l4[0] ^= 1;
			assert_int_equal(sl_ipv6_udptcp_cksum_verify(ip6, l4), -1);
			l4[0] ^= 1;
			if (!t) {
				l4[6] = l4[7] = 0; /* zero UDP checksum is invalid on v6 */
				assert_int_equal(sl_ipv6_udptcp_cksum_verify(ip6, l4), -1);
			}
		}
	}
}

static void
test_icmp(void **state)
{
	/* Echo request id 0x1234 seq 1 with 5 data bytes; worked out apart:
	 * 0800+0000+1234+0001+6869+6a6b+6c00 folds to 0x590a, ~ = 0xa6f5 */
	uint8_t msg[13] = { 8, 0, 0xaa, 0xbb, 0x12, 0x34, 0x00, 0x01, 'h', 'i', 'j', 'k', 'l' };
	struct sl_icmp_hdr *h = (struct sl_icmp_hdr *)msg;

	(void)state;
	assert_int_equal(ntohs(sl_icmp_cksum(h, sizeof(msg))), 0xa6f5);
	h->icmp_cksum = 0;
	assert_int_equal(ntohs(sl_icmp_cksum(h, sizeof(msg))), ref1(msg, sizeof(msg)));
	h->icmp_cksum = sl_icmp_cksum(h, sizeof(msg));
	assert_int_equal(sl_raw_cksum(msg, sizeof(msg)), 0xffff);
}

/* Chains fake mbufs over slices of one buffer; no pool is needed to read. */
static void
test_mbuf_chain(void **state)
{
	enum { LEN = 1000 };
	static uint8_t data[LEN + 64];
	struct sl_mbuf segs[5];
	const size_t cuts[5] = { 41, 1, 300, 77, LEN - 41 - 1 - 300 - 77 };
	size_t pos = 0;

	(void)state;
	memset(segs, 0, sizeof(segs));
	build_v4(data, SL_IPPROTO_UDP, LEN - 20, 99);
	for (int i = 0; i < 5; i++) {
		segs[i].buf_addr = data + pos;
		segs[i].data_off = 0;
		segs[i].data_len = (uint16_t)cuts[i];
		segs[i].buf_len = (uint16_t)cuts[i];
		segs[i].next = i < 4 ? &segs[i + 1] : NULL;
		segs[i].nb_segs = 1;
		pos += cuts[i];
	}
	segs[0].pkt_len = LEN;
	segs[0].nb_segs = 5;

	for (uint32_t off = 0; off < LEN; off += 13) {
		for (uint32_t len = 0; off + len <= LEN; len += 29) {
			uint16_t got;

			assert_int_equal(sl_raw_cksum_mbuf(&segs[0], off, len, &got), 0);
			assert_int_equal(got, sl_raw_cksum(data + off, len));
		}
	}
	{
		uint16_t got;

		assert_int_equal(sl_raw_cksum_mbuf(&segs[0], 1, LEN, &got), -EINVAL);
	}
	/* Whole-packet UDP checksum across the odd-sized segments. */
	{
		const struct sl_ipv4_hdr *ip = (const void *)data;

		assert_int_equal(sl_ipv4_udptcp_cksum_mbuf(&segs[0], ip, 20),
				 sl_ipv4_udptcp_cksum(ip, data + 20));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layouts),
		cmocka_unit_test(test_ipv4_known),
		cmocka_unit_test(test_ipv4_vs_reference),
		cmocka_unit_test(test_raw_odd_lengths),
		cmocka_unit_test(test_udptcp_v4_vs_reference),
		cmocka_unit_test(test_udp_known),
		cmocka_unit_test(test_udp_zero_becomes_ffff),
		cmocka_unit_test(test_udptcp_v6_vs_reference),
		cmocka_unit_test(test_icmp),
		cmocka_unit_test(test_mbuf_chain),
	};

	return sl_test_exit(cmocka_run_group_tests_name("net", tests, NULL, NULL));
}
