/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sluice_compat.h - shims over kernel API changes between 6.1 (Debian 12, the
 * reference) and newer kernels.  Each shim names the version that changed the
 * API; doc/kernel-module.md has the same table.
 */
#ifndef SLUICE_COMPAT_H
#define SLUICE_COMPAT_H

#include <linux/version.h>
#include <linux/device.h>
#include <linux/eventfd.h>
#include <linux/iommu.h>
#include <linux/irqdomain.h>
#include <linux/mm.h>
#include <linux/pci.h>

/* 6.2: device_type::devnode takes a const struct device *. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define SLUICE_DEVNODE_CONST const
#else
#define SLUICE_DEVNODE_CONST
#endif

/* 6.4: class_create() lost its owner argument. */
static inline struct class *sluice_class_create(const char *name)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	return class_create(name);
#else
	return class_create(THIS_MODULE, name);
#endif
}

/* 6.3: iommu_map() takes the gfp_t for page-table allocations. */
static inline int sluice_iommu_map(struct iommu_domain *domain,
				   unsigned long iova, phys_addr_t paddr,
				   size_t size, int prot)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	return iommu_map(domain, iova, paddr, size, prot, GFP_KERNEL_ACCOUNT);
#else
	return iommu_map(domain, iova, paddr, size, prot);
#endif
}

/*
 * 6.11: iommu_paging_domain_alloc(dev) allocates for the IOMMU instance that
 * serves dev; 6.13 removed iommu_domain_alloc(bus).  Before 6.11 the domain
 * is allocated for the PCI bus and dev is unused.  Returns an ERR_PTR on
 * failure in both cases (the old API returned NULL).
 */
static inline struct iommu_domain *sluice_iommu_domain_alloc(struct device *dev)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	return iommu_paging_domain_alloc(dev);
#else
	struct iommu_domain *d;

	(void)dev;
	d = iommu_domain_alloc(&pci_bus_type);
	return d ? d : ERR_PTR(-ENODEV);
#endif
}

/* True when the domain allocation needs a device (see above). */
#define SLUICE_DOMAIN_ALLOC_NEEDS_DEV \
	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0))

/*
 * DMA ownership.  6.1 has only the group-wide claim, which fails once the
 * group has an owner, so the first sluice device of a group claims it and
 * the last one releases it.  6.2 added per-device claims that nest for the
 * same owner cookie: every device claims for itself.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define SLUICE_PER_DEVICE_DMA_OWNER 1
static inline int sluice_claim_dma_owner(struct device *dev,
					 struct iommu_group *group, void *owner)
{
	(void)group;
	return iommu_device_claim_dma_owner(dev, owner);
}

static inline void sluice_release_dma_owner(struct device *dev,
					    struct iommu_group *group)
{
	(void)group;
	iommu_device_release_dma_owner(dev);
}
#else
#define SLUICE_PER_DEVICE_DMA_OWNER 0
static inline int sluice_claim_dma_owner(struct device *dev,
					 struct iommu_group *group, void *owner)
{
	(void)dev;
	return iommu_group_claim_dma_owner(group, owner);
}

static inline void sluice_release_dma_owner(struct device *dev,
					    struct iommu_group *group)
{
	(void)dev;
	iommu_group_release_dma_owner(group);
}
#endif

/* 6.8: eventfd_signal() lost its count argument (always 1). */
static inline void sluice_eventfd_signal(struct eventfd_ctx *ctx)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
	eventfd_signal(ctx);
#else
	eventfd_signal(ctx, 1);
#endif
}

/* 6.3: vma->vm_flags became read-only; writers use vm_flags_set(). */
static inline void sluice_vm_flags_set(struct vm_area_struct *vma,
				       vm_flags_t flags)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
}

/*
 * 6.3: iommu_group_has_isolated_msi() replaced IOMMU_CAP_INTR_REMAP and
 * irq_domain_check_msi_remap().  Before it, MSIs are isolated when an MSI
 * irq domain remaps them (irq_domain_check_msi_remap) or when the IOMMU of
 * every device in the group remaps interrupts.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
static inline bool sluice_group_msi_isolated(struct iommu_group *group)
{
	return iommu_group_has_isolated_msi(group);
}
#else
static inline int sluice_dev_no_intr_remap(struct device *dev, void *unused)
{
	return !device_iommu_capable(dev, IOMMU_CAP_INTR_REMAP);
}

static inline bool sluice_group_msi_isolated(struct iommu_group *group)
{
	return irq_domain_check_msi_remap() ||
	       !iommu_group_for_each_dev(group, NULL, sluice_dev_no_intr_remap);
}
#endif

/* pci_reset_supported() is not in every kernel we build for. */
static inline bool sluice_pci_reset_supported(struct pci_dev *pdev)
{
	return pdev->reset_methods[0] != 0;
}

#endif /* SLUICE_COMPAT_H */
