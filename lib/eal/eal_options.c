/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Command-line options, with DPDK's names so DPDK users feel at home.
 * Parsing fills a private eal_config; nothing global changes unless every
 * option is valid (devargs and log levels excepted: they are cleared or
 * harmless on failure).
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_bus.h"
#include "sl_eal.h"
#include "sl_log.h"
#include "eal_private.h"

enum {
	OPT_HELP = 'h',
	OPT_LCORE_LIST = 'l',
	OPT_MEM = 'm',
	OPT_ALLOW = 'a',
	OPT_BLOCK = 'b',
	OPT_PLUGIN = 'd',
	OPT_LONG_BASE = 256,
	OPT_LCORES,
	OPT_MAIN_LCORE,
	OPT_SOCKET_MEM,
	OPT_SOCKET_LIMIT,
	OPT_HUGE_DIR,
	OPT_NO_HUGE,
	OPT_FILE_PREFIX,
	OPT_IOVA_MODE,
	OPT_LOG_LEVEL,
	OPT_VDEV,
	OPT_NO_PCI,
	OPT_DOMAIN_FD,
	OPT_DEVICE_FD,
};

/* '+': stop at the first non-option (the application's arguments);
 * ':': report a missing argument as ':' rather than '?'. */
static const char short_options[] = "+:hl:m:a:b:d:";

static const struct option long_options[] = {
	{"help", no_argument, NULL, OPT_HELP},
	{"lcores", required_argument, NULL, OPT_LCORES},
	{"main-lcore", required_argument, NULL, OPT_MAIN_LCORE},
	{"socket-mem", required_argument, NULL, OPT_SOCKET_MEM},
	{"socket-limit", required_argument, NULL, OPT_SOCKET_LIMIT},
	{"huge-dir", required_argument, NULL, OPT_HUGE_DIR},
	{"no-huge", no_argument, NULL, OPT_NO_HUGE},
	{"file-prefix", required_argument, NULL, OPT_FILE_PREFIX},
	{"iova-mode", required_argument, NULL, OPT_IOVA_MODE},
	{"log-level", required_argument, NULL, OPT_LOG_LEVEL},
	{"allow", required_argument, NULL, OPT_ALLOW},
	{"block", required_argument, NULL, OPT_BLOCK},
	{"vdev", required_argument, NULL, OPT_VDEV},
	{"no-pci", no_argument, NULL, OPT_NO_PCI},
	{"driver-path", required_argument, NULL, OPT_PLUGIN},
	{"domain-fd", required_argument, NULL, OPT_DOMAIN_FD},
	{"device-fd", required_argument, NULL, OPT_DEVICE_FD},
	{NULL, 0, NULL, 0},
};

void
sl_eal_usage(FILE *f)
{
	fprintf(f,
		"EAL options:\n"
		"  -l, --lcores LIST      lcores to use: CPU ids and ranges (0-1,3);\n"
		"                         --lcores also takes lcore@cpu pairs (0@2,1@3)\n"
		"                         [default: every CPU the process may run on]\n"
		"  --main-lcore ID        lcore that runs main() [default: first lcore]\n"
		"  -m MB                  memory to reserve at start, split over the\n"
		"                         sockets of the lcores [default: %d]\n"
		"  --socket-mem MB,MB..   memory to reserve at start per NUMA node\n"
		"  --socket-limit MB,MB.. most memory the heap may grow to per node\n"
		"                         (0 = no limit) [default: no limit]\n"
		"  --huge-dir DIR         hugetlbfs mount to use [default: the mount\n"
		"                         of the default hugepage size]\n"
		"  --no-huge              use anonymous memory instead of hugepages\n"
		"  --file-prefix NAME     prefix of hugepage files, so that processes\n"
		"                         coexist [default: %s]\n"
		"  --iova-mode va|pa      IO addresses are virtual (IOMMU) or physical\n"
		"                         (needs root) [default: va]\n"
		"  --log-level LEVEL      global log level (err, warning, notice, info,\n"
		"                         debug or 1-8)\n"
		"  --log-level COMP:LEVEL level of components matching a glob (eal:debug)\n"
		"  -a, --allow DEV[,ARGS] probe only these devices (repeatable)\n"
		"  -b, --block DEV        never probe this device (repeatable)\n"
		"  --vdev NAME[,ARGS]     create a virtual device (net_null0,size=64)\n"
		"  --no-pci               do not scan the PCI bus\n"
		"  -d, --driver-path PATH load a PMD plugin (.so), or every *.so of a\n"
		"                         directory, before probing (repeatable);\n"
		"                         plugins in %s\n"
		"                         are loaded without it\n"
		"  --domain-fd N          use inherited fd N as the IOMMU domain instead\n"
		"                         of opening /dev/sluice/iommu (sluice-launch)\n"
		"  --device-fd BDF=N      use inherited fd N as the node of PCI device\n"
		"                         BDF (repeatable); with either option, or with\n"
		"                         SLUICE_LAUNCH_FDS set, no /dev/sluice node is\n"
		"                         opened\n"
		"  -h, --help             print this help\n"
		"End EAL options with '--'; what follows belongs to the application.\n",
		EAL_DEFAULT_MEM_MB, EAL_DEFAULT_FILE_PREFIX,
		SL_EAL_PMD_PATH[0] ? SL_EAL_PMD_PATH : "(no default directory in this build)");
}

void
eal_config_defaults(struct eal_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	sl_launch_fds_init(&cfg->launch_fds);
	for (unsigned int i = 0; i < SL_MAX_LCORE; i++)
		cfg->lcore_cpu[i] = -1;
	cfg->main_lcore = SL_LCORE_ID_ANY;
	cfg->iova_mode = SL_IOVA_VA;
	snprintf(cfg->file_prefix, sizeof(cfg->file_prefix), "%s", EAL_DEFAULT_FILE_PREFIX);
}

/* Strict unsigned decimal: digits only, no sign, no overflow past max. */
static int
parse_uint(const char *s, const char **end, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	const char *p = s;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	while (isdigit((unsigned char)*p)) {
		unsigned long d = (unsigned long)(*p - '0');

		if (v > (max - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
		p++;
	}
	*end = p;
	*out = v;
	return 0;
}

static int
cpu_allowed(unsigned long cpu, const cpu_set_t *allowed)
{
	return cpu < CPU_SETSIZE && CPU_ISSET((int)cpu, allowed);
}

static void
describe_cpus(const cpu_set_t *set, char *buf, size_t len)
{
	size_t n = 0;
	int first = -1;

	buf[0] = '\0';
	for (int c = 0; c <= CPU_SETSIZE && n + 24 < len; c++) {
		int in = c < CPU_SETSIZE && CPU_ISSET(c, set);

		if (in && first < 0)
			first = c;
		if (!in && first >= 0) {
			if (first == c - 1)
				n += (size_t)snprintf(buf + n, len - n, "%s%d", n ? "," : "", first);
			else
				n += (size_t)snprintf(buf + n, len - n, "%s%d-%d", n ? "," : "",
						      first, c - 1);
			first = -1;
		}
	}
}

/*
 * "0-1,3" (lcore id == cpu id) and, when allow_at, "0@2,1@3" (lcore@cpu).
 * On success cpu_of_lcore[] holds the cpu of each listed lcore, -1 else.
 */
int
eal_parse_list(const char *s, const char *opt, int *cpu_of_lcore, unsigned int *count,
	       int allow_at)
{
	cpu_set_t allowed;
	char cpus[256];
	const char *p = s, *end;
	unsigned long a, b, cpu;
	unsigned int n = 0;
	int ret;

	for (unsigned int i = 0; i < SL_MAX_LCORE; i++)
		cpu_of_lcore[i] = -1;
	if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0)
		return -errno;
	describe_cpus(&allowed, cpus, sizeof(cpus));

	if (*p == '\0')
		goto syntax;
	for (;;) {
		ret = parse_uint(p, &end, ULONG_MAX / 2, &a);
		if (ret < 0)
			goto syntax;
		b = a;
		p = end;
		if (*p == '-') {
			ret = parse_uint(p + 1, &end, ULONG_MAX / 2, &b);
			if (ret < 0)
				goto syntax;
			p = end;
			if (b < a) {
				SL_LOG(ERR, EAL, "invalid value '%s' for option %s: range %lu-%lu "
				       "is reversed; write it as %lu-%lu", s, opt, a, b, b, a);
				return -EINVAL;
			}
		}
		cpu = ULONG_MAX;
		if (*p == '@') {
			if (!allow_at || a != b)
				goto syntax;
			ret = parse_uint(p + 1, &end, ULONG_MAX / 2, &cpu);
			if (ret < 0)
				goto syntax;
			p = end;
		}
		for (unsigned long l = a; l <= b; l++) {
			unsigned long c = cpu == ULONG_MAX ? l : cpu;

			if (l >= SL_MAX_LCORE) {
				SL_LOG(ERR, EAL, "invalid value '%s' for option %s: lcore %lu is "
				       "not below SL_MAX_LCORE (%d); use smaller ids or "
				       "lcore@cpu pairs with --lcores", s, opt, l, SL_MAX_LCORE);
				return -EINVAL;
			}
			if (!cpu_allowed(c, &allowed)) {
				SL_LOG(ERR, EAL, "invalid value '%s' for option %s: CPU %lu is "
				       "not available to this process (available: %s)",
				       s, opt, c, cpus);
				return -EINVAL;
			}
			if (cpu_of_lcore[l] >= 0) {
				SL_LOG(ERR, EAL, "invalid value '%s' for option %s: lcore %lu "
				       "is listed twice; list each lcore once", s, opt, l);
				return -EINVAL;
			}
			cpu_of_lcore[l] = (int)c;
			n++;
		}
		if (*p == '\0')
			break;
		if (*p != ',')
			goto syntax;
		p++;
	}
	*count = n;
	return 0;
syntax:
	SL_LOG(ERR, EAL, "invalid value '%s' for option %s: expected CPU ids and "
	       "ranges like 0-1,3%s (available CPUs: %s)", s, opt,
	       allow_at ? " or lcore@cpu pairs like 0@2,1@3" : "", cpus);
	return -EINVAL;
}

/* One size in MB with an optional M/G suffix; returns bytes. */
static int
parse_mb(const char *s, const char **end, uint64_t *bytes)
{
	unsigned long v;
	uint64_t mult = 1ull << 20;
	int ret;

	ret = parse_uint(s, end, 1ul << 40, &v);
	if (ret < 0)
		return ret;
	if (**end == 'M' || **end == 'm') {
		(*end)++;
	} else if (**end == 'G' || **end == 'g') {
		mult = 1ull << 30;
		(*end)++;
	}
	if (v > (UINT64_MAX >> 31))
		return -ERANGE;
	*bytes = (uint64_t)v * mult;
	return 0;
}

/* "1024,0,512": per-node sizes in MB. */
int
eal_parse_size_list(const char *s, const char *opt, uint64_t *out, unsigned int max)
{
	const char *p = s, *end;
	unsigned int n = 0;
	uint64_t v;

	for (unsigned int i = 0; i < max; i++)
		out[i] = 0;
	for (;;) {
		if (parse_mb(p, &end, &v) < 0)
			goto syntax;
		if (n == max) {
			SL_LOG(ERR, EAL, "invalid value '%s' for option %s: more than %u "
			       "values; give one value per NUMA node (this machine has %d)",
			       s, opt, max, eal_socket_count());
			return -EINVAL;
		}
		out[n++] = v;
		p = end;
		if (*p == '\0')
			break;
		if (*p != ',')
			goto syntax;
		p++;
	}
	if ((int)n > eal_socket_count()) {
		for (unsigned int i = (unsigned int)eal_socket_count(); i < n; i++) {
			if (out[i] != 0) {
				SL_LOG(ERR, EAL, "invalid value '%s' for option %s: value for "
				       "NUMA node %u, but this machine has %d node(s); give "
				       "one value per node", s, opt, i, eal_socket_count());
				return -EINVAL;
			}
		}
	}
	return 0;
syntax:
	SL_LOG(ERR, EAL, "invalid value '%s' for option %s: expected megabytes per NUMA "
	       "node separated by commas, like 1024 or 512,512", s, opt);
	return -EINVAL;
}

static int
parse_prefix(const char *s, struct eal_config *cfg)
{
	size_t len = strlen(s);

	if (len == 0 || len >= sizeof(cfg->file_prefix) - 16) {
		SL_LOG(ERR, EAL, "invalid value '%s' for option --file-prefix: use 1-%zu "
		       "characters", s, sizeof(cfg->file_prefix) - 17);
		return -EINVAL;
	}
	for (size_t i = 0; i < len; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-' && s[i] != '.') {
			SL_LOG(ERR, EAL, "invalid value '%s' for option --file-prefix: "
			       "character '%c' not allowed; use letters, digits, '_', '-' "
			       "and '.'", s, s[i]);
			return -EINVAL;
		}
	}
	if (s[0] == '.') {
		SL_LOG(ERR, EAL, "invalid value '%s' for option --file-prefix: must not "
		       "start with '.'", s);
		return -EINVAL;
	}
	memcpy(cfg->file_prefix, s, len + 1);
	return 0;
}

/* Name of the option getopt just handled, as the user wrote it. */
static const char *
opt_name(int opt, char *buf, size_t len)
{
	for (const struct option *o = long_options; o->name; o++)
		if (o->val == opt) {
			if (opt < OPT_LONG_BASE)
				snprintf(buf, len, "-%c/--%s", opt, o->name);
			else
				snprintf(buf, len, "--%s", o->name);
			return buf;
		}
	snprintf(buf, len, "-%c", opt);
	return buf;
}

/* Checks between options, once all are known. */
static int
check_config(struct eal_config *cfg)
{
	cpu_set_t allowed;
	unsigned int n = 0;

	if (!cfg->lcores_set) {
		if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0)
			return -errno;
		for (int c = 0; c < CPU_SETSIZE && c < SL_MAX_LCORE; c++)
			if (CPU_ISSET(c, &allowed)) {
				cfg->lcore_cpu[c] = c;
				n++;
			}
		cfg->lcore_count = n;
	}
	if (cfg->main_lcore_set) {
		if (cfg->main_lcore >= SL_MAX_LCORE || cfg->lcore_cpu[cfg->main_lcore] < 0) {
			SL_LOG(ERR, EAL, "invalid value '%u' for option --main-lcore: lcore %u "
			       "is not in the lcore list; add it to -l or pick a listed one",
			       cfg->main_lcore, cfg->main_lcore);
			return -EINVAL;
		}
	} else {
		for (unsigned int i = 0; i < SL_MAX_LCORE; i++)
			if (cfg->lcore_cpu[i] >= 0) {
				cfg->main_lcore = i;
				break;
			}
	}
	if (cfg->main_lcore == SL_LCORE_ID_ANY) {
		SL_LOG(ERR, EAL, "no usable lcore: the process may not run on any CPU "
		       "below %d; pass -l", SL_MAX_LCORE);
		return -EINVAL;
	}
	if (cfg->mem_total && cfg->socket_mem_set) {
		SL_LOG(ERR, EAL, "options -m and --socket-mem cannot be combined: use -m for "
		       "a total or --socket-mem for amounts per node");
		return -EINVAL;
	}
	if (cfg->no_huge && cfg->iova_mode == SL_IOVA_PA) {
		SL_LOG(ERR, EAL, "invalid value 'pa' for option --iova-mode: physical "
		       "addresses need hugepages (anonymous pages can move); drop --no-huge "
		       "or use --iova-mode=va");
		return -EINVAL;
	}
	if (cfg->no_huge && cfg->huge_dir[0]) {
		SL_LOG(ERR, EAL, "options --no-huge and --huge-dir cannot be combined: "
		       "drop one of them");
		return -EINVAL;
	}
	if (cfg->socket_limit_set) {
		for (int s = 0; s < EAL_MAX_SOCKETS; s++) {
			uint64_t want = cfg->socket_mem_set ? cfg->socket_mem[s] : 0;

			if (cfg->socket_limit[s] && want > cfg->socket_limit[s]) {
				SL_LOG(ERR, EAL, "--socket-mem asks for %" PRIu64 " MB on node %d "
				       "but --socket-limit allows %" PRIu64 " MB; raise the limit",
				       want >> 20, s, cfg->socket_limit[s] >> 20);
				return -EINVAL;
			}
		}
	}
	return 0;
}

int
eal_parse_args(int argc, char **argv, struct eal_config *cfg)
{
	char name[32];
	const char *end;
	unsigned long v;
	int saved_opterr = opterr;
	int opt, ret = 0, consumed;

	eal_config_defaults(cfg);
	sl_devargs_clear();
	if (argc <= 0 || argv == NULL)
		return check_config(cfg) < 0 ? -EINVAL : 0;

	/* glibc: optind 0 re-initialises getopt completely, so sl_eal_init()
	 * can parse again after sl_eal_cleanup() (or after the application's
	 * own getopt use). */
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, short_options, long_options, NULL)) != -1) {
		switch (opt) {
		case OPT_HELP:
			sl_eal_usage(stdout);
			ret = SL_EAL_HELP_SHOWN;
			goto out;
		case OPT_LCORE_LIST:
		case OPT_LCORES:
			if (cfg->lcores_set) {
				SL_LOG(ERR, EAL, "option %s given twice (value '%s'): give one "
				       "lcore list", opt_name(opt, name, sizeof(name)), optarg);
				ret = -EINVAL;
				goto out;
			}
			ret = eal_parse_list(optarg, opt_name(opt, name, sizeof(name)),
					     cfg->lcore_cpu, &cfg->lcore_count, opt == OPT_LCORES);
			if (ret < 0)
				goto out;
			cfg->lcores_set = 1;
			break;
		case OPT_MAIN_LCORE:
			if (parse_uint(optarg, &end, UINT32_MAX, &v) < 0 || *end != '\0') {
				SL_LOG(ERR, EAL, "invalid value '%s' for option --main-lcore: "
				       "expected an lcore id like 0", optarg);
				ret = -EINVAL;
				goto out;
			}
			cfg->main_lcore = (unsigned int)v;
			cfg->main_lcore_set = 1;
			break;
		case OPT_MEM:
			if (parse_mb(optarg, &end, &cfg->mem_total) < 0 || *end != '\0' ||
			    cfg->mem_total == 0) {
				SL_LOG(ERR, EAL, "invalid value '%s' for option -m: expected "
				       "megabytes > 0, like -m 512", optarg);
				ret = -EINVAL;
				goto out;
			}
			break;
		case OPT_SOCKET_MEM:
			ret = eal_parse_size_list(optarg, "--socket-mem", cfg->socket_mem,
						  EAL_MAX_SOCKETS);
			if (ret < 0)
				goto out;
			cfg->socket_mem_set = 1;
			break;
		case OPT_SOCKET_LIMIT:
			ret = eal_parse_size_list(optarg, "--socket-limit", cfg->socket_limit,
						  EAL_MAX_SOCKETS);
			if (ret < 0)
				goto out;
			cfg->socket_limit_set = 1;
			break;
		case OPT_HUGE_DIR:
			if (optarg[0] == '\0' ||
			    strlen(optarg) >= sizeof(cfg->huge_dir) - 64) {
				SL_LOG(ERR, EAL, "invalid value '%s' for option --huge-dir: "
				       "expected the path of a hugetlbfs mount, like "
				       "/dev/hugepages", optarg);
				ret = -EINVAL;
				goto out;
			}
			snprintf(cfg->huge_dir, sizeof(cfg->huge_dir), "%s", optarg);
			break;
		case OPT_NO_HUGE:
			cfg->no_huge = 1;
			break;
		case OPT_FILE_PREFIX:
			ret = parse_prefix(optarg, cfg);
			if (ret < 0)
				goto out;
			break;
		case OPT_IOVA_MODE:
			if (strcmp(optarg, "va") == 0) {
				cfg->iova_mode = SL_IOVA_VA;
			} else if (strcmp(optarg, "pa") == 0) {
				cfg->iova_mode = SL_IOVA_PA;
			} else {
				SL_LOG(ERR, EAL, "invalid value '%s' for option --iova-mode: "
				       "expected va or pa", optarg);
				ret = -EINVAL;
				goto out;
			}
			cfg->iova_mode_set = 1;
			break;
		case OPT_LOG_LEVEL:
			ret = eal_log_option(optarg);
			if (ret < 0)
				goto out;
			break;
		case OPT_ALLOW:
		case OPT_BLOCK:
		case OPT_VDEV:
			ret = eal_devargs_add_checked(opt == OPT_ALLOW ? SL_DEVTYPE_ALLOWED :
						      opt == OPT_BLOCK ? SL_DEVTYPE_BLOCKED :
						      SL_DEVTYPE_VDEV,
						      optarg, opt_name(opt, name, sizeof(name)));
			if (ret < 0) {
				ret = -EINVAL; /* the message says which limit */
				goto out;
			}
			break;
		case OPT_NO_PCI:
			cfg->no_pci = 1;
			break;
		case OPT_PLUGIN:
			if (cfg->plugin_count == EAL_MAX_PLUGINS) {
				SL_LOG(ERR, EAL, "option %s given more than %d times (value "
				       "'%s'): put the plugins in one directory and give that",
				       opt_name(opt, name, sizeof(name)), EAL_MAX_PLUGINS, optarg);
				ret = -EINVAL;
				goto out;
			}
			cfg->plugins[cfg->plugin_count++] = optarg;
			break;
		case OPT_DOMAIN_FD:
			ret = sl_launch_fds_set_domain(&cfg->launch_fds, optarg, "--domain-fd");
			if (ret < 0)
				goto out;
			cfg->launch_fds_set = 1;
			break;
		case OPT_DEVICE_FD:
			ret = sl_launch_fds_add_device(&cfg->launch_fds, optarg, "--device-fd");
			if (ret < 0)
				goto out;
			cfg->launch_fds_set = 1;
			break;
		case ':':
			SL_LOG(ERR, EAL, "option '%s' needs a value; run with -h for the "
			       "list of options", argv[optind - 1]);
			ret = -EINVAL;
			goto out;
		case '?':
		default:
			if (optopt && optopt < OPT_LONG_BASE)
				SL_LOG(ERR, EAL, "unknown option '-%c'; EAL options end at "
				       "'--' (put application options after it), run with -h "
				       "for the list", optopt);
			else
				SL_LOG(ERR, EAL, "unknown option '%s'; EAL options end at "
				       "'--' (put application options after it), run with -h "
				       "for the list", argv[optind - 1]);
			ret = -EINVAL;
			goto out;
		}
	}
	ret = check_config(cfg);
	if (ret < 0)
		goto out;

	/* As rte_eal_init(): argv[consumed] becomes the program name, so the
	 * application parses argv + consumed as if it were a fresh argv. */
	consumed = optind - 1;
	if (consumed > 0)
		argv[consumed] = argv[0];
	ret = consumed;
out:
	if (ret < 0)
		sl_devargs_clear();
	optind = 0;
	opterr = saved_opterr;
	return ret;
}
