/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Control of the Linux network interface a socket PMD runs on: the ioctls
 * and packet-socket options that net_af_packet and net_af_xdp both need for
 * link state, MTU, MAC address and promiscuous / all-multicast mode.
 * Driver-private (under drivers/, never installed).  Not for the fast path:
 * every call is a system call.
 */
#ifndef SL_NETIF_H
#define SL_NETIF_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "sl_ethdev.h"

/* Shared by the in-tree socket PMDs only: not part of libsluice's ABI, so
 * hidden from its dynamic symbol table although the names start with sl_
 * (lib/libsluice.map exports sl_*). */
#pragma GCC visibility push(hidden)

/** One interface as a PMD sees it; errors are logged under @c log. */
struct sl_netif_ctl {
	const char *log;	/**< log component, e.g. "NET_AF_PACKET" */
	const char *port;	/**< port name, for messages */
	int fd;			/**< an AF_PACKET socket: ioctls and memberships */
	unsigned int ifindex;
	const char *iface;	/**< interface name */
};

/**
 * ioctl(2) @p req on the interface (its name is filled into @p ifr).
 * @return 0, or -errno of the ioctl (logged with @p reqname).
 */
int sl_netif_ioctl(const struct sl_netif_ctl *c, unsigned long req, const char *reqname,
		   struct ifreq *ifr);

/**
 * Join or leave a packet-socket membership (PACKET_MR_PROMISC,
 * PACKET_MR_ALLMULTI) on the interface; @p what names it in the log.
 * @return 0, or -errno of setsockopt(2) (e.g. -EPERM without CAP_NET_RAW).
 */
int sl_netif_membership(const struct sl_netif_ctl *c, unsigned short type, bool on,
			const char *what);

/**
 * Link state from the interface flags (up = IFF_UP and IFF_RUNNING), with
 * speed, duplex and autonegotiation from ethtool when the driver reports
 * them (virtual interfaces may not: the speed is then "unknown").
 * @return 0, or -errno of SIOCGIFFLAGS.
 */
int sl_netif_link_get(const struct sl_netif_ctl *c, struct sl_eth_link *link);

/** Set the interface MTU. @return 0 or -errno of SIOCSIFMTU (-EPERM, -EINVAL). */
int sl_netif_mtu_set(const struct sl_netif_ctl *c, uint16_t mtu);

/** Set the interface MAC address. @return 0 or -errno of SIOCSIFHWADDR. */
int sl_netif_mac_set(const struct sl_netif_ctl *c, const struct sl_ether_addr *mac);

#pragma GCC visibility pop

#endif /* SL_NETIF_H */
