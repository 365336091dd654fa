/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One IOMMU context per process: a sluice domain or a VFIO type1 container.
 * See sl_iommu.h.  The table of mappings is kept here (in libc memory: the
 * memory callback runs under the heap lock and may not use sl_malloc), so
 * that close can unmap exactly what was mapped and duplicates are ignored.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/vfio.h>

#include <sys/resource.h>

#include "sl_iommu.h"
#include "sl_log.h"
#include "sluice.h"
#include "eal_private.h"

#define VFIO_CONTAINER_PATH "/dev/vfio/vfio"
#define IOMMU_CB_NAME "sl_iommu"

struct iommu_map {
	uintptr_t va;
	sl_iova_t iova;
	size_t len;
};

static struct {
	pthread_mutex_t lock;
	enum sl_iommu_type type;
	int fd;
	unsigned int refcnt;
	int enabled;          /* memory mapped + callback registered */
	uint64_t min_pgsize;  /* smallest IOMMU page (sluice) */
	struct iommu_map *maps;
	unsigned int nb_maps;
	unsigned int cap_maps;
} iommu = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.fd = -1,
};

/* ---- kernel calls (lock held) ---------------------------------------- */

static int
kmap(const void *va, sl_iova_t iova, size_t len)
{
	if (iommu.type == SL_IOMMU_SLUICE) {
		struct sluice_iommu_map m = {
			.argsz = sizeof(m),
			.flags = SLUICE_MAP_READ | SLUICE_MAP_WRITE,
			.vaddr = (uintptr_t)va,
			.iova = iova,
			.size = len,
		};
		if (ioctl(iommu.fd, SLUICE_IOMMU_MAP, &m) < 0)
			return -errno;
		return 0;
	}
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)va,
		.iova = iova,
		.size = len,
	};
	if (ioctl(iommu.fd, VFIO_IOMMU_MAP_DMA, &m) < 0)
		return -errno;
	return 0;
}

static int
kunmap(sl_iova_t iova, size_t len)
{
	if (iommu.type == SL_IOMMU_SLUICE) {
		struct sluice_iommu_unmap u = {
			.argsz = sizeof(u),
			.iova = iova,
			.size = len,
		};
		if (ioctl(iommu.fd, SLUICE_IOMMU_UNMAP, &u) < 0)
			return -errno;
		return 0;
	}
	struct vfio_iommu_type1_dma_unmap u = {
		.argsz = sizeof(u),
		.iova = iova,
		.size = len,
	};
	if (ioctl(iommu.fd, VFIO_IOMMU_UNMAP_DMA, &u) < 0)
		return -errno;
	return 0;
}

/* ---- mapping table (lock held) ---------------------------------------- */

static int
find_map(sl_iova_t iova)
{
	for (unsigned int i = 0; i < iommu.nb_maps; i++)
		if (iommu.maps[i].iova == iova)
			return (int)i;
	return -1;
}

static int
map_locked(const void *va, sl_iova_t iova, size_t len)
{
	int idx, ret;

	if (iommu.fd < 0 || len == 0)
		return -EINVAL;
	if (iommu.min_pgsize &&
	    (((uintptr_t)va | iova | len) & (iommu.min_pgsize - 1)) != 0) {
		SL_LOG(ERR, IOMMU, "range VA %p IOVA 0x%" PRIx64 " len %zu is not aligned to the "
		       "IOMMU page size %" PRIu64, va, iova, len, iommu.min_pgsize);
		return -EINVAL;
	}
	idx = find_map(iova);
	if (idx >= 0) {
		if (iommu.maps[idx].va == (uintptr_t)va && iommu.maps[idx].len == len)
			return 0; /* told twice (callback + walk race): fine */
		SL_LOG(ERR, IOMMU, "IOVA 0x%" PRIx64 " is already mapped to another range", iova);
		return -EEXIST;
	}
	if (iommu.nb_maps == iommu.cap_maps) {
		unsigned int cap = iommu.cap_maps ? iommu.cap_maps * 2 : 64;
		struct iommu_map *m = realloc(iommu.maps, cap * sizeof(*m));
		if (m == NULL)
			return -ENOMEM;
		iommu.maps = m;
		iommu.cap_maps = cap;
	}
	ret = kmap(va, iova, len);
	if (ret < 0) {
		struct rlimit rl = { 0, 0 };
		char lim[96] = "";

		if (ret == -ENOMEM && getrlimit(RLIMIT_MEMLOCK, &rl) == 0) {
			if (rl.rlim_cur == RLIM_INFINITY)
				snprintf(lim, sizeof(lim), " (RLIMIT_MEMLOCK is unlimited: out of "
					 "memory)");
			else
				snprintf(lim, sizeof(lim), " (RLIMIT_MEMLOCK is %llu KiB)",
					 (unsigned long long)rl.rlim_cur >> 10);
		}
		SL_LOG(ERR, IOMMU, "cannot map %zu bytes at VA %p IOVA 0x%" PRIx64 ": %s%s%s", len,
		       va, iova, strerror(-ret), lim,
		       ret != -ENOMEM ? "" : eal_launch_active() ?
		       "; raise the memory-lock limit: sluice-launch --memlock SIZE (at least "
		       "the hugepage memory the application reserves, -m), or --memlock "
		       "unlimited" :
		       "; raise RLIMIT_MEMLOCK: ulimit -l unlimited, or run with CAP_IPC_LOCK");
		return ret;
	}
	iommu.maps[iommu.nb_maps++] = (struct iommu_map){ (uintptr_t)va, iova, len };
	return 0;
}

static int
unmap_locked(sl_iova_t iova)
{
	int idx = find_map(iova);
	int ret;

	if (idx < 0)
		return -ENOENT;
	ret = kunmap(iova, iommu.maps[idx].len);
	if (ret < 0)
		SL_LOG(WARNING, IOMMU, "unmap of IOVA 0x%" PRIx64 " failed: %s", iova, strerror(-ret));
	iommu.maps[idx] = iommu.maps[--iommu.nb_maps];
	return ret;
}

static void
unmap_all_locked(void)
{
	while (iommu.nb_maps > 0)
		unmap_locked(iommu.maps[iommu.nb_maps - 1].iova);
	free(iommu.maps);
	iommu.maps = NULL;
	iommu.cap_maps = 0;
}

/* ---- memory walking and events ---------------------------------------- */

static int
map_seg(const struct sl_memseg *ms, void *arg)
{
	(void)arg;
	if (ms->iova == SL_BAD_IOVA) {
		SL_LOG(ERR, IOMMU, "memory segment at %p has no IOVA; cannot map it", ms->addr);
		return -EINVAL;
	}
	return map_locked(ms->addr, ms->iova, ms->len);
}

static void
mem_event(enum sl_mem_event ev, const void *addr, size_t len, void *arg)
{
	(void)arg;
	pthread_mutex_lock(&iommu.lock);
	if (iommu.enabled) {
		if (ev == SL_MEM_EVENT_ALLOC) {
			sl_iova_t iova = sl_mem_virt2iova(addr);
			if (iova != SL_BAD_IOVA)
				map_locked(addr, iova, len);
		} else {
			/* Look the mapping up by VA: the segment may be
			 * half torn down, so do not ask the EAL for its IOVA. */
			for (unsigned int i = 0; i < iommu.nb_maps; i++) {
				if (iommu.maps[i].va == (uintptr_t)addr) {
					unmap_locked(iommu.maps[i].iova);
					break;
				}
			}
		}
	}
	pthread_mutex_unlock(&iommu.lock);
}

static int
enable_locked(void)
{
	int ret;

	if (iommu.enabled)
		return 0;
	if (sl_eal_iova_mode() != SL_IOVA_VA)
		SL_LOG(NOTICE, IOMMU, "IOVA mode is PA: mapping segments at their physical addresses");
	/* Register first, then walk: a segment added in between is seen by
	 * both, which map_locked() tolerates (see sl_memory.h). */
	ret = sl_mem_event_callback_register(IOMMU_CB_NAME, mem_event, NULL);
	if (ret < 0 && ret != -EEXIST)
		return ret;
	iommu.enabled = 1;
	ret = sl_memseg_walk(map_seg, NULL);
	if (ret < 0) {
		iommu.enabled = 0;
		sl_mem_event_callback_unregister(IOMMU_CB_NAME, NULL);
		unmap_all_locked();
		return ret;
	}
	SL_LOG(DEBUG, IOMMU, "%u memory segments mapped", iommu.nb_maps);
	return 0;
}

/* ---- opening --------------------------------------------------------- */

/*
 * The domain sluice-launch handed over (already checked by the EAL), or the
 * error when fds were handed over but no usable domain is among them: then
 * the node must not be opened, the process has no right to it.
 */
static int
take_launch_domain(void)
{
	int fd = eal_launch_take_domain();

	if (fd == -ENOENT)
		SL_LOG(ERR, IOMMU, "no domain fd was handed over with the device fds: give "
		       "--domain-fd, or start the application through sluice-launch");
	else if (fd == -EALREADY)
		SL_LOG(ERR, IOMMU, "the domain fd handed over by sluice-launch was closed "
		       "(every device was closed); it cannot be reopened without privilege: "
		       "restart the application through sluice-launch");
	return fd;
}

static int
open_sluice(void)
{
	struct sluice_iommu_info info = { .argsz = sizeof(info) };
	int fd;

	if (eal_launch_active()) {
		fd = take_launch_domain();
		if (fd < 0)
			return fd;
	} else {
		fd = open(SLUICE_IOMMU_PATH, O_RDWR | O_CLOEXEC);
	}
	if (fd < 0) {
		int err = errno;
		if (err == ENOENT)
			SL_LOG(ERR, IOMMU, "%s does not exist: load the module (modprobe sluice, or "
			       "insmod sluice.ko)", SLUICE_IOMMU_PATH);
		else if (err == EACCES || err == EPERM)
			SL_LOG(ERR, IOMMU, "no permission to open %s: run as root or give your user "
			       "access to the node (chgrp/chmod, see doc/kernel-module.md)",
			       SLUICE_IOMMU_PATH);
		else if (err == ENODEV)
			/* From Linux 6.11 the module makes a domain for a
			 * bound device's IOMMU (doc/kernel-module.md). */
			SL_LOG(ERR, IOMMU, "cannot open %s: %s: no device is bound to sluice-pci "
			       "(from Linux 6.11 a domain is made for a bound device's IOMMU); "
			       "bind the devices first (sluice-devbind --bind=sluice-pci ADDR...)",
			       SLUICE_IOMMU_PATH, strerror(err));
		else
			SL_LOG(ERR, IOMMU, "cannot open %s: %s", SLUICE_IOMMU_PATH, strerror(err));
		return -err;
	}
	if (ioctl(fd, SLUICE_IOMMU_GET_INFO, &info) < 0) {
		int err = errno;
		SL_LOG(ERR, IOMMU, "SLUICE_IOMMU_GET_INFO failed: %s", strerror(err));
		close(fd);
		return -err;
	}
	if (info.version != SLUICE_API_VERSION) {
		SL_LOG(ERR, IOMMU, "sluice module speaks API version %u, this library %u: rebuild "
		       "and load the module from this tree", info.version, SLUICE_API_VERSION);
		close(fd);
		return -ENOTSUP;
	}
	iommu.min_pgsize = info.pgsize_bitmap ? info.pgsize_bitmap & -info.pgsize_bitmap : 4096;
	iommu.fd = fd;
	return 0;
}

static int
open_vfio(void)
{
	int fd = open(VFIO_CONTAINER_PATH, O_RDWR | O_CLOEXEC);
	int ver;

	if (fd < 0) {
		int err = errno;
		if (err == ENOENT)
			SL_LOG(ERR, IOMMU, "%s does not exist: modprobe vfio-pci vfio_iommu_type1",
			       VFIO_CONTAINER_PATH);
		else
			SL_LOG(ERR, IOMMU, "cannot open %s: %s", VFIO_CONTAINER_PATH, strerror(err));
		return -err;
	}
	ver = ioctl(fd, VFIO_GET_API_VERSION);
	if (ver != VFIO_API_VERSION) {
		SL_LOG(ERR, IOMMU, "VFIO API version %d, expected %d", ver, VFIO_API_VERSION);
		close(fd);
		return -ENOTSUP;
	}
	if (ioctl(fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU) <= 0) {
		SL_LOG(ERR, IOMMU, "VFIO has no type1 IOMMU support: modprobe vfio_iommu_type1, "
		       "and check that the IOMMU is on (intel_iommu=on or amd_iommu=on, "
		       "/sys/kernel/iommu_groups not empty)");
		close(fd);
		return -ENOTSUP;
	}
	iommu.min_pgsize = 4096; /* type1 maps at page granularity */
	iommu.fd = fd;
	return 0;
}

int
sl_iommu_open(enum sl_iommu_type type)
{
	int ret = 0;

	if (type != SL_IOMMU_SLUICE && type != SL_IOMMU_VFIO) {
		SL_LOG(ERR, IOMMU, "bad IOMMU type %d", type);
		return -EINVAL;
	}
	pthread_mutex_lock(&iommu.lock);
	if (iommu.refcnt > 0) {
		if (iommu.type != type) {
			SL_LOG(ERR, IOMMU, "cannot mix sluice-pci and vfio-pci devices in one process: "
			       "bind all devices to the same driver");
			ret = -EBUSY;
		} else {
			iommu.refcnt++;
		}
		goto out;
	}
	ret = type == SL_IOMMU_SLUICE ? open_sluice() : open_vfio();
	if (ret < 0)
		goto out;
	iommu.type = type;
	/* sluice: memory is mapped once a device is attached
	 * (sl_iommu_sluice_device_attached()). */
	iommu.refcnt = 1;
out:
	pthread_mutex_unlock(&iommu.lock);
	return ret;
}

int
sl_iommu_vfio_group_added(void)
{
	int ret;

	pthread_mutex_lock(&iommu.lock);
	if (iommu.type != SL_IOMMU_VFIO || iommu.fd < 0) {
		ret = -EINVAL;
		goto out;
	}
	if (iommu.enabled) {
		ret = 0;
		goto out;
	}
	if (ioctl(iommu.fd, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU) < 0) {
		ret = -errno;
		SL_LOG(ERR, IOMMU, "VFIO_SET_IOMMU(TYPE1) failed: %s", strerror(-ret));
		goto out;
	}
	ret = enable_locked();
out:
	pthread_mutex_unlock(&iommu.lock);
	return ret;
}

int
sl_iommu_sluice_device_attached(void)
{
	int ret;

	pthread_mutex_lock(&iommu.lock);
	if (iommu.type != SL_IOMMU_SLUICE || iommu.fd < 0)
		ret = -EINVAL;
	else
		ret = enable_locked();
	pthread_mutex_unlock(&iommu.lock);
	return ret;
}

int
sl_iommu_close(void)
{
	pthread_mutex_lock(&iommu.lock);
	if (iommu.refcnt == 0) {
		pthread_mutex_unlock(&iommu.lock);
		return -EINVAL;
	}
	if (--iommu.refcnt == 0) {
		if (iommu.enabled)
			sl_mem_event_callback_unregister(IOMMU_CB_NAME, NULL);
		iommu.enabled = 0;
		unmap_all_locked();
		close(iommu.fd);
		iommu.fd = -1;
		iommu.type = SL_IOMMU_NONE;
	}
	pthread_mutex_unlock(&iommu.lock);
	return 0;
}

int
sl_iommu_fd(void)
{
	return iommu.fd;
}

enum sl_iommu_type
sl_iommu_type(void)
{
	return iommu.type;
}

int
sl_iommu_map(const void *va, sl_iova_t iova, size_t len)
{
	int ret;

	pthread_mutex_lock(&iommu.lock);
	ret = map_locked(va, iova, len);
	pthread_mutex_unlock(&iommu.lock);
	return ret;
}

int
sl_iommu_unmap(sl_iova_t iova)
{
	int ret;

	pthread_mutex_lock(&iommu.lock);
	ret = iommu.fd < 0 ? -ENOENT : unmap_locked(iova);
	pthread_mutex_unlock(&iommu.lock);
	return ret;
}

unsigned int
sl_iommu_mapping_count(void)
{
	unsigned int n;

	pthread_mutex_lock(&iommu.lock);
	n = iommu.nb_maps;
	pthread_mutex_unlock(&iommu.lock);
	return n;
}
