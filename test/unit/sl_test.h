/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Skips that cannot pass for passes.
 *
 * cmocka's skip() leaves a program's exit status 0, so meson would count a
 * program that skipped every test as OK.  Every test program in the tree
 * skips through SL_TEST_SKIP() instead, which says what was skipped and why,
 * and ends main() with sl_test_exit(): any failure gives 1, otherwise any
 * skip gives 77 (meson's SKIP), otherwise 0.  test/run-all.sh then counts
 * the program as skipped, and under CI=true as failed unless
 * test/expected-skips lists it.
 *
 * Only a condition of the machine is a reason to skip (no hugepages, one
 * CPU, not root).  A failure of the code under test, such as an EAL that
 * does not start, is a failure: group setups return -1 for it.
 *
 * Include after <cmocka.h>, once per test program.
 */
#ifndef SL_TEST_H
#define SL_TEST_H

#include <stdio.h>

static unsigned int sl_test_skipped;

/* Skip the current test, saying why: printf-style reason. */
#define SL_TEST_SKIP(...)                                                   \
	do {                                                                \
		fprintf(stderr, "SKIP %s: ", __func__);                     \
		fprintf(stderr, __VA_ARGS__);                               \
		fputc('\n', stderr);                                        \
		sl_test_skipped++;                                          \
		skip();                                                     \
	} while (0)

/* main()'s exit status from the sum of cmocka_run_group_tests() results. */
static inline int
sl_test_exit(int failed)
{
	if (failed != 0)
		return 1;
	if (sl_test_skipped != 0) {
		fprintf(stderr, "%u test(s) skipped: exit 77 (SKIP)\n",
			sl_test_skipped);
		return 77;
	}
	return 0;
}

#endif /* SL_TEST_H */
