/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * ICMP for IPv4 (RFC 792) and the checksum helper for its messages.
 */
#ifndef SL_ICMP_H
#define SL_ICMP_H

#include <stddef.h>
#include <stdint.h>

#include "sl_common.h"
#include "sl_ip.h"

#ifdef __cplusplus
extern "C" {
#endif

/** ICMP echo request/reply header (RFC 792, "Echo or Echo Reply Message"). */
struct sl_icmp_hdr {
	uint8_t icmp_type; /**< SL_ICMP_TYPE_* */
	uint8_t icmp_code; /**< subtype of icmp_type */
	uint16_t icmp_cksum;  /**< over the ICMP header and data */
	uint16_t icmp_ident;  /**< network order */
	uint16_t icmp_seq_nb; /**< network order */
} __sl_packed;

static_assert(sizeof(struct sl_icmp_hdr) == 8, "ICMP echo header is 8 bytes");

#define SL_ICMP_TYPE_ECHO_REPLY 0 /**< echo reply (ping answer) */
#define SL_ICMP_TYPE_DEST_UNREACHABLE 3 /**< destination unreachable */
#define SL_ICMP_TYPE_ECHO_REQUEST 8 /**< echo request (ping) */
#define SL_ICMP_TYPE_TIME_EXCEEDED 11 /**< time exceeded (TTL reached 0) */

/**
 * ICMP checksum over a message of @p len bytes (header + data) in one buffer.
 * The icmp_cksum field is treated as zero.
 * @return the value to store in icmp_cksum.
 */
static inline uint16_t
sl_icmp_cksum(const struct sl_icmp_hdr *icmp, size_t len)
{
	uint32_t sum = __sl_raw_cksum(icmp, len, 0);

	sum += (uint16_t)~icmp->icmp_cksum;
	return (uint16_t)~__sl_raw_cksum_reduce(sum);
}

#ifdef __cplusplus
}
#endif

#endif /* SL_ICMP_H */
