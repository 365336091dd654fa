/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * "key=value,key=value" parser for device arguments.  The set owns one copy
 * of the string, cut in place at '=' and ',', so pairs point into it and a
 * set is two allocations.  Plain malloc: devargs are parsed before and
 * without the EAL heap (unit tests, runtime vdev creation).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sl_ether.h"
#include "sl_kvargs.h"
#include "sl_log.h"

struct sl_kvargs {
	char context[64];
	unsigned int count;
	struct sl_kvargs_pair pairs[SL_KVARGS_MAX];
	char *str; /* the cut-up copy of the argument string */
};

#define KV_ERR(kv, fmt, ...) \
	SL_LOG(ERR, KVARGS, "%s: " fmt, (kv)->context, ##__VA_ARGS__)

static int
key_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Log "valid keys are: a, b, c" to help the user fix a typo. */
static void
log_valid_keys(const struct sl_kvargs *kv, const char *const valid_keys[])
{
	char buf[512];
	size_t off = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; valid_keys[i] != NULL && off < sizeof(buf); i++) {
		int n = snprintf(buf + off, sizeof(buf) - off, "%s%s", i ? ", " : "",
				 valid_keys[i]);
		if (n < 0)
			break;
		off += (size_t)n;
	}
	if (valid_keys[0] == NULL)
		KV_ERR(kv, "this device takes no arguments");
	else
		KV_ERR(kv, "valid keys are: %s", buf);
}

static int
key_is_valid(const char *key, const char *const valid_keys[])
{
	if (valid_keys == NULL)
		return 1;
	for (unsigned int i = 0; valid_keys[i] != NULL; i++)
		if (strcmp(key, valid_keys[i]) == 0)
			return 1;
	return 0;
}

static int
parse_pair(struct sl_kvargs *kv, char *tok, const char *const valid_keys[])
{
	char *eq = strchr(tok, '=');

	if (*tok == '\0') {
		KV_ERR(kv, "empty argument (two commas in a row, or a trailing comma)");
		return -EINVAL;
	}
	if (eq == NULL) {
		KV_ERR(kv, "argument '%s' has no value: write it as key=value", tok);
		return -EINVAL;
	}
	*eq = '\0';
	if (*tok == '\0') {
		KV_ERR(kv, "argument '=%s' has no key: write it as key=value", eq + 1);
		return -EINVAL;
	}
	for (const char *c = tok; *c != '\0'; c++) {
		if (!key_char_ok(*c)) {
			KV_ERR(kv, "bad character '%c' in key '%s' (keys are letters, digits, '_' and '-')",
			       *c, tok);
			return -EINVAL;
		}
	}
	if (!key_is_valid(tok, valid_keys)) {
		KV_ERR(kv, "unknown key '%s'", tok);
		log_valid_keys(kv, valid_keys);
		return -EINVAL;
	}
	for (unsigned int i = 0; i < kv->count; i++) {
		if (strcmp(kv->pairs[i].key, tok) == 0) {
			KV_ERR(kv, "key '%s' given twice ('%s' and '%s'): keep one",
			       tok, kv->pairs[i].value, eq + 1);
			return -EINVAL;
		}
	}
	if (kv->count == SL_KVARGS_MAX) {
		KV_ERR(kv, "more than %u arguments", SL_KVARGS_MAX);
		return -E2BIG;
	}
	kv->pairs[kv->count].key = tok;
	kv->pairs[kv->count].value = eq + 1;
	kv->count++;
	return 0;
}

struct sl_kvargs *
sl_kvargs_parse(const char *context, const char *args, const char *const valid_keys[])
{
	struct sl_kvargs *kv;
	char *tok, *next;
	size_t len;
	int ret;

	kv = calloc(1, sizeof(*kv));
	if (kv == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	snprintf(kv->context, sizeof(kv->context), "%s", context ? context : "devargs");
	if (args == NULL)
		args = "";
	len = strnlen(args, SL_KVARGS_MAX_LEN + 1);
	if (len > SL_KVARGS_MAX_LEN) {
		KV_ERR(kv, "argument string longer than %u characters", SL_KVARGS_MAX_LEN);
		ret = -E2BIG;
		goto fail_kv;
	}
	kv->str = strdup(args);
	if (kv->str == NULL) {
		ret = -ENOMEM;
		goto fail_kv;
	}
	if (len == 0)
		return kv;

	for (tok = kv->str; tok != NULL; tok = next) {
		next = strchr(tok, ',');
		if (next != NULL)
			*next++ = '\0';
		ret = parse_pair(kv, tok, valid_keys);
		if (ret < 0)
			goto fail_str;
	}
	return kv;

fail_str:
	free(kv->str);
fail_kv:
	free(kv);
	errno = -ret;
	return NULL;
}

void
sl_kvargs_free(struct sl_kvargs *kv)
{
	if (kv == NULL)
		return;
	free(kv->str);
	free(kv);
}

unsigned int
sl_kvargs_count(const struct sl_kvargs *kv)
{
	return kv ? kv->count : 0;
}

const struct sl_kvargs_pair *
sl_kvargs_pair_get(const struct sl_kvargs *kv, unsigned int idx)
{
	if (kv == NULL || idx >= kv->count)
		return NULL;
	return &kv->pairs[idx];
}

const char *
sl_kvargs_get(const struct sl_kvargs *kv, const char *key)
{
	if (kv == NULL || key == NULL)
		return NULL;
	for (unsigned int i = 0; i < kv->count; i++)
		if (strcmp(kv->pairs[i].key, key) == 0)
			return kv->pairs[i].value;
	return NULL;
}

int
sl_kvargs_has(const struct sl_kvargs *kv, const char *key)
{
	return sl_kvargs_get(kv, key) != NULL;
}

int
sl_kvargs_get_uint(const struct sl_kvargs *kv, const char *key, uint64_t min,
		   uint64_t max, uint64_t *out)
{
	const char *val = sl_kvargs_get(kv, key);
	unsigned long long v;
	char *end;

	if (val == NULL || out == NULL)
		return val == NULL ? -ENOENT : -EINVAL;
	/* strtoull accepts a sign and leading blanks; a count never has them. */
	if (val[0] < '0' || val[0] > '9')
		goto bad;
	errno = 0;
	v = strtoull(val, &end, 0);
	if (*end != '\0')
		goto bad;
	if (errno == ERANGE || v < min || v > max) {
		KV_ERR(kv, "value '%s' for '%s' is out of range: use %" PRIu64 "..%" PRIu64,
		       val, key, min, max);
		return -ERANGE;
	}
	*out = v;
	return 0;
bad:
	KV_ERR(kv, "bad value '%s' for '%s': expected an unsigned integer in [%" PRIu64
	       ", %" PRIu64 "]", val, key, min, max);
	return -EINVAL;
}

int
sl_kvargs_get_bool(const struct sl_kvargs *kv, const char *key, bool *out)
{
	static const char *const yes[] = { "", "1", "true", "yes", "on" };
	static const char *const no[] = { "0", "false", "no", "off" };
	const char *val = sl_kvargs_get(kv, key);

	if (val == NULL || out == NULL)
		return val == NULL ? -ENOENT : -EINVAL;
	for (unsigned int i = 0; i < SL_DIM(yes); i++) {
		if (strcasecmp(val, yes[i]) == 0) {
			*out = true;
			return 0;
		}
	}
	for (unsigned int i = 0; i < SL_DIM(no); i++) {
		if (strcasecmp(val, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	KV_ERR(kv, "bad value '%s' for '%s': expected 0/1, true/false, yes/no or on/off",
	       val, key);
	return -EINVAL;
}

int
sl_kvargs_get_string(const struct sl_kvargs *kv, const char *key, char *buf, size_t size)
{
	const char *val = sl_kvargs_get(kv, key);

	if (val == NULL)
		return -ENOENT;
	if (buf == NULL || size == 0)
		return -EINVAL;
	if (*val == '\0') {
		KV_ERR(kv, "empty value for '%s': give %s=<text>", key, key);
		return -EINVAL;
	}
	if (strlen(val) >= size) {
		KV_ERR(kv, "value '%s' for '%s' is too long: at most %zu characters",
		       val, key, size - 1);
		return -ENAMETOOLONG;
	}
	memcpy(buf, val, strlen(val) + 1);
	return 0;
}

int
sl_kvargs_get_mac(const struct sl_kvargs *kv, const char *key, uint8_t mac[6])
{
	const char *val = sl_kvargs_get(kv, key);
	struct sl_ether_addr ea;

	if (val == NULL)
		return -ENOENT;
	if (mac == NULL)
		return -EINVAL;
	if (sl_ether_addr_parse(val, &ea) != 0) {
		KV_ERR(kv, "bad value '%s' for '%s': expected a MAC address like 02:00:00:00:00:01",
		       val, key);
		return -EINVAL;
	}
	memcpy(mac, ea.addr_bytes, SL_ETHER_ADDR_LEN);
	return 0;
}
