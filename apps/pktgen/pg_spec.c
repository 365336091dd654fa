/* SPDX-License-Identifier: BSD-3-Clause */
/* Parsers for sluice-pktgen's traffic specifications: see pg_spec.h. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>

#include "pg_spec.h"

static int
fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* A finite, non-negative decimal number at the start of @p s. */
static int
leading_number(const char *s, double *v, const char **rest)
{
	char *end;

	if (!isdigit((unsigned char)*s) && *s != '.')
		return -EINVAL;
	errno = 0;
	*v = strtod(s, &end);
	if (errno || end == s || !(*v >= 0) || *v > 1e15)
		return -EINVAL;
	*rest = end;
	return 0;
}

int
pg_parse_rate(const char *s, struct pg_rate *r, char *err, size_t errlen)
{
	static const struct { const char *sfx; enum pg_rate_kind kind; double mult; } units[] = {
		{ "", PG_RATE_PPS, 1 }, { "pps", PG_RATE_PPS, 1 }, { "kpps", PG_RATE_PPS, 1e3 },
		{ "mpps", PG_RATE_PPS, 1e6 }, { "gpps", PG_RATE_PPS, 1e9 },
		{ "bps", PG_RATE_BPS, 1 }, { "kbps", PG_RATE_BPS, 1e3 }, { "mbps", PG_RATE_BPS, 1e6 },
		{ "gbps", PG_RATE_BPS, 1e9 }, { "%", PG_RATE_PCT, 1 },
	};
	const char *rest;
	double v;

	if (s == NULL || *s == '\0')
		return fail(err, errlen, "empty rate (e.g. --rate=1mpps, 500mbps, 40%% or max)");
	if (strcasecmp(s, "max") == 0) {
		r->kind = PG_RATE_MAX;
		r->value = 0;
		return 0;
	}
	if (leading_number(s, &v, &rest) < 0)
		return fail(err, errlen, "not a rate: need a number with pps, kpps, mpps, bps, kbps, "
			    "mbps, gbps or %%, or max (e.g. --rate=1mpps)");
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcasecmp(rest, units[i].sfx) != 0)
			continue;
		if (v == 0 && units[i].kind == PG_RATE_PPS) {
			/* "0" has always meant as fast as possible. */
			r->kind = PG_RATE_MAX;
			r->value = 0;
			return 0;
		}
		if (v == 0)
			return fail(err, errlen, "a rate of zero sends nothing (use max for as fast as possible)");
		if (units[i].kind == PG_RATE_PCT && v > 100)
			return fail(err, errlen, "more than 100%% of the link (e.g. --rate=40%%)");
		r->kind = units[i].kind;
		r->value = v * units[i].mult;
		if (r->kind == PG_RATE_PPS && r->value < 1)
			return fail(err, errlen, "below 1 packet per second");
		return 0;
	}
	return fail(err, errlen, "unknown unit '%s': use pps, kpps, mpps, bps, kbps, mbps, gbps or %% "
		    "(e.g. --rate=1mpps)", rest);
}

double
pg_line_pps(double mean_size, uint32_t link_mbps)
{
	return (double)link_mbps * 1e6 / ((mean_size + PG_L1_EXTRA) * 8);
}

double
pg_rate_pps(const struct pg_rate *r, double mean_size, uint32_t link_mbps, bool l2)
{
	double bits = (mean_size + (l2 ? PG_FCS_LEN : PG_L1_EXTRA)) * 8;

	switch (r->kind) {
	case PG_RATE_PPS:
		return r->value;
	case PG_RATE_BPS:
		return r->value / bits;
	case PG_RATE_PCT:
		if (link_mbps == 0)
			return -1;
		return r->value / 100 * pg_line_pps(mean_size, link_mbps);
	default:
		return 0;
	}
}

static int
parse_uint(const char *s, const char **rest, unsigned long *v)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	*v = strtoul(s, &end, 10);
	if (errno || *v > 1000000)
		return -EINVAL;
	*rest = end;
	return 0;
}

static int
size_in(unsigned long v, unsigned int min, unsigned int max, char *err, size_t errlen)
{
	if (v < min)
		return fail(err, errlen, "%lu bytes is below the %u-byte minimum for these headers and "
			    "pktgen's trailer (need %u..%u)", v, min, min, max);
	if (v > max)
		return fail(err, errlen, "%lu bytes is above %u (need %u..%u)", v, max, min, max);
	return 0;
}

/* Spread a weighted mix so that each size recurs evenly (a smooth
 * weighted round robin), not in runs. */
static void
mix_expand(struct pg_size *z, const uint16_t *sizes, const unsigned long *w, unsigned int k,
	   unsigned long total)
{
	long credit[PG_MIX_SIZES] = { 0 };

	z->n = (uint16_t)total;
	for (unsigned long i = 0; i < total; i++) {
		unsigned int best = 0;

		for (unsigned int j = 0; j < k; j++) {
			credit[j] += (long)w[j];
			if (credit[j] > credit[best])
				best = j;
		}
		credit[best] -= (long)total;
		z->table[i] = sizes[best];
	}
}

int
pg_parse_size(const char *s, unsigned int min, unsigned int max, struct pg_size *z,
	      char *err, size_t errlen)
{
	/* Simple IMIX: IP packets of 40, 576 and 1500 bytes in Ethernet
	 * frames without FCS (64, 594 and 1518 with it). */
	static const uint16_t imix_sizes[] = { 60, 590, 1514 };
	static const unsigned long imix_w[] = { 7, 4, 1 };
	uint16_t sizes[PG_MIX_SIZES];
	unsigned long w[PG_MIX_SIZES], v, hi, total = 0;
	const char *p;
	unsigned int k = 0;
	int rc;

	memset(z, 0, sizeof(*z));
	if (strcasecmp(s, "imix") == 0 || strncasecmp(s, "imix:", 5) == 0) {
		if (s[4] == '\0') {
			k = 3;
			memcpy(sizes, imix_sizes, sizeof(imix_sizes));
			memcpy(w, imix_w, sizeof(imix_w));
		} else {
			for (p = s + 5;; p++) {
				if (k == PG_MIX_SIZES)
					return fail(err, errlen, "more than %d sizes in the mix", PG_MIX_SIZES);
				if (parse_uint(p, &p, &v) < 0 || (*p != 'x' && *p != 'X') ||
				    parse_uint(p + 1, &p, &w[k]) < 0 || w[k] == 0 || (*p != ',' && *p))
					return fail(err, errlen, "need imix or imix:SIZExWEIGHT,... "
						    "(e.g. imix:60x7,590x4,1514x1)");
				sizes[k++] = (uint16_t)(v > UINT16_MAX ? UINT16_MAX : v);
				if (v > UINT16_MAX)
					return size_in(v, min, max, err, errlen);
				if (*p == '\0')
					break;
			}
		}
		z->lo = UINT16_MAX;
		for (unsigned int j = 0; j < k; j++) {
			rc = size_in(sizes[j], min, max, err, errlen);
			if (rc < 0)
				return rc;
			total += w[j];
			if (sizes[j] < z->lo)
				z->lo = sizes[j];
			if (sizes[j] > z->hi)
				z->hi = sizes[j];
		}
		if (total > PG_MIX_MAX)
			return fail(err, errlen, "the weights add up to %lu, above %d", total, PG_MIX_MAX);
		z->mode = PG_SIZE_MIX;
		mix_expand(z, sizes, w, k, total);
		return 0;
	}
	if (parse_uint(s, &p, &v) < 0)
		return fail(err, errlen, "need BYTES, LO-HI[:random] or imix (e.g. --size=64, "
			    "--size=64-1518, --size=imix)");
	if (*p == '\0') {
		rc = size_in(v, min, max, err, errlen);
		if (rc == 0) {
			z->mode = PG_SIZE_FIXED;
			z->lo = z->hi = (uint16_t)v;
		}
		return rc;
	}
	if (*p != '-' || parse_uint(p + 1, &p, &hi) < 0 ||
	    (*p && strcasecmp(p, ":random") && strcasecmp(p, ":inc")))
		return fail(err, errlen, "need LO-HI or LO-HI:random (e.g. --size=64-1518)");
	if (hi < v)
		return fail(err, errlen, "the range runs backwards (%lu > %lu)", v, hi);
	rc = size_in(v, min, max, err, errlen);
	if (rc == 0)
		rc = size_in(hi, min, max, err, errlen);
	if (rc < 0)
		return rc;
	z->mode = strcasecmp(p, ":random") == 0 ? PG_SIZE_RANDOM : PG_SIZE_INC;
	z->lo = (uint16_t)v;
	z->hi = (uint16_t)hi;
	return 0;
}

double
pg_size_mean(const struct pg_size *z)
{
	double sum = 0;

	switch (z->mode) {
	case PG_SIZE_FIXED:
		return z->lo;
	case PG_SIZE_INC:
	case PG_SIZE_RANDOM:
		return ((double)z->lo + z->hi) / 2;
	default:
		for (unsigned int i = 0; i < z->n; i++)
			sum += z->table[i];
		return z->n ? sum / z->n : 0;
	}
}

static int
parse_ip(const char *s, size_t len, uint32_t *v)
{
	char buf[INET_ADDRSTRLEN];
	struct in_addr a;

	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (inet_pton(AF_INET, buf, &a) != 1)
		return -EINVAL;
	*v = ntohl(a.s_addr);
	return 0;
}

static int
parse_port(const char *s, size_t len, uint32_t *v)
{
	char buf[8];
	char *end;
	unsigned long x;

	if (len == 0 || len >= sizeof(buf) || !isdigit((unsigned char)*s))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	x = strtoul(buf, &end, 10);
	if (*end || x > UINT16_MAX)
		return -EINVAL;
	*v = (uint32_t)x;
	return 0;
}

int
pg_parse_flows(const char *s, struct pg_flows *fl, char *err, size_t errlen)
{
	static const char *const names[PG_F_NUM] = { "src-ip", "dst-ip", "src-port", "dst-port" };
	const char *p = s;
	unsigned long n;

	if (parse_uint(s, &p, &n) == 0 && *p == '\0') {
		struct pg_field *f = &fl->f[PG_F_SRC_PORT];

		if (n < 1 || n > 65536 || f->lo + n - 1 > UINT16_MAX)
			return fail(err, errlen, "%lu flows from UDP source port %u run past 65535 "
				    "(need 1..%u)", n, f->lo, UINT16_MAX - f->lo + 1);
		f->hi = f->lo + (uint32_t)n - 1;
		goto count;
	}
	for (p = s; *p;) {
		const char *eq = strchr(p, '='), *end = strchr(p, ','), *dash, *colon;
		struct pg_field nf = { 0 };
		int i, rc;

		if (end == NULL)
			end = p + strlen(p);
		for (i = 0; i < PG_F_NUM; i++)
			if (eq && (size_t)(eq - p) == strlen(names[i]) && strncmp(p, names[i], strlen(names[i])) == 0)
				break;
		if (eq == NULL || eq > end || i == PG_F_NUM)
			return fail(err, errlen, "need N or FIELD=LO-HI[:random],... with FIELD src-ip, "
				    "dst-ip, src-port or dst-port (e.g. --flows=src-ip=10.0.0.1-10.0.0.254)");
		eq++;
		colon = memchr(eq, ':', (size_t)(end - eq));
		if (colon) {
			if ((size_t)(end - colon) != 7 || strncmp(colon, ":random", 7) != 0)
				return fail(err, errlen, "%s: only ':random' may follow a range", names[i]);
			nf.random = true;
		} else {
			colon = end;
		}
		dash = memchr(eq, '-', (size_t)(colon - eq));
		if (dash == NULL)
			dash = colon;
		if (i <= PG_F_DST_IP) {
			rc = parse_ip(eq, (size_t)(dash - eq), &nf.lo);
			if (rc == 0)
				rc = dash == colon ? (nf.hi = nf.lo, 0) :
				     parse_ip(dash + 1, (size_t)(colon - dash - 1), &nf.hi);
		} else {
			rc = parse_port(eq, (size_t)(dash - eq), &nf.lo);
			if (rc == 0)
				rc = dash == colon ? (nf.hi = nf.lo, 0) :
				     parse_port(dash + 1, (size_t)(colon - dash - 1), &nf.hi);
		}
		if (rc < 0)
			return fail(err, errlen, "%s: need %s or LO-HI (e.g. %s=%s)", names[i],
				    i <= PG_F_DST_IP ? "an IPv4 address" : "a port 0..65535", names[i],
				    i <= PG_F_DST_IP ? "10.0.0.1-10.0.0.254" : "1000-1999");
		if (nf.hi < nf.lo)
			return fail(err, errlen, "%s: the range runs backwards", names[i]);
		nf.cur = nf.lo;
		fl->f[i] = nf;
		p = *end ? end + 1 : end;
	}
count:
	fl->count = 1;
	for (int i = 0; i < PG_F_NUM; i++) {
		fl->f[i].cur = fl->f[i].lo;
		if (fl->count <= UINT64_MAX / ((uint64_t)fl->f[i].hi - fl->f[i].lo + 1))
			fl->count *= (uint64_t)fl->f[i].hi - fl->f[i].lo + 1;
		else
			fl->count = UINT64_MAX;
	}
	return 0;
}

int
pg_parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	char tail;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
		   &tail) != 6 || strlen(s) != 17)
		return -EINVAL;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	return 0;
}
