/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * ARP over Ethernet for IPv4 (RFC 826).
 */
#ifndef SL_ARP_H
#define SL_ARP_H

#include <stdint.h>

#include "sl_common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SL_ARP_HRD_ETHER 1     /**< hardware type: Ethernet (10Mb) */
#define SL_ARP_OP_REQUEST 1 /**< operation: request */
#define SL_ARP_OP_REPLY 2 /**< operation: reply */

/** Ethernet/IPv4 ARP body, after the Ethernet header (RFC 826). */
struct sl_arp_hdr {
	uint16_t arp_hardware; /**< SL_ARP_HRD_ETHER, network order */
	uint16_t arp_protocol; /**< 0x0800 (IPv4), network order */
	uint8_t arp_hlen;      /**< 6 */
	uint8_t arp_plen;      /**< 4 */
	uint16_t arp_opcode;   /**< SL_ARP_OP_*, network order */
	uint8_t arp_sha[6];    /**< sender hardware address */
	uint32_t arp_sip;      /**< sender IPv4 address, network order */
	uint8_t arp_tha[6];    /**< target hardware address */
	uint32_t arp_tip;      /**< target IPv4 address, network order */
} __sl_packed;

static_assert(sizeof(struct sl_arp_hdr) == 28, "Ethernet/IPv4 ARP body is 28 bytes");

#ifdef __cplusplus
}
#endif

#endif /* SL_ARP_H */
