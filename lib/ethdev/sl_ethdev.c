/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ethernet device layer: the port registry, argument checking, dispatch to
 * driver ops, generic extended statistics, and the fast-path table the
 * inline burst calls read.
 *
 * Every application argument is checked here against the driver's dev_info
 * so drivers never see out-of-range values; every refusal logs the port,
 * the bad value and the fix.  Control functions are single-threaded by
 * contract (see sl_ethdev.h); the registry mutex only protects slot
 * allocation, which drivers may do from bus probes or at run time.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_ethdev.h"
#include "sl_ethdev_driver.h"
#include "sl_log.h"
#include "sl_mbuf.h"
#include "sl_mempool.h"
#include "sl_rss.h"

/* Used when the driver gives no preference (same spirit as DPDK's fallback). */
#define ETH_DEFAULT_RING_SIZE 512
#define ETH_DEFAULT_BURST 32

#define PORT_ERR(dev, fmt, ...) \
	SL_LOG(ERR, ETHDEV, "port %u (%s): " fmt, (dev)->data.port_id, (dev)->data.name, \
	       ##__VA_ARGS__)

static struct sl_eth_dev eth_devs[SL_MAX_ETHPORTS];
static pthread_mutex_t eth_devs_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * Stopped ports: burst calls land in these and get nothing.  The dummy
 * queue array has the maximum size so that any queue id is a valid index.
 */
static uint16_t
dummy_rx_burst(void *rxq __sl_unused, struct sl_mbuf **pkts __sl_unused,
	       uint16_t n __sl_unused)
{
	return 0;
}

static uint16_t
dummy_tx_burst(void *txq __sl_unused, struct sl_mbuf **pkts __sl_unused,
	       uint16_t n __sl_unused)
{
	return 0;
}

static void *dummy_queues[SL_ETH_MAX_QUEUES_PER_PORT];

struct sl_eth_fp_ops sl_eth_fp_ops[SL_MAX_ETHPORTS] = {
	[0 ... SL_MAX_ETHPORTS - 1] = {
		.rx_pkt_burst = dummy_rx_burst,
		.tx_pkt_burst = dummy_tx_burst,
		.rxq_data = dummy_queues,
		.txq_data = dummy_queues,
	},
};

static void
fp_ops_reset(uint16_t port_id)
{
	struct sl_eth_fp_ops *fp = &sl_eth_fp_ops[port_id];

	fp->rx_pkt_burst = dummy_rx_burst;
	fp->tx_pkt_burst = dummy_tx_burst;
	fp->rxq_data = dummy_queues;
	fp->txq_data = dummy_queues;
	fp->nb_rx_queues = 0;
	fp->nb_tx_queues = 0;
}

static void
fp_ops_setup(struct sl_eth_dev *dev)
{
	struct sl_eth_fp_ops *fp = &sl_eth_fp_ops[dev->data.port_id];

	fp->rxq_data = dev->data.rx_queues;
	fp->txq_data = dev->data.tx_queues;
	fp->nb_rx_queues = dev->data.nb_rx_queues;
	fp->nb_tx_queues = dev->data.nb_tx_queues;
	fp->rx_pkt_burst = dev->rx_pkt_burst;
	fp->tx_pkt_burst = dev->tx_pkt_burst;
}

/* ------------------------------------------------------------------ */
/* Registry                                                            */
/* ------------------------------------------------------------------ */

static uint16_t
count_attached(void)
{
	uint16_t n = 0;

	for (unsigned int i = 0; i < SL_MAX_ETHPORTS; i++)
		if (eth_devs[i].state >= SL_ETH_DEV_ATTACHED)
			n++;
	return n;
}

/* Look a port up for an API call; logs and returns NULL for a bad id. */
static struct sl_eth_dev *
port_get(uint16_t port_id, const char *func)
{
	if (port_id >= SL_MAX_ETHPORTS || eth_devs[port_id].state < SL_ETH_DEV_ATTACHED) {
		SL_LOG(ERR, ETHDEV, "%s: port %u does not exist (%u ports attached; "
		       "list them with SL_ETH_FOREACH_DEV)", func, port_id, count_attached());
		return NULL;
	}
	return &eth_devs[port_id];
}

struct sl_eth_dev *
sl_eth_dev_get(uint16_t port_id)
{
	if (port_id >= SL_MAX_ETHPORTS || eth_devs[port_id].state == SL_ETH_DEV_UNUSED) {
		errno = ENODEV;
		return NULL;
	}
	return &eth_devs[port_id];
}

struct sl_eth_dev *
sl_eth_dev_allocated(const char *name)
{
	if (name == NULL)
		return NULL;
	for (unsigned int i = 0; i < SL_MAX_ETHPORTS; i++)
		if (eth_devs[i].state != SL_ETH_DEV_UNUSED &&
		    strcmp(eth_devs[i].data.name, name) == 0)
			return &eth_devs[i];
	return NULL;
}

struct sl_eth_dev *
sl_eth_dev_allocate(const char *name)
{
	struct sl_eth_dev *dev = NULL;
	size_t len;
	int err = 0;

	len = name ? strnlen(name, SL_ETH_NAME_MAX_LEN) : 0;
	if (len == 0 || len >= SL_ETH_NAME_MAX_LEN) {
		SL_LOG(ERR, ETHDEV, "cannot allocate a port: name '%s' is empty or longer than %d characters",
		       name ? name : "(null)", SL_ETH_NAME_MAX_LEN - 1);
		errno = EINVAL;
		return NULL;
	}
	pthread_mutex_lock(&eth_devs_lock);
	if (sl_eth_dev_allocated(name) != NULL) {
		SL_LOG(ERR, ETHDEV, "cannot allocate port '%s': a port with that name exists; "
		       "pick another name or close it first", name);
		err = EEXIST;
		goto unlock;
	}
	for (unsigned int i = 0; i < SL_MAX_ETHPORTS; i++) {
		if (eth_devs[i].state == SL_ETH_DEV_UNUSED) {
			dev = &eth_devs[i];
			break;
		}
	}
	if (dev == NULL) {
		SL_LOG(ERR, ETHDEV, "cannot allocate port '%s': all %d port slots are used; "
		       "close a port or rebuild with a larger -Dmax_ethports", name, SL_MAX_ETHPORTS);
		err = ENOSPC;
		goto unlock;
	}
	memset(dev, 0, sizeof(*dev));
	dev->data.port_id = (uint16_t)(dev - eth_devs);
	memcpy(dev->data.name, name, len + 1);
	dev->data.mtu = SL_ETHER_MTU;
	dev->data.socket_id = SL_SOCKET_ID_ANY;
	dev->state = SL_ETH_DEV_ALLOCATED;
	fp_ops_reset(dev->data.port_id);
unlock:
	pthread_mutex_unlock(&eth_devs_lock);
	if (err != 0)
		errno = err;
	return dev;
}

int
sl_eth_dev_probing_finish(struct sl_eth_dev *dev)
{
	const struct sl_eth_dev_ops *ops;
	const char *missing = NULL;

	if (dev == NULL || dev->state != SL_ETH_DEV_ALLOCATED)
		return -EINVAL;
	ops = dev->dev_ops;
	if (ops == NULL)
		missing = "dev_ops";
	else if (ops->dev_infos_get == NULL)
		missing = "dev_ops->dev_infos_get";
	else if (ops->dev_start == NULL)
		missing = "dev_ops->dev_start";
	else if (ops->dev_stop == NULL)
		missing = "dev_ops->dev_stop";
	else if (ops->rx_queue_setup == NULL || ops->rx_queue_release == NULL)
		missing = "dev_ops->rx_queue_setup/rx_queue_release";
	else if (ops->tx_queue_setup == NULL || ops->tx_queue_release == NULL)
		missing = "dev_ops->tx_queue_setup/tx_queue_release";
	else if (dev->rx_pkt_burst == NULL || dev->tx_pkt_burst == NULL)
		missing = "rx_pkt_burst/tx_pkt_burst";
	if (missing != NULL) {
		PORT_ERR(dev, "driver bug: %s is not set before sl_eth_dev_probing_finish()",
			 missing);
		return -EINVAL;
	}
	dev->state = SL_ETH_DEV_ATTACHED;
	return 0;
}

static void
queue_arrays_free(struct sl_eth_dev *dev)
{
	free(dev->data.rx_queues);
	free(dev->data.tx_queues);
	free(dev->data.rx_mempools);
	free(dev->data.rx_nb_desc);
	free(dev->data.rx_queue_state);
	free(dev->data.tx_queue_state);
	dev->data.rx_queue_state = NULL;
	dev->data.tx_queue_state = NULL;
	dev->data.rx_queues = NULL;
	dev->data.tx_queues = NULL;
	dev->data.rx_mempools = NULL;
	dev->data.rx_nb_desc = NULL;
	dev->data.nb_rx_queues = 0;
	dev->data.nb_tx_queues = 0;
}

int
sl_eth_dev_release(struct sl_eth_dev *dev)
{
	if (dev == NULL || dev < eth_devs || dev >= eth_devs + SL_MAX_ETHPORTS ||
	    dev->state == SL_ETH_DEV_UNUSED)
		return -EINVAL;
	pthread_mutex_lock(&eth_devs_lock);
	fp_ops_reset(dev->data.port_id);
	queue_arrays_free(dev);
	dev->state = SL_ETH_DEV_UNUSED;
	dev->data.name[0] = '\0';
	pthread_mutex_unlock(&eth_devs_lock);
	return 0;
}

uint16_t
sl_eth_find_next(uint16_t port_id)
{
	while (port_id < SL_MAX_ETHPORTS && eth_devs[port_id].state < SL_ETH_DEV_ATTACHED)
		port_id++;
	return port_id < SL_MAX_ETHPORTS ? port_id : SL_MAX_ETHPORTS;
}

int
sl_eth_dev_is_valid_port(uint16_t port_id)
{
	return port_id < SL_MAX_ETHPORTS && eth_devs[port_id].state >= SL_ETH_DEV_ATTACHED;
}

uint16_t
sl_eth_dev_count_avail(void)
{
	return count_attached();
}

int
sl_eth_dev_get_port_by_name(const char *name, uint16_t *port_id)
{
	struct sl_eth_dev *dev;

	if (name == NULL || port_id == NULL)
		return -EINVAL;
	dev = sl_eth_dev_allocated(name);
	if (dev == NULL || dev->state < SL_ETH_DEV_ATTACHED) {
		SL_LOG(ERR, ETHDEV, "no port is named '%s'", name);
		return -ENODEV;
	}
	*port_id = dev->data.port_id;
	return 0;
}

int
sl_eth_dev_get_name_by_port(uint16_t port_id, char *name)
{
	struct sl_eth_dev *dev = port_get(port_id, __func__);

	if (dev == NULL)
		return -ENODEV;
	if (name == NULL)
		return -EINVAL;
	memcpy(name, dev->data.name, SL_ETH_NAME_MAX_LEN);
	return 0;
}

int
sl_eth_dev_socket_id(uint16_t port_id)
{
	struct sl_eth_dev *dev = port_get(port_id, __func__);

	if (dev == NULL) {
		errno = ENODEV;
		return SL_SOCKET_ID_ANY;
	}
	return dev->data.socket_id;
}

/* ------------------------------------------------------------------ */
/* Device info                                                         */
/* ------------------------------------------------------------------ */

static int
info_get(struct sl_eth_dev *dev, struct sl_eth_dev_info *info)
{
	static const struct sl_eth_desc_lim lim = { .nb_max = UINT16_MAX, .nb_min = 1, .nb_align = 1 };
	int ret;

	memset(info, 0, sizeof(*info));
	info->rx_desc_lim = lim;
	info->tx_desc_lim = lim;
	info->max_rx_queues = 1;
	info->max_tx_queues = 1;
	info->min_mtu = SL_ETHER_MIN_MTU;
	info->max_mtu = SL_ETHER_MTU;
	info->max_rx_pktlen = SL_ETHER_MAX_LEN;
	info->max_mac_addrs = 1;
	ret = dev->dev_ops->dev_infos_get(dev, info);
	if (ret < 0) {
		PORT_ERR(dev, "driver failed to report device info: %s", strerror(-ret));
		return ret;
	}
	if (info->driver_name == NULL)
		info->driver_name = "unknown";
	if (info->rx_desc_lim.nb_align == 0)
		info->rx_desc_lim.nb_align = 1;
	if (info->tx_desc_lim.nb_align == 0)
		info->tx_desc_lim.nb_align = 1;
	if (info->max_rx_queues > SL_ETH_MAX_QUEUES_PER_PORT)
		info->max_rx_queues = SL_ETH_MAX_QUEUES_PER_PORT;
	if (info->max_tx_queues > SL_ETH_MAX_QUEUES_PER_PORT)
		info->max_tx_queues = SL_ETH_MAX_QUEUES_PER_PORT;
	if (info->reta_size % SL_ETH_RETA_GROUP_SIZE != 0 ||
	    info->reta_size > SL_ETH_RSS_RETA_SIZE_MAX) {
		PORT_ERR(dev, "driver reports a RETA of %u entries (not a multiple of %u up to %u); "
			 "RETA calls are refused", info->reta_size, SL_ETH_RETA_GROUP_SIZE,
			 SL_ETH_RSS_RETA_SIZE_MAX);
		info->reta_size = 0;
	}
	info->nb_rx_queues = dev->data.nb_rx_queues;
	info->nb_tx_queues = dev->data.nb_tx_queues;
	return 0;
}

int
sl_eth_dev_info_get(uint16_t port_id, struct sl_eth_dev_info *info)
{
	struct sl_eth_dev *dev = port_get(port_id, __func__);

	if (dev == NULL)
		return -ENODEV;
	if (info == NULL) {
		PORT_ERR(dev, "sl_eth_dev_info_get: info is NULL");
		return -EINVAL;
	}
	return info_get(dev, info);
}

/* ------------------------------------------------------------------ */
/* Configuration                                                       */
/* ------------------------------------------------------------------ */

static const char *const rx_offload_names[] = {
	"vlan_strip", "ipv4_cksum", "udp_cksum", "tcp_cksum", "scatter", "rss_hash", "keep_crc",
};
static const char *const tx_offload_names[] = {
	"vlan_insert", "ipv4_cksum", "udp_cksum", "tcp_cksum", "multi_segs", "mbuf_fast_free",
	"tcp_tso",
};

/* Write the names of the bits of @p mask ("udp_cksum tcp_cksum") into @p buf. */
static const char *
offload_names(char *buf, size_t size, uint64_t mask, const char *const *names, unsigned int n)
{
	size_t off = 0;

	buf[0] = '\0';
	for (unsigned int bit = 0; bit < 64 && off < size; bit++) {
		int w;

		if (!(mask & (1ULL << bit)))
			continue;
		if (bit < n)
			w = snprintf(buf + off, size - off, "%s%s", off ? " " : "", names[bit]);
		else
			w = snprintf(buf + off, size - off, "%sbit%u", off ? " " : "", bit);
		if (w < 0)
			break;
		off += (size_t)w;
	}
	return buf;
}

static int
check_offloads(struct sl_eth_dev *dev, const char *what, uint64_t req, uint64_t capa, int rx)
{
	char bad[256], have[256];
	uint64_t missing = req & ~capa;

	if (missing == 0)
		return 0;
	PORT_ERR(dev, "%s offloads not supported: %s (port supports: %s); drop them from the configuration",
		 what,
		 offload_names(bad, sizeof(bad), missing, rx ? rx_offload_names : tx_offload_names,
			       rx ? SL_DIM(rx_offload_names) : SL_DIM(tx_offload_names)),
		 capa ? offload_names(have, sizeof(have), capa,
				      rx ? rx_offload_names : tx_offload_names,
				      rx ? SL_DIM(rx_offload_names) : SL_DIM(tx_offload_names))
		      : "none");
	return -EINVAL;
}

static void
rx_queue_release(struct sl_eth_dev *dev, uint16_t q)
{
	if (dev->data.rx_queues[q] != NULL) {
		dev->dev_ops->rx_queue_release(dev, q);
		dev->data.rx_queues[q] = NULL;
	}
	dev->data.rx_mempools[q] = NULL;
	dev->data.rx_nb_desc[q] = 0;
}

static void
tx_queue_release(struct sl_eth_dev *dev, uint16_t q)
{
	if (dev->data.tx_queues[q] != NULL) {
		dev->dev_ops->tx_queue_release(dev, q);
		dev->data.tx_queues[q] = NULL;
	}
}

static void
queues_release(struct sl_eth_dev *dev)
{
	for (uint16_t q = 0; q < dev->data.nb_rx_queues; q++)
		rx_queue_release(dev, q);
	for (uint16_t q = 0; q < dev->data.nb_tx_queues; q++)
		tx_queue_release(dev, q);
	queue_arrays_free(dev);
}

static int
check_queue_count(struct sl_eth_dev *dev, const char *dir, uint16_t n, uint16_t max)
{
	if (n == 0) {
		PORT_ERR(dev, "0 %s queues requested: a port needs at least 1", dir);
		return -EINVAL;
	}
	if (n > max) {
		PORT_ERR(dev, "%u %s queues requested but the driver supports at most %u; "
			 "ask for %u or fewer", n, dir, max, max);
		return -EINVAL;
	}
	return 0;
}

static int
check_mtu(struct sl_eth_dev *dev, const struct sl_eth_dev_info *info, uint32_t mtu)
{
	if (mtu < info->min_mtu || mtu > info->max_mtu) {
		PORT_ERR(dev, "MTU %u is out of range: this port accepts %u..%u", mtu,
			 info->min_mtu, info->max_mtu);
		return -EINVAL;
	}
	return 0;
}

int
sl_eth_dev_configure(uint16_t port_id, uint16_t nb_rx_queues, uint16_t nb_tx_queues,
		     const struct sl_eth_conf *conf)
{
	struct sl_eth_dev *dev = port_get(port_id, __func__);
	struct sl_eth_dev_info info;
	struct sl_eth_conf cfg;
	int ret;

	if (dev == NULL)
		return -ENODEV;
	if (dev->state == SL_ETH_DEV_STARTED) {
		PORT_ERR(dev, "cannot configure a started port: call sl_eth_dev_stop() first");
		return -EBUSY;
	}
	ret = info_get(dev, &info);
	if (ret < 0)
		return ret;
	ret = check_queue_count(dev, "RX", nb_rx_queues, info.max_rx_queues);
	if (ret < 0)
		return ret;
	ret = check_queue_count(dev, "TX", nb_tx_queues, info.max_tx_queues);
	if (ret < 0)
		return ret;

	if (conf != NULL)
		cfg = *conf;
	else
		memset(&cfg, 0, sizeof(cfg));
	if (cfg.rxmode.mtu == 0)
		cfg.rxmode.mtu = SL_MIN((uint32_t)SL_ETHER_MTU, (uint32_t)info.max_mtu);
	ret = check_mtu(dev, &info, cfg.rxmode.mtu);
	if (ret < 0)
		return ret;
	ret = check_offloads(dev, "RX", cfg.rxmode.offloads, info.rx_offload_capa, 1);
	if (ret < 0)
		return ret;
	ret = check_offloads(dev, "TX", cfg.txmode.offloads, info.tx_offload_capa, 0);
	if (ret < 0)
		return ret;
	if (cfg.rxmode.mq_mode == SL_ETH_MQ_RX_RSS) {
		uint64_t hf = cfg.rx_adv_conf.rss_conf.rss_hf;

		if (info.flow_type_rss_offloads == 0) {
			PORT_ERR(dev, "RSS requested but this port has no RSS; use SL_ETH_MQ_RX_NONE");
			return -EINVAL;
		}
		if (hf & ~info.flow_type_rss_offloads) {
			PORT_ERR(dev, "RSS hash types 0x%" PRIx64 " not supported (port supports 0x%"
				 PRIx64 ")", hf & ~info.flow_type_rss_offloads,
				 info.flow_type_rss_offloads);
			return -EINVAL;
		}
		if (cfg.rx_adv_conf.rss_conf.rss_key != NULL &&
		    cfg.rx_adv_conf.rss_conf.rss_key_len != info.hash_key_size) {
			PORT_ERR(dev, "RSS key of %u bytes given; this port needs %u",
				 cfg.rx_adv_conf.rss_conf.rss_key_len, info.hash_key_size);
			return -EINVAL;
		}
	} else if (cfg.rxmode.mq_mode != SL_ETH_MQ_RX_NONE) {
		PORT_ERR(dev, "unknown rxmode.mq_mode %d", (int)cfg.rxmode.mq_mode);
		return -EINVAL;
	}

	/* Reconfiguring drops the old queues, as their count may change. */
	queues_release(dev);
	dev->data.rx_queues = calloc(nb_rx_queues, sizeof(void *));
	dev->data.tx_queues = calloc(nb_tx_queues, sizeof(void *));
	dev->data.rx_mempools = calloc(nb_rx_queues, sizeof(struct sl_mempool *));
	dev->data.rx_nb_desc = calloc(nb_rx_queues, sizeof(uint16_t));
	dev->data.rx_queue_state = calloc(nb_rx_queues, sizeof(uint8_t));
	dev->data.tx_queue_state = calloc(nb_tx_queues, sizeof(uint8_t));
	if (dev->data.rx_queues == NULL || dev->data.tx_queues == NULL ||
	    dev->data.rx_mempools == NULL || dev->data.rx_nb_desc == NULL ||
	    dev->data.rx_queue_state == NULL || dev->data.tx_queue_state == NULL) {
		PORT_ERR(dev, "out of memory for %u RX + %u TX queue pointers", nb_rx_queues,
			 nb_tx_queues);
		ret = -ENOMEM;
		goto fail;
	}
	dev->data.nb_rx_queues = nb_rx_queues;
	dev->data.nb_tx_queues = nb_tx_queues;
	dev->data.dev_conf = cfg;
	dev->data.mtu = (uint16_t)cfg.rxmode.mtu;

	if (dev->dev_ops->dev_configure != NULL) {
		ret = dev->dev_ops->dev_configure(dev);
		if (ret < 0) {
			PORT_ERR(dev, "driver refused the configuration: %s", strerror(-ret));
			goto fail;
		}
	}
	/* The key belongs to the caller; the driver has copied it by now. */
	dev->data.dev_conf.rx_adv_conf.rss_conf.rss_key = NULL;
	dev->data.dev_conf.rx_adv_conf.rss_conf.rss_key_len = 0;
	dev->state = SL_ETH_DEV_CONFIGURED;
	return 0;

fail:
	queue_arrays_free(dev);
	dev->state = SL_ETH_DEV_ATTACHED;
	return ret;
}

/* ------------------------------------------------------------------ */
/* Queues                                                              */
/* ------------------------------------------------------------------ */

/* Common checks of both queue setup calls. */
static int
queue_setup_check(struct sl_eth_dev *dev, const char *dir, uint16_t queue_id, uint16_t nb_queues)
{
	if (dev->state == SL_ETH_DEV_ATTACHED) {
		PORT_ERR(dev, "%s queue %u setup before configure: call sl_eth_dev_configure() first",
			 dir, queue_id);
		return -EINVAL;
	}
	if (dev->state == SL_ETH_DEV_STARTED) {
		PORT_ERR(dev, "cannot set up %s queue %u of a started port: stop it first", dir,
			 queue_id);
		return -EBUSY;
	}
	if (queue_id >= nb_queues) {
		PORT_ERR(dev, "%s queue %u does not exist: the port is configured with %u %s queues "
			 "(ids 0..%u)", dir, queue_id, nb_queues, dir, nb_queues - 1);
		return -EINVAL;
	}
	return 0;
}

/* Resolve nb_desc 0 to the default and check it against the limits. */
static int
check_nb_desc(struct sl_eth_dev *dev, const char *dir, uint16_t queue_id, uint16_t *nb_desc,
	      const struct sl_eth_desc_lim *lim, uint16_t suggested)
{
	uint16_t n = *nb_desc;

	if (n == 0) {
		n = suggested ? suggested : ETH_DEFAULT_RING_SIZE;
		n = SL_MAX(n, lim->nb_min);
		n = SL_MIN(n, lim->nb_max);
		n = (uint16_t)(n - n % lim->nb_align);
		if (n < lim->nb_min) /* limits the driver cannot meet: report as is */
			n = lim->nb_min;
	}
	if (n < lim->nb_min || n > lim->nb_max || n % lim->nb_align != 0) {
		PORT_ERR(dev, "%s queue %u: %u descriptors requested; this port needs %u..%u in "
			 "multiples of %u", dir, queue_id, n, lim->nb_min, lim->nb_max,
			 lim->nb_align);
		return -EINVAL;
	}
	*nb_desc = n;
	return 0;
}

/*
 * A pool must hold more mbufs than the RX queues using it can keep in
 * their rings, or RX starves once the rings are full and nothing is left to
 * transmit or to refill.  Counted over every port: applications share one
 * pool among ports.  @p extra_q is the queue being set up (not yet recorded).
 */
static int
check_pool_capacity(struct sl_eth_dev *self, uint16_t self_q, uint16_t self_desc,
		    struct sl_mempool *mp)
{
	uint64_t need = self_desc;
	unsigned int nq = 1;

	for (unsigned int p = 0; p < SL_MAX_ETHPORTS; p++) {
		const struct sl_eth_dev *d = &eth_devs[p];

		if (d->state < SL_ETH_DEV_CONFIGURED || d->data.rx_mempools == NULL)
			continue;
		for (uint16_t q = 0; q < d->data.nb_rx_queues; q++) {
			if (d == self && q == self_q)
				continue;
			if (d->data.rx_mempools[q] == mp) {
				need += d->data.rx_nb_desc[q];
				nq++;
			}
		}
	}
	if (mp->size <= need) {
		PORT_ERR(self, "RX queue %u: pool '%s' has %u mbufs but the %u RX queue(s) using it "
			 "hold up to %" PRIu64 " descriptors; create the pool with more than %" PRIu64
			 " mbufs (plus TX descriptors, bursts and caches) or use fewer/smaller RX rings",
			 self_q, mp->name, mp->size, nq, need, need);
		return -ENOSPC;
	}
	return 0;
}

int
sl_eth_rx_queue_setup(uint16_t port_id, uint16_t queue_id, uint16_t nb_desc, int socket_id,
		      const struct sl_eth_rxconf *rx_conf, struct sl_mempool *mp)
{
	struct sl_eth_dev *dev = port_get(port_id, __func__);
	struct sl_eth_dev_info info;
	struct sl_eth_rxconf conf;
	uint32_t bufsize, frame;
	uint64_t offloads;
	int ret;

	if (dev == NULL)
		return -ENODEV;
	ret = queue_setup_check(dev, "RX", queue_id, dev->data.nb_rx_queues);
	if (ret < 0)
		return ret;
	if (mp == NULL) {
		PORT_ERR(dev, "RX queue %u: mempool is NULL; pass a pool from sl_mbuf_pool_create()",
			 queue_id);
		return -EINVAL;
	}
	if (mp->private_data_size < sizeof(struct sl_mbuf_pool_private)) {
		PORT_ERR(dev, "RX queue %u: pool '%s' is not an mbuf pool; create it with "
			 "sl_mbuf_pool_create()", queue_id, mp->name);
		return -EINVAL;
	}
	ret = info_get(dev, &info);
	if (ret < 0)
		return ret;
	ret = check_nb_desc(dev, "RX", queue_id, &nb_desc, &info.rx_desc_lim,
			    info.default_rxportconf.ring_size);
	if (ret < 0)
		return ret;

	bufsize = sl_mbuf_data_room_size(mp);
	bufsize = bufsize > SL_PKTMBUF_HEADROOM ? bufsize - SL_PKTMBUF_HEADROOM : 0;
	if (bufsize < info.min_rx_bufsize) {
		PORT_ERR(dev, "RX queue %u: mbufs of pool '%s' have %u bytes after headroom; this "
			 "port needs at least %u (data room %u): create the pool with a larger data room",
			 queue_id, mp->name, bufsize, info.min_rx_bufsize,
			 info.min_rx_bufsize + SL_PKTMBUF_HEADROOM);
		return -EINVAL;
	}
	conf = rx_conf ? *rx_conf : info.default_rxconf;
	offloads = conf.offloads | dev->data.dev_conf.rxmode.offloads;
	ret = check_offloads(dev, "RX queue", conf.offloads, info.rx_offload_capa, 1);
	if (ret < 0)
		return ret;
	/* A NIC writes whole frames into one buffer unless scatter is on. */
	frame = dev->data.mtu + SL_ETHER_HDR_LEN + SL_ETHER_CRC_LEN + SL_VLAN_HLEN;
	if (info.min_rx_bufsize > 0 && !(offloads & SL_ETH_RX_OFFLOAD_SCATTER) && frame > bufsize) {
		PORT_ERR(dev, "RX queue %u: MTU %u frames (%u bytes) do not fit the %u-byte mbufs of "
			 "pool '%s'; use a data room of at least %u, a smaller MTU, or the scatter offload",
			 queue_id, dev->data.mtu, frame, bufsize, mp->name,
			 frame + SL_PKTMBUF_HEADROOM);
		return -EINVAL;
	}
	ret = check_pool_capacity(dev, queue_id, nb_desc, mp);
	if (ret < 0)
		return ret;

	rx_queue_release(dev, queue_id);
	conf.offloads = offloads;
	if (socket_id == SL_SOCKET_ID_ANY)
		socket_id = dev->data.socket_id;
	ret = dev->dev_ops->rx_queue_setup(dev, queue_id, nb_desc, socket_id, &conf, mp);
	if (ret < 0) {
		PORT_ERR(dev, "RX queue %u: driver setup failed: %s", queue_id, strerror(-ret));
		return ret;
	}
	dev->data.rx_mempools[queue_id] = mp;
	dev->data.rx_nb_desc[queue_id] = nb_desc;
	return 0;
}

int
sl_eth_tx_queue_setup(uint16_t port_id, uint16_t queue_id, uint16_t nb_desc, int socket_id,
		      const struct sl_eth_txconf *tx_conf)
{
	struct sl_eth_dev *dev = port_get(port_id, __func__);
	struct sl_eth_dev_info info;
	struct sl_eth_txconf conf;
	int ret;

	if (dev == NULL)
		return -ENODEV;
	ret = queue_setup_check(dev, "TX", queue_id, dev->data.nb_tx_queues);
	if (ret < 0)
		return ret;
	ret = info_get(dev, &info);
	if (ret < 0)
		return ret;
	ret = check_nb_desc(dev, "TX", queue_id, &nb_desc, &info.tx_desc_lim,
			    info.default_txportconf.ring_size);
	if (ret < 0)
		return ret;
	conf = tx_conf ? *tx_conf : info.default_txconf;
	ret = check_offloads(dev, "TX queue", conf.offloads, info.tx_offload_capa, 0);
	if (ret < 0)
		return ret;
	conf.offloads |= dev->data.dev_conf.txmode.offloads;

	tx_queue_release(dev, queue_id);
	if (socket_id == SL_SOCKET_ID_ANY)
		socket_id = dev->data.socket_id;
	ret = dev->dev_ops->tx_queue_setup(dev, queue_id, nb_desc, socket_id, &conf);
	if (ret < 0) {
		PORT_ERR(dev, "TX queue %u: driver setup failed: %s", queue_id, strerror(-ret));
		return ret;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Start / stop / close                                                */
/* ------------------------------------------------------------------ */

int
sl_eth_dev_start(uint16_t port_id)
{
	struct sl_eth_dev *dev = port_get(port_id, __func__);
	int ret;

	if (dev == NULL)
		return -ENODEV;
	if (dev->state == SL_ETH_DEV_STARTED)
		return 0;
	if (dev->state != SL_ETH_DEV_CONFIGURED) {
		PORT_ERR(dev, "cannot start: not configured; call sl_eth_dev_configure() and set up "
			 "the queues first");
		return -EINVAL;
	}
	for (uint16_t q = 0; q < dev->data.nb_rx_queues; q++) {
		if (dev->data.rx_queues[q] == NULL) {
			PORT_ERR(dev, "cannot start: RX queue %u is not set up; call "
				 "sl_eth_rx_queue_setup() for queues 0..%u", q,
				 dev->data.nb_rx_queues - 1);
			return -EINVAL;
		}
		/* Other ports may have set up queues on the pool since. */
		ret = check_pool_capacity(dev, q, dev->data.rx_nb_desc[q], dev->data.rx_mempools[q]);
		if (ret < 0)
			return ret;
	}
	for (uint16_t q = 0; q < dev->data.nb_tx_queues; q++) {
		if (dev->data.tx_queues[q] == NULL) {
			PORT_ERR(dev, "cannot start: TX queue %u is not set up; call "
				 "sl_eth_tx_queue_setup() for queues 0..%u", q,
				 dev->data.nb_tx_queues - 1);
			return -EINVAL;
		}
	}
	ret = dev->dev_ops->dev_start(dev);
	if (ret < 0) {
		PORT_ERR(dev, "driver failed to start: %s", strerror(-ret));
		return ret;
	}
	/* The driver may pick its burst functions in dev_start. */
	fp_ops_setup(dev);
	dev->state = SL_ETH_DEV_STARTED;
	memset(dev->data.rx_queue_state, SL_ETH_QUEUE_STATE_STARTED, dev->data.nb_rx_queues);
	memset(dev->data.tx_queue_state, SL_ETH_QUEUE_STATE_STARTED, dev->data.nb_tx_queues);
	if (dev->dev_ops->link_update != NULL)
		(void)dev->dev_ops->link_update(dev, 0);
	return 0;
}

int
sl_eth_dev_stop(uint16_t port_id)
{
	struct sl_eth_dev *dev = port_get(port_id, __func__);
	int ret;

	if (dev == NULL)
		return -ENODEV;
	if (dev->state != SL_ETH_DEV_STARTED)
		return 0;
	/* Burst calls made after this point get the dummies, not freed queues. */
	fp_ops_reset(port_id);
	dev->state = SL_ETH_DEV_CONFIGURED;
	memset(dev->data.rx_queue_state, SL_ETH_QUEUE_STATE_STOPPED, dev->data.nb_rx_queues);
	memset(dev->data.tx_queue_state, SL_ETH_QUEUE_STATE_STOPPED, dev->data.nb_tx_queues);
	ret = dev->dev_ops->dev_stop(dev);
	if (ret < 0)
		PORT_ERR(dev, "driver failed to stop cleanly: %s", strerror(-ret));
	return ret;
}

int
sl_eth_dev_close(uint16_t port_id)
{
	struct sl_eth_dev *dev = port_get(port_id, __func__);
	int ret = 0, r;

	if (dev == NULL)
		return -ENODEV;
	if (dev->state == SL_ETH_DEV_STARTED)
		ret = sl_eth_dev_stop(port_id);
	queues_release(dev);
	if (dev->dev_ops->dev_close != NULL) {
		r = dev->dev_ops->dev_close(dev);
		if (r < 0) {
			PORT_ERR(dev, "driver close failed: %s (port released anyway)", strerror(-r));
			ret = ret ? ret : r;
		}
	}
	sl_eth_dev_release(dev);
	return ret;
}

int
sl_eth_dev_is_started(uint16_t port_id)
{
	struct sl_eth_dev *dev = port_get(port_id, __func__);

	if (dev == NULL)
		return -ENODEV;
	return dev->state == SL_ETH_DEV_STARTED;
}

/* ------------------------------------------------------------------ */
/* Queue start / stop                                                  */
/* ------------------------------------------------------------------ */

typedef int (*queue_op_t)(struct sl_eth_dev *dev, uint16_t queue_id);

static int
queue_start_stop(uint16_t port_id, uint16_t queue_id, int rx, int start, const char *func)
{
	struct sl_eth_dev *dev = port_get(port_id, func);
	const char *dir = rx ? "RX" : "TX";
	uint16_t nb;
	uint8_t *state;
	queue_op_t op;
	int ret;

	if (dev == NULL)
		return -ENODEV;
	nb = rx ? dev->data.nb_rx_queues : dev->data.nb_tx_queues;
	if (dev->state < SL_ETH_DEV_CONFIGURED) {
		PORT_ERR(dev, "%s: %s queue %u: the port is not configured (no queues); call "
			 "sl_eth_dev_configure() and sl_eth_dev_start() first", func, dir, queue_id);
		return -EINVAL;
	}
	if (queue_id >= nb) {
		PORT_ERR(dev, "%s: %s queue %u does not exist: the port has %u %s queues (ids 0..%u)",
			 func, dir, queue_id, nb, dir, nb - 1);
		return -EINVAL;
	}
	if (rx)
		op = start ? dev->dev_ops->rx_queue_start : dev->dev_ops->rx_queue_stop;
	else
		op = start ? dev->dev_ops->tx_queue_start : dev->dev_ops->tx_queue_stop;
	if (op == NULL) {
		PORT_ERR(dev, "%s: the driver cannot start or stop single %s queues; stop and start "
			 "the whole port instead", func, dir);
		return -ENOTSUP;
	}
	if (dev->state != SL_ETH_DEV_STARTED) {
		PORT_ERR(dev, "%s: %s queue %u: the port is stopped; sl_eth_dev_start() starts every "
			 "queue", func, dir, queue_id);
		return -EINVAL;
	}
	state = rx ? &dev->data.rx_queue_state[queue_id] : &dev->data.tx_queue_state[queue_id];
	if (*state == (start ? SL_ETH_QUEUE_STATE_STARTED : SL_ETH_QUEUE_STATE_STOPPED))
		return 0;
	ret = op(dev, queue_id);
	if (ret < 0) {
		PORT_ERR(dev, "%s: driver failed to %s %s queue %u: %s", func,
			 start ? "start" : "stop", dir, queue_id, strerror(-ret));
		return ret;
	}
	*state = start ? SL_ETH_QUEUE_STATE_STARTED : SL_ETH_QUEUE_STATE_STOPPED;
	return 0;
}

int
sl_eth_dev_rx_queue_start(uint16_t port_id, uint16_t queue_id)
{
	return queue_start_stop(port_id, queue_id, 1, 1, __func__);
}

int
sl_eth_dev_rx_queue_stop(uint16_t port_id, uint16_t queue_id)
{
	return queue_start_stop(port_id, queue_id, 1, 0, __func__);
}

int
sl_eth_dev_tx_queue_start(uint16_t port_id, uint16_t queue_id)
{
	return queue_start_stop(port_id, queue_id, 0, 1, __func__);
}

int
sl_eth_dev_tx_queue_stop(uint16_t port_id, uint16_t queue_id)
{
	return queue_start_stop(port_id, queue_id, 0, 0, __func__);
}

/* ------------------------------------------------------------------ */
/* Receive side scaling                                                */
/* ------------------------------------------------------------------ */

/* lib/net's software hash takes rss_hf as it is. */
static_assert(SL_ETH_RSS_IPV4 == SL_RSS_HF_IPV4 && SL_ETH_RSS_IPV6 == SL_RSS_HF_IPV6 &&
	      SL_ETH_RSS_NONFRAG_IPV4_TCP == SL_RSS_HF_IPV4_TCP &&
	      SL_ETH_RSS_NONFRAG_IPV4_UDP == SL_RSS_HF_IPV4_UDP &&
	      SL_ETH_RSS_NONFRAG_IPV6_TCP == SL_RSS_HF_IPV6_TCP &&
	      SL_ETH_RSS_NONFRAG_IPV6_UDP == SL_RSS_HF_IPV6_UDP, "RSS type bits differ from lib/net");

/* Common checks: the port is configured, has RSS, and the driver has the op. */
static struct sl_eth_dev *
rss_port_get(uint16_t port_id, const char *func, int has_op, int need_rss_mode,
	     struct sl_eth_dev_info *info, int *ret)
{
	struct sl_eth_dev *dev = port_get(port_id, func);

	*ret = -ENODEV;
	if (dev == NULL)
		return NULL;
	*ret = info_get(dev, info);
	if (*ret < 0)
		return NULL;
	if (!has_op || info->flow_type_rss_offloads == 0) {
		PORT_ERR(dev, "%s: %s has no RSS", func, info->driver_name);
		*ret = -ENOTSUP;
		return NULL;
	}
	if (dev->state < SL_ETH_DEV_CONFIGURED) {
		PORT_ERR(dev, "%s: the port is not configured; call sl_eth_dev_configure() with "
			 "rxmode.mq_mode = SL_ETH_MQ_RX_RSS first", func);
		*ret = -EINVAL;
		return NULL;
	}
	if (need_rss_mode && dev->data.dev_conf.rxmode.mq_mode != SL_ETH_MQ_RX_RSS) {
		PORT_ERR(dev, "%s: RSS is not enabled; configure the port with rxmode.mq_mode = "
			 "SL_ETH_MQ_RX_RSS", func);
		*ret = -EINVAL;
		return NULL;
	}
	*ret = 0;
	return dev;
}

int
sl_eth_dev_rss_hash_update(uint16_t port_id, const struct sl_eth_rss_conf *rss_conf)
{
	struct sl_eth_dev_info info;
	struct sl_eth_dev *dev;
	int ret;

	dev = port_get(port_id, __func__);
	if (dev == NULL)
		return -ENODEV;
	dev = rss_port_get(port_id, __func__, dev->dev_ops->rss_hash_update != NULL, 1,
			   &info, &ret);
	if (dev == NULL)
		return ret;
	if (rss_conf == NULL) {
		PORT_ERR(dev, "%s: rss_conf is NULL", __func__);
		return -EINVAL;
	}
	if (rss_conf->rss_hf & ~info.flow_type_rss_offloads) {
		PORT_ERR(dev, "%s: RSS hash types 0x%" PRIx64 " not supported (port supports 0x%"
			 PRIx64 ")", __func__, rss_conf->rss_hf & ~info.flow_type_rss_offloads,
			 info.flow_type_rss_offloads);
		return -EINVAL;
	}
	if (rss_conf->rss_key != NULL && rss_conf->rss_key_len != info.hash_key_size) {
		PORT_ERR(dev, "%s: RSS key of %u bytes given; this port needs %u", __func__,
			 rss_conf->rss_key_len, info.hash_key_size);
		return -EINVAL;
	}
	ret = dev->dev_ops->rss_hash_update(dev, rss_conf);
	if (ret < 0) {
		PORT_ERR(dev, "%s: driver refused: %s", __func__, strerror(-ret));
		return ret;
	}
	dev->data.dev_conf.rx_adv_conf.rss_conf.rss_hf = rss_conf->rss_hf;
	return 0;
}

int
sl_eth_dev_rss_hash_conf_get(uint16_t port_id, struct sl_eth_rss_conf *rss_conf, uint8_t *key,
			     uint16_t key_size)
{
	struct sl_eth_dev_info info;
	struct sl_eth_dev *dev;
	struct sl_eth_rss_conf c;
	int ret;

	dev = port_get(port_id, __func__);
	if (dev == NULL)
		return -ENODEV;
	dev = rss_port_get(port_id, __func__, dev->dev_ops->rss_hash_conf_get != NULL, 0,
			   &info, &ret);
	if (dev == NULL)
		return ret;
	if (rss_conf == NULL) {
		PORT_ERR(dev, "%s: rss_conf is NULL", __func__);
		return -EINVAL;
	}
	if (key != NULL && key_size < info.hash_key_size) {
		PORT_ERR(dev, "%s: key buffer of %u bytes; this port's key has %u", __func__,
			 key_size, info.hash_key_size);
		return -EINVAL;
	}
	memset(&c, 0, sizeof(c));
	c.rss_key = key;
	ret = dev->dev_ops->rss_hash_conf_get(dev, &c);
	if (ret < 0) {
		PORT_ERR(dev, "%s: driver failed: %s", __func__, strerror(-ret));
		return ret;
	}
	c.rss_key = key;
	c.rss_key_len = (uint8_t)info.hash_key_size;
	*rss_conf = c;
	return 0;
}

/* Size checks shared by RETA update and query. */
static int
reta_check_size(struct sl_eth_dev *dev, const char *func, const void *conf, uint16_t size,
		const struct sl_eth_dev_info *info)
{
	if (info->reta_size == 0) {
		PORT_ERR(dev, "%s: %s has no redirection table", func, info->driver_name);
		return -ENOTSUP;
	}
	if (conf == NULL) {
		PORT_ERR(dev, "%s: reta_conf is NULL", func);
		return -EINVAL;
	}
	if (size != info->reta_size) {
		PORT_ERR(dev, "%s: RETA size %u given; this port's table has %u entries (%u groups "
			 "of %u; see dev_info.reta_size)", func, size, info->reta_size,
			 info->reta_size / SL_ETH_RETA_GROUP_SIZE, SL_ETH_RETA_GROUP_SIZE);
		return -EINVAL;
	}
	return 0;
}

int
sl_eth_dev_rss_reta_update(uint16_t port_id, const struct sl_eth_rss_reta_entry64 *reta_conf,
			   uint16_t reta_size)
{
	struct sl_eth_dev_info info;
	struct sl_eth_dev *dev;
	int ret;

	dev = port_get(port_id, __func__);
	if (dev == NULL)
		return -ENODEV;
	dev = rss_port_get(port_id, __func__, dev->dev_ops->reta_update != NULL, 1, &info,
			   &ret);
	if (dev == NULL)
		return ret;
	ret = reta_check_size(dev, __func__, reta_conf, reta_size, &info);
	if (ret < 0)
		return ret;
	for (unsigned int i = 0; i < reta_size; i++) {
		const struct sl_eth_rss_reta_entry64 *g = &reta_conf[i / SL_ETH_RETA_GROUP_SIZE];
		unsigned int slot = i % SL_ETH_RETA_GROUP_SIZE;

		if ((g->mask >> slot & 1) && g->reta[slot] >= dev->data.nb_rx_queues) {
			PORT_ERR(dev, "%s: RETA entry %u names RX queue %u; the port has %u RX "
				 "queues (ids 0..%u)", __func__, i, g->reta[slot],
				 dev->data.nb_rx_queues, dev->data.nb_rx_queues - 1);
			return -EINVAL;
		}
	}
	ret = dev->dev_ops->reta_update(dev, reta_conf, reta_size);
	if (ret < 0)
		PORT_ERR(dev, "%s: driver refused: %s", __func__, strerror(-ret));
	return ret;
}

int
sl_eth_dev_rss_reta_query(uint16_t port_id, struct sl_eth_rss_reta_entry64 *reta_conf,
			  uint16_t reta_size)
{
	struct sl_eth_dev_info info;
	struct sl_eth_dev *dev;
	int ret;

	dev = port_get(port_id, __func__);
	if (dev == NULL)
		return -ENODEV;
	dev = rss_port_get(port_id, __func__, dev->dev_ops->reta_query != NULL, 0, &info,
			   &ret);
	if (dev == NULL)
		return ret;
	ret = reta_check_size(dev, __func__, reta_conf, reta_size, &info);
	if (ret < 0)
		return ret;
	ret = dev->dev_ops->reta_query(dev, reta_conf, reta_size);
	if (ret < 0)
		PORT_ERR(dev, "%s: driver failed: %s", __func__, strerror(-ret));
	return ret;
}

/* ------------------------------------------------------------------ */
/* Link                                                                */
/* ------------------------------------------------------------------ */

int
sl_eth_linkstatus_set(struct sl_eth_dev *dev, const struct sl_eth_link *link)
{
	uint64_t nv, old;

	memcpy(&nv, link, sizeof(nv));
	/* One 64-bit exchange: readers on other threads never see half a link. */
	old = __atomic_exchange_n((uint64_t *)(void *)&dev->data.dev_link, nv, __ATOMIC_SEQ_CST);
	return old != nv;
}

void
sl_eth_linkstatus_get(const struct sl_eth_dev *dev, struct sl_eth_link *link)
{
	uint64_t v = __atomic_load_n((const uint64_t *)(const void *)&dev->data.dev_link,
				     __ATOMIC_SEQ_CST);

	memcpy(link, &v, sizeof(v));
}

static int
link_get(uint16_t port_id, struct sl_eth_link *link, int wait, const char *func)
{
	struct sl_eth_dev *dev = port_get(port_id, func);
	int ret;

	if (dev == NULL)
		return -ENODEV;
	if (link == NULL) {
		PORT_ERR(dev, "%s: link is NULL", func);
		return -EINVAL;
	}
	if (dev->dev_ops->link_update != NULL) {
		ret = dev->dev_ops->link_update(dev, wait);
		if (ret < 0) {
			PORT_ERR(dev, "driver failed to read the link: %s", strerror(-ret));
			return ret;
		}
	}
	sl_eth_linkstatus_get(dev, link);
	return 0;
}

int
sl_eth_link_get(uint16_t port_id, struct sl_eth_link *link)
{
	return link_get(port_id, link, 1, __func__);
}

int
sl_eth_link_get_nowait(uint16_t port_id, struct sl_eth_link *link)
{
	return link_get(port_id, link, 0, __func__);
}

const char *
sl_eth_link_speed_to_str(uint32_t speed)
{
	switch (speed) {
	case SL_ETH_SPEED_NUM_NONE: return "None";
	case SL_ETH_SPEED_NUM_10M: return "10 Mbps";
	case SL_ETH_SPEED_NUM_100M: return "100 Mbps";
	case SL_ETH_SPEED_NUM_1G: return "1 Gbps";
	case SL_ETH_SPEED_NUM_10G: return "10 Gbps";
	case SL_ETH_SPEED_NUM_25G: return "25 Gbps";
	case SL_ETH_SPEED_NUM_40G: return "40 Gbps";
	case SL_ETH_SPEED_NUM_100G: return "100 Gbps";
	default: return "Unknown";
	}
}

int
sl_eth_link_to_str(char *str, size_t len, const struct sl_eth_link *link)
{
	if (str == NULL || len == 0 || link == NULL)
		return -EINVAL;
	if (link->link_status == SL_ETH_LINK_DOWN)
		return snprintf(str, len, "Link down");
	return snprintf(str, len, "Link up at %s %s %s", sl_eth_link_speed_to_str(link->link_speed),
			link->link_duplex == SL_ETH_LINK_FULL_DUPLEX ? "FDX" : "HDX",
			link->link_autoneg == SL_ETH_LINK_AUTONEG ? "Autoneg" : "Fixed");
}

/* ------------------------------------------------------------------ */
/* Statistics                                                          */
/* ------------------------------------------------------------------ */

static int
stats_get(struct sl_eth_dev *dev, struct sl_eth_stats *stats)
{
	int ret;

	memset(stats, 0, sizeof(*stats));
	if (dev->dev_ops->stats_get == NULL)
		return -ENOTSUP;
	ret = dev->dev_ops->stats_get(dev, stats);
	if (ret < 0) {
		PORT_ERR(dev, "driver failed to read statistics: %s", strerror(-ret));
		return ret;
	}
	stats->rx_nombuf += dev->data.rx_mbuf_alloc_failed;
	return 0;
}

int
sl_eth_stats_get(uint16_t port_id, struct sl_eth_stats *stats)
{
	struct sl_eth_dev *dev = port_get(port_id, __func__);
	int ret;

	if (dev == NULL)
		return -ENODEV;
	if (stats == NULL) {
		PORT_ERR(dev, "sl_eth_stats_get: stats is NULL");
		return -EINVAL;
	}
	ret = stats_get(dev, stats);
	if (ret == -ENOTSUP)
		PORT_ERR(dev, "driver %s keeps no statistics", dev->data.name);
	return ret;
}

int
sl_eth_stats_reset(uint16_t port_id)
{
	struct sl_eth_dev *dev = port_get(port_id, __func__);
	int ret;

	if (dev == NULL)
		return -ENODEV;
	if (dev->dev_ops->stats_reset == NULL) {
		PORT_ERR(dev, "driver cannot reset statistics");
		return -ENOTSUP;
	}
	ret = dev->dev_ops->stats_reset(dev);
	if (ret < 0) {
		PORT_ERR(dev, "driver failed to reset statistics: %s", strerror(-ret));
		return ret;
	}
	dev->data.rx_mbuf_alloc_failed = 0;
	return 0;
}

/* Generic extended statistics, computed from struct sl_eth_stats. */
struct xstat_def {
	const char *name;
	size_t offset;
};

static const struct xstat_def xstats_port[] = {
	{ "rx_good_packets", offsetof(struct sl_eth_stats, ipackets) },
	{ "tx_good_packets", offsetof(struct sl_eth_stats, opackets) },
	{ "rx_good_bytes", offsetof(struct sl_eth_stats, ibytes) },
	{ "tx_good_bytes", offsetof(struct sl_eth_stats, obytes) },
	{ "rx_missed_errors", offsetof(struct sl_eth_stats, imissed) },
	{ "rx_errors", offsetof(struct sl_eth_stats, ierrors) },
	{ "tx_errors", offsetof(struct sl_eth_stats, oerrors) },
	{ "rx_mbuf_allocation_errors", offsetof(struct sl_eth_stats, rx_nombuf) },
};

static const struct xstat_def xstats_rxq[] = {
	{ "packets", offsetof(struct sl_eth_stats, q_ipackets) },
	{ "bytes", offsetof(struct sl_eth_stats, q_ibytes) },
	{ "errors", offsetof(struct sl_eth_stats, q_errors) },
};

static const struct xstat_def xstats_txq[] = {
	{ "packets", offsetof(struct sl_eth_stats, q_opackets) },
	{ "bytes", offsetof(struct sl_eth_stats, q_obytes) },
};

static unsigned int
xstats_nb_rxq(const struct sl_eth_dev *dev)
{
	return SL_MIN(dev->data.nb_rx_queues, (uint16_t)SL_ETH_QUEUE_STAT_CNTRS);
}

static unsigned int
xstats_nb_txq(const struct sl_eth_dev *dev)
{
	return SL_MIN(dev->data.nb_tx_queues, (uint16_t)SL_ETH_QUEUE_STAT_CNTRS);
}

static unsigned int
xstats_generic_count(const struct sl_eth_dev *dev)
{
	if (dev->dev_ops->stats_get == NULL)
		return 0;
	return SL_DIM(xstats_port) + xstats_nb_rxq(dev) * SL_DIM(xstats_rxq) +
	       xstats_nb_txq(dev) * SL_DIM(xstats_txq);
}

static int
xstats_driver_count(struct sl_eth_dev *dev)
{
	int n;

	if (dev->dev_ops->xstats_get == NULL || dev->dev_ops->xstats_get_names == NULL)
		return 0;
	n = dev->dev_ops->xstats_get_names(dev, NULL, 0);
	if (n < 0)
		PORT_ERR(dev, "driver failed to count its extended statistics: %s", strerror(-n));
	return n;
}

int
sl_eth_xstats_get_names(uint16_t port_id, struct sl_eth_xstat_name *names, unsigned int size)
{
	struct sl_eth_dev *dev = port_get(port_id, __func__);
	unsigned int gen, i = 0;
	int drv, ret;

	if (dev == NULL)
		return -ENODEV;
	gen = xstats_generic_count(dev);
	drv = xstats_driver_count(dev);
	if (drv < 0)
		return drv;
	if (names == NULL || size < gen + (unsigned int)drv)
		return (int)(gen + (unsigned int)drv);
	if (gen > 0) {
		for (unsigned int k = 0; k < SL_DIM(xstats_port); k++)
			snprintf(names[i++].name, SL_ETH_XSTATS_NAME_SIZE, "%s", xstats_port[k].name);
		for (unsigned int q = 0; q < xstats_nb_rxq(dev); q++)
			for (unsigned int k = 0; k < SL_DIM(xstats_rxq); k++)
				snprintf(names[i++].name, SL_ETH_XSTATS_NAME_SIZE, "rx_q%u_%s", q,
					 xstats_rxq[k].name);
		for (unsigned int q = 0; q < xstats_nb_txq(dev); q++)
			for (unsigned int k = 0; k < SL_DIM(xstats_txq); k++)
				snprintf(names[i++].name, SL_ETH_XSTATS_NAME_SIZE, "tx_q%u_%s", q,
					 xstats_txq[k].name);
	}
	if (drv > 0) {
		ret = dev->dev_ops->xstats_get_names(dev, names + gen, (unsigned int)drv);
		if (ret < 0) {
			PORT_ERR(dev, "driver failed to name its extended statistics: %s",
				 strerror(-ret));
			return ret;
		}
	}
	return (int)(gen + (unsigned int)drv);
}

static uint64_t
stat_at(const struct sl_eth_stats *s, size_t offset, unsigned int idx)
{
	const uint64_t *p = (const uint64_t *)(const void *)((const char *)s + offset);

	return p[idx];
}

int
sl_eth_xstats_get(uint16_t port_id, struct sl_eth_xstat *xstats, unsigned int n)
{
	struct sl_eth_dev *dev = port_get(port_id, __func__);
	struct sl_eth_stats stats;
	unsigned int gen, i = 0;
	int drv, ret;

	if (dev == NULL)
		return -ENODEV;
	gen = xstats_generic_count(dev);
	drv = xstats_driver_count(dev);
	if (drv < 0)
		return drv;
	if (xstats == NULL || n < gen + (unsigned int)drv)
		return (int)(gen + (unsigned int)drv);
	if (gen > 0) {
		ret = stats_get(dev, &stats);
		if (ret < 0)
			return ret;
		for (unsigned int k = 0; k < SL_DIM(xstats_port); k++, i++) {
			xstats[i].id = i;
			xstats[i].value = stat_at(&stats, xstats_port[k].offset, 0);
		}
		for (unsigned int q = 0; q < xstats_nb_rxq(dev); q++)
			for (unsigned int k = 0; k < SL_DIM(xstats_rxq); k++, i++) {
				xstats[i].id = i;
				xstats[i].value = stat_at(&stats, xstats_rxq[k].offset, q);
			}
		for (unsigned int q = 0; q < xstats_nb_txq(dev); q++)
			for (unsigned int k = 0; k < SL_DIM(xstats_txq); k++, i++) {
				xstats[i].id = i;
				xstats[i].value = stat_at(&stats, xstats_txq[k].offset, q);
			}
	}
	if (drv > 0) {
		ret = dev->dev_ops->xstats_get(dev, xstats + gen, (unsigned int)drv);
		if (ret < 0) {
			PORT_ERR(dev, "driver failed to read its extended statistics: %s",
				 strerror(-ret));
			return ret;
		}
		for (unsigned int k = 0; k < (unsigned int)drv; k++)
			xstats[gen + k].id = gen + k;
	}
	return (int)(gen + (unsigned int)drv);
}

int
sl_eth_xstats_get_id_by_name(uint16_t port_id, const char *xstat_name, uint64_t *id)
{
	struct sl_eth_xstat_name *names;
	int n, ret = -ENOENT;

	if (port_get(port_id, __func__) == NULL)
		return -ENODEV;
	if (xstat_name == NULL || id == NULL)
		return -EINVAL;
	n = sl_eth_xstats_get_names(port_id, NULL, 0);
	if (n <= 0)
		return n < 0 ? n : -ENOENT;
	names = calloc((size_t)n, sizeof(*names));
	if (names == NULL)
		return -ENOMEM;
	n = sl_eth_xstats_get_names(port_id, names, (unsigned int)n);
	for (int i = 0; i < n; i++) {
		if (strcmp(names[i].name, xstat_name) == 0) {
			*id = (uint64_t)i;
			ret = 0;
			break;
		}
	}
	free(names);
	if (n < 0)
		return n;
	if (ret == -ENOENT)
		SL_LOG(ERR, ETHDEV, "port %u: no extended statistic is named '%s'; list them with "
		       "sl_eth_xstats_get_names()", port_id, xstat_name);
	return ret;
}

int
sl_eth_xstats_get_by_id(uint16_t port_id, const uint64_t *ids, uint64_t *values, unsigned int n)
{
	struct sl_eth_xstat *all;
	int total, ret;

	if (port_get(port_id, __func__) == NULL)
		return -ENODEV;
	if (ids == NULL || values == NULL)
		return -EINVAL;
	total = sl_eth_xstats_get(port_id, NULL, 0);
	if (total < 0)
		return total;
	all = calloc((size_t)total + 1, sizeof(*all));
	if (all == NULL)
		return -ENOMEM;
	ret = sl_eth_xstats_get(port_id, all, (unsigned int)total);
	if (ret < 0)
		goto out;
	if (ret != total) { /* queue count changed in between: cannot happen single-threaded */
		ret = -EAGAIN;
		goto out;
	}
	for (unsigned int i = 0; i < n; i++) {
		if (ids[i] >= (uint64_t)total) {
			SL_LOG(ERR, ETHDEV, "port %u: extended statistic id %" PRIu64
			       " does not exist (ids are 0..%d)", port_id, ids[i], total - 1);
			ret = -EINVAL;
			goto out;
		}
		values[i] = all[ids[i]].value;
	}
	ret = (int)n;
out:
	free(all);
	return ret;
}

int
sl_eth_xstats_reset(uint16_t port_id)
{
	struct sl_eth_dev *dev = port_get(port_id, __func__);
	int ret;

	if (dev == NULL)
		return -ENODEV;
	if (dev->dev_ops->stats_reset == NULL && dev->dev_ops->xstats_reset == NULL) {
		PORT_ERR(dev, "driver cannot reset statistics");
		return -ENOTSUP;
	}
	if (dev->dev_ops->stats_reset != NULL) {
		ret = sl_eth_stats_reset(port_id);
		if (ret < 0)
			return ret;
	}
	if (dev->dev_ops->xstats_reset != NULL) {
		ret = dev->dev_ops->xstats_reset(dev);
		if (ret < 0) {
			PORT_ERR(dev, "driver failed to reset extended statistics: %s",
				 strerror(-ret));
			return ret;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Receive filters, MAC, MTU                                           */
/* ------------------------------------------------------------------ */

/* Switch a boolean port mode through the driver, only when it changes. */
static int
mode_set(uint16_t port_id, const char *func, const char *mode, size_t flag_off, int on)
{
	struct sl_eth_dev *dev = port_get(port_id, func);
	const struct sl_eth_dev_ops *ops;
	int (*op)(struct sl_eth_dev *);
	uint8_t *flag;
	int ret;

	if (dev == NULL)
		return -ENODEV;
	ops = dev->dev_ops;
	flag = (uint8_t *)&dev->data + flag_off;
	if (flag_off == offsetof(struct sl_eth_dev_data, promiscuous))
		op = on ? ops->promiscuous_enable : ops->promiscuous_disable;
	else
		op = on ? ops->allmulticast_enable : ops->allmulticast_disable;
	if (*flag == (uint8_t)on)
		return 0;
	if (op == NULL) {
		/* Not an error of the port: the caller gets -ENOTSUP and
		 * decides whether it matters (testpmd says so once). */
		SL_LOG(DEBUG, ETHDEV, "port %u (%s): driver has no %s mode", dev->data.port_id,
		       dev->data.name, mode);
		return -ENOTSUP;
	}
	ret = op(dev);
	if (ret < 0) {
		PORT_ERR(dev, "driver failed to %s %s mode: %s", on ? "enable" : "disable", mode,
			 strerror(-ret));
		return ret;
	}
	*flag = (uint8_t)on;
	return 0;
}

int
sl_eth_promiscuous_enable(uint16_t port_id)
{
	return mode_set(port_id, __func__, "promiscuous",
			offsetof(struct sl_eth_dev_data, promiscuous), 1);
}

int
sl_eth_promiscuous_disable(uint16_t port_id)
{
	return mode_set(port_id, __func__, "promiscuous",
			offsetof(struct sl_eth_dev_data, promiscuous), 0);
}

int
sl_eth_promiscuous_get(uint16_t port_id)
{
	struct sl_eth_dev *dev = port_get(port_id, __func__);

	return dev ? dev->data.promiscuous : -ENODEV;
}

int
sl_eth_allmulticast_enable(uint16_t port_id)
{
	return mode_set(port_id, __func__, "all-multicast",
			offsetof(struct sl_eth_dev_data, all_multicast), 1);
}

int
sl_eth_allmulticast_disable(uint16_t port_id)
{
	return mode_set(port_id, __func__, "all-multicast",
			offsetof(struct sl_eth_dev_data, all_multicast), 0);
}

int
sl_eth_allmulticast_get(uint16_t port_id)
{
	struct sl_eth_dev *dev = port_get(port_id, __func__);

	return dev ? dev->data.all_multicast : -ENODEV;
}

int
sl_eth_macaddr_get(uint16_t port_id, struct sl_ether_addr *mac)
{
	struct sl_eth_dev *dev = port_get(port_id, __func__);

	if (dev == NULL)
		return -ENODEV;
	if (mac == NULL) {
		PORT_ERR(dev, "sl_eth_macaddr_get: mac is NULL");
		return -EINVAL;
	}
	sl_ether_addr_copy(&dev->data.mac_addr, mac);
	return 0;
}

int
sl_eth_macaddr_set(uint16_t port_id, const struct sl_ether_addr *mac)
{
	struct sl_eth_dev *dev = port_get(port_id, __func__);
	char buf[SL_ETHER_ADDR_FMT_SIZE];
	int ret;

	if (dev == NULL)
		return -ENODEV;
	if (mac == NULL) {
		PORT_ERR(dev, "sl_eth_macaddr_set: mac is NULL");
		return -EINVAL;
	}
	if (!sl_ether_addr_is_valid_assigned(mac)) {
		sl_ether_addr_format(buf, sizeof(buf), mac);
		PORT_ERR(dev, "MAC address %s cannot be a port address: it is %s; use a unicast "
			 "address such as 02:00:00:00:00:01", buf,
			 sl_ether_addr_is_zero(mac) ? "all zero" : "multicast");
		return -EINVAL;
	}
	if (dev->dev_ops->mac_addr_set == NULL) {
		PORT_ERR(dev, "driver cannot change the MAC address");
		return -ENOTSUP;
	}
	ret = dev->dev_ops->mac_addr_set(dev, mac);
	if (ret < 0) {
		PORT_ERR(dev, "driver failed to set the MAC address: %s", strerror(-ret));
		return ret;
	}
	sl_ether_addr_copy(mac, &dev->data.mac_addr);
	return 0;
}

int
sl_eth_mtu_get(uint16_t port_id, uint16_t *mtu)
{
	struct sl_eth_dev *dev = port_get(port_id, __func__);

	if (dev == NULL)
		return -ENODEV;
	if (mtu == NULL) {
		PORT_ERR(dev, "sl_eth_mtu_get: mtu is NULL");
		return -EINVAL;
	}
	*mtu = dev->data.mtu;
	return 0;
}

int
sl_eth_mtu_set(uint16_t port_id, uint16_t mtu)
{
	struct sl_eth_dev *dev = port_get(port_id, __func__);
	struct sl_eth_dev_info info;
	uint32_t frame;
	int ret;

	if (dev == NULL)
		return -ENODEV;
	ret = info_get(dev, &info);
	if (ret < 0)
		return ret;
	ret = check_mtu(dev, &info, mtu);
	if (ret < 0)
		return ret;
	frame = (uint32_t)mtu + SL_ETHER_HDR_LEN + SL_ETHER_CRC_LEN + SL_VLAN_HLEN;
	if (info.min_rx_bufsize > 0 && dev->data.rx_mempools != NULL &&
	    !(dev->data.dev_conf.rxmode.offloads & SL_ETH_RX_OFFLOAD_SCATTER)) {
		for (uint16_t q = 0; q < dev->data.nb_rx_queues; q++) {
			struct sl_mempool *mp = dev->data.rx_mempools[q];
			uint32_t room;

			if (mp == NULL)
				continue;
			room = sl_mbuf_data_room_size(mp) - SL_PKTMBUF_HEADROOM;
			if (frame > room) {
				PORT_ERR(dev, "MTU %u frames (%u bytes) do not fit the %u-byte mbufs "
					 "of RX queue %u; use a bigger data room or enable scatter",
					 mtu, frame, room, q);
				return -EINVAL;
			}
		}
	}
	if (dev->dev_ops->mtu_set == NULL) {
		PORT_ERR(dev, "driver cannot change the MTU");
		return -ENOTSUP;
	}
	ret = dev->dev_ops->mtu_set(dev, mtu);
	if (ret < 0) {
		PORT_ERR(dev, "driver failed to set MTU %u: %s", mtu, strerror(-ret));
		return ret;
	}
	dev->data.mtu = mtu;
	dev->data.dev_conf.rxmode.mtu = mtu;
	return 0;
}

/* ---- Per-queue software counters of PMDs (sl_ethdev_driver.h) ---- */

static void
queue_counters_read(const struct sl_eth_queue_stats *qs, struct sl_eth_queue_counters *out)
{
	const struct sl_eth_queue_counters *c = &qs->cnt, *b = &qs->base;

	out->pkts = __atomic_load_n(&c->pkts, __ATOMIC_RELAXED) - b->pkts;
	out->bytes = __atomic_load_n(&c->bytes, __ATOMIC_RELAXED) - b->bytes;
	out->errors = __atomic_load_n(&c->errors, __ATOMIC_RELAXED) - b->errors;
	out->missed = __atomic_load_n(&c->missed, __ATOMIC_RELAXED) - b->missed;
	out->nombuf = __atomic_load_n(&c->nombuf, __ATOMIC_RELAXED) - b->nombuf;
}

int
sl_eth_queue_stats_sum(const struct sl_eth_dev *dev, struct sl_eth_stats *st,
		       size_t rxq_off, size_t txq_off)
{
	struct sl_eth_queue_counters c;

	for (uint16_t q = 0; q < dev->data.nb_rx_queues; q++) {
		const char *rxq = dev->data.rx_queues[q];

		if (rxq == NULL)
			continue;
		queue_counters_read((const struct sl_eth_queue_stats *)(rxq + rxq_off), &c);
		st->ipackets += c.pkts;
		st->ibytes += c.bytes;
		st->ierrors += c.errors;
		st->imissed += c.missed;
		st->rx_nombuf += c.nombuf;
		if (q < SL_ETH_QUEUE_STAT_CNTRS) {
			st->q_ipackets[q] = c.pkts;
			st->q_ibytes[q] = c.bytes;
			st->q_errors[q] = c.errors + c.missed;
		}
	}
	for (uint16_t q = 0; q < dev->data.nb_tx_queues; q++) {
		const char *txq = dev->data.tx_queues[q];

		if (txq == NULL)
			continue;
		queue_counters_read((const struct sl_eth_queue_stats *)(txq + txq_off), &c);
		st->opackets += c.pkts;
		st->obytes += c.bytes;
		st->oerrors += c.errors;
		if (q < SL_ETH_QUEUE_STAT_CNTRS) {
			st->q_opackets[q] = c.pkts;
			st->q_obytes[q] = c.bytes;
		}
	}
	return 0;
}

static void
queue_stats_rebase(struct sl_eth_queue_stats *qs)
{
	struct sl_eth_queue_counters now;

	qs->base = (struct sl_eth_queue_counters){ 0 };
	queue_counters_read(qs, &now);
	qs->base = now;
}

int
sl_eth_queue_stats_reset(struct sl_eth_dev *dev, size_t rxq_off, size_t txq_off)
{
	for (uint16_t q = 0; q < dev->data.nb_rx_queues; q++) {
		char *rxq = dev->data.rx_queues[q];

		if (rxq != NULL)
			queue_stats_rebase((struct sl_eth_queue_stats *)(rxq + rxq_off));
	}
	for (uint16_t q = 0; q < dev->data.nb_tx_queues; q++) {
		char *txq = dev->data.tx_queues[q];

		if (txq != NULL)
			queue_stats_rebase((struct sl_eth_queue_stats *)(txq + txq_off));
	}
	return 0;
}

int
sl_eth_dev_set_mc_addr_list(uint16_t port_id, const struct sl_ether_addr *mc_addrs,
			    uint32_t nb_mc_addr)
{
	struct sl_eth_dev *dev = port_get(port_id, __func__);
	char buf[SL_ETHER_ADDR_FMT_SIZE];
	int ret;

	if (dev == NULL)
		return -ENODEV;
	if (nb_mc_addr > SL_ETH_MC_ADDR_MAX) {
		PORT_ERR(dev, "%u multicast addresses: at most %u", nb_mc_addr,
			 SL_ETH_MC_ADDR_MAX);
		return -EINVAL;
	}
	if (nb_mc_addr > 0 && mc_addrs == NULL) {
		PORT_ERR(dev, "sl_eth_dev_set_mc_addr_list: mc_addrs is NULL for %u addresses",
			 nb_mc_addr);
		return -EINVAL;
	}
	for (uint32_t i = 0; i < nb_mc_addr; i++) {
		if (!sl_ether_addr_is_multicast(&mc_addrs[i]) ||
		    sl_ether_addr_is_broadcast(&mc_addrs[i])) {
			sl_ether_addr_format(buf, sizeof(buf), &mc_addrs[i]);
			PORT_ERR(dev, "multicast list entry %u (%s) is not a multicast group "
				 "address (first octet odd, not ff:ff:ff:ff:ff:ff)", i, buf);
			return -EINVAL;
		}
	}
	if (dev->dev_ops->set_mc_addr_list == NULL) {
		PORT_ERR(dev, "driver has no multicast filter");
		return -ENOTSUP;
	}
	ret = dev->dev_ops->set_mc_addr_list(dev, mc_addrs, nb_mc_addr);
	if (ret < 0)
		PORT_ERR(dev, "driver failed to set %u multicast addresses: %s", nb_mc_addr,
			 strerror(-ret));
	return ret;
}
