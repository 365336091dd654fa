/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_ring control path: vdev probe (own rings, optional peer), ports from
 * application rings, pairing, and the ethdev ops.  See sl_eth_ring.h for
 * the user's view.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ring_ethdev.h"
#include "sl_bus_vdev.h"
#include "sl_cycles.h"
#include "sl_kvargs.h"
#include "sl_log.h"
#include "sl_malloc.h"
#include "sl_mbuf.h"
#include "sl_ring.h"

#define RING_DEFAULT_SIZE 1024
#define RING_MAX_SIZE (1u << 20)
#define RING_NO_PEER UINT16_MAX

#define RING_KEY_QUEUES "queues"
#define RING_KEY_SIZE "size"
#define RING_KEY_PEER "peer"
#define RING_KEY_MAX_PPS "max_pps"
#define RING_KEY_DROP "drop_every"
#define RING_KEY_DUP "dup_every"
#define RING_KEY_SWAP "swap_every"
#define RING_KEY_DUP_NEXT "dup_next_queue"
#define RING_POLICE_DEPTH_MIN 64   /* packets the policer lets through at once... */
#define RING_POLICE_DEPTH_MS 20    /* ...or 20 ms of them, the larger */

static const char *const ring_valid_keys[] = {
	RING_KEY_QUEUES, RING_KEY_SIZE, RING_KEY_PEER, RING_KEY_MAX_PPS, RING_KEY_DROP,
	RING_KEY_DUP, RING_KEY_SWAP, RING_KEY_DUP_NEXT, NULL,
};

static const struct sl_eth_dev_ops ring_ops;

/* Makes ring names unique across vdevs (probes run on the control thread). */
static unsigned int ring_serial;

/* ---- dev_ops ---- */

static int
ring_infos_get(struct sl_eth_dev *dev, struct sl_eth_dev_info *info)
{
	const struct ring_private *priv = dev->data.dev_private;

	info->driver_name = "net_ring";
	info->max_rx_queues = (uint16_t)priv->nb_rx;
	info->max_tx_queues = (uint16_t)priv->nb_tx;
	info->min_mtu = SL_ETHER_MIN_MTU;
	info->max_mtu = UINT16_MAX - SL_ETHER_HDR_LEN - SL_ETHER_CRC_LEN;
	info->max_rx_pktlen = UINT16_MAX;
	/* mbufs pass through untouched: any offload request is the receiver's business. */
	info->tx_offload_capa = SL_ETH_TX_OFFLOAD_MULTI_SEGS | SL_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
	info->rx_offload_capa = SL_ETH_RX_OFFLOAD_SCATTER;
	/* nb_desc is not used: the ring size is fixed at creation. */
	info->rx_desc_lim = (struct sl_eth_desc_lim){ .nb_max = UINT16_MAX, .nb_min = 1, .nb_align = 1 };
	info->tx_desc_lim = info->rx_desc_lim;
	info->speed_capa = SL_ETH_LINK_SPEED_10G;
	/* Software RSS needs rings we made multi-producer (ring_probe). */
	if (priv->owns_rings) {
		info->flow_type_rss_offloads = SL_RSS_HF_ALL;
		info->hash_key_size = SL_RSS_KEY_LEN;
		info->reta_size = RING_RETA_SIZE;
		info->rx_offload_capa |= SL_ETH_RX_OFFLOAD_RSS_HASH;
	}
	return 0;
}

/* ---- software RSS state (read by senders' TX bursts, see ring_rxtx.c) ---- */

/*
 * Senders may hash while the key changes: they then get a hash mixing old
 * and new entries for a moment, which still indexes the RETA (masked).
 * Build the table aside and store it word by word.
 */
static void
rss_key_store(struct ring_rss *rss, const uint8_t *key)
{
	struct sl_rss_table *t = malloc(sizeof(*t));

	for (unsigned int i = 0; i < SL_RSS_KEY_LEN; i++)
		__atomic_store_n(&rss->key[i], key[i], __ATOMIC_RELAXED);
	if (t == NULL) { /* expand in place: same result, only less tidy for senders */
		sl_rss_table_init(&rss->table, key);
		return;
	}
	sl_rss_table_init(t, key);
	for (unsigned int n = 0; n < SL_RSS_TUPLE_MAX * 2; n++)
		for (unsigned int v = 0; v < 16; v++)
			__atomic_store_n(&rss->table.nib[n][v], t->nib[n][v], __ATOMIC_RELAXED);
	free(t);
}

static int
ring_configure(struct sl_eth_dev *dev)
{
	struct ring_private *priv = dev->data.dev_private;
	const struct sl_eth_rss_conf *rc = &dev->data.dev_conf.rx_adv_conf.rss_conf;
	struct ring_rss *rss = &priv->rss;
	uint8_t on = dev->data.dev_conf.rxmode.mq_mode == SL_ETH_MQ_RX_RSS;

	if (!on) {
		__atomic_store_n(&rss->on, 0, __ATOMIC_RELEASE);
		return 0;
	}
	/* Default: round-robin over the configured queues, as NIC drivers do. */
	for (unsigned int i = 0; i < RING_RETA_SIZE; i++)
		__atomic_store_n(&rss->reta[i], (uint16_t)(i % dev->data.nb_rx_queues),
				 __ATOMIC_RELAXED);
	rss_key_store(rss, rc->rss_key != NULL ? rc->rss_key : sl_rss_default_key);
	__atomic_store_n(&rss->hf, rc->rss_hf, __ATOMIC_RELAXED);
	/* Release: a sender that sees on == 1 sees the key and RETA above (ring_tx). */
	__atomic_store_n(&rss->on, 1, __ATOMIC_RELEASE);
	return 0;
}

static int
ring_rss_hash_update(struct sl_eth_dev *dev, const struct sl_eth_rss_conf *conf)
{
	struct ring_private *priv = dev->data.dev_private;

	if (conf->rss_key != NULL)
		rss_key_store(&priv->rss, conf->rss_key);
	__atomic_store_n(&priv->rss.hf, conf->rss_hf, __ATOMIC_RELAXED);
	return 0;
}

static int
ring_rss_hash_conf_get(struct sl_eth_dev *dev, struct sl_eth_rss_conf *conf)
{
	struct ring_private *priv = dev->data.dev_private;

	conf->rss_hf = priv->rss.on ? priv->rss.hf : 0;
	if (conf->rss_key != NULL)
		memcpy((uint8_t *)(uintptr_t)conf->rss_key, priv->rss.key, SL_RSS_KEY_LEN);
	return 0;
}

static int
ring_reta_update(struct sl_eth_dev *dev, const struct sl_eth_rss_reta_entry64 *conf,
		 uint16_t size)
{
	struct ring_private *priv = dev->data.dev_private;

	for (unsigned int i = 0; i < size; i++) {
		const struct sl_eth_rss_reta_entry64 *g = &conf[i / SL_ETH_RETA_GROUP_SIZE];
		unsigned int slot = i % SL_ETH_RETA_GROUP_SIZE;

		if (g->mask >> slot & 1)
			__atomic_store_n(&priv->rss.reta[i], g->reta[slot], __ATOMIC_RELAXED);
	}
	return 0;
}

static int
ring_reta_query(struct sl_eth_dev *dev, struct sl_eth_rss_reta_entry64 *conf, uint16_t size)
{
	struct ring_private *priv = dev->data.dev_private;

	for (unsigned int i = 0; i < size; i++) {
		struct sl_eth_rss_reta_entry64 *g = &conf[i / SL_ETH_RETA_GROUP_SIZE];
		unsigned int slot = i % SL_ETH_RETA_GROUP_SIZE;

		if (g->mask >> slot & 1)
			g->reta[slot] = priv->rss.reta[i];
	}
	return 0;
}

/* ---- queue start/stop: the burst functions check the flag once per call ---- */

static int
ring_rxq_start(struct sl_eth_dev *dev, uint16_t q)
{
	struct ring_private *priv = dev->data.dev_private;

	__atomic_store_n(&priv->rxq[q].stopped, 0, __ATOMIC_RELAXED);
	return 0;
}

static int
ring_rxq_stop(struct sl_eth_dev *dev, uint16_t q)
{
	struct ring_private *priv = dev->data.dev_private;

	__atomic_store_n(&priv->rxq[q].stopped, 1, __ATOMIC_RELAXED);
	return 0;
}

static int
ring_txq_start(struct sl_eth_dev *dev, uint16_t q)
{
	struct ring_private *priv = dev->data.dev_private;

	__atomic_store_n(&priv->txq[q].stopped, 0, __ATOMIC_RELAXED);
	return 0;
}

static int
ring_txq_stop(struct sl_eth_dev *dev, uint16_t q)
{
	struct ring_private *priv = dev->data.dev_private;

	__atomic_store_n(&priv->txq[q].stopped, 1, __ATOMIC_RELAXED);
	return 0;
}

static int
ring_start(struct sl_eth_dev *dev)
{
	struct sl_eth_link link = {
		.link_speed = SL_ETH_SPEED_NUM_10G,
		.link_duplex = SL_ETH_LINK_FULL_DUPLEX,
		.link_autoneg = SL_ETH_LINK_FIXED,
		.link_status = SL_ETH_LINK_UP,
	};
	struct ring_private *priv = dev->data.dev_private;

	for (unsigned int q = 0; q < SL_ETH_RING_MAX_QUEUES; q++) {
		__atomic_store_n(&priv->rxq[q].stopped, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&priv->txq[q].stopped, 0, __ATOMIC_RELAXED);
	}
	sl_eth_linkstatus_set(dev, &link);
	return 0;
}

static int
ring_stop(struct sl_eth_dev *dev)
{
	struct sl_eth_link link = { .link_duplex = SL_ETH_LINK_FULL_DUPLEX };

	sl_eth_linkstatus_set(dev, &link);
	return 0;
}

static int
ring_link_update(struct sl_eth_dev *dev __sl_unused, int wait __sl_unused)
{
	return 0;
}

static void
cnt_read(const struct ring_queue *q, struct ring_counters *out)
{
	out->pkts = __atomic_load_n(&q->cnt.pkts, __ATOMIC_RELAXED) - q->base.pkts;
	out->bytes = __atomic_load_n(&q->cnt.bytes, __ATOMIC_RELAXED) - q->base.bytes;
	out->errs = __atomic_load_n(&q->cnt.errs, __ATOMIC_RELAXED) - q->base.errs;
	out->missed = __atomic_load_n(&q->cnt.missed, __ATOMIC_RELAXED) - q->base.missed;
}

static int
ring_stats_get(struct sl_eth_dev *dev, struct sl_eth_stats *st)
{
	struct ring_private *priv = dev->data.dev_private;
	struct ring_counters c;

	for (uint16_t q = 0; q < dev->data.nb_rx_queues; q++) {
		cnt_read(&priv->rxq[q], &c);
		st->ipackets += c.pkts;
		st->ibytes += c.bytes;
		st->imissed += c.missed;
		if (q < SL_ETH_QUEUE_STAT_CNTRS) {
			st->q_ipackets[q] = c.pkts;
			st->q_ibytes[q] = c.bytes;
			st->q_errors[q] = c.missed;
		}
	}
	for (uint16_t q = 0; q < dev->data.nb_tx_queues; q++) {
		cnt_read(&priv->txq[q], &c);
		st->opackets += c.pkts;
		st->obytes += c.bytes;
		st->oerrors += c.errs;
		if (q < SL_ETH_QUEUE_STAT_CNTRS) {
			st->q_opackets[q] = c.pkts;
			st->q_obytes[q] = c.bytes;
		}
	}
	return 0;
}

static void
cnt_rebase(struct ring_queue *q)
{
	q->base.pkts = __atomic_load_n(&q->cnt.pkts, __ATOMIC_RELAXED);
	q->base.bytes = __atomic_load_n(&q->cnt.bytes, __ATOMIC_RELAXED);
	q->base.errs = __atomic_load_n(&q->cnt.errs, __ATOMIC_RELAXED);
	q->base.missed = __atomic_load_n(&q->cnt.missed, __ATOMIC_RELAXED);
}

static int
ring_stats_reset(struct sl_eth_dev *dev)
{
	struct ring_private *priv = dev->data.dev_private;

	for (unsigned int q = 0; q < SL_ETH_RING_MAX_QUEUES; q++) {
		cnt_rebase(&priv->rxq[q]);
		cnt_rebase(&priv->txq[q]);
	}
	return 0;
}

static int
ring_accept(struct sl_eth_dev *dev __sl_unused)
{
	return 0;
}

static int
ring_mac_addr_set(struct sl_eth_dev *dev __sl_unused, const struct sl_ether_addr *mac __sl_unused)
{
	return 0;
}

static int
ring_mtu_set(struct sl_eth_dev *dev __sl_unused, uint16_t mtu __sl_unused)
{
	return 0;
}

/* The queues live in the private area; setup binds one to its ring. */
static int
ring_rx_queue_setup(struct sl_eth_dev *dev, uint16_t queue_id, uint16_t nb_desc __sl_unused,
		    int socket_id __sl_unused, const struct sl_eth_rxconf *conf __sl_unused,
		    struct sl_mempool *mp __sl_unused)
{
	struct ring_private *priv = dev->data.dev_private;

	priv->rxq[queue_id].ring = priv->rx_rings[queue_id];
	priv->rxq[queue_id].port_id = dev->data.port_id;
	dev->data.rx_queues[queue_id] = &priv->rxq[queue_id];
	return 0;
}

static int
ring_tx_queue_setup(struct sl_eth_dev *dev, uint16_t queue_id, uint16_t nb_desc __sl_unused,
		    int socket_id __sl_unused, const struct sl_eth_txconf *conf __sl_unused)
{
	struct ring_private *priv = dev->data.dev_private;

	priv->txq[queue_id].ring = priv->tx_rings[queue_id];
	priv->txq[queue_id].port_id = dev->data.port_id;
	memset(&priv->txq[queue_id].faults, 0, sizeof(priv->txq[queue_id].faults));
	priv->txq[queue_id].faults.drop_every = priv->drop_every;
	priv->txq[queue_id].faults.dup_every = priv->dup_every;
	priv->txq[queue_id].faults.swap_every = priv->swap_every;
	priv->txq[queue_id].faults.dup_next_queue = priv->dup_next_queue;
	priv->txq[queue_id].faults.queue_id = queue_id;
	if (priv->max_pps) {
		struct ring_police *p = &priv->txq[queue_id].police;
		uint64_t burst = SL_MAX((uint64_t)RING_POLICE_DEPTH_MIN,
					priv->max_pps * RING_POLICE_DEPTH_MS / 1000);

		p->pps = priv->max_pps;
		p->hz = sl_get_tsc_hz();
		p->depth = burst * p->hz;
		p->credit = p->depth;
		p->last = sl_rdtsc();
	}
	dev->data.tx_queues[queue_id] = &priv->txq[queue_id];
	return 0;
}

/* Nothing to free: queue structs belong to the port, rings to the port or app. */
static void
ring_queue_release(struct sl_eth_dev *dev __sl_unused, uint16_t queue_id __sl_unused)
{
}

/*
 * Point TX ring q of @p dev at @p rings[q] (its own RX rings or a peer's);
 * @p dst is the port owning them, whose RSS state the TX burst follows
 * (NULL for application rings: no RSS).
 */
static void
ring_set_tx(struct ring_private *priv, struct sl_ring *const rings[], struct ring_private *dst)
{
	for (unsigned int q = 0; q < priv->nb_tx; q++) {
		priv->tx_rings[q] = rings[q];
		priv->txq[q].ring = rings[q];
		priv->txq[q].dst = dst;
	}
}

static void
ring_drain(struct sl_ring *r)
{
	void *objs[32];
	unsigned int n;

	while ((n = sl_ring_dequeue_burst(r, objs, SL_DIM(objs), NULL)) > 0)
		sl_mbuf_free_bulk((struct sl_mbuf **)objs, n);
}

static int
ring_close(struct sl_eth_dev *dev)
{
	struct ring_private *priv = dev->data.dev_private;

	if (priv == NULL)
		return 0;
	/* The peer must not keep writing into rings about to be freed. */
	if (priv->peer != RING_NO_PEER && priv->peer != dev->data.port_id) {
		struct sl_eth_dev *peer = sl_eth_dev_get(priv->peer);

		if (peer != NULL && peer->dev_ops == &ring_ops) {
			struct ring_private *pp = peer->data.dev_private;

			ring_set_tx(pp, pp->rx_rings, pp);
			pp->peer = RING_NO_PEER;
		}
	}
	/* swap_every= may hold one packet per TX queue back. */
	for (unsigned int q = 0; q < SL_ETH_RING_MAX_QUEUES; q++)
		if (priv->txq[q].faults.held != NULL) {
			sl_mbuf_free(priv->txq[q].faults.held);
			priv->txq[q].faults.held = NULL;
		}
	if (priv->owns_rings) {
		for (unsigned int q = 0; q < priv->nb_rx; q++) {
			ring_drain(priv->rx_rings[q]);
			sl_ring_free(priv->rx_rings[q]);
		}
	}
	sl_free(priv);
	dev->data.dev_private = NULL;
	return 0;
}

static const struct sl_eth_dev_ops ring_ops = {
	.dev_infos_get = ring_infos_get,
	.dev_start = ring_start,
	.dev_stop = ring_stop,
	.dev_close = ring_close,
	.link_update = ring_link_update,
	.stats_get = ring_stats_get,
	.stats_reset = ring_stats_reset,
	.promiscuous_enable = ring_accept,
	.promiscuous_disable = ring_accept,
	.allmulticast_enable = ring_accept,
	.allmulticast_disable = ring_accept,
	.mac_addr_set = ring_mac_addr_set,
	.mtu_set = ring_mtu_set,
	.rx_queue_setup = ring_rx_queue_setup,
	.tx_queue_setup = ring_tx_queue_setup,
	.rx_queue_release = ring_queue_release,
	.tx_queue_release = ring_queue_release,
	.dev_configure = ring_configure,
	.rx_queue_start = ring_rxq_start,
	.rx_queue_stop = ring_rxq_stop,
	.tx_queue_start = ring_txq_start,
	.tx_queue_stop = ring_txq_stop,
	.rss_hash_update = ring_rss_hash_update,
	.rss_hash_conf_get = ring_rss_hash_conf_get,
	.reta_update = ring_reta_update,
	.reta_query = ring_reta_query,
};

/* ---- Port creation ---- */

static struct sl_eth_dev *
ring_port_create(const char *name, struct ring_private *priv, int socket_id)
{
	struct sl_eth_dev *dev;
	int ret;

	dev = sl_eth_dev_allocate(name);
	if (dev == NULL)
		return NULL;
	priv->peer = RING_NO_PEER;
	for (unsigned int q = 0; q < SL_ETH_RING_MAX_QUEUES; q++) {
		priv->rxq[q].port_id = dev->data.port_id;
		priv->txq[q].port_id = dev->data.port_id;
	}
	dev->data.dev_private = priv;
	dev->data.socket_id = socket_id;
	/* Locally administered, deterministic: 02:'R''N''G':00:<port>. */
	dev->data.mac_addr = (struct sl_ether_addr){ { 0x02, 'R', 'N', 'G',
						      (uint8_t)(dev->data.port_id >> 8),
						      (uint8_t)dev->data.port_id } };
	dev->dev_ops = &ring_ops;
	dev->rx_pkt_burst = ring_rx;
	dev->tx_pkt_burst = ring_tx;
	ret = sl_eth_dev_probing_finish(dev);
	if (ret < 0) {
		sl_eth_dev_release(dev);
		errno = -ret;
		return NULL;
	}
	return dev;
}

int
sl_eth_from_rings(const char *name, struct sl_ring *const rx_queues[], unsigned int nb_rx_queues,
		  struct sl_ring *const tx_queues[], unsigned int nb_tx_queues, int socket_id)
{
	struct ring_private *priv;
	struct sl_eth_dev *dev;

	if (rx_queues == NULL || tx_queues == NULL || nb_rx_queues == 0 || nb_tx_queues == 0 ||
	    nb_rx_queues > SL_ETH_RING_MAX_QUEUES || nb_tx_queues > SL_ETH_RING_MAX_QUEUES) {
		SL_LOG(ERR, NET_RING, "sl_eth_from_rings(%s): need 1..%d RX and TX rings, got %u and %u",
		       name ? name : "(null)", SL_ETH_RING_MAX_QUEUES, nb_rx_queues, nb_tx_queues);
		return -EINVAL;
	}
	for (unsigned int q = 0; q < SL_MAX(nb_rx_queues, nb_tx_queues); q++) {
		if ((q < nb_rx_queues && rx_queues[q] == NULL) ||
		    (q < nb_tx_queues && tx_queues[q] == NULL)) {
			SL_LOG(ERR, NET_RING, "sl_eth_from_rings(%s): ring %u is NULL",
			       name ? name : "(null)", q);
			return -EINVAL;
		}
	}
	priv = sl_zmalloc_socket("ring_private", sizeof(*priv), SL_CACHE_LINE_SIZE, socket_id);
	if (priv == NULL)
		return -ENOMEM;
	priv->nb_rx = nb_rx_queues;
	priv->nb_tx = nb_tx_queues;
	memcpy(priv->rx_rings, rx_queues, nb_rx_queues * sizeof(rx_queues[0]));
	ring_set_tx(priv, tx_queues, NULL);
	dev = ring_port_create(name, priv, socket_id);
	if (dev == NULL) {
		int err = errno;

		sl_free(priv);
		return -err;
	}
	return dev->data.port_id;
}

static struct ring_private *
ring_vdev_private(uint16_t port_id, const char *func)
{
	struct sl_eth_dev *dev = sl_eth_dev_get(port_id);
	struct ring_private *priv;

	if (dev == NULL || !sl_eth_dev_is_valid_port(port_id)) {
		SL_LOG(ERR, NET_RING, "%s: port %u does not exist", func, port_id);
		return NULL;
	}
	priv = dev->data.dev_private;
	if (dev->dev_ops != &ring_ops || !priv->owns_rings) {
		SL_LOG(ERR, NET_RING, "%s: port %u (%s) is not a net_ring vdev port", func, port_id,
		       dev->data.name);
		errno = EINVAL;
		return NULL;
	}
	return priv;
}

/* Wire A and B; both checked by the caller. */
static void
ring_connect(uint16_t a, struct ring_private *pa, uint16_t b, struct ring_private *pb)
{
	ring_set_tx(pa, pb->rx_rings, pb);
	ring_set_tx(pb, pa->rx_rings, pa);
	pa->peer = b;
	pb->peer = a;
	pa->pending_peer[0] = '\0';
	pb->pending_peer[0] = '\0';
}

int
sl_eth_ring_pair(uint16_t port_a, uint16_t port_b)
{
	struct ring_private *pa, *pb;

	errno = ENODEV;
	pa = ring_vdev_private(port_a, __func__);
	if (pa == NULL)
		return -errno;
	errno = ENODEV;
	pb = ring_vdev_private(port_b, __func__);
	if (pb == NULL)
		return -errno;
	if (sl_eth_dev_is_started(port_a) == 1 || sl_eth_dev_is_started(port_b) == 1) {
		SL_LOG(ERR, NET_RING, "cannot pair ports %u and %u while started: stop them first",
		       port_a, port_b);
		return -EBUSY;
	}
	if (port_a == port_b) { /* back to loopback */
		if (pa->peer != RING_NO_PEER && pa->peer != port_a) {
			SL_LOG(ERR, NET_RING, "port %u is paired with port %u: close or re-pair that first",
			       port_a, pa->peer);
			return -EINVAL;
		}
		ring_set_tx(pa, pa->rx_rings, pa);
		pa->peer = RING_NO_PEER;
		return 0;
	}
	if (pa->nb_rx != pb->nb_rx) {
		SL_LOG(ERR, NET_RING, "cannot pair port %u (%u queues) with port %u (%u queues): "
		       "create both with the same queues=", port_a, pa->nb_rx, port_b, pb->nb_rx);
		return -EINVAL;
	}
	if ((pa->peer != RING_NO_PEER && pa->peer != port_b) ||
	    (pb->peer != RING_NO_PEER && pb->peer != port_a)) {
		SL_LOG(ERR, NET_RING, "cannot pair ports %u and %u: one is paired with another port",
		       port_a, port_b);
		return -EINVAL;
	}
	ring_connect(port_a, pa, port_b, pb);
	return 0;
}

static int
ring_parse_args(struct sl_vdev_device *vdev, uint64_t *queues, uint64_t *size, char *peer,
		uint64_t *aids)
{
	struct sl_kvargs *kv;
	int ret;

	kv = sl_kvargs_parse(vdev->name, vdev->args, ring_valid_keys);
	if (kv == NULL)
		return -errno;
	ret = sl_kvargs_get_uint(kv, RING_KEY_QUEUES, 1, SL_ETH_RING_MAX_QUEUES, queues);
	if (ret < 0 && ret != -ENOENT)
		goto out;
	ret = sl_kvargs_get_uint(kv, RING_KEY_SIZE, 2, RING_MAX_SIZE, size);
	if (ret < 0 && ret != -ENOENT)
		goto out;
	if (!sl_is_power_of_2(*size)) {
		SL_LOG(ERR, NET_RING, "%s: size=%lu is not a power of two; use e.g. 1024", vdev->name,
		       (unsigned long)*size);
		ret = -EINVAL;
		goto out;
	}
	{
		static const char *const keys[] = { RING_KEY_MAX_PPS, RING_KEY_DROP, RING_KEY_DUP,
						    RING_KEY_SWAP, RING_KEY_DUP_NEXT };

		/* max_pps 1..2^32-1; the faults every 2nd..2^32-1th packet;
		 * dup_next_queue 0..1 */
		for (unsigned int i = 0; i < SL_DIM(keys); i++) {
			ret = sl_kvargs_get_uint(kv, keys[i], i == 4 ? 0 : i ? 2 : 1,
						 i == 4 ? 1 : UINT32_MAX, &aids[i]);
			if (ret < 0 && ret != -ENOENT)
				goto out;
		}
		if (aids[4] && (*queues < 2 || !aids[2])) {
			SL_LOG(ERR, NET_RING, "%s: dup_next_queue=1 needs dup_every=N and queues=2 "
			       "or more", vdev->name);
			ret = -EINVAL;
			goto out;
		}
	}
	ret = sl_kvargs_get_string(kv, RING_KEY_PEER, peer, SL_ETH_NAME_MAX_LEN);
	if (ret == 0 && strcmp(peer, vdev->name) == 0) {
		SL_LOG(ERR, NET_RING, "%s: peer=%s names the port itself; omit peer= for a loopback",
		       vdev->name, peer);
		ret = -EINVAL;
	}
	ret = ret == -ENOENT ? 0 : ret;
out:
	sl_kvargs_free(kv);
	return ret;
}

/* Complete a pairing that was waiting for @p dev, or that @p dev asks for. */
static int
ring_resolve_peers(struct sl_eth_dev *dev)
{
	struct ring_private *priv = dev->data.dev_private;
	uint16_t p;

	SL_ETH_FOREACH_DEV(p) {
		struct sl_eth_dev *other = sl_eth_dev_get(p);
		struct ring_private *op;

		if (other == dev || other->dev_ops != &ring_ops)
			continue;
		op = other->data.dev_private;
		if (!op->owns_rings)
			continue;
		if (strcmp(op->pending_peer, dev->data.name) == 0 ||
		    strcmp(priv->pending_peer, other->data.name) == 0) {
			int ret = sl_eth_ring_pair(dev->data.port_id, p);

			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

static int
ring_probe(struct sl_vdev_device *vdev)
{
	uint64_t queues = 1, size = RING_DEFAULT_SIZE;
	uint64_t aids[5] = { 0 }; /* max_pps, drop_every, dup_every, swap_every, dup_next_queue */
	char peer[SL_ETH_NAME_MAX_LEN] = "";
	struct ring_private *priv;
	struct sl_eth_dev *dev;
	unsigned int q = 0;
	int ret;

	ret = ring_parse_args(vdev, &queues, &size, peer, aids);
	if (ret < 0)
		return ret;
	priv = sl_zmalloc_socket("ring_private", sizeof(*priv), SL_CACHE_LINE_SIZE, vdev->socket_id);
	if (priv == NULL)
		return -ENOMEM;
	priv->nb_rx = priv->nb_tx = (unsigned int)queues;
	priv->owns_rings = true;
	priv->max_pps = aids[0];
	priv->drop_every = aids[1];
	priv->dup_every = aids[2];
	priv->swap_every = aids[3];
	priv->dup_next_queue = aids[4];
	snprintf(priv->pending_peer, sizeof(priv->pending_peer), "%s", peer);
	ring_serial++;
	for (q = 0; q < queues; q++) {
		char rname[32];

		/*
		 * One consumer (this RX queue).  One producer without RSS (TX
		 * queue q); with RSS any of the sender's TX queues may pick any
		 * ring, so with several queues the rings are multi-producer (a
		 * compare-and-swap per burst).  Ring names are short and
		 * global: number them.
		 */
		snprintf(rname, sizeof(rname), "net_ring%u_rx%u", ring_serial % 100000u, q);
		priv->rx_rings[q] = sl_ring_create(rname, (unsigned int)size, vdev->socket_id,
						   (queues == 1 ? SL_RING_F_SP_ENQ : 0) |
						   SL_RING_F_SC_DEQ | SL_RING_F_EXACT_SZ);
		if (priv->rx_rings[q] == NULL) {
			ret = -errno;
			SL_LOG(ERR, NET_RING, "%s: cannot create ring '%s' of %lu slots: %s",
			       vdev->name, rname, (unsigned long)size, strerror(errno));
			goto fail_rings;
		}
	}
	ring_set_tx(priv, priv->rx_rings, priv); /* loopback until paired */
	dev = ring_port_create(vdev->name, priv, vdev->socket_id);
	if (dev == NULL) {
		ret = -errno;
		goto fail_rings;
	}
	dev->device = vdev;
	if (aids[0] || aids[1] || aids[2] || aids[3])
		dev->tx_pkt_burst = ring_tx_aid;
	ret = ring_resolve_peers(dev);
	if (ret < 0) {
		sl_eth_dev_close(dev->data.port_id);
		return ret;
	}
	SL_LOG(INFO, NET_RING, "%s: port %u, %lu queue(s) of %lu slots%s%s", vdev->name,
	       dev->data.port_id, (unsigned long)queues, (unsigned long)size,
	       peer[0] ? ", peer " : "", peer);
	if (aids[0] || aids[1] || aids[2] || aids[3])
		SL_LOG(WARNING, NET_RING, "%s: test aids on TX: max_pps=%lu drop_every=%lu "
		       "dup_every=%lu swap_every=%lu (0 = off)", vdev->name, (unsigned long)aids[0],
		       (unsigned long)aids[1], (unsigned long)aids[2], (unsigned long)aids[3]);
	return 0;

fail_rings:
	while (q-- > 0)
		sl_ring_free(priv->rx_rings[q]);
	sl_free(priv);
	return ret;
}

static int
ring_remove(struct sl_vdev_device *vdev)
{
	struct sl_eth_dev *dev = sl_eth_dev_allocated(vdev->name);

	if (dev == NULL)
		return 0;
	return sl_eth_dev_close(dev->data.port_id);
}

static struct sl_vdev_driver ring_vdev_driver = {
	.param_help = "queues=<1..16> size=<power of 2> peer=<net_ring name> "
		      "test aids: max_pps=<N> drop_every=<N> dup_every=<N> swap_every=<N>",
	.probe = ring_probe,
	.remove = ring_remove,
};

SL_VDEV_DRIVER_REGISTER(net_ring, ring_vdev_driver);
