/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Logical cores (lcores): one pinned thread per enabled CPU.
 *
 * sl_eal_init() pins the calling thread to the main lcore and starts one
 * worker thread per other lcore, each pinned to its CPU.  Workers sleep
 * until sl_eal_remote_launch() hands them a function; sl_eal_wait_lcore()
 * collects the return value.  Lcore ids are the CPU ids given with -l
 * (or the lcore part of --lcores pairs such as 1@3).
 */
#ifndef SL_LCORE_H
#define SL_LCORE_H

#include <stdint.h>

#include "sl_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** sl_lcore_id() of a thread the EAL did not create. */
#define SL_LCORE_ID_ANY UINT32_MAX

/** Function run on an lcore; its return value goes to sl_eal_wait_lcore(). */
typedef int(sl_lcore_function_t)(void *arg);

/** State of a worker lcore. */
enum sl_lcore_state {
	SL_LCORE_WAIT,     /**< idle, ready for sl_eal_remote_launch() */
	SL_LCORE_RUNNING,  /**< running a launched function */
	SL_LCORE_FINISHED, /**< function returned, result not yet collected */
};

/*
 * initial-exec: these are read on every mempool get/put.  With the default
 * (global-dynamic) model each read from outside libsluice goes through
 * __tls_get_addr; initial-exec makes it one %fs-relative load.  The cost is a
 * few bytes of static TLS, which is fine for a library that is linked, not
 * dlopen()ed late.
 */
#define SL__TLS_IE __attribute__((tls_model("initial-exec")))
/** @internal per-thread lcore id; read it through sl_lcore_id(). */
extern __thread unsigned int sl__per_lcore_id SL__TLS_IE;
/** @internal per-thread NUMA socket; read it through sl_socket_id(). */
extern __thread int sl__per_lcore_socket SL__TLS_IE;

/**
 * @return the lcore id of the calling thread, or SL_LCORE_ID_ANY for a
 * thread the EAL did not create (and for everything before sl_eal_init()).
 */
static inline unsigned int
sl_lcore_id(void)
{
	return sl__per_lcore_id;
}

/**
 * @return the NUMA socket of the calling lcore; for non-EAL threads the
 * socket of the CPU the thread runs on now, or 0 without NUMA support.
 */
int sl_socket_id(void);

/** @return number of enabled lcores (0 before sl_eal_init()). */
unsigned int sl_lcore_count(void);

/** @return the main lcore id (SL_LCORE_ID_ANY before sl_eal_init()). */
unsigned int sl_get_main_lcore(void);

/** @return 1 if @p lcore_id is enabled, else 0 (also for ids out of range). */
int sl_lcore_is_enabled(unsigned int lcore_id);

/** @return the CPU @p lcore_id is pinned to, or -EINVAL if not enabled. */
int sl_lcore_to_cpu_id(unsigned int lcore_id);

/**
 * @return the NUMA socket of @p lcore_id's CPU, or SL_SOCKET_ID_ANY if the
 * lcore is not enabled.
 */
int sl_lcore_to_socket_id(unsigned int lcore_id);

/**
 * Next enabled lcore after @p i.
 *
 * @param i start after this id; pass (unsigned)-1 to start at the first.
 * @param skip_main do not return the main lcore.
 * @param wrap continue from 0 after the last id (at most one full turn).
 * @return the next enabled lcore id, or SL_MAX_LCORE if there is none.
 */
unsigned int sl_get_next_lcore(unsigned int i, int skip_main, int wrap);

/** Iterate over every enabled lcore except the main one. */
#define SL_LCORE_FOREACH_WORKER(i)                              \
	for ((i) = sl_get_next_lcore((unsigned int)-1, 1, 0);   \
	     (i) < SL_MAX_LCORE;                                 \
	     (i) = sl_get_next_lcore((i), 1, 0))

/** Iterate over every enabled lcore, main included. */
#define SL_LCORE_FOREACH(i)                                     \
	for ((i) = sl_get_next_lcore((unsigned int)-1, 0, 0);   \
	     (i) < SL_MAX_LCORE;                                 \
	     (i) = sl_get_next_lcore((i), 0, 0))

/**
 * Run @p f(@p arg) on worker lcore @p worker_id.
 *
 * @return 0, or
 *   -EINVAL: f is NULL, or worker_id is not an enabled worker (the main
 *            lcore runs functions by calling them);
 *   -EBUSY: the worker is running or its last result was not collected
 *           with sl_eal_wait_lcore();
 *   -ENODEV: sl_eal_init() has not run.
 */
int sl_eal_remote_launch(sl_lcore_function_t *f, void *arg, unsigned int worker_id);

/**
 * Launch @p f on every worker and, if @p call_main, on the calling (main)
 * lcore too, then return (the main call is done when this returns).
 *
 * @return 0 or the first error of sl_eal_remote_launch() (then nothing was
 * launched: all workers must be idle); the main lcore's return value is
 * collected by sl_eal_wait_lcore(sl_get_main_lcore()).
 */
int sl_eal_mp_remote_launch(sl_lcore_function_t *f, void *arg, int call_main);

/**
 * Wait until @p worker_id finished its function and collect its result.
 *
 * @return the function's return value (the lcore is idle again); 0 if the
 * lcore is idle with nothing to collect; -EINVAL if it is not an enabled
 * lcore.
 */
int sl_eal_wait_lcore(unsigned int worker_id);

/** Wait for every worker (see sl_eal_wait_lcore()); results are dropped. */
void sl_eal_mp_wait_lcore(void);

/** @return the state of @p lcore_id, or -EINVAL if it is not enabled. */
int sl_eal_get_lcore_state(unsigned int lcore_id);

#ifdef __cplusplus
}
#endif

#endif /* SL_LCORE_H */
