/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EAL -d PATH: PMD plugins loaded with dlopen() before the buses probe.
 * A plugin file and a directory of plugins give a probed device; a path
 * that does not exist, a plugin built for another ABI (marker or soname),
 * one without the plugin marker and one needing a symbol libsluice does
 * not export each fail sl_eal_init() with a message naming the cause, and
 * leave nothing loaded; sl_eal_cleanup() unloads plugins.  A plugin driver
 * with a name the library has is warned about and does not take it.
 *
 * argv: the plugins of test/sdk/plugins, in the order of main()'s names.
 */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sl_test.h"

#include "sl_bus_vdev.h"
#include "sl_eal.h"
#include "test_eth_helpers.h"

static const char *plug_ok, *plug_noabi, *plug_abi99, *plug_missing, *plug_soname1, *plug_dup;

/* sl_eal_init() with anonymous memory and the given extra arguments. */
static int
eal_init_args(int n, const char *const *extra)
{
	char *argv[16] = { "test_plugin", "-l", "0", "--no-huge", "-m", "16", "--no-pci" };
	int argc = 7;

	for (int i = 0; i < n && argc < 15; i++)
		argv[argc++] = (char *)extra[i];
	argv[argc] = NULL;
	return sl_eal_init(argc, argv);
}

/* Is @p path loaded in this process? */
static int
loaded(const char *path)
{
	void *h = dlopen(path, RTLD_NOW | RTLD_NOLOAD);

	if (h == NULL)
		return 0;
	dlclose(h);
	return 1;
}

static void
expect_probed(const char *path, const char *args)
{
	void *h = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
	const unsigned int *probes;
	const char *got;

	assert_non_null(h);
	probes = dlsym(h, "plugtest_probes");
	got = dlsym(h, "plugtest_args");
	assert_non_null(probes);
	assert_non_null(got);
	assert_int_equal(*probes, 1);
	assert_string_equal(got, args);
	dlclose(h);
}

static void
test_file(void **state)
{
	const char *extra[] = { "-d", plug_ok, "--vdev", "net_plugtest0,speed=7" };

	(void)state;
	assert_false(loaded(plug_ok));
	/* Without -d the driver does not exist: the name is refused. */
	assert_fails_logged(eal_init_args(2, extra + 2), -EINVAL, "net_plugtest0");
	assert_int_equal(eal_init_args(4, extra), 10);
	assert_non_null(sl_vdev_find("net_plugtest0"));
	expect_probed(plug_ok, "speed=7");
	assert_int_equal(sl_eal_cleanup(), 0);
	/* Unloaded with the EAL, so a second start loads it afresh. */
	assert_false(loaded(plug_ok));
	assert_int_equal(eal_init_args(4, extra), 10);
	expect_probed(plug_ok, "speed=7");
	assert_int_equal(sl_eal_cleanup(), 0);
}

static void
test_directory(void **state)
{
	char dir[] = "/tmp/sl-plugdir-XXXXXX", link[PATH_MAX], other[PATH_MAX], target[PATH_MAX];
	const char *extra[] = { "-d", dir, "--vdev", "net_plugtest1" };
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(link, sizeof(link), "%s/plugtest.so", dir);
	assert_non_null(realpath(plug_ok, target));
	assert_int_equal(symlink(target, link), 0);
	/* Not *.so: ignored (it would fail to load). */
	snprintf(other, sizeof(other), "%s/README", dir);
	f = fopen(other, "w");
	assert_non_null(f);
	fputs("not a plugin\n", f);
	fclose(f);

	assert_int_equal(eal_init_args(4, extra), 10);
	expect_probed(link, "");
	assert_int_equal(sl_eal_cleanup(), 0);
	assert_false(loaded(link));

	/* The same directory with a broken plugin in it fails as a whole. */
	snprintf(other, sizeof(other), "%s/zz_noabi.so", dir);
	assert_non_null(realpath(plug_noabi, target));
	assert_int_equal(symlink(target, other), 0);
	assert_fails_logged(eal_init_args(4, extra), -ENOEXEC, "not a Sluice PMD plugin");
	assert_false(loaded(link));
	assert_false(loaded(plug_noabi));

	unlink(other);
	unlink(link);
	snprintf(other, sizeof(other), "%s/README", dir);
	unlink(other);
	assert_int_equal(rmdir(dir), 0);
}

static void
test_not_found(void **state)
{
	const char *extra[] = { "-d", "/nonexistent/librte_net_echo.so" };

	(void)state;
	log_capture();
	assert_int_equal(eal_init_args(2, extra), -ENOENT);
	assert_logged(log_end(), "plugin '/nonexistent/librte_net_echo.so' (-d): not found");
	assert_false(sl_eal_is_initialized());
}

static void
test_bad_plugins(void **state)
{
	const char *noabi[] = { "-d", plug_noabi };
	const char *abi99[] = { "-d", plug_abi99 };
	const char *missing[] = { "-d", plug_missing };
	const char *soname1[] = { "-d", plug_soname1 };
	/* A good plugin loaded first is unloaded again when a later one fails. */
	const char *mixed[] = { "-d", plug_ok, "-d", plug_missing };

	(void)state;
	assert_fails_logged(eal_init_args(2, noabi), -ENOEXEC,
			    "add SL_PMD_PLUGIN();");
	assert_false(loaded(plug_noabi));
	assert_fails_logged(eal_init_args(2, abi99), -ENOEXEC,
			    "wrong ABI version: built for ABI 99");
	assert_false(loaded(plug_abi99));
	assert_fails_logged(eal_init_args(2, missing), -ENOEXEC,
			    "missing symbol 'sl_no_such_function'");
	assert_false(loaded(plug_missing));
	assert_fails_logged(eal_init_args(2, soname1), -ENOEXEC,
			    "wrong ABI version: it needs a libsluice");
	assert_fails_logged(eal_init_args(2, soname1), -ENOEXEC, "libsluice.so.1");
	assert_false(loaded(plug_soname1));
	assert_fails_logged(eal_init_args(4, mixed), -ENOEXEC, "missing symbol");
	assert_false(loaded(plug_ok));
	assert_false(sl_eal_is_initialized());
	/* Nothing of it stays: the EAL starts cleanly afterwards. */
	assert_int_equal(eal_init_args(0, NULL), 6);
	assert_null(sl_vdev_find("net_plugtest0"));
	assert_int_equal(sl_eal_cleanup(), 0);
}

/* A plugin driver named like an in-tree one: warned about, and the
 * library's own driver keeps the name (the plugin's probe never runs). */
static void
test_name_taken(void **state)
{
	const char *extra[] = { "-d", plug_dup, "--vdev", "net_null0" };
	const unsigned int *probes;
	void *h;

	(void)state;
	log_capture();
	assert_int_equal(eal_init_args(4, extra), 10);
	assert_logged(log_end(), "driver 'net_null' registered twice");
	h = dlopen(plug_dup, RTLD_NOW | RTLD_NOLOAD);
	assert_non_null(h);
	probes = dlsym(h, "plugtest_probes");
	assert_non_null(probes);
	assert_int_equal(*probes, 0);
	dlclose(h);
	assert_non_null(sl_vdev_find("net_null0"));
	assert_int_equal(sl_eal_cleanup(), 0);
	assert_false(loaded(plug_dup));
}

static void
test_help_names_default_dir(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	assert_non_null(f);
	sl_eal_usage(f);
	fclose(f);
	assert_non_null(strstr(text, "-d, --driver-path PATH"));
	assert_non_null(strstr(text, SL_EAL_PMD_PATH));
	free(text);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_directory),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_bad_plugins),
		cmocka_unit_test(test_name_taken),
		cmocka_unit_test(test_help_names_default_dir),
	};

	if (argc != 7) {
		fprintf(stderr, "usage: %s OK NOABI ABI99 MISSING SONAME1 DUPNAME\n", argv[0]);
		return 1;
	}
	plug_ok = argv[1];
	plug_noabi = argv[2];
	plug_abi99 = argv[3];
	plug_missing = argv[4];
	plug_soname1 = argv[5];
	plug_dup = argv[6];
	return sl_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
