/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * standalone-ring-loop: bench_ring.c's one-core timed loop (enqueue_bulk +
 * dequeue_bulk of the same table, SP/SC or MP/MC, a runtime bulk of 8 or
 * 32) on a 4096-slot ring in malloc'd memory, with no EAL, on sl_ring or,
 * built with -DPEER_DPDK, on DPDK's rte_ring (whose fast path is all inline,
 * so no DPDK library is linked; the ring header is filled in by hand).
 *
 * Two uses that the loaded, counter-less test machine needs:
 *  - instruction counts under valgrind (which cannot run our EAL nor
 *    AVX-512 code: build with -mno-avx512f):
 *      valgrind --tool=callgrind --toggle-collect='loop_*' ./a.out 65536 MODE BULK
 *  - a load-robust timing: the least TSC ticks per element over REPS runs of
 *    ITERS iterations (a run short enough to fit between two preemptions):
 *      nice -n 19 taskset -c 1 ./a.out 16384 MODE BULK 200
 * MODE 0 = SP/SC, 1 = MP/MC; BULK 0 = 8, 1 = 32.  MODE 2 = SP/SC, 3 = MP/MC
 * between two cores (bench_ring.c's pair loop: producer on CPU 0, consumer
 * on CPU 1, ITERS elements per run): the least ticks of the slower side
 * per element over REPS runs, printed as Mpps at the TSC rate given in
 * TSC_MHZ (default 2600).  Builds (from the tree):
 *   cc -O3 -march=native -pthread -fno-strict-aliasing -Ibuild/config -Ilib/ring \
 *      -Ilib/eal -o sl-loop test/bench/standalone_ring_loop.c
 *   PKG_CONFIG_PATH=/var/cache/sluice/dpdk-v26.07/meson-uninstalled \
 *   cc -O3 -march=native -pthread -DPEER_DPDK -o dpdk-loop \
 *      test/bench/standalone_ring_loop.c $(pkg-config --cflags libdpdk)
 * Not built by meson: a measuring aid, see doc/performance.md.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef PEER_DPDK
#include <rte_ring.h>
#define RING struct rte_ring
#define ENQ_SP rte_ring_sp_enqueue_bulk
#define DEQ_SC rte_ring_sc_dequeue_bulk
#define ENQ_MP rte_ring_mp_enqueue_bulk
#define DEQ_MC rte_ring_mc_dequeue_bulk
#define HDR sizeof(struct rte_ring)
#else
#include "sl_ring.h"
#define RING struct sl_ring
#define ENQ_SP sl_ring_enqueue_bulk_sp
#define DEQ_SC sl_ring_dequeue_bulk_sc
#define ENQ_MP sl_ring_enqueue_bulk_mp
#define DEQ_MC sl_ring_dequeue_bulk_mc
#define HDR sizeof(struct sl_ring)
#endif
static const volatile unsigned int bulk_sizes[] = { 8, 32 };
#define NOINL __attribute__((noinline))
static inline __attribute__((always_inline)) uint64_t
timed_loop(RING *r, void **objs, unsigned int bulk, unsigned int it, int multi)
{
	uint64_t n = 0;
	for (unsigned int i = 0; i < it; i++) {
		if (multi) { n += ENQ_MP(r, objs, bulk, NULL); n += DEQ_MC(r, objs, bulk, NULL); }
		else { n += ENQ_SP(r, objs, bulk, NULL); n += DEQ_SC(r, objs, bulk, NULL); }
	}
	return n;
}
NOINL uint64_t loop_sp_sc(RING *r, void **o, unsigned b, unsigned it) { return timed_loop(r, o, b, it, 0); }
NOINL uint64_t loop_mp_mc(RING *r, void **o, unsigned b, unsigned it) { return timed_loop(r, o, b, it, 1); }

/* bench_ring.c's pair loop: the producer sends 1, 2, 3, ...; the consumer checks */
struct side { RING *r; unsigned bulk, elems, multi, deq, cpu; volatile unsigned *go; uint64_t ticks, bad; };
static void *
pair_side(void *arg)
{
	struct side *a = arg;
	void *objs[32] = { 0 };
	uintptr_t seq = 1;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(a->cpu, &set);
	(void)pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	__atomic_add_fetch(a->go, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(a->go, __ATOMIC_ACQUIRE) != 2)
		__builtin_ia32_pause();
	uint64_t t0 = __builtin_ia32_rdtsc();
	for (unsigned done = 0; done < a->elems; done += a->bulk) {
		if (a->deq) {
			while ((a->multi ? DEQ_MC(a->r, objs, a->bulk, NULL) : DEQ_SC(a->r, objs, a->bulk, NULL)) == 0)
				__builtin_ia32_pause();
			for (unsigned i = 0; i < a->bulk; i++)
				a->bad += (uintptr_t)objs[i] != seq++;
		} else {
			for (unsigned i = 0; i < a->bulk; i++)
				objs[i] = (void *)seq++;
			while ((a->multi ? ENQ_MP(a->r, objs, a->bulk, NULL) : ENQ_SP(a->r, objs, a->bulk, NULL)) == 0)
				__builtin_ia32_pause();
		}
	}
	a->ticks = __builtin_ia32_rdtsc() - t0;
	return NULL;
}

static int
pairs(RING *r, unsigned multi, unsigned bulk, unsigned elems, unsigned reps)
{
	const char *mhz = getenv("TSC_MHZ");
	double best = 1e30;

	for (unsigned k = 0; k < reps; k++) {
		volatile unsigned go = 0;
		struct side p = { r, bulk, elems / bulk * bulk, multi, 0, 0, &go, 0, 0 };
		struct side c = p;
		pthread_t tp, tc;

		c.deq = 1;
		c.cpu = 1;
		pthread_create(&tc, NULL, pair_side, &c);
		pthread_create(&tp, NULL, pair_side, &p);
		pthread_join(tp, NULL);
		pthread_join(tc, NULL);
		if (c.bad) {
			fprintf(stderr, "broken ring: %llu out of sequence\n", (unsigned long long)c.bad);
			return 1;
		}
		double t = (double)(p.ticks > c.ticks ? p.ticks : c.ticks) / p.elems;
		if (t < best)
			best = t;
	}
	printf("%.3f\n", (mhz ? atof(mhz) : 2600.0) / best);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned it = argc > 1 ? atoi(argv[1]) : 65536;
	RING *r = aligned_alloc(128, HDR + 4096 * 8);
	void *objs[32] = { 0 };
	memset(r, 0, HDR + 4096 * 8);
	r->size = 4096; r->mask = 4095; r->capacity = 4095;
#ifndef PEER_DPDK
	r->esize = 8;
#endif
	int mode = argc > 2 ? atoi(argv[2]) : 0;
	unsigned bulk = bulk_sizes[argc > 3 ? atoi(argv[3]) : 0];
	unsigned reps = argc > 4 ? atoi(argv[4]) : 0;
	uint64_t t;
	if (mode >= 2)
		return pairs(r, mode - 2, bulk, it, reps ? reps : 1);
	if (reps) {
		/* timing mode: the least TSC ticks per element over reps runs of it iterations */
		double best = 1e30;
		for (unsigned k = 0; k < reps; k++) {
			uint64_t a = __builtin_ia32_rdtsc();
			t = mode ? loop_mp_mc(r, objs, bulk, it) : loop_sp_sc(r, objs, bulk, it);
			uint64_t b = __builtin_ia32_rdtsc();
			double c = (double)(b - a) / ((double)it * bulk);
			if (c < best) best = c;
		}
		printf("%.3f\n", best);
		return 0;
	}
	t = mode ? loop_mp_mc(r, objs, bulk, it) : loop_sp_sc(r, objs, bulk, it);
	printf("%llu\n", (unsigned long long)t);
	return 0;
}
