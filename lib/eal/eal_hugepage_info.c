/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the kernel offers: hugepage sizes (/sys/kernel/mm/hugepages), pool
 * counters (global and per NUMA node) and hugetlbfs mounts (/proc/mounts,
 * statfs), and the message that tells the user how to get more pages.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "sl_log.h"
#include "eal_private.h"

#ifndef HUGETLBFS_MAGIC
#define HUGETLBFS_MAGIC 0x958458f6
#endif

#define SYSFS_HUGEPAGES "/sys/kernel/mm/hugepages"

size_t
eal_hugepage_default_size(void)
{
	char line[256];
	unsigned long kb;
	size_t sz = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Hugepagesize: %lu kB", &kb) == 1) {
			sz = (size_t)kb << 10;
			break;
		}
	fclose(f);
	return sz;
}

/* Sizes listed by the kernel, ascending.  @return how many, or -errno. */
int
eal_hugepage_sizes(size_t *sizes, unsigned int max)
{
	struct dirent *de;
	unsigned long kb;
	unsigned int n = 0;
	DIR *d = opendir(SYSFS_HUGEPAGES);

	if (d == NULL)
		return -errno;
	while ((de = readdir(d)) != NULL && n < max) {
		if (sscanf(de->d_name, "hugepages-%lukB", &kb) != 1)
			continue;
		sizes[n++] = (size_t)kb << 10;
	}
	closedir(d);
	for (unsigned int i = 1; i < n; i++)
		for (unsigned int j = i; j > 0 && sizes[j] < sizes[j - 1]; j--) {
			size_t t = sizes[j];

			sizes[j] = sizes[j - 1];
			sizes[j - 1] = t;
		}
	return (int)n;
}

static int
hugetlbfs_page_size(const char *dir, size_t *pgsz)
{
	struct statfs st;

	if (statfs(dir, &st) != 0)
		return -errno;
	if ((unsigned long)st.f_type != HUGETLBFS_MAGIC)
		return -ENOTDIR;
	/* hugetlbfs reports its page size as the block size. */
	*pgsz = (size_t)st.f_bsize;
	return 0;
}

/*
 * With want_dir: check that it is a hugetlbfs mount.  Without: take the
 * mount of the default hugepage size, else the first hugetlbfs mount.
 */
int
eal_hugepage_find_mount(const char *want_dir, char *dir, size_t dirlen, size_t *pgsz)
{
	size_t def = eal_hugepage_default_size(), sz = 0, best_sz = 0;
	char best[PATH_MAX] = "";
	struct mntent *m;
	FILE *f;
	int ret;

	if (want_dir && want_dir[0]) {
		ret = hugetlbfs_page_size(want_dir, pgsz);
		if (ret == -ENOTDIR || ret == -ENOENT) {
			SL_LOG(ERR, EAL, "invalid value '%s' for option --huge-dir: not a "
			       "hugetlbfs mount; create one with: mkdir -p %s && mount -t "
			       "hugetlbfs nodev %s", want_dir, want_dir, want_dir);
			return -ENOENT;
		}
		if (ret < 0) {
			SL_LOG(ERR, EAL, "cannot stat --huge-dir '%s': %s", want_dir,
			       strerror(-ret));
			return ret;
		}
		snprintf(dir, dirlen, "%s", want_dir);
		return 0;
	}

	f = setmntent("/proc/mounts", "r");
	if (f == NULL)
		return -errno;
	while ((m = getmntent(f)) != NULL) {
		if (strcmp(m->mnt_type, "hugetlbfs") != 0)
			continue;
		if (hugetlbfs_page_size(m->mnt_dir, &sz) < 0)
			continue;
		if (access(m->mnt_dir, W_OK) != 0)
			continue;
		if (best[0] == '\0' || (sz == def && best_sz != def)) {
			snprintf(best, sizeof(best), "%s", m->mnt_dir);
			best_sz = sz;
		}
	}
	endmntent(f);
	if (best[0] == '\0') {
		SL_LOG(ERR, EAL, "no writable hugetlbfs mount found; as root run: mkdir -p "
		       "/dev/hugepages && mount -t hugetlbfs nodev /dev/hugepages (or pass "
		       "--huge-dir DIR, or --no-huge for anonymous memory)");
		return -ENOENT;
	}
	snprintf(dir, dirlen, "%s", best);
	*pgsz = best_sz;
	return 0;
}

static void
counter_path(char *buf, size_t len, size_t pgsz, int node, const char *counter)
{
	if (node < 0)
		snprintf(buf, len, SYSFS_HUGEPAGES "/hugepages-%zukB/%s", pgsz >> 10, counter);
	else
		snprintf(buf, len, "/sys/devices/system/node/node%d/hugepages/"
			 "hugepages-%zukB/%s", node, pgsz >> 10, counter);
}

/* A pool counter (nr_hugepages, free_hugepages, ...): node < 0 is global. */
long
eal_hugepage_counter(size_t pgsz, int node, const char *counter)
{
	char path[PATH_MAX];
	long v = -1;
	FILE *f;

	counter_path(path, sizeof(path), pgsz, node, counter);
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/*
 * Pages of size pgsz that a new reservation on node can get.  Pages that
 * are free but promised to mappings (resv_hugepages) are not available;
 * the kernel keeps that count only globally, so it is subtracted when the
 * machine has one node.
 */
long
eal_hugepage_available(size_t pgsz, int node)
{
	long free_pages, resv;

	if (eal_socket_count() > 1) {
		free_pages = eal_hugepage_counter(pgsz, node, "free_hugepages");
		if (free_pages >= 0)
			return free_pages;
	}
	free_pages = eal_hugepage_counter(pgsz, -1, "free_hugepages");
	resv = eal_hugepage_counter(pgsz, -1, "resv_hugepages");
	if (free_pages < 0)
		return 0;
	return resv > 0 ? SL_MAX(free_pages - resv, 0L) : free_pages;
}

void
eal_hugepage_shortage_message(size_t pgsz, int node, long need, long avail)
{
	char path[PATH_MAX], size[16];
	int per_node = eal_socket_count() > 1;
	long nr = eal_hugepage_counter(pgsz, per_node ? node : -1, "nr_hugepages");
	long target = (nr < 0 ? 0 : nr) + need - avail;

	counter_path(path, sizeof(path), pgsz, per_node ? node : -1, "nr_hugepages");
	if (pgsz >= (1ul << 30))
		snprintf(size, sizeof(size), "%zuGB", pgsz >> 30);
	else
		snprintf(size, sizeof(size), "%zuMB", pgsz >> 20);
	SL_LOG(ERR, EAL, "not enough hugepages on socket %d: need %ld pages of %zu kB, "
	       "%ld free; reserve more as root with: echo %ld > %s (or: hugeadm "
	       "--pool-pages-min %s:%ld), or run with --no-huge", node, need, pgsz >> 10,
	       avail, target, path, size, target);
}
