/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bus registry and device arguments.  Buses register from constructors,
 * before main(), so the registry is a static list needing no allocation.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "sl_bus.h"
#include "sl_log.h"
#include "eal_private.h"

static TAILQ_HEAD(, sl_bus) bus_list = TAILQ_HEAD_INITIALIZER(bus_list);
static pthread_mutex_t bus_lock = PTHREAD_MUTEX_INITIALIZER;
/* Buses whose scan() ran in this sl_eal_init(), cleaned up in reverse. */
static struct sl_bus *bus_scanned[32];
static unsigned int bus_nscanned;

static struct sl_devargs devargs[SL_MAX_DEVARGS];
static unsigned int ndevargs;
static int no_pci;

void
sl_bus_register(struct sl_bus *bus)
{
	if (bus == NULL || bus->name == NULL || bus->name[0] == '\0') {
		SL_LOG(ERR, EAL, "bus registration without a name refused");
		return;
	}
	pthread_mutex_lock(&bus_lock);
	if (sl_bus_find_by_name(bus->name) != NULL) {
		pthread_mutex_unlock(&bus_lock);
		SL_LOG(ERR, EAL, "bus '%s' registered twice; second one ignored", bus->name);
		return;
	}
	TAILQ_INSERT_TAIL(&bus_list, bus, next);
	pthread_mutex_unlock(&bus_lock);
}

void
sl_bus_unregister(struct sl_bus *bus)
{
	struct sl_bus *b;

	pthread_mutex_lock(&bus_lock);
	TAILQ_FOREACH(b, &bus_list, next)
		if (b == bus) {
			TAILQ_REMOVE(&bus_list, bus, next);
			break;
		}
	pthread_mutex_unlock(&bus_lock);
}

struct sl_bus *
sl_bus_find_by_name(const char *name)
{
	struct sl_bus *b;

	if (name == NULL)
		return NULL;
	TAILQ_FOREACH(b, &bus_list, next)
		if (strcmp(b->name, name) == 0)
			return b;
	return NULL;
}

int
eal_bus_scan_probe(void)
{
	struct sl_bus *b;
	int ret;

	bus_nscanned = 0;
	TAILQ_FOREACH(b, &bus_list, next) {
		if (bus_nscanned == SL_DIM(bus_scanned)) {
			SL_LOG(ERR, EAL, "more than %zu buses registered", SL_DIM(bus_scanned));
			return -ENOSPC;
		}
		bus_scanned[bus_nscanned++] = b;
		if (b->scan == NULL)
			continue;
		ret = b->scan();
		if (ret < 0) {
			SL_LOG(ERR, EAL, "scan of bus '%s' failed: %s", b->name, strerror(-ret));
			return ret;
		}
	}
	TAILQ_FOREACH(b, &bus_list, next) {
		if (b->probe == NULL)
			continue;
		ret = b->probe();
		if (ret < 0) {
			SL_LOG(ERR, EAL, "probe of bus '%s' failed: %s", b->name,
			       strerror(-ret));
			return ret;
		}
	}
	return 0;
}

void
eal_bus_cleanup(void)
{
	while (bus_nscanned > 0) {
		struct sl_bus *b = bus_scanned[--bus_nscanned];

		if (b->cleanup)
			b->cleanup();
	}
}

static int
devargs_add(enum sl_devtype type, const char *str, const char *opt)
{
	const char *comma;
	size_t nlen;
	struct sl_devargs *da;

	if (str == NULL || (type != SL_DEVTYPE_ALLOWED && type != SL_DEVTYPE_BLOCKED &&
			    type != SL_DEVTYPE_VDEV))
		return -EINVAL;
	comma = strchr(str, ',');
	nlen = comma ? (size_t)(comma - str) : strlen(str);
	if (nlen == 0) {
		SL_LOG(ERR, EAL, "invalid value '%s' for option %s: no device name before "
		       "the arguments (e.g. %s)", str, opt,
		       type == SL_DEVTYPE_VDEV ? "net_null0,size=64" : "0000:00:02.0");
		return -EINVAL;
	}
	if (nlen >= sizeof(da->name) || (comma && strlen(comma + 1) >= sizeof(da->args))) {
		SL_LOG(ERR, EAL, "invalid value '%s' for option %s: device names are at most "
		       "%zu and arguments at most %zu characters", str, opt,
		       sizeof(da->name) - 1, sizeof(da->args) - 1);
		return -ENAMETOOLONG;
	}
	if (type != SL_DEVTYPE_VDEV) {
		enum sl_devtype other = type == SL_DEVTYPE_ALLOWED ? SL_DEVTYPE_BLOCKED :
								     SL_DEVTYPE_ALLOWED;
		if (sl_devargs_count(other) > 0) {
			SL_LOG(ERR, EAL, "invalid value '%s' for option %s: allow (-a) and "
			       "block (-b) lists cannot be combined; use one of them", str, opt);
			return -EINVAL;
		}
	}
	if (ndevargs == SL_MAX_DEVARGS) {
		SL_LOG(ERR, EAL, "invalid value '%s' for option %s: more than %d device "
		       "arguments", str, opt, SL_MAX_DEVARGS);
		return -ENOSPC;
	}
	da = &devargs[ndevargs++];
	da->type = type;
	memcpy(da->name, str, nlen);
	da->name[nlen] = '\0';
	snprintf(da->args, sizeof(da->args), "%s", comma ? comma + 1 : "");
	return 0;
}

int
eal_devargs_add_checked(int type, const char *str, const char *opt)
{
	return devargs_add((enum sl_devtype)type, str, opt);
}

int
sl_devargs_add(enum sl_devtype type, const char *str)
{
	static const char *const names[] = {"-a", "-b", "--vdev"};

	return devargs_add(type, str, (unsigned int)type < SL_DIM(names) ? names[type] : "?");
}

unsigned int
sl_devargs_count(enum sl_devtype type)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < ndevargs; i++)
		if (devargs[i].type == type)
			n++;
	return n;
}

const struct sl_devargs *
sl_devargs_get(enum sl_devtype type, unsigned int idx)
{
	for (unsigned int i = 0; i < ndevargs; i++)
		if (devargs[i].type == type && idx-- == 0)
			return &devargs[i];
	return NULL;
}

const struct sl_devargs *
sl_devargs_find(enum sl_devtype type, const char *name)
{
	if (name == NULL)
		return NULL;
	for (unsigned int i = 0; i < ndevargs; i++)
		if (devargs[i].type == type && strcmp(devargs[i].name, name) == 0)
			return &devargs[i];
	return NULL;
}

void
sl_devargs_clear(void)
{
	ndevargs = 0;
	memset(devargs, 0, sizeof(devargs));
}

int
sl_eal_no_pci(void)
{
	return no_pci;
}

void
eal_set_no_pci(int v)
{
	no_pci = v;
}
