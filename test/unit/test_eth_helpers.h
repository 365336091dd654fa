/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helpers shared by the ethdev-area unit tests (test_kvargs, test_ethdev,
 * test_vdev, test_null, test_ring_pmd, and the PMD tests): capture of log
 * lines so tests can check that errors name what is wrong, counts of open
 * descriptors and socket mappings to show leaks, EAL start-up with --vdev
 * arguments, and port bring-up.  Include once per test program, after
 * <cmocka.h>.
 */
#ifndef TEST_ETH_HELPERS_H
#define TEST_ETH_HELPERS_H

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_log.h"

static char *th_log_buf;
static size_t th_log_len;
static FILE *th_log_stream;

/* Send log lines to a memory buffer until log_end(). */
static inline void
log_capture(void)
{
	free(th_log_buf);
	th_log_buf = NULL;
	th_log_len = 0;
	th_log_stream = open_memstream(&th_log_buf, &th_log_len);
	assert_non_null(th_log_stream);
	sl_log_set_stream(th_log_stream);
}

/* Stop capturing; the text stays valid until the next log_capture(). */
static inline const char *
log_end(void)
{
	sl_log_set_stream(NULL);
	fclose(th_log_stream);
	th_log_stream = NULL;
	return th_log_buf ? th_log_buf : "";
}

static inline void
log_free(void)
{
	free(th_log_buf);
	th_log_buf = NULL;
}

#define assert_logged(log, needle)                                               \
	do {                                                                     \
		if (strstr((log), (needle)) == NULL) {                           \
			print_error("log lacks '%s':\n%s\n", (needle), (log));   \
			fail();                                                  \
		}                                                                \
	} while (0)

/* Run @p call expecting @p err and a log line containing @p needle. */
#define assert_fails_logged(call, err, needle)           \
	do {                                             \
		const char *log_;                        \
		log_capture();                           \
		assert_int_equal((call), (err));         \
		log_ = log_end();                        \
		assert_logged(log_, (needle));           \
	} while (0)

/* ---- what a leak would show ---- */

/* @return the descriptors the process has open (the count's own excluded). */
static inline int
count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1; /* the directory's own descriptor */
}

/*
 * @return the mappings of sockets in the process: lines of /proc/self/maps
 * naming "socket:" or @p ring (how the kernel names a PMD's rings, e.g.
 * "packet" for AF_PACKET, "XDP" for AF_XDP).
 */
static inline int
count_socket_maps(const char *ring)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int n = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL)
		n += strstr(line, "socket:") != NULL || strstr(line, ring) != NULL;
	fclose(f);
	return n;
}

#ifdef SL_EAL_H
#include "sl_ethdev.h"

/* Lcores for th_eal_init(); a test that needs a worker sets "0,1" first. */
static const char *th_lcores = "0";

/*
 * sl_eal_init() on lcores th_lcores with anonymous memory (no hugepages, no root)
 * and up to two --vdev arguments (NULL: none).
 * @return what sl_eal_init() returned.
 */
static inline int
th_eal_init(const char *prefix, const char *mem_mb, const char *vdev1, const char *vdev2)
{
	char *argv[16];
	int argc = 0;

	argv[argc++] = (char *)prefix;
	argv[argc++] = "-l";
	argv[argc++] = (char *)th_lcores;
	argv[argc++] = "--no-huge";
	argv[argc++] = "-m";
	argv[argc++] = (char *)mem_mb;
	argv[argc++] = "--file-prefix";
	argv[argc++] = (char *)prefix;
	if (vdev1 != NULL) {
		argv[argc++] = "--vdev";
		argv[argc++] = (char *)vdev1;
	}
	if (vdev2 != NULL) {
		argv[argc++] = "--vdev";
		argv[argc++] = (char *)vdev2;
	}
	argv[argc] = NULL;
	return sl_eal_init(argc, argv);
}

/* Set when the group setup could not start the EAL: tests then skip. */
/*
 * Group setup helper: start the EAL.  A start that fails is a failure of
 * the code under test, never a reason to skip: the caller's group setup
 * returns -1 and cmocka fails the group.
 */
static inline int
th_eal_start(const char *prefix, const char *vdev1, const char *vdev2)
{
	int ret = th_eal_init(prefix, "256", vdev1, vdev2);

	if (ret < 0)
		fprintf(stderr, "%s: sl_eal_init failed (%d): the group fails\n",
			prefix, ret);
	return ret;
}

static inline uint16_t
port_named(const char *name)
{
	uint16_t p = UINT16_MAX;

	assert_int_equal(sl_eth_dev_get_port_by_name(name, &p), 0);
	return p;
}

/* Configure @p nq RX and TX queues of 64 descriptors on @p mp and start. */
static inline void
port_up(uint16_t p, uint16_t nq, struct sl_mempool *mp)
{
	assert_int_equal(sl_eth_dev_configure(p, nq, nq, NULL), 0);
	for (uint16_t q = 0; q < nq; q++) {
		assert_int_equal(sl_eth_rx_queue_setup(p, q, 64, SL_SOCKET_ID_ANY, NULL, mp), 0);
		assert_int_equal(sl_eth_tx_queue_setup(p, q, 64, SL_SOCKET_ID_ANY, NULL), 0);
	}
	assert_int_equal(sl_eth_dev_start(p), 0);
}
#endif /* SL_EAL_H */

#endif /* TEST_ETH_HELPERS_H */
