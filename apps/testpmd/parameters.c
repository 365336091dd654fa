/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Options after the EAL's "--".  Names and defaults follow DPDK testpmd's
 * where it has the option; --duration and --json are Sluice's own.
 * Every error names the option, the bad value and an accepted example.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "sl_ip.h"
#include "testpmd.h"

const struct fwd_engine *const fwd_engines[] = {
	&io_engine, &mac_engine, &macswap_engine, &rxonly_engine, &txonly_engine,
	&flowgen_engine, &csum_engine, &icmpecho_engine, NULL,
};

const struct fwd_engine *
tp_engine_find(const char *name)
{
	for (unsigned int i = 0; fwd_engines[i] != NULL; i++)
		if (strcmp(fwd_engines[i]->name, name) == 0)
			return fwd_engines[i];
	return NULL;
}

void
tp_config_defaults(struct tp_config *c)
{
	memset(c, 0, sizeof(*c));
	c->engine = &io_engine;
	c->nb_cores = 1;
	c->topology = TP_TOPO_PAIRED;
	c->nb_rxq = c->nb_txq = 1;
	c->nb_rxd = TP_DEF_RXD;
	c->nb_txd = TP_DEF_TXD;
	c->burst = TP_DEF_BURST;
	c->mbcache = TP_DEF_MBCACHE;
	c->mbuf_size = SL_MBUF_DEFAULT_BUF_SIZE;
	c->txpkts[0] = TP_DEF_TXPKT_LEN;
	c->txpkts_nb = 1;
	/* RFC 2544 benchmarking range, as DPDK uses */
	c->tx_ip_src = SL_IPV4(198, 18, 0, 1);
	c->tx_ip_dst = SL_IPV4(198, 18, 0, 2);
	c->tx_udp_src = 9;
	c->tx_udp_dst = 9;
	c->rss_hf = SL_ETH_RSS_IP; /* dpdk-testpmd's default */
	/* Default peers 02:00:00:00:00:<port>: locally administered unicast. */
	for (unsigned int i = 0; i < SL_MAX_ETHPORTS; i++) {
		c->peer[i].addr_bytes[0] = SL_ETHER_LOCAL_ADMIN_ADDR;
		c->peer[i].addr_bytes[5] = (uint8_t)i;
	}
}

void
tp_usage(FILE *f, const char *prog)
{
	fprintf(f,
		"Usage: %s [EAL options] -- [options]\n"
		"  -i, --interactive          interactive prompt\n"
		"  -a, --auto-start           start forwarding at once (with -i)\n"
		"  --forward-mode=MODE        io|mac|macswap|rxonly|txonly|flowgen|csum|icmpecho (io)\n"
		"  --nb-cores=N               forwarding lcores (1)\n"
		"  --nb-ports=N               forwarding ports (all selected)\n"
		"  --portmask=HEX             ports to forward on (all)\n"
		"  --portlist=LIST            ports to forward on, e.g. 0,2-3\n"
		"  --port-topology=T          paired|chained|loop (paired)\n"
		"  --rxq=N --txq=N            queues per port (1)\n"
		"  --rxd=N --txd=N            descriptors per queue (%u)\n"
		"  --burst=N                  packets per burst, 1..%u (%u)\n"
		"  --mbcache=N                mempool per-lcore cache, 0..%u (%u)\n"
		"  --mbuf-size=N              mbuf data room incl. headroom (%u)\n"
		"  --total-num-mbufs=N        mbufs in the pool (computed)\n"
		"  --txpkts=X[,Y]*            txonly/flowgen segment lengths (%u)\n"
		"  --tx-first                 send a burst before forwarding\n"
		"  --stats-period=SECONDS     show port statistics periodically\n"
		"  --eth-peer=N,XX:XX:XX:XX:XX:XX  peer MAC of port N\n"
		"  --tx-ip=SRC,DST            txonly/flowgen IPv4 addresses (198.18.0.1,198.18.0.2)\n"
		"  --tx-udp=SRC[,DST]         txonly/flowgen UDP ports (9,9)\n"
		"  --duration=SECONDS         forward this long, then stop and exit\n"
		"  --json                     print final statistics as one JSON object on stdout\n"
		"  --rss-ip | --rss-udp       RSS hash on IP addresses (default) or UDP ports,\n"
		"                             used when --rxq > 1 and the port has RSS\n"
		"  --pcap-dump=[PORT:]FILE    write what PORT (default: every port) receives to a\n"
		"                             pcap file (nanosecond timestamps); may be repeated\n"
		"  --pcap-snaplen=N           bytes kept of each captured packet, 64..%u (%u)\n"
		"  -h, --help                 this text\n",
		prog, TP_DEF_RXD, TP_MAX_BURST, TP_DEF_BURST, TP_MAX_MBCACHE, TP_DEF_MBCACHE,
		SL_MBUF_DEFAULT_BUF_SIZE, TP_DEF_TXPKT_LEN, TP_MAX_SNAPLEN, TP_DEF_SNAPLEN);
}

/* Strict unsigned decimal (or 0x hex) in [min, max]. */
int
tp_parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *v)
{
	char *end;
	unsigned long x;

	if (s == NULL || *s == '\0' || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	x = strtoul(s, &end, 0);
	if (errno != 0 || *end != '\0' || x < min || x > max)
		return -EINVAL;
	*v = x;
	return 0;
}

int
tp_parse_txpkts(const char *s, uint16_t *lens, unsigned int *nb)
{
	char buf[256], *tok, *save = NULL;
	unsigned int n = 0;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned long v;

		if (n == TP_MAX_SEGS || tp_parse_uint(tok, 1, UINT16_MAX, &v) < 0)
			return -EINVAL;
		lens[n++] = (uint16_t)v;
	}
	if (n == 0)
		return -EINVAL;
	*nb = n;
	return 0;
}

int
tp_check_txpkts(const uint16_t *lens, unsigned int nb, uint16_t mbuf_size, char *err, size_t errlen)
{
	unsigned int room = mbuf_size > SL_PKTMBUF_HEADROOM ? mbuf_size - SL_PKTMBUF_HEADROOM : 0;
	unsigned long total = 0;
	const unsigned int hdr = 14 + 20 + 8;

	if (lens[0] < hdr) {
		snprintf(err, errlen, "first segment %u bytes is shorter than the %u header bytes "
			 "(Ethernet+IPv4+UDP); use e.g. 64", lens[0], hdr);
		return -EINVAL;
	}
	for (unsigned int i = 0; i < nb; i++) {
		if (lens[i] > room) {
			snprintf(err, errlen, "segment %u is %u bytes but an mbuf holds %u "
				 "(--mbuf-size %u minus %u headroom); use smaller segments or a "
				 "bigger --mbuf-size", i, lens[i], room, mbuf_size,
				 SL_PKTMBUF_HEADROOM);
			return -EINVAL;
		}
		total += lens[i];
	}
	if (total > UINT16_MAX) {
		snprintf(err, errlen, "packet length %lu exceeds 65535", total);
		return -EINVAL;
	}
	return 0;
}

/* "0,2-3" -> mask */
static int
parse_portlist(const char *s, uint64_t *mask)
{
	char buf[256], *tok, *save = NULL;
	uint64_t m = 0;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned long a, b;
		char *dash = strchr(tok, '-');

		if (dash) {
			*dash = '\0';
			if (tp_parse_uint(tok, 0, SL_MAX_ETHPORTS - 1, &a) < 0 ||
			    tp_parse_uint(dash + 1, 0, SL_MAX_ETHPORTS - 1, &b) < 0 || b < a)
				return -EINVAL;
		} else {
			if (tp_parse_uint(tok, 0, SL_MAX_ETHPORTS - 1, &a) < 0)
				return -EINVAL;
			b = a;
		}
		if (b >= 64)
			return -EINVAL;
		for (unsigned long i = a; i <= b; i++)
			m |= 1ULL << i;
	}
	if (m == 0)
		return -EINVAL;
	*mask = m;
	return 0;
}

static int
parse_ipv4(const char *s, uint32_t *addr)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -EINVAL;
	*addr = a.s_addr;
	return 0;
}

enum {
	OPT_FWD_MODE = 256, OPT_NB_CORES, OPT_NB_PORTS, OPT_PORTMASK, OPT_PORTLIST,
	OPT_TOPOLOGY, OPT_RXQ, OPT_TXQ, OPT_RXD, OPT_TXD, OPT_BURST, OPT_MBCACHE,
	OPT_MBUF_SIZE, OPT_TOTAL_MBUFS, OPT_TXPKTS, OPT_TX_FIRST, OPT_STATS_PERIOD,
	OPT_ETH_PEER, OPT_TX_IP, OPT_TX_UDP, OPT_DURATION, OPT_JSON,
	OPT_RSS_IP, OPT_RSS_UDP,
	OPT_PCAP_DUMP, OPT_PCAP_SNAPLEN,
};

static const struct option long_opts[] = {
	{ "interactive", no_argument, NULL, 'i' },
	{ "auto-start", no_argument, NULL, 'a' },
	{ "help", no_argument, NULL, 'h' },
	{ "forward-mode", required_argument, NULL, OPT_FWD_MODE },
	{ "nb-cores", required_argument, NULL, OPT_NB_CORES },
	{ "nb-ports", required_argument, NULL, OPT_NB_PORTS },
	{ "portmask", required_argument, NULL, OPT_PORTMASK },
	{ "portlist", required_argument, NULL, OPT_PORTLIST },
	{ "port-topology", required_argument, NULL, OPT_TOPOLOGY },
	{ "rxq", required_argument, NULL, OPT_RXQ },
	{ "txq", required_argument, NULL, OPT_TXQ },
	{ "rxd", required_argument, NULL, OPT_RXD },
	{ "txd", required_argument, NULL, OPT_TXD },
	{ "burst", required_argument, NULL, OPT_BURST },
	{ "mbcache", required_argument, NULL, OPT_MBCACHE },
	{ "mbuf-size", required_argument, NULL, OPT_MBUF_SIZE },
	{ "total-num-mbufs", required_argument, NULL, OPT_TOTAL_MBUFS },
	{ "txpkts", required_argument, NULL, OPT_TXPKTS },
	{ "tx-first", no_argument, NULL, OPT_TX_FIRST },
	{ "stats-period", required_argument, NULL, OPT_STATS_PERIOD },
	{ "eth-peer", required_argument, NULL, OPT_ETH_PEER },
	{ "tx-ip", required_argument, NULL, OPT_TX_IP },
	{ "tx-udp", required_argument, NULL, OPT_TX_UDP },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "rss-ip", no_argument, NULL, OPT_RSS_IP },
	{ "rss-udp", no_argument, NULL, OPT_RSS_UDP },
	{ "pcap-dump", required_argument, NULL, OPT_PCAP_DUMP },
	{ "pcap-snaplen", required_argument, NULL, OPT_PCAP_SNAPLEN },
	{ NULL, 0, NULL, 0 },
};

/* A port id as text, for messages (one at a time). */
static const char *
buf_port(int port)
{
	static char b[16];

	snprintf(b, sizeof(b), "%d", port);
	return b;
}

#define BAD(opt, val, ...) do { \
	fprintf(stderr, "sluice-testpmd: bad value '%s' for --%s: ", (val), (opt)); \
	fprintf(stderr, __VA_ARGS__); \
	fputc('\n', stderr); \
	return -EINVAL; \
} while (0)

int
tp_parse_args(int argc, char **argv, struct tp_config *c)
{
	const char *prog = argc > 0 ? argv[0] : "sluice-testpmd";
	unsigned long v;
	int opt, idx;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":iah", long_opts, &idx)) != -1) {
		const char *name = opt >= 256 ? long_opts[idx].name : "";

		switch (opt) {
		case 'i':
			c->interactive = true;
			break;
		case 'a':
			c->auto_start = true;
			break;
		case 'h':
			tp_usage(stdout, prog);
			return 1;
		case OPT_FWD_MODE:
			c->engine = tp_engine_find(optarg);
			if (c->engine == NULL)
				BAD(name, optarg, "modes are io, mac, macswap, rxonly, txonly, flowgen, "
				    "csum, icmpecho (e.g. --forward-mode=io)");
			break;
		case OPT_NB_CORES:
			if (tp_parse_uint(optarg, 1, SL_MAX_LCORE - 1, &v) < 0)
				BAD(name, optarg, "need a number of forwarding cores >= 1 (e.g. --nb-cores=1)");
			c->nb_cores = (unsigned int)v;
			break;
		case OPT_NB_PORTS:
			if (tp_parse_uint(optarg, 1, SL_MAX_ETHPORTS, &v) < 0)
				BAD(name, optarg, "need 1..%u (e.g. --nb-ports=2)", SL_MAX_ETHPORTS);
			c->nb_ports = (unsigned int)v;
			break;
		case OPT_PORTMASK: {
			char *end;

			errno = 0;
			c->portmask = strtoull(optarg, &end, 16);
			if (errno || *end || *optarg == '\0' || c->portmask == 0)
				BAD(name, optarg, "need a non-zero hexadecimal mask (e.g. --portmask=0x3)");
			c->portmask_set = true;
			break;
		}
		case OPT_PORTLIST:
			if (parse_portlist(optarg, &c->portmask) < 0)
				BAD(name, optarg, "need port ids and ranges below 64 (e.g. --portlist=0,2-3)");
			c->portmask_set = true;
			break;
		case OPT_TOPOLOGY:
			if (strcmp(optarg, "paired") == 0)
				c->topology = TP_TOPO_PAIRED;
			else if (strcmp(optarg, "chained") == 0)
				c->topology = TP_TOPO_CHAINED;
			else if (strcmp(optarg, "loop") == 0)
				c->topology = TP_TOPO_LOOP;
			else
				BAD(name, optarg, "topologies are paired, chained, loop");
			break;
		case OPT_RXQ:
		case OPT_TXQ:
			if (tp_parse_uint(optarg, 1, TP_MAX_QUEUES, &v) < 0)
				BAD(name, optarg, "need 1..%u queues (e.g. --%s=1)", TP_MAX_QUEUES, name);
			if (opt == OPT_RXQ)
				c->nb_rxq = (uint16_t)v;
			else
				c->nb_txq = (uint16_t)v;
			break;
		case OPT_RXD:
		case OPT_TXD:
			if (tp_parse_uint(optarg, 1, 32768, &v) < 0)
				BAD(name, optarg, "need 1..32768 descriptors (e.g. --%s=1024)", name);
			if (opt == OPT_RXD)
				c->nb_rxd = (uint16_t)v;
			else
				c->nb_txd = (uint16_t)v;
			break;
		case OPT_BURST:
			if (tp_parse_uint(optarg, 1, TP_MAX_BURST, &v) < 0)
				BAD(name, optarg, "need 1..%u (e.g. --burst=32)", TP_MAX_BURST);
			c->burst = (uint16_t)v;
			break;
		case OPT_MBCACHE:
			if (tp_parse_uint(optarg, 0, TP_MAX_MBCACHE, &v) < 0)
				BAD(name, optarg, "need 0..%u (e.g. --mbcache=250)", TP_MAX_MBCACHE);
			c->mbcache = (unsigned int)v;
			break;
		case OPT_MBUF_SIZE:
			if (tp_parse_uint(optarg, SL_PKTMBUF_HEADROOM + 64, UINT16_MAX, &v) < 0)
				BAD(name, optarg, "need %u..65535 bytes (data room incl. %u headroom, "
				    "e.g. --mbuf-size=2176)", SL_PKTMBUF_HEADROOM + 64, SL_PKTMBUF_HEADROOM);
			c->mbuf_size = (uint16_t)v;
			break;
		case OPT_TOTAL_MBUFS:
			if (tp_parse_uint(optarg, 1, UINT32_MAX / 2, &v) < 0)
				BAD(name, optarg, "need a number of mbufs (e.g. --total-num-mbufs=16384)");
			c->total_mbufs = (unsigned int)v;
			break;
		case OPT_TXPKTS:
			if (tp_parse_txpkts(optarg, c->txpkts, &c->txpkts_nb) < 0)
				BAD(name, optarg, "need up to %u comma-separated segment lengths "
				    "(e.g. --txpkts=64 or --txpkts=64,128)", TP_MAX_SEGS);
			break;
		case OPT_TX_FIRST:
			c->tx_first = true;
			break;
		case OPT_STATS_PERIOD:
			if (tp_parse_uint(optarg, 1, 86400, &v) < 0)
				BAD(name, optarg, "need 1..86400 seconds (e.g. --stats-period=1)");
			c->stats_period = (unsigned int)v;
			break;
		case OPT_ETH_PEER: {
			char buf[64], *comma;
			struct sl_ether_addr a;

			snprintf(buf, sizeof(buf), "%s", optarg);
			comma = strchr(buf, ',');
			if (comma == NULL)
				BAD(name, optarg, "need PORT,MAC (e.g. --eth-peer=0,02:00:00:00:00:01)");
			*comma = '\0';
			if (tp_parse_uint(buf, 0, SL_MAX_ETHPORTS - 1, &v) < 0)
				BAD(name, optarg, "port must be 0..%u", SL_MAX_ETHPORTS - 1);
			if (sl_ether_addr_parse(comma + 1, &a) < 0)
				BAD(name, optarg, "MAC must look like 02:00:00:00:00:01");
			c->peer[v] = a;
			break;
		}
		case OPT_TX_IP: {
			char buf[64], *comma;

			snprintf(buf, sizeof(buf), "%s", optarg);
			comma = strchr(buf, ',');
			if (comma == NULL)
				BAD(name, optarg, "need SRC,DST (e.g. --tx-ip=198.18.0.1,198.18.0.2)");
			*comma = '\0';
			if (parse_ipv4(buf, &c->tx_ip_src) < 0 || parse_ipv4(comma + 1, &c->tx_ip_dst) < 0)
				BAD(name, optarg, "addresses must be dotted IPv4 (e.g. --tx-ip=198.18.0.1,198.18.0.2)");
			break;
		}
		case OPT_TX_UDP: {
			char buf[64], *comma;
			unsigned long d;

			snprintf(buf, sizeof(buf), "%s", optarg);
			comma = strchr(buf, ',');
			if (comma)
				*comma = '\0';
			if (tp_parse_uint(buf, 0, UINT16_MAX, &v) < 0 ||
			    (comma && tp_parse_uint(comma + 1, 0, UINT16_MAX, &d) < 0))
				BAD(name, optarg, "need SRC[,DST] UDP ports 0..65535 (e.g. --tx-udp=9,9)");
			c->tx_udp_src = (uint16_t)v;
			c->tx_udp_dst = comma ? (uint16_t)d : (uint16_t)v;
			break;
		}
		case OPT_DURATION: {
			char *end;
			double d;

			errno = 0;
			d = strtod(optarg, &end);
			if (errno || *end || *optarg == '\0' || !(d > 0) || d > 1e7)
				BAD(name, optarg, "need a positive number of seconds (e.g. --duration=10)");
			c->duration_s = d;
			break;
		}
		case OPT_JSON:
			c->json = true;
			break;
		case OPT_RSS_IP: /* as dpdk-testpmd: the last of the two wins */
			c->rss_hf = SL_ETH_RSS_IP;
			break;
		case OPT_RSS_UDP:
			c->rss_hf = SL_ETH_RSS_UDP;
			break;
		case OPT_PCAP_DUMP: {
			/* [PORT:]FILE: a leading "digits:" names the port. */
			const char *colon = strchr(optarg, ':');
			size_t digits = strspn(optarg, "0123456789");
			int port = -1;

			if (colon != NULL && digits > 0 && optarg + digits == colon) {
				char buf[16];

				snprintf(buf, sizeof(buf), "%.*s", (int)digits, optarg);
				if (tp_parse_uint(buf, 0, SL_MAX_ETHPORTS - 1, &v) < 0)
					BAD(name, optarg, "need a port id below %u before ':' (e.g. "
					    "--pcap-dump=0:rx0.pcap)", SL_MAX_ETHPORTS);
				port = (int)v;
				optarg = (char *)colon + 1;
			}
			if (*optarg == '\0')
				BAD(name, optarg, "need a file name (e.g. --pcap-dump=rx.pcap or "
				    "--pcap-dump=0:rx0.pcap)");
			if (c->nb_pcap_dump == TP_MAX_PCAP_DUMPS)
				BAD(name, optarg, "at most %u --pcap-dump options", TP_MAX_PCAP_DUMPS);
			for (unsigned int i = 0; i < c->nb_pcap_dump; i++)
				if (c->pcap_dump[i].port < 0 || port < 0 || c->pcap_dump[i].port == port)
					BAD(name, optarg, "port %s is captured by an earlier --pcap-dump "
					    "already; give each port once (or one file for all)",
					    port < 0 ? "all" : buf_port(port));
			c->pcap_dump[c->nb_pcap_dump].port = port;
			c->pcap_dump[c->nb_pcap_dump++].path = optarg;
			break;
		}
		case OPT_PCAP_SNAPLEN:
			if (tp_parse_uint(optarg, 64, TP_MAX_SNAPLEN, &v) < 0)
				BAD(name, optarg, "need 64..%u bytes (e.g. --pcap-snaplen=1518)",
				    TP_MAX_SNAPLEN);
			tp_capture_snaplen = (uint32_t)v;
			break;
		case ':':
			fprintf(stderr, "sluice-testpmd: option '%s' needs a value (see --help)\n",
				argv[optind - 1]);
			return -EINVAL;
		default:
			fprintf(stderr, "sluice-testpmd: unknown option '%s' (see --help)\n",
				argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "sluice-testpmd: unexpected argument '%s' (options start with --; see --help)\n",
			argv[optind]);
		return -EINVAL;
	}
	{
		char err[256];

		if (tp_check_txpkts(c->txpkts, c->txpkts_nb, c->mbuf_size, err, sizeof(err)) < 0) {
			fprintf(stderr, "sluice-testpmd: bad --txpkts: %s\n", err);
			return -EINVAL;
		}
	}
	if (c->mbcache > 0 && c->total_mbufs > 0 && c->mbcache > c->total_mbufs) {
		fprintf(stderr, "sluice-testpmd: --mbcache=%u is larger than --total-num-mbufs=%u; "
			"lower the cache or raise the pool\n", c->mbcache, c->total_mbufs);
		return -EINVAL;
	}
	return 0;
}
