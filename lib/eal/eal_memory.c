/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EAL memory: hugepage files, per-socket virtual windows, the memseg
 * table, IOVA translation and memory event callbacks.
 *
 * Each NUMA socket gets a window of address space reserved PROT_NONE at
 * start.  Memory is added to a window from its low end, chunk by chunk:
 * one hugetlbfs file "<prefix>map_<n>" per chunk, its pages allocated
 * with fallocate() under an MPOL_BIND policy for the socket (so a missing
 * page is an ENOSPC error, never a SIGBUS on first touch), then mapped
 * MAP_SHARED|MAP_FIXED into the window.  Consecutive chunks are thus
 * virtually contiguous and the heap can merge them.
 *
 * Each file is flock()ed for as long as the process lives; a file whose
 * lock can be taken belongs to a dead process and is removed at start.
 * A lock on "<prefix>.lock" keeps two live processes off one prefix.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <numa.h>
#include <numaif.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sl_log.h"
#include "sl_memory.h"
#include "eal_private.h"

#define EAL_MAX_MEMSEGS 8192
#define EAL_MAX_MEM_CALLBACKS 16
/* Smallest growth with 4 KiB pages, so --no-huge does not create one
 * segment per small allocation. */
#define EAL_MIN_GROW (2u << 20)

struct mem_window {
	void *raw;       /* mmap()ed area, unaligned */
	size_t raw_len;
	char *base;      /* page-aligned start */
	size_t len;      /* usable bytes from base */
	size_t used;     /* bytes mapped from base */
	size_t limit;    /* most bytes that may be mapped (== len) */
};

struct mem_file {
	int fd;
	char path[PATH_MAX];
};

struct mem_callback {
	char name[32];
	sl_mem_event_callback_t *cb;
	void *arg;
};

static struct {
	int active;
	int no_huge;
	enum sl_iova_mode iova_mode;
	size_t pgsz;
	char huge_dir[PATH_MAX - 128];
	char prefix[64];
	int lock_fd;
	char lock_path[PATH_MAX];
	unsigned int next_file;
	struct mem_file *files;
	unsigned int nfiles;
	unsigned int files_cap;
	struct mem_window win[EAL_MAX_SOCKETS];
	pid_t pid;
	int pagemap_fd;
} mem = {.lock_fd = -1, .pagemap_fd = -1, .iova_mode = SL_IOVA_VA};

/* Serialises reservations; taken inside a heap lock. */
static pthread_mutex_t mem_lock = PTHREAD_MUTEX_INITIALIZER;

/* Entries below memseg_count are immutable until eal_memory_cleanup();
 * the count is published with release order after the entry is written,
 * so lock-free readers (virt2iova) see only complete entries. */
static struct sl_memseg memsegs[EAL_MAX_MEMSEGS];
static unsigned int memseg_count;

static pthread_rwlock_t cb_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct mem_callback callbacks[EAL_MAX_MEM_CALLBACKS];
static unsigned int ncallbacks;

/* ---- queries ---------------------------------------------------------- */

enum sl_iova_mode
sl_eal_iova_mode(void)
{
	return mem.iova_mode;
}

int
sl_eal_has_hugepages(void)
{
	return mem.active && !mem.no_huge;
}

size_t
sl_eal_hugepage_size(void)
{
	return mem.active ? mem.pgsz : 0;
}

const char *
sl_eal_huge_dir(void)
{
	return mem.active && !mem.no_huge ? mem.huge_dir : NULL;
}

size_t
sl_eal_mem_reserved(int socket)
{
	size_t sum = 0;

	if (!mem.active)
		return 0;
	/* Lock-free (callbacks may call it while a reservation holds
	 * mem_lock); each window's figure is read atomically. */
	for (int s = 0; s < EAL_MAX_SOCKETS; s++)
		if (socket == SL_SOCKET_ID_ANY || socket == s)
			sum += __atomic_load_n(&mem.win[s].used, __ATOMIC_RELAXED);
	return sum;
}

unsigned int
sl_memseg_count(void)
{
	return __atomic_load_n(&memseg_count, __ATOMIC_ACQUIRE);
}

int
sl_memseg_walk(int (*fn)(const struct sl_memseg *ms, void *arg), void *arg)
{
	unsigned int n = sl_memseg_count();
	int ret;

	if (fn == NULL)
		return -EINVAL;
	for (unsigned int i = 0; i < n; i++) {
		ret = fn(&memsegs[i], arg);
		if (ret != 0)
			return ret;
	}
	return 0;
}

sl_iova_t
sl_mem_virt2iova(const void *va)
{
	unsigned int n = sl_memseg_count();
	uintptr_t a = (uintptr_t)va;

	for (unsigned int i = 0; i < n; i++) {
		const struct sl_memseg *ms = &memsegs[i];

		if (a >= (uintptr_t)ms->addr && a - (uintptr_t)ms->addr < ms->len)
			return ms->iova + (a - (uintptr_t)ms->addr);
	}
	errno = EFAULT;
	return SL_BAD_IOVA;
}

void *
sl_mem_iova2virt(sl_iova_t iova)
{
	unsigned int n = sl_memseg_count();

	for (unsigned int i = 0; i < n; i++) {
		const struct sl_memseg *ms = &memsegs[i];

		if (iova >= ms->iova && iova - ms->iova < ms->len)
			return (char *)ms->addr + (iova - ms->iova);
	}
	errno = EFAULT;
	return NULL;
}

/* ---- callbacks -------------------------------------------------------- */

int
sl_mem_event_callback_register(const char *name, sl_mem_event_callback_t *cb, void *arg)
{
	int ret = 0;

	if (name == NULL || name[0] == '\0' || cb == NULL)
		return -EINVAL;
	pthread_rwlock_wrlock(&cb_lock);
	for (unsigned int i = 0; i < ncallbacks; i++)
		if (strcmp(callbacks[i].name, name) == 0 && callbacks[i].arg == arg) {
			ret = -EEXIST;
			goto out;
		}
	if (ncallbacks == EAL_MAX_MEM_CALLBACKS) {
		ret = -ENOSPC;
		goto out;
	}
	snprintf(callbacks[ncallbacks].name, sizeof(callbacks[0].name), "%s", name);
	callbacks[ncallbacks].cb = cb;
	callbacks[ncallbacks].arg = arg;
	ncallbacks++;
out:
	pthread_rwlock_unlock(&cb_lock);
	return ret;
}

int
sl_mem_event_callback_unregister(const char *name, void *arg)
{
	int ret = -ENOENT;

	if (name == NULL)
		return -EINVAL;
	pthread_rwlock_wrlock(&cb_lock);
	for (unsigned int i = 0; i < ncallbacks; i++)
		if (strcmp(callbacks[i].name, name) == 0 && callbacks[i].arg == arg) {
			memmove(&callbacks[i], &callbacks[i + 1],
				(ncallbacks - i - 1) * sizeof(callbacks[0]));
			ncallbacks--;
			ret = 0;
			break;
		}
	pthread_rwlock_unlock(&cb_lock);
	return ret;
}

static void
fire_event(enum sl_mem_event ev, const struct sl_memseg *ms)
{
	pthread_rwlock_rdlock(&cb_lock);
	for (unsigned int i = 0; i < ncallbacks; i++)
		callbacks[i].cb(ev, ms->addr, ms->len, callbacks[i].arg);
	pthread_rwlock_unlock(&cb_lock);
}

/* ---- files ------------------------------------------------------------ */

/* "<prefix>map_<digits>" and nothing else. */
static int
is_our_file(const char *name, const char *prefix)
{
	size_t plen = strlen(prefix);
	const char *p;

	if (strncmp(name, prefix, plen) != 0 || strncmp(name + plen, "map_", 4) != 0)
		return 0;
	p = name + plen + 4;
	if (*p == '\0')
		return 0;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return 1;
}

/* Remove files of our prefix whose lock nobody holds (their process died). */
static void
remove_stale_files(void)
{
	char path[PATH_MAX + 256];
	struct dirent *de;
	unsigned int removed = 0;
	DIR *d = opendir(mem.huge_dir);
	int fd;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (!is_our_file(de->d_name, mem.prefix))
			continue;
		snprintf(path, sizeof(path), "%s/%s", mem.huge_dir, de->d_name);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			if (unlink(path) == 0)
				removed++;
		} else {
			SL_LOG(WARNING, EAL, "hugepage file %s is locked by a live process; "
			       "left alone", path);
		}
		close(fd);
	}
	closedir(d);
	if (removed)
		SL_LOG(INFO, EAL, "removed %u stale hugepage file(s) of dead processes "
		       "from %s", removed, mem.huge_dir);
}

static int
take_prefix_lock(void)
{
	snprintf(mem.lock_path, sizeof(mem.lock_path), "%s/%s.lock", mem.huge_dir,
		 mem.prefix);
	mem.lock_fd = open(mem.lock_path, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	if (mem.lock_fd < 0) {
		int err = errno;

		SL_LOG(ERR, EAL, "cannot create %s: %s%s", mem.lock_path, strerror(err),
		       err == EACCES ? " (hugetlbfs needs root or a mount with uid=; "
				       "or use --no-huge)" : "");
		return -err;
	}
	if (flock(mem.lock_fd, LOCK_EX | LOCK_NB) != 0) {
		SL_LOG(ERR, EAL, "another live process uses file prefix '%s' in %s; give "
		       "this one its own --file-prefix", mem.prefix, mem.huge_dir);
		close(mem.lock_fd);
		mem.lock_fd = -1;
		return -EBUSY;
	}
	return 0;
}

static void
release_prefix_lock(void)
{
	if (mem.lock_fd < 0)
		return;
	unlink(mem.lock_path);
	close(mem.lock_fd);
	mem.lock_fd = -1;
}

/* Create and lock the next free "<prefix>map_<n>" file. */
static int
create_map_file(struct mem_file *mf)
{
	int fd, err;

	for (unsigned int tries = 0; tries < 1024; tries++) {
		snprintf(mf->path, sizeof(mf->path), "%s/%smap_%u", mem.huge_dir, mem.prefix,
			 mem.next_file++);
		fd = open(mf->path, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600);
		if (fd < 0 && errno == EEXIST) {
			/* A stale file reappeared, or a live process exiting as
			 * we started still has it: reuse the name only if dead. */
			fd = open(mf->path, O_RDWR | O_CLOEXEC);
			if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0) {
				unlink(mf->path);
				close(fd);
				mem.next_file--;
			} else if (fd >= 0) {
				close(fd);
			}
			continue;
		}
		if (fd < 0) {
			err = errno;
			SL_LOG(ERR, EAL, "cannot create hugepage file %s: %s", mf->path,
			       strerror(err));
			return -err;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
			err = errno;
			close(fd);
			unlink(mf->path);
			return -err;
		}
		mf->fd = fd;
		return 0;
	}
	return -EEXIST;
}

static int
remember_file(const struct mem_file *mf)
{
	if (mem.nfiles == mem.files_cap) {
		unsigned int cap = mem.files_cap ? mem.files_cap * 2 : 16;
		struct mem_file *n = realloc(mem.files, cap * sizeof(*n));

		if (n == NULL)
			return -ENOMEM;
		mem.files = n;
		mem.files_cap = cap;
	}
	mem.files[mem.nfiles++] = *mf;
	return 0;
}

/* ---- NUMA ------------------------------------------------------------- */

struct saved_policy {
	int mode;
	unsigned long mask[EAL_MAX_SOCKETS / (8 * sizeof(unsigned long)) + 1];
	int valid;
};

static void
bind_to_node(int socket, struct saved_policy *old)
{
	unsigned long mask[SL_DIM(old->mask)] = {0};

	old->valid = 0;
	if (!eal_numa_ok())
		return;
	if (get_mempolicy(&old->mode, old->mask, EAL_MAX_SOCKETS + 1, NULL, 0) == 0)
		old->valid = 1;
	mask[socket / (8 * sizeof(unsigned long))] |= 1ul << (socket % (8 * sizeof(unsigned long)));
	if (set_mempolicy(MPOL_BIND, mask, EAL_MAX_SOCKETS + 1) != 0)
		SL_LOG(WARNING, EAL, "cannot bind allocations to node %d: %s; placement "
		       "will be checked afterwards", socket, strerror(errno));
}

static void
restore_policy(const struct saved_policy *old)
{
	if (!old->valid)
		return;
	if (old->mode == MPOL_DEFAULT)
		set_mempolicy(MPOL_DEFAULT, NULL, 0);
	else
		set_mempolicy(old->mode, old->mask, EAL_MAX_SOCKETS + 1);
}

/* Every page of [addr, addr+len) must be on socket (move_pages in query mode). */
static int
verify_placement(void *addr, size_t len, size_t step, int socket)
{
	size_t n = len / step;
	void **pages;
	int *status;
	int ret = 0;

	if (!eal_numa_ok())
		return 0;
	/* With small pages, sample: one page per 2 MiB is enough to catch a
	 * policy that was ignored, at 1/512 of the cost. */
	if (step < EAL_MIN_GROW)
		step = EAL_MIN_GROW;
	n = (len + step - 1) / step;
	pages = malloc(n * sizeof(*pages));
	status = malloc(n * sizeof(*status));
	if (pages == NULL || status == NULL) {
		ret = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		pages[i] = (char *)addr + i * step;
	if (move_pages(0, n, pages, NULL, status, 0) != 0) {
		SL_LOG(WARNING, EAL, "cannot check NUMA placement: %s", strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (status[i] != socket) {
			SL_LOG(ERR, EAL, "page at %p landed on node %d instead of %d",
			       pages[i], status[i], socket);
			ret = -ENOMEM;
			break;
		}
out:
	free(pages);
	free(status);
	return ret;
}

/* ---- IOVA ------------------------------------------------------------- */

static int
pagemap_open(void)
{
	if (geteuid() != 0) {
		SL_LOG(ERR, EAL, "--iova-mode=pa needs root: without CAP_SYS_ADMIN "
		       "/proc/self/pagemap hides physical addresses; run as root or use "
		       "--iova-mode=va");
		return -EPERM;
	}
	mem.pagemap_fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (mem.pagemap_fd < 0) {
		int err = errno;

		SL_LOG(ERR, EAL, "cannot open /proc/self/pagemap for --iova-mode=pa: %s",
		       strerror(err));
		return -err;
	}
	return 0;
}

static int
virt2phys(const void *va, uint64_t *pa)
{
	long psz = sysconf(_SC_PAGESIZE);
	uint64_t entry;
	off_t off = (off_t)((uintptr_t)va / (uintptr_t)psz * sizeof(entry));

	if (pread(mem.pagemap_fd, &entry, sizeof(entry), off) != sizeof(entry))
		return -EIO;
	/* Bit 63: present; bits 0-54: page frame number (0 if not privileged). */
	if (!(entry & (1ull << 63)) || (entry & ((1ull << 55) - 1)) == 0) {
		SL_LOG(ERR, EAL, "/proc/self/pagemap gives no physical address for %p; "
		       "--iova-mode=pa needs root (CAP_SYS_ADMIN); use --iova-mode=va", va);
		return -EPERM;
	}
	*pa = (entry & ((1ull << 55) - 1)) * (uint64_t)psz + (uintptr_t)va % (uintptr_t)psz;
	return 0;
}

static int
add_memseg(void *addr, sl_iova_t iova, size_t len, int socket)
{
	unsigned int n = memseg_count;

	if (n == EAL_MAX_MEMSEGS) {
		SL_LOG(ERR, EAL, "memseg table full (%d segments)", EAL_MAX_MEMSEGS);
		return -ENOSPC;
	}
	memsegs[n] = (struct sl_memseg){
		.addr = addr, .iova = iova, .len = len, .hugepage_sz = mem.pgsz,
		.socket_id = socket,
	};
	/* Publish the entry only once it is complete (see memseg_count). */
	__atomic_store_n(&memseg_count, n + 1, __ATOMIC_RELEASE);
	return 0;
}

struct page_pa {
	uint64_t pa;
	off_t off;
};

static int
cmp_pa(const void *a, const void *b)
{
	const struct page_pa *x = a, *y = b;

	return x->pa < y->pa ? -1 : x->pa > y->pa;
}

/*
 * PA mode: the kernel hands out hugepages in no particular physical order.
 * Remapping the file's pages so that virtual order follows physical order
 * turns every physically contiguous set of pages into one contiguous
 * segment, which is what large DMA blocks need.
 */
static int
sort_chunk_by_pa(char *addr, size_t len, int fd)
{
	size_t n = len / mem.pgsz;
	struct page_pa *v;
	int ret = 0, sorted = 1;

	if (n < 2 || fd < 0)
		return 0;
	v = malloc(n * sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		ret = virt2phys(addr + i * mem.pgsz, &v[i].pa);
		if (ret < 0)
			goto out;
		v[i].off = (off_t)(i * mem.pgsz);
		if (i > 0 && v[i].pa < v[i - 1].pa)
			sorted = 0;
	}
	if (sorted)
		goto out;
	qsort(v, n, sizeof(*v), cmp_pa);
	for (size_t i = 0; i < n; i++) {
		if (mmap(addr + i * mem.pgsz, mem.pgsz, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED | MAP_POPULATE, fd, v[i].off) == MAP_FAILED) {
			ret = -errno;
			SL_LOG(ERR, EAL, "cannot remap a hugepage in physical order: %s",
			       strerror(-ret));
			goto out;
		}
	}
out:
	free(v);
	return ret;
}

/* Split a mapped chunk into IOVA-contiguous memsegs. */
static int
chunk_to_memsegs(char *addr, size_t len, int socket)
{
	uint64_t run_pa = 0, pa;
	size_t run_start = 0;
	int ret;

	if (mem.iova_mode == SL_IOVA_VA)
		return add_memseg(addr, (sl_iova_t)(uintptr_t)addr, len, socket);
	for (size_t off = 0; off < len; off += mem.pgsz) {
		ret = virt2phys(addr + off, &pa);
		if (ret < 0)
			return ret;
		if (off == 0) {
			run_pa = pa;
		} else if (pa != run_pa + (off - run_start)) {
			ret = add_memseg(addr + run_start, run_pa, off - run_start, socket);
			if (ret < 0)
				return ret;
			run_start = off;
			run_pa = pa;
		}
	}
	return add_memseg(addr + run_start, run_pa, len - run_start, socket);
}

/* ---- windows and reservation ----------------------------------------- */

static int
window_open(int socket, size_t limit)
{
	struct mem_window *w = &mem.win[socket];
	size_t len = limit ? SL_ALIGN_CEIL(limit, mem.pgsz) : EAL_DEFAULT_VA_WINDOW;

	/* PROT_NONE + MAP_NORESERVE: address space only, no memory, no
	 * commit charge; chunks are mapped over it with MAP_FIXED. */
	w->raw_len = len + mem.pgsz;
	w->raw = mmap(NULL, w->raw_len, PROT_NONE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (w->raw == MAP_FAILED) {
		w->raw = NULL;
		SL_LOG(ERR, EAL, "cannot reserve %zu MB of address space for socket %d: %s",
		       len >> 20, socket, strerror(errno));
		return -ENOMEM;
	}
	w->base = (char *)SL_ALIGN_CEIL((uintptr_t)w->raw, mem.pgsz);
	w->len = len;
	w->limit = len;
	w->used = 0;
	return 0;
}

/* Give a failed chunk's range back to the PROT_NONE reservation. */
static void
window_unmap_range(void *addr, size_t len)
{
	mmap(addr, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED,
	     -1, 0);
}

static int
map_hugepage_chunk(int socket, char *addr, size_t len, struct mem_file *mf)
{
	struct saved_policy pol;
	long need = (long)(len / mem.pgsz), avail;
	void *va;
	int ret;

	avail = eal_hugepage_available(mem.pgsz, socket);
	if (avail < need) {
		eal_hugepage_shortage_message(mem.pgsz, socket, need, avail);
		return -ENOMEM;
	}
	ret = create_map_file(mf);
	if (ret < 0)
		return ret;

	/* fallocate() takes the pages from the pool now, under the socket's
	 * policy; faulting them in later could SIGBUS if the pool ran dry. */
	bind_to_node(socket, &pol);
	ret = fallocate(mf->fd, 0, 0, (off_t)len);
	ret = ret == 0 ? 0 : -errno;
	restore_policy(&pol);
	if (ret < 0) {
		if (ret == -ENOSPC || ret == -ENOMEM) {
			eal_hugepage_shortage_message(mem.pgsz, socket, need,
						      eal_hugepage_available(mem.pgsz, socket));
			ret = -ENOMEM;
		} else {
			SL_LOG(ERR, EAL, "cannot allocate %zu bytes in %s: %s", len, mf->path,
			       strerror(-ret));
		}
		goto err_file;
	}
	va = mmap(addr, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED | MAP_POPULATE,
		  mf->fd, 0);
	if (va == MAP_FAILED) {
		ret = -errno;
		SL_LOG(ERR, EAL, "cannot map %s: %s", mf->path, strerror(-ret));
		window_unmap_range(addr, len);
		goto err_file;
	}
	ret = verify_placement(addr, len, mem.pgsz, socket);
	if (ret < 0)
		goto err_map;
	return 0;
err_map:
	window_unmap_range(addr, len);
err_file:
	close(mf->fd);
	unlink(mf->path);
	mf->fd = -1;
	return ret;
}

static int
map_anon_chunk(int socket, char *addr, size_t len)
{
	unsigned long mask[EAL_MAX_SOCKETS / (8 * sizeof(unsigned long)) + 1] = {0};
	void *va;
	int ret;

	va = mmap(addr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		  -1, 0);
	if (va == MAP_FAILED) {
		ret = -errno;
		SL_LOG(ERR, EAL, "cannot map %zu bytes of anonymous memory: %s", len,
		       strerror(-ret));
		window_unmap_range(addr, len);
		return ret == -ENOMEM ? -ENOMEM : ret;
	}
	if (eal_numa_ok()) {
		mask[socket / (8 * sizeof(unsigned long))] |=
			1ul << (socket % (8 * sizeof(unsigned long)));
		if (mbind(addr, len, MPOL_BIND, mask, EAL_MAX_SOCKETS + 1, 0) != 0)
			SL_LOG(WARNING, EAL, "cannot bind memory to node %d: %s", socket,
			       strerror(errno));
	}
	/* Not touched here: only what the heap hands out is made resident,
	 * by eal_memory_prefault(), so -m is a ceiling, not a cost.  The
	 * placement is checked there, once the pages exist. */
	return 0;
}

/*
 * Make [addr, addr + len) of --no-huge memory resident and writable now:
 * the heap calls this for every block it hands out, so its user (a
 * mempool, a ring, a queue) never takes a page fault later, on a packet
 * path.  Hugepage memory is resident from its mapping (fallocate +
 * MAP_POPULATE) and needs nothing.
 *
 * MADV_POPULATE_WRITE (Linux 5.14) faults the pages in without changing
 * their contents, so the whole pages around the block, which other
 * blocks may share, are safe to name.  Older kernels get a write of each
 * page's first byte inside the block, of the value already there (the
 * block is the caller's alone until this returns).
 *
 * Returns 0, -ENOMEM if the kernel has no memory for the pages (a clear
 * error now instead of the OOM killer on first touch), or -ENOMEM if a
 * page landed off the socket (see verify_placement()).
 */
int
eal_memory_prefault(int socket, void *addr, size_t len)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	uintptr_t start = SL_ALIGN_FLOOR((uintptr_t)addr, pg);
	uintptr_t end = SL_ALIGN_CEIL((uintptr_t)addr + len, pg);

	if (!mem.no_huge || len == 0)
		return 0;
	if (madvise((void *)start, end - start, MADV_POPULATE_WRITE) != 0) {
		volatile char *p = addr;

		if (errno != EINVAL) {
			SL_LOG(ERR, EAL, "cannot make %zu bytes of --no-huge memory resident: %s",
			       len, strerror(errno));
			return -ENOMEM;
		}
		p[0] = p[0];
		for (uintptr_t a = start + pg; a < (uintptr_t)addr + len; a += pg)
			p[a - (uintptr_t)addr] = p[a - (uintptr_t)addr];
	}
	return verify_placement(addr, len, mem.pgsz, socket);
}

/*
 * Map at least len more bytes on socket, record the new memsegs, tell the
 * callbacks, and give the memory to the heap.  Caller holds the socket's
 * heap lock (or is sl_eal_init()).
 */
int
eal_memory_grow(int socket, size_t len)
{
	struct mem_window *w;
	struct mem_file mf = {.fd = -1};
	unsigned int first_seg;
	size_t grow;
	char *addr;
	int ret, seg_ret;

	if (!mem.active)
		return -ENODEV;
	if (!eal_socket_has_memory(socket))
		return -EINVAL;
	pthread_mutex_lock(&mem_lock);
	w = &mem.win[socket];
	if (w->raw == NULL) {
		ret = window_open(socket, 0);
		if (ret < 0)
			goto out;
	}
	len = SL_ALIGN_CEIL(len, mem.pgsz);
	grow = SL_ALIGN_CEIL(SL_MAX(len, (size_t)EAL_MIN_GROW), mem.pgsz);
	if (grow > w->limit - w->used)
		grow = len;
	if (len > w->limit - w->used) {
		SL_LOG(ERR, EAL, "socket %d memory limit reached: %zu MB in use, %zu MB "
		       "more needed, limit %zu MB (raise --socket-limit)", socket,
		       w->used >> 20, (len + (1u << 20) - 1) >> 20, w->limit >> 20);
		ret = -ENOMEM;
		goto out;
	}
	addr = w->base + w->used;

	if (mem.no_huge) {
		ret = map_anon_chunk(socket, addr, grow);
	} else {
		ret = map_hugepage_chunk(socket, addr, grow, &mf);
		if (ret == 0) {
			ret = remember_file(&mf);
			if (ret < 0) {
				window_unmap_range(addr, grow);
				close(mf.fd);
				unlink(mf.path);
			}
		}
	}
	if (ret < 0)
		goto out;

	first_seg = memseg_count;
	ret = 0;
	if (mem.iova_mode == SL_IOVA_PA)
		ret = sort_chunk_by_pa(addr, grow, mf.fd);
	if (ret == 0)
		ret = chunk_to_memsegs(addr, grow, socket);
	seg_ret = ret;
	if (seg_ret < 0) {
		/* The chunk stays mapped and its file stays listed, so cleanup
		 * releases it; the segments recorded so far are used, and the
		 * caller still hears of the failure. */
		SL_LOG(ERR, EAL, "cannot record the segments of a %zu byte chunk", grow);
	}
	__atomic_store_n(&w->used, w->used + grow, __ATOMIC_RELAXED);
	ret = 0;
	for (unsigned int i = first_seg; i < memseg_count; i++) {
		const struct sl_memseg *ms = &memsegs[i];
		const struct sl_memseg *prev = i > 0 ? &memsegs[i - 1] : NULL;
		int contig = prev && prev->socket_id == socket &&
			     (char *)prev->addr + prev->len == (char *)ms->addr &&
			     prev->iova + prev->len == ms->iova;

		fire_event(SL_MEM_EVENT_ALLOC, ms);
		ret = eal_heap_add(socket, ms->addr, ms->len, contig);
		if (ret < 0)
			break;
	}
	if (seg_ret < 0)
		ret = seg_ret;
	SL_LOG(DEBUG, EAL, "socket %d: +%zu MB at %p (%zu MB total, %u segments)", socket,
	       grow >> 20, (void *)addr, w->used >> 20, memseg_count);
out:
	pthread_mutex_unlock(&mem_lock);
	return ret;
}

/* ---- init / cleanup --------------------------------------------------- */

static void
memory_release(int fire)
{
	unsigned int n = memseg_count;

	if (fire)
		for (unsigned int i = 0; i < n; i++)
			fire_event(SL_MEM_EVENT_FREE, &memsegs[i]);
	__atomic_store_n(&memseg_count, 0, __ATOMIC_RELEASE);
	for (int s = 0; s < EAL_MAX_SOCKETS; s++) {
		struct mem_window *w = &mem.win[s];

		/* The next init may map fresh memory at the same addresses. */
		if (w->base)
			eal_asan_unpoison(w->base, w->used);
		if (w->raw)
			munmap(w->raw, w->raw_len);
		memset(w, 0, sizeof(*w));
	}
	for (unsigned int i = 0; i < mem.nfiles; i++) {
		unlink(mem.files[i].path);
		close(mem.files[i].fd);
	}
	free(mem.files);
	mem.files = NULL;
	mem.nfiles = mem.files_cap = 0;
	release_prefix_lock();
	if (mem.pagemap_fd >= 0)
		close(mem.pagemap_fd);
	mem.pagemap_fd = -1;
}

int
eal_memory_init(const struct eal_config *cfg)
{
	uint64_t want[EAL_MAX_SOCKETS] = {0};
	int nsock = eal_socket_count();
	int ret;

	memset(&mem.win, 0, sizeof(mem.win));
	mem.no_huge = cfg->no_huge;
	mem.iova_mode = cfg->iova_mode;
	mem.next_file = 0;
	mem.pid = getpid();
	snprintf(mem.prefix, sizeof(mem.prefix), "%s", cfg->file_prefix);

	/* Checked first: without root nothing else would work either, and
	 * this error says why. */
	if (mem.iova_mode == SL_IOVA_PA) {
		ret = pagemap_open();
		if (ret < 0)
			return ret;
	}
	if (mem.no_huge) {
		mem.pgsz = (size_t)sysconf(_SC_PAGESIZE);
		mem.huge_dir[0] = '\0';
	} else {
		ret = eal_hugepage_find_mount(cfg->huge_dir, mem.huge_dir,
					      sizeof(mem.huge_dir), &mem.pgsz);
		if (ret < 0)
			goto fail;
		ret = take_prefix_lock();
		if (ret < 0)
			goto fail;
		remove_stale_files();
	}

	/* Initial amounts per socket. */
	if (cfg->socket_mem_set) {
		for (int s = 0; s < EAL_MAX_SOCKETS; s++)
			want[s] = cfg->socket_mem[s];
	} else {
		uint64_t total = cfg->mem_total ? cfg->mem_total :
						  (uint64_t)EAL_DEFAULT_MEM_MB << 20;
		int used[EAL_MAX_SOCKETS] = {0}, nused = 0;

		/* -m: split over the sockets of the lcores; default: main's. */
		for (unsigned int i = 0; i < SL_MAX_LCORE; i++) {
			int s;

			if (cfg->lcore_cpu[i] < 0 || (!cfg->mem_total && i != cfg->main_lcore))
				continue;
			s = eal_cpu_socket(cfg->lcore_cpu[i]);
			if (!eal_socket_has_memory(s))
				s = 0;
			if (!used[s]) {
				used[s] = 1;
				nused++;
			}
		}
		for (int s = 0; s < EAL_MAX_SOCKETS; s++)
			if (used[s])
				want[s] = total / (uint64_t)nused;
	}
	mem.active = 1;
	for (int s = 0; s < EAL_MAX_SOCKETS; s++) {
		uint64_t limit = cfg->socket_limit_set ? cfg->socket_limit[s] : 0;

		if (want[s] == 0 && limit == 0)
			continue;
		if (s >= nsock || !eal_socket_has_memory(s)) {
			if (want[s] == 0)
				continue;
			SL_LOG(ERR, EAL, "NUMA node %d has no memory; give --socket-mem only "
			       "for nodes 0-%d that have memory", s, nsock - 1);
			ret = -EINVAL;
			goto fail;
		}
		ret = window_open(s, limit);
		if (ret < 0)
			goto fail;
		if (want[s] == 0)
			continue;
		ret = eal_memory_grow(s, (size_t)want[s]);
		if (ret < 0)
			goto fail;
	}
	SL_LOG(INFO, EAL, "%zu MB reserved in %zu kB pages%s%s, IOVA as %s",
	       sl_eal_mem_reserved(SL_SOCKET_ID_ANY) >> 20, mem.pgsz >> 10,
	       mem.no_huge ? " (anonymous, --no-huge)" : " from ",
	       mem.no_huge ? "" : mem.huge_dir, mem.iova_mode == SL_IOVA_VA ? "VA" : "PA");
	return 0;
fail:
	mem.active = 0;
	memory_release(0);
	mem.iova_mode = SL_IOVA_VA;
	return ret;
}

void
eal_memory_cleanup(void)
{
	pthread_mutex_lock(&mem_lock);
	memory_release(1);
	mem.active = 0;
	mem.iova_mode = SL_IOVA_VA;
	pthread_mutex_unlock(&mem_lock);
}

/*
 * At exit(): remove our files so their pages return to the pool even if
 * the application never called sl_eal_cleanup().  The mappings stay (other
 * threads may still run); the kernel frees the pages when the process
 * ends.  A forked child inherits this handler but not the ownership.
 */
void
eal_memory_atexit(void)
{
	if (!mem.active || mem.pid != getpid())
		return;
	for (unsigned int i = 0; i < mem.nfiles; i++)
		unlink(mem.files[i].path);
	if (mem.lock_fd >= 0)
		unlink(mem.lock_path);
}
