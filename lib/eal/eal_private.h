/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EAL internals shared by the eal_*.c files.  Not installed.
 */
#ifndef EAL_PRIVATE_H
#define EAL_PRIVATE_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "sl_common.h"
#include "sl_launch.h"
#include "sl_memory.h"

/*
 * AddressSanitizer annotations for EAL memory.  Under -fsanitize=address
 * the heap poisons free space, headers' gaps and the slack after each
 * block, so that overruns and use-after-free inside hugepage memory are
 * reported like those in malloc()ed memory.  No-ops otherwise.
 */
#if defined(__SANITIZE_ADDRESS__)
#define EAL_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EAL_ASAN 1
#endif
#endif
#ifdef EAL_ASAN
#include <sanitizer/asan_interface.h>
#define eal_asan_poison(a, l) ASAN_POISON_MEMORY_REGION((const void *)(a), (l))
#define eal_asan_unpoison(a, l) ASAN_UNPOISON_MEMORY_REGION((const void *)(a), (l))
#define eal_asan_is_poisoned(a, l) (__asan_region_is_poisoned((void *)(a), (l)) != NULL)
#else
#define eal_asan_poison(a, l) ((void)(a), (void)(l))
#define eal_asan_unpoison(a, l) ((void)(a), (void)(l))
#define eal_asan_is_poisoned(a, l) ((void)(a), (void)(l), 0)
#endif

/* Most NUMA nodes the EAL handles (libnuma's numa_max_node() + 1 above is refused). */
#define EAL_MAX_SOCKETS 8

/* Initial reservation when neither -m nor --socket-mem is given. */
#define EAL_DEFAULT_MEM_MB 64
#define EAL_DEFAULT_FILE_PREFIX "sluice"
/* Most -d options (a directory counts once, whatever it holds). */
#define EAL_MAX_PLUGINS 32

/* Virtual window reserved per socket when no --socket-limit is given. */
#define EAL_DEFAULT_VA_WINDOW (64ull << 30)

/* Everything the options decide; filled by eal_parse_args(). */
struct eal_config {
	/* lcores */
	int lcore_cpu[SL_MAX_LCORE];    /* cpu of each lcore, -1 = disabled */
	unsigned int lcore_count;
	unsigned int main_lcore;
	int main_lcore_set;
	int lcores_set;
	/* memory, sizes in bytes */
	uint64_t mem_total;             /* -m */
	uint64_t socket_mem[EAL_MAX_SOCKETS];
	int socket_mem_set;
	uint64_t socket_limit[EAL_MAX_SOCKETS]; /* 0: no limit */
	int socket_limit_set;
	int no_huge;
	char huge_dir[PATH_MAX - 128];
	char file_prefix[64];
	enum sl_iova_mode iova_mode;
	int iova_mode_set;
	int no_pci;
	/* --domain-fd / --device-fd (sluice-launch) */
	struct sl_launch_fds launch_fds;
	int launch_fds_set;
	/* -d: plugin files and directories (pointers into argv) */
	const char *plugins[EAL_MAX_PLUGINS];
	unsigned int plugin_count;
};

extern struct eal_config eal_cfg;

/* eal_options.c */
int eal_parse_args(int argc, char **argv, struct eal_config *cfg);
void eal_config_defaults(struct eal_config *cfg);
int eal_parse_list(const char *s, const char *opt, int *cpu_of_lcore, unsigned int *count,
		   int allow_at);
int eal_parse_size_list(const char *s, const char *opt, uint64_t *out, unsigned int max);

/* eal_lcore.c */
int eal_lcore_init(const struct eal_config *cfg);
int eal_lcore_busy(void);
void eal_lcore_cleanup(void);
int eal_socket_count(void);
int eal_numa_ok(void);
int eal_socket_has_memory(int socket);
int eal_cpu_socket(int cpu);

/* eal_memory.c */
int eal_memory_init(const struct eal_config *cfg);
void eal_memory_cleanup(void);
void eal_memory_atexit(void);
/* Reserve at least len bytes on socket as new segments and add them to the
 * heap through eal_heap_add(); caller holds the heap lock. */
int eal_memory_grow(int socket, size_t len);
/* Fault in a block the heap hands out (--no-huge only): 0 or -ENOMEM. */
int eal_memory_prefault(int socket, void *addr, size_t len);

/* eal_hugepage_info.c */
size_t eal_hugepage_default_size(void);
int eal_hugepage_sizes(size_t *sizes, unsigned int max);
int eal_hugepage_find_mount(const char *want_dir, char *dir, size_t dirlen, size_t *pgsz);
long eal_hugepage_counter(size_t pgsz, int node, const char *counter);
long eal_hugepage_available(size_t pgsz, int node);
void eal_hugepage_shortage_message(size_t pgsz, int node, long need, long avail);

/* eal_malloc.c */
int eal_heap_init(void);
void eal_heap_cleanup(void);
int eal_heap_add(int socket, void *addr, size_t len, int contig_with_prev);
int eal_heap_socket_of(const void *ptr);

/* eal_memzone.c */
void eal_memzone_cleanup(void);

/* eal_bus.c */
int eal_bus_scan_probe(void);
void eal_bus_cleanup(void);
int eal_devargs_add_checked(int type, const char *str, const char *opt);
void eal_set_no_pci(int v);

/* eal_launch.c: fds handed over by sluice-launch (sl_launch.h).  setup
 * takes the options' fds, or else SLUICE_LAUNCH_FDS, and checks them all;
 * the PCI bus and the IOMMU context then take them one by one. */
int eal_launch_setup(const struct sl_launch_fds *opt_fds, int opts_given);
/* 1 when fds were handed over: no /dev/sluice node may be opened then. */
int eal_launch_active(void);
/* 1: an fd for PCI device name is waiting; 0: none; -EALREADY: taken. */
int eal_launch_has_device(const char *name);
/* @return the fd (now the caller's), -ENOENT, -EALREADY. */
int eal_launch_take_device(const char *name);
int eal_launch_take_domain(void);
/* Close the fds nobody took and forget the hand-over. */
void eal_launch_cleanup(void);

/* eal_plugin.c: -d and the default plugin directory (SL_EAL_PMD_PATH);
 * load undoes itself on error. */
int eal_plugins_load(const struct eal_config *cfg);
void eal_plugins_unload(void);

/* eal_log.c */
int eal_log_option(const char *arg);

/* eal_cycles.c */
void eal_tsc_init(void);

#endif /* EAL_PRIVATE_H */
