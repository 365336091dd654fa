/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Taking over the fds that sluice-launch hands to the application (see
 * sl_launch.h and doc/kernel-module.md, "The launcher").  Parsing and the
 * checks are public so that the launcher and the tests share them; the
 * process-wide state (which fds were handed over, which ones the PCI bus
 * and the IOMMU context took) is EAL-private.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "sl_launch.h"
#include "sl_log.h"
#include "sluice.h"
#include "eal_private.h"

#define SYSFS_PCI_DEVICES "/sys/bus/pci/devices"
/* Kernel names of the nodes (relative to /dev, as in SLUICE_DEV_DIR and
 * SLUICE_IOMMU_PATH): "sluice/iommu" and "sluice/<address>". */
#define NODE_PREFIX "sluice/"
#define NODE_PREFIX_LEN (sizeof(NODE_PREFIX) - 1)
#define NODE_IOMMU NODE_PREFIX "iommu"
#define LAUNCH_FIX "start the application through sluice-launch (which opens the " \
		   "nodes as root and passes their fds), or drop the option"

/* ---- parsing ------------------------------------------------------------ */

void
sl_launch_fds_init(struct sl_launch_fds *fds)
{
	memset(fds, 0, sizeof(*fds));
	fds->domain_fd = -1;
}

/* Decimal fd number: digits only, below INT_MAX. */
static int
parse_fd(const char *s, size_t len, int *fd)
{
	long v = 0;

	if (len == 0 || len > 9)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -EINVAL;
		v = v * 10 + (s[i] - '0');
	}
	*fd = (int)v;
	return 0;
}

/* Up to @p max hex digits; @return digits used (0: none or too many). */
static size_t
hex_run(const char *s, size_t len, size_t max, unsigned int *v)
{
	size_t n = 0;

	*v = 0;
	while (n < len && isxdigit((unsigned char)s[n])) {
		if (n == max)
			return 0;
		*v = *v * 16 + (unsigned int)(isdigit((unsigned char)s[n]) ? s[n] - '0' :
					      tolower((unsigned char)s[n]) - 'a' + 10);
		n++;
	}
	return n;
}

/* "dddd:bb:dd.f" or "bb:dd.f" (domain 0) into canonical lowercase form. */
static int
canon_bdf(const char *s, size_t len, char out[SL_LAUNCH_NAME_LEN])
{
	unsigned int f[4] = { 0 };
	static const size_t max[4] = { 4, 2, 2, 1 };
	static const char sep[4] = { ':', ':', '.', '\0' };
	unsigned int colons = 0;
	size_t p = 0, n;

	for (size_t i = 0; i < len; i++)
		colons += s[i] == ':';
	for (unsigned int i = colons == 2 ? 0 : 1; i < 4; i++) {
		n = hex_run(s + p, len - p, max[i], &f[i]);
		if (n == 0)
			return -EINVAL;
		p += n;
		if (i < 3) {
			if (p >= len || s[p] != sep[i])
				return -EINVAL;
			p++;
		}
	}
	if (p != len || f[2] > 0x1f || f[3] > 7)
		return -EINVAL;
	snprintf(out, SL_LAUNCH_NAME_LEN, "%04x:%02x:%02x.%x", f[0] & 0xffff, f[1] & 0xff,
		 f[2], f[3]);
	return 0;
}

static int
fd_listed(const struct sl_launch_fds *fds, int fd)
{
	if (fds->domain_fd == fd)
		return 1;
	for (unsigned int i = 0; i < fds->nb_devices; i++)
		if (fds->dev[i].fd == fd)
			return 1;
	return 0;
}

int
sl_launch_fds_set_domain(struct sl_launch_fds *fds, const char *arg, const char *what)
{
	int fd;

	if (fds == NULL || arg == NULL || what == NULL)
		return -EINVAL;
	if (parse_fd(arg, strlen(arg), &fd) < 0) {
		SL_LOG(ERR, EAL, "invalid value '%s' for %s: expected the number of an open "
		       "fd (>= 0), like 3", arg, what);
		return -EINVAL;
	}
	if (fds->domain_fd >= 0) {
		SL_LOG(ERR, EAL, "%s: domain fd given twice (%d and %d): a process has one "
		       "IOMMU domain; give it once", what, fds->domain_fd, fd);
		return -EINVAL;
	}
	if (fd_listed(fds, fd)) {
		SL_LOG(ERR, EAL, "%s: fd %d is given as the domain and as a device: each "
		       "node has its own fd", what, fd);
		return -EINVAL;
	}
	fds->domain_fd = fd;
	return 0;
}

/* "BDF=N" of length @p len (not NUL-terminated inside the env string). */
static int
add_device(struct sl_launch_fds *fds, const char *arg, size_t len, const char *what)
{
	const char *eq = memchr(arg, '=', len);
	char name[SL_LAUNCH_NAME_LEN];
	int fd;

	if (eq == NULL || canon_bdf(arg, (size_t)(eq - arg), name) < 0 ||
	    parse_fd(eq + 1, len - (size_t)(eq + 1 - arg), &fd) < 0) {
		SL_LOG(ERR, EAL, "invalid value '%.*s' for %s: expected PCI_ADDRESS=FD, like "
		       "0000:00:04.0=4", (int)len, arg, what);
		return -EINVAL;
	}
	for (unsigned int i = 0; i < fds->nb_devices; i++) {
		if (strcmp(fds->dev[i].name, name) == 0) {
			SL_LOG(ERR, EAL, "%s: device %s given twice (fds %d and %d); give each "
			       "device once", what, name, fds->dev[i].fd, fd);
			return -EINVAL;
		}
	}
	if (fd_listed(fds, fd)) {
		SL_LOG(ERR, EAL, "%s: fd %d of device %s is already given for another node; "
		       "each node has its own fd", what, fd, name);
		return -EINVAL;
	}
	if (fds->nb_devices == SL_LAUNCH_MAX_DEVICES) {
		SL_LOG(ERR, EAL, "%s: more than %d device fds; use several processes", what,
		       SL_LAUNCH_MAX_DEVICES);
		return -E2BIG;
	}
	memcpy(fds->dev[fds->nb_devices].name, name, sizeof(name));
	fds->dev[fds->nb_devices].fd = fd;
	fds->nb_devices++;
	return 0;
}

int
sl_launch_fds_add_device(struct sl_launch_fds *fds, const char *arg, const char *what)
{
	if (fds == NULL || arg == NULL || what == NULL)
		return -EINVAL;
	return add_device(fds, arg, strlen(arg), what);
}

int
sl_launch_fds_parse(const char *spec, struct sl_launch_fds *fds)
{
	static const char key_domain[] = "domain=";
	const char *p, *end;
	int ret;

	if (spec == NULL || fds == NULL)
		return -EINVAL;
	sl_launch_fds_init(fds);
	if (*spec == '\0') {
		SL_LOG(ERR, EAL, SL_LAUNCH_ENV " is empty: unset it, or let sluice-launch set it");
		return -EINVAL;
	}
	for (p = spec; ; p = end + 1) {
		size_t len;

		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		len = (size_t)(end - p);
		if (len > sizeof(key_domain) - 1 &&
		    strncmp(p, key_domain, sizeof(key_domain) - 1) == 0) {
			char num[16];

			if (len - (sizeof(key_domain) - 1) >= sizeof(num)) {
				SL_LOG(ERR, EAL, "invalid item '%.*s' in " SL_LAUNCH_ENV ": the fd "
				       "number is too long", (int)len, p);
				ret = -EINVAL;
				goto err;
			}
			snprintf(num, sizeof(num), "%.*s", (int)(len - (sizeof(key_domain) - 1)),
				 p + sizeof(key_domain) - 1);
			ret = sl_launch_fds_set_domain(fds, num, SL_LAUNCH_ENV);
		} else {
			ret = add_device(fds, p, len, SL_LAUNCH_ENV);
		}
		if (ret < 0)
			goto err;
		if (*end == '\0')
			break;
	}
	if (fds->nb_devices > 0 && fds->domain_fd < 0) {
		SL_LOG(ERR, EAL, SL_LAUNCH_ENV "='%s' lists devices but no domain=FD: the "
		       "devices are attached to a domain the process must own", spec);
		ret = -EINVAL;
		goto err;
	}
	return 0;
err:
	sl_launch_fds_init(fds);
	return ret;
}

int
sl_launch_fds_format(const struct sl_launch_fds *fds, char *buf, size_t len)
{
	size_t n = 0;
	int w;

	if (fds == NULL || buf == NULL || len == 0)
		return -EINVAL;
	buf[0] = '\0';
	if (fds->domain_fd >= 0) {
		w = snprintf(buf, len, "domain=%d", fds->domain_fd);
		if (w < 0 || (size_t)w >= len)
			return -ENOSPC;
		n = (size_t)w;
	}
	for (unsigned int i = 0; i < fds->nb_devices; i++) {
		w = snprintf(buf + n, len - n, "%s%s=%d", n ? "," : "", fds->dev[i].name,
			     fds->dev[i].fd);
		if (w < 0 || (size_t)w >= len - n)
			return -ENOSPC;
		n += (size_t)w;
	}
	return (int)n;
}

/* ---- checking an fd ------------------------------------------------------- */

static const char *
file_kind(mode_t m)
{
	if (S_ISREG(m))
		return "a regular file";
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a pipe";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISBLK(m))
		return "a block device";
	return "not a character device";
}

/*
 * The kernel's name for character device @p rdev, relative to /dev
 * ("sluice/iommu", "null"), from /sys/dev/char/MAJ:MIN/uevent.  "" if
 * unknown.
 */
static void
chrdev_name(dev_t rdev, char *buf, size_t len)
{
	char path[64], line[128];
	FILE *f;

	buf[0] = '\0';
	if (len < sizeof(line))
		return;
	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/uevent", major(rdev), minor(rdev));
	f = fopen(path, "re");
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "DEVNAME=", 8) == 0) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(buf, len, "%s", line + 8);
			break;
		}
	}
	fclose(f);
}

/*
 * Open, read-write, a character device: @return 0 with its kernel name in
 * @p name, or the logged error.
 */
static int
check_chrdev(int fd, const char *what, const char *want, char *name, size_t len)
{
	struct stat st;
	int fl;

	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fstat(fd, &st) < 0) {
		SL_LOG(ERR, EAL, "%s: fd %d is not open in this process, so it cannot be %s: "
		       "%s", what, fd, want, LAUNCH_FIX);
		return -EBADF;
	}
	if (!S_ISCHR(st.st_mode)) {
		SL_LOG(ERR, EAL, "%s: fd %d is %s, not %s: %s", what, fd, file_kind(st.st_mode),
		       want, LAUNCH_FIX);
		return -ENOTTY;
	}
	chrdev_name(st.st_rdev, name, len);
	if (strncmp(name, NODE_PREFIX, NODE_PREFIX_LEN) != 0) {
		SL_LOG(ERR, EAL, "%s: fd %d is character device %u:%u (/dev/%s), not %s: %s",
		       what, fd, major(st.st_rdev), minor(st.st_rdev), name[0] ? name : "?",
		       want, LAUNCH_FIX);
		return -ENOTTY;
	}
	if ((fl & O_ACCMODE) != O_RDWR) {
		SL_LOG(ERR, EAL, "%s: fd %d (/dev/%s) is not open for reading and writing: "
		       "open it with O_RDWR (sluice-launch does)", what, fd, name);
		return -EBADF;
	}
	return 0;
}

int
sl_launch_fd_check_domain(int fd, const char *what)
{
	struct sluice_iommu_info info = { .argsz = sizeof(info) };
	char name[128];
	int ret;

	if (what == NULL)
		return -EINVAL;
	ret = check_chrdev(fd, what, "the sluice domain device " SLUICE_IOMMU_PATH, name,
			   sizeof(name));
	if (ret < 0)
		return ret;
	if (strcmp(name, NODE_IOMMU) != 0) {
		SL_LOG(ERR, EAL, "%s: fd %d is /dev/%s, a device node, not the domain device "
		       SLUICE_IOMMU_PATH ": pass the domain fd as the domain", what, fd, name);
		return -ENOTTY;
	}
	if (ioctl(fd, SLUICE_IOMMU_GET_INFO, &info) < 0) {
		ret = -errno;
		SL_LOG(ERR, EAL, "%s: SLUICE_IOMMU_GET_INFO on fd %d failed: %s", what, fd,
		       strerror(-ret));
		return ret;
	}
	if (info.version != SLUICE_API_VERSION) {
		SL_LOG(ERR, EAL, "%s: the sluice module behind fd %d speaks API version %u, this "
		       "library %u: rebuild and load the module from this tree", what, fd,
		       info.version, SLUICE_API_VERSION);
		return -ENOTSUP;
	}
	return 0;
}

static int
sysfs_hex(const char *dev, const char *attr, unsigned long *v)
{
	char path[128], buf[32];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), SYSFS_PCI_DEVICES "/%s/%s", dev, attr);
	f = fopen(path, "re");
	if (f == NULL)
		return -errno;
	ok = fgets(buf, sizeof(buf), f) != NULL;
	fclose(f);
	if (!ok)
		return -EIO;
	*v = strtoul(buf, NULL, 16);
	return 0;
}

static int
sysfs_group(const char *dev)
{
	char path[128], target[256];
	const char *base;
	ssize_t n;

	snprintf(path, sizeof(path), SYSFS_PCI_DEVICES "/%s/iommu_group", dev);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -1;
	target[n] = '\0';
	base = strrchr(target, '/');
	return atoi(base ? base + 1 : target);
}

int
sl_launch_fd_check_device(int fd, const char *name, const char *what)
{
	struct sluice_device_info info = { .argsz = sizeof(info) };
	char want[96], node[128], canon[SL_LAUNCH_NAME_LEN];
	unsigned long vendor = 0, device = 0;
	int ret, group;

	if (name == NULL || what == NULL || canon_bdf(name, strlen(name), canon) < 0)
		return -EINVAL;
	snprintf(want, sizeof(want), "the sluice node of %s (" SLUICE_DEV_DIR "/%s)", canon,
		 canon);
	ret = check_chrdev(fd, what, want, node, sizeof(node));
	if (ret < 0)
		return ret;
	if (strcmp(node + NODE_PREFIX_LEN, canon) != 0) {
		SL_LOG(ERR, EAL, "%s: fd %d is /dev/%s, not %s: give each device the fd of its "
		       "own node", what, fd, node, want);
		return -ENOTTY;
	}
	if (ioctl(fd, SLUICE_DEVICE_GET_INFO, &info) < 0) {
		ret = -errno;
		SL_LOG(ERR, EAL, "%s: SLUICE_DEVICE_GET_INFO on fd %d (%s) failed: %s", what, fd,
		       canon, strerror(-ret));
		return ret;
	}
	if (sysfs_hex(canon, "vendor", &vendor) < 0 || sysfs_hex(canon, "device", &device) < 0) {
		SL_LOG(ERR, EAL, "%s: fd %d is the node of %s, but %s/%s is unreadable: is sysfs "
		       "mounted?", what, fd, canon, SYSFS_PCI_DEVICES, canon);
		return -EIO;
	}
	group = sysfs_group(canon);
	if (info.vendor_id != vendor || info.device_id != device || info.iommu_group != group) {
		SL_LOG(ERR, EAL, "%s: fd %d reports device %04x:%04x in IOMMU group %d, but sysfs "
		       "shows %s as %04lx:%04lx in group %d: the fd is not the node of %s",
		       what, fd, info.vendor_id, info.device_id, info.iommu_group, canon, vendor,
		       device, group, canon);
		return -EIO;
	}
	return 0;
}

/* ---- the process's handed-over fds ------------------------------------------ */

static struct {
	struct sl_launch_fds fds;
	int active;
	int domain_taken;
	int dev_taken[SL_LAUNCH_MAX_DEVICES];
} launch = { .fds = { .domain_fd = -1 } };

static int
find_device(const char *name)
{
	char canon[SL_LAUNCH_NAME_LEN];

	if (canon_bdf(name, strlen(name), canon) < 0)
		return -1;
	for (unsigned int i = 0; i < launch.fds.nb_devices; i++)
		if (strcmp(launch.fds.dev[i].name, canon) == 0)
			return (int)i;
	return -1;
}

/* /sys/class/sluice/<name>/domain: the id of the device's domain, -1 if
 * none or unknown. */
static long
class_domain(const char *name)
{
	char path[128], buf[32];
	long id = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/sluice/%s/domain", name);
	f = fopen(path, "re");
	if (f == NULL)
		return -1;
	if (fgets(buf, sizeof(buf), f) && isdigit((unsigned char)buf[0]))
		id = strtol(buf, NULL, 10);
	fclose(f);
	return id;
}

int
eal_launch_setup(const struct sl_launch_fds *opt_fds, int opts_given)
{
	struct sluice_iommu_stats st = { .argsz = sizeof(st) };
	struct sl_launch_fds fds;
	const char *what = opts_given ? "--device-fd" : SL_LAUNCH_ENV;
	const char *env = getenv(SL_LAUNCH_ENV);
	unsigned int attached = 0;
	int ret;

	eal_launch_cleanup();
	if (opts_given) {
		fds = *opt_fds;
		if (env)
			SL_LOG(WARNING, EAL, "--domain-fd/--device-fd given: ignoring "
			       SL_LAUNCH_ENV "='%s'", env);
		if (fds.nb_devices > 0 && fds.domain_fd < 0) {
			SL_LOG(ERR, EAL, "--device-fd given without --domain-fd: the devices are "
			       "attached to a domain the process must own; add --domain-fd N");
			return -EINVAL;
		}
	} else if (env) {
		ret = sl_launch_fds_parse(env, &fds);
		if (ret < 0)
			return ret;
		/* Read once: after sl_eal_cleanup() the numbers may name other
		 * files, so a second sl_eal_init() must not take them again. */
		unsetenv(SL_LAUNCH_ENV);
	} else {
		return 0;
	}

	if (fds.domain_fd >= 0) {
		ret = sl_launch_fd_check_domain(fds.domain_fd, opts_given ? "--domain-fd" :
						SL_LAUNCH_ENV);
		if (ret < 0)
			return ret;
	}
	for (unsigned int i = 0; i < fds.nb_devices; i++) {
		struct sluice_device_info info = { .argsz = sizeof(info) };

		ret = sl_launch_fd_check_device(fds.dev[i].fd, fds.dev[i].name, what);
		if (ret < 0)
			return ret;
		if (ioctl(fds.dev[i].fd, SLUICE_DEVICE_GET_INFO, &info) == 0 &&
		    (info.flags & SLUICE_DEVICE_FLAGS_DOMAIN_SET))
			attached++;
	}
	/* A device attached by the launcher must be in the domain we were
	 * given: nothing names the domain of a device, but the domain counts
	 * its devices, so fds from two launches cannot be mixed silently. */
	if (fds.domain_fd >= 0 && attached > 0) {
		if (ioctl(fds.domain_fd, SLUICE_IOMMU_GET_STATS, &st) < 0) {
			ret = -errno;
			SL_LOG(ERR, EAL, "%s: SLUICE_IOMMU_GET_STATS on domain fd %d failed: %s",
			       what, fds.domain_fd, strerror(-ret));
			return ret;
		}
		if (st.nr_devices < attached) {
			SL_LOG(ERR, EAL, "%s: %u of the device fds are attached to a domain, but "
			       "domain fd %d holds only %u device(s): pass the domain the devices "
			       "were attached to", what, attached, fds.domain_fd, st.nr_devices);
			return -EINVAL;
		}
		for (unsigned int i = 0; i < fds.nb_devices; i++) {
			long id = class_domain(fds.dev[i].name);

			if (id >= 0 && id != (long)st.id) {
				SL_LOG(ERR, EAL, "%s: device %s (fd %d) is attached to domain %ld, "
				       "but domain fd %d is domain %u: pass the domain the devices "
				       "were attached to", what, fds.dev[i].name, fds.dev[i].fd, id,
				       fds.domain_fd, st.id);
				return -EINVAL;
			}
		}
	}
	/* Ours now: programs the application starts do not inherit them. */
	if (fds.domain_fd >= 0)
		fcntl(fds.domain_fd, F_SETFD, FD_CLOEXEC);
	for (unsigned int i = 0; i < fds.nb_devices; i++)
		fcntl(fds.dev[i].fd, F_SETFD, FD_CLOEXEC);
	launch.fds = fds;
	launch.active = 1;
	SL_LOG(INFO, EAL, "taking over %s fds: domain fd %d, %u device fd(s)", what,
	       fds.domain_fd, fds.nb_devices);
	return 0;
}

int
eal_launch_active(void)
{
	return launch.active;
}

int
eal_launch_has_device(const char *name)
{
	int i;

	if (!launch.active)
		return 0;
	i = find_device(name);
	if (i < 0)
		return 0;
	return launch.dev_taken[i] ? -EALREADY : 1;
}

int
eal_launch_take_device(const char *name)
{
	int i;

	if (!launch.active)
		return -ENOENT;
	i = find_device(name);
	if (i < 0)
		return -ENOENT;
	if (launch.dev_taken[i])
		return -EALREADY;
	launch.dev_taken[i] = 1;
	return launch.fds.dev[i].fd;
}

int
eal_launch_take_domain(void)
{
	if (!launch.active || launch.fds.domain_fd < 0)
		return -ENOENT;
	if (launch.domain_taken)
		return -EALREADY;
	launch.domain_taken = 1;
	return launch.fds.domain_fd;
}

void
eal_launch_cleanup(void)
{
	/* Fds taken were closed by their users; close those never used, so
	 * that a device nobody probed is released now, not at exit. */
	for (unsigned int i = 0; i < launch.fds.nb_devices; i++)
		if (!launch.dev_taken[i])
			close(launch.fds.dev[i].fd);
	if (launch.active && launch.fds.domain_fd >= 0 && !launch.domain_taken)
		close(launch.fds.domain_fd);
	memset(&launch, 0, sizeof(launch));
	launch.fds.domain_fd = -1;
}
