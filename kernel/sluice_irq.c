// SPDX-License-Identifier: GPL-2.0
/*
 * sluice_irq.c - device interrupts delivered to user space through eventfds.
 *
 * MSI and MSI-X vectors are allocated by the kernel (the user never sees the
 * message address/data, see the protected ranges in sluice_pci.c); each
 * vector's handler signals the eventfd the user attached to it.  INTx is
 * level triggered: its handler masks the line (INTx-disable bit in the
 * command register where the device supports it, the interrupt line
 * otherwise) and user space unmasks once the device is serviced.
 *
 * Everything here runs under sdev->lock except the handlers, which only
 * read the trigger pointer (swapped with the vector disabled) and take
 * sdev->intx_lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/eventfd.h>
#include <linux/interrupt.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "sluice_compat.h"
#include "sluice_internal.h"

static irqreturn_t sluice_msi_handler(int irq, void *arg)
{
	struct sluice_irq_ctx *ctx = arg;
	struct eventfd_ctx *trigger = READ_ONCE(ctx->trigger);

	if (trigger)
		sluice_eventfd_signal(trigger);
	return IRQ_HANDLED;
}

static irqreturn_t sluice_intx_handler(int irq, void *arg)
{
	struct sluice_device *sdev = arg;
	struct eventfd_ctx *trigger = NULL;
	irqreturn_t ret = IRQ_NONE;
	unsigned long flags;

	spin_lock_irqsave(&sdev->intx_lock, flags);
	if (sdev->intx_exclusive) {
		if (!sdev->intx_masked) {
			disable_irq_nosync(irq);
			sdev->intx_masked = true;
			ret = IRQ_HANDLED;
		}
	} else if (!sdev->intx_masked && pci_check_and_mask_intx(sdev->pdev)) {
		/* Our device asserted the (possibly shared) line. */
		sdev->intx_masked = true;
		ret = IRQ_HANDLED;
	}
	if (ret == IRQ_HANDLED)
		trigger = READ_ONCE(sdev->irqs[0].trigger);
	spin_unlock_irqrestore(&sdev->intx_lock, flags);

	if (trigger)
		sluice_eventfd_signal(trigger);
	return ret;
}

int sluice_irq_info(struct sluice_device *sdev, unsigned int index, u32 *count)
{
	struct pci_dev *pdev = sdev->pdev;
	int n;

	switch (index) {
	case SLUICE_PCI_INTX_IRQ:
		*count = pdev->pin && pdev->irq ? 1 : 0;
		return 0;
	case SLUICE_PCI_MSI_IRQ:
		n = pci_msi_vec_count(pdev);
		break;
	case SLUICE_PCI_MSIX_IRQ:
		n = pci_msix_vec_count(pdev);
		break;
	case SLUICE_PCI_ERR_IRQ:
		*count = pci_is_pcie(pdev) ? 1 : 0;
		return 0;
	default:
		return -EINVAL;
	}
	*count = n > 0 ? n : 0;
	return 0;
}

/* Caller has set irq_type to -1 again or never changed it. */
static void sluice_msi_free(struct sluice_device *sdev, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct sluice_irq_ctx *ctx = &sdev->irqs[i];

		free_irq(ctx->irq, ctx);
		if (ctx->trigger)
			eventfd_ctx_put(ctx->trigger);
	}
	pci_free_irq_vectors(sdev->pdev);
}

/*
 * Enable n vectors with their triggers already installed, so that no
 * interrupt between request_irq() and the trigger assignment is lost.  On
 * success the references in ctxs belong to the vectors; on failure they
 * still belong to the caller.
 */
static int sluice_msi_enable(struct sluice_device *sdev, unsigned int index,
			     unsigned int n, struct eventfd_ctx **ctxs)
{
	struct pci_dev *pdev = sdev->pdev;
	unsigned int i, j;
	int ret;

	sdev->irqs = sluice_should_fail() ? NULL :
		     kcalloc(n, sizeof(*sdev->irqs), GFP_KERNEL_ACCOUNT);
	if (!sdev->irqs)
		return -ENOMEM;

	ret = sluice_should_fail() ? -ENOMEM :
	      pci_alloc_irq_vectors(pdev, n, n,
				    index == SLUICE_PCI_MSIX_IRQ ?
				    PCI_IRQ_MSIX : PCI_IRQ_MSI);
	if (ret < 0)
		goto err_free;

	for (i = 0; i < n; i++) {
		struct sluice_irq_ctx *ctx = &sdev->irqs[i];

		ctx->irq = pci_irq_vector(pdev, i);
		ctx->trigger = ctxs[i];
		snprintf(ctx->name, sizeof(ctx->name), "sluice-%s[%u](%s)",
			 index == SLUICE_PCI_MSIX_IRQ ? "msix" : "msi", i,
			 pci_name(pdev));
		ret = sluice_should_fail() ? -ENOMEM :
		      request_irq(ctx->irq, sluice_msi_handler, 0, ctx->name,
				  ctx);
		if (ret)
			goto err_irqs;
	}
	sdev->irq_type = index;
	sdev->nr_irqs = n;
	return 0;

err_irqs:
	for (j = 0; j <= i; j++)
		sdev->irqs[j].trigger = NULL;	/* still the caller's */
	sluice_msi_free(sdev, i);
err_free:
	kfree(sdev->irqs);
	sdev->irqs = NULL;
	return ret;
}

/* Same contract as sluice_msi_enable() for the single trigger. */
static int sluice_intx_enable(struct sluice_device *sdev,
			      struct eventfd_ctx *trigger)
{
	struct pci_dev *pdev = sdev->pdev;
	unsigned long irqflags = 0;
	int ret;

	sdev->irqs = sluice_should_fail() ? NULL :
		     kcalloc(1, sizeof(*sdev->irqs), GFP_KERNEL_ACCOUNT);
	if (!sdev->irqs)
		return -ENOMEM;
	snprintf(sdev->irqs[0].name, sizeof(sdev->irqs[0].name),
		 "sluice-intx(%s)", pci_name(pdev));
	sdev->irqs[0].irq = pdev->irq;
	sdev->irqs[0].trigger = trigger;

	/*
	 * Without INTx masking in the device the only way to quiet a level
	 * interrupt is to disable the line, which is not possible on a line
	 * shared with other devices: require it exclusive then.
	 */
	sdev->intx_exclusive = !pci_intx_mask_supported(pdev);
	sdev->intx_masked = false;
	if (!sdev->intx_exclusive)
		irqflags = IRQF_SHARED;
	ret = sluice_should_fail() ? -ENOMEM :
	      request_irq(pdev->irq, sluice_intx_handler, irqflags,
			  sdev->irqs[0].name, sdev);
	if (ret) {
		kfree(sdev->irqs);
		sdev->irqs = NULL;
		return ret == -EBUSY || ret == -EINVAL ? -EBUSY : ret;
	}
	if (!sdev->intx_exclusive)
		pci_intx(pdev, 1);
	sdev->irq_type = SLUICE_PCI_INTX_IRQ;
	sdev->nr_irqs = 1;
	return 0;
}

void sluice_irq_disable_all(struct sluice_device *sdev)
{
	struct pci_dev *pdev = sdev->pdev;

	switch (sdev->irq_type) {
	case SLUICE_PCI_MSI_IRQ:
	case SLUICE_PCI_MSIX_IRQ:
		sluice_msi_free(sdev, sdev->nr_irqs);
		break;
	case SLUICE_PCI_INTX_IRQ:
		if (!sdev->intx_exclusive)
			pci_intx(pdev, 0);
		free_irq(pdev->irq, sdev);
		if (sdev->irqs[0].trigger)
			eventfd_ctx_put(sdev->irqs[0].trigger);
		break;
	default:
		return;
	}
	kfree(sdev->irqs);
	sdev->irqs = NULL;
	sdev->nr_irqs = 0;
	sdev->irq_type = -1;
}

static void sluice_put_triggers(struct eventfd_ctx **ctxs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (ctxs[i])
			eventfd_ctx_put(ctxs[i]);
	kfree(ctxs);
}

/*
 * Resolve n eventfds (-1 = none) before anything changes, so that one bad fd
 * changes nothing.  EBADF: not an fd; EINVAL: not an eventfd or < -1.
 */
static struct eventfd_ctx **sluice_get_triggers(const s32 *fds, unsigned int n)
{
	struct eventfd_ctx **ctxs;
	unsigned int i;

	ctxs = sluice_should_fail() ? NULL : kcalloc(n, sizeof(*ctxs), GFP_KERNEL);
	if (!ctxs)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i < n; i++) {
		struct eventfd_ctx *c;

		if (fds[i] == -1)
			continue;
		c = fds[i] < 0 ? ERR_PTR(-EINVAL) : eventfd_ctx_fdget(fds[i]);
		if (IS_ERR(c)) {
			sluice_put_triggers(ctxs, n);
			return ERR_CAST(c);
		}
		ctxs[i] = c;
	}
	return ctxs;
}

/* Swap the triggers of enabled vectors start..start+n-1; consumes ctxs. */
static void sluice_irq_set_triggers(struct sluice_device *sdev,
				    unsigned int start, unsigned int n,
				    struct eventfd_ctx **ctxs)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct sluice_irq_ctx *ctx = &sdev->irqs[start + i];
		struct eventfd_ctx *old;

		/* disable_irq() waits for a running handler to finish. */
		disable_irq(ctx->irq);
		old = ctx->trigger;
		WRITE_ONCE(ctx->trigger, ctxs[i]);
		enable_irq(ctx->irq);
		if (old)
			eventfd_ctx_put(old);
	}
	kfree(ctxs);
}

/* Swap the INTx trigger; consumes the reference in new. */
static void sluice_intx_set_trigger(struct sluice_device *sdev,
				    struct eventfd_ctx *new)
{
	struct eventfd_ctx *old;
	unsigned long flags;

	spin_lock_irqsave(&sdev->intx_lock, flags);
	old = sdev->irqs[0].trigger;
	WRITE_ONCE(sdev->irqs[0].trigger, new);
	spin_unlock_irqrestore(&sdev->intx_lock, flags);
	/* A handler that read the old pointer ran under intx_lock: done. */
	synchronize_irq(sdev->pdev->irq);
	if (old)
		eventfd_ctx_put(old);
}

static int sluice_intx_mask(struct sluice_device *sdev, bool mask)
{
	struct eventfd_ctx *resignal = NULL;
	unsigned long flags;

	spin_lock_irqsave(&sdev->intx_lock, flags);
	if (mask && !sdev->intx_masked) {
		if (sdev->intx_exclusive)
			disable_irq_nosync(sdev->pdev->irq);
		else
			pci_intx(sdev->pdev, 0);
		sdev->intx_masked = true;
	} else if (!mask && sdev->intx_masked) {
		if (sdev->intx_exclusive) {
			enable_irq(sdev->pdev->irq);
			sdev->intx_masked = false;
		} else if (pci_check_and_unmask_intx(sdev->pdev)) {
			sdev->intx_masked = false;
		} else {
			/* Still asserted: stay masked and tell user space. */
			resignal = sdev->irqs[0].trigger;
		}
	}
	if (resignal)
		sluice_eventfd_signal(resignal);
	spin_unlock_irqrestore(&sdev->intx_lock, flags);
	return 0;
}

/* ---- AER ---- */

/*
 * The AER core found an error on the device (or the link above it) and
 * asks each driver what to do.  The owner's PMD knows the device's state,
 * the kernel does not: tell it through its eventfd, and let the recovery
 * go on (the owner resets through DEVICE_RESET if it wants to), as VFIO
 * does.  A permanent failure is a disconnect.
 */
static pci_ers_result_t sluice_error_detected(struct pci_dev *pdev,
					      pci_channel_state_t state)
{
	struct sluice_device *sdev = pci_get_drvdata(pdev);
	bool told = false;

	if (sdev) {
		spin_lock(&sdev->err_lock);
		if (sdev->err_trigger) {
			sluice_eventfd_signal(sdev->err_trigger);
			told = true;
		}
		spin_unlock(&sdev->err_lock);
	}
	pci_info_ratelimited(pdev, "AER: error detected (channel state %d), %s\n",
			     (int)state, told ? "reported to the owner's eventfd" :
			     "no owner eventfd registered (SLUICE_PCI_ERR_IRQ)");
	return state == pci_channel_io_perm_failure ?
	       PCI_ERS_RESULT_DISCONNECT : PCI_ERS_RESULT_CAN_RECOVER;
}

const struct pci_error_handlers sluice_err_handlers = {
	.error_detected = sluice_error_detected,
};

static void sluice_err_set_trigger(struct sluice_device *sdev,
				   struct eventfd_ctx *new)
{
	struct eventfd_ctx *old;

	spin_lock(&sdev->err_lock);
	old = sdev->err_trigger;
	sdev->err_trigger = new;
	spin_unlock(&sdev->err_lock);
	if (old)
		eventfd_ctx_put(old);
}

/* The owner is gone: nobody to tell any more. */
void sluice_irq_err_release(struct sluice_device *sdev)
{
	sluice_err_set_trigger(sdev, NULL);
}

/* SET_IRQS on SLUICE_PCI_ERR_IRQ: EVENTFD with one fd (-1: none), DISABLE. */
static int sluice_err_irq_set(struct sluice_device *sdev,
			      const struct sluice_irq_set *hdr,
			      unsigned long arg, u32 max)
{
	const size_t minsz = offsetofend(struct sluice_irq_set, count);
	struct eventfd_ctx *new = NULL;
	s32 fd;

	if (hdr->flags == SLUICE_IRQ_SET_DISABLE) {
		if (hdr->count || hdr->start)
			return -EINVAL;
	} else if (hdr->flags == SLUICE_IRQ_SET_EVENTFD) {
		if (!max || hdr->start || hdr->count != 1 ||
		    hdr->argsz < minsz + sizeof(s32))
			return -EINVAL;
		if (get_user(fd, (s32 __user *)(arg + minsz)))
			return -EFAULT;
		if (fd < -1)
			return -EINVAL;
		if (fd >= 0) {
			new = eventfd_ctx_fdget(fd);
			if (IS_ERR(new))
				return PTR_ERR(new);
		}
	} else {
		return -EINVAL;	/* MASK/UNMASK are INTx's */
	}
	sluice_err_set_trigger(sdev, new);
	return 0;
}

int sluice_irq_set(struct sluice_device *sdev, unsigned long arg)
{
	const size_t minsz = offsetofend(struct sluice_irq_set, count);
	struct eventfd_ctx **ctxs;
	struct sluice_irq_set hdr;
	u32 max, action;
	s32 *fds;
	int ret;

	if (copy_from_user(&hdr, (void __user *)arg, minsz))
		return -EFAULT;
	/*
	 * The argsz rules of every other ioctl, with the eventfd array as
	 * part of the structure: too short is EINVAL; longer than the largest
	 * possible structure is E2BIG without reading it; bytes past the
	 * structure are accepted only when zero (E2BIG otherwise).
	 */
	if (hdr.argsz < minsz)
		return -EINVAL;
	if (hdr.argsz > minsz + SLUICE_IRQ_MAX_VECTORS * sizeof(s32))
		return -E2BIG;
	if (hdr.count > SLUICE_IRQ_MAX_VECTORS)
		return -EINVAL;
	if (hdr.argsz > minsz + hdr.count * sizeof(s32)) {
		size_t end = minsz + hdr.count * sizeof(s32);

		ret = check_zeroed_user((void __user *)(arg + end),
					hdr.argsz - end);
		if (ret <= 0)
			return ret ? ret : -E2BIG;
	}
	action = hdr.flags;
	if (!action || (action & ~SLUICE_IRQ_SET_ALL) || hweight32(action) != 1)
		return -EINVAL;
	ret = sluice_irq_info(sdev, hdr.index, &max);
	if (ret)
		return ret;
	if (hdr.index == SLUICE_PCI_ERR_IRQ)
		return sluice_err_irq_set(sdev, &hdr, arg, max);

	if (action != SLUICE_IRQ_SET_EVENTFD) {
		if (hdr.count || hdr.start)
			return -EINVAL;
		if (action == SLUICE_IRQ_SET_DISABLE) {
			if (sdev->irq_type == (int)hdr.index)
				sluice_irq_disable_all(sdev);
			else if (sdev->irq_type != -1)
				return -EINVAL;
			return 0;
		}
		if (hdr.index != SLUICE_PCI_INTX_IRQ ||
		    sdev->irq_type != SLUICE_PCI_INTX_IRQ)
			return -EINVAL;
		return sluice_intx_mask(sdev, action == SLUICE_IRQ_SET_MASK);
	}

	/* SLUICE_IRQ_SET_EVENTFD */
	if (!hdr.count || hdr.count > SLUICE_IRQ_MAX_VECTORS ||
	    hdr.start > max || hdr.count > max - hdr.start)
		return -EINVAL;
	if (hdr.argsz < minsz + hdr.count * sizeof(s32))
		return -EINVAL;
	if (sdev->irq_type != -1 && sdev->irq_type != (int)hdr.index)
		return -EBUSY;
	if (sdev->irq_type == -1 && hdr.start)
		return -EINVAL;
	if (sdev->irq_type != -1 && hdr.start + hdr.count > sdev->nr_irqs)
		return -EINVAL;

	fds = sluice_should_fail() ? ERR_PTR(-ENOMEM) :
	      memdup_user((void __user *)(arg + minsz),
			  hdr.count * sizeof(s32));
	if (IS_ERR(fds))
		return PTR_ERR(fds);
	ctxs = sluice_get_triggers(fds, hdr.count);
	kfree(fds);
	if (IS_ERR(ctxs))
		return PTR_ERR(ctxs);

	if (sdev->irq_type == -1) {
		if (hdr.index == SLUICE_PCI_INTX_IRQ)
			ret = sluice_intx_enable(sdev, ctxs[0]);
		else
			ret = sluice_msi_enable(sdev, hdr.index, hdr.count, ctxs);
		if (ret) {
			sluice_put_triggers(ctxs, hdr.count);
			return ret;
		}
		kfree(ctxs);	/* the references now belong to the vectors */
	} else if (hdr.index == SLUICE_PCI_INTX_IRQ) {
		sluice_intx_set_trigger(sdev, ctxs[0]);
		kfree(ctxs);
	} else {
		sluice_irq_set_triggers(sdev, hdr.start, hdr.count, ctxs);
	}
	return 0;
}
