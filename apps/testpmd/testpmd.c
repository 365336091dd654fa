/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-testpmd core: mbuf pool, port set-up, streams, forwarding lcores,
 * statistics and the non-interactive run.  See testpmd.h for the model.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sl_cycles.h"
#include "sl_eal.h"
#include "sl_lcore.h"
#include "sl_malloc.h"
#include "sl_mempool.h"
#include "testpmd.h"

struct tp_config cfg;
struct tp_port ports[SL_MAX_ETHPORTS];
struct fwd_stream *fwd_streams;
unsigned int nb_fwd_streams;
struct fwd_lcore fwd_lcores[SL_MAX_LCORE];
unsigned int nb_fwd_lcores;
uint16_t fwd_port_ids[SL_MAX_ETHPORTS];
unsigned int nb_fwd_ports;
bool fwd_running;
volatile int tp_signal;
FILE *tp_out;

static struct sl_mempool *mbuf_pool;
static unsigned int pool_size;
static uint64_t fwd_start_tsc, fwd_stop_tsc;
/* Totals of streams from earlier runs are kept per port for "show fwd stats". */
static uint64_t port_tx_dropped[SL_MAX_ETHPORTS];

/* ---- small helpers ---- */

static double
tsc_to_s(uint64_t cycles)
{
	return (double)cycles / (double)sl_get_tsc_hz();
}

unsigned int
tp_max_fwd_cores(void)
{
	unsigned int n = 0, l;

	SL_LCORE_FOREACH_WORKER(l)
		n++;
	return n;
}

static bool
port_exists(uint16_t p)
{
	return p < SL_MAX_ETHPORTS && sl_eth_dev_is_valid_port(p) && !ports[p].closed;
}

/* Parse a port id typed by the user; prints the error. */
int
tp_port_is_valid(const char *word, uint16_t *port)
{
	unsigned long v;

	if (tp_parse_uint(word, 0, SL_MAX_ETHPORTS - 1, &v) < 0 || !port_exists((uint16_t)v)) {
		uint16_t p;
		int n = 0;

		fprintf(stderr, "Invalid port '%s': valid ports are", word);
		SL_ETH_FOREACH_DEV(p) {
			if (!ports[p].closed) {
				fprintf(stderr, " %u", p);
				n++;
			}
		}
		fprintf(stderr, "%s (or 'all')\n", n ? "" : " none");
		return -EINVAL;
	}
	*port = (uint16_t)v;
	return 0;
}

/* ---- pool ---- */

/* Enough mbufs for every RX/TX descriptor of every port, a full cache on
 * every lcore, and a burst in flight per stream (times segments), plus
 * slack -- the same reasoning as DPDK testpmd, sized to the real config. */
static unsigned int
pool_size_needed(void)
{
	unsigned int nports = sl_eth_dev_count_avail();
	unsigned long n;

	n = (unsigned long)nports * ((unsigned long)cfg.nb_rxq * cfg.nb_rxd +
				     (unsigned long)cfg.nb_txq * cfg.nb_txd);
	n += (unsigned long)(sl_lcore_count() + 1) * cfg.mbcache;
	n += (unsigned long)nports * cfg.nb_rxq * TP_MAX_BURST * TP_MAX_SEGS;
	n += 1024;
	return (unsigned int)SL_MIN(n, (unsigned long)UINT32_MAX / 2);
}

static int
pool_create(void)
{
	pool_size = cfg.total_mbufs ? cfg.total_mbufs : pool_size_needed();
	mbuf_pool = sl_mbuf_pool_create("mb_pool_0", pool_size, cfg.mbcache, 0, cfg.mbuf_size,
					SL_SOCKET_ID_ANY);
	if (mbuf_pool == NULL) {
		fprintf(stderr, "Cannot create mbuf pool of %u mbufs x %u bytes (%s): lower "
			"--total-num-mbufs/--rxd/--txd, or give the EAL more memory (-m)\n",
			pool_size, cfg.mbuf_size, strerror(errno));
		return -ENOMEM;
	}
	return 0;
}

/* ---- ports ---- */

static void
explain_queue_error(uint16_t p, const char *what, uint16_t q, uint16_t nb_desc, int rc)
{
	if (rc == -ENOSPC)
		fprintf(stderr, "Port %u: %s queue %u: the mbuf pool (%u mbufs) is too small for "
			"%u %s descriptors per queue on every port; lower 'port config all rxd N' "
			"(--rxd) or restart with a bigger --total-num-mbufs (at least %u)\n",
			p, what, q, pool_size, nb_desc, what, pool_size_needed());
	else
		fprintf(stderr, "Port %u: cannot set up %s queue %u with %u descriptors: %s; "
			"check 'show port info %u' for the limits and use 'port config all %sd N'\n",
			p, what, q, nb_desc, strerror(-rc), p, what[0] == 'R' ? "rx" : "tx");
}

static int
port_setup(uint16_t p)
{
	struct tp_port *port = &ports[p];
	struct sl_eth_conf conf;
	uint64_t want_tx;
	uint16_t q;
	int rc;

	rc = sl_eth_dev_info_get(p, &port->info);
	if (rc < 0) {
		fprintf(stderr, "Port %u: cannot read device info: %s\n", p, strerror(-rc));
		return rc;
	}
	if (cfg.nb_rxq > port->info.max_rx_queues || cfg.nb_txq > port->info.max_tx_queues) {
		fprintf(stderr, "Port %u: %u RX / %u TX queues asked, the port has at most %u / %u; "
			"use 'port config all rxq|txq N' (--rxq/--txq)\n", p, cfg.nb_rxq, cfg.nb_txq,
			port->info.max_rx_queues, port->info.max_tx_queues);
		return -EINVAL;
	}
	memset(&conf, 0, sizeof(conf));
	/* Checksum offloads for the csum engine where the port has them;
	 * multi-segment TX for --txpkts with several segments. */
	want_tx = SL_ETH_TX_OFFLOAD_IPV4_CKSUM | SL_ETH_TX_OFFLOAD_UDP_CKSUM |
		  SL_ETH_TX_OFFLOAD_TCP_CKSUM | SL_ETH_TX_OFFLOAD_MULTI_SEGS;
	conf.txmode.offloads = port->info.tx_offload_capa & want_tx;
	tp_rss_port_conf(p, &conf);
	rc = sl_eth_dev_configure(p, cfg.nb_rxq, cfg.nb_txq, &conf);
	if (rc < 0) {
		fprintf(stderr, "Port %u: configure with %u RX / %u TX queues failed: %s\n",
			p, cfg.nb_rxq, cfg.nb_txq, strerror(-rc));
		return rc;
	}
	port->configured = true;
	port->tx_offloads = conf.txmode.offloads;
	port->socket_id = sl_eth_dev_socket_id(p);
	for (q = 0; q < cfg.nb_rxq; q++) {
		rc = sl_eth_rx_queue_setup(p, q, cfg.nb_rxd, port->socket_id, NULL, mbuf_pool);
		if (rc < 0) {
			explain_queue_error(p, "RX", q, cfg.nb_rxd, rc);
			return rc;
		}
	}
	for (q = 0; q < cfg.nb_txq; q++) {
		rc = sl_eth_tx_queue_setup(p, q, cfg.nb_txd, port->socket_id, NULL);
		if (rc < 0) {
			explain_queue_error(p, "TX", q, cfg.nb_txd, rc);
			return rc;
		}
	}
	port->nb_rxq = cfg.nb_rxq;
	port->nb_txq = cfg.nb_txq;
	port->nb_rxd = cfg.nb_rxd;
	port->nb_txd = cfg.nb_txd;
	return 0;
}

static int
port_start_one(uint16_t p)
{
	struct tp_port *port = &ports[p];
	int rc;

	if (port->started)
		return 0;
	rc = port_setup(p);
	if (rc < 0)
		return rc;
	rc = sl_eth_dev_start(p);
	if (rc < 0) {
		fprintf(stderr, "Port %u: start failed: %s\n", p, strerror(-rc));
		return rc;
	}
	port->started = true;
	/* Forwarding test traffic is rarely addressed to the port. */
	rc = sl_eth_promiscuous_enable(p);
	if (rc == -ENOTSUP && !port->told_no_promisc) {
		port->told_no_promisc = true;
		SL_LOG(INFO, TESTPMD, "port %u: the driver has no promiscuous mode; it receives "
		       "what its device accepts", p);
	} else if (rc < 0 && rc != -ENOTSUP) {
		fprintf(stderr, "Port %u: cannot enable promiscuous mode: %s\n", p, strerror(-rc));
	}
	sl_eth_macaddr_get(p, &port->mac);
	sl_eth_stats_get(p, &port->last_stats);
	port->start_stats = port->last_stats;
	port->last_tsc = sl_rdtsc();
	return 0;
}

static int
for_ports(int which, int (*fn)(uint16_t), const char *verb)
{
	uint16_t p;
	int rc = 0, r;

	if (which >= 0)
		return fn((uint16_t)which);
	SL_ETH_FOREACH_DEV(p) {
		if (ports[p].closed)
			continue;
		r = fn(p);
		if (r < 0 && rc == 0)
			rc = r;
	}
	if (rc < 0)
		fprintf(stderr, "Some ports failed to %s (see above)\n", verb);
	return rc;
}

int
tp_ports_start(int which)
{
	return for_ports(which, port_start_one, "start");
}

static bool
port_in_use_by_fwd(uint16_t p)
{
	if (!fwd_running)
		return false;
	for (unsigned int i = 0; i < nb_fwd_ports; i++)
		if (fwd_port_ids[i] == p)
			return true;
	return false;
}

static int
port_stop_one(uint16_t p)
{
	int rc;

	if (port_in_use_by_fwd(p)) {
		fprintf(stderr, "Port %u is forwarding: run 'stop' first\n", p);
		return -EBUSY;
	}
	if (!ports[p].started)
		return 0;
	rc = sl_eth_dev_stop(p);
	if (rc < 0) {
		fprintf(stderr, "Port %u: stop failed: %s\n", p, strerror(-rc));
		return rc;
	}
	ports[p].started = false;
	return 0;
}

int
tp_ports_stop(int which)
{
	return for_ports(which, port_stop_one, "stop");
}

static int
port_close_one(uint16_t p)
{
	int rc = port_stop_one(p);

	if (rc < 0)
		return rc;
	rc = sl_eth_dev_close(p);
	if (rc < 0)
		fprintf(stderr, "Port %u: close reported %s (port released anyway)\n", p,
			strerror(-rc));
	ports[p].closed = true;
	ports[p].configured = false;
	ports[p].fwd = false;
	return 0;
}

int
tp_ports_close(int which)
{
	return for_ports(which, port_close_one, "close");
}

/* ---- streams ---- */

static void print_fwd_config(void);

static uint16_t
peer_port_index(unsigned int i)
{
	switch (cfg.topology) {
	case TP_TOPO_LOOP:
		return (uint16_t)i;
	case TP_TOPO_CHAINED:
		return (uint16_t)((i + 1) % nb_fwd_ports);
	case TP_TOPO_PAIRED:
	default:
		/* An odd last port pairs with itself. */
		if ((i ^ 1) >= nb_fwd_ports)
			return (uint16_t)i;
		return (uint16_t)(i ^ 1);
	}
}

/* Choose forwarding ports, build the streams and spread them on lcores. */
static int
fwd_config_setup(void)
{
	unsigned int i, q, s, l, workers[SL_MAX_LCORE], nb_workers = 0, per, extra, nb_q;
	struct fwd_stream *streams;
	uint16_t p;

	nb_fwd_ports = 0;
	SL_ETH_FOREACH_DEV(p) {
		if (ports[p].closed || !ports[p].fwd)
			continue;
		if (cfg.nb_ports && nb_fwd_ports == cfg.nb_ports)
			break;
		fwd_port_ids[nb_fwd_ports++] = p;
	}
	if (nb_fwd_ports == 0) {
		fprintf(stderr, "No forwarding ports: add ports with --vdev (e.g. --vdev net_null0) "
			"or check --portmask/--portlist\n");
		return -ENODEV;
	}
	SL_LCORE_FOREACH_WORKER(l)
		workers[nb_workers++] = l;
	if (cfg.nb_cores > nb_workers) {
		fprintf(stderr, "%u forwarding cores asked but the EAL has %u worker lcore(s): "
			"use 'set nbcore %u' (--nb-cores) or give the EAL more lcores (-l 0-%u)\n",
			cfg.nb_cores, nb_workers, nb_workers ? nb_workers : 1, cfg.nb_cores);
		return -EINVAL;
	}
	/*
	 * One stream per queue pair, min(rxq, txq) per port, as dpdk-testpmd
	 * does: a TX queue is single-producer, so two streams (which may run
	 * on two lcores) must never share one.  Every topology maps RX ports
	 * to TX ports one to one, so (tx_port, q) is unique too.
	 */
	nb_q = SL_MIN(cfg.nb_rxq, cfg.nb_txq);
	if (cfg.nb_rxq != cfg.nb_txq)
		fprintf(stderr, "Note: %u RX and %u TX queues per port: %u stream(s) per port, "
			"queues %u..%u of %s are not used; give --rxq and --txq the same value\n",
			cfg.nb_rxq, cfg.nb_txq, nb_q, nb_q, SL_MAX(cfg.nb_rxq, cfg.nb_txq) - 1,
			cfg.nb_rxq > cfg.nb_txq ? "RX" : "TX");
	/* Streams are cache aligned (one lcore's counters per line): malloc
	 * only guarantees 16 bytes, so ask for the alignment. */
	if (posix_memalign((void **)&streams, SL_CACHE_LINE_SIZE,
			   (size_t)nb_fwd_ports * nb_q * sizeof(*streams)) != 0)
		return -ENOMEM;
	memset(streams, 0, (size_t)nb_fwd_ports * nb_q * sizeof(*streams));
	/*
	 * Queue-major order, as dpdk-testpmd's RSS set-up: queue 0 of every
	 * port, then queue 1 of every port...  Split in contiguous runs over
	 * the lcores, each lcore gets the same queue index of every port (with
	 * RSS, a share of every port's flows) rather than all queues of one
	 * port.
	 */
	s = 0;
	for (q = 0; q < nb_q; q++) {
		for (i = 0; i < nb_fwd_ports; i++, s++) {
			uint16_t rx = fwd_port_ids[i], tx = fwd_port_ids[peer_port_index(i)];

			streams[s].rx_port = rx;
			streams[s].rx_queue = (uint16_t)q;
			streams[s].tx_port = tx;
			streams[s].tx_queue = (uint16_t)q;
			streams[s].burst = cfg.burst;
			streams[s].peer = tx;
			streams[s].pool = mbuf_pool;
		}
	}
	free(fwd_streams);
	fwd_streams = streams;
	nb_fwd_streams = s;
	nb_fwd_lcores = SL_MIN(cfg.nb_cores, nb_fwd_streams);
	per = nb_fwd_streams / nb_fwd_lcores;
	extra = nb_fwd_streams % nb_fwd_lcores;
	/* As dpdk-testpmd: the last `extra` lcores take one stream more. */
	for (l = 0, s = 0; l < nb_fwd_lcores; l++) {
		fwd_lcores[l].lcore_id = workers[l];
		fwd_lcores[l].stream_idx = s;
		fwd_lcores[l].stream_nb = per + (l >= nb_fwd_lcores - extra);
		s += fwd_lcores[l].stream_nb;
	}
	return 0;
}

/* ---- forwarding ---- */

static int
run_fwd_lcore(void *arg)
{
	struct fwd_lcore *fc = arg;
	struct fwd_stream *fs = &fwd_streams[fc->stream_idx];
	const uint32_t nb = fc->stream_nb;
	const packet_fwd_t fwd = cfg.engine->packet_fwd;
	uint32_t i;

	do {
		for (i = 0; i < nb; i++)
			fwd(&fs[i]);
		/* Release: a pass's use of a capture happens before the count
		 * that capture.c's quiescence check reads.  Single writer. */
		__atomic_store_n(&fc->loops, fc->loops + 1, __ATOMIC_RELEASE);
		/* Relaxed load: only "eventually see the flag" is needed; the
		 * main lcore synchronises with our exit via wait_lcore. */
	} while (!__atomic_load_n(&fc->stopped, __ATOMIC_RELAXED));
	return 0;
}

/*
 * A first burst on a link that is not up yet is lost (a net_memif port is
 * down until its peer has connected).  Wait for the forwarding ports'
 * links as long as DPDK's testpmd does (9 s), then go on regardless.
 */
static void
wait_links_up(void)
{
	for (unsigned int t = 0; t <= 90; t++) {
		bool all_up = true;

		for (unsigned int i = 0; i < nb_fwd_ports && all_up; i++) {
			struct sl_eth_link link;

			all_up = sl_eth_link_get_nowait(fwd_port_ids[i], &link) == 0 &&
				 link.link_status == SL_ETH_LINK_UP;
		}
		if (all_up)
			return;
		if (t == 0)
			fprintf(tp_out, "Waiting for the links to come up before the first burst\n");
		if (t < 90)
			poll(NULL, 0, 100);
	}
	fprintf(stderr, "Link(s) still down after 9 s: the first burst may be lost\n");
}

int
tp_start_fwd(bool tx_first)
{
	unsigned int i, l;
	int rc;

	if (fwd_running) {
		fprintf(stderr, "Packet forwarding already started: run 'stop' first\n");
		return -EBUSY;
	}
	rc = fwd_config_setup();
	if (rc < 0)
		return rc;
	for (i = 0; i < nb_fwd_ports; i++) {
		uint16_t p = fwd_port_ids[i];

		if (!ports[p].started) {
			fprintf(stderr, "Port %u is stopped: run 'port start %u' (or 'port start all')\n",
				p, p);
			return -EINVAL;
		}
		if (cfg.engine->port_fwd_begin && (rc = cfg.engine->port_fwd_begin(p)) < 0)
			return rc;
		if (tx_first && txonly_engine.port_fwd_begin(p) < 0)
			return -EINVAL;
	}
	for (i = 0; i < nb_fwd_ports; i++) {
		uint16_t p = fwd_port_ids[i];

		sl_eth_stats_get(p, &ports[p].start_stats);
		ports[p].last_stats = ports[p].start_stats;
		ports[p].last_tsc = sl_rdtsc();
		port_tx_dropped[p] = 0;
	}
	if (tx_first) {
		wait_links_up();
		/* Prime the loop: every stream sends one txonly burst first. */
		for (i = 0; i < nb_fwd_streams; i++)
			for (unsigned int b = 0; b < TP_TX_FIRST_BURSTS; b++)
				txonly_engine.packet_fwd(&fwd_streams[i]);
	}
	fprintf(tp_out, "Start %s forwarding on %u port(s), %u stream(s), %u core(s)%s\n",
		cfg.engine->name, nb_fwd_ports, nb_fwd_streams, nb_fwd_lcores,
		tx_first ? " after a first TX burst" : "");
	print_fwd_config(); /* the stream -> lcore mapping, as dpdk-testpmd prints at start */
	fwd_start_tsc = sl_rdtsc();
	for (l = 0; l < nb_fwd_lcores; l++) {
		fwd_lcores[l].stopped = false;
		rc = sl_eal_remote_launch(run_fwd_lcore, &fwd_lcores[l], fwd_lcores[l].lcore_id);
		if (rc < 0) {
			fprintf(stderr, "Cannot launch forwarding on lcore %u: %s\n",
				fwd_lcores[l].lcore_id, strerror(-rc));
			for (unsigned int k = 0; k < l; k++) {
				__atomic_store_n(&fwd_lcores[k].stopped, true, __ATOMIC_RELAXED);
				sl_eal_wait_lcore(fwd_lcores[k].lcore_id);
			}
			return rc;
		}
	}
	fwd_running = true;
	return 0;
}

static void
stream_totals(uint16_t p, uint64_t *drop, uint64_t *bad_ip, uint64_t *bad_l4)
{
	*drop = *bad_ip = *bad_l4 = 0;
	for (unsigned int i = 0; i < nb_fwd_streams; i++) {
		const struct fwd_stream *fs = &fwd_streams[i];

		if (fs->tx_port == p)
			*drop += fs->tx_dropped;
		if (fs->rx_port == p) {
			*bad_ip += fs->rx_bad_ip_csum;
			*bad_l4 += fs->rx_bad_l4_csum;
		}
	}
}

static void
print_port_fwd_stats(uint16_t p)
{
	struct sl_eth_stats st;
	uint64_t drop, bad_ip, bad_l4, rx, tx;

	sl_eth_stats_get(p, &st);
	stream_totals(p, &drop, &bad_ip, &bad_l4);
	rx = st.ipackets - ports[p].start_stats.ipackets;
	tx = st.opackets - ports[p].start_stats.opackets;
	fprintf(tp_out, "  ---------------------- Forward statistics for port %-2u ----------------------\n", p);
	fprintf(tp_out, "  RX-packets: %-14" PRIu64 " RX-dropped: %-14" PRIu64 " RX-total: %" PRIu64 "\n",
		rx, st.imissed - ports[p].start_stats.imissed + st.rx_nombuf - ports[p].start_stats.rx_nombuf,
		rx + st.imissed - ports[p].start_stats.imissed);
	if (cfg.engine == &csum_engine)
		fprintf(tp_out, "  Bad-ipcsum: %-14" PRIu64 " Bad-l4csum: %-14" PRIu64 "\n", bad_ip, bad_l4);
	fprintf(tp_out, "  TX-packets: %-14" PRIu64 " TX-dropped: %-14" PRIu64 " TX-total: %" PRIu64 "\n",
		tx, drop, tx + drop);
	fprintf(tp_out, "  ----------------------------------------------------------------------------\n");
}

void
tp_show_fwd_stats(void)
{
	uint64_t rx = 0, gen = 0, tx = 0, drop = 0, disc = 0;
	double secs;

	if (fwd_streams == NULL) {
		fprintf(tp_out, "No forwarding has run yet: use 'start'\n");
		return;
	}
	for (unsigned int i = 0; i < nb_fwd_streams; i++) {
		const struct fwd_stream *fs = &fwd_streams[i];

		fprintf(tp_out, "  Stream %u: RX P=%u/Q=%u -> TX P=%u/Q=%u: rx %" PRIu64 " gen %" PRIu64
			" tx %" PRIu64 " tx_dropped %" PRIu64 " discarded %" PRIu64 "\n", i,
			fs->rx_port, fs->rx_queue, fs->tx_port, fs->tx_queue, fs->rx_packets,
			fs->gen_packets, fs->tx_packets, fs->tx_dropped, fs->fwd_discarded);
		rx += fs->rx_packets;
		gen += fs->gen_packets;
		tx += fs->tx_packets;
		drop += fs->tx_dropped;
		disc += fs->fwd_discarded;
	}
	for (unsigned int i = 0; i < nb_fwd_ports; i++)
		print_port_fwd_stats(fwd_port_ids[i]);
	secs = tsc_to_s((fwd_running ? sl_rdtsc() : fwd_stop_tsc) - fwd_start_tsc);
	fprintf(tp_out, "  Accumulated: rx %" PRIu64 " gen %" PRIu64 " tx %" PRIu64 " tx_dropped %" PRIu64
		" discarded %" PRIu64 " in %.3f s (%.3f Mpps forwarded)\n", rx, gen, tx, drop, disc,
		secs, secs > 0 ? (double)tx / secs / 1e6 : 0.0);
}

int
tp_stop_fwd(void)
{
	if (!fwd_running) {
		fprintf(stderr, "Packet forwarding is not started: use 'start'\n");
		return -EINVAL;
	}
	for (unsigned int l = 0; l < nb_fwd_lcores; l++)
		__atomic_store_n(&fwd_lcores[l].stopped, true, __ATOMIC_RELAXED);
	for (unsigned int l = 0; l < nb_fwd_lcores; l++)
		sl_eal_wait_lcore(fwd_lcores[l].lcore_id);
	fwd_stop_tsc = sl_rdtsc();
	fwd_running = false;
	fprintf(tp_out, "Telling cores to stop... done\n");
	if (!cfg.json)
		tp_show_fwd_stats();
	return 0;
}

/* ---- JSON ---- */

void
tp_print_json(double secs)
{
	uint64_t rx_sum = 0, tx_sum = 0;

	printf("{\"duration_s\": %.6f, \"engine\": \"%s\", \"ports\": [", secs, cfg.engine->name);
	for (unsigned int i = 0; i < nb_fwd_ports; i++) {
		uint16_t p = fwd_port_ids[i];
		const struct sl_eth_stats *b = &ports[p].start_stats;
		struct sl_eth_stats st;
		uint64_t drop, bad_ip, bad_l4;

		memset(&st, 0, sizeof(st));
		sl_eth_stats_get(p, &st);
		stream_totals(p, &drop, &bad_ip, &bad_l4);
		printf("%s{\"port\": %u, \"rx_packets\": %" PRIu64 ", \"tx_packets\": %" PRIu64
		       ", \"rx_bytes\": %" PRIu64 ", \"tx_bytes\": %" PRIu64 ", \"rx_missed\": %" PRIu64
		       ", \"rx_nombuf\": %" PRIu64 ", \"tx_dropped\": %" PRIu64
		       ", \"rx_bad_ip_csum\": %" PRIu64 ", \"rx_bad_l4_csum\": %" PRIu64 "}",
		       i ? ", " : "", p, st.ipackets - b->ipackets, st.opackets - b->opackets,
		       st.ibytes - b->ibytes, st.obytes - b->obytes, st.imissed - b->imissed,
		       st.rx_nombuf - b->rx_nombuf, drop, bad_ip, bad_l4);
		rx_sum += st.ipackets - b->ipackets;
		tx_sum += st.opackets - b->opackets;
	}
	printf("], \"streams\": [");
	for (unsigned int i = 0; i < nb_fwd_streams; i++) {
		const struct fwd_stream *fs = &fwd_streams[i];

		printf("%s{\"rx_port\": %u, \"rx_queue\": %u, \"tx_port\": %u, \"tx_queue\": %u, "
		       "\"rx_packets\": %" PRIu64 ", \"gen_packets\": %" PRIu64 ", \"tx_packets\": %" PRIu64
		       ", \"tx_dropped\": %" PRIu64 ", \"discarded\": %" PRIu64 "}", i ? ", " : "",
		       fs->rx_port, fs->rx_queue, fs->tx_port, fs->tx_queue, fs->rx_packets,
		       fs->gen_packets, fs->tx_packets, fs->tx_dropped, fs->fwd_discarded);
	}
	printf("], \"rx_pps\": %.1f, \"tx_pps\": %.1f}\n", secs > 0 ? (double)rx_sum / secs : 0.0,
	       secs > 0 ? (double)tx_sum / secs : 0.0);
	fflush(stdout);
}

/* ---- show / clear ---- */

static void
fmt_rate(char *buf, size_t len, double v)
{
	if (v >= 1e9)
		snprintf(buf, len, "%.2fG", v / 1e9);
	else if (v >= 1e6)
		snprintf(buf, len, "%.2fM", v / 1e6);
	else if (v >= 1e3)
		snprintf(buf, len, "%.2fK", v / 1e3);
	else
		snprintf(buf, len, "%.0f", v);
}

void
tp_show_port_stats(uint16_t p)
{
	struct tp_port *port = &ports[p];
	struct sl_eth_stats st;
	uint64_t now = sl_rdtsc();
	double dt = tsc_to_s(now - port->last_tsc);
	double rx_pps = 0, tx_pps = 0, rx_bps = 0, tx_bps = 0;
	char a[32], b[32], c[32], d[32];
	int rc;

	rc = sl_eth_stats_get(p, &st);
	if (rc < 0) {
		fprintf(stderr, "Port %u: cannot read statistics: %s\n", p, strerror(-rc));
		return;
	}
	if (dt > 0) {
		/* bits on the wire side of the MAC: bytes * 8 (no preamble/IFG). */
		rx_pps = (double)(st.ipackets - port->last_stats.ipackets) / dt;
		tx_pps = (double)(st.opackets - port->last_stats.opackets) / dt;
		rx_bps = (double)(st.ibytes - port->last_stats.ibytes) * 8 / dt;
		tx_bps = (double)(st.obytes - port->last_stats.obytes) * 8 / dt;
	}
	port->last_stats = st;
	port->last_tsc = now;
	fmt_rate(a, sizeof(a), rx_pps);
	fmt_rate(b, sizeof(b), rx_bps);
	fmt_rate(c, sizeof(c), tx_pps);
	fmt_rate(d, sizeof(d), tx_bps);
	fprintf(tp_out, "  ######################## NIC statistics for port %-2u ########################\n", p);
	fprintf(tp_out, "  RX-packets: %-12" PRIu64 " RX-missed: %-12" PRIu64 " RX-bytes:  %" PRIu64 "\n",
		st.ipackets, st.imissed, st.ibytes);
	fprintf(tp_out, "  RX-errors:  %-12" PRIu64 " RX-nombuf: %" PRIu64 "\n", st.ierrors, st.rx_nombuf);
	fprintf(tp_out, "  TX-packets: %-12" PRIu64 " TX-errors: %-12" PRIu64 " TX-bytes:  %" PRIu64 "\n",
		st.opackets, st.oerrors, st.obytes);
	fprintf(tp_out, "  Throughput (since last show, %.2f s)\n", dt);
	fprintf(tp_out, "  Rx-pps: %12s          Rx-bps: %12s\n", a, b);
	fprintf(tp_out, "  Tx-pps: %12s          Tx-bps: %12s\n", c, d);
	fprintf(tp_out, "  ############################################################################\n");
	fflush(tp_out);
}

void
tp_show_port_xstats(uint16_t p)
{
	struct sl_eth_xstat_name *names = NULL;
	struct sl_eth_xstat *vals = NULL;
	int n, rc;

	n = sl_eth_xstats_get_names(p, NULL, 0);
	if (n < 0) {
		fprintf(stderr, "Port %u: cannot read xstats: %s\n", p, strerror(-n));
		return;
	}
	names = calloc((size_t)n + 1, sizeof(*names));
	vals = calloc((size_t)n + 1, sizeof(*vals));
	if (names == NULL || vals == NULL)
		goto out;
	if (sl_eth_xstats_get_names(p, names, (unsigned int)n) != n ||
	    (rc = sl_eth_xstats_get(p, vals, (unsigned int)n)) != n) {
		fprintf(stderr, "Port %u: xstats changed while reading; try again\n", p);
		goto out;
	}
	fprintf(tp_out, "###### NIC extended statistics for port %-2u\n", p);
	for (int i = 0; i < n; i++)
		fprintf(tp_out, "%s: %" PRIu64 "\n", names[vals[i].id].name, vals[i].value);
out:
	free(names);
	free(vals);
}

void
tp_clear_port_stats(uint16_t p)
{
	int rc = sl_eth_stats_reset(p);

	if (rc < 0) {
		fprintf(stderr, "Port %u: cannot clear statistics: %s\n", p, strerror(-rc));
		return;
	}
	sl_eth_xstats_reset(p);
	sl_eth_stats_get(p, &ports[p].last_stats);
	ports[p].start_stats = ports[p].last_stats;
	ports[p].last_tsc = sl_rdtsc();
	fprintf(tp_out, "  NIC statistics for port %u cleared\n", p);
}

static void
print_offloads(const char *what, uint64_t capa, const char *const *names, unsigned int n)
{
	fprintf(tp_out, "%s:", what);
	if (capa == 0)
		fprintf(tp_out, " none");
	for (unsigned int i = 0; i < n; i++)
		if (capa & (1ULL << i))
			fprintf(tp_out, " %s", names[i]);
	fputc('\n', tp_out);
}

void
tp_show_port_info(uint16_t p)
{
	static const char *const rxo[] = { "VLAN_STRIP", "IPV4_CKSUM", "UDP_CKSUM", "TCP_CKSUM",
					   "SCATTER", "RSS_HASH", "KEEP_CRC" };
	static const char *const txo[] = { "VLAN_INSERT", "IPV4_CKSUM", "UDP_CKSUM", "TCP_CKSUM",
					   "MULTI_SEGS", "MBUF_FAST_FREE" };
	struct sl_eth_dev_info info;
	struct sl_eth_link link;
	struct sl_ether_addr mac;
	char name[SL_ETH_NAME_MAX_LEN], buf[SL_ETH_LINK_MAX_STR_LEN], macs[SL_ETHER_ADDR_FMT_SIZE];
	uint16_t mtu = 0;
	int rc;

	rc = sl_eth_dev_info_get(p, &info);
	if (rc < 0) {
		fprintf(stderr, "Port %u: cannot read device info: %s\n", p, strerror(-rc));
		return;
	}
	sl_eth_dev_get_name_by_port(p, name);
	sl_eth_macaddr_get(p, &mac);
	sl_ether_addr_format(macs, sizeof(macs), &mac);
	sl_eth_mtu_get(p, &mtu);
	fprintf(tp_out, "********************* Infos for port %-2u *********************\n", p);
	fprintf(tp_out, "MAC address: %s\n", macs);
	fprintf(tp_out, "Device name: %s\n", name);
	fprintf(tp_out, "Driver name: %s\n", info.driver_name ? info.driver_name : "?");
	fprintf(tp_out, "Connect to socket: %d\n", sl_eth_dev_socket_id(p));
	if (sl_eth_link_get_nowait(p, &link) == 0) {
		sl_eth_link_to_str(buf, sizeof(buf), &link);
		fprintf(tp_out, "Link: %s\n", buf);
	}
	fprintf(tp_out, "Port state: %s\n", ports[p].started ? "started" : "stopped");
	fprintf(tp_out, "Promiscuous mode: %s\n", sl_eth_promiscuous_get(p) == 1 ? "enabled" : "disabled");
	fprintf(tp_out, "MTU: %u (min %u, max %u)\n", mtu, info.min_mtu, info.max_mtu);
	fprintf(tp_out, "Configured RX queues: %u, TX queues: %u\n", info.nb_rx_queues, info.nb_tx_queues);
	fprintf(tp_out, "Max RX queues: %u, max TX queues: %u\n", info.max_rx_queues, info.max_tx_queues);
	fprintf(tp_out, "RX descriptors: min %u, max %u, align %u\n", info.rx_desc_lim.nb_min,
		info.rx_desc_lim.nb_max, info.rx_desc_lim.nb_align);
	fprintf(tp_out, "TX descriptors: min %u, max %u, align %u\n", info.tx_desc_lim.nb_min,
		info.tx_desc_lim.nb_max, info.tx_desc_lim.nb_align);
	print_offloads("RX offload capabilities", info.rx_offload_capa, rxo, SL_DIM(rxo));
	print_offloads("TX offload capabilities", info.tx_offload_capa, txo, SL_DIM(txo));
	print_offloads("TX offloads enabled", ports[p].tx_offloads, txo, SL_DIM(txo));
	tp_show_port_rss_info(&info);
}

static const char *
topology_name(void)
{
	return cfg.topology == TP_TOPO_LOOP ? "loop" :
	       cfg.topology == TP_TOPO_CHAINED ? "chained" : "paired";
}

void
tp_show_config_rxtx(void)
{
	fprintf(tp_out, "  %s packet forwarding - ports=%u - cores=%u - topology=%s\n", cfg.engine->name,
		sl_eth_dev_count_avail(), cfg.nb_cores, topology_name());
	fprintf(tp_out, "  RX queues=%u - RX desc=%u - TX queues=%u - TX desc=%u\n", cfg.nb_rxq,
		cfg.nb_rxd, cfg.nb_txq, cfg.nb_txd);
	fprintf(tp_out, "  burst=%u - mbuf cache=%u - mbuf size=%u - mbufs=%u\n", cfg.burst,
		cfg.mbcache, cfg.mbuf_size, pool_size);
	fprintf(tp_out, "  txpkts=");
	for (unsigned int i = 0; i < cfg.txpkts_nb; i++)
		fprintf(tp_out, "%s%u", i ? "," : "", cfg.txpkts[i]);
	fprintf(tp_out, " (%u segment(s))\n", cfg.txpkts_nb);
	if (mbuf_pool)
		fprintf(tp_out, "  pool mb_pool_0: %u available, %u in use\n",
			sl_mempool_avail_count(mbuf_pool), sl_mempool_in_use_count(mbuf_pool));
}

void
tp_show_config_cores(void)
{
	unsigned int l, n = 0;

	fprintf(tp_out, "List of forwarding lcores:");
	SL_LCORE_FOREACH_WORKER(l) {
		if (n++ == cfg.nb_cores)
			break;
		fprintf(tp_out, " %u", l);
	}
	fprintf(tp_out, "%s\n", n ? "" : " none (give the EAL a worker lcore, e.g. -l 0-1)");
}


void
tp_show_config_fwd(void)
{
	/* Not forwarding: show what 'start' would set up, but keep the last
	 * run's streams, ports and lcores for 'show fwd stats'. */
	if (!fwd_running) {
		static struct fwd_lcore keep_lcores[SL_MAX_LCORE];
		static uint16_t keep_ports[SL_MAX_ETHPORTS];
		struct fwd_stream *keep = fwd_streams;
		unsigned int keep_nb = nb_fwd_streams, keep_nl = nb_fwd_lcores, keep_np = nb_fwd_ports;

		memcpy(keep_lcores, fwd_lcores, sizeof(fwd_lcores));
		memcpy(keep_ports, fwd_port_ids, sizeof(fwd_port_ids));
		fwd_streams = NULL;
		if (fwd_config_setup() == 0)
			print_fwd_config();
		free(fwd_streams);
		fwd_streams = keep;
		nb_fwd_streams = keep_nb;
		nb_fwd_lcores = keep_nl;
		nb_fwd_ports = keep_np;
		memcpy(fwd_lcores, keep_lcores, sizeof(fwd_lcores));
		memcpy(fwd_port_ids, keep_ports, sizeof(fwd_port_ids));
		return;
	}
	print_fwd_config();
}

static void
print_fwd_config(void)
{
	char mac[SL_ETHER_ADDR_FMT_SIZE];

	fprintf(tp_out, "%s packet forwarding - ports=%u - cores=%u - streams=%u - topology=%s\n",
		cfg.engine->name, nb_fwd_ports, nb_fwd_lcores, nb_fwd_streams, topology_name());
	for (unsigned int l = 0; l < nb_fwd_lcores; l++) {
		fprintf(tp_out, "Logical Core %u (socket %d) forwards packets on %u streams:\n",
			fwd_lcores[l].lcore_id, sl_lcore_to_socket_id(fwd_lcores[l].lcore_id),
			fwd_lcores[l].stream_nb);
		for (unsigned int s = 0; s < fwd_lcores[l].stream_nb; s++) {
			const struct fwd_stream *fs = &fwd_streams[fwd_lcores[l].stream_idx + s];

			sl_ether_addr_format(mac, sizeof(mac), &cfg.peer[fs->peer]);
			fprintf(tp_out, "  RX P=%u/Q=%u -> TX P=%u/Q=%u peer=%s\n", fs->rx_port,
				fs->rx_queue, fs->tx_port, fs->tx_queue, mac);
		}
	}
}

/* ---- "set" and "port config" ---- */

static int
need_stopped(const char *what)
{
	if (fwd_running) {
		fprintf(stderr, "Cannot %s while forwarding: run 'stop' first\n", what);
		return -EBUSY;
	}
	return 0;
}

int
tp_set_fwd_mode(const char *name)
{
	const struct fwd_engine *e = tp_engine_find(name);

	if (e == NULL) {
		fprintf(stderr, "Unknown forwarding mode '%s': use one of", name);
		for (unsigned int i = 0; fwd_engines[i]; i++)
			fprintf(stderr, " %s", fwd_engines[i]->name);
		fputc('\n', stderr);
		return -EINVAL;
	}
	if (need_stopped("change the forwarding mode") < 0)
		return -EBUSY;
	cfg.engine = e;
	fprintf(tp_out, "Set %s packet forwarding mode\n", e->name);
	return 0;
}

int
tp_set_nb_cores(unsigned long n)
{
	unsigned int max = tp_max_fwd_cores();

	if (n < 1 || n > max) {
		fprintf(stderr, "Invalid number of forwarding cores %lu: the EAL has %u worker "
			"lcore(s), use 1..%u (or restart with more lcores, e.g. -l 0-%lu)\n",
			n, max, max ? max : 1, n);
		return -EINVAL;
	}
	if (need_stopped("change the number of cores") < 0)
		return -EBUSY;
	cfg.nb_cores = (unsigned int)n;
	fprintf(tp_out, "Number of forwarding cores set to %u\n", cfg.nb_cores);
	return 0;
}

/* "set promisc|allmulti all|<port> on|off" */
int
tp_set_rx_mode(const char *which, bool allmulti, bool on)
{
	const char *mode = allmulti ? "all-multicast" : "promiscuous";
	uint16_t p, only = UINT16_MAX;
	int rc, ret = 0;

	if (strcmp(which, "all") != 0 && tp_port_is_valid(which, &only) < 0)
		return -EINVAL;
	SL_ETH_FOREACH_DEV(p) {
		if (ports[p].closed || (only != UINT16_MAX && p != only))
			continue;
		if (allmulti)
			rc = on ? sl_eth_allmulticast_enable(p) : sl_eth_allmulticast_disable(p);
		else
			rc = on ? sl_eth_promiscuous_enable(p) : sl_eth_promiscuous_disable(p);
		if (rc == -ENOTSUP)
			fprintf(stderr, "Port %u: the driver has no %s mode\n", p, mode);
		else if (rc < 0)
			fprintf(stderr, "Port %u: cannot turn %s mode %s: %s\n", p, mode,
				on ? "on" : "off", strerror(-rc));
		if (rc < 0)
			ret = rc;
	}
	return ret;
}

int
tp_set_burst(unsigned long n)
{
	if (n < 1 || n > TP_MAX_BURST) {
		fprintf(stderr, "Invalid burst size %lu: use 1..%u\n", n, TP_MAX_BURST);
		return -EINVAL;
	}
	if (need_stopped("change the burst size") < 0)
		return -EBUSY;
	cfg.burst = (uint16_t)n;
	fprintf(tp_out, "Burst size set to %u\n", cfg.burst);
	return 0;
}

int
tp_set_txpkts(const char *s)
{
	uint16_t lens[TP_MAX_SEGS];
	unsigned int nb;
	char err[256];

	if (tp_parse_txpkts(s, lens, &nb) < 0) {
		fprintf(stderr, "Invalid txpkts '%s': give up to %u comma-separated segment "
			"lengths, e.g. 'set txpkts 64' or 'set txpkts 64,128'\n", s, TP_MAX_SEGS);
		return -EINVAL;
	}
	if (tp_check_txpkts(lens, nb, cfg.mbuf_size, err, sizeof(err)) < 0) {
		fprintf(stderr, "Invalid txpkts '%s': %s\n", s, err);
		return -EINVAL;
	}
	if (need_stopped("change txpkts") < 0)
		return -EBUSY;
	memcpy(cfg.txpkts, lens, sizeof(lens[0]) * nb);
	cfg.txpkts_nb = nb;
	fprintf(tp_out, "txpkts set to %s\n", s);
	return 0;
}

int
tp_port_config_all(const char *what, unsigned long n)
{
	uint16_t p;

	SL_ETH_FOREACH_DEV(p) {
		if (!ports[p].closed && ports[p].started) {
			fprintf(stderr, "Port %u is started: run 'port stop all' before 'port config "
				"all %s'\n", p, what);
			return -EBUSY;
		}
	}
	if (strcmp(what, "rxq") == 0 || strcmp(what, "txq") == 0) {
		if (n < 1 || n > TP_MAX_QUEUES) {
			fprintf(stderr, "Invalid number of queues %lu: use 1..%u\n", n, TP_MAX_QUEUES);
			return -EINVAL;
		}
		if (what[0] == 'r')
			cfg.nb_rxq = (uint16_t)n;
		else
			cfg.nb_txq = (uint16_t)n;
	} else if (strcmp(what, "rxd") == 0 || strcmp(what, "txd") == 0) {
		if (n < 1 || n > 32768) {
			fprintf(stderr, "Invalid number of descriptors %lu: use 1..32768\n", n);
			return -EINVAL;
		}
		if (what[0] == 'r')
			cfg.nb_rxd = (uint16_t)n;
		else
			cfg.nb_txd = (uint16_t)n;
	} else {
		fprintf(stderr, "Unknown port setting '%s': use rxq, txq, rxd or txd\n", what);
		return -EINVAL;
	}
	fprintf(tp_out, "%s set to %lu for all ports; takes effect at 'port start all'\n", what, n);
	return 0;
}

/* ---- life cycle ---- */

static void
on_signal(int sig)
{
	tp_signal = sig;
}

static void
install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a blocking read of the prompt returns EINTR so that
	 * the main loop notices the signal. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int
tp_init(void)
{
	uint16_t p;
	unsigned int n = 0;
	int rc;

	install_signals();
	if (sl_eth_dev_count_avail() == 0) {
		fprintf(stderr, "No ports: add virtual ports with EAL options, e.g. --vdev net_null0 "
			"--vdev net_null1, or bind a NIC\n");
		return -ENODEV;
	}
	if (cfg.portmask_set) {
		for (unsigned int b = 0; b < 64; b++) {
			if ((cfg.portmask & (1ULL << b)) && !(b < SL_MAX_ETHPORTS &&
							       sl_eth_dev_is_valid_port((uint16_t)b))) {
				fprintf(stderr, "Port %u in --portmask/--portlist does not exist: %u "
					"port(s) are attached (ids from 0)\n", b, sl_eth_dev_count_avail());
				return -EINVAL;
			}
		}
	}
	SL_ETH_FOREACH_DEV(p) {
		ports[p].fwd = !cfg.portmask_set || (p < 64 && (cfg.portmask & (1ULL << p)));
		n += ports[p].fwd;
	}
	if (cfg.nb_ports > n) {
		fprintf(stderr, "--nb-ports=%u but only %u port(s) are selected; use --nb-ports=%u "
			"or attach more ports\n", cfg.nb_ports, n, n);
		return -EINVAL;
	}
	if (cfg.nb_cores > tp_max_fwd_cores()) {
		fprintf(stderr, "--nb-cores=%u but the EAL has %u worker lcore(s): use --nb-cores=%u "
			"or give the EAL more lcores (e.g. -l 0-%u)\n", cfg.nb_cores, tp_max_fwd_cores(),
			tp_max_fwd_cores() ? tp_max_fwd_cores() : 1, cfg.nb_cores);
		return -EINVAL;
	}
	rc = pool_create();
	if (rc < 0)
		return rc;
	rc = tp_ports_start(-1);
	if (rc < 0 && !cfg.interactive)
		return rc; /* interactive users can fix it with port config / port start */
	for (unsigned int i = 0; i < cfg.nb_pcap_dump; i++) {
		int port = cfg.pcap_dump[i].port;

		if (port >= 0 && !port_exists((uint16_t)port)) {
			fprintf(stderr, "--pcap-dump=%d:%s: port %d does not exist: %u port(s) "
				"are attached (ids from 0)\n", port, cfg.pcap_dump[i].path, port,
				sl_eth_dev_count_avail());
			return -EINVAL;
		}
		rc = tp_capture_start(port, cfg.pcap_dump[i].path);
		if (rc < 0)
			return rc == -EBUSY ? -EINVAL : rc;
	}
	return 0;
}

int
tp_fini(void)
{
	unsigned int in_use = 0;

	if (fwd_running)
		tp_stop_fwd();
	if (tp_capture_active(-1))
		tp_capture_stop(-1);
	tp_ports_close(-1);
	free(fwd_streams);
	fwd_streams = NULL;
	nb_fwd_streams = 0;
	if (mbuf_pool) {
		in_use = sl_mempool_in_use_count(mbuf_pool);
		if (in_use)
			fprintf(stderr, "Warning: %u mbuf(s) of mb_pool_0 still in use after closing "
				"every port (leak)\n", in_use);
		else
			fprintf(tp_out, "All %u mbufs returned to mb_pool_0\n", pool_size);
		sl_mempool_free(mbuf_pool);
		mbuf_pool = NULL;
	}
	return (int)in_use;
}

/* Wait until Enter/EOF, a signal or the duration; show stats periodically. */
int
tp_run_noninteractive(void)
{
	uint64_t hz = sl_get_tsc_hz();
	uint64_t start = sl_rdtsc(), next_stats;
	uint64_t end = cfg.duration_s > 0 ? start + (uint64_t)(cfg.duration_s * (double)hz) : 0;
	bool wait_enter = cfg.duration_s <= 0 && cfg.stats_period == 0;
	int rc;

	rc = tp_start_fwd(cfg.tx_first);
	if (rc < 0)
		return rc;
	next_stats = start + (uint64_t)cfg.stats_period * hz;
	if (wait_enter)
		fprintf(tp_out, "Press enter to exit\n");
	fflush(tp_out);
	while (!tp_signal) {
		uint64_t now = sl_rdtsc();
		int timeout_ms = 100;

		if (end && now >= end)
			break;
		if (end)
			timeout_ms = (int)SL_MIN((uint64_t)100, (end - now) * 1000 / hz + 1);
		if (cfg.stats_period && now >= next_stats) {
			for (unsigned int i = 0; i < nb_fwd_ports; i++)
				tp_show_port_stats(fwd_port_ids[i]);
			next_stats += (uint64_t)cfg.stats_period * hz;
		}
		if (wait_enter) {
			struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
			char buf[256];

			if (poll(&pfd, 1, timeout_ms) > 0) {
				ssize_t r = read(STDIN_FILENO, buf, sizeof(buf));

				if (r <= 0 || memchr(buf, '\n', (size_t)r))
					break;
			}
		} else {
			poll(NULL, 0, timeout_ms);
		}
	}
	if (tp_signal)
		fprintf(tp_out, "\nSignal %d received, stopping forwarding\n", tp_signal);
	tp_stop_fwd();
	if (cfg.json)
		tp_print_json(tsc_to_s(fwd_stop_tsc - fwd_start_tsc));
	return 0;
}

int
tp_main(int argc, char **argv)
{
	int n, rc, status = 0;

	tp_config_defaults(&cfg);
	tp_out = stdout;
	n = sl_eal_init(argc, argv);
	if (n == SL_EAL_HELP_SHOWN) {
		/* Asking for help is success; the EAL printed its options. */
		printf("\n");
		tp_usage(stdout, "sluice-testpmd");
		return 0;
	}
	if (n < 0) {
		fprintf(stderr, "EAL initialisation failed: %s (see the message above)\n", strerror(-n));
		return TP_EXIT_USAGE;
	}
	argc -= n;
	argv += n;
	argv[0] = (char *)"sluice-testpmd";
	rc = tp_parse_args(argc, argv, &cfg);
	if (rc != 0) {
		sl_eal_cleanup();
		return rc < 0 ? TP_EXIT_USAGE : 0; /* rc > 0: --help was shown */
	}
	if (cfg.json)
		tp_out = stderr; /* stdout carries the JSON object only */
	if (cfg.interactive && cfg.duration_s > 0) {
		fprintf(stderr, "sluice-testpmd: --duration cannot be combined with -i; drop one\n");
		sl_eal_cleanup();
		return TP_EXIT_USAGE;
	}
	rc = tp_init();
	if (rc < 0) {
		tp_fini();
		sl_eal_cleanup();
		/* Bad or inconsistent options (including a pool too small for
		 * the queues asked for) are usage errors; the rest is failure. */
		return rc == -EINVAL || rc == -ENODEV || rc == -ENOSPC ? TP_EXIT_USAGE : 1;
	}
	if (cfg.interactive) {
		if (cfg.auto_start)
			tp_start_fwd(cfg.tx_first);
		tp_cmdline_run();
		if (tp_signal && fwd_running)
			tp_stop_fwd();
	} else {
		rc = tp_run_noninteractive();
		if (rc < 0)
			status = 1;
	}
	if (tp_fini() != 0 && status == 0)
		status = 1; /* leaked mbufs are a bug worth a failing exit code */
	sl_eal_cleanup();
	fprintf(tp_out, "Bye...\n");
	return status;
}
