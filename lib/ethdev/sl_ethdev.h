/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Ethernet device API for applications.
 *
 * A port is a uint16_t index into a registry of SL_MAX_ETHPORTS slots.  Its
 * life cycle:
 *
 *     attached --configure--> configured --queue setup + start--> started
 *        ^                       ^  |                              |
 *        |                       |  +--------- configure ----------+ (-EBUSY)
 *        |                       +------------- stop --------------+
 *        +---- (slot freed by close; the port id may be reused) ----
 *
 * - sl_eth_dev_configure() sets the number of RX/TX queues and the offloads.
 *   It may be called again while the port is stopped; that drops the queues.
 * - sl_eth_rx_queue_setup()/sl_eth_tx_queue_setup() must be called for every
 *   queue before sl_eth_dev_start().
 * - sl_eth_rx_burst()/sl_eth_tx_burst() move packets.  They do no checking
 *   (build with -DSL_ETHDEV_DEBUG to get port/queue range checks).  On a port
 *   that is not started they return 0.
 *
 * Threads: control functions (everything except the two burst calls) are
 * meant for one control thread.  A queue must be polled by one thread at a
 * time; different queues may be polled by different threads.  Stop a port
 * only after every thread has stopped polling it.
 *
 * Errors: functions return 0 (or a count) on success and a negative errno on
 * failure, and log one line that names the port, the bad value and what to
 * do about it.  Bad port ids always give -ENODEV.
 */
#ifndef SL_ETHDEV_H
#define SL_ETHDEV_H

#include <stdint.h>

#include "sl_common.h"
#include "sl_ether.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sl_mbuf;
struct sl_mempool;

/** Longest port name, NUL included. */
#define SL_ETH_NAME_MAX_LEN 64
/** Most RX (or TX) queues one port can have. */
#define SL_ETH_MAX_QUEUES_PER_PORT 1024
/** Per-queue counters in struct sl_eth_stats cover queues below this. */
#define SL_ETH_QUEUE_STAT_CNTRS 16
/** Longest extended statistic name, NUL included. */
#define SL_ETH_XSTATS_NAME_SIZE 64

/* ---- Offloads (sl_eth_dev_info.*_offload_capa, sl_eth_conf, queue conf) ---- */
#define SL_ETH_RX_OFFLOAD_VLAN_STRIP (1ULL << 0) /**< Strip 802.1Q tag into mbuf->vlan_tci. */
#define SL_ETH_RX_OFFLOAD_IPV4_CKSUM (1ULL << 1) /**< Check IPv4 header checksum. */
#define SL_ETH_RX_OFFLOAD_UDP_CKSUM (1ULL << 2)  /**< Check UDP checksum. */
#define SL_ETH_RX_OFFLOAD_TCP_CKSUM (1ULL << 3)  /**< Check TCP checksum. */
#define SL_ETH_RX_OFFLOAD_SCATTER (1ULL << 4)    /**< Receive frames into mbuf chains. */
#define SL_ETH_RX_OFFLOAD_RSS_HASH (1ULL << 5)   /**< Report the RSS hash in mbuf->hash. */
#define SL_ETH_RX_OFFLOAD_KEEP_CRC (1ULL << 6)   /**< Leave the FCS on the frame. */

#define SL_ETH_TX_OFFLOAD_VLAN_INSERT (1ULL << 0)  /**< Insert mbuf->vlan_tci as a tag. */
#define SL_ETH_TX_OFFLOAD_IPV4_CKSUM (1ULL << 1)   /**< Fill IPv4 header checksum. */
#define SL_ETH_TX_OFFLOAD_UDP_CKSUM (1ULL << 2)    /**< Fill UDP checksum. */
#define SL_ETH_TX_OFFLOAD_TCP_CKSUM (1ULL << 3)    /**< Fill TCP checksum. */
#define SL_ETH_TX_OFFLOAD_MULTI_SEGS (1ULL << 4)   /**< Send mbuf chains. */
/** App promises: all mbufs of a queue come from one pool, refcnt 1, one segment. */
#define SL_ETH_TX_OFFLOAD_MBUF_FAST_FREE (1ULL << 5)
/** TCP segmentation (SL_MBUF_F_TX_TCP_SEG with l2/l3/l4_len and tso_segsz). */
#define SL_ETH_TX_OFFLOAD_TCP_TSO (1ULL << 6)

/* ---- Link ---- */
#define SL_ETH_SPEED_NUM_NONE 0            /**< Unknown / link down. */
#define SL_ETH_SPEED_NUM_10M 10            /**< Mbit/s. */
#define SL_ETH_SPEED_NUM_100M 100 /**< Mbit/s. */
#define SL_ETH_SPEED_NUM_1G 1000 /**< Mbit/s. */
#define SL_ETH_SPEED_NUM_10G 10000 /**< Mbit/s. */
#define SL_ETH_SPEED_NUM_25G 25000 /**< Mbit/s. */
#define SL_ETH_SPEED_NUM_40G 40000 /**< Mbit/s. */
#define SL_ETH_SPEED_NUM_100G 100000 /**< Mbit/s. */
#define SL_ETH_SPEED_NUM_UNKNOWN UINT32_MAX /**< Link up, speed not known. */

#define SL_ETH_LINK_DOWN 0 /**< sl_eth_link.link_status: down */
#define SL_ETH_LINK_UP 1 /**< sl_eth_link.link_status: up */
#define SL_ETH_LINK_HALF_DUPLEX 0 /**< sl_eth_link.link_duplex: half */
#define SL_ETH_LINK_FULL_DUPLEX 1 /**< sl_eth_link.link_duplex: full */
#define SL_ETH_LINK_FIXED 0 /**< sl_eth_link.link_autoneg: fixed speed */
#define SL_ETH_LINK_AUTONEG 1 /**< sl_eth_link.link_autoneg: negotiated */

/** Capability bits (sl_eth_dev_info.speed_capa, sl_eth_conf.link_speeds). */
#define SL_ETH_LINK_SPEED_AUTONEG 0u        /**< Autonegotiate (the default). */
#define SL_ETH_LINK_SPEED_FIXED (1u << 0)   /**< Disable autonegotiation. */
#define SL_ETH_LINK_SPEED_10M_HD (1u << 1) /**< 10 Mbit/s half duplex */
#define SL_ETH_LINK_SPEED_10M (1u << 2) /**< 10 Mbit/s */
#define SL_ETH_LINK_SPEED_100M_HD (1u << 3) /**< 100 Mbit/s half duplex */
#define SL_ETH_LINK_SPEED_100M (1u << 4) /**< 100 Mbit/s */
#define SL_ETH_LINK_SPEED_1G (1u << 5) /**< 1 Gbit/s */
#define SL_ETH_LINK_SPEED_10G (1u << 8) /**< 10 Gbit/s */
#define SL_ETH_LINK_SPEED_25G (1u << 10) /**< 25 Gbit/s */
#define SL_ETH_LINK_SPEED_40G (1u << 11) /**< 40 Gbit/s */
#define SL_ETH_LINK_SPEED_100G (1u << 14) /**< 100 Gbit/s */

/**
 * Link state.  Eight bytes, eight-byte aligned, so that drivers can update
 * it with one atomic store while the application reads it.
 */
struct sl_eth_link {
	uint32_t link_speed;  /**< SL_ETH_SPEED_NUM_* (Mbit/s). */
	uint8_t link_duplex;  /**< SL_ETH_LINK_{HALF,FULL}_DUPLEX. */
	uint8_t link_autoneg; /**< SL_ETH_LINK_{FIXED,AUTONEG}. */
	uint8_t link_status;  /**< SL_ETH_LINK_{DOWN,UP}. */
	uint8_t reserved; /**< padding, zero */
} __sl_aligned(8);

static_assert(sizeof(struct sl_eth_link) == sizeof(uint64_t), "link must fit one atomic store");

/** Buffer size for sl_eth_link_to_str(). */
#define SL_ETH_LINK_MAX_STR_LEN 48

/* ---- Configuration ---- */

/** How RX traffic is spread over queues. */
enum sl_eth_rx_mq_mode {
	SL_ETH_MQ_RX_NONE = 0, /**< Everything goes to queue 0 (or as the driver decides). */
	SL_ETH_MQ_RX_RSS,      /**< Receive side scaling by hash. */
};

/* RSS hash inputs (sl_eth_rss_conf.rss_hf). */
#define SL_ETH_RSS_IPV4 (1ULL << 0) /**< hash IPv4 addresses */
#define SL_ETH_RSS_NONFRAG_IPV4_TCP (1ULL << 1) /**< hash IPv4 addresses and TCP ports (not fragments) */
#define SL_ETH_RSS_NONFRAG_IPV4_UDP (1ULL << 2) /**< hash IPv4 addresses and UDP ports (not fragments) */
#define SL_ETH_RSS_IPV6 (1ULL << 3) /**< hash IPv6 addresses */
#define SL_ETH_RSS_NONFRAG_IPV6_TCP (1ULL << 4) /**< hash IPv6 addresses and TCP ports (not fragments) */
#define SL_ETH_RSS_NONFRAG_IPV6_UDP (1ULL << 5) /**< hash IPv6 addresses and UDP ports (not fragments) */
#define SL_ETH_RSS_IP (SL_ETH_RSS_IPV4 | SL_ETH_RSS_IPV6) /**< IPv4 and IPv6 addresses */
#define SL_ETH_RSS_TCP (SL_ETH_RSS_NONFRAG_IPV4_TCP | SL_ETH_RSS_NONFRAG_IPV6_TCP) /**< TCP over IPv4 and IPv6 */
#define SL_ETH_RSS_UDP (SL_ETH_RSS_NONFRAG_IPV4_UDP | SL_ETH_RSS_NONFRAG_IPV6_UDP) /**< UDP over IPv4 and IPv6 */

/** RSS settings; used when rxmode.mq_mode is SL_ETH_MQ_RX_RSS. */
struct sl_eth_rss_conf {
	const uint8_t *rss_key; /**< Hash key, or NULL for the driver's default. */
	uint8_t rss_key_len;    /**< Bytes in rss_key. */
	uint64_t rss_hf;        /**< SL_ETH_RSS_* inputs to hash on. */
};

/** RETA entries per struct sl_eth_rss_reta_entry64. */
#define SL_ETH_RETA_GROUP_SIZE 64
/** Most RETA entries a port may report (dev_info.reta_size). */
#define SL_ETH_RSS_RETA_SIZE_MAX 512

/**
 * One group of 64 redirection-table entries.  Entry i of the table is
 * group i / 64, slot i % 64; only slots whose bit is set in @p mask are
 * written (update) or read (query).
 */
struct sl_eth_rss_reta_entry64 {
	uint64_t mask;                          /**< Slots to update or query. */
	uint16_t reta[SL_ETH_RETA_GROUP_SIZE];  /**< RX queue of each slot. */
};

/** Port-wide RX settings. */
struct sl_eth_rxmode {
	enum sl_eth_rx_mq_mode mq_mode; /**< Multi-queue mode. */
	uint32_t mtu;      /**< MTU in bytes (L3 payload); 0 means SL_ETHER_MTU. */
	uint64_t offloads; /**< SL_ETH_RX_OFFLOAD_* for every queue. */
};

/** Port-wide TX settings. */
struct sl_eth_txmode {
	uint64_t offloads; /**< SL_ETH_TX_OFFLOAD_* for every queue. */
};

/** Argument of sl_eth_dev_configure(); zero-initialise, then set what you need. */
struct sl_eth_conf {
	uint32_t link_speeds;        /**< SL_ETH_LINK_SPEED_*; 0 = autonegotiate. */
	struct sl_eth_rxmode rxmode; /**< RX settings. */
	struct sl_eth_txmode txmode; /**< TX settings. */
	struct {
		struct sl_eth_rss_conf rss_conf;
	} rx_adv_conf;               /**< Advanced RX settings. */
	uint32_t lpbk_mode;          /**< Driver-specific loopback; 0 = off. */
};

/** Per-queue RX settings; NULL in sl_eth_rx_queue_setup() means dev_info.default_rxconf. */
struct sl_eth_rxconf {
	uint16_t rx_free_thresh; /**< Refill descriptors in batches of this many. */
	uint8_t rx_drop_en;      /**< Drop packets when no descriptor is free. */
	uint64_t offloads;       /**< Queue offloads on top of rxmode.offloads. */
};

/** Per-queue TX settings; NULL in sl_eth_tx_queue_setup() means dev_info.default_txconf. */
struct sl_eth_txconf {
	uint16_t tx_free_thresh; /**< Reclaim sent descriptors when fewer than this are free. */
	uint16_t tx_rs_thresh;   /**< Ask for a completion report every this many descriptors. */
	uint64_t offloads;       /**< Queue offloads on top of txmode.offloads. */
};

/** Descriptor-count limits of a queue. */
struct sl_eth_desc_lim {
	uint16_t nb_max;   /**< Most descriptors. */
	uint16_t nb_min;   /**< Fewest descriptors. */
	uint16_t nb_align; /**< nb_desc must be a multiple of this. */
};

/** Sizes the driver suggests; 0 means "no preference". */
struct sl_eth_dev_portconf {
	uint16_t burst_size; /**< Packets per burst call. */
	uint16_t ring_size;  /**< Descriptors per queue. */
	uint16_t nb_queues;  /**< Queues. */
};

/** What a port can do; filled by sl_eth_dev_info_get(). */
struct sl_eth_dev_info {
	const char *driver_name;    /**< e.g. "net_null". */
	unsigned int if_index;      /**< Kernel interface index, 0 if none. */
	uint16_t min_mtu;           /**< Smallest MTU sl_eth_mtu_set() accepts. */
	uint16_t max_mtu;           /**< Largest MTU sl_eth_mtu_set() accepts. */
	uint32_t min_rx_bufsize;    /**< Smallest mbuf data room (after headroom) for RX. */
	uint32_t max_rx_pktlen;     /**< Longest frame the port can receive. */
	uint16_t max_rx_queues;     /**< Most RX queues. */
	uint16_t max_tx_queues;     /**< Most TX queues. */
	uint32_t max_mac_addrs;     /**< Unicast addresses the port can filter on. */
	uint64_t rx_offload_capa;   /**< SL_ETH_RX_OFFLOAD_* supported. */
	uint64_t tx_offload_capa;   /**< SL_ETH_TX_OFFLOAD_* supported. */
	uint64_t flow_type_rss_offloads; /**< SL_ETH_RSS_* supported; 0 = no RSS. */
	uint16_t hash_key_size;     /**< RSS key bytes. */
	struct sl_eth_rxconf default_rxconf; /**< Used when queue setup gets NULL. */
	struct sl_eth_txconf default_txconf; /**< Used when queue setup gets NULL. */
	struct sl_eth_desc_lim rx_desc_lim;  /**< RX descriptor limits. */
	struct sl_eth_desc_lim tx_desc_lim;  /**< TX descriptor limits. */
	struct sl_eth_dev_portconf default_rxportconf; /**< Suggested RX sizes. */
	struct sl_eth_dev_portconf default_txportconf; /**< Suggested TX sizes. */
	uint32_t speed_capa;        /**< SL_ETH_LINK_SPEED_* supported. */
	uint16_t nb_rx_queues;      /**< Configured RX queues (0 before configure). */
	uint16_t nb_tx_queues;      /**< Configured TX queues (0 before configure). */
	/**
	 * Entries in the RSS redirection table (a multiple of
	 * SL_ETH_RETA_GROUP_SIZE); 0 when the port has no RETA.
	 */
	uint16_t reta_size;
};

/* ---- Statistics ---- */

/**
 * Basic counters.  Per-queue counters exist for queues below
 * SL_ETH_QUEUE_STAT_CNTRS; the port totals count every queue.
 */
struct sl_eth_stats {
	uint64_t ipackets;  /**< Packets received. */
	uint64_t opackets;  /**< Packets accepted for transmission. */
	uint64_t ibytes;    /**< Bytes received. */
	uint64_t obytes;    /**< Bytes accepted for transmission. */
	uint64_t imissed;   /**< Packets the device dropped: RX queue full. */
	uint64_t ierrors;   /**< Bad packets received. */
	uint64_t oerrors;   /**< Packets the device failed to send. */
	uint64_t rx_nombuf; /**< RX mbuf allocation failures. */
	uint64_t q_ipackets[SL_ETH_QUEUE_STAT_CNTRS]; /**< Per-queue ipackets. */
	uint64_t q_opackets[SL_ETH_QUEUE_STAT_CNTRS]; /**< Per-queue opackets. */
	uint64_t q_ibytes[SL_ETH_QUEUE_STAT_CNTRS];   /**< Per-queue ibytes. */
	uint64_t q_obytes[SL_ETH_QUEUE_STAT_CNTRS];   /**< Per-queue obytes. */
	uint64_t q_errors[SL_ETH_QUEUE_STAT_CNTRS];   /**< Per-queue RX errors + drops. */
};

/** One extended statistic: id indexes the name table of sl_eth_xstats_get_names(). */
struct sl_eth_xstat {
	uint64_t id;    /**< Index into the names. */
	uint64_t value; /**< Counter value. */
};

/** Name of one extended statistic. */
struct sl_eth_xstat_name {
	char name[SL_ETH_XSTATS_NAME_SIZE]; /**< NUL-terminated name, e.g. "rx_q0_bytes" */
};

/* ---- Port registry ---- */

/**
 * @return the next valid (attached) port id >= @p port_id, or
 *         SL_MAX_ETHPORTS if there is none.
 */
uint16_t sl_eth_find_next(uint16_t port_id);

/** Iterate @p p (a uint16_t) over every attached port. */
#define SL_ETH_FOREACH_DEV(p) \
	for ((p) = sl_eth_find_next(0); (p) < SL_MAX_ETHPORTS; (p) = sl_eth_find_next((p) + 1))

/** @return 1 if @p port_id is an attached port, else 0. */
int sl_eth_dev_is_valid_port(uint16_t port_id);

/** @return number of attached ports. */
uint16_t sl_eth_dev_count_avail(void);

/**
 * Look a port up by name (e.g. "net_null0").
 * @return 0 and *port_id set, -EINVAL if an argument is NULL,
 *         -ENODEV if no port has that name.
 */
int sl_eth_dev_get_port_by_name(const char *name, uint16_t *port_id);

/**
 * Copy a port's name into @p name, which must hold SL_ETH_NAME_MAX_LEN bytes.
 * @return 0, -EINVAL if @p name is NULL, -ENODEV for a bad port.
 */
int sl_eth_dev_get_name_by_port(uint16_t port_id, char *name);

/**
 * @return the NUMA socket of the port, SL_SOCKET_ID_ANY if unknown.  For a
 *         bad port it returns SL_SOCKET_ID_ANY and sets errno to ENODEV.
 */
int sl_eth_dev_socket_id(uint16_t port_id);

/**
 * Fill @p info with the port's capabilities and limits.
 * @return 0, -EINVAL if @p info is NULL, -ENODEV for a bad port, or the
 *         driver's error.
 */
int sl_eth_dev_info_get(uint16_t port_id, struct sl_eth_dev_info *info);

/* ---- Life cycle ---- */

/**
 * Configure a stopped port: queue counts, MTU, offloads, RSS.  Existing
 * queues are released.
 *
 * @param port_id the port
 * @param nb_rx_queues 1..dev_info.max_rx_queues.
 * @param nb_tx_queues 1..dev_info.max_tx_queues.
 * @param conf         NULL means all defaults.
 * @return 0; -ENODEV bad port; -EBUSY port started (stop it first);
 *         -EINVAL queue count 0 or above the limit, MTU outside
 *         [min_mtu, max_mtu], unsupported offload or RSS hash, RSS on a
 *         port without RSS; -ENOMEM; or the driver's error.
 */
int sl_eth_dev_configure(uint16_t port_id, uint16_t nb_rx_queues, uint16_t nb_tx_queues,
			 const struct sl_eth_conf *conf);

/**
 * Set up (or replace) RX queue @p queue_id of a configured, stopped port.
 *
 * @param port_id the port (configured, stopped)
 * @param queue_id RX queue, below the configured count
 * @param nb_desc   0 means the driver's default; else within
 *                  dev_info.rx_desc_lim and a multiple of its nb_align.
 * @param socket_id NUMA socket for the ring, or SL_SOCKET_ID_ANY.
 * @param rx_conf   NULL means dev_info.default_rxconf.
 * @param mp        mbuf pool RX buffers come from.  Its data room minus
 *                  headroom must be >= dev_info.min_rx_bufsize, and it must
 *                  hold more mbufs than the RX queues of this port that use
 *                  it can keep (sum of their nb_desc).
 * @return 0; -ENODEV bad port; -EINVAL port not configured, queue id
 *         >= configured count, nb_desc outside limits or misaligned, NULL or
 *         non-mbuf pool, mbufs too small, queue offload not supported;
 *         -ENOSPC pool too small for the queues; -EBUSY port started;
 *         -ENOMEM; or the driver's error.
 */
int sl_eth_rx_queue_setup(uint16_t port_id, uint16_t queue_id, uint16_t nb_desc,
			  int socket_id, const struct sl_eth_rxconf *rx_conf,
			  struct sl_mempool *mp);

/**
 * Set up (or replace) TX queue @p queue_id of a configured, stopped port.
 *
 * @param port_id the port (configured, stopped)
 * @param queue_id TX queue, below the configured count
 * @param nb_desc   0 means the driver's default; else within
 *                  dev_info.tx_desc_lim and a multiple of its nb_align.
 * @param socket_id NUMA socket for the ring, or SL_SOCKET_ID_ANY.
 * @param tx_conf   NULL means dev_info.default_txconf.
 * @return 0; -ENODEV bad port; -EINVAL port not configured, queue id out of
 *         range, nb_desc outside limits or misaligned, offload not
 *         supported; -EBUSY port started; -ENOMEM; or the driver's error.
 */
int sl_eth_tx_queue_setup(uint16_t port_id, uint16_t queue_id, uint16_t nb_desc,
			  int socket_id, const struct sl_eth_txconf *tx_conf);

/**
 * Start a configured port whose queues are all set up.  Starting a started
 * port is a no-op that returns 0.
 * @return 0; -ENODEV bad port; -EINVAL not configured or a queue not set
 *         up (the message names it); -ENOSPC the RX queues sharing a pool
 *         need more mbufs than it has; or the driver's error.
 */
int sl_eth_dev_start(uint16_t port_id);

/**
 * Stop a started port; its queues and configuration are kept.  Stopping a
 * stopped port returns 0.  No thread may be polling the port.
 * @return 0, -ENODEV bad port, or the driver's error.
 */
int sl_eth_dev_stop(uint16_t port_id);

/**
 * Close a port: stop it if needed, release its queues and driver state, and
 * free its slot (the id may be reused by a later port).
 * @return 0, -ENODEV bad port, or the driver's error (the port is released
 *         anyway).
 */
int sl_eth_dev_close(uint16_t port_id);

/** @return 1 if started, 0 if not, -ENODEV for a bad port. */
int sl_eth_dev_is_started(uint16_t port_id);

/* ---- Queue start / stop ---- */

/**
 * Start RX queue @p queue_id of a started port again after
 * sl_eth_dev_rx_queue_stop().  sl_eth_dev_start() starts every queue, so
 * this is only needed after a queue stop.  Starting a running queue
 * returns 0.
 * @return 0; -ENODEV bad port; -EINVAL queue id >= the configured count
 *         (the log names both) or port not started; -ENOTSUP the driver
 *         cannot start/stop single queues; or the driver's error.
 */
int sl_eth_dev_rx_queue_start(uint16_t port_id, uint16_t queue_id);

/**
 * Stop RX queue @p queue_id of a started port: its burst call returns 0
 * and the device stops filling it (frames for it are dropped and counted
 * in imissed); the other queues keep running.  The polling thread may keep
 * calling sl_eth_rx_burst() on it.  Stopping a stopped queue returns 0.
 * @return as sl_eth_dev_rx_queue_start().
 */
int sl_eth_dev_rx_queue_stop(uint16_t port_id, uint16_t queue_id);

/** As sl_eth_dev_rx_queue_start(), for TX queue @p queue_id. */
int sl_eth_dev_tx_queue_start(uint16_t port_id, uint16_t queue_id);

/**
 * Stop TX queue @p queue_id of a started port: its burst call accepts
 * nothing (returns 0) until the queue is started again.
 * @return as sl_eth_dev_rx_queue_start().
 */
int sl_eth_dev_tx_queue_stop(uint16_t port_id, uint16_t queue_id);

/** Queue states (sl_eth_dev_data.rx_queue_state / tx_queue_state). */
#define SL_ETH_QUEUE_STATE_STOPPED 0 /**< the queue moves no packets */
#define SL_ETH_QUEUE_STATE_STARTED 1 /**< the queue moves packets */

/* ---- Receive side scaling ---- */

/**
 * Change the RSS hash types and/or key of a port configured with
 * rxmode.mq_mode = SL_ETH_MQ_RX_RSS.  Takes effect at once, started or not.
 * @param port_id the port
 * @param rss_conf rss_hf: SL_ETH_RSS_* within dev_info.flow_type_rss_offloads
 *                 (0 stops hashing: every packet goes to RETA entry 0's
 *                 queue); rss_key: NULL keeps the current key, else
 *                 rss_key_len must be dev_info.hash_key_size.
 * @return 0; -ENODEV bad port; -EINVAL NULL @p rss_conf, port not
 *         configured for RSS, hash type not supported, wrong key length;
 *         -ENOTSUP the port has no RSS; or the driver's error.
 */
int sl_eth_dev_rss_hash_update(uint16_t port_id, const struct sl_eth_rss_conf *rss_conf);

/**
 * Read the RSS hash types and key in use.
 * @param port_id the port
 * @param rss_conf receives rss_hf and rss_key_len (dev_info.hash_key_size);
 *                 rss_key is set to @p key (or NULL when @p key is NULL).
 * @param key      NULL, or a buffer of @p key_size bytes for the key.
 * @param key_size at least dev_info.hash_key_size when @p key is given.
 * @return 0; -ENODEV bad port; -EINVAL NULL @p rss_conf, key buffer too
 *         small (the log gives the size), port not configured; -ENOTSUP
 *         the port has no RSS; or the driver's error.
 */
int sl_eth_dev_rss_hash_conf_get(uint16_t port_id, struct sl_eth_rss_conf *rss_conf,
				 uint8_t *key, uint16_t key_size);

/**
 * Write redirection-table entries: entry i sends hash values with
 * (hash % reta_size) == i to RX queue reta_conf[i / 64].reta[i % 64], for
 * each i whose mask bit is set.  After sl_eth_dev_configure() the table
 * spreads round-robin over the configured RX queues.
 * @param port_id the port
 * @param reta_conf reta_size / SL_ETH_RETA_GROUP_SIZE groups.
 * @param reta_size must equal dev_info.reta_size.
 * @return 0; -ENODEV bad port; -EINVAL NULL @p reta_conf, wrong size (the
 *         log gives the port's), an entry naming a queue >= the configured
 *         RX queues (the log names entry and queue), port not configured
 *         for RSS; -ENOTSUP the port has no RETA; or the driver's error.
 *         Nothing is written when an argument is refused.
 */
int sl_eth_dev_rss_reta_update(uint16_t port_id, const struct sl_eth_rss_reta_entry64 *reta_conf,
			       uint16_t reta_size);

/**
 * Read redirection-table entries (those whose mask bit is set).
 * @return 0; -ENODEV bad port; -EINVAL NULL @p reta_conf, wrong size,
 *         port not configured; -ENOTSUP the port has no RETA; or the
 *         driver's error.
 */
int sl_eth_dev_rss_reta_query(uint16_t port_id, struct sl_eth_rss_reta_entry64 *reta_conf,
			      uint16_t reta_size);

/* ---- Link ---- */

/**
 * Read the link state, letting the driver wait (up to a few seconds) for
 * autonegotiation to finish.
 * @return 0, -EINVAL NULL @p link, -ENODEV bad port, or the driver's
 *         error.  (A driver without link reporting gives its stored state.)
 */
int sl_eth_link_get(uint16_t port_id, struct sl_eth_link *link);

/** Like sl_eth_link_get() but never waits. Same errors. */
int sl_eth_link_get_nowait(uint16_t port_id, struct sl_eth_link *link);

/**
 * Format a link as e.g. "Link up at 10 Gbps FDX Autoneg" or "Link down".
 * @return characters written (as snprintf), or -EINVAL for NULL arguments.
 */
int sl_eth_link_to_str(char *str, size_t len, const struct sl_eth_link *link);

/** @return "10 Mbps", "1 Gbps", ..., "None" or "Unknown"; never NULL. */
const char *sl_eth_link_speed_to_str(uint32_t link_speed);

/* ---- Statistics ---- */

/**
 * Read the basic counters.  rx_nombuf includes failures counted by ethdev
 * on behalf of the driver.
 * @return 0, -EINVAL NULL @p stats, -ENODEV bad port, -ENOTSUP, or the
 *         driver's error.
 */
int sl_eth_stats_get(uint16_t port_id, struct sl_eth_stats *stats);

/**
 * Zero the basic counters (and so the generic extended ones).
 * @return 0, -ENODEV bad port, -ENOTSUP, or the driver's error.
 */
int sl_eth_stats_reset(uint16_t port_id);

/**
 * Names of the extended statistics: first the generic ones built from the
 * basic counters ("rx_good_packets", "tx_good_bytes", "rx_q0_packets", ...),
 * then the driver's own.
 *
 * @param port_id the port
 * @param names NULL to ask for the count.
 * @param size  entries in @p names.
 * @return the number of statistics; if that is > @p size nothing was
 *         written (call again with a bigger array).  -ENODEV bad port, or
 *         the driver's error.
 */
int sl_eth_xstats_get_names(uint16_t port_id, struct sl_eth_xstat_name *names,
			    unsigned int size);

/**
 * Values of the extended statistics, in the order of the names.
 * @param port_id the port
 * @param xstats NULL to ask for the count.
 * @param n      entries in @p xstats.
 * @return the number of statistics; if > @p n nothing was written.
 *         -ENODEV bad port, or the driver's error.
 */
int sl_eth_xstats_get(uint16_t port_id, struct sl_eth_xstat *xstats, unsigned int n);

/**
 * Find the id of an extended statistic by name.
 * @return 0 and *id set, -EINVAL NULL argument, -ENODEV bad port, -ENOENT
 *         no statistic has that name.
 */
int sl_eth_xstats_get_id_by_name(uint16_t port_id, const char *xstat_name, uint64_t *id);

/**
 * Read selected extended statistics.
 * @param port_id the port
 * @param ids    ids from sl_eth_xstats_get_id_by_name() / the names order.
 * @param values receives one value per id.
 * @param n      number of ids.
 * @return @p n, -EINVAL NULL argument or an id out of range (named in the
 *         log), -ENODEV bad port, or the driver's error.
 */
int sl_eth_xstats_get_by_id(uint16_t port_id, const uint64_t *ids, uint64_t *values,
			    unsigned int n);

/**
 * Zero the basic counters and the driver's extended ones.
 * @return 0, -ENODEV bad port, or the driver's error.
 */
int sl_eth_xstats_reset(uint16_t port_id);

/* ---- Receive filters ---- */

/** Receive every unicast frame. @return 0, -ENODEV, -ENOTSUP, or driver error. */
int sl_eth_promiscuous_enable(uint16_t port_id);
/** Receive only frames for the port's addresses. Same errors. */
int sl_eth_promiscuous_disable(uint16_t port_id);
/** @return 1 if promiscuous, 0 if not, -ENODEV for a bad port. */
int sl_eth_promiscuous_get(uint16_t port_id);
/** Receive every multicast frame. @return 0, -ENODEV, -ENOTSUP, or driver error. */
int sl_eth_allmulticast_enable(uint16_t port_id);
/** Stop receiving all multicast. Same errors. */
int sl_eth_allmulticast_disable(uint16_t port_id);
/** @return 1 if all-multicast, 0 if not, -ENODEV for a bad port. */
int sl_eth_allmulticast_get(uint16_t port_id);

/* ---- MAC address and MTU ---- */

/** Read the port's MAC address. @return 0, -EINVAL NULL @p mac, -ENODEV. */
int sl_eth_macaddr_get(uint16_t port_id, struct sl_ether_addr *mac);

/**
 * Change the port's MAC address.
 * @return 0; -EINVAL NULL, zero or multicast address; -ENODEV; -ENOTSUP;
 *         or the driver's error.
 */
int sl_eth_macaddr_set(uint16_t port_id, const struct sl_ether_addr *mac);

/** Read the MTU. @return 0, -EINVAL NULL @p mtu, -ENODEV. */
int sl_eth_mtu_get(uint16_t port_id, uint16_t *mtu);

/**
 * Change the MTU.
 * @return 0; -EINVAL outside [dev_info.min_mtu, dev_info.max_mtu] (the log
 *         gives the range), or the frame would not fit the RX mbufs of a
 *         set-up queue without SL_ETH_RX_OFFLOAD_SCATTER; -ENODEV; -ENOTSUP;
 *         -EBUSY if the driver cannot change it while started; or the
 *         driver's error.
 */
int sl_eth_mtu_set(uint16_t port_id, uint16_t mtu);

/** Most addresses sl_eth_dev_set_mc_addr_list() takes. */
#define SL_ETH_MC_ADDR_MAX 128

/**
 * Replace the port's multicast filter: frames to these group addresses are
 * received (besides the port's own address and broadcast) when the port is
 * neither promiscuous nor all-multicast.  An empty list (@p nb_mc_addr 0)
 * removes every group.  Hash-based filters (the Intel MTA) may let other
 * groups with the same hash through as well.
 * @return 0; -EINVAL NULL @p mc_addrs with a non-zero count, more than
 *         SL_ETH_MC_ADDR_MAX addresses, or an address that is not multicast
 *         (the log names it); -ENODEV; -ENOTSUP the driver has no multicast
 *         filter; or the driver's error.
 */
int sl_eth_dev_set_mc_addr_list(uint16_t port_id, const struct sl_ether_addr *mc_addrs,
				uint32_t nb_mc_addr);

/* ---- Fast path ---- */

/**
 * Receive burst function of a driver.
 * @param nb_pkts room in @p rx_pkts
 * @param rxq     the queue's private data (set up by the driver).
 * @param rx_pkts receives up to @p nb_pkts mbufs.
 * @return number of mbufs stored in @p rx_pkts.
 */
typedef uint16_t (*sl_eth_rx_burst_t)(void *rxq, struct sl_mbuf **rx_pkts, uint16_t nb_pkts);

/**
 * Transmit burst function of a driver.
 * @return number of mbufs taken from the front of @p tx_pkts; the driver
 *         now owns (and frees) those, the caller still owns the rest.
 */
typedef uint16_t (*sl_eth_tx_burst_t)(void *txq, struct sl_mbuf **tx_pkts, uint16_t nb_pkts);

/**
 * Per-port entry of the fast-path table: everything a burst call reads, in
 * one cache line, so that polling N ports touches N lines besides the queue
 * data.  ethdev fills it at start and resets it at stop (burst functions
 * that return 0, queue arrays whose entries are NULL).  Not for
 * applications to touch; it is in this header only so that the burst calls
 * can be inline.
 */
struct sl_eth_fp_ops {
	sl_eth_rx_burst_t rx_pkt_burst; /**< Driver RX burst. */
	sl_eth_tx_burst_t tx_pkt_burst; /**< Driver TX burst. */
	void **rxq_data;                /**< rxq_data[q]: driver data of RX queue q. */
	void **txq_data;                /**< txq_data[q]: driver data of TX queue q. */
	uint16_t nb_rx_queues;          /**< Checked only with SL_ETHDEV_DEBUG. */
	uint16_t nb_tx_queues;          /**< Checked only with SL_ETHDEV_DEBUG. */
} __sl_cache_aligned;

/* The burst calls depend on this layout: one line per port, pointers first. */
static_assert(sizeof(struct sl_eth_fp_ops) == SL_CACHE_LINE_SIZE, "fp ops must be one cache line");
static_assert(offsetof(struct sl_eth_fp_ops, rx_pkt_burst) == 0, "fp ops layout");
static_assert(offsetof(struct sl_eth_fp_ops, rxq_data) == 2 * sizeof(void *), "fp ops layout");

/** The fast-path table, indexed by port id. */
extern struct sl_eth_fp_ops sl_eth_fp_ops[SL_MAX_ETHPORTS];

/**
 * Receive up to @p nb_pkts packets from RX queue @p queue_id of a started
 * port.  No checks: the port must be valid and the queue set up (compile
 * with -DSL_ETHDEV_DEBUG to have out-of-range ids return 0).  On a stopped
 * port it returns 0.
 * @return number of mbufs written to @p rx_pkts; the caller owns them.
 */
static inline uint16_t
sl_eth_rx_burst(uint16_t port_id, uint16_t queue_id, struct sl_mbuf **rx_pkts,
		uint16_t nb_pkts)
{
	const struct sl_eth_fp_ops *fp = &sl_eth_fp_ops[port_id];

#ifdef SL_ETHDEV_DEBUG
	if (port_id >= SL_MAX_ETHPORTS || queue_id >= SL_ETH_MAX_QUEUES_PER_PORT ||
	    (fp->nb_rx_queues != 0 && queue_id >= fp->nb_rx_queues))
		return 0;
#endif
	return fp->rx_pkt_burst(fp->rxq_data[queue_id], rx_pkts, nb_pkts);
}

/**
 * Send up to @p nb_pkts packets on TX queue @p queue_id of a started port.
 * Same (absence of) checks as sl_eth_rx_burst().
 * @return number of packets accepted, from the front of @p tx_pkts; the
 *         caller still owns (and must free or retry) the others.
 */
static inline uint16_t
sl_eth_tx_burst(uint16_t port_id, uint16_t queue_id, struct sl_mbuf **tx_pkts,
		uint16_t nb_pkts)
{
	const struct sl_eth_fp_ops *fp = &sl_eth_fp_ops[port_id];

#ifdef SL_ETHDEV_DEBUG
	if (port_id >= SL_MAX_ETHPORTS || queue_id >= SL_ETH_MAX_QUEUES_PER_PORT ||
	    (fp->nb_tx_queues != 0 && queue_id >= fp->nb_tx_queues))
		return 0;
#endif
	return fp->tx_pkt_burst(fp->txq_data[queue_id], tx_pkts, nb_pkts);
}

#ifdef __cplusplus
}
#endif

#endif /* SL_ETHDEV_H */
