/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The process's single IOMMU context, shared by every pass-through device.
 *
 * Two kinds exist, one at a time:
 *  - SL_IOMMU_SLUICE: a domain of the sluice kernel module (an open
 *    /dev/sluice/iommu).  Devices join it with SLUICE_DEVICE_SET_DOMAIN;
 *    mapping starts at sl_iommu_sluice_device_attached().
 *  - SL_IOMMU_VFIO: an upstream VFIO type1 container (/dev/vfio/vfio).
 *    Groups join it with VFIO_GROUP_SET_CONTAINER; the IOMMU model can only
 *    be chosen after the first group joined, so mapping starts at
 *    sl_iommu_vfio_group_added().
 *
 * Once enabled, every EAL memory segment is mapped at its IOVA
 * (sl_mem_virt2iova(), which is the VA in IOVA-as-VA mode), and a memory
 * event callback maps segments added later and unmaps segments before they
 * are freed.  The last sl_iommu_close() unmaps everything and closes the fd.
 *
 * The PCI bus drives this; applications do not need to call it.  All
 * functions are thread-safe.
 */
#ifndef SL_IOMMU_H
#define SL_IOMMU_H

#include <stddef.h>
#include <stdint.h>

#include "sl_memory.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Kind of IOMMU context. */
enum sl_iommu_type {
	SL_IOMMU_NONE = 0,
	SL_IOMMU_SLUICE, /**< sluice module domain */
	SL_IOMMU_VFIO,   /**< VFIO type1 container */
};

/**
 * Take a reference on the process's IOMMU context of kind @p type, creating
 * it on first use.  For SL_IOMMU_SLUICE the domain is opened; memory is
 * mapped once a device is attached (sl_iommu_sluice_device_attached()).
 * For SL_IOMMU_VFIO only the container is opened and checked (API version,
 * type1 support).
 *
 * @return 0, or
 *   -EINVAL: bad @p type;
 *   -EBUSY: a context of the other kind is open;
 *   -ENOENT: /dev/sluice/iommu or /dev/vfio/vfio is missing (module not
 *            loaded; the log says which modprobe to run);
 *   -EACCES: no permission on the node;
 *   -ENODEV: no device is bound to sluice-pci (from Linux 6.11 the module
 *            allocates a domain for a bound device's IOMMU);
 *   -ENOTSUP: VFIO API version or type1 not supported.
 */
int sl_iommu_open(enum sl_iommu_type type);

/**
 * Drop a reference; the last one unregisters the memory callback, unmaps
 * every mapping and closes the fd.  Devices must have been closed first.
 * @return 0, or -EINVAL if nothing is open.
 */
int sl_iommu_close(void);

/** @return the domain / container fd, or -1 if none is open. */
int sl_iommu_fd(void);

/** @return the kind open now (SL_IOMMU_NONE if none). */
enum sl_iommu_type sl_iommu_type(void);

/**
 * VFIO only: the first group has joined the container.  Select the type1
 * IOMMU model and map all memory (idempotent: later calls return 0).
 * @return 0, -EINVAL if no VFIO container is open, or -errno of
 *         VFIO_SET_IOMMU / the first failed map.
 */
int sl_iommu_vfio_group_added(void);

/**
 * Map the EAL's memory into the sluice domain, once a device is attached to
 * it (SLUICE_DEVICE_SET_DOMAIN, or handed over attached by sluice-launch);
 * later calls do nothing.  Not at sl_iommu_open(): Linux's intel-iommu (6.1)
 * builds the page tables of a domain without devices from 4 KiB entries
 * only, so hugepages mapped before the first attach cost the IOMMU (and a
 * vIOMMU's IOTLB) 512 entries each instead of one.
 * @return 0, -EINVAL if no sluice domain is open, or the -errno of the
 *         first failed map.
 */
int sl_iommu_sluice_device_attached(void);

/**
 * Map [va, va+len) at @p iova in the open context (already mapped ranges
 * are accepted).  Normally done automatically for EAL memory.
 * @return 0, -EINVAL (no context, len 0), or the kernel's -errno.
 */
int sl_iommu_map(const void *va, sl_iova_t iova, size_t len);

/**
 * Unmap the mapping that starts at @p iova.
 * @return 0, -ENOENT if no mapping starts there, or the kernel's -errno.
 */
int sl_iommu_unmap(sl_iova_t iova);

/** @return the number of live mappings (for tests). */
unsigned int sl_iommu_mapping_count(void);

#ifdef __cplusplus
}
#endif

#endif /* SL_IOMMU_H */
