/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Memzones: named, aligned, IOVA-contiguous blocks of EAL memory that can
 * be found again by name (rings, mempools and drivers use them).
 */
#ifndef SL_MEMZONE_H
#define SL_MEMZONE_H

#include <stddef.h>
#include <stdint.h>

#include "sl_common.h"
#include "sl_memory.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Longest memzone name + 1. */
#define SL_MEMZONE_NAMESIZE 32
/** Number of memzones that can exist at once. */
#define SL_MAX_MEMZONE 2560

/**
 * Flag accepted for DPDK users: every memzone is IOVA-contiguous anyway,
 * because heap blocks never span non-contiguous segments.
 */
#define SL_MEMZONE_IOVA_CONTIG 0x00100000

/** A reserved memzone.  Read-only for users. */
struct sl_memzone {
	char name[SL_MEMZONE_NAMESIZE]; /**< unique name */
	void *addr;                     /**< start, aligned as requested */
	sl_iova_t iova;                 /**< IOVA of addr */
	size_t len;                     /**< length in bytes */
	int socket_id;                  /**< NUMA node of the memory */
	unsigned int flags;             /**< flags given at reservation */
};

/**
 * Reserve a cache-line aligned memzone.
 *
 * @param name unique name, 1..SL_MEMZONE_NAMESIZE-1 characters.
 * @param len bytes, > 0.
 * @param socket NUMA node, or SL_SOCKET_ID_ANY.
 * @param flags 0 or SL_MEMZONE_IOVA_CONTIG.
 * @return the memzone (memory not zeroed), or NULL with errno:
 *   EINVAL: NULL/empty name, len 0, unknown flag or bad socket;
 *   ENAMETOOLONG: name too long;
 *   EEXIST: a memzone with this name exists;
 *   ENOSPC: SL_MAX_MEMZONE memzones exist;
 *   ENOMEM: no memory (see sl_malloc());
 *   ENODEV: sl_eal_init() has not run.
 */
const struct sl_memzone *sl_memzone_reserve(const char *name, size_t len, int socket,
					    unsigned int flags);

/**
 * sl_memzone_reserve() with alignment @p align (a power of two; 0 means
 * cache line).  Extra error: EINVAL if @p align is not a power of two.
 */
const struct sl_memzone *sl_memzone_reserve_aligned(const char *name, size_t len,
						    int socket, unsigned int flags,
						    unsigned int align);

/**
 * @return the memzone named @p name, or NULL with errno ENOENT (none),
 * EINVAL (name NULL), ENODEV (no EAL).
 */
const struct sl_memzone *sl_memzone_lookup(const char *name);

/**
 * Free a memzone and its memory.
 *
 * @return 0, or -EINVAL if @p mz is NULL or not a live memzone.
 */
int sl_memzone_free(const struct sl_memzone *mz);

/**
 * Call @p fn on every live memzone (with the memzone lock held: @p fn must
 * not reserve or free memzones).
 */
void sl_memzone_walk(void (*fn)(const struct sl_memzone *mz, void *arg), void *arg);

/** @return number of live memzones. */
unsigned int sl_memzone_count(void);

#ifdef __cplusplus
}
#endif

#endif /* SL_MEMZONE_H */
