/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Virtio 1.x over PCI ("modern" transport) and the network device: register
 * layouts, feature bits and ring formats.
 *
 * Reference: [VIRTIO] Virtual I/O Device (VIRTIO) Version 1.2, OASIS
 * Committee Specification 01 (1 July 2022).  Section numbers are of that
 * revision.  Every multi-byte field is little-endian ([VIRTIO] §1.4); the
 * driver runs on little-endian hosts only (static_assert below).
 */
#ifndef VIRTIO_PCI_H
#define VIRTIO_PCI_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	      "virtio structures are little-endian; this driver does not swap");

/* ---- PCI identity ([VIRTIO] §4.1.2 PCI Device Discovery) ---------------- */
#define VIRTIO_PCI_VENDOR_ID 0x1af4
#define VIRTIO_PCI_DEV_ID_NET_TRANSITIONAL 0x1000 /* legacy or transitional */
#define VIRTIO_PCI_DEV_ID_NET_MODERN 0x1041       /* 0x1040 + device type 1 */

/* ---- PCI capabilities ([VIRTIO] §4.1.4 Virtio Structure PCI Capabilities) */
#define PCI_CAP_ID_VNDR_ 0x09  /* vendor-specific capability */
#define VIRTIO_PCI_CAP_COMMON_CFG 1
#define VIRTIO_PCI_CAP_NOTIFY_CFG 2
#define VIRTIO_PCI_CAP_ISR_CFG 3
#define VIRTIO_PCI_CAP_DEVICE_CFG 4
#define VIRTIO_PCI_CAP_PCI_CFG 5

/* struct virtio_pci_cap, byte offsets inside the capability */
#define VIRTIO_PCI_CAP_CFG_TYPE 3   /* u8 structure type - RO */
#define VIRTIO_PCI_CAP_BAR 4        /* u8 BAR holding it - RO */
#define VIRTIO_PCI_CAP_OFFSET 8     /* le32 offset in the BAR - RO */
#define VIRTIO_PCI_CAP_LENGTH 12    /* le32 length in bytes - RO */
#define VIRTIO_PCI_CAP_NOTIFY_MULT 16 /* le32 notify_off_multiplier (notify cap) - RO */

/* ---- common configuration ([VIRTIO] §4.1.4.3) ---------------------------- */
#define VIRTIO_COMMON_DFSELECT 0x00  /* le32 device_feature_select - RW */
#define VIRTIO_COMMON_DF 0x04        /* le32 device_feature - RO */
#define VIRTIO_COMMON_GFSELECT 0x08  /* le32 driver_feature_select - RW */
#define VIRTIO_COMMON_GF 0x0c        /* le32 driver_feature - RW */
#define VIRTIO_COMMON_MSIX 0x10      /* le16 config_msix_vector - RW */
#define VIRTIO_COMMON_NUMQ 0x12      /* le16 num_queues - RO */
#define VIRTIO_COMMON_STATUS 0x14    /* u8 device_status - RW */
#define VIRTIO_COMMON_CFGGEN 0x15    /* u8 config_generation - RO */
#define VIRTIO_COMMON_Q_SELECT 0x16  /* le16 queue_select - RW */
#define VIRTIO_COMMON_Q_SIZE 0x18    /* le16 queue_size - RW */
#define VIRTIO_COMMON_Q_MSIX 0x1a    /* le16 queue_msix_vector - RW */
#define VIRTIO_COMMON_Q_ENABLE 0x1c  /* le16 queue_enable - RW */
#define VIRTIO_COMMON_Q_NOFF 0x1e    /* le16 queue_notify_off - RO */
#define VIRTIO_COMMON_Q_DESCLO 0x20  /* le64 queue_desc (low half) - RW */
#define VIRTIO_COMMON_Q_DESCHI 0x24  /* (high half) - RW */
#define VIRTIO_COMMON_Q_AVAILLO 0x28 /* le64 queue_driver - RW */
#define VIRTIO_COMMON_Q_AVAILHI 0x2c
#define VIRTIO_COMMON_Q_USEDLO 0x30  /* le64 queue_device - RW */
#define VIRTIO_COMMON_Q_USEDHI 0x34
#define VIRTIO_COMMON_MIN_LEN 0x38   /* what a 1.0 device must provide */

#define VIRTIO_MSI_NO_VECTOR 0xffff  /* [VIRTIO] §4.1.5.1.2: no interrupt */

/* ---- device status ([VIRTIO] §2.1) --------------------------------------- */
#define VIRTIO_STATUS_ACKNOWLEDGE 0x01
#define VIRTIO_STATUS_DRIVER 0x02
#define VIRTIO_STATUS_DRIVER_OK 0x04
#define VIRTIO_STATUS_FEATURES_OK 0x08
#define VIRTIO_STATUS_NEEDS_RESET 0x40
#define VIRTIO_STATUS_FAILED 0x80

/* ---- feature bits ([VIRTIO] §6 Reserved Feature Bits, §5.1.3) ------------ */
#define VIRTIO_NET_F_CSUM 0            /* device checksums partial TX frames */
#define VIRTIO_NET_F_GUEST_CSUM 1      /* driver accepts partial RX checksums */
#define VIRTIO_NET_F_MTU 3             /* config mtu is valid */
#define VIRTIO_NET_F_MAC 5             /* config mac is valid */
#define VIRTIO_NET_F_HOST_TSO4 11      /* device segments TCPv4 */
#define VIRTIO_NET_F_HOST_TSO6 12      /* device segments TCPv6 */
#define VIRTIO_NET_F_MRG_RXBUF 15      /* a frame may span RX buffers */
#define VIRTIO_NET_F_STATUS 16         /* config status is valid */
#define VIRTIO_NET_F_CTRL_VQ 17        /* control virtqueue */
#define VIRTIO_NET_F_CTRL_RX 18        /* promiscuous / all-multicast */
#define VIRTIO_NET_F_MQ 22             /* several queue pairs */
#define VIRTIO_NET_F_CTRL_MAC_ADDR 23  /* MAC address through the control queue */
#define VIRTIO_NET_F_RSS 60            /* receive-side scaling (§5.1.6.5.7) */
#define VIRTIO_NET_F_SPEED_DUPLEX 63   /* config speed/duplex are valid */
#define VIRTIO_F_RING_EVENT_IDX 29     /* used_event / avail_event */
#define VIRTIO_F_VERSION_1 32          /* modern device */
#define VIRTIO_F_ACCESS_PLATFORM 33    /* DMA goes through the platform IOMMU */
#define VIRTIO_F_RING_PACKED 34        /* packed ring layout */
#define VIRTIO_F_IN_ORDER 35           /* buffers used in the order made available */

#define VIRTIO_BIT(b) (1ULL << (b))

/* ---- network device configuration ([VIRTIO] §5.1.4) ---------------------- */
#define VIRTIO_NET_CFG_MAC 0        /* u8 mac[6] - RO */
#define VIRTIO_NET_CFG_STATUS 6     /* le16 status - RO */
#define VIRTIO_NET_CFG_MAX_PAIRS 8  /* le16 max_virtqueue_pairs - RO */
#define VIRTIO_NET_CFG_MTU 10       /* le16 mtu - RO */
#define VIRTIO_NET_CFG_SPEED 12     /* le32 speed (Mbit/s, ~0 unknown) - RO */
#define VIRTIO_NET_CFG_DUPLEX 16    /* u8 duplex (1 full, 0 half, 0xff unknown) - RO */
#define VIRTIO_NET_CFG_RSS_MAX_KEY 17       /* u8 rss_max_key_size (RSS) - RO */
#define VIRTIO_NET_CFG_RSS_MAX_TABLE 18     /* le16 rss_max_indirection_table_length - RO */
#define VIRTIO_NET_CFG_RSS_HASH_TYPES 20    /* le32 supported_hash_types - RO */
#define VIRTIO_NET_CFG_RSS_END 24           /* the configuration is this long with RSS */
#define VIRTIO_NET_S_LINK_UP 1

/* ---- packet header ([VIRTIO] §5.1.6 struct virtio_net_hdr) --------------- */
struct virtio_net_hdr {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;     /* L2 + L3 + L4 header bytes (GSO) */
	uint16_t gso_size;    /* payload bytes per segment (GSO) */
	uint16_t csum_start;  /* checksum from here to the end ... */
	uint16_t csum_offset; /* ... is stored at csum_start + csum_offset */
	uint16_t num_buffers; /* RX buffers of this frame (always present in 1.x) */
};
static_assert(sizeof(struct virtio_net_hdr) == 12,
	      "[VIRTIO] §5.1.6: the 1.x header is 12 bytes, num_buffers included");
#define VIRTIO_NET_HDR_F_NEEDS_CSUM 1
#define VIRTIO_NET_HDR_F_DATA_VALID 2
#define VIRTIO_NET_HDR_GSO_NONE 0
#define VIRTIO_NET_HDR_GSO_TCPV4 1
#define VIRTIO_NET_HDR_GSO_TCPV6 4

/* ---- control virtqueue ([VIRTIO] §5.1.6.5) ------------------------------- */
#define VIRTIO_NET_CTRL_RX 0
#define VIRTIO_NET_CTRL_RX_PROMISC 0
#define VIRTIO_NET_CTRL_RX_ALLMULTI 1
#define VIRTIO_NET_CTRL_MAC 1
#define VIRTIO_NET_CTRL_MAC_ADDR_SET 1
#define VIRTIO_NET_CTRL_MQ 4
#define VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET 0
#define VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MAX 0x8000
#define VIRTIO_NET_CTRL_MQ_RSS_CONFIG 1

/*
 * §5.1.6.5.7 Receive-side scaling: the command's data is
 *   le32 hash_types; le16 indirection_table_mask; le16 unclassified_queue;
 *   le16 indirection_table[mask + 1]; le16 max_tx_vq; u8 hash_key_length;
 *   u8 hash_key_data[hash_key_length]
 * (a variable-length table in the middle, so it is built byte by byte).
 * Queue numbers are receive queue indices (0 = receiveq1), not virtqueues.
 */
#define VIRTIO_NET_RSS_HDR_LEN 8     /* hash_types, mask, unclassified_queue */
#define VIRTIO_NET_RSS_TAIL_LEN 3    /* max_tx_vq, hash_key_length */
#define VIRTIO_NET_RSS_MIN_KEY 40    /* §5.1.4.2: rss_max_key_size is at least 40 */

/* §5.1.6.4.3.1 Supported/enabled hash types */
#define VIRTIO_NET_HASH_TYPE_IPv4 (1u << 0)
#define VIRTIO_NET_HASH_TYPE_TCPv4 (1u << 1)
#define VIRTIO_NET_HASH_TYPE_UDPv4 (1u << 2)
#define VIRTIO_NET_HASH_TYPE_IPv6 (1u << 3)
#define VIRTIO_NET_HASH_TYPE_TCPv6 (1u << 4)
#define VIRTIO_NET_HASH_TYPE_UDPv6 (1u << 5)
#define VIRTIO_NET_OK 0
#define VIRTIO_NET_ERR 1

/* ---- split virtqueue ([VIRTIO] §2.7) ------------------------------------- */
/* §2.7.5 The Virtqueue Descriptor Table */
struct vring_desc {
	uint64_t addr;  /* IOVA of the buffer */
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};
static_assert(sizeof(struct vring_desc) == 16, "[VIRTIO] §2.7.5 descriptor is 16 bytes");
#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2

/* §2.7.6 The Virtqueue Available Ring: flags, idx, ring[size], used_event */
struct vring_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
};
#define VRING_AVAIL_F_NO_INTERRUPT 1

/* §2.7.8 The Virtqueue Used Ring: flags, idx, ring[size], avail_event */
struct vring_used_elem {
	uint32_t id;  /* head of the used descriptor chain */
	uint32_t len; /* bytes the device wrote */
};
struct vring_used {
	uint16_t flags;
	uint16_t idx;
	struct vring_used_elem ring[];
};
static_assert(sizeof(struct vring_used_elem) == 8, "[VIRTIO] §2.7.8 used element is 8 bytes");
#define VRING_USED_F_NO_NOTIFY 1

/* §2.7 alignment: descriptor table 16, available ring 2, used ring 4.  The
 * used ring gets its own page here so that device writes to it never share a
 * cache line with the driver's available ring. */
#define VRING_SPLIT_USED_ALIGN 4096

/* §2.7.10: with EVENT_IDX, notify only if the new index passed the event. */
static inline int
vring_need_event(uint16_t event_idx, uint16_t new_idx, uint16_t old_idx)
{
	return (uint16_t)(new_idx - event_idx - 1) < (uint16_t)(new_idx - old_idx);
}

/* ---- packed virtqueue ([VIRTIO] §2.8) ------------------------------------ */
struct vring_packed_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t id;    /* buffer id, returned in the used descriptor */
	uint16_t flags;
};
static_assert(sizeof(struct vring_packed_desc) == 16, "[VIRTIO] §2.8.13 descriptor is 16 bytes");
#define VRING_PACKED_DESC_F_AVAIL (1u << 7)  /* §2.8.1 */
#define VRING_PACKED_DESC_F_USED (1u << 15)

/* §2.8.10 Driver and Device Event Suppression */
struct vring_packed_event {
	uint16_t off_wrap; /* descriptor offset (bits 0-14), wrap counter (bit 15) */
	uint16_t flags;
};
#define VRING_PACKED_EVENT_ENABLE 0
#define VRING_PACKED_EVENT_DISABLE 1
#define VRING_PACKED_EVENT_DESC 2

#endif /* VIRTIO_PCI_H */
