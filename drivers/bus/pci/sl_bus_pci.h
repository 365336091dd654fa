/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * PCI bus for poll-mode drivers.
 *
 * At sl_eal_init() the bus scans /sys/bus/pci/devices, matches each device
 * against the id tables of the registered PCI drivers, and probes the
 * matches that the -a/-b options allow (--no-pci skips the bus).  A device
 * is handed to a driver only if it is bound to one of the two user-space
 * pass-through drivers:
 *
 *  - "sluice-pci" (the sluice kernel module, the default): the device node
 *    /dev/sluice/ADDRESS (e.g. /dev/sluice/0000:00:03.0) is opened and attached to the process's single
 *    IOMMU domain (sl_iommu.h), then BAR0..5 are mapped.
 *  - "vfio-pci" (upstream VFIO, for kernels that cannot load the module):
 *    the device's group joins the process's type1 container.
 *
 * Either way all hugepage memory is mapped in the IOMMU at IOVA = VA before
 * the driver's probe runs, so drivers program sl_mem_virt2iova() addresses.
 *
 * Drivers register with SL_PCI_DRIVER_REGISTER() and get a struct
 * sl_pci_device with mapped BARs.  Bus and device state belongs to the EAL
 * control thread.
 */
#ifndef SL_BUS_PCI_H
#define SL_BUS_PCI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>
#include <sys/types.h>

#include "sl_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Length of "dddd:bb:dd.f" plus NUL, rounded up. */
#define SL_PCI_NAME_LEN 16
/** Number of standard BARs. */
#define SL_PCI_MAX_BARS 6

/** Match any id in an id table entry. */
#define SL_PCI_ANY_ID 0xffff

/** PCI address. */
struct sl_pci_addr {
	uint32_t domain; /**< PCI domain (segment) */
	uint8_t bus; /**< bus number */
	uint8_t devid; /**< device number */
	uint8_t function; /**< function number */
};

/** One entry of a driver's id table; the table ends with vendor_id 0. */
struct sl_pci_id {
	uint16_t vendor_id; /**< PCI vendor id (0 ends a table) */
	uint16_t device_id; /**< PCI device id, or SL_PCI_ANY_ID */
};

/** Which kernel interface gives user space the device. */
enum sl_pci_backend {
	SL_PCI_BACKEND_NONE = 0,
	SL_PCI_BACKEND_SLUICE, /**< sluice-pci + /dev/sluice/ADDRESS */
	SL_PCI_BACKEND_VFIO,   /**< vfio-pci + type1 container */
};

/** A memory BAR as mapped into the process. */
struct sl_pci_bar {
	void *addr;   /**< mapping, NULL if absent or not mappable */
	uint64_t len; /**< bytes */
};

struct sl_pci_driver;

/** A device found by the scan. */
struct sl_pci_device {
	TAILQ_ENTRY(sl_pci_device) next; /**< the bus's device list link */
	char name[SL_PCI_NAME_LEN];  /**< "0000:00:03.0" */
	struct sl_pci_addr addr; /**< its address */
	struct sl_pci_id id; /**< its vendor and device ids */
	uint16_t subsystem_vendor_id; /**< subsystem vendor id */
	uint16_t subsystem_device_id; /**< subsystem device id */
	uint32_t class_id;            /**< 24-bit class code */
	int numa_node;                /**< SL_SOCKET_ID_ANY if unknown */
	int iommu_group;              /**< -1 if none */
	char kdriver[32];             /**< bound kernel driver, "" if none */
	struct sl_pci_bar bar[SL_PCI_MAX_BARS]; /**< BAR0..5 as mapped */
	struct sl_pci_driver *driver; /**< set while probed */
	enum sl_pci_backend backend; /**< the kernel interface in use */
	int dev_fd;                   /**< sluice device node or VFIO device fd */
	uint64_t cfg_offset;          /**< file offset of config space in dev_fd */
	void *driver_data;            /**< for the driver */
};

/**
 * Probe: take the device.  BARs are mapped and DMA is allowed when it runs.
 * @return 0 or a negative errno (the bus then releases the device).
 */
typedef int (sl_pci_probe_t)(struct sl_pci_driver *drv, struct sl_pci_device *dev);
/** Remove: give the device back (the bus unmaps and closes afterwards). */
typedef int (sl_pci_remove_t)(struct sl_pci_device *dev);

/** A PCI poll-mode driver. */
struct sl_pci_driver {
	TAILQ_ENTRY(sl_pci_driver) next; /**< the bus's driver list link */
	const char *name;               /**< e.g. "net_e1000" */
	const struct sl_pci_id *id_table; /**< devices it takes, ended by vendor_id 0 */
	sl_pci_probe_t *probe; /**< required */
	sl_pci_remove_t *remove; /**< required */
};

/** Add a driver to the bus (normally through SL_PCI_DRIVER_REGISTER). */
void sl_pci_register(struct sl_pci_driver *drv);

/** Remove a driver from the bus (SL_PCI_DRIVER_REGISTER's destructor). */
void sl_pci_unregister(struct sl_pci_driver *drv);

/** Register @p drv when the library loads; unregister when it unloads. */
#define SL_PCI_DRIVER_REGISTER(drv)                                         \
	static void __attribute__((constructor, used)) sl_pci_reg_##drv(void) \
	{                                                                   \
		sl_pci_register(&(drv));                                    \
	}                                                                   \
	static void __attribute__((destructor, used)) sl_pci_unreg_##drv(void) \
	{                                                                   \
		sl_pci_unregister(&(drv));                                  \
	}

/**
 * Parse "dddd:bb:dd.f" or "bb:dd.f" (domain 0).
 * @return 0, or -EINVAL if @p s is not a PCI address.
 */
int sl_pci_addr_parse(const char *s, struct sl_pci_addr *addr);

/** Format @p addr as "dddd:bb:dd.f" into @p buf (at least SL_PCI_NAME_LEN). */
void sl_pci_addr_format(const struct sl_pci_addr *addr, char *buf, size_t len);

/**
 * The device arguments given for @p dev on the allow list
 * (`-a 0000:00:02.0,key=value,...`), for the driver's sl_kvargs_parse().
 * @return everything after the address's comma; "" when the device has no
 *         -a entry or the entry has no arguments.  Never fails.
 */
const char *sl_pci_device_args(const struct sl_pci_device *dev);

/**
 * Read @p len bytes of config space at @p off.
 * @return bytes read, or -errno (-ENODEV if the device is not opened).
 */
ssize_t sl_pci_read_config(const struct sl_pci_device *dev, void *buf, size_t len, off_t off);

/**
 * Write @p len bytes of config space at @p off.
 * @return bytes written, or -errno.
 */
ssize_t sl_pci_write_config(const struct sl_pci_device *dev, const void *buf, size_t len,
			    off_t off);

/**
 * Turn bus mastering (COMMAND.MASTER, PCI Local Bus 3.0 §6.2.2) on or off.
 *
 * The bus leaves it off when it hands a device to a probe (both backends):
 * a device whose previous owner died with its rings running would otherwise
 * resume DMA to that owner's addresses.  A PMD resets its device (or at
 * least stops every DMA engine and clears its ring base registers) and only
 * then turns bus mastering on; it turns it off again before it releases the
 * device.  Other COMMAND bits are left as they are.
 *
 * @param dev  an opened (probed) device
 * @param on   true to let the device start DMA, false to stop it
 * @return 0; -EINVAL if @p dev is NULL; -ENODEV if it is not opened; -EIO if
 *         config space could not be read or written in full; or the -errno of
 *         the config access (-EACCES if the kernel refuses the write).
 */
int sl_pci_bus_master_set(struct sl_pci_device *dev, bool on);

/**
 * Find a scanned device by name ("0000:00:03.0" or "00:03.0").
 * @return the device, or NULL with errno ENODEV.
 */
struct sl_pci_device *sl_pci_device_find(const char *name);

/**
 * Detach a probed device: call its driver's remove, unmap its BARs, close
 * its fds (the kernel resets the function and turns DMA off).
 * @return 0; -ENODEV not found or not probed; or the driver's error (the
 *         device is released anyway).
 */
int sl_pci_device_detach(const char *name);

/**
 * Probe (again) one scanned device that is not probed now, honouring the
 * block list but not requiring it to be on the allow list.
 * @return 0; -ENODEV not found or no driver matches; -EBUSY already probed;
 *         or the errors of opening the device (-EACCES, -ENOENT, ...).
 */
int sl_pci_device_probe(const char *name);

#ifdef __cplusplus
}
#endif

#endif /* SL_BUS_PCI_H */
