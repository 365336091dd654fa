/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-bench: the interface between the driver (bench_main.c) and the
 * benchmark suites (bench_<suite>.c).
 *
 * A suite is one subcommand and one top-level key of the --json object.  It
 * registers itself from a constructor with BENCH_REGISTER(), so the driver
 * has no list to keep in step and a suite is built in by adding its file to
 * bench_sources in test/bench/meson.build.
 *
 * Note for the mempool/mbuf helper: test/bench/bench_mempool.c is yours.
 * Define a `static struct bench_suite` with .name = "mempool",
 * .order = BENCH_ORDER_MEMPOOL and a run() that adds the figure under the key
 * "bulk_32_cached" (cycles per object of a get+put of a bulk of 32 through
 * the per-lcore cache) with bench_result_add(); end the file with
 * BENCH_REGISTER(that_suite) and append the file to bench_sources in
 * test/bench/meson.build.  run() is called on the EAL main lcore, after
 * sl_eal_init(), pinned to one CPU.
 */
#ifndef SLUICE_BENCH_H
#define SLUICE_BENCH_H

#include <stdint.h>

/** At most this many figures per suite. */
#define BENCH_MAX_RESULTS 16
/** Longest figure key, NUL included. */
#define BENCH_KEY_MAX 48

/** Output order of the suites (and of "run all"). */
enum bench_order {
	BENCH_ORDER_RING = 10,
	BENCH_ORDER_MEMPOOL = 20,
	BENCH_ORDER_MBUF = 30,
};

/** Figures a suite produced: key -> value, in insertion order. */
struct bench_results {
	unsigned int n;
	struct {
		char key[BENCH_KEY_MAX];
		double value;
		const char *unit;
		const char *what; /* one-line description for the text output */
	} r[BENCH_MAX_RESULTS];
};

/** Options every suite may look at. */
struct bench_opts {
	int json;           /**< --json: the driver prints, suites stay quiet */
	unsigned int iter_shift; /**< iterations = 1 << iter_shift */
};

/** A benchmark suite; see the file comment. */
struct bench_suite {
	const char *name;   /**< subcommand and JSON key */
	const char *help;   /**< one line for --help */
	int order;          /**< enum bench_order */
	/** Run, add figures to @p out.  @return 0 or a negative errno. */
	int (*run)(const struct bench_opts *opts, struct bench_results *out);
	struct bench_suite *next; /**< registry link, owned by the driver */
};

/** Add a suite to the registry (called from BENCH_REGISTER constructors). */
void bench_register(struct bench_suite *suite);

/**
 * Record one figure.
 * @return 0, -ENOSPC when BENCH_MAX_RESULTS are recorded already, or
 *         -ENAMETOOLONG when @p key does not fit BENCH_KEY_MAX.
 */
int bench_result_add(struct bench_results *res, const char *key, double value,
		     const char *unit, const char *what);

#define BENCH_REGISTER(suite)                                          \
	static void __attribute__((constructor)) bench_register_##suite(void) \
	{                                                              \
		bench_register(&(suite));                              \
	}

#endif /* SLUICE_BENCH_H */
