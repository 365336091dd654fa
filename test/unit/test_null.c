/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the net_null PMD: packets handed out have the configured
 * size and, with copy=1, the documented template bytes; TX returns every
 * mbuf to its pool; an empty pool is counted as rx_nombuf; per-queue stats;
 * no_rx; mac=; sizes that do not fit the mbufs are refused.
 */
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
#include "sl_ethdev.h"
#include "sl_mbuf.h"
#include "sl_mempool.h"
#include "test_eth_helpers.h"

#define BURST 32

static struct sl_mempool *pool;

static int
group_setup(void **state)
{
	(void)state;
	if (th_eal_start("test_null", "net_null0", "net_null1,size=128,copy=1") < 0)
		return -1;
	pool = sl_mbuf_pool_create("null_pool", 4095, 32, 0, SL_MBUF_DEFAULT_BUF_SIZE, 0);
	return pool == NULL ? -1 : 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
	/* net_null0 is closed through the vdev bus, net_null1 by ethdev first. */
	assert_int_equal(sl_vdev_uninit("net_null0"), 0);
	assert_int_equal(sl_eth_dev_close(port_named("net_null1")), 0);
	assert_int_equal(sl_mempool_free(pool), 0);
	assert_int_equal(sl_eal_cleanup(), 0);
	return 0;
}

/* The copy=1 template, built independently of the driver from its documentation. */
static void
expected_frame(uint8_t *f, uint32_t size, const struct sl_ether_addr *mac)
{
	uint8_t h[42] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0x08, 0x00,
		0x45, 0x00, 0, 0, 0, 0, 0, 0, 64, 17, 0, 0, 198, 18, 0, 1, 198, 18, 0, 2,
		0, 9, 0, 9, 0, 0, 0, 0,
	};
	uint32_t sum = 0;

	memcpy(h + 6, mac->addr_bytes, 6);
	h[16] = (uint8_t)((size - 14) >> 8);
	h[17] = (uint8_t)(size - 14);
	h[38] = (uint8_t)((size - 34) >> 8);
	h[39] = (uint8_t)(size - 34);
	for (int i = 14; i < 34; i += 2)
		sum += (uint32_t)h[i] << 8 | h[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	h[24] = (uint8_t)(~sum >> 8);
	h[25] = (uint8_t)~sum;
	for (uint32_t i = 0; i < size; i++)
		f[i] = i < sizeof(h) ? h[i] : (uint8_t)i;
}

static void
test_default_port(void **state)
{
	struct sl_mbuf *pkts[BURST];
	struct sl_eth_dev_info info;
	struct sl_eth_stats st;
	struct sl_eth_link link;
	struct sl_ether_addr mac;
	uint16_t p, n;

	(void)state;
	p = port_named("net_null0");
	assert_int_equal(sl_eth_dev_info_get(p, &info), 0);
	assert_string_equal(info.driver_name, "net_null");
	assert_true(info.max_rx_queues >= 4);
	assert_int_equal(sl_eth_macaddr_get(p, &mac), 0);
	assert_int_equal(mac.addr_bytes[0], 0x02);
	assert_int_equal(mac.addr_bytes[5], (uint8_t)p);
	port_up(p, 1, pool);
	assert_int_equal(sl_eth_link_get_nowait(p, &link), 0);
	assert_int_equal(link.link_status, SL_ETH_LINK_UP);

	n = sl_eth_rx_burst(p, 0, pkts, BURST);
	assert_int_equal(n, BURST);
	assert_int_equal(sl_mempool_in_use_count(pool), BURST);
	for (uint16_t i = 0; i < n; i++) {
		assert_int_equal(pkts[i]->pkt_len, 64);
		assert_int_equal(pkts[i]->data_len, 64);
		assert_int_equal(pkts[i]->nb_segs, 1);
		assert_null(pkts[i]->next);
		assert_int_equal(pkts[i]->port, p);
		assert_ptr_equal(pkts[i]->pool, pool);
		assert_int_equal(pkts[i]->data_off, SL_PKTMBUF_HEADROOM);
	}
	assert_int_equal(sl_eth_tx_burst(p, 0, pkts, n), n);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);

	assert_int_equal(sl_eth_stats_get(p, &st), 0);
	assert_int_equal(st.ipackets, BURST);
	assert_int_equal(st.ibytes, BURST * 64);
	assert_int_equal(st.opackets, BURST);
	assert_int_equal(st.obytes, BURST * 64);
	assert_int_equal(st.rx_nombuf, 0);
	assert_int_equal(st.q_ipackets[0], BURST);

	/* Reset while running, then count only what follows. */
	assert_int_equal(sl_eth_stats_reset(p), 0);
	assert_int_equal(sl_eth_rx_burst(p, 0, pkts, 5), 5);
	assert_int_equal(sl_eth_tx_burst(p, 0, pkts, 5), 5);
	assert_int_equal(sl_eth_stats_get(p, &st), 0);
	assert_int_equal(st.ipackets, 5);
	assert_int_equal(st.opackets, 5);
	assert_int_equal(st.obytes, 5 * 64);

	/* TX frees whole chains and packets of other lengths too. */
	assert_int_equal(sl_eth_rx_burst(p, 0, pkts, 2), 2);
	assert_int_equal(sl_mbuf_chain(pkts[0], pkts[1]), 0);
	assert_int_equal(sl_eth_tx_burst(p, 0, pkts, 1), 1);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);

	/* A packet still referenced by a clone stays out of the pool until the
	 * clone goes. */
	{
		struct sl_mbuf *clone;

		assert_int_equal(sl_eth_rx_burst(p, 0, pkts, 1), 1);
		clone = sl_mbuf_clone(pkts[0], pool);
		assert_non_null(clone);
		assert_int_equal(sl_eth_tx_burst(p, 0, pkts, 1), 1);
		assert_int_equal(sl_mempool_in_use_count(pool), 2);
		assert_int_equal(sl_mbuf_refcnt_read(pkts[0]), 1);
		sl_mbuf_free(clone);
		assert_int_equal(sl_mempool_in_use_count(pool), 0);
	}
	/* A burst that mixes plain packets, a clone and its original. */
	{
		struct sl_mbuf *mix[4];

		assert_int_equal(sl_eth_rx_burst(p, 0, pkts, 3), 3);
		mix[0] = pkts[0];
		mix[1] = sl_mbuf_clone(pkts[1], pool);
		assert_non_null(mix[1]);
		mix[2] = pkts[2];
		mix[3] = pkts[1];
		assert_int_equal(sl_mempool_in_use_count(pool), 4);
		assert_int_equal(sl_eth_tx_burst(p, 0, mix, 4), 4);
		assert_int_equal(sl_mempool_in_use_count(pool), 0);
		assert_int_equal(sl_mempool_audit(pool), 0);
	}

	assert_int_equal(sl_eth_dev_stop(p), 0);
	assert_int_equal(sl_eth_link_get_nowait(p, &link), 0);
	assert_int_equal(link.link_status, SL_ETH_LINK_DOWN);
	assert_int_equal(sl_eth_rx_burst(p, 0, pkts, BURST), 0);
}

static void
test_copy_pattern(void **state)
{
	struct sl_mbuf *pkts[BURST];
	struct sl_ether_addr mac;
	uint8_t want[128];
	uint64_t id, v;
	uint16_t p, n;
	const uint8_t *d;
	uint32_t sum = 0;

	(void)state;
	p = port_named("net_null1");
	port_up(p, 1, pool);
	assert_int_equal(sl_eth_macaddr_get(p, &mac), 0);
	expected_frame(want, sizeof(want), &mac);

	n = sl_eth_rx_burst(p, 0, pkts, BURST);
	assert_int_equal(n, BURST);
	for (uint16_t i = 0; i < n; i++) {
		assert_int_equal(pkts[i]->pkt_len, 128);
		assert_memory_equal(sl_mbuf_mtod(pkts[i], const uint8_t *), want, sizeof(want));
	}
	/* The IPv4 header checksum in the template verifies. */
	d = sl_mbuf_mtod(pkts[0], const uint8_t *) + 14;
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)d[i] << 8 | d[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	assert_int_equal(sum, 0xffff);

	assert_int_equal(sl_eth_tx_burst(p, 0, pkts, n), n);
	assert_int_equal(sl_eth_xstats_get_id_by_name(p, "rx_copied_bytes", &id), 0);
	assert_int_equal(sl_eth_xstats_get_by_id(p, &id, &v, 1), 1);
	assert_int_equal(v, BURST * 128);
	assert_int_equal(sl_eth_xstats_get_id_by_name(p, "tx_copied_bytes", &id), 0);
	assert_int_equal(sl_eth_xstats_get_by_id(p, &id, &v, 1), 1);
	assert_int_equal(v, BURST * 128);

	/* A stats reset restarts the copied-byte counters too, and then
	 * they count only what follows. */
	assert_int_equal(sl_eth_stats_reset(p), 0);
	assert_int_equal(sl_eth_xstats_get_id_by_name(p, "rx_copied_bytes", &id), 0);
	assert_int_equal(sl_eth_xstats_get_by_id(p, &id, &v, 1), 1);
	assert_int_equal(v, 0);
	assert_int_equal(sl_eth_rx_burst(p, 0, pkts, 3), 3);
	assert_int_equal(sl_eth_tx_burst(p, 0, pkts, 3), 3);
	assert_int_equal(sl_eth_xstats_get_by_id(p, &id, &v, 1), 1);
	assert_int_equal(v, 3 * 128);
	assert_int_equal(sl_eth_xstats_get_id_by_name(p, "tx_copied_bytes", &id), 0);
	assert_int_equal(sl_eth_xstats_get_by_id(p, &id, &v, 1), 1);
	assert_int_equal(v, 3 * 128);

	/* A new MAC shows up in the template after a restart. */
	{
		struct sl_ether_addr nm = { { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee } };

		assert_int_equal(sl_eth_dev_stop(p), 0);
		assert_int_equal(sl_eth_macaddr_set(p, &nm), 0);
		assert_int_equal(sl_eth_dev_start(p), 0);
		expected_frame(want, sizeof(want), &nm);
		assert_int_equal(sl_eth_rx_burst(p, 0, pkts, 1), 1);
		assert_memory_equal(sl_mbuf_mtod(pkts[0], const uint8_t *), want, sizeof(want));
		assert_int_equal(sl_eth_tx_burst(p, 0, pkts, 1), 1);
	}
	assert_int_equal(sl_eth_dev_stop(p), 0);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
}

static void
test_sizes(void **state)
{
	struct sl_mbuf *pkts[4];
	uint16_t p;
	const uint32_t room = SL_MBUF_DEFAULT_BUF_SIZE - SL_PKTMBUF_HEADROOM;
	char args[32];

	(void)state;
	assert_int_equal(sl_vdev_init("net_null_s1", "size=1,copy=1"), 0);
	p = port_named("net_null_s1");
	port_up(p, 1, pool);
	assert_int_equal(sl_eth_rx_burst(p, 0, pkts, 4), 4);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pkts[i]->pkt_len, 1);
		assert_int_equal(*sl_mbuf_mtod(pkts[i], uint8_t *), 0xff);
	}
	assert_int_equal(sl_eth_tx_burst(p, 0, pkts, 4), 4);
	assert_int_equal(sl_vdev_uninit("net_null_s1"), 0);
	assert_int_equal(sl_eth_dev_is_valid_port(p), 0);

	/* The largest size that fits the mbufs works, one byte more is refused. */
	snprintf(args, sizeof(args), "size=%u", room);
	assert_int_equal(sl_vdev_init("net_null_s2", args), 0);
	p = port_named("net_null_s2");
	port_up(p, 1, pool);
	assert_int_equal(sl_eth_rx_burst(p, 0, pkts, 1), 1);
	assert_int_equal(pkts[0]->pkt_len, room);
	assert_int_equal(sl_eth_tx_burst(p, 0, pkts, 1), 1);
	assert_int_equal(sl_eth_dev_close(p), 0);
	assert_int_equal(sl_vdev_uninit("net_null_s2"), 0); /* port closed already: fine */

	snprintf(args, sizeof(args), "size=%u", room + 1);
	assert_int_equal(sl_vdev_init("net_null_s3", args), 0);
	p = port_named("net_null_s3");
	assert_int_equal(sl_eth_dev_configure(p, 1, 1, NULL), 0);
	assert_int_equal(sl_eth_rx_queue_setup(p, 0, 64, 0, NULL, pool), -EINVAL);
	assert_int_equal(sl_vdev_uninit("net_null_s3"), 0);
}

/* Fields a forwarding app may leave set in an mbuf it sends. */
static void
dirty(struct sl_mbuf **pkts, uint16_t n)
{
	for (uint16_t i = 0; i < n; i++) {
		pkts[i]->ol_flags = SL_MBUF_F_RX_RSS_HASH;
		pkts[i]->packet_type = 0x11;
		pkts[i]->vlan_tci = 7;
		pkts[i]->hash.rss = 0xdeadbeef;
		pkts[i]->tx_offload = 0x1234;
		pkts[i]->timestamp = 99;
		pkts[i]->data_off = 0;
	}
}

/* Each of @p pkts is a fresh received packet of @p len bytes on @p port. */
static void
check_fresh(struct sl_mbuf **pkts, uint16_t n, uint16_t port, uint32_t len)
{
	for (uint16_t i = 0; i < n; i++) {
		assert_int_equal(pkts[i]->pkt_len, len);
		assert_int_equal(pkts[i]->data_len, len);
		assert_int_equal(pkts[i]->nb_segs, 1);
		assert_null(pkts[i]->next);
		assert_int_equal(pkts[i]->port, port);
		assert_int_equal(pkts[i]->data_off, SL_PKTMBUF_HEADROOM);
		assert_int_equal(pkts[i]->ol_flags, 0);
		assert_int_equal(pkts[i]->packet_type, 0);
		assert_int_equal(pkts[i]->vlan_tci, 0);
		assert_int_equal(pkts[i]->hash.rss, 0);
		assert_int_equal(pkts[i]->tx_offload, 0);
		assert_int_equal(pkts[i]->timestamp, 0);
		assert_int_equal(sl_mbuf_refcnt_read(pkts[i]), 1);
	}
}

static void
test_nombuf(void **state)
{
	struct sl_mempool *small;
	struct sl_mbuf *pkts[BURST], *more[BURST];
	struct sl_eth_stats st;
	uint64_t id, v;
	uint16_t p;

	(void)state;
	small = sl_mbuf_pool_create("null_small", 48, 0, 0, SL_MBUF_DEFAULT_BUF_SIZE, 0);
	assert_non_null(small);
	assert_int_equal(sl_vdev_init("net_null_nb", NULL), 0);
	p = port_named("net_null_nb");
	assert_int_equal(sl_eth_dev_configure(p, 1, 1, NULL), 0);
	assert_int_equal(sl_eth_rx_queue_setup(p, 0, 32, 0, NULL, small), 0);
	assert_int_equal(sl_eth_tx_queue_setup(p, 0, 32, 0, NULL), 0);
	assert_int_equal(sl_eth_dev_start(p), 0);

	assert_int_equal(sl_eth_rx_burst(p, 0, pkts, BURST), BURST);
	/* 16 left: a burst of 32 gets nothing, counted as 32 failed allocations. */
	assert_int_equal(sl_eth_rx_burst(p, 0, more, BURST), 0);
	assert_int_equal(sl_eth_stats_get(p, &st), 0);
	assert_int_equal(st.rx_nombuf, BURST);
	assert_int_equal(st.ipackets, BURST);
	assert_int_equal(sl_eth_xstats_get_id_by_name(p, "rx_mbuf_allocation_errors", &id), 0);
	assert_int_equal(sl_eth_xstats_get_by_id(p, &id, &v, 1), 1);
	assert_int_equal(v, BURST);
	/* A smaller burst still fits. */
	assert_int_equal(sl_eth_rx_burst(p, 0, more, 16), 16);
	/*
	 * Every mbuf of the pool is out: leave in each what a forwarding app
	 * may, send them all back, and receive them all again (no cache, so
	 * they come back from the ring): each must be a fresh packet.
	 */
	dirty(pkts, BURST);
	dirty(more, 16);
	assert_int_equal(sl_eth_tx_burst(p, 0, more, 16), 16);
	assert_int_equal(sl_eth_tx_burst(p, 0, pkts, BURST), BURST);
	assert_int_equal(sl_eth_rx_burst(p, 0, pkts, BURST), BURST);
	assert_int_equal(sl_eth_rx_burst(p, 0, more, 16), 16);
	check_fresh(pkts, BURST, p, 64);
	check_fresh(more, 16, p, 64);
	assert_int_equal(sl_eth_tx_burst(p, 0, more, 16), 16);
	assert_int_equal(sl_eth_tx_burst(p, 0, pkts, BURST), BURST);
	assert_int_equal(sl_mempool_in_use_count(small), 0);
	assert_int_equal(sl_vdev_uninit("net_null_nb"), 0);
	assert_int_equal(sl_mempool_free(small), 0);
}

static void
test_multiqueue(void **state)
{
	struct sl_mbuf *pkts[BURST];
	struct sl_eth_stats st;
	uint16_t p;

	(void)state;
	assert_int_equal(sl_vdev_init("net_null_mq", "size=100"), 0);
	p = port_named("net_null_mq");
	port_up(p, 4, pool);
	for (uint16_t q = 0; q < 4; q++) {
		uint16_t n = (uint16_t)(q + 1);

		assert_int_equal(sl_eth_rx_burst(p, q, pkts, n), n);
		assert_int_equal(sl_eth_tx_burst(p, (uint16_t)(3 - q), pkts, n), n);
	}
	assert_int_equal(sl_eth_stats_get(p, &st), 0);
	assert_int_equal(st.ipackets, 10);
	assert_int_equal(st.ibytes, 1000);
	for (uint16_t q = 0; q < 4; q++) {
		assert_int_equal(st.q_ipackets[q], q + 1);
		assert_int_equal(st.q_ibytes[q], (q + 1) * 100);
		assert_int_equal(st.q_opackets[q], 4 - q);
	}
	assert_int_equal(sl_vdev_uninit("net_null_mq"), 0);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
}

static void
test_no_rx_and_mac(void **state)
{
	struct sl_mbuf *pkts[4];
	struct sl_ether_addr mac;
	uint16_t p;

	(void)state;
	assert_int_equal(sl_vdev_init("net_null_nr", "no_rx=1,mac=02:00:00:00:00:09"), 0);
	p = port_named("net_null_nr");
	assert_int_equal(sl_eth_macaddr_get(p, &mac), 0);
	assert_int_equal(mac.addr_bytes[5], 9);
	port_up(p, 1, pool);
	assert_int_equal(sl_eth_rx_burst(p, 0, pkts, 4), 0);
	assert_int_equal(sl_mbuf_alloc_bulk(pool, pkts, 4), 0);
	assert_int_equal(sl_eth_tx_burst(p, 0, pkts, 4), 4);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
	assert_int_equal(sl_vdev_uninit("net_null_nr"), 0);

	assert_int_equal(sl_vdev_init("net_null_bm", "mac=01:00:00:00:00:09"), -EINVAL);
	assert_int_equal(sl_eth_dev_get_port_by_name("net_null_bm", &p), -ENODEV);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_port),
		cmocka_unit_test(test_copy_pattern),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_nombuf),
		cmocka_unit_test(test_multiqueue),
		cmocka_unit_test(test_no_rx_and_mac),
	};

	return sl_test_exit(cmocka_run_group_tests_name("null", tests, group_setup,
							group_teardown));
}
