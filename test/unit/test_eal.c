/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of lib/eal: options, logging, lcores, TSC, MMIO helpers,
 * memory (hugepage and --no-huge), IOVA, memsegs, memory events, heap,
 * memzones, buses and devargs, file prefixes and stale files.
 *
 * Hugepage tests borrow 2 MiB pages through sl_test_hugepages and skip
 * when not root.  Every init uses its own --file-prefix so that test
 * programs running at the same time never share hugepage files.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "sl_test.h"

#include "sl_eal.h"
#include "sl_mmio.h"
#include "sl_test_hugepages.h"

#define MB (1ul << 20)
#define HP (2ul << 20)

static char pfx[64];   /* this process's --file-prefix */
static char hdir[512]; /* hugetlbfs dir from the fixture */
static int ncpus;      /* CPUs this process may use */

/* ---- helpers ---------------------------------------------------------- */

static FILE *cap;
static char capbuf[65536];

static void
cap_start(void)
{
	cap = tmpfile();
	assert_non_null(cap);
	sl_log_set_stream(cap);
}

static const char *
cap_end(void)
{
	size_t n;

	sl_log_set_stream(NULL);
	fflush(cap);
	rewind(cap);
	n = fread(capbuf, 1, sizeof(capbuf) - 1, cap);
	capbuf[n] = '\0';
	fclose(cap);
	cap = NULL;
	return capbuf;
}

#define ARGC(a) ((int)SL_DIM(a))

/* sl_eal_init() with "test_eal" as argv[0] and the given options. */
#define EAL_INIT(...)                                              \
	({                                                         \
		char *a_[] = {"test_eal", __VA_ARGS__};            \
		sl_eal_init(ARGC(a_), a_);                         \
	})

/* Options for a hugepage-backed init in this process's own prefix. */
#define HUGE_OPTS "--huge-dir", hdir, "--file-prefix", pfx, "--no-pci"
#define NOHUGE_OPTS "--no-huge", "--no-pci"

static void
require_hugepages(void)
{
	if (!sl_test_hugepages_available())
		SL_TEST_SKIP("no 2 MiB hugepages could be reserved (run as root with free memory)");
}

static void
require_two_cpus(void)
{
	if (ncpus < 2)
		SL_TEST_SKIP("needs CPUs 0 and 1 in the affinity mask, have %d usable", ncpus);
}

/* Expect init to fail with -EINVAL and log text naming every string given. */
static void
expect_bad(int argc, char **argv, const char *must1, const char *must2)
{
	const char *log;
	int ret;

	cap_start();
	ret = sl_eal_init(argc, argv);
	log = cap_end();
	if (ret != -EINVAL)
		print_error("args starting '%s' '%s': ret %d, log: %s\n", argv[1],
			    argc > 2 ? argv[2] : "", ret, log);
	assert_int_equal(ret, -EINVAL);
	assert_int_equal(sl_eal_is_initialized(), 0);
	if (must1 && strstr(log, must1) == NULL)
		print_error("log lacks '%s': %s\n", must1, log);
	assert_non_null(strstr(log, must1 ? must1 : ""));
	if (must2)
		assert_non_null(strstr(log, must2));
}

#define BAD(m1, m2, ...)                                            \
	do {                                                        \
		char *a_[] = {"test_eal", __VA_ARGS__};             \
		expect_bad(ARGC(a_), a_, m1, m2);                   \
	} while (0)

static int
file_exists(const char *dir, const char *name)
{
	char path[1024];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &st) == 0;
}

/* ---- logging ---------------------------------------------------------- */

static void
test_log_levels(void **state)
{
	(void)state;
	sl_log_reset();
	assert_int_equal(sl_log_get_level(NULL), SL_LOG_DEFAULT_LEVEL);
	assert_int_equal(sl_log_get_level("RING"), SL_LOG_DEFAULT_LEVEL);

	assert_int_equal(sl_log_set_level("RING", SL_LOG_DEBUG), 0);
	assert_int_equal(sl_log_get_level("RING"), SL_LOG_DEBUG);
	assert_int_equal(sl_log_get_level("ring"), SL_LOG_DEBUG); /* no case */
	assert_int_equal(sl_log_get_level("MEMPOOL"), SL_LOG_DEFAULT_LEVEL);

	/* Glob patterns; the last matching one wins. */
	assert_int_equal(sl_log_set_level("net_*", SL_LOG_ERR), 0);
	assert_int_equal(sl_log_get_level("NET_NULL"), SL_LOG_ERR);
	assert_int_equal(sl_log_set_level("net_null", SL_LOG_NOTICE), 0);
	assert_int_equal(sl_log_get_level("net_null"), SL_LOG_NOTICE);
	assert_int_equal(sl_log_get_level("net_ring"), SL_LOG_ERR);

	/* Global level leaves component levels alone. */
	assert_int_equal(sl_log_set_level(NULL, SL_LOG_WARNING), 0);
	assert_int_equal(sl_log_get_level(NULL), SL_LOG_WARNING);
	assert_int_equal(sl_log_get_level("EAL"), SL_LOG_WARNING);
	assert_int_equal(sl_log_get_level("RING"), SL_LOG_DEBUG);

	assert_true(sl_log_can_log(SL_LOG_DEBUG, "RING"));
	assert_false(sl_log_can_log(SL_LOG_INFO, "EAL"));
	assert_true(sl_log_can_log(SL_LOG_ERR, "EAL"));
	assert_true(sl_log_can_log(SL_LOG_WARNING, NULL));

	/* Bad input. */
	assert_int_equal(sl_log_set_level(NULL, 0), -EINVAL);
	assert_int_equal(sl_log_set_level(NULL, SL_LOG_DEBUG + 1), -EINVAL);
	assert_int_equal(sl_log_set_level("", SL_LOG_DEBUG), -EINVAL);
	assert_int_equal(sl_log_set_level("A_NAME_THAT_IS_FAR_TOO_LONG_FOR_IT", SL_LOG_DEBUG),
			 -ENAMETOOLONG);
	{
		char name[16];
		int ret = 0;

		for (int i = 0; i < 100 && ret == 0; i++) {
			snprintf(name, sizeof(name), "comp%d", i);
			ret = sl_log_set_level(name, SL_LOG_INFO);
		}
		assert_int_equal(ret, -ENOSPC);
	}

	sl_log_reset();
	assert_int_equal(sl_log_get_level("RING"), SL_LOG_DEFAULT_LEVEL);
	assert_int_equal(sl_log_get_level(NULL), SL_LOG_DEFAULT_LEVEL);
}

static void
test_log_parse_names(void **state)
{
	(void)state;
	assert_int_equal(sl_log_level_parse("emerg"), SL_LOG_EMERG);
	assert_int_equal(sl_log_level_parse("alert"), SL_LOG_ALERT);
	assert_int_equal(sl_log_level_parse("crit"), SL_LOG_CRIT);
	assert_int_equal(sl_log_level_parse("err"), SL_LOG_ERR);
	assert_int_equal(sl_log_level_parse("ERROR"), SL_LOG_ERR);
	assert_int_equal(sl_log_level_parse("warning"), SL_LOG_WARNING);
	assert_int_equal(sl_log_level_parse("Warn"), SL_LOG_WARNING);
	assert_int_equal(sl_log_level_parse("notice"), SL_LOG_NOTICE);
	assert_int_equal(sl_log_level_parse("info"), SL_LOG_INFO);
	assert_int_equal(sl_log_level_parse("debug"), SL_LOG_DEBUG);
	assert_int_equal(sl_log_level_parse("1"), 1);
	assert_int_equal(sl_log_level_parse("8"), 8);
	assert_int_equal(sl_log_level_parse("0"), -EINVAL);
	assert_int_equal(sl_log_level_parse("9"), -EINVAL);
	assert_int_equal(sl_log_level_parse("7x"), -EINVAL);
	assert_int_equal(sl_log_level_parse(""), -EINVAL);
	assert_int_equal(sl_log_level_parse(NULL), -EINVAL);
	assert_int_equal(sl_log_level_parse("verbose"), -EINVAL);

	assert_string_equal(sl_log_level_name(SL_LOG_ERR), "ERR");
	assert_string_equal(sl_log_level_name(SL_LOG_DEBUG), "DEBUG");
	assert_string_equal(sl_log_level_name(0), "?");
	assert_string_equal(sl_log_level_name(99), "?");
}

static void
vlog_helper(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sl_vlog(SL_LOG_NOTICE, "VTEST", fmt, ap);
	va_end(ap);
}

static void
test_log_output(void **state)
{
	const char *out;
	int y, mo, d, h, mi, s, us, n = 0;
	char lvl[16], comp[16];

	(void)state;
	sl_log_reset();
	cap_start();
	SL_LOG(ERR, RING, "bad count %u", 3u);
	SL_LOG(DEBUG, RING, "hidden %d", 1);         /* below INFO: dropped */
	sl_log(SL_LOG_INFO, NULL, "no component\n"); /* newline not doubled */
	vlog_helper("via %s", "vlog");
	sl_log(99, "CLAMP", "level clamped");       /* out of range: DEBUG, dropped */
	sl_log(0, "CLAMP", "level zero");           /* clamped to EMERG: printed */
	out = cap_end();

	assert_int_equal(sscanf(out, "%4d-%2d-%2dT%2d:%2d:%2d.%6dZ %15s %15[^:]: %n", &y, &mo,
				&d, &h, &mi, &s, &us, lvl, comp, &n), 9);
	assert_true(y >= 2024 && mo >= 1 && mo <= 12);
	assert_string_equal(lvl, "ERR");
	assert_string_equal(comp, "RING");
	assert_memory_equal(out + n, "bad count 3\n", 12);
	assert_null(strstr(out, "hidden"));
	assert_non_null(strstr(out, "INFO    USER: no component\n2"));
	assert_non_null(strstr(out, "NOTICE  VTEST: via vlog\n"));
	assert_null(strstr(out, "level clamped"));
	assert_non_null(strstr(out, "EMERG   CLAMP: level zero\n"));
	/* One line per message. */
	{
		int lines = 0;

		for (const char *p = out; *p; p++)
			lines += *p == '\n';
		assert_int_equal(lines, 4);
	}

	/* Very long messages are truncated but still end with a newline. */
	{
		char big[3000];

		memset(big, 'x', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		cap_start();
		SL_LOG(ERR, BIG, "%s", big);
		out = cap_end();
		assert_true(strlen(out) < 1100);
		assert_int_equal(out[strlen(out) - 1], '\n');
	}
}

static void
test_log_level_option(void **state)
{
	int ret;

	(void)state;
	sl_log_reset();
	ret = EAL_INIT(NOHUGE_OPTS, "-m", "8", "--log-level=ring:debug", "--log-level",
		       "warning", "--log-level=net_*:3");
	assert_true(ret > 0);
	assert_int_equal(sl_log_get_level("RING"), SL_LOG_DEBUG);
	assert_int_equal(sl_log_get_level(NULL), SL_LOG_WARNING);
	assert_int_equal(sl_log_get_level("net_e1000"), SL_LOG_CRIT);
	assert_int_equal(sl_eal_cleanup(), 0);
	sl_log_reset();
}

/* ---- options ---------------------------------------------------------- */

static void
test_options_bad(void **state)
{
	char longname[100], longprefix[80];

	(void)state;
	BAD("--bogus", "-h", "--bogus");
	BAD("'-z'", NULL, "-z");
	BAD("'-l' needs a value", NULL, "-l");
	BAD("'--file-prefix' needs a value", NULL, "--file-prefix");
	BAD("'abc'", "-l", "-l", "abc");
	BAD("'1-0'", "reversed", "-l", "1-0");
	BAD("'0,0'", "twice", "-l", "0,0");
	BAD("'0-'", "-l", "-l", "0-");
	BAD("','", "-l", "-l", ",");
	BAD("'-1'", "-l", "-l", "-1");
	BAD("'4095'", "not below", "-l", "4095");
	BAD("'0@4000'", "not available", "--lcores", "0@4000");
	BAD("'0@1'", "-l", "-l", "0@1"); /* pairs only with --lcores */
	BAD("'0-1@1'", "--lcores", "--lcores", "0-1@1");
	BAD("'0'", "given twice", "-l", "0", "-l", "0");
	BAD("'5'", "--main-lcore", "-l", "0", "--main-lcore", "5");
	BAD("'x'", "--main-lcore", "--main-lcore", "x");
	BAD("'0'", "-m", "-m", "0");
	BAD("'abc'", "-m", "-m", "abc");
	BAD("'10x'", "-m", "-m", "10x");
	BAD("-m and --socket-mem", NULL, "-m", "8", "--socket-mem", "8");
	BAD("'abc'", "--socket-mem", "--socket-mem", "abc");
	BAD("'1,,2'", "--socket-mem", "--socket-mem", "1,,2");
	BAD("'1,1,1,1,1,1,1,1,1'", "--socket-mem", "--socket-mem", "1,1,1,1,1,1,1,1,1");
	if (access("/sys/devices/system/node/node1", F_OK) != 0)
		BAD("'0,64'", "node 1", "--socket-mem", "0,64");
	BAD("16 MB", "--socket-limit", "--socket-mem", "16", "--socket-limit", "8");
	BAD("'x'", "--socket-limit", "--socket-limit", "x");
	BAD("'xx'", "--iova-mode", "--iova-mode=xx");
	BAD("'pa'", "--no-huge", "--no-huge", "--iova-mode=pa");
	BAD("--no-huge and --huge-dir", NULL, "--no-huge", "--huge-dir", "/tmp");
	BAD("''", "--huge-dir", "--huge-dir", "");
	BAD("'a/b'", "--file-prefix", "--file-prefix", "a/b");
	BAD("''", "--file-prefix", "--file-prefix", "");
	BAD("'.x'", "--file-prefix", "--file-prefix", ".x");
	memset(longprefix, 'p', sizeof(longprefix) - 1);
	longprefix[sizeof(longprefix) - 1] = '\0';
	BAD(longprefix, "--file-prefix", "--file-prefix", longprefix);
	BAD("'bogus'", "--log-level", "--log-level=bogus");
	BAD("':debug'", "--log-level", "--log-level=:debug");
	BAD("'eal:loud'", "--log-level", "--log-level=eal:loud");
	BAD("'b1'", "cannot be combined", "-a", "a1", "-b", "b1");
	BAD("'a1'", "cannot be combined", "--block", "b1", "--allow", "a1");
	BAD("',size=1'", "--vdev", "--vdev", ",size=1");
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	BAD(longname, "--vdev", "--vdev", longname);
	/* Nothing was left behind by the failures. */
	assert_int_equal(sl_devargs_count(SL_DEVTYPE_ALLOWED), 0);
	assert_int_equal(sl_devargs_count(SL_DEVTYPE_BLOCKED), 0);
	assert_int_equal(sl_devargs_count(SL_DEVTYPE_VDEV), 0);
	assert_int_equal(sl_lcore_count(), 0);
	sl_log_reset();
}

static void
test_options_consumed(void **state)
{
	int ret;

	(void)state;
	{
		char *a[] = {"prog", "--no-huge", "--no-pci", "-m", "8", "--", "app1", "app2"};

		ret = sl_eal_init(ARGC(a), a);
		assert_int_equal(ret, 5);
		/* argv[ret] is the program name, for the application's parser. */
		assert_string_equal(a[ret], "prog");
		assert_string_equal(a[ret + 1], "app1");
		assert_int_equal(sl_eal_cleanup(), 0);
	}
	{
		/* Stops at the first non-option without "--". */
		char *a[] = {"prog", "--no-huge", "--no-pci", "file.pcap", "-m", "8"};

		ret = sl_eal_init(ARGC(a), a);
		assert_int_equal(ret, 2);
		assert_string_equal(a[2], "prog");
		assert_string_equal(a[3], "file.pcap");
		assert_int_equal(sl_eal_cleanup(), 0);
	}
	{
		char *a[] = {"prog", "-h"};
		FILE *saved = stdout;

		stdout = fopen("/dev/null", "w");
		ret = sl_eal_init(ARGC(a), a);
		fclose(stdout);
		stdout = saved;
		assert_int_equal(ret, SL_EAL_HELP_SHOWN);
		assert_int_equal(sl_eal_is_initialized(), 0);
	}
	{
		char buf[8192] = "";
		FILE *f = fmemopen(buf, sizeof(buf) - 1, "w");

		sl_eal_usage(f);
		fclose(f);
		for (const char *o = "--lcores\0--main-lcore\0-m MB\0--socket-mem\0--huge-dir\0"
				     "--no-huge\0--file-prefix\0--iova-mode\0--log-level\0--allow\0"
				     "--block\0--vdev\0--no-pci\0--help\0";
		     *o; o += strlen(o) + 1)
			assert_non_null(strstr(buf, o));
	}
}

static void
test_reinit(void **state)
{
	(void)state;
	assert_int_equal(sl_eal_cleanup(), -ENODEV);
	assert_int_equal(sl_eal_is_initialized(), 0);
	for (int i = 0; i < 3; i++) {
		int ret = EAL_INIT(NOHUGE_OPTS, "-m", "8");

		assert_true(ret > 0);
		assert_int_equal(sl_eal_is_initialized(), 1);
		assert_int_equal(EAL_INIT(NOHUGE_OPTS), -EALREADY);
		assert_int_equal(sl_eal_cleanup(), 0);
		assert_int_equal(sl_eal_is_initialized(), 0);
	}
	assert_int_equal(sl_eal_cleanup(), -ENODEV);
}

static void
test_devargs(void **state)
{
	const struct sl_devargs *da;

	(void)state;
	assert_true(EAL_INIT(NOHUGE_OPTS, "-m", "8", "-a", "mydev0,k=v,x=1", "--allow",
			     "mydev1") > 0);
	assert_int_equal(sl_eal_no_pci(), 1);
	assert_int_equal(sl_devargs_count(SL_DEVTYPE_ALLOWED), 2);
	assert_int_equal(sl_devargs_count(SL_DEVTYPE_BLOCKED), 0);
	da = sl_devargs_get(SL_DEVTYPE_ALLOWED, 0);
	assert_non_null(da);
	assert_int_equal(da->type, SL_DEVTYPE_ALLOWED);
	assert_string_equal(da->name, "mydev0");
	assert_string_equal(da->args, "k=v,x=1");
	da = sl_devargs_get(SL_DEVTYPE_ALLOWED, 1);
	assert_string_equal(da->name, "mydev1");
	assert_string_equal(da->args, "");
	assert_null(sl_devargs_get(SL_DEVTYPE_ALLOWED, 2));
	assert_null(sl_devargs_get(SL_DEVTYPE_VDEV, 0));
	assert_ptr_equal(sl_devargs_find(SL_DEVTYPE_ALLOWED, "mydev1"), da);
	assert_null(sl_devargs_find(SL_DEVTYPE_ALLOWED, "nope"));
	assert_null(sl_devargs_find(SL_DEVTYPE_ALLOWED, NULL));

	/* Programmatic use and its errors. */
	assert_int_equal(sl_devargs_add(SL_DEVTYPE_VDEV, "net_x0,a=1"), 0);
	assert_int_equal(sl_devargs_count(SL_DEVTYPE_VDEV), 1);
	assert_string_equal(sl_devargs_get(SL_DEVTYPE_VDEV, 0)->args, "a=1");
	cap_start();
	assert_int_equal(sl_devargs_add(SL_DEVTYPE_BLOCKED, "b0"), -EINVAL);
	assert_int_equal(sl_devargs_add(SL_DEVTYPE_VDEV, ""), -EINVAL);
	assert_int_equal(sl_devargs_add(SL_DEVTYPE_VDEV, NULL), -EINVAL);
	assert_int_equal(sl_devargs_add((enum sl_devtype)7, "x"), -EINVAL);
	{
		char args[300];

		memset(args, 'a', sizeof(args) - 1);
		args[sizeof(args) - 1] = '\0';
		args[3] = ',';
		assert_int_equal(sl_devargs_add(SL_DEVTYPE_VDEV, args), -ENAMETOOLONG);
	}
	{
		int ret = 0;

		for (int i = 0; i < 100 && ret == 0; i++)
			ret = sl_devargs_add(SL_DEVTYPE_VDEV, "many");
		assert_int_equal(ret, -ENOSPC);
	}
	cap_end();
	assert_int_equal(sl_eal_cleanup(), 0);
	/* Cleanup forgets them. */
	assert_int_equal(sl_devargs_count(SL_DEVTYPE_ALLOWED), 0);
	assert_int_equal(sl_devargs_count(SL_DEVTYPE_VDEV), 0);
	assert_int_equal(sl_eal_no_pci(), 0);

	assert_true(EAL_INIT(NOHUGE_OPTS, "-m", "8", "-b", "blk0", "--block", "blk1") > 0);
	assert_int_equal(sl_devargs_count(SL_DEVTYPE_BLOCKED), 2);
	assert_string_equal(sl_devargs_get(SL_DEVTYPE_BLOCKED, 1)->name, "blk1");
	sl_devargs_clear();
	assert_int_equal(sl_devargs_count(SL_DEVTYPE_BLOCKED), 0);
	assert_int_equal(sl_eal_cleanup(), 0);
}

/* ---- buses ------------------------------------------------------------ */

static char bus_events[256];
static int bus_b_probe_ret, bus_b_scan_ret;

static void
bus_event(const char *ev)
{
	strncat(bus_events, ev, sizeof(bus_events) - strlen(bus_events) - 1);
}

static int scan_a(void) { bus_event("sA,"); return 0; }
static int probe_a(void) { bus_event("pA,"); return 0; }
static void cleanup_a(void) { bus_event("cA,"); }
static int scan_b(void) { bus_event("sB,"); return bus_b_scan_ret; }
static int probe_b(void) { bus_event("pB,"); return bus_b_probe_ret; }
static void cleanup_b(void) { bus_event("cB,"); }

static struct sl_bus bus_a = {.name = "test_a", .scan = scan_a, .probe = probe_a,
			      .cleanup = cleanup_a};
static struct sl_bus bus_b = {.name = "test_b", .scan = scan_b, .probe = probe_b,
			      .cleanup = cleanup_b};
static struct sl_bus bus_ctor = {.name = "test_ctor"};
SL_REGISTER_BUS(bus_ctor)

static void
test_bus(void **state)
{
	struct sl_bus dup = {.name = "test_ctor"};
	const char *log;

	(void)state;
	/* Registered by the constructor before main(). */
	assert_ptr_equal(sl_bus_find_by_name("test_ctor"), &bus_ctor);
	assert_null(sl_bus_find_by_name("no_such_bus"));
	assert_null(sl_bus_find_by_name(NULL));
	cap_start();
	sl_bus_register(&dup);
	sl_bus_register(NULL);
	log = cap_end();
	assert_ptr_equal(sl_bus_find_by_name("test_ctor"), &bus_ctor);
	assert_non_null(strstr(log, "registered twice"));

	sl_bus_register(&bus_a);
	sl_bus_register(&bus_b);
	assert_ptr_equal(sl_bus_find_by_name("test_b"), &bus_b);

	/* Scan all, then probe all; cleanup in reverse. */
	bus_events[0] = '\0';
	assert_true(EAL_INIT(NOHUGE_OPTS, "-m", "8") > 0);
	assert_string_equal(bus_events, "sA,sB,pA,pB,");
	assert_int_equal(sl_eal_cleanup(), 0);
	assert_string_equal(bus_events, "sA,sB,pA,pB,cB,cA,");

	/* A failing probe fails init with its error; scanned buses are cleaned. */
	bus_events[0] = '\0';
	bus_b_probe_ret = -EIO;
	cap_start();
	assert_int_equal(EAL_INIT(NOHUGE_OPTS, "-m", "8"), -EIO);
	log = cap_end();
	assert_non_null(strstr(log, "probe of bus 'test_b' failed"));
	assert_string_equal(bus_events, "sA,sB,pA,pB,cB,cA,");
	assert_int_equal(sl_eal_is_initialized(), 0);
	assert_int_equal(sl_lcore_count(), 0);
	bus_b_probe_ret = 0;

	/* A failing scan too, before any probe. */
	bus_events[0] = '\0';
	bus_b_scan_ret = -ENXIO;
	cap_start();
	assert_int_equal(EAL_INIT(NOHUGE_OPTS, "-m", "8"), -ENXIO);
	log = cap_end();
	assert_non_null(strstr(log, "scan of bus 'test_b' failed"));
	assert_string_equal(bus_events, "sA,sB,cB,cA,");
	bus_b_scan_ret = 0;

	sl_bus_unregister(&bus_a);
	sl_bus_unregister(&bus_b);
	assert_null(sl_bus_find_by_name("test_a"));
	bus_events[0] = '\0';
	assert_true(EAL_INIT(NOHUGE_OPTS, "-m", "8") > 0);
	assert_int_equal(sl_eal_cleanup(), 0);
	assert_string_equal(bus_events, "");
}

/* ---- lcores ----------------------------------------------------------- */

struct lc_rec {
	unsigned int id;
	int cpu;
	int socket;
};

static int
record_lcore(void *p)
{
	struct lc_rec *r = &((struct lc_rec *)p)[sl_lcore_id()];

	r->id = sl_lcore_id();
	r->cpu = sched_getcpu();
	r->socket = sl_socket_id();
	return 100 + (int)sl_lcore_id();
}

static volatile int release_flag;

static int
wait_release(void *p)
{
	(void)p;
	while (!__atomic_load_n(&release_flag, __ATOMIC_ACQUIRE))
		sl_delay_us_sleep(200);
	return 7;
}

static void *
non_eal_thread(void *p)
{
	*(unsigned int *)p = sl_lcore_id();
	return NULL;
}

static void
test_lcores(void **state)
{
	struct lc_rec rec[SL_MAX_LCORE];
	cpu_set_t before, after;
	unsigned int i, n, other;
	pthread_t t;

	(void)state;
	require_two_cpus();
	assert_int_equal(sl_lcore_id(), SL_LCORE_ID_ANY);
	assert_int_equal(sl_lcore_count(), 0);
	assert_int_equal(sl_get_main_lcore(), SL_LCORE_ID_ANY);
	assert_int_equal(sl_eal_remote_launch(record_lcore, rec, 1), -ENODEV);
	sched_getaffinity(0, sizeof(before), &before);

	assert_true(EAL_INIT(NOHUGE_OPTS, "-m", "8", "-l", "0-1") > 0);
	assert_int_equal(sl_lcore_count(), 2);
	assert_int_equal(sl_get_main_lcore(), 0);
	assert_int_equal(sl_lcore_id(), 0);
	assert_true(sl_lcore_is_enabled(0));
	assert_true(sl_lcore_is_enabled(1));
	assert_false(sl_lcore_is_enabled(2));
	assert_false(sl_lcore_is_enabled(SL_LCORE_ID_ANY));
	assert_int_equal(sl_lcore_to_cpu_id(1), 1);
	assert_int_equal(sl_lcore_to_cpu_id(5), -EINVAL);
	assert_true(sl_lcore_to_socket_id(0) >= 0);
	assert_int_equal(sl_lcore_to_socket_id(5), SL_SOCKET_ID_ANY);
	assert_int_equal(sl_socket_id(), sl_lcore_to_socket_id(0));
	/* The main thread now runs on CPU 0 only. */
	assert_int_equal(sched_getcpu(), 0);

	assert_int_equal(sl_get_next_lcore((unsigned int)-1, 0, 0), 0);
	assert_int_equal(sl_get_next_lcore((unsigned int)-1, 1, 0), 1);
	assert_int_equal(sl_get_next_lcore(0, 0, 0), 1);
	assert_int_equal(sl_get_next_lcore(1, 0, 0), SL_MAX_LCORE);
	assert_int_equal(sl_get_next_lcore(1, 0, 1), 0);
	assert_int_equal(sl_get_next_lcore(1, 1, 1), 1);
	n = 0;
	SL_LCORE_FOREACH_WORKER(i) {
		assert_int_equal(i, 1);
		n++;
	}
	assert_int_equal(n, 1);
	n = 0;
	SL_LCORE_FOREACH(i)
		n++;
	assert_int_equal(n, 2);

	/* Launch on the worker: it runs with its own id, on its own CPU. */
	memset(rec, 0xff, sizeof(rec));
	assert_int_equal(sl_eal_get_lcore_state(1), SL_LCORE_WAIT);
	assert_int_equal(sl_eal_remote_launch(record_lcore, rec, 1), 0);
	assert_int_equal(sl_eal_wait_lcore(1), 101);
	assert_int_equal(rec[1].id, 1);
	assert_int_equal(rec[1].cpu, 1);
	assert_int_equal(rec[1].socket, sl_lcore_to_socket_id(1));
	assert_int_equal(sl_eal_get_lcore_state(1), SL_LCORE_WAIT);
	assert_int_equal(sl_eal_wait_lcore(1), 0); /* nothing to collect */

	/* Errors. */
	assert_int_equal(sl_eal_remote_launch(record_lcore, rec, 0), -EINVAL); /* main */
	assert_int_equal(sl_eal_remote_launch(record_lcore, rec, 9), -EINVAL);
	assert_int_equal(sl_eal_remote_launch(NULL, rec, 1), -EINVAL);
	assert_int_equal(sl_eal_wait_lcore(9), -EINVAL);
	assert_int_equal(sl_eal_get_lcore_state(9), -EINVAL);
	assert_int_equal(sl_eal_mp_remote_launch(NULL, NULL, 0), -EINVAL);

	/* Busy worker: a second launch and cleanup are refused. */
	release_flag = 0;
	assert_int_equal(sl_eal_remote_launch(wait_release, NULL, 1), 0);
	assert_int_equal(sl_eal_get_lcore_state(1), SL_LCORE_RUNNING);
	assert_int_equal(sl_eal_remote_launch(record_lcore, rec, 1), -EBUSY);
	assert_int_equal(sl_eal_mp_remote_launch(record_lcore, rec, 0), -EBUSY);
	cap_start();
	assert_int_equal(sl_eal_cleanup(), -EBUSY);
	assert_non_null(strstr(cap_end(), "still running"));
	__atomic_store_n(&release_flag, 1, __ATOMIC_RELEASE);
	assert_int_equal(sl_eal_wait_lcore(1), 7);
	/* Finished but uncollected also blocks a launch. */
	assert_int_equal(sl_eal_remote_launch(record_lcore, rec, 1), 0);
	while (sl_eal_get_lcore_state(1) != SL_LCORE_FINISHED)
		sl_delay_us_sleep(100);
	assert_int_equal(sl_eal_remote_launch(record_lcore, rec, 1), -EBUSY);
	assert_int_equal(sl_eal_wait_lcore(1), 101);

	/* Everywhere at once, main included. */
	memset(rec, 0xff, sizeof(rec));
	assert_int_equal(sl_eal_mp_remote_launch(record_lcore, rec, 1), 0);
	sl_eal_mp_wait_lcore();
	assert_int_equal(rec[0].id, 0);
	assert_int_equal(rec[0].cpu, 0);
	assert_int_equal(rec[1].id, 1);
	assert_int_equal(sl_eal_wait_lcore(0), 100); /* main's result */

	/* A thread the EAL did not create has no lcore id. */
	other = 0;
	pthread_create(&t, NULL, non_eal_thread, &other);
	pthread_join(t, NULL);
	assert_int_equal(other, SL_LCORE_ID_ANY);

	assert_int_equal(sl_eal_cleanup(), 0);
	assert_int_equal(sl_lcore_count(), 0);
	assert_int_equal(sl_lcore_id(), SL_LCORE_ID_ANY);
	/* The main thread got its CPUs back. */
	sched_getaffinity(0, sizeof(after), &after);
	assert_true(CPU_EQUAL(&before, &after));
}

static void
test_lcores_main_and_map(void **state)
{
	struct lc_rec rec[SL_MAX_LCORE];

	(void)state;
	require_two_cpus();
	/* Main lcore 1: the calling thread moves to CPU 1. */
	assert_true(EAL_INIT(NOHUGE_OPTS, "-m", "8", "-l", "0-1", "--main-lcore", "1") > 0);
	assert_int_equal(sl_get_main_lcore(), 1);
	assert_int_equal(sl_lcore_id(), 1);
	assert_int_equal(sched_getcpu(), 1);
	assert_int_equal(sl_get_next_lcore((unsigned int)-1, 1, 0), 0);
	assert_int_equal(sl_eal_remote_launch(record_lcore, rec, 0), 0);
	assert_int_equal(sl_eal_wait_lcore(0), 100);
	assert_int_equal(rec[0].cpu, 0);
	assert_int_equal(sl_eal_cleanup(), 0);

	/* lcore@cpu: lcore 5 on CPU 0, lcore 9 on CPU 1. */
	assert_true(EAL_INIT(NOHUGE_OPTS, "-m", "8", "--lcores", "5@0,9@1") > 0);
	assert_int_equal(sl_lcore_count(), 2);
	assert_int_equal(sl_get_main_lcore(), 5);
	assert_int_equal(sl_lcore_to_cpu_id(5), 0);
	assert_int_equal(sl_lcore_to_cpu_id(9), 1);
	assert_int_equal(sl_eal_remote_launch(record_lcore, rec, 9), 0);
	assert_int_equal(sl_eal_wait_lcore(9), 109);
	assert_int_equal(rec[9].cpu, 1);
	assert_int_equal(sl_eal_cleanup(), 0);

	/* One lcore: no workers. */
	assert_true(EAL_INIT(NOHUGE_OPTS, "-m", "8", "-l", "1") > 0);
	assert_int_equal(sl_lcore_count(), 1);
	assert_int_equal(sl_get_next_lcore((unsigned int)-1, 1, 1), SL_MAX_LCORE);
	assert_int_equal(sl_eal_mp_remote_launch(record_lcore, rec, 0), 0);
	assert_int_equal(sl_eal_cleanup(), 0);
}

/* ---- TSC and delays --------------------------------------------------- */

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void
test_tsc(void **state)
{
	uint64_t hz = sl_get_tsc_hz(), t0, c0, t1, c1, measured;
	double err;

	(void)state;
	assert_true(hz > 100000000ull && hz < 10000000000ull);
	assert_int_equal(sl_get_tsc_hz(), hz); /* cached */
	assert_true(strcmp(sl_get_tsc_source(), "cpuid-0x15") == 0 ||
		    strcmp(sl_get_tsc_source(), "cpuid-0x16") == 0 ||
		    strcmp(sl_get_tsc_source(), "calibrated") == 0 ||
		    strcmp(sl_get_tsc_source(), "cntfrq") == 0);

	/* Independent check over 200 ms against CLOCK_MONOTONIC. */
	t0 = now_ns();
	c0 = sl_rdtsc_precise();
	sl_delay_us_sleep(200000);
	t1 = now_ns();
	c1 = sl_rdtsc();
	measured = (c1 - c0) * 1000000000ull / (t1 - t0);
	err = ((double)measured - (double)hz) / (double)hz;
	if (err < 0)
		err = -err;
	print_message("TSC %llu Hz (%s), measured %llu Hz, error %.4f%%\n",
		      (unsigned long long)hz, sl_get_tsc_source(),
		      (unsigned long long)measured, err * 100);
	assert_true(err < 0.01);

	/* Busy delay lasts at least as asked. */
	t0 = now_ns();
	sl_delay_us(20000);
	t1 = now_ns();
	assert_true(t1 - t0 >= 19900000ull);
	assert_true(t1 - t0 < 2000000000ull);
	t0 = now_ns();
	sl_delay_us_sleep(5000);
	assert_true(now_ns() - t0 >= 5000000ull);
	sl_delay_us(0);

	/* Conversions, including ones that would overflow us * hz. */
	assert_int_equal(sl_us_to_tsc(1000000), hz);
	assert_int_equal(sl_us_to_tsc(0), 0);
	assert_true(sl_us_to_tsc(3600ull * 1000000 * 24 * 365) / 3600 / 24 / 365 == hz);
}

/* ---- MMIO helpers ----------------------------------------------------- */

static volatile uint32_t *poll_target;

static int
set_later(void *p)
{
	(void)p;
	sl_delay_us(20000);
	sl_write32(0xabcd0001, poll_target);
	return 0;
}

static void
test_mmio(void **state)
{
	uint64_t regs[4] __sl_aligned(64) = {0};
	uint64_t t0;

	(void)state;
	sl_write8(0x12, &regs[0]);
	assert_int_equal(sl_read8(&regs[0]), 0x12);
	sl_write16(0x3456, &regs[1]);
	assert_int_equal(sl_read16(&regs[1]), 0x3456);
	sl_write32(0x789abcde, &regs[2]);
	assert_int_equal(sl_read32(&regs[2]), 0x789abcde);
	sl_write64(0x0123456789abcdefull, &regs[3]);
	assert_true(sl_read64(&regs[3]) == 0x0123456789abcdefull);
	sl_write8_relaxed(0x21, &regs[0]);
	assert_int_equal(sl_read8_relaxed(&regs[0]), 0x21);
	sl_write16_relaxed(0x6543, &regs[1]);
	assert_int_equal(sl_read16_relaxed(&regs[1]), 0x6543);
	sl_write32_relaxed(0xdeadbeef, &regs[2]);
	assert_int_equal(sl_read32_relaxed(&regs[2]), 0xdeadbeef);
	sl_write64_relaxed(42, &regs[3]);
	assert_true(sl_read64_relaxed(&regs[3]) == 42);
	sl_io_wmb();
	sl_io_rmb();
	sl_smp_wmb();
	sl_smp_rmb();
	sl_smp_mb();
	sl_mb();
	sl_wmb();
	sl_rmb();

	/* Immediate match, and a mismatch that times out after ~10 ms. */
	assert_int_equal(sl_poll32(&regs[2], 0xffff0000, 0xdead0000, 1000), 0);
	assert_int_equal(sl_poll16(&regs[1], 0xff00, 0x6500, 1000), 0);
	assert_int_equal(sl_poll8(&regs[0], 0x0f, 0x01, 1000), 0);
	assert_int_equal(sl_poll64(&regs[3], ~0ull, 42, 1000), 0);
	t0 = now_ns();
	assert_int_equal(sl_poll32(&regs[2], 0x1, 0x0, 10000), -ETIMEDOUT);
	assert_true(now_ns() - t0 >= 9900000ull);
	assert_int_equal(sl_poll16(&regs[1], 0xffff, 0, 100), -ETIMEDOUT);
	assert_int_equal(sl_poll8(&regs[0], 0xff, 0, 100), -ETIMEDOUT);
	assert_int_equal(sl_poll64(&regs[3], ~0ull, 0, 100), -ETIMEDOUT);

	/* Another core sets the bit while we poll. */
	if (ncpus >= 2) {
		assert_true(EAL_INIT(NOHUGE_OPTS, "-m", "8", "-l", "0-1") > 0);
		poll_target = (volatile uint32_t *)&regs[2];
		sl_write32(0, poll_target);
		assert_int_equal(sl_eal_remote_launch(set_later, NULL, 1), 0);
		assert_int_equal(sl_poll32(poll_target, 0xffffffff, 0xabcd0001, 5000000), 0);
		assert_int_equal(sl_eal_wait_lcore(1), 0);
		assert_int_equal(sl_eal_cleanup(), 0);
	}
}

/* ---- memory ----------------------------------------------------------- */

struct walk_sum {
	unsigned int n;
	size_t bytes;
	size_t pgsz;
	int bad;
};

static int
sum_memseg(const struct sl_memseg *ms, void *arg)
{
	struct walk_sum *w = arg;

	w->n++;
	w->bytes += ms->len;
	if (ms->hugepage_sz != w->pgsz || ms->socket_id < 0 || ms->len == 0 ||
	    ms->len % ms->hugepage_sz != 0 ||
	    (sl_eal_iova_mode() == SL_IOVA_VA && ms->iova != (sl_iova_t)(uintptr_t)ms->addr))
		w->bad++;
	return 0;
}

static int
stop_at_first(const struct sl_memseg *ms, void *arg)
{
	(void)ms;
	(*(int *)arg)++;
	return 17;
}

static void
check_heap_memory(size_t pgsz)
{
	struct walk_sum w = {.pgsz = pgsz};
	int stack_var = 0, calls = 0;
	char *p;

	assert_int_equal(sl_memseg_walk(sum_memseg, &w), 0);
	assert_int_equal(w.n, sl_memseg_count());
	assert_true(w.n >= 1);
	assert_int_equal(w.bad, 0);
	assert_int_equal(w.bytes, sl_eal_mem_reserved(SL_SOCKET_ID_ANY));
	assert_int_equal(sl_memseg_walk(NULL, NULL), -EINVAL);
	assert_int_equal(sl_memseg_walk(stop_at_first, &calls), 17);
	assert_int_equal(calls, 1);

	p = sl_malloc("test", 1000, 0);
	assert_non_null(p);
	memset(p, 0x5a, 1000);
	assert_true(sl_mem_virt2iova(p) != SL_BAD_IOVA);
	assert_true(sl_mem_virt2iova(p + 999) == sl_mem_virt2iova(p) + 999);
	assert_ptr_equal(sl_mem_iova2virt(sl_mem_virt2iova(p + 10)), p + 10);
	if (sl_eal_iova_mode() == SL_IOVA_VA)
		assert_true(sl_mem_virt2iova(p) == (sl_iova_t)(uintptr_t)p);
	errno = 0;
	assert_true(sl_mem_virt2iova(&stack_var) == SL_BAD_IOVA);
	assert_int_equal(errno, EFAULT);
	errno = 0;
	assert_null(sl_mem_iova2virt(SL_BAD_IOVA - 1));
	assert_int_equal(errno, EFAULT);
	sl_free(p);
	assert_int_equal(sl_malloc_validate(), 0);
}

static void
test_memory_hugepages(void **state)
{
	long free0, free1;
	char name[128];

	(void)state;
	require_hugepages();
	free0 = sl_test_hugepages_free();
	assert_int_equal(sl_eal_has_hugepages(), 0);
	assert_int_equal(sl_eal_hugepage_size(), 0);
	assert_null(sl_eal_huge_dir());
	assert_int_equal(sl_eal_mem_reserved(SL_SOCKET_ID_ANY), 0);
	assert_int_equal(sl_memseg_count(), 0);

	assert_true(EAL_INIT(HUGE_OPTS, "-m", "16") > 0);
	assert_int_equal(sl_eal_has_hugepages(), 1);
	assert_int_equal(sl_eal_hugepage_size(), HP);
	assert_string_equal(sl_eal_huge_dir(), hdir);
	assert_string_equal(sl_eal_file_prefix(), pfx);
	assert_int_equal(sl_eal_iova_mode(), SL_IOVA_VA);
	assert_int_equal(sl_eal_mem_reserved(SL_SOCKET_ID_ANY), 16 * MB);
	assert_int_equal(sl_eal_mem_reserved(0), 16 * MB);
	assert_int_equal(sl_eal_mem_reserved(1), 0);
	/* 8 pages taken from the pool, in one locked file of our prefix. */
	free1 = sl_test_hugepages_free();
	assert_int_equal(free0 - free1, 8);
	snprintf(name, sizeof(name), "%smap_0", pfx);
	assert_true(file_exists(hdir, name));
	snprintf(name, sizeof(name), "%s.lock", pfx);
	assert_true(file_exists(hdir, name));
	{
		char path[1024];
		int fd;

		snprintf(path, sizeof(path), "%s/%smap_0", hdir, pfx);
		fd = open(path, O_RDWR);
		assert_true(fd >= 0);
		assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), -1);
		assert_int_equal(errno, EWOULDBLOCK);
		close(fd);
	}
	check_heap_memory(HP);

	/* Growth adds a second file, merged into the heap with the first. */
	{
		struct sl_malloc_socket_stats st;
		char *big = sl_malloc("big", 20 * MB, 0);

		assert_non_null(big);
		memset(big, 0x77, 20 * MB);
		snprintf(name, sizeof(name), "%smap_", pfx);
		assert_int_equal(sl_test_hugepages_count_files(name), 2);
		assert_true(sl_eal_mem_reserved(0) > 36 * MB);
		assert_int_equal(free0 - sl_test_hugepages_free(),
				 (long)(sl_eal_mem_reserved(0) / HP));
		sl_free(big);
		assert_int_equal(sl_malloc_validate(), 0);
		sl_malloc_get_socket_stats(0, &st);
		assert_int_equal(st.free_count, 1); /* both chunks are one free block */
		assert_int_equal(st.grow_count, 1);
		big = sl_malloc("all", st.greatest_free_size - 64, 0);
		assert_non_null(big);
		sl_free(big);
	}
	assert_int_equal(sl_eal_cleanup(), 0);

	/* Everything released: files, lock, pages. */
	snprintf(name, sizeof(name), "%smap_", pfx);
	assert_int_equal(sl_test_hugepages_count_files(name), 0);
	snprintf(name, sizeof(name), "%s.lock", pfx);
	assert_false(file_exists(hdir, name));
	assert_int_equal(sl_test_hugepages_free(), free0);
	assert_int_equal(sl_eal_has_hugepages(), 0);
	assert_int_equal(sl_memseg_count(), 0);

	/* --socket-mem gives the amount per node. */
	assert_true(EAL_INIT(HUGE_OPTS, "--socket-mem", "4") > 0);
	assert_int_equal(sl_eal_mem_reserved(0), 4 * MB);
	assert_int_equal(sl_eal_cleanup(), 0);
	assert_int_equal(sl_test_hugepages_free(), free0);
}

static void
test_memory_default_mount(void **state)
{
	const char *log;
	int ret;

	(void)state;
	require_hugepages();
	/* Without --huge-dir a writable hugetlbfs mount is found. */
	ret = EAL_INIT("--file-prefix", pfx, "--no-pci", "-m", "4");
	assert_true(ret > 0);
	assert_non_null(sl_eal_huge_dir());
	assert_int_equal(sl_eal_hugepage_size(), sl_eal_hugepage_size() & ~(4095ul));
	assert_int_equal(sl_eal_cleanup(), 0);

	/* A directory that is not hugetlbfs is refused with the fix. */
	cap_start();
	ret = EAL_INIT("--huge-dir", "/tmp", "--file-prefix", pfx, "--no-pci");
	log = cap_end();
	assert_int_equal(ret, -ENOENT);
	assert_non_null(strstr(log, "mount -t hugetlbfs nodev /tmp"));
	cap_start();
	ret = EAL_INIT("--huge-dir", "/nonexistent/dir", "--file-prefix", pfx, "--no-pci");
	cap_end();
	assert_int_equal(ret, -ENOENT);
}

static void
test_memory_nohuge(void **state)
{
	(void)state;
	assert_true(EAL_INIT(NOHUGE_OPTS, "-m", "8") > 0);
	assert_int_equal(sl_eal_has_hugepages(), 0);
	assert_int_equal(sl_eal_hugepage_size(), (size_t)sysconf(_SC_PAGESIZE));
	assert_null(sl_eal_huge_dir());
	assert_int_equal(sl_eal_iova_mode(), SL_IOVA_VA);
	assert_int_equal(sl_eal_mem_reserved(SL_SOCKET_ID_ANY), 8 * MB);
	check_heap_memory((size_t)sysconf(_SC_PAGESIZE));
	assert_int_equal(sl_eal_cleanup(), 0);

	/* Default amount without -m. */
	assert_true(EAL_INIT(NOHUGE_OPTS) > 0);
	assert_int_equal(sl_eal_mem_reserved(SL_SOCKET_ID_ANY), 64 * MB);
	assert_int_equal(sl_eal_cleanup(), 0);
}

/* Resident bytes (mincore) of every EAL memory segment. */
static int
sum_resident(const struct sl_memseg *ms, void *arg)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE), n = ms->len / pg;
	unsigned char *vec = malloc(n);

	if (vec == NULL || mincore(ms->addr, ms->len, vec) != 0) {
		free(vec);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		*(size_t *)arg += (vec[i] & 1) * pg;
	free(vec);
	return 0;
}

static size_t
eal_resident(void)
{
	size_t r = 0;

	assert_int_equal(sl_memseg_walk(sum_resident, &r), 0);
	return r;
}

/*
 * --no-huge: -m is a ceiling.  The window is mapped but only what the heap
 * hands out is resident, and that is resident before its user writes it:
 * writing every page of a fresh (not zeroed) block takes no page fault.
 */
static void
test_memory_nohuge_lazy(void **state)
{
	const size_t blk = 32 * MB, slack = 8 * MB;
	size_t pg = (size_t)sysconf(_SC_PAGESIZE), r0, r1;
	struct rusage u0, u1;
	char *p;

	(void)state;
	assert_true(EAL_INIT(NOHUGE_OPTS, "-m", "256") > 0);
	assert_int_equal(sl_eal_mem_reserved(SL_SOCKET_ID_ANY), 256 * MB);
	r0 = eal_resident();
	if (r0 > slack)
		print_error("%zu MiB of -m 256 resident before any allocation\n", r0 >> 20);
	assert_true(r0 <= slack);

	p = sl_malloc("lazy", blk, 0);
	assert_non_null(p);
	r1 = eal_resident();
	assert_true(r1 >= r0 + blk);
	assert_true(r1 <= r0 + blk + slack);
	/* RUSAGE_THREAD: other threads' faults do not count. */
	assert_int_equal(getrusage(RUSAGE_THREAD, &u0), 0);
	for (size_t off = 0; off < blk; off += pg)
		((volatile char *)p)[off] = 1;
	assert_int_equal(getrusage(RUSAGE_THREAD, &u1), 0);
	if (u1.ru_minflt != u0.ru_minflt || u1.ru_majflt != u0.ru_majflt)
		print_error("writing a fresh %zu MiB block took %ld page faults\n", blk >> 20,
			    (u1.ru_minflt - u0.ru_minflt) + (u1.ru_majflt - u0.ru_majflt));
	assert_int_equal(u1.ru_minflt, u0.ru_minflt);
	assert_int_equal(u1.ru_majflt, u0.ru_majflt);
	sl_free(p);
	assert_int_equal(sl_eal_cleanup(), 0);
}

/* --no-huge is for unprivileged use: run it as nobody in a child. */
static void
test_memory_nohuge_unprivileged(void **state)
{
	int status;
	pid_t pid;

	(void)state;
	if (geteuid() != 0)
		SL_TEST_SKIP("not root: the unprivileged case is test_memory_nohuge itself");
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char *a[] = {"child", "--no-huge", "--no-pci", "-m", "8"};
		char *b[] = {"child", "--no-pci", "-m", "8", "--iova-mode=pa"};
		void *p;
		int ret;

		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(10);
		sl_log_set_level(NULL, SL_LOG_EMERG);
		ret = sl_eal_init(ARGC(a), a);
		if (ret < 0)
			_exit(11);
		p = sl_malloc(NULL, 1 << 20, 0);
		if (p == NULL || sl_mem_virt2iova(p) != (sl_iova_t)(uintptr_t)p)
			_exit(12);
		sl_free(p);
		if (sl_eal_cleanup() != 0)
			_exit(13);
		/* PA mode needs root: refused with -EPERM before anything else. */
		if (sl_eal_init(ARGC(b), b) != -EPERM)
			_exit(14);
		/* Hugepages without access: refused, pointing at --no-huge. */
		{
			char *c[] = {"child", "--no-pci", "-m", "8", "--file-prefix", "unpriv"};
			char logbuf[4096] = "";
			FILE *f = fmemopen(logbuf, sizeof(logbuf) - 1, "w");

			sl_log_set_level(NULL, SL_LOG_ERR);
			sl_log_set_stream(f);
			ret = sl_eal_init(ARGC(c), c);
			sl_log_set_stream(NULL);
			fclose(f);
			if (ret >= 0)
				_exit(15);
			if (strstr(logbuf, "--no-huge") == NULL)
				_exit(16);
		}
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static uint64_t
pagemap_pa(const void *va)
{
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &e, 8, (off_t)((uintptr_t)va / 4096 * 8)) != 8)
		e = 0;
	close(fd);
	return (e & ((1ull << 55) - 1)) * 4096 + (uintptr_t)va % 4096;
}

static int
check_pa_seg(const struct sl_memseg *ms, void *arg)
{
	int *bad = arg;

	for (size_t off = 0; off < ms->len; off += ms->hugepage_sz)
		if (pagemap_pa((char *)ms->addr + off) != ms->iova + off)
			(*bad)++;
	return 0;
}

static void
test_memory_iova_pa(void **state)
{
	char *p;
	int bad = 0;

	(void)state;
	require_hugepages();
	assert_true(EAL_INIT(HUGE_OPTS, "-m", "8", "--iova-mode=pa") > 0);
	assert_int_equal(sl_eal_iova_mode(), SL_IOVA_PA);
	assert_int_equal(sl_memseg_walk(check_pa_seg, &bad), 0);
	assert_int_equal(bad, 0);
	p = sl_malloc("pa", 4096, 4096);
	assert_non_null(p);
	assert_true(sl_mem_virt2iova(p) == pagemap_pa(p));
	assert_true(sl_mem_virt2iova(p) != (sl_iova_t)(uintptr_t)p);
	assert_ptr_equal(sl_mem_iova2virt(sl_mem_virt2iova(p)), p);
	sl_free(p);
	/* Growth in PA mode keeps segments IOVA-contiguous.  A block larger
	 * than a page needs physically contiguous pages, which the kernel
	 * may not have: then the failure must say so. */
	cap_start();
	errno = 0;
	p = sl_malloc("pa", 6 * MB, 0);
	{
		const char *log = cap_end();

		if (p == NULL) {
			print_message("6 MB in PA mode: no contiguous pages (allowed)\n");
			assert_int_equal(errno, ENOMEM);
			assert_non_null(strstr(log, "no IOVA-contiguous run"));
		} else {
			assert_true(pagemap_pa(p + 6 * MB - 1) == sl_mem_virt2iova(p) + 6 * MB - 1);
		}
	}
	bad = 0;
	assert_int_equal(sl_memseg_walk(check_pa_seg, &bad), 0);
	assert_int_equal(bad, 0);
	sl_free(p);
	assert_int_equal(sl_malloc_validate(), 0);
	assert_int_equal(sl_eal_cleanup(), 0);
	assert_int_equal(sl_eal_iova_mode(), SL_IOVA_VA);
}

/* ---- memory events ---------------------------------------------------- */

struct ev_rec {
	int allocs, frees, in_table;
	size_t alloc_bytes, free_bytes;
	const void *last_addr;
	size_t last_len;
};

static void
ev_cb(enum sl_mem_event ev, const void *addr, size_t len, void *arg)
{
	struct ev_rec *r = arg;

	if (ev == SL_MEM_EVENT_ALLOC) {
		r->allocs++;
		r->alloc_bytes += len;
		/* The segment is visible to lock-free lookups already. */
		if (sl_mem_virt2iova((const char *)addr + len - 1) != SL_BAD_IOVA &&
		    sl_eal_mem_reserved(SL_SOCKET_ID_ANY) >= len)
			r->in_table++;
	} else if (ev == SL_MEM_EVENT_FREE) {
		r->frees++;
		r->free_bytes += len;
	}
	r->last_addr = addr;
	r->last_len = len;
}

static void
test_mem_events(void **state)
{
	struct ev_rec pre = {0}, post = {0};
	struct walk_sum w = {.pgsz = 0};
	struct sl_malloc_socket_stats st;
	unsigned int nseg;
	char *p;
	int x;

	(void)state;
	/* Registration errors. */
	assert_int_equal(sl_mem_event_callback_register(NULL, ev_cb, NULL), -EINVAL);
	assert_int_equal(sl_mem_event_callback_register("", ev_cb, NULL), -EINVAL);
	assert_int_equal(sl_mem_event_callback_register("x", NULL, NULL), -EINVAL);
	assert_int_equal(sl_mem_event_callback_unregister(NULL, NULL), -EINVAL);
	assert_int_equal(sl_mem_event_callback_unregister("nobody", NULL), -ENOENT);
	{
		char name[16];
		int ret = 0, n = 0;

		for (; n < 100 && ret == 0; n++) {
			snprintf(name, sizeof(name), "fill%d", n);
			ret = sl_mem_event_callback_register(name, ev_cb, &x);
		}
		assert_int_equal(ret, -ENOSPC);
		assert_int_equal(sl_mem_event_callback_register("fill0", ev_cb, &x), -EEXIST);
		for (int i = 0; i < n - 1; i++) {
			snprintf(name, sizeof(name), "fill%d", i);
			assert_int_equal(sl_mem_event_callback_unregister(name, &x), 0);
		}
	}

	/* Registered before init: hears the initial segments. */
	assert_int_equal(sl_mem_event_callback_register("test-pre", ev_cb, &pre), 0);
	assert_true(EAL_INIT(NOHUGE_OPTS, "--socket-mem", "4") > 0);
	assert_int_equal(pre.allocs, (int)sl_memseg_count());
	assert_int_equal(pre.in_table, pre.allocs);
	assert_int_equal(pre.alloc_bytes, 4 * MB);

	/* Registered after init: the registrant walks what exists first. */
	assert_int_equal(sl_mem_event_callback_register("test-post", ev_cb, &post), 0);
	assert_int_equal(post.allocs, 0); /* not replayed */
	w.pgsz = sl_eal_hugepage_size();
	sl_memseg_walk(sum_memseg, &w);
	assert_int_equal(w.bytes, 4 * MB);
	nseg = sl_memseg_count();

	/* Growth beyond the initial 4 MB fires ALLOC with the new range. */
	p = sl_malloc("big", 6 * MB, 0);
	assert_non_null(p);
	assert_true(sl_memseg_count() > nseg);
	assert_true(post.allocs >= 1);
	assert_int_equal(post.in_table, post.allocs);
	assert_int_equal(post.allocs, pre.allocs - (int)nseg);
	assert_true((const char *)post.last_addr <= p &&
		    p + 6 * MB <= (const char *)post.last_addr + post.last_len);
	assert_int_equal(sl_malloc_get_socket_stats(0, &st), 0);
	assert_int_equal(st.grow_count, 1);
	assert_int_equal(st.heap_totalsz_bytes, sl_eal_mem_reserved(0));
	sl_free(p);

	/* Unregistered: hears nothing more. */
	assert_int_equal(sl_mem_event_callback_unregister("test-post", &post), 0);
	assert_int_equal(sl_mem_event_callback_unregister("test-post", &post), -ENOENT);
	x = post.allocs;
	p = sl_malloc("big2", 16 * MB, 0);
	assert_non_null(p);
	assert_int_equal(post.allocs, x);
	sl_free(p);

	/* Cleanup sends FREE for every segment. */
	nseg = sl_memseg_count();
	w.n = 0;
	w.bytes = 0;
	sl_memseg_walk(sum_memseg, &w);
	assert_int_equal(sl_eal_cleanup(), 0);
	assert_int_equal(pre.frees, (int)nseg);
	assert_int_equal(pre.free_bytes, w.bytes);
	assert_int_equal(pre.alloc_bytes, w.bytes);
	assert_int_equal(post.frees, 0);
	assert_int_equal(sl_mem_event_callback_unregister("test-pre", &pre), 0);
	assert_int_equal(sl_mem_event_callback_unregister("fill99", &x), -ENOENT);
	{
		char name[16];

		for (int i = 0; i < 100; i++) {
			snprintf(name, sizeof(name), "fill%d", i);
			sl_mem_event_callback_unregister(name, &x);
		}
	}
}

/* ---- heap ------------------------------------------------------------- */

/* Socket 0's heap is consistent, has no block, and is one free piece. */
static void
assert_heap_empty(void)
{
	struct sl_malloc_socket_stats st;

	assert_int_equal(sl_malloc_validate(), 0);
	assert_int_equal(sl_malloc_get_socket_stats(0, &st), 0);
	assert_int_equal(st.alloc_count, 0);
	assert_int_equal(st.free_count, 1);
}

static void
test_malloc_basic(void **state)
{
	struct sl_malloc_socket_stats s0, s1;
	char *p, *q, *r;

	(void)state;
	errno = 0;
	assert_null(sl_malloc("x", 64, 0));
	assert_int_equal(errno, ENODEV);
	assert_int_equal(sl_malloc_validate(), -ENODEV);
	assert_int_equal(sl_malloc_get_socket_stats(0, &s0), -ENODEV);

	assert_true(EAL_INIT(NOHUGE_OPTS, "-m", "8") > 0);
	assert_int_equal(sl_malloc_get_socket_stats(0, &s0), 0);
	assert_int_equal(sl_malloc_get_socket_stats(0, NULL), -EINVAL);
	assert_int_equal(sl_malloc_get_socket_stats(-1, &s1), -EINVAL);
	assert_int_equal(s0.heap_totalsz_bytes, 8 * MB);
	assert_int_equal(s0.alloc_count, 0);
	assert_int_equal(s0.free_count, 1);

	/* Bad arguments. */
	errno = 0;
	assert_null(sl_malloc("x", 0, 0));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(sl_malloc("x", 64, 3));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(sl_malloc("x", 64, 1u << 31));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(sl_malloc("x", SIZE_MAX, 0));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	cap_start();
	assert_null(sl_malloc_socket("x", 64, 0, 7));
	assert_int_equal(errno, EINVAL);
	assert_null(sl_zmalloc_socket("x", 64, 0, -5));
	assert_non_null(strstr(cap_end(), "socket 7 has no memory"));
	errno = 0;
	assert_null(sl_calloc("x", SIZE_MAX / 2, 4, 0));
	assert_int_equal(errno, EINVAL);

	/* malloc/free, and zmalloc really zeroes reused memory. */
	p = sl_malloc("x", 5000, 0);
	assert_non_null(p);
	assert_true(SL_IS_ALIGNED(p, SL_CACHE_LINE_SIZE));
	assert_int_equal(sl_malloc_size(p), 5000);
	memset(p, 0xff, 5000);
	sl_free(p);
	q = sl_zmalloc("x", 5000, 0);
	assert_ptr_equal(q, p); /* same place, first fit from the end */
	for (int i = 0; i < 5000; i++)
		assert_int_equal(q[i], 0);
	sl_free(q);
	q = sl_zmalloc_socket("x", 300, 0, 0);
	assert_non_null(q);
	r = sl_calloc("x", 10, 30, 0);
	assert_non_null(r);
	for (int i = 0; i < 300; i++)
		assert_int_equal(r[i], 0);
	p = sl_malloc_socket("x", 100, 0, SL_SOCKET_ID_ANY);
	assert_non_null(p);
	sl_free(p);
	sl_free(r);
	sl_free(q);
	sl_free(NULL);
	assert_int_equal(sl_malloc_size(NULL), 0);

	/* All back in one piece. */
	assert_int_equal(sl_malloc_validate(), 0);
	assert_int_equal(sl_malloc_get_socket_stats(0, &s1), 0);
	assert_int_equal(s1.free_count, 1);
	assert_int_equal(s1.alloc_count, 0);
	assert_int_equal(s1.greatest_free_size, s0.greatest_free_size);
	assert_int_equal(sl_eal_cleanup(), 0);

	errno = 0;
	assert_null(sl_zmalloc("x", 64, 0));
	assert_int_equal(errno, ENODEV);
}

static void
test_malloc_align(void **state)
{
	void *ptrs[32];
	int n = 0;

	(void)state;
	assert_true(EAL_INIT(NOHUGE_OPTS, "-m", "16") > 0);
	for (unsigned int align = 1; align <= (2u << 20); align <<= 1) {
		for (size_t size = 1; size <= 70000; size *= 37) {
			char *p = sl_malloc("al", size, align);

			assert_non_null(p);
			assert_true(SL_IS_ALIGNED(p, SL_MAX(align, (unsigned int)SL_CACHE_LINE_SIZE)));
			assert_true(SL_IS_ALIGNED(sl_mem_virt2iova(p), align));
			memset(p, 0xa5, size);
			if (n < 32)
				ptrs[n++] = p;
			else
				sl_free(p);
		}
		assert_int_equal(sl_malloc_validate(), 0);
	}
	while (n > 0)
		sl_free(ptrs[--n]);
	assert_heap_empty();
	assert_int_equal(sl_eal_cleanup(), 0);
}

static void
test_malloc_coalesce(void **state)
{
	struct sl_malloc_socket_stats s0, s;
	char *a, *b, *c;

	(void)state;
	assert_true(EAL_INIT(NOHUGE_OPTS, "-m", "8") > 0);
	sl_malloc_get_socket_stats(0, &s0);
	a = sl_malloc("a", 1000, 0);
	b = sl_malloc("b", 1000, 0);
	c = sl_malloc("c", 1000, 0);
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	/* Carved from the end: c < b < a, adjacent. */
	assert_true(c < b && b < a);
	sl_malloc_get_socket_stats(0, &s);
	assert_int_equal(s.alloc_count, 3);
	assert_int_equal(s.free_count, 1);

	sl_free(b); /* hole between two busy blocks */
	sl_malloc_get_socket_stats(0, &s);
	assert_int_equal(s.free_count, 2);
	assert_int_equal(sl_malloc_validate(), 0);
	sl_free(a); /* merges with the hole behind it */
	sl_malloc_get_socket_stats(0, &s);
	assert_int_equal(s.free_count, 2);
	assert_int_equal(sl_malloc_validate(), 0);
	sl_free(c); /* merges with both sides: one block again */
	sl_malloc_get_socket_stats(0, &s);
	assert_int_equal(s.free_count, 1);
	assert_int_equal(s.alloc_count, 0);
	assert_int_equal(s.greatest_free_size, s0.greatest_free_size);
	assert_int_equal(s.heap_freesz_bytes, s0.heap_freesz_bytes);
	assert_int_equal(sl_malloc_validate(), 0);

	/* The freed space is reused: a block of the whole heap fits again. */
	a = sl_malloc("all", s0.greatest_free_size - 64, 0);
	assert_non_null(a);
	sl_free(a);
	assert_int_equal(sl_eal_cleanup(), 0);
}

static void
test_malloc_realloc(void **state)
{
	char *p, *q;

	(void)state;
	assert_true(EAL_INIT(NOHUGE_OPTS, "-m", "8") > 0);
	p = sl_realloc(NULL, 100, 0);
	assert_non_null(p);
	for (int i = 0; i < 100; i++)
		p[i] = (char)i;
	q = sl_realloc(p, 50, 0); /* shrink in place */
	assert_ptr_equal(q, p);
	assert_int_equal(sl_malloc_size(q), 50);
	q = sl_realloc(p, 100000, 0); /* grow: moves, keeps content */
	assert_non_null(q);
	for (int i = 0; i < 50; i++)
		assert_int_equal(q[i], (char)i);
	assert_int_equal(sl_malloc_size(q), 100000);
	p = sl_realloc(q, 100000, 4096); /* new alignment */
	assert_true(SL_IS_ALIGNED(p, 4096));
	assert_int_equal(p[49], 49);
	errno = 0;
	assert_null(sl_realloc(p, 10, 3));
	assert_int_equal(errno, EINVAL);
	assert_null(sl_realloc(p, 0, 0)); /* frees */
	cap_start();
	errno = 0;
	q = sl_malloc("x", 256, 0);
	assert_null(sl_realloc(q + 64, 10, 0));
	assert_int_equal(errno, EINVAL);
	cap_end();
	sl_free(q);
	assert_int_equal(sl_malloc_validate(), 0);
	assert_int_equal(sl_eal_cleanup(), 0);
}

#if defined(__SANITIZE_ADDRESS__)
#define TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_ASAN 1
#endif
#endif

#ifdef TEST_ASAN
static void
overrun_child(char *p)
{
	if (p)
		p[100] = 0x55; /* one past the 100 bytes asked for */
}

static void
use_after_free_child(char *p)
{
	sl_free(p);
	p[0] = 1;
}

/* Exit status of a child running fn(p) then _exit(0); stderr muted. */
static int
child_status(void (*fn)(char *), char *p)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 2);
		fn(p);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}
#endif

static void
test_malloc_bad_free(void **state)
{
	const char *log;
	char *p, *q;

	(void)state;
	assert_true(EAL_INIT(NOHUGE_OPTS, "-m", "8") > 0);
	p = sl_malloc("x", 100, 0);
	q = sl_zmalloc("y", 1000, 0);
#ifdef TEST_ASAN
	/* Under ASan the heap's slack and free space are poisoned: the
	 * overrun and a use after free kill the process on the spot. */
	assert_int_equal(child_status(overrun_child, p), 1);
	assert_int_equal(child_status(use_after_free_child, p), 1);
	assert_int_equal(child_status(overrun_child, NULL), 0); /* control */
	sl_free(p);
#else
	/* Overrun of the block's end is detected by validate and free. */
	p[100] = 0x55;
	cap_start();
	assert_int_equal(sl_malloc_validate(), -EFAULT);
	sl_free(p);
	log = cap_end();
	assert_non_null(strstr(log, "written past its end"));
	assert_non_null(strstr(log, "write past the end of the 100 byte block"));
#endif
	assert_int_equal(sl_malloc_validate(), 0);

	/* A pointer into the middle of a block, and a double free. */
	cap_start();
	sl_free(q + 128);
	log = cap_end();
	assert_non_null(strstr(log, "not a heap block"));
	cap_start();
	assert_int_equal(sl_malloc_size(q + 128), 0);
	assert_non_null(strstr(cap_end(), "sl_malloc_size"));
	sl_free(q);
	cap_start();
	sl_free(q);
	log = cap_end();
	assert_non_null(strstr(log, "sl_free"));
	assert_int_equal(sl_malloc_validate(), 0);
	/* Memory that is not the EAL's at all: not even its header is read. */
	{
		void *m = aligned_alloc(64, 4096);
		int local[16] __sl_aligned(64);

		cap_start();
		sl_free((char *)m + 64);
		sl_free(m);
		sl_free(&local[0]);
		assert_int_equal(sl_malloc_size(m), 0);
		log = cap_end();
		assert_non_null(strstr(log, "not a heap block"));
		free(m);
	}
	/* A pointer that is not even cache-line aligned. */
	p = sl_malloc("x", 100, 0);
	cap_start();
	sl_free(p + 1);
	assert_non_null(strstr(cap_end(), "not a heap block"));
	sl_free(p);
	assert_int_equal(sl_malloc_validate(), 0);
	assert_int_equal(sl_eal_cleanup(), 0);
}

static int
heap_stress(void *arg)
{
	void *live[32] = {0};
	size_t sizes[32] = {0};
	unsigned int seed = (unsigned int)sl_lcore_id() * 7919 + 1;
	size_t max = arg ? *(size_t *)arg : 9000;
	int iters = arg ? 3000 : 20000;
	int bad = 0;

	for (int it = 0; it < iters && !bad; it++) {
		int k = (int)(rand_r(&seed) % 32);

		if (live[k]) {
			unsigned char *c = live[k];

			for (size_t i = 0; i < sizes[k]; i += 61)
				if (c[i] != (unsigned char)(k + sl_lcore_id()))
					bad = 1;
			sl_free(live[k]);
			live[k] = NULL;
		} else {
			sizes[k] = 1 + rand_r(&seed) % max;
			live[k] = sl_malloc("stress", sizes[k], 1u << (rand_r(&seed) % 12));
			if (live[k] == NULL)
				return -1;
			memset(live[k], k + (int)sl_lcore_id(), sizes[k]);
		}
	}
	for (int k = 0; k < 32; k++)
		sl_free(live[k]);
	return bad;
}

static void
test_malloc_threads(void **state)
{
	(void)state;
	require_two_cpus();
	assert_true(EAL_INIT(NOHUGE_OPTS, "-m", "16", "-l", "0-1") > 0);
	assert_int_equal(sl_eal_mp_remote_launch(heap_stress, NULL, 1), 0);
	sl_eal_mp_wait_lcore();
	assert_int_equal(sl_eal_wait_lcore(0), 0);
	assert_heap_empty();
	assert_int_equal(sl_eal_cleanup(), 0);
}

/* Both lcores allocate large blocks at once, so the heap grows while the
 * other thread allocates and frees. */
static void
test_malloc_threads_grow(void **state)
{
	struct sl_malloc_socket_stats st;
	size_t max = 1 << 20;
	char name[112];

	(void)state;
	require_two_cpus();
	require_hugepages();
	assert_true(EAL_INIT(HUGE_OPTS, "--socket-mem", "2", "-l", "0-1") > 0);
	assert_int_equal(sl_eal_mp_remote_launch(heap_stress, &max, 1), 0);
	sl_eal_mp_wait_lcore();
	assert_int_equal(sl_eal_wait_lcore(0), 0);
	assert_int_equal(sl_malloc_validate(), 0);
	sl_malloc_get_socket_stats(0, &st);
	assert_int_equal(st.alloc_count, 0);
	assert_true(st.grow_count >= 1);
	assert_int_equal(st.heap_totalsz_bytes, sl_eal_mem_reserved(0));
	snprintf(name, sizeof(name), "%smap_", pfx);
	assert_int_equal(sl_test_hugepages_count_files(name), (int)st.grow_count + 1);
	assert_int_equal(sl_eal_cleanup(), 0);
	assert_int_equal(sl_test_hugepages_count_files(name), 0);
}

static void
test_malloc_limit(void **state)
{
	struct sl_malloc_socket_stats st;
	const char *log;
	void *p, *q;

	(void)state;
	assert_true(EAL_INIT(NOHUGE_OPTS, "--socket-mem", "2", "--socket-limit", "8") > 0);
	p = sl_malloc("a", 3 * MB, 0); /* grows within the limit */
	assert_non_null(p);
	cap_start();
	errno = 0;
	q = sl_malloc("b", 4 * MB, 0); /* would pass the limit */
	log = cap_end();
	assert_null(q);
	assert_int_equal(errno, ENOMEM);
	assert_non_null(strstr(log, "limit"));
	assert_non_null(strstr(log, "--socket-limit"));
	assert_true(sl_eal_mem_reserved(0) <= 8 * MB);
	/* Small allocations still work and the heap is intact. */
	q = sl_malloc("c", 1000, 0);
	assert_non_null(q);
	sl_free(q);
	sl_free(p);
	sl_malloc_get_socket_stats(0, &st);
	assert_int_equal(st.grow_count, 1);
	assert_int_equal(sl_malloc_validate(), 0);
	assert_int_equal(sl_eal_cleanup(), 0);
}

/* Too few hugepages: the error says how many, and how to get more. */
static void
test_hugepage_shortage(void **state)
{
	const char *log;
	long free0;
	char m[32];
	void *p;
	int ret;

	(void)state;
	require_hugepages();
	free0 = sl_test_hugepages_free();

	/* At init. */
	snprintf(m, sizeof(m), "%ld", (free0 + 3) * 2);
	cap_start();
	ret = EAL_INIT(HUGE_OPTS, "-m", m);
	log = cap_end();
	assert_int_equal(ret, -ENOMEM);
	{
		char need[64], have[64];

		snprintf(need, sizeof(need), "need %ld pages of 2048 kB", free0 + 3);
		snprintf(have, sizeof(have), "%ld free", free0);
		assert_non_null(strstr(log, need));
		assert_non_null(strstr(log, have));
	}
	assert_non_null(strstr(log, "echo "));
	assert_non_null(strstr(log, "hugepages-2048kB/nr_hugepages"));
	assert_non_null(strstr(log, "hugeadm --pool-pages-min 2MB:"));
	assert_int_equal(sl_eal_is_initialized(), 0);
	assert_int_equal(sl_test_hugepages_free(), free0);

	/* When the heap grows. */
	assert_true(EAL_INIT(HUGE_OPTS, "--socket-mem", "2") > 0);
	cap_start();
	errno = 0;
	p = sl_malloc("huge", (size_t)(free0 + 4) * HP, 0);
	log = cap_end();
	assert_null(p);
	assert_int_equal(errno, ENOMEM);
	assert_non_null(strstr(log, "not enough hugepages"));
	assert_non_null(strstr(log, "nr_hugepages"));
	p = sl_malloc("small", 1000, 0);
	assert_non_null(p);
	sl_free(p);
	assert_int_equal(sl_malloc_validate(), 0);
	assert_int_equal(sl_eal_cleanup(), 0);
	assert_int_equal(sl_test_hugepages_free(), free0);
}

/* ---- memzones --------------------------------------------------------- */

static void
count_mz(const struct sl_memzone *mz, void *arg)
{
	(void)mz;
	(*(int *)arg)++;
}

static void
test_memzone(void **state)
{
	const struct sl_memzone *mz, *mz2;
	char name[64];
	int n = 0;

	(void)state;
	errno = 0;
	assert_null(sl_memzone_reserve("early", 64, SL_SOCKET_ID_ANY, 0));
	assert_int_equal(errno, ENODEV);
	assert_null(sl_memzone_lookup("early"));
	assert_int_equal(errno, ENODEV);

	assert_true(EAL_INIT(NOHUGE_OPTS, "-m", "8") > 0);
	mz = sl_memzone_reserve("zone0", 10000, SL_SOCKET_ID_ANY, 0);
	assert_non_null(mz);
	assert_string_equal(mz->name, "zone0");
	assert_int_equal(mz->len, 10000);
	assert_int_equal(mz->socket_id, 0);
	assert_true(SL_IS_ALIGNED(mz->addr, SL_CACHE_LINE_SIZE));
	assert_true(mz->iova == sl_mem_virt2iova(mz->addr));
	memset(mz->addr, 1, mz->len);
	assert_ptr_equal(sl_memzone_lookup("zone0"), mz);
	errno = 0;
	assert_null(sl_memzone_lookup("zone1"));
	assert_int_equal(errno, ENOENT);
	assert_null(sl_memzone_lookup(NULL));
	assert_int_equal(errno, EINVAL);

	mz2 = sl_memzone_reserve_aligned("zone-2m", 4096, 0, SL_MEMZONE_IOVA_CONTIG, 2u << 20);
	assert_non_null(mz2);
	assert_true(SL_IS_ALIGNED(mz2->addr, 2u << 20));
	assert_true(SL_IS_ALIGNED(mz2->iova, 2u << 20));
	assert_int_equal(mz2->flags, SL_MEMZONE_IOVA_CONTIG);
	assert_int_equal(sl_memzone_count(), 2);
	sl_memzone_walk(count_mz, &n);
	assert_int_equal(n, 2);
	sl_memzone_walk(NULL, NULL);

	cap_start();
	errno = 0;
	assert_null(sl_memzone_reserve("zone0", 64, SL_SOCKET_ID_ANY, 0));
	assert_int_equal(errno, EEXIST);
	assert_null(sl_memzone_reserve("abcdefghijabcdefghijabcdefghijab", 64, -1, 0));
	assert_int_equal(errno, ENAMETOOLONG);
	assert_null(sl_memzone_reserve("", 64, -1, 0));
	assert_int_equal(errno, EINVAL);
	assert_null(sl_memzone_reserve(NULL, 64, -1, 0));
	assert_int_equal(errno, EINVAL);
	assert_null(sl_memzone_reserve("len0", 0, -1, 0));
	assert_int_equal(errno, EINVAL);
	assert_null(sl_memzone_reserve("flags", 64, -1, 0x1));
	assert_int_equal(errno, EINVAL);
	assert_null(sl_memzone_reserve_aligned("al", 64, -1, 0, 100));
	assert_int_equal(errno, EINVAL);
	assert_null(sl_memzone_reserve("sock", 64, 6, 0));
	assert_int_equal(errno, EINVAL);
	assert_null(sl_memzone_reserve("toobig", SIZE_MAX / 2, -1, 0));
	assert_int_equal(errno, EINVAL);
	assert_int_equal(sl_memzone_free(NULL), -EINVAL);
	assert_int_equal(sl_memzone_free((const struct sl_memzone *)name), -EINVAL);
	assert_int_equal(sl_memzone_free((const struct sl_memzone *)((const char *)mz + 1)),
			 -EINVAL);
	cap_end();
	assert_int_equal(sl_memzone_count(), 2);

	assert_int_equal(sl_memzone_free(mz), 0);
	assert_null(sl_memzone_lookup("zone0"));
	cap_start();
	assert_int_equal(sl_memzone_free(mz), -EINVAL);
	cap_end();
	/* The name can be reused. */
	mz = sl_memzone_reserve("zone0", 64, 0, 0);
	assert_non_null(mz);

	/* The table fills up. */
	cap_start();
	for (n = 0;; n++) {
		snprintf(name, sizeof(name), "fill%d", n);
		if (sl_memzone_reserve(name, 64, SL_SOCKET_ID_ANY, 0) == NULL)
			break;
	}
	cap_end();
	assert_int_equal(errno, ENOSPC);
	assert_int_equal(sl_memzone_count(), SL_MAX_MEMZONE);
	assert_int_equal(sl_malloc_validate(), 0);
	assert_int_equal(sl_eal_cleanup(), 0);
	assert_int_equal(sl_memzone_count(), 0);

	/* A new init starts with no memzones. */
	assert_true(EAL_INIT(NOHUGE_OPTS, "-m", "8") > 0);
	assert_null(sl_memzone_lookup("zone0"));
	mz = sl_memzone_reserve("zone0", 64, SL_SOCKET_ID_ANY, 0);
	assert_non_null(mz);
	assert_int_equal(sl_eal_cleanup(), 0);
}

/* ---- processes: prefixes, stale files, exit --------------------------- */

/* In a forked child: a quiet hugepage init in prefix p, or _exit(1). */
static void
child_init_or_exit(const char *p, const char *memopt, const char *memval)
{
	char *a[] = {"child", "--huge-dir", hdir, "--file-prefix", (char *)p, "--no-pci",
		     (char *)memopt, (char *)memval, "-l", "0"};

	sl_log_set_level(NULL, SL_LOG_EMERG);
	if (sl_eal_init(ARGC(a), a) < 0)
		_exit(1);
}

static void
wait_child_ok(pid_t pid)
{
	int status;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void
test_two_prefixes(void **state)
{
	char other[80], name[112];
	int c2p[2], p2c[2], ret, go = 1;
	long free0;
	pid_t pid;

	(void)state;
	require_hugepages();
	free0 = sl_test_hugepages_free();
	snprintf(other, sizeof(other), "%sB", pfx);
	assert_int_equal(pipe(c2p), 0);
	assert_int_equal(pipe(p2c), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char *a[] = {"child", "--huge-dir", hdir, "--file-prefix", other, "--no-pci",
			     "-m", "4", "-l", "0"};
		char *p;

		sl_log_set_level(NULL, SL_LOG_EMERG);
		ret = sl_eal_init(ARGC(a), a);
		if (ret >= 0) {
			p = sl_malloc(NULL, 1000, 0);
			ret = p ? ret : -ENOMEM;
			if (p)
				memset(p, 0xcc, 1000);
		}
		if (write(c2p[1], &ret, sizeof(ret)) != sizeof(ret))
			_exit(3);
		if (read(p2c[0], &go, sizeof(go)) != sizeof(go))
			_exit(4);
		if (ret < 0)
			_exit(1);
		_exit(sl_eal_cleanup() == 0 ? 0 : 2);
	}
	assert_int_equal(read(c2p[0], &ret, sizeof(ret)), sizeof(ret));
	assert_true(ret > 0);

	/* Both processes hold their own files at the same time. */
	assert_true(EAL_INIT(HUGE_OPTS, "-m", "4") > 0);
	snprintf(name, sizeof(name), "%smap_", pfx);
	assert_int_equal(sl_test_hugepages_count_files(name), 1);
	snprintf(name, sizeof(name), "%smap_", other);
	assert_int_equal(sl_test_hugepages_count_files(name), 1);
	assert_int_equal(free0 - sl_test_hugepages_free(), 4);
	{
		char *p = sl_malloc(NULL, 1000, 0);

		assert_non_null(p);
		sl_free(p);
	}
	assert_int_equal(sl_eal_cleanup(), 0);

	/* The child's prefix is taken while it lives. */
	cap_start();
	ret = EAL_INIT("--huge-dir", hdir, "--file-prefix", other, "--no-pci", "-m", "2");
	assert_non_null(strstr(cap_end(), "another live process uses file prefix"));
	assert_int_equal(ret, -EBUSY);
	snprintf(name, sizeof(name), "%smap_", other);
	assert_int_equal(sl_test_hugepages_count_files(name), 1);

	assert_int_equal(write(p2c[1], &go, sizeof(go)), sizeof(go));
	wait_child_ok(pid);
	assert_int_equal(sl_test_hugepages_count_files(name), 0);
	assert_int_equal(sl_test_hugepages_free(), free0);
	close(c2p[0]);
	close(c2p[1]);
	close(p2c[0]);
	close(p2c[1]);
}

static void
test_stale_files(void **state)
{
	char stale[80], name[112];
	const char *log;
	long free0;
	pid_t pid;

	(void)state;
	require_hugepages();
	free0 = sl_test_hugepages_free();
	snprintf(stale, sizeof(stale), "%sS", pfx);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		child_init_or_exit(stale, "--socket-mem", "2");
		/* Grow once so there are two files, then die without cleanup
		 * or exit handlers, as a crash would. */
		if (sl_malloc(NULL, 3 << 20, 0) == NULL)
			_exit(2);
		_exit(0);
	}
	wait_child_ok(pid);
	snprintf(name, sizeof(name), "%smap_", stale);
	assert_int_equal(sl_test_hugepages_count_files(name), 2);
	assert_true(sl_test_hugepages_free() < free0); /* the files hold pages */

	/* The next process of that prefix removes them. */
	cap_start();
	assert_true(EAL_INIT("--huge-dir", hdir, "--file-prefix", stale, "--no-pci",
			     "--socket-mem", "2") > 0);
	log = cap_end();
	assert_non_null(strstr(log, "removed 2 stale hugepage file(s)"));
	assert_int_equal(sl_test_hugepages_count_files(name), 1);
	assert_int_equal(free0 - sl_test_hugepages_free(), 1);
	assert_int_equal(sl_eal_cleanup(), 0);
	assert_int_equal(sl_test_hugepages_count_files(name), 0);
	assert_int_equal(sl_test_hugepages_free(), free0);
}

static void
test_release_at_exit(void **state)
{
	char pre[80], name[112];
	long free0;
	pid_t pid;

	(void)state;
	require_hugepages();
	free0 = sl_test_hugepages_free();
	snprintf(pre, sizeof(pre), "%sE", pfx);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		child_init_or_exit(pre, "-m", "4");
		exit(0); /* normal exit, no sl_eal_cleanup() */
	}
	wait_child_ok(pid);
	snprintf(name, sizeof(name), "%smap_", pre);
	assert_int_equal(sl_test_hugepages_count_files(name), 0);
	snprintf(name, sizeof(name), "%s.lock", pre);
	assert_false(file_exists(hdir, name));
	assert_int_equal(sl_test_hugepages_free(), free0);
}

/* ---- main ------------------------------------------------------------- */

static int
group_setup(void **state)
{
	cpu_set_t set;
	int ret;

	(void)state;
	snprintf(pfx, sizeof(pfx), "sltest%d", (int)getpid());
	sched_getaffinity(0, sizeof(set), &set);
	ncpus = CPU_COUNT(&set);
	if (ncpus >= 2 && !(CPU_ISSET(0, &set) && CPU_ISSET(1, &set)))
		ncpus = 1; /* the lcore tests use CPUs 0 and 1 */
	ret = sl_test_hugepages_setup(64);
	if (ret == 0)
		snprintf(hdir, sizeof(hdir), "%s", sl_test_hugepages_dir());
	else
		print_message("hugepage tests will be skipped: %s\n", strerror(-ret));
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	if (sl_eal_is_initialized())
		sl_eal_cleanup();
	sl_test_hugepages_teardown();
	return 0;
}

/* A failed assertion can leave the EAL up; the next test starts clean. */
static int
test_teardown(void **state)
{
	(void)state;
	if (sl_eal_is_initialized()) {
		sl_eal_mp_wait_lcore();
		sl_eal_cleanup();
	}
	sl_log_set_stream(NULL);
	return 0;
}

#define T(f) cmocka_unit_test_teardown(f, test_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_log_levels),
		T(test_log_parse_names),
		T(test_log_output),
		T(test_log_level_option),
		T(test_options_bad),
		T(test_options_consumed),
		T(test_reinit),
		T(test_devargs),
		T(test_bus),
		T(test_lcores),
		T(test_lcores_main_and_map),
		T(test_tsc),
		T(test_mmio),
		T(test_memory_hugepages),
		T(test_memory_default_mount),
		T(test_memory_nohuge),
		T(test_memory_nohuge_lazy),
		T(test_memory_nohuge_unprivileged),
		T(test_memory_iova_pa),
		T(test_mem_events),
		T(test_malloc_basic),
		T(test_malloc_align),
		T(test_malloc_coalesce),
		T(test_malloc_realloc),
		T(test_malloc_bad_free),
		T(test_malloc_threads),
		T(test_malloc_threads_grow),
		T(test_malloc_limit),
		T(test_hugepage_shortage),
		T(test_memzone),
		T(test_two_prefixes),
		T(test_stale_files),
		T(test_release_at_exit),
	};

	return sl_test_exit(cmocka_run_group_tests(tests, group_setup, group_teardown));
}
