/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * sluice.h - user-space API of the sluice passthrough module.
 *
 * Shared by the kernel module (kernel/), the user-space libraries (lib/,
 * drivers/) and the in-guest tests (test/vm).  It compiles in both worlds: it
 * uses only <linux/types.h> and <linux/ioctl.h>.
 *
 * Two kinds of character devices exist:
 *
 *   /dev/sluice/iommu          every open() creates a new, empty IOMMU domain.
 *                              The fd carries the domain; DMA mappings are
 *                              programmed here (SLUICE_IOMMU_*).
 *   /dev/sluice/<PCI address>  one node per device bound to the "sluice-pci"
 *                              driver, e.g. /dev/sluice/0000:00:03.0
 *                              (SLUICE_DEVICE_*).  Exclusive: a second open
 *                              fails with EBUSY.
 *
 * Rules common to every ioctl (see doc/kernel-module.md for the reasons):
 *   - Every structure starts with __u32 argsz, which user space sets to
 *     sizeof(struct).  argsz smaller than the first published size of the
 *     structure fails with EINVAL.  A larger argsz is accepted only if the
 *     extra bytes are zero (E2BIG otherwise), so that newer user space runs
 *     on an older module as long as it does not ask for anything new.
 *   - Every flags field rejects unknown bits with EINVAL.
 *   - Output structures are written back up to min(argsz, sizeof(struct)).
 *   - Reserved/padding fields must be zero on input.
 *
 * The ioctls take no size in their number (_IO): the size travels in argsz,
 * which is what makes the structures extensible.
 */
#ifndef _UAPI_SLUICE_H
#define _UAPI_SLUICE_H

#include <linux/types.h>
#include <linux/ioctl.h>

/* Bumped on any incompatible change; compatible extensions grow argsz. */
#define SLUICE_API_VERSION	1

#define SLUICE_DEV_DIR		"/dev/sluice"
#define SLUICE_IOMMU_PATH	"/dev/sluice/iommu"

#define SLUICE_IOCTL_TYPE	0xBE
#define SLUICE_IOMMU_BASE	0x00	/* ioctls on a domain fd */
#define SLUICE_DEVICE_BASE	0x40	/* ioctls on a device fd */

/* ======================================================================= */
/* Domain fd: /dev/sluice/iommu                                            */
/* ======================================================================= */

/*
 * SLUICE_IOMMU_GET_INFO - describe the domain.
 *
 * pgsize_bitmap: page sizes the IOMMU supports (bit n set = 2^n bytes).  MAP
 *                and UNMAP arguments must be aligned to the smallest of them.
 * aperture_*:    inclusive range of IOVAs the domain can translate.
 * max_mappings:  cap on live mappings in this domain (module parameter).
 * version:       SLUICE_API_VERSION of the module.
 * Errors: EFAULT, EINVAL (argsz, flags), E2BIG.
 */
struct sluice_iommu_info {
	__u32 argsz;
	__u32 flags;		/* in: 0; out: 0 */
	__u64 pgsize_bitmap;
	__u64 aperture_start;
	__u64 aperture_end;
	__u32 max_mappings;
	__u32 version;
};
#define SLUICE_IOMMU_GET_INFO	_IO(SLUICE_IOCTL_TYPE, SLUICE_IOMMU_BASE + 0)

/*
 * SLUICE_IOMMU_MAP - pin [vaddr, vaddr+size) of the caller's memory long-term
 * and map it at [iova, iova+size) in the domain.
 *
 * flags: SLUICE_MAP_READ (device may read) and/or SLUICE_MAP_WRITE (device may
 *        write); at least one.  Pages are always pinned writable (FOLL_WRITE)
 *        so that a copy-on-write break never leaves the device with a stale
 *        page.
 * Errors:
 *   EINVAL  bad argsz/flags, size 0, vaddr/iova/size not aligned to the
 *           smallest IOMMU page size, vaddr+size or iova+size wraps.
 *   ERANGE  iova range outside the aperture, or inside a reserved range of
 *           an attached device's IOMMU group (on x86 the interrupt window
 *           0xfee00000-0xfeefffff).  SET_DOMAIN checks the same rule for
 *           mappings made before the device joined.
 *   EEXIST  iova range overlaps an existing mapping.
 *   ENOSPC  the domain already holds max_mappings mappings.
 *   ENOMEM  RLIMIT_MEMLOCK exceeded (without CAP_IPC_LOCK) or out of memory.
 *   EFAULT  the user range is not (entirely) mapped memory that can be pinned.
 * On error nothing stays mapped, pinned or charged.
 */
#define SLUICE_MAP_READ		(1u << 0)
#define SLUICE_MAP_WRITE	(1u << 1)
#define SLUICE_MAP_FLAGS_ALL	(SLUICE_MAP_READ | SLUICE_MAP_WRITE)

struct sluice_iommu_map {
	__u32 argsz;
	__u32 flags;
	__u64 vaddr;
	__u64 iova;
	__u64 size;
};
#define SLUICE_IOMMU_MAP	_IO(SLUICE_IOCTL_TYPE, SLUICE_IOMMU_BASE + 1)

/*
 * SLUICE_IOMMU_UNMAP - remove every mapping inside [iova, iova+size).
 *
 * The range must consist of whole mappings: a range that cuts a mapping fails
 * with EINVAL and changes nothing.  On success size is rewritten with the
 * number of bytes unmapped; the pages are unpinned and uncharged.
 * Errors: EINVAL (argsz, flags, size 0, alignment, wrap, partial mapping),
 *         ENOENT (no mapping inside the range), EFAULT.
 */
struct sluice_iommu_unmap {
	__u32 argsz;
	__u32 flags;		/* in: 0 */
	__u64 iova;
	__u64 size;		/* in: range; out: bytes unmapped */
};
#define SLUICE_IOMMU_UNMAP	_IO(SLUICE_IOCTL_TYPE, SLUICE_IOMMU_BASE + 2)

/*
 * SLUICE_IOMMU_GET_STATS - counters of the domain (for tests and tools).
 *
 * nr_mappings:   live mappings.
 * nr_devices:    devices attached (each holds a reference on the domain).
 * pinned_pages:  PAGE_SIZE pages pinned for the mappings.
 * mapped_bytes:  sum of the mapping sizes.
 * locked_pages:  pages charged to the locked_vm of the mapping processes'
 *                users (RLIMIT_MEMLOCK, checked per user, so the limit holds
 *                across fork and exit).  Always charged, as mlock() does;
 *                CAP_IPC_LOCK only lifts the limit.  The mapping process
 *                sees its pins as VmPin in /proc/<pid>/status.
 * id:            the domain's id, as in /sys/kernel/debug/sluice/.
 * Errors: EFAULT, EINVAL, E2BIG.
 */
struct sluice_iommu_stats {
	__u32 argsz;
	__u32 flags;		/* in: 0 */
	__u32 nr_mappings;
	__u32 nr_devices;
	__u64 pinned_pages;
	__u64 mapped_bytes;
	__u64 locked_pages;
	__u32 id;
	__u32 reserved;
};
#define SLUICE_IOMMU_GET_STATS	_IO(SLUICE_IOCTL_TYPE, SLUICE_IOMMU_BASE + 3)

/* ======================================================================= */
/* Device fd: /dev/sluice/<PCI address>                                    */
/* ======================================================================= */

/*
 * Until SLUICE_DEVICE_SET_DOMAIN succeeds, a device fd accepts only
 * SLUICE_DEVICE_GET_INFO and SLUICE_DEVICE_SET_DOMAIN; read, write, mmap and
 * every other SLUICE_DEVICE_* ioctl fail with EPERM (unknown ioctl numbers
 * fail with ENOTTY).
 *
 * After it:
 *   pread/pwrite at SLUICE_REGION_OFFSET(i) + off access region i.  BARs use
 *     naturally aligned 4/2/1-byte accesses; the count is clipped at the end
 *     of the region.  EINVAL: bad region, offset past the end.  EACCES:
 *     protected range (see GET_REGION_INFO).  EIO: config access failed, or
 *     the function does not decode the BAR (decode off in COMMAND).
 *   mmap(MAP_SHARED) at SLUICE_REGION_OFFSET(i) + off maps a memory BAR that
 *     is at least one page long (SLUICE_REGION_FLAG_MMAP).  Pages are
 *     inserted on first touch; after UNSET_DOMAIN or unbind, or while the
 *     function does not decode the BAR, a touch raises SIGBUS.  During
 *     DEVICE_RESET a touch waits until the device is back.  EINVAL: not shared, not a mappable
 *     BAR, beyond the BAR.  EACCES: covers the MSI-X hole.
 * After the driver is unbound from the device every operation fails with
 * ENODEV.  On a device fd opened read-only every ioctl but GET_INFO,
 * GET_REGION_INFO and GET_IRQ_INFO fails with EBADF; on a domain fd opened
 * read-only MAP and UNMAP fail with EBADF.
 */

/* Region indexes (SLUICE_DEVICE_GET_REGION_INFO, pread/pwrite offsets). */
enum {
	SLUICE_PCI_BAR0_REGION = 0,
	SLUICE_PCI_BAR1_REGION,
	SLUICE_PCI_BAR2_REGION,
	SLUICE_PCI_BAR3_REGION,
	SLUICE_PCI_BAR4_REGION,
	SLUICE_PCI_BAR5_REGION,
	SLUICE_PCI_CONFIG_REGION,
	SLUICE_PCI_NUM_REGIONS
};

/* Interrupt indexes (SLUICE_DEVICE_GET_IRQ_INFO, SLUICE_DEVICE_SET_IRQS). */
enum {
	SLUICE_PCI_INTX_IRQ = 0,
	SLUICE_PCI_MSI_IRQ,
	SLUICE_PCI_MSIX_IRQ,
	/*
	 * PCIe Advanced Error Reporting: one "vector", an eventfd signalled
	 * each time the kernel's AER core reports an error on the device
	 * (pci_error_handlers.error_detected).  Count 1 on PCIe devices, 0
	 * otherwise.  Independent of the interrupt index in use: it may be
	 * set alongside INTx, MSI or MSI-X.
	 */
	SLUICE_PCI_ERR_IRQ,
	SLUICE_PCI_NUM_IRQS
};

/*
 * Region i lives at file offset SLUICE_REGION_OFFSET(i) for pread, pwrite and
 * mmap.  GET_REGION_INFO reports the same value in .offset; use that.
 */
#define SLUICE_REGION_SHIFT		40
#define SLUICE_REGION_OFFSET(i)		((__u64)(i) << SLUICE_REGION_SHIFT)

/*
 * SLUICE_DEVICE_GET_INFO - allowed before a domain is set.
 * Errors: EFAULT, EINVAL, E2BIG.
 */
#define SLUICE_DEVICE_FLAGS_DOMAIN_SET	(1u << 0) /* SET_DOMAIN done */
#define SLUICE_DEVICE_FLAGS_RESET	(1u << 1) /* function reset possible */

struct sluice_device_info {
	__u32 argsz;
	__u32 flags;		/* in: 0; out: SLUICE_DEVICE_FLAGS_* */
	__u32 num_regions;	/* SLUICE_PCI_NUM_REGIONS */
	__u32 num_irqs;		/* SLUICE_PCI_NUM_IRQS */
	__u16 vendor_id;
	__u16 device_id;
	__u16 subsystem_vendor_id;
	__u16 subsystem_device_id;
	__u32 class_code;	/* 24-bit class/subclass/prog-if */
	__s32 iommu_group;	/* id of the device's IOMMU group */
	__u32 version;		/* SLUICE_API_VERSION */
	__u32 reserved;
};
#define SLUICE_DEVICE_GET_INFO	_IO(SLUICE_IOCTL_TYPE, SLUICE_DEVICE_BASE + 0)

/*
 * SLUICE_DEVICE_SET_DOMAIN - claim DMA ownership of the device's IOMMU group,
 * attach the group to the domain behind domain_fd, then enable the device
 * and bus mastering.
 *
 * Every device of the IOMMU group must be bound to sluice-pci, and if another
 * member of the group is already attached it must use the same domain.
 * Errors:
 *   EINVAL  bad argsz/flags/reserved, domain_fd is not a sluice domain fd.
 *   EBADF   domain_fd is not an open fd, or the device fd is read-only.
 *   EPERM   the platform cannot isolate the device's MSIs (no interrupt
 *           remapping) and the module parameter allow_unsafe_interrupts is
 *           off.
 *   EAGAIN/EIO  the reset owed since the previous owner's release failed
 *           again.
 *   EBUSY   a domain is already set on this device; another device of the
 *           group is not bound to sluice-pci (the offenders are listed in the
 *           kernel log) or the group is attached to a different domain.
 *   ENODEV  the device has no IOMMU group (no IOMMU).
 *   ERANGE  the domain has mapped (at any time, even if unmapped since)
 *           IOVAs that this device's IOMMU cannot translate (the aperture
 *           reported before the first attach is the driver's maximum;
 *           GET_INFO after attach gives the real one), or maps IOVAs that
 *           are reserved in this device's group.
 *   EIO/ENOMEM  attach or enable failed.
 */
struct sluice_device_set_domain {
	__u32 argsz;
	__u32 flags;		/* in: 0 */
	__s32 domain_fd;
	__u32 reserved;		/* in: 0 */
};
#define SLUICE_DEVICE_SET_DOMAIN _IO(SLUICE_IOCTL_TYPE, SLUICE_DEVICE_BASE + 1)

/*
 * SLUICE_DEVICE_UNSET_DOMAIN - no argument.  Undo SET_DOMAIN as close() does:
 * free interrupts, clear bus mastering, reset the function, detach from the
 * domain, release the group, drop the domain reference, disable the device.
 * Afterwards the fd is back to the pre-domain state (EPERM on access).
 * Errors: EPERM (no domain set).  Existing mmaps of BARs are zapped.
 */
#define SLUICE_DEVICE_UNSET_DOMAIN _IO(SLUICE_IOCTL_TYPE, SLUICE_DEVICE_BASE + 2)

/*
 * SLUICE_DEVICE_GET_REGION_INFO - describe region .index.
 * size 0 means the region is absent (unimplemented BAR).  I/O port BARs can
 * be read/written but not mapped.  The config region reads the whole config
 * space; writes follow an allow-list (doc/kernel-module.md, "Config space:
 * the write policy"): writes to read-only registers (IDs, BAR/ROM, MSI/MSI-X,
 * unknown and extended capabilities) and changes of protected bits (I/O and
 * memory decode, power state, FLR, payload and read request sizes, phantom
 * functions) fail with EACCES; the INTx-disable bit is kept by the module
 * whatever is written.  The page-aligned MSI-X table/PBA hole of a BAR
 * (msix_offset/msix_size) can be neither mapped nor accessed (EACCES).
 * Errors: EPERM (no domain), EINVAL (argsz, flags, index), EFAULT, E2BIG.
 */
#define SLUICE_REGION_FLAG_READ		(1u << 0)
#define SLUICE_REGION_FLAG_WRITE	(1u << 1)
#define SLUICE_REGION_FLAG_MMAP		(1u << 2)
#define SLUICE_REGION_FLAG_IO		(1u << 3) /* I/O port BAR */
#define SLUICE_REGION_FLAG_MSIX		(1u << 4) /* holds the MSI-X table */

struct sluice_region_info {
	__u32 argsz;
	__u32 flags;		/* in: 0; out: SLUICE_REGION_FLAG_* */
	__u32 index;		/* in: SLUICE_PCI_*_REGION */
	__u32 reserved;
	__u64 size;
	__u64 offset;		/* file offset for pread/pwrite/mmap */
	__u64 msix_offset;	/* SLUICE_REGION_FLAG_MSIX: start of the */
	__u64 msix_size;	/* page-aligned hole (table + PBA)       */
};
#define SLUICE_DEVICE_GET_REGION_INFO _IO(SLUICE_IOCTL_TYPE, SLUICE_DEVICE_BASE + 3)

/*
 * SLUICE_DEVICE_GET_IRQ_INFO - number of vectors of interrupt type .index
 * (0 if the device lacks it).
 * Errors: EPERM (no domain), EINVAL, EFAULT, E2BIG.
 */
struct sluice_irq_info {
	__u32 argsz;
	__u32 flags;		/* in: 0; out: 0 */
	__u32 index;		/* in: SLUICE_PCI_*_IRQ */
	__u32 count;
};
#define SLUICE_DEVICE_GET_IRQ_INFO _IO(SLUICE_IOCTL_TYPE, SLUICE_DEVICE_BASE + 4)

/*
 * SLUICE_DEVICE_SET_IRQS - route interrupts to eventfds.
 *
 * Exactly one action flag:
 *   SLUICE_IRQ_SET_EVENTFD  data[] holds count __s32 eventfds for vectors
 *                           start..start+count-1; -1 leaves a vector without
 *                           a trigger.  The first call on an index enables
 *                           it with start+count vectors (MSI/MSI-X) and
 *                           must use start 0; later calls may only replace
 *                           eventfds of vectors already enabled.
 *   SLUICE_IRQ_SET_DISABLE  count 0: turn the index off, free the vectors.
 *   SLUICE_IRQ_SET_MASK     INTx only, count 0: mask the line.
 *   SLUICE_IRQ_SET_UNMASK   INTx only, count 0: unmask.  INTx is masked
 *                           automatically each time it fires (level
 *                           triggered); user space unmasks after servicing.
 * Only one of INTx, MSI and MSI-X may be enabled at a time (EBUSY
 * otherwise).  SLUICE_PCI_ERR_IRQ takes EVENTFD (start 0, count 1; -1
 * removes the eventfd) and DISABLE only, at any time.
 * argsz covers the header and the count eventfds; bytes beyond must be zero
 * (E2BIG otherwise), and an argsz above the largest possible structure
 * (header + SLUICE_IRQ_MAX_VECTORS eventfds) is E2BIG.
 * Errors: EPERM (no domain), EINVAL (argsz, flags, index, start/count out of
 *         range, not an eventfd), E2BIG, EBUSY, EBADF, ENOSPC (vectors),
 *         EFAULT.
 */
#define SLUICE_IRQ_SET_EVENTFD	(1u << 0)
#define SLUICE_IRQ_SET_DISABLE	(1u << 1)
#define SLUICE_IRQ_SET_MASK	(1u << 2)
#define SLUICE_IRQ_SET_UNMASK	(1u << 3)
#define SLUICE_IRQ_SET_ALL	(SLUICE_IRQ_SET_EVENTFD | SLUICE_IRQ_SET_DISABLE | \
				 SLUICE_IRQ_SET_MASK | SLUICE_IRQ_SET_UNMASK)
#define SLUICE_IRQ_MAX_VECTORS	2048	/* PCI MSI-X limit */

struct sluice_irq_set {
	__u32 argsz;		/* sizeof(struct) + count * sizeof(__s32) */
	__u32 flags;
	__u32 index;
	__u32 start;
	__u32 count;
	__s32 data[];
};
#define SLUICE_DEVICE_SET_IRQS	_IO(SLUICE_IOCTL_TYPE, SLUICE_DEVICE_BASE + 5)

/*
 * SLUICE_DEVICE_RESET - no argument.  Function-level reset
 * (pci_try_reset_function); bus mastering and the interrupt setup are
 * restored afterwards.  BAR mappings are zapped first; a touch during the
 * reset waits until the device is back.  Config-space writes cannot reset
 * the function (FLR is refused there).  Errors: EPERM (no domain), ENOTTY
 * (no reset method), EAGAIN (device locked by someone else; retry).
 */
#define SLUICE_DEVICE_RESET	_IO(SLUICE_IOCTL_TYPE, SLUICE_DEVICE_BASE + 6)

#endif /* _UAPI_SLUICE_H */
