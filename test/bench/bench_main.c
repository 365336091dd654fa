/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-bench: micro-benchmarks of the core libraries.
 *
 *   sluice-bench [EAL options --] [--json] [--iter-shift N] [suite...]
 *
 * Suites are the registered bench_<suite>.c files (ring, mempool); none
 * named means all, in a fixed order.  Without EAL options the program runs
 * on the first CPU it may use, without hugepages, so it needs no privilege.
 * With --json it prints exactly one JSON object on stdout:
 *   {"ring": {"sp_sc_bulk_8": 1.9, ...}, "mempool": {"bulk_32_cached": ...}}
 */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sl_eal.h"

#include "bench.h"

/* DPDK's ring_perf_autotest uses 2^23 iterations; so do we by default. */
#define DEFAULT_ITER_SHIFT 23

static struct bench_suite *suites; /* sorted by order */

void
bench_register(struct bench_suite *suite)
{
	struct bench_suite **p = &suites;

	while (*p != NULL && (*p)->order <= suite->order)
		p = &(*p)->next;
	suite->next = *p;
	*p = suite;
}

int
bench_result_add(struct bench_results *res, const char *key, double value,
		 const char *unit, const char *what)
{
	if (res->n >= BENCH_MAX_RESULTS)
		return -ENOSPC;
	if (strlen(key) >= BENCH_KEY_MAX)
		return -ENAMETOOLONG;
	snprintf(res->r[res->n].key, BENCH_KEY_MAX, "%s", key);
	res->r[res->n].value = value;
	res->r[res->n].unit = unit;
	res->r[res->n].what = what != NULL ? strdup(what) : NULL;
	res->n++;
	return 0;
}

static void
results_release(struct bench_results *res)
{
	for (unsigned int i = 0; i < res->n; i++)
		free((void *)(uintptr_t)res->r[i].what);
	res->n = 0;
}

static struct bench_suite *
suite_find(const char *name)
{
	for (struct bench_suite *s = suites; s != NULL; s = s->next)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

static void
usage(FILE *f, const char *prog)
{
	fprintf(f,
		"usage: %s [EAL options --] [--json] [--iter-shift N] [suite...]\n"
		"  --json          print one JSON object with every figure\n"
		"  --iter-shift N  2^N iterations per measurement (default %d)\n"
		"  --list          list the suites\n"
		"Without EAL options: --no-huge -m 128 --no-pci -l <first allowed CPU>.\n"
		"Suites (default: all):\n", prog, DEFAULT_ITER_SHIFT);
	for (struct bench_suite *s = suites; s != NULL; s = s->next)
		fprintf(f, "  %-10s %s\n", s->name, s->help);
}

/* First CPU in our affinity mask, to pin the main lcore to. */
static int
first_cpu(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		for (int c = 0; c < CPU_SETSIZE; c++)
			if (CPU_ISSET(c, &set))
				return c;
	return 0;
}

/* Run sl_eal_init() on the EAL part of argv; return the index of the first
 * application argument or a negative errno. */
static int
eal_start(int argc, char **argv)
{
	char cpu[16], prefix[48];
	char *defaults[] = { argv[0], "--no-huge", "-m", "128", "--no-pci",
			     "-l", cpu, "--file-prefix", prefix,
			     "--log-level", "warning", NULL };
	int dashdash = -1, ret;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			dashdash = i;
			break;
		}
	}
	if (dashdash > 0) {
		ret = sl_eal_init(dashdash, argv);
		return ret < 0 ? ret : dashdash + 1;
	}
	snprintf(cpu, sizeof(cpu), "%d", first_cpu());
	snprintf(prefix, sizeof(prefix), "sluice-bench-%d", (int)getpid());
	ret = sl_eal_init((int)SL_DIM(defaults) - 1, defaults);
	return ret < 0 ? ret : 1;
}

static void
print_json_number(double v)
{
	/* JSON has no NaN/Inf; a figure is always finite and positive. */
	printf("%.3f", v);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "iter-shift", required_argument, NULL, 'i' },
		{ "list", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct bench_opts opts = { .json = 0, .iter_shift = DEFAULT_ITER_SHIFT };
	struct bench_suite *selected[16];
	unsigned int nsel = 0;
	const char *prog = argv[0];
	int first, opt, ret = 0, printed = 0;
	char *end;

	/* Option parsing and suite lookup first: no EAL needed for --help. */
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "--list") == 0) {
			usage(stdout, prog);
			return 0;
		}
	}
	first = eal_start(argc, argv);
	if (first < 0) {
		fprintf(stderr, "%s: EAL init failed: %s\n", prog,
			strerror(-first));
		return 1;
	}
	/* getopt on the application part, with the program name in front. */
	argv[first - 1] = (char *)prog;
	argc -= first - 1;
	argv += first - 1;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			opts.json = 1;
			break;
		case 'i':
			errno = 0;
			opts.iter_shift = (unsigned int)strtoul(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || opts.iter_shift < 4 ||
			    opts.iter_shift > 30) {
				fprintf(stderr, "%s: --iter-shift '%s': want an "
					"integer 4..30\n", prog, optarg);
				ret = 2;
				goto out;
			}
			break;
		default:
			fprintf(stderr, "%s: unknown option '%s'; see --help\n",
				prog, argv[optind - 1]);
			ret = 2;
			goto out;
		}
	}
	for (int i = optind; i < argc; i++) {
		struct bench_suite *s = suite_find(argv[i]);

		if (s == NULL) {
			fprintf(stderr, "%s: no suite '%s'; see --list\n", prog,
				argv[i]);
			ret = 2;
			goto out;
		}
		if (nsel >= SL_DIM(selected)) {
			fprintf(stderr, "%s: too many suites\n", prog);
			ret = 2;
			goto out;
		}
		selected[nsel++] = s;
	}
	if (nsel == 0)
		for (struct bench_suite *s = suites; s != NULL && nsel < SL_DIM(selected);
		     s = s->next)
			selected[nsel++] = s;

	if (opts.json)
		printf("{");
	for (unsigned int i = 0; i < nsel; i++) {
		struct bench_results res = { .n = 0 };
		int r = selected[i]->run(&opts, &res);

		if (r < 0) {
			fprintf(stderr, "%s: suite %s failed: %s\n", prog,
				selected[i]->name, strerror(-r));
			results_release(&res);
			ret = 1;
			continue;
		}
		if (opts.json) {
			printf("%s\"%s\": {", printed++ ? ", " : "",
			       selected[i]->name);
			for (unsigned int k = 0; k < res.n; k++) {
				printf("%s\"%s\": ", k ? ", " : "", res.r[k].key);
				print_json_number(res.r[k].value);
			}
			printf("}");
		} else {
			for (unsigned int k = 0; k < res.n; k++)
				printf("%s: %-44s %8.3f %s\n", selected[i]->name,
				       res.r[k].what ? res.r[k].what : res.r[k].key,
				       res.r[k].value, res.r[k].unit);
		}
		fflush(stdout);
		results_release(&res);
	}
	if (opts.json)
		printf("}\n");
out:
	sl_eal_cleanup();
	return ret;
}
