/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-testpmd: shared state of the forwarding test application.
 *
 * Layout of the app:
 *   parameters.c   command-line options (after the EAL's "--")
 *   testpmd.c      pools, ports, streams, start/stop, statistics
 *   cmdline.c      interactive prompt (libedit)
 *   fwd_*.c        forwarding engines, one per --forward-mode
 *   main.c         main(): EAL init, then the above
 *
 * Forwarding model (the same as DPDK testpmd's): every RX queue of every
 * forwarding port is a *stream* that sends what it receives to one TX queue
 * of a peer port chosen by the port topology.  Streams are split evenly over
 * the forwarding lcores (EAL worker lcores).  A forwarding lcore loops over
 * its streams calling the engine's packet_fwd() until told to stop.
 */
#ifndef SLUICE_TESTPMD_H
#define SLUICE_TESTPMD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sl_common.h"
#include "sl_ethdev.h"
#include "sl_ether.h"
#include "sl_mbuf.h"

#define TP_MAX_BURST 512         /* --burst upper bound */
#define TP_DEF_BURST 32
#define TP_DEF_MBCACHE 250
#define TP_MAX_MBCACHE 512
#define TP_DEF_RXD 1024
#define TP_DEF_TXD 1024
#define TP_MAX_SEGS 8            /* --txpkts entries */
#define TP_DEF_TXPKT_LEN 64
#define TP_MAX_QUEUES 64         /* --rxq / --txq upper bound */
#define TP_FLOWGEN_FLOWS 1024    /* flows cycled through by flowgen */
#define TP_TX_FIRST_BURSTS 1     /* bursts sent by "start tx_first" */
#define TP_DEF_SNAPLEN 9216       /* --pcap-snaplen default: a jumbo frame */
#define TP_MAX_SNAPLEN 262144     /* libpcap's MAXIMUM_SNAPLEN */
#define TP_MAX_PCAP_DUMPS 8       /* --pcap-dump given this many times at most */

/* Exit status for bad command-line options (like getopt-style tools). */
#define TP_EXIT_USAGE 2

enum tp_topology { TP_TOPO_PAIRED, TP_TOPO_CHAINED, TP_TOPO_LOOP };

/*
 * One RX queue -> TX queue path.  Written only by the lcore that runs it;
 * read by the main lcore for statistics (torn reads of a 64-bit counter
 * cannot happen on the 64-bit targets we build for).  Cache aligned so that
 * two lcores never share a line of counters.
 */
struct fwd_stream {
	/* read-only while forwarding */
	uint16_t rx_port;
	uint16_t rx_queue;
	uint16_t tx_port;
	uint16_t tx_queue;
	uint16_t burst;
	uint16_t peer;             /* index into peer_eth_addrs (tx_port) */
	struct sl_mempool *pool;   /* where txonly/flowgen allocate */
	/*
	 * Counters, written by the forwarding lcore.  Every packet is
	 * accounted for: rx + gen = tx + tx_dropped + fwd_discarded.
	 */
	uint64_t rx_packets;
	uint64_t gen_packets;      /* built by txonly/flowgen */
	uint64_t tx_packets;
	uint64_t tx_dropped;       /* not accepted by tx_burst, freed */
	uint64_t fwd_discarded;    /* dropped on purpose by the engine */
	uint64_t rx_bad_ip_csum;
	uint64_t rx_bad_l4_csum;
	uint64_t tx_nombuf;        /* txonly/flowgen: pool empty */
	/* per-engine state */
	uint32_t flow_idx;         /* flowgen: next flow */
	uint16_t ip_id;            /* txonly/flowgen: IPv4 identification */
} __sl_cache_aligned;

struct fwd_lcore {
	unsigned int lcore_id;
	uint32_t stream_idx;       /* first stream */
	uint32_t stream_nb;        /* number of streams */
	volatile bool stopped;     /* set by the main lcore, polled per loop */
	uint64_t loops;            /* passes over the streams (capture.c waits on it) */
} __sl_cache_aligned;

typedef void (*packet_fwd_t)(struct fwd_stream *fs);

struct fwd_engine {
	const char *name;
	const char *help;
	/* Called for every forwarding port before start; may refuse (-errno). */
	int (*port_fwd_begin)(uint16_t port_id);
	packet_fwd_t packet_fwd;
};

/* Per-port application state. */
struct tp_port {
	bool fwd;                  /* selected by --portmask/--portlist */
	bool configured;
	bool started;
	bool closed;
	bool told_no_promisc;      /* "no promiscuous mode" said once, at INFO */
	uint16_t nb_rxq, nb_txq;   /* set up on the device */
	uint16_t nb_rxd, nb_txd;
	int socket_id;
	struct sl_ether_addr mac;
	struct sl_eth_dev_info info;
	uint64_t tx_offloads;      /* enabled on the port (csum engine uses them) */
	/* "show port stats": values at the previous display, for rates */
	struct sl_eth_stats last_stats;
	uint64_t last_tsc;
	/* stats at "start", so that end-of-run figures cover the run only */
	struct sl_eth_stats start_stats;
	bool rss_on;               /* configured with mq_mode RSS (rss.c) */
};

/* Configuration: options and interactive "set"/"port config" commands. */
struct tp_config {
	bool interactive;
	bool auto_start;
	bool tx_first;
	bool json;
	double duration_s;         /* 0 = until signal / Enter */
	unsigned int stats_period; /* seconds, 0 = off */
	const struct fwd_engine *engine;
	unsigned int nb_cores;     /* forwarding lcores */
	unsigned int nb_ports;     /* 0 = every selected port */
	uint64_t portmask;         /* 0 = every port */
	bool portmask_set;
	enum tp_topology topology;
	uint16_t nb_rxq, nb_txq, nb_rxd, nb_txd;
	uint16_t burst;
	unsigned int mbcache;
	uint16_t mbuf_size;        /* data room incl. headroom */
	unsigned int total_mbufs;  /* 0 = computed */
	uint16_t txpkts[TP_MAX_SEGS];
	unsigned int txpkts_nb;
	uint32_t tx_ip_src, tx_ip_dst;      /* network order */
	uint16_t tx_udp_src, tx_udp_dst;    /* host order */
	struct sl_ether_addr peer[SL_MAX_ETHPORTS];
	uint64_t rss_hf;           /* --rss-ip/--rss-udp, "port config all rss" */
	/* --pcap-dump [PORT:]FILE: port -1 = every port */
	struct { int port; const char *path; } pcap_dump[TP_MAX_PCAP_DUMPS];
	unsigned int nb_pcap_dump;
};

/* ---- globals (testpmd.c) ---- */
extern struct tp_config cfg;
extern struct tp_port ports[SL_MAX_ETHPORTS];
extern struct fwd_stream *fwd_streams;
extern unsigned int nb_fwd_streams;
extern struct fwd_lcore fwd_lcores[SL_MAX_LCORE];
extern unsigned int nb_fwd_lcores;
extern uint16_t fwd_port_ids[SL_MAX_ETHPORTS];
extern unsigned int nb_fwd_ports;
extern bool fwd_running;
extern volatile int tp_signal;   /* last SIGINT/SIGTERM received, else 0 */
extern FILE *tp_out;              /* human-readable output (stderr with --json) */

extern const struct fwd_engine *const fwd_engines[];
extern const struct fwd_engine io_engine, mac_engine, macswap_engine, rxonly_engine,
	txonly_engine, flowgen_engine, csum_engine, icmpecho_engine;

/* ---- parameters.c ---- */
void tp_config_defaults(struct tp_config *c);
/* Parse the app's options; returns 0, 1 after printing --help, or -EINVAL
 * after printing the error. */
int tp_parse_args(int argc, char **argv, struct tp_config *c);
void tp_usage(FILE *f, const char *prog);
const struct fwd_engine *tp_engine_find(const char *name);
int tp_parse_txpkts(const char *s, uint16_t *lens, unsigned int *nb);
int tp_check_txpkts(const uint16_t *lens, unsigned int nb, uint16_t mbuf_size, char *err,
		    size_t errlen);
int tp_parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *v);

/* ---- testpmd.c ---- */
int tp_init(void);
int tp_fini(void);          /* returns mbufs still in use (leaked) */
int tp_ports_start(int port);     /* port id, or -1 for all */
int tp_ports_stop(int port);
int tp_ports_close(int port);
int tp_start_fwd(bool tx_first);
int tp_stop_fwd(void);
void tp_show_port_info(uint16_t port);
void tp_show_port_stats(uint16_t port);
void tp_show_port_xstats(uint16_t port);
void tp_clear_port_stats(uint16_t port);
void tp_show_fwd_stats(void);
void tp_show_config_rxtx(void);
void tp_show_config_cores(void);
void tp_show_config_fwd(void);
void tp_print_json(double secs);
int tp_port_is_valid(const char *word, uint16_t *port);
int tp_set_fwd_mode(const char *name);
int tp_set_nb_cores(unsigned long n);
int tp_set_burst(unsigned long n);
int tp_set_rx_mode(const char *which, bool allmulti, bool on);
int tp_set_txpkts(const char *s);
int tp_port_config_all(const char *what, unsigned long n);
unsigned int tp_max_fwd_cores(void);
int tp_run_noninteractive(void);
int tp_main(int argc, char **argv);

/* ---- rss.c ---- */
/* Set RSS in @p conf for port @p p when it gets several RX queues. */
void tp_rss_port_conf(uint16_t p, struct sl_eth_conf *conf);
int tp_port_config_rss(const char *word);
void tp_show_port_rss_hash(uint16_t p, bool show_key);
void tp_show_port_rss_reta(uint16_t p);
void tp_show_port_rss_info(const struct sl_eth_dev_info *info); /* in show port info */
int tp_port_queue_start_stop(const char *port_w, const char *dir, const char *q_w, const char *op);

/* ---- cmdline.c ---- */
int tp_cmdline_run(void);
int tp_cmdline_exec(char *line);   /* 1 = quit requested */

/* ---- capture.c: pcap capture of what ports receive ---- */
struct tp_capture;
/* Per-port capture, read by forwarding lcores once per RX burst. */
extern struct tp_capture *tp_captures[SL_MAX_ETHPORTS];
extern uint32_t tp_capture_snaplen;
/* Copy a received burst into the capture's ring (fast path, no syscall). */
void tp_capture_burst(struct tp_capture *c, struct sl_mbuf **pkts, uint16_t n);
/* Capture what @p port (-1: every open port) receives to the pcap file @p path. */
int tp_capture_start(int port, const char *path);
/* Stop capturing @p port (-1: all), close the files, report the counts. */
int tp_capture_stop(int port);
bool tp_capture_active(int port);
void tp_capture_show(void);

/* "set verbose": bit 0 prints received packets, bit 1 sent ones. */
#define TP_VERBOSE_RX 1u
#define TP_VERBOSE_TX 2u
extern unsigned int tp_verbose;
void tp_set_verbose(unsigned int level);
/* Print one line per packet of a burst (slow: a debugging aid). */
void tp_dump_burst(const char *what, uint16_t port, uint16_t queue, struct sl_mbuf **pkts,
		   uint16_t n);

/* RX burst of a stream, handing a copy to the port's capture if one runs. */
static __sl_always_inline uint16_t
tp_rx_burst(struct fwd_stream *fs, struct sl_mbuf **pkts)
{
	uint16_t nb = sl_eth_rx_burst(fs->rx_port, fs->rx_queue, pkts, fs->burst);
	/* Acquire pairs with the release in tp_capture_start(). */
	struct tp_capture *c = __atomic_load_n(&tp_captures[fs->rx_port], __ATOMIC_ACQUIRE);

	if (sl_unlikely(c != NULL) && nb != 0)
		tp_capture_burst(c, pkts, nb);
	if (sl_unlikely(__atomic_load_n(&tp_verbose, __ATOMIC_RELAXED) & TP_VERBOSE_RX) && nb != 0)
		tp_dump_burst("received", fs->rx_port, fs->rx_queue, pkts, nb);
	return nb;
}

/* TX burst of a stream; "set verbose 2|3" prints the packets first (after
 * the call they may be freed). */
static __sl_always_inline uint16_t
tp_tx_burst(struct fwd_stream *fs, struct sl_mbuf **pkts, uint16_t n)
{
	if (sl_unlikely(__atomic_load_n(&tp_verbose, __ATOMIC_RELAXED) & TP_VERBOSE_TX) && n != 0)
		tp_dump_burst("sent", fs->tx_port, fs->tx_queue, pkts, n);
	return sl_eth_tx_burst(fs->tx_port, fs->tx_queue, pkts, n);
}

/* ---- fwd helpers shared by engines (fwd_txonly.c) ---- */
/* Build one UDP/IPv4 packet per cfg.txpkts into freshly allocated mbufs. */
struct sl_mbuf *tp_build_udp_pkt(struct fwd_stream *fs, uint32_t ip_src, uint32_t ip_dst,
				  uint16_t udp_src, uint16_t udp_dst);

/* Free what tx_burst did not take and count it. */
static inline void
tp_tx_drop(struct fwd_stream *fs, struct sl_mbuf **pkts, uint16_t nb_rx, uint16_t nb_tx)
{
	if (sl_unlikely(nb_tx < nb_rx)) {
		fs->tx_dropped += (uint16_t)(nb_rx - nb_tx);
		sl_mbuf_free_bulk(&pkts[nb_tx], (unsigned int)(nb_rx - nb_tx));
	}
}

#endif /* SLUICE_TESTPMD_H */
