/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Mempool benchmark: cycles per object of sl_mempool_get_bulk() followed by
 * sl_mempool_put_bulk() of a bulk of 32 through the calling lcore's cache.
 *
 * This is the steady state of a PMD's RX refill and TX completion: the same
 * lcore takes a burst and gives it back, so after warm-up every call is
 * served by its per-lcore cache and the shared ring is never touched.  A
 * pool of 8192 objects with a cache of 256 (DPDK's usual packet pool
 * settings), the bulk size read from a volatile so that the compiler cannot
 * specialise the loop for it, the TSC read once before and once after
 * 2^iter_shift iterations.
 *
 * The loop counts failed gets and the run fails if any get failed, if the
 * calling thread has no cache (the figure would then be that of the ring),
 * or if the pool does not end full: a broken pool cannot produce a
 * flattering figure.
 *
 * Then mempool_perf_autotest's mix (DPDK app/test/test_mempool_perf.c, the
 * "n_keep=32 constant_n=1" lines): a pool of 2048-byte objects sized as
 * DPDK's for one lcore, with a cache of 512 and without a cache; each
 * iteration gets 32 objects in bulks of 1, 4 or 32 and puts them back in
 * bulks of the same size.  get_put_N_cache / get_put_N_nocache are cycles
 * per object (one get and one put).  DPDK prints objects per second over
 * one second instead; compare-dpdk sets the figures of our loop on DPDK's
 * mempool (dpdk_mempool_loop.c) beside these.
 *
 * The mbuf suite: sl_mbuf_alloc_bulk + sl_mbuf_free_bulk of 32 (cycles per
 * mbuf), and a clone (sl_mbuf_clone + sl_mbuf_free of the clone) and an
 * attach (sl_mbuf_alloc + sl_mbuf_attach + sl_mbuf_free, which detaches)
 * of one mbuf (cycles per clone / attach), from a packet pool of 8191
 * mbufs with a cache of 256.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sl_cycles.h"
#include "sl_eal.h"
#include "sl_lcore.h"
#include "sl_mbuf.h"
#include "sl_mempool.h"

#include "bench.h"

#define POOL_OBJS 8192
#define POOL_ELT_SIZE 64
#define POOL_CACHE 256
#define MAX_BULK 32

/* volatile: the bulk size must not be a compile-time constant in the loop. */
static const volatile unsigned int bulk_size = MAX_BULK;

/* Out of line so it is compiled like an application's loop. */
static __sl_noinline uint64_t
timed_loop(struct sl_mempool *mp, void **objs, unsigned int bulk,
	   unsigned int iterations, uint64_t *failed)
{
	uint64_t start, end, fail = 0;

	start = sl_rdtsc();
	for (unsigned int i = 0; i < iterations; i++) {
		if (sl_unlikely(sl_mempool_get_bulk(mp, objs, bulk) != 0)) {
			fail++;
			continue;
		}
		sl_mempool_put_bulk(mp, objs, bulk);
	}
	end = sl_rdtsc();
	*failed = fail;
	return end - start;
}

/* ---- mempool_perf_autotest's mix ---- */

#define MIX_KEEP 32
#define MIX_ELT_SIZE 2048
/* DPDK's MEMPOOL_SIZE for one lcore: MAX_KEEP + 2 * cache max - 1 */
#define MIX_POOL_OBJS (32768 + 2 * SL_MEMPOOL_CACHE_MAX_SIZE - 1)

static const volatile unsigned int mix_bulks[] = { 1, 4, 32 };

/* test_loop() of test_mempool_perf.c, with our API; @p bulk is a constant
 * in each instance (DPDK's "constant_n=1" lines). */
static __sl_always_inline uint64_t
mix_loop(struct sl_mempool *mp, unsigned int bulk, unsigned int rounds,
	 uint64_t *failed)
{
	void *objs[MIX_KEEP] __sl_cache_aligned;
	uint64_t start;

	start = sl_rdtsc();
	for (unsigned int i = 0; i < rounds; i++) {
		for (unsigned int k = 0; k < MIX_KEEP; k += bulk) {
			if (sl_unlikely(sl_mempool_get_bulk(mp, &objs[k], bulk) != 0)) {
				/* give back what this round took */
				sl_mempool_put_bulk(mp, objs, k);
				*failed = 1;
				return 0;
			}
		}
		for (unsigned int k = 0; k < MIX_KEEP; k += bulk)
			sl_mempool_put_bulk(mp, &objs[k], bulk);
	}
	*failed = 0;
	return sl_rdtsc() - start;
}

static __sl_noinline uint64_t mix_1(struct sl_mempool *mp, unsigned int r, uint64_t *f) { return mix_loop(mp, 1, r, f); }
static __sl_noinline uint64_t mix_4(struct sl_mempool *mp, unsigned int r, uint64_t *f) { return mix_loop(mp, 4, r, f); }
static __sl_noinline uint64_t mix_32(struct sl_mempool *mp, unsigned int r, uint64_t *f) { return mix_loop(mp, 32, r, f); }

static int
mix_run(const struct bench_opts *opts, struct bench_results *out)
{
	static const struct { const char *key; unsigned int cache; } pools[] = {
		{ "cache", SL_MEMPOOL_CACHE_MAX_SIZE }, { "nocache", 0 },
	};
	const unsigned int rounds = (1u << opts->iter_shift) / MIX_KEEP;
	int ret = 0;

	for (unsigned int p = 0; p < SL_DIM(pools) && ret == 0; p++) {
		struct sl_mempool *mp;

		mp = sl_mempool_create("bench_mempool_mix", MIX_POOL_OBJS,
				       MIX_ELT_SIZE, pools[p].cache, 0, NULL,
				       NULL, NULL, NULL, sl_socket_id(), 0);
		if (mp == NULL) {
			ret = -errno;
			fprintf(stderr, "mempool bench: sl_mempool_create of %u "
				"objects of %u bytes: %s (give the EAL more "
				"memory, e.g. -m 512)\n", MIX_POOL_OBJS,
				MIX_ELT_SIZE, strerror(errno));
			return ret;
		}
		for (unsigned int b = 0; b < SL_DIM(mix_bulks); b++) {
			const unsigned int bulk = mix_bulks[b];
			uint64_t (*fn)(struct sl_mempool *, unsigned int, uint64_t *) =
				bulk == 1 ? mix_1 : bulk == 4 ? mix_4 : mix_32;
			char key[BENCH_KEY_MAX], what[96];
			uint64_t cycles, failed;

			(void)fn(mp, rounds >> 4, &failed);
			cycles = failed ? 0 : fn(mp, rounds, &failed);
			if (failed || !sl_mempool_full(mp)) {
				fprintf(stderr, "mempool bench: mix, bulk %u: a get "
					"failed or %u objects are still out; the "
					"mempool is broken\n", bulk,
					sl_mempool_in_use_count(mp));
				ret = -EIO;
				break;
			}
			snprintf(key, sizeof(key), "get_put_%u_%s", bulk,
				 pools[p].key);
			snprintf(what, sizeof(what), "get+put of 32 objects in "
				 "bulks of %2u, %s", bulk, pools[p].cache ?
				 "cache 512" : "no cache");
			ret = bench_result_add(out, key, (double)cycles /
					       ((double)rounds * MIX_KEEP),
					       "cycles/object", what);
			if (ret < 0)
				break;
		}
		if (sl_mempool_free(mp) < 0 && ret == 0)
			ret = -EBUSY;
	}
	return ret;
}

static int
mempool_run(const struct bench_opts *opts, struct bench_results *out)
{
	const unsigned int iterations = 1u << opts->iter_shift;
	const unsigned int bulk = bulk_size;
	void *objs[MAX_BULK] = { 0 };
	struct sl_mempool *mp;
	uint64_t cycles = 0, failed;
	int ret = 0;

	mp = sl_mempool_create("bench_mempool", POOL_OBJS, POOL_ELT_SIZE,
			       POOL_CACHE, 0, NULL, NULL, NULL, NULL,
			       sl_socket_id(), 0);
	if (mp == NULL) {
		ret = -errno;
		fprintf(stderr, "mempool bench: sl_mempool_create: %s\n",
			strerror(errno));
		return ret;
	}
	if (sl_mempool_default_cache(mp) == NULL) {
		fprintf(stderr, "mempool bench: lcore %u has no mempool cache; "
			"run on an EAL lcore\n", sl_lcore_id());
		ret = -EINVAL;
		goto out;
	}

	/* Untimed warm-up: fills the cache from the ring, warms CPU caches,
	 * TLB and branch predictors. */
	(void)timed_loop(mp, objs, bulk, iterations >> 4, &failed);
	if (failed == 0)
		cycles = timed_loop(mp, objs, bulk, iterations, &failed);
	if (failed != 0 || !sl_mempool_full(mp)) {
		fprintf(stderr, "mempool bench: %llu gets failed, %u objects "
			"in use at the end; the mempool is broken\n",
			(unsigned long long)failed, sl_mempool_in_use_count(mp));
		ret = -EIO;
		goto out;
	}
	ret = bench_result_add(out, "bulk_32_cached",
			       (double)cycles / ((double)iterations * bulk),
			       "cycles/object",
			       "get+put of a bulk of 32 through the lcore cache");
out:
	if (sl_mempool_free(mp) < 0 && ret == 0)
		ret = -EBUSY;
	if (ret == 0)
		ret = mix_run(opts, out);
	return ret;
}

static struct bench_suite mempool_suite = {
	.name = "mempool",
	.help = "cycles/object of get_bulk+put_bulk of 32 objects through the "
		"per-lcore cache, and mempool_perf_autotest's mix of bulks of "
		"1/4/32 with and without a cache, one core",
	.order = BENCH_ORDER_MEMPOOL,
	.run = mempool_run,
};

BENCH_REGISTER(mempool_suite)

/* ---- mbuf ---- */

#define MBUF_POOL 8191
#define MBUF_CACHE 256
#define MBUF_BULK 32

static const volatile unsigned int mbuf_bulk = MBUF_BULK;

static __sl_noinline uint64_t
mbuf_alloc_free_loop(struct sl_mempool *mp, unsigned int n, unsigned int iters,
		     uint64_t *failed)
{
	struct sl_mbuf *m[MBUF_BULK];
	uint64_t start = sl_rdtsc();

	for (unsigned int i = 0; i < iters; i++) {
		if (sl_unlikely(sl_mbuf_alloc_bulk(mp, m, n) != 0)) {
			*failed = 1;
			return 0;
		}
		sl_mbuf_free_bulk(m, n);
	}
	*failed = 0;
	return sl_rdtsc() - start;
}

/* @p attach: sl_mbuf_attach on a fresh mbuf, else sl_mbuf_clone */
static __sl_always_inline uint64_t
mbuf_ref_loop(struct sl_mempool *mp, struct sl_mbuf *orig, unsigned int iters,
	      uint64_t *failed, int attach)
{
	uint64_t start = sl_rdtsc();

	for (unsigned int i = 0; i < iters; i++) {
		struct sl_mbuf *c;

		if (attach) {
			c = sl_mbuf_alloc(mp);
			if (sl_unlikely(c == NULL))
				goto fail;
			sl_mbuf_attach(c, orig);
		} else {
			c = sl_mbuf_clone(orig, mp);
			if (sl_unlikely(c == NULL))
				goto fail;
		}
		sl_mbuf_free(c);
	}
	*failed = 0;
	return sl_rdtsc() - start;
fail:
	*failed = 1;
	return 0;
}

static __sl_noinline uint64_t
mbuf_clone_loop(struct sl_mempool *mp, struct sl_mbuf *orig, unsigned int iters,
		uint64_t *failed)
{
	return mbuf_ref_loop(mp, orig, iters, failed, 0);
}

static __sl_noinline uint64_t
mbuf_attach_loop(struct sl_mempool *mp, struct sl_mbuf *orig, unsigned int iters,
		 uint64_t *failed)
{
	return mbuf_ref_loop(mp, orig, iters, failed, 1);
}

static int
mbuf_run(const struct bench_opts *opts, struct bench_results *out)
{
	const unsigned int iters = 1u << opts->iter_shift;
	const unsigned int n = mbuf_bulk;
	struct sl_mempool *mp;
	struct sl_mbuf *orig;
	uint64_t cycles = 0, failed;
	int ret = 0;

	mp = sl_mbuf_pool_create("bench_mbuf", MBUF_POOL, MBUF_CACHE, 0,
				 SL_MBUF_DEFAULT_BUF_SIZE, sl_socket_id());
	if (mp == NULL) {
		ret = -errno;
		fprintf(stderr, "mbuf bench: sl_mbuf_pool_create: %s\n",
			strerror(errno));
		return ret;
	}
	(void)mbuf_alloc_free_loop(mp, n, (iters / n) >> 4, &failed);
	if (!failed)
		cycles = mbuf_alloc_free_loop(mp, n, iters / n, &failed);
	if (failed || !sl_mempool_full(mp)) {
		fprintf(stderr, "mbuf bench: alloc_bulk failed or %u mbufs "
			"leaked; the mbuf library is broken\n",
			sl_mempool_in_use_count(mp));
		ret = -EIO;
		goto out;
	}
	ret = bench_result_add(out, "alloc_free_bulk_32", (double)cycles /
			       ((double)(iters / n) * n), "cycles/mbuf",
			       "alloc_bulk + free_bulk of 32 mbufs");
	if (ret < 0)
		goto out;

	orig = sl_mbuf_alloc(mp);
	if (orig == NULL) {
		ret = -ENOMEM;
		goto out;
	}
	orig->data_len = orig->pkt_len = 64;
	for (int a = 0; a < 2 && ret == 0; a++) {
		uint64_t (*fn)(struct sl_mempool *, struct sl_mbuf *,
			       unsigned int, uint64_t *) =
			a ? mbuf_attach_loop : mbuf_clone_loop;

		(void)fn(mp, orig, iters >> 4, &failed);
		cycles = failed ? 0 : fn(mp, orig, iters, &failed);
		if (failed || sl_mbuf_refcnt_read(orig) != 1 ||
		    sl_mempool_in_use_count(mp) != 1) {
			fprintf(stderr, "mbuf bench: %s: a call failed, or the "
				"original's refcnt is %u, or %u mbufs are out "
				"(want 1); the mbuf library is broken\n",
				a ? "attach" : "clone", sl_mbuf_refcnt_read(orig),
				sl_mempool_in_use_count(mp));
			ret = -EIO;
			break;
		}
		ret = bench_result_add(out, a ? "attach_free" : "clone_free",
				       (double)cycles / iters,
				       a ? "cycles/attach" : "cycles/clone",
				       a ? "alloc + attach + free of an indirect mbuf"
					 : "clone + free of a one-segment packet");
	}
	sl_mbuf_free(orig);
out:
	if (sl_mempool_free(mp) < 0 && ret == 0)
		ret = -EBUSY;
	return ret;
}

static struct bench_suite mbuf_suite = {
	.name = "mbuf",
	.help = "cycles/mbuf of alloc_bulk+free_bulk of 32, cycles of a "
		"clone+free and of an alloc+attach+free, one core",
	.order = BENCH_ORDER_MBUF,
	.run = mbuf_run,
};

BENCH_REGISTER(mbuf_suite)
