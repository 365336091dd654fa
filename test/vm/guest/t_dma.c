/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * t_dma.c - tests that make the edu device do DMA:
 *   lifetime:  a domain outlives its fd while a device uses it; two devices
 *              share one domain; unbind while in use.
 *   isolation: DMA to or from IOVAs the domain does not map (or maps
 *              read-only, or no longer maps) is blocked, QEMU reports the
 *              fault, and memory outside the domain is unchanged.  DMA to a
 *              mapped IOVA works (positive control).
 *   death:     SIGKILL while the device does DMA: bus mastering is off, pins
 *              are released, no DMA lands afterwards, the device works again.
 *
 * The edu device runs with dma_mask covering 48 bits (QEMU command line), so
 * any guest-physical address can be used as a (blocked) IOVA.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vmtest.h"

#define XFER 2048		/* bytes per edu DMA (< EDU_DMA_MAX) */
#define DMA_TIMEOUT_MS 5000

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

static bool is_filled(const uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (uint8_t)(seed + i * 7))
			return false;
	return true;
}

static bool all_byte(const uint8_t *p, size_t n, uint8_t v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

/* Copy src IOVA -> edu buffer -> dst IOVA; 0 when both DMAs completed. */
static int edu_copy(struct edu *e, uint64_t src, uint64_t dst, uint32_t n)
{
	int ret = edu_dma(e, src, EDU_DMA_BUF, n, false, DMA_TIMEOUT_MS);

	return ret ? ret : edu_dma(e, EDU_DMA_BUF, dst, n, true, DMA_TIMEOUT_MS);
}

static int open_edu(const char *addr, int dom, struct edu *e)
{
	int dev;

	if (pci_bind(addr, "sluice-pci"))
		return -1;
	dev = device_open(addr);
	if (dev < 0)
		return -1;
	if (set_domain(dev, dom) || edu_attach(e, dev)) {
		close(dev);
		return -1;
	}
	return dev;
}

static int dmar_log_count(void)
{
	return kmsg_count("DMAR: [DMA ");
}

/* ---- lifetime ---- */

static void lifetime_unbind(void)
{
	struct sluice_iommu_stats st;
	struct edu e;
	long pins0 = pins_outstanding();
	int dom = domain_open(), dev;
	uint32_t v;
	char path[128];

	dev = open_edu(topo.edu1, dom, &e);
	if (!tap_ok(dev >= 0, "unbind: edu %s attached", topo.edu1))
		return;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind", topo.edu1);
	expect_ok(sysfs_write(path, topo.edu1), "unbind sluice-pci while the fd is open");
	expect_errno(pread(dev, &v, 4, (off_t)SLUICE_REGION_OFFSET(0)), ENODEV,
		     "unbind: pread");
	expect_errno(ioctl(dev, SLUICE_DEVICE_RESET), ENODEV, "unbind: RESET");
	tap_ok(read_faults(e.bar + EDU_REG_ID), "unbind: the BAR mmap raises SIGBUS");
	domain_stats(dom, &st);
	tap_ok(st.nr_devices == 0, "unbind: the domain lost the device (nr_devices %u)",
	       st.nr_devices);
	tap_ok(!(pci_command(topo.edu1) & 0x4), "unbind: bus mastering off");
	edu_detach(&e);
	close(dev);
	close(dom);
	tap_ok(pins_outstanding() == pins0, "unbind: nothing pinned");
	tap_ok(pci_bind(topo.edu1, "sluice-pci") == 0, "rebind %s to sluice-pci", topo.edu1);
}

int test_lifetime(void)
{
	struct sluice_iommu_stats st;
	struct edu e0, e1;
	uint8_t *buf;
	long pins0 = pins_outstanding();
	char line[512];
	unsigned int id;
	int dom, dev0, dev1;

	buf = alloc_pages(4 * 4096);
	dom = domain_open();
	if (!tap_ok(buf && dom >= 0, "open a domain"))
		return 1;
	fill(buf, 4096, 0x11);
	expect_ok(dom_map(dom, buf, 0x100000, 4 * 4096, SLUICE_MAP_READ | SLUICE_MAP_WRITE),
		  "MAP 4 pages at 0x100000");
	dev0 = open_edu(topo.edu0, dom, &e0);
	if (!tap_ok(dev0 >= 0, "edu %s: SET_DOMAIN, BAR0 mapped", topo.edu0))
		return 1;
	domain_stats(dom, &st);
	id = st.id;

	/* 1. Close the domain fd while the device uses it. */
	close(dom);
	tap_ok(debugfs_domain_line(id, line, sizeof(line)) &&
	       strstr(line, " refs 1 ") && strstr(line, " devices 1 ") &&
	       strstr(line, " mappings 1 "),
	       "domain %u survives close() of its fd: %s", id, line);
	tap_ok(pins_outstanding() == pins0 + 4, "its 4 pages stay pinned");
	expect_ok(edu_copy(&e0, 0x100000, 0x101000, XFER), "DMA through the fd-less domain");
	tap_ok(is_filled(buf + 4096, XFER, 0x11), "... and the data arrived");
	edu_detach(&e0);
	close(dev0);
	tap_ok(!debugfs_domain_line(id, line, sizeof(line)),
	       "the last user (device) gone: domain %u is freed", id);
	tap_ok(pins_outstanding() == pins0, "... and its pages unpinned (%ld)",
	       pins_outstanding());

	/* 2. Two devices (two IOMMU groups) share one domain. */
	memset(buf, 0, 4 * 4096);
	fill(buf, 4096, 0x22);
	dom = domain_open();
	dev0 = open_edu(topo.edu0, dom, &e0);
	dev1 = open_edu(topo.edu1, dom, &e1);
	if (!tap_ok(dev0 >= 0 && dev1 >= 0, "edu %s and edu %s attached to one domain",
		    topo.edu0, topo.edu1))
		return 1;
	domain_stats(dom, &st);
	tap_ok(st.nr_devices == 2, "GET_STATS nr_devices 2 (%u)", st.nr_devices);
	expect_ok(dom_map(dom, buf, 0x200000, 4 * 4096, SLUICE_MAP_READ | SLUICE_MAP_WRITE),
		  "MAP after both attached");
	expect_ok(edu_copy(&e0, 0x200000, 0x201000, XFER), "edu0 DMA in the shared domain");
	expect_ok(edu_copy(&e1, 0x201000, 0x202000, XFER), "edu1 DMA in the shared domain");
	tap_ok(is_filled(buf + 8192, XFER, 0x22), "edu1 read what edu0 wrote (one address space)");
	expect_ok(ioctl(dev0, SLUICE_DEVICE_UNSET_DOMAIN), "UNSET_DOMAIN on edu0");
	domain_stats(dom, &st);
	tap_ok(st.nr_devices == 1 && st.nr_mappings == 1, "domain keeps edu1 and the mapping");
	memset(buf + 12288, 0, 4096);
	expect_ok(edu_copy(&e1, 0x200000, 0x203000, XFER), "edu1 DMA still works");
	tap_ok(is_filled(buf + 12288, XFER, 0x22), "... data arrived");
	close(dom);
	expect_ok(set_domain(dev0, dev1) == -1 && errno == EINVAL ? 0 : -1,
		  "a device fd is not a domain fd (EINVAL)");
	edu_detach(&e0);
	edu_detach(&e1);
	close(dev0);
	close(dev1);
	tap_ok(debugfs_domains() == 0, "all domains gone");
	tap_ok(pins_outstanding() == pins0, "all pins released (%ld)", pins_outstanding());

	/* 3. The module stays loaded while a domain exists. */
	dom = domain_open();
	{
		int r = (int)syscall(SYS_delete_module, "sluice", O_NONBLOCK);

		expect_errno(r, EWOULDBLOCK, "delete_module(sluice) while a domain fd is open");
	}
	close(dom);

	lifetime_unbind();
	munmap(buf, 4 * 4096);
	return 0;
}

/* ---- isolation ---- */

/* A locked page whose physical address is not in [lo, hi). */
static uint8_t *page_outside(uint64_t lo, uint64_t hi, uint64_t *pa)
{
	for (int i = 0; i < 16; i++) {
		uint8_t *p = alloc_pages(4096);

		if (!p)
			return NULL;
		mlock(p, 4096);
		*pa = virt_to_phys(p);
		if (*pa && (*pa + 4096 <= lo || *pa >= hi))
			return p;
	}
	return NULL;
}

/*
 * The MSI window cannot be mapped once a device is attached, nor can a
 * device join a domain that maps it; after attach the aperture is the
 * IOMMU's real one (aw-bits=48 on the QEMU command line).
 */
static void reserved_and_aperture(uint8_t *page)
{
	struct sluice_iommu_info info;
	struct edu e;
	int dom = domain_open(), dev;

	dom_map(dom, page, 0xfee00000, 4096, SLUICE_MAP_READ);
	if (!tap_ok(pci_bind(topo.edu1, "sluice-pci") == 0, "bind edu %s", topo.edu1))
		return;
	dev = device_open(topo.edu1);
	expect_errno(set_domain(dev, dom), ERANGE,
		     "SET_DOMAIN of a domain that maps the MSI window 0xfee00000");
	expect_ok(dom_unmap(dom, 0xfee00000, 4096), "UNMAP it");
	if (!expect_ok(set_domain(dev, dom), "SET_DOMAIN then works") ||
	    edu_attach(&e, dev)) {
		close(dev);
		close(dom);
		return;
	}
	expect_errno(dom_map(dom, page, 0xfee00000, 4096, SLUICE_MAP_READ), ERANGE,
		     "MAP into the MSI window with a device attached");
	expect_errno(dom_map(dom, page, 0xfeeff000, 4096, SLUICE_MAP_READ), ERANGE,
		     "MAP of the window's last page");
	expect_ok(dom_map(dom, page, 0xfef00000, 4096, SLUICE_MAP_READ),
		  "MAP of the page right after the window");
	domain_info(dom, &info);
	tap_ok(info.aperture_end == (1ULL << 48) - 1,
	       "after attach the aperture is the IOMMU's 48 bits (end 0x%llx)",
	       (unsigned long long)info.aperture_end);
	expect_errno(dom_map(dom, page, 1ULL << 48, 4096, SLUICE_MAP_READ), ERANGE,
		     "MAP at IOVA 2^48");
	expect_errno(dom_map(dom, page, (1ULL << 48) - 4096, 8192, SLUICE_MAP_READ), ERANGE,
		     "MAP straddling the aperture end");
	edu_detach(&e);
	close(dev);
	close(dom);
}

int test_isolation(void)
{
	struct edu e;
	uint8_t *src, *dst, *ro, *secret, *tail;
	uint64_t pa_secret = 0;
	int dom, dev, faults0, faults;

	dom = domain_open();
	src = alloc_pages(4096);
	dst = alloc_pages(4096);
	ro = alloc_pages(4096);
	tail = alloc_pages(4096);
	if (!tap_ok(dom >= 0 && src && dst && ro && tail, "setup"))
		return 1;
	reserved_and_aperture(src);
	dev = open_edu(topo.edu0, dom, &e);
	if (!tap_ok(dev >= 0, "edu %s attached", topo.edu0))
		return 1;
	fill(src, 4096, 0x33);
	fill(ro, 4096, 0x44);
	memset(dst, 0, 4096);
	memset(tail, 0, 4096);
	expect_ok(dom_map(dom, src, 0x100000, 4096, SLUICE_MAP_READ), "MAP src read-only at 0x100000");
	expect_ok(dom_map(dom, dst, 0x101000, 4096, SLUICE_MAP_READ | SLUICE_MAP_WRITE),
		  "MAP dst read-write at 0x101000");
	expect_ok(dom_map(dom, ro, 0x102000, 4096, SLUICE_MAP_READ), "MAP ro read-only at 0x102000");
	expect_ok(dom_map(dom, tail, 0x103000, 4096, SLUICE_MAP_READ | SLUICE_MAP_WRITE),
		  "MAP tail read-write at 0x103000 (0x104000 unmapped)");

	/* Positive control. */
	faults0 = dmar_log_count();
	expect_ok(edu_copy(&e, 0x100000, 0x101000, XFER), "DMA mapped -> device -> mapped");
	tap_ok(is_filled(dst, XFER, 0x33), "positive control: the data arrived");
	tap_ok(dmar_log_count() == faults0, "positive control: no DMAR fault logged");

	/* A page of this process that the domain does not map. */
	secret = page_outside(0x100000, 0x105000, &pa_secret);
	if (!tap_ok(secret != NULL, "a locked page outside the domain, PA 0x%llx",
		    (unsigned long long)pa_secret))
		return 1;
	fill(secret, 4096, 0x5e);

	/* Write to an unmapped IOVA equal to the page's physical address. */
	expect_dmar_fault(pa_secret, XFER);
	faults0 = dmar_log_count();
	expect_ok(edu_dma(&e, EDU_DMA_BUF, pa_secret, XFER, true, DMA_TIMEOUT_MS),
		  "DMA write to unmapped IOVA 0x%llx (the page's PA) completes",
		  (unsigned long long)pa_secret);
	usleep(100000);
	tap_ok(is_filled(secret, 4096, 0x5e), "blocked: the page at that PA is unchanged");
	faults = dmar_log_count() - faults0;
	tap_ok(faults >= 1, "the guest kernel logged the DMAR write fault (%d)", faults);

	/* Read from an unmapped IOVA: the secret must not reach the device. */
	expect_dmar_fault(pa_secret, XFER);
	memset(dst, 0, 4096);
	expect_ok(edu_dma(&e, pa_secret, EDU_DMA_BUF, XFER, false, DMA_TIMEOUT_MS),
		  "DMA read from unmapped IOVA 0x%llx completes", (unsigned long long)pa_secret);
	expect_ok(edu_dma(&e, EDU_DMA_BUF, 0x101000, XFER, true, DMA_TIMEOUT_MS),
		  "copy the device buffer back to a mapped page");
	tap_ok(!is_filled(dst, XFER, 0x5e), "blocked: the device did not read the page");

	/* Write to a read-only mapping. */
	expect_dmar_fault(0x102000, XFER);
	fill(src, 4096, 0x66);
	expect_ok(edu_copy(&e, 0x100000, 0x102000, XFER) == 0 ? 0 : -1,
		  "DMA write to read-only IOVA 0x102000 completes");
	usleep(100000);
	tap_ok(is_filled(ro, 4096, 0x44), "blocked: the read-only page is unchanged");

	/* A write that runs off the end of a mapping. */
	expect_dmar_fault(0x104000, 4000 - 2048);
	expect_ok(edu_dma(&e, EDU_DMA_BUF, 0x103800, 4000, true, DMA_TIMEOUT_MS),
		  "DMA of 4000 bytes at 0x103800 (2 KiB mapped, the rest not)");
	tap_ok(is_filled(tail + 2048, 2048, 0x66) && all_byte(tail, 2048, 0),
	       "the mapped part was written, nothing before it");

	/* After UNMAP the IOVA is dead at once (IOTLB flushed). */
	expect_ok(dom_unmap(dom, 0x101000, 4096), "UNMAP dst");
	expect_dmar_fault(0x101000, XFER);
	memset(dst, 0, 4096);
	expect_ok(edu_dma(&e, EDU_DMA_BUF, 0x101000, XFER, true, DMA_TIMEOUT_MS),
		  "DMA write to the just-unmapped IOVA 0x101000 completes");
	usleep(100000);
	tap_ok(all_byte(dst, 4096, 0), "blocked: the unmapped page is unchanged");

	/* Map it again: works again. */
	expect_ok(dom_map(dom, dst, 0x101000, 4096, SLUICE_MAP_READ | SLUICE_MAP_WRITE),
		  "MAP dst again");
	expect_ok(edu_dma(&e, EDU_DMA_BUF, 0x101000, XFER, true, DMA_TIMEOUT_MS),
		  "DMA to the re-mapped IOVA");
	tap_ok(is_filled(dst, XFER, 0x66), "positive control after re-MAP: data arrived");

	/* IOVA = VA, as the PMDs map hugepages: needs the 48-bit aperture. */
	memset(dst, 0, 4096);
	if (expect_ok(dom_map(dom, dst, (uintptr_t)dst, 4096, SLUICE_MAP_READ |
			      SLUICE_MAP_WRITE), "MAP a page at IOVA = its VA (%p)", (void *)dst)) {
		expect_ok(edu_dma(&e, EDU_DMA_BUF, (uintptr_t)dst, XFER, true, DMA_TIMEOUT_MS),
			  "DMA to IOVA = VA");
		tap_ok(is_filled(dst, XFER, 0x66), "IOVA = VA: the data arrived");
	}

	/* Without a domain the device cannot even be told to DMA. */
	expect_ok(ioctl(dev, SLUICE_DEVICE_UNSET_DOMAIN), "UNSET_DOMAIN");
	tap_ok(!(pci_command(topo.edu0) & 0x4), "bus mastering off after UNSET_DOMAIN");
	edu_detach(&e);
	close(dev);
	close(dom);
	return 0;
}

/* ---- process death ---- */

/*
 * Child: owns the device and a domain, keeps the edu DMA engine busy writing
 * into `shared` (a MAP_SHARED page the parent also sees), signals once the
 * first DMA landed, and loops until killed.
 */
static void death_child(uint8_t *shared, int ready_fd, bool close_domain_fd)
{
	struct edu e;
	uint8_t *own = alloc_pages(2 * 4096);
	int dom = domain_open(), dev;

	if (!own || dom < 0)
		_exit(2);
	dev = open_edu(topo.edu0, dom, &e);
	if (dev < 0)
		_exit(3);
	fill(own, 4096, 0x77);
	if (dom_map(dom, own, 0x100000, 2 * 4096, SLUICE_MAP_READ | SLUICE_MAP_WRITE) ||
	    dom_map(dom, shared, 0x200000, 4096, SLUICE_MAP_READ | SLUICE_MAP_WRITE))
		_exit(4);
	if (close_domain_fd)
		close(dom);
	if (edu_copy(&e, 0x100000, 0x200000, XFER))
		_exit(5);
	if (write(ready_fd, "r", 1) != 1)
		_exit(6);
	for (;;) {
		/* Start a DMA and do not wait: the kill lands mid-transfer. */
		edu_write64(&e, EDU_REG_DMA_SRC, EDU_DMA_BUF);
		edu_write64(&e, EDU_REG_DMA_DST, 0x200000);
		edu_write64(&e, EDU_REG_DMA_CNT, XFER);
		edu_write64(&e, EDU_REG_DMA_CMD, EDU_DMA_RUN | EDU_DMA_TO_RAM);
		while (edu_read64(&e, EDU_REG_DMA_CMD) & EDU_DMA_RUN)
			;
	}
}

static void death_round(int round, bool close_domain_fd, int delay_ms)
{
	uint8_t *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long pins0 = pins_outstanding();
	char path[128], buf[32];
	int pfd[2], status, cmd;
	char c;
	pid_t pid;

	memset(shared, 0, 4096);
	if (pipe(pfd))
		return;
	pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		death_child(shared, pfd[1], close_domain_fd);
	}
	close(pfd[1]);
	if (!tap_ok(read(pfd[0], &c, 1) == 1, "round %d: child owns edu and is doing DMA", round)) {
		waitpid(pid, &status, 0);
		tap_diag("child exit status 0x%x", status);
		close(pfd[0]);
		return;
	}
	close(pfd[0]);
	tap_ok(is_filled(shared, XFER, 0x77), "round %d: the child's DMA reached the shared page",
	       round);
	cmd = pci_command(topo.edu0);
	tap_ok(cmd >= 0 && (cmd & 0x4), "round %d: bus mastering on while the child runs",
	       round);
	usleep(delay_ms * 1000);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	tap_ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	       "round %d: child killed by SIGKILL after %d ms%s", round, delay_ms,
	       close_domain_fd ? " (domain held by the device only)" : "");

	cmd = pci_command(topo.edu0);
	tap_ok(cmd >= 0 && !(cmd & 0x4), "round %d: bus mastering off (command 0x%x)", round, cmd);
	snprintf(path, sizeof(path), "/sys/class/sluice/%s/in_use", topo.edu0);
	tap_ok(!sysfs_read(path, buf, sizeof(buf)) && !strcmp(buf, "0"),
	       "round %d: device node closed (in_use %s)", round, buf);
	snprintf(path, sizeof(path), "/sys/class/sluice/%s/domain", topo.edu0);
	tap_ok(!sysfs_read(path, buf, sizeof(buf)) && !strcmp(buf, "none"),
	       "round %d: device has no domain (%s)", round, buf);
	tap_ok(debugfs_domains() == 0, "round %d: the child's domain is freed", round);
	tap_ok(pins_outstanding() == pins0,
	       "round %d: every pin released (%ld outstanding, baseline %ld)", round,
	       pins_outstanding(), pins0);

	/* No DMA lands after the owner died (edu DMAs fire after 100 ms). */
	memset(shared, 0, 4096);
	usleep(500000);
	tap_ok(all_byte(shared, 4096, 0), "round %d: no DMA reached memory after the death", round);
	munmap(shared, 4096);
}

static int sysfs_cap(const char *addr, uint8_t id)
{
	uint8_t cfg[256];

	return pci_config_read(addr, cfg, sizeof(cfg), 0) ? 0 : pci_cap_find(cfg, id);
}

static uint16_t sysfs_config16(const char *addr, int off)
{
	uint16_t v;

	return pci_config_read(addr, &v, 2, off) ? 0xffff : v;
}

static int msix_vectors(int dev, int n)
{
	int32_t fds[8];

	if (n > 8)
		return -1;
	for (int i = 0; i < n; i++)
		fds[i] = eventfd(0, EFD_CLOEXEC);
	return irqs_set(dev, SLUICE_IRQ_SET_EVENTFD, SLUICE_PCI_MSIX_IRQ, 0, n, fds);
}

/*
 * The e1000e owner dies with MSI-X vectors enabled, its BAR mapped and
 * memory mapped in its domain: the function is reset (FLR), MSI-X is off,
 * bus mastering is off, and the next owner gets the device and its
 * interrupts back.
 */
static void death_e1000e(void)
{
	const char *addr = topo.e1000e;
	long pins0 = pins_outstanding();
	int msix = sysfs_cap(addr, 0x11), pfd[2], status = -1, cmd;
	uint16_t ctl;
	char c;
	pid_t pid;

	if (!tap_ok(pci_bind(addr, "sluice-pci") == 0 && msix > 0,
		    "e1000e %s on sluice-pci, MSI-X capability at 0x%x", addr, msix) ||
	    pipe(pfd))
		return;
	pid = fork();
	if (pid == 0) {
		struct sluice_region_info ri = { .argsz = sizeof(ri), .index = 0 };
		uint8_t *mem = alloc_pages(16 * 4096);
		int dom = domain_open(), dev = device_open(addr);
		volatile uint32_t *bar;

		close(pfd[0]);
		if (!mem || dom < 0 || dev < 0 || set_domain(dev, dom) ||
		    dom_map(dom, mem, 0x100000, 16 * 4096, SLUICE_MAP_READ | SLUICE_MAP_WRITE) ||
		    msix_vectors(dev, 5) || ioctl(dev, SLUICE_DEVICE_GET_REGION_INFO, &ri))
			_exit(2);
		bar = mmap(NULL, ri.size, PROT_READ | PROT_WRITE, MAP_SHARED, dev,
			   (off_t)ri.offset);
		if (bar == MAP_FAILED)
			_exit(3);
		bar[0xd0 / 4] = 0x1f;	/* IMS: unmask a few interrupt causes */
		if (write(pfd[1], "r", 1) != 1)
			_exit(4);
		for (;;)
			pause();
	}
	close(pfd[1]);
	if (!tap_ok(read(pfd[0], &c, 1) == 1, "e1000e owner: domain, 16 pages, 5 MSI-X vectors, "
		    "BAR0 mapped")) {
		waitpid(pid, &status, 0);
		close(pfd[0]);
		return;
	}
	close(pfd[0]);
	ctl = sysfs_config16(addr, msix + 2);
	tap_ok(ctl & 0x8000, "e1000e: MSI-X enabled while the owner lives (control 0x%x)", ctl);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	tap_ok(WIFSIGNALED(status), "e1000e owner killed by SIGKILL");
	cmd = pci_command(addr);
	ctl = sysfs_config16(addr, msix + 2);
	tap_ok(cmd >= 0 && !(cmd & 0x4), "e1000e: bus mastering off (command 0x%x)", cmd);
	tap_ok(!(ctl & 0x8000), "e1000e: MSI-X disabled (control 0x%x)", ctl);
	tap_ok(debugfs_domains() == 0 && pins_outstanding() == pins0,
	       "e1000e: domain freed, pins released (%ld vs %ld)", pins_outstanding(), pins0);

	/* the next owner */
	{
		int dom = domain_open(), dev = device_open(addr);

		tap_ok(dom >= 0 && dev >= 0 && !set_domain(dev, dom) && !msix_vectors(dev, 5) &&
		       !ioctl(dev, SLUICE_DEVICE_RESET),
		       "e1000e: the next owner sets a domain, enables MSI-X and resets");
		if (dev >= 0)
			close(dev);
		if (dom >= 0)
			close(dom);
	}
}

int test_death(void)
{
	struct edu e;
	uint8_t *buf;
	int dom, dev;

	if (!tap_ok(pci_bind(topo.edu0, "sluice-pci") == 0, "bind edu %s", topo.edu0))
		return 1;
	death_round(1, false, 0);
	death_round(2, true, 30);
	death_round(3, false, 170);
	death_e1000e();

	/* The device works again for a new owner. */
	buf = alloc_pages(2 * 4096);
	dom = domain_open();
	fill(buf, 4096, 0x99);
	dom_map(dom, buf, 0x100000, 2 * 4096, SLUICE_MAP_READ | SLUICE_MAP_WRITE);
	dev = open_edu(topo.edu0, dom, &e);
	if (tap_ok(dev >= 0, "a new owner opens the device and sets a domain")) {
		expect_ok(edu_copy(&e, 0x100000, 0x101000, XFER), "the new owner's DMA completes");
		tap_ok(is_filled(buf + 4096, XFER, 0x99), "the device is usable again");
		edu_detach(&e);
		close(dev);
	}
	close(dom);
	munmap(buf, 2 * 4096);
	return 0;
}
