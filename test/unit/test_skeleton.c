/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of net_skeleton, the template PMD: what TX queue q sends, RX
 * queue q receives byte for byte, in order, copied into mbufs of the RX
 * pool; counters per queue and after reset; a full loop refuses from the
 * back (the caller keeps the rest); an empty RX pool leaves frames on the
 * loop (rx_nombuf) and they arrive later; a frame longer than the RX
 * mbufs is dropped as an error; unequal queue counts and bad device
 * arguments are refused by name; no mbuf leaks through stop and close.
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

static struct sl_mempool *pool;

static int
group_setup(void **state)
{
	(void)state;
	if (th_eal_start("test_skeleton", "net_skeleton0", "net_skeleton1,ring_size=32") < 0)
		return -1;
	pool = sl_mbuf_pool_create("skel_pool", 2047, 0, 0, SL_MBUF_DEFAULT_BUF_SIZE, 0);
	return pool == NULL ? -1 : 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
	assert_int_equal(sl_mempool_free(pool), 0);
	assert_int_equal(sl_eal_cleanup(), 0);
	return 0;
}

/* A frame of @p len bytes whose contents depend on @p tag. */
static struct sl_mbuf *
frame(struct sl_mempool *mp, uint16_t len, uint32_t tag)
{
	struct sl_mbuf *m = sl_mbuf_alloc(mp);
	uint8_t *p;

	assert_non_null(m);
	p = (uint8_t *)sl_mbuf_append(m, len);
	/* cmocka's assertions longjmp out on failure but are not declared
	 * noreturn: without the early return, gcc -O3 with AVX-512 sees the
	 * loop below store through a null p and fails the -Werror build. */
	if (p == NULL) {
		fail_msg("sl_mbuf_append(%u) gave no room", len);
		return m;
	}
	for (uint16_t i = 0; i < len; i++)
		p[i] = (uint8_t)(tag * 31 + i);
	return m;
}

static void
check_frame(const struct sl_mbuf *m, uint16_t len, uint32_t tag, uint16_t port)
{
	const uint8_t *p = sl_mbuf_mtod(m, const uint8_t *);

	assert_int_equal(m->pkt_len, len);
	assert_int_equal(m->data_len, len);
	assert_int_equal(m->port, port);
	for (uint16_t i = 0; i < len; i++)
		if (p[i] != (uint8_t)(tag * 31 + i))
			fail_msg("frame %u byte %u: 0x%02x", tag, i, p[i]);
}

/* port_up() with @p nb_desc descriptors per queue: ethdev wants a pool larger
 * than the RX descriptors, which the small pools below are not for 64. */
static void
port_up_desc(uint16_t p, uint16_t nq, struct sl_mempool *mp, uint16_t nb_desc)
{
	assert_int_equal(sl_eth_dev_configure(p, nq, nq, NULL), 0);
	for (uint16_t q = 0; q < nq; q++) {
		assert_int_equal(sl_eth_rx_queue_setup(p, q, nb_desc, SL_SOCKET_ID_ANY, NULL, mp), 0);
		assert_int_equal(sl_eth_tx_queue_setup(p, q, nb_desc, SL_SOCKET_ID_ANY, NULL), 0);
	}
	assert_int_equal(sl_eth_dev_start(p), 0);
}

static void
port_down(uint16_t p)
{
	assert_int_equal(sl_eth_dev_stop(p), 0);
}

static void
test_loop_bytes_and_stats(void **state)
{
	uint16_t p = port_named("net_skeleton0");
	struct sl_mbuf *tx[16], *rx[64];
	struct sl_eth_stats st;
	struct sl_eth_link link;

	(void)state;
	port_up(p, 2, pool);
	assert_int_equal(sl_eth_link_get_nowait(p, &link), 0);
	assert_int_equal(link.link_status, SL_ETH_LINK_UP);
	/* queue 0: 10 frames of 60..69 bytes; queue 1: 6 frames of 1500 */
	for (uint32_t i = 0; i < 10; i++)
		tx[i] = frame(pool, (uint16_t)(60 + i), i);
	assert_int_equal(sl_eth_tx_burst(p, 0, tx, 10), 10);
	for (uint32_t i = 0; i < 6; i++)
		tx[i] = frame(pool, 1500, 100 + i);
	assert_int_equal(sl_eth_tx_burst(p, 1, tx, 6), 6);

	assert_int_equal(sl_eth_rx_burst(p, 1, rx, 64), 6);
	for (uint32_t i = 0; i < 6; i++)
		check_frame(rx[i], 1500, 100 + i, p);
	sl_mbuf_free_bulk(rx, 6);
	assert_int_equal(sl_eth_rx_burst(p, 0, rx, 64), 10);
	for (uint32_t i = 0; i < 10; i++)
		check_frame(rx[i], (uint16_t)(60 + i), i, p);
	sl_mbuf_free_bulk(rx, 10);
	assert_int_equal(sl_eth_rx_burst(p, 0, rx, 64), 0);

	assert_int_equal(sl_eth_stats_get(p, &st), 0);
	assert_int_equal(st.opackets, 16);
	assert_int_equal(st.ipackets, 16);
	assert_int_equal(st.obytes, 645 + 6 * 1500);
	assert_int_equal(st.ibytes, 645 + 6 * 1500);
	assert_int_equal(st.q_opackets[0], 10);
	assert_int_equal(st.q_ipackets[1], 6);
	assert_int_equal(st.q_ibytes[1], 9000);
	assert_int_equal(st.ierrors + st.imissed + st.rx_nombuf + st.oerrors, 0);
	assert_int_equal(sl_eth_stats_reset(p), 0);
	assert_int_equal(sl_eth_stats_get(p, &st), 0);
	assert_int_equal(st.opackets + st.ipackets + st.obytes + st.q_ipackets[1], 0);
	/* Counted again from the reset on. */
	tx[0] = frame(pool, 64, 7);
	assert_int_equal(sl_eth_tx_burst(p, 1, tx, 1), 1);
	assert_int_equal(sl_eth_rx_burst(p, 1, rx, 1), 1);
	sl_mbuf_free(rx[0]);
	assert_int_equal(sl_eth_stats_get(p, &st), 0);
	assert_int_equal(st.q_ipackets[1], 1);
	assert_int_equal(st.q_obytes[1], 64);
	port_down(p);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
}

static void
test_full_loop_and_stop_drains(void **state)
{
	uint16_t p = port_named("net_skeleton1"); /* ring_size=32: 31 frames */
	struct sl_mbuf *tx[40], *rx[64];
	uint16_t sent;

	(void)state;
	port_up_desc(p, 1, pool, 32);
	for (uint32_t i = 0; i < 40; i++)
		tx[i] = frame(pool, 64, i);
	sent = sl_eth_tx_burst(p, 0, tx, 40);
	assert_int_equal(sent, 31);
	/* The caller still owns tx[31..39]. */
	sl_mbuf_free_bulk(tx + sent, 40 - sent);
	assert_int_equal(sl_eth_rx_burst(p, 0, rx, 8), 8);
	for (uint32_t i = 0; i < 8; i++)
		check_frame(rx[i], 64, i, p);
	sl_mbuf_free_bulk(rx, 8);
	/* 23 frames still in flight: stop drops them, without a leak. */
	port_down(p);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
}

static void
test_nombuf_then_delivery(void **state)
{
	uint16_t p = port_named("net_skeleton0");
	struct sl_mempool *tiny;
	struct sl_mbuf *tx[4], *rx[8];
	struct sl_eth_stats st;

	(void)state;
	tiny = sl_mbuf_pool_create("skel_tiny", 3, 0, 0, SL_MBUF_DEFAULT_BUF_SIZE, 0);
	assert_non_null(tiny);
	port_up_desc(p, 1, tiny, 2);
	assert_int_equal(sl_eth_stats_reset(p), 0);
	for (uint32_t i = 0; i < 4; i++)
		tx[i] = frame(pool, 100, 50 + i);
	assert_int_equal(sl_eth_tx_burst(p, 0, tx, 4), 4);
	/* 4 frames, 3 buffers: nothing delivered, counted, nothing lost */
	assert_int_equal(sl_eth_rx_burst(p, 0, rx, 8), 0);
	assert_int_equal(sl_eth_stats_get(p, &st), 0);
	assert_int_equal(st.rx_nombuf, 4);
	assert_int_equal(sl_eth_rx_burst(p, 0, rx, 3), 3);
	for (uint32_t i = 0; i < 3; i++)
		check_frame(rx[i], 100, 50 + i, p);
	sl_mbuf_free_bulk(rx, 3);
	assert_int_equal(sl_eth_rx_burst(p, 0, rx, 8), 1);
	check_frame(rx[0], 100, 53, p);
	sl_mbuf_free(rx[0]);
	port_down(p);
	/* Reconfiguring frees the old queues before the tiny pool goes. */
	port_up(p, 1, pool);
	port_down(p);
	assert_int_equal(sl_mempool_in_use_count(tiny), 0);
	assert_int_equal(sl_mempool_free(tiny), 0);
}

static void
test_too_long_is_an_error(void **state)
{
	uint16_t p = port_named("net_skeleton0");
	struct sl_mempool *small;
	struct sl_mbuf *tx[2], *rx[4];
	struct sl_eth_stats st;

	(void)state;
	/* 256-byte data room after the headroom */
	small = sl_mbuf_pool_create("skel_small", 63, 0, 0, SL_PKTMBUF_HEADROOM + 256, 0);
	assert_non_null(small);
	port_up_desc(p, 1, small, 32);
	assert_int_equal(sl_eth_stats_reset(p), 0);
	tx[0] = frame(pool, 1000, 1);
	tx[1] = frame(pool, 256, 2);
	assert_int_equal(sl_eth_tx_burst(p, 0, tx, 2), 2);
	assert_int_equal(sl_eth_rx_burst(p, 0, rx, 4), 1);
	check_frame(rx[0], 256, 2, p);
	sl_mbuf_free(rx[0]);
	assert_int_equal(sl_eth_stats_get(p, &st), 0);
	assert_int_equal(st.ierrors, 1);
	assert_int_equal(st.q_errors[0], 1);
	assert_int_equal(st.ipackets, 1);
	port_down(p);
	port_up(p, 1, pool);
	port_down(p);
	assert_int_equal(sl_mempool_in_use_count(small), 0);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
	assert_int_equal(sl_mempool_free(small), 0);
}

static void
test_refusals(void **state)
{
	uint16_t p = port_named("net_skeleton0");

	(void)state;
	assert_fails_logged(sl_eth_dev_configure(p, 2, 1, NULL), -EINVAL,
			    "2 RX and 1 TX queues");
	/* Optional ops left out: -ENOTSUP, and the port still works. */
	assert_int_equal(sl_eth_promiscuous_enable(p), -ENOTSUP);
	assert_fails_logged(sl_vdev_init("net_skeleton7", "ring_size=100"), -EINVAL,
			    "use a power of 2");
	assert_fails_logged(sl_vdev_init("net_skeleton7", "rings=4"), -EINVAL, "rings");
	assert_null(sl_vdev_find("net_skeleton7"));
	/* A good one at run time, removed again (closes its port). */
	assert_int_equal(sl_vdev_init("net_skeleton7", "ring_size=64,mac=02:00:00:00:00:07"), 0);
	assert_int_equal(sl_eth_dev_count_avail(), 3);
	assert_int_equal(sl_vdev_uninit("net_skeleton7"), 0);
	assert_int_equal(sl_eth_dev_count_avail(), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loop_bytes_and_stats),
		cmocka_unit_test(test_full_loop_and_stop_drains),
		cmocka_unit_test(test_nombuf_then_delivery),
		cmocka_unit_test(test_too_long_is_an_error),
		cmocka_unit_test(test_refusals),
	};

	return sl_test_exit(cmocka_run_group_tests_name("skeleton", tests, group_setup,
							group_teardown));
}
