/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-pktgen: a traffic generator and receiver.
 *
 * Streams: each sends UDP/IPv4 on a TX port and is received on an RX port
 * (--ports=TX:RX,... or --tx-port/--rx-port).  A worker lcore sends every
 * stream's due packets, then polls every RX port, and repeats.  With
 * --cores=N, N workers share the work, one queue of each port per worker:
 * each stream is sent as N sub-streams (own sequence numbers, 1/N of the
 * rate), worker w sending sub-stream w on TX queue w and polling RX queue w
 * of every RX port.  A worker keeps its own receive state of every
 * sub-stream, whatever queue the packets come back on (a device under test
 * may spread them with RSS), so no two lcores write one counter, except a
 * sub-stream's sequence window, which its sender owns: the others hand it
 * their sequence numbers (pg_core.h), so a copy is a duplicate on any queue.
 * Main sums the sub-streams and workers into the stream's figures
 * (gather()).  Every frame
 * ends with a trailer (pg_core.h) holding the stream, a sequence number
 * and the TSC when it was built, so the receiver counts loss, reordering,
 * duplicates (pg_seq.h) and latency into a log-bucketed histogram
 * (pg_hist.h).  Sender and receiver run on one lcore and read one TSC, so
 * latency needs no clock synchronisation; it includes the wait for the
 * next receive poll.
 *
 * Pacing (pg_sched.h): packet k is due at start + k / rate; each poll
 * sends those due, each stamped with the TSC read as it is finished;
 * after a stall at most --max-burst-catchup packets go out late back to
 * back, the rest of the debt at --catchup-peak times the rate.
 *
 * Receive on a port that really carries the packets (a net_ring pair, or
 * NICs with a cable): a net_null port's RX hands out recycled pool buffers,
 * which still hold old payloads, so loss and latency read there mean
 * nothing.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "pg_core.h"
#include "pg_pcap.h"
#include "pg_plot.h"
#include "sl_cycles.h"
#include "sl_eal.h"
#include "sl_ethdev.h"
#include "sl_ether.h"
#include "sl_ip.h"
#include "sl_lcore.h"
#include "sl_mbuf.h"
#include "sl_ring.h"

#define PG_EXIT_USAGE 2
#define PG_MAX_BURST 512
#define PG_DRAIN_MS 100
/* --duration: slots due before the deadline are still sent this long after
 * it (a stall just before it), well within the drain. */
#define PG_LATE_MS 40
/* --rate=max: packets the port refused are offered again until it has
 * taken none of them for this long (then they are dropped). */
#define PG_RETRY_MS 100
static_assert(PG_LATE_MS * 2 < PG_DRAIN_MS, "late packets are received in the drain");
#define PG_MAX_SIZE 9000
#define PG_MIN_SIZE PG_ETH_MIN_FRAME /* UDP/IPv4's minimum; others need more */
#define PG_POOL_SIZE 8192
#define PG_DEF_CATCHUP_BURSTS 4 /* late packets back to back after a stall: 4 bursts */
#define PG_DEF_CATCHUP_PEAK 10.0 /* the rest of the debt at 10 times the rate */
#define PG_DEF_SKIP_NS 1000000000u /* slots later than 1 s are skipped */
/* --rfc2544: a trial near the device's limit cannot repay a stall without
 * the device buffering the whole debt (whatever the peak), which would fail
 * the trial for the generator's stall; so trials skip what is more than
 * 10 ms late, and the offered rate (sent / time) shows it. */
#define PG_RFC_SKIP_NS 10000000u
#define PG_RFC_MAX_SIZES 16
#define PG_RFC_MAX_TRIALS 64
#define PG_SWEEP_MAX 256      /* sizes in a --size=sweep: */
#define PG_FLOW_STATS_MAX 65536 /* per-flow counts up to this many flows */
#define PG_SWEEP_DEF_S 1.0    /* each size's time without --duration or --count */
/* --rx-port=none: the stream is not received (a TX-only benchmark). */
#define PG_RX_NONE UINT16_MAX
static_assert(PG_MAX_SUBS <= 256, "a sub-stream id fits the trailer magic's low byte");

struct pg_config {
	uint16_t tx_port, rx_port;
	bool rx_port_set;
	uint16_t nb_pairs;
	uint16_t pair_tx[PG_MAX_STREAMS], pair_rx[PG_MAX_STREAMS];
	const char *size_arg, *flows_arg;
	struct pg_rate rate;
	const char *rate_arg;
	bool rate_l2;
	uint64_t count;           /* per stream; 0 = unlimited */
	double duration_s;        /* 0 = until count or signal */
	uint16_t burst;
	unsigned int cores;       /* worker lcores, each with one queue of every port */
	int64_t catchup;          /* packets; -1 = default, 0 = unlimited */
	uint64_t catchup_ns;      /* or a time: packets due in that long */
	double catchup_peak;      /* the rest of the debt at this times the rate */
	uint64_t skip_ns;         /* slots later than this are skipped; 0 = never */
	bool skip_set;            /* --skip-after given */
	unsigned int stats_period;
	int live;                 /* --live 1, --no-live 0, neither -1: on a terminal only */
	bool latency_detail;      /* --latency: full distribution in reports */
	bool no_latency;
	bool json;
	const char *json_path;    /* NULL or "-": stdout */
	const char *csv_path;
	const char *plot_path;    /* --plot: .svg or .png, drawn by gnuplot */
	const char *pcap_path;    /* --pcap: replay this file instead of the template */
	bool pcap_recorded;       /* --pcap-timing=recorded */
	bool pcap_timing_set;
	uint64_t pcap_loops;      /* --pcap-loop: passes over the file, 0 = endless */
	bool pcap_loops_set;
	const char *sweep_arg;    /* --size=sweep:LO-HI:STEP: one run per size */
	unsigned int nb_sweep;
	uint16_t sweep_sizes[PG_SWEEP_MAX];
	FILE *json_f, *csv_f;     /* opened before the run: a bad path fails at once */
	bool rfc2544;             /* --rfc2544: throughput search instead of one run */
	double rfc_loss;          /* percent of packets a trial may lose */
	double rfc_trial_s;
	double rfc_resolution;    /* percent of the upper bound */
	unsigned int rfc_nb_sizes;
	uint16_t rfc_sizes[PG_RFC_MAX_SIZES];
	bool dst_mac_set, src_mac_set;
	uint8_t dst_mac[6], src_mac[6];
	uint32_t ip_src, ip_dst;  /* host order */
	uint16_t udp_src, udp_dst;
	struct pg_tpl_spec tpl;   /* tags, IP version, L4 protocol */
};

/* One second of one stream, for --json and --csv. */
struct pg_sample {
	double t;                 /* seconds since start, end of the interval */
	double tx_pps, rx_pps, tx_mbps, rx_mbps;
	uint64_t lost, reordered, dup;   /* cumulative */
	uint64_t p50, p99, max;   /* ns, over the interval */
};

struct pg_series {
	struct pg_sample *v;
	size_t n, cap;
	struct pg_hist *prev;     /* histogram at the last sample */
	uint64_t prev_tx, prev_rx, prev_txb, prev_rxb;
};

/* One RFC 2544 trial and one frame size's search. */
struct pg_trial {
	double rate_pps, tx_pps;
	uint64_t sent, lost;
	bool pass, short_of_rate;  /* the generator offered < 99 % of the rate */
	uint64_t lat_min, lat_p50, lat_p99, lat_max;
	double lat_mean;
};

struct pg_rfc_size {
	uint16_t size;
	double upper_pps;
	double best_pps, best_tx_pps;   /* highest passing trial: asked, offered */
	unsigned int nb_trials;
	struct pg_trial trials[PG_RFC_MAX_TRIALS];
};

static struct pg_config pg;

/* One size of a --size=sweep:, over all streams. */
struct pg_sweep_res {
	uint16_t size;
	double secs, rate_pps, tx_pps, rx_pps;   /* per stream */
	uint64_t sent, rx, lost, reordered, dup;
	uint64_t lat_min, lat_p50, lat_p99, lat_max;
	double lat_mean;
};
static struct pg_sweep_res sweep[PG_SWEEP_MAX];
static unsigned int sweep_done;
static struct pg_pcap pcap_file;
static uint64_t pcap_ns_mult;   /* TSC cycles per ns, 32.32 fixed point */
static struct pg_rfc_size rfc[PG_RFC_MAX_SIZES];
static unsigned int rfc_done;
static struct pg_stream *streams[PG_MAX_STREAMS];
static unsigned int nb_streams;
static uint16_t rx_ports[PG_MAX_STREAMS];
static unsigned int nb_rx_ports;
static struct pg_rx_ctx rx_ctx;
static struct pg_series series[PG_MAX_STREAMS];
static uint64_t *flow_refused[PG_MAX_SUBS]; /* per sub-stream and flow: refused by tx_burst */

/*
 * --rate=max (an unpaced stream): the packets the port refused (its TX
 * ring full), held in order by the sub-stream's lcore and offered first at
 * its next polls, before anything new is built.  Back-pressure then slows
 * the stream down instead of punching holes in its sequence numbers, and
 * a --count run sends all its packets.  The lcore does not wait for the
 * port (as testpmd's retry mode does): it goes on receiving, which on a
 * ring pair or a loop through a device under test is what drains the
 * port.  A port that takes none of them for PG_RETRY_MS is stuck: they
 * are dropped, and refused packets are dropped at once until the port
 * takes one again.  Paced streams drop refused packets (a packet sent
 * after its slot is a burst the user did not ask for; rate_error_pct
 * counts them as "refused").  A held packet's number is not in c.tx
 * until the port takes it or it is dropped.
 */
struct pg_hold {
	struct sl_mbuf *pkts[PG_MAX_BURST];
	uint64_t bytes;           /* of the held packets */
	uint64_t since;           /* TSC of the refusal, or of the port's last progress */
	uint16_t first, n;
	bool stuck;               /* gave up: drop refused packets until the port takes one */
};
static struct pg_hold hold[PG_MAX_SUBS];

/*
 * --cores=N: stream i is sent as subs[i][0..N-1], sub-stream q (id
 * q * nb_streams + i) by worker q on TX queue q.  With one core subs[i][0]
 * is streams[i] itself and the worker receives into streams[], so nothing
 * needs gathering.
 */
static struct pg_stream *subs[PG_MAX_STREAMS][PG_MAX_CORES];
struct pg_worker {
	unsigned int lcore;
	uint16_t queue;                      /* its TX and RX queue of every port */
	struct pg_stream *tx[PG_MAX_STREAMS]; /* the sub-streams it sends */
	struct pg_rx_ctx *rx;                /* &rx_ctx with one core, else &own_rx */
	struct pg_rx_ctx own_rx;
	struct pg_stream *rxs[PG_MAX_SUBS];  /* its receive state of every sub-stream */
	uint64_t rx_pkts[PG_MAX_STREAMS];    /* gathered: packets of stream i it received */
	uint64_t stop_tsc;                   /* when it saw stop_tx (read after the join) */
	uint64_t start_tsc;                  /* when it started sending (read after the join) */
};
static struct pg_worker workers[PG_MAX_CORES];
static struct sl_mempool *pool;
static volatile int pg_signal;
static bool stop_tx, stop_rx; /* set by main, read relaxed by the lcore */
/* --duration: the TSC at which the workers stop sending by themselves (0:
 * none), so that the sending window does not depend on when main, which
 * may lose its CPU, gets round to setting stop_tx.  Set before the launch. */
static uint64_t send_until;
/* Set by the lcore: when it started sending.  Read by main after the join. */
static uint64_t lcore_start;
/* --cores: workers that left their receive loop (gen_lcore). */
static unsigned int rx_stopped;

static void json_rfc(FILE *f);
static void json_sweep(FILE *f);

/* Whether the receiver counts @p s's loss and latency: not when it is not
 * received, nor when it replays a capture (whose frames have no trailer). */
static bool
rx_measured(const struct pg_stream *s)
{
	return s->rx_port != PG_RX_NONE && pg.pcap_path == NULL;
}

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
		"Traffic\n"
		"  --tx-port=N              port to send on (0)\n"
		"  --rx-port=N|none         port to receive on (1 if it exists, else 0); none: send only,\n"
		"                           no receive accounting (a TX-only benchmark)\n"
		"  --ports=TX:RX[,TX:RX..]  several streams at once, one per pair (instead of the two above);\n"
		"                           RX may be none\n"
		"  --rate=RATE              per stream: max, PPS, 1mpps, 250kpps, 500mbps, 10gbps, 40%% (max)\n"
		"  --rate-l2                bit rates count L2 bits (frame + FCS), not L1 (+ preamble, gap)\n"
		"  --size=SIZE              frame bytes without FCS, %d..%d: 64, 64-1518 (incrementing),\n"
		"                           64-1518:random, imix (7x60,4x590,1x1514), imix:60x7,1514x1 (64)\n"
		"  --count=N                stop each stream after N packets (unlimited)\n"
		"  --duration=SECONDS       stop sending after this long\n"
		"  --flows=FLOWS            N (UDP source ports from --tx-udp's), or FIELD=LO-HI[:random],...\n"
		"                           with FIELD src-ip, dst-ip, src-port, dst-port (1)\n"
		"  --burst=N                packets per burst, 1..%d (32)\n"
		"  --cores=N                worker lcores, each with its own queue of every port; a\n"
		"                           stream is sent as N sub-streams at 1/N of the rate (1)\n"
		"  --max-burst-catchup=N|Tus|Tms  after a stall send at most N late packets (or those\n"
		"                           due in T) back to back, the rest at --catchup-peak; 0 = catch\n"
		"                           up fully at any speed, skip nothing (4 bursts)\n"
		"  --catchup-peak=X         repay the rest of a stall's debt at X times the rate, X > 1 (10)\n"
		"  --skip-after=T[us|ms|s]  skip the slots more than T late (a stopped process); 0 = never\n"
		"                           (1s; 10ms with --rfc2544)\n"
		"  --dst-mac=MAC            destination MAC (the RX port's)\n"
		"  --src-mac=MAC            source MAC (the TX port's)\n"
		"  --tx-ip=SRC,DST          IPv4 addresses (198.18.0.1,198.18.0.2)\n"
		"  --tx-udp=SRC[,DST]       UDP (or TCP) ports (9,9)\n"
		"  --vlan=VID[,VID]         one 802.1Q tag, or 802.1ad outer + 802.1Q inner (QinQ)\n"
		"  --ipv6                   IPv6 instead of IPv4\n"
		"  --tx-ip6=SRC,DST         IPv6 addresses (2001:2::1,2001:2::2; implies --ipv6)\n"
		"  --proto=udp|tcp          L4 protocol (udp)\n"
		"  --pcap=FILE              replay the frames of a pcap/pcapng file (Ethernet) instead\n"
		"                           of the template, at --rate (max)\n"
		"  --pcap-timing=rate|recorded  at --rate, or with the file's own gaps (rate)\n"
		"  --pcap-loop=N|inf        passes over the file (1)\n"
		"Measurement and output\n"
		"  --latency                report the latency distribution (p90, p99.9, jitter, histogram)\n"
		"  --no-latency             do not record latency (faster: no TSC read per packet)\n"
		"  --stats-period=S         live statistics every S seconds, 0 = off (1)\n"
		"  --live, --no-live        show the live statistics even when their output (stdout, or\n"
		"                           stderr when --json writes to stdout) is not a terminal, or\n"
		"                           never (default: on a terminal only; the last one wins)\n"
		"  --json[=FILE]            final report as JSON on stdout or to FILE\n"
		"  --csv=FILE               per-second series as CSV\n"
		"  --plot=FILE.svg|png      draw throughput over time and the latency by percentile\n"
		"                           (with --rfc2544: throughput and latency by size) with gnuplot\n"
		"RFC 2544 throughput search\n"
		"  --rfc2544[=LOSS%%]        binary search for the highest rate losing at most LOSS %% (0)\n"
		"                           for each size; upper bound --rate, else the line rate\n"
		"  --rfc2544-sizes=LIST     frame sizes (64,128,256,512,1024,1280,1514, or --size's)\n"
		"  --trial=SECONDS          length of each trial (2)\n"
		"  --resolution=PCT         stop when the bounds are this close, %% of the upper bound (0.5)\n"
		"  -h, --help               this text\n",
		PG_MIN_SIZE, PG_MAX_SIZE, PG_MAX_BURST);
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
parse_ports(const char *s)
{
	const char *p = s;

	pg.nb_pairs = 0;
	while (*p) {
		char *end;
		unsigned long tx, rx;

		if (pg.nb_pairs == PG_MAX_STREAMS)
			BAD("ports", s, "at most %d pairs", PG_MAX_STREAMS);
		errno = 0;
		tx = strtoul(p, &end, 10);
		if (end == p || *end != ':' || tx >= SL_MAX_ETHPORTS)
			BAD("ports", s, "need TX:RX[,TX:RX...] port ids 0..%u (e.g. --ports=0:1,2:3)",
			    SL_MAX_ETHPORTS - 1);
		p = end + 1;
		if (strncmp(p, "none", 4) == 0) {
			rx = PG_RX_NONE;
			end = (char *)(uintptr_t)(p + 4);
		} else {
			rx = strtoul(p, &end, 10);
			if (rx >= SL_MAX_ETHPORTS)
				end = (char *)(uintptr_t)p;
		}
		if (end == p || (*end != ',' && *end) || errno)
			BAD("ports", s, "need TX:RX[,TX:RX...] port ids 0..%u (e.g. --ports=0:1,2:3)",
			    SL_MAX_ETHPORTS - 1);
		for (unsigned int i = 0; i < pg.nb_pairs; i++)
			if (pg.pair_tx[i] == tx)
				BAD("ports", s, "port %lu sends two streams; give each TX port once", tx);
		pg.pair_tx[pg.nb_pairs] = (uint16_t)tx;
		pg.pair_rx[pg.nb_pairs++] = (uint16_t)rx;
		p = *end ? end + 1 : end;
	}
	if (pg.nb_pairs == 0)
		BAD("ports", s, "need TX:RX[,TX:RX...] (e.g. --ports=0:1)");
	return 0;
}

static int
parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tx-port", required_argument, NULL, 't' },
		{ "rx-port", required_argument, NULL, 'r' },
		{ "ports", required_argument, NULL, 'P' },
		{ "size", required_argument, NULL, 's' },
		{ "rate", required_argument, NULL, 'R' },
		{ "rate-l2", no_argument, NULL, 'L' },
		{ "count", required_argument, NULL, 'c' },
		{ "duration", required_argument, NULL, 'd' },
		{ "flows", required_argument, NULL, 'f' },
		{ "burst", required_argument, NULL, 'b' },
		{ "cores", required_argument, NULL, 'N' },
		{ "max-burst-catchup", required_argument, NULL, 'C' },
		{ "catchup-peak", required_argument, NULL, 'K' },
		{ "skip-after", required_argument, NULL, 'A' },
		{ "dst-mac", required_argument, NULL, 'D' },
		{ "src-mac", required_argument, NULL, 'S' },
		{ "tx-ip", required_argument, NULL, 'I' },
		{ "tx-udp", required_argument, NULL, 'U' },
		{ "vlan", required_argument, NULL, 'V' },
		{ "ipv6", no_argument, NULL, '6' },
		{ "tx-ip6", required_argument, NULL, 'Y' },
		{ "proto", required_argument, NULL, 'o' },
		{ "latency", no_argument, NULL, 'l' },
		{ "no-latency", no_argument, NULL, 'n' },
		{ "stats-period", required_argument, NULL, 'p' },
		{ "live", no_argument, NULL, 'a' },
		{ "no-live", no_argument, NULL, 'q' },
		{ "json", optional_argument, NULL, 'j' },
		{ "csv", required_argument, NULL, 'v' },
		{ "plot", required_argument, NULL, 'G' },
		{ "pcap", required_argument, NULL, 'F' },
		{ "pcap-timing", required_argument, NULL, 'W' },
		{ "pcap-loop", required_argument, NULL, 'O' },
		{ "rfc2544", optional_argument, NULL, '2' },
		{ "rfc2544-sizes", required_argument, NULL, 'z' },
		{ "trial", required_argument, NULL, 'T' },
		{ "resolution", required_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char err[256];
	uint64_t v;
	int o, idx;

	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, ":h", opts, &idx)) != -1) {
		const char *name = o != 'h' && o != ':' && o != '?' ? opts[idx].name : "";

		switch (o) {
		case 't':
		case 'r':
			if (o == 'r' && strcmp(optarg, "none") == 0)
				v = PG_RX_NONE;
			else if (parse_u64(optarg, 0, SL_MAX_ETHPORTS - 1, &v) < 0)
				BAD(name, optarg, "need a port id 0..%u%s", SL_MAX_ETHPORTS - 1,
				    o == 'r' ? ", or none (send only)" : "");
			if (o == 't') {
				pg.tx_port = (uint16_t)v;
			} else {
				pg.rx_port = (uint16_t)v;
				pg.rx_port_set = true;
			}
			break;
		case 'P':
			if (parse_ports(optarg) < 0)
				return -EINVAL;
			break;
		case 's':
			if (strncmp(optarg, "sweep:", 6) == 0) {
				unsigned long lo, hi, step;
				char *end;
				const char *q = optarg + 6;

				errno = 0;
				lo = strtoul(q, &end, 10);
				if (end == q || *end != '-')
					lo = 0;
				q = end + 1;
				hi = strtoul(q, &end, 10);
				if (end == q || *end != ':')
					hi = 0;
				q = end + 1;
				step = strtoul(q, &end, 10);
				if (errno || end == q || *end || lo < PG_MIN_SIZE || hi > PG_MAX_SIZE ||
				    lo > hi || step < 1)
					BAD(name, optarg, "need sweep:LO-HI:STEP with %d <= LO <= HI <= %d and "
					    "STEP >= 1 (e.g. --size=sweep:64-1518:64)", PG_MIN_SIZE, PG_MAX_SIZE);
				if ((hi - lo) / step + 1 > PG_SWEEP_MAX)
					BAD(name, optarg, "%lu sizes, at most %d: give a larger STEP",
					    (hi - lo) / step + 1, PG_SWEEP_MAX);
				pg.nb_sweep = 0;
				for (unsigned long x = lo; x <= hi; x += step)
					pg.sweep_sizes[pg.nb_sweep++] = (uint16_t)x;
				pg.sweep_arg = optarg;
				pg.size_arg = NULL;
				break;
			}
			pg.size_arg = optarg;
			pg.sweep_arg = NULL;
			break;
		case 'R':
			if (pg_parse_rate(optarg, &pg.rate, err, sizeof(err)) < 0)
				BAD(name, optarg, "%s", err);
			pg.rate_arg = optarg;
			break;
		case 'L':
			pg.rate_l2 = true;
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
			pg.flows_arg = optarg;
			break;
		case 'b':
			if (parse_u64(optarg, 1, PG_MAX_BURST, &v) < 0)
				BAD(name, optarg, "need 1..%d (e.g. --burst=32)", PG_MAX_BURST);
			pg.burst = (uint16_t)v;
			break;
		case 'N':
			if (parse_u64(optarg, 1, PG_MAX_CORES, &v) < 0)
				BAD(name, optarg, "need 1..%d worker lcores (e.g. --cores=2 with -l 0-2)",
				    PG_MAX_CORES);
			pg.cores = (unsigned int)v;
			break;
		case 'C': {
			char num[24];
			size_t len = strspn(optarg, "0123456789");
			const char *unit = optarg + len;
			uint64_t mult = strcmp(unit, "us") == 0 ? 1000 : strcmp(unit, "ms") == 0 ? 1000000 : 0;

			snprintf(num, sizeof(num), "%.*s", (int)SL_MIN(len, sizeof(num) - 1), optarg);
			if ((*unit && mult == 0) || parse_u64(num, 0, 1u << 24, &v) < 0)
				BAD(name, optarg, "need 0..%u packets or a time in us or ms, 0 = catch up "
				    "fully (e.g. --max-burst-catchup=64 or 500us)", 1u << 24);
			pg.catchup = mult ? -1 : (int64_t)v;
			pg.catchup_ns = mult ? v * mult : 0;
			if (mult && v == 0)
				pg.catchup = 0;
			break;
		}
		case 'K': {
			char *end;
			double x;

			errno = 0;
			x = strtod(optarg, &end);
			if (errno || *end || end == optarg || !(x > 1.0 && x <= 1000))
				BAD(name, optarg, "need a multiple of the rate above 1, at most 1000 (e.g. "
				    "--catchup-peak=1.5)");
			pg.catchup_peak = x;
			break;
		}
		case 'A': {
			char *end;
			double x;
			uint64_t mult;

			errno = 0;
			x = strtod(optarg, &end);
			mult = strcmp(end, "us") == 0 ? 1000 : strcmp(end, "ms") == 0 ? 1000000 :
			       strcmp(end, "s") == 0 || *end == '\0' ? 1000000000 : 0;
			if (errno || end == optarg || mult == 0 || !(x >= 0) || x * (double)mult > 3.6e12)
				BAD(name, optarg, "need a time up to an hour, in us, ms or s, 0 = never skip "
				    "(e.g. --skip-after=200ms)");
			pg.skip_ns = (uint64_t)(x * (double)mult);
			pg.skip_set = true;
			if (x > 0 && pg.skip_ns == 0)
				pg.skip_ns = 1;
			break;
		}
		case 'D':
		case 'S':
			if (pg_parse_mac(optarg, o == 'D' ? pg.dst_mac : pg.src_mac) < 0)
				BAD(name, optarg, "need a MAC address like 02:00:00:00:00:01");
			if (o == 'D')
				pg.dst_mac_set = true;
			else
				pg.src_mac_set = true;
			break;
		case 'I': {
			char a[32], b[32];
			struct in_addr x, y;

			if (parse_pair(optarg, a, b, sizeof(a)) < 0 || inet_pton(AF_INET, a, &x) != 1 ||
			    inet_pton(AF_INET, b, &y) != 1)
				BAD(name, optarg, "need SRC,DST IPv4 addresses (e.g. --tx-ip=198.18.0.1,198.18.0.2)");
			pg.ip_src = ntohl(x.s_addr);
			pg.ip_dst = ntohl(y.s_addr);
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
		case 'V': {
			char a[16], b[16];
			uint64_t x, y = 0;
			bool two = strchr(optarg, ',') != NULL;

			if (two && parse_pair(optarg, a, b, sizeof(a)) < 0)
				BAD(name, optarg, "need VID or OUTER,INNER VLAN ids 0..4095 (e.g. --vlan=100)");
			if (!two)
				snprintf(a, sizeof(a), "%.15s", optarg);
			if (parse_u64(a, 0, 4095, &x) < 0 || (two && parse_u64(b, 0, 4095, &y) < 0))
				BAD(name, optarg, "need VID or OUTER,INNER VLAN ids 0..4095 (e.g. --vlan=100 "
				    "or --vlan=100,200)");
			pg.tpl.nb_vlans = two ? 2 : 1;
			pg.tpl.vlan_tci[0] = (uint16_t)x;
			pg.tpl.vlan_tci[1] = (uint16_t)y;
			break;
		}
		case '6':
			pg.tpl.ipv6 = true;
			break;
		case 'Y': {
			char a[64], b[64];

			if (parse_pair(optarg, a, b, sizeof(a)) < 0 ||
			    inet_pton(AF_INET6, a, pg.tpl.ip6_src) != 1 ||
			    inet_pton(AF_INET6, b, pg.tpl.ip6_dst) != 1)
				BAD(name, optarg, "need SRC,DST IPv6 addresses (e.g. --tx-ip6=2001:2::1,2001:2::2)");
			pg.tpl.ipv6 = true;
			break;
		}
		case 'o':
			if (strcmp(optarg, "udp") == 0)
				pg.tpl.proto = SL_IPPROTO_UDP;
			else if (strcmp(optarg, "tcp") == 0)
				pg.tpl.proto = SL_IPPROTO_TCP;
			else
				BAD(name, optarg, "need udp or tcp");
			break;
		case 'l':
			pg.latency_detail = true;
			break;
		case 'n':
			pg.no_latency = true;
			break;
		case 'a':
		case 'q':
			/* The last one wins: a wrapper's default can be overridden. */
			pg.live = o == 'a';
			break;
		case 'p':
			if (parse_u64(optarg, 0, 86400, &v) < 0)
				BAD(name, optarg, "need 0..86400 seconds (0 = off)");
			pg.stats_period = (unsigned int)v;
			break;
		case 'j':
			pg.json = true;
			pg.json_path = optarg;
			/* "--json FILE" as well as "--json=FILE" and a bare "--json". */
			if (optarg == NULL && optind < argc && argv[optind][0] != '-')
				pg.json_path = argv[optind++];
			if (pg.json_path && strcmp(pg.json_path, "-") == 0)
				pg.json_path = NULL;
			break;
		case 'v':
			pg.csv_path = optarg;
			break;
		case 'F':
			pg.pcap_path = optarg;
			break;
		case 'W':
			if (strcmp(optarg, "rate") != 0 && strcmp(optarg, "recorded") != 0)
				BAD(name, optarg, "need rate or recorded");
			pg.pcap_recorded = strcmp(optarg, "recorded") == 0;
			pg.pcap_timing_set = true;
			break;
		case 'O':
			if (strcmp(optarg, "inf") == 0)
				v = 0;
			else if (parse_u64(optarg, 1, UINT32_MAX, &v) < 0)
				BAD(name, optarg, "need a number of passes >= 1, or inf (e.g. --pcap-loop=10)");
			pg.pcap_loops = v;
			pg.pcap_loops_set = true;
			break;
		case 'G':
			if (pg_plot_check(optarg, err, sizeof(err)) < 0)
				BAD(name, optarg, "%s", err);
			pg.plot_path = optarg;
			break;
		case '2':
		case 'T':
		case 'E': {
			char *end;
			double x = 0;

			if (o == '2')
				pg.rfc2544 = true;
			if (o == '2' && optarg == NULL)
				break;
			errno = 0;
			x = strtod(optarg, &end);
			if (o == '2' && *end == '%')
				end++;
			if (errno || *end || end == optarg || !(x >= 0))
				x = -1;
			if (o == '2' && !(x >= 0 && x < 100))
				BAD(name, optarg, "need a loss in percent, 0 <= LOSS < 100 (e.g. --rfc2544=0.1)");
			if (o == 'T' && !(x >= 0.1 && x <= 3600))
				BAD(name, optarg, "need 0.1..3600 seconds (e.g. --trial=10)");
			if (o == 'E' && !(x >= 0.01 && x <= 50))
				BAD(name, optarg, "need 0.01..50 percent (e.g. --resolution=0.5)");
			if (o == '2')
				pg.rfc_loss = x;
			else if (o == 'T')
				pg.rfc_trial_s = x;
			else
				pg.rfc_resolution = x;
			break;
		}
		case 'z': {
			const char *q = optarg;

			pg.rfc_nb_sizes = 0;
			while (*q) {
				char *end;
				unsigned long x;

				errno = 0;
				x = strtoul(q, &end, 10);
				if (end == q || (*end && *end != ',') || errno || x < PG_MIN_SIZE ||
				    x > PG_MAX_SIZE || pg.rfc_nb_sizes == PG_RFC_MAX_SIZES)
					BAD(name, optarg, "need up to %d sizes %d..%d, comma-separated (e.g. "
					    "--rfc2544-sizes=64,512,1514)", PG_RFC_MAX_SIZES, PG_MIN_SIZE,
					    PG_MAX_SIZE);
				pg.rfc_sizes[pg.rfc_nb_sizes++] = (uint16_t)x;
				q = *end ? end + 1 : end;
			}
			if (pg.rfc_nb_sizes == 0)
				BAD(name, optarg, "need at least one size (e.g. --rfc2544-sizes=64)");
			break;
		}
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
	if (pg.rfc2544 && (pg.count || pg.duration_s > 0)) {
		fprintf(stderr, "sluice-pktgen: --rfc2544 runs trials of --trial seconds: drop --count "
			"and --duration\n");
		return -EINVAL;
	}
	if (pg.rfc2544 && !pg.skip_set)
		pg.skip_ns = PG_RFC_SKIP_NS;
	if (pg.pcap_path == NULL && (pg.pcap_timing_set || pg.pcap_loops_set)) {
		fprintf(stderr, "sluice-pktgen: --pcap-timing and --pcap-loop need --pcap=FILE\n");
		return -EINVAL;
	}
	if (pg.sweep_arg && pg.rfc2544) {
		fprintf(stderr, "sluice-pktgen: --rfc2544 searches each of --rfc2544-sizes: drop "
			"--size=%s\n", pg.sweep_arg);
		return -EINVAL;
	}
	if (pg.pcap_path && (pg.size_arg || pg.sweep_arg || pg.flows_arg || pg.rfc2544)) {
		fprintf(stderr, "sluice-pktgen: --pcap sends the file's frames as they are: drop %s\n",
			pg.size_arg || pg.sweep_arg ? "--size" : pg.flows_arg ? "--flows" : "--rfc2544");
		return -EINVAL;
	}
	if (pg.pcap_path && pg.cores > 1) {
		fprintf(stderr, "sluice-pktgen: --pcap replays the file in order on one core: drop "
			"--cores=%u\n", pg.cores);
		return -EINVAL;
	}
	if (pg.pcap_recorded && pg.rate_arg) {
		fprintf(stderr, "sluice-pktgen: --pcap-timing=recorded sends at the file's own times: "
			"drop --rate=%s (or use --pcap-timing=rate)\n", pg.rate_arg);
		return -EINVAL;
	}
	if (pg.count && pg.count < pg.cores) {
		fprintf(stderr, "sluice-pktgen: --count=%" PRIu64 " is below --cores=%u: each core sends "
			"count / cores packets, give at least one per core\n", pg.count, pg.cores);
		return -EINVAL;
	}
	if (pg.latency_detail && pg.no_latency) {
		fprintf(stderr, "sluice-pktgen: --latency and --no-latency contradict each other: give one\n");
		return -EINVAL;
	}
	return 0;
}

/* ---- streams and ports ---- */

static int
stream_create(unsigned int id, uint16_t tx, uint16_t rx)
{
	struct pg_stream *s = aligned_alloc(SL_CACHE_LINE_SIZE,
					    SL_ALIGN_CEIL(sizeof(*s), SL_CACHE_LINE_SIZE));
	unsigned int min;
	char err[256];
	int rc;

	if (s == NULL) {
		fprintf(stderr, "sluice-pktgen: out of memory for stream %u\n", id);
		return -ENOMEM;
	}
	memset(s, 0, sizeof(*s));
	streams[id] = s;
	s->id = (uint16_t)id;
	s->tx_port = tx;
	s->rx_port = rx;
	s->count = pg.count;
	s->spec = pg.tpl;
	min = pg_min_frame(&s->spec);
	rc = pg_parse_size(pg.size_arg ? pg.size_arg : SL_MAX(min, 64u) == 64 ? "64" : "128", min,
			   PG_MAX_SIZE, &s->size, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "sluice-pktgen: bad value '%s' for --size: %s\n",
			pg.size_arg ? pg.size_arg : "(default)", err);
		return rc;
	}
	s->flows.f[PG_F_SRC_IP].lo = s->flows.f[PG_F_SRC_IP].hi = pg.ip_src;
	s->flows.f[PG_F_DST_IP].lo = s->flows.f[PG_F_DST_IP].hi = pg.ip_dst;
	s->flows.f[PG_F_SRC_PORT].lo = s->flows.f[PG_F_SRC_PORT].hi = pg.udp_src;
	s->flows.f[PG_F_DST_PORT].lo = s->flows.f[PG_F_DST_PORT].hi = pg.udp_dst;
	rc = pg_parse_flows(pg.flows_arg ? pg.flows_arg : "1", &s->flows, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "sluice-pktgen: bad value '%s' for --flows: %s\n", pg.flows_arg, err);
		return rc;
	}
	if (s->spec.ipv6 && (s->flows.f[PG_F_SRC_IP].lo != s->flows.f[PG_F_SRC_IP].hi ||
			     s->flows.f[PG_F_DST_IP].lo != s->flows.f[PG_F_DST_IP].hi)) {
		fprintf(stderr, "sluice-pktgen: bad value '%s' for --flows: with IPv6 only src-port and "
			"dst-port may vary (e.g. --flows=src-port=1000-1999)\n", pg.flows_arg);
		return -EINVAL;
	}
	pg_seq_reset(&s->seq);
	pg_hist_reset(&s->hist);
	return 0;
}

/* The rate of stream @p s in packets/s (0 = max); -EINVAL if the port cannot take it. */
static int
stream_rate(struct pg_stream *s)
{
	struct sl_eth_link link;
	double mean = pg_size_mean(&s->size), pps, line;
	uint32_t mbps = 0;

	if (sl_eth_link_get_nowait(s->tx_port, &link) == 0 && link.link_status)
		mbps = link.link_speed;
	pps = pg_rate_pps(&pg.rate, mean, mbps, pg.rate_l2);
	if (pps < 0) {
		fprintf(stderr, "sluice-pktgen: --rate=%s: port %u does not report a link speed, so a "
			"percentage means nothing: give pps or bits/s (e.g. --rate=1mpps)\n",
			pg.rate_arg, s->tx_port);
		return -EINVAL;
	}
	line = mbps ? pg_line_pps(mean, mbps) : 0;
	if (pps > 0 && line > 0 && pps > line * 1.000001) {
		fprintf(stderr, "sluice-pktgen: --rate=%s is %.3f Mpps, above port %u's %s line rate of "
			"%.3f Mpps at %.0f-byte frames: give a lower rate, or max\n", pg.rate_arg,
			pps / 1e6, s->tx_port, sl_eth_link_speed_to_str(mbps), line / 1e6, mean);
		return -EINVAL;
	}
	if (pps > 0 && pps < 1) {
		fprintf(stderr, "sluice-pktgen: --rate=%s is below 1 packet per second at %.0f-byte "
			"frames: give a higher rate\n", pg.rate_arg, mean);
		return -EINVAL;
	}
	s->paced = pps > 0;
	s->pps = pps;
	return 0;
}

/* Set up @p port with one RX and TX queue per core and start it.  Returns
 * 0, -EINVAL when it has too few queues for --cores (the user's to fix),
 * or -EIO when it failed. */
static int
port_init(uint16_t port)
{
	const uint16_t nq = (uint16_t)pg.cores;
	struct sl_eth_dev_info info;
	struct sl_eth_conf conf;
	int rc;

	memset(&conf, 0, sizeof(conf));
	rc = sl_eth_dev_info_get(port, &info);
	if (rc == 0 && (info.max_rx_queues < nq || info.max_tx_queues < nq)) {
		fprintf(stderr, "sluice-pktgen: --cores=%u needs %u RX and TX queues on every port, port "
			"%u (%s) has %u and %u: give fewer cores, or a port with more queues (net_ring: "
			"--vdev net_ring0,queues=%u)\n", pg.cores, nq, port, info.driver_name,
			info.max_rx_queues, info.max_tx_queues, nq);
		return -EINVAL;
	}
	/* Several RX queues: RSS spreads what comes back over them (by IP
	 * addresses and ports, so give --flows to use more than one). */
	if (rc == 0 && nq > 1 && info.flow_type_rss_offloads) {
		conf.rxmode.mq_mode = SL_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = (SL_ETH_RSS_IP | SL_ETH_RSS_UDP | SL_ETH_RSS_TCP) &
						   info.flow_type_rss_offloads;
	}
	if (rc == 0)
		rc = sl_eth_dev_configure(port, nq, nq, &conf);
	for (uint16_t q = 0; rc == 0 && q < nq; q++) {
		rc = sl_eth_rx_queue_setup(port, q, 1024, sl_eth_dev_socket_id(port), NULL, pool);
		if (rc == 0)
			rc = sl_eth_tx_queue_setup(port, q, 1024, sl_eth_dev_socket_id(port), NULL);
	}
	if (rc == 0)
		rc = sl_eth_dev_start(port);
	if (rc < 0) {
		fprintf(stderr, "sluice-pktgen: port %u: set-up failed: %s\n", port, strerror(-rc));
		return -EIO; /* the port's failure, not a bad option (-EINVAL) */
	}
	sl_eth_promiscuous_enable(port);
	return 0;
}

/* ---- the generator lcore ---- */

/*
 * --pcap-timing=recorded: how many of the @p max frames from number @p k on
 * are due at @p now.  Frame k is due at the lcore's start + its time in the
 * file + one recording's length per earlier pass.  Late frames go out at
 * once (no catch-up cap: the file's own bursts are the point).
 */
static uint16_t
pcap_due(uint64_t k, uint64_t now, uint16_t max)
{
	uint16_t n = 0;

	while (n < max) {
		uint64_t i = k + n;
		uint64_t ns = i / pcap_file.nb * pcap_file.loop_ns + pcap_file.ts_ns[i % pcap_file.nb];

		if (lcore_start + (uint64_t)(((unsigned __int128)ns * pcap_ns_mult) >> 32) > now)
			break;
		n++;
	}
	return n;
}

/* Free @p n refused packets of @p s numbered from @p seq, counted as
 * refused (tx_dropped; their flows' bytes taken back).  Returns their bytes. */
static uint64_t
refused_drop(struct pg_stream *s, struct sl_mbuf **pkts, uint64_t seq, uint16_t n)
{
	uint64_t bytes = 0;

	pg_cnt_set(&s->c.tx_dropped, s->c.tx_dropped + n);
	for (uint16_t i = 0; i < n; i++) {
		if (s->nb_flow_rx) {
			uint64_t f = (seq + i) % s->nb_flow_rx;

			flow_refused[s->id][f]++;
			s->flow_tx_bytes[f] -= pkts[i]->pkt_len;
		}
		bytes += pkts[i]->pkt_len;
	}
	sl_mbuf_free_bulk(pkts, n);
	return bytes;
}

/* Drop what @p s holds (the port is stuck, or sending stopped). */
static void
hold_drop(struct pg_stream *s, struct pg_hold *h)
{
	refused_drop(s, &h->pkts[h->first], s->c.tx, h->n);
	pg_cnt_set(&s->c.tx, s->c.tx + h->n);
	h->n = 0;
	h->bytes = 0;
}

/* Offer @p s's held packets to the port again; true when none is left. */
static bool
hold_offer(struct pg_stream *s, struct pg_hold *h, uint64_t now)
{
	const uint16_t sent = sl_eth_tx_burst(s->tx_port, s->queue, &h->pkts[h->first], h->n);

	if (sent) {
		uint64_t left = 0;

		/* The accepted packets are the port's now: count the bytes of
		 * those still held. */
		for (uint16_t i = sent; i < h->n; i++)
			left += h->pkts[h->first + i]->pkt_len;
		pg_cnt_set(&s->c.tx_bytes, s->c.tx_bytes + h->bytes - left);
		pg_cnt_set(&s->c.tx, s->c.tx + sent);
		h->bytes = left;
		h->first = (uint16_t)(h->first + sent);
		h->n = (uint16_t)(h->n - sent);
		h->since = now;
	} else if (now - h->since > sl_get_tsc_hz() / 1000 * PG_RETRY_MS) {
		hold_drop(s, h);
		h->stuck = true;
	}
	if (h->n)
		return false;
	if (s->count && s->c.tx >= s->count)
		s->done_tsc = now;
	return true;
}

static void
send_stream(struct pg_stream *s, uint64_t now)
{
	struct sl_mbuf *pkts[PG_MAX_BURST];
	struct pg_hold *h = &hold[s->id];
	uint64_t bytes, tx = s->c.tx;
	uint16_t n = pg.burst, sent;

	if (sl_unlikely(h->n != 0)) {
		if (!hold_offer(s, h, now))
			return;
		tx = s->c.tx;
	}
	if (s->count) {
		if (tx >= s->count)
			return;
		if (s->count - tx < n)
			n = (uint16_t)(s->count - tx);
	}
	if (s->paced) {
		n = pg_sched_take(&s->sched, now, n);
		if (n == 0)
			return;
	} else if (pg.pcap_recorded) {
		n = pcap_due(tx, now, n);
		if (n == 0)
			return;
	}
	/* Straight from the pool: the builders initialise every field they
	 * send (pg_mbuf_tx_init()), in the pass that writes the frame. */
	if (sl_unlikely(sl_mempool_get_bulk(pool, (void **)pkts, n) != 0)) {
		pg_cnt_set(&s->c.tx_nombuf, s->c.tx_nombuf + 1);
		/* The due packets wait for buffers: give the slots back. */
		if (s->paced)
			pg_sched_untake(&s->sched, n);
		return;
	}
	/* Paced: a TSC read per packet (~25 cycles) as it is finished, so each
	 * carries its own time; at max rate, or when no latency is recorded
	 * (--no-latency: nobody reads the stamps), one read per burst. */
	bytes = pg.pcap_path ? pg_pcap_build(&pcap_file, tx, pkts, n) :
		pg_stream_build(s, pkts, n, NULL, s->paced && !pg.no_latency, now);
	sent = sl_eth_tx_burst(s->tx_port, s->queue, pkts, n);
	if (sl_unlikely(sent < n)) {
		const uint16_t left = (uint16_t)(n - sent);

		if (sent)
			h->stuck = false;
		if (!s->paced && !pg.pcap_recorded && !h->stuck) {
			memcpy(h->pkts, &pkts[sent], left * sizeof(pkts[0]));
			h->first = 0;
			h->n = left;
			h->since = now;
			h->bytes = 0;
			for (uint16_t i = 0; i < left; i++)
				h->bytes += h->pkts[i]->pkt_len;
			bytes -= h->bytes;
			pg_cnt_set(&s->c.tx_retried, s->c.tx_retried + left);
			n = sent;
		} else {
			bytes -= refused_drop(s, &pkts[sent], tx + sent, left);
		}
	}
	/* Dropped packets keep their sequence numbers: they are counted in
	 * tx_dropped, and "lost" only covers packets the port accepted. */
	pg_cnt_set(&s->c.tx_bytes, s->c.tx_bytes + bytes);
	pg_cnt_set(&s->c.tx, tx + n);
	if (s->count && tx + n >= s->count)
		s->done_tsc = now;
}

static void
recv_all(struct pg_worker *w)
{
	struct sl_mbuf *pkts[PG_MAX_BURST];

	for (unsigned int p = 0; p < nb_rx_ports; p++) {
		uint16_t n = sl_eth_rx_burst(rx_ports[p], w->queue, pkts, pg.burst);
		/* Read after the burst returned: the packets are here now. */
		uint64_t now = sl_rdtsc();

		if (n == 0)
			continue;
		pg_rx_account(w->rx, pkts, n, now);
		sl_mbuf_free_bulk(pkts, n);
	}
	/* The sequence numbers other workers received of the sub-streams
	 * this one sends: their duplicates are judged here. */
	if (w->rx->per_core)
		pg_rx_drain(w->rx);
}

/* The late packets @p s sends back to back after a stall (0 = unlimited). */
static uint64_t
catchup_packets(const struct pg_stream *s)
{
	uint64_t by_time;

	if (pg.catchup >= 0)
		return (uint64_t)pg.catchup;
	if (pg.catchup_ns == 0)
		return (uint64_t)pg.burst * PG_DEF_CATCHUP_BURSTS;
	by_time = (uint64_t)(s->pps * (double)pg.catchup_ns / 1e9);
	return by_time ? by_time : 1;
}

/* Worker @p w stops sending at @p now: when, and what its pacing still owed. */
static void
stop_sending(struct pg_worker *w, uint64_t now)
{
	w->stop_tsc = now;
	for (unsigned int i = 0; i < nb_streams; i++) {
		struct pg_stream *s = w->tx[i];

		if (hold[s->id].n)
			hold_drop(s, &hold[s->id]);
		hold[s->id].stuck = false;

		s->owed = s->paced && !(s->count && s->c.tx >= s->count) ?
			  pg_sched_owed(&s->sched, now) : 0;
	}
}

static int
gen_lcore(void *arg)
{
	struct pg_worker *w = arg;
	struct pg_stream **tx = w->tx;
	const uint64_t hz = sl_get_tsc_hz();
	const uint64_t start = sl_rdtsc();
	const uint64_t late_cyc = hz / 1000 * PG_LATE_MS;
	/* A worker that starts after the deadline sent nothing, for no time. */
	uint64_t caught_up = SL_MAX(send_until, start);
	bool sending = true;

	if (w == &workers[0])
		lcore_start = start;
	w->start_tsc = start;
	for (unsigned int i = 0; i < nb_streams; i++)
		tx[i]->done_tsc = 0;
	for (unsigned int i = 0; i < nb_streams; i++)
		if (tx[i]->paced)
			pg_sched_init(&tx[i]->sched, start, tx[i]->pps, hz, catchup_packets(tx[i]),
				      pg.catchup_peak, pg.skip_ns);
	/* Relaxed loads of the stop flags: main only needs them seen
	 * eventually; it joins with sl_eal_wait_lcore(). */
	while (!__atomic_load_n(&stop_rx, __ATOMIC_RELAXED)) {
		if (sending) {
			uint64_t now = sl_rdtsc();

			if (send_until && now >= send_until) {
				/* Past the deadline: the slots due before it that a
				 * stall left unsent still go, under the catch-up rules,
				 * until PG_LATE_MS after it; then what is left is owed.
				 * The sending time ends with the last late packet (not
				 * when a worker descheduled across the deadline wakes). */
				bool behind = false;

				for (unsigned int i = 0; now - send_until <= late_cyc && i < nb_streams;
				     i++) {
					struct pg_stream *s = tx[i];

					if (!s->paced || (s->count && s->c.tx >= s->count))
						continue;
					s->sched.until = send_until;
					if (pg_sched_owed(&s->sched, now) == 0)
						continue;
					behind = true;
					send_stream(s, now);
				}
				if (behind) {
					caught_up = now;
				} else {
					stop_sending(w, caught_up);
					sending = false;
				}
			} else if (__atomic_load_n(&stop_tx, __ATOMIC_RELAXED)) {
				stop_sending(w, now);
				sending = false;
			} else {
				for (unsigned int i = 0; i < nb_streams; i++)
					send_stream(tx[i], now);
			}
		}
		recv_all(w);
	}
	/* Descheduled through the whole drain: it stops now (or at the
	 * deadline, or its last late packet after it). */
	if (sending) {
		uint64_t now = sl_rdtsc();

		stop_sending(w, send_until && now >= send_until ? caught_up : now);
	}
	/* A worker may still wait to hand this one sequence numbers (its ring
	 * full): keep taking them until every worker has stopped receiving.
	 * Main merges what is left after the join. */
	if (w->rx->per_core) {
		__atomic_fetch_add(&rx_stopped, 1, __ATOMIC_RELEASE);
		while (__atomic_load_n(&rx_stopped, __ATOMIC_ACQUIRE) < pg.cores)
			pg_rx_drain(w->rx);
	}
	return 0;
}

/* ---- --cores: sums over sub-streams and workers ---- */

/*
 * Stream i's figures, summed from its sub-streams (TX) and from every
 * worker's receive state of them (RX), into streams[i].  While the lcores
 * run (@p final false) only counters they store atomically are read; after
 * the join also the skipped and owed slots, the --count times and the
 * per-flow counts.
 */
static void
gather(bool final)
{
	static struct pg_hist one;

	if (pg.cores <= 1)
		return;
	rx_ctx.foreign = rx_ctx.foreign_bytes = 0;
	for (unsigned int k = 0; k < pg.cores; k++) {
		rx_ctx.foreign += pg_cnt(&workers[k].own_rx.foreign);
		rx_ctx.foreign_bytes += pg_cnt(&workers[k].own_rx.foreign_bytes);
	}
	for (unsigned int i = 0; i < nb_streams; i++) {
		struct pg_stream *s = streams[i];
		uint64_t done = 0;
		bool all_done = true;

		memset(&s->c, 0, sizeof(s->c));
		s->rx_bytes = s->jit_sum = s->jit_n = 0;
		s->seq.rx = s->seq.dup = s->seq.reordered = s->seq.late = 0;
		pg_hist_reset(&s->hist);
		for (unsigned int q = 0; q < pg.cores; q++) {
			const struct pg_stream *t = subs[i][q];

			s->c.tx += pg_cnt(&t->c.tx);
			s->c.tx_bytes += pg_cnt(&t->c.tx_bytes);
			s->c.tx_dropped += pg_cnt(&t->c.tx_dropped);
			s->c.tx_nombuf += pg_cnt(&t->c.tx_nombuf);
			s->c.tx_retried += pg_cnt(&t->c.tx_retried);
			all_done = all_done && t->done_tsc;
			done = SL_MAX(done, t->done_tsc);
		}
		if (final) {
			s->sched.skipped = s->owed = 0;
			for (unsigned int q = 0; q < pg.cores; q++) {
				s->sched.skipped += subs[i][q]->sched.skipped;
				s->owed += subs[i][q]->owed;
			}
			s->done_tsc = all_done ? done : 0;
			if (s->nb_flow_rx) {
				memset(s->flow_rx, 0, 2 * s->nb_flow_rx * sizeof(*s->flow_rx));
				memset(s->flow_tx_bytes, 0, s->nb_flow_rx * sizeof(uint64_t));
				for (unsigned int q = 0; q < pg.cores; q++)
					for (uint32_t f = 0; f < s->nb_flow_rx; f++)
						s->flow_tx_bytes[f] += subs[i][q]->flow_tx_bytes[f];
			}
		}
		for (unsigned int k = 0; k < pg.cores; k++) {
			struct pg_worker *w = &workers[k];

			w->rx_pkts[i] = 0;
			for (unsigned int q = 0; q < pg.cores; q++) {
				const struct pg_stream *r = w->rxs[q * nb_streams + i];

				w->rx_pkts[i] += pg_cnt(&r->seq.rx);
				s->seq.rx += pg_cnt(&r->seq.rx);
				s->seq.dup += pg_cnt(&r->seq.dup);
				s->seq.reordered += pg_cnt(&r->seq.reordered);
				s->seq.late += pg_cnt(&r->seq.late);
				s->rx_bytes += pg_cnt(&r->rx_bytes);
				s->jit_sum += pg_cnt(&r->jit_sum);
				s->jit_n += pg_cnt(&r->jit_n);
				pg_hist_copy(&one, &r->hist);
				pg_hist_add(&s->hist, &one);
				for (uint32_t f = 0; final && f < 2 * s->nb_flow_rx; f++)
					s->flow_rx[f] += r->flow_rx[f]; /* packets, then bytes */
			}
		}
	}
}

/* Whether every sub-stream of stream @p i sent its --count. */
static bool
stream_done(unsigned int i)
{
	for (unsigned int q = 0; q < pg.cores; q++)
		if (!subs[i][q]->count || pg_cnt(&subs[i][q]->c.tx) < subs[i][q]->count)
			return false;
	return true;
}

/* ---- statistics ---- */

static double
mbps_l1(uint64_t bytes, uint64_t pkts, double secs)
{
	return secs > 0 ? (double)(bytes + pkts * PG_L1_EXTRA) * 8 / secs / 1e6 : 0.0;
}

static void
fmt_ns(char *buf, size_t len, uint64_t ns)
{
	if (ns < 10000)
		snprintf(buf, len, "%" PRIu64 " ns", ns);
	else if (ns < 10000000)
		snprintf(buf, len, "%.1f us", (double)ns / 1e3);
	else
		snprintf(buf, len, "%.1f ms", (double)ns / 1e6);
}

/* Take one sample of every stream; called about once a second. */
static void
sample_all(double t, double dt)
{
	static struct pg_hist snap, diff;

	gather(false);
	for (unsigned int i = 0; i < nb_streams; i++) {
		struct pg_stream *s = streams[i];
		struct pg_series *se = &series[i];
		struct pg_sample *x;
		uint64_t tx = pg_cnt(&s->c.tx) - pg_cnt(&s->c.tx_dropped), rx = pg_seq_unique(&s->seq);
		uint64_t txb = pg_cnt(&s->c.tx_bytes), rxb = pg_cnt(&s->rx_bytes);

		if (se->n == se->cap) {
			size_t cap = se->cap ? se->cap * 2 : 64;
			struct pg_sample *v = realloc(se->v, cap * sizeof(*v));

			if (v == NULL)
				continue; /* the series loses a second; the totals do not */
			se->v = v;
			se->cap = cap;
		}
		x = &se->v[se->n++];
		x->t = t;
		x->tx_pps = (double)(tx - se->prev_tx) / dt;
		x->rx_pps = (double)(rx - se->prev_rx) / dt;
		x->tx_mbps = mbps_l1(txb - se->prev_txb, tx - se->prev_tx, dt);
		x->rx_mbps = mbps_l1(rxb - se->prev_rxb, rx - se->prev_rx, dt);
		x->lost = rx_measured(s) ? pg_seq_lost(&s->seq, tx) : 0;
		x->reordered = pg_cnt(&s->seq.reordered);
		x->dup = pg_cnt(&s->seq.dup);
		pg_hist_copy(&snap, &s->hist);
		pg_hist_sub(&diff, &snap, se->prev);
		x->p50 = pg_hist_percentile(&diff, 50);
		x->p99 = pg_hist_percentile(&diff, 99);
		x->max = diff.total ? diff.max : 0;
		memcpy(se->prev, &snap, sizeof(snap));
		se->prev_tx = tx;
		se->prev_rx = rx;
		se->prev_txb = txb;
		se->prev_rxb = rxb;
	}
}

/* The live view: on a terminal one line per stream, redrawn in place;
 * otherwise (--live) plain lines. */
static void
show_live(FILE *out, bool tty, bool redraw)
{
	if (tty && redraw)
		fprintf(out, "\033[%uA", nb_streams);
	for (unsigned int i = 0; i < nb_streams; i++) {
		const struct pg_stream *s = streams[i];
		const struct pg_sample *x = &series[i].v[series[i].n - 1];
		char p99[32];

		fmt_ns(p99, sizeof(p99), x->p99);
		if (s->rx_port == PG_RX_NONE) {
			fprintf(out, "%sport %u->none  tx %9.3f Mpps %9.1f Mbit/s\n", tty ? "\r\033[K" : "",
				s->tx_port, x->tx_pps / 1e6, x->tx_mbps);
			continue;
		}
		fprintf(out, "%sport %u->%u  tx %9.3f Mpps %9.1f Mbit/s  rx %9.3f Mpps %9.1f Mbit/s  "
			"lost %" PRIu64 "  p99 %s\n", tty ? "\r\033[K" : "", s->tx_port, s->rx_port,
			x->tx_pps / 1e6, x->tx_mbps, x->rx_pps / 1e6, x->rx_mbps, x->lost,
			pg.no_latency ? "-" : p99);
	}
	fflush(out);
}

struct pg_result {
	uint64_t sent, rx, unique, lost;
	struct pg_hist *h;
	uint64_t p50, p90, p99, p999;
	double mean, jitter;
};

static void
result_of(const struct pg_stream *s, struct pg_result *r, struct pg_hist *h)
{
	r->sent = s->c.tx - s->c.tx_dropped;
	r->rx = s->seq.rx;
	r->unique = pg_seq_unique(&s->seq);
	r->lost = rx_measured(s) ? pg_seq_lost(&s->seq, r->sent) : 0;
	pg_hist_copy(h, &s->hist);
	r->h = h;
	r->p50 = pg_hist_percentile(h, 50);
	r->p90 = pg_hist_percentile(h, 90);
	r->p99 = pg_hist_percentile(h, 99);
	r->p999 = pg_hist_percentile(h, 99.9);
	r->mean = pg_hist_mean(h);
	r->jitter = s->jit_n ? (double)s->jit_sum / (double)s->jit_n : 0.0;
}

/*
 * Per-flow counts of stream @p s (incrementing flows only): packet k
 * carries flow k mod flows, so the TX counts follow from the sequence
 * numbers used, less those the port refused.  The flow's fields are the
 * odometer's digits of its index, the first field turning fastest.
 */
static void
json_flows(FILE *f, const struct pg_stream *s)
{
	const uint32_t nf = s->nb_flow_rx;

	if (nf == 0)
		return;
	fprintf(f, ",\n     \"flows\": [");
	for (uint32_t i = 0; i < nf; i++) {
		static const char *const names[PG_F_NUM] = { "src_ip", "dst_ip", "src_port", "dst_port" };
		uint64_t tx = 0, rest = i;

		/* Each sub-stream (--cores) numbers its packets from 0. */
		for (unsigned int q = 0; q < pg.cores; q++) {
			const struct pg_stream *t = subs[s->id][q];
			const uint64_t used = t->c.tx;

			tx += used / nf + (i < used % nf) - flow_refused[t->id][i];
		}

		fprintf(f, "%s\n       {\"flow\": %u", i ? "," : "", i);
		for (int k = 0; k < PG_F_NUM; k++) {
			const struct pg_field *fd = &s->flows.f[k];
			uint64_t span = (uint64_t)fd->hi - fd->lo + 1;
			uint32_t v = fd->lo;

			if (span > 1) {
				v = (uint32_t)(fd->lo + rest % span);
				rest /= span;
			}
			if (k <= PG_F_DST_IP && !s->spec.ipv6)
				fprintf(f, ", \"%s\": \"%u.%u.%u.%u\"", names[k], v >> 24, (v >> 16) & 255,
					(v >> 8) & 255, v & 255);
			else if (k > PG_F_DST_IP)
				fprintf(f, ", \"%s\": %u", names[k], v);
		}
		fprintf(f, ", \"tx_packets\": %" PRIu64 ", \"rx_packets\": %" PRIu64 ", \"tx_bytes\": %"
			PRIu64 ", \"rx_bytes\": %" PRIu64 "}", tx, s->flow_rx[i], s->flow_tx_bytes[i],
			s->flow_rx_bytes[i]);
	}
	fprintf(f, "]");
}

/*
 * Where a paced stream's rate went, in percent of the slots due over
 * @p secs (rate x time): sent = accepted / due - 1, split into what the
 * port refused (back-pressure: the port or whatever drains it did not keep
 * up), what the lcore left unsent (skipped after stalls, owed at the end,
 * and the time it took past the --duration deadline to send what a stall
 * had left: it did not run enough), and the rest, the pacing's own error
 * (slots taken + skipped + owed against those due by the deadline).
 * False when the stream is not paced.
 */
struct pg_rate_split {
	double sent, refused, behind, pacing;
};

static bool
rate_split(const struct pg_stream *s, double secs, struct pg_rate_split *x)
{
	const double due = s->pps * secs, hz = (double)sl_get_tsc_hz();
	double window = secs, slots, late;

	if (!s->paced || !(due > 0))
		return false;
	/* Sending went on past the deadline (gen_lcore): the slots are those
	 * of the window up to it. */
	if (send_until && send_until > lcore_start)
		window = SL_MIN(secs, (double)(send_until - lcore_start) / hz);
	slots = s->pps * window;
	/* --cores: each worker's schedule starts when it starts; one that
	 * started late did not run (behind), its pacing is not off. */
	if (pg.cores > 1 && send_until) {
		slots = 0;
		for (unsigned int q = 0; q < pg.cores; q++)
			if (send_until > workers[q].start_tsc)
				slots += s->pps / pg.cores *
					 (double)(send_until - workers[q].start_tsc) / hz;
	}
	late = due - slots;
	x->sent = ((double)(s->c.tx - s->c.tx_dropped) / due - 1) * 100;
	x->refused = s->c.tx_dropped ? -(double)s->c.tx_dropped / due * 100 : 0.0;
	x->behind = s->sched.skipped + s->owed || late > 0.5 ?
		    -((double)(s->sched.skipped + s->owed) + late) / due * 100 : 0.0;
	x->pacing = ((double)(s->c.tx + s->sched.skipped + s->owed) - slots) / due * 100;
	return true;
}

static void
json_stream(FILE *f, const struct pg_stream *s, double secs)
{
	struct pg_rate_split x;
	static struct pg_hist h;
	struct pg_result r;
	const struct pg_series *se = &series[s->id];

	result_of(s, &r, &h);
	char rxp[8];

	snprintf(rxp, sizeof(rxp), s->rx_port == PG_RX_NONE ? "null" : "%u", s->rx_port);
	fprintf(f, "    {\"port\": %u, \"rx_port\": %s, \"tx_packets\": %" PRIu64 ", \"rx_packets\": %"
		PRIu64 ", \"tx_bytes\": %" PRIu64 ", \"rx_bytes\": %" PRIu64 ",\n"
		"     \"tx_pps\": %.1f, \"rx_pps\": %.1f, \"tx_mbps\": %.3f, \"rx_mbps\": %.3f, "
		"\"rate_pps\": %.1f,\n"
		"     \"lost\": %" PRIu64 ", \"reordered\": %" PRIu64 ", \"late\": %" PRIu64
		", \"duplicates\": %" PRIu64 ", \"tx_dropped\": %" PRIu64 ", \"tx_nombuf\": %" PRIu64
		", \"tx_skipped\": %" PRIu64 ", \"tx_owed\": %" PRIu64 ", \"tx_retried\": %" PRIu64 ",\n",
		s->tx_port, rxp, r.sent, r.rx, s->c.tx_bytes, s->rx_bytes,
		secs > 0 ? (double)r.sent / secs : 0.0, secs > 0 ? (double)r.unique / secs : 0.0,
		mbps_l1(s->c.tx_bytes, r.sent, secs), mbps_l1(s->rx_bytes, r.unique, secs),
		s->paced ? s->pps : 0.0, r.lost, s->seq.reordered, s->seq.late, s->seq.dup,
		s->c.tx_dropped, s->c.tx_nombuf, s->sched.skipped, s->owed, s->c.tx_retried);
	if (rate_split(s, secs, &x))
		fprintf(f, "     \"rate_error_pct\": {\"sent\": %.4f, \"refused\": %.4f, \"behind\": %.4f, "
			"\"pacing\": %.4f},\n", x.sent, x.refused, x.behind, x.pacing);
	fprintf(f, "     \"latency_ns\": {\"count\": %" PRIu64 ", \"min\": %" PRIu64 ", \"mean\": %.1f, "
		"\"p50\": %" PRIu64 ", \"p90\": %" PRIu64 ", \"p99\": %" PRIu64 ", \"p999\": %" PRIu64
		", \"max\": %" PRIu64 ", \"jitter\": %.1f",
		h.total, h.total ? h.min : 0, r.mean, r.p50, r.p90, r.p99, r.p999, h.max, r.jitter);
	if (pg.latency_detail) {
		bool first = true;

		/* The non-empty slots: [lowest value, highest value, count]. */
		fprintf(f, ",\n       \"histogram\": [");
		for (unsigned int i = 0; i < PG_HIST_SLOTS; i++) {
			if (h.counts[i] == 0)
				continue;
			fprintf(f, "%s[%" PRIu64 ", %" PRIu64 ", %" PRIu64 "]", first ? "" : ", ",
				pg_hist_slot_low(i), pg_hist_slot_high(i), h.counts[i]);
			first = false;
		}
		fprintf(f, "]");
	}
	fprintf(f, "},\n     \"series\": [");
	for (size_t i = 0; i < se->n; i++) {
		const struct pg_sample *x = &se->v[i];

		fprintf(f, "%s\n       {\"t\": %.3f, \"tx_pps\": %.1f, \"rx_pps\": %.1f, \"tx_mbps\": %.3f, "
			"\"rx_mbps\": %.3f, \"lost\": %" PRIu64 ", \"reordered\": %" PRIu64
			", \"duplicates\": %" PRIu64 ", \"p50_ns\": %" PRIu64 ", \"p99_ns\": %" PRIu64
			", \"max_ns\": %" PRIu64 "}", i ? "," : "", x->t, x->tx_pps, x->rx_pps, x->tx_mbps,
			x->rx_mbps, x->lost, x->reordered, x->dup, x->p50, x->p99, x->max);
	}
	fprintf(f, "]");
	json_flows(f, s);
	if (pg.cores > 1) {
		/* Worker q sent sub-stream q on TX queue q and received what came
		 * back on RX queue q (of any sub-stream). */
		fprintf(f, ",\n     \"queues\": [");
		for (unsigned int q = 0; q < pg.cores; q++) {
			const struct pg_stream *t = subs[s->id][q];

			fprintf(f, "%s\n       {\"queue\": %u, \"lcore\": %u, \"tx_packets\": %" PRIu64
				", \"tx_skipped\": %" PRIu64 ", \"tx_owed\": %" PRIu64 ", \"rx_packets\": %"
				PRIu64 "}", q ? "," : "", q, workers[q].lcore, t->c.tx - t->c.tx_dropped,
				t->sched.skipped, t->owed, workers[q].rx_pkts[s->id]);
		}
		fprintf(f, "]");
	}
	fprintf(f, "}");
}

static int
write_json(double secs)
{
	FILE *f = stdout;
	uint64_t sent = 0, rx = 0, lost = 0, reord = 0, dup = 0, txb = 0, rxb = 0;

	if (pg.json_f)
		f = pg.json_f;
	for (unsigned int i = 0; i < nb_streams; i++) {
		const struct pg_stream *s = streams[i];

		sent += s->c.tx - s->c.tx_dropped;
		rx += s->seq.rx;
		if (rx_measured(s))
			lost += pg_seq_lost(&s->seq, s->c.tx - s->c.tx_dropped);
		reord += s->seq.reordered;
		dup += s->seq.dup;
		txb += s->c.tx_bytes;
		rxb += s->rx_bytes;
	}
	/* Totals over the streams first, for scripts that want one number. */
	fprintf(f, "{\"duration_s\": %.6f, \"tx_packets\": %" PRIu64 ", \"rx_packets\": %" PRIu64
		", \"lost\": %" PRIu64 ", \"reordered\": %" PRIu64 ", \"duplicates\": %" PRIu64
		", \"foreign\": %" PRIu64 ", \"foreign_bytes\": %" PRIu64 ", \"tx_bytes\": %" PRIu64
		", \"rx_bytes\": %" PRIu64 ", \"tx_pps\": %.1f, \"rx_pps\": %.1f,\n",
		secs, sent, rx, lost, reord, dup, rx_ctx.foreign, rx_ctx.foreign_bytes, txb, rxb,
		secs > 0 ? (double)sent / secs : 0.0, secs > 0 ? (double)(rx - dup) / secs : 0.0);
	if (pg.pcap_path) {
		fprintf(f, "  \"pcap\": {\"file\": \"");
		for (const char *c = pg.pcap_path; *c; c++)
			fprintf(f, *c == '"' || *c == '\\' ? "\\%c" : (unsigned char)*c < 0x20 ? "?" : "%c", *c);
		fprintf(f, "\", \"frames\": %u, \"bytes\": %" PRIu64 ", \"loops\": ", pcap_file.nb,
			pcap_file.bytes);
		if (pg.pcap_loops)
			fprintf(f, "%" PRIu64, pg.pcap_loops);
		else
			fprintf(f, "null");
		fprintf(f, ", \"timing\": \"%s\"},\n", pg.pcap_recorded ? "recorded" : "rate");
	}
	fprintf(f, "  \"ports\": [\n");
	for (unsigned int i = 0; i < nb_streams; i++) {
		json_stream(f, streams[i], secs);
		fprintf(f, "%s\n", i + 1 < nb_streams ? "," : "");
	}
	fprintf(f, "  ]");
	if (pg.rfc2544)
		json_rfc(f);
	if (pg.nb_sweep)
		json_sweep(f);
	fprintf(f, "}\n");
	pg.json_f = NULL;
	if (f != stdout && fclose(f) != 0) {
		fprintf(stderr, "sluice-pktgen: writing --json file '%s' failed: %s\n", pg.json_path,
			strerror(errno));
		return -EIO;
	}
	fflush(stdout);
	return 0;
}

static int
close_csv(FILE *f)
{
	if (fclose(f) != 0) {
		fprintf(stderr, "sluice-pktgen: writing --csv file '%s' failed: %s\n", pg.csv_path,
			strerror(errno));
		return -EIO;
	}
	return 0;
}

/* After several runs (--rfc2544, a sweep): the table @p show prints, the
 * JSON, and the CSV @p csv writes. */
static int
finish_runs(FILE *out, double total, void (*show)(FILE *), void (*csv)(FILE *))
{
	FILE *f = pg.csv_f;

	if (pg_signal)
		fprintf(out, "Signal %d received, stopping\n", pg_signal);
	show(out);
	if (pg.json && write_json(total) < 0)
		return -EIO;
	if (f == NULL)
		return 0;
	pg.csv_f = NULL;
	csv(f);
	return close_csv(f);
}

static int
write_csv(void)
{
	FILE *f = pg.csv_f;

	pg.csv_f = NULL;
	fprintf(f, "t_s,port,rx_port,tx_pps,rx_pps,tx_mbps,rx_mbps,lost,reordered,duplicates,"
		"p50_ns,p99_ns,max_ns\n");
	for (unsigned int i = 0; i < nb_streams; i++)
		for (size_t k = 0; k < series[i].n; k++) {
			const struct pg_sample *x = &series[i].v[k];

			char rxp[8];

			snprintf(rxp, sizeof(rxp), streams[i]->rx_port == PG_RX_NONE ? "none" : "%u",
				 streams[i]->rx_port);
			fprintf(f, "%.3f,%u,%s,%.1f,%.1f,%.3f,%.3f,%" PRIu64 ",%" PRIu64 ",%" PRIu64
				",%" PRIu64 ",%" PRIu64 ",%" PRIu64 "\n", x->t, streams[i]->tx_port,
				rxp, x->tx_pps, x->rx_pps, x->tx_mbps, x->rx_mbps, x->lost,
				x->reordered, x->dup, x->p50, x->p99, x->max);
		}
	return close_csv(f);
}

/* ---- --plot ---- */

/* Stream @p s's name in plot legends. */
static void
plot_name(char *buf, size_t len, const struct pg_stream *s)
{
	if (s->rx_port == PG_RX_NONE)
		snprintf(buf, len, "port %u", s->tx_port);
	else
		snprintf(buf, len, "port %u->%u", s->tx_port, s->rx_port);
}

/*
 * Latency by percentile, HdrHistogram's way of showing a tail: x is
 * 1 / (1 - q) on a log scale, so 90 %, 99 %, 99.9 % are equally spaced; y
 * is the highest latency of the bucket where the cumulative count reaches
 * q.  The last point (q = 1) is put at x = count: one in that many.
 */
static void
plot_latency_data(FILE *f, unsigned int i, const struct pg_hist *h)
{
	uint64_t cum = 0;

	fprintf(f, "$lat%u << EOD\n1 %.4f\n", i, (double)h->min / 1e3);
	for (unsigned int k = 0; k < PG_HIST_SLOTS; k++) {
		double q, x;

		if (h->counts[k] == 0)
			continue;
		cum += h->counts[k];
		q = (double)cum / (double)h->total;
		x = 1.0 / SL_MAX(1.0 - q, 1.0 / (double)h->total);
		fprintf(f, "%.6g %.4f\n", x, (double)SL_MIN(pg_hist_slot_high(k), h->max) / 1e3);
	}
	fprintf(f, "EOD\n");
}

static void
plot_latency_axes(FILE *f)
{
	fprintf(f, "set title 'Latency by percentile'\nset logscale x\nset logscale y\n"
		"set xlabel 'percentile'\nset ylabel 'latency (us)'\nset xrange [1:*]\n"
		/* Tic labels are formats: %%%% prints one %. */
		"set xtics ('50%%%%' 2, '90%%%%' 10, '99%%%%' 100, '99.9%%%%' 1000, '99.99%%%%' 1e4, "
		"'99.999%%%%' 1e5, '99.9999%%%%' 1e6, '99.99999%%%%' 1e7)\n");
}

/* --plot for a run: throughput over time per stream, latency by percentile. */
static int
write_plot(void)
{
	static struct pg_hist h[PG_MAX_STREAMS];
	char gp[4096], err[512], name[64];
	bool lat = false;
	FILE *f;
	int rc;

	for (unsigned int i = 0; i < nb_streams; i++) {
		pg_hist_copy(&h[i], &streams[i]->hist);
		lat = lat || h[i].total > 0;
	}
	f = pg_plot_open(pg.plot_path, lat ? 760 : 400, gp, sizeof(gp));
	if (f == NULL) {
		fprintf(stderr, "sluice-pktgen: cannot write the --plot script '%s': %s\n", gp,
			strerror(errno));
		return -EIO;
	}
	for (unsigned int i = 0; i < nb_streams; i++) {
		fprintf(f, "$tp%u << EOD\n", i);
		for (size_t k = 0; k < series[i].n; k++)
			fprintf(f, "%.3f %.6f %.6f\n", series[i].v[k].t, series[i].v[k].tx_pps / 1e6,
				series[i].v[k].rx_pps / 1e6);
		fprintf(f, "EOD\n");
		if (h[i].total)
			plot_latency_data(f, i, &h[i]);
	}
	fprintf(f, "set multiplot layout %d,1 title 'sluice-pktgen: %s, rate %s'\n"
		"set grid\nset key outside right top\nset lmargin 12\nset rmargin 24\n"
		"set title 'Throughput (per second)'\nset xlabel 'time (s)'\nset xrange [0:*]\nset ylabel 'Mpps'\n"
		"set yrange [0:*]\nplot", lat ? 2 : 1, pg.size_arg ? pg.size_arg : "64 bytes",
		pg.rate_arg ? pg.rate_arg : "max");
	for (unsigned int i = 0; i < nb_streams; i++) {
		plot_name(name, sizeof(name), streams[i]);
		fprintf(f, "%s $tp%u using 1:2 with linespoints pt 7 ps 0.5 title '%s tx', "
			"$tp%u using 1:3 with linespoints pt 6 ps 0.7 dt 2 title '%s rx'",
			i ? "," : "", i, name, i, name);
	}
	fprintf(f, "\n");
	if (lat) {
		bool first = true;

		fprintf(f, "set yrange [*:*]\n");
		plot_latency_axes(f);
		fprintf(f, "plot");
		for (unsigned int i = 0; i < nb_streams; i++) {
			if (h[i].total == 0)
				continue;
			plot_name(name, sizeof(name), streams[i]);
			fprintf(f, "%s $lat%u using 1:2 with steps lw 2 title '%s'", first ? "" : ",", i, name);
			first = false;
		}
		fprintf(f, "\n");
	}
	fprintf(f, "unset multiplot\n");
	rc = pg_plot_run(f, gp, err, sizeof(err));
	if (rc < 0)
		fprintf(stderr, "sluice-pktgen: --plot=%s: %s\n", pg.plot_path, err);
	return rc;
}

static void
show_final(FILE *out, double secs)
{
	static struct pg_hist h;
	struct pg_rate_split x;

	for (unsigned int i = 0; i < nb_streams; i++) {
		const struct pg_stream *s = streams[i];
		struct pg_result r;
		char a[32], b[32], c[32], d[32], e[32], g[32], j[32];

		result_of(s, &r, &h);
		if (s->rx_port == PG_RX_NONE)
			fprintf(out, "---------------- sluice-pktgen: port %u (send only) ----------------\n",
				s->tx_port);
		else
			fprintf(out, "---------------- sluice-pktgen: port %u -> port %u ----------------\n",
				s->tx_port, s->rx_port);
		fprintf(out, "sent      %" PRIu64 " packets (%.3f Mpps, %.1f Mbit/s over %.3f s), %" PRIu64
			" refused by the port, %" PRIu64 " pool-empty bursts, %" PRIu64
			" slots skipped after stalls\n", r.sent, secs > 0 ? (double)r.sent / secs / 1e6 : 0.0,
			mbps_l1(s->c.tx_bytes, r.sent, secs), secs, s->c.tx_dropped, s->c.tx_nombuf,
			s->sched.skipped);
		if (s->c.tx_retried)
			fprintf(out, "retried   %" PRIu64 " packets refused by the port and offered again "
				"(--rate=max)\n", s->c.tx_retried);
		if (rate_split(s, secs, &x))
			fprintf(out, "rate      %.3f Mpps asked, sent %+.3f %%: refused by the port %+.3f %%, "
				"lcore behind (skipped, owed) %+.3f %%, pacing %+.3f %%\n", s->pps / 1e6,
				x.sent, x.refused, x.behind, x.pacing);
		if (s->rx_port == PG_RX_NONE)
			fprintf(out, "received  not counted (--rx-port=none)\n");
		else if (pg.pcap_path)
			fprintf(out, "received  %" PRIu64 " frames, %" PRIu64 " bytes on all ports (replayed "
				"frames carry no trailer: loss and latency are not measured)\n",
				rx_ctx.foreign, rx_ctx.foreign_bytes);
		else
			fprintf(out, "received  %" PRIu64 " packets, lost %" PRIu64 ", reordered %" PRIu64
				", duplicates %" PRIu64 ", foreign %" PRIu64 "\n", r.rx, r.lost,
				s->seq.reordered, s->seq.dup, rx_ctx.foreign);
		if (s->owed * 200 > s->c.tx + s->owed)
			fprintf(stderr, "sluice-pktgen: port %u: %" PRIu64 " packets (%.1f %%) were still owed "
				"when sending stopped: the lcore ran too little to repay its stalls at "
				"--catchup-peak=%g, so the rate is below the one asked: give pktgen a core "
				"of its own, a higher --catchup-peak, or --max-burst-catchup=0 to catch up "
				"at any speed\n", s->tx_port, s->owed,
				100.0 * (double)s->owed / (double)(s->c.tx + s->owed), pg.catchup_peak);
		if (s->sched.skipped * 1000 > s->c.tx + s->sched.skipped)
			fprintf(stderr, "sluice-pktgen: port %u: %.1f %% of the slots were skipped after "
				"stalls of the lcore, so the rate is below the one asked: give pktgen a "
				"core of its own, a higher --catchup-peak or --skip-after, or "
				"--max-burst-catchup=0 to catch up in bursts\n",
				s->tx_port, 100.0 * (double)s->sched.skipped /
				(double)(s->c.tx + s->sched.skipped));
		for (unsigned int q = 0; pg.cores > 1 && q < pg.cores; q++) {
			const struct pg_stream *t = subs[s->id][q];

			fprintf(out, "%s queue %u (lcore %u): sent %" PRIu64 ", received %" PRIu64 "%s",
				q ? "," : "per core ", q, workers[q].lcore, t->c.tx - t->c.tx_dropped,
				workers[q].rx_pkts[s->id], q + 1 == pg.cores ? "\n" : "");
		}
		if (h.total == 0)
			continue;
		fmt_ns(a, sizeof(a), h.min);
		fmt_ns(b, sizeof(b), (uint64_t)r.mean);
		fmt_ns(c, sizeof(c), r.p50);
		fmt_ns(d, sizeof(d), r.p99);
		fmt_ns(e, sizeof(e), h.max);
		fprintf(out, "latency   min %s, mean %s, p50 %s, p99 %s, max %s\n", a, b, c, d, e);
		if (pg.latency_detail) {
			fmt_ns(a, sizeof(a), r.p90);
			fmt_ns(g, sizeof(g), r.p999);
			fmt_ns(j, sizeof(j), (uint64_t)r.jitter);
			fprintf(out, "          p90 %s, p99.9 %s, jitter (mean |delta|) %s\n", a, g, j);
		}
	}
}

/* ---- main ---- */

/*
 * Send for @p duration_s (0: until --count or a signal), drain, stop the
 * lcore.  With @p live, sample every second (the --json/--csv series) and
 * show the live view: every --stats-period seconds when @p out is a
 * terminal or --live asks for it (a script reading stdout wants the
 * report, not a line a second), never with --no-live.
 * Returns the seconds spent sending, or -errno.
 */
static double
run_once(FILE *out, double duration_s, bool live)
{
	const uint64_t hz = sl_get_tsc_hz();
	const bool tty = isatty(fileno(out));
	const bool show = pg.stats_period && (pg.live > 0 || (pg.live < 0 && tty));
	uint64_t start, end, next_sample, next_stats, last_t, stop_at;
	bool drawn = false;
	int rc = 0;

	__atomic_store_n(&stop_tx, false, __ATOMIC_RELAXED);
	__atomic_store_n(&stop_rx, false, __ATOMIC_RELAXED);
	rx_stopped = 0;
	start = sl_rdtsc();
	end = duration_s > 0 ? start + (uint64_t)(duration_s * (double)hz) : 0;
	send_until = end;
	next_sample = start + hz;
	next_stats = start + (uint64_t)pg.stats_period * hz;
	last_t = start;
	for (unsigned int k = 0; k < pg.cores; k++) {
		rc = sl_eal_remote_launch(gen_lcore, &workers[k], workers[k].lcore);
		if (rc < 0) {
			fprintf(stderr, "sluice-pktgen: cannot launch on lcore %u: %s\n",
				workers[k].lcore, strerror(-rc));
			__atomic_store_n(&stop_tx, true, __ATOMIC_RELAXED);
			__atomic_store_n(&stop_rx, true, __ATOMIC_RELAXED);
			/* The launched ones wait for every worker to stop receiving. */
			__atomic_fetch_add(&rx_stopped, pg.cores - k, __ATOMIC_RELEASE);
			for (unsigned int j = 0; j < k; j++)
				sl_eal_wait_lcore(workers[j].lcore);
			return rc;
		}
	}
	while (!pg_signal) {
		uint64_t now = sl_rdtsc();
		bool done = true;

		if (end && now >= end)
			break;
		/* Every stream has a count (--count, or --pcap's passes) and sent it. */
		for (unsigned int i = 0; i < nb_streams && done; i++)
			done = stream_done(i);
		if (done)
			break;
		if (live && now >= next_sample) {
			sample_all((double)(now - start) / (double)hz, (double)(now - last_t) / (double)hz);
			last_t = now;
			next_sample += hz;
			if (show && now >= next_stats) {
				show_live(out, tty, drawn);
				drawn = true;
				next_stats += (uint64_t)pg.stats_period * hz;
			}
		}
		poll(NULL, 0, end && end - now < hz / 100 ? 1 : 10);
	}
	__atomic_store_n(&stop_tx, true, __ATOMIC_RELAXED);
	stop_at = sl_rdtsc();
	/* Keep receiving briefly so that packets in flight are not counted lost. */
	poll(NULL, 0, PG_DRAIN_MS);
	__atomic_store_n(&stop_rx, true, __ATOMIC_RELAXED);
	for (unsigned int k = 0; k < pg.cores; k++)
		sl_eal_wait_lcore(workers[k].lcore);
	for (unsigned int k = 0; pg.cores > 1 && k < pg.cores; k++)
		pg_rx_drain(&workers[k].own_rx);
	gather(true);
	/* Time the sending itself: from the lcore's start to the --duration
	 * deadline, or to when a worker saw stop_tx (not when main set it:
	 * main may lose its CPU in between, and the time would then count
	 * slots nobody was asked to send), or to when the last stream sent its
	 * --count-th packet (main notices that up to a poll later). */
	start = lcore_start;
	for (unsigned int k = 0; k < pg.cores; k++)
		if (k == 0 || workers[k].stop_tsc > stop_at)
			stop_at = workers[k].stop_tsc;
	if (streams[0]->count) {
		uint64_t last = 0;
		bool all = true;

		for (unsigned int i = 0; i < nb_streams; i++) {
			all = all && streams[i]->done_tsc;
			last = SL_MAX(last, streams[i]->done_tsc);
		}
		if (all && last > start && last < stop_at)
			stop_at = last;
	}
	/* The last, partial second, so that the series adds up to the totals
	 * (its receive side includes the drain). */
	if (live && stop_at > last_t)
		sample_all((double)(stop_at - start) / (double)hz, (double)(stop_at - last_t) / (double)hz);
	return (double)(stop_at - start) / (double)hz;
}

static int
run(FILE *out)
{
	double secs = run_once(out, pg.duration_s, true);
	int rc = 0;

	if (secs < 0)
		return (int)secs;
	if (pg_signal)
		fprintf(out, "Signal %d received, stopping\n", pg_signal);
	show_final(out, secs);
	if (pg.json && write_json(secs) < 0)
		rc = -EIO;
	if (pg.csv_path && write_csv() < 0)
		rc = -EIO;
	if (pg.plot_path && write_plot() < 0)
		rc = -EIO;
	return rc;
}

/* Forget everything @p s sent and received; set its frame size and rate. */
static void
state_reset(struct pg_stream *s, uint16_t size, double pps)
{
	struct sl_ether_addr d, m;

	memset(&s->c, 0, sizeof(s->c));
	s->rx_bytes = s->jit_sum = s->jit_n = s->last_lat = 0;
	s->owed = 0;
	if (s->flow_rx)
		memset(s->flow_rx, 0, 2 * s->nb_flow_rx * sizeof(*s->flow_rx)); /* and flow_rx_bytes */
	if (s->flow_tx_bytes)
		memset(s->flow_tx_bytes, 0, s->nb_flow_rx * sizeof(uint64_t));
	s->flow_tx_idx = 0;
	if (s->nb_flow_rx && flow_refused[s->id])
		memset(flow_refused[s->id], 0, s->nb_flow_rx * sizeof(uint64_t));
	pg_seq_reset(&s->seq);
	pg_hist_reset(&s->hist);
	memset(&s->sched, 0, sizeof(s->sched));
	s->size.mode = PG_SIZE_FIXED;
	s->size.lo = s->size.hi = size;
	s->size_idx = 0;
	s->paced = pps > 0;
	s->pps = pps;
	memcpy(d.addr_bytes, s->tpl, 6);
	memcpy(m.addr_bytes, s->tpl + 6, 6);
	pg_stream_template(s, d.addr_bytes, m.addr_bytes);
}

/* The sub-streams of stream @p i take its rate, 1/N each. */
static void
subs_rate(unsigned int i)
{
	for (unsigned int q = 0; pg.cores > 1 && q < pg.cores; q++) {
		subs[i][q]->paced = streams[i]->paced;
		subs[i][q]->pps = streams[i]->pps / pg.cores;
	}
}

/* state_reset() for stream @p i, its sub-streams and the workers' receive
 * state of them. */
static void
stream_reset(unsigned int i, uint16_t size, double pps)
{
	state_reset(streams[i], size, pps);
	for (unsigned int q = 0; pg.cores > 1 && q < pg.cores; q++) {
		state_reset(subs[i][q], size, pps / pg.cores);
		for (unsigned int k = 0; k < pg.cores; k++)
			state_reset(workers[k].rxs[q * nb_streams + i], size, 0);
	}
}

static void
foreign_reset(void)
{
	rx_ctx.foreign = rx_ctx.foreign_bytes = 0;
	for (unsigned int k = 0; k < pg.cores; k++)
		workers[k].own_rx.foreign = workers[k].own_rx.foreign_bytes = 0;
}

/* One trial at @p pps per stream; fills @p t.  Returns 0 or -errno. */
static int
rfc_trial(FILE *out, uint16_t size, double pps, struct pg_trial *t)
{
	static struct pg_hist all, one;
	uint64_t sent = 0, uniq = 0;
	double secs;

	for (unsigned int i = 0; i < nb_streams; i++)
		stream_reset(i, size, pps);
	foreign_reset();
	secs = run_once(out, pg.rfc_trial_s, false);
	if (secs < 0)
		return (int)secs;
	pg_hist_reset(&all);
	for (unsigned int i = 0; i < nb_streams; i++) {
		const struct pg_stream *s = streams[i];

		sent += s->c.tx - s->c.tx_dropped;
		uniq += pg_seq_unique(&s->seq);
		pg_hist_copy(&one, &s->hist);
		pg_hist_add(&all, &one);
	}
	memset(t, 0, sizeof(*t));
	t->rate_pps = pps;
	t->sent = sent;
	t->lost = sent > uniq ? sent - uniq : 0;
	t->tx_pps = secs > 0 ? (double)sent / secs / nb_streams : 0;
	t->pass = sent > 0 && (double)t->lost <= pg.rfc_loss / 100 * (double)sent;
	t->short_of_rate = t->tx_pps < pps * 0.99;
	t->lat_min = all.total ? all.min : 0;
	t->lat_mean = pg_hist_mean(&all);
	t->lat_p50 = pg_hist_percentile(&all, 50);
	t->lat_p99 = pg_hist_percentile(&all, 99);
	t->lat_max = all.max;
	fprintf(out, "  trial %4u bytes at %10.0f pps: offered %10.0f pps, lost %" PRIu64 " of %" PRIu64
		" -> %s%s\n", size, pps, t->tx_pps, t->lost, sent, t->pass ? "pass" : "FAIL",
		t->short_of_rate ? " (the generator offered < 99 % of the rate)" : "");
	fflush(out);
	return 0;
}

/* The passing trial that gave size @p r's result, or NULL. */
static const struct pg_trial *
rfc_best(const struct pg_rfc_size *r)
{
	const struct pg_trial *b = NULL;

	for (unsigned int i = 0; i < r->nb_trials; i++)
		if (r->trials[i].pass && r->trials[i].tx_pps == r->best_tx_pps)
			b = &r->trials[i];
	return b;
}

/* A table's latency column: min / mean / p50 / p99 / max in us, from ns. */
static void
show_lat_us(FILE *out, uint64_t min, double mean, uint64_t p50, uint64_t p99, uint64_t max)
{
	fprintf(out, "  %.2f / %.2f / %.2f / %.2f / %.2f\n", (double)min / 1e3, mean / 1e3,
		(double)p50 / 1e3, (double)p99 / 1e3, (double)max / 1e3);
}

static void
show_rfc(FILE *out)
{
	fprintf(out, "---------------- sluice-pktgen: RFC 2544 throughput (loss <= %g %%, trials of "
		"%g s, resolution %g %%) ----------------\n", pg.rfc_loss, pg.rfc_trial_s,
		pg.rfc_resolution);
	fprintf(out, " size  throughput Mpps  Mbit/s (L1)  asked Mpps  trials  latency at it: "
		"min / mean / p50 / p99 / max (us)\n");
	for (unsigned int k = 0; k < rfc_done; k++) {
		const struct pg_rfc_size *r = &rfc[k];
		const struct pg_trial *b = rfc_best(r);

		fprintf(out, "%5u  %15.4f  %11.1f  %10.4f  %6u", r->size, r->best_tx_pps / 1e6,
			r->best_tx_pps * (r->size + PG_L1_EXTRA) * 8 / 1e6, r->best_pps / 1e6, r->nb_trials);
		if (b)
			show_lat_us(out, b->lat_min, b->lat_mean, b->lat_p50, b->lat_p99, b->lat_max);
		else
			fprintf(out, "  (no trial passed)\n");
	}
}

static void
json_rfc(FILE *f)
{
	fprintf(f, ",\n  \"rfc2544\": {\"loss_pct\": %g, \"trial_s\": %g, \"resolution_pct\": %g, "
		"\"results\": [", pg.rfc_loss, pg.rfc_trial_s, pg.rfc_resolution);
	for (unsigned int k = 0; k < rfc_done; k++) {
		const struct pg_rfc_size *r = &rfc[k];

		fprintf(f, "%s\n    {\"size\": %u, \"upper_pps\": %.1f, \"throughput_pps\": %.1f, "
			"\"throughput_mbps\": %.3f, \"rate_pps\": %.1f, \"trials\": [", k ? "," : "",
			r->size, r->upper_pps, r->best_tx_pps,
			r->best_tx_pps * (r->size + PG_L1_EXTRA) * 8 / 1e6, r->best_pps);
		for (unsigned int i = 0; i < r->nb_trials; i++) {
			const struct pg_trial *t = &r->trials[i];

			fprintf(f, "%s\n      {\"rate_pps\": %.1f, \"offered_pps\": %.1f, \"sent\": %" PRIu64
				", \"lost\": %" PRIu64 ", \"pass\": %s, \"short_of_rate\": %s, "
				"\"latency_ns\": {\"min\": %" PRIu64 ", \"mean\": %.1f, \"p50\": %" PRIu64
				", \"p99\": %" PRIu64 ", \"max\": %" PRIu64 "}}", i ? "," : "", t->rate_pps,
				t->tx_pps, t->sent, t->lost, t->pass ? "true" : "false",
				t->short_of_rate ? "true" : "false", t->lat_min, t->lat_mean, t->lat_p50,
				t->lat_p99, t->lat_max);
		}
		fprintf(f, "]}");
	}
	fprintf(f, "]}");
}

/* One frame size of a plot by size (--rfc2544, --size=sweep:); NaN = no value. */
struct pg_size_row {
	uint16_t size;
	double tput, rx, upper;      /* Mpps */
	double min, p50, p99, max;   /* us */
};

/* --plot by frame size: throughput (and rx) against @p upper_name, and the
 * latency at each size (a panel only when some size has it: gnuplot refuses
 * to plot nothing but NaN). */
static int
write_plot_sizes(const char *title, const char *tput_name, const char *upper_name, bool has_rx,
		 const struct pg_size_row *rows, unsigned int n)
{
	char gp[4096], err[512];
	bool lat = false;
	FILE *f;
	int rc;

	for (unsigned int k = 0; k < n; k++)
		lat = lat || !isnan(rows[k].max);
	f = pg_plot_open(pg.plot_path, lat ? 760 : 400, gp, sizeof(gp));
	if (f == NULL) {
		fprintf(stderr, "sluice-pktgen: cannot write the --plot script '%s': %s\n", gp,
			strerror(errno));
		return -EIO;
	}
	fprintf(f, "$sizes << EOD\n");
	for (unsigned int k = 0; k < n; k++)
		fprintf(f, "%u %.6f %.6f %.6f %.4f %.4f %.4f %.4f\n", rows[k].size, rows[k].tput,
			rows[k].rx, rows[k].upper, rows[k].min, rows[k].p50, rows[k].p99, rows[k].max);
	fprintf(f, "EOD\n");
	fprintf(f, "set multiplot layout %d,1 title '%s'\n"
		"set grid\nset key outside right top\nset lmargin 12\nset rmargin 24\n"
		"set logscale x 2\nset xlabel 'frame size (bytes, without FCS)'\n"
		"set title 'Throughput by frame size'\nset ylabel 'Mpps'\nset yrange [0:*]\n"
		/* Room above the upper bound, which would hide in the border. */
		"set offsets 0, 0, graph 0.1, 0\n"
		"plot $sizes using 1:2 with linespoints pt 7 lw 2 title '%s', ", lat ? 2 : 1, title,
		tput_name);
	if (has_rx)
		fprintf(f, "$sizes using 1:3 with linespoints pt 6 dt 2 title 'rx', ");
	fprintf(f, "$sizes using 1:4 with lines dt 2 title '%s'\n", upper_name);
	if (lat)
		fprintf(f, "set title 'Latency by frame size'\nset ylabel 'latency (us)'\nset logscale y\n"
		"set yrange [*:*]\nset offsets 0, 0, 0, 0\n"
		"plot $sizes using 1:7 with linespoints pt 7 title 'p99', "
		"$sizes using 1:6 with linespoints pt 6 title 'p50', "
		"$sizes using 1:8 with linespoints pt 2 dt 2 title 'max', "
		"$sizes using 1:5 with linespoints pt 1 dt 3 title 'min'\n");
	fprintf(f, "unset multiplot\n");
	rc = pg_plot_run(f, gp, err, sizeof(err));
	if (rc < 0)
		fprintf(stderr, "sluice-pktgen: --plot=%s: %s\n", pg.plot_path, err);
	return rc;
}

/* --plot for --rfc2544: throughput by size against the upper bound, and
 * the latency of the trial that gave it. */
static int
write_plot_rfc(void)
{
	static struct pg_size_row rows[PG_RFC_MAX_SIZES];
	char title[160];

	for (unsigned int k = 0; k < rfc_done; k++) {
		const struct pg_trial *b = rfc_best(&rfc[k]);

		rows[k] = (struct pg_size_row){ rfc[k].size, rfc[k].best_tx_pps / 1e6, NAN,
			rfc[k].upper_pps / 1e6, b ? b->lat_min / 1e3 : NAN, b ? b->lat_p50 / 1e3 : NAN,
			b ? b->lat_p99 / 1e3 : NAN, b ? b->lat_max / 1e3 : NAN };
	}
	snprintf(title, sizeof(title), "sluice-pktgen: RFC 2544 throughput (loss <= %g %%, trials "
		 "of %g s, resolution %g %%)", pg.rfc_loss, pg.rfc_trial_s, pg.rfc_resolution);
	return write_plot_sizes(title, "throughput", "upper bound", false, rows, rfc_done);
}

/* With --rfc2544 the CSV holds the trials. */
static void
csv_rfc(FILE *f)
{
	fprintf(f, "size,rate_pps,offered_pps,sent,lost,pass,lat_min_ns,lat_mean_ns,lat_p50_ns,"
		"lat_p99_ns,lat_max_ns\n");
	for (unsigned int k = 0; k < rfc_done; k++)
		for (unsigned int i = 0; i < rfc[k].nb_trials; i++) {
			const struct pg_trial *t = &rfc[k].trials[i];

			fprintf(f, "%u,%.1f,%.1f,%" PRIu64 ",%" PRIu64 ",%d,%" PRIu64 ",%.1f,%" PRIu64
				",%" PRIu64 ",%" PRIu64 "\n", rfc[k].size, t->rate_pps, t->tx_pps,
				t->sent, t->lost, t->pass, t->lat_min, t->lat_mean, t->lat_p50,
				t->lat_p99, t->lat_max);
		}
}

/*
 * RFC 2544 §26.1 throughput: for each frame size, the highest rate at which
 * no more than --rfc2544 percent of the offered packets are lost, found by
 * binary search on the asked rate between 0 and the upper bound (--rate,
 * else the line rate) with trials of --trial seconds, until the bounds are
 * within --resolution percent of the upper bound.  The result is the most
 * any passing trial really offered (sent / trial time): a generator that
 * fell short of the asked rate has not shown the asked one.
 */
static int
run_rfc2544(FILE *out)
{
	double total = 0;

	for (unsigned int k = 0; k < pg.rfc_nb_sizes && !pg_signal; k++) {
		struct pg_rfc_size *r = &rfc[k];
		uint16_t size = pg.rfc_sizes[k];
		struct sl_eth_link link;
		uint32_t mbps = 0;
		double lo = 0, hi, pps;
		int rc;

		if (sl_eth_link_get_nowait(streams[0]->tx_port, &link) == 0 && link.link_status)
			mbps = link.link_speed;
		hi = pg.rate.kind == PG_RATE_MAX ? (mbps ? pg_line_pps(size, mbps) : 0) :
		     pg_rate_pps(&pg.rate, size, mbps, pg.rate_l2);
		if (!(hi >= 1)) {
			fprintf(stderr, "sluice-pktgen: --rfc2544: port %u reports no link speed, so there "
				"is no upper bound for the search: give one with --rate (e.g. --rate=10mpps)\n",
				streams[0]->tx_port);
			return -EINVAL;
		}
		memset(r, 0, sizeof(*r));
		r->size = size;
		r->upper_pps = hi;
		rfc_done = k + 1;
		pps = hi;
		while (r->nb_trials < PG_RFC_MAX_TRIALS && !pg_signal) {
			struct pg_trial *t = &r->trials[r->nb_trials];

			rc = rfc_trial(out, size, pps, t);
			if (rc < 0)
				return rc;
			r->nb_trials++;
			total += pg.rfc_trial_s;
			if (t->pass) {
				lo = pps;
				/* The highest rate shown: the most any passing trial offered. */
				if (t->tx_pps > r->best_tx_pps) {
					r->best_pps = pps;
					r->best_tx_pps = t->tx_pps;
				}
			} else {
				hi = pps;
			}
			if (hi - lo <= r->upper_pps * pg.rfc_resolution / 100)
				break;
			pps = (lo + hi) / 2;
		}
	}
	if (finish_runs(out, total, show_rfc, csv_rfc) < 0)
		return -EIO;

	if (pg.plot_path && rfc_done && write_plot_rfc() < 0)
		return -EIO;
	return 0;
}

/* --size=sweep: the results table. */
static void
show_sweep(FILE *out)
{
	fprintf(out, "---------------- sluice-pktgen: size %s (per stream) ----------------\n",
		pg.sweep_arg);
	fprintf(out, " size  asked Mpps  tx Mpps  rx Mpps  Mbit/s (L1)        lost  reordered  "
		"dup  latency min / mean / p50 / p99 / max (us)\n");
	for (unsigned int k = 0; k < sweep_done; k++) {
		const struct pg_sweep_res *r = &sweep[k];

		fprintf(out, "%5u  %10.4f  %7.4f  %7.4f  %11.1f  %10" PRIu64 "  %9" PRIu64 "  %3" PRIu64,
			r->size, r->rate_pps / 1e6, r->tx_pps / 1e6, r->rx_pps / 1e6,
			r->tx_pps * (r->size + PG_L1_EXTRA) * 8 / 1e6, r->lost, r->reordered, r->dup);
		if (r->rx && !pg.no_latency)
			show_lat_us(out, r->lat_min, r->lat_mean, r->lat_p50, r->lat_p99, r->lat_max);
		else
			fprintf(out, "  -\n");
	}
}

static void
json_sweep(FILE *f)
{
	fprintf(f, ",\n  \"sweep\": [");
	for (unsigned int k = 0; k < sweep_done; k++) {
		const struct pg_sweep_res *r = &sweep[k];

		fprintf(f, "%s\n    {\"size\": %u, \"duration_s\": %.6f, \"rate_pps\": %.1f, "
			"\"tx_pps\": %.1f, \"rx_pps\": %.1f, \"tx_packets\": %" PRIu64 ", \"rx_packets\": %"
			PRIu64 ", \"lost\": %" PRIu64 ", \"reordered\": %" PRIu64 ", \"duplicates\": %" PRIu64
			", \"latency_ns\": {\"min\": %" PRIu64 ", \"mean\": %.1f, \"p50\": %" PRIu64
			", \"p99\": %" PRIu64 ", \"max\": %" PRIu64 "}}", k ? "," : "", r->size, r->secs,
			r->rate_pps, r->tx_pps, r->rx_pps, r->sent, r->rx, r->lost, r->reordered, r->dup,
			r->lat_min, r->lat_mean, r->lat_p50, r->lat_p99, r->lat_max);
	}
	fprintf(f, "]");
}

/* With --size=sweep: the CSV holds one row per size. */
static void
csv_sweep(FILE *f)
{
	fprintf(f, "size,duration_s,rate_pps,tx_pps,rx_pps,tx_packets,rx_packets,lost,reordered,"
		"duplicates,lat_min_ns,lat_mean_ns,lat_p50_ns,lat_p99_ns,lat_max_ns\n");
	for (unsigned int k = 0; k < sweep_done; k++) {
		const struct pg_sweep_res *r = &sweep[k];

		fprintf(f, "%u,%.6f,%.1f,%.1f,%.1f,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
			",%" PRIu64 ",%" PRIu64 ",%.1f,%" PRIu64 ",%" PRIu64 ",%" PRIu64 "\n", r->size,
			r->secs, r->rate_pps, r->tx_pps, r->rx_pps, r->sent, r->rx, r->lost,
			r->reordered, r->dup, r->lat_min, r->lat_mean, r->lat_p50, r->lat_p99,
			r->lat_max);
	}
}

/*
 * --size=sweep:LO-HI:STEP: one run per size, each for --duration (default
 * 1 s) or --count packets per stream, at --rate (a bit rate or percentage
 * becomes the packet rate of that size).  Counters and histograms start
 * afresh for each size; the table has each size's figures.
 */
static int
run_sweep(FILE *out)
{
	static struct pg_hist all, one;
	double total = 0;

	for (unsigned int k = 0; k < pg.nb_sweep && !pg_signal; k++) {
		struct pg_sweep_res *r = &sweep[k];
		uint16_t size = pg.sweep_sizes[k];
		uint64_t uniq = 0;
		double secs;

		memset(r, 0, sizeof(*r));
		for (unsigned int i = 0; i < nb_streams; i++) {
			stream_reset(i, size, 0);
			if (stream_rate(streams[i]) < 0)
				return -EINVAL; /* checked before the first size: cannot happen */
			subs_rate(i);
		}
		foreign_reset();
		secs = run_once(out, pg.count ? pg.duration_s : pg.duration_s > 0 ? pg.duration_s :
				PG_SWEEP_DEF_S, false);
		if (secs < 0)
			return (int)secs;
		pg_hist_reset(&all);
		for (unsigned int i = 0; i < nb_streams; i++) {
			const struct pg_stream *s = streams[i];
			uint64_t sent = s->c.tx - s->c.tx_dropped;

			r->sent += sent;
			r->rx += s->seq.rx;
			uniq += pg_seq_unique(&s->seq);
			r->lost += rx_measured(s) ? pg_seq_lost(&s->seq, sent) : 0;
			r->reordered += s->seq.reordered;
			r->dup += s->seq.dup;
			pg_hist_copy(&one, &s->hist);
			pg_hist_add(&all, &one);
		}
		r->size = size;
		r->secs = secs;
		r->rate_pps = streams[0]->paced ? streams[0]->pps : 0;
		r->tx_pps = secs > 0 ? (double)r->sent / secs / nb_streams : 0;
		r->rx_pps = secs > 0 ? (double)uniq / secs / nb_streams : 0;
		r->lat_min = all.total ? all.min : 0;
		r->lat_mean = pg_hist_mean(&all);
		r->lat_p50 = pg_hist_percentile(&all, 50);
		r->lat_p99 = pg_hist_percentile(&all, 99);
		r->lat_max = all.max;
		sweep_done = k + 1;
		total += secs;
		fprintf(out, "  size %4u: tx %.4f Mpps, rx %.4f Mpps, lost %" PRIu64 "\n", size,
			r->tx_pps / 1e6, r->rx_pps / 1e6, r->lost);
		fflush(out);
	}
	if (finish_runs(out, total, show_sweep, csv_sweep) < 0)
		return -EIO;

	if (pg.plot_path && sweep_done) {
		static struct pg_size_row rows[PG_SWEEP_MAX];
		bool lat = !pg.no_latency;
		char title[160];

		for (unsigned int k = 0; k < sweep_done; k++) {
			const struct pg_sweep_res *r = &sweep[k];
			bool l = lat && r->rx;

			rows[k] = (struct pg_size_row){ r->size, r->tx_pps / 1e6,
				rx_measured(streams[0]) ? r->rx_pps / 1e6 : NAN,
				r->rate_pps > 0 ? r->rate_pps / 1e6 : NAN, l ? r->lat_min / 1e3 : NAN,
				l ? r->lat_p50 / 1e3 : NAN, l ? r->lat_p99 / 1e3 : NAN, l ? r->lat_max / 1e3 : NAN };
		}
		snprintf(title, sizeof(title), "sluice-pktgen: size %s, rate %s (per stream)",
			 pg.sweep_arg, pg.rate_arg ? pg.rate_arg : "max");
		if (write_plot_sizes(title, "tx", "asked", rx_measured(streams[0]), rows, sweep_done) < 0)
			return -EIO;
	}
	return 0;
}

static void
add_rx_port(uint16_t p)
{
	for (unsigned int i = 0; i < nb_rx_ports; i++)
		if (rx_ports[i] == p)
			return;
	rx_ports[nb_rx_ports++] = p;
}

/* Ports pktgen uses, each once: TX ports then RX ports. */
static unsigned int
used_ports(uint16_t *ports)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < 2 * nb_streams; i++) {
		uint16_t p = i < nb_streams ? streams[i]->tx_port : streams[i - nb_streams]->rx_port;
		bool seen = p == PG_RX_NONE;

		for (unsigned int k = 0; k < n; k++)
			seen = seen || ports[k] == p;
		if (!seen)
			ports[n++] = p;
	}
	return n;
}

/* Streams from the options; returns the largest frame size or -errno. */
static int
setup(void)
{
	unsigned int lc = (unsigned int)-1;
	uint16_t max_size = 0;

	for (unsigned int k = 0; k < pg.cores; k++) {
		lc = sl_get_next_lcore(lc, 1, 0);
		if (lc >= SL_MAX_LCORE) {
			fprintf(stderr, "sluice-pktgen: %u worker lcore(s) needed (--cores=%u), the EAL has "
				"%u: give it one more lcore than that (e.g. -l 0-%u)\n", pg.cores, pg.cores,
				k, pg.cores);
			return -EINVAL;
		}
		workers[k].lcore = lc;
		workers[k].queue = (uint16_t)k;
		workers[k].rx = pg.cores > 1 ? &workers[k].own_rx : &rx_ctx;
	}
	if (pg.pcap_path) {
		char err[512];
		int rc = pg_pcap_load(&pcap_file, pg.pcap_path, PG_MAX_SIZE, err, sizeof(err));

		if (rc < 0) {
			fprintf(stderr, "sluice-pktgen: bad value '%s' for --pcap: %s\n", pg.pcap_path, err);
			return rc == -ENOMEM ? -ENOMEM : -EINVAL;
		}
		max_size = pcap_file.max_len;
	}
	if (pg.nb_pairs == 0) {
		if (!pg.rx_port_set)
			pg.rx_port = sl_eth_dev_is_valid_port(1) ? 1 : 0;
		pg.pair_tx[0] = pg.tx_port;
		pg.pair_rx[0] = pg.rx_port;
		pg.nb_pairs = 1;
	}
	for (unsigned int i = 0; i < pg.nb_pairs; i++) {
		uint16_t bad = !sl_eth_dev_is_valid_port(pg.pair_tx[i]) ? pg.pair_tx[i] :
			       pg.pair_rx[i] != PG_RX_NONE && !sl_eth_dev_is_valid_port(pg.pair_rx[i]) ?
			       pg.pair_rx[i] : PG_RX_NONE;

		if (bad != PG_RX_NONE) {
			fprintf(stderr, "sluice-pktgen: port %u does not exist: %u port(s) attached; add "
				"ports with --vdev (e.g. --vdev net_ring0 --vdev net_ring1,peer=net_ring0)\n",
				bad, sl_eth_dev_count_avail());
			return -ENODEV;
		}
		if (stream_create(i, pg.pair_tx[i], pg.pair_rx[i]) < 0)
			return -EINVAL;
		nb_streams++;
		if (pg.pcap_path) {
			struct pg_stream *s = streams[i];
			uint64_t passes = pg.pcap_loops_set ? pg.pcap_loops : 1;

			/* Bit rates become packet rates with the file's mean frame. */
			s->size.mode = PG_SIZE_FIXED;
			s->size.lo = s->size.hi = (uint16_t)((pcap_file.bytes + pcap_file.nb / 2) / pcap_file.nb);
			if (passes && (s->count == 0 || s->count > passes * pcap_file.nb))
				s->count = passes * pcap_file.nb;
		}
		if (streams[i]->size.hi > max_size)
			max_size = streams[i]->size.hi;
		if (pg.pair_rx[i] != PG_RX_NONE)
			add_rx_port(pg.pair_rx[i]);
	}
	if (pg.nb_pairs * pg.cores > PG_MAX_SUBS) {
		fprintf(stderr, "sluice-pktgen: %u streams on %u cores make %u sub-streams, at most %d: "
			"give fewer --ports pairs or --cores\n", pg.nb_pairs, pg.cores,
			pg.nb_pairs * pg.cores, PG_MAX_SUBS);
		return -EINVAL;
	}
	for (unsigned int i = 0; pg.rfc2544 && i < pg.nb_pairs; i++)
		if (pg.pair_rx[i] == PG_RX_NONE) {
			fprintf(stderr, "sluice-pktgen: --rfc2544 counts lost packets: give every stream an "
				"RX port, not none\n");
			return -EINVAL;
		}
	if (pg.rfc2544 && pg.rfc_nb_sizes == 0) {
		/* RFC 2544 §9.1's Ethernet sizes (64..1518 with FCS) without
		 * the FCS, those the template fits in; or the one --size. */
		static const uint16_t std[] = { 60, 124, 252, 508, 1020, 1276, 1514 };

		if (pg.size_arg && streams[0]->size.mode == PG_SIZE_FIXED) {
			pg.rfc_sizes[pg.rfc_nb_sizes++] = streams[0]->size.lo;
		} else {
			for (unsigned int k = 0; k < SL_DIM(std); k++)
				if (std[k] >= pg_min_frame(&pg.tpl))
					pg.rfc_sizes[pg.rfc_nb_sizes++] = std[k];
		}
	}
	for (unsigned int k = 0; pg.rfc2544 && k < pg.rfc_nb_sizes; k++)
		if (pg.rfc_sizes[k] < pg_min_frame(&pg.tpl)) {
			fprintf(stderr, "sluice-pktgen: bad value %u in --rfc2544-sizes: below the %u-byte "
				"minimum for these headers and pktgen's trailer\n", pg.rfc_sizes[k],
				pg_min_frame(&pg.tpl));
			return -EINVAL;
		}
	if (pg.rfc2544)
		for (unsigned int k = 0; k < pg.rfc_nb_sizes; k++)
			max_size = SL_MAX(max_size, pg.rfc_sizes[k]);
	if (pg.nb_sweep && pg.sweep_sizes[0] < pg_min_frame(&pg.tpl)) {
		fprintf(stderr, "sluice-pktgen: bad value '%s' for --size: %u is below the %u-byte "
			"minimum for these headers and pktgen's trailer\n", pg.sweep_arg,
			pg.sweep_sizes[0], pg_min_frame(&pg.tpl));
		return -EINVAL;
	}
	if (pg.nb_sweep)
		max_size = SL_MAX(max_size, pg.sweep_sizes[pg.nb_sweep - 1]);
	return (int)max_size;
}

/* A copy of stream @p s numbered @p id, with nothing sent or received. */
static struct pg_stream *
stream_clone(const struct pg_stream *s, unsigned int id)
{
	struct pg_stream *t = aligned_alloc(SL_CACHE_LINE_SIZE,
					    SL_ALIGN_CEIL(sizeof(*t), SL_CACHE_LINE_SIZE));
	uint8_t dst[6], src[6];

	if (t == NULL)
		return NULL;
	memcpy(t, s, sizeof(*t));
	t->id = (uint16_t)id;
	t->flow_rx = t->flow_rx_bytes = t->flow_tx_bytes = NULL;
	t->flow_tx_idx = 0;
	t->rnd = 0; /* random sizes and flows: a sequence of its own */
	memset(&t->c, 0, sizeof(t->c));
	t->rx_bytes = t->jit_sum = t->jit_n = t->last_lat = 0;
	pg_seq_reset(&t->seq);
	pg_hist_reset(&t->hist);
	memcpy(dst, s->tpl, 6);
	memcpy(src, s->tpl + 6, 6);
	pg_stream_template(t, dst, src);
	return t;
}

/*
 * --cores=N: each stream's sub-streams (count and rate shared out) and
 * every worker's receive state of every sub-stream.  With one core the
 * streams themselves are both.
 */
static int
subs_create(void)
{
	const unsigned int n = pg.cores, nb_subs = nb_streams * n;

	for (unsigned int i = 0; i < nb_streams; i++) {
		const struct pg_stream *s = streams[i];

		for (unsigned int q = 0; q < n; q++) {
			unsigned int id = q * nb_streams + i;
			struct pg_stream *t = streams[i];

			if (n > 1) {
				t = stream_clone(s, id);
				if (t == NULL)
					return -ENOMEM;
				t->queue = (uint16_t)q;
				t->count = s->count / n + (q < s->count % n);
				t->pps = s->pps / n;
				subs[i][q] = t;
				if (s->nb_flow_rx &&
				    (t->flow_tx_bytes = calloc(s->nb_flow_rx, sizeof(uint64_t))) == NULL)
					return -ENOMEM;
				/* Sub-stream 0 shares the stream's id and its array. */
				if (s->nb_flow_rx && q > 0 &&
				    (flow_refused[id] = calloc(s->nb_flow_rx, sizeof(uint64_t))) == NULL)
					return -ENOMEM;
			}
			subs[i][q] = t;
			workers[q].tx[i] = t;
		}
	}
	for (unsigned int k = 0; k < n; k++) {
		struct pg_worker *w = &workers[k];

		for (unsigned int id = 0; id < nb_subs; id++) {
			struct pg_stream *r = streams[id % nb_streams];

			if (n > 1) {
				r = stream_clone(r, id);
				if (r == NULL)
					return -ENOMEM;
				w->rxs[id] = r;
				if (r->nb_flow_rx) {
					r->flow_rx = calloc(2 * (size_t)r->nb_flow_rx, sizeof(uint64_t));
					if (r->flow_rx == NULL)
						return -ENOMEM;
					r->flow_rx_bytes = r->flow_rx + r->nb_flow_rx;
				}
			}
			w->rxs[id] = r;
		}
		w->own_rx = rx_ctx;
		w->own_rx.streams = w->rxs;
		w->own_rx.nb_streams = nb_subs;
		w->own_rx.self = k;
		w->own_rx.per_core = n > 1 ? nb_streams : 0;
	}
	/* Worker k owns the windows of the sub-streams it sends; a ring each
	 * way between two workers carries the others' sequence numbers
	 * (pg_core.h). */
	for (unsigned int k = 0; n > 1 && k < n; k++)
		for (unsigned int j = 0; j < n; j++) {
			unsigned int slots = PG_FWD_MIN;
			char name[32];
			struct sl_ring *r;

			if (j == k)
				continue;
			while (slots * 2 <= PG_FWD_BUDGET / (n * (n - 1)))
				slots *= 2;
			snprintf(name, sizeof(name), "pg_fwd_%u_%u", k, j);
			r = sl_ring_create_elem(name, sizeof(uint64_t), slots, SL_SOCKET_ID_ANY,
						SL_RING_F_SP_ENQ | SL_RING_F_SC_DEQ);
			if (r == NULL)
				return -errno;
			workers[k].own_rx.fwd_out[j] = r;
			workers[j].own_rx.fwd_in[k] = r;
		}
	return 0;
}

int
main(int argc, char **argv)
{
	uint16_t ports[2 * PG_MAX_STREAMS];
	unsigned int nports = 0;
	struct sigaction sa;
	FILE *out;
	int n, rc, status = 0;
	unsigned int in_use;
	uint16_t p;

	memset(&pg, 0, sizeof(pg));
	memset(&pcap_file, 0, sizeof(pcap_file));
	pg.burst = 32;
	pg.cores = 1;
	pg.catchup = -1;
	pg.catchup_peak = PG_DEF_CATCHUP_PEAK;
	pg.skip_ns = PG_DEF_SKIP_NS;
	pg.stats_period = 1;
	pg.live = -1;
	pg.ip_src = SL_IPV4(198, 18, 0, 1);
	pg.ip_dst = SL_IPV4(198, 18, 0, 2);
	pg.ip_src = ntohl(pg.ip_src);
	pg.ip_dst = ntohl(pg.ip_dst);
	pg.udp_src = pg.udp_dst = 9;
	pg.rate.kind = PG_RATE_MAX;
	pg.tpl.proto = SL_IPPROTO_UDP;
	/* RFC 5180's IPv6 benchmarking prefix, 2001:2::/48. */
	inet_pton(AF_INET6, "2001:2::1", pg.tpl.ip6_src);
	inet_pton(AF_INET6, "2001:2::2", pg.tpl.ip6_dst);
	pg.rfc_trial_s = 2;
	pg.rfc_resolution = 0.5;

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
	if (rc == 0) {
		rc = setup();
		if (rc >= 0) {
			/* Frames above the default data room need bigger buffers. */
			unsigned int room = SL_MAX((unsigned int)SL_MBUF_DEFAULT_BUF_SIZE,
						   (unsigned int)rc + SL_PKTMBUF_HEADROOM);

			rc = 0;
			/* Each core's queues hold their own share of buffers. */
			pool = sl_mbuf_pool_create("pg_pool", PG_POOL_SIZE * pg.cores, 256, 0,
						   (uint16_t)room, SL_SOCKET_ID_ANY);
			if (pool == NULL) {
				fprintf(stderr, "sluice-pktgen: cannot create the mbuf pool: %s\n",
					strerror(errno));
				status = 1;
				goto out;
			}
		}
	}
	if (rc != 0) {
		status = rc < 0 ? PG_EXIT_USAGE : 0;
		goto out;
	}
	out = pg.json && pg.json_path == NULL ? stderr : stdout;
	if (pg.json_path && (pg.json_f = fopen(pg.json_path, "w")) == NULL) {
		fprintf(stderr, "sluice-pktgen: cannot write --json file '%s': %s\n", pg.json_path,
			strerror(errno));
		status = PG_EXIT_USAGE;
		goto out;
	}
	if (pg.csv_path && (pg.csv_f = fopen(pg.csv_path, "w")) == NULL) {
		fprintf(stderr, "sluice-pktgen: cannot write --csv file '%s': %s\n", pg.csv_path,
			strerror(errno));
		status = PG_EXIT_USAGE;
		goto out;
	}
	nports = used_ports(ports);
	for (unsigned int i = 0; i < nports; i++) {
		rc = port_init(ports[i]);
		if (rc < 0) {
			/* Too few queues for --cores is the user's to fix. */
			status = rc == -EINVAL ? PG_EXIT_USAGE : 1;
			goto out;
		}
	}
	/* After the ports started: a percentage or a check against the line
	 * rate needs the link speed. */
	for (unsigned int i = 0; i < nb_streams; i++)
		if (stream_rate(streams[i]) < 0) {
			status = PG_EXIT_USAGE;
			goto out;
		}
	/* A sweep: every size's rate must suit the port before the first runs. */
	for (unsigned int k = 0; k < pg.nb_sweep; k++)
		for (unsigned int i = 0; i < nb_streams; i++) {
			streams[i]->size.mode = PG_SIZE_FIXED;
			streams[i]->size.lo = streams[i]->size.hi = pg.sweep_sizes[k];
			if (stream_rate(streams[i]) < 0) {
				status = PG_EXIT_USAGE;
				goto out;
			}
		}
	for (unsigned int i = 0; i < nb_streams; i++) {
		struct pg_stream *s = streams[i];
		struct sl_ether_addr dst, src;

		/* Send only: to the TX port's own MAC unless --dst-mac says. */
		sl_eth_macaddr_get(s->rx_port == PG_RX_NONE ? s->tx_port : s->rx_port, &dst);
		sl_eth_macaddr_get(s->tx_port, &src);
		pg_stream_template(s, pg.dst_mac_set ? pg.dst_mac : dst.addr_bytes,
				   pg.src_mac_set ? pg.src_mac : src.addr_bytes);
		series[i].prev = malloc(sizeof(struct pg_hist));
		if (series[i].prev == NULL) {
			fprintf(stderr, "sluice-pktgen: out of memory\n");
			status = 1;
			goto out;
		}
		pg_hist_reset(series[i].prev);
		/* Per-flow counts: incrementing flows only (a random field gives
		 * packets no fixed flow), up to PG_FLOW_STATS_MAX of them. */
		if (rx_measured(s) && s->flows.count > 1 && s->flows.count <= PG_FLOW_STATS_MAX) {
			bool random = false;

			for (int k = 0; k < PG_F_NUM; k++)
				random = random || (s->flows.f[k].random && s->flows.f[k].lo != s->flows.f[k].hi);
			if (!random) {
				/* Packets, then bytes, per flow. */
				s->flow_rx = calloc(2 * (size_t)s->flows.count, sizeof(uint64_t));
				s->flow_tx_bytes = calloc(s->flows.count, sizeof(uint64_t));
				flow_refused[i] = calloc(s->flows.count, sizeof(uint64_t));
				if (s->flow_rx == NULL || s->flow_tx_bytes == NULL || flow_refused[i] == NULL) {
					fprintf(stderr, "sluice-pktgen: out of memory\n");
					status = 1;
					goto out;
				}
				s->nb_flow_rx = (uint32_t)s->flows.count;
				s->flow_rx_bytes = s->flow_rx + s->nb_flow_rx;
			}
		}
	}
	rx_ctx.streams = streams;
	rx_ctx.nb_streams = nb_streams;
	rx_ctx.latency = !pg.no_latency;
	rx_ctx.ns_mult = (uint64_t)(((unsigned __int128)1000000000u << 32) / sl_get_tsc_hz());
	if (subs_create() < 0) {
		fprintf(stderr, "sluice-pktgen: out of memory for --cores=%u's sub-streams\n", pg.cores);
		status = 1;
		goto out;
	}
	pcap_ns_mult = (uint64_t)(((unsigned __int128)sl_get_tsc_hz() << 32) / 1000000000u);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if ((pg.rfc2544 ? run_rfc2544(out) : pg.nb_sweep ? run_sweep(out) : run(out)) < 0)
		status = 1;
out:
	/* Stop and close every port, not only ours: packets we sent may sit
	 * in a port we never polled (the peer of a ring port we sent on),
	 * and closing a port frees what its rings hold. */
	SL_ETH_FOREACH_DEV(p)
		sl_eth_dev_close(p);
	if (pool) {
		in_use = sl_mempool_in_use_count(pool);
		if (in_use) {
			fprintf(stderr, "sluice-pktgen: %u mbuf(s) leaked\n", in_use);
			status = 1;
		}
		sl_mempool_free(pool);
	}
	pg_pcap_free(&pcap_file);
	if (pg.json_f)
		fclose(pg.json_f);
	if (pg.csv_f)
		fclose(pg.csv_f);
	for (unsigned int k = 0; k < PG_MAX_CORES; k++)
		for (unsigned int j = 0; j < PG_MAX_CORES; j++)
			sl_ring_free(workers[k].own_rx.fwd_out[j]);
	for (unsigned int k = 0; pg.cores > 1 && k < pg.cores; k++)
		for (unsigned int id = 0; id < PG_MAX_SUBS; id++) {
			if (workers[k].rxs[id])
				free(workers[k].rxs[id]->flow_rx);  /* and flow_rx_bytes */
			free(workers[k].rxs[id]);
		}
	for (unsigned int i = 0; i < PG_MAX_STREAMS; i++) {
		for (unsigned int q = 0; pg.cores > 1 && q < pg.cores; q++) {
			if (subs[i][q])
				free(subs[i][q]->flow_tx_bytes);
			free(subs[i][q]);
		}
		if (streams[i]) {
			free(streams[i]->flow_rx);
			free(streams[i]->flow_tx_bytes);
		}
		free(streams[i]);
		free(series[i].v);
		free(series[i].prev);
	}
	for (unsigned int id = 0; id < PG_MAX_SUBS; id++)
		free(flow_refused[id]);
	sl_eal_cleanup();
	return status;
}
