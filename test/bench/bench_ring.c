/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ring benchmark: cycles per element of an enqueue followed by a dequeue of
 * a bulk of 8 and of 32 pointers on one core, SP/SC and MP/MC.
 *
 * This is the measurement behind the "bulk enq/deq" lines of DPDK's
 * ring_perf_autotest, so that test/bench/compare-dpdk can set the two side
 * by side: a ring of 4096 slots created with default flags, 2^23 iterations
 * of enqueue_bulk + dequeue_bulk of the same table, the TSC read once
 * before and once after the loop, and the bulk size read from a volatile so
 * that the compiler cannot specialise the loop for it.  DPDK 22.11 prints
 * cycles per iteration (per bulk); we print cycles per element, i.e. divided
 * by iterations * bulk; compare-dpdk converts.
 *
 * Unlike DPDK's loop ours counts what moved and fails if any call moved
 * less than the bulk, so a broken ring cannot produce a flattering figure.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_eal.h"
#include "sl_ring.h"

#include "bench.h"

#define RING_SLOTS 4096
#define MAX_BULK 32

/* volatile: the sizes must not be compile-time constants in the loops. */
static const volatile unsigned int bulk_sizes[] = { 8, 32 };

/*
 * The timed loop.  @p multi is a constant in each of the two instances
 * below, which are kept out of line so that each is compiled the way an
 * application's loop would be: ring calls with a runtime n and nothing else.
 */
static __sl_always_inline uint64_t
timed_loop(struct sl_ring *r, void **objs, unsigned int bulk,
	   unsigned int iterations, uint64_t *moved, int multi)
{
	uint64_t start, end, n = 0;

	start = sl_rdtsc();
	for (unsigned int i = 0; i < iterations; i++) {
		if (multi) {
			n += sl_ring_enqueue_bulk_mp(r, objs, bulk, NULL);
			n += sl_ring_dequeue_bulk_mc(r, objs, bulk, NULL);
		} else {
			n += sl_ring_enqueue_bulk_sp(r, objs, bulk, NULL);
			n += sl_ring_dequeue_bulk_sc(r, objs, bulk, NULL);
		}
	}
	end = sl_rdtsc();
	*moved = n;
	return end - start;
}

static __sl_noinline uint64_t
loop_sp_sc(struct sl_ring *r, void **objs, unsigned int bulk,
	   unsigned int iterations, uint64_t *moved)
{
	return timed_loop(r, objs, bulk, iterations, moved, 0);
}

static __sl_noinline uint64_t
loop_mp_mc(struct sl_ring *r, void **objs, unsigned int bulk,
	   unsigned int iterations, uint64_t *moved)
{
	return timed_loop(r, objs, bulk, iterations, moved, 1);
}

typedef uint64_t (*ring_loop_t)(struct sl_ring *, void **, unsigned int,
				unsigned int, uint64_t *);

static int
measure(struct sl_ring *r, ring_loop_t loop, unsigned int bulk,
	unsigned int iterations, double *per_elem)
{
	void *objs[MAX_BULK] = { 0 };
	uint64_t cycles, moved;

	/* A short untimed run first: caches, TLB and branch predictors warm,
	 * as they are for DPDK's bulk test which runs after its burst test. */
	(void)loop(r, objs, bulk, iterations >> 4, &moved);
	cycles = loop(r, objs, bulk, iterations, &moved);
	if (moved != 2ull * bulk * iterations || !sl_ring_empty(r)) {
		fprintf(stderr, "ring bench: moved %llu of %llu objects; the "
			"ring is broken\n", (unsigned long long)moved,
			2ull * bulk * iterations);
		return -EIO;
	}
	*per_elem = (double)cycles / ((double)iterations * bulk);
	return 0;
}

static const struct {
	const char *key;
	const char *label;
	ring_loop_t loop;
} variants[] = {
	{ "sp_sc", "SP/SC", loop_sp_sc },
	{ "mp_mc", "MP/MC", loop_mp_mc },
};

static int
ring_run(const struct bench_opts *opts, struct bench_results *out)
{
	const unsigned int iterations = 1u << opts->iter_shift;
	struct sl_ring *r;
	int ret = 0;

	r = sl_ring_create("bench_ring", RING_SLOTS, sl_socket_id(), 0);
	if (r == NULL) {
		ret = -errno;
		fprintf(stderr, "ring bench: sl_ring_create: %s\n",
			strerror(errno));
		return ret;
	}
	/* DPDK's order: SP/SC for each size, then MP/MC for each size. */
	for (unsigned int v = 0; v < SL_DIM(variants) && ret == 0; v++) {
		for (unsigned int i = 0; i < SL_DIM(bulk_sizes); i++) {
			const unsigned int bulk = bulk_sizes[i];
			char key[BENCH_KEY_MAX], what[96];
			double cyc;

			ret = measure(r, variants[v].loop, bulk, iterations,
				      &cyc);
			if (ret < 0)
				break;
			snprintf(key, sizeof(key), "%s_bulk_%u",
				 variants[v].key, bulk);
			snprintf(what, sizeof(what),
				 "%s bulk enq+deq of %2u pointers",
				 variants[v].label, bulk);
			ret = bench_result_add(out, key, cyc, "cycles/element",
					       what);
			if (ret < 0)
				break;
		}
	}
	sl_ring_free(r);
	return ret;
}

static struct bench_suite ring_suite = {
	.name = "ring",
	.help = "cycles/element of enqueue+dequeue of a bulk of 8 and 32 "
		"pointers, one core, SP/SC and MP/MC",
	.order = BENCH_ORDER_RING,
	.run = ring_run,
};

BENCH_REGISTER(ring_suite)
