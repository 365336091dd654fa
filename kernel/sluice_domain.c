// SPDX-License-Identifier: GPL-2.0
/*
 * sluice_domain.c - /dev/sluice/iommu: every open creates an IOMMU domain.
 *
 * "Create a user-iommu-domain driver - opening it will give a new empty
 * domain ... If someone closes the fd while in use, the domain stays valid
 * anyway until users drop off." (Tom Lyon, LKML, June 2010).  Mappings are
 * programmed here, on the domain, and shared by every device attached to it
 * ("mappings are programmed at the domain and shared by multiple devices",
 * Michael S. Tsirkin in the same thread), which also keeps the pinning of
 * user pages in one place.
 *
 * Lifetime: the domain is refcounted (sluice_domain.kref).  The fd holds one
 * reference and every attached device one more.  The last put unmaps every
 * mapping, unpins its pages and returns the RLIMIT_MEMLOCK charge to the
 * user that paid it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/debugfs.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/sched/mm.h>
#include <linux/sched/user.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "sluice_compat.h"
#include "sluice_internal.h"

/* Pages pinned per pin_user_pages_fast() call; bounds latency per step. */
#define SLUICE_PIN_CHUNK	4096UL

static DEFINE_MUTEX(sluice_domains_lock);	/* sluice_domains, debugfs */
static LIST_HEAD(sluice_domains);
static DEFINE_IDA(sluice_domain_ida);

static struct cdev sluice_iommu_cdev;
static struct device sluice_iommu_dev;
static bool sluice_iommu_dev_added;

static const struct file_operations sluice_domain_fops;

/* ---- page pinning and RLIMIT_MEMLOCK accounting ---- */

/* Pages pinned by the module right now, all domains (debugfs pinned_pages). */
static atomic64_t sluice_pinned_total = ATOMIC64_INIT(0);

/*
 * Charge the pins to the mapping user's locked_vm, the counter iommufd,
 * io_uring and RDMA share, checked against the caller's RLIMIT_MEMLOCK.
 * Pins live as long as the domain, not as long as the process that made
 * them (fork, fd passing, exit): a charge on the mm would vanish with the
 * mm while the pins stay, and a chain of short-lived processes could pin
 * without bound.  The user outlives them all, so the limit holds for the
 * pins that exist.  CAP_IPC_LOCK lifts the limit, but the pages are still
 * counted, as mlock() does.  The process also sees its pins as VmPin
 * (mm->pinned_vm, what iommufd and io_uring report), not VmLck: the pages
 * are pinned, not mlocked, and mlock()'s own limit on mm->locked_vm must
 * not count them a second time.  See doc/kernel-module.md, "Accounting".
 */
static int sluice_charge(struct sluice_mapping *m)
{
	struct user_struct *user = current_user();
	unsigned long limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	long cur = atomic_long_read(&user->locked_vm), new;

	do {
		if (check_add_overflow(cur, (long)m->npages, &new))
			return -ENOMEM;
		if ((unsigned long)new > limit && !capable(CAP_IPC_LOCK))
			return -ENOMEM;
	} while (!atomic_long_try_cmpxchg(&user->locked_vm, &cur, new));
	m->user = get_uid(user);
	m->mm = current->mm;
	mmgrab(m->mm);
	atomic64_add(m->npages, &m->mm->pinned_vm);
	m->charged = true;
	return 0;
}

/*
 * Return the charge to the user and mm that paid it, not to current's: the
 * pins may be dropped by another process (fd passing, the last device
 * detaching) or after the mapping process exited.  The references taken at
 * charge time keep both objects, so this works in every case.
 */
static void sluice_uncharge(struct sluice_mapping *m)
{
	if (!m->charged)
		return;
	atomic_long_sub(m->npages, &m->user->locked_vm);
	free_uid(m->user);
	atomic64_sub(m->npages, &m->mm->pinned_vm);
	mmdrop(m->mm);
	m->user = NULL;
	m->mm = NULL;
	m->charged = false;
}

static void sluice_unpin(struct sluice_mapping *m, unsigned long npinned)
{
	/* Device writes went behind the CPU's back: tell the VM. */
	unpin_user_pages_dirty_lock(m->pages, npinned,
				    !!(m->prot & IOMMU_WRITE));
	atomic64_sub(npinned, &sluice_pinned_total);
}

static int sluice_pin(struct sluice_mapping *m, unsigned long *npinned)
{
	unsigned long done = 0;

	while (done < m->npages) {
		unsigned long n = min(m->npages - done, SLUICE_PIN_CHUNK);
		int got;

		if (fatal_signal_pending(current)) {
			*npinned = done;
			return -EINTR;
		}
		/*
		 * FOLL_LONGTERM: the device holds the pages indefinitely, so
		 * they must not sit in ZONE_MOVABLE/CMA or fs-DAX.  FOLL_WRITE
		 * even for read-only mappings: it breaks copy-on-write now,
		 * so the device never keeps a page the process no longer sees.
		 */
		got = sluice_should_fail() ? -ENOMEM :
		      pin_user_pages_fast(m->vaddr + (done << PAGE_SHIFT), n,
					  FOLL_WRITE | FOLL_LONGTERM,
					  m->pages + done);
		if (got <= 0) {
			*npinned = done;
			return got ? got : -EFAULT;
		}
		atomic64_add(got, &sluice_pinned_total);
		done += got;
		cond_resched();
	}
	*npinned = done;
	return 0;
}

/*
 * Map the pinned pages, one iommu_map() per physically contiguous run so that
 * hugepages end up as large IOMMU pages.  On failure *mapped says how many
 * bytes from the start are mapped and must be unmapped.
 */
static int sluice_iommu_map_pages(struct sluice_domain *dom,
				  struct sluice_mapping *m, u64 *mapped)
{
	unsigned long i = 0;

	*mapped = 0;
	while (i < m->npages) {
		unsigned long pfn = page_to_pfn(m->pages[i]);
		unsigned long j = i + 1;
		int ret;

		while (j < m->npages && page_to_pfn(m->pages[j]) == pfn + (j - i))
			j++;
		ret = sluice_should_fail() ? -ENOMEM :
		      sluice_iommu_map(dom->domain,
				       m->node.start + ((u64)i << PAGE_SHIFT),
				       PFN_PHYS(pfn), (j - i) << PAGE_SHIFT,
				       m->prot);
		if (ret)
			return ret;
		*mapped = (u64)j << PAGE_SHIFT;
		i = j;
		cond_resched();
	}
	return 0;
}

/* Undo a complete mapping.  Caller holds dom->lock and unlinked it. */
static void sluice_mapping_destroy(struct sluice_domain *dom,
				   struct sluice_mapping *m)
{
	size_t unmapped = iommu_unmap(dom->domain, m->node.start, m->size);

	/*
	 * iommu_unmap() has flushed the IOTLB when it returns, so no DMA can
	 * reach the pages any more when they are unpinned below.
	 */
	if (unmapped != m->size)
		pr_err("domain %u: unmapped %zu of %llu bytes at iova 0x%llx\n",
		       dom->id, unmapped, m->size,
		       (unsigned long long)m->node.start);
	sluice_unpin(m, m->npages);
	if (m->charged)
		dom->locked_pages -= m->npages;
	sluice_uncharge(m);
	dom->nr_mappings--;
	dom->pinned_pages -= m->npages;
	dom->mapped_bytes -= m->size;
	kvfree(m->pages);
	kfree(m);
}

/* ---- domain object ---- */

static void sluice_domain_release(struct kref *kref)
{
	struct sluice_domain *dom = container_of(kref, struct sluice_domain, kref);
	struct interval_tree_node *n;

	mutex_lock(&sluice_domains_lock);
	list_del(&dom->link);
	mutex_unlock(&sluice_domains_lock);

	/* No device is attached (each held a reference): just tear down. */
	mutex_lock(&dom->lock);
	while ((n = interval_tree_iter_first(&dom->mappings, 0, ULONG_MAX))) {
		struct sluice_mapping *m = container_of(n, struct sluice_mapping, node);

		interval_tree_remove(n, &dom->mappings);
		sluice_mapping_destroy(dom, m);
	}
	mutex_unlock(&dom->lock);

	iommu_domain_free(dom->domain);
	ida_free(&sluice_domain_ida, dom->id);
	mutex_destroy(&dom->lock);
	kfree(dom);
	module_put(THIS_MODULE);
}

void sluice_domain_put(struct sluice_domain *dom)
{
	kref_put(&dom->kref, sluice_domain_release);
}

/*
 * Resolve a domain fd passed to SET_DOMAIN.  The f_op check is what makes
 * the fd trustworthy: any other file (another driver's, a regular file, a
 * device fd of ours) is rejected with EINVAL.  Returns a new reference.
 */
struct sluice_domain *sluice_domain_get_from_fd(int fd)
{
	struct sluice_domain *dom;
	struct file *f = fget(fd);

	if (!f)
		return ERR_PTR(-EBADF);
	if (f->f_op != &sluice_domain_fops) {
		fput(f);
		return ERR_PTR(-EINVAL);
	}
	dom = f->private_data;
	kref_get(&dom->kref);
	fput(f);
	return dom;
}

static struct device *sluice_domain_alloc_dev(void)
{
#if SLUICE_DOMAIN_ALLOC_NEEDS_DEV
	struct sluice_device *sdev;

	/* The domain is allocated for the IOMMU of the first bound device. */
	sdev = list_first_entry_or_null(&sluice_bound_devices,
					struct sluice_device, bound_link);
	return sdev ? &sdev->pdev->dev : NULL;
#else
	return NULL;
#endif
}

static int sluice_domain_open(struct inode *inode, struct file *filp)
{
	struct sluice_domain *dom;
	struct iommu_domain *idom;
	struct device *adev;
	int ret;

	dom = kzalloc(sizeof(*dom), GFP_KERNEL_ACCOUNT);
	if (!dom)
		return -ENOMEM;

	mutex_lock(&sluice_bound_lock);
	adev = sluice_domain_alloc_dev();
	if (SLUICE_DOMAIN_ALLOC_NEEDS_DEV && !adev)
		idom = ERR_PTR(-ENODEV);
	else
		idom = sluice_iommu_domain_alloc(adev);
	mutex_unlock(&sluice_bound_lock);
	if (SLUICE_DOMAIN_ALLOC_NEEDS_DEV && !adev) {
		ret = -ENODEV;
		pr_info_ratelimited("cannot allocate an IOMMU domain: no device is bound to sluice-pci, and from Linux 6.11 a domain is made for the IOMMU of a bound device; bind one first (sluice-devbind --bind=sluice-pci ADDR), then open %s\n",
				    SLUICE_IOMMU_PATH);
		goto err_free;
	}
	if (IS_ERR(idom)) {
		ret = PTR_ERR(idom);
		pr_info_ratelimited("cannot allocate an IOMMU domain (%d): is the IOMMU enabled (intel_iommu=on / amd_iommu=on)?\n",
				    ret);
		goto err_free;
	}

	ret = ida_alloc(&sluice_domain_ida, GFP_KERNEL);
	if (ret < 0)
		goto err_idom;

	dom->id = ret;
	dom->domain = idom;
	kref_init(&dom->kref);
	mutex_init(&dom->lock);
	dom->mappings = RB_ROOT_CACHED;
	INIT_LIST_HEAD(&dom->devices);
	dom->max_mappings = READ_ONCE(sluice_max_mappings);
	dom->creator_pid = task_tgid_vnr(current);
	get_task_comm(dom->creator_comm, current);

	/* Domains can outlive their fd; keep the module while one exists. */
	__module_get(THIS_MODULE);

	mutex_lock(&sluice_domains_lock);
	list_add_tail(&dom->link, &sluice_domains);
	mutex_unlock(&sluice_domains_lock);

	filp->private_data = dom;
	return 0;

err_idom:
	iommu_domain_free(idom);
err_free:
	kfree(dom);
	return ret;
}

static int sluice_domain_fd_release(struct inode *inode, struct file *filp)
{
	sluice_domain_put(filp->private_data);
	return 0;
}

/* Smallest page the IOMMU maps, but never below the CPU page we pin. */
static u64 sluice_domain_align(struct sluice_domain *dom)
{
	u64 bitmap = dom->domain->pgsize_bitmap;
	u64 min = bitmap ? 1ULL << __ffs64(bitmap) : PAGE_SIZE;

	return max_t(u64, min, PAGE_SIZE);
}

static void sluice_domain_aperture(struct sluice_domain *dom, u64 *start,
				   u64 *end)
{
	const struct iommu_domain_geometry *g = &dom->domain->geometry;

	if (g->force_aperture) {
		*start = g->aperture_start;
		*end = g->aperture_end;
	} else {
		*start = 0;
		*end = ULONG_MAX;
	}
}

/*
 * Reserved IOVA ranges (iommu_get_group_resv_regions): on x86 the interrupt
 * window 0xfee00000-0xfeefffff, where a DMA write is an interrupt request and
 * never reaches memory, plus firmware-mandated direct mappings.  A mapping
 * there would silently not work, so MAP refuses it (ERANGE), as VFIO does.
 * Returns 1 and the region's bounds if [start, last] hits one, 0 if not, or
 * a negative errno.
 */
static int sluice_resv_hit(struct iommu_group *group, u64 start, u64 last,
			   struct sluice_domain *dom, u64 *rstart, u64 *rlast)
{
	struct iommu_resv_region *r, *tmp;
	LIST_HEAD(regions);
	int ret, hit = 0;

	ret = iommu_get_group_resv_regions(group, &regions);
	list_for_each_entry_safe(r, tmp, &regions, list) {
		u64 rs = r->start, rl = r->start + r->length - 1;

		if (!hit && r->length && !ret &&
		    (dom ? interval_tree_iter_first(&dom->mappings, rs, rl) != NULL :
			   (start <= rl && rs <= last))) {
			hit = 1;
			*rstart = rs;
			*rlast = rl;
		}
		list_del(&r->list);
		kfree(r);
	}
	return ret ? ret : hit;
}

/* Is [start, last] clear of the reserved ranges of every attached group? */
static int sluice_domain_check_resv(struct sluice_domain *dom, u64 start,
				    u64 last)
{
	struct sluice_device *sdev;

	lockdep_assert_held(&dom->lock);
	list_for_each_entry(sdev, &dom->devices, domain_link) {
		u64 rs, rl;
		int ret = sluice_resv_hit(sdev->group->group, start, last, NULL,
					  &rs, &rl);

		if (ret < 0)
			return ret;
		if (ret)
			return -ERANGE;
	}
	return 0;
}

/*
 * Before a group joins the domain: no existing mapping may sit in one of its
 * reserved ranges.  Called by SET_DOMAIN with dom->lock held.
 */
int sluice_domain_check_group(struct sluice_domain *dom,
			      struct iommu_group *group)
{
	u64 rs, rl;
	int ret;

	lockdep_assert_held(&dom->lock);
	ret = sluice_resv_hit(group, 0, 0, dom, &rs, &rl);
	if (ret < 0)
		return ret;
	if (ret) {
		pr_err_ratelimited("domain %u maps IOVAs in [0x%llx, 0x%llx], reserved by IOMMU group %d\n",
		       dom->id, rs, rl, iommu_group_id(group));
		return -ERANGE;
	}
	return 0;
}

/*
 * Highest IOVA the domain has ever mapped; false if it never mapped any.
 * Not the highest mapped now: IOMMU drivers size the domain's page tables
 * for the highest address they have seen (VT-d's max_addr) and do not
 * shrink on unmap, so that is what an attach is checked against.  Caller
 * holds dom->lock.
 */
bool sluice_domain_iova_hwm(struct sluice_domain *dom, u64 *last)
{
	lockdep_assert_held(&dom->lock);
	if (!dom->nr_mappings && !dom->iova_hwm)
		return false;
	*last = dom->iova_hwm;
	return true;
}

/* ---- ioctls ---- */

static long sluice_ioctl_get_info(struct sluice_domain *dom, unsigned long arg)
{
	struct sluice_iommu_info info;
	int ret;

	ret = sluice_copy_arg_in(&info, sizeof(info),
				 offsetofend(struct sluice_iommu_info, version),
				 arg);
	if (ret)
		return ret;
	if (info.flags)
		return -EINVAL;

	mutex_lock(&dom->lock);
	info.pgsize_bitmap = dom->domain->pgsize_bitmap;
	sluice_domain_aperture(dom, &info.aperture_start, &info.aperture_end);
	info.max_mappings = dom->max_mappings;
	mutex_unlock(&dom->lock);
	info.version = SLUICE_API_VERSION;
	return sluice_copy_arg_out(arg, &info, sizeof(info));
}

/* Shared checks of MAP and UNMAP: alignment, zero size, wrap-around. */
static int sluice_check_range(struct sluice_domain *dom, u64 iova, u64 size,
			      u64 *last)
{
	u64 align = sluice_domain_align(dom);
	u64 end;

	if (!size || (iova | size) & (align - 1))
		return -EINVAL;
	if (check_add_overflow(iova, size, &end))
		return -EINVAL;
	*last = end - 1;
	return 0;
}

/*
 * Can m go into the domain now?  Aperture, the reserved ranges of the
 * attached groups, overlap and the mapping cap.  Caller holds dom->lock.
 */
static int sluice_map_check(struct sluice_domain *dom,
			    const struct sluice_mapping *m)
{
	u64 ap_start, ap_end;
	int ret;

	lockdep_assert_held(&dom->lock);
	sluice_domain_aperture(dom, &ap_start, &ap_end);
	if (m->node.start < ap_start || m->node.last > ap_end)
		return -ERANGE;
	ret = sluice_domain_check_resv(dom, m->node.start, m->node.last);
	if (ret)
		return ret;
	if (interval_tree_iter_first(&dom->mappings, m->node.start,
				     m->node.last))
		return -EEXIST;
	if (dom->nr_mappings >= dom->max_mappings)
		return -ENOSPC;
	return 0;
}

static long sluice_ioctl_map(struct sluice_domain *dom, unsigned long arg)
{
	struct sluice_iommu_map map;
	struct sluice_mapping *m;
	unsigned long npinned = 0;
	u64 last, vend, mapped = 0;
	int ret;

	ret = sluice_copy_arg_in(&map, sizeof(map),
				 offsetofend(struct sluice_iommu_map, size), arg);
	if (ret)
		return ret;
	if (!map.flags || (map.flags & ~SLUICE_MAP_FLAGS_ALL))
		return -EINVAL;
	ret = sluice_check_range(dom, map.iova, map.size, &last);
	if (ret)
		return ret;
	if (map.vaddr & (sluice_domain_align(dom) - 1) ||
	    check_add_overflow(map.vaddr, map.size, &vend))
		return -EINVAL;
	/* The page array must be allocatable: reject absurd sizes early. */
	if ((map.size >> PAGE_SHIFT) > INT_MAX / sizeof(struct page *))
		return -ENOMEM;

	m = sluice_should_fail() ? NULL :
	    kzalloc(sizeof(*m), GFP_KERNEL_ACCOUNT);
	if (!m)
		return -ENOMEM;
	m->node.start = map.iova;
	m->node.last = last;
	m->vaddr = map.vaddr;
	m->size = map.size;
	m->npages = map.size >> PAGE_SHIFT;
	m->prot = IOMMU_CACHE;
	if (map.flags & SLUICE_MAP_READ)
		m->prot |= IOMMU_READ;
	if (map.flags & SLUICE_MAP_WRITE)
		m->prot |= IOMMU_WRITE;

	/* A MAP that cannot go in fails before it pins anything. */
	mutex_lock(&dom->lock);
	ret = sluice_map_check(dom, m);
	mutex_unlock(&dom->lock);
	if (ret)
		goto err_free;

	ret = sluice_charge(m);
	if (ret)
		goto err_free;

	/* RETRY_MAYFAIL: a huge request fails with ENOMEM, not the OOM killer. */
	m->pages = sluice_should_fail() ? NULL :
		   kvcalloc(m->npages, sizeof(*m->pages),
			    GFP_KERNEL_ACCOUNT | __GFP_NOWARN |
			    __GFP_RETRY_MAYFAIL);
	if (!m->pages) {
		ret = -ENOMEM;
		goto err_uncharge;
	}

	/*
	 * Pin without dom->lock: faulting the pages in can take as long as
	 * the memory behind them needs (swap, userfaultfd, a 1 GiB range in a
	 * slow guest), and the lock is what UNMAP, GET_STATS, attach and
	 * detach (device release, unbind) wait for.
	 */
	ret = sluice_pin(m, &npinned);
	if (ret)
		goto err_unpin;

	/*
	 * Check again, now for good: another MAP of an overlapping range, or
	 * an attach bringing new reserved ranges, may have come in while we
	 * pinned.  The check and the insert share one critical section, so
	 * of two overlapping MAPs exactly one succeeds; the other gives its
	 * pins back.
	 */
	mutex_lock(&dom->lock);
	ret = sluice_map_check(dom, m);
	if (ret)
		goto err_unlock;

	ret = sluice_iommu_map_pages(dom, m, &mapped);
	if (ret)
		goto err_unmap;

	interval_tree_insert(&m->node, &dom->mappings);
	dom->nr_mappings++;
	dom->pinned_pages += m->npages;
	dom->mapped_bytes += m->size;
	dom->locked_pages += m->npages;
	dom->iova_hwm = max(dom->iova_hwm, last);
	mutex_unlock(&dom->lock);
	return 0;

err_unmap:
	if (mapped)
		iommu_unmap(dom->domain, map.iova, mapped);
err_unlock:
	mutex_unlock(&dom->lock);
err_unpin:
	if (npinned)
		sluice_unpin(m, npinned);
	kvfree(m->pages);
err_uncharge:
	sluice_uncharge(m);
err_free:
	kfree(m);
	return ret;
}

static long sluice_ioctl_unmap(struct sluice_domain *dom, unsigned long arg)
{
	struct sluice_iommu_unmap unmap;
	struct interval_tree_node *n, *next;
	u64 last, total = 0;
	int ret;

	ret = sluice_copy_arg_in(&unmap, sizeof(unmap),
				 offsetofend(struct sluice_iommu_unmap, size),
				 arg);
	if (ret)
		return ret;
	if (unmap.flags)
		return -EINVAL;
	ret = sluice_check_range(dom, unmap.iova, unmap.size, &last);
	if (ret)
		return ret;

	mutex_lock(&dom->lock);
	/*
	 * First pass: refuse ranges that cut a mapping.  Splitting would need
	 * partial unpinning and a partial IOMMU unmap that may not match the
	 * page sizes used to map, so the rule is all-or-nothing per mapping.
	 */
	n = interval_tree_iter_first(&dom->mappings, unmap.iova, last);
	if (!n) {
		ret = -ENOENT;
		goto out;
	}
	for (; n; n = interval_tree_iter_next(n, unmap.iova, last)) {
		if (n->start < unmap.iova || n->last > last) {
			ret = -EINVAL;
			goto out;
		}
	}
	/* Second pass: remove. */
	n = interval_tree_iter_first(&dom->mappings, unmap.iova, last);
	while (n) {
		struct sluice_mapping *m = container_of(n, struct sluice_mapping, node);

		next = interval_tree_iter_next(n, unmap.iova, last);
		interval_tree_remove(n, &dom->mappings);
		total += m->size;
		sluice_mapping_destroy(dom, m);
		n = next;
	}
	unmap.size = total;
	ret = 0;
out:
	mutex_unlock(&dom->lock);
	if (!ret)
		ret = sluice_copy_arg_out(arg, &unmap, sizeof(unmap));
	return ret;
}

static long sluice_ioctl_get_stats(struct sluice_domain *dom, unsigned long arg)
{
	struct sluice_iommu_stats st;
	int ret;

	ret = sluice_copy_arg_in(&st, sizeof(st),
				 offsetofend(struct sluice_iommu_stats, reserved),
				 arg);
	if (ret)
		return ret;
	if (st.flags || st.reserved)
		return -EINVAL;

	mutex_lock(&dom->lock);
	st.nr_mappings = dom->nr_mappings;
	st.nr_devices = dom->nr_devices;
	st.pinned_pages = dom->pinned_pages;
	st.mapped_bytes = dom->mapped_bytes;
	st.locked_pages = dom->locked_pages;
	mutex_unlock(&dom->lock);
	st.id = dom->id;
	return sluice_copy_arg_out(arg, &st, sizeof(st));
}

static long sluice_domain_ioctl(struct file *filp, unsigned int cmd,
				unsigned long arg)
{
	struct sluice_domain *dom = filp->private_data;

	switch (cmd) {
	case SLUICE_IOMMU_GET_INFO:
		return sluice_ioctl_get_info(dom, arg);
	case SLUICE_IOMMU_MAP:
	case SLUICE_IOMMU_UNMAP:
		/* Pinning and mapping change the domain: not on a read-only fd. */
		if (!(filp->f_mode & FMODE_WRITE))
			return -EBADF;
		return cmd == SLUICE_IOMMU_MAP ? sluice_ioctl_map(dom, arg) :
						 sluice_ioctl_unmap(dom, arg);
	case SLUICE_IOMMU_GET_STATS:
		return sluice_ioctl_get_stats(dom, arg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations sluice_domain_fops = {
	.owner = THIS_MODULE,
	.open = sluice_domain_open,
	.release = sluice_domain_fd_release,
	.unlocked_ioctl = sluice_domain_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

/* ---- debugfs: /sys/kernel/debug/sluice/domains ---- */

static int sluice_domains_show(struct seq_file *s, void *unused)
{
	struct sluice_domain *dom;

	mutex_lock(&sluice_domains_lock);
	list_for_each_entry(dom, &sluice_domains, link) {
		struct interval_tree_node *n;
		struct sluice_device *sdev;

		mutex_lock(&dom->lock);
		seq_printf(s, "domain %u creator %d (%s) refs %u devices %u mappings %u pinned_pages %llu mapped_bytes %llu locked_pages %llu\n",
			   dom->id, dom->creator_pid, dom->creator_comm,
			   kref_read(&dom->kref), dom->nr_devices,
			   dom->nr_mappings, dom->pinned_pages,
			   dom->mapped_bytes, dom->locked_pages);
		list_for_each_entry(sdev, &dom->devices, domain_link)
			seq_printf(s, "  device %s\n", pci_name(sdev->pdev));
		for (n = interval_tree_iter_first(&dom->mappings, 0, ULONG_MAX);
		     n; n = interval_tree_iter_next(n, 0, ULONG_MAX)) {
			struct sluice_mapping *m =
				container_of(n, struct sluice_mapping, node);

			seq_printf(s, "  map iova 0x%llx size 0x%llx vaddr 0x%llx pages %lu %c%c\n",
				   (unsigned long long)n->start, m->size,
				   m->vaddr, m->npages,
				   m->prot & IOMMU_READ ? 'r' : '-',
				   m->prot & IOMMU_WRITE ? 'w' : '-');
		}
		mutex_unlock(&dom->lock);
	}
	mutex_unlock(&sluice_domains_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sluice_domains);

/* /sys/kernel/debug/sluice/pinned_pages: every pin the module holds. */
static int sluice_pinned_get(void *data, u64 *val)
{
	*val = atomic64_read(&sluice_pinned_total);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(sluice_pinned_fops, sluice_pinned_get, NULL, "%llu\n");

/* ---- init/exit ---- */

static void sluice_iommu_dev_release(struct device *dev)
{
	/* static object: nothing to free */
}

int sluice_domain_init(void)
{
	int ret;

	cdev_init(&sluice_iommu_cdev, &sluice_domain_fops);
	sluice_iommu_cdev.owner = THIS_MODULE;

	device_initialize(&sluice_iommu_dev);
	sluice_iommu_dev.class = sluice_class;
	sluice_iommu_dev.type = &sluice_devtype;
	sluice_iommu_dev.devt = MKDEV(MAJOR(sluice_devt), 0);
	sluice_iommu_dev.release = sluice_iommu_dev_release;
	ret = dev_set_name(&sluice_iommu_dev, "iommu");
	if (ret)
		goto err_put;
	ret = cdev_device_add(&sluice_iommu_cdev, &sluice_iommu_dev);
	if (ret)
		goto err_put;
	sluice_iommu_dev_added = true;

	debugfs_create_file("domains", 0400, sluice_debugfs_root, NULL,
			    &sluice_domains_fops);
	debugfs_create_file_unsafe("pinned_pages", 0400, sluice_debugfs_root,
				   NULL, &sluice_pinned_fops);
	return 0;

err_put:
	put_device(&sluice_iommu_dev);
	return ret;
}

void sluice_domain_exit(void)
{
	if (sluice_iommu_dev_added)
		cdev_device_del(&sluice_iommu_cdev, &sluice_iommu_dev);
	put_device(&sluice_iommu_dev);
	sluice_iommu_dev_added = false;
	ida_destroy(&sluice_domain_ida);
}
