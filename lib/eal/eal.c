/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sl_eal_init() and sl_eal_cleanup(): the order of start-up, and its
 * reverse.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "sl_eal.h"
#include "eal_private.h"

struct eal_config eal_cfg;

static pthread_mutex_t eal_lock = PTHREAD_MUTEX_INITIALIZER;
static int eal_initialized;
static int eal_atexit_registered;
static char eal_prefix[sizeof(eal_cfg.file_prefix) + 16] = EAL_DEFAULT_FILE_PREFIX;

int
sl_eal_is_initialized(void)
{
	return __atomic_load_n(&eal_initialized, __ATOMIC_ACQUIRE);
}

const char *
sl_eal_file_prefix(void)
{
	return eal_prefix;
}

static void
eal_atexit(void)
{
	eal_memory_atexit();
}

int
sl_eal_init(int argc, char **argv)
{
	struct eal_config *cfg = &eal_cfg;
	int consumed, ret;

	pthread_mutex_lock(&eal_lock);
	if (eal_initialized) {
		SL_LOG(ERR, EAL, "sl_eal_init() called twice; call sl_eal_cleanup() first");
		ret = -EALREADY;
		goto out;
	}
	consumed = eal_parse_args(argc, argv, cfg);
	if (consumed < 0) {
		ret = consumed;
		goto out;
	}
	/* Before any memory is reserved: a bad hand-over fails fast. */
	ret = eal_launch_setup(&cfg->launch_fds, cfg->launch_fds_set);
	if (ret < 0)
		goto err_launch;
	/* Plugins register drivers (and buses): before anything scans. */
	ret = eal_plugins_load(cfg);
	if (ret < 0)
		goto err_plugins;
	eal_set_no_pci(cfg->no_pci);
	snprintf(eal_prefix, sizeof(eal_prefix), "%.*s", (int)sizeof(cfg->file_prefix) - 1,
		 cfg->file_prefix);
	eal_tsc_init();

	ret = eal_heap_init();
	if (ret < 0)
		goto err_args;
	ret = eal_memory_init(cfg);
	if (ret < 0)
		goto err_heap;
	ret = eal_lcore_init(cfg);
	if (ret < 0)
		goto err_memory;
	if (!eal_atexit_registered) {
		atexit(eal_atexit);
		eal_atexit_registered = 1;
	}
	/* Buses may allocate memory and look at lcores: both must be up,
	 * and sl_eal_is_initialized() true for their memzones. */
	__atomic_store_n(&eal_initialized, 1, __ATOMIC_RELEASE);
	ret = eal_bus_scan_probe();
	if (ret < 0)
		goto err_bus;
	SL_LOG(DEBUG, EAL, "initialised: %u lcores, main lcore %u, file prefix '%s'",
	       sl_lcore_count(), sl_get_main_lcore(), eal_prefix);
	ret = consumed;
	goto out;

err_bus:
	eal_bus_cleanup();
	__atomic_store_n(&eal_initialized, 0, __ATOMIC_RELEASE);
	eal_lcore_cleanup();
err_memory:
	eal_memzone_cleanup();
	eal_memory_cleanup();
err_heap:
	eal_heap_cleanup();
err_args:
	eal_set_no_pci(0);
	eal_plugins_unload();
err_plugins:
	eal_launch_cleanup();
err_launch:
	sl_devargs_clear();
out:
	pthread_mutex_unlock(&eal_lock);
	return ret;
}

int
sl_eal_cleanup(void)
{
	int busy, ret = 0;

	pthread_mutex_lock(&eal_lock);
	if (!eal_initialized) {
		ret = -ENODEV;
		goto out;
	}
	busy = eal_lcore_busy();
	if (busy >= 0) {
		SL_LOG(ERR, EAL, "sl_eal_cleanup(): lcore %d is still running a function; "
		       "call sl_eal_mp_wait_lcore() first", busy);
		ret = -EBUSY;
		goto out;
	}
	eal_bus_cleanup();
	__atomic_store_n(&eal_initialized, 0, __ATOMIC_RELEASE);
	eal_lcore_cleanup();
	eal_memzone_cleanup();
	eal_memory_cleanup();
	eal_heap_cleanup();
	eal_set_no_pci(0);
	eal_plugins_unload();
	eal_launch_cleanup();
	sl_devargs_clear();
out:
	pthread_mutex_unlock(&eal_lock);
	return ret;
}
