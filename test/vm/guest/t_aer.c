/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * t_aer.c - PCIe AER errors reach the owner's eventfd (SLUICE_PCI_ERR_IRQ).
 *
 * The e1000e behind the pcie-root-port (topo.aer_dev) has the AER
 * capability and a root port with AER above it, which is what the kernel's
 * aer_inject needs: writing an error to /dev/aer_inject runs the AER core's
 * recovery as if the root port had received the error message, and the
 * core calls the driver's error_detected.  (QEMU's own pcie_aer_inject_error
 * needs a monitor the test bed does not have; the kernel path from the
 * root port's AER service on is the same.)
 */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vmtest.h"

/* drivers/pci/pcie/aer_inject.c's write format (stable since 2.6.32). */
struct aer_error_inj {
	uint8_t bus, dev, fn;
	uint32_t uncor_status, cor_status;
	uint32_t header_log[4];
	uint32_t domain;
};

#define PCI_ERR_UNC_COMP_ABORT 0x00008000	/* non-fatal by default severity */

/*
 * Inject one error and wait until the AER core has finished recovering from
 * it (pcie_do_recovery() logs "device recovery successful" or "... failed").
 * The recovery runs in the AER thread, after write() returns: an error
 * injected while the last one is still being handled may be folded into it
 * and never reach the driver (seen on trixie's 6.12 under TCG), so each
 * check below would be racing the previous error's recovery.
 */
static int aer_recoveries(void)
{
	return kmsg_count("device recovery");
}

static int aer_inject(const char *addr)
{
	unsigned int dom, bus, dev, fn;
	struct aer_error_inj e = { .uncor_status = PCI_ERR_UNC_COMP_ABORT };
	int fd, ret, before = aer_recoveries();

	if (sscanf(addr, "%x:%x:%x.%x", &dom, &bus, &dev, &fn) != 4)
		return -EINVAL;
	e.domain = dom;
	e.bus = (uint8_t)bus;
	e.dev = (uint8_t)dev;
	e.fn = (uint8_t)fn;
	fd = open("/dev/aer_inject", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = write(fd, &e, sizeof(e)) == (ssize_t)sizeof(e) ? 0 : -errno;
	close(fd);
	if (ret)
		return ret;
	for (int ms = 0; aer_recoveries() <= before; ms += 20) {
		if (ms >= 10000)
			return -ETIMEDOUT;
		usleep(20000);
	}
	return 0;
}

static uint64_t efd_wait(int efd, int ms)
{
	struct pollfd p = { .fd = efd, .events = POLLIN };
	uint64_t v = 0;

	if (poll(&p, 1, ms) == 1 && read(efd, &v, sizeof(v)) == sizeof(v))
		return v;
	return 0;
}

int test_aer(void)
{
	struct sluice_irq_info ii = { .argsz = sizeof(ii), .index = SLUICE_PCI_ERR_IRQ };
	int dom = -1, dev = -1, edu = -1, efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	int efd2 = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), p[2], msix[2] = { -1, -1 };
	int32_t none = -1, two[2];
	int r;
	uint64_t n;
	char drv[64];
	int complaints0 = kernel_complaints();

	if (system("modprobe aer_inject") != 0 || access("/dev/aer_inject", F_OK)) {
		tap_skip("this kernel has no aer_inject module (CONFIG_PCIEAER_INJECT)");
		return 0;
	}
	if (pci_bind(topo.aer_dev, "sluice-pci") || pci_bind(topo.edu0, "sluice-pci")) {
		tap_ok(false, "bind %s and %s to sluice-pci", topo.aer_dev, topo.edu0);
		return 1;
	}
	pci_driver(topo.aer_port, drv, sizeof(drv));
	tap_diag("root port %s bound to '%s'", topo.aer_port, drv);
	dom = domain_open();
	dev = device_open(topo.aer_dev);
	edu = device_open(topo.edu0);
	if (!tap_ok(dom >= 0 && dev >= 0 && edu >= 0 && !set_domain(dev, dom) &&
		    !set_domain(edu, dom) && !pipe(p), "setup: e1000e behind a root port and edu0 "
		    "attached"))
		return 1;

	/* ---- the uAPI ---- */
	r = ioctl(dev, SLUICE_DEVICE_GET_IRQ_INFO, &ii);
	tap_ok(!r && ii.count == 1, "GET_IRQ_INFO ERR on a PCIe device: 1 (%u)", ii.count);
	ii.count = 7;
	r = ioctl(edu, SLUICE_DEVICE_GET_IRQ_INFO, &ii);
	tap_ok(!r && ii.count == 0, "GET_IRQ_INFO ERR on conventional PCI (edu): 0 (%u)",
	       ii.count);
	expect_errno(irqs_set(edu, SLUICE_IRQ_SET_EVENTFD, SLUICE_PCI_ERR_IRQ, 0, 1, &efd),
		     EINVAL, "SET_IRQS ERR on a device without it");
	expect_errno(irqs_set(dev, SLUICE_IRQ_SET_MASK, SLUICE_PCI_ERR_IRQ, 0, 0, NULL), EINVAL,
		     "SET_IRQS ERR MASK");
	two[0] = efd;
	two[1] = efd2;
	expect_errno(irqs_set(dev, SLUICE_IRQ_SET_EVENTFD, SLUICE_PCI_ERR_IRQ, 0, 2, two), EINVAL,
		     "SET_IRQS ERR with 2 eventfds");
	expect_errno(irqs_set(dev, SLUICE_IRQ_SET_EVENTFD, SLUICE_PCI_ERR_IRQ, 1, 1, &efd),
		     EINVAL, "SET_IRQS ERR start 1");
	expect_errno(irqs_set(dev, SLUICE_IRQ_SET_EVENTFD, SLUICE_PCI_ERR_IRQ, 0, 1, &p[0]),
		     EINVAL, "SET_IRQS ERR with a pipe");
	{
		int32_t bad = -2;

		expect_errno(irqs_set(dev, SLUICE_IRQ_SET_EVENTFD, SLUICE_PCI_ERR_IRQ, 0, 1, &bad),
			     EINVAL, "SET_IRQS ERR with fd -2");
	}
	/* alongside MSI-X */
	msix[0] = eventfd(0, EFD_CLOEXEC);
	expect_ok(irqs_set(dev, SLUICE_IRQ_SET_EVENTFD, SLUICE_PCI_MSIX_IRQ, 0, 1, msix),
		  "MSI-X vector 0 enabled");
	expect_ok(irqs_set(dev, SLUICE_IRQ_SET_EVENTFD, SLUICE_PCI_ERR_IRQ, 0, 1, &efd2),
		  "SET_IRQS ERR eventfd while MSI-X is on");
	expect_ok(irqs_set(dev, SLUICE_IRQ_SET_EVENTFD, SLUICE_PCI_ERR_IRQ, 0, 1, &efd),
		  "SET_IRQS ERR replaces the eventfd");

	/* ---- an error ---- */
	expect_ok(aer_inject(topo.aer_dev), "inject a non-fatal uncorrectable error (Completer "
		  "Abort) at %s", topo.aer_dev);
	n = efd_wait(efd, 5000);
	tap_ok(n >= 1, "the owner's eventfd is signalled (%llu)", (unsigned long long)n);
	tap_ok(efd_wait(efd2, 0) == 0, "the replaced eventfd is not");
	tap_ok(!ioctl(dev, SLUICE_DEVICE_GET_IRQ_INFO, &ii), "the device still answers after "
	       "the recovery");

	/* -1 removes it; then an error is only logged */
	expect_ok(irqs_set(dev, SLUICE_IRQ_SET_EVENTFD, SLUICE_PCI_ERR_IRQ, 0, 1, &none),
		  "SET_IRQS ERR -1 removes the eventfd");
	expect_ok(aer_inject(topo.aer_dev), "inject again with no eventfd registered");
	tap_ok(efd_wait(efd, 1000) == 0, "the removed eventfd is not signalled");
	tap_ok(kmsg_count("no owner eventfd registered") >= 1, "the kernel log says nobody "
	       "was told");

	/* DISABLE, and close: the owner is gone, the module is not told twice */
	expect_ok(irqs_set(dev, SLUICE_IRQ_SET_EVENTFD, SLUICE_PCI_ERR_IRQ, 0, 1, &efd2),
		  "SET_IRQS ERR again");
	expect_ok(irqs_set(dev, SLUICE_IRQ_SET_DISABLE, SLUICE_PCI_ERR_IRQ, 0, 0, NULL),
		  "SET_IRQS ERR DISABLE");
	expect_ok(aer_inject(topo.aer_dev), "inject after DISABLE");
	tap_ok(efd_wait(efd2, 1000) == 0, "after DISABLE: not signalled");
	expect_ok(irqs_set(dev, SLUICE_IRQ_SET_EVENTFD, SLUICE_PCI_ERR_IRQ, 0, 1, &efd2),
		  "SET_IRQS ERR before close");
	close(dev);
	dev = -1;
	expect_ok(aer_inject(topo.aer_dev), "inject after the owner closed the device");
	tap_ok(efd_wait(efd2, 1000) == 0, "after close: the old owner's eventfd is not "
	       "signalled");

	close(edu);
	close(dom);
	close(efd);
	close(efd2);
	close(msix[0]);
	close(p[0]);
	close(p[1]);
	tap_ok(kernel_complaints() == complaints0,
	       "kernel log: no new WARN/BUG/oops after the errors (%d -> %d)", complaints0,
	       kernel_complaints());
	return 0;
}
