/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Built inside the clean chroot against the *installed* libsluice-dev only
 * (pkg-config --cflags --libs libsluice), then run there: a test of the
 * packages, not of the library.  It carries a tiny PMD of its own,
 * net_pkgloop (what TX takes, RX gives back), written against the driver
 * SDK headers, and moves packets from net_null0 (the library's PMD) through
 * it, checking counts and lengths.  Exit 0 when every packet came back.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sl_bus_vdev.h>
#include <sl_eal.h>
#include <sl_ethdev.h>
#include <sl_ethdev_driver.h>
#include <sl_mbuf.h>
#include <sl_mempool.h>

#define BURST 32
#define PKT_SIZE 96
#define NB_DESC 256  /* per RX queue; the two share one pool of POOL_SIZE */
#define POOL_SIZE 2048

/* ---- net_pkgloop: one queue each way; TX parks mbufs, RX returns them ---- */

struct loopq {
	struct sl_mbuf *pkts[BURST];
	uint16_t n;
};

static struct loopq loop;

static uint16_t
loop_rx(void *q, struct sl_mbuf **pkts, uint16_t n)
{
	struct loopq *lq = q;
	uint16_t k = lq->n < n ? lq->n : n;

	memcpy(pkts, lq->pkts, k * sizeof(*pkts));
	memmove(lq->pkts, lq->pkts + k, (lq->n - k) * sizeof(*pkts));
	lq->n = (uint16_t)(lq->n - k);
	return k;
}

static uint16_t
loop_tx(void *q, struct sl_mbuf **pkts, uint16_t n)
{
	struct loopq *lq = q;
	uint16_t k = (uint16_t)(BURST - lq->n) < n ? (uint16_t)(BURST - lq->n) : n;

	memcpy(lq->pkts + lq->n, pkts, k * sizeof(*pkts));
	lq->n = (uint16_t)(lq->n + k);
	return k;
}

static int
loop_infos_get(struct sl_eth_dev *dev, struct sl_eth_dev_info *info)
{
	(void)dev;
	info->driver_name = "net_pkgloop";
	return 0;
}

static int loop_start(struct sl_eth_dev *dev) { (void)dev; return 0; }
static int loop_stop(struct sl_eth_dev *dev) { (void)dev; return 0; }

static int
loop_rxq_setup(struct sl_eth_dev *dev, uint16_t qid, uint16_t nb_desc, int socket_id,
	       const struct sl_eth_rxconf *conf, struct sl_mempool *mp)
{
	(void)nb_desc; (void)socket_id; (void)conf; (void)mp;
	dev->data.rx_queues[qid] = &loop;
	return 0;
}

static int
loop_txq_setup(struct sl_eth_dev *dev, uint16_t qid, uint16_t nb_desc, int socket_id,
	       const struct sl_eth_txconf *conf)
{
	(void)nb_desc; (void)socket_id; (void)conf;
	dev->data.tx_queues[qid] = &loop;
	return 0;
}

static void
loop_q_release(struct sl_eth_dev *dev, uint16_t qid)
{
	(void)dev; (void)qid;
	sl_mbuf_free_bulk(loop.pkts, loop.n);
	loop.n = 0;
}

static const struct sl_eth_dev_ops loop_ops = {
	.dev_infos_get = loop_infos_get,
	.dev_start = loop_start,
	.dev_stop = loop_stop,
	.rx_queue_setup = loop_rxq_setup,
	.tx_queue_setup = loop_txq_setup,
	.rx_queue_release = loop_q_release,
	.tx_queue_release = loop_q_release,
};

static int
loop_probe(struct sl_vdev_device *vdev)
{
	struct sl_eth_dev *dev = sl_eth_dev_allocate(vdev->name);
	int ret;

	if (dev == NULL)
		return -errno;
	dev->dev_ops = &loop_ops;
	dev->rx_pkt_burst = loop_rx;
	dev->tx_pkt_burst = loop_tx;
	dev->device = vdev;
	ret = sl_eth_dev_probing_finish(dev);
	if (ret < 0)
		sl_eth_dev_release(dev);
	return ret;
}

static int
loop_remove(struct sl_vdev_device *vdev)
{
	struct sl_eth_dev *dev = sl_eth_dev_allocated(vdev->name);

	return dev ? sl_eth_dev_close(dev->data.port_id) : 0;
}

static struct sl_vdev_driver loop_driver = {
	.probe = loop_probe,
	.remove = loop_remove,
};

SL_VDEV_DRIVER_REGISTER(net_pkgloop, loop_driver);

/* ---- the application ---- */

static int
port_up(uint16_t port, struct sl_mempool *mp)
{
	int ret = sl_eth_dev_configure(port, 1, 1, NULL);

	if (ret == 0)
		ret = sl_eth_rx_queue_setup(port, 0, NB_DESC, SL_SOCKET_ID_ANY, NULL, mp);
	if (ret == 0)
		ret = sl_eth_tx_queue_setup(port, 0, NB_DESC, SL_SOCKET_ID_ANY, NULL);
	if (ret == 0)
		ret = sl_eth_dev_start(port);
	if (ret < 0)
		fprintf(stderr, "pkg_app: port %u: %s\n", port, strerror(-ret));
	return ret;
}

int
main(int argc, char **argv)
{
	char size_arg[] = "--vdev=net_null0,size=96";
	char *eal_argv[] = { argv[0], "--no-huge", "-l", "0", "--no-pci", size_arg,
			     "--vdev=net_pkgloop0", NULL };
	struct sl_mbuf *pkts[BURST];
	struct sl_mempool *mp;
	uint16_t null_port, loop_port, n, back;
	int ret, bad = 0;

	(void)argc;
	ret = sl_eal_init((int)(sizeof(eal_argv) / sizeof(eal_argv[0])) - 1, eal_argv);
	if (ret < 0) {
		fprintf(stderr, "pkg_app: sl_eal_init: %s\n", strerror(-ret));
		return 1;
	}
	if (sl_eth_dev_count_avail() != 2 ||
	    sl_eth_dev_get_port_by_name("net_null0", &null_port) != 0 ||
	    sl_eth_dev_get_port_by_name("net_pkgloop0", &loop_port) != 0) {
		fprintf(stderr, "pkg_app: expected ports net_null0 and net_pkgloop0, found %u port(s)\n",
			sl_eth_dev_count_avail());
		return 1;
	}
	mp = sl_mbuf_pool_create("pkg_pool", POOL_SIZE, 0, 0, SL_MBUF_DEFAULT_BUF_SIZE, SL_SOCKET_ID_ANY);
	if (mp == NULL) {
		fprintf(stderr, "pkg_app: sl_mbuf_pool_create: %s\n", strerror(errno));
		return 1;
	}
	if (port_up(null_port, mp) < 0 || port_up(loop_port, mp) < 0)
		return 1;

	n = sl_eth_rx_burst(null_port, 0, pkts, BURST);
	back = sl_eth_tx_burst(loop_port, 0, pkts, n);
	if (n != BURST || back != n) {
		fprintf(stderr, "pkg_app: net_null0 gave %u packets, net_pkgloop0 took %u (want %u)\n",
			n, back, BURST);
		return 1;
	}
	memset(pkts, 0, sizeof(pkts));
	back = sl_eth_rx_burst(loop_port, 0, pkts, BURST);
	for (uint16_t i = 0; i < back; i++)
		bad += pkts[i]->pkt_len != PKT_SIZE;
	printf("pkg_app: %u packets of %d bytes through net_pkgloop0, %d of a wrong length\n",
	       back, PKT_SIZE, bad);
	sl_mbuf_free_bulk(pkts, back);
	sl_eth_dev_stop(null_port);
	sl_eth_dev_stop(loop_port);
	sl_eth_dev_close(null_port);
	sl_eth_dev_close(loop_port);
	sl_mempool_free(mp);
	sl_eal_cleanup();
	return back == BURST && bad == 0 ? 0 : 1;
}
