/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-igb-e2e: traffic tests of the igb PMD (82576 PF and VF) in the
 * QEMU guest of run-igb-vm.sh.  Every frame carries its sequence number and
 * a byte pattern derived from it; every received frame is compared byte for
 * byte with the frame the sender built, and each sequence number must
 * arrive exactly once.  At most WINDOW frames are in flight, so a lost
 * frame is a bug, not congestion.
 *
 *   [EAL] -- rss TX_PCI RX_PCI NQ COUNT FLOWS
 *       RX port: NQ queues, RSS on IPv4/UDP (default key, round-robin
 *       table), RX checksum and VLAN strip.  TX port: IPv4/UDP frames of
 *       FLOWS flows; one in three with checksums left to the NIC, one in
 *       five with a VLAN tag inserted by the NIC.  Checks: bytes, one copy
 *       of each, the queue of each frame is RETA[Toeplitz & 127] computed
 *       in software (sl_rss), the hash the NIC reports, checksum and VLAN
 *       flags, every queue used, per-queue counters equal to what each
 *       queue delivered, hardware counters; then a RETA update moves
 *       everything to the last queue; a queue stop/start; the multicast
 *       table (a group is dropped, then received once listed).
 *   ... -- jumbo TX_PCI RX_PCI COUNT       MTU 9000 both ways, frames to 9014 bytes
 *   ... -- vfpair VF_A VF_B COUNT          VF A -> VF B and back, and multicast
 *   ... -- vfmq VF_A VF_B COUNT            both VFs with 2 queue pairs: each TX queue
 *       sends (bursts alternate), every frame arrives once, bytes checked;
 *       all on RX queue 0 and none on RX queue 1, because Linux's PF driver
 *       leaves VMOLR.RSSE off on VF pools (doc/drivers/igb.md); both ways
 *   ... -- vfrss VF                        RSS on a VF is refused (the PF owns it)
 *   ... -- vf2pf VF IFNAME COUNT           VF -> the PF's kernel interface (AF_PACKET)
 *   ... -- hold VF                         keep a VF busy (TX and RX) until killed
 *
 * Exit status 0 only if everything matched.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "sl_eal.h"
#include "sl_ethdev.h"
#include "sl_mbuf.h"
#include "sl_mempool.h"
#include "sl_rss.h"

#define BURST 32
#define NB_MBUF 8191
#define RING 512
#define WINDOW 128
#define MAGIC 0x5e1ce2e1u
#define HDR 14
#define MIN_FRAME 60
#define MAX_FRAME 1514
#define JUMBO_MTU 9000
#define MAX_Q 8
#define TIMEOUT_MS 5000

static struct sl_mempool *pool;
static int failures;

#define FAIL(...) do { printf("FAIL: " __VA_ARGS__); printf("\n"); failures++; } while (0)
#define PASS(...) do { printf("PASS: " __VA_ARGS__); printf("\n"); } while (0)

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- frames ---------------------------------------------------------------- */

struct fdesc {
	uint8_t dst[6], src[6];
	uint32_t flows;     /* 0: raw 0x88b5 frame, else IPv4/UDP of this many flows */
	unsigned int max;   /* largest frame */
};

static unsigned int
frame_len(uint32_t seq, const struct fdesc *d)
{
	return MIN_FRAME + (unsigned int)(((uint64_t)seq * 2654435761u) % (d->max - MIN_FRAME + 1));
}

static uint8_t
pattern(uint32_t seq, unsigned int i)
{
	return (uint8_t)(seq * 7u + i * 13u + (i >> 8));
}

static uint16_t
csum16(const uint8_t *b, size_t len, uint32_t sum)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)b[i] << 8 | b[i + 1];
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static unsigned int
payload_off(const struct fdesc *d)
{
	return d->flows ? HDR + 28 : HDR;
}

/* The frame as it must arrive (untagged, checksums filled). */
static unsigned int
build(uint8_t *f, uint32_t seq, const struct fdesc *d)
{
	unsigned int len = frame_len(seq, d), off = payload_off(d);
	uint32_t v;

	memcpy(f, d->dst, 6);
	memcpy(f + 6, d->src, 6);
	f[12] = d->flows ? 0x08 : 0x88;
	f[13] = d->flows ? 0x00 : 0xb5;
	v = htonl(MAGIC);
	memcpy(f + off, &v, 4);
	v = htonl(seq);
	memcpy(f + off + 4, &v, 4);
	for (unsigned int i = off + 8; i < len; i++)
		f[i] = pattern(seq, i);
	if (d->flows) {
		uint8_t *ip = f + HDR, *udp = ip + 20;
		uint32_t flow = seq % d->flows;
		uint16_t iplen = (uint16_t)(len - HDR), udplen = (uint16_t)(iplen - 20), c;

		memset(ip, 0, 28);
		ip[0] = 0x45;
		ip[2] = (uint8_t)(iplen >> 8);
		ip[3] = (uint8_t)iplen;
		ip[8] = 64;
		ip[9] = 17;
		ip[12] = 10; ip[13] = 0; ip[14] = (uint8_t)(flow >> 8); ip[15] = (uint8_t)flow;
		ip[16] = 10; ip[17] = 1; ip[19] = 1;
		udp[0] = (uint8_t)((1000 + flow) >> 8);
		udp[1] = (uint8_t)(1000 + flow);
		udp[2] = 0x12; udp[3] = 0xb5; /* 4789 */
		udp[4] = (uint8_t)(udplen >> 8);
		udp[5] = (uint8_t)udplen;
		c = (uint16_t)~csum16(ip, 20, 0);
		ip[10] = (uint8_t)(c >> 8);
		ip[11] = (uint8_t)c;
		c = (uint16_t)~csum16(udp, udplen, csum16(ip + 12, 8, 17u + udplen));
		if (c == 0)
			c = 0xffff;
		udp[6] = (uint8_t)(c >> 8);
		udp[7] = (uint8_t)c;
	}
	return len;
}

static int
tx_csum(uint32_t seq, const struct fdesc *d)
{
	return d->flows && seq % 3 == 0;
}

static int
tx_vlan(uint32_t seq, const struct fdesc *d)
{
	return d->flows && seq % 5 == 0;
}

static uint16_t
vid_of(uint32_t seq)
{
	return (uint16_t)(seq % 4000 + 1);
}

static struct sl_mbuf *
make_pkt(uint32_t seq, const struct fdesc *d)
{
	static uint8_t buf[JUMBO_MTU + 64];
	unsigned int len = build(buf, seq, d);
	struct sl_mbuf *m = sl_mbuf_alloc(pool);

	if (m == NULL)
		return NULL;
	if (tx_csum(seq, d)) {
		/* IP checksum 0, UDP checksum = pseudo-header sum: the NIC
		 * must produce exactly the bytes of build(). */
		uint8_t *ip = buf + HDR, *udp = ip + 20;
		uint16_t udplen = (uint16_t)(len - HDR - 20), ph;
		ip[10] = ip[11] = 0;
		ph = csum16(ip + 12, 8, 17u + udplen);
		udp[6] = (uint8_t)(ph >> 8);
		udp[7] = (uint8_t)ph;
		m->ol_flags |= SL_MBUF_F_TX_IPV4 | SL_MBUF_F_TX_IP_CKSUM | SL_MBUF_F_TX_UDP_CKSUM;
		m->l2_len = HDR;
		m->l3_len = 20;
	}
	if (tx_vlan(seq, d)) {
		m->ol_flags |= SL_MBUF_F_TX_VLAN;
		m->vlan_tci = vid_of(seq);
		m->l2_len = HDR;
		m->l3_len = 20;
	}
	memcpy(sl_mbuf_append(m, (uint16_t)len), buf, len);
	return m;
}

/* @return seq, or -1 with a reason. */
static int64_t
check_pkt(const struct sl_mbuf *m, const struct fdesc *d, int want_flags, const char **why)
{
	static uint8_t exp[JUMBO_MTU + 64], got[JUMBO_MTU + 64];
	unsigned int off = payload_off(d), len = m->pkt_len;
	const uint8_t *f;
	uint32_t magic, seq;

	if (len < off + 8 || len > sizeof(got)) {
		*why = "bad length";
		return -1;
	}
	f = sl_mbuf_read(m, 0, len, got);
	/* Another sender on the same segment (a VF's broadcasts): not ours. */
	if (memcmp(f + 6, d->src, 6) != 0) {
		*why = "not a test frame";
		return -1;
	}
	memcpy(&magic, f + off, 4);
	memcpy(&seq, f + off + 4, 4);
	if (ntohl(magic) != MAGIC) {
		*why = "not a test frame";
		return -1;
	}
	seq = ntohl(seq);
	if (build(exp, seq, d) != len) {
		*why = "length differs from what was sent";
		return -1;
	}
	if (memcmp(exp, f, len) != 0) {
		*why = "bytes differ from what was sent";
		return -1;
	}
	if (want_flags && d->flows) {
		if ((m->ol_flags & SL_MBUF_F_RX_IP_CKSUM_MASK) != SL_MBUF_F_RX_IP_CKSUM_GOOD ||
		    (m->ol_flags & SL_MBUF_F_RX_L4_CKSUM_MASK) != SL_MBUF_F_RX_L4_CKSUM_GOOD) {
			*why = "checksum flags are not GOOD/GOOD";
			return -1;
		}
		if (tx_vlan(seq, d) != !!(m->ol_flags & SL_MBUF_F_RX_VLAN_STRIPPED) ||
		    (tx_vlan(seq, d) && m->vlan_tci != vid_of(seq))) {
			*why = "VLAN tag not stripped into vlan_tci as inserted";
			return -1;
		}
	}
	return seq;
}

/* ---- ports ------------------------------------------------------------------- */

static int
port_of(const char *pci, uint16_t *port)
{
	int ret = sl_eth_dev_get_port_by_name(pci, port);

	if (ret < 0)
		fprintf(stderr, "no port for %s (%s): bound to sluice-pci?\n", pci, strerror(-ret));
	return ret;
}

static int
port_setup(uint16_t port, uint16_t nq, struct sl_eth_conf *conf)
{
	struct sl_eth_link link;
	int ret = sl_eth_dev_configure(port, nq, nq, conf);

	for (uint16_t q = 0; q < nq && ret == 0; q++) {
		ret = sl_eth_rx_queue_setup(port, q, RING, SL_SOCKET_ID_ANY, NULL, pool);
		if (ret == 0)
			ret = sl_eth_tx_queue_setup(port, q, RING, SL_SOCKET_ID_ANY, NULL);
	}
	if (ret == 0)
		ret = sl_eth_dev_start(port);
	if (ret < 0) {
		fprintf(stderr, "port %u: setup failed: %s\n", port, strerror(-ret));
		return ret;
	}
	/* sl_eth_link_get() waits up to 3 s for autonegotiation. */
	for (int i = 0; i < 4; i++) {
		if (sl_eth_link_get(port, &link) == 0 && link.link_status == SL_ETH_LINK_UP)
			return 0;
		usleep(100000);
	}
	fprintf(stderr, "port %u: link is down\n", port);
	return -ENOLINK;
}

static uint64_t
xstat(uint16_t port, const char *name)
{
	uint64_t id, v = UINT64_MAX;

	if (sl_eth_xstats_get_id_by_name(port, name, &id) == 0)
		sl_eth_xstats_get_by_id(port, &id, &v, 1);
	return v;
}

/*
 * Send seq [first, first+count) tx->rx, receive on every RX queue of rx.
 * per_q[q] counts what queue q delivered; queue_of(seq) (if set) is where
 * each frame must land.  @return frames that arrived intact exactly once.
 */
struct xfer {
	uint16_t tx, rx, nq;
	const struct fdesc *d;
	int want_flags;
	uint64_t rss_hf;           /* check the hash and queue when non-zero */
	const uint8_t *reta;       /* 128 entries */
	uint64_t per_q[MAX_Q];
	uint32_t stray;            /* frames that were not ours */
	int tx_rr;                 /* bursts alternate over the nq TX queues */
};

static uint32_t
transfer(struct xfer *x, uint32_t first, uint32_t count)
{
	uint8_t *seen = calloc(count, 1);
	uint32_t sent = first, ok = 0, end = first + count, inflight = 0, bursts = 0;
	uint64_t last = now_ms();
	int reported = 0;

	if (seen == NULL)
		return 0;
	while ((sent < end || inflight > 0) && now_ms() - last < TIMEOUT_MS) {
		struct sl_mbuf *pk[BURST];

		while (sent < end && inflight < WINDOW) {
			uint16_t n = 0;
			while (n < BURST && sent + n < end && inflight + n < WINDOW) {
				pk[n] = make_pkt(sent + n, x->d);
				if (pk[n] == NULL)
					break;
				n++;
			}
			uint16_t tq = x->tx_rr ? (uint16_t)(bursts++ % x->nq) : 0;
			uint16_t s = sl_eth_tx_burst(x->tx, tq, pk, n);
			for (uint16_t i = s; i < n; i++)
				sl_mbuf_free(pk[i]);
			sent += s;
			inflight += s;
			if (s < n)
				break;
		}
		for (uint16_t q = 0; q < x->nq; q++) {
			uint16_t n = sl_eth_rx_burst(x->rx, q, pk, BURST);
			for (uint16_t i = 0; i < n; i++) {
				const char *why = NULL;
				int64_t seq = check_pkt(pk[i], x->d, x->want_flags, &why);
				x->per_q[q]++;
				if (seq < 0 || seq < first || seq >= end) {
					if (why && strcmp(why, "not a test frame") && reported++ < 5)
						FAIL("frame on queue %u: %s", q, why);
					x->stray++;
				} else if (seen[seq - first]++) {
					if (reported++ < 5)
						FAIL("seq %" PRId64 " received twice", seq);
				} else {
					int good = 1;
					if (x->rss_hf) {
						static uint8_t exp[MAX_FRAME + 64];
						uint32_t h = 0;
						unsigned int len = build(exp, (uint32_t)seq, x->d);
						sl_rss_hash_frame(exp, len, x->rss_hf, sl_rss_default_key, &h);
						if (!(pk[i]->ol_flags & SL_MBUF_F_RX_RSS_HASH) ||
						    pk[i]->hash.rss != h) {
							if (reported++ < 5)
								FAIL("seq %" PRId64 ": NIC hash %#x (flag %d), "
								     "Toeplitz says %#x", seq, pk[i]->hash.rss,
								     !!(pk[i]->ol_flags & SL_MBUF_F_RX_RSS_HASH), h);
							good = 0;
						} else if (x->reta[h & 127] != q) {
							if (reported++ < 5)
								FAIL("seq %" PRId64 " on queue %u, RETA[%u] = %u",
								     seq, q, h & 127, x->reta[h & 127]);
							good = 0;
						}
					}
					ok += good;
					inflight--;
					last = now_ms();
				}
				sl_mbuf_free(pk[i]);
			}
		}
	}
	if (sent < end || inflight)
		printf("transfer: %u of %u sent, %u not received after %u ms without progress\n",
		       sent - first, count, inflight, TIMEOUT_MS);
	free(seen);
	return ok;
}

/* ---- rss ----------------------------------------------------------------------- */

static int
cmd_rss(const char *txn, const char *rxn, uint16_t nq, uint32_t count, uint32_t flows)
{
	struct sl_eth_conf rc = { 0 }, tc = { 0 };
	struct sl_eth_rss_reta_entry64 reta[2];
	struct sl_eth_stats st;
	struct sl_ether_addr rxmac, txmac;
	uint8_t key[SL_RSS_KEY_LEN], tbl[128];
	struct sl_eth_rss_conf rconf = { 0 };
	uint16_t tx, rx;
	struct fdesc d = { .flows = flows, .max = MAX_FRAME };
	struct xfer x = { 0 };
	uint32_t got;

	if (nq > MAX_Q || port_of(txn, &tx) < 0 || port_of(rxn, &rx) < 0)
		return 1;
	rc.rxmode.mq_mode = SL_ETH_MQ_RX_RSS;
	rc.rxmode.offloads = SL_ETH_RX_OFFLOAD_IPV4_CKSUM | SL_ETH_RX_OFFLOAD_UDP_CKSUM |
			     SL_ETH_RX_OFFLOAD_VLAN_STRIP | SL_ETH_RX_OFFLOAD_RSS_HASH;
	rc.rx_adv_conf.rss_conf.rss_hf = SL_ETH_RSS_IPV4 | SL_ETH_RSS_NONFRAG_IPV4_UDP;
	tc.txmode.offloads = SL_ETH_TX_OFFLOAD_IPV4_CKSUM | SL_ETH_TX_OFFLOAD_UDP_CKSUM |
			     SL_ETH_TX_OFFLOAD_VLAN_INSERT;
	if (port_setup(rx, nq, &rc) < 0 || port_setup(tx, 1, &tc) < 0)
		return 1;
	sl_eth_macaddr_get(rx, &rxmac);
	sl_eth_macaddr_get(tx, &txmac);
	memcpy(d.dst, rxmac.addr_bytes, 6);
	memcpy(d.src, txmac.addr_bytes, 6);

	/* Configuration read back: default key, round-robin table. */
	if (sl_eth_dev_rss_hash_conf_get(rx, &rconf, key, sizeof(key)) < 0 ||
	    memcmp(key, sl_rss_default_key, sizeof(key)) != 0 ||
	    rconf.rss_hf != rc.rx_adv_conf.rss_conf.rss_hf)
		FAIL("rss_hash_conf_get: key or hash types differ from the configuration");
	memset(reta, 0, sizeof(reta));
	reta[0].mask = reta[1].mask = ~0ULL;
	if (sl_eth_dev_rss_reta_query(rx, reta, 128) < 0)
		FAIL("reta_query failed");
	for (unsigned int i = 0; i < 128; i++) {
		tbl[i] = (uint8_t)reta[i / 64].reta[i % 64];
		if (tbl[i] != i % nq) {
			FAIL("RETA[%u] = %u, expected round robin %u", i, tbl[i], i % nq);
			break;
		}
	}

	x = (struct xfer){ .tx = tx, .rx = rx, .nq = nq, .d = &d, .want_flags = 1,
			   .rss_hf = rc.rx_adv_conf.rss_conf.rss_hf, .reta = tbl };
	got = transfer(&x, 0, count);
	if (got == count)
		PASS("rss: %u frames of %u flows over %u queues, each once, bytes, hash, queue, "
		     "checksum and VLAN flags checked", count, flows, nq);
	else
		FAIL("rss: %u of %u frames arrived intact once on the right queue", got, count);
	printf("per-queue:");
	for (uint16_t q = 0; q < nq; q++)
		printf(" q%u=%" PRIu64, q, x.per_q[q]);
	printf(" (stray %u)\n", x.stray);
	for (uint16_t q = 0; q < nq; q++)
		if (x.per_q[q] == 0)
			FAIL("rss: queue %u received nothing", q);
	if (sl_eth_stats_get(rx, &st) < 0)
		FAIL("stats_get");
	for (uint16_t q = 0; q < nq; q++)
		if (st.q_ipackets[q] != x.per_q[q])
			FAIL("rss: q_ipackets[%u] = %" PRIu64 ", the queue delivered %" PRIu64, q,
			     st.q_ipackets[q], x.per_q[q]);
	if (st.ipackets != count + x.stray)
		FAIL("rss: ipackets %" PRIu64 " != %u", st.ipackets, count + x.stray);
	if (xstat(rx, "rx_good_packets_hw") != st.ipackets)
		FAIL("rss: hardware GPRC %" PRIu64 " != ipackets %" PRIu64,
		     xstat(rx, "rx_good_packets_hw"), st.ipackets);
	if (sl_eth_stats_get(tx, &st) == 0 && (st.opackets != count ||
					      xstat(tx, "tx_good_packets_hw") != count))
		FAIL("rss: TX opackets %" PRIu64 ", hardware GPTC %" PRIu64 ", sent %u", st.opackets,
		     xstat(tx, "tx_good_packets_hw"), count);
	else
		PASS("rss: per-queue and port counters match (software and hardware)");

	/* RETA update: everything to the last queue. */
	for (unsigned int i = 0; i < 128; i++) {
		reta[i / 64].reta[i % 64] = (uint16_t)(nq - 1);
		tbl[i] = (uint8_t)(nq - 1);
	}
	if (sl_eth_dev_rss_reta_update(rx, reta, 128) < 0)
		FAIL("reta_update failed");
	memset(x.per_q, 0, sizeof(x.per_q));
	got = transfer(&x, count, 500);
	if (got == 500 && x.per_q[nq - 1] == 500 + x.stray)
		PASS("rss: after a RETA update all 500 frames arrive on queue %u", nq - 1);
	else
		FAIL("rss: RETA update: %u of 500 intact, %" PRIu64 " on queue %u", got,
		     x.per_q[nq - 1], nq - 1);

	/* Queue stop/start of the queue everything goes to. */
	if (sl_eth_dev_rx_queue_stop(rx, nq - 1) < 0 || sl_eth_dev_rx_queue_start(rx, nq - 1) < 0)
		FAIL("rx queue %u stop/start", nq - 1);
	memset(x.per_q, 0, sizeof(x.per_q));
	got = transfer(&x, count + 500, 300);
	if (got == 300)
		PASS("rss: queue %u stopped and restarted, 300 frames through it", nq - 1);
	else
		FAIL("rss: after queue %u stop/start %u of 300 frames", nq - 1, got);

	/* Multicast table: a group is filtered until listed. */
	{
		struct sl_ether_addr grp = { { 0x01, 0x00, 0x5e, 0x11, 0x22, 0x33 } };
		struct fdesc md = d;
		memcpy(md.dst, grp.addr_bytes, 6);
		x.d = &md;
		x.rss_hf = 0;
		memset(x.per_q, 0, sizeof(x.per_q));
		got = transfer(&x, 100000, 50);
		if (got != 0)
			FAIL("multicast: %u frames to an unlisted group received", got);
		if (sl_eth_dev_set_mc_addr_list(rx, &grp, 1) < 0)
			FAIL("set_mc_addr_list");
		got = transfer(&x, 200000, 50);
		if (got == 50)
			PASS("multicast: unlisted group dropped, 50 of 50 received once listed");
		else
			FAIL("multicast: %u of 50 frames to a listed group", got);
	}
	sl_eth_dev_stop(rx);
	sl_eth_dev_stop(tx);
	return 0;
}

/* ---- jumbo ---------------------------------------------------------------------- */

static int
cmd_jumbo(const char *txn, const char *rxn, uint32_t count)
{
	struct sl_eth_conf c = { 0 };
	struct sl_ether_addr m1, m2;
	struct fdesc d = { .flows = 0, .max = JUMBO_MTU + HDR };
	struct xfer x;
	uint16_t tx, rx;
	uint32_t got;

	if (port_of(txn, &tx) < 0 || port_of(rxn, &rx) < 0)
		return 1;
	c.rxmode.mtu = JUMBO_MTU;
	if (port_setup(rx, 1, &c) < 0 || port_setup(tx, 1, &c) < 0)
		return 1;
	sl_eth_macaddr_get(rx, &m1);
	sl_eth_macaddr_get(tx, &m2);
	memcpy(d.dst, m1.addr_bytes, 6);
	memcpy(d.src, m2.addr_bytes, 6);
	x = (struct xfer){ .tx = tx, .rx = rx, .nq = 1, .d = &d };
	got = transfer(&x, 0, count);
	if (got == count)
		PASS("jumbo: %u frames of 60..%u bytes at MTU %u", count, d.max, JUMBO_MTU);
	else
		FAIL("jumbo: %u of %u frames", got, count);
	sl_eth_dev_stop(rx);
	sl_eth_dev_stop(tx);
	return 0;
}

/* ---- VFs ------------------------------------------------------------------------- */

static int
cmd_vfpair(const char *an, const char *bn, uint32_t count)
{
	struct sl_eth_conf c = { 0 };
	struct sl_ether_addr ma, mb;
	struct fdesc d = { .max = MAX_FRAME };
	struct xfer x;
	uint16_t a, b;
	uint32_t got;

	if (port_of(an, &a) < 0 || port_of(bn, &b) < 0)
		return 1;
	if (port_setup(a, 1, &c) < 0 || port_setup(b, 1, &c) < 0)
		return 1;
	sl_eth_macaddr_get(a, &ma);
	sl_eth_macaddr_get(b, &mb);
	printf("VF %s MAC %02x:%02x:%02x:%02x:%02x:%02x, VF %s MAC %02x:%02x:%02x:%02x:%02x:%02x\n",
	       an, ma.addr_bytes[0], ma.addr_bytes[1], ma.addr_bytes[2], ma.addr_bytes[3],
	       ma.addr_bytes[4], ma.addr_bytes[5], bn, mb.addr_bytes[0], mb.addr_bytes[1],
	       mb.addr_bytes[2], mb.addr_bytes[3], mb.addr_bytes[4], mb.addr_bytes[5]);
	for (int dir = 0; dir < 2; dir++) {
		uint16_t t = dir ? b : a, r = dir ? a : b;
		memcpy(d.dst, dir ? ma.addr_bytes : mb.addr_bytes, 6);
		memcpy(d.src, dir ? mb.addr_bytes : ma.addr_bytes, 6);
		x = (struct xfer){ .tx = t, .rx = r, .nq = 1, .d = &d };
		got = transfer(&x, (uint32_t)dir * count, count);
		if (got == count)
			PASS("VF-to-VF %s -> %s: %u frames, bytes checked", dir ? bn : an,
			     dir ? an : bn, count);
		else
			FAIL("VF-to-VF %s -> %s: %u of %u frames", dir ? bn : an, dir ? an : bn,
			     got, count);
	}
	/* Multicast through the PF mailbox. */
	{
		struct sl_ether_addr grp = { { 0x01, 0x00, 0x5e, 0x44, 0x55, 0x66 } };
		memcpy(d.dst, grp.addr_bytes, 6);
		memcpy(d.src, ma.addr_bytes, 6);
		if (sl_eth_dev_set_mc_addr_list(b, &grp, 1) < 0)
			FAIL("VF set_mc_addr_list through the mailbox");
		x = (struct xfer){ .tx = a, .rx = b, .nq = 1, .d = &d };
		got = transfer(&x, 300000, 50);
		if (got == 50)
			PASS("VF multicast: 50 of 50 frames to a group the PF was asked for");
		else
			FAIL("VF multicast: %u of 50 frames to a listed group", got);
	}
	printf("VF %s xstats rx_good_packets_hw %" PRIu64 ", tx_good_packets_hw %" PRIu64 "\n", bn,
	       xstat(b, "rx_good_packets_hw"), xstat(b, "tx_good_packets_hw"));
	sl_eth_dev_stop(a);
	sl_eth_dev_stop(b);
	return 0;
}

/* Two queue pairs on each VF: both TX queues send, RX queue 0 gets all. */
static int
cmd_vfmq(const char *an, const char *bn, uint32_t count)
{
	struct sl_eth_conf c = { 0 };
	struct sl_ether_addr ma, mb;
	struct fdesc d = { .max = MAX_FRAME };
	uint16_t a, b;

	if (port_of(an, &a) < 0 || port_of(bn, &b) < 0)
		return 1;
	if (port_setup(a, 2, &c) < 0 || port_setup(b, 2, &c) < 0)
		return 1;
	sl_eth_macaddr_get(a, &ma);
	sl_eth_macaddr_get(b, &mb);
	for (int dir = 0; dir < 2; dir++) {
		uint16_t t = dir ? b : a, r = dir ? a : b;
		const char *tn = dir ? bn : an, *rn = dir ? an : bn;
		struct sl_eth_stats st, sr;
		struct xfer x = { .tx = t, .rx = r, .nq = 2, .d = &d, .tx_rr = 1 };
		uint32_t got;

		memcpy(d.dst, dir ? ma.addr_bytes : mb.addr_bytes, 6);
		memcpy(d.src, dir ? mb.addr_bytes : ma.addr_bytes, 6);
		sl_eth_stats_reset(t);
		sl_eth_stats_reset(r);
		got = transfer(&x, 400000 + (uint32_t)dir * count, count);
		sl_eth_stats_get(t, &st);
		sl_eth_stats_get(r, &sr);
		printf("VF 2 queues %s -> %s: TX queue 0 %" PRIu64 ", TX queue 1 %" PRIu64
		       "; RX queue 0 %" PRIu64 ", RX queue 1 %" PRIu64 " (q_ipackets %" PRIu64
		       "/%" PRIu64 ")\n", tn, rn, st.q_opackets[0], st.q_opackets[1], x.per_q[0],
		       x.per_q[1], sr.q_ipackets[0], sr.q_ipackets[1]);
		if (got == count)
			PASS("VF 2 queue pairs %s -> %s: %u frames once each, bytes checked", tn, rn,
			     count);
		else
			FAIL("VF 2 queue pairs %s -> %s: %u of %u frames", tn, rn, got, count);
		if (st.q_opackets[0] > 0 && st.q_opackets[1] > 0 &&
		    st.q_opackets[0] + st.q_opackets[1] == count)
			PASS("VF %s: both TX queues sent (%" PRIu64 " + %" PRIu64 ")", tn,
			     st.q_opackets[0], st.q_opackets[1]);
		else
			FAIL("VF %s: TX queues sent %" PRIu64 " + %" PRIu64 " of %u", tn,
			     st.q_opackets[0], st.q_opackets[1], count);
		/* The PF decides: Linux's igb keeps RSS off on VF pools. */
		if (x.per_q[1] == 0 && sr.q_ipackets[1] == 0 && sr.q_ipackets[0] == x.per_q[0])
			PASS("VF %s: RX queue 1 polled and empty, queue 0 counted %" PRIu64
			     " (the PF left RSS off for the pool)", rn, sr.q_ipackets[0]);
		else
			FAIL("VF %s: RX queue 1 got %" PRIu64 " (q_ipackets %" PRIu64 "/%" PRIu64
			     "): has the PF turned RSS on for VF pools? update doc/drivers/igb.md",
			     rn, x.per_q[1], sr.q_ipackets[0], sr.q_ipackets[1]);
	}
	sl_eth_dev_stop(a);
	sl_eth_dev_stop(b);
	return 0;
}

/* A VF refuses RSS with the reason. */
static int
cmd_vfrss(const char *vn)
{
	struct sl_eth_conf c = { .rxmode.mq_mode = SL_ETH_MQ_RX_RSS };
	uint16_t v;
	int ret;

	if (port_of(vn, &v) < 0)
		return 1;
	c.rx_adv_conf.rss_conf.rss_hf = SL_ETH_RSS_IPV4;
	ret = sl_eth_dev_configure(v, 2, 2, &c);
	if (ret < 0)
		PASS("VF %s refuses RSS: %s", vn, strerror(-ret));
	else
		FAIL("VF %s accepted an RSS configuration", vn);
	return 0;
}

static int
cmd_vf2pf(const char *vn, const char *ifname, uint32_t count)
{
	struct sl_eth_conf c = { 0 };
	struct sl_ether_addr mv;
	struct fdesc d = { .max = MAX_FRAME };
	struct sockaddr_ll sll = { 0 };
	uint8_t *seen = calloc(count, 1);
	uint32_t got = 0, sent = 0;
	uint16_t v;
	int s, ifindex = (int)if_nametoindex(ifname);
	uint64_t last;
	char path[128];
	FILE *fp;

	if (seen == NULL || ifindex == 0 || port_of(vn, &v) < 0)
		return 1;
	snprintf(path, sizeof(path), "/sys/class/net/%s/address", ifname);
	fp = fopen(path, "r");
	if (fp == NULL || fscanf(fp, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &d.dst[0], &d.dst[1],
				 &d.dst[2], &d.dst[3], &d.dst[4], &d.dst[5]) != 6) {
		fprintf(stderr, "cannot read %s\n", path);
		return 1;
	}
	fclose(fp);
	s = socket(AF_PACKET, SOCK_RAW, htons(0x88b5));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(0x88b5);
	sll.sll_ifindex = ifindex;
	if (s < 0 || bind(s, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		perror("AF_PACKET socket");
		return 1;
	}
	if (port_setup(v, 1, &c) < 0)
		return 1;
	sl_eth_macaddr_get(v, &mv);
	memcpy(d.src, mv.addr_bytes, 6);
	last = now_ms();
	while (got < count && now_ms() - last < TIMEOUT_MS) {
		static uint8_t buf[2048], exp[2048];
		struct pollfd pfd = { .fd = s, .events = POLLIN };
		/* Few in flight: the kernel's socket queue is the limit. */
		while (sent < count && sent - got < 16) {
			struct sl_mbuf *m = make_pkt(sent, &d);
			if (m == NULL || sl_eth_tx_burst(v, 0, &m, 1) != 1) {
				if (m)
					sl_mbuf_free(m);
				break;
			}
			sent++;
		}
		if (poll(&pfd, 1, 10) <= 0)
			continue;
		ssize_t n = recv(s, buf, sizeof(buf), 0);
		uint32_t seq, magic;
		if (n < HDR + 8)
			continue;
		memcpy(&magic, buf + HDR, 4);
		memcpy(&seq, buf + HDR + 4, 4);
		if (ntohl(magic) != MAGIC || (seq = ntohl(seq)) >= count)
			continue;
		if (build(exp, seq, &d) != (unsigned int)n || memcmp(exp, buf, (size_t)n) != 0) {
			FAIL("VF-to-PF: seq %u: bytes differ", seq);
			break;
		}
		if (seen[seq]++) {
			FAIL("VF-to-PF: seq %u twice", seq);
			break;
		}
		got++;
		last = now_ms();
	}
	if (got == count)
		PASS("VF-to-PF %s -> %s: %u frames, bytes checked on the PF's kernel interface",
		     vn, ifname, count);
	else
		FAIL("VF-to-PF %s -> %s: %u of %u frames (%u sent)", vn, ifname, got, count, sent);
	close(s);
	sl_eth_dev_stop(v);
	free(seen);
	return 0;
}

static int
cmd_hold(const char *vn)
{
	struct sl_eth_conf c = { 0 };
	struct sl_ether_addr mv;
	struct fdesc d = { .max = MAX_FRAME };
	uint32_t seq = 0;
	uint16_t v;

	if (port_of(vn, &v) < 0 || port_setup(v, 1, &c) < 0)
		return 1;
	sl_eth_macaddr_get(v, &mv);
	memset(d.dst, 0xff, 6);
	memcpy(d.src, mv.addr_bytes, 6);
	printf("hold: %s running\n", vn);
	fflush(stdout);
	for (;;) {
		struct sl_mbuf *pk[BURST];
		uint16_t n = 0;
		while (n < 8 && (pk[n] = make_pkt(seq++, &d)) != NULL)
			n++;
		uint16_t s = sl_eth_tx_burst(v, 0, pk, n);
		for (uint16_t i = s; i < n; i++)
			sl_mbuf_free(pk[i]);
		n = sl_eth_rx_burst(v, 0, pk, BURST);
		for (uint16_t i = 0; i < n; i++)
			sl_mbuf_free(pk[i]);
		usleep(1000);
	}
}

int
main(int argc, char **argv)
{
	int n = sl_eal_init(argc, argv);
	const char *cmd;
	int rc = 1;

	if (n < 0) {
		fprintf(stderr, "sl_eal_init failed\n");
		return 1;
	}
	argc -= n;
	argv += n;
	/* Data room for MTU 9000 frames in one buffer (SRRCTL counts KiB). */
	pool = sl_mbuf_pool_create("igb_e2e", NB_MBUF, 256, 0, 9216 + SL_PKTMBUF_HEADROOM,
				      SL_SOCKET_ID_ANY);
	if (pool == NULL) {
		fprintf(stderr, "mbuf pool: %s\n", strerror(errno));
		return 1;
	}
	cmd = argc > 1 ? argv[1] : "";
	if (!strcmp(cmd, "rss") && argc == 7)
		rc = cmd_rss(argv[2], argv[3], (uint16_t)atoi(argv[4]), (uint32_t)atoi(argv[5]),
			     (uint32_t)atoi(argv[6]));
	else if (!strcmp(cmd, "jumbo") && argc == 5)
		rc = cmd_jumbo(argv[2], argv[3], (uint32_t)atoi(argv[4]));
	else if (!strcmp(cmd, "vfpair") && argc == 5)
		rc = cmd_vfpair(argv[2], argv[3], (uint32_t)atoi(argv[4]));
	else if (!strcmp(cmd, "vfmq") && argc == 5)
		rc = cmd_vfmq(argv[2], argv[3], (uint32_t)atoi(argv[4]));
	else if (!strcmp(cmd, "vfrss") && argc == 3)
		rc = cmd_vfrss(argv[2]);
	else if (!strcmp(cmd, "vf2pf") && argc == 5)
		rc = cmd_vf2pf(argv[2], argv[3], (uint32_t)atoi(argv[4]));
	else if (!strcmp(cmd, "hold") && argc == 3)
		rc = cmd_hold(argv[2]);
	else
		fprintf(stderr, "usage: see the head of igb_e2e.c\n");
	/* Ports before the pool: their rings hold its mbufs. */
	for (uint16_t p = 0; p < SL_MAX_ETHPORTS; p++)
		if (sl_eth_dev_is_valid_port(p))
			sl_eth_dev_close(p);
	sl_mempool_free(pool);
	sl_eal_cleanup();
	return rc || failures ? 1 : 0;
}
