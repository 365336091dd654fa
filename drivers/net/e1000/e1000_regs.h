/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Register map and descriptor layouts of the Intel 8254x / 82574 family, as
 * far as the Sluice e1000 PMD uses them.
 *
 * Sources (offsets, bit positions and access types are from these):
 *   [SDM]  "PCI/PCI-X Family of Gigabit Ethernet Controllers Software
 *          Developer's Manual", 8254x, revision 4.0 (317453-006).
 *          Chapter 13 (registers), chapter 3 (descriptors).
 *   [DS]   "Intel 82574 GbE Controller Family Datasheet", revision 3.4
 *          (June 2014).  Chapter 10 (registers), chapter 7 (descriptors).
 * Where the two parts differ the define says so.  What QEMU's models
 * (hw/net/e1000.c, hw/net/e1000e_core.c) implement is noted where it changes
 * what the driver has to do.
 *
 * Access: RW read/write, RO read only, WO write only, RC clear on read,
 * RW1C write 1 to clear, SC self clearing.
 */
#ifndef E1000_REGS_H
#define E1000_REGS_H

#include <stdint.h>

#include "sl_common.h"

/* ---- PCI ids ----------------------------------------------------------- */
#define E1000_VENDOR_ID_INTEL	0x8086
#define E1000_DEV_ID_82540EM	0x100e	/* QEMU -device e1000 */
#define E1000_DEV_ID_82574L	0x10d3	/* QEMU -device e1000e */

/* ---- General registers ([SDM] 13.4.1-13.4.9, [DS] 10.2.2) --------------- */
#define E1000_CTRL	0x00000	/* Device Control - RW */
#define E1000_STATUS	0x00008	/* Device Status - RO */
#define E1000_EECD	0x00010	/* EEPROM/Flash Control - RW */
#define E1000_EERD	0x00014	/* EEPROM Read - RW */
#define E1000_CTRL_EXT	0x00018	/* Extended Device Control - RW */
#define E1000_MDIC	0x00020	/* MDI Control - RW */
#define E1000_FCAL	0x00028	/* Flow Control Address Low - RW */
#define E1000_FCAH	0x0002c	/* Flow Control Address High - RW */
#define E1000_FCT	0x00030	/* Flow Control Type - RW */
#define E1000_VET	0x00038	/* VLAN Ether Type - RW */
#define E1000_ICR	0x000c0	/* Interrupt Cause Read - RC */
#define E1000_ITR	0x000c4	/* Interrupt Throttling - RW */
#define E1000_ICS	0x000c8	/* Interrupt Cause Set - WO */
#define E1000_IMS	0x000d0	/* Interrupt Mask Set/Read - RW */
#define E1000_IMC	0x000d8	/* Interrupt Mask Clear - WO */
#define E1000_RCTL	0x00100	/* Receive Control - RW */
#define E1000_FCTTV	0x00170	/* Flow Control Transmit Timer Value - RW */
#define E1000_TCTL	0x00400	/* Transmit Control - RW */
#define E1000_TIPG	0x00410	/* Transmit Inter Packet Gap - RW */
#define E1000_LEDCTL	0x00e00	/* LED Control - RW */
#define E1000_PBA	0x01000	/* Packet Buffer Allocation - RW */
#define E1000_GCR	0x05b00	/* 82574: 3GIO Control - RW ([DS] 10.2.2.22) */
#define E1000_FCRTL	0x02160	/* Flow Control Receive Threshold Low - RW */
#define E1000_FCRTH	0x02168	/* Flow Control Receive Threshold High - RW */

/* ---- Receive queue 0 ([SDM] 13.4.25-13.4.33, [DS] 10.2.5) --------------- */
#define E1000_RDBAL	0x02800	/* RX Descriptor Base Address Low - RW */
#define E1000_RDBAH	0x02804	/* RX Descriptor Base Address High - RW */
#define E1000_RDLEN	0x02808	/* RX Descriptor Length (bytes, x128) - RW */
#define E1000_RDH	0x02810	/* RX Descriptor Head - RW */
#define E1000_RDT	0x02818	/* RX Descriptor Tail - RW */
#define E1000_RDTR	0x02820	/* RX Delay Timer - RW */
#define E1000_RXDCTL	0x02828	/* RX Descriptor Control - RW */
#define E1000_RADV	0x0282c	/* RX Interrupt Absolute Delay Timer - RW */
#define E1000_RSRPD	0x02c00	/* RX Small Packet Detect Interrupt - RW */
#define E1000_RXCSUM	0x05000	/* RX Checksum Control - RW */
#define E1000_RFCTL	0x05008	/* 82574: RX Filter Control - RW */
#define E1000_MTA(i)	(0x05200 + 4 * (i))	/* Multicast Table Array (128) - RW */
#define E1000_RAL(i)	(0x05400 + 8 * (i))	/* Receive Address Low - RW */
#define E1000_RAH(i)	(0x05404 + 8 * (i))	/* Receive Address High - RW */
#define E1000_VFTA(i)	(0x05600 + 4 * (i))	/* VLAN Filter Table Array (128) - RW */
#define E1000_MRQC	0x05818	/* 82574: Multiple RX Queues Command - RW */
#define E1000_MTA_SIZE	128
#define E1000_RAR_ENTRIES_82540	16
#define E1000_RAR_ENTRIES_82574	5

/* ---- Transmit queue 0 ([SDM] 13.4.37-13.4.45, [DS] 10.2.6) -------------- */
#define E1000_TDBAL	0x03800	/* TX Descriptor Base Address Low - RW */
#define E1000_TDBAH	0x03804	/* TX Descriptor Base Address High - RW */
#define E1000_TDLEN	0x03808	/* TX Descriptor Length (bytes, x128) - RW */
#define E1000_TDH	0x03810	/* TX Descriptor Head - RW */
#define E1000_TDT	0x03818	/* TX Descriptor Tail - RW */
#define E1000_TIDV	0x03820	/* TX Interrupt Delay Value - RW */
#define E1000_TXDCTL	0x03828	/* TX Descriptor Control - RW */
#define E1000_TADV	0x0382c	/* TX Interrupt Absolute Delay Value - RW */
#define E1000_TARC0	0x03840	/* 82574: TX Arbitration Count 0 - RW */

/* ---- Statistics ([SDM] 13.7, [DS] 10.2.8); all RC unless noted ---------- */
#define E1000_CRCERRS	0x04000	/* CRC Error Count - RC */
#define E1000_ALGNERRC	0x04004	/* Alignment Error Count - RC */
#define E1000_SYMERRS	0x04008	/* Symbol Error Count - RC */
#define E1000_RXERRC	0x0400c	/* RX Error Count - RC */
#define E1000_MPC	0x04010	/* Missed Packets Count - RC */
#define E1000_SCC	0x04014	/* Single Collision Count - RC */
#define E1000_ECOL	0x04018	/* Excessive Collisions Count - RC */
#define E1000_MCC	0x0401c	/* Multiple Collision Count - RC */
#define E1000_LATECOL	0x04020	/* Late Collisions Count - RC */
#define E1000_COLC	0x04028	/* Collision Count - RC */
#define E1000_DC	0x04030	/* Defer Count - RC */
#define E1000_TNCRS	0x04034	/* TX with No CRS - RC */
#define E1000_SEC	0x04038	/* Sequence Error Count - RC */
#define E1000_CEXTERR	0x0403c	/* Carrier Extension Error Count - RC */
#define E1000_RLEC	0x04040	/* Receive Length Error Count - RC */
#define E1000_XONRXC	0x04048	/* XON Received Count - RC */
#define E1000_XONTXC	0x0404c	/* XON Transmitted Count - RC */
#define E1000_XOFFRXC	0x04050	/* XOFF Received Count - RC */
#define E1000_XOFFTXC	0x04054	/* XOFF Transmitted Count - RC */
#define E1000_FCRUC	0x04058	/* FC Received Unsupported Count - RC */
#define E1000_PRC64	0x0405c	/* Packets Received (64 Bytes) - RC */
#define E1000_PRC127	0x04060	/* Packets Received (65-127 Bytes) - RC */
#define E1000_PRC255	0x04064	/* Packets Received (128-255 Bytes) - RC */
#define E1000_PRC511	0x04068	/* Packets Received (256-511 Bytes) - RC */
#define E1000_PRC1023	0x0406c	/* Packets Received (512-1023 Bytes) - RC */
#define E1000_PRC1522	0x04070	/* Packets Received (1024-Max Bytes) - RC */
#define E1000_GPRC	0x04074	/* Good Packets Received Count - RC */
#define E1000_BPRC	0x04078	/* Broadcast Packets Received - RC */
#define E1000_MPRC	0x0407c	/* Multicast Packets Received - RC */
#define E1000_GPTC	0x04080	/* Good Packets Transmitted Count - RC */
#define E1000_GORCL	0x04088	/* Good Octets Received Count Low - RC */
#define E1000_GORCH	0x0408c	/* Good Octets Received Count High - RC */
#define E1000_GOTCL	0x04090	/* Good Octets Transmitted Count Low - RC */
#define E1000_GOTCH	0x04094	/* Good Octets Transmitted Count High - RC */
#define E1000_RNBC	0x040a0	/* Receive No Buffers Count - RC */
#define E1000_RUC	0x040a4	/* Receive Undersize Count - RC */
#define E1000_RFC	0x040a8	/* Receive Fragment Count - RC */
#define E1000_ROC	0x040ac	/* Receive Oversize Count - RC */
#define E1000_RJC	0x040b0	/* Receive Jabber Count - RC */
#define E1000_MGTPRC	0x040b4	/* Management Packets Received - RC */
#define E1000_MGTPDC	0x040b8	/* Management Packets Dropped - RC */
#define E1000_MGTPTC	0x040bc	/* Management Packets Transmitted - RC */
#define E1000_TORL	0x040c0	/* Total Octets Received Low - RC */
#define E1000_TORH	0x040c4	/* Total Octets Received High - RC */
#define E1000_TOTL	0x040c8	/* Total Octets Transmitted Low - RC */
#define E1000_TOTH	0x040cc	/* Total Octets Transmitted High - RC */
#define E1000_TPR	0x040d0	/* Total Packets Received - RC */
#define E1000_TPT	0x040d4	/* Total Packets Transmitted - RC */
#define E1000_PTC64	0x040d8	/* Packets Transmitted (64 Bytes) - RC */
#define E1000_PTC127	0x040dc	/* Packets Transmitted (65-127 Bytes) - RC */
#define E1000_PTC255	0x040e0	/* Packets Transmitted (128-255 Bytes) - RC */
#define E1000_PTC511	0x040e4	/* Packets Transmitted (256-511 Bytes) - RC */
#define E1000_PTC1023	0x040e8	/* Packets Transmitted (512-1023 Bytes) - RC */
#define E1000_PTC1522	0x040ec	/* Packets Transmitted (1024-Max Bytes) - RC */
#define E1000_MPTC	0x040f0	/* Multicast Packets Transmitted - RC */
#define E1000_BPTC	0x040f4	/* Broadcast Packets Transmitted - RC */
#define E1000_TSCTC	0x040f8	/* TCP Segmentation Context TX - RC */
#define E1000_TSCTFC	0x040fc	/* TCP Segmentation Context TX Fail - RC */
#define E1000_STATS_FIRST E1000_CRCERRS
#define E1000_STATS_LAST  E1000_TSCTFC

/* ---- CTRL bits ([SDM] 13.4.1, [DS] 10.2.2.1) ---------------------------- */
#define E1000_CTRL_FD		(1u << 0)	/* full duplex */
#define E1000_CTRL_GIO_MASTER_DISABLE (1u << 2)	/* 82574 */
#define E1000_CTRL_LRST		(1u << 3)	/* 82540: link reset */
#define E1000_CTRL_ASDE		(1u << 5)	/* auto speed detection */
#define E1000_CTRL_SLU		(1u << 6)	/* set link up */
#define E1000_CTRL_ILOS		(1u << 7)	/* invert loss of signal */
#define E1000_CTRL_SPEED_MASK	(3u << 8)
#define E1000_CTRL_FRCSPD	(1u << 11)
#define E1000_CTRL_FRCDPX	(1u << 12)
#define E1000_CTRL_RST		(1u << 26)	/* device reset, SC */
#define E1000_CTRL_RFCE		(1u << 27)	/* receive flow control */
#define E1000_CTRL_TFCE		(1u << 28)	/* transmit flow control */
#define E1000_CTRL_VME		(1u << 30)	/* VLAN mode enable */
#define E1000_CTRL_PHY_RST	(1u << 31)	/* PHY reset */

/* ---- STATUS bits ([SDM] 13.4.2, [DS] 10.2.2.2) -------------------------- */
#define E1000_STATUS_FD		(1u << 0)
#define E1000_STATUS_LU		(1u << 1)	/* link up */
#define E1000_STATUS_TXOFF	(1u << 4)
#define E1000_STATUS_SPEED_SHIFT 6
#define E1000_STATUS_SPEED_MASK	(3u << 6)	/* 00 10, 01 100, 1x 1000 Mb/s */
#define E1000_STATUS_GIO_MASTER_EN (1u << 19)	/* 82574: master requests on */

/* ---- EECD / EERD ([SDM] 13.4.3-4, [DS] 10.2.2.3-4) ---------------------- */
#define E1000_EECD_PRES		(1u << 8)	/* EEPROM present */
#define E1000_EECD_AUTO_RD	(1u << 9)	/* 82574: auto read done */
/*
 * EERD moved its fields between the generations: the 82540 has DONE at bit 4
 * and the word address at 15:8; the 82574 has DONE at bit 1 and the address
 * at 15:2.  START (bit 0) and DATA (31:16) are common.
 */
#define E1000_EERD_START	(1u << 0)
#define E1000_EERD_DONE_82540	(1u << 4)
#define E1000_EERD_ADDR_SHIFT_82540 8
#define E1000_EERD_DONE_82574	(1u << 1)
#define E1000_EERD_ADDR_SHIFT_82574 2
#define E1000_EERD_DATA_SHIFT	16
#define E1000_EEPROM_MAC_WORD0	0x00	/* words 0-2: Ethernet address */

/* ---- CTRL_EXT ------------------------------------------------------------ */
#define E1000_CTRL_EXT_DRV_LOAD	(1u << 28)	/* 82574: driver loaded */

/* ---- Interrupts ---------------------------------------------------------- */
#define E1000_IMC_ALL		0xffffffffu

/* ---- RCTL bits ([SDM] 13.4.22, [DS] 10.2.5.1) --------------------------- */
#define E1000_RCTL_EN		(1u << 1)	/* receiver enable */
#define E1000_RCTL_SBP		(1u << 2)	/* store bad packets */
#define E1000_RCTL_UPE		(1u << 3)	/* unicast promiscuous */
#define E1000_RCTL_MPE		(1u << 4)	/* multicast promiscuous */
#define E1000_RCTL_LPE		(1u << 5)	/* long packet enable */
#define E1000_RCTL_LBM_MASK	(3u << 6)	/* loopback mode */
#define E1000_RCTL_RDMTS_HALF	(0u << 8)	/* RX desc min threshold 1/2 */
#define E1000_RCTL_MO_SHIFT	12		/* multicast offset */
#define E1000_RCTL_BAM		(1u << 15)	/* broadcast accept mode */
#define E1000_RCTL_BSIZE_MASK	(3u << 16)
#define E1000_RCTL_BSIZE_2048	(0u << 16)	/* BSEX=0 */
#define E1000_RCTL_BSIZE_1024	(1u << 16)	/* BSEX=0 */
#define E1000_RCTL_BSIZE_512	(2u << 16)	/* BSEX=0 */
#define E1000_RCTL_BSIZE_256	(3u << 16)	/* BSEX=0 */
#define E1000_RCTL_BSIZE_16384	(1u << 16)	/* BSEX=1 */
#define E1000_RCTL_BSIZE_8192	(2u << 16)	/* BSEX=1 */
#define E1000_RCTL_BSIZE_4096	(3u << 16)	/* BSEX=1 */
#define E1000_RCTL_VFE		(1u << 18)	/* VLAN filter enable */
#define E1000_RCTL_DPF		(1u << 22)	/* discard pause frames */
#define E1000_RCTL_PMCF		(1u << 23)	/* pass MAC control frames */
#define E1000_RCTL_BSEX		(1u << 25)	/* buffer size extension x16 */
#define E1000_RCTL_SECRC	(1u << 26)	/* strip Ethernet CRC */
#define E1000_RCTL_DTYP_MASK	(3u << 10)	/* 82574: 00 legacy/extended */
#define E1000_RCTL_FLXBUF_MASK	(0xfu << 27)	/* 82574: 0 = use BSIZE */

/* ---- RXDCTL / TXDCTL ([SDM] 13.4.34/13.4.42, [DS] 10.2.5.10/10.2.6.10) -- */
#define E1000_RXDCTL_GRAN	(1u << 24)	/* thresholds in descriptors */
#define E1000_TXDCTL_GRAN	(1u << 24)
#define E1000_TXDCTL_82574_RSVD1 (1u << 22)	/* [DS] 10.2.6.10: must be 1b */
#define E1000_TARC0_ENABLE	(1u << 10)	/* 82574: queue enable */

/* ---- RXCSUM ([SDM] 13.4.40, [DS] 10.2.5.15) ----------------------------- */
#define E1000_RXCSUM_PCSS_MASK	0xffu
#define E1000_RXCSUM_IPOFL	(1u << 8)	/* IP checksum offload */
#define E1000_RXCSUM_TUOFL	(1u << 9)	/* TCP/UDP checksum offload */
#define E1000_RXCSUM_PCSD	(1u << 13)	/* 82574: packet csum disable */

/* ---- RFCTL ([DS] 10.2.5.4) ----------------------------------------------- */
#define E1000_RFCTL_EXSTEN	(1u << 15)	/* extended RX status */

/* ---- TCTL / TIPG ([SDM] 13.4.33-34, [DS] 10.2.6.1-2) -------------------- */
#define E1000_TCTL_EN		(1u << 1)
#define E1000_TCTL_PSP		(1u << 3)	/* pad short packets */
#define E1000_TCTL_CT_SHIFT	4		/* collision threshold */
#define E1000_TCTL_COLD_SHIFT	12		/* collision distance */
#define E1000_TCTL_RTLC		(1u << 24)	/* retransmit on late collision */
#define E1000_TCTL_CT_DEFAULT	0x0fu		/* [SDM] 13.4.33: 0Fh */
#define E1000_TCTL_COLD_FD	0x40u		/* [SDM]: 40h full duplex */
#define E1000_TCTL_COLD_82574	0x3fu		/* [DS] 10.2.6.1: 3Fh */
/* [SDM] 13.4.34 table 13-77 (IEEE 802.3 copper), [DS] 10.2.6.2 */
#define E1000_TIPG_82540	(10u | (8u << 10) | (6u << 20))
#define E1000_TIPG_82574	(8u | (8u << 10) | (6u << 20))

/* ---- RAH ------------------------------------------------------------------ */
#define E1000_RAH_AV		(1u << 31)	/* address valid */

/* ---- MDIC / PHY ([SDM] 13.4.7, 8.x) -------------------------------------- */
#define E1000_MDIC_DATA_MASK	0xffffu
#define E1000_MDIC_REG_SHIFT	16
#define E1000_MDIC_PHY_SHIFT	21
#define E1000_MDIC_OP_WRITE	(1u << 26)
#define E1000_MDIC_OP_READ	(2u << 26)
#define E1000_MDIC_READY	(1u << 28)
#define E1000_MDIC_ERROR	(1u << 30)
#define E1000_PHY_ADDR		1
#define E1000_PHY_CTRL		0x00	/* MII control */
#define E1000_PHY_CTRL_ANRESTART (1u << 9)
#define E1000_PHY_CTRL_ANENABLE	(1u << 12)

/* ======================================================================= */
/* Descriptors.  All little-endian; Sluice runs on little-endian hosts.     */
/* ======================================================================= */

/*
 * Legacy receive descriptor ([SDM] 3.2.3, [DS] 7.1.4.1).  Software writes
 * addr; hardware writes the rest back and sets DD last.
 */
struct e1000_rx_desc {
	uint64_t addr;		/* buffer IOVA */
	uint16_t length;	/* bytes written into this buffer */
	uint16_t csum;		/* packet checksum */
	uint8_t status;
	uint8_t errors;
	uint16_t special;	/* VLAN tag when status.VP */
};
static_assert(sizeof(struct e1000_rx_desc) == 16, "legacy RX descriptor is 16 bytes");
static_assert(offsetof(struct e1000_rx_desc, status) == 12, "RX status at byte 12");

#define E1000_RXD_STAT_DD	(1u << 0)	/* descriptor done */
#define E1000_RXD_STAT_EOP	(1u << 1)	/* end of packet */
#define E1000_RXD_STAT_IXSM	(1u << 2)	/* ignore checksum indication */
#define E1000_RXD_STAT_VP	(1u << 3)	/* 802.1Q packet */
#define E1000_RXD_STAT_UDPCS	(1u << 4)	/* 82574: UDP checksum computed */
#define E1000_RXD_STAT_TCPCS	(1u << 5)	/* TCP/UDP checksum computed */
#define E1000_RXD_STAT_IPCS	(1u << 6)	/* IP checksum computed */
#define E1000_RXD_ERR_CE	(1u << 0)	/* CRC or alignment error */
#define E1000_RXD_ERR_SE	(1u << 1)	/* symbol error */
#define E1000_RXD_ERR_SEQ	(1u << 2)	/* sequence error */
#define E1000_RXD_ERR_CXE	(1u << 4)	/* carrier extension error */
#define E1000_RXD_ERR_TCPE	(1u << 5)	/* TCP/UDP checksum error */
#define E1000_RXD_ERR_IPE	(1u << 6)	/* IP checksum error */
#define E1000_RXD_ERR_RXE	(1u << 7)	/* RX data error */
/* Frame errors that make the packet unusable (checksum errors do not). */
#define E1000_RXD_ERR_FRAME	(E1000_RXD_ERR_CE | E1000_RXD_ERR_SE | \
				 E1000_RXD_ERR_SEQ | E1000_RXD_ERR_CXE | \
				 E1000_RXD_ERR_RXE)

/*
 * 82574 extended receive descriptor ([DS] 7.1.5.2), used when
 * RFCTL.EXSTEN=1.  The driver keeps the legacy format (same 16 bytes, and
 * what both parts share); the layout is here so that an RSS-capable RX path
 * can be added without re-deriving it.
 */
union e1000_rx_desc_ext {
	struct {
		uint64_t addr;
		uint64_t reserved;	/* must be 0 (DD lives here on write-back) */
	} read;
	struct {
		uint32_t mrq;		/* RSS type + queue */
		uint32_t rss_or_ipid;	/* RSS hash or IP id + checksum */
		uint32_t status_error;	/* status 19:0, errors 31:20 */
		uint16_t length;
		uint16_t vlan;
	} wb;
};
static_assert(sizeof(union e1000_rx_desc_ext) == 16, "extended RX descriptor is 16 bytes");

/*
 * Legacy transmit descriptor ([SDM] 3.3.3, [DS] 7.2.10.1).
 */
struct e1000_tx_desc {
	uint64_t addr;
	uint16_t length;
	uint8_t cso;		/* checksum offset (legacy checksum insert) */
	uint8_t cmd;
	uint8_t status;		/* DD written back when cmd.RS */
	uint8_t css;
	uint16_t special;
};
static_assert(sizeof(struct e1000_tx_desc) == 16, "legacy TX descriptor is 16 bytes");
static_assert(offsetof(struct e1000_tx_desc, status) == 12, "TX status at byte 12");

#define E1000_TXD_CMD_EOP	(1u << 0)	/* end of packet */
#define E1000_TXD_CMD_IFCS	(1u << 1)	/* insert FCS */
#define E1000_TXD_CMD_IC	(1u << 2)	/* insert checksum (legacy) */
#define E1000_TXD_CMD_RS	(1u << 3)	/* report status */
#define E1000_TXD_CMD_DEXT	(1u << 5)	/* extended descriptor */
#define E1000_TXD_CMD_VLE	(1u << 6)	/* VLAN enable */
#define E1000_TXD_CMD_IDE	(1u << 7)	/* interrupt delay enable */
#define E1000_TXD_STAT_DD	(1u << 0)

/*
 * TCP/IP context descriptor ([SDM] 3.3.6, [DS] 7.2.10.2): tells the MAC where
 * the IP and TCP/UDP checksums start, where to store them and where they end.
 * Stays in force for following data descriptors until the next context.
 */
struct e1000_tx_ctx_desc {
	uint8_t ipcss;		/* IP checksum start */
	uint8_t ipcso;		/* IP checksum offset (where to store) */
	uint16_t ipcse;		/* IP checksum end (inclusive), 0 = to end */
	uint8_t tucss;		/* TCP/UDP checksum start */
	uint8_t tucso;		/* TCP/UDP checksum offset */
	uint16_t tucse;		/* TCP/UDP checksum end, 0 = to end */
	uint32_t cmd_len;	/* PAYLEN 19:0, DTYP 23:20 = 0, TUCMD 31:24 */
	uint8_t status;
	uint8_t hdr_len;
	uint16_t mss;
};
static_assert(sizeof(struct e1000_tx_ctx_desc) == 16, "context descriptor is 16 bytes");

/*
 * Extended TCP/IP data descriptor ([SDM] 3.3.7, [DS] 7.2.10.3).
 */
struct e1000_tx_data_desc {
	uint64_t addr;
	uint32_t cmd_type_len;	/* DTALEN 19:0, DTYP 23:20 = 1, DCMD 31:24 */
	uint8_t status;
	uint8_t popts;		/* IXSM, TXSM */
	uint16_t special;
};
static_assert(sizeof(struct e1000_tx_data_desc) == 16, "data descriptor is 16 bytes");
static_assert(offsetof(struct e1000_tx_data_desc, status) ==
	      offsetof(struct e1000_tx_desc, status),
	      "DD is at the same place in every TX descriptor format");

/* cmd_len / cmd_type_len fields */
#define E1000_TXD_DTYP_CTX	(0u << 20)
#define E1000_TXD_DTYP_DATA	(1u << 20)
#define E1000_TXD_DCMD_EOP	(1u << 24)
#define E1000_TXD_DCMD_IFCS	(1u << 25)
#define E1000_TXD_DCMD_TSE	(1u << 26)
#define E1000_TXD_DCMD_RS	(1u << 27)
#define E1000_TXD_DCMD_DEXT	(1u << 29)
#define E1000_TXD_DCMD_VLE	(1u << 30)
#define E1000_TXD_DCMD_IDE	(1u << 31)
/* TUCMD of the context descriptor (bits 31:24 of cmd_len) */
#define E1000_TXD_TUCMD_TCP	(1u << 24)	/* 1 TCP, 0 UDP */
#define E1000_TXD_TUCMD_IP	(1u << 25)	/* 1 IPv4, 0 IPv6 */
#define E1000_TXD_TUCMD_DEXT	(1u << 29)
/* popts */
#define E1000_TXD_POPTS_IXSM	(1u << 0)	/* insert IP checksum */
#define E1000_TXD_POPTS_TXSM	(1u << 1)	/* insert TCP/UDP checksum */

/* Descriptor rings: length a multiple of 128 bytes, base 16-byte aligned
 * ([SDM] 3.2.6 / 3.4, [DS] 7.1.8). */
#define E1000_RING_ALIGN	128
#define E1000_DESC_PER_ALIGN	(E1000_RING_ALIGN / 16)

#endif /* E1000_REGS_H */
