/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Logging: a global level, a short table of per-component glob patterns,
 * one formatted line per call written with a single fputs under the stream
 * lock so lines from several lcores never interleave.
 */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "sl_log.h"
#include "eal_private.h"

#define LOG_MAX_PATTERNS 64
#define LOG_LINE_MAX 1024

struct log_pattern {
	char pattern[SL_LOG_COMPONENT_MAX];
	uint32_t level;
};

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static uint32_t log_global_level = SL_LOG_DEFAULT_LEVEL;
/* Highest level of the global level and every pattern: lets sl_log() drop a
 * message without taking the lock or matching patterns. */
static uint32_t log_max_level = SL_LOG_DEFAULT_LEVEL;
static struct log_pattern log_patterns[LOG_MAX_PATTERNS];
static unsigned int log_npatterns;
static FILE *log_stream;

static const char *const level_names[] = {
	[SL_LOG_EMERG] = "EMERG", [SL_LOG_ALERT] = "ALERT", [SL_LOG_CRIT] = "CRIT",
	[SL_LOG_ERR] = "ERR", [SL_LOG_WARNING] = "WARNING", [SL_LOG_NOTICE] = "NOTICE",
	[SL_LOG_INFO] = "INFO", [SL_LOG_DEBUG] = "DEBUG",
};

const char *
sl_log_level_name(uint32_t level)
{
	if (level < SL_LOG_EMERG || level > SL_LOG_DEBUG)
		return "?";
	return level_names[level];
}

int
sl_log_level_parse(const char *s)
{
	static const struct {
		const char *name;
		uint32_t level;
	} aliases[] = {
		{"emerg", SL_LOG_EMERG},     {"emergency", SL_LOG_EMERG},
		{"alert", SL_LOG_ALERT},     {"crit", SL_LOG_CRIT},
		{"critical", SL_LOG_CRIT},   {"err", SL_LOG_ERR},
		{"error", SL_LOG_ERR},       {"warning", SL_LOG_WARNING},
		{"warn", SL_LOG_WARNING},    {"notice", SL_LOG_NOTICE},
		{"info", SL_LOG_INFO},       {"debug", SL_LOG_DEBUG},
	};
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return -EINVAL;
	if (isdigit((unsigned char)*s)) {
		errno = 0;
		v = strtol(s, &end, 10);
		if (errno || *end != '\0' || v < SL_LOG_EMERG || v > SL_LOG_DEBUG)
			return -EINVAL;
		return (int)v;
	}
	for (size_t i = 0; i < SL_DIM(aliases); i++)
		if (strcasecmp(s, aliases[i].name) == 0)
			return (int)aliases[i].level;
	return -EINVAL;
}

static void
log_recompute_max(void)
{
	uint32_t max = log_global_level;

	for (unsigned int i = 0; i < log_npatterns; i++)
		max = SL_MAX(max, log_patterns[i].level);
	__atomic_store_n(&log_max_level, max, __ATOMIC_RELAXED);
}

int
sl_log_set_level(const char *component, uint32_t level)
{
	unsigned int i;
	int ret = 0;

	if (level < SL_LOG_EMERG || level > SL_LOG_DEBUG)
		return -EINVAL;
	if (component != NULL && *component == '\0')
		return -EINVAL;
	if (component != NULL && strlen(component) >= SL_LOG_COMPONENT_MAX)
		return -ENAMETOOLONG;

	pthread_mutex_lock(&log_lock);
	if (component == NULL) {
		log_global_level = level;
		goto out;
	}
	for (i = 0; i < log_npatterns; i++)
		if (strcasecmp(log_patterns[i].pattern, component) == 0)
			break;
	if (i == log_npatterns) {
		if (log_npatterns == LOG_MAX_PATTERNS) {
			ret = -ENOSPC;
			goto out;
		}
		strcpy(log_patterns[i].pattern, component);
		log_npatterns++;
	}
	log_patterns[i].level = level;
out:
	log_recompute_max();
	pthread_mutex_unlock(&log_lock);
	return ret;
}

void
sl_log_reset(void)
{
	pthread_mutex_lock(&log_lock);
	log_global_level = SL_LOG_DEFAULT_LEVEL;
	log_npatterns = 0;
	log_recompute_max();
	pthread_mutex_unlock(&log_lock);
}

/* Caller holds log_lock.  The last matching pattern wins, as with
 * repeated --log-level options. */
static uint32_t
log_level_of_locked(const char *component)
{
	uint32_t level = log_global_level;

	if (component == NULL)
		return level;
	for (unsigned int i = 0; i < log_npatterns; i++)
		if (fnmatch(log_patterns[i].pattern, component, FNM_CASEFOLD) == 0)
			level = log_patterns[i].level;
	return level;
}

uint32_t
sl_log_get_level(const char *component)
{
	uint32_t level;

	pthread_mutex_lock(&log_lock);
	level = log_level_of_locked(component);
	pthread_mutex_unlock(&log_lock);
	return level;
}

int
sl_log_can_log(uint32_t level, const char *component)
{
	if (level > __atomic_load_n(&log_max_level, __ATOMIC_RELAXED))
		return 0;
	return level <= sl_log_get_level(component ? component : "USER");
}

void
sl_log_set_stream(FILE *stream)
{
	pthread_mutex_lock(&log_lock);
	log_stream = stream;
	pthread_mutex_unlock(&log_lock);
}

void
sl_vlog(uint32_t level, const char *component, const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];
	struct timespec ts;
	struct tm tm;
	size_t n;
	int r;
	FILE *f;

	if (level < SL_LOG_EMERG)
		level = SL_LOG_EMERG;
	if (level > SL_LOG_DEBUG)
		level = SL_LOG_DEBUG;
	if (component == NULL)
		component = "USER";
	if (!sl_log_can_log(level, component))
		return;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%S", &tm);
	r = snprintf(line + n, sizeof(line) - n, ".%06ldZ %-7s %s: ",
		     ts.tv_nsec / 1000, level_names[level], component);
	if (r > 0)
		n += SL_MIN((size_t)r, sizeof(line) - n - 1);
	r = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	if (r > 0)
		n += SL_MIN((size_t)r, sizeof(line) - n - 1);
	/* Always end with exactly one newline, even when truncated. */
	if (n > 0 && line[n - 1] == '\n')
		n--;
	if (n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	line[n] = '\0';

	pthread_mutex_lock(&log_lock);
	f = log_stream ? log_stream : stderr;
	fputs(line, f);
	fflush(f);
	pthread_mutex_unlock(&log_lock);
}

void
sl_log(uint32_t level, const char *component, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sl_vlog(level, component, fmt, ap);
	va_end(ap);
}

/* --log-level=LEVEL or --log-level=PATTERN:LEVEL */
int
eal_log_option(const char *arg)
{
	char pattern[SL_LOG_COMPONENT_MAX];
	const char *colon = strrchr(arg, ':');
	const char *lvl = colon ? colon + 1 : arg;
	size_t plen;
	int level;

	level = sl_log_level_parse(lvl);
	if (level < 0) {
		SL_LOG(ERR, EAL, "invalid value '%s' for option --log-level: level '%s' is "
		       "not one of emerg, alert, crit, err, warning, notice, info, debug "
		       "or 1-8 (e.g. --log-level=debug or --log-level=ring:debug)", arg, lvl);
		return -EINVAL;
	}
	if (colon == NULL)
		return sl_log_set_level(NULL, (uint32_t)level);
	plen = (size_t)(colon - arg);
	if (plen == 0 || plen >= sizeof(pattern)) {
		SL_LOG(ERR, EAL, "invalid value '%s' for option --log-level: component "
		       "must be 1-%d characters before ':' (e.g. --log-level=eal:debug)",
		       arg, SL_LOG_COMPONENT_MAX - 1);
		return -EINVAL;
	}
	memcpy(pattern, arg, plen);
	pattern[plen] = '\0';
	if (sl_log_set_level(pattern, (uint32_t)level) < 0) {
		SL_LOG(ERR, EAL, "invalid value '%s' for option --log-level: too many "
		       "component patterns; combine them with a glob like 'net_*'", arg);
		return -EINVAL;
	}
	return 0;
}
