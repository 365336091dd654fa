/* SPDX-License-Identifier: BSD-3-Clause */
/* Internal interface between the PCI bus core and its two backends. */
#ifndef PCI_PRIVATE_H
#define PCI_PRIVATE_H

#include "sl_bus_pci.h"

#define SL_PCI_SYSFS_DEVICES "/sys/bus/pci/devices"
#define SL_PCI_SYSFS_GROUPS "/sys/kernel/iommu_groups"

/* Open the device through its backend, attach it to the IOMMU context and
 * map its memory BARs.  On error nothing is left open. */
int pci_sluice_open(struct sl_pci_device *dev);
int pci_vfio_open(struct sl_pci_device *dev);
/* Unmap BARs and close fds (the kernel resets the function). */
void pci_sluice_close(struct sl_pci_device *dev);
void pci_vfio_close(struct sl_pci_device *dev);

/* munmap every mapped BAR of @p dev. */
void pci_unmap_bars(struct sl_pci_device *dev);

/* Log, at ERR, the devices of @p group and their drivers (viability). */
void pci_log_group_members(int group, const char *self);

/* Read the driver bound to sysfs device @p name into @p buf ("" if none). */
void pci_read_kdriver(const char *name, char *buf, size_t len);

#endif /* PCI_PRIVATE_H */
