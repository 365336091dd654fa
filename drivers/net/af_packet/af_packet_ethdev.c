/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_af_packet: a port on an existing Linux network interface through
 * AF_PACKET sockets with memory-mapped rings.
 *
 *   --vdev net_af_packet0,iface=IF[,qpairs=N][,framesz=B][,blocksz=B][,framecnt=N]
 *                         [,txcopy=B][,rxcopy=B]
 *
 * Spec: Linux Documentation/networking/packet_mmap.rst and packet(7)
 * (kernel 6.x; PACKET_IGNORE_OUTGOING needs 4.20, PACKET_FANOUT_FLAG_UNIQUEID
 * 4.2).  The ring layout is described in af_packet_ethdev.h; the user guide
 * is doc/drivers/af_packet.md.
 *
 * Ring geometry (packet_mmap.rst, "TPACKET_V1/V2 and TPACKET_V3 ring
 * setup"): each ring is framecnt frames of framesz bytes, grouped in blocks
 * of blocksz bytes.  The kernel demands blocksz a multiple of the page size,
 * framesz a multiple of TPACKET_ALIGNMENT and at least the frame header, and
 * frame_nr = (blocksz / framesz) * block_nr; we also demand blocksz a
 * multiple of framesz so the TX frames sit at i * framesz in the mapping.
 * The RX ring (TPACKET_V3) packs frames of any size into its blocks, so it
 * holds more than framecnt small packets; the TX ring holds framecnt.
 *
 * Interface state (MTU, MAC, flags, speed) is read and written with the
 * netdevice(7) and ethtool ioctls on a control socket the port keeps open.
 * Promiscuous and all-multicast modes are socket memberships
 * (PACKET_MR_PROMISC / PACKET_MR_ALLMULTI): the kernel counts them per
 * socket and drops them when the socket closes, so a crashed application
 * leaves the interface as it found it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/ethtool.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/sockios.h>
#include <net/if_arp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "af_packet_ethdev.h"
#include "sl_bus_vdev.h"
#include "sl_iommu.h"
#include "sl_kvargs.h"
#include "sl_log.h"
#include "sl_malloc.h"
#include "sl_mbuf.h"
#include "sl_netif.h"

#define AFP_MAX_QPAIRS 16
#define AFP_DEFAULT_FRAMESZ 2048
#define AFP_DEFAULT_BLOCKSZ 65536
#define AFP_DEFAULT_FRAMECNT 1024
#define AFP_MAX_BLOCKSZ (1u << 24)
#define AFP_MAX_FRAMECNT (1u << 20)
/* TX frames up to this long are copied into a linear skb (see
 * af_packet_ethdev.h): every standard Ethernet frame. */
#define AFP_DEFAULT_TXCOPY 2048
/* RX frames up to this long are copied into mbufs; longer ones are attached
 * in the ring (af_packet_ethdev.h).  Measured (doc/performance.md): at 64
 * bytes a copy costs no more than attaching (an mbuf either way, plus a
 * locked decrement at free for an attached one); at 1500 bytes attaching
 * saves about 15% of the user-space time per frame. */
#define AFP_DEFAULT_RXCOPY 512
/* rxcopy= not given: AFP_DEFAULT_RXCOPY, or copy every frame when the
 * process drives PCI devices (see afp_rxcopy()). */
#define AFP_RXCOPY_AUTO UINT32_MAX
/* An RX block is handed to us when full or after this many ms (packet_mmap.rst,
 * "tp_retire_blk_tov"): the most latency a lone packet sees. */
#define AFP_RX_BLOCK_TOV_MS 1

#define AFP_KEY_IFACE "iface"
#define AFP_KEY_QPAIRS "qpairs"
#define AFP_KEY_FRAMESZ "framesz"
#define AFP_KEY_BLOCKSZ "blocksz"
#define AFP_KEY_FRAMECNT "framecnt"
#define AFP_KEY_TXCOPY "txcopy"
#define AFP_KEY_RXCOPY "rxcopy"

static const char *const afp_valid_keys[] = {
	AFP_KEY_IFACE, AFP_KEY_QPAIRS, AFP_KEY_FRAMESZ, AFP_KEY_BLOCKSZ, AFP_KEY_FRAMECNT,
	AFP_KEY_TXCOPY, AFP_KEY_RXCOPY, NULL,
};

struct afp_private {
	char iface[IFNAMSIZ];
	unsigned int ifindex;
	int ctl_fd;               /* ioctls and PACKET_MR_* memberships */
	uint32_t qpairs;
	uint32_t framesz;
	uint32_t blocksz;
	uint32_t framecnt;
	uint32_t txcopy;
	uint32_t rxcopy;
	int fanout_id;            /* -1: no group yet */
	unsigned int fanout_members;
};

/* ---- Sockets and rings ---- */

/*
 * How long an RX frame may be and still be copied.  A longer frame stays in
 * the kernel's ring, attached to its mbuf, and has no IOVA: a PCI port that
 * transmits it would DMA from nowhere.  So when the process drives PCI
 * devices through an IOMMU (opened by the EAL's PCI probe, before any port
 * is configured) the default copies every frame; an explicit rxcopy= is
 * kept, with a warning.
 */
static uint32_t
afp_rxcopy(const struct afp_private *priv)
{
	bool pci = sl_iommu_type() != SL_IOMMU_NONE;

	if (priv->rxcopy == AFP_RXCOPY_AUTO)
		return pci ? AFP_RXCOPY_AUTO : AFP_DEFAULT_RXCOPY;
	if (pci && priv->rxcopy < priv->framesz)
		SL_LOG(WARNING, NET_AF_PACKET, "%s: rxcopy=%u with PCI devices in this process: frames "
		       "longer than %u bytes have no IOVA, so a PCI port must not transmit "
		       "them; leave rxcopy= out to copy every frame",
		       priv->iface, priv->rxcopy, priv->rxcopy);
	return priv->rxcopy;
}

/* socket(AF_PACKET) with the error a user can act on. */
static int
afp_socket(const char *port)
{
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		int err = errno;

		if (err == EPERM || err == EACCES)
			SL_LOG(ERR, NET_AF_PACKET, "%s: opening an AF_PACKET socket was refused (%s): "
			       "it needs CAP_NET_RAW; run as root or grant it with "
			       "'setcap cap_net_raw,cap_net_admin+ep <program>'", port,
			       strerror(err));
		else
			SL_LOG(ERR, NET_AF_PACKET, "%s: socket(AF_PACKET): %s", port, strerror(err));
		return -err;
	}
	return fd;
}

static int
afp_setsockopt(const char *port, int fd, int opt, const char *optname, const void *val,
	       socklen_t len)
{
	if (setsockopt(fd, SOL_PACKET, opt, val, len) < 0) {
		int err = errno;

		SL_LOG(ERR, NET_AF_PACKET, "%s: setsockopt(%s): %s", port, optname, strerror(err));
		return -err;
	}
	return 0;
}

static int
afp_bind(const char *port, int fd, unsigned int ifindex, uint16_t proto, const char *iface)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(proto),
		.sll_ifindex = (int)ifindex,
	};

	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		int err = errno;

		SL_LOG(ERR, NET_AF_PACKET, "%s: binding to interface %s: %s%s", port, iface,
		       strerror(err), err == ENODEV || err == ENXIO ?
		       " (was it deleted? check with 'ip link')" : "");
		return -err;
	}
	return 0;
}

/* Map a ring set up with PACKET_RX_RING or PACKET_TX_RING. */
static void *
afp_mmap(const char *port, int fd, size_t len, int *ret)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, 0);

	if (p == MAP_FAILED) {
		*ret = -errno;
		SL_LOG(ERR, NET_AF_PACKET, "%s: mmap of a %zu-byte ring: %s", port, len,
		       strerror(errno));
		return NULL;
	}
	return p;
}

/* Join (or create) the port's PACKET_FANOUT_HASH group (packet(7), PACKET_FANOUT). */
static int
afp_fanout_join(struct sl_eth_dev *dev, struct afp_private *priv, int fd)
{
	int arg, ret;

	if (priv->fanout_id < 0) {
		/* A kernel-chosen id cannot collide with another process's group. */
		arg = (PACKET_FANOUT_HASH | PACKET_FANOUT_FLAG_UNIQUEID) << 16;
		ret = afp_setsockopt(dev->data.name, fd, PACKET_FANOUT, "PACKET_FANOUT", &arg,
				     sizeof(arg));
		if (ret < 0)
			return ret;
		socklen_t len = sizeof(arg);

		if (getsockopt(fd, SOL_PACKET, PACKET_FANOUT, &arg, &len) < 0) {
			ret = -errno;
			SL_LOG(ERR, NET_AF_PACKET, "%s: getsockopt(PACKET_FANOUT): %s",
			       dev->data.name, strerror(errno));
			return ret;
		}
		priv->fanout_id = arg & 0xffff;
	} else {
		arg = priv->fanout_id | PACKET_FANOUT_HASH << 16;
		ret = afp_setsockopt(dev->data.name, fd, PACKET_FANOUT, "PACKET_FANOUT", &arg,
				     sizeof(arg));
		if (ret < 0)
			return ret;
	}
	priv->fanout_members++;
	return 0;
}

static void
afp_fanout_leave(struct afp_private *priv)
{
	/* Closing the socket leaves the group; the last one out ends it. */
	if (priv->fanout_members != 0 && --priv->fanout_members == 0)
		priv->fanout_id = -1;
}

/* The interface control of drivers/net/common (sl_netif.h) for this port. */
static struct sl_netif_ctl
afp_ctl(const struct afp_private *priv, const char *port)
{
	return (struct sl_netif_ctl){ .log = "NET_AF_PACKET", .port = port, .fd = priv->ctl_fd,
				      .ifindex = priv->ifindex, .iface = priv->iface };
}

static int
afp_ioctl(const struct afp_private *priv, const char *port, unsigned long req,
	  const char *reqname, struct ifreq *ifr)
{
	struct sl_netif_ctl c = afp_ctl(priv, port);

	return sl_netif_ioctl(&c, req, reqname, ifr);
}

/* ---- dev_ops: queues ---- */

static int
afp_rx_queue_setup(struct sl_eth_dev *dev, uint16_t queue_id, uint16_t nb_desc __sl_unused,
		   int socket_id, const struct sl_eth_rxconf *conf __sl_unused,
		   struct sl_mempool *mp)
{
	struct afp_private *priv = dev->data.dev_private;
	const char *port = dev->data.name;
	struct tpacket_req3 req = {
		.tp_block_size = priv->blocksz,
		.tp_block_nr = priv->framecnt / (priv->blocksz / priv->framesz),
		.tp_frame_size = priv->framesz,
		.tp_frame_nr = priv->framecnt,
		.tp_retire_blk_tov = AFP_RX_BLOCK_TOV_MS,
	};
	int version = TPACKET_V3, one = 1;
	struct afp_rxq *rxq;
	size_t len = (size_t)req.tp_block_size * req.tp_block_nr;
	int ret;

	rxq = sl_zmalloc_socket("afp_rxq", sizeof(*rxq), SL_CACHE_LINE_SIZE, socket_id);
	if (rxq == NULL)
		return -ENOMEM;
	rxq->blocks = sl_zmalloc_socket("afp_rx_blocks", sizeof(*rxq->blocks) * req.tp_block_nr,
					SL_CACHE_LINE_SIZE, socket_id);
	if (rxq->blocks == NULL) {
		ret = -ENOMEM;
		goto fail_q;
	}
	/* Protocol 0: nothing is received before the bind below
	 * (packet_mmap.rst, "How to use mmap() directly to improve capture
	 * process": socket, PACKET_VERSION, PACKET_RX_RING, mmap, bind). */
	rxq->fd = afp_socket(port);
	if (rxq->fd < 0) {
		ret = rxq->fd;
		goto fail_q;
	}
	ret = afp_setsockopt(port, rxq->fd, PACKET_VERSION, "PACKET_VERSION", &version,
			     sizeof(version));
	if (ret == 0)
		/* What this port sends, and what the host sends out of the
		 * interface, is not received traffic (packet(7),
		 * PACKET_IGNORE_OUTGOING). */
		ret = afp_setsockopt(port, rxq->fd, PACKET_IGNORE_OUTGOING,
				     "PACKET_IGNORE_OUTGOING", &one, sizeof(one));
	if (ret == 0)
		ret = afp_setsockopt(port, rxq->fd, PACKET_RX_RING, "PACKET_RX_RING", &req,
				     sizeof(req));
	if (ret < 0)
		goto fail_fd;
	rxq->ring = afp_mmap(port, rxq->fd, len, &ret);
	if (rxq->ring == NULL)
		goto fail_fd;
	ret = afp_bind(port, rxq->fd, priv->ifindex, ETH_P_ALL, priv->iface);
	if (ret < 0)
		goto fail_map;
	if (dev->data.nb_rx_queues > 1) {
		/* packet_mmap.rst, "AF_PACKET fanout mode": after bind. */
		ret = afp_fanout_join(dev, priv, rxq->fd);
		if (ret < 0)
			goto fail_map;
		rxq->in_fanout = true;
	}
	rxq->block_size = req.tp_block_size;
	rxq->block_nr = req.tp_block_nr;
	afp_rxq_blocks_init(rxq);
	rxq->copy_max = afp_rxcopy(priv);
	rxq->mp = mp;
	rxq->port_id = dev->data.port_id;
	rxq->queue_id = queue_id;
	dev->data.rx_queues[queue_id] = rxq;
	return 0;

fail_map:
	munmap(rxq->ring, len);
fail_fd:
	close(rxq->fd);
fail_q:
	sl_free(rxq->blocks);
	sl_free(rxq);
	return ret;
}

static int
afp_tx_queue_setup(struct sl_eth_dev *dev, uint16_t queue_id, uint16_t nb_desc __sl_unused,
		   int socket_id, const struct sl_eth_txconf *conf __sl_unused)
{
	struct afp_private *priv = dev->data.dev_private;
	const char *port = dev->data.name;
	struct tpacket_req req = {
		.tp_block_size = priv->blocksz,
		.tp_block_nr = priv->framecnt / (priv->blocksz / priv->framesz),
		.tp_frame_size = priv->framesz,
		.tp_frame_nr = priv->framecnt,
	};
	int version = TPACKET_V2, one = 1;
	size_t len = (size_t)req.tp_block_size * req.tp_block_nr;
	struct afp_txq *txq;
	struct sl_netif_ctl c;
	uint32_t mtu;
	int ret;

	txq = sl_zmalloc_socket("afp_txq", sizeof(*txq), SL_CACHE_LINE_SIZE, socket_id);
	if (txq == NULL)
		return -ENOMEM;
	txq->fd = afp_socket(port);
	if (txq->fd < 0) {
		ret = txq->fd;
		goto fail_q;
	}
	ret = afp_setsockopt(port, txq->fd, PACKET_VERSION, "PACKET_VERSION", &version,
			     sizeof(version));
	if (ret == 0)
		/* Straight to the driver: no qdisc, no extra queueing or drops
		 * (packet_mmap.rst, "PACKET_QDISC_BYPASS"). */
		ret = afp_setsockopt(port, txq->fd, PACKET_QDISC_BYPASS, "PACKET_QDISC_BYPASS",
				     &one, sizeof(one));
	if (ret == 0)
		/* A frame the kernel rejects is marked TP_STATUS_WRONG_FORMAT
		 * and skipped instead of blocking the ring (counted in oerrors;
		 * packet(7), PACKET_LOSS). */
		ret = afp_setsockopt(port, txq->fd, PACKET_LOSS, "PACKET_LOSS", &one, sizeof(one));
	if (ret == 0)
		/* Each frame starts with a virtio-net header whose hdr_len sets
		 * how much the kernel copies (af_packet_ethdev.h); before the
		 * ring, as the kernel demands. */
		ret = afp_setsockopt(port, txq->fd, PACKET_VNET_HDR, "PACKET_VNET_HDR", &one,
				     sizeof(one));
	if (ret == 0)
		ret = afp_setsockopt(port, txq->fd, PACKET_TX_RING, "PACKET_TX_RING", &req,
				     sizeof(req));
	if (ret < 0)
		goto fail_fd;
	txq->ring = afp_mmap(port, txq->fd, len, &ret);
	if (txq->ring == NULL)
		goto fail_fd;
	/* Protocol 0: a send-only socket, it never receives (packet_mmap.rst,
	 * "Transmission process": bind to the interface, then fill frames). */
	ret = afp_bind(port, txq->fd, priv->ifindex, 0, priv->iface);
	if (ret < 0)
		goto fail_map;
	txq->frame_size = req.tp_frame_size;
	txq->frame_nr = req.tp_frame_nr;
	c = afp_ctl(priv, port);
	ret = sl_netif_mtu_get(&c, &mtu);
	if (ret < 0)
		goto fail_map;
	afp_txq_mtu_set(txq, mtu);
	txq->copy_max = priv->txcopy;
	txq->queue_id = queue_id;
	dev->data.tx_queues[queue_id] = txq;
	return 0;

fail_map:
	munmap(txq->ring, len);
fail_fd:
	close(txq->fd);
fail_q:
	sl_free(txq);
	return ret;
}

void
afp_rxq_destroy(struct afp_rxq *rxq)
{
	munmap(rxq->ring, (size_t)rxq->block_size * rxq->block_nr);
	close(rxq->fd);
	sl_free(rxq->blocks);
	sl_free(rxq);
}

static void
afp_rx_queue_release(struct sl_eth_dev *dev, uint16_t queue_id)
{
	struct afp_private *priv = dev->data.dev_private;
	struct afp_rxq *rxq = dev->data.rx_queues[queue_id];

	if (rxq->in_fanout)
		afp_fanout_leave(priv);
	(void)afp_rxq_flush(rxq);
	if (__atomic_load_n(&rxq->refs, __ATOMIC_ACQUIRE) > 1) {
		/* mbufs the application still holds point into the ring: it
		 * stays mapped until the last is freed (afp_rxq_put()).  Until
		 * then the socket keeps nothing it receives (packet(7),
		 * SO_ATTACH_FILTER; a filter that returns 0 drops the frame
		 * before the ring). */
		struct sock_filter drop = BPF_STMT(BPF_RET | BPF_K, 0);
		struct sock_fprog prog = { .len = 1, .filter = &drop };

		if (setsockopt(rxq->fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0)
			SL_LOG(WARNING, NET_AF_PACKET, "%s: RX queue %u: SO_ATTACH_FILTER: %s; "
			       "its socket receives until the application frees its last "
			       "mbuf", dev->data.name, queue_id, strerror(errno));
	}
	afp_rxq_put(rxq);
}

static void
afp_tx_queue_release(struct sl_eth_dev *dev, uint16_t queue_id)
{
	struct afp_txq *txq = dev->data.tx_queues[queue_id];

	munmap(txq->ring, (size_t)txq->frame_size * txq->frame_nr);
	close(txq->fd);
	sl_free(txq);
}

/* ---- dev_ops: interface state ---- */

static uint16_t
afp_max_mtu(const struct afp_private *priv)
{
	/* A TX frame holds framesz - header bytes: an Ethernet header, a VLAN
	 * tag and the MTU.  An RX block holds one frame at most. */
	uint32_t tx = priv->framesz - (uint32_t)AFP_TX_PKT_OFF;
	uint32_t rx = priv->blocksz - (uint32_t)sizeof(struct tpacket_block_desc) -
		      (uint32_t)TPACKET_ALIGN(TPACKET3_HDRLEN) - 16;
	uint32_t frame = SL_MIN(tx, rx);

	return (uint16_t)SL_MIN(frame - SL_ETHER_HDR_LEN - SL_VLAN_HLEN, 65535u);
}

static int
afp_infos_get(struct sl_eth_dev *dev, struct sl_eth_dev_info *info)
{
	struct afp_private *priv = dev->data.dev_private;

	info->driver_name = "net_af_packet";
	info->if_index = priv->ifindex;
	info->max_rx_queues = (uint16_t)priv->qpairs;
	info->max_tx_queues = (uint16_t)priv->qpairs;
	info->min_mtu = SL_ETHER_MIN_MTU;
	info->max_mtu = afp_max_mtu(priv);
	info->max_rx_pktlen = (uint32_t)info->max_mtu + SL_ETHER_HDR_LEN + SL_VLAN_HLEN;
	info->min_rx_bufsize = 0; /* long frames are attached, or copied into chains */
	info->tx_offload_capa = SL_ETH_TX_OFFLOAD_MULTI_SEGS;
	/* The ring size comes from framecnt=, not from nb_desc. */
	info->rx_desc_lim = (struct sl_eth_desc_lim){ .nb_max = 65535, .nb_min = 1, .nb_align = 1 };
	info->tx_desc_lim = info->rx_desc_lim;
	info->speed_capa = SL_ETH_LINK_SPEED_AUTONEG;
	return 0;
}

static int
afp_link_update(struct sl_eth_dev *dev, int wait __sl_unused)
{
	struct sl_netif_ctl c = afp_ctl(dev->data.dev_private, dev->data.name);
	struct sl_eth_link link;
	int ret = sl_netif_link_get(&c, &link);

	if (ret < 0)
		return ret;
	sl_eth_linkstatus_set(dev, &link);
	return 0;
}

/* Read and sum the kernel's drop counter of each RX socket (a read resets it). */
static void
afp_kstats_pull(struct sl_eth_dev *dev)
{
	for (uint16_t q = 0; q < dev->data.nb_rx_queues; q++) {
		struct afp_rxq *rxq = dev->data.rx_queues[q];
		struct tpacket_stats_v3 ks;
		socklen_t len = sizeof(ks);

		if (rxq != NULL && getsockopt(rxq->fd, SOL_PACKET, PACKET_STATISTICS, &ks, &len) == 0)
			sl_eth_queue_count(&rxq->stats.cnt.missed, ks.tp_drops);
	}
}

/* Bound every TX queue by the interface's MTU, which may have changed
 * outside this program (ip link set ... mtu). */
static int
afp_txqs_mtu_refresh(struct sl_eth_dev *dev)
{
	struct sl_netif_ctl c = afp_ctl(dev->data.dev_private, dev->data.name);
	uint32_t mtu;
	int ret = sl_netif_mtu_get(&c, &mtu);

	if (ret < 0)
		return ret;
	for (uint16_t q = 0; q < dev->data.nb_tx_queues; q++)
		if (dev->data.tx_queues[q] != NULL)
			afp_txq_mtu_set(dev->data.tx_queues[q], mtu);
	return 0;
}

/* true if some queue's kernel-side block already holds frames */
static bool
afp_rxqs_flush(struct sl_eth_dev *dev)
{
	bool filling = false;

	for (uint16_t q = 0; q < dev->data.nb_rx_queues; q++)
		if (dev->data.rx_queues[q] != NULL)
			filling |= afp_rxq_flush(dev->data.rx_queues[q]);
	return filling;
}

static int
afp_start(struct sl_eth_dev *dev)
{
	const struct timespec retire = { 0, 2 * AFP_RX_BLOCK_TOV_MS * 1000000L };
	int ret;

	/*
	 * What arrived while the port was stopped is not this run's traffic:
	 * drop it, and the drops the kernel counted meanwhile.  Frames can
	 * still sit in a block the kernel has not handed over: it does so at
	 * most AFP_RX_BLOCK_TOV_MS after the block opened, so if there are
	 * any, wait that long (twice, for the timer's slack) and drop again.
	 * Without the wait such frames came after the restart (a CI run of
	 * test af_packet, test_zc_outlive_port).
	 */
	if (afp_rxqs_flush(dev)) {
		(void)nanosleep(&retire, NULL);
		(void)afp_rxqs_flush(dev);
	}
	afp_kstats_pull(dev);
	for (uint16_t q = 0; q < dev->data.nb_rx_queues; q++) {
		struct afp_rxq *rxq = dev->data.rx_queues[q];

		if (rxq != NULL)
			rxq->stats.base.missed = rxq->stats.cnt.missed;
	}
	ret = afp_txqs_mtu_refresh(dev);
	if (ret < 0)
		return ret;
	return afp_link_update(dev, 0);
}

static int
afp_stop(struct sl_eth_dev *dev)
{
	/* The sockets stay open; the link is the interface's.  Stopping cannot
	 * fail: if the interface is gone (logged), the link is down. */
	if (afp_link_update(dev, 0) < 0) {
		struct sl_eth_link down = { .link_speed = SL_ETH_SPEED_NUM_NONE,
					    .link_duplex = SL_ETH_LINK_FULL_DUPLEX };

		sl_eth_linkstatus_set(dev, &down);
	}
	return 0;
}

static int
afp_close(struct sl_eth_dev *dev)
{
	struct afp_private *priv = dev->data.dev_private;

	if (priv != NULL) {
		close(priv->ctl_fd); /* drops our promiscuous/allmulti memberships */
		sl_free(priv);
		dev->data.dev_private = NULL;
	}
	return 0;
}

static int
afp_stats_get(struct sl_eth_dev *dev, struct sl_eth_stats *st)
{
	afp_kstats_pull(dev);
	return sl_eth_queue_stats_sum(dev, st, offsetof(struct afp_rxq, stats),
				      offsetof(struct afp_txq, stats));
}

static int
afp_stats_reset(struct sl_eth_dev *dev)
{
	afp_kstats_pull(dev);
	return sl_eth_queue_stats_reset(dev, offsetof(struct afp_rxq, stats),
					offsetof(struct afp_txq, stats));
}

static int
afp_membership(struct sl_eth_dev *dev, unsigned short type, bool on, const char *what)
{
	struct sl_netif_ctl c = afp_ctl(dev->data.dev_private, dev->data.name);

	return sl_netif_membership(&c, type, on, what);
}

static int
afp_promisc_enable(struct sl_eth_dev *dev)
{
	return afp_membership(dev, PACKET_MR_PROMISC, true, "promiscuous");
}

static int
afp_promisc_disable(struct sl_eth_dev *dev)
{
	return afp_membership(dev, PACKET_MR_PROMISC, false, "promiscuous");
}

static int
afp_allmulti_enable(struct sl_eth_dev *dev)
{
	return afp_membership(dev, PACKET_MR_ALLMULTI, true, "all-multicast");
}

static int
afp_allmulti_disable(struct sl_eth_dev *dev)
{
	return afp_membership(dev, PACKET_MR_ALLMULTI, false, "all-multicast");
}

static int
afp_mtu_set(struct sl_eth_dev *dev, uint16_t mtu)
{
	struct sl_netif_ctl c = afp_ctl(dev->data.dev_private, dev->data.name);
	int ret = sl_netif_mtu_set(&c, mtu);

	return ret < 0 ? ret : afp_txqs_mtu_refresh(dev);
}

static int
afp_mac_addr_set(struct sl_eth_dev *dev, const struct sl_ether_addr *mac)
{
	struct sl_netif_ctl c = afp_ctl(dev->data.dev_private, dev->data.name);

	return sl_netif_mac_set(&c, mac);
}

static const struct sl_eth_dev_ops afp_ops = {
	.dev_infos_get = afp_infos_get,
	.dev_start = afp_start,
	.dev_stop = afp_stop,
	.dev_close = afp_close,
	.link_update = afp_link_update,
	.stats_get = afp_stats_get,
	.stats_reset = afp_stats_reset,
	.promiscuous_enable = afp_promisc_enable,
	.promiscuous_disable = afp_promisc_disable,
	.allmulticast_enable = afp_allmulti_enable,
	.allmulticast_disable = afp_allmulti_disable,
	.mtu_set = afp_mtu_set,
	.mac_addr_set = afp_mac_addr_set,
	.rx_queue_setup = afp_rx_queue_setup,
	.tx_queue_setup = afp_tx_queue_setup,
	.rx_queue_release = afp_rx_queue_release,
	.tx_queue_release = afp_tx_queue_release,
};

/* ---- vdev probe / remove ---- */

static int
afp_get_u32(struct sl_kvargs *kv, const char *key, uint64_t min, uint64_t max, uint32_t *out)
{
	uint64_t v;
	int ret = sl_kvargs_get_uint(kv, key, min, max, &v);

	if (ret == 0)
		*out = (uint32_t)v;
	return ret == -ENOENT ? 0 : ret;
}

/* Check the ring geometry against the kernel's rules (see top) with a fix in every message. */
static int
afp_check_geometry(const char *name, const struct afp_private *p)
{
	long page = sysconf(_SC_PAGESIZE);

	if (p->framesz % TPACKET_ALIGNMENT != 0) {
		SL_LOG(ERR, NET_AF_PACKET, "%s: framesz=%u is not a multiple of %u; use e.g. "
		       "framesz=%u", name, p->framesz, TPACKET_ALIGNMENT,
		       (unsigned int)TPACKET_ALIGN(p->framesz));
		return -EINVAL;
	}
	if (page <= 0 || p->blocksz % (uint32_t)page != 0) {
		SL_LOG(ERR, NET_AF_PACKET, "%s: blocksz=%u is not a multiple of the page size "
		       "(%ld); use e.g. blocksz=%u", name, p->blocksz, page, AFP_DEFAULT_BLOCKSZ);
		return -EINVAL;
	}
	if (p->blocksz % p->framesz != 0) {
		SL_LOG(ERR, NET_AF_PACKET, "%s: blocksz=%u is not a multiple of framesz=%u; use a "
		       "power-of-two framesz such as 2048", name, p->blocksz, p->framesz);
		return -EINVAL;
	}
	if (p->framecnt % (p->blocksz / p->framesz) != 0) {
		uint32_t fpb = p->blocksz / p->framesz;

		SL_LOG(ERR, NET_AF_PACKET, "%s: framecnt=%u is not a whole number of blocks "
		       "(%u frames of %u bytes per %u-byte block); use framecnt=%u", name,
		       p->framecnt, fpb, p->framesz, p->blocksz,
		       (p->framecnt + fpb - 1) / fpb * fpb);
		return -EINVAL;
	}
	if ((uint64_t)p->framecnt * p->framesz > UINT32_MAX) {
		SL_LOG(ERR, NET_AF_PACKET, "%s: a ring of framecnt=%u frames of framesz=%u bytes "
		       "is %" PRIu64 " bytes; the kernel takes less than 4 GiB per ring: lower "
		       "framecnt or framesz", name, p->framecnt, p->framesz,
		       (uint64_t)p->framecnt * p->framesz);
		return -EINVAL;
	}
	return 0;
}

static int
afp_parse_args(struct sl_vdev_device *vdev, struct afp_private *p)
{
	struct sl_kvargs *kv;
	int ret;

	kv = sl_kvargs_parse(vdev->name, vdev->args, afp_valid_keys);
	if (kv == NULL)
		return -errno;
	ret = sl_kvargs_get_string(kv, AFP_KEY_IFACE, p->iface, sizeof(p->iface));
	if (ret == -ENOENT || (ret == -EINVAL && sl_kvargs_has(kv, AFP_KEY_IFACE))) {
		SL_LOG(ERR, NET_AF_PACKET, "%s: no interface given: add iface=<name>, e.g. "
		       "--vdev %s,iface=eth0 (list interfaces with 'ip link')", vdev->name,
		       vdev->name);
		ret = -EINVAL;
	}
	if (ret == 0)
		ret = afp_get_u32(kv, AFP_KEY_QPAIRS, 1, AFP_MAX_QPAIRS, &p->qpairs);
	if (ret == 0)
		ret = afp_get_u32(kv, AFP_KEY_FRAMESZ, TPACKET_ALIGN(TPACKET3_HDRLEN) + 64,
				  AFP_MAX_BLOCKSZ, &p->framesz);
	if (ret == 0)
		ret = afp_get_u32(kv, AFP_KEY_BLOCKSZ, 4096, AFP_MAX_BLOCKSZ, &p->blocksz);
	if (ret == 0)
		ret = afp_get_u32(kv, AFP_KEY_FRAMECNT, 1, AFP_MAX_FRAMECNT, &p->framecnt);
	if (ret == 0)
		ret = afp_get_u32(kv, AFP_KEY_TXCOPY, 0, AFP_MAX_BLOCKSZ, &p->txcopy);
	if (ret == 0)
		ret = afp_get_u32(kv, AFP_KEY_RXCOPY, 0, AFP_MAX_BLOCKSZ, &p->rxcopy);
	sl_kvargs_free(kv);
	if (ret == 0)
		ret = afp_check_geometry(vdev->name, p);
	return ret;
}

static int
afp_probe(struct sl_vdev_device *vdev)
{
	struct afp_private cfg = {
		.qpairs = 1, .framesz = AFP_DEFAULT_FRAMESZ, .blocksz = AFP_DEFAULT_BLOCKSZ,
		.framecnt = AFP_DEFAULT_FRAMECNT, .txcopy = AFP_DEFAULT_TXCOPY,
		.rxcopy = AFP_RXCOPY_AUTO, .fanout_id = -1, .ctl_fd = -1,
	};
	struct afp_private *priv;
	struct sl_eth_dev *dev;
	struct ifreq ifr;
	char rxcopy[16];
	int ret;

	ret = afp_parse_args(vdev, &cfg);
	if (ret < 0)
		return ret;
	cfg.ifindex = if_nametoindex(cfg.iface);
	if (cfg.ifindex == 0) {
		SL_LOG(ERR, NET_AF_PACKET, "%s: iface=%s: no such interface in this network "
		       "namespace (%s); list them with 'ip link'", vdev->name, cfg.iface,
		       strerror(errno));
		return -ENODEV;
	}
	cfg.ctl_fd = afp_socket(vdev->name);
	if (cfg.ctl_fd < 0)
		return cfg.ctl_fd;

	memset(&ifr, 0, sizeof(ifr));
	ret = afp_ioctl(&cfg, vdev->name, SIOCGIFHWADDR, "SIOCGIFHWADDR", &ifr);
	if (ret < 0)
		goto fail_fd;
	/* Loopback frames carry an Ethernet header too (all-zero MACs). */
	if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER && ifr.ifr_hwaddr.sa_family != ARPHRD_LOOPBACK) {
		SL_LOG(ERR, NET_AF_PACKET, "%s: iface=%s is not an Ethernet interface (ARP hardware "
		       "type %u); use an Ethernet, veth, tap or loopback interface", vdev->name, cfg.iface,
		       ifr.ifr_hwaddr.sa_family);
		ret = -EINVAL;
		goto fail_fd;
	}

	dev = sl_eth_dev_allocate(vdev->name);
	if (dev == NULL) {
		ret = -errno;
		goto fail_fd;
	}
	memcpy(dev->data.mac_addr.addr_bytes, ifr.ifr_hwaddr.sa_data, SL_ETHER_ADDR_LEN);
	memset(&ifr, 0, sizeof(ifr));
	ret = afp_ioctl(&cfg, vdev->name, SIOCGIFMTU, "SIOCGIFMTU", &ifr);
	if (ret < 0)
		goto fail_dev;
	if ((uint32_t)ifr.ifr_mtu > afp_max_mtu(&cfg))
		SL_LOG(WARNING, NET_AF_PACKET, "%s: %s has MTU %d but framesz=%u carries at most "
		       "MTU %u: longer packets are dropped (oerrors); raise framesz or lower the "
		       "MTU", vdev->name, cfg.iface, ifr.ifr_mtu, cfg.framesz, afp_max_mtu(&cfg));
	priv = sl_zmalloc_socket("afp_private", sizeof(*priv), 0, vdev->socket_id);
	if (priv == NULL) {
		ret = -ENOMEM;
		goto fail_dev;
	}
	*priv = cfg;
	dev->data.mtu = (uint16_t)SL_MIN((uint32_t)ifr.ifr_mtu, (uint32_t)afp_max_mtu(&cfg));
	dev->data.dev_private = priv;
	dev->data.socket_id = vdev->socket_id;
	dev->dev_ops = &afp_ops;
	dev->device = vdev;
	dev->rx_pkt_burst = afp_rx;
	dev->tx_pkt_burst = afp_tx;
	ret = sl_eth_dev_probing_finish(dev);
	if (ret < 0)
		goto fail_priv;
	if (priv->rxcopy == AFP_RXCOPY_AUTO)
		snprintf(rxcopy, sizeof(rxcopy), "auto");
	else
		snprintf(rxcopy, sizeof(rxcopy), "%u", priv->rxcopy);
	SL_LOG(INFO, NET_AF_PACKET, "%s: port %u on %s (ifindex %u), qpairs=%u framesz=%u "
	       "blocksz=%u framecnt=%u txcopy=%u rxcopy=%s", vdev->name, dev->data.port_id,
	       priv->iface, priv->ifindex, priv->qpairs, priv->framesz, priv->blocksz,
	       priv->framecnt, priv->txcopy, rxcopy);
	return 0;

fail_priv:
	sl_free(priv);
fail_dev:
	sl_eth_dev_release(dev);
fail_fd:
	close(cfg.ctl_fd);
	return ret;
}

static int
afp_remove(struct sl_vdev_device *vdev)
{
	struct sl_eth_dev *dev = sl_eth_dev_allocated(vdev->name);

	if (dev == NULL) /* the application closed the port already */
		return 0;
	return sl_eth_dev_close(dev->data.port_id);
}

static struct sl_vdev_driver afp_vdev_driver = {
	.param_help = "iface=<name> qpairs=<1..16> framesz=<bytes> blocksz=<bytes> "
		      "framecnt=<frames per ring> txcopy=<bytes copied linear on TX> "
		      "rxcopy=<bytes copied on RX, longer frames attached in the ring>",
	.probe = afp_probe,
	.remove = afp_remove,
};

SL_VDEV_DRIVER_REGISTER(net_af_packet, afp_vdev_driver);
