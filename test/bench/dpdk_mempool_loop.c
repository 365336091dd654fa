/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpdk-mempool-loop: the timed loops of bench_mempool.c (the mempool and
 * mbuf suites of sluice-bench), on DPDK's rte_mempool and rte_mbuf.  Built
 * by test/bench/build-dpdk against its DPDK build, with our flags, so that
 * what differs is the library code alone (DPDK's fast path is inline in its
 * headers).  The pools are made as bench_mempool.c makes ours; see that file
 * for what each figure is.
 *
 * Output: one JSON object {"mempool": {...}, "mbuf": {...}} with the same
 * keys as `sluice-bench --json mempool mbuf`.  EAL arguments are DPDK's, e.g.
 *   dpdk-mempool-loop -l 1 --no-huge -m 512 --no-pci --file-prefix x
 * ITER_SHIFT=N in the environment: 2^N iterations (default 23).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#define NOINLINE __attribute__((noinline))
#define ALWAYS_INLINE inline __attribute__((always_inline))

static unsigned int iter_shift = 23;
static int first_key = 1;

static void
put_key(const char *key, double v)
{
	printf("%s\"%s\": %.3f", first_key ? "" : ", ", key, v);
	first_key = 0;
}

/* ---- bulk_32_cached ---- */

static const volatile unsigned int bulk_size = 32;

static NOINLINE uint64_t
cached_loop(struct rte_mempool *mp, void **objs, unsigned int bulk,
	    unsigned int iterations, uint64_t *failed)
{
	uint64_t start, end, fail = 0;

	start = rte_rdtsc();
	for (unsigned int i = 0; i < iterations; i++) {
		if (unlikely(rte_mempool_get_bulk(mp, objs, bulk) != 0)) {
			fail++;
			continue;
		}
		rte_mempool_put_bulk(mp, objs, bulk);
	}
	end = rte_rdtsc();
	*failed = fail;
	return end - start;
}

static int
cached(void)
{
	const unsigned int iterations = 1u << iter_shift;
	void *objs[32] = { 0 };
	struct rte_mempool *mp;
	uint64_t cycles, failed;

	mp = rte_mempool_create("bench_mempool", 8192, 64, 256, 0, NULL, NULL,
				NULL, NULL, rte_socket_id(), 0);
	if (mp == NULL)
		return -1;
	(void)cached_loop(mp, objs, bulk_size, iterations >> 4, &failed);
	cycles = cached_loop(mp, objs, bulk_size, iterations, &failed);
	if (failed || !rte_mempool_full(mp))
		return -1;
	put_key("bulk_32_cached", (double)cycles / ((double)iterations * 32));
	rte_mempool_free(mp);
	return 0;
}

/* ---- mempool_perf_autotest's mix ---- */

#define MIX_KEEP 32
#define MIX_POOL_OBJS (32768 + 2 * RTE_MEMPOOL_CACHE_MAX_SIZE - 1)

static const volatile unsigned int mix_bulks[] = { 1, 4, 32 };

static ALWAYS_INLINE uint64_t
mix_loop(struct rte_mempool *mp, unsigned int bulk, unsigned int rounds,
	 uint64_t *failed)
{
	void *objs[MIX_KEEP] __attribute__((aligned(RTE_CACHE_LINE_SIZE)));
	uint64_t start;

	start = rte_rdtsc();
	for (unsigned int i = 0; i < rounds; i++) {
		for (unsigned int k = 0; k < MIX_KEEP; k += bulk) {
			if (unlikely(rte_mempool_get_bulk(mp, &objs[k], bulk) != 0)) {
				rte_mempool_put_bulk(mp, objs, k);
				*failed = 1;
				return 0;
			}
		}
		for (unsigned int k = 0; k < MIX_KEEP; k += bulk)
			rte_mempool_put_bulk(mp, &objs[k], bulk);
	}
	*failed = 0;
	return rte_rdtsc() - start;
}

static NOINLINE uint64_t mix_1(struct rte_mempool *mp, unsigned int r, uint64_t *f) { return mix_loop(mp, 1, r, f); }
static NOINLINE uint64_t mix_4(struct rte_mempool *mp, unsigned int r, uint64_t *f) { return mix_loop(mp, 4, r, f); }
static NOINLINE uint64_t mix_32(struct rte_mempool *mp, unsigned int r, uint64_t *f) { return mix_loop(mp, 32, r, f); }

static int
mix(void)
{
	static const struct { const char *key; unsigned int cache; } pools[] = {
		{ "cache", RTE_MEMPOOL_CACHE_MAX_SIZE }, { "nocache", 0 },
	};
	const unsigned int rounds = (1u << iter_shift) / MIX_KEEP;

	for (unsigned int p = 0; p < 2; p++) {
		struct rte_mempool *mp;

		mp = rte_mempool_create("bench_mempool_mix", MIX_POOL_OBJS, 2048,
					pools[p].cache, 0, NULL, NULL, NULL,
					NULL, rte_socket_id(), 0);
		if (mp == NULL)
			return -1;
		for (unsigned int b = 0; b < 3; b++) {
			const unsigned int bulk = mix_bulks[b];
			uint64_t (*fn)(struct rte_mempool *, unsigned int, uint64_t *) =
				bulk == 1 ? mix_1 : bulk == 4 ? mix_4 : mix_32;
			uint64_t cycles, failed;
			char key[64];

			(void)fn(mp, rounds >> 4, &failed);
			cycles = failed ? 0 : fn(mp, rounds, &failed);
			if (failed || !rte_mempool_full(mp))
				return -1;
			snprintf(key, sizeof(key), "get_put_%u_%s", bulk,
				 pools[p].key);
			put_key(key, (double)cycles / ((double)rounds * MIX_KEEP));
		}
		rte_mempool_free(mp);
	}
	return 0;
}

/* ---- mbuf ---- */

static const volatile unsigned int mbuf_bulk = 32;

static NOINLINE uint64_t
mbuf_alloc_free_loop(struct rte_mempool *mp, unsigned int n, unsigned int iters,
		     uint64_t *failed)
{
	struct rte_mbuf *m[32];
	uint64_t start = rte_rdtsc();

	for (unsigned int i = 0; i < iters; i++) {
		if (unlikely(rte_pktmbuf_alloc_bulk(mp, m, n) != 0)) {
			*failed = 1;
			return 0;
		}
		rte_pktmbuf_free_bulk(m, n);
	}
	*failed = 0;
	return rte_rdtsc() - start;
}

static ALWAYS_INLINE uint64_t
mbuf_ref_loop(struct rte_mempool *mp, struct rte_mbuf *orig, unsigned int iters,
	      uint64_t *failed, int attach)
{
	uint64_t start = rte_rdtsc();

	for (unsigned int i = 0; i < iters; i++) {
		struct rte_mbuf *c;

		if (attach) {
			c = rte_pktmbuf_alloc(mp);
			if (unlikely(c == NULL))
				goto fail;
			rte_pktmbuf_attach(c, orig);
		} else {
			c = rte_pktmbuf_clone(orig, mp);
			if (unlikely(c == NULL))
				goto fail;
		}
		rte_pktmbuf_free(c);
	}
	*failed = 0;
	return rte_rdtsc() - start;
fail:
	*failed = 1;
	return 0;
}

static NOINLINE uint64_t
mbuf_clone_loop(struct rte_mempool *mp, struct rte_mbuf *o, unsigned int it, uint64_t *f)
{
	return mbuf_ref_loop(mp, o, it, f, 0);
}

static NOINLINE uint64_t
mbuf_attach_loop(struct rte_mempool *mp, struct rte_mbuf *o, unsigned int it, uint64_t *f)
{
	return mbuf_ref_loop(mp, o, it, f, 1);
}

static int
mbuf(void)
{
	const unsigned int iters = 1u << iter_shift;
	const unsigned int n = mbuf_bulk;
	struct rte_mempool *mp;
	struct rte_mbuf *orig;
	uint64_t cycles, failed;

	mp = rte_pktmbuf_pool_create("bench_mbuf", 8191, 256, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (mp == NULL)
		return -1;
	(void)mbuf_alloc_free_loop(mp, n, (iters / n) >> 4, &failed);
	cycles = failed ? 0 : mbuf_alloc_free_loop(mp, n, iters / n, &failed);
	if (failed || !rte_mempool_full(mp))
		return -1;
	put_key("alloc_free_bulk_32", (double)cycles / ((double)(iters / n) * n));
	orig = rte_pktmbuf_alloc(mp);
	if (orig == NULL)
		return -1;
	orig->data_len = 64;
	orig->pkt_len = 64;
	for (int a = 0; a < 2; a++) {
		uint64_t (*fn)(struct rte_mempool *, struct rte_mbuf *,
			       unsigned int, uint64_t *) =
			a ? mbuf_attach_loop : mbuf_clone_loop;

		(void)fn(mp, orig, iters >> 4, &failed);
		cycles = failed ? 0 : fn(mp, orig, iters, &failed);
		if (failed || rte_mbuf_refcnt_read(orig) != 1 ||
		    rte_mempool_in_use_count(mp) != 1)
			return -1;
		put_key(a ? "attach_free" : "clone_free", (double)cycles / iters);
	}
	rte_pktmbuf_free(orig);
	rte_mempool_free(mp);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *shift_env = getenv("ITER_SHIFT");
	int ret = 0;

	if (shift_env != NULL) {
		iter_shift = (unsigned int)strtoul(shift_env, NULL, 10);
		if (iter_shift < 10 || iter_shift > 30) {
			fprintf(stderr, "dpdk-mempool-loop: ITER_SHIFT '%s': "
				"want 10..30\n", shift_env);
			return 1;
		}
	}
	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "dpdk-mempool-loop: rte_eal_init failed\n");
		return 1;
	}
	printf("{\"mempool\": {");
	if (cached() < 0 || mix() < 0) {
		fprintf(stderr, "dpdk-mempool-loop: mempool run failed\n");
		ret = 1;
	}
	printf("}, \"mbuf\": {");
	first_key = 1;
	if (ret == 0 && mbuf() < 0) {
		fprintf(stderr, "dpdk-mempool-loop: mbuf run failed\n");
		ret = 1;
	}
	printf("}}\n");
	rte_eal_cleanup();
	return ret;
}
