/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpdk-ring-loop: the timed loop of bench_ring.c, verbatim in structure, run
 * on DPDK's rte_ring instead of sl_ring.  Built only when libdpdk's
 * development files are installed.
 *
 * ring_perf_autotest (what compare-dpdk reads) calls the ring through a test
 * helper that dispatches on the API type, and Debian compiles it for
 * -march=corei7.  This program removes both differences: DPDK's ring fast
 * path is inline in its headers, so here it is compiled by our compiler,
 * with our -march, in our loop.  What remains is the ring code itself.
 *
 * With a worker lcore it also runs bench_ring.c's two-core loop (producer
 * on the main lcore, consumer on the worker), giving *_2core (cycles per
 * element of the two sides, summed) and *_2core_mpps.
 *
 * Output: one JSON object {"dpdk_ring_loop": {"sp_sc_bulk_8": ..., ...}} in
 * cycles per element (Mpps for *_mpps).  EAL arguments are DPDK's, e.g.
 *   dpdk-ring-loop -l 1 --no-huge -m 256 --no-pci --file-prefix x
 * ITER_SHIFT=N in the environment sets 2^N iterations (default 23, as
 * sluice-bench --iter-shift), e.g. for a short run under callgrind.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_pause.h>
#include <rte_ring.h>

#define RING_SLOTS 4096
#define MAX_BULK 32
#define ITER_SHIFT 23

static const volatile unsigned int bulk_sizes[] = { 8, 32 };

static inline __attribute__((always_inline)) uint64_t
timed_loop(struct rte_ring *r, void **objs, unsigned int bulk,
	   unsigned int iterations, uint64_t *moved, int multi)
{
	uint64_t start, end, n = 0;

	start = rte_rdtsc();
	for (unsigned int i = 0; i < iterations; i++) {
		if (multi) {
			n += rte_ring_mp_enqueue_bulk(r, objs, bulk, NULL);
			n += rte_ring_mc_dequeue_bulk(r, objs, bulk, NULL);
		} else {
			n += rte_ring_sp_enqueue_bulk(r, objs, bulk, NULL);
			n += rte_ring_sc_dequeue_bulk(r, objs, bulk, NULL);
		}
	}
	end = rte_rdtsc();
	*moved = n;
	return end - start;
}

static __attribute__((noinline)) uint64_t
loop_sp_sc(struct rte_ring *r, void **objs, unsigned int bulk,
	   unsigned int iterations, uint64_t *moved)
{
	return timed_loop(r, objs, bulk, iterations, moved, 0);
}

static __attribute__((noinline)) uint64_t
loop_mp_mc(struct rte_ring *r, void **objs, unsigned int bulk,
	   unsigned int iterations, uint64_t *moved)
{
	return timed_loop(r, objs, bulk, iterations, moved, 1);
}

struct pair_side {
	struct rte_ring *r;
	unsigned int bulk;
	unsigned int elems;
	uint32_t *ready;
	uint64_t cycles;
	uint64_t bad;
};

/* bench_ring.c's pair_loop(), on rte_ring */
static inline __attribute__((always_inline)) int
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
		rte_pause();
	start = rte_rdtsc();
	for (unsigned int done = 0; done < a->elems; done += bulk) {
		if (deq) {
			while ((multi ? rte_ring_mc_dequeue_bulk(a->r, objs, bulk, NULL)
				      : rte_ring_sc_dequeue_bulk(a->r, objs, bulk, NULL)) == 0)
				rte_pause();
			for (unsigned int i = 0; i < bulk; i++)
				bad += (uintptr_t)objs[i] != seq++;
		} else {
			for (unsigned int i = 0; i < bulk; i++)
				objs[i] = (void *)seq++;
			while ((multi ? rte_ring_mp_enqueue_bulk(a->r, objs, bulk, NULL)
				      : rte_ring_sp_enqueue_bulk(a->r, objs, bulk, NULL)) == 0)
				rte_pause();
		}
	}
	a->cycles = rte_rdtsc() - start;
	a->bad = bad;
	return 0;
}

static int pair_enq_sp(void *a) { return pair_loop(a, 0, 0); }
static int pair_deq_sc(void *a) { return pair_loop(a, 1, 0); }
static int pair_enq_mp(void *a) { return pair_loop(a, 0, 1); }
static int pair_deq_mc(void *a) { return pair_loop(a, 1, 1); }

static int
pairs(struct rte_ring *r, unsigned int elems_all)
{
	const unsigned int worker = rte_get_next_lcore(-1, 1, 0);
	int ret = 0;

	if (worker >= RTE_MAX_LCORE)
		return 0;
	for (int multi = 0; multi < 2; multi++) {
		for (unsigned int i = 0; i < 2; i++) {
			const unsigned int bulk = bulk_sizes[i];
			uint32_t ready = 0;
			struct pair_side p = { r, bulk, elems_all / bulk * bulk,
					       &ready, 0, 0 };
			struct pair_side c = p;
			uint64_t slow;

			rte_eal_remote_launch(multi ? pair_deq_mc : pair_deq_sc,
					      &c, worker);
			(void)(multi ? pair_enq_mp : pair_enq_sp)(&p);
			rte_eal_wait_lcore(worker);
			if (c.bad != 0 || rte_ring_count(r) != 0) {
				fprintf(stderr, "dpdk-ring-loop: two cores, "
					"bulk %u: %llu out of sequence\n", bulk,
					(unsigned long long)c.bad);
				ret = 1;
			}
			slow = p.cycles > c.cycles ? p.cycles : c.cycles;
			printf(", \"%s_bulk_%u_2core\": %.3f, "
			       "\"%s_bulk_%u_2core_mpps\": %.3f",
			       multi ? "mp_mc" : "sp_sc", bulk,
			       ((double)p.cycles + (double)c.cycles) / p.elems,
			       multi ? "mp_mc" : "sp_sc", bulk,
			       (double)p.elems * (double)rte_get_tsc_hz() /
				       (double)slow / 1e6);
		}
	}
	return ret;
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *key;
		uint64_t (*loop)(struct rte_ring *, void **, unsigned int,
				 unsigned int, uint64_t *);
	} variants[] = { { "sp_sc", loop_sp_sc }, { "mp_mc", loop_mp_mc } };
	const char *shift_env = getenv("ITER_SHIFT");
	unsigned int shift = ITER_SHIFT;
	unsigned int iterations;
	void *objs[MAX_BULK] = { 0 };
	struct rte_ring *r;
	int first = 1, ret = 0;

	if (shift_env != NULL) {
		shift = (unsigned int)strtoul(shift_env, NULL, 10);
		if (shift < 4 || shift > 30) {
			fprintf(stderr, "dpdk-ring-loop: ITER_SHIFT '%s': want "
				"4..30\n", shift_env);
			return 1;
		}
	}
	iterations = 1u << shift;
	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "dpdk-ring-loop: rte_eal_init failed\n");
		return 1;
	}
	r = rte_ring_create("dpdk_ring_loop", RING_SLOTS, rte_socket_id(), 0);
	if (r == NULL) {
		fprintf(stderr, "dpdk-ring-loop: rte_ring_create failed\n");
		rte_eal_cleanup();
		return 1;
	}
	printf("{\"dpdk_ring_loop\": {");
	for (unsigned int v = 0; v < 2; v++) {
		for (unsigned int i = 0; i < 2; i++) {
			const unsigned int bulk = bulk_sizes[i];
			uint64_t cycles, moved;

			/* same untimed warm-up as bench_ring.c */
			(void)variants[v].loop(r, objs, bulk, iterations >> 4, &moved);
			cycles = variants[v].loop(r, objs, bulk, iterations, &moved);
			if (moved != 2ull * bulk * iterations) {
				fprintf(stderr, "dpdk-ring-loop: moved %llu\n",
					(unsigned long long)moved);
				ret = 1;
			}
			printf("%s\"%s_bulk_%u\": %.3f", first ? "" : ", ",
			       variants[v].key, bulk,
			       (double)cycles / ((double)iterations * bulk));
			first = 0;
		}
	}
	if (pairs(r, iterations / 2) != 0)
		ret = 1;
	printf("}}\n");
	rte_ring_free(r);
	rte_eal_cleanup();
	return ret;
}
