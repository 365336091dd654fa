/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Environment abstraction layer: process-wide start-up and shut-down.
 *
 * sl_eal_init() parses DPDK-style options (see doc/eal.md or run with -h),
 * calibrates the TSC, reserves hugepage memory per NUMA node and builds
 * the heap, starts one pinned thread per lcore, then scans and probes the
 * registered buses.  sl_eal_cleanup() undoes all of it, after which
 * sl_eal_init() may run again.
 */
#ifndef SL_EAL_H
#define SL_EAL_H

#include <errno.h>
#include <stdio.h>

#include "sl_common.h"
#include "sl_log.h"
#include "sl_lcore.h"
#include "sl_cycles.h"
#include "sl_memory.h"
#include "sl_malloc.h"
#include "sl_memzone.h"
#include "sl_bus.h"

#ifdef __cplusplus
extern "C" {
#endif

/** sl_eal_init() result after -h/--help printed the usage: exit with 0. */
#define SL_EAL_HELP_SHOWN (-ECANCELED)

/**
 * Initialise the EAL from command-line options.
 *
 * Options are parsed up to the first non-option argument or "--" (which is
 * consumed).  As with rte_eal_init(), argv[ret] is set to argv[0], so the
 * application continues with `argc -= ret; argv += ret;` and sees its own
 * program name and options.
 *
 * @return number of arguments consumed (>= 0), or
 *   -EINVAL: unknown or malformed option (logged with the option, the value
 *            and how to fix it);
 *   SL_EAL_HELP_SHOWN: -h/--help printed the usage to stdout;
 *   -EALREADY: the EAL is initialised already (sl_eal_cleanup() first);
 *   -ENOMEM: not enough hugepages/memory (logged with the pages needed,
 *            the pages free, and the command that reserves more);
 *   -EBUSY: another live process uses the same --file-prefix;
 *   -EACCES/-EPERM: no access to hugetlbfs or /proc/self/pagemap
 *            (--iova-mode=pa needs root);
 *   -ENOENT: no hugetlbfs mount (the log says how to mount one);
 *   other -errno: from thread creation or from a bus's scan()/probe().
 */
int sl_eal_init(int argc, char **argv);

/**
 * Release everything sl_eal_init() took: buses, lcore threads, memzones,
 * heap, hugepage files (munmap + unlink), devargs.
 *
 * @return 0, or
 *   -ENODEV: not initialised;
 *   -EBUSY: a worker lcore is still running a function (wait for it).
 */
int sl_eal_cleanup(void);

/** @return 1 between a successful sl_eal_init() and sl_eal_cleanup(). */
int sl_eal_is_initialized(void);

/** @return the --file-prefix in use ("sluice" by default). */
const char *sl_eal_file_prefix(void);

/** Print the EAL options to @p f (what -h prints). */
void sl_eal_usage(FILE *f);

/**
 * ABI marker of a PMD plugin: the ABI version (SL_ABI_VERSION, the number
 * of libsluice.so.N) it was built against.  Defined by SL_PMD_PLUGIN() in
 * the plugin, never by libsluice.
 */
extern __attribute__((visibility("default"))) const unsigned int sl_pmd_plugin_abi;

/**
 * Mark a shared object as a PMD plugin that `-d` (or the default plugin
 * directory) may load: write `SL_PMD_PLUGIN();` once, at file scope, in
 * one of its source files.  The EAL refuses a plugin without it, or built
 * for another ABI version, with a message saying so.  The symbol stays
 * visible under -fvisibility=hidden (the declaration above says so).
 */
#define SL_PMD_PLUGIN() const unsigned int sl_pmd_plugin_abi = SL_ABI_VERSION

#ifdef __cplusplus
}
#endif

#endif /* SL_EAL_H */
