/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * UDP header (RFC 768).  Fields are in network byte order; the checksum is
 * computed with sl_ipv4_udptcp_cksum() / sl_ipv6_udptcp_cksum() (sl_ip.h).
 */
#ifndef SL_UDP_H
#define SL_UDP_H

#include <stdint.h>

#include "sl_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** UDP header. */
struct sl_udp_hdr {
	uint16_t src_port;    /**< network order */
	uint16_t dst_port;    /**< network order */
	uint16_t dgram_len;   /**< header + payload length, network order */
	uint16_t dgram_cksum; /**< 0 = not computed (IPv4 only) */
} __sl_packed;

static_assert(sizeof(struct sl_udp_hdr) == 8, "UDP header is 8 bytes");

#ifdef __cplusplus
}
#endif

#endif /* SL_UDP_H */
