/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ethdev's RSS, RETA and queue start/stop API, on net_ring's software RSS:
 * argument errors (each refusal changes nothing), RETA update/query round
 * trips, key set/get, and the spreading itself: a range of UDP flows sent
 * from A arrives on B's queues, every packet exactly once and intact, every
 * queue gets some, a flow always lands on one queue, and that queue is the
 * one the RETA names for the Toeplitz hash computed here independently.
 * Also: two lcores sending at once into one RX ring (multi-producer), a
 * full RX queue dropping into imissed without leaking mbufs, and -ENOTSUP
 * from net_null, which has neither RSS nor queue start/stop.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sl_test.h"

#include "sl_bus_vdev.h"
#include "sl_eal.h"
#include "sl_eth_ring.h"
#include "sl_ethdev.h"
#include "sl_lcore.h"
#include "sl_mbuf.h"
#include "sl_mempool.h"
#include "sl_rss.h"
#include "test_eth_helpers.h"

#define NQ 4
#define NB_FLOWS 200
#define PKTS_PER_FLOW 5
#define RETA_GROUPS(n) ((n) / SL_ETH_RETA_GROUP_SIZE)

static struct sl_mempool *pool;

static int
group_setup(void **state)
{
	(void)state;
	th_lcores = "0,1"; /* the concurrent-sender test uses a worker lcore */
	if (th_eal_start("test_ring_rss", "net_ring_ra,queues=4,size=4096,peer=net_ring_rb",
			 "net_ring_rb,queues=4,size=4096") < 0)
		return -1;
	pool = sl_mbuf_pool_create("ringrss_pool", 8191, 32, 0, SL_MBUF_DEFAULT_BUF_SIZE, 0);
	return pool == NULL ? -1 : 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	assert_int_equal(sl_mempool_free(pool), 0);
	assert_int_equal(sl_eal_cleanup(), 0);
	return 0;
}

/* Configure @p p with @p nq queues, RSS on @p hf (mq_mode RSS unless hf is ~0), and start. */
static void
port_up_rss(uint16_t p, uint16_t nq, uint64_t hf, int rss)
{
	struct sl_eth_conf conf;

	memset(&conf, 0, sizeof(conf));
	if (rss) {
		conf.rxmode.mq_mode = SL_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = hf;
	}
	assert_int_equal(sl_eth_dev_configure(p, nq, nq, &conf), 0);
	for (uint16_t q = 0; q < nq; q++) {
		assert_int_equal(sl_eth_rx_queue_setup(p, q, 64, SL_SOCKET_ID_ANY, NULL, pool), 0);
		assert_int_equal(sl_eth_tx_queue_setup(p, q, 64, SL_SOCKET_ID_ANY, NULL), 0);
	}
	assert_int_equal(sl_eth_dev_start(p), 0);
}

/* UDP/IPv4 frame of flow @p flow carrying @p seq; 10.0.x.y:1000+flow -> 10.1.0.1:2000. */
static void
build(struct sl_mbuf *m, uint32_t flow, uint32_t seq)
{
	uint8_t *dst = (uint8_t *)sl_mbuf_append(m, 64), f[64];
	uint16_t sport = htons((uint16_t)(1000 + flow)), dport = htons(2000);

	assert_non_null(dst);
	memset(f, 0, 64);
	memset(f, 0xff, 6);
	f[12] = 0x08;
	f[14] = 0x45;
	f[16] = 0, f[17] = 50;
	f[22] = 64;
	f[23] = 17;
	f[26] = 10, f[27] = 0, f[28] = (uint8_t)(flow >> 8), f[29] = (uint8_t)flow;
	f[30] = 10, f[31] = 1, f[32] = 0, f[33] = 1;
	memcpy(f + 34, &sport, 2);
	memcpy(f + 36, &dport, 2);
	memcpy(f + 42, &flow, 4);
	memcpy(f + 46, &seq, 4);
	for (int i = 50; i < 64; i++)
		f[i] = (uint8_t)(seq + (uint32_t)i);
	if (dst != NULL)
		memcpy(dst, f, sizeof(f));
}

static void
parse(const struct sl_mbuf *m, uint32_t *flow, uint32_t *seq)
{
	const uint8_t *f = sl_mbuf_mtod(m, const uint8_t *);

	assert_int_equal(m->pkt_len, 64);
	memcpy(flow, f + 42, 4);
	memcpy(seq, f + 46, 4);
	for (int i = 50; i < 64; i++)
		assert_int_equal(f[i], (uint8_t)(*seq + (uint32_t)i));
}

/* The hash of flow @p flow, computed from its tuple alone (not from a frame). */
static uint32_t
flow_hash(uint32_t flow, const uint8_t *key, int with_ports)
{
	uint8_t t[12] = { 10, 0, (uint8_t)(flow >> 8), (uint8_t)flow, 10, 1, 0, 1 };
	uint16_t sport = htons((uint16_t)(1000 + flow)), dport = htons(2000);

	memcpy(t + 8, &sport, 2);
	memcpy(t + 10, &dport, 2);
	return sl_rss_toeplitz(t, with_ports ? 12 : 8, key, SL_RSS_KEY_LEN);
}

static void
reta_read(uint16_t p, uint16_t size, uint16_t *out)
{
	struct sl_eth_rss_reta_entry64 g[SL_ETH_RSS_RETA_SIZE_MAX / SL_ETH_RETA_GROUP_SIZE];

	memset(g, 0, sizeof(g));
	for (unsigned int i = 0; i < RETA_GROUPS(size); i++)
		g[i].mask = ~0ULL;
	assert_int_equal(sl_eth_dev_rss_reta_query(p, g, size), 0);
	for (unsigned int i = 0; i < size; i++)
		out[i] = g[i / 64].reta[i % 64];
}

static void
test_api_errors_and_round_trips(void **state)
{
	struct sl_eth_rss_reta_entry64 g[8];
	struct sl_eth_dev_info info;
	struct sl_eth_rss_conf rc;
	uint16_t a = port_named("net_ring_ra"), nul, reta[128], reta2[128];
	uint8_t key[SL_RSS_KEY_LEN], got[SL_RSS_KEY_LEN];

	(void)state;
	assert_int_equal(sl_eth_dev_info_get(a, &info), 0);
	assert_int_equal(info.reta_size, 128);
	assert_int_equal(info.hash_key_size, SL_RSS_KEY_LEN);
	assert_true((info.flow_type_rss_offloads & SL_ETH_RSS_IP) == SL_ETH_RSS_IP);
	assert_true((info.flow_type_rss_offloads & SL_ETH_RSS_UDP) == SL_ETH_RSS_UDP);

	/* Not configured, then configured without RSS. */
	memset(&rc, 0, sizeof(rc));
	assert_int_equal(sl_eth_dev_rss_hash_update(a, &rc), -EINVAL);
	assert_int_equal(sl_eth_dev_rss_reta_query(a, g, 128), -EINVAL);
	port_up_rss(a, NQ, 0, 0);
	assert_int_equal(sl_eth_dev_rss_hash_update(a, &rc), -EINVAL);
	memset(g, 0, sizeof(g));
	assert_int_equal(sl_eth_dev_rss_reta_update(a, g, 128), -EINVAL);
	assert_int_equal(sl_eth_dev_stop(a), 0);

	port_up_rss(a, NQ, SL_ETH_RSS_IP, 1);
	/* Default RETA: round-robin over the 4 queues. */
	reta_read(a, 128, reta);
	for (unsigned int i = 0; i < 128; i++)
		assert_int_equal(reta[i], i % NQ);
	/* Default key: Microsoft's verification key. */
	assert_int_equal(sl_eth_dev_rss_hash_conf_get(a, &rc, got, sizeof(got)), 0);
	assert_int_equal(rc.rss_hf, SL_ETH_RSS_IP);
	assert_int_equal(rc.rss_key_len, SL_RSS_KEY_LEN);
	assert_memory_equal(got, sl_rss_default_key, SL_RSS_KEY_LEN);

	/* RETA round trip with a partial mask: only masked entries change. */
	memset(g, 0, sizeof(g));
	for (unsigned int i = 0; i < 128; i += 3) {
		g[i / 64].mask |= 1ULL << (i % 64);
		g[i / 64].reta[i % 64] = (uint16_t)((i / 3) % NQ);
	}
	assert_int_equal(sl_eth_dev_rss_reta_update(a, g, 128), 0);
	reta_read(a, 128, reta2);
	for (unsigned int i = 0; i < 128; i++)
		assert_int_equal(reta2[i], i % 3 == 0 ? (i / 3) % NQ : i % NQ);

	/* Refusals change nothing. */
	assert_int_equal(sl_eth_dev_rss_reta_update(a, NULL, 128), -EINVAL);
	assert_int_equal(sl_eth_dev_rss_reta_update(a, g, 64), -EINVAL);
	assert_int_equal(sl_eth_dev_rss_reta_update(a, g, 256), -EINVAL);
	g[1].mask |= 1ULL << 5;
	g[1].reta[5] = NQ; /* entry 69 names queue 4 of 0..3 */
	assert_int_equal(sl_eth_dev_rss_reta_update(a, g, 128), -EINVAL);
	reta_read(a, 128, reta);
	assert_memory_equal(reta, reta2, sizeof(reta));
	assert_int_equal(sl_eth_dev_rss_reta_query(a, g, 100), -EINVAL);

	/* Key set/get round trip; bad key length, unknown hash type, small buffer. */
	for (unsigned int i = 0; i < SL_RSS_KEY_LEN; i++)
		key[i] = (uint8_t)(i * 7 + 1);
	rc = (struct sl_eth_rss_conf){ .rss_key = key, .rss_key_len = 16, .rss_hf = SL_ETH_RSS_IP };
	assert_int_equal(sl_eth_dev_rss_hash_update(a, &rc), -EINVAL);
	rc.rss_key_len = SL_RSS_KEY_LEN;
	rc.rss_hf = 1ULL << 40;
	assert_int_equal(sl_eth_dev_rss_hash_update(a, &rc), -EINVAL);
	assert_int_equal(sl_eth_dev_rss_hash_update(a, NULL), -EINVAL);
	assert_int_equal(sl_eth_dev_rss_hash_conf_get(a, &rc, got, 39), -EINVAL);
	assert_int_equal(sl_eth_dev_rss_hash_conf_get(a, NULL, got, 40), -EINVAL);
	assert_int_equal(sl_eth_dev_rss_hash_conf_get(a, &rc, got, sizeof(got)), 0);
	assert_memory_equal(got, sl_rss_default_key, SL_RSS_KEY_LEN); /* unchanged */
	rc = (struct sl_eth_rss_conf){ .rss_key = key, .rss_key_len = SL_RSS_KEY_LEN,
				       .rss_hf = SL_ETH_RSS_IPV4 | SL_ETH_RSS_NONFRAG_IPV4_UDP };
	assert_int_equal(sl_eth_dev_rss_hash_update(a, &rc), 0);
	memset(&rc, 0, sizeof(rc));
	assert_int_equal(sl_eth_dev_rss_hash_conf_get(a, &rc, got, sizeof(got)), 0);
	assert_memory_equal(got, key, SL_RSS_KEY_LEN);
	assert_int_equal(rc.rss_hf, SL_ETH_RSS_IPV4 | SL_ETH_RSS_NONFRAG_IPV4_UDP);
	assert_ptr_equal(rc.rss_key, got);
	/* Key NULL keeps the key. */
	rc = (struct sl_eth_rss_conf){ .rss_hf = SL_ETH_RSS_IP };
	assert_int_equal(sl_eth_dev_rss_hash_update(a, &rc), 0);
	assert_int_equal(sl_eth_dev_rss_hash_conf_get(a, &rc, got, sizeof(got)), 0);
	assert_memory_equal(got, key, SL_RSS_KEY_LEN);

	/* Queue start/stop argument errors. */
	assert_int_equal(sl_eth_dev_rx_queue_stop(a, NQ), -EINVAL);
	assert_int_equal(sl_eth_dev_tx_queue_start(a, 100), -EINVAL);
	assert_int_equal(sl_eth_dev_rx_queue_stop(SL_MAX_ETHPORTS, 0), -ENODEV);
	assert_int_equal(sl_eth_dev_stop(a), 0);
	assert_int_equal(sl_eth_dev_rx_queue_stop(a, 0), -EINVAL); /* port stopped */

	/* net_null: no RSS, no queue start/stop. */
	assert_int_equal(sl_vdev_init("net_null_rss", NULL), 0);
	nul = port_named("net_null_rss");
	port_up_rss(nul, 1, 0, 0);
	assert_int_equal(sl_eth_dev_rss_reta_query(nul, g, 128), -ENOTSUP);
	assert_int_equal(sl_eth_dev_rss_hash_conf_get(nul, &rc, NULL, 0), -ENOTSUP);
	assert_int_equal(sl_eth_dev_rx_queue_stop(nul, 0), -ENOTSUP);
	assert_int_equal(sl_eth_dev_rx_queue_stop(nul, 1), -EINVAL);
	assert_int_equal(sl_vdev_uninit("net_null_rss"), 0);
}

/* Send every flow's packets from A (spread over A's TX queues), then read B. */
static void
send_flows(uint16_t a, uint32_t first_seq)
{
	struct sl_mbuf *m;
	uint32_t seq = first_seq;

	for (uint32_t k = 0; k < PKTS_PER_FLOW; k++) {
		for (uint32_t f = 0; f < NB_FLOWS; f++) {
			m = sl_mbuf_alloc(pool);
			assert_non_null(m);
			build(m, f, seq++);
			assert_int_equal(sl_eth_tx_burst(a, (uint16_t)(f % NQ), &m, 1), 1);
		}
	}
}

struct rx_result {
	int flow_queue[NB_FLOWS];
	unsigned int per_queue[NQ];
	unsigned int total;
};

static void
receive_all(uint16_t b, uint32_t first_seq, struct rx_result *r, const uint8_t *key,
	    const uint16_t *reta, int with_ports)
{
	static uint8_t seen[NB_FLOWS * PKTS_PER_FLOW];
	struct sl_mbuf *pkts[32];

	memset(seen, 0, sizeof(seen));
	memset(r, 0, sizeof(*r));
	for (int f = 0; f < NB_FLOWS; f++)
		r->flow_queue[f] = -1;
	for (uint16_t q = 0; q < NQ; q++) {
		uint16_t n;

		while ((n = sl_eth_rx_burst(b, q, pkts, 32)) > 0) {
			for (uint16_t i = 0; i < n; i++) {
				uint32_t flow, seq, h;

				parse(pkts[i], &flow, &seq);
				assert_true(flow < NB_FLOWS);
				assert_true(seq >= first_seq && seq < first_seq + sizeof(seen));
				assert_int_equal(seen[seq - first_seq], 0); /* exactly once */
				seen[seq - first_seq] = 1;
				if (r->flow_queue[flow] < 0)
					r->flow_queue[flow] = q;
				assert_int_equal(r->flow_queue[flow], q); /* flow stays on one queue */
				if (reta != NULL) {
					h = flow_hash(flow, key, with_ports);
					assert_true(pkts[i]->ol_flags & SL_MBUF_F_RX_RSS_HASH);
					assert_int_equal(pkts[i]->hash.rss, h);
					assert_int_equal(q, reta[h % 128]);
				}
				r->per_queue[q]++;
				r->total++;
			}
			sl_mbuf_free_bulk(pkts, n);
		}
	}
	assert_int_equal(r->total, NB_FLOWS * PKTS_PER_FLOW);
}

static void
test_spread(void **state)
{
	struct sl_eth_rss_reta_entry64 g[2];
	struct sl_eth_stats st;
	struct sl_eth_rss_conf rc;
	struct rx_result r;
	uint16_t a = port_named("net_ring_ra"), b = port_named("net_ring_rb"), reta[128];

	(void)state;
	port_up_rss(a, NQ, 0, 0);
	port_up_rss(b, NQ, SL_ETH_RSS_IPV4 | SL_ETH_RSS_NONFRAG_IPV4_UDP, 1);
	assert_int_equal(sl_eth_stats_reset(b), 0);

	/* 4-tuple hash, default RETA: every queue gets flows. */
	reta_read(b, 128, reta);
	send_flows(a, 0);
	receive_all(b, 0, &r, sl_rss_default_key, reta, 1);
	for (int q = 0; q < NQ; q++)
		assert_true(r.per_queue[q] > 0);
	assert_int_equal(sl_eth_stats_get(b, &st), 0);
	assert_int_equal(st.ipackets, NB_FLOWS * PKTS_PER_FLOW);
	for (int q = 0; q < NQ; q++)
		assert_int_equal(st.q_ipackets[q], r.per_queue[q]);
	assert_int_equal(st.imissed, 0);

	/* Addresses only: flows differing in port alone still spread by address. */
	rc = (struct sl_eth_rss_conf){ .rss_hf = SL_ETH_RSS_IPV4 };
	assert_int_equal(sl_eth_dev_rss_hash_update(b, &rc), 0);
	send_flows(a, 10000);
	receive_all(b, 10000, &r, sl_rss_default_key, reta, 0);
	for (int q = 0; q < NQ; q++)
		assert_true(r.per_queue[q] > 0);

	/* RETA naming only queue 2: everything there. */
	memset(g, 0, sizeof(g));
	for (int i = 0; i < 2; i++) {
		g[i].mask = ~0ULL;
		for (int j = 0; j < 64; j++)
			g[i].reta[j] = 2;
	}
	assert_int_equal(sl_eth_dev_rss_reta_update(b, g, 128), 0);
	reta_read(b, 128, reta);
	send_flows(a, 20000);
	receive_all(b, 20000, &r, sl_rss_default_key, reta, 0);
	assert_int_equal(r.per_queue[2], NB_FLOWS * PKTS_PER_FLOW);

	/* hf = 0: no hashing, everything to RETA entry 0's queue. */
	g[0].reta[0] = 1;
	assert_int_equal(sl_eth_dev_rss_reta_update(b, g, 128), 0);
	rc = (struct sl_eth_rss_conf){ .rss_hf = 0 };
	assert_int_equal(sl_eth_dev_rss_hash_update(b, &rc), 0);
	send_flows(a, 30000);
	receive_all(b, 30000, &r, NULL, NULL, 0);
	assert_int_equal(r.per_queue[1], NB_FLOWS * PKTS_PER_FLOW);
	/* Not hashed: no hash flag, even on an mbuf that carried one. */
	{
		struct sl_mbuf *m = sl_mbuf_alloc(pool);

		assert_non_null(m);
		build(m, 5, 0);
		m->ol_flags |= SL_MBUF_F_RX_RSS_HASH;
		assert_int_equal(sl_eth_tx_burst(a, 0, &m, 1), 1);
		assert_int_equal(sl_eth_rx_burst(b, 1, &m, 1), 1);
		assert_false(m->ol_flags & SL_MBUF_F_RX_RSS_HASH);
		sl_mbuf_free(m);
	}

	/* A stopped RX queue returns nothing and keeps its packets; restarted, it delivers. */
	assert_int_equal(sl_eth_dev_rx_queue_stop(b, 1), 0);
	assert_int_equal(sl_eth_dev_rx_queue_stop(b, 1), 0); /* again: no-op */
	send_flows(a, 40000);
	{
		struct sl_mbuf *pk[32];

		assert_int_equal(sl_eth_rx_burst(b, 1, pk, 32), 0);
	}
	assert_int_equal(sl_eth_dev_rx_queue_start(b, 1), 0);
	receive_all(b, 40000, &r, NULL, NULL, 0);
	/* A stopped TX queue accepts nothing. */
	assert_int_equal(sl_eth_dev_tx_queue_stop(a, 3), 0);
	{
		struct sl_mbuf *m = sl_mbuf_alloc(pool);

		assert_non_null(m);
		build(m, 0, 0);
		assert_int_equal(sl_eth_tx_burst(a, 3, &m, 1), 0);
		assert_int_equal(sl_eth_dev_tx_queue_start(a, 3), 0);
		assert_int_equal(sl_eth_tx_burst(a, 3, &m, 1), 1);
		assert_int_equal(sl_eth_rx_burst(b, 1, &m, 1), 1);
		sl_mbuf_free(m);
	}
	assert_int_equal(sl_eth_dev_stop(a), 0);
	assert_int_equal(sl_eth_dev_stop(b), 0);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
}

/* A full RX queue drops at the receiver: imissed, no leak, TX takes all. */
static void
test_full_queue_drops(void **state)
{
	struct sl_mbuf *m[32];
	struct sl_eth_stats st;
	uint16_t a, b, n, got = 0;

	(void)state;
	assert_int_equal(sl_vdev_init("net_ring_fa", "queues=2,size=64,peer=net_ring_fb"), 0);
	assert_int_equal(sl_vdev_init("net_ring_fb", "queues=2,size=64"), 0);
	a = port_named("net_ring_fa");
	b = port_named("net_ring_fb");
	port_up_rss(a, 2, 0, 0);
	port_up_rss(b, 2, SL_ETH_RSS_IPV4, 1);
	for (uint32_t s = 0; s < 200; s += 20) {
		assert_int_equal(sl_mbuf_alloc_bulk(pool, m, 20), 0);
		for (int i = 0; i < 20; i++)
			build(m[i], 7, s + (uint32_t)i); /* one flow: one queue */
		assert_int_equal(sl_eth_tx_burst(a, 0, m, 20), 20);
	}
	for (uint16_t q = 0; q < 2; q++)
		while ((n = sl_eth_rx_burst(b, q, m, 32)) > 0) {
			got = (uint16_t)(got + n);
			sl_mbuf_free_bulk(m, n);
		}
	assert_int_equal(got, 64);
	assert_int_equal(sl_eth_stats_get(b, &st), 0);
	assert_int_equal(st.imissed, 200 - 64);
	assert_int_equal(st.ipackets, 64);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
	assert_int_equal(sl_vdev_uninit("net_ring_fb"), 0);
	assert_int_equal(sl_vdev_uninit("net_ring_fa"), 0);
}

#define XT_PER_SENDER 1500

struct xt_args {
	uint16_t port, queue;
	uint32_t first_seq;
};

static int
xt_sender(void *arg)
{
	const struct xt_args *x = arg;

	for (uint32_t i = 0; i < XT_PER_SENDER; i++) {
		struct sl_mbuf *m = sl_mbuf_alloc(pool);

		if (m == NULL)
			return -1;
		build(m, 3, x->first_seq + i); /* one flow from both senders: one ring */
		while (sl_eth_tx_burst(x->port, x->queue, &m, 1) == 0)
			;
	}
	return 0;
}

/* Two lcores transmit at once on two TX queues into the same RX ring. */
static void
test_concurrent_senders(void **state)
{
	static uint8_t seen[2 * XT_PER_SENDER];
	struct xt_args w = { 0, 1, XT_PER_SENDER }, mine = { 0, 0, 0 };
	struct sl_mbuf *pkts[32];
	uint32_t last[2] = { 0, 0 }, total = 0;
	unsigned int worker;
	uint16_t a = port_named("net_ring_ra"), b = port_named("net_ring_rb"), n;

	(void)state;
	worker = sl_get_next_lcore((unsigned int)-1, 1, 0);
	if (worker >= SL_MAX_LCORE)
		SL_TEST_SKIP("no worker lcore (one CPU only)");
	port_up_rss(a, NQ, 0, 0);
	port_up_rss(b, NQ, SL_ETH_RSS_IPV4, 1);
	w.port = mine.port = a;
	assert_int_equal(sl_eal_remote_launch(xt_sender, &w, worker), 0);
	assert_int_equal(xt_sender(&mine), 0);
	assert_int_equal(sl_eal_wait_lcore(worker), 0);
	memset(seen, 0, sizeof(seen));
	for (uint16_t q = 0; q < NQ; q++)
		while ((n = sl_eth_rx_burst(b, q, pkts, 32)) > 0) {
			for (uint16_t i = 0; i < n; i++) {
				uint32_t flow, seq, s;

				parse(pkts[i], &flow, &seq);
				assert_true(seq < 2 * XT_PER_SENDER);
				assert_int_equal(seen[seq], 0);
				seen[seq] = 1;
				/* Each sender's packets stay in order. */
				s = seq / XT_PER_SENDER;
				assert_true(seq % XT_PER_SENDER == 0 || seq > last[s]);
				last[s] = seq;
				total++;
			}
			sl_mbuf_free_bulk(pkts, n);
		}
	assert_int_equal(total, 2 * XT_PER_SENDER);
	assert_int_equal(sl_eth_dev_stop(a), 0);
	assert_int_equal(sl_eth_dev_stop(b), 0);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_api_errors_and_round_trips),
		cmocka_unit_test(test_spread),
		cmocka_unit_test(test_full_queue_drops),
		cmocka_unit_test(test_concurrent_senders),
	};

	return sl_test_exit(cmocka_run_group_tests_name("ring_rss", tests, group_setup,
							group_teardown));
}
