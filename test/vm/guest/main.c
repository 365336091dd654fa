/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-vmtest - in-guest tests of the sluice kernel module.
 *
 * Usage: sluice-vmtest TEST...   (or "all")
 * Each test prints TAP-like lines; the exit status is 1 if any check failed.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vmtest.h"

static const struct {
	const char *name;
	int (*fn)(void);
	const char *what;
} tests[] = {
	{ "conformance", test_conformance, "every ioctl and its documented errors" },
	{ "noaccess", test_noaccess, "EPERM on every access path before SET_DOMAIN" },
	{ "mapping", test_mapping, "MAP/UNMAP semantics, pins, memlock accounting" },
	{ "lifetime", test_lifetime, "domain outlives its fd; two devices, one domain" },
	{ "isolation", test_isolation, "edu DMA outside the domain is blocked" },
	{ "death", test_death, "SIGKILL during DMA: bus master off, pins released" },
	{ "group", test_group, "IOMMU group viability and DMA ownership" },
	{ "perms", test_perms, "nodes handed to an unprivileged user; virtio-net BARs" },
	{ "hostile", test_hostile, "random/boundary ioctl input, wrong fds, races" },
	{ "cfgpolicy", test_cfgpolicy, "config-space write allow-list, decode-off BAR access" },
	{ "release", test_release, "INTx masked after release; failed release reset redone" },
	{ "resetmap", test_resetmap, "DEVICE_RESET while a BAR is read through its mmap" },
	{ "width", test_width, "IOVAs beyond the IOMMU's width: ERANGE, no driver log" },
	{ "msiiso", test_msiiso, "no interrupt remapping: SET_DOMAIN refused" },
	{ "fmode", test_fmode, "read-only fds cannot pin/attach/reset; SET_IRQS argsz" },
	{ "busmaster", test_busmaster, "bus mastering off after SET_DOMAIN until the owner sets it" },
	{ "memchain", test_memchain, "RLIMIT_MEMLOCK holds across a fork/exit chain (user charge)" },
	{ "pinlock", test_pinlock, "MAP pins without the domain lock; overlapping MAPs: one wins" },
	{ "faultsweep", test_faultsweep, "fail_nth over MAP, SET_DOMAIN, SET_IRQS, close" },
	{ "aer", test_aer, "PCIe AER errors reach the owner's eventfd (SLUICE_PCI_ERR_IRQ)" },
};

static void usage(void)
{
	fprintf(stderr, "usage: sluice-vmtest TEST... | all\n");
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		fprintf(stderr, "  %-12s %s\n", tests[i].name, tests[i].what);
}

int main(int argc, char **argv)
{
	int failed = 0;

	if (argc < 2) {
		usage();
		return 2;
	}
	if (geteuid() != 0) {
		fprintf(stderr, "sluice-vmtest: must run as root in the test guest\n");
		return 2;
	}
	for (int a = 1; a < argc; a++) {
		bool all = !strcmp(argv[a], "all"), found = all;

		for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
			if (!all && strcmp(argv[a], tests[i].name))
				continue;
			found = true;
			tap_begin(tests[i].name);
			tests[i].fn();
			failed |= tap_end();
		}
		if (!found) {
			fprintf(stderr, "sluice-vmtest: unknown test '%s'\n", argv[a]);
			usage();
			return 2;
		}
	}
	return failed;
}
