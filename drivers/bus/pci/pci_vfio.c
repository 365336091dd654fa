/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vfio-pci backend: groups join the process's type1 container (sl_iommu.h).
 * Several devices may share a group, so group fds are reference counted.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "sl_iommu.h"
#include "sl_log.h"

#include "pci_private.h"

#define MAX_GROUPS 64

static struct {
	int group;
	int fd;
	unsigned int refcnt;
} groups[MAX_GROUPS];

static int
group_get(const struct sl_pci_device *dev)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	char path[64];
	int slot = -1, fd, ret;

	for (int i = 0; i < MAX_GROUPS; i++) {
		if (groups[i].refcnt && groups[i].group == dev->iommu_group) {
			groups[i].refcnt++;
			return groups[i].fd;
		}
		if (!groups[i].refcnt && slot < 0)
			slot = i;
	}
	if (slot < 0)
		return -ENOSPC;
	snprintf(path, sizeof(path), "/dev/vfio/%d", dev->iommu_group);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		if (ret == -EACCES || ret == -EPERM)
			SL_LOG(ERR, PCI, "no permission to open %s: run as root or chown the node to "
			       "your user", path);
		else if (ret == -EBUSY)
			SL_LOG(ERR, PCI, "%s is in use by another process", path);
		else
			SL_LOG(ERR, PCI, "cannot open %s: %s", path, strerror(-ret));
		return ret;
	}
	if (ioctl(fd, VFIO_GROUP_GET_STATUS, &st) < 0) {
		ret = -errno;
		SL_LOG(ERR, PCI, "VFIO_GROUP_GET_STATUS on %s failed: %s", path, strerror(-ret));
		goto err;
	}
	if (!(st.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		SL_LOG(ERR, PCI, "%s: IOMMU group %d is not viable", dev->name, dev->iommu_group);
		pci_log_group_members(dev->iommu_group, dev->name);
		ret = -EBUSY;
		goto err;
	}
	if (!(st.flags & VFIO_GROUP_FLAGS_CONTAINER_SET)) {
		int cfd = sl_iommu_fd();
		if (ioctl(fd, VFIO_GROUP_SET_CONTAINER, &cfd) < 0) {
			ret = -errno;
			SL_LOG(ERR, PCI, "VFIO_GROUP_SET_CONTAINER failed: %s", strerror(-ret));
			goto err;
		}
	}
	ret = sl_iommu_vfio_group_added();
	if (ret < 0)
		goto err;
	groups[slot].group = dev->iommu_group;
	groups[slot].fd = fd;
	groups[slot].refcnt = 1;
	return fd;
err:
	close(fd);
	return ret;
}

static void
group_put(int group)
{
	for (int i = 0; i < MAX_GROUPS; i++) {
		if (groups[i].refcnt && groups[i].group == group) {
			if (--groups[i].refcnt == 0) {
				ioctl(groups[i].fd, VFIO_GROUP_UNSET_CONTAINER);
				close(groups[i].fd);
				groups[i].fd = -1;
			}
			return;
		}
	}
}

static int
region_info(int fd, unsigned int index, struct vfio_region_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->argsz = sizeof(*ri);
	ri->index = index;
	return ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, ri) < 0 ? -errno : 0;
}

int
pci_vfio_open(struct sl_pci_device *dev)
{
	struct vfio_region_info ri;
	uint16_t cmd;
	int gfd, fd, ret;

	if (dev->iommu_group < 0) {
		SL_LOG(ERR, PCI, "%s has no IOMMU group: the IOMMU is off.  Boot with intel_iommu=on "
		       "(Intel) or amd_iommu=on (AMD), enable VT-d/AMD-Vi in the firmware, and check "
		       "that %s is not empty", dev->name, SL_PCI_SYSFS_GROUPS);
		return -ENODEV;
	}
	ret = sl_iommu_open(SL_IOMMU_VFIO);
	if (ret < 0)
		return ret;
	gfd = group_get(dev);
	if (gfd < 0) {
		ret = gfd;
		goto err_iommu;
	}
	fd = ioctl(gfd, VFIO_GROUP_GET_DEVICE_FD, dev->name);
	if (fd < 0) {
		ret = -errno;
		SL_LOG(ERR, PCI, "%s: VFIO_GROUP_GET_DEVICE_FD failed: %s", dev->name, strerror(-ret));
		goto err_group;
	}
	dev->dev_fd = fd;
	ret = region_info(fd, VFIO_PCI_CONFIG_REGION_INDEX, &ri);
	if (ret < 0)
		goto err_dev;
	dev->cfg_offset = ri.offset;
	for (unsigned int i = 0; i < SL_PCI_MAX_BARS; i++) {
		void *va;
		ret = region_info(fd, VFIO_PCI_BAR0_REGION_INDEX + i, &ri);
		if (ret < 0)
			goto err_dev;
		if (ri.size == 0 || !(ri.flags & VFIO_REGION_INFO_FLAG_MMAP))
			continue;
		va = mmap(NULL, ri.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)ri.offset);
		if (va == MAP_FAILED) {
			/* BARs with an MSI-X table may refuse a whole mmap
			 * (sparse mmap); drivers here need only BAR0. */
			if (i == 0) {
				ret = -errno;
				SL_LOG(ERR, PCI, "%s: mmap of BAR0 failed: %s", dev->name,
				       strerror(-ret));
				goto err_dev;
			}
			continue;
		}
		dev->bar[i].addr = va;
		dev->bar[i].len = ri.size;
	}
	/* vfio-pci enables the device but leaves decoding and bus mastering
	 * to user space: turn on memory decoding only.  Bus mastering is the
	 * driver's, once it has reset the device (sl_pci_bus_master_set()),
	 * as with the sluice module; a previous user may have left it on. */
	if (sl_pci_read_config(dev, &cmd, sizeof(cmd), PCI_COMMAND) != sizeof(cmd)) {
		ret = -EIO;
		goto err_dev;
	}
	cmd |= PCI_COMMAND_MEMORY;
	cmd &= (uint16_t)~PCI_COMMAND_MASTER;
	if (sl_pci_write_config(dev, &cmd, sizeof(cmd), PCI_COMMAND) != sizeof(cmd)) {
		ret = -EIO;
		goto err_dev;
	}
	dev->backend = SL_PCI_BACKEND_VFIO;
	return 0;

err_dev:
	pci_unmap_bars(dev);
	close(fd);
	dev->dev_fd = -1;
err_group:
	/* IOMMU reference before the group: see pci_vfio_close(). */
	sl_iommu_close();
	group_put(dev->iommu_group);
	return ret;
err_iommu:
	sl_iommu_close();
	return ret;
}

void
pci_vfio_close(struct sl_pci_device *dev)
{
	pci_unmap_bars(dev);
	if (dev->dev_fd < 0)
		return;
	/* Stop DMA before the fd goes, whatever the driver did: vfio-pci
	 * resets the function on release only when it can. */
	(void)sl_pci_bus_master_set(dev, false);
	close(dev->dev_fd);
	dev->dev_fd = -1;
	/* Drop the IOMMU reference first: the last one unmaps all memory,
	 * which needs the group still in the container (without a group
	 * the container has no IOMMU and UNMAP_DMA fails). */
	sl_iommu_close();
	group_put(dev->iommu_group);
}
