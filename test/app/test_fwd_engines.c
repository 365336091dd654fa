/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The testpmd forwarding engines, byte for byte.
 *
 * Two net_ring ports are cross-connected: what the test sends on port 1
 * arrives on port 0's RX queue, and what port 0 transmits arrives on port
 * 1.  testpmd forwards on port 0 only, with the loop topology, on a real
 * forwarding lcore (tp_start_fwd/tp_stop_fwd, the app's own code).  The
 * test injects known packets through port 1 and checks what comes back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sl_test.h"

#include "sl_arp.h"
#include "sl_cycles.h"
#include "sl_eal.h"
#include "sl_icmp.h"
#include "sl_ip.h"
#include "sl_tcp.h"
#include "sl_udp.h"
#include "testpmd.h"

#define FWD_PORT 0
#define TEST_PORT 1
#define MAX_PKTS 256

static struct sl_mempool *test_pool;
static const struct sl_ether_addr peer_mac = { { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0x01 } };
static const struct sl_ether_addr host_mac = { { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 } };

/* ---- packet construction ---- */

static struct sl_mbuf *
mk(const void *bytes, uint16_t len)
{
	struct sl_mbuf *m = sl_mbuf_alloc(test_pool);

	assert_non_null(m);
	memcpy(sl_mbuf_append(m, len), bytes, len);
	return m;
}

/* Ethernet + IPv4 + UDP/TCP with payload; checksums correct. */
static uint16_t
build_l4(uint8_t *buf, uint8_t proto, uint16_t payload, uint32_t seed)
{
	struct sl_ether_hdr *eth = (struct sl_ether_hdr *)buf;
	struct sl_ipv4_hdr *ip = (struct sl_ipv4_hdr *)(eth + 1);
	uint8_t *l4 = (uint8_t *)(ip + 1);
	uint16_t l4_len = (uint16_t)((proto == SL_IPPROTO_UDP ? 8 : 20) + payload);
	uint16_t c;

	memset(buf, 0, 14 + 20 + l4_len);
	sl_ether_addr_copy(&host_mac, &eth->src_addr);
	sl_ether_addr_copy(&peer_mac, &eth->dst_addr);
	eth->ether_type = htons(SL_ETHER_TYPE_IPV4);
	ip->version_ihl = SL_IPV4_VHL_DEF;
	ip->total_length = htons((uint16_t)(20 + l4_len));
	ip->packet_id = htons((uint16_t)seed);
	ip->time_to_live = 64;
	ip->next_proto_id = proto;
	ip->src_addr = SL_IPV4(10, 0, 0, 1);
	ip->dst_addr = SL_IPV4(10, 0, (seed >> 8) & 0xff, seed & 0xff);
	ip->hdr_checksum = sl_ipv4_cksum(ip);
	for (uint16_t i = 0; i < payload; i++)
		l4[l4_len - payload + i] = (uint8_t)(seed * 7 + i);
	if (proto == SL_IPPROTO_UDP) {
		struct sl_udp_hdr *u = (struct sl_udp_hdr *)l4;

		u->src_port = htons(1000);
		u->dst_port = htons(2000);
		u->dgram_len = htons(l4_len);
	} else {
		struct sl_tcp_hdr *t = (struct sl_tcp_hdr *)l4;

		t->src_port = htons(1000);
		t->dst_port = htons(80);
		t->sent_seq = htonl(seed);
		t->data_off = 5 << 4;
		t->tcp_flags = SL_TCP_ACK_FLAG;
		t->rx_win = htons(1024);
	}
	c = sl_ipv4_udptcp_cksum(ip, l4);
	memcpy(l4 + (proto == SL_IPPROTO_UDP ? 6 : 16), &c, 2);
	return (uint16_t)(14 + 20 + l4_len);
}

/* ---- driving the app ---- */

static void
send_pkts(struct sl_mbuf **pkts, uint16_t n)
{
	uint16_t sent = 0;

	while (sent < n)
		sent = (uint16_t)(sent + sl_eth_tx_burst(TEST_PORT, 0, pkts + sent, (uint16_t)(n - sent)));
}

/* Receive until @p want packets arrived or 2 s passed. */
static uint16_t
recv_pkts(struct sl_mbuf **pkts, uint16_t want)
{
	uint64_t end = sl_rdtsc() + 2 * sl_get_tsc_hz();
	uint16_t got = 0;

	while (got < want && sl_rdtsc() < end)
		got = (uint16_t)(got + sl_eth_rx_burst(TEST_PORT, 0, pkts + got, (uint16_t)(want - got)));
	return got;
}

/* Nothing more must come out within 50 ms. */
static void
assert_no_more(void)
{
	struct sl_mbuf *m;

	usleep(50000);
	assert_int_equal(sl_eth_rx_burst(TEST_PORT, 0, &m, 1), 0);
}

static void
start(const char *mode)
{
	assert_int_equal(tp_set_fwd_mode(mode), 0);
	assert_int_equal(tp_start_fwd(false), 0);
}

/* Stop and check that every packet is accounted for on every stream. */
static const struct fwd_stream *
stop(void)
{
	assert_int_equal(tp_stop_fwd(), 0);
	assert_int_equal(nb_fwd_streams, 1);
	for (unsigned int i = 0; i < nb_fwd_streams; i++) {
		const struct fwd_stream *fs = &fwd_streams[i];

		assert_int_equal(fs->rx_packets + fs->gen_packets,
				 fs->tx_packets + fs->tx_dropped + fs->fwd_discarded);
	}
	return &fwd_streams[0];
}

/* ---- setup ---- */

static int
setup(void **state)
{
	char *argv[] = { "test_fwd_engines", "--no-huge", "-m", "256", "-l", "0-1",
			 "--file-prefix", "tp_fwd_test", "--vdev", "net_ring0,size=1024",
			 "--vdev", "net_ring1,peer=net_ring0,size=1024", "--log-level", "warning",
			 NULL };
	int argc = (int)SL_DIM(argv) - 1;

	(void)state;
	if (sl_eal_init(argc, argv) < 0)
		return -1;
	tp_config_defaults(&cfg);
	tp_out = stdout;
	cfg.topology = TP_TOPO_LOOP;
	cfg.portmask = 1u << FWD_PORT;
	cfg.portmask_set = true;
	cfg.nb_rxd = cfg.nb_txd = 512;
	cfg.peer[FWD_PORT] = peer_mac;
	if (tp_init() < 0)
		return -1;
	test_pool = sl_mbuf_pool_create("test_pool", 4096, 0, 0, SL_MBUF_DEFAULT_BUF_SIZE,
					SL_SOCKET_ID_ANY);
	return test_pool ? 0 : -1;
}

static int
teardown(void **state)
{
	int leaked;

	(void)state;
	leaked = tp_fini();
	if (sl_mempool_in_use_count(test_pool) != 0) {
		fprintf(stderr, "test pool: %u mbufs leaked\n", sl_mempool_in_use_count(test_pool));
		leaked = 1;
	}
	sl_mempool_free(test_pool);
	sl_eal_cleanup();
	return leaked ? -1 : 0;
}

/* ---- the engines ---- */

static void
test_io_unchanged(void **state)
{
	struct sl_mbuf *in[64], *out[64];
	uint8_t ref[64][200];
	uint16_t len[64];

	(void)state;
	for (int i = 0; i < 64; i++) {
		len[i] = build_l4(ref[i], i & 1 ? SL_IPPROTO_TCP : SL_IPPROTO_UDP, (uint16_t)(i * 2), (uint32_t)i);
		in[i] = mk(ref[i], len[i]);
	}
	start("io");
	send_pkts(in, 64);
	assert_int_equal(recv_pkts(out, 64), 64);
	assert_no_more();
	for (int i = 0; i < 64; i++) {
		assert_int_equal(out[i]->pkt_len, len[i]);
		assert_memory_equal(sl_mbuf_mtod(out[i], void *), ref[i], len[i]);
	}
	sl_mbuf_free_bulk(out, 64);
	{
		const struct fwd_stream *fs = stop();

		assert_int_equal(fs->rx_packets, 64);
		assert_int_equal(fs->tx_packets, 64);
	}
}

static void
test_mac_sets_addresses(void **state)
{
	struct sl_mbuf *in[8], *out[8];
	uint8_t ref[8][100];
	uint16_t len[8];
	struct sl_ether_addr port_mac;

	(void)state;
	sl_eth_macaddr_get(FWD_PORT, &port_mac);
	for (int i = 0; i < 8; i++) {
		len[i] = build_l4(ref[i], SL_IPPROTO_UDP, 10, (uint32_t)i);
		in[i] = mk(ref[i], len[i]);
	}
	start("mac");
	send_pkts(in, 8);
	assert_int_equal(recv_pkts(out, 8), 8);
	for (int i = 0; i < 8; i++) {
		const uint8_t *d = sl_mbuf_mtod(out[i], const uint8_t *);

		assert_memory_equal(d, peer_mac.addr_bytes, 6);
		assert_memory_equal(d + 6, port_mac.addr_bytes, 6);
		assert_memory_equal(d + 12, ref[i] + 12, len[i] - 12u); /* rest untouched */
	}
	sl_mbuf_free_bulk(out, 8);
	stop();
}

static void
test_macswap_swaps(void **state)
{
	struct sl_mbuf *in[8], *out[8];
	uint8_t ref[8][100];
	uint16_t len[8];

	(void)state;
	for (int i = 0; i < 8; i++) {
		len[i] = build_l4(ref[i], SL_IPPROTO_UDP, 10, (uint32_t)i);
		ref[i][5] = (uint8_t)i; /* distinct destinations */
		in[i] = mk(ref[i], len[i]);
	}
	start("macswap");
	send_pkts(in, 8);
	assert_int_equal(recv_pkts(out, 8), 8);
	for (int i = 0; i < 8; i++) {
		const uint8_t *d = sl_mbuf_mtod(out[i], const uint8_t *);

		assert_memory_equal(d, ref[i] + 6, 6);
		assert_memory_equal(d + 6, ref[i], 6);
		assert_memory_equal(d + 12, ref[i] + 12, len[i] - 12u);
	}
	sl_mbuf_free_bulk(out, 8);
	stop();
}

/*
 * macswap handles a burst in a prefetching loop and a tail: bursts of 1,
 * 4, 5 and 37 packets (queued before forwarding starts, so that the first
 * RX burst takes them all, up to --burst) go through both parts and the
 * boundary.  Every address byte differs, so a swap that moved a byte to
 * the wrong place shows.
 */
static void
test_macswap_burst_sizes(void **state)
{
	static const uint16_t counts[] = { 1, 4, 5, 37 };
	struct sl_mbuf *in[40], *out[40];
	uint8_t ref[40][100];
	uint16_t len[40];

	(void)state;
	for (unsigned int c = 0; c < SL_DIM(counts); c++) {
		uint16_t n = counts[c];

		for (uint16_t i = 0; i < n; i++) {
			len[i] = build_l4(ref[i], SL_IPPROTO_UDP, 10, i);
			for (uint8_t b = 0; b < 12; b++)
				ref[i][b] = (uint8_t)(0x10 * (c + 1) + b + i); /* 12 distinct bytes */
			in[i] = mk(ref[i], len[i]);
		}
		send_pkts(in, n);
		start("macswap");
		assert_int_equal(recv_pkts(out, n), n);
		for (uint16_t i = 0; i < n; i++) {
			const uint8_t *d = sl_mbuf_mtod(out[i], const uint8_t *);

			assert_int_equal(out[i]->data_len, len[i]);
			assert_memory_equal(d, ref[i] + 6, 6);
			assert_memory_equal(d + 6, ref[i], 6);
			assert_memory_equal(d + 12, ref[i] + 12, len[i] - 12u);
		}
		sl_mbuf_free_bulk(out, n);
		stop();
	}
}

static void
test_rxonly_discards(void **state)
{
	struct sl_mbuf *in[32];
	uint8_t ref[100];
	uint16_t len = build_l4(ref, SL_IPPROTO_UDP, 20, 1);
	const struct fwd_stream *fs;

	(void)state;
	for (int i = 0; i < 32; i++)
		in[i] = mk(ref, len);
	start("rxonly");
	send_pkts(in, 32);
	{
		uint64_t end = sl_rdtsc() + 2 * sl_get_tsc_hz();

		while (__atomic_load_n(&fwd_streams[0].rx_packets, __ATOMIC_RELAXED) < 32 &&
		       sl_rdtsc() < end)
			usleep(1000);
	}
	assert_no_more();
	fs = stop();
	assert_int_equal(fs->rx_packets, 32);
	assert_int_equal(fs->fwd_discarded, 32);
	assert_int_equal(fs->tx_packets, 0);
}

/* Checks a txonly/flowgen packet; returns its IPv4 destination. */
static uint32_t
check_generated(struct sl_mbuf *m, const uint16_t *segs, unsigned int nb_segs)
{
	const uint8_t *d = sl_mbuf_mtod(m, const uint8_t *);
	const struct sl_ipv4_hdr *ip = (const void *)(d + 14);
	const struct sl_udp_hdr *udp = (const void *)(d + 34);
	struct sl_ether_addr port_mac;
	uint32_t total = 0;
	const struct sl_mbuf *s = m;

	for (unsigned int i = 0; i < nb_segs; i++, s = s->next) {
		assert_non_null(s);
		assert_int_equal(s->data_len, segs[i]);
		total += segs[i];
	}
	assert_null(s);
	assert_int_equal(m->nb_segs, nb_segs);
	assert_int_equal(m->pkt_len, total);
	sl_eth_macaddr_get(FWD_PORT, &port_mac);
	assert_memory_equal(d, peer_mac.addr_bytes, 6);
	assert_memory_equal(d + 6, port_mac.addr_bytes, 6);
	assert_int_equal(ntohs(*(const uint16_t *)(d + 12)), SL_ETHER_TYPE_IPV4);
	assert_int_equal(ip->version_ihl, 0x45);
	assert_int_equal(ntohs(ip->total_length), total - 14);
	assert_int_equal(ip->next_proto_id, SL_IPPROTO_UDP);
	assert_int_equal(ip->src_addr, SL_IPV4(192, 0, 2, 1));
	assert_int_equal(sl_raw_cksum(ip, 20), 0xffff); /* valid header checksum */
	assert_int_equal(ntohs(udp->src_port), 1234);
	assert_int_equal(ntohs(udp->dst_port), 5678);
	assert_int_equal(ntohs(udp->dgram_len), total - 34);
	return ip->dst_addr;
}

static void
run_generator(const char *mode, const uint16_t *segs, unsigned int nb_segs, uint32_t *dsts,
	      unsigned int *nb_dst)
{
	struct sl_mbuf *out[MAX_PKTS];
	char spec[64] = "";
	uint16_t got;
	const struct fwd_stream *fs;

	for (unsigned int i = 0; i < nb_segs; i++)
		snprintf(spec + strlen(spec), sizeof(spec) - strlen(spec), "%s%u", i ? "," : "", segs[i]);
	assert_int_equal(tp_set_txpkts(spec), 0);
	cfg.tx_ip_src = SL_IPV4(192, 0, 2, 1);
	cfg.tx_ip_dst = SL_IPV4(192, 0, 2, 100);
	cfg.tx_udp_src = 1234;
	cfg.tx_udp_dst = 5678;
	start(mode);
	got = recv_pkts(out, MAX_PKTS);
	fs = stop();
	assert_int_equal(got, MAX_PKTS);
	assert_true(fs->gen_packets >= MAX_PKTS);
	*nb_dst = got;
	for (uint16_t i = 0; i < got; i++)
		dsts[i] = check_generated(out[i], segs, nb_segs);
	sl_mbuf_free_bulk(out, got);
	/* Drain what the generator left in the ring. */
	while ((got = sl_eth_rx_burst(TEST_PORT, 0, out, MAX_PKTS)) > 0)
		sl_mbuf_free_bulk(out, got);
}

static void
test_txonly_builds_packets(void **state)
{
	static const uint16_t one[] = { 60 }, two[] = { 64, 100 }, three[] = { 42, 1, 500 };
	uint32_t dsts[MAX_PKTS];
	unsigned int n;

	(void)state;
	run_generator("txonly", one, 1, dsts, &n);
	for (unsigned int i = 0; i < n; i++)
		assert_int_equal(dsts[i], SL_IPV4(192, 0, 2, 100));
	run_generator("txonly", two, 2, dsts, &n);
	run_generator("txonly", three, 3, dsts, &n);
	assert_int_equal(tp_set_txpkts("64"), 0);
}

static void
test_flowgen_varies_flows(void **state)
{
	static const uint16_t one[] = { 64 };
	uint32_t dsts[MAX_PKTS];
	unsigned int n, distinct = 0;

	(void)state;
	run_generator("flowgen", one, 1, dsts, &n);
	for (unsigned int i = 0; i < n; i++) {
		uint32_t off = ntohl(dsts[i]) - ntohl(SL_IPV4(192, 0, 2, 100));

		assert_true(off < TP_FLOWGEN_FLOWS);
		if (i > 0 && dsts[i] != dsts[i - 1])
			distinct++;
	}
	assert_true(distinct > n / 2); /* consecutive packets are different flows */
}

static void
test_csum_fixes_and_counts(void **state)
{
	enum { N = 12 };
	struct sl_mbuf *in[N], *out[N];
	uint8_t ref[N][300];
	uint16_t len[N];
	unsigned int bad_ip = 0, bad_l4 = 0;
	const struct fwd_stream *fs;

	(void)state;
	for (int i = 0; i < N; i++) {
		uint8_t proto = i % 3 == 0 ? SL_IPPROTO_TCP : SL_IPPROTO_UDP;
		uint8_t bad[300];

		len[i] = build_l4(ref[i], proto, (uint16_t)(17 + i * 9), (uint32_t)i);
		memcpy(bad, ref[i], len[i]);
		if (i % 2 == 0) { /* break the IPv4 header checksum */
			bad[24] ^= 0x5a;
			bad_ip++;
		}
		if (i % 4 != 3) { /* break the L4 checksum */
			bad[34 + (proto == SL_IPPROTO_UDP ? 6 : 16)] ^= 0x33;
			bad_l4++;
		}
		in[i] = mk(bad, len[i]);
	}
	start("csum");
	send_pkts(in, N);
	assert_int_equal(recv_pkts(out, N), N);
	fs = stop();
	assert_int_equal(fs->rx_bad_ip_csum, bad_ip);
	assert_int_equal(fs->rx_bad_l4_csum, bad_l4);
	for (int i = 0; i < N; i++) {
		const uint8_t *d = sl_mbuf_mtod(out[i], const uint8_t *);
		struct sl_ether_addr port_mac;

		sl_eth_macaddr_get(FWD_PORT, &port_mac);
		/* Checksums are back to the correct values; MACs as in "mac". */
		assert_memory_equal(d + 12, ref[i] + 12, len[i] - 12u);
		assert_memory_equal(d, peer_mac.addr_bytes, 6);
		assert_memory_equal(d + 6, port_mac.addr_bytes, 6);
	}
	sl_mbuf_free_bulk(out, N);
}

static void
test_csum_multiseg_and_ipv6(void **state)
{
	uint8_t ref[400], bad[400];
	uint16_t len = build_l4(ref, SL_IPPROTO_UDP, 301, 77);
	struct sl_mbuf *head, *tail, *out[2];
	/* IPv6/TCP packet */
	uint8_t v6[14 + 40 + 20 + 33], v6bad[sizeof(v6)];
	struct sl_ipv6_hdr *ip6 = (struct sl_ipv6_hdr *)(v6 + 14);
	const struct fwd_stream *fs;
	uint16_t c;

	(void)state;
	memcpy(bad, ref, len);
	bad[34 + 6] ^= 0xff;
	/* Split after 101 bytes: an odd boundary inside the UDP payload. */
	head = mk(bad, 101);
	tail = mk(bad + 101, (uint16_t)(len - 101));
	assert_int_equal(sl_mbuf_chain(head, tail), 0);

	memset(v6, 0, sizeof(v6));
	memcpy(v6, peer_mac.addr_bytes, 6);
	memcpy(v6 + 6, host_mac.addr_bytes, 6);
	v6[12] = 0x86;
	v6[13] = 0xdd;
	ip6->vtc_flow = htonl(6u << 28);
	ip6->payload_len = htons(20 + 33);
	ip6->proto = SL_IPPROTO_TCP;
	ip6->hop_limits = 64;
	ip6->src_addr[0] = 0xfd;
	ip6->src_addr[15] = 1;
	ip6->dst_addr[0] = 0xfd;
	ip6->dst_addr[15] = 2;
	v6[14 + 40 + 12] = 5 << 4;
	for (int i = 0; i < 33; i++)
		v6[14 + 60 + i] = (uint8_t)(i * 3);
	c = sl_ipv6_udptcp_cksum(ip6, v6 + 54);
	memcpy(v6 + 54 + 16, &c, 2);
	memcpy(v6bad, v6, sizeof(v6));
	v6bad[54 + 16] ^= 0x10;

	start("csum");
	send_pkts(&head, 1);
	{
		struct sl_mbuf *m6 = mk(v6bad, sizeof(v6bad));

		send_pkts(&m6, 1);
	}
	assert_int_equal(recv_pkts(out, 2), 2);
	fs = stop();
	assert_int_equal(fs->rx_bad_ip_csum, 0);
	assert_int_equal(fs->rx_bad_l4_csum, 2);
	{
		uint8_t flat[400];
		const void *p = sl_mbuf_read(out[0], 0, len, flat);

		assert_int_equal(out[0]->nb_segs, 2);
		assert_non_null(p);
		assert_memory_equal((const uint8_t *)p + 12, ref + 12, len - 12u);
	}
	assert_memory_equal(sl_mbuf_mtod(out[1], uint8_t *) + 12, v6 + 12, sizeof(v6) - 12);
	sl_mbuf_free_bulk(out, 2);
}

/* A port that offers checksum offloads gets the work handed over: flags,
 * lengths, a zero IPv4 checksum and the pseudo-header seed in the L4 field.
 * net_ring offers none, so the test marks them enabled on the app's port
 * state, as port start does for a NIC that has them; the ring then hands
 * the mbufs over untouched for inspection. */
static void
test_csum_offload_flags(void **state)
{
	uint64_t saved = ports[FWD_PORT].tx_offloads;
	struct sl_mbuf *in[2], *out[2];
	uint8_t pkt[2][200];

	(void)state;
	ports[FWD_PORT].tx_offloads = SL_ETH_TX_OFFLOAD_IPV4_CKSUM | SL_ETH_TX_OFFLOAD_UDP_CKSUM |
				      SL_ETH_TX_OFFLOAD_TCP_CKSUM;
	for (int i = 0; i < 2; i++) {
		uint16_t len = build_l4(pkt[i], i ? SL_IPPROTO_TCP : SL_IPPROTO_UDP, 30, (uint32_t)i);

		in[i] = mk(pkt[i], len);
	}
	start("csum");
	send_pkts(in, 2);
	assert_int_equal(recv_pkts(out, 2), 2);
	stop();
	ports[FWD_PORT].tx_offloads = saved;
	for (int i = 0; i < 2; i++) {
		const struct sl_ipv4_hdr *ip = sl_mbuf_mtod_offset(out[i], const struct sl_ipv4_hdr *, 14);
		const uint8_t *l4 = (const uint8_t *)ip + 20;
		uint16_t field, seed = sl_ipv4_phdr_cksum(ip);
		uint64_t l4flag = i ? SL_MBUF_F_TX_TCP_CKSUM : SL_MBUF_F_TX_UDP_CKSUM;

		assert_int_equal(out[i]->ol_flags & (SL_MBUF_F_TX_IPV4 | SL_MBUF_F_TX_IP_CKSUM | l4flag),
				 SL_MBUF_F_TX_IPV4 | SL_MBUF_F_TX_IP_CKSUM | l4flag);
		assert_int_equal(out[i]->l2_len, 14);
		assert_int_equal(out[i]->l3_len, 20);
		assert_int_equal(ip->hdr_checksum, 0);
		memcpy(&field, l4 + (i ? 16 : 6), 2);
		assert_int_equal(field, seed);
	}
	sl_mbuf_free_bulk(out, 2);
}

static void
test_icmpecho_answers(void **state)
{
	uint8_t arp_req[42], echo[14 + 20 + 8 + 5], udp[100];
	uint8_t want_arp[42], want_echo[sizeof(echo)];
	struct sl_mbuf *in[3], *out[3];
	struct sl_ether_addr port_mac;
	const struct fwd_stream *fs;
	uint16_t udp_len;

	(void)state;
	sl_eth_macaddr_get(FWD_PORT, &port_mac);
	/* ARP who-has 10.0.0.2 tell 10.0.0.1, broadcast. */
	{
		static const uint8_t arp_body[28] = {
			0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01,
			0x02, 0x11, 0x22, 0x33, 0x44, 0x55, 10, 0, 0, 1,
			0, 0, 0, 0, 0, 0, 10, 0, 0, 2,
		};

		memset(arp_req, 0xff, 6);
		memcpy(arp_req + 6, host_mac.addr_bytes, 6);
		arp_req[12] = 0x08;
		arp_req[13] = 0x06;
		memcpy(arp_req + 14, arp_body, 28);
		/* is-at: port MAC for 10.0.0.2, to the asker. */
		memcpy(want_arp, host_mac.addr_bytes, 6);
		memcpy(want_arp + 6, port_mac.addr_bytes, 6);
		want_arp[12] = 0x08;
		want_arp[13] = 0x06;
		memcpy(want_arp + 14, arp_body, 8);
		want_arp[21] = 2; /* reply */
		memcpy(want_arp + 22, port_mac.addr_bytes, 6);
		memcpy(want_arp + 28, (const uint8_t[]){ 10, 0, 0, 2 }, 4);
		memcpy(want_arp + 32, host_mac.addr_bytes, 6);
		memcpy(want_arp + 38, (const uint8_t[]){ 10, 0, 0, 1 }, 4);
	}
	/* ICMP echo request 10.0.0.1 -> 10.0.0.2, id 0x1234, seq 7, "hello". */
	{
		static const uint8_t ip_icmp[20 + 8 + 5] = {
			0x45, 0x00, 0x00, 0x21, 0xbe, 0xef, 0x00, 0x00, 0x40, 0x01, 0x00, 0x00,
			10, 0, 0, 1, 10, 0, 0, 2,
			0x08, 0x00, 0x00, 0x00, 0x12, 0x34, 0x00, 0x07, 'h', 'e', 'l', 'l', 'o',
		};
		struct sl_ipv4_hdr *ip = (struct sl_ipv4_hdr *)(echo + 14);
		struct sl_icmp_hdr *icmp = (struct sl_icmp_hdr *)(echo + 34);

		memcpy(echo, port_mac.addr_bytes, 6);
		memcpy(echo + 6, host_mac.addr_bytes, 6);
		echo[12] = 0x08;
		echo[13] = 0x00;
		memcpy(echo + 14, ip_icmp, sizeof(ip_icmp));
		ip->hdr_checksum = sl_ipv4_cksum(ip);
		icmp->icmp_cksum = sl_icmp_cksum(icmp, 13);
		/* Expected reply, built independently: swapped addresses,
		 * type 0, checksums recomputed from scratch. */
		memcpy(want_echo, echo, sizeof(echo));
		memcpy(want_echo, host_mac.addr_bytes, 6);
		memcpy(want_echo + 6, port_mac.addr_bytes, 6);
		memcpy(want_echo + 14 + 12, (const uint8_t[]){ 10, 0, 0, 2, 10, 0, 0, 1 }, 8);
		ip = (struct sl_ipv4_hdr *)(want_echo + 14);
		ip->hdr_checksum = sl_ipv4_cksum(ip);
		icmp = (struct sl_icmp_hdr *)(want_echo + 34);
		icmp->icmp_type = 0;
		icmp->icmp_cksum = sl_icmp_cksum(icmp, 13);
	}
	udp_len = build_l4(udp, SL_IPPROTO_UDP, 20, 5);
	in[0] = mk(arp_req, sizeof(arp_req));
	in[1] = mk(udp, udp_len);
	in[2] = mk(echo, sizeof(echo));
	start("icmpecho");
	send_pkts(in, 3);
	assert_int_equal(recv_pkts(out, 2), 2);
	assert_no_more();
	fs = stop();
	assert_int_equal(fs->rx_packets, 3);
	assert_int_equal(fs->tx_packets, 2);
	assert_int_equal(fs->fwd_discarded, 1);
	assert_int_equal(out[0]->pkt_len, sizeof(want_arp));
	assert_memory_equal(sl_mbuf_mtod(out[0], void *), want_arp, sizeof(want_arp));
	assert_int_equal(out[1]->pkt_len, sizeof(want_echo));
	assert_memory_equal(sl_mbuf_mtod(out[1], void *), want_echo, sizeof(want_echo));
	sl_mbuf_free_bulk(out, 2);
}

/* An 802.1Q-tagged echo request is answered with the tag kept. */
static void
test_icmpecho_vlan(void **state)
{
	uint8_t req[14 + 4 + 20 + 8 + 4];
	struct sl_ipv4_hdr *ip = (struct sl_ipv4_hdr *)(req + 18);
	struct sl_icmp_hdr *icmp = (struct sl_icmp_hdr *)(req + 38);
	struct sl_ether_addr port_mac;
	struct sl_mbuf *m, *out;
	const uint8_t *d;

	(void)state;
	sl_eth_macaddr_get(FWD_PORT, &port_mac);
	memset(req, 0, sizeof(req));
	memcpy(req, port_mac.addr_bytes, 6);
	memcpy(req + 6, host_mac.addr_bytes, 6);
	req[12] = 0x81; /* 802.1Q, VID 42 */
	req[13] = 0x00;
	req[15] = 42;
	req[16] = 0x08; /* IPv4 */
	ip->version_ihl = SL_IPV4_VHL_DEF;
	ip->total_length = htons(20 + 8 + 4);
	ip->time_to_live = 64;
	ip->next_proto_id = SL_IPPROTO_ICMP;
	ip->src_addr = SL_IPV4(10, 1, 0, 1);
	ip->dst_addr = SL_IPV4(10, 1, 0, 2);
	ip->hdr_checksum = sl_ipv4_cksum(ip);
	icmp->icmp_type = SL_ICMP_TYPE_ECHO_REQUEST;
	icmp->icmp_ident = htons(99);
	memcpy(req + 46, "ping", 4);
	icmp->icmp_cksum = sl_icmp_cksum(icmp, 12);
	m = mk(req, sizeof(req));
	start("icmpecho");
	send_pkts(&m, 1);
	assert_int_equal(recv_pkts(&out, 1), 1);
	stop();
	d = sl_mbuf_mtod(out, const uint8_t *);
	assert_memory_equal(d, host_mac.addr_bytes, 6);
	assert_memory_equal(d + 6, port_mac.addr_bytes, 6);
	assert_memory_equal(d + 12, req + 12, 6); /* tag and EtherType kept */
	ip = (struct sl_ipv4_hdr *)(uintptr_t)(d + 18);
	assert_int_equal(ip->src_addr, SL_IPV4(10, 1, 0, 2));
	assert_int_equal(ip->dst_addr, SL_IPV4(10, 1, 0, 1));
	assert_int_equal(sl_raw_cksum(ip, 20), 0xffff);
	assert_int_equal(d[38], SL_ICMP_TYPE_ECHO_REPLY);
	assert_int_equal(sl_raw_cksum(d + 38, 12), 0xffff); /* valid ICMP checksum */
	assert_memory_equal(d + 46, "ping", 4);
	sl_mbuf_free(out);
}

/* Nobody reads port 1: its RX ring fills up, tx_burst refuses packets, and
 * the refused ones are freed and counted -- rx + gen = tx + tx_dropped. */
static void
test_tx_dropped_accounting(void **state)
{
	const struct fwd_stream *fs;
	struct sl_mbuf *out[MAX_PKTS];
	uint16_t got;
	unsigned int total = 0;

	(void)state;
	start("txonly");
	usleep(200000);
	fs = stop();
	assert_true(fs->tx_dropped > 0);
	while ((got = sl_eth_rx_burst(TEST_PORT, 0, out, MAX_PKTS)) > 0) {
		total += got;
		sl_mbuf_free_bulk(out, got);
	}
	assert_int_equal(total, fs->tx_packets);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_io_unchanged),
		cmocka_unit_test(test_mac_sets_addresses),
		cmocka_unit_test(test_macswap_swaps),
		cmocka_unit_test(test_macswap_burst_sizes),
		cmocka_unit_test(test_rxonly_discards),
		cmocka_unit_test(test_txonly_builds_packets),
		cmocka_unit_test(test_flowgen_varies_flows),
		cmocka_unit_test(test_csum_fixes_and_counts),
		cmocka_unit_test(test_csum_multiseg_and_ipv6),
		cmocka_unit_test(test_csum_offload_flags),
		cmocka_unit_test(test_icmpecho_answers),
		cmocka_unit_test(test_icmpecho_vlan),
		cmocka_unit_test(test_tx_dropped_accounting),
	};

	return sl_test_exit(cmocka_run_group_tests_name("testpmd engines", tests, setup,
							teardown));
}
