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
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sl_cycles.h"
#include "sl_eal.h"
#include "sl_lcore.h"
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
	return ret;
}

static struct bench_suite mempool_suite = {
	.name = "mempool",
	.help = "cycles/object of get_bulk+put_bulk of 32 objects through the "
		"per-lcore cache, one core",
	.order = BENCH_ORDER_MEMPOOL,
	.run = mempool_run,
};

BENCH_REGISTER(mempool_suite)
