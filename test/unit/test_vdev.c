/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the vdev bus: --vdev devargs become probed ports at
 * sl_eal_init(); a bad key, value or driver name fails with a message that
 * names it; longest-prefix driver matching; runtime sl_vdev_init/uninit;
 * the EAL's cleanup removes every vdev.
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
#include "test_eth_helpers.h"

/* ---- two test drivers: "net_tst" and the longer prefix "net_tst_long" ---- */

static unsigned int short_probes, long_probes, removes;
static char last_args[128];

static int
tst_probe_short(struct sl_vdev_device *dev)
{
	short_probes++;
	snprintf(last_args, sizeof(last_args), "%s", sl_vdev_device_args(dev));
	return strstr(dev->args, "fail=1") ? -EIO : 0;
}

static int
tst_probe_long(struct sl_vdev_device *dev)
{
	long_probes++;
	snprintf(last_args, sizeof(last_args), "%s", sl_vdev_device_args(dev));
	return 0;
}

static int
tst_remove(struct sl_vdev_device *dev __sl_unused)
{
	removes++;
	return 0;
}

static struct sl_vdev_driver tst_short = {
	.param_help = "fail=<0|1>",
	.probe = tst_probe_short,
	.remove = tst_remove,
};
SL_VDEV_DRIVER_REGISTER(net_tst, tst_short);

static struct sl_vdev_driver tst_long = {
	.probe = tst_probe_long,
	.remove = tst_remove,
};
SL_VDEV_DRIVER_REGISTER(net_tst_long, tst_long);

/* ---- helpers ---- */

/* A start that fails is a failure of the code under test, never a skip. */
static void
eal_start(const char *v1, const char *v2)
{
	assert_true(th_eal_init("test_vdev", "64", v1, v2) >= 0);
}

/* ---- tests ---- */

static void
test_devargs_probe(void **state)
{
	uint16_t p0, p1;
	struct sl_eth_dev_info info;

	(void)state;
	eal_start("net_null0,size=64,copy=1", "net_ring0");
	assert_int_equal(sl_eth_dev_get_port_by_name("net_null0", &p0), 0);
	assert_int_equal(sl_eth_dev_get_port_by_name("net_ring0", &p1), 0);
	assert_int_equal(sl_eth_dev_info_get(p0, &info), 0);
	assert_string_equal(info.driver_name, "net_null");
	assert_int_equal(sl_eth_dev_info_get(p1, &info), 0);
	assert_string_equal(info.driver_name, "net_ring");
	assert_non_null(sl_vdev_find("net_null0"));
	assert_int_equal(sl_eal_cleanup(), 0);
	/* Cleanup removed the devices and their ports. */
	assert_int_equal(sl_eth_dev_is_valid_port(p0), 0);
	assert_int_equal(sl_eth_dev_is_valid_port(p1), 0);
	assert_null(sl_vdev_find("net_null0"));
}

static void
test_devargs_errors(void **state)
{
	const char *log;
	int ret;

	(void)state;
	/* Unknown key: init fails and the message names the key and the valid ones. */
	log_capture();
	ret = th_eal_init("test_vdev", "64", "net_null0,sise=64", NULL);
	log = log_end();
	assert_int_equal(ret, -EINVAL);
	assert_logged(log, "'sise'");
	assert_logged(log, "valid keys are: size, copy, no_rx, mac");
	assert_int_equal(sl_eal_is_initialized(), 0);

	/* Bad value. */
	log_capture();
	ret = th_eal_init("test_vdev", "64", "net_null0,size=abc", NULL);
	log = log_end();
	assert_int_equal(ret, -EINVAL);
	assert_logged(log, "'abc'");
	assert_logged(log, "'size'");

	/* Out-of-range value. */
	log_capture();
	ret = th_eal_init("test_vdev", "64", "net_null0,size=0", NULL);
	log = log_end();
	assert_int_equal(ret, -ERANGE);
	assert_logged(log, "'0'");
	assert_logged(log, "1..16384");

	/* No driver for the name: the message lists the drivers. */
	log_capture();
	ret = th_eal_init("test_vdev", "64", "net_bogus0", NULL);
	log = log_end();
	assert_int_equal(ret, -EINVAL);
	assert_logged(log, "'net_bogus0'");
	assert_logged(log, "net_null");
	assert_logged(log, "net_ring");

	/* Two devices with one name. */
	log_capture();
	ret = th_eal_init("test_vdev", "64", "net_null0", "net_null0,size=128");
	log = log_end();
	assert_int_equal(ret, -EEXIST);
	assert_logged(log, "exists already");

	/* After all those failures a good init still works. */
	eal_start("net_null0", NULL);
	assert_int_equal(sl_eal_cleanup(), 0);
}

static void
test_runtime_and_matching(void **state)
{
	const char *log;
	uint16_t p;

	(void)state;
	eal_start(NULL, NULL);
	short_probes = long_probes = removes = 0;

	/* Longest prefix wins. */
	assert_int_equal(sl_vdev_init("net_tst_long7", "a=1"), 0);
	assert_int_equal(long_probes, 1);
	assert_int_equal(short_probes, 0);
	assert_string_equal(last_args, "a=1");
	assert_int_equal(sl_vdev_init("net_tst3", NULL), 0);
	assert_int_equal(short_probes, 1);
	assert_string_equal(last_args, "");

	/* A failing probe leaves no device behind and names the driver's params. */
	log_capture();
	assert_int_equal(sl_vdev_init("net_tst4", "fail=1"), -EIO);
	log = log_end();
	assert_logged(log, "net_tst4");
	assert_logged(log, "fail=<0|1>");
	assert_null(sl_vdev_find("net_tst4"));

	log_capture();
	assert_int_equal(sl_vdev_init("net_tst3", NULL), -EEXIST);
	assert_logged(log_end(), "exists already");
	assert_int_equal(sl_vdev_init(NULL, NULL), -EINVAL);
	assert_int_equal(sl_vdev_init("", NULL), -EINVAL);

	/* Bad key at run time: -EINVAL, the key named, no port created. */
	log_capture();
	assert_int_equal(sl_vdev_init("net_null5", "size=64,bogus=2"), -EINVAL);
	log = log_end();
	assert_logged(log, "net_null5");
	assert_logged(log, "'bogus'");
	assert_int_equal(sl_eth_dev_get_port_by_name("net_null5", &p), -ENODEV);
	log_capture();
	assert_int_equal(sl_vdev_init("net_null5", "copy=maybe"), -EINVAL);
	log = log_end();
	assert_logged(log, "'maybe'");
	assert_logged(log, "'copy'");

	assert_int_equal(sl_vdev_init("net_null5", "size=256"), 0);
	assert_int_equal(sl_eth_dev_get_port_by_name("net_null5", &p), 0);
	assert_int_equal(sl_vdev_uninit("net_null5"), 0);
	assert_int_equal(sl_eth_dev_is_valid_port(p), 0);
	log_capture();
	assert_int_equal(sl_vdev_uninit("net_null5"), -ENOENT);
	assert_logged(log_end(), "no such device");
	assert_int_equal(sl_vdev_uninit(NULL), -EINVAL);

	assert_int_equal(sl_vdev_uninit("net_tst3"), 0);
	assert_int_equal(removes, 1);
	/* Cleanup removes what is left. */
	assert_int_equal(sl_eal_cleanup(), 0);
	assert_int_equal(removes, 2);
	assert_null(sl_vdev_find("net_tst_long7"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_devargs_probe),
		cmocka_unit_test(test_devargs_errors),
		cmocka_unit_test(test_runtime_and_matching),
	};
	int ret = cmocka_run_group_tests_name("vdev", tests, NULL, NULL);

	log_free();
	return sl_test_exit(ret);
}
