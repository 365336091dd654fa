/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_skeleton control path: probe, dev_ops, remove.
 *
 *   --vdev net_skeleton0[,ring_size=<2..65536, power of 2>][,mac=<xx:..:xx>]
 *
 * A virtual device, so there is no datasheet to cite; a hardware PMD names
 * its datasheet and revision here and cites the section at every init step
 * (see drivers/net/e1000).  Read top to bottom: constants, device
 * arguments, the dev_ops in the order ethdev calls them (info, configure,
 * queue setup, start, stop, stats, close), then probe and registration.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "skeleton_ethdev.h"
#include "sl_bus_vdev.h"
#include "sl_kvargs.h"
#include "sl_log.h"
#include "sl_malloc.h"
#include "sl_mbuf.h"
#include "sl_ring.h"

#define SKEL_DEFAULT_RING_SIZE 1024
#define SKEL_MAX_RING_SIZE 65536

#define SKEL_KEY_RING_SIZE "ring_size"
#define SKEL_KEY_MAC "mac"

/* Every key the driver accepts: sl_kvargs_parse() refuses any other. */
static const char *const skel_valid_keys[] = { SKEL_KEY_RING_SIZE, SKEL_KEY_MAC, NULL };

/* Port state; ethdev stores the pointer in dev->data.dev_private. */
struct skel_private {
	uint32_t ring_size;
	uint16_t nb_rings;
	struct sl_ring *rings[SKEL_MAX_QUEUES]; /* TX queue q -> RX queue q */
};

/* ---- dev_ops ---- */

/* (required) Limits and capabilities: ethdev checks every application
 * argument against them before calling any other op. */
static int
skel_infos_get(struct sl_eth_dev *dev, struct sl_eth_dev_info *info)
{
	const struct skel_private *priv = dev->data.dev_private;

	info->driver_name = "net_skeleton";
	info->max_rx_queues = SKEL_MAX_QUEUES;
	info->max_tx_queues = SKEL_MAX_QUEUES;
	info->min_mtu = SL_ETHER_MIN_MTU;
	info->max_mtu = SKEL_MAX_MTU;
	info->max_rx_pktlen = SKEL_MAX_FRAME;
	/* One descriptor per ring slot: more would be a lie about the depth. */
	info->rx_desc_lim = (struct sl_eth_desc_lim){
		.nb_max = (uint16_t)SL_MIN(priv->ring_size, 65535u), .nb_min = 1, .nb_align = 1 };
	info->tx_desc_lim = info->rx_desc_lim;
	info->speed_capa = SL_ETH_LINK_SPEED_10G;
	return 0;
}

static void
skel_rings_free(struct skel_private *priv)
{
	for (uint16_t q = 0; q < priv->nb_rings; q++) {
		skel_ring_drain(priv->rings[q]);
		sl_ring_free(priv->rings[q]);
		priv->rings[q] = NULL;
	}
	priv->nb_rings = 0;
}

/*
 * (optional) Apply dev->data.dev_conf.  Queue counts are known here, so
 * this is where the loop's rings are made: one per queue pair.  A port
 * that sends to itself needs as many RX as TX queues.  Called again on
 * reconfiguration (queues released first): the old rings go.
 */
static int
skel_configure(struct sl_eth_dev *dev)
{
	struct skel_private *priv = dev->data.dev_private;
	char name[SL_RING_NAMESIZE];

	if (dev->data.nb_rx_queues != dev->data.nb_tx_queues) {
		SL_LOG(ERR, NET_SKELETON, "%s: %u RX and %u TX queues: TX queue q loops to RX "
		       "queue q, so configure as many of each", dev->data.name,
		       dev->data.nb_rx_queues, dev->data.nb_tx_queues);
		return -EINVAL;
	}
	skel_rings_free(priv);
	for (uint16_t q = 0; q < dev->data.nb_rx_queues; q++) {
		snprintf(name, sizeof(name), "skel_p%u_q%u", dev->data.port_id, q);
		/* One producer (the TX queue's poller), one consumer (RX's). */
		priv->rings[q] = sl_ring_create(name, priv->ring_size, dev->data.socket_id,
						SL_RING_F_SP_ENQ | SL_RING_F_SC_DEQ);
		if (priv->rings[q] == NULL) {
			int ret = -errno;

			skel_rings_free(priv);
			return ret;
		}
		priv->nb_rings = (uint16_t)(q + 1);
	}
	return 0;
}

/*
 * (required) Make RX queue @p queue_id.  ethdev has checked the id, resolved
 * nb_desc and checked the pool; store the queue in dev->data.rx_queues[].
 * A NIC would allocate its descriptor ring here and fill it at start.
 */
static int
skel_rx_queue_setup(struct sl_eth_dev *dev, uint16_t queue_id, uint16_t nb_desc __sl_unused,
		    int socket_id, const struct sl_eth_rxconf *conf __sl_unused,
		    struct sl_mempool *mp)
{
	struct skel_private *priv = dev->data.dev_private;
	uint16_t room = sl_mbuf_data_room_size(mp);
	struct skel_rxq *rxq;

	rxq = sl_zmalloc_socket("skel_rxq", sizeof(*rxq), SL_CACHE_LINE_SIZE, socket_id);
	if (rxq == NULL)
		return -ENOMEM;
	rxq->ring = priv->rings[queue_id];
	rxq->mp = mp;
	rxq->port_id = dev->data.port_id;
	rxq->queue_id = queue_id;
	rxq->room = room > SL_PKTMBUF_HEADROOM ? (uint16_t)(room - SL_PKTMBUF_HEADROOM) : 0;
	dev->data.rx_queues[queue_id] = rxq;
	return 0;
}

static int
skel_tx_queue_setup(struct sl_eth_dev *dev, uint16_t queue_id, uint16_t nb_desc __sl_unused,
		    int socket_id, const struct sl_eth_txconf *conf __sl_unused)
{
	struct skel_private *priv = dev->data.dev_private;
	struct skel_txq *txq;

	txq = sl_zmalloc_socket("skel_txq", sizeof(*txq), SL_CACHE_LINE_SIZE, socket_id);
	if (txq == NULL)
		return -ENOMEM;
	txq->ring = priv->rings[queue_id];
	txq->queue_id = queue_id;
	dev->data.tx_queues[queue_id] = txq;
	return 0;
}

/* (required) Free a queue and the mbufs it holds; ethdev clears the pointer.
 * The mbufs in flight belong to the ring, which stop and close drain. */
static void
skel_rx_queue_release(struct sl_eth_dev *dev, uint16_t queue_id)
{
	sl_free(dev->data.rx_queues[queue_id]);
}

static void
skel_tx_queue_release(struct sl_eth_dev *dev, uint16_t queue_id)
{
	sl_free(dev->data.tx_queues[queue_id]);
}

/* (required) Start: after this returns, ethdev points the fast-path table
 * at dev->rx_pkt_burst / tx_pkt_burst.  Publish the link with
 * sl_eth_linkstatus_set(), which readers see whole. */
static int
skel_start(struct sl_eth_dev *dev)
{
	const struct sl_eth_link up = {
		.link_speed = SL_ETH_SPEED_NUM_10G,
		.link_duplex = SL_ETH_LINK_FULL_DUPLEX,
		.link_autoneg = SL_ETH_LINK_FIXED,
		.link_status = SL_ETH_LINK_UP,
	};

	sl_eth_linkstatus_set(dev, &up);
	return 0;
}

/* (required) Stop: the fast-path table already points at dummies.  What is
 * in flight is dropped, as a NIC drops what is on the wire. */
static int
skel_stop(struct sl_eth_dev *dev)
{
	struct skel_private *priv = dev->data.dev_private;
	const struct sl_eth_link down = { .link_speed = SL_ETH_SPEED_NUM_NONE,
					  .link_duplex = SL_ETH_LINK_FULL_DUPLEX };

	for (uint16_t q = 0; q < priv->nb_rings; q++)
		skel_ring_drain(priv->rings[q]);
	sl_eth_linkstatus_set(dev, &down);
	return 0;
}

/* The link is whatever start/stop set: nothing to poll. */
static int
skel_link_update(struct sl_eth_dev *dev __sl_unused, int wait __sl_unused)
{
	return 0;
}

/* Statistics: the queues keep struct sl_eth_queue_stats, which ethdev
 * sums (stats_get) and rebases (stats_reset) for us. */
static int
skel_stats_get(struct sl_eth_dev *dev, struct sl_eth_stats *st)
{
	return sl_eth_queue_stats_sum(dev, st, offsetof(struct skel_rxq, stats),
				      offsetof(struct skel_txq, stats));
}

static int
skel_stats_reset(struct sl_eth_dev *dev)
{
	return sl_eth_queue_stats_reset(dev, offsetof(struct skel_rxq, stats),
					offsetof(struct skel_txq, stats));
}

/* (optional) Free what probe allocated, dev_private included: ethdev never
 * frees it.  Queues are released before this, the port slot after. */
static int
skel_close(struct sl_eth_dev *dev)
{
	struct skel_private *priv = dev->data.dev_private;

	if (priv != NULL) {
		skel_rings_free(priv);
		sl_free(priv);
		dev->data.dev_private = NULL;
	}
	return 0;
}

/*
 * The ops table.  Left out on purpose, so that the calls return -ENOTSUP
 * and you see how an application copes: promiscuous/all-multicast (a loop
 * has no address filter), mac_addr_set and mtu_set (ethdev stores the
 * value itself only through the op), xstats, per-queue start/stop, RSS.
 */
static const struct sl_eth_dev_ops skel_ops = {
	.dev_infos_get = skel_infos_get,
	.dev_configure = skel_configure,
	.rx_queue_setup = skel_rx_queue_setup,
	.tx_queue_setup = skel_tx_queue_setup,
	.rx_queue_release = skel_rx_queue_release,
	.tx_queue_release = skel_tx_queue_release,
	.dev_start = skel_start,
	.dev_stop = skel_stop,
	.link_update = skel_link_update,
	.stats_get = skel_stats_get,
	.stats_reset = skel_stats_reset,
	.dev_close = skel_close,
};

/* ---- probe / remove ---- */

/* Device arguments: every error is logged by sl_kvargs with the key, the
 * value and what is accepted, so the probe only passes the error on. */
static int
skel_parse_args(struct sl_vdev_device *vdev, uint32_t *ring_size, struct sl_ether_addr *mac,
		bool *mac_given)
{
	struct sl_kvargs *kv;
	uint64_t v = SKEL_DEFAULT_RING_SIZE;
	int ret;

	kv = sl_kvargs_parse(vdev->name, sl_vdev_device_args(vdev), skel_valid_keys);
	if (kv == NULL)
		return -errno;
	ret = sl_kvargs_get_uint(kv, SKEL_KEY_RING_SIZE, 2, SKEL_MAX_RING_SIZE, &v);
	if (ret == 0 && (v & (v - 1)) != 0) {
		SL_LOG(ERR, NET_SKELETON, "%s: invalid value '%s' for %s: use a power of 2 "
		       "(2..%u)", vdev->name, sl_kvargs_get(kv, SKEL_KEY_RING_SIZE),
		       SKEL_KEY_RING_SIZE, SKEL_MAX_RING_SIZE);
		ret = -EINVAL;
	}
	if (ret < 0 && ret != -ENOENT)
		goto out;
	*ring_size = (uint32_t)v;
	ret = sl_kvargs_get_mac(kv, SKEL_KEY_MAC, mac->addr_bytes);
	*mac_given = ret == 0;
	if (ret == -ENOENT)
		ret = 0;
out:
	sl_kvargs_free(kv);
	return ret;
}

static int
skel_probe(struct sl_vdev_device *vdev)
{
	struct sl_ether_addr mac;
	struct skel_private *priv;
	struct sl_eth_dev *dev;
	uint32_t ring_size = 0;
	bool mac_given = false;
	int ret;

	ret = skel_parse_args(vdev, &ring_size, &mac, &mac_given);
	if (ret < 0)
		return ret;
	/* 1. a port slot, invisible to applications until probing_finish */
	dev = sl_eth_dev_allocate(vdev->name);
	if (dev == NULL)
		return -errno;
	priv = sl_zmalloc_socket("skel_private", sizeof(*priv), 0, vdev->socket_id);
	if (priv == NULL) {
		ret = -ENOMEM;
		goto fail_dev;
	}
	priv->ring_size = ring_size;
	if (!mac_given) {
		/* Locally administered, deterministic per port (tests can predict it). */
		mac = (struct sl_ether_addr){ { 0x02, 'S', 'K', 'L', 0, 0 } };
		mac.addr_bytes[4] = (uint8_t)(dev->data.port_id >> 8);
		mac.addr_bytes[5] = (uint8_t)dev->data.port_id;
	}
	/* 2. fill the port */
	dev->data.dev_private = priv;
	dev->data.socket_id = vdev->socket_id;
	dev->data.mac_addr = mac;
	dev->dev_ops = &skel_ops;
	dev->rx_pkt_burst = skel_rx;
	dev->tx_pkt_burst = skel_tx;
	dev->device = vdev;
	/* 3. visible: checks the ops table and names a missing required op */
	ret = sl_eth_dev_probing_finish(dev);
	if (ret < 0)
		goto fail_priv;
	SL_LOG(INFO, NET_SKELETON, "%s: port %u, ring_size=%u", vdev->name, dev->data.port_id,
	       ring_size);
	return 0;

fail_priv:
	sl_free(priv);
fail_dev:
	sl_eth_dev_release(dev);
	return ret;
}

/* The bus calls remove at sl_vdev_uninit() and sl_eal_cleanup(). */
static int
skel_remove(struct sl_vdev_device *vdev)
{
	struct sl_eth_dev *dev = sl_eth_dev_allocated(vdev->name);

	if (dev == NULL) /* the application closed the port already */
		return 0;
	return sl_eth_dev_close(dev->data.port_id);
}

static struct sl_vdev_driver skel_vdev_driver = {
	.param_help = "ring_size=<2..65536, power of 2> mac=<xx:xx:xx:xx:xx:xx>",
	.probe = skel_probe,
	.remove = skel_remove,
};

/* --vdev net_skeleton0, net_skeleton1, ...: the longest driver-name prefix wins. */
SL_VDEV_DRIVER_REGISTER(net_skeleton, skel_vdev_driver);
