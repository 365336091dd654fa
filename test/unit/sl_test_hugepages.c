/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * See sl_test_hugepages.h.  Several test programs may run at once (meson
 * runs tests in parallel), so the pool size is changed by adding and
 * subtracting under a lock file rather than by saving and restoring an
 * absolute value, which would undo another program's reservation.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "sl_test_hugepages.h"

#define HP_SYSFS "/sys/kernel/mm/hugepages/hugepages-2048kB/"
#define HP_SIZE (2ul << 20)
#define HP_LOCK "/tmp/sl-test-hugepages.lock"
#ifndef HUGETLBFS_MAGIC
#define HUGETLBFS_MAGIC 0x958458f6
#endif

static unsigned int added;
static int have_pages;
static int mounted_here;
static char dir[PATH_MAX];

static long
read_long(const char *path)
{
	long v = -1;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static int
write_long(const char *path, long v)
{
	FILE *f = fopen(path, "w");
	int ret = 0;

	if (f == NULL)
		return -errno;
	if (fprintf(f, "%ld\n", v) < 0)
		ret = -EIO;
	if (fclose(f) != 0 && ret == 0)
		ret = -errno;
	return ret;
}

long
sl_test_hugepages_free(void)
{
	long f = read_long(HP_SYSFS "free_hugepages");
	long r = read_long(HP_SYSFS "resv_hugepages");

	if (f < 0)
		return -1;
	return r > 0 ? f - r : f;
}

/* Add delta pages to the pool under the cross-process lock. */
static int
pool_adjust(long delta, long *got)
{
	int fd = open(HP_LOCK, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	long nr, after;
	int ret;

	if (fd < 0)
		return -errno;
	flock(fd, LOCK_EX);
	nr = read_long(HP_SYSFS "nr_hugepages");
	if (nr < 0) {
		ret = -ENOENT;
		goto out;
	}
	if (nr + delta < 0)
		delta = -nr;
	ret = write_long(HP_SYSFS "nr_hugepages", nr + delta);
	after = read_long(HP_SYSFS "nr_hugepages");
	if (got)
		*got = after - nr;
out:
	flock(fd, LOCK_UN);
	close(fd);
	return ret;
}

static int
find_mount(void)
{
	struct mntent *m;
	struct statfs st;
	FILE *f = setmntent("/proc/mounts", "r");

	if (f == NULL)
		return -errno;
	while ((m = getmntent(f)) != NULL) {
		if (strcmp(m->mnt_type, "hugetlbfs") != 0)
			continue;
		if (statfs(m->mnt_dir, &st) == 0 && (unsigned long)st.f_type == HUGETLBFS_MAGIC &&
		    (unsigned long)st.f_bsize == HP_SIZE && access(m->mnt_dir, W_OK) == 0) {
			snprintf(dir, sizeof(dir), "%s", m->mnt_dir);
			endmntent(f);
			return 0;
		}
	}
	endmntent(f);
	return -ENOENT;
}

int
sl_test_hugepages_setup(unsigned int n)
{
	long got = 0;
	int ret;

	have_pages = 0;
	if (geteuid() != 0)
		return -EPERM;
	if (access(HP_SYSFS "nr_hugepages", W_OK) != 0)
		return -ENOENT;
	if (find_mount() < 0) {
		snprintf(dir, sizeof(dir), "/tmp/sl-test-huge-XXXXXX");
		if (mkdtemp(dir) == NULL)
			return -errno;
		if (mount("nodev", dir, "hugetlbfs", 0, "pagesize=2M") != 0) {
			ret = -errno;
			rmdir(dir);
			dir[0] = '\0';
			return ret;
		}
		mounted_here = 1;
	}
	ret = pool_adjust((long)n, &got);
	added = got > 0 ? (unsigned int)got : 0;
	if (ret < 0 || got < (long)n) {
		sl_test_hugepages_teardown();
		return ret < 0 ? ret : -ENOMEM;
	}
	have_pages = 1;
	return 0;
}

void
sl_test_hugepages_teardown(void)
{
	if (added) {
		pool_adjust(-(long)added, NULL);
		added = 0;
	}
	if (mounted_here) {
		umount(dir);
		rmdir(dir);
		mounted_here = 0;
	}
	have_pages = 0;
}

int
sl_test_hugepages_available(void)
{
	return have_pages;
}

const char *
sl_test_hugepages_dir(void)
{
	return have_pages ? dir : NULL;
}

int
sl_test_hugepages_count_files(const char *prefix)
{
	struct dirent *de;
	int n = 0;
	DIR *d;

	if (!have_pages)
		return -1;
	d = opendir(dir);
	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(d);
	return n;
}
