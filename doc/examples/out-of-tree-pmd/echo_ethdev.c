/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_echo control path: probe with kvargs, the ops, registration.
 *   --vdev net_echo0[,queues=<1..16>][,size=<2..65536, power of 2>]
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sl_bus_vdev.h>
#include <sl_eal.h>
#include <sl_kvargs.h>
#include <sl_log.h>
#include <sl_malloc.h>
#include <sl_mbuf.h>
#include <sl_ring.h>

#include "echo.h"

/* This shared object is a PMD plugin for this ABI: `-d` refuses one without. */
SL_PMD_PLUGIN();

static int
echo_infos_get(struct sl_eth_dev *dev, struct sl_eth_dev_info *info)
{
	const struct echo_private *priv = (const struct echo_private *)dev->data.dev_private;

	info->driver_name = "net_echo";
	info->max_rx_queues = (uint16_t)priv->nb_rings;
	info->max_tx_queues = (uint16_t)priv->nb_rings;
	info->max_mtu = 9000;
	return 0;
}

static int
echo_start(struct sl_eth_dev *dev)
{
	struct sl_eth_link link;

	memset(&link, 0, sizeof(link));
	link.link_speed = SL_ETH_SPEED_NUM_10G;
	link.link_duplex = SL_ETH_LINK_FULL_DUPLEX;
	link.link_status = SL_ETH_LINK_UP;
	sl_eth_linkstatus_set(dev, &link);
	return 0;
}

/* Free whatever is still on the rings: nothing may leak from the pool. */
static void
echo_drain(struct echo_private *priv)
{
	struct sl_mbuf *m[32];
	unsigned int n;

	for (unsigned int q = 0; q < priv->nb_rings; q++)
		while ((n = sl_ring_dequeue_burst(priv->rings[q], (void **)m, 32, NULL)) > 0)
			sl_mbuf_free_bulk(m, n);
}

static int
echo_stop(struct sl_eth_dev *dev)
{
	struct sl_eth_link down;

	memset(&down, 0, sizeof(down));
	echo_drain((struct echo_private *)dev->data.dev_private);
	sl_eth_linkstatus_set(dev, &down);
	return 0;
}

static int
echo_close(struct sl_eth_dev *dev)
{
	struct echo_private *priv = (struct echo_private *)dev->data.dev_private;

	echo_drain(priv);
	for (unsigned int q = 0; q < priv->nb_rings; q++)
		sl_ring_free(priv->rings[q]);
	sl_free(priv);
	dev->data.dev_private = NULL;
	return 0;
}

static int
echo_stats_get(struct sl_eth_dev *dev, struct sl_eth_stats *st)
{
	return sl_eth_queue_stats_sum(dev, st, offsetof(struct echo_rxq, stats),
				      offsetof(struct echo_txq, stats));
}

static int
echo_stats_reset(struct sl_eth_dev *dev)
{
	return sl_eth_queue_stats_reset(dev, offsetof(struct echo_rxq, stats),
					offsetof(struct echo_txq, stats));
}

static int
echo_rx_queue_setup(struct sl_eth_dev *dev, uint16_t queue_id, uint16_t nb_desc,
		    int socket_id, const struct sl_eth_rxconf *conf, struct sl_mempool *mp)
{
	struct echo_private *priv = (struct echo_private *)dev->data.dev_private;
	struct echo_rxq *rxq;

	(void)nb_desc; (void)conf; (void)mp; /* a loop has no descriptors to fill */
	rxq = (struct echo_rxq *)sl_zmalloc_socket("echo_rxq", sizeof(*rxq),
						   SL_CACHE_LINE_SIZE, socket_id);
	if (rxq == NULL)
		return -ENOMEM;
	rxq->ring = priv->rings[queue_id];
	rxq->port_id = dev->data.port_id;
	dev->data.rx_queues[queue_id] = rxq;
	return 0;
}

static int
echo_tx_queue_setup(struct sl_eth_dev *dev, uint16_t queue_id, uint16_t nb_desc,
		    int socket_id, const struct sl_eth_txconf *conf)
{
	struct echo_private *priv = (struct echo_private *)dev->data.dev_private;
	struct echo_txq *txq;

	(void)nb_desc; (void)conf;
	txq = (struct echo_txq *)sl_zmalloc_socket("echo_txq", sizeof(*txq),
						   SL_CACHE_LINE_SIZE, socket_id);
	if (txq == NULL)
		return -ENOMEM;
	txq->ring = priv->rings[queue_id];
	dev->data.tx_queues[queue_id] = txq;
	return 0;
}

static void
echo_rx_queue_release(struct sl_eth_dev *dev, uint16_t queue_id)
{
	sl_free(dev->data.rx_queues[queue_id]);
}

static void
echo_tx_queue_release(struct sl_eth_dev *dev, uint16_t queue_id)
{
	sl_free(dev->data.tx_queues[queue_id]);
}

/* In declaration order, so that C++ (designated initialisers) takes it too.
 * No promiscuous op: testpmd copes with -ENOTSUP and logs no error. */
static const struct sl_eth_dev_ops echo_ops = {
	.dev_infos_get = echo_infos_get,
	.dev_start = echo_start,
	.dev_stop = echo_stop,
	.dev_close = echo_close,
	.stats_get = echo_stats_get,
	.stats_reset = echo_stats_reset,
	.rx_queue_setup = echo_rx_queue_setup,
	.tx_queue_setup = echo_tx_queue_setup,
	.rx_queue_release = echo_rx_queue_release,
	.tx_queue_release = echo_tx_queue_release,
};

static const char *const echo_keys[] = { "queues", "size", NULL };

static int
echo_probe(struct sl_vdev_device *vdev)
{
	uint64_t queues = 1, size = 512;
	struct echo_private *priv;
	struct sl_eth_dev *dev;
	struct sl_kvargs *kv;
	char name[SL_RING_NAMESIZE];
	int ret;

	/* Unknown keys and bad values are logged with the key and the range. */
	kv = sl_kvargs_parse(vdev->name, sl_vdev_device_args(vdev), echo_keys);
	if (kv == NULL)
		return -errno;
	ret = sl_kvargs_get_uint(kv, "queues", 1, ECHO_MAX_QUEUES, &queues);
	if (ret == 0 || ret == -ENOENT)
		ret = sl_kvargs_get_uint(kv, "size", 2, 65536, &size);
	sl_kvargs_free(kv);
	if (ret < 0 && ret != -ENOENT)
		return ret;

	dev = sl_eth_dev_allocate(vdev->name);  /* a slot, invisible for now */
	if (dev == NULL)
		return -errno;
	priv = (struct echo_private *)sl_zmalloc_socket("echo_private", sizeof(*priv), 0,
							vdev->socket_id);
	if (priv == NULL) {
		ret = -ENOMEM;
		goto fail_dev;
	}
	for (unsigned int q = 0; q < queues; q++) {
		snprintf(name, sizeof(name), "echo_p%u_q%u", dev->data.port_id, q);
		priv->rings[q] = sl_ring_create(name, (unsigned int)size, vdev->socket_id, 0);
		if (priv->rings[q] == NULL) {
			ret = -errno;
			goto fail_rings;
		}
		priv->nb_rings = q + 1;
	}
	dev->data.dev_private = priv;
	dev->data.socket_id = vdev->socket_id;
	sl_ether_addr_random(&dev->data.mac_addr);
	dev->dev_ops = &echo_ops;
	dev->rx_pkt_burst = echo_rx;
	dev->tx_pkt_burst = echo_tx;
	dev->device = vdev;
	ret = sl_eth_dev_probing_finish(dev);   /* now applications see it */
	if (ret < 0)
		goto fail_rings;
	SL_LOG(INFO, NET_ECHO, "%s: port %u, %u queue(s) of %u", vdev->name,
	       dev->data.port_id, priv->nb_rings, (unsigned int)size);
	return 0;

fail_rings:
	for (unsigned int q = 0; q < priv->nb_rings; q++)
		sl_ring_free(priv->rings[q]);
	sl_free(priv);
fail_dev:
	sl_eth_dev_release(dev);
	return ret;
}

static int
echo_remove(struct sl_vdev_device *vdev)
{
	struct sl_eth_dev *dev = sl_eth_dev_allocated(vdev->name);

	/* The application may have closed the port already. */
	return dev ? sl_eth_dev_close(dev->data.port_id) : 0;
}

static struct sl_vdev_driver echo_driver = {
	{ NULL, NULL },   /* next: the bus's list link */
	NULL,             /* name: set by SL_VDEV_DRIVER_REGISTER */
	"queues=<1..16> size=<2..65536, power of 2>",
	echo_probe,
	echo_remove,
};

SL_VDEV_DRIVER_REGISTER(net_echo, echo_driver);
