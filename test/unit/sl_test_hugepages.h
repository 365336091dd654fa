/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test fixture: borrow 2 MiB hugepages for one test program and give them
 * back afterwards.
 *
 *     static int setup(void **state) {
 *             return sl_test_hugepages_setup(32) == -EPERM ? 0 : ...;
 *     }
 *     ... "--huge-dir", sl_test_hugepages_dir() ...
 *     static int teardown(void **state) { sl_test_hugepages_teardown(); return 0; }
 *
 * Tests that need the pages call sl_test_hugepages_available() and skip()
 * when it returns 0 (not root, or the kernel refused).
 */
#ifndef SL_TEST_HUGEPAGES_H
#define SL_TEST_HUGEPAGES_H

#include <stddef.h>

/**
 * Add @p n 2 MiB pages to the kernel pool (nr_hugepages) and make sure a
 * hugetlbfs mount of 2 MiB pages exists (mounting one on a private temp
 * directory if none is mounted).
 *
 * @return 0; -EPERM when not root (tests should skip); -errno otherwise.
 */
int sl_test_hugepages_setup(unsigned int n);

/** Undo sl_test_hugepages_setup(): remove the pages added, unmount. */
void sl_test_hugepages_teardown(void);

/** @return 1 after a successful setup, else 0. */
int sl_test_hugepages_available(void);

/** @return the hugetlbfs directory to pass as --huge-dir, NULL if none. */
const char *sl_test_hugepages_dir(void);

/** @return free 2 MiB pages in the pool (free - reserved), -1 on error. */
long sl_test_hugepages_free(void);

/** @return files in the hugetlbfs dir whose name starts with @p prefix. */
int sl_test_hugepages_count_files(const char *prefix);

#endif /* SL_TEST_HUGEPAGES_H */
