/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_null: a port with no wire.  RX hands out mbufs of `size` bytes taken
 * from the queue's pool; TX returns them to their pool.  With copy=1, RX
 * writes a frame template into each mbuf and TX reads each packet into a
 * scratch buffer, so a benchmark includes the memory traffic of a NIC.
 *
 *   --vdev net_null0[,size=<1..16384>][,copy=<bool>][,no_rx=<bool>][,mac=<xx:..:xx>]
 *
 * The copy=1 template (also documented in doc/writing-a-pmd.md) is an
 * Ethernet/IPv4/UDP frame: dst ff:ff:ff:ff:ff:ff, src = port MAC, IPv4
 * 198.18.0.1 -> 198.18.0.2 (TTL 64, valid header checksum), UDP 9 -> 9
 * with checksum 0, then payload bytes whose value is their offset in the
 * frame (mod 256).  Frames shorter than 42 bytes are the template cut short.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "null_ethdev.h"
#include "sl_bus_vdev.h"
#include "sl_kvargs.h"
#include "sl_log.h"
#include "sl_malloc.h"
#include "sl_mbuf.h"

#define NULL_DEFAULT_PKT_SIZE 64
#define NULL_MAX_PKT_SIZE 16384
#define NULL_MAX_QUEUES 64
#define NULL_MAX_DESC 16384
#define NULL_MAX_MTU 9600
/* TX copy reads at most this much of each packet (its first segment). */
#define NULL_SCRATCH_MIN (SL_ETHER_MAX_LEN + SL_VLAN_HLEN)

#define NULL_KEY_SIZE "size"
#define NULL_KEY_COPY "copy"
#define NULL_KEY_NO_RX "no_rx"
#define NULL_KEY_MAC "mac"

static const char *const null_valid_keys[] = {
	NULL_KEY_SIZE, NULL_KEY_COPY, NULL_KEY_NO_RX, NULL_KEY_MAC, NULL,
};

struct null_private {
	uint32_t pkt_size;
	bool copy;
	bool no_rx;
	uint8_t *pattern; /* pkt_size bytes, rebuilt at start (the MAC may change) */
};

/* ---- Frame template (copy=1) ---- */

static uint16_t
ipv4_hdr_cksum(const uint8_t *h, unsigned int len)
{
	uint32_t sum = 0;

	for (unsigned int i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)h[i] << 8 | h[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
null_build_pattern(uint8_t *out, uint32_t size, const struct sl_ether_addr *src)
{
	uint8_t hdr[42] = { 0 };
	uint8_t *ip = hdr + 14, *udp = hdr + 34;
	uint32_t l3 = size > 14 ? size - 14 : 0, l4 = size > 34 ? size - 34 : 0;

	memset(hdr, 0xff, 6);
	memcpy(hdr + 6, src->addr_bytes, 6);
	put16(hdr + 12, SL_ETHER_TYPE_IPV4);
	ip[0] = 0x45;                       /* IPv4, 20-byte header */
	put16(ip + 2, (uint16_t)SL_MIN(l3, 0xffffu));
	ip[8] = 64;                         /* TTL */
	ip[9] = 17;                         /* UDP */
	ip[12] = 198; ip[13] = 18; ip[14] = 0; ip[15] = 1;
	ip[16] = 198; ip[17] = 18; ip[18] = 0; ip[19] = 2;
	put16(ip + 10, ipv4_hdr_cksum(ip, 20));
	put16(udp, 9);
	put16(udp + 2, 9);
	put16(udp + 4, (uint16_t)SL_MIN(l4, 0xffffu));

	for (uint32_t i = 0; i < size; i++)
		out[i] = i < sizeof(hdr) ? hdr[i] : (uint8_t)i;
}

/* ---- dev_ops ---- */

static int
null_infos_get(struct sl_eth_dev *dev __sl_unused, struct sl_eth_dev_info *info)
{
	info->driver_name = "net_null";
	info->max_rx_queues = NULL_MAX_QUEUES;
	info->max_tx_queues = NULL_MAX_QUEUES;
	info->min_mtu = SL_ETHER_MIN_MTU;
	info->max_mtu = NULL_MAX_MTU;
	info->max_rx_pktlen = NULL_MAX_MTU + SL_ETHER_HDR_LEN + SL_ETHER_CRC_LEN;
	info->min_rx_bufsize = 0; /* no wire: the packet size is checked per queue */
	info->tx_offload_capa = SL_ETH_TX_OFFLOAD_MULTI_SEGS | SL_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
	info->rx_desc_lim = (struct sl_eth_desc_lim){ .nb_max = NULL_MAX_DESC, .nb_min = 1, .nb_align = 1 };
	info->tx_desc_lim = info->rx_desc_lim;
	info->speed_capa = SL_ETH_LINK_SPEED_10G;
	return 0;
}

static int
null_start(struct sl_eth_dev *dev)
{
	struct null_private *priv = dev->data.dev_private;
	struct sl_eth_link link = {
		.link_speed = SL_ETH_SPEED_NUM_10G,
		.link_duplex = SL_ETH_LINK_FULL_DUPLEX,
		.link_autoneg = SL_ETH_LINK_FIXED,
		.link_status = SL_ETH_LINK_UP,
	};

	if (priv->copy)
		null_build_pattern(priv->pattern, priv->pkt_size, &dev->data.mac_addr);
	sl_eth_linkstatus_set(dev, &link);
	return 0;
}

static int
null_stop(struct sl_eth_dev *dev)
{
	struct sl_eth_link link = { .link_speed = SL_ETH_SPEED_NUM_NONE,
				    .link_duplex = SL_ETH_LINK_FULL_DUPLEX };

	sl_eth_linkstatus_set(dev, &link);
	return 0;
}

static int
null_close(struct sl_eth_dev *dev)
{
	struct null_private *priv = dev->data.dev_private;

	if (priv != NULL) {
		sl_free(priv->pattern);
		sl_free(priv);
		dev->data.dev_private = NULL;
	}
	return 0;
}

/* The link is whatever start/stop set: nothing to poll. */
static int
null_link_update(struct sl_eth_dev *dev __sl_unused, int wait __sl_unused)
{
	return 0;
}

static int
null_stats_get(struct sl_eth_dev *dev, struct sl_eth_stats *st)
{
	return sl_eth_queue_stats_sum(dev, st, offsetof(struct null_rxq, stats),
				      offsetof(struct null_txq, stats));
}

/* The copy=1 byte counters follow the queue counters' rules: written by the
 * polling thread only, read with relaxed loads, reset by a baseline. */
static uint64_t
copied_read(const uint64_t *c, uint64_t base)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED) - base;
}

static int
null_stats_reset(struct sl_eth_dev *dev)
{
	for (uint16_t q = 0; q < dev->data.nb_rx_queues; q++) {
		struct null_rxq *rxq = dev->data.rx_queues[q];

		if (rxq != NULL)
			rxq->copied_base = copied_read(&rxq->copied, 0);
	}
	for (uint16_t q = 0; q < dev->data.nb_tx_queues; q++) {
		struct null_txq *txq = dev->data.tx_queues[q];

		if (txq != NULL)
			txq->copied_base = copied_read(&txq->copied, 0);
	}
	return sl_eth_queue_stats_reset(dev, offsetof(struct null_rxq, stats),
					offsetof(struct null_txq, stats));
}

/* Driver xstats: bytes moved by copy=1, which the basic counters cannot show. */
static const char *const null_xstat_names[] = { "rx_copied_bytes", "tx_copied_bytes" };

static int
null_xstats_get_names(struct sl_eth_dev *dev __sl_unused, struct sl_eth_xstat_name *names,
		      unsigned int size)
{
	if (names == NULL || size < SL_DIM(null_xstat_names))
		return SL_DIM(null_xstat_names);
	for (unsigned int i = 0; i < SL_DIM(null_xstat_names); i++)
		snprintf(names[i].name, sizeof(names[i].name), "%s", null_xstat_names[i]);
	return SL_DIM(null_xstat_names);
}

static int
null_xstats_get(struct sl_eth_dev *dev, struct sl_eth_xstat *xs, unsigned int n)
{
	uint64_t rx = 0, tx = 0;

	if (xs == NULL || n < SL_DIM(null_xstat_names))
		return SL_DIM(null_xstat_names);
	for (uint16_t q = 0; q < dev->data.nb_rx_queues; q++) {
		const struct null_rxq *rxq = dev->data.rx_queues[q];

		if (rxq != NULL)
			rx += copied_read(&rxq->copied, rxq->copied_base);
	}
	for (uint16_t q = 0; q < dev->data.nb_tx_queues; q++) {
		const struct null_txq *txq = dev->data.tx_queues[q];

		if (txq != NULL)
			tx += copied_read(&txq->copied, txq->copied_base);
	}
	xs[0].value = rx;
	xs[1].value = tx;
	return SL_DIM(null_xstat_names);
}

/* Receive filters and addresses mean nothing without a wire: accept them. */
static int
null_accept(struct sl_eth_dev *dev __sl_unused)
{
	return 0;
}

static int
null_mac_addr_set(struct sl_eth_dev *dev __sl_unused, const struct sl_ether_addr *mac __sl_unused)
{
	return 0; /* the template picks the new address up at the next start */
}

static int
null_mtu_set(struct sl_eth_dev *dev __sl_unused, uint16_t mtu __sl_unused)
{
	return 0;
}

static int
null_rx_queue_setup(struct sl_eth_dev *dev, uint16_t queue_id, uint16_t nb_desc __sl_unused,
		    int socket_id, const struct sl_eth_rxconf *conf __sl_unused,
		    struct sl_mempool *mp)
{
	struct null_private *priv = dev->data.dev_private;
	uint32_t room = sl_mbuf_data_room_size(mp);
	struct null_rxq *rxq;

	room = room > SL_PKTMBUF_HEADROOM ? room - SL_PKTMBUF_HEADROOM : 0;
	if (priv->pkt_size > room) {
		SL_LOG(ERR, NET_NULL, "%s: RX queue %u: packets of size=%u do not fit the %u-byte "
		       "mbufs of pool '%s'; use a smaller size= or a pool with a data room of at "
		       "least %u", dev->data.name, queue_id, priv->pkt_size, room, mp->name,
		       priv->pkt_size + SL_PKTMBUF_HEADROOM);
		return -EINVAL;
	}
	rxq = sl_zmalloc_socket("null_rxq", sizeof(*rxq), SL_CACHE_LINE_SIZE, socket_id);
	if (rxq == NULL)
		return -ENOMEM;
	rxq->mp = mp;
	rxq->pattern = priv->pattern;
	rxq->pkt_size = priv->pkt_size;
	rxq->port_id = dev->data.port_id;
	rxq->queue_id = queue_id;
	dev->data.rx_queues[queue_id] = rxq;
	return 0;
}

static int
null_tx_queue_setup(struct sl_eth_dev *dev, uint16_t queue_id, uint16_t nb_desc __sl_unused,
		    int socket_id, const struct sl_eth_txconf *conf __sl_unused)
{
	struct null_private *priv = dev->data.dev_private;
	struct null_txq *txq;

	txq = sl_zmalloc_socket("null_txq", sizeof(*txq), SL_CACHE_LINE_SIZE, socket_id);
	if (txq == NULL)
		return -ENOMEM;
	txq->queue_id = queue_id;
	if (priv->copy) {
		txq->scratch_len = SL_MAX(priv->pkt_size, (uint32_t)NULL_SCRATCH_MIN);
		txq->scratch = sl_malloc_socket("null_scratch", txq->scratch_len,
						SL_CACHE_LINE_SIZE, socket_id);
		if (txq->scratch == NULL) {
			sl_free(txq);
			return -ENOMEM;
		}
	}
	dev->data.tx_queues[queue_id] = txq;
	return 0;
}

static void
null_rx_queue_release(struct sl_eth_dev *dev, uint16_t queue_id)
{
	sl_free(dev->data.rx_queues[queue_id]);
}

static void
null_tx_queue_release(struct sl_eth_dev *dev, uint16_t queue_id)
{
	struct null_txq *txq = dev->data.tx_queues[queue_id];

	sl_free(txq->scratch);
	sl_free(txq);
}

static const struct sl_eth_dev_ops null_ops = {
	.dev_infos_get = null_infos_get,
	.dev_start = null_start,
	.dev_stop = null_stop,
	.dev_close = null_close,
	.link_update = null_link_update,
	.stats_get = null_stats_get,
	.stats_reset = null_stats_reset,
	.xstats_get = null_xstats_get,
	.xstats_get_names = null_xstats_get_names,
	.promiscuous_enable = null_accept,
	.promiscuous_disable = null_accept,
	.allmulticast_enable = null_accept,
	.allmulticast_disable = null_accept,
	.mac_addr_set = null_mac_addr_set,
	.mtu_set = null_mtu_set,
	.rx_queue_setup = null_rx_queue_setup,
	.tx_queue_setup = null_tx_queue_setup,
	.rx_queue_release = null_rx_queue_release,
	.tx_queue_release = null_tx_queue_release,
};

/* ---- vdev probe / remove ---- */

static int
null_parse_args(struct sl_vdev_device *vdev, struct null_private *cfg, struct sl_ether_addr *mac,
		bool *mac_given)
{
	struct sl_kvargs *kv;
	uint64_t size = NULL_DEFAULT_PKT_SIZE;
	int ret;

	kv = sl_kvargs_parse(vdev->name, vdev->args, null_valid_keys);
	if (kv == NULL)
		return -errno;
	ret = sl_kvargs_get_uint(kv, NULL_KEY_SIZE, 1, NULL_MAX_PKT_SIZE, &size);
	if (ret < 0 && ret != -ENOENT)
		goto out;
	cfg->pkt_size = (uint32_t)size;
	ret = sl_kvargs_get_bool(kv, NULL_KEY_COPY, &cfg->copy);
	if (ret < 0 && ret != -ENOENT)
		goto out;
	ret = sl_kvargs_get_bool(kv, NULL_KEY_NO_RX, &cfg->no_rx);
	if (ret < 0 && ret != -ENOENT)
		goto out;
	ret = sl_kvargs_get_mac(kv, NULL_KEY_MAC, mac->addr_bytes);
	if (ret == 0) {
		*mac_given = true;
		if (!sl_ether_addr_is_valid_assigned(mac)) {
			SL_LOG(ERR, NET_NULL, "%s: mac=%s is not a unicast address; use e.g. "
			       "02:00:00:00:00:01", vdev->name, sl_kvargs_get(kv, NULL_KEY_MAC));
			ret = -EINVAL;
			goto out;
		}
	}
	ret = (ret == -ENOENT) ? 0 : ret;
out:
	sl_kvargs_free(kv);
	return ret;
}

static int
null_probe(struct sl_vdev_device *vdev)
{
	struct null_private cfg = { 0 }, *priv;
	struct sl_ether_addr mac;
	bool mac_given = false;
	struct sl_eth_dev *dev;
	int ret;

	ret = null_parse_args(vdev, &cfg, &mac, &mac_given);
	if (ret < 0)
		return ret;

	dev = sl_eth_dev_allocate(vdev->name);
	if (dev == NULL)
		return -errno;
	priv = sl_zmalloc_socket("null_private", sizeof(*priv), 0, vdev->socket_id);
	if (priv == NULL) {
		ret = -ENOMEM;
		goto fail_dev;
	}
	*priv = cfg;
	priv->pattern = sl_zmalloc_socket("null_pattern", priv->pkt_size, SL_CACHE_LINE_SIZE,
					  vdev->socket_id);
	if (priv->pattern == NULL) {
		ret = -ENOMEM;
		goto fail_priv;
	}
	if (!mac_given) {
		/* Deterministic per port so tests and scripts can predict it. */
		static const struct sl_ether_addr base = { { 0x02, 'N', 'U', 'L', 0, 0 } };

		mac = base;
		mac.addr_bytes[4] = (uint8_t)(dev->data.port_id >> 8);
		mac.addr_bytes[5] = (uint8_t)dev->data.port_id;
	}
	null_build_pattern(priv->pattern, priv->pkt_size, &mac);

	dev->data.dev_private = priv;
	dev->data.socket_id = vdev->socket_id;
	dev->data.mac_addr = mac;
	dev->dev_ops = &null_ops;
	dev->device = vdev;
	dev->rx_pkt_burst = priv->no_rx ? null_rx_none : priv->copy ? null_rx_copy : null_rx;
	dev->tx_pkt_burst = priv->copy ? null_tx_copy : null_tx;
	ret = sl_eth_dev_probing_finish(dev);
	if (ret < 0)
		goto fail_pattern;
	SL_LOG(INFO, NET_NULL, "%s: port %u, size=%u copy=%d no_rx=%d", vdev->name,
	       dev->data.port_id, priv->pkt_size, priv->copy, priv->no_rx);
	return 0;

fail_pattern:
	sl_free(priv->pattern);
fail_priv:
	sl_free(priv);
fail_dev:
	sl_eth_dev_release(dev);
	return ret;
}

static int
null_remove(struct sl_vdev_device *vdev)
{
	struct sl_eth_dev *dev = sl_eth_dev_allocated(vdev->name);

	if (dev == NULL) /* the application closed the port already */
		return 0;
	return sl_eth_dev_close(dev->data.port_id);
}

static struct sl_vdev_driver null_vdev_driver = {
	.param_help = "size=<1..16384> copy=<bool> no_rx=<bool> mac=<xx:xx:xx:xx:xx:xx>",
	.probe = null_probe,
	.remove = null_remove,
};

SL_VDEV_DRIVER_REGISTER(net_null, null_vdev_driver);
