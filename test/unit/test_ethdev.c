/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of lib/ethdev against a fake PMD defined here, whose limits
 * and capabilities are chosen to exercise every check: queue counts,
 * descriptor limits and alignment, mbuf sizes, pool capacity, offloads,
 * RSS, MTU, states (reconfigure while started), the fast-path table, link,
 * stats, xstats, receive modes and MAC.  Every public function is also
 * called with bad port ids.
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

#include "sl_eal.h"
#include "sl_ethdev.h"
#include "sl_ethdev_driver.h"
#include "sl_mbuf.h"
#include "sl_mempool.h"
#include "test_eth_helpers.h"

/* ---- the fake PMD ---- */

#define FAKE_MAX_RXQ 4
#define FAKE_MAX_TXQ 2
#define FAKE_RX_BURST_MAX 4
#define FAKE_PKT_LEN 60

struct fake_q {
	uint16_t qid;
	uint16_t port;
	uint16_t nb_desc;
	struct sl_mempool *mp;
	struct sl_eth_rxconf rxconf;
	struct sl_eth_txconf txconf;
	unsigned int calls;
	uint64_t pkts;
	uint64_t bytes;
};

struct fake_priv {
	unsigned int configure_calls, start_calls, stop_calls, close_calls;
	unsigned int promisc_calls, allmulti_calls, released;
	int fail_start;
	unsigned int mc_calls, mc_nb;   /* set_mc_addr_list: calls, last count */
};

static struct fake_priv fake_priv_store[32];
static unsigned int fake_priv_next;

static int
fake_infos_get(struct sl_eth_dev *dev __sl_unused, struct sl_eth_dev_info *info)
{
	info->driver_name = "net_fake";
	info->max_rx_queues = FAKE_MAX_RXQ;
	info->max_tx_queues = FAKE_MAX_TXQ;
	info->rx_desc_lim = (struct sl_eth_desc_lim){ .nb_max = 4096, .nb_min = 64, .nb_align = 32 };
	info->tx_desc_lim = (struct sl_eth_desc_lim){ .nb_max = 2048, .nb_min = 32, .nb_align = 16 };
	info->min_rx_bufsize = 1024;
	info->min_mtu = 68;
	info->max_mtu = 9000;
	info->rx_offload_capa = SL_ETH_RX_OFFLOAD_VLAN_STRIP | SL_ETH_RX_OFFLOAD_IPV4_CKSUM |
				SL_ETH_RX_OFFLOAD_SCATTER;
	info->tx_offload_capa = SL_ETH_TX_OFFLOAD_IPV4_CKSUM | SL_ETH_TX_OFFLOAD_UDP_CKSUM;
	info->flow_type_rss_offloads = SL_ETH_RSS_IP;
	info->hash_key_size = 40;
	info->default_rxportconf.ring_size = 256;
	info->default_txportconf.ring_size = 128;
	info->default_txconf.tx_free_thresh = 77;
	info->default_rxconf.rx_free_thresh = 33;
	return 0;
}

static int
fake_configure(struct sl_eth_dev *dev)
{
	((struct fake_priv *)dev->data.dev_private)->configure_calls++;
	return 0;
}

static int
fake_start(struct sl_eth_dev *dev)
{
	struct fake_priv *p = dev->data.dev_private;
	struct sl_eth_link l = { .link_speed = SL_ETH_SPEED_NUM_1G,
				 .link_duplex = SL_ETH_LINK_FULL_DUPLEX,
				 .link_autoneg = SL_ETH_LINK_AUTONEG,
				 .link_status = SL_ETH_LINK_UP };

	if (p->fail_start)
		return -EIO;
	p->start_calls++;
	sl_eth_linkstatus_set(dev, &l);
	return 0;
}

static int
fake_stop(struct sl_eth_dev *dev)
{
	struct sl_eth_link l = { 0 };

	((struct fake_priv *)dev->data.dev_private)->stop_calls++;
	sl_eth_linkstatus_set(dev, &l);
	return 0;
}

static int
fake_close(struct sl_eth_dev *dev)
{
	((struct fake_priv *)dev->data.dev_private)->close_calls++;
	return 0;
}

static int
fake_link_update(struct sl_eth_dev *dev __sl_unused, int wait __sl_unused)
{
	return 0;
}

static int
fake_stats_get(struct sl_eth_dev *dev, struct sl_eth_stats *st)
{
	for (uint16_t q = 0; q < dev->data.nb_rx_queues; q++) {
		struct fake_q *fq = dev->data.rx_queues[q];

		if (fq == NULL)
			continue;
		st->ipackets += fq->pkts;
		st->ibytes += fq->bytes;
		st->q_ipackets[q] = fq->pkts;
		st->q_ibytes[q] = fq->bytes;
	}
	for (uint16_t q = 0; q < dev->data.nb_tx_queues; q++) {
		struct fake_q *fq = dev->data.tx_queues[q];

		if (fq == NULL)
			continue;
		st->opackets += fq->pkts;
		st->obytes += fq->bytes;
		st->q_opackets[q] = fq->pkts;
		st->q_obytes[q] = fq->bytes;
	}
	st->imissed = 5;
	return 0;
}

static int
fake_stats_reset(struct sl_eth_dev *dev)
{
	for (uint16_t q = 0; q < dev->data.nb_rx_queues; q++) {
		struct fake_q *fq = dev->data.rx_queues[q];

		if (fq)
			fq->pkts = fq->bytes = 0;
	}
	for (uint16_t q = 0; q < dev->data.nb_tx_queues; q++) {
		struct fake_q *fq = dev->data.tx_queues[q];

		if (fq)
			fq->pkts = fq->bytes = 0;
	}
	return 0;
}

static uint64_t fake_counter = 42;

static int
fake_xstats_get(struct sl_eth_dev *dev __sl_unused, struct sl_eth_xstat *xs, unsigned int n)
{
	if (xs == NULL || n < 1)
		return 1;
	xs[0].value = fake_counter;
	return 1;
}

static int
fake_xstats_get_names(struct sl_eth_dev *dev __sl_unused, struct sl_eth_xstat_name *names,
		      unsigned int n)
{
	if (names == NULL || n < 1)
		return 1;
	snprintf(names[0].name, sizeof(names[0].name), "fake_counter");
	return 1;
}

static int
fake_xstats_reset(struct sl_eth_dev *dev __sl_unused)
{
	fake_counter = 0;
	return 0;
}

static int
fake_promisc(struct sl_eth_dev *dev)
{
	((struct fake_priv *)dev->data.dev_private)->promisc_calls++;
	return 0;
}

static int
fake_allmulti(struct sl_eth_dev *dev)
{
	((struct fake_priv *)dev->data.dev_private)->allmulti_calls++;
	return 0;
}

static int
fake_mac_set(struct sl_eth_dev *dev __sl_unused, const struct sl_ether_addr *mac __sl_unused)
{
	return 0;
}

static int
fake_mc_set(struct sl_eth_dev *dev, const struct sl_ether_addr *mc __sl_unused, uint32_t nb)
{
	struct fake_priv *fp = dev->data.dev_private;

	fp->mc_calls++;
	fp->mc_nb = nb;
	return 0;
}

static int
fake_mtu_set(struct sl_eth_dev *dev __sl_unused, uint16_t mtu __sl_unused)
{
	return 0;
}

static int
fake_rxq_setup(struct sl_eth_dev *dev, uint16_t qid, uint16_t nb_desc, int socket __sl_unused,
	       const struct sl_eth_rxconf *conf, struct sl_mempool *mp)
{
	struct fake_q *q = calloc(1, sizeof(*q));

	if (q == NULL)
		return -ENOMEM;
	q->qid = qid;
	q->port = dev->data.port_id;
	q->nb_desc = nb_desc;
	q->mp = mp;
	q->rxconf = *conf;
	dev->data.rx_queues[qid] = q;
	return 0;
}

static int
fake_txq_setup(struct sl_eth_dev *dev, uint16_t qid, uint16_t nb_desc, int socket __sl_unused,
	       const struct sl_eth_txconf *conf)
{
	struct fake_q *q = calloc(1, sizeof(*q));

	if (q == NULL)
		return -ENOMEM;
	q->qid = qid;
	q->port = dev->data.port_id;
	q->nb_desc = nb_desc;
	q->txconf = *conf;
	dev->data.tx_queues[qid] = q;
	return 0;
}

static void
fake_rxq_release(struct sl_eth_dev *dev, uint16_t qid)
{
	((struct fake_priv *)dev->data.dev_private)->released++;
	free(dev->data.rx_queues[qid]);
}

static void
fake_txq_release(struct sl_eth_dev *dev, uint16_t qid)
{
	((struct fake_priv *)dev->data.dev_private)->released++;
	free(dev->data.tx_queues[qid]);
}

/* RX: up to FAKE_RX_BURST_MAX fresh mbufs of FAKE_PKT_LEN bytes. */
static uint16_t
fake_rx(void *rxq, struct sl_mbuf **pkts, uint16_t n)
{
	struct fake_q *q = rxq;

	q->calls++;
	n = SL_MIN(n, (uint16_t)FAKE_RX_BURST_MAX);
	if (sl_mbuf_alloc_bulk(q->mp, pkts, n) != 0)
		return 0;
	for (uint16_t i = 0; i < n; i++) {
		pkts[i]->data_len = FAKE_PKT_LEN;
		pkts[i]->pkt_len = FAKE_PKT_LEN;
		pkts[i]->port = q->port;
	}
	q->pkts += n;
	q->bytes += (uint64_t)n * FAKE_PKT_LEN;
	return n;
}

/* TX: accepts all but the last packet of a burst, to test partial sends. */
static uint16_t
fake_tx(void *txq, struct sl_mbuf **pkts, uint16_t n)
{
	struct fake_q *q = txq;
	uint16_t take = n > 1 ? (uint16_t)(n - 1) : n;

	q->calls++;
	for (uint16_t i = 0; i < take; i++)
		q->bytes += pkts[i]->pkt_len;
	sl_mbuf_free_bulk(pkts, take);
	q->pkts += take;
	return take;
}

static const struct sl_eth_dev_ops fake_ops = {
	.dev_infos_get = fake_infos_get,
	.dev_configure = fake_configure,
	.dev_start = fake_start,
	.dev_stop = fake_stop,
	.dev_close = fake_close,
	.link_update = fake_link_update,
	.stats_get = fake_stats_get,
	.stats_reset = fake_stats_reset,
	.xstats_get = fake_xstats_get,
	.xstats_get_names = fake_xstats_get_names,
	.xstats_reset = fake_xstats_reset,
	.promiscuous_enable = fake_promisc,
	.promiscuous_disable = fake_promisc,
	.allmulticast_enable = fake_allmulti,
	.allmulticast_disable = fake_allmulti,
	.mac_addr_set = fake_mac_set,
	.mtu_set = fake_mtu_set,
	.rx_queue_setup = fake_rxq_setup,
	.tx_queue_setup = fake_txq_setup,
	.rx_queue_release = fake_rxq_release,
	.tx_queue_release = fake_txq_release,
	.set_mc_addr_list = fake_mc_set,
};

/* Only the required ops: everything optional must give -ENOTSUP. */
static const struct sl_eth_dev_ops minimal_ops = {
	.dev_infos_get = fake_infos_get,
	.dev_start = fake_start,
	.dev_stop = fake_stop,
	.rx_queue_setup = fake_rxq_setup,
	.tx_queue_setup = fake_txq_setup,
	.rx_queue_release = fake_rxq_release,
	.tx_queue_release = fake_txq_release,
};

static uint16_t
fake_create(const char *name, const struct sl_eth_dev_ops *ops)
{
	struct sl_eth_dev *dev = sl_eth_dev_allocate(name);
	struct fake_priv *p;

	assert_non_null(dev);
	assert_true(fake_priv_next < SL_DIM(fake_priv_store));
	p = &fake_priv_store[fake_priv_next++];
	memset(p, 0, sizeof(*p));
	dev->data.dev_private = p;
	dev->data.socket_id = 0;
	dev->data.mac_addr = (struct sl_ether_addr){ { 0x02, 0, 0, 0, 0, 0x42 } };
	dev->dev_ops = ops;
	dev->rx_pkt_burst = fake_rx;
	dev->tx_pkt_burst = fake_tx;
	assert_int_equal(sl_eth_dev_probing_finish(dev), 0);
	return dev->data.port_id;
}

static struct fake_priv *
priv_of(uint16_t port)
{
	return sl_eth_dev_get(port)->data.dev_private;
}

/* ---- fixtures ---- */

static struct sl_mempool *pool;       /* 2048-byte data room, 8191 mbufs */

static int
group_setup(void **state)
{
	(void)state;
	if (th_eal_start("test_ethdev", NULL, NULL) < 0)
		return -1;
	pool = sl_mbuf_pool_create("ethdev_pool", 8191, 32, 0, SL_MBUF_DEFAULT_BUF_SIZE, 0);
	return pool == NULL ? -1 : 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
	sl_mempool_free(pool);
	return sl_eal_cleanup();
}

/* Configure with 2+1 queues, set them up, start. */
static uint16_t
started_port(const char *name)
{
	uint16_t p = fake_create(name, &fake_ops);

	assert_int_equal(sl_eth_dev_configure(p, 2, 1, NULL), 0);
	assert_int_equal(sl_eth_rx_queue_setup(p, 0, 0, SL_SOCKET_ID_ANY, NULL, pool), 0);
	assert_int_equal(sl_eth_rx_queue_setup(p, 1, 0, SL_SOCKET_ID_ANY, NULL, pool), 0);
	assert_int_equal(sl_eth_tx_queue_setup(p, 0, 0, SL_SOCKET_ID_ANY, NULL), 0);
	assert_int_equal(sl_eth_dev_start(p), 0);
	return p;
}

/* ---- tests ---- */

static void
test_registry(void **state)
{
	struct sl_eth_dev *dev, *dup;
	char name[SL_ETH_NAME_MAX_LEN], longname[SL_ETH_NAME_MAX_LEN + 1];
	uint16_t p, id, seen = 0;

	(void)state;
	log_capture();
	errno = 0;
	assert_null(sl_eth_dev_allocate(NULL));
	assert_int_equal(errno, EINVAL);
	memset(longname, 'x', SL_ETH_NAME_MAX_LEN);
	longname[SL_ETH_NAME_MAX_LEN] = '\0';
	assert_null(sl_eth_dev_allocate(longname));
	assert_int_equal(errno, EINVAL);
	log_end();

	dev = sl_eth_dev_allocate("reg0");
	assert_non_null(dev);
	/* Allocated but not probed: invisible to applications. */
	assert_int_equal(sl_eth_dev_is_valid_port(dev->data.port_id), 0);
	assert_int_equal(sl_eth_dev_get_port_by_name("reg0", &id) == -ENODEV, 1);
	assert_ptr_equal(sl_eth_dev_allocated("reg0"), dev);
	assert_ptr_equal(sl_eth_dev_get(dev->data.port_id), dev);
	assert_int_equal(dev->data.mtu, SL_ETHER_MTU);

	log_capture();
	dup = sl_eth_dev_allocate("reg0");
	assert_logged(log_end(), "exists");
	assert_null(dup);
	assert_int_equal(errno, EEXIST);

	/* probing_finish refuses a driver that left required things out. */
	assert_fails_logged(sl_eth_dev_probing_finish(dev), -EINVAL, "dev_ops");
	dev->dev_ops = &minimal_ops;
	assert_fails_logged(sl_eth_dev_probing_finish(dev), -EINVAL, "rx_pkt_burst");
	assert_int_equal(sl_eth_dev_release(dev), 0);
	assert_null(sl_eth_dev_allocated("reg0"));
	assert_int_equal(sl_eth_dev_release(dev), -EINVAL);
	assert_int_equal(sl_eth_dev_release(NULL), -EINVAL);

	p = fake_create("reg1", &fake_ops);
	assert_int_equal(sl_eth_dev_is_valid_port(p), 1);
	assert_int_equal(sl_eth_dev_get_port_by_name("reg1", &id), 0);
	assert_int_equal(id, p);
	assert_int_equal(sl_eth_dev_get_name_by_port(p, name), 0);
	assert_string_equal(name, "reg1");
	assert_int_equal(sl_eth_dev_socket_id(p), 0);
	assert_int_equal(sl_eth_dev_get_port_by_name(NULL, &id), -EINVAL);
	assert_int_equal(sl_eth_dev_get_name_by_port(p, NULL), -EINVAL);
	SL_ETH_FOREACH_DEV(id) {
		assert_int_equal(sl_eth_dev_is_valid_port(id), 1);
		seen++;
	}
	assert_int_equal(seen, sl_eth_dev_count_avail());
	assert_true(seen >= 1);
	assert_int_equal(sl_eth_find_next(SL_MAX_ETHPORTS), SL_MAX_ETHPORTS);

	/* Fill every slot: the next allocation fails with ENOSPC. */
	{
		struct sl_eth_dev *filled[SL_MAX_ETHPORTS];
		unsigned int n = 0;

		for (;;) {
			snprintf(name, sizeof(name), "fill%u", n);
			filled[n] = sl_eth_dev_allocate(name);
			if (filled[n] == NULL)
				break;
			n++;
			assert_true(n <= SL_MAX_ETHPORTS);
		}
		assert_int_equal(errno, ENOSPC);
		while (n-- > 0)
			assert_int_equal(sl_eth_dev_release(filled[n]), 0);
	}
	{
		struct fake_priv *fp = priv_of(p);

		assert_int_equal(sl_eth_dev_close(p), 0);
		assert_int_equal(fp->close_calls, 1);
	}
	assert_int_equal(sl_eth_dev_is_valid_port(p), 0);
	assert_null(sl_eth_dev_get(p));
	assert_int_equal(errno, ENODEV);
}

/* Every public function on a port that does not exist. */
static void
test_bad_port(void **state)
{
	const uint16_t bad[] = { SL_MAX_ETHPORTS, UINT16_MAX, SL_MAX_ETHPORTS - 1 };
	struct sl_eth_dev_info info;
	struct sl_eth_stats st;
	struct sl_eth_link link;
	struct sl_eth_xstat xs[4];
	struct sl_eth_xstat_name xn[4];
	struct sl_ether_addr mac = { { 2, 0, 0, 0, 0, 1 } };
	uint64_t id = 0, val;
	uint16_t mtu;
	char name[SL_ETH_NAME_MAX_LEN];

	(void)state;
	for (unsigned int i = 0; i < SL_DIM(bad); i++) {
		uint16_t p = bad[i];

		if (p < SL_MAX_ETHPORTS && sl_eth_dev_is_valid_port(p))
			continue; /* in use by another test: only out-of-range ids then */
		log_capture();
		assert_int_equal(sl_eth_dev_info_get(p, &info), -ENODEV);
		assert_int_equal(sl_eth_dev_configure(p, 1, 1, NULL), -ENODEV);
		assert_int_equal(sl_eth_rx_queue_setup(p, 0, 0, 0, NULL, pool), -ENODEV);
		assert_int_equal(sl_eth_tx_queue_setup(p, 0, 0, 0, NULL), -ENODEV);
		assert_int_equal(sl_eth_dev_start(p), -ENODEV);
		assert_int_equal(sl_eth_dev_stop(p), -ENODEV);
		assert_int_equal(sl_eth_dev_close(p), -ENODEV);
		assert_int_equal(sl_eth_dev_is_started(p), -ENODEV);
		assert_int_equal(sl_eth_link_get(p, &link), -ENODEV);
		assert_int_equal(sl_eth_link_get_nowait(p, &link), -ENODEV);
		assert_int_equal(sl_eth_stats_get(p, &st), -ENODEV);
		assert_int_equal(sl_eth_stats_reset(p), -ENODEV);
		assert_int_equal(sl_eth_xstats_get_names(p, xn, 4), -ENODEV);
		assert_int_equal(sl_eth_xstats_get(p, xs, 4), -ENODEV);
		assert_int_equal(sl_eth_xstats_get_id_by_name(p, "rx_good_packets", &id), -ENODEV);
		assert_int_equal(sl_eth_xstats_get_by_id(p, &id, &val, 1), -ENODEV);
		assert_int_equal(sl_eth_xstats_reset(p), -ENODEV);
		assert_int_equal(sl_eth_promiscuous_enable(p), -ENODEV);
		assert_int_equal(sl_eth_promiscuous_disable(p), -ENODEV);
		assert_int_equal(sl_eth_promiscuous_get(p), -ENODEV);
		assert_int_equal(sl_eth_allmulticast_enable(p), -ENODEV);
		assert_int_equal(sl_eth_allmulticast_disable(p), -ENODEV);
		assert_int_equal(sl_eth_allmulticast_get(p), -ENODEV);
		assert_int_equal(sl_eth_macaddr_get(p, &mac), -ENODEV);
		assert_int_equal(sl_eth_macaddr_set(p, &mac), -ENODEV);
		assert_int_equal(sl_eth_mtu_get(p, &mtu), -ENODEV);
		assert_int_equal(sl_eth_mtu_set(p, 1500), -ENODEV);
		assert_int_equal(sl_eth_dev_get_name_by_port(p, name), -ENODEV);
		errno = 0;
		assert_int_equal(sl_eth_dev_socket_id(p), SL_SOCKET_ID_ANY);
		assert_int_equal(errno, ENODEV);
		assert_int_equal(sl_eth_dev_is_valid_port(p), 0);
		{
			const char *log = log_end();
			char want[48];

			snprintf(want, sizeof(want), "port %u does not exist", p);
			assert_logged(log, want);
		}
	}
}

static void
test_configure(void **state)
{
	struct sl_eth_conf conf;
	struct sl_eth_dev_info info;
	static const uint8_t key40[40] = { 1 };
	uint16_t p;

	(void)state;
	p = fake_create("cfg0", &fake_ops);
	assert_int_equal(sl_eth_dev_info_get(p, &info), 0);
	assert_string_equal(info.driver_name, "net_fake");
	assert_int_equal(info.nb_rx_queues, 0);
	assert_int_equal(sl_eth_dev_info_get(p, NULL), -EINVAL);

	assert_fails_logged(sl_eth_dev_configure(p, 0, 1, NULL), -EINVAL, "0 RX queues");
	assert_fails_logged(sl_eth_dev_configure(p, 1, 0, NULL), -EINVAL, "0 TX queues");
	assert_fails_logged(sl_eth_dev_configure(p, 5, 1, NULL), -EINVAL, "at most 4");
	assert_fails_logged(sl_eth_dev_configure(p, 1, 3, NULL), -EINVAL, "at most 2");

	memset(&conf, 0, sizeof(conf));
	conf.rxmode.mtu = 9001;
	assert_fails_logged(sl_eth_dev_configure(p, 1, 1, &conf), -EINVAL, "MTU 9001");
	conf.rxmode.mtu = 67;
	assert_fails_logged(sl_eth_dev_configure(p, 1, 1, &conf), -EINVAL, "68..9000");
	conf.rxmode.mtu = 0;
	conf.rxmode.offloads = SL_ETH_RX_OFFLOAD_TCP_CKSUM | SL_ETH_RX_OFFLOAD_VLAN_STRIP;
	assert_fails_logged(sl_eth_dev_configure(p, 1, 1, &conf), -EINVAL, "tcp_cksum");
	conf.rxmode.offloads = SL_ETH_RX_OFFLOAD_VLAN_STRIP;
	conf.txmode.offloads = SL_ETH_TX_OFFLOAD_VLAN_INSERT;
	assert_fails_logged(sl_eth_dev_configure(p, 1, 1, &conf), -EINVAL, "vlan_insert");
	conf.txmode.offloads = SL_ETH_TX_OFFLOAD_UDP_CKSUM;
	conf.rxmode.mq_mode = SL_ETH_MQ_RX_RSS;
	conf.rx_adv_conf.rss_conf.rss_hf = SL_ETH_RSS_TCP;
	assert_fails_logged(sl_eth_dev_configure(p, 2, 1, &conf), -EINVAL, "RSS hash types");
	conf.rx_adv_conf.rss_conf.rss_hf = SL_ETH_RSS_IPV4;
	conf.rx_adv_conf.rss_conf.rss_key = key40;
	conf.rx_adv_conf.rss_conf.rss_key_len = 16;
	assert_fails_logged(sl_eth_dev_configure(p, 2, 1, &conf), -EINVAL, "needs 40");
	/* Nothing was applied by the refused calls. */
	assert_int_equal(priv_of(p)->configure_calls, 0);
	assert_int_equal(sl_eth_dev_start(p), -EINVAL);

	conf.rx_adv_conf.rss_conf.rss_key_len = 40;
	assert_int_equal(sl_eth_dev_configure(p, 2, 1, &conf), 0);
	assert_int_equal(priv_of(p)->configure_calls, 1);
	/* ethdev keeps no pointer to the application's key. */
	assert_null(sl_eth_dev_get(p)->data.dev_conf.rx_adv_conf.rss_conf.rss_key);
	/* RSS types but no RSS ops, no RETA: the RSS calls and queue
	 * start/stop say the driver cannot, after the queue id check. */
	{
		struct sl_eth_rss_reta_entry64 g[2] = { { 0 } };
		struct sl_eth_rss_conf rc = { .rss_hf = SL_ETH_RSS_IPV4 };

		assert_fails_logged(sl_eth_dev_rss_hash_update(p, &rc), -ENOTSUP, "has no RSS");
		assert_fails_logged(sl_eth_dev_rss_hash_conf_get(p, &rc, NULL, 0), -ENOTSUP,
				    "has no RSS");
		assert_fails_logged(sl_eth_dev_rss_reta_query(p, g, 128), -ENOTSUP, "has no RSS");
		assert_fails_logged(sl_eth_dev_rx_queue_start(p, 2), -EINVAL, "2 RX queues (ids 0..1)");
		assert_fails_logged(sl_eth_dev_tx_queue_stop(p, 0), -ENOTSUP, "single TX queues");
	}
	assert_int_equal(sl_eth_dev_info_get(p, &info), 0);
	assert_int_equal(info.nb_rx_queues, 2);
	assert_int_equal(info.nb_tx_queues, 1);
	{
		uint16_t mtu;

		assert_int_equal(sl_eth_mtu_get(p, &mtu), 0);
		assert_int_equal(mtu, SL_ETHER_MTU);
	}
	/* Reconfigure while stopped: allowed, queues dropped. */
	assert_int_equal(sl_eth_rx_queue_setup(p, 0, 0, 0, NULL, pool), 0);
	assert_int_equal(sl_eth_dev_configure(p, 1, 1, NULL), 0);
	assert_int_equal(priv_of(p)->released, 1);
	assert_int_equal(sl_eth_rx_queue_setup(p, 0, 0, 0, NULL, pool), 0);
	assert_int_equal(sl_eth_tx_queue_setup(p, 0, 0, 0, NULL), 0);
	assert_int_equal(sl_eth_dev_start(p), 0);
	/* Reconfigure while started: refused. */
	assert_fails_logged(sl_eth_dev_configure(p, 1, 1, NULL), -EBUSY, "sl_eth_dev_stop");
	assert_int_equal(sl_eth_dev_is_started(p), 1);
	assert_int_equal(sl_eth_dev_close(p), 0);
}

static void
test_queue_setup(void **state)
{
	struct sl_mempool *small_mbufs, *tiny_pool, *plain;
	struct sl_eth_rxconf rxc = { .rx_free_thresh = 9 };
	struct fake_q *q;
	uint16_t p;

	(void)state;
	p = fake_create("qs0", &fake_ops);
	assert_fails_logged(sl_eth_rx_queue_setup(p, 0, 128, 0, NULL, pool), -EINVAL,
			    "sl_eth_dev_configure");
	assert_fails_logged(sl_eth_tx_queue_setup(p, 0, 128, 0, NULL), -EINVAL,
			    "sl_eth_dev_configure");
	assert_int_equal(sl_eth_dev_configure(p, 3, 2, NULL), 0);

	assert_fails_logged(sl_eth_rx_queue_setup(p, 3, 128, 0, NULL, pool), -EINVAL,
			    "ids 0..2");
	assert_fails_logged(sl_eth_tx_queue_setup(p, 2, 128, 0, NULL), -EINVAL, "ids 0..1");
	assert_fails_logged(sl_eth_rx_queue_setup(p, 0, 32, 0, NULL, pool), -EINVAL,
			    "64..4096 in multiples of 32");
	assert_fails_logged(sl_eth_rx_queue_setup(p, 0, 4128, 0, NULL, pool), -EINVAL, "4128");
	assert_fails_logged(sl_eth_rx_queue_setup(p, 0, 100, 0, NULL, pool), -EINVAL,
			    "multiples of 32");
	assert_fails_logged(sl_eth_tx_queue_setup(p, 0, 24, 0, NULL), -EINVAL,
			    "32..2048 in multiples of 16");
	assert_fails_logged(sl_eth_tx_queue_setup(p, 0, 40, 0, NULL), -EINVAL, "40");
	assert_fails_logged(sl_eth_rx_queue_setup(p, 0, 128, 0, NULL, NULL), -EINVAL,
			    "mempool is NULL");

	plain = sl_mempool_create("plain", 511, 64, 0, 0, NULL, NULL, NULL, NULL, 0, 0);
	assert_non_null(plain);
	assert_fails_logged(sl_eth_rx_queue_setup(p, 0, 128, 0, NULL, plain), -EINVAL,
			    "not an mbuf pool");
	sl_mempool_free(plain);

	/* 512-byte data rooms: 384 usable < min_rx_bufsize 1024. */
	small_mbufs = sl_mbuf_pool_create("small_mbufs", 1023, 0, 0, 512, 0);
	assert_non_null(small_mbufs);
	assert_fails_logged(sl_eth_rx_queue_setup(p, 0, 128, 0, NULL, small_mbufs), -EINVAL,
			    "at least 1024");

	/* A pool too small for the queues: clear error naming the pool and the need. */
	tiny_pool = sl_mbuf_pool_create("tiny_pool", 200, 0, 0, SL_MBUF_DEFAULT_BUF_SIZE, 0);
	assert_non_null(tiny_pool);
	assert_fails_logged(sl_eth_rx_queue_setup(p, 0, 256, 0, NULL, tiny_pool), -ENOSPC,
			    "pool 'tiny_pool' has 200 mbufs");
	assert_int_equal(sl_eth_rx_queue_setup(p, 0, 128, 0, NULL, tiny_pool), 0);
	/* A second queue on it: 128 + 64 = 192 < 200 fits; then 256 does not. */
	assert_int_equal(sl_eth_rx_queue_setup(p, 1, 64, 0, NULL, tiny_pool), 0);
	assert_fails_logged(sl_eth_rx_queue_setup(p, 2, 64, 0, NULL, tiny_pool), -ENOSPC,
			    "more than 256");
	/* Replacing queue 1 does not count its old ring twice. */
	assert_int_equal(sl_eth_rx_queue_setup(p, 1, 64, 0, NULL, tiny_pool), 0);

	/* nb_desc 0 takes the driver's suggestion; NULL conf the default conf. */
	assert_int_equal(sl_eth_rx_queue_setup(p, 2, 0, 0, NULL, pool), 0);
	q = sl_eth_dev_get(p)->data.rx_queues[2];
	assert_int_equal(q->nb_desc, 256);
	assert_int_equal(q->rxconf.rx_free_thresh, 33);
	assert_int_equal(sl_eth_rx_queue_setup(p, 2, 64, 0, &rxc, pool), 0);
	q = sl_eth_dev_get(p)->data.rx_queues[2];
	assert_int_equal(q->nb_desc, 64);
	assert_int_equal(q->rxconf.rx_free_thresh, 9);
	rxc.offloads = SL_ETH_RX_OFFLOAD_RSS_HASH;
	assert_fails_logged(sl_eth_rx_queue_setup(p, 2, 64, 0, &rxc, pool), -EINVAL, "rss_hash");

	assert_int_equal(sl_eth_tx_queue_setup(p, 0, 0, 0, NULL), 0);
	q = sl_eth_dev_get(p)->data.tx_queues[0];
	assert_int_equal(q->nb_desc, 128);
	assert_int_equal(q->txconf.tx_free_thresh, 77);
	assert_int_equal(sl_eth_dev_start(p), -EINVAL); /* TX queue 1 missing */
	assert_int_equal(sl_eth_tx_queue_setup(p, 1, 2048, 0, NULL), 0);
	assert_int_equal(sl_eth_dev_start(p), 0);
	assert_fails_logged(sl_eth_rx_queue_setup(p, 0, 128, 0, NULL, pool), -EBUSY, "stop it first");
	assert_fails_logged(sl_eth_tx_queue_setup(p, 0, 128, 0, NULL), -EBUSY, "stop it first");
	assert_int_equal(sl_eth_dev_close(p), 0);
	assert_int_equal(sl_mempool_free(small_mbufs), 0);
	assert_int_equal(sl_mempool_free(tiny_pool), 0);
}

/* Pool capacity is also checked across ports sharing one pool. */
static void
test_pool_shared_by_ports(void **state)
{
	struct sl_mempool *mp;
	uint16_t a, b;

	(void)state;
	mp = sl_mbuf_pool_create("shared_pool", 300, 0, 0, SL_MBUF_DEFAULT_BUF_SIZE, 0);
	assert_non_null(mp);
	a = fake_create("shr0", &fake_ops);
	b = fake_create("shr1", &fake_ops);
	assert_int_equal(sl_eth_dev_configure(a, 1, 1, NULL), 0);
	assert_int_equal(sl_eth_dev_configure(b, 1, 1, NULL), 0);
	assert_int_equal(sl_eth_rx_queue_setup(a, 0, 256, 0, NULL, mp), 0);
	assert_fails_logged(sl_eth_rx_queue_setup(b, 0, 64, 0, NULL, mp), -ENOSPC,
			    "2 RX queue(s) using it hold up to 320");
	assert_int_equal(sl_eth_dev_close(a), 0);
	/* Port a's queue is gone: b fits now. */
	assert_int_equal(sl_eth_rx_queue_setup(b, 0, 64, 0, NULL, mp), 0);
	assert_int_equal(sl_eth_dev_close(b), 0);
	assert_int_equal(sl_mempool_free(mp), 0);
}

static void
test_start_stop_fastpath(void **state)
{
	struct sl_mbuf *pkts[8];
	struct fake_q *rq0, *rq1, *tq0;
	struct fake_priv *fp;
	uint16_t p, n;

	(void)state;
	p = fake_create("ss0", &fake_ops);
	fp = priv_of(p);
	assert_fails_logged(sl_eth_dev_start(p), -EINVAL, "not configured");
	assert_int_equal(sl_eth_dev_configure(p, 2, 1, NULL), 0);
	assert_int_equal(sl_eth_rx_queue_setup(p, 0, 0, 0, NULL, pool), 0);
	assert_int_equal(sl_eth_tx_queue_setup(p, 0, 0, 0, NULL), 0);
	assert_fails_logged(sl_eth_dev_start(p), -EINVAL, "RX queue 1 is not set up");
	assert_int_equal(sl_eth_rx_queue_setup(p, 1, 0, 0, NULL, pool), 0);
	/* Stopped: bursts go to the dummies, the driver is not called. */
	assert_int_equal(sl_eth_rx_burst(p, 0, pkts, 8), 0);
	assert_int_equal(sl_eth_tx_burst(p, 0, pkts, 8), 0);
	rq0 = sl_eth_dev_get(p)->data.rx_queues[0];
	rq1 = sl_eth_dev_get(p)->data.rx_queues[1];
	tq0 = sl_eth_dev_get(p)->data.tx_queues[0];
	assert_int_equal(rq0->calls + rq1->calls + tq0->calls, 0);

	fp->fail_start = 1;
	assert_fails_logged(sl_eth_dev_start(p), -EIO, "failed to start");
	assert_int_equal(sl_eth_dev_is_started(p), 0);
	assert_int_equal(sl_eth_rx_burst(p, 0, pkts, 8), 0);
	fp->fail_start = 0;

	assert_int_equal(sl_eth_dev_is_started(p), 0);
	assert_int_equal(sl_eth_dev_start(p), 0);
	assert_int_equal(sl_eth_dev_is_started(p), 1);
	assert_int_equal(sl_eth_dev_start(p), 0); /* idempotent */
	assert_int_equal(fp->start_calls, 1);

	/* The fast-path table routes each queue id to that queue's data. */
	n = sl_eth_rx_burst(p, 1, pkts, 8);
	assert_int_equal(n, FAKE_RX_BURST_MAX);
	assert_int_equal(rq1->calls, 1);
	assert_int_equal(rq0->calls, 0);
	for (uint16_t i = 0; i < n; i++) {
		assert_int_equal(pkts[i]->port, p);
		assert_int_equal(pkts[i]->pkt_len, FAKE_PKT_LEN);
	}
	/* Partial send: the driver takes n-1, the caller keeps the last one. */
	assert_int_equal(sl_eth_tx_burst(p, 0, pkts, n), n - 1);
	assert_int_equal(tq0->calls, 1);
	sl_mbuf_free(pkts[n - 1]);
	assert_int_equal(sl_eth_rx_burst(p, 0, pkts, 2), 2);
	assert_int_equal(rq0->calls, 1);
	sl_mbuf_free_bulk(pkts, 2);

	assert_int_equal(sl_eth_dev_stop(p), 0);
	assert_int_equal(fp->stop_calls, 1);
	assert_int_equal(sl_eth_dev_stop(p), 0);
	assert_int_equal(fp->stop_calls, 1);
	assert_int_equal(sl_eth_rx_burst(p, 1, pkts, 8), 0);
	assert_int_equal(rq1->calls, 1);

	/* Restart, then close a started port: stop, release all queues, close. */
	assert_int_equal(sl_eth_dev_start(p), 0);
	assert_int_equal(sl_eth_dev_close(p), 0);
	assert_int_equal(fp->stop_calls, 2);
	assert_int_equal(fp->released, 3);
	assert_int_equal(fp->close_calls, 1);
	assert_int_equal(sl_eth_rx_burst(p, 0, pkts, 8), 0);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
}

static void
test_link(void **state)
{
	struct sl_eth_link link, l2;
	char buf[SL_ETH_LINK_MAX_STR_LEN];
	uint16_t p;

	(void)state;
	p = fake_create("lnk0", &fake_ops);
	assert_int_equal(sl_eth_link_get_nowait(p, &link), 0);
	assert_int_equal(link.link_status, SL_ETH_LINK_DOWN);
	assert_int_equal(sl_eth_link_to_str(buf, sizeof(buf), &link) > 0, 1);
	assert_string_equal(buf, "Link down");
	assert_int_equal(sl_eth_link_get(p, NULL), -EINVAL);
	sl_eth_dev_close(p);
	p = started_port("lnk1");
	assert_int_equal(sl_eth_link_get(p, &link), 0);
	assert_int_equal(link.link_status, SL_ETH_LINK_UP);
	assert_int_equal(link.link_speed, SL_ETH_SPEED_NUM_1G);
	sl_eth_link_to_str(buf, sizeof(buf), &link);
	assert_string_equal(buf, "Link up at 1 Gbps FDX Autoneg");
	assert_int_equal(sl_eth_link_to_str(NULL, 4, &link), -EINVAL);
	assert_string_equal(sl_eth_link_speed_to_str(SL_ETH_SPEED_NUM_10G), "10 Gbps");
	assert_string_equal(sl_eth_link_speed_to_str(SL_ETH_SPEED_NUM_UNKNOWN), "Unknown");
	assert_string_equal(sl_eth_link_speed_to_str(SL_ETH_SPEED_NUM_NONE), "None");
	/* linkstatus_set reports changes only. */
	l2 = link;
	assert_int_equal(sl_eth_linkstatus_set(sl_eth_dev_get(p), &l2), 0);
	l2.link_speed = SL_ETH_SPEED_NUM_100M;
	assert_int_equal(sl_eth_linkstatus_set(sl_eth_dev_get(p), &l2), 1);
	sl_eth_linkstatus_get(sl_eth_dev_get(p), &link);
	assert_int_equal(link.link_speed, SL_ETH_SPEED_NUM_100M);
	assert_int_equal(sl_eth_dev_stop(p), 0);
	assert_int_equal(sl_eth_link_get_nowait(p, &link), 0);
	assert_int_equal(link.link_status, SL_ETH_LINK_DOWN);
	sl_eth_dev_close(p);
}

static void
test_stats_xstats(void **state)
{
	struct sl_eth_stats st;
	struct sl_mbuf *pkts[8];
	struct sl_eth_xstat_name *names;
	struct sl_eth_xstat *xs;
	uint64_t id, ids[3], vals[3];
	int n;
	uint16_t p, m;

	(void)state;
	p = started_port("st0");
	assert_int_equal(sl_eth_rx_burst(p, 0, pkts, 8), 4);
	assert_int_equal(sl_eth_tx_burst(p, 0, pkts, 4), 3);
	sl_mbuf_free(pkts[3]);
	assert_int_equal(sl_eth_rx_burst(p, 1, pkts, 2), 2);
	sl_mbuf_free_bulk(pkts, 2);
	sl_eth_dev_get(p)->data.rx_mbuf_alloc_failed = 7;

	assert_int_equal(sl_eth_stats_get(p, NULL), -EINVAL);
	assert_int_equal(sl_eth_stats_get(p, &st), 0);
	assert_int_equal(st.ipackets, 6);
	assert_int_equal(st.ibytes, 6 * FAKE_PKT_LEN);
	assert_int_equal(st.opackets, 3);
	assert_int_equal(st.obytes, 3 * FAKE_PKT_LEN);
	assert_int_equal(st.q_ipackets[0], 4);
	assert_int_equal(st.q_ipackets[1], 2);
	assert_int_equal(st.q_opackets[0], 3);
	assert_int_equal(st.rx_nombuf, 7); /* counted by ethdev for the driver */
	assert_int_equal(st.imissed, 5);

	/* xstats: 8 generic + 3 per RX queue (2) + 2 per TX queue (1) + 1 driver. */
	n = sl_eth_xstats_get_names(p, NULL, 0);
	assert_int_equal(n, 8 + 6 + 2 + 1);
	names = calloc((size_t)n, sizeof(*names));
	xs = calloc((size_t)n, sizeof(*xs));
	assert_int_equal(sl_eth_xstats_get_names(p, names, (unsigned int)n - 1), n);
	assert_string_equal(names[0].name, ""); /* too small: nothing written */
	assert_int_equal(sl_eth_xstats_get(p, xs, (unsigned int)n - 1), n);
	assert_int_equal(xs[0].value, 0);
	assert_int_equal(sl_eth_xstats_get_names(p, names, (unsigned int)n), n);
	assert_int_equal(sl_eth_xstats_get(p, xs, (unsigned int)n), n);
	for (int i = 0; i < n; i++)
		assert_int_equal(xs[i].id, i);
	assert_string_equal(names[0].name, "rx_good_packets");
	assert_int_equal(xs[0].value, 6);
	assert_string_equal(names[7].name, "rx_mbuf_allocation_errors");
	assert_int_equal(xs[7].value, 7);
	assert_string_equal(names[8].name, "rx_q0_packets");
	assert_int_equal(xs[8].value, 4);
	assert_string_equal(names[11].name, "rx_q1_packets");
	assert_int_equal(xs[11].value, 2);
	assert_string_equal(names[15].name, "tx_q0_bytes");
	assert_int_equal(xs[15].value, 3 * FAKE_PKT_LEN);
	assert_string_equal(names[16].name, "fake_counter");
	assert_int_equal(xs[16].value, 42);

	assert_int_equal(sl_eth_xstats_get_id_by_name(p, "tx_good_packets", &id), 0);
	assert_int_equal(id, 1);
	assert_fails_logged(sl_eth_xstats_get_id_by_name(p, "no_such_stat", &id), -ENOENT,
			    "'no_such_stat'");
	assert_int_equal(sl_eth_xstats_get_id_by_name(p, NULL, &id), -EINVAL);
	ids[0] = 16;
	ids[1] = 0;
	ids[2] = 11;
	assert_int_equal(sl_eth_xstats_get_by_id(p, ids, vals, 3), 3);
	assert_int_equal(vals[0], 42);
	assert_int_equal(vals[1], 6);
	assert_int_equal(vals[2], 2);
	ids[1] = 17;
	assert_fails_logged(sl_eth_xstats_get_by_id(p, ids, vals, 3), -EINVAL, "id 17");

	assert_int_equal(sl_eth_xstats_reset(p), 0);
	assert_int_equal(sl_eth_xstats_get(p, xs, (unsigned int)n), n);
	assert_int_equal(xs[0].value, 0);
	assert_int_equal(xs[7].value, 0);
	assert_int_equal(xs[16].value, 0);
	assert_int_equal(sl_eth_rx_burst(p, 0, pkts, 1), 1);
	sl_mbuf_free(pkts[0]);
	assert_int_equal(sl_eth_stats_reset(p), 0);
	assert_int_equal(sl_eth_stats_get(p, &st), 0);
	assert_int_equal(st.ipackets, 0);
	assert_int_equal(st.q_ipackets[0], 0);
	free(names);
	free(xs);
	sl_eth_dev_close(p);

	/* A driver without statistics ops. */
	m = fake_create("st1", &minimal_ops);
	assert_fails_logged(sl_eth_stats_get(m, &st), -ENOTSUP, "no statistics");
	assert_fails_logged(sl_eth_stats_reset(m), -ENOTSUP, "cannot reset");
	assert_int_equal(sl_eth_xstats_get_names(m, NULL, 0), 0);
	assert_int_equal(sl_eth_xstats_reset(m), -ENOTSUP);
	sl_eth_dev_close(m);
}

static void
test_modes_mac_mtu(void **state)
{
	struct sl_ether_addr mac, mc = { { 0x01, 0, 0x5e, 0, 0, 1 } }, zero = { { 0 } };
	struct sl_ether_addr good = { { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 } };
	struct fake_priv *fp;
	uint16_t p, m, mtu;

	(void)state;
	p = fake_create("mode0", &fake_ops);
	fp = priv_of(p);
	assert_int_equal(sl_eth_promiscuous_get(p), 0);
	assert_int_equal(sl_eth_promiscuous_enable(p), 0);
	assert_int_equal(sl_eth_promiscuous_get(p), 1);
	assert_int_equal(sl_eth_promiscuous_enable(p), 0); /* no change, no driver call */
	assert_int_equal(fp->promisc_calls, 1);
	assert_int_equal(sl_eth_promiscuous_disable(p), 0);
	assert_int_equal(sl_eth_promiscuous_get(p), 0);
	assert_int_equal(fp->promisc_calls, 2);
	assert_int_equal(sl_eth_allmulticast_get(p), 0);
	assert_int_equal(sl_eth_allmulticast_enable(p), 0);
	assert_int_equal(sl_eth_allmulticast_get(p), 1);
	assert_int_equal(sl_eth_allmulticast_disable(p), 0);
	assert_int_equal(sl_eth_allmulticast_get(p), 0);
	assert_int_equal(fp->allmulti_calls, 2);

	assert_int_equal(sl_eth_macaddr_get(p, &mac), 0);
	assert_int_equal(mac.addr_bytes[5], 0x42);
	assert_int_equal(sl_eth_macaddr_get(p, NULL), -EINVAL);
	assert_fails_logged(sl_eth_macaddr_set(p, &mc), -EINVAL, "01:00:5e:00:00:01");
	assert_fails_logged(sl_eth_macaddr_set(p, &zero), -EINVAL, "all zero");
	assert_int_equal(sl_eth_macaddr_set(p, NULL), -EINVAL);
	assert_int_equal(sl_eth_macaddr_set(p, &good), 0);
	assert_int_equal(sl_eth_macaddr_get(p, &mac), 0);
	assert_true(sl_ether_addr_is_equal(&mac, &good));

	assert_int_equal(sl_eth_mtu_get(p, NULL), -EINVAL);
	assert_fails_logged(sl_eth_mtu_set(p, 9001), -EINVAL, "68..9000");
	assert_fails_logged(sl_eth_mtu_set(p, 20), -EINVAL, "MTU 20");
	assert_int_equal(sl_eth_mtu_set(p, 1400), 0);
	assert_int_equal(sl_eth_mtu_get(p, &mtu), 0);
	assert_int_equal(mtu, 1400);
	/* With an RX queue of 2048-byte mbufs and no scatter, 9000 cannot fit. */
	assert_int_equal(sl_eth_dev_configure(p, 1, 1, NULL), 0);
	assert_int_equal(sl_eth_rx_queue_setup(p, 0, 0, 0, NULL, pool), 0);
	assert_fails_logged(sl_eth_mtu_set(p, 9000), -EINVAL, "enable scatter");
	assert_int_equal(sl_eth_mtu_set(p, 2000), 0);
	sl_eth_dev_close(p);

	m = fake_create("mode1", &minimal_ops);
	/* A driver without the mode is not a port error: -ENOTSUP, no ERR
	 * line (testpmd reports it once itself). */
	{
		const char *log;

		log_capture();
		assert_int_equal(sl_eth_promiscuous_enable(m), -ENOTSUP);
		log = log_end();
		assert_null(strstr(log, "ERR"));
	}
	assert_int_equal(sl_eth_promiscuous_get(m), 0);
	assert_int_equal(sl_eth_allmulticast_enable(m), -ENOTSUP);
	assert_fails_logged(sl_eth_macaddr_set(m, &good), -ENOTSUP, "MAC");
	assert_fails_logged(sl_eth_mtu_set(m, 1000), -ENOTSUP, "MTU");
	/* Link get without link_update reports the stored state. */
	{
		struct sl_eth_link l;

		assert_int_equal(sl_eth_link_get(m, &l), 0);
		assert_int_equal(l.link_status, SL_ETH_LINK_DOWN);
	}
	sl_eth_dev_close(m);
}

/* sl_eth_dev_set_mc_addr_list(): arguments checked before the driver. */
static void
test_mc_addr_list(void **state)
{
	static struct sl_ether_addr list[SL_ETH_MC_ADDR_MAX + 1];
	struct sl_ether_addr uc = { { 0x02, 0, 0, 0, 0, 1 } };
	struct sl_ether_addr bc = { { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };
	struct fake_priv *fp;
	uint16_t p, m;

	(void)state;
	for (unsigned int i = 0; i <= SL_ETH_MC_ADDR_MAX; i++)
		list[i] = (struct sl_ether_addr){ { 0x01, 0x00, 0x5e, 0, (uint8_t)(i >> 8),
						    (uint8_t)i } };
	p = fake_create("mc0", &fake_ops);
	fp = priv_of(p);
	assert_int_equal(sl_eth_dev_set_mc_addr_list(p, list, 3), 0);
	assert_int_equal(fp->mc_calls, 1);
	assert_int_equal(fp->mc_nb, 3);
	assert_int_equal(sl_eth_dev_set_mc_addr_list(p, NULL, 0), 0); /* empty: clear */
	assert_int_equal(fp->mc_nb, 0);
	assert_fails_logged(sl_eth_dev_set_mc_addr_list(p, list, SL_ETH_MC_ADDR_MAX + 1),
			    -EINVAL, "at most 128");
	assert_fails_logged(sl_eth_dev_set_mc_addr_list(p, NULL, 2), -EINVAL, "NULL");
	list[1] = uc;
	assert_fails_logged(sl_eth_dev_set_mc_addr_list(p, list, 2), -EINVAL,
			    "entry 1 (02:00:00:00:00:01)");
	list[1] = bc;
	assert_fails_logged(sl_eth_dev_set_mc_addr_list(p, list, 2), -EINVAL, "not a multicast");
	assert_int_equal(fp->mc_calls, 2); /* refused lists never reach the driver */
	assert_int_equal(sl_eth_dev_set_mc_addr_list(UINT16_MAX, list, 1), -ENODEV);
	sl_eth_dev_close(p);

	m = fake_create("mc1", &minimal_ops);
	assert_fails_logged(sl_eth_dev_set_mc_addr_list(m, list, 1), -ENOTSUP, "no multicast filter");
	sl_eth_dev_close(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_bad_port),
		cmocka_unit_test(test_configure),
		cmocka_unit_test(test_queue_setup),
		cmocka_unit_test(test_pool_shared_by_ports),
		cmocka_unit_test(test_start_stop_fastpath),
		cmocka_unit_test(test_link),
		cmocka_unit_test(test_stats_xstats),
		cmocka_unit_test(test_modes_mac_mtu),
		cmocka_unit_test(test_mc_addr_list),
	};
	int ret = cmocka_run_group_tests_name("ethdev", tests, group_setup, group_teardown);

	log_free();
	return sl_test_exit(ret);
}
