/* SPDX-License-Identifier: BSD-3-Clause */
/* Interface control shared by the socket PMDs (see sl_netif.h). */
#include <errno.h>
#include <linux/ethtool.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <net/if_arp.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "sl_log.h"
#include "sl_netif.h"

int
sl_netif_ioctl(const struct sl_netif_ctl *c, unsigned long req, const char *reqname,
	       struct ifreq *ifr)
{
	snprintf(ifr->ifr_name, sizeof(ifr->ifr_name), "%s", c->iface);
	if (ioctl(c->fd, req, ifr) < 0) {
		int err = errno;

		sl_log(SL_LOG_ERR, c->log, "%s: %s on interface %s: %s", c->port, reqname,
		       c->iface, strerror(err));
		return -err;
	}
	return 0;
}

int
sl_netif_membership(const struct sl_netif_ctl *c, unsigned short type, bool on,
		    const char *what)
{
	struct packet_mreq mr = { .mr_ifindex = (int)c->ifindex, .mr_type = type };

	if (setsockopt(c->fd, SOL_PACKET, on ? PACKET_ADD_MEMBERSHIP : PACKET_DROP_MEMBERSHIP,
		       &mr, sizeof(mr)) < 0) {
		int err = errno;

		sl_log(SL_LOG_ERR, c->log, "%s: %s %s mode on %s: %s", c->port,
		       on ? "enabling" : "disabling", what, c->iface, strerror(err));
		return -err;
	}
	return 0;
}

int
sl_netif_link_get(const struct sl_netif_ctl *c, struct sl_eth_link *link)
{
	struct ethtool_cmd ecmd = { .cmd = ETHTOOL_GSET };
	struct ifreq ifr;
	int ret;

	*link = (struct sl_eth_link){ .link_speed = SL_ETH_SPEED_NUM_NONE,
				      .link_duplex = SL_ETH_LINK_FULL_DUPLEX,
				      .link_autoneg = SL_ETH_LINK_AUTONEG };
	memset(&ifr, 0, sizeof(ifr));
	ret = sl_netif_ioctl(c, SIOCGIFFLAGS, "SIOCGIFFLAGS", &ifr);
	if (ret < 0)
		return ret;
	if (!(ifr.ifr_flags & IFF_UP) || !(ifr.ifr_flags & IFF_RUNNING))
		return 0;
	link->link_status = SL_ETH_LINK_UP;
	link->link_speed = SL_ETH_SPEED_NUM_UNKNOWN;
	/* ethtool is optional for virtual interfaces: no speed is not an error. */
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", c->iface);
	ifr.ifr_data = (void *)&ecmd;
	if (ioctl(c->fd, SIOCETHTOOL, &ifr) == 0) {
		uint32_t speed = ethtool_cmd_speed(&ecmd);

		if (speed != 0 && speed != (uint32_t)SPEED_UNKNOWN)
			link->link_speed = speed;
		link->link_duplex = ecmd.duplex == DUPLEX_HALF ? SL_ETH_LINK_HALF_DUPLEX :
								 SL_ETH_LINK_FULL_DUPLEX;
		link->link_autoneg = ecmd.autoneg == AUTONEG_ENABLE ? SL_ETH_LINK_AUTONEG :
								      SL_ETH_LINK_FIXED;
	}
	return 0;
}

int
sl_netif_mtu_get(const struct sl_netif_ctl *c, uint32_t *mtu)
{
	struct ifreq ifr;
	int ret;

	memset(&ifr, 0, sizeof(ifr));
	ret = sl_netif_ioctl(c, SIOCGIFMTU, "SIOCGIFMTU", &ifr);
	*mtu = ret == 0 ? (uint32_t)ifr.ifr_mtu : 0;
	return ret;
}

int
sl_netif_mtu_set(const struct sl_netif_ctl *c, uint16_t mtu)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_mtu = mtu;
	return sl_netif_ioctl(c, SIOCSIFMTU, "SIOCSIFMTU", &ifr);
}

int
sl_netif_mac_set(const struct sl_netif_ctl *c, const struct sl_ether_addr *mac)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
	memcpy(ifr.ifr_hwaddr.sa_data, mac->addr_bytes, SL_ETHER_ADDR_LEN);
	return sl_netif_ioctl(c, SIOCSIFHWADDR, "SIOCSIFHWADDR", &ifr);
}
