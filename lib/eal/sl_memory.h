/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * EAL memory: the segments behind the heap, their IO addresses, and the
 * registration point for code that must follow them (the IOMMU domain).
 *
 * Memory comes in segments (struct sl_memseg).  Each segment is virtually
 * and IOVA-contiguous, lies on one NUMA socket and is backed by hugepages of
 * one size (or by anonymous 4 KiB pages with --no-huge).  Segments are added
 * at sl_eal_init() and whenever the heap grows; they are all removed by
 * sl_eal_cleanup().  Segments are never removed while the EAL runs, so an
 * IOVA obtained once stays valid until sl_eal_cleanup().
 */
#ifndef SL_MEMORY_H
#define SL_MEMORY_H

#include <stddef.h>
#include <stdint.h>

#include "sl_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An address as a device sees it (physical, or IOMMU virtual). */
typedef uint64_t sl_iova_t;
/** IOVA of memory the EAL does not know. */
#define SL_BAD_IOVA ((sl_iova_t)-1)

/** How IOVAs are chosen (--iova-mode). */
enum sl_iova_mode {
	SL_IOVA_VA = 1, /**< IOVA == virtual address (IOMMU maps it so) */
	SL_IOVA_PA = 2, /**< IOVA == physical address (from /proc/self/pagemap) */
};

/** One virtually and IOVA-contiguous piece of EAL memory. */
struct sl_memseg {
	void *addr;         /**< virtual start */
	sl_iova_t iova;     /**< IOVA of addr */
	size_t len;         /**< bytes */
	size_t hugepage_sz; /**< page size backing it (4096 with --no-huge) */
	int socket_id;      /**< NUMA node of every page */
};

/**
 * @return the IOVA of @p va, or SL_BAD_IOVA (errno EFAULT) when @p va is not
 * inside EAL memory (heap, memzones).  Lock-free; callable from any thread.
 */
sl_iova_t sl_mem_virt2iova(const void *va);

/**
 * @return the virtual address of @p iova inside EAL memory, or NULL (errno
 * EFAULT) when no segment holds it.
 */
void *sl_mem_iova2virt(sl_iova_t iova);

/**
 * Call @p fn on every memory segment, in the order they were added.
 *
 * @return 0 after all segments; the first non-zero return of @p fn (the
 * walk stops there); -EINVAL if @p fn is NULL.
 */
int sl_memseg_walk(int (*fn)(const struct sl_memseg *ms, void *arg), void *arg);

/** @return number of memory segments (0 before sl_eal_init()). */
unsigned int sl_memseg_count(void);

/** Memory events delivered to registered callbacks. */
enum sl_mem_event {
	SL_MEM_EVENT_ALLOC = 1, /**< a segment was added (heap growth) */
	SL_MEM_EVENT_FREE,      /**< a segment is about to be unmapped */
};

/** Memory event callback; [addr, addr+len) is one whole segment. */
typedef void(sl_mem_event_callback_t)(enum sl_mem_event ev, const void *addr,
				      size_t len, void *arg);

/**
 * Be told about every segment added after this call and about every
 * segment before it is unmapped.
 *
 * Registration does NOT replay existing segments: the caller maps what
 * exists with sl_memseg_walk() right after registering (both under the
 * caller's own lock if it needs atomicity).  A segment added between the
 * two is reported by the callback and seen by the walk; the callback must
 * therefore tolerate being told about a segment it already mapped.
 *
 * Callbacks run in the thread that grows the heap, with the heap lock
 * held: they must not call sl_malloc()/sl_memzone_*() and should be quick.
 * They may call sl_mem_virt2iova(), sl_memseg_walk() and
 * sl_eal_mem_reserved(): an ALLOC segment is already in the table.
 * SL_MEM_EVENT_FREE is sent for every segment by sl_eal_cleanup(), after
 * the buses were cleaned up.  Registrations survive sl_eal_cleanup().
 *
 * @param cb the callback
 * @param arg passed to @p cb as it is
 * @param name unique name of the registrant (e.g. "iommu").
 * @return 0, or
 *   -EINVAL: name or cb is NULL, or name is empty;
 *   -EEXIST: a callback with this name and arg is registered;
 *   -ENOSPC: 16 callbacks are registered already.
 */
int sl_mem_event_callback_register(const char *name, sl_mem_event_callback_t *cb,
				   void *arg);

/**
 * Remove the callback registered with @p name and @p arg.
 *
 * @return 0, or -ENOENT if there is none, -EINVAL if name is NULL.
 */
int sl_mem_event_callback_unregister(const char *name, void *arg);

/** @return the IOVA mode in force (SL_IOVA_VA before sl_eal_init()). */
enum sl_iova_mode sl_eal_iova_mode(void);

/** @return 1 if EAL memory is hugepage-backed, 0 with --no-huge or before init. */
int sl_eal_has_hugepages(void);

/** @return the page size behind EAL memory, 0 before sl_eal_init(). */
size_t sl_eal_hugepage_size(void);

/** @return the hugetlbfs directory in use, NULL with --no-huge or before init. */
const char *sl_eal_huge_dir(void);

/**
 * @return bytes of EAL memory reserved on @p socket (SL_SOCKET_ID_ANY: all
 * sockets).
 */
size_t sl_eal_mem_reserved(int socket);

#ifdef __cplusplus
}
#endif

#endif /* SL_MEMORY_H */
