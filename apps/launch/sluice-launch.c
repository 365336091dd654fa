/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-launch: run a Sluice application without privilege.
 *
 *   sluice-launch --user U [--group G] [--memlock SIZE] --device BDF... \
 *                 -- PROGRAM [ARGS...]
 *
 * As root it opens the sluice domain device and the named device nodes,
 * checks that every IOMMU group involved is handed over whole, attaches the
 * devices to the domain, raises RLIMIT_MEMLOCK for the pins the application
 * will make, then drops every privilege (supplementary groups, gid, uid, all
 * capabilities including the bounding and ambient sets, no_new_privs) and
 * execs PROGRAM with the fds open and listed in SLUICE_LAUNCH_FDS.  The EAL
 * takes them over (lib/eal/sl_launch.h) and opens no node itself.
 *
 * This follows the seed's remark that "fd opens and iommu bindings could be
 * done in a program before spinning out the program with the user driver";
 * doc/kernel-module.md, "The launcher", explains the model.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/close_range.h>

#include "sl_bus_pci.h"
#include "sl_launch.h"
#include "sluice.h"

#define PROG "sluice-launch"
#define SYSFS_PCI "/sys/bus/pci/devices"
#define SYSFS_GROUPS "/sys/kernel/iommu_groups"
#define SYSFS_HUGEPAGES "/sys/kernel/mm/hugepages"

struct launch_dev {
	char name[SL_PCI_NAME_LEN];
	int group;
	int fd;
};

static struct {
	uid_t uid;
	gid_t gid;
	const char *user;   /* as given */
	const char *group;  /* as given, NULL: the user's primary group */
	struct passwd *pw;  /* NULL for a numeric uid without a passwd entry */
	int memlock_set;
	rlim_t memlock;
	int verbose;
	struct launch_dev dev[SL_LAUNCH_MAX_DEVICES];
	unsigned int nb_dev;
	int domain_fd;
} opt = { .domain_fd = -1 };

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void __attribute__((format(printf, 1, 2)))
info(const char *fmt, ...)
{
	va_list ap;

	if (!opt.verbose)
		return;
	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void
usage(FILE *f)
{
	fprintf(f,
		"Usage: " PROG " --user USER [options] --device BDF [--device BDF...] -- "
		"PROGRAM [ARGS...]\n"
		"Open the sluice domain and device nodes as root, attach the devices, drop\n"
		"every privilege and run PROGRAM as USER with the fds (SLUICE_LAUNCH_FDS).\n"
		"  -u, --user USER      user name or uid to run as (not root)\n"
		"  -g, --group GROUP    group name or gid [default: USER's primary group];\n"
		"                       supplementary groups are USER's from /etc/group\n"
		"  -d, --device BDF     PCI device bound to sluice-pci (repeatable); every\n"
		"                       device of its IOMMU group must be listed too\n"
		"  -l, --memlock SIZE   RLIMIT_MEMLOCK of PROGRAM: bytes with an optional\n"
		"                       K/M/G suffix, or 'unlimited' [default: the size of\n"
		"                       the hugepage pools, or the current limit if larger]\n"
		"  -v, --verbose        say what is opened and set\n"
		"  -h, --help           this help\n");
}

/* ---- options --------------------------------------------------------------- */

static int
parse_id(const char *s, unsigned long *v)
{
	char *end;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return errno || *end || *v >= UINT32_MAX ? -1 : 0;
}

static void
resolve_user(void)
{
	unsigned long v;

	opt.pw = getpwnam(opt.user);
	if (opt.pw == NULL && parse_id(opt.user, &v) == 0)
		opt.pw = getpwuid((uid_t)v);
	if (opt.pw) {
		opt.uid = opt.pw->pw_uid;
		opt.gid = opt.pw->pw_gid;
	} else if (parse_id(opt.user, &v) == 0) {
		opt.uid = (uid_t)v;
		if (opt.group == NULL)
			die("--user %s: uid %lu has no passwd entry, so it has no primary group: "
			    "give --group too", opt.user, v);
	} else {
		die("--user %s: no such user (not in the passwd database, and not a number)",
		    opt.user);
	}
	if (opt.uid == 0)
		die("--user %s is root: the launcher exists to run the application "
		    "without privilege; give an unprivileged user", opt.user);
	if (opt.group) {
		struct group *gr = getgrnam(opt.group);

		if (gr)
			opt.gid = gr->gr_gid;
		else if (parse_id(opt.group, &v) == 0)
			opt.gid = (gid_t)v;
		else
			die("--group %s: no such group (not in the group database, and not a "
			    "number)", opt.group);
		if (opt.gid == 0)
			die("--group %s is root's group 0: give an unprivileged group", opt.group);
	}
}

static rlim_t
parse_size(const char *s)
{
	unsigned long long v;
	char *end;

	if (strcmp(s, "unlimited") == 0)
		return RLIM_INFINITY;
	if (!isdigit((unsigned char)s[0]))
		goto bad;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		goto bad;
	switch (toupper((unsigned char)*end)) {
	case 'G': v <<= 10; /* fall through */
	case 'M': v <<= 10; /* fall through */
	case 'K': v <<= 10; end++; break;
	case '\0': break;
	default: goto bad;
	}
	if (*end || v == 0 || v >= (1ull << 62))
		goto bad;
	return (rlim_t)v;
bad:
	die("invalid value '%s' for --memlock: expected bytes with an optional K, M or G "
	    "suffix (512M), or 'unlimited'", s);
}

static void
add_device(const char *arg)
{
	struct sl_pci_addr a;
	char name[SL_PCI_NAME_LEN];

	if (sl_pci_addr_parse(arg, &a) < 0)
		die("invalid value '%s' for --device: expected a PCI address like 0000:00:04.0 "
		    "(see sluice-devbind --status)", arg);
	sl_pci_addr_format(&a, name, sizeof(name));
	for (unsigned int i = 0; i < opt.nb_dev; i++)
		if (strcmp(opt.dev[i].name, name) == 0)
			die("--device %s given twice", name);
	if (opt.nb_dev == SL_LAUNCH_MAX_DEVICES)
		die("more than %d --device options", SL_LAUNCH_MAX_DEVICES);
	snprintf(opt.dev[opt.nb_dev].name, sizeof(opt.dev[0].name), "%s", name);
	opt.dev[opt.nb_dev].fd = -1;
	opt.nb_dev++;
}

static int
parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"user", required_argument, NULL, 'u'},
		{"group", required_argument, NULL, 'g'},
		{"device", required_argument, NULL, 'd'},
		{"memlock", required_argument, NULL, 'l'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:u:g:d:l:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'u': opt.user = optarg; break;
		case 'g': opt.group = optarg; break;
		case 'd': add_device(optarg); break;
		case 'l': opt.memlock = parse_size(optarg); opt.memlock_set = 1; break;
		case 'v': opt.verbose = 1; break;
		case 'h': usage(stdout); exit(0);
		case ':': die("option '%s' needs a value (see --help)", argv[optind - 1]);
		default: die("unknown option '%s' (see --help)", argv[optind - 1]);
		}
	}
	if (opt.user == NULL)
		die("--user is required: the user the application runs as");
	if (opt.nb_dev == 0)
		die("no --device given: name the PCI devices to hand over (sluice-devbind "
		    "--status lists those bound to sluice-pci)");
	if (optind >= argc)
		die("no program to run: end the launcher's options with '--' and give the "
		    "program and its arguments");
	return optind;
}

/* ---- sysfs -------------------------------------------------------------------- */

/* Basename of symlink @p path into @p buf, "" if absent. */
static void
link_base(const char *path, char *buf, size_t len)
{
	char target[PATH_MAX];
	const char *base;
	ssize_t n;

	buf[0] = '\0';
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) < len)
		memcpy(buf, base, strlen(base) + 1);
}

static void
dev_driver(const char *name, char *buf, size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), SYSFS_PCI "/%s/driver", name);
	link_base(path, buf, len);
}

/* A bridge (header type 1 or 2) only forwards its children's DMA. */
static int
dev_is_bridge(const char *name)
{
	char path[PATH_MAX];
	unsigned char hdr[16];
	int fd, n;

	snprintf(path, sizeof(path), SYSFS_PCI "/%s/config", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = (int)pread(fd, hdr, sizeof(hdr), 0);
	close(fd);
	return n == (int)sizeof(hdr) && (hdr[0x0e] & 0x7f) != 0;
}

static int
listed(const char *name)
{
	for (unsigned int i = 0; i < opt.nb_dev; i++)
		if (strcmp(opt.dev[i].name, name) == 0)
			return 1;
	return 0;
}

/*
 * Each device exists, is bound to sluice-pci and has an IOMMU group, and
 * every other member of its group is listed too (or is a bridge that does
 * no DMA of its own, as the module accepts): the members of a group can
 * reach each other's memory, so a group is handed over whole or not at all.
 */
static void
check_devices(void)
{
	for (unsigned int i = 0; i < opt.nb_dev; i++) {
		struct launch_dev *d = &opt.dev[i];
		char path[PATH_MAX], buf[64];
		struct dirent *e;
		DIR *dir;

		snprintf(path, sizeof(path), SYSFS_PCI "/%s", d->name);
		if (access(path, F_OK) != 0)
			die("--device %s: no such PCI device (%s does not exist; sluice-devbind "
			    "--status lists the devices)", d->name, path);
		dev_driver(d->name, buf, sizeof(buf));
		if (strcmp(buf, "sluice-pci") != 0)
			die("--device %s is %s%s, not sluice-pci: bind it first with "
			    "sluice-devbind --bind=sluice-pci %s", d->name,
			    buf[0] ? "bound to " : "not bound to any driver", buf, d->name);
		snprintf(path, sizeof(path), SYSFS_PCI "/%s/iommu_group", d->name);
		link_base(path, buf, sizeof(buf));
		if (buf[0] == '\0')
			die("--device %s has no IOMMU group: the IOMMU is off (boot with "
			    "intel_iommu=on or amd_iommu=on and enable VT-d/AMD-Vi)", d->name);
		d->group = atoi(buf);

		snprintf(path, sizeof(path), SYSFS_GROUPS "/%d/devices", d->group);
		dir = opendir(path);
		if (dir == NULL)
			die("--device %s: cannot list IOMMU group %d (%s): %s", d->name, d->group,
			    path, strerror(errno));
		while ((e = readdir(dir)) != NULL) {
			if (e->d_name[0] == '.' || listed(e->d_name))
				continue;
			dev_driver(e->d_name, buf, sizeof(buf));
			if (dev_is_bridge(e->d_name) &&
			    (buf[0] == '\0' || strcmp(buf, "pcieport") == 0))
				continue;
			closedir(dir);
			die("--device %s: IOMMU group %d also holds %s (%s%s), which is not handed "
			    "over: the devices of a group can reach each other's memory, so the "
			    "group goes to one owner whole.  Add --device %s%s", d->name, d->group,
			    e->d_name, buf[0] ? "bound to " : "not bound to any driver", buf,
			    e->d_name, strcmp(buf, "sluice-pci") == 0 ? "" :
			    " after binding it with sluice-devbind --bind=sluice-pci");
		}
		closedir(dir);
	}
}

/* ---- the nodes ----------------------------------------------------------------- */

static void
open_nodes(void)
{
	char path[PATH_MAX];

	/* No O_CLOEXEC: these fds are what PROGRAM inherits. */
	opt.domain_fd = open(SLUICE_IOMMU_PATH, O_RDWR);
	if (opt.domain_fd < 0) {
		if (errno == ENOENT)
			die("%s does not exist: load the module (modprobe sluice, or insmod "
			    "sluice.ko)", SLUICE_IOMMU_PATH);
		die("cannot open %s: %s", SLUICE_IOMMU_PATH, strerror(errno));
	}
	if (sl_launch_fd_check_domain(opt.domain_fd, PROG) < 0)
		exit(1);
	for (unsigned int i = 0; i < opt.nb_dev; i++) {
		struct launch_dev *d = &opt.dev[i];
		struct sluice_device_set_domain sd = {
			.argsz = sizeof(sd),
			.domain_fd = opt.domain_fd,
		};

		snprintf(path, sizeof(path), SLUICE_DEV_DIR "/%s", d->name);
		d->fd = open(path, O_RDWR);
		if (d->fd < 0) {
			if (errno == EBUSY)
				die("%s is in use by another process (a device node is exclusive)",
				    path);
			if (errno == ENOENT)
				die("%s does not exist although %s is bound to sluice-pci: is "
				    "devtmpfs mounted on /dev?", path, d->name);
			die("cannot open %s: %s", path, strerror(errno));
		}
		if (sl_launch_fd_check_device(d->fd, d->name, PROG) < 0)
			exit(1);
		if (ioctl(d->fd, SLUICE_DEVICE_SET_DOMAIN, &sd) < 0) {
			int err = errno;

			if (err == EBUSY)
				die("%s: SET_DOMAIN refused (EBUSY): IOMMU group %d is not viable, "
				    "or is attached to another process's domain; see dmesg",
				    d->name, d->group);
			if (err == EPERM)
				die("%s: SET_DOMAIN refused (EPERM): the platform cannot isolate "
				    "MSIs (no interrupt remapping); see dmesg", d->name);
			if (err == ENODEV)
				die("%s has no IOMMU group: the IOMMU is off", d->name);
			die("%s: SLUICE_DEVICE_SET_DOMAIN failed: %s", d->name, strerror(err));
		}
		info("%s: fd %d, IOMMU group %d, attached to domain fd %d", d->name, d->fd,
		     d->group, opt.domain_fd);
	}
}

static void
export_fds(void)
{
	struct sl_launch_fds fds;
	char buf[64 + SL_LAUNCH_MAX_DEVICES * 32];

	sl_launch_fds_init(&fds);
	fds.domain_fd = opt.domain_fd;
	for (unsigned int i = 0; i < opt.nb_dev; i++) {
		snprintf(fds.dev[i].name, sizeof(fds.dev[i].name), "%s", opt.dev[i].name);
		fds.dev[i].fd = opt.dev[i].fd;
	}
	fds.nb_devices = opt.nb_dev;
	if (sl_launch_fds_format(&fds, buf, sizeof(buf)) < 0 ||
	    setenv(SL_LAUNCH_ENV, buf, 1) != 0)
		die("cannot set " SL_LAUNCH_ENV);
	info(SL_LAUNCH_ENV "=%s", buf);
}

/* ---- memory-lock limit ----------------------------------------------------------- */

/* Bytes in every hugepage pool: all the EAL can pin from hugepages. */
static unsigned long long
hugepage_pool_bytes(void)
{
	unsigned long long total = 0;
	struct dirent *e;
	DIR *d = opendir(SYSFS_HUGEPAGES);

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		unsigned long long kb, n;
		char path[PATH_MAX];
		FILE *f;

		if (sscanf(e->d_name, "hugepages-%llukB", &kb) != 1)
			continue;
		snprintf(path, sizeof(path), SYSFS_HUGEPAGES "/%s/nr_hugepages", e->d_name);
		f = fopen(path, "re");
		if (f == NULL)
			continue;
		if (fscanf(f, "%llu", &n) == 1)
			total += n * kb * 1024;
		fclose(f);
	}
	closedir(d);
	return total;
}

/*
 * Pins are charged against RLIMIT_MEMLOCK and PROGRAM will have no
 * CAP_IPC_LOCK to lift it, so set it while we still may raise the hard
 * limit.
 */
static void
set_memlock(void)
{
	struct rlimit rl;
	rlim_t want = opt.memlock;

	if (getrlimit(RLIMIT_MEMLOCK, &rl) != 0)
		die("getrlimit(RLIMIT_MEMLOCK): %s", strerror(errno));
	if (!opt.memlock_set) {
		want = (rlim_t)hugepage_pool_bytes();
		if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want) {
			info("RLIMIT_MEMLOCK stays %llu KiB (hugepage pools: %llu KiB)",
			     (unsigned long long)rl.rlim_cur >> 10, (unsigned long long)want >> 10);
			return;
		}
	}
	rl.rlim_cur = rl.rlim_max = want;
	if (setrlimit(RLIMIT_MEMLOCK, &rl) != 0)
		die("setrlimit(RLIMIT_MEMLOCK, %llu): %s", (unsigned long long)want,
		    strerror(errno));
	if (want == RLIM_INFINITY)
		info("RLIMIT_MEMLOCK set to unlimited");
	else
		info("RLIMIT_MEMLOCK set to %llu KiB", (unsigned long long)want >> 10);
}

/* ---- dropping privilege ------------------------------------------------------------ */

/* The value of "Key:" in /proc/self/status, "" if absent. */
static void
status_field(const char *key, char *buf, size_t len)
{
	char line[256];
	size_t kl = strlen(key);
	FILE *f = fopen("/proc/self/status", "re");

	buf[0] = '\0';
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, kl) == 0 && line[kl] == ':') {
			char *v = line + kl + 1;

			v += strspn(v, " \t");
			v[strcspn(v, "\n")] = '\0';
			snprintf(buf, len, "%s", v);
			break;
		}
	}
	fclose(f);
}

static int
all_zero(const char *hex)
{
	if (hex[0] == '\0')
		return 0;
	for (; *hex; hex++)
		if (*hex != '0')
			return 0;
	return 1;
}

static void
drop_privileges(void)
{
	static const char *const caps[] = { "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb" };
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];
	uid_t ru, eu, su;
	gid_t rg, eg, sg;
	char v[64];

	/* Bounding set first (needs CAP_SETPCAP, which we still have): no exec
	 * can regain a capability, not even through a file capability. */
	for (unsigned long c = 0; c < 64; c++)
		if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 1 &&
		    prctl(PR_CAPBSET_DROP, c, 0, 0, 0) != 0)
			die("cannot drop capability %lu from the bounding set: %s", c,
			    strerror(errno));
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL)
		die("cannot clear the ambient capabilities: %s", strerror(errno));
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0)
		die("prctl(PR_SET_KEEPCAPS, 0): %s", strerror(errno));

	/* Groups before the uid: afterwards we could not change them. */
	if (opt.pw && opt.group == NULL) {
		if (initgroups(opt.pw->pw_name, opt.gid) != 0)
			die("initgroups(%s): %s", opt.pw->pw_name, strerror(errno));
	} else if (setgroups(1, &opt.gid) != 0) {
		die("setgroups: %s", strerror(errno));
	}
	if (setresgid(opt.gid, opt.gid, opt.gid) != 0)
		die("setresgid(%u): %s", (unsigned int)opt.gid, strerror(errno));
	/* From uid 0 to another with KEEPCAPS off, the kernel clears the
	 * permitted and effective sets. */
	if (setresuid(opt.uid, opt.uid, opt.uid) != 0)
		die("setresuid(%u): %s", (unsigned int)opt.uid, strerror(errno));
	/* The inheritable set is not cleared by setuid: clear it. */
	memset(data, 0, sizeof(data));
	if (syscall(SYS_capset, &hdr, data) != 0)
		die("capset(0): %s", strerror(errno));
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		die("prctl(PR_SET_NO_NEW_PRIVS): %s", strerror(errno));

	/* Check rather than trust: refuse to run PROGRAM with anything left. */
	if (getresuid(&ru, &eu, &su) != 0 || ru != opt.uid || eu != opt.uid || su != opt.uid ||
	    getresgid(&rg, &eg, &sg) != 0 || rg != opt.gid || eg != opt.gid || sg != opt.gid)
		die("uid/gid did not change as asked; not running the program");
	if (setuid(0) == 0)
		die("setuid(0) still succeeds after dropping privilege; not running the program");
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		status_field(caps[i], v, sizeof(v));
		if (!all_zero(v))
			die("%s is '%s' after dropping privilege, not 0; not running the program",
			    caps[i], v);
	}
	status_field("NoNewPrivs", v, sizeof(v));
	if (strcmp(v, "1") != 0)
		die("NoNewPrivs is '%s', not 1; not running the program", v);
	info("running as uid %u gid %u, no capabilities, no_new_privs", (unsigned int)opt.uid,
	     (unsigned int)opt.gid);
}

static void
set_user_env(void)
{
	if (opt.pw == NULL)
		return;
	setenv("USER", opt.pw->pw_name, 1);
	setenv("LOGNAME", opt.pw->pw_name, 1);
	setenv("HOME", opt.pw->pw_dir, 1);
}

int
main(int argc, char **argv)
{
	int first = parse_args(argc, argv);

	if (geteuid() != 0)
		die("must run as root: it opens the /dev/sluice nodes, attaches the devices and "
		    "then changes to --user %s", opt.user);
	resolve_user();
	/* Only stdin, stdout, stderr and the sluice fds reach PROGRAM. */
	if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) != 0)
		die("close_range(CLOEXEC): %s", strerror(errno));
	check_devices();
	open_nodes();
	export_fds();
	set_memlock();
	set_user_env();
	drop_privileges();
	execvp(argv[first], argv + first);
	/* 127/126 as a shell says "not found" / "cannot execute" */
	fprintf(stderr, PROG ": cannot run %s: %s\n", argv[first], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
