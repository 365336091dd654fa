/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * t_mapping.c - MAP/UNMAP semantics: pins are taken and released (the
 * domain's counters, the kernel's FOLL_PIN counters in /proc/vmstat), the
 * pins show as VmPin (not VmLck: they are not mlock), RLIMIT_MEMLOCK binds a user without
 * CAP_IPC_LOCK, max_mappings caps a domain, and nothing stays pinned or
 * charged after an error or a close.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmtest.h"

#define NPAGES 64

static bool stats_are(int dom, uint32_t maps, uint64_t pages, const char *when)
{
	struct sluice_iommu_stats st;

	if (domain_stats(dom, &st))
		return tap_ok(false, "%s: GET_STATS failed", when);
	return tap_ok(st.nr_mappings == maps && st.pinned_pages == pages &&
		      st.mapped_bytes == pages * 4096 && st.locked_pages == pages,
		      "%s: stats %u mappings, %llu pinned, %llu bytes, %llu locked (want %u/%llu)",
		      when, st.nr_mappings, (unsigned long long)st.pinned_pages,
		      (unsigned long long)st.mapped_bytes,
		      (unsigned long long)st.locked_pages, maps, (unsigned long long)pages);
}

/* Child: no CAP_IPC_LOCK (uid nobody), RLIMIT_MEMLOCK of 16 pages. */
static int memlock_child(int dom)
{
	struct rlimit rl = { 16 * 4096, 16 * 4096 };
	uint8_t *buf = alloc_pages(32 * 4096);
	long lck0;
	int bad = 0;

	if (!buf || setrlimit(RLIMIT_MEMLOCK, &rl) || setgid(65534) || setuid(65534))
		return 10;
	lck0 = vmpin_kb();
	if (dom_map(dom, buf, 0x400000, 16 * 4096, SLUICE_MAP_READ))
		bad |= 1;		/* exactly the limit: allowed */
	if (vmpin_kb() != lck0 + 64)
		bad |= 2;
	if (dom_map(dom, buf + 16 * 4096, 0x500000, 4096, SLUICE_MAP_READ) != -1 ||
	    errno != ENOMEM)
		bad |= 4;		/* one page over: ENOMEM */
	if (vmpin_kb() != lck0 + 64)
		bad |= 8;		/* ... and nothing charged */
	if (dom_unmap(dom, 0x400000, 16 * 4096))
		bad |= 16;
	if (vmpin_kb() != lck0)
		bad |= 32;
	if (dom_map(dom, buf + 16 * 4096, 0x500000, 4096, SLUICE_MAP_READ))
		bad |= 64;		/* room again after UNMAP */
	dom_unmap(dom, 0x500000, 4096);
	return bad;
}

static void test_memlock_limit(void)
{
	int dom = domain_open();
	pid_t pid;
	int status = -1;

	if (!expect_ok(dom, "open a domain for the RLIMIT_MEMLOCK child"))
		return;
	pid = fork();
	if (pid == 0)
		_exit(memlock_child(dom));
	waitpid(pid, &status, 0);
	tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "uid nobody, RLIMIT_MEMLOCK 16 pages: 16 map, the 17th is ENOMEM and uncharged, "
	       "UNMAP uncharges (child status 0x%x)", status);
	stats_are(dom, 0, 0, "after the RLIMIT child");

	/* root (CAP_IPC_LOCK) may exceed the limit but is still charged */
	{
		struct rlimit old, rl = { 4096, 4096 };
		uint8_t *buf = alloc_pages(8 * 4096);
		long lck0 = vmpin_kb();

		getrlimit(RLIMIT_MEMLOCK, &old);
		setrlimit(RLIMIT_MEMLOCK, &rl);
		expect_ok(dom_map(dom, buf, 0x600000, 8 * 4096, SLUICE_MAP_WRITE),
			  "CAP_IPC_LOCK: MAP 8 pages over a 1-page RLIMIT_MEMLOCK");
		tap_ok(vmpin_kb() == lck0 + 32, "CAP_IPC_LOCK: still charged, VmPin +32 kB (%ld -> %ld)",
		       lck0, vmpin_kb());
		dom_unmap(dom, 0x600000, 8 * 4096);
		tap_ok(vmpin_kb() == lck0, "CAP_IPC_LOCK: UNMAP uncharges (VmPin %ld)", vmpin_kb());
		setrlimit(RLIMIT_MEMLOCK, &old);
		munmap(buf, 8 * 4096);
	}
	close(dom);
}

static void test_max_mappings(void)
{
	const char *param = "/sys/module/sluice/parameters/max_mappings";
	struct sluice_iommu_info info;
	char old[32];
	uint8_t *buf = alloc_pages(8 * 4096);
	int dom, i;

	if (sysfs_read(param, old, sizeof(old)) || sysfs_write(param, "4")) {
		tap_ok(false, "set max_mappings to 4");
		return;
	}
	dom = domain_open();
	sysfs_write(param, old);
	if (!expect_ok(dom, "open a domain with max_mappings 4"))
		return;
	domain_info(dom, &info);
	tap_ok(info.max_mappings == 4, "GET_INFO max_mappings 4 (%u)", info.max_mappings);
	for (i = 0; i < 4; i++)
		if (dom_map(dom, buf + i * 4096, 0x100000 + i * 0x10000, 4096, SLUICE_MAP_READ))
			break;
	tap_ok(i == 4, "4 mappings fit");
	expect_errno(dom_map(dom, buf + 4 * 4096, 0x200000, 4096, SLUICE_MAP_READ), ENOSPC,
		     "a 5th mapping");
	stats_are(dom, 4, 4, "after ENOSPC");
	expect_ok(dom_unmap(dom, 0x100000, 0x10000), "UNMAP one");
	expect_ok(dom_map(dom, buf + 4 * 4096, 0x200000, 4096, SLUICE_MAP_READ),
		  "then a new one fits");
	close(dom);
	munmap(buf, 8 * 4096);
}

int test_mapping(void)
{
	uint8_t *buf, *huge;
	long pins0, lck0, vmlck0 = vmlck_kb();
	int dom;

	dom = domain_open();
	buf = alloc_pages(NPAGES * 4096);
	if (!tap_ok(dom >= 0 && buf, "open a domain, allocate %d pages", NPAGES))
		return 1;
	pins0 = pins_outstanding();
	lck0 = vmpin_kb();
	tap_ok(pins0 >= 0 && lck0 >= 0, "baseline: %ld pins outstanding, VmPin %ld kB",
	       pins0, lck0);

	expect_ok(dom_map(dom, buf, 0x1000000, NPAGES * 4096, SLUICE_MAP_READ | SLUICE_MAP_WRITE),
		  "MAP %d pages", NPAGES);
	stats_are(dom, 1, NPAGES, "after MAP");
	tap_ok(pins_outstanding() == pins0 + NPAGES, "kernel pins +%d (%ld -> %ld)", NPAGES,
	       pins0, pins_outstanding());
	tap_ok(vmpin_kb() == lck0 + NPAGES * 4, "VmPin +%d kB (%ld -> %ld)", NPAGES * 4, lck0,
	       vmpin_kb());
	tap_ok(vmlck_kb() == vmlck0, "VmLck unchanged (%ld kB): pins are not mlock()",
	       vmlck_kb());
	{
		char line[512];
		struct sluice_iommu_stats st;

		domain_stats(dom, &st);
		debugfs_domain_line(st.id, line, sizeof(line));
		tap_ok(strstr(line, " mappings 1 ") && strstr(line, " pinned_pages 64 "),
		       "debugfs agrees: %s", line);
	}

	/* The pin holds the pages even when the process unmaps them. */
	munmap(buf, NPAGES * 4096);
	tap_ok(pins_outstanding() == pins0 + NPAGES, "munmap of the user range keeps the pins");
	expect_ok(dom_unmap(dom, 0x1000000, NPAGES * 4096), "UNMAP");
	stats_are(dom, 0, 0, "after UNMAP");
	tap_ok(pins_outstanding() == pins0, "kernel pins back to baseline (%ld)",
	       pins_outstanding());
	tap_ok(vmpin_kb() == lck0, "VmPin back to baseline (%ld kB)", vmpin_kb());

	/* Failed MAPs leave nothing pinned or charged: a range whose tail is not mapped. */
	buf = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS |
		   MAP_POPULATE, -1, 0);
	munmap(buf + 6 * 4096, 2 * 4096);
	expect_errno(dom_map(dom, buf, 0x2000000, 8 * 4096, SLUICE_MAP_READ), EFAULT,
		     "MAP of 8 pages whose last 2 are unmapped");
	stats_are(dom, 0, 0, "after the EFAULT");
	tap_ok(pins_outstanding() == pins0 && vmpin_kb() == lck0,
	       "after the EFAULT: no pin, no charge (%ld pins, %ld kB)", pins_outstanding(),
	       vmpin_kb());
	mprotect(buf, 6 * 4096, PROT_NONE);
	expect_errno(dom_map(dom, buf, 0x2000000, 4096, SLUICE_MAP_READ), EFAULT,
		     "MAP of a PROT_NONE page");
	tap_ok(pins_outstanding() == pins0, "no pin left by the PROT_NONE attempt");
	munmap(buf, 6 * 4096);

	/* A read-only file page cannot be pinned writable. */
	{
		FILE *f = fopen("/opt/run-test.args", "r");
		void *ro = f ? mmap(NULL, 4096, PROT_READ, MAP_SHARED, fileno(f), 0) : MAP_FAILED;

		if (ro != MAP_FAILED) {
			expect_errno(dom_map(dom, ro, 0x2000000, 4096, SLUICE_MAP_READ), EFAULT,
				     "MAP of a read-only shared file page");
			munmap(ro, 4096);
		}
		if (f)
			fclose(f);
	}

	/* A hugepage is pinned as its 512 small pages. */
	huge = alloc_hugepage();
	if (huge) {
		memset(huge, 0x5a, 2u << 20);
		expect_ok(dom_map(dom, huge, 0x40000000, 2u << 20, SLUICE_MAP_READ |
				  SLUICE_MAP_WRITE), "MAP a 2 MiB hugepage");
		stats_are(dom, 1, 512, "hugepage");
		tap_ok(vmpin_kb() == lck0 + 2048, "hugepage: VmPin +2048 kB (%ld)", vmpin_kb());
		expect_ok(dom_unmap(dom, 0x40000000, 2u << 20), "UNMAP the hugepage");
		tap_ok(pins_outstanding() == pins0, "hugepage: pins released");
		munmap(huge, 2u << 20);
	} else {
		tap_skip("no 2 MiB hugepage available");
	}

	/* Closing a domain with mappings releases everything. */
	buf = alloc_pages(NPAGES * 4096);
	for (int i = 0; i < 8; i++)
		dom_map(dom, buf + i * 8 * 4096, 0x3000000 + i * 0x100000, 8 * 4096,
			SLUICE_MAP_READ);
	stats_are(dom, 8, 64, "8 mappings before close");
	tap_ok(pins_outstanding() == pins0 + 64, "8 mappings pin 64 pages");
	close(dom);
	tap_ok(pins_outstanding() == pins0, "close() of the domain fd releases every pin (%ld)",
	       pins_outstanding());
	tap_ok(vmpin_kb() == lck0, "close() uncharges VmPin (%ld kB)", vmpin_kb());
	tap_ok(debugfs_domains() == 0, "debugfs lists no domain after close");
	munmap(buf, NPAGES * 4096);

	/* A child that maps through an inherited domain fd and exits. */
	dom = domain_open();
	{
		pid_t pid = fork();
		int status = -1;

		if (pid == 0) {
			uint8_t *b = alloc_pages(4 * 4096);

			_exit(b && !dom_map(dom, b, 0x100000, 4 * 4096, SLUICE_MAP_READ) ? 0 : 1);
		}
		waitpid(pid, &status, 0);
		tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		       "a forked child maps 4 pages through the inherited fd and exits");
		stats_are(dom, 1, 4, "the child's mapping outlives the child");
		expect_ok(dom_unmap(dom, 0x100000, 4 * 4096),
			  "the parent unmaps the dead child's mapping");
		tap_ok(pins_outstanding() == pins0, "the child's pins are released");
	}
	close(dom);

	test_memlock_limit();
	test_max_mappings();
	tap_ok(pins_outstanding() == pins0, "mapping: no pin leaked overall (%ld)",
	       pins_outstanding());
	return 0;
}
