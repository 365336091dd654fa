/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * t_hostile.c - hostile input: random and boundary values to every ioctl,
 * bad argument pointers, user memory that cannot be pinned, wrong fd types,
 * and concurrent calls from several threads.  Every call must either succeed
 * legitimately or fail with a documented errno; afterwards no pin or
 * mapping may be left behind and the kernel log must hold no WARN, BUG or
 * oops.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vmtest.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static __thread uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	/* xorshift64*: reproducible from the seed printed at the start */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static uint8_t *buf;		/* 64 pages of ordinary memory */
static uint8_t *noaccess;	/* a PROT_NONE page */
static volatile uint8_t *bar;	/* edu BAR0 mmap (VM_PFNMAP) */

static uint64_t pick_u64(void)
{
	static const uint64_t vals[] = {
		0, 1, 0xfff, 0x1000, 0x1001, 0x2000, 0x10000, 0x100000, 0x200000,
		0xfee00000ULL, 0xfeeff000ULL, 0xffffffffULL, 0x100000000ULL,
		0x7ffffffff000ULL, 1ULL << 47, 1ULL << 48, (1ULL << 48) - 4096,
		1ULL << 57, 1ULL << 63, INT64_MAX, UINT64_MAX, UINT64_MAX - 0xfff,
		UINT64_MAX - 0x1fff, 0xffffffff81000000ULL,
	};

	switch (rnd() % 8) {
	case 0: return rnd();
	case 1: return (uintptr_t)buf + (rnd() % 64) * 4096;
	case 2: return (uintptr_t)buf + rnd() % (64 * 4096);
	case 3: return (uintptr_t)noaccess;
	case 4: return bar ? (uintptr_t)bar : 0;
	case 5: return (rnd() % 256) * 4096;
	default: return vals[rnd() % (sizeof(vals) / sizeof(vals[0]))];
	}
}

static uint32_t pick_u32(size_t size)
{
	static const uint32_t vals[] = {
		0, 1, 2, 3, 4, 5, 7, 8, 0xf, 0x10, 0x80000000u, 0xffffffffu, 0x7fffffff,
		4095, 4096, 4097, 65536,
	};

	switch (rnd() % 6) {
	case 0: return (uint32_t)rnd();
	case 1: return (uint32_t)size;
	case 2: return (uint32_t)size + (uint32_t)(rnd() % 16) - 8;
	default: return vals[rnd() % (sizeof(vals) / sizeof(vals[0]))];
	}
}

struct ioc {
	const char *name;
	unsigned long cmd;
	size_t size;
	uint64_t allowed;	/* bit i: errno value i is documented */
};

#define E(x) (1ULL << (x))
#define COMMON (E(EINVAL) | E(EFAULT) | E(E2BIG))

static const struct ioc iocs[] = {
	{ "IOMMU_GET_INFO", SLUICE_IOMMU_GET_INFO, sizeof(struct sluice_iommu_info), COMMON },
	{ "IOMMU_MAP", SLUICE_IOMMU_MAP, sizeof(struct sluice_iommu_map),
	  COMMON | E(ERANGE) | E(EEXIST) | E(ENOSPC) | E(ENOMEM) },
	{ "IOMMU_UNMAP", SLUICE_IOMMU_UNMAP, sizeof(struct sluice_iommu_unmap),
	  COMMON | E(ENOENT) },
	{ "IOMMU_GET_STATS", SLUICE_IOMMU_GET_STATS, sizeof(struct sluice_iommu_stats), COMMON },
	{ "DEVICE_GET_INFO", SLUICE_DEVICE_GET_INFO, sizeof(struct sluice_device_info), COMMON },
	{ "DEVICE_SET_DOMAIN", SLUICE_DEVICE_SET_DOMAIN,
	  sizeof(struct sluice_device_set_domain), COMMON | E(EBADF) | E(EBUSY) | E(ERANGE) },
	{ "DEVICE_UNSET_DOMAIN", SLUICE_DEVICE_UNSET_DOMAIN, 0, E(EPERM) },
	{ "DEVICE_GET_REGION_INFO", SLUICE_DEVICE_GET_REGION_INFO,
	  sizeof(struct sluice_region_info), COMMON | E(EPERM) },
	{ "DEVICE_GET_IRQ_INFO", SLUICE_DEVICE_GET_IRQ_INFO, sizeof(struct sluice_irq_info),
	  COMMON | E(EPERM) },
	{ "DEVICE_SET_IRQS", SLUICE_DEVICE_SET_IRQS, sizeof(struct sluice_irq_set) + 64,
	  COMMON | E(EPERM) | E(EBUSY) | E(EBADF) | E(ENOSPC) },
	{ "DEVICE_RESET", SLUICE_DEVICE_RESET, 0, E(EPERM) | E(ENOTTY) | E(EAGAIN) },
};
#define NIOCS (sizeof(iocs) / sizeof(iocs[0]))

struct fuzz_fds {
	int dom;		/* domain fd */
	int dev_nodom;		/* device fd, never given a domain on purpose */
	int dev;		/* device fd with a domain (may lose it: UNSET) */
	int efd;		/* an eventfd (for SET_IRQS data) */
};

/* Fill an argument buffer: argsz, flags, then random u32/u64 fields. */
static void fuzz_arg(uint8_t *arg, size_t size, const struct fuzz_fds *f)
{
	uint32_t *w = (uint32_t *)arg;

	memset(arg, 0, 4096);
	for (size_t off = 8; off + 8 <= 256; off += 8) {
		uint64_t v = rnd() % 4 ? pick_u64() : 0;

		memcpy(arg + off, &v, 8);
	}
	if (rnd() % 3 == 0) {	/* fd-like 32-bit values for SET_DOMAIN/SET_IRQS */
		int32_t fds[] = { f->dom, f->dev, f->dev_nodom, f->efd, -1, 0, 1, 9999 };

		w[2 + rnd() % 6] = (uint32_t)fds[rnd() % 8];
	}
	if (rnd() % 2) {	/* small index/start/count values */
		w[2 + rnd() % 4] = (uint32_t)(rnd() % 9);
		w[3 + rnd() % 3] = (uint32_t)(rnd() % 4);
	}
	w[0] = pick_u32(size);
	w[1] = rnd() % 3 ? (uint32_t)(rnd() % 4) : pick_u32(size);
}

/*
 * A valid argument for c, then one field (at a random 4- or 8-byte offset)
 * replaced by a boundary value: reaches the checks behind the first ones.
 */
static void template_arg(const struct ioc *c, uint8_t *arg, const struct fuzz_fds *f)
{
	uint32_t *w = (uint32_t *)arg;

	memset(arg, 0, 4096);
	w[0] = (uint32_t)c->size;
	if (c->cmd == SLUICE_IOMMU_MAP || c->cmd == SLUICE_IOMMU_UNMAP) {
		uint64_t k = rnd() % 60, n = 1 + rnd() % 4;
		struct sluice_iommu_map *m = (void *)arg;

		if (c->cmd == SLUICE_IOMMU_MAP) {
			m->flags = 1 + rnd() % 3;
			m->vaddr = (uintptr_t)buf + k * 4096;
			m->iova = 0x100000 + (rnd() % 64) * 4096;
			m->size = n * 4096;
		} else {
			struct sluice_iommu_unmap *u = (void *)arg;

			u->iova = 0x100000 + (rnd() % 64) * 4096;
			u->size = n * 4096;
		}
	} else if (c->cmd == SLUICE_DEVICE_SET_DOMAIN) {
		((struct sluice_device_set_domain *)arg)->domain_fd = f->dom;
	} else if (c->cmd == SLUICE_DEVICE_GET_REGION_INFO) {
		((struct sluice_region_info *)arg)->index = rnd() % 7;
	} else if (c->cmd == SLUICE_DEVICE_GET_IRQ_INFO) {
		((struct sluice_irq_info *)arg)->index = rnd() % 3;
	} else if (c->cmd == SLUICE_DEVICE_SET_IRQS) {
		struct sluice_irq_set *is = (void *)arg;

		is->flags = 1u << (rnd() % 4);
		is->index = rnd() % 3;
		is->count = is->flags == SLUICE_IRQ_SET_EVENTFD ? 1 + rnd() % 2 : 0;
		is->data[0] = f->efd;
		is->data[1] = -1;
		is->argsz = sizeof(*is) + is->count * 4;
	}
	if (rnd() % 4) {	/* mutate one field */
		size_t off = 4 * (rnd() % (c->size / 4 ? c->size / 4 : 1));

		if (off % 8 == 0 && off + 8 <= c->size && rnd() % 2) {
			uint64_t v = pick_u64();

			memcpy(arg + off, &v, 8);
		} else {
			w[off / 4] = pick_u32(c->size);
		}
	}
}

static void *bad_pointer(uint8_t *arg)
{
	switch (rnd() % 5) {
	case 0: return NULL;
	case 1: return (void *)0x1000;
	case 2: return (void *)0xffffffff81000000ULL;
	case 3: return noaccess;
	default:	/* argsz says 64 bytes, the page ends after 4 */
		return arg + 4096 - 4;
	}
}

/* One random call; returns false on an undocumented result. */
static bool fuzz_one(const struct fuzz_fds *f, uint8_t *arg, unsigned long *succ)
{
	const struct ioc *c = &iocs[rnd() % NIOCS];
	int fds[] = { f->dom, f->dev_nodom, f->dev };
	int fd = fds[rnd() % 3];
	bool is_dom_ioc = c->cmd == SLUICE_IOMMU_GET_INFO || c->cmd == SLUICE_IOMMU_MAP ||
			  c->cmd == SLUICE_IOMMU_UNMAP || c->cmd == SLUICE_IOMMU_GET_STATS;
	void *p = arg;
	long r;

	unsigned long cmd = c->cmd;

	if (rnd() % 2)
		template_arg(c, arg, f);
	else
		fuzz_arg(arg, c->size, f);
	if (rnd() % 8 == 0)
		p = bad_pointer(arg);
	if (rnd() % 16 == 0) {
		/* a number that is none of ours: our type with another nr, or
		 * one of ours with size/direction bits, or anything */
		switch (rnd() % 3) {
		case 0: cmd = _IO(SLUICE_IOCTL_TYPE, 7 + rnd() % 0x39); break;
		case 1: cmd = c->cmd | _IOC(_IOC_READ | _IOC_WRITE, 0, 0, 1 + rnd() % 0x3fff); break;
		default: cmd = (uint32_t)rnd(); break;
		}
		r = ioctl(fd, cmd, p);
		if (r == -1 && errno == ENOTTY)
			return true;
		for (size_t i = 0; i < NIOCS; i++)
			if (iocs[i].cmd == (cmd & 0xffffffffUL))
				return true;	/* landed on a real one: fine */
		if (_IOC_TYPE(cmd) != SLUICE_IOCTL_TYPE)
			return true;	/* the VFS's own (FIONBIO, FIGETBSZ...) */
		printf("# undocumented: ioctl 0x%lx -> %ld errno %s\n", cmd, r,
		       strerrorname_np(errno));
		return false;
	}
	r = ioctl(fd, cmd, p);
	if (r == 0) {
		(*succ)++;
		return true;
	}
	if ((fd == f->dom) != is_dom_ioc && errno == ENOTTY)
		return true;	/* wrong kind of fd */
	if (errno < 64 && (c->allowed & E(errno)))
		return true;
	printf("# undocumented: %s on %s fd -> %ld errno %s (argsz %u flags 0x%x)\n",
	       c->name, fd == f->dom ? "domain" : "device", r, strerrorname_np(errno),
	       p == arg ? ((uint32_t *)arg)[0] : 0, p == arg ? ((uint32_t *)arg)[1] : 0);
	return false;
}

static void fuzz(const char *who, const struct fuzz_fds *f, int iterations)
{
	uint8_t *arg = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long succ = 0;
	int bad = 0;

	/* the page after arg is inaccessible: straddling pointers fault */
	mprotect(arg + 4096, 4096, PROT_NONE);
	for (int i = 0; i < iterations; i++)
		bad += !fuzz_one(f, arg, &succ);
	tap_ok(bad == 0, "%s: %d random ioctls, %lu succeeded, %d undocumented results",
	       who, iterations, succ, bad);
	munmap(arg, 2 * 4096);
}

/* Random pread/pwrite/mmap on the device fds. */
static void fuzz_rw(const struct fuzz_fds *f, int iterations)
{
	uint8_t data[256];
	int bad = 0, ok = 0;

	/* the ioctl fuzzer may have unset it */
	set_domain(f->dev, f->dom);
	for (int i = 0; i < iterations; i++) {
		int fd = rnd() % 2 ? f->dev : f->dev_nodom;
		unsigned int region = rnd() % 9;
		uint64_t off = rnd() % 3 ? rnd() % 0x1000 : pick_u64() & ((1ULL << 40) - 1);
		size_t len = rnd() % 3 ? 1 + rnd() % 8 : rnd() % sizeof(data);
		off_t pos = (off_t)(SLUICE_REGION_OFFSET(region) + off);
		ssize_t r;

		if (rnd() % 2)	/* mostly in range: reach the access code */
			off = rnd() % 0x100;
		if (rnd() % 4 == 0) {
			/*
			 * Writes stay away from the edu DMA registers (0x80..0x9f):
			 * a random DMA would be a fault we did not ask for, and an
			 * out-of-range edu transfer aborts QEMU 7.2.
			 */
			if (region == 0 && off < 0xa0 && off + len > 0x80)
				continue;
			if (region == 0 && off >= 0x80 && off < 0x100)
				continue;
			for (size_t k = 0; k < len; k++)
				data[k] = (uint8_t)rnd();
			r = pwrite(fd, data, len, pos);
		} else {
			r = pread(fd, data, len, pos);
		}
		if (r >= 0) {
			ok++;
			continue;
		}
		if (errno != EINVAL && errno != EPERM && errno != EACCES && errno != EIO) {
			printf("# undocumented: %s region %u off 0x%llx len %zu -> %s\n",
			       "pread/pwrite", region, (unsigned long long)off, len,
			       strerrorname_np(errno));
			bad++;
		}
	}
	tap_ok(bad == 0, "%d random pread/pwrite: %d succeeded, %d undocumented errors",
	       iterations, ok, bad);

	bad = ok = 0;
	for (int i = 0; i < iterations / 4; i++) {
		int fd = rnd() % 2 ? f->dev : f->dev_nodom;
		uint64_t off = SLUICE_REGION_OFFSET(rnd() % 9) +
			       (rnd() % 2 ? (rnd() % 300) * 4096 : pick_u64() & ~4095ULL);
		size_t len = (1 + rnd() % 300) * 4096;

		if (rnd() % 2) {	/* inside the edu's 1 MiB BAR0, mostly valid */
			uint64_t pg = rnd() % 256;

			off = SLUICE_REGION_OFFSET(0) + pg * 4096;
			len = (1 + rnd() % (256 - pg + (rnd() % 4 == 0))) * 4096;
		}
		void *p = mmap(NULL, len, PROT_READ, rnd() % 5 ? MAP_SHARED : MAP_PRIVATE, fd,
			       (off_t)(off & ((1ULL << 62) - 1)));

		if (p != MAP_FAILED) {
			ok++;
			munmap(p, len);
		} else if (errno != EINVAL && errno != EPERM && errno != EACCES &&
			   errno != EOVERFLOW && errno != ENOMEM) {
			printf("# undocumented: mmap off 0x%llx len %zu -> %s\n",
			       (unsigned long long)off, len, strerrorname_np(errno));
			bad++;
		}
	}
	tap_ok(bad == 0, "%d random mmaps: %d succeeded, %d undocumented errors", iterations / 4,
	       ok, bad);
}

/* ---- concurrency ---- */

struct race {
	int dom;
	int dev[2];
	volatile int stop;
	unsigned long calls[4], bad[4];
};

struct race_dev {
	struct race *r;
	int dev;
};

/*
 * Thread 0 maps and unmaps in its own IOVA window with scattered pages (one
 * iommu_map() and IOTLB sync per physical run), so nearly every call reaches
 * the IOMMU driver; thread 1 throws overlapping ranges at the whole window.
 */
static void *race_map(void *a)
{
	struct race_dev *rd = a;
	struct race *r = rd->r;
	bool own = rd->dev == 0;

	rng ^= (uintptr_t)pthread_self() | 1;
	while (!r->stop) {
		uint64_t slot = own ? 0 : rnd() % 48, n = 1 + rnd() % 16;
		int ret;

		if (own) {
			ret = dom_map(r->dom, buf + 32 * 4096, 0x100000 + 0x80000, n * 4096,
				      SLUICE_MAP_READ | SLUICE_MAP_WRITE);
			ret |= dom_unmap(r->dom, 0x100000 + 0x80000, n * 4096);
		} else if (rnd() % 2) {
			ret = dom_map(r->dom, buf + slot * 4096, 0x100000 + slot * 4096,
				      n * 4096, SLUICE_MAP_READ | SLUICE_MAP_WRITE);
		} else {
			ret = dom_unmap(r->dom, 0x100000 + slot * 4096, n * 4096);
		}
		__atomic_fetch_add(&r->calls[0], 1, __ATOMIC_RELAXED);
		if (ret && (own || (errno != EEXIST && errno != ENOENT && errno != EINVAL)))
			__atomic_fetch_add(&r->bad[0], 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void *race_stats(void *a)
{
	struct race *r = a;
	struct sluice_iommu_stats st = { 0 };
	struct sluice_iommu_info info;

	while (!r->stop) {
		if (domain_stats(r->dom, &st) || domain_info(r->dom, &info))
			__atomic_fetch_add(&r->bad[2], 1, __ATOMIC_RELAXED);
		if (st.nr_mappings > 64 || st.pinned_pages > 64 * 16)
			__atomic_fetch_add(&r->bad[2], 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&r->calls[2], 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void *race_attach(void *a)
{
	struct race_dev *rd = a;
	struct race *r = rd->r;

	rng ^= (uintptr_t)pthread_self() | 1;
	while (!r->stop) {
		int ret = rnd() % 2 ? set_domain(rd->dev, r->dom) :
				      ioctl(rd->dev, SLUICE_DEVICE_UNSET_DOMAIN);

		if (ret && errno != EBUSY && errno != EPERM)
			__atomic_fetch_add(&r->bad[3], 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&r->calls[3], 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/*
 * MAP/UNMAP in two threads, GET_STATS/GET_INFO in a third, and SET_DOMAIN /
 * UNSET_DOMAIN of a device in a fourth, all on one domain.  The IOMMU
 * driver's map path (IOTLB sync over the domain's IOMMU units) and
 * attach/detach must be serialised by the module: detaching the domain's
 * only device removes the IOMMU unit the map path is walking.
 */
static void races(int dev0, int dev1, int seconds)
{
	struct race r = { .dom = domain_open(), .dev = { dev0, dev1 } };
	struct race_dev rd[2] = { { &r, dev0 }, { &r, dev1 } };
	struct race_dev rm[2] = { { &r, 0 }, { &r, 1 } };
	pthread_t t[4];
	struct sluice_iommu_stats st;
	long pins0 = pins_outstanding();

	pthread_create(&t[0], NULL, race_map, &rm[0]);
	pthread_create(&t[1], NULL, race_map, &rm[1]);
	pthread_create(&t[2], NULL, race_stats, &r);
	pthread_create(&t[3], NULL, race_attach, &rd[1]);
	sleep(seconds);
	r.stop = 1;
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	tap_ok(r.bad[0] == 0 && r.bad[2] == 0 && r.bad[3] == 0,
	       "4 threads for %d s: %lu MAP/UNMAP, %lu STATS/INFO, %lu SET/UNSET_DOMAIN; "
	       "bad results %lu/%lu/%lu", seconds, r.calls[0], r.calls[2],
	       r.calls[3], r.bad[0], r.bad[2], r.bad[3]);
	ioctl(dev0, SLUICE_DEVICE_UNSET_DOMAIN);
	ioctl(dev1, SLUICE_DEVICE_UNSET_DOMAIN);
	dom_unmap(r.dom, 0x100000, 0x100000);
	domain_stats(r.dom, &st);
	tap_ok(st.nr_mappings == 0 && st.pinned_pages == 0 && st.locked_pages == 0 &&
	       st.nr_devices == 0, "after the race and a full UNMAP: counters all zero");
	close(r.dom);
	tap_ok(pins_outstanding() == pins0, "after the race: no pin left (%ld vs %ld)",
	       pins_outstanding(), pins0);
}

/* Two threads racing close() of a dup'ed domain fd against MAP on another dup. */
static void race_close(void)
{
	long pins0 = pins_outstanding();

	for (int i = 0; i < 50; i++) {
		int dom = domain_open(), d2 = dup(dom);
		pid_t pid = fork();

		if (pid == 0) {
			for (int k = 0; k < 16; k++)
				dom_map(d2, buf + k * 4096, 0x100000 + k * 4096, 4096,
					SLUICE_MAP_READ);
			_exit(0);
		}
		close(dom);
		close(d2);
		waitpid(pid, NULL, 0);
	}
	tap_ok(pins_outstanding() == pins0 && debugfs_domains() == 0,
	       "50 rounds of close() racing a child's MAPs: no domain, no pin left");
}

static void wrong_fds(int dev)
{
	int p[2], sv[2], efd, devnull, opath, dom;

	dom = domain_open();
	if (pipe2(p, O_CLOEXEC) || socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return;
	efd = eventfd(0, EFD_CLOEXEC);
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	opath = open(SLUICE_IOMMU_PATH, O_PATH | O_CLOEXEC);

	expect_errno(set_domain(dev, p[1]), EINVAL, "SET_DOMAIN with a pipe");
	expect_errno(set_domain(dev, sv[0]), EINVAL, "SET_DOMAIN with a socket");
	expect_errno(set_domain(dev, efd), EINVAL, "SET_DOMAIN with an eventfd");
	expect_errno(set_domain(dev, devnull), EINVAL, "SET_DOMAIN with /dev/null");
	expect_errno(set_domain(dev, opath), EBADF,
		     "SET_DOMAIN with an O_PATH fd of " SLUICE_IOMMU_PATH);
	expect_errno(set_domain(dev, dev), EINVAL, "SET_DOMAIN with its own fd");
	expect_errno(set_domain(dev, INT32_MAX), EBADF, "SET_DOMAIN with fd INT32_MAX");
	expect_errno(set_domain(dev, INT32_MIN), EBADF, "SET_DOMAIN with fd INT32_MIN");
	expect_errno(ioctl(p[0], SLUICE_IOMMU_MAP, NULL), ENOTTY, "MAP on a pipe");
	expect_errno(ioctl(dom, SLUICE_DEVICE_SET_DOMAIN, NULL), ENOTTY,
		     "SET_DOMAIN number on a domain fd");
	/* user memory that cannot be pinned */
	if (bar)
		expect_errno(dom_map(dom, (void *)bar, 0x100000, 4096, SLUICE_MAP_READ), EFAULT,
			     "MAP of a device BAR mapping (VM_PFNMAP, peer-to-peer)");
	expect_errno(dom_map(dom, noaccess, 0x100000, 4096, SLUICE_MAP_READ), EFAULT,
		     "MAP of a PROT_NONE page");
	expect_errno(dom_map(dom, (void *)0xffffffff81000000ULL, 0x100000, 4096,
			     SLUICE_MAP_READ), EFAULT, "MAP of a kernel address");
	expect_errno(dom_map(dom, (void *)(1ULL << 47), 0x100000, 4096, SLUICE_MAP_READ), EFAULT,
		     "MAP of the first non-canonical address");
	{
		struct sluice_iommu_stats st;

		domain_stats(dom, &st);
		tap_ok(st.nr_mappings == 0 && st.pinned_pages == 0,
		       "nothing pinned after the failed MAPs");
	}
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
	close(efd);
	close(devnull);
	if (opath >= 0)
		close(opath);
	close(dom);
}

/*
 * No unlimited log spam: every kernel message printed since kmsg_fd was
 * opened (at its end), with digits folded so that one call site is one
 * message, may repeat at most as often as printk's rate limit lets a
 * message through in that time (10 per 5 s, plus one burst).  Returns the
 * number of records and the worst repeat count in *worst.
 */
static int kmsg_spam(int kmsg_fd, double seconds, int *worst, char *which, size_t len)
{
	enum { MAXMSG = 256 };
	static char msgs[MAXMSG][160];
	static int counts[MAXMSG];
	char rec[2048];
	int nmsg = 0, records = 0;

	*worst = 0;
	for (;;) {
		ssize_t r = read(kmsg_fd, rec, sizeof(rec) - 1);
		char *m, *d, key[160];
		int i;

		if (r < 0) {
			if (errno == EPIPE)
				continue;
			break;
		}
		rec[r] = 0;
		records++;
		m = strchr(rec, ';');
		m = m ? m + 1 : rec;
		for (d = key; *m && *m != '\n' && d < key + sizeof(key) - 1; m++)
			*d++ = (*m >= '0' && *m <= '9') ? '#' : *m;
		*d = 0;
		for (i = 0; i < nmsg && strcmp(msgs[i], key); i++)
			;
		if (i == nmsg && nmsg < MAXMSG) {
			snprintf(msgs[nmsg], sizeof(msgs[0]), "%s", key);
			counts[nmsg++] = 0;
		}
		if (i < MAXMSG && ++counts[i] > *worst) {
			*worst = counts[i];
			snprintf(which, len, "%s", msgs[i]);
		}
	}
	(void)seconds;
	return records;
}

int test_hostile(void)
{
	struct fuzz_fds f;
	struct edu e;
	long pins0;
	int kmsg_fd, records, worst;
	double t0, secs;
	char which[160] = "";
	int complaints0, iters;
	const char *env = getenv("SLUICE_FUZZ_ITERATIONS");

	/* 70 000 as root + 35 000 as nobody: over 100 000 ioctls in a CI run. */
	iters = env ? atoi(env) : 70000;
	if (getenv("SLUICE_FUZZ_SEED"))
		rng = strtoull(getenv("SLUICE_FUZZ_SEED"), NULL, 0);
	tap_diag("seed 0x%llx, %d iterations", (unsigned long long)rng, iters);
	complaints0 = kernel_complaints();
	pins0 = pins_outstanding();
	kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	lseek(kmsg_fd, 0, SEEK_END);
	/*
	 * A marker of our own: proves the log reader below sees new records.
	 * (It needs its newline: an unterminated record stays open for
	 * continuation and no reader sees it.)
	 */
	sysfs_write("/dev/kmsg", "sluice-vmtest: hostile fuzz starts\n");
	t0 = now_s();

	buf = alloc_pages(64 * 4096);
	noaccess = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (pci_bind(topo.edu0, "sluice-pci") || pci_bind(topo.edu1, "sluice-pci")) {
		tap_ok(false, "bind edu devices");
		return 1;
	}
	f.dom = domain_open();
	f.dev = device_open(topo.edu1);
	f.dev_nodom = device_open(topo.edu0);
	f.efd = eventfd(0, EFD_CLOEXEC);
	if (!tap_ok(f.dom >= 0 && f.dev >= 0 && f.dev_nodom >= 0 && !set_domain(f.dev, f.dom) &&
		    !edu_attach(&e, f.dev), "setup: a domain, edu1 attached, edu0 without domain"))
		return 1;
	bar = e.bar;

	wrong_fds(f.dev_nodom);

	/* root: every path, sizes bounded by the MAP size check or the pin */
	fuzz("root", &f, iters);
	fuzz_rw(&f, iters / 2);

	/* nobody with a small RLIMIT_MEMLOCK, no CAP_IPC_LOCK, same fds */
	{
		pid_t pid = fork();
		int status = -1;

		if (pid == 0) {
			struct rlimit rl = { 8 * 4096, 8 * 4096 };

			if (setrlimit(RLIMIT_MEMLOCK, &rl) || setgid(65534) || setuid(65534))
				_exit(3);
			int f0 = tap_failures();

			fuzz("uid nobody", &f, iters / 2);
			_exit(tap_failures() > f0 ? 1 : 0);
		}
		waitpid(pid, &status, 0);
		tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		       "uid nobody fuzz child exited cleanly (status 0x%x)", status);
	}

	/* clean up whatever the fuzzers managed to map or attach */
	ioctl(f.dev_nodom, SLUICE_DEVICE_UNSET_DOMAIN);
	edu_detach(&e);
	bar = NULL;
	close(f.dev);
	close(f.dev_nodom);
	close(f.dom);
	tap_ok(debugfs_domains() == 0, "after the fuzzers closed everything: no domain left");
	tap_ok(pins_outstanding() == pins0, "after the fuzzers: no pin left (%ld vs %ld)",
	       pins_outstanding(), pins0);
	tap_ok(debugfs_pinned_pages() == 0, "after the fuzzers: debugfs pinned_pages 0 (%ld)",
	       debugfs_pinned_pages());
	secs = now_s() - t0;
	records = kmsg_spam(kmsg_fd, secs, &worst, which, sizeof(which));
	close(kmsg_fd);
	/* printk's rate limit: 10 per 5 s interval, one burst more at the start. */
	tap_ok(records >= 1 && worst <= 10 * ((int)(secs / 5) + 2),
	       "%d ioctls in %.1f s: %d kernel log lines (with our marker), no message more often than the "
	       "rate limit allows (worst %d x '%s')", iters + iters / 2, secs, records, worst,
	       which);

	f.dev = device_open(topo.edu1);
	f.dev_nodom = device_open(topo.edu0);
	races(f.dev_nodom, f.dev, getenv("SLUICE_RACE_SECONDS") ?
	      atoi(getenv("SLUICE_RACE_SECONDS")) : 8);
	close(f.dev);
	close(f.dev_nodom);
	race_close();

	tap_ok(kernel_complaints() == complaints0,
	       "kernel log: no new WARNING/BUG/Oops/Call Trace (%d before, %d after)",
	       complaints0, kernel_complaints());
	munmap(buf, 64 * 4096);
	munmap(noaccess, 4096);
	return 0;
}
