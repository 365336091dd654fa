/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * An application linked with the static libsluice.a (a plain link, as
 * `pkg-config --libs libsluice-static` gives) gets every bus and PMD:
 * their constructors are in the one object of the archive.  Before that
 * archive, the same link gave 0 ports for `--vdev net_null0` and no error.
 *
 * Also checks that libsluice.so is not mapped (the link really is static),
 * that packets move through net_null ports, and that a plugin, which needs
 * the shared library, is refused by name rather than loading a second copy.
 *
 * argv[1]: a good plugin (test/sdk/plugins).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sl_test.h"

#include "sl_bus_vdev.h"
#include "sl_eal.h"
#include "sl_ethdev.h"
#include "sl_mbuf.h"
#include "test_eth_helpers.h"

static const char *plugin;

static void
test_not_shared(void **state)
{
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");
	int shared = 0;

	(void)state;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL)
		if (strstr(line, "libsluice.so") != NULL)
			shared = 1;
	fclose(f);
	assert_false(shared);
}

static void
test_buses_and_drivers(void **state)
{
	static const char *const drivers[] = {
		"net_null", "net_ring", "net_af_packet", "net_tap", "net_memif", "net_pcap",
		"net_skeleton",
	};
	const char *log;

	(void)state;
	assert_non_null(sl_bus_find_by_name("vdev"));
	assert_non_null(sl_bus_find_by_name("pci"));
	assert_true(th_eal_init("test_static", "64", NULL, NULL) >= 0);
	/* The bus names every registered driver when a name matches none. */
	log_capture();
	assert_true(sl_vdev_init("zz_nothing0", "") < 0);
	log = log_end();
	for (size_t i = 0; i < SL_DIM(drivers); i++)
		assert_logged(log, drivers[i]);
	assert_int_equal(sl_eal_cleanup(), 0);
}

static void
test_null_ports_move_packets(void **state)
{
	struct sl_mbuf *pkts[32];
	struct sl_eth_stats st;
	struct sl_mempool *mp;
	uint16_t p0, p1, n, sent;

	(void)state;
	assert_true(th_eal_init("test_static", "64", "net_null0,size=60", "net_null1") >= 0);
	assert_int_equal(sl_eth_dev_count_avail(), 2);
	mp = sl_mbuf_pool_create("static_pool", 1023, 0, 0, SL_MBUF_DEFAULT_BUF_SIZE,
				 SL_SOCKET_ID_ANY);
	assert_non_null(mp);
	p0 = port_named("net_null0");
	p1 = port_named("net_null1");
	port_up(p0, 1, mp);
	port_up(p1, 1, mp);
	n = sl_eth_rx_burst(p0, 0, pkts, 32);
	assert_int_equal(n, 32);
	assert_int_equal(pkts[0]->pkt_len, 60);
	sent = sl_eth_tx_burst(p1, 0, pkts, n);
	assert_int_equal(sent, n);
	assert_int_equal(sl_eth_stats_get(p1, &st), 0);
	assert_int_equal(st.opackets, 32);
	assert_int_equal(st.obytes, 32 * 60);
	assert_int_equal(sl_eth_dev_stop(p0), 0);
	assert_int_equal(sl_eth_dev_stop(p1), 0);
	assert_int_equal(sl_eth_dev_close(p0), 0);
	assert_int_equal(sl_eth_dev_close(p1), 0);
	assert_int_equal(sl_mempool_in_use_count(mp), 0);
	sl_mempool_free(mp);
	assert_int_equal(sl_eal_cleanup(), 0);
}

static void
test_plugin_refused(void **state)
{
	char *argv[] = { "test_static", "-l", "0", "--no-huge", "-m", "16",
			 "-d", (char *)plugin, NULL };

	(void)state;
	assert_fails_logged(sl_eal_init(8, argv), -ENOEXEC,
			    "bound to a second copy of libsluice");
	assert_false(sl_eal_is_initialized());
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_not_shared),
		cmocka_unit_test(test_buses_and_drivers),
		cmocka_unit_test(test_null_ports_move_packets),
		cmocka_unit_test(test_plugin_refused),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: %s PLUGIN.so\n", argv[0]);
		return 1;
	}
	plugin = argv[1];
	return sl_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
