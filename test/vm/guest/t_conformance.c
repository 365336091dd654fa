/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * t_conformance.c - every ioctl of kernel/uapi/sluice.h with its documented
 * errors ("conformance"), and the no-access-before-a-domain rule ("noaccess").
 */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vmtest.h"

/* ---- domain fd ---- */

static void conf_domain_info(int dom)
{
	struct sluice_iommu_info info;
	struct {
		struct sluice_iommu_info i;
		uint64_t tail;
	} big;
	char buf[64];
	long maxmap = -1;

	expect_ok(domain_info(dom, &info), "IOMMU_GET_INFO");
	tap_ok(info.version == SLUICE_API_VERSION, "GET_INFO version %u == %d",
	       info.version, SLUICE_API_VERSION);
	tap_ok(info.pgsize_bitmap & 4096, "GET_INFO pgsize_bitmap 0x%llx has 4 KiB",
	       (unsigned long long)info.pgsize_bitmap);
	tap_ok(info.aperture_end > info.aperture_start,
	       "GET_INFO aperture [0x%llx, 0x%llx]",
	       (unsigned long long)info.aperture_start,
	       (unsigned long long)info.aperture_end);
	tap_ok(info.flags == 0, "GET_INFO flags out 0");
	if (!sysfs_read("/sys/module/sluice/parameters/max_mappings", buf, sizeof(buf)))
		maxmap = atol(buf);
	tap_ok(info.max_mappings == maxmap, "GET_INFO max_mappings %u == parameter %ld",
	       info.max_mappings, maxmap);

	memset(&info, 0, sizeof(info));
	info.argsz = 0;
	expect_errno(ioctl(dom, SLUICE_IOMMU_GET_INFO, &info), EINVAL, "GET_INFO argsz 0");
	info.argsz = sizeof(info) - 1;
	expect_errno(ioctl(dom, SLUICE_IOMMU_GET_INFO, &info), EINVAL,
		     "GET_INFO argsz sizeof-1");
	info.argsz = sizeof(info);
	info.flags = 1;
	expect_errno(ioctl(dom, SLUICE_IOMMU_GET_INFO, &info), EINVAL, "GET_INFO flags 1");
	expect_errno(ioctl(dom, SLUICE_IOMMU_GET_INFO, NULL), EFAULT, "GET_INFO NULL arg");

	memset(&big, 0, sizeof(big));
	big.i.argsz = sizeof(big);
	expect_ok(ioctl(dom, SLUICE_IOMMU_GET_INFO, &big),
		  "GET_INFO larger argsz with a zero tail (newer user space)");
	tap_ok(big.tail == 0 && big.i.version == SLUICE_API_VERSION,
	       "GET_INFO larger argsz: known part written, tail untouched");
	big.tail = 1;
	expect_errno(ioctl(dom, SLUICE_IOMMU_GET_INFO, &big), E2BIG,
		     "GET_INFO larger argsz with a non-zero tail");
	big.tail = 0;
	big.i.argsz = 1u << 20;
	{
		/* A huge argsz must be refused without reading 1 MiB. */
		char *mem = calloc(1, 1u << 20);

		memcpy(mem, &big, sizeof(big));
		expect_errno(ioctl(dom, SLUICE_IOMMU_GET_INFO, mem), E2BIG,
			     "GET_INFO argsz 1 MiB");
		free(mem);
	}
}

static void conf_domain_map(int dom)
{
	struct sluice_iommu_info info;
	struct sluice_iommu_map m;
	struct sluice_iommu_unmap u;
	struct sluice_iommu_stats st;
	uint8_t *buf = alloc_pages(16 * 4096);
	uint64_t iova = 0x100000;

	domain_info(dom, &info);
	if (!tap_ok(buf != NULL, "allocate 16 pages"))
		return;

	expect_errno(dom_map(dom, buf, iova, 4096, 0), EINVAL, "MAP flags 0");
	expect_errno(dom_map(dom, buf, iova, 4096, 4), EINVAL, "MAP unknown flag 0x4");
	expect_errno(dom_map(dom, buf, iova, 4096, 0x80000000u | SLUICE_MAP_READ), EINVAL,
		     "MAP unknown flag 0x80000000");
	expect_errno(dom_map(dom, buf, iova, 0, SLUICE_MAP_READ), EINVAL, "MAP size 0");
	expect_errno(dom_map(dom, buf, iova + 1, 4096, SLUICE_MAP_READ), EINVAL,
		     "MAP unaligned iova");
	expect_errno(dom_map(dom, buf + 1, iova, 4096, SLUICE_MAP_READ), EINVAL,
		     "MAP unaligned vaddr");
	expect_errno(dom_map(dom, buf, iova, 4095, SLUICE_MAP_READ), EINVAL,
		     "MAP unaligned size");
	expect_errno(dom_map(dom, buf, UINT64_MAX - 4095, 8192, SLUICE_MAP_READ), EINVAL,
		     "MAP iova + size wraps");
	m = (struct sluice_iommu_map){ .argsz = sizeof(m), .flags = SLUICE_MAP_READ,
		.vaddr = UINT64_MAX - 4095, .iova = iova, .size = 8192 };
	expect_errno(ioctl(dom, SLUICE_IOMMU_MAP, &m), EINVAL, "MAP vaddr + size wraps");
	if (info.aperture_end < UINT64_MAX - 8192)
		expect_errno(dom_map(dom, buf, (info.aperture_end + 1) & ~4095ULL, 4096,
				     SLUICE_MAP_READ), ERANGE,
			     "MAP iova just above the aperture end 0x%llx",
			     (unsigned long long)info.aperture_end);
	m = (struct sluice_iommu_map){ .argsz = 8, .flags = SLUICE_MAP_READ,
		.vaddr = (uintptr_t)buf, .iova = iova, .size = 4096 };
	expect_errno(ioctl(dom, SLUICE_IOMMU_MAP, &m), EINVAL, "MAP argsz 8");
	expect_errno(ioctl(dom, SLUICE_IOMMU_MAP, (void *)8), EFAULT, "MAP arg pointer 0x8");
	expect_errno(dom_map(dom, (void *)0x1000, iova, 4096, SLUICE_MAP_READ), EFAULT,
		     "MAP vaddr not mapped (0x1000)");

	expect_ok(dom_map(dom, buf, iova, 4096, SLUICE_MAP_READ), "MAP read-only page");
	expect_ok(dom_map(dom, buf + 4096, iova + 4096, 4096, SLUICE_MAP_WRITE),
		  "MAP write-only page");
	expect_ok(dom_map(dom, buf + 8192, iova + 8192, 8192,
			  SLUICE_MAP_READ | SLUICE_MAP_WRITE), "MAP read-write 2 pages");
	expect_errno(dom_map(dom, buf, iova, 4096, SLUICE_MAP_READ), EEXIST,
		     "MAP same iova again");
	expect_errno(dom_map(dom, buf, iova + 8192 + 4096, 8192, SLUICE_MAP_READ), EEXIST,
		     "MAP overlapping the tail of a mapping");
	expect_errno(dom_map(dom, buf, iova - 4096, 8192, SLUICE_MAP_READ), EEXIST,
		     "MAP overlapping the head of a mapping");
	expect_ok(dom_map(dom, buf, iova + 0x10000, 4096, SLUICE_MAP_READ),
		  "MAP the same user page at a second iova");

	domain_stats(dom, &st);
	tap_ok(st.nr_mappings == 4 && st.mapped_bytes == 5 * 4096 && st.pinned_pages == 5,
	       "GET_STATS: 4 mappings, 5 pages (got %u, %llu bytes, %llu pages)",
	       st.nr_mappings, (unsigned long long)st.mapped_bytes,
	       (unsigned long long)st.pinned_pages);

	/* UNMAP errors */
	u = (struct sluice_iommu_unmap){ .argsz = sizeof(u), .flags = 1, .iova = iova,
		.size = 4096 };
	expect_errno(ioctl(dom, SLUICE_IOMMU_UNMAP, &u), EINVAL, "UNMAP flags 1");
	expect_errno(dom_unmap(dom, iova, 0), EINVAL, "UNMAP size 0");
	expect_errno(dom_unmap(dom, iova + 1, 4096), EINVAL, "UNMAP unaligned iova");
	expect_errno(dom_unmap(dom, iova, 100), EINVAL, "UNMAP unaligned size");
	expect_errno(dom_unmap(dom, UINT64_MAX - 4095, 8192), EINVAL, "UNMAP wraps");
	expect_errno(dom_unmap(dom, 0x40000000, 4096), ENOENT, "UNMAP where nothing is mapped");
	expect_errno(dom_unmap(dom, iova + 8192, 4096), EINVAL,
		     "UNMAP cutting a 2-page mapping");
	expect_errno(dom_unmap(dom, iova, 3 * 4096), EINVAL,
		     "UNMAP whole mappings plus part of the next");
	domain_stats(dom, &st);
	tap_ok(st.nr_mappings == 4, "failed UNMAPs changed nothing (%u mappings)",
	       st.nr_mappings);
	u = (struct sluice_iommu_unmap){ .argsz = sizeof(u), .iova = iova, .size = 4 * 4096 };
	expect_ok(ioctl(dom, SLUICE_IOMMU_UNMAP, &u), "UNMAP three whole mappings at once");
	tap_ok(u.size == 4 * 4096, "UNMAP size out = bytes unmapped (%llu)",
	       (unsigned long long)u.size);
	u = (struct sluice_iommu_unmap){ .argsz = sizeof(u), .iova = 0, .size = 1ULL << 40 };
	expect_ok(ioctl(dom, SLUICE_IOMMU_UNMAP, &u), "UNMAP a large range holding one mapping");
	tap_ok(u.size == 4096, "  ... size out 4096 (%llu)", (unsigned long long)u.size);
	domain_stats(dom, &st);
	tap_ok(st.nr_mappings == 0 && st.pinned_pages == 0 && st.mapped_bytes == 0 &&
	       st.locked_pages == 0, "GET_STATS all zero after unmapping everything");
	munmap(buf, 16 * 4096);
}

static void conf_domain_stats(int dom)
{
	struct sluice_iommu_stats st;
	char line[512];

	expect_ok(domain_stats(dom, &st), "IOMMU_GET_STATS");
	tap_ok(debugfs_domain_line(st.id, line, sizeof(line)),
	       "GET_STATS id %u is listed in debugfs", st.id);
	st.flags = 1;
	expect_errno(ioctl(dom, SLUICE_IOMMU_GET_STATS, &st), EINVAL, "GET_STATS flags 1");
	st.flags = 0;
	st.reserved = 1;
	expect_errno(ioctl(dom, SLUICE_IOMMU_GET_STATS, &st), EINVAL, "GET_STATS reserved 1");
	st.reserved = 0;
	st.argsz = offsetof(struct sluice_iommu_stats, reserved);
	expect_errno(ioctl(dom, SLUICE_IOMMU_GET_STATS, &st), EINVAL,
		     "GET_STATS argsz without the last field");
	expect_errno(ioctl(dom, _IO(SLUICE_IOCTL_TYPE, SLUICE_IOMMU_BASE + 0x3f), &st), ENOTTY,
		     "unknown domain ioctl");
	expect_errno(ioctl(dom, SLUICE_DEVICE_GET_INFO, &st), ENOTTY,
		     "device ioctl on a domain fd");
	expect_errno(ioctl(dom, _IOWR(SLUICE_IOCTL_TYPE, SLUICE_IOMMU_BASE + 1,
				      struct sluice_iommu_map), &st), ENOTTY,
		     "MAP number with a size encoded (_IOWR) is not MAP");
}

/* ---- device fd ---- */

static int find_cap(int dev, uint8_t id)
{
	uint8_t cfg[256];

	if (pread(dev, cfg, sizeof(cfg), (off_t)SLUICE_REGION_OFFSET(SLUICE_PCI_CONFIG_REGION))
	    != (ssize_t)sizeof(cfg))
		return -1;
	return pci_cap_find(cfg, id);
}

static bool wait_eventfd(int efd, int ms)
{
	struct pollfd p = { .fd = efd, .events = POLLIN };
	uint64_t v;

	if (poll(&p, 1, ms) != 1)
		return false;
	return read(efd, &v, 8) == 8 && v > 0;
}

static void conf_device_irqs(int dev, struct edu *e)
{
	struct sluice_irq_info ii = { .argsz = sizeof(ii) };
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	int p[2];
	int32_t fds[2];

	ii.index = SLUICE_PCI_INTX_IRQ;
	expect_ok(ioctl(dev, SLUICE_DEVICE_GET_IRQ_INFO, &ii), "GET_IRQ_INFO INTx");
	tap_ok(ii.count == 1, "edu has 1 INTx (got %u)", ii.count);
	ii.index = SLUICE_PCI_MSI_IRQ;
	ioctl(dev, SLUICE_DEVICE_GET_IRQ_INFO, &ii);
	tap_ok(ii.count == 1, "edu has 1 MSI vector (got %u)", ii.count);
	ii.index = SLUICE_PCI_MSIX_IRQ;
	ioctl(dev, SLUICE_DEVICE_GET_IRQ_INFO, &ii);
	tap_ok(ii.count == 0, "edu has no MSI-X (got %u)", ii.count);
	ii.index = SLUICE_PCI_NUM_IRQS;
	expect_errno(ioctl(dev, SLUICE_DEVICE_GET_IRQ_INFO, &ii), EINVAL,
		     "GET_IRQ_INFO index %d", SLUICE_PCI_NUM_IRQS);
	ii.index = 0;
	ii.flags = 1;
	expect_errno(ioctl(dev, SLUICE_DEVICE_GET_IRQ_INFO, &ii), EINVAL, "GET_IRQ_INFO flags 1");

	if (pipe2(p, O_CLOEXEC))
		p[0] = p[1] = -1;
	fds[0] = efd;
	expect_errno(irqs_set(dev, 0, SLUICE_PCI_MSI_IRQ, 0, 1, fds), EINVAL,
		     "SET_IRQS without an action");
	expect_errno(irqs_set(dev, SLUICE_IRQ_SET_EVENTFD | SLUICE_IRQ_SET_DISABLE,
			      SLUICE_PCI_MSI_IRQ, 0, 1, fds), EINVAL, "SET_IRQS two actions");
	expect_errno(irqs_set(dev, 1u << 8, SLUICE_PCI_MSI_IRQ, 0, 1, fds), EINVAL,
		     "SET_IRQS unknown flag");
	expect_errno(irqs_set(dev, SLUICE_IRQ_SET_EVENTFD, 7, 0, 1, fds), EINVAL,
		     "SET_IRQS index 7");
	expect_errno(irqs_set(dev, SLUICE_IRQ_SET_EVENTFD, SLUICE_PCI_MSI_IRQ, 0, 2,
			      (int32_t[]){ efd, efd }), EINVAL,
		     "SET_IRQS MSI 2 vectors on a 1-vector device");
	expect_errno(irqs_set(dev, SLUICE_IRQ_SET_EVENTFD, SLUICE_PCI_MSI_IRQ, 1, 1, fds),
		     EINVAL, "SET_IRQS first enable with start 1");
	fds[0] = p[0];
	expect_errno(irqs_set(dev, SLUICE_IRQ_SET_EVENTFD, SLUICE_PCI_MSI_IRQ, 0, 1, fds),
		     EINVAL, "SET_IRQS with a pipe instead of an eventfd");
	fds[0] = 999;
	expect_errno(irqs_set(dev, SLUICE_IRQ_SET_EVENTFD, SLUICE_PCI_MSI_IRQ, 0, 1, fds),
		     EBADF, "SET_IRQS with a closed fd");
	expect_errno(irqs_set(dev, SLUICE_IRQ_SET_MASK, SLUICE_PCI_MSI_IRQ, 0, 0, NULL),
		     EINVAL, "SET_IRQS MASK on MSI (INTx only)");
	expect_errno(irqs_set(dev, SLUICE_IRQ_SET_EVENTFD, SLUICE_PCI_MSIX_IRQ, 0, 1,
			      (int32_t[]){ efd }), EINVAL, "SET_IRQS MSI-X on a device without it");

	/* MSI end to end: the edu raises its interrupt from a register. */
	fds[0] = efd;
	if (expect_ok(irqs_set(dev, SLUICE_IRQ_SET_EVENTFD, SLUICE_PCI_MSI_IRQ, 0, 1, fds),
		      "SET_IRQS MSI vector 0 -> eventfd")) {
		edu_write32(e, EDU_REG_IRQ_RAISE, 0x1);
		tap_ok(wait_eventfd(efd, 2000), "edu MSI signals the eventfd");
		edu_write32(e, EDU_REG_IRQ_ACK, 0x1);
		expect_errno(irqs_set(dev, SLUICE_IRQ_SET_EVENTFD, SLUICE_PCI_INTX_IRQ, 0, 1,
				      fds), EBUSY, "SET_IRQS INTx while MSI is enabled");
		expect_ok(irqs_set(dev, SLUICE_IRQ_SET_EVENTFD, SLUICE_PCI_MSI_IRQ, 0, 1,
				   (int32_t[]){ -1 }), "SET_IRQS MSI vector 0 -> no trigger");
		edu_write32(e, EDU_REG_IRQ_RAISE, 0x1);
		tap_ok(!wait_eventfd(efd, 500), "no eventfd signal without a trigger");
		edu_write32(e, EDU_REG_IRQ_ACK, 0x1);
		expect_ok(irqs_set(dev, SLUICE_IRQ_SET_DISABLE, SLUICE_PCI_MSI_IRQ, 0, 0, NULL),
			  "SET_IRQS DISABLE MSI");
	}
	/* INTx: masked by the kernel when it fires, unmasked by us. */
	if (expect_ok(irqs_set(dev, SLUICE_IRQ_SET_EVENTFD, SLUICE_PCI_INTX_IRQ, 0, 1, fds),
		      "SET_IRQS INTx -> eventfd")) {
		edu_write32(e, EDU_REG_IRQ_RAISE, 0x1);
		tap_ok(wait_eventfd(efd, 2000), "edu INTx signals the eventfd");
		edu_write32(e, EDU_REG_IRQ_ACK, 0x1);
		expect_ok(irqs_set(dev, SLUICE_IRQ_SET_UNMASK, SLUICE_PCI_INTX_IRQ, 0, 0, NULL),
			  "SET_IRQS UNMASK INTx");
		edu_write32(e, EDU_REG_IRQ_RAISE, 0x1);
		tap_ok(wait_eventfd(efd, 2000), "edu INTx fires again after UNMASK");
		edu_write32(e, EDU_REG_IRQ_ACK, 0x1);
		expect_ok(irqs_set(dev, SLUICE_IRQ_SET_MASK, SLUICE_PCI_INTX_IRQ, 0, 0, NULL),
			  "SET_IRQS MASK INTx");
		expect_ok(irqs_set(dev, SLUICE_IRQ_SET_DISABLE, SLUICE_PCI_INTX_IRQ, 0, 0, NULL),
			  "SET_IRQS DISABLE INTx");
	}
	close(efd);
	if (p[0] >= 0) {
		close(p[0]);
		close(p[1]);
	}
}

static void conf_device_regions(int dev, const char *addr)
{
	struct sluice_region_info ri = { .argsz = sizeof(ri) };
	uint8_t cfg[64], sys[64];
	char path[256];
	uint32_t v;
	int fd, msi;
	void *p;

	ri.index = SLUICE_PCI_BAR0_REGION;
	expect_ok(ioctl(dev, SLUICE_DEVICE_GET_REGION_INFO, &ri), "GET_REGION_INFO BAR0");
	tap_ok(ri.size == 1u << 20 && ri.offset == SLUICE_REGION_OFFSET(0) &&
	       (ri.flags & (SLUICE_REGION_FLAG_READ | SLUICE_REGION_FLAG_WRITE |
			    SLUICE_REGION_FLAG_MMAP)) == (SLUICE_REGION_FLAG_READ |
			    SLUICE_REGION_FLAG_WRITE | SLUICE_REGION_FLAG_MMAP) &&
	       !(ri.flags & SLUICE_REGION_FLAG_MSIX),
	       "BAR0: 1 MiB, rw, mmap (size 0x%llx flags 0x%x)",
	       (unsigned long long)ri.size, ri.flags);
	ri = (struct sluice_region_info){ .argsz = sizeof(ri), .index = SLUICE_PCI_BAR1_REGION };
	expect_ok(ioctl(dev, SLUICE_DEVICE_GET_REGION_INFO, &ri), "GET_REGION_INFO BAR1");
	tap_ok(ri.size == 0 && ri.flags == 0, "BAR1 absent: size 0, flags 0");
	ri = (struct sluice_region_info){ .argsz = sizeof(ri), .index = SLUICE_PCI_CONFIG_REGION };
	expect_ok(ioctl(dev, SLUICE_DEVICE_GET_REGION_INFO, &ri), "GET_REGION_INFO config");
	tap_ok(ri.size >= 256 && ri.offset == SLUICE_REGION_OFFSET(SLUICE_PCI_CONFIG_REGION),
	       "config region size %llu", (unsigned long long)ri.size);
	ri = (struct sluice_region_info){ .argsz = sizeof(ri), .index = SLUICE_PCI_NUM_REGIONS };
	expect_errno(ioctl(dev, SLUICE_DEVICE_GET_REGION_INFO, &ri), EINVAL,
		     "GET_REGION_INFO index %d", SLUICE_PCI_NUM_REGIONS);
	ri.index = 0;
	ri.flags = 1;
	expect_errno(ioctl(dev, SLUICE_DEVICE_GET_REGION_INFO, &ri), EINVAL,
		     "GET_REGION_INFO flags 1");
	ri.flags = 0;
	ri.reserved = 1;
	expect_errno(ioctl(dev, SLUICE_DEVICE_GET_REGION_INFO, &ri), EINVAL,
		     "GET_REGION_INFO reserved 1");

	/* config space reads match the kernel's view */
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", addr);
	fd = open(path, O_RDONLY);
	tap_ok(fd >= 0 && pread(fd, sys, 64, 0) == 64 &&
	       pread(dev, cfg, 64, (off_t)SLUICE_REGION_OFFSET(SLUICE_PCI_CONFIG_REGION)) == 64 &&
	       !memcmp(cfg, sys, 4) && !memcmp(cfg + 8, sys + 8, 56),
	       "pread config header == sysfs config");
	if (fd >= 0)
		close(fd);
	v = 0;
	expect_errno(pwrite(dev, &v, 4, (off_t)SLUICE_REGION_OFFSET(SLUICE_PCI_CONFIG_REGION)
			    + 0x10), EACCES, "pwrite config BAR0 register");
	expect_errno(pwrite(dev, &v, 4, (off_t)SLUICE_REGION_OFFSET(SLUICE_PCI_CONFIG_REGION)
			    + 0x30), EACCES, "pwrite config expansion ROM register");
	msi = find_cap(dev, 0x05);
	if (tap_ok(msi > 0, "edu has an MSI capability (at 0x%x)", msi))
		expect_errno(pwrite(dev, &v, 4, (off_t)SLUICE_REGION_OFFSET(
					    SLUICE_PCI_CONFIG_REGION) + msi + 4), EACCES,
			     "pwrite MSI address register");
	expect_errno(pread(dev, &v, 4, (off_t)SLUICE_REGION_OFFSET(SLUICE_PCI_CONFIG_REGION)
			   + 4096), EINVAL, "pread config beyond its end");
	{
		uint16_t latency;
		off_t o = (off_t)SLUICE_REGION_OFFSET(SLUICE_PCI_CONFIG_REGION) + 0x0c;

		/* cache line size / latency timer: a harmless writable word */
		tap_ok(pread(dev, &latency, 2, o) == 2 && pwrite(dev, &latency, 2, o) == 2,
		       "pwrite config of an unprotected register");
	}

	/* BAR reads and writes */
	v = 0;
	{
		ssize_t r = pread(dev, &v, 4, (off_t)SLUICE_REGION_OFFSET(0));

		tap_ok(r == 4 && v == 0x010000ed, "pread BAR0 id register (0x%x)", v);
	}
	v = 0x12345678;
	tap_ok(pwrite(dev, &v, 4, (off_t)SLUICE_REGION_OFFSET(0) + EDU_REG_LIVE) == 4 &&
	       pread(dev, &v, 4, (off_t)SLUICE_REGION_OFFSET(0) + EDU_REG_LIVE) == 4 &&
	       v == ~0x12345678u, "pwrite/pread BAR0 liveness register (~x)");
	expect_errno(pread(dev, &v, 4, (off_t)SLUICE_REGION_OFFSET(0) + (1 << 20)), EINVAL,
		     "pread BAR0 at its end");
	expect_errno(pread(dev, &v, 4, (off_t)SLUICE_REGION_OFFSET(1)), EINVAL,
		     "pread absent BAR1");
	expect_errno(pread(dev, &v, 4, (off_t)SLUICE_REGION_OFFSET(7)), EINVAL,
		     "pread region 7");
	tap_ok(pread(dev, &v, 0, (off_t)SLUICE_REGION_OFFSET(0)) == 0, "pread of 0 bytes");

	/* mmap */
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, dev,
		 (off_t)SLUICE_REGION_OFFSET(0));
	expect_errno(p == MAP_FAILED ? -1 : 0, EINVAL, "mmap BAR0 MAP_PRIVATE");
	if (p != MAP_FAILED)
		munmap(p, 4096);
	p = mmap(NULL, 8192, PROT_READ, MAP_SHARED, dev,
		 (off_t)SLUICE_REGION_OFFSET(0) + (1 << 20) - 4096);
	expect_errno(p == MAP_FAILED ? -1 : 0, EINVAL, "mmap past the end of BAR0");
	if (p != MAP_FAILED)
		munmap(p, 8192);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, dev,
		 (off_t)SLUICE_REGION_OFFSET(SLUICE_PCI_CONFIG_REGION));
	expect_errno(p == MAP_FAILED ? -1 : 0, EINVAL, "mmap the config region");
	if (p != MAP_FAILED)
		munmap(p, 4096);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, dev, (off_t)SLUICE_REGION_OFFSET(1));
	expect_errno(p == MAP_FAILED ? -1 : 0, EINVAL, "mmap absent BAR1");
	if (p != MAP_FAILED)
		munmap(p, 4096);
}

/* e1000e: MSI-X hole, MSI-X vectors, function reset. */
static void conf_e1000e(void)
{
	struct sluice_device_info di = { .argsz = sizeof(di) };
	struct sluice_region_info ri = { .argsz = sizeof(ri) };
	struct sluice_irq_info ii = { .argsz = sizeof(ii) };
	int32_t fds[5];
	int dev, dom, cmd;
	uint32_t v;
	void *p;

	if (pci_bind(topo.e1000e, "sluice-pci")) {
		tap_ok(false, "bind e1000e %s to sluice-pci", topo.e1000e);
		return;
	}
	dev = device_open(topo.e1000e);
	dom = domain_open();
	if (!tap_ok(dev >= 0 && dom >= 0 && !set_domain(dev, dom), "e1000e: SET_DOMAIN"))
		goto out;
	ioctl(dev, SLUICE_DEVICE_GET_INFO, &di);
	tap_ok(di.vendor_id == 0x8086 && di.device_id == 0x10d3 &&
	       (di.flags & SLUICE_DEVICE_FLAGS_RESET),
	       "e1000e: GET_INFO 8086:10d3 with RESET flag (%04x:%04x flags 0x%x)",
	       di.vendor_id, di.device_id, di.flags);
	ri.index = 3;
	expect_ok(ioctl(dev, SLUICE_DEVICE_GET_REGION_INFO, &ri), "e1000e: GET_REGION_INFO BAR3");
	tap_ok((ri.flags & SLUICE_REGION_FLAG_MSIX) && ri.msix_size >= 4096 &&
	       !(ri.msix_offset & 4095),
	       "e1000e: BAR3 holds the MSI-X table: hole 0x%llx+0x%llx",
	       (unsigned long long)ri.msix_offset, (unsigned long long)ri.msix_size);
	p = mmap(NULL, ri.size, PROT_READ, MAP_SHARED, dev, (off_t)ri.offset);
	expect_errno(p == MAP_FAILED ? -1 : 0, EACCES, "e1000e: mmap over the MSI-X hole");
	if (p != MAP_FAILED)
		munmap(p, ri.size);
	expect_errno(pread(dev, &v, 4, (off_t)(ri.offset + ri.msix_offset)), EACCES,
		     "e1000e: pread inside the MSI-X hole");
	expect_errno(pwrite(dev, &v, 4, (off_t)(ri.offset + ri.msix_offset + 8)), EACCES,
		     "e1000e: pwrite of an MSI-X table entry");
	ii.index = SLUICE_PCI_MSIX_IRQ;
	ioctl(dev, SLUICE_DEVICE_GET_IRQ_INFO, &ii);
	tap_ok(ii.count == 5, "e1000e: 5 MSI-X vectors (got %u)", ii.count);
	for (int i = 0; i < 5; i++)
		fds[i] = eventfd(0, EFD_CLOEXEC);
	expect_ok(irqs_set(dev, SLUICE_IRQ_SET_EVENTFD, SLUICE_PCI_MSIX_IRQ, 0, 5, fds),
		  "e1000e: SET_IRQS 5 MSI-X vectors");
	expect_ok(irqs_set(dev, SLUICE_IRQ_SET_EVENTFD, SLUICE_PCI_MSIX_IRQ, 2, 1, fds + 4),
		  "e1000e: SET_IRQS replace the eventfd of vector 2");
	expect_errno(irqs_set(dev, SLUICE_IRQ_SET_EVENTFD, SLUICE_PCI_MSIX_IRQ, 4, 2, fds),
		     EINVAL, "e1000e: SET_IRQS vectors 4..5 of 5");
	/* Bus mastering is the owner's to turn on (off after SET_DOMAIN); what
	 * the owner set is what RESET restores. */
	{
		off_t coff = (off_t)SLUICE_REGION_OFFSET(SLUICE_PCI_CONFIG_REGION) + 4;
		uint16_t c16 = 0;

		bool off = pread(dev, &c16, 2, coff) == 2 && !(c16 & 0x4);

		c16 |= 0x4;
		tap_ok(off && pwrite(dev, &c16, 2, coff) == 2 && (pci_command(topo.e1000e) & 0x4),
		       "e1000e: bus master off after SET_DOMAIN, the owner turns it on");
	}
	expect_ok(ioctl(dev, SLUICE_DEVICE_RESET), "e1000e: RESET (function reset)");
	cmd = pci_command(topo.e1000e);
	tap_ok(cmd >= 0 && (cmd & 0x4), "e1000e: bus master restored after RESET (cmd 0x%x)",
	       cmd);
	expect_ok(irqs_set(dev, SLUICE_IRQ_SET_DISABLE, SLUICE_PCI_MSIX_IRQ, 0, 0, NULL),
		  "e1000e: SET_IRQS DISABLE MSI-X");
	for (int i = 0; i < 5; i++)
		close(fds[i]);
out:
	if (dev >= 0)
		close(dev);
	if (dom >= 0)
		close(dom);
}

int test_conformance(void)
{
	struct sluice_device_info di;
	struct sluice_device_set_domain sd;
	struct edu e;
	int dom, dev, dev2, p[2];
	char grp[16];

	dom = domain_open();
	if (!expect_ok(dom, "open " SLUICE_IOMMU_PATH))
		return 1;
	conf_domain_info(dom);
	conf_domain_map(dom);
	conf_domain_stats(dom);

	if (!tap_ok(pci_bind(topo.edu0, "sluice-pci") == 0, "bind edu %s to sluice-pci",
		    topo.edu0))
		return 1;
	dev = device_open(topo.edu0);
	if (!expect_ok(dev, "open " SLUICE_DEV_DIR "/%s", topo.edu0))
		return 1;
	dev2 = device_open(topo.edu0);
	expect_errno(dev2, EBUSY, "second open of the device node");
	if (dev2 >= 0)
		close(dev2);

	memset(&di, 0, sizeof(di));
	di.argsz = sizeof(di);
	expect_ok(ioctl(dev, SLUICE_DEVICE_GET_INFO, &di), "DEVICE_GET_INFO");
	snprintf(grp, sizeof(grp), "%d", di.iommu_group);
	tap_ok(di.vendor_id == EDU_VENDOR && di.device_id == EDU_DEVICE &&
	       di.class_code == 0x00ff00 && di.num_regions == SLUICE_PCI_NUM_REGIONS &&
	       di.num_irqs == SLUICE_PCI_NUM_IRQS && di.version == SLUICE_API_VERSION,
	       "GET_INFO: %04x:%04x class %06x regions %u irqs %u version %u",
	       di.vendor_id, di.device_id, di.class_code, di.num_regions, di.num_irqs,
	       di.version);
	tap_ok(di.iommu_group == pci_iommu_group(topo.edu0),
	       "GET_INFO iommu_group %d matches sysfs", di.iommu_group);
	tap_ok(!(di.flags & SLUICE_DEVICE_FLAGS_DOMAIN_SET) &&
	       !(di.flags & SLUICE_DEVICE_FLAGS_RESET),
	       "GET_INFO flags: no domain, no reset method (0x%x)", di.flags);
	di.flags = 1;
	expect_errno(ioctl(dev, SLUICE_DEVICE_GET_INFO, &di), EINVAL, "GET_INFO flags 1");
	di.flags = 0;
	di.reserved = 1;
	expect_errno(ioctl(dev, SLUICE_DEVICE_GET_INFO, &di), EINVAL, "GET_INFO reserved 1");
	di.reserved = 0;
	di.argsz = 4;
	expect_errno(ioctl(dev, SLUICE_DEVICE_GET_INFO, &di), EINVAL, "GET_INFO argsz 4");

	/* SET_DOMAIN errors */
	expect_errno(set_domain(dev, -1), EBADF, "SET_DOMAIN domain_fd -1");
	expect_errno(set_domain(dev, 777), EBADF, "SET_DOMAIN closed fd 777");
	if (!pipe2(p, O_CLOEXEC)) {
		expect_errno(set_domain(dev, p[0]), EINVAL, "SET_DOMAIN with a pipe fd");
		close(p[0]);
		close(p[1]);
	}
	expect_errno(set_domain(dev, dev), EINVAL, "SET_DOMAIN with the device fd itself");
	sd = (struct sluice_device_set_domain){ .argsz = sizeof(sd), .flags = 1,
		.domain_fd = dom };
	expect_errno(ioctl(dev, SLUICE_DEVICE_SET_DOMAIN, &sd), EINVAL, "SET_DOMAIN flags 1");
	sd.flags = 0;
	sd.reserved = 5;
	expect_errno(ioctl(dev, SLUICE_DEVICE_SET_DOMAIN, &sd), EINVAL,
		     "SET_DOMAIN reserved 5");
	sd.reserved = 0;
	sd.argsz = 8;
	expect_errno(ioctl(dev, SLUICE_DEVICE_SET_DOMAIN, &sd), EINVAL, "SET_DOMAIN argsz 8");
	expect_errno(ioctl(dev, SLUICE_DEVICE_UNSET_DOMAIN), EPERM,
		     "UNSET_DOMAIN without a domain");

	if (!expect_ok(set_domain(dev, dom), "SET_DOMAIN"))
		return 1;
	expect_errno(set_domain(dev, dom), EBUSY, "SET_DOMAIN twice");
	di.argsz = sizeof(di);
	ioctl(dev, SLUICE_DEVICE_GET_INFO, &di);
	tap_ok(di.flags & SLUICE_DEVICE_FLAGS_DOMAIN_SET, "GET_INFO flags DOMAIN_SET");
	{
		struct sluice_iommu_stats st;

		domain_stats(dom, &st);
		tap_ok(st.nr_devices == 1, "GET_STATS nr_devices 1 (got %u)", st.nr_devices);
	}
	{
		char path[128], buf[32];
		struct sluice_iommu_stats st;

		domain_stats(dom, &st);
		snprintf(path, sizeof(path), "/sys/class/sluice/%s/domain", topo.edu0);
		tap_ok(!sysfs_read(path, buf, sizeof(buf)) && (unsigned)atoi(buf) == st.id,
		       "sysfs domain attribute %s == domain id %u", buf, st.id);
	}

	conf_device_regions(dev, topo.edu0);
	if (tap_ok(edu_attach(&e, dev) == 0, "mmap edu BAR0, id register reads 0x010000ed")) {
		conf_device_irqs(dev, &e);
		edu_detach(&e);
	}
	expect_errno(ioctl(dev, SLUICE_DEVICE_RESET), ENOTTY, "RESET on edu (no reset method)");
	expect_errno(ioctl(dev, _IO(SLUICE_IOCTL_TYPE, SLUICE_DEVICE_BASE + 0x3f)), ENOTTY,
		     "unknown device ioctl");
	expect_errno(ioctl(dev, SLUICE_IOMMU_MAP, NULL), ENOTTY, "domain ioctl on a device fd");
	expect_ok(ioctl(dev, SLUICE_DEVICE_UNSET_DOMAIN), "UNSET_DOMAIN");
	expect_errno(ioctl(dev, SLUICE_DEVICE_UNSET_DOMAIN), EPERM, "UNSET_DOMAIN twice");
	close(dev);
	close(dom);

	conf_e1000e();
	return 0;
}

/* ---- no access before a domain ---- */

/* Every access path but GET_INFO and SET_DOMAIN must fail with EPERM. */
static void check_all_eperm(int dev, const char *when)
{
	struct sluice_region_info ri = { .argsz = sizeof(ri), .index = 0 };
	struct sluice_irq_info ii = { .argsz = sizeof(ii), .index = 0 };
	struct sluice_device_info di = { .argsz = sizeof(di) };
	uint32_t isbuf[(sizeof(struct sluice_irq_set) + 4) / 4] = { 0 };
	struct sluice_irq_set *is = (struct sluice_irq_set *)isbuf;
	const uint32_t zero = 0;
	uint32_t v = 0;
	void *p;
	int cmd;

	expect_errno(pread(dev, &v, 4, (off_t)SLUICE_REGION_OFFSET(SLUICE_PCI_CONFIG_REGION)),
		     EPERM, "%s: pread config", when);
	expect_errno(pread(dev, &v, 4, (off_t)SLUICE_REGION_OFFSET(0)), EPERM,
		     "%s: pread BAR0", when);
	/*
	 * Harmless values even if the write went through: 0 to the edu
	 * command register starts nothing, and the command register keeps
	 * what it holds.
	 */
	expect_errno(pwrite(dev, &zero, 4, (off_t)SLUICE_REGION_OFFSET(0) + EDU_REG_DMA_CMD),
		     EPERM, "%s: pwrite BAR0", when);
	cmd = pci_command(topo.edu0);
	expect_errno(pwrite(dev, &cmd, 2, (off_t)SLUICE_REGION_OFFSET(SLUICE_PCI_CONFIG_REGION)
			    + 4), EPERM, "%s: pwrite config command register", when);
	expect_errno(read(dev, &v, 4), EPERM, "%s: read at offset 0", when);
	expect_errno(write(dev, &zero, 4), EPERM, "%s: write at offset 0", when);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, dev,
		 (off_t)SLUICE_REGION_OFFSET(0));
	expect_errno(p == MAP_FAILED ? -1 : 0, EPERM, "%s: mmap BAR0", when);
	if (p != MAP_FAILED)
		munmap(p, 4096);
	expect_errno(ioctl(dev, SLUICE_DEVICE_GET_REGION_INFO, &ri), EPERM,
		     "%s: GET_REGION_INFO", when);
	expect_errno(ioctl(dev, SLUICE_DEVICE_GET_IRQ_INFO, &ii), EPERM,
		     "%s: GET_IRQ_INFO", when);
	is->argsz = sizeof(isbuf);
	is->flags = SLUICE_IRQ_SET_EVENTFD;
	is->index = SLUICE_PCI_MSI_IRQ;
	is->count = 1;
	is->data[0] = -1;
	expect_errno(ioctl(dev, SLUICE_DEVICE_SET_IRQS, is), EPERM, "%s: SET_IRQS", when);
	expect_errno(ioctl(dev, SLUICE_DEVICE_RESET), EPERM, "%s: RESET", when);
	expect_errno(ioctl(dev, SLUICE_DEVICE_UNSET_DOMAIN), EPERM, "%s: UNSET_DOMAIN", when);
	expect_ok(ioctl(dev, SLUICE_DEVICE_GET_INFO, &di), "%s: GET_INFO still allowed", when);
	tap_ok(!(di.flags & SLUICE_DEVICE_FLAGS_DOMAIN_SET), "%s: GET_INFO says no domain",
	       when);
	cmd = pci_command(topo.edu0);
	tap_ok(cmd >= 0 && !(cmd & 0x4), "%s: bus mastering off (cmd 0x%x)", when, cmd);
}

int test_noaccess(void)
{
	struct sluice_device_set_domain sd;
	volatile uint32_t *bar = NULL;
	int dom, dev, cmd;

	if (!tap_ok(pci_bind(topo.edu0, "sluice-pci") == 0, "bind edu %s", topo.edu0))
		return 1;
	dev = device_open(topo.edu0);
	dom = domain_open();
	if (!tap_ok(dev >= 0 && dom >= 0, "open device and domain"))
		return 1;
	check_all_eperm(dev, "fresh fd");

	sd = (struct sluice_device_set_domain){ .argsz = sizeof(sd), .flags = 2,
		.domain_fd = dom };
	expect_errno(ioctl(dev, SLUICE_DEVICE_SET_DOMAIN, &sd), EINVAL, "bad SET_DOMAIN");
	check_all_eperm(dev, "after a failed SET_DOMAIN");

	if (!expect_ok(set_domain(dev, dom), "SET_DOMAIN"))
		return 1;
	cmd = pci_command(topo.edu0);
	tap_ok(cmd >= 0 && (cmd & 0x6) == 0x2,
	       "with a domain: memory decode on, bus master off until the owner sets it (0x%x)",
	       cmd);
	{
		void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, dev,
			       (off_t)SLUICE_REGION_OFFSET(0));

		if (expect_ok(p == MAP_FAILED ? -1 : 0, "with a domain: mmap BAR0")) {
			bar = p;
			tap_ok(bar[0] == 0x010000ed, "with a domain: BAR0 id via mmap");
		}
	}
	expect_ok(ioctl(dev, SLUICE_DEVICE_UNSET_DOMAIN), "UNSET_DOMAIN");
	check_all_eperm(dev, "after UNSET_DOMAIN");

	/* The old BAR mapping was zapped: touching it raises SIGBUS. */
	if (bar) {
		tap_ok(read_faults(bar),
		       "after UNSET_DOMAIN a touch of the old BAR mmap raises SIGBUS");
		munmap((void *)bar, 4096);
	}

	/* Again with a domain, then close: the next owner starts from zero. */
	expect_ok(set_domain(dev, dom), "SET_DOMAIN again after UNSET");
	close(dev);
	dev = device_open(topo.edu0);
	if (expect_ok(dev, "reopen after close with a domain set"))
		check_all_eperm(dev, "reopened fd");
	close(dev);
	close(dom);
	return 0;
}
