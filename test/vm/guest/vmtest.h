/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vmtest.h - helpers shared by the in-guest tests of the sluice module.
 *
 * The tests run as root inside the VM test bed's guest (test/vm/run-vm.sh)
 * with sluice.ko loaded.  Each test prints TAP-like lines
 * ("ok N - test: what" / "not ok N - test: what (got ...)"), which the
 * runner counts.  The guest topology they rely on is fixed by
 * test/vm/guest/module-tests.sh.
 */
#ifndef SLUICE_VMTEST_H
#define SLUICE_VMTEST_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sluice.h"

/* ---- TAP ---- */

void tap_begin(const char *test);
/* Prints one result line; returns cond. */
bool tap_ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tap_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int tap_end(void);		/* 0 if nothing failed, 1 otherwise */
int tap_failures(void);

/* ret must be -1 with errno == err.  Returns true on match. */
bool expect_errno(long ret, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* ret must be >= 0. */
bool expect_ok(long ret, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- sysfs, procfs ---- */

int sysfs_write(const char *path, const char *val);
int sysfs_read(const char *path, char *buf, size_t len);	/* trims \n */
/* Driver bound to a PCI device ("" when none). */
void pci_driver(const char *addr, char *drv, size_t len);
/* Bind addr to drv (sluice-pci, e1000, ...) via driver_override; NULL unbinds. */
int pci_bind(const char *addr, const char *drv);
/* PCI command register read from sysfs config (the kernel's view). */
int pci_command(const char *addr);
int pci_iommu_group(const char *addr);
/* len bytes of config space at off, from sysfs.  0 or -errno. */
int pci_config_read(const char *addr, void *buf, size_t len, off_t off);
/* Offset of capability id in a 256-byte config header, or 0. */
int pci_cap_find(const uint8_t cfg[256], uint8_t id);
/* Outstanding FOLL_PIN pins in the whole system (/proc/vmstat). */
long pins_outstanding(void);
/* VmLck of this process in kB. */
long vmlck_kb(void);
/* VmPin of this process in kB (pages the module pinned for it). */
long vmpin_kb(void);
/* /sys/kernel/debug/sluice/pinned_pages: every pin the module holds, or -1. */
long debugfs_pinned_pages(void);
/* debugfs fail_nth: arm (the Nth fault point fails, 0 disarms), read back. */
int fail_nth_arm(int n);
int fail_nth_left(void);
/* WARNING/BUG/Oops/Call Trace/... lines in the kernel log. */
int kernel_complaints(void);
/* Physical address of a (locked, touched) user page, or 0. */
uint64_t virt_to_phys(const void *va);
/* Number of "domain" lines in /sys/kernel/debug/sluice/domains. */
int debugfs_domains(void);
/* The debugfs line of domain id (0 if absent). */
int debugfs_domain_line(unsigned int id, char *buf, size_t len);
/* Number of kernel log lines containing needle (via /dev/kmsg). */
int kmsg_count(const char *needle);

/* True when reading 4 bytes at p raises SIGBUS (a zapped BAR mapping). */
bool read_faults(const volatile void *p);

/* ---- sluice fds ---- */

int domain_open(void);
int device_open(const char *addr);
int domain_stats(int dom, struct sluice_iommu_stats *st);
int domain_info(int dom, struct sluice_iommu_info *info);
int dom_map(int dom, void *va, uint64_t iova, uint64_t size, uint32_t flags);
int dom_unmap(int dom, uint64_t iova, uint64_t size);
int set_domain(int dev, int dom);
/* SET_IRQS with count eventfds (count <= 64). */
int irqs_set(int dev, uint32_t flags, uint32_t index, uint32_t start, uint32_t count,
	     const int32_t *fds);

/* Anonymous memory, page aligned, touched.  Released with munmap. */
void *alloc_pages(size_t size);
/* A 2 MiB hugetlbfs page, or NULL. */
void *alloc_hugepage(void);

/* ---- QEMU edu device (hw/misc/edu.c) ---- */

#define EDU_VENDOR	0x1234
#define EDU_DEVICE	0x11e8
#define EDU_REG_ID	0x00	/* 0x010000ed */
#define EDU_REG_LIVE	0x04	/* reads back ~value */
#define EDU_REG_IRQ_STATUS 0x24
#define EDU_REG_IRQ_RAISE 0x60
#define EDU_REG_IRQ_ACK	0x64
#define EDU_REG_DMA_SRC	0x80
#define EDU_REG_DMA_DST	0x88
#define EDU_REG_DMA_CNT	0x90
#define EDU_REG_DMA_CMD	0x98
#define EDU_DMA_RUN	0x1
#define EDU_DMA_TO_RAM	0x2	/* direction: device buffer -> RAM */
#define EDU_DMA_BUF	0x40000	/* device-side buffer, 4 KiB */
/*
 * QEMU 7.2's edu range check is off by one: a transfer that ends exactly at
 * the end of the 4 KiB buffer aborts QEMU.  Stay below it.
 */
#define EDU_DMA_MAX	4095

struct edu {
	int fd;
	volatile uint8_t *bar;	/* mmap of BAR0 */
	size_t bar_len;
};

/*
 * SET_DOMAIN must be done; maps BAR0, checks the id register and turns bus
 * mastering on (COMMAND.MASTER, through the node's config region).
 */
int edu_attach(struct edu *e, int devfd);
/* COMMAND.MASTER on or off through the config region: 0 or -EIO. */
int edu_master(struct edu *e, bool on);
void edu_detach(struct edu *e);
/* One DMA, waits for completion (timeout_ms).  0, or -ETIMEDOUT. */
int edu_dma(struct edu *e, uint64_t src, uint64_t dst, uint32_t cnt,
	    bool to_ram, int timeout_ms);
void edu_write64(struct edu *e, unsigned int reg, uint64_t v);
uint64_t edu_read64(struct edu *e, unsigned int reg);
uint32_t edu_read32(struct edu *e, unsigned int reg);
void edu_write32(struct edu *e, unsigned int reg, uint32_t v);

/*
 * Tell the host runner that DMA faults inside [iova, iova + len) are expected
 * in QEMU's trace (QEMU reports one per access it splits a blocked transfer
 * into), and that at least one must be there.
 */
void expect_dmar_fault(uint64_t iova, uint64_t len);

/* ---- guest topology (module-tests.sh) ---- */

struct topo {
	const char *edu0;	/* own IOMMU group */
	const char *edu1;	/* own IOMMU group */
	const char *e1000e;	/* own IOMMU group, MSI-X, FLR */
	const char *virtio;	/* virtio-net-pci, modern only */
	const char *br_edu;	/* behind the PCIe-to-PCI bridge ... */
	const char *br_e1000;	/* ... sharing its IOMMU group */
	const char *nvme;	/* own IOMMU group, Function Level Reset */
	const char *aer_port;	/* pcie-root-port with AER ... */
	const char *aer_dev;	/* ... and the e1000e behind it */
};
extern const struct topo topo;

/* ---- the tests ---- */

int test_conformance(void);
int test_noaccess(void);
int test_mapping(void);
int test_lifetime(void);
int test_isolation(void);
int test_death(void);
int test_group(void);
int test_perms(void);
int test_hostile(void);
int test_cfgpolicy(void);
int test_release(void);
int test_resetmap(void);
int test_width(void);
int test_msiiso(void);
int test_fmode(void);
int test_busmaster(void);
int test_memchain(void);
int test_pinlock(void);
int test_faultsweep(void);
int test_aer(void);

#endif /* SLUICE_VMTEST_H */
