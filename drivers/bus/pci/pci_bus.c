/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PCI bus: sysfs scan, id-table matching, -a/-b filtering and probing
 * through the sluice-pci or vfio-pci backend.  See sl_bus_pci.h.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/pci_regs.h>

#include "sl_bus.h"
#include "sl_log.h"
#include "eal_private.h"

#include "pci_private.h"

TAILQ_HEAD(pci_dev_list, sl_pci_device);
TAILQ_HEAD(pci_drv_list, sl_pci_driver);

static struct pci_dev_list pci_devices = TAILQ_HEAD_INITIALIZER(pci_devices);
static struct pci_drv_list pci_drivers = TAILQ_HEAD_INITIALIZER(pci_drivers);

void
sl_pci_register(struct sl_pci_driver *drv)
{
	TAILQ_INSERT_TAIL(&pci_drivers, drv, next);
}

void
sl_pci_unregister(struct sl_pci_driver *drv)
{
	struct sl_pci_driver *d;

	TAILQ_FOREACH(d, &pci_drivers, next)
		if (d == drv) {
			TAILQ_REMOVE(&pci_drivers, drv, next);
			break;
		}
}

/* ---- addresses -------------------------------------------------------- */

/* Parse exactly @p maxdigits or fewer hex digits; @return chars used, 0 if none. */
static int
hex_field(const char *s, unsigned int maxdigits, unsigned int *v)
{
	unsigned int n = 0;

	*v = 0;
	while (n < maxdigits && isxdigit((unsigned char)s[n])) {
		char c = (char)tolower((unsigned char)s[n]);
		*v = *v * 16 + (unsigned int)(c <= '9' ? c - '0' : c - 'a' + 10);
		n++;
	}
	return isxdigit((unsigned char)s[n]) ? 0 : (int)n;
}

int
sl_pci_addr_parse(const char *s, struct sl_pci_addr *addr)
{
	unsigned int f[4];
	static const unsigned int digits[4] = { 4, 2, 2, 1 };
	const char *p = s;
	int n;

	if (s == NULL || addr == NULL)
		return -EINVAL;
	/* dddd:bb:dd.f or bb:dd.f: count the colons to know which. */
	unsigned int first = strchr(s, ':') && strchr(strchr(s, ':') + 1, ':') ? 0 : 1;
	f[0] = 0;
	for (unsigned int i = first; i < 4; i++) {
		n = hex_field(p, digits[i], &f[i]);
		if (n == 0)
			return -EINVAL;
		p += n;
		if (i < 2 && *p++ != ':')
			return -EINVAL;
		if (i == 2 && *p++ != '.')
			return -EINVAL;
	}
	if (*p != '\0' || f[2] > 0x1f || f[3] > 7)
		return -EINVAL;
	addr->domain = f[0];
	addr->bus = (uint8_t)f[1];
	addr->devid = (uint8_t)f[2];
	addr->function = (uint8_t)f[3];
	return 0;
}

void
sl_pci_addr_format(const struct sl_pci_addr *addr, char *buf, size_t len)
{
	snprintf(buf, len, "%04x:%02x:%02x.%x", addr->domain, addr->bus, addr->devid,
		 addr->function);
}

static int
addr_eq(const struct sl_pci_addr *a, const struct sl_pci_addr *b)
{
	return a->domain == b->domain && a->bus == b->bus && a->devid == b->devid &&
	       a->function == b->function;
}

/* ---- sysfs helpers ----------------------------------------------------- */

static int
sysfs_read_ulong(const char *dev, const char *attr, unsigned long *val)
{
	char path[PATH_MAX], buf[64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", SL_PCI_SYSFS_DEVICES, dev, attr);
	f = fopen(path, "re");
	if (f == NULL)
		return -errno;
	if (fgets(buf, sizeof(buf), f) == NULL) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	errno = 0;
	*val = strtoul(buf, NULL, 0);
	return errno ? -errno : 0;
}

/* Basename of the symlink @p dev/@p link, "" if absent. */
static void
sysfs_link_name(const char *dev, const char *link, char *buf, size_t len)
{
	char path[PATH_MAX], target[PATH_MAX];
	ssize_t n;
	const char *base;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "%s/%s/%s", SL_PCI_SYSFS_DEVICES, dev, link);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return;
	target[n] = '\0';
	base = strrchr(target, '/');
	snprintf(buf, len, "%s", base ? base + 1 : target);
}

void
pci_unmap_bars(struct sl_pci_device *dev)
{
	for (int i = 0; i < SL_PCI_MAX_BARS; i++) {
		if (dev->bar[i].addr)
			munmap(dev->bar[i].addr, dev->bar[i].len);
		dev->bar[i].addr = NULL;
		dev->bar[i].len = 0;
	}
}

void
pci_read_kdriver(const char *name, char *buf, size_t len)
{
	sysfs_link_name(name, "driver", buf, len);
}

void
pci_log_group_members(int group, const char *self)
{
	char path[PATH_MAX], drv[64];
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%d/devices", SL_PCI_SYSFS_GROUPS, group);
	d = opendir(path);
	if (d == NULL)
		return;
	SL_LOG(ERR, PCI, "IOMMU group %d holds:", group);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		pci_read_kdriver(e->d_name, drv, sizeof(drv));
		SL_LOG(ERR, PCI, "  %s%s bound to %s", e->d_name,
		       strcmp(e->d_name, self) == 0 ? " (this device)" : "",
		       drv[0] ? drv : "no driver");
	}
	closedir(d);
	SL_LOG(ERR, PCI, "every device of the group must be bound to the same user-space driver "
	       "(or to none): sluice-devbind --bind=<driver> <address>...");
}

/* ---- scan --------------------------------------------------------------- */

static void
pci_free_devices(void)
{
	struct sl_pci_device *dev;

	while ((dev = TAILQ_FIRST(&pci_devices)) != NULL) {
		TAILQ_REMOVE(&pci_devices, dev, next);
		free(dev);
	}
}

static struct sl_pci_device *
pci_scan_one(const char *name)
{
	struct sl_pci_device *dev;
	unsigned long v;
	char grp[32];

	dev = calloc(1, sizeof(*dev));
	if (dev == NULL)
		return NULL;
	if (sl_pci_addr_parse(name, &dev->addr) < 0)
		goto skip;
	sl_pci_addr_format(&dev->addr, dev->name, sizeof(dev->name));
	if (sysfs_read_ulong(name, "vendor", &v) < 0)
		goto skip;
	dev->id.vendor_id = (uint16_t)v;
	if (sysfs_read_ulong(name, "device", &v) < 0)
		goto skip;
	dev->id.device_id = (uint16_t)v;
	if (sysfs_read_ulong(name, "subsystem_vendor", &v) == 0)
		dev->subsystem_vendor_id = (uint16_t)v;
	if (sysfs_read_ulong(name, "subsystem_device", &v) == 0)
		dev->subsystem_device_id = (uint16_t)v;
	if (sysfs_read_ulong(name, "class", &v) == 0)
		dev->class_id = (uint32_t)v;
	dev->numa_node = SL_SOCKET_ID_ANY;
	if (sysfs_read_ulong(name, "numa_node", &v) == 0 && (long)v >= 0)
		dev->numa_node = (int)v;
	sysfs_link_name(name, "iommu_group", grp, sizeof(grp));
	dev->iommu_group = grp[0] ? atoi(grp) : -1;
	pci_read_kdriver(name, dev->kdriver, sizeof(dev->kdriver));
	dev->dev_fd = -1;
	return dev;
skip:
	free(dev);
	errno = EINVAL;
	return NULL;
}

static const struct sl_devargs *
devargs_find(enum sl_devtype type, const struct sl_pci_addr *addr)
{
	unsigned int n = sl_devargs_count(type);

	for (unsigned int i = 0; i < n; i++) {
		const struct sl_devargs *da = sl_devargs_get(type, i);
		struct sl_pci_addr a;
		if (da && sl_pci_addr_parse(da->name, &a) == 0 && addr_eq(&a, addr))
			return da;
	}
	return NULL;
}

const char *
sl_pci_device_args(const struct sl_pci_device *dev)
{
	const struct sl_devargs *da = devargs_find(SL_DEVTYPE_ALLOWED, &dev->addr);

	return da ? da->args : "";
}

static int
pci_scan(void)
{
	struct dirent *e;
	DIR *d;

	pci_free_devices();
	if (sl_eal_no_pci())
		return 0;
	d = opendir(SL_PCI_SYSFS_DEVICES);
	if (d == NULL) {
		SL_LOG(WARNING, PCI, "cannot read %s: %s; no PCI devices", SL_PCI_SYSFS_DEVICES,
		       strerror(errno));
		return 0;
	}
	while ((e = readdir(d)) != NULL) {
		struct sl_pci_device *dev, *it;
		if (e->d_name[0] == '.')
			continue;
		dev = pci_scan_one(e->d_name);
		if (dev == NULL) {
			if (errno == ENOMEM) {
				closedir(d);
				pci_free_devices();
				return -ENOMEM;
			}
			continue;
		}
		/* Keep the list sorted by address so probing order (and port
		 * ids) does not depend on readdir order. */
		TAILQ_FOREACH(it, &pci_devices, next)
			if (strcmp(it->name, dev->name) > 0)
				break;
		if (it)
			TAILQ_INSERT_BEFORE(it, dev, next);
		else
			TAILQ_INSERT_TAIL(&pci_devices, dev, next);
	}
	closedir(d);
	return 0;
}

/* ---- probe ---------------------------------------------------------------- */

static struct sl_pci_driver *
pci_match(const struct sl_pci_device *dev)
{
	struct sl_pci_driver *drv;

	TAILQ_FOREACH(drv, &pci_drivers, next) {
		for (const struct sl_pci_id *id = drv->id_table; id && id->vendor_id; id++) {
			if (id->vendor_id != dev->id.vendor_id)
				continue;
			if (id->device_id == SL_PCI_ANY_ID || id->device_id == dev->id.device_id)
				return drv;
		}
	}
	return NULL;
}

static void
pci_release(struct sl_pci_device *dev)
{
	if (dev->backend == SL_PCI_BACKEND_SLUICE)
		pci_sluice_close(dev);
	else if (dev->backend == SL_PCI_BACKEND_VFIO)
		pci_vfio_close(dev);
	dev->backend = SL_PCI_BACKEND_NONE;
	dev->driver = NULL;
}

/*
 * With fds handed over by sluice-launch only those devices may be probed:
 * the process must not open a node itself.  @return 1 to go on, 0 to skip
 * quietly, or the error (logged) when the user named the device.
 */
static int
pci_launch_check(const struct sl_pci_device *dev, int explicit)
{
	int has = eal_launch_has_device(dev->name);

	if (has == 1 && strcmp(dev->kdriver, "sluice-pci") == 0)
		return 1;
	if (!explicit) {
		SL_LOG(INFO, PCI, "skipping %s: sluice-launch did not hand it over", dev->name);
		return 0;
	}
	if (has == -EALREADY)
		SL_LOG(ERR, PCI, "%s: the fd sluice-launch handed over was closed when the device "
		       "was detached; it cannot be reopened without privilege: restart the "
		       "application through sluice-launch", dev->name);
	else if (has == 1)
		SL_LOG(ERR, PCI, "%s was handed over by sluice-launch but is now bound to %s, "
		       "not sluice-pci", dev->name, dev->kdriver[0] ? dev->kdriver : "no driver");
	else
		SL_LOG(ERR, PCI, "%s was not handed over by sluice-launch, and with handed-over "
		       "fds the application opens no device node itself: add --device %s to "
		       "the sluice-launch command line", dev->name, dev->name);
	return -ENODEV;
}

/*
 * @param explicit the user named the device (-a or sl_pci_device_probe):
 *        then a device we cannot take is an error, otherwise a notice.
 */
static int
pci_probe_one(struct sl_pci_device *dev, struct sl_pci_driver *drv, int explicit)
{
	int ret;

	/* The driver binding may have changed since the scan (sluice-devbind
	 * between two sl_eal_init calls, re-probe). */
	pci_read_kdriver(dev->name, dev->kdriver, sizeof(dev->kdriver));
	if (eal_launch_active()) {
		ret = pci_launch_check(dev, explicit);
		if (ret <= 0)
			return ret;
	}
	if (strcmp(dev->kdriver, "sluice-pci") == 0) {
		ret = pci_sluice_open(dev);
	} else if (strcmp(dev->kdriver, "vfio-pci") == 0) {
		ret = pci_vfio_open(dev);
	} else {
		if (explicit)
			SL_LOG(ERR, PCI, "%s (%04x:%04x) is %s%s; bind it for user space with: "
			       "sluice-devbind --bind=sluice-pci %s (or --bind=vfio-pci)", dev->name,
			       dev->id.vendor_id, dev->id.device_id,
			       dev->kdriver[0] ? "bound to kernel driver " : "not bound to any driver",
			       dev->kdriver, dev->name);
		else
			SL_LOG(INFO, PCI, "skipping %s (%04x:%04x): bound to %s, not to sluice-pci or "
			       "vfio-pci", dev->name, dev->id.vendor_id, dev->id.device_id,
			       dev->kdriver[0] ? dev->kdriver : "no driver");
		return explicit ? -ENODEV : 0;
	}
	if (ret < 0)
		return ret;
	dev->driver = drv;
	ret = drv->probe(drv, dev);
	if (ret < 0) {
		SL_LOG(ERR, PCI, "driver %s failed to probe %s: %s", drv->name, dev->name,
		       strerror(-ret));
		pci_release(dev);
		return ret;
	}
	SL_LOG(INFO, PCI, "%s (%04x:%04x) probed by %s through %s", dev->name, dev->id.vendor_id,
	       dev->id.device_id, drv->name, dev->kdriver);
	return 0;
}

static int
pci_probe(void)
{
	unsigned int nb_allowed = sl_devargs_count(SL_DEVTYPE_ALLOWED);
	struct sl_pci_device *dev;
	int ret = 0;

	/* Every -a that names a PCI address must name a scanned device. */
	for (unsigned int i = 0; i < nb_allowed; i++) {
		const struct sl_devargs *da = sl_devargs_get(SL_DEVTYPE_ALLOWED, i);
		struct sl_pci_addr a;
		int found = 0;
		if (da == NULL || sl_pci_addr_parse(da->name, &a) < 0)
			continue;
		TAILQ_FOREACH(dev, &pci_devices, next)
			found |= addr_eq(&dev->addr, &a);
		if (!found) {
			SL_LOG(ERR, PCI, "-a %s: no such PCI device (see sluice-devbind --status)",
			       da->name);
			ret = -ENODEV;
		}
	}

	TAILQ_FOREACH(dev, &pci_devices, next) {
		struct sl_pci_driver *drv;
		int explicit = 0, r;

		if (devargs_find(SL_DEVTYPE_BLOCKED, &dev->addr))
			continue;
		if (nb_allowed) {
			if (!devargs_find(SL_DEVTYPE_ALLOWED, &dev->addr))
				continue;
			explicit = 1;
		}
		drv = pci_match(dev);
		if (drv == NULL) {
			if (explicit) {
				SL_LOG(ERR, PCI, "-a %s: no driver for %04x:%04x", dev->name,
				       dev->id.vendor_id, dev->id.device_id);
				ret = -ENODEV;
			}
			continue;
		}
		r = pci_probe_one(dev, drv, explicit);
		if (r < 0 && (explicit || r != -ENODEV))
			ret = ret ? ret : r;
	}
	return ret;
}

static void
pci_cleanup(void)
{
	struct sl_pci_device *dev;

	/* Reverse order of probing. */
	TAILQ_FOREACH_REVERSE(dev, &pci_devices, pci_dev_list, next) {
		if (dev->driver == NULL)
			continue;
		if (dev->driver->remove)
			dev->driver->remove(dev);
		pci_release(dev);
	}
	pci_free_devices();
}

/* ---- public helpers ---------------------------------------------------- */

struct sl_pci_device *
sl_pci_device_find(const char *name)
{
	struct sl_pci_addr a;
	struct sl_pci_device *dev;

	if (sl_pci_addr_parse(name, &a) == 0) {
		TAILQ_FOREACH(dev, &pci_devices, next)
			if (addr_eq(&dev->addr, &a))
				return dev;
	}
	errno = ENODEV;
	return NULL;
}

int
sl_pci_device_detach(const char *name)
{
	struct sl_pci_device *dev = sl_pci_device_find(name);
	int ret = 0;

	if (dev == NULL || dev->driver == NULL) {
		SL_LOG(ERR, PCI, "detach %s: not a probed PCI device", name ? name : "(null)");
		return -ENODEV;
	}
	if (dev->driver->remove)
		ret = dev->driver->remove(dev);
	pci_release(dev);
	return ret;
}

int
sl_pci_device_probe(const char *name)
{
	struct sl_pci_device *dev = sl_pci_device_find(name);
	struct sl_pci_driver *drv;

	if (dev == NULL) {
		SL_LOG(ERR, PCI, "probe %s: no such PCI device", name ? name : "(null)");
		return -ENODEV;
	}
	if (dev->driver)
		return -EBUSY;
	if (devargs_find(SL_DEVTYPE_BLOCKED, &dev->addr)) {
		SL_LOG(ERR, PCI, "probe %s: the device is on the block list (-b)", dev->name);
		return -ENODEV;
	}
	drv = pci_match(dev);
	if (drv == NULL) {
		SL_LOG(ERR, PCI, "probe %s: no driver for %04x:%04x", dev->name, dev->id.vendor_id,
		       dev->id.device_id);
		return -ENODEV;
	}
	return pci_probe_one(dev, drv, 1);
}

ssize_t
sl_pci_read_config(const struct sl_pci_device *dev, void *buf, size_t len, off_t off)
{
	ssize_t n;

	if (dev == NULL || dev->dev_fd < 0)
		return -ENODEV;
	n = pread(dev->dev_fd, buf, len, (off_t)dev->cfg_offset + off);
	return n < 0 ? -errno : n;
}

ssize_t
sl_pci_write_config(const struct sl_pci_device *dev, const void *buf, size_t len, off_t off)
{
	ssize_t n;

	if (dev == NULL || dev->dev_fd < 0)
		return -ENODEV;
	n = pwrite(dev->dev_fd, buf, len, (off_t)dev->cfg_offset + off);
	return n < 0 ? -errno : n;
}

int
sl_pci_bus_master_set(struct sl_pci_device *dev, bool on)
{
	uint16_t cmd, want;
	ssize_t n;

	if (dev == NULL)
		return -EINVAL;
	n = sl_pci_read_config(dev, &cmd, sizeof(cmd), PCI_COMMAND);
	if (n != (ssize_t)sizeof(cmd)) {
		n = n < 0 ? n : -EIO;
		if (n != -ENODEV)
			SL_LOG(ERR, PCI, "%s: cannot read COMMAND: %s", dev->name,
			       strerror((int)-n));
		return (int)n;
	}
	want = on ? (uint16_t)(cmd | PCI_COMMAND_MASTER) :
		    (uint16_t)(cmd & ~PCI_COMMAND_MASTER);
	if (want == cmd)
		return 0;
	n = sl_pci_write_config(dev, &want, sizeof(want), PCI_COMMAND);
	if (n != (ssize_t)sizeof(want)) {
		n = n < 0 ? n : -EIO;
		SL_LOG(ERR, PCI, "%s: cannot turn bus mastering %s (COMMAND %#06x): %s",
		       dev->name, on ? "on" : "off", want, strerror((int)-n));
		return (int)n;
	}
	return 0;
}

static struct sl_bus pci_bus = {
	.name = "pci",
	.scan = pci_scan,
	.probe = pci_probe,
	.cleanup = pci_cleanup,
};

SL_REGISTER_BUS(pci_bus);
