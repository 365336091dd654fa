/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * t_perms.c - device nodes can be handed to an unprivileged user: the
 * module's device_mode/device_gid parameters set the node's mode and group,
 * the user then drives the device without any capability, and binding stays
 * a root operation.  Also drives a third device type, a modern virtio-net
 * function (64-bit memory BARs), through SET_DOMAIN, region info and mmap.
 */
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmtest.h"

#define PARAM "/sys/module/sluice/parameters/"
#define NOBODY 65534

/* Child, uid/gid nobody, no capabilities; dom was opened by root. */
static int unprivileged_owner(int dom, const char *addr)
{
	struct edu e;
	uint8_t *buf = alloc_pages(2 * 4096);
	char path[128];
	int dev, bad = 0;

	if (!buf || setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
		return 0x80;
	if (open(SLUICE_IOMMU_PATH, O_RDWR) >= 0 || errno != EACCES)
		bad |= 1;	/* the domain node stays root's (iommu_mode 0600) */
	dev = device_open(addr);
	if (dev < 0)
		return bad | 2;
	if (set_domain(dev, dom) || edu_attach(&e, dev))
		return bad | 4;
	memset(buf, 0xa5, 2048);
	if (dom_map(dom, buf, 0x100000, 2 * 4096, SLUICE_MAP_READ | SLUICE_MAP_WRITE))
		return bad | 8;
	if (edu_dma(&e, 0x100000, EDU_DMA_BUF, 2048, false, 5000) ||
	    edu_dma(&e, EDU_DMA_BUF, 0x101000, 2048, true, 5000) || buf[4096] != 0xa5 ||
	    buf[4096 + 2047] != 0xa5)
		bad |= 16;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver_override", addr);
	if (sysfs_write(path, "vfio-pci") != -EACCES)
		bad |= 32;	/* binding needs root */
	edu_detach(&e);
	close(dev);
	return bad;
}

static void virtio_regions(void)
{
	struct sluice_device_info di = { .argsz = sizeof(di) };
	struct sluice_region_info ri;
	int dev, dom, found = -1;

	if (!tap_ok(pci_bind(topo.virtio, "sluice-pci") == 0, "bind virtio-net %s",
		    topo.virtio))
		return;
	dev = device_open(topo.virtio);
	dom = domain_open();
	if (!tap_ok(dev >= 0 && dom >= 0 && !set_domain(dev, dom), "virtio-net: SET_DOMAIN"))
		goto out;
	ioctl(dev, SLUICE_DEVICE_GET_INFO, &di);
	tap_ok(di.vendor_id == 0x1af4 && di.device_id == 0x1041,
	       "virtio-net: modern device 1af4:1041 (%04x:%04x)", di.vendor_id, di.device_id);
	for (int i = 0; i < 6; i++) {
		ri = (struct sluice_region_info){ .argsz = sizeof(ri), .index = i };
		if (!ioctl(dev, SLUICE_DEVICE_GET_REGION_INFO, &ri) && ri.size >= 16384 &&
		    (ri.flags & SLUICE_REGION_FLAG_MMAP)) {
			found = i;
			break;
		}
	}
	if (tap_ok(found >= 0, "virtio-net: a mappable memory BAR (BAR%d, %llu KiB)", found,
		   (unsigned long long)ri.size / 1024)) {
		void *p = mmap(NULL, ri.size, PROT_READ, MAP_SHARED, dev, (off_t)ri.offset);

		expect_ok(p == MAP_FAILED ? -1 : 0, "virtio-net: mmap the whole BAR%d", found);
		if (p != MAP_FAILED)
			munmap(p, ri.size);
	}
out:
	if (dev >= 0)
		close(dev);
	if (dom >= 0)
		close(dom);
}

int test_perms(void)
{
	char mode0[16], gid0[16], path[128];
	struct stat st;
	int dom, r, status = -1;
	pid_t pid;

	if (sysfs_read(PARAM "device_mode", mode0, sizeof(mode0)) ||
	    sysfs_read(PARAM "device_gid", gid0, sizeof(gid0))) {
		tap_ok(false, "read device_mode/device_gid parameters");
		return 1;
	}
	snprintf(path, sizeof(path), SLUICE_DEV_DIR "/%s", topo.edu1);
	pci_bind(topo.edu1, NULL);
	expect_ok(sysfs_write(PARAM "device_mode", "0660"), "device_mode=0660");
	expect_ok(sysfs_write(PARAM "device_gid", "65534"), "device_gid=65534");
	tap_ok(pci_bind(topo.edu1, "sluice-pci") == 0, "rebind edu %s", topo.edu1);
	memset(&st, 0, sizeof(st));
	r = stat(path, &st);
	tap_ok(!r && (st.st_mode & 0777) == 0660 && st.st_gid == NOBODY,
	       "%s: mode %o gid %u", path, st.st_mode & 0777, st.st_gid);

	dom = domain_open();
	pid = fork();
	if (pid == 0)
		_exit(unprivileged_owner(dom, topo.edu1));
	waitpid(pid, &status, 0);
	tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "uid/gid nobody without capabilities: opens the node, SET_DOMAIN with a domain fd "
	       "from root, MAP, edu DMA; cannot open the domain node or bind (status 0x%x)",
	       status);
	close(dom);
	tap_ok(debugfs_domains() == 0, "the unprivileged owner's domain is gone");

	/* restore */
	sysfs_write(PARAM "device_mode", mode0);
	sysfs_write(PARAM "device_gid", gid0);
	pci_bind(topo.edu1, NULL);
	pci_bind(topo.edu1, "sluice-pci");
	memset(&st, 0, sizeof(st));
	r = stat(path, &st);
	tap_ok(!r && (st.st_mode & 0777) == 0600 && st.st_gid == 0,
	       "parameters restored: new node mode %o gid %u", st.st_mode & 0777, st.st_gid);

	virtio_regions();
	return 0;
}
