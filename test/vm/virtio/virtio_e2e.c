/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-virtio-e2e: traffic generator and checker for the virtio VM tests.
 *
 *   sluice-virtio-e2e [EAL args] -- gen TX_PCI RX_PCI COUNT [options]
 *       Send COUNT numbered Ethernet/IPv4/UDP frames of random length on
 *       TX_PCI (spread over its TX queues) and receive them on RX_PCI (all
 *       RX queues polled).  Every frame is checked byte for byte and each
 *       sequence number must arrive once.  At most --window frames are in
 *       flight, so a lost frame is a bug, not congestion.
 *       Options: --queues N (queue pairs on each port, at most what it has),
 *       --csum (UDP checksum by TX offload, RX checksum offload asked for;
 *       the checksum is verified on the bytes received), --jumbo (MTU 9000,
 *       TX chains, RX mergeable buffers), --oversize (frames up to 9014
 *       bytes in TX chains, both ports at the default MTU: those longer than
 *       one RX buffer must not arrive, every other one must), --max-size N,
 *       --window N,
 *       --restart (stop/start both ports and run again), --timeout-ms N,
 *       --spread (fail unless more than one RX queue received frames),
 *       --rss (both ports in SL_ETH_MQ_RX_RSS with our own key and IPv4/UDP
 *       hashing: every frame must arrive on the RX queue lib/net's Toeplitz
 *       hash and the queried RETA predict, on every RX queue; then a RETA
 *       update that moves every table entry, then rss_hf = IPv4 addresses
 *       only, each followed by the same transfer and checks).
 *       Checks the port counters and that TX and RX rang the doorbell at
 *       most once per burst (xstats *_notifies).
 *
 *   ... -- tso TX_PCI RX_PCI COUNT
 *       COUNT TCP/IPv4 frames of 3000-30000 payload bytes in mbuf chains
 *       with SL_MBUF_F_TX_TCP_SEG and a random MSS; the receiver checks
 *       each segment (length <= MSS, IPv4 and TCP checksums, payload bytes
 *       at their stream offset) and that every frame's payload arrived whole.
 *
 *   ... -- refuse PCI queues N | tso | csum | rss | rsstype | reta
 *       Configure the port with N queue pairs, or TSO / TX checksum offload,
 *       or RSS, or RSS with a hash type no port has (bit 6), or RSS with a
 *       RETA entry naming a queue beyond the port's (2 queues);
 *       exit 0 only if that is refused.
 *
 *   ... -- blast TX_PCI RX_PCI SECONDS SIZE
 *       Benchmark: frames as fast as the PMD takes them; "pps tx=N rx=M".
 *
 *   ... -- ports
 *       Print the probed ports (for the probe-refusal tests).
 *
 * Exit status 0 only if everything matched.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sl_cycles.h"
#include "sl_eal.h"
#include "sl_ethdev.h"
#include "sl_mbuf.h"
#include "sl_mempool.h"
#include "sl_rss.h"

#define BURST 32
#define NB_MBUF 16383
/* The payload's first word: MAGIC_HI and this run's tag.  A frame of an
 * earlier, killed run (still queued in the host's tap) carries another tag:
 * counted as stale, not as bad, lost or duplicate. */
#define MAGIC_HI 0x5e1cu
#define HDR_LEN 14
#define UDP_OFF (HDR_LEN + 20)
#define PAY_OFF (UDP_OFF + 8)
#define MIN_FRAME 60
#define JUMBO_MTU 9000
#define JUMBO_FRAME (JUMBO_MTU + 14)
#define MAXQ 8

/* check_pkt(): a frame of an earlier run */
#define STALE (-2)

static uint32_t run_tag; /* 16 bits, set once in main() */

struct opts {
	unsigned int window, max_size, timeout_ms, queues;
	unsigned int rx_max; /* --oversize: longer frames must not arrive */
	int csum, jumbo, restart, spread, rss;
};

/* --rss: what the receiver was configured with, to predict each frame's queue. */
static struct {
	uint64_t hf;
	uint8_t key[SL_RSS_KEY_LEN];
	uint16_t reta[SL_ETH_RSS_RETA_SIZE_MAX];
	uint16_t reta_size;
	uint64_t wrong_queue;
} rss;

/* Not lib/net's default key, so that a driver ignoring ours fails. */
static void
rss_test_key(uint8_t *key)
{
	for (unsigned int i = 0; i < SL_RSS_KEY_LEN; i++)
		key[i] = (uint8_t)(i * 37u + 11u);
}

static struct sl_mempool *pool;
static volatile sig_atomic_t stop_flag;

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
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

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint8_t
pattern(uint32_t seq, unsigned int i)
{
	return (uint8_t)(seq * 7u + i * 13u + (i >> 8));
}

static unsigned int
frame_len(uint32_t seq, const struct opts *o)
{
	return MIN_FRAME + (unsigned int)(((uint64_t)seq * 2654435761u) % (o->max_size - MIN_FRAME + 1));
}

/* Ethernet, IPv4 (checksum filled), UDP from port 1024 + seq % 64. */
static void
fill_l2l3(uint8_t *f, unsigned int len, uint8_t proto, uint16_t id)
{
	static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 };
	uint8_t *ip = f + HDR_LEN;

	memcpy(f, macs, 12);
	f[12] = 0x08;
	f[13] = 0x00;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(len - HDR_LEN));
	put16(ip + 4, id);
	ip[8] = 64;
	ip[9] = proto;
	ip[12] = 10; ip[15] = 1;
	ip[16] = 10; ip[19] = 2;
	put16(ip + 10, (uint16_t)~csum16(ip, 20, 0));
}

static void
fill_frame(uint8_t *f, uint32_t seq, unsigned int len, const struct opts *o)
{
	uint8_t *udp = f + UDP_OFF;
	uint16_t udplen = (uint16_t)(len - UDP_OFF);
	uint32_t v;

	fill_l2l3(f, len, 17, (uint16_t)seq);
	put16(udp, (uint16_t)(1024 + seq % 64));
	put16(udp + 2, 5000);
	put16(udp + 4, udplen);
	put16(udp + 6, 0);
	v = htonl(MAGIC_HI << 16 | run_tag);
	memcpy(f + PAY_OFF, &v, 4);
	v = htonl(seq);
	memcpy(f + PAY_OFF + 4, &v, 4);
	for (unsigned int i = PAY_OFF + 8; i < len; i++)
		f[i] = pattern(seq, i);
	/* --csum: the pseudo-header sum, the NIC adds the rest; otherwise
	 * the whole checksum in software. */
	if (o->csum) {
		put16(udp + 6, csum16(f + HDR_LEN + 12, 8, 17u + udplen));
	} else {
		uint16_t c = (uint16_t)~csum16(udp, udplen, csum16(f + HDR_LEN + 12, 8, 17u + udplen));
		put16(udp + 6, c ? c : 0xffff);
	}
}

static struct sl_mbuf *
make_pkt(uint32_t seq, const struct opts *o)
{
	static uint8_t buf[JUMBO_FRAME + 64];
	unsigned int len = frame_len(seq, o), off = 0;
	struct sl_mbuf *head = NULL;

	fill_frame(buf, seq, len, o);
	/* Chains of up to 1800-byte segments: jumbo frames are multi-segment. */
	while (off < len) {
		unsigned int n = SL_MIN(len - off, 1800u);
		struct sl_mbuf *m = sl_mbuf_alloc(pool);
		if (m == NULL) {
			sl_mbuf_free(head);
			return NULL;
		}
		memcpy(sl_mbuf_append(m, (uint16_t)n), buf + off, n);
		if (head == NULL)
			head = m;
		else
			sl_mbuf_chain(head, m);
		off += n;
	}
	if (o->csum) {
		head->ol_flags |= SL_MBUF_F_TX_IPV4 | SL_MBUF_F_TX_UDP_CKSUM;
		head->l2_len = HDR_LEN;
		head->l3_len = 20;
	}
	return head;
}

static int64_t
check_pkt(const struct sl_mbuf *m, const struct opts *o, const char **why)
{
	static uint8_t buf[JUMBO_FRAME + 64];
	unsigned int len = m->pkt_len;
	const uint8_t *f;
	uint32_t magic, seq;
	uint16_t udplen;

	if (len < PAY_OFF + 8 || len > sizeof(buf)) {
		*why = "bad length";
		return -1;
	}
	f = sl_mbuf_read(m, 0, len, buf);
	memcpy(&magic, f + PAY_OFF, 4);
	memcpy(&seq, f + PAY_OFF + 4, 4);
	if (ntohl(magic) >> 16 != MAGIC_HI) {
		*why = "not a test frame";
		return -1;
	}
	if ((ntohl(magic) & 0xffff) != run_tag) {
		*why = NULL;
		return STALE;
	}
	seq = ntohl(seq);
	if (frame_len(seq, o) != len) {
		*why = "length differs from what was sent";
		return -1;
	}
	for (unsigned int i = PAY_OFF + 8; i < len; i++) {
		if (f[i] != pattern(seq, i)) {
			*why = "payload bytes differ";
			return -1;
		}
	}
	if (csum16(f + HDR_LEN, 20, 0) != 0xffff) {
		*why = "IPv4 header checksum wrong";
		return -1;
	}
	udplen = (uint16_t)(len - UDP_OFF);
	if (csum16(f + UDP_OFF, udplen, csum16(f + HDR_LEN + 12, 8, 17u + udplen)) != 0xffff) {
		*why = "UDP checksum wrong on the wire";
		return -1;
	}
	if (o->csum && (m->ol_flags & SL_MBUF_F_RX_L4_CKSUM_MASK) == SL_MBUF_F_RX_L4_CKSUM_BAD) {
		*why = "a good UDP checksum flagged bad";
		return -1;
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

static uint16_t
port_queues(uint16_t port, unsigned int want)
{
	struct sl_eth_dev_info info;

	if (sl_eth_dev_info_get(port, &info) < 0)
		return 1;
	return (uint16_t)SL_MIN(want, SL_MIN((unsigned int)info.max_rx_queues, (unsigned int)MAXQ));
}

static int
port_setup(uint16_t port, const struct opts *o, uint64_t tx_off, uint16_t nq)
{
	struct sl_eth_conf conf = { 0 };
	struct sl_eth_dev_info info;
	int ret;

	ret = sl_eth_dev_info_get(port, &info);
	if (ret < 0)
		return ret;
	if (o->jumbo) {
		conf.rxmode.mtu = JUMBO_MTU;
		conf.rxmode.offloads |= SL_ETH_RX_OFFLOAD_SCATTER;
	}
	conf.txmode.offloads = SL_ETH_TX_OFFLOAD_MULTI_SEGS | tx_off;
	if (o->csum)
		conf.rxmode.offloads |= info.rx_offload_capa & SL_ETH_RX_OFFLOAD_UDP_CKSUM;
	if (o->rss) {
		conf.rxmode.mq_mode = SL_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = o->rss == 2 ? 1ULL << 6 :
			SL_ETH_RSS_IPV4 | SL_ETH_RSS_NONFRAG_IPV4_UDP;
		rss_test_key(rss.key);
		conf.rx_adv_conf.rss_conf.rss_key = rss.key;
		conf.rx_adv_conf.rss_conf.rss_key_len = SL_RSS_KEY_LEN;
	}
	ret = sl_eth_dev_configure(port, nq, nq, &conf);
	for (uint16_t q = 0; q < nq && ret == 0; q++) {
		ret = sl_eth_rx_queue_setup(port, q, 0, SL_SOCKET_ID_ANY, NULL, pool);
		if (ret == 0)
			ret = sl_eth_tx_queue_setup(port, q, 0, SL_SOCKET_ID_ANY, NULL);
	}
	return ret;
}

static int
port_start(uint16_t port, const struct opts *o, uint64_t tx_off, uint16_t nq)
{
	struct sl_eth_link link;
	int ret = port_setup(port, o, tx_off, nq);

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

/* Sum of the xstats named PREFIX<q>_SUFFIX over queues; UINT64_MAX if none. */
static uint64_t
xstat_sum(uint16_t port, const char *prefix, const char *suffix, uint16_t nq, uint64_t *perq)
{
	struct sl_eth_dev_info info;
	uint64_t total = 0;
	int found = 0;

	/* only net_virtio has them (and ethdev logs a miss as an error) */
	if (sl_eth_dev_info_get(port, &info) < 0 || strcmp(info.driver_name, "net_virtio") != 0)
		return UINT64_MAX;

	for (uint16_t q = 0; q < nq; q++) {
		char name[64];
		uint64_t id, v = 0;
		snprintf(name, sizeof(name), "%s%u_%s", prefix, q, suffix);
		if (sl_eth_xstats_get_id_by_name(port, name, &id) == 0 &&
		    sl_eth_xstats_get_by_id(port, &id, &v, 1) == 1) {
			found = 1;
			total += v;
		}
		if (perq)
			perq[q] = v;
	}
	return found ? total : UINT64_MAX;
}

/* ---- gen ---------------------------------------------------------------- */

/* The RX queue the configured key, types and table send @p m to; entry 0's
 * queue when no type matches (ethdev's rule for unhashed packets). */
static uint16_t
rss_queue(const struct sl_mbuf *m)
{
	uint8_t buf[128];
	uint32_t len = SL_MIN(m->pkt_len, (uint32_t)sizeof(buf)), hash = 0;
	const void *f = sl_mbuf_read(m, 0, len, buf);

	if (!sl_rss_hash_frame(f, len, rss.hf, rss.key, &hash))
		return rss.reta[0];
	return rss.reta[hash % rss.reta_size];
}

/* Read back hf, key and table of @p port into rss; check hf and key. */
static int
rss_read(uint16_t port, uint64_t want_hf)
{
	struct sl_eth_rss_reta_entry64 g[SL_ETH_RSS_RETA_SIZE_MAX / SL_ETH_RETA_GROUP_SIZE];
	struct sl_eth_rss_conf c;
	struct sl_eth_dev_info info;
	uint8_t key[SL_RSS_KEY_LEN], want_key[SL_RSS_KEY_LEN];
	int ret;

	ret = sl_eth_dev_info_get(port, &info);
	if (ret < 0 || info.reta_size == 0 || info.hash_key_size != SL_RSS_KEY_LEN) {
		fprintf(stderr, "port %u: no RETA or a %u-byte key\n", port, info.hash_key_size);
		return -EIO;
	}
	ret = sl_eth_dev_rss_hash_conf_get(port, &c, key, sizeof(key));
	rss_test_key(want_key);
	if (ret < 0 || c.rss_hf != want_hf || memcmp(key, want_key, sizeof(key)) != 0) {
		fprintf(stderr, "port %u: rss_hash_conf_get: %d, hf %#" PRIx64 " (want %#" PRIx64
			"), key %s\n", port, ret, c.rss_hf, want_hf,
			memcmp(key, want_key, sizeof(key)) ? "differs" : "ours");
		return -EIO;
	}
	for (unsigned int i = 0; i < SL_DIM(g); i++)
		g[i].mask = ~0ULL;
	ret = sl_eth_dev_rss_reta_query(port, g, info.reta_size);
	if (ret < 0)
		return ret;
	rss.hf = c.rss_hf;
	memcpy(rss.key, key, sizeof(key));
	rss.reta_size = info.reta_size;
	for (unsigned int i = 0; i < info.reta_size; i++)
		rss.reta[i] = g[i / SL_ETH_RETA_GROUP_SIZE].reta[i % SL_ETH_RETA_GROUP_SIZE];
	printf("port %u: RSS hf %#" PRIx64 ", %u-entry RETA, entries 0-7:", port, rss.hf,
	       rss.reta_size);
	for (unsigned int i = 0; i < 8; i++)
		printf(" %u", rss.reta[i]);
	printf("\n");
	return 0;
}

/* Move every RETA entry of @p port to the next queue. */
static int
rss_move(uint16_t port, uint16_t nq)
{
	struct sl_eth_rss_reta_entry64 g[SL_ETH_RSS_RETA_SIZE_MAX / SL_ETH_RETA_GROUP_SIZE];
	uint16_t old[SL_ETH_RSS_RETA_SIZE_MAX];
	int ret;

	memcpy(old, rss.reta, sizeof(old));
	for (unsigned int i = 0; i < rss.reta_size; i++) {
		g[i / SL_ETH_RETA_GROUP_SIZE].mask = ~0ULL;
		g[i / SL_ETH_RETA_GROUP_SIZE].reta[i % SL_ETH_RETA_GROUP_SIZE] =
			(uint16_t)((old[i] + 1) % nq);
	}
	ret = sl_eth_dev_rss_reta_update(port, g, rss.reta_size);
	if (ret == 0)
		ret = rss_read(port, rss.hf);
	for (unsigned int i = 0; ret == 0 && i < rss.reta_size; i++)
		if (rss.reta[i] != (old[i] + 1) % nq) {
			fprintf(stderr, "RETA entry %u reads %u after the update to %u\n", i,
				rss.reta[i], (old[i] + 1) % nq);
			ret = -EIO;
		}
	return ret;
}

/* A transfer whose frames must all land where RSS predicts; @p all_queues:
 * and every RX queue must get some. */
static int transfer(uint16_t tx, uint16_t rx, uint16_t ntq, uint16_t nrq, uint32_t count,
		    const struct opts *o);

static int
rss_transfer(uint16_t tx, uint16_t rx, uint16_t ntq, uint16_t nrq, uint32_t count,
	     const struct opts *o, int all_queues)
{
	struct opts so = *o;
	int ret;

	so.spread = all_queues ? 2 : 0; /* 2: every RX queue */
	rss.wrong_queue = 0;
	ret = transfer(tx, rx, ntq, nrq, count, &so);
	printf("RSS: %" PRIu64 " frames on a queue other than the predicted one\n",
	       rss.wrong_queue);
	if (rss.wrong_queue)
		ret = -EIO;
	return ret;
}
static void
on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static int
transfer(uint16_t tx, uint16_t rx, uint16_t ntq, uint16_t nrq, uint32_t count, const struct opts *o)
{
	uint8_t *seen = calloc(count ? count : 1, 1);
	struct sl_eth_stats st_tx0, st_rx0, st_tx, st_rx;
	uint64_t per_rxq[MAXQ] = { 0 }, rxq_got[MAXQ] = { 0 };
	uint64_t txn0 = xstat_sum(tx, "tx_q", "notifies", ntq, NULL);
	uint64_t rxn0 = xstat_sum(rx, "rx_q", "notifies", nrq, NULL);
	uint64_t tx_bursts = 0, rx_bursts = 0, t0 = now_ms(), last = now_ms();
	uint32_t sent = 0, got = 0, bad = 0, dup = 0, dropped = 0, stale = 0, expect = count;
	uint16_t q = 0;
	int ret = 0;

	if (seen == NULL)
		return -ENOMEM;
	/* --oversize: the frames longer than the receiver's buffers are the
	 * device's to drop; every other one must arrive. */
	for (uint32_t i = 0; o->rx_max && i < count; i++)
		expect -= frame_len(i, o) > o->rx_max;
	sl_eth_stats_get(tx, &st_tx0);
	sl_eth_stats_get(rx, &st_rx0);
	while (got < expect && !stop_flag) {
		struct sl_mbuf *pkts[BURST];
		uint16_t n;

		if (sent < count && sent - got - dropped < o->window) {
			uint32_t want = SL_MIN((uint32_t)BURST, count - sent);
			want = SL_MIN(want, o->window - (sent - got - dropped));
			for (n = 0; n < want; n++) {
				pkts[n] = make_pkt(sent + n, o);
				if (pkts[n] == NULL)
					break;
			}
			uint16_t done = sl_eth_tx_burst(tx, q, pkts, n);
			for (uint16_t i = done; i < n; i++)
				sl_mbuf_free(pkts[i]);
			if (n)
				tx_bursts++;
			for (uint16_t i = 0; o->rx_max && i < done; i++)
				dropped += frame_len(sent + i, o) > o->rx_max;
			sent += done;
			q = (uint16_t)((q + 1) % ntq);
		}
		n = 0;
		for (uint16_t rq = 0; rq < nrq; rq++) {
			uint16_t k = sl_eth_rx_burst(rx, rq, pkts, BURST);
			rx_bursts++;
			rxq_got[rq] += k;
			for (uint16_t i = 0; i < k; i++) {
				const char *why = NULL;
				int64_t seq = check_pkt(pkts[i], o, &why);
				if (seq >= 0 && o->rx_max && pkts[i]->pkt_len > o->rx_max) {
					seq = -1;
					why = "longer than the receiver's buffers, yet it arrived";
				}
				if (seq == STALE) {
					stale++;
				} else if (seq < 0 || seq >= count) {
					if (bad++ < 5)
						fprintf(stderr, "bad frame (%u bytes, queue %u): %s\n",
							pkts[i]->pkt_len, rq, why ? why : "sequence out of range");
				} else if (rss.reta_size && rq != rss_queue(pkts[i])) {
					if (rss.wrong_queue++ < 5)
						fprintf(stderr, "frame %" PRId64 " on RX queue %u, RSS "
							"predicts %u\n", seq, rq, rss_queue(pkts[i]));
					seen[seq] = 1;
					got++;
				} else if (seen[seq]) {
					dup++;
				} else {
					seen[seq] = 1;
					got++;
				}
				sl_mbuf_free(pkts[i]);
			}
			n = (uint16_t)(n + k);
		}
		if (n)
			last = now_ms();
		else if (now_ms() - last > o->timeout_ms)
			break;
	}
	printf("transfer%s%s: sent %u received %u bad %u duplicate %u lost %u in %" PRIu64 " ms; "
	       "received per RX queue:", o->csum ? " csum" : "", o->jumbo ? " jumbo" : "", sent, got,
	       bad, dup, sent - got - dropped, now_ms() - t0);
	for (uint16_t i = 0; i < nrq; i++)
		printf(" %" PRIu64, rxq_got[i]);
	printf("\n");
	if (stale)
		printf("stale: %u frames of an earlier run (another run tag) ignored\n", stale);
	if (o->rx_max)
		printf("oversize: %u frames longer than %u bytes sent, none may arrive\n", dropped,
		       o->rx_max);
	if (got != expect || bad || dup || sent != count) {
		unsigned int shown = 0;
		ret = -EIO;
		for (uint32_t i = 0; i < sent && shown < 16; i++)
			if (!seen[i] && !(o->rx_max && frame_len(i, o) > o->rx_max))
				fprintf(stderr, "%s%u", shown++ ? " " : "missing sequence numbers: ", i);
		if (shown)
			fprintf(stderr, "\n");
	}
	if (o->spread) {
		unsigned int busy = 0;
		for (uint16_t i = 0; i < nrq; i++)
			busy += rxq_got[i] > 0;
		if (busy < (o->spread == 2 ? nrq : 2u)) {
			fprintf(stderr, "FAIL: frames arrived on %u of %u RX queues\n", busy, nrq);
			ret = -EIO;
		}
	}
	sl_eth_stats_get(tx, &st_tx);
	sl_eth_stats_get(rx, &st_rx);
	printf("stats: tx opackets %" PRIu64 ", rx ipackets %" PRIu64 " ierrors %" PRIu64
	       " nombuf %" PRIu64 "\n", st_tx.opackets - st_tx0.opackets,
	       st_rx.ipackets - st_rx0.ipackets, st_rx.ierrors - st_rx0.ierrors,
	       st_rx.rx_nombuf - st_rx0.rx_nombuf);
	if (st_tx.opackets - st_tx0.opackets != sent ||
	    st_rx.ipackets - st_rx0.ipackets != got + bad + dup + stale) {
		fprintf(stderr, "FAIL: port counters disagree with the frames counted\n");
		ret = -EIO;
	}
	for (uint16_t i = 0; i < nrq && i < SL_ETH_QUEUE_STAT_CNTRS; i++)
		per_rxq[i] = st_rx.q_ipackets[i];
	(void)per_rxq;
	if (txn0 != UINT64_MAX) {
		uint64_t txn = xstat_sum(tx, "tx_q", "notifies", ntq, NULL) - txn0;
		printf("notifies: tx %" PRIu64 " in %" PRIu64 " bursts\n", txn, tx_bursts);
		if (txn > tx_bursts) {
			fprintf(stderr, "FAIL: more TX notifications than bursts\n");
			ret = -EIO;
		}
	}
	if (rxn0 != UINT64_MAX) {
		uint64_t rxn = xstat_sum(rx, "rx_q", "notifies", nrq, NULL) - rxn0;
		printf("notifies: rx %" PRIu64 " in %" PRIu64 " bursts\n", rxn, rx_bursts);
		if (rxn > rx_bursts) {
			fprintf(stderr, "FAIL: more RX notifications than bursts\n");
			ret = -EIO;
		}
	}
	if (ret < 0) {
		/* Where a stalled RX queue stopped: the buffers it took since
		 * the port started (a frame takes 1 + its extra mergeable
		 * buffers), to compare with the ring size and the device's log. */
		uint64_t frames = xstat_sum(rx, "rx_q", "packets", nrq, NULL);
		uint64_t extra = xstat_sum(rx, "rx_q", "mergeable_buffers", nrq, NULL);
		if (frames != UINT64_MAX && extra != UINT64_MAX)
			printf("RX buffers used since start: %" PRIu64 " (%" PRIu64 " frames, %"
			       PRIu64 " extra mergeable buffers)\n", frames + extra, frames, extra);
	}
	free(seen);
	return ret;
}

static int
cmd_gen(int argc, char **argv, struct opts *o)
{
	uint64_t tx_off = o->csum ? SL_ETH_TX_OFFLOAD_UDP_CKSUM : 0;
	uint16_t tx, rx, ntq, nrq;
	uint32_t count;
	int ret;

	if (argc < 3)
		return -EINVAL;
	count = (uint32_t)strtoul(argv[2], NULL, 0);
	if (port_of(argv[0], &tx) < 0 || port_of(argv[1], &rx) < 0)
		return -ENODEV;
	ntq = port_queues(tx, o->queues);
	nrq = port_queues(rx, o->queues);
	printf("ports %u (%u queues) -> %u (%u queues)\n", tx, ntq, rx, nrq);
	if (port_start(tx, o, tx_off, ntq) < 0 || port_start(rx, o, 0, nrq) < 0)
		return -EIO;
	usleep(1200000);
	if (o->rss) {
		ret = rss_read(rx, SL_ETH_RSS_IPV4 | SL_ETH_RSS_NONFRAG_IPV4_UDP);
		if (ret == 0)
			ret = rss_transfer(tx, rx, ntq, nrq, count, o, 1);
		if (ret == 0) {
			printf("RETA update: every entry to the next queue\n");
			ret = rss_move(rx, nrq);
		}
		if (ret == 0)
			ret = rss_transfer(tx, rx, ntq, nrq, count, o, 1);
		if (ret == 0) {
			struct sl_eth_rss_conf c = { .rss_hf = SL_ETH_RSS_IPV4 };
			printf("rss_hf = IPv4 addresses only: one flow, one queue\n");
			ret = sl_eth_dev_rss_hash_update(rx, &c);
			if (ret == 0)
				ret = rss_read(rx, SL_ETH_RSS_IPV4);
			if (ret == 0)
				ret = rss_transfer(tx, rx, ntq, nrq, count, o, 0);
		}
		return ret;
	}
	ret = transfer(tx, rx, ntq, nrq, count, o);
	if (ret == 0 && o->restart) {
		if (sl_eth_dev_stop(tx) < 0 || sl_eth_dev_stop(rx) < 0 || sl_eth_dev_start(tx) < 0 ||
		    sl_eth_dev_start(rx) < 0)
			return -EIO;
		usleep(1200000);
		printf("after stop/start:\n");
		ret = transfer(tx, rx, ntq, nrq, count, o);
	}
	return ret;
}

/* ---- tso ------------------------------------------------------------------ */

static uint8_t
tso_pattern(uint32_t frame, uint32_t off)
{
	return (uint8_t)(frame * 31u + off * 7u + (off >> 9));
}

static struct sl_mbuf *
make_tso(uint32_t k, uint32_t pay, uint16_t mss)
{
	uint8_t hdr[54];
	uint8_t *tcp = hdr + UDP_OFF;
	struct sl_mbuf *head = sl_mbuf_alloc(pool);
	uint32_t off = 0, seq = k << 16;

	if (head == NULL)
		return NULL;
	fill_l2l3(hdr, 54 + pay, 6, (uint16_t)k);
	memset(tcp, 0, 20);
	put16(tcp, (uint16_t)(3000 + k % 64));
	put16(tcp + 2, 80);
	tcp[4] = (uint8_t)(seq >> 24); tcp[5] = (uint8_t)(seq >> 16);
	tcp[6] = (uint8_t)(seq >> 8); tcp[7] = (uint8_t)seq;
	tcp[12] = 5 << 4;
	tcp[13] = 0x18; /* PSH ACK */
	put16(tcp + 14, 65535);
	/* the pseudo-header sum over the whole TCP length (sl_ipv4_phdr_cksum) */
	put16(tcp + 16, csum16(hdr + HDR_LEN + 12, 8, 6u + 20 + pay));
	memcpy(sl_mbuf_append(head, 54), hdr, 54);
	while (off < pay) {
		uint32_t n = SL_MIN(pay - off, 1900u);
		struct sl_mbuf *m = sl_mbuf_alloc(pool);
		uint8_t *p;
		if (m == NULL) {
			sl_mbuf_free(head);
			return NULL;
		}
		p = (uint8_t *)sl_mbuf_append(m, (uint16_t)n);
		for (uint32_t i = 0; i < n; i++)
			p[i] = tso_pattern(k, off + i);
		sl_mbuf_chain(head, m);
		off += n;
	}
	head->ol_flags = SL_MBUF_F_TX_IPV4 | SL_MBUF_F_TX_TCP_CKSUM | SL_MBUF_F_TX_TCP_SEG;
	head->l2_len = HDR_LEN;
	head->l3_len = 20;
	head->l4_len = 20;
	head->tso_segsz = mss;
	return head;
}

static int
cmd_tso(int argc, char **argv, struct opts *o)
{
	static uint8_t buf[2048];
	uint16_t tx, rx;
	uint32_t count, *pay, *got_bytes, *segs, bad = 0, nseg = 0;
	uint16_t *mss;
	uint64_t last;
	int ret = 0;

	if (argc < 3)
		return -EINVAL;
	count = (uint32_t)strtoul(argv[2], NULL, 0);
	if (port_of(argv[0], &tx) < 0 || port_of(argv[1], &rx) < 0)
		return -ENODEV;
	if (port_start(tx, o, SL_ETH_TX_OFFLOAD_TCP_TSO | SL_ETH_TX_OFFLOAD_TCP_CKSUM, 1) < 0 ||
	    port_start(rx, o, 0, 1) < 0)
		return -EIO;
	usleep(1200000);
	pay = calloc(count, sizeof(*pay));
	got_bytes = calloc(count, sizeof(*got_bytes));
	segs = calloc(count, sizeof(*segs));
	mss = calloc(count, sizeof(*mss));
	if (!pay || !got_bytes || !segs || !mss)
		return -ENOMEM;
	srand(12345);
	for (uint32_t k = 0; k < count && !stop_flag; k++) {
		struct sl_mbuf *m;
		pay[k] = 3000 + (uint32_t)rand() % 27000;
		mss[k] = (uint16_t)(536 + rand() % (1448 - 536 + 1));
		m = make_tso(k, pay[k], mss[k]);
		if (m == NULL || sl_eth_tx_burst(tx, 0, &m, 1) != 1) {
			fprintf(stderr, "FAIL: TSO frame %u not taken\n", k);
			sl_mbuf_free(m);
			ret = -EIO;
			break;
		}
		/* one super-frame in flight: its segments fill the peer's ring */
		last = now_ms();
		while (got_bytes[k] < pay[k] && now_ms() - last < o->timeout_ms && !stop_flag) {
			struct sl_mbuf *pk[BURST];
			uint16_t n = sl_eth_rx_burst(rx, 0, pk, BURST);
			for (uint16_t i = 0; i < n; i++) {
				const uint8_t *f;
				uint32_t len = pk[i]->pkt_len, s, fr, off, plen;
				if (len < 54 || len > sizeof(buf)) {
					bad++;
					goto next;
				}
				f = sl_mbuf_read(pk[i], 0, len, buf);
				s = (uint32_t)f[38] << 24 | (uint32_t)f[39] << 16 | (uint32_t)f[40] << 8 | f[41];
				fr = s >> 16;
				off = s & 0xffff;
				plen = (uint32_t)(f[16] << 8 | f[17]) - 40;
				if (fr >= count || f[23] != 6 || plen + 54 > len || plen > mss[fr] ||
				    csum16(f + HDR_LEN, 20, 0) != 0xffff ||
				    csum16(f + UDP_OFF, 20 + plen, csum16(f + HDR_LEN + 12, 8, 6u + 20 + plen)) != 0xffff) {
					if (bad++ < 5)
						fprintf(stderr, "bad segment: %u bytes, frame %u, offset %u, "
							"payload %u\n", len, fr, off, plen);
					goto next;
				}
				for (uint32_t j = 0; j < plen; j++) {
					if (f[54 + j] != tso_pattern(fr, off + j)) {
						if (bad++ < 5)
							fprintf(stderr, "segment payload differs (frame %u "
								"offset %u)\n", fr, off + j);
						goto next;
					}
				}
				got_bytes[fr] += plen;
				segs[fr]++;
				nseg++;
next:
				sl_mbuf_free(pk[i]);
			}
			if (n)
				last = now_ms();
		}
	}
	for (uint32_t k = 0; k < count; k++) {
		uint32_t want = (pay[k] + mss[k] - 1) / mss[k];
		if (got_bytes[k] != pay[k] || segs[k] != want) {
			if (ret == 0 || k < 5)
				fprintf(stderr, "FAIL: frame %u: %u of %u payload bytes in %u segments "
					"(expected %u of MSS %u)\n", k, got_bytes[k], pay[k], segs[k],
					want, mss[k]);
			ret = -EIO;
		}
	}
	printf("tso: %u frames sent, %u segments received, %u bad\n", count, nseg, bad);
	if (bad)
		ret = -EIO;
	free(pay);
	free(got_bytes);
	free(segs);
	free(mss);
	return ret;
}

/* ---- blast (benchmark) -------------------------------------------------------- */

/*
 * Send @p size-byte frames on TX_PCI queue 0 as fast as the PMD takes them
 * for @p secs seconds (headers only written, as DPDK's txonly does), and
 * count what RX_PCI receives when it differs.  Prints "pps tx=N rx=M".
 */
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
	if (port_start(tx, o, 0, 1) < 0 || (rx != tx && port_start(rx, o, 0, 1) < 0))
		return -EIO;
	usleep(1200000);
	/* the TSC bounds the loop: a TCG guest's clock source is slow to read */
	t_end = sl_rdtsc() + (uint64_t)secs * sl_get_tsc_hz();
	t_wall = now_ms();
	while (sl_rdtsc() < t_end && !stop_flag) {
		struct sl_mbuf *pkts[BURST];
		uint16_t n, done;

		if (sl_mbuf_alloc_bulk(pool, pkts, BURST) == 0) {
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
	t_wall = now_ms() - t_wall;
	if (t_wall == 0)
		t_wall = 1;
	printf("pps tx=%" PRIu64 " rx=%" PRIu64 "\n", ntx * 1000 / t_wall, nrx * 1000 / t_wall);
	return 0;
}

/* ---- refusals ---------------------------------------------------------------- */

static int
cmd_refuse(int argc, char **argv, struct opts *o)
{
	uint16_t port;
	int ret;

	if (argc < 2 || port_of(argv[0], &port) < 0)
		return -EINVAL;
	if (strcmp(argv[1], "queues") == 0 && argc >= 3) {
		ret = port_setup(port, o, 0, (uint16_t)strtoul(argv[2], NULL, 0));
	} else if (strcmp(argv[1], "tso") == 0) {
		ret = port_setup(port, o, SL_ETH_TX_OFFLOAD_TCP_TSO, 1);
	} else if (strcmp(argv[1], "csum") == 0) {
		ret = port_setup(port, o, SL_ETH_TX_OFFLOAD_UDP_CKSUM, 1);
	} else if (strcmp(argv[1], "rss") == 0 || strcmp(argv[1], "rsstype") == 0) {
		o->rss = argv[1][3] ? 2 : 1;
		ret = port_setup(port, o, 0, o->rss == 2 ? 2 : 1);
	} else if (strcmp(argv[1], "reta") == 0) {
		struct sl_eth_rss_reta_entry64 g[SL_ETH_RSS_RETA_SIZE_MAX / SL_ETH_RETA_GROUP_SIZE];
		struct sl_eth_dev_info info;
		o->rss = 1;
		ret = port_setup(port, o, 0, 2);
		if (ret == 0)
			ret = sl_eth_dev_info_get(port, &info);
		if (ret == 0) {
			memset(g, 0, sizeof(g));
			g[0].mask = 1ULL << 5;
			g[0].reta[5] = 2;
			ret = sl_eth_dev_rss_reta_update(port, g, info.reta_size);
		}
	} else {
		return -EINVAL;
	}
	printf("refuse %s: %s\n", argv[1], ret < 0 ? strerror(-ret) : "accepted");
	return ret < 0 ? 0 : -EIO;
}

static int
cmd_ports(void)
{
	uint16_t p;
	unsigned int n = 0;

	SL_ETH_FOREACH_DEV(p) {
		char name[64];
		sl_eth_dev_get_name_by_port(p, name);
		printf("port %u: %s\n", p, name);
		n++;
	}
	printf("%u port(s)\n", n);
	return 0;
}

int
main(int argc, char **argv)
{
	struct opts o = { .window = 256, .max_size = 1514, .timeout_ms = 5000, .queues = 1 };
	char **args;
	int nargs, ret, consumed, np = 0;
	const char *cmd;

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	run_tag = ((uint32_t)getpid() ^ (uint32_t)time(NULL)) & 0xffff;
	consumed = sl_eal_init(argc, argv);
	if (consumed < 0) {
		fprintf(stderr, "sl_eal_init failed: %s\n", strerror(-consumed));
		return 1;
	}
	args = argv + consumed + 1;
	nargs = argc - consumed - 1;
	if (nargs > 0 && strcmp(args[0], "--") == 0) {
		args++;
		nargs--;
	}
	if (nargs < 1) {
		fprintf(stderr, "usage: see the comment at the top of virtio_e2e.c\n");
		sl_eal_cleanup();
		return 1;
	}
	cmd = args[0];
	for (int i = 1; i < nargs; i++) {
		if (strcmp(args[i], "--csum") == 0)
			o.csum = 1;
		else if (strcmp(args[i], "--jumbo") == 0)
			o.jumbo = 1;
		else if (strcmp(args[i], "--oversize") == 0)
			o.rx_max = 1; /* set below, from the pool's buffers */
		else if (strcmp(args[i], "--restart") == 0)
			o.restart = 1;
		else if (strcmp(args[i], "--spread") == 0)
			o.spread = 1;
		else if (strcmp(args[i], "--rss") == 0)
			o.rss = 1;
		else if (strcmp(args[i], "--queues") == 0 && i + 1 < nargs)
			o.queues = (unsigned int)strtoul(args[++i], NULL, 0);
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
	if (o.jumbo)
		o.max_size = JUMBO_FRAME;
	if (o.queues == 0 || o.queues > MAXQ)
		o.queues = 1;

	pool = sl_mbuf_pool_create("ve2e_pool", NB_MBUF, 256, 0, SL_MBUF_DEFAULT_BUF_SIZE,
				   SL_SOCKET_ID_ANY);
	if (pool == NULL) {
		fprintf(stderr, "mbuf pool: %s\n", strerror(errno));
		sl_eal_cleanup();
		return 1;
	}
	if (o.rx_max) {
		/* frames up to jumbo size, the receiver at the default MTU:
		 * what does not fit one RX buffer must be dropped */
		o.max_size = JUMBO_FRAME;
		o.rx_max = sl_mbuf_data_room_size(pool) - SL_PKTMBUF_HEADROOM;
	}
	if (strcmp(cmd, "gen") == 0)
		ret = cmd_gen(nargs - 1, args + 1, &o);
	else if (strcmp(cmd, "tso") == 0)
		ret = cmd_tso(nargs - 1, args + 1, &o);
	else if (strcmp(cmd, "refuse") == 0)
		ret = cmd_refuse(nargs - 1, args + 1, &o);
	else if (strcmp(cmd, "blast") == 0)
		ret = cmd_blast(nargs - 1, args + 1, &o);
	else if (strcmp(cmd, "ports") == 0)
		ret = cmd_ports();
	else
		ret = -EINVAL;
	if (ret == -EINVAL)
		fprintf(stderr, "bad command line for '%s'\n", cmd);
	{
		uint16_t p;
		SL_ETH_FOREACH_DEV(p)
			sl_eth_dev_close(p);
	}
	sl_mempool_free(pool);
	sl_eal_cleanup();
	printf("%s\n", ret == 0 ? "PASS" : "FAIL");
	return ret == 0 ? 0 : 1;
}
