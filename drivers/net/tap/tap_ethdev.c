/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_tap: a port whose far end is the Linux network stack, through a TAP
 * interface it creates: frames the application sends are received by the
 * kernel on that interface, and frames the kernel sends out of it are
 * received by the application.  The exception path of a forwarding app.
 *
 *   --vdev net_tap0[,iface=NAME][,mac=xx:xx:xx:xx:xx:xx][,queues=N]
 *
 * Spec: Linux Documentation/networking/tuntap.rst, <linux/if_tun.h>,
 * netdevice(7).  User guide: doc/drivers/tap.md.
 *
 * Life cycle (tuntap.rst, "Multiqueue tuntap interface"): probe opens
 * `queues` descriptors of /dev/net/tun with TUNSETIFF IFF_TAP | IFF_NO_PI |
 * IFF_MULTI_QUEUE on the same name; the first creates the interface, which
 * is not persistent, so it disappears when close() shuts the last one.  The
 * interface exists from probe on, so a user (or test) may move it to another
 * network namespace or give it addresses before the port starts; the
 * descriptors keep working.  Start attaches the descriptors of the
 * configured queues (TUNSETQUEUE IFF_ATTACH_QUEUE, the others are detached so
 * the kernel never queues frames nobody reads) and sets the interface up;
 * stop sets it down.
 *
 * `mac=` is the port's own address, the source an application puts in the
 * frames it sends: the kernel side of the TAP keeps its own address, as the
 * two ends of a cable do.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sl_bus_vdev.h"
#include "sl_kvargs.h"
#include "sl_log.h"
#include "sl_malloc.h"
#include "sl_mbuf.h"
#include "tap_ethdev.h"

#define TAP_MAX_QUEUES 16
#define TAP_DEFAULT_NAME "sltap%d"      /* the kernel replaces %d with a free number */
#define TAP_DEV "/dev/net/tun"
#define TAP_MAX_MTU (65535 - SL_ETHER_HDR_LEN - SL_VLAN_HLEN)

#define TAP_KEY_IFACE "iface"
#define TAP_KEY_MAC "mac"
#define TAP_KEY_QUEUES "queues"

static const char *const tap_valid_keys[] = { TAP_KEY_IFACE, TAP_KEY_MAC, TAP_KEY_QUEUES, NULL };

struct tap_private {
	char iface[IFNAMSIZ];   /* the name the kernel gave */
	int ctl_fd;             /* AF_INET datagram socket for netdevice ioctls */
	uint32_t nb_fds;
	int fds[TAP_MAX_QUEUES];
};

/* ---- interface ---- */

static int
tap_ioctl(const struct tap_private *priv, const char *port, unsigned long req,
	  const char *reqname, struct ifreq *ifr)
{
	snprintf(ifr->ifr_name, sizeof(ifr->ifr_name), "%s", priv->iface);
	if (ioctl(priv->ctl_fd, req, ifr) < 0) {
		int err = errno;

		SL_LOG(ERR, NET_TAP, "%s: %s on %s: %s%s", port, reqname, priv->iface, strerror(err),
		       err == ENODEV ? " (was the interface moved to another network namespace? "
				       "the port then cannot manage it)" : "");
		return -err;
	}
	return 0;
}

/* Set or clear IFF_UP. */
static int
tap_set_up(struct sl_eth_dev *dev, bool up)
{
	struct tap_private *priv = dev->data.dev_private;
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", priv->iface);
	/* ENODEV: moved to another namespace; the caller decides, no log. */
	if (ioctl(priv->ctl_fd, SIOCGIFFLAGS, &ifr) < 0)
		return errno == ENODEV ? -ENODEV :
		       tap_ioctl(priv, dev->data.name, SIOCGIFFLAGS, "SIOCGIFFLAGS", &ifr);
	if (!!(ifr.ifr_flags & IFF_UP) == up)
		return 0;
	ifr.ifr_flags = (short)(up ? ifr.ifr_flags | IFF_UP : ifr.ifr_flags & ~IFF_UP);
	return tap_ioctl(priv, dev->data.name, SIOCSIFFLAGS, "SIOCSIFFLAGS", &ifr);
}

static int
tap_queue_attach(struct sl_eth_dev *dev, int fd, bool attach)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	/* tuntap.rst, "Multiqueue tuntap interface": TUNSETQUEUE. */
	ifr.ifr_flags = attach ? IFF_ATTACH_QUEUE : IFF_DETACH_QUEUE;
	/* Attaching an attached queue (or detaching a detached one) fails with
	 * EINVAL: that is the state we want. */
	if (ioctl(fd, TUNSETQUEUE, &ifr) < 0 && errno != EINVAL) {
		int err = errno;

		SL_LOG(ERR, NET_TAP, "%s: TUNSETQUEUE %s: %s", dev->data.name,
		       attach ? "attach" : "detach", strerror(err));
		return -err;
	}
	return 0;
}

/* ---- dev_ops ---- */

static int
tap_infos_get(struct sl_eth_dev *dev, struct sl_eth_dev_info *info)
{
	struct tap_private *priv = dev->data.dev_private;

	info->driver_name = "net_tap";
	info->if_index = if_nametoindex(priv->iface);
	info->max_rx_queues = (uint16_t)priv->nb_fds;
	info->max_tx_queues = (uint16_t)priv->nb_fds;
	info->min_mtu = SL_ETHER_MIN_MTU;
	info->max_mtu = TAP_MAX_MTU;
	info->max_rx_pktlen = TAP_MAX_MTU + SL_ETHER_HDR_LEN + SL_VLAN_HLEN;
	info->min_rx_bufsize = 0; /* long frames are read into mbuf chains */
	info->tx_offload_capa = SL_ETH_TX_OFFLOAD_MULTI_SEGS;
	info->speed_capa = SL_ETH_LINK_SPEED_10G;
	return 0;
}

static int
tap_configure(struct sl_eth_dev *dev)
{
	if (dev->data.nb_rx_queues != dev->data.nb_tx_queues) {
		SL_LOG(ERR, NET_TAP, "%s: %u RX and %u TX queues requested: a TAP queue is one "
		       "descriptor for both directions, so ask for as many RX as TX queues",
		       dev->data.name, dev->data.nb_rx_queues, dev->data.nb_tx_queues);
		return -EINVAL;
	}
	return 0;
}

static int
tap_link_update(struct sl_eth_dev *dev, int wait __sl_unused)
{
	struct tap_private *priv = dev->data.dev_private;
	struct sl_eth_link link = { .link_speed = SL_ETH_SPEED_NUM_NONE,
				    .link_duplex = SL_ETH_LINK_FULL_DUPLEX,
				    .link_autoneg = SL_ETH_LINK_FIXED };
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", priv->iface);
	/* Not an error when the interface went to another namespace: the link
	 * is then up for as long as the port is started. */
	if (ioctl(priv->ctl_fd, SIOCGIFFLAGS, &ifr) == 0 ?
	    (ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags & IFF_RUNNING) :
	    dev->state == SL_ETH_DEV_STARTED) {
		link.link_status = SL_ETH_LINK_UP;
		link.link_speed = SL_ETH_SPEED_NUM_10G; /* what the kernel's tun reports */
	}
	sl_eth_linkstatus_set(dev, &link);
	return 0;
}

static int
tap_start(struct sl_eth_dev *dev)
{
	struct tap_private *priv = dev->data.dev_private;
	int ret;

	/* Attach first so the last attached queue is never detached. */
	for (uint32_t q = 0; q < priv->nb_fds; q++) {
		if (q < dev->data.nb_rx_queues) {
			ret = tap_queue_attach(dev, priv->fds[q], true);
			if (ret < 0)
				return ret;
		}
	}
	for (uint32_t q = dev->data.nb_rx_queues; q < priv->nb_fds; q++) {
		ret = tap_queue_attach(dev, priv->fds[q], false);
		if (ret < 0)
			return ret;
	}
	ret = tap_set_up(dev, true);
	if (ret == -ENODEV)
		ret = 0; /* moved to another namespace: whoever moved it manages it */
	if (ret < 0)
		return ret;
	return tap_link_update(dev, 0);
}

static int
tap_stop(struct sl_eth_dev *dev)
{
	struct sl_eth_link link = { .link_speed = SL_ETH_SPEED_NUM_NONE,
				    .link_duplex = SL_ETH_LINK_FULL_DUPLEX };
	int ret = tap_set_up(dev, false);

	sl_eth_linkstatus_set(dev, &link);
	return ret == -ENODEV ? 0 : ret;
}

static void
tap_private_free(struct tap_private *priv)
{
	/* The interface goes away with the last descriptor (not persistent). */
	for (uint32_t q = 0; q < priv->nb_fds; q++)
		close(priv->fds[q]);
	if (priv->ctl_fd >= 0)
		close(priv->ctl_fd);
	sl_free(priv);
}

static int
tap_close(struct sl_eth_dev *dev)
{
	if (dev->data.dev_private != NULL) {
		tap_private_free(dev->data.dev_private);
		dev->data.dev_private = NULL;
	}
	return 0;
}

static int
tap_stats_get(struct sl_eth_dev *dev, struct sl_eth_stats *st)
{
	return sl_eth_queue_stats_sum(dev, st, offsetof(struct tap_rxq, stats),
				      offsetof(struct tap_txq, stats));
}

static int
tap_stats_reset(struct sl_eth_dev *dev)
{
	return sl_eth_queue_stats_reset(dev, offsetof(struct tap_rxq, stats),
					offsetof(struct tap_txq, stats));
}

/* The port gets every frame the kernel sends to the TAP: there is no filter
 * to open, so these modes are always on in effect. */
static int
tap_accept(struct sl_eth_dev *dev __sl_unused)
{
	return 0;
}

/* The port's own address (see top): nothing to program. */
static int
tap_mac_addr_set(struct sl_eth_dev *dev __sl_unused, const struct sl_ether_addr *mac __sl_unused)
{
	return 0;
}

static int
tap_mtu_set(struct sl_eth_dev *dev, uint16_t mtu)
{
	struct ifreq ifr;
	int ret;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_mtu = mtu;
	ret = tap_ioctl(dev->data.dev_private, dev->data.name, SIOCSIFMTU, "SIOCSIFMTU", &ifr);
	if (ret < 0)
		return ret;
	for (uint16_t q = 0; q < dev->data.nb_rx_queues; q++) {
		struct tap_rxq *rxq = dev->data.rx_queues[q];

		if (rxq != NULL)
			rxq->max_frame = (uint32_t)mtu + SL_ETHER_HDR_LEN + SL_VLAN_HLEN;
	}
	return 0;
}

static int
tap_rx_queue_setup(struct sl_eth_dev *dev, uint16_t queue_id, uint16_t nb_desc __sl_unused,
		   int socket_id, const struct sl_eth_rxconf *conf __sl_unused,
		   struct sl_mempool *mp)
{
	struct tap_private *priv = dev->data.dev_private;
	struct tap_rxq *rxq;
	uint32_t room = sl_mbuf_data_room_size(mp) - SL_PKTMBUF_HEADROOM;

	rxq = sl_zmalloc_socket("tap_rxq", sizeof(*rxq), SL_CACHE_LINE_SIZE, socket_id);
	if (rxq == NULL)
		return -ENOMEM;
	rxq->fd = priv->fds[queue_id];
	rxq->port_id = dev->data.port_id;
	rxq->queue_id = queue_id;
	rxq->mp = mp;
	rxq->max_frame = (uint32_t)dev->data.mtu + SL_ETHER_HDR_LEN + SL_VLAN_HLEN;
	if ((uint64_t)room * TAP_MAX_RX_SEGS < rxq->max_frame)
		SL_LOG(WARNING, NET_TAP, "%s: RX queue %u: %u segments of %u bytes hold less than "
		       "a %u-byte frame: longer frames are dropped (ierrors); use bigger mbufs",
		       dev->data.name, queue_id, TAP_MAX_RX_SEGS, room, rxq->max_frame);
	dev->data.rx_queues[queue_id] = rxq;
	return 0;
}

static int
tap_tx_queue_setup(struct sl_eth_dev *dev, uint16_t queue_id, uint16_t nb_desc __sl_unused,
		   int socket_id, const struct sl_eth_txconf *conf __sl_unused)
{
	struct tap_private *priv = dev->data.dev_private;
	struct tap_txq *txq;

	txq = sl_zmalloc_socket("tap_txq", sizeof(*txq), SL_CACHE_LINE_SIZE, socket_id);
	if (txq == NULL)
		return -ENOMEM;
	txq->fd = priv->fds[queue_id];
	txq->queue_id = queue_id;
	dev->data.tx_queues[queue_id] = txq;
	return 0;
}

/* The descriptors belong to the port (closed in dev_close), not the queues. */
static void
tap_rx_queue_release(struct sl_eth_dev *dev, uint16_t queue_id)
{
	sl_free(dev->data.rx_queues[queue_id]);
}

static void
tap_tx_queue_release(struct sl_eth_dev *dev, uint16_t queue_id)
{
	sl_free(dev->data.tx_queues[queue_id]);
}

static const struct sl_eth_dev_ops tap_ops = {
	.dev_infos_get = tap_infos_get,
	.dev_configure = tap_configure,
	.dev_start = tap_start,
	.dev_stop = tap_stop,
	.dev_close = tap_close,
	.link_update = tap_link_update,
	.stats_get = tap_stats_get,
	.stats_reset = tap_stats_reset,
	.promiscuous_enable = tap_accept,
	.promiscuous_disable = tap_accept,
	.allmulticast_enable = tap_accept,
	.allmulticast_disable = tap_accept,
	.mac_addr_set = tap_mac_addr_set,
	.mtu_set = tap_mtu_set,
	.rx_queue_setup = tap_rx_queue_setup,
	.tx_queue_setup = tap_tx_queue_setup,
	.rx_queue_release = tap_rx_queue_release,
	.tx_queue_release = tap_tx_queue_release,
};

/* ---- vdev probe / remove ---- */

/* Open one queue of the TAP @p name (creating it with the first). */
static int
tap_open_queue(const char *port, char name[IFNAMSIZ])
{
	struct ifreq ifr;
	int fd, err;

	fd = open(TAP_DEV, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		if (err == ENOENT || err == ENXIO || err == ENODEV)
			SL_LOG(ERR, NET_TAP, "%s: cannot open %s (%s): the kernel needs TUN/TAP "
			       "support (CONFIG_TUN); create the node with 'mknod /dev/net/tun c 10 "
			       "200' if the module is loaded", port, TAP_DEV, strerror(err));
		else
			SL_LOG(ERR, NET_TAP, "%s: cannot open %s: %s%s", port, TAP_DEV,
			       strerror(err), err == EACCES ? "; run as root" : "");
		return -err;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	/* tuntap.rst, "Multiqueue tuntap interface": every queue is one open of
	 * /dev/net/tun with TUNSETIFF on the same name and IFF_MULTI_QUEUE. */
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_MULTI_QUEUE;
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		err = errno;
		if (err == EPERM)
			SL_LOG(ERR, NET_TAP, "%s: creating TAP interface %s was refused: it needs "
			       "CAP_NET_ADMIN; run as root or grant it with "
			       "'setcap cap_net_admin+ep <program>'", port, name);
		else if (err == EINVAL || err == EBUSY)
			SL_LOG(ERR, NET_TAP, "%s: iface=%s exists already and is not a free "
			       "multi-queue TAP (%s); choose another name or delete it with "
			       "'ip link del %s'", port, name, strerror(err), name);
		else
			SL_LOG(ERR, NET_TAP, "%s: TUNSETIFF %s: %s", port, name, strerror(err));
		close(fd);
		return -err;
	}
	snprintf(name, IFNAMSIZ, "%s", ifr.ifr_name); /* "%d" replaced by the kernel */
	return fd;
}

static int
tap_probe(struct sl_vdev_device *vdev)
{
	struct sl_ether_addr mac;
	struct tap_private *priv;
	struct sl_eth_dev *dev = NULL;
	struct sl_kvargs *kv;
	uint64_t queues = 1;
	bool mac_given = false;
	struct ifreq ifr;
	int ret;

	priv = sl_zmalloc_socket("tap_private", sizeof(*priv), 0, vdev->socket_id);
	if (priv == NULL)
		return -ENOMEM;
	priv->ctl_fd = -1;
	snprintf(priv->iface, sizeof(priv->iface), "%s", TAP_DEFAULT_NAME);

	kv = sl_kvargs_parse(vdev->name, vdev->args, tap_valid_keys);
	if (kv == NULL) {
		ret = -errno;
		goto fail;
	}
	ret = sl_kvargs_get_string(kv, TAP_KEY_IFACE, priv->iface, sizeof(priv->iface));
	if (ret == -EINVAL)
		SL_LOG(ERR, NET_TAP, "%s: iface= is empty: give a name (e.g. iface=tap0) or leave "
		       "the key out for %s", vdev->name, TAP_DEFAULT_NAME);
	if (ret == 0 || ret == -ENOENT)
		ret = sl_kvargs_get_uint(kv, TAP_KEY_QUEUES, 1, TAP_MAX_QUEUES, &queues);
	if (ret == 0 || ret == -ENOENT) {
		ret = sl_kvargs_get_mac(kv, TAP_KEY_MAC, mac.addr_bytes);
		if (ret == 0) {
			mac_given = true;
			if (!sl_ether_addr_is_valid_assigned(&mac)) {
				SL_LOG(ERR, NET_TAP, "%s: mac=%s is not a unicast address; use e.g. "
				       "02:00:00:00:00:01", vdev->name, sl_kvargs_get(kv, TAP_KEY_MAC));
				ret = -EINVAL;
			}
		}
	}
	sl_kvargs_free(kv);
	if (ret < 0 && ret != -ENOENT)
		goto fail;
	if (strchr(priv->iface, '/') != NULL || strcmp(priv->iface, ".") == 0 ||
	    strcmp(priv->iface, "..") == 0) {
		SL_LOG(ERR, NET_TAP, "%s: iface=%s is not a valid interface name (no '/', not '.' "
		       "or '..'); use e.g. iface=tap0", vdev->name, priv->iface);
		ret = -EINVAL;
		goto fail;
	}

	priv->ctl_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (priv->ctl_fd < 0) {
		ret = -errno;
		SL_LOG(ERR, NET_TAP, "%s: socket(AF_INET): %s", vdev->name, strerror(errno));
		goto fail;
	}
	for (uint32_t q = 0; q < queues; q++) {
		ret = tap_open_queue(vdev->name, priv->iface);
		if (ret < 0)
			goto fail;
		priv->fds[priv->nb_fds++] = ret;
	}
	memset(&ifr, 0, sizeof(ifr));
	ret = tap_ioctl(priv, vdev->name, SIOCGIFMTU, "SIOCGIFMTU", &ifr);
	if (ret < 0)
		goto fail;

	dev = sl_eth_dev_allocate(vdev->name);
	if (dev == NULL) {
		ret = -errno;
		goto fail;
	}
	if (!mac_given) {
		/* Deterministic per port, distinct from the kernel side's random one. */
		static const struct sl_ether_addr base = { { 0x02, 'T', 'A', 'P', 0, 0 } };

		mac = base;
		mac.addr_bytes[4] = (uint8_t)(dev->data.port_id >> 8);
		mac.addr_bytes[5] = (uint8_t)dev->data.port_id;
	}
	dev->data.mac_addr = mac;
	dev->data.mtu = (uint16_t)SL_MIN(ifr.ifr_mtu, TAP_MAX_MTU);
	dev->data.dev_private = priv;
	dev->data.socket_id = vdev->socket_id;
	dev->dev_ops = &tap_ops;
	dev->device = vdev;
	dev->rx_pkt_burst = tap_rx;
	dev->tx_pkt_burst = tap_tx;
	ret = sl_eth_dev_probing_finish(dev);
	if (ret < 0)
		goto fail_dev;
	SL_LOG(INFO, NET_TAP, "%s: port %u on TAP %s, %u queue(s)", vdev->name, dev->data.port_id,
	       priv->iface, priv->nb_fds);
	return 0;

fail_dev:
	sl_eth_dev_release(dev);
fail:
	tap_private_free(priv);
	return ret;
}

static int
tap_remove(struct sl_vdev_device *vdev)
{
	struct sl_eth_dev *dev = sl_eth_dev_allocated(vdev->name);

	if (dev == NULL) /* the application closed the port already */
		return 0;
	return sl_eth_dev_close(dev->data.port_id);
}

static struct sl_vdev_driver tap_vdev_driver = {
	.param_help = "iface=<name, default sltap%d> mac=<xx:xx:xx:xx:xx:xx> queues=<1..16>",
	.probe = tap_probe,
	.remove = tap_remove,
};

SL_VDEV_DRIVER_REGISTER(net_tap, tap_vdev_driver);
