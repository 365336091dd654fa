/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Mempool control path: creation (layout, memory, caches, ring), the name
 * registry, accounting, audit and the cache refill slow path.  The get/put
 * fast path is inline in sl_mempool.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "sl_eal.h"
#include "sl_lcore.h"
#include "sl_log.h"
#include "sl_malloc.h"
#include "sl_memory.h"
#include "sl_mempool.h"
#include "sl_ring.h"

/* Largest pool: the ring counters stay meaningful up to SL_RING_SZ_MAX. */
#define MEMPOOL_MAX_OBJS (SL_RING_SZ_MAX - 1)

/* Audit stops reporting individual problems after this many lines. */
#define AUDIT_MAX_REPORTS 16

/*
 * Registry of named pools.  The lock is never held across a heap call:
 * the heap fires memory events with its own lock held, and our event
 * callback takes this lock, so the order must be heap lock -> registry lock.
 */
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sl_mempool *registry;
static pthread_once_t event_once = PTHREAD_ONCE_INIT;

static unsigned
cache_flushthresh(unsigned size)
{
	return (unsigned)(size * SL_MEMPOOL_CACHE_FLUSHTHRESH_MULTIPLIER);
}

static struct sl_mempool *
registry_find_locked(const char *name)
{
	struct sl_mempool *mp;

	for (mp = registry; mp != NULL; mp = mp->list_next)
		if (strncmp(mp->name, name, SL_MEMPOOL_NAMESIZE) == 0)
			return mp;
	return NULL;
}

/* Unlink @mp; returns 1 if it was registered. */
static int
registry_remove_locked(struct sl_mempool *mp)
{
	struct sl_mempool **pp;

	for (pp = &registry; *pp != NULL; pp = &(*pp)->list_next)
		if (*pp == mp) {
			*pp = mp->list_next;
			mp->list_next = NULL;
			return 1;
		}
	return 0;
}

/* Process-heap bookkeeping of a pool (not on the EAL heap). */
static void
release_host_memory(struct sl_mempool *mp)
{
	struct sl_mempool_memchunk *c, *next;

	for (c = mp->chunks; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	mp->chunks = NULL;
	free(mp->objtable);
	mp->objtable = NULL;
}

/*
 * sl_eal_cleanup() unmaps every segment.  A pool nobody freed would stay in
 * the registry as a dangling pointer and break lookups after the next
 * sl_eal_init(), so drop it here (its EAL memory goes with the segment).
 */
static void
mem_event_cb(enum sl_mem_event ev, const void *addr, size_t len, void *arg)
{
	struct sl_mempool **pp, *mp;

	(void)arg;
	if (ev != SL_MEM_EVENT_FREE)
		return;
	pthread_mutex_lock(&registry_lock);
	pp = &registry;
	while ((mp = *pp) != NULL) {
		if ((uintptr_t)mp >= (uintptr_t)addr &&
		    (uintptr_t)mp - (uintptr_t)addr < len) {
			SL_LOG(WARNING, MEMPOOL,
			       "mempool '%s' was not freed before its memory was released "
			       "(call sl_mempool_free() before sl_eal_cleanup()); dropping it",
			       mp->name);
			*pp = mp->list_next;
			release_host_memory(mp);
		} else {
			pp = &mp->list_next;
		}
	}
	pthread_mutex_unlock(&registry_lock);
}

static void
register_mem_event(void)
{
	int rc = sl_mem_event_callback_register("mempool", mem_event_cb, NULL);

	if (rc < 0 && rc != -EEXIST)
		SL_LOG(WARNING, MEMPOOL,
		       "cannot register memory event callback (%d): pools leaked at "
		       "sl_eal_cleanup() will stay registered", rc);
}

static void *
zmalloc_on(const char *type, size_t len, int socket_id)
{
	if (socket_id == SL_SOCKET_ID_ANY)
		return sl_zmalloc(type, len, SL_CACHE_LINE_SIZE);
	return sl_zmalloc_socket(type, len, SL_CACHE_LINE_SIZE, socket_id);
}

static int
validate_args(const char *name, unsigned n, unsigned elt_size, unsigned cache_size,
	      unsigned flags)
{
	if (name == NULL) {
		SL_LOG(ERR, MEMPOOL, "mempool name is NULL: pass a unique name");
		return -EINVAL;
	}
	if (strnlen(name, SL_MEMPOOL_NAMESIZE) >= SL_MEMPOOL_NAMESIZE) {
		SL_LOG(ERR, MEMPOOL,
		       "mempool name '%s' is too long: at most %d characters",
		       name, SL_MEMPOOL_NAMESIZE - 1);
		return -ENAMETOOLONG;
	}
	if (name[0] == '\0') {
		SL_LOG(ERR, MEMPOOL, "mempool name is empty: pass a unique name");
		return -EINVAL;
	}
	if (n == 0 || n > MEMPOOL_MAX_OBJS) {
		SL_LOG(ERR, MEMPOOL,
		       "mempool '%s': n = %u objects is invalid: use 1 .. %u",
		       name, n, MEMPOOL_MAX_OBJS);
		return -EINVAL;
	}
	if (elt_size == 0) {
		SL_LOG(ERR, MEMPOOL,
		       "mempool '%s': elt_size 0 is invalid: objects need at least 1 byte",
		       name);
		return -EINVAL;
	}
	if (cache_size > SL_MEMPOOL_CACHE_MAX_SIZE) {
		SL_LOG(ERR, MEMPOOL,
		       "mempool '%s': cache_size %u is larger than "
		       "SL_MEMPOOL_CACHE_MAX_SIZE (%u): use at most %u",
		       name, cache_size, SL_MEMPOOL_CACHE_MAX_SIZE,
		       SL_MEMPOOL_CACHE_MAX_SIZE);
		return -EINVAL;
	}
	if ((double)cache_size * SL_MEMPOOL_CACHE_FLUSHTHRESH_MULTIPLIER > n) {
		SL_LOG(ERR, MEMPOOL,
		       "mempool '%s': cache_size %u is too large for %u objects "
		       "(a cache may hold 1.5 x cache_size): use cache_size <= %u "
		       "or more objects",
		       name, cache_size, n,
		       (unsigned)(n / SL_MEMPOOL_CACHE_FLUSHTHRESH_MULTIPLIER));
		return -EINVAL;
	}
	if (flags & ~SL_MEMPOOL_F_ALL) {
		SL_LOG(ERR, MEMPOOL,
		       "mempool '%s': unknown flags 0x%x: valid flags are 0x%x",
		       name, flags & ~SL_MEMPOOL_F_ALL, SL_MEMPOOL_F_ALL);
		return -EINVAL;
	}
	return 0;
}

static int
cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(void *const *)a;
	uintptr_t y = (uintptr_t)*(void *const *)b;

	return (x > y) - (x < y);
}

/*
 * Carve objects out of one or more heap blocks.  Heap blocks are
 * IOVA-contiguous (sl_malloc.h), so an object never straddles an IOVA
 * discontinuity.  One block is tried first; if the heap cannot provide it,
 * progressively smaller blocks.
 */
static int
populate(struct sl_mempool *mp, size_t total_elt_sz)
{
	unsigned placed = 0, want = mp->size;

	while (placed < mp->size) {
		struct sl_mempool_memchunk *c;
		unsigned k = SL_MIN(want, mp->size - placed);
		size_t len = (size_t)k * total_elt_sz;
		char *mem;

		mem = mp->socket_id == SL_SOCKET_ID_ANY ?
			      sl_zmalloc("mempool_objs", len, SL_CACHE_LINE_SIZE) :
			      sl_zmalloc_socket("mempool_objs", len, SL_CACHE_LINE_SIZE,
						mp->socket_id);
		if (mem == NULL) {
			if (errno != ENOMEM || k == 1) {
				SL_LOG(ERR, MEMPOOL,
				       "mempool '%s': cannot allocate %zu bytes for %u "
				       "objects of %zu bytes (%s): reserve more memory "
				       "(-m / --socket-mem) or create fewer objects",
				       mp->name, len, k, total_elt_sz, strerror(errno));
				return -ENOMEM;
			}
			want = (k + 1) / 2;
			continue;
		}
		c = calloc(1, sizeof(*c));
		if (c == NULL) {
			sl_free(mem);
			return -ENOMEM;
		}
		c->addr = mem;
		c->len = len;
		c->nb_objs = k;
		c->next = mp->chunks;
		mp->chunks = c;

		for (unsigned i = 0; i < k; i++) {
			char *slot = mem + (size_t)i * total_elt_sz;
			char *obj = slot + mp->header_size;
			struct sl_mempool_objhdr *hdr = sl_mempool_get_header(obj);
			struct sl_mempool_objtlr *tlr = (struct sl_mempool_objtlr *)
				(obj + SL_ALIGN_CEIL(mp->elt_size, 8u));

			hdr->mp = mp;
			hdr->iova = sl_mem_virt2iova(obj);
			hdr->cookie = SL_MEMPOOL_HEADER_COOKIE;
			tlr->cookie = SL_MEMPOOL_TRAILER_COOKIE;
			mp->objtable[placed++] = obj;
		}
	}
	qsort(mp->objtable, mp->size, sizeof(void *), cmp_ptr);
	return 0;
}

static void
free_eal_memory(struct sl_mempool *mp)
{
	struct sl_mempool_memchunk *c;
	unsigned i;

	for (c = mp->chunks; c != NULL; c = c->next)
		sl_free(c->addr);
	for (i = 0; i < SL_MAX_LCORE; i++) {
		sl_free(mp->local_cache[i]);
		mp->local_cache[i] = NULL;
	}
	sl_free(mp->ring_mem);
	mp->ring_mem = NULL;
	mp->ring = NULL;
}

static int
create_caches(struct sl_mempool *mp)
{
	size_t len = sizeof(struct sl_mempool_cache) +
		     3 * (size_t)mp->cache_size * sizeof(void *);
	unsigned i;

	if (mp->cache_size == 0)
		return 0;
	for (i = 0; i < SL_MAX_LCORE; i++) {
		struct sl_mempool_cache *c;
		int socket;

		if (!sl_lcore_is_enabled(i))
			continue;
		/* On the lcore's own node: only that lcore touches it. */
		socket = sl_lcore_to_socket_id(i);
		c = zmalloc_on("mempool_cache", len, socket);
		if (c == NULL && socket != SL_SOCKET_ID_ANY)
			c = zmalloc_on("mempool_cache", len, SL_SOCKET_ID_ANY);
		if (c == NULL) {
			SL_LOG(ERR, MEMPOOL,
			       "mempool '%s': no memory for the cache of lcore %u "
			       "(%zu bytes): reserve more memory or use a smaller cache_size",
			       mp->name, i, len);
			return -ENOMEM;
		}
		c->size = mp->cache_size;
		c->flushthresh = cache_flushthresh(mp->cache_size);
		c->len = 0;
		mp->local_cache[i] = c;
	}
	return 0;
}

struct sl_mempool *
sl_mempool_create(const char *name, unsigned n, unsigned elt_size,
		  unsigned cache_size, unsigned private_data_size,
		  sl_mempool_ctor_t *mp_init, void *mp_init_arg,
		  sl_mempool_obj_cb_t *obj_init, void *obj_init_arg,
		  int socket_id, unsigned flags)
{
	struct sl_mempool *mp;
	size_t mp_len, total_elt_sz, objs_end, obj_align;
	ssize_t ring_len;
	unsigned ring_flags;
	int rc;

	rc = validate_args(name, n, elt_size, cache_size, flags);
	if (rc < 0)
		goto fail;
	if (!sl_eal_is_initialized()) {
		SL_LOG(ERR, MEMPOOL,
		       "mempool '%s': the EAL is not initialised: call sl_eal_init() first",
		       name);
		rc = -ENODEV;
		goto fail;
	}
	pthread_once(&event_once, register_mem_event);

	pthread_mutex_lock(&registry_lock);
	mp = registry_find_locked(name);
	pthread_mutex_unlock(&registry_lock);
	if (mp != NULL) {
		SL_LOG(ERR, MEMPOOL,
		       "mempool '%s' already exists: choose another name or free it first",
		       name);
		rc = -EEXIST;
		goto fail;
	}

	/* Slot layout: header | object | trailer, see sl_mempool.h. */
	obj_align = (flags & SL_MEMPOOL_F_NO_CACHE_ALIGN) ? 8 : SL_CACHE_LINE_SIZE;
	objs_end = SL_ALIGN_CEIL((size_t)elt_size, (size_t)8) +
		   sizeof(struct sl_mempool_objtlr);
	total_elt_sz = SL_ALIGN_CEIL(sizeof(struct sl_mempool_objhdr), obj_align) +
		       SL_ALIGN_CEIL(objs_end, obj_align);
	if (total_elt_sz > SIZE_MAX / n) {
		SL_LOG(ERR, MEMPOOL, "mempool '%s': %u objects of %u bytes overflow",
		       name, n, elt_size);
		rc = -EINVAL;
		goto fail;
	}

	mp_len = sizeof(*mp) + SL_ALIGN_CEIL((size_t)private_data_size,
					     (size_t)SL_CACHE_LINE_SIZE);
	mp = zmalloc_on("mempool", mp_len, socket_id);
	if (mp == NULL) {
		rc = errno == EINVAL ? -EINVAL : -ENOMEM;
		SL_LOG(ERR, MEMPOOL,
		       "mempool '%s': cannot allocate the pool header on socket %d (%s)",
		       name, socket_id, strerror(-rc));
		goto fail;
	}
	snprintf(mp->name, sizeof(mp->name), "%s", name);
	mp->size = n;
	mp->cache_size = cache_size;
	mp->elt_size = elt_size;
	mp->header_size = (uint32_t)SL_ALIGN_CEIL(sizeof(struct sl_mempool_objhdr), obj_align);
	mp->trailer_size = (uint32_t)(total_elt_sz - mp->header_size - elt_size);
	mp->private_data_size = private_data_size;
	mp->flags = flags;
	mp->socket_id = socket_id;

	mp->objtable = calloc(n, sizeof(void *));
	if (mp->objtable == NULL) {
		rc = -ENOMEM;
		goto free_mp;
	}

	/* EXACT_SZ: the ring holds all n objects, so a put never fails. */
	ring_flags = SL_RING_F_EXACT_SZ;
	if (flags & SL_MEMPOOL_F_SP_PUT)
		ring_flags |= SL_RING_F_SP_ENQ;
	if (flags & SL_MEMPOOL_F_SC_GET)
		ring_flags |= SL_RING_F_SC_DEQ;
	ring_len = sl_ring_get_memsize_elem(sizeof(void *), n, ring_flags);
	if (ring_len < 0) {
		rc = (int)ring_len;
		goto free_mp;
	}
	mp->ring_mem = zmalloc_on("mempool_ring", (size_t)ring_len, socket_id);
	if (mp->ring_mem == NULL) {
		SL_LOG(ERR, MEMPOOL,
		       "mempool '%s': cannot allocate its ring (%zd bytes): reserve more memory",
		       name, ring_len);
		rc = -ENOMEM;
		goto free_mp;
	}
	rc = sl_ring_init(mp->ring_mem, name, n, ring_flags);
	if (rc < 0)
		goto free_mp;
	mp->ring = mp->ring_mem;

	rc = create_caches(mp);
	if (rc < 0)
		goto free_mp;
	rc = populate(mp, total_elt_sz);
	if (rc < 0)
		goto free_mp;

	if (mp_init != NULL)
		mp_init(mp, mp_init_arg);
	if (obj_init != NULL)
		for (unsigned i = 0; i < n; i++)
			obj_init(mp, obj_init_arg, mp->objtable[i], i);

	/* In address order, so a fresh pool hands out memory sequentially. */
	if (sl_ring_enqueue_bulk(mp->ring, mp->objtable, n, NULL) != n) {
		SL_LOG(ERR, MEMPOOL, "mempool '%s': ring refused %u objects", name, n);
		rc = -ENOSPC;
		goto free_mp;
	}

	pthread_mutex_lock(&registry_lock);
	if (registry_find_locked(name) != NULL) {
		pthread_mutex_unlock(&registry_lock);
		SL_LOG(ERR, MEMPOOL,
		       "mempool '%s' was created concurrently by another thread: "
		       "choose another name", name);
		rc = -EEXIST;
		goto free_mp;
	}
	mp->list_next = registry;
	registry = mp;
	pthread_mutex_unlock(&registry_lock);

	SL_LOG(DEBUG, MEMPOOL,
	       "created mempool '%s': %u objects of %u bytes (slot %zu), cache %u, socket %d",
	       name, n, elt_size, total_elt_sz, cache_size, socket_id);
	return mp;

free_mp:
	free_eal_memory(mp);
	release_host_memory(mp);
	sl_free(mp);
fail:
	errno = -rc;
	return NULL;
}

int
sl_mempool_free(struct sl_mempool *mp)
{
	unsigned in_use;
	int registered;

	if (mp == NULL)
		return 0;
	in_use = sl_mempool_in_use_count(mp);
	if (in_use != 0) {
		SL_LOG(ERR, MEMPOOL,
		       "mempool '%s': %u of %u objects are still in use: put them back "
		       "before freeing the pool (the pool is left intact)",
		       mp->name, in_use, mp->size);
		return -EBUSY;
	}
	pthread_mutex_lock(&registry_lock);
	registered = registry_remove_locked(mp);
	pthread_mutex_unlock(&registry_lock);
	if (!registered)
		SL_LOG(WARNING, MEMPOOL, "mempool '%s' was not registered", mp->name);

	/* Heap calls only after the registry lock is dropped (see above). */
	free_eal_memory(mp);
	release_host_memory(mp);
	sl_free(mp);
	return 0;
}

struct sl_mempool *
sl_mempool_lookup(const char *name)
{
	struct sl_mempool *mp;

	if (name == NULL) {
		errno = EINVAL;
		return NULL;
	}
	pthread_mutex_lock(&registry_lock);
	mp = registry_find_locked(name);
	pthread_mutex_unlock(&registry_lock);
	if (mp == NULL)
		errno = ENOENT;
	return mp;
}

unsigned
sl_mempool_avail_count(const struct sl_mempool *mp)
{
	unsigned count = sl_ring_count(mp->ring);
	unsigned i;

	if (mp->cache_size != 0)
		for (i = 0; i < SL_MAX_LCORE; i++)
			if (mp->local_cache[i] != NULL)
				/* Owned by another thread: a relaxed snapshot. */
				count += __atomic_load_n(&mp->local_cache[i]->len,
							 __ATOMIC_RELAXED);
	/* Snapshots of ring and caches taken at different instants may
	 * double-count objects in flight between them. */
	return SL_MIN(count, mp->size);
}

unsigned
sl_mempool_in_use_count(const struct sl_mempool *mp)
{
	return mp->size - sl_mempool_avail_count(mp);
}

uint32_t
sl_mempool_obj_iter(struct sl_mempool *mp, sl_mempool_obj_cb_t *cb, void *arg)
{
	uint32_t i;

	if (mp == NULL || cb == NULL) {
		errno = EINVAL;
		return 0;
	}
	for (i = 0; i < mp->size; i++)
		cb(mp, arg, mp->objtable[i], i);
	return mp->size;
}

int
sl_mempool_cache_refill_(struct sl_mempool *mp, struct sl_mempool_cache *cache,
			 void **objs, unsigned n)
{
	unsigned req = cache->size + n - cache->len;
	void **src;
	unsigned i;

	/* Fill up to size + n so the cache is at its nominal size after
	 * handing out n; if the ring is too short for that, take just what
	 * is missing, so an almost-empty pool still serves the request. */
	if (sl_ring_dequeue_bulk(mp->ring, &cache->objs[cache->len], req, NULL) == 0) {
		req = n - cache->len;
		if (sl_ring_dequeue_bulk(mp->ring, &cache->objs[cache->len], req,
					 NULL) == 0)
			return -ENOENT;
	}
	cache->len += req;

	src = &cache->objs[cache->len];
	for (i = 0; i < n; i++)
		objs[i] = *--src;
	cache->len -= n;
	return 0;
}

/* No cache: straight to the ring, all or nothing (so n == 0 succeeds). */
int
sl_mempool_ring_get_(struct sl_mempool *mp, void **objs, unsigned n)
{
	if (sl_likely(sl_ring_dequeue_bulk(mp->ring, objs, n, NULL) == n))
		return 0;
	return -ENOENT;
}

void
sl_mempool_ring_put_(struct sl_mempool *mp, void *const *objs, unsigned n)
{
	sl_ring_enqueue_bulk(mp->ring, objs, n, NULL);
}

/*
 * The get's slow path: the cache holds fewer than n objects.  A bulk the
 * cache could serve refills it; a larger one goes to the ring, and if the
 * ring alone is short, takes from the cache too.
 */
int
sl_mempool_cache_get_slow_(struct sl_mempool *mp,
			   struct sl_mempool_cache *cache, void **objs,
			   unsigned n)
{
	if (n <= cache->size)
		return sl_mempool_cache_refill_(mp, cache, objs, n);
	if (sl_ring_dequeue_bulk(mp->ring, objs, n, NULL) == n)
		return 0;
	return sl_mempool_get_with_cache_(mp, cache, objs, n);
}

/*
 * The put's slow path: the bulk would take the cache to its flush
 * threshold.  A bulk larger than the threshold would only be flushed again,
 * so it goes to the ring directly; otherwise copy, then keep the bottom
 * @size objects (the least recently used ones are on top of the ring
 * anyway) and return the rest.
 */
void
sl_mempool_cache_put_slow_(struct sl_mempool *mp,
			   struct sl_mempool_cache *cache, void *const *objs,
			   unsigned n)
{
	unsigned len = cache->len;

	if (n > cache->flushthresh) {
		sl_ring_enqueue_bulk(mp->ring, objs, n, NULL);
		return;
	}
	sl_mempool_copy_in_(&cache->objs[len], objs, n);
	len += n;
	sl_ring_enqueue_bulk(mp->ring, &cache->objs[cache->size],
			     len - cache->size, NULL);
	cache->len = cache->size;
}

/*
 * A bulk too large for the cache found the ring short.  The objects in the
 * calling lcore's cache are free too, so use them: take what the ring must
 * supply first (all or nothing), and only then the rest from the cache, so a
 * failure leaves both untouched.
 */
int
sl_mempool_get_with_cache_(struct sl_mempool *mp, struct sl_mempool_cache *cache,
			   void **objs, unsigned n)
{
	unsigned from_cache, i;
	void **src;

	if (cache == NULL || cache->len == 0)
		return -ENOENT;
	from_cache = SL_MIN(cache->len, n);
	if (sl_ring_dequeue_bulk(mp->ring, objs, n - from_cache, NULL) !=
	    n - from_cache)
		return -ENOENT;
	src = &cache->objs[cache->len];
	for (i = n - from_cache; i < n; i++)
		objs[i] = *--src;
	cache->len -= from_cache;
	return 0;
}

/* ---- audit ------------------------------------------------------------ */

struct audit {
	struct sl_mempool *mp;
	uint8_t *seen;   /* one byte per object: found free once already */
	unsigned found;  /* distinct free objects found */
	unsigned reports;
	int rc;
};

static void __sl_format_printf(3, 4)
audit_fail(struct audit *a, int rc, const char *fmt, ...)
{
	va_list ap;

	if (a->rc == 0)
		a->rc = rc;
	if (a->reports++ >= AUDIT_MAX_REPORTS)
		return;
	va_start(ap, fmt);
	sl_vlog(SL_LOG_ERR, "MEMPOOL", fmt, ap);
	va_end(ap);
}

static void
audit_free_obj(struct audit *a, void *obj, const char *where)
{
	void **hit = bsearch(&obj, a->mp->objtable, a->mp->size, sizeof(void *), cmp_ptr);
	size_t idx;

	if (hit == NULL) {
		audit_fail(a, -EFAULT,
			   "mempool '%s' audit: %s holds %p, which is not an object of this pool",
			   a->mp->name, where, obj);
		return;
	}
	idx = (size_t)(hit - a->mp->objtable);
	if (a->seen[idx]) {
		audit_fail(a, -EEXIST,
			   "mempool '%s' audit: object %p is free twice (double put; "
			   "second copy in %s)", a->mp->name, obj, where);
		return;
	}
	a->seen[idx] = 1;
	a->found++;
}

int
sl_mempool_audit(struct sl_mempool *mp)
{
	struct audit a = { .mp = mp };
	unsigned i, ring_n, avail, in_use;
	void **ring_objs = NULL;
	char where[48];

	if (mp == NULL) {
		SL_LOG(ERR, MEMPOOL, "mempool audit: mp is NULL");
		return -EINVAL;
	}
	a.seen = calloc(mp->size, 1);
	ring_n = sl_ring_count(mp->ring);
	ring_objs = calloc(ring_n + 1, sizeof(void *));
	if (a.seen == NULL || ring_objs == NULL) {
		free(a.seen);
		free(ring_objs);
		return -ENOMEM;
	}

	for (i = 0; i < mp->size; i++) {
		void *obj = mp->objtable[i];
		struct sl_mempool_objhdr *hdr = sl_mempool_get_header(obj);
		struct sl_mempool_objtlr *tlr = (struct sl_mempool_objtlr *)
			((char *)obj + SL_ALIGN_CEIL(mp->elt_size, 8u));

		if (hdr->cookie != SL_MEMPOOL_HEADER_COOKIE || hdr->mp != mp)
			audit_fail(&a, -EFAULT,
				   "mempool '%s' audit: header of object %u (%p) is corrupted "
				   "(cookie 0x%" PRIx64 ", pool %p): something wrote before "
				   "the object's start", mp->name, i, obj, hdr->cookie,
				   (void *)hdr->mp);
		if (tlr->cookie != SL_MEMPOOL_TRAILER_COOKIE)
			audit_fail(&a, -EFAULT,
				   "mempool '%s' audit: trailer of object %u (%p) is corrupted "
				   "(cookie 0x%" PRIx64 "): something wrote past elt_size %u",
				   mp->name, i, obj, tlr->cookie, mp->elt_size);
	}

	for (i = 0; i < SL_MAX_LCORE; i++) {
		struct sl_mempool_cache *c = mp->local_cache[i];

		if (c == NULL)
			continue;
		if (c->len > c->flushthresh || c->size != mp->cache_size) {
			audit_fail(&a, -ERANGE,
				   "mempool '%s' audit: cache of lcore %u has len %u, size %u "
				   "(limit %u, expected size %u)", mp->name, i, c->len,
				   c->size, c->flushthresh, mp->cache_size);
			continue;
		}
		snprintf(where, sizeof(where), "the cache of lcore %u", i);
		for (unsigned j = 0; j < c->len; j++)
			audit_free_obj(&a, c->objs[j], where);
	}

	/* Look inside the ring by draining it and putting everything back in
	 * the same order (the caller guarantees nobody else is using it). */
	if (ring_n != 0) {
		if (sl_ring_dequeue_bulk(mp->ring, ring_objs, ring_n, NULL) != ring_n) {
			audit_fail(&a, -ERANGE,
				   "mempool '%s' audit: ring count %u but cannot dequeue "
				   "that many (pool in use during the audit?)", mp->name, ring_n);
		} else {
			for (i = 0; i < ring_n; i++)
				audit_free_obj(&a, ring_objs[i], "the ring");
			sl_ring_enqueue_bulk(mp->ring, ring_objs, ring_n, NULL);
		}
	}

	avail = sl_mempool_avail_count(mp);
	in_use = sl_mempool_in_use_count(mp);
	if (avail + in_use != mp->size || a.found != avail)
		audit_fail(&a, -ERANGE,
			   "mempool '%s' audit: avail %u + in use %u != size %u, or %u "
			   "distinct free objects found", mp->name, avail, in_use,
			   mp->size, a.found);

	free(ring_objs);
	free(a.seen);
	return a.rc;
}

void
sl_mempool_dump(FILE *f, const struct sl_mempool *mp)
{
	const struct sl_mempool_memchunk *c;
	unsigned i, nchunks = 0;

	if (f == NULL || mp == NULL)
		return;
	for (c = mp->chunks; c != NULL; c = c->next)
		nchunks++;
	fprintf(f, "mempool '%s' at %p\n", mp->name, (const void *)mp);
	fprintf(f, "  size=%u elt_size=%u header_size=%u trailer_size=%u flags=0x%x socket=%d\n",
		mp->size, mp->elt_size, mp->header_size, mp->trailer_size, mp->flags,
		mp->socket_id);
	fprintf(f, "  private_data_size=%u memory chunks=%u\n", mp->private_data_size,
		nchunks);
	fprintf(f, "  avail=%u in_use=%u ring_count=%u cache_size=%u\n",
		sl_mempool_avail_count(mp), sl_mempool_in_use_count(mp),
		sl_ring_count(mp->ring), mp->cache_size);
	for (i = 0; i < SL_MAX_LCORE; i++)
		if (mp->local_cache[i] != NULL)
			fprintf(f, "  cache lcore %u: len=%u flushthresh=%u\n", i,
				mp->local_cache[i]->len, mp->local_cache[i]->flushthresh);
}
