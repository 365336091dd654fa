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
 *
 * Between two cores (when the EAL has a worker lcore): the main lcore
 * enqueues 2^(iter_shift - 1) pointers in bulks of 8 and 32, the first
 * worker dequeues them, as the "Testing using two physical cores" lines of
 * ring_perf_autotest do: each side times its own loop, retrying (with a
 * pause) a bulk the ring had no room or entries for.  DPDK prints the sum of
 * the two sides' cycles per element, which we give as *_2core; *_2core_mpps
 * is elements per second of the slower side.  The consumer checks that
 * every pointer arrives, in order, so a figure of a broken ring is refused.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_cycles.h"
#include "sl_eal.h"
#include "sl_lcore.h"
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

/* ---- two cores ---- */

struct pair_side {
	struct sl_ring *r;
	unsigned int bulk;
	unsigned int elems;        /* a multiple of bulk */
	uint32_t *ready;           /* rendezvous: both sides start together */
	uint64_t cycles;
	uint64_t bad;              /* consumer: pointers out of sequence */
};

/*
 * One side's timed loop.  The producer sends the sequence 1, 2, 3, ... as
 * pointers; the consumer checks it.  @p deq and @p multi are constants in
 * each instance below.  The check is on the consumer only and costs a
 * compare per element, which DPDK's loop does not pay: it can only make
 * our figure worse.
 */
static __sl_always_inline int
pair_loop(struct pair_side *a, int deq, int multi)
{
	void *objs[MAX_BULK];
	const unsigned int bulk = a->bulk;
	uintptr_t seq = 1;
	uint64_t start, bad = 0;

	for (unsigned int i = 0; i < bulk; i++)
		objs[i] = NULL;
	__atomic_add_fetch(a->ready, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(a->ready, __ATOMIC_ACQUIRE) != 2)
		sl_pause();
	start = sl_rdtsc();
	for (unsigned int done = 0; done < a->elems; done += bulk) {
		if (deq) {
			while ((multi ? sl_ring_dequeue_bulk_mc(a->r, objs, bulk, NULL)
				      : sl_ring_dequeue_bulk_sc(a->r, objs, bulk, NULL)) == 0)
				sl_pause();
			for (unsigned int i = 0; i < bulk; i++)
				bad += (uintptr_t)objs[i] != seq++;
		} else {
			for (unsigned int i = 0; i < bulk; i++)
				objs[i] = (void *)seq++;
			while ((multi ? sl_ring_enqueue_bulk_mp(a->r, objs, bulk, NULL)
				      : sl_ring_enqueue_bulk_sp(a->r, objs, bulk, NULL)) == 0)
				sl_pause();
		}
	}
	a->cycles = sl_rdtsc() - start;
	a->bad = bad;
	return 0;
}

static int pair_enq_sp(void *a) { return pair_loop(a, 0, 0); }
static int pair_deq_sc(void *a) { return pair_loop(a, 1, 0); }
static int pair_enq_mp(void *a) { return pair_loop(a, 0, 1); }
static int pair_deq_mc(void *a) { return pair_loop(a, 1, 1); }

static int
measure_pair(struct sl_ring *r, unsigned int worker, int multi,
	     unsigned int bulk, unsigned int elems, double *cyc, double *mpps)
{
	uint32_t ready = 0;
	struct pair_side p = { r, bulk, elems, &ready, 0, 0 };
	struct pair_side c = p;
	int ret;

	ret = sl_eal_remote_launch(multi ? pair_deq_mc : pair_deq_sc, &c,
				   worker);
	if (ret < 0) {
		fprintf(stderr, "ring bench: launching the consumer on lcore "
			"%u: %s\n", worker, strerror(-ret));
		return ret;
	}
	(void)(multi ? pair_enq_mp : pair_enq_sp)(&p);
	(void)sl_eal_wait_lcore(worker);
	if (c.bad != 0 || !sl_ring_empty(r)) {
		fprintf(stderr, "ring bench: two cores, bulk %u: %llu pointers "
			"out of sequence, %u left in the ring; the ring is "
			"broken\n", bulk, (unsigned long long)c.bad,
			sl_ring_count(r));
		return -EIO;
	}
	*cyc = ((double)p.cycles + (double)c.cycles) / elems;
	*mpps = (double)elems * (double)sl_get_tsc_hz() /
		(double)(p.cycles > c.cycles ? p.cycles : c.cycles) / 1e6;
	return 0;
}

static int
ring_run_pairs(const struct bench_opts *opts, struct bench_results *out)
{
	const unsigned int worker = sl_get_next_lcore((unsigned int)-1, 1, 0);
	const unsigned int elems = 1u << (opts->iter_shift - 1);
	struct sl_ring *r;
	int ret = 0;

	if (worker >= SL_MAX_LCORE) {
		if (!opts->json)
			printf("ring: no worker lcore, no two-core figures "
			       "(give two lcores, e.g. -l 0,1)\n");
		return 0;
	}
	r = sl_ring_create("bench_ring_pair", RING_SLOTS, sl_socket_id(), 0);
	if (r == NULL) {
		ret = -errno;
		fprintf(stderr, "ring bench: sl_ring_create: %s\n",
			strerror(errno));
		return ret;
	}
	for (unsigned int v = 0; v < SL_DIM(variants) && ret == 0; v++) {
		for (unsigned int i = 0; i < SL_DIM(bulk_sizes); i++) {
			const unsigned int bulk = bulk_sizes[i];
			char key[BENCH_KEY_MAX], what[96];
			double cyc, mpps;

			ret = measure_pair(r, worker, v, bulk,
					   elems / bulk * bulk, &cyc, &mpps);
			if (ret < 0)
				break;
			snprintf(key, sizeof(key), "%s_bulk_%u_2core",
				 variants[v].key, bulk);
			snprintf(what, sizeof(what), "%s bulk of %2u, producer "
				 "and consumer on two cores, summed",
				 variants[v].label, bulk);
			ret = bench_result_add(out, key, cyc, "cycles/element",
					       what);
			if (ret < 0)
				break;
			snprintf(key, sizeof(key), "%s_bulk_%u_2core_mpps",
				 variants[v].key, bulk);
			snprintf(what, sizeof(what), "%s bulk of %2u, two "
				 "cores, rate", variants[v].label, bulk);
			ret = bench_result_add(out, key, mpps, "Mpps", what);
			if (ret < 0)
				break;
		}
	}
	sl_ring_free(r);
	return ret;
}

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
	if (ret == 0)
		ret = ring_run_pairs(opts, out);
	return ret;
}

static struct bench_suite ring_suite = {
	.name = "ring",
	.help = "cycles/element of enqueue+dequeue of a bulk of 8 and 32 "
		"pointers, SP/SC and MP/MC, one core and (with a worker "
		"lcore) two",
	.order = BENCH_ORDER_RING,
	.run = ring_run,
};

BENCH_REGISTER(ring_suite)
