/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PMD plugins: shared objects loaded with dlopen() before the buses scan,
 * from each -d PATH (a .so, or a directory whose *.so are all loaded) and
 * from the default directory fixed at build time (SL_EAL_PMD_PATH, as
 * DPDK's RTE_EAL_PMD_PATH), so a driver installed there needs no option.
 *
 * A plugin's constructors register its drivers (SL_VDEV_DRIVER_REGISTER,
 * SL_PCI_DRIVER_REGISTER) and their destructors unregister them, so
 * dlclose() undoes a load completely: a plugin refused after dlopen() and
 * every plugin at sl_eal_cleanup() is closed, in reverse order.
 *
 * Checks, each with its own message:
 *  - the path exists (not found);
 *  - the dynamic loader can resolve it: it needs the libsluice.so.N of
 *    this library's ABI (wrong ABI version) and only symbols this library
 *    exports (missing symbol);
 *  - it carries SL_PMD_PLUGIN()'s ABI marker with this ABI version;
 *  - it is bound to this very libsluice and not to a second copy (an
 *    application linked with the static library cannot take plugins).
 */
#include <dirent.h>
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sl_eal.h"
#include "eal_private.h"

#define SL_SONAME_PREFIX "libsluice.so."

/* Files, over all -d options and directories. */
#define EAL_MAX_PLUGIN_FILES 128

static void *plugin_handles[EAL_MAX_PLUGIN_FILES];
static unsigned int plugin_count;

/* The first name after "undefined symbol: " in a dlerror() text. */
static const char *
undefined_symbol(const char *err, char *buf, size_t len)
{
	const char *p = strstr(err, "undefined symbol: ");
	size_t n;

	if (p == NULL)
		return NULL;
	p += strlen("undefined symbol: ");
	n = strcspn(p, " ,\t(");
	snprintf(buf, len, "%.*s", (int)n, p);
	return buf;
}

static int
plugin_load_file(const char *path, const char *origin)
{
	const unsigned int *abi;
	char sym[128];
	const char *err, *missing;
	void *h;

	if (plugin_count == SL_DIM(plugin_handles)) {
		SL_LOG(ERR, EAL, "plugin '%s' (%s): more than %zu plugins; load fewer",
		       path, origin, SL_DIM(plugin_handles));
		return -E2BIG;
	}
	/* RTLD_NOW: a missing symbol is reported here, not at the first call
	 * from a burst loop. */
	h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		err = dlerror();
		if (err == NULL)
			err = "unknown dlopen() error";
		if (strstr(err, SL_SONAME_PREFIX) != NULL && strstr(err, "cannot open") != NULL) {
			SL_LOG(ERR, EAL, "plugin '%s' (%s): wrong ABI version: it needs a "
			       "libsluice this process does not have (%s); this is "
			       SL_SONAME_PREFIX "%d: rebuild the plugin against it",
			       path, origin, err, SL_ABI_VERSION);
			return -ENOEXEC;
		}
		missing = undefined_symbol(err, sym, sizeof(sym));
		if (missing != NULL) {
			SL_LOG(ERR, EAL, "plugin '%s' (%s): missing symbol '%s': "
			       SL_SONAME_PREFIX "%d does not export it (a newer Sluice's "
			       "function, or an internal one; plugins may use only the "
			       "sl_* API of the installed headers): rebuild the plugin "
			       "against this version", path, origin, missing, SL_ABI_VERSION);
			return -ENOEXEC;
		}
		SL_LOG(ERR, EAL, "plugin '%s' (%s): cannot load it: %s; a plugin is a "
		       "shared object built with -shared -fPIC against libsluice",
		       path, origin, err);
		return -ENOEXEC;
	}
	abi = dlsym(h, "sl_pmd_plugin_abi");
	if (abi == NULL) {
		SL_LOG(ERR, EAL, "plugin '%s' (%s): not a Sluice PMD plugin: it has no "
		       "symbol sl_pmd_plugin_abi; add SL_PMD_PLUGIN(); to one of its "
		       "source files (sl_eal.h)", path, origin);
		goto refuse;
	}
	if (*abi != SL_ABI_VERSION) {
		SL_LOG(ERR, EAL, "plugin '%s' (%s): wrong ABI version: built for ABI %u, "
		       "this library is " SL_SONAME_PREFIX "%d: rebuild the plugin "
		       "against it", path, origin, *abi, SL_ABI_VERSION);
		goto refuse;
	}
	/* dlsym() on the handle searches the plugin's own dependencies: a
	 * different address means its drivers registered with another copy
	 * of the library, and this process would never see them. */
	if (dlsym(h, "sl_eal_init") != (void *)sl_eal_init) {
		SL_LOG(ERR, EAL, "plugin '%s' (%s): it is bound to a second copy of "
		       "libsluice, not to the one this program uses (linked "
		       "statically?): plugins need the shared " SL_SONAME_PREFIX "%d; "
		       "link the application with it, or link the driver into the "
		       "application", path, origin, SL_ABI_VERSION);
		goto refuse;
	}
	plugin_handles[plugin_count++] = h;
	SL_LOG(DEBUG, EAL, "plugin '%s' (%s) loaded", path, origin);
	return 0;

refuse:
	dlclose(h); /* its destructors unregister what its constructors registered */
	return -ENOEXEC;
}

static int
is_plugin_name(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 3 && strcmp(d->d_name + n - 3, ".so") == 0;
}

/* Every *.so of @p dir, in name order so that loading is reproducible. */
static int
plugin_load_dir(const char *dir, const char *origin)
{
	struct dirent **names;
	char path[PATH_MAX];
	struct stat st;
	int n, ret = 0;

	n = scandir(dir, &names, is_plugin_name, alphasort);
	if (n < 0) {
		ret = -errno;
		SL_LOG(ERR, EAL, "plugin directory '%s' (%s): cannot read it: %s",
		       dir, origin, strerror(errno));
		return ret;
	}
	for (int i = 0; i < n; i++) {
		if (ret == 0) {
			if (snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name) >=
			    (int)sizeof(path)) {
				SL_LOG(ERR, EAL, "plugin directory '%s' (%s): path of '%s' "
				       "is too long", dir, origin, names[i]->d_name);
				ret = -ENAMETOOLONG;
			} else if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
				ret = plugin_load_file(path, origin);
			}
		}
		free(names[i]);
	}
	free(names);
	return ret;
}

static int
plugin_load_path(const char *path, const char *origin)
{
	char rel[PATH_MAX];
	struct stat st;

	if (path[0] == '\0' || stat(path, &st) != 0) {
		SL_LOG(ERR, EAL, "plugin '%s' (%s): not found: %s; give the path of a "
		       "plugin .so or of a directory of them", path, origin,
		       path[0] ? strerror(errno) : "empty path");
		return -ENOENT;
	}
	if (S_ISDIR(st.st_mode))
		return plugin_load_dir(path, origin);
	/* dlopen() searches the library path for a name without '/'. */
	if (strchr(path, '/') == NULL) {
		if (snprintf(rel, sizeof(rel), "./%s", path) >= (int)sizeof(rel)) {
			SL_LOG(ERR, EAL, "plugin '%s' (%s): path too long", path, origin);
			return -ENAMETOOLONG;
		}
		path = rel;
	}
	return plugin_load_file(path, origin);
}

/* dl_iterate_phdr() callback: is *addr inside the first object, the program? */
static int
in_main_program(struct dl_phdr_info *info, size_t size, void *addr)
{
	uintptr_t a = (uintptr_t)addr;

	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t start = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type == PT_LOAD && a >= start && a < start + ph->p_memsz)
			return 1;
	}
	return -1; /* stop after the first object either way */
}

/* An application linked with libsluice.a has the EAL in its own image. */
static int
linked_statically(void)
{
	return dl_iterate_phdr(in_main_program, (void *)sl_eal_init) == 1;
}

int
eal_plugins_load(const struct eal_config *cfg)
{
	const char *dir = SL_EAL_PMD_PATH;
	struct stat st;
	int ret;

	/* The default directory first, so that -d adds drivers next to the
	 * installed ones (a name registered twice: the vdev bus warns and the
	 * first keeps it).  Not for a static application: no plugin could
	 * load, and one installed driver would stop every start (an explicit
	 * -d still gets the error). */
	if (dir[0] != '\0' && linked_statically()) {
		SL_LOG(DEBUG, EAL, "statically linked: the default plugin directory '%s' "
		       "is not used", dir);
	} else if (dir[0] != '\0') {
		if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) {
			ret = plugin_load_dir(dir, "default plugin directory");
			if (ret < 0)
				goto err;
		} else {
			SL_LOG(DEBUG, EAL, "default plugin directory '%s' does not exist: "
			       "no plugins from it", dir);
		}
	}
	for (unsigned int i = 0; i < cfg->plugin_count; i++) {
		ret = plugin_load_path(cfg->plugins[i], "-d");
		if (ret < 0)
			goto err;
	}
	return 0;
err:
	eal_plugins_unload();
	return ret;
}

void
eal_plugins_unload(void)
{
	while (plugin_count > 0)
		dlclose(plugin_handles[--plugin_count]);
}
