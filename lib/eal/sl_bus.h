/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Buses (pci, vdev) and device arguments (-a, -b, --vdev).
 *
 * A bus registers itself from a constructor with SL_REGISTER_BUS().
 * sl_eal_init(), once memory is ready, calls every bus's scan() in
 * registration order, then every bus's probe(); sl_eal_cleanup() calls
 * cleanup() in reverse order.  A bus reads the devargs that concern it.
 */
#ifndef SL_BUS_H
#define SL_BUS_H

#include <sys/queue.h>

#include "sl_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A bus driver. */
struct sl_bus {
	const char *name;      /**< unique name: "pci", "vdev" */
	/** Find devices; 0 or -errno (then sl_eal_init() fails with it). */
	int (*scan)(void);
	/** Attach drivers to found devices; 0 or -errno (sl_eal_init() fails). */
	int (*probe)(void);
	/** Detach everything; called by sl_eal_cleanup(). May be NULL. */
	void (*cleanup)(void);
	TAILQ_ENTRY(sl_bus) next; /**< registry link (the bus code's, not the driver's) */
};

/**
 * Add @p bus to the registry (normally from SL_REGISTER_BUS()).  A bus
 * with a name already registered is refused with a log message.
 */
void sl_bus_register(struct sl_bus *bus);

/** Remove @p bus from the registry (for tests and plugins). */
void sl_bus_unregister(struct sl_bus *bus);

/** @return the registered bus called @p name, or NULL. */
struct sl_bus *sl_bus_find_by_name(const char *name);

/** Register @p bus when the library or program is loaded; unregister it when unloaded. */
#define SL_REGISTER_BUS(bus)                                          \
	static void __attribute__((constructor(110), used))           \
	sl_bus_register_##bus(void)                                   \
	{                                                             \
		sl_bus_register(&(bus));                              \
	}                                                             \
	/* Unloading a plugin (dlclose) takes its bus out. */         \
	static void __attribute__((destructor(110), used))            \
	sl_bus_unregister_##bus(void)                                 \
	{                                                             \
		sl_bus_unregister(&(bus));                            \
	}

/** Kind of device argument. */
enum sl_devtype {
	SL_DEVTYPE_ALLOWED, /**< -a/--allow: probe only these devices */
	SL_DEVTYPE_BLOCKED, /**< -b/--block: never probe these devices */
	SL_DEVTYPE_VDEV,    /**< --vdev: create this virtual device */
};

/** One -a/-b/--vdev argument, split at the first comma. */
struct sl_devargs {
	enum sl_devtype type; /**< which option gave it */
	char name[64];  /**< device: "0000:00:02.0", "net_null0" */
	char args[256]; /**< everything after the first comma ("size=64,copy=1") */
};

/** Most devargs one sl_eal_init() accepts. */
#define SL_MAX_DEVARGS 64

/**
 * Add a device argument (what -a/-b/--vdev do).
 *
 * @param type allowed (-a), blocked (-b) or a virtual device (--vdev)
 * @param str "name" or "name,key=val,...".
 * @return 0, or
 *   -EINVAL: empty name, bad type, or mixing allowed and blocked devices;
 *   -ENAMETOOLONG: name >= 64 or args >= 256 characters;
 *   -ENOSPC: SL_MAX_DEVARGS devargs exist.
 */
int sl_devargs_add(enum sl_devtype type, const char *str);

/** @return number of devargs of @p type. */
unsigned int sl_devargs_count(enum sl_devtype type);

/**
 * @return the @p idx-th devargs of @p type (in command line order), or NULL
 * if @p idx >= sl_devargs_count(type).
 */
const struct sl_devargs *sl_devargs_get(enum sl_devtype type, unsigned int idx);

/**
 * @return the devargs of @p type whose name is @p name, or NULL.
 */
const struct sl_devargs *sl_devargs_find(enum sl_devtype type, const char *name);

/** Forget every devargs (sl_eal_cleanup() does this). */
void sl_devargs_clear(void);

/** @return 1 if --no-pci was given, else 0. */
int sl_eal_no_pci(void);

#ifdef __cplusplus
}
#endif

#endif /* SL_BUS_H */
