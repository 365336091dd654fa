/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * standalone-mempool-loop: bench_mempool.c's cached loops (get+put of a
 * runtime bulk of 32, and mempool_perf_autotest's mix of 32 objects in
 * bulks of 1, 4, 32) on a pool header and lcore-0 cache filled in by hand,
 * with no EAL, on sl_mempool or, with -DPEER_DPDK, DPDK's rte_mempool.  The
 * cache never empties nor fills, so the out-of-line paths are stubs that
 * abort.  For instruction counts under valgrind (build with -mno-avx512f):
 *   valgrind --tool=callgrind --toggle-collect='loop_*' ./a.out 65536 WHICH
 * WHICH 0, 1, 2 = the mix in bulks of 1, 4, 32; 3 = get+put of 32.  Builds
 * as test/bench/standalone_ring_loop.c (add -Ilib/mempool).  Not built by
 * meson: a measuring aid, see doc/performance.md.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef PEER_DPDK
#include <rte_mempool.h>
RTE_DEFINE_PER_LCORE(unsigned, _lcore_id) = 0;
struct rte_mempool_ops_table rte_mempool_ops_table;
#define MP struct rte_mempool
#define GET(mp, o, n) rte_mempool_get_bulk(mp, o, n)
#define PUT(mp, o, n) rte_mempool_put_bulk(mp, o, n)
#else
#include "sl_mempool.h"
__thread unsigned int sl__per_lcore_id = 0;
__thread int sl__per_lcore_socket = 0;
int sl_mempool_cache_get_slow_(struct sl_mempool *mp, struct sl_mempool_cache *c, void **o, unsigned n) { (void)mp;(void)c;(void)o;(void)n; abort(); }
void sl_mempool_cache_put_slow_(struct sl_mempool *mp, struct sl_mempool_cache *c, void *const *o, unsigned n) { (void)mp;(void)c;(void)o;(void)n; abort(); }
int sl_mempool_cache_refill_(struct sl_mempool *mp, struct sl_mempool_cache *c, void **o, unsigned n) { (void)mp;(void)c;(void)o;(void)n; abort(); }
int sl_mempool_get_with_cache_(struct sl_mempool *mp, struct sl_mempool_cache *c, void **o, unsigned n) { (void)mp;(void)c;(void)o;(void)n; abort(); }
#define MP struct sl_mempool
#define GET(mp, o, n) sl_mempool_get_bulk(mp, o, n)
#define PUT(mp, o, n) sl_mempool_put_bulk(mp, o, n)
#endif
#define NOINL __attribute__((noinline))
#define KEEP 32
static const volatile unsigned bulk_size = 32;
static inline __attribute__((always_inline)) uint64_t
mix_loop(MP *mp, unsigned bulk, unsigned rounds)
{
	void *objs[KEEP] __attribute__((aligned(64)));
	uint64_t f = 0;
	for (unsigned i = 0; i < rounds; i++) {
		for (unsigned k = 0; k < KEEP; k += bulk)
			f += GET(mp, &objs[k], bulk) != 0;
		for (unsigned k = 0; k < KEEP; k += bulk)
			PUT(mp, &objs[k], bulk);
	}
	return f;
}
NOINL uint64_t loop_mix_1(MP *mp, unsigned r) { return mix_loop(mp, 1, r); }
NOINL uint64_t loop_mix_4(MP *mp, unsigned r) { return mix_loop(mp, 4, r); }
NOINL uint64_t loop_mix_32(MP *mp, unsigned r) { return mix_loop(mp, 32, r); }
NOINL uint64_t loop_bulk(MP *mp, void **objs, unsigned bulk, unsigned it)
{
	uint64_t f = 0;
	for (unsigned i = 0; i < it; i++) {
		if (__builtin_expect(GET(mp, objs, bulk) != 0, 0)) { f++; continue; }
		PUT(mp, objs, bulk);
	}
	return f;
}
int main(int argc, char **argv)
{
	unsigned it = argc > 1 ? atoi(argv[1]) : 65536;
	int which = argc > 2 ? atoi(argv[2]) : 0;
	static void *pool_objs[1024];
	void *objs[32];
	unsigned csize = which == 3 ? 256 : 512;
#ifdef PEER_DPDK
	size_t sz = sizeof(struct rte_mempool) + sizeof(struct rte_mempool_cache) * RTE_MAX_LCORE;
	MP *mp = aligned_alloc(64, (sz + 63) & ~63ul);
	memset(mp, 0, sz);
	mp->cache_size = csize;
	mp->local_cache = (struct rte_mempool_cache *)(mp + 1);
	struct rte_mempool_cache *c = &mp->local_cache[0];
	c->size = csize; c->flushthresh = csize * 3 / 2; c->len = 256;
#else
	MP *mp = aligned_alloc(64, sizeof(*mp));
	memset(mp, 0, sizeof(*mp));
	mp->cache_size = csize;
	struct sl_mempool_cache *c = aligned_alloc(64, sizeof(*c) + 3 * 512 * sizeof(void *));
	memset(c, 0, sizeof(*c));
	c->size = csize; c->flushthresh = csize * 3 / 2; c->len = 256;
	mp->local_cache[0] = c;
#endif
	for (unsigned i = 0; i < 256; i++) c->objs[i] = &pool_objs[i];
	uint64_t f;
	switch (which) {
	case 0: f = loop_mix_1(mp, it / KEEP); break;
	case 1: f = loop_mix_4(mp, it / KEEP); break;
	case 2: f = loop_mix_32(mp, it / KEEP); break;
	default: f = loop_bulk(mp, objs, bulk_size, it); break;
	}
	printf("%llu len %u\n", (unsigned long long)f, (unsigned)c->len);
	return 0;
}
