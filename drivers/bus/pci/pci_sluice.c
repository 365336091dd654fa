/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-pci backend: /dev/sluice/<address> plus the process's sluice IOMMU
 * domain.  The uAPI and its rules are in kernel/uapi/sluice.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sl_iommu.h"
#include "sl_log.h"
#include "sluice.h"
#include "eal_private.h"

#include "pci_private.h"

static int
sluice_region(int fd, unsigned int index, struct sluice_region_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->argsz = sizeof(*ri);
	ri->index = index;
	return ioctl(fd, SLUICE_DEVICE_GET_REGION_INFO, ri) < 0 ? -errno : 0;
}

static int
open_node(const struct sl_pci_device *dev)
{
	char path[64];
	int fd, err;

	snprintf(path, sizeof(path), SLUICE_DEV_DIR "/%s", dev->name);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	err = errno;
	if (err == ENOENT)
		SL_LOG(ERR, PCI, "%s is bound to sluice-pci but %s does not exist: is devtmpfs "
		       "mounted on /dev?", dev->name, path);
	else if (err == EACCES || err == EPERM)
		SL_LOG(ERR, PCI, "no permission to open %s: run as root, have root start the "
		       "application for you with sluice-launch --user USER --device %s -- "
		       "PROGRAM, or have root hand the node to your user (chown/chmod %s, or "
		       "the module's node group/mode options)", path, dev->name, path);
	else if (err == EBUSY)
		SL_LOG(ERR, PCI, "%s is in use by another process (the node is exclusive)", path);
	else
		SL_LOG(ERR, PCI, "cannot open %s: %s", path, strerror(err));
	return -err;
}

int
pci_sluice_open(struct sl_pci_device *dev)
{
	struct sluice_device_info info = { .argsz = sizeof(info) };
	struct sluice_device_set_domain sd = { .argsz = sizeof(sd) };
	struct sluice_region_info ri;
	int fd, ret;

	/* Handed over by sluice-launch: checked by the EAL, and the process may
	 * have no right to open the node. */
	fd = eal_launch_active() ? eal_launch_take_device(dev->name) : open_node(dev);
	if (fd < 0)
		return fd;
	if (ioctl(fd, SLUICE_DEVICE_GET_INFO, &info) < 0) {
		ret = -errno;
		SL_LOG(ERR, PCI, "%s: SLUICE_DEVICE_GET_INFO failed: %s", dev->name, strerror(-ret));
		goto err_close;
	}
	if (info.vendor_id != dev->id.vendor_id || info.device_id != dev->id.device_id) {
		SL_LOG(ERR, PCI, "%s: node reports %04x:%04x, sysfs %04x:%04x", dev->name,
		       info.vendor_id, info.device_id, dev->id.vendor_id, dev->id.device_id);
		ret = -EIO;
		goto err_close;
	}

	ret = sl_iommu_open(SL_IOMMU_SLUICE);
	if (ret < 0)
		goto err_close;
	sd.domain_fd = sl_iommu_fd();
	/* sluice-launch attaches its devices before handing them over (to the
	 * domain now open: the EAL checked the domain holds them). */
	if (!(info.flags & SLUICE_DEVICE_FLAGS_DOMAIN_SET) &&
	    ioctl(fd, SLUICE_DEVICE_SET_DOMAIN, &sd) < 0) {
		ret = -errno;
		if (ret == -ENODEV) {
			SL_LOG(ERR, PCI, "%s has no IOMMU group: the IOMMU is off.  Boot with "
			       "intel_iommu=on (Intel) or amd_iommu=on (AMD; on by default), enable "
			       "VT-d/AMD-Vi in the firmware, and check that %s is not empty",
			       dev->name, SL_PCI_SYSFS_GROUPS);
		} else if (ret == -EBUSY) {
			SL_LOG(ERR, PCI, "%s: IOMMU group %d is not viable for this process", dev->name,
			       info.iommu_group);
			pci_log_group_members(info.iommu_group, dev->name);
		} else if (ret == -ERANGE || ret == -EFAULT) {
			SL_LOG(ERR, PCI, "%s: the IOMMU cannot translate this process's IOVAs "
			       "(memory is mapped at IOVA = VA and user addresses need 48 bits; see "
			       "dmesg for the IOMMU's width).  On QEMU use -device "
			       "intel-iommu,aw-bits=48", dev->name);
		} else {
			SL_LOG(ERR, PCI, "%s: SLUICE_DEVICE_SET_DOMAIN failed: %s", dev->name,
			       strerror(-ret));
		}
		goto err_iommu;
	}
	/* Only now, with a device in the domain, does the IOMMU build 2 MiB
	 * pages for the hugepages (sl_iommu.h). */
	ret = sl_iommu_sluice_device_attached();
	if (ret < 0) {
		SL_LOG(ERR, PCI, "%s: mapping memory into the IOMMU domain failed: %s", dev->name,
		       strerror(-ret));
		goto err_iommu;
	}

	ret = sluice_region(fd, SLUICE_PCI_CONFIG_REGION, &ri);
	if (ret < 0) {
		SL_LOG(ERR, PCI, "%s: config region info failed: %s", dev->name, strerror(-ret));
		goto err_iommu;
	}
	dev->cfg_offset = ri.offset;

	for (unsigned int i = 0; i < SL_PCI_MAX_BARS; i++) {
		void *va;
		ret = sluice_region(fd, SLUICE_PCI_BAR0_REGION + i, &ri);
		if (ret < 0) {
			SL_LOG(ERR, PCI, "%s: BAR%u info failed: %s", dev->name, i, strerror(-ret));
			goto err_bars;
		}
		/* The MSI-X BAR is left out: the table is not user-accessible
		 * and no PMD needs the rest of it. */
		if (ri.size == 0 || !(ri.flags & SLUICE_REGION_FLAG_MMAP) ||
		    (ri.flags & SLUICE_REGION_FLAG_MSIX))
			continue;
		va = mmap(NULL, ri.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)ri.offset);
		if (va == MAP_FAILED) {
			ret = -errno;
			SL_LOG(ERR, PCI, "%s: mmap of BAR%u (%" PRIu64 " bytes) failed: %s", dev->name,
			       i, (uint64_t)ri.size, strerror(-ret));
			goto err_bars;
		}
		dev->bar[i].addr = va;
		dev->bar[i].len = ri.size;
	}
	dev->dev_fd = fd;
	dev->backend = SL_PCI_BACKEND_SLUICE;
	return 0;

err_bars:
	pci_unmap_bars(dev);
err_iommu:
	/* Closing the node below undoes SET_DOMAIN (reset, detach). */
	close(fd);
	sl_iommu_close();
	return ret;
err_close:
	close(fd);
	return ret;
}

void
pci_sluice_close(struct sl_pci_device *dev)
{
	pci_unmap_bars(dev);
	if (dev->dev_fd >= 0) {
		/* The module turns bus mastering off, resets the function and
		 * detaches it from the domain on the last close; off here
		 * first so both backends stop DMA the same way. */
		(void)sl_pci_bus_master_set(dev, false);
		close(dev->dev_fd);
		dev->dev_fd = -1;
		sl_iommu_close();
	}
}
