// SPDX-License-Identifier: GPL-2.0
/*
 * sluice_main.c - module entry points, parameters, the "sluice" device class
 * and the ioctl argument helpers shared by the domain and device files.
 *
 * Design: LKML thread "VFIO driver: Non-privileged user level PCI drivers"
 * (June 2010, Tom Lyon / Michael S. Tsirkin): domains are opened from a
 * device of their own, mappings are programmed on the domain and shared by
 * its devices, and a device allows no access at all until a domain is set.
 * See doc/kernel-module.md.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "sluice_compat.h"
#include "sluice_internal.h"

/* ---- parameters ---- */

unsigned int sluice_max_mappings = 65536;
module_param_named(max_mappings, sluice_max_mappings, uint, 0644);
MODULE_PARM_DESC(max_mappings,
		 "Largest number of live mappings per domain, read when a domain is created (default 65536)");

unsigned short sluice_iommu_mode = 0600;
module_param_named(iommu_mode, sluice_iommu_mode, ushort, 0444);
MODULE_PARM_DESC(iommu_mode, "Mode of /dev/sluice/iommu (default 0600)");

int sluice_iommu_gid;
module_param_named(iommu_gid, sluice_iommu_gid, int, 0444);
MODULE_PARM_DESC(iommu_gid, "Group id owning /dev/sluice/iommu (default 0)");

unsigned short sluice_device_mode = 0600;
module_param_named(device_mode, sluice_device_mode, ushort, 0644);
MODULE_PARM_DESC(device_mode,
		 "Mode of /dev/sluice/<PCI address> nodes created from now on (default 0600)");

int sluice_device_gid;
module_param_named(device_gid, sluice_device_gid, int, 0644);
MODULE_PARM_DESC(device_gid,
		 "Group id owning /dev/sluice/<PCI address> nodes created from now on (default 0)");

bool sluice_allow_unsafe_interrupts;
module_param_named(allow_unsafe_interrupts, sluice_allow_unsafe_interrupts,
		   bool, 0644);
MODULE_PARM_DESC(allow_unsafe_interrupts,
		 "Allow SET_DOMAIN on platforms that cannot isolate MSIs (no interrupt remapping): the device owner can then raise any host interrupt (default off)");

/* ---- class and device nodes ---- */

struct class *sluice_class;
dev_t sluice_devt;
struct dentry *sluice_debugfs_root;

/*
 * Nodes live under /dev/sluice/.  Owner, group and mode come from the module
 * parameters so that an administrator can hand devices to an unprivileged
 * user without udev rules: binding stays a root operation, using does not.
 */
static char *sluice_devnode(SLUICE_DEVNODE_CONST struct device *dev,
			    umode_t *mode, kuid_t *uid, kgid_t *gid)
{
	bool is_iommu = MINOR(dev->devt) == 0;
	int g = is_iommu ? sluice_iommu_gid : sluice_device_gid;

	if (mode)
		*mode = (is_iommu ? sluice_iommu_mode : sluice_device_mode) & 0777;
	if (gid && g > 0) {
		kgid_t k = make_kgid(&init_user_ns, g);

		if (gid_valid(k))
			*gid = k;
	}
	(void)uid;
	return kasprintf(GFP_KERNEL, SLUICE_NAME "/%s", dev_name(dev));
}

const struct device_type sluice_devtype = {
	.name = "sluice",
	.devnode = sluice_devnode,
};

/* ---- fault injection ---- */

/*
 * debugfs fail_nth (root, tests only), in the spirit of the kernel's
 * /proc/<pid>/fail-nth: write N and the Nth fault point reached from then on,
 * by any task, fails with -ENOMEM, once.  Reading gives the points still to
 * go before the failure: 0 when it fired (or nothing is armed), more when
 * the call under test reached fewer than N points and so ran without an
 * injected failure.  Global rather than per task: the fault points of one
 * operation may run in another context (the last fput of a domain), and the
 * tests that use it run alone.  The fault points are every allocation, pin
 * chunk, iommu_map() and attach of MAP, SET_DOMAIN and SET_IRQS, and the
 * release-time reset.
 */
static atomic_t sluice_fail_nth = ATOMIC_INIT(0);

bool sluice_should_fail(void)
{
	return atomic_read(&sluice_fail_nth) > 0 &&
	       atomic_dec_if_positive(&sluice_fail_nth) == 0;
}

/* ---- ioctl argument helpers ---- */

/*
 * Structures larger than this are refused (E2BIG) without reading them: a
 * hostile argsz near 4 GiB would otherwise make the kernel scan that much
 * user memory for non-zero bytes.
 */
#define SLUICE_ARGSZ_MAX	PAGE_SIZE

/*
 * Copy an argsz-first structure in.  argsz below minsz (the size of the first
 * published version) is EINVAL; a larger argsz than we know is accepted when
 * the unknown tail is zero (copy_struct_from_user semantics, E2BIG if not).
 */
int sluice_copy_arg_in(void *karg, size_t ksize, size_t minsz,
		       unsigned long uarg)
{
	u32 argsz;

	if (get_user(argsz, (u32 __user *)uarg))
		return -EFAULT;
	if (argsz < minsz)
		return -EINVAL;
	if (argsz > SLUICE_ARGSZ_MAX)
		return -E2BIG;
	return copy_struct_from_user(karg, ksize, (void __user *)uarg, argsz);
}

/* Write back as much of the structure as the caller's argsz covers. */
int sluice_copy_arg_out(unsigned long uarg, const void *karg, size_t ksize)
{
	u32 argsz = *(const u32 *)karg;

	if (copy_to_user((void __user *)uarg, karg, min_t(size_t, argsz, ksize)))
		return -EFAULT;
	return 0;
}

/* ---- module init/exit ---- */

static int __init sluice_init(void)
{
	int ret;

	ret = alloc_chrdev_region(&sluice_devt, 0, SLUICE_MAX_MINORS,
				  SLUICE_NAME);
	if (ret)
		return ret;

	sluice_class = sluice_class_create(SLUICE_NAME);
	if (IS_ERR(sluice_class)) {
		ret = PTR_ERR(sluice_class);
		goto err_region;
	}

	/* debugfs is optional: failures only lose the state files. */
	sluice_debugfs_root = debugfs_create_dir(SLUICE_NAME, NULL);
	debugfs_create_atomic_t("fail_nth", 0600, sluice_debugfs_root,
				&sluice_fail_nth);

	ret = sluice_domain_init();
	if (ret)
		goto err_class;

	ret = sluice_pci_init();
	if (ret)
		goto err_domain;

	pr_info("loaded, API version %d\n", SLUICE_API_VERSION);
	return 0;

err_domain:
	sluice_domain_exit();
err_class:
	debugfs_remove_recursive(sluice_debugfs_root);
	class_destroy(sluice_class);
err_region:
	unregister_chrdev_region(sluice_devt, SLUICE_MAX_MINORS);
	return ret;
}

static void __exit sluice_exit(void)
{
	sluice_pci_exit();
	sluice_domain_exit();
	debugfs_remove_recursive(sluice_debugfs_root);
	class_destroy(sluice_class);
	unregister_chrdev_region(sluice_devt, SLUICE_MAX_MINORS);
}

module_init(sluice_init);
module_exit(sluice_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Sluice project");
MODULE_DESCRIPTION("IOMMU domains and PCI device access for user-space poll-mode drivers");
