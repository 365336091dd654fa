/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-e1000-e2e: traffic generator and checker for the e1000 VM tests.
 *
 *   sluice-e1000-e2e [EAL args] -- gen TX_PCI RX_PCI COUNT [options]
 *       Send COUNT numbered frames on TX_PCI and receive them on RX_PCI
 *       (through whatever sits in between: a QEMU hub, sluice-testpmd).
 *       Every frame carries its sequence number, length and a byte pattern
 *       derived from both; every received frame is checked byte for byte,
 *       and each sequence number must arrive exactly once.  At most
 *       --window frames are in flight, so no queue on the way can overflow
 *       and a lost frame is a bug, not congestion.
 *       Options: --window N (256), --max-size N (1514), --jumbo (MTU 9000,
 *       2-segment TX chains, multi-segment RX), --csum (IPv4/UDP frames
 *       with TX checksum offload, checksums verified on receipt),
 *       --timeout-ms N (5000 without progress).
 *       Also checks the port counters (software and hardware xstats).
 *
 *   ... -- cycles A_PCI B_PCI ROUNDS COUNT
 *       ROUNDS times: start both ports, A->B COUNT frames, stop/start,
 *       B->A COUNT frames, close both, detach and re-probe the PCI devices.
 *
 *   ... -- blast TX_PCI RX_PCI SECONDS SIZE
 *       Benchmark: send as fast as the PMD takes frames for SECONDS; print
 *       "pps tx=N rx=M" and the totals "total tx=N rx=M".
 *
 *   sluice-e1000-e2e afpacket IFNAME SECONDS SIZE
 *       Same frames through a kernel interface with AF_PACKET (no EAL);
 *       prints "pps tx=N".
 *
 * Exit status 0 only if everything matched.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "sl_bus_pci.h"
#include "sl_eal.h"
#include "sl_ethdev.h"
#include "sl_iommu.h"
#include "sl_mbuf.h"
#include "sl_mempool.h"

#define BURST 32
#define NB_MBUF 8191
#define RING 512
#define MAGIC 0x5e1ce2e0u
#define ETHERTYPE_TEST 0x88b5 /* IEEE local experimental */
#define HDR_LEN 14
#define MIN_FRAME 60
#define JUMBO_MTU 9000
#define JUMBO_FRAME (JUMBO_MTU + 14) /* MTU + Ethernet header */

struct opts {
	unsigned int window;
	unsigned int max_size;
	unsigned int timeout_ms;
	int jumbo;
	int csum;
	int grow;
};

static struct sl_mempool *pool;
static struct sl_mempool *jpool; /* jumbo TX segments */

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- frames ----------------------------------------------------------- */

static unsigned int
frame_len(uint32_t seq, const struct opts *o)
{
	unsigned int span = o->max_size - MIN_FRAME + 1;

	return MIN_FRAME + (unsigned int)(((uint64_t)seq * 2654435761u) % span);
}

static uint8_t
pattern(uint32_t seq, unsigned int i)
{
	return (uint8_t)(seq * 7u + i * 13u + (i >> 8));
}

static uint16_t
csum16(const void *p, size_t len, uint32_t sum)
{
	const uint8_t *b = p;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)b[i] << 8 | b[i + 1];
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/*
 * Layout.  Plain: Ethernet(0x88b5) | magic seq len | pattern.
 * --csum: Ethernet(IPv4) | IPv4 20 | UDP 8 | magic seq len | pattern.
 */
static unsigned int
payload_off(const struct opts *o)
{
	return o->csum ? HDR_LEN + 20 + 8 : HDR_LEN;
}

static void
fill_frame(uint8_t *f, uint32_t seq, unsigned int len, const struct opts *o)
{
	static const uint8_t dst[6] = { 0x02, 0, 0, 0, 0, 0x02 };
	static const uint8_t src[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	unsigned int off = payload_off(o);
	uint32_t v;
	uint16_t l16 = (uint16_t)len;

	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = o->csum ? 0x08 : 0x88;
	f[13] = o->csum ? 0x00 : 0xb5;
	v = htonl(MAGIC);
	memcpy(f + off, &v, 4);
	v = htonl(seq);
	memcpy(f + off + 4, &v, 4);
	memcpy(f + off + 8, &l16, 2);
	for (unsigned int i = off + 10; i < len; i++)
		f[i] = pattern(seq, i);
	if (o->csum) {
		uint8_t *ip = f + HDR_LEN, *udp = ip + 20;
		uint16_t iplen = (uint16_t)(len - HDR_LEN), udplen = (uint16_t)(iplen - 20);
		uint32_t ph;
		memset(ip, 0, 28);
		ip[0] = 0x45;
		ip[2] = (uint8_t)(iplen >> 8);
		ip[3] = (uint8_t)iplen;
		ip[8] = 64;
		ip[9] = 17; /* UDP */
		ip[12] = 10; ip[15] = 1;
		ip[16] = 10; ip[19] = 2;
		udp[0] = 0x30; udp[1] = 0x39; /* 12345 */
		udp[2] = 0x30; udp[3] = 0x3a;
		udp[4] = (uint8_t)(udplen >> 8);
		udp[5] = (uint8_t)udplen;
		/* IP checksum 0 and UDP checksum = pseudo-header sum: the NIC
		 * fills in the rest (SL_MBUF_F_TX_IP_CKSUM | _UDP_CKSUM). */
		ph = csum16(ip + 12, 8, 17u + udplen);
		udp[6] = (uint8_t)(ph >> 8);
		udp[7] = (uint8_t)ph;
	}
}

static struct sl_mbuf *
make_pkt(uint32_t seq, const struct opts *o)
{
	static uint8_t buf[JUMBO_FRAME + 64];
	unsigned int len = frame_len(seq, o);
	struct sl_mbuf *m = sl_mbuf_alloc(pool);

	if (m == NULL)
		return NULL;
	fill_frame(buf, seq, len, o);
	if (o->jumbo && len > 1024) {
		/* Two segments: the first 1000 bytes, then the rest. */
		struct sl_mbuf *t = sl_mbuf_alloc(jpool);
		if (t == NULL) {
			sl_mbuf_free(m);
			return NULL;
		}
		memcpy(sl_mbuf_append(m, 1000), buf, 1000);
		memcpy(sl_mbuf_append(t, (uint16_t)(len - 1000)), buf + 1000, len - 1000);
		sl_mbuf_chain(m, t);
	} else {
		memcpy(sl_mbuf_append(m, (uint16_t)len), buf, len);
	}
	if (o->csum) {
		m->ol_flags |= SL_MBUF_F_TX_IPV4 | SL_MBUF_F_TX_IP_CKSUM | SL_MBUF_F_TX_UDP_CKSUM;
		m->l2_len = HDR_LEN;
		m->l3_len = 20;
	}
	return m;
}

/* @return sequence number, or -1 and a reason. */
static int64_t
check_pkt(const struct sl_mbuf *m, const struct opts *o, const char **why)
{
	static uint8_t buf[JUMBO_FRAME + 64];
	unsigned int off = payload_off(o), len = m->pkt_len;
	uint32_t magic, seq;
	uint16_t l16;
	const uint8_t *f;

	if (len < off + 10 || len > sizeof(buf)) {
		*why = "bad length";
		return -1;
	}
	f = sl_mbuf_read(m, 0, len, buf);
	memcpy(&magic, f + off, 4);
	memcpy(&seq, f + off + 4, 4);
	memcpy(&l16, f + off + 8, 2);
	if (ntohl(magic) != MAGIC) {
		*why = "not a test frame";
		return -1;
	}
	seq = ntohl(seq);
	if (l16 != len || frame_len(seq, o) != len) {
		*why = "length differs from what was sent";
		return -1;
	}
	for (unsigned int i = off + 10; i < len; i++) {
		if (f[i] != pattern(seq, i)) {
			*why = "payload bytes differ";
			return -1;
		}
	}
	if (o->csum) {
		const uint8_t *ip = f + HDR_LEN, *udp = ip + 20;
		uint16_t udplen = (uint16_t)(len - HDR_LEN - 20);
		if (csum16(ip, 20, 0) != 0xffff) {
			*why = "IPv4 header checksum wrong";
			return -1;
		}
		if (csum16(udp, udplen, csum16(ip + 12, 8, 17u + udplen)) != 0xffff &&
		    !(udp[6] == 0 && udp[7] == 0)) {
			*why = "UDP checksum wrong";
			return -1;
		}
		if ((m->ol_flags & SL_MBUF_F_RX_IP_CKSUM_MASK) == SL_MBUF_F_RX_IP_CKSUM_BAD) {
			*why = "NIC flagged a good IP checksum as bad";
			return -1;
		}
	}
	return seq;
}

/* ---- ports --------------------------------------------------------------- */

static int
port_of(const char *pci, uint16_t *port)
{
	int ret = sl_eth_dev_get_port_by_name(pci, port);

	if (ret < 0)
		fprintf(stderr, "no port for %s (%s): is it bound to sluice-pci/vfio-pci?\n", pci,
			strerror(-ret));
	return ret;
}

static int
port_start(uint16_t port, const struct opts *o)
{
	struct sl_eth_conf conf = { 0 };
	struct sl_eth_link link;
	int ret;

	if (o->jumbo) {
		conf.rxmode.mtu = JUMBO_MTU;
		conf.rxmode.offloads |= SL_ETH_RX_OFFLOAD_SCATTER;
		conf.txmode.offloads |= SL_ETH_TX_OFFLOAD_MULTI_SEGS;
	}
	if (o->csum) {
		conf.rxmode.offloads |= SL_ETH_RX_OFFLOAD_IPV4_CKSUM | SL_ETH_RX_OFFLOAD_UDP_CKSUM;
		conf.txmode.offloads |= SL_ETH_TX_OFFLOAD_IPV4_CKSUM | SL_ETH_TX_OFFLOAD_UDP_CKSUM;
	}
	ret = sl_eth_dev_configure(port, 1, 1, &conf);
	if (ret == 0)
		ret = sl_eth_rx_queue_setup(port, 0, RING, SL_SOCKET_ID_ANY, NULL, pool);
	if (ret == 0)
		ret = sl_eth_tx_queue_setup(port, 0, RING, SL_SOCKET_ID_ANY, NULL);
	if (ret == 0)
		ret = sl_eth_promiscuous_enable(port);
	if (ret == 0)
		ret = sl_eth_dev_start(port);
	if (ret < 0) {
		fprintf(stderr, "port %u: setup failed: %s\n", port, strerror(-ret));
		return ret;
	}
	ret = sl_eth_link_get(port, &link);
	if (ret < 0 || link.link_status != SL_ETH_LINK_UP) {
		fprintf(stderr, "port %u: link is down\n", port);
		return -ENOLINK;
	}
	return 0;
}

static uint64_t
xstat(uint16_t port, const char *name)
{
	uint64_t id, v = UINT64_MAX;

	if (sl_eth_xstats_get_id_by_name(port, name, &id) == 0)
		sl_eth_xstats_get_by_id(port, &id, &v, 1);
	return v;
}

/* ---- gen ---------------------------------------------------------------- */

static volatile sig_atomic_t stop_flag;

static void
on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

/*
 * Send @p count frames tx->rx and check them.  @return 0 if every frame
 * arrived once and intact.
 */
static int
transfer(uint16_t tx, uint16_t rx, uint32_t count, const struct opts *o, int check_stats)
{
	uint8_t *seen = calloc(count ? count : 1, 1);
	struct sl_eth_stats st_tx0, st_rx0, st_tx, st_rx;
	uint64_t hw_tx0 = xstat(tx, "tx_good_packets_hw"), hw_rx0 = xstat(rx, "rx_good_packets_hw");
	uint32_t sent = 0, got = 0, bad = 0, dup = 0;
	uint64_t last_progress = now_ms(), t0 = now_ms();
	int ret = 0;

	if (seen == NULL)
		return -ENOMEM;
	sl_eth_stats_get(tx, &st_tx0);
	sl_eth_stats_get(rx, &st_rx0);
	while (got < count && !stop_flag) {
		struct sl_mbuf *pkts[BURST];
		uint16_t n;

		if (sent < count && sent - got < o->window) {
			uint32_t want = SL_MIN((uint32_t)BURST, count - sent);
			want = SL_MIN(want, o->window - (sent - got));
			for (n = 0; n < want; n++) {
				pkts[n] = make_pkt(sent + n, o);
				if (pkts[n] == NULL)
					break;
			}
			uint16_t done = sl_eth_tx_burst(tx, 0, pkts, n);
			for (uint16_t i = done; i < n; i++)
				sl_mbuf_free(pkts[i]);
			sent += done;
		}
		n = sl_eth_rx_burst(rx, 0, pkts, BURST);
		for (uint16_t i = 0; i < n; i++) {
			const char *why = NULL;
			int64_t seq = check_pkt(pkts[i], o, &why);
			if (seq < 0 || seq >= count) {
				if (bad++ < 5)
					fprintf(stderr, "bad frame (%u bytes): %s\n", pkts[i]->pkt_len,
						why ? why : "sequence out of range");
			} else if (seen[seq]) {
				dup++;
			} else {
				seen[seq] = 1;
				got++;
			}
			sl_mbuf_free(pkts[i]);
		}
		if (n)
			last_progress = now_ms();
		else if (now_ms() - last_progress > o->timeout_ms)
			break;
	}
	printf("transfer %s: sent %u received %u bad %u duplicate %u lost %u in %" PRIu64 " ms\n",
	       o->csum ? "csum" : o->jumbo ? "jumbo" : "plain", sent, got, bad, dup,
	       sent - got, now_ms() - t0);
	if (got != count || bad || dup || sent != count) {
		unsigned int shown = 0;
		ret = -EIO;
		for (uint32_t i = 0; i < sent && shown < 16; i++) {
			if (!seen[i]) {
				fprintf(stderr, "%s%u", shown ? " " : "missing sequence numbers: ", i);
				shown++;
			}
		}
		if (shown)
			fprintf(stderr, "\n");
	}
	if (check_stats) {
		uint64_t hw_tx = xstat(tx, "tx_good_packets_hw") - hw_tx0;
		uint64_t hw_rx = xstat(rx, "rx_good_packets_hw") - hw_rx0;
		sl_eth_stats_get(tx, &st_tx);
		sl_eth_stats_get(rx, &st_rx);
		printf("stats: tx opackets %" PRIu64 " hw %" PRIu64 ", rx ipackets %" PRIu64
		       " hw %" PRIu64 " imissed %" PRIu64 " ierrors %" PRIu64 " nombuf %" PRIu64 "\n",
		       st_tx.opackets - st_tx0.opackets, hw_tx, st_rx.ipackets - st_rx0.ipackets,
		       hw_rx, st_rx.imissed - st_rx0.imissed, st_rx.ierrors - st_rx0.ierrors,
		       st_rx.rx_nombuf - st_rx0.rx_nombuf);
		if (st_tx.opackets - st_tx0.opackets != sent || hw_tx != sent ||
		    st_rx.ipackets - st_rx0.ipackets != got + bad + dup || hw_rx != got + bad + dup) {
			fprintf(stderr, "FAIL: port counters disagree with the frames counted\n");
			ret = -EIO;
		}
	}
	free(seen);
	return ret;
}

static int
cmd_gen(int argc, char **argv, struct opts *o)
{
	uint16_t tx, rx;
	uint32_t count;

	if (argc < 3)
		return -EINVAL;
	count = (uint32_t)strtoul(argv[2], NULL, 0);
	if (port_of(argv[0], &tx) < 0 || port_of(argv[1], &rx) < 0)
		return -ENODEV;
	if (port_start(tx, o) < 0 || (rx != tx && port_start(rx, o) < 0))
		return -EIO;
	/* QEMU's e1000 model holds RX for a second after an RCTL write. */
	usleep(1200000);
	return transfer(tx, rx, count, o, 1);
}

static int
cmd_cycles(int argc, char **argv, struct opts *o)
{
	unsigned int rounds;
	uint32_t count;
	int ret = 0;

	if (argc < 4)
		return -EINVAL;
	rounds = (unsigned int)strtoul(argv[2], NULL, 0);
	count = (uint32_t)strtoul(argv[3], NULL, 0);
	for (unsigned int r = 0; r < rounds && ret == 0; r++) {
		uint16_t a, b;

		if (port_of(argv[0], &a) < 0 || port_of(argv[1], &b) < 0)
			return -ENODEV;
		if (port_start(a, o) < 0 || port_start(b, o) < 0)
			return -EIO;
		usleep(1200000);
		ret = transfer(a, b, count, o, 1);
		/* stop/start keeps the configuration and queues */
		if (ret == 0 && (sl_eth_dev_stop(a) < 0 || sl_eth_dev_stop(b) < 0 ||
				 sl_eth_dev_start(a) < 0 || sl_eth_dev_start(b) < 0))
			ret = -EIO;
		if (ret == 0) {
			usleep(1200000);
			ret = transfer(b, a, count, o, 1);
		}
		if (sl_eth_dev_close(a) < 0 || sl_eth_dev_close(b) < 0)
			ret = ret ? ret : -EIO;
		/* re-probe: the bus gives the devices back (the kernel resets
		 * them) and opens them again */
		for (int i = 0; i < 2 && ret == 0; i++) {
			if (sl_pci_device_detach(argv[i]) < 0 || sl_pci_device_probe(argv[i]) < 0)
				ret = -EIO;
		}
		printf("cycle %u: %s\n", r, ret == 0 ? "ok" : "FAILED");
	}
	return ret;
}

static int
cmd_blast(int argc, char **argv, struct opts *o)
{
	static uint8_t frame[2048];
	uint16_t tx, rx;
	unsigned int secs, size;
	uint64_t ntx = 0, nrx = 0, t_end, t_wall;

	if (argc < 4)
		return -EINVAL;
	secs = (unsigned int)strtoul(argv[2], NULL, 0);
	size = (unsigned int)strtoul(argv[3], NULL, 0);
	if (secs == 0 || size < MIN_FRAME || size > 1514)
		return -EINVAL;
	o->max_size = size;
	fill_frame(frame, 0, size, o);
	if (port_of(argv[0], &tx) < 0 || port_of(argv[1], &rx) < 0)
		return -ENODEV;
	if (port_start(tx, o) < 0 || (rx != tx && port_start(rx, o) < 0))
		return -EIO;
	usleep(1200000);
	/* The TSC, not clock_gettime(): a TCG guest's clocksource is often
	 * an emulated HPET, and reading it every burst would be measured
	 * instead of the PMD. */
	t_end = sl_rdtsc() + (uint64_t)secs * sl_get_tsc_hz();
	t_wall = now_ms();
	while (sl_rdtsc() < t_end && !stop_flag) {
		struct sl_mbuf *pkts[BURST];
		uint16_t n, done;

		if (sl_mbuf_alloc_bulk(pool, pkts, BURST) == 0) {
			/* Headers only, as DPDK's txonly does: the payload
			 * is whatever the buffer holds. */
			for (n = 0; n < BURST; n++)
				memcpy(sl_mbuf_append(pkts[n], (uint16_t)size), frame,
				       SL_MIN(size, 64u));
			done = sl_eth_tx_burst(tx, 0, pkts, BURST);
			if (done < BURST)
				sl_mbuf_free_bulk(pkts + done, BURST - done);
			ntx += done;
		}
		if (rx != tx) {
			n = sl_eth_rx_burst(rx, 0, pkts, BURST);
			nrx += n;
			sl_mbuf_free_bulk(pkts, n);
		}
	}
	/* rates over the wall-clock time (the TSC only bounds the loop) */
	t_wall = now_ms() - t_wall;
	if (t_wall == 0)
		t_wall = 1;
	printf("pps tx=%" PRIu64 " rx=%" PRIu64 "\n", ntx * 1000 / t_wall, nrx * 1000 / t_wall);
	printf("total tx=%" PRIu64 " rx=%" PRIu64 "\n", ntx, nrx);
	return 0;
}

/* AF_PACKET sender through the kernel driver (no EAL). */
static int
cmd_afpacket(int argc, char **argv)
{
	struct opts o = { .max_size = 1514 };
	struct sockaddr_ll sll = { 0 };
	static uint8_t frame[2048];
	unsigned int secs, size;
	uint64_t n = 0, t_end;
	int fd;

	if (argc < 3)
		return -EINVAL;
	secs = (unsigned int)strtoul(argv[1], NULL, 0);
	size = (unsigned int)strtoul(argv[2], NULL, 0);
	fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (fd < 0) {
		perror("socket(AF_PACKET)");
		return -errno;
	}
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = (int)if_nametoindex(argv[0]);
	sll.sll_protocol = htons(ETH_P_ALL);
	if (sll.sll_ifindex == 0 || bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		perror("bind AF_PACKET");
		close(fd);
		return -errno;
	}
	o.max_size = size;
	fill_frame(frame, 0, size, &o);
	t_end = now_ms() + secs * 1000ull;
	while (now_ms() < t_end && !stop_flag) {
		for (int i = 0; i < 64; i++) {
			if (send(fd, frame, size, 0) == (ssize_t)size)
				n++;
		}
	}
	close(fd);
	printf("pps tx=%" PRIu64 "\n", n / secs);
	return 0;
}

int
main(int argc, char **argv)
{
	struct opts o = { .window = 256, .max_size = 1514, .timeout_ms = 5000 };
	char **args;
	int nargs, ret, consumed;
	const char *cmd;

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (argc >= 2 && strcmp(argv[1], "afpacket") == 0)
		return cmd_afpacket(argc - 2, argv + 2) == 0 ? 0 : 1;

	consumed = sl_eal_init(argc, argv);
	if (consumed < 0) {
		fprintf(stderr, "sl_eal_init failed: %s\n", strerror(-consumed));
		return 1;
	}
	/* Like rte_eal_init(): argv[consumed] is the program name again. */
	args = argv + consumed + 1;
	nargs = argc - consumed - 1;
	if (nargs > 0 && strcmp(args[0], "--") == 0) {
		args++;
		nargs--;
	}
	if (nargs < 1) {
		fprintf(stderr, "usage: see the comment at the top of e1000_e2e.c\n");
		sl_eal_cleanup();
		return 1;
	}
	cmd = args[0];
	/* Options may follow the positional arguments; keep positionals. */
	{
		int np = 0;
		for (int i = 1; i < nargs; i++) {
			if (strcmp(args[i], "--jumbo") == 0)
				o.jumbo = 1;
			else if (strcmp(args[i], "--csum") == 0)
				o.csum = 1;
			else if (strcmp(args[i], "--grow") == 0)
				o.grow = 1;
			else if (strcmp(args[i], "--window") == 0 && i + 1 < nargs)
				o.window = (unsigned int)strtoul(args[++i], NULL, 0);
			else if (strcmp(args[i], "--max-size") == 0 && i + 1 < nargs)
				o.max_size = (unsigned int)strtoul(args[++i], NULL, 0);
			else if (strcmp(args[i], "--timeout-ms") == 0 && i + 1 < nargs)
				o.timeout_ms = (unsigned int)strtoul(args[++i], NULL, 0);
			else
				args[1 + np++] = args[i];
		}
		nargs = np + 1;
	}
	if (o.jumbo)
		o.max_size = JUMBO_FRAME;
	if (o.csum && o.max_size > 1514)
		o.max_size = 1514;

	pool = sl_mbuf_pool_create("e2e_pool", NB_MBUF, 256, 0,
				   o.jumbo ? 2048 + SL_PKTMBUF_HEADROOM : SL_MBUF_DEFAULT_BUF_SIZE,
				   SL_SOCKET_ID_ANY);
	jpool = sl_mbuf_pool_create("e2e_jumbo", 1023, 32, 0, JUMBO_FRAME + SL_PKTMBUF_HEADROOM,
				    SL_SOCKET_ID_ANY);
	if (pool == NULL || jpool == NULL) {
		fprintf(stderr, "mbuf pool: %s\n", strerror(errno));
		sl_eal_cleanup();
		return 1;
	}
	if (o.grow) {
		/* A pool bigger than what -m reserved makes the heap grow; the
		 * new segment must reach the IOMMU through the memory event
		 * callback, or the NIC cannot DMA into these mbufs. */
		unsigned int n0 = sl_iommu_mapping_count(), n1;
		struct sl_mempool *big = sl_mbuf_pool_create("e2e_grow", 40000, 256, 0,
							     SL_MBUF_DEFAULT_BUF_SIZE,
							     SL_SOCKET_ID_ANY);
		n1 = sl_iommu_mapping_count();
		printf("grow: IOMMU mappings %u -> %u\n", n0, n1);
		if (big == NULL || n1 <= n0) {
			fprintf(stderr, "FAIL: heap growth was not mapped in the IOMMU (%s)\n",
				big ? "no new mapping" : strerror(errno));
			ret = -EIO;
			goto out;
		}
		sl_mempool_free(pool);
		pool = big;
	}
	if (strcmp(cmd, "gen") == 0)
		ret = cmd_gen(nargs - 1, args + 1, &o);
	else if (strcmp(cmd, "cycles") == 0)
		ret = cmd_cycles(nargs - 1, args + 1, &o);
	else if (strcmp(cmd, "blast") == 0)
		ret = cmd_blast(nargs - 1, args + 1, &o);
	else
		ret = -EINVAL;
	if (ret == -EINVAL)
		fprintf(stderr, "bad command line for '%s'\n", cmd);
out:
	{
		uint16_t p;
		SL_ETH_FOREACH_DEV(p)
			sl_eth_dev_close(p);
	}
	sl_mempool_free(jpool);
	sl_mempool_free(pool);
	sl_eal_cleanup();
	printf("%s\n", ret == 0 ? "PASS" : "FAIL");
	return ret == 0 ? 0 : 1;
}
