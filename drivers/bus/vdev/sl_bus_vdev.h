/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The virtual device bus: devices that exist only in software (net_null,
 * net_ring, ...), created from `--vdev <name>[,key=value,...]` EAL arguments
 * or at run time with sl_vdev_init().
 *
 * A device is matched to the driver whose name is the longest prefix of the
 * device name ("net_null0" -> driver "net_null").  The driver's probe gets
 * the device; it parses sl_vdev_device_args() with sl_kvargs_parse() and its
 * own list of valid keys, so a bad key or value fails the probe with a
 * message naming it (and sl_eal_init() fails with that error).
 */
#ifndef SL_BUS_VDEV_H
#define SL_BUS_VDEV_H

#include <sys/queue.h>

#include "sl_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Longest vdev name, NUL included (same as an ethdev port name). */
#define SL_VDEV_NAME_MAX_LEN 64

struct sl_vdev_driver;

/** A virtual device. */
struct sl_vdev_device {
	TAILQ_ENTRY(sl_vdev_device) next;   /**< bus list link (the bus's). */
	char name[SL_VDEV_NAME_MAX_LEN];    /**< e.g. "net_null0". */
	char *args;                         /**< "size=64,copy=1" (never NULL). */
	const struct sl_vdev_driver *driver; /**< Driver that probed it. */
	int socket_id;                      /**< NUMA socket to allocate on. */
	void *driver_data;                  /**< Free for the driver. */
};

/**
 * Probe: create the device's port(s).
 * @return 0, or a negative errno after logging why (the device is dropped).
 */
typedef int (sl_vdev_probe_t)(struct sl_vdev_device *dev);

/**
 * Remove: close the port(s) and free everything probe allocated.  Must
 * cope with ports the application closed already.
 * @return 0 or a negative errno.
 */
typedef int (sl_vdev_remove_t)(struct sl_vdev_device *dev);

/** A virtual device driver. */
struct sl_vdev_driver {
	TAILQ_ENTRY(sl_vdev_driver) next; /**< driver list link (the bus's). */
	const char *name;                 /**< Name prefix, e.g. "net_null". */
	const char *param_help;           /**< e.g. "size=<uint> copy=<bool>", for messages. */
	sl_vdev_probe_t *probe;           /**< Required. */
	sl_vdev_remove_t *remove;         /**< Required. */
};

/** Add @p drv to the bus (see SL_VDEV_DRIVER_REGISTER). */
void sl_vdev_register(struct sl_vdev_driver *drv);

/** Remove @p drv from the bus. */
void sl_vdev_unregister(struct sl_vdev_driver *drv);

/**
 * Register driver @p drv (a struct sl_vdev_driver variable) under name
 * @p nm (a bare token such as net_null) when the library loads.
 */
#define SL_VDEV_DRIVER_REGISTER(nm, drv)                        \
	static void __attribute__((constructor(120), used))     \
	sl_vdev_register_##nm(void)                             \
	{                                                       \
		(drv).name = SL_STR(nm);                        \
		sl_vdev_register(&(drv));                       \
	}                                                       \
	/* Unloading a plugin (dlclose) takes its driver out. */ \
	static void __attribute__((destructor(120), used))      \
	sl_vdev_unregister_##nm(void)                           \
	{                                                       \
		sl_vdev_unregister(&(drv));                     \
	}

/**
 * Create and probe a virtual device now (what `--vdev name,args` does at
 * start-up).
 * @param name device name; its prefix selects the driver.
 * @param args "key=value,..." or NULL.
 * @return 0; -EINVAL bad name or no driver matches it (the log lists the
 *         drivers); -EEXIST a device of that name exists; -ENOMEM; or the
 *         driver's probe error (e.g. -EINVAL for a bad key or value).
 */
int sl_vdev_init(const char *name, const char *args);

/**
 * Remove a virtual device created by --vdev or sl_vdev_init().
 * @return 0, -EINVAL NULL name, -ENOENT no such device, or the driver's
 *         remove error (the device is forgotten anyway).
 */
int sl_vdev_uninit(const char *name);

/** @return the device called @p name, or NULL. */
struct sl_vdev_device *sl_vdev_find(const char *name);

/** @return the name of @p dev. */
static inline const char *
sl_vdev_device_name(const struct sl_vdev_device *dev)
{
	return dev->name;
}

/** @return the argument string of @p dev ("" if none). */
static inline const char *
sl_vdev_device_args(const struct sl_vdev_device *dev)
{
	return dev->args;
}

#ifdef __cplusplus
}
#endif

#endif /* SL_BUS_VDEV_H */
