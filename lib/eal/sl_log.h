/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Logging with syslog-like levels and per-component names.
 *
 * Usable at any time, also before sl_eal_init().  Messages go to stderr (or
 * to the stream set with sl_log_set_stream()) with a UTC timestamp, the
 * level and the component name, one line per call:
 *
 *     2026-11-23T20:41:07.123456Z ERR   RING: bad count 3
 *
 * A message is printed when its level is <= the level of its component,
 * which is the level of the last matching sl_log_set_level(pattern) call or
 * else the global level (default SL_LOG_INFO).
 */
#ifndef SL_LOG_H
#define SL_LOG_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "sl_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Log levels, same values as syslog(3) + 1 (0 is not a level). */
enum sl_log_level {
	SL_LOG_EMERG = 1, /**< system is unusable */
	SL_LOG_ALERT,     /**< action must be taken immediately */
	SL_LOG_CRIT,      /**< critical conditions */
	SL_LOG_ERR,       /**< error conditions */
	SL_LOG_WARNING,   /**< warning conditions */
	SL_LOG_NOTICE,    /**< normal but significant condition */
	SL_LOG_INFO,      /**< informational */
	SL_LOG_DEBUG,     /**< debug-level messages */
};

/** Level used for components nobody configured. */
#define SL_LOG_DEFAULT_LEVEL SL_LOG_INFO

/** Longest component name or pattern accepted by sl_log_set_level(). */
#define SL_LOG_COMPONENT_MAX 32

/**
 * Log a message.
 *
 * @param level one of enum sl_log_level; out of range values are clamped.
 * @param component short upper-case name ("EAL", "RING", "E1000"); NULL
 *        means "USER".
 * @param fmt printf format; a trailing newline is added when missing.
 */
void sl_log(uint32_t level, const char *component, const char *fmt, ...)
	__sl_format_printf(3, 4);

/** va_list flavour of sl_log(). */
void sl_vlog(uint32_t level, const char *component, const char *fmt, va_list ap)
	__sl_format_printf(3, 0);

/**
 * Log with a level and component given as bare words:
 * `SL_LOG(ERR, RING, "bad count %u", n)`.
 */
#define SL_LOG(lvl, comp, ...) sl_log(SL_LOG_##lvl, #comp, __VA_ARGS__)

/**
 * Set the level of a component, of components matching a glob pattern, or
 * of everything.
 *
 * @param component_or_NULL component name or fnmatch(3) pattern ("net_*"),
 *        matched without regard to case; NULL sets the global level
 *        (per-component settings stay in force).
 * @param level SL_LOG_EMERG..SL_LOG_DEBUG.
 * @return 0, or
 *   -EINVAL: level out of range, or empty pattern;
 *   -ENAMETOOLONG: pattern longer than SL_LOG_COMPONENT_MAX - 1;
 *   -ENOSPC: too many distinct patterns (64).
 */
int sl_log_set_level(const char *component_or_NULL, uint32_t level);

/** Back to the defaults: global level SL_LOG_DEFAULT_LEVEL, no patterns. */
void sl_log_reset(void);

/**
 * @return the level in force for @p component (NULL: the global level).
 */
uint32_t sl_log_get_level(const char *component);

/**
 * @return non-zero when a message of @p level for @p component would be
 * printed; lets callers skip building expensive debug output.
 */
int sl_log_can_log(uint32_t level, const char *component);

/**
 * Parse a level name ("err", "error", "warning", "info", "debug", ...,
 * case-insensitive) or a number 1..8.
 *
 * @return the level, or -EINVAL when @p s is neither.
 */
int sl_log_level_parse(const char *s);

/** @return the short upper-case name of @p level ("ERR"), "?" if invalid. */
const char *sl_log_level_name(uint32_t level);

/**
 * Send log lines to @p stream instead of stderr (NULL: back to stderr).
 * The stream must stay valid until it is replaced.
 */
void sl_log_set_stream(FILE *stream);

#ifdef __cplusplus
}
#endif

#endif /* SL_LOG_H */
