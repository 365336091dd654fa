/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Lockless fixed-size FIFO ring of pointers or of N-byte elements.
 *
 * The ring is a power-of-two array of slots indexed by four free-running
 * 32-bit counters: a head and a tail for the producer side and the same for
 * the consumer side.  An operation first reserves slots by moving its head,
 * copies, then publishes by moving its tail.  The other side only ever looks
 * at the opposite tail, so a slot is never read before it is written nor
 * overwritten before it is read.
 *
 * Concurrency contract, spelled in the function names:
 *  - `_sp` / `_sc`: only one thread ever enqueues / dequeues on this ring.
 *    The head moves with a plain store; no atomic read-modify-write.
 *  - `_mp` / `_mc`: any number of threads may enqueue / dequeue at once.
 *    The head moves with a compare-and-swap; a thread then waits until every
 *    thread that reserved slots before it has published, and publishes in turn.
 *    The wait spins (with a pause hint), so a thread preempted between its
 *    reservation and its publication stalls the threads behind it until it
 *    runs again.  Give MP/MC threads their own CPUs (EAL lcores); with more
 *    runnable threads than CPUs the ring stays correct but slows down a lot,
 *    exactly like DPDK's default ring.
 *  - no suffix: chosen by the flags the ring was created with
 *    (SL_RING_F_SP_ENQ, SL_RING_F_SC_DEQ; default multi).
 *
 * `_bulk` moves exactly n objects or none; `_burst` moves as many as fit (or
 * as are there), up to n.  Both return the number moved.
 *
 * Pointer rings (sl_ring_create) hold `void *`; element rings
 * (sl_ring_create_elem) hold elements of esize bytes, a multiple of 4.  The
 * pointer API is the element API with esize == sizeof(void *), so the two
 * may be mixed on a pointer ring.
 *
 * The inline functions below are the fast path: they do not validate their
 * arguments, log, or make system calls.  Passing an esize other than the
 * ring's is undefined behaviour.
 *
 * Thread-safety of the control path: create/free/lookup serialise on a
 * process-wide lock.  A ring must not be freed while another thread uses it.
 */
#ifndef SL_RING_H
#define SL_RING_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "sl_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Longest ring name, including the terminating NUL. */
#define SL_RING_NAMESIZE 32

/** The default enqueue is single-producer. */
#define SL_RING_F_SP_ENQ 0x0001u
/** The default dequeue is single-consumer. */
#define SL_RING_F_SC_DEQ 0x0002u
/**
 * The ring holds exactly `count` objects; count need not be a power of two.
 * Without this flag count must be a power of two and the ring holds count - 1
 * (one slot stays empty, as in DPDK, so code ported from there sizes alike).
 */
#define SL_RING_F_EXACT_SZ 0x0004u
/** Every flag sl_ring_create() accepts. */
#define SL_RING_F_MASK (SL_RING_F_SP_ENQ | SL_RING_F_SC_DEQ | SL_RING_F_EXACT_SZ)

/**
 * Largest number of slots.  The counters are 32-bit and free-running; the
 * difference of two of them is a valid count only while size <= 2^31.
 */
#define SL_RING_SZ_MAX (1u << 31)

/** One side (producer or consumer) of the ring. */
struct sl_ring_headtail {
	/** Next slot to reserve.  Written by this side only. */
	uint32_t head;
	/** Slots before this are published to the other side. */
	uint32_t tail;
	/** Non-zero when the generic calls use the single-thread variant. */
	uint32_t single;
	/**
	 * The other side's tail as this side's single-thread calls last read
	 * it; they read the tail again only when this copy cannot cover a
	 * request.  Written by those calls, and zeroed by sl_ring_reset().
	 */
	uint32_t seen;
};

/**
 * Ring header, followed in memory by the slot array.
 *
 * The read-mostly geometry sits on the first cache line; the producer and the
 * consumer state each own a cache line, with a spare line between them so the
 * adjacent-line prefetcher does not pair them either.  A producer on one core
 * and a consumer on another therefore only share the lines they must: the
 * opposite tail they read.
 */
struct sl_ring {
	char name[SL_RING_NAMESIZE]; /**< unique name, for sl_ring_lookup() */
	uint32_t flags;    /**< SL_RING_F_* as given at creation */
	uint32_t size;     /**< number of slots, a power of two */
	uint32_t mask;     /**< size - 1 */
	uint32_t capacity; /**< usable slots: size - 1, or count with EXACT_SZ */
	uint32_t esize;    /**< bytes per element, a multiple of 4 */
	uint32_t created;  /**< from sl_ring_create*(): sl_ring_free() frees it */

	struct sl_ring_headtail prod __sl_cache_aligned; /**< producer head and tail */
	char pad_prod[SL_CACHE_LINE_SIZE] __sl_cache_aligned; /**< keeps the producer and consumer lines apart (adjacent-line prefetch) */
	struct sl_ring_headtail cons __sl_cache_aligned; /**< consumer head and tail */
	char pad_cons[SL_CACHE_LINE_SIZE] __sl_cache_aligned; /**< keeps the consumer line apart from what follows */
	/* the slots follow, cache-line aligned */
} __sl_cache_aligned;

/* The hot-path layout the comments above promise. */
static_assert(offsetof(struct sl_ring, prod) % SL_CACHE_LINE_SIZE == 0,
	      "producer state must start a cache line");
static_assert(offsetof(struct sl_ring, cons) % SL_CACHE_LINE_SIZE == 0,
	      "consumer state must start a cache line");
static_assert(offsetof(struct sl_ring, prod) >= SL_CACHE_LINE_SIZE,
	      "producer state must not share the geometry's cache line");
static_assert(offsetof(struct sl_ring, cons) - offsetof(struct sl_ring, prod) >=
		      2 * SL_CACHE_LINE_SIZE,
	      "producer and consumer must be a spare cache line apart");
static_assert(sizeof(struct sl_ring_headtail) <= SL_CACHE_LINE_SIZE,
	      "one side's state must fit one cache line");
static_assert(sizeof(struct sl_ring) % SL_CACHE_LINE_SIZE == 0,
	      "slots must start on a cache line");

/** @cond INTERNAL */

/** How many objects a call moves when not all n fit. */
enum sl_ring_queue_behavior {
	SL_RING_QUEUE_FIXED = 0,    /**< bulk: n or nothing */
	SL_RING_QUEUE_VARIABLE = 1, /**< burst: as many as possible */
};

/*
 * Copies between the caller's table and the slots.  Every access goes
 * through memcpy with a constant size, which the compiler turns into plain
 * (or vector) moves, and which is valid whatever the element's declared
 * type: the callers' objects are `void *`, the ring stores bytes.
 *
 * @p to_ring is a constant at every call site, so each inlined copy has
 * one direction only.
 */
static __sl_always_inline void
__sl_ring_move(char *ring_p, char *table_p, size_t len, int to_ring)
{
	if (to_ring)
		memcpy(ring_p, table_p, len);
	else
		memcpy(table_p, ring_p, len);
}

/* 8-byte elements, the pointer ring: written one pointer at a time, and the
 * moves left to the compiler.  gcc 12 at -O3 does not emit 8-byte moves
 * here: it vectorises the loop (32-byte moves behind a run-time overlap
 * check) or, in some callers, turns it into a call to memcpy.  Either way
 * it gave testpmd io over net_ring 1.10x / 1.19x the rate of the explicit
 * 32-byte moves used before, at bursts 32 / 64 on an Intel host, for 0.1
 * cycle per pointer more in sluice-bench's bulk-32 loop
 * (doc/performance.md, "Afternoon of 2026-12-03").  Why is not known: the
 * store-forwarding explanation first given for it assumed 8-byte moves. */
static __sl_always_inline void
__sl_ring_copy_64(char *slots, char *table, uint32_t n, int to_ring)
{
	for (uint32_t i = 0; i < n; i++)
		__sl_ring_move(slots + (size_t)i * 8, table + (size_t)i * 8, 8, to_ring);
}

/*
 * Any element size.  A run that does not wrap is one copy: 8-byte elements
 * take the per-pointer path above, any other size one memcpy, which for a
 * constant esize the compiler inlines as wide moves.
 *
 * A run that wraps is two contiguous copies, up to the end and then from
 * slot 0, whose lengths are derived from n alone (first < n, n - first):
 * the compiler can then bound every write into the caller's table by n.
 * An element-wise loop up to `size` would not be bounded so, and gcc's
 * vectoriser at -O3 then warns of writes past a small caller array.
 */
static __sl_always_inline void
__sl_ring_copy(struct sl_ring *r, uint32_t head, void *table, uint32_t esize,
	       uint32_t n, int to_ring)
{
	char *ring = (char *)(uintptr_t)(r + 1);
	const uint32_t size = r->size;
	const uint32_t idx = head & r->mask;
	uint32_t first;

	if (sl_likely(idx + n <= size)) {
		if (esize == 8)
			__sl_ring_copy_64(ring + (size_t)idx * 8, (char *)table,
					  n, to_ring);
		else
			__sl_ring_move(ring + (size_t)idx * esize,
				       (char *)table, (size_t)n * esize,
				       to_ring);
		return;
	}
	first = size - idx;
	__sl_ring_move(ring + (size_t)idx * esize, (char *)table,
		       (size_t)first * esize, to_ring);
	__sl_ring_move(ring, (char *)table + (size_t)first * esize,
		       (size_t)(n - first) * esize, to_ring);
}

/*
 * Reserve up to n slots by moving @p d's head against @p s's tail.
 *
 * Producer: d = prod, s = cons, capacity = r->capacity, so the count is of
 * free slots.  Consumer: d = cons, s = prod, capacity = 0, so the count is
 * of entries.  Returns how many were reserved (0, n, or with VARIABLE
 * anything between), the old head, and the count seen before reserving.
 *
 * Single-thread calls count against d->seen, the other side's tail as they
 * last read it, and read the tail itself only when that copy cannot cover
 * the request.  The tail's cache line is written by the other side on
 * every call, so when the two sides run on two cores each read of it is a
 * transfer between them, and it makes the other side's next tail store
 * wait to invalidate our copy.  Between two cores, SP/SC in bulks of 8
 * went from 2.5x DPDK's cycles per pointer to 0.66x with this, for
 * 1.1x the cycles on one core (doc/performance.md, "Evening of
 * 2026-12-03").
 *
 * A stale copy is safe: the other tail only grows, and the copy was read
 * with acquire, so the slots it covers are as synchronised as they were
 * then.  It under-reports, never over-reports, what the other side has
 * done; a request it cannot satisfy reads the tail afresh, so a burst
 * still takes all that is there.  That holds whoever moved this side's
 * head since the copy was taken: a multi-thread call, sl_ring_reset(), or
 * the inline code of a program built against an older libsluice.so.0,
 * which knows nothing of the copy (so SP and MP calls may take turns on
 * one side, as the API allows).  A head moved past what the copy covers
 * makes the count "negative", a huge unsigned number: @p limit, the ring's
 * capacity, catches that, and the tail is read afresh.  It cannot catch a
 * head moved 2^32 - capacity or more beyond the copy by others between two
 * of these calls; that is the wrap every 32-bit ring counter has (DPDK's
 * multi-thread ring has its own, for a thread preempted across 2^32
 * moves).  Every fresh read ends up in the copy (stored when it differs),
 * even when it brings nothing beyond this request, so that these calls
 * never move the head past the copy themselves.
 *
 * One function for both kinds, @p single being a constant or the ring's
 * flag, so that the compiler lays the two out along one path.
 */
static __sl_always_inline uint32_t
__sl_ring_move_head(struct sl_ring_headtail *d,
		    const struct sl_ring_headtail *s, uint32_t capacity,
		    uint32_t limit, int single, uint32_t n,
		    enum sl_ring_queue_behavior behavior, uint32_t *old_head,
		    uint32_t *avail)
{
	uint32_t head, cnt, seen = 0;

	/*
	 * Single: relaxed, this thread is the only writer of its head, and
	 * the only user of the copy while it runs.
	 * Multi: acquire, pairing with the release of the CAS that wrote this
	 * value: the other side's tail we read next is then at least as
	 * recent as the one that thread checked, so the count below cannot go
	 * "negative" and wrap into a huge number.
	 */
	head = __atomic_load_n(&d->head,
			       single ? __ATOMIC_RELAXED : __ATOMIC_ACQUIRE);
	if (single)
		seen = __atomic_load_n(&d->seen, __ATOMIC_RELAXED);
	for (;;) {
		/*
		 * Acquire, pairing with the other side's release store of its
		 * tail.  Producer: the consumer's reads of the slots it gave
		 * back happen before our writes to them.  Consumer: the
		 * producer's writes of the slots are visible to our reads.
		 * Unsigned arithmetic is modulo 2^32: counter wrap is harmless.
		 */
		if (single) {
			*avail = capacity + seen - head;
			/*
			 * Laid out for the common case of each side.  A
			 * consumer's copy covers what was there at its last
			 * read, and a consumer that keeps pace with its
			 * producer (always, on one core) took all of it: the
			 * copy is short on nearly every call.  A producer's
			 * copy covers the ring's free space and runs short
			 * only as the ring fills.  With the consumer's reload
			 * laid out as the rare branch, testpmd io over
			 * net_ring on one core lost 16 % (doc/performance.md,
			 * "Night of 2026-12-03").
			 */
			if (capacity == 0 ?
			    sl_likely(n > *avail || *avail > limit) :
			    (n > *avail || sl_unlikely(*avail > limit))) {
				const uint32_t old = seen;

				seen = __atomic_load_n(&s->tail,
						       __ATOMIC_ACQUIRE);
				/*
				 * Stored only when changed: our line is the
				 * one the other side reads our tail from,
				 * and a store on each poll of a full or empty
				 * ring would take it away every time.
				 */
				if (seen != old)
					__atomic_store_n(&d->seen, seen,
							 __ATOMIC_RELAXED);
				*avail = capacity + seen - head;
			}
		} else {
			*avail = capacity +
				 __atomic_load_n(&s->tail, __ATOMIC_ACQUIRE) -
				 head;
		}
		cnt = n;
		if (sl_unlikely(cnt > *avail))
			cnt = behavior == SL_RING_QUEUE_FIXED ? 0 : *avail;
		if (sl_unlikely(cnt == 0))
			return 0;
		if (single) {
			/*
			 * Relaxed: in single mode no other thread reads this
			 * head (the other side only reads our tail).
			 */
			__atomic_store_n(&d->head, head + cnt,
					 __ATOMIC_RELAXED);
			break;
		}
		/*
		 * Success: release, the other half of the pairing described
		 * at the head load (our tail read is ordered before it).
		 * Failure: acquire, as for the first head load, since we loop
		 * and read the other tail again against the new head.
		 */
		if (sl_likely(__atomic_compare_exchange_n(
				&d->head, &head, head + cnt, 0,
				__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)))
			break;
	}
	*old_head = head;
	return cnt;
}

/*
 * Publish [old, old + n) on one side.  Multi-thread variants first wait for
 * every thread that reserved earlier slots to publish, since the tail can
 * only describe a contiguous prefix.
 */
static __sl_always_inline void
__sl_ring_update_tail(struct sl_ring_headtail *ht, uint32_t old, uint32_t n,
		      int single)
{
	if (!single) {
		/*
		 * Acquire: our release store below must carry the earlier
		 * threads' slot accesses along to the other side.  A plain
		 * store does not extend their release sequence, so we take
		 * their happens-before edge here and pass it on.
		 */
		while (__atomic_load_n(&ht->tail, __ATOMIC_ACQUIRE) != old)
			sl_pause();
	}
	/*
	 * Release: on the producer side, the slot writes become visible before
	 * the consumer can see the new tail; on the consumer side, our slot
	 * reads are done before the producer may overwrite those slots.
	 */
	__atomic_store_n(&ht->tail, old + n, __ATOMIC_RELEASE);
}

static __sl_always_inline unsigned int
__sl_ring_do_enqueue(struct sl_ring *r, const void *objs, unsigned int esize,
		     unsigned int n, enum sl_ring_queue_behavior behavior,
		     int single, unsigned int *free_space)
{
	uint32_t head, free_entries;

	n = __sl_ring_move_head(&r->prod, &r->cons, r->capacity, r->capacity,
				single, n, behavior, &head, &free_entries);
	if (sl_likely(n != 0)) {
		__sl_ring_copy(r, head, (void *)(uintptr_t)objs, esize, n, 1);
		__sl_ring_update_tail(&r->prod, head, n, single);
	}
	if (free_space != NULL)
		*free_space = free_entries - n;
	return n;
}

static __sl_always_inline unsigned int
__sl_ring_do_dequeue(struct sl_ring *r, void *objs, unsigned int esize,
		     unsigned int n, enum sl_ring_queue_behavior behavior,
		     int single, unsigned int *available)
{
	uint32_t head, entries;

	n = __sl_ring_move_head(&r->cons, &r->prod, 0, r->capacity, single, n,
				behavior, &head, &entries);
	if (sl_likely(n != 0)) {
		__sl_ring_copy(r, head, objs, esize, n, 0);
		__sl_ring_update_tail(&r->cons, head, n, single);
	}
	if (available != NULL)
		*available = entries - n;
	return n;
}

/** @endcond */

/* ---------------------------------------------------------------------- */
/* Control path (sl_ring.c)                                                */
/* ---------------------------------------------------------------------- */

/**
 * Bytes needed for a ring of @p count elements of @p esize bytes, header
 * included, to pass to sl_ring_init_elem() with the same count and flags.
 *
 * @param esize  element size in bytes, a non-zero multiple of 4.
 * @param count  number of slots (a power of two) or, with
 *               SL_RING_F_EXACT_SZ in @p flags, of objects.
 * @param flags  the flags that init will get (only SL_RING_F_EXACT_SZ
 *               changes the size, the others are accepted and ignored).
 * @return the size in bytes, or -EINVAL: unknown flags, esize 0 or not a
 *         multiple of 4, count 0, not a power of two without
 *         SL_RING_F_EXACT_SZ, or too large.
 */
ssize_t sl_ring_get_memsize_elem(unsigned int esize, unsigned int count,
				 unsigned int flags);

/**
 * Bytes needed for a pointer ring of @p count slots (a power of two, no
 * SL_RING_F_EXACT_SZ; for that use sl_ring_get_memsize_elem()).
 *
 * @return the size in bytes, or -EINVAL (count 0, not a power of two, or
 *         larger than SL_RING_SZ_MAX).
 */
ssize_t sl_ring_get_memsize(unsigned int count);

/**
 * Initialise a ring of @p esize-byte elements in memory the caller owns.
 * The ring is not registered by name (sl_ring_lookup() will not find it) and
 * sl_ring_free() refuses it: the caller frees the memory.
 *
 * @param r      memory of at least sl_ring_get_memsize_elem(esize, count,
 *               flags) bytes, aligned on SL_CACHE_LINE_SIZE.
 * @param name   a name for sl_ring_dump(); copied.
 * @param esize  element size in bytes, a non-zero multiple of 4.
 * @param count  number of slots (a power of two; capacity is count - 1), or
 *               with SL_RING_F_EXACT_SZ the exact capacity.
 * @param flags  SL_RING_F_SP_ENQ, SL_RING_F_SC_DEQ, SL_RING_F_EXACT_SZ.
 * @return 0, or a negative errno (the ring memory is left untouched):
 *   -EINVAL        r or name is NULL, r is not cache-line aligned, unknown
 *                  flags, bad esize, count 0, count not a power of two
 *                  without SL_RING_F_EXACT_SZ, or count too large;
 *   -ENAMETOOLONG  name has SL_RING_NAMESIZE characters or more.
 */
int sl_ring_init_elem(struct sl_ring *r, const char *name, unsigned int esize,
		      unsigned int count, unsigned int flags);

/**
 * Initialise a pointer ring in caller memory: sl_ring_init_elem() with
 * esize = sizeof(void *).  Same parameters and errors.
 */
int sl_ring_init(struct sl_ring *r, const char *name, unsigned int count,
		 unsigned int flags);

/**
 * Create a named ring of @p esize-byte elements on the EAL heap.
 *
 * @param name       unique name, shorter than SL_RING_NAMESIZE.
 * @param esize      element size in bytes, a non-zero multiple of 4.
 * @param count      slots (power of two) or, with SL_RING_F_EXACT_SZ, the
 *                   exact capacity.
 * @param socket_id  NUMA node for the memory, or SL_SOCKET_ID_ANY.
 * @param flags      SL_RING_F_SP_ENQ, SL_RING_F_SC_DEQ, SL_RING_F_EXACT_SZ.
 * @return the ring, or NULL with errno set:
 *   EINVAL        name NULL, unknown flags, bad esize or count (see
 *                 sl_ring_init_elem());
 *   ENAMETOOLONG  name too long;
 *   EEXIST        a ring of that name exists;
 *   ENOMEM        (or the heap's errno) no memory on that socket, or the
 *                 EAL is not initialised.
 */
struct sl_ring *sl_ring_create_elem(const char *name, unsigned int esize,
				    unsigned int count, int socket_id,
				    unsigned int flags);

/**
 * Create a named pointer ring: sl_ring_create_elem() with
 * esize = sizeof(void *).  Same parameters and errors.
 */
struct sl_ring *sl_ring_create(const char *name, unsigned int count,
			       int socket_id, unsigned int flags);

/**
 * Unregister and free a ring from sl_ring_create*().  NULL is a no-op.  A
 * ring from sl_ring_init*() is refused with a log message (its memory belongs
 * to the caller).  No error is returned.
 */
void sl_ring_free(struct sl_ring *r);

/**
 * Find a ring created with sl_ring_create*() by name.
 *
 * @return the ring, or NULL with errno set:
 *   EINVAL  name is NULL;
 *   ENOENT  no ring has that name.
 */
struct sl_ring *sl_ring_lookup(const char *name);

/**
 * Empty the ring.  Not thread-safe: no thread may be using the ring.
 * Never fails.
 */
void sl_ring_reset(struct sl_ring *r);

/**
 * Print the ring's geometry and counters to @p f (for debugging).
 * Never fails; a NULL ring prints a line saying so.
 */
void sl_ring_dump(FILE *f, const struct sl_ring *r);

/* ---------------------------------------------------------------------- */
/* Fast path: element rings                                                */
/* ---------------------------------------------------------------------- */

/**
 * Enqueue exactly @p n elements, single producer.  Only one thread may
 * enqueue on this ring at a time.
 *
 * @param r           the ring.
 * @param objs        n elements of esize bytes, contiguous.
 * @param esize       the ring's element size.
 * @param n           number of elements.
 * @param free_space  if not NULL, set to the free slots left after the call,
 *                    a lower bound: the consumer may have freed more.
 * @return n, or 0 if fewer than n slots were free (nothing enqueued).
 *         No error codes: a full ring is the only way to get 0 for n > 0.
 */
static inline unsigned int
sl_ring_elem_enqueue_bulk_sp(struct sl_ring *r, const void *objs,
			     unsigned int esize, unsigned int n,
			     unsigned int *free_space)
{
	return __sl_ring_do_enqueue(r, objs, esize, n, SL_RING_QUEUE_FIXED, 1,
				    free_space);
}

/**
 * Enqueue exactly @p n elements, multi-producer safe.  Same parameters and
 * return as sl_ring_elem_enqueue_bulk_sp().
 */
static inline unsigned int
sl_ring_elem_enqueue_bulk_mp(struct sl_ring *r, const void *objs,
			     unsigned int esize, unsigned int n,
			     unsigned int *free_space)
{
	return __sl_ring_do_enqueue(r, objs, esize, n, SL_RING_QUEUE_FIXED, 0,
				    free_space);
}

/**
 * Enqueue exactly @p n elements with the producer mode the ring was created
 * with.  Same parameters and return as sl_ring_elem_enqueue_bulk_sp().
 */
static inline unsigned int
sl_ring_elem_enqueue_bulk(struct sl_ring *r, const void *objs,
			  unsigned int esize, unsigned int n,
			  unsigned int *free_space)
{
	return __sl_ring_do_enqueue(r, objs, esize, n, SL_RING_QUEUE_FIXED,
				    r->prod.single != 0, free_space);
}

/**
 * Enqueue up to @p n elements, single producer.
 *
 * @return how many were enqueued (0..n): the first ones of @p objs.
 *         No error codes.
 */
static inline unsigned int
sl_ring_elem_enqueue_burst_sp(struct sl_ring *r, const void *objs,
			      unsigned int esize, unsigned int n,
			      unsigned int *free_space)
{
	return __sl_ring_do_enqueue(r, objs, esize, n, SL_RING_QUEUE_VARIABLE,
				    1, free_space);
}

/**
 * Enqueue up to @p n elements, multi-producer safe.
 * @return 0..n; no error codes.
 */
static inline unsigned int
sl_ring_elem_enqueue_burst_mp(struct sl_ring *r, const void *objs,
			      unsigned int esize, unsigned int n,
			      unsigned int *free_space)
{
	return __sl_ring_do_enqueue(r, objs, esize, n, SL_RING_QUEUE_VARIABLE,
				    0, free_space);
}

/**
 * Enqueue up to @p n elements, ring's producer mode.
 * @return 0..n; no error codes.
 */
static inline unsigned int
sl_ring_elem_enqueue_burst(struct sl_ring *r, const void *objs,
			   unsigned int esize, unsigned int n,
			   unsigned int *free_space)
{
	return __sl_ring_do_enqueue(r, objs, esize, n, SL_RING_QUEUE_VARIABLE,
				    r->prod.single != 0, free_space);
}

/**
 * Dequeue exactly @p n elements, single consumer.  Only one thread may
 * dequeue from this ring at a time.
 *
 * @param r          the ring.
 * @param objs       room for n elements of esize bytes.
 * @param esize      the ring's element size.
 * @param n          number of elements.
 * @param available  if not NULL, set to the elements left after the call,
 *                   a lower bound: the producer may have added more.
 * @return n, or 0 if fewer than n were there (nothing dequeued).
 *         No error codes.
 */
static inline unsigned int
sl_ring_elem_dequeue_bulk_sc(struct sl_ring *r, void *objs,
			     unsigned int esize, unsigned int n,
			     unsigned int *available)
{
	return __sl_ring_do_dequeue(r, objs, esize, n, SL_RING_QUEUE_FIXED, 1,
				    available);
}

/**
 * Dequeue exactly @p n elements, multi-consumer safe.
 * @return n or 0; no error codes.
 */
static inline unsigned int
sl_ring_elem_dequeue_bulk_mc(struct sl_ring *r, void *objs,
			     unsigned int esize, unsigned int n,
			     unsigned int *available)
{
	return __sl_ring_do_dequeue(r, objs, esize, n, SL_RING_QUEUE_FIXED, 0,
				    available);
}

/**
 * Dequeue exactly @p n elements, ring's consumer mode.
 * @return n or 0; no error codes.
 */
static inline unsigned int
sl_ring_elem_dequeue_bulk(struct sl_ring *r, void *objs, unsigned int esize,
			  unsigned int n, unsigned int *available)
{
	return __sl_ring_do_dequeue(r, objs, esize, n, SL_RING_QUEUE_FIXED,
				    r->cons.single != 0, available);
}

/**
 * Dequeue up to @p n elements, single consumer.
 * @return 0..n; no error codes.
 */
static inline unsigned int
sl_ring_elem_dequeue_burst_sc(struct sl_ring *r, void *objs,
			      unsigned int esize, unsigned int n,
			      unsigned int *available)
{
	return __sl_ring_do_dequeue(r, objs, esize, n, SL_RING_QUEUE_VARIABLE,
				    1, available);
}

/**
 * Dequeue up to @p n elements, multi-consumer safe.
 * @return 0..n; no error codes.
 */
static inline unsigned int
sl_ring_elem_dequeue_burst_mc(struct sl_ring *r, void *objs,
			      unsigned int esize, unsigned int n,
			      unsigned int *available)
{
	return __sl_ring_do_dequeue(r, objs, esize, n, SL_RING_QUEUE_VARIABLE,
				    0, available);
}

/**
 * Dequeue up to @p n elements, ring's consumer mode.
 * @return 0..n; no error codes.
 */
static inline unsigned int
sl_ring_elem_dequeue_burst(struct sl_ring *r, void *objs, unsigned int esize,
			   unsigned int n, unsigned int *available)
{
	return __sl_ring_do_dequeue(r, objs, esize, n, SL_RING_QUEUE_VARIABLE,
				    r->cons.single != 0, available);
}

/* ---------------------------------------------------------------------- */
/* Fast path: pointer rings                                                */
/* ---------------------------------------------------------------------- */

static_assert(sizeof(void *) == 8, "the pointer ring copies 8-byte slots");

/**
 * Enqueue exactly @p n pointers, single producer.
 *
 * @param r           the ring.
 * @param objs        the pointers.
 * @param n           how many.
 * @param free_space  if not NULL, set to the free slots left after the call,
 *                    a lower bound: the consumer may have freed more.
 * @return n, or 0 if fewer than n slots were free.  No error codes.
 */
static inline unsigned int
sl_ring_enqueue_bulk_sp(struct sl_ring *r, void *const *objs, unsigned int n,
			unsigned int *free_space)
{
	return sl_ring_elem_enqueue_bulk_sp(r, objs, sizeof(void *), n,
					    free_space);
}

/**
 * Enqueue exactly @p n pointers, multi-producer safe.
 * @return n or 0; no error codes.
 */
static inline unsigned int
sl_ring_enqueue_bulk_mp(struct sl_ring *r, void *const *objs, unsigned int n,
			unsigned int *free_space)
{
	return sl_ring_elem_enqueue_bulk_mp(r, objs, sizeof(void *), n,
					    free_space);
}

/**
 * Enqueue exactly @p n pointers, ring's producer mode.
 * @return n or 0; no error codes.
 */
static inline unsigned int
sl_ring_enqueue_bulk(struct sl_ring *r, void *const *objs, unsigned int n,
		     unsigned int *free_space)
{
	return sl_ring_elem_enqueue_bulk(r, objs, sizeof(void *), n,
					 free_space);
}

/**
 * Enqueue up to @p n pointers, single producer.
 * @return 0..n; no error codes.
 */
static inline unsigned int
sl_ring_enqueue_burst_sp(struct sl_ring *r, void *const *objs, unsigned int n,
			 unsigned int *free_space)
{
	return sl_ring_elem_enqueue_burst_sp(r, objs, sizeof(void *), n,
					     free_space);
}

/**
 * Enqueue up to @p n pointers, multi-producer safe.
 * @return 0..n; no error codes.
 */
static inline unsigned int
sl_ring_enqueue_burst_mp(struct sl_ring *r, void *const *objs, unsigned int n,
			 unsigned int *free_space)
{
	return sl_ring_elem_enqueue_burst_mp(r, objs, sizeof(void *), n,
					     free_space);
}

/**
 * Enqueue up to @p n pointers, ring's producer mode.
 * @return 0..n; no error codes.
 */
static inline unsigned int
sl_ring_enqueue_burst(struct sl_ring *r, void *const *objs, unsigned int n,
		      unsigned int *free_space)
{
	return sl_ring_elem_enqueue_burst(r, objs, sizeof(void *), n,
					  free_space);
}

/**
 * Dequeue exactly @p n pointers, single consumer.
 *
 * @param r          the ring.
 * @param objs       room for n pointers.
 * @param n          how many.
 * @param available  if not NULL, set to the entries left after the call,
 *                   a lower bound: the producer may have added more.
 * @return n, or 0 if fewer than n were there.  No error codes.
 */
static inline unsigned int
sl_ring_dequeue_bulk_sc(struct sl_ring *r, void **objs, unsigned int n,
			unsigned int *available)
{
	return sl_ring_elem_dequeue_bulk_sc(r, objs, sizeof(void *), n,
					    available);
}

/**
 * Dequeue exactly @p n pointers, multi-consumer safe.
 * @return n or 0; no error codes.
 */
static inline unsigned int
sl_ring_dequeue_bulk_mc(struct sl_ring *r, void **objs, unsigned int n,
			unsigned int *available)
{
	return sl_ring_elem_dequeue_bulk_mc(r, objs, sizeof(void *), n,
					    available);
}

/**
 * Dequeue exactly @p n pointers, ring's consumer mode.
 * @return n or 0; no error codes.
 */
static inline unsigned int
sl_ring_dequeue_bulk(struct sl_ring *r, void **objs, unsigned int n,
		     unsigned int *available)
{
	return sl_ring_elem_dequeue_bulk(r, objs, sizeof(void *), n,
					 available);
}

/**
 * Dequeue up to @p n pointers, single consumer.
 * @return 0..n; no error codes.
 */
static inline unsigned int
sl_ring_dequeue_burst_sc(struct sl_ring *r, void **objs, unsigned int n,
			 unsigned int *available)
{
	return sl_ring_elem_dequeue_burst_sc(r, objs, sizeof(void *), n,
					     available);
}

/**
 * Dequeue up to @p n pointers, multi-consumer safe.
 * @return 0..n; no error codes.
 */
static inline unsigned int
sl_ring_dequeue_burst_mc(struct sl_ring *r, void **objs, unsigned int n,
			 unsigned int *available)
{
	return sl_ring_elem_dequeue_burst_mc(r, objs, sizeof(void *), n,
					     available);
}

/**
 * Dequeue up to @p n pointers, ring's consumer mode.
 * @return 0..n; no error codes.
 */
static inline unsigned int
sl_ring_dequeue_burst(struct sl_ring *r, void **objs, unsigned int n,
		      unsigned int *available)
{
	return sl_ring_elem_dequeue_burst(r, objs, sizeof(void *), n,
					  available);
}

/**
 * Enqueue one pointer, ring's producer mode.
 * @return 0, or -ENOBUFS if the ring is full.
 */
static inline int
sl_ring_enqueue(struct sl_ring *r, void *obj)
{
	return sl_ring_enqueue_bulk(r, &obj, 1, NULL) ? 0 : -ENOBUFS;
}

/**
 * Dequeue one pointer, ring's consumer mode.
 * @return 0 with *obj set, or -ENOENT if the ring is empty.
 */
static inline int
sl_ring_dequeue(struct sl_ring *r, void **obj)
{
	return sl_ring_dequeue_bulk(r, obj, 1, NULL) ? 0 : -ENOENT;
}

/* ---------------------------------------------------------------------- */
/* Occupancy                                                               */
/* ---------------------------------------------------------------------- */

/**
 * Number of entries in the ring.  Exact when the ring is quiet; while other
 * threads work on it, a value it had at some point during the call.
 * @return 0..capacity.  No error codes.
 */
static inline unsigned int
sl_ring_count(const struct sl_ring *r)
{
	/*
	 * Read cons.tail first, with acquire so the prod.tail load cannot move
	 * before it: prod.tail only grows and is never behind cons.tail, so
	 * the later prod.tail is >= the earlier cons.tail and the difference
	 * never goes negative.  It can exceed the capacity if both tails
	 * moved in between, hence the clamp.
	 */
	uint32_t cons_tail = __atomic_load_n(&r->cons.tail, __ATOMIC_ACQUIRE);
	/* Relaxed: a snapshot, nothing is read through it. */
	uint32_t prod_tail = __atomic_load_n(&r->prod.tail, __ATOMIC_RELAXED);
	uint32_t count = prod_tail - cons_tail;

	return count > r->capacity ? r->capacity : count;
}

/**
 * Free slots in the ring.
 * @return 0..capacity.  No error codes.
 */
static inline unsigned int
sl_ring_free_count(const struct sl_ring *r)
{
	return r->capacity - sl_ring_count(r);
}

/** @return non-zero if the ring holds capacity entries.  No error codes. */
static inline int
sl_ring_full(const struct sl_ring *r)
{
	return sl_ring_free_count(r) == 0;
}

/** @return non-zero if the ring holds no entry.  No error codes. */
static inline int
sl_ring_empty(const struct sl_ring *r)
{
	return sl_ring_count(r) == 0;
}

/** @return the number of slots (a power of two).  No error codes. */
static inline unsigned int
sl_ring_get_size(const struct sl_ring *r)
{
	return r->size;
}

/** @return how many entries the ring can hold.  No error codes. */
static inline unsigned int
sl_ring_get_capacity(const struct sl_ring *r)
{
	return r->capacity;
}

/** @return the element size in bytes (8 for a pointer ring).  No errors. */
static inline unsigned int
sl_ring_get_esize(const struct sl_ring *r)
{
	return r->esize;
}

/** @return the ring's name.  No error codes. */
static inline const char *
sl_ring_get_name(const struct sl_ring *r)
{
	return r->name;
}

#ifdef __cplusplus
}
#endif

#endif /* SL_RING_H */
