/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_pcap: a port whose packets come from and go to pcap files or, through
 * libpcap, a live Linux interface.
 *
 *   --vdev net_pcap0,rx_pcap=in.pcap[,infinite_rx=1],tx_pcap=out.pcap
 *   --vdev net_pcap0,iface=eth0           (RX and TX on one interface)
 *   --vdev net_pcap0,rx_iface=eth0,tx_iface=eth1
 *   (any RX source with any TX sink; one of them may be left out)
 *
 * Specs: libpcap 1.10 pcap(3PCAP) and the pages cited at each step; file
 * formats draft-ietf-opsawg-pcap and draft-ietf-opsawg-pcapng.  User guide:
 * doc/drivers/pcap.md.
 *
 * Everything that can be wrong with the arguments is found at probe, so the
 * port never starts on a bad file: an input file is read once from end to
 * end (a corrupt or truncated record fails the probe, naming the record and
 * its offset), an output file is created, an interface is activated.  With
 * infinite_rx the packets of that pass are kept in memory and replayed.
 */
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sl_bus_vdev.h"
#include "sl_kvargs.h"
#include "sl_log.h"
#include "sl_malloc.h"
#include "sl_mbuf.h"
#include "pcap_ethdev.h"

#define PCAP_KEY_RX_PCAP "rx_pcap"
#define PCAP_KEY_TX_PCAP "tx_pcap"
#define PCAP_KEY_RX_IFACE "rx_iface"
#define PCAP_KEY_TX_IFACE "tx_iface"
#define PCAP_KEY_IFACE "iface"
#define PCAP_KEY_INFINITE_RX "infinite_rx"

/* Most bytes of packet data infinite_rx keeps in memory. */
#define PCAP_MEM_MAX_BYTES (1ULL << 30)
/* pcap file header (draft-ietf-opsawg-pcap §4) and pcapng's first block type. */
#define PCAP_FILE_HDR_LEN 24
#define PCAPNG_SHB_TYPE 0x0A0D0D0Au
/* Live capture: kernel ring size and block timeout (see pcap_open_iface()). */
#define PCAP_LIVE_BUFFER (16 << 20)
#define PCAP_LIVE_TIMEOUT_MS 1

static const char *const pcap_valid_keys[] = {
	PCAP_KEY_RX_PCAP, PCAP_KEY_TX_PCAP, PCAP_KEY_RX_IFACE, PCAP_KEY_TX_IFACE,
	PCAP_KEY_IFACE, PCAP_KEY_INFINITE_RX, NULL
};

struct pcap_private {
	enum pcap_rx_kind rx_kind;
	enum pcap_tx_kind tx_kind;
	char rx_path[PATH_MAX];
	char tx_path[PATH_MAX];
	char rx_if[IFNAMSIZ];
	char tx_if[IFNAMSIZ];
	pcap_t *rx_pcap;          /* FILE: the open file; IFACE: the live handle */
	pcap_t *tx_pcap;          /* FILE: the dead handle; IFACE: live (maybe rx_pcap) */
	pcap_dumper_t *dumper;    /* FILE */
	bool rx_is_pcapng;
	uint64_t rx_file_pkts;    /* packets in the input file */
	struct pcap_mem mem;      /* infinite_rx */
	struct pcap_stat ps_base; /* IFACE RX: kernel drops at the last reset */
	/* FILE RX: where the last queue left the file (a port may set up its
	 * queue again; the file goes on from there, as a wire would). */
	struct pcap_file_pos rx_pos;
	struct pcap_pkthdr *rx_pend_h;
	const u_char *rx_pend_data;
	int ctl_fd;               /* netdevice ioctls (IFACE) */
	bool told_write_error;
};

/* ---- files ---- */

void
pcap_log_read_error(const char *port, const char *path, pcap_t *p, uint64_t rec_no,
		    uint64_t off)
{
	FILE *f = pcap_file(p);
	long end = f != NULL ? ftell(f) : -1;
	char where[64] = "";

	if (off != UINT64_MAX)
		snprintf(where, sizeof(where), " at byte offset %llu", (unsigned long long)off);
	if (rec_no == 0)
		SL_LOG(ERR, NET_PCAP, "%s: rx_pcap=%s: record 1%s is corrupt or truncated: %s "
		       "(libpcap stopped at byte %ld). No packet of the file is readable: capture "
		       "it again", port, path, where, pcap_geterr(p), end);
	else
		SL_LOG(ERR, NET_PCAP, "%s: rx_pcap=%s: record %llu%s is corrupt or truncated: %s "
		       "(libpcap stopped at byte %ld). The %llu record(s) before it are intact: "
		       "keep them with 'editcap -r %s fixed.pcap 1-%llu', or capture the file "
		       "again", port, path, (unsigned long long)rec_no + 1, where, pcap_geterr(p),
		       end, (unsigned long long)rec_no, path, (unsigned long long)rec_no);
}

/* Open @p path for reading with nanosecond timestamps; logs every failure. */
static pcap_t *
pcap_open_in(const char *port, const char *path, bool *is_pcapng)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	unsigned char magic[4] = { 0 };
	size_t got;
	pcap_t *p;
	FILE *f;

	f = fopen(path, "rb");
	if (f == NULL) {
		int err = errno;

		SL_LOG(ERR, NET_PCAP, "%s: rx_pcap=%s: cannot open: %s; %s", port, path,
		       strerror(err), err == ENOENT ? "give the path of an existing pcap or pcapng "
		       "file" : err == EACCES ? "make the file readable by this user" : "check the path");
		errno = err;
		return NULL;
	}
	got = fread(magic, 1, sizeof(magic), f);
	rewind(f);
	*is_pcapng = got == 4 && ((uint32_t)magic[0] | (uint32_t)magic[1] << 8 |
				  (uint32_t)magic[2] << 16 | (uint32_t)magic[3] << 24) == PCAPNG_SHB_TYPE;
	/* pcap_open_offline(3PCAP): on success libpcap owns f and closes it. */
	p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (p == NULL) {
		fclose(f);
		if (got < 4 || strstr(errbuf, "truncated") != NULL)
			SL_LOG(ERR, NET_PCAP, "%s: rx_pcap=%s: the file header is cut short "
			       "(libpcap: %s); give a complete pcap or pcapng file", port, path,
			       errbuf);
		else
			SL_LOG(ERR, NET_PCAP, "%s: rx_pcap=%s: not a readable pcap or pcapng file: %s "
			       "(the file starts with %02x %02x %02x %02x; a pcap file starts with "
			       "d4 c3 b2 a1 or 4d 3c b2 a1, a pcapng file with 0a 0d 0d 0a)", port,
			       path, errbuf, magic[0], magic[1], magic[2], magic[3]);
		errno = EINVAL;
		return NULL;
	}
	if (pcap_datalink(p) != DLT_EN10MB) {
		SL_LOG(ERR, NET_PCAP, "%s: rx_pcap=%s: link type %d (%s), not Ethernet; the port "
		       "carries Ethernet frames only: convert it (e.g. 'editcap -T ether') or "
		       "capture on an Ethernet interface", port, path, pcap_datalink(p),
		       pcap_datalink_val_to_name(pcap_datalink(p)) ?: "unknown");
		pcap_close(p);
		errno = EPROTONOSUPPORT;
		return NULL;
	}
	return p;
}

static int
mem_grow(struct pcap_mem *mem, uint32_t *cap_pkts, uint64_t *cap_data, uint64_t data_len,
	 uint64_t more)
{
	if (mem->nb_pkts == *cap_pkts) {
		uint32_t n = *cap_pkts ? *cap_pkts * 2 : 1024;
		void *np = realloc(mem->pkts, (size_t)n * sizeof(*mem->pkts));

		if (np == NULL)
			return -ENOMEM;
		mem->pkts = np;
		*cap_pkts = n;
	}
	if (data_len + more > *cap_data) {
		uint64_t n = SL_MAX(*cap_data * 2, data_len + more);
		void *nd = realloc(mem->data, (size_t)n);

		if (nd == NULL)
			return -ENOMEM;
		mem->data = nd;
		*cap_data = n;
	}
	return 0;
}

/*
 * Read the whole input file once: every record must be readable.  With
 * @p mem, keep the packets there (infinite_rx).  Then leave priv->rx_pcap
 * open at the first record for streaming (without @p mem).
 */
static int
pcap_scan_in(const char *port, struct pcap_private *priv, struct pcap_mem *mem)
{
	uint64_t rec = 0, off = PCAP_FILE_HDR_LEN, data_len = 0, cap_data = 0, snapped = 0;
	uint64_t first_ts = 0, last_ts = 0, prev_ts = 0;
	uint32_t cap_pkts = 0;
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *p;
	int rc, ret = 0;

	p = pcap_open_in(port, priv->rx_path, &priv->rx_is_pcapng);
	if (p == NULL)
		return -errno;
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000000ULL + (uint64_t)h->ts.tv_usec;

		if (h->caplen < h->len)
			snapped++;
		if (mem != NULL) {
			if (data_len + h->caplen > PCAP_MEM_MAX_BYTES) {
				SL_LOG(ERR, NET_PCAP, "%s: rx_pcap=%s: infinite_rx keeps the file in "
				       "memory, and it holds more than %llu bytes of packets; loop a "
				       "shorter file (editcap -r)", port, priv->rx_path,
				       PCAP_MEM_MAX_BYTES);
				ret = -EFBIG;
				goto out;
			}
			ret = mem_grow(mem, &cap_pkts, &cap_data, data_len, h->caplen);
			if (ret < 0) {
				SL_LOG(ERR, NET_PCAP, "%s: rx_pcap=%s: out of memory loading the "
				       "file for infinite_rx", port, priv->rx_path);
				goto out;
			}
			memcpy(mem->data + data_len, data, h->caplen);
			mem->pkts[mem->nb_pkts].ts_ns = ts;
			mem->pkts[mem->nb_pkts].off = data_len;
			mem->pkts[mem->nb_pkts].len = h->caplen;
			mem->nb_pkts++;
			data_len += h->caplen;
		}
		if (rec == 0)
			first_ts = ts;
		prev_ts = last_ts;
		last_ts = ts;
		rec++;
		off += 16 + h->caplen;
	}
	if (rc != PCAP_ERROR_BREAK) {
		pcap_log_read_error(port, priv->rx_path, p, rec,
				    priv->rx_is_pcapng ? UINT64_MAX : off);
		ret = -EINVAL;
		goto out;
	}
	if (mem != NULL) {
		if (rec == 0) {
			SL_LOG(ERR, NET_PCAP, "%s: rx_pcap=%s has no packets: infinite_rx has "
			       "nothing to loop; give a file with packets", port, priv->rx_path);
			ret = -EINVAL;
			goto out;
		}
		/* Replay back to back: the next pass starts one inter-packet gap
		 * (the last one, or 1 us for a single packet) after the last
		 * packet, so timestamps keep increasing. */
		mem->period_ns = last_ts - first_ts + (rec > 1 && last_ts > prev_ts ?
						       last_ts - prev_ts : 1000);
	}
	if (snapped != 0)
		SL_LOG(WARNING, NET_PCAP, "%s: rx_pcap=%s: %llu packet(s) were cut at capture "
		       "(snaplen %d): they are received as captured, shorter than on the wire",
		       port, priv->rx_path, (unsigned long long)snapped, pcap_snapshot(p));
	priv->rx_file_pkts = rec;
out:
	pcap_close(p);
	if (ret == 0 && mem == NULL) {
		priv->rx_pcap = pcap_open_in(port, priv->rx_path, &priv->rx_is_pcapng);
		if (priv->rx_pcap == NULL)
			ret = -errno; /* changed under us; logged */
	}
	return ret;
}

static int
pcap_open_out(const char *port, struct pcap_private *priv)
{
	/* pcap_open_dead(3PCAP): a handle for writing only; nanosecond
	 * precision makes pcap_dump_open() write the 0xa1b23c4d magic. */
	priv->tx_pcap = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, PCAP_MAX_SNAPLEN,
							     PCAP_TSTAMP_PRECISION_NANO);
	if (priv->tx_pcap == NULL) {
		SL_LOG(ERR, NET_PCAP, "%s: out of memory opening tx_pcap=%s", port, priv->tx_path);
		return -ENOMEM;
	}
	errno = 0;
	priv->dumper = pcap_dump_open(priv->tx_pcap, priv->tx_path);
	if (priv->dumper == NULL) {
		int err = errno ? errno : EIO;

		SL_LOG(ERR, NET_PCAP, "%s: tx_pcap=%s: cannot create the file: %s; check that the "
		       "directory exists and is writable", port, priv->tx_path,
		       pcap_geterr(priv->tx_pcap));
		return -err;
	}
	return 0;
}

/* ---- interfaces ---- */

/* Activate a live handle on @p ifname (pcap_activate(3PCAP)). */
static pcap_t *
pcap_open_iface(const char *port, const char *key, const char *ifname, int *ret)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p;
	int rc;

	p = pcap_create(ifname, errbuf);
	if (p == NULL) {
		SL_LOG(ERR, NET_PCAP, "%s: %s=%s: %s", port, key, ifname, errbuf);
		*ret = -ENOMEM;
		return NULL;
	}
	/* Whole frames, every frame on the wire, with nanosecond timestamps
	 * (pcap_set_*(3PCAP), before activation).  Not immediate mode: on
	 * Linux that makes libpcap fall back to TPACKET_V2, whose ring has one
	 * snaplen-sized slot per frame, so a 2 MiB buffer holds 8 frames and a
	 * burst overflows it.  TPACKET_V3 packs frames into blocks that the
	 * kernel hands over when full or after the timeout: 1 ms at most of
	 * added latency, and a buffer that holds thousands of small frames. */
	pcap_set_snaplen(p, PCAP_MAX_SNAPLEN);
	pcap_set_promisc(p, 1);
	pcap_set_timeout(p, PCAP_LIVE_TIMEOUT_MS);
	pcap_set_buffer_size(p, PCAP_LIVE_BUFFER);
	pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);
	rc = pcap_activate(p);
	if (rc < 0) {
		switch (rc) {
		case PCAP_ERROR_NO_SUCH_DEVICE:
			SL_LOG(ERR, NET_PCAP, "%s: %s=%s: no such interface; list them with "
			       "'ip link' (is it in another network namespace?)", port, key, ifname);
			*ret = -ENODEV;
			break;
		case PCAP_ERROR_PERM_DENIED:
		case PCAP_ERROR_PROMISC_PERM_DENIED:
			SL_LOG(ERR, NET_PCAP, "%s: %s=%s: permission denied (%s): capturing needs "
			       "CAP_NET_RAW; run as root or grant it with 'setcap "
			       "cap_net_raw,cap_net_admin+ep <program>'", port, key, ifname,
			       pcap_geterr(p));
			*ret = -EPERM;
			break;
		case PCAP_ERROR_IFACE_NOT_UP:
			SL_LOG(ERR, NET_PCAP, "%s: %s=%s: the interface is down; bring it up with "
			       "'ip link set %s up'", port, key, ifname, ifname);
			*ret = -ENETDOWN;
			break;
		default:
			SL_LOG(ERR, NET_PCAP, "%s: %s=%s: %s: %s", port, key, ifname,
			       pcap_statustostr(rc), pcap_geterr(p));
			*ret = -EIO;
			break;
		}
		pcap_close(p);
		return NULL;
	}
	if (rc > 0)
		SL_LOG(WARNING, NET_PCAP, "%s: %s=%s: %s: %s", port, key, ifname,
		       pcap_statustostr(rc), pcap_geterr(p));
	if (pcap_datalink(p) != DLT_EN10MB) {
		SL_LOG(ERR, NET_PCAP, "%s: %s=%s: link type %s, not Ethernet; use an Ethernet "
		       "interface", port, key, ifname,
		       pcap_datalink_val_to_name(pcap_datalink(p)) ?: "unknown");
		pcap_close(p);
		*ret = -EPROTONOSUPPORT;
		return NULL;
	}
	/* Polled: a read that finds nothing returns at once. */
	if (pcap_setnonblock(p, 1, errbuf) < 0) {
		SL_LOG(ERR, NET_PCAP, "%s: %s=%s: %s", port, key, ifname, errbuf);
		pcap_close(p);
		*ret = -EIO;
		return NULL;
	}
	*ret = 0;
	return p;
}

/*
 * The TX handle is never read: a filter that accepts nothing keeps the kernel
 * from copying every frame of the interface into its ring
 * (pcap_setfilter(3PCAP); "less 0" is true of no frame).
 */
static int
pcap_receive_nothing(const char *port, pcap_t *p, const char *ifname)
{
	struct bpf_program prog;
	int rc;

	if (pcap_compile(p, &prog, "less 0", 1, PCAP_NETMASK_UNKNOWN) < 0) {
		SL_LOG(ERR, NET_PCAP, "%s: tx_iface=%s: %s", port, ifname, pcap_geterr(p));
		return -EINVAL;
	}
	rc = pcap_setfilter(p, &prog);
	pcap_freecode(&prog);
	if (rc < 0) {
		SL_LOG(ERR, NET_PCAP, "%s: tx_iface=%s: %s", port, ifname, pcap_geterr(p));
		return -EIO;
	}
	return 0;
}

/* ---- dev_ops ---- */

static int
pcap_infos_get(struct sl_eth_dev *dev, struct sl_eth_dev_info *info)
{
	struct pcap_private *priv = dev->data.dev_private;

	info->driver_name = "net_pcap";
	info->if_index = priv->rx_kind == PCAP_RX_IFACE ? if_nametoindex(priv->rx_if) :
			 priv->tx_kind == PCAP_TX_IFACE ? if_nametoindex(priv->tx_if) : 0;
	info->max_rx_queues = 1;
	info->max_tx_queues = 1;
	info->min_mtu = SL_ETHER_MIN_MTU;
	info->max_mtu = UINT16_MAX - SL_ETHER_HDR_LEN - SL_VLAN_HLEN;
	info->max_rx_pktlen = PCAP_MAX_SNAPLEN;
	info->min_rx_bufsize = 0; /* long packets are copied into mbuf chains */
	info->tx_offload_capa = SL_ETH_TX_OFFLOAD_MULTI_SEGS;
	info->speed_capa = SL_ETH_LINK_SPEED_10G;
	return 0;
}

static int
pcap_configure(struct sl_eth_dev *dev __sl_unused)
{
	return 0; /* queue counts are bounded by max_*_queues in the ethdev layer */
}

static int
pcap_link_update(struct sl_eth_dev *dev, int wait __sl_unused)
{
	struct sl_eth_link link = { .link_speed = SL_ETH_SPEED_NUM_NONE,
				    .link_duplex = SL_ETH_LINK_FULL_DUPLEX,
				    .link_autoneg = SL_ETH_LINK_FIXED };

	/* A file is always "connected"; an interface's carrier is libpcap's
	 * business (it reports errors through the counters). */
	if (dev->state == SL_ETH_DEV_STARTED) {
		link.link_status = SL_ETH_LINK_UP;
		link.link_speed = SL_ETH_SPEED_NUM_10G;
	}
	sl_eth_linkstatus_set(dev, &link);
	return 0;
}

static int
pcap_start(struct sl_eth_dev *dev)
{
	struct sl_eth_link link = { .link_speed = SL_ETH_SPEED_NUM_10G,
				    .link_duplex = SL_ETH_LINK_FULL_DUPLEX,
				    .link_autoneg = SL_ETH_LINK_FIXED,
				    .link_status = SL_ETH_LINK_UP };

	sl_eth_linkstatus_set(dev, &link);
	return 0;
}

/* Flush what TX buffered, so that a stopped port's file is complete. */
static int
pcap_flush(struct sl_eth_dev *dev)
{
	struct pcap_private *priv = dev->data.dev_private;

	if (priv->dumper == NULL)
		return 0;
	if (pcap_dump_flush(priv->dumper) < 0 || ferror(pcap_dump_file(priv->dumper))) {
		if (!priv->told_write_error)
			SL_LOG(ERR, NET_PCAP, "%s: tx_pcap=%s: writing failed (%s): the file is "
			       "incomplete; packets sent since count as oerrors; free disk space "
			       "and restart", dev->data.name, priv->tx_path, strerror(errno));
		priv->told_write_error = true;
		return -EIO;
	}
	return 0;
}

static int
pcap_stop(struct sl_eth_dev *dev)
{
	struct sl_eth_link link = { .link_speed = SL_ETH_SPEED_NUM_NONE,
				    .link_duplex = SL_ETH_LINK_FULL_DUPLEX };

	sl_eth_linkstatus_set(dev, &link);
	return pcap_flush(dev);
}

static void
pcap_private_free(struct pcap_private *priv)
{
	if (priv->dumper != NULL)
		pcap_dump_close(priv->dumper);
	if (priv->tx_pcap != NULL)
		pcap_close(priv->tx_pcap);
	if (priv->rx_pcap != NULL)
		pcap_close(priv->rx_pcap);
	free(priv->mem.pkts);
	free(priv->mem.data);
	if (priv->ctl_fd >= 0)
		close(priv->ctl_fd);
	sl_free(priv);
}

static int
pcap_close_dev(struct sl_eth_dev *dev)
{
	int ret = 0;

	if (dev->data.dev_private != NULL) {
		ret = pcap_flush(dev);
		pcap_private_free(dev->data.dev_private);
		dev->data.dev_private = NULL;
	}
	return ret;
}

static int
pcap_stats_get(struct sl_eth_dev *dev, struct sl_eth_stats *st)
{
	struct pcap_private *priv = dev->data.dev_private;
	struct pcap_stat ps;

	(void)sl_eth_queue_stats_sum(dev, st, offsetof(struct pcap_rxq, stats),
				     offsetof(struct pcap_txq, stats));
	/* pcap_stats(3PCAP) on Linux: ps_drop counts frames the kernel dropped
	 * because the capture ring was full.  This runs on the control thread
	 * while RX may poll the same handle: in libpcap 1.10's pcap-linux.c
	 * only pcap_stats_linux() touches the handle's counters (the read path
	 * does not), and it gets the kernel's with a PACKET_STATISTICS
	 * getsockopt, which the kernel serialises against receive. */
	if (priv->rx_kind == PCAP_RX_IFACE && pcap_stats(priv->rx_pcap, &ps) == 0)
		st->imissed += (uint64_t)(ps.ps_drop - priv->ps_base.ps_drop);
	return 0;
}

static int
pcap_stats_reset(struct sl_eth_dev *dev)
{
	struct pcap_private *priv = dev->data.dev_private;

	if (priv->rx_kind == PCAP_RX_IFACE)
		pcap_stats(priv->rx_pcap, &priv->ps_base);
	return sl_eth_queue_stats_reset(dev, offsetof(struct pcap_rxq, stats),
					offsetof(struct pcap_txq, stats));
}

/* Files take every packet; live handles are opened promiscuous. */
static int
pcap_accept(struct sl_eth_dev *dev __sl_unused)
{
	return 0;
}

static int
pcap_mac_addr_set(struct sl_eth_dev *dev __sl_unused, const struct sl_ether_addr *mac __sl_unused)
{
	return 0; /* the port's own address, used by the application only */
}

static int
pcap_mtu_set(struct sl_eth_dev *dev __sl_unused, uint16_t mtu __sl_unused)
{
	return 0; /* nothing enforces an MTU on a file; an interface keeps its own */
}

static int
pcap_rx_queue_setup(struct sl_eth_dev *dev, uint16_t queue_id, uint16_t nb_desc __sl_unused,
		    int socket_id, const struct sl_eth_rxconf *conf __sl_unused,
		    struct sl_mempool *mp)
{
	struct pcap_private *priv = dev->data.dev_private;
	uint16_t room = sl_mbuf_data_room_size(mp);
	struct pcap_rxq *rxq;

	if (room <= SL_PKTMBUF_HEADROOM) {
		SL_LOG(ERR, NET_PCAP, "%s: RX queue %u: pool '%s' has mbufs of %u bytes, no room "
		       "after the %u-byte headroom; use a packet pool (e.g. data room %u)",
		       dev->data.name, queue_id, mp->name, room, SL_PKTMBUF_HEADROOM,
		       SL_MBUF_DEFAULT_BUF_SIZE);
		return -EINVAL;
	}
	rxq = sl_zmalloc_socket("pcap_rxq", sizeof(*rxq), SL_CACHE_LINE_SIZE, socket_id);
	if (rxq == NULL)
		return -ENOMEM;
	rxq->kind = priv->rx_kind;
	rxq->port_id = dev->data.port_id;
	rxq->queue_id = queue_id;
	rxq->seg_room = (uint32_t)room - SL_PKTMBUF_HEADROOM;
	rxq->pcap = priv->rx_pcap;
	rxq->mem = &priv->mem;
	rxq->is_pcapng = priv->rx_is_pcapng;
	rxq->file_pos = priv->rx_pos;
	rxq->pend_h = priv->rx_pend_h;
	rxq->pend_data = priv->rx_pend_data;
	rxq->path = priv->rx_path;
	rxq->port_name = dev->data.name;
	rxq->mp = mp;
	dev->data.rx_queues[queue_id] = rxq;
	return 0;
}

static int
pcap_tx_queue_setup(struct sl_eth_dev *dev, uint16_t queue_id, uint16_t nb_desc __sl_unused,
		    int socket_id, const struct sl_eth_txconf *conf __sl_unused)
{
	struct pcap_private *priv = dev->data.dev_private;
	struct pcap_txq *txq;

	txq = sl_zmalloc_socket("pcap_txq", sizeof(*txq), SL_CACHE_LINE_SIZE, socket_id);
	if (txq == NULL)
		return -ENOMEM;
	txq->bounce = malloc(PCAP_MAX_SNAPLEN);
	if (txq->bounce == NULL) {
		sl_free(txq);
		return -ENOMEM;
	}
	txq->kind = priv->tx_kind;
	txq->queue_id = queue_id;
	txq->dumper = priv->dumper;
	txq->pcap = priv->tx_pcap;
	dev->data.tx_queues[queue_id] = txq;
	return 0;
}

/* The handles belong to the port (closed in dev_close), not the queues. */
static void
pcap_rx_queue_release(struct sl_eth_dev *dev, uint16_t queue_id)
{
	struct pcap_rxq *rxq = dev->data.rx_queues[queue_id];
	struct pcap_private *priv = dev->data.dev_private;

	/* The next queue continues the file from here (see setup). */
	if (rxq != NULL && priv != NULL) {
		priv->rx_pos = rxq->file_pos;
		priv->rx_pend_h = rxq->pend_h;
		priv->rx_pend_data = rxq->pend_data;
	}
	sl_free(rxq);
}

static void
pcap_tx_queue_release(struct sl_eth_dev *dev, uint16_t queue_id)
{
	struct pcap_txq *txq = dev->data.tx_queues[queue_id];

	if (txq != NULL)
		free(txq->bounce);
	sl_free(txq);
}

static const struct sl_eth_dev_ops pcap_ops = {
	.dev_infos_get = pcap_infos_get,
	.dev_configure = pcap_configure,
	.dev_start = pcap_start,
	.dev_stop = pcap_stop,
	.dev_close = pcap_close_dev,
	.link_update = pcap_link_update,
	.stats_get = pcap_stats_get,
	.stats_reset = pcap_stats_reset,
	.promiscuous_enable = pcap_accept,
	.promiscuous_disable = pcap_accept,
	.allmulticast_enable = pcap_accept,
	.allmulticast_disable = pcap_accept,
	.mac_addr_set = pcap_mac_addr_set,
	.mtu_set = pcap_mtu_set,
	.rx_queue_setup = pcap_rx_queue_setup,
	.tx_queue_setup = pcap_tx_queue_setup,
	.rx_queue_release = pcap_rx_queue_release,
	.tx_queue_release = pcap_tx_queue_release,
};

/* ---- vdev probe / remove ---- */

/* Read the string @p key into @p buf; 1 if given, 0 if not, <0 on error. */
static int
get_str(const char *port, struct sl_kvargs *kv, const char *key, char *buf, size_t size)
{
	int ret = sl_kvargs_get_string(kv, key, buf, size);

	if (ret == -ENOENT)
		return 0;
	if (ret == -EINVAL)
		SL_LOG(ERR, NET_PCAP, "%s: %s= is empty: give a %s", port, key,
		       strstr(key, "iface") ? "interface name (see 'ip link')" : "file path");
	return ret < 0 ? ret : 1;
}

static int
pcap_parse(const char *port, const char *args, struct pcap_private *priv, bool *infinite)
{
	char iface[IFNAMSIZ] = "";
	struct sl_kvargs *kv;
	int r[5], ret;

	kv = sl_kvargs_parse(port, args, pcap_valid_keys);
	if (kv == NULL)
		return -errno;
	r[0] = get_str(port, kv, PCAP_KEY_RX_PCAP, priv->rx_path, sizeof(priv->rx_path));
	r[1] = get_str(port, kv, PCAP_KEY_TX_PCAP, priv->tx_path, sizeof(priv->tx_path));
	r[2] = get_str(port, kv, PCAP_KEY_RX_IFACE, priv->rx_if, sizeof(priv->rx_if));
	r[3] = get_str(port, kv, PCAP_KEY_TX_IFACE, priv->tx_if, sizeof(priv->tx_if));
	r[4] = get_str(port, kv, PCAP_KEY_IFACE, iface, sizeof(iface));
	ret = sl_kvargs_get_bool(kv, PCAP_KEY_INFINITE_RX, infinite);
	sl_kvargs_free(kv);
	for (unsigned int i = 0; i < SL_DIM(r); i++)
		if (r[i] < 0)
			return r[i];
	if (ret < 0 && ret != -ENOENT)
		return ret;
	if (r[4] == 1 && (r[2] == 1 || r[3] == 1)) {
		SL_LOG(ERR, NET_PCAP, "%s: iface= means both rx_iface= and tx_iface=: give either "
		       "iface=IF or rx_iface=/tx_iface=", port);
		return -EINVAL;
	}
	if (r[4] == 1) {
		snprintf(priv->rx_if, sizeof(priv->rx_if), "%s", iface);
		snprintf(priv->tx_if, sizeof(priv->tx_if), "%s", iface);
		r[2] = r[3] = 1;
	}
	if (r[0] == 1 && r[2] == 1) {
		SL_LOG(ERR, NET_PCAP, "%s: rx_pcap= and %s both give the RX source: keep one",
		       port, r[4] == 1 ? "iface=" : "rx_iface=");
		return -EINVAL;
	}
	if (r[1] == 1 && r[3] == 1) {
		SL_LOG(ERR, NET_PCAP, "%s: tx_pcap= and %s both give the TX sink: keep one",
		       port, r[4] == 1 ? "iface=" : "tx_iface=");
		return -EINVAL;
	}
	if (r[0] + r[1] + r[2] + r[3] == 0) {
		SL_LOG(ERR, NET_PCAP, "%s: nothing to read or write: give rx_pcap=FILE and/or "
		       "tx_pcap=FILE, or iface=IF (or rx_iface=IF / tx_iface=IF)", port);
		return -EINVAL;
	}
	if (*infinite && r[0] != 1) {
		SL_LOG(ERR, NET_PCAP, "%s: infinite_rx=1 loops over the rx_pcap= file: give one",
		       port);
		return -EINVAL;
	}
	priv->rx_kind = r[0] == 1 ? (*infinite ? PCAP_RX_MEM : PCAP_RX_FILE) :
			r[2] == 1 ? PCAP_RX_IFACE : PCAP_RX_NONE;
	priv->tx_kind = r[1] == 1 ? PCAP_TX_FILE : r[3] == 1 ? PCAP_TX_IFACE : PCAP_TX_NONE;
	return 0;
}

/* The input and output must not be one file: creating the output would
 * empty the input. */
static int
pcap_check_same_file(const char *port, const struct pcap_private *priv)
{
	struct stat a, b;

	if (stat(priv->rx_path, &a) == 0 && stat(priv->tx_path, &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
		SL_LOG(ERR, NET_PCAP, "%s: rx_pcap=%s and tx_pcap=%s are the same file: writing "
		       "would destroy the input; give another tx_pcap path", port, priv->rx_path,
		       priv->tx_path);
		return -EINVAL;
	}
	return 0;
}

/* The interface's MAC address becomes the port's (SIOCGIFHWADDR, netdevice(7)). */
static void
pcap_iface_mac(struct pcap_private *priv, const char *ifname, struct sl_ether_addr *mac)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (priv->ctl_fd >= 0 && ioctl(priv->ctl_fd, SIOCGIFHWADDR, &ifr) == 0)
		memcpy(mac->addr_bytes, ifr.ifr_hwaddr.sa_data, SL_ETHER_ADDR_LEN);
}

static int
pcap_probe(struct sl_vdev_device *vdev)
{
	static const struct sl_ether_addr base = { { 0x02, 'P', 'C', 'A', 'P', 0 } };
	const char *port = vdev->name;
	struct pcap_private *priv;
	struct sl_eth_dev *dev;
	bool infinite = false;
	int ret;

	priv = sl_zmalloc_socket("pcap_private", sizeof(*priv), 0, vdev->socket_id);
	if (priv == NULL)
		return -ENOMEM;
	priv->ctl_fd = -1;
	priv->rx_pos.off = PCAP_FILE_HDR_LEN;
	ret = pcap_parse(port, vdev->args, priv, &infinite);
	if (ret < 0)
		goto fail;
	if (priv->rx_kind != PCAP_RX_NONE && priv->rx_kind != PCAP_RX_IFACE &&
	    priv->tx_kind == PCAP_TX_FILE) {
		ret = pcap_check_same_file(port, priv);
		if (ret < 0)
			goto fail;
	}
	if (priv->rx_kind == PCAP_RX_FILE || priv->rx_kind == PCAP_RX_MEM) {
		ret = pcap_scan_in(port, priv, infinite ? &priv->mem : NULL);
		if (ret < 0)
			goto fail;
	} else if (priv->rx_kind == PCAP_RX_IFACE) {
		priv->rx_pcap = pcap_open_iface(port, PCAP_KEY_RX_IFACE, priv->rx_if, &ret);
		if (priv->rx_pcap == NULL)
			goto fail;
		/* pcap_setdirection(3PCAP): only what arrives, so that frames we
		 * inject on the same interface do not come back as received. */
		if (pcap_setdirection(priv->rx_pcap, PCAP_D_IN) < 0)
			SL_LOG(WARNING, NET_PCAP, "%s: rx_iface=%s: %s: frames sent on the "
			       "interface are received too", port, priv->rx_if,
			       pcap_geterr(priv->rx_pcap));
		pcap_stats(priv->rx_pcap, &priv->ps_base);
	}
	if (priv->tx_kind == PCAP_TX_FILE) {
		ret = pcap_open_out(port, priv);
		if (ret < 0)
			goto fail;
	} else if (priv->tx_kind == PCAP_TX_IFACE) {
		/* A handle of its own even on the RX interface: RX and TX queues
		 * may be polled by two lcores at once, and a pcap_t is not
		 * thread-safe (pcap(3PCAP)). */
		priv->tx_pcap = pcap_open_iface(port, PCAP_KEY_TX_IFACE, priv->tx_if, &ret);
		if (priv->tx_pcap == NULL)
			goto fail;
		ret = pcap_receive_nothing(port, priv->tx_pcap, priv->tx_if);
		if (ret < 0)
			goto fail;
	}
	if (priv->rx_kind == PCAP_RX_IFACE || priv->tx_kind == PCAP_TX_IFACE)
		priv->ctl_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	dev = sl_eth_dev_allocate(port);
	if (dev == NULL) {
		ret = -errno;
		goto fail;
	}
	dev->data.mac_addr = base;
	dev->data.mac_addr.addr_bytes[5] = (uint8_t)dev->data.port_id;
	if (priv->rx_kind == PCAP_RX_IFACE)
		pcap_iface_mac(priv, priv->rx_if, &dev->data.mac_addr);
	else if (priv->tx_kind == PCAP_TX_IFACE)
		pcap_iface_mac(priv, priv->tx_if, &dev->data.mac_addr);
	dev->data.mtu = SL_ETHER_MTU;
	dev->data.dev_private = priv;
	dev->data.socket_id = vdev->socket_id;
	dev->dev_ops = &pcap_ops;
	dev->device = vdev;
	dev->rx_pkt_burst = pcap_rx;
	dev->tx_pkt_burst = pcap_tx;
	ret = sl_eth_dev_probing_finish(dev);
	if (ret < 0) {
		dev->data.dev_private = NULL;
		sl_eth_dev_release(dev);
		goto fail;
	}
	SL_LOG(INFO, NET_PCAP, "%s: port %u, RX %s%s%s, TX %s%s", port, dev->data.port_id,
	       priv->rx_kind == PCAP_RX_NONE ? "none" :
	       priv->rx_kind == PCAP_RX_IFACE ? priv->rx_if : priv->rx_path,
	       priv->rx_kind == PCAP_RX_MEM ? " (looped)" : "",
	       priv->rx_kind == PCAP_RX_FILE || priv->rx_kind == PCAP_RX_MEM ?
	       (priv->rx_is_pcapng ? " [pcapng]" : " [pcap]") : "",
	       priv->tx_kind == PCAP_TX_NONE ? "none (dropped)" :
	       priv->tx_kind == PCAP_TX_IFACE ? priv->tx_if : priv->tx_path,
	       priv->tx_kind == PCAP_TX_FILE ? " [pcap, ns]" : "");
	return 0;

fail:
	pcap_private_free(priv);
	return ret;
}

static int
pcap_remove(struct sl_vdev_device *vdev)
{
	struct sl_eth_dev *dev = sl_eth_dev_allocated(vdev->name);

	if (dev == NULL) /* the application closed the port already */
		return 0;
	return sl_eth_dev_close(dev->data.port_id);
}

static struct sl_vdev_driver pcap_vdev_driver = {
	.param_help = "rx_pcap=<file> tx_pcap=<file> infinite_rx=<0|1> rx_iface=<if> "
		      "tx_iface=<if> iface=<if>",
	.probe = pcap_probe,
	.remove = pcap_remove,
};

SL_VDEV_DRIVER_REGISTER(net_pcap, pcap_vdev_driver);
