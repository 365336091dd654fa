/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of lib/mempool: bad input, layout (alignment, header, IOVA,
 * private area, constructors), get/put with and without per-lcore caches,
 * cache refill and flush thresholds, non-EAL threads, exhaustion, the audit
 * (including the corruption it must detect), free while in use, and a
 * multi-threaded stress on both EAL lcores plus a non-EAL thread.
 *
 * Every test runs twice: in a --no-huge EAL and in a hugepage EAL (skipped
 * when not root or when the kernel gives no hugepages).
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "sl_test.h"

#include "sl_eal.h"
#include "sl_lcore.h"
#include "sl_malloc.h"
#include "sl_memory.h"
#include "sl_mempool.h"
#include "sl_test_hugepages.h"

#define HUGEPAGES_WANTED 64
#define STRESS_POOL_SIZE 1023
#define STRESS_CACHE 64
#define STRESS_ITERS 20000
/* Under heavy load (2 cores shared by many jobs) stop early after this. */
#define STRESS_MAX_NS (5ull * 1000000000ull)

/* Set by the group setup: 1 when the EAL of this group is up. */
static int eal_up;

/* ---------------------------------------------------------------------- */
/* helpers                                                                 */
/* ---------------------------------------------------------------------- */

#define REQUIRE_EAL()           \
	do {                    \
		if (!eal_up)    \
			SL_TEST_SKIP("no 2 MiB hugepages could be reserved (run as root)"); \
	} while (0)

/* Live heap blocks on every socket: a leak check for create failures. */
static unsigned
heap_blocks(void)
{
	struct sl_malloc_socket_stats st;
	unsigned total = 0;

	for (int s = 0; s < 8; s++)
		if (sl_malloc_get_socket_stats(s, &st) == 0)
			total += st.alloc_count;
	return total;
}

static void
assert_counts(struct sl_mempool *mp, unsigned in_use)
{
	assert_int_equal(sl_mempool_in_use_count(mp), in_use);
	assert_int_equal(sl_mempool_avail_count(mp), mp->size - in_use);
	assert_int_equal(sl_mempool_avail_count(mp) + sl_mempool_in_use_count(mp),
			 mp->size);
	assert_int_equal(sl_mempool_audit(mp), 0);
}

static unsigned
cache_len(struct sl_mempool *mp, unsigned lcore)
{
	return mp->local_cache[lcore] == NULL ? 0 : mp->local_cache[lcore]->len;
}

static unsigned
worker_lcore(void)
{
	return sl_get_next_lcore((unsigned)-1, 1, 0);
}

/* ---------------------------------------------------------------------- */
/* bad input                                                               */
/* ---------------------------------------------------------------------- */

static void
expect_create_fails(const char *name, unsigned n, unsigned elt, unsigned cache,
		    unsigned flags, int err)
{
	unsigned before = heap_blocks();

	errno = 0;
	assert_null(sl_mempool_create(name, n, elt, cache, 0, NULL, NULL, NULL, NULL,
				      SL_SOCKET_ID_ANY, flags));
	assert_int_equal(errno, err);
	assert_int_equal(heap_blocks(), before);
}

static void
test_create_bad_input(void **state)
{
	char longname[SL_MEMPOOL_NAMESIZE + 1];
	struct sl_mempool *mp;

	(void)state;
	REQUIRE_EAL();
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';

	expect_create_fails(NULL, 63, 64, 0, 0, EINVAL);
	expect_create_fails("", 63, 64, 0, 0, EINVAL);
	expect_create_fails(longname, 63, 64, 0, 0, ENAMETOOLONG);
	/* exactly NAMESIZE-1 characters is fine */
	longname[SL_MEMPOOL_NAMESIZE - 1] = '\0';
	mp = sl_mempool_create(longname, 3, 8, 0, 0, NULL, NULL, NULL, NULL,
			       SL_SOCKET_ID_ANY, 0);
	assert_non_null(mp);
	assert_ptr_equal(sl_mempool_lookup(longname), mp);
	assert_int_equal(sl_mempool_free(mp), 0);

	expect_create_fails("bad_n", 0, 64, 0, 0, EINVAL);
	expect_create_fails("bad_elt", 63, 0, 0, 0, EINVAL);
	expect_create_fails("bad_cache", 4095, 64, SL_MEMPOOL_CACHE_MAX_SIZE + 1, 0,
			    EINVAL);
	/* 43 * 1.5 > 63: the caches could hoard the pool */
	expect_create_fails("bad_cache2", 63, 64, 43, 0, EINVAL);
	expect_create_fails("bad_flags", 63, 64, 0, 0x8000, EINVAL);

	/* 42 * 1.5 == 63: the limit itself is accepted */
	mp = sl_mempool_create("cache_limit", 63, 64, 42, 0, NULL, NULL, NULL, NULL,
			       SL_SOCKET_ID_ANY, 0);
	assert_non_null(mp);
	expect_create_fails("cache_limit", 63, 64, 0, 0, EEXIST);
	assert_int_equal(sl_mempool_free(mp), 0);

	errno = 0;
	assert_null(sl_mempool_lookup(NULL));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(sl_mempool_lookup("no_such_pool"));
	assert_int_equal(errno, ENOENT);
	assert_int_equal(sl_mempool_free(NULL), 0);
	assert_int_equal(sl_mempool_audit(NULL), -EINVAL);
	errno = 0;
	assert_int_equal(sl_mempool_obj_iter(NULL, NULL, NULL), 0);
	assert_int_equal(errno, EINVAL);
}

/* ---------------------------------------------------------------------- */
/* layout, constructors, iteration                                         */
/* ---------------------------------------------------------------------- */

struct ctor_log {
	unsigned mp_init_calls;
	unsigned obj_init_calls;
	unsigned next_idx;
	int order_ok;
	int priv_seen_by_obj_init;
	void *prev;
};

#define PRIV_MAGIC 0x1234abcdu

static void
my_mp_init(struct sl_mempool *mp, void *arg)
{
	struct ctor_log *log = arg;
	uint32_t *priv = sl_mempool_get_priv(mp);

	log->mp_init_calls++;
	/* the private area is zeroed before the constructor runs */
	if (priv[0] == 0)
		priv[0] = PRIV_MAGIC;
}

static void
my_obj_init(struct sl_mempool *mp, void *arg, void *obj, unsigned idx)
{
	struct ctor_log *log = arg;

	log->obj_init_calls++;
	if (idx != log->next_idx++ || (log->prev != NULL && obj <= log->prev))
		log->order_ok = 0;
	log->prev = obj;
	if (*(uint32_t *)sl_mempool_get_priv(mp) == PRIV_MAGIC)
		log->priv_seen_by_obj_init++;
	memset(obj, (int)(idx & 0xff), mp->elt_size);
}

struct iter_state {
	unsigned calls;
	int ok;
	void *prev;
};

static void
check_obj(struct sl_mempool *mp, void *arg, void *obj, unsigned idx)
{
	struct iter_state *st = arg;
	sl_iova_t iova = sl_mempool_virt2iova(obj);

	st->calls++;
	if (idx != st->calls - 1 || (st->prev != NULL && obj <= st->prev))
		st->ok = 0;
	if (((uintptr_t)obj & (SL_CACHE_LINE_SIZE - 1)) != 0)
		st->ok = 0;
	if (sl_mempool_from_obj(obj) != mp)
		st->ok = 0;
	if (iova != sl_mem_virt2iova(obj) || iova == SL_BAD_IOVA)
		st->ok = 0;
	/* obj_init's fill is intact */
	if (((uint8_t *)obj)[mp->elt_size - 1] != (uint8_t)(idx & 0xff))
		st->ok = 0;
	st->prev = obj;
}

static void
test_create_layout(void **state)
{
	struct ctor_log log = { .order_ok = 1 };
	struct iter_state it = { .ok = 1 };
	unsigned base = heap_blocks();
	struct sl_mempool *mp;
	char *text = NULL;
	size_t text_len = 0;
	FILE *f;

	(void)state;
	REQUIRE_EAL();
	mp = sl_mempool_create("layout", 100, 100, 16, 40, my_mp_init, &log,
			       my_obj_init, &log, SL_SOCKET_ID_ANY, 0);
	assert_non_null(mp);
	assert_ptr_equal(sl_mempool_lookup("layout"), mp);
	assert_string_equal(mp->name, "layout");
	assert_int_equal(mp->size, 100);
	assert_int_equal(mp->elt_size, 100);
	assert_int_equal(mp->cache_size, 16);
	assert_int_equal(log.mp_init_calls, 1);
	assert_int_equal(log.obj_init_calls, 100);
	assert_true(log.order_ok);
	assert_int_equal(log.priv_seen_by_obj_init, 100);

	/* private area: right after the header, aligned, 40 usable bytes */
	assert_ptr_equal(sl_mempool_get_priv(mp), (char *)mp + sizeof(*mp));
	assert_int_equal((uintptr_t)sl_mempool_get_priv(mp) % SL_CACHE_LINE_SIZE, 0);
	assert_int_equal(*(uint32_t *)sl_mempool_get_priv(mp), PRIV_MAGIC);
	memset(sl_mempool_get_priv(mp), 0xab, 40);

	/* objects: cache aligned, header before, trailer after */
	assert_int_equal(mp->header_size % SL_CACHE_LINE_SIZE, 0);
	assert_int_equal((mp->header_size + mp->elt_size + mp->trailer_size) %
				 SL_CACHE_LINE_SIZE, 0);
	assert_true(mp->trailer_size >= sizeof(struct sl_mempool_objtlr));

	assert_int_equal(sl_mempool_obj_iter(mp, check_obj, &it), 100);
	assert_int_equal(it.calls, 100);
	assert_true(it.ok);

	assert_true(sl_mempool_full(mp));
	assert_false(sl_mempool_empty(mp));
	assert_counts(mp, 0);

	f = open_memstream(&text, &text_len);
	assert_non_null(f);
	sl_mempool_dump(f, mp);
	fclose(f);
	assert_non_null(strstr(text, "mempool 'layout'"));
	assert_non_null(strstr(text, "size=100"));
	assert_non_null(strstr(text, "avail=100"));
	free(text);

	assert_int_equal(sl_mempool_free(mp), 0);
	errno = 0;
	assert_null(sl_mempool_lookup("layout"));
	assert_int_equal(errno, ENOENT);
	assert_int_equal(heap_blocks(), base);

	/* the name is free again */
	mp = sl_mempool_create("layout", 1, 1, 0, 0, NULL, NULL, NULL, NULL,
			       SL_SOCKET_ID_ANY, SL_MEMPOOL_F_NO_CACHE_ALIGN);
	assert_non_null(mp);
	assert_int_equal(mp->header_size % 8, 0);
	assert_true(mp->header_size < SL_CACHE_LINE_SIZE);
	assert_counts(mp, 0);
	assert_int_equal(sl_mempool_free(mp), 0);
}

/* ---------------------------------------------------------------------- */
/* get / put without a cache; exhaustion                                   */
/* ---------------------------------------------------------------------- */

static void
exercise_exhaustion(struct sl_mempool *mp)
{
	unsigned n = mp->size, i;
	void **objs = calloc(n + 1, sizeof(void *));
	void *extra[4] = { NULL, NULL, NULL, NULL };

	assert_non_null(objs);
	for (i = 0; i < n; i++) {
		assert_int_equal(sl_mempool_get(mp, &objs[i]), 0);
		assert_non_null(objs[i]);
		for (unsigned j = 0; j < i; j++)
			assert_ptr_not_equal(objs[i], objs[j]);
		assert_counts(mp, i + 1);
	}
	assert_true(sl_mempool_empty(mp));
	/* empty: -ENOENT, nothing written, nothing leaked */
	assert_int_equal(sl_mempool_get(mp, &extra[0]), -ENOENT);
	assert_null(extra[0]);
	assert_int_equal(sl_mempool_get_bulk(mp, extra, 2), -ENOENT);
	assert_null(extra[0]);
	assert_counts(mp, n);

	/* one back: a bulk of two still fails and takes nothing */
	sl_mempool_put(mp, objs[n - 1]);
	assert_counts(mp, n - 1);
	assert_int_equal(sl_mempool_get_bulk(mp, extra, 2), -ENOENT);
	assert_counts(mp, n - 1);
	assert_int_equal(sl_mempool_get_bulk(mp, extra, 1), 0);
	assert_ptr_equal(extra[0], objs[n - 1]);
	assert_counts(mp, n);

	/* all back in bulks of 5 */
	for (i = 0; i < n; i += 5) {
		unsigned k = SL_MIN(5u, n - i);

		sl_mempool_put_bulk(mp, &objs[i], k);
		assert_counts(mp, n - i - k);
	}
	assert_true(sl_mempool_full(mp));
	free(objs);
}

static void
test_get_put_no_cache(void **state)
{
	struct sl_mempool *mp;
	void *objs[10];

	(void)state;
	REQUIRE_EAL();
	mp = sl_mempool_create("nocache", 37, 48, 0, 0, NULL, NULL, NULL, NULL,
			       SL_SOCKET_ID_ANY, 0);
	assert_non_null(mp);
	assert_null(mp->local_cache[sl_lcore_id()]);
	assert_null(sl_mempool_default_cache(mp));

	/* FIFO ring: a fresh pool hands out objects in address order */
	assert_int_equal(sl_mempool_get_bulk(mp, objs, 10), 0);
	for (unsigned i = 0; i < 10; i++)
		assert_ptr_equal(objs[i], mp->objtable[i]);
	assert_counts(mp, 10);
	sl_mempool_put_bulk(mp, objs, 10);
	assert_counts(mp, 0);
	/* bulk larger than the pool */
	{
		void *big[38];

		assert_int_equal(sl_mempool_get_bulk(mp, big, 38), -ENOENT);
		assert_counts(mp, 0);
	}
	/* get_bulk of 0 is a no-op */
	assert_int_equal(sl_mempool_get_bulk(mp, objs, 0), 0);
	assert_counts(mp, 0);

	exercise_exhaustion(mp);
	assert_counts(mp, 0);
	assert_int_equal(sl_mempool_free(mp), 0);

	/* single-producer / single-consumer rings work the same */
	mp = sl_mempool_create("spsc", 20, 8, 0, 0, NULL, NULL, NULL, NULL,
			       SL_SOCKET_ID_ANY, SL_MEMPOOL_F_SP_PUT | SL_MEMPOOL_F_SC_GET);
	assert_non_null(mp);
	exercise_exhaustion(mp);
	assert_int_equal(sl_mempool_free(mp), 0);
}

/* ---------------------------------------------------------------------- */
/* per-lcore caches                                                        */
/* ---------------------------------------------------------------------- */

static void
test_cache_main_lcore(void **state)
{
	unsigned me = sl_lcore_id();
	struct sl_mempool *mp;
	void *objs[64], *one;
	unsigned i;

	(void)state;
	REQUIRE_EAL();
	assert_true(me < SL_MAX_LCORE);
	mp = sl_mempool_create("cache", 255, 64, 32, 0, NULL, NULL, NULL, NULL,
			       SL_SOCKET_ID_ANY, 0);
	assert_non_null(mp);
	assert_non_null(mp->local_cache[me]);
	assert_ptr_equal(sl_mempool_default_cache(mp), mp->local_cache[me]);
	assert_int_equal(mp->local_cache[me]->size, 32);
	assert_int_equal(mp->local_cache[me]->flushthresh, 48);
	/* caches exist only for enabled lcores */
	for (i = 0; i < SL_MAX_LCORE; i++)
		assert_int_equal(mp->local_cache[i] != NULL, sl_lcore_is_enabled(i));
	assert_int_equal(cache_len(mp, me), 0);

	/* first get refills the cache to size + 1 and hands one out */
	assert_int_equal(sl_mempool_get(mp, &one), 0);
	assert_int_equal(cache_len(mp, me), 32);
	assert_int_equal(sl_ring_count(mp->ring), 255 - 33);
	assert_counts(mp, 1);

	/* LIFO: what was put last comes out first */
	sl_mempool_put(mp, one);
	assert_int_equal(cache_len(mp, me), 33);
	assert_counts(mp, 0);
	assert_int_equal(sl_mempool_get(mp, &objs[0]), 0);
	assert_ptr_equal(objs[0], one);
	sl_mempool_put(mp, one);

	/* a bulk larger than the cache size but not than what the cache
	 * holds comes from the cache, as any other (the fast path's one
	 * test is "enough in the cache") */
	assert_int_equal(sl_mempool_get_bulk(mp, objs, 33), 0);
	assert_int_equal(cache_len(mp, me), 0);
	assert_int_equal(sl_ring_count(mp->ring), 255 - 33);
	assert_counts(mp, 33);
	sl_mempool_put_bulk(mp, objs, 33);
	assert_int_equal(cache_len(mp, me), 33);
	assert_int_equal(sl_ring_count(mp->ring), 255 - 33);
	/* one larger than both is taken from the ring directly */
	assert_int_equal(sl_mempool_get_bulk(mp, objs, 40), 0);
	assert_int_equal(cache_len(mp, me), 33);
	assert_int_equal(sl_ring_count(mp->ring), 255 - 33 - 40);
	sl_mempool_put_bulk(mp, objs, 40);
	/* 33 + 40 >= 48: flushed back to the nominal size */
	assert_int_equal(cache_len(mp, me), 32);
	assert_int_equal(sl_ring_count(mp->ring), 255 - 32);
	assert_counts(mp, 0);

	assert_int_equal(sl_mempool_get_bulk(mp, objs, 20), 0);
	assert_int_equal(cache_len(mp, me), 12);
	assert_int_equal(sl_ring_count(mp->ring), 255 - 32);
	assert_counts(mp, 20);
	/* 12 < 20: refill to size + 20 */
	assert_int_equal(sl_mempool_get_bulk(mp, &objs[20], 20), 0);
	assert_int_equal(cache_len(mp, me), 32);
	assert_counts(mp, 40);
	/* flush threshold: len 32 + 15 = 47 stays, one more flushes */
	sl_mempool_put_bulk(mp, objs, 15);
	assert_int_equal(cache_len(mp, me), 47);
	sl_mempool_put(mp, objs[15]);
	assert_int_equal(cache_len(mp, me), 32);
	assert_counts(mp, 24);
	/* get and put larger than size / flushthresh bypass the cache */
	{
		void *big[49];

		assert_int_equal(sl_mempool_get_bulk(mp, big, 49), 0);
		assert_int_equal(cache_len(mp, me), 32);
		assert_int_equal(sl_ring_count(mp->ring), 255 - 24 - 32 - 49);
		sl_mempool_put_bulk(mp, big, 49);
		assert_int_equal(cache_len(mp, me), 32);
	}
	assert_counts(mp, 24);

	/* exhaustion through the cache: everything is reachable */
	sl_mempool_put_bulk(mp, &objs[16], 24);
	assert_counts(mp, 0);
	exercise_exhaustion(mp);
	assert_counts(mp, 0);
	assert_int_equal(sl_mempool_free(mp), 0);
}

struct worker_arg {
	struct sl_mempool *mp;
	void *objs[8];
	int rc;
	unsigned lcore;
};

static int
worker_get(void *p)
{
	struct worker_arg *a = p;

	a->lcore = sl_lcore_id();
	a->rc = sl_mempool_get_bulk(a->mp, a->objs, 8);
	return 0;
}

static int
worker_put(void *p)
{
	struct worker_arg *a = p;

	sl_mempool_put_bulk(a->mp, a->objs, 8);
	return 0;
}

static void *
thread_get(void *p)
{
	struct worker_arg *a = p;

	a->lcore = sl_lcore_id();
	a->rc = sl_mempool_get_bulk(a->mp, a->objs, 8);
	return NULL;
}

static void *
thread_put(void *p)
{
	struct worker_arg *a = p;

	sl_mempool_put_bulk(a->mp, a->objs, 8);
	return NULL;
}

static void
test_cache_worker_and_non_eal(void **state)
{
	unsigned me = sl_lcore_id(), w = worker_lcore();
	struct worker_arg a = { 0 };
	struct sl_mempool *mp;
	pthread_t t;

	(void)state;
	REQUIRE_EAL();
	if (w >= SL_MAX_LCORE)
		SL_TEST_SKIP("no worker lcore (one CPU only)");
	mp = sl_mempool_create("cache_w", 127, 32, 16, 0, NULL, NULL, NULL, NULL,
			       SL_SOCKET_ID_ANY, 0);
	assert_non_null(mp);
	a.mp = mp;

	/* a worker lcore fills its own cache, not ours */
	assert_int_equal(sl_eal_remote_launch(worker_get, &a, w), 0);
	assert_int_equal(sl_eal_wait_lcore(w), 0);
	assert_int_equal(a.rc, 0);
	assert_int_equal(a.lcore, w);
	assert_int_equal(cache_len(mp, w), 16);
	assert_int_equal(cache_len(mp, me), 0);
	/* its cache counts as available */
	assert_counts(mp, 8);
	assert_int_equal(sl_eal_remote_launch(worker_put, &a, w), 0);
	assert_int_equal(sl_eal_wait_lcore(w), 0);
	/* 16 + 8 reaches the flush threshold (24): back to 16 */
	assert_int_equal(cache_len(mp, w), 16);
	assert_int_equal(sl_ring_count(mp->ring), 127 - 16);
	assert_counts(mp, 0);

	/* a non-EAL thread goes straight to the ring */
	memset(&a.objs, 0, sizeof(a.objs));
	assert_int_equal(pthread_create(&t, NULL, thread_get, &a), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(a.rc, 0);
	assert_int_equal(a.lcore, SL_LCORE_ID_ANY);
	assert_int_equal(cache_len(mp, w), 16);
	assert_int_equal(cache_len(mp, me), 0);
	assert_int_equal(sl_ring_count(mp->ring), 127 - 16 - 8);
	assert_counts(mp, 8);
	assert_int_equal(pthread_create(&t, NULL, thread_put, &a), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(sl_ring_count(mp->ring), 127 - 16);
	assert_counts(mp, 0);

	/* objects taken on one lcore may be put on another */
	assert_int_equal(sl_mempool_get_bulk(mp, a.objs, 8), 0);
	assert_int_equal(sl_eal_remote_launch(worker_put, &a, w), 0);
	assert_int_equal(sl_eal_wait_lcore(w), 0);
	assert_counts(mp, 0);
	assert_int_equal(sl_mempool_free(mp), 0);
}

/* ---------------------------------------------------------------------- */
/* free while in use; audit detects corruption                             */
/* ---------------------------------------------------------------------- */

static void
test_free_busy(void **state)
{
	struct sl_mempool *mp;
	void *obj;

	(void)state;
	REQUIRE_EAL();
	mp = sl_mempool_create("busy", 15, 16, 4, 0, NULL, NULL, NULL, NULL,
			       SL_SOCKET_ID_ANY, 0);
	assert_non_null(mp);
	assert_int_equal(sl_mempool_get(mp, &obj), 0);
	assert_int_equal(sl_mempool_free(mp), -EBUSY);
	/* still registered and usable */
	assert_ptr_equal(sl_mempool_lookup("busy"), mp);
	assert_counts(mp, 1);
	sl_mempool_put(mp, obj);
	/* objects in a cache count as free: freeing now works */
	assert_true(cache_len(mp, sl_lcore_id()) > 0);
	assert_int_equal(sl_mempool_free(mp), 0);
	assert_null(sl_mempool_lookup("busy"));
}

static void
test_audit_detects(void **state)
{
	struct sl_mempool *mp;
	void *objs[8], *all[8];
	uint64_t foreign[16] __attribute__((aligned(64))) = { 0 };
	uint8_t saved;

	(void)state;
	REQUIRE_EAL();
	mp = sl_mempool_create("audit", 8, 60, 0, 0, NULL, NULL, NULL, NULL,
			       SL_SOCKET_ID_ANY, 0);
	assert_non_null(mp);
	assert_counts(mp, 0);

	/* overrun of elt_size hits the trailer cookie (elt 60 -> trailer at 64) */
	assert_int_equal(sl_mempool_get(mp, &objs[0]), 0);
	saved = ((uint8_t *)objs[0])[64];
	((uint8_t *)objs[0])[64] ^= 0xff;
	assert_int_equal(sl_mempool_audit(mp), -EFAULT);
	((uint8_t *)objs[0])[64] = saved;
	assert_int_equal(sl_mempool_audit(mp), 0);

	/* underrun hits the header */
	saved = ((uint8_t *)objs[0])[-1];
	((uint8_t *)objs[0])[-1] ^= 0xff;
	assert_int_equal(sl_mempool_audit(mp), -EFAULT);
	((uint8_t *)objs[0])[-1] = saved;
	assert_int_equal(sl_mempool_audit(mp), 0);

	/* a foreign pointer in the ring */
	sl_mempool_put(mp, &foreign[8]);
	assert_int_equal(sl_mempool_audit(mp), -EFAULT);
	/* the audit put everything back: drain, drop the intruder, refill */
	assert_int_equal(sl_mempool_get_bulk(mp, all, 8), 0);
	assert_ptr_equal(all[7], &foreign[8]);
	all[7] = objs[0];
	sl_mempool_put_bulk(mp, all, 8);
	assert_counts(mp, 0);

	/* a double put */
	assert_int_equal(sl_mempool_get_bulk(mp, objs, 2), 0);
	sl_mempool_put(mp, objs[0]);
	sl_mempool_put(mp, objs[0]);
	assert_int_equal(sl_mempool_audit(mp), -EEXIST);
	assert_int_equal(sl_mempool_get_bulk(mp, all, 8), 0);
	all[7] = objs[1];
	sl_mempool_put_bulk(mp, all, 8);
	assert_counts(mp, 0);

	assert_int_equal(sl_mempool_free(mp), 0);
}

/* A bulk larger than the cache, with the ring short, also uses the cache. */
static void
test_big_bulk_uses_cache(void **state)
{
	unsigned me = sl_lcore_id();
	struct sl_mempool *mp;
	/* 128: the failing 28-object get below writes at &objs[100]. */
	void *objs[128], *one;

	(void)state;
	REQUIRE_EAL();
	mp = sl_mempool_create("bigbulk", 127, 64, 32, 0, NULL, NULL, NULL, NULL,
			       SL_SOCKET_ID_ANY, 0);
	assert_non_null(mp);
	assert_int_equal(sl_mempool_get(mp, &one), 0);
	sl_mempool_put(mp, one);
	assert_int_equal(cache_len(mp, me), 33);
	assert_int_equal(sl_ring_count(mp->ring), 127 - 33);
	assert_counts(mp, 0);

	/* every object: 94 from the ring, 33 from the cache */
	assert_int_equal(sl_mempool_get_bulk(mp, objs, 127), 0);
	assert_int_equal(cache_len(mp, me), 0);
	assert_int_equal(sl_ring_count(mp->ring), 0);
	assert_counts(mp, 127);
	/* all or nothing: one more fails and takes nothing */
	assert_int_equal(sl_mempool_get_bulk(mp, &one, 1), -ENOENT);
	assert_counts(mp, 127);
	sl_mempool_put_bulk(mp, objs, 127);
	assert_counts(mp, 0);

	/* short even with the cache: -ENOENT, cache and ring untouched */
	assert_int_equal(sl_mempool_get_bulk(mp, objs, 100), 0);
	assert_counts(mp, 100);
	{
		unsigned clen = cache_len(mp, me), rlen = sl_ring_count(mp->ring);

		assert_int_equal(sl_mempool_get_bulk(mp, &objs[100], 28), -ENOENT);
		assert_int_equal(cache_len(mp, me), clen);
		assert_int_equal(sl_ring_count(mp->ring), rlen);
	}
	sl_mempool_put_bulk(mp, objs, 100);
	assert_counts(mp, 0);
	assert_int_equal(sl_mempool_audit(mp), 0);
	assert_int_equal(sl_mempool_free(mp), 0);
}

/* ---------------------------------------------------------------------- */
/* multi-threaded stress                                                   */
/* ---------------------------------------------------------------------- */

/* Each object carries an owner tag: 0 while free, the holder's id while out. */
struct stress_obj {
	uint64_t owner;
	uint64_t seq;
};

struct stress_arg {
	struct sl_mempool *mp;
	uint64_t id;
	unsigned long errors;
	unsigned long gets;
	unsigned long enoent;
	uint32_t seed;
};

static uint32_t
xorshift(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int
stress_loop(void *p)
{
	struct stress_arg *a = p;
	void *objs[96];
	uint64_t start = now_ns();

	for (unsigned it = 0; it < STRESS_ITERS; it++) {
		unsigned n = 1 + xorshift(&a->seed) % SL_DIM(objs);

		if ((it & 255) == 0 && now_ns() - start > STRESS_MAX_NS)
			break;

		if (sl_mempool_get_bulk(a->mp, objs, n) != 0) {
			a->enoent++;
			continue;
		}
		a->gets += n;
		for (unsigned i = 0; i < n; i++) {
			struct stress_obj *o = objs[i];
			uint64_t prev = __atomic_exchange_n(&o->owner, a->id, __ATOMIC_ACQ_REL);

			/* handed out twice: someone else holds it */
			if (prev != 0)
				a->errors++;
			o->seq++;
		}
		for (unsigned i = 0; i < n; i++) {
			struct stress_obj *o = objs[i];
			uint64_t prev = __atomic_exchange_n(&o->owner, 0, __ATOMIC_ACQ_REL);

			if (prev != a->id)
				a->errors++;
		}
		sl_mempool_put_bulk(a->mp, objs, n);
	}
	return 0;
}

static void *
stress_thread(void *p)
{
	stress_loop(p);
	return NULL;
}

/* Clear the tags explicitly: the test must not depend on how the pool initialises objects. */
static void
stress_obj_init(struct sl_mempool *mp, void *arg, void *obj, unsigned idx)
{
	(void)mp;
	(void)arg;
	(void)idx;
	memset(obj, 0, sizeof(struct stress_obj));
}

static void
check_free_tag(struct sl_mempool *mp, void *arg, void *obj, unsigned idx)
{
	unsigned *bad = arg;

	(void)mp;
	(void)idx;
	if (((struct stress_obj *)obj)->owner != 0)
		(*bad)++;
}

static void
test_stress_mt(void **state)
{
	struct stress_arg args[3];
	unsigned w = worker_lcore(), bad = 0;
	struct sl_mempool *mp;
	pthread_t t;

	(void)state;
	REQUIRE_EAL();
	if (w >= SL_MAX_LCORE)
		SL_TEST_SKIP("no worker lcore (one CPU only)");
	mp = sl_mempool_create("stress", STRESS_POOL_SIZE, sizeof(struct stress_obj),
			       STRESS_CACHE, 0, NULL, NULL, stress_obj_init, NULL,
			       SL_SOCKET_ID_ANY, 0);
	assert_non_null(mp);
	for (unsigned i = 0; i < 3; i++)
		args[i] = (struct stress_arg){ .mp = mp, .id = i + 1,
					       .seed = 0x9e3779b9u * (i + 1) };

	/* both EAL lcores through their caches, plus a non-EAL thread on the ring */
	assert_int_equal(sl_eal_remote_launch(stress_loop, &args[1], w), 0);
	assert_int_equal(pthread_create(&t, NULL, stress_thread, &args[2]), 0);
	stress_loop(&args[0]);
	assert_int_equal(sl_eal_wait_lcore(w), 0);
	assert_int_equal(pthread_join(t, NULL), 0);

	for (unsigned i = 0; i < 3; i++) {
		print_message("thread %u: %lu objects, %lu empty-pool misses, %lu errors\n",
			      i, args[i].gets, args[i].enoent, args[i].errors);
		assert_int_equal(args[i].errors, 0);
		assert_true(args[i].gets > 0);
	}
	assert_counts(mp, 0);
	sl_mempool_obj_iter(mp, check_free_tag, &bad);
	assert_int_equal(bad, 0);
	assert_int_equal(sl_mempool_free(mp), 0);
}

/* ---------------------------------------------------------------------- */
/* EAL set-up per group                                                    */
/* ---------------------------------------------------------------------- */

static int
eal_start(int huge)
{
	char *argv_nohuge[] = { "test_mempool", "-l", "0-1", "--no-huge", "-m", "128",
				"--file-prefix", "test_mempool_nohuge", NULL };
	char *argv_huge[] = { "test_mempool", "-l", "0-1", "-m", "64", "--huge-dir",
			      (char *)sl_test_hugepages_dir(), "--file-prefix",
			      "test_mempool_huge", NULL };
	char **argv = huge ? argv_huge : argv_nohuge;
	int argc = huge ? (int)SL_DIM(argv_huge) - 1 : (int)SL_DIM(argv_nohuge) - 1;
	int rc = sl_eal_init(argc, argv);

	if (rc < 0) {
		fprintf(stderr, "sl_eal_init (%s): %s\n", huge ? "hugepages" : "--no-huge",
			strerror(-rc));
		return -1;
	}
	eal_up = 1;
	return 0;
}

static int
setup_nohuge(void **state)
{
	(void)state;
	return eal_start(0);
}

static int
setup_huge(void **state)
{
	int rc;

	(void)state;
	eal_up = 0;
	rc = sl_test_hugepages_setup(HUGEPAGES_WANTED);
	if (rc < 0 || !sl_test_hugepages_available()) {
		print_message("no hugepages (%s): hugepage tests skip\n", strerror(-rc));
		return 0;
	}
	return eal_start(1);
}

static int
teardown_eal(void **state)
{
	(void)state;
	if (eal_up) {
		eal_up = 0;
		if (sl_eal_cleanup() != 0)
			return -1;
	}
	return 0;
}

static int
teardown_huge(void **state)
{
	int rc = teardown_eal(state);

	sl_test_hugepages_teardown();
	return rc;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_bad_input),
		cmocka_unit_test(test_create_layout),
		cmocka_unit_test(test_get_put_no_cache),
		cmocka_unit_test(test_cache_main_lcore),
		cmocka_unit_test(test_big_bulk_uses_cache),
		cmocka_unit_test(test_cache_worker_and_non_eal),
		cmocka_unit_test(test_free_busy),
		cmocka_unit_test(test_audit_detects),
		cmocka_unit_test(test_stress_mt),
	};
	int failed;

	failed = cmocka_run_group_tests_name("mempool --no-huge", tests, setup_nohuge,
					     teardown_eal);
	failed += cmocka_run_group_tests_name("mempool hugepages", tests, setup_huge,
					      teardown_huge);
	return sl_test_exit(failed);
}
