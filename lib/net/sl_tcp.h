/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * TCP header (RFC 9293, section 3.1).  Fields are in network byte order; the
 * checksum is computed with sl_ipv4_udptcp_cksum() / sl_ipv6_udptcp_cksum().
 */
#ifndef SL_TCP_H
#define SL_TCP_H

#include <stdint.h>

#include "sl_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** TCP header without options. */
struct sl_tcp_hdr {
	uint16_t src_port;  /**< network order */
	uint16_t dst_port;  /**< network order */
	uint32_t sent_seq;  /**< sequence number, network order */
	uint32_t recv_ack;  /**< acknowledgement number, network order */
	uint8_t data_off;   /**< header length in 32-bit words, in the high 4 bits */
	uint8_t tcp_flags;  /**< SL_TCP_*_FLAG */
	uint16_t rx_win;    /**< window, network order */
	uint16_t cksum; /**< checksum, network order */
	uint16_t tcp_urp;   /**< urgent pointer, network order */
} __sl_packed;

static_assert(sizeof(struct sl_tcp_hdr) == 20, "TCP header is 20 bytes");

#define SL_TCP_FIN_FLAG 0x01 /**< tcp_flags: no more data */
#define SL_TCP_SYN_FLAG 0x02 /**< tcp_flags: synchronise sequence numbers */
#define SL_TCP_RST_FLAG 0x04 /**< tcp_flags: reset */
#define SL_TCP_PSH_FLAG 0x08 /**< tcp_flags: push */
#define SL_TCP_ACK_FLAG 0x10 /**< tcp_flags: acknowledgment valid */
#define SL_TCP_URG_FLAG 0x20 /**< tcp_flags: urgent pointer valid */

/** @return the TCP header length in bytes (data offset * 4). */
static inline uint8_t
sl_tcp_hdr_len(const struct sl_tcp_hdr *t)
{
	return (uint8_t)((t->data_off >> 4) * 4);
}

#ifdef __cplusplus
}
#endif

#endif /* SL_TCP_H */
