/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the PCI bus and the IOMMU context that run on any machine
 * (no IOMMU, no pass-through driver needed): address parsing, the sysfs
 * scan against what sysfs says, --no-pci, -a naming a missing device, the
 * "not bound" refusal, the IOMMU context's errors without the module, and
 * sl_pci_bus_master_set() on a stand-in for config space.
 * The data path is tested in the VM suite (test/vm/e1000).
 */
#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sl_test.h"

#include "sl_bus_pci.h"
#include "sl_eal.h"
#include "sl_iommu.h"

#include "test_eth_helpers.h"

#define SLUICE_IOMMU_PATH_FOR_TEST "/dev/sluice/iommu"

static int
eal_init(const char *extra1, const char *extra2)
{
	char *argv[10];
	int argc = 0;

	argv[argc++] = (char *)"test_pci";
	argv[argc++] = (char *)"--no-huge";
	argv[argc++] = (char *)"-m";
	argv[argc++] = (char *)"32";
	argv[argc++] = (char *)"--file-prefix";
	argv[argc++] = (char *)"test_pci";
	if (extra1)
		argv[argc++] = (char *)extra1;
	if (extra2)
		argv[argc++] = (char *)extra2;
	argv[argc] = NULL;
	return sl_eal_init(argc, argv);
}

/* A start that fails is a failure of the code under test, never a skip. */
static void
eal_start(const char *extra1, const char *extra2)
{
	assert_true(eal_init(extra1, extra2) >= 0);
}

static void
test_addr_parse(void **state)
{
	struct sl_pci_addr a;
	char buf[SL_PCI_NAME_LEN];

	(void)state;
	assert_int_equal(sl_pci_addr_parse("0000:00:03.0", &a), 0);
	assert_int_equal(a.domain, 0);
	assert_int_equal(a.bus, 0);
	assert_int_equal(a.devid, 3);
	assert_int_equal(a.function, 0);
	assert_int_equal(sl_pci_addr_parse("abcd:ef:1f.7", &a), 0);
	assert_int_equal(a.domain, 0xabcd);
	assert_int_equal(a.bus, 0xef);
	assert_int_equal(a.devid, 0x1f);
	assert_int_equal(a.function, 7);
	sl_pci_addr_format(&a, buf, sizeof(buf));
	assert_string_equal(buf, "abcd:ef:1f.7");
	/* short form: domain 0 */
	assert_int_equal(sl_pci_addr_parse("02:00.1", &a), 0);
	sl_pci_addr_format(&a, buf, sizeof(buf));
	assert_string_equal(buf, "0000:02:00.1");

	assert_int_equal(sl_pci_addr_parse("0000:00:20.0", &a), -EINVAL); /* dev > 0x1f */
	assert_int_equal(sl_pci_addr_parse("0000:00:03.8", &a), -EINVAL); /* fn > 7 */
	assert_int_equal(sl_pci_addr_parse("0000:100:03.0", &a), -EINVAL); /* bus > 0xff */
	assert_int_equal(sl_pci_addr_parse("0000:00:03.0x", &a), -EINVAL); /* trailing */
	assert_int_equal(sl_pci_addr_parse("net_null0", &a), -EINVAL);
	assert_int_equal(sl_pci_addr_parse("", &a), -EINVAL);
	assert_int_equal(sl_pci_addr_parse(NULL, &a), -EINVAL);
}

/* First device in sysfs, or NULL (containers may have none). */
static const char *
first_sysfs_device(char *buf, size_t len)
{
	DIR *d = opendir("/sys/bus/pci/devices");
	struct dirent *e;

	if (d == NULL)
		return NULL;
	buf[0] = '\0';
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] != '.' && (buf[0] == '\0' || strcmp(e->d_name, buf) < 0))
			snprintf(buf, len, "%s", e->d_name);
	}
	closedir(d);
	return buf[0] ? buf : NULL;
}

static void
test_scan_matches_sysfs(void **state)
{
	char name[256], path[320], id[16];
	struct sl_pci_device *dev;
	FILE *f;

	(void)state;
	if (first_sysfs_device(name, sizeof(name)) == NULL)
		SL_TEST_SKIP("no PCI device in /sys/bus/pci/devices");
	eal_start(NULL, NULL);
	dev = sl_pci_device_find(name);
	assert_non_null(dev);
	assert_string_equal(dev->name, name);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", name);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(id, sizeof(id), f));
	fclose(f);
	assert_int_equal(dev->id.vendor_id, strtoul(id, NULL, 16));
	/* a device no driver of ours matches, or that is not bound to a
	 * pass-through driver, is left alone */
	assert_null(dev->driver);
	assert_int_equal(dev->dev_fd, -1);
	assert_int_equal(sl_pci_device_detach(name), -ENODEV);
	assert_int_equal(sl_eal_cleanup(), 0);
}

static void
test_no_pci(void **state)
{
	char name[256];

	(void)state;
	if (first_sysfs_device(name, sizeof(name)) == NULL)
		SL_TEST_SKIP("no PCI device in /sys/bus/pci/devices");
	eal_start("--no-pci", NULL);
	assert_null(sl_pci_device_find(name));
	assert_int_equal(errno, ENODEV);
	assert_int_equal(sl_eal_cleanup(), 0);
}

static void
test_allow_missing_device(void **state)
{
	const char *log;
	int ret;

	(void)state;
	log_capture();
	ret = eal_init("-a", "0000:ff:1f.7");
	log = log_end();
	assert_int_equal(ret, -ENODEV);
	assert_logged(log, "-a 0000:ff:1f.7: no such PCI device");
	assert_int_equal(sl_eal_is_initialized(), 0);
}

static void
test_allow_unbound_device(void **state)
{
	char name[256];
	const char *log;
	struct sl_pci_device *dev;
	int ret;

	(void)state;
	if (first_sysfs_device(name, sizeof(name)) == NULL)
		SL_TEST_SKIP("no PCI device in /sys/bus/pci/devices");
	/* Explicitly asking for a device that has no driver of ours fails
	 * and says why. */
	log_capture();
	ret = eal_init("-a", name);
	log = log_end();
	assert_int_equal(ret, -ENODEV);
	assert_logged(log, name);
	assert_int_equal(sl_eal_is_initialized(), 0);
	/* and probing it by hand after a plain init gives the same answer */
	eal_start(NULL, NULL);
	dev = sl_pci_device_find(name);
	assert_non_null(dev);
	assert_int_equal(sl_pci_device_probe(name), -ENODEV);
	assert_int_equal(sl_pci_device_probe("0000:ff:1f.7"), -ENODEV);
	assert_int_equal(sl_eal_cleanup(), 0);
}

static void
test_iommu_without_module(void **state)
{
	const char *log;
	int ret;

	(void)state;
	assert_int_equal(sl_iommu_fd(), -1);
	assert_int_equal(sl_iommu_type(), SL_IOMMU_NONE);
	assert_int_equal(sl_iommu_close(), -EINVAL);
	assert_int_equal(sl_iommu_open((enum sl_iommu_type)42), -EINVAL);
	assert_int_equal(sl_iommu_vfio_group_added(), -EINVAL);
	assert_int_equal(sl_iommu_map((void *)0x200000, 0x200000, 0x200000), -EINVAL);
	assert_int_equal(sl_iommu_unmap(0x200000), -ENOENT);
	if (access(SLUICE_IOMMU_PATH_FOR_TEST, F_OK) == 0)
		SL_TEST_SKIP("the sluice module is loaded here: the VM suite covers it");
	log_capture();
	ret = sl_iommu_open(SL_IOMMU_SLUICE);
	log = log_end();
	assert_int_equal(ret, -ENOENT);
	assert_logged(log, "load the module");
	assert_int_equal(sl_iommu_fd(), -1);
	assert_int_equal(sl_iommu_mapping_count(), 0);
}

/*
 * sl_pci_bus_master_set() on a config space stand-in: a file with the
 * 256-byte header at a non-zero offset, as both backends expose it (pread and
 * pwrite at dev->cfg_offset).  The kernel side is in the VM suites.
 */
#define CFG_AT 0x3000

static int
cfg_file(uint16_t cmd, size_t len)
{
	char path[] = "/tmp/test_pci_cfgXXXXXX";
	uint8_t cfg[256];
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	unlink(path);
	memset(cfg, 0xee, sizeof(cfg));
	memcpy(&cfg[4], &cmd, sizeof(cmd));
	assert_true(len <= sizeof(cfg));
	assert_int_equal(pwrite(fd, cfg, len, CFG_AT), (ssize_t)len);
	return fd;
}

static uint16_t
cfg_command(int fd)
{
	uint16_t cmd = 0;

	assert_int_equal(pread(fd, &cmd, sizeof(cmd), CFG_AT + 4), (ssize_t)sizeof(cmd));
	return cmd;
}

static void
test_bus_master_set(void **state)
{
	struct sl_pci_device dev;
	char path[64];
	uint8_t around[2];
	int fd, ro;

	(void)state;
	memset(&dev, 0, sizeof(dev));
	snprintf(dev.name, sizeof(dev.name), "0000:00:02.0");
	dev.dev_fd = -1;
	dev.cfg_offset = CFG_AT;
	assert_int_equal(sl_pci_bus_master_set(NULL, true), -EINVAL);
	assert_int_equal(sl_pci_bus_master_set(&dev, true), -ENODEV);

	/* memory decode + INTx disable: only bit 2 moves, nothing else */
	fd = cfg_file(0x0402, 256);
	dev.dev_fd = fd;
	assert_int_equal(sl_pci_bus_master_set(&dev, true), 0);
	assert_int_equal(cfg_command(fd), 0x0406);
	assert_int_equal(sl_pci_bus_master_set(&dev, true), 0);
	assert_int_equal(cfg_command(fd), 0x0406);
	assert_int_equal(pread(fd, around, 1, CFG_AT + 3), 1);
	assert_int_equal(around[0], 0xee);
	assert_int_equal(pread(fd, around, 1, CFG_AT + 6), 1);
	assert_int_equal(around[0], 0xee);
	assert_int_equal(sl_pci_bus_master_set(&dev, false), 0);
	assert_int_equal(cfg_command(fd), 0x0402);

	/* a refused write is reported with its errno; a no-op needs no write */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ro = open(path, O_RDONLY);
	assert_true(ro >= 0);
	dev.dev_fd = ro;
	log_capture();
	assert_int_equal(sl_pci_bus_master_set(&dev, true), -EBADF);
	assert_logged(log_end(), "cannot turn bus mastering on");
	assert_int_equal(cfg_command(fd), 0x0402);
	assert_int_equal(sl_pci_bus_master_set(&dev, false), 0);
	close(ro);
	close(fd);

	/* config space shorter than COMMAND: a short read is -EIO, not success */
	fd = cfg_file(0x0002, 4);
	dev.dev_fd = fd;
	log_capture();
	assert_int_equal(sl_pci_bus_master_set(&dev, true), -EIO);
	assert_logged(log_end(), "cannot read COMMAND");
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addr_parse),
		cmocka_unit_test(test_scan_matches_sysfs),
		cmocka_unit_test(test_no_pci),
		cmocka_unit_test(test_allow_missing_device),
		cmocka_unit_test(test_allow_unbound_device),
		cmocka_unit_test(test_iommu_without_module),
		cmocka_unit_test(test_bus_master_set),
	};

	sl_log_set_level(NULL, SL_LOG_WARNING);
	return sl_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
