/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/net software RSS: the Toeplitz hash against the vectors published in
 * Microsoft's "Verifying the RSS Hash Calculation" (the key there is
 * sl_rss_default_key), then frame parsing: the same vectors wrapped in
 * Ethernet frames (plain, VLAN-tagged), hash-type selection, fragments,
 * truncated and foreign frames.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sl_test.h"

#include "sl_rss.h"

struct v4_vector {
	const char *dst, *src;
	uint16_t dport, sport;
	uint32_t hash_ip, hash_tcp;
};

struct v6_vector {
	const char *dst, *src;
	uint16_t dport, sport;
	uint32_t hash_ip, hash_tcp;
};

/* Microsoft RSS verification suite, IPv4 table. */
static const struct v4_vector v4[] = {
	{ "161.142.100.80", "66.9.149.187", 1766, 2794, 0x323e8fc2, 0x51ccc178 },
	{ "65.69.140.83", "199.92.111.2", 4739, 14230, 0xd718262a, 0xc626b0ea },
	{ "12.22.207.184", "24.19.198.95", 38024, 12898, 0xd2d0a5de, 0x5c2b394a },
	{ "209.142.163.6", "38.27.205.30", 2217, 48228, 0x82989176, 0xafc7327f },
	{ "202.188.127.2", "153.39.163.191", 1303, 44251, 0x5d1809c5, 0x10e828a2 },
};

/* Microsoft RSS verification suite, IPv6 table. */
static const struct v6_vector v6[] = {
	{ "3ffe:2501:200:3::1", "3ffe:2501:200:1fff::7", 1766, 2794, 0x2cc18cd5, 0x40207d3d },
	{ "ff02::1", "3ffe:501:8::260:97ff:fe40:efab", 4739, 14230, 0x0f0c461c, 0xdde51bbf },
	{ "fe80::200:f8ff:fe21:67cf", "3ffe:1900:4545:3:200:f8ff:fe21:67cf", 38024, 44251,
	  0x4b61e985, 0x02d1feef },
};

static void
test_toeplitz_ipv4_vectors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(v4) / sizeof(v4[0]); i++) {
		uint8_t in[12];
		uint16_t sp = htons(v4[i].sport), dp = htons(v4[i].dport);

		assert_int_equal(inet_pton(AF_INET, v4[i].src, in), 1);
		assert_int_equal(inet_pton(AF_INET, v4[i].dst, in + 4), 1);
		memcpy(in + 8, &sp, 2);
		memcpy(in + 10, &dp, 2);
		assert_int_equal(sl_rss_toeplitz(in, 8, sl_rss_default_key, SL_RSS_KEY_LEN),
				 v4[i].hash_ip);
		assert_int_equal(sl_rss_toeplitz(in, 12, sl_rss_default_key, SL_RSS_KEY_LEN),
				 v4[i].hash_tcp);
	}
}

static void
test_toeplitz_ipv6_vectors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(v6) / sizeof(v6[0]); i++) {
		uint8_t in[36];
		uint16_t sp = htons(v6[i].sport), dp = htons(v6[i].dport);

		assert_int_equal(inet_pton(AF_INET6, v6[i].src, in), 1);
		assert_int_equal(inet_pton(AF_INET6, v6[i].dst, in + 16), 1);
		memcpy(in + 32, &sp, 2);
		memcpy(in + 34, &dp, 2);
		assert_int_equal(sl_rss_toeplitz(in, 32, sl_rss_default_key, SL_RSS_KEY_LEN),
				 v6[i].hash_ip);
		assert_int_equal(sl_rss_toeplitz(in, 36, sl_rss_default_key, SL_RSS_KEY_LEN),
				 v6[i].hash_tcp);
	}
}

static void
test_toeplitz_short_key(void **state)
{
	uint8_t in[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };

	(void)state;
	/* 12 input bytes need 16 key bytes. */
	assert_int_equal(sl_rss_toeplitz(in, 12, sl_rss_default_key, 15), 0);
	assert_int_not_equal(sl_rss_toeplitz(in, 12, sl_rss_default_key, 16), 0);
}

/* Build an Ethernet (+ optional VLAN) IPv4 frame carrying vector i. */
static size_t
frame_v4(uint8_t *f, size_t i, uint8_t proto, int vlan, uint16_t frag_field)
{
	size_t off = 12;
	uint16_t sp = htons(v4[i].sport), dp = htons(v4[i].dport);

	memset(f, 0, 128);
	memset(f, 0xff, 6);
	if (vlan) {
		f[off++] = 0x81, f[off++] = 0x00, f[off++] = 0x00, f[off++] = 0x05;
	}
	f[off++] = 0x08, f[off++] = 0x00;
	f[off] = 0x45;
	f[off + 6] = (uint8_t)(frag_field >> 8);
	f[off + 7] = (uint8_t)frag_field;
	f[off + 8] = 64;
	f[off + 9] = proto;
	assert_int_equal(inet_pton(AF_INET, v4[i].src, f + off + 12), 1);
	assert_int_equal(inet_pton(AF_INET, v4[i].dst, f + off + 16), 1);
	memcpy(f + off + 20, &sp, 2);
	memcpy(f + off + 22, &dp, 2);
	return off + 20 + 8;
}

static void
test_frame_ipv4(void **state)
{
	uint8_t f[128];
	uint32_t h;
	size_t len;

	(void)state;
	for (size_t i = 0; i < sizeof(v4) / sizeof(v4[0]); i++) {
		for (int vlan = 0; vlan <= 1; vlan++) {
			len = frame_v4(f, i, 6, vlan, 0);
			/* TCP type enabled: 4-tuple. */
			assert_true(sl_rss_hash_frame(f, (uint32_t)len, SL_RSS_HF_ALL,
						      sl_rss_default_key, &h));
			assert_int_equal(h, v4[i].hash_tcp);
			/* Only addresses enabled: 2-tuple. */
			assert_true(sl_rss_hash_frame(f, (uint32_t)len, SL_RSS_HF_IPV4,
						      sl_rss_default_key, &h));
			assert_int_equal(h, v4[i].hash_ip);
			/* UDP enabled, packet is TCP, no IP type: not hashed. */
			assert_false(sl_rss_hash_frame(f, (uint32_t)len, SL_RSS_HF_IPV4_UDP,
						       sl_rss_default_key, &h));
			assert_int_equal(h, 0);
			/* The same tuple over UDP hashes alike (the ports are the input). */
			len = frame_v4(f, i, 17, vlan, 0);
			assert_true(sl_rss_hash_frame(f, (uint32_t)len, SL_RSS_HF_IPV4_UDP,
						      sl_rss_default_key, &h));
			assert_int_equal(h, v4[i].hash_tcp);
			/* A fragment (MF set, or offset) hashes on addresses only. */
			len = frame_v4(f, i, 17, vlan, 0x2000);
			assert_true(sl_rss_hash_frame(f, (uint32_t)len, SL_RSS_HF_ALL,
						      sl_rss_default_key, &h));
			assert_int_equal(h, v4[i].hash_ip);
			len = frame_v4(f, i, 17, vlan, 0x0010);
			assert_false(sl_rss_hash_frame(f, (uint32_t)len, SL_RSS_HF_IPV4_UDP,
						       sl_rss_default_key, &h));
			/* IPv6 types do not apply to IPv4. */
			assert_false(sl_rss_hash_frame(f, (uint32_t)len, SL_RSS_HF_IPV6 |
						       SL_RSS_HF_IPV6_UDP, sl_rss_default_key, &h));
		}
	}
}

static void
test_frame_ipv6(void **state)
{
	uint8_t f[128];
	uint32_t h;

	(void)state;
	for (size_t i = 0; i < sizeof(v6) / sizeof(v6[0]); i++) {
		uint16_t sp = htons(v6[i].sport), dp = htons(v6[i].dport);

		memset(f, 0, sizeof(f));
		f[12] = 0x86, f[13] = 0xdd;
		f[14] = 0x60;
		f[14 + 6] = 6; /* TCP */
		assert_int_equal(inet_pton(AF_INET6, v6[i].src, f + 14 + 8), 1);
		assert_int_equal(inet_pton(AF_INET6, v6[i].dst, f + 14 + 24), 1);
		memcpy(f + 54, &sp, 2);
		memcpy(f + 56, &dp, 2);
		assert_true(sl_rss_hash_frame(f, 74, SL_RSS_HF_ALL, sl_rss_default_key, &h));
		assert_int_equal(h, v6[i].hash_tcp);
		assert_true(sl_rss_hash_frame(f, 74, SL_RSS_HF_IPV6, sl_rss_default_key, &h));
		assert_int_equal(h, v6[i].hash_ip);
		/* Ports cut off: addresses only. */
		assert_true(sl_rss_hash_frame(f, 55, SL_RSS_HF_ALL, sl_rss_default_key, &h));
		assert_int_equal(h, v6[i].hash_ip);
		/* An extension header (hop-by-hop) hides the ports. */
		f[14 + 6] = 0;
		assert_true(sl_rss_hash_frame(f, 74, SL_RSS_HF_ALL, sl_rss_default_key, &h));
		assert_int_equal(h, v6[i].hash_ip);
	}
}

static void
test_frame_not_hashed(void **state)
{
	uint8_t f[128];
	uint32_t h = 1;
	size_t len;

	(void)state;
	len = frame_v4(f, 0, 6, 0, 0);
	/* Truncated anywhere inside the IPv4 header: refused, never read past len. */
	for (uint32_t l = 0; l < 34; l++) {
		assert_false(sl_rss_hash_frame(f, l, SL_RSS_HF_ALL, sl_rss_default_key, &h));
		assert_int_equal(h, 0);
	}
	/* Ports cut off: falls back to the addresses. */
	assert_true(sl_rss_hash_frame(f, 36, SL_RSS_HF_ALL, sl_rss_default_key, &h));
	assert_int_equal(h, v4[0].hash_ip);
	/* Bad version, bad IHL, ARP. */
	f[14] = 0x55;
	assert_false(sl_rss_hash_frame(f, (uint32_t)len, SL_RSS_HF_ALL, sl_rss_default_key, &h));
	f[14] = 0x44;
	assert_false(sl_rss_hash_frame(f, (uint32_t)len, SL_RSS_HF_ALL, sl_rss_default_key, &h));
	f[14] = 0x45;
	f[12] = 0x08, f[13] = 0x06;
	assert_false(sl_rss_hash_frame(f, (uint32_t)len, SL_RSS_HF_ALL, sl_rss_default_key, &h));
	/* No type enabled. */
	len = frame_v4(f, 0, 6, 0, 0);
	assert_false(sl_rss_hash_frame(f, (uint32_t)len, 0, sl_rss_default_key, &h));
}

/* The expanded-key hash equals the bit-by-bit one: vectors, then random keys and inputs. */
static void
test_table_matches(void **state)
{
	static struct sl_rss_table t;
	uint8_t key[SL_RSS_KEY_LEN], in[SL_RSS_TUPLE_MAX];
	uint32_t x = 12345;

	(void)state;
	sl_rss_table_init(&t, sl_rss_default_key);
	for (size_t i = 0; i < sizeof(v4) / sizeof(v4[0]); i++) {
		uint8_t f[128], tuple[SL_RSS_TUPLE_MAX];
		size_t len = frame_v4(f, i, 6, 0, 0);

		assert_int_equal(sl_rss_frame_tuple(f, (uint32_t)len, SL_RSS_HF_ALL, tuple), 12);
		assert_int_equal(sl_rss_toeplitz_table(&t, tuple, 12), v4[i].hash_tcp);
		assert_int_equal(sl_rss_toeplitz_table(&t, tuple, 8), v4[i].hash_ip);
	}
	for (int round = 0; round < 200; round++) {
		for (unsigned int i = 0; i < SL_RSS_KEY_LEN; i++) {
			x = x * 1103515245u + 12345u;
			key[i] = (uint8_t)(x >> 16);
		}
		for (unsigned int i = 0; i < SL_RSS_TUPLE_MAX; i++) {
			x = x * 1103515245u + 12345u;
			in[i] = (uint8_t)(x >> 16);
		}
		sl_rss_table_init(&t, key);
		for (unsigned int len = 0; len <= SL_RSS_TUPLE_MAX; len++)
			assert_int_equal(sl_rss_toeplitz_table(&t, in, len),
					 sl_rss_toeplitz(in, len, key, SL_RSS_KEY_LEN));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_toeplitz_ipv4_vectors),
		cmocka_unit_test(test_toeplitz_ipv6_vectors),
		cmocka_unit_test(test_toeplitz_short_key),
		cmocka_unit_test(test_frame_ipv4),
		cmocka_unit_test(test_frame_ipv6),
		cmocka_unit_test(test_frame_not_hashed),
		cmocka_unit_test(test_table_matches),
	};

	return sl_test_exit(cmocka_run_group_tests_name("rss", tests, NULL, NULL));
}
