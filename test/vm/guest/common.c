/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * common.c - TAP output, sysfs/procfs readers, sluice fd and edu helpers for
 * the in-guest module tests.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "vmtest.h"

/* Fixed by module-tests.sh / the QEMU command line in meson.build. */
const struct topo topo = {
	.edu0 = "0000:00:04.0",
	.edu1 = "0000:00:05.0",
	.e1000e = "0000:00:02.0",
	.virtio = "0000:00:03.0",
	.br_edu = "0000:01:01.0",
	.br_e1000 = "0000:01:02.0",
	.nvme = "0000:00:06.0",
	.aer_port = "0000:00:09.0",
	.aer_dev = "0000:02:00.0",
};

/* ---- TAP ---- */

static const char *tap_test = "?";
static int tap_n, tap_failed;

void tap_begin(const char *test)
{
	tap_test = test;
	tap_n = 0;
	tap_failed = 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("# ---- %s ----\n", test);
}

static bool tap_vok(bool cond, const char *fmt, va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	tap_n++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - %s: %s\n", cond ? "" : "not ", tap_n, tap_test, msg);
	return cond;
}

bool tap_ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vok(cond, fmt, ap);
	va_end(ap);
	return cond;
}

void tap_skip(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	tap_n++;
	printf("ok %d - %s: %s # SKIP\n", tap_n, tap_test, msg);
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

int tap_failures(void)
{
	return tap_failed;
}

int tap_end(void)
{
	printf("# %s: %d checks, %d failed\n", tap_test, tap_n, tap_failed);
	return tap_failed ? 1 : 0;
}

bool expect_errno(long ret, int err, const char *fmt, ...)
{
	char msg[512];
	bool good = ret == -1 && errno == err;
	int saved = errno;

	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (good)
		return tap_ok(true, "%s -> %s", msg, strerrorname_np(err));
	if (ret == -1)
		return tap_ok(false, "%s -> %s (got %s)", msg, strerrorname_np(err),
			      strerrorname_np(saved) ? strerrorname_np(saved) : "?");
	return tap_ok(false, "%s -> %s (got success, %ld)", msg,
		      strerrorname_np(err), ret);
}

bool expect_ok(long ret, const char *fmt, ...)
{
	char msg[512];
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ret >= 0)
		return tap_ok(true, "%s", msg);
	return tap_ok(false, "%s (got %s)", msg,
		      strerrorname_np(saved) ? strerrorname_np(saved) : "?");
}

/* ---- sysfs, procfs ---- */

int sysfs_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;
	int err;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	err = errno;
	close(fd);
	return n < 0 ? -err : 0;
}

int sysfs_read(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = 0;
	return 0;
}

void pci_driver(const char *addr, char *drv, size_t len)
{
	char path[256], link[256];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", addr);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0) {
		drv[0] = 0;
		return;
	}
	link[n] = 0;
	{
		const char *base = strrchr(link, '/') ? strrchr(link, '/') + 1 : link;
		size_t bl = strlen(base);

		if (bl >= len)
			bl = len - 1;
		memcpy(drv, base, bl);
		drv[bl] = 0;
	}
}

int pci_bind(const char *addr, const char *drv)
{
	char path[256], cur[64];

	pci_driver(addr, cur, sizeof(cur));
	if (drv && !strcmp(cur, drv))
		return 0;
	if (cur[0]) {
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind", addr);
		if (sysfs_write(path, addr))
			return -1;
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver_override", addr);
	if (sysfs_write(path, drv ? drv : "\n"))
		return -1;
	if (!drv)
		return 0;
	/* drivers_probe fails when the probe does; the link tells for sure. */
	sysfs_write("/sys/bus/pci/drivers_probe", addr);
	pci_driver(addr, cur, sizeof(cur));
	return strcmp(cur, drv) ? -1 : 0;
}

int pci_command(const char *addr)
{
	uint16_t cmd;

	if (pci_config_read(addr, &cmd, 2, 4))
		return -1;
	return cmd == 0xffff ? -1 : cmd;
}

int pci_config_read(const char *addr, void *buf, size_t len, off_t off)
{
	char path[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", addr);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = pread(fd, buf, len, off);
	close(fd);
	return n == (ssize_t)len ? 0 : -EIO;
}

int pci_cap_find(const uint8_t cfg[256], uint8_t id)
{
	int pos, guard = 48;	/* a looped list must not hang us */

	if (!(cfg[6] & 0x10))	/* status: capabilities list */
		return 0;
	for (pos = cfg[0x34] & ~3; pos && guard--; pos = cfg[pos + 1] & ~3)
		if (cfg[pos] == id)
			return pos;
	return 0;
}

int pci_iommu_group(const char *addr)
{
	char path[256], link[256];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", addr);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -1;
	link[n] = 0;
	return atoi(strrchr(link, '/') + 1);
}

static long read_keyed(const char *file, const char *key)
{
	char line[256];
	size_t kl = strlen(key);
	long v = -1;
	FILE *f = fopen(file, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, kl) && (line[kl] == ' ' || line[kl] == ':' ||
						line[kl] == '\t')) {
			v = strtol(line + kl + 1 + strspn(line + kl + 1, " \t"), NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

long pins_outstanding(void)
{
	/*
	 * The counters are per-node with per-CPU deltas folded in lazily;
	 * stat_refresh folds them now so that the difference is exact.
	 */
	sysfs_write("/proc/sys/vm/stat_refresh", "1");
	long a = read_keyed("/proc/vmstat", "nr_foll_pin_acquired");
	long r = read_keyed("/proc/vmstat", "nr_foll_pin_released");

	return a < 0 || r < 0 ? -1 : a - r;
}

long vmlck_kb(void)
{
	return read_keyed("/proc/self/status", "VmLck");
}

long vmpin_kb(void)
{
	return read_keyed("/proc/self/status", "VmPin");
}

long debugfs_pinned_pages(void)
{
	char v[32];

	if (sysfs_read("/sys/kernel/debug/sluice/pinned_pages", v, sizeof(v)))
		return -1;
	return strtol(v, NULL, 10);
}

int fail_nth_arm(int n)
{
	char v[16];

	snprintf(v, sizeof(v), "%d", n);
	return sysfs_write("/sys/kernel/debug/sluice/fail_nth", v);
}

int fail_nth_left(void)
{
	char v[16];

	if (sysfs_read("/sys/kernel/debug/sluice/fail_nth", v, sizeof(v)))
		return -1;
	return atoi(v);
}

int kernel_complaints(void)
{
	static const char *const bad[] = {
		"WARNING:", "BUG:", "kernel BUG", "Oops", "Call Trace", "general protection",
		"UBSAN", "KASAN", "refcount_t",
	};
	int n = 0;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		n += kmsg_count(bad[i]);
	return n;
}

uint64_t virt_to_phys(const void *va)
{
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);
	off_t off = (off_t)((uintptr_t)va / 4096) * 8;

	if (fd < 0)
		return 0;
	if (pread(fd, &e, 8, off) != 8)
		e = 0;
	close(fd);
	if (!(e >> 63))
		return 0;
	return (e & ((1ULL << 55) - 1)) * 4096 + ((uintptr_t)va & 4095);
}

int debugfs_domains(void)
{
	char line[512];
	int n = 0;
	FILE *f = fopen("/sys/kernel/debug/sluice/domains", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n += !strncmp(line, "domain ", 7);
	fclose(f);
	return n;
}

int debugfs_domain_line(unsigned int id, char *buf, size_t len)
{
	char line[512], want[32];
	FILE *f = fopen("/sys/kernel/debug/sluice/domains", "r");
	int found = 0;

	if (!f)
		return 0;
	snprintf(want, sizeof(want), "domain %u ", id);
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, want, strlen(want))) {
			line[strcspn(line, "\n")] = 0;
			snprintf(buf, len, "%s", line);
			found = 1;
			break;
		}
	}
	fclose(f);
	return found;
}

int kmsg_count(const char *needle)
{
	char rec[2048];
	int n = 0;
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);

	if (fd < 0)
		return -1;
	for (;;) {
		ssize_t r = read(fd, rec, sizeof(rec) - 1);

		if (r < 0) {
			if (errno == EPIPE)	/* overwritten record: go on */
				continue;
			break;		/* EAGAIN: end of the buffer */
		}
		rec[r] = 0;
		if (strstr(rec, needle))
			n++;
	}
	close(fd);
	return n;
}

/* ---- SIGBUS probe ---- */

static sigjmp_buf probe_jmp;

static void probe_sigbus(int sig)
{
	(void)sig;
	siglongjmp(probe_jmp, 1);
}

bool read_faults(const volatile void *p)
{
	struct sigaction sa = { .sa_handler = probe_sigbus }, old;
	volatile bool faulted = false;

	sigaction(SIGBUS, &sa, &old);
	if (!sigsetjmp(probe_jmp, 1))
		(void)*(const volatile uint32_t *)p;
	else
		faulted = true;
	sigaction(SIGBUS, &old, NULL);
	return faulted;
}

/* ---- sluice fds ---- */

int domain_open(void)
{
	return open(SLUICE_IOMMU_PATH, O_RDWR | O_CLOEXEC);
}

int device_open(const char *addr)
{
	char path[128];

	snprintf(path, sizeof(path), SLUICE_DEV_DIR "/%s", addr);
	return open(path, O_RDWR | O_CLOEXEC);
}

int domain_stats(int dom, struct sluice_iommu_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->argsz = sizeof(*st);
	return ioctl(dom, SLUICE_IOMMU_GET_STATS, st);
}

int domain_info(int dom, struct sluice_iommu_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	return ioctl(dom, SLUICE_IOMMU_GET_INFO, info);
}

int dom_map(int dom, void *va, uint64_t iova, uint64_t size, uint32_t flags)
{
	struct sluice_iommu_map m = {
		.argsz = sizeof(m), .flags = flags,
		.vaddr = (uintptr_t)va, .iova = iova, .size = size,
	};

	return ioctl(dom, SLUICE_IOMMU_MAP, &m);
}

int dom_unmap(int dom, uint64_t iova, uint64_t size)
{
	struct sluice_iommu_unmap u = {
		.argsz = sizeof(u), .iova = iova, .size = size,
	};

	return ioctl(dom, SLUICE_IOMMU_UNMAP, &u);
}

int set_domain(int dev, int dom)
{
	struct sluice_device_set_domain sd = {
		.argsz = sizeof(sd), .domain_fd = dom,
	};

	return ioctl(dev, SLUICE_DEVICE_SET_DOMAIN, &sd);
}

int irqs_set(int dev, uint32_t flags, uint32_t index, uint32_t start, uint32_t count,
	     const int32_t *fds)
{
	char buf[sizeof(struct sluice_irq_set) + 64 * sizeof(int32_t)];
	struct sluice_irq_set *s = (void *)buf;

	if (count > 64)
		return -1;
	memset(buf, 0, sizeof(buf));
	s->argsz = sizeof(*s) + count * sizeof(int32_t);
	s->flags = flags;
	s->index = index;
	s->start = start;
	s->count = count;
	if (count)
		memcpy(s->data, fds, count * sizeof(int32_t));
	return ioctl(dev, SLUICE_DEVICE_SET_IRQS, s);
}

void *alloc_pages(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	memset(p, 0, size);
	return p;
}

void *alloc_hugepage(void)
{
	void *p = mmap(NULL, 2u << 20, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_POPULATE,
		       -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* ---- edu ---- */

void edu_write64(struct edu *e, unsigned int reg, uint64_t v)
{
	*(volatile uint64_t *)(e->bar + reg) = v;
}

uint64_t edu_read64(struct edu *e, unsigned int reg)
{
	return *(volatile uint64_t *)(e->bar + reg);
}

uint32_t edu_read32(struct edu *e, unsigned int reg)
{
	return *(volatile uint32_t *)(e->bar + reg);
}

void edu_write32(struct edu *e, unsigned int reg, uint32_t v)
{
	*(volatile uint32_t *)(e->bar + reg) = v;
}

int edu_attach(struct edu *e, int devfd)
{
	struct sluice_region_info ri = {
		.argsz = sizeof(ri), .index = SLUICE_PCI_BAR0_REGION,
	};
	void *p;

	e->fd = devfd;
	e->bar = NULL;
	if (ioctl(devfd, SLUICE_DEVICE_GET_REGION_INFO, &ri))
		return -errno;
	if (!(ri.flags & SLUICE_REGION_FLAG_MMAP))
		return -EINVAL;
	p = mmap(NULL, ri.size, PROT_READ | PROT_WRITE, MAP_SHARED, devfd,
		 (off_t)ri.offset);
	if (p == MAP_FAILED)
		return -errno;
	e->bar = p;
	e->bar_len = ri.size;
	if (edu_read32(e, EDU_REG_ID) != 0x010000ed) {
		edu_detach(e);
		return -ENXIO;
	}
	/*
	 * SET_DOMAIN leaves bus mastering off; the owner turns it on once the
	 * device is in a known state.  The edu has no DMA running unless
	 * told to, so that is now.
	 */
	if (edu_master(e, true)) {
		edu_detach(e);
		return -EIO;
	}
	return 0;
}

int edu_master(struct edu *e, bool on)
{
	off_t off = (off_t)SLUICE_REGION_OFFSET(SLUICE_PCI_CONFIG_REGION) + 0x04;
	uint16_t cmd;

	if (pread(e->fd, &cmd, 2, off) != 2)
		return -EIO;
	cmd = on ? (uint16_t)(cmd | 0x4) : (uint16_t)(cmd & ~0x4);
	return pwrite(e->fd, &cmd, 2, off) == 2 ? 0 : -EIO;
}

void edu_detach(struct edu *e)
{
	if (e->bar)
		munmap((void *)e->bar, e->bar_len);
	e->bar = NULL;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The edu model runs a DMA from a timer 100 ms (virtual time) after the
 * command register is written; RUN clears when it is done.
 */
int edu_dma(struct edu *e, uint64_t src, uint64_t dst, uint32_t cnt,
	    bool to_ram, int timeout_ms)
{
	uint64_t end = now_ms() + timeout_ms;

	edu_write64(e, EDU_REG_DMA_SRC, src);
	edu_write64(e, EDU_REG_DMA_DST, dst);
	edu_write64(e, EDU_REG_DMA_CNT, cnt);
	edu_write64(e, EDU_REG_DMA_CMD, EDU_DMA_RUN | (to_ram ? EDU_DMA_TO_RAM : 0));
	while (edu_read64(e, EDU_REG_DMA_CMD) & EDU_DMA_RUN) {
		if (now_ms() > end)
			return -ETIMEDOUT;
		usleep(2000);
	}
	return 0;
}

void expect_dmar_fault(uint64_t iova, uint64_t len)
{
	printf("SLUICE-EXPECT-DMAR-FAULT: addr=0x%llx len=0x%llx\n",
	       (unsigned long long)iova, (unsigned long long)len);
}
