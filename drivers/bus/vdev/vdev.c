/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Virtual device bus.  scan turns the --vdev devargs into device entries,
 * probe hands each to the driver with the longest matching name prefix,
 * cleanup removes them all (newest first, so a device that refers to an
 * older one goes before it).  sl_vdev_init()/sl_vdev_uninit() do the same
 * for one device at run time.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "sl_bus.h"
#include "sl_bus_vdev.h"
#include "sl_log.h"

TAILQ_HEAD(vdev_driver_list, sl_vdev_driver);
TAILQ_HEAD(vdev_device_list, sl_vdev_device);

static struct vdev_driver_list vdev_drivers = TAILQ_HEAD_INITIALIZER(vdev_drivers);
static struct vdev_device_list vdev_devices = TAILQ_HEAD_INITIALIZER(vdev_devices);
/* Recursive: a driver's probe may create or look up other vdevs. */
static pthread_mutex_t vdev_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

void
sl_vdev_register(struct sl_vdev_driver *drv)
{
	const struct sl_vdev_driver *d;

	pthread_mutex_lock(&vdev_lock);
	/* A plugin may bring a name the library has: the first one keeps it. */
	TAILQ_FOREACH(d, &vdev_drivers, next)
		if (strcmp(d->name, drv->name) == 0)
			SL_LOG(WARNING, VDEV, "driver '%s' registered twice (a plugin with a "
			       "name already taken?): devices go to the first one", drv->name);
	TAILQ_INSERT_TAIL(&vdev_drivers, drv, next);
	pthread_mutex_unlock(&vdev_lock);
}

void
sl_vdev_unregister(struct sl_vdev_driver *drv)
{
	pthread_mutex_lock(&vdev_lock);
	TAILQ_REMOVE(&vdev_drivers, drv, next);
	pthread_mutex_unlock(&vdev_lock);
}

static const struct sl_vdev_driver *
driver_match(const char *devname)
{
	const struct sl_vdev_driver *drv, *best = NULL;
	size_t best_len = 0;

	TAILQ_FOREACH(drv, &vdev_drivers, next) {
		size_t len = strlen(drv->name);

		if (strncmp(devname, drv->name, len) == 0 && len > best_len) {
			best = drv;
			best_len = len;
		}
	}
	return best;
}

static void
log_drivers(const char *devname)
{
	const struct sl_vdev_driver *drv;
	char buf[256];
	size_t off = 0;

	buf[0] = '\0';
	TAILQ_FOREACH(drv, &vdev_drivers, next) {
		int n = snprintf(buf + off, sizeof(buf) - off, "%s%s", off ? ", " : "", drv->name);

		if (n < 0 || (size_t)n >= sizeof(buf) - off)
			break;
		off += (size_t)n;
	}
	SL_LOG(ERR, VDEV, "no driver for virtual device '%s': its name must start with a "
	       "driver name (%s), e.g. net_null0", devname, off ? buf : "none registered");
}

struct sl_vdev_device *
sl_vdev_find(const char *name)
{
	struct sl_vdev_device *dev;

	if (name == NULL)
		return NULL;
	pthread_mutex_lock(&vdev_lock);
	TAILQ_FOREACH(dev, &vdev_devices, next)
		if (strcmp(dev->name, name) == 0)
			break;
	pthread_mutex_unlock(&vdev_lock);
	return dev;
}

static void
device_free(struct sl_vdev_device *dev)
{
	free(dev->args);
	free(dev);
}

/* Create an unprobed device entry; logs every refusal. */
static int
device_add(const char *name, const char *args, struct sl_vdev_device **out)
{
	struct sl_vdev_device *dev;
	size_t len = name ? strnlen(name, SL_VDEV_NAME_MAX_LEN) : 0;

	if (len == 0 || len >= SL_VDEV_NAME_MAX_LEN) {
		SL_LOG(ERR, VDEV, "bad virtual device name '%s': give 1..%d characters, e.g. net_null0",
		       name ? name : "(null)", SL_VDEV_NAME_MAX_LEN - 1);
		return -EINVAL;
	}
	if (driver_match(name) == NULL) {
		log_drivers(name);
		return -EINVAL;
	}
	if (sl_vdev_find(name) != NULL) {
		SL_LOG(ERR, VDEV, "virtual device '%s' exists already: give each --vdev a unique "
		       "name (net_null0, net_null1, ...)", name);
		return -EEXIST;
	}
	dev = calloc(1, sizeof(*dev));
	if (dev == NULL)
		return -ENOMEM;
	dev->args = strdup(args ? args : "");
	if (dev->args == NULL) {
		free(dev);
		return -ENOMEM;
	}
	memcpy(dev->name, name, len + 1);
	dev->socket_id = SL_SOCKET_ID_ANY;
	TAILQ_INSERT_TAIL(&vdev_devices, dev, next);
	*out = dev;
	return 0;
}

static int
device_probe(struct sl_vdev_device *dev)
{
	const struct sl_vdev_driver *drv = driver_match(dev->name);
	int ret;

	if (drv == NULL) { /* driver unregistered since scan */
		log_drivers(dev->name);
		return -EINVAL;
	}
	ret = drv->probe(dev);
	if (ret < 0) {
		SL_LOG(ERR, VDEV, "virtual device '%s' (args '%s') failed: %s%s%s", dev->name,
		       dev->args, strerror(-ret), drv->param_help ? "; driver arguments: " : "",
		       drv->param_help ? drv->param_help : "");
		return ret;
	}
	dev->driver = drv;
	return 0;
}

int
sl_vdev_init(const char *name, const char *args)
{
	struct sl_vdev_device *dev;
	int ret;

	pthread_mutex_lock(&vdev_lock);
	ret = device_add(name, args, &dev);
	if (ret == 0) {
		ret = device_probe(dev);
		if (ret < 0) {
			TAILQ_REMOVE(&vdev_devices, dev, next);
			device_free(dev);
		}
	}
	pthread_mutex_unlock(&vdev_lock);
	return ret;
}

static int
device_remove(struct sl_vdev_device *dev)
{
	int ret = 0;

	if (dev->driver != NULL) {
		ret = dev->driver->remove(dev);
		if (ret < 0)
			SL_LOG(ERR, VDEV, "removing virtual device '%s' failed: %s (forgotten anyway)",
			       dev->name, strerror(-ret));
	}
	TAILQ_REMOVE(&vdev_devices, dev, next);
	device_free(dev);
	return ret;
}

int
sl_vdev_uninit(const char *name)
{
	struct sl_vdev_device *dev;
	int ret;

	if (name == NULL)
		return -EINVAL;
	pthread_mutex_lock(&vdev_lock);
	dev = sl_vdev_find(name);
	if (dev == NULL) {
		SL_LOG(ERR, VDEV, "cannot remove virtual device '%s': no such device", name);
		ret = -ENOENT;
	} else {
		ret = device_remove(dev);
	}
	pthread_mutex_unlock(&vdev_lock);
	return ret;
}

/* Bus callbacks: the EAL calls them at init (scan, probe) and cleanup. */

static int
vdev_scan(void)
{
	unsigned int n = sl_devargs_count(SL_DEVTYPE_VDEV);
	int ret = 0;

	pthread_mutex_lock(&vdev_lock);
	for (unsigned int i = 0; i < n && ret == 0; i++) {
		const struct sl_devargs *da = sl_devargs_get(SL_DEVTYPE_VDEV, i);
		struct sl_vdev_device *dev;

		/* Cleanup (also after a failed init) empties the list, so an
		 * existing name here is a --vdev given twice: an error. */
		if (da != NULL)
			ret = device_add(da->name, da->args, &dev);
	}
	pthread_mutex_unlock(&vdev_lock);
	return ret;
}

static int
vdev_probe(void)
{
	struct sl_vdev_device *dev;
	int ret = 0;

	pthread_mutex_lock(&vdev_lock);
	TAILQ_FOREACH(dev, &vdev_devices, next) {
		if (dev->driver != NULL)
			continue;
		ret = device_probe(dev);
		if (ret < 0) {
			/* Forget it so a later init does not trip on it again. */
			TAILQ_REMOVE(&vdev_devices, dev, next);
			device_free(dev);
			break;
		}
	}
	pthread_mutex_unlock(&vdev_lock);
	return ret;
}

static void
vdev_cleanup(void)
{
	struct sl_vdev_device *dev;

	pthread_mutex_lock(&vdev_lock);
	while ((dev = TAILQ_LAST(&vdev_devices, vdev_device_list)) != NULL)
		device_remove(dev);
	pthread_mutex_unlock(&vdev_lock);
}

static struct sl_bus vdev_bus = {
	.name = "vdev",
	.scan = vdev_scan,
	.probe = vdev_probe,
	.cleanup = vdev_cleanup,
};

SL_REGISTER_BUS(vdev_bus);
