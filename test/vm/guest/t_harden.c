/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * t_harden.c - what a device owner can do after SET_DOMAIN (issue 9):
 *   cfgpolicy: the config-space allow-list: decode bits, INTx-disable,
 *              PMCSR power state, PCIe Device Control, read-only header,
 *              unknown and extended capabilities; BAR access with decode
 *              off fails instead of reading zeros.
 *   release:   INTx stays masked after the owner goes with an interrupt
 *              pending; a failed release-time reset is done before the next
 *              owner gets the device.
 *   resetmap:  DEVICE_RESET while another process reads a BAR through its
 *              mmap: no read sees the function mid-reset.
 *   width:     SET_DOMAIN on a domain that maps IOVAs beyond the IOMMU's
 *              width fails with ERANGE before intel-iommu logs anything.
 *   msiiso:    without interrupt remapping (guest booted with intremap=off)
 *              SET_DOMAIN is refused unless allow_unsafe_interrupts=1.
 *   fmode:     a read-only open cannot SET_DOMAIN, reset or MAP;
 *              SET_IRQS follows the argsz rules of the other ioctls.
 *   busmaster: SET_DOMAIN leaves bus mastering off; the owner turns it on
 *              with a config write; release turns it off.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vmtest.h"

#define CFG_OFF		((off_t)SLUICE_REGION_OFFSET(SLUICE_PCI_CONFIG_REGION))

#define PCI_CMD_IO		0x0001
#define PCI_CMD_MEMORY		0x0002
#define PCI_CMD_MASTER		0x0004
#define PCI_CMD_INTX_DISABLE	0x0400
#define PCI_CAP_PM		0x01
#define PCI_CAP_EXP		0x10
#define PCI_CAP_MSIX		0x11
#define PM_CTRL			4	/* PMCSR, in the PM capability */
#define EXP_DEVCTL		8	/* Device Control, in the PCIe capability */
#define DEVCTL_CERE		0x0001	/* Correctable Error Reporting Enable */
#define DEVCTL_PAYLOAD		0x00e0
#define DEVCTL_PHANTOM		0x0200
#define DEVCTL_READRQ		0x7000
#define DEVCTL_FLR		0x8000

#define E1000_STATUS		0x00008	/* Device Status - RO */
/* NVMe 1.4, 3.1.5: Controller Configuration; IOSQES 6, IOCQES 4, EN 0. */
#define NVME_REG_CC		0x14
#define NVME_CC_MARK		0x00460000

static uint16_t cfg16(int dev, unsigned int off)
{
	uint16_t v = 0xffff;

	if (pread(dev, &v, 2, CFG_OFF + off) != 2)
		return 0xffff;
	return v;
}

static ssize_t cfgw16(int dev, unsigned int off, uint16_t v)
{
	return pwrite(dev, &v, 2, CFG_OFF + off);
}

/* The kernel's view of a config word, from sysfs. */
static int sys16(const char *addr, unsigned int off)
{
	uint16_t v;

	return pci_config_read(addr, &v, 2, off) ? -1 : v;
}

/* Root writing config space behind the module's back (sysfs). */
static int sysw16(const char *addr, unsigned int off, uint16_t v)
{
	char path[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", addr);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = pwrite(fd, &v, 2, off);
	close(fd);
	return n == 2 ? 0 : -EIO;
}

static int sys_cap(const char *addr, uint8_t id)
{
	uint8_t cfg[256];

	if (pci_config_read(addr, cfg, sizeof(cfg), 0))
		return 0;
	return pci_cap_find(cfg, id);
}

static bool wait_efd(int efd, int ms)
{
	struct pollfd p = { .fd = efd, .events = POLLIN };
	uint64_t v;

	if (poll(&p, 1, ms) != 1)
		return false;
	return read(efd, &v, 8) == 8 && v > 0;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* Bound to sluice-pci, opened and in a fresh domain; -1 on failure. */
static int open_attached(const char *addr, int *dom)
{
	int dev;

	*dom = -1;
	if (pci_bind(addr, "sluice-pci"))
		return -1;
	dev = device_open(addr);
	if (dev < 0)
		return -1;
	*dom = domain_open();
	if (*dom < 0 || set_domain(dev, *dom)) {
		close(dev);
		if (*dom >= 0)
			close(*dom);
		*dom = -1;
		return -1;
	}
	return dev;
}

static void *map_bar(int dev, unsigned int index, size_t *len)
{
	struct sluice_region_info ri = { .argsz = sizeof(ri), .index = index };
	void *p;

	if (ioctl(dev, SLUICE_DEVICE_GET_REGION_INFO, &ri) || !(ri.flags & SLUICE_REGION_FLAG_MMAP))
		return NULL;
	p = mmap(NULL, ri.size, PROT_READ | PROT_WRITE, MAP_SHARED, dev, (off_t)ri.offset);
	if (p == MAP_FAILED)
		return NULL;
	*len = ri.size;
	return p;
}

/* ---- cfgpolicy ---- */

/* COMMAND, header, decode-off BAR access, INTx-disable on the edu. */
static void cfg_edu(void)
{
	struct edu e;
	int dom, dev, efd, storms0;
	uint16_t cmd, sys;
	uint32_t v;

	dev = open_attached(topo.edu0, &dom);
	if (!tap_ok(dev >= 0, "edu %s: SET_DOMAIN", topo.edu0))
		return;
	if (!tap_ok(edu_attach(&e, dev) == 0, "edu: BAR0 mapped"))
		goto out;

	cmd = cfg16(dev, 0x04);
	tap_ok((cmd & PCI_CMD_MEMORY) && (cmd & PCI_CMD_MASTER),
	       "COMMAND has memory decode and bus master (0x%04x)", cmd);
	expect_errno(cfgw16(dev, 0x04, cmd & ~PCI_CMD_MEMORY), EACCES,
		     "pwrite COMMAND clearing memory decode");
	tap_ok(sys16(topo.edu0, 0x04) & PCI_CMD_MEMORY, "memory decode still on (kernel's view)");
	if (pread(dev, &v, 4, (off_t)SLUICE_REGION_OFFSET(0)) != 4)
		v = 0xdead;
	tap_ok(v == 0x010000ed, "pread BAR0 id register still 0x010000ed (0x%x)", v);
	tap_ok(edu_read32(&e, EDU_REG_ID) == 0x010000ed, "mmap read of the id register");
	if (!(cmd & PCI_CMD_IO))
		expect_errno(cfgw16(dev, 0x04, cmd | PCI_CMD_IO), EACCES,
			     "pwrite COMMAND turning on I/O decode (no I/O BAR)");
	tap_ok(cfgw16(dev, 0x04, cmd & ~PCI_CMD_MASTER) == 2 &&
	       !(sys16(topo.edu0, 0x04) & PCI_CMD_MASTER),
	       "pwrite COMMAND clearing bus master: allowed, done");
	tap_ok(cfgw16(dev, 0x04, cmd) == 2 && (sys16(topo.edu0, 0x04) & PCI_CMD_MASTER),
	       "pwrite COMMAND setting bus master again: allowed, done");

	/* read-only header registers, whatever the value */
	v = 0x11e81234;
	expect_errno(pwrite(dev, &v, 4, CFG_OFF + 0x00), EACCES, "pwrite vendor/device ID");
	expect_errno(pwrite(dev, &v, 1, CFG_OFF + 0x3c), EACCES, "pwrite interrupt line");
	expect_errno(pwrite(dev, &v, 4, CFG_OFF + 0x0c), EACCES,
		     "pwrite dword 0x0c (covers the read-only header type)");
	expect_errno(pwrite(dev, &v, 1, CFG_OFF + 0xf0), EACCES,
		     "pwrite a byte outside every capability (0xf0)");
	tap_ok(cfgw16(dev, 0x0c, cfg16(dev, 0x0c)) == 2,
	       "pwrite cache line size + latency timer (writable)");

	/* INTx-disable is the module's: an owner clearing it is ignored. */
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	storms0 = kmsg_count("nobody cared");
	if (expect_ok(irqs_set(dev, SLUICE_IRQ_SET_EVENTFD, SLUICE_PCI_INTX_IRQ, 0, 1, &efd),
		      "SET_IRQS INTx -> eventfd")) {
		edu_write32(&e, EDU_REG_IRQ_RAISE, 0x1);
		tap_ok(wait_efd(efd, 2000), "edu INTx fired (and the module masked it)");
		cmd = cfg16(dev, 0x04);
		tap_ok(cmd & PCI_CMD_INTX_DISABLE, "INTx-disable set while the line is asserted");
		tap_ok(cfgw16(dev, 0x04, cmd & ~PCI_CMD_INTX_DISABLE) == 2,
		       "pwrite COMMAND clearing INTx-disable: accepted, virtualised");
		sleep_ms(300);
		sys = sys16(topo.edu0, 0x04);
		tap_ok(sys & PCI_CMD_INTX_DISABLE, "INTx-disable still set (0x%04x)", sys);
		tap_ok(kmsg_count("nobody cared") == storms0, "no interrupt storm ('nobody cared')");
		edu_write32(&e, EDU_REG_IRQ_ACK, 0x1);
		expect_ok(irqs_set(dev, SLUICE_IRQ_SET_UNMASK, SLUICE_PCI_INTX_IRQ, 0, 0, NULL),
			  "SET_IRQS UNMASK after the ack");
		irqs_set(dev, SLUICE_IRQ_SET_DISABLE, SLUICE_PCI_INTX_IRQ, 0, 0, NULL);
	}
	close(efd);

	/* Root turns decode off behind the module: accesses fail, never read 0. */
	cmd = sys16(topo.edu0, 0x04);
	if (tap_ok(sysw16(topo.edu0, 0x04, cmd & ~PCI_CMD_MEMORY) == 0,
		   "root clears memory decode through sysfs")) {
		size_t len;
		void *p = map_bar(dev, 0, &len);

		v = 0;
		expect_errno(pread(dev, &v, 4, (off_t)SLUICE_REGION_OFFSET(0)), EIO,
			     "pread BAR0 with decode off");
		expect_errno(pwrite(dev, &v, 4, (off_t)SLUICE_REGION_OFFSET(0) + EDU_REG_LIVE),
			     EIO, "pwrite BAR0 with decode off");
		tap_ok(p && read_faults(p), "a new BAR0 mapping raises SIGBUS with decode off");
		if (p)
			munmap(p, len);
		sysw16(topo.edu0, 0x04, cmd);
		if (pread(dev, &v, 4, (off_t)SLUICE_REGION_OFFSET(0)) != 4)
			v = 0xdead;
		tap_ok(v == 0x010000ed, "decode back on: pread BAR0 works (0x%x)", v);
	}
	edu_detach(&e);
out:
	close(dev);
	close(dom);
}

/* PM and PCIe capabilities, MSI-X, extended space on the e1000e. */
static void cfg_e1000e(void)
{
	const char *a = topo.e1000e;
	int dom, dev, pm, exp, msix;
	uint16_t pmcsr, devctl, cmd0, bar0;
	uint32_t v;

	dev = open_attached(a, &dom);
	if (!tap_ok(dev >= 0, "e1000e %s: SET_DOMAIN", a))
		return;
	pm = sys_cap(a, PCI_CAP_PM);
	exp = sys_cap(a, PCI_CAP_EXP);
	msix = sys_cap(a, PCI_CAP_MSIX);
	tap_ok(pm && exp && msix, "e1000e has PM (0x%x), PCIe (0x%x), MSI-X (0x%x)", pm, exp,
	       msix);

	if (pm) {
		pmcsr = cfg16(dev, pm + PM_CTRL);
		expect_errno(cfgw16(dev, pm + PM_CTRL, (pmcsr & ~3) | 3), EACCES,
			     "pwrite PMCSR power state D3hot");
		tap_ok((sys16(a, pm + PM_CTRL) & 3) == 0, "still in D0 (PMCSR 0x%04x)",
		       sys16(a, pm + PM_CTRL));
		tap_ok(cfgw16(dev, pm + PM_CTRL, pmcsr & ~0x8000) == 2,
		       "pwrite PMCSR keeping the power state: allowed");
	}
	if (exp) {
		cmd0 = sys16(a, 0x04);
		bar0 = sys16(a, 0x10);
		devctl = cfg16(dev, exp + EXP_DEVCTL);
		expect_errno(cfgw16(dev, exp + EXP_DEVCTL, devctl | DEVCTL_FLR), EACCES,
			     "pwrite Device Control with Function Level Reset");
		tap_ok(sys16(a, 0x04) == cmd0 && sys16(a, 0x10) == bar0,
		       "COMMAND and BAR0 unchanged (0x%04x, 0x%04x)", sys16(a, 0x04),
		       sys16(a, 0x10));
		expect_errno(cfgw16(dev, exp + EXP_DEVCTL, devctl ^ 0x0020), EACCES,
			     "pwrite Device Control changing Max Payload Size");
		expect_errno(cfgw16(dev, exp + EXP_DEVCTL, devctl ^ 0x1000), EACCES,
			     "pwrite Device Control changing Max Read Request Size");
		expect_errno(cfgw16(dev, exp + EXP_DEVCTL, devctl ^ DEVCTL_PHANTOM), EACCES,
			     "pwrite Device Control changing Phantom Functions");
		/* QEMU's e1000e may not implement the bit: allowed is what counts. */
		tap_ok(cfgw16(dev, exp + EXP_DEVCTL, devctl ^ DEVCTL_CERE) == 2 &&
		       cfgw16(dev, exp + EXP_DEVCTL, devctl) == 2,
		       "pwrite Device Control toggling Correctable Error Reporting: allowed");
		tap_ok(sys16(a, exp + EXP_DEVCTL) == devctl, "Device Control back to 0x%04x",
		       devctl);
	}
	if (msix)
		expect_errno(cfgw16(dev, msix + 2, cfg16(dev, msix + 2) | 0x4000), EACCES,
			     "pwrite MSI-X Message Control (function mask)");
	v = 0;
	tap_ok(pread(dev, &v, 4, CFG_OFF + 0x100) == 4, "pread extended config 0x100 (0x%08x)",
	       v);
	expect_errno(pwrite(dev, &v, 4, CFG_OFF + 0x100), EACCES,
		     "pwrite extended config 0x100 (even its own value)");
	expect_errno(pwrite(dev, &v, 2, CFG_OFF + 0x104), EACCES, "pwrite extended config 0x104");
	close(dev);
	close(dom);
}

/* The FLR an owner asked for through Device Control, on an FLR-capable function. */
static void cfg_nvme_flr(void)
{
	const char *a = topo.nvme;
	int dom, dev, exp;
	int cmd0, bar0, cmd1, bar1;
	uint16_t devctl;

	dev = open_attached(a, &dom);
	if (!tap_ok(dev >= 0, "nvme %s: SET_DOMAIN", a))
		return;
	exp = sys_cap(a, PCI_CAP_EXP);
	if (tap_ok(exp > 0, "nvme has a PCIe capability (0x%x)", exp)) {
		cmd0 = sys16(a, 0x04);
		bar0 = sys16(a, 0x10);
		devctl = cfg16(dev, exp + EXP_DEVCTL);
		expect_errno(cfgw16(dev, exp + EXP_DEVCTL, devctl | DEVCTL_FLR), EACCES,
			     "nvme: pwrite Device Control with Function Level Reset");
		sleep_ms(200);
		cmd1 = sys16(a, 0x04);
		bar1 = sys16(a, 0x10);
		tap_ok(cmd1 == cmd0 && bar1 == bar0,
		       "nvme: COMMAND 0x%04x and BAR0 0x%04x unchanged (were 0x%04x, 0x%04x)",
		       cmd1, bar1, cmd0, bar0);
		expect_ok(ioctl(dev, SLUICE_DEVICE_RESET), "nvme: DEVICE_RESET is the way to reset");
	}
	close(dev);
	close(dom);
}

int test_cfgpolicy(void)
{
	cfg_edu();
	cfg_e1000e();
	cfg_nvme_flr();
	return tap_failures();
}

/* ---- release ---- */

static void release_intx(void)
{
	struct edu e;
	int dom, dev, efd, storms0, cmd;

	dev = open_attached(topo.edu0, &dom);
	if (!tap_ok(dev >= 0 && edu_attach(&e, dev) == 0, "edu %s attached", topo.edu0))
		goto out;
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	storms0 = kmsg_count("nobody cared");
	if (expect_ok(irqs_set(dev, SLUICE_IRQ_SET_EVENTFD, SLUICE_PCI_INTX_IRQ, 0, 1, &efd),
		      "SET_IRQS INTx")) {
		edu_write32(&e, EDU_REG_IRQ_RAISE, 0x1);
		tap_ok(wait_efd(efd, 2000), "edu INTx fired; left pending (no ack)");
	}
	edu_detach(&e);
	close(dev);
	close(dom);
	close(efd);
	sleep_ms(300);
	cmd = pci_command(topo.edu0);
	tap_ok(cmd >= 0 && (cmd & PCI_CMD_INTX_DISABLE),
	       "after close with INTx pending: INTx-disable set (COMMAND 0x%04x)", cmd);
	tap_ok(kmsg_count("nobody cared") == storms0, "no interrupt storm after close");

	/* Clean up: the next owner acks the edu's interrupt. */
	dev = open_attached(topo.edu0, &dom);
	if (dev >= 0 && edu_attach(&e, dev) == 0) {
		edu_write32(&e, EDU_REG_IRQ_ACK, 0x1);
		edu_detach(&e);
	}
out:
	if (dev >= 0)
		close(dev);
	if (dom >= 0)
		close(dom);
}

static int bar0_reg(int dev, unsigned int reg, uint32_t *v)
{
	return pread(dev, v, 4, (off_t)SLUICE_REGION_OFFSET(0) + reg) == 4 ? 0 : -1;
}

/*
 * Write CC = mark.  SeaBIOS leaves the controller enabled; a write with EN 0
 * to an enabled controller resets it (and CC) instead of storing the value,
 * so disable it first.
 */
static int nvme_mark_cc(int dev, uint32_t mark)
{
	uint32_t zero = 0;
	off_t cc = (off_t)SLUICE_REGION_OFFSET(0) + NVME_REG_CC;

	if (pwrite(dev, &zero, 4, cc) != 4)
		return -1;
	sleep_ms(50);
	return pwrite(dev, &mark, 4, cc) == 4 ? 0 : -1;
}

static void release_needs_reset(void)
{
	const char *inj = "/sys/kernel/debug/sluice/fail_release_reset";
	uint32_t mark = NVME_CC_MARK, v = 0;
	int dom, dev, fails0;

	/*
	 * Control: a release whose reset works clears the controller
	 * configuration (QEMU's NVMe implements FLR; its e1000e does not
	 * reset anything on a function reset).
	 */
	dev = open_attached(topo.nvme, &dom);
	if (!tap_ok(dev >= 0, "nvme %s attached", topo.nvme))
		return;
	if (nvme_mark_cc(dev, mark) || bar0_reg(dev, NVME_REG_CC, &v))
		v = ~0u;
	tap_ok(v == mark, "CC written: 0x%08x", v);
	close(dev);
	close(dom);
	dev = open_attached(topo.nvme, &dom);
	if (dev < 0 || bar0_reg(dev, NVME_REG_CC, &v))
		v = ~0u;
	tap_ok(v == 0, "control: the release-time reset cleared CC (0x%08x)", v);

	/* The release-time reset fails: the next owner must still get a reset device. */
	v = ~0u;
	if (dev < 0 || nvme_mark_cc(dev, mark) || bar0_reg(dev, NVME_REG_CC, &v) || v != mark)
		tap_ok(false, "CC written again (0x%08x)", v);
	fails0 = kmsg_count("reset on release failed");
	if (!tap_ok(sysfs_write(inj, "1") == 0, "fault injection: fail the next release reset")) {
		close(dev);
		close(dom);
		return;
	}
	close(dev);
	close(dom);
	tap_ok(kmsg_count("reset on release failed") == fails0 + 1,
	       "the release-time reset failed (logged)");
	dev = open_attached(topo.nvme, &dom);
	if (dev < 0 || bar0_reg(dev, NVME_REG_CC, &v))
		v = ~0u;
	tap_ok(v == 0, "the next owner gets a reset device: CC 0x%08x (the last owner wrote 0x%08x)",
	       v, mark);
	if (dev >= 0)
		close(dev);
	if (dom >= 0)
		close(dom);
	sysfs_write(inj, "0");
}

int test_release(void)
{
	release_intx();
	release_needs_reset();
	return tap_failures();
}

/* ---- resetmap ---- */

struct reader_state {
	volatile int stop;
	volatile long reads;
	volatile long bad;
	volatile uint32_t bad_value;
};

static void resetmap_reader(volatile uint32_t *status, struct reader_state *st)
{
	long reads = 0, bad = 0;

	while (!st->stop) {
		uint32_t v = *status;

		reads++;
		if (v == 0 || v == 0xffffffff) {
			bad++;
			st->bad_value = v;
		}
		if (!(reads & 1023)) {
			st->reads = reads;
			st->bad = bad;
		}
	}
	st->reads = reads;
	st->bad = bad;
	_exit(0);
}

int test_resetmap(void)
{
	struct reader_state *st;
	size_t len = 0;
	uint8_t *bar;
	int dom, dev, ok = 0, status;
	uint32_t s0;
	pid_t pid;

	dev = open_attached(topo.e1000e, &dom);
	if (!tap_ok(dev >= 0, "e1000e %s attached", topo.e1000e))
		return tap_failures();
	bar = map_bar(dev, 0, &len);
	if (!tap_ok(bar != NULL, "e1000e BAR0 mapped (%zu bytes)", len))
		goto out;
	s0 = *(volatile uint32_t *)(bar + E1000_STATUS);
	tap_ok(s0 != 0 && s0 != 0xffffffff, "STATUS reads 0x%08x before any reset", s0);
	st = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (st == MAP_FAILED)
		goto out_bar;
	memset(st, 0, sizeof(*st));
	pid = fork();
	if (pid == 0)
		resetmap_reader((volatile uint32_t *)(bar + E1000_STATUS), st);
	if (!tap_ok(pid > 0, "fork the reader")) {
		munmap(st, 4096);
		goto out_bar;
	}
	sleep_ms(100);
	for (int i = 0; i < 10; i++)
		ok += ioctl(dev, SLUICE_DEVICE_RESET) == 0;
	sleep_ms(100);
	st->stop = 1;
	waitpid(pid, &status, 0);
	tap_ok(ok == 10, "10 DEVICE_RESETs succeeded (%d)", ok);
	tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "the reader was not killed (status 0x%x)", status);
	tap_diag("reader: %ld reads of STATUS through the mmap during the resets", st->reads);
	tap_ok(st->reads > 1000, "the reader ran (%ld reads)", st->reads);
	tap_ok(st->bad == 0, "no read saw the function mid-reset (%ld read 0 or ~0, last 0x%08x)",
	       st->bad, st->bad_value);
	munmap(st, 4096);
out_bar:
	munmap(bar, len);
out:
	close(dev);
	close(dom);
	return tap_failures();
}

/* ---- width ---- */

int test_width(void)
{
	const uint64_t high = 1ull << 50;
	const char *msg = "is not sufficient";
	struct sluice_iommu_info info;
	uint8_t *page = alloc_pages(4096);
	int dom, dev, n0, refused = 0;

	if (pci_bind(topo.edu1, "sluice-pci") || !page) {
		tap_ok(false, "bind %s, allocate a page", topo.edu1);
		return tap_failures();
	}
	dom = domain_open();
	dev = device_open(topo.edu1);
	if (!tap_ok(dom >= 0 && dev >= 0, "open a domain and %s", topo.edu1))
		goto out;
	domain_info(dom, &info);
	tap_diag("aperture before the first attach: [0x%llx, 0x%llx]",
		 (unsigned long long)info.aperture_start, (unsigned long long)info.aperture_end);
	if (dom_map(dom, page, high, 4096, SLUICE_MAP_READ | SLUICE_MAP_WRITE)) {
		/* Newer kernels size the domain for the IOMMU at allocation. */
		expect_errno(-1, ERANGE, "MAP at IOVA 2^50 (aperture already the IOMMU's)");
		goto out;
	}
	tap_ok(true, "MAP at IOVA 2^50 on a domain no device uses yet");
	n0 = kmsg_count(msg);
	for (int i = 0; i < 5; i++)
		refused += set_domain(dev, dom) == -1 && errno == ERANGE;
	tap_ok(refused == 5, "SET_DOMAIN x5 on a 48-bit IOMMU -> ERANGE (%d of 5)", refused);
	tap_ok(kmsg_count(msg) == n0, "intel-iommu logged no 'iommu width ... %s' (%d new)", msg,
	       kmsg_count(msg) - n0);
	tap_ok(kmsg_count("translates only up to") > 0, "sluice named the limit in the log");
	/*
	 * VT-d remembers the highest IOVA a domain ever mapped, so an UNMAP
	 * does not make the domain fit: still refused, still by sluice.
	 */
	expect_ok(dom_unmap(dom, high, 4096), "UNMAP the high IOVA");
	expect_errno(set_domain(dev, dom), ERANGE, "SET_DOMAIN after the UNMAP");
	tap_ok(kmsg_count(msg) == n0, "still no intel-iommu message");
	close(dom);
	dom = domain_open();
	expect_ok(set_domain(dev, dom), "SET_DOMAIN with a fresh domain (control)");
out:
	if (dev >= 0)
		close(dev);
	if (dom >= 0)
		close(dom);
	munmap(page, 4096);
	return tap_failures();
}

/* ---- msiiso ---- */

int test_msiiso(void)
{
	const char *param = "/sys/module/sluice/parameters/allow_unsafe_interrupts";
	char cmdline[1024] = "", val[8] = "";
	bool no_ir;
	int dom, dev, warn0;

	sysfs_read("/proc/cmdline", cmdline, sizeof(cmdline));
	no_ir = strstr(cmdline, "intremap=off") != NULL;
	tap_ok(sysfs_read(param, val, sizeof(val)) == 0 && val[0] == 'N',
	       "parameter allow_unsafe_interrupts exists, default off (%s)", val);
	if (pci_bind(topo.edu0, "sluice-pci")) {
		tap_ok(false, "bind %s", topo.edu0);
		return tap_failures();
	}
	dom = domain_open();
	dev = device_open(topo.edu0);
	if (!tap_ok(dom >= 0 && dev >= 0, "open a domain and %s", topo.edu0))
		goto out;
	if (!no_ir) {
		tap_diag("interrupt remapping on (no intremap=off on the command line)");
		expect_ok(set_domain(dev, dom), "SET_DOMAIN with interrupt remapping");
		goto out;
	}
	tap_diag("guest booted with intremap=off: MSIs cannot be isolated");
	expect_errno(set_domain(dev, dom), EPERM, "SET_DOMAIN without interrupt remapping");
	tap_ok(kmsg_count("cannot isolate MSIs") > 0, "the refusal says why and names the parameter");
	warn0 = kmsg_count("allowed by allow_unsafe_interrupts");
	if (tap_ok(sysfs_write(param, "1") == 0, "set allow_unsafe_interrupts=1")) {
		expect_ok(set_domain(dev, dom), "SET_DOMAIN with allow_unsafe_interrupts=1");
		tap_ok(kmsg_count("allowed by allow_unsafe_interrupts") > warn0,
		       "a warning is logged");
		sysfs_write(param, "0");
	}
out:
	if (dev >= 0)
		close(dev);
	if (dom >= 0)
		close(dom);
	return tap_failures();
}

/* ---- fmode, SET_IRQS argsz ---- */

static void irqs_argsz(void)
{
	/* A header followed by two eventfd slots; only the first is counted. */
	uint32_t buf[(sizeof(struct sluice_irq_set) + 2 * sizeof(int32_t)) / 4];
	struct sluice_irq_set *s = (struct sluice_irq_set *)buf;
	int dom, dev, efd = eventfd(0, EFD_CLOEXEC);

	dev = open_attached(topo.edu0, &dom);
	if (!tap_ok(dev >= 0, "edu %s attached", topo.edu0))
		goto out;
	memset(buf, 0, sizeof(buf));
	s->flags = SLUICE_IRQ_SET_EVENTFD;
	s->index = SLUICE_PCI_MSI_IRQ;
	s->count = 1;
	s->data[0] = efd;
	s->data[1] = 0x55;
	s->argsz = sizeof(buf);
	expect_errno(ioctl(dev, SLUICE_DEVICE_SET_IRQS, s), E2BIG,
		     "SET_IRQS argsz past the array, non-zero tail");
	s->argsz = 1u << 20;
	expect_errno(ioctl(dev, SLUICE_DEVICE_SET_IRQS, s), E2BIG, "SET_IRQS argsz 1 MiB");
	s->argsz = sizeof(*s) + sizeof(int32_t) - 1;
	expect_errno(ioctl(dev, SLUICE_DEVICE_SET_IRQS, s), EINVAL,
		     "SET_IRQS argsz one byte short of the array");
	s->data[1] = 0;
	s->argsz = sizeof(buf);
	expect_ok(ioctl(dev, SLUICE_DEVICE_SET_IRQS, s),
		  "SET_IRQS argsz past the array, zero tail: accepted");
	irqs_set(dev, SLUICE_IRQ_SET_DISABLE, SLUICE_PCI_MSI_IRQ, 0, 0, NULL);
out:
	if (dev >= 0)
		close(dev);
	if (dom >= 0)
		close(dom);
	close(efd);
}

int test_fmode(void)
{
	struct sluice_device_info di = { .argsz = sizeof(di) };
	char path[128];
	uint8_t *page = alloc_pages(4096);
	int rdom, dom, dev;

	if (pci_bind(topo.edu0, "sluice-pci")) {
		tap_ok(false, "bind %s", topo.edu0);
		return tap_failures();
	}
	rdom = open(SLUICE_IOMMU_PATH, O_RDONLY | O_CLOEXEC);
	dom = domain_open();
	snprintf(path, sizeof(path), SLUICE_DEV_DIR "/%s", topo.edu0);
	dev = open(path, O_RDONLY | O_CLOEXEC);
	if (tap_ok(rdom >= 0 && dom >= 0 && dev >= 0 && page, "read-only opens of %s and a domain",
		   topo.edu0)) {
		expect_ok(ioctl(dev, SLUICE_DEVICE_GET_INFO, &di), "read-only device: GET_INFO");
		expect_errno(set_domain(dev, dom), EBADF, "read-only device: SET_DOMAIN");
		expect_errno(ioctl(dev, SLUICE_DEVICE_RESET), EBADF, "read-only device: RESET");
		expect_errno(dom_map(rdom, page, 0x100000, 4096, SLUICE_MAP_READ), EBADF,
			     "read-only domain: MAP");
		expect_errno(dom_unmap(rdom, 0x100000, 4096), EBADF, "read-only domain: UNMAP");
		struct sluice_iommu_stats st;

		tap_ok(domain_stats(rdom, &st) == 0 && st.nr_mappings == 0 && st.pinned_pages == 0,
		       "read-only domain: GET_STATS works, nothing mapped or pinned");
	}
	if (dev >= 0)
		close(dev);
	if (dom >= 0)
		close(dom);
	if (rdom >= 0)
		close(rdom);
	munmap(page, 4096);
	irqs_argsz();
	return tap_failures();
}

/* ---- busmaster ---- */

/*
 * Bus mastering is the owner's to turn on (VFIO's policy).  A device whose
 * previous owner died with its rings running and that has no function reset
 * (the 82540EM) would otherwise DMA to the dead owner's IOVAs the moment the
 * next SET_DOMAIN enabled it, before the new owner's driver reset it.
 * Checked on the edu: COMMAND.MASTER is 0 after SET_DOMAIN even when it was
 * left on, a DMA then does not reach memory, the owner's config write turns
 * it on, and release turns it off again.
 */
int test_busmaster(void)
{
	const char *addr = topo.edu0;
	uint8_t *page = alloc_pages(2 * 4096);
	int dom = -1, dev, c;
	uint16_t cmd;
	struct edu e;

	if (!tap_ok(page && pci_bind(addr, "sluice-pci") == 0, "edu %s on sluice-pci", addr))
		return tap_failures();
	/* Left on behind the module's back (firmware, an earlier driver). */
	c = sys16(addr, 0x04);
	tap_ok(c >= 0 && sysw16(addr, 0x04, (uint16_t)(c | PCI_CMD_MASTER)) == 0 &&
	       (sys16(addr, 0x04) & PCI_CMD_MASTER),
	       "root sets COMMAND.MASTER through sysfs before any owner");
	dev = open_attached(addr, &dom);
	if (!tap_ok(dev >= 0, "SET_DOMAIN"))
		goto out_page;
	cmd = cfg16(dev, 0x04);
	tap_ok(cmd != 0xffff && !(cmd & PCI_CMD_MASTER) && (cmd & PCI_CMD_MEMORY),
	       "after SET_DOMAIN COMMAND.MASTER reads 0, memory decode on (0x%04x)", cmd);
	c = sys16(addr, 0x04);
	tap_ok(c >= 0 && !(c & PCI_CMD_MASTER), "kernel's view: bus master off (0x%04x)", c);

	memset(page, 0xa5, 4096);
	memset(page + 4096, 0, 4096);
	if (!tap_ok(dom_map(dom, page, 0x100000, 2 * 4096, SLUICE_MAP_READ | SLUICE_MAP_WRITE) == 0,
		    "two pages mapped at IOVA 0x100000"))
		goto out_dev;
	/* edu_attach turns bus mastering on with a pwrite of COMMAND */
	if (!tap_ok(edu_attach(&e, dev) == 0, "owner maps BAR0 and sets COMMAND.MASTER"))
		goto out_dev;
	cmd = cfg16(dev, 0x04);
	c = sys16(addr, 0x04);
	tap_ok((cmd & PCI_CMD_MASTER) && c >= 0 && (c & PCI_CMD_MASTER),
	       "COMMAND.MASTER set by the owner (node 0x%04x, kernel 0x%04x)", cmd, c);
	expect_ok(edu_dma(&e, 0x100000, EDU_DMA_BUF, 2048, false, 5000),
		  "bus master on: DMA from RAM into the edu buffer");
	tap_ok(edu_master(&e, false) == 0 && !(sys16(addr, 0x04) & PCI_CMD_MASTER),
	       "owner clears COMMAND.MASTER");
	(void)edu_dma(&e, EDU_DMA_BUF, 0x101000, 2048, true, 5000);
	tap_ok(page[4096] == 0 && page[4096 + 2047] == 0,
	       "bus master off: a DMA to RAM does not reach memory (0x%02x)", page[4096]);
	c = edu_master(&e, true) == 0 && edu_dma(&e, EDU_DMA_BUF, 0x101000, 2048, true, 5000) == 0;
	tap_ok(c && page[4096] == 0xa5 && page[4096 + 2047] == 0xa5,
	       "bus master on again: the same DMA lands (0x%02x)", page[4096]);
	edu_detach(&e);
out_dev:
	close(dev);
	c = sys16(addr, 0x04);
	tap_ok(c >= 0 && !(c & PCI_CMD_MASTER), "after close: bus master off (0x%04x)", c);
	if (dom >= 0)
		close(dom);
	/* The next owner starts with it off too. */
	dev = open_attached(addr, &dom);
	if (tap_ok(dev >= 0, "the next owner: SET_DOMAIN")) {
		cmd = cfg16(dev, 0x04);
		tap_ok(cmd != 0xffff && !(cmd & PCI_CMD_MASTER),
		       "the next owner: COMMAND.MASTER reads 0 (0x%04x)", cmd);
		close(dev);
		close(dom);
	}
out_page:
	munmap(page, 2 * 4096);
	return tap_failures();
}
