/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Fixed-size object pools on the EAL heap.
 *
 * A mempool holds @c n objects of @c elt_size bytes, all carved out of
 * hugepage (or --no-huge anonymous) memory at creation time.  Free objects
 * live in an MP/MC ring (lib/ring); each EAL lcore additionally keeps a small
 * private stack of free objects (the per-lcore cache) so that the common
 * get/put path touches no shared cache line at all.
 *
 * Memory layout of one object slot (total_elt_size bytes, a multiple of the
 * cache line unless SL_MEMPOOL_F_NO_CACHE_ALIGN):
 *
 * @verbatim
 *   +------------------+---------------------------+---------+---------+
 *   | header (pad ...  | struct sl_mempool_objhdr) | object  | trailer | pad
 *   +------------------+---------------------------+---------+---------+
 *   ^ slot start       ^ obj - sizeof(objhdr)      ^ obj (cache aligned)
 * @endverbatim
 *
 * The header records the owning pool, the object's IOVA and a constant
 * cookie; the trailer is a second cookie placed right after elt_size bytes
 * (rounded to 8), so sl_mempool_audit() can detect writes past either end.
 * The object never straddles a discontinuity in IOVA space, so a NIC may
 * DMA into it as one contiguous buffer.
 *
 * Concurrency: get/put are MP/MC safe from any thread.  On an EAL lcore
 * (sl_lcore_id() < SL_MAX_LCORE) they go through that lcore's cache, which is
 * only ever touched by the thread that owns the lcore; any other thread uses
 * the ring directly.  Two threads must therefore never share an lcore id.
 *
 * Accounting: objects sitting in a per-lcore cache count as available.
 * sl_mempool_avail_count() + sl_mempool_in_use_count() == size, always
 * (exact when the pool is quiescent, a snapshot otherwise).
 */
#ifndef SL_MEMPOOL_H
#define SL_MEMPOOL_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sl_common.h"
#include "sl_lcore.h"
#include "sl_memory.h"
#include "sl_ring.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Longest pool name, including the terminating NUL. */
#define SL_MEMPOOL_NAMESIZE 32

/** Largest per-lcore cache size accepted by sl_mempool_create(). */
#define SL_MEMPOOL_CACHE_MAX_SIZE 512

/**
 * Flush threshold of a cache, as a multiple of its size: a put that brings
 * the cache to this many objects sends everything above @c size back to the
 * ring, so the cache oscillates around its nominal size instead of bouncing
 * between empty and full.  The same 1.5x ratio DPDK uses.
 */
#define SL_MEMPOOL_CACHE_FLUSHTHRESH_MULTIPLIER 1.5

/** Cookie stored in every object header (constant while the pool exists). */
#define SL_MEMPOOL_HEADER_COOKIE 0x5a3c9e17b4d2f061ULL
/** Cookie stored in every object trailer (detects overruns of elt_size). */
#define SL_MEMPOOL_TRAILER_COOKIE 0xe1c0ffee5eed1ceULL

/* Flags for sl_mempool_create(). */
/** Only one thread ever puts: the backing ring is single-producer. */
#define SL_MEMPOOL_F_SP_PUT 0x0001u
/** Only one thread ever gets: the backing ring is single-consumer. */
#define SL_MEMPOOL_F_SC_GET 0x0002u
/** Do not align objects on a cache line (saves memory for small objects). */
#define SL_MEMPOOL_F_NO_CACHE_ALIGN 0x0004u
/** Objects need not be IOVA-contiguous (they are never used for DMA). */
#define SL_MEMPOOL_F_NO_IOVA_CONTIG 0x0008u
/** All valid flags. */
#define SL_MEMPOOL_F_ALL                                                   \
	(SL_MEMPOOL_F_SP_PUT | SL_MEMPOOL_F_SC_GET | SL_MEMPOOL_F_NO_CACHE_ALIGN | \
	 SL_MEMPOOL_F_NO_IOVA_CONTIG)

struct sl_mempool;

/**
 * Per-object header, stored immediately before each object.  Written once at
 * creation and never on the fast path.
 */
struct sl_mempool_objhdr {
	struct sl_mempool *mp; /**< Owning pool. */
	sl_iova_t iova;        /**< IOVA of the object (SL_BAD_IOVA if none). */
	uint64_t cookie;       /**< SL_MEMPOOL_HEADER_COOKIE. */
};

/** Per-object trailer, stored right after the object's elt_size bytes. */
struct sl_mempool_objtlr {
	uint64_t cookie; /**< SL_MEMPOOL_TRAILER_COOKIE. */
};

/**
 * Per-lcore cache: a LIFO stack of free objects owned by one lcore.  Only
 * the owning lcore's thread reads or writes it on the fast path, so it needs
 * no atomics; it sits in its own cache-aligned allocation (on the lcore's
 * NUMA node) so that two lcores never share a line.
 */
struct sl_mempool_cache {
	uint32_t size;        /**< Nominal size (objects kept after a flush). */
	uint32_t flushthresh; /**< Flush when len reaches this. */
	uint32_t len;         /**< Objects currently in objs[]. */
	uint32_t reserved; /**< padding */
	/**
	 * Room for 3 * size objects: len < flushthresh (1.5 * size) before a
	 * put, and a put through the cache carries at most flushthresh objects.
	 * Cache-line aligned: a burst of 32 pointers is four 64-byte vector
	 * moves, and at offset 16 every one of them straddled two lines (the
	 * bulk-32 get+put was 1.7x DPDK's, whose objs[] is aligned so).
	 */
	void *objs[] __sl_cache_aligned;
} __sl_cache_aligned;

static_assert(offsetof(struct sl_mempool_cache, objs) % SL_CACHE_LINE_SIZE == 0,
	      "the cached objects must start a cache line");

/**
 * Called once at creation, after the private area is zeroed and before the
 * objects are initialised (typically fills the private area).
 */
typedef void(sl_mempool_ctor_t)(struct sl_mempool *mp, void *arg);

/**
 * Called once per object, at creation (obj_init) or by sl_mempool_obj_iter().
 * @param mp the pool
 * @param arg the caller's argument
 * @param obj the object
 * @param obj_idx index of the object, 0 .. size-1, in address order.
 */
typedef void(sl_mempool_obj_cb_t)(struct sl_mempool *mp, void *arg, void *obj,
				  unsigned obj_idx);

/** A memory chunk holding objects (a pool may use several). */
struct sl_mempool_memchunk {
	struct sl_mempool_memchunk *next; /**< next chunk of the pool */
	void *addr;   /**< Start of the allocation (sl_malloc'd). */
	size_t len;   /**< Its length. */
	unsigned nb_objs; /**< Objects placed in it. */
};

/**
 * The pool.  Fields above @c local_cache are read on every get/put and live
 * in the first cache line; the rest is slow-path bookkeeping.  Do not write
 * any field directly.
 */
struct sl_mempool {
	struct sl_ring *ring;      /**< Free objects not in any cache. */
	uint32_t size;             /**< Number of objects. */
	uint32_t cache_size;       /**< Nominal per-lcore cache size (0: none). */
	uint32_t elt_size;         /**< Object size requested by the user. */
	uint32_t header_size;      /**< Bytes before each object. */
	uint32_t trailer_size;     /**< Bytes after elt_size (incl. padding). */
	uint32_t private_data_size; /**< Size of the private area. */
	unsigned flags;            /**< SL_MEMPOOL_F_*. */
	int socket_id;             /**< NUMA node of the objects. */
	char name[SL_MEMPOOL_NAMESIZE]; /**< unique name, for sl_mempool_lookup() */

	/**
	 * Per-lcore caches indexed by lcore id; NULL for lcores that were not
	 * enabled at creation or when cache_size is 0.
	 */
	struct sl_mempool_cache *local_cache[SL_MAX_LCORE];

	void **objtable;           /**< All objects, sorted by address. */
	struct sl_mempool_memchunk *chunks; /**< Memory holding the objects. */
	void *ring_mem;            /**< Allocation behind @c ring. */
	struct sl_mempool *list_next; /**< Registry of named pools. */
	/* The private area follows, cache-line aligned: sl_mempool_get_priv(). */
} __sl_cache_aligned;

static_assert(offsetof(struct sl_mempool, name) <= SL_CACHE_LINE_SIZE,
	      "sl_mempool: fast-path fields must fit in the first cache line");

/**
 * Create a pool of @p n objects of @p elt_size bytes.
 *
 * Memory comes from the EAL heap on @p socket_id, so sl_eal_init() must have
 * run.  Objects start zeroed, then are initialised in address order: first
 * @p mp_init, then @p obj_init on every object; then all are made available.
 *
 * @param name          Unique name, at most SL_MEMPOOL_NAMESIZE-1 characters.
 * @param n             Number of objects (>= 1).  The pool is fastest when
 *                      n is one less than a power of two, but any n works.
 * @param elt_size      Object size in bytes (>= 1).
 * @param cache_size    Per-lcore cache size: 0 (no cache) or at most
 *                      SL_MEMPOOL_CACHE_MAX_SIZE and at most n / 1.5 (so the
 *                      caches cannot hoard the whole pool).
 * @param private_data_size Size of the private area (sl_mempool_get_priv()).
 * @param mp_init       Optional pool constructor.
 * @param mp_init_arg   Its argument.
 * @param obj_init      Optional per-object constructor.
 * @param obj_init_arg  Its argument.
 * @param socket_id     NUMA node, or SL_SOCKET_ID_ANY.
 * @param flags         SL_MEMPOOL_F_* or 0.
 * @return the pool, or NULL with errno set:
 *  - EINVAL: NULL name, n == 0, elt_size == 0, bad cache_size, unknown flags;
 *  - ENAMETOOLONG: name too long;
 *  - EEXIST: a pool of that name exists;
 *  - ENOMEM: not enough heap memory;
 *  - ENODEV: the EAL is not initialised.
 * Every error is logged with the bad value and how to fix it.
 */
struct sl_mempool *sl_mempool_create(const char *name, unsigned n,
				     unsigned elt_size, unsigned cache_size,
				     unsigned private_data_size,
				     sl_mempool_ctor_t *mp_init,
				     void *mp_init_arg,
				     sl_mempool_obj_cb_t *obj_init,
				     void *obj_init_arg, int socket_id,
				     unsigned flags);

/**
 * Free a pool and all its memory.
 *
 * Refuses while objects are in use (handed out and not yet put back),
 * because freeing would leave the holders with dangling pointers and, for
 * packet buffers, a NIC possibly still writing into them.  Objects in
 * per-lcore caches count as free.  The caller must make sure no other thread
 * uses the pool during the call.
 *
 * @param mp Pool, or NULL (then nothing happens and 0 is returned).
 * @return 0, or -EBUSY if objects are still in use (the pool is left intact
 *         and fully usable; the count is logged).
 */
int sl_mempool_free(struct sl_mempool *mp);

/**
 * Find a pool by name.
 * @return the pool, or NULL with errno ENOENT (not found) or EINVAL (NULL
 *         name).
 */
struct sl_mempool *sl_mempool_lookup(const char *name);

/**
 * Number of free objects: in the ring plus in every per-lcore cache.
 * A snapshot when other threads are active.  Errors: none.
 */
unsigned sl_mempool_avail_count(const struct sl_mempool *mp);

/**
 * Number of objects handed out: size - sl_mempool_avail_count().
 * Errors: none.
 */
unsigned sl_mempool_in_use_count(const struct sl_mempool *mp);

/**
 * Call @p cb on every object of the pool (free or in use), in address order.
 * @return the number of objects visited (the pool size), or 0 with errno
 *         EINVAL if @p mp or @p cb is NULL.
 */
uint32_t sl_mempool_obj_iter(struct sl_mempool *mp, sl_mempool_obj_cb_t *cb,
			     void *arg);

/**
 * Check the pool's integrity.  Must be called while no other thread uses the
 * pool (it briefly drains the ring to inspect its contents).
 *
 * Checks that every object's header and trailer cookies are intact; that
 * every free object (in the ring or a cache) is a genuine object of this
 * pool and appears only once; that every cache is within its bounds; and
 * that sl_mempool_avail_count() + sl_mempool_in_use_count() == size.  Every
 * problem found is logged.
 *
 * @return 0 if all holds;
 *  - -EINVAL: mp is NULL;
 *  - -EFAULT: a cookie is corrupted, or a free slot holds a pointer that is
 *    not an object of this pool;
 *  - -EEXIST: an object is free twice (double put);
 *  - -ERANGE: the counts do not add up;
 *  - -ENOMEM: no memory for the temporary copy of the ring contents.
 */
int sl_mempool_audit(struct sl_mempool *mp);

/** Print the pool's state (sizes, counts, per-lcore cache lengths) to @p f. */
void sl_mempool_dump(FILE *f, const struct sl_mempool *mp);

/** @return the pool's private area (private_data_size bytes, cache aligned). */
static inline void *
sl_mempool_get_priv(struct sl_mempool *mp)
{
	return (char *)mp + sizeof(*mp);
}

/** @return the header of object @p obj (any object of any pool). */
static inline struct sl_mempool_objhdr *
sl_mempool_get_header(void *obj)
{
	return (struct sl_mempool_objhdr *)((char *)obj -
					    sizeof(struct sl_mempool_objhdr));
}

/** @return the pool that object @p obj belongs to. */
static inline struct sl_mempool *
sl_mempool_from_obj(void *obj)
{
	return sl_mempool_get_header(obj)->mp;
}

/**
 * @return the IOVA of object @p obj (computed once at creation with
 *         sl_mem_virt2iova()), SL_BAD_IOVA if it has none.
 */
static inline sl_iova_t
sl_mempool_virt2iova(const void *obj)
{
	return ((const struct sl_mempool_objhdr *)obj - 1)->iova;
}

/** @return the cache of the calling thread, or NULL (non-EAL thread, no cache). */
static __sl_always_inline struct sl_mempool_cache *
sl_mempool_default_cache(struct sl_mempool *mp)
{
	unsigned lcore_id = sl_lcore_id();

	if (sl_unlikely(lcore_id >= SL_MAX_LCORE))
		return NULL;
	return mp->local_cache[lcore_id];
}

/* Fast path.  Out-of-line slow path helpers, not for direct use. */
int sl_mempool_cache_refill_(struct sl_mempool *mp,
			     struct sl_mempool_cache *cache, void **objs,
			     unsigned n);
int sl_mempool_get_with_cache_(struct sl_mempool *mp,
			       struct sl_mempool_cache *cache, void **objs,
			       unsigned n);
int sl_mempool_cache_get_slow_(struct sl_mempool *mp,
			       struct sl_mempool_cache *cache, void **objs,
			       unsigned n);
void sl_mempool_cache_put_slow_(struct sl_mempool *mp,
				struct sl_mempool_cache *cache,
				void *const *objs, unsigned n);
/*
 * A pool without a cache, or a thread without one, goes to the ring out of
 * line, as DPDK's goes through its ops table.  Inlined, the ring's code
 * took registers from the cached path around it, which then kept values on
 * the stack: mempool get+put of 32 through the cache cost 1.37x as much
 * (doc/performance.md, "Night of 2026-12-03").
 */
int sl_mempool_ring_get_(struct sl_mempool *mp, void **objs, unsigned n);
void sl_mempool_ring_put_(struct sl_mempool *mp, void *const *objs,
			  unsigned n);

/*
 * Copies between a caller's table and a cache, which never overlap.  The
 * cache is a stack: objects come out in reverse, and for that copy saying
 * so (restrict) lets the compiler use whole-vector permutes without the
 * run-time overlap check it otherwise adds (this tree builds with
 * -fno-strict-aliasing, so even the cache's own counters could alias the
 * pointer stores).
 */
static __sl_always_inline void
sl_mempool_copy_in_(void **dst, void *const *src, unsigned n)
{
	/* No restrict here: with it gcc turns this loop into a call to
	 * memmove, dearer for a burst than its own vector loop. */
	for (unsigned i = 0; i < n; i++)
		dst[i] = src[i];
}

static __sl_always_inline void
sl_mempool_copy_out_(void **__restrict dst, void *const *__restrict top,
		     unsigned n)
{
	/* Walk the pointer down: an index computed as top[-1 - i] makes gcc
	 * vectorise with gathers, far slower than the permutes this gives. */
	for (unsigned i = 0; i < n; i++)
		dst[i] = *--top;
}

/**
 * Put @p n objects back.  Never fails: the ring can hold every object of the
 * pool.  Putting an object that is not from @p mp, or putting one twice,
 * corrupts the pool (sl_mempool_audit() detects it).
 *
 * Fast path: no argument checks.
 */
static __sl_always_inline void
sl_mempool_put_bulk(struct sl_mempool *mp, void *const *objs, unsigned n)
{
	struct sl_mempool_cache *cache = sl_mempool_default_cache(mp);
	unsigned len;

	if (sl_unlikely(cache == NULL)) {
		sl_mempool_ring_put_(mp, objs, n);
		return;
	}
	/*
	 * One test on the way in, as in the get: len never exceeds
	 * flushthresh between calls (a put that reaches it flushes), so the
	 * subtraction cannot wrap, and a bulk that would reach it (including
	 * one larger than the threshold) goes to the out-of-line flush.  The
	 * new length is stored before the copy and kept in a register: the
	 * copy's stores cannot make the compiler read it again.
	 */
	len = cache->len;
	if (sl_likely(n < cache->flushthresh - len)) {
		cache->len = len + n;
		sl_mempool_copy_in_(&cache->objs[len], objs, n);
		return;
	}
	sl_mempool_cache_put_slow_(mp, cache, objs, n);
}

/** Put one object back.  See sl_mempool_put_bulk(). */
static __sl_always_inline void
sl_mempool_put(struct sl_mempool *mp, void *obj)
{
	sl_mempool_put_bulk(mp, &obj, 1);
}

/**
 * Get @p n objects, all or nothing.
 *
 * On an EAL lcore the objects come from its cache (refilled from the ring
 * when short); the most recently put objects come out first, as they are the
 * most likely to still be in the CPU cache.
 *
 * Fast path: no argument checks.
 *
 * @return 0 and @p n objects in @p objs, or -ENOENT if fewer than @p n
 *         objects are available (then nothing was taken).
 */
static __sl_always_inline int
sl_mempool_get_bulk(struct sl_mempool *mp, void **objs, unsigned n)
{
	struct sl_mempool_cache *cache = sl_mempool_default_cache(mp);
	unsigned len;

	if (sl_unlikely(cache == NULL))
		return sl_mempool_ring_get_(mp, objs, n);
	/*
	 * One test on the fast path: enough objects in the cache.  Every
	 * other case (a refill, or a bulk larger than the cache) is out of
	 * line.
	 */
	len = cache->len;
	if (sl_likely(n <= len)) {
		/* as in the put: the length first, then the copy */
		cache->len = len - n;
		sl_mempool_copy_out_(objs, &cache->objs[len], n);
		return 0;
	}
	return sl_mempool_cache_get_slow_(mp, cache, objs, n);
}

/** Get one object.  @return 0, or -ENOENT (pool empty). */
static __sl_always_inline int
sl_mempool_get(struct sl_mempool *mp, void **obj)
{
	return sl_mempool_get_bulk(mp, obj, 1);
}

/** @return non-zero if every object is free (in the ring or a cache). */
static inline int
sl_mempool_full(const struct sl_mempool *mp)
{
	return sl_mempool_avail_count(mp) == mp->size;
}

/** @return non-zero if no object is free. */
static inline int
sl_mempool_empty(const struct sl_mempool *mp)
{
	return sl_mempool_avail_count(mp) == 0;
}

#ifdef __cplusplus
}
#endif

#endif /* SL_MEMPOOL_H */
