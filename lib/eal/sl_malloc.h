/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The EAL heap: DMA-able memory on hugepages (anonymous memory with
 * --no-huge), one heap per NUMA socket.
 *
 * Every block is IOVA-contiguous, so sl_mem_virt2iova() of its start plus an
 * offset is the IOVA of any byte in it.  A heap that runs out reserves more
 * hugepages on demand (up to --socket-limit), announcing the new segment to
 * the memory event callbacks (sl_memory.h).  All functions are thread-safe;
 * none is meant for the per-packet path.
 *
 * Every block is resident when it is returned: using it never takes a page
 * fault.  With --no-huge, memory is made resident block by block as the
 * heap hands it out (so -m is a ceiling, not the resident size), and an
 * allocation the kernel cannot back fails with ENOMEM.
 */
#ifndef SL_MALLOC_H
#define SL_MALLOC_H

#include <stddef.h>
#include <stdint.h>

#include "sl_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Allocate @p size bytes on the calling lcore's socket (falling back to the
 * other sockets).
 *
 * @param type a label for debugging (may be NULL); not stored.
 * @param size bytes, > 0.
 * @param align alignment, a power of two up to 1 GiB; 0 means
 *        SL_CACHE_LINE_SIZE.  Blocks are always at least cache-line aligned.
 * @return the block, or NULL with errno:
 *   EINVAL: size 0, align not a power of two or above 1 GiB, or size above
 *           SIZE_MAX / 4;
 *   ENOMEM: no heap could satisfy the request, even after trying to grow
 *           (the reason, e.g. missing hugepages, is logged), or with
 *           --no-huge the kernel could not make the block resident;
 *   ENODEV: sl_eal_init() has not run.
 */
void *sl_malloc(const char *type, size_t size, unsigned int align);

/** sl_malloc(), with the block zeroed. */
void *sl_zmalloc(const char *type, size_t size, unsigned int align);

/**
 * sl_malloc() on NUMA socket @p socket only (SL_SOCKET_ID_ANY: as
 * sl_malloc()).  Extra error: EINVAL if @p socket is not a NUMA node with
 * memory.
 */
void *sl_malloc_socket(const char *type, size_t size, unsigned int align, int socket);

/** sl_malloc_socket(), with the block zeroed. */
void *sl_zmalloc_socket(const char *type, size_t size, unsigned int align, int socket);

/**
 * Allocate a zeroed array of @p num elements of @p size bytes
 * (errno EINVAL on overflow of num * size).
 */
void *sl_calloc(const char *type, size_t num, size_t size, unsigned int align);

/**
 * Resize a block, keeping its socket and alignment @p align; the contents
 * up to the smaller size are kept.  @p ptr NULL acts as sl_malloc();
 * @p size 0 frees and returns NULL.
 *
 * @return the new block, or NULL with errno as sl_malloc() (then @p ptr is
 * untouched), EINVAL also when @p ptr is not a heap block.
 */
void *sl_realloc(void *ptr, size_t size, unsigned int align);

/**
 * Free a block from sl_malloc() and friends.  NULL is ignored.  A pointer
 * that is not a live heap block (double free, corrupted header, overrun of
 * the block's end) is logged as an error and not freed.
 */
void sl_free(void *ptr);

/** @return usable size of a live heap block, 0 if @p ptr is not one. */
size_t sl_malloc_size(const void *ptr);

/** Statistics of one socket's heap. */
struct sl_malloc_socket_stats {
	size_t heap_totalsz_bytes;   /**< memory the heap manages */
	size_t heap_freesz_bytes;    /**< bytes in free blocks */
	size_t heap_allocsz_bytes;   /**< bytes in allocated blocks (with headers) */
	size_t greatest_free_size;   /**< largest free block */
	unsigned int free_count;     /**< number of free blocks */
	unsigned int alloc_count;    /**< number of allocated blocks */
	unsigned int grow_count;     /**< times the heap grew after init */
};

/**
 * Fill @p stats for @p socket.
 *
 * @return 0, or -EINVAL (bad socket or NULL stats), -ENODEV (no EAL).
 */
int sl_malloc_get_socket_stats(int socket, struct sl_malloc_socket_stats *stats);

/**
 * Walk every heap and check every block header, neighbour link and end
 * cookie.  For tests and debugging.
 *
 * @return 0 if consistent, -EFAULT if corruption was found (and logged),
 * -ENODEV without EAL.
 */
int sl_malloc_validate(void);

#ifdef __cplusplus
}
#endif

#endif /* SL_MALLOC_H */
