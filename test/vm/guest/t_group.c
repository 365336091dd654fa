/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * t_group.c - IOMMU group viability.  Conventional PCI devices behind a
 * PCIe-to-PCI bridge share one IOMMU group with it (they can reach each
 * other's DMA), so SET_DOMAIN on one must fail while another member is
 * driven by a kernel driver or by nobody, and work once every member is
 * bound to sluice-pci; members must share one domain; and while sluice owns
 * the group, the kernel refuses to bind a DMA-API driver to the rest of it.
 *
 * Needs the e1000 kernel module loaded (module-tests.sh does it) and the
 * topology of module-tests.sh: bridge 00:08.0, edu 01:01.0, e1000 01:02.0.
 */
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vmtest.h"

#define BRIDGE "0000:00:08.0"

static bool kmsg_grew(const char *needle, int before)
{
	return kmsg_count(needle) > before;
}

int test_group(void)
{
	struct sluice_iommu_stats st;
	struct edu e;
	char drv[64], msg[160];
	uint8_t *buf;
	int g, dom, dom2, dev, dev2, n0;

	g = pci_iommu_group(topo.br_edu);
	tap_ok(g >= 0 && g == pci_iommu_group(topo.br_e1000) && g == pci_iommu_group(BRIDGE),
	       "bridge %s, edu %s and e1000 %s share IOMMU group %d", BRIDGE, topo.br_edu,
	       topo.br_e1000, g);
	tap_ok(g != pci_iommu_group(topo.edu0), "edu %s is in another group", topo.edu0);

	if (!tap_ok(pci_bind(topo.br_e1000, "e1000") == 0, "e1000 %s bound to the e1000 driver",
		    topo.br_e1000))
		return 1;
	if (!tap_ok(pci_bind(topo.br_edu, "sluice-pci") == 0, "edu %s bound to sluice-pci",
		    topo.br_edu))
		return 1;
	tap_ok(pci_bind(BRIDGE, "sluice-pci") != 0, "sluice-pci refuses the bridge itself");
	pci_bind(BRIDGE, NULL);

	dom = domain_open();
	dom2 = domain_open();
	dev = device_open(topo.br_edu);
	if (!tap_ok(dom >= 0 && dom2 >= 0 && dev >= 0, "open domains and the edu node"))
		return 1;

	/* 1. another member driven by a kernel driver */
	snprintf(msg, sizeof(msg), "IOMMU group member %s is bound to e1000", topo.br_e1000);
	n0 = kmsg_count(msg);
	expect_errno(set_domain(dev, dom), EBUSY, "SET_DOMAIN while %s is on e1000",
		     topo.br_e1000);
	tap_ok(kmsg_grew(msg, n0), "the kernel log names the offender: \"%s\"", msg);
	tap_ok(!(pci_command(topo.br_edu) & 0x4), "no bus mastering after the refusal");

	/* 2. another member bound to nothing */
	pci_bind(topo.br_e1000, NULL);
	pci_driver(topo.br_e1000, drv, sizeof(drv));
	tap_ok(drv[0] == 0, "e1000 %s unbound", topo.br_e1000);
	snprintf(msg, sizeof(msg), "IOMMU group member %s is not bound to any driver",
		 topo.br_e1000);
	n0 = kmsg_count(msg);
	expect_errno(set_domain(dev, dom), EBUSY, "SET_DOMAIN while %s has no driver",
		     topo.br_e1000);
	tap_ok(kmsg_grew(msg, n0), "the kernel log names the unbound member");

	/* 3. every member on sluice-pci: viable */
	if (!tap_ok(pci_bind(topo.br_e1000, "sluice-pci") == 0, "e1000 %s bound to sluice-pci",
		    topo.br_e1000))
		return 1;
	if (!expect_ok(set_domain(dev, dom), "SET_DOMAIN with the whole group on sluice-pci"))
		return 1;
	buf = alloc_pages(2 * 4096);
	memset(buf, 0xc3, 2048);
	dom_map(dom, buf, 0x100000, 2 * 4096, SLUICE_MAP_READ | SLUICE_MAP_WRITE);
	if (tap_ok(edu_attach(&e, dev) == 0, "edu behind the bridge: BAR0 mapped")) {
		expect_ok(edu_dma(&e, 0x100000, EDU_DMA_BUF, 2048, false, 5000) ||
			  edu_dma(&e, EDU_DMA_BUF, 0x101000, 2048, true, 5000) ? -1 : 0,
			  "DMA through the bridge (requester id aliased to the bridge)");
		tap_ok(buf[4096] == 0xc3 && buf[4096 + 2047] == 0xc3, "... the data arrived");
		edu_detach(&e);
	}

	/* 4. group members share one domain */
	dev2 = device_open(topo.br_e1000);
	if (tap_ok(dev2 >= 0, "open the e1000 node")) {
		expect_errno(set_domain(dev2, dom2), EBUSY,
			     "SET_DOMAIN of the second member to another domain");
		expect_ok(set_domain(dev2, dom), "SET_DOMAIN of the second member to the same domain");
		domain_stats(dom, &st);
		tap_ok(st.nr_devices == 2, "domain has both members (nr_devices %u)", st.nr_devices);
		close(dev2);
		domain_stats(dom, &st);
		tap_ok(st.nr_devices == 1, "closing one member leaves the other attached");
	}

	/* 5. the kernel keeps DMA-API drivers off a group sluice owns */
	pci_bind(topo.br_e1000, NULL);
	tap_ok(pci_bind(topo.br_e1000, "e1000") != 0,
	       "e1000 driver cannot bind to %s while sluice owns the group", topo.br_e1000);
	pci_driver(topo.br_e1000, drv, sizeof(drv));
	tap_ok(drv[0] == 0, "... it stays unbound (driver '%s')", drv);
	close(dev);
	tap_ok(pci_bind(topo.br_e1000, "e1000") == 0,
	       "after the owner closed its fd, e1000 binds again");
	close(dom);
	close(dom2);
	munmap(buf, 2 * 4096);
	tap_ok(debugfs_domains() == 0, "no domain left");
	return 0;
}
