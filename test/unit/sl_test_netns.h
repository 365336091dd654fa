/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test fixture: a private network namespace for the socket-PMD tests
 * (test_af_packet, test_af_xdp, test_tap), made by the test program for
 * itself with unshare(CLONE_NEWNET).  Nothing else sends there, so counters
 * are exact, and the namespace and its interfaces go away with the process.
 *
 *     static int group_setup(void **state) {
 *             can_run = sl_test_netns_enter("slt0", "slt1", why, sizeof(why)) == 0;
 *             ...
 *     }
 *     static void test_x(void **state) {
 *             SL_TEST_NEED_NETNS(can_run, why);
 *             ...
 *     }
 */
#ifndef SL_TEST_NETNS_H
#define SL_TEST_NETNS_H

#include <stddef.h>

/**
 * Run a shell command; print it to stderr when it fails.
 * @return system()'s status: 0 on success.
 */
int sl_test_run(const char *cmd);

/**
 * Enter a new network namespace with IPv6 off (its solicitations would be
 * extra frames in exact counters) and, when @p if_a is not NULL, the veth
 * pair @p if_a <-> @p if_b in it, both up.
 *
 * @param why  receives, on failure, why the tests must skip.
 * @return 0; -EPERM when not root; -errno of unshare(); -ENODEV when the
 *   veth pair cannot be made ('ip' missing or no veth in the kernel).
 */
int sl_test_netns_enter(const char *if_a, const char *if_b, char *why, size_t why_len);

/* Skip the calling test (and return) unless the namespace was made. */
#define SL_TEST_NEED_NETNS(ok, why)                \
	do {                                       \
		if (!(ok)) {                       \
			SL_TEST_SKIP("%s", (why)); \
			return;                    \
		}                                  \
	} while (0)

#endif /* SL_TEST_NETNS_H */
