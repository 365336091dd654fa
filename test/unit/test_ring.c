/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of lib/ring: sizing, bad input, bulk/burst semantics for every
 * concurrency variant, wraparound of the slot index and of the 32-bit
 * counters, element sizes 4/8/16/20, the named registry on the EAL heap, and
 * multi-threaded stress on both cores (SP/SC 1+1, MP/MC 2+2).  The EAL tests
 * run twice: on anonymous memory (--no-huge) and on 2 MiB hugepages borrowed
 * through sl_test_hugepages (skipped when not root).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sl_test.h"

#include "sl_eal.h"
#include "sl_ring.h"
#include "sl_test_hugepages.h"

#define MAX_ESIZE 20

/* ---------------------------------------------------------------------- */
/* helpers                                                                 */
/* ---------------------------------------------------------------------- */

/* A ring in malloc'd memory of exactly get_memsize bytes, so ASan catches a
 * slot written past the size the library asked for. */
static struct sl_ring *
ring_new(unsigned int esize, unsigned int count, unsigned int flags)
{
	ssize_t sz = sl_ring_get_memsize_elem(esize, count, flags);
	struct sl_ring *r;

	assert_true(sz > 0);
	r = aligned_alloc(SL_CACHE_LINE_SIZE,
			  SL_ALIGN_CEIL((size_t)sz, (size_t)SL_CACHE_LINE_SIZE));
	assert_non_null(r);
	assert_int_equal(sl_ring_init_elem(r, "test", esize, count, flags), 0);
	return r;
}

/* Element number v of esize bytes: every byte depends on v and position. */
static void
elem_fill(void *dst, unsigned int esize, uint32_t v)
{
	uint8_t *p = dst;

	if (esize > MAX_ESIZE)
		fail_msg("esize %u > MAX_ESIZE", esize);
	for (unsigned int i = 0; i < esize && i < MAX_ESIZE; i++)
		p[i] = (uint8_t)(v * 7u + i * 13u + (v >> 8));
}

static void
elem_check(const void *src, unsigned int esize, uint32_t v)
{
	uint8_t want[MAX_ESIZE];

	elem_fill(want, esize, v);
	assert_memory_equal(src, want, esize);
}

/* The concurrency variants, so that each test runs over all of them. */
enum mode { MODE_SPSC, MODE_MPMC, MODE_DEFAULT };

typedef unsigned int (*elem_enq_t)(struct sl_ring *, const void *,
				   unsigned int, unsigned int, unsigned int *);
typedef unsigned int (*elem_deq_t)(struct sl_ring *, void *, unsigned int,
				   unsigned int, unsigned int *);
typedef unsigned int (*ptr_enq_t)(struct sl_ring *, void *const *,
				  unsigned int, unsigned int *);
typedef unsigned int (*ptr_deq_t)(struct sl_ring *, void **, unsigned int,
				  unsigned int *);

/* Index [0] is bulk, [1] burst. */
static const struct {
	elem_enq_t enq[2];
	elem_deq_t deq[2];
	ptr_enq_t penq[2];
	ptr_deq_t pdeq[2];
} api[] = {
	[MODE_SPSC] = {
		{ sl_ring_elem_enqueue_bulk_sp, sl_ring_elem_enqueue_burst_sp },
		{ sl_ring_elem_dequeue_bulk_sc, sl_ring_elem_dequeue_burst_sc },
		{ sl_ring_enqueue_bulk_sp, sl_ring_enqueue_burst_sp },
		{ sl_ring_dequeue_bulk_sc, sl_ring_dequeue_burst_sc },
	},
	[MODE_MPMC] = {
		{ sl_ring_elem_enqueue_bulk_mp, sl_ring_elem_enqueue_burst_mp },
		{ sl_ring_elem_dequeue_bulk_mc, sl_ring_elem_dequeue_burst_mc },
		{ sl_ring_enqueue_bulk_mp, sl_ring_enqueue_burst_mp },
		{ sl_ring_dequeue_bulk_mc, sl_ring_dequeue_burst_mc },
	},
	[MODE_DEFAULT] = {
		{ sl_ring_elem_enqueue_bulk, sl_ring_elem_enqueue_burst },
		{ sl_ring_elem_dequeue_bulk, sl_ring_elem_dequeue_burst },
		{ sl_ring_enqueue_bulk, sl_ring_enqueue_burst },
		{ sl_ring_dequeue_bulk, sl_ring_dequeue_burst },
	},
};

static unsigned int
enq(struct sl_ring *r, enum mode m, int burst, const void *objs,
    unsigned int esize, unsigned int n, unsigned int *free_space)
{
	return api[m].enq[!!burst](r, objs, esize, n, free_space);
}

static unsigned int
deq(struct sl_ring *r, enum mode m, int burst, void *objs, unsigned int esize,
    unsigned int n, unsigned int *avail)
{
	return api[m].deq[!!burst](r, objs, esize, n, avail);
}

static unsigned int
enq_ptr(struct sl_ring *r, enum mode m, int burst, void *const *objs,
	unsigned int n, unsigned int *free_space)
{
	return api[m].penq[!!burst](r, objs, n, free_space);
}

static unsigned int
deq_ptr(struct sl_ring *r, enum mode m, int burst, void **objs, unsigned int n,
	unsigned int *avail)
{
	return api[m].pdeq[!!burst](r, objs, n, avail);
}

static const unsigned int esizes[] = { 4, 8, 16, 20 };
static const enum mode modes[] = { MODE_SPSC, MODE_MPMC, MODE_DEFAULT };

/* ---------------------------------------------------------------------- */
/* sizing and bad input (no EAL needed)                                    */
/* ---------------------------------------------------------------------- */

static void
test_memsize(void **state)
{
	(void)state;
	assert_int_equal(sl_ring_get_memsize(4096),
			 sizeof(struct sl_ring) + 4096 * 8);
	assert_int_equal(sl_ring_get_memsize_elem(8, 4096, 0),
			 sizeof(struct sl_ring) + 4096 * 8);
	/* EXACT_SZ: 4096 objects need 8192 slots, 4095 need 4096 */
	assert_int_equal(sl_ring_get_memsize_elem(8, 4096, SL_RING_F_EXACT_SZ),
			 sizeof(struct sl_ring) + 8192 * 8);
	assert_int_equal(sl_ring_get_memsize_elem(8, 4095, SL_RING_F_EXACT_SZ),
			 sizeof(struct sl_ring) + 4096 * 8);
	/* the slot array is padded to a cache line */
	assert_int_equal(sl_ring_get_memsize_elem(4, 1, SL_RING_F_EXACT_SZ),
			 sizeof(struct sl_ring) + SL_CACHE_LINE_SIZE);
	assert_int_equal(sl_ring_get_memsize_elem(20, 100, SL_RING_F_EXACT_SZ |
						  SL_RING_F_SP_ENQ),
			 sizeof(struct sl_ring) +
				 SL_ALIGN_CEIL(128 * 20, SL_CACHE_LINE_SIZE));

	assert_int_equal(sl_ring_get_memsize(0), -EINVAL);
	assert_int_equal(sl_ring_get_memsize(100), -EINVAL);
	assert_int_equal(sl_ring_get_memsize(1), -EINVAL);
	assert_int_equal(sl_ring_get_memsize(0x80000001u), -EINVAL);
	assert_int_equal(sl_ring_get_memsize_elem(8, SL_RING_SZ_MAX,
						  SL_RING_F_EXACT_SZ), -EINVAL);
	assert_int_equal(sl_ring_get_memsize_elem(0, 64, 0), -EINVAL);
	assert_int_equal(sl_ring_get_memsize_elem(6, 64, 0), -EINVAL);
	assert_int_equal(sl_ring_get_memsize_elem(3, 64, 0), -EINVAL);
	assert_int_equal(sl_ring_get_memsize_elem(8, 64, 0x40), -EINVAL);
	/* The largest rings are sizeable (the number, not the memory). */
	assert_int_equal(sl_ring_get_memsize(SL_RING_SZ_MAX),
			 sizeof(struct sl_ring) + (ssize_t)SL_RING_SZ_MAX * 8);
	assert_true(sl_ring_get_memsize_elem(4, SL_RING_SZ_MAX - 1,
					     SL_RING_F_EXACT_SZ) > 0);
}

static void
test_init_bad_input(void **state)
{
	ssize_t sz = sl_ring_get_memsize(1024);
	char *mem = aligned_alloc(SL_CACHE_LINE_SIZE, (size_t)sz + 64);
	char *copy = malloc((size_t)sz + 64);
	struct sl_ring *r = (struct sl_ring *)mem;
	char longname[SL_RING_NAMESIZE + 1];

	(void)state;
	assert_non_null(mem);
	assert_non_null(copy);
	memset(mem, 0xa5, (size_t)sz + 64);
	memcpy(copy, mem, (size_t)sz + 64);
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';

	assert_int_equal(sl_ring_init(NULL, "r", 1024, 0), -EINVAL);
	assert_int_equal(sl_ring_init((struct sl_ring *)(mem + 8), "r", 64, 0),
			 -EINVAL);
	assert_int_equal(sl_ring_init(r, NULL, 1024, 0), -EINVAL);
	assert_int_equal(sl_ring_init(r, longname, 1024, 0), -ENAMETOOLONG);
	/* exactly SL_RING_NAMESIZE - 1 characters is fine (checked below) */
	longname[SL_RING_NAMESIZE - 1] = '\0';
	assert_int_equal(sl_ring_init(r, "r", 1024, 0x100), -EINVAL);
	assert_int_equal(sl_ring_init(r, "r", 0, 0), -EINVAL);
	assert_int_equal(sl_ring_init(r, "r", 0, SL_RING_F_EXACT_SZ), -EINVAL);
	assert_int_equal(sl_ring_init(r, "r", 1, 0), -EINVAL);
	assert_int_equal(sl_ring_init(r, "r", 1000, 0), -EINVAL);
	assert_int_equal(sl_ring_init(r, "r", 3, SL_RING_F_SP_ENQ), -EINVAL);
	assert_int_equal(sl_ring_init(r, "r", 0x80000001u, 0), -EINVAL);
	assert_int_equal(sl_ring_init(r, "r", SL_RING_SZ_MAX, SL_RING_F_EXACT_SZ),
			 -EINVAL);
	assert_int_equal(sl_ring_init_elem(r, "r", 0, 64, 0), -EINVAL);
	assert_int_equal(sl_ring_init_elem(r, "r", 10, 64, 0), -EINVAL);
	assert_int_equal(sl_ring_init_elem(r, "r", 1, 64, 0), -EINVAL);
	/* Bad input leaves the memory alone. */
	assert_memory_equal(mem, copy, (size_t)sz + 64);

	/* The log names the bad value and the fix. */
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		assert_non_null(f);
		sl_log_set_stream(f);
		sl_log_set_level("RING", SL_LOG_ERR);
		assert_int_equal(sl_ring_init(r, "r", 1000, 0), -EINVAL);
		assert_int_equal(sl_ring_init_elem(r, "r", 10, 64, 0), -EINVAL);
		sl_log_set_level("RING", SL_LOG_CRIT);
		sl_log_set_stream(stderr);
		fclose(f);
		assert_non_null(strstr(buf, "count 1000 is not a power of two"));
		assert_non_null(strstr(buf, "use 1024"));
		assert_non_null(strstr(buf, "SL_RING_F_EXACT_SZ"));
		assert_non_null(strstr(buf, "element size 10"));
		free(buf);
	}

	assert_int_equal(sl_ring_init(r, longname, 1024, 0), 0);
	assert_string_equal(sl_ring_get_name(r), longname);
	free(copy);
	free(mem);
}

static void
test_init_geometry(void **state)
{
	struct sl_ring *r;

	(void)state;
	r = ring_new(8, 1024, 0);
	assert_int_equal(sl_ring_get_size(r), 1024);
	assert_int_equal(sl_ring_get_capacity(r), 1023);
	assert_int_equal(sl_ring_get_esize(r), 8);
	assert_string_equal(sl_ring_get_name(r), "test");
	assert_int_equal(sl_ring_count(r), 0);
	assert_int_equal(sl_ring_free_count(r), 1023);
	assert_true(sl_ring_empty(r));
	assert_false(sl_ring_full(r));
	assert_int_equal(r->prod.single, 0);
	assert_int_equal(r->cons.single, 0);
	free(r);

	r = ring_new(16, 1000, SL_RING_F_EXACT_SZ | SL_RING_F_SP_ENQ);
	assert_int_equal(sl_ring_get_size(r), 1024);
	assert_int_equal(sl_ring_get_capacity(r), 1000);
	assert_int_equal(sl_ring_get_esize(r), 16);
	assert_int_equal(r->prod.single, 1);
	assert_int_equal(r->cons.single, 0);
	free(r);

	r = ring_new(4, 1024, SL_RING_F_EXACT_SZ | SL_RING_F_SC_DEQ);
	assert_int_equal(sl_ring_get_size(r), 2048);
	assert_int_equal(sl_ring_get_capacity(r), 1024);
	assert_int_equal(r->prod.single, 0);
	assert_int_equal(r->cons.single, 1);
	free(r);

	r = ring_new(8, 1, SL_RING_F_EXACT_SZ);
	assert_int_equal(sl_ring_get_size(r), 2);
	assert_int_equal(sl_ring_get_capacity(r), 1);
	free(r);

	/* the smallest plain ring: 2 slots, 1 usable (count 1 is refused,
	 * see test_init_bad_input) */
	r = ring_new(8, 2, 0);
	assert_int_equal(sl_ring_get_size(r), 2);
	assert_int_equal(sl_ring_get_capacity(r), 1);
	free(r);
}

/* ---------------------------------------------------------------------- */
/* single-thread semantics                                                 */
/* ---------------------------------------------------------------------- */

/* Bulk is all-or-nothing, burst takes what fits; free_space/available. */
static void
test_bulk_burst_semantics(void **state)
{
	void *in[16], *out[16];

	(void)state;
	for (unsigned int i = 0; i < SL_DIM(in); i++)
		in[i] = (void *)(uintptr_t)(0x1000 + i);

	for (unsigned int mi = 0; mi < SL_DIM(modes); mi++) {
		enum mode m = modes[mi];
		struct sl_ring *r = ring_new(8, 8, 0); /* capacity 7 */
		unsigned int fs = 99, av = 99;

		assert_int_equal(enq_ptr(r, m, 0, in, 5, &fs), 5);
		assert_int_equal(fs, 2);
		assert_int_equal(sl_ring_count(r), 5);
		/* bulk of 3 does not fit: nothing moves, free space reported */
		fs = 99;
		assert_int_equal(enq_ptr(r, m, 0, in + 5, 3, &fs), 0);
		assert_int_equal(fs, 2);
		assert_int_equal(sl_ring_count(r), 5);
		/* burst of 3 takes the 2 that fit */
		assert_int_equal(enq_ptr(r, m, 1, in + 5, 3, &fs), 2);
		assert_int_equal(fs, 0);
		assert_true(sl_ring_full(r));
		assert_int_equal(sl_ring_free_count(r), 0);
		assert_int_equal(enq_ptr(r, m, 1, in, 1, NULL), 0);
		/* n == 0 moves nothing and is not an error */
		assert_int_equal(enq_ptr(r, m, 0, in, 0, &fs), 0);

		/* dequeue side, mirror image */
		assert_int_equal(deq_ptr(r, m, 0, out, 8, &av), 0);
		assert_int_equal(av, 7);
		assert_int_equal(deq_ptr(r, m, 0, out, 3, &av), 3);
		assert_int_equal(av, 4);
		for (unsigned int i = 0; i < 3; i++)
			assert_ptr_equal(out[i], in[i]);
		assert_int_equal(deq_ptr(r, m, 1, out, 10, &av), 4);
		assert_int_equal(av, 0);
		for (unsigned int i = 0; i < 4; i++)
			assert_ptr_equal(out[i], in[3 + i]);
		assert_true(sl_ring_empty(r));
		assert_int_equal(deq_ptr(r, m, 1, out, 1, &av), 0);
		assert_int_equal(deq_ptr(r, m, 0, out, 1, NULL), 0);
		assert_int_equal(sl_ring_free_count(r), 7);
		free(r);
	}
}

/* The generic calls follow the creation flags; mixing is allowed. */
static void
test_default_dispatch(void **state)
{
	unsigned int flags[] = { 0, SL_RING_F_SP_ENQ, SL_RING_F_SC_DEQ,
				 SL_RING_F_SP_ENQ | SL_RING_F_SC_DEQ };
	void *in[4] = { &flags[0], &flags[1], &flags[2], &flags[3] };
	void *out[16];

	(void)state;
	for (unsigned int f = 0; f < SL_DIM(flags); f++) {
		struct sl_ring *r = ring_new(8, 16, flags[f]);

		assert_int_equal(r->prod.single, !!(flags[f] & SL_RING_F_SP_ENQ));
		assert_int_equal(r->cons.single, !!(flags[f] & SL_RING_F_SC_DEQ));
		assert_int_equal(sl_ring_enqueue_bulk(r, in, 2, NULL), 2);
		assert_int_equal(sl_ring_enqueue_burst(r, in + 2, 2, NULL), 2);
		assert_int_equal(sl_ring_dequeue_bulk(r, out, 1, NULL), 1);
		assert_int_equal(sl_ring_dequeue_burst(r, out + 1, 8, NULL), 3);
		assert_memory_equal(in, out, sizeof(in));
		/* the explicit variants work on any ring, whatever its flags */
		assert_int_equal(sl_ring_enqueue_bulk_mp(r, in, 4, NULL), 4);
		assert_int_equal(sl_ring_dequeue_bulk_sc(r, out, 4, NULL), 4);
		assert_memory_equal(in, out, sizeof(in));
		free(r);
	}
}

static void
test_single_object(void **state)
{
	struct sl_ring *r = ring_new(8, 4, 0); /* capacity 3 */
	void *obj = NULL;
	int a, b, c;

	(void)state;
	assert_int_equal(sl_ring_dequeue(r, &obj), -ENOENT);
	assert_int_equal(sl_ring_enqueue(r, &a), 0);
	assert_int_equal(sl_ring_enqueue(r, &b), 0);
	assert_int_equal(sl_ring_enqueue(r, &c), 0);
	assert_int_equal(sl_ring_enqueue(r, &a), -ENOBUFS);
	assert_int_equal(sl_ring_dequeue(r, &obj), 0);
	assert_ptr_equal(obj, &a);
	assert_int_equal(sl_ring_dequeue(r, &obj), 0);
	assert_ptr_equal(obj, &b);
	assert_int_equal(sl_ring_dequeue(r, &obj), 0);
	assert_ptr_equal(obj, &c);
	assert_int_equal(sl_ring_dequeue(r, &obj), -ENOENT);
	free(r);
}

/* An EXACT_SZ ring holds exactly count, however count relates to 2^k. */
static void
test_exact_size(void **state)
{
	const unsigned int counts[] = { 1, 3, 100, 127, 128, 129 };

	(void)state;
	for (unsigned int c = 0; c < SL_DIM(counts); c++) {
		struct sl_ring *r = ring_new(8, counts[c], SL_RING_F_EXACT_SZ);
		void *obj;

		for (unsigned int i = 0; i < counts[c]; i++)
			assert_int_equal(sl_ring_enqueue(r, (void *)(uintptr_t)(i + 1)), 0);
		assert_true(sl_ring_full(r));
		assert_int_equal(sl_ring_count(r), counts[c]);
		assert_int_equal(sl_ring_enqueue(r, r), -ENOBUFS);
		for (unsigned int i = 0; i < counts[c]; i++) {
			assert_int_equal(sl_ring_dequeue(r, &obj), 0);
			assert_ptr_equal(obj, (void *)(uintptr_t)(i + 1));
		}
		assert_true(sl_ring_empty(r));
		free(r);
	}
}

/*
 * Element sizes 4/8/16/20 through every variant, with bulk sizes that do
 * not divide the ring so the slot index wraps at every possible offset.
 */
static void
test_elem_sizes_wrap(void **state)
{
	uint8_t in[33 * MAX_ESIZE], out[33 * MAX_ESIZE];

	(void)state;
	for (unsigned int ei = 0; ei < SL_DIM(esizes); ei++) {
		unsigned int es = esizes[ei];

		for (unsigned int mi = 0; mi < SL_DIM(modes); mi++) {
			struct sl_ring *r = ring_new(es, 64, 0);
			uint32_t next_in = 0, next_out = 0;

			for (unsigned int round = 0; round < 500; round++) {
				unsigned int n = 1 + (round * 7) % 33;
				int burst = round & 1;
				unsigned int got;

				for (unsigned int i = 0; i < n; i++)
					elem_fill(in + i * es, es, next_in + i);
				got = enq(r, modes[mi], burst, in, es, n, NULL);
				assert_int_equal(got, n);
				next_in += got;
				/* keep some in so head and tail differ */
				n = (round % 3 == 0) ? n : n - n / 2;
				got = deq(r, modes[mi], !burst, out, es, n,
					  NULL);
				assert_int_equal(got, n);
				for (unsigned int i = 0; i < got; i++)
					elem_check(out + i * es, es,
						   next_out + i);
				next_out += got;
				assert_int_equal(sl_ring_count(r),
						 next_in - next_out);
				/* drain when it gets near full */
				if (sl_ring_free_count(r) < 33) {
					n = sl_ring_count(r);
					while (n > 0) {
						unsigned int k = n > 33 ? 33 : n;

						assert_int_equal(deq(r, modes[mi], 1, out, es, k, NULL), k);
						for (unsigned int i = 0; i < k; i++)
							elem_check(out + i * es, es, next_out + i);
						next_out += k;
						n -= k;
					}
				}
			}
			free(r);
		}
	}
}

/* Pointers seq, seq + 1, ... (never NULL), for order checks. */
static void
seq_fill(void **objs, unsigned int n, uintptr_t *seq)
{
	for (unsigned int i = 0; i < n; i++)
		objs[i] = (void *)(*seq)++;
}

static void
seq_check(void *const *objs, unsigned int n, uintptr_t *seq)
{
	for (unsigned int i = 0; i < n; i++)
		assert_ptr_equal(objs[i], (void *)(*seq)++);
}

/* The 32-bit counters wrap past UINT32_MAX without a hiccup. */
static void
test_counter_wrap(void **state)
{
	(void)state;
	for (unsigned int mi = 0; mi < SL_DIM(modes); mi++) {
		struct sl_ring *r = ring_new(8, 16, 0);
		const uint32_t start = UINT32_MAX - 20;
		uintptr_t next_in = 1, next_out = 1;
		void *objs[8];

		r->prod.head = r->prod.tail = start;
		r->cons.head = r->cons.tail = start;
		assert_true(sl_ring_empty(r));
		assert_int_equal(sl_ring_free_count(r), 15);
		for (unsigned int round = 0; round < 40; round++) {
			seq_fill(objs, 8, &next_in);
			assert_int_equal(enq_ptr(r, modes[mi], 0, objs, 8, NULL), 8);
			assert_int_equal(sl_ring_count(r), 8);
			/* capacity 15 with 8 used: a bulk of 8 does not fit */
			assert_int_equal(enq_ptr(r, modes[mi], 0, objs, 8, NULL), 0);
			assert_int_equal(deq_ptr(r, modes[mi], round & 1, objs, 8, NULL), 8);
			seq_check(objs, 8, &next_out);
		}
		/* we really crossed zero */
		assert_true(r->prod.tail < start);
		assert_int_equal(r->prod.tail, r->cons.tail);
		free(r);
	}
}

/*
 * The single-thread calls count against a copy of the other side's tail
 * and read the tail again only when the copy cannot cover a request.  A
 * stale copy must not shorten a burst, and must never let a call take
 * slots or entries that are not there: not after the multi-thread calls
 * moved the head in between, nor after a reset.
 */
static void
test_single_thread_tail_copy(void **state)
{
	struct sl_ring *r = ring_new(8, 16, 0); /* capacity 15 */
	uintptr_t in = 1, out = 1;
	unsigned int left;
	void *objs[16];

	(void)state;
	/* The copies now say "full" to the producer, "empty" to the consumer. */
	seq_fill(objs, 15, &in);
	assert_int_equal(sl_ring_enqueue_bulk_sp(r, objs, 15, NULL), 15);
	assert_int_equal(sl_ring_dequeue_bulk_sc(r, objs, 15, NULL), 15);
	seq_check(objs, 15, &out);
	/* Bursts still take what is there. */
	seq_fill(objs, 10, &in);
	assert_int_equal(sl_ring_enqueue_burst_sp(r, objs, 10, &left), 10);
	assert_int_equal(left, 5);
	assert_int_equal(sl_ring_dequeue_burst_sc(r, objs, 16, &left), 10);
	assert_int_equal(left, 0);
	seq_check(objs, 10, &out);

	/* Multi-thread calls move the producer's head past its copy; the
	 * ring ends full, so a single-producer call must take nothing. */
	seq_fill(objs, 15, &in);
	assert_int_equal(sl_ring_enqueue_bulk_mp(r, objs, 15, NULL), 15);
	assert_int_equal(sl_ring_dequeue_bulk_mc(r, objs, 15, NULL), 15);
	seq_check(objs, 15, &out);
	seq_fill(objs, 15, &in);
	assert_int_equal(sl_ring_enqueue_bulk_mp(r, objs, 15, NULL), 15);
	assert_int_equal(sl_ring_enqueue_bulk_sp(r, objs, 1, NULL), 0);
	assert_int_equal(sl_ring_enqueue_burst_sp(r, objs, 1, NULL), 0);
	assert_int_equal(sl_ring_count(r), 15);
	assert_int_equal(sl_ring_dequeue_bulk_sc(r, objs, 15, NULL), 15);
	seq_check(objs, 15, &out);

	/* The same on the consumer's side: the ring ends empty. */
	seq_fill(objs, 4, &in);
	assert_int_equal(sl_ring_enqueue_bulk_sp(r, objs, 4, NULL), 4);
	assert_int_equal(sl_ring_dequeue_bulk_mc(r, objs, 4, NULL), 4);
	seq_check(objs, 4, &out);
	assert_int_equal(sl_ring_dequeue_bulk_sc(r, objs, 1, NULL), 0);
	assert_int_equal(sl_ring_dequeue_burst_sc(r, objs, 1, NULL), 0);

	/* After a reset the copies count nothing either. */
	seq_fill(objs, 5, &in);
	assert_int_equal(sl_ring_enqueue_bulk_sp(r, objs, 5, NULL), 5);
	assert_int_equal(sl_ring_dequeue_bulk_sc(r, objs, 2, NULL), 2);
	seq_check(objs, 2, &out);
	sl_ring_reset(r);
	assert_int_equal(sl_ring_dequeue_burst_sc(r, objs, 1, NULL), 0);
	assert_int_equal(sl_ring_enqueue_burst_sp(r, objs, 16, NULL), 15);
	free(r);
}

static void
test_reset_dump(void **state)
{
	struct sl_ring *r = ring_new(8, 32, SL_RING_F_SP_ENQ);
	void *objs[5] = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_int_equal(sl_ring_enqueue_burst(r, objs, 5, NULL), 5);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	sl_ring_dump(f, r);
	sl_ring_dump(f, NULL);
	fclose(f);
	assert_non_null(strstr(buf, "ring <test>"));
	assert_non_null(strstr(buf, "size=32 capacity=31 esize=8"));
	assert_non_null(strstr(buf, "used=5 avail=26"));
	assert_non_null(strstr(buf, " sp mc"));
	assert_non_null(strstr(buf, "ring: NULL"));
	free(buf);

	sl_ring_reset(r);
	assert_true(sl_ring_empty(r));
	assert_int_equal(sl_ring_free_count(r), 31);
	assert_int_equal(sl_ring_enqueue_bulk(r, objs, 5, NULL), 5);
	assert_int_equal(sl_ring_count(r), 5);
	free(r);
}

/* ---------------------------------------------------------------------- */
/* named rings on the EAL heap                                             */
/* ---------------------------------------------------------------------- */

static int
eal_setup(void **state)
{
	char *argv[] = { "test_ring", "--no-huge", "-m", "64", "-l", "0",
			 "--file-prefix", "test_ring", "--log-level", "warning",
			 NULL };
	int ret = sl_eal_init((int)SL_DIM(argv) - 1, argv);

	(void)state;
	if (ret < 0) {
		fprintf(stderr, "sl_eal_init: %s\n", strerror(-ret));
		return -1;
	}
	/* --log-level reset the levels: quiet the provoked errors again */
	sl_log_set_level("RING", SL_LOG_CRIT);
	return 0;
}

static int
eal_teardown(void **state)
{
	(void)state;
	return sl_eal_cleanup();
}

/* Hugepage mode: the same tests with the heap on hugetlbfs. */
static int huge_up;

static int
eal_huge_setup(void **state)
{
	char prefix[48], dir[256];
	char *argv[] = { "test_ring", "--huge-dir", dir, "-m", "32", "-l", "0",
			 "--file-prefix", prefix, "--no-pci", "--log-level",
			 "warning", NULL };
	int ret;

	(void)state;
	ret = sl_test_hugepages_setup(32);
	if (ret < 0) {
		print_message("hugepage ring tests will be skipped: %s\n",
			      strerror(-ret));
		return 0;
	}
	snprintf(dir, sizeof(dir), "%s", sl_test_hugepages_dir());
	snprintf(prefix, sizeof(prefix), "test_ring_%d", (int)getpid());
	ret = sl_eal_init((int)SL_DIM(argv) - 1, argv);
	if (ret < 0) {
		fprintf(stderr, "sl_eal_init on hugepages: %s\n", strerror(-ret));
		sl_test_hugepages_teardown();
		return -1;
	}
	sl_log_set_level("RING", SL_LOG_CRIT);
	huge_up = 1;
	return 0;
}

static int
eal_huge_teardown(void **state)
{
	int ret = 0;

	(void)state;
	if (huge_up)
		ret = sl_eal_cleanup();
	huge_up = 0;
	sl_test_hugepages_teardown();
	return ret;
}

/* SL_TEST_SKIP() works in a test body only, hence the wrappers below. */
static void
require_huge(void)
{
	if (!huge_up)
		SL_TEST_SKIP("no 2 MiB hugepages could be reserved (run as root with free memory)");
}

static void
test_create_lookup_free(void **state)
{
	struct sl_ring *r, *r2, *e;
	char longname[SL_RING_NAMESIZE + 4];
	void *obj;

	(void)state;
	r = sl_ring_create("test_r1", 1024, SL_SOCKET_ID_ANY,
			   SL_RING_F_SP_ENQ | SL_RING_F_SC_DEQ);
	assert_non_null(r);
	assert_true(SL_IS_ALIGNED(r, SL_CACHE_LINE_SIZE));
	assert_int_equal(sl_ring_get_capacity(r), 1023);
	assert_int_equal(sl_ring_get_esize(r), sizeof(void *));
	assert_ptr_equal(sl_ring_lookup("test_r1"), r);
	assert_int_equal(sl_ring_enqueue(r, &r2), 0);
	assert_int_equal(sl_ring_dequeue(r, &obj), 0);
	assert_ptr_equal(obj, &r2);

	/* duplicate name */
	errno = 0;
	assert_null(sl_ring_create("test_r1", 64, SL_SOCKET_ID_ANY, 0));
	assert_int_equal(errno, EEXIST);
	assert_null(sl_ring_create_elem("test_r1", 16, 64, 0, 0));
	assert_int_equal(errno, EEXIST);

	/* an element ring, on socket 0 */
	e = sl_ring_create_elem("test_e16", 16, 100, 0, SL_RING_F_EXACT_SZ);
	assert_non_null(e);
	assert_int_equal(sl_ring_get_capacity(e), 100);
	assert_int_equal(sl_ring_get_esize(e), 16);
	assert_ptr_equal(sl_ring_lookup("test_e16"), e);

	/* bad input: NULL, errno, nothing registered */
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	errno = 0;
	assert_null(sl_ring_create(NULL, 64, SL_SOCKET_ID_ANY, 0));
	assert_int_equal(errno, EINVAL);
	assert_null(sl_ring_create(longname, 64, SL_SOCKET_ID_ANY, 0));
	assert_int_equal(errno, ENAMETOOLONG);
	assert_null(sl_ring_create("bad", 0, SL_SOCKET_ID_ANY, 0));
	assert_int_equal(errno, EINVAL);
	assert_null(sl_ring_create("bad", 100, SL_SOCKET_ID_ANY, 0));
	assert_int_equal(errno, EINVAL);
	assert_null(sl_ring_create("bad", 0x80000001u, SL_SOCKET_ID_ANY,
				   SL_RING_F_EXACT_SZ));
	assert_int_equal(errno, EINVAL);
	assert_null(sl_ring_create("bad", 64, SL_SOCKET_ID_ANY, 0x80));
	assert_int_equal(errno, EINVAL);
	assert_null(sl_ring_create_elem("bad", 6, 64, SL_SOCKET_ID_ANY, 0));
	assert_int_equal(errno, EINVAL);
	/* too big for the heap: the allocation fails cleanly */
	errno = 0;
	assert_null(sl_ring_create_elem("bad", 1u << 20, 1u << 20,
					SL_SOCKET_ID_ANY, 0));
	assert_true(errno != 0);
	assert_null(sl_ring_lookup("bad"));
	assert_int_equal(errno, ENOENT);

	/* lookup errors */
	assert_null(sl_ring_lookup(NULL));
	assert_int_equal(errno, EINVAL);
	assert_null(sl_ring_lookup("nonexistent"));
	assert_int_equal(errno, ENOENT);

	/* free: unregisters; the name is reusable */
	sl_ring_free(r);
	assert_null(sl_ring_lookup("test_r1"));
	assert_int_equal(errno, ENOENT);
	assert_ptr_equal(sl_ring_lookup("test_e16"), e);
	r = sl_ring_create("test_r1", 64, SL_SOCKET_ID_ANY, 0);
	assert_non_null(r);
	sl_ring_free(r);
	sl_ring_free(e);
	assert_null(sl_ring_lookup("test_e16"));
	sl_ring_free(NULL);
}

/* A ring leaked past sl_eal_cleanup() does not haunt the next init. */
static void
test_leak_across_cleanup(void **state)
{
	struct sl_ring *r = sl_ring_create("test_leak", 64, SL_SOCKET_ID_ANY, 0);

	assert_non_null(r);
	assert_ptr_equal(sl_ring_lookup("test_leak"), r);
	assert_int_equal(eal_teardown(state), 0);
	assert_int_equal(eal_setup(state), 0);
	errno = 0;
	assert_null(sl_ring_lookup("test_leak"));
	assert_int_equal(errno, ENOENT);
	r = sl_ring_create("test_leak", 64, SL_SOCKET_ID_ANY, 0);
	assert_non_null(r);
	assert_int_equal(sl_ring_enqueue(r, r), 0);
	sl_ring_free(r);
}

/* sl_ring_free() refuses a ring it did not allocate and leaves it usable. */
static void
test_free_init_ring(void **state)
{
	struct sl_ring *r = ring_new(8, 16, 0);

	(void)state;
	sl_ring_free(r);
	assert_int_equal(sl_ring_enqueue(r, r), 0);
	assert_int_equal(sl_ring_count(r), 1);
	/* init'd rings are not in the registry */
	assert_null(sl_ring_lookup("test"));
	free(r);
}

/* ---------------------------------------------------------------------- */
/* multi-threaded stress on both cores                                     */
/* ---------------------------------------------------------------------- */

#define STRESS_PER_PRODUCER 1000000u
#define STRESS_MAX_THREADS 4
#define STRESS_BULK_MAX 32

/* An element carries (producer, sequence); esize 8 or 16. */
struct stress {
	struct sl_ring *r;
	unsigned int esize;
	int multi;            /* MP/MC variants (else SP/SC) */
	unsigned int nprod;
	unsigned int ncons;
	uint8_t *seen;        /* nprod * STRESS_PER_PRODUCER counters */
	uint64_t consumed;    /* total dequeued, atomic */
	int error;            /* first ordering violation, atomic */
};

struct stress_thread {
	struct stress *s;
	int produce;
	int consume;
	unsigned int id;
	int cpu;
	unsigned int seed;
};

static void
stress_pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	/* best effort: a failure only loses the "both cores" property */
	(void)pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void
stress_encode(uint8_t *dst, unsigned int esize, uint32_t prod, uint32_t seq)
{
	uint64_t v = ((uint64_t)prod << 32) | seq;

	memcpy(dst, &v, 8);
	if (esize == 16) {
		uint64_t chk = ~v * 0x9e3779b97f4a7c15ull;

		memcpy(dst + 8, &chk, 8);
	}
}

/* One enqueue attempt of the thread's next objects; returns how many. */
static unsigned int
stress_produce(struct stress_thread *t, uint32_t *seq)
{
	struct stress *s = t->s;
	uint8_t buf[STRESS_BULK_MAX * 16];
	unsigned int n = 1 + rand_r(&t->seed) % STRESS_BULK_MAX;
	int burst = rand_r(&t->seed) & 1;
	unsigned int done;

	if (n > STRESS_PER_PRODUCER - *seq)
		n = STRESS_PER_PRODUCER - *seq;
	for (unsigned int i = 0; i < n; i++)
		stress_encode(buf + i * s->esize, s->esize, t->id, *seq + i);
	done = enq(s->r, s->multi ? MODE_MPMC : MODE_SPSC, burst, buf,
		   s->esize, n, NULL);
	*seq += done;
	return done;
}

/*
 * One dequeue attempt; checks every element against what its producer
 * wrote and against @p last, this consumer's last sequence per producer.
 * Returns how many were dequeued.
 */
static unsigned int
stress_consume(struct stress_thread *t, int64_t *last)
{
	struct stress *s = t->s;
	uint8_t buf[STRESS_BULK_MAX * 16];
	unsigned int n = 1 + rand_r(&t->seed) % STRESS_BULK_MAX;
	int burst = rand_r(&t->seed) & 1;
	unsigned int got;

	got = deq(s->r, s->multi ? MODE_MPMC : MODE_SPSC, burst, buf, s->esize,
		  n, NULL);
	for (unsigned int i = 0; i < got; i++) {
		uint8_t *e = buf + i * s->esize;
		uint64_t v;
		uint32_t prod, seq;
		int bad = 0;

		memcpy(&v, e, 8);
		prod = (uint32_t)(v >> 32);
		seq = (uint32_t)v;
		if (prod >= s->nprod || seq >= STRESS_PER_PRODUCER) {
			bad = 1;
		} else {
			uint8_t chk[16];

			stress_encode(chk, s->esize, prod, seq);
			/* torn element? */
			if (memcmp(chk, e, s->esize) != 0)
				bad = 2;
			/* FIFO: within one consumer, each producer's sequence
			 * only grows (exactly +1 for SP/SC). */
			else if ((int64_t)seq <= last[prod] ||
				 (!s->multi && (int64_t)seq != last[prod] + 1))
				bad = 3;
			else
				last[prod] = seq;
			__atomic_fetch_add(&s->seen[prod * STRESS_PER_PRODUCER + seq],
					   1, __ATOMIC_RELAXED);
		}
		if (bad) {
			int zero = 0;

			__atomic_compare_exchange_n(&s->error, &zero, bad, 0,
						    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
		}
	}
	__atomic_fetch_add(&s->consumed, got, __ATOMIC_RELAXED);
	return got;
}

/*
 * A stress thread produces, consumes, or both.  "Both", one thread per core,
 * is how a mempool uses its ring: both cores are in the ring all the time,
 * so a consumer often runs right behind a producer on the other core, which
 * is what catches a tail published before an earlier reservation's copy.
 */
static void *
stress_thread_fn(void *arg)
{
	struct stress_thread *t = arg;
	const uint64_t total = (uint64_t)t->s->nprod * STRESS_PER_PRODUCER;
	int64_t last[STRESS_MAX_THREADS];
	uint32_t seq = t->produce ? 0 : STRESS_PER_PRODUCER;

	stress_pin(t->cpu);
	for (unsigned int i = 0; i < STRESS_MAX_THREADS; i++)
		last[i] = -1;
	while (seq < STRESS_PER_PRODUCER ||
	       (t->consume &&
		__atomic_load_n(&t->s->consumed, __ATOMIC_RELAXED) < total)) {
		unsigned int moved = 0;

		if (seq < STRESS_PER_PRODUCER)
			moved += stress_produce(t, &seq);
		if (t->consume)
			moved += stress_consume(t, last);
		/* two threads per core: let the other one run */
		if (moved == 0)
			sched_yield();
	}
	return NULL;
}

/* nprod producers and ncons consumers; ncons 0: nprod mixed threads. */
static void
stress_run(struct sl_ring *r, unsigned int esize, int multi,
	   unsigned int nprod, unsigned int ncons)
{
	struct stress s = { .r = r, .esize = esize, .multi = multi,
			    .nprod = nprod, .ncons = ncons };
	struct stress_thread th[STRESS_MAX_THREADS];
	pthread_t tid[STRESS_MAX_THREADS];
	int cpus[2] = { -1, -1 }, ncpu = 0;
	cpu_set_t avail;
	unsigned int n = nprod + ncons;

	/* Spread over the first two CPUs we may run on. */
	if (sched_getaffinity(0, sizeof(avail), &avail) == 0) {
		for (int c = 0; c < CPU_SETSIZE && ncpu < 2; c++)
			if (CPU_ISSET(c, &avail))
				cpus[ncpu++] = c;
	}
	s.seen = calloc((size_t)nprod * STRESS_PER_PRODUCER, 1);
	assert_non_null(s.seen);
	for (unsigned int i = 0; i < n; i++) {
		th[i].s = &s;
		th[i].id = i < nprod ? i : i - nprod;
		th[i].cpu = ncpu ? cpus[i % ncpu] : -1;
		th[i].seed = 12345u + i;
		th[i].produce = i < nprod;
		th[i].consume = ncons == 0 || i >= nprod;
		assert_int_equal(pthread_create(&tid[i], NULL, stress_thread_fn,
						&th[i]), 0);
	}
	for (unsigned int i = 0; i < n; i++)
		assert_int_equal(pthread_join(tid[i], NULL), 0);

	if (s.error != 0)
		fail_msg("%s", s.error == 1 ? "an element named no producer/sequence" :
			 s.error == 2 ? "a torn element (bytes from two writes)" :
			 "an element out of per-producer FIFO order");
	assert_int_equal(s.consumed, (uint64_t)nprod * STRESS_PER_PRODUCER);
	for (size_t i = 0; i < (size_t)nprod * STRESS_PER_PRODUCER; i++) {
		if (s.seen[i] != 1)
			fail_msg("producer %zu object %zu seen %u times",
				 i / STRESS_PER_PRODUCER, i % STRESS_PER_PRODUCER,
				 s.seen[i]);
	}
	assert_true(sl_ring_empty(r));
	free(s.seen);
}

static void
test_stress_spsc(void **state)
{
	struct sl_ring *r;

	(void)state;
	/* pointer ring on the EAL heap */
	r = sl_ring_create("stress_spsc", 16, SL_SOCKET_ID_ANY,
			   SL_RING_F_SP_ENQ | SL_RING_F_SC_DEQ);
	assert_non_null(r);
	stress_run(r, 8, 0, 1, 1);
	sl_ring_free(r);
	/* 16-byte elements: a torn element would show */
	r = sl_ring_create_elem("stress_spsc16", 16, 12, SL_SOCKET_ID_ANY,
				SL_RING_F_EXACT_SZ);
	assert_non_null(r);
	stress_run(r, 16, 0, 1, 1);
	sl_ring_free(r);
}

static void
test_stress_mpmc(void **state)
{
	struct sl_ring *r;

	(void)state;
	r = sl_ring_create("stress_mpmc", 64, SL_SOCKET_ID_ANY, 0);
	assert_non_null(r);
	stress_run(r, 8, 1, 2, 2);
	sl_ring_free(r);
	r = sl_ring_create_elem("stress_mpmc16", 16, 50, SL_SOCKET_ID_ANY,
				SL_RING_F_EXACT_SZ);
	assert_non_null(r);
	stress_run(r, 16, 1, 2, 2);
	/* and the mempool pattern: 2 threads, each producer and consumer */
	stress_run(r, 16, 1, 2, 0);
	sl_ring_free(r);
	r = sl_ring_create("stress_mpmc_mix", 64, SL_SOCKET_ID_ANY, 0);
	assert_non_null(r);
	stress_run(r, 8, 1, 2, 0);
	sl_ring_free(r);
}

static void
test_huge_create_lookup_free(void **state)
{
	require_huge();
	test_create_lookup_free(state);
}

static void
test_huge_stress_spsc(void **state)
{
	require_huge();
	test_stress_spsc(state);
}

static void
test_huge_stress_mpmc(void **state)
{
	require_huge();
	test_stress_mpmc(state);
}

int
main(void)
{
	const struct CMUnitTest local_tests[] = {
		cmocka_unit_test(test_memsize),
		cmocka_unit_test(test_init_bad_input),
		cmocka_unit_test(test_init_geometry),
		cmocka_unit_test(test_bulk_burst_semantics),
		cmocka_unit_test(test_default_dispatch),
		cmocka_unit_test(test_single_object),
		cmocka_unit_test(test_exact_size),
		cmocka_unit_test(test_elem_sizes_wrap),
		cmocka_unit_test(test_counter_wrap),
		cmocka_unit_test(test_single_thread_tail_copy),
		cmocka_unit_test(test_reset_dump),
	};
	const struct CMUnitTest eal_tests[] = {
		cmocka_unit_test(test_create_lookup_free),
		cmocka_unit_test(test_free_init_ring),
		cmocka_unit_test(test_stress_spsc),
		cmocka_unit_test(test_stress_mpmc),
		cmocka_unit_test(test_leak_across_cleanup),
	};
	const struct CMUnitTest huge_tests[] = {
		cmocka_unit_test(test_huge_create_lookup_free),
		cmocka_unit_test(test_huge_stress_spsc),
		cmocka_unit_test(test_huge_stress_mpmc),
	};
	int fails;

	/* Silence the bad-input messages the tests provoke on purpose. */
	sl_log_set_level("RING", SL_LOG_CRIT);
	fails = cmocka_run_group_tests_name("ring (caller memory)", local_tests,
					    NULL, NULL);
	fails += cmocka_run_group_tests_name("ring (EAL heap)", eal_tests,
					     eal_setup, eal_teardown);
	fails += cmocka_run_group_tests_name("ring (EAL on hugepages)",
					     huge_tests, eal_huge_setup,
					     eal_huge_teardown);
	return sl_test_exit(fails);
}
