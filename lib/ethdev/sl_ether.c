/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Out-of-line helpers of lib/net/sl_ether.h: text form of MAC addresses and
 * random local addresses for virtual ports.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/random.h>
#include <time.h>

#include "sl_ether.h"

void
sl_ether_addr_format(char *buf, size_t size, const struct sl_ether_addr *a)
{
	const uint8_t *b = a->addr_bytes;

	if (buf == NULL || size == 0)
		return;
	snprintf(buf, size, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3],
		 b[4], b[5]);
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "xx:xx:xx:xx:xx:xx" or with '-', one or two digits per octet. */
static int
parse_octets(const char *s, uint8_t out[SL_ETHER_ADDR_LEN])
{
	char sep = 0;

	for (int i = 0; i < SL_ETHER_ADDR_LEN; i++) {
		int hi = hex_digit(*s), lo;

		if (hi < 0)
			return -EINVAL;
		s++;
		lo = hex_digit(*s);
		if (lo >= 0) {
			out[i] = (uint8_t)(hi << 4 | lo);
			s++;
		} else {
			out[i] = (uint8_t)hi;
		}
		if (i == SL_ETHER_ADDR_LEN - 1)
			break;
		if (*s != ':' && *s != '-')
			return -EINVAL;
		if (sep == 0)
			sep = *s;
		else if (*s != sep)
			return -EINVAL;
		s++;
	}
	return *s == '\0' ? 0 : -EINVAL;
}

/* "xxxx.xxxx.xxxx", exactly four digits per group. */
static int
parse_dotted(const char *s, uint8_t out[SL_ETHER_ADDR_LEN])
{
	for (int g = 0; g < 3; g++) {
		unsigned int v = 0;

		for (int d = 0; d < 4; d++) {
			int x = hex_digit(*s++);

			if (x < 0)
				return -EINVAL;
			v = v << 4 | (unsigned int)x;
		}
		out[2 * g] = (uint8_t)(v >> 8);
		out[2 * g + 1] = (uint8_t)v;
		if (g < 2 && *s++ != '.')
			return -EINVAL;
	}
	return *s == '\0' ? 0 : -EINVAL;
}

int
sl_ether_addr_parse(const char *str, struct sl_ether_addr *a)
{
	uint8_t tmp[SL_ETHER_ADDR_LEN];

	if (str == NULL || a == NULL)
		return -EINVAL;
	if (parse_octets(str, tmp) != 0 && parse_dotted(str, tmp) != 0)
		return -EINVAL;
	memcpy(a->addr_bytes, tmp, sizeof(tmp));
	return 0;
}

void
sl_ether_addr_random(struct sl_ether_addr *a)
{
	if (getrandom(a->addr_bytes, SL_ETHER_ADDR_LEN, GRND_NONBLOCK) != SL_ETHER_ADDR_LEN) {
		struct timespec ts;
		uint64_t x;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		x = (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15ull ^ (uint64_t)ts.tv_sec;
		memcpy(a->addr_bytes, &x, SL_ETHER_ADDR_LEN);
	}
	a->addr_bytes[0] &= (uint8_t)~SL_ETHER_GROUP_ADDR;
	a->addr_bytes[0] |= SL_ETHER_LOCAL_ADMIN_ADDR;
}
