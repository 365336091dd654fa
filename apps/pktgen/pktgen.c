/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-pktgen: a packet generator and receiver for one port pair.
 *
 * One forwarding lcore sends UDP/IPv4 packets on --tx-port, at --rate
 * packets per second or as fast as it can.  The same lcore receives on
 * --rx-port.  Every packet carries a sequence number and the TSC at send
 * time in its payload, so the receiver can count losses, reordering and
 * latency.  Sender and receiver run on one lcore and read one TSC, so the
 * latency needs no clock synchronisation; it includes the time a packet
 * waits for the next receive poll (at most one send burst).
 *
 * Rate control is a token bucket on the TSC: at time t the sender may have
 * sent rate * t packets in total, in bursts of at most --burst.
 *
 * Receive on a port that really carries the packets (a net_ring pair, or
 * NICs with a cable): a net_null port's RX hands out recycled pool buffers,
 * which still hold old payloads, so loss and latency read there mean
 * nothing.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "sl_cycles.h"
#include "sl_eal.h"
#include "sl_ethdev.h"
#include "sl_ether.h"
#include "sl_ip.h"
#include "sl_lcore.h"
#include "sl_mbuf.h"
#include "sl_udp.h"

#define PG_EXIT_USAGE 2
#define PG_MAX_BURST 512
#define PG_MAGIC 0x534c5047u /* "SLPG" */
#define PG_HDR_LEN (14 + 20 + 8)
#define PG_MIN_SIZE (PG_HDR_LEN + (int)sizeof(struct pg_payload))
#define PG_DRAIN_MS 100
#define PG_DEF_SIZE 64

/* What every generated packet carries after its UDP header. */
struct pg_payload {
	uint32_t magic;
	uint64_t seq;
	uint64_t tsc;
} __sl_packed;

static_assert(PG_HDR_LEN + sizeof(struct pg_payload) <= PG_DEF_SIZE,
	      "the default frame must hold the headers and the payload");

struct pg_config {
	uint16_t tx_port, rx_port;
	bool rx_port_set;
	uint16_t size;
	uint64_t rate;          /* packets/s, 0 = unlimited */
	uint64_t count;         /* 0 = unlimited */
	double duration_s;      /* 0 = until count or signal */
	uint32_t flows;
	uint16_t burst;
	unsigned int stats_period;
	bool json;
	uint32_t ip_src, ip_dst;  /* network order */
	uint16_t udp_src, udp_dst;
};

/* Written by the generator lcore only; read by main for live statistics. */
struct pg_stats {
	uint64_t tx;
	uint64_t tx_nombuf;
	uint64_t tx_dropped;    /* refused by tx_burst, freed */
	uint64_t rx;
	uint64_t rx_foreign;    /* not ours (no magic) */
	uint64_t rx_reordered;  /* sequence lower than one seen before */
	uint64_t rx_dup;
	uint64_t lat_sum, lat_min, lat_max; /* TSC cycles */
	uint64_t next_seq;      /* receiver: next expected sequence */
	uint64_t rx_bytes, tx_bytes;
} __sl_cache_aligned;

static struct pg_config pg;
static struct pg_stats st;
static struct sl_mempool *pool;
static volatile int pg_signal;
static bool stop_tx, stop_rx; /* set by main, read relaxed by the lcore */
static uint8_t hdr_tpl[PG_HDR_LEN];

static void
on_signal(int sig)
{
	pg_signal = sig;
}

static void
usage(FILE *f)
{
	fprintf(f,
		"Usage: sluice-pktgen [EAL options] -- [options]\n"
		"  --tx-port=N            port to send on (0)\n"
		"  --rx-port=N            port to receive on (1 if it exists, else 0)\n"
		"  --size=BYTES           frame length without FCS, %d..%d (64)\n"
		"  --rate=PPS             packets per second, 0 = as fast as possible (0)\n"
		"  --count=N              stop sending after N packets (unlimited)\n"
		"  --duration=SECONDS     stop sending after this long\n"
		"  --flows=N              UDP source ports cycled through (1)\n"
		"  --burst=N              packets per burst, 1..%d (32)\n"
		"  --tx-ip=SRC,DST        IPv4 addresses (198.18.0.1,198.18.0.2)\n"
		"  --tx-udp=SRC[,DST]     UDP ports (9,9)\n"
		"  --stats-period=S       live statistics every S seconds, 0 = off (1)\n"
		"  --json                 final statistics as one JSON object on stdout\n"
		"  -h, --help             this text\n",
		PG_MIN_SIZE, SL_ETHER_MAX_LEN - SL_ETHER_CRC_LEN, PG_MAX_BURST);
}

static int
parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *v)
{
	char *end;
	unsigned long long x;

	if (s == NULL || *s == '\0' || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || *end || x < min || x > max)
		return -EINVAL;
	*v = x;
	return 0;
}

static int
parse_pair(const char *s, char *a, char *b, size_t len)
{
	const char *comma = strchr(s, ',');

	if (comma == NULL || (size_t)(comma - s) >= len || strlen(comma + 1) >= len)
		return -EINVAL;
	snprintf(a, len, "%.*s", (int)(comma - s), s);
	snprintf(b, len, "%s", comma + 1);
	return 0;
}

#define BAD(opt, val, ...) do { \
	fprintf(stderr, "sluice-pktgen: bad value '%s' for --%s: ", (val), (opt)); \
	fprintf(stderr, __VA_ARGS__); \
	fputc('\n', stderr); \
	return -EINVAL; \
} while (0)

static int
parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tx-port", required_argument, NULL, 't' },
		{ "rx-port", required_argument, NULL, 'r' },
		{ "size", required_argument, NULL, 's' },
		{ "rate", required_argument, NULL, 'R' },
		{ "count", required_argument, NULL, 'c' },
		{ "duration", required_argument, NULL, 'd' },
		{ "flows", required_argument, NULL, 'f' },
		{ "burst", required_argument, NULL, 'b' },
		{ "tx-ip", required_argument, NULL, 'I' },
		{ "tx-udp", required_argument, NULL, 'U' },
		{ "stats-period", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int o, idx;

	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, ":h", opts, &idx)) != -1) {
		const char *name = o != 'h' && o != ':' && o != '?' ? opts[idx].name : "";

		switch (o) {
		case 't':
		case 'r':
			if (parse_u64(optarg, 0, SL_MAX_ETHPORTS - 1, &v) < 0)
				BAD(name, optarg, "need a port id 0..%u", SL_MAX_ETHPORTS - 1);
			if (o == 't') {
				pg.tx_port = (uint16_t)v;
			} else {
				pg.rx_port = (uint16_t)v;
				pg.rx_port_set = true;
			}
			break;
		case 's':
			if (parse_u64(optarg, PG_MIN_SIZE, SL_ETHER_MAX_LEN - SL_ETHER_CRC_LEN, &v) < 0)
				BAD(name, optarg, "need %d..%d bytes (e.g. --size=64)", PG_MIN_SIZE,
				    SL_ETHER_MAX_LEN - SL_ETHER_CRC_LEN);
			pg.size = (uint16_t)v;
			break;
		case 'R':
			if (parse_u64(optarg, 0, UINT64_MAX / 4, &v) < 0)
				BAD(name, optarg, "need packets per second, 0 for unlimited (e.g. --rate=1000000)");
			pg.rate = v;
			break;
		case 'c':
			if (parse_u64(optarg, 1, UINT64_MAX / 4, &v) < 0)
				BAD(name, optarg, "need a packet count >= 1 (e.g. --count=100000)");
			pg.count = v;
			break;
		case 'd': {
			char *end;

			errno = 0;
			pg.duration_s = strtod(optarg, &end);
			if (errno || *end || *optarg == '\0' || !(pg.duration_s > 0) || pg.duration_s > 1e7)
				BAD(name, optarg, "need a positive number of seconds (e.g. --duration=10)");
			break;
		}
		case 'f':
			if (parse_u64(optarg, 1, 65536, &v) < 0)
				BAD(name, optarg, "need 1..65536 flows");
			pg.flows = (uint32_t)v;
			break;
		case 'b':
			if (parse_u64(optarg, 1, PG_MAX_BURST, &v) < 0)
				BAD(name, optarg, "need 1..%d (e.g. --burst=32)", PG_MAX_BURST);
			pg.burst = (uint16_t)v;
			break;
		case 'I': {
			char a[32], b[32];
			struct in_addr x, y;

			if (parse_pair(optarg, a, b, sizeof(a)) < 0 || inet_pton(AF_INET, a, &x) != 1 ||
			    inet_pton(AF_INET, b, &y) != 1)
				BAD(name, optarg, "need SRC,DST IPv4 addresses (e.g. --tx-ip=198.18.0.1,198.18.0.2)");
			pg.ip_src = x.s_addr;
			pg.ip_dst = y.s_addr;
			break;
		}
		case 'U': {
			char a[16], b[16];
			uint64_t x, y;

			if (strchr(optarg, ',') == NULL) {
				snprintf(a, sizeof(a), "%.15s", optarg);
				snprintf(b, sizeof(b), "%.15s", optarg);
			} else if (parse_pair(optarg, a, b, sizeof(a)) < 0) {
				BAD(name, optarg, "need SRC[,DST] UDP ports (e.g. --tx-udp=9,9)");
			}
			if (parse_u64(a, 0, UINT16_MAX, &x) < 0 || parse_u64(b, 0, UINT16_MAX, &y) < 0)
				BAD(name, optarg, "need SRC[,DST] UDP ports 0..65535 (e.g. --tx-udp=9,9)");
			pg.udp_src = (uint16_t)x;
			pg.udp_dst = (uint16_t)y;
			break;
		}
		case 'p':
			if (parse_u64(optarg, 0, 86400, &v) < 0)
				BAD(name, optarg, "need 0..86400 seconds (0 = off)");
			pg.stats_period = (unsigned int)v;
			break;
		case 'j':
			pg.json = true;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case ':':
			fprintf(stderr, "sluice-pktgen: option '%s' needs a value (see --help)\n",
				argv[optind - 1]);
			return -EINVAL;
		default:
			fprintf(stderr, "sluice-pktgen: unknown option '%s' (see --help)\n",
				argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "sluice-pktgen: unexpected argument '%s' (see --help)\n", argv[optind]);
		return -EINVAL;
	}
	return 0;
}

/* ---- ports ---- */

static int
port_init(uint16_t port)
{
	struct sl_eth_conf conf;
	int rc;

	memset(&conf, 0, sizeof(conf));
	rc = sl_eth_dev_configure(port, 1, 1, &conf);
	if (rc == 0)
		rc = sl_eth_rx_queue_setup(port, 0, 1024, sl_eth_dev_socket_id(port), NULL, pool);
	if (rc == 0)
		rc = sl_eth_tx_queue_setup(port, 0, 1024, sl_eth_dev_socket_id(port), NULL);
	if (rc == 0)
		rc = sl_eth_dev_start(port);
	if (rc < 0) {
		fprintf(stderr, "sluice-pktgen: port %u: set-up failed: %s\n", port, strerror(-rc));
		return rc;
	}
	sl_eth_promiscuous_enable(port);
	return 0;
}

static void
build_template(void)
{
	struct sl_ether_hdr *eth = (struct sl_ether_hdr *)hdr_tpl;
	struct sl_ipv4_hdr *ip = (struct sl_ipv4_hdr *)(eth + 1);
	struct sl_udp_hdr *udp = (struct sl_udp_hdr *)(ip + 1);

	sl_eth_macaddr_get(pg.rx_port, &eth->dst_addr);
	sl_eth_macaddr_get(pg.tx_port, &eth->src_addr);
	eth->ether_type = htons(SL_ETHER_TYPE_IPV4);
	ip->version_ihl = SL_IPV4_VHL_DEF;
	ip->total_length = htons((uint16_t)(pg.size - sizeof(*eth)));
	ip->time_to_live = 64;
	ip->next_proto_id = SL_IPPROTO_UDP;
	ip->src_addr = pg.ip_src;
	ip->dst_addr = pg.ip_dst;
	ip->hdr_checksum = sl_ipv4_cksum(ip);
	udp->src_port = htons(pg.udp_src);
	udp->dst_port = htons(pg.udp_dst);
	udp->dgram_len = htons((uint16_t)(pg.size - sizeof(*eth) - sizeof(*ip)));
}

/* ---- the generator lcore ---- */

/* Build and send @p n packets; returns how many were built (0 if the pool
 * is empty), sent or refused. */
static uint16_t
send_burst(uint16_t n, uint64_t now)
{
	struct sl_mbuf *pkts[PG_MAX_BURST];
	uint16_t i, sent;

	if (sl_unlikely(sl_mbuf_alloc_bulk(pool, pkts, n) != 0)) {
		st.tx_nombuf++;
		return 0;
	}
	for (i = 0; i < n; i++) {
		struct sl_mbuf *m = pkts[i];
		uint8_t *d = sl_mbuf_mtod(m, uint8_t *);
		struct pg_payload pl;
		uint32_t flow = (uint32_t)(st.tx + i) % pg.flows;
		uint16_t sport = htons((uint16_t)(pg.udp_src + flow));

		memcpy(d, hdr_tpl, PG_HDR_LEN);
		memcpy(d + 34, &sport, 2);
		pl.magic = PG_MAGIC;
		pl.seq = st.tx + i;
		pl.tsc = now;
		memcpy(d + PG_HDR_LEN, &pl, sizeof(pl));
		m->data_len = pg.size;
		m->pkt_len = pg.size;
	}
	sent = sl_eth_tx_burst(pg.tx_port, 0, pkts, n);
	if (sl_unlikely(sent < n)) {
		st.tx_dropped += (uint16_t)(n - sent);
		sl_mbuf_free_bulk(&pkts[sent], (unsigned int)(n - sent));
	}
	/* Refused packets keep their sequence numbers: they are counted in
	 * tx_dropped, and "lost" only covers packets the port accepted. */
	st.tx += n;
	st.tx_bytes += (uint64_t)sent * pg.size;
	return n;
}

static void
recv_burst(void)
{
	struct sl_mbuf *pkts[PG_MAX_BURST];
	uint16_t n = sl_eth_rx_burst(pg.rx_port, 0, pkts, pg.burst);
	/* Read after the burst returned: the packets are here now. */
	uint64_t now = sl_rdtsc();

	for (uint16_t i = 0; i < n; i++) {
		const struct sl_mbuf *m = pkts[i];
		struct pg_payload pl;

		st.rx_bytes += m->pkt_len;
		if (m->data_len < PG_MIN_SIZE) {
			st.rx_foreign++;
			continue;
		}
		memcpy(&pl, sl_mbuf_mtod_offset(m, const uint8_t *, PG_HDR_LEN), sizeof(pl));
		if (pl.magic != PG_MAGIC) {
			st.rx_foreign++;
			continue;
		}
		st.rx++;
		if (pl.seq < st.next_seq)
			st.rx_reordered++;
		else
			st.next_seq = pl.seq + 1;
		if (now >= pl.tsc) {
			uint64_t lat = now - pl.tsc;

			st.lat_sum += lat;
			if (lat < st.lat_min)
				st.lat_min = lat;
			if (lat > st.lat_max)
				st.lat_max = lat;
		}
	}
	if (n)
		sl_mbuf_free_bulk(pkts, n);
}

static int
gen_lcore(void *arg)
{
	const uint64_t hz = sl_get_tsc_hz();
	const uint64_t start = sl_rdtsc();
	uint64_t sent_total = 0;

	(void)arg;
	while (!__atomic_load_n(&stop_rx, __ATOMIC_RELAXED)) {
		uint64_t now = sl_rdtsc();

		/* Relaxed loads of the stop flags: main only needs them seen
		 * eventually; it joins with sl_eal_wait_lcore(). */
		if (!__atomic_load_n(&stop_tx, __ATOMIC_RELAXED)) {
			uint64_t allowed = pg.burst;

			if (pg.rate) {
				/* Token bucket: packets due since start. */
				unsigned __int128 due = (unsigned __int128)(now - start) * pg.rate / hz;

				allowed = due > sent_total ? (uint64_t)(due - sent_total) : 0;
			}
			if (pg.count && st.tx + allowed > pg.count)
				allowed = pg.count - st.tx;
			if (allowed) {
				uint16_t n = (uint16_t)SL_MIN(allowed, (uint64_t)pg.burst);

				sent_total += send_burst(n, now);
			}
		}
		recv_burst();
	}
	return 0;
}

/* ---- statistics ---- */

static double
cyc_to_us(uint64_t c)
{
	return (double)c * 1e6 / (double)sl_get_tsc_hz();
}

static void
show_live(FILE *out, double dt, uint64_t dtx, uint64_t drx)
{
	fprintf(out, "tx %12" PRIu64 " (%8.3f Mpps)   rx %12" PRIu64 " (%8.3f Mpps)   "
		"latency avg %.1f us\n", st.tx, (double)dtx / dt / 1e6, st.rx,
		(double)drx / dt / 1e6, st.rx ? cyc_to_us(st.lat_sum / st.rx) : 0.0);
	fflush(out);
}

static void
show_final(FILE *out, double secs)
{
	uint64_t sent = st.tx - st.tx_dropped;
	uint64_t lost = sent > st.rx ? sent - st.rx : 0;

	if (pg.json) {
		printf("{\"duration_s\": %.6f, \"tx_packets\": %" PRIu64 ", \"tx_dropped\": %" PRIu64
		       ", \"tx_nombuf\": %" PRIu64 ", \"rx_packets\": %" PRIu64 ", \"lost\": %" PRIu64
		       ", \"reordered\": %" PRIu64 ", \"foreign\": %" PRIu64 ", \"tx_bytes\": %" PRIu64
		       ", \"rx_bytes\": %" PRIu64 ", \"tx_pps\": %.1f, \"rx_pps\": %.1f, "
		       "\"latency_us\": {\"min\": %.3f, \"avg\": %.3f, \"max\": %.3f}}\n",
		       secs, sent, st.tx_dropped, st.tx_nombuf, st.rx, lost, st.rx_reordered,
		       st.rx_foreign, st.tx_bytes, st.rx_bytes, secs > 0 ? (double)sent / secs : 0.0,
		       secs > 0 ? (double)st.rx / secs : 0.0, st.rx ? cyc_to_us(st.lat_min) : 0.0,
		       st.rx ? cyc_to_us(st.lat_sum / st.rx) : 0.0, st.rx ? cyc_to_us(st.lat_max) : 0.0);
		fflush(stdout);
		return;
	}
	fprintf(out, "---------------- sluice-pktgen: port %u -> port %u ----------------\n",
		pg.tx_port, pg.rx_port);
	fprintf(out, "sent      %" PRIu64 " packets (%.3f Mpps over %.3f s), %" PRIu64
		" refused by the port, %" PRIu64 " pool-empty bursts\n", sent,
		secs > 0 ? (double)sent / secs / 1e6 : 0.0, secs, st.tx_dropped, st.tx_nombuf);
	fprintf(out, "received  %" PRIu64 " packets, lost %" PRIu64 ", reordered %" PRIu64
		", foreign %" PRIu64 "\n", st.rx, lost, st.rx_reordered, st.rx_foreign);
	if (st.rx)
		fprintf(out, "latency   min %.1f us, avg %.1f us, max %.1f us\n", cyc_to_us(st.lat_min),
			cyc_to_us(st.lat_sum / st.rx), cyc_to_us(st.lat_max));
}

/* ---- main ---- */

static int
run(FILE *out)
{
	const uint64_t hz = sl_get_tsc_hz();
	uint64_t start, end, next_stats, last_tx = 0, last_rx = 0, last_t, stop_at;
	unsigned int worker = sl_get_next_lcore((unsigned int)-1, 1, 0);
	int rc;

	if (worker >= SL_MAX_LCORE) {
		fprintf(stderr, "sluice-pktgen: needs one worker lcore: give the EAL two (e.g. -l 0-1)\n");
		return -EINVAL;
	}
	st.lat_min = UINT64_MAX;
	start = sl_rdtsc();
	end = pg.duration_s > 0 ? start + (uint64_t)(pg.duration_s * (double)hz) : 0;
	next_stats = start + (uint64_t)pg.stats_period * hz;
	last_t = start;
	rc = sl_eal_remote_launch(gen_lcore, NULL, worker);
	if (rc < 0) {
		fprintf(stderr, "sluice-pktgen: cannot launch on lcore %u: %s\n", worker, strerror(-rc));
		return rc;
	}
	while (!pg_signal) {
		uint64_t now = sl_rdtsc();

		if (end && now >= end)
			break;
		if (pg.count && __atomic_load_n(&st.tx, __ATOMIC_RELAXED) >= pg.count)
			break;
		if (pg.stats_period && now >= next_stats) {
			uint64_t tx = st.tx, rx = st.rx;

			show_live(out, (double)(now - last_t) / (double)hz, tx - last_tx, rx - last_rx);
			last_tx = tx;
			last_rx = rx;
			last_t = now;
			next_stats += (uint64_t)pg.stats_period * hz;
		}
		poll(NULL, 0, 10);
	}
	__atomic_store_n(&stop_tx, true, __ATOMIC_RELAXED);
	stop_at = sl_rdtsc();
	/* Keep receiving briefly so that packets in flight are not counted lost. */
	poll(NULL, 0, PG_DRAIN_MS);
	__atomic_store_n(&stop_rx, true, __ATOMIC_RELAXED);
	sl_eal_wait_lcore(worker);
	if (pg_signal)
		fprintf(out, "Signal %d received, stopping\n", pg_signal);
	show_final(out, (double)(stop_at - start) / (double)hz);
	return 0;
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	FILE *out;
	int n, rc, status = 0;
	unsigned int in_use;

	memset(&pg, 0, sizeof(pg));
	pg.size = PG_DEF_SIZE;
	pg.flows = 1;
	pg.burst = 32;
	pg.stats_period = 1;
	pg.ip_src = SL_IPV4(198, 18, 0, 1);
	pg.ip_dst = SL_IPV4(198, 18, 0, 2);
	pg.udp_src = pg.udp_dst = 9;

	n = sl_eal_init(argc, argv);
	if (n == SL_EAL_HELP_SHOWN) {
		/* Asking for help is success; the EAL printed its options. */
		printf("\n");
		usage(stdout);
		return 0;
	}
	if (n < 0) {
		fprintf(stderr, "sluice-pktgen: EAL initialisation failed: %s\n", strerror(-n));
		return PG_EXIT_USAGE;
	}
	argc -= n;
	argv += n;
	argv[0] = (char *)"sluice-pktgen";
	rc = parse_args(argc, argv);
	if (rc != 0) {
		sl_eal_cleanup();
		return rc < 0 ? PG_EXIT_USAGE : 0;
	}
	out = pg.json ? stderr : stdout;
	if (!pg.rx_port_set)
		pg.rx_port = sl_eth_dev_is_valid_port(1) ? 1 : 0;
	if (!sl_eth_dev_is_valid_port(pg.tx_port) || !sl_eth_dev_is_valid_port(pg.rx_port)) {
		fprintf(stderr, "sluice-pktgen: port %u does not exist: %u port(s) attached; add ports "
			"with --vdev (e.g. --vdev net_ring0 --vdev net_ring1,peer=net_ring0)\n",
			sl_eth_dev_is_valid_port(pg.tx_port) ? pg.rx_port : pg.tx_port,
			sl_eth_dev_count_avail());
		sl_eal_cleanup();
		return PG_EXIT_USAGE;
	}
	pool = sl_mbuf_pool_create("pg_pool", 8192, 256, 0, SL_MBUF_DEFAULT_BUF_SIZE,
				   SL_SOCKET_ID_ANY);
	if (pool == NULL) {
		fprintf(stderr, "sluice-pktgen: cannot create the mbuf pool: %s\n", strerror(errno));
		sl_eal_cleanup();
		return 1;
	}
	if (port_init(pg.tx_port) < 0 || (pg.rx_port != pg.tx_port && port_init(pg.rx_port) < 0)) {
		status = 1;
		goto out;
	}
	build_template();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (run(out) < 0)
		status = 1;
out:
	sl_eth_dev_stop(pg.tx_port);
	sl_eth_dev_close(pg.tx_port);
	if (pg.rx_port != pg.tx_port) {
		sl_eth_dev_stop(pg.rx_port);
		sl_eth_dev_close(pg.rx_port);
	}
	in_use = sl_mempool_in_use_count(pool);
	if (in_use) {
		fprintf(stderr, "sluice-pktgen: %u mbuf(s) leaked\n", in_use);
		status = 1;
	}
	sl_mempool_free(pool);
	sl_eal_cleanup();
	return status;
}
