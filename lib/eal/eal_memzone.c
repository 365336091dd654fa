/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Memzones: a fixed table of named heap blocks.  The table is static so a
 * returned pointer stays valid (and recognisable by sl_memzone_free())
 * for the life of the process.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "sl_log.h"
#include "sl_eal.h"
#include "sl_malloc.h"
#include "sl_memzone.h"
#include "eal_private.h"

static struct sl_memzone zones[SL_MAX_MEMZONE];
static unsigned int nzones;
/* Order: memzone lock, then heap lock, then memory lock. */
static pthread_mutex_t mz_lock = PTHREAD_MUTEX_INITIALIZER;

static struct sl_memzone *
find_locked(const char *name)
{
	for (unsigned int i = 0; i < SL_MAX_MEMZONE; i++)
		if (zones[i].addr && strcmp(zones[i].name, name) == 0)
			return &zones[i];
	return NULL;
}

const struct sl_memzone *
sl_memzone_reserve_aligned(const char *name, size_t len, int socket, unsigned int flags,
			   unsigned int align)
{
	struct sl_memzone *mz = NULL;
	size_t nlen;
	void *addr;
	int err;

	if (!sl_eal_is_initialized()) {
		errno = ENODEV;
		return NULL;
	}
	if (name == NULL || name[0] == '\0' || len == 0 || (flags & ~SL_MEMZONE_IOVA_CONTIG) ||
	    (align != 0 && !sl_is_power_of_2(align))) {
		SL_LOG(ERR, EAL, "sl_memzone_reserve('%s', len %zu, socket %d, flags %#x, "
		       "align %u): invalid argument", name ? name : "(null)", len, socket,
		       flags, align);
		errno = EINVAL;
		return NULL;
	}
	nlen = strlen(name);
	if (nlen >= SL_MEMZONE_NAMESIZE) {
		SL_LOG(ERR, EAL, "memzone name '%s' is %zu characters; at most %d allowed",
		       name, nlen, SL_MEMZONE_NAMESIZE - 1);
		errno = ENAMETOOLONG;
		return NULL;
	}
	pthread_mutex_lock(&mz_lock);
	if (find_locked(name)) {
		err = EEXIST;
		goto out;
	}
	if (nzones == SL_MAX_MEMZONE) {
		SL_LOG(ERR, EAL, "cannot reserve memzone '%s': all %d memzones in use", name,
		       SL_MAX_MEMZONE);
		err = ENOSPC;
		goto out;
	}
	addr = sl_malloc_socket(name, len, align, socket);
	if (addr == NULL) {
		err = errno;
		SL_LOG(ERR, EAL, "cannot reserve memzone '%s' of %zu bytes on socket %d: %s",
		       name, len, socket, strerror(err));
		goto out;
	}
	for (unsigned int i = 0; i < SL_MAX_MEMZONE; i++)
		if (zones[i].addr == NULL) {
			mz = &zones[i];
			break;
		}
	memcpy(mz->name, name, nlen + 1);
	mz->len = len;
	mz->iova = sl_mem_virt2iova(addr);
	mz->socket_id = eal_heap_socket_of(addr);
	mz->flags = flags;
	mz->addr = addr;
	nzones++;
	err = 0;
out:
	pthread_mutex_unlock(&mz_lock);
	if (err)
		errno = err;
	return mz;
}

const struct sl_memzone *
sl_memzone_reserve(const char *name, size_t len, int socket, unsigned int flags)
{
	return sl_memzone_reserve_aligned(name, len, socket, flags, 0);
}

const struct sl_memzone *
sl_memzone_lookup(const char *name)
{
	const struct sl_memzone *mz;

	if (!sl_eal_is_initialized()) {
		errno = ENODEV;
		return NULL;
	}
	if (name == NULL) {
		errno = EINVAL;
		return NULL;
	}
	pthread_mutex_lock(&mz_lock);
	mz = find_locked(name);
	pthread_mutex_unlock(&mz_lock);
	if (mz == NULL)
		errno = ENOENT;
	return mz;
}

int
sl_memzone_free(const struct sl_memzone *mz)
{
	uintptr_t off;
	struct sl_memzone *z;

	if (mz == NULL)
		return -EINVAL;
	off = (uintptr_t)mz - (uintptr_t)zones;
	if ((uintptr_t)mz < (uintptr_t)zones || off >= sizeof(zones) ||
	    off % sizeof(zones[0]) != 0) {
		SL_LOG(ERR, EAL, "sl_memzone_free(%p): not a memzone", (const void *)mz);
		return -EINVAL;
	}
	z = &zones[off / sizeof(zones[0])];
	pthread_mutex_lock(&mz_lock);
	if (z->addr == NULL) {
		pthread_mutex_unlock(&mz_lock);
		SL_LOG(ERR, EAL, "sl_memzone_free(%p): memzone already freed", (const void *)mz);
		return -EINVAL;
	}
	sl_free(z->addr);
	memset(z, 0, sizeof(*z));
	nzones--;
	pthread_mutex_unlock(&mz_lock);
	return 0;
}

void
sl_memzone_walk(void (*fn)(const struct sl_memzone *mz, void *arg), void *arg)
{
	if (fn == NULL)
		return;
	pthread_mutex_lock(&mz_lock);
	for (unsigned int i = 0; i < SL_MAX_MEMZONE; i++)
		if (zones[i].addr)
			fn(&zones[i], arg);
	pthread_mutex_unlock(&mz_lock);
}

unsigned int
sl_memzone_count(void)
{
	return nzones;
}

/* The heap's memory goes away as a whole; only forget the names. */
void
eal_memzone_cleanup(void)
{
	pthread_mutex_lock(&mz_lock);
	memset(zones, 0, sizeof(zones));
	nzones = 0;
	pthread_mutex_unlock(&mz_lock);
}
