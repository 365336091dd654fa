/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Ethernet device API for driver (PMD) writers.  See doc/writing-a-pmd.md
 * for a walk-through.
 *
 * A driver's probe function:
 *  1. sl_eth_dev_allocate(name) to get a port slot (state: allocated, not
 *     yet visible to applications);
 *  2. fills dev->data (dev_private, mac_addr, mtu, socket_id), sets
 *     dev->dev_ops and the burst functions dev->rx_pkt_burst/tx_pkt_burst;
 *  3. sl_eth_dev_probing_finish(dev): the port becomes visible (attached).
 * On a probe error after step 1 it calls sl_eth_dev_release(dev).
 *
 * ethdev validates every application argument against dev_info before it
 * calls an op, so ops see only sane values: queue ids below the configured
 * count, nb_desc within the limits (0 replaced by the default), a port in
 * the right state.  Ops run on the control thread, never concurrently with
 * each other.
 *
 * Op return values: 0 or a negative errno.  Ops marked "required" must be
 * set; a NULL optional op makes the matching API call return -ENOTSUP
 * (except where noted).
 */
#ifndef SL_ETHDEV_DRIVER_H
#define SL_ETHDEV_DRIVER_H

#include <stdint.h>

#include "sl_common.h"
#include "sl_ethdev.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sl_eth_dev;

/** Where a port slot is in its life cycle. */
enum sl_eth_dev_state {
	SL_ETH_DEV_UNUSED = 0,  /**< Free slot. */
	SL_ETH_DEV_ALLOCATED,   /**< Being probed; invisible to applications. */
	SL_ETH_DEV_ATTACHED,    /**< Probed; not configured. */
	SL_ETH_DEV_CONFIGURED,  /**< Configured (queues may or may not be set up); stopped. */
	SL_ETH_DEV_STARTED,     /**< Running: burst calls move packets. */
};

/**
 * Driver operations.  Keep the table `static const`.
 */
struct sl_eth_dev_ops {
	/**
	 * (required) Report limits and capabilities.  ethdev zeroes @p info and
	 * fills driver_name, nb_rx/tx_queues and defaults for the limits
	 * (1 queue, desc limits 1..65535 align 1, MTU 68..1500, min_rx_bufsize 0)
	 * before the call; the op overwrites what applies.
	 */
	int (*dev_infos_get)(struct sl_eth_dev *dev, struct sl_eth_dev_info *info);

	/**
	 * (optional) Apply dev->data->dev_conf.  Queue counts are already in
	 * dev->data->nb_rx/tx_queues and the queue pointer arrays are sized.
	 */
	int (*dev_configure)(struct sl_eth_dev *dev);

	/** (required) Start RX/TX on every set-up queue; may refresh the link. */
	int (*dev_start)(struct sl_eth_dev *dev);
	/** (required) Stop RX/TX.  Queues stay set up and keep their mbufs or free them. */
	int (*dev_stop)(struct sl_eth_dev *dev);
	/**
	 * (optional) Free what probe allocated, dev->data->dev_private included
	 * (ethdev never frees it).  Queues are released (through the release
	 * ops) before this is called; the slot is freed after it.
	 */
	int (*dev_close)(struct sl_eth_dev *dev);

	/**
	 * (optional; NULL: link get reports dev->data->dev_link as it is)
	 * Refresh dev->data->dev_link with sl_eth_linkstatus_set().
	 * @param wait_to_complete non-zero: may wait (bounded) for autoneg.
	 */
	int (*link_update)(struct sl_eth_dev *dev, int wait_to_complete);

	/**
	 * (optional) Fill the basic counters.  ethdev zeroes @p stats first and
	 * adds dev->data->rx_mbuf_alloc_failed to rx_nombuf afterwards.
	 */
	int (*stats_get)(struct sl_eth_dev *dev, struct sl_eth_stats *stats);
	/** (optional) Zero the basic counters. */
	int (*stats_reset)(struct sl_eth_dev *dev);

	/**
	 * (optional) Driver-specific extended statistics, listed after the
	 * generic ones.  Same convention as the API: return the count; write
	 * nothing if it exceeds @p n.  Ids are 0-based within the driver's
	 * list (ethdev adds the offset).
	 */
	int (*xstats_get)(struct sl_eth_dev *dev, struct sl_eth_xstat *xstats, unsigned int n);
	/** (optional, with xstats_get) Names, same order and convention. */
	int (*xstats_get_names)(struct sl_eth_dev *dev, struct sl_eth_xstat_name *names,
				unsigned int size);
	/** (optional) Zero the driver's extended counters. */
	int (*xstats_reset)(struct sl_eth_dev *dev);

	/** (optional) Receive filters.  ethdev keeps dev->data->promiscuous etc. */
	int (*promiscuous_enable)(struct sl_eth_dev *dev);
	int (*promiscuous_disable)(struct sl_eth_dev *dev);     /**< (optional) */
	int (*allmulticast_enable)(struct sl_eth_dev *dev);     /**< (optional) */
	int (*allmulticast_disable)(struct sl_eth_dev *dev);    /**< (optional) */

	/** (optional) Program @p mac; ethdev then stores it in dev->data->mac_addr. */
	int (*mac_addr_set)(struct sl_eth_dev *dev, const struct sl_ether_addr *mac);

	/** (optional) Apply @p mtu (already range-checked); ethdev then stores it. */
	int (*mtu_set)(struct sl_eth_dev *dev, uint16_t mtu);

	/**
	 * (required) Create RX queue @p queue_id and store its data pointer in
	 * dev->data->rx_queues[queue_id].  Any previous queue there has been
	 * released already.  @p conf is never NULL.
	 */
	int (*rx_queue_setup)(struct sl_eth_dev *dev, uint16_t queue_id, uint16_t nb_desc,
			      int socket_id, const struct sl_eth_rxconf *conf,
			      struct sl_mempool *mp);
	/** (required) As rx_queue_setup, for dev->data->tx_queues[]. */
	int (*tx_queue_setup)(struct sl_eth_dev *dev, uint16_t queue_id, uint16_t nb_desc,
			      int socket_id, const struct sl_eth_txconf *conf);
	/**
	 * (required) Free RX queue @p queue_id (never NULL when called) and any
	 * mbufs it holds.  ethdev clears the pointer afterwards.
	 */
	void (*rx_queue_release)(struct sl_eth_dev *dev, uint16_t queue_id);
	/** (required) As rx_queue_release, for TX. */
	void (*tx_queue_release)(struct sl_eth_dev *dev, uint16_t queue_id);

	/**
	 * (optional) Start/stop one queue of a started port.  ethdev checks
	 * the id and the port state and keeps dev->data.rx/tx_queue_state;
	 * dev_start must start every queue and dev_stop stop them.  A stopped
	 * RX queue returns 0 from its burst; a stopped TX queue accepts nothing.
	 */
	int (*rx_queue_start)(struct sl_eth_dev *dev, uint16_t queue_id);
	int (*rx_queue_stop)(struct sl_eth_dev *dev, uint16_t queue_id);  /**< (optional) */
	int (*tx_queue_start)(struct sl_eth_dev *dev, uint16_t queue_id);  /**< (optional) */
	int (*tx_queue_stop)(struct sl_eth_dev *dev, uint16_t queue_id);   /**< (optional) */

	/**
	 * (optional; with flow_type_rss_offloads) Apply @p conf: rss_hf is
	 * within the port's types; rss_key is NULL (keep) or hash_key_size
	 * bytes.  May be called while started.
	 */
	int (*rss_hash_update)(struct sl_eth_dev *dev, const struct sl_eth_rss_conf *conf);
	/**
	 * (optional, with rss_hash_update) Fill conf->rss_hf and, when
	 * conf->rss_key is not NULL, copy hash_key_size bytes of key there
	 * (the buffer is ethdev's, cast away from const).
	 */
	int (*rss_hash_conf_get)(struct sl_eth_dev *dev, struct sl_eth_rss_conf *conf);
	/**
	 * (optional; with dev_info.reta_size) Write the entries selected by
	 * the masks.  @p size is dev_info.reta_size; every selected entry is
	 * below nb_rx_queues.  dev_configure should reset the table to a
	 * round-robin spread over the configured RX queues.
	 */
	int (*reta_update)(struct sl_eth_dev *dev, const struct sl_eth_rss_reta_entry64 *conf,
			   uint16_t size);
	/** (optional, with reta_update) Read the entries selected by the masks. */
	int (*reta_query)(struct sl_eth_dev *dev, struct sl_eth_rss_reta_entry64 *conf,
			  uint16_t size);

	/**
	 * (optional) Replace the multicast filter with @p nb addresses (at
	 * most SL_ETH_MC_ADDR_MAX, each checked to be multicast; @p mc is
	 * not NULL when @p nb is non-zero).  May be called while started.
	 */
	int (*set_mc_addr_list)(struct sl_eth_dev *dev, const struct sl_ether_addr *mc,
				uint32_t nb);
};

/**
 * Port data shared between ethdev and the driver.  ethdev owns the fields
 * it validates; the driver owns dev_private and may update dev_link (with
 * sl_eth_linkstatus_set()) and rx_mbuf_alloc_failed.
 */
struct sl_eth_dev_data {
	char name[SL_ETH_NAME_MAX_LEN]; /**< Unique port name, e.g. "net_null0". */
	uint16_t port_id;               /**< Index in the registry. */
	int socket_id;                  /**< NUMA socket, or SL_SOCKET_ID_ANY. */
	void *dev_private;              /**< Driver state (see dev_close). */

	void **rx_queues;               /**< nb_rx_queues driver queue pointers. */
	void **tx_queues;               /**< nb_tx_queues driver queue pointers. */
	uint16_t nb_rx_queues;          /**< Configured RX queues. */
	uint16_t nb_tx_queues;          /**< Configured TX queues. */
	struct sl_mempool **rx_mempools; /**< Pool of each RX queue (set by ethdev). */
	uint16_t *rx_nb_desc;           /**< nb_desc of each RX queue (set by ethdev). */
	uint8_t *rx_queue_state;        /**< SL_ETH_QUEUE_STATE_* of each RX queue (ethdev's). */
	uint8_t *tx_queue_state;        /**< SL_ETH_QUEUE_STATE_* of each TX queue (ethdev's). */

	struct sl_eth_conf dev_conf;    /**< Last configuration applied. */
	struct sl_eth_link dev_link;    /**< Link state; use sl_eth_linkstatus_set/get. */
	struct sl_ether_addr mac_addr;  /**< Current MAC address. */
	uint16_t mtu;                   /**< Current MTU. */
	uint8_t promiscuous;            /**< 1 if promiscuous. */
	uint8_t all_multicast;          /**< 1 if all-multicast. */

	/**
	 * RX mbuf allocation failures a driver counts per port rather than per
	 * queue; added to stats.rx_nombuf.  Only one thread may write it
	 * (single-queue drivers); multi-queue drivers keep per-queue counters
	 * and report them from stats_get instead.
	 */
	uint64_t rx_mbuf_alloc_failed;
};

/**
 * One port slot.  The burst pointers are copied into the fast-path table
 * (sl_eth_fp_ops) at start; a driver may change them before start (for
 * example to pick a vector or a copy variant from the configuration).
 */
struct sl_eth_dev {
	sl_eth_rx_burst_t rx_pkt_burst;      /**< Driver RX burst (required). */
	sl_eth_tx_burst_t tx_pkt_burst;      /**< Driver TX burst (required). */
	const struct sl_eth_dev_ops *dev_ops; /**< Driver operations (required). */
	void *device;                         /**< Bus device (vdev, pci), for the driver. */
	enum sl_eth_dev_state state;          /**< Life-cycle state (ethdev's). */
	struct sl_eth_dev_data data;          /**< Shared port data. */
};

/**
 * Take a free port slot for @p name.  The slot is zeroed, data.port_id,
 * data.name, data.mtu (SL_ETHER_MTU) and data.socket_id (SL_SOCKET_ID_ANY)
 * are set, and the state is SL_ETH_DEV_ALLOCATED.
 * @return the device, or NULL with errno EINVAL (NULL, empty or too long
 *         name), EEXIST (name in use) or ENOSPC (all SL_MAX_ETHPORTS used).
 */
struct sl_eth_dev *sl_eth_dev_allocate(const char *name);

/**
 * Make an allocated port visible to applications (state ATTACHED).
 * Checks that the driver set dev_ops (with the required ops) and both
 * burst functions.
 * @return 0, or -EINVAL (the log names what is missing).
 */
int sl_eth_dev_probing_finish(struct sl_eth_dev *dev);

/**
 * Free a port slot without calling any op (for probe error paths, or after
 * the driver has torn its state down).  Frees the queue pointer arrays but
 * not the queues or dev_private.
 * @return 0, or -EINVAL for NULL or an unused slot.
 */
int sl_eth_dev_release(struct sl_eth_dev *dev);

/** @return the slot named @p name that is allocated or attached, or NULL. */
struct sl_eth_dev *sl_eth_dev_allocated(const char *name);

/** @return the slot of a port that is at least allocated, or NULL (errno ENODEV). */
struct sl_eth_dev *sl_eth_dev_get(uint16_t port_id);

/**
 * Store a new link state atomically (readers never see a torn value).
 * @return 1 if it changed, 0 if not.
 */
int sl_eth_linkstatus_set(struct sl_eth_dev *dev, const struct sl_eth_link *link);

/** Read the link state atomically into @p link. */
void sl_eth_linkstatus_get(const struct sl_eth_dev *dev, struct sl_eth_link *link);

/* ---- Per-queue software counters (for stats_get / stats_reset) ---- */

/**
 * Counters of one RX or TX queue, as a software PMD keeps them.
 *
 * Only the thread that polls the queue writes them (the ethdev threading
 * contract), with sl_eth_queue_count(): relaxed atomic stores, plain moves
 * on x86-64, no locked instruction on the fast path.  The control thread
 * reads them with relaxed loads, so it never sees a torn value.  Reset
 * never writes them (that could race with the poller and be lost): it
 * records a baseline that reads subtract.
 */
struct sl_eth_queue_counters {
	uint64_t pkts;   /**< RX: packets received; TX: packets accepted */
	uint64_t bytes;  /**< bytes of those packets */
	uint64_t errors; /**< RX: bad packets dropped (ierrors); TX: failed sends (oerrors) */
	uint64_t missed; /**< RX: packets dropped for lack of room (imissed) */
	uint64_t nombuf; /**< RX: mbufs the pool could not supply (rx_nombuf) */
};

/** The counters of a queue and the baseline of the last reset. */
struct sl_eth_queue_stats {
	struct sl_eth_queue_counters cnt;  /**< written by the polling thread only */
	struct sl_eth_queue_counters base; /**< control thread only */
};

/** Add @p v to counter @p c of a queue polled by the calling thread. */
static __sl_always_inline void
sl_eth_queue_count(uint64_t *c, uint64_t v)
{
	/* Single writer: a relaxed load and store, no locked read-modify-write. */
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + v, __ATOMIC_RELAXED);
}

/**
 * stats_get for a PMD whose queues embed a struct sl_eth_queue_stats:
 * adds every set-up queue's counters since the last reset into @p st (port
 * totals, and the per-queue arrays for queues below
 * SL_ETH_QUEUE_STAT_CNTRS; q_errors is errors + missed).
 *
 * @param dev the port
 * @param st ethdev's zeroed statistics, added to
 * @param rxq_off offsetof(your RX queue struct, its sl_eth_queue_stats)
 * @param txq_off the same for the TX queue struct
 * @return 0 (can be returned by the op as it is).
 */
int sl_eth_queue_stats_sum(const struct sl_eth_dev *dev, struct sl_eth_stats *st,
			   size_t rxq_off, size_t txq_off);

/**
 * stats_reset for the same PMDs: every queue's baseline becomes its
 * current counters.
 * @return 0.
 */
int sl_eth_queue_stats_reset(struct sl_eth_dev *dev, size_t rxq_off, size_t txq_off);

#ifdef __cplusplus
}
#endif

#endif /* SL_ETHDEV_DRIVER_H */
