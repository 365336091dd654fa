/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sluice_internal.h - objects shared by the files of the sluice module.
 *
 * Lock order (outer to inner):
 *   sluice_device.lock -> sluice_groups_lock -> sluice_domain.lock
 *   sluice_domains_lock -> sluice_domain.lock        (debugfs walk)
 * A domain's last reference is never dropped with sluice_groups_lock or a
 * sluice_domain.lock held.
 */
#ifndef SLUICE_INTERNAL_H
#define SLUICE_INTERNAL_H

#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/interval_tree.h>
#include <linux/iommu.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>

#include "uapi/sluice.h"

#define SLUICE_NAME		"sluice"
#define SLUICE_PCI_DRIVER_NAME	"sluice-pci"
#define SLUICE_MAX_MINORS	256	/* minor 0 is /dev/sluice/iommu */

/* Module parameters (sluice_main.c). */
extern unsigned int sluice_max_mappings;
extern unsigned short sluice_iommu_mode;
extern unsigned short sluice_device_mode;
extern int sluice_iommu_gid;
extern int sluice_device_gid;
extern bool sluice_allow_unsafe_interrupts;

extern struct class *sluice_class;
extern dev_t sluice_devt;
extern struct dentry *sluice_debugfs_root;
extern const struct device_type sluice_devtype;

/* ---- domains (sluice_domain.c) ---- */

struct sluice_mapping {
	struct interval_tree_node node;	/* [iova, iova + size - 1] */
	u64 vaddr;
	u64 size;
	unsigned long npages;
	struct page **pages;		/* pinned, one per PAGE_SIZE */
	struct user_struct *user;	/* referenced: locked_vm charged */
	struct mm_struct *mm;		/* grabbed: pinned_vm charged */
	bool charged;
	int prot;
};

struct sluice_domain {
	struct kref kref;		/* fd + one per attached device */
	struct mutex lock;		/* mappings, counters, devices */
	struct iommu_domain *domain;
	struct rb_root_cached mappings;
	struct list_head devices;	/* sluice_device.domain_link */
	struct list_head link;		/* sluice_domains */
	unsigned int id;
	unsigned int max_mappings;
	unsigned int nr_mappings;
	unsigned int nr_devices;
	u64 pinned_pages;
	u64 mapped_bytes;
	u64 locked_pages;
	u64 iova_hwm;			/* highest IOVA ever mapped, 0 if none */
	pid_t creator_pid;
	char creator_comm[TASK_COMM_LEN];
};

int sluice_domain_init(void);
void sluice_domain_exit(void);
struct sluice_domain *sluice_domain_get_from_fd(int fd);
void sluice_domain_put(struct sluice_domain *dom);
int sluice_domain_check_group(struct sluice_domain *dom,
			      struct iommu_group *group);
bool sluice_domain_iova_hwm(struct sluice_domain *dom, u64 *last);

/* ---- devices (sluice_pci.c, sluice_irq.c) ---- */

struct sluice_irq_ctx {
	struct eventfd_ctx *trigger;
	int irq;
	char name[32];
};

/* One per IOMMU group with attached sluice devices (sluice_pci.c). */
struct sluice_group {
	struct list_head link;
	struct iommu_group *group;	/* referenced */
	struct sluice_domain *dom;	/* not referenced: devices hold refs */
	unsigned int users;		/* attached devices */
};

struct sluice_device {
	struct device dev;		/* /dev/sluice/<PCI address> */
	struct cdev cdev;
	struct pci_dev *pdev;
	struct mutex lock;		/* everything below */
	/*
	 * memory_lock: mmio_enabled and filp.  Faults and mmap() take it for
	 * reading; enable, teardown and DEVICE_RESET for writing, so a fault
	 * during a reset waits until the device is back instead of reading
	 * a function that is mid-FLR.
	 */
	struct rw_semaphore memory_lock;
	bool mmio_enabled;		/* BAR pages may be inserted */
	struct file *filp;		/* the one open file, or NULL */
	bool needs_reset;		/* release-time reset failed */
	bool removed;			/* PCI remove() ran */
	struct sluice_domain *domain;	/* set by SET_DOMAIN */
	struct sluice_group *group;
	struct list_head domain_link;	/* sluice_domain.devices */
	struct list_head bound_link;	/* sluice_bound_devices */
	struct pci_saved_state *pristine;	/* config before SET_DOMAIN */
	bool regions_requested;
	void __iomem *barmap[PCI_STD_NUM_BARS];

	/* protected ranges */
	u8 msi_cap;			/* 0 if absent */
	u8 msi_len;
	u8 msix_cap;
	int msix_bar;			/* -1 if no MSI-X */
	u64 msix_hole_start;		/* page-aligned, BAR-relative */
	u64 msix_hole_end;		/* exclusive */

	/* config-space write policy (sluice_config.c), per byte */
	u8 cfg_write[PCI_CFG_SPACE_SIZE];	/* owner-writable bits */
	u8 cfg_virt[PCI_CFG_SPACE_SIZE];	/* bits kept by the module */
	u8 cfg_prot[PCI_CFG_SPACE_SIZE];	/* bits the owner may not change */

	/* interrupts */
	int irq_type;			/* -1 or SLUICE_PCI_*_IRQ */
	unsigned int nr_irqs;
	struct sluice_irq_ctx *irqs;
	spinlock_t intx_lock;
	bool intx_masked;
	bool intx_exclusive;		/* no INTx masking: disable_irq */

	/* AER: SLUICE_PCI_ERR_IRQ's eventfd, signalled by error_detected */
	spinlock_t err_lock;
	struct eventfd_ctx *err_trigger;
};

extern struct mutex sluice_bound_lock;
extern struct list_head sluice_bound_devices;

int sluice_pci_init(void);
void sluice_pci_exit(void);

void sluice_config_init(struct sluice_device *sdev);
ssize_t sluice_config_rw(struct sluice_device *sdev, char __user *buf,
			 size_t count, u64 off, bool write);

int sluice_irq_info(struct sluice_device *sdev, unsigned int index,
		    u32 *count);
int sluice_irq_set(struct sluice_device *sdev, unsigned long arg);
void sluice_irq_disable_all(struct sluice_device *sdev);
void sluice_irq_err_release(struct sluice_device *sdev);
extern const struct pci_error_handlers sluice_err_handlers;

/* ---- fault injection (sluice_main.c) ---- */

/*
 * True when this fault point must fail (debugfs fail_nth): call it just
 * before an allocation, pin, iommu_map() or other step that can fail, and
 * fail that step with -ENOMEM.
 */
bool sluice_should_fail(void);

/* ---- ioctl argument helpers (sluice_main.c) ---- */

int sluice_copy_arg_in(void *karg, size_t ksize, size_t minsz,
		       unsigned long uarg);
int sluice_copy_arg_out(unsigned long uarg, const void *karg, size_t ksize);

#endif /* SLUICE_INTERNAL_H */
