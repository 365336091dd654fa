/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the sluice-launch hand-over that run on any machine (no
 * module needed): the SLUICE_LAUNCH_FDS format and the --domain-fd /
 * --device-fd options, and the checks that refuse fds of the wrong kind
 * (closed, regular file, pipe, socket, another character device), each
 * with an error that names the fd and the fix.  Real domain and device fds
 * are tested in the VM suite (test/vm/e1000, section 7).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "sl_test.h"

#include "sl_eal.h"
#include "sl_launch.h"

#include "test_eth_helpers.h"

/* ---- the format ------------------------------------------------------------- */

static void
test_parse_good(void **state)
{
	struct sl_launch_fds f;
	char buf[256];

	(void)state;
	assert_int_equal(sl_launch_fds_parse("domain=3,0000:00:04.0=4,00:05.0=5", &f), 0);
	assert_int_equal(f.domain_fd, 3);
	assert_int_equal(f.nb_devices, 2);
	assert_string_equal(f.dev[0].name, "0000:00:04.0");
	assert_int_equal(f.dev[0].fd, 4);
	/* the short form gets domain 0, hex digits are lowered */
	assert_string_equal(f.dev[1].name, "0000:00:05.0");
	assert_int_equal(f.dev[1].fd, 5);
	assert_int_equal(sl_launch_fds_format(&f, buf, sizeof(buf)),
			 (int)strlen("domain=3,0000:00:04.0=4,0000:00:05.0=5"));
	assert_string_equal(buf, "domain=3,0000:00:04.0=4,0000:00:05.0=5");

	/* order does not matter; upper-case hex is accepted */
	assert_int_equal(sl_launch_fds_parse("0000:0A:1F.7=12,domain=11", &f), 0);
	assert_int_equal(f.domain_fd, 11);
	assert_string_equal(f.dev[0].name, "0000:0a:1f.7");
	/* a domain alone is fine */
	assert_int_equal(sl_launch_fds_parse("domain=0", &f), 0);
	assert_int_equal(f.domain_fd, 0);
	assert_int_equal(f.nb_devices, 0);
	/* too small a buffer */
	assert_int_equal(sl_launch_fds_parse("domain=3,0000:00:04.0=4", &f), 0);
	assert_int_equal(sl_launch_fds_format(&f, buf, 12), -ENOSPC);
}

static void
test_parse_bad(void **state)
{
	static const struct {
		const char *spec;
		int err;
		const char *msg;
	} cases[] = {
		{ "", -EINVAL, "SLUICE_LAUNCH_FDS is empty" },
		{ "domain=", -EINVAL, "invalid value 'domain=' for SLUICE_LAUNCH_FDS" },
		{ "domain=x", -EINVAL, "invalid value 'x' for SLUICE_LAUNCH_FDS" },
		{ "domain=-1", -EINVAL, "invalid value '-1' for SLUICE_LAUNCH_FDS" },
		{ "domain=1234567890", -EINVAL, "invalid value '1234567890'" },
		{ "domain=3,domain=4", -EINVAL, "domain fd given twice (3 and 4)" },
		{ "domain=3,", -EINVAL, "invalid value '' for SLUICE_LAUNCH_FDS" },
		{ ",domain=3", -EINVAL, "invalid value '' for SLUICE_LAUNCH_FDS" },
		{ "domain=3,0000:00:04.0", -EINVAL, "invalid value '0000:00:04.0'" },
		{ "domain=3,0000:00:04.0=", -EINVAL, "expected PCI_ADDRESS=FD" },
		{ "domain=3,0000:00:04.0=4x", -EINVAL, "invalid value '0000:00:04.0=4x'" },
		{ "domain=3,0000:00:20.0=4", -EINVAL, "invalid value '0000:00:20.0=4'" },
		{ "domain=3,0000:00:04.8=4", -EINVAL, "invalid value '0000:00:04.8=4'" },
		{ "domain=3,00000:00:04.0=4", -EINVAL, "invalid value '00000:00:04.0=4'" },
		{ "domain=3,eth0=4", -EINVAL, "invalid value 'eth0=4'" },
		{ "domain=3,0000:00:04.0=4,00:04.0=5", -EINVAL, "device 0000:00:04.0 given twice" },
		{ "domain=3,0000:00:04.0=3", -EINVAL, "fd 3 of device 0000:00:04.0 is already given" },
		{ "0000:00:04.0=4,domain=4", -EINVAL, "fd 4 is given as the domain and as a device" },
		{ "0000:00:04.0=4", -EINVAL, "lists devices but no domain=FD" },
	};
	struct sl_launch_fds f;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *log;

		log_capture();
		assert_int_equal(sl_launch_fds_parse(cases[i].spec, &f), cases[i].err);
		log = log_end();
		assert_logged(log, cases[i].msg);
		/* nothing half-parsed is left */
		assert_int_equal(f.domain_fd, -1);
		assert_int_equal(f.nb_devices, 0);
	}
}

static void
test_parse_too_many(void **state)
{
	char spec[64 + 20 * (SL_LAUNCH_MAX_DEVICES + 1)];
	struct sl_launch_fds f;
	size_t n;
	const char *log;

	(void)state;
	n = (size_t)snprintf(spec, sizeof(spec), "domain=3");
	for (int i = 0; i < SL_LAUNCH_MAX_DEVICES; i++)
		n += (size_t)snprintf(spec + n, sizeof(spec) - n, ",0000:01:%02x.0=%d", i, 10 + i);
	assert_int_equal(sl_launch_fds_parse(spec, &f), 0);
	assert_int_equal(f.nb_devices, SL_LAUNCH_MAX_DEVICES);
	snprintf(spec + n, sizeof(spec) - n, ",0000:02:00.0=99");
	log_capture();
	assert_int_equal(sl_launch_fds_parse(spec, &f), -E2BIG);
	log = log_end();
	assert_logged(log, "more than 32 device fds");
}

static void
test_option_helpers(void **state)
{
	struct sl_launch_fds f;

	(void)state;
	sl_launch_fds_init(&f);
	assert_int_equal(f.domain_fd, -1);
	assert_int_equal(sl_launch_fds_set_domain(&f, "7", "--domain-fd"), 0);
	assert_fails_logged(sl_launch_fds_set_domain(&f, "8", "--domain-fd"), -EINVAL,
			    "--domain-fd: domain fd given twice");
	assert_fails_logged(sl_launch_fds_add_device(&f, "0000:00:04.0", "--device-fd"),
			    -EINVAL, "invalid value '0000:00:04.0' for --device-fd: expected "
			    "PCI_ADDRESS=FD");
	assert_int_equal(sl_launch_fds_add_device(&f, "0000:00:04.0=9", "--device-fd"), 0);
	assert_fails_logged(sl_launch_fds_add_device(&f, "0000:00:05.0=7", "--device-fd"),
			    -EINVAL, "fd 7 of device 0000:00:05.0 is already given");
	assert_int_equal(f.nb_devices, 1);
	assert_int_equal(sl_launch_fds_set_domain(NULL, "1", "x"), -EINVAL);
	assert_int_equal(sl_launch_fds_add_device(&f, NULL, "x"), -EINVAL);
	assert_int_equal(sl_launch_fds_parse(NULL, &f), -EINVAL);
}

/* ---- checking fds ------------------------------------------------------------- */

/* An fd number that is surely closed. */
static int
closed_fd(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	close(fd);
	return fd;
}

static void
test_check_wrong_kinds(void **state)
{
	char tmpl[] = "/tmp/test_launch_XXXXXX", msg[128];
	int pipefd[2], sv[2], reg, null, fd;

	(void)state;
	fd = closed_fd();
	snprintf(msg, sizeof(msg), "--domain-fd: fd %d is not open in this process", fd);
	assert_fails_logged(sl_launch_fd_check_domain(fd, "--domain-fd"), -EBADF, msg);
	snprintf(msg, sizeof(msg), "--device-fd: fd %d is not open in this process, so it "
		 "cannot be the sluice node of 0000:00:04.0", fd);
	assert_fails_logged(sl_launch_fd_check_device(fd, "0000:00:04.0", "--device-fd"),
			    -EBADF, msg);
	assert_fails_logged(sl_launch_fd_check_domain(-1, "--domain-fd"), -EBADF,
			    "start the application through sluice-launch");

	reg = mkstemp(tmpl);
	assert_true(reg >= 0);
	unlink(tmpl);
	snprintf(msg, sizeof(msg), "fd %d is a regular file, not the sluice domain device "
		 "/dev/sluice/iommu", reg);
	assert_fails_logged(sl_launch_fd_check_domain(reg, "--domain-fd"), -ENOTTY, msg);
	snprintf(msg, sizeof(msg), "fd %d is a regular file, not the sluice node of "
		 "0000:00:04.0 (/dev/sluice/0000:00:04.0)", reg);
	assert_fails_logged(sl_launch_fd_check_device(reg, "00:04.0", "--device-fd"), -ENOTTY,
			    msg);

	assert_int_equal(pipe(pipefd), 0);
	snprintf(msg, sizeof(msg), "SLUICE_LAUNCH_FDS: fd %d is a pipe", pipefd[0]);
	assert_fails_logged(sl_launch_fd_check_domain(pipefd[0], "SLUICE_LAUNCH_FDS"), -ENOTTY,
			    msg);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	snprintf(msg, sizeof(msg), "fd %d is a socket", sv[0]);
	assert_fails_logged(sl_launch_fd_check_device(sv[0], "0000:00:04.0", "--device-fd"),
			    -ENOTTY, msg);

	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	assert_true(null >= 0);
	snprintf(msg, sizeof(msg), "fd %d is character device 1:3 (/dev/null), not the sluice "
		 "domain device", null);
	assert_fails_logged(sl_launch_fd_check_domain(null, "--domain-fd"), -ENOTTY, msg);
	snprintf(msg, sizeof(msg), "fd %d is character device 1:3 (/dev/null), not the sluice "
		 "node of 0000:00:04.0", null);
	assert_fails_logged(sl_launch_fd_check_device(null, "0000:00:04.0", "--device-fd"),
			    -ENOTTY, msg);
	/* a name that is not a PCI address is a caller bug */
	assert_int_equal(sl_launch_fd_check_device(null, "eth0", "--device-fd"), -EINVAL);

	close(null);
	close(sv[0]);
	close(sv[1]);
	close(pipefd[0]);
	close(pipefd[1]);
	close(reg);
}

/* ---- through sl_eal_init() --------------------------------------------------------- */

static int
eal_init(const char *a1, const char *a2, const char *a3, const char *a4)
{
	char *argv[12];
	int argc = 0;

	argv[argc++] = (char *)"test_launch";
	argv[argc++] = (char *)"--no-huge";
	argv[argc++] = (char *)"-m";
	argv[argc++] = (char *)"16";
	argv[argc++] = (char *)"-l";
	argv[argc++] = (char *)"0";
	argv[argc++] = (char *)"--file-prefix";
	argv[argc++] = (char *)"test_launch";
	if (a1)
		argv[argc++] = (char *)a1;
	if (a2)
		argv[argc++] = (char *)a2;
	if (a3)
		argv[argc++] = (char *)a3;
	if (a4)
		argv[argc++] = (char *)a4;
	argv[argc] = NULL;
	return sl_eal_init(argc, argv);
}

static void
test_eal_options(void **state)
{
	char num[16], dev[48], msg[128];
	int null;

	(void)state;
	unsetenv(SL_LAUNCH_ENV);
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	assert_true(null >= 0);
	snprintf(num, sizeof(num), "%d", null);
	snprintf(dev, sizeof(dev), "0000:00:04.0=%d", null);

	assert_fails_logged(eal_init("--domain-fd", "x3", NULL, NULL), -EINVAL,
			    "invalid value 'x3' for --domain-fd");
	assert_fails_logged(eal_init("--device-fd", "0000:00:04.0", NULL, NULL), -EINVAL,
			    "invalid value '0000:00:04.0' for --device-fd");
	assert_fails_logged(eal_init("--device-fd", dev, NULL, NULL), -EINVAL,
			    "--device-fd given without --domain-fd");
	snprintf(msg, sizeof(msg), "--domain-fd: fd %d is character device 1:3 (/dev/null), "
		 "not the sluice domain device", null);
	assert_fails_logged(eal_init("--domain-fd", num, NULL, NULL), -ENOTTY, msg);
	assert_int_equal(sl_eal_is_initialized(), 0);
	/* the fd was not ours to close: it is still open */
	assert_true(fcntl(null, F_GETFD) >= 0);

	/* the variable, when no option is given */
	setenv(SL_LAUNCH_ENV, "domain=3,bogus", 1);
	assert_fails_logged(eal_init(NULL, NULL, NULL, NULL), -EINVAL,
			    "invalid value 'bogus' for SLUICE_LAUNCH_FDS");
	snprintf(msg, sizeof(msg), "domain=%d", null);
	setenv(SL_LAUNCH_ENV, msg, 1);
	snprintf(msg, sizeof(msg), "SLUICE_LAUNCH_FDS: fd %d is character device 1:3", null);
	assert_fails_logged(eal_init(NULL, NULL, NULL, NULL), -ENOTTY, msg);
	/* read once: a second init does not take the same numbers again */
	assert_null(getenv(SL_LAUNCH_ENV));
	/* options win over the variable, and say so */
	setenv(SL_LAUNCH_ENV, "domain=3", 1);
	assert_fails_logged(eal_init("--domain-fd", "x", NULL, NULL), -EINVAL,
			    "invalid value 'x' for --domain-fd");
	assert_fails_logged(eal_init("--domain-fd", num, NULL, NULL), -ENOTTY,
			    "ignoring SLUICE_LAUNCH_FDS=");
	unsetenv(SL_LAUNCH_ENV);

	/* and without any of it the EAL starts as before */
	assert_true(eal_init(NULL, NULL, NULL, NULL) >= 0);
	assert_int_equal(sl_eal_cleanup(), 0);
	close(null);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_parse_too_many),
		cmocka_unit_test(test_option_helpers),
		cmocka_unit_test(test_check_wrong_kinds),
		cmocka_unit_test(test_eal_options),
	};

	return sl_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
