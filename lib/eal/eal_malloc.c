/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The heap: one per NUMA socket, on EAL memory segments.
 *
 * Memory is a sequence of elements, each starting with a cache-line header
 * and linked to its physical neighbours, so freeing merges with free
 * neighbours in O(1).  Free elements sit on size-class lists (powers of
 * two).  An allocation carves its block from the END of a free element:
 * the front part stays free where it was, and aligning the block costs
 * nothing when the element's end is aligned.  A gap too small to be an
 * element before an aligned block becomes padding, marked by a PAD header
 * just before the data so sl_free() finds the real header.
 *
 * Every busy block ends with an 8-byte cookie right after the bytes the
 * user asked for; sl_free() and sl_malloc_validate() check it, catching
 * overruns.  Headers carry a magic tied to their own address, catching
 * frees of pointers that never came from here.  With -DSL_MALLOC_DEBUG,
 * freed memory is also poisoned.
 *
 * Elements never span two runs of segments unless the runs are contiguous
 * both virtually and in IOVA, so every block is IOVA-contiguous.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include "sl_lcore.h"
#include "sl_log.h"
#include "sl_malloc.h"
#include "sl_memory.h"
#include "eal_private.h"

#define ELEM_MAGIC 0x5a1ce0f1u
#define ELEM_FREE 0xf7ee
#define ELEM_BUSY 0xb5e7
#define ELEM_PAD 0x9ad0
#define TRAILER_COOKIE 0xc0ffee5a11ce7a11ull
#define TRAILER_SZ sizeof(uint64_t)
#define HEAP_NLISTS 40
#define POISON_BYTE 0x6b

struct malloc_elem {
	struct malloc_elem *prev; /* physically previous element, NULL at a run start */
	struct malloc_elem *next; /* physically next element, NULL at a run end */
	LIST_ENTRY(malloc_elem) free_link;
	size_t size;              /* whole element, header included */
	size_t pad;               /* BUSY: header-to-data-header gap; PAD: gap back */
	size_t usize;             /* BUSY: bytes the user asked for */
	uint32_t magic;           /* ELEM_MAGIC ^ low bits of the header address */
	uint16_t state;
	int16_t socket;
} __sl_cache_aligned;

#define HDR sizeof(struct malloc_elem)
/* The data of a block starts one header after a cache-aligned header. */
static_assert(sizeof(struct malloc_elem) % SL_CACHE_LINE_SIZE == 0,
	      "heap element header must be whole cache lines");
static_assert(sizeof(struct malloc_elem) == SL_CACHE_LINE_SIZE,
	      "heap element header must fit one cache line");
/* Smallest element worth keeping free: header plus one line of data. */
#define MIN_ELEM (HDR + SL_CACHE_LINE_SIZE)

struct malloc_heap {
	pthread_mutex_t lock;
	LIST_HEAD(, malloc_elem) free_head[HEAP_NLISTS];
	struct malloc_elem *last;   /* element ending at the highest address */
	struct malloc_elem **runs;  /* first element of each run, for walks */
	unsigned int nruns;
	unsigned int runs_cap;
	size_t total;
	unsigned int alloc_count;
	unsigned int grow_count;
};

static struct malloc_heap heaps[EAL_MAX_SOCKETS];
static int heap_active;

static inline uint32_t
elem_magic(const struct malloc_elem *e)
{
	return ELEM_MAGIC ^ (uint32_t)((uintptr_t)e >> 6);
}

static inline void *
elem_end(const struct malloc_elem *e)
{
	return (char *)e + e->size;
}

static unsigned int
list_index(size_t size)
{
	unsigned int log2 = 63u - (unsigned int)__builtin_clzll(size | 1);

	/* Lists hold [2^(i+7), 2^(i+8)): list 0 takes everything below 256. */
	return log2 <= 7 ? 0 : SL_MIN(log2 - 7, (unsigned int)HEAP_NLISTS - 1);
}

static void
free_list_insert(struct malloc_heap *h, struct malloc_elem *e)
{
	LIST_INSERT_HEAD(&h->free_head[list_index(e->size)], e, free_link);
}

static void
free_list_remove(struct malloc_elem *e)
{
	LIST_REMOVE(e, free_link);
}

static void
elem_init(struct malloc_elem *e, int socket, size_t size, uint16_t state)
{
	memset(e, 0, HDR);
	e->size = size;
	e->socket = (int16_t)socket;
	e->state = state;
	e->magic = elem_magic(e);
}

/* ---- growth and setup ------------------------------------------------- */

int
eal_heap_init(void)
{
	for (int s = 0; s < EAL_MAX_SOCKETS; s++) {
		struct malloc_heap *h = &heaps[s];

		memset(h, 0, sizeof(*h));
		pthread_mutex_init(&h->lock, NULL);
		for (int i = 0; i < HEAP_NLISTS; i++)
			LIST_INIT(&h->free_head[i]);
	}
	heap_active = 1;
	return 0;
}

void
eal_heap_cleanup(void)
{
	heap_active = 0;
	for (int s = 0; s < EAL_MAX_SOCKETS; s++) {
		free(heaps[s].runs);
		pthread_mutex_destroy(&heaps[s].lock);
		memset(&heaps[s], 0, sizeof(heaps[s]));
	}
}

static int
heap_add_run(struct malloc_heap *h, struct malloc_elem *first)
{
	if (h->nruns == h->runs_cap) {
		unsigned int cap = h->runs_cap ? h->runs_cap * 2 : 16;
		struct malloc_elem **n = realloc(h->runs, cap * sizeof(*n));

		if (n == NULL)
			return -ENOMEM;
		h->runs = n;
		h->runs_cap = cap;
	}
	h->runs[h->nruns++] = first;
	return 0;
}

/*
 * Hand [addr, addr+len) to socket's heap.  contig_with_prev: it directly
 * follows the previously added memory, virtually and in IOVA, so the new
 * element may merge with the heap's last one.  Caller holds the heap lock
 * or runs single-threaded in sl_eal_init().
 */
int
eal_heap_add(int socket, void *addr, size_t len, int contig_with_prev)
{
	struct malloc_heap *h = &heaps[socket];
	struct malloc_elem *e = addr, *last = h->last;
	int ret;

	if (len < MIN_ELEM)
		return 0;
	len = SL_ALIGN_FLOOR(len, SL_CACHE_LINE_SIZE);
	elem_init(e, socket, len, ELEM_FREE);
	eal_asan_poison((char *)e + HDR, len - HDR);
	h->total += len;
	if (contig_with_prev && last && elem_end(last) == (void *)e) {
		e->prev = last;
		last->next = e;
		h->last = e;
		if (last->state == ELEM_FREE) {
			free_list_remove(last);
			last->size += e->size;
			last->next = NULL;
			e->magic = 0;
			eal_asan_poison(e, HDR);
			h->last = last;
			free_list_insert(h, last);
		} else {
			free_list_insert(h, e);
		}
		return 0;
	}
	ret = heap_add_run(h, e);
	if (ret < 0) {
		h->total -= len;
		return ret;
	}
	h->last = e;
	free_list_insert(h, e);
	return 0;
}

/* ---- allocation ------------------------------------------------------- */

static inline size_t
data_need(size_t usize)
{
	return SL_ALIGN_CEIL(usize + TRAILER_SZ, (size_t)SL_CACHE_LINE_SIZE);
}

/* Where the data of a usize/align block would start in e, or 0 if it does
 * not fit.  The block sits at the end of e. */
static uintptr_t
elem_fit(const struct malloc_elem *e, size_t usize, size_t align)
{
	uintptr_t start = (uintptr_t)e, end = start + e->size;
	size_t need = data_need(usize);
	uintptr_t d;

	if (e->size < HDR + need)
		return 0;
	d = SL_ALIGN_FLOOR(end - need, (uintptr_t)align);
	if (d < start + HDR)
		return 0;
	return d;
}

static struct malloc_elem *
find_fit(struct malloc_heap *h, size_t usize, size_t align, uintptr_t *data)
{
	size_t min = HDR + data_need(usize);
	struct malloc_elem *e;

	for (unsigned int i = list_index(min); i < HEAP_NLISTS; i++)
		LIST_FOREACH(e, &h->free_head[i], free_link) {
			*data = elem_fit(e, usize, align);
			if (*data)
				return e;
		}
	return NULL;
}

/* The cookie stays poisoned for users; only the allocator touches it. */
static void
trailer_set(uintptr_t data, size_t usize)
{
	uint64_t c = TRAILER_COOKIE;

	eal_asan_unpoison(data + usize, sizeof(c));
	memcpy((void *)(data + usize), &c, sizeof(c));
	eal_asan_poison(data + usize, sizeof(c));
}

static int
trailer_ok(uintptr_t data, size_t usize)
{
	uint64_t c;

	eal_asan_unpoison(data + usize, sizeof(c));
	memcpy(&c, (void *)(data + usize), sizeof(c));
	eal_asan_poison(data + usize, sizeof(c));
	return c == TRAILER_COOKIE;
}

/* Carve the block whose data starts at d out of free element e. */
static void *
elem_carve(struct malloc_heap *h, struct malloc_elem *e, uintptr_t d, size_t usize)
{
	uintptr_t start = (uintptr_t)e, end = start + e->size;
	uintptr_t tail = d + data_need(usize), hdr = d - HDR;
	struct malloc_elem *busy;

	free_list_remove(e);

	/* Leftover after the block (alignment slack) becomes a free element
	 * when big enough, else stays in the block. */
	if (end - tail >= MIN_ELEM) {
		struct malloc_elem *t = (struct malloc_elem *)tail;

		eal_asan_unpoison(t, HDR);
		elem_init(t, e->socket, end - tail, ELEM_FREE);
		t->prev = e;
		t->next = e->next;
		if (e->next)
			e->next->prev = t;
		e->next = t;
		e->size = tail - start;
		if (h->last == e)
			h->last = t;
		free_list_insert(h, t);
	}

	if (hdr - start >= MIN_ELEM) {
		/* Front part stays free as e; the block gets its own header. */
		busy = (struct malloc_elem *)hdr;
		eal_asan_unpoison(busy, HDR);
		elem_init(busy, e->socket, (uintptr_t)elem_end(e) - hdr, ELEM_BUSY);
		busy->prev = e;
		busy->next = e->next;
		if (e->next)
			e->next->prev = busy;
		e->next = busy;
		e->size = hdr - start;
		if (h->last == e)
			h->last = busy;
		free_list_insert(h, e);
	} else {
		busy = e;
		busy->state = ELEM_BUSY;
		busy->pad = hdr - start;
		if (busy->pad) {
			struct malloc_elem *p = (struct malloc_elem *)hdr;

			eal_asan_unpoison(p, HDR);
			memset(p, 0, HDR);
			p->state = ELEM_PAD;
			p->pad = busy->pad;
			p->magic = elem_magic(p);
		}
	}
	busy->usize = usize;
	eal_asan_unpoison(d, usize);
	trailer_set(d, usize);
	h->alloc_count++;
	return (void *)d;
}

static void *
heap_alloc(int socket, size_t usize, size_t align, int *err)
{
	struct malloc_heap *h = &heaps[socket];
	struct malloc_elem *e;
	uintptr_t d;
	void *ret = NULL;
	int r;

	pthread_mutex_lock(&h->lock);
	e = find_fit(h, usize, align, &d);
	if (e == NULL) {
		/* Worst case the new memory is not merged with anything: room
		 * for a header, the data, and the alignment slack. */
		r = eal_memory_grow(socket, HDR + data_need(usize) + align + MIN_ELEM);
		if (r < 0) {
			*err = r == -EINVAL ? EINVAL : ENOMEM;
			goto out;
		}
		h->grow_count++;
		e = find_fit(h, usize, align, &d);
		if (e == NULL) {
			/* Only in PA mode: the new pages are not physically
			 * contiguous enough for one block of this size. */
			SL_LOG(ERR, EAL, "no IOVA-contiguous run of %zu bytes on socket %d: "
			       "physical memory is fragmented (--iova-mode=pa); use "
			       "--iova-mode=va with an IOMMU, or smaller blocks", usize, socket);
			*err = ENOMEM;
			goto out;
		}
	}
	ret = elem_carve(h, e, d, usize);
out:
	pthread_mutex_unlock(&h->lock);
	/* --no-huge memory is mapped lazily: fault the block in before its
	 * user sees it, so it never faults on a packet path.  Outside the
	 * lock: the block is ours alone. */
	if (ret != NULL && eal_memory_prefault(socket, ret, usize) < 0) {
		sl_free(ret);
		*err = ENOMEM;
		ret = NULL;
	}
	return ret;
}

static int
check_args(size_t size, unsigned int *align)
{
	if (!heap_active)
		return ENODEV;
	if (size == 0 || size > (SIZE_MAX >> 2))
		return EINVAL;
	if (*align == 0)
		*align = SL_CACHE_LINE_SIZE;
	if (!sl_is_power_of_2(*align) || *align > (1u << 30))
		return EINVAL;
	if (*align < SL_CACHE_LINE_SIZE)
		*align = SL_CACHE_LINE_SIZE;
	return 0;
}

void *
sl_malloc_socket(const char *type, size_t size, unsigned int align, int socket)
{
	int nsock = eal_socket_count(), err;
	int first;
	void *p;

	(void)type;
	err = check_args(size, &align);
	if (err) {
		errno = err;
		return NULL;
	}
	if (socket != SL_SOCKET_ID_ANY) {
		if (!eal_socket_has_memory(socket)) {
			SL_LOG(ERR, EAL, "sl_malloc: socket %d has no memory (valid: 0-%d)",
			       socket, nsock - 1);
			errno = EINVAL;
			return NULL;
		}
		err = ENOMEM;
		p = heap_alloc(socket, size, align, &err);
		if (p == NULL)
			errno = err;
		return p;
	}
	/* Any socket: the caller's first, then the others. */
	first = sl_socket_id();
	if (!eal_socket_has_memory(first))
		first = 0;
	err = ENOMEM;
	p = heap_alloc(first, size, align, &err);
	for (int s = 0; p == NULL && s < nsock; s++)
		if (s != first && eal_socket_has_memory(s))
			p = heap_alloc(s, size, align, &err);
	if (p == NULL)
		errno = err;
	return p;
}

void *
sl_malloc(const char *type, size_t size, unsigned int align)
{
	return sl_malloc_socket(type, size, align, SL_SOCKET_ID_ANY);
}

void *
sl_zmalloc_socket(const char *type, size_t size, unsigned int align, int socket)
{
	void *p = sl_malloc_socket(type, size, align, socket);

	if (p)
		memset(p, 0, size);
	return p;
}

void *
sl_zmalloc(const char *type, size_t size, unsigned int align)
{
	return sl_zmalloc_socket(type, size, align, SL_SOCKET_ID_ANY);
}

void *
sl_calloc(const char *type, size_t num, size_t size, unsigned int align)
{
	if (size != 0 && num > SIZE_MAX / size) {
		errno = EINVAL;
		return NULL;
	}
	return sl_zmalloc(type, num * size, align);
}

/* ---- free ------------------------------------------------------------- */

/* The BUSY header of a block, or NULL (and a log line) if ptr is not one. */
static struct malloc_elem *
elem_of(const void *ptr, const char *caller)
{
	struct malloc_elem *e, *p;

	if (!SL_IS_ALIGNED(ptr, SL_CACHE_LINE_SIZE))
		goto bad;
	p = (struct malloc_elem *)((uintptr_t)ptr - HDR);
	/* Read no header outside EAL memory: a pointer from libc's malloc
	 * or the stack is reported, not dereferenced.  Under ASan, live
	 * headers are never poisoned: a poisoned one is free space. */
	if (sl_mem_virt2iova(p) == SL_BAD_IOVA || sl_mem_virt2iova(ptr) == SL_BAD_IOVA ||
	    eal_asan_is_poisoned(p, HDR))
		goto bad;
	if (p->magic != elem_magic(p))
		goto bad;
	if (p->state == ELEM_PAD) {
		e = (struct malloc_elem *)((uintptr_t)p - p->pad);
		if (sl_mem_virt2iova(e) == SL_BAD_IOVA || eal_asan_is_poisoned(e, HDR) ||
		    e->magic != elem_magic(e) || e->pad != p->pad)
			goto bad;
	} else {
		e = p;
	}
	if (e->state == ELEM_FREE) {
		SL_LOG(ERR, EAL, "%s(%p): block already freed (double free)", caller, ptr);
		return NULL;
	}
	if (e->state != ELEM_BUSY)
		goto bad;
	return e;
bad:
	SL_LOG(ERR, EAL, "%s(%p): not a heap block (bad pointer or corrupted header)",
	       caller, ptr);
	return NULL;
}

static inline uintptr_t
elem_data(const struct malloc_elem *e)
{
	return (uintptr_t)e + e->pad + HDR;
}

void
sl_free(void *ptr)
{
	struct malloc_elem *e, *n, *p;
	struct malloc_heap *h;

	if (ptr == NULL)
		return;
	if (!heap_active) {
		SL_LOG(ERR, EAL, "sl_free(%p) without an initialised EAL", ptr);
		return;
	}
	e = elem_of(ptr, "sl_free");
	if (e == NULL)
		return;
	if (e->socket < 0 || e->socket >= EAL_MAX_SOCKETS) {
		SL_LOG(ERR, EAL, "sl_free(%p): corrupted header", ptr);
		return;
	}
	h = &heaps[e->socket];
	pthread_mutex_lock(&h->lock);
	if (e->state != ELEM_BUSY) {
		/* Lost a race with another sl_free() of the same pointer. */
		pthread_mutex_unlock(&h->lock);
		SL_LOG(ERR, EAL, "sl_free(%p): block already freed (double free)", ptr);
		return;
	}
	if (!trailer_ok(elem_data(e), e->usize))
		/* Overrun: still free it (leaking would not undo the damage)
		 * but say so, loudly, with the size. */
		SL_LOG(ERR, EAL, "sl_free(%p): write past the end of the %zu byte block "
		       "detected (heap may be corrupted)", ptr, e->usize);
	if (e->pad)
		((struct malloc_elem *)((uintptr_t)e + e->pad))->magic = 0;
	e->state = ELEM_FREE;
	e->pad = 0;
	e->usize = 0;
	h->alloc_count--;
#ifdef SL_MALLOC_DEBUG
	eal_asan_unpoison((char *)e + HDR, e->size - HDR);
	memset((char *)e + HDR, POISON_BYTE, e->size - HDR);
#endif
	n = e->next;
	if (n && n->state == ELEM_FREE) {
		free_list_remove(n);
		e->size += n->size;
		e->next = n->next;
		if (n->next)
			n->next->prev = e;
		if (h->last == n)
			h->last = e;
		n->magic = 0;
	}
	p = e->prev;
	if (p && p->state == ELEM_FREE) {
		free_list_remove(p);
		p->size += e->size;
		p->next = e->next;
		if (e->next)
			e->next->prev = p;
		if (h->last == e)
			h->last = p;
		e->magic = 0;
		e = p;
	}
	/* Everything after the surviving header is free space now, merged
	 * headers and the pad header included. */
	eal_asan_poison((char *)e + HDR, e->size - HDR);
	free_list_insert(h, e);
	pthread_mutex_unlock(&h->lock);
}

size_t
sl_malloc_size(const void *ptr)
{
	struct malloc_elem *e;

	if (ptr == NULL || !heap_active)
		return 0;
	e = elem_of(ptr, "sl_malloc_size");
	return e ? e->usize : 0;
}

int
eal_heap_socket_of(const void *ptr)
{
	struct malloc_elem *e = elem_of(ptr, "socket_of");

	return e ? e->socket : SL_SOCKET_ID_ANY;
}

void *
sl_realloc(void *ptr, size_t size, unsigned int align)
{
	struct malloc_elem *e;
	struct malloc_heap *h;
	uintptr_t d;
	void *n;
	int err;

	if (ptr == NULL)
		return sl_malloc(NULL, size, align);
	if (size == 0) {
		sl_free(ptr);
		return NULL;
	}
	err = check_args(size, &align);
	if (err) {
		errno = err;
		return NULL;
	}
	e = elem_of(ptr, "sl_realloc");
	if (e == NULL) {
		errno = EINVAL;
		return NULL;
	}
	h = &heaps[e->socket];
	d = (uintptr_t)ptr;
	pthread_mutex_lock(&h->lock);
	/* Fits in place (same alignment, room before the element's end). */
	if (SL_IS_ALIGNED(d, align) && d + data_need(size) <= (uintptr_t)elem_end(e)) {
		eal_asan_poison(d, e->usize + TRAILER_SZ);
		eal_asan_unpoison(d, size);
		e->usize = size;
		trailer_set(d, size);
		pthread_mutex_unlock(&h->lock);
		return ptr;
	}
	pthread_mutex_unlock(&h->lock);
	n = sl_malloc_socket(NULL, size, align, e->socket);
	if (n == NULL)
		return NULL;
	memcpy(n, ptr, SL_MIN(size, e->usize));
	sl_free(ptr);
	return n;
}

/* ---- statistics and validation ---------------------------------------- */

int
sl_malloc_get_socket_stats(int socket, struct sl_malloc_socket_stats *st)
{
	struct malloc_heap *h;

	if (!heap_active)
		return -ENODEV;
	if (st == NULL || socket < 0 || socket >= EAL_MAX_SOCKETS)
		return -EINVAL;
	h = &heaps[socket];
	memset(st, 0, sizeof(*st));
	pthread_mutex_lock(&h->lock);
	for (unsigned int r = 0; r < h->nruns; r++)
		for (struct malloc_elem *e = h->runs[r]; e; e = e->next) {
			if (e->state == ELEM_FREE) {
				st->heap_freesz_bytes += e->size;
				st->free_count++;
				st->greatest_free_size = SL_MAX(st->greatest_free_size,
								e->size - HDR);
			} else {
				st->heap_allocsz_bytes += e->size;
			}
		}
	st->heap_totalsz_bytes = h->total;
	st->alloc_count = h->alloc_count;
	st->grow_count = h->grow_count;
	pthread_mutex_unlock(&h->lock);
	return 0;
}

static int
heap_validate(int s, struct malloc_heap *h)
{
	unsigned int free_elems = 0, listed = 0, busy = 0;
	size_t bytes = 0;
	struct malloc_elem *e;

	for (unsigned int r = 0; r < h->nruns; r++) {
		for (e = h->runs[r]; e; e = e->next) {
			if (e->magic != elem_magic(e) || e->socket != s ||
			    (e->state != ELEM_FREE && e->state != ELEM_BUSY)) {
				SL_LOG(ERR, EAL, "heap %d: bad element header at %p", s, (void *)e);
				return -EFAULT;
			}
			if (e->next && (e->next->prev != e || (void *)e->next != elem_end(e))) {
				SL_LOG(ERR, EAL, "heap %d: broken link after %p", s, (void *)e);
				return -EFAULT;
			}
			if (e->state == ELEM_FREE) {
				free_elems++;
				if (e->next && e->next->state == ELEM_FREE) {
					SL_LOG(ERR, EAL, "heap %d: adjacent free elements at %p not "
					       "merged", s, (void *)e);
					return -EFAULT;
				}
			} else {
				busy++;
				if (!trailer_ok(elem_data(e), e->usize)) {
					SL_LOG(ERR, EAL, "heap %d: block %p (%zu bytes) was written "
					       "past its end", s, (void *)elem_data(e), e->usize);
					return -EFAULT;
				}
			}
			bytes += e->size;
		}
	}
	for (int i = 0; i < HEAP_NLISTS; i++)
		LIST_FOREACH(e, &h->free_head[i], free_link) {
			if (e->state != ELEM_FREE || list_index(e->size) != (unsigned int)i) {
				SL_LOG(ERR, EAL, "heap %d: free list %d holds a wrong element %p",
				       s, i, (void *)e);
				return -EFAULT;
			}
			listed++;
		}
	if (h->last && (h->last->next != NULL || h->last->magic != elem_magic(h->last))) {
		SL_LOG(ERR, EAL, "heap %d: last element %p is not the end of a run", s,
		       (void *)h->last);
		return -EFAULT;
	}
	if (listed != free_elems || busy != h->alloc_count || bytes != h->total) {
		SL_LOG(ERR, EAL, "heap %d: counts disagree: %u free elements, %u listed; "
		       "%u busy, %u counted; %zu bytes of %zu", s, free_elems, listed, busy,
		       h->alloc_count, bytes, h->total);
		return -EFAULT;
	}
	return 0;
}

int
sl_malloc_validate(void)
{
	int ret = 0;

	if (!heap_active)
		return -ENODEV;
	for (int s = 0; s < EAL_MAX_SOCKETS && ret == 0; s++) {
		pthread_mutex_lock(&heaps[s].lock);
		ret = heap_validate(s, &heaps[s]);
		pthread_mutex_unlock(&heaps[s].lock);
	}
	return ret;
}
