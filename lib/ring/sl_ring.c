/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ring control path: argument checking, sizing, creation on the EAL heap and
 * the process-wide name registry.  The fast path is inline in sl_ring.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include "sl_common.h"
#include "sl_log.h"
#include "sl_malloc.h"
#include "sl_memory.h"
#include "sl_ring.h"

/* A registered ring.  Kept outside the ring so the ring layout stays the
 * fast path's alone. */
struct ring_entry {
	TAILQ_ENTRY(ring_entry) next;
	struct sl_ring *r;
};

TAILQ_HEAD(ring_list, ring_entry);

static struct ring_list ring_list = TAILQ_HEAD_INITIALIZER(ring_list);
static pthread_mutex_t ring_list_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * sl_eal_cleanup() unmaps the heap.  A ring still registered then would be
 * a dangling registry entry after the next sl_eal_init() (lookup returning
 * freed memory, create failing with EEXIST), so drop the entries of rings
 * in a segment about to go, and say so: the application leaked them.
 * Called with the heap lock held; takes ring_list_lock, which is never held
 * while calling into the heap.
 */
static void
ring_mem_event(enum sl_mem_event ev, const void *addr, size_t len, void *arg)
{
	struct ring_entry *e, *tmp;
	uintptr_t lo = (uintptr_t)addr, hi = lo + len;

	(void)arg;
	if (ev != SL_MEM_EVENT_FREE)
		return;
	pthread_mutex_lock(&ring_list_lock);
	for (e = TAILQ_FIRST(&ring_list); e != NULL; e = tmp) {
		tmp = TAILQ_NEXT(e, next);
		if ((uintptr_t)e->r >= lo && (uintptr_t)e->r < hi) {
			SL_LOG(WARNING, RING, "ring '%s' was not freed before "
			       "sl_eal_cleanup(); forgetting it (call "
			       "sl_ring_free() first)", e->r->name);
			TAILQ_REMOVE(&ring_list, e, next);
			free(e);
		}
	}
	pthread_mutex_unlock(&ring_list_lock);
}

/* Registrations survive sl_eal_cleanup(), so once per process is enough. */
static void __attribute__((constructor))
ring_register_mem_event(void)
{
	int ret = sl_mem_event_callback_register("ring", ring_mem_event, NULL);

	if (ret < 0)
		SL_LOG(ERR, RING, "cannot register the heap event callback "
		       "(%s): rings leaked past sl_eal_cleanup() will stay "
		       "registered", strerror(-ret));
}

/*
 * Geometry for esize/count/flags: slots (power of two) and capacity.
 * Logs and returns -EINVAL on bad input; @p who names the caller in the log.
 */
static int
ring_geometry(const char *who, unsigned int esize, unsigned int count,
	      unsigned int flags, uint32_t *size, uint32_t *capacity)
{
	if (esize == 0 || esize % 4 != 0) {
		SL_LOG(ERR, RING, "%s: element size %u is not a non-zero multiple "
		       "of 4; pad the element to a multiple of 4 bytes", who,
		       esize);
		return -EINVAL;
	}
	if (count == 0) {
		SL_LOG(ERR, RING, "%s: count 0; a ring needs at least 1 slot "
		       "(with SL_RING_F_EXACT_SZ) or 2 (power of two)", who);
		return -EINVAL;
	}
	if (flags & SL_RING_F_EXACT_SZ) {
		/* count + 1 slots at least, so that 'full' stays distinct
		 * from 'empty' exactly as without the flag. */
		if (count > SL_RING_SZ_MAX - 1) {
			SL_LOG(ERR, RING, "%s: count %u too large; the largest "
			       "exact-size ring holds %u", who, count,
			       SL_RING_SZ_MAX - 1);
			return -EINVAL;
		}
		*size = sl_align32pow2(count + 1);
		*capacity = count;
		return 0;
	}
	if (count > SL_RING_SZ_MAX) {
		SL_LOG(ERR, RING, "%s: count %u too large; at most %u slots",
		       who, count, SL_RING_SZ_MAX);
		return -EINVAL;
	}
	if (!sl_is_power_of_2(count)) {
		SL_LOG(ERR, RING, "%s: count %u is not a power of two; use %u, "
		       "or pass SL_RING_F_EXACT_SZ for a ring holding exactly "
		       "%u", who, count, sl_align32pow2(count), count);
		return -EINVAL;
	}
	if (count == 1) {
		SL_LOG(ERR, RING, "%s: count 1 gives a ring that holds nothing "
		       "(one slot stays empty); use 2 or more, or "
		       "SL_RING_F_EXACT_SZ", who);
		return -EINVAL;
	}
	*size = count;
	*capacity = count - 1;
	return 0;
}

static int
ring_check_name(const char *who, const char *name)
{
	size_t len;

	if (name == NULL) {
		SL_LOG(ERR, RING, "%s: name is NULL; give the ring a name", who);
		return -EINVAL;
	}
	len = strnlen(name, SL_RING_NAMESIZE);
	if (len >= SL_RING_NAMESIZE) {
		SL_LOG(ERR, RING, "%s: name '%.*s...' is too long; at most %d "
		       "characters", who, SL_RING_NAMESIZE - 1, name,
		       SL_RING_NAMESIZE - 1);
		return -ENAMETOOLONG;
	}
	return 0;
}

static int
ring_check_flags(const char *who, unsigned int flags)
{
	if (flags & ~SL_RING_F_MASK) {
		SL_LOG(ERR, RING, "%s: unknown flags 0x%x; valid are "
		       "SL_RING_F_SP_ENQ|SL_RING_F_SC_DEQ|SL_RING_F_EXACT_SZ "
		       "(0x%x)", who, flags & ~SL_RING_F_MASK, SL_RING_F_MASK);
		return -EINVAL;
	}
	return 0;
}

/* Every argument check of init and create, in the order users hit them. */
static int
ring_check_args(const char *who, const char *name, unsigned int esize,
		unsigned int count, unsigned int flags, uint32_t *size,
		uint32_t *capacity)
{
	int ret;

	ret = ring_check_name(who, name);
	if (ret == 0)
		ret = ring_check_flags(who, flags);
	if (ret == 0)
		ret = ring_geometry(who, esize, count, flags, size, capacity);
	return ret;
}

static size_t
ring_memsize(uint32_t size, unsigned int esize)
{
	/* size <= 2^31 and esize < 2^32: no overflow in 64 bits. */
	return sizeof(struct sl_ring) +
	       SL_ALIGN_CEIL((size_t)size * esize, (size_t)SL_CACHE_LINE_SIZE);
}

ssize_t
sl_ring_get_memsize_elem(unsigned int esize, unsigned int count,
			 unsigned int flags)
{
	uint32_t size, capacity;
	int ret;

	ret = ring_check_flags(__func__, flags);
	if (ret < 0)
		return ret;
	ret = ring_geometry(__func__, esize, count, flags, &size, &capacity);
	if (ret < 0)
		return ret;
	return (ssize_t)ring_memsize(size, esize);
}

ssize_t
sl_ring_get_memsize(unsigned int count)
{
	return sl_ring_get_memsize_elem(sizeof(void *), count, 0);
}

/* Fill in a ring whose arguments are already checked. */
static void
ring_setup(struct sl_ring *r, const char *name, unsigned int esize,
	   uint32_t size, uint32_t capacity, unsigned int flags, int created)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->flags = flags;
	r->size = size;
	r->mask = size - 1;
	r->capacity = capacity;
	r->esize = esize;
	r->created = created;
	r->prod.single = !!(flags & SL_RING_F_SP_ENQ);
	r->cons.single = !!(flags & SL_RING_F_SC_DEQ);
	/* Counters start at 0; they are free-running and wrap modulo 2^32. */
}

int
sl_ring_init_elem(struct sl_ring *r, const char *name, unsigned int esize,
		  unsigned int count, unsigned int flags)
{
	uint32_t size, capacity;
	int ret;

	if (r == NULL) {
		SL_LOG(ERR, RING, "%s: ring memory is NULL; pass memory of "
		       "sl_ring_get_memsize_elem() bytes", __func__);
		return -EINVAL;
	}
	if (!SL_IS_ALIGNED(r, SL_CACHE_LINE_SIZE)) {
		SL_LOG(ERR, RING, "%s: ring memory %p is not aligned on %d "
		       "bytes; allocate it with aligned_alloc(%d, ...)",
		       __func__, (void *)r, SL_CACHE_LINE_SIZE,
		       SL_CACHE_LINE_SIZE);
		return -EINVAL;
	}
	ret = ring_check_args(__func__, name, esize, count, flags, &size,
			      &capacity);
	if (ret < 0)
		return ret;
	ring_setup(r, name, esize, size, capacity, flags, 0);
	return 0;
}

int
sl_ring_init(struct sl_ring *r, const char *name, unsigned int count,
	     unsigned int flags)
{
	return sl_ring_init_elem(r, name, sizeof(void *), count, flags);
}

/* Caller holds ring_list_lock. */
static struct ring_entry *
ring_find_locked(const char *name)
{
	struct ring_entry *e;

	TAILQ_FOREACH(e, &ring_list, next) {
		if (strncmp(e->r->name, name, SL_RING_NAMESIZE) == 0)
			return e;
	}
	return NULL;
}

struct sl_ring *
sl_ring_create_elem(const char *name, unsigned int esize, unsigned int count,
		    int socket_id, unsigned int flags)
{
	struct ring_entry *e = NULL;
	struct sl_ring *r = NULL;
	uint32_t size, capacity;
	int ret;

	ret = ring_check_args(__func__, name, esize, count, flags, &size,
			      &capacity);
	if (ret < 0)
		goto fail;

	/* Entry first: plain malloc, it is bookkeeping, not shared memory. */
	e = calloc(1, sizeof(*e));
	if (e == NULL) {
		SL_LOG(ERR, RING, "%s: '%s': out of memory for the registry "
		       "entry", __func__, name);
		ret = -ENOMEM;
		goto fail;
	}

	/*
	 * Allocate before taking ring_list_lock: heap callbacks
	 * (ring_mem_event) take that lock with the heap lock held, so we never
	 * call into the heap while holding it.
	 */
	errno = 0;
	r = sl_zmalloc_socket("ring", ring_memsize(size, esize),
			      SL_CACHE_LINE_SIZE, socket_id);
	if (r == NULL) {
		ret = errno != 0 ? -errno : -ENOMEM;
		SL_LOG(ERR, RING, "%s: '%s': cannot allocate %zu bytes on "
		       "socket %d (%s); is the EAL initialised, with enough "
		       "memory (-m / --socket-mem)?", __func__, name,
		       ring_memsize(size, esize), socket_id, strerror(-ret));
		goto fail_entry;
	}
	ring_setup(r, name, esize, size, capacity, flags, 1);

	pthread_mutex_lock(&ring_list_lock);
	if (ring_find_locked(name) != NULL) {
		pthread_mutex_unlock(&ring_list_lock);
		SL_LOG(ERR, RING, "%s: a ring named '%s' exists; pick another "
		       "name or sl_ring_lookup() it", __func__, name);
		ret = -EEXIST;
		goto fail_ring;
	}
	e->r = r;
	TAILQ_INSERT_TAIL(&ring_list, e, next);
	pthread_mutex_unlock(&ring_list_lock);
	return r;

fail_ring:
	sl_free(r);
fail_entry:
	free(e);
fail:
	errno = -ret;
	return NULL;
}

struct sl_ring *
sl_ring_create(const char *name, unsigned int count, int socket_id,
	       unsigned int flags)
{
	return sl_ring_create_elem(name, sizeof(void *), count, socket_id,
				   flags);
}

void
sl_ring_free(struct sl_ring *r)
{
	struct ring_entry *e;

	if (r == NULL)
		return;
	if (!r->created) {
		SL_LOG(ERR, RING, "%s: ring '%s' was not made by "
		       "sl_ring_create(); free the memory you gave "
		       "sl_ring_init() instead", __func__, r->name);
		return;
	}
	pthread_mutex_lock(&ring_list_lock);
	TAILQ_FOREACH(e, &ring_list, next) {
		if (e->r == r)
			break;
	}
	if (e == NULL) {
		pthread_mutex_unlock(&ring_list_lock);
		SL_LOG(ERR, RING, "%s: ring %p ('%.*s') is not registered; "
		       "freed twice?", __func__, (void *)r,
		       SL_RING_NAMESIZE - 1, r->name);
		return;
	}
	TAILQ_REMOVE(&ring_list, e, next);
	pthread_mutex_unlock(&ring_list_lock);
	free(e);
	sl_free(r);
}

struct sl_ring *
sl_ring_lookup(const char *name)
{
	struct ring_entry *e;
	struct sl_ring *r = NULL;

	if (name == NULL) {
		SL_LOG(ERR, RING, "%s: name is NULL", __func__);
		errno = EINVAL;
		return NULL;
	}
	pthread_mutex_lock(&ring_list_lock);
	e = ring_find_locked(name);
	if (e != NULL)
		r = e->r;
	pthread_mutex_unlock(&ring_list_lock);
	if (r == NULL)
		errno = ENOENT;
	return r;
}

void
sl_ring_reset(struct sl_ring *r)
{
	/* Relaxed: the caller guarantees nobody else is using the ring. */
	__atomic_store_n(&r->prod.head, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&r->prod.tail, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&r->cons.head, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&r->cons.tail, 0, __ATOMIC_RELAXED);
	/* The single-thread calls' copies of the other tail, now true again
	 * (the producer's counts a full ring of free slots). */
	r->prod.seen = 0;
	r->cons.seen = 0;
}

void
sl_ring_dump(FILE *f, const struct sl_ring *r)
{
	if (r == NULL) {
		fprintf(f, "ring: NULL\n");
		return;
	}
	fprintf(f, "ring <%s>@%p\n", r->name, (const void *)r);
	fprintf(f, "  flags=0x%x%s%s%s\n", r->flags,
		r->prod.single ? " sp" : " mp", r->cons.single ? " sc" : " mc",
		(r->flags & SL_RING_F_EXACT_SZ) ? " exact" : "");
	fprintf(f, "  size=%" PRIu32 " capacity=%" PRIu32 " esize=%" PRIu32
		"\n", r->size, r->capacity, r->esize);
	/* Relaxed: a debugging snapshot. */
	fprintf(f, "  prod: head=%" PRIu32 " tail=%" PRIu32 "\n",
		__atomic_load_n(&r->prod.head, __ATOMIC_RELAXED),
		__atomic_load_n(&r->prod.tail, __ATOMIC_RELAXED));
	fprintf(f, "  cons: head=%" PRIu32 " tail=%" PRIu32 "\n",
		__atomic_load_n(&r->cons.head, __ATOMIC_RELAXED),
		__atomic_load_n(&r->cons.tail, __ATOMIC_RELAXED));
	fprintf(f, "  used=%u avail=%u\n", sl_ring_count(r),
		sl_ring_free_count(r));
}
