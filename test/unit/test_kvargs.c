/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of lib/eal/sl_kvargs: syntax, key checking, typed getters, and
 * that every error message names the offending key and value.  No EAL
 * needed: kvargs work before sl_eal_init().
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

#include "sl_ether.h"
#include "sl_kvargs.h"
#include "sl_log.h"
#include "test_eth_helpers.h"

static const char *const keys[] = { "size", "copy", "name", "mac", NULL };

/* ---- parsing ---- */

static void
test_parse_ok(void **state)
{
	struct sl_kvargs *kv;
	const struct sl_kvargs_pair *p;

	(void)state;
	kv = sl_kvargs_parse("dev0", "size=64,copy=1,name=", keys);
	assert_non_null(kv);
	assert_int_equal(sl_kvargs_count(kv), 3);
	p = sl_kvargs_pair_get(kv, 0);
	assert_string_equal(p->key, "size");
	assert_string_equal(p->value, "64");
	p = sl_kvargs_pair_get(kv, 2);
	assert_string_equal(p->key, "name");
	assert_string_equal(p->value, "");
	assert_null(sl_kvargs_pair_get(kv, 3));
	assert_string_equal(sl_kvargs_get(kv, "copy"), "1");
	assert_null(sl_kvargs_get(kv, "mac"));
	assert_int_equal(sl_kvargs_has(kv, "size"), 1);
	assert_int_equal(sl_kvargs_has(kv, "mac"), 0);
	sl_kvargs_free(kv);
}

static void
test_parse_empty(void **state)
{
	struct sl_kvargs *kv;

	(void)state;
	kv = sl_kvargs_parse("dev0", NULL, keys);
	assert_non_null(kv);
	assert_int_equal(sl_kvargs_count(kv), 0);
	sl_kvargs_free(kv);
	kv = sl_kvargs_parse(NULL, "", keys);
	assert_non_null(kv);
	assert_int_equal(sl_kvargs_count(kv), 0);
	sl_kvargs_free(kv);
	sl_kvargs_free(NULL);
	assert_int_equal(sl_kvargs_count(NULL), 0);
}

static void
test_parse_any_key(void **state)
{
	struct sl_kvargs *kv;

	(void)state;
	kv = sl_kvargs_parse("dev0", "foo=bar,x-y_z=2", NULL);
	assert_non_null(kv);
	assert_string_equal(sl_kvargs_get(kv, "x-y_z"), "2");
	sl_kvargs_free(kv);
}

/* Parse @p args expecting failure with @p err and a log containing both needles. */
static void
parse_fails(const char *args, int err, const char *needle1, const char *needle2)
{
	struct sl_kvargs *kv;
	const char *log;

	log_capture();
	errno = 0;
	kv = sl_kvargs_parse("net_x0", args, keys);
	log = log_end();
	assert_null(kv);
	assert_int_equal(errno, err);
	assert_logged(log, "net_x0");
	if (needle1)
		assert_logged(log, needle1);
	if (needle2)
		assert_logged(log, needle2);
}

static void
test_parse_errors(void **state)
{
	(void)state;
	parse_fails("size=64,bogus=1", EINVAL, "'bogus'", "valid keys are: size, copy, name, mac");
	parse_fails("size", EINVAL, "'size'", "key=value");
	parse_fails("size=1,,copy=1", EINVAL, "empty argument", NULL);
	parse_fails("size=1,", EINVAL, "empty argument", NULL);
	parse_fails("=5", EINVAL, "no key", NULL);
	parse_fails("si ze=5", EINVAL, "' '", "si ze");
	parse_fails("size=1,size=2", EINVAL, "'size' given twice", "'1' and '2'");
}

static void
test_parse_limits(void **state)
{
	char big[SL_KVARGS_MAX_LEN + 8];
	char many[(SL_KVARGS_MAX + 1) * 8];
	size_t off = 0;

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "name=", 5);
	parse_fails(big, E2BIG, "longer than", NULL);

	for (int i = 0; i <= SL_KVARGS_MAX; i++)
		off += (size_t)snprintf(many + off, sizeof(many) - off, "%sk%d=1", i ? "," : "", i);
	errno = 0;
	log_capture();
	assert_null(sl_kvargs_parse("net_x0", many, NULL));
	log_end();
	assert_int_equal(errno, E2BIG);
}

/* ---- getters ---- */

static void
test_get_uint(void **state)
{
	struct sl_kvargs *kv;
	uint64_t v = 7;
	const char *log;

	(void)state;
	kv = sl_kvargs_parse("net_x0", "size=64,copy=0x10,name=12x,mac=-1", keys);
	assert_non_null(kv);
	assert_int_equal(sl_kvargs_get_uint(kv, "size", 1, 100, &v), 0);
	assert_int_equal(v, 64);
	assert_int_equal(sl_kvargs_get_uint(kv, "copy", 0, 100, &v), 0);
	assert_int_equal(v, 16);

	v = 7;
	assert_int_equal(sl_kvargs_get_uint(kv, "absent", 0, 100, &v), -ENOENT);
	assert_int_equal(v, 7);

	log_capture();
	assert_int_equal(sl_kvargs_get_uint(kv, "size", 65, 9000, &v), -ERANGE);
	log = log_end();
	assert_int_equal(v, 7);
	assert_logged(log, "'64'");
	assert_logged(log, "'size'");
	assert_logged(log, "65..9000");

	log_capture();
	assert_int_equal(sl_kvargs_get_uint(kv, "name", 0, 100, &v), -EINVAL);
	log = log_end();
	assert_logged(log, "'12x'");
	assert_logged(log, "'name'");

	log_capture();
	assert_int_equal(sl_kvargs_get_uint(kv, "mac", 0, 100, &v), -EINVAL);
	log = log_end();
	assert_logged(log, "'-1'");
	assert_int_equal(v, 7);
	sl_kvargs_free(kv);

	kv = sl_kvargs_parse("net_x0", "size=99999999999999999999999", keys);
	assert_non_null(kv);
	log_capture();
	assert_int_equal(sl_kvargs_get_uint(kv, "size", 0, UINT64_MAX, &v), -ERANGE);
	log_end();
	sl_kvargs_free(kv);
}

static void
test_get_bool(void **state)
{
	static const struct {
		const char *s;
		int ret;
		bool v;
	} cases[] = {
		{ "1", 0, true }, { "0", 0, false }, { "true", 0, true }, { "FALSE", 0, false },
		{ "yes", 0, true }, { "no", 0, false }, { "On", 0, true }, { "off", 0, false },
		{ "", 0, true }, { "maybe", -EINVAL, false }, { "2", -EINVAL, false },
	};

	(void)state;
	for (unsigned int i = 0; i < SL_DIM(cases); i++) {
		char args[64];
		struct sl_kvargs *kv;
		bool v = !cases[i].v;
		const char *log;

		snprintf(args, sizeof(args), "copy=%s", cases[i].s);
		kv = sl_kvargs_parse("net_x0", args, keys);
		assert_non_null(kv);
		log_capture();
		assert_int_equal(sl_kvargs_get_bool(kv, "copy", &v), cases[i].ret);
		log = log_end();
		if (cases[i].ret == 0) {
			assert_int_equal(v, cases[i].v);
		} else {
			assert_logged(log, "'copy'");
			assert_logged(log, cases[i].s);
		}
		assert_int_equal(sl_kvargs_get_bool(kv, "size", &v), -ENOENT);
		sl_kvargs_free(kv);
	}
}

static void
test_get_string(void **state)
{
	struct sl_kvargs *kv;
	char buf[8];
	const char *log;

	(void)state;
	kv = sl_kvargs_parse("net_x0", "name=abc,copy=abcdefghij,size=", keys);
	assert_non_null(kv);
	assert_int_equal(sl_kvargs_get_string(kv, "name", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "abc");
	log_capture();
	assert_int_equal(sl_kvargs_get_string(kv, "copy", buf, sizeof(buf)), -ENAMETOOLONG);
	log = log_end();
	assert_logged(log, "'abcdefghij'");
	assert_logged(log, "at most 7");
	assert_string_equal(buf, "abc");
	log_capture();
	assert_int_equal(sl_kvargs_get_string(kv, "size", buf, sizeof(buf)), -EINVAL);
	log = log_end();
	assert_logged(log, "'size'");
	assert_int_equal(sl_kvargs_get_string(kv, "mac", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(sl_kvargs_get_string(kv, "name", NULL, 0), -EINVAL);
	sl_kvargs_free(kv);
}

static void
test_get_mac(void **state)
{
	static const uint8_t want[6] = { 0x02, 0x00, 0xab, 0xcd, 0x0e, 0xff };
	struct sl_kvargs *kv;
	uint8_t mac[6] = { 0 };
	const char *log;

	(void)state;
	kv = sl_kvargs_parse("net_x0", "mac=02:00:AB:cd:e:ff", keys);
	assert_non_null(kv);
	assert_int_equal(sl_kvargs_get_mac(kv, "mac", mac), 0);
	assert_memory_equal(mac, want, 6);
	sl_kvargs_free(kv);

	kv = sl_kvargs_parse("net_x0", "mac=02-00-ab-cd-0e-ff", keys);
	assert_non_null(kv);
	memset(mac, 0, 6);
	assert_int_equal(sl_kvargs_get_mac(kv, "mac", mac), 0);
	assert_memory_equal(mac, want, 6);
	sl_kvargs_free(kv);

	kv = sl_kvargs_parse("net_x0", "mac=02:00:ab:cd:0e", keys);
	assert_non_null(kv);
	memset(mac, 0x55, 6);
	log_capture();
	assert_int_equal(sl_kvargs_get_mac(kv, "mac", mac), -EINVAL);
	log = log_end();
	assert_logged(log, "'02:00:ab:cd:0e'");
	assert_logged(log, "'mac'");
	assert_int_equal(mac[0], 0x55);
	assert_int_equal(sl_kvargs_get_mac(kv, "size", mac), -ENOENT);
	sl_kvargs_free(kv);
}

/* sl_ether_addr_parse/format: the kvargs MAC getter and apps rely on them. */
static void
test_ether_addr_text(void **state)
{
	struct sl_ether_addr a, b;
	char buf[SL_ETHER_ADDR_FMT_SIZE], small[6];
	static const char *const bad[] = {
		"", "02:00:00:00:00", "02:00:00:00:00:00:00", "02:00-00:00:00:00", "0g:00:00:00:00:00",
		"123:00:00:00:00:00", "0200.0000.000", "02:00:00:00:00:00 ", "0200.0000.0001.",
	};

	(void)state;
	assert_int_equal(sl_ether_addr_parse("0a:1b:2c:3d:4e:5f", &a), 0);
	sl_ether_addr_format(buf, sizeof(buf), &a);
	assert_string_equal(buf, "0a:1b:2c:3d:4e:5f");
	assert_int_equal(sl_ether_addr_parse("0a1b.2c3d.4e5f", &b), 0);
	assert_true(sl_ether_addr_is_equal(&a, &b));
	sl_ether_addr_format(small, sizeof(small), &a);
	assert_string_equal(small, "0a:1b");
	for (unsigned int i = 0; i < SL_DIM(bad); i++) {
		b = a;
		if (sl_ether_addr_parse(bad[i], &b) != -EINVAL) {
			print_error("accepted '%s'\n", bad[i]);
			fail();
		}
		assert_true(sl_ether_addr_is_equal(&a, &b));
	}
	assert_int_equal(sl_ether_addr_parse(NULL, &a), -EINVAL);

	sl_ether_addr_random(&a);
	assert_true(sl_ether_addr_is_unicast(&a));
	assert_true(sl_ether_addr_is_local_admin(&a));
	assert_true(sl_ether_addr_is_valid_assigned(&a));
	memset(&b, 0xff, sizeof(b));
	assert_true(sl_ether_addr_is_broadcast(&b));
	assert_true(sl_ether_addr_is_multicast(&b));
	assert_false(sl_ether_addr_is_valid_assigned(&b));
	memset(&b, 0, sizeof(b));
	assert_true(sl_ether_addr_is_zero(&b));
	assert_false(sl_ether_addr_is_valid_assigned(&b));
	assert_int_equal(sl_be16(0x1234), 0x3412);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_empty),
		cmocka_unit_test(test_parse_any_key),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_parse_limits),
		cmocka_unit_test(test_get_uint),
		cmocka_unit_test(test_get_bool),
		cmocka_unit_test(test_get_string),
		cmocka_unit_test(test_get_mac),
		cmocka_unit_test(test_ether_addr_text),
	};
	int ret = cmocka_run_group_tests_name("kvargs", tests, NULL, NULL);

	log_free();
	return sl_test_exit(ret);
}
