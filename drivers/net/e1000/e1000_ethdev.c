/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * e1000 poll-mode driver, control path: probe, reset, MAC address, link,
 * receive filters, MTU, statistics, start/stop/close.
 *
 * Hardware references (section numbers are of these revisions):
 *   [SDM] PCI/PCI-X Family of Gigabit Ethernet Controllers Software
 *         Developer's Manual (8254x), revision 4.0.  82540EM, which is what
 *         QEMU's "-device e1000" models (8086:100e).
 *   [DS]  Intel 82574 GbE Controller Family Datasheet, revision 3.4
 *         (June 2014).  82574L, QEMU's "-device e1000e" (8086:10d3).
 * Behaviour of QEMU's models (hw/net/e1000.c, hw/net/e1000e_core.c) that
 * the driver has to allow for is noted where it matters.
 *
 * The device runs without interrupts: everything is polled.  Only queue 0
 * is used (the 82574's second queue and RSS are not).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sl_bus_pci.h"
#include "sl_cycles.h"
#include "sl_log.h"
#include "sl_malloc.h"
#include "sl_memory.h"
#include "sl_mbuf.h"

#include "e1000_ethdev.h"

#define E1000_DRIVER_NAME "net_e1000"
#define E1000_BAR0_MIN_LEN 0x20000   /* 128 KiB register space */
#define E1000_RESET_TIMEOUT_US 20000 /* CTRL.RST self-clears in ~1 us; be generous */
#define E1000_EERD_TIMEOUT_US 10000
#define E1000_LINK_WAIT_US 3000000   /* autonegotiation takes ~2-3 s on copper */
#define E1000_ETH_OVERHEAD (14 + 4) /* header + FCS, as Linux e1000e counts */

/* ---- statistics table ([SDM] 13.7, [DS] 10.2.8) ------------------------ */

#define ST(n, r) { n, E1000_##r, 0 }
#define ST64(n, r) { n, E1000_##r, 1 }
const struct sl_nicq_hw_stat e1000_hw_stat_table[E1000_NB_HW_STATS] = {
	ST("rx_crc_errors", CRCERRS), ST("rx_alignment_errors", ALGNERRC),
	ST("rx_symbol_errors", SYMERRS), ST("rx_errors", RXERRC),
	ST("rx_missed_packets", MPC), ST("tx_single_collisions", SCC),
	ST("tx_excessive_collisions", ECOL), ST("tx_multiple_collisions", MCC),
	ST("tx_late_collisions", LATECOL), ST("tx_collisions", COLC),
	ST("tx_deferred", DC), ST("tx_no_carrier_sense", TNCRS),
	ST("rx_sequence_errors", SEC), ST("rx_carrier_ext_errors", CEXTERR),
	ST("rx_length_errors", RLEC), ST("rx_xon", XONRXC), ST("tx_xon", XONTXC),
	ST("rx_xoff", XOFFRXC), ST("tx_xoff", XOFFTXC),
	ST("rx_fc_unsupported", FCRUC), ST("rx_size_64_packets", PRC64),
	ST("rx_size_65_to_127_packets", PRC127), ST("rx_size_128_to_255_packets", PRC255),
	ST("rx_size_256_to_511_packets", PRC511), ST("rx_size_512_to_1023_packets", PRC1023),
	ST("rx_size_1024_to_max_packets", PRC1522), ST("rx_good_packets_hw", GPRC),
	ST("rx_broadcast_packets", BPRC), ST("rx_multicast_packets", MPRC),
	ST("tx_good_packets_hw", GPTC), ST64("rx_good_bytes_hw", GORCL),
	ST64("tx_good_bytes_hw", GOTCL), ST("rx_no_buffer", RNBC),
	ST("rx_undersize_errors", RUC), ST("rx_fragment_errors", RFC),
	ST("rx_oversize_errors", ROC), ST("rx_jabber_errors", RJC),
	ST("rx_management_packets", MGTPRC), ST("rx_management_dropped", MGTPDC),
	ST("tx_management_packets", MGTPTC), ST64("rx_total_bytes", TORL),
	ST64("tx_total_bytes", TOTL), ST("rx_total_packets", TPR),
	ST("tx_total_packets", TPT), ST("tx_size_64_packets", PTC64),
	ST("tx_size_65_to_127_packets", PTC127), ST("tx_size_128_to_255_packets", PTC255),
	ST("tx_size_256_to_511_packets", PTC511), ST("tx_size_512_to_1023_packets", PTC1023),
	ST("tx_size_1024_to_max_packets", PTC1522), ST("tx_multicast_packets", MPTC),
	ST("tx_broadcast_packets", BPTC), ST("tx_tso_contexts", TSCTC),
	ST("tx_tso_context_failures", TSCTFC),
};
#undef ST
#undef ST64

/* Indexes used by stats_get. */
enum {
	HS_CRCERRS = 0, HS_ALGNERRC = 1, HS_RXERRC = 3, HS_MPC = 4, HS_ECOL = 6, HS_LATECOL = 8,
	HS_CEXTERR = 13, HS_RLEC = 14, HS_RUC = 33, HS_ROC = 35,
};

/*
 * Which counters QEMU clears on read (the 64-bit pairs clear when the high
 * half is read, which we always do after the low half).  The rest it only
 * ever increments; on real hardware every counter clears on read.
 */
static int
qemu_clears(uint32_t reg)
{
	switch (reg) {
	case E1000_PRC64: case E1000_PRC127: case E1000_PRC255: case E1000_PRC511:
	case E1000_PRC1023: case E1000_PRC1522: case E1000_PTC64: case E1000_PTC127:
	case E1000_PTC255: case E1000_PTC511: case E1000_PTC1023: case E1000_PTC1522:
	case E1000_GPRC: case E1000_GPTC: case E1000_TPR: case E1000_TPT: case E1000_RUC:
	case E1000_ROC: case E1000_BPRC: case E1000_MPRC: case E1000_TSCTC: case E1000_BPTC:
	case E1000_MPTC: case E1000_GORCL: case E1000_GOTCL: case E1000_TORL: case E1000_TOTL:
		return 1;
	default:
		return 0;
	}
}

/* Fold the hardware counters into the 64-bit software totals.  Called
 * often enough (every stats_get, at stop) that 32-bit counters do not
 * wrap between two calls at 1 Gb/s line rate (~1.4 Mpps: ~50 minutes). */
static void
e1000_stats_update(struct e1000_adapter *ad)
{
	for (unsigned int i = 0; i < E1000_NB_HW_STATS; i++) {
		const struct sl_nicq_hw_stat *s = &e1000_hw_stat_table[i];
		uint64_t v = sl_nicq_hw_stat_read(ad->regs, s);

		if (!s->is64 && ad->stats_sticky && !qemu_clears(s->reg)) {
			ad->hw_stats[i] += (uint32_t)((uint32_t)v - ad->hw_last[i]);
			ad->hw_last[i] = (uint32_t)v;
		} else {
			ad->hw_stats[i] += v;
		}
	}
}

static void
e1000_stats_clear(struct e1000_adapter *ad)
{
	e1000_stats_update(ad);
	memset(ad->hw_stats, 0, sizeof(ad->hw_stats));
}

/* ---- EEPROM and MAC address ---------------------------------------------- */

/* [SDM] 13.4.4 EERD / [DS] 10.2.2.4 EERD: start a read of one 16-bit
 * word and poll DONE.  The fields moved between the generations. */
static int
e1000_eeprom_read(struct e1000_adapter *ad, uint16_t word, uint16_t *data)
{
	uint32_t done, shift, v;

	if (ad->mac_type == E1000_MAC_82574) {
		done = E1000_EERD_DONE_82574;
		shift = E1000_EERD_ADDR_SHIFT_82574;
	} else {
		done = E1000_EERD_DONE_82540;
		shift = E1000_EERD_ADDR_SHIFT_82540;
	}
	e1000_write(ad, E1000_EERD, ((uint32_t)word << shift) | E1000_EERD_START);
	if (sl_poll32(ad->regs + E1000_EERD, done, done, E1000_EERD_TIMEOUT_US) < 0)
		return -ETIMEDOUT;
	v = e1000_read(ad, E1000_EERD);
	*data = (uint16_t)(v >> E1000_EERD_DATA_SHIFT);
	return 0;
}

/* The permanent address is in EEPROM words 0-2, little-endian
 * ([SDM] 5.6.1, [DS] 6.1.1.1); after reset the MAC also loads it into
 * RAL0/RAH0.  Prefer the EEPROM, fall back to RAL/RAH. */
static int
e1000_read_mac(struct e1000_adapter *ad, uint8_t mac[6])
{
	uint16_t w[3];
	uint32_t ral, rah;
	int ok = 1;

	for (unsigned int i = 0; i < 3 && ok; i++)
		ok = e1000_eeprom_read(ad, E1000_EEPROM_MAC_WORD0 + i, &w[i]) == 0;
	if (ok) {
		for (unsigned int i = 0; i < 3; i++) {
			mac[2 * i] = (uint8_t)w[i];
			mac[2 * i + 1] = (uint8_t)(w[i] >> 8);
		}
		if (sl_nicq_mac_is_valid(mac))
			return 0;
	}
	ral = e1000_read(ad, E1000_RAL(0));
	rah = e1000_read(ad, E1000_RAH(0));
	if (sl_nicq_mac_from_ra(ral, rah, mac))
		return 0;
	SL_LOG(ERR, E1000, "%s: no valid MAC address in EEPROM or RAL/RAH", ad->pci->name);
	return -EIO;
}

/* [SDM] 13.5.2/13.5.3, [DS] 10.2.5.8-9: receive address 0, AV set. */
static void
e1000_write_mac(struct e1000_adapter *ad, const uint8_t *mac)
{
	uint32_t ral, rah;

	sl_nicq_mac_to_ra(mac, &ral, &rah);
	e1000_write(ad, E1000_RAL(0), ral);
	e1000_write(ad, E1000_RAH(0), rah);
}

/* ---- reset and init ---------------------------------------------------- */

static void
e1000_disable_units(struct e1000_adapter *ad)
{
	/* [SDM] 14.3 / [DS] 4.6.1: mask every interrupt; we poll. */
	e1000_write(ad, E1000_IMC, E1000_IMC_ALL);
	/* Stop receive and transmit before a reset so no DMA is in flight
	 * ([SDM] 14.7 notes a reset during DMA may hang the bus master). */
	e1000_write(ad, E1000_RCTL, 0);
	e1000_write(ad, E1000_TCTL, E1000_TCTL_PSP);
	e1000_flush(ad);
	usleep(10000);
}

/*
 * Full software reset and the global configuration of [SDM] 14.3 "General
 * Configuration" / [DS] 4.6.2 "Global Reset and General Configuration".
 */
static int
e1000_hw_reset(struct e1000_adapter *ad)
{
	uint32_t ctrl;

	e1000_disable_units(ad);

	/* [SDM] 13.4.1 CTRL.RST / [DS] 10.2.2.1: resets everything except
	 * PCI config; the bit clears itself. */
	e1000_write(ad, E1000_CTRL, e1000_read(ad, E1000_CTRL) | E1000_CTRL_RST);
	usleep(1000);
	if (sl_poll32(ad->regs + E1000_CTRL, E1000_CTRL_RST, 0, E1000_RESET_TIMEOUT_US) < 0) {
		SL_LOG(ERR, E1000, "%s: CTRL.RST did not clear within %u us", ad->pci->name,
		       E1000_RESET_TIMEOUT_US);
		return -ETIMEDOUT;
	}
	/* [DS] 10.2.2.3 EECD.AUTO_RD: the 82574 reloads its NVM after reset;
	 * registers loaded from it are valid once AUTO_RD is set. */
	if (ad->mac_type == E1000_MAC_82574 &&
	    sl_poll32(ad->regs + E1000_EECD, E1000_EECD_AUTO_RD, E1000_EECD_AUTO_RD,
		      E1000_RESET_TIMEOUT_US) < 0)
		SL_LOG(WARNING, E1000, "%s: EECD.AUTO_RD not set after reset", ad->pci->name);

	/* Interrupts are masked again after reset ([DS] 4.6.1); clear causes. */
	e1000_write(ad, E1000_IMC, E1000_IMC_ALL);
	(void)e1000_read(ad, E1000_ICR);

	/* [SDM] 14.3: no flow control is used, so FCAL/FCAH/FCT/FCTTV = 0. */
	e1000_write(ad, E1000_FCAL, 0);
	e1000_write(ad, E1000_FCAH, 0);
	e1000_write(ad, E1000_FCT, 0);
	e1000_write(ad, E1000_FCTTV, 0);

	/* [SDM] 14.6 Link Setup / [DS] 4.6.3: copper with internal PHY:
	 * CTRL.SLU with ASDE, no forced speed/duplex, PHY and link out of
	 * reset, no VLAN mode, no flow control. */
	ctrl = e1000_read(ad, E1000_CTRL);
	ctrl |= E1000_CTRL_SLU | E1000_CTRL_ASDE;
	ctrl &= ~(E1000_CTRL_LRST | E1000_CTRL_PHY_RST | E1000_CTRL_ILOS | E1000_CTRL_FRCSPD |
		  E1000_CTRL_FRCDPX | E1000_CTRL_VME | E1000_CTRL_RFCE | E1000_CTRL_TFCE);
	e1000_write(ad, E1000_CTRL, ctrl);

	/* [SDM] 14.4 / [DS] 4.6.5: zero the multicast table; no VLAN filter. */
	for (unsigned int i = 0; i < E1000_MTA_SIZE; i++)
		e1000_write(ad, E1000_MTA(i), 0);
	for (unsigned int i = 0; i < E1000_MTA_SIZE; i++)
		e1000_write(ad, E1000_VFTA(i), 0);

	/* No interrupt moderation: nothing is signalled anyway. */
	e1000_write(ad, E1000_RDTR, 0);
	e1000_write(ad, E1000_RADV, 0);
	e1000_write(ad, E1000_TIDV, 0);
	e1000_write(ad, E1000_TADV, 0);
	e1000_write(ad, E1000_ITR, 0);

	/* [SDM] 14.7 / [DS] 4.6.4 Initialization of Statistics: counters
	 * are undefined until cleared by a read. */
	e1000_stats_clear(ad);
	return 0;
}

/* ---- link ---------------------------------------------------------------- */

static int
e1000_link_update(struct sl_eth_dev *dev, int wait)
{
	struct e1000_adapter *ad = dev->data.dev_private;
	struct sl_eth_link link = { 0 };
	uint32_t status;

	/* [SDM] 13.4.2 / [DS] 10.2.2.2 STATUS.LU, SPEED, FD. */
	if (wait)
		(void)sl_poll32(ad->regs + E1000_STATUS, E1000_STATUS_LU, E1000_STATUS_LU,
				E1000_LINK_WAIT_US);
	status = e1000_read(ad, E1000_STATUS);
	if (status & E1000_STATUS_LU) {
		static const uint32_t speeds[4] = { SL_ETH_SPEED_NUM_10M, SL_ETH_SPEED_NUM_100M,
						    SL_ETH_SPEED_NUM_1G, SL_ETH_SPEED_NUM_1G };
		link.link_status = SL_ETH_LINK_UP;
		link.link_speed = speeds[(status & E1000_STATUS_SPEED_MASK) >>
					 E1000_STATUS_SPEED_SHIFT];
		link.link_duplex = (status & E1000_STATUS_FD) ? SL_ETH_LINK_FULL_DUPLEX :
								SL_ETH_LINK_HALF_DUPLEX;
		link.link_autoneg = SL_ETH_LINK_AUTONEG;
	} else {
		link.link_speed = SL_ETH_SPEED_NUM_NONE;
		link.link_autoneg = SL_ETH_LINK_AUTONEG;
	}
	sl_eth_linkstatus_set(dev, &link);
	return 0;
}

/* ---- receive control ----------------------------------------------------- */

/* Largest RCTL buffer size that fits in @p room bytes ([SDM] 13.4.22
 * BSIZE/BSEX, [DS] 10.2.5.1). */
static uint32_t
e1000_bsize(uint32_t room, uint32_t *bytes)
{
	static const struct { uint32_t bytes, bits; } sizes[] = {
		{ 16384, E1000_RCTL_BSEX | E1000_RCTL_BSIZE_16384 },
		{ 8192, E1000_RCTL_BSEX | E1000_RCTL_BSIZE_8192 },
		{ 4096, E1000_RCTL_BSEX | E1000_RCTL_BSIZE_4096 },
		{ 2048, E1000_RCTL_BSIZE_2048 },
		{ 1024, E1000_RCTL_BSIZE_1024 },
		{ 512, E1000_RCTL_BSIZE_512 },
		{ 256, E1000_RCTL_BSIZE_256 },
	};

	for (unsigned int i = 0; i < SL_DIM(sizes); i++) {
		if (sizes[i].bytes <= room) {
			*bytes = sizes[i].bytes;
			return sizes[i].bits;
		}
	}
	*bytes = 256;
	return E1000_RCTL_BSIZE_256;
}

/* The receive filters are sl_nicq's: RCTL and its UPE, MPE and BAM bits are
 * the same in both families ([SDM] 13.4.22, [DS] 10.2.5.1). */
static_assert(E1000_RCTL == SL_NICQ_RCTL && E1000_RCTL_UPE == SL_NICQ_RCTL_UPE &&
	      E1000_RCTL_MPE == SL_NICQ_RCTL_MPE && E1000_RCTL_BAM == SL_NICQ_RCTL_BAM,
	      "RCTL filter bits as sl_nicq has them");

static int
e1000_promisc_set(struct sl_eth_dev *dev, uint8_t promisc, uint8_t allmulti)
{
	struct e1000_adapter *ad = dev->data.dev_private;

	sl_nicq_rctl_filters_set(ad->regs, promisc, allmulti);
	return 0;
}

static int
e1000_promiscuous_enable(struct sl_eth_dev *dev)
{
	return e1000_promisc_set(dev, 1, dev->data.all_multicast);
}

static int
e1000_promiscuous_disable(struct sl_eth_dev *dev)
{
	return e1000_promisc_set(dev, 0, dev->data.all_multicast);
}

static int
e1000_allmulticast_enable(struct sl_eth_dev *dev)
{
	return e1000_promisc_set(dev, dev->data.promiscuous, 1);
}

static int
e1000_allmulticast_disable(struct sl_eth_dev *dev)
{
	return e1000_promisc_set(dev, dev->data.promiscuous, 0);
}

static int
e1000_mac_addr_set(struct sl_eth_dev *dev, const struct sl_ether_addr *mac)
{
	e1000_write_mac(dev->data.dev_private, mac->addr_bytes);
	return 0;
}

/* Frame length for an MTU: header, one VLAN tag, FCS. */
static uint32_t
mtu_to_frame(uint32_t mtu)
{
	return mtu + E1000_ETH_OVERHEAD;
}

static int
e1000_check_frame(struct sl_eth_dev *dev, uint32_t frame)
{
	int scatter = !!(dev->data.dev_conf.rxmode.offloads & SL_ETH_RX_OFFLOAD_SCATTER);

	for (uint16_t q = 0; q < dev->data.nb_rx_queues; q++) {
		struct sl_nicq_rx *rxq = dev->data.rx_queues[q];
		uint32_t bytes;

		if (rxq == NULL)
			continue;
		(void)e1000_bsize(rxq->buf_len, &bytes);
		if (frame > bytes && !scatter) {
			SL_LOG(ERR, E1000, "port %u: %u-byte frames do not fit %u-byte RX buffers; "
			       "enable SL_ETH_RX_OFFLOAD_SCATTER or use bigger mbufs",
			       dev->data.port_id, frame, bytes);
			return -EINVAL;
		}
	}
	return 0;
}

static int
e1000_mtu_set(struct sl_eth_dev *dev, uint16_t mtu)
{
	struct e1000_adapter *ad = dev->data.dev_private;
	uint32_t frame = mtu_to_frame(mtu);
	int ret = e1000_check_frame(dev, frame);

	if (ret < 0)
		return ret;
	if (ad->started) {
		/* [SDM] 13.4.22 RCTL.LPE: accept frames above 1522 bytes. */
		uint32_t rctl = e1000_read(ad, E1000_RCTL) & ~E1000_RCTL_LPE;
		if (frame > 1522)
			rctl |= E1000_RCTL_LPE;
		e1000_write(ad, E1000_RCTL, rctl);
	}
	return 0;
}

/* ---- dev ops ---------------------------------------------------------------- */

static int
e1000_dev_infos_get(struct sl_eth_dev *dev, struct sl_eth_dev_info *info)
{
	struct e1000_adapter *ad = dev->data.dev_private;

	info->min_mtu = 68;
	info->max_mtu = (uint16_t)(ad->max_frame - E1000_ETH_OVERHEAD);
	info->min_rx_bufsize = 256;
	info->max_rx_pktlen = ad->max_frame;
	info->max_rx_queues = 1;
	info->max_tx_queues = 1;
	info->max_mac_addrs = 1;
	info->rx_offload_capa = SL_ETH_RX_OFFLOAD_IPV4_CKSUM | SL_ETH_RX_OFFLOAD_UDP_CKSUM |
				SL_ETH_RX_OFFLOAD_TCP_CKSUM | SL_ETH_RX_OFFLOAD_SCATTER |
				SL_ETH_RX_OFFLOAD_KEEP_CRC;
	info->tx_offload_capa = SL_ETH_TX_OFFLOAD_IPV4_CKSUM | SL_ETH_TX_OFFLOAD_UDP_CKSUM |
				SL_ETH_TX_OFFLOAD_TCP_CKSUM | SL_ETH_TX_OFFLOAD_MULTI_SEGS |
				SL_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
	info->rx_desc_lim = (struct sl_eth_desc_lim){ E1000_MAX_RING_DESC, E1000_MIN_RING_DESC,
						      E1000_DESC_PER_ALIGN };
	info->tx_desc_lim = info->rx_desc_lim;
	info->default_rxconf = (struct sl_eth_rxconf){ .rx_free_thresh = E1000_RX_FREE_THRESH };
	info->default_txconf = (struct sl_eth_txconf){ .tx_free_thresh = E1000_TX_FREE_THRESH,
						       .tx_rs_thresh = E1000_TX_RS_THRESH };
	info->default_rxportconf = (struct sl_eth_dev_portconf){ 32, E1000_DEFAULT_RING_DESC, 1 };
	info->default_txportconf = info->default_rxportconf;
	info->speed_capa = SL_ETH_LINK_SPEED_10M_HD | SL_ETH_LINK_SPEED_10M |
			   SL_ETH_LINK_SPEED_100M_HD | SL_ETH_LINK_SPEED_100M |
			   SL_ETH_LINK_SPEED_1G;
	return 0;
}

static int
e1000_dev_configure(struct sl_eth_dev *dev)
{
	const struct sl_eth_conf *conf = &dev->data.dev_conf;

	if (conf->link_speeds & SL_ETH_LINK_SPEED_FIXED) {
		SL_LOG(ERR, E1000, "port %u: fixed link speeds are not supported; use "
		       "autonegotiation (link_speeds = 0)", dev->data.port_id);
		return -EINVAL;
	}
	if (conf->rxmode.mq_mode != SL_ETH_MQ_RX_NONE) {
		SL_LOG(ERR, E1000, "port %u: only one RX queue, no RSS", dev->data.port_id);
		return -EINVAL;
	}
	return 0;
}

static int
e1000_dev_start(struct sl_eth_dev *dev)
{
	struct e1000_adapter *ad = dev->data.dev_private;
	struct sl_nicq_rx *rxq = dev->data.rx_queues[0];
	struct sl_nicq_tx *txq = dev->data.tx_queues[0];
	uint32_t frame = mtu_to_frame(dev->data.mtu);
	uint32_t rctl, txdctl, tctl, bytes;
	int ret;

	ret = e1000_check_frame(dev, frame);
	if (ret < 0)
		return ret;
	ret = e1000_hw_reset(ad);
	if (ret < 0)
		return ret;
	e1000_write_mac(ad, dev->data.mac_addr.addr_bytes);

	/* ---- [SDM] 14.5 Transmit Initialization / [DS] 4.6.6 ---- */
	e1000_tx_init(ad, txq);
	/* [SDM] 13.4.42 TXDCTL / [DS] 10.2.6.10: thresholds in descriptors,
	 * WTHRESH 1 so an RS descriptor is written back at once (the burst
	 * reclaims in batches anyway); bit 22 must be 1 on the 82574. */
	txdctl = E1000_TXDCTL_GRAN | (1u << 16);
	if (ad->mac_type == E1000_MAC_82574)
		txdctl |= E1000_TXDCTL_82574_RSVD1;
	e1000_write(ad, E1000_TXDCTL, txdctl);
	if (ad->mac_type == E1000_MAC_82574) {
		/* [DS] 10.2.6.11 TARC0: queue 0 takes part in arbitration
		 * (QEMU's model sends nothing without TARC0.ENABLE). */
		e1000_write(ad, E1000_TARC0, e1000_read(ad, E1000_TARC0) | E1000_TARC0_ENABLE);
		e1000_write(ad, E1000_TIPG, E1000_TIPG_82574);
		tctl = E1000_TCTL_EN | E1000_TCTL_PSP | E1000_TCTL_RTLC |
		       (E1000_TCTL_CT_DEFAULT << E1000_TCTL_CT_SHIFT) |
		       (E1000_TCTL_COLD_82574 << E1000_TCTL_COLD_SHIFT);
	} else {
		e1000_write(ad, E1000_TIPG, E1000_TIPG_82540);
		tctl = E1000_TCTL_EN | E1000_TCTL_PSP |
		       (E1000_TCTL_CT_DEFAULT << E1000_TCTL_CT_SHIFT) |
		       (E1000_TCTL_COLD_FD << E1000_TCTL_COLD_SHIFT);
	}
	e1000_write(ad, E1000_TCTL, tctl);

	/* ---- [SDM] 14.4 Receive Initialization / [DS] 4.6.5 ---- */
	ret = e1000_rx_init(ad, rxq);
	if (ret < 0)
		goto err_tx;
	/* [SDM] 13.4.40 RXCSUM / [DS] 10.2.5.15: IP and TCP/UDP checksum
	 * checking when asked for; the 82574 reports it in legacy
	 * descriptors only with PCSD clear. */
	e1000_write(ad, E1000_RXCSUM, rxq->csum ? (E1000_RXCSUM_IPOFL | E1000_RXCSUM_TUOFL) : 0);
	if (ad->mac_type == E1000_MAC_82574)
		e1000_write(ad, E1000_RFCTL, 0); /* legacy descriptors: EXSTEN off */
	e1000_write(ad, E1000_RXDCTL, E1000_RXDCTL_GRAN | (e1000_read(ad, E1000_RXDCTL) & 0xffffu));

	rctl = E1000_RCTL_EN | E1000_RCTL_RDMTS_HALF |
	       sl_nicq_rctl_filters(dev->data.promiscuous, dev->data.all_multicast) |
	       e1000_bsize(rxq->buf_len, &bytes);
	/* SECRC: strip the FCS so lengths are frame lengths (QEMU's models
	 * append four bytes of padding otherwise). */
	if (!rxq->keep_crc)
		rctl |= E1000_RCTL_SECRC;
	if (frame > 1522)
		rctl |= E1000_RCTL_LPE;
	e1000_write(ad, E1000_RCTL, rctl);

	/* [SDM] 14.6: the link comes up by itself with SLU + ASDE (set at
	 * reset); report what it is now without waiting. */
	ad->started = 1;
	e1000_link_update(dev, 0);
	SL_LOG(DEBUG, E1000, "port %u started: RCTL %#x TCTL %#x buffers %u", dev->data.port_id,
	       rctl, tctl, bytes);
	return 0;

err_tx:
	e1000_disable_units(ad);
	sl_nicq_tx_reset(txq);
	return ret;
}

static int
e1000_dev_stop(struct sl_eth_dev *dev)
{
	struct e1000_adapter *ad = dev->data.dev_private;
	struct sl_eth_link link = { 0 };

	if (!ad->started)
		return 0;
	/* Fold the counters in before the next start's reset clears them. */
	e1000_stats_update(ad);
	e1000_disable_units(ad);
	/* Both units are off and 10 ms have passed: the NIC no longer owns
	 * any buffer, so the mbufs can go back to their pools. */
	e1000_write(ad, E1000_RDT, 0);
	e1000_write(ad, E1000_RDH, 0);
	e1000_write(ad, E1000_TDT, 0);
	e1000_write(ad, E1000_TDH, 0);
	for (uint16_t q = 0; q < dev->data.nb_rx_queues; q++)
		if (dev->data.rx_queues[q])
			sl_nicq_rx_reset(dev->data.rx_queues[q]);
	for (uint16_t q = 0; q < dev->data.nb_tx_queues; q++)
		if (dev->data.tx_queues[q])
			sl_nicq_tx_reset(dev->data.tx_queues[q]);
	ad->started = 0;
	sl_eth_linkstatus_set(dev, &link);
	return 0;
}

static int
e1000_dev_close(struct sl_eth_dev *dev)
{
	struct e1000_adapter *ad = dev->data.dev_private;

	if (ad->started)
		e1000_dev_stop(dev);
	e1000_disable_units(ad);
	/* RX and TX are off: stop the device mastering the bus before the
	 * bus closes the fd and the domain unmaps the rings (the release
	 * of both backends does it too, but a driver leaves no DMA behind). */
	(void)sl_pci_bus_master_set(ad->pci, false);
	ad->pci->driver_data = NULL;
	return 0;
}

static int
e1000_stats_get(struct sl_eth_dev *dev, struct sl_eth_stats *st)
{
	struct e1000_adapter *ad = dev->data.dev_private;
	const uint64_t *h = ad->hw_stats;

	e1000_stats_update(ad);
	sl_nicq_stats_sum(dev, st);
	/* [SDM] 13.7: MPC counts packets dropped for lack of room (ring
	 * empty or FIFO full); the error counters follow Linux's grouping. */
	st->imissed = h[HS_MPC];
	st->ierrors += h[HS_CRCERRS] + h[HS_ALGNERRC] + h[HS_RXERRC] + h[HS_RLEC] +
		       h[HS_CEXTERR] + h[HS_RUC] + h[HS_ROC];
	st->oerrors = h[HS_ECOL] + h[HS_LATECOL];
	return 0;
}

static int
e1000_stats_reset(struct sl_eth_dev *dev)
{
	struct e1000_adapter *ad = dev->data.dev_private;

	e1000_stats_clear(ad);
	return sl_nicq_stats_reset(dev);
}

static int
e1000_xstats_get(struct sl_eth_dev *dev, struct sl_eth_xstat *xs, unsigned int n)
{
	struct e1000_adapter *ad = dev->data.dev_private;

	if (n >= E1000_NB_HW_STATS)
		e1000_stats_update(ad);
	return sl_nicq_xstats_fill(ad->hw_stats, E1000_NB_HW_STATS, xs, n);
}

static int
e1000_xstats_get_names(struct sl_eth_dev *dev, struct sl_eth_xstat_name *names,
		       unsigned int size)
{
	(void)dev;
	return sl_nicq_xstats_names(e1000_hw_stat_table, E1000_NB_HW_STATS, names, size);
}

static int
e1000_xstats_reset(struct sl_eth_dev *dev)
{
	e1000_stats_clear(dev->data.dev_private);
	return 0;
}

static const struct sl_eth_dev_ops e1000_ops = {
	.dev_infos_get = e1000_dev_infos_get,
	.dev_configure = e1000_dev_configure,
	.dev_start = e1000_dev_start,
	.dev_stop = e1000_dev_stop,
	.dev_close = e1000_dev_close,
	.link_update = e1000_link_update,
	.stats_get = e1000_stats_get,
	.stats_reset = e1000_stats_reset,
	.xstats_get = e1000_xstats_get,
	.xstats_get_names = e1000_xstats_get_names,
	.xstats_reset = e1000_xstats_reset,
	.promiscuous_enable = e1000_promiscuous_enable,
	.promiscuous_disable = e1000_promiscuous_disable,
	.allmulticast_enable = e1000_allmulticast_enable,
	.allmulticast_disable = e1000_allmulticast_disable,
	.mac_addr_set = e1000_mac_addr_set,
	.mtu_set = e1000_mtu_set,
	.rx_queue_setup = e1000_rx_queue_setup,
	.tx_queue_setup = e1000_tx_queue_setup,
	.rx_queue_release = sl_nicq_rx_release,
	.tx_queue_release = sl_nicq_tx_release,
};

/* ---- PCI glue ---------------------------------------------------------------- */

static const struct sl_pci_id e1000_pci_ids[] = {
	{ E1000_VENDOR_ID_INTEL, E1000_DEV_ID_82540EM },
	{ E1000_VENDOR_ID_INTEL, E1000_DEV_ID_82574L },
	{ 0, 0 },
};

/*
 * QEMU gives its e1000 the Red Hat subsystem vendor (1af4) and its e1000e
 * subsystem 8086:0000; real boards carry their maker's subsystem ids.
 */
static int
is_qemu_model(const struct sl_pci_device *pci)
{
	return pci->subsystem_vendor_id == 0x1af4 ||
	       (pci->id.device_id == E1000_DEV_ID_82574L && pci->subsystem_vendor_id == 0x8086 &&
		pci->subsystem_device_id == 0);
}

static int
e1000_pci_probe(struct sl_pci_driver *drv, struct sl_pci_device *pci)
{
	struct e1000_adapter *ad;
	struct sl_eth_dev *eth;
	int ret;

	(void)drv;
	if (pci->bar[0].addr == NULL || pci->bar[0].len < E1000_BAR0_MIN_LEN) {
		SL_LOG(ERR, E1000, "%s: BAR0 is not mapped or smaller than %u bytes", pci->name,
		       E1000_BAR0_MIN_LEN);
		return -ENODEV;
	}
	eth = sl_eth_dev_allocate(pci->name);
	if (eth == NULL)
		return -errno;
	ad = sl_zmalloc_socket("e1000_adapter", sizeof(*ad), SL_CACHE_LINE_SIZE, pci->numa_node);
	if (ad == NULL) {
		ret = -ENOMEM;
		goto err_release;
	}
	ad->regs = pci->bar[0].addr;
	ad->pci = pci;
	ad->eth = eth;
	if (pci->id.device_id == E1000_DEV_ID_82574L) {
		ad->mac_type = E1000_MAC_82574;
		ad->max_frame = E1000_MAX_FRAME_82574;
	} else {
		ad->mac_type = E1000_MAC_82540;
		ad->max_frame = E1000_MAX_FRAME_82540;
	}
	ad->stats_sticky = (uint8_t)is_qemu_model(pci);
	/*
	 * QEMU's e1000e (through 8.0) drops a TX buffer that crosses an IOMMU
	 * page: it maps each buffer with one dma_memory_map() call, which
	 * stops at the translation's page end.  Hugepage segments are mapped
	 * with hugepage-sized IOMMU pages, so split at that boundary.
	 */
	if (ad->stats_sticky && ad->mac_type == E1000_MAC_82574) {
		size_t pg = sl_eal_hugepage_size();
		ad->tx_split_mask = (pg ? pg : 4096) - 1;
	}

	ret = e1000_hw_reset(ad);
	if (ret < 0)
		goto err_free;
	/*
	 * The bus hands the device over with bus mastering off: a previous
	 * owner may have died with RCTL.EN/TCTL.EN set and its ring bases in
	 * RDBA/TDBA, and the 82540EM has no function reset the kernel can use.
	 * Only now, with RX and TX disabled and CTRL.RST having cleared the
	 * ring registers ([SDM] 13.4.1, [DS] 10.2.2.1), may the device master
	 * the bus (PCI Local Bus 3.0 §6.2.2, Command register bit 2).
	 */
	ret = sl_pci_bus_master_set(pci, true);
	if (ret < 0)
		goto err_free;
	ret = e1000_read_mac(ad, eth->data.mac_addr.addr_bytes);
	if (ret < 0)
		goto err_master;
	e1000_write_mac(ad, eth->data.mac_addr.addr_bytes);

	eth->data.dev_private = ad;
	eth->data.socket_id = pci->numa_node;
	eth->device = pci;
	eth->dev_ops = &e1000_ops;
	eth->rx_pkt_burst = e1000_recv_pkts;
	eth->tx_pkt_burst = e1000_xmit_pkts;
	pci->driver_data = eth;
	/* The link is reported down until dev_start (dev_link is zeroed). */
	ret = sl_eth_dev_probing_finish(eth);
	if (ret < 0)
		goto err_master;
	SL_LOG(INFO, E1000, "%s: %s, MAC %02x:%02x:%02x:%02x:%02x:%02x, port %u", pci->name,
	       ad->mac_type == E1000_MAC_82574 ? "82574L" : "82540EM",
	       eth->data.mac_addr.addr_bytes[0], eth->data.mac_addr.addr_bytes[1],
	       eth->data.mac_addr.addr_bytes[2], eth->data.mac_addr.addr_bytes[3],
	       eth->data.mac_addr.addr_bytes[4], eth->data.mac_addr.addr_bytes[5],
	       eth->data.port_id);
	return 0;

err_master:
	(void)sl_pci_bus_master_set(pci, false);
err_free:
	pci->driver_data = NULL;
	eth->data.dev_private = NULL;
	sl_free(ad);
err_release:
	sl_eth_dev_release(eth);
	return ret;
}

static int
e1000_pci_remove(struct sl_pci_device *pci)
{
	struct sl_eth_dev *eth = sl_eth_dev_allocated(pci->name);

	if (eth == NULL)
		return 0; /* the application closed the port already */
	return sl_eth_dev_close(eth->data.port_id);
}

static struct sl_pci_driver e1000_pci_driver = {
	.name = E1000_DRIVER_NAME,
	.id_table = e1000_pci_ids,
	.probe = e1000_pci_probe,
	.remove = e1000_pci_remove,
};

SL_PCI_DRIVER_REGISTER(e1000_pci_driver);
