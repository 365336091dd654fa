/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Ethernet II framing: MAC addresses, the Ethernet header, the 802.1Q tag
 * and helpers to compare, format and parse addresses.
 *
 * Multi-byte header fields are kept in network byte order, as on the wire;
 * use sl_be16()/sl_cpu_to_be16() (below) or htons() to convert.
 *
 * sl_ether_addr_format() and sl_ether_addr_parse() live in libsluice
 * (lib/ethdev/sl_ether.c); everything else here is inline.
 */
#ifndef SL_ETHER_H
#define SL_ETHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sl_common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SL_ETHER_ADDR_LEN 6     /**< Bytes in a MAC address. */
#define SL_ETHER_TYPE_LEN 2     /**< Bytes in the EtherType field. */
#define SL_ETHER_CRC_LEN 4      /**< Bytes in the frame check sequence. */
#define SL_ETHER_HDR_LEN 14     /**< Destination + source + EtherType. */
#define SL_ETHER_MIN_LEN 64     /**< Shortest frame on the wire, CRC included. */
#define SL_ETHER_MAX_LEN 1518   /**< Longest untagged frame, CRC included. */
#define SL_ETHER_MTU 1500       /**< Default payload size (IP MTU). */
#define SL_ETHER_MIN_MTU 68     /**< Smallest IPv4 MTU (RFC 791). */
#define SL_VLAN_HLEN 4          /**< Bytes an 802.1Q tag adds. */
/** Buffer size for sl_ether_addr_format(): "xx:xx:xx:xx:xx:xx" + NUL. */
#define SL_ETHER_ADDR_FMT_SIZE 18

/* EtherType values, host byte order (compare with sl_be16(hdr->ether_type)). */
#define SL_ETHER_TYPE_IPV4 0x0800 /**< IPv4. */
#define SL_ETHER_TYPE_ARP 0x0806  /**< ARP. */
#define SL_ETHER_TYPE_VLAN 0x8100 /**< IEEE 802.1Q tag. */
#define SL_ETHER_TYPE_IPV6 0x86DD /**< IPv6. */
#define SL_ETHER_TYPE_QINQ 0x88A8 /**< IEEE 802.1ad service tag. */
#define SL_ETHER_TYPE_LLDP 0x88CC /**< LLDP. */

/** Group bit: first octet bit 0 (IEEE 802-2014 8.2). */
#define SL_ETHER_GROUP_ADDR 0x01
/** Locally administered bit: first octet bit 1. */
#define SL_ETHER_LOCAL_ADMIN_ADDR 0x02

/**
 * A 48-bit MAC address in transmission order.  Two-byte aligned so that
 * the comparisons below can use 16-bit loads, as in the header on the wire.
 */
struct sl_ether_addr {
	uint8_t addr_bytes[SL_ETHER_ADDR_LEN]; /**< the address, in transmission order */
} __sl_aligned(2);

/** Ethernet II header. */
struct sl_ether_hdr {
	struct sl_ether_addr dst_addr; /**< Destination address. */
	struct sl_ether_addr src_addr; /**< Source address. */
	uint16_t ether_type;           /**< EtherType, network byte order. */
} __sl_aligned(2);

/** 802.1Q tag that follows the source address when ether_type is VLAN. */
struct sl_vlan_hdr {
	uint16_t vlan_tci;  /**< PCP (3) | DEI (1) | VID (12), network order. */
	uint16_t eth_proto; /**< EtherType of the payload, network order. */
} __sl_packed;

/* The header is laid over packet bytes: its size is the wire size. */
static_assert(sizeof(struct sl_ether_addr) == SL_ETHER_ADDR_LEN, "ether addr size");
static_assert(sizeof(struct sl_ether_hdr) == SL_ETHER_HDR_LEN, "ether hdr size");
static_assert(sizeof(struct sl_vlan_hdr) == SL_VLAN_HLEN, "vlan hdr size");

/** Convert 16 bits between CPU and network (big-endian) order. */
static inline uint16_t
sl_be16(uint16_t v)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return __builtin_bswap16(v);
#else
	return v;
#endif
}
/** Alias of sl_be16() that reads better when building headers. */
#define sl_cpu_to_be16(v) sl_be16(v)

/** Convert 32 bits between CPU and network order. */
static inline uint32_t
sl_be32(uint32_t v)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return __builtin_bswap32(v);
#else
	return v;
#endif
}
#define sl_cpu_to_be32(v) sl_be32(v) /**< 32-bit value from CPU to big-endian (network) order */

/** @return true if @p a and @p b are the same address. */
static inline bool
sl_ether_addr_is_equal(const struct sl_ether_addr *a, const struct sl_ether_addr *b)
{
	return memcmp(a, b, SL_ETHER_ADDR_LEN) == 0;
}

/** Copy @p src into @p dst (they may not overlap). */
static inline void
sl_ether_addr_copy(const struct sl_ether_addr *src, struct sl_ether_addr *dst)
{
	memcpy(dst, src, SL_ETHER_ADDR_LEN);
}

/** @return true for 00:00:00:00:00:00. */
static inline bool
sl_ether_addr_is_zero(const struct sl_ether_addr *a)
{
	/* Initialised explicitly: C++ refuses an uninitialised const. */
	static const struct sl_ether_addr zero = { { 0 } };

	return sl_ether_addr_is_equal(a, &zero);
}

/** @return true if the group bit is clear (an individual address). */
static inline bool
sl_ether_addr_is_unicast(const struct sl_ether_addr *a)
{
	return (a->addr_bytes[0] & SL_ETHER_GROUP_ADDR) == 0;
}

/** @return true if the group bit is set (multicast or broadcast). */
static inline bool
sl_ether_addr_is_multicast(const struct sl_ether_addr *a)
{
	return (a->addr_bytes[0] & SL_ETHER_GROUP_ADDR) != 0;
}

/** @return true for ff:ff:ff:ff:ff:ff. */
static inline bool
sl_ether_addr_is_broadcast(const struct sl_ether_addr *a)
{
	static const struct sl_ether_addr bcast = {
		.addr_bytes = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };

	return sl_ether_addr_is_equal(a, &bcast);
}

/** @return true if the locally administered bit is set. */
static inline bool
sl_ether_addr_is_local_admin(const struct sl_ether_addr *a)
{
	return (a->addr_bytes[0] & SL_ETHER_LOCAL_ADMIN_ADDR) != 0;
}

/**
 * @return true if @p a may be a port's own address: unicast and not zero.
 */
static inline bool
sl_ether_addr_is_valid_assigned(const struct sl_ether_addr *a)
{
	return sl_ether_addr_is_unicast(a) && !sl_ether_addr_is_zero(a);
}

/**
 * Write @p a as "xx:xx:xx:xx:xx:xx" (lower case) into @p buf.
 *
 * @param buf   destination; SL_ETHER_ADDR_FMT_SIZE bytes hold the whole text.
 * @param size  size of @p buf; the text is truncated (and NUL-terminated)
 *              if it is shorter, like snprintf.
 * @param a     address to format.
 */
void sl_ether_addr_format(char *buf, size_t size, const struct sl_ether_addr *a);

/**
 * Parse a MAC address.  Accepted forms: "xx:xx:xx:xx:xx:xx",
 * "xx-xx-xx-xx-xx-xx" (one or two hex digits per octet) and
 * "xxxx.xxxx.xxxx" (Cisco style).  Leading/trailing text is an error.
 *
 * @param str  NUL-terminated text.
 * @param a    receives the address; untouched on error.
 * @return 0, or -EINVAL if @p str (or @p a) is NULL or not an address.
 */
int sl_ether_addr_parse(const char *str, struct sl_ether_addr *a);

/**
 * Fill @p a with a random, locally administered unicast address.
 * Uses getrandom(); falls back to the clock if that fails.
 */
void sl_ether_addr_random(struct sl_ether_addr *a);

#ifdef __cplusplus
}
#endif

#endif /* SL_ETHER_H */
