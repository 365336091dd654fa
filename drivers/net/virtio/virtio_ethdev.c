/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-net poll-mode driver, control path: PCI transport discovery,
 * feature negotiation, queue set-up, link, receive filters and statistics.
 *
 * Reference: [VIRTIO] Virtual I/O Device (VIRTIO) Version 1.2, OASIS
 * Committee Specification 01, 1 July 2022.  Section numbers are of that
 * revision.  Only the "modern" PCI transport (§4.1, capabilities in config
 * space, structures in a memory BAR) is driven; a legacy-only device is
 * refused with the QEMU option that makes it modern.
 *
 * Every address the device sees is an IOVA of the process's IOMMU domain
 * (IOVA = VA), so VIRTIO_F_ACCESS_PLATFORM (§6) is required: without it
 * the device would bypass the IOMMU and read guest-physical addresses.
 *
 * The device runs without interrupts (no MSI-X vector is assigned); the
 * data path polls.  QEMU behaviour the driver allows for is noted where it
 * matters.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sl_bus_pci.h"
#include "sl_cycles.h"
#include "sl_kvargs.h"
#include "sl_log.h"
#include "sl_malloc.h"
#include "sl_mbuf.h"
#include "sl_rss.h"

#include "virtio_ethdev.h"

#define VIRTIO_DRIVER_NAME "net_virtio"
#define VIRTIO_RESET_TIMEOUT_US 1000000
#define VIRTIO_CVQ_MAX_DESC 64
#define PCI_STATUS_REG 0x06
#define PCI_STATUS_CAP_LIST 0x10
#define PCI_CAP_PTR 0x34

/* ---- device status and reset ([VIRTIO] §2.1, §2.4, §4.1.4.3.2) ----------- */

static int
virtio_reset(struct virtio_hw *hw)
{
	/* §4.1.4.3.2: writing 0 resets; the driver waits until it reads 0,
	 * after which the device no longer touches the rings. */
	vcfg_write8(hw, VIRTIO_COMMON_STATUS, 0);
	if (sl_poll8(hw->common + VIRTIO_COMMON_STATUS, 0xff, 0, VIRTIO_RESET_TIMEOUT_US) < 0) {
		SL_LOG(ERR, VIRTIO, "%s: device status did not read 0 within %u us of a reset",
		       hw->pci->name, VIRTIO_RESET_TIMEOUT_US);
		return -ETIMEDOUT;
	}
	return 0;
}

static void
virtio_status_add(struct virtio_hw *hw, uint8_t bits)
{
	vcfg_write8(hw, VIRTIO_COMMON_STATUS, (uint8_t)(vcfg_read8(hw, VIRTIO_COMMON_STATUS) | bits));
}

static uint64_t
virtio_read_dev_features(struct virtio_hw *hw)
{
	uint64_t f;

	/* §4.1.4.3: 32 feature bits per select value. */
	vcfg_write32(hw, VIRTIO_COMMON_DFSELECT, 0);
	f = vcfg_read32(hw, VIRTIO_COMMON_DF);
	vcfg_write32(hw, VIRTIO_COMMON_DFSELECT, 1);
	f |= (uint64_t)vcfg_read32(hw, VIRTIO_COMMON_DF) << 32;
	return f;
}

static void
virtio_write_driver_features(struct virtio_hw *hw, uint64_t f)
{
	vcfg_write32(hw, VIRTIO_COMMON_GFSELECT, 0);
	vcfg_write32(hw, VIRTIO_COMMON_GF, (uint32_t)f);
	vcfg_write32(hw, VIRTIO_COMMON_GFSELECT, 1);
	vcfg_write32(hw, VIRTIO_COMMON_GF, (uint32_t)(f >> 32));
}

/*
 * §3.1.1 steps 1-6: reset, ACKNOWLEDGE, DRIVER, write the features,
 * FEATURES_OK, and check that the device kept FEATURES_OK.
 */
static int
virtio_negotiate(struct virtio_hw *hw, uint64_t want)
{
	uint8_t status;
	int ret;

	ret = virtio_reset(hw);
	if (ret < 0)
		return ret;
	virtio_status_add(hw, VIRTIO_STATUS_ACKNOWLEDGE);
	virtio_status_add(hw, VIRTIO_STATUS_DRIVER);
	hw->dev_features = virtio_read_dev_features(hw);
	/* test_features_xor= (a test aid, off by default) flips bits here so
	 * that a real device can be made to refuse FEATURES_OK. */
	want &= hw->dev_features;
	hw->features = want ^ hw->test_features_xor;
	virtio_write_driver_features(hw, hw->features);
	virtio_status_add(hw, VIRTIO_STATUS_FEATURES_OK);
	status = vcfg_read8(hw, VIRTIO_COMMON_STATUS);
	if (!(status & VIRTIO_STATUS_FEATURES_OK)) {
		SL_LOG(ERR, VIRTIO, "%s: the device refused FEATURES_OK for the features %#" PRIx64
		       " (offered %#" PRIx64 "; acknowledged but not offered %#" PRIx64 ", wanted "
		       "and offered but left out %#" PRIx64 "): it does not accept this "
		       "combination ([VIRTIO] §3.1.1 step 6); the device is reset", hw->pci->name,
		       hw->features, hw->dev_features, hw->features & ~hw->dev_features,
		       want & ~hw->features);
		/* §2.1.2: FAILED, then a reset, so the next owner finds it clean. */
		virtio_status_add(hw, VIRTIO_STATUS_FAILED);
		(void)virtio_reset(hw);
		return -EPROTO;
	}
	return 0;
}

/* ---- device configuration ([VIRTIO] §2.5.1, §5.1.4) ----------------------- */

/* Read @p len bytes at @p off of the device configuration, retrying while
 * the device changes it underneath (config_generation, §2.5.1). */
static void
virtio_read_devcfg(struct virtio_hw *hw, uint32_t off, void *buf, uint32_t len)
{
	uint8_t gen, *b = buf;

	do {
		gen = vcfg_read8(hw, VIRTIO_COMMON_CFGGEN);
		for (uint32_t i = 0; i < len; i++)
			b[i] = sl_read8(hw->devcfg + off + i);
	} while (gen != vcfg_read8(hw, VIRTIO_COMMON_CFGGEN));
}

static uint16_t
virtio_devcfg16(struct virtio_hw *hw, uint32_t off)
{
	uint16_t v = 0;

	if (off + 2 <= hw->devcfg_len)
		virtio_read_devcfg(hw, off, &v, 2);
	return v;
}

/* ---- PCI capabilities ([VIRTIO] §4.1.4) -------------------------------------- */

static int
cfg_read(struct sl_pci_device *pci, void *buf, size_t len, off_t off)
{
	return sl_pci_read_config(pci, buf, len, off) == (ssize_t)len ? 0 : -EIO;
}

/*
 * Walk the capability list for the virtio structures; the first capability
 * of each type wins (§4.1.4: the driver uses the first it can).  Each must
 * lie inside a mapped memory BAR.
 */
static int
virtio_map_caps(struct virtio_hw *hw)
{
	struct sl_pci_device *pci = hw->pci;
	uint8_t *found[VIRTIO_PCI_CAP_DEVICE_CFG + 1] = { NULL };
	uint32_t lens[VIRTIO_PCI_CAP_DEVICE_CFG + 1] = { 0 };
	uint16_t status;
	uint8_t pos;

	if (cfg_read(pci, &status, 2, PCI_STATUS_REG) < 0 || cfg_read(pci, &pos, 1, PCI_CAP_PTR) < 0)
		return -EIO;
	if (!(status & PCI_STATUS_CAP_LIST))
		pos = 0;
	for (unsigned int guard = 0; pos >= 0x40 && guard < 48; guard++) {
		uint8_t cap[20] = { 0 };
		uint32_t off, len;

		pos &= 0xfc;
		/* never past the 256 bytes of a conventional function */
		if (cfg_read(pci, cap, SL_MIN(sizeof(cap), (size_t)(256 - pos)), pos) < 0)
			return -EIO;
		if (cap[0] == PCI_CAP_ID_VNDR_ && cap[VIRTIO_PCI_CAP_CFG_TYPE] >= 1 &&
		    cap[VIRTIO_PCI_CAP_CFG_TYPE] <= VIRTIO_PCI_CAP_DEVICE_CFG &&
		    found[cap[VIRTIO_PCI_CAP_CFG_TYPE]] == NULL) {
			uint8_t type = cap[VIRTIO_PCI_CAP_CFG_TYPE], bar = cap[VIRTIO_PCI_CAP_BAR];
			memcpy(&off, cap + VIRTIO_PCI_CAP_OFFSET, 4);
			memcpy(&len, cap + VIRTIO_PCI_CAP_LENGTH, 4);
			if (bar >= SL_PCI_MAX_BARS || pci->bar[bar].addr == NULL ||
			    (uint64_t)off + len > pci->bar[bar].len) {
				SL_LOG(ERR, VIRTIO, "%s: virtio structure type %u at BAR%u+%#x (%u bytes) "
				       "is outside a mapped memory BAR", pci->name, type, bar, off, len);
				return -ENODEV;
			}
			found[type] = (uint8_t *)pci->bar[bar].addr + off;
			lens[type] = len;
			if (type == VIRTIO_PCI_CAP_NOTIFY_CFG)
				memcpy(&hw->notify_mult, cap + VIRTIO_PCI_CAP_NOTIFY_MULT, 4);
		}
		pos = cap[1];
	}
	if (found[VIRTIO_PCI_CAP_COMMON_CFG] == NULL) {
		SL_LOG(ERR, VIRTIO, "%s (%04x:%04x) is a legacy-only virtio device: it has no virtio "
		       "1.x common configuration capability ([VIRTIO] §4.1.4.3).  Sluice drives "
		       "modern devices only: start QEMU with -device virtio-net-pci,"
		       "disable-legacy=on,iommu_platform=on (or disable-modern=off)", pci->name,
		       pci->id.vendor_id, pci->id.device_id);
		return -ENOTSUP;
	}
	if (found[VIRTIO_PCI_CAP_NOTIFY_CFG] == NULL || found[VIRTIO_PCI_CAP_DEVICE_CFG] == NULL ||
	    lens[VIRTIO_PCI_CAP_COMMON_CFG] < VIRTIO_COMMON_MIN_LEN) {
		SL_LOG(ERR, VIRTIO, "%s: the notification or device configuration structure is "
		       "missing or the common configuration is short ([VIRTIO] §4.1.4)", pci->name);
		return -ENODEV;
	}
	hw->common = found[VIRTIO_PCI_CAP_COMMON_CFG];
	hw->notify_base = found[VIRTIO_PCI_CAP_NOTIFY_CFG];
	hw->notify_len = lens[VIRTIO_PCI_CAP_NOTIFY_CFG];
	hw->devcfg = found[VIRTIO_PCI_CAP_DEVICE_CFG];
	hw->devcfg_len = lens[VIRTIO_PCI_CAP_DEVICE_CFG];
	return 0;
}

/* ---- virtqueues ([VIRTIO] §4.1.5.1.3 Virtqueue Configuration) ------------ */

static uint16_t
virtio_queue_max(struct virtio_hw *hw, uint16_t index)
{
	vcfg_write16(hw, VIRTIO_COMMON_Q_SELECT, index);
	return vcfg_read16(hw, VIRTIO_COMMON_Q_SIZE);
}

static int
virtio_queue_enable(struct virtio_hw *hw, struct virtio_vq *vq)
{
	uint16_t max = virtio_queue_max(hw, vq->index);
	uint64_t noff;

	if (max == 0 || vq->size > max) {
		SL_LOG(ERR, VIRTIO, "%s: queue %u has %u descriptors but the device allows %u",
		       hw->pci->name, vq->index, vq->size, max);
		return -EINVAL;
	}
	vcfg_write16(hw, VIRTIO_COMMON_Q_SIZE, vq->size);
	vcfg_write16(hw, VIRTIO_COMMON_Q_MSIX, VIRTIO_MSI_NO_VECTOR); /* polled */
	vcfg_write64(hw, VIRTIO_COMMON_Q_DESCLO, vq->desc_iova);
	vcfg_write64(hw, VIRTIO_COMMON_Q_AVAILLO, vq->driver_iova);
	vcfg_write64(hw, VIRTIO_COMMON_Q_USEDLO, vq->device_iova);
	/* §4.1.4.4: the doorbell of this queue. */
	noff = (uint64_t)vcfg_read16(hw, VIRTIO_COMMON_Q_NOFF) * hw->notify_mult;
	if (noff + 2 > hw->notify_len) {
		SL_LOG(ERR, VIRTIO, "%s: queue %u notify offset %#" PRIx64 " beyond the %" PRIu64
		       "-byte notification area", hw->pci->name, vq->index, noff, hw->notify_len);
		return -ENODEV;
	}
	vq->notify = hw->notify_base + noff;
	vcfg_write16(hw, VIRTIO_COMMON_Q_ENABLE, 1);
	return 0;
}

static uint16_t
virtio_cvq_index(const struct virtio_hw *hw)
{
	/* §5.1.2: controlq is 2N with N = max_virtqueue_pairs (MQ), else 2. */
	return (uint16_t)(2 * hw->max_pairs);
}

/* ---- link ([VIRTIO] §5.1.4 status, speed, duplex) ----------------------------- */

static int
virtio_link_update(struct sl_eth_dev *dev, int wait)
{
	struct virtio_hw *hw = dev->data.dev_private;
	struct sl_eth_link link = { 0 };

	(void)wait;
	if (hw->started) {
		uint16_t st = VIRTIO_NET_S_LINK_UP;
		if (virtio_has(hw, VIRTIO_NET_F_STATUS))
			st = virtio_devcfg16(hw, VIRTIO_NET_CFG_STATUS);
		if (st & VIRTIO_NET_S_LINK_UP) {
			uint32_t speed = UINT32_MAX;
			uint8_t duplex = 1;
			if (virtio_has(hw, VIRTIO_NET_F_SPEED_DUPLEX) && hw->devcfg_len >= 17) {
				virtio_read_devcfg(hw, VIRTIO_NET_CFG_SPEED, &speed, 4);
				virtio_read_devcfg(hw, VIRTIO_NET_CFG_DUPLEX, &duplex, 1);
			}
			link.link_status = SL_ETH_LINK_UP;
			link.link_speed = speed == UINT32_MAX ? SL_ETH_SPEED_NUM_UNKNOWN : speed;
			link.link_duplex = duplex == 0 ? SL_ETH_LINK_HALF_DUPLEX :
							 SL_ETH_LINK_FULL_DUPLEX;
		}
	}
	sl_eth_linkstatus_set(dev, &link);
	return 0;
}

/* ---- receive filters through the control queue (§5.1.6.5.1-2) ----------- */

static int
virtio_rx_mode(struct sl_eth_dev *dev, uint8_t cmd, uint8_t on)
{
	struct virtio_hw *hw = dev->data.dev_private;
	int ret;

	if (!(hw->dev_features & VIRTIO_BIT(VIRTIO_NET_F_CTRL_RX))) {
		/* QEMU's device receives everything after reset without it. */
		if (on)
			return 0;
		SL_LOG(ERR, VIRTIO, "port %u: the device has no VIRTIO_NET_F_CTRL_RX: it cannot "
		       "leave promiscuous/all-multicast mode", dev->data.port_id);
		return -ENOTSUP;
	}
	if (!hw->started)
		return 0; /* applied by dev_start */
	ret = virtio_cvq_command(hw, VIRTIO_NET_CTRL_RX, cmd, &on, 1);
	if (ret < 0)
		SL_LOG(ERR, VIRTIO, "port %u: VIRTIO_NET_CTRL_RX command %u = %u failed: %s",
		       dev->data.port_id, cmd, on, strerror(-ret));
	return ret;
}

static int
virtio_promiscuous_enable(struct sl_eth_dev *dev)
{
	return virtio_rx_mode(dev, VIRTIO_NET_CTRL_RX_PROMISC, 1);
}

static int
virtio_promiscuous_disable(struct sl_eth_dev *dev)
{
	return virtio_rx_mode(dev, VIRTIO_NET_CTRL_RX_PROMISC, 0);
}

static int
virtio_allmulticast_enable(struct sl_eth_dev *dev)
{
	return virtio_rx_mode(dev, VIRTIO_NET_CTRL_RX_ALLMULTI, 1);
}

static int
virtio_allmulticast_disable(struct sl_eth_dev *dev)
{
	return virtio_rx_mode(dev, VIRTIO_NET_CTRL_RX_ALLMULTI, 0);
}

static int
virtio_mac_addr_set(struct sl_eth_dev *dev, const struct sl_ether_addr *mac)
{
	struct virtio_hw *hw = dev->data.dev_private;
	int ret;

	if (!(hw->dev_features & VIRTIO_BIT(VIRTIO_NET_F_CTRL_MAC_ADDR))) {
		SL_LOG(ERR, VIRTIO, "port %u: the device has no VIRTIO_NET_F_CTRL_MAC_ADDR: its MAC "
		       "address is fixed (QEMU: -device virtio-net-pci,mac=...)", dev->data.port_id);
		return -ENOTSUP;
	}
	if (!hw->started)
		return 0;
	ret = virtio_cvq_command(hw, VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_ADDR_SET,
				 mac->addr_bytes, 6);
	if (ret < 0)
		SL_LOG(ERR, VIRTIO, "port %u: VIRTIO_NET_CTRL_MAC_ADDR_SET failed: %s",
		       dev->data.port_id, strerror(-ret));
	return ret;
}

/* ---- receive-side scaling ([VIRTIO] §5.1.6.5.7) ----------------------------- */

static_assert(VIRTIO_RSS_KEY_LEN == SL_RSS_KEY_LEN, "ethdev's key is lib/net's");

/* ethdev's hash types and the device's (§5.1.6.4.3.1).  The _EX types
 * (IPv6 extension headers) have no ethdev counterpart and are never set. */
static const struct {
	uint64_t eth;
	uint32_t dev;
} virtio_rss_types[] = {
	{ SL_ETH_RSS_IPV4, VIRTIO_NET_HASH_TYPE_IPv4 },
	{ SL_ETH_RSS_NONFRAG_IPV4_TCP, VIRTIO_NET_HASH_TYPE_TCPv4 },
	{ SL_ETH_RSS_NONFRAG_IPV4_UDP, VIRTIO_NET_HASH_TYPE_UDPv4 },
	{ SL_ETH_RSS_IPV6, VIRTIO_NET_HASH_TYPE_IPv6 },
	{ SL_ETH_RSS_NONFRAG_IPV6_TCP, VIRTIO_NET_HASH_TYPE_TCPv6 },
	{ SL_ETH_RSS_NONFRAG_IPV6_UDP, VIRTIO_NET_HASH_TYPE_UDPv6 },
};

/* Translate hash types: ethdev's to the device's (@p to_dev) or back. */
static uint64_t
virtio_rss_map(uint64_t types, int to_dev)
{
	uint64_t out = 0;

	for (size_t i = 0; i < SL_DIM(virtio_rss_types); i++) {
		uint64_t from = to_dev ? virtio_rss_types[i].eth : virtio_rss_types[i].dev;
		if (types & from)
			out |= to_dev ? virtio_rss_types[i].dev : virtio_rss_types[i].eth;
	}
	return out;
}

/*
 * At probe, with VIRTIO_NET_F_RSS negotiated: the device's limits
 * (§5.1.4 rss_max_key_size, rss_max_indirection_table_length,
 * supported_hash_types).  hw->rss_reta_size stays 0, and the port has no
 * RSS, when they do not fit what ethdev exposes.
 */
static void
virtio_rss_probe(struct virtio_hw *hw)
{
	uint16_t table = 0;
	uint8_t key = 0;
	uint32_t types = 0;
	unsigned int n;

	if (!virtio_has(hw, VIRTIO_NET_F_RSS))
		return;
	/* §5.1.3.1: RSS needs the control queue its command goes through. */
	if (!virtio_has(hw, VIRTIO_NET_F_CTRL_VQ) || hw->devcfg_len < VIRTIO_NET_CFG_RSS_END) {
		SL_LOG(INFO, VIRTIO, "%s offers VIRTIO_NET_F_RSS without a control queue or with a "
		       "%u-byte device configuration: RSS not used", hw->pci->name, hw->devcfg_len);
		return;
	}
	virtio_read_devcfg(hw, VIRTIO_NET_CFG_RSS_MAX_KEY, &key, 1);
	virtio_read_devcfg(hw, VIRTIO_NET_CFG_RSS_MAX_TABLE, &table, 2);
	virtio_read_devcfg(hw, VIRTIO_NET_CFG_RSS_HASH_TYPES, &types, 4);
	/* §5.1.6.5.7.1: the table is a power of two long, at most the maximum. */
	n = SL_MIN((unsigned int)table, (unsigned int)VIRTIO_RSS_RETA_MAX);
	n = n ? 1u << (31 - __builtin_clz(n)) : 0;
	if (key < VIRTIO_RSS_KEY_LEN || n < SL_ETH_RETA_GROUP_SIZE ||
	    virtio_rss_map(types, 0) == 0) {
		SL_LOG(INFO, VIRTIO, "%s: RSS with a %u-byte key, %u table entries and hash types "
		       "%#x; Sluice needs a %u-byte key, %u entries and an IPv4/IPv6 type: RSS not "
		       "used", hw->pci->name, key, table, types, VIRTIO_RSS_KEY_LEN,
		       SL_ETH_RETA_GROUP_SIZE);
		return;
	}
	hw->rss_dev_types = types;
	hw->rss_reta_size = (uint16_t)n;
}

/* At configure: the port's key and types, the table spread round-robin. */
static void
virtio_rss_configure(struct sl_eth_dev *dev)
{
	struct virtio_hw *hw = dev->data.dev_private;
	const struct sl_eth_rss_conf *rc = &dev->data.dev_conf.rx_adv_conf.rss_conf;

	hw->rss_hf = rc->rss_hf;
	memcpy(hw->rss_key, rc->rss_key != NULL ? rc->rss_key : sl_rss_default_key,
	       VIRTIO_RSS_KEY_LEN);
	for (uint16_t i = 0; i < hw->rss_reta_size; i++)
		hw->rss_reta[i] = (uint16_t)(i % dev->data.nb_rx_queues);
}

static size_t
put_le(uint8_t *p, uint32_t v, size_t len)
{
	memcpy(p, &v, len); /* little-endian host (virtio_pci.h) */
	return len;
}

/*
 * Send the RSS configuration (§5.1.6.5.7.1).  Packets no enabled type
 * matches go to RETA entry 0's queue, as ethdev promises for rss_hf 0.
 * QEMU takes any MQ command as the end of RSS, so this comes after
 * VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET.
 */
static int
virtio_rss_apply(struct sl_eth_dev *dev)
{
	struct virtio_hw *hw = dev->data.dev_private;
	uint8_t cmd[VIRTIO_CVQ_ACK_OFF - VIRTIO_CVQ_DATA_OFF];
	uint32_t types = (uint32_t)virtio_rss_map(hw->rss_hf, 1);
	uint16_t n = hw->rss_reta_size;
	size_t off = 0;
	int ret;

	if (!hw->started || dev->data.dev_conf.rxmode.mq_mode != SL_ETH_MQ_RX_RSS)
		return 0;
	off += put_le(cmd + off, types, 4);
	off += put_le(cmd + off, (uint32_t)(n - 1), 2);  /* indirection_table_mask */
	off += put_le(cmd + off, hw->rss_reta[0], 2);    /* unclassified_queue */
	for (uint16_t i = 0; i < n; i++)
		off += put_le(cmd + off, hw->rss_reta[i], 2);
	off += put_le(cmd + off, hw->nb_pairs, 2);       /* max_tx_vq */
	cmd[off++] = VIRTIO_RSS_KEY_LEN;
	memcpy(cmd + off, hw->rss_key, VIRTIO_RSS_KEY_LEN);
	off += VIRTIO_RSS_KEY_LEN;
	ret = virtio_cvq_command(hw, VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_RSS_CONFIG, cmd,
				 (uint16_t)off);
	if (ret < 0)
		SL_LOG(ERR, VIRTIO, "port %u: VIRTIO_NET_CTRL_MQ_RSS_CONFIG (hash types %#x, %u-entry "
		       "table, %u queues) failed: %s", dev->data.port_id, types, n, hw->nb_pairs,
		       ret == -EIO ? "the device answered VIRTIO_NET_ERR" : strerror(-ret));
	return ret;
}

static int
virtio_rss_hash_update(struct sl_eth_dev *dev, const struct sl_eth_rss_conf *conf)
{
	struct virtio_hw *hw = dev->data.dev_private;
	uint8_t old_key[VIRTIO_RSS_KEY_LEN];
	uint64_t old_hf = hw->rss_hf;
	int ret;

	memcpy(old_key, hw->rss_key, sizeof(old_key));
	hw->rss_hf = conf->rss_hf;
	if (conf->rss_key != NULL)
		memcpy(hw->rss_key, conf->rss_key, VIRTIO_RSS_KEY_LEN);
	ret = virtio_rss_apply(dev);
	if (ret < 0) {
		/* the device dropped RSS on the error: put the old one back */
		hw->rss_hf = old_hf;
		memcpy(hw->rss_key, old_key, sizeof(old_key));
		(void)virtio_rss_apply(dev);
	}
	return ret;
}

static int
virtio_rss_hash_conf_get(struct sl_eth_dev *dev, struct sl_eth_rss_conf *conf)
{
	struct virtio_hw *hw = dev->data.dev_private;

	conf->rss_hf = hw->rss_hf;
	if (conf->rss_key != NULL)
		memcpy((uint8_t *)(uintptr_t)conf->rss_key, hw->rss_key, VIRTIO_RSS_KEY_LEN);
	return 0;
}

static int
virtio_reta_update(struct sl_eth_dev *dev, const struct sl_eth_rss_reta_entry64 *conf,
		   uint16_t size)
{
	struct virtio_hw *hw = dev->data.dev_private;
	uint16_t old[VIRTIO_RSS_RETA_MAX];
	int ret;

	memcpy(old, hw->rss_reta, sizeof(old));
	for (uint16_t i = 0; i < size; i++) {
		const struct sl_eth_rss_reta_entry64 *g = &conf[i / SL_ETH_RETA_GROUP_SIZE];
		unsigned int slot = i % SL_ETH_RETA_GROUP_SIZE;
		if (g->mask >> slot & 1)
			hw->rss_reta[i] = g->reta[slot];
	}
	ret = virtio_rss_apply(dev);
	if (ret < 0) {
		memcpy(hw->rss_reta, old, sizeof(old));
		(void)virtio_rss_apply(dev);
	}
	return ret;
}

static int
virtio_reta_query(struct sl_eth_dev *dev, struct sl_eth_rss_reta_entry64 *conf, uint16_t size)
{
	struct virtio_hw *hw = dev->data.dev_private;

	for (uint16_t i = 0; i < size; i++) {
		struct sl_eth_rss_reta_entry64 *g = &conf[i / SL_ETH_RETA_GROUP_SIZE];
		unsigned int slot = i % SL_ETH_RETA_GROUP_SIZE;
		if (g->mask >> slot & 1)
			g->reta[slot] = hw->rss_reta[i];
	}
	return 0;
}

/* ---- MTU ------------------------------------------------------------------------ */

/* The RX queue whose buffers are too small for a frame and its header at
 * @p mtu, or NULL if every queue's buffers hold one (§5.1.6.3.1). */
static const struct virtio_rx_queue *
virtio_rx_too_small(const struct sl_eth_dev *dev, uint16_t mtu)
{
	uint32_t need = (uint32_t)mtu + VIRTIO_ETH_OVERHEAD + VIRTIO_HDR_SIZE;

	for (uint16_t q = 0; q < dev->data.nb_rx_queues; q++) {
		const struct virtio_rx_queue *rxq = dev->data.rx_queues[q];
		if (rxq && need > rxq->buf_len)
			return rxq;
	}
	return NULL;
}

static int
virtio_check_frame(struct sl_eth_dev *dev, uint16_t mtu)
{
	struct virtio_hw *hw = dev->data.dev_private;
	const struct virtio_rx_queue *rxq;

	/* Without mergeable buffers a frame and its header fill one buffer
	 * (§5.1.6.3.1); the device drops what does not fit.  A stopped port
	 * negotiates again at start; a started one keeps what it has. */
	if ((hw->started ? hw->features : hw->dev_features) & VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF))
		return 0;
	rxq = virtio_rx_too_small(dev, mtu);
	if (rxq == NULL)
		return 0;
	if (hw->dev_features & VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF))
		SL_LOG(ERR, VIRTIO, "port %u: %u-byte frames do not fit %u-byte RX buffers and the "
		       "port runs without mergeable buffers (left out at start for IN_ORDER, see "
		       "virtio_in_order_or_mrg()): stop the port, set the MTU, start it again",
		       dev->data.port_id, (unsigned int)mtu + VIRTIO_ETH_OVERHEAD,
		       rxq->buf_len - VIRTIO_HDR_SIZE);
	else
		SL_LOG(ERR, VIRTIO, "port %u: %u-byte frames do not fit %u-byte RX buffers and "
		       "the device has no mergeable buffers (VIRTIO_NET_F_MRG_RXBUF): use "
		       "bigger mbufs or a smaller MTU", dev->data.port_id,
		       (unsigned int)mtu + VIRTIO_ETH_OVERHEAD, rxq->buf_len - VIRTIO_HDR_SIZE);
	return -EINVAL;
}

static int
virtio_mtu_set(struct sl_eth_dev *dev, uint16_t mtu)
{
	return virtio_check_frame(dev, mtu);
}

/* ---- dev ops ------------------------------------------------------------------------ */

static uint64_t
virtio_tx_capa(uint64_t f)
{
	uint64_t capa = SL_ETH_TX_OFFLOAD_MULTI_SEGS;

	if (f & VIRTIO_BIT(VIRTIO_NET_F_CSUM)) {
		capa |= SL_ETH_TX_OFFLOAD_UDP_CKSUM | SL_ETH_TX_OFFLOAD_TCP_CKSUM;
		if (f & (VIRTIO_BIT(VIRTIO_NET_F_HOST_TSO4) | VIRTIO_BIT(VIRTIO_NET_F_HOST_TSO6)))
			capa |= SL_ETH_TX_OFFLOAD_TCP_TSO;
	}
	return capa;
}

static int
virtio_dev_infos_get(struct sl_eth_dev *dev, struct sl_eth_dev_info *info)
{
	struct virtio_hw *hw = dev->data.dev_private;
	uint64_t f = hw->dev_features;

	info->driver_name = VIRTIO_DRIVER_NAME;
	info->min_mtu = 68;
	info->max_mtu = hw->max_mtu;
	info->min_rx_bufsize = 256;
	info->max_rx_pktlen = (uint32_t)hw->max_mtu + VIRTIO_ETH_OVERHEAD;
	info->max_rx_queues = hw->max_pairs;
	info->max_tx_queues = hw->max_pairs;
	info->max_mac_addrs = 1;
	info->rx_offload_capa = SL_ETH_RX_OFFLOAD_SCATTER;
	if (f & VIRTIO_BIT(VIRTIO_NET_F_GUEST_CSUM))
		info->rx_offload_capa |= SL_ETH_RX_OFFLOAD_UDP_CKSUM | SL_ETH_RX_OFFLOAD_TCP_CKSUM;
	info->tx_offload_capa = virtio_tx_capa(f);
	if (hw->rss_reta_size) {
		info->flow_type_rss_offloads = virtio_rss_map(hw->rss_dev_types, 0);
		info->hash_key_size = VIRTIO_RSS_KEY_LEN;
		info->reta_size = hw->rss_reta_size;
	}
	info->rx_desc_lim = (struct sl_eth_desc_lim){ hw->rx_qsize, VIRTIO_MIN_RING_DESC, 1 };
	info->tx_desc_lim = (struct sl_eth_desc_lim){ hw->tx_qsize, VIRTIO_MIN_RING_DESC, 1 };
	info->default_rxconf = (struct sl_eth_rxconf){ 0 };
	info->default_txconf = (struct sl_eth_txconf){ .tx_free_thresh = VIRTIO_TX_FREE_THRESH };
	info->default_rxportconf = (struct sl_eth_dev_portconf){ 32, hw->rx_qsize, 1 };
	info->default_txportconf = (struct sl_eth_dev_portconf){ 32, hw->tx_qsize, 1 };
	info->speed_capa = 0;
	return 0;
}

static int
virtio_dev_configure(struct sl_eth_dev *dev)
{
	const struct sl_eth_conf *conf = &dev->data.dev_conf;

	if (dev->data.nb_rx_queues != dev->data.nb_tx_queues) {
		SL_LOG(ERR, VIRTIO, "port %u: %u RX and %u TX queues: virtio queues come in pairs "
		       "([VIRTIO] §5.1.2); ask for as many of each", dev->data.port_id,
		       dev->data.nb_rx_queues, dev->data.nb_tx_queues);
		return -EINVAL;
	}
	/* ethdev has refused RSS already when the device has none
	 * (flow_type_rss_offloads 0); without RSS the device steers. */
	if (conf->rxmode.mq_mode == SL_ETH_MQ_RX_RSS)
		virtio_rss_configure(dev);
	return 0;
}

/*
 * IN_ORDER and MRG_RXBUF are never negotiated together.  QEMU's in-order
 * support (9.1 up to its fix 6fcf5ebafad6, so QEMU 10.0.2 among others)
 * loses track of a received frame whose mergeable buffers run across the
 * end of the ring: virtqueue_ordered_fill() steps past its used_elems
 * array, the buffer is never marked done, the queue's used index stops
 * there for good, and the stale marks survive a device reset (see
 * doc/drivers/virtio.md and test/vm/KNOWN-ISSUES.md).  A device does not
 * say which QEMU it is, and a single frame longer than one buffer, from
 * any peer, is enough.  So: a port whose frames fit one RX buffer keeps
 * IN_ORDER and goes without mergeable buffers (the device then drops a
 * longer frame instead of merging it); a port with bigger frames keeps
 * MRG_RXBUF and goes without IN_ORDER, which saves the driver little (its
 * TX completions).
 */
static uint64_t
virtio_in_order_or_mrg(const struct sl_eth_dev *dev, uint64_t want)
{
	const struct virtio_hw *hw = dev->data.dev_private;
	const uint64_t both = VIRTIO_BIT(VIRTIO_F_IN_ORDER) | VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF);

	if ((want & hw->dev_features & both) != both)
		return want;
	if (virtio_rx_too_small(dev, dev->data.mtu) == NULL)
		return want & ~VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF);
	return want & ~VIRTIO_BIT(VIRTIO_F_IN_ORDER);
}

/* The features to ask for, from what the port is configured to do. */
static uint64_t
virtio_wanted_features(const struct sl_eth_dev *dev)
{
	const struct sl_eth_conf *conf = &dev->data.dev_conf;
	uint64_t want = VIRTIO_DRIVER_FEATURES;

	if (!(conf->rxmode.offloads & (SL_ETH_RX_OFFLOAD_UDP_CKSUM | SL_ETH_RX_OFFLOAD_TCP_CKSUM)))
		want &= ~VIRTIO_BIT(VIRTIO_NET_F_GUEST_CSUM);
	if (!(conf->txmode.offloads & (SL_ETH_TX_OFFLOAD_UDP_CKSUM | SL_ETH_TX_OFFLOAD_TCP_CKSUM |
				       SL_ETH_TX_OFFLOAD_TCP_TSO)))
		want &= ~VIRTIO_BIT(VIRTIO_NET_F_CSUM);
	/* §5.1.3.1: HOST_TSO4/6 need CSUM. */
	if (!(conf->txmode.offloads & SL_ETH_TX_OFFLOAD_TCP_TSO) || !(want & VIRTIO_BIT(VIRTIO_NET_F_CSUM)))
		want &= ~(VIRTIO_BIT(VIRTIO_NET_F_HOST_TSO4) | VIRTIO_BIT(VIRTIO_NET_F_HOST_TSO6));
	if (conf->rxmode.mq_mode != SL_ETH_MQ_RX_RSS)
		want &= ~VIRTIO_BIT(VIRTIO_NET_F_RSS);
	return virtio_in_order_or_mrg(dev, want);
}

static void
virtio_queues_flush(struct sl_eth_dev *dev)
{
	for (uint16_t q = 0; q < dev->data.nb_rx_queues; q++)
		if (dev->data.rx_queues[q])
			virtio_rx_queue_flush(dev->data.rx_queues[q]);
	for (uint16_t q = 0; q < dev->data.nb_tx_queues; q++)
		if (dev->data.tx_queues[q])
			virtio_tx_queue_flush(dev->data.tx_queues[q]);
}

static int
virtio_dev_start(struct sl_eth_dev *dev)
{
	struct virtio_hw *hw = dev->data.dev_private;
	uint16_t pairs = dev->data.nb_rx_queues;
	int ret;

	ret = virtio_check_frame(dev, dev->data.mtu);
	if (ret < 0)
		return ret;
	/* §3.1.1 steps 1-6 */
	ret = virtio_negotiate(hw, virtio_wanted_features(dev));
	if (ret < 0)
		return ret;
	/* §3.1.1 step 7: device-specific set-up, the virtqueues (§4.1.5.1.3). */
	for (uint16_t q = 0; q < pairs; q++) {
		struct virtio_rx_queue *rxq = dev->data.rx_queues[q];
		struct virtio_tx_queue *txq = dev->data.tx_queues[q];

		ret = virtio_rx_queue_fill(hw, rxq);
		if (ret < 0)
			goto err;
		virtio_tx_queue_prepare(hw, txq);
		ret = virtio_queue_enable(hw, &rxq->vq);
		if (ret == 0)
			ret = virtio_queue_enable(hw, &txq->vq);
		if (ret < 0)
			goto err;
	}
	if (virtio_has(hw, VIRTIO_NET_F_CTRL_VQ)) {
		virtio_vq_reset(&hw->cvq, 0, 0);
		ret = virtio_queue_enable(hw, &hw->cvq);
		if (ret < 0)
			goto err;
	}
	/* §3.1.1 step 8 */
	virtio_status_add(hw, VIRTIO_STATUS_DRIVER_OK);
	if (vcfg_read8(hw, VIRTIO_COMMON_STATUS) & VIRTIO_STATUS_NEEDS_RESET) {
		SL_LOG(ERR, VIRTIO, "%s: the device set DEVICE_NEEDS_RESET at DRIVER_OK",
		       hw->pci->name);
		ret = -EIO;
		goto err;
	}
	hw->started = 1;
	hw->nb_pairs = pairs;
	/* QEMU stops reading its backend while a queue had no buffers; a
	 * first kick says the rings are full now. */
	for (uint16_t q = 0; q < pairs; q++)
		virtio_vq_notify(&((struct virtio_rx_queue *)dev->data.rx_queues[q])->vq);

	/* §5.1.6.5.5: the device starts with one pair. */
	if (virtio_has(hw, VIRTIO_NET_F_MQ)) {
		uint16_t n = pairs;
		ret = virtio_cvq_command(hw, VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET, &n, 2);
		if (ret < 0) {
			SL_LOG(ERR, VIRTIO, "port %u: VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET %u failed: %s",
			       dev->data.port_id, pairs, strerror(-ret));
			goto err_started;
		}
	}
	ret = virtio_rss_apply(dev);
	if (ret < 0)
		goto err_started;
	if (virtio_has(hw, VIRTIO_NET_F_CTRL_MAC_ADDR)) {
		ret = virtio_mac_addr_set(dev, &dev->data.mac_addr);
		if (ret < 0)
			goto err_started;
	}
	if (virtio_has(hw, VIRTIO_NET_F_CTRL_RX)) {
		ret = virtio_rx_mode(dev, VIRTIO_NET_CTRL_RX_PROMISC, dev->data.promiscuous);
		if (ret == 0)
			ret = virtio_rx_mode(dev, VIRTIO_NET_CTRL_RX_ALLMULTI,
					     dev->data.all_multicast);
		if (ret < 0)
			goto err_started;
	}
	virtio_link_update(dev, 0);
	SL_LOG(INFO, VIRTIO, "port %u started: features negotiated %#" PRIx64 ", %u pair(s), %s "
	       "rings, IN_ORDER %s, mergeable RX buffers %s%s", dev->data.port_id, hw->features,
	       pairs, virtio_has(hw, VIRTIO_F_RING_PACKED) ? "packed" : "split",
	       virtio_has(hw, VIRTIO_F_IN_ORDER) ? "on" : "off",
	       virtio_has(hw, VIRTIO_NET_F_MRG_RXBUF) ? "on" : "off",
	       (hw->dev_features & VIRTIO_BIT(VIRTIO_F_IN_ORDER)) &&
	       (hw->dev_features & VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF)) ?
	       (virtio_has(hw, VIRTIO_F_IN_ORDER) ? " (never both: frames fit one RX buffer)" :
		" (never both: frames need several RX buffers)") : "");
	return 0;

err_started:
	hw->started = 0;
err:
	(void)virtio_reset(hw);
	virtio_queues_flush(dev);
	return ret;
}

static int
virtio_dev_stop(struct sl_eth_dev *dev)
{
	struct virtio_hw *hw = dev->data.dev_private;
	struct sl_eth_link link = { 0 };

	if (!hw->started)
		return 0;
	/* §2.4: after the reset completes the device owns no buffer. */
	(void)virtio_reset(hw);
	virtio_queues_flush(dev);
	hw->started = 0;
	sl_eth_linkstatus_set(dev, &link);
	return 0;
}

static int
virtio_dev_close(struct sl_eth_dev *dev)
{
	struct virtio_hw *hw = dev->data.dev_private;

	if (hw->started)
		virtio_dev_stop(dev);
	(void)virtio_reset(hw);
	/* The device is reset: stop it mastering the bus before the domain
	 * unmaps the rings (both backends do too, a driver leaves no DMA). */
	(void)sl_pci_bus_master_set(hw->pci, false);
	virtio_vq_free(&hw->cvq);
	if (hw->cvq_buf_mz)
		sl_memzone_free(hw->cvq_buf_mz);
	hw->pci->driver_data = NULL;
	sl_free(hw);
	dev->data.dev_private = NULL;
	return 0;
}

/* ---- statistics ------------------------------------------------------------------- */

static int
virtio_stats_get(struct sl_eth_dev *dev, struct sl_eth_stats *st)
{
	for (uint16_t q = 0; q < dev->data.nb_rx_queues; q++) {
		const struct virtio_rx_queue *rxq = dev->data.rx_queues[q];
		if (rxq == NULL)
			continue;
		st->ipackets += rxq->st.packets;
		st->ibytes += rxq->st.bytes;
		st->ierrors += rxq->st.errors;
		st->rx_nombuf += rxq->st.nombuf;
		if (q < SL_ETH_QUEUE_STAT_CNTRS) {
			st->q_ipackets[q] = rxq->st.packets;
			st->q_ibytes[q] = rxq->st.bytes;
			st->q_errors[q] = rxq->st.errors;
		}
	}
	for (uint16_t q = 0; q < dev->data.nb_tx_queues; q++) {
		const struct virtio_tx_queue *txq = dev->data.tx_queues[q];
		if (txq == NULL)
			continue;
		st->opackets += txq->st.packets;
		st->obytes += txq->st.bytes;
		st->oerrors += txq->st.bad_offload;
		if (q < SL_ETH_QUEUE_STAT_CNTRS) {
			st->q_opackets[q] = txq->st.packets;
			st->q_obytes[q] = txq->st.bytes;
		}
	}
	return 0;
}

static int
virtio_stats_reset(struct sl_eth_dev *dev)
{
	for (uint16_t q = 0; q < dev->data.nb_rx_queues; q++) {
		struct virtio_rx_queue *rxq = dev->data.rx_queues[q];
		if (rxq)
			memset(&rxq->st, 0, sizeof(rxq->st));
	}
	for (uint16_t q = 0; q < dev->data.nb_tx_queues; q++) {
		struct virtio_tx_queue *txq = dev->data.tx_queues[q];
		if (txq)
			memset(&txq->st, 0, sizeof(txq->st));
	}
	return 0;
}

/* Per-queue extended counters, in struct order. */
static const char *const rxq_xstat_names[VIRTIO_RXQ_NB_XSTATS] = {
	"packets", "bytes", "errors", "nombuf", "mergeable_buffers", "csum_completed", "notifies",
};
static const char *const txq_xstat_names[VIRTIO_TXQ_NB_XSTATS] = {
	"packets", "bytes", "notifies", "tso_packets", "ring_full", "header_descriptors",
	"bad_offload_drops",
};
static_assert(sizeof(struct virtio_rxq_stats) == VIRTIO_RXQ_NB_XSTATS * sizeof(uint64_t),
	      "rxq_xstat_names follows struct virtio_rxq_stats");
static_assert(sizeof(struct virtio_txq_stats) == VIRTIO_TXQ_NB_XSTATS * sizeof(uint64_t),
	      "txq_xstat_names follows struct virtio_txq_stats");

static unsigned int
virtio_nb_xstats(const struct sl_eth_dev *dev)
{
	return dev->data.nb_rx_queues * VIRTIO_RXQ_NB_XSTATS +
	       dev->data.nb_tx_queues * VIRTIO_TXQ_NB_XSTATS;
}

static int
virtio_xstats_get(struct sl_eth_dev *dev, struct sl_eth_xstat *xs, unsigned int n)
{
	unsigned int total = virtio_nb_xstats(dev), k = 0;

	if (n < total)
		return (int)total;
	for (uint16_t q = 0; q < dev->data.nb_rx_queues; q++) {
		const struct virtio_rx_queue *rxq = dev->data.rx_queues[q];
		const uint64_t *v = rxq ? (const uint64_t *)&rxq->st : NULL;
		for (unsigned int i = 0; i < VIRTIO_RXQ_NB_XSTATS; i++, k++)
			xs[k] = (struct sl_eth_xstat){ k, v ? v[i] : 0 };
	}
	for (uint16_t q = 0; q < dev->data.nb_tx_queues; q++) {
		const struct virtio_tx_queue *txq = dev->data.tx_queues[q];
		const uint64_t *v = txq ? (const uint64_t *)&txq->st : NULL;
		for (unsigned int i = 0; i < VIRTIO_TXQ_NB_XSTATS; i++, k++)
			xs[k] = (struct sl_eth_xstat){ k, v ? v[i] : 0 };
	}
	return (int)total;
}

static int
virtio_xstats_get_names(struct sl_eth_dev *dev, struct sl_eth_xstat_name *names, unsigned int size)
{
	unsigned int total = virtio_nb_xstats(dev), k = 0;

	if (names == NULL || size < total)
		return (int)total;
	for (uint16_t q = 0; q < dev->data.nb_rx_queues; q++)
		for (unsigned int i = 0; i < VIRTIO_RXQ_NB_XSTATS; i++)
			snprintf(names[k++].name, sizeof(names[0].name), "rx_q%u_%s", q,
				 rxq_xstat_names[i]);
	for (uint16_t q = 0; q < dev->data.nb_tx_queues; q++)
		for (unsigned int i = 0; i < VIRTIO_TXQ_NB_XSTATS; i++)
			snprintf(names[k++].name, sizeof(names[0].name), "tx_q%u_%s", q,
				 txq_xstat_names[i]);
	return (int)total;
}

static const struct sl_eth_dev_ops virtio_ops = {
	.dev_infos_get = virtio_dev_infos_get,
	.dev_configure = virtio_dev_configure,
	.dev_start = virtio_dev_start,
	.dev_stop = virtio_dev_stop,
	.dev_close = virtio_dev_close,
	.link_update = virtio_link_update,
	.stats_get = virtio_stats_get,
	.stats_reset = virtio_stats_reset,
	.xstats_get = virtio_xstats_get,
	.xstats_get_names = virtio_xstats_get_names,
	.xstats_reset = virtio_stats_reset,
	.promiscuous_enable = virtio_promiscuous_enable,
	.promiscuous_disable = virtio_promiscuous_disable,
	.allmulticast_enable = virtio_allmulticast_enable,
	.allmulticast_disable = virtio_allmulticast_disable,
	.mac_addr_set = virtio_mac_addr_set,
	.mtu_set = virtio_mtu_set,
	.rx_queue_setup = virtio_rx_queue_setup,
	.tx_queue_setup = virtio_tx_queue_setup,
	.rx_queue_release = virtio_rx_queue_release,
	.tx_queue_release = virtio_tx_queue_release,
	.rss_hash_update = virtio_rss_hash_update,
	.rss_hash_conf_get = virtio_rss_hash_conf_get,
	.reta_update = virtio_reta_update,
	.reta_query = virtio_reta_query,
};

/* ---- PCI glue ------------------------------------------------------------------- */

static const struct sl_pci_id virtio_pci_ids[] = {
	{ VIRTIO_PCI_VENDOR_ID, VIRTIO_PCI_DEV_ID_NET_MODERN },
	/* transitional, or legacy-only: refused with a message if legacy-only */
	{ VIRTIO_PCI_VENDOR_ID, VIRTIO_PCI_DEV_ID_NET_TRANSITIONAL },
	{ 0, 0 },
};

/* Check what the device offers against what the driver needs. */
static int
virtio_check_offer(struct virtio_hw *hw)
{
	uint64_t f = hw->dev_features;
	const char *name = hw->pci->name;

	if (!(f & VIRTIO_BIT(VIRTIO_F_VERSION_1))) {
		SL_LOG(ERR, VIRTIO, "%s does not offer VIRTIO_F_VERSION_1: not a virtio 1.x device "
		       "([VIRTIO] §6); use disable-legacy=on", name);
		return -ENOTSUP;
	}
	if (!(f & VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM))) {
		SL_LOG(ERR, VIRTIO, "%s does not offer VIRTIO_F_ACCESS_PLATFORM: it would DMA to "
		       "physical addresses around the IOMMU, and Sluice gives it only IOVAs of its "
		       "IOMMU domain ([VIRTIO] §6).  Start QEMU with -device virtio-net-pci,"
		       "iommu_platform=on,disable-legacy=on (needs -device intel-iommu before it)",
		       name);
		return -ENOTSUP;
	}
	return 0;
}

static void
virtio_log_offer(struct virtio_hw *hw)
{
	uint64_t f = hw->dev_features;

	if (!(f & VIRTIO_BIT(VIRTIO_NET_F_CSUM)))
		SL_LOG(INFO, VIRTIO, "%s offers no TX checksum or TSO offload (VIRTIO_NET_F_CSUM, "
		       "HOST_TSO4/6); QEMU offers them only with a backend that takes virtio-net "
		       "headers (tap), not with a hub or socket netdev", hw->pci->name);
	if (!(f & VIRTIO_BIT(VIRTIO_NET_F_MQ)))
		SL_LOG(INFO, VIRTIO, "%s offers one queue pair (no VIRTIO_NET_F_MQ; QEMU: mq=on and "
		       "queues=N on a tap netdev)", hw->pci->name);
	if (!(f & VIRTIO_BIT(VIRTIO_NET_F_RSS)))
		SL_LOG(INFO, VIRTIO, "%s offers no RSS (VIRTIO_NET_F_RSS; QEMU: -device "
		       "virtio-net-pci,rss=on with vhost=off or eBPF steering): ports use the device's "
		       "own queue choice, SL_ETH_MQ_RX_RSS is refused", hw->pci->name);
}

/* Device arguments (-a ADDR,key=value): test aids only. */
#define VIRTIO_KEY_TEST_XOR "test_features_xor"
static const char *const virtio_valid_keys[] = { VIRTIO_KEY_TEST_XOR, NULL };

/* Parse the -a arguments given for @p hw's device, if any. */
static int
virtio_parse_devargs(struct virtio_hw *hw)
{
	const char *args = sl_pci_device_args(hw->pci);
	struct sl_kvargs *kv;
	int ret = 0;

	if (args[0] == '\0')
		return 0;
	kv = sl_kvargs_parse(hw->pci->name, args, virtio_valid_keys);
	if (kv == NULL)
		return -errno;
	if (sl_kvargs_has(kv, VIRTIO_KEY_TEST_XOR)) {
		ret = sl_kvargs_get_uint(kv, VIRTIO_KEY_TEST_XOR, 0, UINT64_MAX,
					 &hw->test_features_xor);
		if (ret == 0)
			SL_LOG(WARNING, VIRTIO, "%s: test aid %s=%#" PRIx64 ": these feature bits "
			       "are flipped in what the driver acknowledges", hw->pci->name,
			       VIRTIO_KEY_TEST_XOR, hw->test_features_xor);
	}
	sl_kvargs_free(kv);
	return ret;
}

static int
virtio_pci_probe(struct sl_pci_driver *drv, struct sl_pci_device *pci)
{
	struct virtio_hw *hw;
	struct sl_eth_dev *eth;
	char name[SL_MEMZONE_NAMESIZE];
	int ret, packed;

	(void)drv;
	hw = sl_zmalloc_socket("virtio_hw", sizeof(*hw), SL_CACHE_LINE_SIZE, pci->numa_node);
	if (hw == NULL)
		return -ENOMEM;
	hw->pci = pci;
	ret = virtio_parse_devargs(hw);
	if (ret < 0)
		goto err_free;
	ret = virtio_map_caps(hw);
	if (ret < 0)
		goto err_free;
	/* §3.1.1: negotiate once to learn the offer, the queue sizes and the
	 * configuration; dev_start negotiates again for the port's settings.
	 * The reset also stops a device a killed owner left running, before
	 * bus mastering goes on (the bus hands it over with it off). */
	ret = virtio_negotiate(hw, VIRTIO_DRIVER_FEATURES);
	if (ret < 0)
		goto err_free;
	ret = virtio_check_offer(hw);
	if (ret < 0)
		goto err_reset;
	hw->max_pairs = 1;
	if (virtio_has(hw, VIRTIO_NET_F_MQ)) {
		hw->max_pairs = virtio_devcfg16(hw, VIRTIO_NET_CFG_MAX_PAIRS);
		if (hw->max_pairs == 0 || hw->max_pairs > VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MAX)
			hw->max_pairs = 1;
	}
	if (vcfg_read16(hw, VIRTIO_COMMON_NUMQ) < 2 * hw->max_pairs) {
		SL_LOG(ERR, VIRTIO, "%s: %u virtqueues for %u queue pairs", pci->name,
		       vcfg_read16(hw, VIRTIO_COMMON_NUMQ), hw->max_pairs);
		ret = -ENODEV;
		goto err_reset;
	}
	hw->rx_qsize = virtio_queue_max(hw, 0);
	hw->tx_qsize = virtio_queue_max(hw, 1);
	packed = virtio_has(hw, VIRTIO_F_RING_PACKED);
	if (!packed) {
		/* §2.7: split rings are a power of two long. */
		hw->rx_qsize = (uint16_t)(1u << (31 - __builtin_clz(hw->rx_qsize | 1)));
		hw->tx_qsize = (uint16_t)(1u << (31 - __builtin_clz(hw->tx_qsize | 1)));
	}
	if (hw->rx_qsize < VIRTIO_MIN_RING_DESC || hw->tx_qsize < VIRTIO_MIN_RING_DESC) {
		SL_LOG(ERR, VIRTIO, "%s: queues of %u/%u descriptors, fewer than %u", pci->name,
		       hw->rx_qsize, hw->tx_qsize, VIRTIO_MIN_RING_DESC);
		ret = -ENODEV;
		goto err_reset;
	}
	hw->max_mtu = VIRTIO_MAX_FRAME - VIRTIO_ETH_OVERHEAD;
	if (virtio_has(hw, VIRTIO_NET_F_MTU))
		hw->max_mtu = SL_MAX(virtio_devcfg16(hw, VIRTIO_NET_CFG_MTU), (uint16_t)68);

	eth = sl_eth_dev_allocate(pci->name);
	if (eth == NULL) {
		ret = -errno;
		goto err_reset;
	}
	hw->eth = eth;
	if (virtio_has(hw, VIRTIO_NET_F_MAC)) {
		virtio_read_devcfg(hw, VIRTIO_NET_CFG_MAC, eth->data.mac_addr.addr_bytes, 6);
	} else {
		/* §5.1.5: without VIRTIO_NET_F_MAC the driver picks one. */
		uint64_t r = sl_rdtsc();
		memcpy(eth->data.mac_addr.addr_bytes, &r, 6);
		eth->data.mac_addr.addr_bytes[0] = (uint8_t)((eth->data.mac_addr.addr_bytes[0] & 0xfe) | 0x02);
	}
	if (virtio_has(hw, VIRTIO_NET_F_CTRL_VQ)) {
		uint16_t n = SL_MIN(virtio_queue_max(hw, virtio_cvq_index(hw)),
				    (uint16_t)VIRTIO_CVQ_MAX_DESC);
		if (!packed)
			n = (uint16_t)(1u << (31 - __builtin_clz(n | 1)));
		snprintf(name, sizeof(name), "virtio_cvq_p%u", eth->data.port_id);
		ret = n >= 4 ? virtio_vq_alloc(&hw->cvq, name, n, packed, pci->numa_node) : -ENODEV;
		if (ret < 0)
			goto err_release;
		hw->cvq.index = virtio_cvq_index(hw);
		snprintf(name, sizeof(name), "virtio_cvqb_p%u", eth->data.port_id);
		hw->cvq_buf_mz = sl_memzone_reserve_aligned(name, VIRTIO_CVQ_BUF_LEN, pci->numa_node,
							    SL_MEMZONE_IOVA_CONTIG, SL_CACHE_LINE_SIZE);
		if (hw->cvq_buf_mz == NULL) {
			ret = -ENOMEM;
			goto err_cvq;
		}
		hw->cvq_buf = hw->cvq_buf_mz->addr;
		hw->cvq_buf_iova = hw->cvq_buf_mz->iova;
	}
	virtio_rss_probe(hw);
	virtio_log_offer(hw);
	ret = virtio_reset(hw);
	if (ret < 0)
		goto err_cvq;
	/* Reset done: the device may master the bus now (PCI Local Bus 3.0
	 * §6.2.2 COMMAND bit 2); it does nothing until DRIVER_OK. */
	ret = sl_pci_bus_master_set(pci, true);
	if (ret < 0)
		goto err_cvq;

	eth->data.dev_private = hw;
	eth->data.socket_id = pci->numa_node;
	eth->data.mtu = SL_MIN((uint16_t)1500, hw->max_mtu);
	eth->device = pci;
	eth->dev_ops = &virtio_ops;
	eth->rx_pkt_burst = packed ? virtio_recv_pkts_packed : virtio_recv_pkts_split;
	eth->tx_pkt_burst = packed ? virtio_xmit_pkts_packed : virtio_xmit_pkts_split;
	pci->driver_data = eth;
	ret = sl_eth_dev_probing_finish(eth);
	if (ret < 0)
		goto err_master;
	SL_LOG(INFO, VIRTIO, "%s: virtio-net, MAC %02x:%02x:%02x:%02x:%02x:%02x, port %u, %s rings, "
	       "%u pair(s), features offered %#" PRIx64, pci->name,
	       eth->data.mac_addr.addr_bytes[0], eth->data.mac_addr.addr_bytes[1],
	       eth->data.mac_addr.addr_bytes[2], eth->data.mac_addr.addr_bytes[3],
	       eth->data.mac_addr.addr_bytes[4], eth->data.mac_addr.addr_bytes[5],
	       eth->data.port_id, packed ? "packed" : "split", hw->max_pairs, hw->dev_features);
	return 0;

err_master:
	(void)sl_pci_bus_master_set(pci, false);
	pci->driver_data = NULL;
	eth->data.dev_private = NULL;
err_cvq:
	virtio_vq_free(&hw->cvq);
	if (hw->cvq_buf_mz)
		sl_memzone_free(hw->cvq_buf_mz);
err_release:
	sl_eth_dev_release(eth);
err_reset:
	(void)virtio_reset(hw);
err_free:
	sl_free(hw);
	return ret;
}

static int
virtio_pci_remove(struct sl_pci_device *pci)
{
	struct sl_eth_dev *eth = sl_eth_dev_allocated(pci->name);

	if (eth == NULL)
		return 0; /* the application closed the port already */
	return sl_eth_dev_close(eth->data.port_id);
}

static struct sl_pci_driver virtio_pci_driver = {
	.name = VIRTIO_DRIVER_NAME,
	.id_table = virtio_pci_ids,
	.probe = virtio_pci_probe,
	.remove = virtio_pci_remove,
};

SL_PCI_DRIVER_REGISTER(virtio_pci_driver);
