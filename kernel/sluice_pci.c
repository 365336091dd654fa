// SPDX-License-Identifier: GPL-2.0
/*
 * sluice_pci.c - the "sluice-pci" driver and /dev/sluice/<PCI address>.
 *
 * The driver has no id table: an administrator binds a device explicitly
 * through driver_override (or new_id).  It sets driver_managed_dma, so the
 * kernel's DMA ownership rules keep DMA-API drivers off the device's IOMMU
 * group while sluice owns it, and a group with such a driver bound cannot be
 * claimed.
 *
 * The device fd allows nothing but GET_INFO and SET_DOMAIN until a domain is
 * set: "Require domain to be set before you allow any access to the device:
 * mmap, write, read. IMO this is the only safe way to make sure userspace
 * does not corrupt memory" (Michael S. Tsirkin, LKML, June 2010).  Only
 * after the device's group is attached to a domain is the device enabled and
 * made bus master.  Release undoes this in the opposite order so that no DMA
 * outlives the owner: bus master off, interrupts freed, reset, detach.
 *
 * Messages that user space can trigger at will are rate-limited.
 *
 * Locks: sdev->lock serialises every file operation but mmap and page faults,
 * which use the sdev->memory_lock rwsem only.  That split exists because
 * ioctls copy to and from user memory (taking mmap_lock on a fault) while
 * holding sdev->lock, and mmap() is called with mmap_lock held.  Order:
 * sdev->lock -> mmap_lock -> memory_lock; nothing is copied from or to user
 * memory with memory_lock held.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "sluice_compat.h"
#include "sluice_internal.h"

#define SLUICE_REGION_MASK	(SLUICE_REGION_OFFSET(1) - 1)

static DEFINE_MUTEX(sluice_groups_lock);
static LIST_HEAD(sluice_groups);
static DEFINE_IDA(sluice_minor_ida);

DEFINE_MUTEX(sluice_bound_lock);
LIST_HEAD(sluice_bound_devices);

static struct pci_driver sluice_pci_driver;

/*
 * Fault injection for the tests (debugfs, root only): the next N
 * release-time resets fail as if the device had refused them.
 */
static atomic_t sluice_fail_release_reset = ATOMIC_INIT(0);

/* ---- protected ranges ---- */

/*
 * MSI and MSI-X program where the device's interrupt messages go: an address
 * in the interrupt window and a payload.  A user who could write them could
 * make the device raise arbitrary host interrupts, so the capabilities are
 * kernel-owned (interrupts are requested through SET_IRQS) and the MSI-X
 * table and PBA are outside user reach.  BAR and ROM registers are also
 * kernel-owned: moving a BAR would redirect the user's mmap to whatever sits
 * at the new address.
 */
static void sluice_find_protected(struct sluice_device *sdev)
{
	struct pci_dev *pdev = sdev->pdev;
	u16 flags;

	sdev->msix_bar = -1;
	sdev->msi_cap = pdev->msi_cap;
	if (sdev->msi_cap) {
		pci_read_config_word(pdev, sdev->msi_cap + PCI_MSI_FLAGS, &flags);
		sdev->msi_len = 10;
		if (flags & PCI_MSI_FLAGS_64BIT)
			sdev->msi_len += 4;
		if (flags & PCI_MSI_FLAGS_MASKBIT)
			sdev->msi_len += 10;
	}

	sdev->msix_cap = pdev->msix_cap;
	if (sdev->msix_cap) {
		u32 table, pba;
		u64 tstart, tend, pstart, pend;
		unsigned int n;

		pci_read_config_word(pdev, sdev->msix_cap + PCI_MSIX_FLAGS, &flags);
		pci_read_config_dword(pdev, sdev->msix_cap + PCI_MSIX_TABLE, &table);
		pci_read_config_dword(pdev, sdev->msix_cap + PCI_MSIX_PBA, &pba);
		n = (flags & PCI_MSIX_FLAGS_QSIZE) + 1;
		tstart = table & PCI_MSIX_TABLE_OFFSET;
		tend = tstart + n * PCI_MSIX_ENTRY_SIZE;
		pstart = pba & PCI_MSIX_PBA_OFFSET;
		pend = pstart + DIV_ROUND_UP(n, 64) * 8;

		sdev->msix_bar = table & PCI_MSIX_TABLE_BIR;
		sdev->msix_hole_start = round_down(tstart, PAGE_SIZE);
		sdev->msix_hole_end = round_up(tend, PAGE_SIZE);
		if ((pba & PCI_MSIX_PBA_BIR) == sdev->msix_bar) {
			sdev->msix_hole_start = min(sdev->msix_hole_start,
						    round_down(pstart, PAGE_SIZE));
			sdev->msix_hole_end = max(sdev->msix_hole_end,
						  round_up(pend, PAGE_SIZE));
		} else {
			/* A PBA in another BAR: reading it is harmless. */
			pci_info(pdev, "MSI-X PBA in BAR %u, table in BAR %d\n",
				 pba & PCI_MSIX_PBA_BIR, sdev->msix_bar);
		}
	}
}

static bool sluice_overlaps(u64 a, u64 alen, u64 b, u64 blen)
{
	return a < b + blen && b < a + alen;
}

static bool sluice_bar_protected(struct sluice_device *sdev, int bar, u64 off,
				 u64 len)
{
	return bar == sdev->msix_bar &&
	       sluice_overlaps(off, len, sdev->msix_hole_start,
			       sdev->msix_hole_end - sdev->msix_hole_start);
}

/* ---- group viability, attach, detach ---- */

struct sluice_viability {
	struct pci_dev *pdev;	/* the device asking */
	int offenders;
};

/*
 * A group member is acceptable when it is bound to sluice-pci, or when it is
 * a bridge that is unbound or driven by a driver that does no DMA of its own
 * (driver_managed_dma, e.g. pcieport): devices behind a PCIe-to-PCI bridge
 * share a group with it, and a bridge only forwards its children's traffic.
 */
static int sluice_check_group_dev(struct device *dev, void *data)
{
	struct sluice_viability *v = data;
	struct device_driver *drv = READ_ONCE(dev->driver);

	if (drv == &sluice_pci_driver.driver)
		return 0;
	if (dev_is_pci(dev) &&
	    to_pci_dev(dev)->hdr_type != PCI_HEADER_TYPE_NORMAL &&
	    (!drv || to_pci_driver(drv)->driver_managed_dma))
		return 0;
	v->offenders++;
	dev_err_ratelimited(&v->pdev->dev,
		"IOMMU group member %s is %s%s; bind every device of the group to " SLUICE_PCI_DRIVER_NAME "\n",
		dev_name(dev), drv ? "bound to " : "not bound to any driver",
		drv ? drv->name : "");
	return 0;
}

static struct sluice_group *sluice_group_find(struct iommu_group *group)
{
	struct sluice_group *sg;

	list_for_each_entry(sg, &sluice_groups, link)
		if (sg->group == group)
			return sg;
	return NULL;
}

/*
 * MSIs are DMA writes to the interrupt window.  Without interrupt remapping
 * a device that may DMA can write any message and raise any interrupt on
 * the host, so SET_DOMAIN is refused unless the administrator accepted that
 * (allow_unsafe_interrupts), as VFIO does.
 */
static int sluice_check_msi_isolation(struct pci_dev *pdev,
				      struct iommu_group *group)
{
	if (sluice_group_msi_isolated(group))
		return 0;
	if (!READ_ONCE(sluice_allow_unsafe_interrupts)) {
		dev_err_ratelimited(&pdev->dev, "IOMMU group %d: the platform cannot isolate MSIs (no interrupt remapping), so the device could raise any host interrupt; enable interrupt remapping (intremap=on, or the firmware's VT-d/AMD-Vi interrupt remapping), or accept the risk with the module parameter allow_unsafe_interrupts=1\n",
				    iommu_group_id(group));
		return -EPERM;
	}
	dev_warn_ratelimited(&pdev->dev, "IOMMU group %d: MSIs are not isolated (no interrupt remapping); allowed by allow_unsafe_interrupts=1: the device owner can raise any host interrupt\n",
			     iommu_group_id(group));
	return 0;
}

/*
 * Highest IOVA the IOMMU serving dev translates, read from the domain the
 * device uses now: before sluice claims the group that is its default DMA
 * domain, which the IOMMU driver has sized for that IOMMU.  U64_MAX when it
 * cannot be known (identity default domain).  Checking this before the
 * attach keeps intel-iommu from refusing the attach itself, which it logs
 * without a rate limit ("iommu width (N) is not sufficient").
 */
static u64 sluice_dev_iova_limit(struct device *dev)
{
	struct iommu_domain *cur = iommu_get_domain_for_dev(dev);

	if (cur && (cur->type & __IOMMU_DOMAIN_PAGING) &&
	    cur->geometry.force_aperture)
		return cur->geometry.aperture_end;
	return U64_MAX;
}

/*
 * Attach sdev's group to dom.  The first device of a group claims DMA
 * ownership (blocking kernel drivers from binding anywhere in the group) and
 * attaches the whole group; later devices of the group must name the same
 * domain, because an IOMMU group is the unit of isolation: its members can
 * reach each other's DMA, so they cannot live in different domains.  The
 * device joins dom->devices in the same dom->lock section as the attach, so
 * no MAP can slip in between and land in the new group's reserved ranges.
 */
static int sluice_attach(struct sluice_device *sdev, struct sluice_domain *dom)
{
	struct pci_dev *pdev = sdev->pdev;
	struct sluice_viability v = { .pdev = pdev };
	struct iommu_group *group;
	struct sluice_group *sg;
	bool new_group = false;
	u64 limit = U64_MAX, last;
	int ret;

	group = iommu_group_get(&pdev->dev);
	if (!group)
		return -ENODEV;

	mutex_lock(&sluice_groups_lock);
	iommu_group_for_each_dev(group, &v, sluice_check_group_dev);
	if (v.offenders) {
		dev_err_ratelimited(&pdev->dev, "IOMMU group %d is not viable: %d device(s) not bound to " SLUICE_PCI_DRIVER_NAME "\n",
			iommu_group_id(group), v.offenders);
		ret = -EBUSY;
		goto err_unlock;
	}
	ret = sluice_check_msi_isolation(pdev, group);
	if (ret)
		goto err_unlock;

	sg = sluice_group_find(group);
	if (sg && sg->dom != dom) {
		dev_err_ratelimited(&pdev->dev, "IOMMU group %d is attached to domain %u, not %u: devices of a group share one domain\n",
			iommu_group_id(group), sg->dom->id, dom->id);
		ret = -EBUSY;
		goto err_unlock;
	}
	if (!sg) {
		sg = sluice_should_fail() ? NULL :
		     kzalloc(sizeof(*sg), GFP_KERNEL);
		if (!sg) {
			ret = -ENOMEM;
			goto err_unlock;
		}
		sg->group = group;
		sg->dom = dom;
		new_group = true;
		/* Before the claim, which may switch the group's domain. */
		limit = sluice_dev_iova_limit(&pdev->dev);
	}

	if (new_group || SLUICE_PER_DEVICE_DMA_OWNER) {
		ret = sluice_claim_dma_owner(&pdev->dev, group, sg);
		if (ret) {
			dev_err_ratelimited(&pdev->dev, "cannot claim DMA ownership of IOMMU group %d (%d): a kernel driver uses a device of the group\n",
				iommu_group_id(group), ret);
			ret = -EBUSY;
			goto err_free;
		}
	}

	mutex_lock(&dom->lock);
	if (new_group) {
		if (sluice_domain_iova_hwm(dom, &last) && last > limit) {
			dev_err_ratelimited(&pdev->dev, "domain %u has mapped IOVAs up to 0x%llx, but the IOMMU of this device translates only up to 0x%llx: use another domain, with IOVAs below that\n",
				dom->id, last, limit);
			ret = -ERANGE;
			goto err_unlock_dom;
		}
		ret = sluice_domain_check_group(dom, group);
		if (ret)
			goto err_unlock_dom;
		ret = sluice_should_fail() ? -ENOMEM :
		      iommu_attach_group(dom->domain, group);
		if (ret) {
			dev_err_ratelimited(&pdev->dev, "cannot attach IOMMU group %d to domain %u (%d)\n",
				iommu_group_id(group), dom->id, ret);
			/*
			 * Intel VT-d refuses (EFAULT) when the domain already
			 * maps IOVAs above this IOMMU's address width; report
			 * it as the range error it is.
			 */
			if (ret == -EFAULT)
				ret = -ERANGE;
			goto err_unlock_dom;
		}
	}
	/* MAP walks dom->devices and their groups: group first. */
	sdev->group = sg;
	list_add_tail(&sdev->domain_link, &dom->devices);
	dom->nr_devices++;
	mutex_unlock(&dom->lock);

	if (new_group)
		list_add(&sg->link, &sluice_groups);
	else
		iommu_group_put(group);	/* the group holds its first device's */
	sg->users++;
	mutex_unlock(&sluice_groups_lock);
	return 0;

err_unlock_dom:
	mutex_unlock(&dom->lock);
	if (new_group || SLUICE_PER_DEVICE_DMA_OWNER)
		sluice_release_dma_owner(&pdev->dev, group);
err_free:
	if (new_group)
		kfree(sg);
err_unlock:
	mutex_unlock(&sluice_groups_lock);
	iommu_group_put(group);
	return ret;
}

static void sluice_detach(struct sluice_device *sdev)
{
	struct sluice_group *sg = sdev->group;
	struct sluice_domain *dom = sdev->domain;

	mutex_lock(&sluice_groups_lock);
	mutex_lock(&dom->lock);
	list_del_init(&sdev->domain_link);
	dom->nr_devices--;
	/*
	 * The IOMMU API leaves it to us to serialise map/unmap against
	 * attach/detach of the same domain: VT-d's IOTLB flush after a map
	 * walks the domain's IOMMUs and oopses if the last one leaves in the
	 * middle.  MAP/UNMAP and attach hold dom->lock; so does detach.
	 */
	if (sg->users == 1)
		iommu_detach_group(dom->domain, sg->group);
	mutex_unlock(&dom->lock);

	if (--sg->users == 0) {
		sluice_release_dma_owner(&sdev->pdev->dev, sg->group);
		list_del(&sg->link);
		iommu_group_put(sg->group);
		kfree(sg);
	} else if (SLUICE_PER_DEVICE_DMA_OWNER) {
		sluice_release_dma_owner(&sdev->pdev->dev, sg->group);
	}
	sdev->group = NULL;
	mutex_unlock(&sluice_groups_lock);
}

/* ---- enable / teardown ---- */

/*
 * A device whose release-time reset failed still holds its last owner's
 * state (rings, addresses, keys): reset it before anyone else gets it, or
 * refuse.  try: never wait for the device lock (held during unbind).
 */
static int sluice_reset_pending(struct sluice_device *sdev)
{
	struct pci_dev *pdev = sdev->pdev;
	int ret;

	if (!sdev->needs_reset)
		return 0;
	ret = pci_try_reset_function(pdev);
	if (ret) {
		dev_err_ratelimited(&pdev->dev, "the reset after the previous owner failed and failed again (%d): the device is not handed out until a reset succeeds; retry, or unbind and rebind it\n",
				    ret);
		return ret == -EAGAIN ? -EAGAIN : -EIO;
	}
	pci_dbg(pdev, "reset left over from the previous owner done\n");
	sdev->needs_reset = false;
	return 0;
}

static int sluice_enable(struct sluice_device *sdev)
{
	struct pci_dev *pdev = sdev->pdev;
	int ret;

	ret = sluice_should_fail() ? -ENOMEM : pci_enable_device(pdev);
	if (ret)
		return ret;

	ret = sluice_reset_pending(sdev);
	if (ret)
		goto err_disable;

	ret = sluice_should_fail() ? -ENOMEM :
	      pci_request_regions(pdev, SLUICE_PCI_DRIVER_NAME);
	if (ret) {
		dev_err_ratelimited(&pdev->dev, "BARs are claimed by someone else (%d)\n", ret);
		goto err_disable;
	}
	sdev->regions_requested = true;

	/* No INTx storm before the user asks for INTx. */
	if (pdev->pin)
		pci_intx(pdev, 0);

	/*
	 * Bus mastering stays off (VFIO's policy): the previous owner's rings
	 * survive on a device without a usable function reset, and with
	 * mastering on the device would resume DMA to the dead owner's IOVAs
	 * before the new owner's driver has reset it.  The owner turns it on
	 * with a config write of COMMAND once the device is in a known state.
	 * Cleared explicitly: firmware or a previous driver may have left it on.
	 */
	pci_clear_master(pdev);

	/*
	 * Remember the configuration to restore when the user is gone, with
	 * INTx masked: restoring must not unmask a line nobody handles.
	 */
	pci_save_state(pdev);
	sdev->pristine = sluice_should_fail() ? NULL :
			 pci_store_saved_state(pdev);
	if (!sdev->pristine) {
		/* Without it release could not put the device back. */
		ret = -ENOMEM;
		goto err_regions;
	}

	down_write(&sdev->memory_lock);
	sdev->mmio_enabled = true;
	up_write(&sdev->memory_lock);
	return 0;

err_regions:
	pci_release_regions(pdev);
	sdev->regions_requested = false;
err_disable:
	pci_disable_device(pdev);
	return ret;
}

/* Release-time reset; a failure is remembered in needs_reset. */
static void sluice_release_reset(struct sluice_device *sdev, bool dev_locked)
{
	struct pci_dev *pdev = sdev->pdev;
	int ret;

	if (!sluice_pci_reset_supported(pdev))
		return;
	if (atomic_dec_if_positive(&sluice_fail_release_reset) >= 0 ||
	    sluice_should_fail())
		ret = -EIO;	/* injected (debugfs fail_release_reset, fail_nth) */
	else
		ret = dev_locked ? pci_reset_function_locked(pdev) :
				   pci_try_reset_function(pdev);
	if (ret) {
		pci_info(pdev, "reset on release failed (%d): reset before the next owner\n",
			 ret);
		sdev->needs_reset = true;
	} else {
		sdev->needs_reset = false;
	}
}

/*
 * Undo SET_DOMAIN.  Order matters: user mappings of the BARs go first, then
 * interrupts, then DMA is stopped (bus master off, reset) and only after
 * that does the group leave the domain and the domain lose this device's
 * reference, which may unmap and unpin everything.  INTx is left masked:
 * a level interrupt still asserted when the owner goes would otherwise hit
 * a line that nobody handles any more.
 */
static void sluice_teardown(struct sluice_device *sdev, bool dev_locked)
{
	struct pci_dev *pdev = sdev->pdev;
	struct sluice_domain *dom = sdev->domain;
	int i;

	down_write(&sdev->memory_lock);
	sdev->mmio_enabled = false;
	if (sdev->filp)
		unmap_mapping_range(sdev->filp->f_mapping, 0, 0, true);
	up_write(&sdev->memory_lock);

	sluice_irq_disable_all(sdev);
	sluice_irq_err_release(sdev);
	pci_clear_master(pdev);

	sluice_release_reset(sdev, dev_locked);
	if (sdev->pristine) {
		pci_load_and_free_saved_state(pdev, &sdev->pristine);
		pci_restore_state(pdev);
	}
	/* The restored command register must not re-enable DMA or INTx. */
	pci_clear_master(pdev);
	if (pdev->pin)
		pci_intx(pdev, 0);

	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		if (sdev->barmap[i]) {
			pci_iounmap(pdev, sdev->barmap[i]);
			sdev->barmap[i] = NULL;
		}
	}
	if (sdev->regions_requested) {
		pci_release_regions(pdev);
		sdev->regions_requested = false;
	}
	pci_disable_device(pdev);

	sluice_detach(sdev);
	sdev->domain = NULL;
	sluice_domain_put(dom);
}

/* ---- ioctls ---- */

static long sluice_dev_get_info(struct sluice_device *sdev, unsigned long arg)
{
	struct pci_dev *pdev = sdev->pdev;
	struct sluice_device_info info;
	struct iommu_group *group;
	int ret;

	ret = sluice_copy_arg_in(&info, sizeof(info),
				 offsetofend(struct sluice_device_info, reserved),
				 arg);
	if (ret)
		return ret;
	if (info.flags || info.reserved)
		return -EINVAL;

	info.flags = 0;
	if (sdev->domain)
		info.flags |= SLUICE_DEVICE_FLAGS_DOMAIN_SET;
	if (sluice_pci_reset_supported(pdev))
		info.flags |= SLUICE_DEVICE_FLAGS_RESET;
	info.num_regions = SLUICE_PCI_NUM_REGIONS;
	info.num_irqs = SLUICE_PCI_NUM_IRQS;
	info.vendor_id = pdev->vendor;
	info.device_id = pdev->device;
	info.subsystem_vendor_id = pdev->subsystem_vendor;
	info.subsystem_device_id = pdev->subsystem_device;
	info.class_code = pdev->class;
	group = iommu_group_get(&pdev->dev);
	info.iommu_group = group ? iommu_group_id(group) : -1;
	iommu_group_put(group);
	info.version = SLUICE_API_VERSION;
	return sluice_copy_arg_out(arg, &info, sizeof(info));
}

static long sluice_dev_set_domain(struct sluice_device *sdev, unsigned long arg)
{
	struct sluice_device_set_domain sd;
	struct sluice_domain *dom;
	int ret;

	ret = sluice_copy_arg_in(&sd, sizeof(sd),
				 offsetofend(struct sluice_device_set_domain, reserved),
				 arg);
	if (ret)
		return ret;
	if (sd.flags || sd.reserved)
		return -EINVAL;
	if (sdev->domain)
		return -EBUSY;

	dom = sluice_domain_get_from_fd(sd.domain_fd);
	if (IS_ERR(dom))
		return PTR_ERR(dom);

	ret = sluice_attach(sdev, dom);
	if (ret)
		goto err_put;
	sdev->domain = dom;

	ret = sluice_enable(sdev);
	if (ret)
		goto err_detach;
	pci_dbg(sdev->pdev, "attached to domain %u\n", dom->id);
	return 0;

err_detach:
	sluice_detach(sdev);
	sdev->domain = NULL;
err_put:
	sluice_domain_put(dom);
	return ret;
}

static long sluice_dev_region_info(struct sluice_device *sdev,
				   unsigned long arg)
{
	struct pci_dev *pdev = sdev->pdev;
	struct sluice_region_info ri;
	int ret;

	ret = sluice_copy_arg_in(&ri, sizeof(ri),
				 offsetofend(struct sluice_region_info, msix_size),
				 arg);
	if (ret)
		return ret;
	if (ri.flags || ri.reserved || ri.index >= SLUICE_PCI_NUM_REGIONS)
		return -EINVAL;

	ri.offset = SLUICE_REGION_OFFSET(ri.index);
	ri.msix_offset = 0;
	ri.msix_size = 0;
	if (ri.index == SLUICE_PCI_CONFIG_REGION) {
		ri.size = pdev->cfg_size;
		ri.flags = SLUICE_REGION_FLAG_READ | SLUICE_REGION_FLAG_WRITE;
	} else {
		unsigned long rflags = pci_resource_flags(pdev, ri.index);

		ri.size = pci_resource_len(pdev, ri.index);
		if (ri.size && (rflags & IORESOURCE_IO)) {
			ri.flags = SLUICE_REGION_FLAG_READ |
				   SLUICE_REGION_FLAG_WRITE |
				   SLUICE_REGION_FLAG_IO;
		} else if (ri.size && (rflags & IORESOURCE_MEM)) {
			ri.flags = SLUICE_REGION_FLAG_READ |
				   SLUICE_REGION_FLAG_WRITE;
			if (ri.size >= PAGE_SIZE)
				ri.flags |= SLUICE_REGION_FLAG_MMAP;
		} else {
			ri.size = 0;
			ri.flags = 0;
		}
		if (ri.size && (int)ri.index == sdev->msix_bar) {
			ri.flags |= SLUICE_REGION_FLAG_MSIX;
			ri.msix_offset = sdev->msix_hole_start;
			ri.msix_size = sdev->msix_hole_end - sdev->msix_hole_start;
		}
	}
	return sluice_copy_arg_out(arg, &ri, sizeof(ri));
}

static long sluice_dev_irq_info(struct sluice_device *sdev, unsigned long arg)
{
	struct sluice_irq_info ii;
	int ret;

	ret = sluice_copy_arg_in(&ii, sizeof(ii),
				 offsetofend(struct sluice_irq_info, count), arg);
	if (ret)
		return ret;
	if (ii.flags)
		return -EINVAL;
	ret = sluice_irq_info(sdev, ii.index, &ii.count);
	if (ret)
		return ret;
	return sluice_copy_arg_out(arg, &ii, sizeof(ii));
}

static long sluice_dev_reset(struct sluice_device *sdev)
{
	struct pci_dev *pdev = sdev->pdev;
	int ret;

	if (!sluice_pci_reset_supported(pdev))
		return -ENOTTY;
	/*
	 * The reset saves and restores config space, so BARs, bus master and
	 * MSI/MSI-X come back as they were; only the device's internal state
	 * is lost.  try: never wait for the device lock (held during unbind).
	 *
	 * Mid-reset the function decodes nothing: a CPU access would read
	 * all-zeros or all-ones (or end in an Unsupported Request).  The BAR
	 * mappings are zapped and memory_lock held for writing, so a thread
	 * touching a BAR faults and waits in sluice_mmap_fault() until the
	 * device is back; pread/pwrite wait on sdev->lock, held by our caller.
	 */
	down_write(&sdev->memory_lock);
	if (sdev->filp)
		unmap_mapping_range(sdev->filp->f_mapping, 0, 0, true);
	ret = pci_try_reset_function(pdev);
	up_write(&sdev->memory_lock);
	if (!ret)
		sdev->needs_reset = false;
	return ret;
}

static bool sluice_cmd_known(unsigned int cmd)
{
	switch (cmd) {
	case SLUICE_DEVICE_GET_INFO:
	case SLUICE_DEVICE_SET_DOMAIN:
	case SLUICE_DEVICE_UNSET_DOMAIN:
	case SLUICE_DEVICE_GET_REGION_INFO:
	case SLUICE_DEVICE_GET_IRQ_INFO:
	case SLUICE_DEVICE_SET_IRQS:
	case SLUICE_DEVICE_RESET:
		return true;
	default:
		return false;
	}
}

static long sluice_dev_ioctl(struct file *filp, unsigned int cmd,
			     unsigned long arg)
{
	struct sluice_device *sdev = filp->private_data;
	long ret;

	if (!sluice_cmd_known(cmd))
		return -ENOTTY;

	mutex_lock(&sdev->lock);
	if (sdev->removed) {
		ret = -ENODEV;
		goto out;
	}
	if (cmd == SLUICE_DEVICE_GET_INFO) {
		ret = sluice_dev_get_info(sdev, arg);
		goto out;
	}
	/*
	 * Only GET_INFO and the info ioctls read; everything else changes the
	 * device, so it needs an fd opened for writing, as pwrite does.
	 */
	if (!(filp->f_mode & FMODE_WRITE) && cmd != SLUICE_DEVICE_GET_REGION_INFO &&
	    cmd != SLUICE_DEVICE_GET_IRQ_INFO) {
		ret = -EBADF;
		goto out;
	}
	if (cmd == SLUICE_DEVICE_SET_DOMAIN) {
		ret = sluice_dev_set_domain(sdev, arg);
		goto out;
	}
	if (!sdev->domain) {
		ret = -EPERM;
		goto out;
	}

	switch (cmd) {
	case SLUICE_DEVICE_UNSET_DOMAIN:
		sluice_teardown(sdev, false);
		ret = 0;
		break;
	case SLUICE_DEVICE_GET_REGION_INFO:
		ret = sluice_dev_region_info(sdev, arg);
		break;
	case SLUICE_DEVICE_GET_IRQ_INFO:
		ret = sluice_dev_irq_info(sdev, arg);
		break;
	case SLUICE_DEVICE_SET_IRQS:
		ret = sluice_irq_set(sdev, arg);
		break;
	case SLUICE_DEVICE_RESET:
		ret = sluice_dev_reset(sdev);
		break;
	default:
		ret = -ENOTTY;
		break;
	}
out:
	mutex_unlock(&sdev->lock);
	return ret;
}

/* ---- read / write ---- */

/*
 * Does the function decode this BAR?  The owner cannot turn decode off
 * (sluice_config.c), but root can through sysfs; an access then would read
 * nothing, silently, or end in an Unsupported Request.
 */
static bool sluice_bar_decoded(struct pci_dev *pdev, int bar)
{
	u16 cmd;

	if (pci_read_config_word(pdev, PCI_COMMAND, &cmd) || cmd == 0xffff)
		return false;
	if (pci_resource_flags(pdev, bar) & IORESOURCE_IO)
		return cmd & PCI_COMMAND_IO;
	return cmd & PCI_COMMAND_MEMORY;
}

static ssize_t sluice_bar_rw(struct sluice_device *sdev, int bar,
			     char __user *buf, size_t count, u64 off,
			     bool write)
{
	struct pci_dev *pdev = sdev->pdev;
	u64 len = pci_resource_len(pdev, bar);
	unsigned long rflags = pci_resource_flags(pdev, bar);
	void __iomem *io;
	size_t done = 0;

	if (!len || !(rflags & (IORESOURCE_MEM | IORESOURCE_IO)) || off >= len)
		return -EINVAL;
	count = min_t(u64, count, len - off);
	if (sluice_bar_protected(sdev, bar, off, count))
		return -EACCES;
	if (!sluice_bar_decoded(pdev, bar))
		return -EIO;

	if (!sdev->barmap[bar]) {
		sdev->barmap[bar] = pci_iomap(pdev, bar, 0);
		if (!sdev->barmap[bar])
			return -ENOMEM;
	}
	io = sdev->barmap[bar] + off;

	/* Naturally aligned accesses: registers often care about width. */
	while (done < count) {
		size_t left = count - done;
		u64 pos = off + done;

		if (left >= 4 && !(pos & 3)) {
			u32 v;

			if (write) {
				if (copy_from_user(&v, buf + done, 4))
					return -EFAULT;
				iowrite32(v, io + done);
			} else {
				v = ioread32(io + done);
				if (copy_to_user(buf + done, &v, 4))
					return -EFAULT;
			}
			done += 4;
		} else if (left >= 2 && !(pos & 1)) {
			u16 v;

			if (write) {
				if (copy_from_user(&v, buf + done, 2))
					return -EFAULT;
				iowrite16(v, io + done);
			} else {
				v = ioread16(io + done);
				if (copy_to_user(buf + done, &v, 2))
					return -EFAULT;
			}
			done += 2;
		} else {
			u8 v;

			if (write) {
				if (copy_from_user(&v, buf + done, 1))
					return -EFAULT;
				iowrite8(v, io + done);
			} else {
				v = ioread8(io + done);
				if (copy_to_user(buf + done, &v, 1))
					return -EFAULT;
			}
			done += 1;
		}
		if (!(done & 0xfff))
			cond_resched();
	}
	return done;
}

static ssize_t sluice_rw(struct file *filp, char __user *buf, size_t count,
			 loff_t *ppos, bool write)
{
	struct sluice_device *sdev = filp->private_data;
	u64 pos = *ppos;
	unsigned int index = pos >> SLUICE_REGION_SHIFT;
	u64 off = pos & SLUICE_REGION_MASK;
	ssize_t ret;

	if (!count)
		return 0;

	mutex_lock(&sdev->lock);
	if (sdev->removed) {
		ret = -ENODEV;
		goto out;
	}
	if (!sdev->domain) {
		ret = -EPERM;
		goto out;
	}
	if (*ppos < 0 || index >= SLUICE_PCI_NUM_REGIONS) {
		ret = -EINVAL;
		goto out;
	}
	if (index == SLUICE_PCI_CONFIG_REGION)
		ret = sluice_config_rw(sdev, buf, count, off, write);
	else
		ret = sluice_bar_rw(sdev, index, buf, count, off, write);
	if (ret > 0)
		*ppos += ret;
out:
	mutex_unlock(&sdev->lock);
	return ret;
}

static ssize_t sluice_read(struct file *filp, char __user *buf, size_t count,
			   loff_t *ppos)
{
	return sluice_rw(filp, buf, count, ppos, false);
}

static ssize_t sluice_write(struct file *filp, const char __user *buf,
			    size_t count, loff_t *ppos)
{
	return sluice_rw(filp, (char __user *)buf, count, ppos, true);
}

/* ---- mmap ---- */

/*
 * Pages are inserted on fault, under memory_lock, after checking that the
 * device is still enabled and decodes the BAR.  Inserting them in mmap() instead would race with
 * teardown: the VMA becomes visible to unmap_mapping_range() only after
 * ->mmap returns, so a zap in between would miss it.
 */
static vm_fault_t sluice_mmap_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct sluice_device *sdev = vma->vm_private_data;
	u64 pos = (u64)vmf->pgoff << PAGE_SHIFT;
	unsigned int bar = pos >> SLUICE_REGION_SHIFT;
	u64 off = pos & SLUICE_REGION_MASK;
	vm_fault_t ret = VM_FAULT_SIGBUS;

	down_read(&sdev->memory_lock);
	if (sdev->mmio_enabled && bar < PCI_STD_NUM_BARS &&
	    off < pci_resource_len(sdev->pdev, bar) &&
	    !sluice_bar_protected(sdev, bar, off, PAGE_SIZE) &&
	    sluice_bar_decoded(sdev->pdev, bar))
		ret = vmf_insert_pfn(vma, vmf->address,
				     (pci_resource_start(sdev->pdev, bar) + off)
				     >> PAGE_SHIFT);
	up_read(&sdev->memory_lock);
	return ret;
}

/*
 * vm_private_data needs no reference of its own: the VMA holds the file, and
 * the file holds the device until release().
 */
static const struct vm_operations_struct sluice_vm_ops = {
	.fault = sluice_mmap_fault,
};

static int sluice_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct sluice_device *sdev = filp->private_data;
	u64 pos = (u64)vma->vm_pgoff << PAGE_SHIFT;
	unsigned int bar = pos >> SLUICE_REGION_SHIFT;
	u64 off = pos & SLUICE_REGION_MASK;
	u64 len = vma->vm_end - vma->vm_start;
	u64 barlen, end;
	int ret = 0;

	down_read(&sdev->memory_lock);
	if (!sdev->mmio_enabled) {
		/* removed or no domain */
		ret = sdev->removed ? -ENODEV : -EPERM;
		goto out;
	}
	/* Private (copy-on-write) mappings of MMIO make no sense. */
	if (!(vma->vm_flags & VM_SHARED) || bar >= PCI_STD_NUM_BARS) {
		ret = -EINVAL;
		goto out;
	}
	barlen = pci_resource_len(sdev->pdev, bar);
	if (!(pci_resource_flags(sdev->pdev, bar) & IORESOURCE_MEM) ||
	    barlen < PAGE_SIZE || check_add_overflow(off, len, &end) ||
	    end > barlen) {
		ret = -EINVAL;
		goto out;
	}
	if (sluice_bar_protected(sdev, bar, off, len)) {
		ret = -EACCES;
		goto out;
	}

	vma->vm_private_data = sdev;
	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	sluice_vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_ops = &sluice_vm_ops;
out:
	up_read(&sdev->memory_lock);
	return ret;
}

/* ---- open / release ---- */

/*
 * One open file per device.  Two independent owners could not agree on
 * interrupts, resets or the domain, and a second open would also be a way
 * around the per-device permission the first owner relies on.
 */
static int sluice_open(struct inode *inode, struct file *filp)
{
	struct sluice_device *sdev =
		container_of(inode->i_cdev, struct sluice_device, cdev);
	int ret = 0;

	mutex_lock(&sdev->lock);
	if (sdev->removed)
		ret = -ENODEV;
	else if (sdev->filp)
		ret = -EBUSY;
	if (ret) {
		mutex_unlock(&sdev->lock);
		return ret;
	}
	down_write(&sdev->memory_lock);
	sdev->filp = filp;
	up_write(&sdev->memory_lock);
	get_device(&sdev->dev);
	filp->private_data = sdev;
	mutex_unlock(&sdev->lock);
	return 0;
}

static int sluice_release(struct inode *inode, struct file *filp)
{
	struct sluice_device *sdev = filp->private_data;

	mutex_lock(&sdev->lock);
	if (sdev->domain)
		sluice_teardown(sdev, false);
	down_write(&sdev->memory_lock);
	sdev->filp = NULL;
	up_write(&sdev->memory_lock);
	mutex_unlock(&sdev->lock);
	put_device(&sdev->dev);
	return 0;
}

static const struct file_operations sluice_dev_fops = {
	.owner = THIS_MODULE,
	.open = sluice_open,
	.release = sluice_release,
	.read = sluice_read,
	.write = sluice_write,
	.mmap = sluice_mmap,
	.unlocked_ioctl = sluice_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

/* ---- sysfs: /sys/class/sluice/<addr>/domain ---- */

static ssize_t domain_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct sluice_device *sdev = container_of(dev, struct sluice_device, dev);
	ssize_t n;

	mutex_lock(&sdev->lock);
	if (sdev->domain)
		n = sysfs_emit(buf, "%u\n", sdev->domain->id);
	else
		n = sysfs_emit(buf, "none\n");
	mutex_unlock(&sdev->lock);
	return n;
}
static DEVICE_ATTR_RO(domain);

static ssize_t in_use_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct sluice_device *sdev = container_of(dev, struct sluice_device, dev);
	ssize_t n;

	mutex_lock(&sdev->lock);
	n = sysfs_emit(buf, "%d\n", sdev->filp ? 1 : 0);
	mutex_unlock(&sdev->lock);
	return n;
}
static DEVICE_ATTR_RO(in_use);

static struct attribute *sluice_dev_attrs[] = {
	&dev_attr_domain.attr,
	&dev_attr_in_use.attr,
	NULL,
};
ATTRIBUTE_GROUPS(sluice_dev);

/* ---- PCI driver ---- */

static void sluice_dev_release(struct device *dev)
{
	struct sluice_device *sdev = container_of(dev, struct sluice_device, dev);

	ida_free(&sluice_minor_ida, MINOR(dev->devt));
	pci_dev_put(sdev->pdev);
	mutex_destroy(&sdev->lock);
	kfree(sdev);
}

static int sluice_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct sluice_device *sdev;
	struct iommu_group *group;
	int minor, ret;

	/* Bridges route other devices' traffic: not ours to give away. */
	if (pdev->hdr_type != PCI_HEADER_TYPE_NORMAL) {
		pci_info(pdev, "not a normal (type 0) function: refused\n");
		return -EINVAL;
	}
	group = iommu_group_get(&pdev->dev);
	if (!group) {
		pci_info(pdev, "no IOMMU group: enable the IOMMU (intel_iommu=on) to use " SLUICE_PCI_DRIVER_NAME "\n");
		return -ENODEV;
	}
	iommu_group_put(group);

	minor = ida_alloc_range(&sluice_minor_ida, 1, SLUICE_MAX_MINORS - 1,
				GFP_KERNEL);
	if (minor < 0)
		return minor;

	sdev = kzalloc(sizeof(*sdev), GFP_KERNEL);
	if (!sdev) {
		ida_free(&sluice_minor_ida, minor);
		return -ENOMEM;
	}
	sdev->pdev = pci_dev_get(pdev);
	mutex_init(&sdev->lock);
	init_rwsem(&sdev->memory_lock);
	spin_lock_init(&sdev->intx_lock);
	spin_lock_init(&sdev->err_lock);
	INIT_LIST_HEAD(&sdev->domain_link);
	sdev->irq_type = -1;
	sluice_find_protected(sdev);
	sluice_config_init(sdev);

	device_initialize(&sdev->dev);
	sdev->dev.class = sluice_class;
	sdev->dev.type = &sluice_devtype;
	sdev->dev.parent = &pdev->dev;
	sdev->dev.devt = MKDEV(MAJOR(sluice_devt), minor);
	sdev->dev.groups = sluice_dev_groups;
	sdev->dev.release = sluice_dev_release;
	/* From here on, put_device() frees sdev, the minor and the pdev ref. */
	ret = dev_set_name(&sdev->dev, "%s", pci_name(pdev));
	if (ret)
		goto err_put;

	cdev_init(&sdev->cdev, &sluice_dev_fops);
	sdev->cdev.owner = THIS_MODULE;
	ret = cdev_device_add(&sdev->cdev, &sdev->dev);
	if (ret)
		goto err_put;

	pci_set_drvdata(pdev, sdev);
	mutex_lock(&sluice_bound_lock);
	list_add_tail(&sdev->bound_link, &sluice_bound_devices);
	mutex_unlock(&sluice_bound_lock);
	pci_info(pdev, "bound, /dev/" SLUICE_NAME "/%s\n", pci_name(pdev));
	return 0;

err_put:
	put_device(&sdev->dev);
	return ret;
}

/*
 * Unbind with the fd still open: the owner loses the device (every later
 * operation fails with ENODEV, BAR mappings SIGBUS), and the device is
 * stopped and detached now, because the driver core is about to hand it to
 * someone else.
 */
static void sluice_remove(struct pci_dev *pdev)
{
	struct sluice_device *sdev = pci_get_drvdata(pdev);

	mutex_lock(&sluice_bound_lock);
	list_del(&sdev->bound_link);
	mutex_unlock(&sluice_bound_lock);

	mutex_lock(&sdev->lock);
	down_write(&sdev->memory_lock);
	sdev->removed = true;
	up_write(&sdev->memory_lock);
	if (sdev->domain)
		sluice_teardown(sdev, true);
	mutex_unlock(&sdev->lock);

	cdev_device_del(&sdev->cdev, &sdev->dev);
	pci_set_drvdata(pdev, NULL);
	put_device(&sdev->dev);
}

static struct pci_driver sluice_pci_driver = {
	.name = SLUICE_PCI_DRIVER_NAME,
	.id_table = NULL,	/* driver_override or new_id only */
	.probe = sluice_probe,
	.remove = sluice_remove,
	.err_handler = &sluice_err_handlers,
	.driver_managed_dma = true,
};

int sluice_pci_init(void)
{
	/* debugfs is optional: without it there is no fault injection. */
	debugfs_create_atomic_t("fail_release_reset", 0600, sluice_debugfs_root,
				&sluice_fail_release_reset);
	return pci_register_driver(&sluice_pci_driver);
}

void sluice_pci_exit(void)
{
	pci_unregister_driver(&sluice_pci_driver);
	ida_destroy(&sluice_minor_ida);
}
