// SPDX-License-Identifier: GPL-2.0
/*
 * sluice_config.c - what a device owner may write in config space.
 *
 * Config space is an allow-list.  At probe the module builds three bit
 * masks per byte of the 256-byte standard space from the tables below:
 *
 *   write  bits the owner sets to any value; the write is forwarded;
 *   virt   bits the module keeps: the owner's value is ignored and the
 *          device's current value written back (virtualised);
 *   prot   bits of a register with writable bits that the owner may not
 *          change: a write must carry their current value.
 *
 * A write that would change a protected bit fails with EACCES and reaches
 * nothing.  So does a write that touches a byte with no write, virt or prot
 * bit at all (a read-only register, an unknown capability, the extended
 * space from 0x100), whatever its value:
 * writing a read-only register's value back is not harmless when it holds
 * write-1-to-clear bits the module does not know about.  Reads are never
 * filtered.  doc/kernel-module.md lists the policy register by register.
 *
 * Why these registers (the CVE-2020-12888 class and VFIO's history): memory
 * or I/O decode turned off behind the kernel's back makes BAR accesses end
 * in Unsupported Requests; a cleared INTx-disable bit while the line is not
 * handled is an interrupt storm; D3hot stops decode and may lose the BARs;
 * FLR, Max Payload Size, Max Read Request and Phantom Functions change how
 * the function talks to the fabric, and reset goes through DEVICE_RESET so
 * that the module can save and restore state around it.  MSI and MSI-X are
 * kernel-owned (SET_IRQS), BARs and the ROM BAR too (moving a BAR would
 * redirect the owner's mmap).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "sluice_internal.h"

/* One register of a policy table: offset within its header/capability. */
struct sluice_cfg_field {
	u8 off;
	u8 len;		/* 1, 2 or 4 */
	u32 write;	/* owner-writable bits */
	u32 virt;	/* bits kept at the device's value */
	u32 prot;	/* bits the owner may not change */
};

/*
 * Type 0 header.  Not listed, so read-only: IDs, class, header type, BIST,
 * BARs, CardBus CIS, subsystem IDs, ROM BAR, capability pointer, interrupt
 * line/pin, min grant, max latency.
 */
#define SLUICE_CMD_OWNER	(PCI_COMMAND_MASTER | PCI_COMMAND_SPECIAL | \
				 PCI_COMMAND_INVALIDATE | PCI_COMMAND_VGA_PALETTE | \
				 PCI_COMMAND_PARITY | PCI_COMMAND_WAIT | \
				 PCI_COMMAND_SERR | PCI_COMMAND_FAST_BACK)
#define SLUICE_STATUS_RW1C	(PCI_STATUS_PARITY | PCI_STATUS_SIG_TARGET_ABORT | \
				 PCI_STATUS_REC_TARGET_ABORT | \
				 PCI_STATUS_REC_MASTER_ABORT | \
				 PCI_STATUS_SIG_SYSTEM_ERROR | \
				 PCI_STATUS_DETECTED_PARITY)

static const struct sluice_cfg_field sluice_hdr_fields[] = {
	/* I/O and memory decode: protected; INTx-disable: the module's. */
	{ PCI_COMMAND, 2, SLUICE_CMD_OWNER, PCI_COMMAND_INTX_DISABLE,
	  PCI_COMMAND_IO | PCI_COMMAND_MEMORY },
	/* Error bits are write-1-to-clear; the rest is read-only status. */
	{ PCI_STATUS, 2, SLUICE_STATUS_RW1C, 0xffff & ~SLUICE_STATUS_RW1C, 0 },
	{ PCI_CACHE_LINE_SIZE, 1, 0xff, 0, 0 },
	{ PCI_LATENCY_TIMER, 1, 0xff, 0, 0 },
};

/* Power management: the power state and PME enable are protected. */
static const struct sluice_cfg_field sluice_pm_fields[] = {
	{ PCI_PM_CTRL, 2, PCI_PM_CTRL_PME_STATUS | PCI_PM_CTRL_DATA_SEL_MASK, 0,
	  0xffff & ~(PCI_PM_CTRL_PME_STATUS | PCI_PM_CTRL_DATA_SEL_MASK) },
};

/*
 * PCI Express: Device Control but FLR, Max Payload Size, Max Read Request
 * and Phantom Functions; the error bits of Device Status (RW1C).  Link and
 * slot registers and the version 2 controls stay read-only.
 */
#define SLUICE_DEVCTL_KERNEL	(PCI_EXP_DEVCTL_BCR_FLR | PCI_EXP_DEVCTL_PAYLOAD | \
				 PCI_EXP_DEVCTL_READRQ | PCI_EXP_DEVCTL_PHANTOM)
#define SLUICE_DEVSTA_RW1C	(PCI_EXP_DEVSTA_CED | PCI_EXP_DEVSTA_NFED | \
				 PCI_EXP_DEVSTA_FED | PCI_EXP_DEVSTA_URD)

static const struct sluice_cfg_field sluice_exp_fields[] = {
	{ PCI_EXP_DEVCTL, 2, 0xffff & ~SLUICE_DEVCTL_KERNEL, 0, SLUICE_DEVCTL_KERNEL },
	{ PCI_EXP_DEVSTA, 2, SLUICE_DEVSTA_RW1C, 0xffff & ~SLUICE_DEVSTA_RW1C, 0 },
};

/*
 * Capabilities with writable registers.  MSI and MSI-X are listed without
 * fields: they are kernel-owned and forced read-only after every other
 * capability is applied, so that a device whose capabilities overlap cannot
 * make them writable through another one.  Any other capability ID is
 * read-only.
 */
static const struct sluice_cap_policy {
	u8 id;
	const struct sluice_cfg_field *fields;
	unsigned int nr_fields;
	u8 min_len;	/* bytes the fields need inside the capability */
} sluice_cap_policies[] = {
	{ PCI_CAP_ID_PM, sluice_pm_fields, ARRAY_SIZE(sluice_pm_fields),
	  PCI_PM_SIZEOF },
	{ PCI_CAP_ID_EXP, sluice_exp_fields, ARRAY_SIZE(sluice_exp_fields),
	  PCI_EXP_DEVSTA + 2 },
	{ PCI_CAP_ID_MSI, NULL, 0, 0 },
	{ PCI_CAP_ID_MSIX, NULL, 0, 0 },
};

/* A looped or absurd capability list must not hang probe. */
#define SLUICE_MAX_CAPS	48

static void sluice_cfg_apply(struct sluice_device *sdev, unsigned int base,
			     const struct sluice_cfg_field *f, unsigned int n)
{
	unsigned int i, b;

	for (i = 0; i < n; i++, f++) {
		if (base + f->off + f->len > PCI_CFG_SPACE_SIZE)
			continue;
		for (b = 0; b < f->len; b++) {
			sdev->cfg_write[base + f->off + b] = f->write >> (8 * b);
			sdev->cfg_virt[base + f->off + b] = f->virt >> (8 * b);
			sdev->cfg_prot[base + f->off + b] = f->prot >> (8 * b);
		}
	}
}

static void sluice_cfg_forbid(struct sluice_device *sdev, unsigned int start,
			      unsigned int len)
{
	if (start >= PCI_CFG_SPACE_SIZE)
		return;
	len = min(len, PCI_CFG_SPACE_SIZE - start);
	memset(sdev->cfg_write + start, 0, len);
	memset(sdev->cfg_virt + start, 0, len);
	memset(sdev->cfg_prot + start, 0, len);
}

static const struct sluice_cap_policy *sluice_cap_policy(u8 id)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sluice_cap_policies); i++)
		if (sluice_cap_policies[i].id == id)
			return &sluice_cap_policies[i];
	return NULL;
}

/*
 * Build sdev->cfg_write/cfg_virt.  Called at probe; msi_cap/msi_len and
 * msix_cap must be known (sluice_find_protected()).
 */
void sluice_config_init(struct sluice_device *sdev)
{
	struct pci_dev *pdev = sdev->pdev;
	unsigned int guard = SLUICE_MAX_CAPS;
	u8 pos = 0, id;
	u16 status;

	memset(sdev->cfg_write, 0, sizeof(sdev->cfg_write));
	memset(sdev->cfg_virt, 0, sizeof(sdev->cfg_virt));
	memset(sdev->cfg_prot, 0, sizeof(sdev->cfg_prot));
	sluice_cfg_apply(sdev, 0, sluice_hdr_fields, ARRAY_SIZE(sluice_hdr_fields));

	pci_read_config_word(pdev, PCI_STATUS, &status);
	if (status & PCI_STATUS_CAP_LIST)
		pci_read_config_byte(pdev, PCI_CAPABILITY_LIST, &pos);
	while (guard-- && pos >= PCI_STD_HEADER_SIZEOF) {
		const struct sluice_cap_policy *p;

		pos &= ~3;
		if (pci_read_config_byte(pdev, pos + PCI_CAP_LIST_ID, &id) ||
		    id == 0xff)
			break;
		p = sluice_cap_policy(id);
		if (p && p->fields && pos + p->min_len <= PCI_CFG_SPACE_SIZE)
			sluice_cfg_apply(sdev, pos, p->fields, p->nr_fields);
		if (pci_read_config_byte(pdev, pos + PCI_CAP_LIST_NEXT, &pos))
			break;
	}

	if (sdev->msi_cap)
		sluice_cfg_forbid(sdev, sdev->msi_cap, sdev->msi_len);
	if (sdev->msix_cap)
		sluice_cfg_forbid(sdev, sdev->msix_cap, PCI_CAP_MSIX_SIZEOF);
}

static u32 sluice_gather(const u8 *map, unsigned int pos, unsigned int len)
{
	u32 v = 0;
	unsigned int b;

	for (b = 0; b < len; b++)
		v |= (u32)map[pos + b] << (8 * b);
	return v;
}

static int sluice_cfg_read(struct pci_dev *pdev, bool user, unsigned int pos,
			   unsigned int len, u32 *v)
{
	u16 w;
	u8 b;
	int ret;

	switch (len) {
	case 4:
		return user ? pci_user_read_config_dword(pdev, pos, v) :
			      pci_read_config_dword(pdev, pos, v);
	case 2:
		ret = user ? pci_user_read_config_word(pdev, pos, &w) :
			     pci_read_config_word(pdev, pos, &w);
		*v = w;
		return ret;
	default:
		ret = user ? pci_user_read_config_byte(pdev, pos, &b) :
			     pci_read_config_byte(pdev, pos, &b);
		*v = b;
		return ret;
	}
}

static int sluice_cfg_write(struct pci_dev *pdev, bool user, unsigned int pos,
			    unsigned int len, u32 v)
{
	switch (len) {
	case 4:
		return user ? pci_user_write_config_dword(pdev, pos, v) :
			      pci_write_config_dword(pdev, pos, v);
	case 2:
		return user ? pci_user_write_config_word(pdev, pos, v) :
			      pci_write_config_word(pdev, pos, v);
	default:
		return user ? pci_user_write_config_byte(pdev, pos, v) :
			      pci_write_config_byte(pdev, pos, v);
	}
}

/*
 * Merge and write one naturally aligned access.  Caller checked that no
 * byte is read-only.  Bits outside write and virt must keep their value.
 */
static int sluice_cfg_merge_write(struct sluice_device *sdev, unsigned int pos,
				  unsigned int len, u32 val, u32 wmask,
				  u32 vmask)
{
	struct pci_dev *pdev = sdev->pdev;
	u32 width = len == 4 ? ~0u : (1u << (8 * len)) - 1;
	u32 cur;
	int ret;

	if ((wmask & width) == width)
		return sluice_cfg_write(pdev, true, pos, len, val) ? -EIO : 0;

	ret = sluice_cfg_read(pdev, true, pos, len, &cur);
	if (ret)
		return -EIO;
	if ((val ^ cur) & ~(wmask | vmask) & width)
		return -EACCES;
	return sluice_cfg_write(pdev, true, pos, len,
				(val & wmask) | (cur & ~wmask & width)) ? -EIO : 0;
}

/*
 * COMMAND shares its INTx-disable bit with the INTx handler, which sets it
 * from interrupt context (pci_check_and_mask_intx).  Read, merge and write
 * under intx_lock, which the handler holds, so that the owner's write can
 * neither lose the handler's mask nor see a stale value.  The plain (not
 * _user_) accessors do not sleep; sdev->lock keeps our own resets out.
 */
static int sluice_cfg_command_write(struct sluice_device *sdev,
				    unsigned int pos, unsigned int len, u32 val,
				    u32 wmask, u32 vmask)
{
	struct pci_dev *pdev = sdev->pdev;
	u32 width = len == 4 ? ~0u : (1u << (8 * len)) - 1;
	unsigned long flags;
	u32 cur;
	int ret;

	spin_lock_irqsave(&sdev->intx_lock, flags);
	ret = sluice_cfg_read(pdev, false, pos, len, &cur);
	if (ret) {
		ret = -EIO;
	} else if ((val ^ cur) & ~(wmask | vmask) & width) {
		ret = -EACCES;
	} else {
		ret = sluice_cfg_write(pdev, false, pos, len,
				       (val & wmask) | (cur & ~wmask & width));
		ret = ret ? -EIO : 0;
	}
	spin_unlock_irqrestore(&sdev->intx_lock, flags);
	return ret;
}

static bool sluice_cfg_byte_ro(struct sluice_device *sdev, unsigned int pos)
{
	return !sdev->cfg_write[pos] && !sdev->cfg_virt[pos] &&
	       !sdev->cfg_prot[pos];
}

static int sluice_config_write_one(struct sluice_device *sdev,
				   unsigned int pos, unsigned int len, u32 val)
{
	u32 wmask, vmask;
	unsigned int b;

	if (pos >= PCI_CFG_SPACE_SIZE)
		return -EACCES;		/* extended capabilities: read-only */
	for (b = 0; b < len; b++)
		if (sluice_cfg_byte_ro(sdev, pos + b))
			return -EACCES;
	wmask = sluice_gather(sdev->cfg_write, pos, len);
	vmask = sluice_gather(sdev->cfg_virt, pos, len);
	if (pos < PCI_COMMAND + 2 && pos + len > PCI_COMMAND)
		return sluice_cfg_command_write(sdev, pos, len, val, wmask, vmask);
	return sluice_cfg_merge_write(sdev, pos, len, val, wmask, vmask);
}

/* Is no byte of [off, off + len) read-only? */
static bool sluice_config_range_writable(struct sluice_device *sdev, u64 off,
					 size_t len)
{
	size_t i;

	if (off >= PCI_CFG_SPACE_SIZE || len > PCI_CFG_SPACE_SIZE - off)
		return false;
	for (i = 0; i < len; i++)
		if (sluice_cfg_byte_ro(sdev, off + i))
			return false;
	return true;
}

/*
 * pread/pwrite of the config region, split into naturally aligned 4/2/1-byte
 * accesses.  A write that touches a read-only byte is refused as a whole
 * before anything is written.  A protected bit is only seen access by
 * access: the write stops at the first refused access, and what went before
 * is written and counted, as for a short write().  Caller holds sdev->lock.
 */
ssize_t sluice_config_rw(struct sluice_device *sdev, char __user *buf,
			 size_t count, u64 off, bool write)
{
	struct pci_dev *pdev = sdev->pdev;
	size_t done = 0;

	if (off >= pdev->cfg_size)
		return -EINVAL;
	count = min_t(u64, count, pdev->cfg_size - off);
	if (write && !sluice_config_range_writable(sdev, off, count))
		return -EACCES;

	while (done < count) {
		size_t left = count - done;
		unsigned int pos = off + done;
		unsigned int len = (left >= 4 && !(pos & 3)) ? 4 :
				   (left >= 2 && !(pos & 1)) ? 2 : 1;
		u32 v = 0;
		int err;

		if (write) {
			if (copy_from_user(&v, buf + done, len))
				return done ? done : -EFAULT;
			v = le32_to_cpu((__force __le32)v);
			err = sluice_config_write_one(sdev, pos, len, v);
		} else {
			err = sluice_cfg_read(pdev, true, pos, len, &v) ? -EIO : 0;
			v = (__force u32)cpu_to_le32(v);
			if (!err && copy_to_user(buf + done, &v, len))
				err = -EFAULT;
		}
		if (err)
			return done ? done : err;
		done += len;
	}
	return done;
}
