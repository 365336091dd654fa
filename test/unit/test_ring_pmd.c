/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the net_ring PMD: a packet sent on port A arrives on its
 * peer B byte-identical (and back), packets loop around an A<->B forwarding
 * loop, a full ring refuses packets and counts oerrors, queues map one to
 * one, loopback, ports from application rings, pairing errors, the test
 * aids (max_pps= policer, drop/dup/swap faults), and no mbuf
 * leaks: the pool's in-use count is back to 0 after closing ports that
 * still had packets in their rings.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sl_test.h"

#include "sl_bus_vdev.h"
#include "sl_eal.h"
#include "sl_eth_ring.h"
#include "sl_ethdev.h"
#include "sl_mbuf.h"
#include "sl_mempool.h"
#include "sl_ring.h"
#include "test_eth_helpers.h"

#define BURST 32

static struct sl_mempool *pool;

static int
group_setup(void **state)
{
	(void)state;
	th_lcores = "0,1"; /* test_cross_thread sends from a worker lcore */
	if (th_eal_start("test_ring_pmd", "net_ring0,peer=net_ring1", "net_ring1") < 0)
		return -1;
	pool = sl_mbuf_pool_create("ringpmd_pool", 4095, 32, 0, SL_MBUF_DEFAULT_BUF_SIZE, 0);
	return pool == NULL ? -1 : 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	/* The EAL's vdev cleanup closes net_ring0/1 and frees what their rings hold. */
	assert_int_equal(sl_eal_cleanup(), 0);
	return 0;
}

/* Packet @p seq: length and every byte depend on seq. */
static uint16_t
pkt_len_of(uint32_t seq)
{
	return (uint16_t)(60 + seq % 200);
}

static void
pkt_fill(struct sl_mbuf *m, uint32_t seq)
{
	uint16_t len = pkt_len_of(seq);
	uint8_t *d = (uint8_t *)sl_mbuf_append(m, len);

	assert_non_null(d);
	memcpy(d, &seq, sizeof(seq));
	for (uint16_t i = sizeof(seq); i < len; i++)
		d[i] = (uint8_t)(seq * 31u + i);
}

static uint32_t
pkt_check(const struct sl_mbuf *m)
{
	const uint8_t *d = sl_mbuf_mtod(m, const uint8_t *);
	uint32_t seq;

	memcpy(&seq, d, sizeof(seq));
	assert_int_equal(m->pkt_len, pkt_len_of(seq));
	assert_int_equal(m->data_len, pkt_len_of(seq));
	for (uint16_t i = sizeof(seq); i < m->pkt_len; i++)
		assert_int_equal(d[i], (uint8_t)(seq * 31u + i));
	return seq;
}

/* Bytes of the packets make_pkts() builds from @p first_seq. */
static uint64_t
len_sum(uint32_t first_seq, unsigned int n)
{
	uint64_t b = 0;

	for (unsigned int i = 0; i < n; i++)
		b += pkt_len_of(first_seq + i);
	return b;
}

static void
make_pkts(struct sl_mbuf **pkts, unsigned int n, uint32_t first_seq)
{
	assert_int_equal(sl_mbuf_alloc_bulk(pool, pkts, n), 0);
	for (unsigned int i = 0; i < n; i++)
		pkt_fill(pkts[i], first_seq + i);
}

static void
test_pair_from_devargs(void **state)
{
	struct sl_mbuf *tx[BURST], *rx[BURST];
	struct sl_eth_stats st;
	uint16_t a, b;

	(void)state;
	a = port_named("net_ring0");
	b = port_named("net_ring1");
	port_up(a, 1, pool);
	port_up(b, 1, pool);

	/* A -> B */
	make_pkts(tx, BURST, 1000);
	assert_int_equal(sl_eth_tx_burst(a, 0, tx, BURST), BURST);
	assert_int_equal(sl_eth_rx_burst(a, 0, rx, BURST), 0); /* not looped back */
	assert_int_equal(sl_eth_rx_burst(b, 0, rx, BURST), BURST);
	for (unsigned int i = 0; i < BURST; i++) {
		assert_ptr_equal(rx[i], tx[i]);
		assert_int_equal(pkt_check(rx[i]), 1000 + i);
		assert_int_equal(rx[i]->port, b);
	}
	/* B -> A, the same mbufs back */
	assert_int_equal(sl_eth_tx_burst(b, 0, rx, BURST), BURST);
	assert_int_equal(sl_eth_rx_burst(b, 0, tx, BURST), 0);
	assert_int_equal(sl_eth_rx_burst(a, 0, tx, BURST), BURST);
	for (unsigned int i = 0; i < BURST; i++) {
		assert_int_equal(pkt_check(tx[i]), 1000 + i);
		assert_int_equal(tx[i]->port, a);
	}
	sl_mbuf_free_bulk(tx, BURST);

	assert_int_equal(sl_eth_stats_get(a, &st), 0);
	assert_int_equal(st.opackets, BURST);
	assert_int_equal(st.ipackets, BURST);
	assert_int_equal(st.oerrors, 0);
	{
		uint64_t bytes = 0;

		for (unsigned int i = 0; i < BURST; i++)
			bytes += pkt_len_of(1000 + i);
		assert_int_equal(st.obytes, bytes);
		assert_int_equal(st.ibytes, bytes);
	}
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
}

/* io forwarding around the loop A -> B -> A: every packet survives every hop. */
static void
test_loop_topology(void **state)
{
	struct sl_mbuf *pkts[BURST];
	uint64_t hops = 0;
	unsigned int seen[BURST] = { 0 };
	uint16_t a, b;

	(void)state;
	a = port_named("net_ring0");
	b = port_named("net_ring1");
	assert_int_equal(sl_eth_dev_is_started(a), 1);
	make_pkts(pkts, BURST, 0);
	assert_int_equal(sl_eth_tx_burst(a, 0, pkts, BURST), BURST);
	for (int round = 0; round < 100; round++) {
		uint16_t ports[2] = { b, a };

		for (int k = 0; k < 2; k++) {
			uint16_t n = sl_eth_rx_burst(ports[k], 0, pkts, BURST);

			assert_int_equal(n, BURST);
			for (uint16_t i = 0; i < n; i++)
				seen[pkt_check(pkts[i])]++;
			assert_int_equal(sl_eth_tx_burst(ports[k], 0, pkts, n), n);
			hops += n;
		}
	}
	assert_int_equal(hops, 200 * BURST);
	for (unsigned int i = 0; i < BURST; i++)
		assert_int_equal(seen[i], 200);
	/* Take the last lap's packets out of B and free them. */
	assert_int_equal(sl_eth_rx_burst(b, 0, pkts, BURST), BURST);
	sl_mbuf_free_bulk(pkts, BURST);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
}

static void
test_full_ring(void **state)
{
	struct sl_mbuf *pkts[BURST], *rx[BURST];
	struct sl_eth_stats st;
	uint16_t p, n;

	(void)state;
	assert_int_equal(sl_vdev_init("net_ring_full", "size=16"), 0);
	p = port_named("net_ring_full");
	port_up(p, 1, pool);
	make_pkts(pkts, BURST, 500);
	/* Loopback with 16 slots: 16 accepted, the caller still owns the rest. */
	n = sl_eth_tx_burst(p, 0, pkts, BURST);
	assert_int_equal(n, 16);
	assert_int_equal(sl_eth_stats_get(p, &st), 0);
	assert_int_equal(st.opackets, 16);
	assert_int_equal(st.oerrors, 16);
	for (unsigned int i = 16; i < BURST; i++)
		assert_int_equal(pkt_check(pkts[i]), 500 + i);
	sl_mbuf_free_bulk(pkts + 16, BURST - 16);
	assert_int_equal(st.obytes, len_sum(500, 16)); /* the refused ones taken back */
	assert_int_equal(sl_eth_rx_burst(p, 0, rx, BURST), 16);
	for (unsigned int i = 0; i < 16; i++)
		assert_int_equal(pkt_check(rx[i]), 500 + i);
	sl_mbuf_free_bulk(rx, 16);
	/* A burst of 7: the byte sum's four-at-a-time loop and its tail. */
	make_pkts(pkts, 7, 600);
	assert_int_equal(sl_eth_tx_burst(p, 0, pkts, 7), 7);
	assert_int_equal(sl_eth_rx_burst(p, 0, rx, BURST), 7);
	sl_mbuf_free_bulk(rx, 7);
	assert_int_equal(sl_eth_stats_get(p, &st), 0);
	assert_int_equal(st.obytes, len_sum(500, 16) + len_sum(600, 7));
	assert_int_equal(st.ibytes, len_sum(500, 16) + len_sum(600, 7));
	assert_int_equal(sl_eth_stats_reset(p), 0);
	assert_int_equal(sl_eth_stats_get(p, &st), 0);
	assert_int_equal(st.oerrors, 0);
	assert_int_equal(st.ipackets, 0);
	assert_int_equal(sl_vdev_uninit("net_ring_full"), 0);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
}

static void
test_multiqueue_pair_api(void **state)
{
	struct sl_mbuf *pkts[8], *rx[8];
	uint16_t a, b, c, n0;

	(void)state;
	assert_int_equal(sl_vdev_init("net_ring_mqa", "queues=2"), 0);
	assert_int_equal(sl_vdev_init("net_ring_mqb", "queues=2"), 0);
	assert_int_equal(sl_vdev_init("net_ring_mqc", "queues=1"), 0);
	a = port_named("net_ring_mqa");
	b = port_named("net_ring_mqb");
	c = port_named("net_ring_mqc");

	assert_int_equal(sl_eth_ring_pair(a, c), -EINVAL);    /* 2 vs 1 queues */
	assert_int_equal(sl_eth_ring_pair(a, SL_MAX_ETHPORTS), -ENODEV);
	assert_int_equal(sl_eth_ring_pair(a, port_named("net_ring0")), -EBUSY); /* started */
	assert_int_equal(sl_eth_ring_pair(a, b), 0);
	assert_int_equal(sl_eth_ring_pair(a, b), 0);         /* again: no change */
	assert_int_equal(sl_vdev_init("net_ring_mqd", "queues=2"), 0);
	assert_int_equal(sl_eth_ring_pair(port_named("net_ring_mqd"), b), -EINVAL); /* b taken */
	assert_int_equal(sl_eth_ring_pair(a, a), -EINVAL);   /* paired: no loopback */
	assert_int_equal(sl_vdev_uninit("net_ring_mqd"), 0);
	port_up(a, 2, pool);
	port_up(b, 2, pool);
	assert_int_equal(sl_eth_ring_pair(a, b), -EBUSY);

	make_pkts(pkts, 8, 70);
	assert_int_equal(sl_eth_tx_burst(a, 1, pkts, 8), 8);
	assert_int_equal(sl_eth_rx_burst(b, 0, rx, 8), 0);
	assert_int_equal(sl_eth_rx_burst(b, 1, rx, 8), 8);
	for (int i = 0; i < 8; i++)
		assert_int_equal(pkt_check(rx[i]), 70 + (uint32_t)i);
	/* Close B with packets still in its ring: freed, and A falls back to loopback. */
	assert_int_equal(sl_eth_tx_burst(a, 0, rx, 8), 8);
	n0 = (uint16_t)sl_mempool_in_use_count(pool);
	assert_int_equal(n0, 8);
	assert_int_equal(sl_vdev_uninit("net_ring_mqb"), 0);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
	make_pkts(pkts, 4, 90);
	assert_int_equal(sl_eth_tx_burst(a, 0, pkts, 4), 4);
	assert_int_equal(sl_eth_rx_burst(a, 0, rx, 8), 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(pkt_check(rx[i]), 90 + (uint32_t)i);
	sl_mbuf_free_bulk(rx, 4);

	/* A null port is not a ring port. */
	assert_int_equal(sl_vdev_init("net_null_x", NULL), 0);
	assert_int_equal(sl_eth_dev_stop(a), 0);
	assert_int_equal(sl_eth_ring_pair(a, port_named("net_null_x")), -EINVAL);
	assert_int_equal(sl_vdev_uninit("net_null_x"), 0);
	/* Leave packets in a's ring, then close via ethdev directly. */
	assert_int_equal(sl_eth_dev_start(a), 0);
	make_pkts(pkts, 3, 0);
	assert_int_equal(sl_eth_tx_burst(a, 0, pkts, 3), 3);
	assert_int_equal(sl_eth_dev_close(a), 0);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
	assert_int_equal(sl_vdev_uninit("net_ring_mqa"), 0);
	assert_int_equal(sl_vdev_uninit("net_ring_mqc"), 0);
}

static void
test_from_rings(void **state)
{
	struct sl_ring *rxr, *txr, *rings[2];
	struct sl_mbuf *pkts[4], *out[4];
	uint16_t p;
	int ret;

	(void)state;
	rxr = sl_ring_create("app_rx", 64, 0, SL_RING_F_SP_ENQ | SL_RING_F_SC_DEQ);
	txr = sl_ring_create("app_tx", 64, 0, SL_RING_F_SP_ENQ | SL_RING_F_SC_DEQ);
	assert_non_null(rxr);
	assert_non_null(txr);
	assert_int_equal(sl_eth_from_rings("app_port", &rxr, 0, &txr, 1, 0), -EINVAL);
	rings[0] = NULL;
	assert_int_equal(sl_eth_from_rings("app_port", rings, 1, &txr, 1, 0), -EINVAL);
	ret = sl_eth_from_rings("app_port", &rxr, 1, &txr, 1, 0);
	assert_true(ret >= 0);
	p = (uint16_t)ret;
	assert_int_equal(sl_eth_from_rings("app_port", &rxr, 1, &txr, 1, 0), -EEXIST);
	port_up(p, 1, pool);
	/* Not a vdev port: cannot be paired. */
	assert_int_equal(sl_eth_dev_stop(p), 0);
	assert_int_equal(sl_eth_ring_pair(p, p), -EINVAL);
	assert_int_equal(sl_eth_dev_start(p), 0);

	make_pkts(pkts, 4, 7);
	assert_int_equal(sl_eth_tx_burst(p, 0, pkts, 4), 4);
	assert_int_equal(sl_ring_count(txr), 4);
	assert_int_equal(sl_ring_dequeue_burst(txr, (void **)out, 4, NULL), 4);
	assert_int_equal(sl_ring_enqueue_burst(rxr, (void *const *)out, 4, NULL), 4);
	assert_int_equal(sl_eth_rx_burst(p, 0, pkts, 4), 4);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pkt_check(pkts[i]), 7 + (uint32_t)i);
		assert_int_equal(pkts[i]->port, p);
	}
	sl_mbuf_free_bulk(pkts, 4);
	assert_int_equal(sl_eth_dev_close(p), 0);
	/* The application's rings survive the port. */
	assert_ptr_equal(sl_ring_lookup("app_rx"), rxr);
	sl_ring_free(rxr);
	sl_ring_free(txr);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
}

static void
test_bad_args(void **state)
{
	uint16_t p;

	(void)state;
	assert_int_equal(sl_vdev_init("net_ring_b1", "queues=0"), -ERANGE);
	assert_int_equal(sl_vdev_init("net_ring_b2", "queues=17"), -ERANGE);
	assert_int_equal(sl_vdev_init("net_ring_b3", "size=1000"), -EINVAL);
	assert_int_equal(sl_vdev_init("net_ring_b4", "peer=net_ring_b4"), -EINVAL);
	assert_int_equal(sl_vdev_init("net_ring_b5", "nodeaction=x"), -EINVAL);
	assert_int_equal(sl_eth_dev_get_port_by_name("net_ring_b3", &p), -ENODEV);
	/* peer= naming a port created later completes when that port appears. */
	assert_int_equal(sl_vdev_init("net_ring_l0", "peer=net_ring_l1"), 0);
	assert_int_equal(sl_vdev_init("net_ring_l1", NULL), 0);
	{
		struct sl_mbuf *m[1];
		uint16_t a = port_named("net_ring_l0"), b = port_named("net_ring_l1");

		port_up(a, 1, pool);
		port_up(b, 1, pool);
		make_pkts(m, 1, 3);
		assert_int_equal(sl_eth_tx_burst(b, 0, m, 1), 1);
		assert_int_equal(sl_eth_rx_burst(a, 0, m, 1), 1);
		assert_int_equal(pkt_check(m[0]), 3);
		sl_mbuf_free(m[0]);
	}
	assert_int_equal(sl_vdev_uninit("net_ring_l1"), 0);
	assert_int_equal(sl_vdev_uninit("net_ring_l0"), 0);
}

/*
 * A worker lcore sends numbered packets on port A while the main lcore
 * receives them on the paired port B: every packet arrives once, in order,
 * with its bytes intact (the rings' ordering publishes the contents).
 */
#define XT_PKTS 200000u

struct xt_args {
	uint16_t port;
	uint64_t retries;
};

static int
xt_sender(void *arg)
{
	struct xt_args *a = arg;
	struct sl_mbuf *pkts[BURST];
	uint32_t seq = 0;

	while (seq < XT_PKTS) {
		unsigned int n = SL_MIN((unsigned int)BURST, XT_PKTS - seq), sent = 0;

		while (sl_mbuf_alloc_bulk(pool, pkts, n) != 0)
			sl_pause(); /* receiver is still holding mbufs */
		for (unsigned int i = 0; i < n; i++)
			pkt_fill(pkts[i], seq + i);
		while (sent < n) {
			uint16_t k = sl_eth_tx_burst(a->port, 0, pkts + sent, (uint16_t)(n - sent));

			if (k == 0)
				a->retries++;
			sent += k;
		}
		seq += n;
	}
	return 0;
}

static void
test_cross_thread(void **state)
{
	struct xt_args args = { 0 };
	struct sl_mbuf *pkts[BURST];
	unsigned int worker;
	uint32_t expect = 0;
	uint16_t a, b;

	(void)state;
	worker = sl_get_next_lcore((unsigned int)-1, 1, 0);
	if (worker >= SL_MAX_LCORE)
		SL_TEST_SKIP("no worker lcore (one CPU only)");
	assert_int_equal(sl_vdev_init("net_ring_x0", "size=256,peer=net_ring_x1"), 0);
	assert_int_equal(sl_vdev_init("net_ring_x1", "size=256"), 0);
	a = port_named("net_ring_x0");
	b = port_named("net_ring_x1");
	port_up(a, 1, pool);
	port_up(b, 1, pool);
	args.port = a;
	assert_int_equal(sl_eal_remote_launch(xt_sender, &args, worker), 0);
	while (expect < XT_PKTS) {
		uint16_t n = sl_eth_rx_burst(b, 0, pkts, BURST);

		for (uint16_t i = 0; i < n; i++) {
			uint32_t seq = pkt_check(pkts[i]);

			if (seq != expect) {
				print_error("packet %u arrived when %u was expected\n", seq, expect);
				fail();
			}
			expect++;
		}
		sl_mbuf_free_bulk(pkts, n);
	}
	assert_int_equal(sl_eal_wait_lcore(worker), 0);
	assert_int_equal(sl_eth_rx_burst(b, 0, pkts, BURST), 0);
	assert_int_equal(sl_vdev_uninit("net_ring_x1"), 0);
	assert_int_equal(sl_vdev_uninit("net_ring_x0"), 0);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
}

/* max_pps= (test aid): TX lets the bucket's depth through, drops the rest
 * (accepted, freed, counted in oerrors), refills at the rate, never above
 * the depth. */
static void
test_max_pps(void **state)
{
	struct sl_mbuf *pkts[BURST * 4], *rx[BURST * 4];
	struct sl_eth_stats st;
	uint16_t p, n, got = 0;

	(void)state;
	/* 1000 pps: the depth is 64 packets (more than 20 ms of them). */
	assert_int_equal(sl_vdev_init("net_ring_pol", "max_pps=1000"), 0);
	p = port_named("net_ring_pol");
	port_up(p, 1, pool);
	make_pkts(pkts, BURST * 4, 900);
	n = sl_eth_tx_burst(p, 0, pkts, BURST * 4);
	assert_int_equal(n, BURST * 4); /* all accepted: a policer drops silently */
	while ((n = sl_eth_rx_burst(p, 0, rx + got, BURST * 4 - got)) > 0)
		got = (uint16_t)(got + n);
	assert_int_equal(got, 64);
	for (unsigned int i = 0; i < 64; i++)
		assert_int_equal(pkt_check(rx[i]), 900 + i); /* the first ones pass, in order */
	sl_mbuf_free_bulk(rx, got);
	assert_int_equal(sl_eth_stats_get(p, &st), 0);
	assert_int_equal(st.opackets, 64);
	assert_int_equal(st.oerrors, BURST * 4 - 64);
	/* 20 ms later: about 20 packets of credit (not the whole depth). */
	usleep(20000);
	make_pkts(pkts, BURST * 4, 2000);
	assert_int_equal(sl_eth_tx_burst(p, 0, pkts, BURST * 4), BURST * 4);
	got = sl_eth_rx_burst(p, 0, rx, BURST * 4);
	assert_in_range(got, 19, 64); /* a slow machine may sleep longer */
	sl_mbuf_free_bulk(rx, got);
	assert_int_equal(sl_vdev_uninit("net_ring_pol"), 0);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
	assert_int_equal(sl_vdev_init("net_ring_pol0", "max_pps=0"), -ERANGE);
}

/* drop_every=/dup_every=/swap_every= (test aids): which packets arrive, in
 * which order, byte for byte; a held packet is freed at close. */
static void
test_fault_aids(void **state)
{
	struct sl_mbuf *pkts[BURST], *rx[2 * BURST];
	/* Offered 1..20 (seq 0..19): drop 5,10,15,20; copy 7,14; hold 3,6,9,..
	 * (every 3rd) behind the next one sent. */
	static const uint32_t want[] = { 0, 1, 3, 2, 6, 6, 5, 7, 10, 8, 12, 11, 13, 13, 15, 16, 18, 17 };
	struct sl_eth_stats st;
	uint16_t p, got;

	(void)state;
	assert_int_equal(sl_vdev_init("net_ring_flt", "drop_every=5,dup_every=7,swap_every=3"), 0);
	p = port_named("net_ring_flt");
	port_up(p, 1, pool);
	make_pkts(pkts, 20, 0);
	assert_int_equal(sl_eth_tx_burst(p, 0, pkts, 20), 20);
	got = sl_eth_rx_burst(p, 0, rx, 2 * BURST);
	assert_int_equal(got, SL_DIM(want));
	for (unsigned int i = 0; i < got; i++)
		assert_int_equal(pkt_check(rx[i]), want[i]);
	sl_mbuf_free_bulk(rx, got);
	assert_int_equal(sl_eth_stats_get(p, &st), 0);
	assert_int_equal(st.oerrors, 4);
	/* seq 20 (offered 21st) is every 3rd: held, then freed by the close. */
	make_pkts(pkts, 1, 20);
	assert_int_equal(sl_eth_tx_burst(p, 0, pkts, 1), 1);
	assert_int_equal(sl_eth_rx_burst(p, 0, rx, 2 * BURST), 0);
	assert_int_equal(sl_vdev_uninit("net_ring_flt"), 0);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
	assert_int_equal(sl_vdev_init("net_ring_flt1", "drop_every=1"), -ERANGE);
}

/* Last: packets left in net_ring0/1 are freed when the EAL closes them. */
static void
test_close_drains(void **state)
{
	struct sl_mbuf *pkts[BURST];
	uint16_t a;

	(void)state;
	a = port_named("net_ring0");
	make_pkts(pkts, BURST, 0);
	assert_int_equal(sl_eth_tx_burst(a, 0, pkts, BURST), BURST);
	assert_int_equal(sl_mempool_in_use_count(pool), BURST);
	assert_int_equal(sl_vdev_uninit("net_ring1"), 0);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
	assert_int_equal(sl_vdev_uninit("net_ring0"), 0);
	assert_int_equal(sl_mempool_free(pool), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pair_from_devargs),
		cmocka_unit_test(test_loop_topology),
		cmocka_unit_test(test_full_ring),
		cmocka_unit_test(test_multiqueue_pair_api),
		cmocka_unit_test(test_from_rings),
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_cross_thread),
		cmocka_unit_test(test_max_pps),
		cmocka_unit_test(test_fault_aids),
		cmocka_unit_test(test_close_drains),
	};

	return sl_test_exit(cmocka_run_group_tests_name("ring_pmd", tests, group_setup,
							group_teardown));
}
