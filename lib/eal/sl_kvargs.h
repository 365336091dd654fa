/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Parse device arguments of the form "key=value,key=value".
 *
 * Parsing checks the syntax and the keys against a list of valid ones; the
 * typed getters check the values.  Every error is logged (component KVARGS)
 * with the context given at parse time (usually the device name), the key
 * and the value, e.g.
 *
 *     net_null0: bad value 'abc' for 'size': expected an unsigned integer in [1, 9600]
 *
 * so a user can fix the command line from the message alone.
 */
#ifndef SL_KVARGS_H
#define SL_KVARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Most key=value pairs in one argument string. */
#define SL_KVARGS_MAX 32
/** Longest argument string accepted by sl_kvargs_parse(). */
#define SL_KVARGS_MAX_LEN 1024

/** One parsed pair; both strings point into the kvargs object. */
struct sl_kvargs_pair {
	const char *key; /**< the key */
	const char *value; /**< its value, "" when none was given */
};

/** Parsed arguments; read with the getters. */
struct sl_kvargs;

/**
 * Parse @p args.  Keys are [A-Za-z0-9_-]+; a value is any text up to the
 * next ',' (it may be empty: "key=").  A pair without '=' is an error, as
 * are empty pairs (",,"), unknown keys and a key given twice.
 *
 * @param context    prefix for log messages (e.g. the device name); may be NULL.
 * @param args       the string; NULL or "" gives an empty set.
 * @param valid_keys NULL-terminated list of accepted keys; NULL accepts any key.
 * @return the parsed set (free with sl_kvargs_free()), or NULL with errno:
 *         EINVAL (syntax, unknown or repeated key: logged with the key and the
 *         list of valid keys), E2BIG (more than SL_KVARGS_MAX pairs or longer
 *         than SL_KVARGS_MAX_LEN), ENOMEM.
 */
struct sl_kvargs *sl_kvargs_parse(const char *context, const char *args,
				  const char *const valid_keys[]);

/** Free a set from sl_kvargs_parse(); NULL is a no-op. */
void sl_kvargs_free(struct sl_kvargs *kv);

/** @return number of pairs in @p kv (0 for NULL). */
unsigned int sl_kvargs_count(const struct sl_kvargs *kv);

/** @return pair @p idx (in the order given), or NULL if out of range. */
const struct sl_kvargs_pair *sl_kvargs_pair_get(const struct sl_kvargs *kv, unsigned int idx);

/** @return 1 if @p key was given, else 0. */
int sl_kvargs_has(const struct sl_kvargs *kv, const char *key);

/** @return the raw value of @p key, or NULL if it was not given. */
const char *sl_kvargs_get(const struct sl_kvargs *kv, const char *key);

/**
 * Read an unsigned integer (decimal, 0x hex, or 0 octal) in [min, max].
 * @param kv the parsed arguments
 * @param key the key to read
 * @param min smallest value accepted
 * @param max largest value accepted
 * @param out untouched unless 0 is returned.
 * @return 0; -ENOENT key not given (not logged: the caller keeps its
 *         default); -EINVAL not a number (logged); -ERANGE outside
 *         [min, max] (logged with the range).
 */
int sl_kvargs_get_uint(const struct sl_kvargs *kv, const char *key, uint64_t min,
		       uint64_t max, uint64_t *out);

/**
 * Read a boolean: 1/0, true/false, yes/no, on/off (any case).  An empty
 * value ("key=") means true.
 * @return 0, -ENOENT not given, -EINVAL anything else (logged).
 */
int sl_kvargs_get_bool(const struct sl_kvargs *kv, const char *key, bool *out);

/**
 * Copy a string value into @p buf.
 * @return 0, -ENOENT not given, -EINVAL empty value or NULL @p buf,
 *         -ENAMETOOLONG value does not fit @p size (logged with the limit).
 */
int sl_kvargs_get_string(const struct sl_kvargs *kv, const char *key, char *buf,
			 size_t size);

/**
 * Read a MAC address ("xx:xx:xx:xx:xx:xx" or "xx-xx-...").
 * @param kv the parsed arguments
 * @param key the key to read
 * @param mac six bytes, untouched unless 0 is returned.
 * @return 0, -ENOENT not given, -EINVAL not a MAC address (logged).
 */
int sl_kvargs_get_mac(const struct sl_kvargs *kv, const char *key, uint8_t mac[6]);

#ifdef __cplusplus
}
#endif

#endif /* SL_KVARGS_H */
