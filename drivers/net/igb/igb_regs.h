/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Intel 82576 registers and descriptors used by the igb PMD (PF and VF).
 *
 * Reference: [DS] Intel 82576EB Gigabit Ethernet Controller Datasheet,
 * revision 2.63 (December 2011).  Register offsets and bits are those of
 * its chapter 8 (Programming Interface); descriptors of chapter 7 (7.1.5
 * receive, 7.2.2 transmit).  QEMU's "igb" (hw/net/igb_core.c) models this
 * part, 8086:10c9, with SR-IOV VFs 8086:10ca.
 */
#ifndef IGB_REGS_H
#define IGB_REGS_H

#include <assert.h>
#include <stdint.h>

#define IGB_VENDOR_ID_INTEL 0x8086
#define IGB_DEV_ID_82576 0x10c9    /* PF */
#define IGB_DEV_ID_82576_VF 0x10ca /* SR-IOV virtual function */

/* ---- general ([DS] 8.2) ------------------------------------------------- */
#define IGB_CTRL 0x00000     /* Device Control - RW */
#define IGB_STATUS 0x00008   /* Device Status - RO */
#define IGB_EERD 0x00014     /* EEPROM Read - RW */
#define IGB_CTRL_EXT 0x00018 /* Extended Device Control - RW */
#define IGB_VET 0x00038      /* VLAN Ether Type - RW */
#define IGB_MDIC 0x00020     /* MDI Control (PHY register access) - RW */

/* MDIC fields ([DS] 8.2.4): data, PHY register, PHY address, opcode. */
#define IGB_MDIC_REG_SHIFT 16
#define IGB_MDIC_PHY_SHIFT 21
#define IGB_MDIC_OP_WRITE (1u << 26)
#define IGB_MDIC_READY (1u << 28)
#define IGB_MDIC_ERROR (1u << 30)
#define IGB_PHY_ADDR 1 /* the internal PHY */
/* PHY control register (IEEE 802.3 clause 22 register 0). */
#define IGB_PHY_BMCR 0
#define IGB_BMCR_AUTONEG_RESTART (1u << 9)
#define IGB_BMCR_FULL_DUPLEX (1u << 8)
#define IGB_BMCR_AUTONEG_EN (1u << 12)
#define IGB_BMCR_SPEED1000 (1u << 6)

#define IGB_CTRL_SLU (1u << 6)      /* set link up */
#define IGB_CTRL_FRCSPD (1u << 11)  /* force speed */
#define IGB_CTRL_FRCDPX (1u << 12)  /* force duplex */
#define IGB_CTRL_RST (1u << 26)     /* device reset, self-clearing */
#define IGB_CTRL_RFCE (1u << 27)    /* receive flow control enable */
#define IGB_CTRL_TFCE (1u << 28)    /* transmit flow control enable */
#define IGB_CTRL_VME (1u << 30)     /* VLAN mode: strip tags on receive */
#define IGB_CTRL_PHY_RST (1u << 31) /* PHY reset */

#define IGB_STATUS_FD (1u << 0)  /* full duplex */
#define IGB_STATUS_LU (1u << 1)  /* link up */
#define IGB_STATUS_SPEED_SHIFT 6 /* 00 10, 01 100, 1x 1000 Mb/s */
#define IGB_STATUS_SPEED_MASK (3u << 6)

#define IGB_CTRL_EXT_DRV_LOAD (1u << 28) /* driver loaded (to firmware) */

/* ---- interrupts ([DS] 8.8): masked, the PMD polls ---------------------- */
#define IGB_ICR 0x01500  /* Interrupt Cause Read - RC */
#define IGB_IMC 0x0150c  /* Interrupt Mask Clear - WO */
#define IGB_EIMC 0x01528 /* Extended Interrupt Mask Clear - WO */
#define IGB_EICR 0x01580 /* Extended Interrupt Cause Read - RC */
#define IGB_IMC_ALL 0xffffffffu

/* ---- receive ([DS] 8.10) ----------------------------------------------- */
#define IGB_RCTL 0x00100   /* Receive Control - RW */
#define IGB_RXCSUM 0x05000 /* Receive Checksum Control - RW */
#define IGB_RLPML 0x05004  /* Receive Long Packet Maximal Length - RW */
#define IGB_MTA(i) (0x05200 + 4 * (i)) /* Multicast Table Array (128) - RW */
#define IGB_RAL(i) (0x05400 + 8 * (i)) /* Receive Address Low (16) - RW */
#define IGB_RAH(i) (0x05404 + 8 * (i)) /* Receive Address High (16) - RW */
#define IGB_VFTA(i) (0x05600 + 4 * (i)) /* VLAN Filter Table Array (128) - RW */
#define IGB_MRQC 0x05818   /* Multiple Receive Queues Command - RW */
#define IGB_RETA(i) (0x05c00 + 4 * (i)) /* Redirection Table (32) - RW */
#define IGB_RSSRK(i) (0x05c80 + 4 * (i)) /* RSS Random Key (10) - RW */

#define IGB_MTA_SIZE 128
#define IGB_RAR_ENTRIES 16
#define IGB_RETA_SIZE 128        /* entries, one byte each, 4 per register */
#define IGB_RSS_KEY_SIZE 40      /* bytes, RSSRK0..9 */

#define IGB_RCTL_EN (1u << 1)
#define IGB_RCTL_SBP (1u << 2)   /* store bad packets */
#define IGB_RCTL_UPE (1u << 3)   /* unicast promiscuous */
#define IGB_RCTL_MPE (1u << 4)   /* multicast promiscuous */
#define IGB_RCTL_LPE (1u << 5)   /* long packets (up to RLPML) */
#define IGB_RCTL_MO_SHIFT 12     /* multicast offset: MTA hash bits */
#define IGB_RCTL_BAM (1u << 15)  /* accept broadcast */
#define IGB_RCTL_VFE (1u << 18)  /* VLAN filter enable */
#define IGB_RCTL_SECRC (1u << 26) /* strip the Ethernet CRC */

#define IGB_RXCSUM_IPOFL (1u << 8) /* IP checksum offload */
#define IGB_RXCSUM_TUOFL (1u << 9) /* TCP/UDP checksum offload */
#define IGB_RXCSUM_PCSD (1u << 13) /* descriptor carries the RSS hash */

#define IGB_RAH_AV (1u << 31)      /* address valid */

#define IGB_MRQC_ENABLE_RSS 0x2u    /* MRQE: RSS, no VMDq */
#define IGB_MRQC_RSS_IPV4_TCP (1u << 16)
#define IGB_MRQC_RSS_IPV4 (1u << 17)
#define IGB_MRQC_RSS_IPV6 (1u << 20)
#define IGB_MRQC_RSS_IPV6_TCP (1u << 21)
#define IGB_MRQC_RSS_IPV4_UDP (1u << 22)
#define IGB_MRQC_RSS_IPV6_UDP (1u << 23)

/* Per-queue receive registers: queues 0-3 at 0x2800 + 0x100*n, 4-15 at
 * 0xC000 + 0x40*n ([DS] 8.10.x). */
#define IGB_RXQ_BASE(n) ((n) < 4 ? 0x02800u + 0x100u * (n) : 0x0c000u + 0x40u * (n))
#define IGB_RDBAL(n) (IGB_RXQ_BASE(n) + 0x00)  /* RX Descriptor Base Low - RW */
#define IGB_RDBAH(n) (IGB_RXQ_BASE(n) + 0x04)  /* RX Descriptor Base High - RW */
#define IGB_RDLEN(n) (IGB_RXQ_BASE(n) + 0x08)  /* RX Descriptor Ring Length - RW */
#define IGB_SRRCTL(n) (IGB_RXQ_BASE(n) + 0x0c) /* Split and Replication RX Control - RW */
#define IGB_RDH(n) (IGB_RXQ_BASE(n) + 0x10)    /* RX Descriptor Head - RO */
#define IGB_RDT(n) (IGB_RXQ_BASE(n) + 0x18)    /* RX Descriptor Tail - RW */
#define IGB_RXDCTL(n) (IGB_RXQ_BASE(n) + 0x28) /* RX Descriptor Control - RW */

#define IGB_SRRCTL_BSIZEPKT_SHIFT 10          /* packet buffer size, KiB units */
#define IGB_SRRCTL_DESCTYPE_ADV_ONE (1u << 25) /* advanced, one buffer */
#define IGB_SRRCTL_DROP_EN (1u << 31)         /* drop when this ring is full */

#define IGB_XDCTL_ENABLE (1u << 25) /* RXDCTL/TXDCTL: queue enable */

/* ---- transmit ([DS] 8.12) ---------------------------------------------- */
#define IGB_TCTL 0x00400  /* Transmit Control - RW */
#define IGB_TIPG 0x00410  /* Transmit IPG - RW */
#define IGB_TCTL_EN (1u << 1)
#define IGB_TCTL_PSP (1u << 3)    /* pad short packets */
#define IGB_TCTL_CT_SHIFT 4       /* collision threshold */
#define IGB_TCTL_COLD_SHIFT 12    /* collision distance */
#define IGB_TCTL_RTLC (1u << 24)  /* retransmit on late collision */

#define IGB_TXQ_BASE(n) ((n) < 4 ? 0x03800u + 0x100u * (n) : 0x0e000u + 0x40u * (n))
#define IGB_TDBAL(n) (IGB_TXQ_BASE(n) + 0x00)  /* TX Descriptor Base Low - RW */
#define IGB_TDBAH(n) (IGB_TXQ_BASE(n) + 0x04)  /* TX Descriptor Base High - RW */
#define IGB_TDLEN(n) (IGB_TXQ_BASE(n) + 0x08)  /* TX Descriptor Ring Length - RW */
#define IGB_TDH(n) (IGB_TXQ_BASE(n) + 0x10)    /* TX Descriptor Head - RO */
#define IGB_TDT(n) (IGB_TXQ_BASE(n) + 0x18)    /* TX Descriptor Tail - RW */
#define IGB_TXDCTL(n) (IGB_TXQ_BASE(n) + 0x28) /* TX Descriptor Control - RW */

/* ---- statistics ([DS] 8.19), cleared on read --------------------------- */
#define IGB_CRCERRS 0x04000 /* CRC Error Count - RC */
#define IGB_ALGNERRC 0x04004 /* Alignment Error Count - RC */
#define IGB_RXERRC 0x0400c  /* RX Error Count - RC */
#define IGB_MPC 0x04010     /* Missed Packets Count - RC */
#define IGB_ECOL 0x04018    /* Excessive Collisions Count - RC */
#define IGB_LATECOL 0x04020 /* Late Collisions Count - RC */
#define IGB_RLEC 0x04040    /* Receive Length Error Count - RC */
#define IGB_PRC64 0x0405c   /* Packets Received (64 bytes) - RC */
#define IGB_PRC127 0x04060
#define IGB_PRC255 0x04064
#define IGB_PRC511 0x04068
#define IGB_PRC1023 0x0406c
#define IGB_PRC1522 0x04070
#define IGB_GPRC 0x04074    /* Good Packets Received - RC */
#define IGB_BPRC 0x04078    /* Broadcast Packets Received - RC */
#define IGB_MPRC 0x0407c    /* Multicast Packets Received - RC */
#define IGB_GPTC 0x04080    /* Good Packets Transmitted - RC */
#define IGB_GORCL 0x04088   /* Good Octets Received (low; high at +4) - RC */
#define IGB_GOTCL 0x04090   /* Good Octets Transmitted (low) - RC */
#define IGB_RNBC 0x040a0    /* Receive No Buffers - RC */
#define IGB_RUC 0x040a4     /* Receive Undersize - RC */
#define IGB_ROC 0x040ac     /* Receive Oversize - RC */
#define IGB_TORL 0x040c0    /* Total Octets Received (low) - RC */
#define IGB_TOTL 0x040c8    /* Total Octets Transmitted (low) - RC */
#define IGB_TPR 0x040d0     /* Total Packets Received - RC */
#define IGB_TPT 0x040d4     /* Total Packets Transmitted - RC */
#define IGB_PTC64 0x040d8   /* Packets Transmitted (64 bytes) - RC */
#define IGB_PTC127 0x040dc
#define IGB_PTC255 0x040e0
#define IGB_PTC511 0x040e4
#define IGB_PTC1023 0x040e8
#define IGB_PTC1522 0x040ec
#define IGB_MPTC 0x040f0    /* Multicast Packets Transmitted - RC */
#define IGB_BPTC 0x040f4    /* Broadcast Packets Transmitted - RC */

/* ---- VF register space (BAR0 of 8086:10ca, 16 KiB; [DS] 8.27) ----------- */
#define IGBVF_CTRL 0x00000   /* VF Control (VTCTRL) - RW */
#define IGBVF_STATUS 0x00008 /* VF Status (VTSTATUS) - RO */
#define IGBVF_EIMC 0x0152c   /* VF Extended Interrupt Mask Clear - WO */
#define IGBVF_GPRC 0x00f10   /* VF Good Packets Received - RO */
#define IGBVF_GPTC 0x00f14   /* VF Good Packets Transmitted - RO */
#define IGBVF_GORC 0x00f18   /* VF Good Octets Received - RO */
#define IGBVF_GOTC 0x00f34   /* VF Good Octets Transmitted - RO */
#define IGBVF_MPRC 0x00f3c   /* VF Multicast Packets Received - RO */
#define IGBVF_V2PMAILBOX 0x00c40 /* VF-to-PF Mailbox control - RW */
#define IGBVF_VMBMEM(i) (0x00800 + 4 * (i)) /* VF Mailbox Memory (16 words) - RW */
/* Queue registers: queue n (0 or 1) of the VF at the PF's queue-0/1
 * offsets in its own BAR. */
#define IGBVF_MAX_QUEUES 2

/* V2PMAILBOX bits ([DS] 8.27.x / 7.10.2.9): REQ and ACK are written by the
 * VF; PFSTS, PFACK and RSTD clear when read. */
#define IGBVF_V2P_REQ (1u << 0)   /* VF asks the PF to read its message */
#define IGBVF_V2P_ACK (1u << 1)   /* VF acknowledges the PF's message */
#define IGBVF_V2P_VFU (1u << 2)   /* buffer taken by the VF */
#define IGBVF_V2P_PFU (1u << 3)   /* buffer taken by the PF */
#define IGBVF_V2P_PFSTS (1u << 4) /* PF wrote a message */
#define IGBVF_V2P_PFACK (1u << 5) /* PF acknowledged the VF's message */
#define IGBVF_V2P_RSTI (1u << 6)  /* PF reset in progress */
#define IGBVF_V2P_RSTD (1u << 7)  /* PF reset done */
#define IGBVF_V2P_R2C (IGBVF_V2P_PFSTS | IGBVF_V2P_PFACK | IGBVF_V2P_RSTD)
#define IGBVF_MBX_SIZE 16 /* words */

/* Messages of the PF driver's VF protocol (the one Linux's igb PF answers:
 * the first word is the type, the result flags and, for the multicast
 * list, the count in bits 16-23). */
#define IGBVF_MSG_RESET 0x01
#define IGBVF_MSG_SET_MAC 0x02
#define IGBVF_MSG_SET_MULTICAST 0x03
#define IGBVF_MSG_SET_LPE 0x05
#define IGBVF_MSG_ACK (1u << 31)
#define IGBVF_MSG_NACK (1u << 30)
#define IGBVF_MSG_CTS (1u << 29)  /* PF is clear to send (after reset) */
#define IGBVF_MSG_TYPE_MASK 0xffffu
#define IGBVF_MSG_COUNT_SHIFT 16
#define IGBVF_MAX_MC 30 /* hashes that fit one message */

/* ---- descriptors -------------------------------------------------------- */

/* [DS] 7.1.5.1 advanced receive descriptor, read format (software writes). */
struct igb_rx_desc_read {
	uint64_t pkt_addr;  /* packet buffer */
	uint64_t hdr_addr;  /* header buffer (split mode only; 0) */
};

/* [DS] 7.1.5.2 advanced receive descriptor, write-back format. */
struct igb_rx_desc_wb {
	uint16_t pkt_info;   /* RSS type [3:0], packet type [16:4] */
	uint16_t hdr_info;
	uint32_t rss;        /* RSS hash (RXCSUM.PCSD set) */
	uint32_t status_error; /* status [19:0], errors [31:20] */
	uint16_t length;     /* bytes in this buffer */
	uint16_t vlan;       /* stripped tag (status VP) */
};

union igb_rx_desc {
	struct igb_rx_desc_read read;
	struct igb_rx_desc_wb wb;
};
static_assert(sizeof(union igb_rx_desc) == 16, "advanced RX descriptor is 16 bytes");
static_assert(__builtin_offsetof(struct igb_rx_desc_wb, status_error) == 8 &&
		      __builtin_offsetof(struct igb_rx_desc_wb, length) == 12,
	      "RX write-back layout of [DS] 7.1.5.2");

#define IGB_RXD_STAT_DD (1u << 0)    /* descriptor done */
#define IGB_RXD_STAT_EOP (1u << 1)   /* end of packet */
#define IGB_RXD_STAT_VP (1u << 3)    /* VLAN tag stripped into wb.vlan */
#define IGB_RXD_STAT_UDPCS (1u << 4) /* UDP checksum checked */
#define IGB_RXD_STAT_L4CS (1u << 5)  /* TCP/UDP checksum checked */
#define IGB_RXD_STAT_IPCS (1u << 6)  /* IPv4 header checksum checked */
#define IGB_RXD_ERR_L4E (1u << 29)   /* TCP/UDP checksum error */
#define IGB_RXD_ERR_IPE (1u << 30)   /* IPv4 checksum error */
#define IGB_RXD_ERR_RXE (1u << 31)   /* frame error */
#define IGB_RXD_RSS_TYPE_MASK 0xfu   /* pkt_info: 0 = no hash computed */

/* [DS] 7.2.2.3 advanced transmit data descriptor (read format); write-back
 * sets DD in the status word (the upper dword). */
struct igb_tx_desc {
	uint64_t addr;
	uint32_t cmd_type_len;
	uint32_t olinfo_status;
};
static_assert(sizeof(struct igb_tx_desc) == 16, "advanced TX descriptor is 16 bytes");

/* [DS] 7.2.2.2 advanced transmit context descriptor. */
struct igb_tx_ctx_desc {
	uint32_t vlan_macip_lens; /* IPLEN [8:0], MACLEN [15:9], VLAN [31:16] */
	uint32_t seqnum_seed;
	uint32_t type_tucmd_mlhl;
	uint32_t mss_l4len_idx;   /* IDX [6:4] */
};
static_assert(sizeof(struct igb_tx_ctx_desc) == 16, "context descriptor is 16 bytes");

#define IGB_TXD_DTYP_CTXT (0x2u << 20)
#define IGB_TXD_DTYP_DATA (0x3u << 20)
#define IGB_TXD_CMD_EOP (1u << 24)
#define IGB_TXD_CMD_IFCS (1u << 25) /* insert FCS */
#define IGB_TXD_CMD_RS (1u << 27)   /* report status (write back DD) */
#define IGB_TXD_CMD_DEXT (1u << 29) /* advanced descriptor */
#define IGB_TXD_CMD_VLE (1u << 30)  /* insert the context's VLAN tag */
#define IGB_TXD_STAT_DD (1u << 0)   /* olinfo_status after write-back */
#define IGB_TXD_POPTS_IXSM (1u << 8) /* olinfo: insert IP checksum */
#define IGB_TXD_POPTS_TXSM (1u << 9) /* olinfo: insert L4 checksum */
#define IGB_TXD_PAYLEN_SHIFT 14
#define IGB_TXD_MACLEN_SHIFT 9
#define IGB_TXD_VLAN_SHIFT 16
#define IGB_TXD_TUCMD_IPV4 (1u << 10)
#define IGB_TXD_TUCMD_L4T_UDP (0u << 11)
#define IGB_TXD_TUCMD_L4T_TCP (1u << 11)

/* Rings: length in bytes a multiple of 128 ([DS] 8.10 RDLEN): descriptor
 * counts a multiple of 8, base 128-byte aligned. */
#define IGB_RING_ALIGN 128
#define IGB_DESC_PER_ALIGN (IGB_RING_ALIGN / 16)

#endif /* IGB_REGS_H */
